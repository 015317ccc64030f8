"""What one Python module defines and re-exports (`ModuleInfo`), read from its top-level statements.

`collect_module_info` visits the module-level statements once (descending into if/try/with
blocks, never into defs): `__all__` (a literal, other modules' `__all__`, or every public name
bound), defs and their signatures, class members and bases, imports, star imports, names bound
to one object (`nan = NaN = NAN`), and the literal tables a module `__getattr__` may read. The
per-file state it fills (`ParsedFile`) is the one the evidence extractors then use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from tree_sitter import Node

from apimigrate.db.records import union_classes
from apimigrate.scan.model import ModuleInfo, RawFinding
from apimigrate.scan.signatures import (CONTEXT_ENTRIES, aliased_class, call_form, declared_class, decorator_names,
                                        descriptor, plain_shape, replaces_getter, returned_class, signature,
                                        type_alias, unknown_return)
from apimigrate.scan.syntax import call_args as _call_args
from apimigrate.scan.syntax import def_name as _def_name
from apimigrate.scan.syntax import node_text as _text
from apimigrate.scan.syntax import string_value as _string_value

__all__ = ["ParsedFile", "collect_module_info", "module_statements"]


@dataclass
class ParsedFile:
    """Per-file state shared by the evidence handlers."""

    source: bytes
    path: str
    module: str
    is_stub: bool
    is_package: bool
    root: Node
    info: ModuleInfo
    # module-level literal collections: name -> dict/set/list/tuple node
    tables: dict[str, Node] = field(default_factory=dict)
    # Rows added after a table's assignment: ``T.update({...})`` arguments and ``T["k"] = v`` statements.
    table_additions: dict[str, list[Node]] = field(default_factory=dict)
    getattr_funcs: list[Node] = field(default_factory=list)
    findings: list[RawFinding] = field(default_factory=list)
    # top-level names -> where statements bind them, and the chains that bind one object (with
    # where each starts)
    bound_at: dict[str, list[int]] = field(default_factory=dict)
    same: list[tuple[list[str], int]] = field(default_factory=list)
    # `__all__` is every public name the module binds (`[s for s in dir() if ...]`)
    all_public: bool = False
    # top-level `_rand = RandomState()`: the instance -> its class as written
    made_by: dict[str, str] = field(default_factory=dict)


_BLOCK_STATEMENTS = frozenset(
    {"if_statement", "try_statement", "with_statement", "else_clause", "elif_clause",
     "except_clause", "finally_clause", "block"}
)


def module_statements(node: Node, blocks: frozenset[str] = _BLOCK_STATEMENTS) -> Iterator[Node]:
    """Module-level statements, descending into if/try/with blocks (or `blocks`) but not into defs."""
    for child in node.named_children:
        if child.type in blocks:
            yield from module_statements(child, blocks)
        else:
            yield child


def collect_module_info(f: ParsedFile) -> None:
    info = f.info
    params = _ParamDefs()
    deleted_at: dict[str, int] = {}
    imported_at: dict[str, int] = {}
    checking: set[str] = set()       # names imported under `if TYPE_CHECKING:`
    running: set[str] = set()        # names imported when the module runs
    for stmt in module_statements(f.root):
        kind = stmt.type
        if kind == "delete_statement":
            for name in _deleted_names(stmt):
                deleted_at[name] = stmt.start_byte
            continue
        decorated = stmt
        if kind == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
            kind = stmt.type
        if kind in ("function_definition", "class_definition"):
            f.bound_at.setdefault(_def_name(stmt), []).append(stmt.start_byte)
        if kind == "function_definition":
            name = _def_name(stmt)
            info.defs[name] = "function"
            _collect_signature(info, decorated, stmt, name, method=False)
            params.add(decorated, stmt, name)
            if name == "__getattr__":
                f.getattr_funcs.append(stmt)
        elif kind == "class_definition":
            _collect_class(info, decorated, stmt, _def_name(stmt), params)
            info.defs[_def_name(stmt)] = "class"
        elif kind in ("import_statement", "import_from_statement", "future_import_statement"):
            bound = _collect_import(info, stmt) if kind == "import_statement" else _collect_from_import(f, stmt)
            imported_at.update(dict.fromkeys(bound, stmt.start_byte))
            (checking if _for_type_checkers(stmt) else running).update(bound)
        elif kind == "expression_statement":
            _collect_assignment(f, stmt)
        elif kind == "type_alias_statement" and (alias := type_alias(stmt)) is not None:
            info.type_aliases[alias[0]] = alias[1]
    info.deleted = [n for n, at in deleted_at.items()
                    if imported_at.get(n, -1) < at and all(b < at for b in f.bound_at.get(n, ()))]
    if f.all_public:
        info.all = [n for n in (*info.defs, *info.imports) if not n.startswith("_") and n not in info.deleted]
    info.checking_imports = sorted(checking - running)
    _settle_signatures(info)
    info.params = params.settled()
    info.call_shapes = params.settled_shapes(info.params)
    info.positional = params.settled_positional(info.params)
    # Rebound anywhere else (another assignment, a def, an import), the names may part ways.
    info.same = [g for g, at in f.same if all(len(f.bound_at.get(n, ())) == 1 and n not in info.imports
                                              for n in g[:-1])
                 and _bound_before(f, g[-1], at)]


def _collect_class(info: ModuleInfo, decorated: Node, cls: Node, qualname: str, params: _ParamDefs) -> None:
    if _INIT_WRITERS.intersection(decorator_names(decorated)):
        params.generated_init(qualname)
    superclasses = cls.child_by_field_name("superclasses")
    # `GroupBy[DataFrame]` derives from GroupBy; `metaclass=...` and computed bases are no names
    bases = [arg.child_by_field_name("value") if arg.type == "subscript" else arg
             for arg in (superclasses.named_children if superclasses else [])]
    info.bases[qualname] = [_text(b) for b in bases if b is not None and b.type in ("identifier", "attribute")]
    members: list[str] = []
    instance: list[str] = []
    body = cls.child_by_field_name("body")
    for stmt in module_statements(body) if body is not None else ():
        decorated = stmt
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
        if stmt.type == "function_definition":
            members.append(_def_name(stmt))
            if "staticmethod" not in decorator_names(decorated):
                instance.extend(_instance_attributes(stmt))
            _collect_signature(info, decorated, stmt, f"{qualname}.{_def_name(stmt)}", method=True)
            params.add(decorated, stmt, f"{qualname}.{_def_name(stmt)}")
        elif stmt.type == "class_definition":
            members.append(_def_name(stmt))
            _collect_class(info, decorated, stmt, f"{qualname}.{_def_name(stmt)}", params)
        elif stmt.type == "expression_statement":
            for assign in stmt.named_children:
                if assign.type == "assignment":
                    members.extend(_target_names(assign.child_by_field_name("left")))
                    _collect_descriptor(info, assign, qualname)
                    _collect_attribute_class(info, assign, qualname)
    info.members[qualname] = list(dict.fromkeys(members))
    set_on_instance = [n for n in dict.fromkeys(instance) if n not in info.members[qualname]]
    if set_on_instance:
        info.instance_members[qualname] = set_on_instance


# Statements whose blocks a method's own statements sit in (not defs: their `self` is another's).
_METHOD_BLOCKS = _BLOCK_STATEMENTS | {"for_statement", "while_statement", "match_statement", "case_clause",
                                      "except_group_clause"}


def _instance_attributes(func: Node) -> list[str]:
    """The attributes a method sets on its instance or class (`self.alphas_ = ...` in scikit-learn's
    `fit`): live members as much as a def is, so a deprecated namesake elsewhere is no match for
    `x.alphas_` on an unknown `x`, nor is a release note's removal of one the class still sets."""
    params = func.child_by_field_name("parameters")
    first = params.named_children[0] if params is not None and params.named_children else None
    if first is not None and first.type in ("typed_parameter", "default_parameter", "typed_default_parameter"):
        first = first.child_by_field_name("name") or (first.named_children[0] if first.named_children else None)
    if first is None or first.type != "identifier":
        return []
    owner, body, found = _text(first), func.child_by_field_name("body"), []
    for stmt in module_statements(body, _METHOD_BLOCKS) if body is not None else ():
        if stmt.type != "expression_statement":
            continue
        for assign in stmt.named_children:
            while assign is not None and assign.type == "assignment":     # `self.a = self.b = 0`
                found.extend(_attributes_of(assign.child_by_field_name("left"), owner))
                assign = assign.child_by_field_name("right")
    return found


