"""Unlearning end to end on the toy world of the tests, one row per objective.

A tiny GPT-2 is pretrained on real-shaped modules that call three deprecated APIs (so, like a
code model trained on old code, it writes them), then each objective trains a LoRA adapter on the
train split and the probes of the eval split (other files) are run before and after:

    python benchmarks/unlearn_toy.py [--objectives cure simnpo npo ga] [--epochs 8] [--lr 3e-3]

Prints a table and writes benchmarks/results/unlearn_toy.json. On CPU; a toy, so the rates say
what each objective does to what the model writes, not how a real model fares.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from test_callsites_support import build_db, db_rows  # noqa: E402
from unlearn_support import pretrained_toy_model, toy_corpus  # noqa: E402

from apimigrate.callsites import DeprecationIndex  # noqa: E402
from apimigrate.evaluate import read_records, run_probes  # noqa: E402
from apimigrate.evaluate.generate import load_generator  # noqa: E402
from apimigrate.evaluate.perplexity import retain_perplexity  # noqa: E402
from apimigrate.unlearn.batches import read_jsonl  # noqa: E402
from apimigrate.unlearn.dataset import BuildOptions, build_dataset  # noqa: E402
from apimigrate.unlearn.options import LoraOptions, TrainOptions  # noqa: E402
from apimigrate.unlearn.train import train  # noqa: E402


def _probe(records, retain, model: Path, adapter: Path | None, index, out: Path, heal: bool = True) -> dict:
    generator = load_generator(model, adapter, device="cpu", max_new_tokens=40, heal=heal)
    rates = run_probes(records, generator, index, out)["overall"]
    utility = retain_perplexity(generator.model, generator.tokenizer, retain, "cpu", max_length=256)
    return {**rates, "retain_perplexity": round(utility["perplexity"], 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objectives", nargs="+", default=["cure", "simnpo", "npo", "ga"])
    ap.add_argument("--epochs", type=float, default=8)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--lambda-pos", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "unlearn_toy.json")
    args = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = toy_corpus(root / "corpus")
        kb = build_db(root / "kb.sqlite")
        ds = root / "ds"
        manifest = build_dataset(sorted(corpus.glob("*.py")), ds, db_rows(kb), classes=None, fingerprint="toy",
                                 options=BuildOptions(eval_fraction=0.25), jobs=1)
        started = time.perf_counter()
        model = pretrained_toy_model(corpus, root / "model")
        pretrain_s = time.perf_counter() - started
        records = read_records(ds)
        retain = read_jsonl(ds / "retain_eval.jsonl")
        index = DeprecationIndex.from_rows(db_rows(kb))
        rows.append({"objective": "base (no healing)", **_probe(records, retain, model, None, index, root / "p0", heal=False)})
        rows.append({"objective": "base", **_probe(records, retain, model, None, index, root / "p1")})
        for objective in args.objectives:
            options = TrainOptions(objective=objective, epochs=args.epochs, lr=args.lr, lambda_pos=args.lambda_pos,
                                   lora=LoraOptions(r=8, dropout=0.0))
            started = time.perf_counter()
            summary = train(ds, model, root / f"run-{objective}", options, cpu=True, save_every=10_000)
            seconds = time.perf_counter() - started
            rates = _probe(records, retain, model, root / f"run-{objective}" / "adapter", index, root / f"p-{objective}")
            rows.append({"objective": objective, **rates, "train_seconds": round(seconds, 2),
                         "steps": summary["steps"], "last": summary["last"]})

    print(f"{'objective':<20}{'probes':>7}{'deprecated':>12}{'replacement':>13}{'mismatch':>10}"
          f"{'retain ppl':>12}{'train s':>9}")
    for r in rows:
        print(f"{r['objective']:<20}{r['probes']:>7}{r['deprecated_rate']:>12.0%}{r['replacement_rate']:>13.0%}"
              f"{r['mismatch_rate']:>10.0%}{r['retain_perplexity']:>12.3f}{r.get('train_seconds', ''):>9}")
    result = {"command": "python benchmarks/unlearn_toy.py " + " ".join(sys.argv[1:]),
              "machine": platform.platform(), "pairs": manifest["pairs"], "retain_eval_chunks": len(retain), "pretrain_seconds": round(pretrain_s, 2),
              "options": {"epochs": args.epochs, "lr": args.lr, "lambda_pos": args.lambda_pos, "lora_r": 8},
              "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
