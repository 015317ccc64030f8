"""Compatibility code: deprecated APIs on the path for older versions of their library.

The shapes are the ones real projects use (transformers' `np._core if version.parse(np.__version__)
>= ... else np.core`, scikit-learn's vendored array_api_compat `if np.__version__[0] == "2": ...
else: from numpy.core.numeric import ...`, the ImportError fallback). They are marked
`compat`, never rewritten, left out of `apimigrate check` unless --include-compat, and shown as
hints in the editor.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.cli.main import app
from apimigrate.lsp.diagnostics import diagnostics_json
from apimigrate.lsp.documents import Document
from test_callsites_support import build_db, db_rows


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("db") / "kb.sqlite")


@pytest.fixture(scope="module")
def index(db) -> DeprecationIndex:
    return DeprecationIndex.from_rows(db_rows(db))


def compat_by_line(src: str, index: DeprecationIndex) -> dict[int, bool]:
    return {r.line: r.compat for r in find_references(src, index)}


HEAD = "import numpy as np\nimport pandas as pd\nfrom packaging.version import Version, parse\n"


def test_the_older_side_of_a_version_comparison_is_compat(index):
    src = HEAD + (
        "a = np._core if parse(np.__version__) >= parse('2.0.0') else np.core\n"     # 3: else: older
        "b = np.core if parse(np.__version__) < parse('2.0.0') else np._core\n"      # 4: if: older
        "if np.__version__[0] == '2':\n"
        "    c = np.row_stack(x)\n"                                                    # 6: the newer side
        "else:\n"
        "    c = np.row_stack(y)\n"                                                    # 8
        "if '2' <= np.__version__:\n"
        "    pass\n"
        "elif True:\n"
        "    d = np.row_stack(z)\n"                                                    # 12: not '2' <= version
        "if not (Version(np.__version__) >= Version('2')):\n"
        "    e = np.row_stack(w)\n"                                                    # 14: negated
    )
    assert compat_by_line(src, index) == {3: True, 4: True, 6: False, 8: True, 12: True, 14: True}


def test_flags_version_calls_probes_and_fallbacks(index):
    src = HEAD + (
        "from importlib.metadata import version\n"
        "NP2 = parse(np.__version__) >= parse('2')\n"
        "PD_OLD = parse(version('pandas')) < parse('2.1')\n"
        "def f(frame, x):\n"
        "    if NP2:\n"
        "        return np.vstack(x)\n"
        "    return np.row_stack(x)\n"                                                 # 9: after an early return
        "def g(frame):\n"
        "    return frame.applymap(str) if PD_OLD else frame.map(str)\n"              # 11: pandas' own version
        "def h(x):\n"
        "    return np.vstack(x) if hasattr(np, 'vstack') else np.row_stack(x)\n"     # 13: where vstack is not
        "def k(x):\n"
        "    NP2 = False\n"
        "    return np.product(x) if not NP2 else np.prod(x)\n"                       # 16: a local, not the flag
        "try:\n"
        "    from numpy import prod\n"
        "except (ImportError, KeyError):\n"
        "    from numpy import product as prod\n"                                      # 20: import fallback
        "try:\n"
        "    y = np.product(1)\n"                                                      # 22
        "except ValueError:\n"
        "    y = np.product(2)\n"                                                      # 24: not a fallback
        "z = np.row_stack(a) if pd.__version__ < '2' else 0\n"                        # 25: another library's version
    )
    found = compat_by_line(src, index)
    assert found == {9: True, 11: True, 13: True, 16: False, 20: True, 22: False, 24: False, 25: False}


def test_a_probe_of_any_object_for_the_replacement_guards_the_old_spelling(index):
    """transformers 5.23: `getattr(shape_env, "backed_var_to_val", None) or shape_env.var_to_val`. The
    object is no library module, but the name probed is the replacement's: the other side runs only
    where it is missing."""
    src = HEAD + (
        "def f(frame):\n"
        "    a = getattr(frame, 'map', None) or frame.applymap\n"                     # 4
        "    b = frame.map(str) if hasattr(frame, 'map') else frame.applymap(str)\n"   # 5
        "    if not hasattr(frame, 'map'):\n"
        "        c = frame.applymap(str)\n"                                           # 7
        "    if hasattr(frame, 'map'):\n"
        "        c = frame.applymap(str)\n"                                           # 9: where map exists
        "    else:\n"
        "        c = frame.applymap(repr)\n"                                          # 11
        "    d = getattr(frame, 'pipe', None) or frame.applymap\n"                    # 12: another name
        "    e = getattr(frame, 'map', None) and frame.applymap\n"                    # 13: runs where map is
        "    g = frame.applymap(str)\n"                                               # 14
        "    h = other.map(str) if hasattr(other, 'map') else frame.applymap(str)\n"   # 15: another object
        "    k = x.prod() if hasattr(x, 'prod') else np.product(x)\n"                  # 16: duck typing
    )
    assert compat_by_line(src, index) == {4: True, 5: True, 7: True, 9: False, 11: True, 12: False, 13: False,
                                          14: False, 15: False, 16: False}


def test_an_old_default_rebound_where_the_library_has_the_new_name_is_compat(index):
    """transformers 5.23 (models/wav2vec2/modeling_wav2vec2.py and 34 more): `weight_norm =
    nn.utils.weight_norm` then `if hasattr(nn.utils.parametrizations, "weight_norm"): weight_norm =
    nn.utils.parametrizations.weight_norm`. The first binding is what older releases get."""
    src = HEAD + (
        "def f(a, b):\n"
        "    stack = np.row_stack\n"                                                  # 4
        "    if hasattr(np, 'vstack'):\n"
        "        stack = np.vstack\n"
        "    other = np.row_stack\n"                                                  # 7: rebound to another name
        "    if hasattr(np, 'vstack'):\n"
        "        other2 = np.vstack\n"
        "    third = np.row_stack\n"                                                  # 10: a probe of another name
        "    if hasattr(np, 'hstack'):\n"
        "        third = np.vstack\n"
        "    fourth = np.row_stack\n"                                                 # 13: rebound to another API
        "    if hasattr(np, 'vstack'):\n"
        "        fourth = np.concatenate\n"
        "    return stack([a, b])\n"
    )
    assert compat_by_line(src, index) == {4: True, 7: False, 10: False, 13: False}


def test_a_version_compared_after_a_test_of_the_backend_is_that_librarys(index):
    """narwhals 2.29: dataframe-agnostic code names no pandas module; `impl.is_pandas()` says whose
    version `impl._backend_version()` is."""
    src = HEAD + (
        "def f(impl, frame):\n"
        "    backend_version = impl._backend_version()\n"
        "    if impl.is_pandas() and backend_version < (3, 0):\n"
        "        frame.applymap(str)\n"                                                 # 6: pandas < 3
        "    a = frame.map(str) if impl.is_pandas() and impl._backend_version() >= (2, 1) else frame.applymap(str)\n"
        "    b = frame.applymap(str) if impl.is_pandas() and impl._backend_version() >= (2, 1) else 0\n"  # 8
        "    if impl.is_polars() and backend_version < (3, 0):\n"
        "        frame.applymap(str)\n"                                                 # 10: polars' version
        "    if impl.is_pandas() and impl.ready():\n"
        "        frame.applymap(str)\n"                                                 # 12: no version
        "    if impl.is_pandas() and sys.version_info >= (3, 9):\n"
        "        return frame.map(str)\n"
        "    return frame.applymap(str)\n"                                              # 15: Python's version
    )
    assert compat_by_line(src, index) == {6: True, 7: True, 8: False, 10: False, 12: False, 15: False}


def test_a_backend_named_by_an_enum_member_and_a_version_range(index):
    """narwhals 2.29's `set_index` helper: `implementation is Implementation.PANDAS and ((1, 5) <=
    implementation._backend_version() < (3,))` runs for pandas 1.5 up to 3 only; the range's upper
    bound tells the side."""
    src = HEAD + (
        "def f(impl, frame):\n"
        "    if impl is Implementation.PANDAS and ((1, 5) <= impl._backend_version() < (2, 1)):\n"
        "        frame.applymap(str)\n"                                                 # 5: pandas < 2.1
        "    if impl == Implementation.PANDAS and (3,) > impl._backend_version() >= (1, 5):\n"
        "        frame.applymap(str)\n"                                                 # 7: pandas < 3
        "    if impl is Implementation.PANDAS and impl._backend_version() >= (2, 1):\n"
        "        frame.applymap(str)\n"                                                 # 9: the newer side
        "    if impl is Implementation.POLARS and (1, 5) <= impl._backend_version() < (2, 1):\n"
        "        frame.applymap(str)\n"                                                 # 11: polars' version
        "    if impl is Implementation.PANDAS and (1,) <= impl._backend_version() < (2,) < (3,):\n"
        "        frame.applymap(str)\n"                                                 # 13: not a range
    )
    assert compat_by_line(src, index) == {5: True, 7: True, 9: False, 11: False, 13: False}


def test_comments_inside_a_condition_or_its_branches_change_nothing(index):
    """tree-sitter places a comment wherever it stands, inside the expression too (narwhals 2.29:
    `frame.reindex(..., copy=False)  # type: ignore[call-arg]` before `if use_copy_flag`)."""
    src = HEAD + (
        "def f(impl, frame):\n"
        "    old = impl.is_pandas() and impl._backend_version() < (2, 1)\n"
        "    a = (\n"
        "        frame.applymap(str)  # type: ignore[attr-defined]\n"                # 6: pandas < 2.1
        "        if old\n"
        "        else frame.map(str)\n"
        "    )\n"
        "    b = (\n"
        "        np.row_stack(x)\n"                                                     # 11: numpy >= 2
        "        if not (\n"
        "            np.__version__ < '2'  # the older side\n"
        "        )\n"
        "        else np.row_stack(x)\n"                                                # 15: numpy < 2
        "    )\n"
        "    if (np.__version__ >=  # as installed\n"
        "            '2'):\n"
        "        return np.row_stack(x)\n"                                              # 19: numpy >= 2
        "    return np.row_stack(x)\n"                                                  # 20: after an early return
    )
    assert compat_by_line(src, index) == {6: True, 11: False, 15: True, 19: False, 20: True}


