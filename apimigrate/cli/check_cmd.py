"""`apimigrate check` and `apimigrate fix`."""
from __future__ import annotations

import difflib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from apimigrate.db import DBError, default_db_path, is_pending, open_db

HELP_CODES = ("Codes: APIM001 deprecated API, APIM002 deprecated use of a parameter (the keyword, a value, "
              "passing it by position), APIM003 deprecated method matched by name on a value of unknown "
              "type (lower confidence), APIM004 a call leaving out a parameter whose default changes.")


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


PathsArg = Annotated[list[Path], typer.Argument(
    help="Files or folders (folders: *.py and *.ipynb, honouring .gitignore).")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", envvar="APIMIGRATE_DB",
                                               help="Deprecation database (default: user data dir).")]
SelectOpt = Annotated[Optional[list[str]], typer.Option(
    "--select", help="Only these libraries (repeat, or comma-separated).")]
MinConfOpt = Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0,
                                           help="Ignore DB rows believed less than this.")]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option(
    "--ignore", help="Leave out findings with these codes, e.g. APIM004 (repeat, or comma-separated).")]
CompatOpt = Annotated[bool, typer.Option(
    "--include-compat", help="Also report uses on the path for older library versions (a branch chosen "
                             "by the library's version, an ImportError/AttributeError fallback).")]
PendingOpt = Annotated[bool, typer.Option(
    "--include-pending", help="Also report deprecations the library only announces (a PendingDeprecationWarning, "
                              "or 'will be deprecated in X' with X newer than the version scanned).")]
JobsOpt = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")]


def _die(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _load_rows(db: Path | None, select: list[str] | None, min_confidence: float) -> list[dict]:
    """The DB rows to look for; a missing, corrupt or foreign DB is one line on stderr and exit 2."""
    path = db if db is not None else default_db_path()
    if not path.is_file():
        _die(f"no deprecation database at {path} (run `apimigrate scan` first, or pass --db)")
    libraries = [lib.strip() for item in (select or []) for lib in item.split(",") if lib.strip()]
    try:
        kb = open_db(path)
        try:
            return kb.deprecations(libraries=libraries or None, min_confidence=min_confidence)
        finally:
            kb.close()
    except DBError as exc:
        _die(str(exc).splitlines()[0] if str(exc) else "database error")
    return []


def _files(paths: list[Path]) -> list[Path]:
    from apimigrate.check import iter_python_files
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _die(f"no such file or folder: {', '.join(missing)}")
    return list(iter_python_files(paths))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("apimigrate")
    except PackageNotFoundError:
        return "0+unknown"


def _report_errors(results) -> None:
    for r in results:
        if r.error:
            typer.echo(f"{r.path}:{r.error}", err=True)


def check(
    paths: PathsArg,
    db: DbOpt = None,
    format: Annotated[Format, typer.Option("--format", help="text, json or sarif (2.1.0).")] = Format.text,
    select: SelectOpt = None,
    min_confidence: MinConfOpt = 0.0,
    ignore: IgnoreOpt = None,
    include_compat: CompatOpt = False,
    include_pending: PendingOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Report uses of deprecated APIs: exit 1 when any is found, 0 when clean, 2 on usage or DB errors.

    Codes: APIM001 deprecated API, APIM002 deprecated use of a parameter (the keyword, a
    value, passing it by position), APIM003 deprecated method matched by name on a value of
    unknown type (lower confidence), APIM004 a call leaving out a parameter whose default
    changes. Files that do not parse are reported on stderr and skipped. Uses in compatibility
    code (`np.core if np.__version__ < "2" else np._core`, an `except ImportError:` fallback) are
    counted apart and listed with --include-compat; deprecations only announced (Python hides
    PendingDeprecationWarning by default) with --include-pending.
    """
    from apimigrate.check import run_files
    from apimigrate.check.formats import RULES, render_json, render_sarif, render_text

    ignored = {c.strip().upper() for item in (ignore or []) for c in item.split(",") if c.strip()}
    unknown = sorted(ignored - {code for code, _, _ in RULES})
    if unknown:
        _die(f"unknown code(s) for --ignore: {', '.join(unknown)}")
    rows = _load_rows(db, select, min_confidence)
    results = run_files(_files(paths), rows, jobs=jobs)
    compat = pending = 0
    for r in results:
        r.findings = [f for f in r.findings if f["code"] not in ignored]
        if not include_compat:
            kept = [f for f in r.findings if not f["compat"]]
            compat += len(r.findings) - len(kept)
            r.findings = kept
        if not include_pending:
            kept = [f for f in r.findings if not f["pending"]]
            pending += len(r.findings) - len(kept)
            r.findings = kept
    _report_errors(results)
    if format is Format.json:
        out = render_json(results)
    elif format is Format.sarif:
        out = render_sarif(results, _version())
    else:
        out = render_text(results)
    sys.stdout.write(out)
    sys.stdout.flush()
    found = sum(len(r.findings) for r in results)
    if format is Format.text and found:
        fixable = sum(f["fixable"] for r in results for f in r.findings)
        files = sum(1 for r in results if r.findings)
        typer.echo(f"Found {found} deprecated API use(s) in {files} file(s); "
                   f"{fixable} fixable with `apimigrate fix`.", err=True)
    if format is Format.text and compat:
        typer.echo(f"{compat} more in compatibility code for older library versions, not counted "
                   "(--include-compat lists them).", err=True)
    if format is Format.text and pending:
        typer.echo(f"{pending} more use(s) of deprecations only announced so far (pending), not counted "
                   "(--include-pending lists them).", err=True)
    raise typer.Exit(1 if found else 0)


def fix(
    paths: PathsArg,
    db: DbOpt = None,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff instead of writing files.")] = False,
    select: SelectOpt = None,
    min_confidence: MinConfOpt = 0.0,
    include_pending: PendingOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Apply the exact rewrites (renamed functions/classes, moved modules, renamed keywords).

    Deprecations only announced so far are left alone unless --include-pending. Lines that
    cannot be rewritten exactly are left alone. With --diff nothing is written and
    the exit status is 1 when there is a diff. Otherwise the exit status is 0 (2 on errors).
    """
    from apimigrate.check import fix_file, run_files
    from apimigrate.check.formats import text_line

    rows = _load_rows(db, select, min_confidence)
    if not include_pending:
        rows = [r for r in rows if not is_pending(r)]
    results = run_files(_files(paths), rows, jobs=jobs, work=fix_file)
    _report_errors(results)
    changed = [r for r in results if r.new_text is not None]
    if diff:
        for r in changed:
            old = Path(r.path).read_text(encoding="utf-8")
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), r.new_text.splitlines(keepends=True),
                fromfile=f"a/{r.path}", tofile=f"b/{r.path}"))
        sys.stdout.flush()
    else:
        for r in changed:
            # newline="" keeps the file's own line endings.
            with open(r.path, "w", encoding="utf-8", newline="") as fh:
                fh.write(r.new_text)
    for r in results:
        for f in r.findings:
            typer.echo(text_line(f) + " (not fixed)", err=True)
    fixed = sum(r.fixed for r in results)
    remaining = sum(len(r.findings) for r in results)
    verb = "Would fix" if diff else "Fixed"
    typer.echo(f"{verb} {fixed} use(s) in {len(changed)} file(s); {remaining} left to fix by hand.", err=True)
    raise typer.Exit(1 if diff and changed else 0)


def register(app: typer.Typer) -> None:
    app.command("check", epilog=HELP_CODES)(check)
    app.command("fix")(fix)
