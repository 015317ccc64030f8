"""The server's document copy: incremental edits, UTF-16 columns, tree-sitter edits."""
from __future__ import annotations

import random

import tree_sitter
import tree_sitter_python
from lsprotocol import types
from pygls.workspace import TextDocument

from apimigrate.lsp.documents import Document, is_reset

PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))


def _change(l1: int, c1: int, l2: int, c2: int, text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2)),
        text=text,
    )


def test_utf16_columns_round_trip() -> None:
    doc = Document.from_text("file:///t.py", 1, 's = "😀é"; y = np.row_stack(a)\nz = 1\n')
    col = doc.line_text(0).index("np")
    assert doc.char_to_utf16(0, col) == col + 1        # the emoji is two UTF-16 units
    assert doc.utf16_to_char(0, col + 1) == col
    assert doc.char_to_utf16(1, 3) == 3


def test_random_edits_match_pygls_and_a_fresh_parse() -> None:
    rng = random.Random(7)
    text = "import numpy as np\n" + "".join(f"x{i} = np.row_stack([{i}, 'é'])\n" for i in range(40))
    ours = Document.from_text("file:///t.py", 0, text)
    theirs = TextDocument("file:///t.py", text)
    tree = PARSER.parse(ours.source)
    pieces = ["", "a", "np.", "\n", "😀", "def f():\n    pass\n", "é", "  "]
    for version in range(1, 200):
        lines = theirs.lines
        l1 = rng.randrange(len(lines))
        l2 = min(len(lines) - 1, l1 + rng.choice([0, 0, 1, 2]))
        c1 = rng.randrange(len(lines[l1].rstrip("\n")) + 1)
        c2 = rng.randrange(len(lines[l2].rstrip("\n")) + 1) if l2 > l1 else max(c1, rng.randrange(len(lines[l2].rstrip("\n")) + 1))
        # pygls counts UTF-16 units too; map our char columns to them through our own document.
        ch = _change(l1, ours.char_to_utf16(l1, c1), l2, ours.char_to_utf16(l2, c2), rng.choice(pieces))
        ours.apply(ch, version)
        theirs.apply_change(ch)
        assert ours.source.decode() == theirs.source
        assert [ours.line_text(i) for i in range(ours.line_count)] == theirs.source.split("\n")
        for e in ours.take_pending():
            assert not is_reset(e)
            tree.edit(start_byte=e.start_byte, old_end_byte=e.old_end_byte, new_end_byte=e.new_end_byte,
                      start_point=e.start_point, old_end_point=e.old_end_point, new_end_point=e.new_end_point)
        tree = PARSER.parse(ours.source, tree)
        assert str(tree.root_node) == str(PARSER.parse(ours.source).root_node)


def test_full_change_resets_the_tree() -> None:
    doc = Document.from_text("file:///t.py", 0, "a = 1\n")
    doc.apply(types.TextDocumentContentChangeWholeDocument(text="b = 2\nc = 3\n"), 1)
    assert doc.source == b"b = 2\nc = 3\n" and doc.line_count == 3
    assert any(is_reset(e) for e in doc.take_pending())
