"""False findings that `apimigrate check` gave on real code that uses torch and pandas correctly
(transformers 5.23, peft 0.21, seaborn 0.13; benchmarks/check_audit.py), each traced to the row the
scan stored and reproduced here on the library's own shape: the row, then a check of user code."""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import DeprecationIndex, find_references
from scan_support import rows_of, scan_library

# torch/autograd/function.py, cut down: the class warns when a subclass is instantiated, because
# its methods are static and meant to be called on the class (`MyFn.apply(x)`).
AUTOGRAD = '''\
import warnings


class Function:
    r"""Base class to create custom `autograd.Function`."""

    def __init__(self, *args, **kwargs):
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions "
            "are all static, so you should invoke them on the class itself. "
            "Instantiating an autograd function will raise an "
            "error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )


class OldFunction:
    def __init__(self, *args, **kwargs):
        warnings.warn("OldFunction is deprecated, use Function instead", DeprecationWarning)
'''

# torch/nn/attention/flex_attention.py, cut down: one of four overloads is deprecated, the one a
# call with `return_lse=True` and no `return_aux` matches.
FLEX = '''\
from typing import Literal, overload

from typing_extensions import deprecated


class AuxRequest:
    pass


@overload
def flex_attention(query, key, value, score_mod=..., block_mask=..., scale=..., enable_gqa=...,
                   return_lse: Literal[False] = ..., kernel_options=..., *, return_aux: None = ...): ...


@overload
@deprecated(
    "return_lse is deprecated and will be removed in v2.10. "
    "Use return_aux=AuxRequest(lse=True) instead.",
    category=FutureWarning,
)
def flex_attention(query, key, value, score_mod=..., block_mask=..., scale=..., enable_gqa=...,
                   return_lse: Literal[True] = ..., kernel_options=..., *, return_aux: None = ...): ...


@overload
def flex_attention(query, key, value, score_mod=..., block_mask=..., scale=..., enable_gqa=...,
                   return_lse: bool = ..., kernel_options=..., *, return_aux: AuxRequest): ...


def flex_attention(query, key, value, score_mod=None, block_mask=None, scale=None, enable_gqa=False,
                   return_lse=False, kernel_options=None, *, return_aux=None):
    return query


@overload
@deprecated("np.fix will be deprecated in favor of np.trunc")
def fix(x: float, out: None = None) -> float: ...
@overload
@deprecated("np.fix will be deprecated in favor of np.trunc")
def fix(x: list, out: None = None) -> list: ...
def fix(x, out=None):
    return x


@overload
def norm(x, ord: Literal["fro"] = ...) -> float: ...
@overload
@deprecated("passing a matrix of this type is deprecated")
def norm(x: list, ord: str = ...) -> float: ...
def norm(x, ord="fro"):
    return x


@overload
def load(path: str, mode: Literal["r", "rb"] = ...) -> str: ...
@overload
@deprecated("Passing a bytes path is deprecated; decode it first.")
def load(path: bytes, mode: Literal["r", "rb"] = ...) -> str: ...
def load(path, mode="r"):
    return path


@overload
def join(a, how: Literal["inner", "outer"] = ...) -> list: ...
@overload
@deprecated("This variant is deprecated.")
def join(a, how: Literal["cross"] = ...) -> list: ...
def join(a, how="inner"):
    return a
'''

# pandas 3.1 pandas/core/interchange/from_dataframe.py, cut down: a DataFrame is returned as it is,
# an object with the Arrow interface converted through it; only the interchange-protocol path warns.
INTERCHANGE = '''\
import warnings


def from_dataframe(df, allow_copy=True):
    """Build a ``pd.DataFrame`` from any DataFrame supporting the interchange protocol."""
    if isinstance(df, dict):
        return df

    if hasattr(df, "__arrow_c_stream__"):
        return table(df)

    if not hasattr(df, "__dataframe__"):
        raise ValueError("`df` does not support __dataframe__")

    warnings.warn(
        "The Dataframe Interchange Protocol is deprecated.\\n"
        "For dataframe-agnostic code, you may want to look into Narwhals\\n",
        FutureWarning,
    )
    return df.__dataframe__()


def old_reader(path):
    if path is None:
        raise ValueError("no path")
    warnings.warn("This function is deprecated, use new_reader", FutureWarning)
    return path


def legacy_reader(path):
    if not path:
        return None
    warnings.warn("legacy_reader is deprecated, use new_reader", FutureWarning)
    return path


def read_a(path):
    if path is None:
        return None
    warnings.warn("Use new_reader instead.", DeprecationWarning)
    return path


def new_reader(path):
    return path
'''

FILES = {"tlib/__init__.py": "from tlib import autograd, attention\nfrom tlib.attention import fix, norm, load, join\n",
         "tlib/autograd.py": AUTOGRAD, "tlib/attention.py": FLEX, "tlib/interchange.py": INTERCHANGE}


def test_a_class_meant_to_be_used_without_instances_is_not_deprecated(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "tlib", "2.13.0", FILES), "tlib")
    assert ("tlib.autograd.Function", None) not in rows
    # the rule is about that message, not about warnings in `__init__`
    assert rows[("tlib.autograd.OldFunction", None)]["kind"] == "class"


def test_a_deprecated_overload_is_the_values_that_select_it(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "tlib", "2.13.0", FILES)
    rows = rows_of(kb, "tlib")
    assert ("tlib.attention.flex_attention", None) not in rows
    row = rows[("tlib.attention.flex_attention", "return_lse")]
    assert (row["kind"], row["usage"], row["param_values"], row["position"]) == (
        "parameter", "value", '["True"]', 7)
    assert row["removed_in"] == "2.10"
    # every overload deprecated: the function is
    assert rows[("tlib.fix", None)]["kind"] == "function"
    # an overload told apart by a type alone: no call shows it, so no row; nor does a Literal that
    # every overload admits alike, unless the message names that parameter
    assert not any(api.endswith((".norm", ".load")) for api, _ in rows)
    # a Literal no other overload admits tells it apart without the message's help
    assert (rows[("tlib.join", "how")]["usage"], rows[("tlib.join", "how")]["param_values"]) == ("value", '["\'cross\'"]')

    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    code = ("import tlib\n"
            "from tlib.attention import flex_attention\n"
            "class Exp(tlib.autograd.Function):\n    pass\n"
            "y = Exp.apply(x)\n"
            "a = flex_attention(q, k, v)\n"
            "b = flex_attention(q, k, v, return_lse=False)\n"
            "c = flex_attention(q, k, v, return_lse=True)\n"
            "d = flex_attention(q, k, v, None, None, None, False, True)\n")
    found = sorted((r.line, r.api, r.parameter) for r in find_references(code, index))
    assert found == [(7, "tlib.attention.flex_attention", "return_lse"),
                     (8, "tlib.attention.flex_attention", "return_lse")]


def test_a_warning_on_one_way_through_a_function_is_about_that_way(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "tlib", "2.13.0", FILES), "tlib")
    assert ("tlib.interchange.from_dataframe", None) not in rows
    # a `raise` before it validates the input; a message naming the function still counts after a return
    assert rows[("tlib.interchange.old_reader", None)]["replacement"] == "tlib.interchange.new_reader"
    assert rows[("tlib.interchange.legacy_reader", None)]["replacement"] == "tlib.interchange.new_reader"
    # `if path is None: return None` normalises the input; it splits no use off
    assert rows[("tlib.interchange.read_a", None)]["replacement"] == "tlib.interchange.new_reader"
