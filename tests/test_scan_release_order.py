"""Two releases of one library scanned into a database in either order give the same knowledge: what
the newer release no longer has is marked removed in it, and what the older one's deprecated methods
returned still types the code that calls them (`df = df.applymap(f)` after pandas 3 removed it)."""
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
