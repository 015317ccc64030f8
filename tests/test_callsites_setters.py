"""A deprecated property setter deprecates writing the attribute, not reading it.

numpy 2.4: "Setting the strides on a NumPy array has been deprecated" (`@strides.setter` under
`@deprecated(...)` in its stub); reading `arr.strides` is fine. The scan stores such a row with
kind `setter`; check reports only uses that assign the attribute.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan.resolve import _merged_kind
from scan_support import scan_library

CORE = '''\
import warnings


class ndarray:
    @property
    def strides(self):
        return self._strides

    @strides.setter
    def strides(self, value):
        warnings.warn("Setting the strides on an array has been deprecated in arraylib 2.4",
                      DeprecationWarning, stacklevel=2)
        self._strides = value

    @property
    def flat(self):
        return self

    @flat.deleter
    def flat(self):
        warnings.warn("Deleting ndarray.flat is deprecated", DeprecationWarning, stacklevel=2)

    @property
    def base(self):
        warnings.warn("ndarray.base is deprecated; use ndarray.origin instead", DeprecationWarning, stacklevel=2)
        return self.origin

    @base.setter
    def base(self, value):
        warnings.warn("Setting ndarray.base is deprecated", DeprecationWarning, stacklevel=2)

    @property
    def origin(self):
        return None

    @property
    def order(self):
        return "C"

    @order.setter
    def order(self, value):
        warnings.warn("Setting ndarray.order is deprecated. Use ndarray.set_order instead.",
                      DeprecationWarning, stacklevel=2)
        self.set_order(value)

    def set_order(self, value):
        pass

    @property
    def fill_value(self):
        return 0

    @fill_value.setter
    def fill_value(self, value):
        warnings.warn("Setting fill_value is deprecated; pass it when building the array",
                      DeprecationWarning, stacklevel=2)


def zeros(n) -> ndarray:
    return ndarray()
'''

USER = '''\
import arraylib as al

a = al.zeros(3)
a.strides = (8,)
s = a.strides
a.strides += (0,)
a.strides, b = (8,), 1
print(a.strides)
x.strides = (8,)
y = x.strides
del a.flat
a.base
a.base = None
x.fill_value = 0
y = x.fill_value
a.order = "F"
'''


def _project(tmp_path: Path) -> tuple[Path, Path]:
    scan_library(tmp_path, "arraylib", "2.4", {
        "arraylib/__init__.py": "from ._core import ndarray, zeros\n__all__ = ['ndarray', 'zeros']\n",
        "arraylib/_core.py": CORE}).close()
    code = tmp_path / "user.py"
    code.write_text(USER)
    return tmp_path / "k.db", code


def test_the_scan_keeps_a_deprecated_setter_as_its_own_kind(tmp_path: Path):
    db, _ = _project(tmp_path)
    kb = open_db(db)
    try:
        rows = {r["api"]: r for r in kb.deprecations()}
    finally:
        kb.close()
    assert {api: row["kind"] for api, row in rows.items()} == {
        "arraylib.ndarray.strides": "setter",
        "arraylib.ndarray.fill_value": "setter",
        "arraylib.ndarray.order": "setter",
        "arraylib.ndarray.base": "attribute",          # reading is deprecated too: every use
    }                                                  # a deleter's warning: no row
    assert rows["arraylib.ndarray.strides"]["since"] == "2.4"
    assert rows["arraylib.ndarray.order"]["replacement"] == "arraylib.ndarray.set_order"
    assert not rows["arraylib.ndarray.order"]["drop_in"]


def test_check_reports_writes_of_a_deprecated_setter_and_leaves_reads_alone(tmp_path: Path):
    db, code = _project(tmp_path)
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code == 1, result.output
    found = [(f["line"], f["code"], f["api"]) for f in json.loads(result.stdout)]
    assert found == [
        (4, "APIM001", "arraylib.ndarray.strides"),      # a.strides = ...
        (6, "APIM001", "arraylib.ndarray.strides"),      # +=
        (7, "APIM001", "arraylib.ndarray.strides"),      # one target of several
        # x.strides: an unknown receiver may be a memoryview, which has `strides` too
        (12, "APIM001", "arraylib.ndarray.base"),
        (13, "APIM001", "arraylib.ndarray.base"),
        (14, "APIM003", "arraylib.ndarray.fill_value"),  # unknown receiver, no namesake: by name
        (16, "APIM001", "arraylib.ndarray.order"),
    ]
    messages = {f["line"]: f["message"] for f in json.loads(result.stdout)}
    assert messages[4].startswith("setting arraylib.ndarray.strides is deprecated")
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code in (0, 1), result.output
    fixed = code.read_text().splitlines()
    assert fixed[3] == "a.strides = (8,)" and fixed[11] == "a.origin"   # nothing to write instead
    assert fixed[12] == "a.base = None"          # `origin` has no setter: a read's rename only
    assert fixed[15] == 'a.order = "F"'          # `a.set_order = "F"` would be no fix: left by hand


def test_a_setter_and_a_read_of_one_attribute_make_the_attribute_deprecated() -> None:
    """Whichever comes first; a changelog's "attribute" does not widen a setter the source shows."""
    assert _merged_kind("setter", "attribute", upgrade=False, is_source=True) == "attribute"
    assert _merged_kind("attribute", "setter", upgrade=False, is_source=True) == "attribute"
    assert _merged_kind("setter", "attribute", upgrade=False, is_source=False) == "setter"
    assert _merged_kind("attribute", "setter", upgrade=True, is_source=True) == "setter"
    assert _merged_kind("method", "attribute", upgrade=True, is_source=True) == "attribute"


