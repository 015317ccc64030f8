"""What kind of value a parameter takes, as the numpydoc entry of its docstring says.

A deprecated keyword whose text says "use `variant` instead" is renamed by `fix` only when the
old values mean the same under the new name. scipy 1.17's `anderson_ksamp(midrank=True)` is
documented `midrank : bool` and `variant : {'midrank', 'right', 'continuous'}`: `variant=True`
would be wrong, so that keyword is not a rename. Only plain kinds are read (bool, int, float,
str, sets of string literals, tuple, list and dict, with None); anything else gives no verdict.
"""
from __future__ import annotations

import re

# "name : type" or "a, b : type" at the start of a line, as numpydoc writes parameter entries.
_ENTRY = re.compile(r"(?m)^[ \t]*(?P<names>\*{0,2}[A-Za-z_]\w*(?:[ \t]*,[ \t]*\*{0,2}[A-Za-z_]\w*)*)"
                    r"[ \t]+:[ \t]+(?P<type>\S[^\n]*)$")
# Google style: "name (type): text", "name (type, optional): text".
_GOOGLE_ENTRY = re.compile(r"(?m)^[ \t]*\*{0,2}(?P<name>[A-Za-z_]\w*)[ \t]*\((?P<type>[^()\n]+)\)[ \t]*:")
# The kind of a type that is not plain, by its annotation's text (annotation_kinds).
OTHER = "other:"
_WORDS = {"bool": "bool", "boolean": "bool", "int": "int", "integer": "int", "float": "float",
          "str": "str", "string": "str", "none": "none"}
_CONTAINER = re.compile(r"(tuple|list|dict)\b(?:\s+of\b|\s*[\[(]|\s*$|\s+or\b)", re.I)
_OR_NONE = re.compile(r"\bor\s+None\b", re.I)
_QUALIFIERS = re.compile(r",?\s*(?:optional|default\b.*|keyword-only|keyword only)\s*$", re.I)


def documented_kinds(docstring: str) -> dict[str, frozenset[str]]:
    """The kinds each documented parameter takes (numpydoc `name : type`, Google `name (type):`);
    a parameter whose type is not plain is left out."""
    found: dict[str, frozenset[str]] = {}
    for m in _ENTRY.finditer(docstring):
        kinds = kinds_of(m.group("type"))
        if kinds is None:
            continue
        for name in re.split(r"[ \t]*,[ \t]*", m.group("names")):
            found.setdefault(name.lstrip("*"), kinds)
    for m in _GOOGLE_ENTRY.finditer(docstring):
        kinds = kinds_of(m.group("type"))
        if kinds is not None:
            found.setdefault(m.group("name"), kinds)
    return found


def annotation_kinds(annotation: str) -> frozenset[str]:
    """The kinds a signature's annotation says (`bool | None` -> {bool, none}); a type that is not
    plain is kept as `other:<its text>`, which only the same text matches (`Iterable[Activity]`
    takes no bool)."""
    text = "".join(annotation.split()).strip("'\"")
    optional = re.fullmatch(r"(?:typing\.)?Optional\[(.*)\]", text)
    kinds: set[str] = set()
    if optional:
        text = optional.group(1)
        kinds.add("none")
    depth, part, parts = 0, "", []
    for ch in text:                        # `|` outside brackets
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(part)
            part = ""
        else:
            part += ch
    parts.append(part)
    for part in filter(None, parts):
        plain = kinds_of(part)
        kinds |= plain if plain is not None else {OTHER + part}
    return frozenset(kinds)


def kinds_of(type_text: str) -> frozenset[str] | None:
    """`bool` -> {bool}; `{'a', 'b'}` -> {str}; `int or None` -> {int, none}; None if not plain."""
    text = type_text.strip()
    while True:
        cut = _QUALIFIERS.sub("", text).strip().rstrip(",")
        if cut == text:
            break
        text = cut
    container = _CONTAINER.match(text)
    if container:       # "tuple of (str, str)", "list of str or None": the container is the kind
        return frozenset({container.group(1).lower()} | ({"none"} if _OR_NONE.search(text) else set()))
    kinds: set[str] = set()
    for part in re.split(r"\s*(?:\bor\b|\||,(?![^{]*\}))\s*", text):
        part = part.strip().strip("`")
        if not part:
            continue
        if part.startswith("{") and part.endswith("}"):
            values = [v.strip() for v in part[1:-1].split(",") if v.strip()]
            if not values:
                return None
            for v in values:
                if v[:1] in "'\"" and v[-1:] == v[:1]:
                    kinds.add("str")
                elif v == "None":
                    kinds.add("none")
                else:
                    return None
        elif part.lower() in _WORDS:
            kinds.add(_WORDS[part.lower()])
        else:
            return None
    return frozenset(kinds) or None


def values_carry_over(old: frozenset[str] | None, new: frozenset[str] | None) -> bool:
    """Whether every value of the old parameter's kinds is one the new parameter takes (True
    when either is unknown: no evidence against the rename). None passes either way (it is the
    usual "not given"); an int is a float, not the other way round. Two types that are not plain
    and differ cannot be compared (no evidence either way); a plain kind into types that are not
    (torch's `use_cuda: bool` into `activities: Iterable[ProfilerActivity]`), or the other way
    round (`compute_dtype: torch.dtype` into `is_dynamic: bool`), does not carry over."""
    if old is None or new is None:
        return True
    other_new = any(k.startswith(OTHER) for k in new)
    return all(k in new or k == "none" or (k == "int" and "float" in new)
               or (k.startswith(OTHER) and other_new) for k in old)
