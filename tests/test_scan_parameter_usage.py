"""Which uses of a deprecated parameter a message deprecates, and how the extractor records it.

The messages are quoted from numpy 2.4, pandas 3.1, scipy 1.17 and scikit-learn 1.9 (the
file each comes from is named beside it).
"""
from __future__ import annotations

import textwrap

import pytest

from apimigrate.scan.parameter_usage import usage_from_directive, usage_from_text
from apimigrate.scan.python_source import extract_python


@pytest.mark.parametrize("parameter, text, usage, values", [
    # xarray 2026.9 core/groupby.py: the quoted name after "Passing" is the parameter itself
    ("eagerly_compute_group", "Passing `eagerly_compute_group` is now deprecated. It has no effect.", ["any"], []),
    # ... unquoted it may be a word ("Passing a dict", "Passing values as a list"): not told apart
    ("axis", "Passing axis to foo is deprecated", ["other"], []),
    # sklearn/cluster/_hdbscan/hdbscan.py
    ("copy", "The default value of `copy` will change from False to True in 1.10. Explicitly set a value "
             "for `copy` to silence this warning.", ["default"], []),
    # pandas/_testing/asserters.py
    ("exact", "The default value of 'equiv' for the `exact` parameter is deprecated and will be changed "
              "to 'True' in a future version.", ["default"], []),
    # pandas/io/json/_json.py: the parameter is not named in the sentence that says it
    ("date_format", 'The default formatting of datetime/timedelta values will change from numbers ("epoch") '
                    'to strings ("iso") in a future version. Specify `date_format="iso"` explicitly.',
     ["default"], []),
    # scipy/sparse/linalg/_isolve/iterative.py
    ("callback_type", "scipy.sparse.linalg.gmres called without specifying `callback_type`. The default "
                      "value will be changed in a future release.", ["default"], []),
    # sklearn/linear_model/_coordinate_descent.py: the default that changes is another parameter's
    ("n_alphas", "'n_alphas' was deprecated in 1.9 and will be removed in 1.11. 'alphas' now accepts an "
                 "integer value which removes the need to pass 'n_alphas'. The default value of 'alphas' "
                 "will change from None to 100 in 1.11.", ["any"], []),
    ("alphas", "'alphas=None' is deprecated and will be removed in 1.11, at which point the default value "
               "will be set to 100. Set 'alphas=100' to silence this warning.", ["value"], ["None"]),
    # sklearn/tree/_classes.py: the advice names another value, which stays allowed
    ("criterion", 'Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11. It maps '
                  'to `"squared_error"` as both were always equivalent. Use `criterion="squared_error"` '
                  'instead.', ["value"], ["'friedman_mse'"]),
    # pandas doc/source/whatsnew/v2.2.0.rst: the keyword is written with the deprecated value
    ("errors", 'Deprecated the ``errors="ignore"`` option in :func:`to_datetime`, :func:`to_timedelta`, and '
               ':func:`to_numeric`; explicitly catch exceptions instead', ["value"], ["'ignore'"]),
    # numpy/_core/getlimits.py, numpy/linalg/_linalg.py
    ("dtype", "finfo() dtype cannot be None. This behavior will raise an error in the future. "
              "(Deprecated in NumPy 1.25)", ["value"], ["None"]),
    ("mode", "The 'full' option is deprecated in favor of 'reduced'.\nFor backward compatibility let "
             "mode default.", ["value"], ["'full'"]),
    # pandas/core/frame.py (docstring of to_parquet)
    ("engine", "The ``'fastparquet'`` and ``'auto'`` engine options are deprecated. Use ``'pyarrow'`` or "
               "do not pass ``engine`` to use the default.", ["value"], ["'auto'", "'fastparquet'"]),
    ("engine", "engine='auto' is deprecated and will be removed in a future version. Pass engine='pyarrow' "
               "or do not pass 'engine' to use the default.", ["value"], ["'auto'"]),
    # sklearn/linear_model/_logistic.py
    ("sample_weight", "`sample_weight` needs to be passed as a keyword argument and not as a positional "
                      "argument.", ["positional"], []),
    # numpy 2.4.0 release notes: the section title and its first sentence (dots inside dotted names)
    ("out", "Positional ``out`` argument to ``np.maximum``, ``np.minimum`` is deprecated", ["positional"], []),
    ("out", "Passing the output array ``out`` positionally to ``numpy.maximum`` and ``numpy.minimum`` is "
            "deprecated. For example, ``np.maximum(a, b, c)`` will emit a deprecation warning",
     ["positional"], []),
    # the parameter itself is the subject
    ("penalty", "'penalty' was deprecated in version 1.8 and will be removed in 1.10. To avoid this "
                "warning, leave 'penalty' set to its default value.", ["any"], []),
    ("axis", "The axis argument has always been ignored, in future passing it will raise TypeError",
     ["any"], []),
    ("rsuffix", "The 'lsuffix' and 'rsuffix' keywords in DataFrame.join are deprecated and will be "
                "removed in a future version. Use the 'suffixes' keyword instead.", ["any"], []),
    ("copy", "This keyword is ignored and will be removed in pandas 4.0. Since pandas 3.0, this method "
             "always returns a new object.", ["any"], []),
    ("n_jobs", "'n_jobs' has no effect since 1.8 and will be removed in 1.10.", ["any"], []),
    ("kwargs", "Passing ``**kwargs`` to GroupBy.cummax is deprecated and will be removed in a future "
               "version of pandas.", ["any"], []),
    ("float_precision", "All float precision modes now use the same converter. The ``float_precision`` "
                        "argument will be removed in a future version.", ["any"], []),
    ("delim_whitespace", "Deprecated the ``delim_whitespace`` keyword in :func:`read_csv` and "
                         ":func:`read_table`, use ``sep=\"\\s+\"`` instead", ["any"], []),
    ("method", "", ["any"], []),
    # pandas 2.2.3 core/generic.py, core/indexes/timedeltas.py, core/groupby/grouper.py, core/arrays/period.py
    ("method", "{}.fillna with 'method' is deprecated and will raise in a future version. Use obj.ffill() "
               "or obj.bfill() instead.", ["any"], []),
    ("closed", "The 'closed' keyword in {} construction is deprecated and will be removed in a future "
               "version.", ["any"], []),
    ("axis", "Grouper axis keyword is deprecated and will be removed in a future version. To group on "
             "axis=1, use obj.T.groupby(...) instead", ["any"], []),
    ("freq", "The 'freq' keyword in the PeriodArray constructor is deprecated and will be removed in a "
             "future version. Pass 'dtype' instead", ["any"], []),
    # about some calls only, and not what the call alone shows
    ("power_t", "Negative values for `power_t` are deprecated in version 1.8 and will raise an error "
                "in 1.10.", ["other"], []),
    ("format", "Passing integer or float values together with ``format`` is deprecated; cast them to "
               "strings first.", ["other"], []),
    ("dtype", "Series.values returning an object-dtype ndarray for {} dtype is deprecated.", ["other"], []),
    # pandas 2.2.3 core/generic.py: passing `fill_method=None` is the fix
    ("fill_method", "The 'fill_method' keyword being not None and the 'limit' keyword in {}.pct_change are "
                    "deprecated and will be removed in a future version.", ["other"], []),
    ("skipna", "The behavior of {}.argmax/argmin with skipna=False and NAs, or with all-NAs is deprecated.",
     ["other"], []),
    ("sort", "Sorting by default when concatenating all DatetimeIndex is deprecated.  In the future, "
             "pandas will respect the default of `sort=False`.", ["other"], []),
    ("axis", "Passing an axis where ``axis > a.ndim`` will be treated as ``axis == a.ndim``. This "
             "behavior is deprecated.", ["other"], []),
    # pandas 3.1 Timedelta: values in the default role, not every unit
    ("unit", "Allowing the values `w`, `d`, `MIN`, `MS`, `US` and `NS` to denote units are deprecated in "
             "favour of the values `W`, `D`, `min`, `ms`, `us` and `ns`.", ["value"],
     ["'w'", "'d'", "'MIN'", "'MS'", "'US'", "'NS'"]),
    ("flag", "The values `None` and `1` are deprecated.", ["value"], ["None", "1"]),
    # pandas 2.1 / 2.2 to_timedelta(unit=) docstrings: the parameter, plural, then the values
    ("unit", "Units 'T' and 'L' are deprecated and will be removed in a future version.", ["value"],
     ["'T'", "'L'"]),
    ("unit", "Units 'H', 'T', 'S', 'L', 'U' and 'N' are deprecated and will be removed in a future version.",
     ["value"], ["'H'", "'T'", "'S'", "'L'", "'U'", "'N'"]),
])
def test_usage_from_library_messages(parameter: str, text: str, usage: list[str], values: list[str]) -> None:
    got_usage, got_values = usage_from_text(text, parameter)
    assert (got_usage, sorted(got_values)) == (usage, sorted(values))


