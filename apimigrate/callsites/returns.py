"""Which class a call of a library function returns, by the overload a type checker would pick.

`pd.read_csv(path)` passes neither `iterator=` nor `chunksize=`, so pandas' first two overloads
(`iterator: Literal[True]` with no default; `chunksize: int` with no default) cannot apply and
the third, returning `DataFrame`, does. The signatures come from the scan (scan/signatures.py).

The types of the call's arguments are unknown, except where they are literals. An overload the
arguments cannot bind to, or a literal they pass does not fit (`iterator=True` against
`Literal[False]`, `chunksize=None` against `int`), is out. Of those left, the first is the one
only when the arguments it cannot judge go to parameters every other one annotates alike:
numpy's `isclose(a: _ScalarLike_co, ...) -> bool` comes before `isclose(a: ArrayLike, ...) ->
NDArray`, and `np.isclose(x, y)` may be either, so it gets the union of the classes they return
(db/records.py `union_of`; nothing when one of them returns no library class, as `bool`). A
function annotated with a union returns that union (`rolling() -> Window | Rolling`); a member
used on the value tells which of its classes it is (callsites/index.py `narrowed`). A variable
where an overload wants a literal (`iterator=flag`) is taken as a type checker takes a `bool`: no
fit. A call with `*args` or `**options` gets no class.
"""
from __future__ import annotations

from tree_sitter import Node

from apimigrate.db.records import SELF, canonical_literal, literal_value, union_classes, union_of_known

# The builtin annotations (scan/signatures.py `types`) a literal of each type fits.
_FITS = {
    "NoneType": {"None"},
    "bool": {"bool", "int", "float", "complex"},
    "int": {"int", "float", "complex"},
    "float": {"float", "complex"},
    "complex": {"complex"},
    "str": {"str", "Sequence", "Iterable"},
    "bytes": {"bytes", "Sequence", "Iterable"},
}
# Annotations any argument fits.
_ANYTHING = frozenset({"Any", "object", "typing.Any"})


def returned_class(signatures: list[dict], positional: list[Node], keywords: dict[str, Node],
                   *, splat: bool, receiver: str | None) -> str | None:
    """The class the overload the call's arguments pick returns (`SELF`: `receiver`); when their
    types decide between overloads, of any class those return."""
    picked = picked_signatures(signatures, positional, keywords, splat=splat)
    return any_returned_class(picked, receiver=receiver) if picked else None


def returned_items(signatures: list[dict], *, receiver: str | None) -> list[str | None] | None:
    """The class of each item of the tuple the signatures return (scan/signatures.py `items`),
    each the union of theirs, None where one is unknown; None when one returns no tuple of that length."""
    lengths = {len(sig["items"]) if sig.get("items") else -1 for sig in signatures}
    if not signatures or len(lengths) != 1 or -1 in lengths:
        return None
    return [union_of_known(_class(sig["items"][i], receiver) for sig in signatures) for i in range(lengths.pop())]


def picked_signatures(signatures: list[dict], positional: list[Node], keywords: dict[str, Node],
                      *, splat: bool) -> list[dict]:
    """The overload the call's arguments pick, or all that fit when their types decide; [] when
    none fits or the call spreads `*args`/`**options`."""
    if splat:
        return []
    candidates = []
    for sig in signatures:
        if sig.get("property"):
            continue
        bound = _bind(sig, positional, keywords)
        if bound is not None:
            candidates.append((sig, bound))
    if not candidates:
        return []
    (first, bound), others = candidates[0], candidates[1:]
    mine = first.get("annotations") or {}
    for name, sure in bound.items():
        if not sure and any(name not in theirs or (sig.get("annotations") or {}).get(name) != mine.get(name)
                            for sig, theirs in others):
            return [sig for sig, _ in candidates]
    return [first]


def any_returned_class(signatures: list[dict], *, receiver: str | None) -> str | None:
    """The class (or union) a call of any of the signatures returns, whatever its arguments; None
    when one of them returns no library class."""
    return union_of_known(_class(sig.get("returns"), receiver) for sig in signatures if not sig.get("property"))


def _class(returns: str | None, receiver: str | None) -> str | None:
    """`returns` with `Self` made the receiver's class; None when it has none to be."""
    return union_of_known(receiver if c == SELF else c for c in union_classes(returns)) if returns else None


def _bind(sig: dict, positional: list[Node], keywords: dict[str, Node]) -> dict[str, bool] | None:
    """The parameters the call's arguments go to, each with whether its argument surely fits;
    None when the call cannot be this signature's (an argument too many, a required parameter
    left out, a literal its annotation does not admit)."""
    params = sig.get("params") or []
    by_position = [p[0] for p in params if p[1] in ("posonly", "pos")]
    names = {p[0] for p in params if p[1] in ("pos", "kw")}
    star = next((p[0] for p in params if p[1] == "args"), None)
    double_star = next((p[0] for p in params if p[1] == "kwargs"), None)
    if len(positional) > len(by_position) and star is None:
        return None
    given: list[tuple[str, Node]] = list(zip(by_position, positional))
    given += [(star, value) for value in positional[len(by_position):]]      # type: ignore[misc]
    taken = {name for name, _ in given}
    for name, value in keywords.items():
        if name in taken:
            return None                          # given twice: a TypeError, no overload fits
        if name in names:
            given.append((name, value))
        elif double_star is not None:
            given.append((double_star, value))
        else:
            return None
        taken.add(name)
    if any(p[1] in ("posonly", "pos", "kw") and not p[2] and p[0] not in taken for p in params):
        return None                              # a parameter without a default left out
    literals, types, annotations = sig.get("literals") or {}, sig.get("types") or {}, sig.get("annotations") or {}
    bound: dict[str, bool] = {}
    for name, value in given:
        text = value.text.decode()
        if name in literals:
            if canonical_literal(text) not in literals[name]:
                return None                      # `iterator=True` against `Literal[False]`, or a variable
            sure = True
        elif name in types:
            kind = _literal_type(text)
            if kind is not None and not _FITS.get(kind, set()) & set(types[name]):
                return None                      # `chunksize=None` against `chunksize: int`
            sure = kind is not None
        else:
            sure = annotations.get(name) is None or annotations[name] in _ANYTHING
        bound[name] = bound.get(name, True) and sure
    return bound


def _literal_type(text: str) -> str | None:
    """`None` -> "NoneType", `10` -> "int", `"a"` -> "str"; None for what is no scalar literal."""
    if canonical_literal(text) is None:
        return None
    return type(literal_value(text.strip())).__name__


def property_class(signatures: list[dict], receiver: str) -> str | None:
    """The class a read of a property holds (`SELF`: `receiver`, the class it was read from)."""
    for sig in signatures:
        if sig.get("property"):
            return _class(sig.get("returns"), receiver)
    return None
