"""Cython sources (``.pyx``) rewritten as Python the Python extractors can read, line for line.

pandas' Timestamp, Period, Timedelta and offsets, and numpy's legacy ``np.random`` functions, are
Cython: their wheels ship compiled modules and ``.pyi`` stubs, and the warnings and ``..
deprecated::`` notes that say `Timestamp.utcnow` and `np.random.random_integers` are deprecated live
only in the ``.pyx`` files of the sdist. Cython is Python plus C declarations, so dropping the C
parts leaves the Python the deprecations are written in:

* ``cimport`` lines, ``include``, ``DEF``, ``ctypedef`` and declarations without a value become
  ``pass``; ``cdef T x = v`` becomes ``x = v`` (a message may be built in one);
* ``cdef``/``cpdef`` functions become ``def`` with their C types, ``except``/``nogil`` clauses and
  ``not None`` dropped, as do C-typed parameters of plain ``def``; ``cdef class`` becomes ``class``;
* declaration blocks (``cdef:``, ``cdef extern from ...:``, structs, enums, fused types) become
  ``if 1:`` around their declarations;
* casts (``<object>x``) and address-of (``&x``) are blanked in place.

Every statement keeps its first line and the file its line count, so evidence points at the
``.pyx``. What this cannot rewrite (C++ ``new``, the old ``for i from 0 <= i < n``) is left for the
parser to report as a syntax error: one file lost, as for any unparsable source.
"""
from __future__ import annotations

import keyword
import re
import tokenize
from dataclasses import dataclass

from .cython_tokens import tokens as python_tokens

_DECL_STARTS = frozenset({"cdef", "cpdef", "ctypedef"})
_MODIFIERS = frozenset({"inline", "public", "api", "readonly", "extern", "static", "const", "packed", "final"})
# Before a '<' or '&' these make it a prefix (cast, address-of) rather than a comparison or an and.
_OPERAND_EXPECTED = frozenset("( [ { , = : ; + - * / % // ** == != < > <= >= | & ^ ~ << >> += -= *= /= //= %= **= "
                              "&= |= ^= <<= >>= @= -> @".split())
# `except? -1`, `<Timestamp?>x`: the question mark is no Python token at all
_QUESTION = re.compile(r"(?<=except)\?|(?<=[\w\]])\?(?=\s*>)")
_SKIPPED = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING})


@dataclass
class _Statement:
    tokens: list[tokenize.TokenInfo]

    @property
    def start(self) -> tuple[int, int]:
        return self.tokens[0].start

    @property
    def end(self) -> tuple[int, int]:
        return self.tokens[-1].end

    def words(self) -> list[str]:
        return [t.string for t in self.tokens]


def python_view(text: str) -> str:
    """`text` (a .pyx file) as Python of the same line count; raises ValueError when it cannot
    even be split into tokens."""
    text = _QUESTION.sub(" ", text)
    try:
        tokens = python_tokens(text)
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        raise ValueError(f"cannot split into Python tokens: {exc}") from None
    lines = text.splitlines(keepends=True)
    for start, end, same_length in _lexical_fixes(tokens):
        _replace(lines, start, end, same_length)
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    blocks: list[int] = []          # indentation of the declaration blocks we are in
    for stmt in _statements(tokens):
        indent = stmt.start[1]
        while blocks and indent <= blocks[-1]:
            blocks.pop()
        new = _rewrite(stmt, lines, inside_declarations=bool(blocks))
        if new is None:
            continue
        if new == "if 1:":
            blocks.append(indent)
        edits.append((stmt.start, stmt.end, new))
    for start, end, new in reversed(edits):
        _replace(lines, start, end, new)
    return "".join(lines)


def _statements(tokens: list[tokenize.TokenInfo]) -> list[_Statement]:
    out, current = [], []
    for tok in tokens:
        if tok.type in _SKIPPED:
            continue
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if current:
                out.append(_Statement(current))
            current = []
            continue
        current.append(tok)
    if current:
        out.append(_Statement(current))
    return out