def test_a_fallback_handler_follows_a_try_that_imports_or_reaches_into_a_library(index):
    src = HEAD + (
        "try:\n"
        "    f = np.vstack\n"
        "except AttributeError:\n"
        "    f = np.row_stack\n"                          # 6: the newer name was missing
        "try:\n"
        "    y = cfg.option\n"
        "except AttributeError:\n"
        "    y = np.product(a)\n"                         # 10: cfg is no library: ordinary code
        "try:\n"
        "    import scipy.integrate as si\n"
        "except (ImportError, KeyError):\n"
        "    g = np.product\n"                            # 14: an import failed
        "try:\n"
        "    def later():\n"
        "        return np.vstack(a)\n"
        "    plot(a)\n"
        "except ImportError:\n"
        "    np.product(a)\n"                             # 20: a def runs nothing of its body
    )
    assert compat_by_line(src, index) == {6: True, 10: False, 14: True, 20: False}


def test_code_after_an_early_return_is_on_the_other_side(index):
    src = HEAD + (
        "def f(x):\n"
        "    if np.__version__ >= '2':\n"
        "        return np.vstack(x)\n"
        "    return np.row_stack(x)\n"                  # 6: only older numpy gets here
        "def g(x):\n"
        "    if np.__version__ < '2':\n"
        "        raise RuntimeError('old numpy')\n"
        "    return np.row_stack(x)\n"                  # 10: only newer numpy gets here: a finding
        "def h(x):\n"
        "    if np.__version__ >= '2':\n"
        "        y = 1\n"
        "    return np.row_stack(x)\n"                  # 14: the if does not exit
        "def k(x):\n"
        "    if np.__version__ >= '2':\n"
        "        return np.vstack(x)\n"
        "    else:\n"
        "        pass\n"
        "    return np.row_stack(x)\n"                  # 20: an else: not an early-exit shape (after the if anyway)
    )
    assert compat_by_line(src, index) == {6: True, 10: False, 14: False, 20: False}


