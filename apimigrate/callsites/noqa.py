"""`# noqa` comments: findings the code's authors have looked at and chosen to keep.

The flake8/ruff convention, so one comment serves every linter of a line:
`# noqa` silences every finding on its line, `# noqa: APIM001, E501` the codes named (a
prefix such as `APIM` names all of ours). `# apimigrate: noqa` anywhere in a file silences
the whole file, `# apimigrate: noqa: APIM003` one code in it. As in flake8 the comment is
found on the physical line (a finding's first line), without asking whether it sits in a
string; a use of a deprecated API on that line is then not reported, rewritten or shown.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .model import Reference

# Codes as flake8 spells them (letters then digits), or our prefix alone; words after them are prose.
_CODE = r"(?:[A-Za-z]+[0-9]+|APIM\b)"
_CODES = rf"(?::[ \t]*(?P<codes>{_CODE}(?:(?:[ \t]*,[ \t]*|[ \t]+){_CODE})*))?"
_LINE = re.compile(rb"#[ \t]*noqa\b" + _CODES.encode(), re.I)
_FILE = re.compile(rb"#[ \t]*apimigrate:[ \t]*noqa\b" + _CODES.encode(), re.I)
_LINE_TEXT = re.compile(r"#[ \t]*noqa\b" + _CODES, re.I)
_SPLIT = re.compile(r"[\s,]+")
ALL = None     # a blanket suppression: every code


def _codes(match: re.Match[bytes]) -> frozenset[str] | None:
    raw = match.group("codes")
    if not raw:
        return ALL
    return frozenset(c.upper() for c in _SPLIT.split(raw.decode("ascii", "replace")) if c)


def _covers(codes: frozenset[str] | None, code: str) -> bool:
    return codes is ALL or any(code.startswith(c) for c in codes)


def line_codes(line: bytes) -> frozenset[str] | None | bool:
    """What a `# noqa` on this line silences: ALL, a set of codes, or False when it has none."""
    if b"noqa" not in line.lower():
        return False
    found = [_codes(m) for m in _LINE.finditer(line)]
    if not found:
        return False
    return ALL if any(c is ALL for c in found) else frozenset().union(*found)


def file_codes(source: bytes) -> list[frozenset[str] | None]:
    """What each `# apimigrate: noqa` of the file silences (one scan for our name first)."""
    if b"apimigrate" not in source:
        return []
    return [_codes(m) for m in _FILE.finditer(source)]


def drop_suppressed(refs: Iterable[Reference], source: bytes | str,
                    line: Callable[[int], bytes] | None = None,
                    ignore: frozenset[str] = frozenset()) -> list[Reference]:
    """The findings no `# noqa` comment of `source` silences, nor the project's `ignore` codes
    (or prefixes); `line(n)` gives line n's bytes when the caller keeps a table of lines (the
    editor), so only the findings' lines are read."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    refs = [r for r in refs if not _covers(ignore, r.code)] if ignore else list(refs)
    if not refs:
        return refs
    whole = file_codes(data)
    if line is None:
        if b"noqa" not in data.lower():
            return [r for r in refs if not any(_covers(c, r.code) for c in whole)] if whole else refs
        line = data.split(b"\n").__getitem__
    seen: dict[int, frozenset[str] | None | bool] = {}
    out = []
    for ref in refs:
        if any(_covers(c, ref.code) for c in whole):
            continue
        if ref.line not in seen:
            seen[ref.line] = line_codes(line(ref.line))
        codes = seen[ref.line]
        if codes is False or not _covers(codes, ref.code):
            out.append(ref)
    return out


def noqa_edit(line: str, code: str) -> tuple[int, int, str] | None:
    """(start, end, text), in characters of `line`, that make its `# noqa` silence `code`: the code
    added to the codes already listed, or `  # noqa: CODE` at the end. None when nothing can be
    added: the line already silences it, or ends in a backslash (a comment there breaks the code)."""
    if line.rstrip().endswith("\\"):
        return None
    codes = line_codes(line.encode("utf-8"))
    if codes is ALL or (codes is not False and _covers(codes, code)):
        return None
    m = _LINE_TEXT.search(line)
    if m is not None and m.group("codes"):
        at = m.end("codes")
        return at, at, f", {code}"
    end = len(line.rstrip())
    return end, len(line), f"  # noqa: {code}"
