"""Exact rewrites of deprecated uses, and applying edits to source text.

A rewrite is produced only when the new text is certain: a renamed function or
class under the same owner, a moved module or name spelled through an import
the file already has (or one we add), a renamed keyword, a renamed method on a
receiver whose library class the file makes plain (`df = pd.DataFrame(...)`).
Anything that would need more type knowledge or a guess gets no rewrite.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from tree_sitter import Node

from apimigrate.db.records import KWARGS, canonical_literal, new_values_of

from .bindings import MODULE_SCOPE, ImportBinding, named_bindings, resolve, scope_chain
from .compat import string_text
from .parsing import code_children
from .model import Edit, Rewrite

if TYPE_CHECKING:
    from .resolver import FileResolver


# Replacements under this prefix are Python's builtins, spelled bare (`numpy.float` -> `builtins.float`).
BUILTINS = "builtins"


def _split(name: str) -> tuple[str, str]:
    parent, _, leaf = name.rpartition(".")
    return parent, leaf


class Rewriter:
    def __init__(self, fr: "FileResolver") -> None:
        self.fr = fr
        self.src = fr.text
        self._by_binding: dict[int, Rewrite | None] = {}
        self._loaded: set[str] | None = None

    # ---- helpers -------------------------------------------------------
    def edit(self, node: Node, text: str) -> Edit:
        return Edit(*self.src.point(node.start_point), *self.src.point(node.end_point), text)

    def insert_after(self, stmt: Node, text: str) -> Edit | None:
        """A new statement on the line after `stmt`, indented like it; None when `stmt` shares its line."""
        data = self.src.data
        line_start = data.rfind(b"\n", 0, stmt.start_byte) + 1
        indent = data[line_start:stmt.start_byte]
        if indent.strip():
            return None                      # `if x: import y` - no line of its own to follow
        line_end = data.find(b"\n", stmt.end_byte)
        line_end = len(data) if line_end < 0 else line_end
        rest = data[stmt.end_byte:line_end].strip()
        # Keep a trailing comment with its statement; after `;` insert right at the statement's end.
        at = line_end if not rest or rest.startswith(b"#") else stmt.end_byte
        line, col = self.src.offset_point(at)
        return Edit(line, col, line, col, "\n" + indent.decode() + text)

    def spell(self, name: str, at: Node) -> str | None:
        """How `name` is written at `at` through an import the file has (`numpy.vstack` -> `np.vstack`)."""
        best: ImportBinding | None = None
        for imp in self.fr.bindings.imports:
            if imp.star or not (name == imp.target or name.startswith(imp.target + ".")):
                continue
            if best is not None and len(best.target) >= len(imp.target):
                continue
            seen = resolve(self.fr.bindings.by_name.get(imp.name, []), scope_chain(at), at.start_byte)
            if seen is not None and seen.imp is imp:
                best = imp
        return None if best is None else best.name + name[len(best.target):]

    # ---- rewrites ------------------------------------------------------
    def chain(self, node: Node, row: dict, imp: ImportBinding, same_owner: bool = True) -> Rewrite | None:
        """`np.row_stack` -> `np.vstack`; `pd.io.json.json_normalize` -> `pd.json_normalize`.
        `same_owner`: what the code reaches the name through is the row's owner, not another
        module it can also be imported from (which need not have the replacement)."""
        repl = row.get("replacement")
        if not repl or row.get("kind") == "parameter" or not row.get("drop_in"):
            return None     # a replacement that is not a drop-in is advice, not a rewrite
        if node.type == "identifier":
            return self.binding(imp, row)   # the alias itself names the API: fix its import
        old_parent, _ = _split(row["api"])
        new_parent, new_leaf = _split(repl)
        if new_parent == BUILTINS:
            # `np.float` -> `float`, unless that name means something else where it is used.
            if not self._builtin_free(new_leaf, node):
                return None
            return Rewrite([self.edit(node, new_leaf)], f"use the builtin {new_leaf}")
        if old_parent == new_parent and node.type == "attribute" and same_owner:
            attr = node.child_by_field_name("attribute")
            return Rewrite([self.edit(attr, new_leaf)], f"rename to {new_leaf}")
        spelled = self.spell(repl, node)
        if spelled is not None and self._reachable(repl, row["api"]):
            return Rewrite([self.edit(node, spelled)], f"use {spelled}")
        added = self.import_for(repl, self._first_import_of(imp))
        if added is None:
            return None
        return Rewrite([self.edit(node, new_leaf), added], f"import {repl}")

    def _first_import_of(self, imp: ImportBinding) -> Node:
        """Where an added import goes: after the file's first module-level import of `imp`'s
        library, so that two uses reached through different imports add the same line, once."""
        top = imp.target.split(".")[0]
        # Only an import at the module's own top level: one under `if TYPE_CHECKING:` or in a `try:`
        # may not run, and the added line with it.
        first = min((i for i in self.fr.bindings.imports if _top_level(i.stmt) and i.target.split(".")[0] == top),
                    key=lambda i: i.stmt.start_byte, default=None)
        return first.stmt if first is not None and imp.scope == MODULE_SCOPE else imp.stmt

    def _reachable(self, repl: str, api: str) -> bool:
        """Whether `repl`, spelled as attributes of an imported module, is there at run time: the
        module holding it (past its classes) is one the deprecated use went through, or one the
        file imports. `import pydantic.utils` makes `pydantic.utils.deep_update` reachable, not its
        replacement `pydantic.v1.utils.deep_update`: nothing imported `pydantic.v1.utils`."""
        module = repl.rpartition(".")[0]
        while module and self.fr.index.is_class(module):
            module = module.rpartition(".")[0]
        return module == api or api.startswith(module + ".") or module in self._imported_modules()

    def _imported_modules(self) -> set[str]:
        """The modules the file's imports load (`import a.b.c`: a, a.b and a.b.c)."""
        if self._loaded is None:
            self._loaded = set()
            for imp in self.fr.bindings.imports:
                if imp.module is not None:            # `from a.b import c`: a.b, and c if a module
                    dotted = imp.target
                elif imp.item is not None:
                    named = imp.item.child_by_field_name("name") if imp.aliased else imp.item
                    dotted = named.text.decode() if named is not None else imp.target
                else:
                    dotted = imp.target
                parts = dotted.split(".")
                self._loaded.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return self._loaded

    def _builtin_free(self, name: str, at: Node) -> bool:
        """Whether the builtin `name` is what the bare name means at `at`: nothing imports it,
        and no definition, assignment or parameter binds it in a scope `at` sees."""
        if name in self.fr.bindings.by_name:
            return False
        scopes = set(scope_chain(at))
        bound = named_bindings(self.fr.tree.root_node, self.src.data, frozenset({name}))
        return not any(scope in scopes for _, scope in bound)

    def import_for(self, name: str, after: Node) -> Edit | None:
        """`from parent import leaf`, when `leaf` is free in the file and not a class member."""
        parent, leaf = _split(name)
        if not parent or self.fr.index.is_member(name) or self.src.has_word(leaf):
            return None
        return self.insert_after(after, f"from {parent} import {leaf}")

    @property
    def made_import_rewrites(self) -> bool:
        """Whether a rewrite of an import (and of every use of its name) was made."""
        return any(r is not None for r in self._by_binding.values())

    def binding(self, imp: ImportBinding, row: dict) -> Rewrite | None:
        key = id(imp)
        if key not in self._by_binding:
            self._by_binding[key] = self._binding(imp, row)
        return self._by_binding[key]

    def _binding(self, imp: ImportBinding, row: dict) -> Rewrite | None:
        repl = row.get("replacement")
        if not repl or imp.star or imp.item is None or row.get("kind") == "parameter" or not row.get("drop_in"):
            return None
        if imp.via is not None:
            return None         # the project's module has the old name, not the new one
        if imp.module is None:
            # `import scipy.misc as sm`: point the alias at the new module.
            if not imp.aliased or row.get("kind") != "module":
                return None
            return Rewrite([self.edit(imp.item.child_by_field_name("name"), repl)], f"import {repl}")
        module_name, orig = _split(imp.target)
        new_parent, new_leaf = _split(repl)
        if not new_parent or new_parent == BUILTINS or self.fr.index.is_member(repl):
            return None
        name_node = imp.item.child_by_field_name("name") if imp.aliased else imp.item
        edits: list[Edit] = []
        local = imp.name
        item_text = new_leaf
        if not imp.aliased and new_leaf != orig:
            if self.src.has_word(new_leaf):
                item_text = f"{new_leaf} as {orig}"   # keep the local name; no use changes
            else:
                edits += [self.edit(use, new_leaf) for use in self.fr.uses_of.get(key_of(imp), [])]
                local = new_leaf
        if new_parent == module_name:
            edits.append(self.edit(name_node, item_text))
        else:
            names = imp.stmt.children_by_field_name("name")
            if len(names) == 1:
                edits += [self.edit(imp.module, new_parent), self.edit(name_node, item_text)]
            else:
                removal = self.remove_item(names, imp.item)
                alias = f" as {imp.name}" if imp.aliased else (f" as {orig}" if " as " in item_text else "")
                added = self.insert_after(imp.stmt, f"from {new_parent} import {new_leaf}{alias}")
                if added is None:
                    return None
                edits += [removal, added]
        return Rewrite(edits, f"use {repl} as {local}")

    def remove_item(self, names: list[Node], item: Node) -> Edit:
        """Delete one item of a comma-separated list (`from m import a, b, c`, a call's arguments)
        with its comma; the only one with its trailing comma, if any."""
        i = next(k for k, n in enumerate(names) if n.id == item.id)
        if i + 1 < len(names):
            start, end = item.start_point, names[i + 1].start_point
        elif i > 0:
            start, end = names[i - 1].end_point, item.end_point
        else:
            comma = item.next_sibling
            start, end = item.start_point, (comma if comma is not None and comma.type == "," else item).end_point
        return Edit(*self.src.point(start), *self.src.point(end), "")

    def module(self, node: Node, row: dict) -> Rewrite | None:
        """`import scipy.integrate.quadpack` / `from scipy.integrate.quadpack import x` -> the new path."""
        repl = row.get("replacement")
        if not repl or row.get("kind") != "module" or not row.get("drop_in"):
            return None
        return Rewrite([self.edit(node, repl)], f"import from {repl}")

    def method(self, name_node: Node, row: dict, mro: list[str]) -> Rewrite | None:
        """`df.applymap(f)` -> `df.map(f)` on a receiver known to be a value of a class whose
        hierarchy (`mro`) has the drop-in replacement (`pandas.DataFrame.map`)."""
        repl = row.get("replacement")
        if not repl or row.get("kind") == "parameter" or not row.get("drop_in"):
            return None
        new_parent, new_leaf = _split(repl)
        if new_parent not in mro or not new_leaf.isidentifier():
            return None
        return Rewrite([self.edit(name_node, new_leaf)], f"rename to {new_leaf}")

    def keyword(self, name_node: Node, call_args: Node, row: dict) -> Rewrite | None:
        new = row.get("new_parameter")
        if not new or not new.isidentifier():
            return None
        siblings = self.fr.index.parameters(row["api"])
        if any(other.get("new_parameter") == new for p, other in siblings.items() if p != row["parameter"]):
            return None     # `lsuffix`, `rsuffix` -> `suffixes=(l, r)`: a merge, not a rename
        for arg in call_args.named_children:
            if arg.type == "keyword_argument":
                other = arg.child_by_field_name("name")
                if other is not None and other.text.decode() == new:
                    return None                 # both spellings given: a human must choose
        return Rewrite([self.edit(name_node, new)], f"rename keyword to {new}")

    def leave_out(self, name_node: Node, call_args: Node, row: dict) -> Rewrite | None:
        """`df.rename(columns=m, copy=False)` -> `df.rename(columns=m)`: a keyword the library says
        it ignores now, whatever it is given (pandas 3: "This keyword is ignored"), so the call
        does the same without it; the argument goes with its comma. Not a value that does something
        when computed (`copy=make_copy()`, a walrus), nor among comments, which the cut could take."""
        keyword = name_node.parent
        if not row.get("ignored") or keyword is None or keyword.type != "keyword_argument" \
                or _acts(keyword.child_by_field_name("value")) \
                or any(a.type == "comment" for a in call_args.named_children):
            return None
        return Rewrite([self.remove_item(list(call_args.named_children), keyword)], f"leave out {row['parameter']}")

    def value(self, value_node: Node, row: dict, old: str) -> Rewrite | None:
        """`criterion="mse"` -> `criterion="squared_error"`: a deprecated value the library names
        an equivalent of (db.records `new_values_of`), in the quotes the code used."""
        new = new_values_of(row).get(old)
        if new is None:
            return None
        written = canonical_literal(value_node.text.decode())
        if written is not None and written != old and written.endswith(old[1:]) and new.startswith("'"):
            new = written[:-len(old) + 1] + new[1:]     # a token after its count: '15T' -> '15min'
        return Rewrite([self.edit(value_node, _spelled_like(new, value_node))], f"use {new}")

    def by_keyword(self, positional: list[Node], start: int, names: dict[int, str],
                   keywords: set[str]) -> Rewrite | None:
        """`nnls(A, b, 100)` -> `nnls(A, b, maxiter=100)`: the argument at `start` and every
        positional one after it (a keyword cannot come before them) passed by the name of the
        parameter it fills, when each of those is one whose positional passing is deprecated
        (`names`: position -> parameter) and no keyword of the call gives it already."""
        edits = []
        for position in range(start, len(positional)):
            name = names.get(position)
            if name is None or name in keywords or not name.isidentifier():
                return None
            point = self.src.point(positional[position].start_point)
            edits.append(Edit(*point, *point, f"{name}="))
        return Rewrite(edits, "pass by keyword") if edits else None

    def chosen_method(self, call: Node, row: dict, cls: str) -> Rewrite | None:
        """`gb.fillna(method="ffill", limit=2)` -> `gb.ffill(limit=2)` where the whole method is
        deprecated and its message offers methods to call instead (pandas' GroupBy.fillna: "Use
        obj.ffill() or obj.bfill()"): a keyword the library deprecates on a namesake in favour of
        the same methods (NDFrame.fillna's `method`) names the one to call, as in
        `selected_method`. `gb.fillna(value="ffill")` fills with that string: `value` is no such
        keyword, and nothing is done."""
        offered = offered_methods(row.get("message"))
        args = call.child_by_field_name("arguments")
        if not offered or args is None or args.type != "argument_list":
            return None
        leaf = row["api"].rsplit(".", 1)[-1]
        selectors = {r["parameter"] for r in self.fr.index.method_params.get(leaf, ())
                     if r["library"] == row["library"] and offered_methods(r.get("message")) & offered}
        picks = [a.child_by_field_name("name") for a in code_children(args) if a.type == "keyword_argument"
                 and a.child_by_field_name("name").text.decode() in selectors]
        return self.selected_method(call, picks[0], row, cls) if len(picks) == 1 else None

    def selected_method(self, call: Node, name_node: Node, row: dict, cls: str) -> Rewrite | None:
        """`df.fillna(method="ffill", limit=2)` -> `df.ffill(limit=2)`: the keyword's value names a
        method the deprecation offers instead ("Use obj.ffill() or obj.bfill() instead"), which
        the receiver's class `cls` has, live, and which takes every other argument of the call by
        its name. Anything else (`method="pad"`, a positional value, a keyword the method does
        not take) is left to a human."""
        keyword = name_node.parent
        value = keyword.child_by_field_name("value") if keyword is not None else None
        callee = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if value is None or value.type != "string" or callee is None or callee.type != "attribute" \
                or args is None or row.get("replacement"):
            return None
        chosen = string_text(value)
        if any(c.type == "interpolation" for c in value.named_children) \
                or chosen not in offered_methods(row.get("message")):
            return None
        found = self.fr.index.member_of(cls, chosen)
        takes = self.fr.index.classes.parameters.get(found[0]) if found is not None and found[1] is None else None
        if takes is None or KWARGS in takes:
            return None                     # unknown, deprecated, or what it passes on is unknown
        passed = code_children(args)
        if not all(a.type == "keyword_argument" and a.child_by_field_name("name").text.decode() in takes
                   for a in passed if a.id != keyword.id):
            return None
        return Rewrite([self.edit(callee.child_by_field_name("attribute"), chosen), self.remove_item(passed, keyword)],
                       f"call {chosen}")


