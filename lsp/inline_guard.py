"""The guard between the model and the editor: no inline completion calls a deprecated API
whose replacement the DB knows.

The completion is read the way `apimigrate fix` reads a file: inserted into the document, the
result is resolved by the same call-site resolver (`apimigrate.callsites`), so aliases, imports
and shadowing count as they do for diagnostics. Each finding that lies in the inserted text:

- a deprecated use with an exact rewrite (what `fix` would write) is rewritten in the
  completion. Edits of the rewrite that lie wholly before the cursor (above it or left of it on
  its line: typically the import the new name needs, or an import to rename) cannot be part of
  the completion's text: they are returned apart (`Verdict.outside`), as whole-line edits of the
  document before the cursor, for the editor to apply when the completion is accepted
  (inline.py). An edit after the cursor, or one across it, drops the completion;
- a deprecated use whose replacement is known but has no such rewrite drops the completion;
- a use of an API deprecated without any known replacement stays (there is nothing better to
  write), as do compatibility code, deprecations only announced and changing defaults, which
  diagnostics do not strike through either.

The rewritten document (the text before the cursor with those edits, the rewritten completion,
the text after) is resolved again, in the completion and in what the edits wrote above it, so a
rewrite cannot bring in another deprecated use; the edits of every round are given as one diff of
the text before the cursor. Runs on the checker's thread (the index and tree-sitter are used from
there only).
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Sequence

from apimigrate.callsites import DeprecationIndex, Reference, find_references, find_references_between, parse
from apimigrate.callsites.noqa import drop_suppressed

ROUNDS = 3

Span = tuple[int, int]                 # characters [start, end)
Replacement = tuple[int, int, str]     # characters [start, end) of a text, and what replaces them


@dataclass(frozen=True)
class Insertion:
    before: str                    # the document up to the cursor
    text: str                      # the completion
    after: str                     # the document after the text the completion replaces


@dataclass(frozen=True)
class OutsideEdit:
    """`Insertion.before[start:end]` becomes `new_text`: whole lines (the last may be the cursor's
    line up to the cursor), never an empty span, so the text it replaces can be checked first."""
    start: int
    end: int
    new_text: str


@dataclass(frozen=True)
class Verdict:
    text: str | None               # what to show; None: nothing
    rewritten: int = 0             # findings rewritten
    reason: str = ""               # why it was dropped
    outside: tuple[OutsideEdit, ...] = ()   # edits before the cursor the shown text needs


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _offset(starts: list[int], line: int, col: int, size: int) -> int:
    if line >= len(starts):
        return size
    return min(starts[line] + col, size)


def blocks(ref: Reference) -> bool:
    """A finding the editor strikes through and whose replacement the DB knows."""
    if ref.compat or ref.pending or ref.kind == "default":
        return False
    row = ref.row or {}
    return bool(row.get("replacement") or row.get("new_parameter"))


def references_in(source: str, index: DeprecationIndex, spans: Sequence[Span]) -> list[Reference]:
    """Findings of `source` (the document with the completion in it) that overlap one of `spans`.

    Only the top-level statements from the first span to the last are resolved (against the
    whole file), as the checker does for an edit (region.py); the whole file when that is not enough.
    """
    data = source.encode("utf-8")
    if not spans or not index.could_match(data):
        return []
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    bstart = len(source[:lo].encode("utf-8"))
    bend = bstart + len(source[lo:hi].encode("utf-8"))
    tree = parse(data)
    touched = [n for n in tree.root_node.children if n.start_byte <= bend and n.end_byte >= bstart]
    refs = None
    if touched:
        refs = find_references_between(data, index, tree, touched[0].start_byte, touched[-1].end_byte)
    if refs is None:
        refs = find_references(data, index, tree=tree)
    starts = _line_starts(source)
    size = len(source)

    def overlaps(r: Reference) -> bool:
        a, b = _offset(starts, r.line, r.col, size), _offset(starts, r.end_line, r.end_col, size)
        return any(a < e and b > s for s, e in spans)
    return [r for r in refs if overlaps(r)]


def _split(found: list[Reference], source: str, start: int, end: int
           ) -> tuple[set[Replacement], set[Replacement]] | str:
    """The rewrites' edits: (those in the completion, in its own offsets; those wholly before the
    cursor, in offsets of `source`), or why the completion cannot be shown."""
    starts = _line_starts(source)
    inside: set[Replacement] = set()
    outside: set[Replacement] = set()
    for ref in found:
        if ref.rewrite is None or not ref.rewrite.edits:
            return f"{ref.api} has no exact rewrite"
        for e in ref.rewrite.edits:
            a = _offset(starts, e.line, e.col, len(source))
            b = _offset(starts, e.end_line, e.end_col, len(source))
            if start <= a and b <= end:
                inside.add((a - start, b - start, e.new_text))
            elif b <= start:
                # Above the cursor (an import): the insertion does not move it, so the editor
                # can still apply it as it is once the completion is accepted.
                outside.add((a, b, e.new_text))
            elif a < start:
                return f"the rewrite of {ref.api} edits text across the cursor"
            else:
                return f"the rewrite of {ref.api} edits text after the completion"
    return inside, outside


def _apply(text: str, edits: Iterable[Replacement]) -> str | None:
    """`text` with `edits` made (identical ones count once); None when two of them overlap."""
    out, pos = [], 0
    for a, b, new in sorted(edits):
        if a < pos:
            return None
        out.append(text[pos:a])
        out.append(new)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def spans_after(spans: list[Span], edits: Iterable[Replacement]) -> list[Span]:
    """`spans` of a text, where they are once `edits` are made, and the spans `edits` write."""
    edits = sorted(edits)

    def at(p: int) -> int:      # a position inside a replaced text goes to the end of the new one
        shift = 0
        for a, b, new in edits:
            if a < p < b:
                return a + shift + len(new)
            if b <= p:
                shift += len(new) - (b - a)
        return p + shift

    written, shift = [], 0
    for a, b, new in edits:
        written.append((a + shift, a + shift + len(new)))
        shift += len(new) - (b - a)
    return [(at(s), at(e)) for s, e in spans] + written


def _lines(text: str) -> list[str]:
    """The lines of `text` with their "\\n" (the last one without, if it has none), split as the
    editor and `Document` split them: not at the other characters `str.splitlines` breaks at."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def line_edits(old: str, new: str) -> tuple[OutsideEdit, ...]:
    """The fewest whole-line edits that turn `old` into `new`.

    Added lines replace the lines around them (the one above and the one below, where there is
    one) together with themselves: so no edit is empty, and the editor checks the place they go
    to, and that they are not there already, before it makes the edit (inline.py).
    """
    a, b = _lines(old), _lines(new)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    groups: list[list[int]] = []
    matcher = SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if i1 == i2:                # added lines: anchored to the lines of `old` around them
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            if i2 < len(a):
                i2, j2 = i2 + 1, j2 + 1
        if groups and i1 <= groups[-1][1]:      # anchored onto the previous edit's lines: one edit
            groups[-1][1], groups[-1][3] = max(groups[-1][1], i2), max(groups[-1][3], j2)
        else:
            groups.append([i1, i2, j1, j2])
    return tuple(OutsideEdit(offsets[i1], offsets[i2], "".join(b[j1:j2])) for i1, i2, j1, j2 in groups)


