"""Run the probes of a dataset's eval split through a model and sum up the outcomes.

    OUT/probes.jsonl   one line per probe: its key, the generated line, the outcome
    OUT/summary.json   deprecated / replacement / mismatch rates per mapping and overall

Each batch of probes is appended (and flushed) as it is done, so an interrupted run goes on
from where it stopped; the summary is rewritten from every probe at the end. A row counts only
for the same probe: its key and the hash of its prompt and line (a rebuilt dataset may give a
key other text).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Protocol

from apimigrate.callsites import DeprecationIndex
from apimigrate.jsonfiles import read_appended, write_json
from apimigrate.unlearn.batches import read_jsonl

from .probe import OUTCOMES, classify

PROBES, SUMMARY = "probes.jsonl", "summary.json"


class LineGenerator(Protocol):
    def first_lines(self, prompts: list[str]) -> list[str]: ...


def probe_key(record: dict) -> str:
    return f"{record['path']}:{record['line']}:{record['mapping']}"


def probe_sha(record: dict) -> str:
    text = f"{record['context']}\0{record['deprecated_line']}\0{record['mapping']}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_records(path: Path) -> list[dict]:
    """Pairs from a dataset's JSONL file (or `eval.jsonl` in a dataset folder)."""
    return read_jsonl(path / "eval.jsonl" if path.is_dir() else path)


def run_probes(records: Iterable[dict], generator: LineGenerator, index: DeprecationIndex | None, out: Path,
               *, batch_size: int = 8, on_batch: Callable[[int, int], None] | None = None) -> dict:
    """Answer every probe not answered yet in `out`, then write and return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    records = list(records)
    probes_path = out / PROBES
    shas = {probe_key(r): probe_sha(r) for r in records}
    done = {row["key"]: row for row in read_appended(probes_path) if row.get("sha") == shas.get(row["key"])}
    todo = [r for r in records if probe_key(r) not in done]
    if on_batch is not None:
        on_batch(len(records) - len(todo), len(records))
    with open(probes_path, "a", encoding="utf-8") as fh:
        for start in range(0, len(todo), batch_size):
            batch = todo[start:start + batch_size]
            lines = generator.first_lines([r["context"] for r in batch])
            for record, line in zip(batch, lines):
                key = probe_key(record)
                row = {"key": key, "sha": shas[key], "mapping": record["mapping"], "generated": line,
                       "outcome": classify(record, line, index),
                       "deprecated_line": record["deprecated_line"]}
                done[row["key"]] = row
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
            if on_batch is not None:
                on_batch(len(records) - len(todo) + start + len(batch), len(records))
    summary = summarize([row for key, row in done.items() if key in shas])
    write_summary(out, summary)
    return summary


def write_summary(out: Path, summary: dict) -> None:
    write_json(out / SUMMARY, summary)


def summarize(rows: list[dict]) -> dict:
    """Counts and rates of each outcome, overall and per mapping."""
    def rates(counts: Counter) -> dict:
        total = sum(counts.values())
        return {"probes": total, **{o: counts[o] for o in OUTCOMES},
                **{f"{o}_rate": (counts[o] / total if total else 0.0) for o in OUTCOMES}}
    per: dict[str, Counter] = {}
    for row in rows:
        per.setdefault(row["mapping"], Counter())[row["outcome"]] += 1
    overall = Counter(row["outcome"] for row in rows)
    return {"overall": rates(overall),
            "mappings": {m: rates(c) for m, c in sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))}}
