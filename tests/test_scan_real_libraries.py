"""Scans of the real installed numpy and scikit-learn (test dependencies), checked against their own source."""
from __future__ import annotations

import json

import numpy
import pytest
from packaging.version import Version

from apimigrate.db import open_db
from apimigrate.scan.runner import scan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """The installed code alone (release notes would depend on reaching the index; their own tests
    are at the end of the file)."""
    kb = open_db(tmp_path_factory.mktemp("real") / "k.db")
    scan(kb, ["numpy", "scikit-learn"], show_progress=False, release_notes=False)
    return kb


def _row(kb, api: str) -> dict:
    rows = kb.get(api)
    assert rows, f"{api} not found"
    return rows[0]


# A deprecation whose warning the installed numpy's own code raises, with its replacement, since and
# file: 2.5 removed `row_stack` (and its warning) and deprecated `fix` for `trunc`.
NUMPY_WARNED = ("numpy.row_stack", "numpy.vstack", "2.0", "numpy/lib/_shape_base_impl.py") \
    if Version(numpy.__version__) < Version("2.5") \
    else ("numpy.fix", "numpy.trunc", "2.5", "numpy/lib/_ufunclike_impl.py")


def test_numpy_warned_deprecation_points_to_its_replacement(kb):
    api, replacement, since, path = NUMPY_WARNED
    row = _row(kb, api)
    assert row["replacement"] == replacement
    assert row["since"] == since
    assert any(e["path"] == path and e["kind"] == "warning" for e in kb.evidence_for(row["id"]))


def test_numpy_expired_attributes_are_removed_with_replacements(kb):
    # numpy/_expired_attrs_2_0.py: "float_": "Use `np.float64` instead."
    row = _row(kb, "numpy.float_")
    assert row["replacement"] == "numpy.float64"
    assert row["removed_in"] == "2.0"
    # "lookfor":  "Search NumPy's documentation directly." names no replacement
    assert _row(kb, "numpy.lookfor")["replacement"] is None
    # "Use `np.float64` instead." says nothing of the two being one object (numpy 1.x alone
    # shows it); "It's still available as `np.lib.add_docstring`." does: the very function moved
    assert not row["drop_in"]
    moved = _row(kb, "numpy.add_docstring")
    assert moved["replacement"] == "numpy.lib.add_docstring" and moved["drop_in"]


def test_numpy_removed_builtin_aliases_point_to_the_builtins(kb):
    # numpy/__init__.py: __former_attrs__ = {n: _msg.format(n=n, ...) for n, extended_msg in _type_info},
    # "`np.{n}` was a deprecated alias for the builtin `{n}`. ... originally deprecated in NumPy 1.20"
    for name in ("float", "int", "complex", "object", "str"):
        row = _row(kb, f"numpy.{name}")
        assert row["replacement"] == f"builtins.{name}", row
        assert row["since"] == "1.20" and row["drop_in"]


def test_numpy_arrays_its_functions_build_meet_the_strides_setter(kb):
    """numpy's stubs return `NDArray[...]` (a TypeAlias of ndarray) or `_Array1D[...]`; numpy 2.4
    deprecates setting `strides` (`@strides.setter` under `@deprecated`), not reading it."""
    from apimigrate.callsites import DeprecationIndex, find_references
    classes = kb.class_facts()
    assert any(s["returns"] == "numpy.ndarray" for s in classes.returns["numpy.asarray"])
    assert any(s["returns"] == "numpy.ndarray" for s in classes.returns["numpy.arange"])
    for made in ("numpy.zeros", "numpy.empty", "numpy.ones"):        # `Final[_ConstructorEmpty]`
        assert any(s["returns"] == "numpy.ndarray" for s in classes.returns[made]), made
    rows = kb.get("numpy.ndarray.strides")
    if not rows:
        pytest.skip("this numpy does not deprecate setting ndarray.strides")
    assert rows[0]["kind"] == "setter"
    src = ("import numpy as np\na = np.asarray(x)\na.strides = (8,)\nprint(a.strides)\n"
           "r = np.arange(3)\nr.strides = (8,)\nm = memoryview(b'ab')\nm.strides\n"
           "z = np.zeros((2, 2))\nz.strides = (8, 8)\n")
    refs = find_references(src, DeprecationIndex.from_rows(kb.deprecations(), classes))
    assert [(r.line, r.api) for r in refs] == [(2, "numpy.ndarray.strides"), (5, "numpy.ndarray.strides"),
                                               (9, "numpy.ndarray.strides")]


