"""Re-resolve only the top-level statements an edit changed; keep the other findings.

A keystroke that is not inert (see inert.py: a new line, a bracket, typing a
deprecated call) used to re-resolve the whole file. Most such edits stay
inside one function, and the findings of every other top-level statement
depend on that function only through a few file-wide facts. The *region* of
an edit is the smallest run of whole top-level statements (rows [r0, r1] of
the new text, [r0, r1 - delta] of the old) that covers the edited rows and
every range whose syntax tree changed (`Tree.changed_ranges`), in both the
old and the new tree. Findings outside the region are kept (those after it
move by the edit's line delta) and the region alone is resolved, against the
whole new file, when all of this holds (`plan` and `splice`):

1. no ``import`` (nor ``importorskip``, ``import_module``, ``__import__``), ``global``,
   ``nonlocal`` or ``set_option`` in the old or
   the new region: the imports (so the libraries, aliases and by-name
   candidates) are the same, no statement inside binds a name of the module
   from afar, and none opts the whole module in to an option's future
   behaviour (callsites/opt_in.py);
2. no identifier spelled like a word of an import statement, or like a
   builtin that a replacement spells bare (`np.float` -> `float`), is bound
   at module scope in the old or new region (`np = None`, `def np():`,
   `for pd in ...`, `float = ...` at top level): every such name resolves
   the same outside; bindings inside a function or class of the region only
   reach uses in that same statement, which is resolved again;
3. the replacement words the rewriter tests for freedom (`has_word`) are
   each spelled free somewhere in the file before exactly when after: a word
   whose presence in the region changed is still present outside it, or
   absent from both;
4. no rewrite crosses the region's border: a kept finding has no edit inside
   the old region, and a finding inside (old or new) has none outside
   (`from numpy import row_stack` renames every use, so such uses and their
   import depend on each other across the file; the window resolver declines
   outright when it made such an import rewrite);
5. no name a verdict outside the region read at module level is bound at
   module scope, or defined as a class or function at any depth, in the old
   or new region: a by-name match's receiver (`Receivers.module_words`: its
   name, the bases, annotations and constructors it was judged by, which
   count through the file's definitions and imports; `class Grid:` added in
   the region turns `Grid.applymap(f)` elsewhere from unknown into the file's
   own) or a compatibility branch (`CompatBranches.module_words`: the names
   its conditions look up at module level and the words of their values,
   `NP2 = np.__version__ >= "2"`, which count through module-level
   assignments and imports; a condition inside the region's own statements
   is read again with it). Merely spelling such a name (`str(x)`, `np.`) in
   the region changes none of them.

Otherwise the caller resolves the whole file. tests/test_lsp_inert.py compares
the result with a fresh check after thousands of random edits.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from tree_sitter import Node, Tree

from apimigrate.callsites import DeprecationIndex, Edit, Reference, Rewrite
from apimigrate.callsites.bindings import (DEFINITION_TYPES, DYNAMIC_IMPORT_FUNCTIONS, MODULE_SCOPE, binding_scope,
                                            classify)

from .documents import ByteEdit

_SCOPE_WORDS = re.compile(rb"\b(?:" + b"|".join(w.encode() for w in sorted(
    {"import", "global", "nonlocal", "set_option", *DYNAMIC_IMPORT_FUNCTIONS})) + rb")\b")
# What SourceText.has_word counts as the word being present: not after a dot or a word character.
_FREE_TOKEN = re.compile(rb"(?<![\w.])\w+")


@dataclass(frozen=True)
class Region:
    r0: int                 # first row, new text
    r1: int                 # last row, new text
    delta: int              # rows added by the edits
    start: int              # bytes of the region's statements in the new text ([start, end))
    end: int
    old_start: int          # ... and in the old text
    old_end: int

    @property
    def old_r1(self) -> int:
        return self.r1 - self.delta


def edited_rows(edits: list[ByteEdit]) -> tuple[list[tuple[int, int]], int]:
    """Rows of the new text the edits wrote (each edit in the coordinates after the ones before it), and the row delta."""
    spans: list[tuple[int, int]] = []
    total = 0
    for e in edits:
        s, old_end, new_end = e.start_point[0], e.old_end_point[0], e.new_end_point[0]
        d = new_end - old_end
        total += d
        kept: list[tuple[int, int]] = []
        lo, hi = s, new_end
        for a, b in spans:
            if a > old_end:
                kept.append((a + d, b + d))
            elif b < s:
                kept.append((a, b))
            else:                                   # overlaps the rows this edit replaced
                lo = min(lo, a)
                hi = max(hi, b + d) if b > old_end else hi
        kept.append((lo, hi))
        spans = kept
    return spans, total


class _Statements:
    """The top-level statements of a tree with their rows, for range lookups."""

    def __init__(self, tree: Tree) -> None:
        self.nodes = tree.root_node.children
        self.first = [n.start_point[0] for n in self.nodes]
        self.last = [n.end_point[0] for n in self.nodes]

    def touching(self, lo: int, hi: int) -> tuple[int, int]:
        """Index range [i, j) of the statements with rows meeting [lo, hi]."""
        i = bisect.bisect_left(self.last, lo)
        j = bisect.bisect_right(self.first, hi)
        return i, max(i, j)


def plan(old_tree: Tree, edited_old: Tree, new_tree: Tree, edits: list[ByteEdit]) -> Region | None:
    """The region of `edits` (None when it would be the whole file anyway)."""
    spans, delta = edited_rows(edits)
    for rng in edited_old.changed_ranges(new_tree):
        spans.append((rng.start_point[0], rng.end_point[0]))
    if not spans:
        return None
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    new, old = _Statements(new_tree), _Statements(old_tree)
    while True:                 # grow until whole statements of both trees are covered
        i, j = new.touching(lo, hi)
        oi, oj = old.touching(lo, hi - delta)
        nlo, nhi = lo, hi
        if j > i:
            nlo, nhi = min(nlo, new.first[i]), max(nhi, new.last[j - 1])
        if oj > oi:
            nlo, nhi = min(nlo, old.first[oi]), max(nhi, old.last[oj - 1] + delta)
        if (nlo, nhi) == (lo, hi):
            break
        lo, hi = nlo, nhi
    if lo <= 0 and hi >= max(new.last[-1] if new.last else 0, (old.last[-1] + delta) if old.last else 0):
        return None
    start, end = (new.nodes[i].start_byte, new.nodes[j - 1].end_byte) if j > i else (0, 0)
    old_start, old_end = (old.nodes[oi].start_byte, old.nodes[oj - 1].end_byte) if oj > oi else (0, 0)
    return Region(lo, hi, delta, start, end, old_start, old_end)


def builtin_leaves(index: DeprecationIndex) -> frozenset[str]:
    """`float` for a replacement `builtins.float`: the rewriter needs such names free."""
    return frozenset(r["replacement"].split(".", 1)[1] for r in index.rows
                     if (r.get("replacement") or "").startswith("builtins."))


_DEFINED = re.compile(rb"\b(?:def|class)[ \t]+([A-Za-z_]\w*)")


def _region_bindings(root: Node, source: bytes, start: int, end: int) -> tuple[set[str], set[str]]:
    """(the names the top-level statements in [start, end) bind at module scope, those plus the
    names of classes and functions defined at any depth in them (`Receivers.definitions` sees
    nested ones too)).

    One walk of the statements outside function and class bodies, which bind in their own
    scopes (a `global` there is rule 1's), instead of a search for every name of interest: a
    region is mostly one function, whose only module-scope binding is its name.
    """
    bound: set[str] = set()
    stack = [n for n in root.children if n.start_byte < end and n.end_byte > start]
    while stack:
        node = stack.pop()
        if node.type in DEFINITION_TYPES:
            name = node.child_by_field_name("name")
            if name is not None:
                bound.add(name.text.decode())
            continue
        if node.type == "identifier":
            kind = classify(node)
            if kind in ("bind", "param") and binding_scope(node, kind) == MODULE_SCOPE:
                bound.add(node.text.decode())
            continue
        stack.extend(node.children)
    defined = bound | {m.group(1).decode() for m in _DEFINED.finditer(source, start, end)}
    return bound, defined


@lru_cache(maxsize=64)
def _as_bytes(words: frozenset[str]) -> frozenset[bytes]:
    return frozenset(w.encode() for w in words)


def _free_words(source: bytes, start: int, end: int, words: frozenset[str]) -> set[bytes]:
    return set(_FREE_TOKEN.findall(source, start, end)) & _as_bytes(words)


def region_is_local(region: Region, old_root: Node, old_source: bytes, new_root: Node, new_source: bytes,
                    import_names: frozenset[str], replacement_words: frozenset[str],
                    verdict_words: frozenset[str] = frozenset()) -> bool:
    """Rules 1-3 and 5 of the module docstring."""
    old_text = old_source[region.old_start:region.old_end]
    new_text = new_source[region.start:region.end]
    if _SCOPE_WORDS.search(old_text) or _SCOPE_WORDS.search(new_text):
        return False
    for root, source, start, end in ((old_root, old_source, region.old_start, region.old_end),
                                     (new_root, new_source, region.start, region.end)):
        bound, defined = _region_bindings(root, source, start, end)
        if not bound.isdisjoint(import_names) or not defined.isdisjoint(verdict_words):
            return False
    changed = _free_words(old_source, region.old_start, region.old_end, replacement_words) ^ \
        _free_words(new_source, region.start, region.end, replacement_words)
    for w in changed:
        word = re.compile(rb"(?<![\w.])" + re.escape(w) + rb"\b")
        if word.search(new_source, 0, region.start) or word.search(new_source, region.end):
            continue
        return False
    return True


def _moved(ref: Reference, delta: int, after: int) -> Reference:
    """`ref` with everything on rows after `after` (its own position, its rewrite's edits) moved by `delta` rows.

    Built field by field: dataclasses.replace costs several times more, and a
    large file moves hundreds of findings per keystroke.
    """
    rewrite = ref.rewrite
    if rewrite is not None and any(e.line > after for e in rewrite.edits):
        rewrite = Rewrite([Edit(e.line + delta, e.col, e.end_line + delta, e.end_col, e.new_text)
                           if e.line > after else e for e in rewrite.edits], rewrite.description)
    if ref.line > after:
        line, end_line = ref.line + delta, ref.end_line + delta
    elif rewrite is ref.rewrite:
        return ref
    else:
        line, end_line = ref.line, ref.end_line
    return dataclasses.replace(ref, line=line, end_line=end_line, rewrite=rewrite)


def splice(old_refs: list[Reference], region: Region, inside: list[Reference]) -> list[Reference] | None:
    """The file's findings: the old ones outside the region (moved) and `inside`; None if rule 4 fails."""
    r0, r1, old_r1, delta = region.r0, region.r1, region.old_r1, region.delta
    out: list[Reference] = []
    placed = False
    for ref in old_refs:
        edits = ref.rewrite.edits if ref.rewrite is not None else ()
        if r0 <= ref.line and ref.end_line <= old_r1:
            if any(e.line < r0 or e.end_line > old_r1 for e in edits):
                return None          # a finding inside with an edit outside: depends on the rest
            continue                 # replaced by `inside`
        if ref.end_line >= r0 and ref.line <= old_r1:
            return None              # a finding across the border (cannot happen for whole statements)
        if any(e.end_line >= r0 and e.line <= old_r1 for e in edits):
            return None              # a finding outside with an edit in (or across) the region
        if ref.line > old_r1 and not placed:
            out += inside
            placed = True
        out.append(_moved(ref, delta, old_r1) if delta else ref)
    for ref in inside:
        if ref.line < r0 or ref.end_line > r1 or any(e.line < r0 or e.end_line > r1 for e in
                                                     (ref.rewrite.edits if ref.rewrite is not None else ())):
            return None
    if not placed:
        out += inside
    return out
