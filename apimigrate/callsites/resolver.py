"""Find every reference to a deprecated API in one file.

Cost matters (check runs over whole repositories, the LSP on every
keystroke), so the resolver never walks the whole tree: a regex finds the
places that spell an import alias of a deprecated library (or a deprecated
method name), and only those nodes are inspected, with their ancestors.
"""
from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from functools import lru_cache

from tree_sitter import Node, Tree

from apimigrate.db.records import (FALSE_LITERALS, SETTER, USE_ANY, USE_DEFAULT, USE_POSITIONAL, USE_TRUTHY, USE_VALUE,
                                   canonical_literal, is_gone, passed_value, union_classes, usage_of)

from .bindings import (DEFINITION_TYPES, MODULE_SCOPE, SCOPE_TYPES, Binding, FileBindings, ImportBinding, assigned,
                       binding_scope, classify, collect_imports, named_bindings, resolve, root_name, scope_chain,
                       written, _in_except)
from .index import DeprecationIndex
from .model import Reference, describe
from .parsing import parse
from .project import ImportContext
from .compat import VERSION_PATHS, CompatBranches
from .opt_in import OptIn, OptIns, option_of
from .parametrize import Parametrized, branch_conditions, calls_of, compared
from .receivers import Receivers, reaching_value
from .returns import any_returned_class, picked_signatures, property_class, returned_items
from .rewrite import Rewriter, key_of
from .source import SourceText

_WORD = re.compile(r"\w+")
_BUILTIN_NAMES = frozenset(dir(builtins))

# A method matched by name on a value of unknown type is believed this much less.
BY_NAME_FACTOR = 0.6


def _receiver_of(node: Node) -> str | None:
    """`env` of a reported `env.var_to_val` (the attribute or its last name)."""
    parent = node.parent
    if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
        node = parent
    obj = node.child_by_field_name("object") if node.type == "attribute" else None
    return obj.text.decode() if obj is not None else None


def _alternatives(names) -> bytes:
    return b"|".join(re.escape(n.encode()) for n in sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=1024)
def _scan_patterns(spec: tuple[tuple[str, tuple[str, ...] | None], ...]) -> tuple[tuple[str, re.Pattern[bytes]], ...]:
    """For each (name, attrs): whole words `name`; with attrs, not where `name.x` follows with x not in attrs.

    `np.asarray` cannot report anything when `numpy.asarray` starts no deprecated
    path (see FileResolver._scan_names), so the regex does not even stop there.
    One pattern per name, each starting with its literal: the regex engine then
    searches for the literal, several times faster than one alternation of all
    names. Compiled once per distinct spec (the files of a project import alike), and each
    name's pattern once (the names a file binds to the project's modules vary from file to file).
    """
    return tuple((name, _scan_pattern(name, attrs)) for name, attrs in spec)


@lru_cache(maxsize=4096)
def _scan_pattern(name: str, attrs: tuple[str, ...] | None) -> re.Pattern[bytes]:
    word = re.escape(name.encode())
    pattern = word + rb"(?<![A-Za-z0-9_]" + word + rb")\b"
    if attrs is not None:
        live = rb"(?:" + _alternatives(attrs) + rb")\b" if attrs else rb"(?!)"
        pattern += rb"(?![ \t]*\.[ \t]*(?!" + live + rb")[A-Za-z_])"
    return re.compile(pattern)


