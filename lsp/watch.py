"""Notice that the DB changed on disk (a scan or refresh ran) without a restart.

Polling the file's and its WAL's (mtime, size) is a couple of stat calls per
tick, so it is cheap enough for every 0.5 s and works on every platform and
file system (no inotify). A changed stat only triggers `on_change`, which
compares the DB's own fingerprint before re-indexing anything.
"""
from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Awaitable, Callable

log = logging.getLogger(__name__)

Stat = tuple[tuple[int, int] | None, ...]


def db_stat(path: Path) -> Stat:
    out = []
    for p in (path, Path(f"{path}-wal")):
        try:
            st = os.stat(p)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


class DBWatcher:
    def __init__(self, interval_s: float, on_change: Callable[[], Awaitable[None]]) -> None:
        self.interval_s = interval_s
        self.on_change = on_change
        self.path: Path | None = None
        self._last: Stat | None = None
        self._task: asyncio.Task | None = None

    def watch(self, path: Path) -> None:
        """Watch `path` from now on (its current state counts as seen)."""
        self.path = path
        self._last = db_stat(path)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            if self.path is None:
                continue
            now = db_stat(self.path)
            if now == self._last:
                continue
            self._last = now
            try:
                await self.on_change()
            except Exception:  # noqa: BLE001 - the watcher must outlive one bad reload
                log.exception("reloading the deprecation DB failed")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
