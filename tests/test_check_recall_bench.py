"""benchmarks/check_recall.py: which test blocks count as a use the library expects to warn."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from check_recall import blocks_of  # noqa: E402

TESTS = '''\
import warnings
import pytest
import pandas._testing as tm
from numpy.testing import assert_warns


def test_a(df):
    with tm.assert_produces_warning(Pandas4Warning, match="applymap"):
        df.applymap(f)
        df.applymap(g)
    with pytest.warns(UserWarning):
        df.plot()
    with pytest.warns((RuntimeWarning, FutureWarning)):
        old()
    with pytest.deprecated_call():
        older()
    with warnings.catch_warnings(), pytest.warns(expected_warning=DeprecationWarning):
        oldest()
    with pytest.raises(ValueError):
        bad()
    assert_warns(DeprecationWarning, np.product, [1])
    with assert_warns(DeprecationWarning):
        np.product([2])
    assert_warns(UserWarning, g, 1)
'''


def test_blocks_are_the_deprecation_asserting_bodies(tmp_path: Path) -> None:
    path = tmp_path / "test_x.py"
    path.write_text(TESTS)
    blocks = sorted(blocks_of(path, "pkg/tests/test_x.py"), key=lambda b: b.first)
    assert [(b.first, b.last, b.category) for b in blocks] == [
        (8, 10, "Pandas4Warning"),          # the with line and its body
        (13, 14, "FutureWarning"),          # one of a tuple
        (15, 16, "DeprecationWarning"),
        (17, 18, "DeprecationWarning"),     # the keyword, beside another context manager
        (21, 21, "DeprecationWarning"),     # numpy's call form
        (22, 23, "DeprecationWarning")]
    assert blocks[0].text == "df.applymap(f)"


NUMPY_STYLE = '''\
class TestLibImports(_DeprecationTestCase):
    def test_calls(self):
        self.assert_deprecated(lambda: row_stack([[]]))
        self.assert_deprecated(np.finfo, args=(None,))
        self.assert_not_deprecated(np.finfo, args=(1.0,))

    def test_helper(self):
        x = 1

        def assign_to_index():
            a.flat[True] = 10

        self.assert_deprecated(assign_to_index)


class TestScalar(_VisibleDeprecationTestCase):
    def test_it(self):
        self.assert_deprecated(
            lambda: np.sctype2char(1))


class _DeprecationTestCase:
    def assert_not_deprecated(self, function):
        self.assert_deprecated(function, num=0, ignore_others=True)
'''


def test_numpys_assert_deprecated_counts_from_the_def_it_is_handed(tmp_path: Path) -> None:
    path = tmp_path / "test_deprecations.py"
    path.write_text(NUMPY_STYLE)
    blocks = sorted(blocks_of(path, "numpy/tests/test_deprecations.py"), key=lambda b: b.first)
    assert [(b.first, b.last, b.category) for b in blocks] == [
        (3, 3, "DeprecationWarning"),
        (4, 4, "DeprecationWarning"),       # assert_not_deprecated expects none
        (10, 13, "DeprecationWarning"),     # from the def the test defines, not `x = 1` above it
        (18, 19, "VisibleDeprecationWarning")]   # num=0 in the machinery expects none
    assert blocks[0].text == "self.assert_deprecated(lambda: row_stack([[]]))"


SKLEARN_STYLE = '''\
def test_n_jobs():
    lr = LogisticRegression(
        n_jobs=1)
    msg = "'n_jobs' has no effect"
    with pytest.warns(FutureWarning, match=msg):
        lr.fit(X, y)
    with pytest.warns(FutureWarning):
        other.fit(X)
    with pytest.warns(FutureWarning):
        np.product([1])
'''


def test_a_block_knows_the_constructor_of_its_receiver(tmp_path: Path) -> None:
    """scikit-learn warns in `fit` of what the constructor was given, and check reports it at the
    constructor: the block records that binding's lines (counted apart, never as found)."""
    path = tmp_path / "test_y.py"
    path.write_text(SKLEARN_STYLE)
    blocks = sorted(blocks_of(path, "sklearn/tests/test_y.py"), key=lambda b: b.first)
    assert [(b.first, b.constructor) for b in blocks] == [(5, (2, 3)), (7, None), (9, None)]
