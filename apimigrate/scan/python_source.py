"""Per-file extractor for Python sources and ``.pyi`` stubs.

``extract_python`` parses one file with tree-sitter-python and reports

* a :class:`ModuleInfo` (``__all__``, top-level defs, class members / bases,
  imports) for every file that parses (read by ``scan/module_facts.py``), and
* :class:`RawFinding` objects for every piece of deprecation evidence: warning
  calls, deprecation decorators, docstring directives, stub decorators, module
  ``__getattr__`` tables / guards and scipy-style deprecated submodules.

Speed matters (thousands of files per scan), so the tree is parsed once and is
never walked whole: the module-level statements are visited for ModuleInfo,
and evidence is located by running cheap byte regexes over the source and
mapping each hit to its node with ``descendant_for_byte_range``.  Files with
no marker at all cost one parse plus the top-level walk.

Getattr tables (``numpy._expired_attrs_2_0.__expired_attributes__``): a
module-level dict literal with string keys whose name looks like
``_expired*`` / ``__expired_*`` / ``__deprecated_attrs__`` / ``_deprecated_*``
yields one attribute finding per key.  The names belong to the module whose
``__getattr__`` serves them; the rule used here: when the defining module's
last component starts with ``_`` and the file is not a package ``__init__``,
the findings are reported against the parent package (``numpy``).
"""
from __future__ import annotations

import re
import string
import textwrap
from dataclasses import dataclass
from typing import Iterator

import tree_sitter_python
from tree_sitter import Language, Node, Parser

from apimigrate.db.records import (FALSE_LITERALS, SETTER, USE_ANY, USE_DEFAULT, USE_OTHER, USE_POSITIONAL, USE_TRUTHY,
                                   USE_VALUE, canonical_literal)
from apimigrate.scan.messages import (DEPRECATED_VERB, DEPRECATION_CATEGORY, DEPRECATION_WORDS, HOLE,
                                      PENDING_WARNING, VERSION_LIKE, deprecated_subjects, literal_text,
                                      offers_one_name, replacement_from_text, says_drop_in, versions_from_text)
from apimigrate.scan.helper_warnings import names_caller
from apimigrate.scan.kwargs_keywords import (PoppedKeyword, handed_on, keyword_given, kwargs_parameter,
                                             popped_keywords, runs_when_given)
from apimigrate.scan.library_helpers import (API_DECORATORS, PARAMETER_DECORATORS, DeclaredApi, DeclaredParameter,
                                             HelperWarning, deprecated_attributes, helper_warning, warning_helper_calls)
from apimigrate.scan.migration_tables import find_migration_tables, note_getattr_factory
from apimigrate.scan.overloads import deprecated_overload_scope
from apimigrate.scan.param_types import annotation_kinds, documented_kinds, values_carry_over
from apimigrate.scan.parameter_usage import usage_from_text
from apimigrate.scan.delegation import delegations, string_lists
from apimigrate.scan.forwarding import forward_calls
from apimigrate.scan.value_tables import TableGuard, module_tables, table_guard
from apimigrate.scan.value_guards import (DefaultGuard, ValueGuard, branches_with_else, default_guard, quotes_a_value,
                                          tests_the_data, truthiness_guard, value_guard)
from apimigrate.scan.signatures import decorator_names
from apimigrate.scan.module_facts import ParsedFile as _File
from apimigrate.scan.module_facts import collect_module_info as _collect_module_info
from apimigrate.scan.module_facts import module_statements as _module_statements
from apimigrate.scan.syntax import ancestor as _ancestor
from apimigrate.scan.syntax import call_args as _call_args
from apimigrate.scan.syntax import decorator_callee as _decorator_callee
from apimigrate.scan.syntax import decorators_of as _decorators
from apimigrate.scan.syntax import def_name as _def_name
from apimigrate.scan.syntax import last_name as _last
from apimigrate.scan.syntax import line_of as _line
from apimigrate.scan.syntax import node_text as _text
from apimigrate.scan.syntax import own_nodes as _own_nodes
from apimigrate.scan.syntax import string_value as _string_value
from apimigrate.scan.model import (
    DECORATOR,
    DOCSTRING,
    GETATTR,
    STUB,
    SUBMODULE,
    WARNING,
    FileResult,
    ModuleInfo,
    RawFinding,
)

__all__ = ["extract_python"]

_LANGUAGE = Language(tree_sitter_python.language())
_PARSER: Parser | None = None


def _parser() -> Parser:
    # One parser per process: the runner calls us from a process pool.
    global _PARSER
    if _PARSER is None:
        _PARSER = Parser(_LANGUAGE)
    return _PARSER


# --- byte markers that locate evidence without walking the tree -------------------

_WARN_RE = re.compile(rb"\bwarn\s*\(")
_DECORATOR_RE = re.compile(
    rb"^[ \t]*@[ \t]*(?:[\w]+\.)*(?P<name>deprecated|_deprecated|deprecate_kwarg|_rename_parameter"
    rb"|_deprecate_positional_args|rename_parameter|delete_parameter|make_keyword_only"
    rb"|deprecated_params|deprecated_cls|deprecate_func|deprecate_parameter)\b",
    re.M,
)
_POSITIONAL_ARGS_DECORATOR = "_deprecate_positional_args"
_DOCSTRING_RE = re.compile(rb"\.\.[ \t]+(?:deprecated(?:-removed)?|versionremoved|warning|note|attention|caution"
                           rb"|important)::|DEPRECATED")
_DEPRECATE_CALL_RE = re.compile(rb"\bdeprecate\s*\(")
_ANY_MARKER = re.compile(rb"deprecat|DEPRECAT|Deprecat|FutureWarning|\bwarn\s*\(|__getattr__|_expired|_parameter\b"
                         rb"|make_keyword_only|versionremoved::")

_TABLE_NAME_RE = re.compile(r"^__?(?:expired|deprecated)(?:_\w*)?$")
_DIGITS_IN_NAME = re.compile(r"_(\d+)_(\d+)$")

_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "cache_readonly", "abstractproperty"})
_INIT_METHODS = frozenset({"__init__", "__new__", "__post_init__"})
_SNIPPET_CHARS = 200
# Functions that warn on behalf of their callers (besides anything named *deprecat*).
_HELPER_NAMES = frozenset({"_rename_parameter", "_transition_to_rng", "_raise_warning"})


@dataclass
class _Scope:
    """What a piece of evidence is attributed to."""

    kind: str                 # module / class / function / method / attribute
    target: str               # qualname relative to the module
    func: Node | None = None  # the function_definition the evidence sits in
    cls: Node | None = None   # the innermost enclosing class_definition
    is_module_getattr: bool = False


def extract_python(
    source: bytes, path: str, module: str, *, is_stub: bool = False, is_package: bool = False,
    packages: tuple[str, ...] = (),
) -> FileResult:
    """Extract ModuleInfo and deprecation findings from one Python file; never raises. `packages`:
    the library's top-level packages (the module's own, when not given)."""
    if b"\0" in source:
        return FileResult(path, error="binary file (NUL byte)")
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return FileResult(path, error="not UTF-8")
    try:
        return _extract(source, path, module, is_stub=is_stub, is_package=is_package, packages=packages)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a scan
        return FileResult(path, error=f"extractor failed: {type(exc).__name__}: {exc}")


def _extract(source: bytes, path: str, module: str, *, is_stub: bool, is_package: bool,
             packages: tuple[str, ...] = ()) -> FileResult:
    tree = _parser().parse(source)
    root = tree.root_node
    if root.has_error:
        return FileResult(path, error=f"syntax error at line {_first_error_line(root)}")
    f = _File(source, path, module, is_stub, is_package, root, ModuleInfo(module, path, is_package))
    _collect_module_info(f)
    f.info.value_tables = module_tables(root)
    if not is_stub and not _TEST_MODULE.search(module):
        # (a test passes nothing on that users call, nor has lists a library's decorators name)
        f.info.forwards = forward_calls(root, _parameters, _position, set(f.info.defs),
                                        _callable_heads(f.info, packages, path))
        statements = list(_module_statements(root))
        f.info.delegations = delegations(statements)
        f.info.name_lists = string_lists(statements)
    note_getattr_factory(f)
    find_migration_tables(f, lambda node, subst: _message(f, node, subst))
    if _ANY_MARKER.search(source):
        _find_warnings(f)
        _find_factory_aliases(f)
        _find_decorators(f)
        _find_deprecated_attributes(f)
        _find_docstrings(f)
        _find_attached_docstrings(f)
        _find_deprecate_calls(f)
        _find_tables(f)
        for func in f.getattr_funcs:
            _find_getattr_shims(f, func)
    _find_helper_calls(f)
    findings = [x for x in f.findings if x.kind != _DELETER]
    return FileResult(path, _dedupe(findings), f.info)


_TEST_MODULE = re.compile(r"(?:^|\.)(?:tests?|testing|conftest)(?:\.|$)|(?:^|\.)test_")


def _callable_heads(info: ModuleInfo, packages: tuple[str, ...], path: str) -> set[str] | None:
    """The first names of the calls through which a def may pass a parameter on to another def of
    the library (forwarding.py): the module's own top-level names, those it imports from the
    library, `self` and `cls`. A call of anything else (a builtin, a local, numpy's `np.asarray`)
    reaches no def the runner knows (forwarding._callee): scipy's defs make 30,000 such calls of
    their parameters. None for a .pyx module, whose cimported names bind no Python name: the runner
    looks its unknown callees up among the library's defs."""
    if path.endswith(".pyx"):
        return None
    own = {*packages, info.module.split(".")[0]}
    return {*info.defs, "self", "cls",
            *(name for name, (module, _) in info.imports.items() if module.split(".")[0] in own)}


def _first_error_line(root: Node) -> int:
    node = root
    while True:
        for child in node.children:
            if child.is_error or child.is_missing:
                return child.start_point[0] + 1
            if child.has_error:
                node = child
                break
        else:
            return node.start_point[0] + 1


# --- small node helpers ---------------------------------------------------------------


def _snippet(node: Node) -> str:
    return " ".join(_text(node).split())[:_SNIPPET_CHARS]


def _node_at(f: _File, start: int, end: int) -> Node | None:
    return f.root.descendant_for_byte_range(start, end)

# --- scopes ---------------------------------------------------------------------------------


def _scope_of(node: Node) -> _Scope:
    """What evidence at ``node`` is about: the outermost function below the class chain."""
    chain: list[Node] = []
    cur = node.parent
    while cur is not None:
        if cur.type in ("function_definition", "class_definition"):
            chain.append(cur)
        cur = cur.parent
    chain.reverse()
    return _scope_from_chain(chain)


def _scope_of_definition(defn: Node) -> _Scope:
    """Scope of a def/class itself (for decorators and docstrings)."""
    scope = _scope_of(defn)
    if scope.func is not None:
        return scope  # a def nested in a function: attribute it to the function
    chain = _class_chain(defn) + [defn]
    return _scope_from_chain(chain)


def _class_chain(node: Node) -> list[Node]:
    chain: list[Node] = []
    cur = node.parent
    while cur is not None:
        if cur.type == "class_definition":
            chain.append(cur)
        cur = cur.parent
    return list(reversed(chain))


def _scope_from_chain(chain: list[Node]) -> _Scope:
    names: list[str] = []
    cls: Node | None = None
    for defn in chain:
        names.append(_def_name(defn))
        if defn.type == "class_definition":
            cls = defn
            continue
        return _function_scope(defn, names, cls)
    if cls is not None:
        return _Scope("class", ".".join(names), cls=cls)
    return _Scope("module", "")


def _function_scope(func: Node, names: list[str], cls: Node | None) -> _Scope:
    name = names[-1]
    if cls is None:
        return _Scope("function", name, func=func, is_module_getattr=name == "__getattr__")
    if name in _INIT_METHODS:
        return _Scope("class", ".".join(names[:-1]), func=func, cls=cls)
    if _is_property(func):
        return _Scope("attribute", ".".join(names), func=func, cls=cls)
    return _Scope("method", ".".join(names), func=func, cls=cls)


def _is_property(func: Node) -> bool:
    for dec in _decorators(func):
        name, _ = _decorator_callee(dec)
        last = _last(name)
        if last in _PROPERTY_DECORATORS or last in ("setter", "getter", "deleter"):
            return True
    return False


def _parameters(func: Node | None) -> tuple[list[str], bool]:
    """Parameter names of a def (without self/cls) and whether it takes **kwargs."""
    if func is None:
        return [], False
    params = func.child_by_field_name("parameters")
    names: list[str] = []
    has_kwargs = False
    for p in params.named_children if params is not None else ():
        if p.type == "identifier":
            names.append(_text(p))
        elif p.type in ("default_parameter", "typed_default_parameter"):
            names.append(_text(p.child_by_field_name("name")))
        elif p.type == "typed_parameter":
            ident = next((c for c in p.named_children if c.type == "identifier"), None)
            if ident is not None:
                names.append(_text(ident))
            elif any(c.type == "dictionary_splat_pattern" for c in p.named_children):
                has_kwargs = True
        elif p.type == "dictionary_splat_pattern":
            has_kwargs = True
    return [n for n in names if n not in ("self", "cls")], has_kwargs


def _init_def(cls: Node | None) -> Node | None:
    body = cls.child_by_field_name("body") if cls is not None else None
    for stmt in body.named_children if body is not None else ():
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
        if stmt.type == "function_definition" and _def_name(stmt) == "__init__":
            return stmt
    return None


def _init_parameters(cls: Node | None) -> list[str]:
    init = _init_def(cls)
    if init is None and cls is not None and _is_dataclass(cls):
        return _dataclass_fields(cls)
    return _parameters(init)[0] if init is not None else []


def _is_dataclass(cls: Node) -> bool:
    return any(_last(_decorator_callee(dec)[0]) == "dataclass" for dec in _decorators(cls))


def _dataclass_fields(cls: Node) -> list[str]:
    """A dataclass writes its __init__ from its annotated fields: torch 2.13 ``WorkerSpec.fn`` is a
    constructor parameter its ``__post_init__`` warns about."""
    return list(_annotated_fields(cls))


def _annotated_fields(cls: Node) -> dict[str, Node]:
    """A class body's annotated names (ClassVars aside) and their annotations."""
    body = cls.child_by_field_name("body")
    found: dict[str, Node] = {}
    for stmt in body.named_children if body is not None else ():
        assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
        annotation = assign.child_by_field_name("type") if assign is not None and assign.type == "assignment" else None
        if annotation is not None and not _text(annotation).startswith("ClassVar"):
            left = assign.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                found[_text(left)] = annotation
    return found


def _values_carry_over(scope: _Scope, old: str, new: str) -> bool:
    """Whether the parameters' types let `old=` be renamed `new=` (param_types.py): the docstrings'
    entries (numpydoc or Google), the def's own over its class's (constructor parameters are
    documented there), else the signature's annotations (torch's `use_cuda: bool | None` is no
    `activities: Iterable[ProfilerActivity] | None`)."""
    kinds: dict[str, frozenset[str]] = {}
    for owner in (scope.cls, scope.func):
        doc = _docstring_of(owner) if owner is not None else None
        if doc is not None:
            kinds.update(documented_kinds(_text(doc)))
    init = _init_def(scope.cls) if scope.cls is not None else None
    annotated = _annotated_kinds(init)
    annotated.update(_annotated_kinds(scope.func))
    if scope.cls is not None and init is None and _is_dataclass(scope.cls):
        annotated.update(_field_kinds(scope.cls))
    for name in (old, new):
        if name not in kinds and name in annotated:
            kinds[name] = annotated[name]
    return values_carry_over(kinds.get(old), kinds.get(new))


def _annotated_kinds(func: Node | None) -> dict[str, frozenset[str]]:
    """The kinds each annotated parameter of a def takes, by its annotation."""
    params = func.child_by_field_name("parameters") if func is not None else None
    found: dict[str, frozenset[str]] = {}
    for p in params.named_children if params is not None else ():
        if p.type in ("typed_parameter", "typed_default_parameter"):
            name = p.child_by_field_name("name") or next((c for c in p.named_children if c.type == "identifier"), None)
            annotation = p.child_by_field_name("type")
            if name is not None and name.type == "identifier" and annotation is not None:
                found[_text(name)] = annotation_kinds(_text(annotation))
    return found


def _field_kinds(cls: Node) -> dict[str, frozenset[str]]:
    """A dataclass's fields' kinds, by their annotations (its __init__ takes them)."""
    return {name: annotation_kinds(_text(annotation)) for name, annotation in _annotated_fields(cls).items()}


