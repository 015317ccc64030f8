"""Test parameters pytest fills with library callables: in

    @pytest.mark.parametrize("path_func", [enet_path, lasso_path])
    def test_paths(path_func):
        path_func(X, y, n_alphas=5)

`path_func(...)` is a call of each value in turn, so a deprecated keyword of `lasso_path` passed there
is as much a use as `lasso_path(X, y, n_alphas=5)` written out. The values may be a module-level list
the decorator names (scikit-learn's `GRADIENT_BOOSTING_ESTIMATORS = [GradientBoostingClassifier,
GradientBoostingRegressor]`), assigned once and never grown. This module only reads the decorators;
the resolver says which values are library callables and checks the calls.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from tree_sitter import Node

from .bindings import binds_name, classify, local_bindings
from .compat import last_name, string_text
from .parsing import code_children, plain_assignment

_PARAMETRIZE = re.compile(rb"\bparametrize\s*\(")
# Top-level statements whose names are their own: a def's body binds nothing of the module's.
_OWN_SCOPES = frozenset({"function_definition", "class_definition", "decorated_definition"})


@dataclass
class Parametrized:
    """A parameter of a test function and the expressions pytest passes as it."""
    function: Node              # the function_definition
    name: str
    values: list[Node]
    via: str | None = None      # the module-level name the values were read through


def parametrized(root: Node, data: bytes) -> Iterator[Parametrized]:
    """Every `@...parametrize("a, b", [(x, y), pytest.param(z, w), ...])` parameter of a function
    (argument names as one string, or a list or tuple of strings; values as a list or tuple)."""
    for m in _PARAMETRIZE.finditer(data):
        node = root.descendant_for_byte_range(m.start(), m.start() + len("parametrize"))
        call = node.parent if node is not None else None          # `@parametrize(...)`
        if call is not None and call.type == "attribute":          # `@pytest.mark.parametrize(...)`
            call = call.parent
        if call is None or call.type != "call" or call.parent is None or call.parent.type != "decorator":
            continue
        definition = call.parent.parent
        function = definition.child_by_field_name("definition") if definition is not None \
            and definition.type == "decorated_definition" else None
        args = call.child_by_field_name("arguments")
        if function is None or function.type != "function_definition" or args is None:
            continue
        positional = [a for a in code_children(args) if a.type != "keyword_argument"]
        if len(positional) < 2 or _indirect(args):
            continue
        via = positional[1].text.decode() if positional[1].type == "identifier" else None
        cases = _module_list(root, data, via) if via is not None else positional[1]
        if cases is None or cases.type not in ("list", "tuple"):
            continue
        names = _argnames(positional[0])
        rows = [_param_values(v) for v in code_children(cases)]
        for i, name in enumerate(names or ()):
            if len(names) == 1:
                values = [r[0] if r is not None and len(r) == 1 else v
                          for r, v in zip(rows, code_children(cases))]
            else:
                values = [r[i] for r in rows if r is not None and len(r) == len(names)]
            yield Parametrized(function, name, values, via)


def _module_list(root: Node, data: bytes, name: str) -> Node | None:
    """The list or tuple the module assigns to `name` at its top level, when that is its one binding
    there and the file never grows it (`name += ...`, `name.append(...)`); None otherwise."""
    if re.search(rb"\b" + re.escape(name.encode()) + rb"\s*(?:\+=|\.(?:append|extend|insert)\s*\()", data):
        return None
    found = []
    for stmt in root.named_children:
        if name.encode() not in stmt.text:
            continue
        pair = plain_assignment(stmt)
        if pair is not None and pair[0].type == "identifier" and pair[0].text.decode() == name:
            found.append(pair[1])
        elif stmt.type not in _OWN_SCOPES and binds_name(stmt, name):
            return None           # bound otherwise at the top level: `for name in ...`, an import
    return found[0] if len(found) == 1 else None


def calls_of(item: Parametrized, root: Node, data: bytes) -> Iterator[Node]:
    """The calls `name(...)` in the function's own body, where nothing but the parameter binds `name`."""
    body = item.function.child_by_field_name("body")
    if body is None:
        return
    pattern = re.compile(rb"\b" + re.escape(item.name.encode()) + rb"\b")
    for m in pattern.finditer(data, body.start_byte, body.end_byte):
        node = root.descendant_for_byte_range(m.start(), m.end())
        if node is None or node.type != "identifier" or node.start_byte != m.start() or node.end_byte != m.end():
            continue
        call = node.parent
        if call is None or call.type != "call" or call.child_by_field_name("function") != node \
                or classify(node, call) != "use":
            continue
        # bound by the parameter alone, in this very function (not a lambda's or a nested def's own)
        bound = local_bindings(root, data, node)
        if len(bound) == 1 and bound[0].parent is not None \
                and item.function.child_by_field_name("parameters") in (bound[0].parent, bound[0].parent.parent):
            yield call


