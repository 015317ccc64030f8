"""The compiled (non-interpreter) Triton path builds for Hopper, without a GPU.

The other kernel tests run on Triton's interpreter, which upcasts ``tl.dot`` operands to fp32; only
an ahead-of-time compile for sm_90 exercises the bf16 tensor-core dots, the bf16 ``dlogits`` cast and
the bf16 accumulator stores that an H100/H200 runs.  ``benchmarks/kernel_resources.py`` does the
compiling (bundled ``ptxas``), in a subprocess because the kernels must be defined without
``TRITON_INTERPRET``.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bundled(tool: str) -> bool:
    try:
        import triton
    except ImportError:
        return False
    return (Path(triton.__file__).parent / "backends" / "nvidia" / "bin" / tool).exists()


@pytest.mark.skipif(not (_bundled("ptxas") and _bundled("cuobjdump")), reason="Triton without its CUDA tools")
def test_every_kernel_compiles_for_sm90_in_bf16():
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["TRITON_DEFAULT_FP_FUSION"] = "1"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "kernel_resources.py"), "--quick", "--arch", "90"],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[-1] == "5 of 5 compiled", proc.stdout
    table = [line.split() for line in lines if line.startswith(("forward", "dhidden", "dweight"))]
    assert sorted((row[0], row[1]) for row in table) == [
        ("dhidden", "bf16"), ("dhidden", "fp32"), ("dweight", "bf16"), ("dweight", "fp32"), ("forward", "-"),
    ]
    for row in table:
        assert int(row[8]) > 0, f"no register count read for {row}"
