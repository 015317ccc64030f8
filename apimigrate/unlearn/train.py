"""Train a LoRA adapter that unlearns deprecated APIs (DESIGN.md, "Unlearning").

    OUT/run.json        what the run is: options, dataset and model fingerprints, total steps
    OUT/log.jsonl       one line per optimizer step (loss, ℓ⁻, ℓ⁺, retain CE, learning rate, tokens)
    OUT/checkpoints/    the newest checkpoints (checkpoints.py)
    OUT/adapter/        the trained adapter, written when the run completes
    OUT/training.json   its summary

The pairs (and retain chunks) are taken in a fixed order drawn from the seed: optimizer step s
reads a slice of an endless stream of per-epoch permutations that depends on s alone, so a run
resumed from the checkpoint of step s goes on exactly as the uninterrupted run would have.
Under `accelerate launch` each process reads its own micro-batches of that stream (DDP); the
checkpoints hold the adapter, never the frozen base weights.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import random
import shutil
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable

import torch

from . import checkpoints
from apimigrate.jsonfiles import write_json
from apimigrate.local_models import (adapter_fingerprint, adapter_problem, max_positions,
                                     pick_device, weight_files)

from .batches import DataError, PairExample, collate, encode_pairs, encode_retain, pair_batch, read_jsonl
from .lm import TrainableLM, adapter_lora, check_head, load_trainable
from .objectives import Segments, cure, ga, masked_ce, npo, simnpo
from .options import Interrupted, TrainError, TrainOptions
from .tokens import IGNORE_INDEX, Encoded

FORMAT = 1
IMPLS_FOR_TRAINING = ("auto", "triton", "chunked")   # `reference` builds the full logits
RUN, LOG, SUMMARY, ADAPTER = "run.json", "log.jsonl", "training.json", "adapter"


@dataclass
class Data:
    pairs: list[PairExample]
    retain: list[Encoded]
    skipped: dict
    fingerprint: str


def load_data(dataset: Path, tokenizer: Any, options: TrainOptions, max_length: int) -> Data:
    """The dataset's train split (pairs and retain chunks), encoded for this tokenizer, each
    sequence at most `max_length` tokens."""
    train_file = dataset / "train.jsonl" if dataset.is_dir() else dataset
    if not train_file.is_file():
        raise TrainError(f"no train.jsonl in {dataset} (make one with `apimigrate dataset build`)")
    retain_file = train_file.with_name("retain_train.jsonl")
    sha = hashlib.sha256()
    try:
        for path in (train_file, retain_file):
            if path.is_file():
                sha.update(path.read_bytes())
        pairs, skipped = encode_pairs(read_jsonl(train_file), tokenizer, max_length)
        retain_records = read_jsonl(retain_file) if retain_file.is_file() and options.lambda_retain > 0 else []
    except OSError as exc:
        raise TrainError(f"cannot read the dataset: {exc}") from exc
    except DataError as exc:
        raise TrainError(str(exc)) from exc
    if not pairs:
        why = ", ".join(f"{n} {reason}" for reason, n in skipped.items()) or "the file is empty"
        raise TrainError(f"no pair in {train_file} can be trained on ({why})")
    return Data(pairs, encode_retain(retain_records, tokenizer, max_length), dict(skipped), sha.hexdigest())


def stream_slice(n: int, seed: int, salt: str, start: int, count: int) -> list[int]:
    """Items [start, start + count) of the endless stream of per-epoch permutations of range(n)."""
    out: list[int] = []
    pos = start
    while len(out) < count and n:
        epoch, offset = divmod(pos, n)
        perm = _permutation(n, seed, salt, epoch)
        take = min(count - len(out), n - offset)
        out.extend(perm[offset:offset + take])
        pos += take
    return out


@functools.lru_cache(maxsize=8)
def _permutation(n: int, seed: int, salt: str, epoch: int) -> tuple[int, ...]:
    order = list(range(n))
    random.Random(f"{seed}:{salt}:{epoch}").shuffle(order)
    return tuple(order)


def total_steps(options: TrainOptions, n_pairs: int, world: int) -> int:
    if options.max_steps:
        return options.max_steps
    per_step = options.batch_size * options.grad_accum * world
    return max(1, math.ceil(options.epochs * n_pairs / per_step))


def _model_fingerprint(model_dir: Path) -> str:
    config = model_dir / "config.json"
    return hashlib.sha256(config.read_bytes()).hexdigest() if config.is_file() else ""


class Trainer:
    """One run: the model, its data, the optimizer, and the step it is at."""

    def __init__(self, lm: TrainableLM, data: Data, options: TrainOptions, accelerator: Any, total: int) -> None:
        self.lm, self.data, self.options, self.acc, self.total = lm, data, options, accelerator, total
        params = [p for p in lm.model.parameters() if p.requires_grad]
        self.params = params
        self.optimizer = torch.optim.AdamW(params, lr=options.lr, weight_decay=options.weight_decay)
        from transformers import get_scheduler
        name = {"constant": "constant_with_warmup"}.get(options.schedule, options.schedule)
        self.scheduler = get_scheduler(name, self.optimizer, num_warmup_steps=options.warmup_steps,
                                       num_training_steps=total)
        self.module = accelerator.prepare_model(lm.logprobs)
        self.step = 0

    # -- one optimizer step ----------------------------------------------------------------
    def _micro_batches(self, step: int) -> list[tuple[list[PairExample], list[Encoded]]]:
        o, world, rank = self.options, self.acc.num_processes, self.acc.process_index
        out = []
        for m in range(o.grad_accum):
            g = (step * o.grad_accum + m) * world + rank
            pairs = [self.data.pairs[i] for i in
                     stream_slice(len(self.data.pairs), o.seed, "pairs", g * o.batch_size, o.batch_size)]
            retain = [self.data.retain[i] for i in
                      stream_slice(len(self.data.retain), o.seed, "retain", g * o.retain_batch_size,
                                   o.retain_batch_size)]
            out.append((pairs, retain))
        return out

    def _reference(self, batch: Any) -> torch.Tensor:
        """The base model's log-probs (adapter off, no dropout) of the same tokens, for NPO."""
        model = self.lm.model
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad(), model.disable_adapter():
                return self.lm.logprobs(batch.input_ids, batch.attention_mask, batch.targets)
        finally:
            model.train(was_training)

    def micro_loss(self, pairs: list[PairExample], retain: list[Encoded]) -> tuple[torch.Tensor, dict]:
        """The objective on one micro-batch, and the per-sequence quantities it is made of."""
        o, device, pad = self.options, self.lm.device, self.lm.pad_id
        with_pos = o.objective == "cure"
        batch = pair_batch(pairs, pad, with_pos=with_pos, device=device)
        logp = self.module(batch.input_ids, batch.attention_mask, batch.targets)
        mask = batch.targets != IGNORE_INDEX
        b = len(pairs)
        n_neg = int(mask[:b].sum())
        neg, logp_neg = Segments.from_mask(mask[:b]), logp[:n_neg]
        beta = o.resolved_beta
        stats: dict = {"l_neg": _defined_mean(neg.mean(logp_neg.detach()), neg.nonempty)}
        if o.objective == "cure":
            pos, logp_pos = Segments.from_mask(mask[b:]), logp[n_neg:]
            loss = cure(logp_neg, neg, logp_pos, pos, beta=beta, gamma=o.gamma, alpha=o.alpha, beta_c=o.beta_c,
                        lambda_pos=o.lambda_pos)
            stats["l_pos"] = _defined_mean(pos.mean(logp_pos.detach()), pos.nonempty)
        elif o.objective == "simnpo":
            loss = simnpo(logp_neg, neg, beta=beta, gamma=o.gamma)
        elif o.objective == "npo":
            loss = npo(logp_neg, self._reference(batch), neg, beta=beta)
        else:
            loss = ga(logp_neg, neg)
        tokens = int(batch.attention_mask.sum())
        if o.lambda_retain > 0 and retain:
            rb = collate(retain, pad, device)
            retain_ce = masked_ce(self.module(rb.input_ids, rb.attention_mask, rb.targets))
            loss = loss + o.lambda_retain * retain_ce
            stats["retain_ce"] = float(retain_ce.detach())
            tokens += int(rb.attention_mask.sum())
        stats["tokens"] = tokens
        return loss, stats

    def train_step(self) -> dict:
        """One optimizer step over `grad_accum` micro-batches; returns its metrics."""
        o = self.options
        started = time.perf_counter()
        self.lm.model.train()
        micro = self._micro_batches(self.step)
        totals: dict[str, float] = {}
        for m, (pairs, retain) in enumerate(micro):
            last = m == len(micro) - 1
            with contextlib.nullcontext() if last else self.acc.no_sync(self.module):
                loss, stats = self.micro_loss(pairs, retain)
                (loss / len(micro)).backward()
            stats["loss"] = float(loss.detach())
            for k, v in stats.items():
                if v is not None:
                    totals[k] = totals.get(k, 0.0) + v / (1 if k == "tokens" else len(micro))
        totals = _across_processes(self.acc, totals)
        grad_norm = torch.nn.utils.clip_grad_norm_(self.params, o.max_grad_norm) if o.max_grad_norm > 0 else None
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        metrics = {"step": self.step, **{k: round(v, 6) for k, v in totals.items()},
                   "lr": self.scheduler.get_last_lr()[0], "seconds": round(time.perf_counter() - started, 4)}
        if grad_norm is not None:
            metrics["grad_norm"] = round(float(grad_norm), 6)
        return metrics

    # -- checkpoints -------------------------------------------------------------------------
    def save(self, out: Path, keep: int) -> None:
        staging = checkpoints.staging_dir(out, self.step)
        if self.acc.is_main_process:
            checkpoints.save_main(staging, self.lm.model, self.optimizer, self.scheduler, self.step)
        checkpoints.save_rng(staging, self.acc.process_index)
        self.acc.wait_for_everyone()
        if self.acc.is_main_process:
            checkpoints.publish(out, self.step, keep)
        self.acc.wait_for_everyone()

    def resume(self, out: Path) -> int:
        found = checkpoints.checkpoint_dirs(out)
        if found:
            try:
                self.step = checkpoints.load(found[-1][1], self.lm.model, self.optimizer, self.scheduler,
                                             self.acc.process_index)
            except (OSError, ValueError, RuntimeError, KeyError) as exc:
                raise TrainError(f"cannot resume from {found[-1][1]}: {str(exc).splitlines()[0]}") from exc
        return self.step


