"""Byte offsets from tree-sitter to (line, character column) positions, and back."""
from __future__ import annotations

import re

_NL = re.compile(rb"\n")


class SourceText:
    """The bytes of one file with cheap conversion of tree-sitter points to character columns."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ascii = data.isascii()
        self._starts: list[int] | None = None

    def line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _NL.finditer(self.data)]
        return self._starts

    def point(self, point: tuple[int, int]) -> tuple[int, int]:
        """tree-sitter (row, byte column) -> (line, column in characters)."""
        if self.ascii:
            return point
        row, col = point
        start = self.line_starts()[row]
        return row, len(self.data[start:start + col].decode("utf-8", "replace"))

    def offset_point(self, offset: int) -> tuple[int, int]:
        """Byte offset -> (line, column in characters)."""
        row = self.data.count(b"\n", 0, offset)
        start = self.data.rfind(b"\n", 0, offset) + 1
        return self.point((row, offset - start))

    def has_word(self, word: str) -> bool:
        return re.search(rb"(?<![\w.])" + re.escape(word.encode()) + rb"\b", self.data) is not None
