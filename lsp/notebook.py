"""Notebook documents (LSP 3.17 `notebookDocument/*`): a notebook's Python cells checked as one module.

An import in the first cell must resolve a use in the tenth, so the server
keeps one `Document` per notebook, under the notebook's uri: its Python code
cells joined in order, each followed by a newline, with IPython syntax
commented out column for column (apimigrate.callsites.ipython). A keystroke in
a cell becomes the same edit, its lines shifted, of that document, so the
checker's incremental paths (inert edits, re-resolving one statement) serve
notebooks as they serve files. Findings are split by cell and told in each
cell's own lines (`views`); a rewrite that adds an import to another cell
carries that edit as an `ElsewhereEdit`.
"""
from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from typing import Sequence

from lsprotocol import types

from apimigrate.callsites import Edit, Reference, Rewrite
from apimigrate.callsites.ipython import mask_cell, mask_line, python_body

from .documents import Document, ElsewhereEdit, utf16_len

# Past the end of any line: Document clamps it to the line's end.
_LINE_END = 2**31 - 1


@dataclass
class CellText:
    doc: Document          # the cell's text as the client has it
    language: str


class Notebook:
    """One open notebook: its cells in order, their texts, and the joined `doc` the checker reads."""

    def __init__(self, notebook: types.NotebookDocument, texts: Sequence[types.TextDocumentItem]) -> None:
        self.uri = notebook.uri
        self.cells: list[types.NotebookCell] = list(notebook.cells)
        self.texts: dict[str, CellText] = {}
        for item in texts:
            self._open(item)
        # Our own version: one step per change of any cell, so a check can tell it was overtaken.
        self.version = 0
        self.doc = Document.from_text(self.uri, self.version, self._joined())
        self._memo: dict[int, tuple[Reference, Reference]] = {}
        self._memo_key: tuple = ()

    # ---- layout ------------------------------------------------------------
    def python_cells(self) -> list[Document]:
        """The texts of the code cells in Python, in notebook order."""
        out = []
        for cell in self.cells:
            text = self.texts.get(cell.document)
            if cell.kind == types.NotebookCellKind.Code and text is not None and text.language == "python":
                out.append(text.doc)
        return out

    def layout(self) -> tuple[list[Document], list[int]]:
        """The Python cells and the line of `doc` each one starts at."""
        docs = self.python_cells()
        starts, line = [], 0
        for d in docs:
            starts.append(line)
            line += d.line_count
        return docs, starts

    def cell_uris(self) -> set[str]:
        return {cell.document for cell in self.cells} | set(self.texts)

    def _joined(self) -> str:
        return "".join(mask_cell(_text(d)) + "\n" for d in self.python_cells())

    # ---- changes -----------------------------------------------------------
    def _open(self, item: types.TextDocumentItem) -> None:
        self.texts[item.uri] = CellText(Document.from_text(item.uri, item.version, item.text), item.language_id)

    def change(self, params: types.DidChangeNotebookDocumentParams) -> None:
        """Apply a didChange: cells added, removed or moved, cell kinds, then cell texts."""
        cells = params.change.cells
        if cells is None:
            return                                   # the notebook's metadata only
        rebuild = False
        if cells.structure is not None:
            s = cells.structure
            for gone in s.did_close or []:
                self.texts.pop(gone.uri, None)
            for item in s.did_open or []:
                self._open(item)
            self.cells[s.array.start:s.array.start + s.array.delete_count] = list(s.array.cells or [])
            rebuild = True
        if cells.data:
            new = {cell.document: cell for cell in cells.data}
            self.cells = [new.get(cell.document, cell) for cell in self.cells]
            rebuild = True
        for content in cells.text_content or []:
            for change in content.changes:
                in_step = self._edit_cell(content.document, change, mirror=not rebuild)
                rebuild = rebuild or not in_step
        if rebuild:
            self.rebuild()

    def rebuild(self) -> None:
        """Join the cells again: `doc` is replaced as a whole (the checker parses it afresh)."""
        self.version += 1
        self.doc.apply(types.TextDocumentContentChangeWholeDocument(text=self._joined()), self.version)

    def _edit_cell(self, ident: types.VersionedTextDocumentIdentifier,
                   change: types.TextDocumentContentChangeEvent, mirror: bool) -> bool:
        """Apply a cell's edit to the cell and, when `mirror`, the same edit to `doc`.

        False when `doc` no longer matches the cells (then it is rebuilt): the
        edit made a line IPython syntax or Python again, which the shifted edit
        alone does not reproduce.
        """
        text = self.texts.get(ident.uri)
        if text is None:
            return True
        cell = text.doc
        docs, starts = self.layout()
        k = next((i for i, d in enumerate(docs) if d is cell), None)
        if k is None or not mirror:
            cell.apply(change, ident.version)
            cell.take_pending()
            return True
        start, lines = starts[k], cell.line_count
        body_python = python_body(cell.line_text(0))
        if isinstance(change, types.TextDocumentContentChangePartial):
            shifted = types.TextDocumentContentChangePartial(
                range=types.Range(start=_shift(change.range.start, start, lines),
                                  end=_shift(change.range.end, start, lines)),
                text=change.text)
            first = min(change.range.start.line, change.range.end.line, lines - 1)
            touched = range(first, first + change.text.count("\n") + 1)
        else:     # the whole cell: replace its lines and the newline after them
            shifted = types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=start, character=0),
                                  end=types.Position(line=start + lines, character=0)),
                text=mask_cell(change.text) + "\n")
            touched = range(0)
        cell.apply(change, ident.version)
        cell.take_pending()
        self.version += 1
        self.doc.apply(shifted, self.version)
        if python_body(cell.line_text(0)) != body_python:
            return False            # `%%bash` typed or undone: every line of the cell reads anew
        return self._matches(cell, start, touched)

    def _matches(self, cell: Document, start: int, rows: range) -> bool:
        """Whether the cell's `rows` in `doc` are the cell's, IPython syntax commented out.

        Whether a line is IPython syntax depends on that line and on the cell's
        first line only, so after an edit only the rows it wrote can differ.
        """
        if start + cell.line_count >= len(self.doc.line_starts):
            return False
        body_python = python_body(cell.line_text(0))
        return all(self.doc.line_text(start + row) == mask_line(cell.line_text(row), row == 0, body_python)
                   for row in rows if row < cell.line_count)

    # ---- findings, cell by cell ----------------------------------------------
    def views(self, refs: list[Reference]) -> list[tuple[Document, list[Reference]]]:
        """Each Python cell with the findings inside it, in the cell's own lines."""
        docs, starts = self.layout()
        key = (tuple(starts), tuple(map(id, docs)))
        if key != self._memo_key:
            self._memo, self._memo_key = {}, key
        memo: dict[int, tuple[Reference, Reference]] = {}
        out: list[tuple[Document, list[Reference]]] = [(d, []) for d in docs]
        if not docs:
            return out
        for ref in refs:
            k = max(0, bisect.bisect_right(starts, ref.line) - 1)
            hit = self._memo.get(id(ref))
            if hit is None or hit[0] is not ref:
                hit = (ref, _in_cell(ref, k, docs, starts))
            memo[id(ref)] = hit
            out[k][1].append(hit[1])
        # Kept so an unchanged finding keeps its view object (diagnostics.JsonCache reuses its JSON).
        self._memo = memo
        return out

    def view(self, cell_uri: str, refs: list[Reference]) -> tuple[Document, list[Reference]] | None:
        """One cell and its findings; None when it is not a Python cell of this notebook."""
        text = self.texts.get(cell_uri)
        if text is None:
            return None
        return next(((d, rs) for d, rs in self.views(refs) if d is text.doc), None)

    def cell_edit(self, rng: types.Range, old_text: str, new_text: str) -> tuple[Document, types.Range, str, str] | None:
        """A whole-line edit of `doc` -> (cell, range, old text, new text): the same edit in the one
        Python cell it falls in. An edit up to the end of a cell's last line takes the newline
        `doc` puts after each cell; that newline is no text of the cell, so both texts shed it.
        None when the edit spans two cells."""
        docs, starts = self.layout()
        if not docs:
            return None
        k = max(0, bisect.bisect_right(starts, rng.start.line) - 1)
        cell, start = docs[k], starts[k]
        past = start + cell.line_count           # the line of `doc` after the cell's last one
        begin = types.Position(line=rng.start.line - start, character=rng.start.character)
        if rng.end.line < past:
            return cell, types.Range(start=begin, end=types.Position(line=rng.end.line - start,
                                                                     character=rng.end.character)), old_text, new_text
        if rng.end.line == past and rng.end.character == 0 and old_text.endswith("\n") and new_text.endswith("\n"):
            last = cell.line_count - 1
            end = types.Position(line=last, character=utf16_len(cell.line_text(last)))
            return cell, types.Range(start=begin, end=end), old_text[:-1], new_text[:-1]
        return None

    def position_in_doc(self, cell_uri: str, pos: types.Position) -> types.Position | None:
        """A position in a cell -> the same place in `doc`."""
        text = self.texts.get(cell_uri)
        docs, starts = self.layout()
        for d, start in zip(docs, starts):
            if text is not None and d is text.doc:
                return _shift(pos, start, d.line_count)
        return None