def _findings(code: str):
    result = extract_python(textwrap.dedent(code).encode(), "pkg/mod.py", "pkg.mod")
    assert result.error is None
    return {(f.target, f.parameter): f for f in result.findings}


SKLEARN_LIKE = '''
import warnings


class Estimator:
    """An estimator.

    Parameters
    ----------
    criterion : str, default="squared_error"
        The function to measure the quality of a split.

    l1_ratios : array-like, default="warn"
        The mixing parameters.

        .. deprecated:: 1.8
            `l1_ratios=None` is deprecated in 1.8 and will raise an error in 1.10.
    """

    def __init__(self, *, criterion="squared_error", copy="warn", l1_ratios="warn", n_jobs=None):
        self.criterion = criterion
        self.copy = copy
        self.l1_ratios = l1_ratios
        self.n_jobs = n_jobs

    def fit(self, X, y=None, **params):
        if self.criterion == "friedman_mse":
            warnings.warn(
                'Value `"friedman_mse"` for `criterion` is deprecated and will be '
                'removed in 1.11. Use `criterion="squared_error"` instead.',
                FutureWarning,
            )
        if self.copy == "warn":
            warnings.warn(
                "The default value of `copy` will change from False to True in 1.10."
                " Explicitly set a value for `copy` to silence this warning.",
                FutureWarning,
            )
        if isinstance(self.l1_ratios, str) and self.l1_ratios == "warn":
            warnings.warn("The default value for l1_ratios will change from None to (0.0,) "
                          "in version 1.10.", FutureWarning)
        if self.n_jobs != "deprecated" or self.copy != "deprecated":
            warnings.warn("`Estimator.n_jobs` and `Estimator.copy` are deprecated in version 1.9",
                          FutureWarning)
        return self

    def score(self, X, y, sample_weight=None):
        """Score.

        Parameters
        ----------
        sample_weight : array-like
            Sample weights.

            .. deprecated:: 1.9
                `sample_weight` needs to be passed as a keyword argument and not as a
                positional argument.
        """
'''


