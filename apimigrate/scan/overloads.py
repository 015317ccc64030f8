"""`@deprecated` on some overloads of a function (PEP 702): the calls they match, not the function.

torch 2.13's ``flex_attention`` has four overloads; the one with ``return_lse: Literal[True]`` (and
no ``return_aux``) carries ``@deprecated("return_lse is deprecated ...")``. Read as evidence about
``flex_attention`` itself, every call of it was flagged. A type checker reports only calls that
match a deprecated overload, and the scan can say as much when a `Literal[...]` annotation of the
deprecated overload tells which argument values select it: that parameter with those values is
the deprecated use (usage ``value``). When every overload is deprecated (numpy's ``fix`` stubs)
the function is; when no literal tells the overloads apart, no call can be judged, so there is
no row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from tree_sitter import Node

from apimigrate.scan.signatures import decorator_names, signature

__all__ = ["OverloadScope", "deprecated_overload_scope"]

_OVERLOAD = "overload"


@dataclass(frozen=True)
class OverloadScope:
    """What `@deprecated` on an overload deprecates: one parameter's values, or nothing a call shows."""

    parameter: str | None
    values: tuple[str, ...] = ()


def deprecated_overload_scope(decorated: Node, is_deprecated: Callable[[Node], bool], message: str | None, *,
                              method: bool) -> OverloadScope | None:
    """None when the evidence is about the whole function: `decorated` is no overload, or all of
    its function's overloads are deprecated. Otherwise the parameter (and values) that select it."""
    if _OVERLOAD not in decorator_names(decorated):
        return None
    siblings = _overloads_beside(decorated)
    if all(is_deprecated(s) for s in siblings):
        return None
    literals = _literals(decorated, method)
    if literals is None:
        return OverloadScope(None)
    # Parameters the overload pins to literal values; `None` alone pins nothing a call spells.
    pinned = {name: [v for v in values if v != "None"] for name, values in literals.items()}
    pinned = {name: values for name, values in pinned.items() if values}
    named = [name for name in pinned if message and re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)]
    if len(named) == 1:        # "return_lse is deprecated": the library's words pick the parameter
        return OverloadScope(named[0], tuple(pinned[named[0]]))
    # Unnamed, a parameter tells the overload apart only with values no other overload takes:
    # `mode: Literal["r", "rb"]` on both `load(path: str, ...)` and a deprecated `load(path: bytes,
    # ...)` says nothing of which one a call picks.
    others = [_literals(s, method) for s in siblings if not is_deprecated(s)]
    apart = [name for name, values in pinned.items()
             if all(o is not None and name in o and not set(values) & set(o[name]) for o in others)]
    if len(apart) != 1:
        return OverloadScope(None)
    return OverloadScope(apart[0], tuple(pinned[apart[0]]))


def _literals(decorated: Node, method: bool) -> dict[str, list[str]] | None:
    """The literal values (canonical, `"None"` included) each parameter of an overload admits; a
    parameter without a Literal or None annotation admits any, so it is left out. None when the
    signature cannot be read."""
    func = decorated.child_by_field_name("definition")
    sig = signature(func, decorator_names(decorated), method=method) if func is not None else None
    if sig is None:
        return None
    return {name: [v for v in values if v is not None] for name, values in sig["literals"].items()}


def _overloads_beside(decorated: Node) -> list[Node]:
    """The `@overload` definitions of the same name in the same block, `decorated` among them."""
    name = _name(decorated)
    block = decorated.parent
    if block is None or name is None:
        return [decorated]
    return [c for c in block.named_children
            if c.type == "decorated_definition" and _name(c) == name and _OVERLOAD in decorator_names(c)]


def _name(decorated: Node) -> str | None:
    func = decorated.child_by_field_name("definition")
    if func is None or func.type != "function_definition":
        return None
    node = func.child_by_field_name("name")
    return node.text.decode() if node is not None else None
