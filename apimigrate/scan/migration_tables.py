"""Migration tables: module-level tables of ``"module:name"`` strings that a module ``__getattr__``
factory reads to serve, warn about or refuse the names a release moved or removed.

pydantic 2's ``pydantic/_migration.py`` is the model::

    MOVED_IN_V2 = {'pydantic.utils:to_camel': 'pydantic.alias_generators:to_pascal', ...}
    DEPRECATED_MOVED_IN_V2 = {'pydantic.tools:schema_of': 'pydantic.deprecated.tools:schema_of', ...}
    REDIRECT_TO_V1 = {f'pydantic.utils:{obj}': f'pydantic.v1.utils:{obj}' for obj in (...)}
    REMOVED_IN_V2 = {'pydantic:ConstrainedInt', ...}

    def getattr_migration(module):
        def wrapper(name):
            import_path = f'{module}:{name}'
            if import_path in MOVED_IN_V2:
                new_location = MOVED_IN_V2[import_path]
                warnings.warn(f'`{import_path}` has been moved to `{new_location}`.', category=...)
                return import_string(new_location)
            if import_path in DEPRECATED_MOVED_IN_V2:
                # skip the warning here because a deprecation warning will be raised elsewhere
                return import_string(DEPRECATED_MOVED_IN_V2[import_path])
            ...
            if import_path == 'pydantic:BaseSettings':
                raise PydanticImportError('`BaseSettings` has been moved to the `pydantic-settings` package. ...')
            if import_path in REMOVED_IN_V2:
                raise PydanticImportError(f'`{import_path}` has been removed in V2.')
        return wrapper

and each module that served the old names does ``__getattr__ = getattr_migration(__name__)``
(``pydantic/__init__.py``: ``_getattr_migration = getattr_migration(__name__)``, called by its own
``def __getattr__``).

What a branch of the wrapper guarded by ``key in TABLE`` (``TABLE.keys()``) or ``key == "mod:name"``
does with the entry decides its row:

- it raises: the name is removed;
- it warns with a deprecation category (a class named ``*Deprecat*`` or ``FutureWarning``): deprecated;
- it hands back what the table names with no deprecation warning (none: ``DEPRECATED_MOVED_IN_V2``,
  whose objects warn themselves; or pydantic 2.9's plain ``warnings.warn(msg)``), and the table's
  name or the warning's text says the entries moved, were renamed, removed or deprecated: deprecated.

Anything else (a dict of strings no such wrapper reads, a branch that does neither) gives nothing.
A value the branch hands back (``return import_string(TABLE[key])``) is the very object the old
name now is: the replacement, and a drop-in; a table's value a raising branch names is only the
replacement. The version is the one in the table's name (``..._IN_V2``: 2.0), else the one all the
wrapper's tables that name one agree on (``REDIRECT_TO_V1`` and ``'pydantic:BaseSettings'``: 2.0):
``removed_in`` for a removal, ``since`` for a deprecation, where a warning category's name
(``PydanticDeprecatedSince20``: 2.0) comes first.

Per file (`find_migration_tables`), a finding names the factory that serves it (`served_by`); a
module records the factory its ``__getattr__`` comes from (`note_getattr_factory`). Across the
library (`link_served_names`) a finding is kept only for a module whose ``__getattr__`` that very
factory makes, for a name the module does not bind itself (``__getattr__`` is asked only for
names it lacks); its kind is then what the new home is (a class, a function), and the new home is
named by the public path the library's rows use for that object.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterator

from tree_sitter import Node

from apimigrate.scan.model import GETATTR, RawFinding
from apimigrate.scan.module_facts import ParsedFile, module_statements
from apimigrate.scan.names import NameIndex
from apimigrate.scan.syntax import (call_args, def_name, first_parameter, last_name, line_of, node_text, own_nodes,
                                   string_value)

__all__ = ["find_migration_tables", "link_served_names", "note_getattr_factory"]

# Evaluates a message expression (python_source._message): node, substitutions -> text.
MessageOf = Callable[[Node | None, dict[str, str] | None], str | None]

_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
# `MOVED_IN_V2`, `REMOVED_IN_V2`, `DEPRECATED_IN_1_5`: the release the entries changed in.
_TABLE_VERSION = re.compile(r"(?:^|_)IN_V?(\d+)(?:_(\d+))?$", re.I)
# `PydanticDeprecatedSince20`, `...Since211`: deprecated since 2.0, 2.11.
_CATEGORY_SINCE = re.compile(r"Since_?V?(\d)_?(\d+)$")
# A deprecation category, by its last name: broader on purpose than messages.NAMED_DEPRECATION_WARNING
# (`...DeprecationWarning`), for pydantic's own categories are named `PydanticDeprecatedSince20`
# (a DeprecationWarning subclass: the wrapper is read per file, before the library's class hierarchy
# is known to resolve). Any name holding `Deprecat` covers `...DeprecationWarning` too.
_DEPRECATION_CATEGORY = re.compile(r"Deprecat|FutureWarning")
# A branch that serves the entry with no deprecation warning deprecates it only when the table's name
# or the warning's text says so.
_SAYS_DEPRECATED = re.compile(r"deprecat|moved|renamed|removed", re.I)
_TABLE_TYPES = ("dictionary", "set", "list", "tuple", "dictionary_comprehension", "set_comprehension")


# --- a module's __getattr__ made by a factory ---------------------------------------------------


def note_getattr_factory(f: ParsedFile) -> None:
    """``__getattr__ = F(__name__)``, or ``g = F(__name__)`` and a ``def __getattr__(name)`` that
    calls ``g(name)``: record F (absolute dotted) as the maker of the module's ``__getattr__``."""
    made: dict[str, str] = {}          # module-level name -> factory it is the result of
    getattr_def: Node | None = None
    for stmt in module_statements(f.root):
        if stmt.type == "function_definition" and def_name(stmt) == "__getattr__":
            getattr_def = stmt
        if stmt.type != "expression_statement" or stmt.named_child_count != 1:
            continue
        assign = stmt.named_children[0]
        left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
        if assign.type != "assignment" or left is None or left.type != "identifier" or right is None:
            continue
        factory = _factory_called_for_module(f, right)
        if factory is not None:
            made[node_text(left)] = factory
    if "__getattr__" in made and getattr_def is None:
        f.info.getattr_factory = made["__getattr__"]
    elif getattr_def is not None and made:
        f.info.getattr_factory = _delegated_to(getattr_def, made)