def _text(doc: Document) -> str:
    return doc.source.decode("utf-8", "replace")


def _shift(pos: types.Position, start: int, lines: int) -> types.Position:
    """A position in a cell of `lines` lines starting at line `start` of the joined document;
    one past the cell's end is clamped to its last line, never the next cell's first."""
    if pos.line >= lines:
        return types.Position(line=start + lines - 1, character=_LINE_END)
    return types.Position(line=start + pos.line, character=pos.character)


def _in_cell(ref: Reference, k: int, docs: list[Document], starts: list[int]) -> Reference:
    """`ref` (lines of the joined document) in the lines of its cell `k`; an edit of its
    rewrite that lands in another cell becomes an `ElsewhereEdit` of that cell."""
    start = starts[k]
    rewrite = ref.rewrite
    if rewrite is not None:
        edits: list[Edit] = []
        for e in rewrite.edits:
            j = max(0, bisect.bisect_right(starts, e.line) - 1)
            if j == k:
                edits.append(Edit(e.line - start, e.col, e.end_line - start, e.end_col, e.new_text))
            else:
                edits.append(ElsewhereEdit(e.line - starts[j], e.col, e.end_line - starts[j], e.end_col,
                                           e.new_text, document=docs[j]))
        rewrite = Rewrite(edits, rewrite.description)
    return dataclasses.replace(ref, line=ref.line - start, end_line=ref.end_line - start, rewrite=rewrite)
