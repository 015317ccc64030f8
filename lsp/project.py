"""The project's `[tool.apimigrate]` table in the editor, so it shows what `apimigrate check` reports.

Per document: the nearest pyproject.toml with the table above the file, found the way the
CLI finds it, decides which codes are ignored there and whether the file is excluded. Per
workspace: the table above the workspace folder gives the database and its selection,
below what the editor's own settings say. Files are re-read only when their (mtime, size)
changes, so a keystroke costs a few stat calls up the folder tree.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from pygls.uris import to_fs_path

from apimigrate.check.config import ConfigError, ProjectConfig, find_config, load_config, read_toml

_Stamp = tuple[int, int]


class ProjectConfigs:
    def __init__(self, tell: Callable[[str], None]) -> None:
        self.tell = tell                     # how a broken configuration reaches the user
        self._toml: dict[Path, tuple[_Stamp, dict[str, Any] | ConfigError]] = {}
        self._configs: dict[Path, tuple[_Stamp, ProjectConfig | None]] = {}
        self._told: set[str] = set()

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
        """The settings of the nearest table above `path`; None when there is none or it is
        broken (the user is told once, and the file is checked with nothing left out)."""
        try:
            found = find_config([path], read=self._read)
            if found is None:
                return None
            stamp = _stamp(found)
            cached = self._configs.get(found)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            config: ProjectConfig | None = load_config(found, read=self._read)
        except ConfigError as exc:
            if str(exc) not in self._told:      # once per mistake, not once per keystroke
                self._told.add(str(exc))
                self.tell(f"project settings not used: {exc}")
            return None
        self._configs[found] = (stamp, config)
        return config

    def _read(self, path: Path) -> dict[str, Any]:
        stamp = _stamp(path)
        cached = self._toml.get(path)
        if cached is None or cached[0] != stamp:
            try:
                value: dict[str, Any] | ConfigError = read_toml(path)
            except ConfigError as exc:
                value = exc
            cached = self._toml[path] = (stamp, value)
        if isinstance(cached[1], ConfigError):
            raise cached[1]
        return cached[1]


def _stamp(path: Path) -> _Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return st.st_mtime_ns, st.st_size
