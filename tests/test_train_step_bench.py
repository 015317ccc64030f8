"""benchmarks/train_step_bench.py at toy sizes: both variants run and take the same first step."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "train_step_bench.py"


@pytest.mark.slow
def test_the_fused_step_and_the_logits_step_compute_the_same_loss(tmp_path):
    out = tmp_path / "t.json"
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--device", "cpu", "--steps", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    rows = {r["variant"]: r for r in result["rows"]}
    assert set(rows) == {"fused", "model_logits"} and not any("error" in r for r in rows.values())
    assert math.isclose(rows["fused"]["first_loss"], rows["model_logits"]["first_loss"], rel_tol=1e-5)
    assert all(r["step_ms"] > 0 and r["tokens_per_s"] > 0 for r in rows.values())
    assert result["device"] == "cpu" and "--quick" in result["command"]