def _attributes_of(left: Node | None, owner: str) -> list[str]:
    """`owner.x` targets of an assignment (`self.x`, `self.a, self.b = ...`)."""
    if left is None:
        return []
    if left.type == "attribute":
        obj, attr = left.child_by_field_name("object"), left.child_by_field_name("attribute")
        return [_text(attr)] if obj is not None and attr is not None and obj.type == "identifier" \
            and _text(obj) == owner else []
    if left.type in ("pattern_list", "tuple_pattern", "list_pattern"):
        return [n for child in left.named_children for n in _attributes_of(child, owner)]
    return []


# Class decorators that write the class's `__init__` (dataclasses, attrs).
_INIT_WRITERS = frozenset({"dataclass", "define", "frozen", "mutable", "attrs", "s"})


@dataclass
class _ParamDefs:
    """The parameter names each def of a module takes, `@overload`s apart: at run time the
    implementation is called (pandas 3's `read_csv` overloads take `**kwds: Unpack[...]`, its
    def names every keyword), so its names win; a stub's overloads, with none, count together.
    With them, how a call may pass those names (signatures.py `call_shape`), where one def says."""
    overloads: dict[str, list[str] | None] = field(default_factory=dict)
    defs: dict[str, list[str] | None] = field(default_factory=dict)
    generated: list[str] = field(default_factory=list)
    shapes: dict[str, list[int] | None] = field(default_factory=dict)
    # a def's positional names, None where several defs of the name disagree
    positional: dict[str, list[str] | None] = field(default_factory=dict)

    def add(self, decorated: Node, func: Node, qualname: str) -> None:
        """Every def of `qualname` of its kind counts, and one `**kwargs` any (None)."""
        overload = "overload" in decorator_names(decorated)
        into = self.overloads if overload else self.defs
        names, shape, order = call_form(func)
        # names merged from several defs have no one way to be passed
        self.shapes[f"@{qualname}" if overload else qualname] = None if qualname in into else shape
        if not overload:
            self.positional[qualname] = order if self.positional.get(qualname, order) == order else None
        if qualname in into:
            old = into[qualname]
            names = None if old is None or names is None else list(dict.fromkeys(old + names))
        into[qualname] = names

    def generated_init(self, cls: str) -> None:
        """A class decorator writes `cls.__init__` (`@dataclass`), unless the class has its own."""
        self.generated.append(f"{cls}.__init__")

    def settled(self) -> dict[str, list[str] | None]:
        out = {**self.overloads, **self.defs}
        for init in self.generated:
            out.setdefault(init, None)       # its fields are not read: any keyword
        return out

    def settled_positional(self, settled: dict[str, list[str] | None]) -> dict[str, list[str]]:
        """The positional names of each def of `settled` that takes `**kwargs` (its names None),
        where its defs agree."""
        return {q: order for q, order in self.positional.items()
                if q in settled and settled[q] is None and order is not None}

    def settled_shapes(self, settled: dict[str, list[str] | None]) -> dict[str, list[int] | None]:
        """The shape of each def of `settled` (the names `settled()` gave) that is not plain
        (signatures.py `plain_shape`), None where unknown."""
        out: dict[str, list[int] | None] = {}
        for qualname, names in settled.items():
            if names is None:
                continue
            shape = self.shapes.get(qualname if qualname in self.defs else f"@{qualname}")
            if shape != plain_shape(names):
                out[qualname] = shape
        return out


