"""Changelog extraction on the real release notes in ../shared/data/changelogs and on real-shaped snippets.

Expectations are written from what the notes say (quoted next to each check), not from scanner output.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.scan.changelog import extract_changelog, is_changelog_path, version_from_path
from apimigrate.scan.changelog_entry import expand_braces
from apimigrate.scan.model import CHANGELOG, RawFinding

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "changelogs"
ALIAS = {"np": "numpy", "pd": "pandas"}


def _norm(name: str, lib: str) -> str:
    """``np.msort`` / ``msort`` / ``numpy.msort`` -> ``msort`` (the name relative to the library)."""
    head, _, rest = name.partition(".")
    if ALIAS.get(head, head) == lib and rest:
        return rest
    return name


def _load(rel: str, lib: str, dist: str | None = None, as_path: str | None = None) -> dict:
    path = DATA / rel
    if not path.exists():
        pytest.skip(f"changelog sample {rel} not present")
    result = extract_changelog(path.read_bytes(), as_path or rel, library=dist or lib, packages=[lib])
    assert result.error is None
    out: dict[tuple[str, str | None], RawFinding] = {}
    for f in result.findings:
        assert f.evidence_kind == CHANGELOG
        out[(_norm(f.target, lib), f.parameter)] = f
    return out


# ---- which files, which versions ----------------------------------------------------------

@pytest.mark.parametrize("path, expected", [
    ("doc/source/release/1.20.0-notes.rst", True),
    ("doc/source/whatsnew/v2.2.0.rst", True),
    ("doc/whats_new/v1.2.rst", True),
    ("CHANGELOG.md", True),
    ("HISTORY.rst", True),
    ("NEWS.txt", True),
    ("doc/release/upcoming_changes/26452.deprecation.rst", True),
    ("doc/whats_new/upcoming_changes/sklearn.linear_model/29404.api.rst", True),
    ("changes/1234.removed.md", True),
    ("doc/whats_new/upcoming_changes/sklearn.linear_model/29404.fix.rst", False),   # bug fixes carry none
    ("doc/release/upcoming_changes/README.rst", False),
    ("doc/source/release/template.rst", False),
    ("vendored-meson/meson/docs/markdown/Release-notes-for-1.3.0.md", False),   # another project's notes
    ("third_party/pkg/CHANGELOG.md", False),
    ("doc/source/release.rst", False),            # the index page, not notes
    ("doc/whats_new/changelog_legend.inc", False),
    ("docs/index.md", False),
    ("LICENSE.txt", False),
])
def test_is_changelog_path(path, expected):
    assert is_changelog_path(path) is expected


@pytest.mark.parametrize("path, version", [
    ("doc/source/release/1.20.0-notes.rst", "1.20.0"),
    ("doc/source/whatsnew/v2.2.0.rst", "2.2.0"),
    ("doc/whats_new/v1.2.rst", "1.2"),
    ("doc/release/upcoming_changes/26452.deprecation.rst", None),
    ("CHANGELOG.md", None),
])
def test_version_from_path(path, version):
    assert version_from_path(path) == version


def test_brace_expansion():
    assert expand_braces("scipy.signal.{lsim2,impulse2,step2}") == [
        "scipy.signal.lsim2", "scipy.signal.impulse2", "scipy.signal.step2"]
    assert expand_braces("scipy.linalg.tri{,u,l}") == ["scipy.linalg.tri", "scipy.linalg.triu", "scipy.linalg.tril"]


# ---- numpy (Sphinx release notes) ---------------------------------------------------------

def test_numpy_2_1_keyword_deprecation_and_expired_internal_function():
    got = _load("numpy/2.1.0-notes.rst", "numpy")
    # "The ``fix_imports`` keyword argument in ``numpy.save`` is deprecated."
    f = got[("save", "fix_imports")]
    assert f.kind == "parameter" and f.since == "2.1.0" and not f.removed
    # "``set_string_function`` internal function was removed" (Expired deprecations)
    f = got[("set_string_function", None)]
    assert f.removed and f.removed_in == "2.1.0"
    # "Passing non-integer inputs as the first argument of `bincount` is now deprecated": a use, not the API
    assert ("bincount", None) not in got
    # "Scalars and 0D arrays are disallowed for ``numpy.nonzero``": no deprecation verb
    assert ("nonzero", None) not in got


def test_numpy_1_24_titled_entries_and_expired_keywords():
    got = _load("numpy/1.24.0-notes.rst", "numpy")
    # "Deprecate ``msort``" / "The ``numpy.msort`` function is deprecated. Use ``np.sort(a, axis=0)`` instead."
    f = got[("msort", None)]
    assert f.replacement in ("np.sort", "numpy.sort") and f.since == "1.24.0" and not f.removed
    # "The ``numpy.fastCopyAndTranspose`` function has been deprecated. Use the corresponding copy and
    # transpose methods directly" -- names no replacement API
    assert got[("fastCopyAndTranspose", None)].replacement is None
    # "``np.object0``, ``np.str0``, ... as well as ``np.bool8`` are now deprecated"
    for alias in ("object0", "str0", "bytes0", "void0", "int0", "uint0", "bool8"):
        assert not got[(alias, None)].removed
    # Expired: "The ``normed`` keyword argument has been removed from `np.histogram`, `np.histogram2d`,
    # and `np.histogramdd`. Use ``density`` instead."
    for fn in ("histogram", "histogram2d", "histogramdd"):
        f = got[(fn, "normed")]
        assert f.removed and f.removed_in == "1.24.0" and f.new_parameter == "density"
    # "The deprecation for the aliases ``np.object``, ``np.bool``, ... and ``np.int`` is expired"
    for alias in ("object", "bool", "float", "complex", "str", "int"):
        assert got[(alias, None)].removed
    # "Ragged array creation will now always raise a ``ValueError``": not an API
    assert not any(name == "ValueError" for name, _ in got)


def test_numpy_1_22_expired_functions_keep_their_original_deprecation_version():
    got = _load("numpy/1.22.0-notes.rst", "numpy")
    # "``numpy.loads`` was deprecated in v1.15, with the recommendation that users use ``pickle.loads``"
    f = got[("loads", None)]
    assert f.removed and f.removed_in == "1.22.0" and f.since == "1.15" and f.replacement == "pickle.loads"
    # "``ndfromtxt`` and ``mafromtxt`` were both deprecated in v1.17 - users should use ``numpy.genfromtxt``"
    for name in ("ndfromtxt", "mafromtxt"):
        f = got[(name, None)]
        assert f.since == "1.17" and f.replacement == "numpy.genfromtxt"
    # "The ``np.MachAr`` class has been deprecated"
    f = got[("MachAr", None)]
    assert f.kind == "class" and not f.removed
    # "The misspelled keyword argument ``delimitor`` of ``numpy.ma.mrecords.fromtextfile()`` has been
    # changed to ``delimiter``, using it will emit a deprecation warning."
    f = got[("ma.mrecords.fromtextfile", "delimitor")]
    assert f.kind == "parameter" and f.new_parameter == "delimiter" and f.since == "1.22.0" and not f.removed


def test_changed_to_is_a_rename_only_in_a_sentence_about_deprecation():
    def findings(text: str) -> list[tuple[str, str | None, str | None]]:
        data = f"Deprecations\n============\n\n* {text}\n".encode()
        result = extract_changelog(data, "doc/release/9.9.0-notes.rst", library="numpy", packages=["numpy"])
        return [(f.target, f.parameter, f.new_parameter) for f in result.findings]

    assert findings("The keyword argument ``sep`` of ``numpy.fromfile`` has been changed to ``delim``; "
                    "using ``sep`` emits a DeprecationWarning.") == [("numpy.fromfile", "sep", "delim")]
    assert findings("The default of the ``axis`` argument of ``numpy.ptp`` has been changed to ``None``.") == []


def test_numpy_1_20_module_and_financial_functions():
    got = _load("numpy/1.20.0-notes.rst", "numpy")
    # "The module `numpy.dual` is deprecated."
    assert got[("dual", None)].kind == "module"
    # "the financial functions are removed from NumPy 1.20 ... ``fv``, ``ipmt``, ... and ``rate``"
    for fn in ("fv", "ipmt", "irr", "mirr", "nper", "npv", "pmt", "ppmt", "pv", "rate"):
        assert got[(fn, None)].removed_in == "1.20.0"
    # "Use :func:`~numpy.ctypeslib.load_library` instead"
    assert got[("ctypeslib.ctypes_load_library", None)].replacement == "numpy.ctypeslib.load_library"
    # The simple table under the ``np.int`` entry lists replacements per alias; it is not prose and
    # must not leak a replacement into the entry ("use ``float64``" speaks about ``float``).
    assert got[("int", None)].replacement is None
    # "These were removed from ``np.sctypeDict`` and ``np.typeDict``": containers, not removed APIs
    assert ("sctypeDict", None) not in got and ("typeDict", None) not in got


# ---- scipy (brace expansion, Deprecated features / Expired Deprecations) --------------------

def test_scipy_1_13_expired_with_braces():
    got = _load("scipy/1.13.0-notes.rst", "scipy")
    # "``scipy.signal.{lsim2,impulse2,step2}`` have been removed in favour of ``scipy.signal.{lsim,impulse,step}``"
    for old, new in (("lsim2", "lsim"), ("impulse2", "impulse"), ("step2", "step")):
        f = got[(f"signal.{old}", None)]
        assert f.removed and f.removed_in == "1.13.0" and f.replacement == f"scipy.signal.{new}"
    # "``scipy.signal.{bspline,quadratic,cubic}`` have been removed in favour of alternatives in
    # `scipy.interpolate`" -- no named replacement
    for old in ("bspline", "quadratic", "cubic"):
        assert got[(f"signal.{old}", None)].replacement is None
    # "``scipy.linalg.tri{,u,l}`` have been removed in favour of ``numpy.tri{,u,l}``"
    for old in ("tri", "triu", "tril"):
        assert got[(f"linalg.{old}", None)].replacement == f"numpy.{old}"
    # "Complex dtypes in ``PchipInterpolator`` ... have been deprecated": a use of the class
    assert not any("PchipInterpolator" in name for name, _ in got)
    # "The second argument of `scipy.stats.moment` has been renamed" is under "Other changes"
    assert not any("moment" in name for name, _ in got)


# ---- scikit-learn (|API| bullets under version and :mod: sections) --------------------------

def test_sklearn_1_2_api_entries():
    got = _load("scikit-learn/v1.2.rst", "sklearn", "scikit-learn", "doc/whats_new/v1.2.rst")
    # Version 1.2.1: "|API| `utils.fixes.delayed` is deprecated in 1.2.1 and will be removed in 1.5."
    f = got[("utils.fixes.delayed", None)]
    assert f.since == "1.2.1" and f.removed_in == "1.5" and f.version == "1.2.1"
    # "The `n_features_` attribute of :class:`decomposition.PCA` is deprecated in favor of `n_features_in_`
    # and will be removed in 1.4."
    f = got[("decomposition.PCA.n_features_", None)]
    assert f.kind == "attribute" and f.replacement == "n_features_in_" and f.removed_in == "1.4"
    # "The `sparse` parameter of :class:`preprocessing.OneHotEncoder` is now deprecated and will be removed in
    # version 1.4. Use `sparse_output` instead."
    f = got[("preprocessing.OneHotEncoder", "sparse")]
    assert f.new_parameter == "sparse_output" and f.removed_in == "1.4"
    # "Rename `base_estimator` to `estimator` in :class:`calibration.CalibratedClassifierCV` ...
    # The parameter `base_estimator` is deprecated and will be removed in 1.4."
    f = got[("calibration.CalibratedClassifierCV", "base_estimator")]
    assert f.new_parameter == "estimator" and f.removed_in == "1.4"
    # "Rename the fitted attribute `base_estimator_` to `estimator_` in the following classes: ..."
    f = got[("ensemble.BaggingClassifier.base_estimator_", None)]
    assert f.kind == "attribute" and f.replacement == "estimator_"
    # "The `n_iter` parameter of :class:`decomposition.MiniBatchSparsePCA` is deprecated and replaced by the
    # parameters `max_iter`, `tol`, and `max_no_improvement` to be consistent with
    # :class:`decomposition.MiniBatchDictionaryLearning`": only MiniBatchSparsePCA is concerned
    assert got[("decomposition.MiniBatchSparsePCA", "n_iter")].removed_in == "1.3"
    assert ("decomposition.MiniBatchDictionaryLearning", "n_iter") not in got
    # "The default value of `tol` was changed": no deprecation
    assert not any(param == "tol" for _, param in got)


def test_sklearn_1_3_renamed_arguments():
    got = _load("scikit-learn/v1.3.rst", "sklearn", "scikit-learn", "doc/whats_new/v1.3.rst")
    # "The `W` argument in :func:`decomposition.NMF.inverse_transform` ... is renamed to `Xt`"
    f = got[("decomposition.NMF.inverse_transform", "W")]
    assert f.new_parameter == "Xt" and f.removed_in == "1.5"
    # "Deprecates `n_iter` in favor of `max_iter` in :class:`linear_model.BayesianRidge` and
    # :class:`linear_model.ARDRegression`."
    for cls in ("linear_model.BayesianRidge", "linear_model.ARDRegression"):
        assert got[(cls, "n_iter")].new_parameter == "max_iter"
    # "The `sample_weight` parameter in `predict` for :meth:`cluster.KMeans.predict` ... is now deprecated"
    assert got[("cluster.KMeans.predict", "sample_weight")].removed_in == "1.5"


def test_sklearn_1_6_second_sentence_names_another_parameter_of_the_same_functions():
    got = _load("scikit-learn/v1.6.rst", "sklearn", "scikit-learn", "doc/whats_new/v1.6.rst")
    # "The `assert_all_finite` parameter of functions :func:`utils.check_array`, ... is renamed into
    # `ensure_all_finite`. `force_all_finite` will be removed in 1.8."
    assert got[("utils.check_array", "assert_all_finite")].new_parameter == "ensure_all_finite"
    assert got[("utils.check_array", "force_all_finite")].removed_in == "1.8"
    assert ("force_all_finite", None) not in got


# ---- pandas whatsnew -------------------------------------------------------------------------

def test_pandas_2_2_other_deprecations():
    got = _load("pandas/v2.2.0.rst", "pandas")
    # "Deprecated :meth:`Index.format`, use ``index.astype(str)`` ... instead"
    assert got[("Index.format", None)].kind == "method"
    # "Deprecated :func:`read_gbq` and :meth:`DataFrame.to_gbq`. Use ``pandas_gbq.read_gbq`` and
    # ``pandas_gbq.to_gbq`` instead"
    assert got[("read_gbq", None)].replacement == "pandas_gbq.read_gbq"
    assert got[("DataFrame.to_gbq", None)].replacement == "pandas_gbq.to_gbq"
    # "Deprecated ``year``, ``month``, ... keywords in the :class:`PeriodIndex` constructor, use
    # :meth:`PeriodIndex.from_fields` instead"
    for kw in ("year", "month", "quarter", "day", "hour", "minute", "second"):
        assert got[("PeriodIndex", kw)].replacement == "PeriodIndex.from_fields"
    # "Deprecated the ``fastpath`` keyword in the :class:`Series` constructor"
    assert got[("Series", "fastpath")].since == "2.2.0"
    # "Deprecated allowing non-keyword arguments in :meth:`DataFrame.to_csv`": a use, not the method
    assert ("DataFrame.to_csv", None) not in got
    # Frequency aliases ``M``, ``Q``, ``Y`` are strings, not APIs
    assert not any(name in ("M", "Q", "Y") for name, _ in got)


# ---- towncrier fragments and keep-a-changelog Markdown ----------------------------------------

def test_towncrier_fragments_take_kind_from_name_and_version_from_scan():
    numpy_dep = extract_changelog(b"``np.trapz`` is deprecated, use ``np.trapezoid`` instead.\n",
                                  "doc/release/upcoming_changes/24445.deprecation.rst",
                                  library="numpy", version="2.0.0", packages=["numpy"])
    [f] = numpy_dep.findings
    assert (f.target, f.replacement, f.since, f.removed) == ("np.trapz", "np.trapezoid", "2.0.0", False)

    expired = extract_changelog(b"* ``np.in1d`` has been removed. Use ``np.isin`` instead.\n",
                                "doc/release/upcoming_changes/27000.expired.rst",
                                library="numpy", version="2.4.0", packages=["numpy"])
    [f] = expired.findings
    assert f.removed and f.removed_in == "2.4.0" and f.replacement == "np.isin"

    sklearn = extract_changelog(
        b"- |API| The `copy` parameter of :class:`linear_model.Foo` is deprecated and will be removed in 1.9.\n"
        b"  By :user:`someone <someone>`\n",
        "doc/whats_new/upcoming_changes/sklearn.linear_model/30000.api.rst",
        library="scikit-learn", version="1.7.0", packages=["sklearn"])
    [f] = sklearn.findings
    assert (f.target, f.parameter, f.removed_in, f.since) == ("linear_model.Foo", "copy", "1.9", "1.7.0")


KEEP_A_CHANGELOG = b"""# Changelog

