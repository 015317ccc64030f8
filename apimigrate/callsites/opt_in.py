"""Uses that have already chosen the library's future behaviour through its option.

pandas 3.1 deprecates `infer_freq` (and `.inferred_freq`) returning a string: "Use
``pd.set_option('future.infer_freq_returns_offset', True)`` to opt in to the future behavior". Code
that runs under ``with pd.option_context('future.infer_freq_returns_offset', True):`` has opted in,
and pandas stays silent. So does code under a context manager named after the option (statsmodels
0.15: ``with _infer_freq_returns_offset():``, defined in its compat module) or below a module-level
``pd.set_option('future.infer_freq_returns_offset', True)``. Such a use is no finding.

Only an opt-in counts: the option is a `future.*` one or the message speaks of opting in to a
future behaviour (pandas' "Use ``pd.set_option('display.precision', N)``" for
`set_eng_float_format` names the replacement, not a way to silence it); the value set is `True`
(`False` keeps the old behaviour, and pandas' `future.no_silent_downcasting` still warns then),
unless the message itself offers `False`; and `set_option` / `option_context` must be the
library's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from tree_sitter import Node

from .compat import last_name, string_text
from .parsing import code_children

__all__ = ["OptIn", "OptIns", "option_of", "option_words"]

# The option a deprecation message tells users to set: `set_option('future.x', True)`, `option_context("future.x", ...)`.
_OPTION = re.compile(r"\b(?:set_option|option_context)\(\s*['\"](?P<name>[A-Za-z_][\w.]*)['\"]")
_OPTING_IN = re.compile(r"\bopt(?:s|ing)?[- ]in\b|\bfuture\s+behaviou?r", re.I)
_OFFERS_FALSE = re.compile(r"\bFalse\b")


@dataclass(frozen=True)
class OptIn:
    name: str              # "future.infer_freq_returns_offset"
    false_too: bool        # the message says setting it to False silences the warning as well


@lru_cache(maxsize=4096)
def _opt_in(message: str) -> OptIn | None:
    m = _OPTION.search(message)
    if m is None:
        return None
    name = m.group("name")
    if not (name.startswith("future.") or _OPTING_IN.search(message)):
        return None
    return OptIn(name, bool(_OFFERS_FALSE.search(message[m.end():])))


def option_of(row: dict) -> OptIn | None:
    """The option the row's message says to set to opt in to the future behaviour, if any."""
    return _opt_in(row["message"]) if row.get("message") else None


def option_words(option: OptIn) -> set[str]:
    """Words whose edit can change whether a use opted in (lsp/inert.py): the option's parts, its
    last part as a helper's name (`_infer_freq_returns_offset`), the calls and the values."""
    parts = option.name.split(".")
    return {*parts, "_" + parts[-1], "__" + parts[-1], "set_option", "option_context", "True", "False"}


# callee node, package -> whether the call is that package's own (`pd.set_option`, an imported `option_context`)
Owner = Callable[[Node, str], bool]


class OptIns:
    """Per file: which nodes run with an option set (computed on demand)."""

    def __init__(self, root: Node, owned_by: Owner) -> None:
        self.root = root
        self.owned_by = owned_by

    def covers(self, node: Node, option: OptIn, package: str) -> bool:
        child, cur = node, node.parent
        while cur is not None:
            if cur.type == "with_statement" and child == cur.child_by_field_name("body"):
                clause = next((c for c in cur.named_children if c.type == "with_clause"), None)
                if clause is not None and self._sets(clause, option, package):
                    return True
            child, cur = cur, cur.parent
        return any(self._setting(call, option, package) for call in self._module_level_before(node.start_byte))

    def _module_level_before(self, pos: int):
        for stmt in self.root.named_children:
            if stmt.start_byte >= pos:
                return
            call = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
            if call is not None and call.type == "call" and _last_name(call) == "set_option":
                yield call

    def _sets(self, clause: Node, option: OptIn, package: str) -> bool:
        """Whether a `with` clause sets the option: the library's `option_context`, or a context
        manager of the project's named after the option."""
        helper = option.name.rsplit(".", 1)[-1]
        for item in clause.named_children:
            call = item.named_children[0] if item.type == "with_item" and item.named_children else item
            if call.type != "call":
                continue
            name = _last_name(call) or ""
            if name == "option_context" and self._setting(call, option, package):
                return True
            if name != "option_context" and name.lstrip("_") == helper:
                return True
        return False

    def _setting(self, call: Node, option: OptIn, package: str) -> bool:
        """`set_option(name, value)` / `option_context(name, value)` / `option_context({name: value})`,
        of the library, with a value that opts in."""
        func = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if func is None or args is None or not self.owned_by(func, package):
            return False
        values = code_children(args)
        if len(values) >= 2 and values[0].type == "string" and string_text(values[0]) == option.name:
            return _opts_in(values[1], option)
        if values and values[0].type == "dictionary":
            for pair in values[0].named_children:
                key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                if key is not None and key.type == "string" and string_text(key) == option.name:
                    return value is not None and _opts_in(value, option)
        return False


def _opts_in(value: Node, option: OptIn) -> bool:
    return value.type == "true" or (value.type == "false" and option.false_too)


def _last_name(call: Node) -> str | None:
    return last_name(call.child_by_field_name("function"))
