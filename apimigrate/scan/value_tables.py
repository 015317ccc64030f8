"""A warning under ``if name in TABLE:`` is about passing one of the table's keys.

pandas keeps its deprecated frequency aliases in module-level dicts of old -> new spelling, and
tests the string it is given against them before warning:

    cdef dict c_DEPR_ABBREVS = {"H": "h", "T": "min", "S": "s", ...}          # tslibs/dtypes.pyx

    cpdef to_offset(freq, bint is_period=False):                              # tslibs/offsets.pyx
        split = opattern.split(freq)
        tups = zip(split[0::4], split[1::4], split[2::4])
        for n, (sep, stride, name) in enumerate(tups):
            if not is_period and name.upper() in c_OFFSET_DEPR_FREQSTR:
                warnings.warn(f"'{name}' is deprecated ..., please use "
                              f"'{c_OFFSET_DEPR_FREQSTR.get(name.upper())}' instead.", FutureWarning)

pandas 3.1 looks the replacement up first (``replacement = TABLE.get(name)`` then ``if
replacement is not None:``). Either way the branch says which values warn (the table's keys) and
what each becomes (its values), though the message quotes neither. Three things about the test
travel with the row:

* the tested name may be a piece of the parameter's string rather than the string itself (here
  the name after a count, ``"15T"`` -> ``"T"``): the value is then matched as such a piece;
* ``name.upper() in TABLE`` tests the upper-cased piece, so ``"m"`` warns as ``"M"`` does;
* other conjuncts of the test that are a parameter's falsity (``not is_period``) say the warning
  runs only when that parameter is false: a caller passing ``is_period=True`` never sees it
  (scan/forwarding.py reads this).

The table is often defined in another module (a ``cimport``): the extractor records the name the
test uses and the runner joins it with the tables every module defines (``table_entries``).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from tree_sitter import Node

from apimigrate.db.records import VALUE_TOKEN, canonical_literal

from .model import ModuleInfo, RawFinding
from .syntax import SCOPES, string_value
from .value_guards import branch_condition, conjuncts, unparenthesized

# RawFinding.value_form / Deprecation.value_form parts
TOKEN = VALUE_TOKEN  # the value is the name a count may precede: "15T" passes "T"
UPPER = "upper"     # the value is tested upper-cased: "m" passes "M"

_CASE_METHODS = {"upper": UPPER, "lower": "lower", "casefold": "lower"}
_SAME, _COMPUTED, _PIECE = "same", "computed", "piece"
_MAX_DEPTH = 12     # each step goes back in the def: no cycle, only a long chain


@dataclass(frozen=True)
class TableGuard:
    parameter: str
    table: str                   # the table's name as the file writes it
    form: str                    # "" or TOKEN / UPPER joined by commas
    unless: tuple[str, ...]      # parameters the branch also requires false


def table_guard(call: Node, func: Node, params: list[str]) -> TableGuard | None:
    """The table test of one of `params` (or of a piece of one) that the innermost if/elif branch
    around `call` makes, every other conjunct being a parameter's falsity; None otherwise."""
    condition = branch_condition(call, func)
    if condition is None:
        return None
    found, unless = None, []
    bindings = DefBindings(func, params)
    for part in conjuncts(condition):
        negated = _negated_parameter(part, params)
        if negated is not None:
            unless.append(negated)
            continue
        test = _membership(part, bindings) or _looked_up(part, bindings)
        if test is None or found is not None:
            return None         # a test of anything else: which calls warn is not the table's to say
        found = test
    return replace(found, unless=tuple(unless)) if found is not None else None


def module_tables(root: Node) -> dict[str, dict[str, str | None]]:
    """Top-level ``NAME = {"key": "value", ...}`` (``cdef dict NAME = ...`` read as Python) and set
    literals of strings: name -> key -> value (None for a set, or a value that is no plain string)."""
    tables: dict[str, dict[str, str | None]] = {}
    for stmt in root.named_children:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_child_count else None
        if node is None or node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            continue
        entries = _literal_entries(right)
        if entries:
            tables[left.text.decode()] = entries
    return tables


