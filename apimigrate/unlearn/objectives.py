"""Unlearning objectives over per-sequence masked means of token log-probs (DESIGN.md, "Unlearning").

The fused loss (``apimigrate.kernels.fused_token_logprobs``) gives ``logp[N]`` for the N *selected*
tokens of a batch only (the deprecated-API tokens ``M⁻``, the replacement tokens ``M⁺``, or retain
tokens).  A :class:`Segments` says which of the B sequences each of them belongs to; every
sequence-level quantity below is a segment reduction to a ``[B]`` tensor, and the objectives are
plain PyTorch on those ``[B]`` tensors:

    ℓ⁻_b = mean_{i ∈ M⁻_b} log πθ(i)          ℓ⁺_b = mean_{i ∈ M⁺_b} log πθ(i)

Typical use, with ``mask_neg[B, T]`` the ``M⁻`` mask aligned with the shifted labels::

    neg = Segments.from_mask(mask_neg)
    logp = fused_token_logprobs(hidden[mask_neg], lm_head.weight, labels[mask_neg])
    loss = simnpo(logp, neg, beta=2.5, gamma=0.0)

Sequences with no selected token define no ``ℓ`` (there is nothing to average).  With
``reduction="mean"`` each term is averaged over the sequences where it is defined (``cure``'s
contrastive term needs both ``M⁻_b`` and ``M⁺_b``); a batch where a term is defined nowhere adds 0 to
the loss, still connected to the graph.  With ``reduction="none"`` the result is ``[B]`` and undefined
terms contribute 0.

Coefficient defaults: ``npo`` β=0.1 (NPO paper); ``simnpo`` β=2.5, γ=0 (SimNPO paper);
``cure`` β=2.5, γ=0, α=1, β_c=1, λ⁺=0.1, λ_r=1 (our choice; every one is a parameter).
"""
from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F

Reduction = Literal["mean", "none"]


class Segments:
    """Sequence id of each of N selected tokens, for reductions to ``[num_segments]`` tensors."""

    def __init__(self, index: torch.Tensor, num_segments: int) -> None:
        if index.dim() != 1 or index.dtype not in (torch.int64, torch.int32):
            raise ValueError(f"index must be a 1-D integer tensor, got {tuple(index.shape)} {index.dtype}")
        if num_segments < 0:
            raise ValueError(f"num_segments must be >= 0, got {num_segments}")
        if index.numel() and (int(index.min()) < 0 or int(index.max()) >= num_segments):
            raise ValueError(f"segment index out of range [0, {num_segments})")
        self.index = index.long()
        self.num_segments = num_segments
        self.counts = torch.bincount(self.index, minlength=num_segments).to(torch.float32)
        self.nonempty = self.counts > 0

    @classmethod
    def from_mask(cls, mask: torch.Tensor) -> Segments:
        """Segments of the tokens ``mask[B, T]`` selects, in the row-major order of ``x[mask]``."""
        if mask.dim() != 2 or mask.dtype != torch.bool:
            raise ValueError(f"mask must be a [B, T] bool tensor, got {tuple(mask.shape)} {mask.dtype}")
        return cls(mask.nonzero()[:, 0], mask.shape[0])

    def check(self, x: torch.Tensor, what: str) -> None:
        """Raise unless ``x`` has one entry per token of these segments."""
        if x.shape != self.index.shape:
            raise ValueError(f"{what} has shape {tuple(x.shape)}, segments cover {self.index.numel()} tokens")

    def sum(self, x: torch.Tensor) -> torch.Tensor:
        """``out[b] = Σ_{i: index[i]=b} x[i]`` (0 for an empty segment), differentiable."""
        self.check(x, "x")
        out = torch.zeros(self.num_segments, dtype=x.dtype, device=x.device)
        return out.index_add(0, self.index.to(x.device), x)

    def mean(self, x: torch.Tensor) -> torch.Tensor:
        """``out[b] = mean_{i: index[i]=b} x[i]`` (0 for an empty segment), differentiable."""
        return self.sum(x) / self.counts.to(x.device, x.dtype).clamp_min(1)


def _reduce(terms: list[tuple[torch.Tensor, torch.Tensor]], reduction: Reduction) -> torch.Tensor:
    """Combine ``(values[B], defined[B])`` terms: per-sequence sum, or sum of per-term defined means."""
    if reduction not in ("mean", "none"):
        raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}")
    masked = [torch.where(defined, values, torch.zeros_like(values)) for values, defined in terms]
    if reduction == "none":
        return torch.stack(masked).sum(0)
    total = masked[0].new_zeros(())
    for m, (_, defined) in zip(masked, terms):
        total = total + m.sum() / defined.sum().clamp_min(1).to(m.dtype)
    return total


