"""Ctrl-C (and SIGTERM) for long jobs: the first asks the job to stop at its next safe point, the
second stops it."""
from __future__ import annotations

import signal

from .options import err_console


class StopOnSignal:
    """The first Ctrl-C (or another of `signals`: SIGTERM is how systemd stops a job) asks the
    job to stop at its next safe point, after the step in progress; a second one stops it at once."""

    def __init__(self, message: str, signals: tuple[int, ...] = (signal.SIGINT,)) -> None:
        self.message = message
        self.signals = signals
        self.requested = False
        self.signum: int | None = None      # the signal that asked first: its exit status is 128 + it
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "StopOnSignal":
        for sig in self.signals:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        self.signum = signum
        again = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        err_console.print(f"{self.message} ({again} again to stop at once)", highlight=False)

    def exit_status(self) -> int:
        """The shell's status for a job stopped by the signal that asked: 130 for Ctrl-C, 143 for
        SIGTERM (Ctrl-C's when none asked: a KeyboardInterrupt before the handlers were set)."""
        return 128 + (self.signum or signal.SIGINT)

    def __call__(self) -> bool:
        return self.requested
