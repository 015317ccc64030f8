"""Shared test set-up."""
import os

# Triton kernels run on the CPU interpreter when there is no GPU; triton reads this
# when kernels are defined, so it must be set before anything imports them.
if not os.environ.get("CUDA_VISIBLE_DEVICES", "").strip() and not os.path.exists("/dev/nvidia0"):
    os.environ.setdefault("TRITON_INTERPRET", "1")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _package_index_asked_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which package index did not answer is remembered for the process; each test starts knowing none."""
    from apimigrate.scan import fetch
    monkeypatch.setattr(fetch, "_unreachable", {})
