"""The CUDA half of ``loss_bench.py``: every variant on every case, resumable, with the issue's goals.

A case is ``(N, H, V, dweight)``.  Per case and variant: one untimed step (compilation, autotuning),
one step under the allocator's peak statistics (peak above the inputs, gradients included), the median
of ``do_bench``, and, with ``--accuracy``, the errors of that step's log-probs and gradients against an
fp32 computation of the same rounded inputs.  Each finished row is written at once, so a run stopped by
a time limit keeps what it measured, and ``--resume`` skips the rows already in the file.

``--dry-run`` runs the same sweep on the CPU (wall-clock medians, no memory figures) at toy sizes: it
checks the bookkeeping without a GPU and measures nothing worth keeping.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import time
from pathlib import Path
from typing import Callable, Protocol

import torch
from loss_report import command_line, machine_info, print_table, write_json
from loss_variants import Unavailable, accuracy, logp_fn, make_inputs, make_step, reference_grads, useful_flops

MIB = 1 << 20
# Rows with these outcomes are final; anything else ("error: ...") is measured again on --resume.
FINAL_STATUS = ("not installed", "OOM")


class Meter(Protocol):
    device: str
    dtype: torch.dtype

    def sync(self) -> None: ...
    def allocated(self) -> int | None: ...
    def reset_peak(self) -> None: ...
    def peak(self) -> int | None: ...
    def bench_ms(self, fn: Callable[[], object], rep_ms: int) -> float: ...
    def release(self) -> None: ...
    def matmul_tflops(self) -> float: ...


class CudaMeter:
    device, dtype = "cuda", torch.bfloat16

    def sync(self) -> None:
        torch.cuda.synchronize()

    def allocated(self) -> int:
        return torch.cuda.memory_allocated()

    def reset_peak(self) -> None:
        torch.cuda.reset_peak_memory_stats()

    def peak(self) -> int:
        return torch.cuda.max_memory_allocated()

    def bench_ms(self, fn, rep_ms):
        import triton.testing

        try:
            return float(triton.testing.do_bench(fn, warmup=25, rep=rep_ms, return_mode="median"))
        except TypeError:  # older Triton: quantiles instead of return_mode
            return float(triton.testing.do_bench(fn, warmup=25, rep=rep_ms, quantiles=[0.5])[0])

    def release(self) -> None:
        torch.cuda.empty_cache()

    def matmul_tflops(self) -> float:
        a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
        b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
        ms = self.bench_ms(lambda: a @ b, 200)
        return 2 * 8192**3 / (ms * 1e-3) / 1e12


class DryMeter:
    """CPU stand-in: wall-clock medians, no allocator, fp32 (CPU bf16 matmuls are too slow to bother)."""

    device, dtype = "cpu", torch.float32

    def sync(self) -> None:
        pass

    def allocated(self) -> None:
        return None

    def reset_peak(self) -> None:
        pass

    def peak(self) -> None:
        return None

    def bench_ms(self, fn, rep_ms):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(times)

    def release(self) -> None:
        pass

    def matmul_tflops(self) -> float:
        a, b = torch.randn(512, 512), torch.randn(512, 512)
        return 2 * 512**3 / (self.bench_ms(lambda: a @ b, 0) * 1e-3) / 1e12


def row_key(row: dict) -> tuple:
    return row["variant"], row["N"], row["H"], row["V"], row["dweight"]


def bench_case(meter: Meter, variant: str, n: int, h: int, v: int, dweight: bool, rep_ms: int,
               ref: dict | None) -> dict:
    """One row; failures of a competitor (not installed, OOM, exceptions) become its status."""
    row: dict = {"variant": variant, "N": n, "H": h, "V": v, "dweight": dweight}
    hidden = weight = target = upstream = step = None
    try:
        fn = logp_fn(variant)
        hidden, weight, target, upstream = make_inputs(n, h, v, meter.dtype, meter.device, dweight)
        step = make_step(fn, hidden, weight, target, upstream)
        step()  # compile / autotune outside the measurement
        hidden.grad = weight.grad = None
        gc.collect()
        meter.sync()
        base = meter.allocated()
        meter.reset_peak()
        logp = step()
        meter.sync()
        peak = meter.peak()
        row["peak_mib"] = None if peak is None or base is None else (peak - base) / MIB
        if ref is not None:
            row.update(accuracy(logp, hidden, weight, ref))
        del logp
        row["ms"] = meter.bench_ms(step, rep_ms)
        row["tflops_effective"] = useful_flops(n, h, v, dweight) / (row["ms"] * 1e-3) / 1e12
    except Unavailable as exc:
        row["status"] = str(exc)
    except torch.cuda.OutOfMemoryError:
        row["status"] = "OOM"
    except Exception as exc:  # noqa: BLE001 - a failing competitor must not end the run
        row["status"] = f"error: {type(exc).__name__}: {str(exc)[:300]}"
    finally:
        del hidden, weight, target, upstream, step
        gc.collect()
        meter.release()
    return row


def _reference(meter: Meter, n: int, h: int, v: int, dweight: bool) -> dict | None:
    hidden, weight, target, upstream = make_inputs(n, h, v, meter.dtype, meter.device, dweight)
    try:
        return reference_grads(hidden, weight, target, upstream)
    except torch.cuda.OutOfMemoryError:
        return None
    finally:
        del hidden, weight, target, upstream
        gc.collect()
        meter.release()


def goals(rows: list[dict], goal: dict) -> list[dict]:
    """Per case: ours against the fastest of Liger and CCE, peak against CCE's, share of the matmul rate."""
    by_case: dict[tuple, dict[str, dict]] = {}
    for r in rows:
        if "ms" in r:
            by_case.setdefault((r["N"], r["H"], r["V"], r["dweight"]), {})[r["variant"]] = r
    shape = goal["matmul_fraction_shape"]
    out = []
    for (n, h, v, dweight), variants in sorted(by_case.items()):
        for ours in ("ours", "ours_bf16acc"):
            if ours not in variants:
                continue
            o = variants[ours]
            rivals = {name: variants[name]["ms"] for name in goal["faster_than"] if name in variants}
            entry: dict = {"variant": ours, "N": n, "H": h, "V": v, "dweight": dweight}
            if rivals:
                fastest = min(rivals, key=rivals.get)
                entry.update(fastest_rival=fastest, speedup_vs_fastest=rivals[fastest] / o["ms"],
                             faster_than_all=all(o["ms"] < ms for ms in rivals.values()),
                             rivals_measured=sorted(rivals))
            cce = variants.get("cce")
            if cce and cce.get("peak_mib") and o.get("peak_mib") is not None:
                ratio = o["peak_mib"] / cce["peak_mib"]
                entry.update(peak_vs_cce=ratio, memory_goal_met=ratio <= goal["peak_memory_vs_cce_max"])
            if {"N": n, "H": h, "V": v} == shape and "fraction_of_matmul" in o:
                entry.update(fraction_of_matmul=o["fraction_of_matmul"],
                             matmul_goal_met=o["fraction_of_matmul"] >= goal["matmul_fraction_min"])
            out.append(entry)
    return out


