"""A keyword is a rename (`fix` writes `new=` for `old=`) only when the old values mean the same under
the new name; a wrapper is a drop-in only when it passes its parameters on as they are.

Found by the audit of `check` on transformers, peft and accelerate with torch 2.13 scanned: four of
torch's eight keywords stored as renames were not, and `fix` wrote broken code. torch documents
parameters Google-style (`use_cuda (bool, optional):`) and annotates them, which were not read (only
numpydoc `name : type` entries were), and one message says the new keyword behaves otherwise. The
snippets are cut from torch 2.13 (profiler/profiler.py, autograd/profiler.py,
ao/quantization/observer.py, nn/parallel/distributed.py, nn/modules/activation.py,
autograd/__init__.py, fx/experimental/unification/multipledispatch/dispatcher.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.scan.param_types import annotation_kinds, documented_kinds, values_carry_over
from scan_support import scanned_rows

SOURCE = '''\
import warnings
from typing import Any, Iterable, Optional


class ProfilerActivity:
    CPU = 0
    CUDA = 1


class profile:
    def __init__(
        self,
        *,
        activities: Optional[Iterable[ProfilerActivity]] = None,
        record_shapes: bool = False,
        use_cuda: Optional[bool] = None,
    ):
        if use_cuda is not None:
            warnings.warn(
                "`use_cuda` is deprecated, use `activities` argument instead",
                FutureWarning,
                stacklevel=2,
            )
            if use_cuda:
                activities = [ProfilerActivity.CPU, ProfilerActivity.CUDA]
        self.activities = activities


class legacy_profile:
    def __init__(self, enabled=True, *, use_cuda=False, use_device=None):
        """Context manager that manages autograd profiler state.

        Args:
            enabled (bool, optional): Setting this to False makes this context manager a no-op.
            use_cuda (bool, optional): Enables timing of CUDA events as well.
            use_device (str, optional): Enables timing of device events.
        """
        if use_cuda:
            warnings.warn(
                "The attribute `use_cuda` will be deprecated soon, "
                "please use ``use_device = 'cuda'`` instead.",
                FutureWarning,
                stacklevel=2,
            )
            self.use_device = "cuda"
        else:
            self.use_device = use_device


class PlaceholderObserver:
    def __init__(self, dtype=None, custom_op_name="", compute_dtype=None, is_dynamic=False):
        """
        Args:
            dtype: dtype argument to the `quantize` node needed to implement the
                   reference model spec.
            compute_dtype (deprecated): if set, marks the future quantize function to use
                           dynamic quantization instead of static quantization.
                           This field is deprecated, use `is_dynamic=True` instead.
            is_dynamic: if True, the `quantize` function in the reference model
                        representation taking stats from this observer instance will
                        use dynamic quantization.
        """
        if compute_dtype:
            is_dynamic = True
            warnings.warn(
                "Please use `is_dynamic` instead of `compute_dtype`. "
                "`compute_dtype` will be deprecated in a future release of PyTorch.",
                DeprecationWarning,
            )
        self.is_dynamic = is_dynamic


class DistributedDataParallel:
    """Implement distributed data parallelism.

    Args:
        broadcast_buffers (bool or None): Flag that enables syncing (broadcasting)
                          buffers of the module at beginning of the ``forward``
                          function. (default: ``None``)

                          .. deprecated:: 2.13
                              Use ``forward_sync_buffers`` instead.
        forward_sync_buffers (bool or None): Whether to sync buffers at the beginning of ``forward``.
    """

    def __init__(self, module, broadcast_buffers: bool = True, forward_sync_buffers: bool = True):
        if not broadcast_buffers:
            warnings.warn(
                "`broadcast_buffers` is deprecated. Use `forward_sync_buffers` instead. "
                "IMPORTANT: unlike `broadcast_buffers=False`, `forward_sync_buffers=False` "
                "still syncs buffers at init.",
                FutureWarning,
                stacklevel=2,
            )
        if forward_sync_buffers is not None:
            self.forward_sync_buffers = forward_sync_buffers
        else:
            effective_broadcast = broadcast_buffers if broadcast_buffers is not None else True
            self.forward_sync_buffers = effective_broadcast


class Hardtanh:
    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: Optional[float] = None,
    ) -> None:
        if min_value is not None:
            warnings.warn(
                "keyword argument `min_value` is deprecated and renamed to `min_val`",
                FutureWarning,
                stacklevel=2,
            )
            min_val = min_value
        self.min_val = min_val


def backward(tensors, grad_tensors: Optional[Any] = None, retain_graph=None, grad_variables: Optional[Any] = None):
    """Compute the sum of gradients of given tensors with respect to graph leaves.

    Args:
        tensors (Sequence[Tensor] or Tensor): Tensors of which the derivative will be computed.
        grad_tensors (Sequence[Tensor or None] or Tensor, optional): The "vector" in the
            Jacobian-vector product.
    """
    if grad_variables is not None:
        warnings.warn(
            "`grad_variables` is deprecated. Use `grad_tensors` instead.",
            FutureWarning,
            stacklevel=2,
        )
        if grad_tensors is None:
            grad_tensors = grad_variables
    return grad_tensors


class LassoLike:
    """scikit-learn's shape: the constructor stores its arguments, fit() reads them.

    Parameters
    ----------
    n_alphas : int, default=100
        Number of alphas.

        .. deprecated:: 1.7
            `n_alphas` was deprecated in 1.7 and will be removed in 1.9. Use `alphas` instead.

    alphas : int, default=100
        Number of alphas, or the alphas.
    """

    def __init__(self, n_alphas="deprecated", alphas=100):
        self.n_alphas = n_alphas
        self.alphas = alphas


def _deprecate_y_pred_parameter(y_score, y_pred, version):
    return y_pred if y_pred != "deprecated" else y_score


def from_predictions(y_true, y_score=None, *, y_pred="deprecated"):
    """scikit-learn 1.8 `DetCurveDisplay.from_predictions`: a helper hands on whichever was given."""
    if y_pred != "deprecated":
        warnings.warn("`y_pred` is deprecated and will be removed in 1.10. Use `y_score` instead.", FutureWarning)
    y_score = _deprecate_y_pred_parameter(y_score, y_pred, "1.8")
    return y_score


class DTypeConfig:
    is_dynamic = False


def _start(*args):
    return args


def record(*, activities: Optional[Iterable[ProfilerActivity]] = None, use_cuda: Optional[bool] = None):
    # the body sets neither: only the annotations tell
    if use_cuda is not None:
        warnings.warn("`use_cuda` is deprecated, use `activities` argument instead", FutureWarning)
    return _start(activities, use_cuda)


def sync(module, broadcast_buffers: bool = True, forward_sync_buffers: bool = True):
    # only the message tells
    if not broadcast_buffers:
        warnings.warn(
            "`broadcast_buffers` is deprecated. Use `forward_sync_buffers` instead. IMPORTANT: unlike "
            "`broadcast_buffers=False`, `forward_sync_buffers=False` still syncs buffers at init.",
            FutureWarning,
        )
    return _start(module, broadcast_buffers, forward_sync_buffers)


class Series:
    def map(self, func=None, na_action=None, **kwargs):
        if func is None:
            if "arg" in kwargs:
                func = kwargs.pop("arg")
                warnings.warn(
                    "The parameter `arg` has been renamed to `func`, and it "
                    "will stop being supported in a future version of pandas.",
                    FutureWarning,
                    stacklevel=2,
                )
        return func


class Dispatcher:
    def dispatch(self, *types):
        return types

    def resolve(self, types):
        warnings.warn("resolve() is deprecated, use dispatch(*types)", FutureWarning)
        return self.dispatch(*types)
'''


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("tprof")
    return scanned_rows(tmp, "tprof", "2.13.0", {"tprof/__init__.py": SOURCE})


def test_a_keyword_whose_values_mean_something_else_is_no_rename(rows: dict) -> None:
    # `activities=True` is a TypeError, `use_device=True` a warning about the device "True",
    # `is_dynamic=torch.quint8` no dynamic flag
    for api, old in (("tprof.profile", "use_cuda"), ("tprof.legacy_profile", "use_cuda"),
                     ("tprof.PlaceholderObserver", "compute_dtype"), ("tprof.record", "use_cuda")):
        row = rows.get((api, old))
        assert row is not None, (api, old)
        assert row["new_parameter"] in (None, ""), (api, old, row["new_parameter"])
        assert row["replacement"] in (None, ""), (api, old, row["replacement"])     # a keyword is no API


def test_a_message_saying_the_new_keyword_behaves_otherwise_is_no_rename(rows: dict) -> None:
    for api in ("tprof.DistributedDataParallel", "tprof.sync"):
        assert rows[(api, "broadcast_buffers")]["new_parameter"] in (None, ""), api


def test_true_renames_stay(rows: dict) -> None:
    assert rows[("tprof.Hardtanh", "min_value")]["new_parameter"] == "min_val"      # float | None -> float
    assert rows[("tprof.backward", "grad_variables")]["new_parameter"] == "grad_tensors"   # the same annotation
    assert rows[("tprof.Series.map", "arg")]["new_parameter"] == "func"     # `func = kwargs.pop("arg")` (pandas 3.1)
    assert rows[("tprof.LassoLike", "n_alphas")]["new_parameter"] == "alphas"   # `self.alphas = alphas` says nothing
    assert rows[("tprof.from_predictions", "y_pred")]["new_parameter"] == "y_score"


def test_a_wrapper_that_splats_its_parameter_is_no_drop_in(rows: dict) -> None:
    row = rows[("tprof.Dispatcher.resolve", None)]
    assert row["replacement"] == "tprof.Dispatcher.dispatch"
    assert not row["drop_in"]          # `resolve((int,))` -> `dispatch((int,))` passes one tuple, not its items


def test_kinds_from_google_entries_and_annotations() -> None:
    doc = "Args:\n    use_cuda (bool, optional): CUDA too.\n    use_device (str, optional): a device.\n"
    kinds = documented_kinds(doc)
    assert kinds == {"use_cuda": {"bool"}, "use_device": {"str"}}
    assert not values_carry_over(kinds["use_cuda"], kinds["use_device"])
    assert annotation_kinds("Optional[Iterable[ProfilerActivity]]") == {"none", "other:Iterable[ProfilerActivity]"}
    assert annotation_kinds("bool | None") == {"bool", "none"}
    assert not values_carry_over(annotation_kinds("Optional[bool]"), annotation_kinds("Optional[Iterable[A]]"))
    assert not values_carry_over(annotation_kinds("torch.dtype"), annotation_kinds("bool"))
    assert values_carry_over(annotation_kinds("Optional[float]"), annotation_kinds("float"))
    assert values_carry_over(annotation_kinds("A"), annotation_kinds("A | None"))
    assert values_carry_over(annotation_kinds("A"), annotation_kinds("B"))       # cannot be compared
