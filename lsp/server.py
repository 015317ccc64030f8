"""The apimigrate language server (pygls 2.x).

Flow: the client's edits update our `Document` copies; a per-document check is
scheduled (leading edge right away, then at most one per `debounce_ms` while the
user keeps typing; a newer edit cancels a check that has not started); the
check runs on the worker thread (incremental tree-sitter re-parse + call-site
resolution) and its diagnostics are published only if the document has not
moved on meanwhile. Hover, code actions and fix-all wait for the current
version's check, so they never act on stale positions.

A notebook (notebookDocument/*) is checked as one document under its own uri,
its Python cells joined (notebook.py); diagnostics go out per cell, and a
request on a cell is answered from the notebook's check in the cell's lines.

Inline completions (inline.py) come from a model loaded on first use on a thread of its
own (model_service.py), so diagnostics never wait for it.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from apimigrate.callsites import Reference
from apimigrate.callsites.noqa import drop_suppressed

from . import actions, completion, diagnostics, hover
from .checker import Checker
from .completion_sources import CompletionSource, default_sources
from .documents import Document
from .inline import APPLY_IMPORTS, InlineCompletions
from .knowledge import Knowledge, current_fingerprint, empty, load, resolve_path
from .model_service import ModelService
from .notebook import Notebook
from .project import ProjectConfigs
from .settings import SECTION, Settings
from .watch import DBWatcher

log = logging.getLogger(__name__)

VERSION = "0.1.0"
DB_POLL_S = 0.5
# Every kind of notebook, its Python cells: the client then syncs them through notebookDocument/*.
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(notebook_selector=[types.NotebookDocumentFilterWithCells(
    notebook="*", cells=[types.NotebookCellLanguage(language="python")])])


@dataclass
class CheckResult:
    version: int
    refs: list[Reference]
    knowledge: Knowledge


class ApimigrateProtocol(LanguageServerProtocol):
    """pygls' protocol without its own copies of the text documents.

    The server keeps every open document in `ApimigrateServer.docs` (bytes,
    with the tree-sitter edits); pygls' workspace copy would apply every
    edit a second time and re-split the whole text, on the path of every
    keystroke, for nothing: no feature here reads it.
    """

    def _user(self, method: str, params: Any):
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._user(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._user(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._user(types.TEXT_DOCUMENT_DID_CLOSE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def lsp_notebook_document__did_open(self, params: types.DidOpenNotebookDocumentParams):
        yield from self._user(types.NOTEBOOK_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def lsp_notebook_document__did_change(self, params: types.DidChangeNotebookDocumentParams):
        yield from self._user(types.NOTEBOOK_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def lsp_notebook_document__did_close(self, params: types.DidCloseNotebookDocumentParams):
        yield from self._user(types.NOTEBOOK_DOCUMENT_DID_CLOSE, params)


class ApimigrateServer(LanguageServer):
    def __init__(self, cli_db: Path | None = None) -> None:
        super().__init__("apimigrate", VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=NOTEBOOK_SYNC, protocol_cls=ApimigrateProtocol)
        self.cli_db = cli_db
        self.settings = Settings()
        # Defaults (the workspace's pyproject.toml) plus initializationOptions: every re-read of
        # the configuration starts from here, so a key the user deletes falls back instead of sticking.
        self.base_settings = Settings()
        self.init_options: Any = None
        self.workspace_root: Path | None = None
        self.projects = ProjectConfigs(self.tell)
        self.project_watcher = DBWatcher(DB_POLL_S, self.on_project_change)
        self.knowledge: Knowledge | None = None
        self.docs: dict[str, Document] = {}
        self.results: dict[str, CheckResult] = {}
        self._json: dict[str, diagnostics.JsonCache] = {}       # per uri: diagnostics JSON last sent
        self.notebooks: dict[str, Notebook] = {}
        self.cell_owner: dict[str, Notebook] = {}                # cell uri -> its open notebook
        self._cells = diagnostics.CellDiagnostics()              # per cell uri: the diagnostics last sent
        self.completion_sources: list[CompletionSource] = default_sources()
        self.checker = Checker()
        # Inline completions: the model (loaded on first use, on its own thread) and the requests in flight.
        self.models = ModelService(self.tell)
        self.inline = InlineCompletions()
        self.watcher = DBWatcher(DB_POLL_S, self.on_db_change)
        self._tasks: dict[str, asyncio.Task] = {}
        self._last_start: dict[str, float] = {}
        self._ready = asyncio.Event()
        self._reload_lock = asyncio.Lock()
        self._told: set[str] = set()

    # ---- capabilities of the client ----------------------------------------
    @property
    def caps(self) -> types.ClientCapabilities | None:
        try:
            return self.client_capabilities
        except AttributeError:
            return None

    def _supports_configuration(self) -> bool:
        caps = self.caps
        return bool(caps and caps.workspace and caps.workspace.configuration)

    def _supports_versioned_edits(self) -> bool:
        caps = self.caps
        try:
            return bool(caps.workspace.workspace_edit.document_changes)  # type: ignore[union-attr]
        except AttributeError:
            return False

    def register_completion_source(self, source: CompletionSource) -> None:
        """The seam for more completion sources: they get the DB's tagging for free (the model's
        inline completions have their own request and guard: inline.py)."""
        self.completion_sources.append(source)

    # ---- telling the user ------------------------------------------------------
    def tell(self, text: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """Show a problem once (settings or DB trouble), and log it every time."""
        log.warning("%s", text)
        self.window_log_message(types.LogMessageParams(type=kind, message=text))
        if text not in self._told:
            self._told.add(text)
            self.window_show_message(types.ShowMessageParams(type=kind, message=f"apimigrate: {text}"))

    # ---- settings and knowledge ------------------------------------------------
    def read_base_settings(self) -> None:
        """The workspace's `[tool.apimigrate]` under the initializationOptions; the file is watched."""
        if self.workspace_root is None:
            self.base_settings = Settings().merged(self.init_options)
            return
        config = self.projects.for_path(self.workspace_root)
        self.base_settings = Settings.from_project(config).merged(self.init_options)
        watched = config.path if config is not None and config.path else self.workspace_root / "pyproject.toml"
        if self.project_watcher.path != watched:
            self.project_watcher.watch(watched)

    async def on_project_change(self) -> None:
        self.read_base_settings()
        await self.pull_settings()

    async def pull_settings(self, pushed: Any = None) -> None:
        """Re-read settings: what the client pushed, then what workspace/configuration says."""
        settings = self.base_settings.merged(pushed)
        if self._supports_configuration():
            try:
                result = await asyncio.wait_for(self.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])), 10)
                if result:
                    settings = settings.merged(result[0])
            except Exception as exc:  # noqa: BLE001 - a client that fails this keeps the old settings
                log.warning("workspace/configuration failed: %r", exc)
        for problem in settings.problems:
            self.tell(f"setting ignored: {problem}")
        old, self.settings = self.settings, settings
        if self.knowledge is None or old.knowledge_key() != settings.knowledge_key():
            await self.reload(force=True)
        else:
            self.recheck_all()

    async def reload(self, force: bool = False) -> None:
        """Swap in a fresh snapshot of the DB when it (or what we select from it) changed."""
        async with self._reload_lock:
            path = resolve_path(self.settings, self.cli_db)
            kn = self.knowledge
            if not force and kn is not None and kn.path == path:
                now = await self.checker.run(current_fingerprint, kn)
                if now is not None and now == kn.fingerprint:
                    return
            new = await self.checker.run(load, path, self.settings)
            self.knowledge = new
            if kn is not None and kn is not new:
                await self.checker.run(kn.close)
            self.watcher.watch(path)
            if new.error:
                self.tell(new.error)
            else:
                log.info("loaded %d deprecations from %s", len(new.rows), path)
            self._ready.set()
        self.recheck_all()

    async def on_db_change(self) -> None:
        await self.reload()

    # ---- checking documents ----------------------------------------------------
    def schedule(self, uri: str) -> None:
        """Check `uri` soon: now if it was not checked recently, else when the quiet time is over."""
        pending = self._tasks.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        wait = self._last_start.get(uri, float("-inf")) + self.settings.debounce_ms / 1000 - loop.time()
        self._tasks[uri] = loop.create_task(self._check_after(uri, max(0.0, wait)))

    async def _check_after(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.check(uri)

    def recheck_all(self) -> None:
        for uri in list(self.docs):
            self._last_start.pop(uri, None)
            self.schedule(uri)

    async def check(self, uri: str) -> CheckResult | None:
        """Check the document as it is now and publish; None when it changed meanwhile."""
        await self._ready.wait()
        doc = self.docs.get(uri)
        if doc is None:
            return None
        self._last_start[uri] = asyncio.get_running_loop().time()
        kn = self.knowledge or empty(resolve_path(self.settings, self.cli_db))
        version = doc.version
        # Snapshot and submit with no await in between, so the worker gets the edits in order.
        refs = await self.checker.references(uri, doc.source, doc.take_pending(), kn.index)
        if self.docs.get(uri) is not doc or doc.version != version:
            return None     # superseded: a newer check is on its way
        # On the text as it is now: a `# noqa` typed is an inert edit, the findings themselves stay.
        project = self.projects.for_uri(uri)
        if project is not None and project[1].excludes(project[0]):
            refs = []               # excluded by the project: as `apimigrate check` walking its folders
        elif self.settings.enabled:
            ignore = project[1].ignored_codes(project[0]) if project is not None else frozenset()
            refs = drop_suppressed(refs, doc.source, doc.line_bytes, ignore=ignore)
        else:
            refs = []
        result = CheckResult(version, refs, kn)
        self.results[uri] = result
        self.publish(doc, version, refs)
        return result

    def publish(self, doc: Document, version: int, refs: list[Reference]) -> None:
        """publishDiagnostics, serialised straight from plain dicts.

        Going through lsprotocol objects and cattrs costs ~50 us per
        diagnostic, which on a file with hundreds of findings is most of the
        time between a keystroke and its diagnostics.
        """
        nb = self.notebooks.get(doc.uri)
        if nb is not None and nb.doc is doc:
            self.publish_cells(nb, refs)
            return
        cache = self._json.setdefault(doc.uri, diagnostics.JsonCache())
        items = cache.items(doc, refs, self.settings.severity, diagnostics.client_supports_deprecated_tag(self.caps))
        self._send_diagnostics(doc, version, refs, items)

    def publish_cells(self, nb: Notebook, refs: list[Reference]) -> None:
        """A notebook's findings, cell by cell; a cell whose diagnostics did not change is not sent again."""
        tags = diagnostics.client_supports_deprecated_tag(self.caps)
        for cell, cell_refs in nb.views(refs):
            items = self._cells.changed(cell, cell_refs, self.settings.severity, tags)
            if items is not None:
                self._send_diagnostics(cell, cell.version, cell_refs, items)
        # A cell that became markdown (or another language) keeps nothing.
        python = {cell.uri for cell in nb.python_cells()}
        for uri in nb.cell_uris() - python:
            self.clear_cell(uri)

    def clear_cell(self, uri: str) -> None:
        if self._cells.forget(uri):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _send_diagnostics(self, doc: Document, version: int, refs: list[Reference], items: list[Any]) -> None:
        send = getattr(self.protocol, "_send_data", None)
        if send is None:       # a pygls without the raw path: the typed one gives the same JSON
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=doc.uri, version=version, diagnostics=diagnostics.diagnostics(
                    doc, refs, self.settings.severity, diagnostics.client_supports_deprecated_tag(self.caps))))
            return
        send({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
              "params": {"uri": doc.uri, "version": version, "diagnostics": items}})

    async def view(self, uri: str) -> tuple[Document, CheckResult] | None:
        """`fresh` for a file; for a notebook cell, the cell and its findings from a fresh check of the notebook."""
        nb = self.cell_owner.get(uri)
        if nb is None:
            return await self.fresh(uri)
        got = await self.fresh(nb.uri)
        if got is None:
            return None
        result = got[1]
        cell = nb.view(uri, result.refs)
        if cell is None:
            return None
        return cell[0], CheckResult(result.version, cell[1], result.knowledge)

    def forget(self, uri: str) -> None:
        """Drop what the server holds for `uri` (the checker's state is dropped by the caller)."""
        self.docs.pop(uri, None)
        self.inline.document_changed(uri)
        task = self._tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        self.results.pop(uri, None)
        self._json.pop(uri, None)
        self._last_start.pop(uri, None)

    async def fresh(self, uri: str) -> tuple[Document, CheckResult] | None:
        """The document and a check of exactly its current version."""
        for _ in range(5):  # each round loses only to an edit that arrived meanwhile
            doc = self.docs.get(uri)
            if doc is None:
                return None
            result = self.results.get(uri)
            if result is not None and result.version == doc.version:
                return doc, result
            pending = self._tasks.pop(uri, None)
            if pending is not None:
                pending.cancel()
            await self.check(uri)
        return None


