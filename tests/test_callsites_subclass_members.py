"""A value of a library class that lacks the member used is of the class's subclasses that have it
(`callsites/index.py` `narrowed`): `pd.Index(dates).floor("H")` holds a DatetimeIndex or a
TimedeltaIndex, else the call fails, so the subclasses' deprecations are the call's when they
agree: one definition shared, or their own definitions deprecating the same keywords alike.

A made-up library cut to pandas' shape: `Index` without `floor`, two subclasses each defining it
and deprecating `how` alike, a `round` they deprecate apart, and a live `Stamp.floor(how=)` that
keeps a call of unknown receiver from being found by name. A keyword only one method of the name
deprecates is no by-name finding either when a namesake takes it live (`TimedeltaIndex.round`).
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex
from apimigrate.cli.main import app
from apimigrate.db import open_db
from scan_support import scanned_db

_WARN = "        if how is not None:\n            warnings.warn({msg!r}, FutureWarning, stacklevel=2)\n"
_FLOOR = "    def floor(self, freq, how=None):\n" + _WARN.format(
    msg="The 'how' keyword of floor is deprecated and will be removed in a future version.") + "        return self\n"

CORE = f'''\
import warnings


class Index:
    def __init__(self, data):
        self.data = data

    def union(self, other) -> "Index":
        return Index(self.data + other.data)


class DatetimeIndex(Index):
{_FLOOR}
    def round(self, freq, how=None):
{_WARN.format(msg="The 'how' keyword of round is deprecated and will be removed in a future version.")}        return self

    def shift_old(self):
        warnings.warn("shift_old is deprecated, use shift instead", FutureWarning, stacklevel=2)
        return self

    def shift(self):
        return self


class TimedeltaIndex(Index):
{_FLOOR}
    def round(self, freq, how=None):
        return self


class BusinessIndex(DatetimeIndex):
    pass


class Stamp:
    def floor(self, freq, how=None):
        return self
'''

LIB = {
    "tidx/__init__.py": "from tidx.core import BusinessIndex, DatetimeIndex, Index, Stamp, TimedeltaIndex\n"
                        "__all__ = ['Index', 'DatetimeIndex', 'TimedeltaIndex', 'BusinessIndex', 'Stamp']\n",
    "tidx/core.py": CORE,
}

USER = '''\
import tidx

idx = tidx.Index([1])
idx.floor("D", how="start")
idx.union(idx).floor("D", how="start")
idx.floor("D")
idx.round("D", how="start")
idx.shift_old()
unknown.floor("D", how="start")
tidx.Stamp().floor("D", how="start")
'''


def test_a_member_only_subclasses_have_is_judged_as_theirs(tmp_path: Path):
    db, rows = scanned_db(tmp_path, "tidx", "1.0", LIB)
    assert ("tidx.DatetimeIndex.floor", "how") in rows and ("tidx.TimedeltaIndex.floor", "how") in rows
    user = tmp_path / "user.py"
    user.write_text(USER)
    result = CliRunner().invoke(app, ["check", str(user), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code == 1, result.output
    found = [(f["line"], f["code"], f["api"], f.get("parameter")) for f in json.loads(result.stdout)]
    assert found == [
        (4, "APIM002", "tidx.DatetimeIndex.floor", "how"),      # DatetimeIndex's or TimedeltaIndex's, alike
        (5, "APIM002", "tidx.DatetimeIndex.floor", "how"),      # an Index a method returns
        # `round`: deprecated apart, so not judged as the subclasses'; nor by name, the one `round`
        # with deprecated keywords: TimedeltaIndex's takes `how` live, and may be the one called
        (8, "APIM001", "tidx.DatetimeIndex.shift_old", None),   # one subclass line has it
        # `unknown.floor(how=)` and `Stamp().floor(how=)`: Stamp's takes it live
    ]


def test_the_highest_subclass_of_each_line_that_has_the_member_stands_for_the_line(tmp_path: Path):
    db, _ = scanned_db(tmp_path, "tidx", "1.0", LIB)
    kb = open_db(db)
    try:
        index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    finally:
        kb.close()
    assert index.subclasses_having(["tidx.Index"], "floor") == ["tidx.DatetimeIndex", "tidx.TimedeltaIndex"]
    assert index.subclasses_having(["tidx.Index"], "shift_old") == ["tidx.DatetimeIndex"]     # not BusinessIndex too
    assert index.subclasses_having(["tidx.Index"], "nothing") == []
    assert index.narrowed("tidx.Index", "floor") == "tidx.DatetimeIndex"
    assert index.narrowed("tidx.Index", "round") is None             # deprecated apart
    assert index.narrowed("tidx.Index", "union") == "tidx.Index"      # its own: no subclass asked
    assert index.narrowed("tidx.Stamp", "round") is None              # no subclass has it
