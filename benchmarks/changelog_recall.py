"""Recall and precision of the changelog reader on real release notes, against hand labels.

    python benchmarks/changelog_recall.py [--changelogs DIR] [--labels PATH] [--changelogs-only] [--jobs N]

For each library folder under DIR (default ../shared/data/changelogs: numpy, pandas, scipy, scikit-learn)
the installed distribution's Python files and the folder's release notes are scanned together into a
fresh DB, as `apimigrate scan` reads a checkout or a pinned release (code from the package, notes from
`doc/...`; changelog names are resolved against the code's public names). The notes get the path they
have in the library's own sources (SOURCES.md), so the version and layout rules apply as they would.
`--changelogs-only` scans the notes without the code (no name index: a measure of the reader alone).

The rows with changelog evidence from those files are joined with
`benchmarks/data/changelog_recall_labels.jsonl` on (api, parameter), the label's `aliases` counting as
the same API. Printed per library: labelled entries, found (recall), replacement right among found,
removal marked among labelled removals, and the rows no label explains (extras, a precision signal).
Written to `benchmarks/results/changelog_recall.json`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).parent
REPO = HERE.parent
CHANGELOGS = REPO.parent / "shared" / "data" / "changelogs"
LABELS = HERE / "data" / "changelog_recall_labels.jsonl"
RESULTS = HERE / "results" / "changelog_recall.json"
# Where each library keeps these notes in its own sources (see SOURCES.md next to the samples):
# the reader takes the version from the name and the kind of file from the folder.
DOC_DIRS = {"numpy": "doc/source/release", "scipy": "doc/source/release",
            "pandas": "doc/source/whatsnew", "scikit-learn": "doc/whats_new"}

Key = tuple[str, str, str | None]      # (library, api, parameter)


def build_tree(lib: str, folder: Path, changelogs_only: bool):
    """The installed library's code plus the folder's notes, as one scan tree."""
    from apimigrate.scan.changelog import is_changelog_path
    from apimigrate.scan.targets import SourceFile, installed_tree

    tree = installed_tree(lib)
    if changelogs_only:
        tree.files = []
    doc = DOC_DIRS.get(lib, "doc/release")
    for path in sorted(folder.iterdir()):
        rel = f"{doc}/{path.name}"
        if path.is_file() and is_changelog_path(rel):
            tree.files.append(SourceFile(path=path, rel=rel))
    return tree


def scan(db: Path, changelogs: Path, libs: list[str], changelogs_only: bool, jobs: int) -> dict[str, str]:
    """Scan every library into `db`; the installed version of each."""
    from apimigrate.db import open_db
    from apimigrate.scan.runner import scan_tree

    kb = open_db(db)
    versions = {}
    for lib in libs:
        tree = build_tree(lib, changelogs / lib, changelogs_only)
        scan_tree(kb, tree, workers=jobs)
        versions[lib] = tree.version
    return versions


def changelog_rows(db: Path, libs: list[str]) -> dict[Key, dict]:
    """Rows with evidence from a changelog, by key, with that evidence only."""
    from apimigrate.db import open_db
    from apimigrate.db.export import records
    from apimigrate.scan.model import CHANGELOG

    out = {}
    for r in records(open_db(db), libs):
        ev = [e for e in r["evidence"] if e["kind"] == CHANGELOG]
        if ev:
            out[(r["library"], r["api"], r["parameter"])] = {**stated(r), "changelog_evidence": ev}
    return out


def stated(record: dict) -> dict:
    """The record with the replacement and new keyword its library named, not the end of the chain the
    knowledge base follows them to (db/knowledge.py `_follow_replacements`): the reader is judged."""
    out = dict(record)
    for field in ("replacement", "new_parameter"):
        if record.get(f"{field}_via"):
            out[field] = record[f"{field}_via"][0]
    return out


def _file_of(label: dict) -> str:
    return Path(label["file"]).name


def _matches(expected, got) -> bool:
    """A label's value is one right answer, or a list of equally right ones (null among them)."""
    return got in expected if isinstance(expected, list) else got == expected


def label_keys(label: dict) -> list[Key]:
    return [(label["library"], api, label["parameter"]) for api in [label["api"], *label["aliases"]]]


def find(label: dict, rows: dict[Key, dict]) -> dict | None:
    """The row for the label, provided some of its changelog evidence comes from the label's file."""
    for key in label_keys(label):
        row = rows.get(key)
        if row and any(Path(e["path"]).name == _file_of(label) for e in row["changelog_evidence"]):
            return row
    return None


def _accepted(labels: list[dict], field: str) -> list:
    """Every answer some label of one API accepts: the DB keeps one row per API, and notes of two
    versions may word it differently (numpy 1.20 names `int` for ``np.int``, 1.24 names nothing)."""
    out: list = []
    for lab in labels:
        out += lab[field] if isinstance(lab[field], list) else [lab[field]]
    return out


