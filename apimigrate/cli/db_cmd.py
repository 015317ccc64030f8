"""`apimigrate db ...`: look into and export the deprecation knowledge base."""
from __future__ import annotations

import re
import sys
from typing import Annotated, Optional

import typer
from rich.table import Table

from apimigrate.db import DBError, KnowledgeBase, announced_for, export, is_pending
from apimigrate.db.records import describe_timelines

from .options import DbOption, fail, make_console, open_kb, selected_libraries

db_app = typer.Typer(help="Inspect and export the deprecation database.", no_args_is_help=True)
console = make_console()


def _rows_table(rows: list[dict], title: str) -> Table:
    t = Table(title=title)
    for col in ("api", "kind", "replacement", "since", "removed_in", "confidence"):
        # A name cut to "pandas.core.indexes.accessor…" names nothing to `db show`: names wrap.
        t.add_column(col, overflow="fold" if col in ("api", "replacement") else "ellipsis")
    for r in rows:
        api = r["api"] + (f"({r['parameter']}=)" if r["parameter"] else "")
        t.add_row(api, r["kind"], r["replacement"] or (f"{r['new_parameter']}=" if r["new_parameter"] else "—"),
                  _since(r), r["removed_in"] or "", f"{r['confidence']:.2f}")
    return t


def _since(row: dict) -> str:
    """'1.8', or '2.5 (pending)' / '(pending)' for a deprecation only announced."""
    return ((row["since"] or "") + (" (pending)" if is_pending(row) else "")).strip()


@db_app.command("list")
def list_cmd(
    library: Annotated[Optional[list[str]], typer.Argument(help="Only these libraries.")] = None,
    db: DbOption = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence")] = 0.0,
) -> None:
    """List deprecations."""
    kb = open_kb(db, create=False)
    rows = kb.deprecations(selected_libraries(kb, library), min_confidence)
    console.print(_rows_table(rows, f"{len(rows)} deprecations"))


@db_app.command("show")
def show_cmd(api: str, db: DbOption = None) -> None:
    """Show one API with all its evidence: a name as `check` tells it (`pandas.DataFrame.fillna`, a
    class's inherited member or another import path) or as `db list` prints it (`api(parameter=)`)."""
    kb = open_kb(db, create=False)
    spelled = _PARAMETER_FORM.match(api.strip())
    name, parameter = (spelled[1], spelled[2]) if spelled else (api.strip(), None)
    found, rows = _rows_named(kb, name, parameter)
    if not rows:
        fail(f"no deprecation recorded for {api}", 1)
    if found != name:
        console.print(f"{api} is {found}", highlight=False)
    for r in rows:
        console.print(f"[bold]{r['api']}[/]" + (f" (parameter {r['parameter']})" if r["parameter"] else ""), highlight=False)
        for key in ("library", "kind", "replacement", "new_parameter", "usage", "param_values", "new_values", "position",
                    "since", "removed_in", "removal", "confidence", "first_seen", "last_seen", "message"):
            if r[key] not in (None, ""):
                via = r.get(f"{key}_via")      # what the library named, itself deprecated for this
                console.print(f"  {key}: {r[key]}" + (f" (via {', '.join(via)})" if via else ""), highlight=False)
        for line in describe_timelines(r):      # the dates of single uses, where they have their own
            console.print(f"  timeline {line}", highlight=False)
        if is_pending(r):
            console.print(f"  status: pending ({_pending_reason(r)})", highlight=False)
        if r.get("conditional"):
            console.print("  conditional: the library warns of the default's change for some inputs only",
                          highlight=False)
        if r["ignored"]:
            console.print("  ignored: the library no longer reads it; leaving it out changes nothing", highlight=False)
        for e in kb.evidence_for(r["id"]):
            console.print(f"  evidence: {e['kind']} {e['path']}:{e['line']} ({e['version']})", highlight=False)


# `db list`'s spelling of a parameter's row: `pandas.read_csv(delim_whitespace=)`
_PARAMETER_FORM = re.compile(r"^([\w.]+)\((\w+)=?\)$")


def _rows_named(kb: KnowledgeBase, api: str, parameter: str | None) -> tuple[str, list[dict]]:
    """The API whose rows `api` means, and those rows (of `parameter` only when given): the rows
    of `api` itself, else of its public path (`pandas.core.frame.DataFrame.applymap`), else of the
    class in its MRO that defines the member (`pandas.DataFrame.fillna` is
    `pandas.core.generic.NDFrame.fillna`), as `check` resolves a use."""
    from apimigrate.callsites import DeprecationIndex
    rows = kb.get(api, parameter)
    if rows:
        return api, rows
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    public = index.canonical(api)
    owner, _, member = public.rpartition(".")
    defined = index.member_of(owner, member) if owner and index.is_class(owner) else None
    for candidate in dict.fromkeys([public, *([defined[0]] if defined else [])]):
        rows = kb.get(candidate, parameter)
        if rows:
            return candidate, rows
    return api, []


def _pending_reason(row: dict) -> str:
    announced = announced_for(row)
    if announced:
        return f"deprecated from {announced}, newer than the newest version scanned, {row['last_seen']}"
    return "the library warns with PendingDeprecationWarning"


@db_app.command("search")
def search_cmd(query: str, db: DbOption = None, limit: int = 50) -> None:
    """Full-text search over api, replacement and message."""
    kb = open_kb(db, create=False)
    try:
        rows = kb.search(query, limit)
    except DBError as exc:
        fail(str(exc))
    console.print(_rows_table(rows, f"{len(rows)} matches for {query!r}"))


@db_app.command("stats")
def stats_cmd(db: DbOption = None) -> None:
    """Counts per library."""
    kb = open_kb(db, create=False)
    t = Table(title=f"knowledge base {kb.path}")
    for col in ("library", "versions", "deprecations", "with_replacement", "removed", "evidence"):
        t.add_column(col)
    for s in kb.stats():
        t.add_row(s["library"], ", ".join(kb.library_versions(s["library"])), str(s["deprecations"]),
                  str(s["with_replacement"]), str(s["removed"]), str(s["evidence"]))
    console.print(t)


@db_app.command("export")
def export_cmd(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or ruff.")] = "jsonl",
    output: Annotated[Optional[typer.FileTextWrite], typer.Option("--output", "-o")] = None,
    library: Annotated[Optional[list[str]], typer.Option("--library", "-l")] = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence")] = 0.0,
) -> None:
    """Export every deprecation with its evidence."""
    if fmt not in export.FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(export.FORMATS)}")
    kb = open_kb(db, create=False)
    out = output or sys.stdout
    for chunk in export.FORMATS[fmt](export.records(kb, selected_libraries(kb, library), min_confidence)):
        out.write(chunk)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
