"""The server's view of the deprecation DB: rows, the call-site index, and names by prefix.

A `Knowledge` is an immutable snapshot; a DB change or a settings change builds a
new one and swaps it in, so a check in flight never sees half of each.
All DB reads happen on the server's single worker thread (see checker.py).
"""
from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from apimigrate.callsites import DeprecationIndex
from apimigrate.db import DBError, KnowledgeBase, UnknownLibrary, default_db_path, open_db

from .settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Knowledge:
    path: Path
    rows: list[dict]
    index: DeprecationIndex
    fingerprint: str = ""
    kb: KnowledgeBase | None = None
    error: str | None = None
    ino: int | None = None      # identity of the file read: a DB replaced by rename is a new one
    by_id: dict[int, dict] = field(default_factory=dict)
    by_api: dict[str, list[dict]] = field(default_factory=dict)
    _evidence: dict[int, list[dict]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            self.by_id[row["id"]] = row
            self.by_api.setdefault(row["api"], []).append(row)

    @property
    def libraries(self) -> set[str]:
        return {r["library"] for r in self.rows}

    def evidence_for(self, dep_id: int) -> list[dict]:
        """Evidence rows of one deprecation (read once, then cached with the snapshot)."""
        if dep_id not in self._evidence:
            try:
                self._evidence[dep_id] = self.kb.evidence_for(dep_id) if self.kb else []
            except DBError as exc:
                log.warning("evidence for %s: %s", dep_id, exc)
                return []
        return self._evidence[dep_id]

    def whole_api_row(self, api: str) -> dict | None:
        """The row deprecating `api` itself (not one of its parameters)."""
        for row in self.by_api.get(api, ()):
            if not row.get("parameter"):
                return row
        return None

    def members(self, prefix: str) -> dict[str, dict | None]:
        """Names directly under `prefix` that the DB knows of.

        A deprecated API maps to its row; a name that appears only as some
        row's replacement (so the library itself points to it) maps to None.
        """
        out: dict[str, dict | None] = {}
        dotted = prefix + "."
        for row in self.rows:
            for name, is_api in ((row["api"], True), (row.get("replacement"), False)):
                if not name or not name.startswith(dotted):
                    continue
                member = name[len(dotted):].split(".", 1)[0]
                deep = "." in name[len(dotted):]
                if not member.isidentifier():
                    continue
                if is_api and not deep and not row.get("parameter"):
                    out[member] = row
                else:
                    out.setdefault(member, None)
        return out

    def close(self) -> None:
        if self.kb is not None:
            self.kb.close()
            self.kb = None


def empty(path: Path, error: str | None = None) -> Knowledge:
    return Knowledge(path=path, rows=[], index=DeprecationIndex.from_rows([]), error=error)


def resolve_path(settings: Settings, cli_db: Path | None) -> Path:
    """The editor's settings beat the command line, which beats APIMIGRATE_DB, then the
    workspace's pyproject.toml `db`, then the default (the order `apimigrate check` reads them in)."""
    if settings.db_path or cli_db:
        return settings.db_path or cli_db
    if settings.project_db is not None and not os.environ.get("APIMIGRATE_DB"):
        return settings.project_db
    return default_db_path()


def load(path: Path, settings: Settings) -> Knowledge:
    """Read the DB at `path` into a snapshot; a missing or broken DB gives an empty one.

    A missing file is not created: the server must not leave an empty DB behind
    in a place the user never asked for. The watcher picks it up once it exists.
    """
    if not path.exists():
        return empty(path, f"no deprecation DB at {path} (run `apimigrate scan` first)")
    try:
        ino = path.stat().st_ino
        kb = open_db(path)
        libraries, error = _selected(kb, settings.libraries)
        if kb.is_empty():
            error = f"the deprecation DB at {path} is empty (run `apimigrate scan LIBRARY` first)"
        rows = [] if libraries == [] else kb.deprecations(libraries=libraries, min_confidence=settings.min_confidence)
        classes = kb.class_facts()
        fp = kb.fingerprint()
    except (DBError, OSError) as exc:
        return empty(path, str(exc))
    return Knowledge(path=path, rows=rows, index=DeprecationIndex.from_rows(rows, classes), fingerprint=fp,
                     kb=kb, ino=ino, error=error)


def _selected(kb: KnowledgeBase, names: tuple[str, ...]) -> tuple[list[str] | None, str | None]:
    """The libraries the settings select (None: all) and what to tell of names the DB does not
    know: those are left out, the others still checked ([] when none is known)."""
    if not names:
        return None, None
    try:
        return kb.select_libraries(names), None
    except UnknownLibrary as exc:
        return exc.chosen, f"libraries: {exc}"


def current_fingerprint(knowledge: Knowledge) -> str | None:
    """The DB's fingerprint now, or None when the snapshot's file is gone or was replaced."""
    if knowledge.kb is None:
        return None
    try:
        if knowledge.path.stat().st_ino != knowledge.ino:
            return None
        return knowledge.kb.fingerprint()
    except (DBError, OSError, sqlite3.Error):
        return None
