"""Parsing user code with tree-sitter-python (one parser per thread)."""
from __future__ import annotations

import threading

import tree_sitter
import tree_sitter_python

LANGUAGE = tree_sitter.Language(tree_sitter_python.language())
_local = threading.local()


def _parser() -> tree_sitter.Parser:
    # A Parser keeps state between calls, so threads (the LSP) each get their own.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = tree_sitter.Parser(LANGUAGE)
    return parser


def parse(source: bytes | str, old_tree: tree_sitter.Tree | None = None) -> tree_sitter.Tree:
    """Parse Python source; pass the previous tree (after ``Tree.edit``) to reparse incrementally."""
    if isinstance(source, str):
        source = source.encode("utf-8")
    if old_tree is None:
        return _parser().parse(source)
    return _parser().parse(source, old_tree)


def code_children(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """`node`'s named children less comments, which tree-sitter puts wherever they stand, inside an
    expression too (`x  # why` before the `if` of a conditional expression)."""
    return [c for c in node.named_children if c.type != "comment"]


def plain_assignment(stmt: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node] | None:
    """(left, right) of a statement `left = right` with one `=`; None for anything else."""
    if stmt.type != "expression_statement" or not stmt.named_children:
        return None
    assignment = stmt.named_children[0]
    if assignment.type != "assignment":
        return None
    left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    if left is None or right is None or right.type == "assignment":
        return None
    return left, right


def has_syntax_error(tree: tree_sitter.Tree) -> bool:
    return tree.root_node.has_error


def first_error(tree: tree_sitter.Tree) -> tuple[int, int] | None:
    """(line, byte column) of the first ERROR or MISSING node, 0-based."""
    node = tree.root_node
    if not node.has_error:
        return None
    while True:
        for child in node.children:
            if child.is_error or child.is_missing:
                return child.start_point
            if child.has_error:
                node = child
                break
        else:
            return node.start_point
