"""Shared test set-up."""
import os

# Triton kernels run on the CPU interpreter when there is no GPU; triton reads this
# when kernels are defined, so it must be set before anything imports them.
if not os.environ.get("CUDA_VISIBLE_DEVICES", "").strip() and not os.path.exists("/dev/nvidia0"):
    os.environ.setdefault("TRITON_INTERPRET", "1")
