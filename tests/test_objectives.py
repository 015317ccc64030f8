"""Unlearning objectives through the fused loss against the same formulas on full float64 logits.

The oracle below is written independently of ``apimigrate.unlearn.objectives``: padded ``[B, T]``
masks, ``log_softmax`` of the whole ``hidden @ weight.T`` in float64, ``log(sigmoid(.))`` and masked
means.  The objectives run on ``fused_token_logprobs`` (chunked, and Triton on its CPU interpreter)
over the selected tokens only.  Inputs and coefficients are drawn fresh each run; the seed is printed
and ``OBJECTIVE_TEST_SEED=<n>`` replays a run.
"""
from __future__ import annotations

import os

if not os.path.exists("/dev/nvidia0") and not os.environ.get("CUDA_VISIBLE_DEVICES", "").strip():
    os.environ.setdefault("TRITON_INTERPRET", "1")  # before anything imports the Triton kernels

import random

import pytest
import torch
import torch.nn.functional as F

from apimigrate.kernels import fused_token_logprobs
from apimigrate.unlearn.objectives import Segments, cure, ga, masked_ce, npo, simnpo
from fresh_seed import fresh_rng

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
IGNORE = -100
B, T, H, V = 5, 7, 16, 37  # V is not a multiple of any Triton block
IMPLS = ["chunked", "triton"]


@pytest.fixture
def rng(request) -> random.Random:
    return fresh_rng(request, "OBJECTIVE_TEST_SEED")


def _skip_without_triton(impl: str) -> None:
    if impl != "triton":
        return
    try:
        from apimigrate.kernels import triton_kernels
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"triton not importable: {exc}")
    if not triton_kernels.INTERPRET and DEVICE != "cuda":
        pytest.skip("Triton was imported without TRITON_INTERPRET=1 and there is no GPU")


# ---------------------------------------------------------------- problem and oracle