## [Unreleased]

## [2.0.0] - 2024-03-01

### Deprecated
- `mylib.io.read_old` is deprecated; use `mylib.io.read` instead.
- The `verbose` parameter of `mylib.Client` is deprecated in favour of `log_level`.

### Removed
- Removed `mylib.legacy_sum`, deprecated since 1.4. Use `mylib.total` instead.

### Fixed
- `mylib.fetch` was renamed internally; nothing for users to do.

## [1.4.0] - 2023-06-01

### Deprecated
- `mylib.legacy_sum` is deprecated, use `mylib.total`.
"""


def test_keep_a_changelog_markdown():
    res = extract_changelog(KEEP_A_CHANGELOG, "CHANGELOG.md", library="mylib", packages=["mylib"])
    got = {(f.target, f.parameter, f.version): f for f in res.findings}
    f = got[("mylib.io.read_old", None, "2.0.0")]
    assert f.replacement == "mylib.io.read" and f.since == "2.0.0" and not f.removed
    f = got[("mylib.Client", "verbose", "2.0.0")]
    assert f.new_parameter == "log_level"
    f = got[("mylib.legacy_sum", None, "2.0.0")]
    assert f.removed and f.removed_in == "2.0.0" and f.since == "1.4" and f.replacement == "mylib.total"
    assert got[("mylib.legacy_sum", None, "1.4.0")].since == "1.4.0"
    assert not any(t == "mylib.fetch" for t, _, _ in got)          # "### Fixed" is not a deprecation section


def test_non_utf8_changelog_is_reported_not_raised():
    res = extract_changelog(b"Deprecations\n============\n\n* caf\xe9 ``x`` is deprecated\n", "CHANGES.rst",
                            library="x")
    assert res.error == "not UTF-8" and res.findings == []


def test_parameter_entries_record_any_use() -> None:
    # "`force_all_finite` will be removed in 1.8." closes an entry of its own sentence;
    # "|API| The `sample_weight` parameter in `predict` for :meth:`...` and :meth:`...` is now deprecated".
    v16 = _load("scikit-learn/v1.6.rst", "sklearn", "scikit-learn")
    assert v16[("utils.check_array", "force_all_finite")].usage == ["any"]
    v13 = _load("scikit-learn/v1.3.rst", "sklearn", "scikit-learn")
    assert v13[("cluster.KMeans.predict", "sample_weight")].usage == ["any"]
    assert v13[("metrics.log_loss", "eps")].usage == ["any"]
    # "Deprecated ``year``, ``month``, ... keywords in the :class:`PeriodIndex` constructor"
    pandas = _load("pandas/v2.2.0.rst", "pandas")
    assert {pandas[("PeriodIndex", p)].usage[0] for p in ("year", "month", "second")} == {"any"}


# ---- shapes found by benchmarks/changelog_recall.py ---------------------------------------------

def _snippet_findings(text: str, path: str, library: str, package: str) -> list[RawFinding]:
    result = extract_changelog(text.encode(), path, library=library, packages=[package])
    assert result.error is None
    return result.findings


def test_keyword_equals_value_literal_names_the_keyword():
    # pandas 2.2.0 "Other Deprecations" (v2.2.0.rst:298) and scikit-learn 1.6 (v1.6.rst:322)
    pandas = ("Deprecations\n~~~~~~~~~~~~\n\n"
              "- Deprecated the ``errors=\"ignore\"`` option in :func:`to_datetime`, :func:`to_timedelta`, "
              "and :func:`to_numeric`; explicitly catch exceptions instead (:issue:`54467`)\n")
    got = {(f.target, f.parameter) for f in _snippet_findings(pandas, "doc/source/whatsnew/v2.2.0.rst",
                                                              "pandas", "pandas")}
    assert got == {("to_datetime", "errors"), ("to_timedelta", "errors"), ("to_numeric", "errors")}
    sklearn = ("Version 1.6.0\n=============\n\n:mod:`sklearn.calibration`\n"
               "--------------------------\n\n"
               "- |API| `cv=\"prefit\"` is deprecated for :class:`~sklearn.calibration.CalibratedClassifierCV`.\n"
               "  Use :class:`~sklearn.frozen.FrozenEstimator` instead, as\n"
               "  `CalibratedClassifierCV(FrozenEstimator(estimator))`.\n"
               "  By `Adrin Jalali`_ :pr:`30171`\n")
    [f] = _snippet_findings(sklearn, "doc/whats_new/v1.6.rst", "scikit-learn", "sklearn")
    assert (f.target, f.parameter) == ("sklearn.calibration.CalibratedClassifierCV", "cv")
    assert f.replacement == "sklearn.frozen.FrozenEstimator" and f.new_parameter is None
    assert f.values == ["'prefit'"]
    # a comparison written in a code span is no keyword of anything
    for body in ("- Deprecated comparing with ``a == None`` in :func:`isin` (:issue:`1`)\n",
                 "- Deprecated ``dtype == 'category'`` checks in :func:`is_categorical_dtype` (:issue:`1`)\n"):
        compared = _snippet_findings("Deprecations\n~~~~~~~~~~~~\n\n" + body, "doc/source/whatsnew/v2.2.0.rst",
                                     "pandas", "pandas")
        assert not [f for f in compared if f.parameter in ("a", "dtype")], body


def _sklearn_note_findings(version: str, module: str, note: str) -> list[RawFinding]:
    """The findings of one note under a `:mod:` heading of scikit-learn's whats_new/v{version}.rst."""
    heading = f":mod:`sklearn.{module}`"
    text = f"Version {version}.0\n=============\n\n{heading}\n{'.' * len(heading)}\n\n{note}"
    return _snippet_findings(text, f"doc/whats_new/v{version}.rst", "scikit-learn", "sklearn")


