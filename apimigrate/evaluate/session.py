"""One model's whole evaluation into one summary: the probes (runner.py), then utility, as the
perplexity of held-out code (perplexity.py) and pass@k on a HumanEval-format file (passk.py).
`apimigrate evaluate` and a refresh's evaluate stage both run it, on one loaded model; each part
goes on from what an interrupted run left in `out`."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from apimigrate.callsites import DeprecationIndex

from .runner import LineGenerator, run_probes, write_summary


@dataclass(frozen=True)
class PassAtK:
    tasks: list = field(default_factory=list)       # passk.Task
    samples: int = 1
    ks: tuple[int, ...] = (1,)
    temperature: float = 0.0
    max_new_tokens: int = 256
    timeout: float = 10.0
    workers: int = 1


def evaluate_model(records: list[dict], generator: LineGenerator, index: DeprecationIndex | None, out: Path, *,
                   batch_size: int = 8, retain: list[dict] | None = None, pass_at_k: PassAtK | None = None,
                   on_batch: Callable[[int, int], None] | None = None,
                   on_task: Callable[[int, int], None] | None = None) -> dict:
    """The summary of `run_probes`, plus `"utility"` when `retain` chunks are given (or
    `"utility_error"` when this model's perplexity cannot be computed) and `"pass_at_k"`."""
    # imported here: they load torch, which the probes' callers may not want yet
    from apimigrate.local_models import ModelError

    from .passk import run_pass_at_k
    from .perplexity import generator_perplexity
    summary = run_probes(records, generator, index, out, batch_size=batch_size, on_batch=on_batch)
    if retain is not None:
        try:
            summary["utility"] = generator_perplexity(generator, retain)
        except ModelError as exc:
            summary["utility_error"] = str(exc)
    if pass_at_k is not None:
        p = pass_at_k
        summary["pass_at_k"] = run_pass_at_k(p.tasks, generator, out, n=p.samples, ks=p.ks,
                                             temperature=p.temperature, max_new_tokens=p.max_new_tokens,
                                             timeout=p.timeout, workers=p.workers, on_task=on_task)
    write_summary(out, summary)
    return summary
