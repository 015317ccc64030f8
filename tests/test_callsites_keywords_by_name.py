"""A deprecated keyword on a library value of unknown class (`df["a"].fillna(method="ffill")`).

`df` is a known DataFrame, `df["a"]` some value of the library (its `__getitem__` says no more).
Several classes deprecate `fillna(method=)`; the call is deprecated whichever of them the value
is, unless some live `fillna` of the library still takes `method`. The scan stores what each
member's def accepts, and the index decides keyword by keyword from that.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan.runner import scan

GENERIC = '''\
import warnings


class NDFrame:
    def fillna(self, value=None, *, method=None, axis=None, limit=None):
        if method is not None:
            warnings.warn("NDFrame.fillna with 'method' is deprecated. Use obj.ffill() or obj.bfill() instead.",
                          FutureWarning, stacklevel=2)
        return self

    def to_frame(self) -> "NDFrame":
        return self

    def ffill(self, *, axis=None, inplace=False, limit=None):
        return self

    def bfill(self, *, axis=None, inplace=False, limit=None):
        return self

    def backfill(self, *, axis=None, inplace=False, limit=None):
        return self


def read_table(path) -> NDFrame:
    return NDFrame()


def read_sheet(path) -> NDFrame:
    return NDFrame()
'''

ARRAYS = '''\
import warnings


class ExtensionArray:
    def fillna(self, value=None, method=None, limit=None):
        if method is not None:
            warnings.warn("The 'method' keyword in ExtensionArray.fillna is deprecated.",
                          FutureWarning, stacklevel=2)
        if limit is not None:
            warnings.warn("The 'limit' keyword in ExtensionArray.fillna is deprecated.",
                          FutureWarning, stacklevel=2)
        return self


class SparseArray(ExtensionArray):
    # hands `method` on to the base class, which warns: deprecated here too
    def fillna(self, value=None, method=None, limit=None):
        return super().fillna(value=value, method=method, limit=limit)


def make_array(values) -> ExtensionArray:
    return ExtensionArray()
'''

INDEX = '''\
class Index:
    def fillna(self, value):
        return self
'''

LIVE_METHOD = '''\
class Interpolator:
    def fillna(self, value=None, method="linear"):
        return self
'''

SPLAT = '''\
class Wrapper:
    def fillna(self, *args, **kwargs):
        return self
'''

USER = '''\
import filllib as fl

frame = fl.read_table("x")
frame["a"].fillna(method="ffill")
frame["a"].fillna(0, limit=3)
frame["a"].fillna(0)
frame.column.fillna(method="bfill")
frame.to_frame.fillna(method="pad")
load().fillna(method="ffill")
def f(x):
    return x.fillna(method="ffill")
'''


def make_lib(root: Path, *extra: str) -> Path:
    pkg = root / "filllib"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "filllib"\nversion = "2.0"\n')
    (pkg / "generic.py").write_text(GENERIC)
    (pkg / "arrays.py").write_text(ARRAYS)
    (pkg / "index.py").write_text(INDEX)
    exports = ["NDFrame", "ExtensionArray", "SparseArray", "Index", "read_table", "read_sheet", "make_array"]
    lines = ["from .generic import NDFrame, read_table, read_sheet",
             "from .arrays import ExtensionArray, SparseArray, make_array", "from .index import Index"]
    for i, source in enumerate(extra):
        (pkg / f"extra{i}.py").write_text(source)
        cls = source.split("class ", 1)[1].split(":", 1)[0]
        lines.append(f"from .extra{i} import {cls}")
        exports.append(cls)
    (pkg / "__init__.py").write_text("\n".join(lines) + f"\n__all__ = {exports!r}\n")
    return root


def filllib_findings(tmp_path: Path, *extra: str, source: str = USER) -> list[tuple[int, str | None, str]]:
    db, code = tmp_path / "k.db", tmp_path / "user.py"
    kb = open_db(db)
    scan(kb, [str(make_lib(tmp_path / "lib", *extra))], show_progress=False, workers=1)
    kb.close()
    code.write_text(source)
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code in (0, 1), result.output
    return [(f["line"], f.get("parameter"), f["api"]) for f in json.loads(result.stdout)]


def filllib_fixed(tmp_path: Path, *extra: str, source: str) -> str:
    """The source after `apimigrate fix` with a DB of filllib (and `extra` modules)."""
    filllib_findings(tmp_path, *extra, source=source)
    code = tmp_path / "user.py"
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(tmp_path / "k.db")])
    assert result.exit_code in (0, 1), result.output
    return code.read_text()


def test_scan_stores_what_each_member_accepts(tmp_path: Path):
    filllib_findings(tmp_path, SPLAT)
    kb = open_db(tmp_path / "k.db")
    params = kb.member_parameters()
    assert params["filllib.NDFrame.fillna"] == {"self", "value", "method", "axis", "limit"}
    assert params["filllib.Index.fillna"] == {"self", "value"}
    assert params["filllib.Wrapper.fillna"] == {"**"}          # any keyword
    assert "filllib.NDFrame.fillna" in kb.class_facts().parameters
    kb.close()


def test_a_keyword_every_taker_deprecates_is_found_on_a_library_value_of_unknown_class(tmp_path: Path):
    assert filllib_findings(tmp_path) == [
        # NDFrame and ExtensionArray deprecate it, SparseArray's override hands it to the
        # base class, Index takes no `method`: the class the library hands out most is named
        (4, "method", "filllib.NDFrame.fillna"),
        # `limit`: only ExtensionArray deprecates it, NDFrame.fillna takes it live
        (7, "method", "filllib.NDFrame.fillna"),     # an attribute NDFrame lacks: a column
        # line 8: a method NDFrame defines (a bound method has no fillna); lines 9 and 11: values
        # of unknown origin, which may be another library's (xarray's `reindex(copy=)` is live)
    ]


@pytest.mark.parametrize("namesake", [LIVE_METHOD, SPLAT], ids=["takes-method", "takes-kwargs"])
def test_a_live_namesake_that_takes_the_keyword_keeps_it_from_being_found(tmp_path: Path, namesake: str):
    assert filllib_findings(tmp_path, namesake) == []


def test_a_known_receiver_is_still_judged_by_its_own_class(tmp_path: Path):
    source = ('import filllib as fl\nframe = fl.read_table("x")\nframe["a"].fillna(method="ffill")\n'
              'frame.fillna(method="ffill")\nfl.make_array([1]).fillna(0, limit=3)\nfl.Index().fillna(method="x")\n')
    assert filllib_findings(tmp_path, LIVE_METHOD, source=source) == [
        # line 3, `frame["a"]`, might be an Interpolator now; `frame` itself is an NDFrame
        (4, "method", "filllib.NDFrame.fillna"),
        (5, "limit", "filllib.ExtensionArray.fillna"),    # never guessed by name, exact here
    ]


def test_without_member_parameters_a_keyword_several_methods_deprecate_is_not_guessed(tmp_path: Path):
    """A DB scanned before members' parameters were stored: no such guess."""
    filllib_findings(tmp_path)
    kb = open_db(tmp_path / "k.db")
    rows, facts = kb.deprecations(), kb.class_facts()
    kb.close()
    source = 'import filllib as fl\nfl.read_table("x")["a"].fillna(method="ffill")\n'
    with_params = DeprecationIndex.from_rows(rows, facts)
    without = DeprecationIndex.from_rows(rows, dataclasses.replace(facts, parameters={}))
    assert [(r.line, r.parameter) for r in find_references(source, with_params)] == [(1, "method")]
    assert find_references(source, without) == []


