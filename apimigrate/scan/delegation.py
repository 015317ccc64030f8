"""Members a class decorator makes, each calling another class's namesake with its own arguments.

pandas gives `DatetimeIndex` (2.x) and the `.dt` accessor's `DatetimeProperties` their `floor`,
`round`, `to_period`... so:

    @inherit_names(DatetimeArray._field_ops + [m for m in DatetimeArray._datetimelike_methods
                                               if m not in ("tz_localize", "tz_convert", "strftime")],
                   DatetimeArray, wrap=True)
    class DatetimeIndex(DatetimeTimedeltaMixin): ...

    @delegate_names(delegate=DatetimeArray, accessors=[*DatetimeArray._datetimelike_methods, "as_unit"],
                    typ="method")
    class DatetimeProperties(Properties): ...

What `DatetimeArray.floor(freq)` warns of (a frequency alias, scan/forwarding.py), `s.dt.floor(freq)`
warns of. The names are class attributes of another module, concatenated, spread and filtered. The
extractor records each module's lists of strings as expressions (`string_lists`) and each class
decorator's arguments that may name a class or such a list (`delegations`); the runner evaluates
them over the whole library (`delegated_calls`): a decorator with exactly one argument naming a
library class and one naming a list of strings delegates those names to that class. One also
given a function (`accessor_mapping=lambda x: f"_dt_{x}"`) maps the names to others, and is none.

Expressions, as JSON lists: ["list", [item, ...]] (an item a string, or an expression spread into
it), ["ref", "Dotted.name"], ["add", left, right], ["without", expression, [string, ...]].
"""
from __future__ import annotations

from tree_sitter import Node

from .library_defs import class_place, defining, resolve_written
from .model import ModuleInfo
from .module_facts import module_statements
from .syntax import string_value

__all__ = ["delegated_calls", "delegations", "string_lists"]

_MAX_DEPTH = 10          # refs followed evaluating one list (pandas: three)
_DOTTED = ("identifier", "attribute")


# --- extraction ----------------------------------------------------------------------------------


def string_lists(statements, prefix: str = "") -> dict[str, list]:
    """Names bound to a list of strings a library could spell its members with, in the given
    top-level (or `prefix` class-body) statements and the class bodies among them: name (`Class.attr`
    in a class) -> expression. Not `__all__`, and not a bare name bound to another."""
    out: dict[str, list] = {}
    for stmt in statements:
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
        if stmt.type == "class_definition":
            body = stmt.child_by_field_name("body")
            name = stmt.child_by_field_name("name")
            if body is not None and name is not None:
                out.update(string_lists(module_statements(body), f"{prefix}{name.text.decode()}."))
            continue
        if stmt.type != "expression_statement":
            continue
        for assign in stmt.named_children:
            if assign.type != "assignment":
                continue
            left, right = assign.child_by_field_name("left"), assign.child_by_field_name("right")
            if left is None or right is None or left.type != "identifier" or left.text == b"__all__":
                continue
            expr = _string_list(right)
            if expr is not None and expr[0] != "ref":
                out[prefix + left.text.decode()] = expr
    return out


def delegations(statements, prefix: str = "") -> list[dict]:
    """Class decorator calls with two arguments or more that may name a class or a list of strings:
    {"cls": the decorated class's qualname, "args": their expressions, "line"}."""
    out: list[dict] = []
    for stmt in statements:
        decorated = stmt
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition") or stmt
        if stmt.type != "class_definition" or stmt.child_by_field_name("name") is None:
            continue
        qual = prefix + stmt.child_by_field_name("name").text.decode()
        if decorated.type == "decorated_definition":
            for decorator in decorated.named_children:
                if decorator.type == "decorator":
                    found = _decorator_args(decorator)
                    if found is not None:
                        out.append({"cls": qual, "args": found, "line": decorator.start_point[0] + 1})
        body = stmt.child_by_field_name("body")
        if body is not None:
            out.extend(delegations(module_statements(body), f"{qual}."))
    return out


def _decorator_args(decorator: Node) -> list[list] | None:
    call = decorator.named_children[0] if decorator.named_children else None
    args = call.child_by_field_name("arguments") if call is not None and call.type == "call" else None
    if args is None or args.type != "argument_list":
        return None
    found: list[list] = []
    for arg in args.named_children:
        value = arg.child_by_field_name("value") if arg.type == "keyword_argument" else arg
        if value is None:
            continue
        if value.type == "lambda":
            return None                 # names mapped to others: no namesakes called
        expr = _string_list(value)
        if expr is not None:
            found.append(expr)
    return found if len(found) >= 2 else None


def _string_list(node: Node) -> list | None:
    """The expression a list of strings is written as, or None when it may be anything else."""
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _string_list(node.named_children[0])
    if node.type in _DOTTED:
        text = node.text.decode().replace(" ", "")
        return ["ref", text] if all(p.isidentifier() for p in text.split(".")) else None
    if node.type in ("list", "tuple"):
        items: list = []
        for item in node.named_children:
            if item.type == "comment":
                continue
            if item.type == "list_splat":
                inner = _string_list(item.named_children[0]) if item.named_children else None
                if inner is None:
                    return None
                items.append(inner)
                continue
            value = string_value(item)
            if value is None:
                return None
            items.append(value)
        return ["list", items]
    if node.type == "binary_operator":
        operator = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator is None or operator.type != "+" or left is None or right is None:
            return None
        parts = _string_list(left), _string_list(right)
        return ["add", *parts] if None not in parts else None
    if node.type == "list_comprehension":
        return _filtered(node)
    return None


