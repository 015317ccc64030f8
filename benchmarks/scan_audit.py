"""Precision of `apimigrate scan` on the installed numpy, pandas, scipy, scikit-learn and torch, against hand labels.

    python benchmarks/scan_audit.py [--db PATH] [--labels PATH] [--jobs N]
    python benchmarks/scan_audit.py --sample [--db PATH] [--seed 20240611] [--per-library 25]

The first form scans the five libraries into a fresh temporary DB (or reads `--db`), joins its rows
with `benchmarks/data/scan_audit_labels.jsonl` on (library, api, kind, parameter), prints a table per
library and the disagreements, and writes `benchmarks/results/scan_audit.json`. A labelled row the DB
no longer has counts as missing, never as correct.

The second form draws the reproducible stratified sample to label (rows with a replacement first:
they are what `apimigrate fix` acts on) and prints it as JSON Lines with empty label fields.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

LIBS = ["numpy", "pandas", "scipy", "scikit-learn", "torch"]
HERE = Path(__file__).parent
LABELS = HERE / "data" / "scan_audit_labels.jsonl"
RESULTS = HERE / "results" / "scan_audit.json"


def _shown(path: Path) -> str:
    """A path as the JSON records it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(HERE.resolve().parent))
    except ValueError:
        return str(path)
# A label states what is true of the API, not a verdict on one scan's row: `api_ok` (a real public
# name, deprecated or removed, of that kind), `true_replacement` (null when the library names none; a
# list when several are equally the library's words), `true_since`, `true_new_parameter`, and `why`.

Key = tuple[str, str, str, str | None]


def row_key(r: dict) -> Key:
    return (r["library"], r["api"], r["kind"], r.get("parameter") or None)


