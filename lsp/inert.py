"""Edits that cannot change any finding: the last findings are shifted instead of re-resolved.

Most keystrokes change one ordinary word: a local variable, a word in a
comment or a string. Such an edit is *inert* when all of this holds:

1. text (checked when the edit arrives, `word_edit`): it stays on one ASCII
   line, inserts and deletes only ``[A-Za-z0-9_]``, and the word it touches
   (the maximal run of those characters around it) does not follow a
   backslash (escape sequences, line continuations);
2. words (`inert_words`): neither the old nor the new word is one the
   resolver could react to: a part of a deprecated API's path, a deprecated
   parameter or its new name, a word of a replacement (the rewriter looks
   for free names), a word of a deprecated value (the resolver compares
   string literals passed to a parameter with them), or any word of an
   import statement (aliases, modules);
3. syntax (`verify`, against the last *parsed* tree, which must have no
   error): the old word is exactly an ``identifier`` leaf and the new word is
   also an identifier that is no keyword of the grammar (``print``,
   ``match``... included) and is not followed by a quote (no string prefix);
   or the word lies inside a ``comment`` or a ``string_content`` node.

Why that is enough. Tree-sitter lexes the new text exactly like the old one
up to the word (same prefix, same parser state). The old word was lexed as an
identifier in that state; the new word has the same shape, is no keyword and
is followed by the same non-word, non-quote character, so it is lexed as an
identifier too: the internal lexer takes the longest identifier and keyword
extraction finds nothing, and the external scanner (tree-sitter-python's
scanner.c) only reacts to quotes, backslashes, braces, ``#`` and whitespace,
and to string-prefix letters only when a quote follows. Inside a comment or
a string's content the scanner treats all word characters alike (a backslash
before the word is excluded). So the token kinds are unchanged, the parser
takes the same actions, and the new tree has the same shape: the same nodes,
with byte positions after the word moved by the length difference. The
resolver reads the text only through identifier names compared with the
index and the imports, regexes for alias/method names, ``import`` and free
replacement names, all of which are in the words of rule 2. So every finding
is the same, and only positions on the edited line after the word move; a
finding or rewrite edit that touches the word itself sends the edit down the
full path.

The tree is not re-parsed for an inert edit: the edits wait in the
checker's list and the next full check applies them all to the tree (they
are ordinary tree-sitter edits). Until then a later candidate is checked
against the last parsed tree with its positions mapped back through the
inert edits since (`map_back`).

Everything else (new lines, brackets, spaces, keywords, a file with a syntax
error, words that matter) takes the full path: incremental re-parse plus
resolution. The property test in tests/test_lsp_inert.py compares the
shifted findings with a fresh parse and resolution after thousands of edits.
"""
from __future__ import annotations

import dataclasses
import keyword
import re
from dataclasses import dataclass

from tree_sitter import Node, Tree

from apimigrate.callsites import DeprecationIndex, Edit, Reference, Rewrite
from apimigrate.callsites.bindings import DYNAMIC_IMPORT_WORDS, dynamic_import, import_word_nodes
from apimigrate.callsites.parsing import LANGUAGE
from apimigrate.callsites.opt_in import option_of, option_words

_WORD = re.compile(r"[A-Za-z0-9_]*")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORDS = re.compile(r"\w+")
_QUOTES = frozenset("'\"`")
_IMPORT_STATEMENTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})


def _grammar_keywords() -> frozenset[str]:
    """Every identifier-shaped terminal of tree-sitter-python, and Python's own (soft) keywords."""
    words = set(keyword.kwlist) | set(keyword.softkwlist)
    for i in range(LANGUAGE.node_kind_count):
        kind = LANGUAGE.node_kind_for_id(i)
        if kind and not LANGUAGE.node_kind_is_named(i) and _IDENT.fullmatch(kind):
            words.add(kind)
    return frozenset(words)


RESERVED = _grammar_keywords()


@dataclass(frozen=True)
class WordEdit:
    """A one-line edit inside one word: old line[s:e] (`old`) became `new`; later columns move by delta.

    Columns are characters of an ASCII line, so they are byte columns too;
    `start_byte`/`end_byte` are the old word's offsets in the old file.
    """
    line: int
    s: int
    e: int
    old: str
    new: str
    after: str          # the character after the word ("" at the end of the line)
    start_byte: int
    end_byte: int

    @property
    def delta(self) -> int:
        return len(self.new) - len(self.old)


def word_edit(line_text: str, line: int, line_start: int, start: int, end: int, text: str) -> WordEdit | None:
    """Rule 1: the edit replacing line_text[start:end] by `text`, when it is a word edit."""
    if not (line_text.isascii() and text.isascii()) or start > end or end > len(line_text):
        return None
    if not _WORD.fullmatch(text) or not _WORD.fullmatch(line_text, start, end):
        return None
    if not text and start == end:
        return None
    s, e = start, end
    while s > 0 and (line_text[s - 1].isalnum() or line_text[s - 1] == "_"):
        s -= 1
    while e < len(line_text) and (line_text[e].isalnum() or line_text[e] == "_"):
        e += 1
    if s > 0 and line_text[s - 1] == "\\":
        return None
    new = line_text[s:start] + text + line_text[end:e]
    return WordEdit(line, s, e, line_text[s:e], new, line_text[e:e + 1], line_start + s, line_start + e)


