"""Imports, aliases and the scopes that bind names in one parsed file.

Only names that matter are looked at: the regex pass in the resolver finds
the identifiers spelled like an import alias of a deprecated library, and
this module classifies each one (a use, a binding that shadows, the
attribute part of `x.name`, ...). Walking every node of a large file in
Python would cost more than parsing it, so nothing here visits the whole tree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from tree_sitter import Node

if TYPE_CHECKING:
    from .project import ImportContext

MODULE_SCOPE = -1
SCOPE_TYPES = frozenset({
    "function_definition", "lambda", "class_definition", "list_comprehension",
    "set_comprehension", "dictionary_comprehension", "generator_expression",
})
DEFINITION_TYPES = frozenset({"function_definition", "class_definition"})
# Containers a binding target can sit in: `a, (np, b) = ...`.
_TARGET_CONTAINERS = frozenset({
    "pattern_list", "tuple_pattern", "list_pattern", "tuple", "list",
    "parenthesized_expression", "list_splat_pattern", "expression_list",
})
_PARAM_PARENTS = frozenset({"parameters", "lambda_parameters"})
_NAMED_PARAMS = frozenset({"default_parameter", "typed_default_parameter", "typed_parameter"})
# A plain literal: much faster to scan for than `\bimport\b`; the tree tells the keyword apart
# (and finds the functions that import a module named in a string, `_DYNAMIC_IMPORTS`).
_IMPORT_RE = re.compile(rb"import")
# (module, function) -> the module the call returns for a string naming one: `pytest.importorskip("a.b")`
# and `importlib.import_module("a.b")` both return `a.b` itself (not `a`, as `__import__` does)
_DYNAMIC_IMPORTS = frozenset({("pytest", "importorskip"), ("importlib", "import_module")})
# the builtin, called by its bare name: `__import__("a.b")` returns `a` (without a fromlist)
_BUILTIN_IMPORT = "__import__"
DYNAMIC_IMPORT_FUNCTIONS = frozenset({*(f for _, f in _DYNAMIC_IMPORTS), _BUILTIN_IMPORT})
DYNAMIC_IMPORT_WORDS = frozenset({*(word for pair in _DYNAMIC_IMPORTS for word in pair), _BUILTIN_IMPORT})


@dataclass
class ImportBinding:
    """`name` is bound by an import to the fully qualified `target`."""
    name: str
    target: str
    stmt: Node                    # import_statement / import_from_statement
    item: Node | None             # dotted_name or aliased_import of this name (None for `*`)
    module: Node | None           # module_name of a from-import
    aliased: bool
    scope: int
    pos: int                      # byte offset, for flow order at module level
    in_except: bool = False
    star: bool = False
    via: str | None = None        # the project's own module the library name was imported through
    # `target` is the project's own module the name is bound to (`import proj.compat as c`, `from proj
    # import compat`): a use reaches a library name through its attributes (resolver._project_chain)
    project_module: bool = False
    # `np = pytest.importorskip("numpy")`: `stmt` is the assignment's statement, `item` None (nothing
    # spelled as an import to report or rewrite)
    dynamic: bool = False


@dataclass
class Binding:
    """Any binding of a name; `imp` is None for assignments, defs, parameters..."""
    scope: int
    pos: int
    imp: ImportBinding | None = None
    in_except: bool = False
    imported: bool = False        # by an import statement (of a scanned library or not)


@dataclass
class FileBindings:
    imports: list[ImportBinding] = field(default_factory=list)
    by_name: dict[str, list[Binding]] = field(default_factory=dict)
    foreign: set[str] = field(default_factory=set)   # names imported from outside the wanted packages
    # name -> (module, name) of the from-imports that bind it from other modules (the project's own
    # among them), when the file's place in the project is known
    project_names: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    # names bound to the project's own modules (ImportBinding.project_module), when its place is known
    project_modules: list[ImportBinding] = field(default_factory=list)
    # (the string's content, the module) of every call that imports a wanted package's module
    # named in a string, whatever becomes of its result: `pytest.importorskip("numpy.core")`
    module_strings: list[tuple[Node, str]] = field(default_factory=list)

    def add(self, name: str, binding: Binding) -> None:
        bound = self.by_name.setdefault(name, [])
        if binding.imp is None and not binding.imported and any(
                b.imp is not None and b.imp.dynamic and b.pos == binding.pos for b in bound):
            return        # the assignment's target, which the dynamic import bound already
        bound.append(binding)


def scope_of(node: Node) -> int:
    """Id of the innermost scope containing `node` (MODULE_SCOPE at top level)."""
    p = node.parent
    while p is not None:
        if p.type in SCOPE_TYPES:
            return p.id
        p = p.parent
    return MODULE_SCOPE


def scope_chain(node: Node) -> list[int]:
    """Scopes a use of a name looks in, innermost first; class bodies only when directly inside."""
    chain: list[int] = []
    p = node.parent
    while p is not None:
        if p.type in SCOPE_TYPES and (p.type != "class_definition" or not chain):
            chain.append(p.id)
        p = p.parent
    chain.append(MODULE_SCOPE)
    return chain


def _in_except(node: Node) -> bool:
    # `try: import numpy as np / except ImportError: np = None` is a fallback, not a shadow.
    p = node.parent
    while p is not None and p.type not in SCOPE_TYPES:
        if p.type == "except_clause":
            return True
        p = p.parent
    return False


def _dotted(node: Node) -> str:
    return node.text.decode("utf-8", "replace").replace(" ", "").replace("\\\n", "")


def collect_imports(source: bytes, root: Node, wanted: frozenset[str] | None,
                    star_names: dict[str, list[str]] | None = None,
                    start: int = 0, project: "ImportContext | None" = None) -> FileBindings:
    """Every import statement; bindings to packages outside `wanted` count as plain (shadowing) bindings.

    `wanted=None` keeps every import. `star_names` maps a module to the names a
    `from module import *` is assumed to bind (the deprecated ones we know of).
    `project`: how the file's imports of the project's own modules resolve (a library
    name such a module binds is bound here too, `via` that module).
    """
    fb = FileBindings()
    seen: set[int] = set()
    for node in import_word_nodes(source, root, start):
        if node.type == "identifier":         # `importlib`, `import_module`, `importorskip`, `imported`...
            _dynamic_import(node, fb, wanted)
            continue
        stmt = node.parent
        if stmt is None or stmt.id in seen:
            continue
        seen.add(stmt.id)
        if stmt.type == "import_statement":
            _plain_import(stmt, fb, wanted, project)
        elif stmt.type == "import_from_statement":
            _from_import(stmt, fb, wanted, star_names or {}, project)
    return fb


def import_word_nodes(source: bytes, root: Node, start: int = 0) -> Iterator[Node]:
    """The `import` keywords of the file and the identifiers that start with `import` (or are
    `__import__`), from byte `start` on; the word in a string, a comment or inside a longer name is not one."""
    for m in _IMPORT_RE.finditer(source, start):
        node = root.descendant_for_byte_range(m.start(), m.end())
        if node is None or node.type not in ("import", "identifier"):
            continue
        if node.start_byte == m.start() or (node.start_byte == m.start() - 2 and node.type == "identifier"
                                            and node.text == b"__import__"):
            yield node


def _record(fb: FileBindings, imp: ImportBinding, wanted: frozenset[str] | None) -> None:
    keep = wanted is None or imp.target.split(".")[0] in wanted
    if keep:
        fb.imports.append(imp)
    else:
        fb.foreign.add(imp.name)
    fb.add(imp.name, Binding(imp.scope, imp.pos, imp if keep else None, imp.in_except, imported=True))


def _plain_import(stmt: Node, fb: FileBindings, wanted: frozenset[str] | None,
                  project: "ImportContext | None" = None) -> None:
    scope, in_exc = scope_of(stmt), _in_except(stmt)
    for item in stmt.children_by_field_name("name"):
        if item.type == "aliased_import":
            dotted, alias = item.child_by_field_name("name"), item.child_by_field_name("alias")
            target = _dotted(dotted)
            name, aliased = alias.text.decode(), True
        else:
            target = _dotted(item)
            # `import a.b.c` binds `a`; `a.b.c.x` then resolves through attributes.
            name, aliased = target.split(".")[0], False
            target = name
        imp = ImportBinding(name, target, stmt, item, None, aliased, scope, item.start_byte, in_exc)
        if project is not None and wanted is not None and target.split(".")[0] not in wanted \
                and project.is_module(target):
            _record_project_module(fb, imp)
            continue
        _record(fb, imp, wanted)


def _dynamic_import(func: Node, fb: FileBindings, wanted: frozenset[str] | None) -> None:
    called = dynamic_import_call(func)
    if called is None:
        return
    _, string, module = called
    if wanted is None or module.split(".")[0] in wanted:
        fb.module_strings.append((next(c for c in string.children if c.type == "string_content"), module))
    found = dynamic_import(func, called)
    if found is not None:
        target, module, stmt = found
        _record(fb, ImportBinding(target.text.decode(), module, stmt, None, None, True, scope_of(stmt),
                                  target.start_byte, _in_except(stmt), dynamic=True), wanted)


def dynamic_import(func: Node, called: tuple[Node, Node, str] | None = None) -> tuple[Node, str, Node] | None:
    """(the name bound, the module, the statement) when the identifier `func` is the function of
    `np = pytest.importorskip("numpy")`, `sp = importlib.import_module("scipy.integrate")` (or of
    that function imported by name): the name is bound to the module the string names, as `import
    scipy.integrate as sp` binds it. Test suites import optional libraries this way. `np =
    __import__("numpy.core")` binds `np` to `numpy`; with a fromlist it binds nothing known.
    `called`: what `dynamic_import_call(func)` gave, when the caller has it."""
    called = called or dynamic_import_call(func)
    if called is None:
        return None
    call, _, module = called
    if func.text == _BUILTIN_IMPORT.encode():
        if len(call.child_by_field_name("arguments").named_children) != 1:
            return None
        module = module.split(".")[0]
    holder = call.parent
    if holder is None or holder.type != "assignment" or holder.child_by_field_name("right") != call:
        return None
    target = holder.child_by_field_name("left")
    if target is None or target.type != "identifier" or holder.parent is None:
        return None
    return target, module, holder.parent if holder.parent.type == "expression_statement" else holder


def dynamic_import_call(func: Node) -> tuple[Node, Node, str] | None:
    """(the call, its string argument, the module the string names) when the identifier `func` is
    the function of a call that imports a module named in a plain string: `pytest.importorskip`,
    `importlib.import_module` (or that function imported by name), `__import__`."""
    name = func.text.decode()
    callee, call = func, func.parent
    if call is not None and call.type == "attribute" and call.child_by_field_name("attribute") == func:
        owner = call.child_by_field_name("object")
        if owner is None or (owner.text.decode(), name) not in _DYNAMIC_IMPORTS:
            return None
        callee, call = call, call.parent
    elif name not in DYNAMIC_IMPORT_FUNCTIONS:
        return None
    if call is None or call.type != "call" or call.child_by_field_name("function") != callee:
        return None
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    module = _plain_string(first)
    return None if module is None else (call, first, module)


def _plain_string(node: Node | None) -> str | None:
    """The text of a string literal that is a plain dotted name (no interpolation, no escapes,
    nothing concatenated, not relative: `".frames"` needs the package it is relative to); else None."""
    if node is None or node.type != "string" or any(c.type not in ("string_start", "string_content", "string_end")
                                                    for c in node.children):
        return None
    start = node.children[0].text.decode()
    if any(ch in start.lower() for ch in "fbr"):
        return None
    content = [c for c in node.children if c.type == "string_content"]
    text = content[0].text.decode() if len(content) == 1 else ""
    return text if re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", text) else None


def _record_project_module(fb: FileBindings, imp: ImportBinding) -> None:
    """A name bound to the project's own module: foreign to the by-name verdicts (a project module
    is no library value), a binding of its own to the resolver."""
    imp.project_module, imp.via = True, imp.target
    fb.project_modules.append(imp)
    fb.foreign.add(imp.name)
    fb.add(imp.name, Binding(imp.scope, imp.pos, imp, imp.in_except, imported=True))


def _from_import(stmt: Node, fb: FileBindings, wanted: frozenset[str] | None,
                 star_names: dict[str, list[str]], project: "ImportContext | None" = None) -> None:
    module = stmt.child_by_field_name("module_name")
    if module is None:
        return
    scope, in_exc = scope_of(stmt), _in_except(stmt)
    relative = module.type == "relative_import"
    base = _dotted(module)
    for item in stmt.children_by_field_name("name"):
        if item.type == "aliased_import":
            orig = _dotted(item.child_by_field_name("name"))
            name, aliased = item.child_by_field_name("alias").text.decode(), True
        else:
            orig = _dotted(item)
            name, aliased = orig, False
        via = _through_project(base, relative, orig, wanted, project)
        if via is not None:
            module_name, origin = via
            _record(fb, ImportBinding(name, origin, stmt, item, module, aliased, scope, item.start_byte, in_exc,
                                      via=module_name), wanted)
            continue
        if project is not None and (relative or wanted is None or base.split(".")[0] not in wanted):
            absolute = project.absolute(base) if relative else base
            # the project's function, whose return a call may need (a library's own relative
            # import is the library's: its signatures answer)
            if absolute and (wanted is None or absolute.split(".")[0] not in wanted):
                fb.project_names.setdefault(name, set()).add((absolute, orig))
                # `from proj import compat`: the project's module itself
                sub = project.module_of(absolute, orig) if wanted is not None else None
                if sub is not None:
                    _record_project_module(fb, ImportBinding(name, sub, stmt, item, module, aliased, scope,
                                                             item.start_byte, in_exc))
                    continue
        if relative:
            # Without the package around it a relative import resolves to nothing we know.
            fb.add(name, Binding(scope, item.start_byte, None, in_exc, imported=True))
            fb.foreign.add(name)
            continue
        _record(fb, ImportBinding(name, f"{base}.{orig}", stmt, item, module, aliased, scope,
                                  item.start_byte, in_exc), wanted)
    if not relative and any(c.type == "wildcard_import" for c in stmt.children):
        for name in star_names.get(base, ()):
            _record(fb, ImportBinding(name, f"{base}.{name}", stmt, None, module, False, scope,
                                      stmt.start_byte, in_exc, star=True), wanted)


def _through_project(base: str, relative: bool, name: str, wanted: frozenset[str] | None,
                     project: "ImportContext | None") -> tuple[str, str] | None:
    """(the project module, the library path) when `from base import name` imports a library's
    name through one of the project's own modules."""
    if project is None or (not relative and (wanted is None or base.split(".")[0] in wanted)):
        return None
    module = project.absolute(base) if relative else base
    origin = project.origin(module, name) if module else None
    if origin is None or (wanted is not None and origin.split(".")[0] not in wanted):
        return None
    return module, origin


