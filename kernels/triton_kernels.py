"""Triton kernels for fused linear + token log-prob (forward, dhidden, dweight).

Importing this module defines the kernels; Triton decides *at definition time* whether they run
compiled or on its CPU interpreter (``TRITON_INTERPRET=1``, read through ``triton.knobs`` when a
``@triton.jit`` decorator runs).  So the variable must be set before the first import of this module;
``kernels/__init__`` imports it lazily for that reason.

Layout: ``hidden[N, H]``, ``weight[V, H]`` row-major, ``target[N]`` all valid (ignored rows are
removed by the caller).  Every logits tile ``S[BM, BV]`` is built by a K-loop of ``tl.dot`` with fp32
accumulation and never leaves registers.

Backward, deterministic without atomics: two kernels that each own their outputs.

* ``_dhidden_kernel``: a program owns a row block (and a slice of H when rows are too few to fill the
  GPU), walks every vocabulary block in order, rebuilds ``S``, forms
  ``dlogits = g * (onehot - softmax)`` and adds ``dlogits @ weight[block]`` into its own rows of an fp32
  buffer (read-modify-write; no other program touches those rows, so the sum order is fixed).
* ``_dweight_kernel``: the mirror image, a program owns a vocabulary block and walks row blocks,
  adding ``dlogits.T @ hidden[block]`` into its rows of ``dweight`` and summing ``dbias`` in registers.

Accumulators: the backward kernels add into whatever buffer they are given, summing in fp32 and
storing in that buffer's dtype.  The wrapper passes fp32 scratch (reused in chunks of rows, then
rounded once into the bf16/fp16 gradient) or, with ``accumulate="output"``, the gradient itself.

The price of determinism is that ``S`` is rebuilt once per kernel (and once per H slice), i.e. about
``8 N H V`` FLOPs with ``dweight`` and ``4 N H V`` (+ 2 per extra H slice) without, against CCE's
``6 N H V`` with lock-protected read-modify-write.  The frozen-weight LoRA case never launches
``_dweight_kernel``.
"""
from __future__ import annotations

import os

import triton
import triton.language as tl


def _interpreting() -> bool:
    try:
        from triton import knobs

        return bool(knobs.runtime.interpret)
    except (ImportError, AttributeError):  # older Triton reads the variable directly
        return os.environ.get("TRITON_INTERPRET", "0") == "1"


# Fixed at import, exactly like the decision Triton makes for the @triton.jit below.
INTERPRET = _interpreting()


@triton.jit
def _logits_tile(
    h_ptr, w_ptr, b_ptr, offs_m, offs_v, N, V, H, stride_h, stride_w,
    HAS_BIAS: tl.constexpr, BLOCK_K: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_V: tl.constexpr,
    UPCAST: tl.constexpr, DOT_PRECISION: tl.constexpr,
):
    """S[BM, BV] = hidden[offs_m] @ weight[offs_v].T (+ bias), fp32."""
    acc = tl.zeros((BLOCK_M, BLOCK_V), dtype=tl.float32)
    offs_k = tl.arange(0, BLOCK_K)
    row_ok = offs_m[:, None] < N
    col_ok = offs_v[None, :] < V
    for k0 in range(0, H, BLOCK_K):
        kk = k0 + offs_k
        a = tl.load(h_ptr + offs_m[:, None] * stride_h + kk[None, :], mask=row_ok & (kk[None, :] < H), other=0.0)
        # weight tile loaded transposed ([BK, BV]) so that tl.dot sees K on the inner axis of both.
        b = tl.load(w_ptr + offs_v[None, :] * stride_w + kk[:, None], mask=col_ok & (kk[:, None] < H), other=0.0)
        if UPCAST:  # the interpreter's tl.dot mishandles bf16; real GPUs keep tensor-core inputs
            a = a.to(tl.float32)
            b = b.to(tl.float32)
        acc = tl.dot(a, b, acc, input_precision=DOT_PRECISION)
    if HAS_BIAS:
        acc += tl.load(b_ptr + offs_v, mask=offs_v < V, other=0.0).to(tl.float32)[None, :]
    return acc