def test_extractor_records_usage_values_and_positions() -> None:
    found = _findings(SKLEARN_LIKE)
    criterion = found[("Estimator", "criterion")]
    assert (criterion.usage, criterion.values, criterion.position) == (["value"], ["'friedman_mse'"], -1)
    copy = found[("Estimator", "copy")]
    assert (copy.usage, copy.position) == (["default"], -1)
    score = found[("Estimator.score", "sample_weight")]
    assert (score.usage, score.position, score.since) == (["positional"], 2, "1.9")


def test_extractor_keeps_every_l1_ratios_witness() -> None:
    result = extract_python(textwrap.dedent(SKLEARN_LIKE).encode(), "pkg/mod.py", "pkg.mod")
    l1 = sorted((f.evidence_kind, f.usage, f.values) for f in result.findings if f.parameter == "l1_ratios")
    assert l1 == [("docstring", ["value"], ["None"]), ("warning", ["default"], [])]


def test_a_sentinel_string_in_a_comparison_is_not_a_keyword() -> None:
    # sklearn/preprocessing/_target_encoder.py: `self.shuffle != "deprecated"` inside a method taking
    # **params once produced a parameter called "deprecated".
    result = extract_python(textwrap.dedent(SKLEARN_LIKE).encode(), "pkg/mod.py", "pkg.mod")
    assert "deprecated" not in {f.parameter for f in result.findings}


