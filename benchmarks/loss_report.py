"""Bookkeeping shared by the CPU and CUDA halves of ``loss_bench.py``: machine, command, JSON, tables."""
from __future__ import annotations

import json
import os
import platform
import shlex
import sys
from pathlib import Path

import torch


def machine_info() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "loadavg_start": list(os.getloadavg()),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import triton

        info["triton"] = triton.__version__
    except ImportError:
        info["triton"] = None
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name()
        info["cuda"] = torch.version.cuda
        info["sms"] = torch.cuda.get_device_properties(0).multi_processor_count
    for dist in ("liger-kernel", "cut-cross-entropy"):
        try:
            from importlib.metadata import version

            info[dist] = version(dist)
        except Exception:  # noqa: BLE001 - not installed
            info[dist] = None
    return info


def command_line() -> str:
    return "python " + " ".join(shlex.quote(a) for a in sys.argv)


def write_json(path: Path, payload: dict, *, quiet: bool = False) -> None:
    """Atomic: a run killed mid-write (the device's per-command limit) leaves the last whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    os.replace(tmp, path)
    if not quiet:
        print(f"wrote {path}")


def print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover - rich is a dependency
        print(title)
        for row in [columns, *rows]:
            print(" | ".join(row))
        return
    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    # Wide even when piped (the device tool returns a log): rich would otherwise wrap at 80 columns.
    Console(width=None if sys.stdout.isatty() else 160).print(table)


