"""Run the probes of a dataset's eval split through a model and sum up the outcomes.

    OUT/probes.jsonl   one line per probe: its key, the generated line, the outcome
    OUT/summary.json   deprecated / replacement / mismatch rates per mapping and overall

Each batch of probes is appended (and flushed) as it is done, so an interrupted run goes on
from where it stopped; the summary is rewritten from every probe at the end. A row counts only
for the same probe: its key and the hash of its prompt and line (a rebuilt dataset may give a
key other text). A key is `path:line:mapping` with the line counted from 1, as `check` shows it;
the dataset's `line` field is the 0-based index in the file (pairs.Pair).

Dataset lines are JSON read back from disk: a line that is not a pair record (another file's,
an edited one) is skipped and counted, as `train` does with its split.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from apimigrate.callsites import DeprecationIndex
from apimigrate.jsonfiles import read_appended, read_jsonl, write_json, write_jsonl
from apimigrate.unlearn.batches import NOT_A_PAIR       # train's words for such a line

from .probe import OUTCOMES, classify

PROBES, SUMMARY = "probes.jsonl", "summary.json"


class LineGenerator(Protocol):
    def first_lines(self, prompts: list[str]) -> list[str]: ...


# What a probe reads of a pair record, by type; the optional fields may also be missing or null.
PROBE_FIELDS: dict[str, type] = {"path": str, "line": int, "mapping": str, "api": str, "context": str,
                                 "deprecated_line": str}
OPTIONAL_FIELDS: dict[str, type] = {"imports": str, "replacement": str, "kind": str, "parameter": str, "value": str}


def probe_key(record: dict) -> str:
    """`path:line:mapping`, the line 1-based (the record's is 0-based), as users see lines."""
    return f"{record['path']}:{record['line'] + 1}:{record['mapping']}"


def _legacy_key(record: dict) -> str:
    """The key of a probe in a probes.jsonl written before keys counted lines from 1."""
    return f"{record['path']}:{record['line']}:{record['mapping']}"


def probe_sha(record: dict) -> str:
    text = f"{record['context']}\0{record['deprecated_line']}\0{record['mapping']}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def records_file(path: Path) -> Path:
    """The probes' file: `eval.jsonl` in a dataset folder, else `path` itself (a pairs JSONL file)."""
    return path / "eval.jsonl" if path.is_dir() else path


def read_records(path: Path) -> list[dict]:
    """Every line of a dataset's JSONL file (or of `eval.jsonl` in a dataset folder), unchecked:
    `usable_probes` keeps the pair records; a line that is not JSON raises JsonLinesError."""
    return read_jsonl(records_file(path))


def is_probe(record: Any) -> bool:
    """Whether a dataset line holds what a probe reads (a pair record, not `[1, 2]` or `{"mapping": 1}`)."""
    if not isinstance(record, dict):
        return False
    if any(not _of_type(record.get(k), t) for k, t in PROBE_FIELDS.items()):
        return False
    return all(record.get(k) is None or isinstance(record[k], t) for k, t in OPTIONAL_FIELDS.items())


def _of_type(value: Any, kind: type) -> bool:
    # a bool is an int to isinstance, never a line number
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def usable_probes(records: Iterable[Any]) -> tuple[list[dict], Counter]:
    """The records a probe can be made of, and the others counted by reason (train's words)."""
    kept: list[dict] = []
    skipped: Counter = Counter()
    for record in records:
        if is_probe(record):
            kept.append(record)
        else:
            skipped[NOT_A_PAIR] += 1
    return kept, skipped


def run_probes(records: Iterable[dict], generator: LineGenerator, index: DeprecationIndex | None, out: Path,
               *, batch_size: int = 8, on_batch: Callable[[int, int], None] | None = None) -> dict:
    """Answer every probe not answered yet in `out`, then write and return the summary. Records
    that are no probes are left out here too (`usable_probes` says how many)."""
    out.mkdir(parents=True, exist_ok=True)
    records, _ = usable_probes(records)
    probes_path = out / PROBES
    shas = {probe_key(r): probe_sha(r) for r in records}
    answered = _answered(read_appended(probes_path), shas, {_legacy_key(r): probe_key(r) for r in records})
    # judged by the DB given now; those asked below are judged as they are answered
    done = _classified_again(answered, {probe_key(r): r for r in records}, index, probes_path)
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
    summary = summarize(list(done.values()))
    write_summary(out, summary)
    return summary


def _classified_again(answered: dict[str, dict], records: dict[str, dict], index: DeprecationIndex | None,
                      probes_path: Path) -> dict[str, dict]:
    """The probes answered before, each outcome judged by `index` now: their lines (a resumed
    run, another --db on the same folder) are not generated again, but what they use depends on
    the DB (aliases, classes). probes.jsonl is rewritten when an outcome changed."""
    judged, changed = {}, False
    for key, row in answered.items():
        outcome = classify(records[key], row["generated"], index)
        if outcome != row["outcome"]:
            row, changed = {**row, "outcome": outcome}, True
        judged[key] = row
    if changed:
        write_jsonl(probes_path, judged.values())
    return judged


def _answered(rows: list[dict], shas: dict[str, str], legacy: dict[str, str]) -> dict[str, dict]:
    """key -> row of the probes answered already (for the same prompt); a row of a run that keyed
    lines from 0 (`legacy`: old key -> key) still counts, so such a run goes on where it stopped."""
    done: dict[str, dict] = {}
    for row in rows:
        # the sha decides: an old key may spell another probe's new key (`a.py:3:m` was line 4)
        for key in (row.get("key"), legacy.get(row.get("key"))):
            if key in shas and row.get("sha") == shas[key]:
                done[key] = {**row, "key": key}
                break
    return done


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