def table_entries(value_tables: dict[str, dict[str, str | None]]) -> tuple[list[str], dict[str, str]]:
    """A table's keys as canonical literals, and the equivalents its plain-string values name."""
    values, equivalents = [], {}
    renames = any(new is not None for new in value_tables.values())
    for key, new in value_tables.items():
        if renames and new is None:
            continue    # pandas 3.1's `"us": (Micro, 1)`: an object the key stands for, no deprecated spelling
        old = canonical_literal(repr(key))
        if old is None:
            continue
        values.append(old)
        new_literal = canonical_literal(repr(new)) if new is not None else None
        if new_literal is not None and new_literal != old:
            equivalents[old] = new_literal
    return sorted(values), equivalents


def _membership(part: Node, bindings: DefBindings) -> TableGuard | None:
    """`x in TABLE` with x a parameter or a piece of one, maybe case-folded."""
    if part.type != "comparison_operator" or part.named_child_count != 2:
        return None
    if [c.type for c in part.children if not c.is_named] != ["in"]:
        return None
    subject, table = part.named_children
    return _table_test(subject, table, part, bindings)


def _looked_up(part: Node, bindings: DefBindings) -> TableGuard | None:
    """`r is not None` (or a bare `r`) where the def set `r = TABLE.get(x)` before the test."""
    name = part
    if part.type == "comparison_operator" and part.named_child_count == 2:
        operators = [c.type for c in part.children if not c.is_named]
        left, right = part.named_children
        if operators not in (["is not"], ["is", "not"], ["!="]) or right.type != "none":
            return None
        name = left
    if name.type != "identifier":
        return None
    binding = bindings.last(name.text.decode(), part.start_byte)
    value = binding[0] if binding is not None and not binding[1] else None
    if value is None or value.type != "call":
        return None
    callee, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if callee is None or callee.type != "attribute" or args is None or args.named_child_count != 1 \
            or callee.child_by_field_name("attribute").text != b"get":
        return None
    return _table_test(args.named_children[0], callee.child_by_field_name("object"), part, bindings)


def _table_test(subject: Node, table: Node, at: Node, bindings: DefBindings) -> TableGuard | None:
    if table.type != "identifier" or table.text.decode() in bindings.params or bindings.assigned(table.text.decode()):
        return None             # a local, a parameter, a list the def fills: no module's table
    form: list[str] = []
    fold = None
    if subject.type == "call" and subject.child_by_field_name("arguments") is not None \
            and subject.child_by_field_name("arguments").named_child_count == 0:
        callee = subject.child_by_field_name("function")
        if callee is not None and callee.type == "attribute":
            fold = _CASE_METHODS.get(callee.child_by_field_name("attribute").text.decode())
            if fold is not None:
                subject = callee.child_by_field_name("object")
    if subject.type != "identifier":
        return None
    source = bindings.derived_from(subject.text.decode(), at.start_byte)
    if source is None:
        return None
    parameter, piece = source
    if piece:
        form.append(TOKEN)
    if fold == "lower":
        return None             # keys the table writes in upper case never match a lower-cased piece
    if fold == UPPER:
        form.append(UPPER)
    return TableGuard(parameter, table.text.decode(), ",".join(form), ())


