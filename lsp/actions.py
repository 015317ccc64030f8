"""Code actions: one preferred quick fix per fixable finding, and fix-all for the file."""
from __future__ import annotations

from lsprotocol import types

from apimigrate.callsites import Reference

from .diagnostics import SOURCE, ref_range, text_edits
from .documents import Document

FIX_ALL = "source.fixAll.apimigrate"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL]


def _wants(only: list[str] | None, kind: str) -> bool:
    """LSP kinds are hierarchical: asking for `source.fixAll` includes `source.fixAll.apimigrate`."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def _pos(p: types.Position) -> tuple[int, int]:
    return (p.line, p.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Ranges share text (touching ends do not count), or are the same point."""
    if a == b:
        return True
    return _pos(a.start) < _pos(b.end) and _pos(b.start) < _pos(a.end)


def _edit(doc: Document, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
    # A versioned edit lets the client refuse it if the text moved on meanwhile.
    if versioned:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            edits=edits,
        )])
    return types.WorkspaceEdit(changes={doc.uri: edits})


def _title(ref: Reference) -> str:
    row = ref.row or {}
    if row.get("parameter"):
        new = row.get("new_parameter")
        return f"Rename argument '{row['parameter']}' to '{new}'" if new else f"Fix deprecated argument of {ref.api}"
    repl = row.get("replacement")
    return f"Replace {ref.api} with {repl}" if repl else f"Fix deprecated {ref.api}"


def code_actions(
    doc: Document,
    refs: list[Reference],
    params: types.CodeActionParams,
    versioned: bool,
) -> list[types.CodeAction]:
    only = params.context.only
    actions: list[types.CodeAction] = []
    fixable = [r for r in refs if r.rewrite is not None and r.rewrite.edits]

    if _wants(only, types.CodeActionKind.QuickFix):
        ours = [d for d in params.context.diagnostics if d.source == SOURCE]
        for ref in fixable:
            rng = ref_range(doc, ref)
            if ours:
                matched = [d for d in ours if d.range == rng]
                if not matched:
                    continue
            elif not (_overlaps(rng, params.range) or _pos(rng.start) <= _pos(params.range.start) <= _pos(rng.end)):
                continue
            else:
                matched = []
            actions.append(types.CodeAction(
                title=_title(ref),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=matched or None,
                is_preferred=True,
                edit=_edit(doc, text_edits(doc, ref), versioned),
            ))

    if _wants(only, FIX_ALL) and fixable:
        edits = fix_all_edits(doc, fixable)
        actions.append(types.CodeAction(
            title=f"Fix all deprecated APIs ({len(fixable)})",
            kind=FIX_ALL,
            edit=_edit(doc, edits, versioned),
        ))
    return actions


def fix_all_edits(doc: Document, refs: list[Reference]) -> list[types.TextEdit]:
    """Every rewrite whose edits overlap no earlier one (LSP forbids overlapping edits)."""
    taken: list[types.Range] = []
    out: list[types.TextEdit] = []
    for ref in sorted(refs, key=lambda r: (r.line, r.col)):
        edits = text_edits(doc, ref)
        if any(_overlaps(e.range, t) for e in edits for t in taken):
            continue
        taken.extend(e.range for e in edits)
        out.extend(edits)
    return out