@triton.jit
def _forward_kernel(
    h_ptr, w_ptr, b_ptr, t_ptr, max_ptr, sum_ptr, tgt_ptr,
    N, V, H, stride_h, stride_w, v_per_split, N_BUCKET,
    HAS_BIAS: tl.constexpr, UPCAST: tl.constexpr, DOT_PRECISION: tl.constexpr,
    BLOCK_M: tl.constexpr, BLOCK_V: tl.constexpr, BLOCK_K: tl.constexpr,
):
    """Per (row block, vocabulary split): running max, running sum of exp, and the target logit."""
    pid_m = tl.program_id(0)
    pid_s = tl.program_id(1)
    offs_m = (pid_m * BLOCK_M + tl.arange(0, BLOCK_M)).to(tl.int64)
    row_ok = offs_m < N
    tgt = tl.load(t_ptr + offs_m, mask=row_ok, other=-1).to(tl.int64)
    m_i = tl.full((BLOCK_M,), float("-inf"), dtype=tl.float32)
    s_i = tl.zeros((BLOCK_M,), dtype=tl.float32)
    x_t = tl.zeros((BLOCK_M,), dtype=tl.float32)
    v_lo = pid_s * v_per_split
    v_hi = tl.minimum(v_lo + v_per_split, V)
    for v0 in range(v_lo, v_hi, BLOCK_V):
        offs_v = (v0 + tl.arange(0, BLOCK_V)).to(tl.int64)
        s = _logits_tile(h_ptr, w_ptr, b_ptr, offs_m, offs_v, N, V, H, stride_h, stride_w,
                         HAS_BIAS, BLOCK_K, BLOCK_M, BLOCK_V, UPCAST, DOT_PRECISION)
        s = tl.where(offs_v[None, :] < v_hi, s, float("-inf"))
        x_t += tl.sum(tl.where(offs_v[None, :] == tgt[:, None], s, 0.0), axis=1)
        m_new = tl.maximum(m_i, tl.max(s, axis=1))
        s_i = s_i * tl.exp(m_i - m_new) + tl.sum(tl.exp(s - m_new[:, None]), axis=1)
        m_i = m_new
    out = pid_s * N + offs_m
    tl.store(max_ptr + out, m_i, mask=row_ok)
    tl.store(sum_ptr + out, s_i, mask=row_ok)
    tl.store(tgt_ptr + out, x_t, mask=row_ok)


@triton.jit
def _dlogits_tile(s, offs_m, offs_v, tgt, row_max, log_sum, g, N, V):
    """g * (onehot - softmax), zero outside the valid rows/columns.

    ``softmax = exp((s - max) - log_sum)``: the max and the log-sum are kept apart because their sum
    (the log-sum-exp) is only good to ~1e-3 in fp32 when logits are near 2e4, enough to make the
    softmax weights miss summing to 1 by that much.
    """
    ok = (offs_m[:, None] < N) & (offs_v[None, :] < V)
    p = tl.where(ok, tl.exp((s - row_max[:, None]) - log_sum[:, None]), 0.0)
    onehot = tl.where(offs_v[None, :] == tgt[:, None], 1.0, 0.0)
    return g[:, None] * (onehot - p)


@triton.jit
def _contract_into(
    out_ptr, out_rows, out_ok, dl, src_ptr, src_rows, src_ok, stride_src, h_lo, h_hi, out_stride, keep_prev,
    BLOCK_H: tl.constexpr, UPCAST: tl.constexpr, DOT_PRECISION: tl.constexpr,
):
    """out[out_rows, h_lo:h_hi] (+)= dl @ src[src_rows, h_lo:h_hi], one BLOCK_H slice at a time.

    ``out``'s rows belong to this program alone, so the read-modify-write is race-free and its order
    fixed.  The sum is formed in fp32 and stored in ``out``'s dtype: an fp32 buffer accumulates
    exactly (the default), a bf16/fp16 gradient itself rounds once per vocabulary (or row) block,
    which is what buys memory parity with kernels that accumulate in the output dtype.  With
    ``keep_prev`` false (first block) it stores without reading: no zero-fill, and the autotuner may
    rerun the kernel on the same buffer.
    """
    for h0 in range(h_lo, h_hi, BLOCK_H):
        offs_h = h0 + tl.arange(0, BLOCK_H)
        h_ok = offs_h[None, :] < h_hi
        src = tl.load(src_ptr + src_rows[:, None] * stride_src + offs_h[None, :], mask=src_ok[:, None] & h_ok, other=0.0)
        if UPCAST:
            src = src.to(tl.float32)
        part = tl.dot(dl, src, input_precision=DOT_PRECISION)
        ptrs = out_ptr + out_rows[:, None] * out_stride + offs_h[None, :]
        ok = out_ok[:, None] & h_ok
        prev = tl.load(ptrs, mask=ok & keep_prev, other=0.0).to(tl.float32)
        tl.store(ptrs, (prev + part).to(out_ptr.dtype.element_ty), mask=ok)