def _collect_signature(info: ModuleInfo, decorated: Node, func: Node, qualname: str, *, method: bool) -> None:
    # Every def in order, None for an unannotated one: `_settle_signatures` decides.
    decorators = decorator_names(decorated)
    if replaces_getter(decorators):
        info.signatures.setdefault(qualname, []).append(  # type: ignore[arg-type]
            signature(func, decorators, method=method))


def _collect_descriptor(info: ModuleInfo, assign: Node, qualname: str) -> None:
    # `dt = Accessor("dt", CombinedDatetimelikeProperties)` in a class body: names.py keeps it
    # as a property when the callee turns out to be a descriptor class.
    left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
    if left is None or left.type != "identifier" or right is None:
        return
    found = descriptor(right)
    # `foo = deprecated(foo)` after `def foo(...) -> X` keeps the def's signature
    if found is not None and f"{qualname}.{_text(left)}" not in info.signatures:
        info.signatures[f"{qualname}.{_text(left)}"] = [found]  # type: ignore[list-item]


def _collect_attribute_class(info: ModuleInfo, assign: Node, qualname: str) -> None:
    left, annotation = assign.child_by_field_name("left"), assign.child_by_field_name("type")
    if left is None or left.type != "identifier" or annotation is None:
        return
    named = returned_class(annotation)
    if named is not None:
        info.attribute_classes[f"{qualname}.{_text(left)}"] = union_classes(named)


