"""`apimigrate check` and `apimigrate fix`."""
from __future__ import annotations

import difflib
import functools
import sys
from collections import Counter
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from typer.core import TyperArgument, TyperCommand

from apimigrate.check.config import ConfigError, ProjectConfig, find_config, load_config, parse_codes
from apimigrate.db import ClassFacts, is_pending

from .interrupt import StopOnSignal
from .options import load_knowledge

HELP_CODES = ("Codes: APIM001 deprecated API, APIM002 deprecated use of a parameter (the keyword, a value, "
              "passing it by position), APIM003 deprecated method matched by name on a value of unknown "
              "type (lower confidence), APIM004 a call leaving out a parameter whose default changes.")


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


PathsArg = Annotated[list[Path], typer.Argument(
    metavar="PATHS", help="Files or folders (folders: *.py and *.ipynb, honouring .gitignore).")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", envvar="APIMIGRATE_DB",
                                               help="Deprecation database (default: user data dir).")]
SelectOpt = Annotated[Optional[list[str]], typer.Option(
    "--select", help="Only these libraries (repeat, or comma-separated); replaces the config's select.")]
MinConfOpt = Annotated[Optional[float], typer.Option("--min-confidence", min=0.0, max=1.0,
                                                     help="Ignore DB rows believed less than this (default 0).")]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option(
    "--ignore", help="Leave out findings with these codes or prefixes, e.g. APIM004 (repeat, or "
                     "comma-separated); added to the config's ignore.")]
CompatOpt = Annotated[Optional[bool], typer.Option(
    "--include-compat/--no-include-compat",
    help="Also report uses on the path for older library versions (a branch chosen "
         "by the library's version, an ImportError/AttributeError fallback).", show_default=False)]
PendingOpt = Annotated[Optional[bool], typer.Option(
    "--include-pending/--no-include-pending",
    help="Also report deprecations the library only announces (a PendingDeprecationWarning, "
         "or 'will be deprecated in X' with X newer than the version scanned).", show_default=False)]
ConfigOpt = Annotated[Optional[Path], typer.Option(
    "--config", help="Settings file: a pyproject.toml with a tool.apimigrate table, or a TOML file of its "
                     "keys (default: the nearest pyproject.toml with that table above the paths).")]
IsolatedOpt = Annotated[bool, typer.Option("--isolated", help="Read no configuration file.")]
JobsOpt = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")]