def _lexical_fixes(tokens: list[tokenize.TokenInfo]) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Same-length edits of C syntax inside expressions: casts `<T>` and address-of `&` where an
    operand is expected, C integer suffixes (`1UL`), C++ `new`, `sizeof(unsigned int)`, and an
    attribute named as a Python keyword (`dts.as`)."""
    out = []
    prev = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in _SKIPPED or tok.type == tokenize.NEWLINE:
            prev = None if tok.type == tokenize.NEWLINE else prev
            i += 1
            continue
        # (asked only of the three tokens it decides: most of a file's tokens are none of them)
        operand_expected = tok.string in ("<", "&", "new") and _operand_expected(prev)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if operand_expected and tok.string == "<":
            close = _cast_end(tokens, i)
            if close is not None:
                out.append((tok.start, tokens[close].end, " " * (tokens[close].end[1] - tok.start[1])))
                prev, i = None, close + 1       # a cast is followed by its operand
                continue
        if operand_expected and tok.string == "&":
            out.append((tok.start, tok.end, " "))
            i += 1
            continue                            # prev stays: an operand still follows
        if tok.type == tokenize.NAME and prev is not None and prev.type == tokenize.NUMBER \
                and prev.end == tok.start and _INT_SUFFIX.fullmatch(tok.string):
            out.append((tok.start, tok.end, " " * len(tok.string)))
        elif tok.string == "new" and operand_expected and nxt is not None and nxt.type == tokenize.NAME \
                and nxt.start[0] == tok.start[0]:
            out.append((tok.start, tok.end, "   "))
        elif tok.string == "sizeof" and nxt is not None and nxt.string == "(" \
                and (prev is None or prev.string not in ("def", ".")):
            close = _matching(tokens, i + 1)
            if close is not None and tokens[close].start[0] == tok.start[0] and close > i + 2:
                first, last = tokens[i + 2], tokens[close - 1]
                width = last.end[1] - first.start[1]
                out.append((first.start, last.end, "0" + " " * (width - 1)))
                prev, i = tokens[close], close + 1
                continue
        elif tok.type == tokenize.NAME and keyword.iskeyword(tok.string) and prev is not None \
                and prev.string == "." and prev.end == tok.start:
            out.append((tok.start, tok.end, "_" + tok.string[1:]))
        elif tok.type == tokenize.STRING and _F_STRING.match(tok.string) and "&" in tok.string:
            fixed = _ADDRESS_IN_FSTRING.sub(lambda m: m.group(1) + " ", tok.string)
            if fixed != tok.string and tok.start[0] == tok.end[0]:
                out.append((tok.start, tok.end, fixed))
        prev = tok
        i += 1
    return out


def _operand_expected(prev: tokenize.TokenInfo | None) -> bool:
    return prev is None or prev.string in _OPERAND_EXPECTED \
        or (prev.type == tokenize.NAME and keyword.iskeyword(prev.string)
            and prev.string not in ("True", "False", "None"))


_INT_SUFFIX = re.compile(r"[uU]?[lL]{1,2}[uU]?|[uU]")
_F_STRING = re.compile(r"[rRbB]?[fF][rR]?['\"]")
_ADDRESS_IN_FSTRING = re.compile(r"([(,]\s*)&(?=[A-Za-z_])")


def _cast_end(tokens: list[tokenize.TokenInfo], i: int) -> int | None:
    """Index of the '>' closing the cast opened at `i`, on the same line, over a type's tokens."""
    depth = 0
    for j in range(i + 1, min(len(tokens), i + 40)):
        tok = tokens[j]
        if tok.start[0] != tokens[i].start[0]:
            return None
        if tok.string in ("[", "("):
            depth += 1
        elif tok.string in ("]", ")"):
            depth -= 1
        elif tok.string == ">" and depth == 0:
            return j if j > i + 1 else None
        elif tok.type not in (tokenize.NAME, tokenize.NUMBER) and tok.string not in (".", "*", "**", ",", ":", "=") \
                and tok.type != tokenize.ERRORTOKEN:
            return None
    return None