def judge(label: dict, row: dict, same_api: list[dict]) -> list[str]:
    """What the found row gets wrong against the label ([] = all right)."""
    problems = []
    if not _matches(_accepted(same_api, "replacement"), row["replacement"]):
        problems.append(f"replacement {row['replacement']!r}, text {label['replacement']!r}")
    if label["kind"] == "parameter" and not _matches(_accepted(same_api, "new_parameter"), row["new_parameter"]):
        problems.append(f"new_parameter {row['new_parameter']!r}, text {label['new_parameter']!r}")
    if label["kind"] != "parameter" and row["kind"] != label["kind"]:
        problems.append(f"kind {row['kind']!r}, text {label['kind']!r}")
    if label["removed"] and not row["removed_in"]:
        problems.append("removal not marked")
    return problems


def summarise(labels: list[dict], rows: dict[Key, dict], files: dict[str, set[str]]) -> tuple[dict, list, list, list]:
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses, wrong = [], []
    explained: set[Key] = set()
    by_api: dict[Key, list[dict]] = defaultdict(list)
    for lab in labels:
        by_api[label_keys(lab)[0]].append(lab)
    for lab in labels:
        s = stats[lab["library"]]
        s["labelled"] += 1
        s["removals"] += bool(lab["removed"])
        explained.update(label_keys(lab))
        row = find(lab, rows)
        if row is None:
            misses.append(_ident(lab))
            continue
        s["found"] += 1
        problems = judge(lab, row, by_api[label_keys(lab)[0]])
        repl_ok = not any(p.startswith(("replacement", "new_parameter")) for p in problems)
        s["replacement_ok"] += repl_ok
        if lab["removed"]:
            s["removal_marked"] += "removal not marked" not in problems
        if problems:
            wrong.append({**_ident(lab), "problems": problems})
    extras = []
    for key, row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        ours = [e for e in row["changelog_evidence"] if Path(e["path"]).name in files.get(key[0], set())]
        if ours and key not in explained:
            stats[key[0]]["extras"] += 1
            extras.append({"library": key[0], "api": key[1], "parameter": key[2], "kind": row["kind"],
                           "replacement": row["replacement"], "new_parameter": row["new_parameter"],
                           "at": [f"{Path(e['path']).name}:{e['line']}" for e in ours]})
    return {lib: _rates(s) for lib, s in sorted(stats.items())} | {"all": _rates(_total(stats))}, misses, wrong, extras


def _total(stats: dict) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for s in stats.values():
        for k, n in s.items():
            total[k] += n
    return total


def _ident(lab: dict) -> dict:
    return {"library": lab["library"], "api": lab["api"], "parameter": lab["parameter"],
            "at": f"{_file_of(lab)}:{lab['line']}", "note": lab.get("note", "")}


def pct(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def _rates(s: dict) -> dict:
    g = s.get
    return {"labelled": g("labelled", 0), "found": g("found", 0), "recall_pct": pct(g("found", 0), g("labelled", 0)),
            "replacement_ok": g("replacement_ok", 0),
            "replacement_ok_pct": pct(g("replacement_ok", 0), g("found", 0)),
            "removals": g("removals", 0), "removal_marked": g("removal_marked", 0), "extras": g("extras", 0)}


def print_report(table: dict, misses: list, wrong: list, extras: list, versions: dict) -> None:
    con = Console(width=150)
    t = Table(title="changelog reader against hand labels")
    for col in ("library", "code version", "labelled", "found", "recall %", "repl. right", "repl. right %",
                "removals", "removal marked", "extras"):
        t.add_column(col, justify="left" if col in ("library", "code version") else "right")
    for lib, r in table.items():
        t.add_row(lib, versions.get(lib, ""), str(r["labelled"]), str(r["found"]), _fmt(r["recall_pct"]),
                  str(r["replacement_ok"]), _fmt(r["replacement_ok_pct"]), str(r["removals"]),
                  str(r["removal_marked"]), str(r["extras"]))
    con.print(t)
    for title, items, cols in ((f"misses ({len(misses)})", misses, ("library", "api", "parameter", "at", "note")),
                               (f"found but wrong ({len(wrong)})", wrong, ("library", "api", "parameter", "problems")),
                               (f"extras: rows no label explains ({len(extras)})", extras,
                                ("library", "api", "parameter", "kind", "replacement", "at"))):
        d = Table(title=title)
        for col in cols:
            d.add_column(col, overflow="fold")
        for x in items:
            d.add_row(*(_cell(x.get(c)) for c in cols))
        con.print(d)


def _cell(v) -> str:
    if isinstance(v, list):
        return "; ".join(map(str, v))
    return "" if v is None else str(v)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changelogs", type=Path, default=CHANGELOGS)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--changelogs-only", action="store_true", help="scan the notes without the library's code")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()

    labels = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()]
    libs = sorted({lab["library"] for lab in labels})
    files = {lib: {p.name for p in (args.changelogs / lib).iterdir()} for lib in libs}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "changelog_recall.db"
        versions = scan(db, args.changelogs, libs, args.changelogs_only, args.jobs)
        rows = changelog_rows(db, libs)
    table, misses, wrong, extras = summarise(labels, rows, files)
    print_report(table, misses, wrong, extras, versions)
    result = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "code_versions": versions,
        "changelogs_only": args.changelogs_only,
        "labels": str(args.labels.resolve().relative_to(REPO)) if args.labels.resolve().is_relative_to(REPO)
        else str(args.labels),
        "per_library": table,
        "misses": misses,
        "found_but_wrong": wrong,
        "extras": extras,
    }
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
