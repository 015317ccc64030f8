"""What a by-name match can know about its receiver without a type checker.

`df.applymap(f)` is matched by the method's name because the type of `df` is unknown. Some
receivers are known not to be a value of a library class, and a by-name match on them is a
false alarm: a path through a module imported from elsewhere (`packaging.version.parse`), the
file's own class (`Interval.parse`), `self` in a class that derives from no library class, a
parameter annotated with such a class (`session: VideoSession`, `Optional[VideoSession]`), a
local built by calling one (`session = VideoSession()`) or by calling the file's own function or
method annotated to return one (`parser = Own._re_parser()` with `-> ModuleType`), a value built
in place (`FrameParser(json).parse()`, `str(x).replace(...)`) or a literal (`"-".join(parts)`,
`[...].copy()`), or a name an `if isinstance(x, Dataset):` around the use has tested.

Some receivers are known to be a value of one library class (`df = pd.DataFrame(...)`,
`df: pd.DataFrame`, `if isinstance(df, pd.DataFrame):`, `df = load(path)` where the file's own
`load` returns `pd.read_csv(path)` or is annotated `-> pd.DataFrame`): those are matched exactly,
through the class's hierarchy (`library_class`).
"""
from __future__ import annotations

import builtins
import re
from typing import Callable

from tree_sitter import Node

from apimigrate.db.records import union_of_known

from .bindings import (DEFINITION_TYPES, MODULE_SCOPE, SCOPE_TYPES, binds_name, classify, local_bindings,
                       named_bindings, root_name, scope_chain)
from .parametrize import Parametrized, parametrized
from .parsing import code_children, plain_assignment
from .subclasses import OwnSubclasses

