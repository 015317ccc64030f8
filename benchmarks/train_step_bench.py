"""One LoRA unlearning step through the fused loss against the same step through the model's logits.

    python benchmarks/train_step_bench.py                      # CUDA if present, else the CPU sizes
    python benchmarks/train_step_bench.py --device cuda --vocab 151936 --hidden 896 --layers 24 --seq 2048
    python benchmarks/train_step_bench.py --quick --out /tmp/t.json   # smoke run at toy sizes

A random-init Qwen2-shaped model (no download; tied embeddings, as Qwen2.5-0.5B) with a LoRA
adapter on every linear layer takes `--steps` cure steps on a synthetic batch: `--batch` pairs
(negatives and positives, `--seq` tokens each, `--masked` of them API tokens) plus as many retain
sequences whose every token counts. Variants, each in its own process:

  fused         the backbone's hidden states at the target positions through fused_token_logprobs
                (Triton on CUDA, chunked on the CPU): what `apimigrate train` does
  model_logits  the model's own forward, [rows, seq, vocab] logits, log_softmax, gather

Reported: median step time (forward, backward, optimizer) after a warm-up step, peak memory
above the loaded model (CUDA: the allocator's peak; CPU: max-RSS growth), tokens per second, and
the first step's loss (both variants must agree). Writes benchmarks/results/train_step_{cpu,cuda}.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
VARIANTS = ("fused", "model_logits")
CPU_SIZES = dict(vocab=32000, hidden=256, layers=2, seq=256, batch=4, masked=8)
CUDA_SIZES = dict(vocab=151936, hidden=896, layers=24, seq=2048, batch=4, masked=8)
QUICK_SIZES = dict(vocab=512, hidden=64, layers=1, seq=32, batch=2, masked=3)


def _model(sizes: dict, device: str):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import Qwen2Config, Qwen2ForCausalLM
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=sizes["vocab"], hidden_size=sizes["hidden"], intermediate_size=sizes["hidden"] * 4,
                         num_hidden_layers=sizes["layers"], num_attention_heads=max(1, sizes["hidden"] // 64),
                         num_key_value_heads=max(1, sizes["hidden"] // 128), max_position_embeddings=sizes["seq"] + 8,
                         tie_word_embeddings=True)
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    base = Qwen2ForCausalLM(config).to(device=device, dtype=dtype)
    torch.manual_seed(1)
    return get_peft_model(base, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear"))


def _batches(sizes: dict, device: str):
    """Pairs (negatives then positives) with `masked` targets each, and retain rows with all targets."""
    import torch
    g = torch.Generator().manual_seed(2)
    b, t, v = sizes["batch"], sizes["seq"], sizes["vocab"]
    ids = torch.randint(0, v, (2 * b, t), generator=g)
    ids[b:, : t - sizes["masked"] - 4] = ids[:b, : t - sizes["masked"] - 4]      # a shared context
    targets = torch.full_like(ids, -100)
    start = t - sizes["masked"] - 4
    targets[:, start:start + sizes["masked"]] = ids[:, start + 1:start + sizes["masked"] + 1]
    retain = torch.randint(0, v, (b, t), generator=g)
    retain_targets = torch.cat([retain[:, 1:], torch.full((b, 1), -100)], dim=1)
    ones = torch.ones_like(ids)
    return [x.to(device) for x in (ids, ones, targets, retain, torch.ones_like(retain), retain_targets)]


def _logp_model(model, ids, attention, targets):
    import torch
    logits = model(input_ids=ids, attention_mask=attention, use_cache=False).logits
    keep = targets != -100
    return torch.log_softmax(logits.float(), dim=-1)[keep].gather(1, targets[keep][:, None]).squeeze(1)


def run_variant(variant: str, sizes: dict, device: str, steps: int) -> dict:
    import torch
    from apimigrate.unlearn.lm import TokenLogprobs
    from apimigrate.unlearn.objectives import Segments, cure, masked_ce
    model = _model(sizes, device)
    ids, att, tgt, r_ids, r_att, r_tgt = _batches(sizes, device)
    b = sizes["batch"]
    fused = TokenLogprobs(model, 1.0, "auto")
    logp_of = (lambda i, a, t: fused(i, a, t)) if variant == "fused" else (lambda i, a, t: _logp_model(model, i, a, t))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    model.train()

    def step() -> float:
        logp = logp_of(ids, att, tgt)
        mask = tgt != -100
        n_neg = int(mask[:b].sum())
        loss = cure(logp[:n_neg], Segments.from_mask(mask[:b]), logp[n_neg:], Segments.from_mask(mask[b:]))
        loss = loss + masked_ce(logp_of(r_ids, r_att, r_tgt))
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(loss)

    cuda = device == "cuda"
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base_mem = torch.cuda.memory_allocated()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    first_loss = step()                                   # warm-up (and the loss both variants must share)
    times = []
    for _ in range(steps):
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        step()
        if cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    peak = ((torch.cuda.max_memory_allocated() - base_mem) if cuda
            else (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) * 1024)
    tokens = int(att.sum() + r_att.sum())
    median = statistics.median(times)
    return {"variant": variant, "step_ms": round(median * 1000, 2), "peak_mib": round(peak / (1 << 20), 1),
            "tokens_per_s": round(tokens / median), "first_loss": first_loss, "steps": steps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    ap.add_argument("--quick", action="store_true", help="toy sizes, prints only unless --out is given")
    for key in CPU_SIZES:
        ap.add_argument(f"--{key}", type=int)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)   # the child process
    args = ap.parse_args()
    import torch
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    sizes = dict(QUICK_SIZES if args.quick else CUDA_SIZES if device == "cuda" else CPU_SIZES)
    sizes.update({k: getattr(args, k) for k in CPU_SIZES if getattr(args, k) is not None})
    if args.variant:
        print(json.dumps(run_variant(args.variant, sizes, device, args.steps)))
        return
    rows = []
    for variant in VARIANTS:
        cmd = [sys.executable, __file__, "--variant", variant, "--device", device, "--steps", str(args.steps),
               *[f"--{k}={v}" for k, v in sizes.items()]]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["?"])[-1]
            rows.append({"variant": variant, "error": tail})
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{'variant':<14}{'step ms':>10}{'peak MiB':>10}{'tokens/s':>10}{'first loss':>12}   sizes {sizes}")
    for r in rows:
        if "error" in r:
            print(f"{r['variant']:<14}  failed: {r['error']}")
        else:
            print(f"{r['variant']:<14}{r['step_ms']:>10}{r['peak_mib']:>10}{r['tokens_per_s']:>10}{r['first_loss']:>12.5f}")
    out = args.out or (None if args.quick else RESULTS / f"train_step_{device}.json")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"command": "python benchmarks/train_step_bench.py " + " ".join(sys.argv[1:]),
                                   "machine": platform.platform(), "device": device,
                                   "gpu": torch.cuda.get_device_name() if device == "cuda" else None,
                                   "date": dt.date.today().isoformat(), "sizes": sizes, "rows": rows},
                                  indent=2) + "\n")
        print(f"written to {out}")


if __name__ == "__main__":
    main()
