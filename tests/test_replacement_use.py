"""The library's own use of a replacement that is no drop-in, shown in the finding's advice.

pandas 2.1's ``is_sparse`` warns "Check `isinstance(dtype, pd.SparseDtype)` instead": the
replacement the scan stores is a name (``builtins.isinstance``), and "use builtins.isinstance" says
nothing of what to pass it. The messages below are the libraries' own texts.
"""
from __future__ import annotations

import pytest

from apimigrate.callsites.model import describe
from apimigrate.db.records import replacement_use


def row(api: str, replacement: str, message: str, drop_in: bool = False) -> dict:
    return {"api": api, "kind": "function", "replacement": replacement, "message": message, "drop_in": drop_in,
            "since": None, "removed_in": None}


@pytest.mark.parametrize("api, replacement, message, shown", [
    ("pandas.api.types.is_sparse", "builtins.isinstance",
     "is_sparse is deprecated and will be removed in a future version. Check `isinstance(dtype, pd.SparseDtype)` "
     "instead.", "isinstance(dtype, pd.SparseDtype)"),
    ("pandas.api.types.is_categorical_dtype", "builtins.isinstance",
     "is_categorical_dtype is deprecated and will be removed in a future version. Use "
     "isinstance(dtype, pd.CategoricalDtype) instead", "isinstance(dtype, pd.CategoricalDtype)"),
    # the deprecated call comes first, then its replacement's
    ("torch.cholesky", "torch.linalg.cholesky",
     "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
     "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)",
     "torch.linalg.cholesky(A)"),
    ("numpy.who", "builtins.locals", "Use an IDE variable explorer or `locals()` instead.", "locals()"),
    # a template's hole is no call to show; a name only is shown as the name
    ("numpy.random.random_integers", "numpy.random.randint",
     "This function is deprecated. Please call randint(1, {} + 1) instead", None),
    ("numpy.alen", "builtins.len", "np.alen was deprecated. Use ``len`` instead.", None),
    # another call in the message is not the replacement's
    ("numpy.msort", "numpy.sort", "msort is deprecated, use np.sort(a, axis=0) instead", "np.sort(a, axis=0)"),
    ("numpy.asscalar", "numpy.ndarray.item", "np.asscalar(a) is deprecated since NumPy v1.16, use a.item() instead",
     "a.item()"),
])
def test_the_call_the_message_writes_out_is_the_advice(api, replacement, message, shown):
    r = row(api, replacement, message)
    assert replacement_use(r) == shown
    assert describe(r).endswith(f"; use {shown or replacement}")


def test_a_drop_in_replacement_is_shown_by_its_name():
    """`np.product` -> `np.prod` is a rename: the fix makes it, and the name is the whole advice."""
    r = row("numpy.product", "numpy.prod", "`product` is deprecated as of NumPy 1.25.0. Use `np.prod(a)` instead.",
            drop_in=True)
    assert replacement_use(r) is None
    assert describe(r) == "numpy.product is deprecated; use numpy.prod"
