"""A cold scan of the installed numpy, pandas, scipy and scikit-learn at Python's own collection pace
and at the scan's (scan/gc_pace.py), run alternately: wall time, CPU and peak memory.

    python benchmarks/gc_pace.py [--repeat R] [--jobs N]

Each scan is a fresh `apimigrate scan ... -q` process into a fresh database, with
APIMIGRATE_SCAN_GC set to 700,10,10 (Python's default) or left unset (the scan's pace); CPU and
peak RSS are those of the scan and its workers (the largest process), read from a wrapper process
that waits for it. Prints a table and writes benchmarks/results/gc_pace.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LIBS = ["numpy", "pandas", "scipy", "scikit-learn"]
RESULTS = Path(__file__).parent / "results"
PACES = {"python's own (700,10,10)": "700,10,10", "the scan's": None}

# runs the scan as its child and reports what the child and its workers used
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": wall, "user_s": r.ru_utime, "sys_s": r.ru_stime, "max_rss_mib": r.ru_maxrss / 1024}))
"""


def _scan(db: Path, jobs: int, pace: str | None) -> dict:
    env = dict(os.environ)
    env.pop("APIMIGRATE_SCAN_GC", None)
    if pace is not None:
        env["APIMIGRATE_SCAN_GC"] = pace
    cmd = [sys.executable, "-c", _WRAPPER,
           sys.executable, "-m", "apimigrate.cli.main", "scan", *LIBS, "--db", str(db), "-q", "-j", str(jobs)]
    out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    runs: dict[str, list[dict]] = {name: [] for name in PACES}
    for _ in range(args.repeat):
        for name, pace in PACES.items():        # alternately: the machine's speed drifts
            with tempfile.TemporaryDirectory() as tmp:
                runs[name].append(_scan(Path(tmp) / "bench.db", args.jobs, pace))
    rows = []
    for name, these in runs.items():
        med = {k: round(statistics.median(r[k] for r in these), 2) for k in ("wall_s", "user_s", "max_rss_mib")}
        rows.append({"pace": name, **med, "runs": these})
    print(f"{'pace':28} {'wall s':>8} {'user CPU s':>11} {'peak RSS MiB':>13}")
    for row in rows:
        print(f"{row['pace']:28} {row['wall_s']:>8} {row['user_s']:>11} {row['max_rss_mib']:>13}")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    result = {"command": " ".join(["python", *sys.argv]), "commit": commit, "jobs": args.jobs,
              "repeat": args.repeat, "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "note": "medians; each run a cold scan into a fresh database, the two paces alternately",
              "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gc_pace.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