def guard(ins: Insertion, index: DeprecationIndex, ignore: frozenset[str] = frozenset()) -> Verdict:
    """The completion as it may be shown (see the module's docstring); `ignore` holds the
    project's ignored codes. `# noqa` comments count only where the user wrote them (a model's
    `# noqa` must not silence the guard), so only the whole-file ones of the document are read."""
    text, before = ins.text, ins.before
    user_text = ins.before + ins.after
    written: list[Span] = []       # what edits before the cursor wrote there, in `before`
    rewritten = 0
    for _ in range(ROUNDS):
        source = before + text + ins.after
        start, end = len(before), len(before) + len(text)
        refs = references_in(source, index, [(start, end), *written])
        refs = drop_suppressed(refs, user_text, line=lambda _n: b"", ignore=ignore)
        found = [r for r in refs if blocks(r)]
        if not found:
            return Verdict(text, rewritten, outside=line_edits(ins.before, before))
        split = _split(found, source, start, end)
        if isinstance(split, str):
            return Verdict(None, rewritten, split)
        inside, outside = split
        new_text, new_before = _apply(text, inside), _apply(before, outside)
        if new_text is None or new_before is None:
            return Verdict(None, rewritten, "overlapping rewrites")
        written = spans_after(written, outside)
        text, before = new_text, new_before
        rewritten += len(found)
    return Verdict(None, rewritten, "still deprecated after rewriting")
