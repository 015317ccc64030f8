"""The file's own subclasses of library classes: `class User(BaseModel)`, then `user.dict()`.

A value of the file's own class that derives from library classes is, for every member the
class does not define itself, a value of those library classes: `User(name="a").dict()` calls
pydantic's deprecated `BaseModel.dict`, `self.dict()` in a method of `User` too, and so does
`User.parse_obj(data)` on the class itself. Such a class stands for its library bases when:

- each of its bases, through the file's own classes it derives from, is a scanned library
  class (or `object`, `Generic[T]`): a base imported from elsewhere, or one we cannot read (a
  factory's result), may define any member in between;
- no class of that own chain defines (a def, an assignment, an annotation, a nested class) a
  member on which the index has something to say for those library classes (a deprecated one,
  one with deprecated parameters, one whose result's class it knows). An override makes the
  library's answer wrong for that member and for whatever the file builds from its result, so
  such a class stands for nothing and its members are matched by name as before.
"""
from __future__ import annotations

from typing import Callable

from tree_sitter import Node

from apimigrate.db.records import union_of

from .bindings import SCOPE_TYPES

_NEUTRAL_BASES = frozenset({"object", "Generic"})     # `class M(BaseModel, Generic[T])`


class OwnSubclasses:
    """Which library classes each of the file's own classes stands for, computed on demand."""

    def __init__(self, own_class: Callable[[Node], Node | None], answering: Callable[[str], frozenset[str]],
                 words: set[str], module_words: set[str]) -> None:
        self.own_class = own_class      # the file's one class a name at a node means, or None
        self.answering = answering      # DeprecationIndex.answering_names
        self.words = words              # the verdict words of Receivers (lsp/inert.py, lsp/region.py)
        self.module_words = module_words
        self._known: dict[tuple[int, bool], str | None] = {}

    def library_classes(self, cls: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """The library class (or union of them) `cls` stands for, or None."""
        return self._cached(cls, qualify, own=True)

    def above(self, cls: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """What `super()` in a method of `cls` stands for: its bases, as `cls` would without its
        own definitions (`return super().dict(**kw)` in an override of the deprecated `dict`)."""
        return self._cached(cls, qualify, own=False)

    def _cached(self, cls: Node, qualify: Callable[[Node], str | None], own: bool) -> str | None:
        key = (cls.id, own)
        if key not in self._known:
            self._known[key] = None                     # a cycle of own bases stands for nothing
            self._known[key] = self._stand_in(cls, qualify, own)
        return self._known[key]

    def _stand_in(self, cls: Node, qualify: Callable[[Node], str | None], own: bool) -> str | None:
        chain = self._chain(cls, qualify, set(), own)
        if chain is None or not chain[0]:
            return None
        libraries, defined = chain
        # The verdict turns on these names: an edit that renames an own member into one of the
        # library's answering names, or out of one, is never taken for inert.
        self.words.update(defined)
        for library in libraries:
            answering = self.answering(library)
            self.words.update(answering)
            if not answering.isdisjoint(defined):
                return None
        return union_of(libraries)

    def _chain(self, cls: Node, qualify: Callable[[Node], str | None], seen: set[int],
               own: bool = True) -> tuple[list[str], set[str]] | None:
        """(the library bases of `cls` and of the own classes it derives from, the member names
        those own classes define, `cls`'s own only when `own`), or None when a base is neither."""
        if cls.id in seen:
            return None
        seen.add(cls.id)
        name = cls.child_by_field_name("name")
        if name is not None:
            self.words.add(name.text.decode())
            self.module_words.add(name.text.decode())
        libraries: list[str] = []
        defined = defined_names(cls) if own else set()
        supers = cls.child_by_field_name("superclasses")
        for base in supers.named_children if supers is not None else ():
            if base.type == "keyword_argument":          # metaclass=...
                continue
            library = qualify(base) if base.type in ("identifier", "attribute") else None
            if library is not None:
                libraries.append(library)
                continue
            if _head(base) in _NEUTRAL_BASES:
                continue
            own_base = self.own_class(base) if base.type == "identifier" else None
            inherited = self._chain(own_base, qualify, seen) if own_base is not None else None
            if inherited is None:
                return None
            libraries.extend(inherited[0])
            defined |= inherited[1]
        return libraries, defined


def defined_names(cls: Node) -> set[str]:
    """The names a class body binds: its defs, nested classes, assignments and annotations, also
    under `if`/`try`/`with` (not inside the functions it defines)."""
    found: set[str] = set()
    stack = list(cls.child_by_field_name("body").named_children) if cls.child_by_field_name("body") else []
    while stack:
        node = stack.pop()
        if node.type == "decorated_definition":
            node = node.child_by_field_name("definition") or node
        if node.type in ("function_definition", "class_definition"):
            name = node.child_by_field_name("name")
            if name is not None:
                found.add(name.text.decode())
            continue
        if node.type == "assignment":
            _add_targets(node.child_by_field_name("left"), found)
        if node.type not in SCOPE_TYPES:
            stack.extend(node.named_children)
    return found


def _add_targets(target: Node | None, found: set[str]) -> None:
    if target is None:
        return
    if target.type == "identifier":
        found.add(target.text.decode())
    elif target.type in ("pattern_list", "tuple_pattern", "list_pattern", "parenthesized_expression"):
        for part in target.named_children:
            _add_targets(part, found)


def _head(base: Node) -> str | None:
    """The last name a base spells, past its subscript: `Generic` of `typing.Generic[T]`."""
    node = base
    if node.type in ("subscript", "generic_type"):
        node = node.child_by_field_name("value") if node.type == "subscript" else (
            node.named_children[0] if node.named_children else None)
    if node is not None and node.type == "attribute":
        node = node.child_by_field_name("attribute")
    return node.text.decode() if node is not None and node.type == "identifier" else None
