"""A warning under `if param == "lit":` is about passing that value.

pandas 3.0 ``to_json``: ``elif date_format == "epoch": warn("'epoch' date format is deprecated ...")``;
numpy ``linalg.qr``: ``elif mode in ('e', 'economic'): warn("The 'economic' option is deprecated.")``.
The message quotes the value and names no parameter, yet the branch it sits in says which
parameter and which values: exactly the calls passing one of them warn. The innermost branch
around the warning decides; a test of anything else there, or a combined test, says nothing.
``isinstance(param, bool)`` is a test of the two values True and False (scikit-learn 1.8 ``MDS``:
``metric=False`` is deprecated, ``metric="euclidean"`` is not). scikit-learn tests its
constructor's parameters in ``fit``, as ``self.metric``: such a test narrows the values of a
parameter the warning is already about, and names none itself.

A test against the parameter's own default says whether it was given: ``if precenter is not
_NoValue:`` (a placeholder default) warns for any use of it, ``if method is None:`` (scipy 1.17
``anderson``, ``method=None``) for leaving it out (`default_guard`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from apimigrate.db.records import canonical_literal

_COLLECTIONS = frozenset({"tuple", "list", "set"})
# Defaults that stand for "not given" (scipy `_NoValue`, pandas `lib.no_default`, scikit-learn
# "deprecated" / "warn"), as opposed to a value someone may pass on purpose.
_SENTINEL = re.compile(r"(?i)no_?value|no_?default|not_?(?:set|given|passed)|sentinel|missing|unset|deprecated"
                       r"|^['\"]warn['\"]$")


@dataclass(frozen=True)
class ValueGuard:
    parameter: str
    values: tuple[str, ...]       # canonical literals (`'epoch'`), as parameter rows store them
    raw: tuple[str, ...]          # the strings as written, for finding them quoted in a message
    on_self: bool = False         # `self.param`: a constructor's parameter tested in another method


def value_guard(call: Node, func: Node, params: list[str]) -> ValueGuard | None:
    """The literal test of one of `params` that the innermost if/elif branch around `call` (inside
    `func`) makes, or None."""
    condition = branch_condition(call, func)
    return _literal_test(condition, params) if condition is not None else None


@dataclass(frozen=True)
class DefaultGuard:
    parameter: str
    passed: bool    # `is not` / `!=` a placeholder default: any use warns; else `is` / `==`: leaving it out
    default: str    # the default as written


def default_guard(call: Node, func: Node, defaults: dict[str, str]) -> DefaultGuard | None:
    """The innermost branch around `call` compares a parameter with its default (`defaults`:
    parameter, `self.name` for the constructor's, -> the default as written): `if precenter is
    not _NoValue:` (scipy; pandas' `lib.no_default`, scikit-learn's `self.criterion !=
    "deprecated"` in fit) says it was passed; `if method is None:` (scipy 1.17 `anderson`) that
    it was left out. Only a placeholder default means "not passed": torch's
    `spawn(start_method="spawn")` passes its default and does not warn, though `if start_method
    != "spawn":` guards the warning. `None` is Python's own placeholder: torch 2.13's
    `LRScheduler.step(epoch=None)` warns `if epoch is not None:`, and `ReduceLROnPlateau.step`
    in the `else:` of `if epoch is None:`, whenever a value is passed."""
    condition, negated = branch_condition(call, func), False
    if condition is None:
        condition, negated = _else_condition(call, func), True
    if condition is None or condition.type != "comparison_operator" or condition.named_child_count != 2:
        return None
    left, right = condition.named_children
    operator = " ".join(c.type for c in condition.children if not c.is_named)
    if negated:
        operator = _NEGATION.get(operator, "")
    subject = _subject(left, [name for name in defaults if not name.startswith("self.")])
    if subject is None:
        return None
    name, on_self = subject
    default = defaults.get(f"self.{name}" if on_self else name)
    if default != right.text.decode():
        return None
    if operator in ("is not", "!="):
        return DefaultGuard(name, True, default) if _SENTINEL.search(default) or default == "None" else None
    return DefaultGuard(name, False, default) if operator in ("is", "==") and not on_self else None


def branch_condition(call: Node, func: Node) -> Node | None:
    """The condition (out of its parentheses) of the innermost if/elif branch whose body holds
    `call`; None in an else."""
    child, cur = call, call.parent
    while cur is not None and cur != func:
        if cur.type in ("if_statement", "elif_clause"):
            if child != cur.child_by_field_name("consequence"):
                return None                      # an else branch: every other value
            statement = cur if cur.type == "if_statement" else cur.parent
            if _every_branch_warns(statement, call):
                return None
            return unparenthesized(cur.child_by_field_name("condition"))
        child, cur = cur, cur.parent
    return None


def tests_the_data(call: Node, func: Node, parameter: str) -> bool:
    """Whether the innermost if/elif branch around `call` tests something other than `parameter`:
    pandas 3.1's ``assert_index_equal`` warns of its `exact` default under ``if exact is
    lib.no_default:`` and then ``if _check_rangeindex_index_int(left, right):``, of `check_freq`'s
    under ``if left.freq != right.freq:``. The default changes for every call, but only such inputs
    show it, as under ``if sep is None and path.endswith(".tsv"):``; ``if n_init == "warn":`` is a test of
    the parameter itself."""
    condition = branch_condition(call, func)
    if condition is None:
        return False
    # `if sep is None and path.endswith(".tsv"):` tests the data as well: each side of an `and` counts
    return any(not any(n.type == "identifier" and n.text.decode() == parameter for n in walk(part))
               for part in conjuncts(condition))


def conjuncts(condition: Node) -> list[Node]:
    condition = unparenthesized(condition)
    if condition.type == "boolean_operator" and condition.child_by_field_name("operator").type == "and":
        return conjuncts(condition.child_by_field_name("left")) + conjuncts(condition.child_by_field_name("right"))
    return [condition]


def walk(node: Node) -> list[Node]:
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        found.append(n)
        stack.extend(n.named_children)
    return found


def _every_branch_warns(statement: Node | None, call: Node) -> bool:
    """Whether each branch of the if statement, an else among them, makes a call as `call` does:
    numpy's `random_integers` warns "This function is deprecated" under `if high is None:` and in
    its `else:`, with other advice; no value of `high` escapes it, the function is what is
    deprecated."""
    callee = call.child_by_field_name("function")
    branches = branches_with_else(statement)
    return callee is not None and branches is not None and all(_calls(b, callee.text) for b in branches)


def branches_with_else(statement: Node | None) -> list[Node] | None:
    """The bodies of an if statement's branches, when it has an `else:` (every way through it
    takes one of them); None otherwise."""
    if statement is None or statement.type != "if_statement" \
            or not any(c.type == "else_clause" for c in statement.named_children):
        return None
    branches = [statement.child_by_field_name("consequence")]
    branches += [c.child_by_field_name("consequence") if c.type == "elif_clause" else c.child_by_field_name("body")
                 for c in statement.named_children if c.type in ("elif_clause", "else_clause")]
    return branches if all(b is not None for b in branches) else None


def _calls(node: Node, callee: bytes) -> bool:
    if node.type == "call":
        f = node.child_by_field_name("function")
        if f is not None and f.text == callee:
            return True
    return any(_calls(c, callee) for c in node.named_children
               if c.type not in ("function_definition", "class_definition"))


def unparenthesized(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


_NEGATION = {"is": "is not", "==": "!=", "is not": "is", "!=": "=="}


def _else_condition(call: Node, func: Node) -> Node | None:
    """The condition of the lone `if` (no `elif`) of the def's own body whose `else:` holds `call`,
    out of its parentheses: the warning runs exactly when that condition is false. Not an `if`
    nested in another: torch 2.13 `nccl.reduce` warns in the `else:` of `if output is not None:`
    inside `if outputs is not None:`, about passing `outputs`, not about leaving `output` out."""
    cur = call.parent
    while cur is not None and cur != func:
        if cur.type == "else_clause":
            statement = cur.parent
            if statement is None or statement.type != "if_statement" \
                    or statement.parent != func.child_by_field_name("body") \
                    or any(c.type == "elif_clause" for c in statement.named_children):
                return None
            return unparenthesized(statement.child_by_field_name("condition"))
        if cur.type in ("if_statement", "elif_clause", "for_statement", "while_statement", "try_statement",
                        "with_statement", "function_definition", "class_definition"):
            return None
        cur = cur.parent
    return None


def truthiness_guard(call: Node, func: Node, params: list[str]) -> tuple[str, bool] | None:
    """(parameter, on self) of a bare truth test `if use_cuda:` (`if self.use_cuda:`), the innermost
    branch around `call`: the warning runs for any value but a false one (torch 2.13
    `create_block_mask(_compile=)`, `DistributedDataParallel(check_reduction=)`, the autograd
    profiler's `use_cuda`)."""
    condition = branch_condition(call, func)
    return _subject(condition, params) if condition is not None else None


def quotes_a_value(message: str | None, guard: ValueGuard) -> bool:
    """Whether the message quotes one of the tested strings ("'epoch' date format is deprecated")."""
    return any(re.search(rf"[`'\"]{re.escape(text)}[`'\"]", message or "") for text in guard.raw if text)


