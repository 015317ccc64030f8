"""What a library function returns, as its signature says, for typing values built by calling it.

`df = pd.read_csv(path)` makes `df` a DataFrame only through read_csv's overloads: the one a
type checker picks for a call without `iterator=`/`chunksize=` returns `DataFrame`, others a
`TextFileReader`. Each signature is kept as the call site needs it (`Signature`): the parameters
in order with their kind and whether they have a default, the literal values a `Literal[...]` or
`None` annotation admits, the builtin types an annotation of builtins admits (`chunksize: int |
None` -> int, None: enough to tell where a literal argument fits), an overload's annotations as
written (a call whose argument types are unknown can still pick the first overload that fits when
the others that fit annotate those parameters the same way), and the return annotation reduced to
the class names it spells as written (`Optional[X]`, `X | None` and `"X"` read through, `Series[int]`
read as `Series`; `Self` kept as such), several joined as a union (`Window | Rolling`: a member
used on the value tells which), or None when some alternative is no plain name (`Callable[...]`).
A property's getter is kept too, flagged: `df.style` holds a `Styler` as `df.style.applymap(f)`
needs to know; so is a class attribute built by a descriptor from one class
(pandas' `dt = Accessor("dt", CombinedDatetimelikeProperties)`, xarray's `str =
UncachedAccessor(StringAccessor["DataArray"])`), whose reads are that class's instances once the
scan has seen the callee define `__get__` (scan/names.py).
"""
from __future__ import annotations

import re
from typing import NotRequired, TypedDict

from tree_sitter import Node

from apimigrate.db.records import SELF, canonical_literal, union_of

from .syntax import SCOPES

# Decorators that make a def a property's getter: an attribute read returns its annotation.
_PROPERTIES = frozenset({"property", "cached_property", "cache_readonly", "abstractproperty"})
# Decorators after which a def returns nothing a read or a call sees.
_SETTERS = frozenset({"setter", "getter", "deleter"})
_STATIC = frozenset({"staticmethod"})
_OVERLOAD = frozenset({"overload"})
_CONTAINERS = frozenset({"Optional", "Union"})
# Builtin types whose annotations tell where a literal argument fits (`chunksize=None` is no
# `chunksize: int`). Named aliases are left out: `IndexLabel` may well take `None`.
_BUILTINS = frozenset({"int", "float", "complex", "str", "bytes", "bool", "list", "dict", "tuple", "set",
                       "frozenset", "Sequence", "Mapping", "MutableMapping", "Iterable", "Iterator",
                       "Callable", "List", "Dict", "Tuple", "Set", "FrozenSet"})


class Signature(TypedDict):
    # [name, kind, has_default]; kind: "posonly" (before a `/`), "pos" (positional or keyword),
    # "kw" (keyword only), "args" (*args), "kwargs" (**kwargs). A method's self/cls is left out.
    params: list[list]
    literals: dict[str, list[str | None]]   # parameter -> the canonical literals it admits
    types: dict[str, list[str]]              # parameter -> the builtin types it admits ("None" too)
    annotations: dict[str, str]              # an overload's parameter -> its annotation as written
    returns: str | None                      # a class (or union) as written, SELF, or None
    overload: bool
    property: bool                           # a getter: `x.name` is the value, not `x.name()`
    # A fixed-length tuple's items, each a class (or union) as written or None (`plt.subplots() ->
    # tuple[Figure, Any]`: `fig, ax = plt.subplots()` makes `fig` a Figure); absent otherwise.
    items: NotRequired[list[str | None]]


# `with x as y` binds y to what the nearest `__enter__` of x's class returns: those are kept even
# when they return no class, so that an override returning something else hides its parent's `Self`.
CONTEXT_ENTRIES = frozenset({"__enter__", "__aenter__"})

DESCRIPTOR = "descriptor"    # a candidate accessor's key: the callee as written, until names.py decides


def decorator_names(decorated: Node | None) -> list[str]:
    """The last word of each decorator (`typing.overload` -> `overload`, `x.setter` -> `setter`)."""
    names = []
    for dec in decorated.named_children if decorated is not None and decorated.type == "decorated_definition" else ():
        if dec.type != "decorator" or not dec.named_children:
            continue
        expr = dec.named_children[0]
        if expr.type == "call":
            expr = expr.child_by_field_name("function") or expr
        names.append(expr.text.decode().rsplit(".", 1)[-1])
    return names