def test_namesakes_deprecating_different_values_decide_nothing():
    """`how="x"` deprecated on one fillna, `how="y"` on the other: a value is deprecated only
    on the class whose row names it, so by name neither is reported; any use on both is."""
    from apimigrate.db import ClassFacts

    def row(api: str, parameter: str, usage: str, values: str | None = None) -> dict:
        return {"api": api, "kind": "parameter", "parameter": parameter, "usage": usage,
                "param_values": values, "confidence": 0.9, "library": "lib"}

    rows = [row("lib.A.fillna", "how", "value", '["\'x\'"]'), row("lib.B.fillna", "how", "value", '["\'y\'"]'),
            row("lib.A.fillna", "pad", "any"), row("lib.B.fillna", "pad", "any,value", '["1"]')]
    facts = ClassFacts(members=frozenset({"lib.A.fillna", "lib.B.fillna"}), bases={"lib.A": (), "lib.B": ()},
                       parameters={"lib.A.fillna": frozenset({"self", "how", "pad"}),
                                   "lib.B.fillna": frozenset({"self", "how", "pad"})})
    index = DeprecationIndex.from_rows(rows, facts)
    assert set(index.member_keywords("fillna", "lib")) == {"pad"}
    agreeing = [r if r["parameter"] != "how" or r["api"] == "lib.A.fillna" else {**r, "param_values": '["\'x\'"]'}
                for r in rows]
    assert set(DeprecationIndex.from_rows(agreeing, facts).member_keywords("fillna", "lib")) == {"pad", "how"}


