"""Deprecated parameter values the library names an equivalent of: mined from its words, stored
per value, shown by `check`, rewritten by `fix`, and made into contrastive pairs and probes."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.check import fix_source
from apimigrate.db import open_db
from apimigrate.evaluate.probe import DEPRECATED, MISMATCH, REPLACEMENT, classify
from apimigrate.scan.runner import scan
from apimigrate.scan.parameter_usage import equivalent_values, usage_from_text
from apimigrate.unlearn.pairs import pairs_in_source
from scan_support import exported_of, rows_of, write_tree


# ---- the library's words -------------------------------------------------------------------

@pytest.mark.parametrize("text, parameter, values, expected", [
    # scikit-learn 1.0 BaseDecisionTree.fit, one warning per value under `if self.criterion == "mse":`
    ("Criterion 'mse' was deprecated in v1.0 and will be removed in version 1.2. "
     "Use `criterion='squared_error'` which is equivalent.", "criterion", ["'mse'"], {"'mse'": "'squared_error'"}),
    # ... the docstring directive says it with double quotes; only the value it names maps
    ('Criterion "mse" was deprecated in v1.0 and will be removed in version 1.2. '
     'Use `criterion="squared_error"` which is equivalent.', "criterion", ["'mae'", "'mse'"],
     {"'mse'": "'squared_error'"}),
    # scikit-learn 1.0 GradientBoosting: a bare literal
    ("The loss 'ls' was deprecated in v1.0 and will be removed in version 1.2. Use 'squared_error' "
     "which is equivalent.", "loss", ["'ls'"], {"'ls'": "'squared_error'"}),
    # scikit-learn 1.1 HistGradientBoostingClassifier: f"The loss '{self.loss}' ...": every guarded value
    ("The loss '{}' was deprecated in v1.1 and will be removed in version 1.3. Use 'log_loss' which is "
     "equivalent.", "loss", ["'auto'", "'binary_crossentropy'"],
     {"'auto'": "'log_loss'", "'binary_crossentropy'": "'log_loss'"}),
    # scikit-learn 1.1 trees
    ("`max_features='auto'` has been deprecated in 1.1 and will be removed in 1.3. To keep the past "
     "behaviour, explicitly set `max_features='sqrt'`.", "max_features", ["'auto'"], {"'auto'": "'sqrt'"}),
    # scikit-learn 1.9
    ('Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11. It maps to '
     '`"squared_error"` as both were always equivalent. Use `criterion="squared_error"` to remove this '
     'warning.', "criterion", ["'friedman_mse'"], {"'friedman_mse'": "'squared_error'"}),
    # another value, not the same behaviour: pandas' parquet engine, torch.stft's output format
    ("The 'fastparquet' engine is deprecated and will be removed in a future version. Use 'pyarrow' "
     "instead.", "engine", ["'fastparquet'"], {}),
    ("``return_complex=False`` is deprecated, instead use ``return_complex=True`` Note that calling "
     ":func:`torch.view_as_real` on the output will recover the deprecated output format.",
     "return_complex", ["False"], {}),
    # another parameter's value is no equivalent of this one's
    ("Use metric_mds={} instead of metric={}. The support for metric={True/False} will be dropped in 1.10.",
     "metric", ["False", "True"], {}),
    ("'alphas=None' is deprecated and will be removed in 1.11, at which point the default value will be "
     "set to 100. Set 'alphas=100' to silence this warning.", "alphas", ["None"], {}),
    # pandas 3.1 Timedelta (timedeltas.pyx): two lists as long, value for value
    ("Allowing the values `w`, `d`, `MIN`, `MS`, `US` and `NS` to denote units are deprecated in favour "
     "of the values `W`, `D`, `min`, `ms`, `us` and `ns`.", "unit", ["'MIN'", "'MS'", "'NS'", "'US'", "'d'", "'w'"],
     {"'w'": "'W'", "'d'": "'D'", "'MIN'": "'min'", "'MS'": "'ms'", "'US'": "'us'", "'NS'": "'ns'"}),
    # ... lists of other lengths pair nothing
    ("Allowing the values `w` and `d` to denote units are deprecated in favour of the values `W`, `D` and `h`.",
     "unit", ["'d'", "'w'"], {}),
    # pandas 2.2 to_timedelta: quoted, the new values first
    ("Units 'H', 'T', 'S', 'L', 'U' and 'N' are deprecated and will be removed in a future version. Please use "
     "'h', 'min', 's', 'ms', 'us', and 'ns' instead of 'H', 'T', 'S', 'L', 'U' and 'N'.", "unit",
     ["'H'", "'L'", "'N'", "'S'", "'T'", "'U'"],
     {"'H'": "'h'", "'T'": "'min'", "'S'": "'s'", "'L'": "'ms'", "'U'": "'us'", "'N'": "'ns'"}),
    # ... but one value instead of another is another choice, and lists of other lengths pair nothing
    ("The 'fastparquet' engine is deprecated. Use 'pyarrow' instead of 'fastparquet'.", "engine",
     ["'fastparquet'"], {}),
    ("Units 'T' and 'L' are deprecated. Please use 'min', 'ms' and 'us' instead of 'T' and 'L'.", "unit",
     ["'L'", "'T'"], {}),
])
def test_equivalents_come_only_from_words_that_say_so(text, parameter, values, expected):
    assert equivalent_values(text, parameter, values) == expected


def test_a_value_named_before_was_deprecated_is_the_deprecated_value():
    # scikit-learn 1.0: the parameter, then the value, then "was deprecated"
    assert usage_from_text("Criterion 'mse' was deprecated in v1.0", "criterion") == (["value"], ["'mse'"])
    assert usage_from_text("The loss 'squared_loss' was deprecated in v1.0", "loss") == (["value"], ["'squared_loss'"])


# ---- the scan ------------------------------------------------------------------------------

_TREE = '''
import warnings


class DecisionTreeRegressor:
    def __init__(self, criterion="squared_error", max_features=None):
        self.criterion = criterion
        self.max_features = max_features

    def fit(self, X, y):
        if self.criterion == "mse":
            warnings.warn(
                "Criterion 'mse' was deprecated in v1.0 and will be "
                "removed in version 1.2. Use `criterion='squared_error'` "
                "which is equivalent.",
                FutureWarning,
            )
        elif self.criterion == "mae":
            warnings.warn(
                "Criterion 'mae' was deprecated in v1.0 and will be "
                "removed in version 1.2. Use `criterion='absolute_error'` "
                "which is equivalent.",
                FutureWarning,
            )
        if self.max_features == "auto":
            if y is None:
                warnings.warn("`max_features='auto'` has been deprecated in 1.0 and will be removed in 1.3. "
                              "To keep the past behaviour, explicitly set `max_features='sqrt'`.", FutureWarning)
            else:
                warnings.warn("`max_features='auto'` has been deprecated in 1.0 and will be removed in 1.3. "
                              "To keep the past behaviour, explicitly set `max_features=1.0`.", FutureWarning)
'''


def _scan(kb, root: Path, version: str, tree: str) -> None:
    src = write_tree(root, {"pyproject.toml": f'[project]\nname = "minitree"\nversion = "{version}"\n',
                            "minitree/__init__.py": "from ._tree import DecisionTreeRegressor\n"
                                                    "__all__ = ['DecisionTreeRegressor']\n",
                            "minitree/_tree.py": tree})
    scan(kb, [str(src)], show_progress=False, workers=1)


@pytest.fixture(scope="module")
def tree_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    kb = open_db(root / "k.db")
    try:
        _scan(kb, root / "v1", "1.0", _TREE)
    finally:
        kb.close()
    return root / "k.db"


def _rows(db: Path) -> dict:
    kb = open_db(db)
    try:
        return rows_of(kb, "minitree")
    finally:
        kb.close()


def _index(db: Path) -> DeprecationIndex:
    kb = open_db(db)
    try:
        return DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    finally:
        kb.close()


def test_each_warning_maps_its_own_value_and_two_equivalents_of_one_value_map_none(tree_db):
    rows = _rows(tree_db)
    criterion = rows[("minitree.DecisionTreeRegressor", "criterion")]
    assert json.loads(criterion["new_values"]) == {"'mae'": "'absolute_error'", "'mse'": "'squared_error'"}
    # 'sqrt' for a classifier, 1.0 for a regressor: no single rewrite is right
    auto = rows[("minitree.DecisionTreeRegressor", "max_features")]
    assert (auto["usage"], auto["param_values"], auto["new_values"]) == ("value", "[\"'auto'\"]", None)


def test_export_carries_the_equivalents(tree_db):
    recs = exported_of(tree_db)
    assert recs[("minitree.DecisionTreeRegressor", "criterion")]["new_values"] == {
        "'mae'": "'absolute_error'", "'mse'": "'squared_error'"}
    assert recs[("minitree.DecisionTreeRegressor", "max_features")]["new_values"] == {}


def test_the_newer_release_names_the_equivalent_in_either_order(tmp_path):
    newer = _TREE.replace("`criterion='squared_error'`", "`criterion='l2'`")
    for order in (("1.0", _TREE, "1.1", newer), ("1.1", newer, "1.0", _TREE)):
        kb = open_db(tmp_path / f"{order[0]}.db")
        try:
            _scan(kb, tmp_path / f"a{order[0]}", order[0], order[1])
            _scan(kb, tmp_path / f"b{order[0]}", order[2], order[3])
            row = rows_of(kb, "minitree")[("minitree.DecisionTreeRegressor", "criterion")]
        finally:
            kb.close()
        assert json.loads(row["new_values"]) == {"'mae'": "'absolute_error'", "'mse'": "'l2'"}, order


# ---- check and fix -------------------------------------------------------------------------

_USER = textwrap.dedent('''\
    from minitree import DecisionTreeRegressor
    a = DecisionTreeRegressor(criterion="mse")
    b = DecisionTreeRegressor('mae', max_features="auto")
    c = DecisionTreeRegressor(criterion="squared_error")
    d = DecisionTreeRegressor(criterion=r"mse")
''')


def test_check_names_the_equivalent_and_fix_writes_it_in_the_code_s_quotes(tree_db):
    index = _index(tree_db)
    refs = find_references(_USER, index)
    by_line = {(r.line, r.value): r for r in refs}
    assert sorted(by_line) == [(1, "'mse'"), (2, "'auto'"), (2, "'mae'"), (4, "'mse'")]
    assert by_line[(1, "'mse'")].message.endswith("use 'squared_error', which is equivalent")
    assert by_line[(2, "'auto'")].rewrite is None            # its two equivalents disagree
    fixed, count, left = fix_source(_USER, index)
    assert count == 3
    assert fixed.splitlines() == [
        "from minitree import DecisionTreeRegressor",
        'a = DecisionTreeRegressor(criterion="squared_error")',
        "b = DecisionTreeRegressor('absolute_error', max_features=\"auto\")",     # by position too
        'c = DecisionTreeRegressor(criterion="squared_error")',
        "d = DecisionTreeRegressor(criterion='squared_error')",                   # a raw string: as stored
    ]
    assert [(r.line, r.value) for r in left] == [(2, "'auto'")]


# ---- pairs and probes ----------------------------------------------------------------------

def test_a_value_with_an_equivalent_makes_a_pair_and_its_probe_reads_the_literal(tree_db):
    index = _index(tree_db)
    pairs, dropped, _ = pairs_in_source(_USER, index, "code.py")
    got = {(p.line, p.mapping): p for p in pairs}
    key = "minitree.DecisionTreeRegressor(criterion='mse') -> minitree.DecisionTreeRegressor(criterion='squared_error')"
    assert sorted(got) == [(1, key), (2, "minitree.DecisionTreeRegressor(criterion='mae') -> "
                                         "minitree.DecisionTreeRegressor(criterion='absolute_error')"), (4, key)]
    assert dropped == {"no exact rewrite": 1}
    pair = got[(1, key)]
    assert (pair.kind, pair.parameter, pair.value, pair.replacement) == (
        "value", "criterion", "'mse'", "'squared_error'")
    assert [pair.deprecated_line[a:b] for a, b in pair.deprecated_spans] == ['"mse"']
    assert [pair.replacement_line[a:b] for a, b in pair.replacement_spans] == ['"squared_error"']
    record = pair.as_dict()
    assert classify(record, pair.deprecated_line, index) == DEPRECATED
    assert classify(record, pair.replacement_line, index) == REPLACEMENT
    assert classify(record, "a = DecisionTreeRegressor(criterion='absolute_error')", index) == MISMATCH
    assert classify(record, "a = 1", index) == MISMATCH
    by_position = got[(2, "minitree.DecisionTreeRegressor(criterion='mae') -> "
                          "minitree.DecisionTreeRegressor(criterion='absolute_error')")].as_dict()
    assert classify(by_position, "b = DecisionTreeRegressor('absolute_error')", index) == REPLACEMENT
    assert classify(by_position, "b = DecisionTreeRegressor('mae')", index) == DEPRECATED
