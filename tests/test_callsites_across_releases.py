"""Typing values on a database of two releases, where the newest no longer takes what old code passes.

Found by a developer's audit with pandas 2.2.3 + 3.1.1 scanned: `df = df.fillna(method="ffill")`
went unreported, and made `df` unknown for the rest of the function (3.1.1's `fillna` takes no
`method` and wants a `value`, so no signature fitted and the rebinding lost the class); and
`index.dayofweek` on a `DatetimeIndex | PeriodIndex`, deprecated in both, was missed; and a
DataFrame's `iteritems()` (gone from pandas) was reported as numpy's `NpzFile.iteritems`.
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan.runner import scan

OLD = '''\
import warnings


class Frame:
    def fillna(self, value=None, method=None) -> "Frame":
        if method is not None:
            warnings.warn("Frame.fillna with 'method' is deprecated, use obj.ffill() instead.",
                          FutureWarning, stacklevel=2)
        return self

    def ffill(self) -> "Frame":
        return self


def read(path, sep=",", delim_whitespace=False) -> Frame:
    if delim_whitespace:
        warnings.warn("The 'delim_whitespace' keyword in read is deprecated, use sep=r'\\\\s+' instead.",
                      FutureWarning, stacklevel=2)
    return Frame()
'''

NEW = '''\
import warnings
from typing import Self


class Frame:
    def fillna(self, value, *, axis=None) -> Self:
        return self

    def ffill(self) -> Self:
        return self

    def first(self, offset):
        warnings.warn("Frame.first is deprecated and will be removed in a future version.",
                      FutureWarning, stacklevel=2)
        return self


class Group:
    def first(self):
        return self


class Stamps:
    @property
    def day_of_week(self):
        return 0

    @property
    def dayofweek(self):
        warnings.warn("Stamps.dayofweek is deprecated, use Stamps.day_of_week instead.",
                      FutureWarning, stacklevel=2)
        return self.day_of_week


class Periods:
    @property
    def day_of_week(self):
        return 0

    @property
    def dayofweek(self):
        warnings.warn("Periods.dayofweek is deprecated, use Periods.day_of_week instead.",
                      FutureWarning, stacklevel=2)
        return self.day_of_week


class Clock:
    @property
    def dayofweek(self):
        return 0


def read(path, sep=",") -> Frame:
    return Frame()
'''

ARCHIVE = '''\
import warnings


class Archive:
    def iteritems(self):
        warnings.warn("Archive.iteritems is deprecated, use Archive.items.", DeprecationWarning, stacklevel=2)
        return self.items()

    def items(self):
        return []
'''

USER = '''\
import typing
import arraylib
import framelib as fl


def load(path):
    df = fl.read(path, delim_whitespace=True)
    df = df.fillna(method="ffill")
    return df.first("3D")


def days(index: typing.Union[fl.Stamps, fl.Periods]):
    return index.dayofweek


def pairs(path, other):
    fl.read(path).iteritems()
    other.iteritems()
'''


def _release(root: Path, version: str, source: str, name: str = "framelib") -> Path:
    (root / name).mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "{version}"\n')
    (root / name / "__init__.py").write_text("from .core import *\n")
    (root / name / "core.py").write_text(source)
    return root


def test_a_keyword_only_an_older_release_takes_keeps_the_value_typed(tmp_path: Path):
    db, code = tmp_path / "k.db", tmp_path / "user.py"
    kb = open_db(db)
    try:
        for root, version, source in ((tmp_path / "v1", "1.0", OLD), (tmp_path / "v2", "2.0", NEW)):
            scan(kb, [str(_release(root, version, source))], show_progress=False, workers=1)
        scan(kb, [str(_release(tmp_path / "a1", "1.0", ARCHIVE, "arraylib"))], show_progress=False, workers=1)
    finally:
        kb.close()
    code.write_text(USER)
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code == 1, result.output
    assert [(f["line"], f["code"], f["api"], f["parameter"]) for f in json.loads(result.stdout)] == [
        (7, "APIM002", "framelib.read", "delim_whitespace"),
        (8, "APIM002", "framelib.Frame.fillna", "method"),        # `df` still a Frame when rebound
        (9, "APIM001", "framelib.Frame.first", None),             # `Group.first` lives: only as a Frame's
        # deprecated in both classes of the union, alike: whichever it is
        (13, "APIM001", "framelib.Stamps.dayofweek", None),
        # a Frame's `iteritems` is no other library's, though the file imports it
        (18, "APIM003", "arraylib.Archive.iteritems", None),     # unknown: by name
    ]
    fixed = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert fixed.exit_code in (0, 1), fixed.output
    assert code.read_text().splitlines()[12] == "    return index.day_of_week"
