"""Compatibility code: deprecated APIs on the path for older versions of their library.

``np._core if np.__version__ >= "2" else np.core``, ``if parse_version(pd.__version__) < parse_version("2.1"):
df.applymap(f)``, ``try: from numpy import trapezoid / except ImportError: from numpy import trapz``:
the old spelling runs only where it still exists, and a project that supports both versions needs
it. Telling users to replace it tells them to drop that support, so such uses are marked
(`Reference.compat`), reported apart and never rewritten.

A branch is compatibility code when the condition that chooses it reads the library's version:
``<alias>.__version__`` (or ``np.version.version``, or ``from numpy import __version__``),
``version("numpy")`` / ``get_distribution("scikit-learn")``, a
module-level name assigned from one of those (``NP2 = np_version >= parse_version("2")``), or
probes the library with ``hasattr(np, "trapezoid")`` (its false side: the true side runs wherever the
name exists, today too), or asks a helper named after it for a version
(``is_numpy_available("2.0.0")``, ``module_available("numpy", minversion="2.0")``), or one about versions
given the library itself (``_version_predates(np, "1.22")``); a name assigned from
one of those, at module level or in the function (``major = np.__version__[:2]``), reads the version
too, and so does a name from elsewhere that says it holds a version or a check of one (``np_version``,
``PD_LT_2``, imported from the project's compat module; ``lt``/``ge``... in it give the direction). The
rest of a function body after ``if <condition>: return ...`` (no else) is that condition's false side.
When the condition compares the version (``>=``, ``<``...), only the branch for the older side counts: a
deprecated API in the ``>= 2`` branch is a plain finding. An equality (``major == "1."``,
``v.startswith("1.")``) is the older side when its version comes before the one that deprecated (or
removed) the API. An ``except ImportError/AttributeError:`` handler is a fallback when its ``try:``
imports or reaches into a library (``f = np.trapezoid``), not around ``cfg.option``. A use of a name
imported in compatibility code (``except ImportError: from numpy import byte_bounds``) is compatibility
code too. The other way round, a ``try:`` that binds a name gone from the library's newest release
(``try: from scipy.spatial.distance import wminkowski`` / ``except ImportError: from
scipy.spatial.distance import minkowski as wminkowski``) is the older side when a handler binds that
name too: today the import fails and the handler's name is the one used. A name only deprecated
still imports, and warns, today.
"""
from __future__ import annotations

import re
from functools import lru_cache

from tree_sitter import Node

from .bindings import dynamic_import_call, local_bindings, root_name
from .parsing import code_children, plain_assignment

# What a fallback for a missing name or module catches.
_FALLBACK_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError"})
# Calls that read an installed distribution's version from its name.
_VERSION_CALLS = frozenset({"version", "get_distribution", "distribution", "require"})
_WORD = re.compile(rb"\w+")
# Comparison operators -> whether "version OP literal" being true means the newer side.
_NEWER_WHEN_TRUE = {">": True, ">=": True, "==": True, "<": False, "<=": False, "!=": False}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_MAX_HOPS = 3
# Words of a version helper's name saying which side its being true is: `is_torch_greater_or_equal`.
_NEWER_WORDS = frozenset({"available", "greater", "ge", "gt", "gte", "least", "min", "newer", "after", "above"})
_OLDER_WORDS = frozenset({"less", "lt", "le", "lte", "older", "before", "below", "max", "predates"})
_VERSION_LITERAL = re.compile(r"(\d+(?:\.\d+)*)\.?(?:[._-]?(?:dev|a|b|rc|post)\d*)*")
# The usual import names, for flags named after them (`NP_LT_2`, `sp_version`) in another module.
_ABBREVIATIONS = {"numpy": "np", "pandas": "pd", "scipy": "sp", "sklearn": "sk", "matplotlib": "mpl"}
_NO_VERSION = "no version"        # a condition that does not read the library's version


