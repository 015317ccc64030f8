"""By-name matches and what the resolver can tell about their receiver.

Found by checking real code (transformers, narwhals, pandas' own tests) against a DB of the
installed numpy, pandas, scipy and scikit-learn: `packaging.version.parse(...)` reported as the
deprecated `pandas.ExcelFile.parse`, `inference_session.get_output(...)` (a parameter annotated
with the file's own class) as a numpy.distutils method, `self.native.__getitem__(...)` as
pandas' `GroupByNthSelector.__getitem__`.
"""
from __future__ import annotations

import pytest

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.callsites.index import DATA_MODEL_NAMES
from apimigrate.db.records import ClassFacts
from test_callsites_support import build_db, db_rows


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> DeprecationIndex:
    db = build_db(tmp_path_factory.mktemp("db") / "kb.sqlite")
    return DeprecationIndex.from_rows(db_rows(db))


def flagged_lines(src: str, index: DeprecationIndex) -> list[int]:
    """Lines (0-based) with a by-name finding of `applymap`."""
    return [r.line for r in find_references(src, index) if r.by_name and r.api == "pandas.DataFrame.applymap"]


HEAD = "import pandas as pd\nimport packaging.version\nfrom .grids import Sheet\n"


def test_a_path_from_another_module_or_the_files_own_class_is_not_a_library_value(index):
    src = HEAD + (
        "packaging.version.applymap(f)\n"      # 3: a dotted path from a foreign module
        "Sheet.applymap(f)\n"                  # 4: a relative import is the project's own
        "class Grid:\n"
        "    def applymap(self, f):\n"
        "        return self.applymap(f)\n"    # 7: self in a class deriving from nothing
        "Grid.applymap(f)\n"                   # 8
        "frame.applymap(f)\n"                  # 9: unknown: still matched by name
    )
    assert flagged_lines(src, index) == [9]


def test_self_in_a_class_deriving_from_a_library_class_is_still_matched(index):
    src = "import pandas as pd\n" + (
        "class Frame(pd.DataFrame):\n"
        "    def go(self):\n"
        "        return self.applymap(str)\n"          # 3
        "class Child(Frame):\n"
        "    def go(self):\n"
        "        return self.applymap(str)\n"          # 6: through the file's own base
        "class Mixed(Helper, pd.DataFrame):\n"
        "    def go(self):\n"
        "        return self.applymap(str)\n"          # 9
        "class Made(make_base()):\n"
        "    def go(self):\n"
        "        return self.applymap(str)\n"          # 12: a base we cannot read
        "class Plain(object):\n"
        "    @property\n"
        "    def go(self):\n"
        "        return self.applymap(str)\n"          # 16: decorated method of a plain class
    )
    assert flagged_lines(src, index) == [3, 6, 9, 12]


def test_annotated_parameters_and_constructed_locals(index):
    src = HEAD + (
        "class Session:\n"
        "    pass\n"
        "def typed(s: Session, t: Session | None, u: str, v: pd.DataFrame, w: 'Session', x):\n"
        "    s.applymap(f)\n"                  # 6: own class
        "    t.applymap(f)\n"                  # 7: own class or None
        "    u.applymap(f)\n"                  # 8: a builtin type
        "    v.applymap(f)\n"                  # 9: a library class
        "    w.applymap(f)\n"                  # 10: a string annotation is not read
        "    x.applymap(f)\n"                  # 11: untyped
        "def built():\n"
        "    a = Session()\n"
        "    a.applymap(f)\n"                  # 14: built by the file's own class
        "    b = load()\n"
        "    b.applymap(f)\n"                  # 16: a function may return a DataFrame
        "    c = Session()\n"
        "    c = pd.read_csv(p)\n"
        "    c.applymap(f)\n"                  # 19: one of its bindings is a library value
        "    d: Session = get()\n"
        "    d.applymap(f)\n"                  # 21: annotated local
        "    e = packaging.load_frame()\n"
        "    e.applymap(f)\n"                  # 23: another module's function may return a DataFrame
        "    g = packaging.Version()\n"
        "    g.applymap(f)\n"                  # 25: another module's class
    )
    assert flagged_lines(src, index) == [9, 10, 11, 16, 19, 23]