def _literal_test(condition: Node, params: list[str]) -> ValueGuard | None:
    if condition.type == "call":
        return _bool_test(condition, params)
    if condition.type != "comparison_operator" or condition.named_child_count != 2:
        return None
    left, right = condition.named_children
    operators = [c.type for c in condition.children if not c.is_named]
    if operators == ["=="] and _subject(right, params) is not None:
        left, right = right, left
    subject = _subject(left, params)
    if subject is None:
        return None
    if operators == ["=="]:
        literals = [right]
    elif operators == ["in"] and right.type in _COLLECTIONS:
        literals = right.named_children
    else:
        return None
    if not literals or any(node.type != "string" for node in literals):
        return None
    values = tuple(v for v in (canonical_literal(node.text.decode()) for node in literals) if v is not None)
    if len(values) != len(literals):
        return None                              # an f-string, a byte string with escapes...
    return ValueGuard(subject[0], values, tuple(_plain(node) for node in literals), subject[1])


def _bool_test(call: Node, params: list[str]) -> ValueGuard | None:
    """`isinstance(param, bool)`: the values True and False."""
    args = call.child_by_field_name("arguments")
    values = [c for c in args.named_children if c.type != "comment"] if args is not None else []
    if call.child_by_field_name("function").text != b"isinstance" or len(values) != 2 or values[1].text != b"bool":
        return None
    subject = _subject(values[0], params)
    if subject is None:
        return None
    return ValueGuard(subject[0], ("True", "False"), ("True", "False"), subject[1])


def _subject(node: Node, params: list[str]) -> tuple[str, bool] | None:
    """(parameter, on self) a test is about: one of `params`, or `self.name`."""
    if node.type == "identifier" and node.text.decode() in params:
        return node.text.decode(), False
    if node.type == "attribute" and node.child_by_field_name("object").text == b"self" \
            and node.child_by_field_name("object").type == "identifier":
        return node.child_by_field_name("attribute").text.decode(), True
    return None


def _plain(string: Node) -> str:
    return "".join(c.text.decode() for c in string.named_children if c.type == "string_content")
