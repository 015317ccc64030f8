"""Fused linear + token-masked log-prob loss (``apimigrate.kernels``).

``fused_token_logprobs(hidden[N,H], weight[V,H], target[N]) -> logp[N]`` without the ``[N, V]``
logits.  The Triton module is imported lazily, on first use, because Triton decides between compiled
kernels and its CPU interpreter (``TRITON_INTERPRET=1``) when the kernels are defined.
"""
from .api import IMPLS, fused_token_logprobs, triton_available
from .chunked import chunked_token_logprobs
from .reference import reference_token_logprobs

__all__ = [
    "IMPLS",
    "chunked_token_logprobs",
    "fused_token_logprobs",
    "reference_token_logprobs",
    "triton_available",
]
