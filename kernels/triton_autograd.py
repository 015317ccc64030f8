"""autograd.Function around the Triton kernels: grids, split heuristics, buffers, dtype handling."""
from __future__ import annotations

import math

import torch
import triton

from . import triton_kernels as tk


def _meta(extra: dict | None = None) -> dict:
    """Explicit tile sizes when the kernels are plain (interpreter); the autotuner supplies them otherwise."""
    if not tk.INTERPRET:
        return {}
    meta = dict(tk.INTERPRETER_META)
    if extra is not None:
        meta.update(extra)
    return meta


def _num_sms(device: torch.device) -> int:
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).multi_processor_count
    return 1


def _bucket(n: int) -> int:
    # The number of selected tokens changes every step; autotune per power of two, not per N.
    return 1 << max(0, n - 1).bit_length()


def _vocab_splits(n: int, vocab: int, n_sms: int, forced: int | None) -> int:
    """Split the forward's vocabulary loop when row blocks alone would leave SMs idle."""
    if forced is not None:
        return max(1, min(forced, math.ceil(vocab / tk.MAX_BLOCK_V)))
    row_blocks = math.ceil(n / 64)
    want = math.ceil(2 * n_sms / max(row_blocks, 1))
    return max(1, min(want, math.ceil(vocab / 4096)))


def _hidden_splits(row_blocks: int, hidden: int, n_sms: int, forced: int | None) -> int:
    """Slices of H for the dhidden kernel; each extra slice rebuilds the logits once more, so only
    split while the time model ``(2 + 2*splits) / min(row_blocks*splits, n_sms)`` keeps improving."""
    if forced is not None:
        return max(1, forced)
    best, best_cost = 1, float("inf")
    for splits in range(1, max(1, hidden // 256) + 1):
        cost = (2 + 2 * splits) / min(row_blocks * splits, n_sms)
        if cost < best_cost - 1e-12:
            best, best_cost = splits, cost
    return best


def _common(hidden: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> dict:
    if hidden.dtype != weight.dtype:
        raise TypeError(f"triton path needs hidden and weight of one dtype, got {hidden.dtype} and {weight.dtype}")
    n, h = hidden.shape
    return dict(
        N=n, V=weight.shape[0], H=h, stride_h=hidden.stride(0), stride_w=weight.stride(0),
        N_BUCKET=_bucket(n), HAS_BIAS=bias is not None, UPCAST=tk.INTERPRET,
        DOT_PRECISION="ieee" if hidden.dtype == torch.float32 else "tf32",
    )


def triton_forward(hidden, weight, target, bias, vocab_splits: int | None = None):
    """Returns (logp, row_max, log_sum), fp32 [N] each; the log-sum-exp is ``row_max + log_sum``,
    kept as two numbers for precision (see ``_dlogits_tile``)."""
    args = _common(hidden, weight, bias)
    n, vocab = args["N"], args["V"]
    splits = _vocab_splits(n, vocab, _num_sms(hidden.device), vocab_splits)
    per_split = math.ceil(math.ceil(vocab / splits) / tk.MAX_BLOCK_V) * tk.MAX_BLOCK_V
    splits = math.ceil(vocab / per_split)
    f32 = dict(dtype=torch.float32, device=hidden.device)
    mx, sm, tg = (torch.empty(splits, n, **f32) for _ in range(3))
    grid = lambda meta: (triton.cdiv(n, meta["BLOCK_M"]), splits)  # noqa: E731
    bias_arg = bias if bias is not None else hidden  # never read when HAS_BIAS is False
    tk.forward_kernel[grid](hidden, weight, bias_arg, target, mx, sm, tg, v_per_split=per_split, **args, **_meta())
    # Deterministic merge of the per-split partial log-sum-exps.
    top = mx.max(0).values
    log_sum = torch.log((sm * torch.exp(mx - top)).sum(0))
    return (tg.sum(0) - top) - log_sum, top, log_sum


def triton_backward(hidden, weight, target, bias, row_max, log_sum, g, need_dh, need_dw, need_db, hidden_splits=None):
    args = _common(hidden, weight, bias)
    n, vocab, hdim = args["N"], args["V"], args["H"]
    bias_arg = bias if bias is not None else hidden
    dh = dw = db = None
    if need_dh:
        dh32 = torch.empty(n, hdim, dtype=torch.float32, device=hidden.device)
        n_sms = _num_sms(hidden.device)

        def grid(meta):
            row_blocks = triton.cdiv(n, meta["BLOCK_M"])
            return (row_blocks, _hidden_splits(row_blocks, hdim, n_sms, hidden_splits))

        tk.dhidden_kernel[grid](hidden, weight, bias_arg, target, row_max, log_sum, g, dh32, **args, **_meta())
        dh = dh32.to(hidden.dtype)
        del dh32
    if need_dw or need_db:
        dw32 = torch.empty(vocab, hdim, dtype=torch.float32, device=hidden.device) if need_dw else log_sum
        db32 = torch.empty(vocab, dtype=torch.float32, device=hidden.device) if need_db else log_sum
        grid = lambda meta: (triton.cdiv(vocab, meta["BLOCK_V"]),)  # noqa: E731
        tk.dweight_kernel[grid](
            hidden, weight, bias_arg, target, row_max, log_sum, g, dw32, db32,
            COMPUTE_DW=need_dw, COMPUTE_DB=need_db, **args, **_meta(),
        )
        if need_dw:
            dw = dw32.to(weight.dtype)
        if need_db:
            db = db32.to(bias.dtype)
    return dh, dw, db


class TritonTokenLogprobs(torch.autograd.Function):
    """Rows must all be valid; the caller removes ignored rows before anything runs."""

    @staticmethod
    def forward(ctx, hidden, weight, target, bias, vocab_splits, hidden_splits):  # type: ignore[override]
        hidden, weight = hidden.contiguous(), weight.contiguous()
        target = target.contiguous()
        if hidden.shape[0] == 0:
            logp = torch.zeros(0, dtype=torch.float32, device=hidden.device)
            row_max = log_sum = logp
        else:
            logp, row_max, log_sum = triton_forward(hidden, weight, target, bias, vocab_splits)
        ctx.save_for_backward(hidden, weight, target, bias, row_max, log_sum)
        ctx.hidden_splits = hidden_splits
        return logp

    @staticmethod
    def backward(ctx, grad):  # type: ignore[override]
        hidden, weight, target, bias, row_max, log_sum = ctx.saved_tensors
        need_dh, need_dw = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_db = bias is not None and ctx.needs_input_grad[3]
        if hidden.shape[0] == 0:
            dh = torch.zeros_like(hidden) if need_dh else None
            dw = torch.zeros_like(weight) if need_dw else None
            db = torch.zeros_like(bias) if need_db else None
        else:
            dh, dw, db = triton_backward(
                hidden, weight, target, bias, row_max, log_sum, grad.float().contiguous(),
                need_dh, need_dw, need_db, ctx.hidden_splits,
            )
        return dh, dw, None, db, None, None
