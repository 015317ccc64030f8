"""Library names a checked file imports through the project's own modules.

statsmodels' tests write `from statsmodels.compat.pandas import assert_index_equal`,
and statsmodels/compat/pandas.py binds that name at its top level (`from pandas
import testing` then `assert_index_equal = testing.assert_index_equal`): the
name is pandas' own function, with pandas' deprecated keywords. Each checked
file is still resolved alone; this module only reads the top level of the
project modules it imports from (import statements and `name = module.attr`
assignments, also under `if`/`try`), and its functions' return annotations,
found the way Python would find them: the folder above the file's top package
(the script's own when it is in none), the folders up to the project's, and its
`src/`.

A name is taken to be the library's only when every binding of it at the
module's top level agrees (an `except ImportError:` fallback aside, the way
compatibility modules are written); a `def` of the same name, or two different
targets under `if PD_LT_2:`, leave it unknown.

A project module may also be bound as a name (`import statsmodels.compat.pandas as
cp`, `import statsmodels.compat.pandas`, `from statsmodels.compat import pandas`):
the resolver then follows the attributes of the use (`cp.assert_index_equal`)
through `ImportContext.member`, by the same rules; a package's attribute that is
none of its names is its submodule, as Python finds it.
"""
from __future__ import annotations

import builtins
import os
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from tree_sitter import Node

from apimigrate.files import read_regular

from .parsing import parse