def test_sklearn_deprecated_decorator_with_foreign_replacement(kb):
    # sklearn/utils/extmath.py: @deprecated("... Use `np.cumulative_sum` with the desired dtype directly instead.")
    row = _row(kb, "sklearn.utils.extmath.stable_cumsum")
    assert row["replacement"] == "numpy.cumulative_sum"
    assert row["since"] == "1.8" and row["removed_in"] == "1.10"


def test_sklearn_deprecation_without_replacement_stays_null(kb):
    # @deprecated("`entropy` is deprecated in 1.8 and will be removed in 1.10.")
    rows = [r for r in kb.deprecations(["scikit-learn"]) if r["api"].endswith(".entropy")]
    assert rows and all(r["replacement"] is None for r in rows)


def test_every_api_is_public_and_qualified(kb):
    for r in kb.deprecations():
        top = r["api"].split(".")[0]
        assert top in {"numpy", "sklearn"}, r["api"]


def _param(kb, api: str, parameter: str) -> dict:
    rows = kb.get(api, parameter)
    assert rows, f"{api}({parameter}=) not found"
    return rows[0]


def test_sklearn_parameter_usages(kb):
    # sklearn/tree/_classes.py: 'Value `"friedman_mse"` for `criterion` is deprecated ...'
    criterion = _param(kb, "sklearn.tree.DecisionTreeRegressor", "criterion")
    assert (criterion["usage"], criterion["param_values"], criterion["position"]) == (
        "value", "[\"'friedman_mse'\"]", -1)
    # "It maps to `"squared_error"` as both were always equivalent."
    assert json.loads(criterion["new_values"]) == {"'friedman_mse'": "'squared_error'"}
    # sklearn/cluster/_hdbscan/hdbscan.py: `if self.copy == "warn"`: "The default value of `copy` will change"
    copy = _param(kb, "sklearn.cluster.HDBSCAN", "copy")
    assert copy["usage"] == "default"
    # "'penalty' was deprecated in version 1.8": any use
    assert _param(kb, "sklearn.linear_model.LogisticRegression", "penalty")["usage"] == "any"
    # `self.shuffle != "deprecated"` in a method taking **params is not a keyword named "deprecated"
    assert not [r for r in kb.deprecations(["scikit-learn"]) if r["parameter"] == "deprecated"]


def test_numpy_parameter_values(kb):
    if Version(numpy.__version__) < Version("2.5"):     # 2.5 made it an error
        # numpy/_core/getlimits.py: "finfo() dtype cannot be None. ... (Deprecated in NumPy 1.25)"
        finfo = _param(kb, "numpy.finfo", "dtype")
        assert (finfo["usage"], finfo["param_values"], finfo["position"]) == ("value", '["None"]', 0)
    # numpy/lib/_shape_base_impl.py: "Passing an axis where ``axis > a.ndim`` ... is deprecated": not a keyword ban
    assert _param(kb, "numpy.expand_dims", "axis")["usage"] == "other"
    # numpy/linalg/_linalg.py: "The 'economic' option is deprecated." under `elif mode in ('e', 'economic'):`
    qr = _param(kb, "numpy.linalg.qr", "mode")
    assert (qr["usage"], qr["position"]) == ("value", 1)
    assert set(json.loads(qr["param_values"])) == {"'e'", "'economic'", "'f'", "'full'"}


