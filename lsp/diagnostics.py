"""Call-site references -> LSP diagnostics (and the edits their quick fixes apply)."""
from __future__ import annotations

from typing import Any

from lsprotocol import types

from apimigrate.callsites import Reference

from .documents import Document, ElsewhereEdit, range_json

SOURCE = "apimigrate"
CODE = "APIM001"


def ref_code(ref: Reference) -> str:
    return ref.code or CODE


def _struck(ref: Reference) -> bool:
    """Editors strike deprecated code through; a call relying on a changing default is not deprecated,
    a deprecation only announced is not one yet, and compatibility code keeps the old spelling on purpose."""
    return ref.kind != "default" and not ref.compat and not ref.pending


COMPAT_NOTE = " (compatibility code: runs only on older versions)"


def _severity(ref: Reference, severity: int) -> int:
    """Compatibility code (callsites/compat.py) and deprecations only announced (`db.is_pending`,
    which Python itself does not show by default) are hints whatever the configured severity; a
    default change the library warns of for some inputs only (`Reference.conditional`) is at most
    information."""
    if ref.compat or ref.pending:
        return int(types.DiagnosticSeverity.Hint)
    return max(severity, int(types.DiagnosticSeverity.Information)) if ref.conditional else severity


def _message(ref: Reference) -> str:
    return ref.message + COMPAT_NOTE if ref.compat else ref.message


def ref_range(doc: Document, ref: Reference) -> types.Range:
    return doc.lsp_range(ref.line, ref.col, ref.end_line, ref.end_col)


def document_edits(doc: Document, ref: Reference) -> list[tuple[Document, types.TextEdit]]:
    """The rewrite as LSP edits, each with the document it edits (`doc`, or another notebook cell)."""
    if ref.rewrite is None:
        return []
    out = []
    for e in ref.rewrite.edits:
        target = e.document if isinstance(e, ElsewhereEdit) and e.document is not None else doc
        out.append((target, types.TextEdit(range=target.lsp_range(e.line, e.col, e.end_line, e.end_col),
                                           new_text=e.new_text)))
    return out


def own_edits(ref: Reference) -> list:
    """The rewrite's edits when they all stay in the finding's document, else none: a diagnostic's
    `data.edits` are applied to its own document as they are, so a rewrite that also edits
    another cell is left to the code action."""
    if ref.rewrite is None or any(isinstance(e, ElsewhereEdit) for e in ref.rewrite.edits):
        return []
    return list(ref.rewrite.edits)


def diagnostic(
    doc: Document, ref: Reference, severity: types.DiagnosticSeverity, tags_supported: bool
) -> types.Diagnostic:
    row = ref.row or {}
    edits = [types.TextEdit(range=doc.lsp_range(e.line, e.col, e.end_line, e.end_col), new_text=e.new_text)
             for e in own_edits(ref)]
    data: dict[str, Any] = {
        "api": ref.api,
        "id": row.get("id"),
        "replacement": row.get("replacement"),
        "confidence": ref.confidence,
        "version": doc.version,
        # The rewrite in LSP units, so a client (or our code action) can apply it as is.
        "edits": [{"range": range_json(e.range), "newText": e.new_text} for e in edits],
    }
    return types.Diagnostic(
        range=ref_range(doc, ref),
        message=_message(ref),
        severity=types.DiagnosticSeverity(_severity(ref, int(severity))),
        code=ref_code(ref),
        source=SOURCE,
        tags=[types.DiagnosticTag.Deprecated] if tags_supported and _struck(ref) else None,
        data=data,
    )


def diagnostics(
    doc: Document, refs: list[Reference], severity: types.DiagnosticSeverity, tags_supported: bool
) -> list[types.Diagnostic]:
    return [diagnostic(doc, r, severity, tags_supported) for r in refs]


def _range_dict(doc: Document, line: int, col: int, end_line: int, end_col: int) -> dict[str, Any]:
    return {"start": {"line": line, "character": doc.char_to_utf16(line, col)},
            "end": {"line": end_line, "character": doc.char_to_utf16(end_line, end_col)}}