def test_a_private_def_bound_only_on_the_older_side_is_compat(index):
    # scikit-learn 1.1's utils/fixes.py: `_percentile` passes numpy's old keyword, and only
    # `if np_version < parse_version("1.22"): percentile = _percentile` uses it
    src = HEAD + (
        "np_version = parse(np.__version__)\n"
        "def _stack(x):\n"
        "    return np.row_stack(x) if x else _stack(1)\n"    # 5: runs only where numpy is older
        "if np_version < parse('2.0'):\n"
        "    stack = _stack\n"
        "else:\n"
        "    stack = np.vstack\n"
        "def _called(x):\n"
        "    return np.row_stack(x)\n"                  # 11: called directly below
        "y = _called(1)\n"
        "def _newer(x):\n"
        "    return np.row_stack(x)\n"                  # 14: bound on the newer side
        "if np_version >= parse('2.0'):\n"
        "    s3 = _newer\n"
        "def _unused(x):\n"
        "    return np.row_stack(x)\n"                  # 18: no use in the file: may be imported elsewhere
        "def public(x):\n"
        "    return np.row_stack(x)\n"                  # 20: a public name is anyone's
        "if np_version < parse('2.0'):\n"
        "    p = public\n"
        "def _listed(x):\n"
        "    return np.row_stack(x)\n"                  # 24: named in a string too (`__all__`)
        "if np_version < parse('2.0'):\n"
        "    q = _listed\n"
        "__all__ = ['_listed']\n"
    )
    assert compat_by_line(src, index) == {5: True, 11: False, 14: False, 18: False, 20: False, 24: False}