# Statements whose bodies run at the module's top level.
_BLOCKS = frozenset({
    "if_statement", "elif_clause", "else_clause", "try_statement", "except_clause", "except_group_clause",
    "finally_clause", "with_statement", "for_statement", "while_statement", "block",
})
# Folders installed packages sit in: above them is no project of theirs.
_INSTALLED = frozenset({"site-packages", "dist-packages"})
# What marks the folder of a project (the root a `src/` layout sits in).
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
# `from a.b import`, `from ..a import` at the start of a line (the checked file's pre-check).
_FROM_RE = re.compile(rb"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import\b", re.MULTILINE)
# `import a.b as c, d` at the start of a line (the same pre-check).
_IMPORT_RE = re.compile(rb"^[ \t]*import[ \t]+([\w. \t,]+)", re.MULTILINE)
_MAX_DEPTH = 8            # re-exports of re-exports; also what stops a cycle
# What a class named in a project module is (ImportContext._class_kind).
_OWN, _LIBRARY, _ELSEWHERE = "own", "library", "elsewhere"
# The names an import statement or a `name = dotted.name` assignment may bind, found without
# parsing: a module is parsed only when the name asked for is among them (a project imports
# its own functions far more often than it re-exports a library's; parsing each module
# imported cost a check of statsmodels a fifth more time). Both patterns start on a literal,
# which keeps them fast; what they take in besides (a word in a string) only costs a parse.
_IMPORTED_RE = re.compile(rb"import[ \t]+(\([^)]*\)|(?:\\\n|[^\n;])*)")
_ASSIGNED_RE = re.compile(rb"=[ \t]*[\w.]+[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
# `def name(...) -> annotation:`, parameters with one level of parentheses in them (defaults).
_RETURNING_RE = re.compile(rb"def[ \t]+(\w+)[ \t]*\((?:[^()]|\([^()]*\))*\)[ \t]*->([^:\n]*)")
_WORD_RE = re.compile(rb"\w+")
# A class body's `def name` / `name: T` line, and `self.name = ...` anywhere (an attribute set in a method).
_DEF_LINE = re.compile(rb"(?:async[ \t]+)?def[ \t]+(\w+)")
_FIELD_LINE = re.compile(rb"(\w+):[ \t]*[\w\"'\[]")
_SELF_ATTRIBUTE = re.compile(rb"\bself\.(\w+)[ \t]*(?::[^=\n]*)?=(?!=)")
_MAX_PROJECT_FILES = 20_000     # a folder this large is no one package's code: not read for member names


@dataclass(frozen=True)
class _Bound:
    """One top-level binding of a name: to the dotted `target` (None: to something else)."""
    target: str | None
    in_except: bool
    through: bool = False     # `name = other.attr`: `target` starts with a name of the module
    returns: str | None = None    # a plain `def`: the dotted class its return is annotated with
    bases: tuple[str, ...] | None = None    # a plain `class`: its bases, dotted ("": one not a name)


class ProjectModules:
    """The project modules read so far (one per process: the CLI's worker, the language server).

    Each file is read once, with its modification time and size; `refresh()` forgets the
    files that changed since (the language server calls it before each check: it outlives
    edits of the project), so no lookup on the way of a check touches the disk twice.
    """

    def __init__(self, libraries: Iterable[str]) -> None:
        self.libraries = frozenset(libraries)
        self._bindings: dict[str, tuple[tuple[int, int] | None, dict[str, list[_Bound]]]] = {}
        self._packages: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._files: dict[tuple[tuple[str, ...], str], tuple[str, str] | None] = {}
        self.generation = 0
        self._spelled: dict[str, tuple[tuple[int, int] | None, tuple[frozenset[str], frozenset[str]]]] = {}
        # (roots, file) -> whether its module binds a library's name
        self._binds: dict[tuple[tuple[str, ...], str], bool] = {}
        # (roots, module, name) -> what that attribute of the project's module is (ImportContext.member)
        self._members: dict[tuple[tuple[str, ...], str, str], tuple[bool, str] | None] = {}
        # (roots, file, name) -> what the class its module defines is (ImportContext._class_kind)
        self._classes: dict[tuple[tuple[str, ...], str, str], str | None] = {}
        # file -> (its stamp, the member names it defines); folder -> the union over its files
        self._member_files: dict[str, tuple[tuple[int, int] | None, frozenset[str]]] = {}
        self._members_of: dict[tuple[str, bool], frozenset[str]] = {}

    def refresh(self) -> int:
        """Forget what was read of files changed on disk since (and where modules were found, as a
        module may have been added); the count of such refreshes so far, for a long-lived caller
        (the language server) to tell whether findings resting on the project's modules are stale."""
        changed = self._members_changed()
        for cache in (self._bindings, self._spelled):
            for file, (key, _) in list(cache.items()):
                if _stamp(file) != key:
                    del cache[file]
                    changed = True
        if changed:
            self._files.clear()
            self._packages.clear()
            self._binds.clear()            # these follow the project's re-exports through other files
            self._members.clear()
            self._classes.clear()
            self.generation += 1
        return self.generation

    def context(self, path: str | os.PathLike[str]) -> "ImportContext":
        """What the file at `path` can import from: its package and the folders modules are found in."""
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._packages:
            self._packages[folder] = _package_of(folder)
        package, roots = self._packages[folder]
        return ImportContext(self, package, roots)

    def module_file(self, roots: tuple[str, ...], module: str) -> tuple[str, str] | None:
        """Where `module` is under `roots` (looked up once, until a refresh finds a change)."""
        key = (roots, module)
        if key not in self._files:
            self._files[key] = _find_module(roots, module)
        return self._files[key]

    def binds_library(self, roots: tuple[str, ...], file: str, compute: Callable[[], bool]) -> bool:
        """Whether the module in `file` binds some library name, its imports found under `roots`
        (`compute()` once, until a refresh finds a change)."""
        key = (roots, file)
        if key not in self._binds:
            self._binds[key] = compute()
        return self._binds[key]

    def member(self, roots: tuple[str, ...], module: str, name: str,
               compute: Callable[[], tuple[bool, str] | None]) -> tuple[bool, str] | None:
        """`ImportContext.member` for modules found under `roots` (`compute()` once, until a refresh
        finds a change): the files of a project ask alike (`sm.OLS` in every test of statsmodels)."""
        key = (roots, module, name)
        if key not in self._members:
            self._members[key] = compute()
        return self._members[key]

    def class_kind(self, roots: tuple[str, ...], file: str, name: str,
                   compute: Callable[[], str | None]) -> str | None:
        """What the class `name` the module in `file` defines is, its bases found under `roots`
        (`compute()` once, until a refresh finds a change): xarray's tests all reach `Dataset`."""
        key = (roots, file, name)
        if key not in self._classes:
            self._classes[key] = compute()
        return self._classes[key]

    def member_names(self, folder: str, recursive: bool) -> frozenset[str]:
        """The names of the members (methods, attributes) the `.py` files in `folder` (and below it when
        `recursive`) define."""
        key = (folder, recursive)
        names = self._members_of.get(key)
        if names is None:
            names = self._members_of[key] = self._walk_members(folder, recursive)
        return names

    def _walk_members(self, folder: str, recursive: bool) -> frozenset[str]:
        found: set[str] = set()
        for file in _python_files(folder, recursive):
            stamp = _stamp(file)
            cached = self._member_files.get(file)
            if cached is None or cached[0] != stamp:
                data = _read(file) if stamp is not None else b""
                cached = self._member_files[file] = (stamp, class_members(data))
            found |= cached[1]
        return frozenset(found)

    def _members_changed(self) -> bool:
        """Whether a folder's member names changed since they were read: a file of it, which the
        checked file need not import, gained or lost a method, or a file was added or removed.
        Walked again, only changed files are read."""
        changed = False
        for (folder, recursive), names in list(self._members_of.items()):
            now = self._walk_members(folder, recursive)
            if now != names:
                self._members_of[(folder, recursive)] = now
                changed = True
        return changed

    def may_bind(self, file: str, name: str) -> bool:
        """Whether `name` is spelled where an import or a dotted assignment of `file` could bind it."""
        return name in self._spelled_in(file)[0]

    def may_return(self, file: str, name: str) -> bool:
        """Whether `file` may define a function `name` whose return annotation spells a name its
        imports or dotted assignments bind (`-> pd.DataFrame`; not `-> int`, `-> list[str]`)."""
        return name in self._spelled_in(file)[1]

    def _spelled_in(self, file: str) -> tuple[frozenset[str], frozenset[str]]:
        cached = self._spelled.get(file)
        if cached is None:
            key = _stamp(file)
            data = _read(file) if key is not None else b""
            words: set[str] = set()
            for m in _IMPORTED_RE.finditer(data):
                words.update(w.decode("ascii", "replace") for w in _WORD_RE.findall(m.group(1)))
            for m in _ASSIGNED_RE.finditer(data):      # the names before it on its line
                line = data[data.rfind(b"\n", 0, m.start()) + 1:m.start()]
                words.update(w.decode("ascii", "replace") for w in _WORD_RE.findall(line))
            returning = {m.group(1).decode("ascii", "replace") for m in _RETURNING_RE.finditer(data)
                         if any(w.decode("ascii", "replace") in words for w in _WORD_RE.findall(m.group(2)))}
            cached = self._spelled[file] = (key, (frozenset(words), frozenset(returning)))
        return cached[1]

    def bindings(self, file: str) -> dict[str, list[_Bound]]:
        """The top-level bindings of the module in `file` (targets of relative imports still relative)."""
        cached = self._bindings.get(file)
        if cached is None:
            key = _stamp(file)
            cached = self._bindings[file] = (key, top_level_bindings(_read(file)) if key is not None else {})
        return cached[1]


def class_members(data: bytes) -> frozenset[str]:
    """The names the classes of a module's source define, read line by line (a tree of every module
    of a large project costs seconds): a `def` or an annotated `name: T` whose enclosing block, the
    nearest line above it indented less, is a `class` (a function under `if PY3:`, six's `iteritems`,
    is none), and every `self.name = ...`. A line of a string or of a statement over several lines is
    read as any other: it only adds a name, the safe side."""
    names: set[str] = set(m.group(1).decode("ascii", "replace") for m in _SELF_ATTRIBUTE.finditer(data))
    blocks: list[tuple[int, bool]] = []        # (indent, whether a class) of the open block headers
    for line in data.splitlines():
        text = line.lstrip(b" \t")
        if not text or text.startswith((b"#", b")", b"]", b"}")):
            continue        # a comment, or the closing line of a header written over several lines
        indent = len(line) - len(text)
        while blocks and blocks[-1][0] >= indent:
            blocks.pop()
        in_class = bool(blocks) and blocks[-1][1]
        if text.startswith(b"class ") or text.startswith(b"class\t"):
            blocks.append((indent, True))
            continue
        field = _FIELD_LINE.match(text) if in_class and not text.rstrip().endswith(b",") else None
        member = _DEF_LINE.match(text) or field       # (`name: T = v,`: a parameter of a def over lines)
        if member is not None and in_class:
            names.add(member.group(1).decode("ascii", "replace"))
        if text.rstrip().endswith(b":"):
            blocks.append((indent, False))
    return frozenset(names)


def _python_files(folder: str, recursive: bool) -> list[str]:
    """The `.py` files of `folder` (and of its subfolders when `recursive`); none when there are more
    than _MAX_PROJECT_FILES."""
    files: list[str] = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"] if recursive else []
        files.extend(os.path.join(here, n) for n in names if n.endswith(".py"))
        if len(files) > _MAX_PROJECT_FILES:
            return []
    return files


def _stamp(file: str) -> tuple[int, int] | None:
    """What tells a changed file: its modification time and size (None: unreadable)."""
    try:
        st = os.stat(file)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _read(file: str) -> bytes:
    try:
        return read_regular(file)        # a FIFO put where a module was would block a plain read
    except OSError:
        return b""


class ImportContext:
    """How one checked file's imports of the project's modules resolve."""

    def __init__(self, modules: ProjectModules, package: str, roots: tuple[str, ...]) -> None:
        self.modules = modules
        self.package = package          # the file's package, dotted ("" for a script)
        self.roots = roots

    def is_library_of(self, row: dict | None, params: dict[str, dict]) -> bool:
        """Whether the project is the library a by-name match's rows are of: checking pandas' own
        code or tests, the `fillna` pandas defines is the very member its row deprecates, so the
        project defining the name vetoes nothing (`defines_member`)."""
        top = self.package.split(".")[0] if self.package else ""
        apis = [r["api"] for r in ([row] if row is not None else []) + list(params.values())]
        return bool(top) and bool(apis) and all(api.split(".")[0] == top for api in apis)

    def defines_member(self, name: str) -> bool:
        """Whether the project's own code defines a member `name`: statsmodels' results classes
        each have a `summary()`, so `res.summary()` on a value of unknown class is as likely theirs
        as pandas' long-removed `Index.summary`; xarray's `ResolvedGrouper` has a field `grouper`,
        pandas 2's `Grouper` had a deprecated attribute of that name. The project's code is its top
        package, every module under it; a script in no package has its own folder's modules."""
        if not self.roots:
            return False
        if self.package:
            return name in self.modules.member_names(os.path.join(self.roots[0], self.package.split(".")[0]), True)
        return name in self.modules.member_names(self.roots[0], False)

    def absolute(self, module: str) -> str | None:
        """`..compat.pandas` written in this file's package as an absolute module name."""
        return _absolute(module, self.package)

    def origin(self, module: str, name: str) -> str | None:
        """The library path `from module import name` binds when `module` is one of the project's
        own (`statsmodels.compat.pandas`, `assert_index_equal` -> `pandas.testing.assert_index_equal`);
        None when it is a library's module, not found, or the name is not plainly a library's there."""
        if self._is_library(module):
            return None
        return self._resolve(module, name, 0)

    def is_module(self, module: str) -> bool:
        """Whether `module` is one of the project's own (found under the roots, no library's)."""
        return not self._is_library(module) and self._module_file(module) is not None

    def module_of(self, module: str, name: str) -> str | None:
        """The project's module that `name` of the project's module `module` is (`from proj import
        compat`, `c.compat` of `import proj as c`): the submodule `module.name` when the module binds
        no `name` at its top level, else what every binding there agrees on (`from . import compat`,
        `from .impl import tools`) when that is a module of the project; None otherwise."""
        if self._is_library(module):
            return None
        found = self._module_file(module)
        if found is None:
            return None
        file, package = found
        # only a package (an `__init__.py`) has submodules
        sub = f"{module}.{name}" if os.path.basename(file) == "__init__.py" else None
        if sub is not None and self._module_file(sub) is None:
            sub = None
        if sub is None and not self.modules.may_bind(file, name):
            return None                   # no submodule, and no import binds the name: no need to parse
        bound = self.modules.bindings(file).get(name)
        if not bound:
            return sub
        agreed = _agreed(bound)
        if agreed is None or agreed.through:
            return None
        target = _absolute(agreed.target or "", package)
        return target if target and self.is_module(target) else None

    def member(self, module: str, name: str) -> tuple[bool, str] | None:
        """What the attribute `name` of the project's module `module` is: (True, the library path)
        when it is a library's name there (as `origin` says), (False, the project's module) when it
        is one of the project's modules (`module_of`); None when neither."""
        return self.modules.member(self.roots, module, name, lambda: self._member(module, name))

    def _member(self, module: str, name: str) -> tuple[bool, str] | None:
        origin = self.origin(module, name)
        if origin is not None:
            return True, origin
        sub = self.module_of(module, name)
        return (False, sub) if sub is not None else None

    def returned(self, module: str, name: str, depth: int = 0) -> str | None:
        """The library class a call of the project's function `module.name` returns, by the one
        annotation of its plain `def` at the module's top level (`def load(p) -> pd.DataFrame`:
        `pandas.DataFrame`, spelled through the module's own imports), followed through the
        project's re-exports; None when unknown."""
        found = self._annotation(module, name, depth)
        if found is None:
            return None
        returns, file, package, depth = found
        head, _, rest = returns.partition(".")
        base = self._resolve_local(head, file, package, depth)
        return None if base is None else (f"{base}.{rest}" if rest else base)

    def returns_own_class(self, module: str, name: str) -> bool:
        """Whether a call of the project's function `module.name` returns a value of a class the
        project defines, by the same annotation (xarray's tests: `def create_test_data() -> Dataset`,
        `class Dataset(DataWithCoords, Mapping[...])` in xarray/core/dataset.py) when neither that
        class nor any of its bases is a library's: such a value is no library's, whatever its
        methods are called (`data.reindex(copy=False)` is no pandas `reindex`)."""
        found = self._annotation(module, name, 0)
        return found is not None and self._class_kind(found[0], found[1], found[2], 0) == _OWN

    def _annotation(self, module: str, name: str, depth: int) -> tuple[str, str, str, int] | None:
        """(the dotted class the one plain `def` of the project's function `module.name` is annotated
        to return, the file and package of the module that spells it, the re-exports followed)."""
        if self._is_library(module) or depth > _MAX_DEPTH:
            return None
        found = self._module_file(module)
        if found is None:
            return None
        file, package = found
        if not self.modules.may_return(file, name) and not self.modules.may_bind(file, name):
            return None                   # neither such a def nor an import of it: no need to parse
        bound = self.modules.bindings(file).get(name)
        if not bound:
            return None
        main = _main(bound)
        if all(b.target is None and b.returns for b in main) and len({b.returns for b in main}) == 1:
            return main[0].returns or "", file, package, depth
        imported = _agreed(bound)
        if imported is None or imported.through:
            return None
        target = _absolute(imported.target or "", package)
        if not target or self._is_library(target):
            return None                   # a library's own function: its signatures say (origin)
        owner, _, leaf = target.rpartition(".")
        return self._annotation(owner, leaf, depth + 1) if owner else None

    def _class_kind(self, dotted: str, file: str, package: str, hops: int,
                    seen: frozenset[tuple[str, str]] = frozenset()) -> str | None:
        """What the class `dotted`, spelled in the module in `file`, is: _OWN (the project's, deriving
        from no library class), _LIBRARY (a library's, or the project's deriving from one),
        _ELSEWHERE (a builtin, or imported from outside the project and the libraries); None when
        not known (a star import, a name bound otherwise, a base that is no name). `hops`: the
        re-exports followed to reach it; `seen`: the project's classes whose bases are being read."""
        head, _, rest = dotted.partition(".")
        bound = self.modules.bindings(file).get(head) if head else None
        if not bound:
            return _ELSEWHERE if not rest and head and hasattr(builtins, head) else None
        main = _main(bound)
        if not rest and len(main) == 1 and main[0].bases is not None:
            if (file, head) in seen:
                return _OWN                  # bases read as a cycle add nothing
            return self.modules.class_kind(self.roots, file, head, lambda: _kind_of_bases(
                [self._class_kind(base, file, package, 0, seen | {(file, head)}) for base in main[0].bases]))
        target = _agreed(bound)
        path = _absolute(target.target or "", package) if target is not None and not target.through else None
        if not path or hops > _MAX_DEPTH:
            return None
        path = f"{path}.{rest}" if rest else path
        if self._is_library(path):
            return _LIBRARY
        parts = path.split(".")
        for i in range(len(parts) - 1, 0, -1):     # the longest prefix that is a module of the project
            found = self._module_file(".".join(parts[:i]))
            if found is not None:
                return self._class_kind(".".join(parts[i:]), found[0], found[1], hops + 1, seen)
        return _ELSEWHERE

    def could_match(self, data: bytes, leaf_names: Iterable[bytes]) -> bool:
        """Whether a file that spells no library name may still hold a finding: it spells a
        deprecated name and imports from a project module that binds some library name or has
        a function returning a library class."""
        if not any(leaf in data for leaf in leaf_names):
            return False
        for m in _FROM_RE.finditer(data):
            module = self.absolute(m.group(1).decode("ascii", "replace"))
            if module is None or self._is_library(module):
                continue
            if self._binds_library(module):
                return True
            # `from proj import compat`: the names imported may be the project's modules
            names = _IMPORTED_RE.match(data, m.end() - len(b"import"))
            for word in _WORD_RE.findall(names.group(1) if names is not None else b""):
                sub = self.module_of(module, word.decode("ascii", "replace"))
                if sub is not None and self._binds_library(sub):
                    return True
        for m in _IMPORT_RE.finditer(data):      # `import proj.compat as c`, `import proj.compat`
            for item in m.group(1).split(b","):
                dotted = item.split()[0].decode("ascii", "replace") if item.split() else ""
                parts = dotted.split(".")
                if dotted and not self._is_library(dotted) and any(
                        self._binds_library(".".join(parts[:i])) for i in range(1, len(parts) + 1)):
                    return True
        return False

    # ---- resolution --------------------------------------------------------
    def _is_library(self, dotted: str) -> bool:
        return dotted.split(".")[0] in self.modules.libraries

    def _resolve(self, module: str, name: str, depth: int) -> str | None:
        if self._is_library(module):
            return f"{module}.{name}"
        found = self._module_file(module)
        if found is None or depth > _MAX_DEPTH:
            return None
        file, package = found
        if not self.modules.may_bind(file, name):
            return None
        bound = self.modules.bindings(file).get(name)
        target = _agreed(bound) if bound else None
        if target is None:
            return None
        return self._library_path(target, file, package, depth + 1)

    def _library_path(self, bound: _Bound, file: str, package: str, depth: int) -> str | None:
        """The library path a binding of the module in `file` names, following the project's modules."""
        dotted = bound.target or ""
        if bound.through:                  # `x = testing.assert_index_equal`: `testing` is the module's name
            head, _, rest = dotted.partition(".")
            base = self._resolve_local(head, file, package, depth)
            return None if base is None else (f"{base}.{rest}" if rest else base)
        dotted = _absolute(dotted, package) or ""
        if not dotted:
            return None
        if self._is_library(dotted):
            return dotted
        parts = dotted.split(".")
        for i in range(len(parts) - 1, 0, -1):     # the longest prefix that is a module of the project
            if self._module_file(".".join(parts[:i])) is not None:
                found = self._resolve(".".join(parts[:i]), parts[i], depth)
                return None if found is None else ".".join([found, *parts[i + 1:]])
        return None

    def _resolve_local(self, name: str, file: str, package: str, depth: int) -> str | None:
        bound = self.modules.bindings(file).get(name)
        target = _agreed(bound) if bound else None
        if target is None or target.through or depth > _MAX_DEPTH:
            return None                    # `a = b.c; d = a.e`: not followed twice
        return self._library_path(target, file, package, depth + 1)

    def _binds_library(self, module: str) -> bool:
        found = self._module_file(module)
        if found is None:
            return False
        file, package = found
        return self.modules.binds_library(self.roots, file, lambda: any(
            self._resolve(module, name, 0) is not None or self.returned(module, name) is not None
            for name in self.modules.bindings(file)))

    def _module_file(self, module: str) -> tuple[str, str] | None:
        """(the file of `module` under one of the roots, the package its relative imports start from)."""
        return self.modules.module_file(self.roots, module)


def _find_module(roots: tuple[str, ...], module: str) -> tuple[str, str] | None:
    rel = module.replace(".", os.sep)
    for root in roots:
        base = os.path.join(root, rel)
        if os.path.isfile(base + ".py"):
            return base + ".py", module.rpartition(".")[0]
        init = os.path.join(base, "__init__.py")
        if os.path.isfile(init):
            return init, module
    return None


def _kind_of_bases(kinds: list[str | None]) -> str | None:
    """What a class of the project is by what its bases are (ImportContext._class_kind)."""
    return _LIBRARY if _LIBRARY in kinds else None if None in kinds else _OWN


def _main(bound: list[_Bound]) -> list[_Bound]:
    """A name's top-level bindings, less the fallbacks in `except` when there are others."""
    return [b for b in bound if not b.in_except] or bound


def _agreed(bound: list[_Bound]) -> _Bound | None:
    """The binding every top-level binding of a name agrees on (fallbacks in `except` aside)."""
    main = _main(bound)
    first = main[0]
    if first.target is None or any((b.target, b.through) != (first.target, first.through) for b in main):
        return None
    return first


def _absolute(module: str, package: str) -> str | None:
    """`..a.b` from inside `package` (a module's package) as `x.a.b`; None past the top."""
    dots = len(module) - len(module.lstrip("."))
    if not dots:
        return module
    parts = package.split(".") if package else []
    if dots - 1 > len(parts):
        return None
    base = parts[:len(parts) - (dots - 1)]
    rest = module[dots:]
    joined = ".".join([*base, rest] if rest else base)
    return joined or None


def _package_of(folder: str) -> tuple[str, tuple[str, ...]]:
    """The dotted package of a file in `folder` and the folders its absolute imports are found in."""
    names: list[str] = []
    top = folder
    while os.path.isfile(os.path.join(top, "__init__.py")):
        names.append(os.path.basename(top))
        parent = os.path.dirname(top)
        if parent == top:
            break
        top = parent
    # Python puts the folder above the top package on the path (a script's own folder when it
    # is in no package; pytest's rootdir insertion does the same for tests); a test folder that
    # is no package imports the project from a folder above it (the one a pyproject marks, its
    # src/, or where pytest runs): every folder up to the project's.
    roots = [top]
    here = top
    while os.path.basename(here) not in _INSTALLED:       # an installed package's folder is its own root
        if any(os.path.exists(os.path.join(here, m)) for m in _PROJECT_MARKERS):
            roots.append(os.path.join(here, "src"))
            break
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
        roots.append(here)
    seen: list[str] = []
    for r in roots:
        if r not in seen and os.path.isdir(r):
            seen.append(r)
    return ".".join(reversed(names)), tuple(seen)


# ---- reading a module's top level --------------------------------------------
def top_level_bindings(data: bytes) -> dict[str, list[_Bound]]:
    """name -> its bindings at the module's top level: imports (targets as written, relative
    ones with their dots), `name = other.attr` (through), a class (its bases), anything else (target None)."""
    if b"import" not in data and b"class" not in data:
        return {}
    found: dict[str, list[_Bound]] = {}
    for stmt, in_except in _top_statements(parse(data).root_node, False):
        for name, bound in _bound_by(stmt, in_except):
            found.setdefault(name, []).append(bound)
    return found


def _top_statements(node: Node, in_except: bool) -> Iterator[tuple[Node, bool]]:
    for child in node.named_children:
        if child.type in _BLOCKS:
            yield from _top_statements(child, in_except or child.type in ("except_clause", "except_group_clause"))
        else:
            yield child, in_except


def _bound_by(stmt: Node, in_except: bool) -> Iterator[tuple[str, _Bound]]:
    t = stmt.type
    if t == "import_statement":
        for item in stmt.children_by_field_name("name"):
            if item.type == "aliased_import":
                yield _text(item.child_by_field_name("alias")), _Bound(_text(item.child_by_field_name("name")),
                                                                      in_except)
            else:
                top = _text(item).split(".")[0]
                yield top, _Bound(top, in_except)
    elif t == "import_from_statement":
        module = stmt.child_by_field_name("module_name")
        if module is None:
            return
        base = _text(module)
        joiner = "" if base.endswith(".") else "."
        for item in stmt.children_by_field_name("name"):
            if item.type == "aliased_import":
                name, orig = _text(item.child_by_field_name("alias")), _text(item.child_by_field_name("name"))
            else:
                name = orig = _text(item)
            yield name, _Bound(f"{base}{joiner}{orig}", in_except)
    elif t == "expression_statement":
        for child in stmt.named_children:
            if child.type == "assignment":
                yield from _assigned(child, in_except)
    elif t == "function_definition":
        name = stmt.child_by_field_name("name")
        if name is not None:
            yield _text(name), _Bound(None, in_except, returns=_return_annotation(stmt))
    elif t == "class_definition":
        name = stmt.child_by_field_name("name")
        if name is not None:
            yield _text(name), _Bound(None, in_except, bases=_class_bases(stmt))
    elif t == "decorated_definition":
        inner = stmt.child_by_field_name("definition")
        if inner is not None:          # a decorator may return anything: no return class is read
            for name, bound in _bound_by(inner, in_except):
                yield name, _Bound(None, in_except)


def _return_annotation(func: Node) -> str | None:
    """`-> pd.DataFrame`, `-> "pd.DataFrame"`, `-> Optional[DataFrame]`, `-> pd.DataFrame | None`:
    the dotted name of the one class; None for anything else (a coroutine, a container, a union)."""
    if func.children and func.children[0].type == "async":
        return None
    expr = func.child_by_field_name("return_type")
    if expr is not None and expr.type == "type" and expr.named_child_count == 1:
        expr = expr.named_children[0]
    while expr is not None:
        if expr.type == "string":
            inner = _text(expr).strip("\"'")
            return inner if re.fullmatch(r"[A-Za-z_][\w.]*", inner) else None
        if _is_dotted_name(expr):
            return _text(expr)
        if expr.type == "binary_operator":             # `X | None`
            sides = [expr.child_by_field_name("left"), expr.child_by_field_name("right")]
            kept = [side for side in sides if side is not None and side.type != "none"]
            expr = kept[0] if len(kept) == 1 else None
        elif expr.type == "generic_type" or expr.type == "subscript":     # `Optional[X]`
            head = expr.named_children[0] if expr.named_children else None
            args = [c for c in expr.named_children[1:]]
            if head is None or _text(head).rpartition(".")[2] != "Optional" or not args:
                return None
            args = [a for c in args for a in (c.named_children if c.type == "type_parameter" else [c])]
            expr = args[0] if len(args) == 1 else None
            if expr is not None and expr.type == "type" and expr.named_child_count == 1:
                expr = expr.named_children[0]
        else:
            return None
    return None


def _class_bases(cls: Node) -> tuple[str, ...]:
    """`class Dataset(DataWithCoords, Mapping[Hashable, "DataArray"], metaclass=M)`: its bases as
    dotted names (`Mapping[...]` is `Mapping`), "" for one that is no name (a call's result)."""
    supers = cls.child_by_field_name("superclasses")
    bases = []
    for base in supers.named_children if supers is not None else ():
        if base.type == "keyword_argument":
            continue
        if base.type in ("subscript", "generic_type") and base.named_children:
            base = base.named_children[0]
        bases.append(_text(base) if _is_dotted_name(base) else "")
    return tuple(bases)


def _assigned(assignment: Node, in_except: bool) -> Iterator[tuple[str, _Bound]]:
    left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    if right is not None and right.type == "assignment":       # `a = b = x`
        yield from _assigned(right, in_except)
        right = right.child_by_field_name("right")
    if left is None:
        return
    if left.type == "identifier":
        through = right is not None and _is_dotted_name(right) and assignment.child_by_field_name("type") is None
        yield _text(left), _Bound(_text(right) if through else None, in_except, through)
        return
    for ident in _target_names(left):
        yield ident, _Bound(None, in_except)


def _target_names(node: Node) -> Iterator[str]:
    if node.type == "identifier":
        yield _text(node)
    elif node.type in ("pattern_list", "tuple_pattern", "list_pattern", "list_splat_pattern",
                       "parenthesized_expression"):
        for child in node.named_children:
            yield from _target_names(child)


def _is_dotted_name(node: Node) -> bool:
    while node.type == "attribute":
        node = node.child_by_field_name("object")
        if node is None:
            return False
    return node.type == "identifier"


def _text(node: Node | None) -> str:
    return "" if node is None else node.text.decode("utf-8", "replace").replace(" ", "")
