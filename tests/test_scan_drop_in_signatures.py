"""A replacement said to be the API's new name is a drop-in only when it takes every call alike.

torch 2.13's `impl_abstract(qualname, func=None, *, lib=None, _stacklevel=1)` "was renamed to
`torch.library.register_fake`", whose `op` and `func` are positional only (`register_fake(op,
func=None, /, *, lib=None, ...)`): `fix` rewriting `impl_abstract(qualname="ns::op")` would write a
TypeError. scipy's `simps(y, x=None, dx=1.0, axis=-1, even=None)` -> `simpson(y, *, x=None, ...)`
takes `x` by keyword only. The library below is cut down from those shapes.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.callsites import DeprecationIndex
from apimigrate.check import fix_source
from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree

_DEPRECATED = "from typing_extensions import deprecated\n"


def _renamed(old: str, new: str) -> str:
    return (f'@deprecated("`tlib.{old}` was renamed to `tlib.{new}`. Please use that instead.", '
            f"category=FutureWarning)\n")


def _release(version: str, register_fake: str) -> dict[str, str]:
    return {
        "pyproject.toml": f'[project]\nname = "tlib"\nversion = "{version}"\n',
        "tlib/__init__.py": (
            "from .library import impl_abstract, register_fake, simps, simpson, stack, row_stack, Dispatcher\n"
            "__all__ = ['impl_abstract', 'register_fake', 'simps', 'simpson', 'stack', 'row_stack', 'Dispatcher']\n"),
        "tlib/library.py": _DEPRECATED + (
            f"def register_fake({register_fake}):\n    return func\n\n"
            + _renamed("impl_abstract", "register_fake")
            + "def impl_abstract(qualname, func=None, *, lib=None, _stacklevel=1):\n"
              "    return register_fake(qualname, func, lib=lib)\n\n"
              "def simpson(y, *, x=None, dx=1.0, axis=-1):\n    return y\n\n"
            + _renamed("simps", "simpson")
            + "def simps(y, x=None, dx=1.0, axis=-1):\n    return simpson(y, x=x, dx=dx, axis=axis)\n\n"
              "def stack(arrays, axis=0, *, dtype=None):\n    return arrays\n\n"
            + _renamed("row_stack", "stack")
            + "def row_stack(arrays, axis=0, *, dtype=None):\n    return stack(arrays, axis, dtype=dtype)\n\n"
              "class Dispatcher:\n"
              "    def dispatch(self, types, /):\n        return types\n\n"
              '    @deprecated("`resolve()` was renamed to `dispatch()`", category=FutureWarning)\n'
              "    def resolve(self, types):\n        return self.dispatch(types)\n"),
    }


# torch's register_fake: `op` and `func` positional only
NOW = "op, func=None, /, *, lib=None, _stacklevel=1, allow_override=True"
# an older shape taking the same names as impl_abstract: a true rename then
BEFORE = "qualname, func=None, *, lib=None, _stacklevel=1"


def _rows(tmp_path: Path, *releases: dict[str, str]) -> dict[str, dict]:
    kb = open_db(tmp_path / "k.db")
    for i, files in enumerate(releases):
        scan(kb, [str(write_tree(tmp_path / f"r{i}", files))], show_progress=False, workers=1)
    return {r["api"]: r for r in kb.deprecations(["tlib"])}


def test_a_rename_whose_new_signature_takes_calls_otherwise_is_no_drop_in(tmp_path: Path) -> None:
    rows = _rows(tmp_path, _release("2.4.0", NOW))
    assert {api: (r["replacement"], r["drop_in"]) for api, r in rows.items()} == {
        "tlib.impl_abstract": ("tlib.register_fake", 0),       # `qualname=` is no keyword of register_fake
        "tlib.simps": ("tlib.simpson", 0),                      # `simps(y, x)`: x is keyword only in simpson
        "tlib.row_stack": ("tlib.stack", 1),                    # the same parameters, passed the same ways
        "tlib.Dispatcher.resolve": ("tlib.Dispatcher.dispatch", 0),   # `resolve(types=t)`
    }

    kb = open_db(tmp_path / "k.db")
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    src = "import tlib\ntlib.impl_abstract(qualname='ns::op')\ntlib.row_stack([a, b])\n"
    fixed, _, left = fix_source(src, index)
    assert fixed == "import tlib\ntlib.impl_abstract(qualname='ns::op')\ntlib.stack([a, b])\n"
    assert [r.api for r in left] == ["tlib.impl_abstract"]


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_the_newest_scanned_signature_decides(tmp_path: Path, order: str) -> None:
    """A release whose register_fake took impl_abstract's very parameters made it a drop-in; the
    newer one's positional-only `op` does not, whichever release is scanned first."""
    old, new = _release("2.4.0", BEFORE), _release("2.5.0", NOW)
    assert _rows(tmp_path / "alone", old)["tlib.impl_abstract"]["drop_in"] == 1
    rows = _rows(tmp_path / "both", *([old, new] if order == "old first" else [new, old]))
    assert (rows["tlib.impl_abstract"]["replacement"], rows["tlib.impl_abstract"]["drop_in"]) == \
        ("tlib.register_fake", 0)