def _settle_signatures(info: ModuleInfo) -> None:
    """Overloads, when a name has any, stand for its implementation (as for a type checker);
    else the last def counts. Kept only when some signature returns one class, or when it is a
    context manager's entry (whatever it returns, it hides its parents')."""
    for qualname, defs in list(info.signatures.items()):
        overloads = [s for s in defs if s is not None and s["overload"]]
        chosen = overloads or ([defs[-1]] if defs[-1] is not None else [])
        if any(s["returns"] for s in chosen):
            info.signatures[qualname] = chosen
        elif qualname.rsplit(".", 1)[-1] in CONTEXT_ENTRIES and "." in qualname:
            info.signatures[qualname] = chosen or [unknown_return()]
        else:
            del info.signatures[qualname]


def _target_names(left: Node | None) -> list[str]:
    if left is None:
        return []
    if left.type == "identifier":
        return [_text(left)]
    if left.type in ("pattern_list", "tuple_pattern", "list_pattern"):
        return [n for child in left.named_children for n in _target_names(child)]
    return []


def _deleted_names(stmt: Node) -> list[str]:
    """The plain names `del a, b` unbinds (`del a.b` and `del c[0]` unbind none)."""
    targets = list(stmt.named_children)
    if len(targets) == 1 and targets[0].type == "expression_list":
        targets = targets[0].named_children
    return [_text(t) for t in targets if t.type == "identifier"]


def _for_type_checkers(stmt: Node) -> bool:
    """Whether the statement runs only for type checkers: in the body of `if TYPE_CHECKING:`
    (or `typing.TYPE_CHECKING`), not in its `else:`."""
    node = stmt
    while node.parent is not None:
        parent = node.parent
        if parent.type == "if_statement" and node == parent.child_by_field_name("consequence"):
            condition = parent.child_by_field_name("condition")
            if condition is not None and _text(condition).rsplit(".", 1)[-1] == "TYPE_CHECKING":
                return True
        node = parent
    return False


