"""`apimigrate scan`: mine deprecations from libraries into the DB."""
from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from apimigrate.db import DBError

from .options import DbOption, err_console, fail, make_console, open_kb


def _summary(reports: list) -> Table:
    t = Table(title="scan")
    for col in ("library", "version", "files", "read", "reused", "unchanged", "skipped", "deprecations",
                "with replacement", "marked removed", "withdrawn"):
        t.add_column(col, justify="right" if col not in ("library", "version") else "left")
    for r in reports:
        # reused: files another release has byte for byte, whose stored facts were taken
        t.add_row(r.library, r.version, str(r.files), str(r.read), str(r.reused), str(r.unchanged), str(len(r.skipped)),
                  str(r.deprecations), str(r.with_replacement), str(r.marked_removed), str(r.withdrawn))
    return t


def register(app: typer.Typer) -> None:
    @app.command("scan")
    def scan_cmd(
        targets: Annotated[list[str], typer.Argument(help="Installed name, name==version, or a path (checkout, sdist, wheel).")],
        db: DbOption = None,
        since: Annotated[Optional[str], typer.Option(help="Also scan every minor release from this version on (fetched, not installed).")] = None,
        jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")] = 0,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List skipped files.")] = False,
        notes: Annotated[bool, typer.Option("--notes/--no-notes", help="Also read from an installed release's sdist (cached, else fetched from pip's index) its release notes and the Cython sources of its compiled modules.")] = True,
    ) -> None:
        """Mine deprecated APIs and their replacements from library source, stubs and changelogs."""
        # imported here so `apimigrate --help` and other commands stay quick
        from apimigrate.scan.runner import scan
        from apimigrate.scan.targets import ScanError

        kb = open_kb(db)
        try:
            reports = scan(kb, targets, since=since, show_progress=not quiet, workers=jobs or None,
                           release_notes=notes)
        except ScanError as exc:
            fail(str(exc))
        except DBError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            err_console.print("interrupted: libraries finished before the interrupt are stored; run the same command again to continue")
            raise typer.Exit(130)
        make_console().print(_summary(reports))
        for r in reports:
            if r.notes_from:
                err_console.print(f"{r.library} {r.version}: its sdist carries no release notes; read those of "
                                  f"{r.library} {r.notes_from} and the code of each minor release since (as "
                                  f"--since {r.notes_from} does; --no-notes reads the installed code alone)",
                                  highlight=False)
            if r.notes_unread:
                err_console.print(f"{r.library} {r.version}: release notes not read ({r.notes_unread}); APIs removed "
                                  "before this release stay unknown (scan older releases with --since)", highlight=False)
        skipped = [s for r in reports for s in r.skipped]
        if skipped:
            err_console.print(f"{len(skipped)} file(s) skipped (syntax errors, not UTF-8, binary or too large)"
                              + ("" if verbose else "; --verbose lists them"))
            if verbose:
                for path, why in skipped:
                    err_console.print(f"  {path}: {why}", highlight=False)