def _check_beta(beta: float) -> None:
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta}")


def _neg_sigmoid_term(z: torch.Tensor, beta: float) -> torch.Tensor:
    """``-(2/β)·log σ(z)``, computed stably."""
    return -(2.0 / beta) * F.logsigmoid(z)


def ga(logp_neg: torch.Tensor, neg: Segments, *, reduction: Reduction = "mean") -> torch.Tensor:
    """Gradient ascent: ``L_b = ℓ⁻_b`` (minimising it pushes the deprecated tokens down)."""
    return _reduce([(neg.mean(logp_neg), neg.nonempty)], reduction)


def npo(
    logp_neg: torch.Tensor,
    ref_logp_neg: torch.Tensor,
    neg: Segments,
    *,
    beta: float = 0.1,
    reduction: Reduction = "mean",
) -> torch.Tensor:
    """NPO: ``L_b = -(2/β)·log σ(-β(Σ_{M⁻_b} log πθ − Σ_{M⁻_b} log πref))``.

    ``ref_logp_neg`` are the reference model's log-probs of the same tokens (the base model with the
    LoRA adapter disabled); they are detached here.
    """
    _check_beta(beta)
    neg.check(ref_logp_neg, "ref_logp_neg")
    diff = neg.sum(logp_neg) - neg.sum(ref_logp_neg.detach().to(logp_neg.dtype))
    return _reduce([(_neg_sigmoid_term(-beta * diff, beta), neg.nonempty)], reduction)


def simnpo(
    logp_neg: torch.Tensor,
    neg: Segments,
    *,
    beta: float = 2.5,
    gamma: float = 0.0,
    reduction: Reduction = "mean",
) -> torch.Tensor:
    """SimNPO: ``L_b = -(2/β)·log σ(-β·ℓ⁻_b − γ)`` (reference-free, length-normalised)."""
    _check_beta(beta)
    term = _neg_sigmoid_term(-beta * neg.mean(logp_neg) - gamma, beta)
    return _reduce([(term, neg.nonempty)], reduction)


def masked_ce(logp: torch.Tensor) -> torch.Tensor:
    """Plain token-level cross-entropy over the selected tokens: ``-mean_i logp[i]`` (0 if none)."""
    if logp.dim() != 1:
        raise ValueError(f"logp must be [N], got {tuple(logp.shape)}")
    return -logp.sum() / max(logp.numel(), 1)


def cure(
    logp_neg: torch.Tensor,
    neg: Segments,
    logp_pos: torch.Tensor,
    pos: Segments,
    *,
    beta: float = 2.5,
    gamma: float = 0.0,
    alpha: float = 1.0,
    beta_c: float = 1.0,
    lambda_pos: float = 0.1,
    retain_logp: torch.Tensor | None = None,
    lambda_retain: float = 1.0,
    reduction: Reduction = "mean",
) -> torch.Tensor:
    """Contrastive unlearning, per pair b of (deprecated line, rewritten line) in the same context:

    ``L_b = -(2/β)·log σ(-β·ℓ⁻_b − γ)  − α·log σ(β_c(ℓ⁺_b − ℓ⁻_b))  − λ⁺·ℓ⁺_b``

    plus ``λ_r·masked_ce(retain_logp)`` when retain log-probs are given (``reduction="mean"`` only: the
    retain set is not paired with the sequences).  ``neg`` and ``pos`` must have the same number of
    segments: segment b of each is one pair.
    """
    _check_beta(beta)
    if neg.num_segments != pos.num_segments:
        raise ValueError(f"neg has {neg.num_segments} sequences, pos {pos.num_segments}; they must pair up")
    if retain_logp is not None and reduction != "mean":
        raise ValueError("the retain term has no per-sequence value; use reduction='mean'")
    l_neg, l_pos = neg.mean(logp_neg), pos.mean(logp_pos)
    both = neg.nonempty & pos.nonempty
    terms = [
        (_neg_sigmoid_term(-beta * l_neg - gamma, beta), neg.nonempty),
        (-alpha * F.logsigmoid(beta_c * (l_pos - l_neg)), both),
        (-lambda_pos * l_pos, pos.nonempty),
    ]
    loss = _reduce(terms, reduction)
    if retain_logp is not None:
        loss = loss + lambda_retain * masked_ce(retain_logp)
    return loss
