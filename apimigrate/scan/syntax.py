"""Small tree-sitter node helpers the Python-source extractors share."""
from __future__ import annotations

from typing import Iterable, Iterator

from tree_sitter import Node

from apimigrate.scan.messages import literal_text


# the nodes that open a scope of their own: a walk of a def's body stops at them
SCOPES = frozenset({"function_definition", "class_definition", "lambda"})


def node_text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def line_of(node: Node) -> int:
    return node.start_point[0] + 1


def ancestor(node: Node | None, types: Iterable[str]) -> Node | None:
    wanted = set(types)
    while node is not None and node.type not in wanted:
        node = node.parent
    return node


def own_nodes(func: Node) -> Iterator[Node]:
    """The nodes of a def's body, not those of the functions, lambdas and classes nested in it."""
    stack = [func.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None or node.type in ("function_definition", "class_definition", "lambda"):
            continue
        yield node
        stack.extend(node.named_children)


def call_args(call: Node) -> tuple[list[Node], dict[str, Node]]:
    """Positional argument nodes and keyword name -> value node."""
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    args = call.child_by_field_name("arguments")
    if args is None:
        return positional, keywords
    for child in args.named_children:
        if child.type == "keyword_argument":
            name, value = child.child_by_field_name("name"), child.child_by_field_name("value")
            if name is not None and value is not None:
                keywords[node_text(name)] = value
        elif child.type != "comment":
            positional.append(child)
    return positional, keywords


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal / implicit concatenation, else None."""
    if node is None:
        return None
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return string_value(node.named_children[0])
    if node.type == "string":
        return literal_text(node_text(node))
    if node.type == "concatenated_string":
        parts = [literal_text(node_text(c)) for c in node.named_children if c.type == "string"]
        return None if any(p is None for p in parts) else "".join(parts)  # type: ignore[arg-type]
    return None


def first_parameter(func: Node) -> str | None:
    """The name of a def's first parameter (a method's instance, `self`), if it is a plain name."""
    params = func.child_by_field_name("parameters")
    for p in params.named_children if params is not None else ():
        if p.type == "identifier":
            return node_text(p)
        if p.type in ("typed_parameter", "default_parameter", "typed_default_parameter"):
            name = p.child_by_field_name("name") or (p.named_children[0] if p.named_child_count else None)
            return node_text(name) if name is not None and name.type == "identifier" else None
        return None
    return None


def def_name(node: Node) -> str:
    return node_text(node.child_by_field_name("name"))


def decorators_of(defn: Node) -> list[Node]:
    parent = defn.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    return [c for c in parent.named_children if c.type == "decorator"]


def decorator_callee(dec: Node) -> tuple[str, Node | None]:
    """(dotted name as written, call node or None) of ``@name`` / ``@name(...)``."""
    expr = dec.named_children[0] if dec.named_child_count else None
    if expr is None:
        return "", None
    if expr.type == "call":
        return node_text(expr.child_by_field_name("function")), expr
    return node_text(expr), None


def last_name(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]
