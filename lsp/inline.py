"""textDocument/inlineCompletion (LSP 3.18): the promoted model's text at the cursor, guarded.

One request: the model to use (model_service.py; none configured or promoted: an empty list at
once), the document up to the cursor as the prompt (text after the cursor is not read; the rest
of the line may only be closing brackets or quotes, which the completion's line replaces),
greedy text up to a boundary (cursor_generation.py), then the guard (inline_guard.py) on the
document with the completion in it. A request whose document changed meanwhile, or that a newer
request for the same document overtook, is answered with an empty list; one the client cancels
stops the model between two tokens.

When the guard's rewrite also edits lines above the cursor (the import the new name needs), the
item carries those edits in its `command` (APPLY_IMPORTS), which the client runs once it has
inserted the completion: the server then checks that every line the edits replace still reads as
it did when the completion was made (the insertion is below them, so they did not move; an added
line replaces the lines around it, so its place is checked too, and running it twice edits once)
and sends them back as a `workspace/applyEdit`, versioned for the document as it is then (where
the client takes versioned edits). A line changed meanwhile, or the document closed, and nothing
is edited. In a notebook cell the guard reads the notebook's joined Python, so its edits are told
in the lines of the cells they fall in (the import may be in the first cell, the completion in the
tenth): each edit carries its cell's uri, and the `workspace/applyEdit` edits each cell. A completion
whose edit spans two cells is dropped, as is one for a client that cannot apply workspace edits.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from lsprotocol import types

from .cursor_generation import complete_at_cursor
from .documents import Document, range_json, utf16_len
from .inline_guard import Insertion, OutsideEdit, guard

if TYPE_CHECKING:
    from .model_service import ModelSpec
    from .notebook import Notebook
    from .server import ApimigrateServer

log = logging.getLogger(__name__)

# What may follow the cursor on its line for a completion to be offered: closers an editor
# typed itself (auto-closed brackets and quotes), which the completion's first line replaces.
_CLOSERS = set(")]}'\" \t:,;")
EMPTY = types.InlineCompletionList(items=[])
# Run by the client after it inserted a completion whose rewrite edits the lines above it.
APPLY_IMPORTS = "apimigrate.applyInlineImports"
APPLY_EDIT_TIMEOUT = 30.0       # seconds the command waits for the client to apply its edit


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


@dataclass(frozen=True)
class LineEdit:
    range: types.Range
    old_text: str          # what `range` holds when the completion is made: checked before the edit
    new_text: str
    uri: str | None = None     # another document than the completion's: a notebook's other cell


@dataclass(frozen=True)
class ImportEdits:
    """The argument of APPLY_IMPORTS, as JSON: {"uri", "version" (the document's when the
    completion was made, before its insertion), "edits": [{"range", "oldText", "newText", "uri"?}]};
    an edit's "uri" (a notebook's other cell) only where it is not the completion's document."""
    uri: str
    version: int
    edits: tuple[LineEdit, ...]

    @classmethod
    def of(cls, uri: str, version: int, before: str, edits: Sequence[OutsideEdit]) -> ImportEdits:
        """The guard's edits (offsets in `before`, the document up to the cursor) in LSP terms."""
        return cls(uri, version, tuple(LineEdit(types.Range(start=_position(before, e.start),
                                                            end=_position(before, e.end)),
                                                before[e.start:e.end], e.new_text) for e in edits))

    def in_cells(self, nb: Notebook, cell_uri: str, cell_version: int) -> ImportEdits | None:
        """These edits (lines of the notebook's joined Python) in the lines of their cells, for a
        completion in `cell_uri`; None when one spans two cells."""
        edits = []
        for e in self.edits:
            mapped = nb.cell_edit(e.range, e.old_text, e.new_text)
            if mapped is None:
                return None
            cell, rng, old, new = mapped
            edits.append(LineEdit(rng, old, new, None if cell.uri == cell_uri else cell.uri))
        return ImportEdits(cell_uri, cell_version, tuple(edits))

    def command(self) -> types.Command:
        return types.Command(title="apimigrate: edit the imports the completion needs", command=APPLY_IMPORTS,
                             arguments=[self.to_json()])

    def to_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "version": self.version, "edits": [
            {"range": range_json(e.range), "oldText": e.old_text, "newText": e.new_text,
             **({"uri": e.uri} if e.uri is not None else {})} for e in self.edits]}

    @classmethod
    def from_json(cls, value: Any) -> ImportEdits | None:
        """None for anything this server did not write (the arguments come back from the client)."""
        try:
            edits = tuple(LineEdit(_range(e["range"]), _str(e["oldText"]), _str(e["newText"]),
                                   _str(e["uri"]) if "uri" in e else None)
                          for e in value["edits"])
            return cls(_str(value["uri"]), int(value["version"]), edits) if edits else None
        except (KeyError, TypeError, ValueError):
            return None


