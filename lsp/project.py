"""The project's `[tool.apimigrate]` table in the editor, so it shows what `apimigrate check` reports.

Per document: the nearest pyproject.toml with the table above the file, found the way the
CLI finds it, decides which codes are ignored there and whether the file is excluded. Per
workspace: the table above the workspace folder gives the database and its selection,
below what the editor's own settings say. Files are re-read only when their (mtime, size)
changes, so a keystroke costs a few stat calls up the folder tree.

A file that turns broken (invalid TOML half-way through an edit, a key mistyped) keeps the last
settings read from it: dropping them would drop its `db`, and with it every finding, until the
file is fixed. A file never read valid gives nothing, as before.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from pygls.uris import to_fs_path

from apimigrate.check.config import ConfigError, ProjectConfig, find_config, load_config, read_toml

_Stamp = tuple[int, int]


class _BrokenFile(ConfigError):
    """A TOML file that cannot be read, naming it: the search for the table stops there."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ProjectConfigs:
    def __init__(self, tell: Callable[[str], None]) -> None:
        self.tell = tell                     # how a broken configuration reaches the user
        self._toml: dict[Path, tuple[_Stamp, dict[str, Any] | _BrokenFile]] = {}
        self._configs: dict[Path, tuple[_Stamp, ProjectConfig | None]] = {}
        self._last_valid: dict[Path, ProjectConfig] = {}    # per pyproject.toml: its last valid table
        self._told: dict[Path | None, set[str]] = {}         # per file: the mistakes already told

    def for_uri(self, uri: str) -> tuple[Path, ProjectConfig] | None:
        """The file behind `uri` and its project's settings; None for an unsaved buffer or no table."""
        if not uri.startswith("file:"):
            return None
        path = to_fs_path(uri)
        if path is None:
            return None
        found = self.for_path(Path(path))
        return (Path(path), found) if found is not None else None

    def for_path(self, path: Path) -> ProjectConfig | None:
        """The settings of the nearest table above `path`; None when there is none. A broken
        file gives its last valid settings, or None when it never had any (the user is told
        once per mistake, and the file is checked with nothing left out)."""
        found: Path | None = None
        try:
            found = find_config([path], read=self._read)
            if found is None:
                return None
            stamp = _stamp(found)
            cached = self._configs.get(found)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            config = load_config(found, read=self._read)
        except ConfigError as exc:
            return self._broken(exc.path if isinstance(exc, _BrokenFile) else found, exc)
        self._configs[found] = (stamp, config)
        self._last_valid[found] = config
        self._told.pop(found, None)          # valid again: a later mistake is told anew
        return config

    def _broken(self, path: Path | None, exc: ConfigError) -> ProjectConfig | None:
        """What a broken `path` stands for: its last valid settings, if it ever had some."""
        kept = self._last_valid.get(path) if path is not None else None
        told = self._told.setdefault(path, set())
        if str(exc) not in told:             # once per mistake, not once per keystroke
            told.add(str(exc))
            self.tell(f"project settings not used: {exc}" if kept is None
                      else f"keeping the last valid project settings: {exc}")
        return kept

    def _read(self, path: Path) -> dict[str, Any]:
        stamp = _stamp(path)
        cached = self._toml.get(path)
        if cached is None or cached[0] != stamp:
            try:
                value: dict[str, Any] | _BrokenFile = read_toml(path)
            except ConfigError as exc:
                value = _BrokenFile(str(exc), path)
            else:
                if not _has_table(value):        # the table removed: nothing left to keep
                    self._last_valid.pop(path, None)
            cached = self._toml[path] = (stamp, value)
        if isinstance(cached[1], _BrokenFile):
            raise cached[1]
        return cached[1]


def _has_table(data: dict[str, Any]) -> bool:
    tool = data.get("tool")
    return isinstance(tool, dict) and "apimigrate" in tool


def _stamp(path: Path) -> _Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return st.st_mtime_ns, st.st_size