def test_local_flags_equalities_and_version_helpers(index):
    """Shapes from joblib (`major = np.__version__[:2]` / `if major == "1."`) and accelerate
    (`np._core if is_numpy_available("2.0.0") else np.core`)."""
    src = HEAD + (
        "def load(a):\n"
        "    major = np.__version__[:2]\n"
        "    if major == '1.':\n"
        "        from numpy.core.multiarray import _reconstruct\n"         # 6: 1.x comes before 2.0
        "    elif major == '2.':\n"
        "        y = np.row_stack(a)\n"                                    # 8: 2.x does not: a finding
        "    if np.__version__.startswith('1.'):\n"
        "        z = np.row_stack(a)\n"                                    # 10
        "    if major != '1.':\n"
        "        w = np.row_stack(a)\n"                                    # 12: the newer side
        "    return 0\n"
        "a = np._core if is_numpy_available('2.0.0') else np.core\n"      # 14
        "b = np.core if is_numpy_available('2.0.0') else np._core\n"      # 15: available: the newer side
        "c = np.core if compare_versions('numpy', '<', '2.0') else 0\n"   # 16
        "d = np.core if is_numpy_available() else 0\n"                   # 17: no version asked
        "e = np.core if is_torch_greater_or_equal('2.0') else 0\n"       # 18: another library
        "NP2 = np.__version__ >= '2'\n"
        "f = np.core if NP2 else 0\n"                                     # 20: the flag's newer side
        "g = 0 if NP2 else np.core\n"                                     # 21
        "try:\n"
        "    from numpy import prod\n"
        "except ImportError:\n"
        "    from numpy import product as prod\n"                         # 25: the fallback import
        "h = prod(x)\n"                                                   # 26: the try's numpy.prod (see below)
        "from numpy import product\n"
        "k = product(x)\n"                                                # 28: an ordinary import's use
    )
    found = compat_by_line(src, index)
    assert found == {6: True, 8: False, 10: True, 12: False, 14: True, 15: False, 16: True, 17: False,
                     18: False, 20: False, 21: True, 25: True, 27: False, 28: False}


def test_flags_imported_from_a_compat_module_and_helpers_given_the_library_name(index):
    """statsmodels' `from statsmodels.compat.pandas import PD_LT_2`, scikit-learn's
    `from ..utils.fixes import np_version`, xarray's `module_available("numpy", minversion="2.0.0.dev0")`."""
    src = HEAD + (
        "from .compat import NP_LT_2, NP_GE_2, PD_LT_2, HAS_NP, np_version, parse_version\n"
        "from .utils import module_available\n"
        "a = np.core if NP_LT_2 else 0\n"                                           # 5
        "b = np.core if NP_GE_2 else 0\n"                                           # 6: the newer side
        "c = np.core if np_version < parse_version('2') else 0\n"                   # 7
        "d = np.core if module_available('numpy', minversion='2.0.0.dev0') else 0\n"  # 8: the newer side
        "e = 0 if module_available('numpy', minversion='2.0.0.dev0') else np.core\n"  # 9
        "f = np.core if HAS_NP else 0\n"                                            # 10: not a version
        "g = np.core if PD_LT_2 else 0\n"                                           # 11: pandas' version
        "h = 0 if np.__version__ == '2.0.0rc1' else np.core\n"                     # 12
        "k = np.row_stack(x) if hasattr(np, 'row_stack') else 0\n"                   # 13: exists, so warns
        "def convert(x):\n"
        "    if not hasattr(np, 'core'):\n"
        "        raise TypeError('upgrade numpy')\n"
        "    return np.core.asarray(x)\n"                                              # 17: seaborn's shape
        "from numpy import __version__ as npv\n"
        "m = np.core if npv < '2' else 0\n"                                          # 19
        "n = np.core if np.version.short_version < '2' else 0\n"                     # 20
        "o = np.core if np.linalg.version < '2' else 0\n"                            # 21: not numpy's version
    )
    assert compat_by_line(src, index) == {5: True, 6: False, 7: True, 8: False, 9: True, 10: False, 11: False,
                                          12: True, 13: False, 17: False, 19: True, 20: True, 21: False}