def _collect_import(info: ModuleInfo, stmt: Node) -> list[str]:
    """Records the statement's imports; returns the local names it binds."""
    bound = []
    for name in stmt.children_by_field_name("name"):
        if name.type == "aliased_import":
            dotted = _text(name.child_by_field_name("name"))
            local = _text(name.child_by_field_name("alias"))
            info.imports[local] = (dotted, None)
        else:
            dotted = _text(name)
            # `import a.b` binds `a`.
            local = dotted.split(".", 1)[0]
            info.imports[local] = (local, None)
        bound.append(local)
    return bound


def _resolve_relative(f: ParsedFile, module_node: Node | None) -> str:
    text = _text(module_node)
    dots = len(text) - len(text.lstrip("."))
    if dots == 0:
        return text
    package = f.module if f.is_package else f.module.rpartition(".")[0]
    parts = package.split(".") if package else []
    if dots > 1:
        parts = parts[: len(parts) - (dots - 1)]
    rest = text[dots:]
    return ".".join(parts + ([rest] if rest else []))


def _collect_from_import(f: ParsedFile, stmt: Node) -> list[str]:
    """Records the statement's imports; returns the local names it binds (none for a `*`)."""
    source = _resolve_relative(f, stmt.child_by_field_name("module_name"))
    if any(c.type == "wildcard_import" for c in stmt.children):
        f.info.star_imports.append(source)
        return []
    bound = []
    for name in stmt.children_by_field_name("name"):
        if name.type == "aliased_import":
            orig, local = _text(name.child_by_field_name("name")), _text(name.child_by_field_name("alias"))
        else:
            orig = local = _text(name)
        f.info.imports[local] = (source, orig)
        bound.append(local)
    return bound


def _collect_assignment(f: ParsedFile, stmt: Node) -> None:
    for node in stmt.named_children:
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            for name in _target_names(left):
                f.info.defs.setdefault(name, "attribute")
                f.bound_at.setdefault(name, []).append(node.start_byte)
            chain = _same_object_chain(node)
            if chain is not None:
                for name in chain[1:-1]:            # `inf` and `infty` in `Inf = inf = infty = PINF`
                    f.info.defs.setdefault(name, "attribute")
                    f.bound_at.setdefault(name, []).append(node.start_byte)
                if stmt.parent == f.root:           # not under an `if`/`try`: always this way
                    f.same.append((chain, node.start_byte))
            declared = declared_class(node.child_by_field_name("type")) \
                if left is not None and left.type == "identifier" else None
            if declared is not None:                    # a stub's `empty: Final[_ConstructorEmpty]`
                f.info.instances[_text(left)] = declared
            if left is not None and left.type == "identifier" and right is not None and stmt.parent == f.root:
                _note_instance_or_bound_method(f, _text(left), right)
            if left is not None and left.type == "attribute" and right is not None and stmt.parent == f.root:
                _note_patched_member(f, left, right)
            if left is not None and left.type == "identifier" and right is not None:
                name = _text(left)
                aliased = aliased_class(node.child_by_field_name("type"), right)
                if aliased is not None:
                    f.info.type_aliases[name] = aliased
                if name == "__all__":
                    _set_all(f, right)
                elif right.type in ("dictionary", "set", "list", "tuple", "dictionary_comprehension",
                                    "set_comprehension", "list_comprehension"):
                    f.tables[name] = right
            elif left is not None and left.type == "subscript" and right is not None:
                _collect_item_assignment(f, node, left)
        elif node.type == "augmented_assignment" and _text(node.child_by_field_name("left")) == "__all__":
            _extend_all_from(f, node.child_by_field_name("right"))
        elif node.type == "call":
            # __all__.extend([...]) / __all__.append("x")
            func = _text(node.child_by_field_name("function"))
            positional, _ = _call_args(node)
            if func == "__all__.extend" and positional:
                _extend_all_from(f, positional[0])
            elif func == "extend_all" and len(positional) == 1 and positional[0].type == "identifier":
                # numpy 1.x core/numeric.py: `extend_all(fromnumeric)` appends that module's __all__
                _add_all_from(f, _text(positional[0]))
            elif func == "__all__.append" and positional:
                value = _string_value(positional[0])
                _extend_all(f.info, [value] if value is not None else None)
            elif func.endswith(".update") and len(positional) == 1 \
                    and positional[0].type in ("dictionary", "dictionary_comprehension"):
                # numpy 1.x: __deprecated_attrs__.update({n: (alias, _msg.format(...)) for ... in _type_info})
                f.table_additions.setdefault(func[: -len(".update")], []).append(positional[0])