@pytest.mark.parametrize("note, old, new", [
    # scikit-learn 1.0 (v1.0.rst:949): "these two class methods" are the two named the sentence before
    ("- |API| :class:`metrics.ConfusionMatrixDisplay` exposes two class methods\n"
     "  :func:`~metrics.ConfusionMatrixDisplay.from_estimator` and\n"
     "  :func:`~metrics.ConfusionMatrixDisplay.from_predictions` allowing to create\n"
     "  a confusion matrix plot using an estimator or the predictions.\n"
     "  `metrics.plot_confusion_matrix` is deprecated in favor of these two\n"
     "  class methods and will be removed in 1.2.\n"
     "  :pr:`18543` by `Guillaume Lemaitre`_.\n",
     "metrics.plot_confusion_matrix", "metrics.ConfusionMatrixDisplay.from_estimator"),
    # (v1.0.rst:758) "the class method": the one named before
    ("- |API| :class:`inspection.PartialDependenceDisplay` exposes a class method:\n"
     "  :func:`~inspection.PartialDependenceDisplay.from_estimator`.\n"
     "  `inspection.plot_partial_dependence` is deprecated in favor of the\n"
     "  class method and will be removed in 1.2. :pr:`20959` by `Thomas Fan`_.\n",
     "inspection.plot_partial_dependence", "inspection.PartialDependenceDisplay.from_estimator"),
    # the last method named before: neither an earlier name nor the class named after it
    ("- |API| :func:`metrics.e_f` is faster. :func:`~metrics.Foo.from_x` is added to :class:`metrics.Foo`.\n"
     "  `metrics.c_d` is deprecated in favor of the class method.\n", "metrics.c_d", "metrics.Foo.from_x"),
    # "in turn": the consequence of the sentence before, which says the successor was added
    ("- |API| :term:`get_feature_names_out` has been added to the transformer API\n"
     "  to get the names of the output features. `get_feature_names` has in\n"
     "  turn been deprecated. :pr:`18444` by `Thomas Fan`_.\n", "get_feature_names", "get_feature_names_out"),
    ("- |API| :func:`metrics.a_b` got faster. `metrics.c_d` has in turn been deprecated.\n", "metrics.c_d", None),
    # a plural that says not how many, or words standing for no name: no replacement
    ("- |API| :func:`metrics.a_b` is added. `metrics.c_d` is deprecated in favor of these functions.\n",
     "metrics.c_d", None),
    ("- |API| `metrics.c_d` is deprecated in favor of the function.\n", "metrics.c_d", None),
])
def test_a_replacement_the_note_named_before_and_refers_to(note: str, old: str, new: str | None):
    got = {f.target: f for f in _sklearn_note_findings("1.0", "metrics", note)}
    assert got[old].replacement == new and got[old].removed_in in (None, "1.2")