def test_fix_calls_the_method_a_keyword_s_value_names_when_the_deprecation_offers_it(tmp_path: Path):
    """"Use obj.ffill() or obj.bfill() instead": `fillna(method="ffill", limit=2)` is `ffill(limit=2)`
    on a known NDFrame, when ffill takes every other argument."""
    source = (
        'import filllib as fl\n'
        'frame = fl.read_table("x")\n'
        'a = frame.fillna(method="ffill", limit=2)\n'
        "b = frame.fillna(method='bfill', axis=1)\n"
        'c = frame.fillna(\n    method="ffill",  # forward\n)\n'
        'd = frame.fillna(method="backfill")\n'             # a method the message does not offer
        'e = frame.fillna(0, method="ffill")\n'             # a value too: not what ffill does
        'f = frame.fillna(method="ffill", value=None)\n'    # ffill takes no `value`
        'g = frame.fillna(method=how)\n'                    # no literal
        'h = frame["a"].fillna(method="ffill")\n'           # class unknown: no fix by name
    )
    assert filllib_fixed(tmp_path, source=source) == (
        'import filllib as fl\n'
        'frame = fl.read_table("x")\n'
        'a = frame.ffill(limit=2)\n'
        "b = frame.bfill(axis=1)\n"
        'c = frame.ffill(\n      # forward\n)\n'
        'd = frame.fillna(method="backfill")\n'
        'e = frame.fillna(0, method="ffill")\n'
        'f = frame.fillna(method="ffill", value=None)\n'
        'g = frame.fillna(method=how)\n'
        'h = frame["a"].fillna(method="ffill")\n'
    )


GROUPBY = '''\
import warnings


class GroupBy:
    def fillna(self, value=None, method=None, limit=None):
        warnings.warn("GroupBy.fillna is deprecated. Use obj.ffill() or obj.bfill() instead.",
                      FutureWarning, stacklevel=2)
        return self

    def ffill(self, limit=None):
        return self

    def bfill(self, limit=None):
        return self
'''


def test_fix_calls_the_method_a_deprecated_method_offers_by_the_keyword_a_namesake_deprecates(tmp_path: Path):
    """GroupBy.fillna is deprecated whole ("Use obj.ffill() or obj.bfill()"); which of its keywords
    picks the method is what NDFrame.fillna, deprecating `method` for the same two, tells."""
    source = (
        'import filllib as fl\n'
        'g = fl.GroupBy()\n'
        'a = g.fillna(method="ffill")\n'
        'b = g.fillna(method="bfill", limit=2)\n'
        'c = g.fillna(value="ffill")\n'                    # fills with the string: `value` picks nothing
        'd = g.fillna("ffill")\n'                          # the same, by position
        'e = g.fillna(method="ffill", value=0)\n'          # ffill takes no `value`
    )
    assert filllib_fixed(tmp_path, GROUPBY, source=source) == (
        'import filllib as fl\n'
        'g = fl.GroupBy()\n'
        'a = g.ffill()\n'
        'b = g.bfill(limit=2)\n'
        'c = g.fillna(value="ffill")\n'
        'd = g.fillna("ffill")\n'
        'e = g.fillna(method="ffill", value=0)\n'
    )


