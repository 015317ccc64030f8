"""Reading JSONL files back: a bad line is one error naming the file, the line and the decoder's
whole message (where in the line it broke)."""
from __future__ import annotations

import pytest

from apimigrate.jsonfiles import JsonLinesError, read_jsonl


def test_read_jsonl_gives_every_value_and_skips_blank_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n[1, 2]\n  \n3\n')
    assert read_jsonl(path) == [{"a": 1}, [1, 2], 3]


def test_a_line_cut_short_names_its_line_and_column(tmp_path):
    path = tmp_path / "eval.jsonl"
    path.write_text('{"a": 1}\n{"context": "import numpy as np\n')       # cut inside a string: its newline is raw
    with pytest.raises(JsonLinesError) as err:
        read_jsonl(path)
    assert str(err.value) == (f"{path}:2: not a JSON line "
                              "(Invalid control character at: line 1 column 32 (char 31))")


def test_bytes_that_are_not_utf8_and_unreadable_files_are_one_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": "caf\xe9"}\n')
    with pytest.raises(JsonLinesError, match=r"latin1\.jsonl:2: not UTF-8 \(byte 11 of the line"):
        read_jsonl(path)
    with pytest.raises(JsonLinesError, match="cannot read .*: Is a directory"):
        read_jsonl(tmp_path)