def test_keyword_tests_on_kwargs_still_name_the_keyword() -> None:
    found = _findings('''
        import warnings

        def read(path, **kwargs):
            if "squeeze" in kwargs:
                warnings.warn("The squeeze argument has been deprecated and will be removed "
                              "in a future version.", FutureWarning)
        ''')
    f = found[("read", "squeeze")]
    assert (f.usage, f.position) == (["any"], None)


def test_positions_count_past_self_and_stop_at_the_star() -> None:
    found = _findings('''
        import warnings

        def assert_index_equal(left, right, exact="equiv", check_names=True, *, check_freq=None):
            if exact == "equiv":
                warnings.warn("The default value of 'equiv' for the `exact` parameter is deprecated "
                              "and will be changed to 'True' in a future version.", FutureWarning)
            if check_freq is None:
                warnings.warn("assert_index_equal will check the 'freq' attribute by default in a "
                              "future version; pass check_freq=True or check_freq=False.", FutureWarning)
        ''')
    assert (found[("assert_index_equal", "exact")].usage, found[("assert_index_equal", "exact")].position) == (
        ["default"], 2)
    assert found[("assert_index_equal", "check_freq")].position == -1


VALUE_BRANCHES = '''
import warnings


def to_json(path=None, orient=None, date_format=None):
    if date_format is None and orient == "table":
        date_format = "iso"
    elif date_format is None:
        warnings.warn("The default formatting of datetime values will change from numbers to strings. "
                      'Specify `date_format="iso"` explicitly.', FutureWarning)
    elif date_format == "epoch":
        warnings.warn("'epoch' date format is deprecated and will be removed in a future version, "
                      "please use 'iso' date format instead.", FutureWarning)


def qr(a, mode='reduced'):
    if mode not in ('reduced', 'complete', 'r', 'raw'):
        if mode in ('f', 'full'):
            warnings.warn("The 'full' option is deprecated in favor of 'reduced'.\\n"
                          "For backward compatibility let mode default.", DeprecationWarning)
        elif mode in ('e', 'economic'):
            warnings.warn("The 'economic' option is deprecated.", DeprecationWarning)


class MDS:
    def __init__(self, n_components=2, *, metric="euclidean", metric_mds=True, solver="smacof"):
        self.metric = metric
        self.solver = solver

    def fit(self, X, y=None):
        if isinstance(self.metric, bool):
            warnings.warn(
                f"Use metric_mds={self.metric} instead of metric={self.metric}. The "
                "support for metric={True/False} will be dropped in 1.10.",
                FutureWarning,
            )
        if self.solver == "smacof_old":
            warnings.warn("The `solver` parameter value is deprecated.", FutureWarning)
        if self.solver == "smacof_older":
            warnings.warn("'smacof_older' is deprecated.", FutureWarning)


def solve(a, how="lu", engine="c"):
    if how == "qr" and engine == "c":
        warnings.warn("'qr' with the C engine is deprecated.", FutureWarning)
    if how == "svd":
        pass
    else:
        warnings.warn("Any 'how' but 'svd' is deprecated.", FutureWarning)
    if engine == "python":
        warnings.warn("The python engine is deprecated.", FutureWarning)
'''