class CompatBranches:
    """Per file: which nodes sit on a library's older-version path (computed on demand)."""

    def __init__(self, root: Node, data: bytes, aliases: dict[str, set[str]],
                 versions: dict[str, set[str]] | None = None) -> None:
        self.root = root
        self.data = data
        self.aliases = aliases                  # top-level package -> names bound to its imports
        self.versions = versions or {}          # ... -> names its version string is imported as
        self._module_values: dict[str, Node] | None = None
        self._assigned: dict[str, bool] = {}     # name -> whether the file spells `name =` anywhere
        self._directions: dict[tuple[int, str, tuple[int, ...] | None], bool | str | None] = {}
        self._reads: dict[tuple[int, str], bool] = {}
        self._fallbacks: dict[int, bool] = {}    # except clause -> whether it is a fallback (`_catches_fallback`)
        self._bound_older: dict[tuple, bool] = {}  # private def -> whether only older sides bind it
        # Every word of every condition or handler read: an editor keeping findings across an edit
        # must re-check when the edit touches one (lsp/inert.py). `module_words`: the names looked
        # up at module level and the words of their values, which an edit elsewhere can change
        # (lsp/region.py).
        self.words: set[str] = set()
        self.module_words: set[str] = set()

    def covers(self, node: Node, package: str, distribution: str | None = None, since: str | None = None,
               probe: tuple[str, str] | None = None, removed: bool = False) -> bool:
        """Whether `node` runs only on versions of `package` older than some other branch serves.

        `since`: the version that deprecated (or removed) the API, which tells the side of an equality.
        `probe`: (the use's receiver as written, the replacement's own name); a `hasattr`/`getattr` test
        of that receiver for that name is such a condition too (`getattr(env, "backed_var_to_val", None)
        or env.var_to_val`). Another object's test is duck typing (`values.isin(t) if hasattr(values,
        "isin") else np.in1d(values, t)`), not a version of the library.
        `removed`: the API is gone from the library's newest version scanned, so a `try:` that binds a
        name from it fails there and its handler's binding of that name is what runs today."""
        names = {package} | ({distribution} if distribution else set())
        return self._covers(node, package, names, _version_of_text(since), probe, removed)

    def _covers(self, node: Node, package: str, names: set[str], since: tuple[int, ...] | None,
                probe: tuple[str, str] | None, removed: bool = False) -> bool:
        child, cur = node, node.parent
        while cur is not None:
            if cur.type == "if_statement":
                condition = cur.child_by_field_name("condition")
                if condition is not None and child != condition:
                    # The consequence is the condition's true side; elif/else clauses its false side.
                    true_side = child == cur.child_by_field_name("consequence")
                    if self._older_side(condition, package, names, true_side, since) or \
                            self._probe_fails_on(condition, probe, true_side):
                        return True
            elif cur.type == "boolean_operator" and probe is not None and child == cur.child_by_field_name("right") \
                    and _operator(cur) == "or" and self._probe_fails_on(cur.child_by_field_name("left"), probe, False):
                return True                    # `getattr(x, "new", None) or x.old`
            elif cur.type == "elif_clause":
                condition = cur.child_by_field_name("condition")
                if condition is not None and child != condition and \
                        self._older_side(condition, package, names, True, since):
                    return True
            elif cur.type == "conditional_expression" and len(code_children(cur)) == 3:
                body, condition, orelse = code_children(cur)
                if child != condition and (self._older_side(condition, package, names, child == body, since)
                                           or self._probe_fails_on(condition, probe, child == body)):
                    return True
            elif cur.type == "except_clause" and (self._catches_fallback(cur) or self._tries_the_probe(cur, probe)):
                return True
            elif cur.type == "try_statement" and removed and child == cur.child_by_field_name("body") \
                    and self._handler_rebinds(cur, child, node):
                return True
            elif cur.type == "expression_statement" and probe is not None and child.type == "assignment" \
                    and self._rebound_when_probed(cur, child, node, probe[1]):
                return True
            elif cur.type == "block" and cur.parent is not None and cur.parent.type == "function_definition":
                if any(self._older_side(c, package, names, False, since)
                       for c in _early_exits_before(cur, child)):
                    return True
            elif cur.type == "function_definition" and self._bound_only_for_older(cur, package, names, since):
                return True
            child, cur = cur, cur.parent
        return False

    def _bound_only_for_older(self, func: Node, package: str, names: set[str], since: tuple[int, ...] | None) -> bool:
        """A module-level private def the file names only on the older side (never in a string, a
        comment or code that runs today), its own body apart: scikit-learn's `def _percentile(...):
        return np.percentile(a, q, interpolation=method)` runs only where `if np_version <
        parse_version("1.22"): percentile = _percentile`."""
        name_node = func.child_by_field_name("name")
        holder = func.parent.parent if func.parent is not None and func.parent.type == "decorated_definition" \
            else func.parent
        if name_node is None or holder is None or holder.type != "module" or not name_node.text.startswith(b"_") \
                or name_node.text.startswith(b"__"):
            return False
        key = (func.id, package, since)
        if key not in self._bound_older:
            self._bound_older[key] = False          # (two such defs naming each other: neither)
            uses = [n for n in _occurrences(self.root, self.data, name_node.text)
                    if not func.start_byte <= n.start_byte < func.end_byte]
            self._bound_older[key] = bool(uses) and all(
                n.type == "identifier" and self._covers(n, package, names, since, None) for n in uses)
        return self._bound_older[key]

    # ---- conditions ----------------------------------------------------------
    def _probe_fails_on(self, condition: Node | None, probe: tuple[str, str] | None, true_side: bool) -> bool:
        """Whether that side of `condition` runs only where an object lacks the name `probe`:
        the false side of `hasattr(x, probe)` or `getattr(x, probe, default)`, the true side of
        `not hasattr(...)`. Where the replacement exists, the other side runs."""
        if probe is None or condition is None:
            return False
        # An edit anywhere in it may make it a probe or stop it being one (lsp/inert.py).
        self.words.update(w.decode() for w in _WORD.findall(self.data, condition.start_byte, condition.end_byte))
        negate = False
        while condition.type in ("not_operator", "parenthesized_expression") and code_children(condition):
            negate ^= condition.type == "not_operator"
            condition = code_children(condition)[-1]
        return _probed(condition) == probe and true_side == negate

    def _rebound_when_probed(self, stmt: Node, assignment: Node, node: Node, new_name: str) -> bool:
        """`weight_norm = nn.utils.weight_norm` followed by `if hasattr(nn.utils.parametrizations,
        "weight_norm"): weight_norm = nn.utils.parametrizations.weight_norm` (transformers, 35 times):
        the old API is the default the next statements replace wherever the library has the new
        name, so the use on the right of the first assignment serves older versions only."""
        target, value = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        if target is None or target.type != "identifier" or value is None or node.start_byte < value.start_byte:
            return False
        for later in _later_siblings(stmt):
            if later.type != "if_statement":
                continue
            condition, body = later.child_by_field_name("condition"), later.child_by_field_name("consequence")
            self.words.update(w.decode() for w in _WORD.findall(self.data, later.start_byte, later.end_byte))
            probed = _probed(condition)
            if probed is not None and probed[1] == new_name and body is not None and any(
                    _rebinds(c, target.text, new_name) for c in body.named_children):
                return True
        return False

    def _older_side(self, condition: Node, package: str, names: set[str], true_side: bool,
                    since: tuple[int, ...] | None) -> bool:
        """Whether the side (`true_side` or not) of `condition` is for older versions of `package`."""
        key = (condition.id, package, since)
        if key not in self._directions:
            # Whether it reads the version does not depend on `since` (rows of one file differ in it).
            reads = self._reads.get((condition.id, package))
            if reads is None:
                self.words.update(w.decode() for w in _WORD.findall(self.data, condition.start_byte,
                                                                      condition.end_byte))
                reads = self._reads[(condition.id, package)] = self._reads_version(condition, package, names, 0)
            self._directions[key] = self._direction(condition, package, names, since, 0) if reads else _NO_VERSION
        newer_when_true = self._directions[key]
        if newer_when_true is _NO_VERSION:
            return False
        if newer_when_true is None:
            return True                          # `is_np2()`, `major == 2` (no version known): either side
        return true_side != newer_when_true

    def _direction(self, condition: Node, package: str, names: set[str], since: tuple[int, ...] | None,
                   hops: int) -> bool | None:
        """Whether the condition being true means the newer side (None: cannot tell)."""
        negate = False
        while condition.type in ("not_operator", "parenthesized_expression"):
            if condition.type == "not_operator":
                negate = not negate
            condition = code_children(condition)[-1] if code_children(condition) else condition
            if not code_children(condition):
                break
        direction: bool | None = None
        if condition.type == "identifier" and hops < _MAX_HOPS:     # `if NP2:`: the flag's own comparison
            value = self._value_of(condition)
            if value is not None and value is not condition:
                direction = self._direction(value, package, names, since, hops + 1)
            elif value is None:                                     # `if PD_LT_2:` from elsewhere
                direction = _word_direction(set(condition.text.decode().lower().split("_")))
        elif condition.type == "comparison_operator":
            direction = self._comparison_direction(condition, package, names, since)
        elif condition.type == "call":
            direction = self._call_direction(condition, package, names, since)
        elif condition.type == "boolean_operator":
            sides = {_backend_version_direction(c, since) for c in _backend_comparisons(condition, names)}
            direction = sides.pop() if len(sides) == 1 else None
        return None if direction is None else direction != negate

    def _comparison_direction(self, condition: Node, package: str, names: set[str],
                              since: tuple[int, ...] | None) -> bool | None:
        """`version OP other`."""
        operands = code_children(condition)
        if len(operands) != 2:
            return None
        left, right = operands
        ops = [c.type for c in condition.children if not c.is_named]
        if len(ops) != 1 or ops[0] not in _NEWER_WHEN_TRUE:
            return None
        op = ops[0]
        left_reads = self._reads_version(left, package, names, 0)
        right_reads = self._reads_version(right, package, names, 0)
        if left_reads == right_reads:
            return None
        if right_reads:
            op = _FLIPPED[op]
        return _operator_direction(op, right if left_reads else left, since)

    def _call_direction(self, call: Node, package: str, names: set[str],
                        since: tuple[int, ...] | None) -> bool | None:
        """`np.__version__.startswith("1.")`, `is_numpy_available("2.0.0")`, `compare_versions("numpy", ">=", "2")`."""
        func = call.child_by_field_name("function")
        args = _arguments(call)
        last = last_name(func)
        if last == "hasattr":
            # Whatever it probes, the true side runs where the name exists, so today: `if hasattr(np,
            # "trapezoid")` is the newer side, and so is `if hasattr(np, "trapz"): np.trapz(x)`, which
            # still warns on every version that has it. The false side runs where it does not.
            return True
        if last == "startswith" and func is not None and func.type == "attribute" and len(args) == 1 \
                and self._reads_version(func.child_by_field_name("object"), package, names, 0):
            return _operator_direction("==", args[0], since)
        if last is None or not _is_version_helper(last, args, names, self.aliases.get(package, set())):
            return None
        values = [_value(a) for a in args]
        literals = [a for a in args if _version_literal(_value(a)) is not None]
        ops = [string_text(v) for v in values if v.type == "string" and string_text(v) in _NEWER_WHEN_TRUE]
        if len(ops) == 1 and len(literals) == 1:
            return _operator_direction(ops[0], _value(literals[0]), since)
        words = set(last.lower().split("_"))
        for a in literals:                     # `module_available("numpy", minversion="2.0")`
            if a.type == "keyword_argument":
                key = _text(a.child_by_field_name("name")) or ""
                words |= {"min"} if key.startswith("min") else {"max"} if key.startswith("max") else set()
        return _word_direction(words)

    def _reads_version(self, node: Node | None, package: str, names: set[str], hops: int) -> bool:
        aliases = self.aliases.get(package, set())
        stack = [node] if node is not None else []
        while stack:
            n = stack.pop()
            if n.type == "attribute":
                attr = n.child_by_field_name("attribute")
                if attr is not None and _text(root_name(n)) in aliases and (
                        attr.text == b"__version__" or _is_version_module_attribute(n)):
                    return True
            elif n.type == "call":
                last = last_name(n.child_by_field_name("function"))
                args = _arguments(n)
                first = args[0] if args else None
                if last in _VERSION_CALLS and first is not None and first.type == "string" \
                        and string_text(first) in names:
                    return True
                if last == "hasattr" and first is not None and _text(root_name(first)) in aliases:
                    return True
                if last is not None and _is_version_helper(last, args, names, aliases):
                    return True
            elif n.type == "boolean_operator" and _backend_comparisons(n, names):
                return True              # `impl.is_pandas() and impl._backend_version() >= (1, 5)`
            elif n.type == "identifier" and n.text.decode() in self.versions.get(package, ()):
                return True              # `from numpy import __version__ as np_v`
            elif n.type == "identifier" and hops < _MAX_HOPS:
                value = self._value_of(n)
                if value is not None and value is not node and self._reads_version(value, package, names, hops + 1):
                    return True
                if value is None and self._names_version(n.text.decode(), package, names):
                    return True          # `from .fixes import np_version`, `PD_LT_2`
            stack.extend(n.named_children)
        return False

    def _names_version(self, name: str, package: str, names: set[str]) -> bool:
        """A name that says it holds the library's version or a check of it (`np_version`, `PD_LT_2`,
        `PANDAS_GE_20`): the flags a project keeps in a compat module and imports."""
        words = set(name.lower().split("_"))
        tokens = {n.replace("-", "_").lower() for n in names} | {a.lower() for a in self.aliases.get(package, ())}
        tokens.add(_ABBREVIATIONS.get(package, package))
        return bool(words & tokens) and ("version" in words or any(w.isdigit() for w in words))

    def _value_of(self, ident: Node) -> Node | None:
        """What the name `ident` was assigned: the one assignment to it in its function, else the
        module-level one (None when a parameter, a loop, several assignments... bind it)."""
        name = ident.text.decode()
        self.words.add(name)
        assigned = self._assigned.get(name)
        if assigned is None:
            assigned = self._assigned[name] = _assignment_of(name).search(self.data) is not None
        func = _function_of(ident) if assigned else None
        if not assigned or (func is not None and self._module_value(name) is None
                            and not _assignment_of(name).search(self.data, func.start_byte, func.end_byte)):
            # Assigned nowhere, or neither in its function nor at module level (a parameter, a loop
            # variable, `len`): no value. The common case by far; it spares the scan of the function
            # for the name's bindings.
            self.module_words.add(name)
            return None
        local = local_bindings(self.root, self.data, ident)
        if local:
            values = [_assigned_value(b) for b in local]
            value = values[0] if len(values) == 1 else None
            if value is not None:
                self.words.update(w.decode() for w in _WORD.findall(self.data, value.start_byte, value.end_byte))
            return value
        self.module_words.add(name)
        value = self._module_value(name)
        if value is not None:
            found = {w.decode() for w in _WORD.findall(self.data, value.start_byte, value.end_byte)}
            self.words |= found
            self.module_words |= found
        return value

    def _module_value(self, name: str) -> Node | None:
        """The value of the module-level assignment `name = ...` (the first one), if any."""
        if self._module_values is None:
            self._module_values = {}
            for stmt in self.root.named_children:
                if stmt.type != "expression_statement" or not stmt.named_children:
                    continue
                assign = stmt.named_children[0]
                left = assign.child_by_field_name("left") if assign.type == "assignment" else None
                right = assign.child_by_field_name("right") if left is not None else None
                if left is not None and left.type == "identifier" and right is not None:
                    self._module_values.setdefault(left.text.decode(), right)
        return self._module_values.get(name)

    # ---- try / except ----------------------------------------------------------
    def _catches_fallback(self, clause: Node) -> bool:
        """`except ImportError:`, `except (AttributeError, KeyError) as e:` after a `try:` that imports or
        reaches into a library (`from numpy import trapezoid`, `f = np.trapezoid`): what fails there is
        the newer spelling. Around `cfg.option` the handler is ordinary code. Asked once per clause: every
        reference in the handler asks, and the `try:` body can be long."""
        known = self._fallbacks.get(clause.id)
        if known is None:
            known = self._fallbacks[clause.id] = self._is_fallback(clause)
        return known

    def _is_fallback(self, clause: Node) -> bool:
        for c in clause.named_children:
            if c.type != "block":
                self.words.update(w.decode() for w in _WORD.findall(self.data, c.start_byte, c.end_byte))
        return bool(_caught(clause) & _FALLBACK_ERRORS) and self._tries_a_library(clause.parent)

    def _tries_the_probe(self, clause: Node, probe: tuple[str, str] | None) -> bool:
        """`try: data = data.map(f)` / `except AttributeError: data = data.applymap(f)`: the handler
        of a missing attribute whose `try:` reads the replacement's name on the same receiver is the
        older versions' path, whatever else the `try:` holds (statsmodels 0.15's fallbacks). Where no
        replacement is known (`probe`'s name is ""), any name the `try:` reads on the receiver and the
        handler does not is the one that may be missing: `try: items = data.items()` / `except
        AttributeError: items = data.iteritems()` (statsmodels 0.13)."""
        if probe is None:
            return False
        receiver, new_name = probe
        self.words.update(w.decode() for w in _WORD.findall(receiver.encode()))
        self.words.add(new_name)
        try_stmt = clause.parent
        body = try_stmt.child_by_field_name("body") if try_stmt is not None and try_stmt.type == "try_statement" \
            else None
        if body is None or not _caught(clause) & {"AttributeError", "TypeError"}:
            return False
        tried = _attributes_read(body, receiver)
        if new_name:
            return new_name in tried
        self.words.update(tried)
        return bool(tried - _attributes_read(clause, receiver))

    def _handler_rebinds(self, try_stmt: Node, body: Node, node: Node) -> bool:
        """`try: from scipy.spatial.distance import wminkowski` / `except ImportError: from
        scipy.spatial.distance import minkowski as wminkowski` (scikit-learn 1.1): the statement of the
        `try:` that holds `node` binds a name that a handler of a missing name or module binds too.
        Where the API is gone that statement fails and the handler's binding runs instead: the `try:`
        is the older versions' side, the handler today's."""
        stmt = node
        while stmt is not None and stmt.parent != body:
            stmt = stmt.parent
        bound = _bound_names(stmt) if stmt is not None else set()
        if not bound:
            return False
        for clause in try_stmt.named_children:
            handler = clause.child_by_field_name("body") or (code_children(clause) or [None])[-1]
            if clause.type == "except_clause" and _caught(clause) & _FALLBACK_ERRORS and handler is not None:
                rebound = {n for s in handler.named_children for n in _bound_names(s)}
                self.words.update(_caught(clause) | rebound | bound)
                if bound & rebound:
                    return True
        return False

    def _tries_a_library(self, try_stmt: Node | None) -> bool:
        """Whether the body of `try_stmt` holds an import (a statement, or a call importing a module
        named in a string: `importlib.import_module("numpy._core")`) or an attribute of a name bound by one."""
        body = try_stmt.child_by_field_name("body") if try_stmt is not None else None
        imported = {name for names in self.aliases.values() for name in names}
        stack = [body] if body is not None else []
        while stack:
            n = stack.pop()
            if n.type in ("import_statement", "import_from_statement"):
                return True
            if n.type == "attribute" and _text(root_name(n)) in imported:
                return True
            if n.type == "call" and _imports_a_named_module(n):
                return True
            if n.type not in ("function_definition", "class_definition"):     # not run by the try
                stack.extend(n.named_children)
        return False


