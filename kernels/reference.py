"""Naive token log-probs through full fp32 logits: the oracle the tests compare the fast paths with.

It materialises ``[N, V]`` logits on purpose (that is what makes it obviously right); never use it
for training.
"""
from __future__ import annotations

import torch


def reference_token_logprobs(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    target: torch.Tensor,
    *,
    ignore_index: int = -100,
    bias: torch.Tensor | None = None,
) -> torch.Tensor:
    """``log_softmax(hidden @ weight.T + bias)[i, target[i]]`` in fp32; 0 where ``target == ignore_index``.

    Differentiable through plain autograd with respect to every input that requires grad.
    """
    logits = hidden.float() @ weight.float().t()
    if bias is not None:
        logits = logits + bias.float()
    logp_all = torch.log_softmax(logits, dim=-1)
    valid = target != ignore_index
    # gather needs an in-range index even on ignored rows; they are zeroed right after.
    safe = torch.where(valid, target, torch.zeros_like(target))
    picked = logp_all.gather(1, safe.long().unsqueeze(1)).squeeze(1)
    return torch.where(valid, picked, torch.zeros_like(picked))