class DefBindings:
    """Where a def binds each name: (the byte the binding is done at, the expression bound from,
    whether a loop binds it), read in one walk of the body and asked many times."""

    def __init__(self, func: Node, params: list[str], nodes: list[Node] | None = None) -> None:
        """`nodes`: the body's nodes (`descendants`), or its calls, assignments and loops among
        them (body_nodes.py), when the caller found them already."""
        self.func, self.params = func, params
        self.by_name: dict[str, list[tuple[int, Node, bool, Node]]] = {}
        # each binding's state, once: expressions of many names would otherwise be walked again
        # and again (scipy's long numeric defs)
        self._states: dict[tuple[str, int], tuple[str, str] | None] = {}
        self._sorted: dict[str, list[int]] = {}
        self._nodes = nodes
        self._read = False

    def _read_body(self) -> None:
        """Walked on the first question: most warnings' branches test no table, and ask none."""
        self._read = True
        func = self.func
        for node in self._nodes if self._nodes is not None else descendants(func.child_by_field_name("body")):
            if node.type == "call":
                grown = _appended_to(node)
                if grown is not None:
                    # a list the def fills (`unit.append(c)`) holds what it was filled with
                    self.by_name.setdefault(grown, []).append((node.end_byte, node, False, node))
                continue
            if node.type not in ("assignment", "for_statement"):
                continue
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
            if target is None or value is None:
                continue
            loop = node.type == "for_statement"
            # an assignment binds once it is done; a loop's variable, inside the loop
            done = value.end_byte if loop else node.end_byte
            for ident, bound in _pairs(target, value, loop):
                self.by_name.setdefault(ident.text.decode(), []).append((done, bound, loop, node))

    def last(self, name: str, before: int) -> tuple[Node, bool] | None:
        """The expression the last binding of `name` done before byte `before` binds it from; not
        one in another branch of an if statement `before` is in (pandas' `TimeGrouper`: `freq =
        to_offset(freq, is_period=True)` under the if, `freq = to_offset(freq)` in the else), nor
        one a string given never meets: a default filled in for None (`if freq is None and ...:
        freq = "D"` in `timedelta_range`), a conversion of another type (`if isinstance(freq,
        BaseOffset): freq = freq.name`). The values tables hold are strings."""
        if not self._read:
            self._read_body()
        bindings = self.by_name.get(name)
        if not bindings:
            return None
        if name not in self._sorted:
            bindings.sort(key=lambda b: b[0])
            self._sorted[name] = [b[0] for b in bindings]
        # the latest first: scipy's 4,700-line `get_lebedev_sphere` binds `start` a thousand times
        for i in range(bisect_right(self._sorted[name], before) - 1, -1, -1):
            _, value, loop, node = bindings[i]
            if not _other_branch(node, before, self.func) and not _not_for_strings(node, name, before, self.func):
                return value, loop
        return None

    def kept_on_some_path(self, name: str, before: int) -> bool:
        """Whether `name` may still hold what the def was given at byte `before`: every binding of
        it done before then sits in an if statement that ended before it and has no `else`, so
        that where none of its tests holds, nothing rebound it (pandas' `bdate_range`: `if
        isinstance(freq, str) and freq.startswith("C"): freq = prefix_mapping[freq](...)`, then
        `date_range(freq=freq)`), unless the branch is taken by every string (`if isinstance(freq,
        str): freq = freq.upper()`: what goes on as given is no string)."""
        if not self._read:
            self._read_body()
        done = [node for at, _, _, node in self.by_name.get(name, ()) if at <= before]
        return bool(done) and all(_in_if_without_else(node, name, before, self.func) for node in done)

    def assigned(self, name: str) -> bool:
        if not self._read:
            self._read_body()
        return name in self.by_name

    def derived_from(self, name: str, before: int) -> tuple[str, bool] | None:
        """(parameter, whether `name` holds a piece of it) when `name`, as the def has it at byte
        `before`, is a parameter, or an element of something computed from exactly one (a loop
        variable over it: pandas' `for n, (sep, stride, name) in enumerate(tups)`, `tups` from
        `split = opattern.split(freq)`), or a value computed from such a piece, or a list filled
        with such pieces (pandas' timedelta parser: `for c in ts: ... unit.append(c)`, then
        `unit = "".join(unit)` in the helper it is handed to). A value computed from the whole
        parameter is neither, and one from several parameters is from none."""
        found = self._state(name, before, 0)
        return None if found is None or found[1] == _COMPUTED else (found[0], found[1] == _PIECE)

    def _state(self, name: str, before: int, depth: int) -> tuple[str, str] | None:
        if depth > _MAX_DEPTH:
            return None
        binding = self.last(name, before)
        if binding is None:
            return (name, _SAME) if name in self.params else None
        key = (name, binding[0].id)
        if key not in self._states:
            self._states[key] = None        # a name bound from itself (`x = x + 1`) leads nowhere new
            self._states[key] = self._bound_state(binding, depth)
        return self._states[key]

    def _bound_state(self, binding: tuple[Node, bool], depth: int) -> tuple[str, str] | None:
        value, loop = binding
        joined = _joined(value)
        if joined is not None:
            value = joined      # `"".join(unit)` is the string its pieces spell, and a string is its own pieces
        if value.type == "identifier" and not loop:
            return self._state(value.text.decode(), value.start_byte, depth + 1)
        sources = {found for ident in _identifiers(value)
                   if (found := self._state(ident.text.decode(), ident.start_byte, depth + 1)) is not None}
        pieces = {param for param, state in sources if state == _PIECE}
        if len(pieces) == 1:
            # pandas 3.1's `name = _warn_about_deprecated_aliases(name, is_period)`: still a piece of
            # `freq`, whatever flag goes with it
            return pieces.pop(), _PIECE
        if len({param for param, _ in sources}) != 1:
            return None
        return next(iter(sources))[0], _PIECE if loop else _COMPUTED