@triton.jit
def _dhidden_kernel(
    h_ptr, w_ptr, b_ptr, t_ptr, max_ptr, lsum_ptr, g_ptr, dh_ptr,
    N, V, H, stride_h, stride_w, N_BUCKET,
    HAS_BIAS: tl.constexpr, UPCAST: tl.constexpr, DOT_PRECISION: tl.constexpr,
    BLOCK_M: tl.constexpr, BLOCK_V: tl.constexpr, BLOCK_K: tl.constexpr, BLOCK_H: tl.constexpr,
):
    pid_m = tl.program_id(0)
    pid_h = tl.program_id(1)
    n_hs = tl.num_programs(1)
    h_per = tl.cdiv(tl.cdiv(H, n_hs), BLOCK_H) * BLOCK_H
    h_lo = pid_h * h_per
    h_hi = tl.minimum(h_lo + h_per, H)
    offs_m = (pid_m * BLOCK_M + tl.arange(0, BLOCK_M)).to(tl.int64)
    row_ok = offs_m < N
    tgt = tl.load(t_ptr + offs_m, mask=row_ok, other=-1).to(tl.int64)
    row_max = tl.load(max_ptr + offs_m, mask=row_ok, other=0.0)
    log_sum = tl.load(lsum_ptr + offs_m, mask=row_ok, other=0.0)
    g = tl.load(g_ptr + offs_m, mask=row_ok, other=0.0)
    for v0 in range(0, V, BLOCK_V):
        offs_v = (v0 + tl.arange(0, BLOCK_V)).to(tl.int64)
        s = _logits_tile(h_ptr, w_ptr, b_ptr, offs_m, offs_v, N, V, H, stride_h, stride_w,
                         HAS_BIAS, BLOCK_K, BLOCK_M, BLOCK_V, UPCAST, DOT_PRECISION)
        dl = _dlogits_tile(s, offs_m, offs_v, tgt, row_max, log_sum, g, N, V)
        if not UPCAST:
            dl = dl.to(w_ptr.dtype.element_ty)  # tensor-core operand; the sum stays fp32
        _contract_into(dh_ptr, offs_m, row_ok, dl, w_ptr, offs_v, offs_v < V, stride_w, h_lo, h_hi, H, v0 > 0,
                       BLOCK_H, UPCAST, DOT_PRECISION)


@triton.jit
def _dweight_kernel(
    h_ptr, w_ptr, b_ptr, t_ptr, max_ptr, lsum_ptr, g_ptr, dw_ptr, db_ptr,
    N, V, H, stride_h, stride_w, N_BUCKET,
    HAS_BIAS: tl.constexpr, COMPUTE_DW: tl.constexpr, COMPUTE_DB: tl.constexpr,
    UPCAST: tl.constexpr, DOT_PRECISION: tl.constexpr,
    BLOCK_M: tl.constexpr, BLOCK_V: tl.constexpr, BLOCK_K: tl.constexpr, BLOCK_H: tl.constexpr,
):
    pid_v = tl.program_id(0)
    offs_v = (pid_v * BLOCK_V + tl.arange(0, BLOCK_V)).to(tl.int64)
    col_ok = offs_v < V
    db = tl.zeros((BLOCK_V,), dtype=tl.float32)
    for m0 in range(0, N, BLOCK_M):
        offs_m = (m0 + tl.arange(0, BLOCK_M)).to(tl.int64)
        row_ok = offs_m < N
        tgt = tl.load(t_ptr + offs_m, mask=row_ok, other=-1).to(tl.int64)
        row_max = tl.load(max_ptr + offs_m, mask=row_ok, other=0.0)
        log_sum = tl.load(lsum_ptr + offs_m, mask=row_ok, other=0.0)
        g = tl.load(g_ptr + offs_m, mask=row_ok, other=0.0)
        s = _logits_tile(h_ptr, w_ptr, b_ptr, offs_m, offs_v, N, V, H, stride_h, stride_w,
                         HAS_BIAS, BLOCK_K, BLOCK_M, BLOCK_V, UPCAST, DOT_PRECISION)
        dl = _dlogits_tile(s, offs_m, offs_v, tgt, row_max, log_sum, g, N, V)
        if COMPUTE_DB:
            db += tl.sum(dl, axis=0)
        if COMPUTE_DW:
            dlt = tl.trans(dl)
            if not UPCAST:
                dlt = dlt.to(h_ptr.dtype.element_ty)
            _contract_into(dw_ptr, offs_v, col_ok, dlt, h_ptr, offs_m, row_ok, stride_h, 0, H, H, m0 > 0,
                           BLOCK_H, UPCAST, DOT_PRECISION)
    if COMPUTE_DB:
        tl.store(db_ptr + offs_v, db, mask=col_ok)