def _across_processes(acc: Any, totals: dict[str, float]) -> dict[str, float]:
    """The step's metrics over every process: token counts summed, the rest averaged."""
    if acc.num_processes == 1:
        return totals
    keys = sorted(totals)
    values = acc.reduce(torch.tensor([totals[k] for k in keys], dtype=torch.float64, device=acc.device),
                        reduction="sum").tolist()
    return {k: v if k == "tokens" else v / acc.num_processes for k, v in zip(keys, values)}


def _defined_mean(values: torch.Tensor, defined: torch.Tensor) -> float | None:
    return float(values[defined].mean()) if bool(defined.any()) else None


def _trim_log(path: Path, step: int) -> None:
    """Keep the log lines of steps up to `step` (a resumed run writes the later ones again)."""
    if not path.exists():
        return
    keep = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            if json.loads(line)["step"] <= step:
                keep.append(line)
        except (json.JSONDecodeError, KeyError, TypeError):
            break
    path.write_text("".join(k + "\n" for k in keep), encoding="utf-8")


# What the user changed, in the command line's words, for each field of run.json.
_RUN_FIELDS = {"dataset": "dataset", "dataset_sha256": "dataset", "model": "--model",
               "model_config_sha256": "config.json in --model", "processes": "--processes",
               "init_adapter": "--init-adapter", "format": "run format (an older apimigrate's run)"}
