"""A test parameter pytest fills with library callables (`@pytest.mark.parametrize("path_func",
[enet_path, lasso_path])`): a call of it is a call of each, checked for their deprecated arguments.

The rows go through the real DB before the resolver sees them; the shapes are scikit-learn's and
scipy's own tests (sklearn/linear_model/tests/test_coordinate_descent.py, test_logistic.py,
scipy/linalg/tests/test_matfuncs.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.db import ClassFacts, Deprecation, Evidence, open_db

# (api, parameter, usage, new_parameter)
ROWS = [
    ("sklearn.linear_model.enet_path", "n_alphas", ["any"], None),
    ("sklearn.linear_model.lasso_path", "n_alphas", ["any"], None),
    ("scipy.linalg.sqrtm", "disp", ["any"], None),
    ("scipy.linalg.logm", "disp", ["any"], None),
    ("sklearn.metrics.log_loss", "y_pred", ["any"], "y_proba"),
    ("sklearn.linear_model.LogisticRegression", "penalty", ["any"], None),
    ("sklearn.linear_model.LogisticRegressionCV", "penalty", ["any"], None),
    ("sklearn.linear_model.LogisticRegressionCV", "scoring", ["default"], None),
]
HEAD = ("import numpy as np\nimport pytest\nfrom pytest import mark\n"
        "from scipy.linalg import logm, sqrtm\n"
        "from sklearn.linear_model import LogisticRegression, LogisticRegressionCV, enet_path, lasso_path\n"
        "from sklearn.metrics import log_loss\n\n\n")


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> DeprecationIndex:
    kb = open_db(Path(tmp_path_factory.mktemp("parametrize")) / "kb.sqlite")
    with kb.transaction():
        for api, param, usage, new in ROWS:
            kb.upsert_deprecation(Deprecation(
                library=api.split(".")[0], api=api, kind="parameter", parameter=param, new_parameter=new,
                since="1.8", message=f"`{param}` is deprecated.", usage=usage, position=-1,
                evidence=[Evidence("warning", "lib/mod.py", 10, "1.8", "warnings.warn(...)")]), seen_in="1.8")
    try:
        return DeprecationIndex.from_rows(kb.deprecations())
    finally:
        kb.close()


def found(body: str, index: DeprecationIndex) -> list[tuple[int, str, str | None, bool]]:
    """(line in `body`, api, parameter, fixable) of each finding in HEAD + body."""
    offset = HEAD.count("\n")
    return [(r.line - offset, r.api, r.parameter, r.rewrite is not None) for r in find_references(HEAD + body, index)]


def test_a_call_of_the_parameter_is_a_call_of_each_value(index):
    body = ('@pytest.mark.parametrize("path_func", [enet_path, lasso_path])\n'
            "def test_paths(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"
            "    path_func(X, y, eps=1e-3)\n")
    assert found(body, index) == [(2, "sklearn.linear_model.enet_path", "n_alphas", False),
                                  (2, "sklearn.linear_model.lasso_path", "n_alphas", False)]


def test_names_as_a_list_cases_as_tuples_or_pytest_param(index):
    body = ('@mark.parametrize(["func", "expected"], [(sqrtm, 1), pytest.param(logm, 2, id="log"), (len, 0)])\n'
            "def test_m(func, expected):\n"
            "    func(np.eye(2), disp=False)\n"
            '@pytest.mark.parametrize("func, x", [(sqrtm, 1)])\n'
            "def test_s(func, x):\n"
            "    func(np.eye(2), disp=False)\n")
    assert found(body, index) == [(2, "scipy.linalg.logm", "disp", False), (2, "scipy.linalg.sqrtm", "disp", False),
                                  (5, "scipy.linalg.sqrtm", "disp", False)]


def test_one_value_is_rewritten_several_are_not(index):
    one = ('@pytest.mark.parametrize("metric", [log_loss])\n'
           "def test_one(metric):\n"
           "    metric(y, y_pred=p)\n")
    assert found(one, index) == [(2, "sklearn.metrics.log_loss", "y_pred", True)]
    two = one.replace("[log_loss]", "[log_loss, lasso_path]")
    assert found(two, index) == [(2, "sklearn.metrics.log_loss", "y_pred", False)]


def test_a_branch_on_the_parameter_narrows_the_values(index):
    body = ('@pytest.mark.parametrize("LR", [LogisticRegression, LogisticRegressionCV])\n'
            "def test_lr(LR):\n"
            "    if LR == LogisticRegression:\n"
            '        LR(penalty="l1")\n'                                   # 3: LogisticRegression only
            "    elif LR is not LogisticRegressionCV:\n"
            '        LR(penalty="l2")\n'                                   # 5: neither
            "    else:\n"
            '        LR(penalty="l1", scoring="accuracy")\n'               # 7: the CV alone
            "    if LogisticRegression != LR:\n"
            '        LR(penalty="l1", scoring="f1")\n'                     # 9: the CV alone
            "    if LR not in (LogisticRegressionCV,):\n"
            '        LR(penalty="l2")\n'                                   # 11: LogisticRegression alone
            "    if LR in (LogisticRegressionCV, Other):\n"
            '        LR(penalty="l2")\n')                                  # 13: `Other` is no library value: both
    assert found(body, index) == [(3, "sklearn.linear_model.LogisticRegression", "penalty", False),
                                  (7, "sklearn.linear_model.LogisticRegressionCV", "penalty", False),
                                  (9, "sklearn.linear_model.LogisticRegressionCV", "penalty", False),
                                  (11, "sklearn.linear_model.LogisticRegression", "penalty", False),
                                  (13, "sklearn.linear_model.LogisticRegressionCV", "scoring", False),  # left out
                                  (13, "sklearn.linear_model.LogisticRegression", "penalty", False),
                                  (13, "sklearn.linear_model.LogisticRegressionCV", "penalty", False)]


def test_a_bare_parametrize_and_values_through_fixtures(index):
    body = ("from pytest.mark import parametrize\n"
            '@parametrize("path_func", [enet_path])\n'
            "def test_bare(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"                    # 3
            '@pytest.mark.parametrize("path_func", [enet_path], indirect=True)\n'
            "def test_indirect(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"                    # a fixture's value: not checked
            '@pytest.mark.parametrize("path_func", [lasso_path], indirect=False)\n'
            "def test_direct(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n")                   # 9
    assert found(body, index) == [(3, "sklearn.linear_model.enet_path", "n_alphas", False),
                                  (9, "sklearn.linear_model.lasso_path", "n_alphas", False)]


def test_only_where_the_name_is_the_parameter(index):
    body = ('@pytest.mark.parametrize("path_func", [enet_path])\n'
            "def test_rebound(path_func):\n"
            "    path_func = make()\n"                        # the name is not only the parameter
            "    path_func(X, y, n_alphas=5)\n"
            '@pytest.mark.parametrize("path_func", [enet_path])\n'
            "def test_inner(path_func):\n"
            "    def inner(path_func):\n"
            "        path_func(X, y, n_alphas=5)\n"           # another function's parameter
            "    helper(path_func, n_alphas=5)\n"             # passed on, not called
            '@pytest.mark.parametrize("path_func", [my_path])\n'
            "def test_own(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n")              # not a library callable
    assert found(body, index) == []


def test_a_parameter_filled_with_instances_of_one_class_is_of_that_class(tmp_path):
    kb = open_db(tmp_path / "kb.sqlite")
    with kb.transaction():
        kb.upsert_deprecation(Deprecation(
            library="sklearn", api="sklearn.svm.SVC.probA_", kind="attribute", since="1.9",
            message="probA_ is deprecated.", evidence=[Evidence("decorator", "sklearn/svm/_base.py", 9, "1.9")]),
            seen_in="1.9")
    classes = ClassFacts(members=frozenset({"sklearn.svm.SVC.fit", "sklearn.svm.NuSVC.fit"}),
                         bases={"sklearn.svm.SVC": (), "sklearn.svm.NuSVC": ()})
    index = DeprecationIndex.from_rows(kb.deprecations(), classes)
    kb.close()
    src = ("import pytest\nfrom sklearn.svm import SVC, NuSVC\n\n\n"
           '@pytest.mark.parametrize("est", [SVC(probability=True), SVC()])\n'
           "def test_one(est):\n"
           "    est.probA_\n"                                          # 6: an SVC whichever case runs
           '@pytest.mark.parametrize("est", [SVC(), NuSVC()])\n'
           "def test_two(est):\n"
           "    est.probA_\n")                                         # either class: by name only
    assert [(r.line, r.api, r.code) for r in find_references(src, index)] == [
        (6, "sklearn.svm.SVC.probA_", "APIM001"), (9, "sklearn.svm.SVC.probA_", "APIM003")]


def test_values_a_module_level_list_holds(index):
    """scikit-learn 1.9's test_gradient_boosting.py: `GRADIENT_BOOSTING_ESTIMATORS = [...]` at the top,
    `@pytest.mark.parametrize("GradientBoosting", GRADIENT_BOOSTING_ESTIMATORS)`. A list the module
    grows, or binds twice or otherwise (a loop), may hold anything: no values."""
    body = ("PATHS = [enet_path, lasso_path]\n"
            "GROWN = [enet_path]\n"
            "GROWN.append(lasso_path)\n"
            "TWICE = [enet_path]\n"
            "TWICE = [lasso_path]\n"
            '@pytest.mark.parametrize("path_func", PATHS)\n'
            "def test_paths(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"                     # 7
            '@pytest.mark.parametrize("path_func", GROWN)\n'
            "def test_grown(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"                     # 10
            '@pytest.mark.parametrize("path_func", TWICE)\n'
            "def test_twice(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"                     # 13
            '@pytest.mark.parametrize("path_func", UNKNOWN)\n'
            "def test_unknown(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n"                     # 16
            "LOOPED = [enet_path]\n"
            "for LOOPED in CASES:\n"
            "    pass\n"
            '@pytest.mark.parametrize("path_func", LOOPED)\n'
            "def test_looped(path_func):\n"
            "    path_func(X, y, n_alphas=5)\n")                    # 22
    assert found(body, index) == [(7, "sklearn.linear_model.enet_path", "n_alphas", False),
                                  (7, "sklearn.linear_model.lasso_path", "n_alphas", False)]
