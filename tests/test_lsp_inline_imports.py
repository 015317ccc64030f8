"""Inline completions whose rewrite also edits the lines above the cursor (the import the new name
needs): the guard shows the rewritten completion and returns those edits apart; the item carries
them in its command, which the client runs once it has inserted the completion, and the server
then sends them back as a `workspace/applyEdit` if the lines they replace are as they were.

The guard is tested on its own with the real resolver and index; the command end to end over
stdio, with the tiny GPT-2 of test_lsp_inline.py (it writes `out = np.row_stack([a, b])`) and a
DB in which `row_stack` moved to another package, so that its rewrite adds an import.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.db import Deprecation, Evidence, open_db
from apimigrate.lsp.inline import APPLY_IMPORTS, ImportEdits, InlineCompletions, LineEdit
from apimigrate.lsp.notebook import Notebook
from apimigrate.lsp.inline_guard import Insertion, OutsideEdit, Verdict, blocks, guard, line_edits, spans_after
from test_lsp import apply_text_edits, change, open_doc, seed
from test_lsp_inline import URI, inline, params, promote, session, stack_doc, toy  # noqa: F401 - `toy` is a fixture


def moved(api: str, replacement: str, kind: str = "function") -> Deprecation:
    return Deprecation(library=api.split(".")[0], api=api, kind=kind, replacement=replacement, since="2.0",
                       message=f"`{api}` moved to `{replacement}`.", drop_in=True,
                       evidence=[Evidence("changelog", "doc/release/2.0.0-notes.rst", 1, "2.0", api)])


def add(path: Path, *deps: Deprecation) -> Path:
    kb = open_db(path)
    try:
        with kb.transaction():
            for dep in deps:
                kb.upsert_deprecation(dep, seen_in=dep.since)
    finally:
        kb.close()
    return path


def index_of(path: Path) -> DeprecationIndex:
    kb = open_db(path)
    try:
        return DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    finally:
        kb.close()


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> DeprecationIndex:
    """The LSP tests' DB (numpy.row_stack -> numpy.vstack, ...) and pandas' real move of json_normalize."""
    path = tmp_path_factory.mktemp("guard") / "kb.db"
    seed(path)
    return index_of(add(path, moved("pandas.io.json.json_normalize", "pandas.json_normalize")))


@pytest.fixture(scope="module")
def chains(tmp_path_factory) -> DeprecationIndex:
    """Rewrites that take more than one round: a replacement deprecated in turn, or in a deprecated module."""
    path = tmp_path_factory.mktemp("chains") / "kb.db"
    return index_of(add(path, moved("numpy.row_stack", "stacking.vstack"), moved("stacking", "stacking2", "module"),
                        moved("toolz.old_f", "toolz.mid_f"), moved("toolz.mid_f", "toolz.new_f")))


def accepted(ins: Insertion, verdict: Verdict) -> str:
    """The document once the completion is inserted and the edits above it made."""
    before, pos = [], 0
    for e in verdict.outside:
        before += [ins.before[pos:e.start], e.new_text]
        pos = e.end
    return "".join(before) + ins.before[pos:] + (verdict.text or "") + ins.after


def clean(source: str, index: DeprecationIndex) -> bool:
    return not [r for r in find_references(source.encode("utf-8"), index) if blocks(r)]


# ---- the guard -----------------------------------------------------------------------------------
DEF = "\n\ndef f(rows):\n    "


@pytest.mark.parametrize("before, text, shown, outside", [
    # the import is renamed, the completion left as written (pandas.io.json.json_normalize -> pandas.json_normalize)
    ("from pandas.io.json import json_normalize" + DEF, "return json_normalize(rows)", "return json_normalize(rows)",
     [(0, 42, "from pandas import json_normalize\n")]),
    # the import and the completion's use are both renamed
    ("from numpy import row_stack" + DEF, "return row_stack([rows])", "return vstack([rows])",
     [(0, 28, "from numpy import vstack\n")]),
    # an import added: it replaces the lines around it with itself, so where it goes is checked too
    ("from pandas.io import json" + DEF, "return json.json_normalize(rows)", "return json_normalize(rows)",
     [(0, 28, "from pandas.io import json\nfrom pandas import json_normalize\n\n")]),
    # the user's use above the cursor is renamed with its import, as `fix` would: two edits, not one
    ("from numpy import row_stack\n\n\ndef g():\n    return 1\n\n\nx = row_stack([0])" + DEF,
     "return row_stack([rows])", "return vstack([rows])",
     [(0, 28, "from numpy import vstack\n"), (54, 73, "x = vstack([0])\n")]),
    # on the cursor's line, left of the cursor: the edit ends at the cursor
    ("from numpy import row_stack\ny = 1; x = ", "row_stack([1])", "vstack([1])",
     [(0, 28, "from numpy import vstack\n")]),
    # nothing above to edit: no edits
    ("import numpy as np" + DEF, "return np.row_stack([rows])", "return np.vstack([rows])", []),
])
def test_guard_returns_the_edits_above_the_cursor(index: DeprecationIndex, before: str, text: str, shown: str,
                                                  outside: list[tuple[int, int, str]]) -> None:
    ins = Insertion(before, text, "\n")
    verdict = guard(ins, index)
    assert verdict.text == shown, verdict.reason
    assert verdict.outside == tuple(OutsideEdit(*e) for e in outside)
    assert all(before[e.start:e.end] for e in verdict.outside)       # never an empty span: checkable
    final = accepted(ins, verdict)
    assert clean(final, index), final


@pytest.mark.parametrize("before, text, after, reason", [
    # the import's rename also renames a use below the completion
    ("from numpy import row_stack" + DEF, "return row_stack([rows])", "\n\ny = row_stack([1])\n",
     "the rewrite of numpy.row_stack edits text after the completion"),
    # the name typed before the cursor
    ("import numpy as np\ny = np.row_", "stack([1])", "\n",
     "the rewrite of numpy.row_stack edits text across the cursor"),
])
def test_guard_still_drops_edits_after_or_across_the_cursor(index: DeprecationIndex, before: str, text: str,
                                                            after: str, reason: str) -> None:
    verdict = guard(Insertion(before, text, after), index)
    assert (verdict.text, verdict.outside, verdict.reason) == (None, (), reason)


def test_guard_combines_the_edits_above_over_its_rounds(chains: DeprecationIndex) -> None:
    # old_f -> mid_f, deprecated in turn -> new_f: the import is renamed twice, given as one edit
    ins = Insertion("from toolz import old_f" + DEF, "return old_f(rows)", "\n")
    verdict = guard(ins, chains)
    assert (verdict.text, verdict.outside) == ("return new_f(rows)", (OutsideEdit(0, 24, "from toolz import new_f\n"),))
    assert clean(accepted(ins, verdict), chains)
    # row_stack -> stacking.vstack: the import added names a deprecated module, which only that
    # import uses (not the completion): it is resolved again too, and rewritten
    ins = Insertion("import numpy as np" + DEF, "return np.row_stack([rows])", "\n")
    verdict = guard(ins, chains)
    assert verdict.text == "return vstack([rows])"
    assert verdict.outside == (OutsideEdit(0, 20, "import numpy as np\nfrom stacking2 import vstack\n\n"),)
    assert clean(accepted(ins, verdict), chains)


def test_spans_written_in_earlier_rounds_follow_the_edits() -> None:
    # what a round wrote before is re-read in the next ones where it has moved to, with what it writes
    assert spans_after([(2, 5)], [(6, 6, "!"), (0, 1, "xyz")]) == [(4, 7), (0, 3), (8, 9)]
    # rewritten in part: to the end of the new text
    assert spans_after([(1, 3)], [(0, 2, "ab c")]) == [(4, 5), (0, 4)]


def test_line_edits() -> None:
    assert line_edits("a\nb\nc\n    ", "a\nb2\nc\n    y") == (OutsideEdit(2, 4, "b2\n"), OutsideEdit(6, 10, "    y"))
    assert line_edits("a\nb\n", "Z\na\nb\n") == (OutsideEdit(0, 2, "Z\na\n"),)          # at the top: the line below
    assert line_edits("a\nb\n", "a\nb\nZ\n") == (OutsideEdit(2, 4, "b\nZ\n"),)          # at the end: the line above
    assert line_edits("a\nb\nc\n", "a\nX\nb\nY\nc\n") == (OutsideEdit(0, 6, "a\nX\nb\nY\nc\n"),)  # anchors shared
    assert line_edits("a\x0cb\n", "a\x0cc\n") == (OutsideEdit(0, 4, "a\x0cc\n"),)       # a form feed is no line break
    assert line_edits("a\n", "a\n") == ()


def test_command_arguments_round_trip_and_reject_anything_else() -> None:
    before = "s = '😀'; from numpy import row_stack\n\ndef f():\n    "
    old, new = "s = '😀'; from numpy import row_stack\n", "s = '😀'; from numpy import vstack\n"
    edits = ImportEdits.of(URI, 4, before, [OutsideEdit(0, len(old), new)])
    assert edits.edits == (LineEdit(types.Range(start=types.Position(line=0, character=0),
                                                end=types.Position(line=1, character=0)), old, new),)
    # the cursor's line, up to the cursor: its column in UTF-16 units
    on_line = ImportEdits.of(URI, 4, "x = '😀'; y = ", [OutsideEdit(0, 13, "x = '😀'; z = ")])
    assert on_line.edits[0].range.end == types.Position(line=0, character=14)
    command = edits.command()
    assert command.command == APPLY_IMPORTS
    assert ImportEdits.from_json(command.arguments[0]) == edits
    # an edit of another document (a notebook's other cell) carries its uri
    elsewhere = ImportEdits(URI, 4, (LineEdit(edits.edits[0].range, old, new, "vscode-notebook-cell:/x.ipynb#a"),))
    assert elsewhere.to_json()["edits"][0]["uri"] == "vscode-notebook-cell:/x.ipynb#a"
    assert ImportEdits.from_json(elsewhere.to_json()) == elsewhere
    good = command.arguments[0]
    for bad in [None, [], {}, {**good, "edits": []}, {**good, "version": "x"}, {**good, "uri": 3},
                {**good, "edits": [{"range": {}, "oldText": "a", "newText": "b"}]},
                {**good, "edits": [{**good["edits"][0], "oldText": None}]},
                {**good, "edits": [{**good["edits"][0], "uri": 3}]}]:
        assert ImportEdits.from_json(bad) is None, bad


# ---- end to end ------------------------------------------------------------------------------------
MOVED_IMPORT = "import numpy as np\nfrom stacking import vstack\nimport pandas as pd\n"


def make_moved_db(path: Path, base: Path) -> Path:
    """A DB in which `numpy.row_stack` moved to another package (as `scipy.misc.imread` went to
    `imageio.imread`): `np.row_stack(x)` becomes `vstack(x)` with `from stacking import vstack`."""
    add(path, moved("numpy.row_stack", "stacking.vstack"))
    promote(path, base)
    return path


def record_apply_edit(client: LanguageClient) -> list[types.ApplyWorkspaceEditParams]:
    """workspace/applyEdit requests the server sends, recorded and accepted."""
    got: list[types.ApplyWorkspaceEditParams] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def on_apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        got.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)
    return got


def accept(client: LanguageClient, text: str, version: int, item: types.InlineCompletionItem) -> str:
    """Insert the completion as the editor does, and tell the server; the new text."""
    text = apply_text_edits(text, [types.TextEdit(range=item.range, new_text=item.insert_text)])
    r = item.range
    change(client, version, r.start.line, r.start.character, r.end.line, r.end.character, item.insert_text, uri=URI)
    return text


async def execute(client: LanguageClient, command: types.Command) -> None:
    await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=command.command, arguments=command.arguments)), 30)


@pytest.mark.slow
async def test_accepting_the_completion_fixes_the_import(toy: dict, tmp_path: Path) -> None:
    db = make_moved_db(tmp_path / "kb.db", toy["base"])
    text, cursor = stack_doc(toy["k"])
    async with session(db) as (client, result):
        assert APPLY_IMPORTS in result.capabilities.execute_command_provider.commands
        applied = record_apply_edit(client)
        open_doc(client, text, uri=URI)
        [item] = await inline(client, cursor)
        assert item.insert_text == "out = vstack([a, b])"
        assert item.command is not None and item.command.command == APPLY_IMPORTS
        assert list(item.command.arguments) == [{"uri": URI, "version": 1, "edits": [{
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}},
            "oldText": "import numpy as np\nimport pandas as pd\n", "newText": MOVED_IMPORT}]}]

        # Accepted: the client inserts the text, then runs the command; the server sends the edit,
        # versioned for the document with the completion in it.
        text = accept(client, text, 2, item)
        await execute(client, item.command)
        [request] = applied
        [doc_edit] = request.edit.document_changes
        assert (doc_edit.text_document.uri, doc_edit.text_document.version) == (URI, 2)
        text = apply_text_edits(text, doc_edit.edits)
        expected, _ = stack_doc(toy["k"])
        expected = expected.replace("import numpy as np\nimport pandas as pd\n", MOVED_IMPORT).replace(
            '"""\n    \n', '"""\n    out = vstack([a, b])\n')
        assert text == expected

        # Run again (the edit made): the lines no longer read as they did, so nothing is sent twice.
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=3),
            content_changes=[types.TextDocumentContentChangePartial(range=doc_edit.edits[0].range,
                                                                     text=doc_edit.edits[0].new_text)]))
        await execute(client, item.command)
        assert len(applied) == 1


@pytest.mark.slow
async def test_import_lines_edited_meanwhile_are_left_alone(toy: dict, tmp_path: Path) -> None:
    db = make_moved_db(tmp_path / "kb.db", toy["base"])
    text, cursor = stack_doc(toy["k"])
    async with session(db) as (client, _):
        applied = record_apply_edit(client)
        open_doc(client, text, uri=URI)
        [item] = await inline(client, cursor)
        assert item.command is not None
        # The user comments the import line the edit replaces, then accepts the completion.
        change(client, 2, 0, 18, 0, 18, "  # arrays", uri=URI)
        accept(client, text, 3, item)
        await execute(client, item.command)
        assert applied == []
        # Closed: nothing either.
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=URI)))
        await execute(client, item.command)
        assert applied == []



NB = "file:///project/stack.ipynb"
CELLS = ["vscode-notebook-cell:/project/stack.ipynb#a", "vscode-notebook-cell:/project/stack.ipynb#b"]


@pytest.mark.slow
async def test_in_a_notebook_the_import_is_edited_in_its_own_cell(toy: dict, tmp_path: Path) -> None:
    """The imports in the first cell, the completion in the second: the guard reads the joined
    Python; the command's edit is told in the first cell's lines and sent to that cell."""
    db = make_moved_db(tmp_path / "kb.db", toy["base"])
    text, _ = stack_doc(toy["k"])
    head, body = text.split("def ", 1)
    texts = [head[:-1], "def " + body]      # the cell ends in a newline; the joined Python adds another
    async with session(db) as (client, _):
        applied = record_apply_edit(client)
        client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=NB, notebook_type="jupyter-notebook", version=1, cells=[
                types.NotebookCell(kind=types.NotebookCellKind.Code, document=c) for c in CELLS]),
            cell_text_documents=[types.TextDocumentItem(uri=c, language_id="python", version=1, text=t)
                                 for c, t in zip(CELLS, texts)]))
        got = await asyncio.wait_for(client.text_document_inline_completion_async(
            params(types.Position(line=2, character=4), CELLS[1])), 60)
        [item] = got.items
        assert item.insert_text == "out = vstack([a, b])"
        assert list(item.command.arguments) == [{"uri": CELLS[1], "version": 1, "edits": [{
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}},
            "oldText": "import numpy as np\nimport pandas as pd\n", "newText": MOVED_IMPORT, "uri": CELLS[0]}]}]

        # Accepted in the second cell, then the command: the first cell is edited.
        r = item.range
        client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=NB),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=CELLS[1], version=2),
                    changes=[types.TextDocumentContentChangePartial(range=r, text=item.insert_text)])]))))
        await execute(client, item.command)
        [request] = applied
        [cell_edit] = request.edit.document_changes
        assert (cell_edit.text_document.uri, cell_edit.text_document.version) == (CELLS[0], 1)
        assert apply_text_edits(texts[0], cell_edit.edits) == texts[0].replace(
            "import numpy as np\nimport pandas as pd\n", MOVED_IMPORT)

        # The first cell's import line edited meanwhile: run again, nothing is sent.
        client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=3, uri=NB),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=CELLS[0], version=2),
                    changes=[types.TextDocumentContentChangePartial(range=types.Range(
                        start=types.Position(line=0, character=18), end=types.Position(line=0, character=18)),
                        text="  # arrays")])]))))
        await execute(client, item.command)
        assert len(applied) == 1


def test_a_notebook_edit_is_told_in_the_cell_it_falls_in() -> None:
    cells = ["import numpy as np\nimport pandas as pd", "x = 1\n", "y = np.row_stack([x])"]
    nb = Notebook(types.NotebookDocument(uri=NB, notebook_type="jupyter-notebook", version=1, cells=[
        types.NotebookCell(kind=types.NotebookCellKind.Code, document=f"{NB}#{i}") for i in range(3)]),
        [types.TextDocumentItem(uri=f"{NB}#{i}", language_id="python", version=1, text=t) for i, t in enumerate(cells)])
    assert nb.doc.source.decode() == "import numpy as np\nimport pandas as pd\nx = 1\n\ny = np.row_stack([x])\n"

    def rng(l1: int, l2: int) -> types.Range:
        return types.Range(start=types.Position(line=l1, character=0), end=types.Position(line=l2, character=0))

    def pos(line: int, character: int) -> types.Position:
        return types.Position(line=line, character=character)

    # inside a cell: its lines
    cell, r, old, new = nb.cell_edit(rng(0, 1), "import numpy as np\n", "import numpy\n")
    assert (cell.uri, r.start, r.end, old, new) == (f"{NB}#0", pos(0, 0), pos(1, 0), "import numpy as np\n",
                                                     "import numpy\n")
    # up to a cell's end: the joined newline after it is no text of the cell
    cell, r, old, new = nb.cell_edit(rng(1, 2), "import pandas as pd\n", "import pandas as pd\nimport x\n")
    assert (cell.uri, r.start, r.end, old, new) == (f"{NB}#0", pos(1, 0), pos(1, 19), "import pandas as pd",
                                                     "import pandas as pd\nimport x")
    # a cell that ends with its own newline: the empty last line is the cell's
    cell, r, _, _ = nb.cell_edit(rng(2, 3), "x = 1\n", "x = 2\n")
    assert (cell.uri, r.start, r.end) == (f"{NB}#1", pos(0, 0), pos(1, 0))
    # across two cells: nothing
    assert nb.cell_edit(rng(1, 3), "import pandas as pd\nx = 1\n", "x = 1\n") is None


def test_edits_above_need_a_client_that_applies_edits() -> None:
    def server(apply_edit: bool | None) -> SimpleNamespace:
        caps = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(apply_edit=apply_edit))
        return SimpleNamespace(caps=caps)
    assert InlineCompletions._cannot_edit_above(server(True)) == ""
    assert "cannot apply" in InlineCompletions._cannot_edit_above(server(None))
