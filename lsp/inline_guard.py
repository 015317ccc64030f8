"""The guard between the model and the editor: no inline completion calls a deprecated API
whose replacement the DB knows.

The completion is read the way `apimigrate fix` reads a file: inserted into the document, the
result is resolved by the same call-site resolver (`apimigrate.callsites`), so aliases, imports
and shadowing count as they do for diagnostics. Each finding that lies in the inserted text:

- a deprecated use with an exact rewrite (what `fix` would write) is rewritten in the
  completion, when every edit of the rewrite stays inside the completion (an inline completion
  cannot edit an import line above it);
- a deprecated use whose replacement is known but has no such rewrite drops the completion;
- a use of an API deprecated without any known replacement stays (there is nothing better to
  write), as do compatibility code, deprecations only announced and changing defaults, which
  diagnostics do not strike through either.

The rewritten completion is resolved again, so a rewrite cannot bring in another deprecated use.
Runs on the checker's thread (the index and tree-sitter are used from there only).
"""
from __future__ import annotations

from dataclasses import dataclass

from apimigrate.callsites import DeprecationIndex, Reference, find_references, find_references_between, parse
from apimigrate.callsites.noqa import drop_suppressed

ROUNDS = 3


@dataclass(frozen=True)
class Insertion:
    before: str                    # the document up to the cursor
    text: str                      # the completion
    after: str                     # the document after the text the completion replaces


@dataclass(frozen=True)
class Verdict:
    text: str | None               # what to show; None: nothing
    rewritten: int = 0             # findings rewritten in the completion
    reason: str = ""               # why it was dropped


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


def references_in(source: str, index: DeprecationIndex, start: int, end: int) -> list[Reference]:
    """Findings of `source` (the document with the completion in it) in characters [start, end).

    Only the top-level statements the completion touches are resolved (against the whole file),
    as the checker does for an edit (region.py); the whole file when that is not enough.
    """
    data = source.encode("utf-8")
    if not index.could_match(data):
        return []
    bstart = len(source[:start].encode("utf-8"))
    bend = bstart + len(source[start:end].encode("utf-8"))
    tree = parse(data)
    touched = [n for n in tree.root_node.children if n.start_byte <= bend and n.end_byte >= bstart]
    refs = None
    if touched:
        refs = find_references_between(data, index, tree, touched[0].start_byte, touched[-1].end_byte)
    if refs is None:
        refs = find_references(data, index, tree=tree)
    starts = _line_starts(source)
    size = len(source)
    return [r for r in refs
            if _offset(starts, r.line, r.col, size) < end and _offset(starts, r.end_line, r.end_col, size) > start]


def guard(ins: Insertion, index: DeprecationIndex, ignore: frozenset[str] = frozenset()) -> Verdict:
    """The completion as it may be shown (see the module's docstring); `ignore` holds the
    project's ignored codes. `# noqa` comments count only where the user wrote them (a model's
    `# noqa` must not silence the guard), so only the whole-file ones of the document are read."""
    text = ins.text
    user_text = ins.before + ins.after
    rewritten = 0
    for _ in range(ROUNDS):
        source = ins.before + text + ins.after
        start, end = len(ins.before), len(ins.before) + len(text)
        refs = references_in(source, index, start, end)
        refs = drop_suppressed(refs, user_text, line=lambda _n: b"", ignore=ignore)
        found = [r for r in refs if blocks(r)]
        if not found:
            return Verdict(text, rewritten)
        starts = _line_starts(source)
        edits: set[tuple[int, int, str]] = set()
        for ref in found:
            if ref.rewrite is None or not ref.rewrite.edits:
                return Verdict(None, rewritten, f"{ref.api} has no exact rewrite")
            for e in ref.rewrite.edits:
                a = _offset(starts, e.line, e.col, len(source))
                b = _offset(starts, e.end_line, e.end_col, len(source))
                if a < start or b > end:
                    return Verdict(None, rewritten, f"the rewrite of {ref.api} edits text outside the completion")
                edits.add((a - start, b - start, e.new_text))
        out, pos = [], 0
        for a, b, new in sorted(edits):
            if a < pos:
                return Verdict(None, rewritten, "overlapping rewrites")
            out.append(text[pos:a])
            out.append(new)
            pos = b
        out.append(text[pos:])
        text = "".join(out)
        rewritten += len(found)
    return Verdict(None, rewritten, "still deprecated after rewriting")
