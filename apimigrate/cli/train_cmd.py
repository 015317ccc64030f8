"""`apimigrate train`: a LoRA adapter that unlearns the deprecated APIs of a dataset."""
from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .interrupt import StopOnSignal
from .options import ProgressLines, err_console, fail, make_console, need_model_packages

console = make_console(stderr=True)       # progress and what the run starts with
results = make_console()                   # where the adapter went: the command's output


def train(
    data: Annotated[Path, typer.Argument(help="A dataset folder from `apimigrate dataset build` "
                                              "(its train.jsonl and retain_train.jsonl).")],
    model: Annotated[Path, typer.Option("--model", help="Local Hugging Face causal LM directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder: checkpoints, log, and the "
                                                          "adapter at the end (a run there is resumed).")],
    objective: Annotated[str, typer.Option("--objective", help="cure, simnpo, npo or ga.")] = "cure",
    beta: Annotated[Optional[float], typer.Option("--beta", help="Inverse temperature of the sigmoid "
                                                                 "terms (default: cure/simnpo 2.5, npo 0.1).")] = None,
    gamma: Annotated[float, typer.Option("--gamma", help="Margin of the simnpo/cure term.")] = 0.0,
    alpha: Annotated[float, typer.Option("--alpha", help="cure: weight of log σ(β_c(ℓ⁺ − ℓ⁻)).")] = 1.0,
    beta_c: Annotated[float, typer.Option("--beta-c", help="cure: β_c of the contrastive term.")] = 1.0,
    lambda_pos: Annotated[float, typer.Option("--lambda-pos", help="cure: weight of −ℓ⁺.")] = 0.1,
    lambda_retain: Annotated[float, typer.Option("--lambda-retain", min=0.0,
                                                 help="Weight of the retain set's cross-entropy.")] = 1.0,
    lr: Annotated[float, typer.Option("--lr", help="Peak learning rate, > 0.")] = 1e-4,
    weight_decay: Annotated[float, typer.Option("--weight-decay", min=0.0)] = 0.0,
    schedule: Annotated[str, typer.Option("--schedule", help="constant, linear or cosine.")] = "cosine",
    warmup_steps: Annotated[int, typer.Option("--warmup-steps", min=0)] = 0,
    epochs: Annotated[float, typer.Option("--epochs", min=0.0)] = 1.0,
    max_steps: Annotated[Optional[int], typer.Option("--max-steps", min=1, help="Overrides --epochs.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Pairs per micro-batch.")] = 4,
    retain_batch_size: Annotated[int, typer.Option("--retain-batch-size", min=0,
                                                   help="Retain chunks per micro-batch.")] = 2,
    grad_accum: Annotated[int, typer.Option("--grad-accum", min=1)] = 1,
    max_length: Annotated[int, typer.Option("--max-length", min=8, help="Tokens per sequence; "
                                                                        "contexts are cut from the left.")] = 1024,
    max_grad_norm: Annotated[float, typer.Option("--max-grad-norm", min=0.0, help="0: no clipping.")] = 1.0,
    lora_r: Annotated[int, typer.Option("--lora-r", min=1)] = 16,
    lora_alpha: Annotated[int, typer.Option("--lora-alpha", min=1)] = 32,
    lora_dropout: Annotated[float, typer.Option("--lora-dropout", min=0.0, max=1.0)] = 0.05,
    lora_target: Annotated[Optional[list[str]], typer.Option(
        "--lora-target", help="Module names for LoRA (repeat, or comma-separated; default: every "
                              "linear layer but the output head).")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    save_every: Annotated[int, typer.Option("--save-every", min=1, help="Steps between checkpoints.")] = 50,
    keep_checkpoints: Annotated[int, typer.Option("--keep-checkpoints", min=1)] = 2,
    impl: Annotated[str, typer.Option("--impl", help="Fused loss: auto (Triton on CUDA), triton or chunked.")] = "auto",
    cpu: Annotated[bool, typer.Option("--cpu", help="Train on the CPU even where CUDA is.")] = False,
    processes: Annotated[int, typer.Option("--processes", min=1, help="Train as one DDP job of this many "
                                                                      "processes, one per GPU (torchrun; on "
                                                                      "the CPU with --cpu or without CUDA); "
                                                                      "--batch-size is per process.")] = 1,
    gradient_checkpointing: Annotated[bool, typer.Option("--gradient-checkpointing",
                                                         help="Recompute activations in backward.")] = False,
    init_adapter: Annotated[Optional[Path], typer.Option(
        "--init-adapter", help="Train this adapter further instead of a fresh one (its LoRA settings "
                               "replace the --lora-* options).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start over instead of resuming the run in --out.")] = False,
) -> None:
    """Unlearn the dataset's deprecated APIs into a LoRA adapter on top of --model.

    Every step suppresses the tokens that spell the deprecated API in its real context and (cure)
    promotes the replacement in the same context, through the fused loss (no [tokens × vocab]
    logits), plus cross-entropy on retain code. Ctrl-C or SIGTERM stops after the step in progress
    and saves it; the same command goes on from there. For several GPUs: `--processes N`, or
    `accelerate launch -m apimigrate.cli.main train ...`. Exit 0 when the adapter is written, 2 on
    errors, 130 when stopped by Ctrl-C, 143 by SIGTERM.
    """
    need_model_packages("train")
    from apimigrate.local_models import ModelError
    from apimigrate.unlearn.launch import train_in_processes
    from apimigrate.unlearn.options import Interrupted, LoraOptions, TrainError, TrainOptions
    from apimigrate.unlearn.train import IMPLS_FOR_TRAINING
    from apimigrate.unlearn.train import train as run_training

    if processes > 1 and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        fail("--processes starts its own processes: leave it out under torchrun or accelerate launch")
    if impl not in IMPLS_FOR_TRAINING:
        fail(f"unknown --impl {impl!r}; choose one of {', '.join(IMPLS_FOR_TRAINING)}")
    targets = tuple(v.strip() for item in (lora_target or []) for v in item.split(",") if v.strip()) or None
    options = TrainOptions(
        objective=objective, beta=beta, gamma=gamma, alpha=alpha, beta_c=beta_c, lambda_pos=lambda_pos,
        lambda_retain=lambda_retain, lr=lr, weight_decay=weight_decay, schedule=schedule,
        warmup_steps=warmup_steps, epochs=epochs, max_steps=max_steps, batch_size=batch_size,
        retain_batch_size=retain_batch_size, grad_accum=grad_accum, max_length=max_length,
        max_grad_norm=max_grad_norm, seed=seed,
        lora=LoraOptions(r=lora_r, alpha=lora_alpha, dropout=lora_dropout, target_modules=targets))
    try:            # every mistake in the options before the paths: one run of the command tells them
        options.validate()
    except TrainError as exc:
        fail(str(exc))
    if not data.exists():
        fail(f"no such dataset: {data}")
    if not model.is_dir():
        fail(f"no model directory at {model}")
    existed = out.exists()
    progress = Progress(TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                        TimeRemainingColumn(), console=console, transient=True)
    task = progress.add_task("", total=None)

    def on_start(step: int, total: int, info: dict) -> None:
        skipped = sum(info["skipped"].values())
        resumed = f", resuming after step {step}" if step else ""
        console.print(f"{info['pairs']} pair(s), {info['retain']} retain chunk(s)"
                      + (f", {skipped} pair(s) skipped" if skipped else "") + f"; {total} step(s){resumed}",
                      highlight=False)
        progress.update(task, total=total, completed=step)

    # In a log (a job queue, nohup) rich draws no bar: lines now and then instead.
    lines = None if console.is_terminal else ProgressLines("train", "steps")

    def on_step(metrics: dict, total: int) -> None:
        shown = " ".join(f"{k}={metrics[k]:.3f}" for k in ("loss", "l_neg", "l_pos") if metrics.get(k) is not None)
        progress.update(task, completed=metrics["step"], description=shown)
        if lines is not None:
            lines(metrics["step"], total, shown)

    def on_wait() -> None:
        console.print(f"waiting for the training processes of an earlier attempt in {out} to save their step "
                      "and stop", highlight=False, soft_wrap=True)

    # SIGTERM as Ctrl-C: it is how SLURM, Kubernetes and systemd stop a job, and the step in
    # progress is saved instead of lost.
    stopper = StopOnSignal("stopping after this step", signals=(signal.SIGINT, signal.SIGTERM))
    try:
        with stopper as stop, progress:
            common = dict(cpu=cpu, impl=impl, fresh=fresh, save_every=save_every, keep_checkpoints=keep_checkpoints,
                          gradient_checkpointing=gradient_checkpointing, init_adapter=init_adapter, stop=stop,
                          on_start=on_start, on_step=on_step)
            if processes > 1:
                summary = train_in_processes(data, model, out, options, processes=processes, on_wait=on_wait,
                                             **common)
            else:
                summary = run_training(data, model, out, options, **common)
    except (TrainError, ModelError) as exc:
        if not existed:
            _remove_if_empty(out)       # a run that never began leaves no folder behind
        fail(str(exc))
    except Interrupted as exc:
        err_console.print(f"interrupted after step {exc.step} of {exc.total}: its checkpoint is in {out}; "
                          "run the same command again to go on", highlight=False, soft_wrap=True)
        raise typer.Exit(stopper.exit_status())
    except KeyboardInterrupt:       # a second signal: stopped at once
        err_console.print(f"interrupted: the newest checkpoint in {out} is kept; run the same command "
                          "again to go on from it", highlight=False, soft_wrap=True)
        raise typer.Exit(stopper.exit_status())
    from accelerate import PartialState
    if not PartialState().is_main_process:
        return
    last = summary.get("last") or {}
    results.print(f"adapter written to {out / summary['adapter']} after {summary['steps']} step(s)"
                  + (f"; last step: loss {last['loss']:.4f}" if last.get("loss") is not None else ""),
                  highlight=False, soft_wrap=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()          # only an empty folder: whatever is in it stays
    except OSError:
        pass


def register(app: typer.Typer) -> None:
    app.command("train")(train)