def _bound_before(f: ParsedFile, name: str, at: int) -> bool:
    """`name` is the module's own object when the chain at `at` reads it: imported and never
    rebound, or bound only above the chain (numpy.ma's `def round_` ... `round = round_`). A name
    the module binds nowhere is a builtin (`_sum_ = sum`), and one it defines below the chain
    (`_open = open` ... `def open`) was another object when the chain ran."""
    where = f.bound_at.get(name, [])
    if name in f.info.imports:
        return not where
    return bool(where) and all(pos < at for pos in where)


def _note_instance_or_bound_method(f: ParsedFile, name: str, right: Node) -> None:
    """`_rand = RandomState()` makes an instance; `random_integers = _rand.random_integers` binds its
    method (numpy's legacy `np.random` functions, Python's `random`)."""
    if right.type == "call":
        callee = right.child_by_field_name("function")
        if callee is not None and callee.type in ("identifier", "attribute"):
            f.made_by[name] = _text(callee)
    elif right.type == "attribute":
        obj = right.child_by_field_name("object")
        if obj is not None and obj.type == "identifier" and _text(obj) in f.made_by:
            f.info.bound_methods[name] = f"{f.made_by[_text(obj)]}.{_text(right.child_by_field_name('attribute'))}"


def _note_patched_member(f: ParsedFile, left: Node, right: Node) -> None:
    """`Timestamp.daysinmonth = property(_daysinmonth_fget)` (pandas 3.1) or `Cls.name = func`: a
    class of the module given a member made of one of its functions."""
    cls, member = left.child_by_field_name("object"), left.child_by_field_name("attribute")
    if cls is None or cls.type != "identifier" or f.info.defs.get(_text(cls)) != "class":
        return
    kind = "method"
    if right.type == "call" and _text(right.child_by_field_name("function")) == "property":
        args = [a for a in right.child_by_field_name("arguments").named_children if a.type != "comment"]
        right, kind = (args[0], "attribute") if args else (right, kind)
    if right.type == "identifier" and f.info.defs.get(_text(right)) == "function":
        f.info.patched_members[f"{_text(cls)}.{_text(member)}"] = [_text(right), kind]


def _same_object_chain(node: Node) -> list[str] | None:
    """`Inf = inf = infty = PINF` -> [Inf, inf, infty, PINF]; `row_stack = vstack` -> [row_stack,
    vstack]: names bound to the object the last one names. None for anything else."""
    names: list[str] = []
    cur: Node | None = node
    while cur is not None and cur.type == "assignment":
        left = cur.child_by_field_name("left")
        if left is None or left.type != "identifier" or cur.child_by_field_name("type") is not None:
            return None
        names.append(_text(left))
        cur = cur.child_by_field_name("right")
    if cur is None or cur.type != "identifier":
        return None
    names.append(_text(cur))
    return names


def _collect_item_assignment(f: ParsedFile, assign: Node, left: Node) -> None:
    """numpy 1.x: ``__deprecated_attrs__['math'] = (math, "... deprecated alias ...")``."""
    table, key = left.child_by_field_name("value"), left.child_by_field_name("subscript")
    if table is not None and table.type == "identifier" and key is not None and _string_value(key) is not None:
        f.table_additions.setdefault(_text(table), []).append(assign)