def test_bare_name_restating_renamed_members_is_those_members():
    # scikit-learn 1.2.0 (v1.2.rst:632): the closing "`base_estimator_` is deprecated in 1.2 ..." speaks
    # of the attributes of the classes listed, not of a function `sklearn.ensemble.base_estimator_`.
    got = {f.target: f for f in _sklearn_note_findings(
        "1.2", "ensemble",
        "- |API| Rename the fitted attribute `base_estimator_` to `estimator_` in\n"
        "  the following classes:\n"
        "  :class:`ensemble.BaggingClassifier`,\n"
        "  :class:`ensemble.IsolationForest`.\n"
        "  `base_estimator_` is deprecated in 1.2 and will be removed in 1.4.\n"
        "  :pr:`23819` by :user:`Adrian Trujillo <trujillo9616>`.\n")}
    assert set(got) == {"ensemble.BaggingClassifier.base_estimator_", "ensemble.IsolationForest.base_estimator_"}
    for f in got.values():
        assert f.kind == "attribute" and f.replacement == "estimator_" and f.removed_in == "1.4"


def test_a_bare_name_among_names_under_a_submodule_is_under_it_too():
    # scikit-learn 0.16 (v0.16.rst:427): the owner written relative to the package, `sklearn.multiclass`
    got = {f.target for f in _snippet_findings(
        "Version 0.16\n============\n\nAPI changes summary\n-------------------\n\n"
        "- `multiclass.fit_ovr`, `multiclass.predict_ovr`,\n  `predict_proba_ovr`,\n"
        "  `multiclass.fit_ovo`, `multiclass.predict_ovo`,\n  `multiclass.fit_ecoc` and `multiclass.predict_ecoc`\n"
        "  are deprecated. Use the underlying estimators instead.\n", "doc/whats_new/v0.16.rst", "scikit-learn", "sklearn")}
    assert got == {f"multiclass.{n}" for n in ("fit_ovr", "predict_ovr", "predict_proba_ovr", "fit_ovo", "predict_ovo",
                                               "fit_ecoc", "predict_ecoc")}
    # not under another library's module
    other = {f.target for f in _snippet_findings(
        "Version 0.16\n============\n\nAPI changes summary\n-------------------\n\n"
        "- `numpy.fit_ovr`, `numpy.predict_ovr` and `predict_proba_ovr` are deprecated.\n",
        "doc/whats_new/v0.16.rst", "scikit-learn", "sklearn")}
    assert "predict_proba_ovr" in other


def test_an_attribute_in_a_class_is_that_class_s_attribute():
    # scikit-learn 0.14 (v0.14.rst:277): the attribute of both classes, not the classes; an attribute "in"
    # a module stays nobody's
    got = {f.target: f for f in _snippet_findings(
        "Version 0.14\n============\n\nAPI changes summary\n-------------------\n\n"
        "- Attribute ``oob_score_`` in :class:`sklearn.ensemble.GradientBoostingRegressor`\n"
        "  and :class:`sklearn.ensemble.GradientBoostingClassifier`\n"
        "  is deprecated and has been replaced by ``oob_improvement_`` .\n\n"
        "- The ``transform`` method in :mod:`sklearn.feature_selection` is deprecated.\n",
        "doc/whats_new/v0.14.rst", "scikit-learn", "sklearn")}
    assert set(got) == {"sklearn.ensemble.GradientBoostingRegressor.oob_score_",
                        "sklearn.ensemble.GradientBoostingClassifier.oob_score_"}
    for f in got.values():
        assert f.kind == "attribute" and f.replacement == "oob_improvement_"


def test_bare_fitted_attributes_in_an_entry_about_one_class_are_its_attributes():
    # scikit-learn 1.0.0 (v1.0.rst:618): not the functions `sklearn.decomposition.lambdas_` and `alphas_`
    note = ("- |API| Rename variable names in :class:`decomposition.KernelPCA` to improve\n"
            "  readability. `lambdas_` and `alphas_` are renamed to `eigenvalues_`\n"
            "  and `eigenvectors_`, respectively. `lambdas_` and `alphas_` are\n"
            "  deprecated and will be removed in 1.2.\n"
            "  :pr:`19908` by :user:`Kei Ishikawa <kstoneriv3>`.\n")
    got = {f.target: f for f in _sklearn_note_findings("1.0", "decomposition", note)}
    assert set(got) == {"decomposition.KernelPCA.lambdas_", "decomposition.KernelPCA.alphas_"}
    assert [(got[n].kind, got[n].replacement, got[n].removed_in) for n in sorted(got)] == [
        ("attribute", "eigenvectors_", "1.2"), ("attribute", "eigenvalues_", "1.2")]
    # two classes named: whose attributes they are is not said
    two = note.replace("in :class:`decomposition.KernelPCA`", "in :class:`decomposition.KernelPCA` and "
                       ":class:`decomposition.PCA`")
    assert {f.target for f in _sklearn_note_findings("1.0", "decomposition", two)} == {"lambdas_", "alphas_"}


def test_numpy_notes_that_deprecate_a_use_or_a_member_name_no_api():
    """Entries of numpy 1.9-2.0's release notes (read from the sdist by `scan numpy==1.26.4` and
    `numpy==2.0.2`) that made `check` flag every call of a live function."""
    def findings(text: str, section: str = "Deprecations") -> list[tuple[str, str | None]]:
        data = f"{section}\n{'=' * len(section)}\n\n{text}\n".encode()
        result = extract_changelog(data, "doc/source/release/9.9.0-notes.rst", library="numpy", packages=["numpy"])
        return [(f.target, f.parameter) for f in result.findings]

    # 1.25.0: the removed thing is the `y=` keyword; "(deprecated)" qualifies "alias"
    assert findings("* Support for ``y=`` as an alias of ``out=`` has been removed.\n  The ``fix``, ``isposinf`` "
                    "and ``isneginf`` functions allowed using ``y=`` as a\n  (deprecated) alias for ``out=``. This is "
                    "no longer supported.", "Expired deprecations") == []
    # 1.16.0: an operator on some inputs
    assert findings("* The ``positive`` operator (``+``) applied to non-numerical arrays is deprecated. "
                    "See below for details.") == []
    # 1.9.0: examples of what some input is passed to
    assert findings("Non-integer reduction axis indexes are deprecated\n"
                    "--------------------------------------------------\n"
                    "Non-integer axis indexes to reduction ufuncs like `add.reduce` or `sum` are deprecated.") == []
    # 2.0.0: the module is where the deprecations are
    assert findings("``numpy.fft`` deprecations for n-D transforms with None values in arguments\n"
                    "---------------------------------------------------------------------------\n"
                    "Using ``fftn`` with the ``s`` parameter set to a value that is not ``None`` and the ``axes`` "
                    "parameter set to ``None`` has been deprecated.") == []
    # 1.21.0: the deprecated things are four methods of it, named below
    assert findings("Four ``ndarray.ctypes`` methods have been deprecated\n"
                    "----------------------------------------------------\n"
                    "Four methods of the `ndarray.ctypes` object have been deprecated.") == []
    # 1.19.0: its warning expired; some inputs now give other results
    assert findings("* ``numpy.issubdtype`` had a FutureWarning since NumPy 1.14 which has expired now. This means "
                    "that certain input will now be consistent.", "Expired deprecations") == []
    # what these rules must leave alone
    assert findings("* ``np.trapz`` and ``np.in1d`` are deprecated.") == [("np.trapz", None), ("np.in1d", None)]
    assert findings("* Some aliases like ``np.float`` are deprecated.") == [("np.float", None)]
    assert findings("* The ``np.foo`` and ``np.bar`` functions are deprecated.") == [("np.foo", None), ("np.bar", None)]


