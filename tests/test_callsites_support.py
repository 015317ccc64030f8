"""A real deprecation DB for the call-site, check and fix tests (built through the DB API)."""
from __future__ import annotations

from pathlib import Path

from apimigrate.db import Deprecation, Evidence, open_db

# (api, kind, replacement, since, removed_in, parameter, new_parameter, evidence kinds)
ROWS = [
    ("numpy.row_stack", "function", "numpy.vstack", "2.0", None, None, None, ("warning",)),
    ("numpy.product", "function", "numpy.prod", "1.25", "2.0", None, None, ("warning", "docstring")),
    ("numpy.NaN", "attribute", "numpy.nan", "2.0", "2.0", None, None, ("getattr",)),
    ("numpy.core", "module", "numpy._core", "2.0", None, None, None, ("submodule",)),
    ("numpy.msort", "function", None, "1.24", "2.0", None, None, ("warning",)),
    ("scipy.integrate.simps", "function", "scipy.integrate.simpson", "1.12.0", "1.14.0", None, None, ("warning",)),
    ("scipy.integrate.quadpack", "module", "scipy.integrate", "1.8.0", None, None, None, ("submodule",)),
    ("pandas.DataFrame.applymap", "method", "pandas.DataFrame.map", "2.1.0", None, None, None, ("warning",)),
    ("pandas.Series.iteritems", "method", "pandas.Series.items", "1.5.0", "2.0", None, None, ("warning",)),
    ("pandas.DataFrame.iteritems", "method", "pandas.DataFrame.items", "1.5.0", "2.0", None, None, ("warning",)),
    ("pandas.io.json.json_normalize", "function", "pandas.json_normalize", "1.0.0", None, None, None, ("warning",)),
    ("pandas.Int64Index", "class", "pandas.Index", "1.4.0", "2.0", None, None, ("warning",)),
    ("pandas.read_csv", "parameter", None, "2.2.0", None, "delim_whitespace", None, ("warning",)),
    ("pandas.read_csv", "parameter", None, "2.0.0", None, "squeeze", None, ("changelog",)),
    ("pandas.DataFrame.fillna", "parameter", None, "2.1.0", None, "method", None, ("warning",)),
    ("pandas.DataFrame.to_excel", "parameter", None, "1.5.0", None, "encoding", None, ("warning",)),
    ("sklearn.metrics.roc_auc_score", "parameter", None, "1.3", None, "y_true_x", "y_score", ("decorator",)),
    ("sklearn.linear_model.LogisticRegression", "parameter", None, "1.5", None, "multi_class", None, ("warning",)),
    ("matplotlib.cm.get_cmap", "function", "matplotlib.colormaps.get_cmap", "3.7", "3.9", None, None, ("decorator",)),
    # "Use `np.cumulative_sum` with the desired dtype directly instead": advice, not a drop-in
    ("sklearn.utils.extmath.stable_cumsum", "function", "numpy.cumulative_sum", "1.8", "1.10", None, None,
     ("decorator",)),
]
# Replacements that are not the same callable under a new name: check reports them, fix leaves them.
NOT_DROP_IN = {"sklearn.utils.extmath.stable_cumsum"}


def build_db(path: Path, rows=ROWS) -> Path:
    kb = open_db(path)
    with kb.transaction():
        for api, kind, repl, since, removed, param, new_param, kinds in rows:
            lib = api.split(".")[0]
            kb.upsert_deprecation(Deprecation(
                library=lib, api=api, kind=kind, replacement=repl, since=since, removed_in=removed,
                parameter=param, new_parameter=new_param, message=f"{api} is deprecated",
                drop_in=bool(repl) and api not in NOT_DROP_IN,
                evidence=[Evidence(k, f"{lib}/__init__.py", i + 1, since, "warnings.warn(...)")
                          for i, k in enumerate(kinds)]), seen_in=since)
    kb.close()
    return path


def db_rows(path: Path) -> list[dict]:
    kb = open_db(path)
    try:
        return kb.deprecations()
    finally:
        kb.close()
