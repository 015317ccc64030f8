"""`apimigrate lsp`: the language server, on stdio (default) or TCP."""
from __future__ import annotations

import logging
import sys
from typing import Annotated, Optional

import typer

from .options import DbOption, fail


def lsp(
    tcp: Annotated[Optional[str], typer.Option("--tcp", metavar="HOST:PORT", help="Listen on TCP instead of stdio.")] = None,
    db: DbOption = None,
) -> None:
    """Run the language server (diagnostics, quick fixes, hover, completion)."""
    # Imported here: pygls is only needed by this command.
    from apimigrate.lsp.__main__ import parse_hostport
    from apimigrate.lsp.server import serve

    address = None
    if tcp:
        try:
            address = parse_hostport(tcp)
        except ValueError as exc:
            fail(str(exc))
    # stdout carries the protocol on stdio: logs go to stderr only.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="apimigrate-lsp %(levelname)s %(message)s")
    serve(db, address)


def register(app: typer.Typer) -> None:
    app.command("lsp")(lsp)
