"""One refresh at a time: advisory locks on files.

Two locks, taken in this order: the work folder's (WORKDIR/refresh.lock: its runs and corpus
are written by one process), and the model's on its database (a hidden file beside the DB,
named after the base model): two configurations that share a DB and a base model would each
promote over the other's model, so the second waits for the next tick instead.

The operating system drops a lock when its process dies, however it dies, so a crashed run
never leaves a stale lock behind for the next timer tick to trip on (a pid file would). POSIX
only (fcntl).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

LOCK_NAME = "refresh.lock"


class Busy(Exception):
    """Another refresh holds the lock."""


class RunLock:
    def __init__(self, path: Path, held: str) -> None:
        self.path, self.held = path, held       # `held`: what the user is told when it is taken
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip()
            os.close(fd)
            raise Busy(self.held + (f" (process {holder})" if holder else "")) from None
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


def workdir_lock(workdir: Path) -> RunLock:
    return RunLock(workdir / LOCK_NAME, f"another refresh is running in {workdir}")


def model_lock(db_path: Path, base: str) -> RunLock:
    """The lock of refreshes of the base model `base` (a resolved path) on the DB at `db_path`."""
    digest = hashlib.sha256(base.encode()).hexdigest()[:16]
    return RunLock(db_path.parent / f".{db_path.name}.refresh-{digest}.lock",
                   f"another refresh of {base} is running on the database {db_path}")