def classify(node: Node, parent: Node | None = None) -> str:
    """What an identifier is: 'use', 'attr' (the name in `x.name`), 'bind', 'param' or 'skip'.

    Pass `parent` when the caller has it (`node.parent` walks down from the root).
    """
    if parent is None:
        parent = node.parent
    if parent is None:
        return "skip"
    t = parent.type
    if t == "attribute":
        return "use" if parent.start_byte == node.start_byte else "attr"
    if t in ("call", "argument_list", "binary_operator", "subscript", "expression_statement",
             "return_statement", "comparison_operator", "pair", "unary_operator"):
        return "use"                           # the common cases, answered early
    if t == "keyword_argument":
        return "skip" if parent.start_byte == node.start_byte else "use"
    if t in ("dotted_name", "aliased_import", "import_statement", "import_from_statement",
             "global_statement", "nonlocal_statement", "relative_import", "import_prefix"):
        return "skip"
    if t in ("function_definition", "class_definition"):
        return "bind" if parent.child_by_field_name("name") == node else "use"
    if t in _PARAM_PARENTS:
        return "param"
    if t in _NAMED_PARAMS:
        if t == "typed_parameter":
            return "param" if parent.start_byte == node.start_byte else "use"
        return "param" if parent.child_by_field_name("name") == node else "use"
    if t in ("list_splat_pattern", "dictionary_splat_pattern") and parent.parent is not None \
            and parent.parent.type in _PARAM_PARENTS:
        return "param"
    if t == "as_pattern_target":
        return "bind"
    if t == "named_expression":
        return "bind" if parent.child_by_field_name("name") == node else "use"
    top = node
    while top.parent is not None and top.parent.type in _TARGET_CONTAINERS:
        top = top.parent
    holder = top.parent
    if holder is not None and holder.type in ("assignment", "augmented_assignment", "for_statement",
                                              "for_in_clause"):
        left = holder.child_by_field_name("left")
        if left is not None and left.start_byte == top.start_byte and left.end_byte == top.end_byte:
            return "bind"
    return "use"


