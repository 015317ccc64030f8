"""Code models whose tokenizer is SentencePiece-style (Llama, CodeLlama, Mistral: a space is the
`▁` of the next word, a newline ends the piece before it): what they write reads as the text they
wrote, in the probes' first lines, in pass@k completions and in completions at the cursor.

A lone decode of `▁▁▁▁out` drops its first space, and a prompt cut before a newline ends in a
token such a model never saw there; the GPT-2 tests cannot see either. A tiny Llama with such a
tokenizer is trained here on the toy corpus until it writes `out = np.row_stack([a, b])` after
the "Stack a and b as rows." docstring.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from apimigrate.evaluate.generate import load_generator
from apimigrate.local_models import Continuation, max_positions
from apimigrate.lsp.cursor_generation import LoadedModel, complete_at_cursor
from unlearn_support import pretrained_toy_llama, toy_corpus

PROMPT = 'import numpy as np\n\n\ndef stack_99(a, b):\n    """Stack a and b as rows."""\n'
LINE = "    out = np.row_stack([a, b])"


@pytest.fixture(scope="module")
def llama(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sentencepiece")
    return pretrained_toy_llama(toy_corpus(root / "corpus"), root / "model")


def test_the_tokenizer_is_sentencepiece_shaped(llama):
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(llama)
    pieces = tok.convert_ids_to_tokens(tok(LINE + "\n", add_special_tokens=False)["input_ids"])
    assert pieces[:4] == ["▁", "▁", "▁", "▁out"] and pieces[-1].endswith("\n")
    assert tok.decode(tok("▁", add_special_tokens=False)["input_ids"][-1:]) == ""   # the lone-decode trap
    ids = tok(" out", add_special_tokens=False)["input_ids"]
    assert Continuation(tok).decode(ids[-1:]) == " out"


@pytest.mark.parametrize("heal", [True, False])
def test_probe_first_lines_keep_their_indentation(llama, heal):
    generator = load_generator(llama, device="cpu", max_new_tokens=24, heal=heal)
    assert generator.first_lines([PROMPT]) == [LINE]


def test_sampled_completions_keep_their_indentation(llama):
    generator = load_generator(llama, device="cpu", max_new_tokens=12, heal=False)
    (text,) = generator.samples(PROMPT, 1)
    assert text.startswith(LINE)


@pytest.mark.parametrize("typed, rest", [
    ("    ", "out = np.row_stack([a, b])"),
    ("    out = np.", "row_stack([a, b])"),
])
def test_completion_at_the_cursor(llama, typed, rest):
    generator = load_generator(llama, device="cpu", max_new_tokens=1)
    loaded = LoadedModel(generator, max_positions(generator.model.config))
    assert complete_at_cursor(loaded, PROMPT + typed, max_new_tokens=24, max_lines=1,
                              cancel=threading.Event()) == rest


def test_unlearning_trains_it_through_the_fused_loss(llama, tmp_path):
    """Token masks from the offset mapping, the fused log-probs checked against the model's own
    (`check_head` runs before the first step) and two steps of `cure`."""
    from transformers import AutoTokenizer

    from apimigrate.unlearn.dataset import BuildOptions, build_dataset
    from apimigrate.unlearn.options import LoraOptions
    from apimigrate.unlearn.tokens import encode_with_mask
    from apimigrate.unlearn.options import TrainOptions
    from apimigrate.unlearn.train import train
    from test_callsites_support import build_db, db_rows
    rows = db_rows(build_db(tmp_path / "kb.sqlite"))
    corpus = toy_corpus(tmp_path / "corpus", n=12, clean=4)
    build_dataset(sorted(corpus.glob("*.py")), tmp_path / "ds", rows, classes=None, fingerprint="t",
                  options=BuildOptions(eval_fraction=0.25), jobs=1)
    tok = AutoTokenizer.from_pretrained(llama)
    line = "    out = np.row_stack([a, b])\n"
    start = line.index("row_stack")
    enc = encode_with_mask(tok, PROMPT, line, [(start, start + len("row_stack"))], 256)
    marked = tok.decode([i for i, m in zip(enc.input_ids, enc.mask) if m])
    assert "row_stack" in marked and "out" not in marked
    summary = train(tmp_path / "ds", llama, tmp_path / "run", TrainOptions(max_steps=2, lora=LoraOptions(r=4)),
                    cpu=True)
    assert summary["steps"] == 2 and summary["last"]["loss"] == summary["last"]["loss"]     # not NaN