def test_a_branch_testing_a_parameter_against_literals_it_quotes_deprecates_those_values() -> None:
    """pandas 3.0 `to_json` and numpy `linalg.qr`: the message quotes the value, the branch says
    which parameter and which values (all of them: `mode='e'` warns as `mode='economic'` does)."""
    result = extract_python(textwrap.dedent(VALUE_BRANCHES).encode(), "pkg/mod.py", "pkg.mod")
    found = sorted((f.target, f.parameter, f.usage, f.values) for f in result.findings)
    assert found == [
        ("MDS", "metric", ["value"], ["False", "True"]),      # isinstance(self.metric, bool), tested in fit
        ("MDS", "solver", ["value"], ["'smacof_old'"]),       # a constructor parameter tested in fit
        ("qr", "mode", ["value"], ["'e'", "'economic'"]),
        ("qr", "mode", ["value"], ["'f'", "'full'"]),         # the text named `mode` and 'full'; the branch adds 'f'
        ("solve", "engine", ["other"], []),                   # a combined test narrows nothing
        ("solve", "engine", ["value"], ["'python'"]),         # named but unquoted: the branch gives the value
        ("solve", "how", ["other"], []),                      # the else branch of `how == "svd"`: not 'svd'
        ("to_json", "date_format", ["default"], []),
        ("to_json", "date_format", ["value"], ["'epoch'"]),
    ]


PASSED_BRANCHES = '''
import warnings
from pandas._libs import lib


def lombscargle(x, *, precenter=_NoValue):
    if precenter is not _NoValue:
        warnings.warn("Use of parameter 'precenter' is deprecated. Passing True to 'precenter' "
                      "can be substituted by centering y.", DeprecationWarning)


def shift(periods=1, fill=lib.no_default):
    if fill != lib.no_default:
        warnings.warn("Passing 'fill' as 'pad' is deprecated.", FutureWarning)


def other(a, mode=None):
    if mode is not _NoValue:                 # not its default: says nothing of being passed
        warnings.warn("Passing 'full' as 'mode' is deprecated.", FutureWarning)


class Lasso:
    def __init__(self, alpha=1.0, *, tol="deprecated"):
        self.tol = tol

    def fit(self, X):
        if self.tol != "deprecated":
            warnings.warn("Passing 'auto' for 'tol' is deprecated.", FutureWarning)
'''


def test_a_branch_testing_a_parameter_against_its_default_deprecates_passing_it_at_all() -> None:
    """`if precenter is not _NoValue:` warns whatever is passed: the values a message happens to
    quote ("Passing True to 'precenter'") do not narrow it. scikit-learn tests `self.tol` in fit
    against the constructor's default."""
    result = extract_python(textwrap.dedent(PASSED_BRANCHES).encode(), "pkg/mod.py", "pkg.mod")
    found = sorted((f.target, f.parameter, f.usage, f.values) for f in result.findings)
    assert found == [
        ("Lasso", "tol", ["any"], []),
        ("lombscargle", "precenter", ["any"], []),
        ("other", "mode", ["value"], ["'full'"]),
        ("shift", "fill", ["any"], []),
    ]


LEFT_OUT_BRANCHES = '''
import warnings

_anderson_warning_message = (
"""As of SciPy 1.17, users must choose a p-value calculation method by providing the
`method` parameter.""".replace('\\n', ' '))


def anderson(x, dist='norm', *, method=None):
    if method is None:
        warnings.warn(_anderson_warning_message, FutureWarning, stacklevel=2)
        return 1


def groupby(by, observed=lib.no_default):
    if observed is lib.no_default:
        warnings.warn("The default of observed=False is deprecated.", FutureWarning)


def other(x, mode="a"):
    if mode is None:                          # not its default: nothing to say about leaving it out
        warnings.warn("This is deprecated.", FutureWarning)


def fit(X, solver=None):
    if solver is None:
        warnings.warn(_solver_message(X), FutureWarning)
'''


