"""The Cython view's tokens (scan/cython_tokens.py) are Python 3.11's `tokenize.generate_tokens`
tokens, read in one pass: the same type, string, start and end for real installed modules, the
Cython shapes the view is tested on, the corners of the token grammar and random programs drawn
fresh each run; what the pass leaves to tokenize gives tokenize's tokens or its error.
"""
from __future__ import annotations

import importlib.util
import io
import random
import sys
import tokenize
from pathlib import Path

import pytest

from apimigrate.scan.cython_tokens import _one_pass, _Unread, tokens
from test_scan_cython import MTRAND, TIMESTAMPS

# the pass reads as 3.11's tokenizer does; from 3.12 `generate_tokens` is the C tokenizer, which
# splits f-strings and reads some characters differently
pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="the reference is Python 3.11's tokenizer")


def _reference(text: str) -> list[tuple]:
    return [t[:4] for t in tokenize.generate_tokens(io.StringIO(text).readline)]


def _fast(text: str) -> list[tuple]:
    return [t[:4] for t in _one_pass(text)]


def _outcome(read, text: str):
    try:
        return [t[:4] for t in read(text)]
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        return type(exc)


def _installed_modules(package: str, under: str) -> list[Path]:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None, f"{package} is a dev dependency"
    return sorted((Path(spec.origin).parent / under).rglob("*.py"))


@pytest.mark.parametrize("package, under", [("pandas", "core/indexes"), ("numpy", "ma"),
                                            ("scipy", "signal")])
def test_installed_modules_give_tokenize_s_tokens_and_most_in_one_pass(package: str, under: str):
    one_pass = 0
    paths = _installed_modules(package, under)
    assert len(paths) >= 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        expected = _reference(text)
        assert [t[:4] for t in tokens(text)] == expected, path
        try:
            assert _fast(text) == expected, path
            one_pass += 1
        except _Unread:
            pass
    assert one_pass >= 0.9 * len(paths)      # (empty __init__.py files lack a last newline)


@pytest.mark.parametrize("text", [TIMESTAMPS, MTRAND], ids=["timestamps.pyx", "mtrand.pyx"])
def test_cython_shapes_are_read_in_one_pass_as_tokenize_reads_them(text: str):
    text = text.replace("except? -1", "except  -1")     # (the view blanks Cython's '?' first)
    assert _fast(text) == _reference(text)


ONE_PASS = {
    "docstring over lines, quotes and escapes inside": 'def f():\n    """a \'\'\' b\n\\"""\n c\\\\"""\n    return 1\n',
    "prefixed strings": "x = rb'a' + Rb\"b\" + f'{x!r}' + BR'''c\nd''' + u'e' + F\"\"\"g\"\"\"\n",
    "a prefix-like name before a string is a name": "x = xb'a'\n",
    "names that start like prefixes": "rb = fr + br + u_ + f\n",
    "numbers": "a = 0x_ff + 0b1 + 0o7 + 1_000 + 1e-5 + .5j + 3. + 1.5e+3J + 0 + 00\nb = 1UL\n",
    "operators, longest first": "a **= b >>= c <<= d //= 2\nx := y -> z != w ... @= ~a\nq = a<b>c\n",
    "brackets over lines with comments": "x = [1,  # one\n     2,\n\n     # none\n     3]\ny = (a\n)\n",
    "backslash continuation": "x = 1 + \\\n    2\nif a and \\\n        b:\n    pass\n",
    "a blank line after a continuation ends the statement": "x = 1 + \\\n\ny = 2\n",
    "indents and dedents": "if a:\n    if b:\n        c\n\n    # c\n  \n    d\ne\n",
    "tabs": "if a:\n\tif b:\n\t\tc\n\td\n",
    "mixed tabs and spaces": "if a:\n        b\n\tc\n",
    "spaces then a tab: the tab goes to the next stop": "if a:\n  \tb\n\tc\n",
    "comment lines and trailing blanks": "# top\n\n   # indented\nx = 1   # trailing  \n  \n",
    "unicode names": "café = naïve + 名前\n",
    "cast and address-of": "cdef int x = <int>y\nf(&z)\nptr = <object?>q\n".replace("?", ""),
    "an empty triple string and a string of quotes": "x = '''''' + \"\"\"\"\"\" + '\"' + \"'\"\n",
    "a dedent at the end": "class A:\n    def f(self):\n        return 1\n",
}


