"""IPython syntax in notebook cells: which lines are not Python, and how to read them as comments.

`check` (a `.ipynb` on disk) and the language server (a notebook open in the editor) both
turn a cell into Python before resolving it; a line of IPython syntax (`%matplotlib inline`,
`!pip install x`, `x = !ls`, `df?`, a whole `%%bash` cell) becomes a comment of the same
length, so every other position in the cell stays where it was.
"""
from __future__ import annotations

import re

# Cell magics whose body is Python: only their first line is IPython syntax.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_ASSIGNED_MAGIC = re.compile(r"[\w.\[\], ]+=\s*[%!]")
_HELP = re.compile(r"[\w.\[\]()'\" ]+\?{1,2}")


def ipython_lines(lines: list[str]) -> list[bool]:
    """Which lines of a cell are IPython syntax, not Python."""
    body_python = python_body(lines[0]) if lines else True
    return [line_is_ipython(t, i == 0, body_python) for i, t in enumerate(lines)]


def python_body(first_line: str) -> bool:
    """Whether the lines after `first_line` can be Python: not in a `%%bash` or `%%html` cell."""
    first = first_line.lstrip()
    if not first.startswith("%%"):
        return True
    name = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
    return name in PYTHON_CELL_MAGICS


def line_is_ipython(line: str, first: bool, body_python: bool) -> bool:
    """Whether one line is IPython syntax, given where it is and what the cell's first line says."""
    if not body_python:
        return bool(line.strip())            # `%%bash`: nothing in the cell is Python
    if first and line.lstrip().startswith("%%"):
        return True                          # `%%time`: its first line only
    return is_ipython(line)


def is_ipython(line: str) -> bool:
    """`%magic`, `!shell`, `x = !ls`, `x = %time f()`, `obj?`, `??obj`."""
    s = line.strip()
    if not s or s.startswith("#"):
        return False
    if s[0] in "%!?":
        return True
    if _ASSIGNED_MAGIC.match(s):
        return True
    return s.endswith("?") and "#" not in s and _HELP.fullmatch(s) is not None


def comment_out(line: str) -> str:
    """The line as a comment of the same length: its first non-blank character becomes `#`."""
    stripped = line.lstrip()
    return line[: len(line) - len(stripped)] + "#" + stripped[1:]


def mask_line(line: str, first: bool, body_python: bool) -> str:
    return comment_out(line) if line_is_ipython(line, first, body_python) else line


def mask_cell(text: str) -> str:
    """The cell with each line of IPython syntax commented out, line for line and column for column."""
    if not any(c in text for c in "%!?"):
        return text                      # the common cell: plain Python, nothing to look at
    lines = text.split("\n")
    return "\n".join(comment_out(t) if ipython else t for t, ipython in zip(lines, ipython_lines(lines)))
