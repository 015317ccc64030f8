"""Chunked pure-PyTorch token log-probs: the CPU path and the fallback where Triton is unavailable.

Rows and vocabulary are walked in ``[row_chunk, vocab_chunk]`` blocks with an online log-sum-exp in
fp32, so nothing of size ``N x V`` ever exists; the backward recomputes blocks.

Two backward strategies, picked by what needs a gradient:

* ``weight`` frozen (the LoRA case): the forward sweep also accumulates, flash-attention style,
  ``E_p[w] = sum_v softmax_v * w_v`` next to the log-sum-exp.  Because
  ``d logp_i / d hidden_i = w[target_i] - E_p[w]`` does not depend on the upstream gradient, the
  backward is then one elementwise product: two matmul passes in all, the same count as the eager
  loss, instead of three for forward + recompute + contraction.
* ``weight`` trainable: the classic recompute backward, one sweep that forms ``dlogits`` per block and
  contracts it into ``dhidden`` and an fp32 ``dweight`` accumulator.  No ``dweight`` work happens when
  the weight is frozen.

The row max ``m`` and ``log(sum exp(s - m))`` are kept apart, never added into one ``lse``: with
logits near 2e4 an fp32 ``lse`` is only good to ~1e-3, and ``exp(s - lse)`` would then give softmax
weights that do not sum to 1 (``dhidden`` off by ~1e-3 * |w|).  ``(s - m) - log_sum`` is exact to
fp32 rounding of the small quantities.
"""
from __future__ import annotations

import torch

DEFAULT_ROW_CHUNK = 1024
DEFAULT_VOCAB_CHUNK = 4096


def _compute_dtype(t: torch.Tensor) -> torch.dtype:
    # CPU half-precision matmuls are slow and round the result; CUDA ones are fast and accumulate in
    # fp32 internally, so only upcast where it helps.
    if t.device.type == "cpu" or t.dtype == torch.float32:
        return torch.float32
    return t.dtype


def _block_logits(h: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None) -> torch.Tensor:
    s = (h @ w.t()).float()
    if b is not None:
        s = s + b.float()
    return s


class ChunkedTokenLogprobs(torch.autograd.Function):
    """autograd.Function over rows that are all valid (ignored rows already removed)."""

    @staticmethod
    def forward(  # type: ignore[override]
        ctx,
        hidden: torch.Tensor,
        weight: torch.Tensor,
        target: torch.Tensor,
        bias: torch.Tensor | None,
        row_chunk: int,
        vocab_chunk: int,
    ) -> torch.Tensor:
        n, _ = hidden.shape
        vocab = weight.shape[0]
        cdt = _compute_dtype(hidden)
        need_dh, need_dw = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_db = bias is not None and ctx.needs_input_grad[3]
        # Fold d/dhidden into the forward only when it is all the backward would do.
        fold = need_dh and not (need_dw or need_db)

        row_max = torch.empty(n, dtype=torch.float32, device=hidden.device)
        log_sum = torch.empty(n, dtype=torch.float32, device=hidden.device)
        tgt = torch.empty(n, dtype=torch.float32, device=hidden.device)
        dh_unit = torch.empty(hidden.shape, dtype=torch.float32, device=hidden.device) if fold else None
        for r0 in range(0, n, row_chunk):
            rows = slice(r0, min(r0 + row_chunk, n))
            h, t = hidden[rows].to(cdt), target[rows]
            m = torch.full((h.shape[0],), float("-inf"), dtype=torch.float32, device=h.device)
            s = torch.zeros_like(m)
            x_t = torch.zeros_like(m)
            acc = torch.zeros(h.shape, dtype=torch.float32, device=h.device) if fold else None
            for v0 in range(0, vocab, vocab_chunk):
                v1 = min(v0 + vocab_chunk, vocab)
                w = weight[v0:v1].to(cdt)
                logits = _block_logits(h, w, None if bias is None else bias[v0:v1])
                # The target logit is taken from the very numbers the log-sum-exp sees, so that
                # logp <= 0 holds exactly (a separate dot product rounds differently).
                inside = (t >= v0) & (t < v1)
                picked = logits.gather(1, (t - v0).clamp_(0, v1 - v0 - 1).unsqueeze(1)).squeeze(1)
                x_t = torch.where(inside, picked, x_t)
                m_new = torch.maximum(m, logits.amax(1))
                scale = torch.exp(m - m_new)
                p = logits.sub_(m_new.unsqueeze(1)).exp_()
                s = s * scale + p.sum(1)
                if acc is not None:
                    acc.mul_(scale.unsqueeze(1)).add_((p.to(cdt) @ w).float())
                m = m_new
            row_max[rows] = m
            log_sum[rows] = torch.log(s)
            tgt[rows] = x_t
            if dh_unit is not None:
                dh_unit[rows] = weight[t].float() - acc / s.unsqueeze(1)
        if fold:
            ctx.save_for_backward(dh_unit)
        else:
            ctx.save_for_backward(hidden, weight, target, bias, row_max, log_sum)
        ctx.fold = fold
        ctx.chunks = (row_chunk, vocab_chunk)
        ctx.dtypes = (hidden.dtype, weight.dtype, None if bias is None else bias.dtype)
        return (tgt - row_max) - log_sum

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        g = grad.float()
        if ctx.fold:
            (dh_unit,) = ctx.saved_tensors
            return (g.unsqueeze(1) * dh_unit).to(ctx.dtypes[0]), None, None, None, None, None
        hidden, weight, target, bias, row_max, log_sum = ctx.saved_tensors
        need_dh, need_dw = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_db = bias is not None and ctx.needs_input_grad[3]
        dh, dw, db = _recompute_backward(
            g, hidden, weight, target, bias, row_max, log_sum, need_dh, need_dw, need_db, *ctx.chunks
        )
        return (
            None if dh is None else dh.to(ctx.dtypes[0]),
            None if dw is None else dw.to(ctx.dtypes[1]),
            None,
            None if db is None else db.to(ctx.dtypes[2]),
            None,
            None,
        )


