"""Do the frequency-alias rows of a pandas scan hold on the installed pandas?

    python benchmarks/alias_runtime.py [--db PATH]

For each API below, every value its `freq` row deprecates is passed to the installed pandas: a row
is right for a value when the call warns (FutureWarning / DeprecationWarning) or raises, and a
value that does neither is listed as silent. A few values the API takes as they are ("h", "min",
and a period's "M", "Q", "W", "D") are checked to be in no row. The database is `--db`, else a
fresh `apimigrate scan pandas`. Results: benchmarks/results/alias_runtime.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).parent / "results" / "alias_runtime.json"
VALID_ANYWHERE = ["'h'", "'min'", "'D'"]
VALID_FOR_PERIODS = ["'M'", "'Q'", "'W'"]


def calls():
    """(row api, whether it takes periods, a call passing the value)."""
    import pandas as pd
    idx = pd.date_range("2020", periods=2, freq="D")
    periods = idx.to_period("D")
    return [
        ("pandas.date_range", False, lambda v: pd.date_range("2020", periods=2, freq=v)),
        ("pandas.timedelta_range", False, lambda v: pd.timedelta_range("1 day", periods=2, freq=v)),
        ("pandas.DatetimeIndex.floor", False, lambda v: idx.floor(v)),
        ("pandas.core.indexes.accessors.DatetimeProperties.round", False, lambda v: pd.Series(idx).dt.round(v)),
        ("pandas.DatetimeIndex.to_period", True, lambda v: idx.to_period(v)),
        ("pandas.PeriodIndex.asfreq", True, lambda v: periods.asfreq(v)),
        ("pandas.period_range", True, lambda v: pd.period_range("2020", periods=2, freq=v)),
        ("pandas.Period", True, lambda v: pd.Period("2020", freq=v)),
    ]


def outcome(call, value: str) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call(value)
        except Exception:  # noqa: BLE001 - any error is the alias refused
            return "raise"
    return "warn" if any(issubclass(w.category, (FutureWarning, DeprecationWarning)) for w in caught) else "silent"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    import sqlite3

    import pandas as pd
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "k.db"
        if args.db is None:
            subprocess.run([sys.executable, "-m", "apimigrate.cli.main", "scan", "pandas", "--db", str(db)],
                           check=True, capture_output=True)
        con = sqlite3.connect(db)
        out = []
        for api, takes_periods, call in calls():
            row = con.execute("select param_values from deprecations where api = ? and parameter = 'freq'",
                              (api,)).fetchone()
            values = sorted(json.loads(row[0])) if row and row[0] else []
            seen = {"raise": 0, "warn": 0, "silent": []}
            for literal in values:
                result = outcome(call, literal[1:-1])
                if result == "silent":
                    seen["silent"].append(literal)
                else:
                    seen[result] += 1
            valid = VALID_ANYWHERE + (VALID_FOR_PERIODS if takes_periods else [])
            out.append({"api": api, "values": len(values), "raise": seen["raise"], "warn": seen["warn"],
                        "silent": seen["silent"], "valid_in_row": [v for v in valid if v in values]})
        con.close()
    table = Table(title=f"frequency-alias rows against pandas {pd.__version__}")
    for col in ("api", "values", "raise", "warn", "silent", "valid values in the row"):
        table.add_column(col)
    for r in out:
        table.add_row(r["api"], str(r["values"]), str(r["raise"]), str(r["warn"]), " ".join(r["silent"]) or "-",
                      " ".join(r["valid_in_row"]) or "-")
    Console().print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "pandas": pd.__version__, "rows": out}, indent=2) + "\n")


if __name__ == "__main__":
    main()
