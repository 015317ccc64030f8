"""``fused_token_logprobs``: one contract, three implementations (triton, chunked, reference)."""
from __future__ import annotations

from typing import Literal

import torch

from .chunked import DEFAULT_ROW_CHUNK, DEFAULT_VOCAB_CHUNK, ChunkedTokenLogprobs
from .reference import reference_token_logprobs

Impl = Literal["auto", "triton", "chunked", "reference"]
IMPLS = ("auto", "triton", "chunked", "reference")
Accumulate = Literal["fp32", "output"]
ACCUMULATE = ("fp32", "output")


def triton_available() -> bool:
    """True when Triton imports; the interpreter (``TRITON_INTERPRET=1``) also runs on CPU tensors."""
    try:
        import triton  # noqa: F401
    except ImportError:
        return False
    return True


def _resolve(impl: str, hidden: torch.Tensor) -> str:
    if impl not in IMPLS:
        raise ValueError(f"impl must be one of {IMPLS}, got {impl!r}")
    if impl == "auto":
        return "triton" if hidden.is_cuda and triton_available() else "chunked"
    return impl


def _check(hidden: torch.Tensor, weight: torch.Tensor, target: torch.Tensor, bias: torch.Tensor | None) -> None:
    if hidden.dim() != 2 or weight.dim() != 2 or target.dim() != 1:
        raise ValueError(
            f"expected hidden[N,H], weight[V,H], target[N]; got {tuple(hidden.shape)}, "
            f"{tuple(weight.shape)}, {tuple(target.shape)}"
        )
    if hidden.shape[1] != weight.shape[1] or hidden.shape[0] != target.shape[0]:
        raise ValueError(
            f"shape mismatch: hidden {tuple(hidden.shape)}, weight {tuple(weight.shape)}, target {tuple(target.shape)}"
        )
    if bias is not None and bias.shape != (weight.shape[0],):
        raise ValueError(f"bias must be [V]={weight.shape[0]}, got {tuple(bias.shape)}")
    if target.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"target must be int64 or int32, got {target.dtype}")


def fused_token_logprobs(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    target: torch.Tensor,
    *,
    ignore_index: int = -100,
    bias: torch.Tensor | None = None,
    impl: Impl = "auto",
    vocab_splits: int | None = None,
    hidden_splits: int | None = None,
    row_chunk: int = DEFAULT_ROW_CHUNK,
    vocab_chunk: int = DEFAULT_VOCAB_CHUNK,
    accumulate: Accumulate = "fp32",
    scratch_rows: int | None = None,
) -> torch.Tensor:
    """``logp[i] = log_softmax(hidden[i] @ weight.T + bias)[target[i]]`` in fp32, 0 where ignored.

    Never builds the ``[N, V]`` logits (except ``impl="reference"``, which is for tests).
    Differentiable w.r.t. ``hidden`` and, only when they require grad, ``weight`` and ``bias``: a
    frozen lm-head costs no ``dweight`` work.  ``impl="auto"`` is Triton on CUDA, chunked otherwise.
    ``vocab_splits``/``hidden_splits`` (Triton) and ``row_chunk``/``vocab_chunk`` (chunked) override
    the work partitioning; defaults are tuned heuristics, the knobs exist for tests and benchmarks.

    ``accumulate`` (Triton, bf16/fp16 inputs): ``"fp32"`` sums the gradients in fp32 through a scratch
    of ``scratch_rows`` rows (default: two waves of tiles on the GPU), rounding once at the end;
    ``"output"`` sums straight into the bf16/fp16 gradients (one rounding per block, no scratch:
    the memory of kernels that accumulate in the output dtype, deterministic all the same).  The
    chunked path always accumulates in fp32.
    """
    _check(hidden, weight, target, bias)
    if accumulate not in ACCUMULATE:
        raise ValueError(f"accumulate must be one of {ACCUMULATE}, got {accumulate!r}")
    which = _resolve(impl, hidden)
    if which == "reference":
        return reference_token_logprobs(hidden, weight, target, ignore_index=ignore_index, bias=bias)

    n, vocab = target.shape[0], weight.shape[0]
    keep = target != ignore_index
    all_kept = bool(keep.all())
    # Ignored rows are removed before any kernel runs; a full batch is passed through uncopied.
    idx = None if all_kept else keep.nonzero().squeeze(1)
    h = hidden if idx is None else hidden.index_select(0, idx)
    t = (target if idx is None else target.index_select(0, idx)).long()
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= vocab):
        raise ValueError(f"target out of range [0, {vocab}) (ignore_index={ignore_index})")

    if which == "triton":
        from .triton_autograd import TritonTokenLogprobs  # lazy: Triton reads TRITON_INTERPRET at import

        logp = TritonTokenLogprobs.apply(h, weight, t, bias, vocab_splits, hidden_splits, accumulate, scratch_rows)
    else:
        logp = ChunkedTokenLogprobs.apply(h, weight, t, bias, row_chunk, vocab_chunk)
    if idx is None:
        return logp
    return torch.zeros(n, dtype=torch.float32, device=hidden.device).index_copy(0, idx, logp)