def _parameter_position(scope: _Scope, name: str, new_name: str | None = None) -> int | None:
    """Where `name` sits in a call of the API: the def's own parameter, else the constructor's.

    A renamed parameter the signature no longer lists (pandas ``map(func=None, **kwargs)`` takes
    ``arg`` through ``**kwargs``) sits where its new name does: a call that fills that slot by
    position passes ``arg=`` on to the function, and is no use of the old name.
    """
    if scope.func is not None and name in _parameters(scope.func)[0]:
        return _position(scope.func, name)
    position = _position(_init_def(scope.cls), name)
    if position is None and new_name and new_name != name:
        return _parameter_position(scope, new_name)
    return position


# --- messages -------------------------------------------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _message(f: _File, node: Node | None, subst: dict[str, str] | None = None, depth: int = 0) -> str | None:
    """The literal text of a message expression; non-literal holes become ``{}``."""
    if node is None or depth > 4:
        return None
    kind = node.type
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return _message(f, node.named_children[0], subst, depth)
    if kind == "string":
        return _fstring_text(node, subst) if _is_fstring(node) else literal_text(_text(node))
    if kind == "concatenated_string":
        parts = [_message(f, c, subst, depth) for c in node.named_children if c.type == "string"]
        return "".join(p if p is not None else HOLE for p in parts)
    if kind == "binary_operator":
        return _binary_message(f, node, subst, depth)
    if kind == "call":
        func = node.child_by_field_name("function")
        if func is not None and func.type == "attribute" and _text(func.child_by_field_name("attribute")) == "format":
            template = _message(f, func.child_by_field_name("object"), subst, depth + 1)
            return _format_text(f, template, node, subst, depth) if template is not None else None
        if func is not None and _last(_text(func)) == "dedent":
            # seaborn 0.13 `kdeplot`: `msg = textwrap.dedent(f"""\n ... `shade` is now deprecated ...""")`
            args, _ = _call_args(node)
            text = _message(f, args[0], subst, depth + 1) if len(args) == 1 else None
            return textwrap.dedent(text).strip() if text is not None else None
        if func is not None and func.type == "attribute" and _text(func.child_by_field_name("attribute")) == "replace":
            # scipy 1.17 `anderson`: a triple-quoted message `.replace('\n', ' ')`
            text = _message(f, func.child_by_field_name("object"), subst, depth + 1)
            args, _ = _call_args(node)
            old, new = (_string_value(a) for a in args) if len(args) == 2 else (None, None)
            return text.replace(old, new) if text is not None and old and new is not None else None
        return None
    if kind == "attribute" and subst and _text(node) in subst:
        return subst[_text(node)]            # a filled ``new.__name__``
    if kind == "identifier":
        if subst and _text(node) in subst:
            return subst[_text(node)]
        value = _assigned_value(f, node)
        if value is None:
            return _unpacked_lookup_message(f, node, subst, depth) if subst else None
        return _message(f, value, subst, depth + 1)
    if kind == "subscript":
        sliced = node.child_by_field_name("subscript")
        if sliced is not None and sliced.type == "slice":
            return _sliced_message(f, node, sliced, subst, depth)
        return _table_lookup_message(f, node, subst, depth)
    return None


_SLICE = re.compile(r"\s*(?P<start>-?\d+)?\s*:\s*(?P<stop>-?\d+)?\s*")


def _sliced_message(f: _File, node: Node, sliced: Node, subst: dict[str, str] | None, depth: int) -> str | None:
    """``new_name[:-1]`` of a known text, its bounds integer literals (torch 2.13 ``nn.init``'s
    factory: ``new_name = meth.__name__``, ``old_name = new_name[:-1]``)."""
    m = _SLICE.fullmatch(_text(sliced))
    text = _message(f, node.child_by_field_name("value"), subst, depth + 1) if m is not None else None
    if text is None or HOLE in text:
        return None
    start, stop = (int(m.group(g)) if m.group(g) else None for g in ("start", "stop"))
    return text[start:stop]


def _format_text(f: _File, template: str, call: Node, subst: dict[str, str] | None, depth: int) -> str:
    """``template.format(...)`` with the arguments that have a literal value filled in, others as holes."""
    positional, keywords = _call_args(call)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return template
    out: list[str] = []
    auto = 0
    for literal, field_name, _spec, _conv in parsed:
        out.append(literal)
        if field_name is None:
            continue
        key = field_name.split(".", 1)[0].split("[", 1)[0]
        if key == "":
            arg = positional[auto] if auto < len(positional) else None
            auto += 1
        elif key.isdigit():
            arg = positional[int(key)] if int(key) < len(positional) else None
        else:
            arg = keywords.get(key)
        value = _message(f, arg, subst, depth + 1) if arg is not None and key == field_name else None
        out.append(value if value is not None else HOLE)
    return "".join(out)


def _table_lookup_message(f: _File, node: Node, subst: dict[str, str] | None, depth: int) -> str | None:
    """``__former_attrs__[attr]`` inside ``if attr in __former_attrs__``: that name's message."""
    table = node.child_by_field_name("value")
    key = node.child_by_field_name("subscript")
    if table is None or key is None or table.type != "identifier" or not subst or _text(key) not in subst:
        return None
    row = _row_value(f, _text(table), subst[_text(key)])
    return _message(f, row[0], {**subst, **row[1]}, depth + 1) if row is not None else None


def _row_value(f: _File, table: str, key: str) -> tuple[Node, dict[str, str]] | None:
    """The value of ``table[key]`` and the loop variables it is evaluated with, looking through the
    table's literal, a comprehension over a literal list, and rows added by ``update``/item assignment."""
    for source in (f.tables.get(table), *f.table_additions.get(table, ())):
        if source is None:
            continue
        if source.type == "assignment":
            left = source.child_by_field_name("left")
            if _string_value(left.child_by_field_name("subscript")) == key:
                return source.child_by_field_name("right"), {}
        elif source.type == "dictionary":
            for pair in source.named_children:
                if pair.type == "pair" and _string_value(pair.child_by_field_name("key")) == key:
                    return pair.child_by_field_name("value"), {}
        elif source.type == "dictionary_comprehension":
            for bound, body in _comprehension_rows(f, source):
                if bound.get("__key__") == key:
                    return body, bound
    return None


def _unpacked_lookup_message(f: _File, ident: Node, subst: dict[str, str], depth: int) -> str | None:
    """numpy 1.x: ``val, msg = __deprecated_attrs__[attr]`` then ``warn(msg)``: that row's message."""
    func = _ancestor(ident, ("function_definition",))
    for node in _own_nodes(func) if func is not None else ():
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.type in ("pattern_list", "tuple_pattern") and right is not None \
                    and right.type == "subscript":
                names = [_text(c) for c in left.named_children]
                table, key = right.child_by_field_name("value"), right.child_by_field_name("subscript")
                if _text(ident) in names and table is not None and key is not None and _text(key) in subst:
                    row = _row_value(f, _text(table), subst[_text(key)])
                    if row is None or row[0].type != "tuple" or row[0].named_child_count != len(names):
                        return None
                    item = row[0].named_children[names.index(_text(ident))]
                    return _message(f, item, {**subst, **row[1]}, depth + 1)
    return None


def _binary_message(f: _File, node: Node, subst: dict[str, str] | None, depth: int) -> str | None:
    op = _text(node.child_by_field_name("operator"))
    left = _message(f, node.child_by_field_name("left"), subst, depth + 1)
    if op == "%":
        if left is None:
            return None
        return _PERCENT_SPEC.sub(lambda m: "%" if m.group(0) == "%%" else HOLE, left)
    if op == "+":
        right = _message(f, node.child_by_field_name("right"), subst, depth + 1)
        if left is None and right is None:
            return None
        return (left if left is not None else HOLE) + (right if right is not None else HOLE)
    return None


def _is_fstring(node: Node) -> bool:
    start = node.children[0] if node.children else None
    return start is not None and "f" in _text(start).lower()


def _fstring_text(node: Node, subst: dict[str, str] | None) -> str | None:
    text = literal_text(_text(node))
    if text is None or not subst:
        return text
    # Fill the holes whose expression is a known name (the guarded __getattr__ name).
    holes = [c for c in node.named_children if c.type == "interpolation"]
    pieces = text.split(HOLE)
    if len(pieces) != len(holes) + 1:
        return text
    exprs = [_text(hole.child_by_field_name("expression") or (hole.named_children[0] if hole.named_child_count
                                                                 else hole)) for hole in holes]
    out = [pieces[0]]
    i = 0
    while i < len(holes):
        qualified = _qualified_pair(exprs, pieces, i, subst)
        if qualified is not None:
            out.append(qualified + pieces[i + 2])
            i += 2
            continue
        out.append(subst.get(exprs[i], HOLE) + pieces[i + 1])
        i += 1
    return "".join(out)


def _qualified_key(var: str) -> str:
    """The substitution key of what ``{var.__module__}.{var.__name__}`` spells (see _qualified_pair)."""
    return f"{var}.__module__.__name__"


def _qualified_pair(exprs: list[str], pieces: list[str], i: int, subst: dict[str, str]) -> str | None:
    """torch 2.13 ``__getattr__``: f"... please use '{replacement.__module__}.{replacement.__name__}()'",
    `replacement` a row of ``{"has_cuda": torch.backends.cuda.is_built, ...}``: the two holes spell a
    name of the object, which the dotted path the table writes is too. Either hole alone would be a
    guess (the path's module may re-export it; `is_built` may be another function's alias)."""
    if i + 1 >= len(exprs) or pieces[i + 1] != "." or not exprs[i].endswith(".__module__"):
        return None
    var = exprs[i].removesuffix(".__module__")
    if exprs[i + 1] not in (f"{var}.__name__", f"{var}.__qualname__"):
        return None
    return subst.get(_qualified_key(var))


def _assigned_value(f: _File, ident: Node) -> Node | None:
    """The right side of the nearest earlier ``name = ...`` in an enclosing block."""
    name = _text(ident)
    pos = ident.start_byte
    block = ident.parent
    while block is not None:
        if block.type in ("block", "module"):
            found: Node | None = None
            for stmt in block.named_children:
                if stmt.start_byte >= pos:
                    break
                if stmt.type == "expression_statement" and stmt.named_child_count == 1:
                    assign = stmt.named_children[0]
                    if assign.type == "assignment" and _text(assign.child_by_field_name("left")) == name:
                        found = assign.child_by_field_name("right")
            if found is not None:
                return found
            if block.type == "module":
                return None
        block = block.parent
    return None


def _comment_versions(node: Node) -> tuple[str | None, str | None]:
    """Versions from the comment lines right above a statement ("# Deprecated in NumPy 2.0")."""
    stmt = _ancestor(node, ("expression_statement", "return_statement", "raise_statement"))
    prev = stmt.prev_sibling if stmt is not None else None
    if stmt is not None and prev is None and stmt.parent is not None and stmt.parent.type == "block":
        # tree-sitter puts comments above a body's first statement before the block.
        prev = stmt.parent.prev_sibling
    texts: list[str] = []
    while prev is not None and prev.type == "comment" and len(texts) < 3:
        texts.append(_text(prev))
        prev = prev.prev_sibling
    return versions_from_text(" ".join(reversed(texts))) if texts else (None, None)


_DELETER = "<deleter>"       # dropped at the end of _extract: `del x.attr` is too rare to store


def _accessor_role(func: Node) -> str | None:
    """"setter" or "deleter" for an `@x.setter` / `@x.deleter` def, else None."""
    for dec in _decorators(func):
        last = _last(_decorator_callee(dec)[0])
        if last in ("setter", "deleter"):
            return last
    return None


def _finding(f: _File, evidence: str, scope: _Scope, node: Node, message: str | None, **extra: object) -> RawFinding:
    since, removed_in = versions_from_text(message or "")
    finding = RawFinding(
        evidence_kind=evidence,
        kind=scope.kind,
        target=scope.target,
        module=f.module,
        path=f.path,
        line=_line(node),
        message=message,
        replacement=replacement_from_text(message) if message else None,
        since=since,
        removed_in=removed_in,
        text=_snippet(node),
    )
    for key, value in extra.items():
        if value is not None:
            setattr(finding, key, value)
    role = _accessor_role(scope.func) if scope.kind == "attribute" and scope.func is not None else None
    if role is not None:
        # writing the attribute is deprecated, reading it is not (numpy 2.4 `arr.strides = ...`),
        # and `x.attr = v` is no call a renamed getter takes
        finding.kind, finding.drop_in = (SETTER if role == "setter" else _DELETER), False
    elif finding.replacement and not finding.drop_in:
        finding.drop_in = says_drop_in(message) or (scope.func is not None and (
            (scope.kind in ("function", "method") and _forwards_to(scope.func, finding.replacement))
            or (scope.kind == "attribute" and _reads_through(scope.func, finding.replacement))))
    if finding.parameter:
        _set_usage(finding, message, evidence)
    return finding


def _set_usage(finding: RawFinding, message: str | None, evidence: str) -> None:
    """Which uses of the parameter the evidence deprecates; a rename or a kwarg decorator: any use."""
    if evidence == DECORATOR:
        finding.usage, finding.values = [USE_ANY], []
        return
    finding.usage, finding.values = usage_from_text(message, finding.parameter or "")
    if finding.new_parameter and USE_ANY not in finding.usage:
        finding.usage = [USE_ANY]


def _position(func: Node | None, name: str) -> int | None:
    """0-based position of parameter `name` in a call (self/cls not counted); -1 keyword-only.
    Under scipy's ``@_deprecate_positional_args`` the keyword-only ones still bind by position."""
    slots = _call_slots(func)
    by_position = _binds_keyword_only_by_position(func)
    for index, (pname, keyword_only) in enumerate(slots):
        if pname == name:
            return -1 if keyword_only and not by_position else index
    return None


def _call_slots(func: Node | None) -> list[tuple[str | None, bool]]:
    """A def's parameters in order as a call fills them, self/cls left out: (name, keyword-only)."""
    params = func.child_by_field_name("parameters") if func is not None else None
    slots: list[tuple[str | None, bool]] = []
    keyword_only = False
    for p in params.named_children if params is not None else ():
        if p.type in ("keyword_separator", "list_splat_pattern") or (
                p.type == "typed_parameter" and any(c.type == "list_splat_pattern" for c in p.named_children)):
            keyword_only = True
            continue
        if p.type == "positional_separator" or p.type == "dictionary_splat_pattern" or p.type == "comment":
            continue
        ident = p if p.type == "identifier" else (p.child_by_field_name("name") or next(
            (c for c in p.named_children if c.type == "identifier"), None))
        pname = _text(ident) if ident is not None else None
        if pname in ("self", "cls") and not slots and not keyword_only:
            continue
        slots.append((pname, keyword_only))
    return slots


def _binds_keyword_only_by_position(func: Node | None) -> bool:
    decorated = func.parent if func is not None else None
    return decorated is not None and decorated.type == "decorated_definition" \
        and _POSITIONAL_ARGS_DECORATOR in decorator_names(decorated)


def _only_warns_then_returns(func: Node) -> Node | None:
    """What a body of a docstring and `warnings.warn(...)` calls only returns; None for any other body."""
    body = func.child_by_field_name("body")
    stmts = [s for s in (body.named_children if body is not None else ()) if s.type != "comment"]
    if not stmts or stmts[-1].type != "return_statement" or stmts[-1].named_child_count != 1:
        return None
    for stmt in stmts[:-1]:
        inner = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
        if inner is None or inner.type not in ("string", "call") or (
                inner.type == "call" and "warn" not in _text(inner.child_by_field_name("function"))):
            return None
    return stmts[-1].named_children[0]


def _reads_through(func: Node, replacement: str) -> bool:
    """pandas ``@property def dayofweek(self): warn(...); return self.day_of_week``: the property
    is the replacement's value under the old name, so a read can be renamed as it is."""
    value = _only_warns_then_returns(func)
    if value is None or value.type != "attribute":
        return False
    obj = value.child_by_field_name("object")
    return obj is not None and _text(obj) == "self" and \
        _text(value.child_by_field_name("attribute")) == replacement.rsplit(".", 1)[-1]


def _forwards_to(func: Node, replacement: str) -> bool:
    """numpy ``def row_stack(tup, *, dtype=None, casting="same_kind"): warn(...); return vstack(tup,
    dtype=dtype, casting=casting)``: a wrapper passing its own parameters straight on to the
    replacement, so a call can be rewritten to the replacement as it is."""
    call = _only_warns_then_returns(func)
    if call is None or call.type != "call" or _last(_text(call.child_by_field_name("function"))) != replacement.rsplit(".", 1)[-1]:
        return False
    callee = call.child_by_field_name("function")
    obj = callee.child_by_field_name("object") if callee is not None and callee.type == "attribute" else None
    if obj is not None and (not re.fullmatch(r"[A-Za-z_][\w.]*", _text(obj))
                            or _text(obj).startswith(("self.", "cls."))):
        # SQLAlchemy ``Subquery.as_scalar``: `return self.element.set_label_style(...).scalar_subquery()` calls
        # the replacement on another object than the one `as_scalar` is called on (not `self`, nor a
        # module like numpy's `_nx.vstack`): no drop-in.
        return False
    return _passes_own_parameters(func, call)


