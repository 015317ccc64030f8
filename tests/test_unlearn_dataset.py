"""The contrastive dataset: pairs from real-shaped code, token masks, splits, and `apimigrate
dataset build` end to end (pool, resume, interruption, bad files) over a real DB."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, Edit
from apimigrate.check import fix_source
from apimigrate.cli.main import app
from apimigrate.unlearn import dataset as dataset_mod
from apimigrate.unlearn.pairs import pairs_in_source, retain_chunks, rewrite_line
from apimigrate.unlearn.splits import EVAL, TRAIN, assign_splits
from apimigrate.unlearn.staging import Staging
from apimigrate.unlearn.tokens import IGNORE_INDEX, encode_with_mask
from test_callsites_support import build_db, db_rows
from test_fix import BEFORE

runner = CliRunner()


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("kb") / "kb.sqlite")


@pytest.fixture(scope="module")
def index(kb_path: Path) -> DeprecationIndex:
    return DeprecationIndex.from_rows(db_rows(kb_path))


# ---- pairs ---------------------------------------------------------------------------------

def test_pairs_are_the_exact_rewrites_of_one_line_sharing_the_context(index):
    pairs, dropped, refs = pairs_in_source(BEFORE, index, "code.py")
    got = {(p.line, p.mapping): p for p in pairs}
    assert sorted(got) == [
        (2, "numpy.product -> numpy.prod"),                 # the import line alone is a pair
        (5, "numpy.row_stack -> numpy.vstack"),
        (6, "numpy.row_stack -> numpy.vstack"),             # the first line of a call over three
        (10, "pandas.io.json.json_normalize -> pandas.json_normalize"),
        (13, "sklearn.metrics.roc_auc_score(y_true_x=) -> sklearn.metrics.roc_auc_score(y_score=)"),
    ]
    lines = BEFORE.split("\n")
    for p in pairs:
        assert p.context == "\n".join(lines[:p.line]) + "\n"        # everything before, nothing after
        assert p.deprecated_line == lines[p.line]
    stack = got[(5, "numpy.row_stack -> numpy.vstack")]
    assert stack.replacement_line == "a = np.vstack([x,   y])   # odd spacing stays"
    assert [stack.deprecated_line[a:b] for a, b in stack.deprecated_spans] == ["row_stack"]
    assert [stack.replacement_line[a:b] for a, b in stack.replacement_spans] == ["vstack"]
    moved = got[(10, "pandas.io.json.json_normalize -> pandas.json_normalize")]
    # the shared `pd.` is context, not the API
    assert [moved.deprecated_line[a:b] for a, b in moved.deprecated_spans] == ["io.json.json_normalize"]
    assert [moved.replacement_line[a:b] for a, b in moved.replacement_spans] == ["json_normalize"]
    kw = got[(13, "sklearn.metrics.roc_auc_score(y_true_x=) -> sklearn.metrics.roc_auc_score(y_score=)")]
    assert (kw.kind, kw.replacement) == ("keyword", "y_score")
    assert "from numpy import product, array\n" in kw.imports and "import pandas as pd\n" in kw.imports
    # `product(a)` needs its import renamed too (an earlier line): no shared context, no pair.
    # msort and stable_cumsum have no drop-in, applymap's receiver is of unknown type.
    assert dropped == {"no exact rewrite": 4, "rewrite changes the context": 1, "matched by name only": 1}


def test_each_replacement_line_is_what_fix_writes(index):
    fixed, _, _ = fix_source(BEFORE, index)
    new_lines = fixed.split("\n")
    for p in pairs_in_source(BEFORE, index, "code.py")[0]:
        if p.line != 2:             # fix also renames `product` below the import
            assert new_lines[p.line] == p.replacement_line


def test_compat_and_pending_uses_make_no_pair(kb_path, tmp_path):
    src = ("import numpy as np\n"
           "try:\n    from numpy import vstack as stack\nexcept ImportError:\n"
           "    stack = np.row_stack\n"
           "x = np.row_stack(a)\n")
    pairs, dropped, _ = pairs_in_source(src, DeprecationIndex.from_rows(db_rows(kb_path)), "c.py")
    assert [p.line for p in pairs] == [5] and dropped == {"compatibility code": 1}
    pending = [dict(r, pending=1) if r["api"] == "numpy.row_stack" else r for r in db_rows(kb_path)]
    pairs, dropped, _ = pairs_in_source(src, DeprecationIndex.from_rows(pending), "c.py")
    assert pairs == [] and dropped["pending deprecation"] == 1
    pairs, _, _ = pairs_in_source(src, DeprecationIndex.from_rows(pending), "c.py", include_pending=True)
    assert [p.line for p in pairs] == [5]


def test_context_keeps_whole_lines_of_its_tail(index):
    src = "import numpy as np\n" + "".join(f"v{i} = {i}\n" for i in range(200)) + "y = np.row_stack(a)\n"
    pair = pairs_in_source(src, index, "t.py", context_chars=100)[0][0]
    assert len(pair.context) <= 100 and pair.context.startswith("v") and pair.context.endswith("v199 = 199\n")
    assert pair.imports == "import numpy as np\n"        # the aliases survive the cut


def test_rewrite_line_shifts_later_spans():
    line = "f(np.row_stack(a), y_true_x=b)"
    new, old_spans, new_spans = rewrite_line(line, [Edit(0, 19, 0, 27, "y_score"), Edit(0, 5, 0, 14, "vstack")])
    assert new == "f(np.vstack(a), y_score=b)"
    assert [line[a:b] for a, b in old_spans] == ["row_stack", "y_true_x"]
    assert [new[a:b] for a, b in new_spans] == ["vstack", "y_score"]


def test_retain_chunks_come_evenly_from_code():
    text = "\n".join(f"x{i} = {i}" if i % 7 else "" for i in range(400))
    chunks = retain_chunks(text, "r.py", lines_per_chunk=50, per_file=3)
    assert [c["line"] for c in chunks] == [0, 100, 250]        # 8 windows, every 8/3rd
    assert all(c["text"] == "\n".join(text.split("\n")[c["line"]:c["line"] + 50]) for c in chunks)
    assert retain_chunks("\n\n# only a comment\n", "e.py") == []


# ---- splits --------------------------------------------------------------------------------

def _one_sided(split: dict, mappings: dict) -> int:
    return sum(1 for shas in mappings.values() if len(shas) >= 2 and len({split[f] for f in shas}) == 1)


def test_split_is_by_file_content_and_gives_each_mapping_both_sides():
    rng = random.Random()
    files = [f"{rng.getrandbits(128):032x}" for _ in range(400)]
    order = files[:]
    rng.shuffle(order)
    # mappings over files of their own: each one can be split, so each one is
    disjoint, at = {}, 0
    for i in range(60):
        size = rng.randint(1, 5)
        disjoint[f"m{i}"], at = set(order[at:at + size]), at + size
    split = assign_splits(files, disjoint, 0.1, seed=3)
    assert split == assign_splits(list(reversed(files)), disjoint, 0.1, seed=3)     # order-free
    assert _one_sided(split, disjoint) == 0
    share = sum(v == EVAL for v in split.values()) / len(files)
    assert 0.03 < share < 0.3
    assert assign_splits(files, disjoint, 0.1, seed=4) != split
    assert set(assign_splits(files, disjoint, 0.0).values()) == {TRAIN}
    # overlapping mappings: never worse than the hashed split
    overlapping = {f"m{i}": set(rng.sample(files[:100], rng.randint(1, 6))) for i in range(80)}
    hashed = assign_splits(files, {}, 0.1, seed=3)
    assert _one_sided(assign_splits(files, overlapping, 0.1, seed=3), overlapping) <= \
        _one_sided(hashed, overlapping)


def test_split_moves_a_chain_of_files_when_one_move_is_not_enough():
    """m1 = {a, b} starts in eval; moving `a` leaves m2 = {a, c} one-sided, moving `b` leaves
    m3 = {b, d, e}: the repair moves one, then mends the mapping it broke."""
    def named(side: str, n: int) -> list[str]:
        found = (f"file{i}" for i in range(10_000))
        return [f for f in found if (assign_splits([f], {}, 0.1)[f] == side)][:n]
    a, b = named(EVAL, 2)
    c, d, e = named(TRAIN, 3)
    mappings = {"m1": {a, b}, "m2": {a, c}, "m3": {b, d, e}}
    split = assign_splits([a, b, c, d, e], mappings, 0.1)
    assert _one_sided(split, mappings) == 0


# ---- token masks ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    corpus = [BEFORE, "import numpy as np\nx = np.vstack([a, b])\ny = np.row_stack(c)\n" * 20]
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=400, special_tokens=["<s>"],
                                                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    from tokenizers.processors import TemplateProcessing
    tok.post_processor = TemplateProcessing(single="<s> $A", special_tokens=[("<s>", tok.token_to_id("<s>"))])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>")


def _marked(tokenizer, enc) -> str:
    return "".join(tokenizer.decode([t]) for t, m in zip(enc.input_ids, enc.mask) if m)


def test_token_mask_marks_the_tokens_that_spell_the_api(index, tokenizer):
    for p in pairs_in_source(BEFORE, index, "code.py")[0]:
        for line, spans in ((p.deprecated_line, p.deprecated_spans), (p.replacement_line, p.replacement_spans)):
            enc = encode_with_mask(tokenizer, p.context, line, spans, max_length=4096)
            marked = _marked(tokenizer, enc)
            for a, b in spans:
                assert line[a:b] in marked                      # every character of the API is covered
            assert len(marked) < len(line[spans[0][0]:]) + 3    # and little beyond it
            assert enc.input_ids == tokenizer(p.context + line)["input_ids"]
            targets = enc.targets()
            assert [t for t in targets if t != IGNORE_INDEX] == \
                [t for t, m in zip(enc.input_ids, enc.mask) if m]


def test_token_mask_cuts_the_context_from_the_left(index, tokenizer):
    p = pairs_in_source(BEFORE, index, "code.py")[0][-1]
    full = encode_with_mask(tokenizer, p.context, p.deprecated_line, p.deprecated_spans, max_length=4096)
    short = encode_with_mask(tokenizer, p.context, p.deprecated_line, p.deprecated_spans, max_length=20)
    assert len(short.input_ids) == 20
    assert short.input_ids[0] == tokenizer.bos_token_id                  # BOS kept
    assert short.input_ids[1:] == full.input_ids[-19:] and short.mask[1:] == full.mask[-19:]
    assert encode_with_mask(tokenizer, p.context, p.deprecated_line, p.deprecated_spans, max_length=4) is None
    assert encode_with_mask(tokenizer, p.context, p.deprecated_line, [[3, 3]], max_length=100) is None


# ---- `apimigrate dataset build` ------------------------------------------------------------

VARIANTS = [
    "y = np.row_stack([a, b])\n",
    "frame = pd.io.json.json_normalize(rows)\n",
    "score = roc_auc_score(y, y_true_x=p)\n",
    "z = np.msort(a)\n",
]


def _corpus(root: Path, n: int = 24) -> Path:
    """`n` real-shaped modules using the deprecated APIs in turn, and clean ones for retain."""
    root.mkdir()
    head = "import numpy as np\nimport pandas as pd\nfrom sklearn.metrics import roc_auc_score\n\n\n"
    for i in range(n):
        body = "".join(f"def f{i}_{j}(a, b, rows, y, p):\n    {VARIANTS[(i + j) % len(VARIANTS)]}"
                       f"    return {i * 10 + j}\n\n\n" for j in range(2))
        (root / f"mod{i:02d}.py").write_text(head + body)
    for i in range(4):
        (root / f"clean{i}.py").write_text("".join(f"def g{j}(x):\n    return x + {i * j}\n\n" for j in range(40)))
    return root


def _build(kb_path: Path, *args: str):
    return runner.invoke(app, ["dataset", "build", *args, "--db", str(kb_path)])


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_build_writes_split_pairs_retain_and_manifest(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "ds"
    result = _build(kb_path, str(corpus), "-o", str(out), "-j", "2", "--eval-fraction", "0.25")
    assert result.exit_code == 0, result.output
    train, evals = _read(out / "train.jsonl"), _read(out / "eval.jsonl")
    manifest = json.loads((out / "manifest.json").read_text())
    # 24 files x 2 functions, three of the four variants rewritable
    assert len(train) + len(evals) == 36 == manifest["pairs"]["train"] + manifest["pairs"]["eval"]
    assert {p["path"] for p in train}.isdisjoint({p["path"] for p in evals})
    assert {m["mapping"] for m in manifest["mappings"]} == {
        "numpy.row_stack -> numpy.vstack", "pandas.io.json.json_normalize -> pandas.json_normalize",
        "sklearn.metrics.roc_auc_score(y_true_x=) -> sklearn.metrics.roc_auc_score(y_score=)"}
    assert all(m["train"] and m["eval"] for m in manifest["mappings"])
    assert manifest["dropped"] == {"no exact rewrite": 12}
    retain = _read(out / "retain_train.jsonl") + _read(out / "retain_eval.jsonl")
    assert {r["path"] for r in retain} == {str(corpus / f"clean{i}.py") for i in range(4)}
    # what was built is the command's output (`dataset build ... > built.txt`); stderr is for progress
    assert "36 mapping" not in result.stdout and "pair(s)" in result.stdout and "pair(s)" not in result.stderr


def test_build_resumes_after_an_interruption_and_matches_a_fresh_one(kb_path, tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "ds"
    stored = []
    real_store = Staging.store

    def store_then_stop(self, result):
        if len(stored) == 10:
            raise KeyboardInterrupt
        stored.append(result.path)
        real_store(self, result)

    monkeypatch.setattr(Staging, "store", store_then_stop)
    result = _build(kb_path, str(corpus), "-o", str(out), "-j", "1")
    assert result.exit_code == 130 and "run the same command again" in result.stderr
    assert not (out / "train.jsonl").exists()
    staging = Staging(out / "staging.sqlite")
    assert sorted(staging.done()) == sorted(stored)
    staging.close()
    monkeypatch.setattr(Staging, "store", real_store)

    reread = []
    real_pairs_file = dataset_mod.pairs_file
    monkeypatch.setattr(dataset_mod, "pairs_file",
                        lambda path, *a, **k: reread.append(path) or real_pairs_file(path, *a, **k))
    assert _build(kb_path, str(corpus), "-o", str(out), "-j", "1").exit_code == 0
    assert len(reread) == 28 - 10 and not set(reread) & set(stored)
    monkeypatch.setattr(dataset_mod, "pairs_file", real_pairs_file)
    assert _build(kb_path, str(corpus), "-o", str(tmp_path / "fresh"), "-j", "2").exit_code == 0
    for name in ("train.jsonl", "eval.jsonl", "retain_train.jsonl", "retain_eval.jsonl"):
        assert (out / name).read_text() == (tmp_path / "fresh" / name).read_text()


def test_rebuild_rereads_changed_files_and_forgets_removed_ones(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "ds"
    assert _build(kb_path, str(corpus), "-o", str(out)).exit_code == 0
    (corpus / "mod00.py").write_text("import numpy as np\nq = np.row_stack(a)\n")
    (corpus / "mod01.py").unlink()
    assert _build(kb_path, str(corpus), "-o", str(out)).exit_code == 0
    pairs = _read(out / "train.jsonl") + _read(out / "eval.jsonl")
    assert not any(p["path"].endswith("mod01.py") for p in pairs)
    assert [p["deprecated_line"] for p in pairs if p["path"].endswith("mod00.py")] == ["q = np.row_stack(a)"]


def test_build_refuses_to_mix_options_and_starts_over_with_fresh(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=3)
    out = tmp_path / "ds"
    assert _build(kb_path, str(corpus), "-o", str(out)).exit_code == 0
    mixed = _build(kb_path, str(corpus), "-o", str(out), "--context-chars", "50")
    assert mixed.exit_code == 2 and "other options" in mixed.stderr and "--fresh" in mixed.stderr
    # the split alone may change without reading anything again
    assert _build(kb_path, str(corpus), "-o", str(out), "--seed", "9").exit_code == 0
    again = _build(kb_path, str(corpus), "-o", str(out), "--context-chars", "50", "--fresh")
    assert again.exit_code == 0
    assert all(len(p["context"]) <= 50 for p in _read(out / "train.jsonl") + _read(out / "eval.jsonl"))


def test_bad_files_are_reported_and_the_rest_kept(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=3)
    (corpus / "latin1.py").write_bytes(b"x = '\xe9'\nimport numpy as np\nnp.row_stack(a)\n")
    (corpus / "broken.py").write_text("import numpy as np\ndef f(:\n    np.row_stack(a)\n")
    out = tmp_path / "ds"
    result = _build(kb_path, str(corpus), "-o", str(out))
    assert result.exit_code == 0
    assert f"{corpus / 'latin1.py'}:1:6: cannot read as UTF-8: invalid continuation byte" in result.stderr
    assert f"{corpus / 'broken.py'}:2:" in result.stderr and "syntax error" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["errors"] == 2 and manifest["pairs"]["train"] + manifest["pairs"]["eval"] == 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_is_reported_and_a_resumed_build_does_not_wait_on_it(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=3)
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    out = tmp_path / "ds"
    for _ in range(2):       # the second run resumes: it hashes the stored files again, the FIFO too
        result = _build(kb_path, str(corpus), str(fifo), "-o", str(out))
        assert result.exit_code == 0, result.output
        assert f"{fifo}:1:1: cannot read: not a regular file" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["errors"] == 1 and manifest["pairs"]["train"] + manifest["pairs"]["eval"] == 5


def test_copies_of_a_file_count_once(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=3)
    (corpus / "vendored").mkdir()
    (corpus / "vendored" / "mod00.py").write_text((corpus / "mod00.py").read_text())
    out = tmp_path / "ds"
    assert _build(kb_path, str(corpus), "-o", str(out)).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["duplicates"] == 1
    assert manifest["pairs"]["train"] + manifest["pairs"]["eval"] == 5


def test_no_pairs_and_no_db_are_failures(kb_path, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.py").write_text("import numpy as np\nx = np.vstack(a)\n")
    none = _build(kb_path, str(clean), "-o", str(tmp_path / "ds"))
    assert none.exit_code == 1 and "no pairs" in none.stdout
    missing = runner.invoke(app, ["dataset", "build", str(clean), "-o", str(tmp_path / "ds2"),
                                  "--db", str(tmp_path / "nope.sqlite")])
    assert missing.exit_code == 2 and "no deprecation database" in missing.stderr
    assert not (tmp_path / "nope.sqlite").exists()


def test_an_empty_eval_split_is_a_warning_that_says_what_to_do(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=1)          # one file with pairs: it goes wholly to one side
    out = tmp_path / "ds"
    result = _build(kb_path, str(corpus), "-o", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pairs"] == {"train": 2, "eval": 0}
    assert result.exit_code == 0                        # the train pairs are good
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warning == ["warning: the eval split has no pairs: all 1 file(s) with pairs went to train (a file goes "
                       "wholly to one side, and --eval-fraction 0.1 holds out 0.1 of them on average); give more "
                       "files that use deprecated APIs, or a larger --eval-fraction"]
    # asked for (--eval-fraction 0): no warning
    asked = _build(kb_path, str(corpus), "-o", str(out), "--eval-fraction", "0")
    assert asked.exit_code == 0 and "warning" not in asked.stderr


def test_a_damaged_staging_store_says_that_fresh_starts_over(kb_path, tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=2)
    out = tmp_path / "ds"
    out.mkdir()
    (out / "staging.sqlite").write_bytes(b"not a database, whatever was written here " * 4)
    broken = _build(kb_path, str(corpus), "-o", str(out))
    assert broken.exit_code == 2 and len(broken.stderr.strip().splitlines()) == 1
    assert "cannot use the staging store" in broken.stderr and "file is not a database" in broken.stderr
    assert "`apimigrate dataset build ... --fresh` starts it over" in broken.stderr
    assert _build(kb_path, str(corpus), "-o", str(out), "--fresh").exit_code == 0
    # damaged past the header it opens with: found midway, told the same way (no traceback)
    store = out / "staging.sqlite"
    data = store.read_bytes()
    store.write_bytes(data[:4096] + b"A" * (len(data) - 4096))
    midway = _build(kb_path, str(corpus), "-o", str(out))
    assert midway.exit_code == 2 and len(midway.stderr.strip().splitlines()) == 1
    assert "database disk image is malformed" in midway.stderr and "--fresh` starts it over" in midway.stderr
    # one that cannot be opened (here a folder; or locked by another build) is no reason to delete it
    (tmp_path / "ds2" / "staging.sqlite").mkdir(parents=True)
    unopened = _build(kb_path, str(corpus), "-o", str(tmp_path / "ds2"))
    assert unopened.exit_code == 2 and "cannot use the staging store" in unopened.stderr
    assert "--fresh" not in unopened.stderr