def assigned(node: Node) -> bool:
    """Whether the attribute `node` is (`a.strides`) or names (its `strides`) is written:
    `a.strides = s`, `a.strides += s`, `a.strides, b = ...`."""
    top = _target_top(_attribute_node(node), _TARGET_CONTAINERS)
    holder = top.parent
    return holder is not None and holder.type in ("assignment", "augmented_assignment") \
        and holder.child_by_field_name("left") == top


def written(node: Node) -> bool:
    """Whether the attribute `node` (or its name) is assigned or deleted: `np.float = float`,
    `del np.float`. Renaming it would write or delete another attribute than the code does."""
    if assigned(node):
        return True
    top = _target_top(_attribute_node(node), frozenset({"expression_list"}))
    return top.parent is not None and top.parent.type == "delete_statement"


def _attribute_node(node: Node) -> Node:
    """The attribute expression `node` is, or whose name (`strides` of `a.strides`) it is."""
    parent = node.parent
    return parent if parent is not None and parent.type == "attribute" \
        and parent.child_by_field_name("attribute") == node else node


def _target_top(node: Node, containers: frozenset[str]) -> Node:
    """The outermost of the `containers` (a target tuple, a list of names) around `node`."""
    while node.parent is not None and node.parent.type in containers:
        node = node.parent
    return node