def _filtered(node: Node) -> list | None:
    """`[m for m in X if m not in ("a", "b")]` -> ["without", X, ["a", "b"]]."""
    body = node.child_by_field_name("body")
    clauses = [c for c in node.named_children if c.type in ("for_in_clause", "if_clause")]
    if body is None or body.type != "identifier" or not clauses or clauses[0].type != "for_in_clause":
        return None
    loop = clauses[0]
    var, source = loop.child_by_field_name("left"), loop.child_by_field_name("right")
    if var is None or source is None or var.text != body.text:
        return None
    inner = _string_list(source)
    if inner is None:
        return None
    excluded: list[str] = []
    for clause in clauses[1:]:
        test = clause.named_children[0] if clause.type == "if_clause" and clause.named_children else None
        if test is None or test.type != "comparison_operator" or len(test.named_children) != 2:
            return None
        subject, values = test.named_children
        operators = [c.type for c in test.children if not c.is_named]
        listed = _string_list(values)
        if operators != ["not in"] or subject.text != body.text or listed is None or listed[0] != "list" \
                or not all(isinstance(v, str) for v in listed[1]):
            return None
        excluded.extend(listed[1])
    return ["without", inner, excluded] if excluded else inner


# --- the runner's join ---------------------------------------------------------------------------


def delegated_calls(by_module: dict[str, ModuleInfo]) -> list[tuple[ModuleInfo, dict]]:
    """Each member a delegation makes, as a recorded call (scan/forwarding.py) of the delegate's
    namesake passing every argument on."""
    out: list[tuple[ModuleInfo, dict]] = []
    for info in by_module.values():
        for found in info.delegations:
            delegate, names = _delegate_and_names(by_module, info, found["args"])
            if delegate is None or names is None:
                continue
            for name in dict.fromkeys(names):
                out.append((info, {
                    "caller": f"{found['cls']}.{name}", "callee": f"{delegate}.{name}", "cls": found["cls"],
                    "keyword": "*", "position": None, "param": "*", "piece": False, "passed": {},
                    "branch": False, "line": found["line"], "origin": None, "slot": None}))
    return out


def _delegate_and_names(by_module: dict[str, ModuleInfo], info: ModuleInfo,
                        args: list[list]) -> tuple[str | None, list[str] | None]:
    if len(args) != 2:
        return None, None           # a third argument may be a mapping of the names, or anything
    classes = [a[1] for a in args if a[0] == "ref" and class_place(by_module, info, a[1]) is not None]
    lists = [v for a in args if not (a[0] == "ref" and a[1] in classes)
             if (v := _evaluate(by_module, info.module, None, a, 0)) is not None]
    if len(classes) != 1 or len(lists) != 1:
        return None, None
    return classes[0], lists[0]


def _evaluate(by_module: dict[str, ModuleInfo], module: str, scope: str | None, expr: list,
             depth: int) -> list[str] | None:
    """The strings an expression recorded in `module` (in class `scope`'s body) holds; None when
    some part is unknown."""
    if depth > _MAX_DEPTH:
        return None
    kind = expr[0]
    if kind == "list":
        out: list[str] = []
        for item in expr[1]:
            if isinstance(item, str):
                out.append(item)
                continue
            inner = _evaluate(by_module, module, scope, item, depth + 1)
            if inner is None:
                return None
            out.extend(inner)
        return out
    if kind == "add":
        left = _evaluate(by_module, module, scope, expr[1], depth + 1)
        right = _evaluate(by_module, module, scope, expr[2], depth + 1)
        return left + right if left is not None and right is not None else None
    if kind == "without":
        inner = _evaluate(by_module, module, scope, expr[1], depth + 1)
        return [v for v in inner if v not in expr[2]] if inner is not None else None
    if kind == "ref":
        return _named_list(by_module, module, scope, expr[1], depth + 1)
    return None


def _named_list(by_module: dict[str, ModuleInfo], module: str, scope: str | None, written: str,
                depth: int) -> list[str] | None:
    info = by_module.get(module)
    if info is None:
        return None
    # a class body reads its own earlier names first (`_datetimelike_ops = _field_ops + _bool_ops`)
    for key, key_scope in ((f"{scope}.{written}", scope), (written, None)) if scope else ((written, None),):
        if key in info.name_lists:
            return _evaluate(by_module, module, key_scope, info.name_lists[key], depth)
    place = resolve_written(by_module, info, written)
    if place is None:
        return None
    place = defining(by_module, *place) or place        # a list a base class defines
    other = by_module[place[0]]
    if place[1] not in other.name_lists:
        return None
    cls = place[1].rpartition(".")[0] or None
    return _evaluate(by_module, place[0], cls, other.name_lists[place[1]], depth)