@pytest.mark.parametrize("text", list(ONE_PASS.values()), ids=list(ONE_PASS))
def test_the_token_grammar_s_corners_are_read_in_one_pass(text: str):
    assert _fast(text) == _reference(text)


LEFT_TO_TOKENIZE = {
    "no last newline": "x = 1",
    "a comment with no last newline": "x = 1\n# c",
    "carriage returns": "x = 1\r\ny = 2\r\n",
    "a form feed": "x = 1\n\f\ny = 2\n",
    "an unclosed bracket": "x = (1,\n",
    "a bracket closing none": "x = 1)\ny = 2\n",
    "an unclosed triple string": "x = '''a\n",
    "a continuation at the end": "x = 1 + \\\n",
    "a dedent to no outer level": "if a:\n    b\n  c\n",
    "a character no token starts with": "x = $y\n",
    "a single-quoted string continued over lines": "x = 'a\\\nb'\n",
    "... and never closed": "x = 'a\\\nb\n",
    "a word character that starts no name": "x = ²\n",
    "nothing": "",
}


@pytest.mark.parametrize("text", list(LEFT_TO_TOKENIZE.values()), ids=list(LEFT_TO_TOKENIZE))
def test_what_one_pass_does_not_read_is_tokenize_s_tokens_or_error(text: str):
    with pytest.raises(_Unread):
        _one_pass(text)
    assert _outcome(tokens, text) == _outcome(tokenize_tokens, text)


def tokenize_tokens(text: str):
    return tokenize.generate_tokens(io.StringIO(text).readline)


_PIECES = ["x", "rb", "f", "_a1", "1", "0x1f", "1.5e3", ".5", "1UL", "'s'", '"d"', "b'q'", "'''t\nu'''",
           '"""v\\"""w"""', "(", ")", "[", "]", "{", "}", ",", ":", ".", "...", "<", ">", "<<=", "**", "->",
           "=", "&", "@", "# c", " ", "  ", "\t", "\n", "\n    ", "\n\t", "\\\n", "'''", "'", "?"]


def test_random_token_soup_gives_tokenize_s_tokens_or_its_error():
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    for _ in range(400):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 40))) + rng.choice(["\n", ""])
        assert _outcome(tokens, text) == _outcome(tokenize_tokens, text), (seed, text)


_ATOMS = ["x", "rb", "f", "_a1", "café", "1", "0x1f", "1.5e3", ".5", "1UL", "'s'", '"d"', "b'q'", "f'{x}'",
          "'''t\nu'''", '"""v\\"""w"""', "''", ",", ":", ".", "...", "<", ">", "<<=", "**", "->", "=", "&",
          "@", ":=", "!=", "<int>", "[]", "{}", "()"]


def _statement(rng: random.Random) -> str:
    def run(k: int) -> str:
        return "".join(rng.choice(_ATOMS) + rng.choice(["", " ", "  "]) for _ in range(rng.randrange(1, k)))
    text = run(8)
    if rng.random() < 0.4:      # a bracket over lines
        opening = rng.choice("([{")
        text += opening + run(4) + rng.choice(["\n", "\n  # c\n", ",\n\t", "\n\n"]) + run(4) \
            + {"(": ")", "[": "]", "{": "}"}[opening]
    if rng.random() < 0.15:
        text += " \\\n" + run(4)
    return text + rng.choice(["", "", "  # c"])


def _program(rng: random.Random) -> str:
    indents, lines = [""], []
    for _ in range(rng.randrange(1, 10)):
        r = rng.random()
        if r < 0.3:
            indents.append(indents[-1] + rng.choice(["    ", "\t", "  "]))
        elif r < 0.5 and len(indents) > 1:
            del indents[rng.randrange(1, len(indents)):]
        lines.append(indents[-1] + _statement(rng))
        if rng.random() < 0.15:
            lines.append(rng.choice(["", "   ", "# c", "  # c", "\t"]))
    return "\n".join(lines) + "\n"


def test_random_programs_are_read_in_one_pass_as_tokenize_reads_them():
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    read_in_one_pass = 0
    for _ in range(400):
        text = _program(rng)
        try:
            assert _fast(text) == _reference(text), (seed, text)
            read_in_one_pass += 1
        except _Unread:
            assert _outcome(tokens, text) == _outcome(tokenize_tokens, text), (seed, text)
    assert read_in_one_pass >= 300, seed
