"""torch rows the audit of section 4 (torch 2.13) found wrong or missing, each on a snippet cut from
torch's own source. The rules are general; each test says which one it checks."""
from __future__ import annotations

from pathlib import Path

from apimigrate.scan.messages import announces_deprecation, says_deprecated_now
from scan_support import rows_of, scan_library


# torch/ao/quantization/observer.py, cut down: warnings with no category (a UserWarning) whose
# text says the keyword "will be deprecated in a future release".
OBSERVER = '''\
import warnings


class UniformQuantizationObserverBase:
    def __init__(self, dtype=None, qscheme=None, reduce_range=False, quant_min=None, quant_max=None,
                 is_dynamic=False, **kwargs):
        self.qscheme = qscheme
        if reduce_range:
            warnings.warn(
                "Please use quant_min and quant_max to specify the range for observers. \\
                    reduce_range will be deprecated in a future release of PyTorch.",
                stacklevel=2,
            )
        self.reduce_range = reduce_range


class PlaceholderObserver:
    def __init__(self, dtype=None, custom_op_name="", compute_dtype=None, quant_min=None, quant_max=None,
                 qscheme=None, eps=None, is_dynamic=False):
        self.dtype = dtype
        if compute_dtype:
            is_dynamic = True
            warnings.warn(
                "Please use `is_dynamic` instead of `compute_dtype`. \\
                    `compute_dtype` will be deprecated in a future release \\
                    of PyTorch.",
                stacklevel=2,
            )


class Announced:
    def __init__(self, fused=None):
        if fused:
            warnings.warn("`fused` will be deprecated in a future release.", UserWarning)


class Firm:
    def __init__(self, legacy=None):
        if legacy:
            warnings.warn("`legacy` will be deprecated soon, please use `modern` instead.", FutureWarning)
'''


def test_a_warning_of_no_deprecation_class_that_only_announces_one_is_pending(tmp_path: Path) -> None:
    assert announces_deprecation("`compute_dtype` will be deprecated in a future release")
    assert not announces_deprecation("`x` will be deprecated; `y` is deprecated")
    rows = rows_of(scan_library(tmp_path, "qlib", "2.13.0", {"qlib/__init__.py": "from .observer import *\n",
                                                             "qlib/observer.py": OBSERVER}), "qlib")
    for key in (("qlib.UniformQuantizationObserverBase", "reduce_range"),
                ("qlib.PlaceholderObserver", "compute_dtype"),
                ("qlib.Announced", "fused")):         # a UserWarning written out: the same
        assert rows[key]["pending"], key
        assert rows[key]["since"] is None
    # a deprecation class's own warning is a deprecation whatever its words
    assert not rows[("qlib.Firm", "legacy")]["pending"]


# torch/optim/lr_scheduler.py, cut down: a UserWarning saying the parameter "is being deprecated",
# given whenever `epoch is not None` (and in the `else:` of `if epoch is None:`).
LR_SCHEDULER = '''\
import warnings

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)


class LRScheduler:
    def step(self, epoch: int | None = None) -> None:
        """Step the scheduler.

        Args:
            epoch (int, optional):
                .. deprecated:: 1.4
                    If provided, sets :attr:`last_epoch` to ``epoch`` and uses
                    :meth:`_get_closed_form_lr` if it is available. This is not
                    universally supported. Use :meth:`step` without arguments
                    instead.
        """
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)


class ReduceLROnPlateau(LRScheduler):
    def step(self, metrics, epoch=None) -> None:  # type: ignore[override]
        """Perform a step."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = epoch
'''


def test_a_none_default_tested_with_is_not_none_deprecates_passing_it(tmp_path: Path) -> None:
    assert says_deprecated_now("The epoch parameter ... is being deprecated where possible.")
    rows = rows_of(scan_library(tmp_path, "olib", "2.13.0", {"olib/__init__.py": "from . import lr_scheduler\n",
                                                             "olib/lr_scheduler.py": LR_SCHEDULER}), "olib")
    step = rows[("olib.lr_scheduler.LRScheduler.step", "epoch")]
    assert step["usage"] == "any" and step["since"] == "1.4" and not step["pending"]
    plateau = rows[("olib.lr_scheduler.ReduceLROnPlateau.step", "epoch")]
    assert plateau["usage"] == "any" and plateau["position"] == 1


# torch/cuda/nccl.py, cut down: the `else:` of an `if` nested in another runs on both conditions;
# it warns about passing `outputs`, and leaving `output` out is no deprecation.
NCCL = '''\
import warnings


def reduce(inputs, output=None, root=0, *, outputs=None):
    if outputs is not None:
        if output is not None:
            raise ValueError("'output' and 'outputs' can not be both specified.")
        else:
            warnings.warn(
                "`nccl.reduce` with an output tensor list is deprecated. "
                "Please specify a single output tensor with argument 'output' instead.",
                FutureWarning,
                stacklevel=2,
            )
            output = outputs[root]
    return output
'''


def test_the_else_of_a_nested_none_test_says_nothing_of_leaving_the_parameter_out(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "clib", "2.13.0", {"clib/__init__.py": "from . import nccl\n",
                                                             "clib/nccl.py": NCCL}), "clib")
    assert rows[("clib.nccl.reduce", "output")]["usage"] == "other"


