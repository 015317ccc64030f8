"""textDocument/inlineCompletion (LSP 3.18): the promoted model's text at the cursor, guarded.

One request: the model to use (model_service.py; none configured or promoted: an empty list at
once), the document up to the cursor as the prompt (text after the cursor is not read; the rest
of the line may only be closing brackets or quotes, which the completion's line replaces),
greedy text up to a boundary (cursor_generation.py), then the guard (inline_guard.py) on the
document with the completion in it. A request whose document changed meanwhile, or that a newer
request for the same document overtook, is answered with an empty list; one the client cancels
stops the model between two tokens.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from .cursor_generation import complete_at_cursor
from .documents import Document, utf16_len
from .inline_guard import Insertion, guard

if TYPE_CHECKING:
    from .model_service import ModelSpec
    from .server import ApimigrateServer

log = logging.getLogger(__name__)

# What may follow the cursor on its line for a completion to be offered: closers an editor
# typed itself (auto-closed brackets and quotes), which the completion's first line replaces.
_CLOSERS = set(")]}'\" \t:,;")
EMPTY = types.InlineCompletionList(items=[])


@dataclass(frozen=True)
class Cursor:
    before: str        # the document up to the cursor
    after: str         # the document after the cursor's line (its newline included)
    suffix: str        # the rest of the cursor's line, replaced by the completion's first line


def cursor_in(doc: Document, position: types.Position) -> Cursor | None:
    """The document around `position`; None when code follows the cursor on its line."""
    if position.line >= doc.line_count:
        return None
    line = doc.line_text(position.line)
    col = doc.utf16_to_char(position.line, position.character)
    suffix = line[col:]
    if not set(suffix) <= _CLOSERS:
        return None
    text = doc.source.decode("utf-8", "replace")
    start = len(doc.source[: doc.line_starts[position.line]].decode("utf-8", "replace"))
    line_end = start + len(line)
    return Cursor(text[: start + col], text[line_end:], suffix)


class InlineCompletions:
    def __init__(self) -> None:
        self._running: dict[str, threading.Event] = {}    # per document: the request in flight

    def document_changed(self, uri: str) -> None:
        """An edit makes the completion in flight stale: stop its model between two tokens."""
        event = self._running.pop(uri, None)
        if event is not None:
            event.set()

    def cancel_all(self) -> None:
        for uri in list(self._running):
            self.document_changed(uri)

    async def complete(self, ls: ApimigrateServer, params: types.InlineCompletionParams) -> types.InlineCompletionList:
        settings = ls.settings
        if not settings.enabled or settings.inline_enabled is False:
            return EMPTY
        uri, position = params.text_document.uri, params.position
        doc = ls.docs.get(uri)
        nb = ls.cell_owner.get(uri)
        if nb is not None:      # a cell: the prompt and the guard read the notebook's Python as one module
            doc, position = nb.doc, nb.position_in_doc(uri, position)
        if doc is None or position is None:
            return EMPTY
        # Read where the cursor is before the first await: an edit handled meanwhile must make
        # this request stale, not move its prompt under a position meant for the old text.
        version = doc.version
        cursor = cursor_in(doc, position)
        if cursor is None:
            return EMPTY
        await ls._ready.wait()
        knowledge = ls.knowledge
        spec = await ls.models.spec(settings, knowledge, ls.workspace_root, ls.checker.run)
        if spec is None or doc.version != version:
            return EMPTY
        cancel = threading.Event()
        # Keyed by the document checked (a notebook's, for a cell): its edits make this stale.
        self.document_changed(doc.uri)             # a newer request overtakes the one in flight
        self._running[doc.uri] = cancel
        try:
            return await self._complete(ls, uri, doc, version, cursor, spec, cancel, params.position)
        finally:
            # Cancelled by the client (asyncio.CancelledError here) or done: the model stops.
            cancel.set()
            if self._running.get(doc.uri) is cancel:
                del self._running[doc.uri]

    async def _complete(self, ls: ApimigrateServer, uri: str, doc: Document, version: int, cursor: Cursor,
                        spec: ModelSpec, cancel: threading.Event, position: types.Position
                        ) -> types.InlineCompletionList:
        loaded = await ls.models.model(spec)
        if loaded is None or cancel.is_set():
            return EMPTY
        settings = ls.settings
        text = await ls.models.generate(complete_at_cursor, loaded, cursor.before,
                                        max_new_tokens=settings.inline_max_new_tokens,
                                        max_lines=settings.inline_max_lines, cancel=cancel)
        if text is None or self._stale(ls, uri, doc, version, cancel):
            return EMPTY
        knowledge = ls.knowledge
        if knowledge is not None and not self._excluded(ls, uri):
            verdict = await ls.checker.run(guard, Insertion(cursor.before, text, cursor.after),
                                           knowledge.index, self._ignored(ls, uri))
            if verdict.text is None:
                log.info("inline completion dropped: %s", verdict.reason)
                return EMPTY
            text = verdict.text
        if self._stale(ls, uri, doc, version, cancel):
            return EMPTY
        end = types.Position(line=position.line, character=position.character + utf16_len(cursor.suffix))
        return types.InlineCompletionList(items=[types.InlineCompletionItem(
            insert_text=text, range=types.Range(start=position, end=end))])

    @staticmethod
    def _stale(ls: ApimigrateServer, uri: str, doc: Document, version: int, cancel: threading.Event) -> bool:
        nb = ls.cell_owner.get(uri)
        current = nb.doc if nb is not None else ls.docs.get(uri)
        return cancel.is_set() or current is not doc or doc.version != version

    @staticmethod
    def _project(ls: ApimigrateServer, uri: str):
        nb = ls.cell_owner.get(uri)
        return ls.projects.for_uri(nb.uri if nb is not None else uri)

    def _excluded(self, ls: ApimigrateServer, uri: str) -> bool:
        """A file the project excludes shows no findings, so the guard has none to act on either."""
        project = self._project(ls, uri)
        return project is not None and project[1].excludes(project[0])

    def _ignored(self, ls: ApimigrateServer, uri: str) -> frozenset[str]:
        project = self._project(ls, uri)
        return project[1].ignored_codes(project[0]) if project is not None else frozenset()
