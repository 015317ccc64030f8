"""Where a dataset build keeps each file's pairs as it goes (`OUT/staging.sqlite`).

Every file's results are written in one transaction, so an interrupted build keeps all the
files it finished and a rerun of the same command carries on from there. The JSONL files
are written from this store at the end.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterator

from apimigrate.db.sqlite_utils_lean import Database

from .pairs import FilePairs

STAGING_NAME = "staging.sqlite"


class StagingError(Exception):
    """The staging store cannot be used; the message is one line for the user."""


def unusable(path: Path, exc: sqlite3.DatabaseError) -> StagingError:
    """The one line for a store that cannot be used, opened or read midway, with what to do."""
    return StagingError(f"cannot use the staging store {path}: {exc}{_hint(exc)}")


def _hint(exc: sqlite3.DatabaseError) -> str:
    """A damaged store (not a database, malformed) holds only what a build reads again, so
    starting over loses nothing; a locked or unopenable one is no reason to delete it (another
    build may be using it)."""
    if isinstance(exc, sqlite3.OperationalError):
        return ""
    return " (it only keeps the files read so far: `apimigrate dataset build ... --fresh` starts it over)"


class Staging:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            conn = sqlite3.connect(str(path), timeout=5.0)
            self.db = Database(conn)
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._create()
        except sqlite3.DatabaseError as exc:
            raise unusable(path, exc) from exc

    def _create(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sha256 TEXT, "
                        "error TEXT, dropped TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS pairs (path TEXT, seq INTEGER, record TEXT, "
                        "PRIMARY KEY (path, seq))")
        self.db.execute("CREATE TABLE IF NOT EXISTS retain (path TEXT, seq INTEGER, record TEXT, "
                        "PRIMARY KEY (path, seq))")

    def close(self) -> None:
        self.db.conn.close()

    # ---- what the build was made with ---------------------------------
    def meta(self) -> dict:
        return {r["key"]: json.loads(r["value"]) for r in self.db.query("SELECT key, value FROM meta")}

    def set_meta(self, values: dict) -> None:
        with self.db.conn:
            for key, value in values.items():
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, json.dumps(value)])

    # ---- per file -------------------------------------------------------
    def done(self) -> dict[str, str]:
        """path -> sha256 of every file already stored (errors included: they are reported again)."""
        return {r["path"]: r["sha256"] for r in self.db.query("SELECT path, sha256 FROM files")}

    def store(self, result: FilePairs) -> None:
        """Replace everything stored for the file by `result`, all or nothing."""
        with self.db.conn:
            for table in ("files", "pairs", "retain"):
                self.db.execute(f"DELETE FROM {table} WHERE path = ?", [result.path])
            self.db.execute("INSERT INTO files (path, sha256, error, dropped) VALUES (?, ?, ?, ?)",
                            [result.path, result.sha256, result.error, json.dumps(dict(result.dropped))])
            self.db.conn.executemany("INSERT INTO pairs (path, seq, record) VALUES (?, ?, ?)",
                                     [(result.path, i, json.dumps(p.as_dict())) for i, p in enumerate(result.pairs)])
            self.db.conn.executemany("INSERT INTO retain (path, seq, record) VALUES (?, ?, ?)",
                                     [(result.path, i, json.dumps(r)) for i, r in enumerate(result.retain)])

    def forget(self, paths: list[str]) -> None:
        """Drop files no longer in the corpus, so the dataset matches what was asked for."""
        with self.db.conn:
            for path in paths:
                for table in ("files", "pairs", "retain"):
                    self.db.execute(f"DELETE FROM {table} WHERE path = ?", [path])

    def files(self) -> Iterator[dict]:
        for r in self.db.query("SELECT path, sha256, error, dropped FROM files ORDER BY path"):
            yield {**r, "dropped": json.loads(r["dropped"] or "{}")}

    def records(self, table: str) -> Iterator[tuple[str, dict]]:
        """(path, record) of the `pairs` or `retain` table, in file and line order."""
        for r in self.db.query(f"SELECT path, record FROM {table} ORDER BY path, seq"):
            yield r["path"], json.loads(r["record"])
