"""Parameter deprecations by usage: a keyword, a value, a default that changes, passing by position.

The rows go through the real DB (upsert, migration columns, read back) before the resolver sees them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.cli.main import app
from apimigrate.db import Deprecation, Evidence, export, open_db

# (api, parameter, usage, values, position, new_parameter, message)
ROWS = [
    ("sklearn.cluster.HDBSCAN", "copy", ["default"], [], -1, None,
     "The default value of `copy` will change from False to True in 1.10."),
    ("sklearn.tree.DecisionTreeRegressor", "criterion", ["value"], ["'friedman_mse'"], -1, None,
     'Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11.'),
    ("numpy.finfo", "dtype", ["value"], ["None"], 0, None, "finfo() dtype cannot be None."),
    ("pandas.testing.assert_index_equal", "exact", ["default"], [], 2, None,
     "The default value of 'equiv' for the `exact` parameter is deprecated."),
    ("pandas.ExcelFile", "engine", ["default"], [], None, None,
     "The default engine for reading 'xlsx' files will change from 'openpyxl' to 'calamine'."),
    ("scipy.linalg.sqrtm", "disp", ["any"], [], 1, None,
     "The `disp` argument is deprecated and will be removed in SciPy 1.18.0."),
    ("pandas.DataFrame.set_index", "inplace", ["any"], [], 3, None, "This keyword is deprecated."),
    ("pandas.read_csv", "delim_whitespace", ["any"], [], None, None, "The keyword is deprecated."),
    ("sklearn.metrics.log_loss", "y_pred", ["any"], [], 1, "y_proba", "`y_pred` was renamed to `y_proba`."),
    ("sklearn.linear_model.LogisticRegressionCV.score", "sample_weight", ["positional"], [], 2, None,
     "`sample_weight` needs to be passed as a keyword argument."),
    ("scipy.linalg.solve", "assume_a", ["positional"], [], 4, None,
     "Passing `assume_a` by position is deprecated; it will be keyword-only."),
    ("scipy.optimize.nnls", "maxiter", ["positional"], [], 2, None,
     "Passing 'maxiter' by position is deprecated; pass it by keyword."),
    ("scipy.optimize.nnls", "atol", ["any", "positional"], [], 3, None,
     "Argument 'atol' is deprecated, whether passed by position or keyword."),
    ("sklearn.linear_model.SGDClassifier", "power_t", ["other"], [], -1, None,
     "Negative values for `power_t` are deprecated."),
    ("sklearn.linear_model.LogisticRegressionCV", "l1_ratios", ["default", "value"], ["None"], -1, None,
     "The default value for l1_ratios will change."),
]


def _seed(path: Path) -> Path:
    kb = open_db(path)
    with kb.transaction():
        for api, param, usage, values, position, new, message in ROWS:
            kb.upsert_deprecation(Deprecation(
                library=api.split(".")[0], api=api, kind="parameter", parameter=param, new_parameter=new,
                since="1.8", message=message, usage=usage, values=values, position=position,
                evidence=[Evidence("warning", "lib/mod.py", 10, "1.8", "warnings.warn(...)")]), seen_in="1.8")
    kb.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return _seed(tmp_path_factory.mktemp("usage") / "kb.sqlite")


@pytest.fixture(scope="module")
def index(db: Path) -> DeprecationIndex:
    kb = open_db(db)
    try:
        return DeprecationIndex.from_rows(kb.deprecations())
    finally:
        kb.close()


def found(src: str, index: DeprecationIndex) -> list[tuple[int, str, str | None, str]]:
    return [(r.line, r.kind, r.parameter, r.code) for r in find_references(src, index)]


def test_a_changing_default_flags_calls_that_leave_it_out(index):
    src = ("from sklearn.cluster import HDBSCAN\n"
           "HDBSCAN(min_cluster_size=5)\n"         # left out: flagged on the callee
           "HDBSCAN(min_cluster_size=5, copy=True)\n"   # passing it is the fix
           "HDBSCAN(**options)\n"                  # may pass it
           "f = HDBSCAN\n")                        # not a call
    refs = find_references(src, index)
    assert [(r.line, r.col, r.kind, r.code) for r in refs] == [(1, 0, "default", "APIM004")]
    assert refs[0].message == ("the default of parameter 'copy' of sklearn.cluster.HDBSCAN will change "
                               "(announced in 1.8); pass it explicitly")


def test_a_changing_default_at_a_position_counts_positional_arguments(index):
    src = ("import pandas as pd\n"
           "pd.testing.assert_index_equal(a, b)\n"            # exact is the third: left out
           "pd.testing.assert_index_equal(a, b, True)\n"      # given by position
           "pd.testing.assert_index_equal(a, b, exact=True)\n"
           "pd.testing.assert_index_equal(*pair)\n"
           "pd.ExcelFile(path_or_buffer=p)\n"               # position unknown: no positional argument
           "pd.ExcelFile(p)\n")                            # ... or one that might be it
    assert found(src, index) == [(1, "default", "exact", "APIM004"), (5, "default", "engine", "APIM004")]


def test_a_deprecated_value_is_flagged_only_for_that_literal(index):
    src = ("from sklearn.tree import DecisionTreeRegressor\n"
           "import numpy as np\n"
           "DecisionTreeRegressor(criterion='friedman_mse')\n"
           'DecisionTreeRegressor(criterion="friedman_mse", max_depth=3)\n'
           "DecisionTreeRegressor(criterion='squared_error')\n"
           "DecisionTreeRegressor(criterion=name)\n"       # not a literal: unknown, not flagged
           "np.finfo(None)\n"                              # by position
           "np.finfo(dtype=None)\n"
           "np.finfo(np.float32)\n")
    refs = find_references(src, index)
    assert [(r.line, r.kind, r.parameter) for r in refs] == [
        (2, "value", "criterion"), (3, "value", "criterion"), (6, "value", "dtype"), (7, "value", "dtype")]
    assert refs[0].message == ("value 'friedman_mse' of parameter 'criterion' of "
                               "sklearn.tree.DecisionTreeRegressor is deprecated since 1.8")
    assert {r.code for r in refs} == {"APIM002"}


def test_a_file_that_spells_only_the_callee_is_read(index):
    # The cheap pre-check looks for deprecated leaf names; a positional value or a left-out
    # default spells the API, not the parameter.
    assert found("import numpy as np\nnp.finfo(None)\n", index) == [(1, "value", "dtype", "APIM002")]
    assert found("from sklearn.cluster import HDBSCAN\nHDBSCAN()\n", index) == [(1, "default", "copy", "APIM004")]


def test_default_and_value_on_one_row(index):
    src = ("from sklearn.linear_model import LogisticRegressionCV\n"
           "LogisticRegressionCV()\n"
           "LogisticRegressionCV(l1_ratios=None)\n"
           "LogisticRegressionCV(l1_ratios=(0.5,))\n")
    assert found(src, index) == [(1, "default", "l1_ratios", "APIM004"), (2, "value", "l1_ratios", "APIM002")]


def test_any_use_by_keyword_or_by_position_but_a_renamed_one_only_by_keyword(index):
    src = ("import pandas as pd\n"
           "from sklearn.metrics import log_loss\n"
           "df = pd.DataFrame()\n"
           "pd.DataFrame.set_index(df, 'a', True, False, True)\n"   # via the class: position shifts, unknown
           "pd.read_csv(p, delim_whitespace=True)\n"
           "log_loss(y, p)\n"                      # the value is still accepted by position
           "log_loss(y, y_pred=p)\n")
    # line 3: through the class, self is positional, so the positions of a method are not used
    assert found(src, index) == [(4, "keyword", "delim_whitespace", "APIM002"), (6, "keyword", "y_pred", "APIM002")]


def test_any_use_by_position_of_a_function(index):
    src = ("from scipy import linalg\n"
           "linalg.sqrtm(A, False)\n"           # disp is the second parameter
           "linalg.sqrtm(A, disp=False)\n"
           "linalg.sqrtm(A)\n")
    refs = find_references(src, index)
    assert [(r.line, r.col, r.kind, r.code) for r in refs] == [(1, 16, "argument", "APIM002"), (2, 16, "keyword", "APIM002")]
    assert refs[0].message == ("parameter 'disp' of scipy.linalg.sqrtm is deprecated since 1.8")


def test_passing_a_changing_default_by_position_is_the_fix(index):
    src = ("import pandas as pd\n"
           "pd.testing.assert_index_equal(a, b, 'equiv')\n")
    assert found(src, index) == []


def test_positional_passing_where_a_keyword_is_required(index):
    src = ("from scipy import linalg\n"
           "linalg.solve(a, b, False, False, 'sym')\n"
           "linalg.solve(a, b, False, False, assume_a='sym')\n"
           "linalg.solve(a, b)\n"
           "from sklearn.linear_model import LogisticRegressionCV\n"
           "LogisticRegressionCV.score(m, X, y, w)\n")    # a method through its class: positions shift
    refs = find_references(src, index)
    assert [(r.line, r.col, r.kind, r.code) for r in refs] == [(1, 33, "positional", "APIM002")]
    assert refs[0].message == ("passing parameter 'assume_a' of scipy.linalg.solve by position is deprecated "
                               "since 1.8; pass it by keyword")


def test_a_positional_use_is_fixed_by_naming_it_and_every_argument_after_it(index):
    """scipy's `@_deprecate_positional_args`: `nnls(A, b, 100)` -> `nnls(A, b, maxiter=100)`. A
    keyword cannot come before a positional argument, so each one after it is named too, or none
    is: when one of them has no known name, or a *splat may fill positions, nothing changes."""
    from apimigrate.check.fixer import fix_source
    src = ("from scipy.optimize import nnls\n"
           "from scipy import linalg\n"
           "nnls(A, b, 100)\n"
           "nnls(A, b, 100, 1e-6)\n"                              # atol= stays a deprecated use
           "nnls(A, b, 100, *rest)\n"
           "linalg.solve(a, b, False, False, 'sym', True)\n"      # position 5: no name known
           "linalg.solve(a, b, False, False, 'sym')\n")
    fixed, count, left = fix_source(src, index)
    assert fixed.splitlines()[2:] == [
        "nnls(A, b, maxiter=100)",
        "nnls(A, b, maxiter=100, atol=1e-6)",
        "nnls(A, b, 100, *rest)",
        "linalg.solve(a, b, False, False, 'sym', True)",
        "linalg.solve(a, b, False, False, assume_a='sym')"]
    assert count == 3
    assert [(r.line, r.kind, r.parameter) for r in left] == [
        (3, "keyword", "atol"), (4, "positional", "maxiter"), (5, "positional", "assume_a")]


def test_other_usages_are_never_flagged_on_a_call(index):
    src = ("from sklearn.linear_model import SGDClassifier\n"
           "SGDClassifier(power_t=-0.5)\n"
           "SGDClassifier()\n")
    assert found(src, index) == []


def test_a_method_matched_by_name_reports_keywords_only(index):
    src = ("import pandas as pd\n"
           "df.set_index('a', True, False, True)\n"     # position of a by-name match: not trusted
           "df.set_index('a', inplace=True)\n")
    assert found(src, index) == [(2, "keyword", "inplace", "APIM003")]


def test_cli_codes_and_ignore(db: Path, tmp_path: Path):
    src = tmp_path / "uses.py"
    src.write_text("from sklearn.cluster import HDBSCAN\n"
                   "from sklearn.tree import DecisionTreeRegressor\n"
                   "HDBSCAN()\n"
                   "DecisionTreeRegressor(criterion='friedman_mse')\n")
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(src), "--db", str(db)])
    assert result.exit_code == 1
    codes = [line.split()[1] for line in result.stdout.splitlines()]
    assert codes == ["APIM004", "APIM002"]
    result = runner.invoke(app, ["check", str(src), "--db", str(db), "--ignore", "apim004"])
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["APIM002"]
    result = runner.invoke(app, ["check", str(src), "--db", str(db), "--ignore", "APIM004,APIM002"])
    assert result.exit_code == 0 and result.stdout == ""
    result = runner.invoke(app, ["check", str(src), "--db", str(db), "--ignore", "E501"])
    assert result.exit_code == 2 and "unknown code(s) for --ignore: E501" in result.output


def test_fix_leaves_values_and_defaults_alone(db: Path, tmp_path: Path):
    src = tmp_path / "uses.py"
    text = ("from sklearn.cluster import HDBSCAN\n"
            "from sklearn.metrics import log_loss\n"
            "HDBSCAN()\n"
            "log_loss(y, y_pred=p)\n")
    src.write_text(text)
    result = CliRunner().invoke(app, ["fix", str(src), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert src.read_text() == text.replace("y_pred=p", "y_proba=p")


def test_usage_is_stored_merged_and_exported(tmp_path: Path):
    kb = open_db(tmp_path / "k.db")
    ev = [Evidence("warning", "sklearn/linear_model/_logistic.py", 2070, "1.8", "warnings.warn(...)")]
    with kb.transaction():
        for usage, values in ((["default"], []), (["value"], ["None"]), (["other"], [])):
            kb.upsert_deprecation(Deprecation(
                library="sklearn", api="sklearn.linear_model.LogisticRegressionCV", kind="parameter",
                parameter="l1_ratios", usage=usage, values=values, position=-1, evidence=ev))
    row = kb.get("sklearn.linear_model.LogisticRegressionCV", "l1_ratios")[0]
    assert (row["usage"], row["param_values"], row["position"]) == ("value,default", '["None"]', -1)
    rec = next(export.records(kb))
    assert (rec["usage"], rec["values"], rec["position"]) == (["value", "default"], ["None"], -1)
    kb.close()


def test_rows_stored_before_usage_mean_any_use_until_rescanned(tmp_path: Path):
    kb = open_db(tmp_path / "k.db")
    ev = [Evidence("warning", "pandas/io/parsers.py", 1, "2.2.0", "warnings.warn(...)")]
    with kb.transaction():
        kb.upsert_deprecation(Deprecation(library="pandas", api="pandas.read_csv", kind="parameter",
                                          parameter="delim_whitespace", evidence=ev))
        kb.db.execute("UPDATE deprecations SET usage = NULL")       # as a 0002-schema DB has it
    idx = DeprecationIndex.from_rows(kb.deprecations())
    assert found("import pandas as pd\npd.read_csv(p, delim_whitespace=True)\n", idx) == [
        (1, "keyword", "delim_whitespace", "APIM002")]
    with kb.transaction():
        kb.upsert_deprecation(Deprecation(library="pandas", api="pandas.read_csv", kind="parameter",
                                          parameter="delim_whitespace", usage=["other"], evidence=ev))
    assert kb.get("pandas.read_csv", "delim_whitespace")[0]["usage"] == "other"
    kb.close()
