"""Message helpers, on wording copied from numpy / pandas / scipy / scikit-learn sources."""
from __future__ import annotations

import warnings

import pytest

from apimigrate.db.records import canonical_literal
from apimigrate.scan.messages import (clean_name, literal_text, replacement_from_text, says_drop_in,
                                      versions_from_text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numpy
        ("`row_stack` alias is deprecated. Use `np.vstack` directly.", "np.vstack"),
        ("`safe_eval` is deprecated. Use `ast.literal_eval` instead. ", "ast.literal_eval"),
        ("Use the np.errstate context manager instead.", "np.errstate"),
        ("Use `np.asarray(arr, dtype=dtype)` instead.", "np.asarray"),
        ("It's still available as `np.lib.add_newdoc`.", "np.lib.add_newdoc"),
        ("Now it's available under `np.lib.array_utils.byte_bounds`", "np.lib.array_utils.byte_bounds"),
        ("Use `numpy.promote_types` or `numpy.result_type` instead. ", "numpy.promote_types"),
        ("`trapz` is deprecated. Use `trapezoid` instead, or one of the "
         "numerical integration functions in `scipy.integrate`.", "trapezoid"),
        # pandas
        ("DataFrame.applymap has been deprecated. Use DataFrame.map instead.", "DataFrame.map"),
        ("Styler.applymap_index was deprecated and renamed to Styler.map_index.", "Styler.map_index"),
        ("DataFrame.applymap was deprecated and renamed to DataFrame.map.", "DataFrame.map"),
        ("FutureWarning: cols is deprecated, use columns instead", "columns"),
        ("argument 'n' was deprecated in favor of 'periods'", "periods"),
        ("Series.view is deprecated and will be removed in a future version. "
         "Use ``astype`` as an alternative to change the dtype.", "astype"),
        # scikit-learn
        ("`y_pred` is deprecated and will be removed in 1.10. Use `y_score` instead.", "y_score"),
        ("`estimator_name` was deprecated in favor of `name`.", "name"),
        ("Deprecate `y_pred` in favour of `y_score`.", "y_score"),
        ("Function `foo` is deprecated in 1.2 and will be removed in 1.4. Use `bar` instead.", "bar"),
        ("Use of attribute `random_state` is deprecated and replaced by `rng`.", "rng"),
        ("'y_pred' was renamed to y_score in 1.7", "y_score"),
        ("`dissimilarity` was renamed `metric` in 1.8 and will be removed in 1.10.", "metric"),
        ("Replace usages of `numpy.lib.math` with `math`", "math"),
        # scipy
        ("Please use `scipy.integrate` namespace, the `scipy.integrate.quadpack` "
         "namespace is deprecated.", "scipy.integrate"),
        ("`scipy.odr` is deprecated and will be removed in SciPy 1.19.0. Please use "
         "`odrpack` instead.", "odrpack"),
        # phrasing variants from the brief
        ("use `vstack` instead", "vstack"),
        ("Use np.vstack directly", "np.vstack"),
        ("in favour of DataFrame.map", "DataFrame.map"),
        ("in favor of foo.bar", "foo.bar"),
        ("renamed to y_score", "y_score"),
        ("has been replaced by new_func", "new_func"),
        ("please use pkg.new_thing", "pkg.new_thing"),
        ("`new_func` should be used instead.", "new_func"),
        ("Use ``Series.map`` instead", "Series.map"),
        ("Use :func:`~numpy.vstack` instead.", "numpy.vstack"),
        (":meth:`DataFrame.map`", "DataFrame.map"),
        ("deprecated; instead use new_func", "new_func"),
        ("use `new_a` or `new_b`", "new_a"),
        ("Use :ref:`the guide <numpy.lib.stride_tricks>` instead", "numpy.lib.stride_tricks"),
        ("is deprecated, use `foo()` instead!", "foo"),
        ("old() is deprecated, use new() instead", "new"),
        ("deprecated (use new_api)", "new_api"),
        ("'delimitor' is deprecated. Use delimiter rather than delimitor", "delimiter"),
        # pandas 3.1: here set_option is what to call instead
        ("set_eng_float_format is deprecated and will be removed in a future version. Use "
         "pd.set_option('display.precision', N) to control decimal precision.", "pd.set_option"),
        # numpy 2.0 numpy/linalg/linalg.py (an f-string hole): the public module, not the private one
        ("The numpy.linalg.linalg has been made private and renamed to numpy.linalg._linalg. All public "
         "functions exported by it are available from numpy.linalg. Please use numpy.linalg.{} instead.",
         "numpy.linalg"),
        ("renamed to `pkg._impl`", "pkg._impl"),             # a private name alone is still the advice
        # scipy 0.9's list of deprecated solvers, each with its advice in parentheses
        ("``broyden_generalized`` (equivalent to ``anderson``)", "anderson"),
        ("`old_solver` is deprecated; it is exactly equivalent to `new_solver`.", "new_solver"),
        ("`fixes.delayed` is deprecated. Instead, import `parallel.delayed` and use it with `Parallel`.",
         "parallel.delayed"),
    ],
)
def test_replacement_found(text: str, expected: str) -> None:
    assert replacement_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Use of `RandomState` with `quadratic_assignment` is deprecated",
        "In the future this will be replaced by an error.",
        "Search NumPy's documentation directly.",
        "It's an internal function and doesn't have a replacement.",
        "Use `-np.inf` instead.",
        "Use `0.0` instead.",
        "is_sparse is deprecated and will be removed in a future version.",
        "The pyxlsb engine is deprecated and will be removed in a future version. ",
        "In SciPy 1.17 its use will raise an exception.",
        "Use rather than this the documented way.",
        "The parameter was renamed and will be removed in 1.5.",
        # pandas 3.1 infer_freq: the option switches behaviour, it does not replace the function
        "A future version of pandas will return a :class:`BaseOffset` instead of a string. Use "
        "``pd.set_option('future.infer_freq_returns_offset', True)`` to opt in to the future behavior.",
        "Use pd.set_option('future.no_silent_downcasting', True) to silence this warning.",
        # pandas 2.2 to_datetime(errors='ignore'): `errors` is what to leave out (it became pandas.errors)
        "errors='ignore' is deprecated and will raise in a future version. Use to_datetime without passing "
        "`errors` and catch exceptions explicitly instead",
        # scikit-learn 1.9: the value advice names no API
        'Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11. It maps to '
        '`"squared_error"` as both were always equivalent.',
        "",
    ],
)
def test_no_replacement_is_invented(text: str) -> None:
    assert replacement_from_text(text) is None


