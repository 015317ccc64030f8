"""Greedy first lines and sampled continuations from a local Hugging Face causal LM (optionally
with a LoRA adapter).

Nothing is downloaded: the model and the adapter are local directories. Prompts are cut
from the left to `max_prompt_tokens` and generated in batches, padded on the left, with the
prompt's last token healed (healing.py) unless told not to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apimigrate.local_models import (Continuation, ModelError, adapter_fingerprint, load_adapter, load_causal_lm,
                                     load_tokenizer, max_positions, model_fingerprint, pick_device)

from .healing import FirstStepMask, TokenHealing


@dataclass
class Generator:
    model: Any
    tokenizer: Any
    device: str
    max_prompt_tokens: int = 1024
    max_new_tokens: int = 64
    heal: bool = True
    positions: int | None = None        # the model's, when it has a limit: prompt + new tokens fit in it
    # What was loaded and how it generates: what an evaluation's outputs depend on (session.py).
    identity: dict = field(default_factory=dict)
    # Built once: healing decodes the whole vocabulary on first use.
    _healing: TokenHealing | None = field(default=None, init=False, repr=False)
    _continuation: Continuation | None = field(default=None, init=False, repr=False)

    def first_lines(self, prompts: list[str]) -> list[str]:
        """The first non-blank line each prompt's greedy continuation writes ('' if none)."""
        return [_first_line(text) for text in self._generate(prompts, max_new_tokens=self.max_new_tokens)]

    def samples(self, prompt: str, n: int, *, temperature: float = 0.0, top_p: float = 0.95,
                max_new_tokens: int | None = None) -> list[str]:
        """`n` continuations of `prompt`: greedy when `temperature` is 0 (then all alike), else
        sampled; each is the text the model wrote after the prompt."""
        return self._generate([prompt] * n, max_new_tokens=max_new_tokens or self.max_new_tokens,
                              temperature=temperature, top_p=top_p)

    def _generate(self, prompts: list[str], *, max_new_tokens: int, temperature: float = 0.0,
                  top_p: float = 1.0) -> list[str]:
        """The text each prompt's continuation writes, its healed last token re-spelled."""
        import torch
        from transformers import LogitsProcessorList
        tok = self.tokenizer
        encoded = [tok(p, add_special_tokens=True)["input_ids"] for p in prompts]
        limit = self.max_prompt_tokens
        if self.positions is not None:
            limit = min(limit, self.positions - max_new_tokens)
            if limit < 1:
                raise ModelError(f"the model has {self.positions} positions, not enough for {max_new_tokens} new tokens")
        encoded = [_keep_tail(ids, limit, tok.bos_token_id) for ids in encoded]
        if self.heal and self._healing is None:
            self._healing = TokenHealing(tok)
        healing = self._healing if self.heal else None
        tails = [""] * len(encoded)
        if healing is not None:
            encoded, tails = map(list, zip(*(healing.split(ids) for ids in encoded)))
        width = max(len(ids) for ids in encoded)
        pad = tok.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(ids)) + ids for ids in encoded], device=self.device)
        attention = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in encoded], device=self.device)
        processors = LogitsProcessorList()
        if healing is not None and any(tails):
            vocab = self.model.get_output_embeddings().weight.shape[0]
            processors.append(FirstStepMask(width, [healing.allowed(t, vocab, self.device) if t else None
                                                    for t in tails]))
        sampling = {"do_sample": True, "temperature": temperature, "top_p": top_p} if temperature > 0 else \
            {"do_sample": False}
        with torch.no_grad():
            out = self.model.generate(input_ids=input_ids, attention_mask=attention, max_new_tokens=max_new_tokens,
                                      pad_token_id=pad, logits_processor=processors, **sampling)
        if self._continuation is None:
            self._continuation = Continuation(tok)
        texts = [self._continuation.decode(row[width:]) for row in out.tolist()]
        return [text[len(tail):] if text.startswith(tail) else text for text, tail in zip(texts, tails)]


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
                   max_prompt_tokens: int = 1024, max_new_tokens: int = 64, heal: bool = True) -> Generator:
    """The model in `model_dir` (a local Hugging Face directory), with the LoRA `adapter` on
    top when given; `device` "auto" takes CUDA when there is one."""
    device = pick_device(device)
    requested_prompt_tokens = max_prompt_tokens
    tokenizer = load_tokenizer(model_dir)
    model = load_causal_lm(model_dir, device)
    if adapter is not None:
        model = load_adapter(model, adapter, model_dir)
    model.to(device).eval()
    # A prompt plus its continuation must fit the model's positions.
    positions = max_positions(model.config)
    if positions is not None:
        if positions <= max_new_tokens:
            raise ModelError(f"the model has {positions} positions, not enough for {max_new_tokens} new tokens")
        max_prompt_tokens = min(max_prompt_tokens, positions - max_new_tokens)
    identity = generation_identity(model_dir, adapter, device=device, max_prompt_tokens=requested_prompt_tokens,
                                   max_new_tokens=max_new_tokens, heal=heal)
    return Generator(model, tokenizer, device, max_prompt_tokens, max_new_tokens, heal, positions, identity)


def generation_identity(model_dir: Path, adapter: Path | None = None, *, device: str = "auto",
                        max_prompt_tokens: int = 1024, max_new_tokens: int = 64, heal: bool = True) -> dict:
    """What `load_generator` with these arguments would generate from, known before loading it:
    the model's and the adapter's files, the dtype the device gets, the generation settings."""
    cuda = pick_device(device).startswith("cuda")
    return {"model": str(model_dir.resolve()), "model_sha256": model_fingerprint(model_dir),
            "adapter": str(adapter.resolve()) if adapter is not None else None,
            "adapter_sha256": adapter_fingerprint(adapter) if adapter is not None else None,
            "dtype": "bfloat16" if cuda else "float32", "max_prompt_tokens": max_prompt_tokens,
            "max_new_tokens": max_new_tokens, "token_healing": heal}

