"""The ways of computing per-token log-probs that ``loss_bench.py`` compares, on identical work.

Every variant is ``f(hidden[N,H], weight[V,H], target[N]) -> logp[N]`` and is differentiated with a
per-token upstream gradient, as the sequence-level unlearning objectives do.

* ``ours``: ``fused_token_logprobs`` (Triton on CUDA), gradients accumulated in fp32.
* ``ours_bf16acc``: the same kernels summing straight into the bf16 gradients (``accumulate="output"``),
  the accumulation Liger and CCE use by default: their memory, our determinism.
* ``eager``: what Hugging Face causal LMs compute: full logits upcast to fp32, cross-entropy per token.
* ``compiled``: that eager loss under ``torch.compile``.
* ``liger`` / ``liger_fp32acc``: Liger-Kernel's fused linear cross-entropy, ``reduction="none"``; the
  second with ``accum_dtype=torch.float32``.
* ``cce`` / ``cce_nofilter``: Apple's Cut Cross-Entropy ``linear_cross_entropy``, ``reduction="none"``;
  its default skips gradient blocks below a bf16-sized threshold (``filter_eps``), the second computes
  every block, as all other variants do.
"""
from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

LogpFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
CUDA_VARIANTS = ("ours", "ours_bf16acc", "eager", "compiled", "liger", "liger_fp32acc", "cce", "cce_nofilter")
CPU_VARIANTS = ("eager", "chunked")


class Unavailable(Exception):
    """A variant that cannot run here (package not installed, an option this version lacks, ...)."""


def _unavailable(package: str, exc: ImportError) -> Unavailable:
    """"not installed" only when the package itself is missing; a broken import says what broke."""
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] == package:
        return Unavailable("not installed")
    return Unavailable(f"import failed: {type(exc).__name__}: {exc}")


def eager_logp(hidden: torch.Tensor, weight: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """What HF causal LMs do: full logits, upcast to fp32, cross-entropy per token."""
    logits = (hidden @ weight.t()).float()
    return -F.cross_entropy(logits, target, reduction="none")


_COMPILED: dict[str, Callable] = {}


def _liger(**options) -> LogpFn:
    try:
        from liger_kernel.transformers.functional import liger_fused_linear_cross_entropy
    except ImportError as exc:
        raise _unavailable("liger_kernel", exc) from exc

    def liger(h, w, t):
        try:
            out = liger_fused_linear_cross_entropy(h, w, t, reduction="none", **options)
        except TypeError as exc:  # an older release without the option
            raise Unavailable(f"this Liger-Kernel rejects {options}: {exc}") from exc
        loss = out[0] if isinstance(out, tuple) else out
        if loss.shape != t.shape:
            raise Unavailable(f"reduction='none' returned shape {tuple(loss.shape)}")
        return -loss

    return liger


def _cce(**options) -> LogpFn:
    try:
        from cut_cross_entropy import linear_cross_entropy
    except ImportError as exc:
        raise _unavailable("cut_cross_entropy", exc) from exc
    return lambda h, w, t: -linear_cross_entropy(h, w, t, reduction="none", **options)


def logp_fn(variant: str) -> LogpFn:
    """``f(hidden, weight, target) -> logp[N]`` for a variant; raises Unavailable."""
    from apimigrate.kernels import fused_token_logprobs

    if variant == "ours":
        return lambda h, w, t: fused_token_logprobs(h, w, t, impl="auto")
    if variant == "ours_bf16acc":
        return lambda h, w, t: fused_token_logprobs(h, w, t, impl="auto", accumulate="output")
    if variant == "chunked":
        return lambda h, w, t: fused_token_logprobs(h, w, t, impl="chunked")
    if variant == "eager":
        return eager_logp
    if variant == "compiled":
        if "eager" not in _COMPILED:
            _COMPILED["eager"] = torch.compile(eager_logp, dynamic=False)
        return _COMPILED["eager"]
    if variant == "liger":
        return _liger()
    if variant == "liger_fp32acc":
        return _liger(accum_dtype=torch.float32)
    if variant == "cce":
        return _cce()
    if variant == "cce_nofilter":
        return _cce(filter_eps=None)
    raise ValueError(f"unknown variant {variant!r}")


def make_inputs(n: int, h: int, v: int, dtype: torch.dtype, device: str, dweight: bool, seed: int = 0):
    """hidden, weight, target, upstream: the same numbers for every variant of a case."""
    g = torch.Generator(device=device).manual_seed(seed)
    hidden = torch.randn(n, h, generator=g, device=device, dtype=torch.float32).to(dtype).requires_grad_()
    weight = torch.randn(v, h, generator=g, device=device, dtype=torch.float32).mul_(h**-0.5).to(dtype)
    weight.requires_grad_(dweight)
    target = torch.randint(0, v, (n,), generator=g, device=device)
    upstream = torch.randn(n, generator=g, device=device, dtype=torch.float32)
    return hidden, weight, target, upstream


def make_step(fn: LogpFn, hidden, weight, target, upstream) -> Callable[[], torch.Tensor]:
    """One forward + backward; gradients from the previous call are dropped first."""

    def step() -> torch.Tensor:
        hidden.grad = None
        weight.grad = None
        logp = fn(hidden, weight, target)
        logp.backward(upstream)
        return logp.detach()

    return step


def useful_flops(n: int, h: int, v: int, dweight: bool) -> int:
    """The lm-head work any method must do: 2NHV forward, 2NHV dhidden, 2NHV dweight."""
    return 2 * n * h * v * (3 if dweight else 2)


def reference_grads(hidden, weight, target, upstream) -> dict[str, torch.Tensor | None]:
    """fp32 log-probs and gradients of the same (rounded) inputs: the yardstick for accuracy.

    Computed with the chunked path on fp32 copies, so it needs no ``[N, V]`` logits either.
    """
    from apimigrate.kernels import fused_token_logprobs

    h = hidden.detach().float().requires_grad_()
    w = weight.detach().float().requires_grad_(weight.requires_grad)
    logp = fused_token_logprobs(h, w, target, impl="chunked", row_chunk=4096, vocab_chunk=16384)
    logp.backward(upstream)
    return {"logp": logp.detach(), "dhidden": h.grad, "dweight": w.grad}


def accuracy(logp: torch.Tensor, hidden, weight, ref: dict) -> dict[str, float | None]:
    """Max |logp error| and relative Frobenius errors of the gradients against ``reference_grads``."""

    def rel(got, want):
        if got is None or want is None:
            return None
        return float((got.float() - want).norm() / want.norm().clamp_min(1e-30))

    return {
        "logp_max_abs_err": float((logp.float() - ref["logp"]).abs().max()) if logp.numel() else 0.0,
        "dhidden_rel_err": rel(hidden.grad, ref["dhidden"]),
        "dweight_rel_err": rel(weight.grad, ref["dweight"]),
    }