_DEFINITION_RE = re.compile(rb"(?m)^[ \t]*(?:async[ \t]+)?(def|class)[ \t]+([A-Za-z_]\w*)")
_ANCHORS = frozenset({"function_definition", "lambda", "class_definition"})
_BUILTIN_TYPES = frozenset(n for n, v in vars(builtins).items() if isinstance(v, type))
# Annotations that only wrap the type that matters: `Optional[X]`, `Union[X, Y]`, `Annotated[X, ...]`.
_UNIONS = frozenset({"Optional", "Union"})
_WRAPPERS = frozenset({"Annotated", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly"})
# Decorators that return the function's own result: a call of the decorated function gives what its body returns.
_TRANSPARENT_DECORATORS = frozenset({"staticmethod", "classmethod", "cache", "lru_cache", "wraps"})
_LITERALS = frozenset({"string", "concatenated_string", "list", "dictionary", "set", "tuple", "list_comprehension",
                       "dictionary_comprehension", "set_comprehension", "integer", "float", "true", "false",
                       "none"})


class Receivers:
    """Facts about the names of one file that by-name matches consult, computed on demand."""

    def __init__(self, root: Node, data: bytes, library_names: set[str], foreign: set[str],
                 call_class: Callable[[Node], str | None] | None = None,
                 attribute_class: Callable[[Node], str | None] | None = None,
                 entered_class: Callable[[str, str], str | None] | None = None,
                 call_items: Callable[[Node], list[str | None] | None] | None = None,
                 answering: Callable[[str], frozenset[str]] | None = None,
                 project_own: Callable[[Node], bool] | None = None) -> None:
        self.root = root
        self.data = data
        self.library_names = library_names    # names bound by imports of the scanned libraries
        self.foreign = foreign                # names bound by imports of anything else
        # The library class a call returns, other than a constructor's (`pd.read_csv(path)`).
        self.call_class = call_class
        # The library class a property read holds (`df.style`: a Styler).
        self.attribute_class = attribute_class
        # What `with <a value of this class> as x:` binds x to, by the class's `__enter__` or `__aenter__`.
        self.entered_class = entered_class
        # The library class of each item of the tuple a call returns (`fig, ax = plt.subplots()`).
        self.call_items = call_items
        # The member names the index answers for on a library class (subclasses.py); None: own
        # subclasses stand for no library class.
        self.answering = answering
        # Whether a callee is a function the project's own module defines, annotated to return a class
        # of the project's (`from xarray.tests import create_test_data`, `-> Dataset`).
        self.project_own = project_own
        self._subclasses: OwnSubclasses | None = None
        self._defined: dict[str, list[Node]] | None = None
        # (function, parameter) -> what pytest passes as it (parametrize.py), read once
        self._parametrized: dict[tuple[int, str], Parametrized] | None = None
        # What the file's own functions return (`_def_returns`), by definition; those being read.
        self._returns: dict[int, str | None] = {}
        self._returning: set[int] = set()
        self._recursed = False
        self._library_classes: dict[int, bool] = {}
        self._module_bound: dict[str, list[Node]] = {}
        self._verdicts: dict[tuple[str, int], bool] = {}
        self._classes: dict[tuple[str, int], str | None] = {}
        # A binding that reads its own name (`df = df.dropna()`) is judged assuming the class the
        # others give (`_bound_class`): the names being settled, with that assumption; the ones
        # read while it held (`_hits`); answers that rest on one, with the names they rest on.
        self._assumed: dict[tuple[str, int], str | None] = {}
        self._hits: set[tuple[str, int]] = set()
        self._provisional: dict[tuple[str, int], tuple[str | None, set[tuple[str, int]]]] = {}
        # Every name a verdict read: an editor that keeps findings across an edit must re-check
        # when the edit touches one of them (lsp/inert.py); `module_words`, the ones looked up
        # file-wide, when an edit of another top-level statement spells one (lsp/region.py).
        self.words: set[str] = set()
        self.module_words: set[str] = set()

    def definitions(self) -> dict[str, list[Node]]:
        """The classes and functions this file defines (at any depth), by name."""
        if self._defined is None:
            found: dict[str, list[Node]] = {}
            for m in _DEFINITION_RE.finditer(self.data):
                keyword = self.root.descendant_for_byte_range(m.start(1), m.start(1) + 1)
                if keyword is not None and keyword.parent is not None and keyword.parent.type in DEFINITION_TYPES:
                    found.setdefault(m.group(2).decode(), []).append(keyword.parent)
            self._defined = found
        return self._defined

    def not_library(self, name_node: Node) -> bool:
        """Whether the identifier at the root of a receiver is known not to hold a library value."""
        # The verdict depends on the name and the scopes around it only: a test function with fifty
        # `df.fillna(...)` calls looks its bindings up once.
        guard = self._isinstance_guard(name_node)
        if guard is not None:
            node, classes = guard
            key = (name_node.text.decode(), node.id)
            if key not in self._verdicts:
                self._verdicts[key] = all(self._names_foreign_class(c) for c in classes)
            return self._verdicts[key]
        anchor = name_node.parent
        while anchor is not None and anchor.type not in _ANCHORS:
            anchor = anchor.parent
        key = (name_node.text.decode(), anchor.id if anchor is not None else -1)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._not_library(name_node)
        return verdict

    # ---- receivers of a known library class -------------------------------
    def library_class(self, receiver: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """The library class a receiver is known to be a value of, or None.

        `pd.DataFrame(data)` in place; a name every binding of which (in the innermost function
        that binds it, else at module level) builds one (`df = pd.DataFrame(data)`) or is
        annotated with one (`df: pd.DataFrame`, `Optional[pd.DataFrame]`, `pd.DataFrame | None`).
        `qualify` names the library class an expression spells (`pd.DataFrame` -> `pandas.DataFrame`)
        or gives None.
        """
        if receiver.type in ("call", "attribute"):
            return self._value_class(receiver, qualify)
        if receiver.type != "identifier":
            return None
        guard = self._isinstance_guard(receiver)
        if guard is not None:
            node, classes = guard
            key = (receiver.text.decode(), node.id)
            if key not in self._classes:
                self._classes[key] = union_of_known([self._spelled_class(c, qualify) for c in classes])
            return self._classes[key]
        anchor = receiver.parent
        while anchor is not None and anchor.type not in _ANCHORS:
            anchor = anchor.parent
        key = (receiver.text.decode(), anchor.id if anchor is not None else -1)
        if key in self._classes:
            return self._classes[key]
        if key in self._assumed:                          # `df = df.dropna()` asks for `df` again
            self._hits.add(key)
            return self._assumed[key]
        if key in self._provisional:
            cls, rests_on = self._provisional[key]
            self._hits |= rests_on
            return cls
        outer, self._hits = self._hits, set()
        self._assumed[key] = None
        try:
            cls = self._bound_class(receiver, qualify, key)
        finally:
            del self._assumed[key]
            rests_on = self._hits - {key}                 # names still being settled further out
            self._hits = outer | rests_on
            # what was read assuming this name's class is settled now
            self._provisional = {k: v for k, v in self._provisional.items() if key not in v[1]}
        if rests_on:
            self._provisional[key] = (cls, rests_on)
        else:
            self._classes[key] = cls
        return cls

    def _value_class(self, value: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """What a call builds, or what a property read holds (`df.T`, `df.style`)."""
        if value.type == "call":
            return self._call_class(value, qualify)
        if value.type == "attribute" and self.attribute_class is not None:
            return self.attribute_class(value)
        return None

    def _call_class(self, call: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """What a call builds: a library class called (`pd.DataFrame(d)`), else what the callee
        returns (`pd.read_csv(path)`, `df.groupby("k")`)."""
        callee = call.child_by_field_name("function")
        if callee is not None and callee.text == b"super":
            return self._super_class(call, qualify)
        built = self._spelled_class(callee, qualify)
        if built is None and self.call_class is not None:
            built = self.call_class(call)
        if built is None:
            built = self._own_return_class(call, qualify)
        return built

    def _super_class(self, call: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """`super()` (or `super(Own, self)`) in a method of the file's own class: its bases' library
        classes, when they stand for some (subclasses.py)."""
        self.words.add("super")
        self.module_words.add("super")
        if self.answering is None or "super" in self.library_names or "super" in self.foreign \
                or "super" in self.definitions():
            return None
        func = call.parent
        while func is not None and func.type not in _ANCHORS:
            func = func.parent
        cls = _enclosing_class(func) if func is not None and func.type == "function_definition" else None
        args = call.child_by_field_name("arguments")
        named = code_children(args) if args is not None and args.type == "argument_list" else None
        if cls is None or named is None or (named and (
                len(named) != 2 or named[0].text != cls.child_by_field_name("name").text)):
            return None
        return self._subclass_facts().above(cls, qualify)

    # ---- isinstance guards ----------------------------------------------
    def _isinstance_guard(self, ident: Node) -> tuple[Node, list[Node]] | None:
        """(the guard, the classes it names) when `ident` is used in the body of the innermost
        `if isinstance(ident, C):` (also `elif`, `... and isinstance(...)`, `a if isinstance(...)
        else b`) around it in its function, or after an `if not isinstance(ident, C):` whose body
        leaves (`raise`, `return`, `continue`, `break`), and nothing rebinds the name in between."""
        name = ident.text.decode()
        # The editor keeps findings across an edit of no word a verdict read: typing the last
        # letter of `isinstance` or of the tested name makes a guard.
        self.words.update((name, "isinstance"))
        child, node = ident, ident.parent
        while node is not None and node.type not in _ANCHORS:
            condition = None
            if node.type in ("if_statement", "elif_clause") and child == node.child_by_field_name("consequence"):
                condition = node.child_by_field_name("condition")
            elif node.type == "conditional_expression" and code_children(node) and child == code_children(node)[0]:
                condition = code_children(node)[1] if len(code_children(node)) > 1 else None
            classes = _isinstance_classes(condition, name) if condition is not None else None
            if not classes and node.type in ("block", "module"):
                node, condition, classes = _early_exit(node, child, name)
            if classes:
                for term in classes:
                    self._spelled_words(term)
                if "isinstance" in self.library_names or "isinstance" in self.foreign \
                        or "isinstance" in self.definitions():
                    return None
                rebound = any(not _assigned_from(bound, ident) for bound, _ in named_bindings(
                    self.root, self.data, frozenset({name}), condition.end_byte, ident.start_byte))
                return None if rebound else (node, classes)
            child, node = node, node.parent
        return None

    def _bound_class(self, ident: Node, qualify: Callable[[Node], str | None], key: tuple[str, int]) -> str | None:
        """The class the bindings of the name give (a union when they give different ones; None
        when one gives none we know). A binding that reads the name itself (`df = df.dropna()`,
        `df = df.copy()`) is judged assuming the class the others give, as a type checker would
        see the chain: it must give that class back."""
        name = ident.text.decode()
        self.words.add(name)
        self.module_words.add(name)
        if name in self.library_names or name in self.foreign:
            return None
        bound = _innermost_bindings(self.root, self.data, ident)
        if bound is None:
            bound = self._module_bindings(name)
        # A def named so elsewhere (a method `index`) binds nothing here; a class here may stand
        # for library classes (`User.parse_obj(data)`).
        if any(n.parent is not None and n.parent.type == "class_definition" for n in bound):
            return self._stand_in(ident, qualify)
        found: list[str | None] = []
        rereading: list[Node] = []
        for node in bound:
            outer, self._hits = self._hits, set()
            cls = self._binding_class(node, qualify)
            reads_itself = key in self._hits
            self._hits |= outer
            if reads_itself:
                rereading.append(node)
            else:
                found.append(cls)
        # Bindings of different classes (`x = pd.DataFrame(d)` in one branch, `x = pd.Series(s)`
        # in the other) make a union, as a type checker joins them.
        cls = union_of_known(found)
        if cls is None:
            return None
        if rereading:
            self._assumed[key] = cls
            self._provisional.clear()                     # read under the earlier assumption
            if any(self._binding_class(node, qualify) != cls for node in rereading):
                return None
        return cls

    def _binding_class(self, node: Node, qualify: Callable[[Node], str | None]) -> str | None:
        parent = node.parent
        if classify(node) == "param":
            if parent is None or parent.type not in ("typed_parameter", "typed_default_parameter"):
                owner = _method_owner(node)           # `self` / `cls`
                if owner is not None:
                    return self._subclass_facts().library_classes(owner, qualify) if self.answering else None
                return self._parametrized_class(node, qualify)
            return self._annotated_class(parent.child_by_field_name("type"), qualify)
        if parent is not None and parent.type == "as_pattern_target":
            return self._entered(parent, qualify)
        if parent is not None and parent.type in ("pattern_list", "tuple_pattern"):
            return self._unpacked(node, parent)
        if parent is None or parent.type != "assignment" or parent.child_by_field_name("left") != node:
            return None                      # a loop target, `+=`...
        if parent.child_by_field_name("type") is not None:
            return self._annotated_class(parent.child_by_field_name("type"), qualify)
        value = parent.child_by_field_name("right")
        return self._value_class(value, qualify) if value is not None else None

    def _unpacked(self, target: Node, pattern: Node) -> str | None:
        """`fig, ax = plt.subplots()`: the class of the tuple's item at the target's place, when the
        call returns a tuple of as many items (no starred target, no nesting)."""
        assignment = pattern.parent
        value = assignment.child_by_field_name("right") if assignment is not None \
            and assignment.type == "assignment" and assignment.child_by_field_name("left") == pattern else None
        targets = pattern.named_children
        if value is None or value.type != "call" or self.call_items is None \
                or any(t.type != "identifier" for t in targets):
            return None
        items = self.call_items(value)
        return items[targets.index(target)] if items is not None and len(items) == len(targets) else None

    def _parametrized_class(self, param: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """The class of a test parameter pytest fills with instances of one library class
        (`@pytest.mark.parametrize("est", [SVC(), SVC(kernel="linear")])`); several: none."""
        function = param.parent
        while function is not None and function.type != "function_definition":
            function = function.parent
        item = self.parametrized().get((function.id, param.text.decode())) if function is not None else None
        classes = {self._value_class(v, qualify) for v in (item.values if item is not None else ())}
        return classes.pop() if len(classes) == 1 and None not in classes else None

    def parametrized(self) -> dict[tuple[int, str], Parametrized]:
        """The file's pytest-parametrized parameters by (function node id, name), read once."""
        if self._parametrized is None:
            self._parametrized = {(item.function.id, item.name): item for item in parametrized(self.root, self.data)} \
                if b"parametrize" in self.data else {}
            # values read through a module-level list: an edit of that statement changes them (lsp/region.py)
            self.module_words.update(item.via for item in self._parametrized.values() if item.via)
        return self._parametrized

    def _entered(self, target: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """`with pd.ExcelFile(path) as xl:` (also `async with`, a name of a known class as the
        manager): what the manager's class enters as; None for `except ... as`, a tuple target."""
        pattern = target.parent
        item = pattern.parent if pattern is not None else None
        statement = item.parent.parent if item is not None and item.type == "with_item" and item.parent else None
        if statement is None or statement.type != "with_statement" or self.entered_class is None \
                or not pattern.named_children:
            return None
        manager = self.library_class(pattern.named_children[0], qualify)
        if manager is None:
            return None
        method = "__aenter__" if statement.children[0].type == "async" else "__enter__"
        return self.entered_class(manager, method)

    def _annotated_class(self, expr: Node | None, qualify: Callable[[Node], str | None]) -> str | None:
        if expr is not None and expr.type == "type" and expr.named_child_count == 1:
            expr = expr.named_children[0]
        if expr is None:
            return None
        if expr.type == "binary_operator":                 # `pd.DataFrame | None`, `pd.DataFrame | pd.Series`
            sides = [expr.child_by_field_name("left"), expr.child_by_field_name("right")]
            return union_of_known([self._annotated_class(side, qualify) for side in sides
                           if side is not None and side.type != "none"])
        head, args = _generic(expr)
        if head is not None:
            self.words.add(head)
            self.module_words.add(head)
            if head == "Optional" or head in _WRAPPERS:
                return self._annotated_class(args[0], qualify) if args else None
            if head == "Union":
                return union_of_known([self._annotated_class(a, qualify) for a in args if a.text != b"None"])
            return None                                    # `list[pd.DataFrame]`
        return self._spelled_class(expr, qualify)

    def _spelled_class(self, expr: Node | None, qualify: Callable[[Node], str | None]) -> str | None:
        """The library class an expression names: one imported (`pd.DataFrame`), or the file's
        own class that stands for library classes (`User`, deriving from `BaseModel`)."""
        if expr is None or not self._spelled_words(expr):
            return None
        cls = qualify(expr)
        return self._stand_in(expr, qualify) if cls is None and expr.type == "identifier" else cls

    def _stand_in(self, ident: Node, qualify: Callable[[Node], str | None]) -> str | None:
        own = self._own_class_named(ident) if self.answering is not None else None
        return self._subclass_facts().library_classes(own, qualify) if own is not None else None

    def _subclass_facts(self) -> OwnSubclasses:
        if self._subclasses is None:
            self._subclasses = OwnSubclasses(self._own_class_named, self.answering, self.words, self.module_words)
        return self._subclasses

    def _own_class_named(self, ident: Node) -> Node | None:
        """The file's one class the name at `ident` means: the only definition of that name in the
        file is a class, and nothing else binds it where `ident` is (locally, else at module level)."""
        name = ident.text.decode()
        self.module_words.add(name)
        defs = self.definitions().get(name, ())
        if len(defs) != 1 or defs[0].type != "class_definition" or name in self.library_names \
                or name in self.foreign:
            return None
        bound = local_bindings(self.root, self.data, ident) or self._module_bindings(name)
        return defs[0] if bound and all(n.parent == defs[0] for n in bound) else None

    def _spelled_words(self, expr: Node) -> bool:
        """Record the words of a dotted name (`pd.DataFrame`) as read; False when it is no such name."""
        node: Node | None = expr
        while node is not None and node.type == "attribute":
            attr = node.child_by_field_name("attribute")
            if attr is not None:
                self.words.add(attr.text.decode())
            node = node.child_by_field_name("object")
        if node is None or node.type != "identifier":
            return False
        self.words.add(node.text.decode())
        self.module_words.add(node.text.decode())
        return True

    def built_elsewhere(self, receiver: Node) -> bool:
        """Whether a receiver that is no name (`FrameParser(json)`, `"-"`) is known not to be a library value."""
        if receiver.type in _LITERALS:
            return True
        if receiver.type != "call":
            return False
        callee = receiver.child_by_field_name("function")
        last = callee.child_by_field_name("attribute") if callee is not None and callee.type == "attribute" \
            else callee
        if last is None or last.type != "identifier":
            return False
        word = last.text.decode()
        self.words.add(word)
        # A constructor by the naming convention (`load(path)` may well return a DataFrame), or a builtin type.
        constructor = word[:1].isupper() or (callee.type == "identifier" and word in _BUILTIN_TYPES)
        return (constructor and self._names_foreign_class(callee)) or self._returns_foreign(callee)

    def _not_library(self, name_node: Node) -> bool:
        name = name_node.text.decode()
        self.words.add(name)
        if name in self.library_names:
            return False
        local = local_bindings(self.root, self.data, name_node)
        if local:             # a parameter or local shadows the module's names (a pytest fixture's def)
            return self._own_instance(name_node) or all(self._binds_foreign(n) for n in local)
        self.module_words.add(name)
        if name in self.foreign:
            return True
        own = self.definitions().get(name)
        if own:
            return not any(d.type == "class_definition" and self._derives_from_library(d) for d in own)
        # A module-level name (a script, a notebook): every assignment of it builds no library value.
        bound = self._module_bindings(name)
        return bool(bound) and all(self._binds_foreign(n) for n in bound)

    def _module_bindings(self, name: str) -> list[Node]:
        """The nodes that bind `name` at module level; [] when a function may rebind it (`global`).
        Read once per name: every function using the file's own class asks (a walk of the file)."""
        found = self._module_bound.get(name)
        if found is None:
            if re.search(rb"\bglobal\b[^\n]*\b" + re.escape(name.encode()) + rb"\b", self.data):
                found = []
            else:
                found = [node for node, scope in named_bindings(self.root, self.data, frozenset({name}))
                         if scope == MODULE_SCOPE]
            self._module_bound[name] = found
        return found

    # ---- self / cls ------------------------------------------------------
    def _own_instance(self, name_node: Node) -> bool:
        """`self` (the first parameter of a method) in a class that derives from no library class."""
        name = name_node.text.decode()
        func = name_node.parent
        while func is not None:
            if func.type == "function_definition":
                first = _first_parameter(func)
                if first is not None and first.text.decode() == name:
                    cls = _enclosing_class(func)
                    return cls is not None and not self._derives_from_library(cls)
            func = func.parent
        return False

    def _derives_from_library(self, cls: Node) -> bool:
        """Whether a base of `cls`, or of the file's own classes it derives from, may be a library class."""
        known = self._library_classes.get(cls.id)
        if known is not None:
            return known
        self._library_classes[cls.id] = False          # a cycle of own bases adds nothing
        supers = cls.child_by_field_name("superclasses")
        result = False
        for base in (supers.named_children if supers is not None else ()):
            if base.type == "keyword_argument":
                continue                               # metaclass=...
            root = root_name(base)
            name = root.text.decode() if root is not None else ""
            self.words.add(name)
            self.module_words.add(name)
            if name in self.foreign or name in _BUILTIN_TYPES:
                continue
            own = [c for c in self.definitions().get(name, ()) if c.type == "class_definition"]
            # A library base, the file's own class deriving from one, or a base we cannot read
            # (a factory's result, a name from a star import): keep matching by name.
            if not own or any(self._derives_from_library(c) for c in own):
                result = True
                break
        self._library_classes[cls.id] = result
        return result

    # ---- annotated parameters, constructed locals ------------------------
    def _binds_foreign(self, node: Node) -> bool:
        parent = node.parent
        if classify(node) == "param":
            kind = parent.type if parent is not None else ""
            annotation = parent.child_by_field_name("type") if kind in ("typed_parameter", "typed_default_parameter") \
                else None
            return annotation is not None and self._names_foreign_class(annotation)
        if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == node:
            if parent.child_by_field_name("type") is not None:
                return self._names_foreign_class(parent.child_by_field_name("type"))
            value = parent.child_by_field_name("right")
            if value is not None and value.type == "call":
                callee = value.child_by_field_name("function")
                last = callee.child_by_field_name("attribute") if callee is not None and callee.type == "attribute" \
                    else callee
                if last is not None:
                    self.words.add(last.text.decode())
                # A constructor by the naming convention: `load()` may well return a DataFrame.
                if last is not None and last.text[:1].isupper() and self._names_foreign_class(callee):
                    return True
                return callee is not None and self._returns_foreign(callee)
        return False

    # ---- what the file's own functions say they return -------------------
    def _returns_foreign(self, callee: Node) -> bool:
        """A call of the file's own function, or of a method of the file's own class (through the
        class, `self` or `cls`), each definition of which is annotated to return no library value
        (`-> ModuleType`, `-> list[str]`, `-> Config | None`); or of a function imported from the
        project's module, annotated to return a class the project defines (`project_own`)."""
        defs = self._own_callables(callee)
        if not defs:
            return self.project_own is not None and self.project_own(callee)
        return all(
            d.child_by_field_name("return_type") is not None
            and self._names_foreign_class(d.child_by_field_name("return_type")) for d in defs)

    def _own_return_class(self, call: Node, qualify: Callable[[Node], str | None]) -> str | None:
        """The library class a call of the file's own function or method gives (`df = load(path)`):
        the one each of its definitions is annotated to return (`-> pd.DataFrame`), or, when it is
        not annotated, the one every `return` of it gives (`return pd.read_csv(path)`), as a type
        checker infers it; their union when they give different ones."""
        callee = call.child_by_field_name("function")
        defs = self._own_callables(callee) if callee is not None else []
        return union_of_known([self._def_returns(d, qualify) for d in defs])

    def _def_returns(self, func: Node, qualify: Callable[[Node], str | None]) -> str | None:
        if func.id in self._returns:
            return self._returns[func.id]
        if func.id in self._returning:          # recursion through another function: unknown
            self._recursed = True
            return None
        self._returning.add(func.id)
        outer, self._recursed = self._recursed, False
        try:
            cls = self._declared_return(func, qualify)
        finally:
            self._returning.discard(func.id)
            recursed, self._recursed = self._recursed, outer or self._recursed
        if not recursed:                        # an answer that assumed a call in progress gives None is not kept
            self._returns[func.id] = cls
        return cls

    def _declared_return(self, func: Node, qualify: Callable[[Node], str | None]) -> str | None:
        if func.children and func.children[0].type == "async":
            return None                          # a coroutine
        holder = func.parent
        if holder is not None and holder.type == "decorated_definition":
            for decorator in (c for c in holder.named_children if c.type == "decorator"):
                if not self._transparent(decorator):
                    return None                  # `@contextmanager`, `@pytest.fixture`: not what the body returns
        annotation = func.child_by_field_name("return_type")
        if annotation is not None:
            return self._annotated_class(annotation, qualify)
        returns = _own_returns(func)
        if not returns:
            return None                          # a generator, or no value returned
        found: list[str | None] = []
        for value in _alternatives(returns):
            if self._recursive(value, func):
                continue                         # `return walk(n - 1)`: what the other returns give
            found.append(self.library_class(value, qualify) if value.type in ("identifier", "call", "attribute")
                         else None)
            if found[-1] is None:
                return None
        return union_of_known(found)             # returns of different classes: their union

    def _recursive(self, value: Node, func: Node) -> bool:
        """A call of a function whose returns are being read: `func` itself, or one that called it
        (then the answer holds only while that one is being read: `_def_returns` does not keep it)."""
        callee = value.child_by_field_name("function") if value.type == "call" else None
        reading = [d for d in self._own_callables(callee) if d.id in self._returning] if callee is not None else []
        if any(d.id != func.id for d in reading):
            self._recursed = True
        return bool(reading)

    def _transparent(self, decorator: Node) -> bool:
        """A decorator that leaves what a call returns alone: `staticmethod`, `functools.lru_cache(...)`."""
        expr = decorator.named_children[0] if decorator.named_children else None
        if expr is not None and expr.type == "call":
            expr = expr.child_by_field_name("function")
        last = expr.child_by_field_name("attribute") if expr is not None and expr.type == "attribute" else expr
        if last is None or last.type != "identifier":
            return False
        self.words.add(last.text.decode())
        return last.text.decode() in _TRANSPARENT_DECORATORS

    def _own_callables(self, callee: Node) -> list[Node]:
        if callee.type == "identifier":
            name = callee.text.decode()
            self.words.add(name)
            self.module_words.add(name)
            if name in self.library_names or name in self.foreign or local_bindings(self.root, self.data, callee):
                return []
            return self._functions_seen(callee)
        obj, attr = callee.child_by_field_name("object"), callee.child_by_field_name("attribute")
        if callee.type != "attribute" or obj is None or attr is None or obj.type != "identifier":
            return []
        method = attr.text.decode()
        self.words.add(method)
        self.module_words.add(method)
        cls = self._own_class_of(obj)
        return [] if cls is None else [d for d in _methods(cls) if d.child_by_field_name("name").text == attr.text]

    def _functions_seen(self, ident: Node) -> list[Node]:
        """The `def`s the name at `ident` means: those of the innermost scope around it that binds
        the name, when every binding of it there is a `def` (else [], as for `load = other`)."""
        name = ident.text.decode()
        bound: dict[int, list[Node]] = {}
        for node, scope in named_bindings(self.root, self.data, frozenset({name})):
            bound.setdefault(scope, []).append(node)
        for scope in scope_chain(ident):
            here = bound.get(scope)
            if here:
                defs = [n.parent for n in here if n.parent is not None and n.parent.type == "function_definition"]
                return defs if len(defs) == len(here) else []
        return []

    def _own_class_of(self, obj: Node) -> Node | None:
        """The file's own class that `self`/`cls` or a class name at `obj` stands for."""
        name = obj.text.decode()
        self.words.add(name)
        func = obj.parent
        while func is not None:            # `self` / `cls`: the first parameter of the enclosing method
            if func.type == "function_definition":
                first = _first_parameter(func)
                if first is not None and first.text == obj.text:
                    return _enclosing_class(func)
            func = func.parent
        self.module_words.add(name)
        if name in self.library_names or name in self.foreign or local_bindings(self.root, self.data, obj):
            return None
        own = [d for d in self.definitions().get(name, ()) if d.type == "class_definition"]
        return own[0] if len(own) == 1 else None

    def _names_foreign_class(self, expr: Node) -> bool:
        """An annotation or callee that names a builtin type, a class imported from elsewhere or
        a class of the file that derives from no library class (`Session | None` too)."""
        if expr.type == "type" and expr.named_child_count == 1:
            expr = expr.named_children[0]
        if expr.type == "none":
            return True
        if expr.type == "binary_operator":                 # `Session | None`
            sides = [expr.child_by_field_name("left"), expr.child_by_field_name("right")]
            return all(s is not None and self._names_foreign_class(s) for s in sides)
        head, args = _generic(expr)
        if head is not None:
            self.words.add(head)       # the verdict reads the spelling: `Optionl[X]` would be judged by `Optionl`
        if head in _UNIONS or head in _WRAPPERS:           # `Optional[pd.DataFrame]` is a DataFrame
            args = args[:1] if head in _WRAPPERS else args
            return bool(args) and all(self._names_foreign_class(a) for a in args)
        root = root_name(expr)
        if root is None:
            return False
        name = root.text.decode()
        self.words.add(name)
        self.module_words.add(name)
        if name in self.library_names:
            return False
        if name in self.foreign or name in _BUILTIN_TYPES:
            return True
        own = [d for d in self.definitions().get(name, ()) if d.type == "class_definition"]
        return bool(own) and not any(self._derives_from_library(d) for d in own)


def _own_returns(func: Node) -> list[Node]:
    """The values of a function's own `return`s (not those of functions nested in it); [] when
    one returns nothing (`return`) or the function is a generator."""
    values: list[Node] = []
    stack = [func.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None or node.type in ("function_definition", "lambda", "class_definition"):
            continue
        if node.type == "yield":
            return []
        if node.type == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is None:
                return []
            values.append(value)
        stack.extend(node.named_children)
    return values


def _alternatives(values: list[Node]) -> list[Node]:
    """The values an expression may give: both of `a if c else b`, what parentheses hold."""
    out: list[Node] = []
    stack = list(reversed(values))
    while stack:
        value = stack.pop()
        parts = code_children(value)
        if value.type == "parenthesized_expression" and len(parts) == 1:
            stack.append(parts[0])
        elif value.type == "conditional_expression" and len(parts) == 3:
            stack.extend((parts[2], parts[0]))
        else:
            out.append(value)
    return out


def _innermost_bindings(root: Node, data: bytes, ident: Node) -> list[Node] | None:
    """The nodes binding `ident`'s name in the innermost function, lambda or comprehension around
    it that binds it; None when none does (the name is the module's), [] in a class body."""
    names = frozenset({ident.text.decode()})
    scope, in_function = ident.parent, False
    while scope is not None:
        if scope.type == "class_definition" and not in_function:
            return []                  # a class body's own names: not followed
        if scope.type in SCOPE_TYPES and scope.type != "class_definition":
            here = [node for node, s in named_bindings(root, data, names, scope.start_byte, scope.end_byte)
                    if s == scope.id]
            if here:
                return here
            in_function = True         # class bodies around a function are not its scopes
        scope = scope.parent
    return None


def _assigned_from(target: Node, use: Node) -> bool:
    """`other = other.reindex_like(x)`: the target is bound only after the value, `use` in it, is made."""
    node = target.parent
    while node is not None and node.type in ("pattern_list", "tuple_pattern", "list_pattern"):
        node = node.parent
    value = node.child_by_field_name("right") if node is not None and node.type == "assignment" else None
    return value is not None and value.start_byte <= use.start_byte < value.end_byte


_EXITS = frozenset({"raise_statement", "return_statement", "continue_statement", "break_statement"})


def _early_exit(block: Node, stmt: Node, name: str) -> tuple[Node, Node | None, list[Node] | None]:
    """(the guard, its condition, the classes) for the nearest `if not isinstance(name, C): raise
    ...` before `stmt` in `block`, with no `elif`/`else` and a body that always leaves; else
    (`block`, None, None)."""
    sibling = stmt.prev_named_sibling
    while sibling is not None:
        if sibling.type == "if_statement" and sibling.child_by_field_name("alternative") is None:
            condition = sibling.child_by_field_name("condition")
            while condition is not None and condition.type == "parenthesized_expression" \
                    and len(code_children(condition)) == 1:
                condition = code_children(condition)[0]
            body = sibling.child_by_field_name("consequence")
            last = code_children(body)[-1] if body is not None and code_children(body) else None
            if condition is not None and condition.type == "not_operator" and last is not None \
                    and last.type in _EXITS:
                tested = condition.child_by_field_name("argument")
                classes = _isinstance_classes(tested, name) if tested is not None else None
                if classes:                   # `not (isinstance(x, C) and ...)`: past it, both hold
                    return sibling, condition, classes
        sibling = sibling.prev_named_sibling
    return block, None, None


def _isinstance_classes(condition: Node, name: str) -> list[Node] | None:
    """The class expressions of `isinstance(name, C)` / `(C, D)` / `C | D` in a condition, alone or
    as a term of an `and`; None when the condition tests no such thing."""
    while condition.type == "parenthesized_expression" and len(code_children(condition)) == 1:
        condition = code_children(condition)[0]
    if condition.type == "boolean_operator":
        op = condition.child_by_field_name("operator")
        if op is None or op.type != "and":
            return None
        for side in (condition.child_by_field_name("left"), condition.child_by_field_name("right")):
            found = _isinstance_classes(side, name) if side is not None else None
            if found:
                return found
        return None
    if condition.type != "call":
        return None
    callee, args = condition.child_by_field_name("function"), condition.child_by_field_name("arguments")
    if callee is None or callee.text != b"isinstance" or args is None or args.type != "argument_list":
        return None
    positional = code_children(args)
    if len(positional) != 2 or positional[0].type != "identifier" or positional[0].text.decode() != name:
        return None
    return _class_terms(positional[1])


def _class_terms(expr: Node) -> list[Node] | None:
    """`C` -> [C]; `(C, D)` and `C | D` -> [C, D]; None for anything that is no class spelling."""
    while expr.type == "parenthesized_expression" and len(code_children(expr)) == 1:
        expr = code_children(expr)[0]
    if expr.type in ("tuple", "binary_operator"):
        parts = expr.named_children if expr.type == "tuple" else [
            expr.child_by_field_name("left"), expr.child_by_field_name("right")]
        if expr.type == "binary_operator" and (expr.child_by_field_name("operator") is None
                                               or expr.child_by_field_name("operator").type != "|"):
            return None
        out: list[Node] = []
        for part in parts:
            terms = _class_terms(part) if part is not None else None
            if terms is None:
                return None
            out.extend(terms)
        return out or None
    if expr.type in ("identifier", "attribute"):
        return [expr]
    return None


def _generic(expr: Node) -> tuple[str | None, list[Node]]:
    """(`Optional`, [X]) for `Optional[X]` or `typing.Optional[X]`; (None, []) for anything else."""
    if expr.type == "generic_type":
        head = expr.named_children[0] if expr.named_children else None
        params = next((c for c in expr.named_children if c.type == "type_parameter"), None)
        args = list(params.named_children) if params is not None else []
    elif expr.type == "subscript":
        head, args = expr.child_by_field_name("value"), expr.children_by_field_name("subscript")
    else:
        return None, []
    if head is not None and head.type == "attribute":
        head = head.child_by_field_name("attribute")
    return (head.text.decode() if head is not None and head.type == "identifier" else None), args


def _methods(cls: Node) -> list[Node]:
    """The functions defined directly in a class's body (decorated or not)."""
    body = cls.child_by_field_name("body")
    out = []
    for stmt in body.named_children if body is not None else ():
        if stmt.type == "decorated_definition":
            stmt = stmt.child_by_field_name("definition")
        if stmt is not None and stmt.type == "function_definition":
            out.append(stmt)
    return out


def _first_parameter(func: Node) -> Node | None:
    params = func.child_by_field_name("parameters")
    first = params.named_children[0] if params is not None and params.named_children else None
    if first is not None and first.type == "typed_parameter":
        first = first.named_children[0] if first.named_children else None
    return first if first is not None and first.type == "identifier" else None


def _method_owner(param: Node) -> Node | None:
    """The class whose method takes `param` first (`self`, `cls`), unless it is a staticmethod."""
    params = param.parent
    func = params.parent if params is not None and params.type == "parameters" else None
    if func is None or func.type != "function_definition" or _first_parameter(func) != param:
        return None
    holder = func.parent
    if holder is not None and holder.type == "decorated_definition" and any(
            d.named_children and d.named_children[0].text == b"staticmethod"
            for d in holder.named_children if d.type == "decorator"):
        return None
    return _enclosing_class(func)


def _enclosing_class(func: Node) -> Node | None:
    holder = func.parent
    if holder is not None and holder.type == "decorated_definition":
        holder = holder.parent
    cls = holder.parent if holder is not None and holder.type == "block" else None
    return cls if cls is not None and cls.type == "class_definition" else None


# Where a use may see a binding made after the one before it (a loop's later round, a comprehension's
# own variable) or made by statements only partly run (a `try:` before its handler).
_REBINDING = frozenset({"for_statement", "while_statement", "list_comprehension", "set_comprehension",
                        "dictionary_comprehension", "generator_expression", "except_clause", "finally_clause"})


def reaching_value(ident: Node) -> Node | None:
    """The value of the assignment `name = value` that every path to the use `ident` runs last:
    a statement before the use's own, in a block around it, with no binding of the name in
    between (`plot_data = data[order]` right before `plot_data.iteritems()`). None when a loop, a
    handler or anything between may rebind it, or when it is a parameter or bound elsewhere."""
    name = ident.text.decode()
    child, cur = ident, ident.parent
    while cur is not None:
        if cur.type in ("block", "module"):
            for stmt in reversed([s for s in cur.named_children if s.end_byte <= child.start_byte]):
                value = _assigned_value(stmt, name)
                if value is not None:
                    return value
                if binds_name(stmt, name):
                    return None
            if cur.type == "module":
                return None
        elif cur.type in _ANCHORS or cur.type in _REBINDING:
            return None
        elif cur.type in ("if_statement", "elif_clause", "with_statement") and any(
                binds_name(c, name) for c in cur.named_children if c.type not in ("block", "elif_clause", "else_clause")
                and c.start_byte < child.start_byte):
            return None               # `if (x := ...)`, `with open(p) as x:`
        child, cur = cur, cur.parent
    return None


def _assigned_value(stmt: Node, name: str) -> Node | None:
    """`value` of a statement `name = value` (a plain name, one target)."""
    pair = plain_assignment(stmt)
    return pair[1] if pair is not None and pair[0].type == "identifier" and pair[0].text.decode() == name else None