def _indirect(args: Node) -> bool:
    """`indirect=...` other than False: the values go to fixtures, which pass the test what they make."""
    for arg in code_children(args):
        if arg.type == "keyword_argument" and arg.child_by_field_name("name").text == b"indirect":
            value = arg.child_by_field_name("value")
            return value is None or value.type != "false"
    return False


def _argnames(node: Node) -> list[str] | None:
    if node.type == "string":
        text = _string(node)
        return [n.strip() for n in text.split(",") if n.strip()] if text is not None else None
    if node.type in ("list", "tuple"):
        names = [_string(c) if c.type == "string" else None for c in code_children(node)]
        return names if names and all(names) else None
    return None


def _string(node: Node) -> str | None:
    """The text of a plain string literal; None for an f-string."""
    return None if any(c.type == "interpolation" for c in node.named_children) else string_text(node)


def _param_values(value: Node) -> list[Node] | None:
    """The values one case passes: a tuple's or list's items, `pytest.param(...)`'s positional
    arguments, or the value itself as a one-item case."""
    if value.type in ("tuple", "list", "parenthesized_expression"):
        items = code_children(value)
        return items if value.type != "parenthesized_expression" else items[:1]
    if value.type == "call":
        if last_name(value.child_by_field_name("function")) == "param":
            args = value.child_by_field_name("arguments")
            return [a for a in code_children(args) if a.type != "keyword_argument"] if args is not None else None
    return [value]


def branch_conditions(node: Node, function: Node) -> Iterator[tuple[Node, bool]]:
    """The conditions of the `if`/`elif` chains around `node` in `function`, each with whether it
    holds where `node` is (its branch's own: True; an earlier one of the chain: False)."""
    child, parent = node, node.parent
    while parent is not None and parent != function:
        if parent.type == "if_statement":
            alternatives = parent.children_by_field_name("alternative")
            if parent.child_by_field_name("consequence") == child:
                yield parent.child_by_field_name("condition"), True
            elif child in alternatives:
                yield parent.child_by_field_name("condition"), False
                for clause in alternatives:
                    if clause == child:
                        if clause.type == "elif_clause":
                            yield clause.child_by_field_name("condition"), True
                        break
                    yield clause.child_by_field_name("condition"), False
        child, parent = parent, parent.parent


def compared(condition: Node | None, name: str, data: bytes) -> tuple[list[Node], bool] | None:
    """`name == X`, `name is X` (either way round) or `name in (X, Y)`: ([X, ...], True); `!=`, `is not`,
    `not in`: ([X, ...], False); None for any other condition."""
    if condition is None or condition.type != "comparison_operator":
        return None
    operands = code_children(condition)
    if len(operands) != 2:
        return None
    left, right = operands
    operator = b" ".join(data[left.end_byte:right.start_byte].split())
    if operator in (b"in", b"not in"):
        if left.type != "identifier" or left.text.decode() != name or right.type not in ("tuple", "list", "set"):
            return None
        return code_children(right), operator == b"in"
    if operator not in (b"==", b"is", b"!=", b"is not"):
        return None
    for mine, other in ((left, right), (right, left)):
        if mine.type == "identifier" and mine.text.decode() == name:
            return [other], operator in (b"==", b"is")
    return None
