"""Fused token log-prob loss against the usual ways of computing it: time and memory, forward + backward.

    python benchmarks/loss_bench.py                # CUDA if present, else the CPU comparison
    python benchmarks/loss_bench.py --device cpu --quick   # smoke run, prints only
    python benchmarks/loss_bench.py --dry-run      # the CUDA sweep's bookkeeping on the CPU, toy sizes

Every variant computes ``logp[i] = log_softmax(hidden[i] @ weight.T)[target[i]]`` for N tokens and
back-propagates a random per-token upstream gradient (as the sequence-level objectives do), with and
without ``dweight`` (trainable vs frozen lm-head, the LoRA case).  ``loss_variants.py`` holds them.

CUDA (bf16; N in {4096, 16384, 65536}, H in {2048, 4096}, V in {32256, 151936}; ``loss_cuda.py``):
  ours (fp32 and bf16 gradient accumulation), the eager loss HF models use, that eager under
  ``torch.compile``, Liger-Kernel and Cut Cross-Entropy (defaults, plus Liger with fp32 accumulation and
  CCE without its gradient filter; "not installed" when absent).  Time is the median of
  ``triton.testing.do_bench``; memory the allocator's peak above the inputs; effective TFLOP/s counts
  the useful lm-head work and is set against a bf16 matmul measured in the same invocation; accuracy
  is against fp32.  Goals (from the issue): faster than the fastest of Liger and CCE, peak within 1.2x
  of CCE's, >= 60% of the matmul rate at N=16384, H=4096, V=151936.  Rows are written as they finish
  and ``--resume`` skips those already in the file, so the sweep can be split over several commands:

    python benchmarks/loss_bench.py --n 16384 --h 4096 --v 151936          # the headline case first
    python benchmarks/loss_bench.py --resume                               # then the rest, as often as needed

CPU (fp32; N=8192, H=512, V=32000): chunked against eager, each in its own subprocess; memory is the
  RSS high-water mark above the inputs (reset through ``/proc/self/clear_refs`` once the inputs exist
  and a tiny run of the same variant has paged in its code; ``getrusage`` max-RSS delta where that is
  unavailable), gradients included; time is the median of ``--repeat`` runs after a warm-up in each of
  ``--rounds`` processes per variant, run in alternating order.  Goal: at least 8x less memory than eager and no slower.

Results go to ``benchmarks/results/loss_bench_{cpu,cuda}.json`` with the command, machine and date
(``--quick`` and ``--dry-run`` only print unless ``--out`` is given).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from loss_report import command_line, machine_info, print_table, write_json  # noqa: E402  (siblings)
from loss_variants import CPU_VARIANTS, CUDA_VARIANTS, logp_fn, make_inputs, make_step, useful_flops  # noqa: E402

RESULTS = Path(__file__).parent / "results"
MIB = 1 << 20
CPU_GOAL = {"memory_ratio_min": 8.0, "time_ratio_max": 1.0}
CUDA_GOAL = {"faster_than": ["liger", "cce"], "peak_memory_vs_cce_max": 1.2, "matmul_fraction_min": 0.6,
             "matmul_fraction_shape": {"N": 16384, "H": 4096, "V": 151936}}


# ---------------------------------------------------------------- CPU: one subprocess per variant


def _proc_status(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_high_water() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def cpu_worker(args: argparse.Namespace) -> None:
    """Runs in a fresh process: inputs, baseline, one measured step, then timed repeats; prints JSON."""
    fn = logp_fn(args.worker)
    # A tiny run first, so that code pages and thread pools touched on first use are in the baseline.
    make_step(fn, *make_inputs(64, args.h[0], min(args.v[0], 512), torch.float32, "cpu", args.dweight))()
    hidden, weight, target, upstream = make_inputs(args.n[0], args.h[0], args.v[0], torch.float32, "cpu", args.dweight)
    step = make_step(fn, hidden, weight, target, upstream)
    gc.collect()
    reset = _reset_high_water()
    base_rss = _proc_status("VmRSS")
    base_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    logp = step()
    first_s = time.perf_counter() - t0
    high = _proc_status("VmHWM") if reset else None
    if high is not None and base_rss is not None:
        peak, method = high - base_rss, "VmHWM after clear_refs, minus VmRSS with inputs"
    else:
        peak, method = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base_max, "ru_maxrss delta"
    checks = {
        "logp_sum": float(logp.double().sum()),
        "dhidden_norm": float(hidden.grad.double().norm()),
        "dweight_norm": None if weight.grad is None else float(weight.grad.double().norm()),
    }
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    print(json.dumps({
        "variant": args.worker, "dweight": args.dweight, "peak_mib": peak / MIB, "memory_method": method,
        "inputs_mib": (hidden.numel() * 4 + weight.numel() * 4 + target.numel() * 8 + upstream.numel() * 4) / MIB,
        "first_run_s": first_s, "times_s": times, "median_s": statistics.median(times), **checks,
    }))


def _cpu_matmul_gflops() -> float:
    """Best of a few trials of one chunked-path block, [1024, 512] @ [512, 4096] in fp32."""
    a, b = torch.randn(1024, 512), torch.randn(512, 4096)
    a @ b
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(10):
            a @ b
        best = max(best, 2 * 1024 * 512 * 4096 * 10 / (time.perf_counter() - t0) / 1e9)
    return best


def run_cpu(args: argparse.Namespace) -> dict:
    n, h, v = args.n[0], args.h[0], args.v[0]
    variants = args.variants
    info = machine_info()
    info["fp32_matmul_gflops"] = round(_cpu_matmul_gflops(), 1)
    runs: dict[tuple[str, bool], list[dict]] = {}
    # Rounds alternate the order of the variants, so that load from other work on a shared machine
    # falls on both sides rather than on whichever ran at the wrong moment.
    for rnd in range(args.rounds):
        for dweight in (True, False):
            for variant in variants if rnd % 2 == 0 else variants[::-1]:
                cmd = [sys.executable, __file__, "--worker", variant, "--n", str(n), "--h", str(h), "--v", str(v),
                       "--repeat", str(args.repeat)] + (["--dweight"] if dweight else [])
                print(f"[round {rnd + 1}: {variant}, dweight={dweight}] {shlex.join(cmd[1:])}", flush=True)
                proc = subprocess.run(cmd, capture_output=True, text=True)
                if proc.returncode != 0:
                    res = {"variant": variant, "dweight": dweight, "error": proc.stderr.strip()[-2000:]}
                else:
                    res = json.loads(proc.stdout.strip().splitlines()[-1])
                runs.setdefault((variant, dweight), []).append(res)
    info["loadavg_end"] = list(os.getloadavg())
    rows = []
    for (variant, dweight), results in runs.items():
        ok = [r for r in results if "error" not in r]
        if not ok:
            rows.append(results[0])
            continue
        times = [t for r in ok for t in r["times_s"]]
        row = {k: val for k, val in ok[0].items() if k not in ("times_s", "median_s", "first_run_s", "peak_mib")}
        row.update(
            peak_mib=max(r["peak_mib"] for r in ok), peak_mib_per_round=[r["peak_mib"] for r in ok],
            first_run_s=[r["first_run_s"] for r in ok], times_s=times, median_s=statistics.median(times),
            min_s=min(times), gflops_effective=useful_flops(n, h, v, dweight) / statistics.median(times) / 1e9,
        )
        rows.append(row)

    summary = {}
    for dweight in (True, False):
        by = {r["variant"]: r for r in rows if r["dweight"] == dweight and "error" not in r}
        if "eager" in by and "chunked" in by:
            e, c = by["eager"], by["chunked"]
            mem_ratio = e["peak_mib"] / max(c["peak_mib"], 1e-9)
            time_ratio = c["median_s"] / e["median_s"]
            summary["dweight" if dweight else "frozen_weight"] = {
                "memory_ratio_eager_over_chunked": round(mem_ratio, 2),
                "time_ratio_chunked_over_eager": round(time_ratio, 3),
                "goal_met": mem_ratio >= CPU_GOAL["memory_ratio_min"] and time_ratio <= CPU_GOAL["time_ratio_max"],
                "logp_sum_rel_diff": abs(e["logp_sum"] - c["logp_sum"]) / max(abs(e["logp_sum"]), 1e-12),
                "dhidden_norm_rel_diff": abs(e["dhidden_norm"] - c["dhidden_norm"]) / max(e["dhidden_norm"], 1e-12),
            }
    # The load average at the end includes this benchmark's own threads; only the start says whether
    # other work was running.
    busy = info["loadavg_start"][0] > 0.5 * (os.cpu_count() or 1)
    spread = {f"{r['variant']}/{'dweight' if r['dweight'] else 'frozen'}": round(max(r["times_s"]) / min(r["times_s"]), 2)
              for r in rows if r.get("times_s")}
    notes = []
    if busy or max(spread.values(), default=1.0) > 1.15:
        notes.append(
            f"timings may be noisy (slowest/fastest repeat: {spread}); load average "
            f"{info['loadavg_start'][0]:.2f} before the run on {os.cpu_count()} cores, "
            f"{info['loadavg_end'][0]:.2f} after it (its own {info['torch_threads']} threads included); "
            "this machine is shared with other work"
        )
    notes.append("GPU figures missing: no CUDA device on the machine that ran this")

    table = []
    for r in rows:
        if "error" in r:
            table.append([r["variant"], str(r["dweight"]), "error", "", "", r["error"].splitlines()[-1][:60]])
            continue
        table.append([
            r["variant"], "yes" if r["dweight"] else "no (frozen)", f"{r['median_s']:.2f}",
            f"{r['min_s']:.2f}", f"{r['peak_mib']:.0f}", f"{r['gflops_effective']:.0f}",
        ])
    print_table(
        f"fused token log-probs, CPU fp32, N={n} H={h} V={v} ({info['torch_threads']} threads; "
        f"fp32 matmul {info['fp32_matmul_gflops']} GFLOP/s)",
        ["variant", "dweight", "median s", "min s", "peak MiB above inputs", "eff. GFLOP/s"], table,
    )
    for key, s in summary.items():
        print(f"{key}: {s['memory_ratio_eager_over_chunked']}x less memory, time ratio "
              f"{s['time_ratio_chunked_over_eager']} (goal >= 8x, <= 1.0: {'met' if s['goal_met'] else 'NOT met'})")
    for note in notes:
        print("note:", note)
    return {
        "device": "cpu", "dtype": "float32", "shape": {"N": n, "H": h, "V": v}, "repeat": args.repeat,
        "rounds": args.rounds,
        "goal": CPU_GOAL, "machine": info, "results": rows, "summary": summary, "notes": notes,
    }


# ---------------------------------------------------------------- entry point


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--quick", action="store_true", help="small smoke run; prints only unless --out is given")
    p.add_argument("--n", type=int, nargs="+", help="token counts (default per device)")
    p.add_argument("--h", type=int, nargs="+", help="hidden sizes")
    p.add_argument("--v", type=int, nargs="+", help="vocabulary sizes")
    p.add_argument("--variants", nargs="+", help=f"subset of {CUDA_VARIANTS} (cuda) or {CPU_VARIANTS} (cpu)")
    p.add_argument("--repeat", type=int, default=3, help="CPU: timed runs after the warm-up, per process")
    p.add_argument("--rounds", type=int, default=2, help="CPU: processes per variant, in alternating order")
    p.add_argument("--rep-ms", type=int, default=200, help="CUDA: do_bench measuring time per case")
    p.add_argument("--resume", action="store_true", help="CUDA: keep the rows already in --out, measure the rest")
    p.add_argument("--no-accuracy", dest="accuracy", action="store_false",
                   help="CUDA: skip the errors against an fp32 computation of each case")
    p.add_argument("--dry-run", action="store_true", help="run the CUDA sweep on the CPU at toy sizes (no figures)")
    p.add_argument("--out", type=Path, help="JSON path (default benchmarks/results/loss_bench_<device>.json)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--dweight", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        cpu_worker(args)
        return
    device = "cuda" if args.dry_run else args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not args.dry_run and not torch.cuda.is_available():
        sys.exit("--device cuda: no CUDA device here")
    if device == "cpu":
        defaults = ([1024], [128], [4096]) if args.quick else ([8192], [512], [32000])
    elif args.dry_run:
        defaults = ([96], [32], [300])
    else:
        defaults = ([4096], [2048], [32256]) if args.quick else ([4096, 16384, 65536], [2048, 4096], [32256, 151936])
    args.n, args.h, args.v = args.n or defaults[0], args.h or defaults[1], args.v or defaults[2]
    args.variants = args.variants or (CPU_VARIANTS if device == "cpu" else CUDA_VARIANTS)
    if args.quick:
        args.repeat, args.rounds = min(args.repeat, 1), 1
        args.rep_ms = min(args.rep_ms, 50)
    default_out = None if (args.quick or args.dry_run) else RESULTS / f"loss_bench_{device}.json"
    args.out = args.out or default_out
    if device == "cuda":
        from loss_cuda import CudaMeter, DryMeter, run_cuda

        run_cuda(args, DryMeter() if args.dry_run else CudaMeter(), CUDA_GOAL)
        if args.out is not None:
            print(f"wrote {args.out}")
        return
    started = dt.datetime.now(dt.timezone.utc)
    result = run_cpu(args)
    payload = {
        "command": command_line(),
        "date": started.isoformat(timespec="seconds"),
        "wall_s": round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 1),
        **result,
    }
    if args.out is not None:
        write_json(args.out, payload)


if __name__ == "__main__":
    main()
