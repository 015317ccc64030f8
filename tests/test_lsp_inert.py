"""Shifting findings past inert edits gives exactly what a from-scratch check finds.

The property test drives the LSP's own pieces (Document edits -> Checker on
the worker's code path) through thousands of random keystrokes, words and
deletions, in batches, and after every batch compares the checker's findings
(shifted or re-resolved) with a fresh parse and resolution of the same text.
"""
from __future__ import annotations

import random

import pytest
from lsprotocol import types

from apimigrate.callsites import DeprecationIndex, find_references, parse
from apimigrate.db import ClassFacts
from apimigrate.lsp.checker import Checker
from apimigrate.lsp.diagnostics import JsonCache, diagnostics_json
from apimigrate.lsp.documents import Document
from apimigrate.lsp.inert import RESERVED, index_words, inert_words, verify, word_edit


def _row(i, api, kind, replacement=None, parameter="", new_parameter=None, confidence=0.9, **usage):
    return {"id": i, "library": api.split(".")[0], "api": api, "kind": kind, "parameter": parameter,
            "new_parameter": new_parameter, "replacement": replacement, "since": "2.0", "removed_in": None,
            "message": "m", "confidence": confidence, **usage}


ROWS = [
    _row(1, "numpy.row_stack", "function", "numpy.vstack"),
    _row(2, "pandas.DataFrame.applymap", "method", "pandas.DataFrame.map", confidence=0.5),
    _row(3, "scipy.integrate.simps", "function", "scipy.integrate.simpson"),
    _row(4, "pandas.read_csv", "parameter", parameter="delim_whitespace", new_parameter="sep_ws"),
    _row(5, "numpy.product", "function", "numpy.prod"),
    _row(6, "numpy.core", "module", "numpy._core"),
    _row(7, "sklearn.tree.DecisionTreeRegressor", "parameter", parameter="criterion", usage="value",
         param_values="[\"'friedman_mse'\"]", position=-1),
]
# What typed receivers meet in `chained` below: a property's class, an accessor's.
TYPED_ROWS = ROWS + [
    _row(8, "pandas.io.formats.style.Styler.applymap", "method", "pandas.io.formats.style.Styler.map"),
    _row(9, "pandas.core.indexes.accessors.DatetimeProperties.weekday", "attribute",
         "pandas.core.indexes.accessors.DatetimeProperties.day_of_week", drop_in=1),
]

# pandas' classes as the scan stores them: receivers built as or annotated with a DataFrame are typed.
CLASSES = ClassFacts(
    members=frozenset({"pandas.DataFrame.applymap", "pandas.DataFrame.map", "pandas.core.generic.NDFrame.pipe"}),
    bases={"pandas.DataFrame": ("pandas.core.generic.NDFrame",), "pandas.core.generic.NDFrame": ()},
    # read_csv's overloads as the scan stores them: `iterator=True` a reader, else a DataFrame
    returns={"pandas.read_csv": [
        {"params": [["path", "pos", False], ["iterator", "kw", False], ["kwds", "kwargs", True]],
         "literals": {"iterator": ["True"]}, "returns": None, "overload": True},
        {"params": [["path", "pos", False], ["iterator", "kw", True], ["chunksize", "kw", True],
                    ["engine", "kw", True], ["sep", "kw", True]],
         "literals": {"chunksize": ["None"], "engine": ["'c'"]}, "returns": "pandas.DataFrame", "overload": True}]})
# With a property, an accessor and `-> Self`, for `chained` below (TYPED_ROWS).
_PROPERTY = {"params": [], "literals": {}, "types": {}, "annotations": {}, "overload": False, "property": True}
TYPED_CLASSES = ClassFacts(
    members=CLASSES.members | {
        "pandas.DataFrame.style", "pandas.core.generic.NDFrame.copy", "pandas.Series.dt",
        "pandas.io.formats.style.Styler.applymap", "pandas.io.formats.style.Styler.map",
        "pandas.core.indexes.accessors.DatetimeProperties.weekday",
        "pandas.core.indexes.accessors.DatetimeProperties.day_of_week", "pandas.Timestamp.weekday"},
    bases={**CLASSES.bases, "pandas.Series": ("pandas.core.generic.NDFrame",), "pandas.io.formats.style.Styler": (),
           "pandas.core.indexes.accessors.DatetimeProperties": (), "pandas.Timestamp": ()},
    returns={**CLASSES.returns,
             "pandas.DataFrame.style": [{**_PROPERTY, "returns": "pandas.io.formats.style.Styler"}],
             "pandas.Series.dt": [{**_PROPERTY, "returns": "pandas.core.indexes.accessors.DatetimeProperties",
                                   "accessor": True}],
             "pandas.core.generic.NDFrame.copy": [{"params": [["deep", "pos", True]], "literals": {},
                                                   "returns": "Self", "overload": False}]})