class Batch:
    """One side of the data: hidden[B,T,H] (leaf), labels[B,T], mask[B,T] of the selected tokens."""

    def __init__(self, b: int, dtype: torch.dtype, *, empty_rows: tuple[int, ...] = (), density: float = 0.5):
        self.hidden = (torch.randn(b, T, H, device=DEVICE) * 0.7).to(dtype).requires_grad_()
        self.labels = torch.randint(0, V, (b, T), device=DEVICE)
        mask = torch.rand(b, T, device=DEVICE) < density
        mask[:, 0] |= True  # every row has a token ...
        mask[list(empty_rows)] = False  # ... except the ones a test wants empty
        self.mask = mask

    def fused_logp(self, weight: torch.Tensor, impl: str, layout: str = "gather") -> torch.Tensor:
        """logp of the selected tokens, in ``x[mask]`` order."""
        if layout == "gather":
            return fused_token_logprobs(self.hidden[self.mask], weight, self.labels[self.mask], impl=impl, **_small(impl))
        # the other way in: everything flattened, unselected tokens marked ignore_index
        labels = self.labels.masked_fill(~self.mask, IGNORE).reshape(-1)
        out = fused_token_logprobs(self.hidden.reshape(-1, H), weight, labels, impl=impl, **_small(impl))
        return out[self.mask.reshape(-1)]

    def oracle_logp(self, weight64: torch.Tensor) -> torch.Tensor:
        """[B, T] float64 log-probs of every label from the full logits."""
        logits = self.hidden.double() @ weight64.t()
        return torch.log_softmax(logits, -1).gather(-1, self.labels.unsqueeze(-1)).squeeze(-1)

    def oracle_sum_mean(self, lp: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        m = self.mask.double()
        total = (lp * m).sum(1)
        count = m.sum(1)
        return total, total / count.clamp_min(1), count > 0


def _small(impl: str) -> dict:
    # chunk sizes that do not divide the problem, so the chunked path crosses its block edges
    return dict(row_chunk=4, vocab_chunk=8) if impl == "chunked" else {}


def _weight(dtype, frozen: bool) -> torch.Tensor:
    return (torch.randn(V, H, device=DEVICE) * 0.8).to(dtype).requires_grad_(not frozen)


def _log_sigmoid(z: torch.Tensor) -> torch.Tensor:
    return torch.log(torch.sigmoid(z))


def _defined_mean(values: torch.Tensor, defined: torch.Tensor) -> torch.Tensor:
    if not defined.any():
        return values.new_zeros(())
    return values[defined].mean()


def _oracle_reduce(values: torch.Tensor, defined: torch.Tensor, reduction: str) -> torch.Tensor:
    """Mean over the sequences where a term is defined, or per sequence with 0 where it is not."""
    return _defined_mean(values, defined) if reduction == "mean" else torch.where(defined, values, 0.0)


def _coefficients(rng: random.Random) -> dict:
    beta = rng.uniform(0.3, 3.0)
    # Mean log-probs here are about -5; γ ≈ 5β keeps σ(-βℓ⁻ - γ) away from saturation, where the
    # gradients would vanish and the comparison prove little.
    return dict(
        beta=beta, gamma=5.0 * beta + rng.uniform(-1.5, 1.5), alpha=rng.uniform(0.3, 2.0),
        beta_c=rng.uniform(0.3, 2.0), lambda_pos=rng.uniform(0.05, 1.0), lambda_retain=rng.uniform(0.3, 2.0),
    )


def _grads(loss: torch.Tensor, leaves: list[torch.Tensor]) -> list[torch.Tensor | None]:
    live = [t for t in leaves if t.requires_grad]
    got = iter(torch.autograd.grad(loss, live, allow_unused=True))
    return [next(got) if t.requires_grad else None for t in leaves]


def _assert_matches(loss, oracle, leaves, *, tol: float, nontrivial: bool = True) -> None:
    """Value and every gradient of ``loss`` equal those of the float64 ``oracle``."""
    assert loss.shape == oracle.shape
    torch.testing.assert_close(loss.double(), oracle.detach(), atol=tol, rtol=tol)
    if loss.dim():  # per-sequence losses: compare the gradients of a random projection
        u = torch.randn(loss.shape, dtype=torch.float64, device=loss.device)
        loss, oracle = (loss.double() * u).sum(), (oracle * u).sum()
    got, want = _grads(loss, leaves), _grads(oracle, leaves)
    scale = max(float(w.abs().max()) for w in want if w is not None)
    if nontrivial:  # a comparison of (near) zeros with zeros would prove nothing
        assert scale > 1e-3, f"gradients too small to compare: {scale}"
    for i, (g, w) in enumerate(zip(got, want)):
        if w is None:
            assert g is None, f"leaf {i} frozen but got a gradient"
            continue
        g = torch.zeros_like(w) if g is None else g
        torch.testing.assert_close(
            g.double(), w.double(), atol=tol * max(scale, 1.0), rtol=10 * tol, msg=lambda m, i=i: f"leaf {i}: {m}"
        )


TOL = {torch.float32: 2e-5, torch.float16: 2e-3}
CASES = [(impl, torch.float32, frozen) for impl in IMPLS for frozen in (False, True)]
CASES += [(impl, torch.float16, False) for impl in IMPLS]


def _case_id(case) -> str:
    impl, dtype, frozen = case
    return f"{impl}-{str(dtype).split('.')[-1]}-{'frozen' if frozen else 'dweight'}"


# ---------------------------------------------------------------- each objective vs the oracle


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_ga(rng, case, reduction):
    impl, dtype, frozen = case
    _skip_without_triton(impl)
    neg, weight = Batch(B, dtype, empty_rows=(1,)), _weight(dtype, frozen)
    loss = ga(neg.fused_logp(weight, impl), Segments.from_mask(neg.mask), reduction=reduction)
    _, l_neg, defined = neg.oracle_sum_mean(neg.oracle_logp(weight.double()))
    oracle = _oracle_reduce(l_neg, defined, reduction)
    _assert_matches(loss, oracle, [neg.hidden, weight], tol=TOL[dtype])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_npo(rng, case, reduction):
    impl, dtype, frozen = case
    _skip_without_triton(impl)
    beta = _coefficients(rng)["beta"]
    neg, weight = Batch(B, dtype, empty_rows=(2,)), _weight(dtype, frozen)
    ref_weight = (weight.detach().float() + 0.3 * torch.randn(V, H, device=DEVICE)).to(dtype)
    with torch.no_grad():  # the reference model: same tokens, other weights
        ref_logp = neg.fused_logp(ref_weight, impl)
    loss = npo(neg.fused_logp(weight, impl), ref_logp, Segments.from_mask(neg.mask), beta=beta, reduction=reduction)

    s_theta, _, defined = neg.oracle_sum_mean(neg.oracle_logp(weight.double()))
    s_ref, _, _ = neg.oracle_sum_mean(neg.oracle_logp(ref_weight.double()).detach())
    per_seq = -(2 / beta) * _log_sigmoid(-beta * (s_theta - s_ref))
    oracle = _oracle_reduce(per_seq, defined, reduction)
    _assert_matches(loss, oracle, [neg.hidden, weight], tol=TOL[dtype])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("layout", ["gather", "ignore_index"])
def test_simnpo(rng, case, layout):
    impl, dtype, frozen = case
    _skip_without_triton(impl)
    c = _coefficients(rng)
    neg, weight = Batch(B, dtype, empty_rows=(0, 3)), _weight(dtype, frozen)
    _, l_neg, defined = neg.oracle_sum_mean(neg.oracle_logp(weight.double()))
    # γ near -β·ℓ⁻ of this very batch: its mean log-probs range from about -4 to -10, and a γ drawn
    # for -5 alone can saturate σ, leaving gradients too small to compare (seed 163258771)
    c["gamma"] = -c["beta"] * float(l_neg[defined].mean().detach()) + rng.uniform(-1.5, 1.5)
    logp = neg.fused_logp(weight, impl, layout)
    loss = simnpo(logp, Segments.from_mask(neg.mask), beta=c["beta"], gamma=c["gamma"])
    oracle = _defined_mean(-(2 / c["beta"]) * _log_sigmoid(-c["beta"] * l_neg - c["gamma"]), defined)
    _assert_matches(loss, oracle, [neg.hidden, weight], tol=TOL[dtype])


def _cure_oracle(neg: Batch, pos: Batch, retain: Batch | None, weight64: torch.Tensor, c: dict, reduction: str):
    _, l_neg, has_neg = neg.oracle_sum_mean(neg.oracle_logp(weight64))
    _, l_pos, has_pos = pos.oracle_sum_mean(pos.oracle_logp(weight64))
    forget = -(2 / c["beta"]) * _log_sigmoid(-c["beta"] * l_neg - c["gamma"])
    prefer = -c["alpha"] * _log_sigmoid(c["beta_c"] * (l_pos - l_neg))
    raise_pos = -c["lambda_pos"] * l_pos
    terms = [(forget, has_neg), (prefer, has_neg & has_pos), (raise_pos, has_pos)]
    loss = sum(_oracle_reduce(v, d, reduction) for v, d in terms)
    if reduction == "none":
        return loss
    if retain is not None:
        lp = retain.oracle_logp(weight64)
        loss = loss + c["lambda_retain"] * -(lp[retain.mask].mean() if retain.mask.any() else lp.sum() * 0)
    return loss


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("variant", ["retain", "no_retain", "none"])
def test_cure(rng, case, variant):
    """Pair 1 has no deprecated tokens, pair 3 no replacement tokens: each term skips what it lacks."""
    impl, dtype, frozen = case
    _skip_without_triton(impl)
    c = _coefficients(rng)
    weight = _weight(dtype, frozen)
    neg, pos = Batch(B, dtype, empty_rows=(1,)), Batch(B, dtype, empty_rows=(3,))
    retain = Batch(3, dtype, density=0.8) if variant == "retain" else None
    reduction = "none" if variant == "none" else "mean"
    loss = cure(
        neg.fused_logp(weight, impl), Segments.from_mask(neg.mask),
        pos.fused_logp(weight, impl), Segments.from_mask(pos.mask),
        retain_logp=None if retain is None else retain.fused_logp(weight, impl),
        reduction=reduction, **c,
    )
    oracle = _cure_oracle(neg, pos, retain, weight.double(), c, reduction)
    leaves = [neg.hidden, pos.hidden, weight] + ([retain.hidden] if retain is not None else [])
    _assert_matches(loss, oracle, leaves, tol=TOL[dtype])


@pytest.mark.parametrize("impl", IMPLS)
def test_masked_ce_is_cross_entropy(rng, impl):
    """Against torch's own cross-entropy with ignore_index on the full logits."""
    _skip_without_triton(impl)
    retain, weight = Batch(B, torch.float32, empty_rows=(2,)), _weight(torch.float32, False)
    loss = masked_ce(retain.fused_logp(weight, impl, "ignore_index"))
    labels = retain.labels.masked_fill(~retain.mask, IGNORE)
    oracle = F.cross_entropy((retain.hidden.double() @ weight.double().t()).reshape(-1, V), labels.reshape(-1))
    _assert_matches(loss, oracle, [retain.hidden, weight], tol=TOL[torch.float32])


# ---------------------------------------------------------------- edge cases


@pytest.mark.parametrize("impl", IMPLS)
def test_nothing_selected_anywhere(rng, impl):
    """No token selected in any sequence: every objective is 0, finite, and its gradients are 0."""
    _skip_without_triton(impl)
    weight = _weight(torch.float32, False)
    neg = Batch(3, torch.float32, empty_rows=(0, 1, 2))
    seg = Segments.from_mask(neg.mask)
    logp = neg.fused_logp(weight, impl)
    assert logp.shape == (0,)
    losses = {
        "ga": ga(logp, seg),
        "npo": npo(logp, logp.detach(), seg),
        "simnpo": simnpo(logp, seg, gamma=0.7),
        "cure": cure(logp, seg, logp, seg, retain_logp=logp),
        "masked_ce": masked_ce(logp),
    }
    for name, loss in losses.items():
        assert loss.shape == () and float(loss.detach()) == 0.0, name
        dh, dw = torch.autograd.grad(loss, [neg.hidden, weight], allow_unused=True, retain_graph=True)
        for g in (dh, dw):
            assert g is None or (g == 0).all(), name
    none = ga(logp, seg, reduction="none")
    assert none.shape == (3,) and (none == 0).all()


def test_single_sequence_single_token(rng):
    """B=1, one token: ℓ⁻ is that token's log-prob and simnpo is the closed form of it."""
    neg, weight = Batch(1, torch.float32, density=0.0), _weight(torch.float32, False)
    assert int(neg.mask.sum()) == 1
    seg = Segments.from_mask(neg.mask)
    logp = neg.fused_logp(weight, "chunked")
    torch.testing.assert_close(ga(logp, seg), logp[0])
    beta, gamma = 1.7, 0.4
    want = -(2 / beta) * F.logsigmoid(-beta * logp[0] - gamma)
    torch.testing.assert_close(simnpo(logp, seg, beta=beta, gamma=gamma), want)


def test_npo_at_the_reference_is_log2(rng):
    """θ = ref: every sequence's NPO loss is (2/β)·log 2, and its gradient is that of Σ log πθ."""
    neg, weight = Batch(B, torch.float32), _weight(torch.float32, False)
    seg = Segments.from_mask(neg.mask)
    logp = neg.fused_logp(weight, "chunked")
    beta = 0.37
    per_seq = npo(logp, logp.detach(), seg, beta=beta, reduction="none")
    torch.testing.assert_close(per_seq, torch.full((B,), 2 / beta * torch.log(torch.tensor(2.0)).item()))
    g_npo = torch.autograd.grad(per_seq.sum(), weight, retain_graph=True)[0]
    g_sum = torch.autograd.grad(logp.sum(), weight)[0]
    torch.testing.assert_close(g_npo, g_sum)


def test_segments_reductions_and_order():
    mask = torch.tensor([[True, False, True], [False, False, False], [False, True, True]])
    seg = Segments.from_mask(mask)
    assert seg.index.tolist() == [0, 0, 2, 2] and seg.num_segments == 3
    x = torch.tensor([1.0, 3.0, -2.0, 6.0], requires_grad=True)
    assert seg.sum(x).tolist() == [4.0, 0.0, 4.0]
    assert seg.mean(x).tolist() == [2.0, 0.0, 2.0]
    assert seg.nonempty.tolist() == [True, False, True]
    seg.mean(x).sum().backward()
    assert x.grad.tolist() == [0.5, 0.5, 0.5, 0.5]


@pytest.mark.parametrize(
    "case", ["index_range", "shape", "pairs", "beta", "retain_none", "reduction", "mask_dtype", "ref_shape"]
)
def test_bad_input_is_rejected(case):
    mask = torch.tensor([[True, True], [False, True]])
    seg, logp = Segments.from_mask(mask), torch.randn(3)
    calls = {
        "index_range": lambda: Segments(torch.tensor([0, 2]), 2),
        "shape": lambda: ga(torch.randn(4), seg),
        "pairs": lambda: cure(logp, seg, torch.randn(1), Segments(torch.tensor([0]), 1)),
        "beta": lambda: simnpo(logp, seg, beta=0.0),
        "retain_none": lambda: cure(logp, seg, logp, seg, retain_logp=logp, reduction="none"),
        "reduction": lambda: ga(logp, seg, reduction="sum"),
        "mask_dtype": lambda: Segments.from_mask(mask.long()),
        "ref_shape": lambda: npo(logp, torch.randn(2), seg),
    }
    with pytest.raises(ValueError):
        calls[case]()