def _factory_called_for_module(f: ParsedFile, value: Node) -> str | None:
    """`F(__name__)` (or F called with the module's own name): F's absolute dotted name."""
    if value.type != "call":
        return None
    callee = value.child_by_field_name("function")
    positional, _ = call_args(value)
    if callee is None or callee.type != "identifier" or not positional:
        return None
    if node_text(positional[0]) != "__name__" and string_value(positional[0]) != f.module:
        return None
    name = node_text(callee)
    imported = f.info.imports.get(name)
    if imported is not None:
        source, original = imported
        return f"{source}.{original}" if original else None
    return f"{f.module}.{name}" if f.info.defs.get(name) == "function" else None


def _delegated_to(getattr_def: Node, made: dict[str, str]) -> str | None:
    """The factory whose product ``def __getattr__(name)`` hands the name it is asked for."""
    param = first_parameter(getattr_def)
    for node in own_nodes(getattr_def):
        if node.type == "call":
            callee = node.child_by_field_name("function")
            positional, _ = call_args(node)
            if callee is not None and node_text(callee) in made and positional and node_text(positional[0]) == param:
                return made[node_text(callee)]
    return None


# --- the factory and its tables -------------------------------------------------------------------


def find_migration_tables(f: ParsedFile, message_of: MessageOf) -> None:
    """Findings for the entries of the tables a module-level ``__getattr__`` factory reads."""
    if not any(node.type in _TABLE_TYPES for node in f.tables.values()):
        return
    for stmt in module_statements(f.root):
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
        if stmt.type != "function_definition":
            continue
        module_param = first_parameter(stmt)
        for wrapper in _returned_defs(stmt):
            name_param = first_parameter(wrapper)
            if module_param and name_param:
                _read_wrapper(f, f"{f.module}.{def_name(stmt)}", wrapper, module_param, name_param, message_of)


def _returned_defs(factory: Node) -> list[Node]:
    """The defs nested in `factory` that it returns (``def wrapper(name): ...`` ``return wrapper``)."""
    body = factory.child_by_field_name("body")
    nested = {def_name(s): s for s in body.named_children if s.type == "function_definition"} if body else {}
    returned = [node_text(s.named_children[0]) for s in body.named_children
                if s.type == "return_statement" and s.named_child_count == 1] if body else []
    return [nested[n] for n in returned if n in nested]


