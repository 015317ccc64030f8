"""Compatibility code: deprecated APIs on the path for older versions of their library.

``np._core if np.__version__ >= "2" else np.core``, ``if parse_version(pd.__version__) < parse_version("2.1"):
df.applymap(f)``, ``try: from numpy import trapezoid / except ImportError: from numpy import trapz``:
the old spelling runs only where it still exists, and a project that supports both versions needs
it. Telling users to replace it tells them to drop that support, so such uses are marked
(`Reference.compat`), reported apart and never rewritten.

A branch is compatibility code when the condition that chooses it reads the library's version:
``<alias>.__version__``, ``version("numpy")`` / ``get_distribution("scikit-learn")``, a
module-level name assigned from one of those (``NP2 = np_version >= parse_version("2")``), or
probes the library with ``hasattr(np, "trapezoid")``; the rest of a function body after
``if <condition>: return ...`` (no else) is that condition's false side. When the condition compares the version
(``>=``, ``<``, ``==``...), only the branch for the older side counts: a deprecated API in the
``>= 2`` branch is a plain finding.
"""
from __future__ import annotations

import re

from tree_sitter import Node

from .bindings import local_bindings, root_name

# What a fallback for a missing name or module catches.
_FALLBACK_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError"})
# Calls that read an installed distribution's version from its name.
_VERSION_CALLS = frozenset({"version", "get_distribution", "distribution", "require"})
_WORD = re.compile(rb"\w+")
# Comparison operators -> whether "version OP literal" being true means the newer side.
_NEWER_WHEN_TRUE = {">": True, ">=": True, "==": True, "<": False, "<=": False, "!=": False}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_MAX_HOPS = 3
_NO_VERSION = "no version"        # a condition that does not read the library's version


