"""`np = pytest.importorskip("numpy")` binds `np` as `import numpy as np` does.

Test suites import optional libraries through `pytest.importorskip` (pandas', xarray's and
scikit-learn's own tests do, for pyarrow, scipy, matplotlib) and plugins through
`importlib.import_module`; both return the module the string names, a submodule included. Uses of
the name are then checked and fixed like those of an imported name; a string that is no plain
module name, a relative one, or a call whose result is not assigned to a plain name binds nothing.
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
        "frames/io.py": "from ._core import append, concat\n"}).close()
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
