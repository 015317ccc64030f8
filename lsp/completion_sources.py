"""Where completion suggestions come from, and the seam for later ones.

A `CompletionSource` proposes `Suggestion`s for one request. The server merges
what every registered source proposes and then applies the DB's knowledge
itself (tag Deprecated, sort last, name the replacement), so a source never
has to know about deprecations. (The model's inline completions are a request of
their own, inline.py, whose guard rewrites or drops a deprecated call instead:
ghost text has no tag to strike it through.)

The sources here are deliberately static and cheap:

- `DBMembers`: the names under a prefix that the deprecation DB mentions, i.e.
  deprecated APIs and the replacements the library itself points to. This is
  not the library's full namespace: the DB only knows what was deprecated.
- `StaticAll`: when the library is installed where the server runs, the names in
  its module's ``__all__``, read from its ``.pyi`` stub if one sits beside it,
  else from the source file, without importing it
  (importing arbitrary code in a long-lived server runs its side effects and
  can take seconds). Only a literal ``__all__`` (list/tuple of strings, with
  ``+=`` of literals) is read; a computed one lists nothing.
"""
from __future__ import annotations

import ast
import asyncio
import importlib.machinery
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

from lsprotocol import types

from .knowledge import Knowledge


@dataclass(frozen=True)
class CompletionRequest:
    uri: str
    position: types.Position
    line_prefix: str            # text of the line up to the cursor
    module: str | None          # fully qualified prefix before the dot (`numpy` for `np.`), if resolved
    partial: str                # what is typed after the dot
    knowledge: Knowledge


@dataclass(frozen=True)
class Suggestion:
    label: str
    qualified_name: str | None = None   # the API the suggestion spells, for the deprecation guard
    insert_text: str | None = None
    detail: str | None = None
    kind: types.CompletionItemKind | None = None
    source: str = ""


@runtime_checkable
class CompletionSource(Protocol):
    name: str

    async def suggest(self, request: CompletionRequest) -> Sequence[Suggestion]:
        """Suggestions for `request`; return [] when there is nothing to say."""
        ...


class DBMembers:
    name = "db"

    async def suggest(self, request: CompletionRequest) -> Sequence[Suggestion]:
        if not request.module:
            return []
        return [
            Suggestion(label=m, qualified_name=f"{request.module}.{m}", source=self.name)
            for m in request.knowledge.members(request.module)
        ]


MAX_INIT_BYTES = 2_000_000


def _module_file(module: str) -> Path | None:
    """The source file of `module` without importing it (nor, unlike find_spec, its parents)."""
    parts = module.split(".")
    locations: list[str] = list(sys.path)
    origin = None
    for i in range(len(parts)):
        try:
            spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), locations)
        except (ImportError, ValueError):
            return None
        if spec is None:
            return None
        locations = list(spec.submodule_search_locations or [])
        origin = spec.origin
    if not origin or not origin.endswith((".py", ".pyi")) or not os.path.isfile(origin):
        return None
    # A stub beside the module often spells `__all__` out where the module computes it (numpy).
    stub = Path(origin).with_suffix(".pyi")
    return stub if stub.is_file() else Path(origin)


def _literal_strings(node: ast.AST) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]  # type: ignore[attr-defined]
    return None


def static_all(path: Path) -> list[str]:
    """Names of a literal ``__all__`` in the module at `path` ([] when computed or absent)."""
    try:
        if path.stat().st_size > MAX_INIT_BYTES:
            return []
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return []
    names: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            found = _literal_strings(stmt.value)
            if found is None:
                return []       # a computed __all__: better nothing than a guess
            names = found
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
            found = _literal_strings(stmt.value)
            if found is None:
                return []
            names.extend(found)
    return [n for n in dict.fromkeys(names) if n.isidentifier()]


class StaticAll:
    name = "static-all"

    def __init__(self) -> None:
        self._cache: dict[str, list[str]] = {}

    def names(self, module: str) -> list[str]:
        if module not in self._cache:
            path = _module_file(module)
            self._cache[module] = static_all(path) if path else []
        return self._cache[module]

    async def suggest(self, request: CompletionRequest) -> Sequence[Suggestion]:
        if not request.module:
            return []
        # The first read of a module parses its file: keep that off the event loop.
        names = await asyncio.to_thread(self.names, request.module)
        return [Suggestion(label=n, qualified_name=f"{request.module}.{n}", source=self.name) for n in names]


def default_sources() -> list[CompletionSource]:
    return [DBMembers(), StaticAll()]