def test_a_helper_about_versions_given_the_library_itself(index):
    """seaborn 0.13.2's `_stats/order.py`: `if _version_predates(np, "1.22"): np.percentile(...,
    interpolation=method)`, with `_version_predates(lib, version)` from its utils: the older side."""
    src = HEAD + (
        "from seaborn.utils import _version_predates\n"
        "a = np.core if _version_predates(np, '2.0') else 0\n"            # 4: predates: the older side
        "b = 0 if _version_predates(np, '2.0') else np.core\n"            # 5
        "c = np.core if _version_predates(pd, '2.0') else 0\n"            # 6: pandas' version
        "d = np.core if _version_predates(np) else 0\n"                   # 7: no version asked
        "e = np.core if _predates(np, '2.0') else 0\n"                    # 8: says nothing of versions
    )
    assert compat_by_line(src, index) == {4: True, 5: False, 6: False, 7: False, 8: False}


def test_compat_uses_are_never_rewritten(index):
    src = HEAD + "a = np.row_stack(x) if np.__version__ < '2' else np.vstack(x)\nb = np.row_stack(x)\n"
    refs = {r.line: r for r in find_references(src, index)}
    assert refs[3].compat and refs[3].rewrite is None
    assert not refs[4].compat and refs[4].rewrite is not None


def test_check_counts_compat_apart_and_lists_it_on_request(db, tmp_path):
    path = tmp_path / "m.py"
    path.write_text(HEAD + "a = np._core if np.__version__ >= '2' else np.core\nb = np.row_stack(x)\n")
    runner = CliRunner()
    plain = runner.invoke(app, ["check", str(path), "--db", str(db)])
    assert plain.exit_code == 1
    assert ":5:" in plain.stdout and ":4:" not in plain.stdout
    assert "1 more in compatibility code" in plain.stderr
    listed = runner.invoke(app, ["check", str(path), "--db", str(db), "--include-compat", "--format", "json"])
    items = json.loads(listed.stdout)
    assert [(i["line"], i["compat"]) for i in items] == [(4, True), (5, False)]
    sarif = json.loads(runner.invoke(app, ["check", str(path), "--db", str(db), "--include-compat",
                                           "--format", "sarif"]).stdout)
    assert [(r["level"], r["properties"]["compat"]) for r in sarif["runs"][0]["results"]] == [
        ("note", True), ("warning", False)]
    only_compat = tmp_path / "c.py"
    only_compat.write_text(HEAD + "a = np._core if np.__version__ >= '2' else np.core\n")
    assert runner.invoke(app, ["check", str(only_compat), "--db", str(db)]).exit_code == 0
    fixed = runner.invoke(app, ["fix", str(only_compat), "--db", str(db)])
    assert fixed.exit_code == 0 and "0 left to fix by hand" in fixed.stderr


def test_the_editor_shows_compat_uses_as_hints_without_strike_through(index):
    src = HEAD + "a = np._core if np.__version__ >= '2' else np.core\nb = np.core\n"
    doc = Document.from_text("file:///c.py", 1, src)
    items = diagnostics_json(doc, find_references(src, index), types.DiagnosticSeverity.Warning, True)
    by_line = {i["range"]["start"]["line"]: i for i in items}
    assert by_line[3]["severity"] == int(types.DiagnosticSeverity.Hint) and "tags" not in by_line[3]
    assert "compatibility code" in by_line[3]["message"]
    assert by_line[4]["severity"] == int(types.DiagnosticSeverity.Warning) and by_line[4]["tags"]


