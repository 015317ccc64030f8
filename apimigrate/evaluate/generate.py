"""Greedy first lines from a local Hugging Face causal LM (optionally with a LoRA adapter).

Nothing is downloaded: the model and the adapter are local directories. Prompts are cut
from the left to `max_prompt_tokens` and generated in batches, padded on the left.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ModelError(Exception):
    """The model or adapter cannot be loaded; the message is one line for the user."""


@dataclass
class Generator:
    model: Any
    tokenizer: Any
    device: str
    max_prompt_tokens: int = 1024
    max_new_tokens: int = 64

    def first_lines(self, prompts: list[str]) -> list[str]:
        """The first non-blank line each prompt's greedy continuation writes ('' if none)."""
        import torch
        tok = self.tokenizer
        encoded = [tok(p, add_special_tokens=True)["input_ids"] for p in prompts]
        encoded = [_keep_tail(ids, self.max_prompt_tokens, tok.bos_token_id) for ids in encoded]
        width = max(len(ids) for ids in encoded)
        pad = tok.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(ids)) + ids for ids in encoded], device=self.device)
        attention = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in encoded], device=self.device)
        with torch.no_grad():
            out = self.model.generate(input_ids=input_ids, attention_mask=attention, do_sample=False,
                                      max_new_tokens=self.max_new_tokens, pad_token_id=pad)
        return [_first_line(tok.decode(row[width:], skip_special_tokens=True)) for row in out.tolist()]


def _keep_tail(ids: list[int], limit: int, bos: int | None) -> list[int]:
    if len(ids) <= limit:
        return ids
    head = [ids[0]] if bos is not None and ids and ids[0] == bos else []
    return head + ids[len(ids) - (limit - len(head)):]


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.rstrip("\r")
    return ""


def load_generator(model_dir: Path, adapter: Path | None = None, *, device: str = "auto",
                   max_prompt_tokens: int = 1024, max_new_tokens: int = 64) -> Generator:
    """The model in `model_dir` (a local Hugging Face directory), with the LoRA `adapter` on
    top when given; `device` "auto" takes CUDA when there is one."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
        model = AutoModelForCausalLM.from_pretrained(str(model_dir), local_files_only=True, **_dtype_kwarg(dtype))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load a causal LM from {model_dir}: {str(exc).splitlines()[0]}") from exc
    if adapter is not None:
        from peft import PeftModel
        try:
            model = PeftModel.from_pretrained(model, str(adapter), is_trainable=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load the adapter {adapter}: {str(exc).splitlines()[0]}") from exc
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.bos_token
    if tokenizer.pad_token_id is None:
        raise ModelError(f"the tokenizer in {model_dir} has no pad, end or start token to pad with")
    model.to(device).eval()
    # A prompt plus its continuation must fit the model's positions.
    positions = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
    if positions is not None:
        if positions <= max_new_tokens:
            raise ModelError(f"the model has {positions} positions, not enough for {max_new_tokens} new tokens")
        max_prompt_tokens = min(max_prompt_tokens, positions - max_new_tokens)
    return Generator(model, tokenizer, device, max_prompt_tokens, max_new_tokens)


def _dtype_kwarg(dtype: Any) -> dict:
    """transformers 4.56 renamed `torch_dtype` to `dtype`; 5 warns on the old name."""
    import transformers
    from packaging.version import Version
    return {"dtype" if Version(transformers.__version__) >= Version("4.56") else "torch_dtype": dtype}
