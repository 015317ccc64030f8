"""Classify a model's first generated line: does it use the deprecated API, its replacement,
or neither? (DESIGN.md, "Evaluation": the probe protocol of Wang et al., ICSE 2025.)

The line is read with the call-site resolver, aliases taken from the context's imports
(`import numpy as xp` + `xp.row_stack(a)` is `numpy.row_stack`). A method of a library class
on a value of unknown type (`df.applymap(f)`) counts by its name, as `check` counts it; so does
a replacement method (`df.map(f)`), and a builtin replacement (`float`) by its bare name.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from apimigrate.callsites import DeprecationIndex, parse, resolve_line_apis
from apimigrate.callsites.index import is_member
from apimigrate.db.records import canonical_literal

DEPRECATED, REPLACEMENT, MISMATCH = "deprecated", "replacement", "mismatch"
OUTCOMES = (DEPRECATED, REPLACEMENT, MISMATCH)
_BUILTINS = "builtins."


@dataclass(frozen=True)
class LineNames:
    """The names the line spells: attribute names (`.map`) and bare identifiers (`float`)."""
    attributes: frozenset[str]
    identifiers: frozenset[str]


def line_names(context: str, line: str) -> LineNames:
    if context and not context.endswith("\n"):
        context += "\n"
    prefix = context.encode("utf-8")
    data = prefix + line.encode("utf-8")
    start = len(prefix)
    attributes, identifiers = set(), set()
    stack = [parse(data).root_node]
    while stack:
        node = stack.pop()
        if node.end_byte <= start:
            continue
        if node.type == "identifier" and node.start_byte >= start:
            parent = node.parent
            name = node.text.decode()
            if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
                attributes.add(name)
            elif parent is None or parent.type != "keyword_argument" or parent.child_by_field_name("name") != node:
                identifiers.add(name)
        stack.extend(node.children)
    return LineNames(frozenset(attributes), frozenset(identifiers))


def classify(record: dict, line: str, index: DeprecationIndex | None = None) -> str:
    """DEPRECATED, REPLACEMENT or MISMATCH for `line` generated after a dataset record's context
    (`imports` first, so that aliases survive a context cut from the left)."""
    context = (record.get("imports") or "") + record.get("context", "")
    if not line.strip():
        return MISMATCH
    names = line_names(context, line)
    if record.get("kind") == "keyword" and record.get("parameter"):
        # `n_iter=n_iter,` alone on a line of a call the context opened belongs to that call
        if not (_inside_brackets(record.get("context", "")) or _uses(record["api"], context, line, names, index)):
            return MISMATCH
        if _passes_keyword(line, record["parameter"]):
            return DEPRECATED
        return REPLACEMENT if _passes_keyword(line, record.get("replacement") or "") else MISMATCH
    if record.get("kind") == "value" and record.get("parameter") and record.get("value"):
        if not (_inside_brackets(record.get("context", "")) or _uses(record["api"], context, line, names, index)):
            return MISMATCH
        passed = _passed_value(line, record)
        return DEPRECATED if passed == record["value"] else \
            REPLACEMENT if passed is not None and passed == record.get("replacement") else MISMATCH
    if _uses(record["api"], context, line, names, index):
        return DEPRECATED
    replacement = record.get("replacement") or ""
    if replacement and _uses(replacement, context, line, names, None):
        return REPLACEMENT
    return MISMATCH


def _uses(api: str, context: str, line: str, names: LineNames, index: DeprecationIndex | None) -> bool:
    leaf = api.rsplit(".", 1)[-1]
    if api.startswith(_BUILTINS):
        return leaf in names.identifiers
    if (index.is_member(api) if index is not None else is_member(api)) and leaf in names.attributes:
        return True                   # `df.applymap(f)`, `df.map(f)`: by name, receiver unknown
    return api in resolve_line_apis(context, line, index)


def _passes_keyword(line: str, name: str) -> bool:
    """`name=` as a keyword argument (not `name==`); read from the text, since a line of a call
    the context opened does not parse on its own."""
    return bool(name) and re.search(rf"(?<![\w.]){re.escape(name)}\s*=(?!=)", line) is not None


_LITERAL = r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|(?<![\w.])(?:True|False|None|-?\d+(?:\.\d+)?)(?![\w.])"""


def _passed_value(line: str, record: dict) -> str | None:
    """The literal the line passes for the record's parameter (canonical), by keyword or, where the
    record's own line passed it by position, any literal of the line that is the old or new value."""
    keyword = re.search(rf"(?<![\w.]){re.escape(record['parameter'])}\s*=(?!=)\s*({_LITERAL})", line)
    if keyword is not None:
        return canonical_literal(keyword.group(1))
    if _passes_keyword(line, record["parameter"]) or _passes_keyword(record.get("deprecated_line", ""),
                                                                       record["parameter"]):
        return None           # passed by keyword, but not as a literal; or the pair's use was by keyword
    for m in re.finditer(_LITERAL, line):
        value = canonical_literal(m.group(0))
        if value is not None and value in (record["value"], record.get("replacement")):
            return value
    return None


def _inside_brackets(context: str) -> bool:
    """Whether the context ends inside an open bracket (a call going on over lines)."""
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(context).readline):
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth = max(depth - 1, 0)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass                          # EOF inside the bracket: the tokens so far are what counts
    return depth > 0
