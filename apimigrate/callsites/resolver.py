"""Find every reference to a deprecated API in one file.

Cost matters (check runs over whole repositories, the LSP on every
keystroke), so the resolver never walks the whole tree: a regex finds the
places that spell an import alias of a deprecated library (or a deprecated
method name), and only those nodes are inspected, with their ancestors.
"""
from __future__ import annotations

import re

from tree_sitter import Node, Tree

from .bindings import (MODULE_SCOPE, Binding, FileBindings, ImportBinding, binding_scope,
                       classify, collect_imports, resolve, scope_chain, _in_except)
from .index import DeprecationIndex
from .model import Reference, Rewrite, describe
from .parsing import parse
from .rewrite import Rewriter, key_of
from .source import SourceText

# A method matched by name on a value of unknown type is believed this much less.
BY_NAME_FACTOR = 0.6


def _words(names: set[str]) -> re.Pattern[bytes]:
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names, key=len, reverse=True))
    return re.compile(rb"\b(?:" + alternatives + rb")\b")


class FileResolver:
    """Resolution state for one parsed file."""

    def __init__(self, source: bytes, tree: Tree, index: DeprecationIndex, *,
                 wanted: frozenset[str] | None = None, start: int = 0) -> None:
        self.text = SourceText(source)
        self.tree = tree
        self.index = index
        self.start = start                       # only report at or after this byte
        self.bindings: FileBindings = collect_imports(
            source, tree.root_node, index.libraries if wanted is None else wanted, index.star_names)
        self.libraries = {imp.target.split(".")[0] for imp in self.bindings.imports}
        self.uses_of: dict[int, list[Node]] = {}
        self.refs: list[Reference] = []
        self.rewriter = Rewriter(self)
        self._pending: list[tuple[Reference, object]] = []

    # ---- the passes ----------------------------------------------------
    def run(self) -> list[Reference]:
        if not self.bindings.imports:
            return []
        self._imports()
        uses, attrs = self._scan_names()
        resolved_ids: set[int] = set()
        for node, imp in uses:
            resolved_ids.add(node.id)
            self._chain(node, imp)
        for node in attrs:
            self._by_name(node, resolved_ids)
        for ref, make in self._pending:
            ref.rewrite = make()
        self.refs.sort(key=lambda r: (r.line, r.col, r.api))
        return self.refs

    def _scan_names(self) -> tuple[list[tuple[Node, ImportBinding]], list[Node]]:
        """Classify every identifier spelled like an alias or a deprecated method name."""
        alias_names = {imp.name for imp in self.bindings.imports}
        method_names = self.index.method_names() if self.libraries else set()
        names = alias_names | method_names
        if not names:
            return [], []
        root, data = self.tree.root_node, self.text.data
        raw_uses: list[tuple[Node, str]] = []
        attrs: list[Node] = []
        for m in _words(names).finditer(data, self.start if not alias_names else 0):
            node = root.descendant_for_byte_range(m.start(), m.end())
            if node is None or node.type != "identifier" or node.start_byte != m.start() \
                    or node.end_byte != m.end():
                continue                          # inside a string, a comment, a longer name
            kind = classify(node)
            name = m.group().decode()
            if kind == "attr":
                if name in method_names and m.start() >= self.start:
                    attrs.append(node)
            elif kind == "use":
                if name in alias_names and m.start() >= self.start:
                    raw_uses.append((node, name))
            elif kind in ("bind", "param") and name in alias_names:
                self.bindings.add(name, Binding(binding_scope(node, kind), node.start_byte, None,
                                                _in_except(node)))
        for bs in self.bindings.by_name.values():
            bs.sort(key=lambda b: b.pos)
        uses: list[tuple[Node, ImportBinding]] = []
        for node, name in raw_uses:
            bs = self.bindings.by_name[name]
            if len(bs) == 1 and bs[0].scope == MODULE_SCOPE:
                b: Binding | None = bs[0]         # the common case: one import at the top
            else:
                b = resolve(bs, scope_chain(node), node.start_byte)
            if b is not None and b.imp is not None:
                uses.append((node, b.imp))
                self.uses_of.setdefault(key_of(b.imp), []).append(node)
        return uses, attrs

    # ---- reporting -----------------------------------------------------
    def _report(self, node: Node, row: dict, kind: str, *, by_name: bool = False,
                parameter: str | None = None, make=None) -> Reference:
        line, col = self.text.point(node.start_point)
        end_line, end_col = self.text.point(node.end_point)
        conf = float(row.get("confidence") or 0.0)
        ref = Reference(api=row["api"], row=row, line=line, col=col, end_line=end_line, end_col=end_col,
                        kind=kind, confidence=round(conf * BY_NAME_FACTOR, 4) if by_name else conf,
                        message=describe(row), by_name=by_name, parameter=parameter)
        self.refs.append(ref)
        if make is not None:
            self._pending.append((ref, make))
        return ref

    def _imports(self) -> None:
        """Deprecated modules and names spelled in import statements."""
        lookup = self.index.lookup
        done_modules: set[int] = set()
        for imp in self.bindings.imports:
            if imp.star or imp.stmt.start_byte < self.start:
                continue
            if imp.module is None:
                dotted = imp.item.child_by_field_name("name") if imp.aliased else imp.item
                self._import_module(dotted, imp)
                continue
            if imp.stmt.id not in done_modules:
                done_modules.add(imp.stmt.id)
                self._import_module(imp.module, imp)
            row = lookup(imp.target)
            if row is not None:
                name_node = imp.item.child_by_field_name("name") if imp.aliased else imp.item
                self._report(name_node, row, "import",
                             make=lambda imp=imp, row=row: self.rewriter.binding(imp, row))

    def _import_module(self, dotted: Node, imp: ImportBinding) -> None:
        path = dotted.text.decode().replace(" ", "")
        parts = path.split(".")
        for i in range(len(parts), 0, -1):        # the most specific deprecated prefix
            row = self.index.lookup(".".join(parts[:i]))
            if row is not None:
                whole = i == len(parts)
                if imp.module is None and imp.aliased and whole:
                    make = lambda imp=imp, row=row: self.rewriter.binding(imp, row)
                elif whole:
                    make = lambda node=dotted, row=row: self.rewriter.module(node, row)
                else:
                    make = None
                self._report(dotted, row, "import", make=make)
                return

    def _chain(self, node: Node, imp: ImportBinding) -> None:
        """Follow `np.linalg.x` upwards from the alias; report the most specific deprecated name."""
        index = self.index
        qual = imp.target
        if qual not in index.prefixes:
            return
        match: tuple[dict, Node] | None = None
        while True:
            row = index.by_api.get(qual)
            if row is not None:
                match = (row, node)
            parent = node.parent
            if parent is None or parent.type != "attribute" or parent.start_byte != node.start_byte \
                    or qual not in index.prefixes:
                break
            attr = parent.child_by_field_name("attribute")
            if attr is None:
                break
            qual = qual + "." + attr.text.decode()
            node = parent
        call = self._callee_of(node)
        if match is not None:
            row, mnode = match
            kind = "call" if (mnode is node and call is not None) else (
                "reference" if mnode is node else "attribute")
            self._report(mnode, row, kind, make=lambda: self.rewriter.chain(mnode, row, imp))
        if call is not None:
            self._keywords(call, index.parameters(qual), by_name=False)

    def _by_name(self, node: Node, resolved_ids: set[int]) -> None:
        """`df.applymap(f)`: a deprecated method name on a value whose type we do not know."""
        attribute = node.parent
        root = attribute.child_by_field_name("object")
        while root is not None and root.type == "attribute":
            root = root.child_by_field_name("object")
        if root is not None and root.id in resolved_ids:
            return                                # `pd.DataFrame.applymap`: the chain decided
        name = node.text.decode()
        call = self._callee_of(attribute)
        row = self.index.method(name, self.libraries)
        if row is not None:
            self._report(attribute.child_by_field_name("attribute"), row,
                         "call" if call is not None else "attribute", by_name=True)
        if call is not None:
            self._keywords(call, self.index.method_parameters(name, self.libraries), by_name=True)

    @staticmethod
    def _callee_of(node: Node) -> Node | None:
        parent = node.parent
        if parent is not None and parent.type == "call" and parent.start_byte == node.start_byte:
            return parent
        return None

    def _keywords(self, call: Node, params: dict[str, dict], *, by_name: bool) -> None:
        if not params:
            return
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "argument_list":
            return
        for arg in args.named_children:
            if arg.type != "keyword_argument":
                continue
            name_node = arg.child_by_field_name("name")
            if name_node is None:
                continue
            row = params.get(name_node.text.decode())
            if row is not None:
                make = None if by_name else (lambda n=name_node, a=args, r=row: self.rewriter.keyword(n, a, r))
                self._report(name_node, row, "keyword", by_name=by_name, parameter=row["parameter"], make=make)


def find_references(source: bytes | str, index: DeprecationIndex, *, tree: Tree | None = None) -> list[Reference]:
    """Every use of a deprecated API in `source`, sorted by position.

    Lines and columns are 0-based; columns count characters of the Python
    ``str`` line. Pass `tree` when the caller already parsed `source` (the LSP
    reparses incrementally).
    """
    data = source.encode("utf-8") if isinstance(source, str) else source
    if tree is None:
        if not index.could_match(data):
            return []                 # safe: every finding spells a library and a deprecated name
        tree = parse(data)
    return FileResolver(data, tree, index).run()