# ---- words the resolver reacts to ---------------------------------------------
def index_words(index: DeprecationIndex) -> frozenset[str]:
    """Parts of deprecated API paths, parameter names old and new, words of replacements, words of
    deprecated values (typing `'friedman_mse'` inside a string makes a finding), and of the options
    that opt in to a future behaviour (callsites/opt_in.py)."""
    words: set[str] = set()
    for row in index.rows:
        words.update(row["api"].split("."))
        for key in ("parameter", "new_parameter", "replacement", "param_values"):
            if row.get(key):
                words.update(_WORDS.findall(str(row[key])))
        if (option := option_of(row)) is not None:
            words.update(option_words(option))
    return frozenset(words)


def import_words(source: bytes, tree: Tree) -> frozenset[str]:
    """Every word of every import statement (found through the tree, wherever it sits), and of
    every statement that imports a module named in a string (`np = pytest.importorskip("numpy")`),
    and the words that make one (typing `importorskip` into being makes a binding)."""
    root = tree.root_node
    words: set[str] = set(DYNAMIC_IMPORT_WORDS)
    seen: set[int] = set()
    for node in import_word_nodes(source, root):
        if node.parent is None:
            continue
        if node.type == "identifier":
            found = dynamic_import(node)
            if found is not None:
                stmt = found[2]
                words.update(_WORDS.findall(source[stmt.start_byte:stmt.end_byte].decode("utf-8", "replace")))
            continue
        stmt = node.parent
        if stmt.type in _IMPORT_STATEMENTS and stmt.id not in seen:
            seen.add(stmt.id)
            words.update(_WORDS.findall(source[stmt.start_byte:stmt.end_byte].decode("utf-8", "replace")))
    return frozenset(words)


def inert_words(we: WordEdit, interesting: frozenset[str]) -> bool:
    """Rule 2."""
    return we.old not in interesting and we.new not in interesting


# ---- syntax -----------------------------------------------------------------------
def _identifier(word: str) -> bool:
    return bool(_IDENT.fullmatch(word)) and word not in RESERVED


def map_back(pos: int, done: list[WordEdit]) -> int:
    """A byte offset in the current text -> the same place in the text before the word edits `done`.

    Word boundaries never fall strictly inside an earlier edit of the same word,
    so a boundary maps exactly (the start stays, the end moves back).
    """
    for we in reversed(done):
        if pos >= we.start_byte + len(we.new) and pos > we.start_byte:
            pos -= we.delta
    return pos


def verify(root: Node, we: WordEdit, done: list[WordEdit]) -> bool:
    """Rule 3, against the last parsed tree (the text before `done`, earlier inert edits)."""
    start, end = map_back(we.start_byte, done), map_back(we.end_byte, done)
    node = root.descendant_for_byte_range(start, end)
    if node is None:
        return False
    kind = node.type
    if kind == "identifier":
        return (node.start_byte == start and node.end_byte == end and _identifier(we.old)
                and _identifier(we.new) and we.after not in _QUOTES)
    if kind == "comment":
        return node.start_byte < start and end <= node.end_byte
    if kind == "string_content":
        return node.start_byte <= start and end <= node.end_byte
    return False


# ---- moving findings ----------------------------------------------------------------
def _move(line: int, col: int, we: WordEdit) -> int | None:
    """The column after the edit; None when the position touches the edited word."""
    if line != we.line or col < we.s:
        return col
    if col <= we.e:
        return None
    return col + we.delta


def _shift_edit(e: Edit, we: WordEdit) -> Edit | None:
    col, end_col = _move(e.line, e.col, we), _move(e.end_line, e.end_col, we)
    if col is None or end_col is None:
        return None
    if (col, end_col) == (e.col, e.end_col):
        return e
    return Edit(e.line, col, e.end_line, end_col, e.new_text)


def shift_refs(refs: list[Reference], edits: list[WordEdit]) -> list[Reference] | None:
    """The findings after inert edits, or None when one touches a finding (then check fully)."""
    for we in edits:
        out = []
        for ref in refs:
            if ref.end_line < we.line or ref.line > we.line:
                if ref.rewrite is None or all(e.end_line < we.line or e.line > we.line for e in ref.rewrite.edits):
                    out.append(ref)
                    continue
            col, end_col = _move(ref.line, ref.col, we), _move(ref.end_line, ref.end_col, we)
            if col is None or end_col is None:
                return None
            rewrite = ref.rewrite
            if rewrite is not None:
                edits_ = [_shift_edit(e, we) for e in rewrite.edits]
                if any(e is None for e in edits_):
                    return None
                if edits_ != rewrite.edits:
                    rewrite = Rewrite(edits=edits_, description=rewrite.description)  # type: ignore[arg-type]
            if (col, end_col) != (ref.col, ref.end_col) or rewrite is not ref.rewrite:
                ref = dataclasses.replace(ref, col=col, end_col=end_col, rewrite=rewrite)
            out.append(ref)
        refs = out
    return refs
