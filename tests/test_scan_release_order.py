"""Two releases of one library scanned into a database in either order give the same knowledge: what
the newer release no longer has is marked removed in it, what the older one's deprecated methods
returned still types the code that calls them (`df = df.applymap(f)` after pandas 3 removed it), and
a row says what the API was, since when, and in whose words, whichever release came first."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree

OLD = '''"""frames-shaped: release 1.0 deprecates Frame.applymap and old()."""
import warnings

__all__ = ["Frame", "old", "new"]


class Frame:
    def __init__(self, data=None):
        self.data = data

    def map(self, func) -> "Frame":
        return Frame(func(self.data))

    def applymap(self, func) -> "Frame":
        warnings.warn("Frame.applymap has been deprecated. Use Frame.map instead.", FutureWarning, stacklevel=2)
        return self.map(func)


def new(x):
    return x


def old(x):
    warnings.warn("old is deprecated, use new instead", DeprecationWarning, stacklevel=2)
    return new(x)
'''
NEW = '''"""frames-shaped: release 2.0 removed Frame.applymap and old()."""
__all__ = ["Frame", "new"]


class Frame:
    def __init__(self, data=None):
        self.data = data

    def map(self, func) -> "Frame":
        return Frame(func(self.data))


def new(x):
    return x
'''
USER = "import frames\n\n\ndef f(d):\n    df = frames.Frame(d)\n    df = df.applymap(str)\n    return df\n"


def _release(root: Path, version: str, code: str) -> Path:
    return write_tree(root / version, {"pyproject.toml": f'[project]\nname = "frames"\nversion = "{version}"\n',
                                       "frames/__init__.py": code})


@pytest.fixture
def releases(tmp_path: Path) -> dict[str, Path]:
    return {"1.0": _release(tmp_path, "1.0", OLD), "2.0": _release(tmp_path, "2.0", NEW)}


@pytest.mark.parametrize("order", [["1.0", "2.0"], ["2.0", "1.0"]], ids=["oldest-first", "newest-first"])
def test_either_order_marks_the_removals_and_keeps_the_old_returns(releases, tmp_path: Path, order):
    db = tmp_path / "k.db"
    kb = open_db(db)
    for version in order:                    # two runs, as `apimigrate scan` twice would be
        scan(kb, [str(releases[version])], show_progress=False, workers=1)
    rows = {r["api"]: r for r in kb.deprecations(["frames"])}
    assert rows["frames.old"]["removed_in"] == "2.0"
    assert rows["frames.Frame.applymap"]["removed_in"] == "2.0"
    kb.close()

    (tmp_path / "use.py").write_text(USER)
    result = CliRunner().invoke(app, ["check", str(tmp_path / "use.py"), "--db", str(db), "--isolated",
                                      "--format", "json"])
    [finding] = json.loads(result.stdout)
    # df's bindings are a Frame and what applymap returns: a Frame in 1.0, which 2.0 no longer says
    assert (finding["code"], finding["api"]) == ("APIM001", "frames.Frame.applymap"), finding


def _numbers(version: str, names: list[str], msort_says: str, rest: str = "", imports: str = "") -> str:
    """A numpy-shaped `numbers` release: `all` and `sort`, `msort` warning in this release's
    words, and `rest` (what differs between the releases)."""
    return (f'"""numbers {version}."""\nimport warnings\n{imports}\n__all__ = {names!r}\n\n\n'
            "def all(a):\n    return a\n\n\ndef sort(a):\n    return a\n\n\n"
            f"def msort(a):\n    warnings.warn({msort_says!r}, DeprecationWarning, stacklevel=2)\n"
            f"    return sort(a)\n{rest}")


# numpy 1.26-shaped: `alltrue` is a def that warns, `msort` says "1.24".
NUMPY_126 = _numbers("1.26", ["all", "alltrue", "sort", "msort"],
                     "msort is deprecated, use sort(a, axis=0) instead (Deprecated NumPy 1.24)", '''

def alltrue(a):
    warnings.warn("`alltrue` is deprecated as of NumPy 1.25.0, and will be removed in NumPy 2.0. "
                  "Please use `all` instead.", DeprecationWarning, stacklevel=2)
    return all(a)
''')
# numpy 2.0-shaped: `alltrue` is only an entry of the expired-attributes table `__getattr__`
# raises for; `msort` says "1.24.0".
EXPIRED_20 = '''"""
Dict of expired attributes that are discontinued since 2.0 release.
Each item is associated with a migration note.
"""

__expired_attributes__ = {
    "alltrue": "Use `np.all` instead.",
}
'''
NUMPY_20 = _numbers("2.0", ["all", "sort", "msort"],
                    "msort is deprecated since NumPy 1.24.0, use sort(a, axis=0) instead", '''

def __getattr__(attr):
    if attr in __expired_attributes__:
        raise AttributeError(
            f"`np.{attr}` was removed in the NumPy 2.0 release. "
            f"{__expired_attributes__[attr]}"
        )
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
''', imports="\nfrom ._expired_attrs_2_0 import __expired_attributes__\n")


@pytest.mark.parametrize("order", [["1.26", "2.0"], ["2.0", "1.26"]], ids=["oldest-first", "newest-first"])
def test_either_order_gives_one_kind_one_since_spelling_and_the_deprecating_release_words(tmp_path: Path, order):
    trees = {
        "1.26": write_tree(tmp_path / "1.26", {"pyproject.toml": '[project]\nname = "numbers"\nversion = "1.26"\n',
                                               "numbers/__init__.py": NUMPY_126}),
        "2.0": write_tree(tmp_path / "2.0", {"pyproject.toml": '[project]\nname = "numbers"\nversion = "2.0"\n',
                                             "numbers/__init__.py": NUMPY_20,
                                             "numbers/_expired_attrs_2_0.py": EXPIRED_20}),
    }
    kb = open_db(tmp_path / "k.db")
    for version in order:
        scan(kb, [str(trees[version])], show_progress=False, workers=1)
    rows = {r["api"]: r for r in kb.deprecations(["numbers"])}
    kb.close()
    alltrue, msort = rows["numbers.alltrue"], rows["numbers.msort"]
    # 2.0's table entry says less than 1.26's def; 1.26, where it still works, says what it does there
    assert (alltrue["kind"], alltrue["since"], alltrue["removed_in"]) == ("function", "1.25.0", "2.0")
    assert alltrue["message"].startswith("`alltrue` is deprecated as of NumPy 1.25.0"), alltrue["message"]
    # "1.24" and "1.24.0" are one release: stored spelled out
    assert msort["since"] == "1.24.0"
