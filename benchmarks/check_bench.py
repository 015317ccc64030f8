"""`apimigrate check` throughput over the installed pandas source, and LSP latency per edit.

    python benchmarks/check_bench.py [--db PATH] [--target DIR] [--jobs N] [--repeat R] [--section NAME ...]

Sections (each writes its own key of benchmarks/results/check_bench.json, so
running one section keeps the others' last results):

- check: lines/s of `apimigrate check` (the CLI, end to end: start-up, walk,
  process pool, JSON output), of the same work in-process with 1 and N workers,
  and tree-sitter parse alone on one core (the floor the resolver adds to).

- lsp: keystroke-to-publishDiagnostics latency (p50, p95) of `apimigrate lsp`
  over stdio while typing in a --lsp-lines (default 5,000) line module; the
  measurement is benchmarks/lsp_latency.py's (run that script for the full
  5k/20k-line table in results/lsp_latency.json).

Without --db the DB is built from REAL_ROWS below: real numpy/pandas/scipy
deprecations, written through the DB API like `apimigrate scan` does.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).parent / "results" / "check_bench.json"

# (api, kind, replacement, since, removed_in, parameter, new_parameter)
REAL_ROWS = [
    ("numpy.row_stack", "function", "numpy.vstack", "2.0", None, None, None),
    ("numpy.product", "function", "numpy.prod", "1.25", "2.0", None, None),
    ("numpy.cumproduct", "function", "numpy.cumprod", "1.25", "2.0", None, None),
    ("numpy.sometrue", "function", "numpy.any", "1.25", "2.0", None, None),
    ("numpy.alltrue", "function", "numpy.all", "1.25", "2.0", None, None),
    ("numpy.round_", "function", "numpy.round", "1.25", "2.0", None, None),
    ("numpy.in1d", "function", "numpy.isin", "2.0", None, None, None),
    ("numpy.trapz", "function", "numpy.trapezoid", "2.0", None, None, None),
    ("numpy.msort", "function", None, "1.24", "2.0", None, None),
    ("numpy.find_common_type", "function", "numpy.result_type", "1.25", "2.0", None, None),
    ("numpy.asfarray", "function", None, "2.0", "2.0", None, None),
    ("numpy.NaN", "attribute", "numpy.nan", "2.0", "2.0", None, None),
    ("numpy.Inf", "attribute", "numpy.inf", "2.0", "2.0", None, None),
    ("numpy.NINF", "attribute", None, "2.0", "2.0", None, None),
    ("numpy.float_", "class", "numpy.float64", "2.0", "2.0", None, None),
    ("numpy.complex_", "class", "numpy.complex128", "2.0", "2.0", None, None),
    ("numpy.unicode_", "class", "numpy.str_", "2.0", "2.0", None, None),
    ("numpy.string_", "class", "numpy.bytes_", "2.0", "2.0", None, None),
    ("numpy.core", "module", "numpy._core", "2.0", None, None, None),
    ("numpy.linalg.linalg", "module", "numpy.linalg", "2.0", None, None, None),
    ("pandas.DataFrame.applymap", "method", "pandas.DataFrame.map", "2.1.0", None, None, None),
    ("pandas.io.formats.style.Styler.applymap", "method", "pandas.io.formats.style.Styler.map", "2.1.0", None, None, None),
    ("pandas.DataFrame.append", "method", "pandas.concat", "1.4.0", "2.0", None, None),
    ("pandas.Series.append", "method", "pandas.concat", "1.4.0", "2.0", None, None),
    ("pandas.DataFrame.iteritems", "method", "pandas.DataFrame.items", "1.5.0", "2.0", None, None),
    ("pandas.Series.iteritems", "method", "pandas.Series.items", "1.5.0", "2.0", None, None),
    ("pandas.DataFrame.swapaxes", "method", "pandas.DataFrame.transpose", "2.1.0", None, None, None),
    ("pandas.DataFrame.pad", "method", "pandas.DataFrame.ffill", "2.0", None, None, None),
    ("pandas.DataFrame.backfill", "method", "pandas.DataFrame.bfill", "2.0", None, None, None),
    ("pandas.Series.ravel", "method", None, "2.2.0", None, None, None),
    ("pandas.Series.view", "method", "pandas.Series.astype", "2.2.0", None, None, None),
    ("pandas.DataFrame.bool", "method", None, "2.1.0", None, None, None),
    ("pandas.io.json.json_normalize", "function", "pandas.json_normalize", "1.0.0", None, None, None),
    ("pandas.util.testing", "module", "pandas.testing", "1.0.0", "2.0", None, None),
    ("pandas.Int64Index", "class", "pandas.Index", "1.4.0", "2.0", None, None),
    ("pandas.Float64Index", "class", "pandas.Index", "1.4.0", "2.0", None, None),
    ("pandas.api.types.is_categorical_dtype", "function", None, "2.1.0", None, None, None),
    ("pandas.api.types.is_period_dtype", "function", None, "2.1.0", None, None, None),
    ("pandas.api.types.is_interval_dtype", "function", None, "2.1.0", None, None, None),
    ("pandas.api.types.is_datetime64tz_dtype", "function", None, "2.1.0", None, None, None),
    ("pandas.read_csv", "parameter", None, "2.2.0", None, "delim_whitespace", None),
    ("pandas.read_csv", "parameter", None, "2.0.0", None, "infer_datetime_format", None),
    ("pandas.to_datetime", "parameter", None, "2.0.0", None, "infer_datetime_format", None),
    ("pandas.DataFrame.fillna", "parameter", None, "2.1.0", None, "method", None),
    ("pandas.DataFrame.groupby", "parameter", None, "2.1.0", None, "axis", None),
    ("pandas.DataFrame.to_excel", "parameter", None, "1.5.0", "2.0", "encoding", None),
    ("scipy.integrate.simps", "function", "scipy.integrate.simpson", "1.12.0", "1.14.0", None, None),
    ("scipy.integrate.trapz", "function", "scipy.integrate.trapezoid", "1.12.0", "1.14.0", None, None),
    ("scipy.integrate.cumtrapz", "function", "scipy.integrate.cumulative_trapezoid", "1.12.0", "1.14.0", None, None),
    ("scipy.misc", "module", None, "1.10.0", "1.12.0", None, None),
]


def build_db(path: Path) -> int:
    from apimigrate.db import Deprecation, Evidence, open_db
    kb = open_db(path)
    with kb.transaction():
        for api, kind, repl, since, removed, param, new_param in REAL_ROWS:
            lib = api.split(".")[0]
            kb.upsert_deprecation(Deprecation(
                library=lib, api=api, kind=kind, replacement=repl, since=since, removed_in=removed,
                parameter=param, new_parameter=new_param, message=f"{api} is deprecated", drop_in=bool(repl),
                evidence=[Evidence("warning", f"{lib}/__init__.py", 1, since, "warnings.warn(...)")]),
                seen_in=since)
    n = len(kb.deprecations())
    kb.close()
    return n


def build_index():
    """The benchmark rows as the resolver's index (a throwaway DB in between, as the tools read it)."""
    from apimigrate.callsites import DeprecationIndex
    from apimigrate.db import open_db

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        build_db(db)
        kb = open_db(db)
        index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
        kb.close()
    return index


