"""A removed name that an older release bound to its replacement's very object is a drop-in.

numpy 2 removed `np.NaN` ("Use `np.nan` instead.") and `np.Inf`; numpy 1.26 has `nan = NaN = NAN`
and `Inf = inf = infty = Infinity = PINF` in `core/numeric.py`, so `fix` may rewrite the spelling.
The message alone never says so ("Use `np.issubdtype` instead." is no alias), and numpy.ma's own
`round = round_` says nothing of `np.round_`. Shapes cut down from numpy 1.26.4 and 2.4.6.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.callsites import DeprecationIndex
from apimigrate.check import fix_source
from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree

OLD = {
    "pyproject.toml": '[project]\nname = "tnum"\nversion = "1.26.0"\n',
    "tnum/__init__.py": "from . import core\nfrom .core import *\nfrom . import ma\n__all__ = []\n__all__.extend(core.__all__)\n",
    "tnum/core/__init__.py": ("from . import numeric, fromnumeric\nfrom .numeric import *\nfrom .fromnumeric import *\n"
                              "__all__ = []\n__all__ += numeric.__all__\n__all__ += fromnumeric.__all__\n"),
    "tnum/core/umath.py": 'PINF = float("inf")\nNAN = float("nan")\n',
    "tnum/core/numeric.py": (
        "from .umath import PINF, NAN\n"
        "__all__ = ['Inf', 'inf', 'infty', 'nan', 'NaN', 'issubdtype', 'issubsctype']\n"
        "def issubdtype(a, b):\n    return a is b\n"
        "def issubsctype(a, b):\n    return issubdtype(a, b)\n"
        "Inf = inf = infty = PINF\n"
        "nan = NaN = NAN\n"),
    "tnum/core/fromnumeric.py": ("__all__ = ['round', 'round_']\n"
                                "def round(a):\n    return a\n"
                                "def round_(a):\n    return round(a)\n"),
    # numpy.ma: its own `round = round_`, another object than tnum.round_
    "tnum/ma/__init__.py": "from .core import *\n",
    "tnum/ma/core.py": "__all__ = ['round_', 'round']\ndef round_(a):\n    return a\nround = round_\n",
}

NEW = {
    "pyproject.toml": '[project]\nname = "tnum"\nversion = "2.0.0"\n',
    "tnum/__init__.py": (
        "from .core import *\n"
        "from ._expired_attrs_2_0 import __expired_attributes__\n"
        "def __getattr__(attr):\n"
        "    if attr in __expired_attributes__:\n"
        "        raise AttributeError(\n"
        "            f\"`np.{attr}` was removed in the NumPy 2.0 release. \"\n"
        "            f\"{__expired_attributes__[attr]}\",\n"
        "            name=None\n"
        "        )\n"
        "    raise AttributeError(attr)\n"),
    "tnum/_expired_attrs_2_0.py": (
        "__expired_attributes__ = {\n"
        '    "NaN": "Use `tnum.nan` instead.",\n'
        '    "Inf": "Use `tnum.inf` instead.",\n'
        '    "infty": "Use `tnum.inf` instead.",\n'
        '    "issubsctype": "Use `tnum.issubdtype` instead.",\n'
        '    "round_": "Use `tnum.round` instead.",\n'
        "}\n"),
    "tnum/core/__init__.py": "from .numeric import *\nfrom .fromnumeric import *\n",
    "tnum/core/numeric.py": ("__all__ = ['inf', 'nan', 'issubdtype']\n"
                             "def issubdtype(a, b):\n    return a is b\n"
                             "inf = float('inf')\nnan = float('nan')\n"),
    "tnum/core/fromnumeric.py": "__all__ = ['round']\ndef round(a):\n    return a\n",
}

EXPECTED = {"tnum.NaN": ("tnum.nan", 1), "tnum.Inf": ("tnum.inf", 1), "tnum.infty": ("tnum.inf", 1),
            "tnum.issubsctype": ("tnum.issubdtype", 0), "tnum.round_": ("tnum.round", 0)}


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_a_removed_alias_of_its_replacement_is_a_drop_in(tmp_path: Path, order: str) -> None:
    old, new = write_tree(tmp_path / "old", OLD), write_tree(tmp_path / "new", NEW)
    kb = open_db(tmp_path / "k.db")
    for root in ([old, new] if order == "old first" else [new, old]):
        scan(kb, [str(root)], show_progress=False, workers=1)
    rows = {r["api"]: r for r in kb.deprecations(["tnum"])}
    assert {api: (rows[api]["replacement"], rows[api]["drop_in"]) for api in EXPECTED} == EXPECTED

    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    fixed, _, left = fix_source("import tnum as np\nx = [np.NaN, np.Inf, np.issubsctype(a, b)]\n", index)
    assert fixed == "import tnum as np\nx = [np.nan, np.inf, np.issubsctype(a, b)]\n"
    assert [r.api for r in left] == ["tnum.issubsctype"]


def test_only_a_chain_of_the_modules_own_object_counts() -> None:
    """A builtin (`_sum_ = sum`), a name defined below the chain (`_open = open` ... `def open`) or
    bound twice is no alias of the module's object (numpy 1.26's `_datasource.py`, `numerictypes.py`)."""
    from apimigrate.scan.python_source import extract_python
    src = (b"from .umath import PINF\nInf = inf = PINF\ndef round_(a):\n    pass\nround = round_\n"
           b"_sum_ = sum\n_open = open\ndef open(p):\n    pass\nx = y = 1\nz = w\nw = 2\nw = 3\n")
    assert extract_python(src, "pkg/numeric.py", "pkg.numeric").module_info.same == [
        ["Inf", "inf", "PINF"], ["round", "round_"]]
