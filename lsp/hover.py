"""Hover on a deprecated reference: what it is, since when, what replaces it, and why we think so."""
from __future__ import annotations

from lsprotocol import types

from apimigrate.callsites import Reference
from apimigrate.db import announced_for, version_key
from apimigrate.db.records import REMOVAL_SEEN, dated, removal_phrase

from .diagnostics import ref_range
from .documents import Document
from .knowledge import Knowledge

MAX_EVIDENCE = 5


def reference_at(doc: Document, refs: list[Reference], pos: types.Position) -> Reference | None:
    col = doc.utf16_to_char(pos.line, pos.character)
    best = None
    for ref in refs:
        if (ref.line, ref.col) <= (pos.line, col) <= (ref.end_line, ref.end_col):
            # The narrowest wins: a parameter reference inside a call is more specific.
            if best is None or (ref.end_line, ref.end_col) < (best.end_line, best.end_col):
                best = ref
    return best


def _code(s: str, markdown: bool) -> str:
    return f"`{s}`" if markdown else s


def _headline(ref: Reference, markdown: bool) -> str:
    """What is deprecated about this use: the API, a parameter, one value of it, or its default."""
    row = ref.row or {}
    api, param = _code(ref.api, markdown), row.get("parameter")
    if ref.kind == "default":
        label, what = "Default changes", f"{api}({param}=...): pass it explicitly"
    elif ref.kind == "value":
        label, what = "Deprecated value", f"{api}({param}={ref.value})"
    elif ref.kind == "positional":
        label, what = "Deprecated", f"passing {api}({param}) by position: pass it by keyword"
    else:
        label, what = "Deprecated", f"{api}({param}=...)" if param else api
    if ref.pending and label == "Deprecated":
        label = "Pending deprecation"
    return f"**{label}:** {what}" if markdown else f"{label}: {what}"


def hover_text(ref: Reference, knowledge: Knowledge, markdown: bool) -> str:
    row = ref.row or {}
    lines = [_headline(ref, markdown)]
    when = []
    use = dated(row, ref.kind, ref.value)        # a value, or the parameter passed at all, may have its own dates
    if announced_for(use):
        when.append(f"deprecated from {row['library']} {use['since']} (the newest version scanned is {row['last_seen']})")
    elif use.get("since"):
        when.append(f"since {row['library']} {use['since']}")
    if use.get("removed_in"):
        when.append(removal_phrase(use) + (f" (still in {use['last_seen']})" if _seen_before(use) else ""))
    if when:
        lines.append(", ".join(when).capitalize())
    if ref.pending and not announced_for(row):
        lines.append("Announced with a PendingDeprecationWarning: not deprecated yet in the newest version scanned")
    if ref.compat:
        lines.append("Compatibility code: this branch runs only on older versions of the library, "
                     "where the old spelling still exists")
    if row.get("parameter") and row.get("new_parameter"):
        lines.append(f"Use argument {_code(row['new_parameter'], markdown)} instead")
    elif row.get("replacement"):
        lines.append(f"Use {_code(row['replacement'], markdown)} instead")
    elif ref.kind not in ("default", "positional"):
        lines.append("The library names no replacement")
    if row.get("message"):
        msg = row["message"].strip()
        lines.append(("> " + msg.replace("\n", "\n> ")) if markdown else f"Library says: {msg}")
    ev = knowledge.evidence_for(row["id"]) if row.get("id") is not None else []
    if ev:
        lines.append("Evidence:" if not markdown else "**Evidence:**")
        for e in ev[:MAX_EVIDENCE]:
            where = f"{e['path']}:{e['line']}" if e.get("line") else e["path"]
            ver = f" ({row['library']} {e['version']})" if e.get("version") else ""
            lines.append(f"- {e['kind']}: {_code(where, markdown)}{ver}")
        if len(ev) > MAX_EVIDENCE:
            lines.append(f"- and {len(ev) - MAX_EVIDENCE} more")
    lines.append(f"Confidence {ref.confidence:.2f}")
    return "\n\n".join(lines) if markdown else "\n".join(lines)


def hover(doc: Document, ref: Reference, knowledge: Knowledge, markdown: bool) -> types.Hover:
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=hover_text(ref, knowledge, markdown)),
        range=ref_range(doc, ref),
    )


def client_prefers_markdown(caps: types.ClientCapabilities | None) -> bool:
    try:
        formats = caps.text_document.hover.content_format  # type: ignore[union-attr]
    except AttributeError:
        return False
    return bool(formats) and formats[0] == types.MarkupKind.Markdown


def _seen_before(use: dict) -> bool:
    """An observed removal after a scanned release that still had the API (not a release note's
    keyword, which no scanned release had: its row's last_seen is the release of the notes)."""
    last, gone = use.get("last_seen"), use.get("removed_in")
    return use.get("removal") == REMOVAL_SEEN and bool(last) and version_key(last) < version_key(gone)