# Autotune candidates for H100/H200 (K steps of 64 throughout).  Chosen from
# ``python benchmarks/kernel_resources.py --candidates`` (sm_90 builds by Triton 3.9, bf16, both
# accumulator dtypes; benchmarks/results/kernel_resources_sm90_candidates.json): every tile/warps/
# stages combination here builds without register spills and within 227 KiB of shared memory.  The
# 128x256 tiles spill in every kernel, and dweight spills at 4 warps, so neither is offered.
_FORWARD = [(128, 128, None, 8, 3), (128, 128, None, 8, 4), (64, 256, None, 8, 3), (64, 256, None, 8, 4),
            (64, 128, None, 8, 3), (64, 128, None, 8, 4)]
# (BLOCK_M rows, BLOCK_V vocabulary, BLOCK_H slice of the contraction, warps, stages)
_DHIDDEN = [(128, 128, 64, 8, 3), (128, 128, 64, 8, 4), (64, 256, 64, 8, 3), (64, 256, 64, 8, 4),
            (64, 128, 128, 8, 3), (64, 128, 128, 8, 4), (128, 64, 64, 8, 3), (64, 128, 64, 8, 3)]
_DWEIGHT = [(64, 128, 128, 8, 3), (64, 128, 128, 8, 4), (64, 128, 64, 8, 3), (64, 128, 64, 8, 4),
            (128, 64, 128, 8, 3), (128, 64, 64, 8, 3), (64, 64, 128, 8, 3)]
_CONFIGS = {"forward": _FORWARD, "dhidden": _DHIDDEN, "dweight": _DWEIGHT}


def autotune_configs(kernel: str) -> list[triton.Config]:
    """The autotuner's candidates for ``forward``, ``dhidden`` or ``dweight``."""
    configs = []
    for bm, bv, bh, warps, stages in _CONFIGS[kernel]:
        meta = {"BLOCK_M": bm, "BLOCK_V": bv, "BLOCK_K": 64}
        if bh is not None:
            meta["BLOCK_H"] = bh
        configs.append(triton.Config(meta, num_warps=warps, num_stages=stages))
    return configs


# Interpreter runs (tests on CPU) use one small fixed tile set instead of autotuning.
INTERPRETER_META = {"BLOCK_M": 16, "BLOCK_V": 32, "BLOCK_K": 16, "BLOCK_H": 16}
# Vocabulary splits of the forward must start on a multiple of every BLOCK_V in the configs.
MAX_BLOCK_V = max(bv for table in _CONFIGS.values() for _, bv, *_ in table)
_KEY = ["N_BUCKET", "V", "H"]

if INTERPRET:
    forward_kernel = _forward_kernel
    dhidden_kernel = _dhidden_kernel
    dweight_kernel = _dweight_kernel
else:  # pragma: no cover - needs a GPU
    forward_kernel = triton.autotune(autotune_configs("forward"), key=_KEY)(_forward_kernel)
    dhidden_kernel = triton.autotune(autotune_configs("dhidden"), key=_KEY)(_dhidden_kernel)
    dweight_kernel = triton.autotune(autotune_configs("dweight"), key=_KEY)(_dweight_kernel)
