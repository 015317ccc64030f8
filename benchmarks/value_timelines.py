"""The uses of parameter rows whose dates are not their row's: what `check`, the hover and `db show` say
differently since each deprecated value, and passing the parameter at all, has its own.

    apimigrate scan scikit-learn==1.1.3 scikit-learn --db sk.db
    python benchmarks/value_timelines.py sk.db [more.db ...]

For each database, every use a call can make of a parameter row (`check` reports the keyword of a row
that deprecates any use, a value of one that deprecates values) whose since, removed_in or removal
(records.dated: its own, else the row's) differs from its row's, and how many there are.
"""
from __future__ import annotations

import sys

from apimigrate.db import open_db
from apimigrate.db.records import TIMELINE_ANY, TIMELINE_VALUES, USE_ANY, dated, timelines_of, usage_of


def _dates(row: dict) -> tuple:
    return row.get("since"), row.get("removed_in"), row.get("removal")


def apart(path: str) -> list[str]:
    kb = open_db(path)
    try:
        rows = kb.deprecations()
    finally:
        kb.close()
    lines = []
    for row in rows:
        timelines = timelines_of(row)
        # where any use is deprecated `check` reports the keyword, whatever value it passes
        if USE_ANY in usage_of(row):
            uses = [("keyword", None)] if TIMELINE_ANY in timelines else []
        else:
            uses = [("value", value) for value in timelines.get(TIMELINE_VALUES, {})]
        for kind, value in uses:
            if _dates(dated(row, kind, value)) != _dates(row):
                lines.append(f"{row['api']}({row['parameter']}={value or '...'}): row {_dates(row)} -> "
                             f"use {_dates(dated(row, kind, value))}")
    return lines


def main(paths: list[str]) -> None:
    for path in paths:
        lines = apart(path)
        print(f"{path}: {len(lines)} uses dated apart from their rows")
        for line in lines:
            print("  " + line)


if __name__ == "__main__":
    main(sys.argv[1:])