def _recompute_backward(
    g: torch.Tensor,
    hidden: torch.Tensor,
    weight: torch.Tensor,
    target: torch.Tensor,
    bias: torch.Tensor | None,
    row_max: torch.Tensor,
    log_sum: torch.Tensor,
    need_dh: bool,
    need_dw: bool,
    need_db: bool,
    row_chunk: int,
    vocab_chunk: int,
) -> tuple[torch.Tensor | None, torch.Tensor | None, torch.Tensor | None]:
    """dlogits = g * (onehot - softmax), recomputed per block and contracted; fp32 accumulators."""
    n, vocab = hidden.shape[0], weight.shape[0]
    cdt = _compute_dtype(hidden)
    f32 = dict(dtype=torch.float32, device=hidden.device)
    dh = torch.zeros(hidden.shape, **f32) if need_dh else None
    dw = torch.zeros(weight.shape, **f32) if need_dw else None
    db = torch.zeros(vocab, **f32) if need_db else None
    for r0 in range(0, n, row_chunk):
        rows = slice(r0, min(r0 + row_chunk, n))
        h, gr, t = hidden[rows].to(cdt), g[rows], target[rows]
        for v0 in range(0, vocab, vocab_chunk):
            cols = slice(v0, min(v0 + vocab_chunk, vocab))
            w = weight[cols].to(cdt)
            logits = _block_logits(h, w, None if bias is None else bias[cols])
            # Only the softmax part here; the onehot part is added once per row below.
            shifted = logits.sub_(row_max[rows].unsqueeze(1)).sub_(log_sum[rows].unsqueeze(1))
            dl = shifted.exp_().mul_(-gr.unsqueeze(1))
            if dh is not None:
                dh[rows] += (dl.to(cdt) @ w).float()
            if dw is not None:
                dw[cols] += (dl.t().to(cdt) @ h).float()
            if db is not None:
                db[cols] += dl.sum(0)
        if dh is not None:
            dh[rows] += gr.unsqueeze(1) * weight[t].float()
        if dw is not None:
            dw.index_add_(0, t, gr.unsqueeze(1) * h.float())
        if db is not None:
            db.index_add_(0, t, gr)
    return dh, dw, db


def chunked_token_logprobs(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    target: torch.Tensor,
    bias: torch.Tensor | None = None,
    *,
    row_chunk: int = DEFAULT_ROW_CHUNK,
    vocab_chunk: int = DEFAULT_VOCAB_CHUNK,
) -> torch.Tensor:
    """log-probs of ``target`` for rows that are all valid; see the module docstring."""
    return ChunkedTokenLogprobs.apply(hidden, weight, target, bias, row_chunk, vocab_chunk)