def _rewrite(stmt: _Statement, lines: list[str], *, inside_declarations: bool) -> str | None:
    """The statement's Python, or None to keep it as written."""
    words = stmt.words()
    first = words[0]
    if inside_declarations:
        return "if 1:" if words[-1] == ":" else _declaration(stmt, lines, skip=0)
    if first == "cimport" or (first == "from" and "cimport" in words):
        return "pass"
    if first in ("include", "DEF"):
        return "pass"
    if first == "property" and len(words) == 3 and words[2] == ":":
        return "if 1:"          # the old `property name:` block of __get__/__set__
    if first == "for" and len(words) > 3 and words[2] == "from" and words[-1] == ":":
        return f"for {words[1]} in range(1):"      # `for i from 0 <= i < n:`
    if first in ("IF", "ELIF", "ELSE"):
        return first.lower() + _text(lines, stmt.tokens[0].end, stmt.end)
    if first in _DECL_STARTS:
        return _cdef(stmt, lines)
    if first == "def" or (first == "async" and words[1:2] == ["def"]):
        return _def(stmt, lines, words.index("def") + 1, plain=True)
    return None


def _cdef(stmt: _Statement, lines: list[str]) -> str:
    words = stmt.words()
    k = 1
    while k < len(words) and words[k] in _MODIFIERS:
        k += 1
    if words[0] != "ctypedef" and k < len(words) and words[k] == "class":
        return _text(lines, stmt.tokens[k].start, stmt.end)
    header = _header_colon(stmt)
    if header is not None and words[0] != "ctypedef":
        name = _function_name(stmt, k, header)
        if name is not None:
            return _def(stmt, lines, name, plain=False)
    if words[-1] == ":" or header is not None:
        return "if 1:"
    if words[0] == "ctypedef":
        return "pass"
    return _declaration(stmt, lines, skip=k)


def _header_colon(stmt: _Statement) -> int | None:
    """Index of the top-level ':' that ends a compound statement's header."""
    depth = 0
    for i, tok in enumerate(stmt.tokens):
        if tok.string in "([{" and tok.type == tokenize.OP:
            depth += 1
        elif tok.string in ")]}" and tok.type == tokenize.OP:
            depth -= 1
        elif tok.string == ":" and depth == 0:
            return i
        elif tok.string == "=" and depth == 0:
            return None     # `cdef dict d = {1: 2}`: a value, not a header
    return None


def _function_name(stmt: _Statement, k: int, header: int) -> int | None:
    """Index of the name of a cdef function: the NAME before the first top-level '(' that a type
    does not start (`cdef (int, int) f(...)` returns a C tuple)."""
    depth = 0
    for i in range(k, header):
        tok = stmt.tokens[i]
        if tok.string in "([" and tok.type == tokenize.OP:
            if depth == 0 and tok.string == "(" and i > k and stmt.tokens[i - 1].type == tokenize.NAME:
                return i - 1
            depth += 1
        elif tok.string in ")]" and tok.type == tokenize.OP:
            depth -= 1
    return None


def _def(stmt: _Statement, lines: list[str], name_i: int, *, plain: bool) -> str | None:
    """`def name(params):` with each parameter's C type dropped; None when nothing is C-typed and
    the statement is a plain `def` (kept as written)."""
    toks = stmt.tokens
    name = toks[name_i]
    open_i = name_i + 1
    if open_i >= len(toks) or toks[open_i].string != "(":
        return None
    close_i = _matching(toks, open_i)
    if close_i is None:
        return None
    params = _split(toks[open_i + 1:close_i])
    rewritten = [_parameter(p, lines) for p in params]
    header = _header_colon(_Statement(toks[close_i + 1:])) if close_i + 1 < len(toks) else None
    if plain and all(r is None for r in rewritten) and not _memoryview_return(toks[close_i + 1:]):
        return None
    parts = [_text(lines, p[0].start, p[-1].end) if r is None else r for p, r in zip(params, rewritten)]
    body = ""
    if header is not None:
        colon = toks[close_i + 1 + header]
        rest = toks[close_i + 2 + header:]
        body = " " + _text(lines, rest[0].start, rest[-1].end) if rest else ""
        returns = _text(lines, toks[close_i].end, colon.start).strip()
        # a memoryview (`-> double[:, :]`) is no annotation Python's grammar takes
        returns = returns if plain and returns.startswith("->") and ":" not in returns else ""
    else:
        returns = ""
    prefix = "async def" if toks[0].string == "async" and plain else "def"
    return f"{prefix} {name.string}({', '.join(parts)}){' ' + returns if returns else ''}:{body}"


def _memoryview_return(tokens: list[tokenize.TokenInfo]) -> bool:
    return bool(tokens) and tokens[0].string == "->" and ":" in [t.string for t in tokens[1:-1]]


