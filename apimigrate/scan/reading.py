"""Reading a tree's files into facts for a scan: which files changed since the DB stored them,
which another release stored byte for byte, and the worker processes that read the rest.

A scan reads the next tree's files while it stores the tree before it (runner.scan): storing is
one process's work, and reading takes every core, so on two cores the one left over reads on.
"""
from __future__ import annotations

import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import ClassVar
from multiprocessing import get_context

from apimigrate.db import KnowledgeBase
from apimigrate.process_pools import stop_pool

from .extract import extract_batch, facts_from_json, read_and_hash
from .gc_pace import collect_less
from .model import FileResult
from .targets import SourceFile, SourceTree

PARALLEL_MIN_FILES = 64   # below this a process pool costs more than it saves
BATCH = 32


class Workers:
    """The worker processes of a scan, started when a tree first has enough files to share out and
    kept for the scan's other trees: a scan of pandas reads six releases, and a worker that read
    the last one has what it compiled for it (parameter_usage's patterns, per parameter name)."""

    def __init__(self, count: int | None = None) -> None:
        self.count = count or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, mp_context=get_context("spawn"),
                                             initializer=_start_worker)
        return self._pool

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the workers; or, when the scan stopped (Ctrl-C, a target that failed), stop them
        with the batches they hold, whose facts no one will store (they ignore Ctrl-C), and wait
        for the pool's thread alone. Left running while the interpreter exits, that thread closes
        its wake-up pipe as concurrent.futures' exit hook writes to it: a "Bad file descriptor"
        traceback after the scan's own line (Python 3.11, one Ctrl-C in ten)."""
        if self._pool is None:
            return
        if cancel:
            stop_pool(self._pool)
        else:
            self._pool.shutdown(wait=True)
        self._pool = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        self.close(cancel=exc_type is not None)

    def shares(self, files: list[SourceFile]) -> bool:
        return self.count > 1 and len(files) >= PARALLEL_MIN_FILES


def _start_worker() -> None:
    """Ctrl-C reaches the workers too (one process group): the scan's process stops them and says
    what was stored; a worker's own KeyboardInterrupt would print its traceback over that line. A
    worker collects garbage at the scan's pace (gc_pace.py)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect_less()


def facts_elsewhere(kb: KnowledgeBase, tree: SourceTree, changed: list[SourceFile],
                    hashes: dict[str, str]) -> dict[str, tuple[FileResult, str]]:
    """The facts another release of the library stored for a module of `changed` that it has at the
    same path, byte for byte: a module's facts depend on its text and its place alone (a changelog's
    on the release too: never taken). A plain scan of pandas reads its five releases before the
    installed one, a quarter of whose modules are unchanged from one to the next."""
    code = {sf.rel: hashes[sf.rel] for sf in changed if not sf.is_changelog}
    found = {}
    for rel, text in kb.facts_elsewhere(tree.library, tree.version, code).items():
        result = facts_from_json(rel, text)
        if result is not None:
            found[rel] = result, text
    return found


@dataclass
class Reading:
    """A tree's files against what the DB holds of them, and the batches of those the workers are
    reading: started with `start`, its facts taken with `results`."""
    tree: SourceTree
    hashes: dict[str, str]                 # path -> hash (extract.read_and_hash) of every file
    changed: list[SourceFile]              # files whose hash the DB does not hold for this release
    gone: set[str]                         # paths the DB holds for this release that it lacks
    _batches: list[Future] = field(default_factory=list)
    _task: object | None = None
    # False: every changed file is read, none taken from another release (benchmarks/scan_reuse.py
    # measures what taking them saves)
    reuse: ClassVar[bool] = True

    @classmethod
    def start(cls, kb: KnowledgeBase, tree: SourceTree, workers: Workers, progress=None,
              before: Reading | None = None) -> Reading:
        """Hash the tree's files and set the workers reading those that changed, unless another
        release stored them (now, or `before`, whose facts the DB will hold when `results` asks)."""
        stored = kb.file_hashes(tree.library, tree.version)
        hashes, changed = {}, []
        for sf in tree.files:
            _, digest = read_and_hash(sf.path)
            hashes[sf.rel] = digest
            if stored.get(sf.rel) != digest:
                changed.append(sf)
        reading = cls(tree, hashes, changed, set(stored) - set(hashes))
        code = [sf for sf in changed if not sf.is_changelog] if cls.reuse else []
        known = set(kb.facts_elsewhere(tree.library, tree.version, {sf.rel: hashes[sf.rel] for sf in code}))
        if before is not None:          # (another library's file is read at `results`: none was stored)
            known |= {sf.rel for sf in code if before.hashes.get(sf.rel) == hashes[sf.rel]}
        unread = [sf for sf in changed if sf.rel not in known]
        if workers.shares(unread):
            reading._task = _task(progress, tree, len(unread))
            pool = workers.pool()
            reading._batches = [pool.submit(extract_batch, batch, tree.library, tree.version, tuple(tree.packages))
                                for batch in _batches(unread)]
        return reading

    def results(self, kb: KnowledgeBase, workers: Workers, progress=None
                ) -> tuple[dict[str, FileResult], dict[str, tuple[FileResult, str]]]:
        """(path -> the facts of each changed file, path -> (facts, their JSON) of those another
        release stored). A file the workers were not given (another release was to store it and
        did not: it failed) is read now."""
        reused = facts_elsewhere(kb, self.tree, self.changed, self.hashes) if self.reuse else {}
        fresh: dict[str, FileResult] = {}
        for batch in self._batches:
            fresh.update((r.path, r) for r in batch.result() if r.path not in reused)
            if progress is not None:
                progress.advance(self._task, BATCH)
        rest = [sf for sf in self.changed if sf.rel not in reused and sf.rel not in fresh]
        fresh.update((r.path, r) for r in _extract(rest, self.tree, workers, progress))
        fresh.update((rel, result) for rel, (result, _) in reused.items())
        return fresh, reused


def _batches(files: list[SourceFile]) -> list[list[SourceFile]]:
    return [files[i:i + BATCH] for i in range(0, len(files), BATCH)]


def _task(progress, tree: SourceTree, total: int):
    return progress.add_task(f"scan {tree.library} {tree.version}", total=total) if progress is not None else None


def _extract(files: list[SourceFile], tree: SourceTree, workers: Workers, progress) -> list[FileResult]:
    if not files:
        return []
    task = _task(progress, tree, len(files))
    results: list[FileResult] = []
    if workers.shares(files):
        pool = workers.pool()
        futures = [pool.submit(extract_batch, b, tree.library, tree.version, tuple(tree.packages))
                   for b in _batches(files)]
        for future in futures:
            results.extend(future.result())
            if progress is not None:
                progress.advance(task, BATCH)
    else:
        for b in _batches(files):
            results.extend(extract_batch(b, tree.library, tree.version, tuple(tree.packages)))
            if progress is not None:
                progress.advance(task, len(b))
    return results