SOURCE = '''"""Module docstring with np.row_stack and words."""
try:
    import numpy as np
except ImportError:  # fallback
    np = None
import pandas as pd
from pandas import (
    DataFrame as DF,
)
from scipy.integrate import simps
from sklearn.tree import DecisionTreeRegressor as DTR
if True: import numpy.core as nc


def step(alpha, beta, frame, total=0):
    """Docstring: alpha beta \\N{DASH} and \\x41bc."""
    total = np.row_stack([alpha, beta]) + np.row_stack([beta])  # comment np here
    other = frame.applymap(str)
    data = pd.read_csv("f.csv", delim_whitespace=True, other_kw=1)
    area = simps(alpha) + np.product(beta)
    model = DTR(criterion="friedman_mse", max_depth=alpha) or DTR(criterion='gini')
    text = f"{alpha!r} and {np.row_stack(beta)} x" + rb'raw\\d' + 'é'
    value = 1.e5 + 0x1f + 3j + alpha.real
    print(total, other, data, area, text, value, \\
          beta)
    return DF(total)


class Holder:
    def method(self, np):
        return np.row_stack([self])

    async def run(self, items):
        match items:
            case [first, *rest]:
                return first
        return [x for x in items if x]


class Grid:
    def applymap(self, f):
        return self.applymap(f)


def typed(grid: Grid, other, frame):
    grid.applymap(str)
    other.applymap(str)
    return Grid.applymap(frame)


NP2 = np.__version__ >= "2"


def compat(x):
    return np.row_stack(x) if not NP2 else np.product(x) if np.__version__ < "2" else x


try:
    from numpy import prod
except ImportError:
    from numpy import product as prod


def legacy(x):
    major = np.__version__[:2]
    if major == "1.":
        return np.row_stack(x), prod(x), Grid(x).applymap(str)
    if not hasattr(np, "trapezoid") or NP_LT_2:
        return np.row_stack(x)
    return nc if is_numpy_available("2.0") else str(x).applymap(x)


def load() -> Optional[Grid]:
    return None


def loaded(f):
    cfg = load()
    return cfg.applymap(f), Holder.get().applymap(f)


def built(f, frame: DF | None):
    made = pd.DataFrame(f)
    return made.applymap(f), frame.applymap(f), DF(f).applymap(f)


def optional(path):
    pytest.importorskip("numpy.core.numeric")
    mod = importlib.import_module("numpy.core")
    top = __import__("numpy")
    return mod.product(path), top.product(path), __import__("numpy.core", fromlist=["x"])


def read(path):
    table = pd.read_csv(path, engine="c")
    return table.applymap(str), pd.read_csv(path, chunksize=None).applymap(str)


def guarded(f, g):
    if isinstance(f, Grid):
        f.applymap(g)
    elif isinstance(g, (pd.DataFrame, DF)) and f:
        g = g.applymap(f)
        return g.applymap(f) if isinstance(g, Grid | str) else g


@functools.lru_cache(maxsize=None)
def factory(path):
    return pd.read_csv(path)


def from_factory(path, n):
    got = factory(path)
    return got.applymap(str), factory(path).applymap(str), walk(n).applymap(str)


def walk(n):
    if n:
        return walk(n - 1)
    return factory(n)


def chained(path, s, x):
    made = pd.read_csv(path)
    made = made.copy()
    made.style.applymap(str)
    if not isinstance(x, DF):
        raise TypeError(x)
    return made.applymap(str), x.applymap(str), s.dt.weekday, pd.Series(s).dt.weekday
'''