def _imports_a_named_module(call: Node) -> bool:
    func = call.child_by_field_name("function")
    if func is not None and func.type == "attribute":
        func = func.child_by_field_name("attribute")
    return func is not None and func.type == "identifier" and dynamic_import_call(func) is not None


def _attributes_read(node: Node, receiver: str) -> set[str]:
    """The attribute names read on `receiver` (as written) in the code `node` runs."""
    found, stack = set(), [node]
    while stack:
        n = stack.pop()
        if n.type == "attribute" and _text(n.child_by_field_name("object")) == receiver:
            found.add(_text(n.child_by_field_name("attribute")))
        if n.type not in ("function_definition", "class_definition", "lambda"):
            stack.extend(n.named_children)
    return found


def _bound_names(stmt: Node) -> set[str]:
    """The names an import or a plain assignment statement binds (`import a.b` binds `a`); `x = None`
    binds none: a feature switched off where the name is missing replaces nothing."""
    if stmt.type in ("import_statement", "import_from_statement"):
        found = set()
        for item in stmt.children_by_field_name("name"):
            alias = item.child_by_field_name("alias") if item.type == "aliased_import" else None
            name = alias if alias is not None else item
            text = _text(name) or ""
            found.add(text if alias is not None or stmt.type == "import_from_statement" else text.split(".")[0])
        return found
    pair = plain_assignment(stmt)
    if pair is not None and pair[0].type == "identifier" and pair[1].type != "none":
        return {pair[0].text.decode()}
    return set()


