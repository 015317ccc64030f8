"""Each deprecated value of a parameter, and passing the parameter at all, has its own dates where the
evidence gives them: scikit-learn deprecated `criterion='mse'` in 1.0 (removed in 1.2) and
`criterion='friedman_mse'` in 1.9 (to be removed in 1.11), one row for both. Scanned from
real-shaped releases, stored per use, told by `check`, its JSON, the hover, `db show` and `db export`."""
from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import find_references
from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.lsp.hover import hover_text
from apimigrate.lsp.knowledge import load
from apimigrate.lsp.settings import Settings
from apimigrate.scan.runner import scan
from scan_support import exported_of, index_of, rows_of
from unlearn_support import write_tree

# In both releases: `init`'s docstring dates its deprecated values, the warning of 'random' does not.
CLUSTER = '''

def cluster(X, init="k-means++"):
    """Cluster X.

    Parameters
    ----------
    init : str
        How to start.

        .. deprecated:: 0.9
            Some of its values are deprecated.
    """
    if init == "random":
        warnings.warn("Passing init='random' is deprecated.", FutureWarning)
    return X
'''

# scikit-learn 1.1-shaped: 'mse' and 'mae' deprecated in 1.0 (only 'mse' says when it goes), the
# gradient-boosting losses 'ls' (1.0, removed in 1.2) and 'deviance' (1.1, removed in 1.3).
OLD = '''
import warnings


class DecisionTreeRegressor:
    def __init__(self, criterion="squared_error"):
        self.criterion = criterion

    def fit(self, X, y):
        if self.criterion == "mse":
            warnings.warn(
                "Criterion 'mse' was deprecated in v1.0 and will be removed in version 1.2. "
                "Use `criterion='squared_error'` which is equivalent.", FutureWarning)
        elif self.criterion == "mae":
            warnings.warn(
                "Criterion 'mae' was deprecated in v1.0. Use `criterion='absolute_error'` which is "
                "equivalent.", FutureWarning)
        return self


class GradientBoostingRegressor:
    def __init__(self, loss="squared_error", criterion="friedman_mse"):
        self.loss = loss
        self.criterion = criterion

    def fit(self, X, y):
        if self.criterion == "mse":
            warnings.warn("Criterion 'mse' was deprecated in v1.0 and will be removed in version 1.2. Use "
                          "`criterion='squared_error'` which is equivalent.", FutureWarning)
        if self.loss == "ls":
            warnings.warn("The loss 'ls' was deprecated in v1.0 and will be removed in version 1.2. Use "
                          "'squared_error' which is equivalent.", FutureWarning)
        elif self.loss == "deviance":
            warnings.warn("The loss 'deviance' was deprecated in v1.1 and will be removed in version 1.3. Use "
                          "'log_loss' which is equivalent.", FutureWarning)
        return self
''' + CLUSTER

# scikit-learn 1.9-shaped: no word of 'mse' or 'mae' any more (passing them raises since 1.2), a new
# deprecated value 'friedman_mse' that says when it goes but not since when, and gradient boosting
# deprecating `criterion` as a whole.
NEW = '''
import warnings


class DecisionTreeRegressor:
    def __init__(self, criterion="squared_error"):
        if criterion == "friedman_mse":
            warnings.warn(
                'Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11. It maps '
                'to `"squared_error"` as both were always equivalent.', FutureWarning)
            criterion = "squared_error"
        self.criterion = criterion

    def fit(self, X, y):
        return self


class GradientBoostingRegressor:
    """Gradient boosting.

    Parameters
    ----------
    criterion : {"friedman_mse", "squared_error"}, default="friedman_mse"
        This parameter has no effect.

        .. deprecated:: 1.9
           `criterion` is deprecated and will be removed in 1.11.
    """

    def __init__(self, loss="squared_error", criterion="deprecated"):
        self.loss = loss
        self.criterion = criterion

    def fit(self, X, y):
        if self.criterion != "deprecated":
            warnings.warn(
                "The parameter `criterion` is deprecated and will be removed in 1.11. It has no effect.",
                FutureWarning)
        return self
''' + CLUSTER

