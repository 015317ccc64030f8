"""A value a function warns of warns through every function that passes its own argument on.

pandas warns of a deprecated frequency alias in one place, ``to_offset(freq)`` (or the helper it
hands a piece of ``freq`` to); users meet it as ``pd.date_range(freq="H")``, ``df.resample("M")``
or ``ts.dt.floor("T")``, each of which passes its argument down through a chain of private
functions: ``date_range`` -> ``DatetimeArray._generate_range(freq=freq)`` -> ``to_offset(freq)``;
``NDFrame.resample(rule)`` -> ``get_resampler(self, freq=rule)`` -> ``TimeGrouper(obj, **kwds)``
-> ``to_offset(freq)``. The extractor records, per def, the calls that pass one of its parameters
on unchanged (or a piece of one, ``name`` out of a loop over ``freq``'s parts), and its ``**kwargs``
passed on whole (``forward_calls``); the runner follows them back from each table-guarded value
finding (scan/value_tables.py) and gives each caller's parameter the same deprecated values
(``forwarded_findings``).

A class whose ``__new__`` picks another class to make (pandas' ``Grouper.__new__``: ``cls =
TimeGrouper`` when a ``freq`` is given) passes every argument on to the picked class's
``__init__``, which Python calls with the arguments ``Grouper(...)`` was given: ``pd.Grouper(key=
"when", freq="H")`` warns as ``TimeGrouper(freq="H")`` does. Where the pick depends on one keyword
being given, that keyword reaches the warning by name only, for every input; the others only when
it is given too (``conditional``).

A value a constructor keeps on the instance unchanged (``self.window = window`` in pandas'
``BaseWindow.__init__``) and a method of the class hands on (``to_offset(self.window)`` in
``Rolling._validate``) reaches the warning from the constructor's parameter: ``Rolling(window=)``,
and so ``df.rolling("2H")``. Whether the method runs and the attribute is not set again elsewhere
the scan does not follow: such a finding is ``conditional``.

A call that passes a parameter the guard requires false (``to_offset(freq, is_period=True)``: a
Period's "M" is its month, not a deprecated alias) is no way to the warning. One that passes a
value the caller computes for it, or that sits in a branch of a test of anything but the
forwarded parameter (pandas' ``TimeGrouper`` calls ``to_offset(freq, is_period=True)`` for a
PeriodIndex and ``to_offset(freq)`` otherwise), warns for some inputs only: the finding is
``conditional``. A call the argument reaches only as something other than a string (pandas'
``elif isinstance(val, (np.timedelta64, dt.timedelta)): val = Timedelta(val)``, ``if type(obj) is
datetime.timedelta: return Timedelta(obj)``) passes on no value a table holds, and is none.

A class is called with the arguments its ``__new__`` takes, where it has one (pandas' ``Timedelta``,
whose ``__new__(cls, value, unit, **kwargs)`` reads duration strings), else its ``__init__``'s.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from tree_sitter import Node

from apimigrate.db.records import FALSE_LITERALS, canonical_literal

from .body_nodes import BodyNodes
from .delegation import delegated_calls
from .kwargs_keywords import kwargs_parameter
from .library_defs import attribute_classes, defining, exported, resolve_written
from .model import ModuleInfo, RawFinding
from .signatures import decorator_names
from .syntax import def_name, first_parameter, string_value
from .value_guards import walk
from .value_tables import TOKEN, DefBindings, never_a_string

__all__ = ["forward_calls", "forwarded_findings"]

_INIT_METHODS = frozenset({"__init__", "__new__", "__post_init__", "__cinit__"})
_MAX_HOPS = 6          # date_range -> _generate_range -> to_offset is two; resample's, three
_KEEP_SLOT = -2        # a call passing every argument on where it got it: each keeps the callee's position
_ATTRIBUTE = "self."   # a method's argument that is an attribute of its instance, as recorded

Parameters = Callable[[Node], tuple[list[str], bool]]
Position = Callable[[Node, str], "int | None"]


def forward_calls(root: Node, parameters: Parameters, position: Position, local_defs: set[str],
                  heads: set[str] | None = None) -> list[dict]:
    """Each call in a def that passes one of its parameters on: {"caller": qualname as findings
    name it (a class for its `__init__`), "param", "piece" (a piece of it is passed), "callee" as
    written, "cls" (the enclosing class), "position" / "keyword" (where it goes, "**" for the def's
    own `**kwargs` passed whole), "passed" (other keywords: canonical literal, or "" when not one),
    "branch" (under a test of something else), "line", "slot" (where a call of the caller passes
    the parameter: 0-based, -1 keyword-only)}. `local_defs`: the module's defs and classes,
    whose calls may pass a piece of a parameter (pandas' helper); others only the parameter itself.
    `heads`: the first names of the callees that may be the library's (None: any); a def's own
    import is one."""
    out: list[dict] = []
    body_nodes = BodyNodes(root)
    for func, qualname, cls in _defs(root, [], None):
        names, _ = parameters(func)
        splat = kwargs_parameter(func)
        receiver = first_parameter(func) if cls is not None and qualname != cls else None
        # a def taking nothing (a method nothing but its instance) passes on nothing of its callers'
        # but the instance's attributes
        takes = bool(names) or splat is not None or def_name(func) == "__new__"
        if not takes and receiver is None:
            continue
        nodes = body_nodes.of(func)         # its calls, assignments, loops and imports, for all below
        imported = _local_imports(n for n in nodes if n.type == "import_from_statement")
        if cls is not None and def_name(func) == "__new__" and (first := first_parameter(func)) is not None:
            out += [entry for entry in _picked_classes(func, nodes, first, splat, qualname, cls, imported)
                    if heads is None or entry["callee"].split(".")[0] in heads | imported.keys()]
        bindings = DefBindings(func, names, nodes)        # (reads the body on the first question)
        if names and cls is not None and qualname == cls and def_name(func) == "__init__" \
                and (first := first_parameter(func)) is not None:
            out += _stored_parameters(func, nodes, first, bindings, qualname, position)
        calls = [n for n in nodes if n.type == "call" and _passes_on(n, receiver, names=takes)]
        out += _entries(func, calls, bindings, qualname, cls, splat, local_defs, imported, receiver, heads, position)
    return out


def _entries(func: Node, calls: list[Node], bindings: DefBindings, qualname: str, cls: str | None,
             splat: str | None, local_defs: set[str], imported: dict[str, str], receiver: str | None,
             heads: set[str] | None, position: Position) -> list[dict]:
    """The forward entries of one def's calls, each with its slot."""
    out: list[dict] = []
    slots: dict[str, int | None] = {}       # each parameter's, asked once per def
    for call in calls:
        if heads is not None and (head := _head(call)) not in heads and head not in imported:
            continue
        for entry in _forwards(call, bindings, qualname, cls, splat, local_defs, imported, receiver):
            param = entry["param"]
            if param.startswith(_ATTRIBUTE):
                entry["caller"], entry["slot"] = cls, None      # the instance's: the class's constructor
            elif param != "**":
                if param not in slots:
                    slots[param] = position(func, param)
                entry["slot"] = slots[param]
            else:
                entry["slot"] = -1
            out.append(entry)
    return out


def _stored_parameters(func: Node, nodes: list[Node], first: str, bindings: DefBindings, cls: str,
                       position: Position) -> list[dict]:
    """`self.window = window` in a constructor: the parameter kept on the instance as it was given
    (keyword "=", "callee" the attribute as `self.` spells it, whatever the def names its instance)."""
    out = []
    for node in nodes:
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "attribute" or right.type != "identifier":
            continue
        owner, attr = left.child_by_field_name("object"), left.child_by_field_name("attribute")
        if owner is None or attr is None or owner.text.decode() != first:
            continue
        found = bindings.derived_from(right.text.decode(), right.start_byte)
        if found is None or found[1]:
            continue
        param = found[0]
        out.append({"keyword": "=", "position": None, "param": param, "piece": False, "caller": cls,
                    "callee": _ATTRIBUTE + attr.text.decode(), "cls": cls, "passed": {},
                    "line": node.start_point[0] + 1, "branch": _under_other_test(node, func, param),
                    "origin": None, "slot": position(func, param)})
    return out


def _picked_classes(func: Node, nodes: list[Node], first: str, splat: str | None, qualname: str, cls: str,
                    imported: dict[str, str]) -> list[dict]:
    """`cls = TimeGrouper` in a `__new__` whose first parameter is `cls`: the class made is that
    one, and its `__init__` takes every argument the call was given, each where it takes it
    (keyword "*"). "given": the keyword of the def's `**kwargs` whose being given is all that the
    `if` around the pick tests (`if kwargs.get("freq") is not None:`)."""
    out = []
    for node in nodes:
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier" or left.text.decode() != first \
                or right.type not in ("identifier", "attribute"):
            continue
        given = _given_keyword(node, func, splat)
        written = _written(right)
        out.append({"keyword": "*", "position": None, "param": "*", "piece": False, "caller": qualname,
                    "callee": written, "cls": cls, "passed": {}, "line": node.start_point[0] + 1,
                    "branch": given is None and _under_other_test(node, func, "*"), "given": given,
                    "origin": imported.get(written.split(".")[0]), "slot": None})
    return out


def _given_keyword(node: Node, func: Node, splat: str | None) -> str | None:
    """The keyword `k` when every if around `node` (inside `func`) tests only that `splat` has it:
    `kwargs.get("k") is not None`, `kwargs.get("k")`, `"k" in kwargs`. None otherwise (no if at
    all, or one that tests anything else)."""
    keys: set[str] = set()
    cur = node.parent
    while cur is not None and cur != func:
        if cur.type in ("elif_clause", "else_clause", "conditional_expression"):
            return None
        if cur.type == "if_statement":
            key = _tested_keyword(cur.child_by_field_name("condition"), splat)
            if key is None:
                return None
            keys.add(key)
        cur = cur.parent
    return keys.pop() if len(keys) == 1 else None


def _tested_keyword(condition: Node | None, splat: str | None) -> str | None:
    if condition is None or splat is None:
        return None
    if condition.type == "comparison_operator":
        operators = [c.type for c in condition.children if not c.is_named]
        operands = condition.named_children
        if len(operands) == 2 and operators == ["in"] and operands[1].text.decode() == splat:
            return string_value(operands[0])
        if len(operands) == 2 and operators == ["is not"] and operands[1].type == "none":
            condition = operands[0]
        else:
            return None
    if condition.type != "call":
        return None
    callee, args = condition.child_by_field_name("function"), condition.child_by_field_name("arguments")
    if callee is None or args is None or _written(callee) != f"{splat}.get" or len(args.named_children) != 1:
        return None
    return string_value(args.named_children[0])


def _head(call: Node) -> str:
    callee = call.child_by_field_name("function")
    return _written(callee).split(".")[0] if callee is not None else ""


def _written(callee: Node) -> str:
    return callee.text.decode().replace(" ", "").replace("\n", "")


def _passes_on(call: Node, receiver: str | None, *, names: bool) -> bool:
    """Whether the call passes an attribute of the method's `receiver` (`to_offset(self.window)`,
    `to_offset(freq=self.window)`), or, `names`, any name (a parameter, or a local from one)."""
    args = call.child_by_field_name("arguments")
    for a in args.named_children if args is not None else ():
        if names and a.type in ("identifier", "keyword_argument", "dictionary_splat"):
            return True
        value = a.child_by_field_name("value") if a.type == "keyword_argument" else a
        if _receiver_attribute(value, receiver) is not None:
            return True
    return False


def _receiver_attribute(value: Node | None, receiver: str | None) -> str | None:
    """`window` of `self.window`, `receiver` being `self`."""
    if value is None or receiver is None or value.type != "attribute":
        return None
    owner, attr = value.child_by_field_name("object"), value.child_by_field_name("attribute")
    if owner is None or attr is None or owner.type != "identifier" or owner.text.decode() != receiver:
        return None
    return attr.text.decode()


def _local_imports(statements) -> dict[str, str]:
    """Names a def imports for itself (`from pandas.core.resample import get_resampler` in
    `NDFrame.resample`) -> the absolute dotted name."""
    out: dict[str, str] = {}
    for node in statements:
        module = node.child_by_field_name("module_name")
        if module is None or module.type == "relative_import":
            continue
        for item in node.children_by_field_name("name"):
            if item.type == "aliased_import":
                name, alias = item.child_by_field_name("name"), item.child_by_field_name("alias")
            else:
                name = alias = item
            if name is not None and alias is not None:
                out[alias.text.decode()] = f"{module.text.decode()}.{name.text.decode()}"
    return out


def _defs(node: Node, prefix: list[str], cls: str | None):
    body = node if node.type == "module" else node.child_by_field_name("body")
    for decorated in body.named_children if body is not None else ():
        stmt = decorated.child_by_field_name("definition") or decorated \
            if decorated.type == "decorated_definition" else decorated
        name_node = stmt.child_by_field_name("name")
        if name_node is None:
            continue
        name = name_node.text.decode()
        if stmt.type == "function_definition":
            if cls is not None and name.startswith("__") and name not in _INIT_METHODS:
                continue        # `offset == "M"` reaches `__eq__(other)`: no keyword anyone passes
            if _is_property(decorated):
                continue        # a setter's value is assigned, not passed by name
            qual = prefix if (cls is not None and name in _INIT_METHODS) else [*prefix, name]
            yield stmt, ".".join(qual), cls
        elif stmt.type == "class_definition":
            yield from _defs(stmt, [*prefix, name], ".".join([*prefix, name]))


def _is_property(decorated: Node) -> bool:
    return any("property" in name or name in ("setter", "getter", "deleter") for name in decorator_names(decorated))


def _forwards(call: Node, bindings: DefBindings, qualname: str, cls: str | None, splat: str | None,
              local_defs: set[str], imported: dict[str, str], receiver: str | None = None) -> list[dict]:
    """`receiver`: a method's instance (`self`), whose attributes it passes on count too."""
    callee = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if callee is None or args is None or callee.type not in ("identifier", "attribute"):
        return []
    written = _written(callee)
    local = written.split(".")[0] in local_defs or written.split(".")[0] in ("self", "cls")
    passed: dict[str, str] = {}
    found: list[dict] = []
    position = 0
    for arg in args.named_children:
        if arg.type == "comment":
            continue
        if arg.type == "keyword_argument":
            key, value = arg.child_by_field_name("name"), arg.child_by_field_name("value")
            if key is None or value is None:
                continue
            passed[key.text.decode()] = canonical_literal(value.text.decode()) or ""
            source = _source(value, bindings, local, receiver)
            if source is not None and not never_a_string(call, value.text.decode(), bindings.func):
                found.append({"keyword": key.text.decode(), "position": None, "param": source[0], "piece": source[1],
                              "maybe": source[2]})
            continue
        if arg.type == "dictionary_splat":
            inner = arg.named_children[0] if arg.named_children else None
            if inner is not None and splat is not None and inner.type == "identifier" and inner.text.decode() == splat:
                # the def's named parameters: no keyword of theirs is ever in its **kwargs
                found.append({"keyword": "**", "position": None, "param": "**", "piece": False,
                              "own": list(bindings.params)})
            continue
        if arg.type == "list_splat":
            break                   # positions after a *args are unknown
        source = _source(arg, bindings, local, receiver)
        # a value test passes strings only: none goes on where the argument is known to be no string
        if source is not None and not never_a_string(call, arg.text.decode(), bindings.func):
            found.append({"keyword": None, "position": position, "param": source[0], "piece": source[1],
                          "maybe": source[2]})
        position += 1
    head = written.split(".")[0]
    for entry in found:
        entry.update(caller=qualname, callee=written, cls=cls, passed=passed, line=call.start_point[0] + 1,
                     branch=entry.pop("maybe", False) or _under_other_test(call, bindings.func, entry["param"]),
                     origin=imported.get(head))
    return found


def _source(value: Node, bindings: DefBindings, local: bool, receiver: str | None = None) \
        -> tuple[str, bool, bool] | None:
    """(parameter, piece, maybe) an argument carries: the parameter as given, or (to the module's
    own defs: pandas' alias helper) a piece of it; `maybe`: the parameter as given where no if
    before the call rebound it (`DefBindings.kept_on_some_path`), for some inputs only. A method's
    `self.window` is `_ATTRIBUTE + "window"` (forwarded_findings follows it to the constructor)."""
    if value.type == "attribute" and receiver is not None:
        attr = _receiver_attribute(value, receiver)
        return (_ATTRIBUTE + attr, False, False) if attr is not None else None
    if value.type != "identifier":
        return None
    name = value.text.decode()
    found = bindings.derived_from(name, value.start_byte)
    if found is None:
        kept = name in bindings.params and bindings.kept_on_some_path(name, value.start_byte)
        return (name, False, True) if kept else None
    if found[1] and not local:
        return None
    return found[0], found[1], False


def _under_other_test(call: Node, func: Node, param: str) -> bool:
    """Whether an if/elif/else around the call (inside the def) tests something other than `param`."""
    cur = call.parent
    while cur is not None and cur != func:
        if cur.type in ("if_statement", "elif_clause", "else_clause", "conditional_expression"):
            statement = cur if cur.type != "else_clause" and cur.type != "elif_clause" else cur.parent
            condition = statement.child_by_field_name("condition") if statement is not None else None
            if condition is None or not _only_tests(condition, param):
                return True
        cur = cur.parent
    return False


def _only_tests(condition: Node, param: str) -> bool:
    idents = [n for n in walk(condition) if n.type == "identifier"]
    return bool(idents) and all(n.text.decode() in (param, "None", "isinstance", "str") or _is_type_name(n)
                                for n in idents)


def _is_type_name(node: Node) -> bool:
    # `isinstance(freq, str)`, `isinstance(freq, BaseOffset)`: a test of the parameter's own type
    parent = node.parent
    return parent is not None and parent.type == "argument_list" and parent.named_children.index(node) > 0


# --- the runner's join ---------------------------------------------------------------------------


def forwarded_findings(findings: list[RawFinding], modules: list[ModuleInfo]) -> list[RawFinding]:
    """Findings for every parameter that passes its argument on to a table-guarded value finding's
    parameter, hop by hop (at most _MAX_HOPS), once for each table finding it reaches (pandas
    3.1's `to_offset` warns of its own tables and of its helper's). A parameter that reaches one
    through several calls is conditional only when every way is: a call in a branch found first
    gives way to an unconditional one found later, in the same hop or a longer way, and the
    callers of its parameter are reached again."""
    by_module = {m.module: m for m in modules if not m.path.endswith(".pyi")}
    frontier: dict[tuple[str, str, str], list[tuple[RawFinding, int]]] = {}
    for origin, f in enumerate(findings):
        if f.value_table is not None and f.values and f.module is not None and f.parameter:
            frontier.setdefault((f.module, f.target, f.parameter), []).append((f, origin))
    own = {(key, origin) for key, warned in frontier.items() for _, origin in warned}
    # (the caller's parameter, the table finding's index) -> what it passes on, in discovery order
    reached: dict[tuple[tuple[str, str, str], int], RawFinding] = {}
    calls = [(info, call) for info in by_module.values() for call in info.forwards]
    calls += delegated_calls(by_module)       # `@inherit_names(...)`, `@delegate_names(...)` members
    # Cython's `from pandas._libs.tslibs.offsets cimport to_offset` binds no Python name: a .pyx
    # module's unknown callee is the library's one top-level def of that name
    defined: dict[str, list[str]] = {}
    for info in by_module.values():
        for name, kind in info.defs.items():
            if kind in ("function", "class"):
                defined.setdefault(name, []).append(info.module)
    cimported = {name: modules[0] for name, modules in defined.items() if len(modules) == 1}
    # (module, class) -> attribute -> the constructor's call entry that keeps a parameter on it
    stores: dict[tuple[str, str], dict[str, tuple[ModuleInfo, dict]]] = {}
    for info, call in calls:
        if call["keyword"] == "=":
            stores.setdefault((info.module, call["cls"]), {})[call["callee"][len(_ATTRIBUTE):]] = (info, call)
    keeping: dict[tuple[str, str, str], tuple[ModuleInfo, dict] | None] = {}

    def kept_by(module: str, cls: str, param: str) -> tuple[ModuleInfo, dict] | None:
        """The constructor entry that keeps a method's `self.x` (`param`) for instances of `cls`."""
        key = (module, cls, param)
        if key not in keeping:
            keeping[key] = _store_of(by_module, stores, module, cls, param[len(_ATTRIBUTE):])
        return keeping[key]
    # a method's `self.x` passed on matters where the constructor of its class keeps `x`
    calls = [(info, call) for info, call in calls if call["keyword"] != "="
             and (not call["param"].startswith(_ATTRIBUTE) or kept_by(info.module, call["cls"], call["param"]))]
    routed = []             # (module, the call, the def it calls): the same at every hop
    callees: dict[tuple, tuple[str, str] | None] = {}      # what _callee reads of a call, per module
    for info, call in calls:
        key = (info.module, call["callee"], call["cls"], call.get("origin"))
        if key not in callees:
            callees[key] = _callee(by_module, info, call)
        target = callees[key]
        if target is None and info.path.endswith(".pyx") and call["callee"] in cimported:
            target = cimported[call["callee"]], call["callee"]
        if target is not None:
            routed.append((info, call, target))
    for _ in range(_MAX_HOPS):
        found: dict[tuple[str, str, str], list[tuple[RawFinding, int]]] = {}
        ends = {(module, qual) for module, qual, _ in frontier}
        for info, call, (module, qual) in routed:
            if (module, qual) not in ends:
                continue        # a def no finding of this hop is in
            for name, slot, warned in _reached(by_module, module, qual, call, frontier):
                key = (info.module, call["caller"], name)
                for source, origin in warned:
                    if (key, origin) in own or any(
                            call["passed"].get(p) not in (None, "") and call["passed"][p] not in FALSE_LITERALS
                            for p in source.unless):
                        continue        # the finding itself; `to_offset(freq, is_period=True)`: the guard is false
                    new = _passed_on(source, info, call, name, slot)
                    old = reached.get((key, origin))
                    if old is not None and (new.conditional or not old.conditional):
                        continue        # reached already, as surely
                    reached[(key, origin)] = new
                    found.setdefault(key, []).append((new, origin))
        found = _to_constructors(found, reached, kept_by)
        if not found:
            break
        frontier = found
    return list(reached.values())


def _to_constructors(found: dict[tuple[str, str, str], list[tuple[RawFinding, int]]],
                     reached: dict[tuple[tuple[str, str, str], int], RawFinding],
                     kept_by: Callable[[str, str, str], "tuple[ModuleInfo, dict] | None"],
                     ) -> dict[tuple[str, str, str], list[tuple[RawFinding, int]]]:
    """A method's `self.window` reached: the constructor parameter its class (or the nearest base
    that has one) keeps as that attribute, as the class's own; an attribute no constructor keeps
    leads nowhere. Neither is a finding of its own."""
    out: dict[tuple[str, str, str], list[tuple[RawFinding, int]]] = {}
    for key, warned in found.items():
        module, cls, name = key
        if not name.startswith(_ATTRIBUTE):
            out[key] = warned
            continue
        for _, origin in warned:
            reached.pop((key, origin), None)
        store = kept_by(module, cls, name)
        if store is None:
            continue
        info, call = store
        param = call["param"]
        lifted = (module, cls, param)
        for source, origin in warned:
            # the evidence is where the constructor keeps it (perhaps a base's, in another module)
            new = replace(source, target=cls, parameter=param, position=call["slot"], conditional=True,
                          path=info.path, line=call["line"], text=f"keeps {param} as {call['callee']}")
            if (lifted, origin) in reached:
                continue        # reached through a call already: that way says more
            reached[(lifted, origin)] = new
            out.setdefault(lifted, []).append((new, origin))
    return out


def _store_of(by_module: dict[str, ModuleInfo], stores: dict[tuple[str, str], dict[str, tuple[ModuleInfo, dict]]],
              module: str, cls: str, attr: str) -> tuple[ModuleInfo, dict] | None:
    """The entry of the constructor instances of `cls` run (its own, or the one it inherits) that
    keeps `attr`; none where that constructor does not keep it (pandas' `TimeGrouper.__init__`
    hands `freq` to `Grouper.__init__`: its names and positions are not the base's)."""
    place = defining(by_module, module, f"{cls}.__init__")
    return stores.get((place[0], place[1].rpartition(".")[0]), {}).get(attr) if place is not None else None


def _reached(by_module: dict[str, ModuleInfo], module: str, qual: str, call: dict,
             frontier: dict[tuple[str, str, str], list[tuple[RawFinding, int]]]):
    """(the caller's parameter, its position, the findings it reaches) through one recorded call."""
    if call["keyword"] in ("**", "*"):
        # the def's **kwargs passed whole: each keyword the callee warns of, as the caller's own,
        # but one the call passes itself (`TimeGrouper(freq=rule, **kwargs)`) or one the caller
        # takes by name (`resample(self, rule, **kwargs)`: `rule` is never in its kwargs); a
        # delegated member's every argument, each where the callee takes it
        taken = {*call.get("own", ()), *call["passed"]} if call["keyword"] == "**" else set()
        for (m, q, p), warned in frontier.items():
            if (m, q) == (module, qual) and p not in taken:
                yield p, -1 if call["keyword"] == "**" else _KEEP_SLOT, warned
        return
    param = call["keyword"]
    if param is None:
        names = _positional_names(by_module, module, qual, call)
        if names is None or call["position"] >= len(names):
            return
        param = names[call["position"]]
    warned = frontier.get((module, qual, param))
    if warned:
        yield call["param"], call.get("slot"), warned


def _positional_names(by_module: dict[str, ModuleInfo], module: str, qual: str, call: dict) -> list[str] | None:
    info = by_module.get(module)
    if info is None:
        return None
    is_class = info.defs.get(qual) == "class" or qual in info.members
    # a class is called as its `__new__` takes arguments where it has one (pandas' `Timedelta`)
    keys = [f"{qual}.__new__", f"{qual}.__init__"] if is_class else [qual]
    key = next((k for k in keys if k in info.params), keys[-1])
    # a def taking **kwargs has no closed list of names, but its positional ones keep their order
    names = info.params.get(key) or info.positional.get(key)
    if names is None:
        return None
    # a method's first name is the instance (or the class) the call is made on
    method = is_class or "." in qual
    return names[1:] if method and names and names[0] in ("self", "cls") else names


def _passed_on(source: RawFinding, info: ModuleInfo, call: dict, param: str, slot: int | None) -> RawFinding:
    form = set(filter(None, source.value_form.split(",")))
    if call["piece"]:
        form.add(TOKEN)
    computed = any(call["passed"].get(p) == "" for p in source.unless)
    given = call.get("given")
    position = source.position if slot == _KEEP_SLOT else slot
    if given == param:
        position = -1           # the class is picked when the keyword is given by name
    return replace(source, target=call["caller"], module=info.module, path=info.path, line=call["line"],
                   parameter=param, value_form=",".join(sorted(form)), unless=[],
                   position=position, forwarded=True,
                   conditional=source.conditional or call["branch"] or computed or given not in (None, param),
                   text=f"passes {param} on to {call['callee']}")


def _callee(by_module: dict[str, ModuleInfo], info: ModuleInfo, call: dict) -> tuple[str, str] | None:
    """(module, qualname) of the def or class a recorded call calls, as far as the module's own
    defs, its imports, the enclosing class and its hierarchy tell: a method a class inherits is
    its base's (`DatetimeArray.floor` is `TimelikeOps.floor`), `self._data.floor(freq)` calls the
    method of the class the attribute is annotated with (`_data: DatetimeArray`), the same one
    for each class of a union or none."""
    parts = call["callee"].split(".")
    head, rest = parts[0], parts[1:]
    if call.get("origin"):
        module, _, name = call["origin"].rpartition(".")
        place = exported(by_module, module, ".".join([name, *rest]))
    elif head in ("self", "cls") and call["cls"] and len(rest) == 1:
        place = info.module, f"{call['cls']}.{rest[0]}"
    elif head == "self" and call["cls"] and len(rest) == 2:
        places = {defining(by_module, module, f"{cls}.{rest[1]}")
                  for module, cls in attribute_classes(by_module, info.module, call["cls"], rest[0])}
        place = places.pop() if len(places) == 1 else None
    else:
        place = resolve_written(by_module, info, call["callee"])
    return defining(by_module, *place) if place is not None else None