def test_check_against_the_real_rows_flags_what_the_library_warns_about(kb, tmp_path):
    from apimigrate.callsites import DeprecationIndex, find_references
    src = ("import numpy as np\n"
           "from sklearn.tree import DecisionTreeRegressor\n"
           "from sklearn.cluster import HDBSCAN\n"
           "DecisionTreeRegressor(criterion='squared_error')\n"
           "DecisionTreeRegressor(criterion='friedman_mse')\n"
           "HDBSCAN(copy=False)\n"
           "HDBSCAN()\n"
           "np.finfo(np.float32)\n"
           "np.expand_dims(a, axis=0)\n")
    refs = find_references(src, DeprecationIndex.from_rows(kb.deprecations()))
    assert [(r.line, r.code) for r in refs] == [(4, "APIM002"), (6, "APIM004")]
    assert refs[0].rewrite is not None and refs[0].rewrite.edits[0].new_text == "'squared_error'"


@pytest.fixture(scope="module")
def kb_pandas_scipy(tmp_path_factory):
    kb = open_db(tmp_path_factory.mktemp("real2") / "k.db")
    scan(kb, ["pandas", "scipy"], show_progress=False, release_notes=False)
    return kb


def _source(module: str, relative: str) -> str:
    import importlib.util
    from pathlib import Path
    spec = importlib.util.find_spec(module)
    path = Path(spec.origin).parent / relative
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_evidence_about_a_use_or_a_result_leaves_the_api_alone(kb, kb_pandas_scipy):
    # Each of these was reported as deprecated as a whole (tests/test_scan_uses_not_apis.py has the shapes).
    whole = {(r["api"], r["kind"]) for k in (kb, kb_pandas_scipy) for r in k.deprecations() if r["kind"] != "parameter"}
    for api in ("numpy.broadcast_arrays", "scipy.linalg.hankel", "scipy.linalg.sqrtm", "scipy.optimize.linprog",
                "scipy.stats.anderson_ksamp", "pandas.core.groupby.GroupBy.nth",
                "pandas.core.internals.blocks.ExtensionBlock.fillna", "pandas.core.generic.NDFrame.convert_dtypes"):
        assert not [w for w in whole if w[0] == api], api
    if "`method='{meth}'` is deprecated" in _source("scipy", "optimize/_linprog.py"):
        method = _param(kb_pandas_scipy, "scipy.optimize.linprog", "method")
        assert (method["usage"], method["param_values"]) == ("other", None)
    if "The `disp` argument is deprecated" in _source("scipy", "linalg/_matfuncs.py"):
        assert _param(kb_pandas_scipy, "scipy.linalg.sqrtm", "disp")["usage"] == "any"


def test_numpy_deprecations_only_announced_are_pending(kb):
    from apimigrate.db import announced_for, is_pending, version_key
    matrix = _row(kb, "numpy.matrix")                  # PendingDeprecationWarning since numpy 1.15
    assert matrix["pending"] == 1 and is_pending(matrix)
    assert _row(kb, "numpy.matlib")["pending"] == 1
    fix = _row(kb, "numpy.fix")                        # the stub: "will be deprecated in NumPy 2.5"
    assert fix["replacement"] == "numpy.trunc" and fix["since"] == "2.5"
    assert is_pending(fix) == (version_key(numpy.__version__) < version_key("2.5"))
    assert bool(announced_for(fix)) == is_pending(fix)
    assert not is_pending(_row(kb, NUMPY_WARNED[0]))
    assert not is_pending(_param(kb, "numpy.ma.mask_cols", "axis"))     # DeprecationWarning since 1.18


