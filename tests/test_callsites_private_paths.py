"""A library name imported from where it is defined, not from its public home, is the same API.

scikit-learn's own tests import `d2_log_loss_score` from `sklearn.metrics._classification`, pandas'
import `is_datetime64tz_dtype` from `pandas.core.dtypes.common`, and older user code does the same
(`from pandas.core.frame import DataFrame`). The scan stores those other paths of deprecated names
and classes (`aliases`, scan/names.py `private_paths`); check reads a use through them as the
public name (callsites/index.py `canonical`). benchmarks/check_recall.py found these misses.
"""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.check.fixer import fix_source
from scan_support import scan_library

IMPL = '''\
import warnings


def new_func(x, y=None):
    return x


def old_func(x, y=None):
    warnings.warn("old_func is deprecated, use new_func instead", DeprecationWarning)
    return new_func(x, y)


def scale(x, size=None, factor=None):
    if factor is not None:
        warnings.warn("`factor` was renamed to `size` in version 2.0", FutureWarning)
    return x


class Frame:
    def to_map(self, f):
        return f

    def applymap(self, f):
        warnings.warn("Frame.applymap is deprecated, use Frame.to_map instead", FutureWarning)
        return self.to_map(f)
'''

FILES = {"plib/__init__.py": "from plib._impl import Frame, new_func, old_func, scale\n",
         "plib/_impl.py": IMPL,
         "plib/api.py": "from plib._impl import old_func\n"}


def _index(tmp_path: Path) -> DeprecationIndex:
    kb = scan_library(tmp_path, "plib", "2.0", FILES)
    return DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())


def found(src: str, index: DeprecationIndex) -> list[tuple[int, str, str, str | None]]:
    return [(r.line, r.code, r.api, r.parameter) for r in find_references(src, index)]


def test_the_scan_stores_where_else_deprecated_names_and_classes_live(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "plib", "2.0", FILES)
    aliases = kb.class_facts().aliases
    assert aliases["plib._impl.old_func"] == "plib.old_func"
    assert aliases["plib.api.old_func"] == "plib.old_func"          # a re-export elsewhere
    assert aliases["plib._impl.Frame"] == "plib.Frame"
    assert aliases["plib._impl.scale"] == "plib.scale"
    # a live function is no row's name: nothing to find through its other path
    assert "plib._impl.new_func" not in aliases and "plib._impl.warnings" not in aliases


def test_uses_through_the_defining_module_are_the_public_apis(tmp_path: Path) -> None:
    index = _index(tmp_path)
    src = ("from plib._impl import old_func, scale, Frame\n"
           "import plib._impl as impl\n"
           "old_func(1)\n"                              # 2
           "impl.old_func(2)\n"                         # 3
           "scale(x, factor=2)\n"                       # 4
           "impl.scale(x, factor=3)\n"                  # 5
           "f = Frame()\n"
           "f.applymap(g)\n"                            # 7: typed through the private class path
           "new = impl.new_func(1)\n"
           "Frame.applymap(f, g)\n")                   # 9: the member through the class's other path
    assert found(src, index) == [
        (0, "APIM001", "plib.old_func", None), (2, "APIM001", "plib.old_func", None),
        (3, "APIM001", "plib.old_func", None), (4, "APIM002", "plib.scale", "factor"),
        (5, "APIM002", "plib.scale", "factor"), (7, "APIM001", "plib.Frame.applymap", None),
        (9, "APIM001", "plib.Frame.applymap", None)]


def test_fixes_move_to_the_public_home_not_to_the_private_module(tmp_path: Path) -> None:
    index = _index(tmp_path)
    fixed, _, _ = fix_source("from plib._impl import old_func\nold_func(1)\n", index)
    assert fixed == "from plib import new_func\nnew_func(1)\n"
    # `impl.new_func` would rely on the private module having the replacement: spell it from its home
    fixed, _, _ = fix_source("import plib._impl as impl\nimpl.old_func(2)\n", index)
    assert fixed == "import plib._impl as impl\nfrom plib import new_func\nnew_func(2)\n"
    fixed, _, _ = fix_source("import plib._impl as impl\nimpl.scale(x, factor=3)\n", index)
    assert fixed == "import plib._impl as impl\nimpl.scale(x, size=3)\n"


def test_a_database_from_before_the_aliases_learns_them_at_the_next_rescan(tmp_path: Path) -> None:
    from apimigrate.scan.runner import scan
    kb = scan_library(tmp_path, "plib", "2.0", FILES)
    kb.db.execute("DELETE FROM aliases")
    assert not kb.class_facts().aliases
    [report] = scan(kb, [str(tmp_path / "src")], show_progress=False, workers=1)
    assert report.read == 0                                        # from the stored facts
    assert kb.class_facts().aliases["plib._impl.old_func"] == "plib.old_func"