def _parameter(tokens: list[tokenize.TokenInfo], lines: list[str]) -> str | None:
    """A C-typed parameter (`int64_t x=0`, `object ts not None`, `char *s`) as Python; None when
    it already is."""
    words = [t.string for t in tokens]
    eq = _top_level(tokens, "=")
    declarator = tokens[:eq] if eq is not None else tokens
    dwords = words[:len(declarator)]
    default = "=" + _text(lines, tokens[eq + 1].start, tokens[-1].end) if eq is not None and eq + 1 < len(tokens) else ""
    top = [t.string for t in _top_level_tokens(declarator)]
    if ":" in top:              # annotated: Python, unless C-typed too or a memoryview (`x: double[:, :]`)
        colon = words.index(":")
        annotation = words[colon + 1:len(declarator)]
        before = [t for t in _top_level_tokens(declarator[:colon]) if t.type == tokenize.NAME]
        if ":" not in annotation and len(_top_level_tokens(declarator[:colon])) == 1:
            return None
        return before[-1].string + default if before else None
    if len(declarator) <= 1 or dwords[0] in ("*", "**") and len(declarator) == 2:
        return None
    if dwords[-2:] in (["not", "None"], ["or", "None"]):
        declarator = declarator[:-2]
    names = [t for t in _top_level_tokens(declarator) if t.type == tokenize.NAME]
    return names[-1].string + default if names else None


def _declaration(stmt: _Statement, lines: list[str], *, skip: int) -> str:
    """`cdef T x = v` -> `x = v`; a declaration without a value, or of several names, -> pass."""
    toks = stmt.tokens[skip:]
    eq = _top_level(toks, "=")
    if eq is None or eq + 1 >= len(toks) or _top_level(toks[:eq], ",") is not None \
            or _top_level(toks[eq + 1:], "=") is not None:
        return "pass"
    names = [t for t in _top_level_tokens(toks[:eq]) if t.type == tokenize.NAME]
    if not names:
        return "pass"
    return f"{names[-1].string} = {_text(lines, toks[eq + 1].start, toks[-1].end)}"


def _matching(tokens: list[tokenize.TokenInfo], open_i: int) -> int | None:
    depth = 0
    for i in range(open_i, len(tokens)):
        s = tokens[i].string
        if tokens[i].type == tokenize.OP and s in "([{":
            depth += 1
        elif tokens[i].type == tokenize.OP and s in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return None


def _top_level_tokens(tokens: list[tokenize.TokenInfo]) -> list[tokenize.TokenInfo]:
    out, depth = [], 0
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif depth == 0:
            out.append(tok)
    return out


def _top_level(tokens: list[tokenize.TokenInfo], op: str) -> int | None:
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif depth == 0 and tok.string == op:
            return i
    return None


def _split(tokens: list[tokenize.TokenInfo]) -> list[list[tokenize.TokenInfo]]:
    """Parameters: the tokens between top-level commas (a trailing comma leaves no empty one)."""
    out, current, depth = [], [], 0
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        if depth == 0 and tok.string == ",":
            if current:
                out.append(current)
            current = []
            continue
        current.append(tok)
    if current:
        out.append(current)
    return out


def _text(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    """The source between two token positions, as written (lines and comments kept: they stay
    inside the brackets or continuations they were in)."""
    (r0, c0), (r1, c1) = start, end
    if r0 == r1:
        return lines[r0 - 1][c0:c1]
    return lines[r0 - 1][c0:] + "".join(lines[r0:r1 - 1]) + lines[r1 - 1][:c1]


def _replace(lines: list[str], start: tuple[int, int], end: tuple[int, int], new: str) -> None:
    """Put `new` where start..end was, padding with empty lines to the lines it spanned."""
    (r0, c0), (r1, c1) = start, end
    tail = lines[r1 - 1][c1:]
    if r1 > r0 and (not tail.strip() or tail.lstrip().startswith("#")):
        tail = "\n" if tail.endswith("\n") else ""
    pieces = (lines[r0 - 1][:c0] + new + tail).splitlines(keepends=True)
    span = r1 - r0 + 1
    if len(pieces) < span and pieces and not pieces[-1].endswith("\n"):
        pieces[-1] += "\n"
    pieces += ["\n"] * (span - len(pieces))
    lines[r0 - 1:r1] = pieces
