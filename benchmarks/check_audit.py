"""Precision of `apimigrate check` on real third-party code, against hand labels.

    python benchmarks/check_audit.py [--db PATH] [--labels PATH] [--jobs N]
    python benchmarks/check_audit.py --sample [--db PATH] [--seed 20261123] [--per-target 30] [--code APIM002]

The database is a scan of the installed numpy, pandas, scipy, scikit-learn and torch (as
benchmarks/scan_audit.py makes it), or `--db`. The code checked is what those libraries' users
write: packages installed with apimigrate that use them (transformers, peft, accelerate, narwhals,
networkx, joblib, sympy), current releases of statsmodels, xarray, seaborn, matplotlib and patsy,
and older releases written against older numpy/pandas/scipy (seaborn 0.11.2, statsmodels 0.13.5,
scikit-learn 1.1.3), their wheels fetched through pip's configured index into apimigrate's cache.
Each is checked with `apimigrate check DIR --format json`, as a user would, restricted to the five
libraries above (`--select`): a library's own tests calling its own deprecated APIs are not what
this measures.

A label (benchmarks/data/check_audit_labels.jsonl) names one finding, (target, path, line, code,
api, parameter), and says whether it is right: the line really uses that deprecated API (or
deprecated use of it) of the installed library as the message says, so running it warns or fails.
The first form joins findings with labels and prints precision per target and per code; a labelled
finding that check no longer reports is listed as gone (a lost true finding when it was right).
The second form draws a reproducible sample of the findings not labelled yet, per target, and
prints it as JSON Lines with empty label fields; `--code` samples the findings of one code alone, up
to `--per-target` of that code labelled per target (a code whose findings grew after a target's
sample was drawn is otherwise never labelled again). Results: benchmarks/results/check_audit.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from scan_audit import LIBS, given_or_scanned, load_rows

HERE = Path(__file__).parent
LABELS = HERE / "data" / "check_audit_labels.jsonl"
RESULTS = HERE / "results" / "check_audit.json"
SELECT = ["numpy", "pandas", "scipy", "scikit-learn", "torch"]
INSTALLED = ["transformers", "peft", "accelerate", "narwhals", "networkx", "joblib", "sympy"]
WHEELS = [("statsmodels", "0.15.0"), ("xarray", "2026.9.0"), ("seaborn", "0.13.2"), ("matplotlib", "3.11.2"),
          ("patsy", "1.0.3"), ("seaborn", "0.11.2"), ("statsmodels", "0.13.5"), ("scikit-learn", "1.1.3")]

Key = tuple[str, str, int, str, str, str | None]


def installed_target(name: str) -> tuple[str, Path, Path]:
    """(name==version, the package folder to check, the folder paths are relative to)."""
    from importlib.metadata import version
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: install apimigrate with its extras first")
    package = Path(list(spec.submodule_search_locations)[0])
    return f"{name}=={version(name)}", package, package.parent


def wheel_target(name: str, version: str, tmp: Path) -> tuple[str, Path, Path]:
    from apimigrate.scan.fetch import cache_dir, fetch_wheel
    dest = cache_dir() / "dists"
    dest.mkdir(parents=True, exist_ok=True)
    wheel = fetch_wheel(name, version, dest)
    if wheel is None:
        raise SystemExit(f"cannot fetch the wheel of {name}=={version} from pip's configured index")
    root = tmp / f"{name}-{version}"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(root)
    return f"{name}=={version}", root, root


def check(target: str, folder: Path, base: Path, db: Path, jobs: int) -> list[dict]:
    """`apimigrate check` of one tree, its paths relative to `base`. A library's own old release is
    not checked against that library: its calls of its own deprecated APIs are no user's."""
    own = target.partition("==")[0]
    select = [lib for lib in SELECT if lib != own]
    cmd = [sys.executable, "-m", "apimigrate.cli.main", "check", str(folder), "--db", str(db), "--format", "json",
           "-j", str(jobs), "--isolated", *[a for lib in select for a in ("--select", lib)]]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"check failed on {folder}: {proc.stderr.strip().splitlines()[-1:]}")
    findings = json.loads(proc.stdout or "[]")
    for f in findings:
        f["path"] = str(Path(f["path"]).resolve().relative_to(base.resolve()))
    return findings


def key_of(target: str, f: dict) -> Key:
    return (target, f["path"], int(f["line"]), f["code"], f["api"], f.get("parameter") or None)


def label_key(lab: dict) -> Key:
    return (lab["target"], lab["path"], int(lab["line"]), lab["code"], lab["api"], lab.get("parameter") or None)


def source_line(root: Path, f: dict) -> str:
    try:
        return (root / f["path"]).read_text(encoding="utf-8").splitlines()[int(f["line"]) - 1].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        return ""