# torch/__init__.py, cut down: the module `__getattr__` spells the table's value as
# `{replacement.__module__}.{replacement.__name__}`.
TORCH_INIT = '''\
import warnings

import tlib.backends.cuda

_deprecated_attrs = {
    "has_cuda": tlib.backends.cuda.is_built,
}
_renamed_attrs = {
    "cuda_built": tlib.backends.cuda.is_built,
}


def __getattr__(name):
    # Deprecated attrs
    replacement = _deprecated_attrs.get(name)
    if replacement is not None:
        warnings.warn(
            f"'{name}' is deprecated, please use '{replacement.__module__}.{replacement.__name__}()'",
            stacklevel=2,
        )
        return replacement()
    renamed = _renamed_attrs.get(name)
    if renamed is not None:
        warnings.warn(f"'{name}' is deprecated, please use '{renamed.__name__}'", stacklevel=2)
        return renamed
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
'''


def test_a_getattr_message_naming_the_table_value_by_module_and_name_is_filled(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "tlib", "2.13.0", {
        "tlib/__init__.py": TORCH_INIT, "tlib/backends/__init__.py": "",
        "tlib/backends/cuda/__init__.py": "def is_built():\n    return True\n"}), "tlib")
    row = rows[("tlib.has_cuda", None)]
    assert row["message"] == "'has_cuda' is deprecated, please use 'tlib.backends.cuda.is_built()'"
    assert row["replacement"] == "tlib.backends.cuda.is_built" and not row["drop_in"]
    # `{renamed.__name__}` alone would be a guess (`is_built` may be an alias of another function)
    assert rows[("tlib.cuda_built", None)]["message"] == "'cuda_built' is deprecated, please use '{}'"


# torch/nn/init.py, cut down: a factory wraps each new function in one that warns, and binds the
# old names to the wrappers.
INIT = '''\
import functools
import warnings
from collections.abc import Callable
from typing import TypeVar
from typing_extensions import ParamSpec

__all__ = ["uniform_", "normal_", "uniform", "normal", "alias", "halved", "make_alias"]

_R = TypeVar("_R")
_P = ParamSpec("_P")


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    return tensor


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    return tensor


# for backward compatibility
def _make_deprecate(meth: Callable[_P, _R]) -> Callable[_P, _R]:
    new_name = meth.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        warnings.warn(
            f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.",
            FutureWarning,
            stacklevel=2,
        )
        return meth(*args, **kwargs)

    deprecated_init.__doc__ = rf"""
    {old_name}(...)

    .. warning::
        This method is now deprecated in favor of :func:`torch.nn.init.{new_name}`.

    See :func:`~torch.nn.init.{new_name}` for details."""
    deprecated_init.__name__ = old_name
    return deprecated_init


def make_alias(meth):
    @functools.wraps(meth)
    def wrapper(tensor, *args):
        warnings.warn("This alias is deprecated, use the function it wraps.", DeprecationWarning)
        return meth(tensor, 0.5, *args)
    return wrapper


def _keep(meth):
    def wrapper(*args, **kwargs):
        if kwargs:
            warnings.warn("Keywords are deprecated.", DeprecationWarning)
        return meth(*args, **kwargs)
    return wrapper


uniform = _make_deprecate(uniform_)
normal = _make_deprecate(normal_)
halved = make_alias(normal_)
alias = _keep(uniform_)
'''


def test_the_functions_a_deprecating_factory_makes_are_deprecated_aliases(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "nlib", "2.13.0", {"nlib/__init__.py": "from . import init\n",
                                                             "nlib/init.py": INIT}), "nlib")
    for old in ("uniform", "normal"):
        row = rows[(f"nlib.init.{old}", None)]
        assert row["kind"] == "function"
        assert row["message"] == f"`nn.init.{old}` is now deprecated in favor of `nn.init.{old}_`."
        # `deprecated_init(*args, **kwargs)` returns `meth(*args, **kwargs)`: a drop-in
        assert row["replacement"] == f"nlib.init.{old}_" and row["drop_in"]
    # a wrapper that changes the arguments it was given is no drop-in
    halved = rows[("nlib.init.halved", None)]
    assert halved["replacement"] == "nlib.init.normal_" and not halved["drop_in"]
    # a wrapper that warns only on some calls makes no alias deprecated; the factories themselves are not
    assert ("nlib.init.alias", None) not in rows
    assert ("nlib.init.make_alias", None) not in rows


# torch/jit/_trace.py, cut down: both branches of a version test warn a DeprecationWarning, whose text
# names the API by another name (`trace_method`); one of the versions' texts deprecates nothing.
TRACE = '''\
import sys
import warnings


def trace_module(mod, inputs, optimize=None):
    """Trace a module."""
    if sys.version_info >= (3, 14):
        warnings.warn(
            "`torch.jit.trace_method` is not supported in Python 3.14+ and may break. "
            "Please switch to `torch.compile` or `torch.export`.",
            DeprecationWarning,
        )
    else:
        warnings.warn(
            "`torch.jit.trace_method` is deprecated. Please switch to `torch.compile` or `torch.export`.",
            DeprecationWarning,
        )
    return mod


def load(path):
    if sys.version_info >= (3, 14):
        warnings.warn("Passing a path to `load` is deprecated.", DeprecationWarning)
    else:
        warnings.warn("Passing a path to `load` is deprecated; open the file first.", DeprecationWarning)
    return path


def save(obj):
    if sys.version_info >= (3, 14):
        warnings.warn("`torch.jit.trace_method` is deprecated.", DeprecationWarning)
    return obj


def compile(model):
    return model
'''


def test_a_def_warning_a_deprecation_on_every_branch_is_deprecated(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "jlib", "2.13.0", {"jlib/__init__.py": "from ._trace import *\n",
                                                             "jlib/_trace.py": TRACE}), "jlib")
    row = rows[("jlib.trace_module", None)]
    assert row["message"].startswith("`torch.jit.trace_method` is deprecated.")
    # a use named as the subject stays a use; a branch with no `else:` is a condition
    assert not [k for k in rows if k[0].endswith((".load", ".save"))]
