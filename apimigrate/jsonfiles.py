"""JSON files that an interruption must not leave half-written: written whole (to a temporary
file, synced, then renamed over the old one) or appended to line by line (a last line cut
short is dropped when the file is read back, so the job that appends goes on after it)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2) + "\n")


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def read_appended(path: Path) -> list[dict]:
    """The whole lines of a JSONL file appended to as work got done; a last line cut short by
    an interruption is dropped, from the file too, so that appending goes on after the last
    whole one."""
    rows: list[dict] = []
    if not path.exists():
        return rows
    good = 0
    with open(path, "rb") as fh:
        for raw in fh:
            try:
                rows.append(json.loads(raw))
            except json.JSONDecodeError:
                break
            good += len(raw)
    if good != path.stat().st_size:
        with open(path, "r+b") as fh:
            fh.truncate(good)
    return rows