def _passes_own_parameters(func: Node, call: Node) -> bool:
    """Whether `call` is given exactly the def's own parameters, each as it came."""
    params, _ = _parameters(func)
    declared = func.child_by_field_name("parameters")
    splat = {"list_splat_pattern": "*", "dictionary_splat_pattern": "**", "list_splat": "*", "dictionary_splat": "**"}
    for p in declared.named_children if declared is not None else ():
        if p.type == "typed_parameter" and p.named_child_count:
            p = p.named_children[0]         # `*args: _P.args` (torch 2.13 nn.init's wrapper)
        if p.type in ("list_splat_pattern", "dictionary_splat_pattern") and p.named_child_count:
            params.append(splat[p.type] + _text(p.named_children[0]))     # *args, **kwargs
    # A splat passes on only what was gathered by the same splat: `resolve(self, types)` returning
    # `self.dispatch(*types)` hands on the tuple's items, so `resolve((int,))` is no `dispatch((int,))`.
    passed: list[str] = []
    args = call.child_by_field_name("arguments")
    for arg in args.named_children if args is not None else ():
        if arg.type == "identifier":
            passed.append(_text(arg))
        elif arg.type == "keyword_argument" and _text(arg.child_by_field_name("name")) == _text(
                arg.child_by_field_name("value")):
            passed.append(_text(arg.child_by_field_name("name")))
        elif arg.type in ("list_splat", "dictionary_splat") and arg.named_child_count:
            passed.append(splat[arg.type] + _text(arg.named_children[0]))
        else:
            return False
    return sorted(passed) == sorted(params)


# --- warnings.warn ---------------------------------------------------------------------------


def _find_warnings(f: _File) -> None:
    for m in _WARN_RE.finditer(f.source):
        node = _node_at(f, m.start(), m.start() + 4)
        call = node.parent if node is not None else None
        if call is not None and call.type == "attribute":
            call = call.parent
        if call is None or call.type != "call" or not _is_warnings_warn(f, call):
            continue
        _note_warning_helper(f, call)
        _handle_warn(f, call)
    for call in warning_helper_calls(f.root, f.source):
        if _last(_text(call.child_by_field_name("function"))) != "warn" or not _is_warnings_warn(f, call):
            helper = helper_warning(call, lambda node: _message(f, node), f.module)
            if helper is not None:
                _handle_warn(f, call, helper)   # scan/library_helpers.py


# --- module-level aliases a factory makes deprecated ------------------------------------------


@dataclass
class _Factory:
    """A module-level def that wraps the function it is given in a def of its own that warns."""

    param: str                # the def's one parameter: the function wrapped
    body: Node                # the def's body, whose assignments the warning's text may use
    warn: Node                # the wrapper's warning, a statement of its body (so given on every call)
    forwards: bool            # the wrapper returns `param(...)` given its own parameters as they came


def _deprecating_factory(f: _File, func: Node | None) -> _Factory | None:
    """torch 2.13 ``nn.init``: ``def _make_deprecate(meth): ... def deprecated_init(*args, **kwargs):
    warnings.warn(f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.",
    FutureWarning); return meth(*args, **kwargs) ... return deprecated_init``, then ``uniform =
    _make_deprecate(uniform_)``: each name bound to what the factory returns is deprecated, the
    function it was given is its replacement. The wrapper may be decorated with ``functools.wraps``
    only; it must return a call of the function given, after its warning."""
    if func is None or func.type != "function_definition" or _scope_of(func).kind != "module" \
            or len(_call_slots(func)) != 1 or not _parameters(func)[0]:
        return None
    body = func.child_by_field_name("body")
    stmts = [s for s in (body.named_children if body is not None else ()) if s.type != "comment"]
    last = stmts[-1] if stmts else None
    if last is None or last.type != "return_statement" or last.named_child_count != 1 \
            or last.named_children[0].type != "identifier":
        return None
    wrapper = None
    for stmt in stmts:
        defn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if defn is not None and defn.type == "function_definition" and _def_name(defn) == _text(last.named_children[0]):
            if stmt.type == "decorated_definition" and any(_last(_decorator_callee(d)[0]) != "wraps"
                                                          for d in _decorators(defn)):
                return None
            wrapper = defn
    param = _parameters(func)[0][0]
    inner = [s for s in (wrapper.child_by_field_name("body").named_children if wrapper is not None else ())
             if s.type != "comment"]
    returned = inner[-1].named_children[0] if inner and inner[-1].type == "return_statement" \
        and inner[-1].named_child_count == 1 else None
    if returned is None or returned.type != "call" or _text(returned.child_by_field_name("function")) != param:
        return None
    for stmt in inner[:-1]:
        call = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
        if call is not None and call.type == "call" and _is_warnings_warn(f, call):
            return _Factory(param, body, call, _passes_own_parameters(wrapper, returned))
    return None


def _module_def(f: _File, name: str) -> Node | None:
    """The module-level def `name`, when the module binds that name once."""
    if f.info.defs.get(name) != "function" or len(f.bound_at.get(name, ())) != 1 or name in f.info.imports:
        return None
    for stmt in _module_statements(f.root):
        defn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if defn is not None and defn.type == "function_definition" and _def_name(defn) == name:
            return defn
    return None


def _find_factory_aliases(f: _File) -> None:
    """``name = factory(func)`` at module level, `factory` a `_deprecating_factory` of the module:
    a deprecated function `name`, whose warning's text is spelled with what the factory's own
    assignments make of `func` (``new_name = meth.__name__``, ``old_name = new_name[:-1]``)."""
    factories: dict[str, _Factory | None] = {}
    for stmt in _module_statements(f.root):
        assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count == 1 else None
        if assign is None or assign.type != "assignment":
            continue
        left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
        callee = right.child_by_field_name("function") if right is not None and right.type == "call" else None
        if left is None or left.type != "identifier" or callee is None or callee.type != "identifier":
            continue
        if _text(callee) not in factories:
            factories[_text(callee)] = _deprecating_factory(f, _module_def(f, _text(callee)))
        factory = factories[_text(callee)]
        args, keywords = _call_args(right)
        if factory is None or len(args) != 1 or keywords or args[0].type not in ("identifier", "attribute"):
            continue
        f.findings.append(_factory_alias_finding(f, factory, stmt, _text(left), args[0]))


def _factory_alias_finding(f: _File, factory: _Factory, stmt: Node, name: str, wrapped: Node) -> RawFinding:
    subst: dict[str, str] = {}
    own = _own_name(f, wrapped)
    if own is not None:
        subst.update({f"{factory.param}.__name__": own, f"{factory.param}.__qualname__": own})
    for node in factory.body.named_children:
        assign = node.named_children[0] if node.type == "expression_statement" and node.named_child_count == 1 else None
        left = assign.child_by_field_name("left") if assign is not None and assign.type == "assignment" else None
        if left is not None and left.type == "identifier":
            value = _message(f, assign.child_by_field_name("right"), subst)
            if value is not None and HOLE not in value:
                subst[_text(left)] = value
            else:
                subst.pop(_text(left), None)
    msg_node, category = _warn_parts(f, factory.warn)
    finding = _finding(f, WARNING, _Scope("function", name), stmt, _message(f, msg_node, subst), category=category)
    finding.replacement, finding.drop_in = _text(wrapped), factory.forwards
    _fill_versions_from_comments(finding, factory.warn)
    return finding


# --- warnings a helper gives for the caller it is told the name of (scan/helper_warnings.py) ---

def _note_warning_helper(f: _File, call: Node) -> None:
    """A module-level function's deprecation warning whose text spells in one of its parameters:
    pandas' ``maybe_convert_inferred_freq(freq_str, caller)`` warns "... from {caller}"."""
    func = _ancestor(call, ("function_definition",))
    if func is None or _scope_of(func).kind != "module":
        return
    params, _ = _parameters(func)
    msg_node, category = _warn_parts(f, call)
    template = _message(f, msg_node, {p: f"{{{p}}}" for p in params})
    if not template or not any(f"{{{p}}}" in template for p in params):
        return
    if category is None and "deprecat" not in template.lower():
        return
    block = _ancestor(call, ("block",))
    f.info.warning_helpers.setdefault(_def_name(func), []).append(
        {"params": params, "message": template, "category": category,
         # warns whatever it is given: the warning is a statement of the helper's own body
         "unconditional": block is not None and block == func.child_by_field_name("body")})


def _find_helper_calls(f: _File) -> None:
    """Calls that hand a helper the calling def's own name, made whatever the def is given: the
    value of a statement of its body (`return helper(x, "infer_freq")`, `helper(...)`, `y = helper(...)`)."""
    for defn in _module_and_class_defs(f.root):
        scope = _scope_of_definition(defn)
        if scope.kind == "class" or (scope.kind == "attribute" and _accessor_role(defn) is not None):
            continue
        body = defn.child_by_field_name("body")
        for stmt in body.named_children if body is not None else ():
            call = _statement_value(stmt)
            if call is not None:
                _note_helper_call(f, scope, _def_name(defn), call)


def _module_and_class_defs(node: Node) -> Iterator[Node]:
    """Function definitions at module level and in classes (at any depth), not those inside functions."""
    for stmt in _module_statements(node):
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
        if stmt.type == "function_definition":
            yield stmt
        elif stmt.type == "class_definition" and stmt.child_by_field_name("body") is not None:
            yield from _module_and_class_defs(stmt.child_by_field_name("body"))


def _statement_value(stmt: Node) -> Node | None:
    value = stmt.named_children[0] if stmt.type in ("return_statement", "expression_statement") \
        and stmt.named_child_count else None
    if value is not None and value.type == "assignment":
        value = value.child_by_field_name("right")
    return value if value is not None and value.type == "call" else None


def _note_helper_call(f: _File, scope: _Scope, name: str, call: Node) -> None:
    positional, keywords = _call_args(call)
    args = [_string_value(a) for a in positional]
    kwargs = {k: _string_value(v) for k, v in keywords.items()}
    if not any(names_caller(v, name) for v in (*args, *kwargs.values())):
        return
    callee = _callee_path(f, call.child_by_field_name("function"))
    if callee is not None:
        f.info.helper_calls.append({"caller": scope.target, "kind": scope.kind, "callee": callee, "args": args,
                                    "kwargs": kwargs, "line": _line(call), "text": _snippet(call)})


def _callee_path(f: _File, func: Node | None) -> str | None:
    """Absolute dotted name of a called function: an imported one, one of an imported module
    (`frequencies.maybe_convert_inferred_freq`), or this module's own."""
    if func is None or func.type not in ("identifier", "attribute"):
        return None
    dotted = _text(func)
    if func.type == "identifier" and dotted not in f.info.imports:
        return f"{f.module}.{dotted}" if f.info.defs.get(dotted) == "function" else None
    return _absolute_name(f, dotted)


def _is_warnings_warn(f: _File, call: Node) -> bool:
    func = call.child_by_field_name("function")
    if func is None:
        return False
    if func.type == "identifier":
        # `from warnings import warn` (module level or local); a library's own `warn` is not it.
        source = f.info.imports.get("warn")
        if source is not None:
            return source[0] == "warnings"
        return "warn" not in f.info.defs
    if func.type == "attribute":
        obj = _text(func.child_by_field_name("object"))
        imported = f.info.imports.get(obj)
        return obj in ("warnings", "_warnings") or (imported is not None and imported[0] == "warnings")
    return False


def _warn_parts(f: _File, call: Node) -> tuple[Node | None, str | None]:
    """(message node, category as written) of a warn call."""
    positional, keywords = _call_args(call)
    msg = keywords.get("message", positional[0] if positional else None)
    category = keywords.get("category", positional[1] if len(positional) > 1 else None)
    if category is None and msg is not None and msg.type == "call":
        # warnings.warn(FutureWarning("...")): the category is the instance's class.
        func = msg.child_by_field_name("function")
        if func is not None and func.type in ("identifier", "attribute") and _text(func).endswith("Warning"):
            inner, _ = _call_args(msg)
            return (inner[0] if inner else None), _text(func)
    return msg, (_text(category) if category is not None else None)


def _handle_warn(f: _File, call: Node, helper: HelperWarning | None = None) -> None:
    """A `warnings.warn` call, or a library helper's call read as one (`helper`)."""
    if helper is None:
        msg_node, category = _warn_parts(f, call)
        message = _message(f, msg_node)
    else:
        message, category = helper.message, helper.category
    if category is None and "deprecat" not in (message or "").lower():
        return
    scope = _scope_of(call)
    table = table_guard(call, scope.func, _parameters(scope.func)[0]) if scope.func is not None else None
    if _inside_deprecation_helper(call) and table is None:
        # (pandas 3.1's `_warn_about_deprecated_aliases(name, is_period)` warns of its own parameter's
        # values; to_offset passes it a piece of `freq`: scan/forwarding.py)
        return
    if scope.kind == "function" and helper is None and _ancestor(call, ("function_definition",)) != scope.func:
        factory = _deprecating_factory(f, scope.func)
        if factory is not None and factory.warn == call:
            return      # the warning of the functions the factory makes (_find_factory_aliases), not its own
    if scope.is_module_getattr:
        before = len(f.findings)
        _handle_getattr_warn(f, scope.func, call, message, category)  # type: ignore[arg-type]
        for finding in f.findings[before:] if helper is not None else ():
            finding.since = helper.since or finding.since   # SQLAlchemy `warn_deprecated(msg, "2.0")`
        return
    extra: dict[str, object] = {"category": category}
    if _RUNTIME_PARAMETER.match(message or ""):
        return        # "The {} keyword in {}.convert_dtypes is deprecated": a loop over parameters
    if scope.kind == "class" and scope.func is not None and _NOT_INSTANTIATED.search(message or ""):
        return        # the class is meant to be used without instances: making one is the misuse
    param = _parameter_of(scope, call, message) or _parameter_in_subject(scope, message)
    guard = value_guard(call, scope.func, _parameters(scope.func)[0]) if scope.func is not None else None
    if param is None and guard is not None and not guard.on_self and quotes_a_value(message, guard):
        param = (guard.parameter, None, scope.target)   # "'epoch' date format is deprecated"
    if guard is not None or (table is not None and param is not None and param[0] != table.parameter):
        table = None
    if table is not None:
        param = (table.parameter, None, scope.target)   # `if name.upper() in c_OFFSET_DEPR_FREQSTR:`
    tested = default_guard(call, scope.func, _defaults(scope)) if scope.func is not None else None
    if param is None and tested is not None and not tested.passed:
        param = (tested.parameter, None, scope.target)  # `if method is None: warn(...)`: leaving it out
    scope_before = scope
    if param is not None:
        name, new_name, target = param
        position = _parameter_position(scope, name, new_name)
        if position is None and _popped_keyword(scope, call, name) is not None:
            position = -1           # passed through **kwargs: only by keyword
        extra.update(parameter=name, new_parameter=new_name, position=position)
        scope = _Scope("parameter", target)
    elif _conditional_use(f, scope, call, message) or _conditional_module_warning(f, scope, call, message):
        return
    finding = _finding(f, WARNING, scope, call, message, **extra)
    if param is not None and param[1] is not None and _own_member(scope_before, finding.replacement) == param[1]:
        finding.replacement = None      # the new keyword, not an API to call instead
    elif param is not None and _own_member(scope_before, finding.replacement) in (
            _parameters(scope_before.func)[0] + _init_parameters(scope_before.cls)):
        # pydantic `allow_mutation`: "use `frozen` instead", torch `PlaceholderObserver(compute_dtype=)`:
        # "use `is_dynamic` instead" offer another keyword (no rename: its values differ), no API
        finding.replacement = None
    if table is not None:
        _from_table(finding, table)
    elif tested is not None and finding.parameter == tested.parameter:
        _widen_to_tested_default(finding, tested)
    elif guard is not None and finding.parameter == guard.parameter and finding.new_parameter is None:
        _narrow_to_guarded_values(finding, guard)
    elif finding.parameter and finding.new_parameter is None and scope_before.func is not None \
            and _truth_tested(scope_before, call, finding.parameter):
        _narrow_to_truthy(finding, _defaults(scope_before))
    elif finding.parameter and _any_use_warns(scope_before, call, finding.parameter, helper):
        finding.usage, finding.values = [USE_ANY], []
    if finding.parameter and USE_DEFAULT in finding.usage and scope_before.func is not None:
        finding.conditional = tests_the_data(call, scope_before.func, finding.parameter)
    if helper is not None:
        finding.since = helper.since or finding.since
        finding.removed_in = helper.removed_in or finding.removed_in
        if helper.subject is not None and helper.subject == finding.parameter:
            finding.replacement = None      # "Use orientation: {'vertical', 'horizontal'}": a keyword, no API
    _fill_versions_from_comments(finding, call)
    f.findings.append(finding)
    if finding.parameter is None and scope.kind == "method":
        f.findings.extend(_siblings_named(f, scope, call, finding))