def _later_siblings(stmt: Node) -> list[Node]:
    found, sibling = [], stmt.next_named_sibling
    while sibling is not None:
        found.append(sibling)
        sibling = sibling.next_named_sibling
    return found


def _probed(condition: Node | None) -> tuple[str | None, str] | None:
    """`hasattr(x, "name")` or `getattr(x, "name", default)`, parentheses aside: (x as written, name)."""
    while condition is not None and condition.type == "parenthesized_expression" and code_children(condition):
        condition = code_children(condition)[-1]
    if condition is None or condition.type != "call":
        return None
    args = _arguments(condition)
    last = last_name(condition.child_by_field_name("function"))
    probes = (last == "hasattr" and len(args) == 2) or (last == "getattr" and len(args) == 3)
    return (_text(args[0]), string_text(args[1])) if probes and args[1].type == "string" else None


def _rebinds(stmt: Node, target: bytes, name: str) -> bool:
    """`target = <something>.name` (or `target = name`)."""
    pair = plain_assignment(stmt)
    if pair is None or pair[0].text != target:
        return False
    right = pair[1]
    leaf = right.child_by_field_name("attribute") if right.type == "attribute" else right
    return leaf is not None and leaf.type == "identifier" and leaf.text.decode() == name


def _caught(clause: Node) -> set[str]:
    """The names an `except` clause catches (`AttributeError`, `(AttributeError, KeyError) as e`)."""
    names: set[str] = set()
    stack = [c for c in clause.named_children if c.type != "block"]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            names.add(n.text.decode())
        elif n.type in ("tuple", "parenthesized_expression", "as_pattern", "expression_list"):
            stack.extend(n.named_children)
    return names