def _die(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _interrupted(message: str, status: int = 130) -> NoReturn:
    typer.echo(f"interrupted: {message}", err=True)
    raise typer.Exit(status)


def _split(items: list[str] | None) -> list[str]:
    return [v.strip() for item in (items or []) for v in item.split(",") if v.strip()]


def _project(paths: list[Path], config: Path | None, isolated: bool) -> ProjectConfig:
    """The project's settings file, named or found above the paths; none with --isolated."""
    if isolated:
        if config is not None:
            _die("--config and --isolated contradict each other")
        return ProjectConfig()
    if config is not None and not config.is_file():
        _die(f"no such config file: {config}")
    try:
        path = config if config is not None else find_config(paths)
        return load_config(path) if path is not None else ProjectConfig()
    except ConfigError as exc:
        _die(str(exc))


def _settings(paths: list[Path], config: Path | None, isolated: bool, *, db: Path | None,
              select: list[str] | None, min_confidence: float | None, ignore: list[str] | None,
              include_compat: bool | None = None, include_pending: bool | None = None) -> ProjectConfig:
    """The project's settings with the command line on top: --select and --min-confidence
    replace, --ignore adds codes, a flag given either way wins over the file."""
    project = _project(paths, config, isolated)
    try:
        extra = parse_codes(_split(ignore), "--ignore")
    except ConfigError as exc:
        _die(str(exc))
    return replace(
        project,
        db=db if db is not None else project.db,
        select=tuple(_split(select)) if select else project.select,
        ignore=project.ignore | extra,
        min_confidence=min_confidence if min_confidence is not None else project.min_confidence,
        include_compat=project.include_compat if include_compat is None else include_compat,
        include_pending=project.include_pending if include_pending is None else include_pending,
    )


def _load_knowledge(settings: ProjectConfig) -> tuple[list[dict], ClassFacts]:
    where = f" (db in {settings.path})" if settings.db is not None and settings.path else ""
    knowledge = load_knowledge(settings.db, libraries=list(settings.select), where=where,
                               min_confidence=settings.min_confidence or 0.0)
    return knowledge.rows, knowledge.classes


def _files(paths: list[Path], settings: ProjectConfig) -> list[Path]:
    from apimigrate.check import iter_python_files
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _die(f"no such file or folder: {', '.join(missing)}")
    return list(iter_python_files(paths, settings.exclude_spec(), special=True))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("apimigrate")
    except PackageNotFoundError:
        return "0+unknown"


def _report_errors(results) -> int:
    """Print each file skipped (unreadable, undecodable, a syntax error); return how many."""
    skipped = 0
    for r in results:
        if r.error:
            typer.echo(f"{r.path}:{r.error}", err=True)
            skipped += 1
    return skipped


def check(
    paths: PathsArg,
    db: DbOpt = None,
    format: Annotated[Format, typer.Option("--format", help="text, json or sarif (2.1.0).")] = Format.text,
    select: SelectOpt = None,
    min_confidence: MinConfOpt = None,
    ignore: IgnoreOpt = None,
    include_compat: CompatOpt = None,
    include_pending: PendingOpt = None,
    jobs: JobsOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Exit 0 even when something is found or a file could not be checked "
                            "(report only); usage and DB errors still exit 2.")] = False,
    statistics: Annotated[bool, typer.Option(
        "--statistics", help="One line per deprecated API (or parameter) with how many uses, and how "
                             "many `fix` rewrites, instead of one line per use (text or json).")] = False,
) -> None:
    """Report uses of deprecated APIs: exit 1 when any is found or a file could not be checked, 0 when
    clean (or with --exit-zero), 2 on usage or DB errors.

    Codes: APIM001 deprecated API, APIM002 deprecated use of a parameter (the keyword, a
    value, passing it by position), APIM003 deprecated method matched by name on a value of
    unknown type (lower confidence), APIM004 a call leaving out a parameter whose default
    changes. Files that cannot be read or do not parse are reported on stderr and skipped; like a
    finding, they fail the check (leave them out with the config's `exclude`). Uses in compatibility
    code (`np.core if np.__version__ < "2" else np._core`, an `except ImportError:` fallback) are
    counted apart and listed with --include-compat; deprecations only announced (Python hides
    PendingDeprecationWarning by default) with --include-pending. Settings also come from the
    tool.apimigrate table of the project's pyproject.toml (see --config).
    """
    from apimigrate.check import check_file, run_files
    from apimigrate.check.formats import render_json, render_sarif, render_statistics, render_text

    if statistics and format is Format.sarif:
        _die("--statistics goes with --format text or json, not sarif")
    settings = _settings(paths, config, isolated, db=db, select=select, min_confidence=min_confidence,
                         ignore=ignore, include_compat=include_compat, include_pending=include_pending)
    rows, classes = _load_knowledge(settings)
    work = functools.partial(check_file, file_places=format is Format.sarif)
    try:
        results = run_files(_files(paths, settings), rows, classes=classes, jobs=jobs, work=work,
                            ignore=settings.ignored_codes)
    except KeyboardInterrupt:
        _interrupted("nothing reported (findings are reported once every file is checked)")
    compat = pending = 0
    for r in results:
        if not settings.include_compat:
            kept = [f for f in r.findings if not f["compat"]]
            compat += len(r.findings) - len(kept)
            r.findings = kept
        if not settings.include_pending:
            kept = [f for f in r.findings if not f["pending"]]
            pending += len(r.findings) - len(kept)
            r.findings = kept
    skipped = _report_errors(results)
    if statistics:
        out = render_statistics(results, as_json=format is Format.json)
    elif format is Format.json:
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
    if skipped:
        # A file nobody checked is no clean file: CI must not pass over it silently.
        typer.echo(f"{skipped} file(s) could not be checked (above); fix them or leave them out with `exclude`.",
                   err=True)
    raise typer.Exit(1 if (found or skipped) and not exit_zero else 0)


