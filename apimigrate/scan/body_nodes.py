"""The nodes of each def's body that forwarding reads, found for a whole module in one query.

Forwarding asks of every def its calls, assignments, loops and `from` imports, those of the def's
own body (not of a nested def, class or lambda: `value_tables.descendants`). Forwarding took a
quarter of a scan's extraction, walking 4.7 million nodes of the four libraries' def bodies from
Python to keep these few; one tree-sitter query finds the module's nodes of those kinds and the
defs, classes and lambdas around them, and a sweep in source order gives each node to the
innermost one that holds it.
"""
from __future__ import annotations

import tree_sitter_python
from tree_sitter import Language, Node, Query, QueryCursor

from .syntax import SCOPES

KINDS = ("call", "assignment", "for_statement", "import_from_statement")
_QUERY = Query(Language(tree_sitter_python.language()),
               "[" + " ".join(f"({kind})" for kind in (*KINDS, *sorted(SCOPES))) + "] @node")


class BodyNodes:
    """Each def's body nodes of KINDS, as `[n for n in descendants(body) if n.type in KINDS]`
    gives them (in source order, an enclosing node before the ones it holds)."""

    def __init__(self, root: Node) -> None:
        found = QueryCursor(_QUERY).captures(root).get("node", [])
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))
        self._owned: dict[tuple[int, int], list[Node]] = {}
        open_scopes: list[Node] = []
        for node in found:
            while open_scopes and open_scopes[-1].end_byte <= node.start_byte:
                open_scopes.pop()
            if node.type in SCOPES:
                open_scopes.append(node)
            elif open_scopes:
                scope = open_scopes[-1]
                self._owned.setdefault((scope.start_byte, scope.end_byte), []).append(node)

    def of(self, func: Node) -> list[Node]:
        """The nodes of `func`'s body (not of its parameters' defaults or annotations)."""
        body = func.child_by_field_name("body")
        owned = self._owned.get((func.start_byte, func.end_byte), [])
        if body is None:
            return []
        start, end = body.start_byte, body.end_byte
        return [n for n in owned if start <= n.start_byte and n.end_byte <= end]