def test_numpy_notes_about_c_cython_a_location_or_a_qualified_use_name_no_python_api():
    def findings(text: str, section: str = "Expired deprecations") -> list[tuple[str, str | None]]:
        data = f"{section}\n{'=' * len(section)}\n\n{text}\n".encode()
        result = extract_changelog(data, "doc/source/release/9.9.0-notes.rst", library="numpy", packages=["numpy"])
        return [(f.target, f.parameter) for f in result.findings]

    # 1.11.0 "C API", 1.25.0, 1.8.0, 1.9.0: struct members, Cython types, iterator arguments, header functions
    assert findings("* Removed the ``check_return`` and ``inner_loop_selector`` members of the ``PyUFuncObject`` "
                    "struct.") == []
    assert findings("Cython ``long_t`` and ``ulong_t`` removed\n-----------------------------------------\n"
                    "``long_t`` and ``ulong_t`` were aliases for ``longlong_t``.", "Compatibility notes") == []
    assert findings("* The ``oa_ndim == 0`` case with ``op_axes`` being NULL is deprecated.", "Deprecations") == []
    assert findings("* The unused ``simple_capsule_dtor`` function has been removed from ``npy_3kcompat.h``.") == []
    # 1.18.0: out-of-range axes of it; 2.0.0: an ambiguity in it
    assert findings("* The deprecation of ``expand_dims`` out-of-range axes in 1.13.0 has expired.") == []
    assert findings("* Removed ambiguity when broadcasting in ``np.solve``.", "Changes") == []
    assert findings("* The deprecation of ``np.foo`` has expired.") == [("np.foo", None)]
    assert findings("* Removed the ``np.bar`` function.") == [("np.bar", None)]


def test_c_words_or_a_warning_elsewhere_in_the_sentence_leave_the_python_api():
    """A review's cases: the C marker sits in another clause, the warning is the API's own."""
    def findings(text: str) -> list[tuple[str, str | None]]:
        data = f"Deprecations\n============\n\n{text}\n".encode()
        result = extract_changelog(data, "doc/source/release/9.9.0-notes.rst", library="numpy", packages=["numpy"])
        return [(f.target, f.parameter) for f in result.findings]

    assert ("np.foo", None) in findings("* ``np.foo`` is deprecated in favour of ``np.bar``; its C-API equivalent "
                                        "``PyArray_Foo`` is deprecated too.")
    assert findings("* ``np.asfarray`` is deprecated; use ``np.asarray`` (see the struct docs).") == [
        ("np.asfarray", None)]
    assert findings("* ``np.foo`` now gives a FutureWarning and is deprecated; use ``np.bar`` instead.") == [
        ("np.foo", None)]


def test_numpy_notes_say_whose_name_it_is_elsewhere_in_the_entry():
    """numpy 1.16-2.0 entries whose name the sentence alone misplaces (benchmarks/changelog_precision.py)."""
    def findings(text: str, section: str = "Deprecations") -> list[RawFinding]:
        data = f"{section}\n{'=' * len(section)}\n\n{text}\n".encode()
        result = extract_changelog(data, "doc/source/release/9.9.0-notes.rst", library="numpy", packages=["numpy"])
        return result.findings

    def got(text: str, section: str = "Deprecations") -> list[tuple[str, str | None]]:
        return [(f.target, f.parameter) for f in findings(text, section)]

    # 1.16.0: a dotted name before "keyword argument" is the host; the keyword is the parameter
    [f] = findings("* The `numpy.unravel_index` keyword argument ``dims`` is deprecated, use\n  ``shape`` instead.")
    assert (f.target, f.parameter, f.new_parameter) == ("numpy.unravel_index", "dims", "shape")
    assert got("* The `numpy.histogram` ``normed`` argument is deprecated.") == [("numpy.histogram", "normed")]
    # 1.16.0, under "Compatibility notes": the title names the function, the body says `dims` is a keyword
    assert got("``np.unravel_index`` now accepts ``shape`` keyword argument\n"
               "-----------------------------------------------------------\n"
               "Previously, only the ``dims`` keyword argument was accepted\nfor specification of the shape of "
               "the array to be used\nfor unraveling. ``dims`` remains supported, but is now deprecated.",
               "Compatibility notes") == [("numpy.unravel_index", "dims")]
    # 2.0.0: a bare name in a list of `np.` names is one of them
    assert got("* These main namespace members got removed: ``np.NINF``, ``np.PINF``, ``add_newdoc``, "
               "``np.add_docstring``.", "Expired deprecations") == [
        ("np.NINF", None), ("np.PINF", None), ("np.add_newdoc", None), ("np.add_docstring", None)]
    assert ("np.ma.loads", None) in got("* ``np.ma.dump``, ``np.ma.load``, ``loads`` are removed.")
    # ... but not in a list of another package's names, nor of mixed owners
    assert ("dumps", None) in got("* ``pickle.loads``, ``pickle.load``, ``dumps`` are removed.")
    assert ("dumps", None) in got("* ``pd.loads``, ``pd.load``, ``dumps`` are removed.")
    assert ("dumps", None) in got("* ``np.ma.dump``, ``np.load``, ``dumps`` are removed.")
    # 1.18.0: the file the class was in is its module
    [f] = findings("* Class ``SafeEval`` in ``numpy/lib/utils.py`` has been removed.\n  This was deprecated in "
                   "NumPy 1.10. Use ``np.safe_eval`` instead.", "Expired deprecations")
    assert (f.target, f.kind, f.replacement) == ("numpy.lib.utils.SafeEval", "class", "np.safe_eval")
    # 1.20.0: the title's bare attribute is the one the body says is ABCPolyBase's
    assert got("``nickname`` attribute removed from ABCPolyBase\n"
               "-----------------------------------------------\n\n"
               "An abstract property ``nickname`` has been removed from  ``ABCPolyBase`` as it\n"
               "was no longer used in the derived convenience classes.", "Compatibility notes") == [
        ("ABCPolyBase.nickname", None)]
    # what these rules must leave alone: "removed from" a module
    assert got("* ``np.foo`` is deprecated; the ``foo`` attribute will be removed.") == [("np.foo", None)]
    # an attribute written bare with no owner in sight is nobody's: no row (it would become a module
    # attribute `numpy.bar`, which the note does not say)
    assert got("* The ``bar`` attribute has been removed.", "Expired deprecations") == []


def test_two_lists_of_names_pair_up_when_each_name_is_most_like_its_counterpart():
    """scikit-learn 1.5: `cv_values_` becomes `cv_results_`, not the first name offered; neither
    pair shares a prefix (`store_cv_values` / `store_cv_results`)."""
    result = extract_changelog(
        b"- |API| `store_cv_values` and `cv_values_` are deprecated in favor of\n"
        b"  `store_cv_results` and `cv_results_` in `~linear_model.RidgeCV` and\n"
        b"  `~linear_model.RidgeClassifierCV`.\n",
        "doc/whats_new/upcoming_changes/sklearn.linear_model/28915.api.rst",
        library="scikit-learn", version="1.5.0", packages=["sklearn"])
    got = {(f.target, f.parameter): f.new_parameter for f in result.findings}
    for host in ("linear_model.RidgeCV", "linear_model.RidgeClassifierCV"):
        assert got[(host, "store_cv_values")] == "store_cv_results"
        assert got[(host, "cv_values_")] == "cv_results_"
    # and say so: the sentence offers two names, but not both for each (resolve keeps the rename)
    assert all(f.paired for f in result.findings)
    # names listed in another order: they do not line up, the first replacement goes to each as before
    crossed = extract_changelog(
        b"- |API| `n_iter` and `tolerance` are deprecated in favor of `tol` and `max_iter` in `~linear_model.Foo`.\n",
        "doc/whats_new/upcoming_changes/sklearn.linear_model/30001.api.rst",
        library="scikit-learn", version="1.5.0", packages=["sklearn"])
    assert {f.parameter: f.new_parameter for f in crossed.findings} == {"n_iter": "tol", "tolerance": "tol"}
    assert not any(f.paired for f in crossed.findings)


