"""How torch deprecates, on real-shaped snippets and on the installed torch: docstrings attached
at import to functions written in C (`add_docstr(torch.qr, r"...")`, torch/_torch_docs.py), read
as the function's docstring; and a module `__getattr__` that looks the name up in a table
(`replacement = _deprecated_attrs.get(name)`), whose warning is about the table's names, not the
module (before, every `import torch` was flagged)."""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from scan_support import rows_of, scan_library

# torch 2.x torch/_torch_docs.py, cut down: three deprecated functions said so three ways, one
# whose *behaviour* is deprecated (not the function), and one that is not deprecated at all.
DOCS = '''\
"""Adds docstrings to functions defined in the torch._C module."""

import tlib._C
from tlib._C import _add_docstr as add_docstr

common_args = {"input": "input (Tensor): the input tensor."}

add_docstr(
    tlib.qr,
    r"""
qr(input: Tensor, some: bool = True, *, out=None) -> (Tensor, Tensor)

Computes the QR decomposition of a matrix.

.. warning::

    :func:`tlib.qr` is deprecated in favor of :func:`tlib.linalg.qr`
    and will be removed in a future PyTorch release. The boolean parameter :attr:`some` has been
    replaced with a string parameter :attr:`mode`.
""",
)

add_docstr(
    tlib.ger,
    r"""
ger(input, vec2, *, out=None) -> Tensor

Alias of :func:`tlib.outer`.

.. warning::
    This function is deprecated and will be removed in a future PyTorch release.
    Use :func:`tlib.outer` instead.
""",
)

add_docstr(
    tlib.old_sum,
    r"""
old_sum(input) -> Tensor

.. deprecated:: 2.1
    Use :func:`tlib.sum` instead.
""".format(**common_args),
)

add_docstr(
    tlib.cross,
    r"""
cross(input, other, dim=None, *, out=None) -> Tensor

.. warning::
    If :attr:`dim` is not given, it defaults to the first dimension found with the size 3.
    This behavior is deprecated and will be changed to match that of :func:`tlib.linalg.cross`
    in a future release.
""",
)

add_docstr(
    tlib.outer,
    r"""
outer(input, vec2, *, out=None) -> Tensor

.. note:: This function does not broadcast.
""",
)
'''


# torch 2.x torch/__init__.py, cut down.
INIT = '''\
from tlib._C import *
from tlib import _torch_docs
import tlib.backends

_deprecated_attrs = {
    "has_mps": tlib.backends.mps.is_built,
    "has_cuda": tlib.backends.cuda.is_built,
}
_lazy_modules = {"onnx"}


def __getattr__(name):
    # Deprecated attrs
    replacement = _deprecated_attrs.get(name)
    if replacement is not None:
        import warnings

        warnings.warn(
            f"'{name}' is deprecated, please use '{replacement.__module__}.{replacement.__name__}()'",
            stacklevel=2,
        )
        return replacement()

    if name in _lazy_modules:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
'''


def test_attached_docstrings_are_the_functions_docstrings(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "tlib", "2.3.0", {
        "tlib/__init__.py": INIT, "tlib/_C/__init__.py": "def _add_docstr(obj, doc):\n    return obj\n",
        "tlib/_torch_docs.py": DOCS})
    rows = {api: r for (api, _param), r in rows_of(kb, "tlib").items()}
    # not cross (a behaviour), not outer, not the module tlib itself
    assert set(rows) == {"tlib.qr", "tlib.ger", "tlib.old_sum", "tlib.has_mps", "tlib.has_cuda"}
    # `has_cuda` is the value of `backends.cuda.is_built()`, not that function: advice, no rename
    assert rows["tlib.has_cuda"]["replacement"] == "tlib.backends.cuda.is_built"
    assert not rows["tlib.has_cuda"]["drop_in"] and rows["tlib.has_cuda"]["kind"] == "attribute"
    assert rows["tlib.qr"]["replacement"] == "tlib.linalg.qr" and rows["tlib.qr"]["kind"] == "function"
    assert rows["tlib.ger"]["replacement"] == "tlib.outer"
    assert rows["tlib.old_sum"]["replacement"] == "tlib.sum" and rows["tlib.old_sum"]["since"] == "2.1"
    evidence = kb.db.execute("SELECT path, line FROM evidence e JOIN deprecations d ON d.id = e.deprecation_id "
                             "WHERE d.api = 'tlib.qr'").fetchall()
    assert [(Path(p).name, line) for p, line in evidence] == [("_torch_docs.py", DOCS[:DOCS.index(
        ".. warning::")].count("\n") + 1)]


@pytest.mark.slow
def test_the_installed_torch(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    kb = open_db(tmp_path / "k.db")
    scan(kb, ["torch"], show_progress=False)
    rows = {r["api"]: r for r in kb.deprecations(["torch"])}
    assert rows["torch.qr"]["replacement"] == "torch.linalg.qr"
    assert rows["torch.svd"]["replacement"] == "torch.linalg.svd"
    assert rows["torch.triangular_solve"]["replacement"] == "torch.linalg.solve_triangular"
    assert "torch.cross" not in rows and "torch.outer" not in rows and "torch" not in rows
    assert rows["torch.has_cuda"]["replacement"] == "torch.backends.cuda.is_built"