USER = textwrap.dedent('''\
    from minitree import DecisionTreeRegressor, GradientBoostingRegressor, cluster
    DecisionTreeRegressor(criterion="friedman_mse")
    DecisionTreeRegressor(criterion="mse")
    DecisionTreeRegressor(criterion="mae")
    GradientBoostingRegressor(criterion="friedman_mse")
    GradientBoostingRegressor(loss="ls")
    GradientBoostingRegressor(loss="deviance")
    cluster(X, init="random")
''')


def _scan(kb, root: Path, version: str, code: str) -> None:
    names = ["DecisionTreeRegressor", "GradientBoostingRegressor", "cluster"]
    src = write_tree(root, {"pyproject.toml": f'[project]\nname = "minitree"\nversion = "{version}"\n',
                            "minitree/__init__.py": f"from ._tree import {', '.join(names)}\n__all__ = {names!r}\n",
                            "minitree/_tree.py": code})
    scan(kb, [str(src)], show_progress=False, workers=1)


def _db(root: Path, releases: list[tuple[str, str]]) -> Path:
    path = root / "k.db"
    kb = open_db(path)
    try:
        for version, code in releases:
            _scan(kb, root / version, version, code)
    finally:
        kb.close()
    return path


def _row(db: Path, api: str, parameter: str) -> dict:
    kb = open_db(db)
    try:
        return rows_of(kb, "minitree")[(api, parameter)]
    finally:
        kb.close()


def _messages(db: Path) -> dict[int, str]:
    """The `check` message of each line of USER (0-based) that has a parameter finding."""
    return {r.line: r.message for r in find_references(USER, index_of(db)) if r.parameter}


@pytest.fixture(scope="module")
def old_only(tmp_path_factory) -> Path:
    return _db(tmp_path_factory.mktemp("old"), [("1.1", OLD)])


@pytest.fixture(scope="module", params=["old first", "new first"])
def both(request, tmp_path_factory) -> Path:
    releases = [("1.1", OLD), ("1.9", NEW)]
    return _db(tmp_path_factory.mktemp("both"), releases if request.param == "old first" else releases[::-1])


def test_two_values_deprecated_in_different_releases_each_tell_their_own(old_only):
    messages = _messages(old_only)
    assert messages[5] == ("value 'ls' of parameter 'loss' of minitree.GradientBoostingRegressor is deprecated since "
                           "1.0 (to be removed in 1.2); use 'squared_error', which is equivalent")
    # the row's dates are the earliest of both: 1.0 and 1.2
    assert messages[6] == ("value 'deviance' of parameter 'loss' of minitree.GradientBoostingRegressor is deprecated "
                           "since 1.1 (to be removed in 1.3); use 'log_loss', which is equivalent")


def test_a_value_first_warned_of_by_a_newer_release_takes_none_of_the_older_values_dates(both):
    messages = _messages(both)
    # 'friedman_mse' says when it goes, not since when; 1.0 and 1.2 are 'mse''s
    assert messages[1] == ("value 'friedman_mse' of parameter 'criterion' of minitree.DecisionTreeRegressor is "
                           "deprecated (to be removed in 1.11); use 'squared_error', which is equivalent")
    assert messages[2] == ("value 'mse' of parameter 'criterion' of minitree.DecisionTreeRegressor is deprecated "
                           "since 1.0 (removed in 1.2); use 'squared_error', which is equivalent")
    # passing `criterion` at all: 1.9's words, not 1.1's of 'mse' (the row's since and removal);
    # 1.9 says "It has no effect", so the call may leave it out (test_ignored_parameters.py)
    assert messages[4] == ("parameter 'criterion' of minitree.GradientBoostingRegressor is deprecated since 1.9 "
                           "(to be removed in 1.11) and has no effect; leave it out")
    row = _row(both, "minitree.GradientBoostingRegressor", "criterion")
    assert (row["since"], row["removed_in"]) == ("1.0", "1.2")


