"""One model's whole evaluation into one summary: the probes (runner.py), then utility, as the
perplexity of held-out code (perplexity.py) and pass@k on a HumanEval-format file (passk.py).
`apimigrate evaluate` and a refresh's evaluate stage both run it, on one loaded model; each part
goes on from what an interrupted run left in `out`.

`out` records what wrote it (`evaluated.json`: the model, the adapter and the generation settings,
`Generator.identity`); going on there with anything else would mix two models' answers in one
summary, so it is refused, or `out` is started afresh when the caller says so.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

from apimigrate.callsites import DeprecationIndex
from apimigrate.jsonfiles import write_json
from apimigrate.local_models import ModelError

from .passk import PASSK, run_pass_at_k
from .runner import PROBES, SUMMARY, LineGenerator, run_probes, write_summary

OWNER = "evaluated.json"
OUTPUTS = (PROBES, PASSK, SUMMARY)


class OtherEvaluation(Exception):
    """`out` holds another model's (or other settings') evaluation; the message is one line."""


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
                   on_task: Callable[[int, int], None] | None = None,
                   on_other: Literal["fail", "restart"] = "fail", fresh: bool = False) -> dict:
    """The summary of `run_probes`, plus `"utility"` when `retain` chunks are given (or
    `"utility_error"` when this model's perplexity cannot be computed) and `"pass_at_k"`.

    `out` is started afresh when `fresh`, or when it holds another evaluation and `on_other` is
    "restart"; with "fail" that raises `OtherEvaluation`."""
    claim(out, getattr(generator, "identity", {}), restart=fresh, on_other=on_other)
    from .perplexity import generator_perplexity  # here: it loads torch, which probing alone does not need
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


def claim(out: Path, identity: dict, *, restart: bool = False, on_other: Literal["fail", "restart"] = "fail") -> None:
    """Make `out` this evaluation's: record `identity` there, after clearing what another left."""
    out.mkdir(parents=True, exist_ok=True)
    if not restart and _owner(out) == identity:
        return
    if not restart and on_other == "fail":
        refuse_other(out, identity)
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    write_json(out / OWNER, identity)


def refuse_other(out: Path, identity: dict) -> None:
    """Raise `OtherEvaluation` when `out` holds answers of another model or other settings."""
    held = _owner(out)
    if held == identity or (held is None and not any((out / name).exists() for name in OUTPUTS)):
        return
    raise OtherEvaluation(f"{out} holds the evaluation of {_differences(held, identity)}; "
                          "pass --fresh to start it over, or give another --out")


def _owner(out: Path) -> dict | None:
    try:
        held = json.loads((out / OWNER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return held if isinstance(held, dict) else None


def _differences(held: dict | None, identity: dict) -> str:
    """What tells the evaluation in a folder from this one, for the user."""
    if held is None:
        return "an unrecorded model"

    def shown(key: str, value: object) -> str:
        return str(value)[:12] if key.endswith("sha256") and value else str(value)
    keys = [k for k in sorted(set(held) | set(identity)) if held.get(k) != identity.get(k)]
    return "another model or settings (" + ", ".join(
        f"{k} {shown(k, held.get(k))} there, {shown(k, identity.get(k))} now" for k in keys[:3]) + ")"