def _key_template(wrapper: Node, module_param: str, name_param: str) -> dict[str, str]:
    """Local names bound to the key of the name asked for: ``import_path = f'{module}:{name}'``
    -> {"import_path": ":"} (the separator between the module and the name)."""
    keys: dict[str, str] = {}
    for node in own_nodes(wrapper):
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            sep = _separator(right, module_param, name_param)
            if left is not None and left.type == "identifier" and sep is not None:
                keys[node_text(left)] = sep
    return keys


def _separator(value: Node | None, module_param: str, name_param: str) -> str | None:
    if value is None or value.type != "string":
        return None
    text = node_text(value)
    for sep in (":", "."):
        for quote in ("'", '"'):
            if text == f"f{quote}{{{module_param}}}{sep}{{{name_param}}}{quote}":
                return sep
    return None


def _read_wrapper(f: ParsedFile, factory: str, wrapper: Node, module_param: str, name_param: str,
                  message_of: MessageOf) -> None:
    keys = _key_template(wrapper, module_param, name_param)
    if not keys:
        return
    branches = list(_branches(f, wrapper, keys))
    versions = {v for _, table, _, _ in branches if table is not None for v in [_table_version(table)] if v}
    common = versions.pop() if len(versions) == 1 else None
    for key_var, table, entries, block in branches:
        _read_branch(f, factory, key_var, keys[key_var], table, entries, block, common, message_of)


def _branches(f: ParsedFile, wrapper: Node, keys: dict[str, str]
              ) -> Iterator[tuple[str, str | None, list[tuple[str, str | None, Node]], Node]]:
    """(key variable, table name or None, entries, guarded block) of each ``if key in TABLE:`` /
    ``if key == "mod:name":`` in the wrapper."""
    for node in own_nodes(wrapper):
        if node.type in ("if_statement", "elif_clause"):
            cond, block = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
            guard = _guard(f, cond, keys) if cond is not None else None
            if guard is not None and block is not None:
                yield (*guard, block)


def _guard(f: ParsedFile, cond: Node, keys: dict[str, str]
           ) -> tuple[str, str | None, list[tuple[str, str | None, Node]]] | None:
    if cond.type != "comparison_operator" or cond.named_child_count != 2:
        return None
    left, right = cond.named_children
    operators = [node_text(c) for c in cond.children if not c.is_named]
    if operators == ["=="] and node_text(right) in keys:
        left, right = right, left
    if left.type != "identifier" or node_text(left) not in keys:
        return None
    key_var = node_text(left)
    if operators == ["=="]:
        value = string_value(right)
        return (key_var, None, [(value, None, right)]) if value is not None else None
    if operators == ["in"]:
        table = _table_named(right)
        if table in f.tables:
            return key_var, table, _table_entries(f, table)
    return None


def _table_named(node: Node) -> str | None:
    """`TABLE` or `TABLE.keys()` (pydantic 2.9: `if import_path in MOVED_IN_V2.keys():`)."""
    if node.type == "call" and not call_args(node)[0] and not call_args(node)[1]:
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "attribute" and node_text(callee.child_by_field_name("attribute")) == "keys":
            node = callee.child_by_field_name("object")
    return node_text(node) if node is not None and node.type == "identifier" else None


def _table_entries(f: ParsedFile, name: str) -> list[tuple[str, str | None, Node]]:
    """(key, value or None, node to cite) of each entry of a module-level table of strings."""
    out = _entries(f.tables[name], f)
    for added in f.table_additions.get(name, ()):
        if added.type == "assignment":
            target = added.child_by_field_name("left")
            key = string_value(target.child_by_field_name("subscript")) if target is not None else None
            if key is not None:
                out.append((key, string_value(added.child_by_field_name("right")), added))
        else:
            out += _entries(added, f)
    return out


def _entries(node: Node, f: ParsedFile) -> list[tuple[str, str | None, Node]]:
    out: list[tuple[str, str | None, Node]] = []
    if node.type == "dictionary":
        for pair in node.named_children:
            key = string_value(pair.child_by_field_name("key")) if pair.type == "pair" else None
            if key is not None:
                out.append((key, string_value(pair.child_by_field_name("value")), pair))
    elif node.type in ("set", "list", "tuple"):
        out = [(v, None, c) for c in node.named_children if (v := string_value(c)) is not None]
    elif node.type in ("dictionary_comprehension", "set_comprehension"):
        out = _comprehension_entries(node, f)
    return out