def param_scope(node: Node) -> int:
    """The function or lambda whose parameter `node` is."""
    p = node.parent
    while p is not None and p.type not in ("function_definition", "lambda"):
        p = p.parent
    return p.id if p is not None else MODULE_SCOPE


def binding_scope(node: Node, kind: str) -> int:
    if kind == "param":
        return param_scope(node)
    parent = node.parent
    if parent is not None and parent.type in ("function_definition", "class_definition"):
        return scope_of(parent)               # `def f` binds f in the enclosing scope
    return scope_of(node)


@lru_cache(maxsize=256)
def _names_pattern(names: frozenset[str]) -> re.Pattern[bytes]:
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(rb"\b(?:" + alternatives + rb")\b")


def named_bindings(root: Node, data: bytes, names: frozenset[str], start: int = 0,
                   end: int | None = None) -> Iterator[tuple[Node, int]]:
    """Every identifier in bytes [start, end) spelled like one of `names` that binds it
    (definition, assignment target, parameter...), with the scope it binds in."""
    if not names:
        return
    for m in _names_pattern(names).finditer(data, start, len(data) if end is None else end):
        node = root.descendant_for_byte_range(m.start(), m.end())
        if node is None or node.type != "identifier" or node.start_byte != m.start() or node.end_byte != m.end():
            continue                          # inside a string, a comment, a longer name
        kind = classify(node)
        if kind in ("bind", "param"):
            yield node, binding_scope(node, kind)


