"""A helper that warns whatever it is given, about the function that calls it, makes that function's row.

Found by the audit of `check` on transformers and accelerate with torch 2.13 scanned: torch's
distributed.nn.functional calls `_deprecated("broadcast", "torch.distributed._functional_collectives.
broadcast")` first thing in `broadcast`, `all_gather`, `all_reduce`..., and the helper warns
"torch.distributed.nn.functional.{name} is deprecated, use {suggestion} instead." A helper's warning
only corroborated other evidence (it may depend on what the helper is given, pandas'
`maybe_convert_inferred_freq` warns only for some values), so these had no rows: 6 uses were missed.
"""
from __future__ import annotations

from pathlib import Path

from scan_support import scanned_rows

FUNCTIONAL = '''\
import warnings


def _deprecated(name, suggestion):
    warnings.warn(
        f"tdist.functional.{name} is deprecated, "
        f"use {suggestion} instead.",
        category=FutureWarning,
        stacklevel=3,
    )


def _maybe_deprecated(name, value):
    if value is None:
        warnings.warn(f"tdist.functional.{name} is deprecated without a value.", FutureWarning)


def _changes(name):
    warnings.warn(f"The default of {name} will change.", FutureWarning)


def broadcast(tensor, src):
    _deprecated("broadcast", "tdist.collectives.broadcast")
    return tensor


def all_reduce(tensor, op=None):
    """Reduces the tensor data across all machines."""
    _deprecated("all_reduce", "tdist.collectives.all_reduce")
    return tensor


def gather(tensor, value=None):
    _maybe_deprecated("gather", value)          # a conditional warning: corroborates only
    return tensor


def scatter(tensor):
    _changes("scatter")                          # says no deprecation of the caller
    return tensor


def reduce(tensor):
    if tensor is None:
        _deprecated("reduce", "tdist.collectives.reduce")    # a conditional call: nothing
    return tensor
'''


def test_an_unconditional_helper_saying_its_caller_is_deprecated(tmp_path: Path) -> None:
    collectives = "def broadcast(t, s):\n    return t\ndef all_reduce(t):\n    return t\n"
    rows = scanned_rows(tmp_path, "tdist", "2.13.0", {"tdist/__init__.py": "", "tdist/functional.py": FUNCTIONAL,
                                                    "tdist/collectives.py": collectives})
    apis = {api for api, param in rows if param is None}
    assert apis == {"tdist.functional.broadcast", "tdist.functional.all_reduce"}
    row = rows[("tdist.functional.broadcast", None)]
    assert row["replacement"] == "tdist.collectives.broadcast"
    assert row["message"].startswith("tdist.functional.broadcast is deprecated")