def _from_table(finding: RawFinding, table: TableGuard) -> None:
    """The values are the table's keys, its values their equivalents (filled in by the runner,
    which sees every module's tables); the message's interpolated advice names no API."""
    finding.usage, finding.values, finding.replacement = [USE_VALUE], [], None
    finding.value_table, finding.value_form, finding.unless = table.table, table.form, list(table.unless)


def _siblings_named(f: _File, scope: _Scope, call: Node, finding: RawFinding) -> list[RawFinding]:
    """The other members of the class a method's unconditional warning names as deprecated with it,
    when they call that method first thing, whatever they are given: FSDP's `state_dict_type()` is a
    context manager calling `set_state_dict_type(...)`, whose warning says both are being deprecated."""
    if scope.func is None or scope.cls is None or _ancestor(call, ("block",)) != scope.func.child_by_field_name("body"):
        return []
    own = _def_name(scope.func)
    named = {_last(name) for name in deprecated_subjects(finding.message)} - {own}
    found = []
    body = scope.cls.child_by_field_name("body")
    for stmt in body.named_children if body is not None else ():
        member = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if member is None or member.type != "function_definition" or _def_name(member) not in named:
            continue
        if any(_calls_member(s, own) for s in member.child_by_field_name("body").named_children):
            sibling = _finding(f, WARNING, _Scope("method", f"{scope.target.rpartition('.')[0]}.{_def_name(member)}",
                                                  member, scope.cls), call, finding.message)
            sibling.since, sibling.removed_in = finding.since, finding.removed_in
            found.append(sibling)
    return found


def _calls_member(stmt: Node, name: str) -> bool:
    """A statement of a body whose value calls `<...>.name(...)` (`x = Cls.name(...)`, `Cls.name(...)`)."""
    value = _statement_value(stmt)
    if value is None or value.type != "call":
        return False
    callee = value.child_by_field_name("function")
    return callee is not None and callee.type == "attribute" and _last(_text(callee)) == name


def _any_use_warns(scope: _Scope, call: Node, parameter: str, helper: HelperWarning | None) -> bool:
    """Passing the parameter at all warns, whatever the words: matplotlib's helper was told that
    parameter's name and warns when it was given (not under ``if not isinstance(col, int):``), or
    the warning runs when a keyword popped from **kwargs was given (``shade = kwargs.pop("shade",
    None)``; ``if shade is not None:``)."""
    if helper is not None and helper.subject == parameter and scope.func is not None:
        return runs_when_given(call, scope.func, parameter)
    popped = _popped_keyword(scope, call, parameter)
    return popped is not None and keyword_given(call, scope.func, *popped)  # type: ignore[arg-type]


def _popped_keyword(scope: _Scope, call: Node, parameter: str) -> tuple[str, PoppedKeyword] | None:
    """(local name, pop) when `parameter` is no parameter of the def but a keyword it pops from
    its **kwargs before `call`."""
    if scope.func is None or parameter in _parameters(scope.func)[0]:
        return None
    popped = popped_keywords(scope.func, call, kwargs_parameter(scope.func))
    return next(((var, p) for var, p in popped.items() if p.keyword == parameter), None)


def _defaults(scope: _Scope) -> dict[str, str]:
    """Parameter -> its default as written, of the def and (as `self.name`) of its class's constructor."""
    found = {name: value for name, value in _default_texts(scope.func)}
    found.update((f"self.{name}", value) for name, value in _default_texts(_init_def(scope.cls)))
    return found


def _default_texts(func: Node | None) -> list[tuple[str, str]]:
    params = func.child_by_field_name("parameters") if func is not None else None
    return [(_text(p.child_by_field_name("name")), _text(p.child_by_field_name("value")))
            for p in (params.named_children if params is not None else ())
            if p.type in ("default_parameter", "typed_default_parameter")]


def _widen_to_tested_default(finding: RawFinding, tested: DefaultGuard) -> None:
    """Under `if precenter is not _NoValue:` any use warns, whatever values the text quotes; under
    `if method is None:` leaving it out does, and so does passing that default (a literal) explicitly."""
    if tested.passed and finding.usage in ([USE_VALUE], [USE_OTHER]):
        finding.usage, finding.values = [USE_ANY], []
    elif not tested.passed and finding.usage in ([USE_VALUE], [USE_OTHER], [USE_ANY]):
        default = canonical_literal(tested.default)
        finding.usage, finding.values = ([USE_DEFAULT, USE_VALUE], [default]) if default else ([USE_DEFAULT], [])


def _truth_tested(scope: _Scope, call: Node, parameter: str) -> bool:
    tested = truthiness_guard(call, scope.func, _parameters(scope.func)[0])  # type: ignore[arg-type]
    return tested is not None and tested[0] == parameter


def _narrow_to_truthy(finding: RawFinding, defaults: dict[str, str]) -> None:
    """Under `if _compile:` a false value does not warn, whatever the words say of the parameter:
    passing anything else does, and so does leaving out a true default (`use_cuda=True`)."""
    if finding.usage not in ([USE_OTHER], [USE_ANY]):
        return
    default = next((canonical_literal(defaults[k]) for k in (finding.parameter, f"self.{finding.parameter}")
                    if k in defaults), None)
    truthy_default = default is not None and default not in FALSE_LITERALS
    finding.usage, finding.values = ([USE_TRUTHY, USE_DEFAULT] if truthy_default else [USE_TRUTHY]), []


def _narrow_to_guarded_values(finding: RawFinding, guard: ValueGuard) -> None:
    """Under `if mode in ('e', 'economic'):` only those values warn, whatever the words say of
    the parameter; a default change ("The default value of 'equiv' ...") stays one."""
    if finding.usage in ([USE_VALUE], [USE_OTHER], [USE_ANY]):
        kept = finding.values if finding.usage == [USE_VALUE] else []
        finding.usage, finding.values = [USE_VALUE], sorted(set(kept) | set(guard.values))


_USE_SUBJECT = re.compile(r"\W*(?:the\s+behaviou?r|passing|support\s+for|the\s+default|calling|using|setting"
                          r"|specifying|allowing|a\s+future\s+version|in\s+a\s+future\s+version"
                          # what the call was given: "Received a 2-D input to dropout2d, which is deprecated"
                          r"|received|got)\b", re.I)
# A tag before the sentence ("dropout2d: Received a ..."): the subject is what follows it.
_TAG_PREFIX = re.compile(r"^\W*[\w.]+:\s+(?=[A-Z])")
_THIS_API = re.compile(r"\bthis\s+(?:function|method|class|module|property|attribute|alias|object)\b", re.I)
# An action opens the sentence, so a way of using the API is deprecated, not the API: "Constructing
# PeriodIndex from fields", "Returning a tuple from a callable", "Downcasting behavior in `replace`"
# (pandas 2.2). A noun in -ing ("String ...", "Padding is deprecated") is not an action.
_GERUND_SUBJECT = re.compile(
    r"\W*(?!(?:string|thing|something|nothing|everything|anything|warning|padding|spring|ring|king|ceiling)\b)"
    r"[a-z]{3,}ing\s+(?!(?:is|are|was|were|has|have|will|and|or)\b)[\w`'\"{(]", re.I)
# The API named with a qualification: "{}.interpolate with object dtype", "pd.api.extensions.take
# accepting non-standard inputs" (pandas 2.1/2.2).
_QUALIFIED_SUBJECT = re.compile(r"\W*[\w.{}()`'\"]+\s+(?:with|on|for|when|given|accepting|receiving|returning"
                                r"|treating)\s", re.I)


# torch ``autograd.Function.__init__``: "{} should not be instantiated. Methods on autograd functions
# are all static, so you should invoke them on the class itself." Subclassing the class and calling
# `MyFn.apply` is how it is used, so the class is not deprecated.
_NOT_INSTANTIATED = re.compile(r"\bshould\s+(?:not|never)\s+be\s+instantiated\b", re.I)
# The parameter's name is filled in at run time: the loop's other rows say which ones.
_RUNTIME_PARAMETER = re.compile(r"\W*(?:the\s+)?[`'\"]*\{\}[`'\"]*\s+(?:keyword|parameter|argument|kwarg|option)s?\b",
                                re.I)
# "`method='{}'` is deprecated": the message opens on an assignment to a parameter.
_ASSIGNMENT_SUBJECT = re.compile(r"\W*(?:the\s+|passing\s+)?[`'\"]*(?P<name>[A-Za-z_]\w*)\s*=(?!=)", re.I)


# "ignore(drop_on_export=True) has been deprecated", "ignore(True) has been deprecated" (torch
# 2.13 ``jit.ignore``): the subject is a call written out with the arguments that are deprecated.
_CALL_SUBJECT = re.compile(r"\W*(?:the\s+|calling\s+)?[`'\"]*(?P<callee>[A-Za-z_][\w.]*)\((?P<args>[^()]*)\)"
                           r"[`'\"]*\s+(?:is|are|was|were|has|have)\b", re.I)
# An argument that is a value or a keyword, not a placeholder ("autocast(args...)", "f(*args)").
_GIVEN_ARGUMENT = re.compile(r"^\s*(?:[A-Za-z_]\w*\s*=(?!=)|True\b|False\b|None\b|-?\d|['\"])")


def _given_arguments(message: str | None) -> tuple[str, list[str]] | None:
    """(callee, arguments) when the message's subject is a call written with given arguments."""
    m = _CALL_SUBJECT.match(message or "")
    if m is None:
        return None
    args = [a.strip() for a in m.group("args").split(",") if a.strip()]
    return (m.group("callee"), args) if args and all(_GIVEN_ARGUMENT.match(a) for a in args) else None


def _called_parameter(scope: _Scope, message: str | None) -> str | None:
    """The parameter a call of the API itself gives in the message's subject: the keyword it
    names (a parameter, or one its **kwargs take), else its one positional value's parameter."""
    given = _given_arguments(message)
    if given is None or scope.func is None or _last(given[0]) != _last(scope.target):
        return None
    params, has_kwargs = _parameters(scope.func)
    for arg in given[1]:
        kw = re.match(r"([A-Za-z_]\w*)\s*=(?!=)", arg)
        if kw:
            return kw.group(1) if kw.group(1) in params or has_kwargs else None
    return params[0] if len(given[1]) == 1 and params else None


def _parameter_in_subject(scope: _Scope, message: str | None) -> tuple[str, str | None, str] | None:
    """(parameter, None, target) when the message's subject is a value given to a parameter."""
    called = _called_parameter(scope, message)
    if called is not None:
        return called, None, scope.target
    m = _ASSIGNMENT_SUBJECT.match(message or "")
    if m is None or scope.func is None or m.group("name") not in _parameters(scope.func)[0]:
        return None
    return m.group("name"), None, scope.target


def _conditional_use(f: _File, scope: _Scope, call: Node, message: str | None) -> bool:
    """A warn under an ``if`` that tests no parameter it names deprecates a use, not the API.

    pandas ``DataFrame.__init__``: ``if isinstance(data, BlockManager): warn("Passing a BlockManager
    to DataFrame is deprecated")`` must not make ``pandas.DataFrame`` deprecated. The warning
    still counts when its message names the function (or class, for ``__init__``) itself.
    """
    if scope.func is None or not _guarded(call, scope.func):
        return False
    text = message or ""
    if _uses_itself(scope, text):
        return False     # xarray `Dataset.drop`, on each of its ways: "dropping labels using `drop` is deprecated"
    subject = _TAG_PREFIX.sub("", text)
    if _USE_SUBJECT.match(subject):
        return True      # "Passing a BlockManager to DataFrame is deprecated"
    if _USE_SUBJECT.match(text) or _GERUND_SUBJECT.match(text) or _QUALIFIED_SUBJECT.match(text):
        return True      # "The behavior of is_bool_dtype with an object-dtype Index ... is deprecated"
    sentence = _deprecating_sentence(text)
    if sentence and sentence != text and (_USE_SUBJECT.match(sentence) or _GERUND_SUBJECT.match(sentence)):
        return True      # matplotlib `clabel`: "... Applying clabel() to filled contours is thus deprecated"
    if _given_arguments(text) is not None:
        return True      # "ignore(True) has been deprecated": that call, not every call
    if _deprecating_sentence(text) and _warns_on_every_branch(f, scope.func, call):
        return False     # torch 2.13 `jit.trace_module`: "`torch.jit.trace_method` is deprecated" on every call
    return not (_THIS_API.search(text) or _names_itself(scope, text))


def _warns_on_every_branch(f: _File, func: Node, call: Node) -> bool:
    """Whether `call` is a statement of a branch of an if/elif/else of the def's own body, each
    of whose branches, `else:` included, warns with a deprecation class first or later: then the
    def warns whatever it is given, as with an unconditional warning (torch 2.13 `jit.trace_module`:
    `if sys.version_info >= (3, 14): warnings.warn("... is not supported in Python 3.14+ ...",
    DeprecationWarning) else: warnings.warn("... is deprecated ...", DeprecationWarning)`)."""
    stmt = call.parent
    block = stmt.parent if stmt is not None and stmt.type == "expression_statement" else None
    holder = block.parent if block is not None and block.type == "block" else None
    statement = holder.parent if holder is not None and holder.type in ("elif_clause", "else_clause") else holder
    if statement is None or statement.parent != func.child_by_field_name("body"):
        return False
    branches = branches_with_else(statement)
    return branches is not None and all(any(_deprecation_warn_statement(f, s) for s in branch.named_children)
                                        for branch in branches)


def _deprecation_warn_statement(f: _File, stmt: Node) -> bool:
    call = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
    if call is None or call.type != "call" or not _is_warnings_warn(f, call):
        return False
    category = _warn_parts(f, call)[1]
    return category is not None and DEPRECATION_CATEGORY.match(category) is not None


def _uses_itself(scope: _Scope, text: str) -> bool:
    """The text says using the API itself is deprecated ("using `drop` is deprecated")."""
    own = _last(scope.target)
    return bool(own) and re.search(rf"\busing\s+[`'\"]{re.escape(own)}(?:\(\))?[`'\"]\s+is\s+(?:now\s+)?deprecated",
                                   text) is not None


def _deprecating_sentence(text: str) -> str | None:
    """The first sentence of the text that says deprecated (or removed), where its subject is."""
    for sentence in re.split(r"(?<=[.;!?])\s+", text):
        if _DEPRECATION_WORD.search(sentence):
            return sentence
    return None


def _guarded(call: Node, func: Node) -> bool:
    """Under an if/elif/else of `func`, or in one of its except handlers (numpy 1.26 ``fromrecords``:
    the handler of a failed conversion warns about the input it was given)."""
    if next(_guarding_conditions(call, func, include_else=True), None) is not None:
        return True
    cur = call.parent
    while cur is not None and cur != func:
        if cur.type == "except_clause":
            return True
        cur = cur.parent
    return _after_early_return(call, func)


def _after_early_return(call: Node, func: Node) -> bool:
    """Whether an ``if <test of the input's kind>: return`` of the function comes before the warn:
    the inputs that take that way are served without it (pandas 3.1 ``from_dataframe`` returns a
    DataFrame as it is and converts through the Arrow interface, and warns only on the
    interchange-protocol path). A ``raise`` validates the input, and ``if path is None: return``
    normalises it: neither splits a use off."""
    body = func.child_by_field_name("body")
    stmt = call
    while stmt.parent is not None and stmt.parent != body:
        stmt = stmt.parent
    if stmt.parent != body:
        return False
    for sibling in body.named_children:
        if sibling == stmt:
            return False
        if sibling.type == "if_statement" and _ends_in_return(sibling.child_by_field_name("consequence")) \
                and _KIND_TEST.search(_text(sibling.child_by_field_name("condition"))):
            return True
    return False


_KIND_TEST = re.compile(r"\b(?:isinstance|hasattr|issubclass|callable)\s*\(")


def _ends_in_return(block: Node | None) -> bool:
    last = block.named_children[-1] if block is not None and block.named_children else None
    return last is not None and last.type == "return_statement"


def _conditional_module_warning(f: _File, scope: _Scope, call: Node, message: str | None) -> bool:
    """A warn at module level under an ``if`` is about its condition, not the module.

    pandas 2.2 ``__init__.py``: ``if "PANDAS_DATA_MANAGER" in os.environ: warn("... The data_manager
    option is deprecated ...")`` must not make ``import pandas`` deprecated. It still counts when
    the message says "this module" or names the module in a sentence about deprecation.
    """
    if scope.kind != "module" or next(_guarding_conditions(call, None, include_else=True), None) is None:
        return False
    text = message or ""
    return not (_THIS_API.search(text) or _names_itself(_Scope("module", f.module), text))