def test_a_setter_row_is_never_rewritten_even_when_marked_drop_in() -> None:
    """`x.order = v` has no spelling through `set_order`: a row merged from a changelog that calls
    the replacement a drop-in still gets no rewrite."""
    from apimigrate.callsites import DeprecationIndex, find_references
    from apimigrate.check.fixer import fix_source
    row = {"library": "arraylib", "api": "arraylib.ndarray.order", "kind": "setter", "parameter": "",
           "replacement": "arraylib.ndarray.set_order", "drop_in": 1, "confidence": 0.8, "since": "2.4"}
    index = DeprecationIndex.from_rows([row])
    src = 'import arraylib as al\nal.ndarray.order = "F"\nprint(al.ndarray.order)\n'
    assert [(r.line, r.code) for r in find_references(src, index)] == [(1, "APIM001")]
    fixed, _, _ = fix_source(src, index)
    assert fixed == src


def test_writing_or_deleting_a_deprecated_attribute_is_reported_not_renamed() -> None:
    """`np.float = float` brings a removed alias back for older code: renaming the target would
    rebind the builtin instead. `del` and tuple targets likewise; the read below is renamed."""
    from apimigrate.callsites import DeprecationIndex, find_references
    from apimigrate.check.fixer import fix_source
    rows = [{"library": "arraylib", "api": "arraylib.float", "kind": "attribute", "parameter": "",
             "replacement": "builtins.float", "drop_in": 1, "confidence": 0.9, "since": "1.20"},
            {"library": "arraylib", "api": "arraylib.NaN", "kind": "attribute", "parameter": "",
             "replacement": "arraylib.nan", "drop_in": 1, "confidence": 0.9, "since": "2.0"}]
    index = DeprecationIndex.from_rows(rows)
    src = ("import arraylib as al\nal.float = float\nal.NaN, y = 1.0, 2\ndel al.float\n"
           "del al.NaN, y\nal.NaN += 1\nx = al.NaN\n")
    assert [r.line for r in find_references(src, index)] == [1, 2, 3, 4, 5, 6]
    fixed, _, _ = fix_source(src, index)
    assert fixed.splitlines()[1:] == ["al.float = float", "al.NaN, y = 1.0, 2", "del al.float",
                                      "del al.NaN, y", "al.NaN += 1", "x = al.nan"]


ALIASED = {
    "arraylib/_typing.py": "from typing import TypeAlias\n\nfrom ._core import ndarray\n\n"
                           "NDArray: TypeAlias = ndarray[tuple[int, ...], float]\n",
    "arraylib/_make.py": "from ._core import ndarray\n\n\ndef empty(n):\n    return ndarray()\n\n\n"
                         "def arange(n):\n    return ndarray()\n",
    # numpy's shape: the stub beside the code declares what its functions return, through aliases
    "arraylib/_make.pyi": "from typing import TypeAlias\n\nfrom ._core import ndarray\nfrom ._typing import NDArray\n\n"
                          "_Array1D: TypeAlias = ndarray[tuple[int], float]\n\n"
                          "def empty(n: int) -> NDArray[float]: ...\ndef arange(n: int) -> _Array1D: ...\n",
}


