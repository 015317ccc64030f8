"""The `apimigrate` command line."""
from __future__ import annotations

import typer

from . import check_cmd, dataset_cmd, db_cmd, evaluate_cmd, lsp_cmd, refresh_cmd, scan_cmd, train_cmd

app = typer.Typer(
    name="apimigrate",
    help="Keep code and code models current as libraries deprecate APIs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help is written as paragraphs of wrapped lines: markdown joins them (rich mode keeps each
    # source line break) and leaves `[refresh]`-like text alone (rich mode took it for markup).
    rich_markup_mode="markdown",
)

for command_group in (scan_cmd, db_cmd, check_cmd, dataset_cmd, train_cmd, evaluate_cmd, refresh_cmd, lsp_cmd):
    command_group.register(app)

if __name__ == "__main__":
    app()