def test_values_renamed_for_a_parameter_are_not_parameters():
    """scikit-learn 1.4: `kdtree` and `balltree` are values of HDBSCAN's `algorithm`, which the
    code's own warning covers; they are no keywords of HDBSCAN."""
    result = extract_changelog(
        b"- |API| `kdtree` and `balltree` values are now deprecated and are renamed as\n"
        b"  `kd_tree` and `ball_tree` respectively for the `algorithm` parameter of\n"
        b"  :class:`cluster.HDBSCAN` ensuring consistency in naming convention.\n"
        b"  `kdtree` and `balltree` values will be removed in 1.6.\n",
        "doc/whats_new/upcoming_changes/sklearn.cluster/26744.api.rst",
        library="scikit-learn", version="1.4.0", packages=["sklearn"])
    assert [(f.target, f.parameter) for f in result.findings if f.parameter in ("kdtree", "balltree")] == []


def test_a_deprecation_announced_without_a_version_has_no_since():
    # numpy 2.4.0 notes (doc/source/release/2.4.0-notes.rst:76): numpy.fix warns from 2.5 on, so 2.4.0 is
    # no `since`; the 2.5.0 notes' "is deprecated" is
    announced = ("Deprecations\n============\n\n``np.fix`` is pending deprecation\n"
                 "---------------------------------\n"
                 "The ``numpy.fix`` function will be deprecated in a future release. It is\n"
                 "recommended to use ``numpy.trunc`` instead, as it provides the same\n"
                 "functionality of truncating decimal values to their integer parts.\n")
    [f] = [f for f in _snippet_findings(announced, "doc/source/release/2.4.0-notes.rst", "numpy", "numpy")
           if f.target.endswith("fix")]
    assert (f.since, f.announced, f.version) == (None, True, "2.4.0")
    made = ("Deprecations\n============\n\n* ``numpy.fix`` is deprecated, use ``numpy.trunc`` instead. It is faster and\n"
            "  follows the Array API standard.\n")
    [g] = [f for f in _snippet_findings(made, "doc/source/release/2.5.0-notes.rst", "numpy", "numpy")
           if f.target.endswith("fix")]
    assert (g.since, g.announced) == ("2.5.0", False)
    # a version in the announcement is its `since` (a later release than the notes')
    dated = announced.replace("in a future release", "in NumPy 2.6")
    [h] = [f for f in _snippet_findings(dated, "doc/source/release/2.4.0-notes.rst", "numpy", "numpy")
           if f.target.endswith("fix")]
    assert (h.since, h.announced) == ("2.6", False)


# ---- scipy notes read with an installed scan (the sdist of scipy 1.17.1 carries them all) ---------

def _scipy_notes(version: str, section: str, body: str) -> dict[str, RawFinding]:
    text = f"==========================\nSciPy {version} Release Notes\n==========================\n\n{section}\n" \
           f"{'=' * len(section)}\n{body}"
    return {f.target: f for f in _snippet_findings(text, f"doc/source/release/{version}-notes.rst", "scipy", "scipy")}


def test_functions_in_a_module_are_the_module_s_functions():
    # scipy 1.2.0-notes.rst:211: not a deprecation of `scipy.special`, which made every
    # `from scipy.special import expit` a finding
    got = _scipy_notes("1.2.0", "Deprecated features", "The functions ``hyp2f0``, ``hyp1f2`` and ``hyp3f0`` "
                       "in ``scipy.special`` have\nbeen deprecated.\n")
    assert set(got) == {"scipy.special.hyp2f0", "scipy.special.hyp1f2", "scipy.special.hyp3f0"}
    assert {f.kind for f in got.values()} == {"function"}


def test_names_in_parentheses_after_from_a_module_are_the_module_s():
    # scipy 1.3.0-notes.rst:184-194, under a heading naming `scipy.interpolate`: the first sentence
    # gave nothing ("Functions from" read as a container phrase) and the second put ``info``,
    # ``source`` and ``who`` into the heading's module, rows of APIs scipy.interpolate never had
    got = _scipy_notes("1.3.0", "Backwards-incompatible changes",
                       "`scipy.interpolate` changes\n---------------------------\n"
                       "Functions from ``scipy.interpolate`` (``spleval``, ``spline``, ``splmake``,\n"
                       "and ``spltopp``) and functions from ``scipy.misc`` (``bytescale``,\n"
                       "``fromimage``, ``imfilter``, ``imread``, ``imresize``, ``imrotate``,\n"
                       "``imsave``, ``imshow``, ``toimage``) have been removed. The former set has\n"
                       "been deprecated since v0.19.0 and the latter has been deprecated since v1.0.0.\n"
                       "Similarly, aliases from ``scipy.misc`` (``comb``, ``factorial``,\n"
                       "``factorial2``, ``factorialk``, ``logsumexp``, ``pade``, ``info``, ``source``,\n"
                       "``who``) which have been deprecated since v1.0.0 are removed.\n")
    interpolate = {f"scipy.interpolate.{n}" for n in ("spleval", "spline", "splmake", "spltopp")}
    misc = {f"scipy.misc.{n}" for n in ("bytescale", "fromimage", "imfilter", "imread", "imresize", "imrotate",
                                        "imsave", "imshow", "toimage", "comb", "factorial", "factorial2",
                                        "factorialk", "logsumexp", "pade", "info", "source", "who")}
    assert set(got) == interpolate | misc
    assert {f.removed_in for f in got.values()} == {"1.3.0"}
    assert {f.kind for n, f in got.items() if n in interpolate} == {"function"}
    assert got["scipy.misc.who"].since == "1.0.0"
    # "The former set has been deprecated since v0.19.0 and the latter ... since v1.0.0"
    assert {got[n].since for n in interpolate} == {"0.19.0"} and got["scipy.misc.imread"].since == "1.0.0"
    # a verb before "from", not a noun: the list still starts at "from", after the verb
    got = _scipy_notes("1.3.0", "Backwards-incompatible changes",
                       "The helpers were removed from ``scipy.misc`` (``helpa``, ``helpb``).\n")
    assert set(got) == {"scipy.misc.helpa", "scipy.misc.helpb"}


def test_a_parenthesis_after_a_module_lists_its_names_only_after_from_or_in():
    # not "``scipy.odr`` (``odrpack``)" without "from", an aside; nor names after a class
    # (`np.sctypeDict`'s keys); nor a parenthesis that is a clause
    got = _scipy_notes("1.3.0", "Deprecated features",
                       "The module ``scipy.odr`` (``odrpack``) is deprecated.\n\n"
                       "Keys from ``scipy.Holder`` (``keya``, ``keyb``) are deprecated.\n\n"
                       "Helpers from ``scipy.misc`` (``comb`` moved to ``scipy.special``) are removed.\n")
    assert "scipy.odr.odrpack" not in got and "scipy.misc.comb" not in got
    assert not any(n.startswith("scipy.Holder.") for n in got)


def test_a_name_joined_by_comma_and_to_a_singular_verb_is_a_clause_of_its_own():
    # scipy 0.10.0-notes.rst:133: ``scipy.linalg.blas`` is where things went, not deprecated
    got = _scipy_notes("0.10.0", "Deprecated features", "There are similar BLAS wrappers in ``scipy.linalg`` "
                       "and ``scipy.lib``.  These\nhave now been consolidated as ``scipy.linalg.blas``, and "
                       "``scipy.lib.blas`` is\ndeprecated.\n")
    assert set(got) == {"scipy.lib.blas"}


def test_a_pronoun_subject_names_nothing_deprecated_in_its_sentence():
    # scipy 0.16.0-notes.rst:179: "They" are the modules of the sentence before; the names after
    # "accessed as" are where to go
    got = _scipy_notes("0.16.0", "Backwards incompatible changes",
                       "The following deprecated modules have been removed: ``scipy.lib.blas``,\n"
                       "``scipy.lib.lapack``, ``scipy.linalg.cblas``, ``scipy.linalg.fblas``,\n"
                       "``scipy.linalg.clapack``, ``scipy.linalg.flapack``.  They had been deprecated\n"
                       "since Scipy 0.12.0, the functionality should be accessed as `scipy.linalg.blas`\n"
                       "and `scipy.linalg.lapack`.\n")
    assert "scipy.linalg.blas" not in got and "scipy.linalg.lapack" not in got
    assert {"scipy.lib.blas", "scipy.linalg.fblas"} <= set(got)


def test_names_that_deprecate_something_are_not_deprecated():
    # scipy 1.14.0-notes.rst:193-197: the functions stay; a use of them is deprecated
    got = _scipy_notes("1.14.0", "Deprecated features",
                       "- `scipy.stats.gstd`, `scipy.stats.chisquare`, and\n  `scipy.stats.power_divergence` "
                       "have deprecated support for masked array\n  input.\n"
                       "- `scipy.stats.linregress` has deprecated support for specifying both samples\n"
                       "  in one argument; ``x`` and ``y`` are to be provided as separate arguments.\n"
                       "- `scipy.stats.foo` has been deprecated.\n")   # (a passive one, for contrast)
    assert set(got) == {"scipy.stats.foo"}


