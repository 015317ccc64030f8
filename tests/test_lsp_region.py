"""Re-resolving only the edited top-level statements gives exactly what a from-scratch check finds.

The property test types, pastes and deletes whole lines and pieces of lines
(the edits the inert path does not take) in a module with many top-level
statements of every kind that matters to the resolver: module-level uses and
rebindings of aliases, functions that shadow an alias, a from-import whose
rewrite renames every use, a replacement name the fixer needs free. After
every batch the checker's findings (region, inert or full path) are compared
with a fresh parse and resolution of the same text.
"""
from __future__ import annotations

import random

import pytest
from lsprotocol import types

from apimigrate.callsites import DeprecationIndex, find_references, parse
from apimigrate.lsp.checker import Checker
from apimigrate.lsp.diagnostics import JsonCache, diagnostics_json
from apimigrate.lsp.documents import Document
from apimigrate.lsp.region import edited_rows, plan

from test_lsp_inert import CLASSES
from test_lsp_inert import ROWS as INERT_ROWS
from test_lsp_inert import _change_at, _key, _row

# The inert test's deprecations, as drop-ins (so the fixer's rewrites, even across the file, are in play).
ROWS = [dict(r, drop_in=1) for r in INERT_ROWS if r["api"] != "numpy.core"] + \
    [dict(_row(7, "numpy.in1d", "function", "numpy.isin"), drop_in=1),
     dict(_row(8, "numpy.float", "attribute", "builtins.float"), drop_in=1)]

SOURCE = '''import numpy as np
import pandas as pd
from numpy import product
from scipy.integrate import simps

LIMIT = np.row_stack([[1], [2]])


def first(a, b):
    total = np.row_stack([a, b])
    return product(total) + simps(a)


def shadow(np):
    return np.row_stack([np])


def cast(v):
    return np.float(v)


class Frame:
    kind = np.in1d

    def run(self, df):
        out = df.applymap(str)
        return pd.read_csv("f.csv", delim_whitespace=True), out


def third(x):
    # np.row_stack in a comment
    if x:
        return np.product(x)
    return [np.in1d(y, x) for y in x]


for k in range(3):
    LIMIT = np.row_stack([LIMIT, [k]])


def use_grid(f, grid):
    return Grid.applymap(f), grid.applymap(f)


def compat(x):
    return np.row_stack(x) if OLD_NP else np.vstack(x)


def load() -> Grid:
    return make()


cfg = load()


def factory(p):
    return pd.DataFrame(p)


def use_factory(f):
    return factory(f).applymap(f)


def use_cfg(f):
    return cfg.applymap(f), load().applymap(f)
'''

LINES = [
    "    y = np.row_stack([x])\n", "    z = product(y)\n", "np = None\n", "def np():\n    pass\n",
    "vstack = 1\n", "    vstack = 2\n", "x = np.vstack([1])\n", "    isin = 3\n", "import numpy as np\n",
    "    global np\n", "def extra(q):\n    return np.in1d(q, q)\n", "\n", "    \n", "class K:\n    np = 1\n",
    "    return simps(x)\n", "pd = 1\n", "    df.applymap(f)\n", "if True:\n", "    (\n", ")\n",
    "for np in []: pass\n", "float = int\n", "    float = 2\n", "    y = np.float(x)\n", "    data = pd.read_csv('x', delim_whitespace=1)\n", "    def inner(np):\n        return np\n",
    # what a by-name match's receiver is judged by (callsites/receivers.py)
    "class df:\n    pass\n", "class Grid:\n    pass\n", "    class Grid:\n        pass\n", "    df = Grid()\n", "    grid: Grid = make()\n",
    "    grid.applymap(f)\n", "    self.applymap(f)\n", "class Frame(pd.DataFrame):\n    pass\n",
    "def third(Grid):\n    return Grid.applymap(f)\n",
    # what a compatibility branch is judged by (callsites/compat.py)
    "OLD_NP = np.__version__ < '2'\n", "OLD_NP = False\n", "    OLD_NP = 1\n",
    "    major = np.__version__[:2]\n", "    if major == '1.':\n        return np.row_stack(x)\n",
    "OLD_NP = is_numpy_available('2.0')\n", "    Grid(x).applymap(f)\n", "Grid = str\n",
    "    if NP_LT_2:\n        return np.row_stack(x)\n", "NP_LT_2 = 0\n", "    if hasattr(np, 'vstack'):\n",
    # what the file's own functions are annotated to return, module-level names
    "def load() -> pd.DataFrame:\n    pass\n", "def load() -> str:\n    pass\n", "    got = load()\n    got.applymap(f)\n",
    "cfg = load()\n", "cfg = pd.DataFrame()\n", "cfg.applymap(f)\n", "    global cfg\n", "load = make\n",
    "    def load(self) -> Grid:\n        pass\n", "    self.load().applymap(f)\n",
    "    x: Optional[Grid] = make()\n    x.applymap(f)\n", "from typing import Optional\n",
    # what a receiver of a known library class is read from
    "    made = pd.DataFrame(x)\n    made.applymap(f)\n", "made = DF()\n", "made = 1\n", "made.applymap(f)\n",
    "from pandas import DataFrame as DF\n", "def typed(made: pd.DataFrame | None):\n    return made.applymap(f)\n",
    "    DF(x).applymap(f)\n", "DF = list\n",
    # what the file's own unannotated functions return
    "    return pd.DataFrame(x)\n", "    return Grid()\n", "    yield x\n", "    return factory(x)\n",
    "def factory(p):\n    return make()\n", "@lru_cache\n", "@contextmanager\n",
    "async def factory(p):\n    return pd.DataFrame(p)\n", "    got = factory(f)\n    got.applymap(f)\n",
]
PIECES = ["(", ")", ":", "\n", "    ", "np.", "row_stack", "product(", "'", "#", "x", " = ", "[", "]", "vstack"]