def _extend_all_from(f: ParsedFile, value: Node | None) -> None:
    """``__all__ += ["a"]`` adds names; ``__all__ += function_base.__all__`` adds that module's."""
    names = _string_list(value)
    if names is not None or value is None:
        _extend_all(f.info, names)
        return
    if value.type == "attribute" and _text(value.child_by_field_name("attribute")) == "__all__":
        _add_all_from(f, _text(value.child_by_field_name("object")))


def _set_all(f: ParsedFile, value: Node) -> None:
    """``__all__ = ...``: a literal list; other modules' (``_linalg.__all__.copy()``,
    ``_mstats_basic.__all__ + _mstats_extras.__all__``, ``_arffread.__all__ + ['arffread']``); or
    scipy's ``[s for s in dir() if not s.startswith('_')]``, every public name the module binds.
    Anything else leaves it unknown (None)."""
    f.info.all, f.info.all_from, f.all_public = None, [], False
    if _is_dir_listing(value):
        f.all_public = True                       # settled once every binding is seen
        return
    names: list[str] = []
    sources: list[str] = []
    for term in _sum_terms(value):
        listed = _string_list(term)
        source = _all_of(term)
        if listed is not None:
            names += listed
        elif source is not None and source in f.info.imports:
            sources.append(source)
        else:
            return
    f.info.all = names
    for source in sources:
        _add_all_from(f, source)


def _sum_terms(node: Node) -> list[Node]:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "binary_operator" and _text(node.child_by_field_name("operator")) == "+":
        return _sum_terms(node.child_by_field_name("left")) + _sum_terms(node.child_by_field_name("right"))
    return [node]


def _all_of(node: Node) -> str | None:
    """`mod.__all__`, `mod.__all__.copy()`, `list(mod.__all__)`: the local name `mod`."""
    if node.type == "call":
        func, (args, _) = node.child_by_field_name("function"), _call_args(node)
        if _text(func) == "list" and len(args) == 1:
            node = args[0]
        elif func is not None and func.type == "attribute" and _text(func.child_by_field_name("attribute")) == "copy" \
                and not args:
            node = func.child_by_field_name("object")
    if node.type == "attribute" and _text(node.child_by_field_name("attribute")) == "__all__" \
            and node.child_by_field_name("object").type == "identifier":
        return _text(node.child_by_field_name("object"))
    return None


def _is_dir_listing(node: Node) -> bool:
    """`[s for s in dir() if not s.startswith('_')]`."""
    if node.type != "list_comprehension":
        return False
    clause = next((c for c in node.named_children if c.type == "for_in_clause"), None)
    condition = next((c for c in node.named_children if c.type == "if_clause"), None)
    return clause is not None and condition is not None \
        and _text(clause.child_by_field_name("right")).replace(" ", "") == "dir()" \
        and re.fullmatch(r"if\s*not\s*\w+\.startswith\((['\"])_\1\)", _text(condition)) is not None


def _add_all_from(f: ParsedFile, local: str) -> None:
    bound = f.info.imports.get(local)
    if bound is not None:
        src, orig = bound
        f.info.all = f.info.all if f.info.all is not None else []
        f.info.all_from.append(f"{src}.{orig}" if orig else src)


def _extend_all(info: ModuleInfo, names: list[str] | None) -> None:
    if names is None:
        return
    info.all = (info.all or []) + names


def _string_list(node: Node | None) -> list[str] | None:
    """Strings of a list/tuple literal (or a + b of them); None when not literal."""
    if node is None:
        return None
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _string_list(node.named_children[0])
    if node.type == "binary_operator" and _text(node.child_by_field_name("operator")) == "+":
        left = _string_list(node.child_by_field_name("left"))
        right = _string_list(node.child_by_field_name("right"))
        return None if left is None or right is None else left + right
    if node.type not in ("list", "tuple"):
        return None
    values: list[str] = []
    for child in node.named_children:
        if child.type == "comment":
            continue
        value = _string_value(child)
        if value is None:
            return None
        values.append(value)
    return values