def _early_exits_before(body: Node, stmt: Node) -> list[Node]:
    """Conditions of the `if cond: ... return` statements (no else) that precede `stmt` in a function
    body: `stmt` runs only when each is false (`if NP2: return np.vstack(x)` / `return np.row_stack(x)`)."""
    found = []
    for sibling in body.named_children:
        if sibling == stmt:
            return found
        if sibling.type != "if_statement" or sibling.child_by_field_name("alternative") is not None:
            continue
        consequence = sibling.child_by_field_name("consequence")
        last = code_children(consequence)[-1] if consequence is not None and code_children(consequence) else None
        condition = sibling.child_by_field_name("condition")
        if last is not None and last.type in ("return_statement", "raise_statement") and condition is not None:
            found.append(condition)
    return []


VERSION_ATTRIBUTES = ("version", "short_version", "full_version")     # of numpy.version, scipy.version
# What an import of the version string is of, below the package: `from numpy import __version__`.
VERSION_PATHS = frozenset({"__version__", *(f"version.{a}" for a in VERSION_ATTRIBUTES)})


def _occurrences(root: Node, data: bytes, word: bytes) -> list[Node]:
    """The smallest node at each place `word` is spelled as a whole word (an identifier, or a string
    or comment holding it)."""
    found = []
    for match in re.finditer(rb"(?<![\w.])" + re.escape(word) + rb"(?!\w)", data):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is not None:
            found.append(node)
    return found