def replaces_getter(decorators: list[str]) -> bool:
    """False for `@x.setter` / `@x.deleter`: they add to the property `x`, whose getter still
    says what a read returns."""
    return not _SETTERS.intersection(decorators)


def signature(func: Node, decorators: list[str], *, method: bool) -> Signature | None:
    """The signature of a def as reads or calls of it see it; None for a def without a return
    annotation (unless an overload: their order decides, so each one counts)."""
    overload = bool(_OVERLOAD.intersection(decorators))
    annotation = func.child_by_field_name("return_type")
    returns_self = annotation is None and not overload and method and not _STATIC.intersection(decorators) \
        and not _PROPERTIES.intersection(decorators) and _returns_self(func)
    if annotation is None and not overload and not returns_self:
        return None
    if _PROPERTIES.intersection(decorators):
        return Signature(params=[], literals={}, types={}, annotations={}, returns=returned_class(annotation),
                         overload=False, property=True)
    bound = method and not _STATIC.intersection(decorators)
    params, literals, types, annotations = _parameters(func, drop_first=bound)
    returns = SELF if returns_self or (bound and _returns_own_type(func, annotation)) else returned_class(annotation)
    # Annotations only tell overloads apart: a lone signature's are not kept.
    sig = Signature(params=params, literals=literals, types=types, annotations=annotations if overload else {},
                    returns=returns, overload=overload, property=False)
    items = returned_items(annotation)
    if items is not None and any(items):
        sig["items"] = items
    return sig


def returned_items(annotation: Node | None) -> list[str | None] | None:
    """`tuple[Figure, Any]` -> ["Figure", None]: the class each item of a fixed-length tuple is,
    as written; None for anything else (`tuple[int, ...]`, `tuple[A, B] | None`, a list)."""
    node = _unwrapped(annotation)
    if node is None or node.type not in ("generic_type", "subscript"):
        return None
    head, args = _generic_parts(node)
    if head not in ("tuple", "Tuple") or not args or any(_unwrapped(a) is None or _unwrapped(a).type == "ellipsis"
                                                          for a in args):
        return None
    return [returned_class(arg) for arg in args]


def _returns_own_type(func: Node, annotation: Node | None) -> bool:
    """`def __enter__(self: _S) -> _S` (SQLAlchemy's `Session`), `def copy(self: _T) -> _T`: the
    type variable the first parameter is annotated with, returned, is the instance's own class
    (`Self` before Python 3.11); `cls: type[_T]` / `Type[_T]` of a classmethod too."""
    params = func.child_by_field_name("parameters")
    first = params.named_children[0] if params is not None and params.named_children else None
    typed = _unwrapped(first.child_by_field_name("type")) if first is not None and first.type == "typed_parameter" \
        else None
    returned = _unwrapped(annotation)
    if typed is None or returned is None or returned.type != "identifier":
        return False
    if typed.type in ("generic_type", "subscript"):           # `cls: type[_T]`
        head, args = _generic_parts(typed)
        typed = _unwrapped(args[0]) if head in ("type", "Type") and len(args) == 1 else None
    return typed is not None and typed.type == "identifier" and typed.text == returned.text \
        and _is_type_variable(func, returned.text)


def _is_type_variable(node: Node, name: bytes) -> bool:
    """Whether the module binds `name` to a `TypeVar(...)`: numpy's `def sort(self: Never) -> Never`
    (no sorting a scalar) and pandas' `def take(self: MultiIndex) -> MultiIndex` name classes."""
    root = node
    while root.parent is not None:
        root = root.parent
    pattern = rb"(?m)^[ \t]*" + re.escape(name) + rb"\s*(?::[^=\n]*)?=\s*(?:[\w.]+\.)?TypeVar\s*\("
    return re.search(pattern, root.text or b"") is not None


def unknown_return() -> Signature:
    """A def that returns no class we can name (`CONTEXT_ENTRIES` keep it)."""
    return Signature(params=[], literals={}, types={}, annotations={}, returns=None, overload=False, property=False)