def _is_python(doc: types.TextDocumentItem) -> bool:
    return doc.language_id == "python" or doc.uri.endswith((".py", ".pyi"))


def _workspace_root(params: types.InitializeParams) -> Path | None:
    """The first workspace folder (or the older rootUri / rootPath) as a local folder."""
    uri = params.workspace_folders[0].uri if params.workspace_folders else params.root_uri
    path = to_fs_path(uri) if uri and uri.startswith("file:") else params.root_path
    return Path(path) if path else None


def _own_cells(ls: ApimigrateServer, nb: Notebook) -> None:
    """Route the notebook's cells to it; a cell open as a file before is the notebook's now."""
    for uri in nb.cell_uris():
        ls.cell_owner[uri] = nb
        if uri in ls.docs and uri not in ls.notebooks:
            ls.forget(uri)


def create_server(cli_db: Path | None = None) -> ApimigrateServer:
    server = ApimigrateServer(cli_db)

    @server.feature(types.INITIALIZE)
    def on_initialize(ls: ApimigrateServer, params: types.InitializeParams) -> None:
        ls.init_options = params.initialization_options
        ls.workspace_root = _workspace_root(params)
        ls.base_settings = Settings().merged(ls.init_options)
        for problem in ls.base_settings.problems:
            log.warning("initializationOptions: %s", problem)

    @server.feature(types.INITIALIZED)
    async def on_initialized(ls: ApimigrateServer, params: types.InitializedParams) -> None:
        ls.read_base_settings()
        await ls.pull_settings()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_config(ls: ApimigrateServer, params: types.DidChangeConfigurationParams) -> None:
        await ls.pull_settings(params.settings)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def on_open(ls: ApimigrateServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        if not _is_python(item) or item.uri in ls.cell_owner:   # a cell is checked with its notebook
            return
        doc = Document.from_text(item.uri, item.version, item.text)
        doc.mark_reset()        # the worker may still hold a tree of an earlier text under this uri
        ls.docs[item.uri] = doc
        ls.schedule(item.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def on_change(ls: ApimigrateServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None:
            return
        for change in params.content_changes:
            doc.apply(change, params.text_document.version)
        ls.inline.document_changed(doc.uri)
        ls.schedule(doc.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def on_close(ls: ApimigrateServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri not in ls.docs or uri in ls.notebooks:
            return
        ls.forget(uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        await ls.checker.forget(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def on_notebook_open(ls: ApimigrateServer, params: types.DidOpenNotebookDocumentParams) -> None:
        nb = Notebook(params.notebook_document, params.cell_text_documents)
        nb.doc.mark_reset()     # the worker may still hold a tree of an earlier text under this uri
        ls.notebooks[nb.uri] = nb
        ls.docs[nb.uri] = nb.doc
        _own_cells(ls, nb)
        ls.schedule(nb.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def on_notebook_change(ls: ApimigrateServer, params: types.DidChangeNotebookDocumentParams) -> None:
        nb = ls.notebooks.get(params.notebook_document.uri)
        if nb is None:
            return
        before = nb.cell_uris()
        nb.change(params)
        for uri in before - nb.cell_uris():       # cells deleted: their diagnostics go with them
            ls.cell_owner.pop(uri, None)
            ls.clear_cell(uri)
        _own_cells(ls, nb)
        ls.inline.document_changed(nb.uri)
        ls.schedule(nb.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    async def on_notebook_close(ls: ApimigrateServer, params: types.DidCloseNotebookDocumentParams) -> None:
        nb = ls.notebooks.pop(params.notebook_document.uri, None)
        if nb is None:
            return
        ls.forget(nb.uri)
        for uri in nb.cell_uris() | {c.uri for c in params.cell_text_documents}:
            ls.cell_owner.pop(uri, None)
            ls.clear_cell(uri)
        await ls.checker.forget(nb.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=actions.KINDS),
    )
    async def on_code_action(ls: ApimigrateServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        got = await ls.view(params.text_document.uri)
        if got is None:
            return []
        doc, result = got
        return actions.code_actions(doc, result.refs, params, ls._supports_versioned_edits())

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: ApimigrateServer, params: types.HoverParams) -> types.Hover | None:
        got = await ls.view(params.text_document.uri)
        if got is None:
            return None
        doc, result = got
        ref = hover.reference_at(doc, result.refs, params.position)
        if ref is None:
            return None
        markdown = hover.client_prefers_markdown(ls.caps)
        # Evidence is read from the DB on the worker thread, never concurrently with a check.
        return await ls.checker.run(hover.hover, doc, ref, result.knowledge, markdown)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["."]),
    )
    async def on_completion(ls: ApimigrateServer, params: types.CompletionParams) -> types.CompletionList:
        doc, position = ls.docs.get(params.text_document.uri), params.position
        nb = ls.cell_owner.get(params.text_document.uri)
        if nb is not None:      # the notebook's imports name the aliases: complete in the joined text
            doc, position = nb.doc, nb.position_in_doc(params.text_document.uri, position)
        kn = ls.knowledge
        if doc is None or kn is None or position is None:
            return types.CompletionList(is_incomplete=False, items=[])
        return await completion.complete(
            doc, position, kn, ls.completion_sources,
            completion.client_supports_completion_tags(ls.caps))

    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    async def on_inline_completion(ls: ApimigrateServer,
                                   params: types.InlineCompletionParams) -> types.InlineCompletionList:
        return await ls.inline.complete(ls, params)

    @server.command(APPLY_IMPORTS)
    async def on_apply_inline_imports(ls: ApimigrateServer, *args: Any) -> None:
        # The client runs it after inserting a completion whose rewrite edits the lines above it.
        await ls.inline.apply_imports(ls, args)

    @server.feature(types.SHUTDOWN)
    def on_shutdown(ls: ApimigrateServer, params: Any = None) -> None:
        ls.inline.cancel_all()
        ls.watcher.stop()
        ls.project_watcher.stop()
        for task in ls._tasks.values():
            task.cancel()
        ls._tasks.clear()

    return server


def serve(cli_db: Path | None = None, tcp: tuple[str, int] | None = None) -> None:
    """Run the server until the client says exit (stdio) or forever (TCP)."""
    server = create_server(cli_db)
    try:
        if tcp is None:
            server.start_io()
        else:
            server.start_tcp(*tcp)
    finally:
        server.checker.shutdown()
        server.models.shutdown()
