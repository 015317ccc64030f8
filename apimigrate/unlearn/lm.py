"""A local causal LM with a LoRA adapter, seen as backbone + output head, so the loss can take
the hidden states of the target positions through the fused kernel instead of the model's own
`[tokens × vocab]` logits.

Nothing is downloaded: the model is a local Hugging Face directory. The head must be a linear
layer over the last hidden state, up to a constant scale (Cohere's `logit_scale`, Granite's
`logits_scaling`); a model whose logits are anything else (Gemma 2's soft-capping) is refused,
and every model is checked once at load: our log-probs must equal the model's own.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from apimigrate.kernels import fused_token_logprobs
from apimigrate.local_models import ModelError, load_adapter, load_causal_lm, load_tokenizer, pick_device

from .batches import Batch
from .options import LoraOptions
from .tokens import IGNORE_INDEX


class TokenLogprobs(torch.nn.Module):
    """`log p(target)` at the positions of a right-padded batch whose target is set, in row-major
    order (that of `targets[targets != IGNORE_INDEX]`), fp32, through the backbone and the fused
    kernel: the `[tokens × vocab]` logits are never built. A module, so that DDP (through
    `accelerate launch`) sees the forward it has to synchronise. `model` is a peft model or a
    plain causal LM."""

    def __init__(self, model: Any, head_scale: float, impl: str) -> None:
        super().__init__()
        self.model = model
        self.head_scale = head_scale
        self.impl = impl

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        keep = targets != IGNORE_INDEX
        if not bool(keep.any()):
            # Still a function of the trainable weights, so that backward is a no-op, not an error.
            anchor = sum(p.sum() for p in self.model.parameters() if p.requires_grad)
            return torch.zeros(0, device=input_ids.device) + 0 * anchor
        lm = self.model.get_base_model() if hasattr(self.model, "get_base_model") else self.model
        hidden = lm.get_decoder()(input_ids=input_ids, attention_mask=attention_mask, use_cache=False).last_hidden_state
        h = hidden[keep]
        if self.head_scale != 1.0:
            h = h * self.head_scale
        head = lm.get_output_embeddings()
        return fused_token_logprobs(h, head.weight, targets[keep], bias=getattr(head, "bias", None), impl=self.impl)


@dataclass
class TrainableLM:
    model: Any            # the peft model
    tokenizer: Any
    device: Any
    logprobs: TokenLogprobs

    @property
    def pad_id(self) -> int:
        return self.tokenizer.pad_token_id

    def token_logprobs(self, batch: Batch) -> torch.Tensor:
        return self.logprobs(batch.input_ids, batch.attention_mask, batch.targets)

    def model_logprobs(self, batch: Batch) -> torch.Tensor:
        """The same log-probs through the model's own forward and full logits (for the check)."""
        logits = self.model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, use_cache=False).logits
        keep = batch.targets != IGNORE_INDEX
        return torch.log_softmax(logits.float(), dim=-1)[keep].gather(1, batch.targets[keep][:, None]).squeeze(1)


def head_scale(config: Any) -> float:
    """The constant the architecture multiplies its head's output by; refuse non-linear heads."""
    text = getattr(config, "get_text_config", lambda: config)()
    if getattr(text, "final_logit_softcapping", None):
        raise ModelError(f"{text.model_type} soft-caps its logits (tanh); the fused loss needs a linear head")
    scale = 1.0
    if getattr(text, "logit_scale", None) not in (None, 1, 1.0):
        scale *= float(text.logit_scale)
    if getattr(text, "logits_scaling", None) not in (None, 1, 1.0):
        scale /= float(text.logits_scaling)
    return scale


def _lora_config(model: Any, options: LoraOptions) -> Any:
    from peft import LoraConfig
    # Attention and MLP both: what a model knows of an API's spelling is not in attention alone.
    targets: Any = list(options.target_modules) if options.target_modules else "all-linear"
    # GPT-2 style Conv1D layers store their weight transposed.
    fan_in_fan_out = getattr(model.config, "model_type", "") == "gpt2"
    return LoraConfig(r=options.r, lora_alpha=options.alpha, lora_dropout=options.dropout,
                      target_modules=targets, fan_in_fan_out=fan_in_fan_out, task_type="CAUSAL_LM")


def adapter_lora(adapter: Path) -> LoraOptions:
    """The LoRA settings an adapter saved by peft was trained with (`adapter_config.json`)."""
    config = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    targets = config.get("target_modules")
    if isinstance(targets, list):
        targets = tuple(sorted(targets))
    elif targets != "all-linear":
        targets = (targets,) if targets else None
    else:
        targets = None
    return LoraOptions(r=int(config.get("r", LoraOptions.r)), alpha=config.get("lora_alpha", LoraOptions.alpha),
                       dropout=float(config.get("lora_dropout", LoraOptions.dropout)), target_modules=targets)


def load_trainable(model_dir: Path, *, lora: LoraOptions, device: str = "auto", impl: str = "auto",
                   gradient_checkpointing: bool = False, init_adapter: Path | None = None) -> TrainableLM:
    """The model in `model_dir` with a fresh LoRA adapter (or `init_adapter`, trained further,
    its own LoRA configuration taking the place of `lora`), its base weights frozen; bf16 on
    CUDA, fp32 on CPU."""
    device = pick_device(device)
    tokenizer = load_tokenizer(model_dir)
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(f"the tokenizer in {model_dir} is not a fast tokenizer; token masks need its offset mapping")
    base = load_causal_lm(model_dir, device)
    scale = head_scale(base.config)
    if gradient_checkpointing:
        base.gradient_checkpointing_enable()
        base.enable_input_require_grads()
    if init_adapter is not None:
        model = load_adapter(base, init_adapter, model_dir, trainable=True)
    else:
        from peft import get_peft_model
        try:
            model = get_peft_model(base, _lora_config(base, lora))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot put a LoRA adapter on {model_dir}: {str(exc).splitlines()[0]}") from exc
    model.to(device)
    return TrainableLM(model, tokenizer, torch.device(device), TokenLogprobs(model, scale, impl))


def check_head(lm: TrainableLM, batch: Batch, *, tolerance: float | None = None) -> float:
    """Compare our log-probs with the model's own on `batch`; raise when they differ, since the
    run would then train another objective than the one asked for. Returns the largest gap."""
    was_training = lm.model.training
    lm.model.eval()
    try:
        with torch.no_grad():
            ours, theirs = lm.token_logprobs(batch), lm.model_logprobs(batch)
    finally:
        lm.model.train(was_training)
    gap = float((ours - theirs).abs().max()) if ours.numel() else 0.0
    if tolerance is None:
        tolerance = 1e-3 if next(lm.model.parameters()).dtype == torch.float32 else 0.1
    if not gap <= tolerance:
        raise ModelError(f"this model's logits are not its head over the last hidden state "
                         f"(log-probs differ by up to {gap:.3g}); the fused loss cannot train it")
    return gap
