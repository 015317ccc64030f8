"""What a dataset was built from (its `manifest.json`, written by `dataset build`), checked
against what `evaluate` is given: a probe is classified with the DB's knowledge of its API
(aliases, classes, members), so a DB other than the dataset's can score the same lines otherwise.
"""
from __future__ import annotations

import json
from pathlib import Path

from apimigrate.callsites import DeprecationIndex

MANIFEST = "manifest.json"
_NAMED = 3                  # APIs named in the warning; the rest are counted


def read_manifest(data: Path) -> dict | None:
    """The manifest of the dataset folder `data` (or of the folder holding the file `data`);
    None when there is none or it is not a JSON object (a pairs file made by hand)."""
    path = (data if data.is_dir() else data.parent) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def unknown_apis(records: list[dict], index: DeprecationIndex) -> list[str]:
    """The APIs of the probes that the DB holds no row for, most probed first."""
    counts: dict[str, int] = {}
    for r in records:
        api = r["api"]
        if index.lookup(api) is None and not index.parameters(api):
            counts[api] = counts.get(api, 0) + 1
    return sorted(counts, key=lambda a: (-counts[a], a))


def db_warning(manifest: dict | None, fingerprint: str, records: list[dict], index: DeprecationIndex,
               db: Path, data: Path) -> str | None:
    """One line when the DB `db` is not the state the dataset was built from, or lacks APIs
    its probes ask about; None when it is the dataset's own."""
    built_from = (manifest or {}).get("db_fingerprint")
    other = isinstance(built_from, str) and built_from != fingerprint
    missing = unknown_apis(records, index)
    if not other and not missing:
        return None
    parts = []
    if other:
        parts.append(f"{db} is not the DB state {data} was built from (fingerprint {built_from} in its "
                     f"{MANIFEST}, {fingerprint} now)")
    if missing:
        lacking = set(missing)
        probes = sum(1 for r in records if r["api"] in lacking)
        named = ", ".join(missing[:_NAMED]) + (f" and {len(missing) - _NAMED} more" if len(missing) > _NAMED else "")
        parts.append(f"{'it' if other else str(db)} holds no row for the APIs of {probes} of {len(records)} "
                     f"probe(s) ({named})")
    return ", and ".join(parts) + "; outcomes may differ from those against the dataset's DB (pass that --db)"
