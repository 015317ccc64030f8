"""The compiled Triton kernels at the sizes they are for (bf16, H up to 4096, V up to 151,936).

Skipped without CUDA; on a GPU machine: ``python -m pytest -m gpu tests/test_kernels_gpu.py``.
The yardstick is the chunked path on fp32 copies of the same bf16 inputs (no ``[N, V]`` logits).
"""
from __future__ import annotations

import pytest
import torch

from apimigrate.kernels import fused_token_logprobs

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA"),
]

MIB = 1 << 20


def _inputs(n, h, v, *, frozen, seed=0):
    g = torch.Generator(device="cuda").manual_seed(seed)
    hidden = torch.randn(n, h, generator=g, device="cuda").bfloat16().requires_grad_()
    weight = (torch.randn(v, h, generator=g, device="cuda") * h**-0.5).bfloat16().requires_grad_(not frozen)
    target = torch.randint(0, v, (n,), generator=g, device="cuda")
    target[1::7] = -100  # ignored rows, but never the only row
    upstream = torch.randn(n, generator=g, device="cuda")
    return hidden, weight, target, upstream


def _grads(hidden, weight, target, upstream, **kw):
    hidden.grad = weight.grad = None
    out = fused_token_logprobs(hidden, weight, target, **kw)
    out.backward(upstream)
    return out.detach(), hidden.grad, weight.grad


def _fp32_yardstick(hidden, weight, target, upstream):
    h = hidden.detach().float().requires_grad_()
    w = weight.detach().float().requires_grad_(weight.requires_grad)
    return _grads(h, w, target, upstream, impl="chunked", row_chunk=4096, vocab_chunk=16384)


def _rel(a, b):
    return float((a.float() - b).norm() / b.norm().clamp_min(1e-30))


@pytest.mark.parametrize("shape", [(4096, 4096, 151936), (4097, 2048, 32256), (1, 4096, 151936)], ids=str)
@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "dweight"])
def test_triton_bf16_matches_fp32_at_real_sizes(shape, frozen):
    hidden, weight, target, upstream = _inputs(*shape, frozen=frozen)
    ref = _fp32_yardstick(hidden, weight, target, upstream)
    out, dh, dw = _grads(hidden, weight, target, upstream, impl="triton")
    # Same bf16 products, fp32 sums in another order: log-probs agree to fp32 noise of |logits| ~ 5.
    torch.testing.assert_close(out, ref[0], atol=2e-3, rtol=0)
    # fp32 accumulation, one rounding to bf16 at the end: about bf16's unit roundoff, norm-wise.
    assert _rel(dh, ref[1]) < 8e-3
    if not frozen:
        assert _rel(dw, ref[2]) < 8e-3
    else:
        assert dw is None


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "dweight"])
def test_triton_is_bitwise_deterministic_at_real_size(frozen):
    hidden, weight, target, upstream = _inputs(8192, 4096, 151936, frozen=frozen)
    first = [t.clone() if t is not None else None for t in _grads(hidden, weight, target, upstream, impl="triton")]
    second = _grads(hidden, weight, target, upstream, impl="triton")
    for a, b in zip(first, second):
        assert (a is None and b is None) or torch.equal(a, b)


@pytest.mark.parametrize("accumulate", ["fp32", "output"])
def test_backward_memory_follows_the_accumulation_model(accumulate):
    """Peak during backward above what forward left: the gradients, plus (fp32 mode) one scratch chunk."""
    n, h, v = 16384, 4096, 151936
    hidden, weight, target, upstream = _inputs(n, h, v, frozen=False)
    rows = 16896
    out = fused_token_logprobs(hidden, weight, target, impl="triton", accumulate=accumulate, scratch_rows=rows)
    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    out.backward(upstream)
    torch.cuda.synchronize()
    extra = torch.cuda.max_memory_allocated() - base
    grads = 2 * (n * h + v * h)
    scratch = 4 * rows * h if accumulate == "fp32" else 0
    small = 64 * MIB  # targets, per-row statistics, allocator rounding
    assert extra <= grads + scratch + small, f"{extra / MIB:.0f} MiB > model {(grads + scratch) / MIB:.0f} MiB"


def test_output_accumulation_error_is_bounded_and_reported():
    hidden, weight, target, upstream = _inputs(4096, 4096, 151936, frozen=False)
    ref = _fp32_yardstick(hidden, weight, target, upstream)
    _, dh, dw = _grads(hidden, weight, target, upstream, impl="triton", accumulate="output")
    err_h, err_w = _rel(dh, ref[1]), _rel(dw, ref[2])
    print(f"bf16 accumulation: dhidden rel err {err_h:.2e}, dweight rel err {err_w:.2e}")
    assert err_h < 0.1 and err_w < 0.1


@pytest.mark.parametrize("splits", [dict(vocab_splits=1, hidden_splits=1), dict(vocab_splits=7, hidden_splits=3)], ids=str)
def test_work_partitioning_does_not_change_results_beyond_rounding(splits):
    hidden, weight, target, upstream = _inputs(2048, 4096, 151936, frozen=True)
    default = _grads(hidden, weight, target, upstream, impl="triton")
    forced = _grads(hidden, weight, target, upstream, impl="triton", **splits)
    torch.testing.assert_close(forced[0], default[0], atol=1e-4, rtol=0)
    assert _rel(forced[1], default[1].float()) < 1e-2