def _scan(data: bytes, patterns: tuple[tuple[str, re.Pattern[bytes]], ...], pos: int,
          end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, name) of every match of every pattern starting in [pos, end), in text order."""
    if end is None or end >= len(data):
        found = [(m.start(), m.end(), name) for name, p in patterns for m in p.finditer(data, pos)]
    else:
        # The lookaheads must see past `end` as in the whole file; none crosses a line end.
        stop = data.find(b"\n", end)
        stop = len(data) if stop < 0 else stop + 1
        found = [(m.start(), m.end(), name) for name, p in patterns for m in p.finditer(data, pos, stop)
                 if m.start() < end]
    found.sort()
    return found




def _module_scope_spans(root: Node, lo: int, hi: int) -> list[tuple[int, int]]:
    """Byte spans outside [lo, hi) that can hold a module-scope binding, as `binding_scope` sees it.

    Everything of a top-level statement except the insides of its function or
    class definitions (their names and, for decorated ones, the decorators stay).
    """
    spans: list[tuple[int, int]] = []

    def add(a: int, b: int) -> None:
        if spans and spans[-1][1] >= a - 1:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))

    for stmt in root.children:
        if lo <= stmt.start_byte < hi:
            continue
        node = stmt
        if node.type == "decorated_definition":
            definition = node.child_by_field_name("definition")
            for child in node.children:
                if child.type == "decorator":
                    add(child.start_byte, child.end_byte)
            node = definition if definition is not None else node
        if node.type in DEFINITION_TYPES:
            name = node.child_by_field_name("name")
            if name is not None:
                add(name.start_byte, name.end_byte)
        elif node is stmt:
            add(stmt.start_byte, stmt.end_byte)
        else:
            add(node.start_byte, node.end_byte)
    return spans


class FileResolver:
    """Resolution state for one parsed file."""

    def __init__(self, source: bytes, tree: Tree, index: DeprecationIndex, *,
                 wanted: frozenset[str] | None = None, start: int = 0, end: int | None = None,
                 project: ImportContext | None = None) -> None:
        self.text = SourceText(source)
        self.tree = tree
        self.index = index
        # Only report in [start, end) (the LSP re-resolves one changed region); the whole
        # file still supplies imports and bindings.
        self.start = start
        self.end = len(source) if end is None else end
        self.bindings: FileBindings = collect_imports(
            source, tree.root_node, index.libraries if wanted is None else wanted, index.star_names,
            project=project)
        self.project = project
        self._project_classes: dict[tuple[str, str], str | None] = {}
        self._project_owns: dict[tuple[str, str], bool] = {}      # `_project_own`, by (module, name)
        self.libraries = {imp.target.split(".")[0] for imp in self.bindings.imports}
        self.uses_of: dict[int, list[Node]] = {}
        self.refs: list[Reference] = []
        self.rewriter = Rewriter(self)
        self._pending: list[tuple[Reference, object]] = []
        self._scanned: set[str] = set()           # names whose uses and bindings _scan_names collected
        self._receiver_facts: Receivers | None = None
        self._compat_facts: CompatBranches | None = None
        self._opt_ins: OptIns | None = None
        self._arms: dict[int, tuple[Node, Binding] | None] = {}     # `_current_arm`, by the binding seen
        self._project_words: set[str] = set()     # attribute names looked up in the project's modules

    # ---- the passes ----------------------------------------------------
    def run(self) -> list[Reference]:
        # A library whose values the project's functions hand out counts as one the file uses
        # (`from .io import load_frame` returning a DataFrame, with no `import pandas`).
        self.libraries |= self._handed_out_libraries()
        if not self.bindings.imports and not self.libraries and not self.bindings.project_modules \
                and not self.bindings.module_strings:
            return []
        self._imports()
        uses, attrs = self._scan_names()
        resolved_ids: set[int] = set()
        for node, parent, imp in uses:
            resolved_ids.add(node.id)
            self._chain(node, parent, imp)
        for node in attrs:
            self._by_name(node, resolved_ids)
        self._parametrized_calls()
        for ref, make in self._pending:
            ref.rewrite = make()
        self.refs.sort(key=lambda r: (r.line, r.col, r.api))
        return self.refs

    def _scan_names(self) -> tuple[list[tuple[Node, Node | None, ImportBinding]], list[Node]]:
        """Classify every identifier spelled like an alias or a deprecated method name.

        Returns the uses that resolve to an import (node, its parent, the
        import) and the attribute names that may be by-name method matches.

        Only names that can matter are looked for: an import name whose target
        starts a deprecated path or may spell a replacement (`index.relevant`),
        and method names that can report (`index.live_method_names`). And a use
        `np.asarray` is not looked at when no import bound to `np` is deprecated
        itself (or has deprecated parameters) and no deprecated path starts with
        `numpy.asarray`: _chain would stop there with nothing to report. A name
        that is also a method name is always looked at (after a dot it is an
        attribute, not a use). Names left out here are resolved on demand
        (`_resolves_to_import`) when a by-name match needs them.
        """
        index = self.index
        method_names = index.live_method_names(self.libraries) | index.typed_method_names(self.libraries) \
            if self.libraries else set()
        targets: dict[str, set[str]] = {}
        for imp in self.bindings.imports:
            targets.setdefault(imp.name, set()).add(imp.target)
        spec: dict[str, tuple[str, ...] | None] = {}
        for name, ts in targets.items():
            if not any(index.relevant(t) for t in ts):
                continue
            publics = {index.canonical(t) for t in ts} | ts     # `from pkg._impl import Frame` is pkg.Frame
            if name in method_names or any(t in index.by_api or t in index.params for t in publics):
                spec[name] = None
            else:
                spec[name] = tuple(sorted(frozenset().union(*(index.children.get(t, ()) for t in publics))))
        for imp in self.bindings.project_modules:
            spec[imp.name] = None                 # what its attributes are is asked of the project (_project_chain)
        alias_names = set(spec)
        self._scanned = set(alias_names)
        for name in method_names:
            spec.setdefault(name, None)
        if not spec:
            return [], []
        patterns = _scan_patterns(tuple(sorted(spec.items())))
        root, data = self.tree.root_node, self.text.data
        raw_uses: list[tuple[Node, Node | None, str]] = []
        attrs: list[Node] = []
        lo, hi = self.start, self.end
        if alias_names and (lo > 0 or hi < len(data)) and not root.has_error:
            # In a window, uses count inside it only, and of the bindings of alias names
            # outside it only those at module scope can reach a use inside (in a tree
            # with errors, recovery can put a binding anywhere: then look everywhere).
            alias_spec = _scan_patterns(tuple((n, a) for n, a in sorted(spec.items()) if n in alias_names))
            other_spec = tuple((n, a) for n, a in sorted(spec.items()) if n not in alias_names)
            hits = _scan(data, _scan_patterns(other_spec), lo, hi) if other_spec else []
            for a, b in [(lo, hi), *_module_scope_spans(root, lo, hi)]:
                hits += _scan(data, alias_spec, a, b)
            hits.sort()
        elif alias_names:
            hits = _scan(data, patterns, 0)       # bindings anywhere; `inside` picks the reports
        else:
            hits = _scan(data, patterns, lo, hi)
        for start, end, name in hits:
            node = root.descendant_for_byte_range(start, end)
            if node is None or node.type != "identifier" or node.start_byte != start or node.end_byte != end:
                continue                          # inside a string, a comment, a longer name
            parent = node.parent
            kind = classify(node, parent)
            inside = lo <= start < hi
            if kind == "attr":
                if name in method_names and inside:
                    attrs.append(node)
            elif kind == "use":
                if name in alias_names and inside:
                    raw_uses.append((node, parent, name))
            elif kind in ("bind", "param") and name in alias_names:
                self.bindings.add(name, Binding(binding_scope(node, kind), node.start_byte, None,
                                                _in_except(node)))
        for bs in self.bindings.by_name.values():
            bs.sort(key=lambda b: b.pos)
        uses: list[tuple[Node, Node | None, ImportBinding]] = []
        for node, parent, name in raw_uses:
            b = self._binding_of(node, name)
            if b is not None and b.imp is not None:
                uses.append((node, parent, b.imp))
                self.uses_of.setdefault(key_of(b.imp), []).append(node)
        return uses, attrs

    def _resolves_to_import(self, node: Node, name: str) -> bool:
        """Whether the use `node` of import name `name` sees an import of a scanned library."""
        b = self._seen_binding(node, name)
        return b is not None and b.imp is not None

    def _seen_binding(self, node: Node, name: str) -> Binding | None:
        """The binding the use `node` of `name`, a name some import binds, sees (the file's other
        bindings of it collected on demand, once)."""
        if name not in self._scanned:
            self._scanned.add(name)
            for other, scope in named_bindings(self.tree.root_node, self.text.data, frozenset({name})):
                self.bindings.add(name, Binding(scope, other.start_byte, None, _in_except(other)))
            self.bindings.by_name[name].sort(key=lambda b: b.pos)
        return self._binding_of(node, name)

    def _binding_of(self, node: Node, name: str) -> Binding | None:
        bs = self.bindings.by_name[name]
        if len(bs) == 1 and bs[0].scope == MODULE_SCOPE and bs[0].pos <= node.start_byte:
            return bs[0]                          # the common case: one import at the top, used below it
        seen = resolve(bs, scope_chain(node), node.start_byte)
        if seen is not None and seen.imp is not None and len(bs) > 1:
            seen = self._current_arm(seen, bs, node)
        return seen

    def _current_arm(self, seen: Binding, bindings: list[Binding], use: Node) -> Binding:
        """The binding a use after an `if`/`try` sees when that statement binds the name in each of
        its arms: the arm for the library's current versions, not the textually last one.

        `if torch_version >= (2, 4): from torch.amp import GradScaler` / `else: from torch.cuda.amp
        import GradScaler` (accelerate): on a current torch `GradScaler` is `torch.amp.GradScaler`, so a
        later `Optional[GradScaler]` is no use of the deprecated class, though the `else:` import
        comes last. Likewise `try: from numpy import trapezoid` / `except ImportError: from numpy
        import trapz as trapezoid`. When the import `seen` sits in compatibility code (compat.py) and
        another arm of the innermost `if`/`try` around it that binds the name too (in the same scope)
        is not compatibility code, that arm's last binding is the one seen. A use inside that statement
        sees what its own arm binds, as before; so does a use where no arm, or every arm, is on the
        current side (a test compat.py cannot read)."""
        key = id(seen)
        if key not in self._arms:
            self._arms[key] = self._newer_arm(seen, bindings)
        found = self._arms[key]
        if found is None:
            return seen
        statement, binding = found
        if statement.start_byte <= use.start_byte < statement.end_byte:
            return seen
        return binding

    def _newer_arm(self, seen: Binding, bindings: list[Binding]) -> tuple[Node, Binding] | None:
        imp = seen.imp
        others = [b for b in bindings if b is not seen and b.scope == seen.scope]
        if imp is None or imp.project_module or not others:
            return None
        arm, cur = imp.stmt, imp.stmt.parent
        while cur is not None and cur.type not in SCOPE_TYPES:
            if cur.type in ("if_statement", "try_statement"):
                exclusive = _exclusive_arms(cur)
                mine = _arm_at(arm.start_byte, exclusive)
                rivals = [b for b in others if cur.start_byte <= b.pos < cur.end_byte
                          and _arm_at(b.pos, exclusive) not in (None, mine)]
                if mine is not None and rivals:
                    return self._decide(seen, cur, rivals)
            arm, cur = cur, cur.parent
        return None

    def _decide(self, seen: Binding, statement: Node, rivals: list[Binding]) -> tuple[Node, Binding] | None:
        imp = seen.imp
        package = imp.target.split(".")[0]
        row = self.index.lookup(self.index.canonical(imp.target)) or {}
        boundary = row.get("since") or row.get("removed_in")
        facts, library = self._compat(), row.get("library")
        if not facts.covers(imp.stmt, package, library, boundary, removed=self._gone(imp)):
            return None                           # `seen` is the current versions' binding already
        root = self.tree.root_node
        current = [b for b in rivals if not facts.covers(
            b.imp.stmt if b.imp is not None else root.descendant_for_byte_range(b.pos, b.pos + 1),
            package, library, boundary, removed=self._gone(b.imp))]
        return (statement, current[-1]) if current else None

    def _gone(self, imp: ImportBinding | None) -> bool:
        """Whether an import binds an API the newest release scanned no longer has."""
        row = self.index.lookup(self.index.canonical(imp.target)) if imp is not None else None
        return row is not None and is_gone(row)

    # ---- reporting -----------------------------------------------------
    def _report(self, node: Node, row: dict, kind: str, *, by_name: bool = False,
                parameter: str | None = None, make=None, value: str | None = None,
                imp: ImportBinding | None = None, shown: str | None = None) -> Reference | None:
        """`shown`: the name the use reaches the row's API by (the receiver's class's member)."""
        setter = row.get("kind") == SETTER
        if setter and not assigned(node):
            return None                           # reading a property whose setter alone is deprecated
        option = option_of(row)
        if option is not None and self._opted_in(node, option, row["api"].split(".")[0]):
            return None                           # the warning's own advice is followed (opt_in.py)
        line, col = self.text.point(node.start_point)
        end_line, end_col = self.text.point(node.end_point)
        conf = float(row.get("confidence") or 0.0)
        facts, package = self._compat(), row["api"].split(".")[0]
        boundary = row.get("since") or row.get("removed_in")
        # A use through a name the compatibility code imported (`except ImportError: from numpy
        # import byte_bounds`) is as much compatibility code as the import.
        new_name = (row.get("replacement") or "").rpartition(".")[2]
        receiver = _receiver_of(node)
        probe = (receiver, new_name) if receiver else None      # new_name "": no replacement known
        removed = is_gone(row)
        compat = facts.covers(node, package, row.get("library"), boundary, probe, removed) or (
            imp is not None and facts.covers(imp.stmt, package, row.get("library"), boundary, probe, removed))
        ref = Reference(api=row["api"], row=row, line=line, col=col, end_line=end_line, end_col=end_col,
                        kind=kind, confidence=round(conf * BY_NAME_FACTOR, 4) if by_name else conf,
                        message=describe(row, kind, value, shown), by_name=by_name, parameter=parameter,
                        value=value, compat=compat, name=shown if shown != row["api"] else None)
        self.refs.append(ref)
        # the older versions' branch must keep the old spelling; `np.float = float` (a shim that
        # brings a removed name back) or `del a.attr` has no renamed form: the new name is another
        # attribute, perhaps read-only, and the old one is what the shim is for
        if make is not None and not compat and not written(node):
            self._pending.append((ref, make))
        return ref

    def _opted_in(self, node: Node, option: OptIn, package: str) -> bool:
        if self._opt_ins is None:
            self._opt_ins = OptIns(self.tree.root_node, self._owned_by)
        return self._opt_ins.covers(node, option, package)

    def _owned_by(self, callee: Node, package: str) -> bool:
        """`pd.set_option` with `pd` an import of the package, or an `option_context` imported from it."""
        head = callee
        while head.type == "attribute":
            head = head.child_by_field_name("object") or head
            if head.type not in ("attribute", "identifier"):
                return False
        name = head.text.decode() if head.type == "identifier" else None
        return any(imp.name == name and (imp.target == package or imp.target.startswith(package + "."))
                   for imp in self.bindings.imports)

    def _compat(self) -> CompatBranches:
        if self._compat_facts is None:
            aliases: dict[str, set[str]] = {}
            versions: dict[str, set[str]] = {}
            for imp in self.bindings.imports:
                package, _, rest = imp.target.partition(".")
                aliases.setdefault(package, set()).add(imp.name)
                if rest in VERSION_PATHS:
                    versions.setdefault(package, set()).add(imp.name)
            self._compat_facts = CompatBranches(self.tree.root_node, self.text.data, aliases, versions)
        return self._compat_facts

    def _imports(self) -> None:
        """Deprecated modules and names spelled in import statements."""
        index = self.index

        def lookup(target: str) -> dict | None:      # `from pkg._impl import old` is `pkg.old`
            return index.lookup(index.canonical(target))
        done_modules: set[int] = set()
        by_statement: dict[int, list[ImportBinding]] = {}
        for imp in self.bindings.imports:
            by_statement.setdefault(imp.stmt.id, []).append(imp)
        for imp in self.bindings.imports:
            # a name the project's module imported is reported there, where the library is spelled
            if imp.star or imp.via or imp.dynamic or not self.start <= imp.stmt.start_byte < self.end:
                continue
            if imp.module is None:
                dotted = imp.item.child_by_field_name("name") if imp.aliased else imp.item
                self._import_module(dotted, imp)
                continue
            if imp.stmt.id not in done_modules:
                done_modules.add(imp.stmt.id)
                # `from scipy.stats.kde import gaussian_kde`: when each name imported has a row of
                # its own (a shim's name with a public home), that row says it all, with its fix.
                if any(i.star or lookup(i.target) is None for i in by_statement[imp.stmt.id]):
                    self._import_module(imp.module, imp)
            row = lookup(imp.target)
            if row is not None:
                name_node = imp.item.child_by_field_name("name") if imp.aliased else imp.item
                self._report(name_node, row, "import",
                             make=lambda imp=imp, row=row: self.rewriter.binding(imp, row))
        # `pytest.importorskip("numpy.core")`: the string is the import statement's module name
        for content, _ in self.bindings.module_strings:
            if self.start <= content.start_byte < self.end:
                self._import_module(content, None)

    def _import_module(self, dotted: Node, imp: ImportBinding | None) -> None:
        """`imp`: the import statement's binding (None for a module named in a string)."""
        path = dotted.text.decode().replace(" ", "")
        parts = path.split(".")
        for i in range(len(parts), 0, -1):        # the most specific deprecated prefix
            row = self.index.lookup(".".join(parts[:i]))
            if row is not None:
                whole = i == len(parts)
                if imp is not None and imp.module is None and imp.aliased and whole:
                    make = lambda imp=imp, row=row: self.rewriter.binding(imp, row)
                elif whole:
                    make = lambda node=dotted, row=row: self.rewriter.module(node, row)
                else:
                    make = None
                self._report(dotted, row, "import", make=make)
                return

    def _chain(self, node: Node, parent: Node | None, imp: ImportBinding, exported: Node | None = None) -> None:
        """Follow `np.linalg.x` upwards from the alias; report the most specific deprecated name.

        `parent` is node.parent (already known: every `.parent` walks down from the root).
        `exported`: the attribute of a project module that names `imp.target` (`c.assert_index_equal`
        of `import proj.compat as c`); a rewrite of it would name what the module does not bind.
        """
        if imp.project_module:
            self._project_chain(node, parent, imp)
            return
        index = self.index
        # `qual` as the code spells it; `public` the name rows use (`sklearn.metrics._classification.f`
        # and `pandas.core.frame.DataFrame.x` are `sklearn.metrics.f` and `pandas.DataFrame.x`)
        qual = imp.target
        public = qual if qual in index.prefixes else index.canonical(qual)
        if public not in index.prefixes and qual not in index.alias_prefixes:
            return
        match: tuple[dict, Node, str] | None = None
        while True:
            row = index.by_api.get(public)
            if row is not None:
                match = (row, node, qual)
            if parent is None or parent.type != "attribute" or parent.start_byte != node.start_byte \
                    or (public not in index.prefixes and qual not in index.alias_prefixes):
                break
            attr = parent.child_by_field_name("attribute")
            if attr is None:
                break
            qual = qual + "." + attr.text.decode()
            public = qual if qual in index.prefixes else index.canonical(qual)
            node, parent = parent, parent.parent
        call = parent if parent is not None and parent.type == "call" \
            and parent.start_byte == node.start_byte else None
        if match is not None:
            row, mnode, spelled = match
            kind = "call" if (mnode is node and call is not None) else (
                "reference" if mnode is node else "attribute")
            # the name's owner as spelled is the row's owner (not a private module that need not
            # have the replacement): then renaming the attribute alone is the fix
            same_owner = index.canonical(spelled.rpartition(".")[0]) == row["api"].rpartition(".")[0]
            make = None if mnode is exported else lambda: self.rewriter.chain(mnode, row, imp, same_owner)
            self._report(mnode, row, kind, make=make, imp=imp)
        if call is not None:
            self._keywords(call, index.parameters(public), by_name=False)

    def _project_chain(self, node: Node, parent: Node | None, imp: ImportBinding) -> None:
        """`c.assert_index_equal(...)` with `import proj.compat as c`, `proj.compat.x` with `import
        proj.compat`, `compat.x` with `from proj import compat`: follow the attributes through the
        project's modules to a library name (project.py, with the agreement rules of `from
        proj.compat import x`), then on as `_chain` does. The name the project's module exports is
        reported, never rewritten (the module has no binding of the new name)."""
        module = imp.target
        while parent is not None and parent.type == "attribute" and parent.start_byte == node.start_byte:
            attr = parent.child_by_field_name("attribute")
            if attr is None:
                return
            found = self._project_member(module, attr.text.decode())
            if found is None:
                return
            node, parent = parent, parent.parent
            library, path = found
            if library:
                self._chain(node, parent, ImportBinding(imp.name, path, imp.stmt, imp.item, imp.module, imp.aliased,
                                                        imp.scope, imp.pos, imp.in_except, via=module),
                            exported=node)
                return
            module = path

    def _project_member(self, module: str, name: str) -> tuple[bool, str] | None:
        """`ImportContext.member` (cached for the project); the name becomes a word the verdicts read
        (an edit of `c.aie` into `c.aiex` changes what it is)."""
        self._project_words.add(name)
        return self.project.member(module, name) if self.project is not None else None

    def _parametrized_calls(self) -> None:
        """`path_func(X, y, n_alphas=5)` in a test pytest runs with `path_func` set to each of
        `[enet_path, lasso_path]`: the deprecated arguments of every library callable among the
        values (parametrize.py). No rewrite unless the value is one: a spelling must fit them all."""
        data = self.text.data
        if b"parametrize" not in data:
            return
        root = self.tree.root_node
        for item in self._receivers().parametrized().values():
            apis = [a for a in dict.fromkeys(self._library_path(v) for v in item.values) if a]
            if not apis:
                continue
            for call in calls_of(item, root, data):
                if not self.start <= call.start_byte < self.end:
                    continue
                for api in self._narrowed(apis, call, item):
                    pending = len(self._pending)
                    self._keywords(call, self.index.parameters(api), by_name=False)
                    if len(item.values) > 1:
                        del self._pending[pending:]

    def _narrowed(self, apis: list[str], call: Node, item: Parametrized) -> list[str]:
        """The values a call can see under the `if LR == LogisticRegression:` (`in (A, B)`) / `else:`
        around it; a test naming anything but library values tells nothing."""
        for condition, holds in branch_conditions(call, item.function):
            test = compared(condition, item.name, self.text.data)
            if test is None:
                continue
            named = {self._library_path(value) for value in test[0]}
            if named & set(apis) and None not in named:
                apis = [a for a in apis if (a in named) == (holds == test[1])]
        return apis

    def _by_name(self, node: Node, resolved_ids: set[int]) -> None:
        """`df.applymap(f)`: a deprecated method name on a value whose class the file makes plain
        (`df = pd.DataFrame(...)`), else whose type we do not know."""
        attribute = node.parent
        name = node.text.decode()
        call = self._callee_of(attribute)
        receiver = attribute.child_by_field_name("object")
        if receiver is not None and receiver.type in ("identifier", "call", "attribute") \
                and name in self.index.typed_method_names(self.libraries) and self._typed(attribute, call, name):
            return
        root = receiver
        while root is not None and root.type == "attribute":
            root = root.child_by_field_name("object")
        if root is not None and root.id in resolved_ids:
            return                                # `pd.DataFrame.applymap`: the chain decided
        accessor = receiver.child_by_field_name("attribute") if receiver is not None \
            and receiver.type == "attribute" else None
        if accessor is not None:
            self._receivers().words.add(accessor.text.decode())    # `dt` edited into `dtx` changes the verdict
        held = self.index.accessors.get(accessor.text.decode()) if accessor is not None else None
        found = self.index.member_of(held, name) if held is not None else None
        if found is not None:
            # `df["d"].dt.weekday`: whatever `df["d"]` is, a library value's `dt` is the one
            # accessor class every library `dt` holds, which decides as a class does
            row = found[1]
            params = self.index.parameters(found[0]) if call is not None else {}
        else:
            libraries = self._libraries_of(receiver)
            row = self.index.method(name, libraries)
            if row is not None and call is None and row.get("kind") == "method" and name in _BUILTIN_NAMES:
                # A method named like a builtin but not called, on a receiver of unknown class, is
                # another object's attribute: an array namespace's dtype `xp.bool`, not pandas 2.2's
                # `NDFrame.bool()` (gone from pandas 3, so no live namesake vetoes the name).
                row = None
            params = self.index.method_parameters(name, libraries) if call is not None else {}
            package = self._library_value(receiver) if call is not None and receiver is not None else None
            if package is not None:
                params = {**params, **self.index.member_keywords(name, package)}
        args = call.child_by_field_name("arguments") if call is not None else None
        # By name only keywords are reported: `df.fillna(0)` cannot meet `fillna(method=)`, and
        # its receiver need not be judged (nor its names become words the editor watches). The
        # accessor's class is known: its positions hold (`x.dt.floor("H")`).
        if params and found is None and not (args is not None and args.type == "argument_list"
                           and any(k in params for k in _Passed.of(args).keywords)):
            params = {}
        if row is None and not params:
            return
        if found is None and self.project is not None and self.project.defines_member(name) \
                and not self.project.is_library_of(row, params):
            return         # `res.summary()` in statsmodels: its own results classes answer to the name
        if root is not None and root.type == "identifier":
            # A use of an import _scan_names did not look at: the chain decides all the same.
            name_at_root = root.text.decode()
            if any(imp.name == name_at_root for imp in self.bindings.imports) and \
                    self._resolves_to_import(root, name_at_root):
                return
            if self._receivers().not_library(root):
                return     # `packaging.version.parse(...)`, `self.parse()` in the file's own class...
        elif root is not None and self._receivers().built_elsewhere(root):
            return         # `FrameParser(json).parse()`, `"-".join(parts)`
        if row is not None:
            self._report(attribute.child_by_field_name("attribute"), row,
                         "call" if call is not None else "attribute", by_name=True)
        if params:
            self._keywords(call, params, by_name=True, at_positions=found is not None)

    def _libraries_of(self, receiver: Node | None) -> frozenset[str]:
        """The libraries a by-name match on `receiver` may be of: the file's, or only those of its
        class when that is known (a DataFrame's `iteritems()`, gone from pandas, is no numpy
        `NpzFile.iteritems` because the file also imports numpy)."""
        held = self._receivers().library_class(receiver, self._library_class) \
            if receiver is not None and receiver.type in ("identifier", "call", "attribute") else None
        if held is None:
            library = self._reaching_library(receiver) if receiver is not None and receiver.type == "identifier" \
                else None
            return self.libraries & {library} if library is not None else self.libraries
        return frozenset(self.libraries & {c.split(".")[0] for c in union_classes(held)})

    def _reaching_library(self, name: Node) -> str | None:
        """The library of the value a name was last given before its use, where every path gives it
        that value (receivers.reaching_value): seaborn 0.11's `plot_data = data[order]`, `data` a
        DataFrame, makes `plot_data.iteritems()` pandas' whatever else the function binds to the name."""
        value = reaching_value(name)
        if value is None:
            return None
        self._receivers().words.update(w.decode() for w in re.findall(rb"\w+", value.text))
        # Only values read from a library: judging `Report(...)` or `self.x` would make the verdict
        # hang on the file's own classes, and an editor re-check every edit of them (lsp/region.py).
        root = root_name(value)
        if root is None or root.text == b"self":
            return None
        if value.type == "subscript":
            return self._library_value(value)
        if not any(imp.name == root.text.decode() for imp in self.bindings.imports):
            return None
        cls = self._receivers().library_class(value, self._library_class) if value.type in ("call", "attribute") \
            else None
        packages = {c.split(".")[0] for c in union_classes(cls)} if cls is not None else set()
        return packages.pop() if len(packages) == 1 else None

    def _typed(self, attribute: Node, call: Node | None, name: str) -> bool:
        """Report `name` on a receiver of a known library class as its hierarchy says: the
        deprecated member (with a rewrite when the drop-in replacement is the class's too) and
        the call's deprecated parameters, exactly. False when the class, or which of its
        hierarchy defines `name`, is unknown."""
        held = self._receivers().library_class(attribute.child_by_field_name("object"), self._library_class)
        hit = self.index.narrowed_member(held, name) if held is not None else None
        if hit is None:
            return False
        owner, (api, row) = hit
        cls = union_classes(owner)[0]                                   # a union's: that of its first class
        attr = attribute.child_by_field_name("attribute")
        # Named as the receiver's class has it: `pandas.DataFrame.fillna`, not the private
        # `pandas.core.generic.NDFrame.fillna` that defines it.
        shown = f"{cls}.{name}"
        if row is not None:
            mro = self.index.mro(cls)
            self._report(attr, row, "call" if call is not None else "attribute",
                         make=lambda: self.rewriter.method(attr, row, mro)
                         or (self.rewriter.chosen_method(call, row, cls) if call is not None else None), shown=shown)
        if call is not None:
            self._keywords(call, self.index.parameters(api), by_name=False, bound=True, shown=shown, receiver=cls)
        return True

    def _library_value(self, expr: Node) -> str | None:
        """The library whose value `expr` is when its class is not known: read from a value of a
        known library class by a subscript (`df["a"]`, `df.loc[rows]`) or by an attribute that
        class does not define (`df.a`, a column). A property or method the class defines holds
        whatever it returns (`df.values`, an ndarray): None, as for anything else."""
        node = expr
        while node.type in ("subscript", "attribute"):
            inner = node.child_by_field_name("value" if node.type == "subscript" else "object")
            if inner is None or inner.type not in ("identifier", "call", "attribute", "subscript"):
                return None
            cls = self._receivers().library_class(inner, self._library_class) if inner.type != "subscript" else None
            if cls is not None:
                if node.type == "attribute":
                    attr = node.child_by_field_name("attribute").text.decode()
                    self._receivers().words.add(attr)     # `df.a` edited into `df.values` changes the verdict
                    if self.index.member_of(cls, attr) is not None:
                        return None
                packages = {c.split(".")[0] for c in union_classes(cls)}
                return packages.pop() if len(packages) == 1 else None
            node = inner
        return None

    def _library_class(self, expr: Node) -> str | None:
        """The scanned library class `expr` spells through an import (`pd.DataFrame`, `DataFrame`)."""
        qual = self._library_path(expr)
        return qual if qual is not None and self.index.is_class(qual) else None

    def _library_path(self, expr: Node) -> str | None:
        """The dotted path `expr` spells through an import (`pd.read_csv` -> `pandas.read_csv`)."""
        parts: list[str] = []
        node = expr
        while node is not None and node.type == "attribute":
            parts.append(node.child_by_field_name("attribute").text.decode())
            node = node.child_by_field_name("object")
        if node is None or node.type != "identifier":
            return None
        name = node.text.decode()
        if any(imp.name == name for imp in self.bindings.project_modules):
            return self._project_path(node, name, parts)
        if not any(imp.name == name for imp in self.bindings.imports) or not self._resolves_to_import(node, name):
            return None
        return self.index.canonical(".".join([self._binding_of(node, name).imp.target, *reversed(parts)]))

    def _project_path(self, node: Node, name: str, parts: list[str]) -> str | None:
        """`_library_path` of `c.DataFrame`, `c` a project module (`_project_chain`); `parts` reversed."""
        seen = self._seen_binding(node, name)
        if seen is None or seen.imp is None:
            return None
        if not seen.imp.project_module:
            return self.index.canonical(".".join([seen.imp.target, *reversed(parts)]))
        module, rest = seen.imp.target, list(reversed(parts))
        while rest:
            found = self._project_member(module, rest.pop(0))
            if found is None:
                return None
            library, module = found
            if library:
                return self.index.canonical(".".join([module, *rest]))
        return None

    def _returned_class(self, call: Node) -> str | None:
        """The library class a call returns, by its callee's signatures: a function reached
        through an import (`pd.read_csv(path)`) or a method of a receiver of a known class
        (`df.groupby("k")`, `df.copy()` -> `Self`)."""
        picked = self._picked_signatures(call)
        if picked is not None:
            return any_returned_class(picked[0], receiver=picked[1])
        return self._project_returned(call)

    def _project_returned(self, call: Node) -> str | None:
        """The library class a call of a function imported from the project's own module returns,
        by that function's annotation (`from .io import load_frame` with `-> pd.DataFrame`)."""
        origin = self._project_function(call.child_by_field_name("function"))
        return self._project_class(*origin) if origin is not None else None

    def _project_own(self, callee: Node) -> bool:
        """Whether `callee` is a function imported from the project's own module annotated to return
        a class the project defines, deriving from no library class (ImportContext.returns_own_class)."""
        origin = self._project_function(callee)
        if origin is None or self.project is None:
            return False
        if origin not in self._project_owns:
            self._project_owns[origin] = self.project.returns_own_class(*origin)
        return self._project_owns[origin]

    def _project_function(self, callee: Node | None) -> tuple[str, str] | None:
        """(module, name) of the project's function `callee` names through the file's one import of it."""
        if self.project is None or callee is None or callee.type != "identifier":
            return None
        name = callee.text.decode()
        origins = self.bindings.project_names.get(name)
        if origins is None or len(origins) != 1:
            return None
        receivers = self._receivers()
        receivers.words.add(name)               # a `def` of that name edited in changes the verdict
        receivers.module_words.add(name)
        seen = self._seen_binding(callee, name)
        if seen is None or not seen.imported:
            return None                         # a local, a parameter, a def of that name where it is called
        return next(iter(origins))

    def _project_class(self, module: str, name: str) -> str | None:
        """The scanned library class the project's function `module.name` is annotated to return."""
        key = (module, name)
        if key not in self._project_classes:
            returned = self.project.returned(module, name) if self.project is not None else None
            cls = self.index.canonical(returned) if returned is not None else None
            self._project_classes[key] = cls if cls is not None and self.index.is_class(cls) else None
        return self._project_classes[key]

    def _handed_out_libraries(self) -> set[str]:
        """The libraries of the classes the project's functions the file imports are annotated to return."""
        classes = (self._project_class(*next(iter(origins)))
                   for origins in self.bindings.project_names.values() if len(origins) == 1)
        return {cls.split(".")[0] for cls in classes if cls is not None}

    def _returned_items(self, call: Node) -> list[str | None] | None:
        """The library class of each item of the tuple a call returns (`fig, ax = plt.subplots()`)."""
        picked = self._picked_signatures(call)
        return returned_items(picked[0], receiver=picked[1]) if picked is not None else None

    def _picked_signatures(self, call: Node) -> tuple[list[dict], str | None] | None:
        """(the signatures of the call's callee its arguments pick, the receiver's class `Self` means)."""
        callee, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is None or args is None or args.type != "argument_list" or not self.index.classes.returns:
            return None
        api = self._library_path(callee)
        if api is not None:
            owner = api.rpartition(".")[0]
            receiver = owner if self.index.is_class(owner) else None     # `pd.DataFrame.from_dict(d)`
        elif callee.type == "attribute" and \
                callee.child_by_field_name("object").type in ("identifier", "call", "attribute"):
            held = self._receivers().library_class(callee.child_by_field_name("object"), self._library_class)
            hit = self.index.narrowed_member(held, callee.child_by_field_name("attribute").text.decode()) \
                if held is not None else None
            if hit is None:
                return None
            receiver, (api, _) = hit                                    # also `Self` of a union
        else:
            return None
        signatures = self.index.signatures(api)
        if not signatures:
            return None
        passed = _Passed.of(args)
        # The verdict reads the keywords' names and the literals an overload tests: an edit of
        # one is never taken for inert (lsp/inert.py).
        words = self._receivers().words
        words.update(passed.keywords)
        for sig in signatures:
            for name in sig.get("literals") or {}:
                words.add(name)
                if name in passed.keywords:
                    words.update(_WORD.findall(passed.keywords[name][1].text.decode()))
        keywords = {name: value for name, (_, value) in passed.keywords.items() if value is not None}
        if len(keywords) != len(passed.keywords):
            return None
        passed_deprecated = [name for name in self.index.parameters(api) if name in keywords]
        taken = {p[0] for sig in signatures for p in sig.get("params") or ()} if passed_deprecated else set()
        gone = {name for name in passed_deprecated if name not in taken}
        # A deprecated keyword the newest release no longer takes (`fillna(method=)`, `read_csv(
        # delim_whitespace=)`) chooses no overload: the call returned what the others choose, or
        # else what any signature returns, where it still worked (`df = df.fillna(method="ffill")`
        # keeps `df` a DataFrame though pandas 3's `fillna` also wants the `value` it leaves out).
        picked = picked_signatures(signatures, passed.positional,
                                   {k: v for k, v in keywords.items() if k not in gone}, splat=passed.splat)
        if gone and any_returned_class(picked, receiver=receiver) is None:
            picked = [sig for sig in signatures if not sig.get("property")]
        return picked, receiver

    def _property_class(self, attribute: Node) -> str | None:
        """The library class a property of a receiver of a known class holds, by its getter's
        annotation (`df.style` -> Styler, `df.T` -> DataFrame)."""
        obj, attr = attribute.child_by_field_name("object"), attribute.child_by_field_name("attribute")
        if obj is None or attr is None or not self.index.classes.returns:
            return None
        receivers = self._receivers()
        receivers.words.add(attr.text.decode())       # `df.style` edited into `df.T` changes the class
        held = receivers.library_class(obj, self._library_class)
        hit = self.index.narrowed_member(held, attr.text.decode()) if held is not None else None
        return property_class(self.index.signatures(hit[1][0]), hit[0]) if hit is not None else None

    def verdict_words(self) -> tuple[set[str], set[str]]:
        """(every ordinary name the by-name and compatibility verdicts read, the ones an edit of
        another top-level statement can change) (see `find_references`)."""
        read: set[str] = set(self._project_words)
        module: set[str] = set()
        for facts in (self._receiver_facts, self._compat_facts):
            if facts is not None:
                read |= facts.words
                module |= facts.module_words
        return read, module

    def _receivers(self) -> Receivers:
        if self._receiver_facts is None:
            self._receiver_facts = Receivers(self.tree.root_node, self.text.data,
                                             {imp.name for imp in self.bindings.imports}, self.bindings.foreign,
                                             call_class=self._returned_class,
                                             attribute_class=self._property_class,
                                             entered_class=self.index.entered,
                                             call_items=self._returned_items,
                                             answering=self.index.answering_names,
                                             project_own=self._project_own)
        return self._receiver_facts

    @staticmethod
    def _callee_of(node: Node) -> Node | None:
        parent = node.parent
        if parent is not None and parent.type == "call" and parent.start_byte == node.start_byte:
            return parent
        return None

    def _keywords(self, call: Node, params: dict[str, dict], *, by_name: bool, bound: bool = False,
                  shown: str | None = None, receiver: str | None = None, at_positions: bool = False) -> None:
        """Arguments of `call` that meet a parameter deprecation, as its usage set says.

        Any use: the keyword (or, exactly resolved, the argument at its position); a value:
        that literal, by keyword or position; a default change: the callee, when nothing can
        pass the parameter; positional: the argument at its position. A method matched only
        by name reports keywords alone (any use, values): its position is not known for sure.
        `bound`: a method called on an instance (`df.to_json(path)`), whose positions line up;
        `receiver`: its library class, when known (`df.fillna(method="ffill")` -> `df.ffill()`).
        `at_positions`: a by-name match on a known class (an accessor's), whose positions hold.
        """
        if not params:
            return
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "argument_list":
            return
        passed = _Passed.of(args)
        for name, row in params.items():
            usage = usage_of(row)
            keyword = passed.keywords.get(name)
            # Through the class (`pd.DataFrame.set_index(df, ...)`) self is passed by position:
            # a member's positions do not line up, so only functions and constructors use them.
            position = None if self.index.is_member(row["api"]) and not (bound or at_positions) else row.get("position")
            at = None if by_name and not at_positions else passed.at(position)
            if keyword is not None:
                # `s.map(f, arg=3)`: the renamed parameter's slot is filled, so `arg=` goes on to
                # `f` through **kwargs. A by-name match is a call on an instance: positions hold.
                slot = row.get("position") if by_name else position
                if row.get("new_parameter") and passed.at(slot) is not None:
                    continue
                name_node, value_node = keyword
                if USE_ANY in usage:
                    make = None if by_name else (
                        lambda n=name_node, a=args, r=row: self.rewriter.keyword(n, a, r)
                        or (self.rewriter.selected_method(call, n, r, receiver) if receiver else None)
                        or self.rewriter.leave_out(n, a, r))
                    self._report(name_node, row, "keyword", by_name=by_name, parameter=name, make=make,
                                 shown=shown)
                elif USE_VALUE in usage or USE_TRUTHY in usage:
                    self._value(name_node, value_node, row, by_name, shown)
                continue
            if at is not None:
                if USE_ANY in usage and not row.get("new_parameter"):
                    self._report(at, row, "argument", parameter=name, shown=shown)
                elif USE_VALUE in usage or USE_TRUTHY in usage:
                    self._value(at, at, row, by_name, shown)
                elif USE_POSITIONAL in usage:
                    make = None if passed.splat else (
                        lambda p=position, ps=passed: self.rewriter.by_keyword(
                            ps.positional, p, _positional_slots(params), set(ps.keywords)))
                    self._report(at, row, "positional", parameter=name, shown=shown, make=make)
                continue
            # Not passed by keyword nor at its known position; at an unknown position, any
            # positional argument might be it.
            if USE_DEFAULT in usage and not by_name and not passed.splat and (position is not None
                                                                              or not passed.positional):
                callee = call.child_by_field_name("function")
                if callee is not None and callee.type == "attribute":
                    callee = callee.child_by_field_name("attribute") or callee
                if callee is not None:
                    self._report(callee, row, "default", parameter=name, shown=shown)

    def _value(self, node: Node, value_node: Node | None, row: dict, by_name: bool, shown: str | None = None) -> None:
        literal = canonical_literal(value_node.text.decode()) if value_node is not None else None
        value = passed_value(row, literal)       # '15T' passes 'T' to a "token" row
        if value is not None:
            # "for some inputs": the equivalent may be wrong for the others (resample("ME") raises on a PeriodIndex)
            make = None if by_name or value_node is None or row.get("conditional") else (
                lambda v=value_node, r=row, old=value: self.rewriter.value(v, r, old))
            self._report(node, row, "value", by_name=by_name, parameter=row["parameter"], value=value, shown=shown,
                         make=make)
        elif USE_TRUTHY in usage_of(row) and literal not in FALSE_LITERALS:
            # under `if _compile:` anything but a false literal warns, a name whose value is unknown too
            self._report(node, row, "keyword" if node is not value_node else "argument", by_name=by_name,
                         parameter=row["parameter"], shown=shown)


