"""A plain scan of a library with and without taking identical files' facts from other releases.

    python benchmarks/scan_reuse.py [LIBRARY] [--jobs N]      (default: pandas)

A plain scan of pandas 3.1.1 reads its five older minor releases too (their notes and code); a
module one release shares byte for byte with another already stored is not read again
(scan/reading.py, `facts_elsewhere`). This scans LIBRARY into two fresh databases, one run with
that reuse switched off, one with it, back to back, and checks that both store the same rows.
Prints a table and writes benchmarks/results/scan_reuse.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _rows(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(deprecations)") if r[1] != "id"]
        return sorted(con.execute(f"SELECT {', '.join(cols)} FROM deprecations").fetchall())
    finally:
        con.close()


def _scan(library: str, db: Path, jobs: int, reuse: bool) -> tuple[float, list]:
    from apimigrate.db import open_db
    from apimigrate.scan import runner
    from apimigrate.scan.reading import Reading
    Reading.reuse = reuse
    kb = open_db(db)
    try:
        t0 = time.perf_counter()
        reports = runner.scan(kb, [library], show_progress=False, workers=jobs)
        return time.perf_counter() - t0, reports
    finally:
        kb.close()
        Reading.reuse = True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("library", nargs="?", default="pandas")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for reuse in (False, True):
            db = Path(tmp) / f"{'with' if reuse else 'without'}.db"
            seconds, reports = _scan(args.library, db, args.jobs, reuse)
            runs[reuse] = {"seconds": round(seconds, 1), "rows": _rows(db),
                           "releases": [{"version": r.version, "files": r.files, "read": r.read, "reused": r.reused}
                                        for r in reports]}
    same = runs[False]["rows"] == runs[True]["rows"]
    result = {
        "command": " ".join(["python", *sys.argv]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "jobs": args.jobs, "library": args.library,
        "without_reuse_s": runs[False]["seconds"], "with_reuse_s": runs[True]["seconds"],
        "rows": len(runs[True]["rows"]), "same_rows": same,
        "releases": runs[True]["releases"],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scan_reuse.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'release':10} {'files':>6} {'read':>6} {'reused':>7}")
    for r in result["releases"]:
        print(f"{r['version']:10} {r['files']:6} {r['read']:6} {r['reused']:7}")
    print(f"without reuse {result['without_reuse_s']} s, with {result['with_reuse_s']} s; "
          f"{result['rows']} rows, {'the same' if same else 'DIFFERENT'} in both")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
