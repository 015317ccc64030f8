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

    def locate(self, line: int) -> tuple[int, int]:
        """A 0-based line of `source` -> (1-based cell number in the notebook, 0-based line in it)."""
        k = max(0, bisect.bisect_right(self.starts, line) - 1)
        return self.cells[k] + 1, line - self.starts[k]

    def with_source(self, new_source: str) -> Notebook:
        """The same notebook with `new_source` (an edited `source`: lines may have come or gone)."""
        lines = new_source.split("\n")
        starts = [i + 1 for i, line in enumerate(lines) if line.startswith(self.marker)]
        return replace(self, source=new_source, starts=starts)

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
    nb = Notebook(doc, "", marker=f"# apimigrate-cell-{token} ")
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
