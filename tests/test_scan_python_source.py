"""The per-file Python extractor, on snippets shaped like real numpy / pandas / scipy / sklearn code."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apimigrate.scan.model import DECORATOR, DOCSTRING, GETATTR, STUB, SUBMODULE, WARNING, RawFinding
from apimigrate.scan.python_source import extract_python


def run(code: str, module: str = "pkg.mod", **kw: bool):
    return extract_python(textwrap.dedent(code).encode(), "pkg/mod.py", module, **kw)


def only(code: str, module: str = "pkg.mod", **kw: bool) -> RawFinding:
    result = run(code, module, **kw)
    assert result.error is None
    assert len(result.findings) == 1, result.findings
    return result.findings[0]


# --- warnings.warn ---------------------------------------------------------------------------


def test_numpy_row_stack_warning() -> None:
    f = only(
        '''
        import warnings

        def row_stack(tup, *, dtype=None, casting="same_kind"):
            # Deprecated in NumPy 2.0, 2023-08-18
            warnings.warn(
                "`row_stack` alias is deprecated. "
                "Use `np.vstack` directly.",
                DeprecationWarning,
                stacklevel=2
            )
            return vstack(tup, dtype=dtype, casting=casting)
        ''',
        "numpy.lib._shape_base_impl",
    )
    assert (f.evidence_kind, f.kind, f.target, f.module) == (WARNING, "function", "row_stack", "numpy.lib._shape_base_impl")
    assert f.message == "`row_stack` alias is deprecated. Use `np.vstack` directly."
    assert f.replacement == "np.vstack"
    assert f.category == "DeprecationWarning"
    assert f.since == "2.0"  # from the comment above the call
    assert f.line == 6
    assert f.text.startswith("warnings.warn(")


def test_pandas_method_future_warning_with_fstring_and_find_stack_level() -> None:
    f = only(
        '''
        import warnings
        from pandas.util._exceptions import find_stack_level

        class DataFrame(NDFrame):
            def applymap(self, func, na_action=None, **kwargs) -> DataFrame:
                warnings.warn(
                    "DataFrame.applymap has been deprecated. Use DataFrame.map instead.",
                    FutureWarning,
                    stacklevel=find_stack_level(),
                )
                return self.map(func, na_action=na_action, **kwargs)
        ''',
        "pandas.core.frame",
    )
    assert (f.kind, f.target, f.category) == ("method", "DataFrame.applymap", "FutureWarning")
    assert f.replacement == "DataFrame.map"


def test_category_keyword_and_attribute_category_and_percent_format() -> None:
    f = only(
        '''
        import numpy as np
        import warnings

        def fn(x):
            warnings.warn("%s is deprecated, use %r instead" % (x, "new_fn"),
                          category=np.exceptions.VisibleDeprecationWarning)
        '''
    )
    assert f.category == "np.exceptions.VisibleDeprecationWarning"
    assert f.message == "{} is deprecated, use {} instead"


def test_format_and_variable_messages() -> None:
    result = run(
        '''
        from warnings import warn

        def a():
            msg = ("`a` is deprecated since {}. "
                   "Use `b` instead.").format(version)
            warn(msg, FutureWarning)

        def c():
            warn(f"`c` is deprecated; use {new!r} or `d` instead", Pandas4Warning)
        '''
    )
    by_target = {f.target: f for f in result.findings}
    assert by_target["a"].message == "`a` is deprecated since {}. Use `b` instead."
    assert by_target["a"].replacement == "b"
    assert by_target["c"].message == "`c` is deprecated; use {} or `d` instead"
    assert by_target["c"].category == "Pandas4Warning"


def test_categoryless_warning_needs_deprecat_and_logging_is_ignored() -> None:
    result = run(
        '''
        import warnings, logging
        logger = logging.getLogger(__name__)

        def a():
            warnings.warn("a() is deprecated")

        def b():
            warnings.warn("careful")

        def c():
            logger.warn("c is deprecated", DeprecationWarning)
        '''
    )
    assert [(f.target, f.category) for f in result.findings] == [("a", None)]


def test_scopes_module_class_init_property_nested() -> None:
    result = run(
        '''
        import warnings
        warnings.warn("Importing from numpy.matlib is deprecated since 1.19.0.",
                      PendingDeprecationWarning, stacklevel=2)

        class container:
            def __init__(self, data):
                warnings.warn("The numpy.lib.user_array.container class is deprecated",
                              DeprecationWarning, stacklevel=2)

            @property
            def weekday(self):
                warnings.warn("container.weekday is deprecated. Use container.day_of_week instead.",
                              FutureWarning)

            def outer(self):
                def inner():
                    warnings.warn("outer is deprecated", DeprecationWarning)
                return inner
        '''
    )
    got = [(f.kind, f.target) for f in result.findings]
    assert got == [("module", ""), ("class", "container"), ("attribute", "container.weekday"),
                   ("method", "container.outer")]
    assert result.findings[0].since == "1.19.0"
    assert result.findings[2].replacement == "container.day_of_week"


def test_parameter_deprecation_from_guarded_warning() -> None:
    result = run(
        '''
        import warnings

        def shift(data, periods=1, n=None):
            if n is not None:
                warnings.warn("argument 'n' was deprecated in favor of 'periods'",
                              FutureWarning, stacklevel=2)
                periods = n

        def enet_path(X, y, *, n_alphas="deprecated", alphas=None):
            if n_alphas == "deprecated":
                _alphas = 100
            else:
                warnings.warn(
                    "'n_alphas' was deprecated in 1.9 and will be removed in 1.11. "
                    "'alphas' now accepts an integer value.", FutureWarning)

        def read(path, **kwargs):
            if "cols" in kwargs:
                warnings.warn("cols is deprecated, use columns instead", FutureWarning)
        '''
    )
    got = [(f.kind, f.target, f.parameter, f.new_parameter) for f in result.findings]
    assert got == [
        ("parameter", "shift", "n", "periods"),
        ("parameter", "enet_path", "n_alphas", None),
        ("parameter", "read", "cols", None),
    ]
    assert result.findings[1].since == "1.9" and result.findings[1].removed_in == "1.11"
    assert result.findings[2].replacement == "columns"


def test_sklearn_fit_checks_constructor_parameter() -> None:
    f = only(
        '''
        import warnings

        class LassoCV:
            def __init__(self, *, n_alphas="deprecated", alphas="warn"):
                self.n_alphas = n_alphas

            def fit(self, X, y):
                if self.n_alphas != "deprecated":
                    warnings.warn("'n_alphas' was deprecated in 1.9 and will be removed in 1.11.",
                                  FutureWarning)
        '''
    )
    assert (f.kind, f.target, f.parameter) == ("parameter", "LassoCV", "n_alphas")


# --- decorators -----------------------------------------------------------------------------


def test_sklearn_deprecated_on_class_function_and_property() -> None:
    result = run(
        '''
        from ..utils import deprecated

        @deprecated(
            "this is deprecated in version 1.8 and will be removed in 1.10. "
            "Use `SGDClassifier(loss='hinge', penalty=None, learning_rate='pa1')` instead."
        )
        class PassiveAggressiveClassifier(BaseSGDClassifier):
            pass

        @deprecated("`entropy` is deprecated in 1.8 and will be removed in 1.10.")
        def entropy(labels):
            pass

        class BaseSVC:
            @deprecated(
                "Attribute `probA_` was deprecated in version 1.9 and will be removed in "
                "1.11 as the `probability=True` option for SVC and NuSVC was deprecated "
                "and will be removed in 1.11."
            )
            @property
            def probA_(self):
                return self._probA
        ''',
        "sklearn.linear_model._passive_aggressive",
    )
    got = [(f.evidence_kind, f.kind, f.target, f.since, f.removed_in) for f in result.findings]
    assert got == [
        (DECORATOR, "class", "PassiveAggressiveClassifier", "1.8", "1.10"),
        (DECORATOR, "function", "entropy", "1.8", "1.10"),
        (DECORATOR, "attribute", "BaseSVC.probA_", "1.9", "1.11"),
    ]
    assert result.findings[0].replacement == "SGDClassifier"


def test_pep702_deprecated_package_and_matplotlib_style() -> None:
    result = run(
        '''
        import warnings
        from deprecated import deprecated as old_style
        from matplotlib import _api

        @warnings.deprecated("Use new_func instead")
        def f1(): ...

        @old_style(version="1.2", reason="use `g2` instead")
        def g1(): ...

        class Axes:
            @_api.deprecated("3.8", alternative="Axes.set_xlim", removal="3.10")
            def set_xbound(self): ...

        @deprecated
        def bare(): ...
        '''
    )
    by_target = {f.target: f for f in result.findings}
    assert by_target["f1"].replacement == "new_func"
    assert (by_target["g1"].since, by_target["g1"].replacement) == ("1.2", "g2")
    x = by_target["Axes.set_xbound"]
    assert (x.kind, x.since, x.removed_in, x.replacement) == ("method", "3.8", "3.10", "Axes.set_xlim")
    assert by_target["bare"].message is None


def test_pandas_deprecate_kwarg_and_transformers_deprecate_kwarg() -> None:
    result = run(
        '''
        from pandas.util._decorators import deprecate_kwarg

        class NDFrame:
            @deprecate_kwarg(Pandas4Warning, "method", new_arg_name=None)
            def pct_change(self, periods=1, method=None): ...

        @deprecate_kwarg(FutureWarning, old_arg_name="cols", new_arg_name="columns")
        def to_csv(columns=None): ...

        @deprecate_kwarg("old", "new")
        def old_pandas(new=None): ...

        class FuyuModel:
            @deprecate_kwarg("image_patches", version="v5.24", new_name="pixel_values")
            def forward(self, pixel_values=None): ...
        '''
    )
    # A renamed parameter the signature no longer lists sits where its new name does.
    got = [(f.kind, f.target, f.parameter, f.new_parameter, f.category, f.removed_in, f.position)
           for f in result.findings]
    assert got == [
        ("parameter", "NDFrame.pct_change", "method", None, "Pandas4Warning", None, 1),
        ("parameter", "to_csv", "cols", "columns", "FutureWarning", None, 0),
        ("parameter", "old_pandas", "old", "new", None, None, 0),
        ("parameter", "FuyuModel.forward", "image_patches", "pixel_values", None, "5.24", 0),
    ]


def test_pandas_deprecate_call_scipy_deprecated_and_rename_parameter() -> None:
    result = run(
        '''
        from pandas.util._decorators import deprecate
        from scipy._lib.deprecation import _deprecated
        from scipy._lib._util import _rename_parameter

        old_name = deprecate(FutureWarning, "old_name", new_name, "1.0.0")

        @_deprecated("`scipy.misc.face` is deprecated in favour of `scipy.datasets.face`")
        def face(gray=False): ...

        @_rename_parameter("mode", "method", dep_version="1.9.0")
        def ks(data, method="auto"): ...

        @_rename_parameter("sample", "data")
        def silent(data): ...
        '''
    )
    got = [(f.evidence_kind, f.kind, f.target, f.replacement, f.parameter, f.new_parameter, f.since, f.position)
           for f in result.findings]
    assert got == [
        (DECORATOR, "function", "face", "scipy.datasets.face", None, None, None, None),
        (DECORATOR, "parameter", "ks", None, "mode", "method", "1.9.0", 1),
        (DECORATOR, "function", "old_name", "new_name", None, None, "1.0.0", None),
    ]


def test_scipy_deprecate_positional_args_makes_keyword_only_parameters_positional_uses() -> None:
    """scipy 1.17 `lombscargle` and `nnls`: the keyword-only parameters still bind by position,
    with a warning; `deprecated_args` are deprecated however they are passed. The positions are
    those a call fills then, for the warnings of the body too."""
    result = run(
        '''
        import warnings
        from scipy._lib.deprecation import _deprecate_positional_args

        @_deprecate_positional_args(version="1.19.0")
        def lombscargle(x, y, freqs, *, precenter=_NoValue, normalize=False):
            if precenter is not _NoValue:
                warnings.warn("Use of parameter 'precenter' is deprecated as of SciPy 1.17.0", DeprecationWarning)

        @_deprecate_positional_args(version='1.18.0',
                                    deprecated_args={'atol'})
        def nnls(A, b, *, maxiter=None, atol=_NoValue): ...

        class Fit:
            @_deprecate_positional_args(version="2.0")
            def fit(self, X, *, sample_weight=None): ...

        def plain(a, *, b=1): ...

        @_deprecate_positional_args          # scikit-learn 0.24 wrote it bare
        def f1(a, *, b=1): ...
        '''
    )
    got = sorted((f.evidence_kind, f.target, f.parameter, f.usage, f.position, f.removed_in) for f in result.findings)
    assert got == [
        (DECORATOR, "Fit.fit", "sample_weight", ["positional"], 1, "2.0"),
        (DECORATOR, "f1", "b", ["positional"], 1, None),
        (DECORATOR, "lombscargle", "normalize", ["positional"], 4, "1.19.0"),
        (DECORATOR, "lombscargle", "precenter", ["positional"], 3, "1.19.0"),
        (DECORATOR, "nnls", "atol", ["any", "positional"], 3, "1.18.0"),
        (DECORATOR, "nnls", "maxiter", ["positional"], 2, "1.18.0"),
        (WARNING, "lombscargle", "precenter", ["any"], 3, None),
    ]


def test_pandas_deprecate_call_names_its_alternative_positionally_and_forwards_to_it() -> None:
    # pandas 1.0, pandas/io/json/_normalize.py: the 4th argument is alt_name, the public name of
    # the very function the wrapper calls with every argument it gets: a drop-in replacement.
    result = run(
        '''
        from pandas.util._decorators import deprecate

        def _json_normalize(data, record_path=None, meta=None): ...

        json_normalize = deprecate(
            "pandas.io.json.json_normalize", _json_normalize, "1.0.0", "pandas.json_normalize"
        )
        '''
    )
    got = [(f.target, f.replacement, f.since, f.drop_in) for f in result.findings]
    assert got == [("json_normalize", "pandas.json_normalize", "1.0.0", True)]


# --- docstrings -----------------------------------------------------------------------------


def test_docstring_directives() -> None:
    result = run(
        '''
        """Old helpers.

        .. deprecated:: 1.4
            This module is deprecated; use :mod:`pkg.new` instead.
        """

        class PeriodIndex:
            @property
            def is_full(self):
                """
                Return True if this PeriodIndex is range-like.

                .. deprecated:: 3.1.0
                    ``PeriodIndex.is_full`` is deprecated and will be removed in a future
                    version. Use ``index.empty`` instead.
                """

        def old():
            """Do it.

            .. deprecated-removed:: 3.4 3.6
               Use :func:`new` instead.
            """

        class Est:
            """DEPRECATED: Est is deprecated in 1.2, use `NewEst` instead."""
        '''
    )
    got = [(f.evidence_kind, f.kind, f.target, f.since, f.removed_in, f.replacement, f.line) for f in result.findings]
    assert got == [
        (DOCSTRING, "module", "", "1.4", None, "pkg.new", 4),
        (DOCSTRING, "attribute", "PeriodIndex.is_full", "3.1.0", None, "index.empty", 14),
        (DOCSTRING, "function", "old", "3.4", "3.6", "new", 22),
        (DOCSTRING, "class", "Est", "1.2", None, "NewEst", 27),
    ]


def test_docstring_directive_version_after_the_project_name() -> None:
    # numpy 1.26 numpy/core/numerictypes.py find_common_type: ".. deprecated:: NumPy 1.25" once
    # stored the project's name as the release it was deprecated in.
    result = run(
        '''
        def find_common_type(array_types, scalar_types):
            """Determine common type following standard coercion rules.

            .. deprecated:: NumPy 1.25

                This function is deprecated, use `numpy.promote_types` or
                `numpy.result_type` instead.
            """

        def product(*args):
            """Product of array elements.

            .. deprecated-removed:: NumPy 1.25, 2.0
                Use `prod` instead.
            """
        '''
    )
    got = [(f.target, f.since, f.removed_in) for f in result.findings]
    assert got == [("find_common_type", "1.25", None), ("product", "1.25", "2.0")]


def test_docstring_directive_under_parameter_and_attribute_entries() -> None:
    result = run(
        '''
        class LassoCV:
            """Lasso with CV.

            Parameters
            ----------
            n_alphas : int, default=100
                Number of alphas.

                .. deprecated:: 1.7
                    `n_alphas` was deprecated in 1.7 and will be removed in 1.9.
                    Use `alphas` instead.

            Attributes
            ----------
            alpha_ : float
                The amount of penalization.

                .. deprecated:: 1.8
                    Use `alphas_` instead.

            Notes
            -----
            .. deprecated:: 1.9
                The class is deprecated.
            """

            def __init__(self, n_alphas="deprecated", alphas="warn"): ...
        '''
    )
    got = [(f.kind, f.target, f.parameter, f.since, f.replacement) for f in result.findings]
    assert result.findings[0].new_parameter == "alphas"
    assert got == [
        ("parameter", "LassoCV", "n_alphas", "1.7", None),
        ("attribute", "LassoCV.alpha_", None, "1.8", "alphas_"),
        ("class", "LassoCV", None, "1.9", None),
    ]


# --- stubs ----------------------------------------------------------------------------------


def test_stub_decorators_on_defs_overloads_classes_and_setters() -> None:
    result = run(
        '''
        from typing import overload
        from typing_extensions import deprecated

        @deprecated("`row_stack` alias is deprecated. Use `np.vstack` directly.")
        def row_stack(tup: Sequence[ArrayLike]) -> NDArray[Any]: ...

        @overload
        @deprecated("np.fix will be deprecated in NumPy 2.5 in favor of np.trunc", category=PendingDeprecationWarning)
        def fix(x: _FloatLike_co, out: None = None) -> floating: ...
        @overload
        @deprecated("np.fix will be deprecated in NumPy 2.5 in favor of np.trunc", category=PendingDeprecationWarning)
        def fix(x: _ArrayLike, out: None = None) -> NDArray[floating]: ...

        @deprecated("The numpy.lib.user_array.container class is deprecated and will be removed in a future version.")
        class container(Generic[_ShapeT_co, _DTypeT_co]): ...

        class ndarray:
            @property
            def shape(self) -> _ShapeT_co: ...
            @shape.setter
            @deprecated("In-place shape modification will be deprecated in NumPy 2.5.", category=PendingDeprecationWarning)
            def shape(self, value: _ShapeLike) -> None: ...
        ''',
        "numpy",
        is_stub=True,
    )
    got = [(f.evidence_kind, f.kind, f.target, f.replacement, f.category) for f in result.findings]
    assert got == [
        (STUB, "function", "row_stack", "np.vstack", None),
        (STUB, "function", "fix", "np.trunc", "PendingDeprecationWarning"),
        (STUB, "class", "container", None, None),
        # the shape *setter* is deprecated, reading ndarray.shape is not: a row of its own kind
        (STUB, "setter", "ndarray.shape", None, "PendingDeprecationWarning"),
    ]


# --- module __getattr__ ---------------------------------------------------------------------


def test_expired_attrs_table_reports_against_parent_package() -> None:
    result = run(
        '''
        """
        Dict of expired attributes that are discontinued since 2.0 release.
        """

        __expired_attributes__ = {
            "geterrobj": "Use the np.errstate context manager instead.",
            "cast": "Use `np.asarray(arr, dtype=dtype)` instead.",
            "set_numeric_ops":
                "For the general case, use `PyUFunc_ReplaceLoopBySignature`. "
                "For ndarray subclasses, define the ``__array_ufunc__`` method "
                "and override the relevant ufunc.",
            "get_array_wrap": "",
        }
        ''',
        "numpy._expired_attrs_2_0",
    )
    got = [(f.evidence_kind, f.kind, f.module, f.target, f.removed, f.removed_in, f.replacement) for f in result.findings]
    assert got == [
        (GETATTR, "attribute", "numpy", "geterrobj", True, "2.0", "np.errstate"),
        (GETATTR, "attribute", "numpy", "cast", True, "2.0", "np.asarray"),
        (GETATTR, "attribute", "numpy", "set_numeric_ops", True, "2.0", "PyUFunc_ReplaceLoopBySignature"),
        (GETATTR, "attribute", "numpy", "get_array_wrap", True, "2.0", None),
    ]


def test_deprecated_attrs_table_in_package_stays_in_package() -> None:
    result = run(
        '''
        __deprecated_attrs__ = {
            "round_": (round, "`np.round_` is deprecated, use `np.round` instead."),
        }

        def __getattr__(attr):
            if attr in __deprecated_attrs__:
                val, msg = __deprecated_attrs__[attr]
                warnings.warn(msg, DeprecationWarning, stacklevel=2)
                return val
        ''',
        "numpy",
        is_package=True,
    )
    # The guarded warning now reads its message from the row (``val, msg = TABLE[attr]``), so it and the
    # table row are one finding: the package's own name, the message, its replacement and category.
    assert [(f.module, f.kind, f.target, f.removed, f.replacement, f.category) for f in result.findings] == [
        ("numpy", "attribute", "round_", False, "np.round", "DeprecationWarning")]
    assert result.findings[0].message == "`np.round_` is deprecated, use `np.round` instead."


def test_getattr_guards_warnings_and_removed_names() -> None:
    result = run(
        '''
        __future_scalars__ = {"str", "bytes"}

        def __getattr__(attr):
            import warnings

            if attr == "math":
                warnings.warn(
                    "`np.lib.math` is a deprecated alias for the standard library "
                    "`math` module (Deprecated Numpy 1.25). Replace usages of "
                    "`numpy.lib.math` with `math`", DeprecationWarning, stacklevel=2)
                return math
            elif attr == "emath":
                raise AttributeError(
                    "numpy.lib.emath was an alias for emath module that was removed "
                    "in NumPy 2.0. Replace usages of numpy.lib.emath with "
                    "numpy.emath.",
                    name=None
                )
            if attr in __future_scalars__:
                warnings.warn(f"In the future `np.{attr}` will be defined as the "
                              "corresponding NumPy scalar.", FutureWarning, stacklevel=2)
            raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
        ''',
        "numpy.lib",
        is_package=True,
    )
    got = [(f.evidence_kind, f.kind, f.target, f.removed, f.category) for f in result.findings]
    assert sorted(got) == sorted([
        (GETATTR, "attribute", "math", False, "DeprecationWarning"),
        (GETATTR, "attribute", "str", False, "FutureWarning"),
        (GETATTR, "attribute", "bytes", False, "FutureWarning"),
        (GETATTR, "attribute", "emath", True, None),
    ])
    by_target = {f.target: f for f in result.findings}
    assert by_target["math"].since == "1.25"
    assert by_target["str"].message == "In the future `np.str` will be defined as the corresponding NumPy scalar."
    assert by_target["emath"].removed_in == "2.0"


def test_local_dict_table_values_give_replacements() -> None:
    result = run(
        '''
        from pandas.core.window import RollingGroupBy, ExpandingGroupBy as Expanding2
        from pandas.core.resample import Resampler

        class Own:
            pass

        class Wrapped:
            pass

        Wrapped = register(Wrapped)       # whatever it is now, its name is not shown

        def __getattr__(name: str) -> object:
            deprecated = {
                "RollingGroupby": RollingGroupBy,
                "ExpandingGroupby": Expanding2,
                "OwnOld": Own,
                "WrappedOld": Wrapped,
            }
            if name in deprecated:
                new = deprecated[name]
                warnings.warn(
                    f"pandas.api.typing.{name} is deprecated and will be removed in "
                    f"a future version. Use pandas.api.typing.{new.__name__} instead.",
                    Pandas4Warning,
                    stacklevel=2,
                )
                return new
        ''',
        "pandas.api.typing",
        is_package=True,
    )
    f = result.findings[0]
    assert (f.kind, f.target, f.replacement, f.category) == ("attribute", "RollingGroupby", "RollingGroupBy", "Pandas4Warning")
    # The message names the replacement the way it will read at run time: its __name__, which an
    # import under its own name or a class of this file shows; an alias says nothing of it.
    assert {x.target: x.message for x in result.findings} == {
        "RollingGroupby": "pandas.api.typing.RollingGroupby is deprecated and will be removed in a future "
                          "version. Use pandas.api.typing.RollingGroupBy instead.",
        "ExpandingGroupby": "pandas.api.typing.ExpandingGroupby is deprecated and will be removed in a future "
                            "version. Use pandas.api.typing.{} instead.",
        "OwnOld": "pandas.api.typing.OwnOld is deprecated and will be removed in a future "
                  "version. Use pandas.api.typing.Own instead.",
        "WrappedOld": "pandas.api.typing.WrappedOld is deprecated and will be removed in a future "
                      "version. Use pandas.api.typing.{} instead.",
    }


def test_a_looked_up_rows_name_fills_a_format_message() -> None:
    f = only(
        '''
        from ._impl import new_fn

        def __getattr__(attr):
            replacement = _moved.get(attr)
            if replacement is not None:
                warnings.warn("{} is deprecated, use {}".format(attr, replacement.__name__), DeprecationWarning)
                return replacement
            raise AttributeError(attr)

        _moved = {"old_fn": new_fn}
        ''',
    )
    assert (f.target, f.replacement, f.message) == ("old_fn", "new_fn", "old_fn is deprecated, use new_fn")


def test_scipy_sub_module_deprecation() -> None:
    f = only(
        '''
        # This file is not meant for public use and will be removed in SciPy v2.0.0.
        # Use the `scipy.integrate` namespace for importing the functions
        # included below.

        from scipy._lib.deprecation import _sub_module_deprecation

        __all__ = [  # noqa: F822
            "quad",
            "dblquad",
        ]


        def __dir__():
            return __all__


        def __getattr__(name):
            return _sub_module_deprecation(sub_package="integrate", module="quadpack",
                                           private_modules=["_quadpack_py"], all=__all__,
                                           attribute=name)
        ''',
        "scipy.integrate.quadpack",
    )
    assert (f.evidence_kind, f.kind, f.target, f.module) == (SUBMODULE, "module", "", "scipy.integrate.quadpack")
    assert f.replacement == "scipy.integrate"
    assert f.message == "scipy.integrate.quadpack is deprecated; use scipy.integrate"
    assert f.removed_in == "2.0.0"


def test_scipy_sub_module_deprecation_with_correct_module() -> None:
    f = only(
        '''
        def __getattr__(name):
            return _sub_module_deprecation(sub_package="stats", module="mstats_basic",
                                           private_modules=["_mstats_basic"], all=__all__,
                                           attribute=name, correct_module="mstats")
        ''',
        "scipy.stats.mstats_basic",
    )
    assert f.replacement == "scipy.stats.mstats"


def test_unguarded_getattr_helper_marks_module() -> None:
    f = only(
        '''
        """
        The `numpy.core` submodule exists solely for backward compatibility
        purposes. The original `core` was renamed to `_core` and made private.
        `numpy.core` will be removed in the future.
        """
        from numpy import _core
        from ._utils import _raise_warning

        def __getattr__(attr_name):
            attr = getattr(_core, attr_name)
            _raise_warning(attr_name)
            return attr
        ''',
        "numpy.core",
        is_package=True,
    )
    assert (f.evidence_kind, f.kind, f.target, f.replacement) == (GETATTR, "module", "", "_core")


# --- ModuleInfo -----------------------------------------------------------------------------


def test_module_info() -> None:
    result = run(
        '''
        """Doc."""
        import os
        import numpy.linalg
        import numpy as np
        from . import _impl
        from ._impl import row_stack, vstack as _vstack
        from ..core import *
        from .._typing import ArrayLike

        try:
            from scipy import special
        except ImportError:
            special = None

        __all__ = ["row_stack", "Thing"]
        __all__ += ["extra"]
        __all__.extend(["more"])
        CONST, OTHER = 1, 2

        class VisibleDeprecationWarning(np.exceptions.VisibleDeprecationWarning, UserWarning):
            pass

        class Thing(Base, metaclass=Meta):
            attr = 1

            def method(self): ...

            @property
            def prop(self): ...

            class Inner(object):
                pass

        def func(): ...
        ''',
        "pkg.sub.mod",
    )
    info = result.module_info
    assert info is not None and result.error is None
    assert info.all == ["row_stack", "Thing", "extra", "more"]
    assert info.defs == {
        "special": "attribute", "__all__": "attribute", "CONST": "attribute", "OTHER": "attribute",
        "VisibleDeprecationWarning": "class", "Thing": "class", "func": "function",
    }
    assert info.members["Thing"] == ["attr", "method", "prop", "Inner"]
    assert info.bases["VisibleDeprecationWarning"] == ["np.exceptions.VisibleDeprecationWarning", "UserWarning"]
    assert info.bases["Thing"] == ["Base"]
    assert info.bases["Thing.Inner"] == ["object"]
    assert info.imports["os"] == ("os", None)
    assert info.imports["numpy"] == ("numpy", None)
    assert info.imports["np"] == ("numpy", None)
    assert info.imports["_impl"] == ("pkg.sub", "_impl")
    assert info.imports["row_stack"] == ("pkg.sub._impl", "row_stack")
    assert info.imports["_vstack"] == ("pkg.sub._impl", "vstack")
    assert info.imports["ArrayLike"] == ("pkg._typing", "ArrayLike")
    assert info.imports["special"] == ("scipy", "special")
    assert info.star_imports == ["pkg.core"]


def test_relative_imports_in_a_package_init() -> None:
    info = run("from ._core import *\nfrom .lib import x\n", "numpy", is_package=True).module_info
    assert info is not None
    assert info.star_imports == ["numpy._core"]
    assert info.imports["x"] == ("numpy.lib", "x")


def test_non_literal_all_is_none() -> None:
    info = run("__all__ = list(_core.__all__)\n").module_info
    assert info is not None and info.all is None


# --- errors ---------------------------------------------------------------------------------


def test_errors_are_reported_not_raised() -> None:
    assert extract_python(b"\xff\xfe x = 1", "a.py", "a").error == "not UTF-8"
    assert "NUL" in (extract_python(b"x = 1\0", "a.py", "a").error or "")
    result = extract_python(b"import warnings\n\ndef f(:\n    warnings.warn('x is deprecated')\n", "a.py", "a")
    assert result.error == "syntax error at line 3"
    assert result.findings == [] and result.module_info is None
    empty = extract_python(b"", "a.py", "a")
    assert empty.error is None and empty.module_info is not None


# --- the real numpy ------------------------------------------------------------------------


def _numpy_root() -> Path:
    numpy = pytest.importorskip("numpy")
    return Path(numpy.__file__).parent


def _module_name(root: Path, path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _numpy_before(version: str) -> bool:
    import numpy
    from packaging.version import Version
    return Version(numpy.__version__) < Version(version)


def test_whole_installed_numpy() -> None:
    root = _numpy_root()
    found: list[RawFinding] = []
    for path in sorted(root.rglob("*.py")):
        module, is_package = _module_name(root, path)
        result = extract_python(path.read_bytes(), str(path), module, is_package=is_package)
        assert result.module_info is not None or result.error is not None
        found.extend(result.findings)
    # numpy 2.5 removed `row_stack` (and its warning), and deprecated `fix` for `trunc`
    file, target, replacement = ("_shape_base_impl.py", "row_stack", "vstack") if _numpy_before("2.5") \
        else ("_ufunclike_impl.py", "fix", "trunc")
    warned = [f for f in found if f.path.endswith(file) and f.target == target and f.evidence_kind == WARNING]
    assert warned, f"{target} warning not found"
    assert replacement in (warned[0].replacement or "")
    assert warned[0].category == "DeprecationWarning"
    expired = {f.target for f in found if f.module == "numpy" and f.removed}
    assert {"float_", "round_", "alltrue"} <= expired


def test_warnings_inside_deprecation_helpers_are_not_findings() -> None:
    result = run(
        '''
        import warnings

        class deprecated:
            def _decorate_fun(self, fun):
                msg = "Function %s is deprecated" % fun.__name__

                def wrapped(*args, **kwargs):
                    warnings.warn(msg, category=FutureWarning)
                    return fun(*args, **kwargs)
                return wrapped

        def _rename_parameter(old_name, new_name, dep_version=None):
            def decorator(fun):
                def wrapper(*args, **kwargs):
                    warnings.warn(f"Use of keyword argument `{old_name}` is deprecated", DeprecationWarning)
                return wrapper
            return decorator
        '''
    )
    assert result.findings == []


def test_parameter_named_first_and_not_the_replacement() -> None:
    f = only(
        '''
        import warnings

        class MDS:
            def __init__(self, metric="euclidean", dissimilarity="deprecated"):
                self.metric = metric
                self.dissimilarity = dissimilarity

            def fit_transform(self, X):
                if self.dissimilarity != "deprecated" or self.metric is None:
                    warnings.warn("The `dissimilarity` parameter is deprecated and will be "
                                  "removed in 1.10. Use `metric` instead.", FutureWarning)
        '''
    )
    assert (f.kind, f.target, f.parameter, f.new_parameter, f.removed_in) == (
        "parameter", "MDS", "dissimilarity", "metric", "1.10")


def test_warning_instance_as_message() -> None:
    f = only(
        '''
        import warnings

        def old():
            warnings.warn(FutureWarning("old() is deprecated, use new() instead"), stacklevel=2)
        '''
    )
    assert (f.category, f.message, f.replacement) == ("FutureWarning", "old() is deprecated, use new() instead", "new")


def test_getattr_try_lookup_guards_the_warning_numpy_1x():
    """numpy 1.26 __init__: the warning sits in the else of `try: msg = __expired_functions__[attr]`."""
    src = b'''
__expired_functions__ = {
    "fv": "In accordance with NEP 32, the function fv was removed from NumPy version 1.20. Use numpy_financial.fv",
}

def __getattr__(attr):
    import warnings
    try:
        msg = __expired_functions__[attr]
    except KeyError:
        pass
    else:
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
        return None
    raise AttributeError(attr)
'''
    res = extract_python(src, "numpy/__init__.py", "numpy", is_stub=False, is_package=True)
    targets = {f.target for f in res.findings}
    assert targets == {"fv"}          # never "the whole numpy module is deprecated"


def test_getattr_table_built_by_comprehension():
    src = b'''
_financial_names = ['fv', 'ipmt']
__expired_functions__ = {
    name: (f'In accordance with NEP 32, the function {name} was removed from NumPy version 1.20.')
    for name in _financial_names}

def __getattr__(attr):
    import warnings
    try:
        msg = __expired_functions__[attr]
    except KeyError:
        pass
    else:
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
    raise AttributeError(attr)
'''
    res = extract_python(src, "numpy/__init__.py", "numpy", is_stub=False, is_package=True)
    assert {f.target for f in res.findings if f.evidence_kind == GETATTR} == {"fv", "ipmt"}


def test_conditional_warning_about_a_use_does_not_deprecate_the_class():
    """pandas 3.x DataFrame.__init__: passing a BlockManager is deprecated, DataFrame is not."""
    src = b'''
import warnings

class DataFrame:
    def __init__(self, data=None, index=None, copy=None):
        if isinstance(data, BlockManager):
            warnings.warn(
                f"Passing a {type(data).__name__} to {type(self).__name__} "
                "is deprecated and will raise in a future version. Use public APIs instead.",
                DeprecationWarning, stacklevel=2)

    def applymap(self, func):
        if func is not None:
            warnings.warn("DataFrame.applymap has been deprecated. Use DataFrame.map instead.",
                          FutureWarning, stacklevel=2)
        return self.map(func)

    def swapaxes(self, i, j):
        if True:
            warnings.warn("This method is deprecated.", FutureWarning)
'''
    res = extract_python(src, "pandas/core/frame.py", "pandas.core.frame", is_stub=False, is_package=False)
    targets = {f.target for f in res.findings}
    assert "DataFrame" not in targets and "DataFrame.__init__" not in targets
    assert {"DataFrame.applymap", "DataFrame.swapaxes"} <= targets


def test_deprecated_setter_does_not_deprecate_reading_the_attribute():
    """numpy/__init__.pyi: `@shape.setter @deprecated("In-place shape modification will be deprecated")`."""
    src = b'''
from typing_extensions import deprecated

class ndarray:
    @property
    def shape(self) -> tuple[int, ...]: ...
    @shape.setter
    @deprecated("In-place shape modification will be deprecated in NumPy 2.5.")
    def shape(self, value) -> None: ...

    @deprecated("`ptp` was removed; use np.ptp instead")
    def ptp(self) -> None: ...
'''
    res = extract_python(src, "numpy/__init__.pyi", "numpy", is_stub=True, is_package=True)
    assert {(f.target, f.kind) for f in res.findings} == {("ndarray.ptp", "method"), ("ndarray.shape", "setter")}


def test_drop_in_replacements_are_told_apart_from_advice():
    src = b'''
import warnings

def row_stack(tup, *, dtype=None, casting="same_kind"):
    warnings.warn("`row_stack` is deprecated. Use `np.vstack` instead.", DeprecationWarning, stacklevel=2)
    return vstack(tup, dtype=dtype, casting=casting)

def product(*args, **kwargs):
    warnings.warn("`product` is deprecated as of NumPy 1.25.0. Please use `prod` instead.", DeprecationWarning)
    return prod(*args, **kwargs)

def trapz(y, x=None, dx=1.0, axis=-1):
    warnings.warn("`trapz` is deprecated. Use `trapezoid` instead, an alias with the same behaviour.",
                  DeprecationWarning)
    return _trapz_impl(y, x, dx, axis)

def stable_cumsum(arr, axis=None, rtol=1e-05):
    warnings.warn("stable_cumsum is deprecated. Use `np.cumulative_sum` instead.", FutureWarning)
    out = np.cumsum(arr, axis=axis, dtype=np.float64)
    return out

def clip_half(a):
    warnings.warn("clip_half is deprecated, use `clip` instead", DeprecationWarning)
    return clip(a, 0, 0.5)
'''
    res = extract_python(src, "numpy/lib/_impl.py", "numpy.lib._impl", is_stub=False, is_package=False)
    got = {f.target: f.drop_in for f in res.findings}
    assert got == {"row_stack": True, "product": True, "trapz": True, "stable_cumsum": False, "clip_half": False}


def test_getattr_table_comprehension_messages_are_formatted_per_name():
    """numpy 2.x __init__: removed builtin aliases, messages built by `.format` over a tuple table."""
    src = b'''
_msg = (
    "module 'numpy' has no attribute '{n}'.\\n"
    "`np.{n}` was a deprecated alias for the builtin `{n}`. "
    "To avoid this error in existing code, use `{n}` by itself. "
    "Doing this will not modify any behavior and is safe. {extended_msg}\\n"
    "The aliases was originally deprecated in NumPy 1.20; for more "
    "details and guidance see the original release note.")
_specific_msg = (
    "If you specifically wanted the numpy scalar type, use `np.{}` here.")
_type_info = [
    ("object", ""),
    ("float", _specific_msg.format("float64")),
    ("int", "When replacing `np.{{}}`, check the precision.")]
__former_attrs__ = {
     n: _msg.format(n=n, extended_msg=extended_msg)
     for n, extended_msg in _type_info
 }
_financial_names = ['fv', 'ipmt']
__expired_functions__ = {
    name: (f'In accordance with NEP 32, the function {name} was removed from NumPy version 1.20.')
    for name in _financial_names}

def __getattr__(attr):
    if attr in __former_attrs__:
        raise AttributeError(__former_attrs__[attr], name=None)
    if attr in __expired_functions__:
        raise AttributeError(__expired_functions__[attr])
    raise AttributeError(attr)
'''
    res = extract_python(src, "numpy/__init__.py", "numpy", is_stub=False, is_package=True)
    by = {f.target: f for f in res.findings if f.evidence_kind == GETATTR}
    assert set(by) == {"object", "float", "int", "fv", "ipmt"}
    flt = by["float"]
    assert "`np.float` was a deprecated alias for the builtin `float`" in flt.message
    assert "use `np.float64` here" in flt.message            # the nested .format filled in too
    assert "{" not in flt.message
    assert by["int"].message.endswith("When replacing `np.{{}}`, check the precision.\nThe aliases was originally "
                                      "deprecated in NumPy 1.20; for more details and guidance see the original "
                                      "release note.")
    assert (flt.replacement, flt.since, flt.removed, flt.drop_in) == ("builtins.float", "1.20", True, True)
    assert by["fv"].message == "In accordance with NEP 32, the function fv was removed from NumPy version 1.20."
    assert by["fv"].removed_in == "1.20" and by["fv"].replacement is None


def test_numpy_1x_deprecated_attrs_grow_by_update_and_item_assignment():
    """numpy 1.2x ``__init__``: ``__deprecated_attrs__`` starts empty, gains rows from
    ``.update({comprehension over a rebound _type_info})`` and ``T["math"] = (math, msg)``, and
    ``__getattr__`` warns with ``val, msg = __deprecated_attrs__[attr]``.  The first ``_type_info``
    (two-tuples) feeds ``__former_attrs__``; the rebound one (three-tuples) feeds the update."""
    src = b'''
if __SETUP__:
    pass
else:
    __deprecated_attrs__ = {}
    _msg = "`np.{n}` was a deprecated alias for the builtin `{n}`. {extended_msg}"
    _type_info = [("float", "Use `np.float64` for the scalar."), ("int", "")]
    __former_attrs__ = {n: _msg.format(n=n, extended_msg=extended_msg) for n, extended_msg in _type_info}

    _msg = "`np.{n}` is a deprecated alias for `{an}`.  (Deprecated NumPy 1.24)"
    _type_info = [("bool8", bool_, "np.bool_"), ("int0", intp, "np.intp")]
    __deprecated_attrs__.update({
        n: (alias, _msg.format(n=n, an=an)) for n, alias, an in _type_info})

    import math
    __deprecated_attrs__['math'] = (math,
        "`np.math` is a deprecated alias for the standard library `math` "
        "module (Deprecated Numpy 1.25). Replace usages of `np.math` with `math`")

    def __getattr__(attr):
        import warnings
        try:
            val, msg = __deprecated_attrs__[attr]
        except KeyError:
            pass
        else:
            warnings.warn(msg, DeprecationWarning, stacklevel=2)
            return val
        if attr in __former_attrs__:
            raise AttributeError(__former_attrs__[attr])
        raise AttributeError(attr)
'''
    res = extract_python(src, "numpy/__init__.py", "numpy", is_stub=False, is_package=True)
    by = {f.target: f for f in res.findings if f.evidence_kind == GETATTR}
    assert set(by) == {"float", "int", "bool8", "int0", "math"}
    assert by["bool8"].message == "`np.bool8` is a deprecated alias for `np.bool_`.  (Deprecated NumPy 1.24)"
    assert (by["bool8"].replacement, by["bool8"].since, by["bool8"].removed) == ("np.bool_", "1.24", False)
    assert by["int0"].replacement == "np.intp"
    assert by["math"].since == "1.25" and "standard library `math` module" in by["math"].message
    assert by["float"].message == "`np.float` was a deprecated alias for the builtin `float`. Use `np.float64` for the scalar."
    assert by["float"].removed and by["float"].replacement == "builtins.float"


def test_experimental_names_behind_an_opt_in_import_are_not_removed() -> None:
    # sklearn/impute/__init__.py: the module __getattr__ raises for a name that is new, not gone.
    result = run(
        '''
        import typing

        if typing.TYPE_CHECKING:
            from sklearn.impute._iterative import IterativeImputer  # noqa: F401

        __all__ = ["KNNImputer", "MissingIndicator", "SimpleImputer"]


        def __getattr__(name):
            if name == "IterativeImputer":
                raise ImportError(
                    f"{name} is experimental and the API might change without any "
                    "deprecation cycle. To use it, you need to explicitly import "
                    "enable_iterative_imputer:\\n"
                    "from sklearn.experimental import enable_iterative_imputer"
                )
            if name == "OldImputer":
                raise ImportError(f"{name} was removed in 1.2; use `SimpleImputer` instead.")
            raise AttributeError(f"module {__name__} has no attribute {name}")
        ''', "sklearn.impute", is_package=True)
    assert [(f.target, f.removed, f.replacement) for f in result.findings] == [
        ("OldImputer", True, "SimpleImputer")]


def test_module_docstring_directive_about_one_member() -> None:
    # numpy/typing/__init__.py: the module stays; one helper it re-exports is deprecated.
    result = run(
        '''
        """
        Typing (:mod:`numpy.typing`)
        ============================

        Number precision
        ~~~~~~~~~~~~~~~~

        .. deprecated:: 2.3
            The :class:`~numpy.typing.NBitBase` helper is deprecated and will be
            removed in a future release. Prefer expressing precision relationships via
            ``typing.overload`` or ``TypeVar`` definitions bounded by concrete scalar
            classes.
        """

        from numpy._typing import ArrayLike, DTypeLike, NBitBase, NDArray

        __all__ = ["ArrayLike", "DTypeLike", "NBitBase", "NDArray"]
        ''', "numpy.typing", is_package=True)
    assert [(f.kind, f.target, f.since) for f in result.findings] == [("attribute", "NBitBase", "2.3")]


def test_module_docstring_directive_about_the_module() -> None:
    result = run(
        '''
        """
        .. deprecated:: 1.11.0
            `scipy.misc` is deprecated and will be removed in 2.0.0.
        """
        from ._common import face
        ''', "scipy.misc", is_package=True)
    assert [(f.kind, f.target) for f in result.findings] == [("module", "")]


def test_module_level_warning_under_a_condition_is_about_the_condition() -> None:
    # pandas 2.2.3 pandas/__init__.py: an environment variable, not `import pandas`, is deprecated.
    result = run(
        '''
        import os
        import warnings

        if "PANDAS_DATA_MANAGER" in os.environ:
            warnings.warn(
                "The env variable PANDAS_DATA_MANAGER is set. The data_manager option is "
                "deprecated and will be removed in a future version. Only the BlockManager "
                "will be available. Unset this environment variable to silence this warning.",
                FutureWarning,
                stacklevel=2,
            )
        del warnings, os
        ''', "pandas", is_package=True)
    assert result.error is None and result.findings == []


@pytest.mark.parametrize("guard, message", [
    ("", "Importing from numpy.matlib is deprecated since 1.19.0."),             # numpy/matlib.py
    ("if not _QUIET:\n    ", "numpy.matlib is deprecated since 1.19.0; use numpy.matrix"),
    ("if not _QUIET:\n    ", "This module is deprecated since 1.19.0."),
])
def test_module_level_warning_about_the_module_itself(guard: str, message: str) -> None:
    code = f"import warnings\n{guard}warnings.warn({message!r}, DeprecationWarning, stacklevel=2)\n"
    result = extract_python(code.encode(), "numpy/matlib.py", "numpy.matlib")
    assert [(f.kind, f.target, f.since) for f in result.findings] == [("module", "", "1.19.0")]


def test_parameter_names_are_the_implementation_s_else_the_overloads_together_and_kwargs_as_unknown():
    src = textwrap.dedent('''\
        from typing import overload, Unpack


        @overload
        def read(path, *, iterator: bool = ...) -> int: ...
        @overload
        def read(path, *, chunksize: int) -> str: ...
        def read(path, *, iterator=False, chunksize=None, sep=","):
            return 0


        # pandas 3's read_csv: the overloads take **kwds, the implementation names them all
        @overload
        def read_csv(path, *, iterator: bool = ..., **kwds: Unpack[_Shared]) -> int: ...
        def read_csv(path, *, iterator=False, sep=","):
            return 0


        # as in a stub: overloads only, each of whose keywords is accepted
        @overload
        def stubbed(a: int, *, x: int) -> int: ...
        @overload
        def stubbed(a: str, *, y: str) -> str: ...
        @typing.overload
        def splat(a: int, **kw) -> int: ...


        def loose(x, /, y, *args, z=1, **kwargs):
            return x


        class Frame:
            def __init__(self, data, copy: bool | None = None):
                self.data = data

            @overload
            def fillna(self, value, *, inplace: Literal[True], **kw) -> None: ...
            def fillna(self, value=None, *, limit: int = 0):
                return self
        ''').encode()
    info = extract_python(src, "pkg/io.py", "pkg.io").module_info
    assert info.params == {"read": ["path", "iterator", "chunksize", "sep"], "read_csv": ["path", "iterator", "sep"],
                           "stubbed": ["a", "x", "y"], "splat": None, "loose": None,
                           "Frame.__init__": ["self", "data", "copy"], "Frame.fillna": ["self", "value", "limit"]}
