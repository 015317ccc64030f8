"""Cold and warm (rescan) time for scanning the installed numpy, pandas, scipy and scikit-learn together.

    python benchmarks/scan_bench.py [--jobs N] [--repeat R]

Prints a table and writes benchmarks/results/scan_bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIBS = ["numpy", "pandas", "scipy", "scikit-learn"]
RESULTS = Path(__file__).parent / "results"


def _scan(db: Path, jobs: int) -> float:
    cmd = [sys.executable, "-m", "apimigrate.cli.main", "scan", *LIBS, "--db", str(db), "-q", "-j", str(jobs)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from apimigrate.db import open_db
    from apimigrate.scan.targets import installed_tree

    trees = [installed_tree(lib) for lib in LIBS]
    n_files = sum(len(t.files) for t in trees)
    n_lines = sum(sf.path.read_bytes().count(b"\n") for t in trees for sf in t.files)
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            cold.append(_scan(db, args.jobs))
            warm.append(_scan(db, args.jobs))
            stats = open_db(db).stats()
    cold_s, warm_s = sorted(cold)[len(cold) // 2], sorted(warm)[len(warm) // 2]
    result = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "libraries": {t.library: t.version for t in trees},
        "jobs": args.jobs, "files": n_files, "lines": n_lines,
        "cold_s_median": round(cold_s, 3), "warm_s_median": round(warm_s, 3),
        "cold_runs_s": [round(x, 3) for x in cold], "warm_runs_s": [round(x, 3) for x in warm],
        "cold_files_per_s": round(n_files / cold_s), "warm_files_per_s": round(n_files / warm_s),
        "per_library": stats,
        "note": "wall time of the whole `apimigrate scan` process (interpreter start included)",
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scan_bench.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'':10} {'time s':>8} {'files/s':>9}   ({n_files} files, {n_lines} lines, {args.jobs} jobs)")
    print(f"{'cold':10} {cold_s:8.2f} {n_files / cold_s:9.0f}   goal < 20 s")
    print(f"{'rescan':10} {warm_s:8.2f} {n_files / warm_s:9.0f}   goal < 2 s")
    print("\nlibrary        deprecations  with replacement  removed_in set")
    for s in stats:
        print(f"{s['library']:14} {s['deprecations']:12} {s['with_replacement']:17} {s['removed']:8}")


if __name__ == "__main__":
    main()
