"""A release's migration guide: its tables of removed and deprecated members.

numpy's sdist carries ``doc/source/numpy_2_0_migration_guide.rst``, whose reST simple tables say
what 2.0 took away and what to write instead::

    ndarray and scalar methods
    --------------------------
    ...
    ======================  ========================================================
    expired member          migration guideline
    ======================  ========================================================
    newbyteorder            Use ``arr.view(arr.dtype.newbyteorder(order))`` instead.
    ptp                     Use ``np.ptp(arr, ...)`` instead.
    ======================  ========================================================

The release notes never name `ndarray.ptp` or `ndarray.newbyteorder`. Only the tables of a class's
members are read: a table whose first header names removed, expired or deprecated members, below a
heading that opens with a name and speaks of its methods, members or attributes (`ndarray and scalar
methods`). The guide's prose explains rather than lists (the changelog reader would take "has been
renamed to ``np._core``" for a rename of an API), and its tables of the main namespace repeat what
`_expired_attrs_2_0.py` and the release notes say, less exactly: numpy's lists `disp` as removed in
2.0, which 2.0 deprecated and 2.4 removed, and writes `charrarray` for `chararray`.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .messages import replacement_from_text
from .model import CHANGELOG, FileResult, RawFinding

__all__ = ["is_migration_guide", "extract_migration_guide"]

# numpy_2_0_migration_guide.rst, migration_guide_3.0.rst, migrating-to-2.0.rst; reST only, whose simple
# tables are what is read (a Markdown guide goes on being no release note at all)
_GUIDE = re.compile(r"^(?:(?:\w+?[_-])?v?(?P<a>\d+(?:[_.]\d+)+)[_-]migration(?:[_-]guide)?"
                    r"|migration(?:[_-]guide)?[_-]v?(?P<b>\d+(?:[_.]\d+)+)"
                    r"|migrating[_-]to[_-]v?(?P<c>\d+(?:[_.]\d+)+))\.rst$", re.I)
_BORDER = re.compile(r"^=+(?: +=+)+ *$")
_HEAD_LINE = re.compile(r"^([=\-~^*#+\"'`.])\1{2,} *$")
_MEMBERS = re.compile(r"^(?P<how>removed|expired|deprecated)\s+(?:members?|names?|functions?|attributes?)$", re.I)
_OWNED = re.compile(r"^(?P<name>[a-z_][\w.]*)\b.*\b(?i:methods|members|attributes)\b")
_NAME = re.compile(r"^[A-Za-z_]\w*$")


def guide_version(relpath: str) -> str | None:
    """The release a migration guide's file name is for (`numpy_2_0_migration_guide.rst` -> 2.0)."""
    m = _GUIDE.match(PurePosixPath(relpath).name)
    if m is None:
        return None
    return (m.group("a") or m.group("b") or m.group("c")).replace("_", ".")


def is_migration_guide(relpath: str) -> bool:
    return guide_version(relpath) is not None


def extract_migration_guide(text: str, path: str, *, library: str,
                            packages: list[str] | tuple[str, ...] = ()) -> FileResult:
    """A finding for each row of the guide's tables of a class's removed or deprecated members."""
    lines = text.splitlines()
    package = packages[0] if packages else library.replace("-", "_").lower()
    version = guide_version(path)
    result = FileResult(path)
    heading = ""
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and _HEAD_LINE.match(lines[i + 1]) \
                and len(lines[i + 1].rstrip()) >= len(lines[i].rstrip()):
            heading = lines[i].strip()
        if _BORDER.match(lines[i]):
            rows, i = _table(lines, i)
            result.findings.extend(_findings(rows, heading, package, path, version))
            continue
        i += 1
    return result


def _table(lines: list[str], start: int) -> tuple[list[tuple[int, list[str]]], int]:
    """The rows of the simple table whose top border is at `start` (the header first), each as
    (its 1-based line, its cells), a row's continuation lines joined to it; and where the table ends."""
    starts = [m.start() for m in re.finditer(r"=+", lines[start])]
    rows: list[tuple[int, list[str]]] = []
    borders = 1
    i = start + 1
    while i < len(lines) and borders < 3:
        line = lines[i]
        if _BORDER.match(line):
            borders += 1
        elif line.strip():
            cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)])]
            if rows and not cells[0] and borders == 2:
                rows[-1][1][1:] = [f"{old} {new}".strip() for old, new in zip(rows[-1][1][1:], cells[1:])]
            else:
                rows.append((i + 1, cells))
        elif borders == 1:
            break                       # a blank line before the header's border: no simple table
        i += 1
    return rows, i


def _findings(rows: list[tuple[int, list[str]]], heading: str, package: str, path: str,
              version: str | None) -> list[RawFinding]:
    if len(rows) < 2 or len(rows[0][1]) < 2:
        return []
    members = _MEMBERS.match(rows[0][1][0])
    if members is None:
        return []
    owner = _OWNED.match(heading)
    if owner is None:
        return []
    removed = members.group("how").lower() != "deprecated"
    out = []
    for line, (cell, guideline, *_rest) in rows[1:]:
        name = cell.replace("\\", "")       # reST's ``complex\_``
        if not _NAME.match(name):
            continue
        out.append(RawFinding(
            evidence_kind=CHANGELOG, kind="method", target=f"{owner.group('name')}.{name}",
            module=package, path=path, line=line, message=guideline or None,
            replacement=replacement_from_text(guideline) if guideline else None, version=version,
            since=None if removed else version, removed_in=version if removed else None, removed=removed,
            text=f"{name}: {guideline}".strip(": ")))
    return out