def test_a_value_the_newer_release_no_longer_warns_of_was_removed(both):
    messages = _messages(both)
    # 1.1 gave 'mae' no removal, 1.9 still warns of `criterion` but not of it: gone by 1.9
    assert messages[3] == ("value 'mae' of parameter 'criterion' of minitree.DecisionTreeRegressor is deprecated "
                           "since 1.0 (gone by 1.9); use 'absolute_error', which is equivalent")
    row = _row(both, "minitree.DecisionTreeRegressor", "criterion")
    assert row["timelines"] == {"values": {
        "'friedman_mse'": {"first_seen": "1.9", "last_seen": "1.9", "removed_in": "1.11", "removal": "planned"},
        "'mae'": {"first_seen": "1.1", "last_seen": "1.1", "since": "1.0", "removed_in": "1.9", "removal": "gone"},
        # its own removal, 1.2, is no later than what 1.9 shows: it stands
        "'mse'": {"first_seen": "1.1", "last_seen": "1.1", "since": "1.0", "removed_in": "1.2", "removal": "removed"}}}


def test_check_json_hover_db_show_and_export_tell_the_value_s_dates(both, tmp_path, monkeypatch):
    (tmp_path / "uses.py").write_text(USER)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    found = json.loads(runner.invoke(app, ["check", "uses.py", "--db", str(both), "--format", "json"]).stdout)
    by_line = {f["line"]: f for f in found if f["parameter"]}
    assert [(by_line[n]["since"], by_line[n]["removed_in"], by_line[n]["removal"]) for n in (2, 3, 4, 5)] == [
        (None, "1.11", "planned"), ("1.0", "1.2", "removed"), ("1.0", "1.9", "gone"), ("1.9", "1.11", "planned")]

    knowledge = load(both, Settings())
    try:
        [ref] = [r for r in find_references(USER, knowledge.index) if r.line == 3 and r.parameter]
        hover = hover_text(ref, knowledge, markdown=False)
    finally:
        knowledge.close()
    assert "Since minitree 1.0, gone by 1.9 (still in 1.1)" in hover.splitlines()

    shown = runner.invoke(app, ["db", "show", "minitree.DecisionTreeRegressor(criterion=)", "--db", str(both)]).stdout
    assert [line.strip() for line in shown.splitlines() if "timeline" in line] == [
        "timeline 'friedman_mse': to be removed in 1.11, seen in 1.9",
        "timeline 'mae': since 1.0, gone by 1.9, seen in 1.1",
        "timeline 'mse': since 1.0, removed in 1.2, seen in 1.1"]

    recs = exported_of(both)
    assert recs[("minitree.GradientBoostingRegressor", "criterion")]["timelines"] == {
        "any": {"first_seen": "1.9", "last_seen": "1.9", "since": "1.9", "removed_in": "1.11", "removal": "planned"},
        "values": {"'mse'": {"first_seen": "1.1", "last_seen": "1.1", "since": "1.0", "removed_in": "1.2",
                             "removal": "removed"}}}


def test_a_value_its_evidence_gives_no_dates_takes_the_row_s(old_only):
    # 'random''s warning says no version; the docstring that dates `init` names no value
    assert _messages(old_only)[7] == "value 'random' of parameter 'init' of minitree.cluster is deprecated since 0.9"
    row = _row(old_only, "minitree.cluster", "init")
    assert row["timelines"] == {"values": {"'random'": {"first_seen": "1.1", "last_seen": "1.1", "removal": None}}}


def test_a_database_of_the_previous_schema_gains_the_timelines_at_the_next_scan(tmp_path):
    path = _db(tmp_path, [("1.1", OLD), ("1.9", NEW)])
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE deprecations DROP COLUMN timelines")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0012_timelines'")
    conn.commit()
    conn.close()
    # migrated, every use has its row's dates until the next scan reads the releases again
    assert _messages(path)[1] == ("value 'friedman_mse' of parameter 'criterion' of minitree.DecisionTreeRegressor "
                                  "is deprecated since 1.0 (removed in 1.2); use 'squared_error', which is equivalent")
    kb = open_db(path)
    try:
        kb.db.execute("UPDATE files SET sha256 = ''")       # as after an upgrade: the scanner's code changed
        kb.db.conn.commit()
        for version, code in (("1.1", OLD), ("1.9", NEW)):
            _scan(kb, tmp_path / version, version, code)
    finally:
        kb.close()
    messages = _messages(path)
    assert messages[1].startswith("value 'friedman_mse' of parameter 'criterion' of minitree.DecisionTreeRegressor "
                                  "is deprecated (to be removed in 1.11)")
    assert "since 1.0 (gone by 1.9)" in messages[3]