_LORA_FLAGS = {"r": "--lora-r", "alpha": "--lora-alpha", "dropout": "--lora-dropout", "target_modules": "--lora-target"}


def _changed(previous: dict, run: dict) -> list[str]:
    """The options that differ between two run.json records, as flags (`--max-steps`); the step
    count only when nothing it follows from (options, dataset, processes) changed."""
    def differs(a: dict, b: dict) -> list[str]:
        return [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    old_opts, new_opts = previous.get("options") or {}, run.get("options") or {}
    names = []
    for key in differs(old_opts, new_opts):
        if key == "lora":
            names += [_LORA_FLAGS.get(k, f"LoRA {k}") for k in differs(old_opts.get("lora") or {},
                                                                     new_opts.get("lora") or {})]
        else:
            names.append("--" + key.replace("_", "-"))
    for key in differs(previous, run):
        if key == "model_weights":      # the base weights: which file changed
            old_files, new_files = previous.get(key) or {}, run.get(key) or {}
            names += [f"{name} in --model" for name in differs(old_files, new_files)]
        elif key not in ("options", "total_steps"):
            names.append(_RUN_FIELDS.get(key, key))
    if "--model" in names:              # another folder: what differs inside it goes without saying
        names = [n for n in names if not n.endswith(" in --model")]
    if not names:
        names.append("step count")
    return list(dict.fromkeys(names))


def _prepare_out(out: Path, run: dict, fresh: bool, is_main: bool) -> dict | None:
    """Start, resume or refuse the run in `out`; returns the summary of a run already complete."""
    run_file = out / RUN
    if fresh and is_main:
        for name in (RUN, LOG, SUMMARY):
            (out / name).unlink(missing_ok=True)
        for name in (ADAPTER, checkpoints.CHECKPOINTS):
            shutil.rmtree(out / name, ignore_errors=True)
    elif run_file.exists():
        try:
            previous = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise TrainError(f"{run_file} is unreadable ({exc}); use --fresh to start over") from exc
        if "model_weights" not in previous:     # an older apimigrate's run: it did not record them
            previous = {**previous, "model_weights": run.get("model_weights")}
        if previous != run:
            raise TrainError(f"{out} holds a run with another {', '.join(_changed(previous, run))}; use --fresh "
                             "to start over or another --out")
        summary = out / SUMMARY
        if summary.exists() and (out / ADAPTER).is_dir():
            return json.loads(summary.read_text(encoding="utf-8"))
    return None


def train(dataset: Path, model_dir: Path, out: Path, options: TrainOptions, *, cpu: bool = False,
          impl: str = "auto", fresh: bool = False, save_every: int = 50, keep_checkpoints: int = 2,
          gradient_checkpointing: bool = False, init_adapter: Path | None = None,
          stop: Callable[[], bool] = lambda: False,
          on_start: Callable[[int, int, dict], None] | None = None,
          on_step: Callable[[dict, int], None] | None = None) -> dict:
    """Train (or resume, or find complete) the run in `out`; returns its summary.

    `init_adapter`: an adapter trained before (a refresh goes on from the promoted one); its LoRA
    configuration replaces `options.lora`, and NPO's reference is still the base model alone.
    `stop()` is asked after every step; when it says so, the step's checkpoint is saved and
    `Interrupted` raised. `on_start(step, total, info)` and `on_step(metrics, total)` report progress.
    """
    from accelerate import Accelerator
    from accelerate.utils import set_seed
    options.validate()
    acc = Accelerator(cpu=_on_cpu(cpu))
    out.mkdir(parents=True, exist_ok=True)
    set_seed(options.seed)          # the adapter's initial weights, then dropout: a run is reproducible
    if init_adapter is not None:
        problem = adapter_problem(init_adapter)
        if problem is not None:
            raise TrainError(f"no adapter to train on at {init_adapter} ({problem})")
        try:        # the adapter's own settings are what is trained: run.json records those
            options = replace(options, lora=adapter_lora(init_adapter))
        except (OSError, ValueError, TypeError) as exc:
            raise TrainError(f"cannot read {init_adapter / 'adapter_config.json'}: {exc}") from exc
    lm = load_trainable(model_dir, lora=options.lora, device=str(acc.device), impl=impl,
                        gradient_checkpointing=gradient_checkpointing, init_adapter=init_adapter)
    positions = max_positions(lm.model.config)
    data = load_data(dataset, lm.tokenizer, options, min(options.max_length, positions or options.max_length))
    total = total_steps(options, len(data.pairs), acc.num_processes)
    run = {"format": FORMAT, "options": json.loads(json.dumps(asdict(options))), "dataset": str(dataset.resolve()),
           "dataset_sha256": data.fingerprint, "model": str(model_dir.resolve()),
           "model_config_sha256": _model_fingerprint(model_dir), "model_weights": weight_files(model_dir),
           "processes": acc.num_processes, "total_steps": total}
    if init_adapter is not None:
        run["init_adapter"] = {"path": str(init_adapter.resolve()), "sha256": adapter_fingerprint(init_adapter)}
    done = _prepare_out(out, run, fresh, acc.is_main_process)
    acc.wait_for_everyone()
    if done is not None:
        return done
    check_head(lm, pair_batch(data.pairs[:2], lm.pad_id, with_pos=True, device=lm.device))
    trainer = Trainer(lm, data, options, acc, total)
    if acc.is_main_process:
        checkpoints.clear_staging(out)
        write_json(out / RUN, run)
    acc.wait_for_everyone()
    start = trainer.resume(out)
    log_path = out / LOG
    if acc.is_main_process:
        _trim_log(log_path, start)
    if on_start is not None and acc.is_main_process:
        on_start(start, total, {"pairs": len(data.pairs), "retain": len(data.retain), "skipped": data.skipped})
    started = time.perf_counter()
    first: dict | None = None
    last: dict | None = None
    with open(log_path, "a", encoding="utf-8") if acc.is_main_process else contextlib.nullcontext() as log:
        while trainer.step < total:
            last = trainer.train_step()
            first = first or last
            if log is not None:
                log.write(json.dumps(last) + "\n")
                log.flush()
            if on_step is not None and acc.is_main_process:
                on_step(last, total)
            stopping = _any_process(acc, stop())
            if stopping or trainer.step % save_every == 0 or trainer.step == total:
                trainer.save(out, keep_checkpoints)
            if stopping and trainer.step < total:
                raise Interrupted(trainer.step, total)
    summary = {"steps": total, "resumed_from": start, "pairs": len(data.pairs), "retain_chunks": len(data.retain),
               "skipped": data.skipped, "objective": options.objective, "first": first, "last": last,
               "seconds_this_session": round(time.perf_counter() - started, 3), "adapter": ADAPTER}
    if acc.is_main_process:
        tmp = out / (".adapter.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        lm.model.save_pretrained(str(tmp))
        shutil.rmtree(out / ADAPTER, ignore_errors=True)
        tmp.rename(out / ADAPTER)
        write_json(out / SUMMARY, summary)
    acc.wait_for_everyone()
    return summary


def _on_cpu(cpu: bool) -> bool:
    """Whether accelerate is to be told `cpu`: asked for, or a distributed job (torchrun, `--processes`)
    on a machine without CUDA. Not told, accelerate gives such a job's every process a run of its
    own (no process group): each trains the whole run and they overwrite each other's checkpoints.
    Told, they form one CPU (gloo) group, as `--cpu` does."""
    if cpu:
        return True
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    return distributed and pick_device("auto") == "cpu"


def _any_process(acc: Any, flag: bool) -> bool:
    """Every process stops at the same step, so that none waits on the others for ever."""
    if acc.num_processes == 1:
        return flag
    t = torch.tensor([1.0 if flag else 0.0], device=acc.device)
    return bool(acc.reduce(t, reduction="sum").item() > 0)