def stub(target: str, root: Path, f: dict) -> dict:
    return {"target": target, "path": f["path"], "line": f["line"], "code": f["code"], "api": f["api"],
            "parameter": f.get("parameter"), "by_name": f.get("by_name"), "message": f["message"],
            "source": source_line(root, f), "right": None, "why": ""}


def summarise(findings: dict[str, list[dict]], labels: list[dict]) -> tuple[dict, list[dict], list[dict]]:
    """Per target and per code: findings, labelled, right; the wrong ones and the labelled ones gone."""
    by_key = {label_key(lab): lab for lab in labels}
    seen: set[Key] = set()
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in [*findings, "APIM001", "APIM002", "APIM003", "APIM004", "all"]:   # the table's order
        stats[group]["findings"] += 0
    wrong: list[dict] = []
    for target, fs in findings.items():
        for f in fs:
            k = key_of(target, f)
            seen.add(k)
            lab = by_key.get(k)
            for group in (target, f["code"], "all"):
                s = stats[group]
                s["findings"] += 1
                if lab is not None:
                    s["labelled"] += 1
                    s["right"] += bool(lab["right"])
            if lab is not None and not lab["right"]:
                wrong.append({**{k2: lab[k2] for k2 in ("target", "path", "line", "code", "api", "parameter")},
                              "why": lab["why"]})
    gone = [{**{k2: lab[k2] for k2 in ("target", "path", "line", "code", "api", "parameter")},
             "was_right": bool(lab["right"]), "why": lab["why"]}
            for k, lab in by_key.items() if k not in seen and lab["target"] in findings]
    table = {g: {**dict(s), "precision_pct": round(100.0 * s["right"] / s["labelled"], 1) if s["labelled"] else None}
             for g, s in stats.items()}
    return table, wrong, gone


def print_report(table: dict, wrong: list[dict], gone: list[dict]) -> None:
    con = Console(width=150)
    t = Table(title="check precision on third-party code against hand labels")
    for col in ("target / code", "findings", "labelled", "right", "precision %"):
        t.add_column(col, justify="left" if col == "target / code" else "right")
    for g, s in table.items():
        p = s["precision_pct"]
        t.add_row(g, str(s["findings"]), str(s.get("labelled", 0)), str(s.get("right", 0)),
                  "-" if p is None else f"{p:.1f}")
    con.print(t)
    lost = [g for g in gone if g["was_right"]]
    con.print(f"labelled findings check no longer reports: {len(gone)}, of which right (lost): {len(lost)}")
    for title, rows in ((f"wrong findings ({len(wrong)})", wrong), (f"right findings lost ({len(lost)})", lost)):
        if not rows:
            continue
        d = Table(title=title)
        for col in ("target", "path:line", "code", "api", "why"):
            d.add_column(col, overflow="fold")
        for x in rows:
            d.add_row(x["target"], f"{x['path']}:{x['line']}", x["code"],
                      x["api"] + (f" ({x['parameter']})" if x["parameter"] else ""), x["why"])
        con.print(d)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="check against this DB instead of scanning into a fresh one")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", action="store_true", help="print findings to label and exit")
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--per-target", type=int, default=30)
    ap.add_argument("--code", help="sample only findings of this code (APIM001..APIM004)")
    args = ap.parse_args()
    labels = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()] \
        if args.labels.exists() else []

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = given_or_scanned(args.db, tmp_name, args.jobs)
        _, versions = load_rows(db)
        targets = [installed_target(n) for n in INSTALLED] + [wheel_target(n, v, tmp) for n, v in WHEELS]
        findings: dict[str, list[dict]] = {}
        roots: dict[str, Path] = {}
        for target, folder, base in targets:
            findings[target] = check(target, folder, base, db, args.jobs)
            roots[target] = base
        if args.sample:
            labelled = {label_key(lab) for lab in labels}
            rng = random.Random(args.seed)
            for target, fs in findings.items():
                fs = [f for f in fs if args.code in (None, f["code"])]
                todo = sorted((f for f in fs if key_of(target, f) not in labelled),
                              key=lambda f: key_of(target, f)[1:4])
                done = sum(1 for f in fs if key_of(target, f) in labelled)
                for f in rng.sample(todo, max(0, min(len(todo), args.per_target - done))):
                    print(json.dumps(stub(target, roots[target], f), ensure_ascii=False))
            return
    table, wrong, gone = summarise(findings, labels)
    print_report(table, wrong, gone)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "check_command": "apimigrate check DIR --db DB --format json --isolated "
                         + " ".join(f"--select {lib}" for lib in SELECT) + " (less the target's own library)",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "libraries": versions,
        "targets": [t for t, _, _ in targets],
        "labels": str(args.labels.resolve().relative_to(HERE.resolve().parent))
        if args.labels.resolve().is_relative_to(HERE.resolve().parent) else str(args.labels),
        "table": table,
        "wrong": wrong,
        "gone": gone,
    }, indent=2) + "\n")


if __name__ == "__main__":
    main()