def test_a_name_before_a_method_s_option_is_its_keyword():
    # scikit-learn 0.13 (v0.13.rst:248): `solver` is a keyword of Ridge's `fit`, not a function
    # `sklearn.solver`; "fit parameter" after a name made the class after "of" deprecated itself
    text = ("Version 0.13\n============\n\nAPI changes summary\n-------------------\n\n"
            "- The ``solver`` fit option in Ridge regression and classification is now\n"
            "  deprecated and will be removed in v0.14. Use the constructor option\n  instead.\n\n"
            "- The ``n_iter`` fit parameter of :class:`linear_model.SGDClassifier` is deprecated.\n")
    got = {(f.target, f.parameter): f for f in _snippet_findings(text, "doc/whats_new/v0.13.rst", "scikit-learn",
                                                                 "sklearn")}
    assert set(got) == {("linear_model.SGDClassifier", "n_iter")}


SCIPY_1_0_SHAPE = """\
==========================
SciPy 1.0.0 Release Notes
==========================

Why 1.0 now?
------------

A version number should reflect the maturity of a project.

New features
============

`scipy.stats` improvements
--------------------------

New statistical distance functions were added.

Backwards incompatible changes
==============================

The following deprecated functions have been removed from `scipy.stats`:
``betai``, ``chisqprob``, ``f_value``, ``histogram``, ``histogram2``,
``pdf_fromgamma``, ``signaltonoise``, ``square_of_sums``, ``ss`` and
``threshold``.

The deprecated functions ``expm2`` and ``expm3`` have been removed from
`scipy.linalg`.  The deprecated keyword ``q`` was removed from
`scipy.linalg.expm`.

The deprecated functions ``sph_jn``, ``sph_yn``, ``sph_jnyn``, ``sph_in``,
``sph_kn``, and ``sph_inkn`` have been removed.
"""


def test_names_removed_from_a_module_are_the_module_s():
    # scipy 1.0.0-notes.rst:321-345, in its heading styles: "-" first underlined "Why 1.0 now?", so
    # "Backwards incompatible changes" ("=") is read as a child of "`scipy.stats` improvements";
    # every bare name below went into scipy.stats (`scipy.stats.expm2`, `scipy.stats.sph_jn`)
    got = {(f.target, f.parameter): f for f in _snippet_findings(SCIPY_1_0_SHAPE, "doc/source/release/1.0.0-notes.rst",
                                                                 "scipy", "scipy")}
    stats = {f"scipy.stats.{n}" for n in ("betai", "chisqprob", "f_value", "histogram", "histogram2",
                                          "pdf_fromgamma", "signaltonoise", "square_of_sums", "ss", "threshold")}
    assert stats | {"scipy.linalg.expm2", "scipy.linalg.expm3"} <= {t for t, p in got if p is None}
    assert ("scipy.linalg.expm", "q") in got
    assert {f.removed_in for f in got.values()} == {"1.0.0"}
    # the heading of removals names no module: whose `sph_jn` is, the text does not say
    sph = got[("sph_jn", None)]
    assert sph.module != "scipy.stats"


def test_names_from_a_module_before_or_after_the_verb_are_the_module_s():
    # scipy 0.14.0-notes.rst:179 (under a heading "scipy.stats" without markup), 0.8.0-notes.rst:60
    got = _scipy_notes("0.14.0", "Backwards incompatible changes",
                       "The deprecated functions ``glm``, ``oneway`` and ``cmedian`` have been removed\n"
                       "from ``scipy.stats``.\n")
    assert set(got) == {"scipy.stats.glm", "scipy.stats.oneway", "scipy.stats.cmedian"}
    got = _scipy_notes("0.8.0", "Deprecated features",
                       "Obsolete code deprecated (scipy.misc)\n-------------------------------------\n\n"
                       "The modules `helpmod`, `ppimport` and `pexec` from `scipy.misc` are deprecated.\n"
                       "They will be removed from SciPy in version 0.9.\n")
    # not `scipy.misc` itself, which every `from scipy.misc import ...` then matched since 0.8
    assert set(got) == {"scipy.misc.helpmod", "scipy.misc.ppimport", "scipy.misc.pexec"}


def test_a_use_of_names_removed_from_a_class_is_no_member_of_it():
    # numpy 2.0.0-notes.rst:242: string aliases `np.dtype("int0")`, no attributes `np.dtype.int0`
    text = ("NumPy 2.0.0 Release Notes\n=========================\n\nExpired deprecations\n"
            "--------------------\n\n"
            "* Support for seven data type string aliases has been removed from ``np.dtype``:\n"
            "  ``int0``, ``uint0``, ``void0``, ``object0``, ``str0``, ``bytes0`` and ``bool8``.\n")
    got = _snippet_findings(text, "doc/source/release/2.0.0-notes.rst", "numpy", "numpy")
    assert not [f for f in got if f.target.startswith(("np.dtype.", "numpy.dtype."))]


def test_siblings_written_bare_after_a_first_full_name_are_its_siblings():
    # scipy 0.15.0-notes.rst and 0.12.0-notes.rst: not `scipy.nanmedian`, `scipy.cblas`
    got = _scipy_notes("0.15.0", "Deprecated features",
                       "``scipy.stats.nanmean``, ``nanmedian`` and ``nanstd`` functions are deprecated in\n"
                       "favor of their numpy equivalents.\n")
    assert set(got) == {"scipy.stats.nanmean", "scipy.stats.nanmedian", "scipy.stats.nanstd"}
    got = _scipy_notes("0.12.0", "Deprecated features",
                       "Accessing the modules `scipy.linalg.fblas`, `cblas`, `flapack`, `clapack` is\ndeprecated.\n")
    assert set(got) == {f"scipy.linalg.{n}" for n in ("fblas", "cblas", "flapack", "clapack")}


def test_a_module_s_functions_named_after_it_and_listed_with_an_ampersand():
    # scipy 1.11.0-notes.rst: it made one row, `scipy.cubic`; and 1.0.0's "``ppform`` class was
    # removed from `scipy.interpolate`" made `scipy.stats.ppform` (the "class" before "was removed")
    got = _scipy_notes("1.11.0", "Deprecated features",
                       "- The `scipy.signal` functions ``bspline``, ``quadratic`` & ``cubic`` are\n"
                       "  deprecated and will be removed in SciPy 1.13.\n")
    assert set(got) == {"scipy.signal.bspline", "scipy.signal.quadratic", "scipy.signal.cubic"}
    assert {f.removed_in for f in got.values()} == {"1.13"}
    got = _scipy_notes("1.0.0", "Backwards incompatible changes",
                       "The deprecated ``ppform`` class was removed from `scipy.interpolate`.\n")
    assert set(got) == {"scipy.interpolate.ppform"} and got["scipy.interpolate.ppform"].kind == "class"


def test_a_warning_category_in_the_plural_is_no_api():
    # scikit-learn v0.22.rst:219-235: no class `sklearn.FutureWarnings` is removed
    text = ("Version 0.22.0\n==============\n\nDeprecations: using ``FutureWarning`` from now on\n"
            "-------------------------------------------------\n\n"
            "Starting from version 0.22, scikit-learn will show ``FutureWarnings`` for\n"
            "deprecations, `as recommended by the Python documentation\n"
            "<https://docs.python.org/3/library/exceptions.html#FutureWarning>`_.\n"
            "``FutureWarnings`` are always shown by default by Python, so the custom\n"
            "filter has been removed and scikit-learn no longer hinders with user\n"
            "filters. :pr:`15080` by `Nicolas Hug`_.\n")
    assert _snippet_findings(text, "doc/whats_new/v0.22.rst", "scikit-learn", "sklearn") == []
    # only a warning's or an error's plural: ``filters`` (builtin `filter`) may be a module
    assert set(_scipy_notes("1.10.0", "Deprecated features", "The ``filters`` module is deprecated.\n")) == {"filters"}