def test_a_handler_of_a_missing_attribute_after_the_replacement_s_name_is_a_fallback(index):
    """statsmodels 0.15 (iolib/summary2.py and others): `try: data = data.map(f)` / `except
    AttributeError: data = data.applymap(f)`. It counted as a fallback only when the `try:` also
    happened to read `pd.something`; the replacement's name on the same receiver is the test."""
    src = HEAD + (
        "def f(data, other):\n"
        "    try:\n"
        "        data = data.map(fmt)\n"
        "    except AttributeError:\n"
        "        data = data.applymap(fmt)\n"                     # 7: the older versions' path
        "    try:\n"
        "        data = other.map(fmt)\n"
        "    except AttributeError:\n"
        "        data = data.applymap(fmt)\n"                     # 11: another object's map
        "    try:\n"
        "        data = data.map(fmt)\n"
        "    except KeyError:\n"
        "        data = data.applymap(fmt)\n"                     # 15: not a missing attribute
        "    try:\n"
        "        data = data.map(fmt)\n"
        "    except (TypeError, AttributeError) as exc:\n"
        "        data = data.applymap(fmt)\n"                     # 19
    )
    assert compat_by_line(src, index) == {7: True, 11: False, 15: False, 19: True}


def test_a_name_imported_in_each_arm_of_a_version_test_is_the_current_versions(index):
    """accelerate 1.x (checkpointing.py): `if is_torch_version(">=", "2.4.0"): from torch.amp import
    GradScaler` / `else: from torch.cuda.amp import GradScaler`, then `scaler: Optional[GradScaler]`.
    On a current release the name is the new class; the `else:` import comes last but is only what
    older releases run. The import in the older arm stays a compat finding, the uses are no finding."""
    src = HEAD + (
        "if parse(pd.__version__) >= parse('2.0'):\n"
        "    from pandas import Index as IndexT\n"
        "else:\n"
        "    from pandas import Int64Index as IndexT\n"                   # 6: compat
        "def save(index: Optional[IndexT] = None) -> IndexT:\n"           # 7: the current Index
        "    return IndexT(index)\n"                                       # 8
        "top = IndexT([1])\n"                                              # 9
        "try:\n"
        "    from numpy import prod\n"
        "except ImportError:\n"
        "    from numpy import product as prod\n"                          # 13: compat
        "    older = prod(x)\n"                                            # 14: inside the older arm
        "h = prod(x)\n"                                                    # 15: the try's numpy.prod
        "if np.__version__ < '2':\n"
        "    from numpy import row_stack as stack\n"                       # 17: compat
        "elif np.__version__ >= '3':\n"
        "    stack = None\n"
        "else:\n"
        "    from numpy import vstack as stack\n"
        "s = stack(x)\n"                                                   # 22: numpy.vstack
    )
    assert compat_by_line(src, index) == {6: True, 13: True, 14: True, 17: True}


def test_a_name_imported_in_one_arm_only_or_read_by_no_version_stays_as_it_was(index):
    src = HEAD + (
        "if parse(pd.__version__) < parse('2.0'):\n"
        "    from pandas import Int64Index as IndexT\n"                   # 4: compat
        "a = IndexT([1])\n"                                                # 5: nothing else binds it: compat
        "if np.__version__ >= '2':\n"
        "    from numpy import vstack as stack\n"
        "else:\n"
        "    stack = np.row_stack\n"                                       # 9: compat
        "b = stack(x)\n"                                                   # 10: the import: no finding
        "if FLAG:\n"
        "    from numpy import vstack as join\n"
        "else:\n"
        "    from numpy import row_stack as join\n"                       # 14: no version test
        "c = join(x)\n"                                                    # 15: the last binding, as before
        "if hasattr(np, 'row_stack'):\n"
        "    from numpy import row_stack as rows\n"                       # 17: runs where it exists: today
        "else:\n"
        "    from numpy import vstack as rows\n"
        "d = rows(x)\n"                                                    # 20: numpy.row_stack, today's
        "def f():\n"
        "    if np.__version__ >= '2':\n"
        "        from numpy import vstack as inner\n"
        "    else:\n"
        "        from numpy import row_stack as inner\n"                  # 25: compat
        "    return inner(x)\n"                                            # 26: in a function alike
    )
    assert compat_by_line(src, index) == {4: True, 5: True, 9: True, 14: False, 15: False, 17: False,
                                          20: False, 25: True}


