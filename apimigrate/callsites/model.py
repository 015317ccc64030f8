"""Plain records the call-site resolver returns.

Positions are 0-based lines and 0-based columns counted in characters of the
Python ``str`` line (code points, not bytes and not UTF-16 units): the
command line adds 1 to both, the LSP converts to UTF-16 itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from apimigrate.db.records import (SETTER, USE_ANY, USE_TRUTHY, announced_for, dated, is_pending, new_values_of,
                                   removal_phrase, replacement_use, usage_of)

from .opt_in import option_of


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


# Rule codes: exact use of a deprecated API; a deprecated use of a parameter (keyword, position,
# value); a use matched by method name only; a call relying on a default that changes.
CODE_API, CODE_KEYWORD, CODE_BY_NAME, CODE_DEFAULT = "APIM001", "APIM002", "APIM003", "APIM004"
_PARAMETER_KINDS = frozenset({"keyword", "argument", "value", "positional"})


@dataclass
class Reference:
    """One use of a deprecated API in a source file.

    kind: ``call`` (the callee of a call), ``reference`` (a bare use such as
    ``f = np.product``), ``attribute`` (the deprecated name is the head of a
    longer attribute chain, or a by-name method match that is not called),
    ``keyword`` (a keyword argument of a parameter deprecation), ``argument`` (the
    same parameter passed by position), ``value`` (a deprecated value of a parameter),
    ``default`` (the call leaves out a parameter whose default changes; reported on the
    callee), ``positional`` (passed by position where a keyword is now required) or
    ``import`` (the name or module in an import statement).
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
    parameter: str | None = None   # the parameter, for the parameter kinds
    value: str | None = None       # the deprecated literal passed, for kind == "value"
    # On the path for older versions of the library (a version-gated branch, an ImportError
    # fallback: callsites/compat.py): reported apart, never rewritten.
    compat: bool = False
    # the name the use reaches `api` by when it differs: `pandas.DataFrame.fillna` on a DataFrame for
    # `pandas.core.generic.NDFrame.fillna` (the row's api, where the member is defined)
    name: str | None = None

    @property
    def pending(self) -> bool:
        """The deprecation is only announced in the newest version scanned (`db.is_pending`)."""
        return is_pending(self.row)

    @property
    def conditional(self) -> bool:
        """A default change the library warns of for some inputs only (`Deprecation.conditional`)."""
        return self.kind == "default" and bool(self.row.get("conditional"))

    @property
    def fixable(self) -> bool:
        return self.rewrite is not None

    @property
    def code(self) -> str:
        if self.by_name:
            return CODE_BY_NAME
        if self.kind == "default":
            return CODE_DEFAULT
        return CODE_KEYWORD if self.kind in _PARAMETER_KINDS else CODE_API


def replacement_as_met(row: dict, name: str | None = None) -> str | None:
    """The row's replacement as a use reaching the API as `name` meets it: a member of the class that
    defines the deprecated member is that member of the class the use reaches it through (pandas
    2.x's `NDFrame.swapaxes` -> `NDFrame.transpose`, met as `DataFrame.swapaxes`: `DataFrame.transpose`)."""
    replacement = row.get("replacement")
    if not replacement or not name or name == row["api"] or "." not in name or row.get("kind") == "parameter":
        return replacement
    owner, _, member = replacement.rpartition(".")
    if owner != row["api"].rpartition(".")[0]:
        return replacement
    return f"{name.rpartition('.')[0]}.{member}"


def describe(row: dict, kind: str | None = None, value: str | None = None, name: str | None = None) -> str:
    """The human line: 'numpy.row_stack is deprecated since 2.0; use numpy.vstack'; for a
    deprecation only announced, 'numpy.fix will be deprecated in 2.5; use numpy.trunc'.

    `name`: what the use reaches the API as, when that differs from where it is defined
    (`pandas.DataFrame.fillna` on a DataFrame, for `pandas.core.generic.NDFrame.fillna`).

    For a parameter, `kind` says how the call meets the deprecation: ``keyword`` (passed by
    name), ``argument`` (by position), ``value`` (a deprecated value, given in `value`),
    ``default`` (left out while its default changes) or ``positional`` (by position where a
    keyword is required).
    """
    api = name or row["api"]
    what = f"parameter '{row['parameter']}' of {api}" if row.get("kind") == "parameter" and row.get("parameter") \
        else f"setting {api}" if row.get("kind") == SETTER else api
    if kind == "default":
        # removed_in is not used: on a row that also deprecates the parameter it dates the removal
        text = f"the default of {what} will change"
        notes = ([f"announced in {row['since']}"] if row.get("since") else []) + \
            (["the library warns for some inputs only"] if row.get("conditional") else [])
        text += f" ({'; '.join(notes)})" if notes else ""
        return text + "; pass it explicitly"
    if kind == "positional":
        return f"passing {what} by position {_status(row)}" + "; pass it by keyword"
    if kind in ("keyword", "argument") and USE_TRUTHY in usage_of(row) and USE_ANY not in usage_of(row):
        what = f"a true value of {what}"          # the warning runs under `if param:`
    # a value, or the parameter passed at all, may have dates of its own (records.dated)
    text = (f"value {value} of {what}" if kind == "value" and value else what) + " " + _status(dated(row, kind, value))
    if kind == "value" and row.get("conditional"):
        text += " for some inputs"    # pandas' resample(rule="M"): not on a PeriodIndex
    equivalent = new_values_of(row).get(value) if kind == "value" and value else None
    if equivalent is not None:
        text += f"; use {equivalent}, which is equivalent"
    elif row.get("ignored") and kind in ("keyword", "argument"):
        # "To accumulate gradient ..., please use torch.autograd.backward" is no advice for this call
        text += " and has no effect; leave it out"
    elif row.get("kind") == "parameter" and row.get("new_parameter") and kind != "value":
        text += f"; use '{row['new_parameter']}'"
    elif row.get("replacement"):
        text += f"; use {replacement_use(row) or replacement_as_met(row, name)}"
    elif (opt_in := option_of(row)) is not None:
        # pandas 3.1's `infer_freq`: the advice is an option, not another API
        text += f"; to opt in to the future behaviour, set the option '{opt_in.name}' to True"
    return text


def _status(row: dict) -> str:
    """'is deprecated since 2.0 (removed in 2.3)', '... (to be removed in 3.0)', 'will be deprecated in
    2.5', 'is pending deprecation'."""
    announced = announced_for(row)
    if announced:
        text = f"will be deprecated in {announced}"
    else:
        text = ("is pending deprecation" if is_pending(row) else "is deprecated") + \
            (f" since {row['since']}" if row.get("since") else "")
    removal = removal_phrase(row)
    return text + (f" ({removal})" if removal else "")