def _comprehension_entries(node: Node, f: ParsedFile) -> list[tuple[str, str | None, Node]]:
    """``{f'pydantic.utils:{obj}': f'pydantic.v1.utils:{obj}' for obj in ('deep_update', ...)}``:
    the f-strings filled in with each literal the loop runs over."""
    clauses = [c for c in node.named_children if c.type == "for_in_clause"]
    if len(clauses) != 1 or any(c.type == "if_clause" for c in node.named_children):
        return []
    var, source = clauses[0].child_by_field_name("left"), clauses[0].child_by_field_name("right")
    if var is None or var.type != "identifier" or source is None:
        return []
    if source.type == "identifier":
        source = f.tables.get(node_text(source))
    if source is None or source.type not in ("set", "list", "tuple"):
        return []
    head = node.named_children[0]
    key_node, value_node = (head.child_by_field_name("key"), head.child_by_field_name("value")) \
        if head.type == "pair" else (head, None)
    out: list[tuple[str, str | None, Node]] = []
    for item in source.named_children:
        loop_value = string_value(item)
        if loop_value is None:
            continue
        key = _filled(key_node, node_text(var), loop_value)
        if key is not None:
            out.append((key, _filled(value_node, node_text(var), loop_value), item))
    return out


def _filled(node: Node | None, var: str, value: str) -> str | None:
    """A plain string, or an f-string whose every hole is exactly `var`, with `value` put in."""
    if node is None or node.type != "string":
        return None
    plain = string_value(node)
    if plain is not None and not node_text(node).lower().startswith(("f", "rf", "fr")):
        return plain
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "string_content":
            parts.append(node_text(child))
        elif child.type == "interpolation":
            expr = child.child_by_field_name("expression") or (child.named_children[0] if child.named_child_count else None)
            if expr is None or node_text(expr) != var or child.named_child_count != 1:
                return None
            parts.append(value)
        elif child.type not in ("string_start", "string_end"):
            return None
    return "".join(parts)


# --- one guarded branch -----------------------------------------------------------------------------


def _read_branch(f: ParsedFile, factory: str, key_var: str, sep: str, table: str | None,
                 entries: list[tuple[str, str | None, Node]], block: Node, common: str | None,
                 message_of: MessageOf) -> None:
    warn, raised, returned = _what_the_block_does(block)
    looked_up = _looked_up_variables(block, table, key_var)
    served = returned is not None and raised is None and _hands_back_the_entry(returned, looked_up, table, key_var)
    category = message_node = None
    if warn is not None:
        positional, keywords = call_args(warn)
        message_node = keywords.get("message", positional[0] if positional else None)
        category_node = keywords.get("category", positional[1] if len(positional) > 1 else None)
        category = node_text(category_node) if category_node is not None else None
    if raised is not None:
        positional, _ = call_args(raised)
        message_node = positional[0] if positional else None
    elif category is None or not _DEPRECATION_CATEGORY.search(last_name(category)):
        # No deprecation warning (none, or a plain `warn(msg)`: pydantic 2.9's MOVED_IN_V2): the
        # name is still deprecated when it gives what the table names and the table's name or the
        # warning's text says it moved or went.
        said = (table or "") + " " + (node_text(message_node) if message_node is not None else "")
        if not served or not _SAYS_DEPRECATED.search(said):
            return
        category = None
    version = (_table_version(table) if table is not None else None) or common
    since = version if raised is None else None
    if raised is None and category is not None:
        since = _category_since(category) or since
    for key, value, node in entries:
        module, name = _split(key, sep)
        if module is None:
            continue
        home = value.replace(":", ".") if value and _DOTTED.match(value.replace(":", ".", 1)) else None
        subst = {key_var: key, **{var: value for var in looked_up if value is not None}}
        if message_node is not None:
            message = message_of(message_node, subst)
        else:
            message = f"`{key}` has moved to `{value}`." if value else None
        f.findings.append(RawFinding(
            evidence_kind=GETATTR, kind="attribute", target=name, module=module, path=f.path, line=line_of(node),
            message=message, replacement=home, since=since, removed_in=version if raised is not None else None,
            category=category if raised is None else None, removed=raised is not None,
            drop_in=served and home is not None, text=" ".join(node_text(node).split())[:200],
            served_by=factory))