def test_a_value_built_in_place_is_judged_by_its_constructor(index):
    # pandas' own io/json: `FrameParser(json, **kwargs).parse()` was reported as `ExcelFile.parse`.
    src = HEAD + (
        "class Parser:\n"
        "    pass\n"
        "Parser(x).applymap(f)\n"               # 5: the file's own class
        "Sheet(x).applymap(f)\n"                # 6: the project's own (relative import)
        "str(x).applymap(f)\n"                  # 7: a builtin type
        "'-'.applymap(f)\n"                     # 8: a literal
        "[1, 2].applymap(f)\n"                  # 9
        "pd.DataFrame(x).applymap(f)\n"         # 10: a library class
        "load(x).applymap(f)\n"                 # 11: a function: may return a DataFrame
        "Frame(x).applymap(f)\n"                # 12: a name we cannot read
        "make()(x).applymap(f)\n"               # 13
    )
    assert flagged_lines(src, index) == [10, 11, 12, 13]


def test_a_parameter_shadows_a_module_level_definition_of_the_same_name(index):
    # pytest fixtures: `def frame(): ...` at module level, `def test_x(frame):` takes its value.
    src = "import pandas as pd\n" + (
        "def frame():\n"
        "    return pd.DataFrame()\n"
        "def test_x(frame):\n"
        "    frame.applymap(str)\n"            # 4
        "frame.applymap(str)\n"                # 5: here `frame` is the function
    )
    assert flagged_lines(src, index) == [4]


def test_special_method_names_are_never_matched_by_name(tmp_path):
    rows = [
        ("pandas.core.groupby.indexing.GroupByNthSelector.__getitem__", "method", "pandas.core.groupby.GroupBy.nth",
         None, None, None, None, ("warning",)),
        ("pandas.DataFrame.__dataframe__", "method", None, "3.0.0", None, None, None, ("warning",)),
        ("pandas.Index.__init__", "parameter", None, "2.0", None, "tupleize_cols", None, ("warning",)),
    ]
    idx = DeprecationIndex.from_rows(db_rows(build_db(tmp_path / "kb.sqlite", rows)))
    assert {"__getitem__", "__init__", "__call__", "__matmul__", "__enter__"} <= DATA_MODEL_NAMES
    src = ("import pandas as pd\n"
           "x = native.__getitem__(key)\n"
           "super().__init__(tupleize_cols=True)\n"
           "y = frame.__dataframe__()\n")
    found = [(r.line, r.api) for r in find_references(src, idx)]
    # `__dataframe__` is a protocol of its own, not a special method every class has.
    assert found == [(3, "pandas.DataFrame.__dataframe__")]


def test_typing_wrappers_are_read_through(index):
    # `df: Optional[pd.DataFrame]` had been taken for a non-library value: `Optional` is imported from typing.
    src = "import pandas as pd\nimport typing\nfrom typing import Annotated, Optional, Union\nclass Cfg: pass\n" + (
        "def f(a: Optional[pd.DataFrame], b: typing.Union[pd.DataFrame, None], c: Annotated[pd.DataFrame, 'x'],\n"
        "      d: Optional[Cfg], e: Union[Cfg, str, None], g: Annotated[Cfg, 'x'], h: Union[Cfg, pd.DataFrame]):\n"
        "    a.applymap(f)\n"                  # 6
        "    b.applymap(f)\n"                  # 7
        "    c.applymap(f)\n"                  # 8
        "    d.applymap(f)\n"                  # 9: the file's own class or None
        "    e.applymap(f)\n"                  # 10
        "    g.applymap(f)\n"                  # 11
        "    h.applymap(f)\n"                  # 12: one member may be a DataFrame
    )
    assert flagged_lines(src, index) == [6, 7, 8, 12]