# pandas 3.1's shape, cut down: the internal base NDFrame takes `inplace` live (pandas/core/generic.py),
# DataFrame and Series override `drop` and deprecate it; Index's `rename` takes it live and public.
FRAMEKIT = {
    "pyproject.toml": '[project]\nname = "framekit"\nversion = "3.1.0"\n',
    "framekit/__init__.py": "from .core.frame import DataFrame, Series, Index, read_table\n"
                            "__all__ = ['DataFrame', 'Series', 'Index', 'read_table']\n",
    "framekit/core/__init__.py": "",
    "framekit/core/generic.py": (
        "class NDFrame:\n"
        "    def drop(self, labels=None, *, axis=0, inplace=False):\n        return self\n\n"
        "    def rename(self, mapper=None, *, inplace=False):\n        return self\n"),
    "framekit/core/frame.py": (
        "import warnings\n\nfrom .generic import NDFrame\n\n\n"
        "class DataFrame(NDFrame):\n"
        "    def drop(self, labels=None, *, axis=0, inplace=False):\n"
        "        if inplace:\n"
        "            warnings.warn(\"The 'inplace' keyword in DataFrame.drop is deprecated\", FutureWarning)\n"
        "        return self\n\n"
        "    def rename(self, mapper=None, *, inplace=False):\n"
        "        if inplace:\n"
        "            warnings.warn(\"The 'inplace' keyword in DataFrame.rename is deprecated\", FutureWarning)\n"
        "        return self\n\n\n"
        "class Series(NDFrame):\n"
        "    def drop(self, labels=None, *, axis=0, inplace=False):\n"
        "        if inplace:\n"
        "            warnings.warn(\"The 'inplace' keyword in Series.drop is deprecated\", FutureWarning)\n"
        "        return self\n\n"
        "    def rename(self, mapper=None, *, inplace=False):\n"
        "        if inplace:\n"
        "            warnings.warn(\"The 'inplace' keyword in Series.rename is deprecated\", FutureWarning)\n"
        "        return self\n\n\n"
        "class Index:\n"
        "    def rename(self, name, *, inplace=False):\n        return self\n\n\n"
        "def read_table(path) -> DataFrame:\n    return DataFrame()\n"),
}


def test_an_internal_base_every_subclass_overrides_vetoes_no_keyword(tmp_path: Path):
    """pandas 3.1: `df["a"].drop([0], inplace=True)` was missed because the internal base
    `NDFrame.drop` takes `inplace` live, though every value is a DataFrame's or a Series'. A public
    class taking it live (`Index.rename(inplace=)`) still keeps the keyword from being guessed."""
    from unlearn_support import write_tree
    root = write_tree(tmp_path / "lib", FRAMEKIT)
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(root)], show_progress=False, workers=1)
    kb.close()
    code = tmp_path / "user.py"
    code.write_text('import framekit as fk\nframe = fk.read_table("x")\n'
                    'frame["a"].drop([0], inplace=True)\nframe["a"].rename(str, inplace=True)\n')
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(tmp_path / "k.db"), "--format", "json",
                                      "--isolated"])
    assert [(f["line"], f["code"], f["parameter"]) for f in json.loads(result.stdout)] == [
        (3, "APIM003", "inplace")]


def test_bases_read_as_a_cycle_stop_the_walk_below_a_base():
    """A class whose bases, as read, name itself (`class Mid(Mid)` resolved to one path): the walk
    down from NDFrame's subclasses recursed without end and `check` died."""
    from apimigrate.db.records import ClassFacts
    row = {"id": 1, "library": "fk", "api": "fk.DataFrame.drop", "kind": "parameter", "parameter": "inplace",
           "new_parameter": None, "replacement": None, "since": "3.1", "removed_in": None, "message": "m",
           "confidence": 0.9, "usage": "any", "position": None}
    facts = ClassFacts(members=frozenset({"fk.core.generic.NDFrame.drop", "fk.DataFrame.drop"}),
                       bases={"fk.DataFrame": ("fk.core._mid.Mid",),
                              "fk.core._mid.Mid": ("fk.core.generic.NDFrame", "fk.core._mid.Mid")},
                       parameters={"fk.core.generic.NDFrame.drop": frozenset({"labels", "axis", "inplace"}),
                                   "fk.DataFrame.drop": frozenset({"labels", "axis", "inplace"})})
    idx = DeprecationIndex.from_rows([row], facts)
    src = 'import fk\nfk.DataFrame()["a"].drop([0], inplace=True)\n'
    assert [(r.api, r.by_name) for r in find_references(src, idx)] == [("fk.DataFrame.drop", True)]
