"""What a refresh trains on: the pairs of mappings the promoted model has not learned yet (the
delta), plus a replay sample of the pairs of mappings it has, so those do not relapse.

    DATA/train.jsonl, eval.jsonl                 the run's pairs and probes
    DATA/retain_train.jsonl, retain_eval.jsonl   the corpus's retain chunks, as built
    DATA/selection.json                          the new and old mappings, counts, the incumbent

Replay pairs and probes are drawn round-robin over mappings (each one's pairs shuffled by the
seed), so a mapping with hundreds of pairs does not crowd out one with three.
"""
from __future__ import annotations

import json
import os
import random
import shutil
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from apimigrate.jsonfiles import write_json, write_jsonl
from apimigrate.unlearn.batches import read_jsonl

SELECTION = "selection.json"


@dataclass
class Selection:
    new: list[str]                   # mappings with train pairs and probes that the incumbent has not learned
    old: list[str]                   # mappings learned before that the corpus still has pairs of
    train_pairs: int
    replay_pairs: int
    probes: int
    incumbent_id: int | None          # the promoted model the run started from (None: the base alone)
    incumbent_adapter: str | None
    unmeasured: list[str] = field(default_factory=list)   # not learned yet for want of a probe

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def read(cls, data: Path) -> "Selection":
        return cls(**json.loads((data / SELECTION).read_text(encoding="utf-8")))


def round_robin(records: list[dict], seed: str) -> list[dict]:
    """`records` reordered: one of each mapping in turn, each mapping's own order shuffled."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        groups[r["mapping"]].append(r)
    queues = []
    for mapping in sorted(groups):
        items = list(groups[mapping])
        random.Random(f"{seed}:{mapping}").shuffle(items)
        queues.append(items)
    out: list[dict] = []
    for depth in range(max(map(len, queues), default=0)):
        out.extend(q[depth] for q in queues if depth < len(q))
    return out


def select(corpus_data: Path, data: Path, learned: set[str], *, replay: float, max_probes: int, seed: int,
           incumbent_id: int | None, incumbent_adapter: str | None) -> Selection:
    """Write the run's dataset into `data` from the corpus's; returns what it holds."""
    train = read_jsonl(corpus_data / "train.jsonl")
    evals = read_jsonl(corpus_data / "eval.jsonl")
    # A mapping is learned only where it can be measured: one with no probe (all its files fell on
    # the train side) waits for a corpus that has one, rather than be counted learned unseen.
    probed = {r["mapping"] for r in evals}
    candidates = {r["mapping"] for r in train} - learned
    new, unmeasured = sorted(candidates & probed), sorted(candidates - probed)
    old = sorted({r["mapping"] for r in train + evals} & learned)
    new_pairs = [r for r in train if r["mapping"] in new]
    old_pool = round_robin([r for r in train if r["mapping"] in learned], f"{seed}:replay")
    replayed = old_pool[:min(len(old_pool), round(replay * len(new_pairs)))]
    probes = _probes(round_robin([r for r in evals if r["mapping"] in new], f"{seed}:probes"),
                     round_robin([r for r in evals if r["mapping"] in learned], f"{seed}:probes"), max_probes)
    data.mkdir(parents=True, exist_ok=True)
    write_jsonl(data / "train.jsonl", new_pairs + replayed)
    write_jsonl(data / "eval.jsonl", probes)
    for name in ("retain_train.jsonl", "retain_eval.jsonl"):
        source = corpus_data / name
        if source.is_file():
            shutil.copyfile(source, data / (name + ".tmp"))
            os.replace(data / (name + ".tmp"), data / name)
    selection = Selection(new=new, old=old, train_pairs=len(new_pairs), replay_pairs=len(replayed),
                          probes=len(probes), incumbent_id=incumbent_id, incumbent_adapter=incumbent_adapter,
                          unmeasured=unmeasured)
    write_json(data / SELECTION, selection.as_json())
    return selection


def _probes(new: list[dict], old: list[dict], limit: int) -> list[dict]:
    """At most `limit` probes, the new mappings' first, but a quarter of them (or what the new
    ones leave) kept for the mappings learned before, so that relapse is measured, not assumed."""
    n_old = min(len(old), max(limit - len(new), limit // 4))
    return new[:limit - n_old] + old[:n_old]
