"""Precision of the release-notes reader over numpy's whole history, against hand labels.

    python benchmarks/changelog_precision.py [--library numpy|pandas] [--db PATH] [--jobs N]

Scans `numpy==1.26.4 numpy==2.0.2 numpy` into a fresh database (the two sdists carry every release
note from 1.3 to 2.0, fetched through pip's configured index into apimigrate's cache; the installed
numpy is the newest code), takes the rows whose only evidence is a release note, and joins them on
(api, kind, parameter) with benchmarks/data/changelog_precision_labels.jsonl. A label says whether
the note really deprecates or removes that API (or that use of that parameter) as a whole
(`api_ok`), whether the replacement is the one the note names (`replacement_ok`), and why. A row
whose replacement is not the one its label judged counts as unjudged (`replacement_unlabelled`).
benchmarks/changelog_recall.py measures the other side: how many of the APIs a note deprecates the
scan finds. Prints the table and the wrong rows; writes benchmarks/results/changelog_precision.json.

`--library pandas` does the same for pandas' whatsnew pages back to 0.10, which `scan pandas --since 1.5`
reads from the sdists of 1.5.3 and 2.0.3 (later sdists carry none): its labels
(benchmarks/data/changelog_precision_pandas_labels.jsonl) are a fixed-seed sample of 40 of its 375 such
rows, judged by hand, so the figure is a sample's; results in changelog_precision_pandas.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from changelog_recall import stated

HERE = Path(__file__).parent
# library -> (scan arguments, labels, results)
LIBRARIES = {
    "numpy": (["numpy==1.26.4", "numpy==2.0.2", "numpy"], HERE / "data" / "changelog_precision_labels.jsonl",
              HERE / "results" / "changelog_precision.json"),
    "pandas": (["pandas", "--since", "1.5"], HERE / "data" / "changelog_precision_pandas_labels.jsonl",
               HERE / "results" / "changelog_precision_pandas.json"),
}

Key = tuple[str, str, str | None]


def scan(db: Path, jobs: int, targets: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "apimigrate.cli.main", "scan", *targets, "--db", str(db), "-q",
                    "-j", str(jobs)], check=True, stdout=subprocess.DEVNULL)


def changelog_only_rows(db: Path, library: str) -> dict[Key, dict]:
    from apimigrate.db import open_db
    from apimigrate.db.export import records
    return {(r["api"], r["kind"], r["parameter"] or None): stated(r) for r in records(open_db(db), [library])
            if r["evidence"] and all(e["kind"] == "changelog" for e in r["evidence"])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--library", choices=sorted(LIBRARIES), default="numpy")
    ap.add_argument("--db", type=Path, help="read this DB instead of scanning into a fresh one")
    ap.add_argument("--labels", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    targets, default_labels, results = LIBRARIES[args.library]
    args.labels = args.labels or default_labels
    labels = {(lab["api"], lab["kind"], lab["parameter"] or None): lab
              for lab in map(json.loads, args.labels.read_text().splitlines()) if lab}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "history.db"
        if args.db is None:
            scan(db, args.jobs, targets)
        rows = changelog_only_rows(db, args.library)
    present = [k for k in rows if k in labels]
    right = [k for k in present if labels[k]["api_ok"]]
    with_repl = [k for k in present if rows[k]["replacement"]]
    # a label judged the replacement the row had then; another one now is unjudged, not wrong
    relabel = [k for k in with_repl if labels[k].get("replacement") != rows[k]["replacement"]]
    repl_right = [k for k in with_repl if k not in relabel and labels[k].get("replacement_ok")]
    gone = sorted(k for k in labels if k not in rows)
    summary = {
        "changelog_only_rows": len(rows), "labelled": len(present), "api_right": len(right),
        "api_right_pct": round(100.0 * len(right) / len(present), 1) if present else None,
        "with_replacement": len(with_repl), "replacement_right": len(repl_right),
        "replacement_unlabelled": len(relabel),
        "unlabelled": len(rows) - len(present),
        "labelled_rows_no_longer_stored": len(gone),
        "of_which_right": sum(1 for k in gone if labels[k]["api_ok"]),
    }
    con = Console(width=150)
    t = Table(title=f"{args.library} release-notes rows (changelog evidence only) against hand labels")
    for k in summary:
        t.add_column(k.replace("_", " "), justify="right")
    t.add_row(*(str(v) for v in summary.values()))
    con.print(t)
    wrong = [{"api": k[0], "kind": k[1], "parameter": k[2], "why": labels[k]["why"]}
             for k in sorted(present) if not labels[k]["api_ok"]]
    w = Table(title=f"wrong rows ({len(wrong)})")
    for col in ("api", "kind", "parameter", "why"):
        w.add_column(col, overflow="fold")
    for x in wrong:
        w.add_row(x["api"], x["kind"], x["parameter"] or "", x["why"])
    con.print(w)
    results.parent.mkdir(exist_ok=True)
    results.write_text(json.dumps({
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "scan": f"apimigrate scan {' '.join(targets)}",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "summary": summary, "wrong": wrong,
        "unlabelled": sorted(f"{k[0]} {k[1]} {k[2] or ''}".strip() for k in rows if k not in labels),
        "replacement_unlabelled": [f"{k[0]} {k[1]} {k[2] or ''}: {rows[k]['replacement']}".replace(" :", ":")
                                   for k in sorted(relabel)],
    }, indent=2) + "\n")


if __name__ == "__main__":
    main()