def test_by_name_matches_leave_methods_a_live_class_also_has(kb_pandas_scipy):
    """pandas' own members decide: `x.corrwith(y)` is far more often the live DataFrame.corrwith than
    the deprecated DataFrameGroupBy.corrwith (pandas 3.0), and `x.first()` a live GroupBy.first."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_pandas_scipy
    members = set(kb.members())
    assert {"pandas.DataFrame.corrwith", "pandas.core.groupby.GroupBy.first", "pandas.Series.map"} <= members
    if not kb.get("pandas.api.typing.DataFrameGroupBy.corrwith"):
        pytest.skip("this pandas does not deprecate DataFrameGroupBy.corrwith")
    src = "import pandas as pd\ndf = pd.read_csv(path)\ndf.corrwith(other)\n"
    rows = kb.deprecations()
    assert [r.api for r in find_references(src, DeprecationIndex.from_rows(rows))] == [
        "pandas.api.typing.DataFrameGroupBy.corrwith"]     # what the name alone would say
    assert find_references(src, DeprecationIndex.from_rows(rows, kb.class_facts())) == []


def test_a_dataframe_the_file_builds_meets_what_pandas_hierarchy_deprecates(kb_pandas_scipy):
    """`df = pd.DataFrame(...)`: DataFrame's own methods, and NDFrame's it inherits, apply exactly."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_pandas_scipy
    classes = kb.class_facts()
    mro = classes.mro("pandas.DataFrame")
    assert mro[0] == "pandas.DataFrame" and "pandas.core.generic.NDFrame" in mro
    assert "pandas.core.base.IndexOpsMixin" in classes.mro("pandas.Series")
    to_json = kb.get("pandas.core.generic.NDFrame.to_json", "date_format")
    if not to_json or "default" not in to_json[0]["usage"].split(","):
        pytest.skip("this pandas announces no change of to_json's date_format default")
    src = "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.to_json('a.json')\nload().to_json('b.json')\n"
    rows = kb.deprecations()
    assert find_references(src, DeprecationIndex.from_rows(rows)) == []   # by name: keywords only
    refs = find_references(src, DeprecationIndex.from_rows(rows, classes))
    assert [(r.line, r.code, r.api, r.by_name) for r in refs] == [
        (2, "APIM004", "pandas.core.generic.NDFrame.to_json", False)]


def test_a_renamed_keyword_is_only_the_old_name_when_its_new_slot_is_empty(kb_pandas_scipy):
    """pandas 3 `Series.map(func=None, na_action=None, engine=None, **kwargs)` takes the old `arg=`
    through **kwargs only while `func` is not given; `s.map(f, arg=3)` passes `arg` on to `f`."""
    from apimigrate.callsites import DeprecationIndex, find_references
    from apimigrate.check.fixer import fix_source
    kb = kb_pandas_scipy
    row = kb.get("pandas.Series.map", "arg")
    if not row or row[0]["new_parameter"] != "func":
        pytest.skip("this pandas does not rename Series.map's arg")
    assert row[0]["position"] == 0          # where `func` sits, since `arg` left the signature
    src = ("import pandas as pd\ns = pd.Series([1])\n"
           "s.map(lambda x, arg: x + arg, arg=3)\ns.map(arg=str)\n"
           "t.map(lambda x, arg: x, arg=3)\nt.map(arg=str)\n")
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    assert [(r.line, r.api, r.by_name) for r in find_references(src, index)] == [
        (3, "pandas.Series.map", False), (5, "pandas.Series.map", True)]      # 0-based lines
    fixed, _, _ = fix_source(src, index)
    assert "s.map(lambda x, arg: x + arg, arg=3)" in fixed and "s.map(func=str)" in fixed


