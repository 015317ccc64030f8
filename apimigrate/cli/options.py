"""Options and error handling every command shares."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console

from apimigrate.db import DBError, KnowledgeBase, open_db

DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="APIMIGRATE_DB", help="Deprecation database (default: user data dir)."),
]

err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit with `code` (2: usage or DB error)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_kb(db: Path | None) -> KnowledgeBase:
    try:
        return open_db(db)
    except DBError as exc:
        fail(str(exc))


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