def scan(db: Path, jobs: int) -> list[str]:
    cmd = [sys.executable, "-m", "apimigrate.cli.main", "scan", *LIBS, "--db", str(db), "-q", "-j", str(jobs)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return cmd


def given_or_scanned(db: Path | None, tmp: str, jobs: int) -> Path:
    """`--db` when given, else a fresh scan of LIBS into `tmp` (the benchmarks' shared default)."""
    if db is not None:
        return db
    fresh = Path(tmp) / "scan.db"
    scan(fresh, jobs)
    return fresh


def load_rows(db: Path) -> tuple[dict[Key, dict], dict[str, str]]:
    """Every exported row of the DB by key, and the newest version scanned of each library."""
    from apimigrate.db import open_db
    from apimigrate.db.export import records

    kb = open_db(db)
    rows = {row_key(r): r for r in records(kb, LIBS)}
    versions = {lib: vs[-1] for lib in LIBS if (vs := kb.library_versions(lib))}
    return rows, versions


def sample(rows: dict[Key, dict], seed: int, per_library: int) -> list[dict]:
    """About `per_library` rows per library, half of them (or all there are) with a replacement."""
    rng = random.Random(seed)
    out: list[dict] = []
    for lib in LIBS:
        keys = sorted(k for k in rows if k[0] == lib)     # sorted: the draw must not depend on DB order
        with_r = [k for k in keys if rows[k]["replacement"]]
        without = [k for k in keys if not rows[k]["replacement"]]
        n_with = min(len(with_r), (per_library + 1) // 2)
        n_without = min(len(without), per_library - n_with)
        n_with = min(len(with_r), per_library - n_without)  # a library short of plain rows takes more of the others
        picked = rng.sample(with_r, n_with) + rng.sample(without, n_without)
        out += [rows[k] for k in picked]
    return out


def label_stub(r: dict, version: str) -> dict:
    ev = r["evidence"][0] if r["evidence"] else {}
    return {"library": r["library"], "version": version, "api": r["api"], "kind": r["kind"],
            "parameter": r.get("parameter") or None, "replacement": r["replacement"], "since": r["since"],
            "evidence": f"{ev.get('path')}:{ev.get('line')}", "message": r["message"],
            "new_parameter": r["new_parameter"], "api_ok": None, "true_replacement": None,
            "true_since": None, "true_new_parameter": None, "why": ""}


def judge(label: dict, row: dict | None) -> dict:
    """One labelled row against the DB's current row: which checks hold, and which are moot.

    A label says what is true (`api_ok`, `true_replacement`, `true_since`); the DB's row is compared
    with that truth, so a rescan that changes a replacement is judged by it, not by the old verdict.
    """
    if row is None:
        return {"missing": True}
    out: dict = {"missing": False, "api_ok": bool(label["api_ok"])}
    truth_r, got_r = label.get("true_replacement"), row["replacement"]
    out["has_replacement"] = got_r is not None
    # Several spellings can be equally right (`numpy.lib.npyio.DataSource` and its public alias): a list.
    out["replacement_ok"] = got_r in truth_r if isinstance(truth_r, list) else got_r == truth_r
    if row["since"] is not None:
        out["since_ok"] = row["since"] == label.get("true_since")
    if row["kind"] == "parameter":
        # `fix` renames the keyword to new_parameter: a wrong one writes a call that fails.
        out["has_new_parameter"] = row["new_parameter"] is not None
        out["new_parameter_ok"] = row["new_parameter"] == label.get("true_new_parameter")
    return out


def pct(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def summarise(labels: list[dict], rows: dict[Key, dict]) -> tuple[dict, list[dict]]:
    per_lib: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    disagreements: list[dict] = []
    for lab in labels:
        row = rows.get(row_key(lab))
        v = judge(lab, row)
        s = per_lib[lab["library"]]
        s["labelled"] += 1
        if v["missing"]:
            s["missing"] += 1
            disagreements.append({**_ident(lab), "problem": "missing from DB", "why": lab["why"]})
            continue
        s["present"] += 1
        s["api_ok"] += v["api_ok"]
        s["replacement_ok_all"] += v["replacement_ok"]
        if v["has_replacement"]:
            s["with_replacement"] += 1
            s["replacement_ok"] += v["replacement_ok"]
        if "since_ok" in v:
            s["with_since"] += 1
            s["since_ok"] += v["since_ok"]
        if v.get("has_new_parameter"):
            s["with_new_parameter"] += 1
            s["new_parameter_ok"] += v["new_parameter_ok"]
        problems = _problems(v, lab, row)
        if problems:
            disagreements.append({**_ident(lab), "problem": "; ".join(problems), "why": lab["why"]})
    table = {lib: _rates(dict(s)) for lib, s in per_lib.items()}
    total: dict[str, int] = defaultdict(int)
    for s in per_lib.values():
        for k, n in s.items():
            total[k] += n
    table["all"] = _rates(dict(total))
    return table, disagreements


def _ident(lab: dict) -> dict:
    return {"library": lab["library"], "api": lab["api"], "kind": lab["kind"], "parameter": lab.get("parameter")}


def _problems(v: dict, lab: dict, row: dict) -> list[str]:
    out = []
    if not v["api_ok"]:
        out.append("api wrong")
    if not v["replacement_ok"]:
        out.append(f"replacement {row['replacement']!r}, true {lab.get('true_replacement')!r}")
    if v.get("new_parameter_ok") is False:
        out.append(f"new_parameter {row['new_parameter']!r}, true {lab.get('true_new_parameter')!r}")
    if v.get("since_ok") is False:
        out.append(f"since {row['since']!r}, true {lab.get('true_since')!r}")
    return out


def _rates(s: dict) -> dict:
    g = s.get
    return {"labelled": g("labelled", 0), "missing": g("missing", 0),
            "api_correct_pct": pct(g("api_ok", 0), g("present", 0)),
            "with_replacement": g("with_replacement", 0),
            "replacement_correct_pct": pct(g("replacement_ok", 0), g("with_replacement", 0)),
            "replacement_null_or_right_pct": pct(g("replacement_ok_all", 0), g("present", 0)),
            "with_since": g("with_since", 0),
            "since_correct_pct": pct(g("since_ok", 0), g("with_since", 0)),
            "with_new_parameter": g("with_new_parameter", 0),
            "new_parameter_correct_pct": pct(g("new_parameter_ok", 0), g("with_new_parameter", 0))}


def print_report(table: dict, disagreements: list[dict], versions: dict[str, str]) -> None:
    con = Console(width=140)
    t = Table(title="scan precision against hand labels")
    for col in ("library", "version", "labelled", "missing", "api ok %", "with repl.", "repl. ok %",
                "repl. (incl. null) ok %", "with since", "since ok %", "with new param", "new param ok %"):
        t.add_column(col, justify="left" if col in ("library", "version") else "right")
    for lib, r in table.items():
        t.add_row(lib, versions.get(lib, ""), str(r["labelled"]), str(r["missing"]), _fmt(r["api_correct_pct"]),
                  str(r["with_replacement"]), _fmt(r["replacement_correct_pct"]),
                  _fmt(r["replacement_null_or_right_pct"]), str(r["with_since"]), _fmt(r["since_correct_pct"]),
                  str(r["with_new_parameter"]), _fmt(r["new_parameter_correct_pct"]))
    con.print(t)
    d = Table(title=f"disagreements ({len(disagreements)})")
    for col in ("library", "api", "kind", "parameter", "problem", "why"):
        d.add_column(col, overflow="fold")
    for x in disagreements:
        d.add_row(x["library"], x["api"], x["kind"], x["parameter"] or "", x["problem"], x["why"])
    con.print(d)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="audit this DB instead of scanning into a fresh one")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", action="store_true", help="print the rows to label and exit")
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--per-library", type=int, default=25)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        rows, versions = load_rows(given_or_scanned(args.db, tmp, args.jobs))
    if args.sample:
        for r in sample(rows, args.seed, args.per_library):
            print(json.dumps(label_stub(r, versions[r["library"]]), ensure_ascii=False))
        return
    labels = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()]
    table, disagreements = summarise(labels, rows)
    print_report(table, disagreements, versions)
    stale = sorted({f"{lab['library']} {lab['version']}" for lab in labels
                    if versions.get(lab["library"]) != lab["version"]})
    result = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "libraries": versions,
        "labels": _shown(args.labels),
        "labels_for_other_versions": stale,
        "per_library": table,
        "disagreements": disagreements,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
