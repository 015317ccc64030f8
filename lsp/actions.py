"""Code actions: one preferred quick fix per fixable finding, and fix-all for the file."""
from __future__ import annotations

from lsprotocol import types

from apimigrate.callsites import Reference

from apimigrate.callsites.noqa import noqa_edit

from .diagnostics import SOURCE, document_edits, ref_code, ref_range
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


def _edit(edits: list[tuple[Document, types.TextEdit]], versioned: bool) -> types.WorkspaceEdit:
    """One WorkspaceEdit over every document edited (a notebook's rewrite may touch two cells)."""
    by_uri: dict[str, tuple[Document, list[types.TextEdit]]] = {}
    for doc, edit in edits:
        by_uri.setdefault(doc.uri, (doc, []))[1].append(edit)
    # A versioned edit lets the client refuse it if the text moved on meanwhile.
    if versioned:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            edits=doc_edits,
        ) for doc, doc_edits in by_uri.values()])
    return types.WorkspaceEdit(changes={uri: doc_edits for uri, (_, doc_edits) in by_uri.items()})


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
        silence: dict[tuple[int, str], types.CodeAction] = {}
        for ref in refs:
            rng = ref_range(doc, ref)
            if ours:
                matched = [d for d in ours if d.range == rng]
                if not matched:
                    continue
            elif not (_overlaps(rng, params.range) or _pos(rng.start) <= _pos(params.range.start) <= _pos(rng.end)):
                continue
            else:
                matched = []
            if ref.rewrite is not None and ref.rewrite.edits:
                actions.append(types.CodeAction(
                    title=_title(ref),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=matched or None,
                    is_preferred=True,
                    edit=_edit(document_edits(doc, ref), versioned),
                ))
            key = (ref.line, ref_code(ref))
            if key not in silence:
                action = _noqa_action(doc, ref, matched, versioned)
                if action is not None:
                    silence[key] = action
        actions.extend(silence.values())     # after the fixes: keeping the old API is the lesser choice

    if _wants(only, FIX_ALL) and fixable:
        edits = fix_all_edits(doc, fixable)
        actions.append(types.CodeAction(
            title=f"Fix all deprecated APIs ({len(fixable)})",
            kind=FIX_ALL,
            edit=_edit(edits, versioned),
        ))
    return actions


def _noqa_action(doc: Document, ref: Reference, matched: list[types.Diagnostic],
                 versioned: bool) -> types.CodeAction | None:
    """`# noqa: APIM001` added to the finding's line (or its code to the `# noqa:` already there)."""
    code = ref_code(ref)
    placed = noqa_edit(doc.line_text(ref.line), code)
    if placed is None:
        return None
    start, end, text = placed
    edit = types.TextEdit(range=doc.lsp_range(ref.line, start, ref.line, end), new_text=text)
    return types.CodeAction(
        title=f"Ignore {code} on this line (# noqa)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=matched or None,
        edit=_edit([(doc, edit)], versioned),
    )


def fix_all_edits(doc: Document, refs: list[Reference]) -> list[tuple[Document, types.TextEdit]]:
    """Every rewrite whose edits overlap no earlier one (LSP forbids overlapping edits).

    An edit identical to one already taken is shared, not a conflict: two uses of
    `pd.datetime` both need `from datetime import datetime`, added once.
    """
    taken: list[tuple[str, types.Range]] = []
    same: set[tuple] = set()
    out: list[tuple[Document, types.TextEdit]] = []
    for ref in sorted(refs, key=lambda r: (r.line, r.col)):
        edits = [(d, e) for d, e in document_edits(doc, ref) if _key(d, e) not in same]
        if any(d.uri == uri and _overlaps(e.range, t) for d, e in edits for uri, t in taken):
            continue
        taken.extend((d.uri, e.range) for d, e in edits)
        same.update(_key(d, e) for d, e in edits)
        out.extend(edits)
    return out


def _key(doc: Document, e: types.TextEdit) -> tuple:
    r = e.range
    return doc.uri, r.start.line, r.start.character, r.end.line, r.end.character, e.new_text