def _is_version_module_attribute(node: Node) -> bool:
    """`np.version.version`, `scipy.version.short_version`."""
    attr = node.child_by_field_name("attribute")
    holder = node.child_by_field_name("object")
    if attr is None or holder is None or holder.type != "attribute" or attr.text.decode() not in VERSION_ATTRIBUTES:
        return False
    module = holder.child_by_field_name("attribute")
    return module is not None and module.text == b"version"


def _function_of(ident: Node) -> Node | None:
    """The function whose locals `ident` can be (None at module level, or past a lambda or class body,
    as `local_bindings` sees it)."""
    node = ident.parent
    while node is not None and node.type != "function_definition":
        if node.type in ("lambda", "class_definition"):
            return None
        node = node.parent
    return node


@lru_cache(maxsize=4096)
def _assignment_of(name: str) -> re.Pattern[bytes]:
    """`name =`, `name: T =` (and a keyword argument `name=`: a superset is fine)."""
    word = re.escape(name.encode())
    # The literal first: the regex engine then searches for it (see resolver._scan_patterns).
    return re.compile(word + rb"(?<![\w.]" + word + rb")[ \t]*(?::[^=\n]*)?=(?!=)")


def _is_version_helper(name: str, args: list[Node], names: set[str], aliases: set[str]) -> bool:
    """A call asking for a version of the library, given a version literal: named after it
    (`is_numpy_available("2.0.0")`), given its name (`compare_versions("numpy", ">=", "2")`,
    `module_available("numpy", minversion="2.0.0.dev0")`), or about versions and given the library
    itself (seaborn 0.13's `_version_predates(np, "1.22")`)."""
    values = [_value(a) for a in args]
    if not any(_version_literal(v) is not None for v in values):
        return False
    lowered = "_" + name.lower() + "_"
    if any("_" + n.replace("-", "_").lower() + "_" in lowered for n in names):
        return True
    if any(v.type == "string" and string_text(v) in names for v in values):
        return True
    return "version" in name.lower() and any(v.type == "identifier" and _text(v) in aliases for v in values)


