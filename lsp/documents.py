"""Open documents as UTF-8 bytes, kept in step with the client's incremental edits.

The server keeps its own copy (rather than only pygls' workspace text) because
tree-sitter wants byte offsets and an exact description of every edit, so the
previous tree can be reused: on a large file an incremental re-parse costs a
small fraction of a fresh one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from apimigrate.callsites import Edit

from .inert import WordEdit, word_edit

_NEWLINE = re.compile(rb"\n")


@dataclass(frozen=True)
class ByteEdit:
    """One edit in tree-sitter's terms (points are (row, byte column))."""
    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]
    # Set when the edit stays inside one word of one ASCII line (a candidate for the inert path).
    word: WordEdit | None = None


@dataclass(frozen=True)
class ElsewhereEdit(Edit):
    """An edit of another open document than the finding's, in that document's lines.

    A rewrite in a notebook cell may add an import to the cell that imports
    the library (see notebook.py); the quick fix then edits both cells.
    """
    document: Document | None = field(default=None, compare=False, hash=False, repr=False)


def _line_starts(source: bytes) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(source)]


def utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def utf16_to_char(line: str, col16: int) -> int:
    """Column in UTF-16 code units -> column in Python characters (clamped to the line)."""
    if line.isascii():
        return min(col16, len(line))
    units = 0
    for i, ch in enumerate(line):
        if units >= col16:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


@dataclass
class Document:
    uri: str
    version: int
    source: bytes
    line_starts: list[int] = field(default_factory=list)
    # Edits since the last parse; the checker drains them into its tree.
    pending: list[ByteEdit] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.line_starts:
            self.line_starts = _line_starts(self.source)

    @classmethod
    def from_text(cls, uri: str, version: int, text: str) -> Document:
        return cls(uri, version, text.encode("utf-8"))

    # ---- lines and positions -------------------------------------------
    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_bytes(self, line: int) -> bytes:
        """The line without its line break."""
        if line < 0 or line >= len(self.line_starts):
            return b""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.source)
        return self.source[start:end].rstrip(b"\r\n")

    def line_text(self, line: int) -> str:
        return self.line_bytes(line).decode("utf-8", errors="replace")

    def char_to_utf16(self, line: int, col: int) -> int:
        """Column in Python characters (the resolver's unit) -> UTF-16 units (LSP's)."""
        raw = self.line_bytes(line)
        if raw.isascii():
            return col
        return utf16_len(raw.decode("utf-8", errors="replace")[:col])

    def utf16_to_char(self, line: int, col16: int) -> int:
        return utf16_to_char(self.line_text(line), col16)

    def lsp_range(self, line: int, col: int, end_line: int, end_col: int) -> types.Range:
        return types.Range(
            start=types.Position(line=line, character=self.char_to_utf16(line, col)),
            end=types.Position(line=end_line, character=self.char_to_utf16(end_line, end_col)),
        )

    def text_in(self, rng: types.Range) -> str:
        """The text of `rng` (its ends clamped to the document, as an edit's are)."""
        start, end = self._point(rng.start)[0], self._point(rng.end)[0]
        return self.source[start:end].decode("utf-8", errors="replace")

    def _point(self, pos: types.Position) -> tuple[int, int, int]:
        """LSP position -> (byte offset, row, byte column), clamped to the document."""
        if pos.line >= len(self.line_starts):
            row = len(self.line_starts) - 1
            raw = self.source[self.line_starts[row]:]
            return len(self.source), row, len(raw)
        raw = self.line_bytes(pos.line)
        if raw.isascii():
            bcol = min(pos.character, len(raw))
        else:
            text = raw.decode("utf-8", errors="replace")
            bcol = len(text[: utf16_to_char(text, pos.character)].encode("utf-8"))
        return self.line_starts[pos.line] + bcol, pos.line, bcol

    # ---- edits ------------------------------------------------------------
    def apply(self, change: types.TextDocumentContentChangeEvent, version: int) -> None:
        self.version = version
        if not isinstance(change, types.TextDocumentContentChangePartial):
            # A full-text change: the old tree says nothing about the new text.
            self.source = change.text.encode("utf-8")
            self.line_starts = _line_starts(self.source)
            self.pending = []
            self.pending.append(_RESET)
            return
        start, srow, scol = self._point(change.range.start)
        end, erow, ecol = self._point(change.range.end)
        if end < start:
            start, end, srow, scol, erow, ecol = end, start, erow, ecol, srow, scol
        new = change.text.encode("utf-8")
        word = None
        if srow == erow and b"\n" not in new:
            word = word_edit(self.line_text(srow), srow, self.line_starts[srow], scol, ecol, change.text)
        self.source = self.source[:start] + new + self.source[end:]
        nl = new.count(b"\n")
        new_end_point = (srow + nl, (len(new) - new.rfind(b"\n") - 1) if nl else scol + len(new))
        self.pending.append(ByteEdit(start, end, start + len(new), (srow, scol), (erow, ecol), new_end_point, word))
        # Only the lines from the edit on move; the prefix of the table is kept.
        delta = len(new) - (end - start)
        head = self.line_starts[: srow + 1]
        inserted = [start + m.end() for m in _NEWLINE.finditer(new)]
        tail = [s + delta for s in self.line_starts[erow + 1:]]
        self.line_starts = head + inserted + tail

    def mark_reset(self) -> None:
        """Parse from scratch next time (a new text under a known uri)."""
        self.pending.append(_RESET)

    def take_pending(self) -> list[ByteEdit]:
        edits, self.pending = self.pending, []
        return edits


# Marker in `pending`: the text was replaced wholesale, parse from scratch.
_RESET = ByteEdit(-1, -1, -1, (0, 0), (0, 0), (0, 0))


def is_reset(edit: ByteEdit) -> bool:
    return edit.start_byte < 0


def range_json(r: types.Range) -> dict[str, Any]:
    """A range as the JSON the protocol sends (for `Diagnostic.data` and command arguments)."""
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}
