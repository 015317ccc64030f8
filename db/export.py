"""Export the knowledge base: JSON Lines, CSV, and a ruff banned-api table."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterator

from .knowledge import KnowledgeBase
from .records import (announced_for, describe_timelines, is_pending, new_values_of, removal_phrase, timelines_of,
                      usage_of, values_of)

# `replacement_via` / `new_parameter_via`: what the library named, itself deprecated for the one given
FIELDS = ["library", "api", "kind", "parameter", "new_parameter", "new_parameter_via", "usage", "values", "new_values",
          "timelines", "position", "replacement", "replacement_via", "drop_in", "since", "removed_in", "removal",
          "pending", "ignored", "conditional", "message", "confidence", "first_seen", "last_seen"]


def records(kb: KnowledgeBase, libraries: list[str] | None = None, min_confidence: float = 0.0) -> Iterator[dict]:
    for row in kb.deprecations(libraries, min_confidence):
        rec = {k: row.get(k) for k in FIELDS}
        rec["parameter"] = rec["parameter"] or None
        rec["pending"] = is_pending(row)     # only announced in the newest version scanned
        # Parameter rows: how a call triggers the deprecation (db.records.USAGES).
        rec["usage"] = usage_of(row) if row["parameter"] else None
        rec["values"] = values_of(row) if row["parameter"] else None
        rec["new_values"] = new_values_of(row) if row["parameter"] else None
        # the dates of single uses, each with its removal (records.TIMELINES); None: the row's hold
        rec["timelines"] = timelines_of(row) or None
        rec["ignored"] = bool(row["ignored"]) if row["parameter"] else None   # leaving it out changes nothing
        rec["conditional"] = bool(row.get("conditional")) if row["parameter"] else None   # some inputs only
        rec["evidence"] = [
            {"kind": e["kind"], "path": e["path"], "line": e["line"], "version": e["version"]}
            for e in kb.evidence_for(row["id"])
        ]
        yield rec


def to_jsonl(recs: Iterator[dict]) -> Iterator[str]:
    for r in recs:
        yield json.dumps(r, ensure_ascii=False) + "\n"


def to_csv(recs: Iterator[dict]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([*FIELDS, "evidence"])
    for r in recs:
        cells = [_cell(r[k]) if k != "timelines" else "|".join(describe_timelines(r)) for k in FIELDS]
        w.writerow(cells + [";".join(f"{e['kind']}:{e['path']}:{e['line']}" for e in r["evidence"])])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, dict):
        return "|".join(f"{old}->{new}" for old, new in value.items())
    return "|".join(value) if isinstance(value, list) else value


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def to_ruff(recs: Iterator[dict]) -> Iterator[str]:
    """A `banned-api` table: ruff flags imports/uses of these names (TID251)."""
    yield "[tool.ruff.lint.flake8-tidy-imports.banned-api]\n"
    seen = set()
    for r in recs:
        if r["kind"] == "parameter" or r["api"] in seen:
            continue  # ruff bans names, not keyword arguments
        seen.add(r["api"])
        if announced_for(r):
            parts = [f"{r['api']} will be deprecated in {r['library']} {r['since']}"]
        else:
            parts = [f"{r['api']} is {'pending deprecation' if r['pending'] else 'deprecated'}"]
            if r["since"]:
                parts[0] += f" since {r['library']} {r['since']}"
        if r["removed_in"]:
            parts.append(removal_phrase(r))
        if r["replacement"]:
            parts.append(f"use {r['replacement']}")
        yield f"{_toml_str(r['api'])}.msg = {_toml_str('; '.join(parts))}\n"


FORMATS = {"jsonl": to_jsonl, "csv": to_csv, "ruff": to_ruff}
