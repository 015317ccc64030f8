"""A tiny library written on the spot and scanned into a fresh database: how the scanner's tests
check a real-shaped snippet end to end."""
from __future__ import annotations

from pathlib import Path

from apimigrate.db import KnowledgeBase, open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree


def scan_library(tmp_path: Path, name: str, version: str, files: dict[str, str]) -> KnowledgeBase:
    """`files` (paths relative to the checkout) under a pyproject naming `name` `version`, scanned."""
    root = write_tree(tmp_path / "src", {"pyproject.toml": f'[project]\nname = "{name}"\nversion = "{version}"\n',
                                         **files})
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(root)], show_progress=False, workers=1)
    return kb


def rows_of(kb: KnowledgeBase, library: str) -> dict[tuple[str, str | None], dict]:
    """The library's rows by (api, parameter)."""
    return {(r["api"], r["parameter"] or None): r for r in kb.deprecations([library])}


def scanned_rows(tmp_path: Path, name: str, version: str, files: dict[str, str]) -> dict[tuple[str, str | None], dict]:
    """`files` scanned as `name` `version` (scan_library), and that library's rows by (api, parameter)."""
    kb = scan_library(tmp_path, name, version, files)
    try:
        return rows_of(kb, name)
    finally:
        kb.close()


def index_of(db: Path):
    """The DeprecationIndex `check` builds from the database at `db`."""
    from apimigrate.callsites import DeprecationIndex
    kb = open_db(db)
    try:
        return DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    finally:
        kb.close()


def exported_of(db: Path) -> dict[tuple[str, str | None], dict]:
    """What `db export` writes for the database at `db`, by (api, parameter)."""
    from apimigrate.db.export import records
    kb = open_db(db)
    try:
        return {(r["api"], r["parameter"]): r for r in records(kb)}
    finally:
        kb.close()