class CompatBranches:
    """Per file: which nodes sit on a library's older-version path (computed on demand)."""

    def __init__(self, root: Node, data: bytes, aliases: dict[str, set[str]]) -> None:
        self.root = root
        self.data = data
        self.aliases = aliases                  # top-level package -> names bound to its imports
        self._module_values: dict[str, Node] | None = None
        self._directions: dict[tuple[int, str], bool | str | None] = {}
        # Every word of every condition or handler read: an editor keeping findings across an edit
        # must re-check when the edit touches one (lsp/inert.py). `module_words`: the names looked
        # up at module level and the words of their values, which an edit elsewhere can change
        # (lsp/region.py).
        self.words: set[str] = set()
        self.module_words: set[str] = set()

    def covers(self, node: Node, package: str, distribution: str | None = None) -> bool:
        """Whether `node` runs only on versions of `package` older than some other branch serves."""
        names = {package} | ({distribution} if distribution else set())
        child, cur = node, node.parent
        while cur is not None:
            if cur.type == "if_statement":
                condition = cur.child_by_field_name("condition")
                if condition is not None and child != condition:
                    # The consequence is the condition's true side; elif/else clauses its false side.
                    if self._older_side(condition, package, names, child == cur.child_by_field_name("consequence")):
                        return True
            elif cur.type == "elif_clause":
                condition = cur.child_by_field_name("condition")
                if condition is not None and child != condition and \
                        self._older_side(condition, package, names, True):
                    return True
            elif cur.type == "conditional_expression" and len(cur.named_children) == 3:
                body, condition, orelse = cur.named_children
                if child != condition and self._older_side(condition, package, names, child == body):
                    return True
            elif cur.type == "except_clause" and self._catches_fallback(cur):
                return True
            elif cur.type == "block" and cur.parent is not None and cur.parent.type == "function_definition":
                if any(self._older_side(c, package, names, False) for c in _early_exits_before(cur, child)):
                    return True
            child, cur = cur, cur.parent
        return False

    # ---- conditions ----------------------------------------------------------
    def _older_side(self, condition: Node, package: str, names: set[str], true_side: bool) -> bool:
        """Whether the side (`true_side` or not) of `condition` is for older versions of `package`."""
        key = (condition.id, package)
        if key not in self._directions:
            self.words.update(w.decode() for w in _WORD.findall(self.data, condition.start_byte, condition.end_byte))
            reads = self._reads_version(condition, package, names, 0)
            self._directions[key] = self._direction(condition, package, names) if reads else _NO_VERSION
        newer_when_true = self._directions[key]
        if newer_when_true is _NO_VERSION:
            return False
        if newer_when_true is None:
            return True                          # `is_np2()`, `hasattr(np, "x")`: either side is compat
        return true_side != newer_when_true

    def _direction(self, condition: Node, package: str, names: set[str]) -> bool | None:
        """For `version OP other`: whether the condition being true means the newer side."""
        negate = False
        while condition.type in ("not_operator", "parenthesized_expression"):
            if condition.type == "not_operator":
                negate = not negate
            condition = condition.named_children[-1] if condition.named_children else condition
            if not condition.named_children:
                break
        if condition.type != "comparison_operator" or condition.named_child_count != 2:
            return None
        left, right = condition.named_children
        ops = [c.type for c in condition.children if not c.is_named]
        if len(ops) != 1 or ops[0] not in _NEWER_WHEN_TRUE:
            return None
        op = ops[0]
        left_reads = self._reads_version(left, package, names, 0)
        right_reads = self._reads_version(right, package, names, 0)
        if left_reads == right_reads:
            return None
        if right_reads:
            op = _FLIPPED[op]
        return _NEWER_WHEN_TRUE[op] != negate

    def _reads_version(self, node: Node, package: str, names: set[str], hops: int) -> bool:
        aliases = self.aliases.get(package, set())
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "attribute":
                attr = n.child_by_field_name("attribute")
                if attr is not None and attr.text == b"__version__" and _text(root_name(n)) in aliases:
                    return True
            elif n.type == "call":
                func = n.child_by_field_name("function")
                last = _last_name(func)
                args = n.child_by_field_name("arguments")
                first = args.named_children[0] if args is not None and args.named_children else None
                if last in _VERSION_CALLS and first is not None and first.type == "string" \
                        and _string_text(first) in names:
                    return True
                if last == "hasattr" and first is not None and _text(root_name(first)) in aliases:
                    return True
            elif n.type == "identifier" and hops < _MAX_HOPS and not local_bindings(self.root, self.data, n):
                name = n.text.decode()
                self.words.add(name)
                self.module_words.add(name)
                value = self._module_value(name)
                if value is not None and value is not node:
                    found = {w.decode() for w in _WORD.findall(self.data, value.start_byte, value.end_byte)}
                    self.words |= found
                    self.module_words |= found
                    if self._reads_version(value, package, names, hops + 1):
                        return True
            stack.extend(n.named_children)
        return False

    def _module_value(self, name: str) -> Node | None:
        """The value of the module-level assignment `name = ...` (the first one), if any."""
        if self._module_values is None:
            self._module_values = {}
            for stmt in self.root.named_children:
                if stmt.type != "expression_statement" or not stmt.named_children:
                    continue
                assign = stmt.named_children[0]
                left = assign.child_by_field_name("left") if assign.type == "assignment" else None
                right = assign.child_by_field_name("right") if left is not None else None
                if left is not None and left.type == "identifier" and right is not None:
                    self._module_values.setdefault(left.text.decode(), right)
        return self._module_values.get(name)

    # ---- try / except ----------------------------------------------------------
    def _catches_fallback(self, clause: Node) -> bool:
        """`except ImportError:`, `except (AttributeError, KeyError) as e:`."""
        caught = [c for c in clause.named_children if c.type != "block"]
        for c in caught:
            self.words.update(w.decode() for w in _WORD.findall(self.data, c.start_byte, c.end_byte))
        stack = list(caught)
        while stack:
            n = stack.pop()
            if n.type == "identifier" and n.text.decode() in _FALLBACK_ERRORS:
                return True
            if n.type in ("tuple", "parenthesized_expression", "as_pattern", "expression_list"):
                stack.extend(n.named_children)
        return False


def _early_exits_before(body: Node, stmt: Node) -> list[Node]:
    """Conditions of the `if cond: ... return` statements (no else) that precede `stmt` in a function
    body: `stmt` runs only when each is false (`if NP2: return np.vstack(x)` / `return np.row_stack(x)`)."""
    found = []
    for sibling in body.named_children:
        if sibling == stmt:
            return found
        if sibling.type != "if_statement" or sibling.child_by_field_name("alternative") is not None:
            continue
        consequence = sibling.child_by_field_name("consequence")
        last = consequence.named_children[-1] if consequence is not None and consequence.named_children else None
        condition = sibling.child_by_field_name("condition")
        if last is not None and last.type in ("return_statement", "raise_statement") and condition is not None:
            found.append(condition)
    return []


def _last_name(func: Node | None) -> str | None:
    if func is not None and func.type == "attribute":
        func = func.child_by_field_name("attribute")
    return func.text.decode() if func is not None and func.type == "identifier" else None


def _string_text(node: Node) -> str:
    return "".join(c.text.decode("utf-8", "replace") for c in node.named_children if c.type == "string_content")


def _text(node: Node | None) -> str | None:
    return node.text.decode() if node is not None else None
