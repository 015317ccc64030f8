"""`apimigrate dataset build`: contrastive pairs for unlearning, from a corpus of real code."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .options import DbOption, err_console, fail, load_knowledge, make_console

dataset_app = typer.Typer(help="Build the data that unlearning trains on.", no_args_is_help=True)
console = make_console(stderr=True)       # the progress bar
results = make_console()                   # what was built: the command's output


@dataset_app.command("build")
def build_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of real code (*.py, *.ipynb; "
                                                     "folders honour .gitignore).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the dataset (created; a build "
                                                          "there is resumed).")],
    db: DbOption = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", help="Only these libraries' deprecations (repeat, or comma-separated).")] = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0,
                                                  help="Leave out DB rows believed less than this.")] = 0.0,
    eval_fraction: Annotated[float, typer.Option("--eval-fraction", min=0.0, max=1.0,
                                                 help="Share of files held out for evaluation.")] = 0.1,
    seed: Annotated[int, typer.Option("--seed", help="Changes which files are held out.")] = 0,
    context_chars: Annotated[int, typer.Option("--context-chars", min=0,
                                               help="Context kept before each line (its tail, whole lines).")] = 16000,
    retain_per_file: Annotated[int, typer.Option("--retain-per-file", min=0,
                                                 help="Retain chunks taken from one clean file at most.")] = 2,
    retain_lines: Annotated[int, typer.Option("--retain-lines", min=1, help="Lines per retain chunk.")] = 60,
    include_pending: Annotated[bool, typer.Option(
        "--include-pending", help="Also deprecations the library only announces so far.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                                                help="Worker processes (default: all cores).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start over instead of resuming a build in --out.")] = False,
) -> None:
    """Pair every exactly rewritable use of a deprecated API in the corpus with its rewrite.

    Each pair is (context, line with the deprecated API, the line rewritten with its
    replacement) plus the character spans of the API in both lines; files that use no
    deprecated API give the retain set. Files are split into train and eval by a hash of their
    content (a file is never on both sides) so that every mapping found in two files or more
    has a file on each side. Interrupted, the same command carries on where it stopped.
    Exit 0 when pairs were written (with a warning when one split got none), 1 when the corpus
    gave none, 2 on errors.
    """
    from apimigrate.check import iter_python_files
    from apimigrate.unlearn.dataset import BuildOptions, DatasetError, build_dataset, empty_split

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    libraries = [v.strip() for item in (select or []) for v in item.split(",") if v.strip()]
    knowledge = load_knowledge(db, libraries=libraries, min_confidence=min_confidence)
    if not knowledge.rows:
        fail("the database holds no deprecations" + (f" of {', '.join(libraries)}" if libraries else "")
             + " (run `apimigrate scan` first)")
    options = BuildOptions(context_chars=context_chars, include_pending=include_pending,
                           retain_lines=retain_lines, retain_per_file=retain_per_file,
                           eval_fraction=eval_fraction, seed=seed)
    # A FIFO or device named on the command line is reported as unreadable, not left out unsaid.
    files = list(iter_python_files(paths, special=True))
    progress = Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=True)
    task = progress.add_task("files", total=len(files))
    try:
        with progress:
            manifest = build_dataset(files, out, knowledge.rows, classes=knowledge.classes,
                                     fingerprint=knowledge.fingerprint, options=options, jobs=jobs, fresh=fresh,
                                     on_file=lambda done, total: progress.update(task, completed=done))
    except DatasetError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        err_console.print(f"interrupted: the files read so far are kept in {out}; "
                          "run the same command again to go on", highlight=False, soft_wrap=True)
        raise typer.Exit(130)
    for error in manifest["errors"]:
        typer.echo(f"{error['path']}:{error['error']}", err=True)
    _summary(manifest, out)
    # Still exit 0 with one split empty: the pairs written are good, and a script may only train;
    # but `evaluate` would find no probes, so it is said now, while the fix is a rebuild away.
    lopsided = empty_split(manifest)
    if lopsided:
        err_console.print(f"[yellow]warning:[/] {escape(lopsided)}", highlight=False, soft_wrap=True)
    raise typer.Exit(0 if manifest["pairs"]["train"] + manifest["pairs"]["eval"] else 1)


def _summary(manifest: dict, out: Path) -> None:
    mappings = manifest["mappings"]
    if mappings:
        table = Table(title=f"{len(mappings)} mapping(s)")
        for col in ("mapping", "train", "eval"):
            table.add_column(col, justify="right" if col != "mapping" else "left",
                             overflow="fold" if col == "mapping" else "ellipsis")     # names wrap, never cut
        for m in mappings[:30]:
            table.add_row(m["mapping"], str(m["train"]), str(m["eval"]))
        results.print(table)
        if len(mappings) > 30:
            results.print(f"... and {len(mappings) - 30} more in {out / 'manifest.json'}", highlight=False)
    pairs, retain, files = manifest["pairs"], manifest["retain"], manifest["files"]
    dropped = ", ".join(f"{n} {why}" for why, n in manifest["dropped"].items())
    results.print(f"{pairs['train']} train / {pairs['eval']} eval pair(s), {retain['train']} / {retain['eval']} "
                  f"retain chunk(s) from {files['read']} file(s) in {out}"
                  + (f"; uses without a pair: {dropped}" if dropped else ""), highlight=False, soft_wrap=True)
    if not pairs["train"] + pairs["eval"]:
        results.print("no pairs: no use of a deprecated API in these files can be rewritten exactly",
                      highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(dataset_app, name="dataset")
