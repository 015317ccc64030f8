"""Errors the precision audit found on torch rows (benchmarks/scan_audit.py), each on a real-shaped
snippet. The rules are general: Google-style ``Args:`` sections, warnings whose subject is a call
written with arguments or an input the function received, and decorators named with their ``@``."""
from __future__ import annotations

from pathlib import Path

from apimigrate.scan.messages import clean_name, replacement_from_text
from scan_support import rows_of, scan_library

# torch 2.13 torch/functional.py, cut down: the `.. deprecated::` sits under one argument of a
# Google-style "Args:" section, so `return_complex=False` is deprecated, not `stft`.
FUNCTIONAL = '''\
import warnings


def stft(input, n_fft, return_complex=None):
    r"""Short-time Fourier transform (STFT).

    Args:
        input (Tensor): the input tensor of shape `(B?, L)`
        n_fft (int): size of Fourier transform
        return_complex (bool, optional): whether to return a complex tensor, or
            a real tensor with an extra last dimension for the real and
            imaginary components.

            .. versionchanged:: 2.0
               ``return_complex`` is now a required argument for real inputs,
               as the default is being transitioned to ``True``.

            .. deprecated:: 2.0
               ``return_complex=False`` is deprecated, instead use ``return_complex=True``
               Note that calling :func:`tlib.view_as_real` on the output will
               recover the deprecated output format.

    Returns:
        Tensor: A tensor containing the STFT result
    """
    return input


def old_norm(input, p="fro"):
    r"""Returns the matrix norm or vector norm of a given tensor.

    .. deprecated:: 2.1
        Use :func:`tlib.linalg.norm` instead.

    Args:
        input (Tensor): The input tensor.
        p (str): the order of norm.
    """
    return input


def dropout2d(input, p=0.5, training=True, inplace=False):
    r"""Randomly zero out entire channels.

    Args:
        p: probability of a channel to be zeroed. Default: 0.5
        training: apply dropout if is ``True``. Default: ``True``
    """
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warn_msg = (
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions."
        )
        warnings.warn(warn_msg, stacklevel=2)
    return input


def dropout(input, p=0.5, training=True, inplace=False):
    return input


def view_as_real(input):
    return input
'''

# torch 2.13 torch/_jit_internal.py, cut down: the function is deprecated by its docstring; the
# two warnings are about calling it with `drop_on_export=True` or with `True`, and their "Use
# torch.jit.unused now" is no replacement for `ignore` itself.
JIT = '''\
import warnings


def unused(fn):
    return fn


def ignore(drop=False, **kwargs):
    """
    This decorator indicates to the compiler that a function or method should
    be ignored and left as a Python function.

    .. deprecated:: 2.5
        Please use :func:`tlib.compile` instead.
    """
    if callable(drop):
        return drop

    # for backwards compat
    drop_on_export = kwargs.pop("drop_on_export", None)
    if drop_on_export:
        warnings.warn(
            "ignore(drop_on_export=True) has been deprecated. TorchScript will now drop the function "
            "call on compilation. Use tlib.jit.unused now. {}",
            stacklevel=2,
            category=FutureWarning,
        )
        drop = drop_on_export
    elif drop:
        warnings.warn(
            "ignore(True) has been deprecated. TorchScript will now drop the function "
            "call on compilation. Use tlib.jit.unused now. {}",
            stacklevel=2,
            category=FutureWarning,
        )
    return drop
'''

# torch 2.13 torch/distributed/elastic/metrics/api.py, cut down: the replacement is a decorator,
# written as it is used.
METRICS = '''\
from typing_extensions import deprecated


def prof(fn=None, group: str = "torchelastic"):
    return fn


@deprecated("Deprecated, use `@prof` instead", category=FutureWarning)
def profile(group=None):
    return group
'''


def _lib() -> dict[str, str]:
    return {"tlib/__init__.py": "from .functional import stft, old_norm, view_as_real\n"
                                "from . import linalg\n\n\ndef compile(model):\n    return model\n",
            "tlib/linalg.py": "def norm(input):\n    return input\n", "tlib/functional.py": FUNCTIONAL,
            "tlib/jit/__init__.py": "from ._internal import ignore, unused\n", "tlib/jit/_internal.py": JIT,
            "tlib/metrics.py": METRICS}