def fix(
    paths: PathsArg,
    db: DbOpt = None,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff instead of writing files.")] = False,
    select: SelectOpt = None,
    min_confidence: MinConfOpt = None,
    ignore: IgnoreOpt = None,
    include_pending: PendingOpt = None,
    jobs: JobsOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Apply the exact rewrites (renamed functions/classes, moved modules, renamed keywords).

    Deprecations only announced so far are left alone unless --include-pending. Lines that
    cannot be rewritten exactly are left alone. With --diff nothing is written and
    the exit status is 1 when there is a diff. Otherwise the exit status is 0 (2 on usage or DB
    errors, when a file could not be read or parsed, or when a fixed file could not be written:
    such files are left as they were, the others are fixed).
    Codes ignored (--ignore, the project's settings) are neither fixed nor reported.
    """
    from apimigrate.check import fix_file, run_files
    from apimigrate.check.formats import text_line
    from apimigrate.check.runner import write_fixed

    settings = _settings(paths, config, isolated, db=db, select=select, min_confidence=min_confidence,
                         ignore=ignore, include_pending=include_pending)
    rows, classes = _load_knowledge(settings)
    if not settings.include_pending:
        rows = [r for r in rows if not is_pending(r)]
    try:
        results = run_files(_files(paths, settings), rows, classes=classes, jobs=jobs, work=fix_file,
                            ignore=settings.ignored_codes)
    except KeyboardInterrupt:
        _interrupted("no file was changed (fixes are written once every file is read)")
    skipped = _report_errors(results)
    changed = [r for r in results if r.new_text is not None]
    if diff:
        for r in changed:
            # as fix_file read it: no newline translation, or a CRLF file differs on every line
            old = Path(r.path).read_bytes().decode(r.encoding)
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), r.new_text.splitlines(keepends=True),
                fromfile=f"a/{r.path}", tofile=f"b/{r.path}"))
        sys.stdout.flush()
    unwritten = []
    if not diff:
        # each file is replaced whole; Ctrl-C stops between two files, and says how many were written
        with StopOnSignal("stopping after the file being written") as stop:
            for done, r in enumerate(changed):
                if stop():
                    _interrupted(f"{done - len(unwritten)} of the {len(changed)} fixed files written, the others "
                                 "left as they were; run the same command again for them", stop.exit_status())
                try:
                    write_fixed(r.path, r.new_text, r.encoding)
                except OSError as exc:
                    typer.echo(f"{r.path}: cannot write the fix, file left as it was: {exc.strerror or exc}",
                               err=True)
                    unwritten.append(r)
    for r in results:
        for f in r.findings:
            typer.echo(text_line(f) + " (not fixed)", err=True)
    fixed = sum(r.fixed for r in results) - sum(r.fixed for r in unwritten)
    left = Counter(f["code"] for r in results for f in r.findings)
    verb = "Would fix" if diff else "Fixed"
    # by code: thousands of changing defaults (APIM004) in a test suite would hide the few renames left
    by_code = f" ({', '.join(f'{n} {code}' for code, n in sorted(left.items()))})" if len(left) > 1 else ""
    typer.echo(f"{verb} {fixed} use(s) in {len(changed) - len(unwritten)} file(s); {sum(left.values())} left to fix "
               f"by hand{by_code}.", err=True)
    if skipped:
        typer.echo(f"error: {skipped} file(s) could not be read or parsed, left as they were", err=True)
    if unwritten:
        typer.echo(f"error: {len(unwritten)} file(s) could not be written", err=True)
    if skipped or unwritten:
        raise typer.Exit(2)
    raise typer.Exit(1 if diff and changed else 0)


class _Command(TyperCommand):
    """A command whose usage line names its arguments as click does, `check [OPTIONS] PATHS...`:
    typer (0.2x) writes a required argument `{paths}...`, which reads like a Python set."""

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_usage_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


def _usage_name(argument: TyperArgument) -> str:
    """`PATHS...`, `[PATHS]...` when it may be left out: the metavar, else the name in capitals."""
    name = argument.metavar or (argument.name or "").upper()
    name = name if argument.required else f"[{name}]"
    return name + ("..." if argument.nargs != 1 else "")


def register(app: typer.Typer) -> None:
    app.command("check", epilog=HELP_CODES, cls=_Command)(check)
    app.command("fix", cls=_Command)(fix)