def _positional_slots(params: dict[str, dict]) -> dict[int, str]:
    """Position -> parameter, of the parameters whose passing by position is deprecated."""
    return {row["position"]: name for name, row in params.items()
            if USE_POSITIONAL in usage_of(row) and isinstance(row.get("position"), int) and row["position"] >= 0}


@dataclass
class _Passed:
    """The arguments of one call: positional ones up to the first `*splat`, keywords by name."""
    positional: list[Node]
    keywords: dict[str, tuple[Node, Node | None]]
    splat: bool                 # a *args or **kwargs in the call may pass anything

    @classmethod
    def of(cls, args: Node) -> "_Passed":
        positional: list[Node] = []
        keywords: dict[str, tuple[Node, Node | None]] = {}
        splat = False
        for arg in args.named_children:
            if arg.type == "keyword_argument":
                name = arg.child_by_field_name("name")
                if name is not None:
                    keywords[name.text.decode()] = (name, arg.child_by_field_name("value"))
            elif arg.type in ("list_splat", "dictionary_splat"):
                splat = True
            elif arg.type != "comment" and not splat:
                positional.append(arg)
        return cls(positional, keywords, splat)

    def at(self, position: int | None) -> Node | None:
        if position is None or position < 0 or position >= len(self.positional):
            return None
        return self.positional[position]