def _rows(tmp_path: Path) -> dict[tuple[str, str | None], dict]:
    return rows_of(scan_library(tmp_path, "tlib", "2.13.0", _lib()), "tlib")


def test_a_directive_under_a_google_style_argument_is_about_that_argument(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert ("tlib.stft", None) not in rows
    row = rows[("tlib.stft", "return_complex")]
    assert row["kind"] == "parameter" and row["since"] == "2.0"
    assert not row["new_parameter"]
    # a directive above the Args: section still deprecates the function
    assert rows[("tlib.old_norm", None)]["replacement"] == "tlib.linalg.norm"


def test_a_warning_about_a_call_with_given_arguments_is_about_those_arguments(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    ignore = rows[("tlib.jit.ignore", None)]
    assert ignore["replacement"] == "tlib.compile" and ignore["since"] == "2.5"
    # `ignore(True)` is `drop=True`; `ignore(drop_on_export=True)` a keyword its **kwargs take
    assert rows[("tlib.jit.ignore", "drop")]["kind"] == "parameter"
    assert rows[("tlib.jit.ignore", "drop_on_export")]["kind"] == "parameter"


def test_a_warning_about_the_input_received_is_about_that_input(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert not [k for k in rows if k[0] == "tlib.functional.dropout2d" or k[0] == "tlib.dropout2d"]


def test_a_decorator_written_with_its_at_sign_is_the_replacement(tmp_path: Path) -> None:
    assert clean_name("`@prof`") == "prof"
    assert replacement_from_text("Deprecated, use `@prof` instead") == "prof"
    rows = _rows(tmp_path)
    assert rows[("tlib.metrics.profile", None)]["replacement"] == "tlib.metrics.prof"


# torch 2.13 torch/distributed/elastic/agent/server/api.py, cut down: a dataclass has no __init__
# def, its fields are its constructor's parameters, and __post_init__ warns about one of them.
WORKER = '''\
import warnings
from dataclasses import dataclass
from typing import Callable


@dataclass
class WorkerSpec:
    role: str
    local_world_size: int
    fn: Callable | None = None
    entrypoint: Callable | str | None = None
    max_restarts: int = 3

    def __post_init__(self):
        if self.local_world_size <= 0:
            raise AssertionError
        if self.fn:
            warnings.warn(
                "WorkerSpec.fn will be deprecated,"
                " please use WorkerSpec.entrypoint instead",
                stacklevel=2,
                category=DeprecationWarning,
            )
            self.entrypoint = self.fn
'''


def test_a_dataclass_field_warned_about_in_post_init_is_a_constructor_parameter(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "wlib", "2.13.0", {"wlib/__init__.py": "from .api import WorkerSpec\n",
                                                           "wlib/api.py": WORKER}), "wlib")
    assert ("wlib.WorkerSpec", None) not in rows
    row = rows[("wlib.WorkerSpec", "fn")]
    assert row["kind"] == "parameter" and row["new_parameter"] == "entrypoint" and row["replacement"] is None


# torch 2.13 torch/cuda/memory.py, cut down: a FutureWarning that says what the function does now
# deprecates nothing; one that says "deprecated" does.
MEMORY = '''\
import warnings

__all__ = ["reset_max_memory_allocated", "memory_cached"]


def reset_max_memory_allocated(device=None):
    warnings.warn(
        "torch.cuda.reset_max_memory_allocated now calls torch.cuda.reset_peak_memory_stats, "
        "which resets /all/ peak memory stats.",
        FutureWarning,
    )
    return device


def memory_cached(device=None):
    warnings.warn(
        "torch.cuda.memory_cached has been renamed to torch.cuda.memory_reserved",
        FutureWarning,
    )
    return device
'''


def test_a_future_warning_that_deprecates_nothing_is_no_evidence(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "mlib", "2.13.0", {"mlib/__init__.py": "from .memory import *\n",
                                                             "mlib/memory.py": MEMORY}), "mlib")
    assert ("mlib.reset_max_memory_allocated", None) not in rows
    assert ("mlib.memory_cached", None) in rows