def _word_direction(words: set[str]) -> bool | None:
    """`is_torch_greater_or_equal`, `PD_LT_2`: whether being true means the newer side, by the name's words."""
    if words & _NEWER_WORDS and not words & _OLDER_WORDS:
        return True
    if words & _OLDER_WORDS and not words & _NEWER_WORDS:
        return False
    return None


def _value(arg: Node) -> Node:
    """The value of a keyword argument, the argument itself otherwise."""
    if arg.type == "keyword_argument":
        value = arg.child_by_field_name("value")
        return value if value is not None else arg
    return arg


def _operator_direction(op: str, other: Node, since: tuple[int, ...] | None) -> bool | None:
    """Whether `version OP other` being true means the newer side. An equality's side depends on
    where `other` stands against the version that deprecated the API."""
    if op not in ("==", "!="):
        return _NEWER_WHEN_TRUE[op]
    value = _version_literal(other)
    if value is None or since is None:
        return None
    newer = not _before(value, since)
    return newer if op == "==" else not newer


def _version_literal(node: Node) -> tuple[int, ...] | None:
    """`"2.0"`, `"1."`, `2`, `(1, 25)`, `parse("2.0")` as a version tuple; None for anything else."""
    if node.type == "string":
        return _version_of_text(string_text(node))
    if node.type in ("integer", "float"):
        return _version_of_text(node.text.decode())
    if node.type == "tuple" and node.named_children and all(c.type == "integer" for c in node.named_children):
        return tuple(int(c.text) for c in node.named_children)
    if node.type == "call":
        args = _arguments(node)
        return _version_literal(args[0]) if len(args) == 1 else None
    return None


def _version_of_text(text: str | None) -> tuple[int, ...] | None:
    m = _VERSION_LITERAL.fullmatch(text) if text else None
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def _before(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)) < b + (0,) * (width - len(b))


