"""`apimigrate evaluate`: how often a model still writes the deprecated API."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from apimigrate.db import default_db_path

from .options import DbOption, ProgressLines, err_console, fail, load_knowledge, make_console, need_model_packages

console = make_console(stderr=True)       # the progress bar
results = make_console()                   # the results table: the command's output, for `> file`


def evaluate(
    data: Annotated[Path, typer.Argument(help="A dataset folder (its eval.jsonl) or a pairs JSONL file.")],
    model: Annotated[Path, typer.Option("--model", help="Local Hugging Face causal LM directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for probes.jsonl and summary.json "
                                                          "(a run of the same model there is resumed).")],
    adapter: Annotated[Optional[Path], typer.Option("--adapter", help="LoRA adapter directory on top of --model.")] = None,
    db: DbOption = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 8,
    max_new_tokens: Annotated[int, typer.Option("--max-new-tokens", min=1)] = 64,
    max_prompt_tokens: Annotated[int, typer.Option("--max-prompt-tokens", min=8,
                                                   help="Prompts are cut from the left to this.")] = 1024,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the first N probes.")] = None,
    device: Annotated[str, typer.Option("--device", help="auto, cpu, cuda, cuda:1, ...")] = "auto",
    token_healing: Annotated[bool, typer.Option("--token-healing/--no-token-healing",
                                                help="Let the first generated token re-spell the prompt's "
                                                     "last one (its trailing newline).")] = True,
    perplexity: Annotated[bool, typer.Option("--perplexity/--no-perplexity",
                                             help="Also the perplexity of the dataset's retain_eval.jsonl "
                                                  "(held-out code that uses no deprecated API).")] = True,
    humaneval: Annotated[Optional[Path], typer.Option(
        "--humaneval", help="Also pass@k on this HumanEval-format JSONL file (runs the generated code: "
                            "needs --allow-code-execution).")] = None,
    allow_code_execution: Annotated[bool, typer.Option(
        "--allow-code-execution", help="Run model-written code for pass@k, in a separate interpreter "
                                       "with time and memory limits (not a security sandbox).")] = False,
    samples: Annotated[int, typer.Option("--samples", min=1, help="pass@k: completions per task.")] = 1,
    temperature: Annotated[float, typer.Option("--temperature", min=0.0,
                                               help="pass@k: sampling temperature (0: greedy).")] = 0.0,
    k: Annotated[Optional[list[int]], typer.Option("--k", help="pass@k: the k to report (repeat; default "
                                                               "1, 10, 100 up to --samples).")] = None,
    code_max_new_tokens: Annotated[int, typer.Option("--code-max-new-tokens", min=1,
                                                     help="pass@k: tokens per completion.")] = 256,
    exec_timeout: Annotated[float, typer.Option("--exec-timeout", min=0.1,
                                                help="pass@k: seconds one completion's test may run.")] = 10.0,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start over in --out, dropping the answers an "
                                                        "earlier run left there.")] = False,
) -> None:
    """Prompt the model with each probe's context (greedy), take its first line, and say whether it
    uses the deprecated API, its replacement, or neither (mismatch); rates per mapping and overall.

    Exit 0 when every probe was answered, 2 on errors, 130 when interrupted (run it again to go on;
    --out remembers the model, adapter and generation settings, and refuses to mix in another's).
    """
    need_model_packages("evaluate")
    from apimigrate.callsites import DeprecationIndex
    from apimigrate.evaluate.generate import ModelError, generation_identity, load_generator
    from apimigrate.evaluate.passk import Stopped as TestsStopped
    from apimigrate.evaluate.provenance import db_warning, read_manifest
    from apimigrate.evaluate.session import OtherEvaluation, PassAtK, evaluate_model, refuse_other
    from apimigrate.local_models import adapter_problem

    if not data.exists():
        fail(f"no such dataset: {data}")
    tasks = _tasks(humaneval, allow_code_execution, samples, temperature, k or [])
    if not model.is_dir():
        fail(f"no model directory at {model}")
    manifest = read_manifest(data)
    records = _probes(data, manifest)
    if limit is not None:
        records = records[:limit]
    knowledge = load_knowledge(db)
    index = DeprecationIndex.from_rows(knowledge.rows, knowledge.classes)
    other_db = db_warning(manifest, knowledge.fingerprint, records, index, db or default_db_path(), data)
    if other_db:
        _warn(other_db)
    settings = dict(device=device, max_prompt_tokens=max_prompt_tokens, max_new_tokens=max_new_tokens,
                    heal=token_healing)
    # Before the model loads: a folder that is no adapter (a run's, whose adapter is in adapter/),
    # a device this machine lacks, a folder holding another model's answers are refused at once.
    problem = adapter_problem(adapter) if adapter is not None else None
    if problem is not None:
        fail(f"no LoRA adapter at {adapter} ({problem})")
    try:
        if not fresh:
            refuse_other(out, generation_identity(model, adapter, **settings))
    except (OtherEvaluation, ModelError) as exc:
        fail(str(exc))
    try:
        generator = load_generator(model, adapter, **settings)
    except ModelError as exc:
        fail(str(exc))
    retain = _retain(data, perplexity)
    passk = None
    if tasks:
        import os
        passk = PassAtK(tasks, samples, tuple(k) if k else tuple(n for n in (1, 10, 100) if n <= samples),
                        temperature, code_max_new_tokens, exec_timeout, os.cpu_count() or 1)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=True)
    probing = progress.add_task("probing", total=len(records))
    coding = progress.add_task("pass@k", total=len(tasks), visible=bool(tasks))
    on_batch: Callable[[int, int], None] = lambda done, total: progress.update(probing, completed=done)
    on_task: Callable[[int, int], None] = lambda done, total: progress.update(coding, completed=done)
    if not console.is_terminal:     # a log (CI, nohup, a job queue) shows no bar: lines now and then
        on_batch, on_task = ProgressLines("evaluate", "probes"), ProgressLines("evaluate", "pass@k tasks")
    try:
        with progress:
            summary = evaluate_model(records, generator, index, out, batch_size=batch_size, retain=retain,
                                     pass_at_k=passk, on_batch=on_batch, on_task=on_task, fresh=fresh)
        if "utility_error" in summary:
            err_console.print(f"no perplexity: {summary['utility_error']}", highlight=False, soft_wrap=True)
    except (KeyboardInterrupt, TestsStopped):
        err_console.print(f"interrupted: the probes answered so far are kept in {out}; "
                          "run the same command again to go on", highlight=False, soft_wrap=True)
        raise typer.Exit(130)
    _table(summary)


def _warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


def _probes(data: Path, manifest: dict | None) -> list[dict]:
    """The dataset's probes. Lines that are no pair record are skipped and counted, as `train`
    does with its split; none usable (or none at all) is one line and exit 2."""
    from apimigrate.evaluate.runner import read_records, records_file, usable_probes
    from apimigrate.unlearn.dataset import empty_split
    try:
        lines = read_records(data)
    except ValueError as exc:
        fail(str(exc))
    if not lines:
        try:
            why = empty_split(manifest) if manifest else None
        except (KeyError, TypeError, AttributeError):
            why = None                  # a manifest of another shape (by hand, another version): no reason to tell
        fail(f"no probes in {data}" + (f": {why}" if why else ""))
    records, skipped = usable_probes(lines)
    why = ", ".join(f"{n} {reason}" for reason, n in skipped.items())
    if not records:
        fail(f"no line of {records_file(data)} can be a probe ({why})")
    if skipped:
        _warn(f"{sum(skipped.values())} of {len(lines)} line(s) of {records_file(data)} skipped ({why}); "
              f"{len(records)} probe(s) left")
    return records


def _tasks(path: Path | None, allowed: bool, samples: int, temperature: float, ks: list[int]) -> list:
    """The HumanEval-format tasks to score, checked before any model is loaded."""
    if path is None:
        return []
    from apimigrate.evaluate.passk import read_tasks
    if not allowed:
        fail("pass@k runs the code the model writes; pass --allow-code-execution to let it")
    if samples > 1 and temperature == 0:
        fail("--samples above 1 needs --temperature > 0 (greedy decoding writes one completion)")
    if any(not 1 <= k <= samples for k in ks):
        fail(f"--k must be between 1 and --samples ({samples}); pass@k needs at least k completions")
    try:
        tasks = read_tasks(path)
    except (OSError, ValueError) as exc:
        fail(str(exc).splitlines()[0])
    if not tasks:
        fail(f"no tasks in {path}")
    return tasks


def _retain(data: Path, wanted: bool) -> list[dict] | None:
    """The held-out retain chunks beside the probes, for the perplexity; a broken file is one line."""
    from apimigrate.jsonfiles import read_jsonl
    retain_file = (data if data.is_dir() else data.parent) / "retain_eval.jsonl"
    if not wanted or not retain_file.is_file():
        return None
    try:
        return read_jsonl(retain_file)
    except ValueError as exc:
        fail(str(exc))


def _table(summary: dict) -> None:
    table = Table(title="first generated line")
    for col in ("mapping", "probes", "deprecated", "replacement", "mismatch"):
        # two mappings cut to one "pandas.core.indexes.accessor…" would read as one: names wrap
        table.add_column(col, justify="left" if col == "mapping" else "right",
                         overflow="fold" if col == "mapping" else "ellipsis")
    for name, row in [*summary["mappings"].items(), ("all", summary["overall"])]:
        table.add_row(name, str(row["probes"]), *(f"{row[o + '_rate']:.0%}" for o in ("deprecated", "replacement", "mismatch")))
    results.print(table)
    passk = summary.get("pass_at_k")
    if passk:
        scores = ", ".join(f"{key} {value:.1%}" for key, value in passk.items() if key.startswith("pass@"))
        results.print(f"{scores} over {passk['tasks']} task(s), {passk['samples']} sample(s) each", highlight=False)
    utility = summary.get("utility")
    if utility and utility["tokens"]:
        results.print(f"retain perplexity {utility['perplexity']:.3f} over {utility['tokens']} tokens "
                      f"of {utility['chunks']} held-out chunk(s)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