def test_fix_leaves_both_arms_and_the_uses_of_the_current_one(db, tmp_path):
    from apimigrate.check import fix_file
    path = tmp_path / "m.py"
    src = HEAD + (
        "if parse(np.__version__) >= parse('2.0'):\n"
        "    from numpy import vstack as stack\n"
        "else:\n"
        "    from numpy import row_stack as stack\n"
        "def f(a):\n"
        "    return stack(a)\n"
    )
    path.write_text(src)
    result = fix_file(str(path), DeprecationIndex.from_rows(db_rows(db)))
    assert result.fixed == 0 and result.new_text is None
    runner = CliRunner()
    listed = runner.invoke(app, ["check", str(path), "--db", str(db), "--include-compat", "--format", "json"])
    assert [(i["line"], i["compat"]) for i in json.loads(listed.stdout)] == [(7, True)]


def test_a_handler_of_a_missing_attribute_without_a_known_replacement_is_a_fallback(tmp_path):
    """statsmodels 0.13.5 (tsa/statespace/dynamic_factor_mq.py:1743): `try: items = data.items()` /
    `except AttributeError: items = data.iteritems()  # Remove after pandas 1.5 is minimum`, matched by
    name on numpy's removed `NpzFile.iteritems`, a row with no replacement. The `try:` reads another
    attribute of the same receiver, which the handler avoids: the handler is the older versions' path."""
    rows = [("numpy.lib.npyio.NpzFile.iteritems", "method", None, "1.15", "1.23.0", None, None, ("changelog",))]
    index = DeprecationIndex.from_rows(db_rows(build_db(tmp_path / "kb.sqlite", rows)))
    src = (
        "import numpy as np\n"
        "def f(data, other):\n"
        "    try:\n"
        "        items = data.items()\n"
        "    except AttributeError:\n"
        "        items = data.iteritems()\n"                        # 5: the older versions' path
        "    try:\n"
        "        items = other.items()\n"
        "    except AttributeError:\n"
        "        items = data.iteritems()\n"                        # 9: another object's attribute
        "    try:\n"
        "        items = data.iteritems()\n"
        "    except AttributeError:\n"
        "        items = data.iteritems(sort=True)\n"               # 13: the handler reads the same name
        "    return items\n"
    )
    refs = find_references(src, index)
    assert {r.line: (r.compat, r.by_name) for r in refs} == {
        5: (True, True), 9: (False, True), 11: (False, True), 13: (False, True)}


def test_a_try_that_binds_a_removed_name_the_handler_binds_too_is_the_older_side(tmp_path):
    """scikit-learn 1.1 (metrics/tests/test_pairwise.py): `try: from scipy.spatial.distance import
    wminkowski` / `except ImportError: from scipy.spatial.distance import minkowski as wminkowski`.
    Where the API is gone the import fails and the handler's binding runs: the `try:` is what older
    releases run, and later uses are of the handler's name. An API only deprecated still imports,
    and warns, today; a handler that binds another name, or `None`, or catches another error,
    replaces nothing."""
    from apimigrate.db import open_db
    db = build_db(tmp_path / "kb.sqlite")
    kb = open_db(db)
    with kb.transaction():
        kb.record_library("scipy", "1.14.0", "installed", "scipy")
        kb.record_library("numpy", "2.0.0", "installed", "numpy")
    kb.close()
    index = DeprecationIndex.from_rows(db_rows(db))
    src = (
        "try:\n"
        "    from scipy.integrate import simps\n"                      # 2: gone since 1.14: compat
        "except ImportError:\n"
        "    from scipy.integrate import simpson as simps\n"
        "area = simps(y)\n"                                            # 5: the handler's simpson
        "try:\n"
        "    from numpy import row_stack\n"                            # 7: only deprecated: warns today
        "except ImportError:\n"
        "    from numpy import vstack as row_stack\n"
        "try:\n"
        "    f = np.product\n"                                         # 11: gone in 2.0: compat
        "except AttributeError:\n"
        "    f = np.prod\n"
        "try:\n"
        "    from numpy import msort\n"                                # 15: the handler binds None
        "except ImportError:\n"
        "    msort = None\n"
        "try:\n"
        "    from scipy.integrate import simps as integrate\n"         # 19: the handler binds another name
        "except ImportError:\n"
        "    from scipy.integrate import simpson\n"
        "try:\n"
        "    from scipy.integrate import simps as rule\n"              # 23: a handler of another error
        "except ValueError:\n"
        "    from scipy.integrate import simpson as rule\n"
    )
    src = "import numpy as np\n" + src
    found = {r.line: r.compat for r in find_references(src, index)}
    assert found == {2: True, 7: False, 11: True, 15: False, 19: False, 23: False}
