"""`np = pytest.importorskip("numpy")` binds `np` as `import numpy as np` does.

Test suites import optional libraries through `pytest.importorskip` (pandas', xarray's and
scikit-learn's own tests do, for pyarrow, scipy, matplotlib) and plugins through
`importlib.import_module`; both return the module the string names, a submodule included. Uses of
the name are then checked and fixed like those of an imported name; a string that is no plain
module name, a relative one, or a call whose result is not assigned to a plain name binds nothing.
`__import__("a.b")` binds the name to `a`, as the builtin returns it (with a fromlist: nothing).

Whatever becomes of the result, the string is the module name of an import statement: a deprecated
module named there (`pytest.importorskip("numpy.core")`) is reported, and `fix` rewrites the string
where the module's replacement is a drop-in (scipy's `_sub_module_deprecation` shims).
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.callsites import find_references
from apimigrate.cli.main import app
from scan_support import index_of, scan_library

FRAMES = '''\
import warnings


class Frame:
    def map(self, func):
        return self

    def applymap(self, func):
        warnings.warn("Frame.applymap is deprecated. Use Frame.map instead.", FutureWarning, stacklevel=2)
        return self.map(func)


def concat(frames):
    return frames


def append(frames):
    warnings.warn("append is deprecated. Use concat instead.", FutureWarning, stacklevel=2)
    return concat(frames)
'''

# scipy's shape of a deprecated submodule: every public name is the same object in `frames.io`
OLDIO = '''\
# This file is not meant for public use and will be removed in frames v4.0.0.
from frames._lib.deprecation import _sub_module_deprecation

__all__ = ["append", "concat"]


def __dir__():
    return __all__


def __getattr__(name):
    return _sub_module_deprecation(sub_package="io", module="oldio",
                                   private_modules=["_core"], all=__all__,
                                   attribute=name)
'''

USER = '''\
import importlib
from importlib import import_module

import pytest

fr = pytest.importorskip("frames")
io = importlib.import_module("frames.io")
fr.append([])                                          # 8
fr.Frame().applymap(str)                               # 9
io.append([])                                          # 10: the submodule's own name


def test_local():
    tb = pytest.importorskip("frames", minversion="2.0")
    tb.append([])                                      # 15


def test_by_name():
    mod = import_module("frames")
    mod.append([])                                     # 20
    other = pytest.importorskip(f"{mod}")
    other.append([])                                   # not a module name: nothing known
    rel = importlib.import_module(".frames", "pkg")
    rel.append([])                                     # relative: nothing known
    print(pytest.importorskip("frames").append)        # not assigned: nothing bound
    obj.importorskip("frames").append([])              # no pytest: nothing bound
'''


def _project(tmp_path: Path) -> tuple[Path, Path]:
    scan_library(tmp_path, "frames", "3.0", {
        "frames/__init__.py": "from ._core import Frame, append, concat\n"
                              "__all__ = ['Frame', 'append', 'concat']\n",
        "frames/_core.py": FRAMES,
        "frames/io.py": "from ._core import append, concat\n__all__ = ['append', 'concat']\n",
        "frames/oldio.py": OLDIO}).close()
    code = tmp_path / "test_user.py"
    code.write_text(USER)
    return tmp_path / "k.db", code


def _check(db: Path, code: Path) -> list[tuple[int, str]]:
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code == 1, result.output
    return [(f["line"], f["api"]) for f in json.loads(result.stdout)]


def test_a_module_imported_through_a_call_is_checked_as_an_import(tmp_path: Path):
    db, code = _project(tmp_path)
    assert _check(db, code) == [(8, "frames.append"), (9, "frames.Frame.applymap"), (10, "frames.append"),
                                (15, "frames.append"), (20, "frames.append")]


def test_fix_rewrites_through_the_name_the_call_bound(tmp_path: Path):
    db, code = _project(tmp_path)
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    fixed = code.read_text().splitlines()
    assert fixed[5:9] == ['fr = pytest.importorskip("frames")', 'io = importlib.import_module("frames.io")',
                          "fr.concat([])                                          # 8",
                          "fr.Frame().map(str)                               # 9"]
    assert fixed[14].strip().startswith("tb.concat([])") and fixed[19].strip().startswith("mod.concat([])")
    assert _check_clean(db, code)


def _check_clean(db: Path, code: Path) -> bool:
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--isolated"])
    return result.exit_code == 0


def test_a_later_binding_of_the_name_shadows_it(tmp_path: Path):
    db, _ = _project(tmp_path)
    index = index_of(db)
    src = 'import pytest\nfr = pytest.importorskip("frames")\nfr = object()\nfr.append([])\n'
    assert find_references(src, index) == []
    src = 'import pytest\ntry:\n    fr = pytest.importorskip("frames")\nexcept ImportError:\n    fr = None\nfr.append([])\n'
    assert [(r.line, r.api) for r in find_references(src, index)] == [(5, "frames.append")]


NAMED = '''\
import importlib
from importlib import import_module

import pytest

pytest.importorskip("frames.oldio")                     # 6
old = importlib.import_module("frames.oldio")           # 7
sub = import_module("frames.oldio.parsers")             # 8: inside the deprecated module
top = __import__("frames.oldio")                        # 9: binds `frames`
top.append([])                                          # 10
some = __import__("frames.io", fromlist=["append"])     # 11: a fromlist: nothing bound
some.append([])
try:
    new = importlib.import_module("frames.io")
except ImportError:
    new = importlib.import_module("frames.oldio")       # 16: the older versions' side
pytest.importorskip("frames.io")
pytest.importorskip(".oldio")
'''


def test_a_deprecated_module_named_in_a_string_is_reported_as_its_import(tmp_path: Path):
    db, _ = _project(tmp_path)
    lines = NAMED.splitlines()
    found = {(r.line + 1, lines[r.line][r.col:r.end_col], r.api, r.kind, r.compat)
             for r in find_references(NAMED, index_of(db))}
    assert found == {(6, "frames.oldio", "frames.oldio", "import", False),
                     (7, "frames.oldio", "frames.oldio", "import", False),
                     (8, "frames.oldio.parsers", "frames.oldio", "import", False),
                     (9, "frames.oldio", "frames.oldio", "import", False),
                     (10, "top.append", "frames.append", "call", False),
                     (16, "frames.oldio", "frames.oldio", "import", True)}
    # the call alone, nothing of the library imported otherwise
    alone = find_references('import pytest\npytest.importorskip("frames.oldio")\n', index_of(db))
    assert [(r.line, r.api) for r in alone] == [(1, "frames.oldio")]


def test_fix_rewrites_the_string_to_the_drop_in_module(tmp_path: Path):
    db, code = _project(tmp_path)
    code.write_text(NAMED)
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    fixed = code.read_text().splitlines()
    assert [fixed[i].split("#")[0].rstrip() for i in (5, 6, 7, 8, 9, 15)] == [
        'pytest.importorskip("frames.io")', 'old = importlib.import_module("frames.io")',
        'sub = import_module("frames.oldio.parsers")', 'top = __import__("frames.io")', "top.concat([])",
        '    new = importlib.import_module("frames.oldio")']
    # what is left: the submodule of the deprecated module (its new home is not known to have it)
    assert _check(db, code) == [(8, "frames.oldio")]