def test_a_module_and_all_its_members_is_the_module():
    # scipy 1.10.0-notes.rst:317: it gave nothing ("the methods in" read as a container phrase), so
    # `scipy.misc` had only its warning, which names no release: no "since 1.10"
    got = _scipy_notes("1.10.0", "Deprecated features",
                       "- `scipy.misc` module and all the methods in ``misc`` are deprecated in v1.10\n"
                       "  and will be completely removed in SciPy v2.0.0. Users are suggested to\n"
                       "  utilize the `scipy.datasets` module instead for the dataset methods.\n")
    assert set(got) == {"scipy.misc"}
    assert (got["scipy.misc"].since, got["scipy.misc"].removed_in, got["scipy.misc"].kind) == ("1.10", "2.0.0", "module")


def test_a_list_of_capitals_the_text_calls_functions_and_class_methods_after_in():
    # scipy 0.18.0-notes.rst:215, 1.0.0-notes.rst:300 and :347, 1.4.0-notes.rst:315: each gave nothing
    got = _scipy_notes("0.18.0", "Deprecated features",
                       "The following functions in `scipy.constants` are deprecated: ``C2K``, ``K2C``,\n"
                       "``C2F``, ``F2C``, ``F2K`` and ``K2F``.  They are superseded by a new function\n"
                       "`scipy.constants.convert_temperature` that can perform all those conversions.\n")
    assert set(got) == {f"scipy.constants.{n}" for n in ("C2K", "K2C", "C2F", "F2C", "F2K", "K2F")}
    assert {f.kind for f in got.values()} == {"function"}
    got = _scipy_notes("1.0.0", "Backwards incompatible changes",
                       "The deprecated functions ``C2K``, ``K2C``, ``F2C``, ``C2F``, ``F2K`` and ``K2F`` have been\n"
                       "removed from `scipy.constants`.\n\n"
                       "``scipy.interpolate.interpolate_wrapper`` and all functions in that submodule are\n"
                       "deprecated.  This was a never finished set of wrapper functions.\n")
    assert {f"scipy.constants.{n}" for n in ("C2K", "K2F")} | {"scipy.interpolate.interpolate_wrapper"} <= set(got)
    got = _scipy_notes("1.4.0", "Deprecated features",
                       "In `scipy.spatial.Rotation` methods ``from_dcm``, ``as_dcm`` were renamed to\n"
                       "``from_matrix``, ``as_matrix`` respectively. The old names will be removed in SciPy 1.6.0.\n")
    assert {n: (f.replacement, f.removed_in) for n, f in got.items()} == {
        "scipy.spatial.Rotation.from_dcm": ("from_matrix", "1.6.0"), "scipy.spatial.Rotation.as_dcm": ("as_matrix", "1.6.0")}
    # capitals without such a word stay no API ("the ``D`` and ``M`` codes are deprecated")
    assert not _scipy_notes("1.4.0", "Deprecated features", "The ``DD`` and ``MM`` codes are deprecated.\n")
    # nor a C symbol the text calls a function (numpy 1.23.0-notes.rst)
    assert not _scipy_notes("1.4.0", "Deprecated features",
                            "The hook function ``PyDataMem_SetEventHook`` has been deprecated.\n")


def test_a_sentence_that_says_its_verb_again_after_and_is_two_clauses():
    # scipy 1.10.0-notes.rst:334: the class went; the keywords went from the other module's class
    text = ("==========================\nSciPy 1.10.0 Release Notes\n==========================\n\n"
            "Expired Deprecations\n====================\n\n"
            "- Removed ``scipy.stats.NumericalInverseHermite`` and removed ``tol`` & ``max_intervals`` kwargs "
            "from ``scipy.stats.sampling.NumericalInverseHermite``\n")
    got = {(f.target, f.parameter): f.kind for f in _snippet_findings(text, "doc/source/release/1.10.0-notes.rst",
                                                             "scipy", "scipy")}
    assert got == {("scipy.stats.NumericalInverseHermite", None): "class",
                   ("scipy.stats.sampling.NumericalInverseHermite", "tol"): "parameter",
                   ("scipy.stats.sampling.NumericalInverseHermite", "max_intervals"): "parameter"}
    # a verb said once governs all its "and"s
    one = text.replace("``scipy.stats.NumericalInverseHermite`` and removed ``tol`` & ``max_intervals`` kwargs "
                       "from ``scipy.stats.sampling.NumericalInverseHermite``",
                       "``scipy.stats.NumericalInverseHermite`` and ``scipy.stats.sampling.lombscargle``")
    assert {f.target for f in _snippet_findings(one, "doc/source/release/1.10.0-notes.rst", "scipy", "scipy")} == {
        "scipy.stats.NumericalInverseHermite", "scipy.stats.sampling.lombscargle"}
    # nor one whose subject comes first (0.11.0-notes.rst:169): "and renamed to" is its own verb's advice
    renamed = ("==========================\nSciPy 0.11.0 Release Notes\n==========================\n\n"
               "Deprecated features\n===================\n\n"
               "``scipy.sparse.cs_graph_components`` has been made a part of the sparse graph\n"
               "submodule, and renamed to ``scipy.sparse.csgraph.connected_components``.\n"
               "Calling the former routine will result in a deprecation warning.\n")
    [f] = _snippet_findings(renamed, "doc/source/release/0.11.0-notes.rst", "scipy", "scipy")
    assert (f.target, f.replacement) == ("scipy.sparse.cs_graph_components",
                                         "scipy.sparse.csgraph.connected_components")



def test_a_call_written_as_plain_text_is_a_name():
    # numpy 1.24's real notes: "The mini() method of ``np.ma.MaskedArray`` has been removed. Use
    # either ``np.ma.MaskedArray.min()`` or ``np.ma.minimum.reduce()``."
    f = _load("numpy/1.24.0-notes.rst", "numpy")[("ma.MaskedArray.mini", None)]
    assert f.removed and f.kind == "method" and _norm(f.replacement, "numpy") == "ma.MaskedArray.min"
    # Markdown too, on the line it is written; a name with arguments in parentheses is prose, a
    # path's last part no name
    from apimigrate.scan.changelog_parse import parse_markdown
    md = ("# Changelog\n\n## [2.0.0]\n\n### Removed\n\n- Support for file(s) was dropped.\n- The\n"
          "  old_read() function has been removed, use `read` instead.\n- See https://example.com/f() for why.\n")
    blocks = [b for b in parse_markdown(md.encode()) if b.kind == "para"]
    assert [[(s.body, s.line) for s in b.spans] for b in blocks] == [[], [("old_read()", 9), ("read", 9)], []]
    got = {f.target: f for f in _snippet_findings(md, "CHANGELOG.md", "mylib", "mylib")}
    assert set(got) == {"old_read"} and got["old_read"].replacement == "read"


def test_names_each_with_its_kind_word_are_one_list():
    # numpy 1.22's real notes: "The ``numpy.MachAr`` class and ``finfo.machar <numpy.finfo>`` attribute
    # have been deprecated": both, each of its kind; the titled literal is the target's member
    got = _load("numpy/1.22.0-notes.rst", "numpy")
    assert got[("MachAr", None)].kind == "class"
    assert got[("finfo.machar", None)].kind == "attribute" and got[("finfo.machar", None)].since == "1.22.0"
    text = ("Deprecations\n============\n\n"
            "* The ``mylib.foo`` function and ``mylib.Bar`` class have been deprecated.\n\n"
            "* The :func:`old <mylib.old_fn>` function is deprecated.\n\n"
            "* The ``mylib.Grid.cell <mylib.Grid>`` property is deprecated.\n")
    got = {(f.target, f.parameter): f.kind for f in _snippet_findings(text, "doc/release/1.0.0-notes.rst", "mylib", "mylib")}
    assert got[("mylib.foo", None)] == "function" and got[("mylib.Bar", None)] == "class"
    assert ("mylib.old_fn", None) in got and ("old", None) not in got      # a title that is no member: the target
    assert ("mylib.Grid", None) in got and ("mylib.Grid.cell", None) not in got    # not a member the title adds


def test_instead_import_offers_what_to_import():
    # scikit-learn 1.2.1's real notes: "`utils.fixes.delayed` is deprecated in 1.2.1 and will be removed
    # in 1.5. Instead, import :func:`utils.parallel.delayed` and use it in conjunction with ..."
    f = _load("scikit-learn/v1.2.rst", "sklearn", "scikit-learn")[("utils.fixes.delayed", None)]
    assert f.replacement == "utils.parallel.delayed" and f.removed_in == "1.5"
