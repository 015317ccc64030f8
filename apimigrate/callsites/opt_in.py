"""Uses that have already chosen the library's future behaviour through its option.

pandas 3.1 deprecates `infer_freq` (and `.inferred_freq`) returning a string: "Use
``pd.set_option('future.infer_freq_returns_offset', True)`` to opt in to the future behavior". Code
that runs under ``with pd.option_context('future.infer_freq_returns_offset', True):`` has opted in,
and so has code keeping the old behaviour on purpose (xarray 2026.9: ``option_context({...: False})``):
setting the option either way is what the warning asks for, and pandas stays silent. So does code
under a context manager named after the option (statsmodels 0.15: ``with
_infer_freq_returns_offset():``, defined in its compat module) or in a module that calls
``set_option('future.infer_freq_returns_offset', ...)`` at its top level. Such a use is no finding.
"""
from __future__ import annotations

import re
from functools import lru_cache

from tree_sitter import Node

__all__ = ["OptIns", "option_of", "option_words"]

# The option a deprecation message tells users to set: `set_option('future.x', True)`, `option_context("future.x", ...)`.
_OPTION = re.compile(r"\b(?:set_option|option_context)\(\s*['\"](?P<name>[A-Za-z_][\w.]*)['\"]")


@lru_cache(maxsize=4096)
def _option_in(message: str) -> str | None:
    m = _OPTION.search(message)
    return m.group("name") if m else None


def option_of(row: dict) -> str | None:
    """The option the row's message says to set, if it names one."""
    return _option_in(row["message"]) if row.get("message") else None


def option_words(option: str) -> set[str]:
    """Words whose edit can change whether a use opted in (lsp/inert.py): the option's parts, and
    its last part as a helper's name (`_infer_freq_returns_offset`)."""
    parts = option.split(".")
    return {*parts, "_" + parts[-1], "__" + parts[-1], "set_option", "option_context"}


class OptIns:
    """Per file: which nodes run with an option set (computed on demand)."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self._module_level: set[str] | None = None

    def covers(self, node: Node, option: str) -> bool:
        child, cur = node, node.parent
        while cur is not None:
            if cur.type == "with_statement" and child == cur.child_by_field_name("body"):
                clause = next((c for c in cur.named_children if c.type == "with_clause"), None)
                if clause is not None and _sets(clause, option):
                    return True
            child, cur = cur, cur.parent
        return option in self._set_at_module_level()

    def _set_at_module_level(self) -> set[str]:
        if self._module_level is None:
            self._module_level = set()
            for stmt in self.root.named_children:
                call = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
                if call is not None and call.type == "call" and _last_name(call) == "set_option":
                    args = call.child_by_field_name("arguments")
                    first = args.named_children[0] if args is not None and args.named_children else None
                    if first is not None and first.type == "string":
                        self._module_level.add(_string_text(first))
        return self._module_level


def _sets(clause: Node, option: str) -> bool:
    """Whether a `with` clause names the option: as a string, or as a context manager's name."""
    helper = option.rsplit(".", 1)[-1]
    stack = [clause]
    while stack:
        n = stack.pop()
        if n.type == "string" and _string_text(n) == option:
            return True
        if n.type == "call" and (_last_name(n) or "").lstrip("_") == helper:
            return True
        stack.extend(n.named_children)
    return False


def _last_name(call: Node) -> str | None:
    func = call.child_by_field_name("function")
    if func is not None and func.type == "attribute":
        func = func.child_by_field_name("attribute")
    return func.text.decode() if func is not None and func.type == "identifier" else None


def _string_text(node: Node) -> str:
    return "".join(c.text.decode("utf-8", "replace") for c in node.named_children if c.type == "string_content")