@pytest.mark.parametrize(
    ("text", "since", "removed"),
    [
        ("deprecated in 1.3", "1.3", None),
        ("Deprecated since version 2.1", "2.1", None),
        ("3-dimensional vectors instead. (deprecated in NumPy 2.0, 2023-08-18)", "2.0", None),
        ("or pytest.filterwarnings instead. (Deprecated NumPy 2.4)", "2.4", None),
        ("will be removed in 1.5", None, "1.5"),
        ("and will be removed in version 3.0", None, "3.0"),
        ("is deprecated and will be removed in a future version.", None, None),
        ("Importing from numpy.matlib is deprecated since 1.19.0. ", "1.19.0", None),
        ("`scipy.odr` is deprecated as of version 1.17.0 and will be removed in SciPy 1.19.0.",
         "1.17.0", "1.19.0"),
        ("'penalty' was deprecated in version 1.8 and will be removed in 1.10.", "1.8", "1.10"),
        ("Key: 'values', is deprecated in 1.3 and will be removed in 1.5. Please use 'grid_values'",
         "1.3", "1.5"),
        ("array was deprecated in SciPy 1.9.0 and removed in SciPy 1.11.0", "1.9.0", "1.11.0"),
        ("option is deprecated and will be removed in pandas 4.0, at which", None, "4.0"),
        (".. deprecated:: 2.1.0\n   Use DataFrame.map", "2.1.0", None),
        (".. deprecated-removed:: 3.4 3.6", "3.4", "3.6"),
        ("deprecated in favor of foo 1.2", None, None),
        ("", None, None),
    ],
)
def test_versions(text: str, since: str | None, removed: str | None) -> None:
    assert versions_from_text(text) == (since, removed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (":func:`~numpy.vstack`", "numpy.vstack"),
        ("``DataFrame.map()``", "DataFrame.map"),
        ("`title <pkg.mod>`", "pkg.mod"),
        ("'periods'", "periods"),
        ("-np.inf", None),
        ("x + 1", None),
    ],
)
def test_clean_name(text: str, expected: str | None) -> None:
    assert clean_name(text) == expected


def test_literal_text_decodes_prefixes_and_fstring_holes() -> None:
    assert literal_text('"plain \\"q\\""') == 'plain "q"'
    assert literal_text("'''doc'''") == "doc"
    assert literal_text("r'a\\n'") == "a\\n"
    assert literal_text("b'bytes'") == "bytes"
    assert literal_text("f\"`np.{attr}` was removed {{x}} {d['k']!r:>{w}}\"") == "`np.{}` was removed {x} {}"
    assert literal_text("not a string") is None