_DEPRECATION_WORD = re.compile(DEPRECATION_WORDS, re.I)


def _names_itself(scope: _Scope, text: str) -> bool:
    """Whether `text` names the API of `scope` in a sentence about deprecation or removal.

    "ExtensionArray.fillna added a 'copy' keyword" inside ``ExtensionBlock.fillna`` names another
    class's method; "... before passing them to `hankel`" names the function without deprecating it.
    """
    parts = scope.target.split(".")
    is_init = parts[-1] == "__init__" and len(parts) > 1
    own = parts[-2] if is_init else parts[-1]
    owner = parts[-2] if scope.cls is not None and not is_init and len(parts) > 1 else None
    for m in re.finditer(rf"(?<![\w])(?:(?P<qualifier>\w+)\.)?{re.escape(own)}(?!\w)", text):
        qualifier = m.group("qualifier")
        if qualifier and qualifier[:1].isupper() and qualifier != owner:
            continue
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        end = text.find(". ", m.end())
        if _DEPRECATION_WORD.search(text[start:end if end >= 0 else len(text)]):
            return True
    return False


def _inside_deprecation_helper(node: Node) -> bool:
    """A warn inside ``deprecated`` / ``_rename_parameter`` / ... machinery speaks for its callers."""
    cur = node.parent
    while cur is not None:
        if cur.type in ("function_definition", "class_definition"):
            name = _def_name(cur).lower()
            if "deprecat" in name or name in _HELPER_NAMES:
                return True
        cur = cur.parent
    return False


def _fill_versions_from_comments(finding: RawFinding, node: Node) -> None:
    if finding.since is None or finding.removed_in is None:
        since, removed = _comment_versions(node)
        finding.since = finding.since or since
        finding.removed_in = finding.removed_in or removed


def _parameter_of(scope: _Scope, call: Node, message: str | None) -> tuple[str, str | None, str] | None:
    """(parameter, new parameter, target) when the warn is guarded by a test of a parameter it names.

    Of several tested parameters the message names, the one it does not offer
    as the replacement and mentions first wins ("`dissimilarity` is deprecated.
    Use `metric` instead." under ``if metric ... dissimilarity``).
    """
    if scope.func is None or not message:
        return None
    params, has_kwargs = _parameters(scope.func)
    # scikit-learn validates constructor parameters in fit(): `if self.n_alphas != "deprecated"`.
    init_params = _init_parameters(scope.cls) if scope.cls is not None else []
    mentioned: dict[str, tuple[int, bool]] = {}
    # "WorkerSpec.fn will be deprecated": a field named through its own class is still named.
    own_class = re.escape(_def_name(scope.cls)) + r"\." if scope.cls is not None else "(?!)"
    # pydantic `Field`: `min_items = extra.pop('min_items', None)` / `if min_items is not None:`
    popped = {var: p.keyword for var, p in popped_keywords(scope.func, call, kwargs_parameter(scope.func)).items()
              if var not in params}
    for condition in _guarding_conditions(call, scope.func, include_else=True):
        for name, from_init in _condition_names(condition, [*params, *popped], init_params, has_kwargs):
            name = popped.get(name, name)
            m = re.search(rf"(?:(?<![\w.])|(?<=(?<![\w.]){own_class})){re.escape(name)}(?!\w)", message)
            if m and name not in mentioned:
                mentioned[name] = (m.start(), from_init)
    if not mentioned:
        return None
    new = _own_member(scope, replacement_from_text(message))
    name = min(mentioned, key=lambda n: (n == new, mentioned[n][0]))
    new_parameter = _new_keyword(scope, name, message)
    var = next((v for v, keyword in popped.items() if keyword == name), None)
    if new_parameter is not None and var is not None and not handed_on(scope.func, var, new_parameter):
        new_parameter = None    # pydantic `allow_mutation` -> `frozen`: `if allow_mutation is False: frozen = True`
    if new_parameter is not None and var is None and _assigned_otherwise(scope.func, name, new_parameter):
        new_parameter = None    # torch `use_cuda` -> `activities`: `if use_cuda: activities = [CPU, CUDA]`
    if new_parameter is not None and _adapts_in_branch(call, scope.func):
        new_parameter = None
    target = scope.target
    if mentioned[name][1] and scope.kind in ("method", "attribute"):
        target = target.rpartition(".")[0]  # a constructor parameter belongs to the class
    return name, new_parameter, target


def _assigned_otherwise(func: Node, old: str, new: str) -> bool:
    """Whether the def sets the new parameter (`new = ...`, `self.new = ...`) only from something else
    than the old one's value: torch's `if use_cuda: activities = [ProfilerActivity.CPU, ...]`,
    `if compute_dtype: is_dynamic = True`. `min_val = min_value` (Hardtanh) hands it on; a def that
    never sets the new one says nothing either way."""
    names, values = {new, f"self.{new}", f"self._{new}"}, {old, f"self.{old}", f"self._{old}"}
    # pandas `Series.map`: `func = kwargs.pop("arg")`, the old keyword's value taken from **kwargs
    taken = re.compile(rf"\w+(?:\.(?:pop|get)\(|\[)[\"']{re.escape(old)}[\"'](?:\)|\]|,.*\))", re.S)
    mentions = re.compile(rf"(?<![\w.]){re.escape(old)}(?!\w)").search
    otherwise = False
    for node in _own_nodes(func):
        if node.type == "assignment" and _text(node.child_by_field_name("left")) in names:
            value = _text(node.child_by_field_name("right"))
            if value in values or taken.fullmatch(value):
                return False
            # a constructor storing its own argument (`self.alphas = alphas`) says nothing of the old
            # one, nor does a value made from it (scikit-learn's `y_score = _deprecate_y_pred_parameter(
            # y_score, y_pred, "1.8")`, a helper handing on whichever was given)
            otherwise = otherwise or (value != new and not mentions(value))
    return otherwise


def _adapts_in_branch(call: Node, func: Node) -> bool:
    """Whether the branch that warns defines a function: an adapter of the old value to the new
    parameter's protocol (SQLAlchemy ``ShardedSession``: ``if id_chooser:`` warns "please use
    ``identity_chooser``" and wraps `id_chooser(query, ident)` in a `_legacy_identity_chooser(mapper,
    primary_key, ...)`), so the old keyword's value is no value of the new one."""
    block = _ancestor(call, ("block",))
    if block is None or not func.start_byte <= block.start_byte < func.end_byte or block == func.child_by_field_name(
            "body"):
        return False
    return any(stmt.type in ("function_definition", "decorated_definition") for stmt in block.named_children)


# pydantic `Field(include=)`: "`include` is deprecated and does nothing. It will be removed, use
# `exclude` instead": what the old keyword was given did nothing, so giving it to the new one is no rename.
_NO_EFFECT = re.compile(r"\b(?:does|do|did)\s+nothing\b|\b(?:has|have|had)\s+no\s+effect\b", re.I)
# torch `DistributedDataParallel(broadcast_buffers=)`: "Use `forward_sync_buffers` instead. IMPORTANT:
# unlike `broadcast_buffers=False`, `forward_sync_buffers=False` still syncs buffers": the message says
# the same value means something else under the new name.
_BEHAVES_OTHERWISE = re.compile(r"\bunlike\b|\bbehaves?\s+differently\b|\bnot\s+(?:the\s+same|equivalent)\b", re.I)


def _new_keyword(scope: _Scope, name: str, message: str | None) -> str | None:
    """The one other parameter of the def (or its constructor) the message offers instead of
    `name`, when `name=`'s values can be passed to it as they are: a rename."""
    new = _own_member(scope, replacement_from_text(message)) if message and not _NO_EFFECT.search(message) \
        and not _BEHAVES_OTHERWISE.search(message) else None
    candidates = set(_parameters(scope.func)[0]) | set(_init_parameters(scope.cls) if scope.cls is not None else [])
    return new if (new in candidates and new != name and offers_one_name(message)
                   and _values_carry_over(scope, name, new)) else None


def _own_member(scope: _Scope, name: str | None) -> str | None:
    """"WorkerSpec.entrypoint" inside ``WorkerSpec``: the member's bare name."""
    if name is None or scope.cls is None:
        return name
    return name.removeprefix(_def_name(scope.cls) + ".")


def _guarding_conditions(node: Node, stop: Node | None, *, include_else: bool = False) -> Iterator[Node]:
    """Conditions of the if/elif branches that contain ``node``, innermost first.

    With ``include_else`` the condition of an ``if`` whose ``else`` holds the node
    counts too (``if n_alphas == "deprecated": ... else: warn(...)``).
    """
    child, cur = node, node.parent
    while cur is not None and cur != stop:
        if cur.type in ("if_statement", "elif_clause"):
            condition = cur.child_by_field_name("condition")
            in_branch = child == cur.child_by_field_name("consequence") or (
                include_else and child.type == "else_clause"
            )
            if condition is not None and in_branch:
                yield condition
        child, cur = cur, cur.parent


def _condition_names(
    condition: Node, params: list[str], init_params: list[str], has_kwargs: bool
) -> list[tuple[str, bool]]:
    """Parameter names a condition tests, each with whether it is a constructor parameter."""
    names: list[tuple[str, bool]] = []
    stack = [condition]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and _text(node) in params:
            names.append((_text(node), False))
        elif node.type == "attribute" and _text(node.child_by_field_name("object")) == "self":
            attr = _text(node.child_by_field_name("attribute"))
            if attr in init_params:
                names.append((attr, True))
        elif node.type == "string" and has_kwargs and _is_key_test(node):
            value = _string_value(node)
            if value and value.isidentifier():
                names.append((value, False))
        else:
            stack.extend(reversed(node.named_children))
    return list(dict.fromkeys(names))


def _is_key_test(string: Node) -> bool:
    """`"old" in kwargs` / `kwargs.get("old")` / `kwargs["old"]` test a keyword; `x != "deprecated"` does not."""
    parent = string.parent
    if parent is None:
        return False
    if parent.type == "comparison_operator":
        ops = [c.type for c in parent.children if not c.is_named]
        return parent.named_children[0] == string and bool(ops) and ops[0] in ("in", "not in")
    if parent.type == "argument_list" and parent.parent is not None and parent.parent.type == "call":
        func = parent.parent.child_by_field_name("function")
        return func is not None and _last(_text(func)) in ("get", "pop")
    return parent.type == "subscript"


# --- module __getattr__ ---------------------------------------------------------------------


def _getattr_param(func: Node) -> str | None:
    params, _ = _parameters(func)
    return params[0] if params else None


def _guarded_names(f: _File, node: Node, func: Node) -> list[tuple[str, Node | None]] | None:
    """Names the ``if name == "x"`` / ``if name in TABLE`` guards around ``node`` select.

    Each name comes with its table value node (dict tables) or None.  None when
    the node is not under a resolvable name guard.
    """
    param = _getattr_param(func)
    if param is None:
        return None
    for condition in _guarding_conditions(node, func):
        names = _names_from_condition(f, condition, param, func)
        if names is not None:
            return names
    return _names_from_try_lookup(f, node, func, param)


def _names_from_try_lookup(f: _File, node: Node, func: Node, param: str) -> list[tuple[str, Node | None]] | None:
    """numpy 1.x: ``try: msg = TABLE[attr] except KeyError: pass else: warnings.warn(msg, ...)``.

    The lookup guards the warning as an ``if attr in TABLE`` would; a table that cannot
    be read statically gives no names (but the warning is still not module-wide).
    """
    cur = node.parent
    while cur is not None and cur != func:
        if cur.type == "else_clause" and cur.parent is not None and cur.parent.type == "try_statement":
            body = cur.parent.child_by_field_name("body")
            for stmt in body.named_children if body is not None else ():
                assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
                right = assign.child_by_field_name("right") if assign is not None and assign.type == "assignment" else None
                if right is not None and right.type == "subscript" \
                        and _text(right.child_by_field_name("subscript")) == param:
                    table = right.child_by_field_name("value")
                    return (_collection_entries(f, table, func) or []) if table is not None else []
        cur = cur.parent
    return None


def _names_from_condition(f: _File, cond: Node, param: str, func: Node) -> list[tuple[str, Node | None]] | None:
    if cond.type == "parenthesized_expression" and cond.named_child_count == 1:
        return _names_from_condition(f, cond.named_children[0], param, func)
    if cond.type == "boolean_operator":
        for side in ("left", "right"):
            sub = cond.child_by_field_name(side)
            names = _names_from_condition(f, sub, param, func) if sub is not None else None
            if names is not None:
                return names
        return None
    if cond.type == "identifier":
        return _looked_up_entries(f, func, _text(cond), param)
    if cond.type != "comparison_operator" or cond.named_child_count != 2:
        return None
    left, right = cond.named_children
    operators = [_text(c) for c in cond.children if not c.is_named]
    if " ".join(operators) in ("is not", "!=") and left.type == "identifier" and _text(right) == "None":
        return _looked_up_entries(f, func, _text(left), param)
    if operators == ["=="]:
        if _text(right) == param:
            left, right = right, left
        value = _string_value(right)
        return [(value, None)] if _text(left) == param and value is not None else None
    if operators == ["in"] and _text(left) == param:
        return _collection_entries(f, right, func)
    return None


def _looked_up_entries(f: _File, func: Node, var: str, param: str) -> list[tuple[str, Node | None]] | None:
    """torch 2.x: ``replacement = _deprecated_attrs.get(name)`` then ``if replacement is not None:``
    guards the warning as ``if name in _deprecated_attrs`` would: the table's entries."""
    body = func.child_by_field_name("body")
    for stmt in body.named_children if body is not None else ():
        assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
        if assign is None or assign.type != "assignment" or _text(assign.child_by_field_name("left")) != var:
            continue
        table = _looked_up_table(assign.child_by_field_name("right"), param)
        if table is not None:
            return _collection_entries(f, table, func)
    return None


def _looked_up_table(value: Node | None, param: str) -> Node | None:
    """The table `value` looks the attribute asked for up in: `TABLE.get(name)` or `TABLE[name]`."""
    if value is not None and value.type == "call":
        callee = value.child_by_field_name("function")
        args, _ = _call_args(value)
        if callee is not None and callee.type == "attribute" and _text(callee.child_by_field_name("attribute")) == "get" \
                and args and _text(args[0]) == param:
            return callee.child_by_field_name("object")
    elif value is not None and value.type == "subscript" and _text(value.child_by_field_name("subscript")) == param:
        return value.child_by_field_name("value")
    return None


def _collection_entries(f: _File, node: Node, func: Node) -> list[tuple[str, Node | None]] | None:
    if node.type == "identifier":
        table = _local_table(func, _text(node)) or f.tables.get(_text(node))
        entries = _collection_entries(f, table, func) if table is not None else None
        for added in f.table_additions.get(_text(node), ()):
            rows = _addition_entries(f, added, func)
            if rows is not None:
                entries = (entries or []) + rows
        return entries
    if node.type == "dictionary":
        entries: list[tuple[str, Node | None]] = []
        for pair in node.named_children:
            if pair.type == "pair":
                key = _string_value(pair.child_by_field_name("key"))
                if key is not None:
                    entries.append((key, pair.child_by_field_name("value")))
        return entries
    if node.type in ("set", "list", "tuple"):
        values = [_string_value(c) for c in node.named_children if c.type != "comment"]
        return [(v, None) for v in values if v is not None]
    if node.type in ("dictionary_comprehension", "set_comprehension", "list_comprehension"):
        # numpy 1.x: {name: f"... {name} was removed ..." for name in _financial_names}
        # numpy 2.x: {n: _msg.format(n=n, ...) for n, extended_msg in _type_info}
        rows = _comprehension_rows(f, node)
        if rows:
            return [(bound["__key__"], None) for bound, _ in rows]
        clause = next((c for c in node.named_children if c.type == "for_in_clause"), None)
        source = clause.child_by_field_name("right") if clause is not None else None
        entries = _collection_entries(f, source, func) if source is not None else None
        return [(name, None) for name, _ in entries] if entries is not None else None
    return None


def _addition_entries(f: _File, added: Node, func: Node) -> list[tuple[str, Node | None]] | None:
    if added.type == "assignment":
        key = _string_value(added.child_by_field_name("left").child_by_field_name("subscript"))
        return [(key, added.child_by_field_name("right"))] if key is not None else None
    return _collection_entries(f, added, func)


