"""Runs parsing and call-site resolution on one worker thread.

One thread, because tree-sitter trees and the SQLite connection are not shared
across threads here: every tree edit, parse and DB read happens in submission
order on that thread, so a tree is never edited while it is being parsed. The
event loop stays free to read the client's messages (hover, the next edit)
while a check of a large file runs.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from tree_sitter import Tree

from apimigrate.callsites import DeprecationIndex, Reference, find_references, parse

from .documents import ByteEdit, is_reset

T = TypeVar("T")


class Checker:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apimigrate-check")
        self._trees: dict[str, Tree] = {}

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the worker thread, after everything submitted before it.

        Shielded: a caller that is cancelled (a superseded check) stops waiting,
        but the job still runs, because it may carry tree edits nobody else will apply.
        """
        return await asyncio.shield(asyncio.get_running_loop().run_in_executor(self._pool, fn, *args))

    async def references(
        self, uri: str, source: bytes, edits: list[ByteEdit], index: DeprecationIndex
    ) -> list[Reference]:
        return await self.run(self._references, uri, source, edits, index)

    def _references(
        self, uri: str, source: bytes, edits: list[ByteEdit], index: DeprecationIndex
    ) -> list[Reference]:
        tree = self._trees.get(uri)
        if tree is not None and any(is_reset(e) for e in edits):
            tree = None
        if tree is not None:
            for e in edits:
                tree.edit(
                    start_byte=e.start_byte, old_end_byte=e.old_end_byte, new_end_byte=e.new_end_byte,
                    start_point=e.start_point, old_end_point=e.old_end_point, new_end_point=e.new_end_point,
                )
        tree = parse(source, tree)
        self._trees[uri] = tree
        return find_references(source, index, tree=tree)

    async def forget(self, uri: str) -> None:
        await self.run(self._trees.pop, uri, None)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