def test_pandas_signatures_type_what_read_csv_and_groupby_build(kb_pandas_scipy):
    """pandas' own overloads: `pd.read_csv(path)` is a DataFrame, with `chunksize=` a TextFileReader."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_pandas_scipy
    classes = kb.class_facts()
    picked = [s["returns"] for s in classes.returns["pandas.read_csv"]]
    # some overloads, not all, a DataFrame; the last one a DataFrame or a TextFileReader
    assert "pandas.DataFrame" in picked and "pandas.io.parsers.TextFileReader" in picked[-1].split(" | ")
    assert classes.returns["pandas.DataFrame.groupby"][0]["returns"] == "pandas.api.typing.DataFrameGroupBy"
    to_json = kb.get("pandas.core.generic.NDFrame.to_json", "date_format")
    if not to_json or "default" not in to_json[0]["usage"].split(","):
        pytest.skip("this pandas announces no change of to_json's date_format default")
    src = ("import pandas as pd\ndf = pd.read_csv(path)\ndf.to_json('a.json')\n"
           "chunks = pd.read_csv(path, chunksize=10)\nchunks.to_json('b.json')\n")
    refs = find_references(src, DeprecationIndex.from_rows(kb.deprecations(), classes))
    assert [(r.line, r.api) for r in refs] == [(2, "pandas.core.generic.NDFrame.to_json")]


def test_pandas_to_json_deprecates_leaving_date_format_out_and_passing_epoch(kb_pandas_scipy):
    """pandas 3.0 `to_json`: one warning when datetimes meet the default, another under
    `elif date_format == "epoch":` that quotes the value and names no parameter."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_pandas_scipy
    to_json = kb.get("pandas.core.generic.NDFrame.to_json", "date_format")
    if not to_json or "'epoch' date format is deprecated" not in _source("pandas", "core/generic.py"):
        pytest.skip("this pandas does not deprecate date_format='epoch'")
    assert (set(to_json[0]["usage"].split(",")), json.loads(to_json[0]["param_values"])) == (
        {"default", "value"}, ["'epoch'"])
    src = ("import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.to_json('a.json', date_format='epoch')\n"
           "df.to_json('b.json', date_format='iso')\n")
    refs = find_references(src, DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts()))
    assert [(r.line, r.code) for r in refs] == [(2, "APIM002")]
    # the default's warning fires only when a column or an axis is datetime-like
    assert to_json[0]["conditional"] == 1


def test_pandas_properties_and_none_arguments_type_values_too(kb_pandas_scipy):
    """`df.T` is a DataFrame and `df.style` a Styler by their getters' annotations; `chunksize=None`
    cannot be the overload that wants `chunksize: int`, so read_csv returns a DataFrame."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_pandas_scipy
    classes = kb.class_facts()
    [style] = classes.returns["pandas.DataFrame.style"]
    assert style["property"] and style["returns"].endswith(".Styler")
    assert classes.returns["pandas.read_csv"][1]["types"]["chunksize"] == ["int"]
    to_json = kb.get("pandas.core.generic.NDFrame.to_json", "date_format")
    if not to_json or "default" not in to_json[0]["usage"].split(","):
        pytest.skip("this pandas announces no change of to_json's date_format default")
    src = ("import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.T.to_json('a.json')\n"
           "pd.read_csv(path, chunksize=None).to_json('b.json')\n"
           "pd.read_csv(path, chunksize=10).to_json('c.json')\n")
    refs = find_references(src, DeprecationIndex.from_rows(kb.deprecations(), classes))
    assert [(r.line, r.api) for r in refs] == [(2, "pandas.core.generic.NDFrame.to_json"),
                                               (3, "pandas.core.generic.NDFrame.to_json")]


def test_pandas_accessors_hold_their_classes(kb_pandas_scipy):
    """`s.dt` is read through pandas' `Accessor` descriptor: `CombinedDatetimelikeProperties`,
    whose bases deprecate `dayofweek` (pandas 3.1) in favour of `day_of_week`."""
    from apimigrate.callsites import DeprecationIndex, find_references
    from apimigrate.check.fixer import fix_source
    kb = kb_pandas_scipy
    classes = kb.class_facts()
    [dt] = classes.returns["pandas.Series.dt"]
    assert dt["accessor"] and dt["returns"].endswith(".CombinedDatetimelikeProperties")
    assert classes.returns["pandas.Series.str"][0]["returns"].endswith(".StringMethods")
    rows = kb.get("pandas.core.indexes.accessors.DatetimeProperties.dayofweek")
    if not rows:
        pytest.skip("this pandas does not deprecate Series.dt.dayofweek")
    assert rows[0]["replacement"] == "pandas.core.indexes.accessors.DatetimeProperties.day_of_week"
    assert rows[0]["drop_in"]
    src = "import pandas as pd\ns = pd.Series(pd.date_range('2020', periods=3))\ns.dt.dayofweek\ndf['d'].dt.dayofweek\n"
    index = DeprecationIndex.from_rows(kb.deprecations(), classes)
    assert [(r.line, r.code) for r in find_references(src, index)] == [
        (2, "APIM001"), (3, "APIM003")]
    fixed, _, _ = fix_source(src, index)
    assert "s.dt.day_of_week\ndf['d'].dt.dayofweek\n" in fixed


def test_pandas_infer_freq_carries_the_warning_its_helper_gives(kb_pandas_scipy):
    """pandas 3.1's `infer_freq` and `.inferred_freq` warn through `maybe_convert_inferred_freq`,
    whose text says setting the option to False silences it as well (scan/helper_warnings.py)."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_pandas_scipy
    rows = kb.get("pandas.infer_freq")
    if not rows:
        pytest.skip("this pandas does not deprecate infer_freq returning a string")
    assert "string from infer_freq" in rows[0]["message"] and "set to False" in rows[0]["message"]
    assert {e["path"] for e in kb.evidence_for(rows[0]["id"]) if e["kind"] == "warning"} == {
        "pandas/tseries/frequencies.py"}
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    src = ("import pandas as pd\n"
           "with pd.option_context({'future.infer_freq_returns_offset': False}):\n"
           "    a = pd.infer_freq(x)\n"
           "    b = pd.date_range('2020', periods=3).inferred_freq\n"
           "c = pd.infer_freq(x)\n"
           "d = pd.date_range('2020', periods=3).inferred_freq\n")
    assert [r.line for r in find_references(src, index)] == [4, 5]