def _comprehension_rows(f: _File, comp: Node) -> list[tuple[dict[str, str], Node]]:
    """Each row of ``{k: body for a, b in TABLE}`` over a literal list (of tuples, for several
    loop variables): the loop variables' literal values (the key's as ``__key__``) and the
    body to evaluate with them."""
    clause = next((c for c in comp.named_children if c.type == "for_in_clause"), None)
    pair = comp.named_children[0] if comp.named_child_count else None
    if clause is None or pair is None or pair.type != "pair" or clause.child_by_field_name("right") is None:
        return []
    targets = [c for c in (clause.child_by_field_name("left"),) if c is not None]
    if targets and targets[0].type in ("pattern_list", "tuple_pattern"):
        names = [_text(c) for c in targets[0].named_children]
    else:
        names = [_text(t) for t in targets]
    key_name = _text(pair.child_by_field_name("key"))
    source = clause.child_by_field_name("right")
    if source.type == "identifier":
        # The assignment in force here, not the module's last one (numpy 1.x rebinds ``_type_info``).
        source = _assigned_value(f, source) or f.tables.get(_text(source))
    if source is None or source.type not in ("list", "tuple") or key_name not in names:
        return []
    rows: list[tuple[dict[str, str], Node]] = []
    for item in source.named_children:
        if len(names) == 1:
            values = [_string_value(item)]
        elif item.type == "tuple" and item.named_child_count == len(names):
            values = [_message(f, c) for c in item.named_children]
        else:
            continue
        bound = {n: v for n, v in zip(names, values) if v is not None}
        if key_name in bound:
            bound["__key__"] = bound[key_name]
            rows.append((bound, pair.child_by_field_name("value")))
    return rows


def _local_table(func: Node, name: str) -> Node | None:
    body = func.child_by_field_name("body")
    for stmt in body.named_children if body is not None else ():
        if stmt.type == "expression_statement" and stmt.named_child_count == 1:
            assign = stmt.named_children[0]
            if assign.type == "assignment" and _text(assign.child_by_field_name("left")) == name:
                right = assign.child_by_field_name("right")
                if right is not None and right.type in ("dictionary", "set", "list", "tuple"):
                    return right
    return None


def _handle_getattr_warn(f: _File, func: Node, call: Node, message: str | None, category: str | None) -> None:
    msg_node, _ = _warn_parts(f, call)
    names = _guarded_names(f, call, func)
    if names is None:
        # An unguarded warning in a module __getattr__: the whole module is deprecated.
        finding = _finding(f, GETATTR, _Scope("module", ""), call, message, category=category)
        _fill_versions_from_comments(finding, call)
        f.findings.append(finding)
        return
    param = _getattr_param(func) or ""
    looked_up = _lookup_variables(func, param)
    for name, value in names:
        subst = {param: name}
        own = _own_name(f, value)
        if own is not None:
            # pandas: ``new = deprecated[name]`` ... f"Use pandas.api.typing.{new.__name__} instead."
            subst.update({f"{var}.{attr}": own for var in looked_up for attr in ("__name__", "__qualname__")})
        if value is not None and value.type == "attribute" and re.fullmatch(r"[A-Za-z_][\w.]*", _text(value)):
            subst.update({_qualified_key(var): _text(value) for var in looked_up})
        text = _message(f, msg_node, subst) if msg_node is not None else message
        finding = _finding(f, GETATTR, _Scope("attribute", name), call, text, category=category)
        if value is not None and value.type in ("identifier", "attribute"):
            finding.replacement = _text(value)
            # The table maps the old name to the very object it now is, unless what is returned
            # is a call of it (torch: ``has_cuda`` is the value of ``torch.backends.cuda.is_built()``).
            finding.drop_in = not _returns_a_call(call)
        _fill_versions_from_comments(finding, call)
        f.findings.append(finding)


def _lookup_variables(func: Node, param: str) -> list[str]:
    """Names bound in ``func`` to a table's row for the attribute asked for: ``new = TABLE[name]``
    or ``new = TABLE.get(name)``."""
    return [_text(node.child_by_field_name("left")) for node in _own_nodes(func)
            if node.type == "assignment" and node.child_by_field_name("left").type == "identifier"
            and _looked_up_table(node.child_by_field_name("right"), param) is not None]


def _own_name(f: _File, value: Node | None) -> str | None:
    """The ``__name__`` of a table value, when the file shows it: a class or function it defines,
    or one it imports under its own name (``from pandas.core.window import RollingGroupBy``)."""
    if value is None or value.type != "identifier":
        return None
    name = _text(value)
    imported = f.info.imports.get(name)
    if f.info.defs.get(name) in ("class", "function") and imported is None and len(f.bound_at.get(name, ())) == 1:
        return name
    return name if imported is not None and imported[1] == name else None


def _returns_a_call(node: Node) -> bool:
    """Whether the block holding ``node`` goes on to ``return something(...)``."""
    stmt = _ancestor(node, ("expression_statement",))
    block = stmt.parent if stmt is not None else None
    after = False
    for child in block.named_children if block is not None else ():
        after = after or child == stmt
        if after and child.type == "return_statement":
            value = child.named_children[0] if child.named_child_count else None
            return value is not None and value.type == "call"
    return False


def _find_getattr_shims(f: _File, func: Node) -> None:
    """Guarded ``raise AttributeError`` (removed names), scipy submodule shims, helper warnings."""
    body = func.child_by_field_name("body")
    if body is None:
        return
    param = _getattr_param(func) or ""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type in ("function_definition", "class_definition"):
            continue
        if node.type == "raise_statement":
            _handle_getattr_raise(f, func, node, param)
            continue
        if node.type == "call":
            _handle_getattr_call(f, func, node)
        stack.extend(node.named_children)


def _handle_getattr_raise(f: _File, func: Node, node: Node, param: str) -> None:
    exc = node.named_children[0] if node.named_child_count else None
    if exc is None or exc.type != "call":
        return
    names = _guarded_names(f, node, func)
    if not names:
        return
    positional, _ = _call_args(exc)
    for name, value in names:
        message = _message(f, positional[0], {param: name}) if positional else None
        if _opt_in_gate(message):
            continue
        finding = _finding(f, GETATTR, _Scope("attribute", name), node, message, removed=True)
        if value is not None and value.type in ("identifier", "attribute"):
            finding.replacement = _text(value)
            finding.drop_in = True      # the table maps the old name to the very object it now is
        f.findings.append(finding)


_EXPERIMENTAL = re.compile(r"\bexperimental\b", re.I)
_GONE = re.compile(r"\bdeprecated\b|\bremoved\b|\bno\s+longer\b|\bexpired\b|\bwas\s+renamed\b", re.I)


def _opt_in_gate(message: str | None) -> bool:
    """scikit-learn ``IterativeImputer is experimental ... explicitly import enable_iterative_imputer``:
    a name behind an opt-in import is new, not removed."""
    return bool(message) and _EXPERIMENTAL.search(message) is not None and _GONE.search(message) is None


def _handle_getattr_call(f: _File, func: Node, call: Node) -> None:
    callee = _last(_text(call.child_by_field_name("function")))
    if callee == "_sub_module_deprecation":
        f.findings.append(_submodule_finding(f, call))
    elif ("deprecat" in callee.lower() or "raise_warning" in callee.lower()) and _guarded_names(f, call, func) is None:
        # numpy.core: `__getattr__` calls a helper that warns for every attribute.
        doc = _docstring_of(f.root)
        message = _string_value(doc) if doc is not None else None
        f.findings.append(_finding(f, GETATTR, _Scope("module", ""), call, message or f"{f.module} is deprecated: its __getattr__ calls {callee}() for every attribute"))


def _submodule_finding(f: _File, call: Node) -> RawFinding:
    _, keywords = _call_args(call)
    library = f.module.split(".", 1)[0]
    sub_package = _string_value(keywords.get("sub_package"))
    correct = _string_value(keywords.get("correct_module"))
    old = f.module
    replacement = ".".join(p for p in (library, sub_package, correct) if p)
    message = f"{old} is deprecated; use {replacement}"
    # every public name of the shim is the same object in the new module
    finding = _finding(f, SUBMODULE, _Scope("module", ""), call, message, replacement=replacement, drop_in=True)
    # "This file is not meant for public use and will be removed in SciPy v2.0.0."
    finding.removed_in = versions_from_text(_leading_comments(f.root))[1]
    return finding


def _leading_comments(root: Node) -> str:
    texts: list[str] = []
    for child in root.children:
        if child.type != "comment":
            break
        texts.append(_text(child).lstrip("#").strip())
    return " ".join(texts)


# --- getattr tables ------------------------------------------------------------------------------


def _find_tables(f: _File) -> None:
    for name, node in f.tables.items():
        if node.type != "dictionary" or not _TABLE_NAME_RE.match(name):
            continue
        removed = "expired" in name
        module, removed_in = _table_module(f)
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key = _string_value(pair.child_by_field_name("key"))
            if key is None:
                continue
            message = _table_message(f, pair.child_by_field_name("value"))
            finding = _finding(f, GETATTR, _Scope("attribute", key), pair, message or None, removed=removed)
            finding.module = module
            if removed:
                finding.removed_in = finding.removed_in or removed_in
            f.findings.append(finding)


def _table_module(f: _File) -> tuple[str, str | None]:
    """Module the table's names belong to, and a version spelled in a helper's name (_2_0)."""
    parent, _, last = f.module.rpartition(".")
    digits = _DIGITS_IN_NAME.search(last)
    version = f"{digits.group(1)}.{digits.group(2)}" if digits else None
    if last.startswith("_") and not f.is_package and parent:
        return parent, version
    return f.module, version


def _table_message(f: _File, value: Node | None) -> str | None:
    if value is None:
        return None
    if value.type == "tuple":
        for child in value.named_children:
            text = _message(f, child)
            if text:
                return text
        return None
    return _message(f, value)


# --- decorators --------------------------------------------------------------------------------


def _find_decorators(f: _File) -> None:
    for start, end in _decorator_hits(f):
        node = _node_at(f, start, end)
        dec = _ancestor(node, ("decorator",))
        parent = dec.parent if dec is not None else None
        defn = parent.child_by_field_name("definition") if parent is not None else None
        if dec is None or defn is None:
            continue
        name, call = _decorator_callee(dec)
        handler = _DECORATOR_HANDLERS.get(_imported_name(f, name))
        if handler is not None:
            found = handler(f, dec, call, _scope_of_definition(defn))
            for finding in found if isinstance(found, list) else [found]:
                if finding is not None and finding.kind != "parameter":
                    finding = _narrowed_to_overload(f, parent, finding)
                if finding is not None:
                    f.findings.append(finding)


def _narrowed_to_overload(f: _File, decorated: Node, finding: RawFinding) -> RawFinding | None:
    """Evidence on one overload of several is about the calls it matches (scan/overloads.py)."""
    scope = deprecated_overload_scope(decorated, lambda d: _is_deprecated_def(f, d), finding.message,
                                      method=finding.kind == "method")
    if scope is None:
        return finding
    if scope.parameter is None:
        return None
    finding.kind, finding.parameter = "parameter", scope.parameter
    finding.usage, finding.values = [USE_VALUE], list(scope.values)
    finding.position = _position(decorated.child_by_field_name("definition"), scope.parameter)
    return finding


def _is_deprecated_def(f: _File, decorated: Node) -> bool:
    """Whether a definition carries a decorator that deprecates the API itself."""
    return any(_DECORATOR_HANDLERS.get(_imported_name(f, _decorator_callee(dec)[0])) in _API_DECORATORS
               for dec in decorated.named_children if dec.type == "decorator")


def _decorator_hits(f: _File) -> Iterator[tuple[int, int]]:
    """Byte spans of decorator names: the known names, and local aliases of them."""
    for m in _DECORATOR_RE.finditer(f.source):
        yield m.start("name"), m.end("name")
    aliases = [local for local, (_, orig) in f.info.imports.items()
               if orig in _DECORATOR_HANDLERS and local != orig and local not in _DECORATOR_HANDLERS]
    if aliases:
        alias_re = re.compile(rb"^[ \t]*@[ \t]*(?P<name>" + b"|".join(re.escape(a.encode()) for a in aliases) + rb")\b", re.M)
        for m in alias_re.finditer(f.source):
            yield m.start("name"), m.end("name")


def _imported_name(f: _File, dotted: str) -> str:
    """The original name behind a decorator (`from deprecated import deprecated as dep`)."""
    imported = f.info.imports.get(dotted)
    if imported is not None and imported[1] is not None:
        return imported[1]
    return _last(dotted)


