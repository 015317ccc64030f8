"""A name a public package imports but leaves out of its `__all__` is still its attribute.

torch 2.13's `torch/jit/__init__.py` imports `script_method` from `torch.jit._script` and lists
neither it nor anything of the kind in `__all__`; `script_method` warns "`torch.jit.script_method` is
deprecated", and `@torch.jit.script_method` is how TorchScript modules were written. With only
`__all__` counted the warning had no public API to name, and the row was dropped. The tree is cut
down from torch's.
"""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import DeprecationIndex
from apimigrate.check import fix_source
from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree

TREE = {
    "pyproject.toml": '[project]\nname = "tlib"\nversion = "2.13.0"\n',
    "tlib/__init__.py": "from tlib import jit\n__all__ = ['jit']\n",
    "tlib/jit/__init__.py": (
        "from tlib.jit._script import script, script_method, _helper, Listed\n"
        "from tlib.jit import frontend\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tlib.jit._script import Checked\n"
        "__all__ = ['script']\n"),
    # a stub's import declares nothing at run time
    "tlib/jit/__init__.pyi": "from tlib.jit._script import script as script, StubOnly\n",
    # `Listed` is listed by a public module: that stays its path
    "tlib/jit/frontend.py": "from tlib.jit._script import Listed\n__all__ = ['Listed']\n",
    "tlib/jit/_script.py": (
        "import warnings\n"
        "def script(obj):\n    return obj\n\n"
        "def script_method(fn):\n"
        "    warnings.warn('`tlib.jit.script_method` is deprecated. Please switch to `tlib.compile`.',\n"
        "                  DeprecationWarning)\n"
        "    return fn\n\n"
        "def _helper(fn):\n"
        "    warnings.warn('_helper is deprecated', DeprecationWarning)\n    return fn\n\n"
        "class Checked:\n"
        "    def old(self):\n"
        "        warnings.warn('Checked.old is deprecated', DeprecationWarning)\n\n"
        "class StubOnly:\n"
        "    def old(self):\n"
        "        warnings.warn('StubOnly.old is deprecated', DeprecationWarning)\n\n"
        "class Listed:\n"
        "    def old(self):\n"
        "        warnings.warn('Listed.old is deprecated', DeprecationWarning)\n"),
}


def test_a_deprecated_name_a_package_imports_unlisted_is_found_under_it(tmp_path: Path) -> None:
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(write_tree(tmp_path / "src", TREE))], show_progress=False, workers=1)
    apis = {r["api"] for r in kb.deprecations(["tlib"])}
    # an underscored name stays private, so does a name only the stub or a type checker imports;
    # a name some public module lists keeps that path
    assert apis == {"tlib.jit.script_method", "tlib.jit.frontend.Listed.old"}

    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    src = ("import tlib\n\nclass M:\n    @tlib.jit.script_method\n    def forward(self, x):\n        return x\n\n"
           "from tlib.jit import script_method\n")
    _, _, left = fix_source(src, index)
    assert [(r.api, r.line) for r in left] == [("tlib.jit.script_method", 3), ("tlib.jit.script_method", 7)]   # 0-based
