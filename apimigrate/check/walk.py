"""Which files a check covers: the paths given, Python files and notebooks below folders, minus `.gitignore`d ones."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pathspec

_ALWAYS_SKIP = {".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints"}   # the last: Jupyter's autosaves
SUFFIXES = (".py", ".ipynb")


def _spec(folder: Path) -> pathspec.PathSpec | None:
    ignore = folder / ".gitignore"
    try:
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    for base, spec in specs:
        try:
            rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        except ValueError:                     # a spec of another tree (--config from elsewhere)
            continue
        if spec.match_file(rel):
            return True
    return False


def _ancestor_specs(root: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """`.gitignore` files above `root`, up to the repository root that holds `.git`."""
    specs = []
    for folder in root.parents:
        spec = _spec(folder)
        if spec is not None:
            specs.append((folder, spec))
        if (folder / ".git").exists():
            break
    return specs


def iter_python_files(paths: list[Path], exclude: tuple[Path, pathspec.PathSpec] | None = None, *,
                      special: bool = False) -> Iterator[Path]:
    """Files named on the command line always; `.py` and `.ipynb` files below folders unless ignored.

    `.gitignore` files inside a folder apply below them; those of enclosing
    folders (up to the repository root) apply too, except when they ignore the
    folder itself: naming an ignored folder explicitly means "check it anyway".
    `exclude` (the project's own patterns, rooted at its folder) works the same way.
    Each file is given once, however many names reach it (a symbolic link to another
    file of the tree, the same file named twice or below two folders given).
    With `special`, something named that is neither file nor folder (a FIFO, a device) is
    given too, for the check to report as not checkable; otherwise it is left out, as below
    folders (reading a FIFO would wait for a writer).
    """
    seen: set[str] = set()                     # real paths of the files given so far
    for given in paths:
        if not given.is_dir():
            if (given.is_file() or (special and given.exists())) and _first_time(given, seen):
                yield given
            continue
        root = given
        resolved_root = root.resolve()
        inherited = _ancestor_specs(resolved_root) + ([exclude] if exclude is not None else [])
        if _ignored(resolved_root, True, [(b, s) for b, s in inherited if resolved_root != b]):
            inherited = []
        yield from _walk(root, resolved_root, inherited, seen)


def _first_time(path: Path, seen: set[str]) -> bool:
    """Whether the file `path` reaches was not given yet (and note it as given now)."""
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _walk(root: Path, resolved_root: Path, inherited: list[tuple[Path, pathspec.PathSpec]],
          seen: set[str]) -> Iterator[Path]:
    # Keyed by Path, not os.walk's own strings: those keep a leading "./" (`./pkg`) that
    # `Path.parent` drops (`pkg`), so below `check .` a folder would not find its parent's rules.
    specs_at: dict[Path, list[tuple[Path, pathspec.PathSpec]]] = {}
    links: list[Path] = []                     # links to files of this tree, for after the walk
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        resolved_here = resolved_root / here.relative_to(root)
        parent_specs = specs_at.get(here.parent, inherited) if here != root else inherited
        spec = _spec(here)
        specs = parent_specs + [(resolved_here, spec)] if spec is not None else parent_specs
        specs_at[here] = specs
        dirnames[:] = sorted(d for d in dirnames if d not in _ALWAYS_SKIP
                             and not _ignored(resolved_here / d, True, specs))
        for name in sorted(filenames):
            if not name.endswith(SUFFIXES):
                continue
            full = here / name
            if _ignored(resolved_here / name, False, specs):
                continue
            if not full.is_file():      # a FIFO named x.py would block its reader; a dangling link
                continue
            if full.is_symlink() and _inside(Path(os.path.realpath(full)), resolved_root):
                links.append(full)      # the file itself comes by its own name, unless ignored
                continue
            if _first_time(full, seen):
                yield full
    for full in links:                  # those whose file the walk did not give (ignored, or no .py)
        if _first_time(full, seen):
            yield full


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
