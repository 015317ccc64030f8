"""End to end: a Jupyter notebook open in the editor (notebookDocument/*), over stdio with pytest-lsp.

The client syncs the notebook as VS Code does when the server asks for notebook sync: one
notebook with its cells, each cell a text document of its own. The cells are one module (the
import in the first cell resolves the use in the fourth); every answer is in the cell's lines.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from test_lsp import SERVER, TIMEOUT, apply_text_edits, diagnostics_where, seed

from apimigrate.db import Deprecation, Evidence, open_db

NB = "file:///project/analysis.ipynb"
CODE, MARKUP = types.NotebookCellKind.Code, types.NotebookCellKind.Markup
CELLS = [
    (CODE, "import numpy as np\nimport pandas as pd"),
    (MARKUP, "# np.row_stack in prose is not code"),
    (CODE, "%matplotlib inline\ny = np.row_stack([1, 2])"),
    (CODE, "!pip list\nz = pd.datetime(2020, 1, 1)"),
    (CODE, "df = pd.DataFrame()\nw = df.applymap(str)\n"),
]


def cell_uri(i: int) -> str:
    return f"vscode-notebook-cell:/project/analysis.ipynb#W{i}sZmlsZQ%3D%3D"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    db = tmp_path / "kb.db"
    seed(db)
    kb = open_db(db)
    with kb.transaction():      # a replacement from another module: its fix adds an import
        kb.upsert_deprecation(Deprecation(
            library="pandas", api="pandas.datetime", kind="attribute", replacement="datetime.datetime",
            since="1.0.0", message="The pandas.datetime class is deprecated. Import from datetime instead.",
            drop_in=True, evidence=[Evidence("warning", "pandas/__init__.py", 210, "1.0.0", "warnings.warn(...)")]),
            seen_in="1.0.0")
    kb.close()
    caps = client_capabilities("visual-studio-code")
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(execution_summary_support=True))
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri="file:///project", initialization_options={"dbPath": str(db)}))
    # The server asked for notebook sync of Python cells, so the client sends no textDocument/didOpen for them.
    sync = result.capabilities.notebook_document_sync
    assert sync is not None and sync.notebook_selector[0].cells[0].language == "python"
    yield
    await lsp_client.shutdown_session()


def open_notebook(client: LanguageClient, cells=CELLS) -> None:
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=NB, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=kind, document=cell_uri(i)) for i, (kind, _) in enumerate(cells)]),
        cell_text_documents=[types.TextDocumentItem(
            uri=cell_uri(i), language_id="python" if kind == CODE else "markdown", version=1, text=text)
            for i, (kind, text) in enumerate(cells)]))


def notebook_change(client: LanguageClient, cells: types.NotebookDocumentCellChanges, version: int = 2) -> None:
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(version=version, uri=NB),
        change=types.NotebookDocumentChangeEvent(cells=cells)))


def edit_cell(client: LanguageClient, i: int, version: int, l1: int, c1: int, l2: int, c2: int, text: str) -> None:
    notebook_change(client, types.NotebookDocumentCellChanges(text_content=[types.NotebookDocumentCellContentChanges(
        document=types.VersionedTextDocumentIdentifier(uri=cell_uri(i), version=version),
        changes=[types.TextDocumentContentChangePartial(range=types.Range(
            start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2)), text=text)])]),
        version)


def lines(diags) -> list[tuple[int, str]]:
    return sorted((d.range.start.line, d.data["api"]) for d in diags)


async def all_checked(client: LanguageClient) -> None:
    for i in (0, 2, 3, 4):
        await diagnostics_where(client, lambda d: True, f"cell {i} published", uri=cell_uri(i))


async def test_cells_are_one_module_and_findings_are_in_cell_lines(client: LanguageClient) -> None:
    open_notebook(client)
    row_stack = await diagnostics_where(client, lambda d: len(d) == 1, "row_stack in cell 2", uri=cell_uri(2))
    assert lines(row_stack) == [(1, "numpy.row_stack")]
    assert row_stack[0].range.start.character == 4 and row_stack[0].range.end.character == 16
    assert row_stack[0].data["edits"][0]["newText"] == "vstack"     # data.edits: in the cell's own lines
    assert row_stack[0].data["edits"][0]["range"]["start"]["line"] == 1
    dt = await diagnostics_where(client, lambda d: len(d) == 1, "pd.datetime in cell 3", uri=cell_uri(3))
    assert lines(dt) == [(1, "pandas.datetime")]
    assert dt[0].data["edits"] == []       # its fix also edits cell 0: left to the code action
    applymap = await diagnostics_where(client, lambda d: len(d) == 1, "applymap in cell 4", uri=cell_uri(4))
    assert lines(applymap) == [(1, "pandas.DataFrame.applymap")]
    await all_checked(client)
    assert list(client.diagnostics[cell_uri(0)]) == []
    assert cell_uri(1) not in client.diagnostics or not client.diagnostics[cell_uri(1)]


async def test_edits_in_cells_move_findings_and_ipython_lines_are_not_code(client: LanguageClient) -> None:
    open_notebook(client)
    await diagnostics_where(client, lambda d: len(d) == 1, "row_stack", uri=cell_uri(2))
    edit_cell(client, 2, 2, 1, 0, 1, 0, "x = np.row_stack([0])\n")
    moved = await diagnostics_where(client, lambda d: len(d) == 2, "two in cell 2", uri=cell_uri(2))
    assert lines(moved) == [(1, "numpy.row_stack"), (2, "numpy.row_stack")]
    # `!y = ...` is a shell command now, not Python.
    edit_cell(client, 2, 3, 2, 0, 2, 0, "!")
    shell = await diagnostics_where(client, lambda d: len(d) == 1, "one left in cell 2", uri=cell_uri(2))
    assert lines(shell) == [(1, "numpy.row_stack")]
    # Without the import in the first cell, `np` means nothing in the others.
    edit_cell(client, 0, 2, 0, 0, 1, 0, "")
    await diagnostics_where(client, lambda d: not d, "cell 2 clean", uri=cell_uri(2))
    assert lines(client.diagnostics[cell_uri(3)]) == [(1, "pandas.datetime")]


async def test_quick_fix_in_a_cell_adds_the_import_to_the_cell_of_the_imports(client: LanguageClient) -> None:
    open_notebook(client)
    (dt,) = await diagnostics_where(client, lambda d: len(d) == 1, "pd.datetime", uri=cell_uri(3))
    actions = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=cell_uri(3)), range=dt.range,
        context=types.CodeActionContext(diagnostics=[dt]))), TIMEOUT)
    (fix,) = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    by_uri = {c.text_document.uri: c for c in fix.edit.document_changes}
    assert set(by_uri) == {cell_uri(3), cell_uri(0)} and by_uri[cell_uri(3)].text_document.version == 1
    assert apply_text_edits(CELLS[3][1], by_uri[cell_uri(3)].edits) == "!pip list\nz = datetime(2020, 1, 1)"
    assert apply_text_edits(CELLS[0][1], by_uri[cell_uri(0)].edits) == \
        "import numpy as np\nimport pandas as pd\nfrom datetime import datetime"

    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=cell_uri(2)), position=types.Position(line=1, character=9))),
        TIMEOUT)
    assert hover is not None and "numpy.row_stack" in hover.contents.value and "numpy.vstack" in hover.contents.value
    assert hover.range.start.line == 1
    nothing = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=cell_uri(0)), position=types.Position(line=1, character=9))),
        TIMEOUT)
    assert nothing is None


async def test_cells_added_turned_to_markdown_removed_and_the_notebook_closed(client: LanguageClient) -> None:
    open_notebook(client)
    await all_checked(client)
    new = types.TextDocumentItem(uri=cell_uri(9), language_id="python", version=1, text="q = np.row_stack([5])")
    notebook_change(client, types.NotebookDocumentCellChanges(structure=types.NotebookDocumentCellChangeStructure(
        array=types.NotebookCellArrayChange(start=1, delete_count=0,
                                            cells=[types.NotebookCell(kind=CODE, document=cell_uri(9))]),
        did_open=[new])))
    added = await diagnostics_where(client, lambda d: len(d) == 1, "the new cell", uri=cell_uri(9))
    assert lines(added) == [(0, "numpy.row_stack")]
    # Cell 2 turned into markdown: its finding goes.
    notebook_change(client, types.NotebookDocumentCellChanges(data=[
        types.NotebookCell(kind=MARKUP, document=cell_uri(2))]), 3)
    await diagnostics_where(client, lambda d: not d, "cell 2 as markdown", uri=cell_uri(2))
    # Completion in a cell knows the alias the first cell imports.
    completion = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=cell_uri(9)), position=types.Position(line=0, character=7))),
        TIMEOUT)
    items = {i.label: i for i in completion.items}
    assert list(items["row_stack"].tags) == [types.CompletionItemTag.Deprecated]
    # The first cell deleted: nothing imports numpy or pandas any more.
    notebook_change(client, types.NotebookDocumentCellChanges(structure=types.NotebookDocumentCellChangeStructure(
        array=types.NotebookCellArrayChange(start=0, delete_count=1),
        did_close=[types.TextDocumentIdentifier(uri=cell_uri(0))])), 4)
    await diagnostics_where(client, lambda d: not d, "new cell clean", uri=cell_uri(9))
    await diagnostics_where(client, lambda d: not d, "cell 3 clean", uri=cell_uri(3))
    edit_cell(client, 9, 2, 0, 0, 0, 0, "import numpy as np; ")
    await diagnostics_where(client, lambda d: len(d) == 1, "imported again", uri=cell_uri(9))
    client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        notebook_document=types.NotebookDocumentIdentifier(uri=NB),
        cell_text_documents=[types.TextDocumentIdentifier(uri=cell_uri(i)) for i in (9, 2, 3, 4)]))
    await diagnostics_where(client, lambda d: not d, "closed", uri=cell_uri(9))
