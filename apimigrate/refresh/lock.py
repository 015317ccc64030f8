"""One refresh at a time per work folder: an advisory lock on WORKDIR/refresh.lock.

The operating system drops the lock when its process dies, however it dies, so a crashed run
never leaves a stale lock behind for the next timer tick to trip on (a pid file would). POSIX
only (fcntl).
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = "refresh.lock"


class Busy(Exception):
    """Another refresh holds the lock."""


class RunLock:
    def __init__(self, workdir: Path) -> None:
        self.path = workdir / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip()
            os.close(fd)
            raise Busy(f"another refresh is running in {self.path.parent}"
                       + (f" (process {holder})" if holder else "")) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