def find_references(source: bytes | str, index: DeprecationIndex, *, tree: Tree | None = None,
                    depends: set[str] | None = None, module_depends: set[str] | None = None,
                    project: ImportContext | None = None) -> list[Reference]:
    """Every use of a deprecated API in `source`, sorted by position.

    Lines and columns are 0-based; columns count characters of the Python
    ``str`` line. Pass `tree` when the caller already parsed `source` (the LSP
    reparses incrementally). `depends` receives the ordinary names (neither
    imports nor words of the index) that by-name and compatibility verdicts read
    (`Receivers.words`, `CompatBranches.words`), `module_depends` those of them
    that an edit of another top-level statement can change. `project`: the file's place among
    the project's modules, for library names it imports through them (project.py).
    """
    data = source.encode("utf-8") if isinstance(source, str) else source
    if tree is None:
        if not could_match(data, index, project):
            return []
        tree = parse(data)
    fr = FileResolver(data, tree, index, project=project)
    refs = fr.run()
    _hand_out(fr, depends, module_depends)
    return refs


def find_references_between(source: bytes, index: DeprecationIndex, tree: Tree, start: int, end: int,
                            depends: set[str] | None = None, module_depends: set[str] | None = None,
                            project: ImportContext | None = None) -> list[Reference] | None:
    """The findings whose reported node starts in bytes [start, end) of `source`, resolved against the whole file.

    For a caller that keeps the findings of the rest of the file (the LSP after
    an edit confined to some top-level statements), so `start`/`end` must be the
    bounds of whole top-level statements. None when a finding's rewrite is the
    rewrite of an import: that one renames every use of the name in the file,
    and only the uses inside the window were collected.
    """
    fr = FileResolver(source, tree, index, start=start, end=end, project=project)
    refs = fr.run()
    _hand_out(fr, depends, module_depends)
    return None if fr.rewriter.made_import_rewrites else refs