def _backend_comparisons(condition: Node, names: set[str]) -> list[Node]:
    """The version comparisons of a conjunction that first tests the backend is the library.

    Dataframe-agnostic code (narwhals 2.29: `impl.is_pandas() and impl._backend_version() >= (1, 5)`,
    `backend_version = impl._backend_version()` / `if impl.is_pandas() and backend_version < (3, 0):`,
    `impl is Implementation.PANDAS and ((1, 5) <= impl._backend_version() < (3,))`) names no library
    module; the test `is_pandas()` (or against a member named after it) says whose version the other
    operand compares: a value whose name says it is a version, against a version literal (or two)."""
    if condition.type != "boolean_operator" or _operator(condition) != "and":
        return []
    operands, stack = [], [condition]
    while stack:
        n = stack.pop()
        if n.type == "parenthesized_expression" and code_children(n):
            stack.append(code_children(n)[-1])
        elif n.type == "boolean_operator" and _operator(n) == "and":
            stack.extend(c for c in (n.child_by_field_name("left"), n.child_by_field_name("right")) if c is not None)
        else:
            operands.append(n)
    tests = {f"is_{n.replace('-', '_').lower()}" for n in names}
    if not any(_tests_backend(o, tests) for o in operands):
        return []
    return [o for o in operands if o.type == "comparison_operator" and _version_sides(o) is not None]


def _tests_backend(operand: Node, tests: set[str]) -> bool:
    """`impl.is_pandas()`, or `impl is Implementation.PANDAS` (`==` too), for `tests` {"is_pandas"}."""
    if operand.type == "call":
        return not _arguments(operand) and (last_name(operand.child_by_field_name("function")) or "").lower() in tests
    ops = [c.type for c in operand.children if not c.is_named]
    sides = code_children(operand)
    return operand.type == "comparison_operator" and ops in (["is"], ["=="]) and len(sides) == 2 and any(
        side.type == "attribute" and f"is_{last_name(side) or ''}".lower() in tests for side in sides)


def _version_sides(comparison: Node) -> tuple[str, Node] | None:
    """(operator as if the version-named value stood left, the literal) of `value OP literal`; of a
    range (`(1, 5) <= value < (3,)`), its upper bound, which tells the older side."""
    ops = [c.type for c in comparison.children if not c.is_named]
    operands = code_children(comparison)
    if len(operands) == 3 and len(ops) == 2 and all(op in ("<", "<=") for op in ops) \
            and _version_literal(operands[0]) is not None:
        operands, ops = operands[1:], ops[1:]            # `low <= value < high`: `value < high`
    elif len(operands) == 3 and len(ops) == 2 and all(op in (">", ">=") for op in ops) \
            and _version_literal(operands[2]) is not None:
        operands, ops = operands[:2], ops[:1]            # `high > value >= low`: `high > value`
    if len(operands) != 2 or len(ops) != 1 or ops[0] not in _NEWER_WHEN_TRUE:
        return None
    left, right = operands
    if _names_a_version(left) and _version_literal(right) is not None:
        return ops[0], right
    if _names_a_version(right) and _version_literal(left) is not None:
        return _FLIPPED[ops[0]], left
    return None


def _names_a_version(node: Node) -> bool:
    """`backend_version`, `impl._backend_version()`, `self.version`: a value named a version, not
    Python's (`sys.version_info`, `platform.python_version()`)."""
    if node.text.startswith((b"sys.", b"platform.")):
        return False
    if node.type == "call":
        node = node.child_by_field_name("function") or node
    if node.type == "attribute":
        node = node.child_by_field_name("attribute") or node
    name = node.text.decode().lower() if node.type == "identifier" else ""
    return "version" in name and "python" not in name and name != "version_info"


def _backend_version_direction(comparison: Node, since: tuple[int, ...] | None) -> bool | None:
    sides = _version_sides(comparison)
    return _operator_direction(sides[0], sides[1], since) if sides is not None else None


def _operator(node: Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


def _arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return code_children(args) if args is not None else []


def _assigned_value(node: Node) -> Node | None:
    parent = node.parent
    if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == node:
        return parent.child_by_field_name("right")
    return None


def last_name(func: Node | None) -> str | None:
    """`np.product` -> "product", `product` -> "product"; None for other callees."""
    if func is not None and func.type == "attribute":
        func = func.child_by_field_name("attribute")
    return func.text.decode() if func is not None and func.type == "identifier" else None


def string_text(node: Node) -> str:
    """The text inside a string literal's quotes."""
    return "".join(c.text.decode("utf-8", "replace") for c in node.named_children if c.type == "string_content")


def _text(node: Node | None) -> str | None:
    return node.text.decode() if node is not None else None
