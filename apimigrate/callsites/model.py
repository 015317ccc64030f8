"""Plain records the call-site resolver returns.

Positions are 0-based lines and 0-based columns counted in characters of the
Python ``str`` line (code points, not bytes and not UTF-16 units): the
command line adds 1 to both, the LSP converts to UTF-16 itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text from (line, col) to (end_line, end_col) with new_text.

    An insertion has equal start and end. Frozen so identical edits (the same
    import added for two references) compare equal and are applied once.
    """
    line: int
    col: int
    end_line: int
    end_col: int
    new_text: str


@dataclass
class Rewrite:
    """Exact edits that replace one deprecated use, including any import they need."""
    edits: list[Edit]
    description: str = ""


@dataclass
class Reference:
    """One use of a deprecated API in a source file.

    kind: ``call`` (the callee of a call), ``reference`` (a bare use such as
    ``f = np.product``), ``attribute`` (the deprecated name is the head of a
    longer attribute chain, or a by-name method match that is not called),
    ``keyword`` (a keyword argument of a parameter deprecation) or ``import``
    (the name or module in an import statement).
    """
    api: str
    row: dict
    line: int
    col: int
    end_line: int
    end_col: int
    kind: str
    confidence: float
    message: str
    rewrite: Rewrite | None = None
    by_name: bool = False          # matched by method name on a value of unknown type
    parameter: str | None = None   # the keyword, for kind == "keyword"

    @property
    def fixable(self) -> bool:
        return self.rewrite is not None


def describe(row: dict) -> str:
    """The human line: 'numpy.row_stack is deprecated since 2.0; use numpy.vstack'."""
    if row.get("kind") == "parameter" and row.get("parameter"):
        what = f"parameter '{row['parameter']}' of {row['api']}"
    else:
        what = row["api"]
    text = f"{what} is deprecated"
    if row.get("since"):
        text += f" since {row['since']}"
    if row.get("removed_in"):
        text += f" (removed in {row['removed_in']})"
    if row.get("kind") == "parameter" and row.get("new_parameter"):
        text += f"; use '{row['new_parameter']}'"
    elif row.get("replacement"):
        text += f"; use {row['replacement']}"
    return text