def _what_the_block_does(block: Node) -> tuple[Node | None, Node | None, Node | None]:
    """(the first `warn(...)` call, the raised exception's call, the return statement) among a guarded
    block's own statements (not those of nested ifs, defs or loops)."""
    warn = raised = returned = None
    for stmt in block.named_children:
        if stmt.type == "expression_statement" and stmt.named_child_count == 1:
            call = stmt.named_children[0]
            callee = call.child_by_field_name("function") if call.type == "call" else None
            if callee is not None and last_name(node_text(callee)) == "warn" and warn is None:
                warn = call
        elif stmt.type == "raise_statement" and stmt.named_child_count and stmt.named_children[0].type == "call":
            raised = raised or stmt.named_children[0]
        elif stmt.type == "return_statement" and returned is None:
            returned = stmt
    return warn, raised, returned


def _looked_up_variables(block: Node, table: str | None, key_var: str) -> list[str]:
    """Names the block binds to the entry's value: ``new_location = TABLE[import_path]``."""
    out = []
    for stmt in block.named_children:
        assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
        if assign is not None and assign.type == "assignment" and _is_lookup(assign.child_by_field_name("right"), table, key_var):
            left = assign.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                out.append(node_text(left))
    return out


def _is_lookup(node: Node | None, table: str | None, key_var: str) -> bool:
    return node is not None and table is not None and node.type == "subscript" \
        and node_text(node.child_by_field_name("value")) == table \
        and node_text(node.child_by_field_name("subscript")) == key_var


def _hands_back_the_entry(returned: Node, looked_up: list[str], table: str | None, key_var: str) -> bool:
    """``return import_string(new_location)`` / ``return import_string(TABLE[key])``: what the
    table names is what the old name gives."""
    value = returned.named_children[0] if returned.named_child_count else None
    if value is None or value.type != "call":
        return False
    positional, _ = call_args(value)
    return len(positional) == 1 and (node_text(positional[0]) in looked_up or _is_lookup(positional[0], table, key_var))


def _split(key: str, sep: str) -> tuple[str | None, str]:
    module, found, name = key.rpartition(sep) if sep == "." else key.partition(sep)
    if not found or not _DOTTED.match(module) or not name.isidentifier():
        return None, key
    return module, name


def _table_version(table: str) -> str | None:
    m = _TABLE_VERSION.search(table)
    return f"{m.group(1)}.{m.group(2) or 0}" if m else None


def _category_since(category: str) -> str | None:
    m = _CATEGORY_SINCE.search(last_name(category))
    return f"{m.group(1)}.{m.group(2)}" if m else None


# --- across the library -----------------------------------------------------------------------------


def link_served_names(findings: list[RawFinding], names: NameIndex) -> list[RawFinding]:
    """Keep a table's finding only where the module its key names has its ``__getattr__`` from the
    factory that reads the table, and does not bind the name itself; give it its new home's kind."""
    if not any(f.served_by for f in findings):
        return findings
    made_by = {module: _canonical(names, info.getattr_factory)
               for module, info in names.modules.items() if info.getattr_factory}
    out: list[RawFinding] = []
    for f in findings:
        if not f.served_by:
            out.append(f)
            continue
        info = names.modules.get(f.module or "")
        if info is None or made_by.get(info.module) != _canonical(names, f.served_by) \
                or f.target in info.defs or f.target in info.imports \
                or names.public_name(info.module, f.target) in names.public:
            continue
        if f.replacement:
            f = replace(f, kind=_home_kind(names, f.replacement), replacement=_public_home(names, f.replacement))
        out.append(f)
    return out


def _public_home(names: NameIndex, home: str) -> str:
    """The new home by the public path the library's rows use for that object
    (`pydantic.deprecated.tools.schema_of` is `pydantic.schema_of`)."""
    module, _, name = home.rpartition(".")
    public = names.public_name(module, name) if module in names.modules else home
    return public if public in names.public else home


def _canonical(names: NameIndex, dotted: str) -> str:
    module, _, name = dotted.rpartition(".")
    origin_module, origin_name = names.origin(module, name)
    return f"{origin_module}.{origin_name}"


def _home_kind(names: NameIndex, home: str) -> str:
    """What the new home is: a class, a function, a module; an attribute when not known."""
    if home in names.modules:
        return "module"
    module, _, name = home.rpartition(".")
    kind = names.kind_of(module, name) if module in names.modules else "attribute"
    return kind if kind in ("class", "function", "module") else "attribute"