@pytest.fixture(scope="module")
def kb_numpy_notes(tmp_path_factory):
    """`apimigrate scan numpy` as users run it: the installed code and, from the same release's
    sdist, every release's notes."""
    kb = open_db(tmp_path_factory.mktemp("notes") / "k.db")
    [report] = scan(kb, ["numpy"], show_progress=False)
    if report.notes_unread:
        pytest.skip(f"numpy's sdist is not in the cache and the index cannot serve it: {report.notes_unread}")
    return kb


def test_installed_numpy_learns_from_its_notes_what_2x_removed(kb_numpy_notes):
    """numpy 2.x's code has no `product` at all; 1.25.0's notes say "``np.product`` is deprecated.
    Use `np.prod` instead." (the sdist of the installed release carries them)."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_numpy_notes
    row = _row(kb, "numpy.product")
    assert (row["replacement"], row["since"]) == ("numpy.prod", "1.25.0")
    assert {e["path"] for e in kb.evidence_for(row["id"])} == {"doc/source/release/1.25.0-notes.rst"}
    [lib] = [r for r in kb.db["libraries"].rows if r["name"] == "numpy"]
    assert lib["source_kind"] == "installed" and lib["source_ref"].endswith(f"numpy-{lib['version']}.tar.gz")
    src = "import numpy as np\nnp.product(a)\nx = np.array(a, dtype=np.bool)\n"
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    [ref] = find_references(src, index)
    assert (ref.line, ref.api) == (1, "numpy.product")   # 0-based
    # the installed release has no `product`: the call fails, and the finding says so
    assert (row["removed_in"], row["removal"]) == (lib["version"], "gone")
    assert f"(gone by {lib['version']})" in ref.message


def test_installed_numpy_drops_the_expired_alias_numpy_2_defines_again(kb_numpy_notes):
    """1.24.0's notes expire the alias ``np.bool`` (of the builtin); numpy 2 defines `np.bool`, its
    own scalar type, so the notes' removal is not kept; `np.object`, which numpy 2 lacks, is."""
    assert not kb_numpy_notes.get("numpy.bool")
    assert _row(kb_numpy_notes, "numpy.object")["replacement"] == "builtins.object"