PIECES_CHARS = list("axe_1frbuz") + [" ", "(", ")", ".", "'", '"', "#", "\\", ":", "\n", ",", "=", "{"]
PIECES_WORDS = ["np", "row_stack", "vstack", "simpson", "import", "print", "if", "match", "f", "rb",
                "sep_ws", "delim_whitespace", "applymap", "DF", "pd", "numpy", "None", "total", "value",
                "map", "prod", "core", "await", "friedman_mse", "gini",
                # names a by-name match's receiver is judged by (callsites/receivers.py)
                "Grid", "grid", "self", "other", "frame", "str", "Holder", "made", "DataFrame",
                # what compatibility branches are judged by (callsites/compat.py)
                "NP2", "__version__", "not", "major", "ImportError", "is_numpy_available", "prod", "product",
                "legacy", '"1."', '"2.0"', "==", "hasattr", "NP_LT_2", "NP_GE_2",
                # what the file's own functions say they return
                "load", "Optional", "Union", "cfg", "get",
                # isinstance guards
                "isinstance", "g", "and", "or", "elif",
                # what a library function returns, by its overloads
                "read_csv", "chunksize", "iterator", "True", "engine", "table", '"c"', '"python"',
                # properties, accessors, names rebound from themselves, guards that leave
                "style", "copy", "made", "dt", "weekday", "raise", "Series",
                # what the file's own unannotated functions return
                "factory", "got", "return", "yield", "async", "lru_cache", "contextmanager", "walk", "@",
                # modules imported by a call, named in a string
                "importorskip", "import_module", "__import__", "importlib", "pytest", '"numpy.core"', "mod", "top"]


def _key(refs):
    return [(r.api, r.line, r.col, r.end_line, r.end_col, r.kind, r.confidence, r.by_name, r.compat, r.parameter,
             tuple(r.rewrite.edits) if r.rewrite else None, r.rewrite.description if r.rewrite else None)
            for r in refs]


def _change_at(doc: Document, pos: int, end: int, new: str) -> types.TextDocumentContentChangePartial:
    """The LSP change replacing text[pos:end] (character offsets) by `new`."""
    text = doc.source.decode()

    def position(offset: int) -> types.Position:
        before = text[:offset]
        line = before.count("\n")
        col = len(before) - (before.rfind("\n") + 1)
        return types.Position(line=line, character=doc.char_to_utf16(line, col))
    return types.TextDocumentContentChangePartial(range=types.Range(start=position(pos), end=position(end)), text=new)


def _random_edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    """(start, end, new text) in character offsets: mostly keystrokes, in words more often than not."""
    word_positions = [i for i, ch in enumerate(text) if ch.isalnum() or ch == "_"]
    pos = rng.choice(word_positions) if word_positions and rng.random() < 0.8 else rng.randrange(len(text) + 1)
    roll = rng.random()
    end = pos
    if roll < 0.4:
        new = rng.choice("abcdexyz_0123456789") if rng.random() < 0.85 else rng.choice(PIECES_CHARS)
    elif roll < 0.7:
        new, end = "", min(len(text), pos + 1)
    elif roll < 0.85:
        new = rng.choice(PIECES_WORDS)
    else:
        new = rng.choice(PIECES_WORDS)
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
    return pos, end, new