def _cli_cmd() -> list[str]:
    """The `apimigrate` console script of this interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).parent / "apimigrate"
    script = str(beside) if beside.exists() else shutil.which("apimigrate")
    if script is None:
        raise SystemExit("no `apimigrate` console script: pip install -e . in this environment first")
    return [script, "check"]


def cpu_ticks() -> tuple[int, int]:
    """(steal, total) jiffies of all CPUs from /proc/stat; (0, 0) where there is none.

    These VMs share their host: time stolen by other guests during a run is
    recorded with the result, so a slow figure can be told from a slow program."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 3) if total > 0 else None


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def bench_check(args: argparse.Namespace, db: Path) -> dict:
    from apimigrate.callsites import parse
    from apimigrate.check import iter_python_files, run_files
    from apimigrate.db import open_db

    target = Path(args.target)
    files = list(iter_python_files([target]))
    datas = [f.read_bytes() for f in files]
    lines = sum(d.count(b"\n") for d in datas)
    kb = open_db(db)
    rows, classes = kb.deprecations(), kb.class_facts()
    kb.close()

    parse_s, _ = _best(lambda: [parse(d) for d in datas], 1)
    one_s, res1 = _best(lambda: run_files(files, rows, classes=classes, jobs=1), 1)
    n_s, resn = _best(lambda: run_files(files, rows, classes=classes, jobs=args.jobs), args.repeat)
    cmd = _cli_cmd() + [str(target), "--db", str(db), "--format", "json", "-j", str(args.jobs)]

    def cli() -> subprocess.CompletedProcess:
        return subprocess.run(cmd, capture_output=True, text=True)
    cli_s, proc = _best(cli, args.repeat)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"check failed ({proc.returncode}): {proc.stderr[-2000:]}")
    findings = json.loads(proc.stdout)
    return {
        "target": str(target), "files": len(files), "lines": lines, "db_rows": len(rows),
        "jobs": args.jobs, "repeat": args.repeat,
        "findings": len(findings),
        "findings_by_code": {c: sum(1 for f in findings if f["code"] == c) for c in ("APIM001", "APIM002", "APIM003")},
        "fixable": sum(f["fixable"] for f in findings),
        "syntax_errors": sum(1 for r in resn if r.error),
        "same_findings_1_vs_n_jobs": sum(len(r.findings) for r in res1) == sum(len(r.findings) for r in resn),
        "parse_only_1core_s": round(parse_s, 3), "parse_only_1core_lines_per_s": round(lines / parse_s),
        "check_1job_s": round(one_s, 3), "check_1job_lines_per_s": round(lines / one_s),
        "check_njobs_s": round(n_s, 3), "check_njobs_lines_per_s": round(lines / n_s),
        "cli_s": round(cli_s, 3), "cli_lines_per_s": round(lines / cli_s),
        "cli_command": " ".join(cmd),
        "goal_lines_per_s": 200_000, "goal_met": lines / cli_s >= 200_000,
    }


