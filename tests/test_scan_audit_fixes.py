"""Errors the precision audit of real scans found (benchmarks/scan_audit.py), each on a real-shaped snippet."""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.scan.messages import offers_one_name, replacement_from_text, replacement_names
from scan_support import rows_of, scan_library

# scikit-learn 1.9 sklearn/linear_model/_logistic.py, cut down: `penalty` is deprecated in favour
# of a combination of two keywords whose values translate ("l1_ratio=0 for penalty='l2'"), and one
# warning says it tersely ("Please use l1_ratio only."). `MDS.dissimilarity` is a true rename.
LOGISTIC = '''\
import warnings

__all__ = ["LogisticRegression", "MDS"]


class LogisticRegression:
    """Logistic Regression classifier.

    Parameters
    ----------
    penalty : {'l1', 'l2', 'elasticnet', None}, default='deprecated'
        Specify the norm of the penalty.

        .. deprecated:: 1.8
           `penalty` was deprecated in version 1.8 and will be removed in 1.10.
           Use `l1_ratio` and `C` instead. `l1_ratio=0` for `penalty='l2'`,
           `l1_ratio=1` for `penalty='l1'`, and `C=np.inf` for `penalty=None`.

    C : float, default=1.0
        Inverse of regularization strength.

    l1_ratio : float, default=0.0
        The Elastic-Net mixing parameter.
    """

    def __init__(self, penalty="deprecated", *, C=1.0, l1_ratio=0.0):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio

    def fit(self, X, y):
        if self.penalty != "deprecated":
            warnings.warn(
                (
                    "'penalty' was deprecated in version 1.8 and will be removed in"
                    " 1.10. To avoid this warning, leave 'penalty' set to its default"
                    " value and use 'l1_ratio' or 'C' instead."
                ),
                FutureWarning,
            )
        if (self.penalty == "l2" and self.l1_ratio != 0) or (
            self.penalty == "l1" and self.l1_ratio != 1
        ):
            warnings.warn(
                f"Inconsistent values: penalty={self.penalty} with "
                f"l1_ratio={self.l1_ratio}. penalty is deprecated. Please use "
                f"l1_ratio only."
            )
        return self


class MDS:
    """Multidimensional scaling.

    Parameters
    ----------
    dissimilarity : {'euclidean', 'precomputed'}
        Dissimilarity measure to use.

        .. deprecated:: 1.8
           `dissimilarity` was renamed `metric` in 1.8 and will be removed in 1.10.

    metric : str or callable, default='euclidean'
        Metric to use for dissimilarity computation.
    """

    def __init__(self, dissimilarity="deprecated", metric="euclidean"):
        self.dissimilarity = dissimilarity
        self.metric = metric

    def fit(self, X):
        if self.dissimilarity != "deprecated":
            warnings.warn(
                "The `dissimilarity` parameter is deprecated and will be "
                "removed in 1.10. Use `metric` instead.",
                FutureWarning,
            )
        return self
'''


def test_combination_of_keywords_is_not_a_rename(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "skl", "1.9", {"skl/__init__.py": "from ._logistic import LogisticRegression, MDS\n",
                                               "skl/_logistic.py": LOGISTIC})
    rows = rows_of(kb, "skl")
    penalty = rows[("skl.LogisticRegression", "penalty")]
    # `fix` renames a keyword to new_parameter: `penalty='l2'` -> `l1_ratio='l2'` would be broken code.
    assert penalty["new_parameter"] in (None, "")
    assert penalty["replacement"] is None
    assert penalty["since"] == "1.8"
    # a true rename keeps its new keyword
    assert rows[("skl.MDS", "dissimilarity")]["new_parameter"] == "metric"


@pytest.mark.parametrize(("text", "names", "joined_by_and"), [
    ("Use `l1_ratio` and `C` instead. `l1_ratio=0` for `penalty='l2'`", ["l1_ratio", "C"], True),
    ("leave 'penalty' set to its default value and use 'l1_ratio' or 'C' instead.", ["l1_ratio", "C"], False),
    ("Use warnings.catch_warnings, warnings.filterwarnings, pytest.warns, or pytest.filterwarnings instead.",
     ["warnings.catch_warnings", "warnings.filterwarnings", "pytest.warns", "pytest.filterwarnings"], False),
    # numpy _expired_attrs_2_0: the "and pass" that follows is a verb, not a second name
    ("Use `numpy.result_type` and pass the Python values `0`, `0.0`, or `0j`.", ["numpy.result_type"], False),
    ("`y_pred` is deprecated and will be removed in 1.10. Use `y_score` instead.", ["y_score"], False),
])
def test_replacement_names_lists_what_the_phrase_offers(text: str, names: list[str], joined_by_and: bool) -> None:
    assert replacement_names(text) == (names, joined_by_and)
    assert offers_one_name(text) == (len(names) == 1)


def test_a_combination_offers_no_single_replacement() -> None:
    assert replacement_from_text("Use `l1_ratio` and `C` instead.") is None
    # a choice keeps the first, as before
    assert replacement_from_text("Use `numpy.promote_types` or `numpy.result_type` instead.") == "numpy.promote_types"