def _open_text(ls: ApimigrateServer, uri: str) -> Document | None:
    """The open text of `uri`: a file, or a notebook's cell (never a notebook's joined Python)."""
    nb = ls.cell_owner.get(uri)
    if nb is not None:
        cell = nb.texts.get(uri)
        return cell.doc if cell is not None else None
    return None if uri in ls.notebooks else ls.docs.get(uri)


def _position(text: str, offset: int) -> types.Position:
    """Character `offset` of `text` (the document from its start) as an LSP position."""
    line_start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=text.count("\n", 0, offset), character=utf16_len(text[line_start:offset]))


def _range(value: Any) -> types.Range:
    def pos(p: Any) -> types.Position:
        return types.Position(line=int(p["line"]), character=int(p["character"]))
    return types.Range(start=pos(value["start"]), end=pos(value["end"]))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


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
        # A request sent right after `initialized` waited for the settings the client was asked
        # for: those name the model, not the defaults it was read with.
        settings = ls.settings
        if not settings.enabled or settings.inline_enabled is False:
            return EMPTY
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
                                        max_lines=settings.inline_max_lines, cancel=cancel,
                                        threads=settings.inline_threads)
        if text is None or self._stale(ls, uri, doc, version, cancel):
            return EMPTY
        knowledge = ls.knowledge
        command = None
        if knowledge is not None and not self._excluded(ls, uri):
            verdict = await ls.checker.run(guard, Insertion(cursor.before, text, cursor.after),
                                           knowledge.index, self._ignored(ls, uri))
            if verdict.text is None:
                log.info("inline completion dropped: %s", verdict.reason)
                return EMPTY
            if verdict.outside:
                why = self._cannot_edit_above(ls)
                if why:
                    log.info("inline completion dropped: its rewrite edits the lines above it, and %s", why)
                    return EMPTY
                edits = ImportEdits.of(uri, version, cursor.before, verdict.outside)
                nb = ls.cell_owner.get(uri)
                if nb is not None:
                    cell = nb.texts.get(uri)
                    edits = edits.in_cells(nb, uri, cell.doc.version) if cell is not None else None
                    if edits is None:
                        log.info("inline completion dropped: its rewrite edits lines across two notebook cells")
                        return EMPTY
                command = edits.command()
            text = verdict.text
        if self._stale(ls, uri, doc, version, cancel):
            return EMPTY
        end = types.Position(line=position.line, character=position.character + utf16_len(cursor.suffix))
        return types.InlineCompletionList(items=[types.InlineCompletionItem(
            insert_text=text, range=types.Range(start=position, end=end), command=command)])

    @staticmethod
    def _cannot_edit_above(ls: ApimigrateServer) -> str:
        """Why the edits above a completion could not be made when it is accepted ('' when they can)."""
        caps = ls.caps
        if not (caps and caps.workspace and caps.workspace.apply_edit):
            return "the client cannot apply workspace edits"
        return ""

    async def apply_imports(self, ls: ApimigrateServer, args: Sequence[Any]) -> None:
        """APPLY_IMPORTS: the edits above an accepted completion, if their lines are as they were."""
        request = ImportEdits.from_json(args[0]) if len(args) == 1 else None
        if request is None:
            log.warning("%s: unexpected arguments %r", APPLY_IMPORTS, list(args))
            return
        doc = _open_text(ls, request.uri)
        if doc is None or doc.version < request.version:
            # Closed, or closed and opened again (versions start afresh): not the text they were made for.
            log.info("imports of an inline completion not edited: %s is not open as it was", request.uri)
            return
        docs: dict[str, Document] = {}         # each document edited, in the order of its first edit
        edits: dict[str, list[types.TextEdit]] = {}
        for e in request.edits:
            uri = e.uri or request.uri
            target = docs.get(uri) or _open_text(ls, uri)
            if target is None or target.text_in(e.range) != e.old_text:
                log.info("imports of an inline completion not edited: the lines changed since, in %s", uri)
                return
            docs[uri] = target
            edits.setdefault(uri, []).append(types.TextEdit(range=e.range, new_text=e.new_text))
        if ls._supports_versioned_edits():
            # Versioned: a client whose text moved on since this check refuses the edit.
            edit = types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=docs[uri].version),
                edits=uri_edits) for uri, uri_edits in edits.items()])
        else:
            edit = types.WorkspaceEdit(changes=edits)
        try:    # a client that never answers must not hold the command forever
            result = await asyncio.wait_for(ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(
                edit=edit, label="apimigrate: imports of the inline completion")), APPLY_EDIT_TIMEOUT)
        except asyncio.TimeoutError:
            log.warning("imports of an inline completion: no answer to workspace/applyEdit in %ss",
                        APPLY_EDIT_TIMEOUT)
            return
        if not result.applied:
            log.info("imports of an inline completion not edited: the client refused (%s)", result.failure_reason)

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
