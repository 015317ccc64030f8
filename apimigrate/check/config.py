"""A project's own settings for `check` and `fix`: the `[tool.apimigrate]` table of its pyproject.toml.

    [tool.apimigrate]
    db = "tools/deprecations.sqlite"     # relative to the folder holding the file
    select = ["numpy", "pandas"]         # libraries to look for (default: all the DB knows)
    ignore = ["APIM004"]                 # codes, or a prefix such as "APIM00"
    min-confidence = 0.5
    include-compat = false
    include-pending = false
    exclude = ["vendored/", "legacy_*.py"]          # gitignore patterns, on top of .gitignore
    [tool.apimigrate.per-file-ignores]
    "tests/**" = ["APIM003"]

The file is found from the common folder of the paths checked, upward, as black and ruff
find theirs: the first pyproject.toml with a `[tool.apimigrate]` table, stopping at the
repository root. A key we do not know or a value of the wrong kind is an error, not a
setting silently dropped: a typo in CI configuration must not turn a check off.
"""
from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pathspec

from apimigrate.callsites.model import CODE_API, CODE_BY_NAME, CODE_DEFAULT, CODE_KEYWORD

CODES = (CODE_API, CODE_KEYWORD, CODE_BY_NAME, CODE_DEFAULT)
_REPOSITORY_MARKERS = (".git", ".hg")


class ConfigError(ValueError):
    """A configuration that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None = None                 # the file read; None: no configuration
    root: Path = field(default_factory=Path.cwd)     # relative paths and patterns start here
    db: Path | None = None
    select: tuple[str, ...] = ()
    ignore: frozenset[str] = frozenset()
    min_confidence: float | None = None
    include_compat: bool = False
    include_pending: bool = False
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()

    def exclude_spec(self) -> tuple[Path, pathspec.PathSpec] | None:
        """`exclude` as a gitignore spec rooted at the config's folder, for the folder walk."""
        if not self.exclude:
            return None
        return self.root, _spec(self.exclude)

    def excludes(self, path: Path) -> bool:
        """Whether `exclude` matches `path` or a folder above it (for a file the editor opens)."""
        if not self.exclude:
            return False
        rel = _relative(path, self.root)
        return rel is not None and _spec(self.exclude).match_file(rel)

    def ignored_codes(self, path: Path) -> frozenset[str]:
        """The codes (or prefixes) not reported in `path`: `ignore` plus its per-file-ignores."""
        if not self.per_file_ignores:
            return self.ignore
        rel = _relative(path, self.root)
        if rel is None:
            return self.ignore
        codes = set(self.ignore)
        for pattern, extra in self.per_file_ignores:
            if _spec((pattern,)).match_file(rel):
                codes |= extra
        return frozenset(codes)


def parse_codes(values: list[str], where: str) -> frozenset[str]:
    """Upper-cased codes, each one of ours or a prefix of one; anything else is a ConfigError."""
    codes = frozenset(v.strip().upper() for v in values if v.strip())
    unknown = sorted(c for c in codes if not any(known.startswith(c) for known in CODES))
    if unknown:
        raise ConfigError(f"unknown code(s) for {where}: {', '.join(unknown)} (known: {', '.join(CODES)})")
    return codes


Reader = Callable[[Path], dict[str, Any]]


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML; an unreadable file or invalid TOML is a ConfigError."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def find_config(paths: list[Path], read: Reader = read_toml) -> Path | None:
    """The pyproject.toml with a `[tool.apimigrate]` table nearest above the paths' common folder;
    `read` reads a TOML file (the editor passes one that remembers files unchanged since)."""
    if not paths:
        return None
    resolved = [p.resolve() for p in paths]
    try:
        start = Path(os.path.commonpath([str(p) for p in resolved]))
    except ValueError:                          # different drives: no common folder
        return None
    if start.is_file() or not start.exists():
        start = start.parent
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "apimigrate" in _tool(read(candidate)):
            return candidate
        if any((folder / marker).exists() for marker in _REPOSITORY_MARKERS):
            return None
    return None


def load_config(path: Path, read: Reader = read_toml) -> ProjectConfig:
    """The settings in `path`: the `[tool.apimigrate]` table of a pyproject.toml, or the top
    level of any other TOML file (an `apimigrate.toml` passed with --config)."""
    data = read(path)
    if path.name == "pyproject.toml":
        table = _tool(data).get("apimigrate")
        if table is None:
            raise ConfigError(f"{path}: no [tool.apimigrate] table")
    else:
        table = _tool(data).get("apimigrate", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.apimigrate must be a table")
    return _from_table(table, path)


def _tool(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    return tool if isinstance(tool, dict) else {}


_KEYS = {"db", "select", "ignore", "min-confidence", "include-compat", "include-pending",
         "exclude", "per-file-ignores"}


def _from_table(table: dict[str, Any], path: Path) -> ProjectConfig:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [tool.apimigrate]: {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(_KEYS))})")
    root = path.resolve().parent

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {key} must be a list of strings, got {value!r}")
        return value

    def flag(key: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: {key} must be true or false, got {value!r}")
        return value

    db = table.get("db")
    if db is not None and not isinstance(db, str):
        raise ConfigError(f"{path}: db must be a path, got {db!r}")
    confidence = table.get("min-confidence")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))
                                   or not 0.0 <= confidence <= 1.0):
        raise ConfigError(f"{path}: min-confidence must be a number from 0 to 1, got {confidence!r}")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: per-file-ignores must be a table of pattern = [codes]")
    per_file_ignores = []
    for pattern, codes in per_file.items():
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{path}: per-file-ignores.{pattern!r} must be a list of codes, got {codes!r}")
        per_file_ignores.append((pattern, parse_codes(codes, f"per-file-ignores in {path}")))
    return ProjectConfig(
        path=path, root=root,
        db=(root / Path(db).expanduser()) if db else None,
        select=tuple(s.strip() for s in strings("select") if s.strip()),
        ignore=parse_codes(strings("ignore"), f"ignore in {path}"),
        min_confidence=float(confidence) if confidence is not None else None,
        include_compat=flag("include-compat"), include_pending=flag("include-pending"),
        exclude=tuple(strings("exclude")),
        per_file_ignores=tuple(per_file_ignores),
    )


@functools.lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    """Compiled once: the editor asks on every keystroke."""
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