def _pairs(target: Node, value: Node, loop: bool) -> list[tuple[Node, Node]]:
    """Each name a binding binds, with the expression it binds it from: `unit, number = [], [c]`
    binds `unit` from `[]` alone; a loop, or an unpacking of one value, binds each from the whole."""
    names, values = target.named_children, value.named_children
    if not loop and target.type in ("pattern_list", "tuple_pattern") and value.type == "expression_list" \
            and all(n.type == "identifier" for n in names):
        return list(zip(names, values))
    return [(ident, value) for ident in _identifiers(target, targets_only=True)]


def _appended_to(call: Node) -> str | None:
    """The name of the list `name.append(x)` grows."""
    callee, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
    if callee is None or callee.type != "attribute" or args is None or args.named_child_count != 1 \
            or callee.child_by_field_name("attribute").text != b"append":
        return None
    return callee.child_by_field_name("object").text.decode()


def _joined(value: Node) -> Node | None:
    """The argument of `"".join(x)`."""
    callee, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if value.type != "call" or callee is None or callee.type != "attribute" or args is None \
            or args.named_child_count != 1 or callee.child_by_field_name("attribute").text != b"join":
        return None
    owner = callee.child_by_field_name("object")
    return args.named_children[0] if owner.type == "string" and string_value(owner) == "" else None


def _in_if_without_else(node: Node, name: str, at: int, func: Node) -> bool:
    """Whether `node` sits in a branch of an if statement with no `else` that ends before byte `at`,
    one that not every string of `name` takes."""
    child, cur = node, node.parent
    while cur is not None and cur != func:
        if cur.type in ("if_statement", "elif_clause") and child == cur.child_by_field_name("consequence") \
                and _admits_every_string(cur.child_by_field_name("condition"), name):
            return False
        if cur.type == "if_statement" and cur.end_byte <= at:
            return not any(c.type == "else_clause" for c in cur.children)
        child, cur = cur, cur.parent
    return False


def _admits_every_string(condition: Node | None, name: str) -> bool:
    """`isinstance(name, str)`, `isinstance(name, (str, BaseOffset))`: the test alone, str among the types."""
    types = _isinstance_types(unparenthesized(condition), name) if condition is not None else None
    return bool(types) and any(t.text.split(b".")[-1] == b"str" for t in types)


def _other_branch(node: Node, at: int, func: Node) -> bool:
    """Whether `node` sits in a branch of an if statement that holds byte `at` in another branch."""
    cur = node.parent
    while cur is not None and cur != func:
        parent = cur.parent
        if cur.type == "block" and parent is not None and parent.type in ("if_statement", "elif_clause", "else_clause"):
            statement = parent if parent.type == "if_statement" else parent.parent
            if statement is not None and statement.start_byte <= at < statement.end_byte \
                    and not cur.start_byte <= at < cur.end_byte:
                return True
        cur = parent
    return False