# numpy 2.5's stubs: PEP 695 aliases and generic defs (parsed by tree-sitter on any Python)
PEP695 = {
    "arraylib/_typing.py": "from ._core import ndarray\n\ntype NDArray[T] = ndarray[tuple[int, ...], T]\n",
    "arraylib/_make.py": ALIASED["arraylib/_make.py"],
    "arraylib/_make.pyi": "from ._core import ndarray\nfrom ._typing import NDArray\n\n"
                          "type _Array1D[ScalarT: float] = ndarray[tuple[int], ScalarT]\n"
                          "type _Order = Literal['C', 'F']\ntype _Shapes = int | tuple[int, ...]\n\n"
                          "def empty[T](n: int, order: _Order = 'C') -> NDArray[T]: ...\n"
                          "def arange[ScalarT: float](n: int) -> _Array1D[ScalarT]: ...\n",
}


@pytest.mark.parametrize("stubs", [ALIASED, PEP695], ids=["TypeAlias", "type statement"])
def test_a_type_alias_of_the_class_types_what_a_function_returns(tmp_path: Path, stubs: dict[str, str]):
    """numpy's stubs return `NDArray[float64]` (`NDArray: TypeAlias = np.ndarray[...]`, since numpy
    2.5 `type NDArray[T] = ...`) or a stub's own `_Array1D`: both are ndarrays, whose strides a
    write then sets."""
    scan_library(tmp_path, "arraylib", "2.4", {
        "arraylib/__init__.py": "from ._core import ndarray\nfrom ._make import arange, empty\n"
                                "__all__ = ['arange', 'empty', 'ndarray']\n",
        "arraylib/_core.py": CORE, **stubs}).close()
    kb = open_db(tmp_path / "k.db")
    try:
        returns = kb.class_facts().returns
    finally:
        kb.close()
    assert returns["arraylib.empty"][0]["returns"] == returns["arraylib.arange"][0]["returns"] == "arraylib.ndarray"
    code = tmp_path / "user.py"
    code.write_text("import arraylib as al\ne = al.empty(3)\ne.strides = (8,)\nr = al.arange(3)\nr.strides = (8,)\n"
                    "n = r.strides\n")
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(tmp_path / "k.db"), "--format", "json",
                                      "--isolated"])
    assert [(f["line"], f["code"]) for f in json.loads(result.stdout)] == [(3, "APIM001"), (5, "APIM001")]


def test_an_object_declared_by_its_callable_class_returns_what_calling_it_does(tmp_path: Path):
    """numpy's stubs declare `zeros: Final[_ConstructorEmpty]` (a Protocol whose `__call__`
    overloads return arrays) and `ones: _ConstructorEmpty`: `a = np.zeros(3)` is an ndarray."""
    stub = ("from typing import Final, Protocol, overload\n\nfrom ._core import ndarray\n\n\n"
            "class _Constructor(Protocol):\n    @overload\n    def __call__(self, n: int) -> ndarray: ...\n"
            "    @overload\n    def __call__(self, n: int, like: object) -> ndarray: ...\n\n\n"
            "class _Opaque(Protocol):\n    def __call__(self, n: int) -> int: ...\n\n\n"
            "zeros: Final[_Constructor] = ...\nones: _Constructor\ncount: Final[_Opaque]\n")
    scan_library(tmp_path, "arraylib", "2.4", {
        "arraylib/__init__.py": "from ._core import ndarray\nfrom ._make import count, ones, zeros\n"
                                "__all__ = ['count', 'ndarray', 'ones', 'zeros']\n",
        "arraylib/_core.py": CORE,
        "arraylib/_make.py": "from ._native import count, ones, zeros\n",
        "arraylib/_make.pyi": stub}).close()
    kb = open_db(tmp_path / "k.db")
    try:
        returns = kb.class_facts().returns
    finally:
        kb.close()
    assert [s["returns"] for s in returns["arraylib.zeros"]] == ["arraylib.ndarray"] * 2
    assert [s["params"][0][0] for s in returns["arraylib.ones"]] == ["n", "n"]    # `self` is bound
    assert "arraylib.count" not in returns                                      # returns no class
    code = tmp_path / "user.py"
    code.write_text("import arraylib as al\na = al.zeros(3)\na.strides = (8,)\n"
                    "b = al.ones(2)\nb.strides = (8,)\nc = al.count(2)\nc.strides = 1\n")
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(tmp_path / "k.db"), "--format", "json",
                                      "--isolated"])
    assert [(f["line"], f["api"]) for f in json.loads(result.stdout)] == [
        (3, "arraylib.ndarray.strides"), (5, "arraylib.ndarray.strides")]
