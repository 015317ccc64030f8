"""JSON files that an interruption must not leave half-written: written whole (to a temporary
file, synced, then renamed over the old one) or appended to line by line (a last line cut
short is dropped when the file is read back, so the job that appends goes on after it); and
JSONL files read whole, where a bad line is an error naming the file, the line and why."""
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


class JsonLinesError(ValueError):
    """A JSONL file cannot be read; the message is one line naming the file (and the line)."""


def read_jsonl(path: Path) -> list[Any]:
    """Every value of a JSONL file, blank lines skipped. A line that is not JSON (one cut short,
    say) is an error with its 1-based line number and the whole decoder message, whose column
    says where in the line it broke: `ds/eval.jsonl:7: not a JSON line (Unterminated string
    starting at: line 1 column 57 (char 56))`."""
    values: list[Any] = []
    try:
        with open(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                values.extend(_json_line(path, n, raw))
    except OSError as exc:
        raise JsonLinesError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return values


def _json_line(path: Path, n: int, raw: bytes) -> list[Any]:
    """The value on line `n` (none for a blank line); decoded line by line so that a byte that
    is not UTF-8 is told with its line too."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonLinesError(f"{path}:{n}: not UTF-8 (byte {exc.start + 1} of the line: {exc.reason})") from exc
    if not line.strip():
        return []
    try:
        return [json.loads(line)]
    except json.JSONDecodeError as exc:
        raise JsonLinesError(f"{path}:{n}: not a JSON line ({exc})") from exc