def _not_for_strings(binding: Node, name: str, at: int, func: Node) -> bool:
    """Whether `binding` sits in the body of an `if name is None [and ...]:` or `if isinstance(name,
    NotStr):` / `if type(name) is NotStr:` (however deep) that byte `at` is past: it binds `name` only
    where no string was given."""
    if binding.type != "assignment":
        return False
    child, cur = binding, binding.parent
    while cur is not None and cur != func:
        if cur.type in ("if_statement", "elif_clause") and child == cur.child_by_field_name("consequence"):
            statement = cur if cur.type == "if_statement" else cur.parent
            condition = cur.child_by_field_name("condition")
            passed = statement is not None and not statement.start_byte <= at < statement.end_byte
            if passed and condition is not None and any(_is_none_test(part, name) or _takes_no_string(part, name)
                                                        for part in conjuncts(condition)):
                return True
        child, cur = cur, cur.parent
    return False


def never_a_string(node: Node, name: str, func: Node) -> bool:
    """Whether `name` holds no string where `node` runs: in the branch of an `if isinstance(name,
    NotStr)` / `if type(name) is NotStr` (pandas' `elif isinstance(val, (np.timedelta64,
    dt.timedelta)): val = Timedelta(val)`), or past a test that takes every string elsewhere (the
    `else` of `if isinstance(name, str):`). The values tables hold are strings: such a call never
    passes one on."""
    child, cur = node, node.parent
    while cur is not None and cur != func:
        if cur.type in ("if_statement", "elif_clause") and child == cur.child_by_field_name("consequence"):
            condition = cur.child_by_field_name("condition")
            if condition is not None and any(_takes_no_string(part, name) for part in conjuncts(condition)):
                return True
        if cur.type in ("elif_clause", "else_clause") and cur.parent is not None \
                and cur.parent.type == "if_statement" and _strings_taken_before(cur.parent, cur, name):
            return True
        child, cur = cur, cur.parent
    return False


def _strings_taken_before(statement: Node, branch: Node, name: str) -> bool:
    """Whether an if/elif of `statement` before `branch` takes every string of `name`."""
    tests = [statement.child_by_field_name("condition")]
    tests += [c.child_by_field_name("condition") for c in statement.children
              if c.type == "elif_clause" and c.end_byte <= branch.start_byte]
    return any(t is not None and _admits_every_string(t, name) for t in tests)


def _takes_no_string(part: Node, name: str) -> bool:
    """A test that holds for no string: `isinstance(name, NotStr)`, `type(name) is NotStr`."""
    return _is_other_type_test(part, name) or _is_other_type_identity(part, name)


def _is_other_type_identity(node: Node, name: str) -> bool:
    """`type(name) is T` / `type(name) == T` with T no str."""
    if node.type != "comparison_operator" or len(node.named_children) != 2:
        return False
    left, right = node.named_children
    if [c.type for c in node.children if not c.is_named] not in (["is"], ["=="]) or left.type != "call":
        return False
    callee, args = left.child_by_field_name("function"), left.child_by_field_name("arguments")
    return callee is not None and callee.text == b"type" and args is not None and len(args.named_children) == 1 \
        and args.named_children[0].text.decode() == name and right.type in ("identifier", "attribute") \
        and right.text.split(b".")[-1] != b"str"


def _is_none_test(node: Node, name: str) -> bool:
    if node.type != "comparison_operator" or len(node.named_children) != 2:
        return False
    left, right = node.named_children
    operators = [c.type for c in node.children if not c.is_named]
    return operators == ["is"] and left.type == "identifier" and left.text.decode() == name and right.type == "none"


def _is_other_type_test(node: Node, name: str) -> bool:
    """`isinstance(name, BaseOffset)`, `isinstance(name, (int, float))`: no str among the types."""
    types = _isinstance_types(node, name)
    return bool(types) and all(t.type in ("identifier", "attribute") and t.text.split(b".")[-1] != b"str"
                               for t in types)


