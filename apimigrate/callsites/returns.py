"""Which class a call of a library function returns, by the overload a type checker would pick.

`pd.read_csv(path)` passes neither `iterator=` nor `chunksize=`, so pandas' first two overloads
(`iterator: Literal[True]` with no default; `chunksize: int` with no default) cannot apply and
the third, returning `DataFrame`, does. The signatures come from the scan (scan/signatures.py);
a call whose arguments cannot be lined up with them for sure (`*args`, `**options`, a variable
where an overload wants a literal) gives no class.
"""
from __future__ import annotations

from tree_sitter import Node

from apimigrate.db.records import SELF, canonical_literal


def returned_class(signatures: list[dict], positional: list[Node], keywords: dict[str, Node],
                   *, splat: bool, receiver: str | None) -> str | None:
    """The class the first signature the call's arguments fit returns (`SELF`: `receiver`)."""
    if splat:
        return None
    for sig in signatures:
        if not sig.get("property") and _fits(sig, positional, keywords):
            returns = sig.get("returns")
            return receiver if returns == SELF else returns
    return None


def _fits(sig: dict, positional: list[Node], keywords: dict[str, Node]) -> bool:
    """Whether the call's arguments bind to the signature's parameters, and the literals passed
    where it admits only some are among them."""
    params = sig.get("params") or []
    by_position = [p[0] for p in params if p[1] == "pos"]
    names = {p[0] for p in params if p[1] in ("pos", "kw")}
    takes_args = any(p[1] == "args" for p in params)
    takes_kwargs = any(p[1] == "kwargs" for p in params)
    if len(positional) > len(by_position) and not takes_args:
        return False
    bound = dict(zip(by_position, positional))
    for name, value in keywords.items():
        if name in bound:
            return False                         # given twice: a TypeError, no overload fits
        if name in names:
            bound[name] = value
        elif not takes_kwargs:
            return False
    if any(p[1] in ("pos", "kw") and not p[2] and p[0] not in bound for p in params):
        return False                             # a parameter without a default left out
    for name, admitted in (sig.get("literals") or {}).items():
        if name in bound and canonical_literal(bound[name].text.decode()) not in admitted:
            return False                         # `iterator=True` against `Literal[False]`, or a variable
    for name in sig.get("not_none") or ():
        if name in bound and bound[name].type == "none":
            return False                         # `chunksize=None` against `chunksize: int`
    return True


def property_class(signatures: list[dict], receiver: str) -> str | None:
    """The class a read of a property holds (`SELF`: `receiver`, the class it was read from)."""
    for sig in signatures:
        if sig.get("property"):
            return receiver if sig.get("returns") == SELF else sig.get("returns")
    return None