# scipy 1.17 scipy/stats/_morestats.py, cut down: `midrank` (a bool) gives way to `variant` (a
# choice of strings); "Use parameter `variant` instead" names one keyword, but `variant=True`
# means nothing. `ks_stat(n_alphas=)` -> `alphas=` keeps working values (an int is a float).
ANDERSON = '''\
import warnings

__all__ = ["anderson_ksamp", "join", "ks_stat"]


def anderson_ksamp(samples, midrank=None, *, variant=None, method=None):
    """The Anderson-Darling test for k-samples.

    Parameters
    ----------
    samples : sequence of 1-D array_like
        Array of sample data in arrays.
    midrank : bool, optional
        Variant of Anderson-Darling test which is computed. Default
        (True) is the midrank test.

        .. deprecated::1.17.0
            Use parameter `variant` instead.
    variant : {'midrank', 'right', 'continuous'}
        Variant of Anderson-Darling test to be computed.
    """
    return samples


def ks_stat(x, n_alphas=None, alphas=None):
    """A statistic.

    Parameters
    ----------
    n_alphas : int, optional
        How many.

        .. deprecated:: 1.17.0
            Use `alphas` instead.
    alphas : float or None, optional
        The alphas.
    """
    return x


def join(other, lsuffix="", rsuffix="", suffixes=None):
    """Join columns of another frame (pandas 3.1 DataFrame.join, cut down).

    Parameters
    ----------
    lsuffix : str, default ''
        Suffix to use from left frame's overlapping columns.

        .. deprecated:: 3.1.0
            Use ``suffixes`` instead.
    suffixes : tuple of (str, str), default ("", "")
        A length-2 sequence of suffixes.
    """
    if lsuffix or rsuffix:
        warnings.warn(
            "The 'lsuffix' and 'rsuffix' keywords in DataFrame.join are "
            "deprecated and will be removed in a future version. "
            "Use the 'suffixes' keyword instead.",
            FutureWarning,
        )
    return other
'''


def test_a_keyword_whose_values_mean_nothing_to_the_new_one_is_not_renamed(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "sst", "1.17.0", {
        "sst/__init__.py": "from ._morestats import anderson_ksamp, join, ks_stat\n", "sst/_morestats.py": ANDERSON})
    rows = rows_of(kb, "sst")
    assert rows[("sst.anderson_ksamp", "midrank")]["new_parameter"] in (None, "")
    assert rows[("sst.anderson_ksamp", "midrank")]["since"] == "1.17.0"
    assert rows[("sst.ks_stat", "n_alphas")]["new_parameter"] == "alphas"
    # `lsuffix='_l'` is no `suffixes='_l'` (a pair): the docstring types say so
    assert rows[("sst.join", "lsuffix")]["new_parameter"] in (None, "")


def test_numpydoc_kinds_and_whether_values_carry_over() -> None:
    from apimigrate.scan.param_types import documented_kinds, kinds_of, values_carry_over
    kinds = documented_kinds(ANDERSON + LOGISTIC)
    assert kinds["midrank"] == {"bool"} and kinds["variant"] == {"str"} and kinds["penalty"] == {"str", "none"}
    assert "samples" not in kinds                       # not a plain kind: no verdict
    assert kinds_of("int or None, default=None") == {"int", "none"}
    assert kinds_of("str, optional") == {"str"} and kinds_of("array_like") is None
    assert not values_carry_over(kinds["midrank"], kinds["variant"])
    assert not values_carry_over(kinds["penalty"], kinds["l1_ratio"])
    assert values_carry_over(frozenset({"int"}), frozenset({"float", "none"}))
    assert not values_carry_over(frozenset({"float"}), frozenset({"int"}))
    assert values_carry_over(None, frozenset({"str"}))
    assert kinds["suffixes"] == {"tuple"} and not values_carry_over(kinds["lsuffix"], kinds["suffixes"])
    assert kinds_of("list of str or None") == {"list", "none"} and kinds_of("listing") is None


# scikit-learn 1.2 ensembles, cut down: `base_estimator_` renamed to the fitted attribute
# `estimator_`, which only `fit` sets (no public name), while another class defines a property
# `estimator_`; and torch's `AsyncStager`, whose text puts the new name on another class.
ENSEMBLE = '''\
import warnings

__all__ = ["Bagging", "Pipeline", "Stager"]


class Pipeline:
    @property
    def estimator_(self):
        return None


class Bagging:
    def fit(self, X):
        self.estimator_ = object()
        return self

    @property
    def base_estimator_(self):
        warnings.warn(
            "Attribute `base_estimator_` was deprecated in version 1.2 and will be removed in 1.4. "
            "Use `estimator_` instead.",
            FutureWarning,
        )
        return self.estimator_


class Stager:
    def synchronize_staging(self):
        warnings.warn(
            "`synchronize_staging` is deprecated and will be removed in future versions."
            "Please use staging_future from AsyncSaveResponse instead.",
            FutureWarning,
        )
'''


def test_a_bare_replacement_of_a_member_is_a_member_of_the_same_class(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "ens", "1.2.0", {"ens/__init__.py": "from ._bagging import *\n",
                                                           "ens/_bagging.py": ENSEMBLE}), "ens")
    assert rows[("ens.Bagging.base_estimator_", None)]["replacement"] == "ens.Bagging.estimator_"
    # "staging_future from AsyncSaveResponse": not Stager's own member
    assert rows[("ens.Stager.synchronize_staging", None)]["replacement"] != "ens.Stager.staging_future"