def _item_json(doc: Document, ref: Reference, sev: int, tags_supported: bool) -> dict[str, Any]:
    row = ref.row or {}
    edits = own_edits(ref)
    item: dict[str, Any] = {
        "range": _range_dict(doc, ref.line, ref.col, ref.end_line, ref.end_col),
        "severity": _severity(ref, sev),
        "code": ref_code(ref),
        "source": SOURCE,
        "message": _message(ref),
        "data": {
            "api": ref.api,
            "id": row.get("id"),
            "replacement": row.get("replacement"),
            "confidence": ref.confidence,
            "version": doc.version,
            "edits": [{"range": _range_dict(doc, e.line, e.col, e.end_line, e.end_col), "newText": e.new_text}
                      for e in edits],
        },
    }
    if tags_supported and _struck(ref):
        item["tags"] = [int(types.DiagnosticTag.Deprecated)]
    return item


def diagnostics_json(
    doc: Document, refs: list[Reference], severity: types.DiagnosticSeverity, tags_supported: bool
) -> list[dict[str, Any]]:
    """The same diagnostics as `diagnostics`, as the JSON objects the protocol sends (no cattrs)."""
    return [_item_json(doc, ref, int(severity), tags_supported) for ref in refs]


class JsonCache:
    """`diagnostics_json` of one document, reusing the objects of findings published before.

    The checker hands back the very same Reference object for a finding that
    neither moved nor had its line changed before it, so its JSON can be
    reused; only `data.version` is new. On the 20,000-line benchmark module
    (250 findings) an inert edit's publish is built in 0.29 ms instead of
    1.52; after a new line most findings move and it costs the same as
    without the cache (1.76 vs 1.70 ms). Measured in-process with
    Checker + Document on benchmarks/lsp_latency.py's make_source(20000).
    """

    def __init__(self) -> None:
        self._key: tuple[int, bool] | None = None
        self._items: dict[int, tuple[Reference, dict[str, Any]]] = {}

    def items(self, doc: Document, refs: list[Reference], severity: types.DiagnosticSeverity,
              tags_supported: bool) -> list[dict[str, Any]]:
        key = (int(severity), tags_supported)
        old = self._items if key == self._key else {}
        fresh: dict[int, tuple[Reference, dict[str, Any]]] = {}
        out = []
        for ref in refs:
            hit = old.get(id(ref))
            if hit is None or hit[0] is not ref:
                hit = (ref, _item_json(doc, ref, key[0], tags_supported))
            fresh[id(ref)] = hit
            base = hit[1]
            out.append({**base, "data": {**base["data"], "version": doc.version}})
        self._key, self._items = key, fresh
        return out


def client_supports_deprecated_tag(caps: types.ClientCapabilities | None) -> bool:
    try:
        values = caps.text_document.publish_diagnostics.tag_support.value_set  # type: ignore[union-attr]
    except AttributeError:
        return False
    return types.DiagnosticTag.Deprecated in (values or [])


class CellDiagnostics:
    """The diagnostics last sent for each notebook cell, so that a check sends only the cells that changed.

    A keystroke changes one cell; the notebook's other cells keep their findings
    (notebook.Notebook.views hands back the same objects), so their JSON is
    neither built nor sent again.
    """

    def __init__(self) -> None:
        self._json: dict[str, JsonCache] = {}
        self._sent: dict[str, tuple[int, tuple[int, bool], list[Reference], list[dict[str, Any]]]] = {}

    def changed(self, cell: Document, refs: list[Reference], severity: types.DiagnosticSeverity,
                tags_supported: bool) -> list[dict[str, Any]] | None:
        """The cell's diagnostics JSON when it differs from what was sent last, else None."""
        key = (int(severity), tags_supported)
        last = self._sent.get(cell.uri)
        if last is not None and last[0] == cell.version and last[1] == key and len(last[2]) == len(refs) \
                and all(a is b for a, b in zip(last[2], refs)):
            return None
        items = self._json.setdefault(cell.uri, JsonCache()).items(cell, refs, severity, tags_supported)
        sent_before = last[3] if last is not None else None
        self._sent[cell.uri] = (cell.version, key, refs, items)
        return None if items == sent_before else items

    def forget(self, uri: str) -> bool:
        """Drop the cell; True when the client still shows diagnostics of it (send it an empty list)."""
        self._json.pop(uri, None)
        last = self._sent.pop(uri, None)
        return bool(last and last[3])