@pytest.mark.parametrize("token, text", [
    # numpy 2.5's mtrand.pyx docstrings: `.. math:: p(x) = ... , x \ge 0` in a plain string
    ('"""x \\ge 0"""', "x \\ge 0"),
    ('"\\g<1> is deprecated"', "\\g<1> is deprecated"),
])
def test_an_invalid_escape_decodes_without_a_warning(token: str, text: str) -> None:
    """Python 3.12 says SyntaxWarning for an invalid escape (3.11 a DeprecationWarning): scans of
    numpy 2.5 printed it on the terminal, and under `-W error` the string was no string at all."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert literal_text(token) == text
        assert canonical_literal(token) == repr(text)


def test_a_public_module_offered_for_a_private_ones_names_is_no_drop_in() -> None:
    """numpy 2.0: `numpy.linalg` re-exports only the public names of the old `linalg.linalg`, so
    `from numpy.linalg.linalg import _makearray` must not become `from numpy.linalg import ...`."""
    text = ("The numpy.linalg.linalg has been made private and renamed to numpy.linalg._linalg. All public "
            "functions exported by it are available from numpy.linalg. Please use numpy.linalg.{} instead.")
    assert replacement_from_text(text) == "numpy.linalg" and not says_drop_in(text)
    assert says_drop_in("`row_stack` was renamed to `vstack`")
    assert says_drop_in("renamed to `pkg._impl`")


def test_a_name_still_available_elsewhere_is_a_drop_in() -> None:
    """numpy 2.0's expired names that only moved (the very object, under another module)."""
    assert says_drop_in("It's still available as `np.lib.add_docstring`.")
    assert says_drop_in("Now it's available under `np.lib.array_utils.byte_bounds`")
    assert says_drop_in("It is now available as `np.char.compare_chararrays`.")
    # what numpy says of names that did not just move
    assert not says_drop_in("Use `np.asarray` with a proper dtype instead.")
    assert not says_drop_in("numpy.lib.arrayterator submodule is now private. To access Arrayterator "
                            "class use numpy.lib.Arrayterator.")
    assert not says_drop_in("The same behaviour is available through `pd.to_numeric`")


def test_a_new_name_of_inverse_meaning_is_no_rename_nor_drop_in() -> None:
    from apimigrate.scan.messages import offers_one_name, says_drop_in, says_inverted
    text = 'The "whole" keyword argument is deprecated, use "each_item" (inverse meaning, default False) instead'
    assert says_inverted(text) and not offers_one_name(text)
    assert says_inverted("`x` was renamed to `y`, with the opposite meaning") \
        and not says_drop_in("`x` was renamed to `y`, with the opposite meaning")
    assert not says_inverted("use `each_item` instead") and offers_one_name("use `each_item` instead")
    assert not says_inverted("Use the reverse parameter instead")
    # SQLAlchemy `Query.instances`: "aliased()" is a function offered beside the replacement
    assert not says_drop_in("Use the Select.from_statement() method or aliased() construct in conjunction with "
                            "Session.execute() instead.")


@pytest.mark.parametrize("text", [
    # pandas 3.1, scikit-learn 1.9 and 0.22-0.24 release notes, torch 2.13
    "This keyword is ignored and will be removed in pandas 4.0. Since pandas 3.0, this method always returns "
    "a new object using a lazy copy mechanism that defers copies until necessary (Copy-on-Write).",
    "The parameter `criterion` is deprecated and will be removed in 1.11. It has no effect. Leave it to its "
    "default value to avoid this warning.",
    "'n_jobs' has no effect since 1.8 and will be removed in 1.10. You provided 'n_jobs={}', please leave it "
    "unspecified.",
    "The axis argument has always been ignored, in future passing it will raise TypeError",
    "only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate gradient for "
    "other parts of the graph, please use torch.autograd.backward.",
    "`optimize` is deprecated and has no effect. Use `with torch.jit.optimized_execution()` instead",
    "``presort`` is now deprecated in :class:`tree.DecisionTreeClassifier`, and the parameter has no effect.",
    "The `verbose` parameter no longer has any effect and is deprecated.",
])
def test_a_parameter_said_to_be_ignored_now(text: str) -> None:
    from apimigrate.scan.messages import says_ignored
    assert says_ignored(text)


@pytest.mark.parametrize("text", [
    # still acts now, or only in some calls
    "`verbose` is deprecated and will be ignored in a future version.",
    "`flag` will have no effect in 2.0.",
    "The 'include' and 'exclude' arguments are deprecated for Series.describe and will be removed in a future "
    "version. These arguments have no effect on Series and should be left unspecified.",
    "Both `broadcast_buffers` and `forward_sync_buffers` were specified. `broadcast_buffers` is deprecated "
    "and its value is ignored when `forward_sync_buffers` is given.",
    "`normalize` is ignored if `fit_intercept` is False.",
    "The `copy` keyword is deprecated. Pass `copy=True` explicitly.",
    None,
])
def test_a_parameter_that_still_acts_is_not_ignored(text: str | None) -> None:
    from apimigrate.scan.messages import says_ignored
    assert not says_ignored(text)
