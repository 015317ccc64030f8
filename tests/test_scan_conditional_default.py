"""A default that changes for every call, but that the library warns of for some inputs only.

pandas 3.1's ``assert_index_equal`` deprecates the default of `exact` under ``if exact is
lib.no_default:`` and warns only ``if _check_rangeindex_index_int(left, right):``; of `check_freq`
only ``if left.freq != right.freq:``; ``to_json`` of `date_format` only when a column is datetime-like.
In check_audit's statsmodels 0.15 sample none of 22 such calls warned. The code below has their
shapes (names changed); the row says `conditional`, `check` says the change shows for some inputs
only, `db export` and `db show` carry it. A default warned of under a test of the parameter itself
(scikit-learn's ``if self.n_init == "warn":``) or unconditionally is no such thing.
"""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from apimigrate.callsites import find_references
from apimigrate.cli.main import app
from scan_support import exported_of, index_of, scan_library

FILES = {
    "tinypd/__init__.py": "from .testing import assert_index_equal\nfrom .cluster import KMeans, read_excel, read_table\n",
    "tinypd/testing.py": '''\
import warnings

_no_default = object()


def _range_and_int(left, right):
    return type(left) is not type(right)


def assert_index_equal(left, right, exact=_no_default, check_freq=_no_default):
    """Check that left and right Index are equal.

    Parameters
    ----------
    exact : bool or {'equiv'}, default 'equiv'
        .. deprecated:: 3.1.0
            The default value of 'equiv' is deprecated and will change to True.
    """
    if exact is _no_default:
        if _range_and_int(left, right):
            warnings.warn("The default value of 'equiv' for the `exact` parameter is deprecated and will be "
                          "changed to 'True' in a future version.", FutureWarning, stacklevel=2)
        exact = "equiv"
    if check_freq is _no_default:
        if left.freq != right.freq:
            warnings.warn("assert_index_equal will check the 'freq' attribute by default in a future "
                          "version. Pass check_freq=True or check_freq=False to silence this warning",
                          FutureWarning, stacklevel=2)
''',
    "tinypd/cluster.py": '''\
import warnings


class KMeans:
    def __init__(self, n_init="warn"):
        if n_init == "warn":
            warnings.warn("The default value of `n_init` will change from 10 to 'auto' in 1.4.", FutureWarning)
        self.n_init = n_init


def read_excel(path, engine=None):
    if engine is None:
        warnings.warn("The default engine will change from 'openpyxl' to 'calamine' in a future version. "
                      "Pass engine explicitly.", FutureWarning, stacklevel=2)


def read_table(path, sep=None):
    if sep is None and path.endswith(".tsv"):
        warnings.warn("The default of `sep` will change from ',' to a tab for .tsv files.", FutureWarning)
''',
}


def test_a_default_warned_of_under_a_test_of_the_data_is_conditional(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "tinypd", "3.1.0", FILES)
    kb.close()
    exported = exported_of(tmp_path / "k.db")
    conditional = {key: rec["conditional"] for key, rec in exported.items() if rec["parameter"]}
    assert conditional == {("tinypd.assert_index_equal", "exact"): True,
                           ("tinypd.assert_index_equal", "check_freq"): True,
                           ("tinypd.KMeans", "n_init"): False,
                           ("tinypd.read_excel", "engine"): False,
                           # a test of the parameter and of the data
                           ("tinypd.read_table", "sep"): True}
    refs = find_references("import tinypd\ntinypd.assert_index_equal(a, b)\ntinypd.read_excel(p)\n",
                           index_of(tmp_path / "k.db"))
    messages = sorted(r.message for r in refs)
    assert "the default of parameter 'exact' of tinypd.assert_index_equal will change (announced in 3.1.0; " \
           "the library warns for some inputs only); pass it explicitly" in messages
    assert "the default of parameter 'engine' of tinypd.read_excel will change; pass it explicitly" in messages
    shown = CliRunner().invoke(app, ["db", "show", "tinypd.assert_index_equal", "--db", str(tmp_path / "k.db")])
    assert "conditional: the library warns of the default's change for some inputs only" in shown.output


def test_check_json_and_sarif_carry_it(tmp_path: Path) -> None:
    """`--format json` says `conditional`, and SARIF makes such a finding a note, as it does a
    pending or compat one: code scanning then shows it below the changes every call meets."""
    import json
    kb = scan_library(tmp_path, "tinypd", "3.1.0", FILES)
    kb.close()
    src = tmp_path / "user.py"
    src.write_text("import tinypd\ntinypd.assert_index_equal(a, b, exact=True)\ntinypd.read_excel(p)\n")
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    found = json.loads(runner.invoke(app, ["check", str(src), "--db", db, "--format", "json", "--isolated"]).output)
    assert {(f["parameter"], f["conditional"]) for f in found} == {("check_freq", True), ("engine", False)}
    sarif = json.loads(runner.invoke(app, ["check", str(src), "--db", db, "--format", "sarif", "--isolated"]).output)
    levels = {r["properties"]["api"]: (r["level"], r["properties"]["conditional"]) for r in sarif["runs"][0]["results"]}
    assert levels == {"tinypd.assert_index_equal": ("note", True), "tinypd.read_excel": ("warning", False)}


def test_the_editor_shows_it_as_information(tmp_path: Path) -> None:
    """A warning-level setting leaves a conditional default change at information; a default every
    call meets keeps the configured severity."""
    from lsprotocol import types

    from apimigrate.lsp.diagnostics import diagnostics
    from apimigrate.lsp.documents import Document
    kb = scan_library(tmp_path, "tinypd", "3.1.0", FILES)
    kb.close()
    text = "import tinypd\ntinypd.assert_index_equal(a, b)\ntinypd.read_excel(p)\n"
    doc = Document.from_text("file:///u.py", 1, text)
    refs = find_references(text, index_of(tmp_path / "k.db"))
    shown = {(d.range.start.line, d.severity) for d in diagnostics(doc, refs, types.DiagnosticSeverity.Warning, True)}
    assert shown == {(1, types.DiagnosticSeverity.Information), (2, types.DiagnosticSeverity.Warning)}