def bench_lsp(args: argparse.Namespace, db: Path) -> dict:
    import asyncio

    from lsp_latency import GOAL_P95_MS, measure

    r = asyncio.run(measure(db, args.lsp_lines, args.lsp_keys, seed=0))
    r["goal_p95_ms"] = GOAL_P95_MS
    r["goal_met"] = r["all"]["p95_ms"] < GOAL_P95_MS
    return r


SECTIONS: dict[str, Callable[[argparse.Namespace, Path], dict]] = {"check": bench_check, "lsp": bench_lsp}


def _lsp_table(r: dict) -> str:
    out = [f"{r['file_lines']:,}-line module, {r['findings_at_open']} findings at open, open {r['open_ms']} ms",
           f"{'edits':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
    for kind, s in [("all keystrokes", r["all"]), *r["by_kind"].items()]:
        out.append(f"{kind:24} {s['n']:5} {s['p50_ms']:8.1f} {s['p95_ms']:8.1f} {s['max_ms']:8.1f}")
    out.append(f"goal p95 < {r['goal_p95_ms']:.0f} ms: {'met' if r['goal_met'] else 'NOT met'}; "
               f"final diagnostics match a fresh check: {r['final_diagnostics_match_fresh_check']}")
    return "\n".join(out)


def _table(name: str, r: dict) -> str:
    if name == "lsp":
        return _lsp_table(r)
    rows = [
        ("tree-sitter parse only, 1 core", r["parse_only_1core_s"], r["parse_only_1core_lines_per_s"]),
        ("check in-process, 1 job", r["check_1job_s"], r["check_1job_lines_per_s"]),
        (f"check in-process, {r['jobs']} jobs", r["check_njobs_s"], r["check_njobs_lines_per_s"]),
        (f"apimigrate check CLI, {r['jobs']} jobs", r["cli_s"], r["cli_lines_per_s"]),
    ]
    out = [f"{r['files']} files, {r['lines']:,} lines, {r['db_rows']} DB rows, {r['findings']} findings "
           f"({r['findings_by_code']}, {r['fixable']} fixable)",
           f"{'run':40} {'seconds':>8} {'lines/s':>10}"]
    out += [f"{a:40} {b:8.3f} {c:10,}" for a, b, c in rows]
    out.append(f"goal {r['goal_lines_per_s']:,} lines/s: {'met' if r['goal_met'] else 'NOT met'}")
    return "\n".join(out)


def main() -> None:
    import pandas
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a DB to use (default: one built from REAL_ROWS)")
    ap.add_argument("--target", default=str(Path(pandas.__file__).parent))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--section", action="append", choices=sorted(SECTIONS))
    ap.add_argument("--lsp-lines", type=int, default=5000, help="module size for the lsp section")
    ap.add_argument("--lsp-keys", type=int, default=600, help="recorded keystrokes for the lsp section")
    args = ap.parse_args()

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.setdefault("sections", {})
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.db"
            build_db(db)
        for name in args.section or list(SECTIONS):
            load = [round(x, 2) for x in os.getloadavg()]
            ticks = cpu_ticks()
            r = SECTIONS[name](args, db)
            r["cpu_steal_share"] = steal_share(ticks, cpu_ticks())
            r["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
            r["load_avg_start"] = load
            r["command"] = "python " + " ".join([sys.argv[0], *sys.argv[1:]])
            r["db"] = "REAL_ROWS (benchmarks/check_bench.py)" if args.db is None else str(args.db)
            results["sections"][name] = r
            print(f"== {name} (CPU steal by other guests: {r['cpu_steal_share']})\n{_table(name, r)}")
    results["command"] = "python " + " ".join([sys.argv[0], *sys.argv[1:]])
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
