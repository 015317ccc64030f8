"""Options and error handling every command shares."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Callable, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from apimigrate.db import ClassFacts, DBError, KnowledgeBase, UnknownLibrary, default_db_path, open_db

DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="APIMIGRATE_DB", help="Deprecation database (default: user data dir)."),
]

# Piped (grep, a CI log), rich would cut every table at 80 columns (`pandas.Catego…`); tables
# there are as wide as their rows instead, unless COLUMNS says otherwise.
_PIPED_WIDTH = 100_000


def make_console(*, stderr: bool = False) -> Console:
    """A console for tables and messages: the terminal's width, or unbounded when piped."""
    stream = sys.stderr if stderr else sys.stdout
    piped = not stream.isatty() and not os.environ.get("COLUMNS")
    return Console(stderr=stderr, width=_PIPED_WIDTH if piped else None)


err_console = make_console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit with `code` (2: usage or DB error)."""
    # escaped: a message naming a TOML table ("[tool.apimigrate]") is text, not rich markup
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_kb(db: Path | None, *, create: bool = True) -> KnowledgeBase:
    """The DB at `db` (else the default one); `create=False` for commands that only read it, which
    must not leave an empty DB behind where the user mistyped a path."""
    if not create:
        _require_file(db if db is not None else default_db_path())
    try:
        return open_db(db)
    except DBError as exc:
        fail(str(exc))


def _require_file(path: Path, where: str = "") -> None:
    if not path.is_file():
        fail(f"no deprecation database at {path}{where} (run `apimigrate scan` first, or pass --db)")


def selected_libraries(kb: KnowledgeBase, names: list[str] | None) -> list[str] | None:
    """The scanned libraries `names` select (a distribution or an import name: `sklearn` is
    scikit-learn), None for all; a name the DB does not know fails (exit 2)."""
    if not names:
        return None
    try:
        return kb.select_libraries(names)
    except UnknownLibrary as exc:
        fail(str(exc))


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


@dataclass
class Knowledge:
    """What the commands that read code need from the DB."""
    rows: list[dict]
    classes: ClassFacts
    fingerprint: str


def load_knowledge(db: Path | None, *, libraries: list[str] | None = None, min_confidence: float = 0.0,
                   where: str = "") -> Knowledge:
    """The DB rows to look for, the scanned libraries' classes and the DB's fingerprint; a
    missing, corrupt or foreign DB is one line on stderr and exit 2 (`where` says who named it)."""
    path = db if db is not None else default_db_path()
    _require_file(path, where)
    if path.stat().st_size == 0:
        # SQLite takes a 0-byte file for an empty database, and open_db would write its schema
        # into it: a command that only reads the DB must leave the file as it found it.
        _empty(path, where)
    try:
        kb = open_db(path)
        try:
            if kb.is_empty():
                _empty(path, where)
            rows = kb.deprecations(libraries=selected_libraries(kb, libraries), min_confidence=min_confidence)
            return Knowledge(rows, kb.class_facts(), kb.fingerprint())
        finally:
            kb.close()
    except DBError as exc:
        fail(str(exc).splitlines()[0] if str(exc) else "database error")


def _empty(path: Path, where: str) -> NoReturn:
    fail(f"the deprecation database at {path}{where} is empty: nothing to check against "
         "(run `apimigrate scan LIBRARY` first)")


def need_model_packages(command: str) -> None:
    """Fail in one line, saying what to install, when `command` would import model packages (the
    `unlearn` extra) that this install lacks, rather than with an ImportError's traceback midway."""
    from apimigrate.local_models import ModelError, require_model_packages
    try:
        require_model_packages(f"apimigrate {command}")
    except ModelError as exc:
        fail(str(exc))


class ProgressLines:
    """Progress as lines on stderr, for a log rather than a terminal (where rich draws no bar):
    `evaluate: 120/480 probes` at the start, then whenever another tenth is done or `every`
    seconds have passed since the last line, and at the end; `detail` (a loss) follows when given."""

    def __init__(self, command: str, unit: str, *, every: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.command, self.unit, self.every, self.clock = command, unit, every, clock
        self.shown: int | None = None
        self.at = 0.0

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        if not self._due(done, total):
            return
        self.shown, self.at = done, self.clock()
        err_console.print(f"{self.command}: {done}/{total} {self.unit}" + (f", {detail}" if detail else ""),
                          highlight=False, soft_wrap=True)

    def _due(self, done: int, total: int) -> bool:
        if self.shown is None:
            return total > 0                  # nothing to do: no line either
        if done == self.shown:
            return False
        return done >= total or done - self.shown >= max(total // 10, 1) or self.clock() - self.at >= self.every