def test_a_branch_testing_a_parameter_for_its_default_deprecates_leaving_it_out() -> None:
    """scipy 1.17 `anderson`: `if method is None: warn(...)` with `method=None` the default warns
    when the call leaves it out, or passes that default; the message's `.replace` is read too."""
    result = extract_python(textwrap.dedent(LEFT_OUT_BRANCHES).encode(), "pkg/mod.py", "pkg.mod")
    found = sorted((f.target, f.parameter, f.usage, f.values) for f in result.findings)
    assert found == [
        ("anderson", "method", ["default", "value"], ["None"]),
        ("fit", "solver", ["default", "value"], ["None"]),    # no message to read: the branch says it
        ("groupby", "observed", ["default"], []),             # a sentinel: no literal to pass
    ]                                                         # `other`: a condition on a use, no API
    anderson = next(f for f in result.findings if f.target == "anderson")
    assert anderson.message == ("As of SciPy 1.17, users must choose a p-value calculation method by "
                                "providing the `method` parameter.")


def test_a_meaningful_default_tested_is_no_test_of_being_passed() -> None:
    """torch `spawn`: `if start_method != "spawn": warn(...)` -- passing "spawn" does not warn, so
    the branch does not make every use of the keyword deprecated."""
    result = extract_python(textwrap.dedent('''
        import warnings

        def spawn(fn, nprocs=1, start_method="spawn"):
            if start_method != "spawn":
                msg = f"This method only supports start_method=spawn (got: {start_method})."
                warnings.warn(msg, FutureWarning, stacklevel=2)
        ''').encode(), "pkg/mod.py", "pkg.mod")
    assert [(f.parameter, f.usage) for f in result.findings] == [("start_method", ["other"])]


REAL_MODULES = [("scikit-learn", "sklearn/linear_model/_logistic.py"),
                ("scikit-learn", "sklearn/linear_model/_stochastic_gradient.py"),
                ("pandas", "pandas/core/frame.py"), ("pandas", "pandas/core/generic.py"),
                ("scipy", "scipy/linalg/_matfuncs.py"), ("scipy", "scipy/optimize/_linprog_ip.py"),
                ("numpy", "numpy/fft/_pocketfft.py")]


def test_patterns_left_out_for_a_message_change_no_finding_of_real_modules(monkeypatch):
    """`_for_text` leaves out a parameter's own patterns that cannot match a message (compiling
    each was a second of a pandas scan): what the real modules' parameter findings say is what
    trying every pattern says."""
    from apimigrate.scan import parameter_usage
    from apimigrate.scan.extract import extract_batch
    from apimigrate.scan.targets import installed_tree

    def read() -> list[tuple]:
        out = []
        for library, rel in REAL_MODULES:
            tree = installed_tree(library)
            [sf] = [f for f in tree.files if f.rel == rel]
            [result] = extract_batch([sf], tree.library, tree.version, tuple(tree.packages))
            out += [(rel, f.target, f.parameter, f.usage, f.values) for f in result.findings if f.parameter]
        return out
    fast = read()
    monkeypatch.setattr(parameter_usage, "_for_text", lambda patterns, param, text: parameter_usage._compile(patterns, param))
    every = read()
    assert len(fast) > 100 and {u for *_, usage, _ in fast for u in usage} >= {"any", "value", "default"}
    assert fast == every


@pytest.mark.parametrize("text, parameter", [
    ("The default value of `copy` will change to False.", "copy"),
    ("The default value of `COPY` will change to False.", "copy"),        # case-blind
    ("The default value of `copy` will change to False.", "axis"),        # another parameter's
    ("Passing 'ffill' for `method` is deprecated.", "method"),
    ("Values 'H', 'T' of freq are deprecated", "freq"),
    ("The \u212aelvin keyword is deprecated", "kelvin"),                  # re.I: K is the Kelvin sign
    ("The \u017ftride keyword is deprecated", "stride"),                  # and s the long s (not lower())
    ("the value 'x' for `a.b` is deprecated", "a.b"),                     # no identifier
])
def test_a_message_says_what_trying_every_pattern_says(monkeypatch, text, parameter):
    from apimigrate.scan import parameter_usage
    fast = usage_from_text(text, parameter), usage_from_directive(text, parameter)
    monkeypatch.setattr(parameter_usage, "_for_text", lambda patterns, param, t: parameter_usage._compile(patterns, param))
    assert (usage_from_text(text, parameter), usage_from_directive(text, parameter)) == fast
