"""Compile the Triton kernels ahead of time for a GPU that is not here, and read what each config costs.

    python benchmarks/kernel_resources.py              # every autotune config, sm_90 (Hopper), bf16
    python benchmarks/kernel_resources.py --quick      # the first config of each kernel: does it build?

No GPU needed: Triton lowers to PTX and its bundled ``ptxas`` assembles for ``--arch``; the bundled
``cuobjdump`` then reports registers, stack (spills) and shared memory per kernel.  The CPU tests run
the kernels on Triton's interpreter, which upcasts the ``tl.dot`` operands; this is the only check
here of the compiled bf16 path (tensor-core dots, the bf16 ``dlogits`` cast, bf16 accumulation).
A config that spills (stack > 0) or needs more shared memory than the SM has is a poor autotune
candidate.  Results: ``benchmarks/results/kernel_resources_sm<arch>.json``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.pop("TRITON_INTERPRET", None)  # compiled kernels, not the interpreter, must be defined

RESULTS = Path(__file__).parent / "results"
INTS = ("N", "V", "H", "stride_h", "stride_w", "v_per_split", "N_BUCKET")
# The runtime specialises integers divisible by 16 (every H, V and stride of the benchmark sizes);
# the same assumption here gives the code those sizes get.
DIVISIBLE = {"H", "V", "stride_h", "stride_w", "v_per_split"}


def _signature(kernel: str, acc_dtype: str) -> dict[str, str]:
    ptrs = {"h_ptr": "*bf16", "w_ptr": "*bf16", "b_ptr": "*bf16", "t_ptr": "*i64"}
    if kernel == "forward":
        ptrs.update(max_ptr="*fp32", sum_ptr="*fp32", tgt_ptr="*fp32")
    elif kernel == "dhidden":
        ptrs.update(max_ptr="*fp32", lsum_ptr="*fp32", g_ptr="*fp32", dh_ptr=acc_dtype)
    else:
        ptrs.update(max_ptr="*fp32", lsum_ptr="*fp32", g_ptr="*fp32", dw_ptr=acc_dtype, db_ptr="*fp32")
    return ptrs


def _constexprs(kernel: str, meta: dict) -> dict:
    const = dict(HAS_BIAS=False, UPCAST=False, DOT_PRECISION="tf32", **meta)
    if kernel == "dweight":
        const.update(COMPUTE_DW=True, COMPUTE_DB=False)
    return const


def _cuobjdump() -> str:
    import triton

    return os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin", "cuobjdump")


def _resources(cubin: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".cubin") as f:
        f.write(cubin)
        f.flush()
        text = subprocess.run([_cuobjdump(), "--dump-resource-usage", f.name], capture_output=True, text=True).stdout
    for line in text.splitlines():
        if "REG:" in line:
            fields = dict(part.split(":", 1) for part in line.split() if ":" in part)
            return {"regs": int(fields["REG"]), "stack": int(fields["STACK"]), "local": int(fields["LOCAL"]),
                    "static_shared": int(fields["SHARED"])}
    return {}


def compile_one(job: dict) -> dict:
    """One kernel x config x accumulator dtype, compiled for ``arch``; never raises."""
    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    from apimigrate.kernels import triton_kernels as tk

    fn = getattr(tk, f"_{job['kernel']}_kernel")
    names = fn.arg_names
    sig = _signature(job["kernel"], job["acc"])
    const = _constexprs(job["kernel"], job["meta"])
    for name in names:
        if name in INTS:
            sig[name] = "i32"
        elif name in const:
            sig[name] = "constexpr"
    attrs = {(names.index(n),): [["tt.divisibility", 16]] for n in names if n in DIVISIBLE or n.endswith("_ptr")}
    row = {k: job[k] for k in ("kernel", "acc", "meta", "num_warps", "num_stages")}
    t0 = time.perf_counter()
    try:
        src = ASTSource(fn=fn, signature=sig, constexprs={(names.index(k),): v for k, v in const.items()}, attrs=attrs)
        compiled = triton.compile(src, target=GPUTarget("cuda", job["arch"], 32),
                                  options={"num_warps": job["num_warps"], "num_stages": job["num_stages"]})
        row.update(_resources(compiled.asm["cubin"]), dynamic_shared=int(compiled.metadata.shared))
    except Exception as exc:  # noqa: BLE001 - a config that does not build is a result too
        row["error"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else ''}"
    row["compile_s"] = round(time.perf_counter() - t0, 2)
    return row


def _candidates(with_h: bool) -> list[tuple[dict, int, int]]:
    """A wider grid than any autotune list, to choose those lists from."""
    out = []
    for bm, bv in ((64, 64), (64, 128), (128, 64), (128, 128), (64, 256), (128, 256)):
        for warps in (4, 8):
            for stages in (3, 4):
                for bh in ((64, 128) if with_h else (None,)):
                    meta = {"BLOCK_M": bm, "BLOCK_V": bv, "BLOCK_K": 64}
                    if bh is not None:
                        meta["BLOCK_H"] = bh
                    out.append((meta, warps, stages))
    return out


def jobs(arch: int, quick: bool, candidates: bool) -> list[dict]:
    from apimigrate.kernels import triton_kernels as tk

    out = []
    for kernel, with_h, accs in (("forward", False, ("-",)), ("dhidden", True, ("*fp32", "*bf16")),
                                 ("dweight", True, ("*fp32", "*bf16"))):
        if candidates:
            configs = _candidates(with_h)
        else:
            configs = [(dict(c.kwargs), c.num_warps, c.num_stages) for c in tk.autotune_configs(kernel)]
        for meta, warps, stages in configs[:1] if quick else configs:
            for acc in accs:
                out.append({"kernel": kernel, "acc": acc, "meta": meta, "num_warps": warps,
                            "num_stages": stages, "arch": arch})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arch", type=int, default=90, help="compute capability x10 (90: H100/H200)")
    p.add_argument("--quick", action="store_true", help="first config of each kernel only; prints only")
    p.add_argument("--candidates", action="store_true",
                   help="a wider grid of tiles, warps and stages than the autotune lists, to choose them from")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    todo = jobs(args.arch, args.quick, args.candidates)
    started = dt.datetime.now(dt.timezone.utc)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(compile_one, todo))
    smem_limit = 227 * 1024  # per block on sm_90
    print(f"{'kernel':8} {'acc':6} {'BM':>4} {'BV':>4} {'BK':>3} {'BH':>4} {'warps':>5} {'stages':>6} "
          f"{'regs':>4} {'stack':>5} {'smem KiB':>8}  note")
    for r in rows:
        m = r["meta"]
        head = (f"{r['kernel']:8} {r['acc'].lstrip('*'):6} {m['BLOCK_M']:>4} {m['BLOCK_V']:>4} {m['BLOCK_K']:>3} "
                f"{m.get('BLOCK_H', '-'):>4} {r['num_warps']:>5} {r['num_stages']:>6} ")
        if "error" in r:
            print(head + f"{'':>4} {'':>5} {'':>8}  ERROR {r['error']}")
            continue
        smem = r["dynamic_shared"] + r["static_shared"]
        note = "spills" if r["stack"] or r["local"] else ""
        if smem > smem_limit:
            note = (note + " " if note else "") + "too much shared memory"
        r["spills"] = bool(r["stack"] or r["local"])
        r["fits"] = smem <= smem_limit
        print(head + f"{r['regs']:>4} {r['stack']:>5} {smem / 1024:>8.0f}  {note}")
    errors = [r for r in rows if "error" in r]
    name = f"kernel_resources_sm{args.arch}" + ("_candidates" if args.candidates else "")
    out = args.out or (None if args.quick else RESULTS / f"{name}.json")
    if out is not None:
        import triton

        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({
            "command": "python " + " ".join(sys.argv), "date": started.isoformat(timespec="seconds"),
            "triton": triton.__version__, "arch": args.arch, "dtype": "bfloat16", "results": rows,
        }, indent=2) + "\n")
        print(f"wrote {out}")
    print(f"{len(rows) - len(errors)} of {len(rows)} compiled")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