def test_installed_numpy_reads_the_cython_of_its_legacy_random_functions(kb_numpy_notes):
    """`np.random.random_integers` is Cython: numpy/random/mtrand.pyx, which the wheel ships compiled
    and the sdist as source, warns in `RandomState.random_integers` and binds the module's function
    to the method of its `_rand = RandomState()`."""
    from apimigrate.callsites import DeprecationIndex, find_references
    kb = kb_numpy_notes
    for api, replacement in (("numpy.random.random_integers", "numpy.random.randint"),
                             ("numpy.random.RandomState.random_integers", "numpy.random.RandomState.randint")):
        row = _row(kb, api)
        assert (row["since"], row["replacement"], row["drop_in"]) == ("1.11.0", replacement, 0), api
        assert {e["path"] for e in kb.evidence_for(row["id"])} == {"numpy/random/mtrand.pyx"}
    assert not kb.get("numpy.random.RandomState.random_integers", "high")
    src = "import numpy as np\nnp.random.random_integers(1, 6)\nnp.random.randint(1, 7)\n"
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    assert [(r.line, r.api) for r in find_references(src, index)] == [(1, "numpy.random.random_integers")]


@pytest.fixture(scope="module")
def kb_pandas_sdist(tmp_path_factory):
    """`apimigrate scan pandas` as users run it: its sdist has no notes, but the Cython of the
    modules its wheel ships compiled; the notes are those of the newest older release whose sdist
    has them, read with the code of each minor release since."""
    import pandas
    kb = open_db(tmp_path_factory.mktemp("pandas_sdist") / "k.db")
    reports = scan(kb, ["pandas"], show_progress=False)
    [lib] = [r for r in kb.db["libraries"].rows if r["name"] == "pandas" and r["version"] == pandas.__version__]
    if not lib["source_ref"].endswith(".tar.gz"):
        pytest.skip("pandas' sdist is not in the cache and the index cannot serve it")
    kb.reports = reports
    return kb


def _references(kb, src: str) -> list:
    """What `check` finds in `src` against the database `kb`."""
    from apimigrate.callsites import DeprecationIndex, find_references
    return find_references(src, DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts()))


def test_installed_pandas_knows_what_3_0_removed_from_the_releases_before_it(kb_pandas_sdist):
    """pandas 3.x's sdist has no whatsnew: without the releases before it, a plain scan knew nothing
    of `DataFrame.applymap` (deprecated by 2.1's code, removed in 3.0), the first API users meet."""
    kb = kb_pandas_sdist
    if not kb.reports[-1].notes_from:
        pytest.skip(f"no older pandas sdist with notes in the cache or on an index: {kb.reports[-1].notes_unread}")
    assert Version(kb.reports[-1].notes_from) < Version("2.1") and len(kb.reports) > 2
    applymap = _row(kb, "pandas.DataFrame.applymap")
    assert (applymap["replacement"], applymap["since"], applymap["removed_in"]) \
        == ("pandas.DataFrame.map", "2.1.0", "3.0")
    assert _row(kb, "pandas.io.formats.style.Styler.applymap")["removed_in"] == "3.0"
    src = ("import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.applymap(str)\ndf.map(str)\n"
           "pd.Series([1]).swapaxes(0, 0)\n")
    assert [(r.line, r.api) for r in _references(kb, src)] \
        == [(2, "pandas.DataFrame.applymap"), (4, "pandas.core.generic.NDFrame.swapaxes")]


