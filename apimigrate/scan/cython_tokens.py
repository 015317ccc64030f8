"""The Python tokens of a Cython source, for the Cython view (cython_source.py), read in one pass.

The standard library's tokenizer reads a line at a time and matches each token from Python code
(3.11): it took two thirds of the Cython view's time, a fifth of what a scan's extraction spent.
`tokens` walks the whole text with one regular expression built from the standard library's own
token patterns and gives the same tokens (type, string, start, end) as Python 3.11's
`tokenize.generate_tokens`, without each token's physical line. Whatever it does not read itself
(an unclosed bracket or string, a bracket closing none, a single-quoted string continued over
lines, a character no token starts with, carriage returns or form feeds, a last line without its
newline, a dedent to no outer level) it hands to `tokenize.generate_tokens`, which gives those tokens, or the error, as always.
"""
from __future__ import annotations

import io
import re
import tokenize
from tokenize import (COMMENT, DEDENT, ENDMARKER, INDENT, NAME, NEWLINE, NL, NUMBER, OP, STRING,
                      TokenInfo)

# One token after optional blanks, each kind a named group, in the order of tokenize's PseudoToken
# (a number before an operator: `.5`; strings before names: `rb'x'`), but for the commonest first:
# a name that no quote follows (as a whole word: `rb'x'` is a string), a bracket or comma (no
# longer operator starts with one) and a line's end, which none of the others can match. A
# triple-quoted string is matched whole, over lines (`open3`, its opening alone, never closes).
_TOKEN = re.compile(
    tokenize.Whitespace
    + r"(?:(?P<word>[A-Za-z_]\w*+)(?!['\"])"
    + r"|(?P<bracket>[()\[\]{},])"
    + r"|(?P<newline>\n)"
    + r"|(?P<cont>\\\n)"
    + r"|(?P<end>\Z)"
    + r"|(?P<comment>" + tokenize.Comment + ")"
    + r"|(?P<triple>" + tokenize.StringPrefix + r"(?s:'''" + tokenize.Single3 + r'|"""' + tokenize.Double3 + "))"
    + r"|(?P<open3>" + tokenize.Triple + ")"
    + r"|(?P<number>" + tokenize.Number + ")"
    + r"|(?P<op>" + tokenize.Funny + ")"
    + r"|(?P<string>" + tokenize.ContStr + ")"
    + r"|(?P<name>" + tokenize.Name + "))")
_INDENT = re.compile(r"[ \t]*")
_TABSIZE = 8


def _token(kind: int, string: str, start: tuple[int, int], end: tuple[int, int]) -> TokenInfo:
    # (tuple.__new__ directly: a namedtuple's own __new__ is a Python function)
    return tuple.__new__(TokenInfo, (kind, string, start, end, ""))


class _Unread(Exception):
    """What the one pass leaves to tokenize."""


def tokens(text: str) -> list[TokenInfo]:
    """`tokenize.generate_tokens` over `text`, with '' for each token's line; raises what it raises
    (tokenize.TokenError, IndentationError)."""
    try:
        return _one_pass(text)
    except _Unread:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))


def _one_pass(text: str) -> list[TokenInfo]:
    if not text.endswith("\n") or "\r" in text or "\f" in text:
        raise _Unread
    out: list[TokenInfo] = []
    append = out.append
    match = _TOKEN.match
    n = len(text)
    pos = line_start = 0
    lnum = 1
    parens = 0
    indents = [0]
    at_line_start = True        # of a statement: where tokenize measures indentation
    while True:
        if at_line_start:
            pos = _INDENT.match(text, pos).end()
            if pos == n:
                break
            col = pos - line_start
            if text[pos] in "#\n":      # a blank or comment line: no statement, no indentation
                if text[pos] == "#":
                    end = text.index("\n", pos)
                    append(_token(COMMENT, text[pos:end], (lnum, col), (lnum, end - line_start)))
                    pos, col = end, end - line_start
                append(_token(NL, "\n", (lnum, col), (lnum, col + 1)))
                pos += 1
                lnum += 1
                line_start = pos
                continue
            _indent(out, indents, text[line_start:pos], lnum, col)
            at_line_start = False
        m = match(text, pos)
        if m is None:
            raise _Unread       # tokenize's ERRORTOKEN
        kind = m.lastgroup
        start, pos = m.span(kind)
        col = start - line_start
        if kind == "word":
            append(_token(NAME, m.group(kind), (lnum, col), (lnum, pos - line_start)))
        elif kind == "bracket":
            token = m.group(kind)
            if token in "([{":
                parens += 1
            elif token in ")]}":
                parens -= 1
                if parens < 0:
                    raise _Unread   # tokenize reads on past a closing bracket that opened nothing
            append(_token(OP, token, (lnum, col), (lnum, pos - line_start)))
        elif kind == "newline":
            if parens > 0:
                append(_token(NL, "\n", (lnum, col), (lnum, col + 1)))
            else:
                append(_token(NEWLINE, "\n", (lnum, col), (lnum, col + 1)))
                at_line_start = True
            lnum += 1
            line_start = pos
        elif kind == "op":      # (no bracket: those are the bracket group's)
            append(_token(OP, m.group(kind), (lnum, col), (lnum, pos - line_start)))
        elif kind == "name":
            token = m.group(kind)
            if not token[0].isidentifier():
                raise _Unread       # a \w that starts no name: tokenize calls it an operator
            append(_token(NAME, token, (lnum, col), (lnum, pos - line_start)))
        elif kind == "number":
            append(_token(NUMBER, m.group(kind), (lnum, col), (lnum, pos - line_start)))
        elif kind == "string":
            token = m.group(kind)
            if token.endswith("\n"):
                raise _Unread       # continued with a backslash onto the next line
            append(_token(STRING, token, (lnum, col), (lnum, pos - line_start)))
        elif kind == "triple":
            token = m.group(kind)
            first = lnum
            breaks = token.count("\n")
            if breaks:
                lnum += breaks
                line_start = start + token.rindex("\n") + 1
            append(_token(STRING, token, (first, col), (lnum, pos - line_start)))
        elif kind == "comment":
            append(_token(COMMENT, m.group(kind), (lnum, col), (lnum, pos - line_start)))
        elif kind == "cont":
            lnum += 1
            line_start = pos        # the next line goes on with the statement: no indentation
        else:                       # open3 (never closed), or the end inside brackets or after a `\`
            raise _Unread           # (a statement's own end starts a line, where the loop ends)
    out += [_token(DEDENT, "", (lnum, 0), (lnum, 0)) for _ in indents[1:]]
    append(_token(ENDMARKER, "", (lnum, 0), (lnum, 0)))
    return out


def _indent(out: list[TokenInfo], indents: list[int], blanks: str, lnum: int, col: int) -> None:
    """tokenize's INDENT or DEDENTs before a statement indented by `blanks`."""
    column = len(blanks) if "\t" not in blanks else _columns(blanks)
    if column > indents[-1]:
        indents.append(column)
        out.append(_token(INDENT, blanks, (lnum, 0), (lnum, col)))
    while column < indents[-1]:
        if column not in indents:
            raise _Unread           # tokenize raises its IndentationError
        indents.pop()
        out.append(_token(DEDENT, "", (lnum, col), (lnum, col)))


def _columns(blanks: str) -> int:
    column = 0
    for ch in blanks:
        column = (column // _TABSIZE + 1) * _TABSIZE if ch == "\t" else column + 1
    return column
