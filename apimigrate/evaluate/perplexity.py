"""Utility: how well the model still predicts held-out code that uses no deprecated API.

The mean next-token negative log-likelihood over every token of the dataset's retain eval
chunks, and its exponential, the perplexity; computed through the same fused log-probs as
training, so a large vocabulary costs no `[tokens × vocab]` logits here either.
"""
from __future__ import annotations

import math
from typing import Any

from apimigrate.unlearn.batches import collate, encode_retain
from apimigrate.unlearn.lm import TokenLogprobs, head_scale


def retain_perplexity(model: Any, tokenizer: Any, chunks: list[dict], device: Any, *, max_length: int,
                      batch_size: int = 4, impl: str = "auto") -> dict:
    """`{"chunks", "tokens", "nll", "perplexity"}` of `model` (with its adapter, if any) on `chunks`."""
    import torch
    sequences = encode_retain(chunks, tokenizer, max_length)
    logprobs = TokenLogprobs(model, head_scale(model.config), impl)
    nll, tokens = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(sequences), batch_size):
            batch = collate(sequences[start:start + batch_size], tokenizer.pad_token_id, device)
            logp = logprobs(batch.input_ids, batch.attention_mask, batch.targets)
            nll -= float(logp.double().sum())
            tokens += logp.numel()
    mean = nll / tokens if tokens else float("nan")
    return {"chunks": len(sequences), "tokens": tokens, "nll": mean,
            "perplexity": math.exp(mean) if tokens else float("nan")}


def generator_perplexity(generator: Any, chunks: list[dict]) -> dict:
    """`retain_perplexity` of the model a probe generator holds, each chunk cut to what the
    generator's prompts may hold."""
    return retain_perplexity(generator.model, generator.tokenizer, chunks, generator.device,
                             max_length=generator.max_prompt_tokens + generator.max_new_tokens)
