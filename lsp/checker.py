"""Runs parsing and call-site resolution on one worker thread.

One thread, because tree-sitter trees and the SQLite connection are not shared
across threads here: every tree edit, parse and DB read happens in submission
order on that thread, so a tree is never edited while it is being parsed. The
event loop stays free to read the client's messages (hover, the next edit)
while a check of a large file runs.

Per document the worker keeps the last parsed tree, the findings of the
latest text it saw and the words those findings depend on. When every edit
since is inert (see inert.py) the findings are shifted and the tree is left
alone; its edits wait in `deferred` for the next full check. Otherwise the
tree is re-parsed incrementally and, when the edit stays inside some
top-level statements that nothing else depends on (see region.py), only
those are resolved again.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from pygls.uris import to_fs_path
from tree_sitter import Tree

from apimigrate.callsites import (DeprecationIndex, ImportContext, ProjectModules, Reference, find_references,
                                  find_references_between, parse)

from .documents import ByteEdit, is_reset
from .inert import WordEdit, import_words, index_words, inert_words, shift_refs, verify
from .region import builtin_leaves, plan, region_is_local, splice

T = TypeVar("T")
# Inert edits kept off the tree at most; then a full check catches the tree up.
MAX_DEFERRED = 256


@dataclass
class DocState:
    tree: Tree                     # parsed from `source`, the text before `deferred`
    source: bytes
    index: DeprecationIndex
    refs: list[Reference]          # findings in the text after `deferred`
    words: frozenset[str]          # what an inert edit must not touch
    imports: frozenset[str]        # every word of the import statements
    verdicts: frozenset[str] = frozenset()    # names by-name and compat verdicts read (find_references)
    module_verdicts: frozenset[str] = frozenset()   # those an edit of another statement can change
    deferred: list[ByteEdit] = field(default_factory=list)
    project_generation: int = 0    # of the project's modules read (callsites/project.py) at the last full check

    @property
    def inert_since_parse(self) -> list[WordEdit]:
        return [e.word for e in self.deferred if e.word is not None]


class Checker:
    def __init__(self, inert: bool = True) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apimigrate-check")
        self._docs: dict[str, DocState] = {}
        # Per index (one is live at a time): its words (inert.py) and bare builtin replacements (region.py).
        self._derived: tuple[DeprecationIndex | None, frozenset[str], frozenset[str]] = (None, frozenset(), frozenset())
        self.inert = inert
        self.stats = {"full": 0, "inert": 0, "region": 0}
        self._project: ProjectModules | None = None       # the project's modules read, for the live index

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the worker thread, after everything submitted before it.

        Shielded: a caller that is cancelled (a superseded check) stops waiting,
        but the job still runs, because it may carry tree edits nobody else will apply.
        """
        return await asyncio.shield(asyncio.get_running_loop().run_in_executor(self._pool, fn, *args))

    async def references(
        self, uri: str, source: bytes, edits: list[ByteEdit], index: DeprecationIndex
    ) -> list[Reference]:
        return await self.run(self.references_now, uri, source, edits, index)

    # ---- on the worker thread ------------------------------------------------
    def references_now(
        self, uri: str, source: bytes, edits: list[ByteEdit], index: DeprecationIndex
    ) -> list[Reference]:
        """The findings of `source`, which is the previous text with `edits` applied."""
        st = self._docs.get(uri)
        generation = self._project.refresh() if self._project is not None else 0
        # A project module changed on disk since the last full check (a compat module saved in
        # another tab): every finding may have changed, not only the edited ones.
        current = st is not None and st.project_generation == generation
        if st is not None and self.inert and current:
            refs = self._shifted(st, edits, index)
            if refs is not None:
                st.deferred.extend(edits)
                st.refs = refs
                self.stats["inert"] += 1
                return refs
        tree = old = None
        if st is not None and not any(is_reset(e) for e in edits):
            old, tree = st.tree.copy(), st.tree
            for e in st.deferred + edits:
                tree.edit(
                    start_byte=e.start_byte, old_end_byte=e.old_end_byte, new_end_byte=e.new_end_byte,
                    start_point=e.start_point, old_end_point=e.old_end_point, new_end_point=e.new_end_point,
                )
        new_tree = parse(source, tree)
        if st is not None and old is not None and tree is not None and st.index is index and edits and current:
            found = self._in_region(uri, st, old, tree, new_tree, source, edits)
            if found is not None:
                refs, inside, inside_module = found
                # Verdicts outside the region read the same names as before; a superset is safe.
                verdicts, module_verdicts = st.verdicts | inside, st.module_verdicts | inside_module
                self._docs[uri] = DocState(new_tree, source, index, refs, st.words | verdicts, st.imports, verdicts,
                                           module_verdicts, project_generation=generation)
                self.stats["region"] += 1
                return refs
        depends: set[str] = set()
        module_depends: set[str] = set()
        refs = find_references(source, index, tree=new_tree, depends=depends, module_depends=module_depends,
                               project=self._project_context(uri, index))
        imports = import_words(source, new_tree)
        verdicts = frozenset(depends)
        self._docs[uri] = DocState(new_tree, source, index, refs, self._words_of(index) | imports | verdicts,
                                   imports, verdicts, frozenset(module_depends),
                                   project_generation=self._project.generation if self._project is not None else 0)
        self.stats["full"] += 1
        return refs

    def _in_region(self, uri: str, st: DocState, old: Tree, edited: Tree, new: Tree, source: bytes,
                   edits: list[ByteEdit]) -> tuple[list[Reference], frozenset[str], frozenset[str]] | None:
        """The findings after re-resolving only the edited statements, and the names the by-name
        verdicts inside read; None when that is not enough."""
        region = plan(old, edited, new, edits)
        # Names whose module-level rebinding changes findings elsewhere: imports, and the
        # builtins replacements spell bare (`np.float` -> `float` only where `float` is free).
        names = st.imports | self._derived_of(st.index)[1]
        if region is None or not region_is_local(region, old.root_node, st.source, new.root_node, source,
                                                 names, self._words_of(st.index), st.module_verdicts):
            return None
        depends: set[str] = set()
        module_depends: set[str] = set()
        inside = (find_references_between(source, st.index, new, region.start, region.end, depends, module_depends,
                                          project=self._project_context(uri, st.index))
                  if region.end > region.start else [])
        refs = None if inside is None else splice(st.refs, region, inside)
        return None if refs is None else (refs, frozenset(depends), frozenset(module_depends))

    def _project_context(self, uri: str, index: DeprecationIndex) -> ImportContext | None:
        """Where a saved file sits among the project's modules (library names imported through
        them, see callsites/project.py); None for an unsaved buffer."""
        if not uri.startswith("file:"):
            return None
        path = to_fs_path(uri)
        if path is None:
            return None
        if self._project is None or self._project.libraries != index.libraries:
            self._project = ProjectModules(index.libraries)
        return self._project.context(path)

    def _shifted(self, st: DocState, edits: list[ByteEdit], index: DeprecationIndex) -> list[Reference] | None:
        if st.index is not index or st.tree.root_node.has_error or len(st.deferred) + len(edits) > MAX_DEFERRED:
            return None
        if not edits:
            return st.refs                 # same text, same index: same findings
        done = st.inert_since_parse
        for e in edits:
            we = e.word
            if we is None or not inert_words(we, st.words) or not verify(st.tree.root_node, we, done):
                return None
            done.append(we)
        return shift_refs(st.refs, [e.word for e in edits])  # type: ignore[misc]

    def _words_of(self, index: DeprecationIndex) -> frozenset[str]:
        return self._derived_of(index)[0]

    def _derived_of(self, index: DeprecationIndex) -> tuple[frozenset[str], frozenset[str]]:
        if self._derived[0] is not index:
            self._derived = (index, index_words(index), builtin_leaves(index))
        return self._derived[1], self._derived[2]

    async def forget(self, uri: str) -> None:
        await self.run(self._docs.pop, uri, None)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