def test_what_the_files_own_functions_are_annotated_to_return(index):
    # pandas' own `_parser = ArrowStringArrayMixin._re_parser()` (`-> ModuleType`) then `_parser.parse(pat)`.
    src = "import pandas as pd\nfrom types import ModuleType\n" + (
        "class Mixin:\n"
        "    @staticmethod\n"
        "    def _re_parser() -> ModuleType: ...\n"
        "    def names(self) -> list[str]: ...\n"
        "    def frame(self) -> pd.DataFrame: ...\n"
        "    def walk(self):\n"
        "        p = Mixin._re_parser()\n"
        "        p.applymap(f)\n"              # 9: a module, by its annotation
        "        n = self.names()\n"
        "        n.applymap(f)\n"              # 11: a list
        "        self.names().applymap(f)\n"   # 12
        "        fr = self.frame()\n"
        "        fr.applymap(f)\n"             # 14: annotated to be a DataFrame
        "        o = self.other()\n"
        "        o.applymap(f)\n"              # 16: not defined here: may come from a library base
        "def load() -> Mixin: ...\n"
        "def untyped(): ...\n"
        "def use(load_arg):\n"
        "    m = load()\n"
        "    m.applymap(f)\n"                  # 21: the file's own class
        "    u = untyped()\n"
        "    u.applymap(f)\n"                  # 23: no annotation: may return a DataFrame
        "    load().applymap(f)\n"             # 24
        "def shadow():\n"
        "    def load() -> pd.DataFrame: ...\n"
        "    load().applymap(f)\n"             # 27: a local `load` shadows the module's
    )
    assert flagged_lines(src, index) == [14, 16, 23, 27]


def test_module_level_names_in_scripts_and_notebooks(index):
    src = "import pandas as pd\nimport configparser\n" + (
        "def load() -> configparser.ConfigParser: ...\n"
        "cfg = load()\n"
        "cfg.applymap(f)\n"                    # 4: every binding is a ConfigParser
        "parser = configparser.ConfigParser()\n"
        "parser.applymap(f)\n"                 # 6: `reset` rebinds it (`global`): unknown
        "frame = load()\n"
        "frame = pd.read_csv(p)\n"
        "frame.applymap(f)\n"                  # 9: one binding may be a DataFrame
        "for row in rows:\n"
        "    row.applymap(f)\n"                # 11: a loop variable: unknown
        "def use():\n"
        "    cfg.applymap(f)\n"                # 13: the module's cfg
        "    parser.applymap(f)\n"             # 14: rebound below through `global`
        "def reset():\n"
        "    global parser\n"
        "    parser = pd.DataFrame()\n"
    )
    assert flagged_lines(src, index) == [6, 9, 11, 14]


def test_an_isinstance_guard_tells_the_receivers_class(index):
    # xarray's `if isinstance(other, DataArray | Dataset): other = other.reindex_like(self, copy=False)`
    # had been matched by name against pandas' NDFrame.reindex_like.
    src = "import pandas as pd\nfrom .core import DataArray, Dataset\n" + (
        "def f(a, b, c, d, e, g):\n"
        "    if isinstance(a, DataArray | Dataset):\n"
        "        a = a.applymap(f)\n"                          # 4: the value is read before `a` is rebound
        "    if isinstance(b, (DataArray, str)) and b:\n"
        "        b.applymap(f)\n"                              # 6
        "    elif isinstance(c, Dataset):\n"
        "        c.applymap(f)\n"                              # 8: an elif's guard
        "    if isinstance(d, pd.DataFrame):\n"
        "        d.applymap(f)\n"                              # 10: a library class
        "    else:\n"
        "        a.applymap(f)\n"                              # 12: not under a guard of `a`
        "        d.applymap(f)\n"                              # 13: the else branch: anything but
        "    if isinstance(e, (DataArray, pd.DataFrame)):\n"
        "        e.applymap(f)\n"                              # 15: one of them may be a library's
        "    if isinstance(g, Dataset):\n"
        "        g = load()\n"
        "        g.applymap(f)\n"                              # 18: rebound under the guard
        "    x = e.applymap(f) if isinstance(e, Dataset) else None\n"   # 19
        "    if isinstance(a, Dataset) or a:\n"
        "        a.applymap(f)\n"                              # 21: `or` guards nothing
    )
    assert flagged_lines(src, index) == [10, 12, 13, 15, 18, 21]


