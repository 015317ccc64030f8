"""Time of the Python extractor alone over the installed packages' .py files, in this process.

    python benchmarks/extract_bench.py [PACKAGE ...]      (default: scipy pandas)

What a scan spends reading code, without fetching, hashing or the database: a change to
scan/python_source.py (or what it calls, scan/forwarding.py) shows here first. Prints a table and
writes benchmarks/results/extract_bench.json. To compare with an older commit, run the same command
from a `git worktree` of it with PYTHONPATH set to that worktree.
"""
from __future__ import annotations

import importlib
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

from apimigrate.scan.python_source import extract_python

RESULTS = Path(__file__).parent / "results"


def _package_seconds(name: str) -> tuple[float, int]:
    root = Path(importlib.import_module(name).__file__).parent
    total, files = 0.0, 0
    for path in sorted(root.rglob("*.py")):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        data = path.read_bytes()
        start = time.perf_counter()
        extract_python(data, str(path), module)
        total += time.perf_counter() - start
        files += 1
    return total, files


def main() -> None:
    names = sys.argv[1:] or ["scipy", "pandas"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    rows = []
    for name in names:
        seconds, files = _package_seconds(name)
        version = importlib.import_module(name).__version__
        rows.append({"package": name, "version": version, "files": files, "seconds": round(seconds, 2)})
    print(f"{'package':<14}{'version':<10}{'files':>7}{'seconds':>9}")
    for r in rows:
        print(f"{r['package']:<14}{r['version']:<10}{r['files']:>7}{r['seconds']:>9.2f}")
    RESULTS.mkdir(exist_ok=True)
    out = {"command": "python benchmarks/extract_bench.py " + " ".join(names), "commit": commit,
           "python": platform.python_version(), "rows": rows}
    (RESULTS / "extract_bench.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
