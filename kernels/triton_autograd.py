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


def default_scratch_rows(device: torch.device) -> int:
    """Rows of the fp32 accumulator per launch: one wave of the widest tile on every SM (two of the
    128-row/column ones), 33,792 rows on an H200, so each chunk keeps the GPU busy while the scratch
    stays under half of a 151,936-row ``dweight``.  A guess until measured on the GPU: tune it with
    ``scratch_rows``."""
    return _num_sms(device) * tk.MAX_BLOCK_V


def _accumulator_chunks(out: torch.Tensor, accumulate: str, scratch_rows: int):
    """Yields ``(lo, hi, buf)``: the kernel accumulates rows ``lo:hi`` of ``out`` into ``buf``.

    ``buf`` is ``out[lo:hi]`` itself when ``out`` is fp32 or ``accumulate == "output"`` (one chunk, no
    scratch); otherwise a reused fp32 scratch of at most ``scratch_rows`` rows, copied into ``out``
    (rounded once) after each chunk, so fp32 accumulation costs ``4 * scratch_rows * H`` bytes
    beyond the gradient instead of a full fp32 copy of it.
    """
    total = out.shape[0]
    if out.dtype == torch.float32 or accumulate == "output":
        yield 0, total, out
        return
    chunks = math.ceil(total / max(1, scratch_rows))
    per = math.ceil(total / chunks)
    if per >= tk.MAX_BLOCK_V:  # whole tiles per chunk on the GPU; tests use tiny chunks to cover the seams
        per = math.ceil(per / tk.MAX_BLOCK_V) * tk.MAX_BLOCK_V
    scratch = torch.empty(min(per, total), out.shape[1], dtype=torch.float32, device=out.device)
    for lo in range(0, total, per):
        hi = min(lo + per, total)
        buf = scratch[: hi - lo]
        yield lo, hi, buf
        out[lo:hi].copy_(buf)


def _dhidden(hidden, weight, target, bias, row_max, log_sum, g, hidden_splits, accumulate, scratch_rows):
    dh = torch.empty_like(hidden)
    bias_arg = bias if bias is not None else hidden
    n_sms = _num_sms(hidden.device)
    for lo, hi, buf in _accumulator_chunks(dh, accumulate, scratch_rows):
        h = hidden[lo:hi]
        args = _common(h, weight, bias)

        def grid(meta, rows=hi - lo):
            row_blocks = triton.cdiv(rows, meta["BLOCK_M"])
            return (row_blocks, _hidden_splits(row_blocks, args["H"], n_sms, hidden_splits))

        tk.dhidden_kernel[grid](h, weight, bias_arg, target[lo:hi], row_max[lo:hi], log_sum[lo:hi], g[lo:hi], buf,
                                **args, **_meta())
    return dh


def _dweight(hidden, weight, target, bias, row_max, log_sum, g, need_dw, need_db, accumulate, scratch_rows):
    """dweight and/or dbias by vocabulary chunks; targets are shifted into each chunk's numbering.
    Without dweight (a trainable bias on a frozen head) one pass sums dbias alone."""
    dw = torch.empty_like(weight) if need_dw else None
    db32 = torch.empty(weight.shape[0], dtype=torch.float32, device=weight.device) if need_db else None
    chunks = _accumulator_chunks(dw, accumulate, scratch_rows) if need_dw else [(0, weight.shape[0], log_sum)]
    for lo, hi, buf in chunks:
        w, b = weight[lo:hi], (None if bias is None else bias[lo:hi])
        args = _common(hidden, w, b)
        grid = lambda meta, rows=hi - lo: (triton.cdiv(rows, meta["BLOCK_V"]),)  # noqa: E731
        tk.dweight_kernel[grid](
            hidden, w, b if b is not None else hidden, target - lo if lo else target, row_max, log_sum, g, buf,
            db32[lo:hi] if need_db else log_sum, COMPUTE_DW=need_dw, COMPUTE_DB=need_db, **args, **_meta(),
        )
    return dw, db32


def triton_backward(hidden, weight, target, bias, row_max, log_sum, g, need_dh, need_dw, need_db,
                    hidden_splits=None, accumulate="fp32", scratch_rows=None):
    """Gradients in the inputs' dtypes.  ``accumulate="fp32"`` sums in fp32 (through a chunked
    scratch for bf16/fp16); ``"output"`` sums straight into the bf16/fp16 gradient, rounding once
    per block, with no scratch at all."""
    rows = scratch_rows or default_scratch_rows(hidden.device)
    dh = dw = db = None
    if need_dh:
        dh = _dhidden(hidden, weight, target, bias, row_max, log_sum, g, hidden_splits, accumulate, rows)
    if need_dw or need_db:
        dw, db32 = _dweight(hidden, weight, target, bias, row_max, log_sum, g, need_dw, need_db, accumulate, rows)
        db = db32.to(bias.dtype) if need_db else None
    return dh, dw, db


class TritonTokenLogprobs(torch.autograd.Function):
    """Rows must all be valid; the caller removes ignored rows before anything runs."""

    @staticmethod
    def forward(ctx, hidden, weight, target, bias, vocab_splits, hidden_splits, accumulate, scratch_rows):  # type: ignore[override]
        hidden, weight = hidden.contiguous(), weight.contiguous()
        target = target.contiguous()
        if hidden.shape[0] == 0:
            logp = torch.zeros(0, dtype=torch.float32, device=hidden.device)
            row_max = log_sum = logp
        else:
            logp, row_max, log_sum = triton_forward(hidden, weight, target, bias, vocab_splits)
        ctx.save_for_backward(hidden, weight, target, bias, row_max, log_sum)
        ctx.knobs = (hidden_splits, accumulate, scratch_rows)
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
                need_dh, need_dw, need_db, *ctx.knobs,
            )
        return dh, dw, None, db, None, None, None, None
