"""When a refreshed candidate may replace the promoted model (DESIGN.md, "Refresh").

Both models answer the same probes (the eval split of the new mappings and of those learned
before) and the same held-out retain code; the candidate is promoted only when every gate holds:

- deprecated: on the new mappings it writes the deprecated API less often than the promoted
  model (by at least `min-deprecated-drop`), or neither writes it at all;
- replacement: on the new mappings it writes the replacement at least `min-replacement-gain`
  more often, or both always write it;
- relapse: on the mappings learned before it writes the deprecated API at most `max-relapse` more
  often (the replay pairs are there to keep this so);
- utility: its perplexity on held-out code is at most `max-perplexity-ratio` × the promoted
  model's (0 turns this gate off, for a corpus with no code free of deprecated APIs);
- pass@1 (only when `[refresh.evaluate] humaneval` names a HumanEval-format file): at most
  `max-pass-drop` below the promoted model's.

A gate that cannot be measured (no probe of a new mapping, no retain code) does not hold.

The rates are pooled over the new mappings (and over the old ones): one mapping learned well can
hide another that got worse. With `per-mapping = true` the deprecated, replacement and relapse
gates must also hold for each mapping that has probes, on its own.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Gates:
    min_deprecated_drop: float = 0.0
    min_replacement_gain: float = 0.0
    max_relapse: float = 0.05
    max_perplexity_ratio: float = 1.1
    max_pass_drop: float = 0.0    # pass@1 on the HumanEval-format file, when one is configured
    min_probes: int = 1           # probes of the new mappings needed to judge them
    per_mapping: bool = False     # the rate gates hold for each mapping too, not only pooled


@dataclass(frozen=True)
class GateResult:
    name: str
    passed: bool
    detail: str
    candidate: float | None = None
    incumbent: float | None = None

    def as_json(self) -> dict:
        return asdict(self)


def subset_rates(summary: dict, mappings: set[str]) -> dict:
    """Probe counts and rates of `summary` (evaluate's) over the given mappings only."""
    counts = {"probes": 0, "deprecated": 0, "replacement": 0, "mismatch": 0}
    for name, row in summary.get("mappings", {}).items():
        if name in mappings:
            for key in counts:
                counts[key] += row.get(key, 0)
    n = counts["probes"]
    return {**counts, **{f"{k}_rate": (counts[k] / n if n else None) for k in ("deprecated", "replacement", "mismatch")}}


def judge(candidate: dict, incumbent: dict, new: set[str], old: set[str], gates: Gates) -> list[GateResult]:
    cand_new, inc_new = subset_rates(candidate, new), subset_rates(incumbent, new)
    results = []
    if cand_new["probes"] < max(1, gates.min_probes):
        why = f"{cand_new['probes']} probe(s) of the new mappings; {max(1, gates.min_probes)} needed to judge them"
        results += [GateResult("deprecated", False, why), GateResult("replacement", False, why)]
    else:
        ok, c, i = _dropped(cand_new, inc_new, gates)
        results.append(GateResult("deprecated", ok, f"new mappings: {_pct(c)} deprecated, was {_pct(i)}", c, i))
        ok, c, i = _gained(cand_new, inc_new, gates)
        results.append(GateResult("replacement", ok, f"new mappings: {_pct(c)} replacement, was {_pct(i)}", c, i))
    cand_old, inc_old = subset_rates(candidate, old), subset_rates(incumbent, old)
    if not cand_old["probes"]:
        results.append(GateResult("relapse", True, "no probes of mappings learned before"))
    else:
        ok, c, i = _held(cand_old, inc_old, gates)
        results.append(GateResult("relapse", ok, f"mappings learned before: {_pct(c)} deprecated, was {_pct(i)}",
                                  c, i))
    if gates.per_mapping:
        results.append(_each_mapping(candidate, incumbent, new, old, gates))
    results.append(_utility(candidate.get("utility"), incumbent.get("utility"), gates.max_perplexity_ratio))
    if "pass_at_k" in candidate or "pass_at_k" in incumbent:
        results.append(_passing(candidate.get("pass_at_k"), incumbent.get("pass_at_k"), gates.max_pass_drop))
    return results


def _dropped(cand: dict, inc: dict, gates: Gates) -> tuple[bool, float, float]:
    c, i = cand["deprecated_rate"], inc["deprecated_rate"]
    return c == i == 0 or (c < i and c <= i - gates.min_deprecated_drop), c, i


def _gained(cand: dict, inc: dict, gates: Gates) -> tuple[bool, float, float]:
    c, i = cand["replacement_rate"], inc["replacement_rate"]
    return c == i == 1 or c >= i + gates.min_replacement_gain, c, i


def _held(cand: dict, inc: dict, gates: Gates) -> tuple[bool, float, float]:
    c, i = cand["deprecated_rate"], inc["deprecated_rate"]
    return c <= i + gates.max_relapse, c, i


def _each_mapping(candidate: dict, incumbent: dict, new: set[str], old: set[str], gates: Gates) -> GateResult:
    """The rate gates on every mapping with probes, each on its own (mappings without any are the
    pooled gates' to judge)."""
    failed = []
    for mapping in sorted(new | old):
        cand, inc = subset_rates(candidate, {mapping}), subset_rates(incumbent, {mapping})
        if not cand["probes"] or not inc["probes"]:
            continue
        if mapping in new:
            checks = (("deprecated", _dropped), ("replacement", _gained))
        else:
            checks = (("relapse", _held),)
        for name, check in checks:
            ok, c, i = check(cand, inc, gates)
            if not ok:
                rate = "replacement" if name == "replacement" else "deprecated"
                failed.append(f"{mapping}: {_pct(c)} {rate}, was {_pct(i)}")
    if not failed:
        return GateResult("per-mapping", True, f"each of {len(new | old)} mapping(s) holds on its own")
    shown = "; ".join(failed[:3]) + (f"; and {len(failed) - 3} more" if len(failed) > 3 else "")
    return GateResult("per-mapping", False, shown)


def _passing(candidate: dict | None, incumbent: dict | None, max_drop: float) -> GateResult:
    if not candidate or not incumbent or "pass@1" not in candidate or "pass@1" not in incumbent:
        return GateResult("pass@1", False, "pass@1 was not measured for both models")
    c, i = candidate["pass@1"], incumbent["pass@1"]
    return GateResult("pass@1", c >= i - max_drop,
                      f"pass@1 {c:.1%}, was {i:.1%} over {candidate['tasks']} task(s) (at most {max_drop:.1%} lower)",
                      c, i)


def _utility(candidate: dict | None, incumbent: dict | None, max_ratio: float) -> GateResult:
    if max_ratio <= 0:
        return GateResult("utility", True, "not checked (max-perplexity-ratio = 0)")
    if not candidate or not incumbent or not candidate.get("tokens") or not incumbent.get("tokens"):
        return GateResult("utility", False, "no held-out retain code to measure perplexity on")
    c, i = candidate["perplexity"], incumbent["perplexity"]
    if not (math.isfinite(c) and math.isfinite(i)):
        return GateResult("utility", False, f"retain perplexity is not a number (candidate {c}, promoted {i})")
    return GateResult("utility", c <= i * max_ratio,
                      f"retain perplexity {c:.4g}, was {i:.4g} (at most ×{max_ratio:g})", c, i)


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"
