"""A keyword the library says it ignores now is reported as such, and `fix` leaves it out.

pandas 3 documents `copy=` of `rename`, `reindex`, `astype`, `merge` & co. as "This keyword is ignored
and will be removed in pandas 4.0" (Copy-on-Write); pandas 2 read it. scikit-learn 1.9 says of
`GradientBoostingClassifier(criterion=)` "It has no effect". Leaving such a keyword out changes
nothing, so the call can lose it; the library below is cut down from pandas 2.2 and 3.1.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apimigrate.callsites import DeprecationIndex
from apimigrate.check import fix_source
from apimigrate.db import open_db
from apimigrate.db.export import records
from apimigrate.scan.runner import scan
from unlearn_support import write_tree

_DIRECTIVE_3 = '''
        copy : bool, default False
            This keyword is now ignored; changing its value will have no
            impact on the method.

            .. deprecated:: 3.0.0

                This keyword is ignored and will be removed in pandas 4.0. Since
                pandas 3.0, this method always returns a new object using a lazy
                copy mechanism that defers copies until necessary (Copy-on-Write).
'''

_DIRECTIVE_2 = '''
        copy : bool, default True
            Also copy underlying data.

            .. deprecated:: 2.2.0

                The copy keyword will change meaning in pandas 3.0: use Copy-on-Write instead.
'''


def _release(version: str, directive: str) -> dict[str, str]:
    return {
        "pyproject.toml": f'[project]\nname = "tpd"\nversion = "{version}"\n',
        "tpd/__init__.py": "from tpd.frame import DataFrame, merge\n__all__ = ['DataFrame', 'merge']\n",
        "tpd/frame.py": (
            "import warnings\n\n"
            "class DataFrame:\n"
            "    def rename(self, mapper=None, *, columns=None, copy=None, inplace=False):\n"
            f'        """Rename labels.\n\n        Parameters\n        ----------{directive}        """\n'
            "        return self\n\n"
            "    def describe(self, include=None):\n"
            "        if include is not None:\n"
            "            warnings.warn('`include` is deprecated; it is ignored when the frame has one column',\n"
            "                          FutureWarning)\n"
            "        return self\n\n"
            "def merge(left, right, on=None, copy=None):\n"
            f'    """Merge.\n\n    Parameters\n    ----------\n{textwrap.indent(textwrap.dedent(directive), "    ")}    """\n'
            "    return left\n"),
    }


PANDAS_2, PANDAS_3 = _release("2.2.0", _DIRECTIVE_2), _release("3.1.0", _DIRECTIVE_3)


def _kb(tmp_path: Path, *releases: dict[str, str]):
    kb = open_db(tmp_path / "k.db")
    for i, files in enumerate(releases):
        scan(kb, [str(write_tree(tmp_path / f"r{i}", files))], show_progress=False, workers=1)
    return kb


def _ignored(kb) -> dict[tuple[str, str], int]:
    return {(r["api"], r["parameter"]): r["ignored"] for r in kb.deprecations(["tpd"])}


def test_a_parameter_the_library_says_it_ignores_is_stored_so(tmp_path: Path) -> None:
    kb = _kb(tmp_path, PANDAS_3)
    assert _ignored(kb) == {("tpd.DataFrame.rename", "copy"): 1, ("tpd.merge", "copy"): 1,
                            # ignored only in some calls: it still acts in others
                            ("tpd.DataFrame.describe", "include"): 0}
    exported = {(r["api"], r["parameter"]): r["ignored"] for r in records(kb, ["tpd"])}
    assert exported[("tpd.DataFrame.rename", "copy")] is True


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_the_newest_scanned_release_says_whether_it_is_ignored(tmp_path: Path, order: str) -> None:
    """pandas 2.2 read `copy=` and deprecated its meaning; 3.x ignores it, in whichever order scanned."""
    assert _ignored(_kb(tmp_path / "two", PANDAS_2))[("tpd.DataFrame.rename", "copy")] == 0
    kb = _kb(tmp_path / "both", *([PANDAS_2, PANDAS_3] if order == "old first" else [PANDAS_3, PANDAS_2]))
    assert _ignored(kb)[("tpd.DataFrame.rename", "copy")] == 1


USER = '''\
import tpd
df = tpd.DataFrame()
a = df.rename(columns={"a": "b"}, copy=False)
b = df.rename(
    columns={"a": "b"},
    copy=True,
)
c = tpd.merge(df, df, copy=False, on="a")  # keep this comment
d = df.rename(columns={"a": "b"}, copy=make_copy())
e = df.rename(columns={"a": "b"},  # why
              copy=False)
f = df.describe(include="all")
'''

FIXED = '''\
import tpd
df = tpd.DataFrame()
a = df.rename(columns={"a": "b"})
b = df.rename(
    columns={"a": "b"},
)
c = tpd.merge(df, df, on="a")  # keep this comment
d = df.rename(columns={"a": "b"}, copy=make_copy())
e = df.rename(columns={"a": "b"},  # why
              copy=False)
f = df.describe(include="all")
'''


def test_fix_leaves_an_ignored_keyword_out_and_check_says_why(tmp_path: Path) -> None:
    kb = _kb(tmp_path, PANDAS_3)
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    fixed, applied, left = fix_source(USER, index)
    assert fixed == FIXED
    # computing `make_copy()` may do something; a comment among the arguments could go with the cut
    assert [(r.api, r.line) for r in left] == [("tpd.DataFrame.rename", 7), ("tpd.DataFrame.rename", 9),
                                               ("tpd.DataFrame.describe", 10)]     # 0-based lines
    assert left[0].message == "parameter 'copy' of tpd.DataFrame.rename is deprecated since 3.0.0 " \
                              "(to be removed in 4.0) and has no effect; leave it out"
    assert "leave it out" not in left[2].message
    assert fix_source(fixed, index)[0] == fixed
