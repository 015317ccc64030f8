"""Jupyter notebooks (`.ipynb`, nbformat 4): their code cells as one Python source, and back.

The code cells are joined in order, each after a marker comment line, so that an import in
the first cell resolves a use in the tenth, and a finding's line maps back to (cell, line).
IPython syntax that is not Python (`%matplotlib inline`, `!pip install x`, `df?`, a
`%%bash` cell) becomes a comment, line for line, so columns elsewhere stay put; `fix` puts
the original lines back when it writes the notebook.
"""
from __future__ import annotations

import bisect
import copy
import json
import re
import uuid
from dataclasses import dataclass, field, replace

from apimigrate.callsites.ipython import comment_out, ipython_lines


class NotebookError(ValueError):
    """The file is not a notebook this tool can read (one line, for the report)."""


@dataclass
class Notebook:
    doc: dict                                    # the parsed JSON, as read
    source: str                                  # code cells joined, IPython syntax commented out
    cells: list[int] = field(default_factory=list)        # notebook index (0-based) of each code cell
    starts: list[int] = field(default_factory=list)       # its first line in `source` (0-based)
    masked: dict[str, str] = field(default_factory=dict)  # marker line -> the original line
    marker: str = ""                             # the prefix of the line before each cell
    places: SourcePlaces | None = None           # where the cells' characters are in the file's JSON text

    def locate(self, line: int) -> tuple[int, int]:
        """A 0-based line of `source` -> (1-based cell number in the notebook, 0-based line in it)."""
        k = max(0, bisect.bisect_right(self.starts, line) - 1)
        return self.cells[k] + 1, line - self.starts[k]

    def with_source(self, new_source: str) -> Notebook:
        """The same notebook with `new_source` (an edited `source`: lines may have come or gone)."""
        lines = new_source.split("\n")
        starts = [i + 1 for i, line in enumerate(lines) if line.startswith(self.marker)]
        # the file's JSON text is no longer that of these cells: no place in it to give
        return replace(self, source=new_source, starts=starts, places=None)

    def file_position(self, cell: int, line: int, col: int) -> tuple[int, int] | None:
        """(1-based cell number, 0-based line and column in the cell) -> the 0-based line and
        column of the same character in the notebook's JSON text, for a reader of the .ipynb file
        itself (a SARIF viewer); None when not known (the text was edited since)."""
        return self.places.find(cell - 1, line, col) if self.places is not None else None

    def updated(self, new_source: str, original: str) -> str:
        """The notebook's JSON text with the code cells taken from `new_source` (an edited `source`)."""
        doc = copy.deepcopy(self.doc)
        parts = re.split(rf"^{re.escape(self.marker)}(\d+)\n", new_source, flags=re.M)
        # parts: [text before the first marker, index, cell text, index, cell text, ...]
        for index, text in zip(parts[1::2], parts[2::2]):
            cell = doc["cells"][int(index)]
            text = "\n".join(self.masked.get(line, line) for line in text.removesuffix("\n").split("\n"))
            old = _cell_text(cell)
            text += "\n" if old.endswith("\n") else ""
            if text != old:
                cell["source"] = text.splitlines(keepends=True) if isinstance(cell["source"], list) else text
        return json.dumps(doc, indent=_indent(original), ensure_ascii=False) + \
            ("\n" if original.endswith("\n") else "")


def load_notebook(text: str) -> Notebook | None:
    """The notebook's Python code; None for a notebook in another language (an R kernel)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON at line {exc.lineno}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
        version = doc.get("nbformat") if isinstance(doc, dict) else None
        raise NotebookError(f"not a notebook of nbformat 4 (nbformat {version})" if version
                            else "not a notebook: no cells")
    language = _language(doc)
    if language is not None and language != "python":
        return None
    token = uuid.uuid4().hex[:8]          # no line of the notebook can look like a marker by chance
    nb = Notebook(doc, "", marker=f"# apimigrate-cell-{token} ", places=SourcePlaces(text, doc))
    out: list[str] = []
    for index, cell in enumerate(doc["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        out.append(f"{nb.marker}{index}\n")
        nb.cells.append(index)
        nb.starts.append(len(out))
        body = _cell_text(cell).removesuffix("\n").split("\n")
        for text, ipython in zip(body, ipython_lines(body)):
            if ipython:
                key = f"{comment_out(text)}  # apimigrate-ipython-{token}-{len(nb.masked)}"
                nb.masked[key] = text
                text = key
            out.append(text + "\n")
    nb.source = "".join(out)
    return nb


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _language(doc: dict) -> str | None:
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    for key, name in (("language_info", "name"), ("kernelspec", "language")):
        value = meta.get(key, {}).get(name) if isinstance(meta.get(key), dict) else None
        if isinstance(value, str) and value:
            return value.lower()
    return None


def _indent(text: str) -> int | None:
    """The JSON's indent (nbformat writes 1); None for a notebook on one line."""
    m = re.search(r"\n( *)\"", text)
    return len(m.group(1)) if m else None


