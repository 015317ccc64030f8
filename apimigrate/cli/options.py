"""Options and error handling every command shares."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from apimigrate.db import ClassFacts, DBError, KnowledgeBase, default_db_path, open_db

DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="APIMIGRATE_DB", help="Deprecation database (default: user data dir)."),
]

err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit with `code` (2: usage or DB error)."""
    # escaped: a message naming a TOML table ("[tool.apimigrate]") is text, not rich markup
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_kb(db: Path | None) -> KnowledgeBase:
    try:
        return open_db(db)
    except DBError as exc:
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
    if not path.is_file():
        fail(f"no deprecation database at {path}{where} (run `apimigrate scan` first, or pass --db)")
    try:
        kb = open_db(path)
        try:
            rows = kb.deprecations(libraries=libraries or None, min_confidence=min_confidence)
            return Knowledge(rows, kb.class_facts(), kb.fingerprint())
        finally:
            kb.close()
    except DBError as exc:
        fail(str(exc).splitlines()[0] if str(exc) else "database error")


def need_model_packages(command: str) -> None:
    """Fail in one line, saying what to install, when `command` would import model packages (the
    `unlearn` extra) that this install lacks, rather than with an ImportError's traceback midway."""
    from apimigrate.local_models import ModelError, require_model_packages
    try:
        require_model_packages(f"apimigrate {command}")
    except ModelError as exc:
        fail(str(exc))


def quiet_model_libraries() -> None:
    """Loading bars of transformers would interleave with ours, and peft calls a transformers
    method that transformers 5 deprecates (nothing the user can act on)."""
    import warnings
    warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
