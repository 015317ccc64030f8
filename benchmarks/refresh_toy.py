"""Three ticks of `apimigrate refresh` on the toy world of the tests, one row per run.

A tiny GPT-2 is pretrained on real-shaped modules that call `np.row_stack` and
`pd.io.json.json_normalize` (so it writes them); real-shaped numpy and pandas sources say both
are deprecated. Tick 1 scans numpy only and learns row_stack; tick 2 finds nothing new; tick 3
also scans pandas and learns json_normalize on top of the promoted adapter, replaying row_stack.

    python benchmarks/refresh_toy.py [--epochs 8] [--lr 3e-3]

Prints a table and writes benchmarks/results/refresh_toy.json. On CPU; a toy, so the rates say
what a refresh does, not how a real model fares.
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

from unlearn_support import TOY_NUMPY, TOY_PANDAS, pretrained_toy_model, toy_corpus, write_tree  # noqa: E402

from apimigrate.db import open_db, registry  # noqa: E402
from apimigrate.refresh import load_config, refresh  # noqa: E402


def _config(root: Path, libs: list[str], epochs: float, lr: float) -> Path:
    path = root / "refresh.toml"
    path.write_text(f"""[refresh]
model = "model"
targets = {json.dumps(['./libs/' + lib for lib in libs])}
corpus = ["corpus"]
db = "kb.sqlite"
workdir = "work"
device = "cpu"

[refresh.dataset]
eval-fraction = 0.25

[refresh.train]
epochs = {epochs}
lr = {lr}
lambda-pos = 1.0
lora-r = 8
lora-dropout = 0.0

[refresh.evaluate]
max-new-tokens = 40

[refresh.gates]
max-perplexity-ratio = 1.2
""")
    return path


def _rates(metrics: dict, who: str, part: str) -> dict:
    return metrics[who][part]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=float, default=8)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "refresh_toy.json")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        toy_corpus(root / "corpus")
        write_tree(root / "libs" / "numpy", TOY_NUMPY)
        write_tree(root / "libs" / "pandas", TOY_PANDAS)
        pretrained_toy_model(root / "corpus", root / "model")
        for tick, libs in enumerate((["numpy"], ["numpy"], ["numpy", "pandas"]), 1):
            started = time.perf_counter()
            result = refresh(load_config(_config(root, libs, args.epochs, args.lr)))
            seconds = round(time.perf_counter() - started, 2)
            row = {"tick": tick, "targets": libs, "status": result.status, "seconds": seconds}
            if result.model_id is not None:
                kb = open_db(root / "kb.sqlite")
                try:
                    metrics = registry.get_model(kb, result.model_id).metrics
                finally:
                    kb.close()
                row.update(new=result.selection.new, replay_pairs=result.selection.replay_pairs,
                           before_new=_rates(metrics, "incumbent", "new"), after_new=_rates(metrics, "candidate", "new"),
                           before_old=_rates(metrics, "incumbent", "old"), after_old=_rates(metrics, "candidate", "old"),
                           perplexity=(metrics["incumbent"]["utility"]["perplexity"],
                                       metrics["candidate"]["utility"]["perplexity"]))
            rows.append(row)

    def pct(r: dict, key: str) -> str:
        return "-" if r.get(key) is None else f"{r[key]:.0%}"
    print(f"{'tick':<5}{'status':<13}{'new mappings':<58}{'dep. new':>16}{'repl. new':>16}{'dep. old':>14}"
          f"{'ppl':>16}{'s':>7}")
    for r in rows:
        if "before_new" in r:
            b, a, bo, ao = r["before_new"], r["after_new"], r["before_old"], r["after_old"]
            cells = (f"{pct(b, 'deprecated_rate')} → {pct(a, 'deprecated_rate')}",
                     f"{pct(b, 'replacement_rate')} → {pct(a, 'replacement_rate')}",
                     f"{pct(bo, 'deprecated_rate')} → {pct(ao, 'deprecated_rate')}",
                     f"{r['perplexity'][0]:.3f} → {r['perplexity'][1]:.3f}")
            new = ", ".join(r["new"])
        else:
            cells, new = ("-", "-", "-", "-"), "-"
        print(f"{r['tick']:<5}{r['status']:<13}{new:<58}{cells[0]:>16}{cells[1]:>16}{cells[2]:>14}{cells[3]:>16}"
              f"{r['seconds']:>7}")
    result = {"command": "python benchmarks/refresh_toy.py " + " ".join(sys.argv[1:]), "machine": platform.platform(),
              "options": {"epochs": args.epochs, "lr": args.lr}, "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
