"""Deprecations said only in an admonition of the API's own docstring.

Found by the audit of `check` on transformers with torch 2.13 scanned: `torch.norm` (6 uses in
transformers missed), `torch.chain_matmul`, `torch.set_default_tensor_type` had no rows: their
docstrings open a `.. warning::` by saying the function is deprecated, and such admonitions were read
only from the texts torch attaches to its C functions (`add_docstr`), not from a def's own docstring.
"""
from __future__ import annotations

from pathlib import Path

from scan_support import scanned_rows


# torch 2.13 torch/functional.py and torch/__init__.py: deprecations said only in a def's own
# docstring, in an admonition (no warning at run time, no `.. deprecated::` directive).
ADMONITIONS = '''\\
def norm(input, p="fro", dim=None):
    r"""Returns the matrix norm or vector norm of a given tensor.

    .. warning::

        torch.norm is deprecated and may be removed in a future PyTorch release.
        Its documentation and behavior may be incorrect, and it is no longer
        actively maintained.

        Use :func:`torch.linalg.vector_norm` when computing vector norms and
        :func:`torch.linalg.matrix_norm` when computing matrix norms.
    """
    return input


def chain_matmul(*matrices):
    r"""Returns the matrix product of the N 2-D tensors.

    .. warning::

        :func:`torch.chain_matmul` is deprecated and will be removed in a future PyTorch release.
        Use :func:`torch.linalg.multi_dot` instead.
    """
    return matrices


def set_default_tensor_type(t, /):
    r"""
    .. warning::

        This function is deprecated as of PyTorch 2.1, please use :func:`torch.set_default_dtype()` and
        :func:`torch.set_default_device()` as alternatives.
    """


def stft(input, n_fft, return_complex=None):
    r"""Short-time Fourier transform.

    .. warning::
        From version 1.8.0, :attr:`return_complex` must always be given
        explicitly for real inputs and `return_complex=False` is deprecated.

    .. note::
        This behavior is deprecated and will be changed in a future release.

    .. warning::
        torch.istft is deprecated, use something else.
    """
    return input
'''


def test_a_defs_own_admonition_saying_it_is_deprecated(tmp_path: Path) -> None:
    rows = scanned_rows(tmp_path, "tadm", "2.13.0", {"tadm/__init__.py": ADMONITIONS})
    assert {api for api, param in rows if param is None} == {"tadm.norm", "tadm.chain_matmul",
                                                             "tadm.set_default_tensor_type"}
    assert rows[("tadm.chain_matmul", None)]["replacement"] == "torch.linalg.multi_dot"


# scipy 1.17 scipy/interpolate/_interpolate.py: `interp2d` is a stub that raises; only its docstring's
# Sphinx `versionremoved` says so. The 1.10 notes' "has been deprecated" gave a row without a removal.
REMOVED_STUB = '''\\
err_mesg = "`interp2d` has been removed in SciPy 1.14.0."


class interp2d:
    """
    interp2d(x, y, z, kind='linear', copy=True, bounds_error=False,
             fill_value=None)

    Class for 2D interpolation (removed)

    .. versionremoved:: 1.14.0

        `interp2d` has been removed in SciPy 1.14.0.

        For legacy code, nearly bug-for-bug compatible replacements are
        `RectBivariateSpline` on regular grids, and `bisplrep`/`bisplev` for
        scattered 2D data.
    """
    def __init__(self, x, y, z, kind='linear', copy=True, bounds_error=False,
                 fill_value=None):
        raise NotImplementedError(err_mesg)


def still_here(x):
    """A function.

    .. versionadded:: 1.14.0
    """
    return x
'''


def test_a_versionremoved_directive_dates_the_removal(tmp_path: Path) -> None:
    rows = scanned_rows(tmp_path, "tinterp", "1.17.1", {"tinterp/__init__.py": REMOVED_STUB})
    assert set(rows) == {("tinterp.interp2d", None)}
    row = rows[("tinterp.interp2d", None)]
    assert (row["removed_in"], row["since"]) == ("1.14.0", None)
