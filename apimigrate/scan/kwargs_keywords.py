"""Keywords a def takes through ``**kwargs`` and pops by name before warning about them.

pydantic 2.14 ``Field(default, *, ..., **extra)``::

    min_items = extra.pop('min_items', None)
    if min_items is not None:
        warn('`min_items` is deprecated and will be removed, use `min_length` instead', ...)

and seaborn 0.13 ``kdeplot(..., **kwargs)``: ``shade = kwargs.pop("shade", None)`` / ``if shade is
not None: warnings.warn(...)``. The guard tests a local variable, not a parameter, yet the keyword
it holds is one a call passes (``Field(min_items=1)``): the warning is that keyword's.
"""
from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from apimigrate.scan.syntax import call_args, node_text, own_nodes, string_value

__all__ = ["PoppedKeyword", "popped_keywords", "keyword_given", "kwargs_parameter", "handed_on"]


@dataclass(frozen=True)
class PoppedKeyword:
    keyword: str        # the keyword a call passes
    default: str        # the pop's default as written ("None" when none is given to `get`)


def kwargs_parameter(func: Node | None) -> str | None:
    """The name of a def's ``**kwargs`` parameter (typed or not), if it has one."""
    params = func.child_by_field_name("parameters") if func is not None else None
    for p in params.named_children if params is not None else ():
        splat = p if p.type == "dictionary_splat_pattern" else next(
            (c for c in p.named_children if c.type == "dictionary_splat_pattern"), None) \
            if p.type == "typed_parameter" else None
        if splat is not None and splat.named_child_count:
            return node_text(splat.named_children[0])
    return None


def popped_keywords(func: Node, before: Node, kwargs_name: str | None) -> dict[str, PoppedKeyword]:
    """Local name -> the keyword it was popped (or got) from the def's ``**kwargs_name`` by, for
    the assignments of the def's own body that come before `before`."""
    if not kwargs_name:
        return {}
    found: dict[str, PoppedKeyword] = {}
    for node in own_nodes(func):
        if node.type != "assignment" or node.start_byte >= before.start_byte:
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        popped = _popped(right, kwargs_name) if left is not None and left.type == "identifier" else None
        if popped is not None:
            found[node_text(left)] = popped
    return found


def _popped(value: Node | None, kwargs_name: str) -> PoppedKeyword | None:
    """`kwargs.pop("x", None)` / `kwargs.get("x")`: the keyword and the default."""
    callee = value.child_by_field_name("function") if value is not None and value.type == "call" else None
    if callee is None or callee.type != "attribute" or node_text(callee.child_by_field_name("object")) != kwargs_name \
            or node_text(callee.child_by_field_name("attribute")) not in ("pop", "get"):
        return None
    positional, keywords = call_args(value)
    key = string_value(positional[0]) if positional and not keywords else None
    if key is None or not key.isidentifier() or len(positional) > 2:
        return None
    return PoppedKeyword(key, node_text(positional[1]) if len(positional) > 1 else "None")


def keyword_given(call: Node, func: Node, var: str, popped: PoppedKeyword) -> bool:
    """Whether an if-branch around `call` runs exactly when the keyword was passed: ``if var is
    not None:`` or ``if var:`` with the pop's default None."""
    return popped.default == "None" and runs_when_given(call, func, var)


def runs_when_given(call: Node, func: Node, var: str) -> bool:
    """Whether an if-branch around `call` runs exactly when `var` holds a value given: the body of
    ``if var is not None:`` / ``if var:``, or the ``else:`` of ``if var is None:`` (matplotlib's
    ``bxp``: ``if vert is None: vert = True`` / ``else: _api.warn_deprecated(..., name="vert: bool")``)."""
    child, cur = call, call.parent
    while cur is not None and cur != func:
        if cur.type in ("if_statement", "elif_clause") and child == cur.child_by_field_name("consequence"):
            condition = cur.child_by_field_name("condition")
            if condition is not None and node_text(condition) in (f"{var} is not None", var):
                return True
        if cur.type == "else_clause" and cur.parent is not None and cur.parent.type == "if_statement":
            condition = cur.parent.child_by_field_name("condition")
            if condition is not None and node_text(condition) == f"{var} is None":
                return True
        child, cur = cur, cur.parent
    return False


def handed_on(func: Node, var: str, new: str) -> bool:
    """Whether the def gives the popped value to the new parameter as it is (``min_length =
    min_items``): only then is the keyword a rename. pydantic's ``allow_mutation`` -> ``frozen`` is
    no rename but the inverse (``if allow_mutation is False: frozen = True``)."""
    for node in own_nodes(func):
        if node.type == "assignment" and node_text(node.child_by_field_name("left")) == new \
                and node_text(node.child_by_field_name("right")) == var:
            return True
    return False