def _returns_self(func: Node) -> bool:
    """Whether every `return` of an unannotated method gives back its own instance, as scikit-
    learn's `fit` does (`model = PLSRegression().fit(X, y)` is a PLSRegression); a generator
    does not."""
    params = func.child_by_field_name("parameters")
    first = next((p for p in params.named_children if p.type == "identifier"), None) if params else None
    body = func.child_by_field_name("body")
    if first is None or body is None:
        return False
    returns = 0
    todo = list(body.named_children)
    while todo:
        node = todo.pop()
        if node.type in SCOPES:
            continue
        if node.type == "yield":
            return False
        if node.type == "return_statement":
            value = node.named_children
            if len(value) != 1 or value[0].type != "identifier" or value[0].text != first.text:
                return False
            returns += 1
            continue
        todo.extend(node.named_children)
    return returns > 0


def descriptor(value: Node) -> dict | None:
    """`Accessor("dt", CombinedDatetimelikeProperties)` -> a property signature returning the one
    class among its positional arguments, with the callee kept under DESCRIPTOR; None otherwise."""
    if value.type != "call":
        return None
    callee, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if callee is None or args is None or args.type != "argument_list" or not _is_dotted(callee.text.decode()):
        return None
    held = []
    for arg in args.named_children:
        if arg.type == "subscript":                   # `StringAccessor["DataArray"]`
            arg = arg.child_by_field_name("value") or arg
        if arg.type in ("identifier", "attribute") and _is_dotted(arg.text.decode()):
            held.append(arg.text.decode())
    if len(held) != 1:
        return None
    return {**Signature(params=[], literals={}, types={}, annotations={}, returns=held[0], overload=False,
                        property=True), DESCRIPTOR: callee.text.decode()}


def returned_class(annotation: Node | None) -> str | None:
    """The class an annotation names, as written (`DataFrame`, `pd.DataFrame`, `Self`), or the
    union of the classes it names (`Window | Rolling`, db/records.py `union_of`)."""
    names = _alternatives(annotation) if annotation is not None else None
    return union_of(names) if names else None


def aliased_class(annotation: Node | None, value: Node | None) -> str | None:
    """The class `X: TypeAlias = np.ndarray[_Shape, dtype[_T]]` names (`np.ndarray`), as
    written; None for any other assignment, or an alias of a union or a container."""
    if annotation is None or value is None or annotation.text.decode().rsplit(".", 1)[-1] != "TypeAlias":
        return None
    return _alias_value(value)


def type_alias(stmt: Node) -> tuple[str, str] | None:
    """(`_Array1D`, `ndarray`) for a PEP 695 `type _Array1D[T: generic] = ndarray[tuple[int], dtype[T]]`
    (numpy 2.5's stubs write every alias so): the alias and the class it names, as `aliased_class`
    reads `X: TypeAlias = ...`; None for an alias of a union or a container."""
    left, right = _unwrapped(stmt.child_by_field_name("left")), _unwrapped(stmt.child_by_field_name("right"))
    if left is not None and left.type == "generic_type" and left.named_children:
        left = left.named_children[0]          # `_Array1D[T: generic]`: the alias's own type parameters
    if left is None or left.type != "identifier" or right is None:
        return None
    aliased = _alias_value(right)
    return (left.text.decode(), aliased) if aliased is not None else None


def _alias_value(value: Node) -> str | None:
    if value.type in ("generic_type", "subscript"):
        head, _ = _generic_parts(value)
        if head in _CONTAINERS:
            return None
        value = value.named_children[0]
    text = value.text.decode()
    return text if value.type in ("identifier", "attribute") and _is_dotted(text) else None


def declared_class(annotation: Node | None) -> str | None:
    """`zeros: Final[_ConstructorEmpty]` -> `_ConstructorEmpty`: the class a module-level
    annotation gives an object, with or without a value (numpy's array constructors are callable
    protocol objects), as written; None for a type alias, a union, a container."""
    node = _unwrapped(annotation)
    if node is not None and node.type in ("generic_type", "subscript"):
        head, args = _generic_parts(node)
        node = _unwrapped(args[0]) if head == "Final" and len(args) == 1 else None
    if node is None or node.type not in ("identifier", "attribute"):
        return None
    text = node.text.decode()
    return text if _is_dotted(text) and text.rsplit(".", 1)[-1] != "TypeAlias" else None