def test_comments_inside_an_isinstance_guard_change_nothing(index):
    src = "import pandas as pd\nfrom .core import Dataset\n" + (
        "def f(e, h):\n"
        "    x = (\n"
        "        e.applymap(f)  # type: ignore\n"            # 4: guarded, the comment notwithstanding
        "        if isinstance(e, Dataset)\n"
        "        else None\n"
        "    )\n"
        "    if not isinstance(h, Dataset):\n"
        "        return None\n"
        "        # nothing else to do\n"
        "    return h.applymap(f)\n"                         # 11: past the exit, h is a Dataset
    )
    assert flagged_lines(src, index) == []


def test_a_method_named_like_a_builtin_and_not_called_is_not_matched_by_name():
    """xarray 2026.9: `xp.bool_ if hasattr(xp, "bool_") else xp.bool`, an array namespace's dtype,
    was reported as pandas 2.2's `NDFrame.bool()` (gone from pandas 3: no live namesake vetoes it)."""
    row = {"id": 1, "library": "pandas", "api": "pandas.core.generic.NDFrame.bool", "kind": "method",
           "parameter": "", "new_parameter": None, "replacement": None, "since": "2.1.0", "removed_in": None,
           "message": "NDFrame.bool is now deprecated", "confidence": 0.9, "drop_in": 0}
    idx = DeprecationIndex.from_rows([row])
    src = "import pandas as pd\nt = xp.bool\nok = frame.bool()\n"
    assert [(r.line, r.by_name) for r in find_references(src, idx)] == [(2, True)]


@pytest.fixture(scope="module")
def npz_index(tmp_path_factory) -> DeprecationIndex:
    """A scan of pandas 3.x knows no `iteritems` (gone in 2.0, no notes read); numpy's removed
    `NpzFile.iteritems` is the only member of that name."""
    from test_callsites_support import ROWS
    rows = [r for r in ROWS if not r[0].endswith(".iteritems")] + [
        ("numpy.lib.npyio.NpzFile.iteritems", "method", None, "1.15", "1.23.0", None, None, ("changelog",))]
    db = build_db(tmp_path_factory.mktemp("npz") / "kb.sqlite", rows)
    classes = ClassFacts(members=frozenset({"pandas.DataFrame.items", "numpy.lib.npyio.NpzFile.items"}),
                         bases={"pandas.DataFrame": (), "numpy.lib.npyio.NpzFile": ()})
    return DeprecationIndex.from_rows(db_rows(db), classes)


def test_a_name_last_given_a_library_value_on_every_path_is_of_that_library(npz_index):
    """seaborn 0.11 (categorical.py): under `isinstance(data, pd.DataFrame)`, `plot_data = data[order]`
    then `plot_data.iteritems()`: a pandas value, not numpy's NpzFile, though the function binds
    `plot_data` to a list further down. Where a branch or a loop between may have rebound the name,
    its value is unknown and the name alone decides, as before."""
    src = (
        "import numpy as np\n"
        "import pandas as pd\n"
        "def f(data, order, paths, c):\n"
        "    if isinstance(data, pd.DataFrame):\n"
        "        plot_data = data[order]\n"
        "        it = plot_data.iteritems()\n"          # 5: pandas'
        "        plot_data = [x for x in it]\n"
        "    frame = pd.DataFrame(data)\n"
        "    rows = frame['a']\n"
        "    if c:\n"
        "        rows = np.load(paths[0])\n"
        "    rows.iteritems()\n"                        # 11: the branch may have rebound it
        "    arr = frame['b']\n"
        "    for p in paths:\n"
        "        arr.iteritems()\n"                     # 14: an earlier round may have rebound it
        "        arr = np.load(p)\n"
        "    col = frame['c']\n"
        "    col.iteritems()\n"                         # 17: pandas'
        "    with open(paths[0]) as col:\n"
        "        col.iteritems()\n"                     # 19: the with rebinds it
    )
    found = [r.line for r in find_references(src, npz_index) if r.api == "numpy.lib.npyio.NpzFile.iteritems"]
    assert found == [11, 14, 19]
