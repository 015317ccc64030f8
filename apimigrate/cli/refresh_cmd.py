"""`apimigrate refresh` (the scheduled job) and `apimigrate models` (the registry it fills)."""
from __future__ import annotations

import dataclasses
import json
import signal
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from apimigrate.db import DBError, registry

from .interrupt import StopOnSignal
from .options import DbOption, err_console, fail, make_console, need_model_packages, open_kb

console = make_console(stderr=True)       # stage lines and progress, as a log
results = make_console()                   # a decision and the registry: the command's output
models_app = typer.Typer(help="The registry of refreshed models and the refresh runs.", no_args_is_help=True)

EXIT_REJECTED, EXIT_BUSY, EXIT_STOPPED = 1, 75, 130     # 75: EX_TEMPFAIL, "try again later"


class _Progress:
    """Stage lines, and a bar while training or probing (quiet: stage lines only)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = Progress(TextColumn("{task.fields[what]}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), TimeRemainingColumn(), console=console,
                            transient=True, disable=quiet)
        self.task = None

    def stage(self, run_id: int, name: str, message: str) -> None:
        self.done()
        console.print(f"run {run_id} · {name}: {escape(message)}", highlight=False, soft_wrap=True)

    def _bar(self, what: str, total: int | None, completed: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("", total=total, what=what)
        self.bar.update(self.task, total=total, completed=completed, what=what)

    def done(self) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
            self.bar.stop()
            self.task = None

    def train_start(self, step: int, total: int, info: dict) -> None:
        self._bar("training", total, step)

    def train_step(self, metrics: dict, total: int) -> None:
        self._bar("training", total, metrics["step"])
        if self.task is not None and metrics.get("loss") is not None:
            self.bar.update(self.task, description=f"loss={metrics['loss']:.3f}")

    def probes(self, label: str, done: int, total: int) -> None:
        self._bar(f"probing {label}", total, done)


def refresh(
    config: Annotated[Path, typer.Option("--config", "-c", help="The refresh configuration (TOML, [refresh] table).")],
    # Not read from APIMIGRATE_DB: the configuration's `db` says which database a scheduled run
    # keeps its registry in, and an environment variable left set must not move it.
    db: Annotated[Optional[Path], typer.Option(
        "--db", help="Deprecation database (default: the configuration's db, else APIMIGRATE_DB, else the "
                     "user data dir).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Stage lines only, no progress bars.")] = False,
    new: Annotated[bool, typer.Option("--new", help="Abandon a stopped run instead of resuming it.")] = False,
) -> None:
    """Rescan the configured libraries, train what the promoted model has not learned yet (plus a
    replay of what it has) on top of its adapter, evaluate both, and promote the new adapter only
    when the configured gates hold. Meant for cron or a systemd timer: one run at a time per work
    folder; a run stopped anywhere (Ctrl-C, SIGTERM, a crash) is resumed by the next invocation.

    Exit 0 when a model was promoted or there was nothing new, 1 when the candidate failed its
    gates or nothing changed since one was rejected (then nothing is trained), 2 on errors, 75 when another refresh holds the work folder, 130 when stopped.
    """
    need_model_packages("refresh")
    from apimigrate.refresh import Busy, RefreshConfigError, RefreshError, RefreshInterrupted, load_config
    from apimigrate.refresh import refresh as run_refresh

    try:
        cfg = load_config(config)
    except RefreshConfigError as exc:
        fail(str(exc))
    if db is not None:
        cfg = dataclasses.replace(cfg, db=db.resolve())
    if not cfg.model.is_dir():
        fail(f"no model directory at {cfg.model} (refresh.model in {config})")
    progress = _Progress(quiet)
    try:
        with StopOnSignal("stopping at the next safe point", signals=(signal.SIGINT, signal.SIGTERM)) as stop:
            result = run_refresh(cfg, reporter=progress, stop=stop, scan_progress=not quiet, new=new)
    except Busy as exc:
        err_console.print(f"{escape(str(exc))}; nothing done", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BUSY)
    except RefreshError as exc:
        progress.done()
        fail(f"{exc}; run the same command again to resume it" if exc.resumable else str(exc))
    except RefreshInterrupted as exc:
        progress.done()
        err_console.print(f"interrupted: {exc}; run the same command again to resume it", highlight=False,
                          soft_wrap=True)
        raise typer.Exit(EXIT_STOPPED)
    except KeyboardInterrupt:      # a second Ctrl-C, or one before the run began: the run is resumed alike
        progress.done()
        err_console.print("interrupted; run the same command again to resume", highlight=False)
        raise typer.Exit(EXIT_STOPPED)
    finally:
        progress.done()
    if result.gates:
        results.print(_gates_table(result.gates))
    raise typer.Exit(EXIT_REJECTED if result.status in (registry.REJECTED, registry.UNCHANGED) else 0)


def _gates_table(gates: list) -> Table:
    t = Table(title="gates")
    for col in ("gate", "", "detail"):
        t.add_column(col)
    for g in gates:
        t.add_row(g.name, "[green]pass[/]" if g.passed else "[red]fail[/]", escape(g.detail))
    return t


@models_app.command("list")
def list_cmd(db: DbOption = None,
             as_json: Annotated[bool, typer.Option("--json", help="One JSON object per model.")] = False) -> None:
    """The models refreshes made: base, adapter, status, and the rates that decided."""
    kb = open_kb(db, create=False)
    try:
        rows = registry.models(kb)
    finally:
        kb.close()
    if as_json:
        for m in rows:
            typer.echo(json.dumps(dataclasses.asdict(m)))
        return
    t = Table(title=f"{len(rows)} model(s)")
    for col in ("id", "status", "base", "adapter", "mappings", "deprecated (new)", "replacement (new)", "perplexity"):
        t.add_column(col)
    for m in rows:
        new = (m.metrics.get("candidate") or {}).get("new") or {}
        utility = (m.metrics.get("candidate") or {}).get("utility") or {}
        t.add_row(str(m.id), m.status, m.base, m.adapter_path or "", str(len(m.mappings)),
                  _rate(new.get("deprecated_rate")), _rate(new.get("replacement_rate")),
                  f"{utility['perplexity']:.4g}" if utility.get("perplexity") is not None else "")
    results.print(t)


@models_app.command("runs")
def runs_cmd(db: DbOption = None, limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
             log: Annotated[bool, typer.Option("--log", help="Each run's log too.")] = False) -> None:
    """The newest refresh runs: when, how far they got, and how they ended."""
    kb = open_kb(db, create=False)
    try:
        rows = registry.runs(kb, limit)
    finally:
        kb.close()
    t = Table(title=f"{len(rows)} run(s)")
    for col in ("id", "started", "finished", "status", "stage", "model", "error"):
        t.add_column(col)
    for r in rows:
        t.add_row(str(r["id"]), r["started_at"] or "", r["finished_at"] or "", r["status"] or "", r["stage"] or "",
                  str(r["model_id"] or ""), r["error"] or "")
    results.print(t)
    if log:
        for r in rows:
            typer.echo(f"run {r['id']}:\n{r['log'] or ''}")


@models_app.command("promote")
def promote_cmd(model_id: Annotated[int, typer.Argument(help="The model to serve (e.g. to roll back to).")],
                db: DbOption = None) -> None:
    """Make a model the promoted one of its base by hand (a rollback); the editor picks it up."""
    kb = open_kb(db, create=False)
    try:
        model = registry.get_model(kb, model_id)
        if model is None:
            fail(f"no model {model_id} in the registry (`apimigrate models list`)")
        if not model.adapter_path or not (Path(model.adapter_path) / "adapter_config.json").is_file():
            fail(f"model {model_id}'s adapter is gone from {model.adapter_path}")
        retired = registry.promote(kb, model_id)
    except DBError as exc:
        fail(str(exc))
    finally:
        kb.close()
    results.print(f"model {model_id} promoted" + (f"; model {retired.id} retired" if retired else ""),
                  highlight=False)


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def register(app: typer.Typer) -> None:
    app.command("refresh")(refresh)
    app.add_typer(models_app, name="models")
