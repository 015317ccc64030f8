"""Checkpoints of a training run: the LoRA adapter, the optimizer and scheduler, the step, and
every random state, so a resumed run takes the very steps the uninterrupted one would have.

    OUT/checkpoints/step-000050/adapter/       adapter_config.json + adapter_model.safetensors
    OUT/checkpoints/step-000050/trainer.pt     optimizer, scheduler, step
    OUT/checkpoints/step-000050/rng-0.pt       python, torch (and CUDA) random states of process 0

Only the adapter is saved, never the frozen base weights. A checkpoint is written under a
temporary name and renamed when complete, so a crash while saving leaves the previous one.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import torch

CHECKPOINTS = "checkpoints"
_NAME = re.compile(r"^step-(\d+)$")


def checkpoint_dirs(out: Path) -> list[tuple[int, Path]]:
    """Complete checkpoints in `out`, oldest first."""
    root = out / CHECKPOINTS
    if not root.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in root.iterdir() if p.is_dir() and (m := _NAME.match(p.name))]
    return sorted(found)


def staging_dir(out: Path, step: int) -> Path:
    """Where every process writes its part of the checkpoint of `step` before it is published."""
    path = out / CHECKPOINTS / f".step-{step:06d}.tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_rng(staging: Path, process_index: int) -> None:
    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    torch.save(state, staging / f"rng-{process_index}.pt")


def save_main(staging: Path, peft_model: Any, optimizer: Any, scheduler: Any, step: int) -> None:
    """The parts one process writes: the adapter and the trainer state."""
    peft_model.save_pretrained(str(staging / "adapter"))
    torch.save({"step": step, "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
               staging / "trainer.pt")


def publish(out: Path, step: int, keep: int) -> Path:
    """Rename the staged checkpoint of `step` into place; drop all but the newest `keep`."""
    final = out / CHECKPOINTS / f"step-{step:06d}"
    if final.exists():
        shutil.rmtree(final)
    staging_dir(out, step).rename(final)
    for _, old in checkpoint_dirs(out)[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return final


def clear_staging(out: Path) -> None:
    """Leftovers of a save a crash cut short."""
    root = out / CHECKPOINTS
    if root.is_dir():
        for p in root.glob(".step-*.tmp"):
            shutil.rmtree(p, ignore_errors=True)


def load(path: Path, peft_model: Any, optimizer: Any, scheduler: Any, process_index: int) -> int:
    """Restore a checkpoint into the live objects; returns its step."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file
    weights = load_file(str(path / "adapter" / "adapter_model.safetensors"), device="cpu")
    result = set_peft_model_state_dict(peft_model, weights)
    unexpected = list(getattr(result, "unexpected_keys", []))
    if unexpected:
        raise ValueError(f"{path}: the adapter does not fit this model ({unexpected[0]} ...)")
    trainer = torch.load(path / "trainer.pt", map_location="cpu", weights_only=False)
    optimizer.load_state_dict(trainer["optimizer"])
    scheduler.load_state_dict(trainer["scheduler"])
    rng_file = path / f"rng-{process_index}.pt"
    if rng_file.exists():
        rng = torch.load(rng_file, map_location="cpu", weights_only=False)
        random.setstate(rng["python"])
        torch.set_rng_state(rng["torch"])
        if "cuda" in rng and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(rng["cuda"])
    return int(trainer["step"])