def _line_offsets(text: str) -> list[int]:
    out = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append(i + 1)
    return out


def _random_line_edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    """(start, end, new) in characters: paste a line, delete lines, or type a piece somewhere."""
    starts = _line_offsets(text)
    roll = rng.random()
    if roll < 0.35:                                   # paste a whole line (or two)
        at = rng.choice(starts)
        return at, at, rng.choice(LINES)
    if roll < 0.55 and len(starts) > 2:               # delete one to three lines
        i = rng.randrange(len(starts) - 1)
        j = min(len(starts) - 1, i + rng.choice([1, 1, 2, 3]))
        return starts[i], starts[j], ""
    pos = rng.randrange(len(text) + 1)
    if roll < 0.8:
        return pos, pos, rng.choice(PIECES)
    return pos, min(len(text), pos + rng.randrange(1, 4)), ""


@pytest.mark.parametrize("seed", range(8))
def test_region_path_equals_a_fresh_check_after_random_line_edits(seed: int) -> None:
    index = DeprecationIndex.from_rows(ROWS, CLASSES)
    rng = random.Random(1000 + seed)
    checker = Checker()
    cache = JsonCache()
    doc = Document.from_text("file:///r.py", 0, SOURCE)
    checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    version = 0
    undo: list[tuple[int, int, str]] = []
    for step in range(250):
        if step % 80 == 79:
            version += 1
            doc.apply(types.TextDocumentContentChangeWholeDocument(text=SOURCE), version)
            undo.clear()
        for _ in range(rng.choice([1, 1, 2])):
            text = doc.source.decode()
            if undo and rng.random() < 0.4:
                pos, end, new = undo.pop()
            else:
                pos, end, new = _random_line_edit(rng, text)
                undo.append((pos, pos + len(new), text[pos:end]))
            version += 1
            doc.apply(_change_at(doc, pos, end, new), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        want = find_references(doc.source, index, tree=parse(doc.source))
        assert _key(got) == _key(want), (seed, step, doc.source.decode())
        # The server's reused diagnostics JSON is what a fresh conversion gives.
        assert cache.items(doc, got, 2, True) == diagnostics_json(doc, got, 2, True)
    # Lines that bind a name a verdict outside read (`class Grid:`, `OLD_NP = ...`: rule 5) take the
    # full path: 71-123 of 250 batches stay regional over these seeds (90-127 before the lines that
    # type a receiver, `made = pd.DataFrame(x)`, joined; 38-94 while rule 5 declined every region
    # that merely spelled such a name).
    assert checker.stats["region"] > 60, checker.stats
    assert checker.stats["full"] > 20, checker.stats


def _edit(doc: Document, start: int, end: int, new: str):
    doc.apply(_change_at(doc, start, end, new), doc.version + 1)
    return doc.take_pending()


def test_edited_rows_follow_later_edits() -> None:
    doc = Document.from_text("file:///e.py", 0, "a\nb\nc\nd\ne\n")
    edits = _edit(doc, 2, 2, "x\ny\n")          # two rows inserted before row 1
    edits += _edit(doc, 0, 0, "z\n")            # one more before everything
    spans, delta = edited_rows(edits)
    assert delta == 3
    assert sorted(spans) == [(0, 1), (2, 4)]     # the first edit's rows moved down by the second


def test_region_is_the_edited_function_only() -> None:
    doc = Document.from_text("file:///p.py", 0, SOURCE)
    old = parse(doc.source)
    at = SOURCE.index("    return product(total)")
    edits = _edit(doc, at, at, "    w = 1\n")
    edited = old.copy()
    for e in edits:
        edited.edit(start_byte=e.start_byte, old_end_byte=e.old_end_byte, new_end_byte=e.new_end_byte,
                    start_point=e.start_point, old_end_point=e.old_end_point, new_end_point=e.new_end_point)
    new = parse(doc.source, edited)
    region = plan(old, edited, new, edits)
    first_row = SOURCE[:SOURCE.index("def first")].count("\n")
    assert region is not None and (region.r0, region.r1, region.delta) == (first_row, first_row + 3, 1)
    assert doc.source[region.start:region.end].startswith(b"def first(a, b):")
    assert doc.source[region.start:region.end].endswith(b"simps(a)")


@pytest.mark.parametrize("edit, verdict_changes", [
    ("    class Grid:\n        pass\n", True),      # a nested class makes `Grid` the file's own (rule 5)
    ("    Grid = 1\n", False),                      # a local: the other statements' Grid is untouched
    ("    y = Grid(1) + str(2)\n", False),          # spelling the names binds nothing: stays regional
])
def test_a_verdict_outside_the_region_is_read_again_only_when_the_region_binds_its_names(
        edit: str, verdict_changes: bool) -> None:
    index = DeprecationIndex.from_rows(ROWS)
    checker = Checker()
    doc = Document.from_text("file:///v.py", 0, SOURCE)
    before = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    at = SOURCE.index("    return [np.in1d(y, x) for y in x]")     # in `third`, whose rewrites stay inside
    edits = _edit(doc, at, at, edit)
    got = checker.references_now(doc.uri, doc.source, edits, index)
    assert _key(got) == _key(find_references(doc.source, index, tree=parse(doc.source)))
    # `return Grid.applymap(f), grid.applymap(f)`: the first is the file's own class once Grid is defined.
    use_line = doc.source.decode().splitlines().index("    return Grid.applymap(f), grid.applymap(f)")
    assert len([r for r in before if r.by_name and r.line == use_line - edit.count("\n")]) == 2
    assert len([r for r in got if r.by_name and r.line == use_line]) == (1 if verdict_changes else 2)
    assert checker.stats["region"] == (0 if verdict_changes else 1), checker.stats


@pytest.mark.parametrize("text", [SOURCE, SOURCE.replace("import pandas as pd\n", "import pandas as pd\nnp = None\n"),
                                  SOURCE + "def np():\n    pass\n", SOURCE.replace("def shadow(np)", "def shadow(")])
def test_window_resolution_is_the_whole_file_resolution_inside_it(text: str) -> None:
    """find_references_between over any run of top-level statements = the whole file's findings there."""
    from apimigrate.callsites import find_references_between
    index = DeprecationIndex.from_rows(ROWS)
    data = text.encode()
    tree = parse(data)
    whole = find_references(data, index, tree=tree)
    stmts = tree.root_node.children
    compared = declined = 0
    for i in range(len(stmts)):
        for j in range(i, len(stmts)):
            lo, hi = stmts[i].start_byte, stmts[j].end_byte
            rows = (stmts[i].start_point[0], stmts[j].end_point[0])
            want = [r for r in whole if rows[0] <= r.line <= rows[1]]
            got = find_references_between(data, index, tree, lo, hi)
            if got is None:       # a finding in the window has an import's rewrite (all uses renamed)
                assert any(r.rewrite is not None and any(e.line < rows[0] or e.line > rows[1] or r.kind == "import"
                                                         for e in r.rewrite.edits) for r in whole), (i, j)
                declined += 1
                continue
            assert _key(got) == _key(want), (i, j)
            compared += 1
    assert compared >= 10, (compared, declined)


def test_an_edit_of_a_module_level_list_a_parametrize_reads_checks_its_tests_again(tmp_path) -> None:
    """`@pytest.mark.parametrize("path_func", PATHS)` reads `PATHS = [...]`, another top-level
    statement: editing the list must change the findings in the test, as a fresh check would."""
    from apimigrate.db import Deprecation, Evidence, open_db
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        for api in ("sklearn.linear_model.enet_path", "sklearn.linear_model.lasso_path"):
            kb.upsert_deprecation(Deprecation(
                library="sklearn", api=api, kind="parameter", parameter="n_alphas", since="1.8",
                message="`n_alphas` is deprecated.", usage=["any"], position=-1,
                evidence=[Evidence("warning", "lib/mod.py", 10, "1.8", "warnings.warn(...)")]), seen_in="1.8")
    index = DeprecationIndex.from_rows(kb.deprecations())
    kb.close()
    source = ("import pytest\nfrom sklearn.linear_model import enet_path, lasso_path\n\n"
              "PATHS = [enet_path, lasso_path]\n\n\n"
              '@pytest.mark.parametrize("path_func", PATHS)\n'
              "def test_paths(path_func):\n    path_func(X, y, n_alphas=5)\n")
    checker = Checker()
    doc = Document.from_text("file:///t.py", 0, source)
    before = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    assert sorted(r.api for r in before) == ["sklearn.linear_model.enet_path", "sklearn.linear_model.lasso_path"]
    at = source.index(", lasso_path]")
    edits = _edit(doc, at, at + len(", lasso_path"), "")
    got = checker.references_now(doc.uri, doc.source, edits, index)
    assert [r.api for r in got] == ["sklearn.linear_model.enet_path"]
    assert _key(got) == _key(find_references(doc.source, index, tree=parse(doc.source)))
