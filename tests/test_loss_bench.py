"""The CUDA sweep of benchmarks/loss_bench.py, run on the CPU (``--dry-run``): rows, resume, goals.

A GPU session has minutes, not hours; these make sure the sweep's bookkeeping works before it gets one.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import loss_bench  # noqa: E402
import loss_cuda  # noqa: E402
from loss_cuda import goals  # noqa: E402

GOAL = loss_bench.CUDA_GOAL


def _sweep(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "cuda.json"
    loss_bench.main(["--dry-run", "--n", "40", "--h", "16", "--v", "70", "--out", str(out), *extra])
    return json.loads(out.read_text())


def test_dry_run_writes_every_row_with_accuracy(tmp_path):
    result = _sweep(tmp_path, "--variants", "ours", "eager", "cce")
    rows = {(r["variant"], r["dweight"]): r for r in result["results"]}
    assert set(rows) == {(v, d) for v in ("ours", "eager", "cce") for d in (True, False)}
    for dweight in (True, False):
        for variant in ("ours", "eager"):
            r = rows[(variant, dweight)]
            assert r["ms"] > 0 and r["fraction_of_matmul"] > 0
            # fp32 everywhere on the CPU: both match the fp32 reference to rounding.
            assert r["logp_max_abs_err"] < 1e-4 and r["dhidden_rel_err"] < 1e-4
            assert (r["dweight_rel_err"] is not None) == dweight
    if rows[("cce", True)].get("status") == "not installed":
        assert "ms" not in rows[("cce", True)]
    assert len(result["invocations"]) == 1 and "matmul_tflops" in result["invocations"][0]["machine"]


def test_a_slow_matmul_baseline_still_gives_fractions(tmp_path, monkeypatch):
    # A loaded 2-core machine measures ~0.04 TFLOP/s; rounding that to one decimal divided by zero.
    monkeypatch.setattr(loss_cuda.DryMeter, "matmul_tflops", lambda self: 0.0412345)
    result = _sweep(tmp_path, "--variants", "ours")
    assert result["invocations"][0]["machine"]["matmul_tflops"] == pytest.approx(0.0412)
    assert all(r["fraction_of_matmul"] > 0 for r in result["results"])


def test_resume_measures_only_missing_or_failed_rows(tmp_path, monkeypatch):
    first = _sweep(tmp_path, "--variants", "ours", "eager")
    out = tmp_path / "cuda.json"
    broken = dict(first)
    broken["results"] = [r for r in first["results"] if not (r["variant"] == "eager" and r["dweight"])]
    broken["results"].append({"variant": "eager", "N": 40, "H": 16, "V": 70, "dweight": True,
                              "status": "error: RuntimeError: boom"})
    out.write_text(json.dumps(broken))
    measured = []
    real = loss_cuda.bench_case
    monkeypatch.setattr(loss_cuda, "bench_case", lambda m, v, *a: measured.append((v, a[3])) or real(m, v, *a))
    second = _sweep(tmp_path, "--variants", "ours", "eager", "--resume")
    assert measured == [("eager", True)]
    assert len(second["invocations"]) == 2
    keys = [loss_cuda.row_key(r) for r in second["results"]]
    assert len(keys) == len(set(keys)) == 4
    assert all("ms" in r for r in second["results"])


def _row(variant, ms, peak, n=16384, h=4096, v=151936, dweight=False, frac=None):
    row = {"variant": variant, "N": n, "H": h, "V": v, "dweight": dweight, "ms": ms, "peak_mib": peak}
    if frac is not None:
        row["fraction_of_matmul"] = frac
    return row


def test_goals_compare_with_the_fastest_rival_and_cce_memory():
    rows = [_row("ours", 10.0, 130.0, frac=0.65), _row("liger", 12.0, 900.0), _row("cce", 11.0, 100.0),
            _row("ours", 10.0, 100.0, n=4096), _row("cce", 9.0, 100.0, n=4096),
            {"variant": "liger", "N": 4096, "H": 4096, "V": 151936, "dweight": False, "status": "not installed"}]
    by_n = {g["N"]: g for g in goals(rows, GOAL)}
    head = by_n[16384]
    assert head["fastest_rival"] == "cce" and head["speedup_vs_fastest"] == pytest.approx(1.1)
    assert head["faster_than_all"] and head["matmul_goal_met"]
    assert head["peak_vs_cce"] == pytest.approx(1.3) and not head["memory_goal_met"]
    small = by_n[4096]
    assert not small["faster_than_all"] and small["rivals_measured"] == ["cce"]
    assert small["memory_goal_met"] and "fraction_of_matmul" not in small