def _unwrapped(node: Node | None) -> Node | None:
    while node is not None and node.type == "type" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _alternatives(node: Node) -> list[str] | None:
    """The class names a union spells, `None` left out; None when some member is no plain name."""
    names: list[str] = []
    for member in _union_members(node):
        if member.type == "none":
            continue
        if member.type == "string":
            content = "".join(c.text.decode() for c in member.named_children if c.type == "string_content")
            parts = [p.strip() for p in content.split("|")]
            if not all(_is_dotted(p) for p in parts):
                return None
            names.extend(p for p in parts if p != "None")
        elif member.type in ("generic_type", "subscript"):
            head, args = _generic_parts(member)
            if head not in _CONTAINERS:
                # `Series[int]` is a Series; `list[DataFrame]` names `list`, no library class
                head_text = member.named_children[0].text.decode()
                if not _is_dotted(head_text):
                    return None
                names.append(head_text)
                continue
            for arg in args:
                inner = _alternatives(arg)
                if inner is None:
                    return None
                names.extend(inner)
        elif member.type in ("identifier", "attribute"):
            names.append(member.text.decode())
        else:
            return None
    return names


def _union_members(node: Node) -> list[Node]:
    """`A | B | None` (either grammar shape) -> [A, B, None]; anything else -> [it]."""
    while node.type == "type" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "union_type":
        return [m for child in node.named_children for m in _union_members(child)]
    if node.type == "binary_operator":
        op = node.child_by_field_name("operator")
        if op is not None and op.type == "|":
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            return [m for side in sides if side is not None for m in _union_members(side)]
    return [node]


def _generic_parts(node: Node) -> tuple[str, list[Node]]:
    """(`Literal`, [its arguments]) for `Literal[...]` / `typing.Literal[...]`, in either grammar shape."""
    head = node.named_children[0] if node.named_children else None
    args = list(node.named_children[1:])
    if len(args) == 1 and args[0].type == "type_parameter":
        args = list(args[0].named_children)
    return (head.text.decode().rsplit(".", 1)[-1] if head is not None else ""), args


def _is_dotted(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.split("."))


def call_form(func: Node) -> tuple[list[str] | None, list[int], list[str]]:
    """The names a call of `func` may pass by keyword or position, None when it takes `**kwargs`
    (any keyword may be accepted, so none can be said to be gone); how a call may pass them (its
    shape): [how many lead names are positional only, how many lead names may be passed by
    position, 1 when extra positional arguments go to `*args` else 0]; and the names it may pass
    by position, in order (a method's self/cls included). `def register_fake(op, func=None, /, *,
    lib=None)` is [2, 2, 0]: neither `op=` nor `lib` by position."""
    params = _parameters(func, drop_first=False)[0]
    named = [(name, kind) for name, kind, _default in params if kind != "args"]
    kinds = [kind for _name, kind in named]
    shape = [kinds.count("posonly"), sum(kind in ("posonly", "pos") for kind in kinds),
             int(len(named) < len(params))]          # the one left out is `*args`
    positional = [name for name, kind in named if kind in ("posonly", "pos")]
    return (None if "kwargs" in kinds else [name for name, _kind in named]), shape, positional


def plain_shape(names: list[str]) -> list[int]:
    """The shape (`call_form`) of a def all of whose `names` go by position or keyword, with no `*args`."""
    return [0, len(names), 0]


def passes_alike(old: tuple[list[str], list[int]], new: tuple[list[str], list[int]]) -> bool:
    """Whether every call of `old` (its names and call shape) means the same called as `new`:
    each keyword it takes the new one takes, each argument it takes by position lands on the
    same name (or, positional only there, on a positional parameter), and extra positional
    arguments go to `*args` in both. `impl_abstract(qualname, func=None, *, lib=None)` is no
    drop-in for `register_fake(op, func=None, /, *, lib=None)`: `impl_abstract(qualname=...)`.
    Required parameters the new one adds are not seen (defaults are not kept)."""
    (old_names, (old_posonly, old_positional, old_star)), (new_names, (new_posonly, new_positional, new_star)) = old, new
    if not set(old_names[old_posonly:]) <= set(new_names[new_posonly:]):
        return False
    if old_positional > new_positional:
        return False
    for i in range(old_positional):
        if i >= old_posonly and new_names[i] != old_names[i]:
            return False
    return not old_star or (bool(new_star) and new_positional == old_positional)