@pytest.mark.parametrize("seed", range(6))
def test_inert_path_equals_a_fresh_check_after_random_edits(seed: int) -> None:
    index = DeprecationIndex.from_rows(TYPED_ROWS, TYPED_CLASSES)
    rng = random.Random(seed)
    checker = Checker()
    cache = JsonCache()         # the server's reuse of diagnostics JSON across edits
    doc = Document.from_text("file:///t.py", 0, SOURCE)
    checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    version = 0
    undo: list[tuple[int, int, str]] = []      # inverse edits: backspacing keeps the file near valid
    broken = False
    for step in range(600):
        if step % 150 == 149:                  # back to the clean file now and then (a whole-text change)
            version += 1
            doc.apply(types.TextDocumentContentChangeWholeDocument(text=SOURCE), version)
            undo.clear()
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            text = doc.source.decode()
            if undo and rng.random() < (0.85 if broken else 0.3):
                pos, end, new = undo.pop()
            else:
                pos, end, new = _random_edit(rng, text)
                undo.append((pos, pos + len(new), text[pos:end]))
            version += 1
            doc.apply(_change_at(doc, pos, end, new), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        fresh = parse(doc.source)
        broken = fresh.root_node.has_error
        want = find_references(doc.source, index, tree=fresh)
        assert _key(got) == _key(want), (seed, step, doc.source.decode())
        assert cache.items(doc, got, 2, True) == diagnostics_json(doc, got, 2, True)
        # The plain entry point (pre-check, own parse) agrees too.
        assert _key(find_references(doc.source, index)) == _key(want)
    # Both paths really ran (edits of the names by-name and compat verdicts read, `self` `Grid`
    # `frame` `major` `NP_LT_2` `Optional` `made` `dt`..., are never inert: 48-71 of 600 batches stay inert
    # over these seeds).
    assert checker.stats["inert"] > 40, checker.stats
    assert checker.stats["full"] > 100, checker.stats


def _we(line: str, start: int, end: int, text: str):
    return word_edit(line, 0, 0, start, end, text)


def _verdict(source: str, start: int, end: int, text: str, words: frozenset[str] = frozenset()) -> bool:
    """Would the edit replacing source[start:end] (on the first line) by `text` be taken as inert?"""
    line = source.split("\n")[0]
    we = _we(line, start, end, text)
    if we is None or not inert_words(we, words):
        return False
    tree = parse(source.encode())
    return not tree.root_node.has_error and verify(tree.root_node, we, [])


def test_word_edits_that_could_change_findings_are_never_inert() -> None:
    words = index_words(DeprecationIndex.from_rows(ROWS)) | {"np", "numpy", "pd"}
    assert _verdict("x = total + 1\n", 5, 5, "z", words)                 # inside a local name
    assert _verdict("x = 1  # a comment\n", 12, 12, "q", words)          # a new word in a comment
    assert _verdict("x = 'some text'\n", 9, 9, "q", words)               # inside a string
    assert not _verdict("x = total\n", 4, 9, "np", words)                # becomes an alias
    assert not _verdict("x = vstac\n", 9, 9, "k", words)                 # a replacement's free name
    assert not _verdict("f(sep_w=1)\n", 7, 7, "s", words)                # a parameter's new name
    assert not _verdict("f(criterion='friedman_ms')\n", 24, 24, "e", words)  # becomes a deprecated value
    assert not _verdict("f(criterion='friedman_mse')\n", 24, 25, "", words)  # stops being one
    assert not _verdict("x = 'a'\n", 4, 4, "f", words)                   # a string prefix (no word yet)
    assert not _verdict("x = b'a'\n", 4, 4, "f", words)                  # a string prefix
    assert not _verdict("x = y'a'\n", 4, 5, "f", words)                  # broken code: tree has an error
    assert not _verdict("x = 1.e5\n", 6, 6, "x", words)                  # part of a number
    assert not _verdict("x = prin\n", 8, 8, "t", words)                  # a grammar keyword (Python 2 print)
    assert not _verdict("x = matc\n", 8, 8, "h", words)                  # a soft keyword
    assert not _verdict("x = a if b else c\n", 7, 8, "", words)          # a keyword edited
    assert not _verdict("x = a\n", 4, 5, "", words)                      # a word removed from code
    assert not _verdict("x = a \n", 6, 6, "b", words)                    # a word added to code
    assert not _verdict('x = "\\N{DASH}"\n', 9, 9, "X", words)            # inside an escape
    assert not _verdict('x = "\\xab"\n', 7, 7, "c", words)               # after a backslash
    assert not _verdict("x = f'{a!r}'\n", 9, 9, "s", words)              # a conversion
    assert not _verdict("x = 'é' + abc\n", 11, 11, "d", words)           # a non-ASCII line
    assert {"print", "exec", "match", "case", "type", "import", "async", "await", "None"} <= RESERVED


def test_import_words_come_from_the_tree() -> None:
    from apimigrate.lsp.inert import import_words
    src = b"x = 1; import numpy as nx\nif y: from a.b import (c as d,\n  e)\ns = 'import q'\n"
    words = import_words(src, parse(src))
    assert {"numpy", "nx", "a", "b", "c", "d", "e"} <= words and "q" not in words and "x" not in words


def test_typing_an_isinstance_guard_into_being_is_never_inert() -> None:
    """`if isinstanc(x, Grid):` + `e` makes a guard that settles `x.applymap` (the file's own
    class: no finding); deleting that `e`, or renaming the tested name, undoes it."""
    src = "import pandas as pd\nclass Grid: pass\ndef f(x):\n    if isinstance(x, Grid):\n        x.applymap(str)\n"
    index = DeprecationIndex.from_rows(ROWS, CLASSES)
    checker = Checker()
    doc = Document.from_text("file:///g.py", 0, src)
    assert checker.references_now(doc.uri, doc.source, doc.take_pending(), index) == []
    at, tested = src.index("isinstance") + 9, src.index("(x,") + 1
    for version, (pos, end, new) in enumerate([(at, at + 1, ""), (at, at, "e"), (tested, tested + 1, "y")], 1):
        doc.apply(_change_at(doc, pos, end, new), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        assert _key(got) == _key(find_references(doc.source, index, tree=parse(doc.source)))
        assert len(got) == (0 if new == "e" else 1)


def test_editing_what_picks_an_overload_is_never_inert() -> None:
    """`chunksize=None` picks read_csv's overload returning a DataFrame (an exact finding);
    misspelling the keyword, or `engine="c"` -> `engine="cx"`, leaves none that fits (by name);
    so does `se=`, a keyword no overload knows, until it is typed into `sep=`."""
    src = 'import pandas as pd\ndf = pd.read_csv(p, chunksize=None, engine="c")\ndf.applymap(str)\n'
    index = DeprecationIndex.from_rows(ROWS, CLASSES)
    checker = Checker()
    doc = Document.from_text("file:///r.py", 0, src)
    first = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    assert [r.by_name for r in first] == [False]
    keyword, literal = src.index("chunksize") + 9, src.index('"c"') + 2
    for version, (pos, end, new, by_name) in enumerate([(keyword, keyword, "x", True), (keyword, keyword + 1, "", False),
                                                        (literal, literal, "x", True)], 1):
        doc.apply(_change_at(doc, pos, end, new), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        assert _key(got) == _key(find_references(doc.source, index, tree=parse(doc.source)))
        assert [r.by_name for r in got] == [by_name]
    src = 'import pandas as pd\ndf = pd.read_csv(p, se=",")\ndf.applymap(str)\n'
    doc = Document.from_text("file:///s.py", 0, src)
    assert [r.by_name for r in checker.references_now(doc.uri, doc.source, doc.take_pending(), index)] == [True]
    doc.apply(_change_at(doc, src.index("se=") + 2, src.index("se=") + 2, "p"), 1)
    got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    assert [r.by_name for r in got] == [False]


def test_editing_an_accessor_or_a_property_name_is_never_inert() -> None:
    """`x.dt.weekday` is matched by the accessor's name (`Timestamp.weekday` lives): `dt` -> `dtx`
    leaves nothing to report, and back; `df.style.applymap` is Styler's, `df.stylex.applymap` by name."""
    index = DeprecationIndex.from_rows(TYPED_ROWS, TYPED_CLASSES)
    checker = Checker()
    src = "import pandas as pd\ndf = pd.read_csv(p)\ndf['d'].dt.weekday\ndf.style.applymap(str)\n"
    doc = Document.from_text("file:///a.py", 0, src)
    first = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
    assert [(r.api.rsplit(".", 2)[-2], r.by_name) for r in first] == [("DatetimeProperties", True),
                                                                      ("Styler", False)]
    dt, style = src.index(".dt.") + 3, src.index(".style.") + 6
    for version, (pos, end, new, count) in enumerate([(dt, dt, "x", 1), (dt, dt + 1, "", 2),
                                                      (style, style, "x", 2)], 1):
        doc.apply(_change_at(doc, pos, end, new), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        assert _key(got) == _key(find_references(doc.source, index, tree=parse(doc.source)))
        assert len(got) == count


def test_a_method_another_project_file_gains_or_loses_is_seen_by_the_next_edit(tmp_path) -> None:
    """`x.applymap(f)` on a value of unknown class is matched by name unless the project's own code
    defines an `applymap` (callsites/project.py, `defines_member`). That file need not be imported by
    the one being edited, so the next keystroke there, however inert, must notice it was saved."""
    from pygls.uris import from_fs_path
    pkg = tmp_path / "proj"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    src = "import pandas as pd\n\n\ndef f(x):\n    x.applymap(str)\n\n\ny = 1\n"
    (pkg / "use.py").write_text(src)
    other = pkg / "frames.py"
    other.write_text("class Grid:\n    pass\n")
    index = DeprecationIndex.from_rows(ROWS, CLASSES)
    checker = Checker()
    doc = Document.from_text(from_fs_path(str(pkg / "use.py")), 0, src)
    assert [r.api for r in checker.references_now(doc.uri, doc.source, doc.take_pending(), index)] \
        == ["pandas.DataFrame.applymap"]
    edits = [(other, "class Grid:\n    def applymap(self, f):\n        return self\n", 0),
             (other, "class Grid:\n    def apply(self, f):\n        return self\n", 1),
             (pkg / "sub" / "grids.py", "class Tiles:\n    def applymap(self, f):\n        return self\n", 0)]
    for version, (file, text, count) in enumerate(edits, 1):
        file.parent.mkdir(exist_ok=True)
        file.write_text(text)
        at = doc.source.decode().index("y = ") + 4
        doc.apply(_change_at(doc, at, at + 1, str(version + 1)), version)    # `y = 2`: inert
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        assert len(got) == count, (version, got)
    full = checker.stats["full"]
    doc.apply(_change_at(doc, len(doc.source), len(doc.source), "z = 3\n"), len(edits) + 1)
    assert len(checker.references_now(doc.uri, doc.source, doc.take_pending(), index)) == 0
    assert checker.stats["full"] == full           # nothing changed on disk: the edit alone is checked


def _edit_and_compare(src: str, steps: list[tuple[int, int, str, int]]) -> None:
    """Each step (start, end, new text, findings after it), checked by the LSP's checker on its
    code path and against a fresh check of the same text; the text starts with one finding."""
    index = DeprecationIndex.from_rows(ROWS, CLASSES)
    checker = Checker()
    doc = Document.from_text("file:///t.py", 0, src)
    assert len(checker.references_now(doc.uri, doc.source, doc.take_pending(), index)) == 1
    for version, (pos, end, new, count) in enumerate(steps, 1):
        doc.apply(_change_at(doc, pos, end, new), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), index)
        assert _key(got) == _key(find_references(doc.source, index, tree=parse(doc.source)))
        assert len(got) == count, (version, doc.source)


def test_editing_a_module_imported_through_a_call_is_never_inert() -> None:
    """`np = pytest.importorskip("numpy")` binds `np` as an import does: renaming the name it binds,
    the module it names or the function it calls changes what `np.product` is, so none of those
    edits is inert or checked as its own region."""
    src = 'import pytest\n\nnp = pytest.importorskip("numpy")\n\nnp.product([1])\n'
    name, module, func = src.index("np ="), src.index('"numpy"') + 1, src.index("importorskip")
    steps = [(name, name + 2, "nq", 0), (name, name + 2, "np", 1), (module, module + 5, "numpyx", 0),
             (module, module + 6, "numpy", 1), (func, func + 12, "importorskipped", 0), (func, func + 15, "importorskip", 1)]
    _edit_and_compare(src, steps)


def test_editing_the_module_an_unassigned_import_call_names_rechecks_it() -> None:
    """`pytest.importorskip("numpy.core")` imports the deprecated module whatever becomes of its
    result: editing the string, the builtin's or the function's name changes the finding."""
    src = 'import pytest\n\npytest.importorskip("numpy.core")\n\n__import__("numpy")\n'
    core, top, func = src.index("core"), src.index('"numpy")') + 6, src.index("importorskip")
    steps = [(core, core + 4, "corex", 0), (core, core + 5, "core", 1), (top, top, ".core", 2),
             (func, func + 12, "importorskipped", 1), (func, func + 15, "importorskip", 2),
             (top - 5, top - 4, "_", 1)]    # `__import__("_umpy.core")`
    _edit_and_compare(src, steps)
