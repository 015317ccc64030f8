"""Apply the exact rewrites of one file, repeatedly, until nothing more changes."""
from __future__ import annotations

from apimigrate.callsites import DeprecationIndex, Edit, ImportContext, Reference, apply_edits, find_references
from apimigrate.callsites.noqa import drop_suppressed

MAX_ROUNDS = 5


def _overlaps(a: Edit, b: Edit) -> bool:
    a0, a1 = (a.line, a.col), (a.end_line, a.end_col)
    b0, b1 = (b.line, b.col), (b.end_line, b.end_col)
    if a == b:
        return False                           # the same edit (a shared import) applies once
    if a0 == a1 or b0 == b1:                   # an insertion conflicts only inside the other range
        return (a0 == a1 and b0 < a0 < b1) or (b0 == b1 and a0 < b0 < a1)
    return a0 < b1 and b0 < a1


def select_edits(refs: list[Reference]) -> tuple[list[Edit], int]:
    """Edits of every exact rewrite that does not collide with one already taken."""
    taken: list[Edit] = []
    count = 0
    for ref in refs:
        if ref.rewrite is None or ref.by_name:
            continue
        edits = ref.rewrite.edits
        if any(_overlaps(e, t) for e in edits for t in taken):
            continue                           # the next round sees the file as changed so far
        taken.extend(e for e in edits if e not in taken)
        count += 1
    return taken, count


def fix_source(text: str, index: DeprecationIndex, ignore: frozenset[str] = frozenset(),
               project: ImportContext | None = None) -> tuple[str, int, list[Reference]]:
    """(new text, number of references fixed, references left as they were); a use a `# noqa`
    comment silences, or of a code in `ignore`, is neither rewritten nor left to report.
    `project`: the file's place among the project's modules (see find_references)."""
    fixed = 0
    for _ in range(MAX_ROUNDS):
        refs = drop_suppressed(find_references(text, index, project=project), text, ignore=ignore)
        edits, count = select_edits(refs)
        if not edits:
            return text, fixed, refs
        new_text = apply_edits(text, edits)
        if new_text == text:
            return text, fixed, refs
        text, fixed = new_text, fixed + count
    return text, fixed, drop_suppressed(find_references(text, index, project=project), text, ignore=ignore)
