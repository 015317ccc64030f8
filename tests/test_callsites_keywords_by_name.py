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
    both = "filllib.{ExtensionArray,NDFrame}.fillna"
    assert filllib_findings(tmp_path) == [
        # NDFrame and ExtensionArray deprecate it, SparseArray's override hands it to the
        # base class, Index takes no `method`: both are named, the value may be of either
        (4, "method", both),
        # `limit`: only ExtensionArray deprecates it, NDFrame.fillna takes it live
        (7, "method", both),     # an attribute NDFrame lacks: a column
        # a member NDFrame defines, read without a call (what a property holds is not known), and
        # values of unknown type, in a file importing filllib: matched by name as one method's
        # keyword would be, the namesakes deprecating it alike
        (8, "method", both), (9, "method", both), (11, "method", both),
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


# pandas 3.1's shape for a receiver of unknown type: DataFrame and Series each define `reset_index`
# and `drop` and deprecate `inplace` alike (the internal base NDFrame's `drop` takes it live, and
# is overridden by both); Index's `rename` takes `inplace` live; `sort_values` deprecates a different
# value of `kind` on each class.
TABLEKIT = {
    "pyproject.toml": '[project]\nname = "tablekit"\nversion = "3.1.0"\n',
    "tablekit/__init__.py": "from .core.frame import DataFrame, Series, Index\n"
                            "__all__ = ['DataFrame', 'Series', 'Index']\n",
    "tablekit/core/__init__.py": "",
    "tablekit/core/generic.py": (
        "class NDFrame:\n"
        "    def drop(self, labels=None, *, axis=0, columns=None, inplace=False):\n        return self\n"),
    "tablekit/core/frame.py": "import warnings\n\nfrom .generic import NDFrame\n\n" + "".join(
        f"\nclass {cls}(NDFrame):\n"
        f"    def drop(self, labels=None, *, axis=0, columns=None, inplace=False):\n"
        f"        if inplace:\n"
        f"            warnings.warn(\"The 'inplace' keyword in {cls}.drop is deprecated\", FutureWarning)\n"
        f"        return self\n\n"
        f"    def reset_index(self, level=None, *, drop=False, inplace=False):\n"
        f"        if inplace:\n"
        f"            warnings.warn(\"The 'inplace' keyword in {cls}.reset_index is deprecated\", FutureWarning)\n"
        f"        return self\n\n"
        f"    def rename(self, mapper=None, *, inplace=False):\n"
        f"        if inplace:\n"
        f"            warnings.warn(\"The 'inplace' keyword in {cls}.rename is deprecated\", FutureWarning)\n"
        f"        return self\n\n"
        f"    def sort_values(self, by=None, *, kind='quicksort'):\n"
        f"        if kind == {old!r}:\n"
        f"            warnings.warn(\"kind={old!r} in {cls}.sort_values is deprecated\", FutureWarning)\n"
        f"        return self\n\n"
        for cls, old in (("DataFrame", "mergesort"), ("Series", "heapsort"))),
}
# A public class whose `rename` takes `inplace` and does not deprecate it.
INDEX_RENAME = (
    "\n\nclass Index:\n"
    "    def rename(self, name, *, inplace=False):\n        return self\n\n"
    "    def drop(self, labels):\n        return self\n")

TIDY = '''\
import tablekit as tk


def tidy(result):
    result.reset_index(inplace=True)
    result.drop(columns="k", inplace=True)
    result.rename(str, inplace=True)
    result.sort_values(kind="mergesort")
    result.sort_values(kind="heapsort")
    return tk.DataFrame()
'''


def tablekit_findings(tmp_path: Path, source: str = TIDY, *, index: str = INDEX_RENAME) -> list[dict]:
    """`check`'s JSON findings in `source` with a DB of tablekit (its Index class as `index`)."""
    from unlearn_support import write_tree
    files = {**TABLEKIT, "tablekit/core/frame.py": TABLEKIT["tablekit/core/frame.py"] + index}
    if not index:
        files["tablekit/__init__.py"] = "from .core.frame import DataFrame, Series\n" \
                                        "__all__ = ['DataFrame', 'Series']\n"
    db = tmp_path / "k.db"
    if not db.exists():
        kb = open_db(db)
        scan(kb, [str(write_tree(tmp_path / "lib", files))], show_progress=False, workers=1)
        kb.close()
    code = tmp_path / "user.py"
    code.write_text(source)
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_a_keyword_namesakes_deprecate_alike_is_found_on_a_value_of_unknown_type(tmp_path: Path):
    """`result.reset_index(inplace=True)`, `result` of unknown type: DataFrame's and Series' both
    deprecate it alike, so the call is deprecated whichever it is. Reported once, named for both: the
    value may be either, so neither is claimed."""
    found = tablekit_findings(tmp_path)
    assert [(f["line"], f["code"], f["parameter"], f["api"], f["name"]) for f in found] == [
        (5, "APIM003", "inplace", "tablekit.{DataFrame,Series}.reset_index", "tablekit.{DataFrame,Series}.reset_index"),
        # NDFrame.drop takes `inplace` live, but no value is an NDFrame's but through a class overriding
        # it; Index.drop takes no `inplace` at all: a call passing it is no Index's
        (6, "APIM003", "inplace", "tablekit.{DataFrame,Series}.drop", "tablekit.{DataFrame,Series}.drop"),
    ]
    assert found[0]["message"] == "a true value of parameter 'inplace' of tablekit.{DataFrame,Series}.reset_index " \
                                  "is deprecated"
    assert found[0]["fix"] is None and not found[0]["fixable"]        # by name: never rewritten


def test_namesakes_deprecating_different_values_leave_the_call_unreported(tmp_path: Path):
    """DataFrame.sort_values deprecates kind='mergesort', Series.sort_values kind='heapsort': by name,
    either call may be of the class that does not deprecate its value."""
    source = TIDY.replace("    result.rename(str, inplace=True)\n", "")
    assert [(f["line"], f["parameter"]) for f in tablekit_findings(tmp_path, source)] == [
        (5, "inplace"), (6, "inplace")]


def test_a_namesake_taking_the_keyword_live_keeps_it_unreported(tmp_path: Path):
    """Index.rename takes `inplace` and does not deprecate it: `result.rename(str, inplace=True)` may
    be an Index's. Without that class the call is found."""
    with_index = tablekit_findings(tmp_path / "a")
    without = tablekit_findings(tmp_path / "b", index="")
    assert [f["line"] for f in with_index] == [5, 6]
    assert [(f["line"], f["api"]) for f in without] == [
        (5, "tablekit.{DataFrame,Series}.reset_index"), (6, "tablekit.{DataFrame,Series}.drop"),
        (7, "tablekit.{DataFrame,Series}.rename")]


def test_a_file_that_imports_no_such_library_gets_no_by_name_keyword(tmp_path: Path):
    """The by-name guard holds for several namesakes as for one: `reset_index(inplace=True)` in a file
    importing nothing of tablekit is some other object's."""
    assert [f["line"] for f in tablekit_findings(tmp_path)] == [5, 6]
    other = TIDY.replace("import tablekit as tk", "import othertables as tk")
    assert tablekit_findings(tmp_path, other) == []


@pytest.mark.parametrize("differ", [
    {"replacement": "lib.B.tidy"}, {"new_parameter": "whole"}, {"pending": 1},
    {"message": "Use pd.set_option('future.whole_frame', True) to opt in to the future behavior."},
    {"ignored": 1},
], ids=["replacement", "new-parameter", "pending", "opt-in-option", "ignored"])
def test_namesakes_must_say_the_same_of_a_keyword_to_be_reported_by_name(differ: dict):
    """A by-name finding says one thing for all the namesakes: what replaces the keyword, whether it
    is only pending, which option opts out of it. Dates they do not share are left out of it; the
    rest is theirs, with the least confidence, named for all of them."""
    from apimigrate.db import ClassFacts

    def row(api: str, **extra) -> dict:
        return {"id": 7 if api.startswith("lib.A") else 8, "api": api, "kind": "parameter", "parameter": "inplace",
                "usage": "any", "since": "3.1", "removed_in": "4.0", "confidence": 0.9, "library": "lib",
                "message": f"The inplace keyword in {api} is deprecated", **extra}

    facts = ClassFacts(members=frozenset({"lib.A.tidy", "lib.B.tidy"}), bases={"lib.A": (), "lib.B": ()},
                       parameters={"lib.A.tidy": frozenset({"self", "inplace"}),
                                   "lib.B.tidy": frozenset({"self", "inplace"})})
    alike = DeprecationIndex.from_rows([row("lib.A.tidy", timelines={"any": {"since": "3.1"}}),
                                        row("lib.B.tidy", since="3.2", confidence=0.6,
                                            timelines={"any": {"since": "3.2"}})], facts)
    merged = alike.method_parameters("tidy", {"lib"})["inplace"]
    assert (merged["api"], merged["since"], merged["removed_in"], merged["confidence"], merged["timelines"]) == (
        "lib.{A,B}.tidy", None, "4.0", 0.6, None)
    assert merged["message"] == "The inplace keyword in lib.A.tidy is deprecated\n\n" \
                                "The inplace keyword in lib.B.tidy is deprecated"
    apart = DeprecationIndex.from_rows([row("lib.A.tidy"), row("lib.B.tidy", **differ)], facts)
    assert apart.method_parameters("tidy", {"lib"}) == {}