class SourcePlaces:
    """Where each character of the code cells' sources lies in the notebook's JSON text.

    nbformat writes a cell's source as a list of strings, one per line, each on a line of the
    file, so a use at (cell 3, line 2) is on the file line of the second string, after its quote
    and the escaped characters before it. Worked out from the text itself, not from nbformat's
    layout: a source written as one string (its lines then share a file line), escapes such as
    `\\u00e9` or `\\"`, any indent. Only the cells asked about are decoded, once each."""

    def __init__(self, text: str, doc: dict) -> None:
        self.text, self.doc = text, doc
        self._spans: dict[int, list[tuple[int, int]]] | None = None    # cell -> its source strings
        self._cells: dict[int, _CellPlaces | None] = {}
        self._line_starts: list[int] | None = None

    def find(self, cell: int, line: int, col: int) -> tuple[int, int] | None:
        """(0-based cell index, line and column in its source) -> (line, column) in the text, 0-based."""
        if cell not in self._cells:
            self._cells[cell] = self._decode(cell)
        places = self._cells[cell]
        if places is None or not 0 <= line < len(places.line_starts):
            return None
        line_start = places.line_starts[line]
        line_end = places.line_starts[line + 1] - 1 if line + 1 < len(places.line_starts) else len(places.raw) - 1
        if not 0 <= col <= line_end - line_start:       # past the line's end: not this text's
            return None
        return self._line_col(places.raw[line_start + col])

    def _decode(self, cell: int) -> _CellPlaces | None:
        if self._spans is None:
            self._spans = _source_strings(self.text)
        cells = self.doc.get("cells")
        spans = self._spans.get(cell)
        if not spans or not isinstance(cells, list) or not 0 <= cell < len(cells):
            return None
        chars: list[str] = []
        raw: list[int] = []
        for start, end in spans:
            _decode_string(self.text, start + 1, end - 1, chars, raw)
        raw.append(spans[-1][1] - 1)            # the end of the last character: its closing quote
        # the same text as json.loads read, or the places are not of this cell
        if "".join(chars) != _cell_text(cells[cell]):
            return None
        starts = [0] + [i + 1 for i, c in enumerate(chars) if c == "\n"]
        return _CellPlaces(raw, starts)

    def _line_col(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line, offset - self._line_starts[line]


@dataclass
class _CellPlaces:
    raw: list[int]              # offset in the text of each character of the source, then of its end
    line_starts: list[int]      # index (in the source) of the first character of each line


_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)      # unrolled: fast on an image's base64
_ATOM = re.compile(r"[^\s,\]}]+")                   # a number, true, false, null
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _source_strings(text: str) -> dict[int, list[tuple[int, int]]]:
    """Cell index -> the (start, end) offsets, quotes included, of the strings of its `source`, in
    the JSON text; {} for a text this reader does not follow (json.loads read it, so only a
    nesting too deep for the recursion)."""
    found: dict[int, list[tuple[int, int]]] = {}
    try:
        _value(text, 0, (), found)
    except (RecursionError, IndexError, AttributeError, ValueError):
        return {}
    return found


def _value(text: str, pos: int, path: tuple | None, found: dict[int, list[tuple[int, int]]]) -> int:
    """Read the JSON value at `pos` and return where it ends; `path` is its place (`("cells", 2,
    "source", 0)`) while it may still lead to a cell's source, None below anything else."""
    pos = _SPACE.match(text, pos).end()
    c = text[pos]
    if c == '"':
        end = _STRING.match(text, pos).end()
        if path is not None and len(path) >= 3:           # a source as one string, or a line of it
            found[path[1]].append((pos, end))
        return end
    if c not in "{[":
        return _ATOM.match(text, pos).end()
    close, index = ("}" if c == "{" else "]"), 0
    pos = _SPACE.match(text, pos + 1).end()
    while text[pos] != close:
        if c == "{":
            key_end = _STRING.match(text, pos).end()
            key = json.loads(text[pos:key_end]) if path is not None and len(path) in (0, 2) else None
            pos = _SPACE.match(text, key_end).end() + 1          # past the ':'
        else:
            key, index = index, index + 1
        pos = _value(text, pos, _inner(path, key, found), found)
        pos = _SPACE.match(text, pos).end()
        if text[pos] == ",":
            pos = _SPACE.match(text, pos + 1).end()
    return pos + 1


def _inner(path: tuple | None, key: str | int | None, found: dict[int, list[tuple[int, int]]]) -> tuple | None:
    """The place of a member `key` of the value at `path`, while on the way to a cell's source."""
    if path is None:
        return None
    step = len(path)
    wanted = {0: key == "cells", 1: isinstance(key, int), 2: key == "source", 3: isinstance(key, int)}
    if not wanted.get(step, False):
        return None
    if step == 2:
        found[path[1]] = []       # a repeated "source" key: json.loads keeps the last, so do we
    return (*path, key)


def _decode_string(text: str, pos: int, stop: int, chars: list[str], raw: list[int]) -> None:
    """Decode the JSON string content text[pos:stop], noting each character and its offset."""
    while pos < stop:
        raw.append(pos)
        if text[pos] != "\\":
            chars.append(text[pos])
            pos += 1
        elif text[pos + 1] != "u":
            chars.append(_ESCAPES[text[pos + 1]])
            pos += 2
        else:
            code = int(text[pos + 2:pos + 6], 16)
            pos += 6
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", pos):     # a surrogate pair: one character
                low = int(text[pos + 2:pos + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    pos += 6
            chars.append(chr(code))