def resolve(bindings: list[Binding], chain: list[int], pos: int) -> Binding | None:
    """The binding a use at byte `pos` sees, given its scope chain (None: unbound)."""
    for scope in chain:
        here = [b for b in bindings if b.scope == scope]
        if not here:
            continue
        if any(b.imp is not None for b in here):
            # A fallback in `except ImportError:` does not hide the import it stands in for.
            here = [b for b in here if b.imp is not None or not b.in_except]
        if scope != MODULE_SCOPE:
            # In a function any binding makes the name local everywhere in it.
            if any(b.imp is None for b in here):
                return Binding(scope, pos)
            before = [b for b in here if b.pos <= pos]
            return (before or here)[-1]
        if chain[0] != MODULE_SCOPE:
            # Code in a function body runs after the module finished: the last binding wins.
            return here[-1]
        before = [b for b in here if b.pos <= pos]
        return before[-1] if before else None
    return None


def local_bindings(root: Node, data: bytes, ident: Node) -> list[Node]:
    """The nodes that bind `ident`'s name in the function around it ([] at module level, or when
    a lambda or class body comes first)."""
    func = ident.parent
    while func is not None and func.type != "function_definition":
        if func.type in ("lambda", "class_definition"):
            return []
        func = func.parent
    if func is None:
        return []
    names = frozenset({ident.text.decode()})
    return [node for node, scope in named_bindings(root, data, names, func.start_byte, func.end_byte)
            if scope == func.id]


def root_name(expr: Node | None) -> Node | None:
    """`a` of `a.b.C`, `a.B[int]`, `a.b.C(...)`, `list[int]` (an annotation); None for anything else."""
    while expr is not None and expr.type in ("attribute", "subscript", "call", "generic_type"):
        if expr.type == "generic_type":
            expr = expr.named_children[0] if expr.named_children else None
            continue
        field = {"attribute": "object", "subscript": "value"}.get(expr.type, "function")
        expr = expr.child_by_field_name(field)
    return expr if expr is not None and expr.type == "identifier" else None


def binds_name(node: Node, name: str) -> bool:
    """Whether anything under `node` may bind `name` (an assignment, a loop or `with` target, an
    import, a def, `global`...)."""
    if name.encode() not in node.text:
        return False
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "identifier" and n.text.decode() == name and classify(n) in ("bind", "param", "skip"):
            return True
        stack.extend(n.named_children)
    return False