def _deprecated_decorator(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    """PEP 702, the `deprecated` package, sklearn, matplotlib-style `deprecated(since, ...)`."""
    evidence = STUB if f.is_stub else DECORATOR
    if call is None:
        return _finding(f, evidence, scope, dec, None)
    positional, kw = _call_args(call)
    first = _string_value(positional[0]) if positional else None
    since = _string_value(kw.get("since")) or _string_value(kw.get("version"))
    message = _string_value(kw.get("message")) or _string_value(kw.get("reason")) or _string_value(kw.get("extra"))
    if first is not None and VERSION_LIKE.match(first):
        since = since or first  # matplotlib: deprecated("3.8", alternative=...)
        if len(positional) > 1:
            # SQLAlchemy: deprecated("1.4", ":meth:`.Table.tometadata` is renamed to :meth:`.Table.to_metadata`"):
            # the message, with the replacement, comes second.
            message = message or _message(f, positional[1])
    elif positional:
        message = message or _message(f, positional[0])
    finding = _finding(f, evidence, scope, dec, message)
    finding.since = since or finding.since
    removal = _string_value(kw.get("removal"))
    # matplotlib's removal="the future" (backend_wx ``RendererWx``) names no release
    finding.removed_in = removal if removal and VERSION_LIKE.match(removal) else finding.removed_in
    alternative = _string_value(kw.get("alternative"))
    if alternative:
        finding.replacement = alternative
    category = kw.get("category")
    if category is not None:
        finding.category = _text(category)
    elif _is_true(kw.get("pending")):
        # matplotlib's `_api.deprecated("3.7", pending=True)` warns with PendingDeprecationWarning: announced only
        finding.category = PENDING_WARNING
    return finding


def _is_true(node: Node | None) -> bool:
    return node is not None and node.type == "true"


def _scipy_deprecated(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    positional, kw = _call_args(call) if call is not None else ([], {})
    message = _message(f, kw.get("msg", positional[0] if positional else None))
    return _finding(f, DECORATOR, scope, dec, message)


def _deprecate_kwarg(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    """pandas ``deprecate_kwarg([klass,] old, new, ...)`` and transformers ``deprecate_kwarg(old, version, new_name=)``."""
    if call is None:
        return None
    positional, kw = _call_args(call)
    category = None
    if positional and _string_value(positional[0]) is None and positional[0].type != "none":
        category = _text(positional.pop(0))
    strings = [(_string_value(p) if p.type != "none" else None) for p in positional]
    old = _string_value(kw.get("old_arg_name")) or _string_value(kw.get("old_name")) or (strings[0] if strings else None)
    if old is None:
        return None
    version = _string_value(kw.get("version"))
    new = _string_value(kw.get("new_arg_name")) or _string_value(kw.get("new_name"))
    second = strings[1] if len(strings) > 1 else None
    if second is not None and VERSION_LIKE.match(second) and ("new_name" in kw or version is None and len(strings) > 2):
        version = version or second  # transformers: (old, version, new_name)
        new = new or (strings[2] if len(strings) > 2 else None)
    elif new is None:
        new = second
    message = _string_value(kw.get("additional_message"))
    param_scope = _Scope("parameter", scope.target)
    finding = _finding(f, DECORATOR, param_scope, dec, message, parameter=old, new_parameter=new, category=category,
                       position=_parameter_position(scope, old, new))
    if version:
        # transformers' version is when the old name goes away.
        finding.removed_in = version.lstrip("v")
    return finding


def _deprecate_positional_args(f: _File, dec: Node, call: Node | None, scope: _Scope) -> list[RawFinding]:
    """scipy's ``@_deprecate_positional_args(version="1.19.0", deprecated_args={"atol"})``: each
    keyword-only parameter still binds by position, with a warning, until `version`; those in
    `deprecated_args` are deprecated whether passed by position or by keyword."""
    _, kw = _call_args(call) if call is not None else ([], {})
    version = _string_value(kw.get("version"))
    listed = kw.get("deprecated_args")
    gone = {_string_value(c) for c in listed.named_children} \
        if listed is not None and listed.type in ("set", "list", "tuple") else set()
    findings = []
    for position, (name, keyword_only) in enumerate(_call_slots(scope.func)):     # the slots it binds by
        if not keyword_only or name is None:
            continue
        message = (f"Argument '{name}' is deprecated, whether passed by position or keyword." if name in gone
                   else f"Passing '{name}' by position is deprecated; pass it by keyword.")
        finding = _finding(f, DECORATOR, _Scope("parameter", scope.target), dec, message, parameter=name,
                           position=position)
        finding.usage = [USE_ANY, USE_POSITIONAL] if name in gone else [USE_POSITIONAL]
        finding.removed_in = version
        findings.append(finding)
    return findings


def _rename_parameter(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    """scipy ``_rename_parameter(old, new, dep_version=)``; only warns when dep_version is given."""
    if call is None:
        return None
    positional, kw = _call_args(call)
    strings = [_string_value(p) for p in positional]
    old = strings[0] if strings else _string_value(kw.get("old_name"))
    new = strings[1] if len(strings) > 1 else _string_value(kw.get("new_name"))
    version = _string_value(kw.get("dep_version")) or (strings[2] if len(strings) > 2 else None)
    if not old or not version:
        return None
    finding = _finding(f, DECORATOR, _Scope("parameter", scope.target), dec, None, parameter=old, new_parameter=new,
                       position=_parameter_position(scope, old, new))
    finding.since = version
    return finding


# --- matplotlib's parameter decorators (``matplotlib._api.deprecation``) --------------------------
# Each takes the release first and the parameter second: `@_api.rename_parameter("3.11", "ngrids",
# "n_axes")`, `@_api.delete_parameter("3.11", "share")`, `@_api.make_keyword_only("3.10", "range")`.


def _mpl_parameter_args(call: Node | None) -> tuple[str | None, str | None, list[Node], dict[str, Node]]:
    """(since, parameter, positional, keywords) of a matplotlib parameter decorator call."""
    positional, kw = _call_args(call) if call is not None else ([], {})
    strings = [_string_value(p) for p in positional]
    since = _string_value(kw.get("since")) or (strings[0] if strings else None)
    name = _string_value(kw.get("name")) or _string_value(kw.get("old")) or (strings[1] if len(strings) > 1 else None)
    return since, name, positional, kw


def _mpl_parameter_finding(f: _File, dec: Node, scope: _Scope, name: str, since: str | None, message: str,
                           new_parameter: str | None = None) -> RawFinding:
    finding = _finding(f, DECORATOR, _Scope("parameter", scope.target), dec, message, parameter=name,
                       new_parameter=new_parameter, position=_parameter_position(scope, name, new_parameter))
    finding.since = since if since and VERSION_LIKE.match(since) else None
    finding.replacement = None      # a keyword's new name or advice, never an API to call instead
    return finding


def _mpl_rename_parameter(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    """``rename_parameter(since, old, new)``: `old=` still works, as `new=`: a rename."""
    since, old, positional, kw = _mpl_parameter_args(call)
    new = _string_value(kw.get("new")) or (_string_value(positional[2]) if len(positional) > 2 else None)
    if not old or not new:
        return None
    return _mpl_parameter_finding(f, dec, scope, old, since, f"The {old!r} parameter was renamed {new!r} in {since}.",
                                  new_parameter=new)


def _mpl_delete_parameter(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    """``delete_parameter(since, name, alternative=..., pending=...)``: passing `name` at all is
    deprecated. Its `alternative` is advice in prose ("tick_direction" for the bool `tick_out`), so it
    stays in the message without a word that would make it the new keyword."""
    since, name, _, kw = _mpl_parameter_args(call)
    if not name:
        return None
    alternative = _string_value(kw.get("alternative"))
    message = f"The {name!r} parameter is deprecated since {since}." + (f" Alternative: {alternative}."
                                                                       if alternative else "")
    finding = _mpl_parameter_finding(f, dec, scope, name, since, message)
    if _is_true(kw.get("pending")):
        finding.category = PENDING_WARNING  # what matplotlib's `pending=True` warns with
    return finding


def _mpl_make_keyword_only(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    """``make_keyword_only(since, name)``: passing `name` (or any parameter after it) by position is
    deprecated. One row for `name` covers those after it: a call that passes a later one by position
    passes `name` by position too."""
    since, name, _, _ = _mpl_parameter_args(call)
    if not name:
        return None
    finding = _mpl_parameter_finding(
        f, dec, scope, name, since, f"Passing {name!r} (and the parameters after it) positionally is deprecated "
                                    f"since {since}; pass it by keyword.")
    finding.usage, finding.values = [USE_POSITIONAL], []
    return finding


# --- SQLAlchemy's and scikit-image's decorators, read in scan/library_helpers.py ----------------


def _library_parameter_decorator(f: _File, dec: Node, call: Node | None, scope: _Scope) -> list[RawFinding]:
    read = PARAMETER_DECORATORS[_imported_name(f, _decorator_callee(dec)[0])]
    return [_declared_parameter(f, dec, scope, declared)
            for declared in read(call, lambda node: _message(f, node), _decorated_name(dec))]


def _library_api_decorator(f: _File, dec: Node, call: Node | None, scope: _Scope) -> RawFinding | None:
    declared = API_DECORATORS[_imported_name(f, _decorator_callee(dec)[0])](
        call, lambda node: _message(f, node), _decorated_name(dec))
    return _declared_api(f, dec, scope, declared) if declared is not None else None


def _decorated_name(dec: Node) -> str:
    defn = dec.parent.child_by_field_name("definition") if dec.parent is not None else None
    return _def_name(defn) if defn is not None else ""


def _declared_parameter(f: _File, dec: Node, scope: _Scope, declared: DeclaredParameter) -> RawFinding:
    """Passing the parameter at all warns; its new name is the one the decorator declares, or
    the one parameter its message offers instead."""
    new = declared.new_name or (_new_keyword(scope, declared.name, declared.message)
                                if declared.rename_from_message else None)
    finding = _finding(f, DECORATOR, _Scope("parameter", scope.target), dec, declared.message,
                       parameter=declared.name, new_parameter=new,
                       position=_parameter_position(scope, declared.name, new))
    finding.since = declared.since or finding.since
    finding.removed_in = declared.removed_in or finding.removed_in
    finding.replacement = None      # a keyword's new name or advice, never an API to call instead
    return finding


def _declared_api(f: _File, dec: Node, scope: _Scope, declared: DeclaredApi) -> RawFinding:
    finding = _finding(f, DECORATOR, scope, dec, declared.message)
    finding.since = declared.since or finding.since
    finding.removed_in = declared.removed_in or finding.removed_in
    return finding


# --- matplotlib's deprecated class attributes (scan/library_helpers.py) ---------------------------


def _find_deprecated_attributes(f: _File) -> None:
    """``fontNames = _api.deprecated("3.11")(property(...))``, ``locs =
    _api.deprecate_privatize_attribute("3.11")``: read as that decorator on a member of the class."""
    for attr in deprecated_attributes(f.root, f.source):
        cls = _ancestor(attr.statement, ("class_definition",))
        owner = _scope_of_definition(cls) if cls is not None else None
        if owner is None or owner.kind != "class":
            continue
        finding = _deprecated_decorator(f, attr.statement, attr.decorator_call,
                                        _Scope(attr.wrapped_kind, f"{owner.target}.{attr.name}", cls=cls))
        if finding is not None:
            f.findings.append(finding)


_DECORATOR_HANDLERS = {
    "deprecated": _deprecated_decorator,
    "_deprecated": _scipy_deprecated,
    "deprecate_kwarg": _deprecate_kwarg,
    "_rename_parameter": _rename_parameter,
    _POSITIONAL_ARGS_DECORATOR: _deprecate_positional_args,
    "rename_parameter": _mpl_rename_parameter,
    "delete_parameter": _mpl_delete_parameter,
    "make_keyword_only": _mpl_make_keyword_only,
    **dict.fromkeys(API_DECORATORS, _library_api_decorator),
    **dict.fromkeys(PARAMETER_DECORATORS, _library_parameter_decorator),
}
# Decorators that deprecate the decorated API itself, not one of its parameters.
_API_DECORATORS = (_deprecated_decorator, _scipy_deprecated, _library_api_decorator)


# --- pandas `deprecate(...)` calls ---------------------------------------------------------------


def _find_deprecate_calls(f: _File) -> None:
    for m in _DEPRECATE_CALL_RE.finditer(f.source):
        node = _node_at(f, m.start(), m.start() + len("deprecate"))
        call = node.parent if node is not None else None
        if call is None or call.type != "call" or _text(call.child_by_field_name("function")) != "deprecate":
            continue
        assign = call.parent
        if assign is None or assign.type != "assignment" or assign.child_by_field_name("left") is None:
            continue
        left = assign.child_by_field_name("left")
        if left.type != "identifier":
            continue
        f.findings.append(_deprecate_call_finding(f, call, _text(left)))


def _deprecate_call_finding(f: _File, call: Node, bound: str) -> RawFinding:
    positional, kw = _call_args(call)
    category = None
    if positional and _string_value(positional[0]) is None:
        category = _text(positional.pop(0))  # pandas >= 2: deprecate(klass, name, alternative, version)
    else:
        category = _text(kw.get("klass")) or None  # older: deprecate(name, alternative, version, klass=)
    name = _string_value(positional[0]) if positional else _string_value(kw.get("name"))
    alternative = positional[1] if len(positional) > 1 else kw.get("alternative")
    version = _string_value(positional[2]) if len(positional) > 2 else _string_value(kw.get("version"))
    alt_name = (_string_value(kw.get("alt_name")) or (_string_value(positional[3]) if len(positional) > 3 else None)
                or (_text(alternative) if alternative is not None else None))
    message = _message(f, kw.get("msg")) or f"{name or bound} is deprecated, use {alt_name} instead."
    scope = _scope_of(call)
    if scope.kind == "module":
        scope = _Scope("function", bound)
    elif scope.kind == "class" and scope.func is None:
        scope = _Scope("method", f"{scope.target}.{bound}")
    finding = _finding(f, DECORATOR, scope, call, message, category=category)
    finding.replacement = alt_name
    # The helper's wrapper calls `alternative` with every argument it got, and `alt_name` is by
    # its contract the name to show for that same function (pandas 1.0's json_normalize).
    finding.drop_in = alternative is not None and alt_name is not None
    finding.since = version or finding.since
    return finding


# --- docstrings ----------------------------------------------------------------------------------

_DIRECTIVE_RE = re.compile(
    r"^(?P<indent>[ \t]*)\.\.[ \t]+(?P<kind>deprecated|deprecated-removed|versionremoved)::[ \t]*(?P<args>[^\n]*)$",
    re.M
)
_ADMONITION = re.compile(r"^[ \t]*\.\.[ \t]+(?:note|warning|attention|caution|danger|important|hint|tip|seealso"
                         r"|versionchanged|versionadded|admonition)::", re.I)
_SECTION_UNDERLINE = re.compile(r"^[ \t]*-{3,}[ \t]*$")
_PARAM_LINE = re.compile(r"^[ \t]*\**(?P<name>[A-Za-z_]\w*)(?:[ \t]*,[ \t]*\**[A-Za-z_]\w*)*[ \t]*(?::.*)?$")
_PARAM_SECTIONS = frozenset({"parameters", "other parameters", "keyword arguments", "args", "arguments", "kwargs"})
# Google style (torch, transformers): a section is a header line "Args:" with no underline, its
# entries are indented under it and typed in parentheses: "return_complex (bool, optional): ...".
_GOOGLE_SECTION = re.compile(r"^[ \t]*(?P<section>[A-Za-z](?:[A-Za-z ]*[A-Za-z])?):[ \t]*$")
_GOOGLE_ENTRY = re.compile(r"^[ \t]*\**(?P<name>[A-Za-z_]\w*)[ \t]*\([^()\n]*\)[ \t]*:")
_RESULT_SECTIONS = frozenset({"returns", "return", "yields", "yield", "raises", "warns", "receives"})
# Sphinx field lists (SQLAlchemy, attrs): ":param inherit_schema: When ``True``, ...", ":param lazy='select':
# specifies ...", ":param str name:". A role opening a line (":class:`.Enum` ...") is no field: a backtick
# follows its second colon.
_SPHINX_FIELD = re.compile(r"^[ \t]*:(?P<field>[A-Za-z]+)(?P<args>(?:[ \t]+[^:`\n]+?)?)[ \t]*:(?=\s|$)")
_SPHINX_PARAM_FIELDS = frozenset({"param", "parameter", "arg", "argument", "key", "keyword", "kwarg", "kwparam"})
# One item of a list of a parameter's values: SQLAlchemy ``relationship(lazy=)``: "* ``noload`` - no loading ...".
_VALUE_BULLET = re.compile(r"^[ \t]*[*-][ \t]+``(?P<value>[^`\n]+)``")


def _docstring_of(owner: Node) -> Node | None:
    """The docstring string node of a module / def / class, if any."""
    body = owner if owner.type == "module" else owner.child_by_field_name("body")
    if body is None:
        return None
    for stmt in body.named_children:
        if stmt.type == "comment":
            continue
        if stmt.type == "expression_statement" and stmt.named_child_count == 1 and stmt.named_children[0].type == "string":
            return stmt.named_children[0]
        return None
    return None


def _docstring_owner(string: Node) -> Node | None:
    stmt = string.parent
    if stmt is None or stmt.type != "expression_statement":
        return None
    container = stmt.parent
    owner = container if container is not None and container.type == "module" else (
        container.parent if container is not None and container.type == "block" else None
    )
    if owner is None or owner.type not in ("module", "function_definition", "class_definition"):
        return None
    return owner if _docstring_of(owner) == string else None


def _find_docstrings(f: _File) -> None:
    seen: set[int] = set()
    for m in _DOCSTRING_RE.finditer(f.source):
        node = _node_at(f, m.start(), m.end())
        string = _ancestor(node, ("string",))
        if string is None or string.start_byte in seen:
            continue
        seen.add(string.start_byte)
        owner = _docstring_owner(string)
        if owner is not None:
            _handle_docstring(f, owner, string)


def _handle_docstring(f: _File, owner: Node, string: Node) -> None:
    scope = _Scope("module", "") if owner.type == "module" else _scope_of_definition(owner)
    raw = _text(string)
    text = literal_text(raw) or raw
    # Lines are counted in the raw token so directive lines map to source lines.
    first_line = _line(string)
    stripped = text.lstrip()
    if stripped.startswith("DEPRECATED"):
        body = stripped[len("DEPRECATED"):].lstrip(":").strip().split("\n\n", 1)[0]
        message = " ".join(body.split()) or None
        f.findings.append(_finding(f, DOCSTRING, scope, string, message))
    for m in _DIRECTIVE_RE.finditer(raw):
        line = first_line + raw.count("\n", 0, m.start())
        finding = _directive_finding(f, scope, string, raw, m, line)
        if finding is not None:
            f.findings.append(finding)
    if owner.type in ("function_definition", "class_definition"):
        # torch 2.13 `torch.norm`: ".. warning:: torch.norm is deprecated and may be removed ..."
        f.findings.extend(_admonition_findings(f, scope, _def_name(owner), string, raw, first_line))


# A directive whose text opens on a way of using the API deprecates that use, not the API:
# pandas ``GroupBy.nth``: "Index notation (``g.nth[n]``) is deprecated in favor of calling ``g.nth(n)``".
# pandas 3.1 ``Period.strftime``: "The ``%n`` directive for nanoseconds is deprecated": a literal
# (no name: it opens on a sign) that the API is given.
_DIRECTIVE_USE = re.compile(r"\W*(?:the\s+behaviou?r|passing|support\s+for|the\s+default"
                            r"|(?:index|indexing|item|subscript)\s+(?:notation|access|syntax)"
                            r"|(?:the\s+)?``[^`\w][^`]*``\s+(?:directive|format|code|specifier|character|string|value"
                            r"|option|notation|syntax)s?)\b", re.I)
# ... or on the case it is about, then that use: pandas 3.0 ``Series.values``: "For
# :class:`DatetimeTZDtype`, ... dtypes, the behavior of ``.values`` returning a lossy ... is deprecated".
_DIRECTIVE_CASE = re.compile(r"\W*(?:for|when|if|with)\s[^.]{1,200}?,\s*(?:the\s+behaviou?r|passing|calling"
                             r"|using|returning)\b", re.I)


def _directive_finding(f: _File, scope: _Scope, string: Node, raw: str, m: re.Match[str],
                       line: int) -> RawFinding | None:
    # numpy's "``.. deprecated:: NumPy 1.25``" names the project before the version.
    args = [a.rstrip(",.") for a in m.group("args").split() if VERSION_LIKE.match(a.rstrip(",."))]
    body = "\n".join(part for part in (_directive_inline_text(m), _directive_body(raw, m)) if part)
    message = " ".join(body.split()) or None
    subject = _directive_subject(scope, raw, m)
    if subject is None:
        return None
    target_scope, parameter = subject
    text = message or ""
    if parameter is None and target_scope.kind != "attribute":
        named = _emphasized_subject(text)
        if named is not None:
            # attrs ``define``: ".. deprecated:: 24.1.0 *hash* is deprecated in favor of *unsafe_hash*";
            # matplotlib ``ScaleBase.__init__``: "The *axis* parameter is ...". A name in emphasis opens
            # the text: that parameter's row, or nothing when the API takes no such parameter.
            if named not in _documented_parameters(scope):
                return None
            target_scope, parameter = _Scope("parameter", scope.target), named
    if parameter is None and (_DIRECTIVE_USE.match(text) or _DIRECTIVE_CASE.match(text)
                              or (_GERUND_SUBJECT.match(text) and not _THIS_API.search(text))
                              or _deprecates_a_use(text) or _IT_IS_DEPRECATED_TO.match(text)
                              or _about_other_names(text, target_scope, f.module)):
        return None
    if target_scope.kind == "module" and parameter is None:
        target_scope = _module_member_subject(f, message) or target_scope
    finding = _finding(f, DOCSTRING, target_scope, string, message, parameter=parameter)
    finding.line = line
    finding.text = " ".join(m.group(0).split())[:_SNIPPET_CHARS]
    if m.group("kind") == "versionremoved":
        # scipy 1.17's `interp2d`, a stub that raises: ".. versionremoved:: 1.14.0 `interp2d` has been
        # removed in SciPy 1.14.0." The version is the removal; when it was deprecated, other evidence says.
        finding.since, finding.removed_in = None, args[0] if args else None
    else:
        finding.since = args[0] if args else finding.since
        if m.group("kind") == "deprecated-removed" and len(args) > 1:
            finding.removed_in = args[1]
    if parameter is not None and finding.replacement is not None:
        # "`n_alphas` ... Use `alphas` instead": a sibling parameter is the new name.
        siblings = _parameters(scope.func)[0] if scope.func is not None else _init_parameters(scope.cls)
        if finding.replacement in siblings and finding.replacement != parameter:
            # A sibling parameter is no API to call instead; it is the new keyword only when alone,
            # and when the old keyword's values mean something to it.
            holder = scope.func or _init_def(scope.cls)
            new = finding.replacement if (offers_one_name(message)
                                          and _values_carry_over(scope, parameter, finding.replacement)
                                          and not (holder is not None and _assigned_otherwise(
                                              holder, parameter, finding.replacement))) else None
            finding.new_parameter, finding.replacement = new, None
            _set_usage(finding, message, DOCSTRING)
    if parameter is not None:
        finding.position = _parameter_position(scope, parameter, finding.new_parameter)
        value = _bullet_value(raw, m)
        if value is not None and f"``{value}``" in text and not finding.new_parameter:
            # SQLAlchemy ``relationship``: under ":param lazy=" its item "* ``noload`` - ...", "The
            # ``noload`` loader strategy is deprecated": passing that value is, not `lazy=` itself.
            finding.usage, finding.values = [USE_VALUE], [_bullet_literal(value)]
    return finding


def _directive_inline_text(m: re.Match[str]) -> str:
    """The text a directive's first line holds after its version(s): SQLAlchemy's ".. deprecated:: 1.4
    The :func:`.and_` element now requires ...", attrs' ".. deprecated:: 24.1.0 *hash* is deprecated
    in favor of *unsafe_hash*."; numpy's ".. deprecated:: NumPy 1.25" names the project first."""
    words = m.group("args").split()
    start = 1 if len(words) > 1 and not VERSION_LIKE.match(words[0].rstrip(",.")) \
        and VERSION_LIKE.match(words[1].rstrip(",.")) else 0
    end = start
    while end < len(words) and VERSION_LIKE.match(words[end].rstrip(",.")):
        end += 1
    # No version: the line holds no text either (scikit-image's template ".. deprecated:: {{ start_version }}")
    return " ".join(words[end:]) if end > start else ""


# "*hash* is deprecated", "The *axis* parameter is ...", "*convert*": a name in single-star emphasis
# (how Sphinx docstrings of attrs and matplotlib spell parameters) opens the text.
_EMPHASIZED_SUBJECT = re.compile(r"^(?:the\s+)?\*(?P<name>[A-Za-z_]\w*)\*(?=[\s.,;:]|$)", re.I)


def _emphasized_subject(text: str) -> str | None:
    m = _EMPHASIZED_SUBJECT.match(text)
    return m.group("name") if m is not None else None


def _documented_parameters(scope: _Scope) -> list[str]:
    """The parameters a docstring's API takes: its def's, else (a class docstring) its constructor's."""
    return _parameters(scope.func)[0] if scope.func is not None else _init_parameters(scope.cls)


# The first clause that says something is deprecated: SQLAlchemy ``and_``: "The :func:`.and_` element now
# requires that at least one argument is passed; creating the :func:`.and_` construct with no arguments
# is deprecated, ...". Its subject opens on an action: a way of calling the API is deprecated.
_CLAUSE_START = re.compile(r"(?:^|[.;:!?]\s+)(?=\S)")


# attrs ``evolve``: "It is now deprecated to pass the instance using the keyword argument *inst*":
# what follows "to" is a way of calling the API.
_IT_IS_DEPRECATED_TO = re.compile(r"\W*it\s+is\s+(?:now\s+)?deprecated\s+to\s", re.I)
# The code names a text opens on: "``__lt__``, ``__le__``, ``__gt__``, and ``__ge__`` now raise ...".
_OPENING_NAMES = re.compile(r"\W*(?::\w+:)?`+~?(?P<first>[\w.]+)`+(?P<more>(?:\s*,?\s*(?:and\s+|or\s+)?"
                            r"(?::\w+:)?`+~?[\w.]+`+)*)")
_QUOTED_NAME = re.compile(r"`+~?([\w.]+)`+")
_OFFERS_INSTEAD = re.compile(r"\binstead\b|\bin\s+favou?r\s+of\b|\breplaces?\b|\bshould\s+be\s+used\b", re.I)


def _about_other_names(text: str, scope: _Scope, module: str) -> bool:
    """Whether the text opens on code names none of which is the API's own nor a package around it:
    attrs ``attrs``'s ".. deprecated:: 18.2.0 ``__lt__``, ``__le__``, ``__gt__``, and ``__ge__`` now
    raise a `DeprecationWarning` if the classes compared are subclasses of each other" is about
    those methods of the classes it makes, not about ``attrs``; scipy ``odr.Data``'s "``scipy.odr``
    is deprecated" is about its package, so about it too."""
    m = _OPENING_NAMES.match(text)
    if m is None or _OFFERS_INSTEAD.search(text):
        return False            # ":func:`new_func` should be used instead": the names are its replacement
    own = set(scope.target.split(".")) | set(module.split("."))
    named = [m.group("first"), *_QUOTED_NAME.findall(m.group("more"))]
    return not any(name.rsplit(".", 1)[-1] in own for name in named)


def _deprecates_a_use(text: str) -> bool:
    """Whether the subject of the text's first "... is deprecated" clause is an action (a gerund
    phrase: "creating the construct with no arguments"), not the API."""
    verb = DEPRECATED_VERB.search(text)
    if verb is None:
        return False
    starts = [c.end() for c in _CLAUSE_START.finditer(text, 0, verb.start())]
    clause = text[starts[-1] if starts else 0:verb.start()]
    return bool(_GERUND_SUBJECT.match(clause) or _DIRECTIVE_USE.match(clause)) and not _THIS_API.search(clause)


def _bullet_value(raw: str, m: re.Match[str]) -> str | None:
    """The value a directive's enclosing list item names: the nearest less indented line above it."""
    indent = len(m.group("indent").expandtabs())
    for line in reversed(raw[: m.start()].split("\n")):
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            bullet = _VALUE_BULLET.match(line)
            return bullet.group("value").strip() if bullet is not None else None
    return None


def _bullet_literal(value: str) -> str:
    """A listed value as a canonical literal: ``True`` as is, a bare word (``noload``) as the string
    the docs mean by it."""
    return canonical_literal(value) or repr(value)


_SUBJECT_RE = re.compile(r"^\W*(?:the\s+)?(?::\w+:)?`+~?(?P<name>[\w.]+)`+\s+(?:[a-z]+\s+)?"
                         r"(?:is|are|was|has\s+been)\s+(?:now\s+)?deprecated", re.I)


def _module_member_subject(f: _File, message: str | None) -> _Scope | None:
    """numpy/typing/__init__.py: a ``.. deprecated::`` in the module docstring whose text says
    "The :class:`~numpy.typing.NBitBase` helper is deprecated" is about that name, not the module."""
    m = _SUBJECT_RE.match(message or "")
    if m is None:
        return None
    name = m.group("name").removeprefix(f"{f.module}.")
    if name in f.info.defs:
        return _Scope(f.info.defs[name], name)
    return _Scope("attribute", name) if name in f.info.imports else None


def _directive_body(raw: str, m: re.Match[str]) -> str:
    """The lines indented under the directive."""
    indent = len(m.group("indent").expandtabs())
    lines: list[str] = []
    for line in raw[m.end():].split("\n")[1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        lines.append(line.strip())
    return "\n".join(lines).strip().rstrip("\"'")


def _directive_subject(scope: _Scope, raw: str, m: re.Match[str]) -> tuple[_Scope, str | None] | None:
    """A directive under a numpydoc parameter / attribute entry is about that entry.

    None when it sits under an entry of another section (numpy ``broadcast_arrays``: under
    "Returns", "The output is currently marked so that if written to ..." is about the result).
    """
    indent = len(m.group("indent").expandtabs())
    above = raw[: m.start()].split("\n")
    base = _base_indent(raw)
    entry: str | None = None
    for i in range(len(above) - 1, -1, -1):
        line = above[i]
        if not line.strip():
            continue
        line_indent = len(line) - len(line.lstrip())
        if entry is None and line_indent < indent:
            if _ADMONITION.match(line):
                return None     # numpy ``nonzero``: under ``.. note::`` it is about what the note says
            header = _google_section(line)
            if header is not None:      # under the header, in no entry: which one cannot be told
                return None if header in _RESULT_SECTIONS else (scope, None)
            field = _SPHINX_FIELD.match(line)
            if field is not None:
                return _sphinx_field_subject(scope, field)
            pm = _PARAM_LINE.match(line) or _GOOGLE_ENTRY.match(line)
            if pm is None:
                if i > 0 and line_indent > base:
                    # The entry's description, less indented than the directive (sklearn 1.5
                    # ``loss_function_``): its entry is further up.
                    indent = line_indent
                    continue
                return scope, None
            entry = pm.group("name")
            indent = line_indent
            continue
        google = _google_section(line) if entry is not None and line_indent < indent else None
        if google is not None or (entry is not None and _SECTION_UNDERLINE.match(line) and i > 0):
            section = google or above[i - 1].strip().lower()
            if section in _PARAM_SECTIONS and scope.kind != "module":
                return _Scope("parameter", scope.target), entry
            if section == "attributes" and scope.kind == "class":
                return _Scope("attribute", f"{scope.target}.{entry}"), None
            return None if section in _RESULT_SECTIONS else (scope, None)
    return scope, None


def _sphinx_field_subject(scope: _Scope, field: re.Match[str]) -> tuple[_Scope, str | None] | None:
    """A directive in a Sphinx ``:param name:`` field is about that parameter (SQLAlchemy ``Enum``:
    under ":param inherit_schema:", "Setting the :paramref:`.Enum.inherit_schema` parameter is
    deprecated"), never the API; one in any other field (":returns:", ":raises:") is not told apart
    from what that field is about: nothing."""
    words = field.group("args").split()
    if field.group("field").lower() not in _SPHINX_PARAM_FIELDS or not words or scope.kind == "module":
        return None
    # ":param str name:" puts the type first; ":param lazy='select':" a default after the name
    name = words[-1].split("=", 1)[0].lstrip("*")
    return (_Scope("parameter", scope.target), name) if name.isidentifier() else None


def _google_section(line: str) -> str | None:
    """The lower-cased name of a Google-style section header ("Args:", "Returns:"), if it is one."""
    m = _GOOGLE_SECTION.match(line)
    if m is None:
        return None
    section = m.group("section").lower()
    return section if section in _PARAM_SECTIONS | _RESULT_SECTIONS | {"attributes"} else None


def _base_indent(raw: str) -> int:
    """The indentation of a docstring's body (its lines after the first)."""
    indents = [len(line) - len(line.lstrip()) for line in raw.split("\n")[1:] if line.strip()]
    return min(indents, default=0)


# --- attached docstrings ---------------------------------------------------------------------------
# Functions written in C get their docstrings at import: torch/_torch_docs.py calls
# `add_docstr(torch.qr, r"""...""")`. Such a text is read as the named function's docstring: its
# `.. deprecated::` directives, and the admonitions (`.. warning::`, `.. note::`) that open by saying
# the function itself is deprecated (":func:`torch.qr` is deprecated in favor of :func:`torch.linalg.qr`",
# "This function is deprecated ... Use :func:`torch.outer` instead"), not a behaviour or an argument
# of it ("This behavior is deprecated and will be changed ...").
_ATTACH_RE = re.compile(rb"\b_?add_docstr\s*\(")
_ATTACHERS = frozenset({"add_docstr", "_add_docstr"})
_ADMONITION_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+(?:warning|note|attention|caution|important)::"
                               r"[ \t]*(?P<first>[^\n]*)$", re.M | re.I)
_SELF_SUBJECT = re.compile(r"^\W*(?:this\s+(?:function|method|alias|class)|(?::\w+:)?`+~?(?P<name>[\w.]+)(?:\(\))?`+"
                           r"|(?P<plain>[A-Za-z_][\w.]*)(?:\(\))?)"
                           r"\s+(?:is|has\s+been)\s+(?:now\s+)?deprecated\b", re.I)


def _find_attached_docstrings(f: _File) -> None:
    for m in _ATTACH_RE.finditer(f.source):
        call = _ancestor(_node_at(f, m.start(), m.end()), ("call",))
        func = call.child_by_field_name("function") if call is not None else None
        if func is None or _last(_text(func)) not in _ATTACHERS:
            continue
        args, _ = _call_args(call)
        if len(args) != 2 or args[0].type not in ("attribute", "identifier"):
            continue
        absolute = _absolute_name(f, _text(args[0]))
        text = _message(f, args[1])
        if absolute is None or "." not in absolute or not text:
            continue
        module, _, name = absolute.rpartition(".")
        for finding in _attached_findings(f, name, args[1], text):
            finding.module = module
            f.findings.append(finding)


def _absolute_name(f: _File, dotted: str) -> str | None:
    """`torch.qr` where the file did `import torch`: the dotted name through the file's imports
    (None for a name the file defines itself)."""
    head, _, rest = dotted.partition(".")
    imported = f.info.imports.get(head)
    if imported is None:
        return None
    module, name = imported
    base = f"{module}.{name}" if name else module
    return f"{base}.{rest}" if rest else base


def _attached_findings(f: _File, name: str, node: Node, text: str) -> list[RawFinding]:
    scope = _Scope("function", name)
    first_line = _line(node)
    found = []
    for m in _DIRECTIVE_RE.finditer(text):
        finding = _directive_finding(f, scope, node, text, m, first_line + text.count("\n", 0, m.start()))
        if finding is not None:
            found.append(finding)
    return found + _admonition_findings(f, scope, name, node, text, first_line)


def _admonition_findings(f: _File, scope: _Scope, name: str, node: Node, text: str,
                         first_line: int) -> list[RawFinding]:
    """The admonitions of an API's docstring that open by saying the API itself is deprecated
    (":func:`torch.qr` is deprecated in favor of ...", "This function is deprecated ...",
    "torch.norm is deprecated and may be removed ..."), not a behaviour or an argument of it."""
    found = []
    for m in _ADMONITION_BLOCK.finditer(text):
        message = " ".join((m.group("first") + "\n" + _directive_body(text, m)).split())
        subject = _SELF_SUBJECT.match(message)
        named = subject.group("name") or subject.group("plain") if subject is not None else None
        if subject is None or (named and _last(named) != name):
            continue
        finding = _finding(f, DOCSTRING, scope, node, message)
        finding.line = first_line + text.count("\n", 0, m.start())
        finding.text = " ".join(m.group(0).split())[:_SNIPPET_CHARS]
        found.append(finding)
    return found


# --- output ----------------------------------------------------------------------------------------


def _dedupe(findings: list[RawFinding]) -> list[RawFinding]:
    """Overloads and repeated table lookups yield the same finding twice: keep the first."""
    seen: set[tuple[object, ...]] = set()
    out: list[RawFinding] = []
    for finding in findings:
        key = (finding.evidence_kind, finding.kind, finding.module, finding.target, finding.parameter, finding.message,
               finding.value_table)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out