def could_match(data: bytes, index: DeprecationIndex, project: ImportContext | None = None) -> bool:
    """Cheap pre-check: every finding spells a library name and a deprecated name, or a deprecated
    name and an import of a project module that binds a library's name."""
    return index.could_match(data) or (project is not None and project.could_match(data, index.leaf_names))


def _hand_out(fr: FileResolver, depends: set[str] | None, module_depends: set[str] | None) -> None:
    read, module = fr.verdict_words()
    if depends is not None:
        depends |= read
    if module_depends is not None:
        module_depends |= module


def _exclusive_arms(statement: Node) -> list[list[Node]]:
    """The arms of an `if` (its body, each `elif`, the `else`) or of a `try` (the body with its
    `else:`, each `except`), of which one runs; a `finally:` runs whatever ran: no arm."""
    if statement.type == "if_statement":
        condition = statement.child_by_field_name("condition")
        return [[c] for c in statement.named_children
                if c.type in ("block", "elif_clause", "else_clause") and c != condition]
    success = [c for c in statement.named_children if c.type in ("block", "else_clause")]
    return [success, *([c] for c in statement.named_children if c.type in ("except_clause", "except_group_clause"))]


def _arm_at(pos: int, arms: list[list[Node]]) -> int | None:
    """The index of the arm holding the byte `pos` (None: the condition, a `finally:`)."""
    for i, nodes in enumerate(arms):
        if any(n.start_byte <= pos < n.end_byte for n in nodes):
            return i
    return None
