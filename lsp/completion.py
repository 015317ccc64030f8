"""Completion after `alias.`: merge the sources' suggestions and apply the DB's verdicts.

Every suggestion whose qualified name the DB knows as deprecated is tagged
Deprecated (or flagged with the legacy `deprecated` field for clients without
tag support), sorted after all others, and names its replacement in `detail`;
one only announced (`db.is_pending`) is sorted last and described, not tagged.
"""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Sequence

from lsprotocol import types

from apimigrate.db import announced_for, is_pending

from .completion_sources import CompletionRequest, CompletionSource, Suggestion
from .documents import Document
from .knowledge import Knowledge

log = logging.getLogger(__name__)

# `a.b.` or `a.b.pa` right before the cursor.
_DOTTED = re.compile(r"([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\.\s*(\w*)$")
# Import statements, read from the text: completion runs on the event loop while the
# tree may be behind by a few keystrokes, and only the import lines matter here.
_IMPORT = re.compile(rb"^[ \t]*import[ \t]+([\w. \t,]+?)[ \t]*(?:#.*)?$", re.M)
_FROM = re.compile(rb"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([\w. \t,]+?)\)?[ \t]*(?:#.*)?$", re.M)
SOURCE_TIMEOUT_S = 0.5


def import_aliases(source: bytes) -> dict[str, str]:
    """Local name -> fully qualified name, for the simple one-line import forms."""
    out: dict[str, str] = {}
    for m in _IMPORT.finditer(source):
        for part in m.group(1).decode("utf-8", "replace").split(","):
            bits = part.split()
            if len(bits) == 3 and bits[1] == "as":
                out[bits[2]] = bits[0]
            elif len(bits) == 1:
                # `import scipy.integrate` binds `scipy`; the dotted path then resolves itself.
                out[bits[0].split(".")[0]] = bits[0].split(".")[0]
    for m in _FROM.finditer(source):
        module = m.group(1).decode("utf-8", "replace")
        if module.startswith("."):
            continue
        for part in m.group(2).decode("utf-8", "replace").split(","):
            bits = part.split()
            if len(bits) == 3 and bits[1] == "as":
                out[bits[2]] = f"{module}.{bits[0]}"
            elif len(bits) == 1:
                out[bits[0]] = f"{module}.{bits[0]}"
    return out


def resolve_prefix(source: bytes, line_prefix: str) -> tuple[str | None, str]:
    """(`numpy.linalg`, partial) for `np.linalg.no` when `np` is numpy's alias."""
    m = _DOTTED.search(line_prefix)
    if not m:
        return None, ""
    parts = [p.strip() for p in m.group(1).split(".")]
    head = import_aliases(source).get(parts[0])
    if head is None:
        return None, m.group(2)
    return ".".join([head, *parts[1:]]), m.group(2)


def _item(s: Suggestion, knowledge: Knowledge, tags_supported: bool) -> types.CompletionItem:
    row = knowledge.whole_api_row(s.qualified_name) if s.qualified_name else None
    detail = s.detail
    tags = None
    deprecated = None
    sort = "0" + s.label.lower()
    if row is not None:
        repl = row.get("replacement")
        announced = announced_for(row)
        since = f" since {row['since']}" if row.get("since") else ""
        status = (f"deprecated from {announced}" if announced
                  else "pending deprecation" if is_pending(row) else f"deprecated{since}")
        detail = status + (f", use {repl}" if repl else "")
        sort = "~" + s.label.lower()      # after every non-deprecated item
        struck = not is_pending(row)      # announced only: not deprecated yet
        if struck and tags_supported:
            tags = [types.CompletionItemTag.Deprecated]
        elif struck:
            deprecated = True
    return types.CompletionItem(
        label=s.label,
        kind=s.kind or types.CompletionItemKind.Field,
        detail=detail,
        insert_text=s.insert_text,
        sort_text=sort,
        tags=tags,
        deprecated=deprecated,
    )


async def complete(
    doc: Document,
    position: types.Position,
    knowledge: Knowledge,
    sources: Sequence[CompletionSource],
    tags_supported: bool,
) -> types.CompletionList:
    line = doc.line_text(position.line)
    prefix = line[: doc.utf16_to_char(position.line, position.character)]
    module, partial = resolve_prefix(doc.source, prefix)
    if module is None:
        return types.CompletionList(is_incomplete=False, items=[])
    request = CompletionRequest(doc.uri, position, prefix, module, partial, knowledge)

    async def ask(src: CompletionSource) -> Sequence[Suggestion]:
        # A slow or broken source must not take completion down with it.
        try:
            return await asyncio.wait_for(src.suggest(request), SOURCE_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - any source failure is logged and skipped
            log.warning("completion source %s failed: %r", getattr(src, "name", src), exc)
            return []

    merged: dict[str, Suggestion] = {}
    for found in await asyncio.gather(*(ask(s) for s in sources)):
        for s in found:
            merged.setdefault(s.label, s)
    items = [_item(s, knowledge, tags_supported) for s in merged.values()]
    items.sort(key=lambda i: i.sort_text or i.label)
    return types.CompletionList(is_incomplete=False, items=items)


def client_supports_completion_tags(caps: types.ClientCapabilities | None) -> bool:
    try:
        values = caps.text_document.completion.completion_item.tag_support.value_set  # type: ignore[union-attr]
    except AttributeError:
        return False
    return types.CompletionItemTag.Deprecated in (values or [])