def _parameters(func: Node, *, drop_first: bool) -> tuple[list[list], dict[str, list[str | None]],
                                                          dict[str, list[str]], dict[str, str]]:
    params: list[list] = []
    literals: dict[str, list[str | None]] = {}
    types: dict[str, list[str]] = {}
    annotations: dict[str, str] = {}
    keyword_only = False
    node = func.child_by_field_name("parameters")
    for p in node.named_children if node is not None else ():
        if p.type == "keyword_separator":
            keyword_only = True
            continue
        if p.type == "positional_separator":
            for param in params:
                param[1] = "posonly" if param[1] == "pos" else param[1]
            continue
        splat = next((c for c in [p, *p.named_children] if c.type in ("list_splat_pattern",
                                                                      "dictionary_splat_pattern")), None)
        annotation = p.child_by_field_name("type") if p.type.startswith("typed") else None
        if splat is not None:
            inner = next((c for c in splat.named_children if c.type == "identifier"), None)
            kind = "args" if splat.type == "list_splat_pattern" else "kwargs"
            name_text = inner.text.decode() if inner is not None else ""
            params.append([name_text, kind, True])
            keyword_only = keyword_only or kind == "args"
        else:
            name = p if p.type == "identifier" else (p.child_by_field_name("name") or next(
                (c for c in p.named_children if c.type == "identifier"), None))
            if name is None:
                continue
            name_text = name.text.decode()
            has_default = p.type in ("default_parameter", "typed_default_parameter")
            params.append([name_text, "kw" if keyword_only else "pos", has_default])
            admitted = _admitted_literals(annotation)
            if admitted is not None:
                literals[name_text] = admitted
            else:
                builtins = _builtin_types(annotation)
                if builtins is not None:
                    types[name_text] = builtins
        if annotation is not None:
            annotations[name_text] = " ".join(annotation.text.decode().split())
    if drop_first and params and params[0][1] in ("pos", "posonly"):
        annotations.pop(params[0][0], None)
        params = params[1:]
    return params, literals, types, annotations


def _builtin_types(annotation: Node | None) -> list[str] | None:
    """`int | None` -> ["int", "None"], `list[str]` -> ["list"]; None unless every member of the
    union is a builtin type or None."""
    if annotation is None:
        return None
    names: list[str] = []
    for member in _union_members(annotation):
        if member.type == "none":
            names.append("None")
            continue
        if member.type in ("generic_type", "subscript"):
            head, args = _generic_parts(member)
            if head in _CONTAINERS:                  # `Optional[int]`, `Union[int, str]`
                inner = [_builtin_types(arg) for arg in args]
                if any(i is None for i in inner):
                    return None
                names.extend(n for i in inner for n in i)   # type: ignore[union-attr]
                if head == "Optional":
                    names.append("None")
                continue
        elif member.type in ("identifier", "attribute"):
            head = member.text.decode().rsplit(".", 1)[-1]
        else:
            return None
        if head not in _BUILTINS:
            return None
        names.append(head)
    return names


def _admitted_literals(annotation: Node | None) -> list[str | None] | None:
    """`Literal[True]` -> ["True"]; `None` -> ["None"]; `Literal["a"] | None` -> both; None when
    the annotation admits more than literals (`bool`, `int | None`)."""
    if annotation is None:
        return None
    values: list[str | None] = []
    for member in _union_members(annotation):
        if member.type == "none":
            values.append("None")
            continue
        if member.type not in ("generic_type", "subscript"):
            return None
        head, args = _generic_parts(member)
        if head != "Literal":
            return None
        for arg in args:
            while arg.type == "type" and arg.named_child_count == 1:
                arg = arg.named_children[0]
            value = canonical_literal(arg.text.decode())
            if value is None:
                return None
            values.append(value)
    return values
