"""torch rows the audit of section 4 (torch 2.13) found wrong or missing, each on a snippet cut from
torch's own source. The rules are general; each test says which one it checks."""
from __future__ import annotations

from pathlib import Path

from apimigrate.scan.messages import announces_deprecation
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
