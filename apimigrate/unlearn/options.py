"""What a training run is asked to do, and the errors it reports to its callers, apart from the
training itself: this module imports no torch, so that reading a refresh configuration (and a
cron tick that finds another refresh running) does not spend seconds loading it. train.py and
lm.py import them from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

OBJECTIVES = ("cure", "simnpo", "npo", "ga")
DEFAULT_BETA = {"cure": 2.5, "simnpo": 2.5, "npo": 0.1}
SCHEDULES = ("constant", "linear", "cosine")


class TrainError(Exception):
    """The run cannot start or go on; the message is one line for the user."""


class Interrupted(Exception):
    """Stopped on request after a completed step, whose checkpoint is saved."""

    def __init__(self, step: int, total: int) -> None:
        super().__init__(f"stopped after step {step} of {total}")
        self.step, self.total = step, total


@dataclass(frozen=True)
class LoraOptions:
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: tuple[str, ...] | None = None   # None: every linear layer but the output head


@dataclass(frozen=True)
class TrainOptions:
    """What the run learns and from what; a resumed run must share every one of them."""
    objective: str = "cure"
    beta: float | None = None          # None: the objective's default (DEFAULT_BETA)
    gamma: float = 0.0
    alpha: float = 1.0                 # cure: weight of the contrastive term
    beta_c: float = 1.0                # cure: temperature of the contrastive term
    lambda_pos: float = 0.1            # cure: weight of the replacement's likelihood
    lambda_retain: float = 1.0         # weight of the retain set's cross-entropy (0: no retain term)
    lr: float = 1e-4
    weight_decay: float = 0.0
    schedule: str = "cosine"
    warmup_steps: int = 0
    epochs: float = 1.0
    max_steps: int | None = None       # overrides epochs
    batch_size: int = 4                # pairs per micro-batch and process
    retain_batch_size: int = 2         # retain chunks per micro-batch and process
    grad_accum: int = 1
    max_length: int = 1024             # tokens per sequence; contexts are cut from the left
    max_grad_norm: float = 1.0
    seed: int = 0
    lora: LoraOptions = field(default_factory=LoraOptions)

    @property
    def resolved_beta(self) -> float | None:
        return self.beta if self.beta is not None else DEFAULT_BETA.get(self.objective)

    def validate(self) -> None:
        if self.objective not in OBJECTIVES:
            raise TrainError(f"unknown objective {self.objective!r}; choose one of {', '.join(OBJECTIVES)}")
        if self.schedule not in SCHEDULES:
            raise TrainError(f"unknown schedule {self.schedule!r}; choose one of {', '.join(SCHEDULES)}")
        if self.resolved_beta is not None and not self.resolved_beta > 0:
            raise TrainError(f"beta must be > 0, got {self.resolved_beta}")
        if min(self.batch_size, self.grad_accum, self.max_length) < 1 or self.retain_batch_size < 0:
            raise TrainError("batch sizes, --grad-accum and --max-length must be positive")
        if not (self.epochs > 0 or self.max_steps):
            raise TrainError("give --epochs > 0 or --max-steps")
        if not self.lr > 0:         # lr 0 trains an adapter that changes nothing, hours for no model
            raise TrainError(f"--lr must be > 0, got {self.lr}")