def _isinstance_types(node: Node, name: str) -> list[Node] | None:
    """The type expressions of `isinstance(name, T)` / `isinstance(name, (T1, T2))`; None for any other node."""
    callee, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if node.type != "call" or callee is None or callee.text != b"isinstance" or args is None \
            or len(args.named_children) != 2:
        return None
    subject, types = args.named_children
    if subject.type != "identifier" or subject.text.decode() != name:
        return None
    return types.named_children if types.type == "tuple" else [types]


def descendants(node: Node | None):
    """Every node under `node` in source order, not entering nested defs and classes."""
    if node is None:
        return
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if n.type in SCOPES and n is not node:
            continue
        stack.extend(reversed(n.named_children))


def _identifiers(node: Node, targets_only: bool = False) -> list[Node]:
    """The names an expression reads (not attribute names, not keywords of a call); of a target,
    the names it binds."""
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            out.append(n)
            continue
        if n.type == "attribute":
            obj = n.child_by_field_name("object")
            if obj is not None and not targets_only:
                stack.append(obj)
            continue
        if n.type == "keyword_argument":
            value = n.child_by_field_name("value")
            if value is not None:
                stack.append(value)
            continue
        if targets_only and n.type in ("subscript", "call"):
            continue
        stack.extend(n.named_children)
    return out


def _negated_parameter(part: Node, params: list[str]) -> str | None:
    if part.type != "not_operator":
        return None
    arg = unparenthesized(part.child_by_field_name("argument"))
    return arg.text.decode() if arg is not None and arg.type == "identifier" and arg.text.decode() in params else None


def _literal_entries(node: Node) -> dict[str, str | None] | None:
    """A dict literal of plain-string keys (values: plain strings or None), or a set of strings."""
    if node.type == "dictionary":
        out: dict[str, str | None] = {}
        for pair in node.named_children:
            if pair.type == "comment":
                continue
            if pair.type != "pair":
                return None
            key = _plain_string(pair.child_by_field_name("key"))
            if key is None:
                return None
            out[key] = _plain_string(pair.child_by_field_name("value"))
        return out
    if node.type == "set":
        keys = [_plain_string(c) for c in node.named_children if c.type != "comment"]
        return {k: None for k in keys} if keys and None not in keys else None
    return None


def _plain_string(node: Node | None) -> str | None:
    """The value of a string literal without interpolation, else None."""
    if node is None or node.type != "string" or any(c.type == "interpolation" for c in node.named_children):
        return None
    return string_value(node)


def with_table_values(findings: list[RawFinding], modules: list[ModuleInfo]) -> list[RawFinding]:
    """`findings` with each table guard's values filled in from the table it names: the one its
    own module defines, else the one module of the library that defines a table of that name
    (pandas cimports its alias tables from tslibs/dtypes.pyx). A table found nowhere (computed:
    `frozenset(TABLE.values())`), or with no string keys, says nothing: its finding goes."""
    own = {m.module: m.value_tables for m in modules}
    defining: dict[str, list[dict[str, str | None]]] = {}
    for m in modules:
        for name, table in m.value_tables.items():
            defining.setdefault(name, []).append(table)
    out = []
    for f in findings:
        if f.value_table is None:
            out.append(f)
            continue
        table = own.get(f.module or "", {}).get(f.value_table)
        if table is None and len(defining.get(f.value_table, [])) == 1:
            table = defining[f.value_table][0]
        form = set(filter(None, f.value_form.split(",")))
        if table is not None and UPPER in form:
            # `name.upper() in TABLE`: "m" warns as "M" does (other mixed cases are not listed)
            table = {**{k.lower(): v for k, v in table.items()}, **table}
        values, equivalents = table_entries(table) if table is not None else ([], {})
        if values:
            f.values, f.value_map, f.value_form = values, equivalents, TOKEN if TOKEN in form else ""
            out.append(f)
    return out