def test_installed_pandas_reads_the_cython_of_timestamp_and_period(kb_pandas_sdist):
    kb = kb_pandas_sdist
    utcnow = _row(kb, "pandas.Timestamp.utcnow")
    assert (utcnow["kind"], utcnow["since"], utcnow["replacement"]) == ("method", "3.0.0", "pandas.Timestamp.now")
    assert {e["path"] for e in kb.evidence_for(utcnow["id"])} == {"pandas/_libs/tslibs/timestamps.pyx"}
    # properties of the private cdef `_Period`, their replacements what `Period` inherits from it
    assert _row(kb, "pandas.Period.dayofweek")["replacement"] == "pandas.Period.day_of_week"
    assert _row(kb, "pandas.Timestamp.dayofyear")["replacement"] == "pandas.Timestamp.day_of_year"
    # `Timestamp.daysinmonth = property(_daysinmonth_fget)`, after the class
    assert _row(kb, "pandas.Timestamp.daysinmonth")["replacement"] == "pandas.Timestamp.days_in_month"
    src = ("import pandas as pd\nnow = pd.Timestamp.utcnow()\nday = pd.Timestamp('2020-01-01').dayofweek\n"
           "ok = pd.Timestamp.now('UTC').day_of_week\n")
    assert [(r.line, r.api) for r in _references(kb, src)] \
        == [(1, "pandas.Timestamp.utcnow"), (2, "pandas.Timestamp.dayofweek")]


def test_installed_pandas_knows_its_frequency_aliases_where_users_pass_them(kb_pandas_sdist):
    """pandas 2.2's alias tables (tslibs/dtypes.pyx), tested in `to_offset` (offsets.pyx) and
    reached from `date_range`, `DataFrame.resample` and `Timestamp.floor`, read from the real code."""
    import json

    kb = kb_pandas_sdist
    if not kb.reports[-1].notes_from:
        pytest.skip(f"no older pandas sdist with notes in the cache or on an index: {kb.reports[-1].notes_unread}")
    params = {(r["api"], r["parameter"]): r for r in kb.deprecations(["pandas"]) if r["parameter"]}
    offset = params[("pandas.tseries.frequencies.to_offset", "freq")]
    assert offset["value_form"] == "token"
    assert json.loads(offset["new_values"])["'H'"] == "'h'" and json.loads(offset["new_values"])["'M'"] == "'ME'"
    assert "'H'" in json.loads(params[("pandas.date_range", "freq")]["param_values"])
    src = ("import pandas as pd\nidx = pd.date_range('2024', periods=3, freq='H')\n"
           "df = pd.DataFrame({'a': [1, 2, 3]}, index=idx)\nm = df.resample('M').sum()\n"
           "t = pd.Timestamp('2024').floor('15T')\np = pd.Period('2024-01', freq='M')\n"
           "ok = pd.date_range('2024', periods=3, freq='15min')\n"
           # members other classes make: `.dt`'s (delegate_names), DatetimeIndex's (`self._data.floor`)
           "s = pd.Series(idx)\nf = s.dt.floor('H')\nr = idx.round('T')\n"
           "q = idx.to_period('H')\nm = idx.to_period('M')\ntd = pd.timedelta_range('1 day', periods=3, freq='H')\n")
    found = [(r.line, r.value) for r in _references(kb, src) if r.parameter]
    assert found == [(1, "'H'"), (3, "'M'"), (4, "'T'"), (8, "'H'"), (9, "'T'"), (10, "'H'"), (12, "'H'")]


def test_the_name_index_kept_of_a_real_release_is_the_one_its_stored_facts_give(kb_pandas_scipy):
    """The index a release's scan builds from the files it read is kept for the scans of the
    releases after it (runner._stored_index): built from the stored facts instead, in whatever
    order those come, it is the same, down to the order of each name's paths."""
    from apimigrate.scan import runner
    from apimigrate.scan.targets import installed_tree
    tree = installed_tree("pandas")
    key = runner._index_key(tree, tree.version, kb_pandas_scipy.file_hashes("pandas", tree.version))
    kept = runner._STORED_INDICES.pop(key)
    try:
        built = runner._stored_index(kb_pandas_scipy, tree, tree.version)
    finally:
        runner._STORED_INDICES[key] = kept
    assert built is not kept and len(kept.public) > 1000
    assert any(len(paths) > 1 for paths in kept.by_last.values())
    assert dict(kept.by_last) == dict(built.by_last) and kept.origin_public == built.origin_public
    assert kept.public == built.public and kept.call_parameters() == built.call_parameters()