def _load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(f"--resume: cannot read {path}: {exc}") from exc


def run_cuda(args: argparse.Namespace, meter: Meter, goal: dict) -> dict:
    out: Path | None = args.out
    previous = _load(out) if (args.resume and out is not None) else None
    rows: list[dict] = list(previous["results"]) if previous else []
    invocations: list[dict] = list(previous.get("invocations", [])) if previous else []
    info = machine_info()
    # Three significant digits, not one decimal: the CPU dry run's ~0.05 TFLOP/s rounded to 0.0 and
    # every fraction_of_matmul divided by zero on a loaded machine.
    info["matmul_tflops"] = float(f"{meter.matmul_tflops():.3g}")
    invocations.append({"command": command_line(), "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                        "machine": info})
    final = {row_key(r) for r in rows if "ms" in r or r.get("status") in FINAL_STATUS}
    variants = args.variants

    def payload() -> dict:
        return {
            "device": meter.device, "dtype": str(meter.dtype).removeprefix("torch."), "goal": goal,
            "invocations": invocations, "results": rows, "goals": goals(rows, goal),
            "notes": [
                "effective TFLOP/s counts 2NHV forward + 2NHV dhidden (+ 2NHV dweight), whatever a variant recomputes",
                "accuracy columns compare with an fp32 computation (chunked path) of the same bf16 inputs",
                "peak_mib: allocator peak during one forward+backward above what the inputs occupy, gradients included",
            ],
        }

    for n in args.n:
        for h in args.h:
            for v in args.v:
                for dweight in (True, False):
                    todo = [var for var in variants if (var, n, h, v, dweight) not in final]
                    if not todo:
                        continue
                    ref = _reference(meter, n, h, v, dweight) if args.accuracy else None
                    for variant in todo:
                        row = bench_case(meter, variant, n, h, v, dweight, args.rep_ms, ref)
                        row["invocation"] = len(invocations) - 1
                        if "tflops_effective" in row:
                            row["fraction_of_matmul"] = row["tflops_effective"] / info["matmul_tflops"]
                        rows[:] = [r for r in rows if row_key(r) != row_key(row)] + [row]
                        print(json.dumps(row), flush=True)
                        if out is not None:
                            write_json(out, payload(), quiet=True)
                    del ref
    info["loadavg_end"] = list(os.getloadavg())
    result = payload()
    _print(result, info)
    return result


def _fmt(value, spec: str) -> str:
    return "" if value is None else format(value, spec)


def _print(result: dict, info: dict) -> None:
    table = []
    for r in sorted(result["results"], key=lambda r: (r["N"], r["H"], r["V"], not r["dweight"], r["variant"])):
        common = [r["variant"], f"{r['N']}x{r['H']}x{r['V']}", "yes" if r["dweight"] else "no"]
        if "status" in r:
            table.append(common + [r["status"][:40], "", "", "", ""])
            continue
        table.append(common + [
            f"{r['ms']:.2f}", _fmt(r.get("peak_mib"), ".0f"), f"{r['tflops_effective']:.0f}",
            f"{100 * r['fraction_of_matmul']:.0f}%", _fmt(r.get("dhidden_rel_err"), ".1e"),
        ])
    print_table(
        f"fused token log-probs, {result['device']} {result['dtype']} ({info.get('gpu', 'no GPU')}; "
        f"matmul {info['matmul_tflops']} TFLOP/s)",
        ["variant", "N x H x V", "dweight", "median ms", "peak MiB", "eff. TFLOP/s", "of matmul", "dh rel err"],
        table,
    )
    for g in result["goals"]:
        parts = [f"{g['variant']} {g['N']}x{g['H']}x{g['V']} dweight={g['dweight']}:"]
        if "speedup_vs_fastest" in g:
            parts.append(f"{g['speedup_vs_fastest']:.2f}x vs {g['fastest_rival']}"
                         f" ({'faster than all' if g['faster_than_all'] else 'NOT faster than all'})")
        if "peak_vs_cce" in g:
            parts.append(f"peak {g['peak_vs_cce']:.2f}x CCE's ({'met' if g['memory_goal_met'] else 'NOT met'})")
        if "fraction_of_matmul" in g:
            parts.append(f"{100 * g['fraction_of_matmul']:.0f}% of matmul ({'met' if g['matmul_goal_met'] else 'NOT met'})")
        if len(parts) > 1:
            print(" ".join(parts))