_OFFERED = re.compile(r"\.([A-Za-z_]\w*)\(\)")


def _acts(node: Node | None) -> bool:
    """Whether computing the expression may do something: a call, a walrus, an await, a yield
    (a lambda's body is not run by computing it)."""
    if node is None:
        return True
    if node.type == "lambda":
        return False
    return node.type in ("call", "named_expression", "await", "yield") or any(_acts(c) for c in node.named_children)


def _top_level(stmt: Node) -> bool:
    return stmt.parent is not None and stmt.parent.type == "module"


def offered_methods(message: str | None) -> set[str]:
    """The methods a deprecation message offers after its "use": `obj.ffill()` -> ffill."""
    m = re.search(r"\buse\b", message or "", re.I)
    return set(_OFFERED.findall(message, m.end())) if m else set()


def key_of(imp: ImportBinding) -> int:
    return id(imp)


_NL = re.compile("\n")


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (identical ones, such as the same added import, count once).

    Raises ValueError when two different edits overlap.
    """
    unique = sorted(set(edits), key=lambda e: (e.line, e.col, e.end_line, e.end_col, e.new_text))
    if not unique:
        return source
    starts = [0] + [m.end() for m in _NL.finditer(source)]

    def offset(line: int, col: int) -> int:
        if line >= len(starts):
            return len(source)
        return min(starts[line] + col, len(source))

    out: list[str] = []
    pos = 0
    for e in unique:
        start, end = offset(e.line, e.col), offset(e.end_line, e.end_col)
        if start < pos:
            raise ValueError(f"overlapping edits at line {e.line + 1}")
        out.append(source[pos:start])
        out.append(e.new_text)
        pos = end
    out.append(source[pos:])
    return "".join(out)


def _spelled_like(literal: str, node: Node) -> str:
    """`literal` (canonical: `'squared_error'`) in the quote character of the string `node` was
    written in, where that needs no escaping; otherwise as it is."""
    written = node.text.decode()
    if node.type != "string" or not literal.startswith("'") or written[:1] not in ("'", '"'):
        return literal                  # a number, None, a prefixed or implicitly joined string
    quote = written[0]
    body = literal[1:-1]
    if written.startswith(quote * 3) or "\\" in body or quote in body:
        return literal
    return quote + body + quote
