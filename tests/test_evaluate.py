"""Evaluation probes: classifying first lines on real-shaped code, and `apimigrate evaluate`
end to end with a tiny random-init model and tokenizer built here (and a LoRA adapter)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex
from apimigrate.cli.main import app
from apimigrate.evaluate import DEPRECATED, MISMATCH, REPLACEMENT, classify, run_probes
from apimigrate.evaluate import generate as generate_mod
from apimigrate.unlearn.dataset import BuildOptions, build_dataset
from apimigrate.cli.options import ProgressLines
from apimigrate.db import open_db
from test_callsites_support import ROWS, build_db, db_rows
from test_unlearn_dataset import _build, _corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("kb") / "kb.sqlite")


@pytest.fixture(scope="module")
def index(kb_path) -> DeprecationIndex:
    return DeprecationIndex.from_rows(db_rows(kb_path))


def _record(api: str, replacement: str, context: str, kind: str = "call", parameter: str | None = None) -> dict:
    return {"api": api, "replacement": replacement, "kind": kind, "parameter": parameter,
            "context": context, "imports": "", "mapping": f"{api} -> {replacement}"}


@pytest.mark.parametrize("context, line, outcome", [
    ("import numpy as np\n", "    y = np.row_stack([a, b])", DEPRECATED),
    ("import numpy as np\n", "    y = np.vstack([a, b])", REPLACEMENT),
    ("import numpy as np\n", "    y = np.concatenate([a, b])", MISMATCH),
    ("import numpy as xp\n", "y = xp.row_stack(a)", DEPRECATED),                 # the context's alias
    ("from numpy import row_stack, vstack\n", "y = vstack(a)", REPLACEMENT),
    ("import numpy as np\n", "y = np.vstack(a) + np.row_stack(b)", DEPRECATED),  # it still writes the old one
    ("import numpy as np\n", "# np.row_stack is gone", MISMATCH),
    ("import numpy as np\n", "", MISMATCH),
])
def test_first_line_outcome_for_a_function(index, context, line, outcome):
    assert classify(_record("numpy.row_stack", "numpy.vstack", context), line, index) == outcome


def test_methods_count_by_name_and_builtins_by_bare_name(index):
    frame = _record("pandas.DataFrame.applymap", "pandas.DataFrame.map", "import pandas as pd\ndf = load()\n")
    assert classify(frame, "out = df.applymap(str)", index) == DEPRECATED
    assert classify(frame, "out = df.map(str)", index) == REPLACEMENT
    assert classify(frame, "out = df.apply(str)", index) == MISMATCH
    alias = _record("numpy.float", "builtins.float", "import numpy as np\n")
    assert classify(alias, "x = a.astype(np.float)", index) == DEPRECATED
    assert classify(alias, "x = a.astype(float)", index) == REPLACEMENT
    assert classify(alias, "x = a.astype(float=1)", index) == MISMATCH          # a keyword, not the builtin


def test_renamed_keywords_on_the_call_line_and_inside_a_call_the_context_opened(index):
    ctx = "from sklearn.metrics import roc_auc_score\n"
    rec = _record("sklearn.metrics.roc_auc_score", "y_score", ctx, kind="keyword", parameter="y_true_x")
    assert classify(rec, "s = roc_auc_score(y, y_true_x=p)", index) == DEPRECATED
    assert classify(rec, "s = roc_auc_score(y, y_score=p)", index) == REPLACEMENT
    assert classify(rec, "s = other(y, y_true_x=p)", index) == MISMATCH          # not the API's call
    assert classify(rec, "ok = y_true_x == p", index) == MISMATCH
    opened = dict(rec, context=ctx + "s = roc_auc_score(\n    y,\n")
    assert classify(opened, "    y_true_x=p,", index) == DEPRECATED
    assert classify(opened, "    y_score=p,", index) == REPLACEMENT
    closed = dict(rec, context=ctx + "s = roc_auc_score(y)  # (\n")
    assert classify(closed, "    y_score=p", index) == MISMATCH


class Scripted:
    """Answers each prompt with a line chosen by the test."""
    def __init__(self, answer):
        self.answer, self.calls = answer, 0

    def first_lines(self, prompts):
        self.calls += len(prompts)
        return [self.answer(p) for p in prompts]


def _fingerprint(kb_path: Path) -> str:
    kb = open_db(kb_path)
    try:
        return kb.fingerprint()
    finally:
        kb.close()


def _dataset(kb_path: Path, tmp_path: Path) -> Path:
    """A dataset built from the DB at `kb_path` (its manifest records that DB's state, as
    `dataset build` does)."""
    out = tmp_path / "ds"
    build_dataset(sorted((_corpus(tmp_path / "corpus")).glob("*.py")), out, db_rows(kb_path), classes=None,
                  fingerprint=_fingerprint(kb_path), options=BuildOptions(eval_fraction=0.5), jobs=1)
    return out


def test_run_probes_counts_outcomes_per_mapping_and_resumes(kb_path, index, tmp_path):
    ds = _dataset(kb_path, tmp_path)
    records = [json.loads(line) for line in (ds / "eval.jsonl").read_text().splitlines()]
    by_context = {r["context"]: r for r in records}
    # the model "answers" the old line for the first half of the probes, the new one after
    order = sorted(by_context)
    old = set(order[:len(order) // 2])
    model = Scripted(lambda p: by_context[p]["deprecated_line" if p in old else "replacement_line"])
    out = tmp_path / "probes"
    summary = run_probes(records, model, index, out, batch_size=3)
    assert summary["overall"]["probes"] == len(records) >= 6
    assert summary["overall"]["deprecated"] == len(old)
    assert summary["overall"]["replacement"] == len(records) - len(old)
    for mapping, row in summary["mappings"].items():
        mine = [r for r in records if r["mapping"] == mapping]
        assert row["deprecated"] == sum(r["context"] in old for r in mine)
        assert abs(row["deprecated_rate"] + row["replacement_rate"] + row["mismatch_rate"] - 1) < 1e-9
    # an interruption leaves a line cut short: it is dropped and that probe asked again
    probes = out / "probes.jsonl"
    lines = probes.read_text().splitlines(keepends=True)
    probes.write_text("".join(lines[:-1]) + lines[-1][:10])
    again = Scripted(model.answer)
    assert run_probes(records, again, index, out) == summary
    assert again.calls == 1
    assert len(probes.read_text().splitlines()) == len(records)
    # a rebuilt dataset may give a probe's key another prompt: that probe is asked again
    changed = [dict(r, context=r["context"] + "# edited\n") if i == 0 else r for i, r in enumerate(records)]
    by_context[changed[0]["context"]] = records[0]
    third = Scripted(model.answer)
    assert run_probes(changed, third, index, out)["overall"]["probes"] == len(records)
    assert third.calls == 1


# ---- a tiny real model ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
    root = tmp_path_factory.mktemp("model")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    code = "import numpy as np\nimport pandas as pd\ny = np.row_stack([a, b])\nz = np.vstack([a, b])\n" * 30
    tok.train_from_iterator([code], trainers.BpeTrainer(vocab_size=300, special_tokens=["<s>", "</s>"],
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>")
    fast.save_pretrained(root)
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(fast), n_positions=256, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id)
    GPT2LMHeadModel(config).save_pretrained(root)
    return root


def test_evaluate_cli_with_a_local_model_and_adapter(kb_path, tiny_model, tmp_path, monkeypatch):
    ds = _dataset(kb_path, tmp_path)
    n = len((ds / "eval.jsonl").read_text().splitlines())
    base = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "base"),
                               "--db", str(kb_path), "--max-new-tokens", "16", "--device", "cpu"])
    assert base.exit_code == 0, base.output
    rows = [json.loads(line) for line in (tmp_path / "base" / "probes.jsonl").read_text().splitlines()]
    assert len(rows) == n and {r["outcome"] for r in rows} <= {DEPRECATED, REPLACEMENT, MISMATCH}
    summary = json.loads((tmp_path / "base" / "summary.json").read_text())
    assert summary["overall"]["probes"] == n
    retain = [json.loads(x) for x in (ds / "retain_eval.jsonl").read_text().splitlines()]
    assert retain and summary["utility"]["chunks"] == len(retain) and summary["utility"]["perplexity"] > 1
    # the results go to stdout (`evaluate ... > results.txt`), progress and warnings to stderr
    assert "retain perplexity" in base.stdout and "first generated line" in base.stdout
    assert "retain perplexity" not in base.stderr

    # A LoRA adapter fresh from peft (B = 0) changes nothing: the same first lines come back.
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM
    peft_model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model),
                                LoraConfig(r=4, target_modules=["c_attn"], fan_in_fan_out=True))
    peft_model.save_pretrained(tmp_path / "adapter")
    tuned = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "--adapter", str(tmp_path / "adapter"),
                                "-o", str(tmp_path / "tuned"), "--db", str(kb_path), "--max-new-tokens", "16",
                                "--device", "cpu"])
    assert tuned.exit_code == 0, tuned.output
    tuned_rows = [json.loads(line) for line in (tmp_path / "tuned" / "probes.jsonl").read_text().splitlines()]
    assert [r["generated"] for r in tuned_rows] == [r["generated"] for r in rows]

    # Run again: every probe is answered already, nothing is generated.
    monkeypatch.setattr(generate_mod.Generator, "first_lines", lambda self, prompts: pytest.fail("generated"))
    again = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "base"),
                                "--db", str(kb_path), "--max-new-tokens", "16", "--device", "cpu"])
    assert again.exit_code == 0 and json.loads((tmp_path / "base" / "summary.json").read_text()) == summary

    # That folder holds the base model's answers: another model or other settings are not mixed in.
    probes_before = (tmp_path / "base" / "probes.jsonl").read_text()
    for other in (["--adapter", str(tmp_path / "adapter")], ["--max-new-tokens", "8"], ["--no-token-healing"]):
        mixed = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "base"),
                                    "--db", str(kb_path), "--max-new-tokens", "16", "--device", "cpu", *other])
        assert mixed.exit_code == 2 and "holds the evaluation of another model or settings" in mixed.stderr, other
        assert "--fresh" in mixed.stderr and len(mixed.stderr.strip().splitlines()) == 1
    assert (tmp_path / "base" / "probes.jsonl").read_text() == probes_before
    monkeypatch.undo()
    fresh = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "base"),
                                "--adapter", str(tmp_path / "adapter"), "--db", str(kb_path), "--max-new-tokens",
                                "16", "--device", "cpu", "--fresh"])
    assert fresh.exit_code == 0, fresh.output
    owner = json.loads((tmp_path / "base" / "evaluated.json").read_text())
    assert owner["adapter"] == str((tmp_path / "adapter").resolve()) and owner["max_new_tokens"] == 16
    assert len((tmp_path / "base" / "probes.jsonl").read_text().splitlines()) == n


def test_evaluate_errors_are_one_line(kb_path, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "eval.jsonl").write_text("")
    not_a_model = runner.invoke(app, ["evaluate", str(tmp_path / "empty"), "--model", str(tmp_path),
                                      "-o", str(tmp_path / "o"), "--db", str(kb_path)])
    assert not_a_model.exit_code == 2 and "no probes" in not_a_model.stderr
    (tmp_path / "empty" / "eval.jsonl").write_text('{"path": "a.py"}\nnot json\n')
    bad = runner.invoke(app, ["evaluate", str(tmp_path / "empty"), "--model", str(tmp_path),
                              "-o", str(tmp_path / "o"), "--db", str(kb_path)])
    assert bad.exit_code == 2 and "eval.jsonl:2: not a JSON line (Expecting value: line 1 column 1 (char 0))" \
        in bad.stderr
    (tmp_path / "empty" / "eval.jsonl").write_text(json.dumps(
        {"path": "a.py", "line": 1, "mapping": "m", "api": "numpy.row_stack", "context": "",
         "deprecated_line": "np.row_stack(a)"}) + "\n")
    no_model = runner.invoke(app, ["evaluate", str(tmp_path / "empty"), "--model", str(tmp_path / "nope"),
                                   "-o", str(tmp_path / "o"), "--db", str(kb_path)])
    assert no_model.exit_code == 2 and "no model directory" in no_model.stderr
    junk = runner.invoke(app, ["evaluate", str(tmp_path / "empty"), "--model", str(tmp_path / "empty"),
                               "-o", str(tmp_path / "o"), "--db", str(kb_path)])
    assert junk.exit_code == 2 and "cannot load a causal LM" in junk.stderr


def test_an_adapter_that_is_no_adapter_or_another_models_and_a_missing_device_are_one_line(
        kb_path, tiny_model, tmp_path):
    """A run folder given for its adapter is refused before the model loads and never reaches the
    Hub (peft read `runs/cure` as a repository id: half a minute of retries, then a traceback); an
    adapter trained on a wider model, and a device this machine lacks, are one line too."""
    from peft import get_peft_model
    from transformers import GPT2Config, GPT2LMHeadModel

    from apimigrate.unlearn.lm import _lora_config
    from apimigrate.unlearn.options import LoraOptions
    ds = _dataset(kb_path, tmp_path)
    config = GPT2Config.from_pretrained(tiny_model)
    config.n_embd = 64
    wide = GPT2LMHeadModel(config)
    run = tmp_path / "runs" / "cure"
    get_peft_model(wide, _lora_config(wide, LoraOptions(r=8, dropout=0.0))).save_pretrained(run / "adapter")

    folder = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "a"),
                                 "--db", str(kb_path), "--adapter", str(run), "--device", "cpu"])
    assert folder.exit_code == 2, folder.output
    assert folder.stderr.strip() == (f"error: no LoRA adapter at {run} (adapter_config.json is missing; the adapter "
                                     f"of a run is in {run / 'adapter'})")
    other = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "b"),
                                "--db", str(kb_path), "--adapter", str(run / "adapter"), "--device", "cpu"])
    assert other.exit_code == 2 and len(other.stderr.strip().splitlines()) == 1, other.output
    assert f"the adapter in {run / 'adapter'} does not fit the model in {tiny_model}" in other.stderr
    assert "[8, 64] in the adapter, [8, 32] in the model" in other.stderr
    for device, says in (("tpu", "--device tpu: not a torch device here"), ("cuda:7", "--device cuda:7: ")):
        bad = runner.invoke(app, ["evaluate", str(ds), "--model", str(tiny_model), "-o", str(tmp_path / "c"),
                                  "--db", str(kb_path), "--device", device])
        assert bad.exit_code == 2 and bad.stderr.startswith(f"error: {says}"), bad.output
        assert len(bad.stderr.strip().splitlines()) == 1


def _scripted_model(monkeypatch, answer=lambda prompt: "x = 1") -> Scripted:
    """`evaluate` answers with `answer` instead of loading the model (its files still identify it)."""
    fake = Scripted(answer)
    fake.identity = {"scripted": True}
    monkeypatch.setattr(generate_mod, "load_generator", lambda *args, **kwargs: fake)
    return fake


def _evaluate(ds: Path, model: Path, out: Path, db: Path, *more: str):
    return runner.invoke(app, ["evaluate", str(ds), "--model", str(model), "-o", str(out), "--db", str(db),
                               "--no-perplexity", "--device", "cpu", *more])


def test_evaluate_skips_lines_that_are_no_pair_records_as_train_does(kb_path, tiny_model, tmp_path, monkeypatch):
    ds = _dataset(kb_path, tmp_path)
    good = (ds / "eval.jsonl").read_text().splitlines()
    (ds / "eval.jsonl").write_text("\n".join([good[0], '{"mapping": 1}', "[1, 2]", *good[1:]]) + "\n")
    fake = _scripted_model(monkeypatch)
    result = _evaluate(ds, tiny_model, tmp_path / "out", kb_path)
    assert result.exit_code == 0, result.output
    assert f"warning: 2 of {len(good) + 2} line(s) of {ds / 'eval.jsonl'} skipped (2 record(s) without a pair's " \
           f"fields); {len(good)} probe(s) left" in result.stderr
    assert fake.calls == len(good)
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["overall"]["probes"] == len(good)
    # none usable: one line, as train's "no pair ... can be trained on", before any model loads
    (ds / "eval.jsonl").write_text('{"mapping": 1}\n[1, 2]\n')
    none = _evaluate(ds, tiny_model, tmp_path / "out2", kb_path)
    assert none.exit_code == 2 and len(none.stderr.strip().splitlines()) == 1
    assert f"no line of {ds / 'eval.jsonl'} can be a probe (2 record(s) without a pair's fields)" in none.stderr


def test_evaluate_warns_when_the_db_is_not_the_one_the_dataset_was_built_from(kb_path, tiny_model, tmp_path,
                                                                              monkeypatch):
    ds = _dataset(kb_path, tmp_path)
    _scripted_model(monkeypatch)
    same = _evaluate(ds, tiny_model, tmp_path / "same", kb_path)
    assert same.exit_code == 0 and "warning" not in same.stderr
    numpy_only = build_db(tmp_path / "numpy.sqlite", rows=[r for r in ROWS if r[0].startswith("numpy.")])
    other = _evaluate(ds, tiny_model, tmp_path / "other", numpy_only)
    assert other.exit_code == 0, other.output
    warnings = [line for line in other.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and f"{numpy_only} is not the DB state {ds} was built from" in warnings[0]
    probes = [json.loads(x) for x in (ds / "eval.jsonl").read_text().splitlines()]
    lacking = sum(not p["api"].startswith("numpy.") for p in probes)
    assert lacking and f"holds no row for the APIs of {lacking} of {len(probes)} probe(s) (" in warnings[0]
    assert "pandas.io.json.json_normalize" in warnings[0]


def test_evaluate_in_a_log_prints_progress_lines(kb_path, tiny_model, tmp_path, monkeypatch):
    ds = _dataset(kb_path, tmp_path)
    n = len((ds / "eval.jsonl").read_text().splitlines())
    _scripted_model(monkeypatch)
    result = _evaluate(ds, tiny_model, tmp_path / "out", kb_path, "--batch-size", "2")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("evaluate: ")]
    assert lines[0] == f"evaluate: 0/{n} probes" and lines[-1] == f"evaluate: {n}/{n} probes"
    assert len(lines) >= 3                                  # some in between, not just start and end


def test_progress_lines_come_every_tenth_or_after_a_while(capsys):
    clock = [0.0]
    lines = ProgressLines("evaluate", "probes", every=30.0, clock=lambda: clock[0])
    for done in range(0, 101, 5):             # 5 at a time: a line every tenth (10 probes)
        lines(done, 100)
    shown = [ln for ln in capsys.readouterr().err.splitlines() if ln]
    assert shown == [f"evaluate: {d}/100 probes" for d in range(0, 101, 10)]
    slow = ProgressLines("evaluate", "probes", every=30.0, clock=lambda: clock[0])
    slow(0, 1000)
    slow(1, 1000)                              # neither a tenth done nor 30 s passed
    clock[0] = 31.0
    slow(2, 1000)
    slow(2, 1000)                              # nothing new: no line again
    assert capsys.readouterr().err.split("\n")[:-1] == ["evaluate: 0/1000 probes", "evaluate: 2/1000 probes"]


def test_probe_keys_count_lines_from_one_and_older_keys_still_resume(kb_path, index, tmp_path):
    ds = _dataset(kb_path, tmp_path)
    records = [json.loads(line) for line in (ds / "eval.jsonl").read_text().splitlines()]
    out = tmp_path / "probes"
    run_probes(records, Scripted(lambda p: "x = 1"), index, out)
    rows = [json.loads(line) for line in (out / "probes.jsonl").read_text().splitlines()]
    # the dataset's `line` is the 0-based index; a key shows the file's line as `check` does
    assert [r["key"] for r in rows] == [f"{r['path']}:{r['line'] + 1}:{r['mapping']}" for r in records]
    first = records[0]
    text = Path(first["path"]).read_text().split("\n")
    assert text[first["line"]] == first["deprecated_line"]
    # probes.jsonl written when keys counted from 0: those answers count, nothing is asked again
    (out / "probes.jsonl").write_text("".join(
        json.dumps(dict(row, key=f"{r['path']}:{r['line']}:{r['mapping']}")) + "\n" for row, r in zip(rows, records)))
    again = Scripted(lambda p: "x = 1")
    assert run_probes(records, again, index, out)["overall"]["probes"] == len(records) and again.calls == 0


def test_run_probes_leaves_out_records_that_are_no_probes(kb_path, index, tmp_path):
    ds = _dataset(kb_path, tmp_path)
    records = [json.loads(line) for line in (ds / "eval.jsonl").read_text().splitlines()]
    junk = [{"mapping": 1}, [1, 2], dict(records[0], line="3"), dict(records[0], imports=7)]
    summary = run_probes(records + junk, Scripted(lambda p: "x = 1"), index, tmp_path / "probes")
    assert summary["overall"]["probes"] == len(records)


def test_a_dataset_with_an_empty_eval_split_says_why_there_are_no_probes(kb_path, tmp_path):
    out = tmp_path / "ds"
    assert _build(kb_path, str(_corpus(tmp_path / "corpus", n=1)), "-o", str(out)).exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["pairs"] == {"train": 2, "eval": 0}
    probed = runner.invoke(app, ["evaluate", str(out), "--model", str(tmp_path), "-o", str(tmp_path / "ev"),
                                 "--db", str(kb_path)])
    assert probed.exit_code == 2 and len(probed.stderr.strip().splitlines()) == 1
    assert f"no probes in {out}: the eval split has no pairs" in probed.stderr and "--eval-fraction" in probed.stderr


def test_token_healing_lets_the_first_token_respell_the_prompts_end():
    import torch
    from apimigrate.evaluate.healing import FirstStepMask, TokenHealing
    from unlearn_support import toy_tokenizer
    tok = toy_tokenizer(["import numpy as np\n\n\ndef f(a):\n    return np.prod(a)\n" * 20], vocab_size=300)
    healing = TokenHealing(tok)
    prompt = "import numpy as np\n\n\ndef f(a):\n"
    ids = tok(prompt)["input_ids"]
    kept, tail = healing.split(ids)
    assert kept == ids[:-1] and tail == "\n" and tok.decode(kept) + tail == prompt
    vocab = len(tok)
    allowed = healing.allowed(tail, vocab, "cpu")
    texts = [tok.decode([i]) for i in range(vocab)]
    assert {i for i in range(vocab) if allowed[i]} == {i for i, t in enumerate(texts) if t.startswith("\n")}
    assert any(t.startswith("\n") and t.strip(" \n") == "" and len(t) > 1 for i, t in enumerate(texts) if allowed[i])
    assert healing.split([tok.eos_token_id]) == ([tok.eos_token_id], "")             # nothing to back off
    assert healing.split(ids[:-1] + [tok.eos_token_id])[1] == ""                     # a special token stays
    scores = torch.zeros(2, vocab)
    masked = FirstStepMask(5, [allowed, None])(torch.zeros(2, 5, dtype=torch.long), scores.clone())
    assert torch.isinf(masked[0][~allowed]).all() and not torch.isinf(masked[0][allowed]).any()
    assert not torch.isinf(masked[1]).any()
    later = FirstStepMask(5, [allowed, None])(torch.zeros(2, 6, dtype=torch.long), scores.clone())
    assert not torch.isinf(later).any()                                              # the first step only


def test_retain_perplexity_is_the_models_own_loss_on_the_held_out_chunks(tiny_model):
    import math
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from apimigrate.evaluate.perplexity import retain_perplexity
    tok = AutoTokenizer.from_pretrained(tiny_model)
    tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    chunks = [{"text": "import numpy as np\nz = np.vstack([a, b])\n" * k} for k in (1, 2, 3)] + [{"text": ""}]
    got = retain_perplexity(model, tok, chunks, "cpu", max_length=64, batch_size=2, impl="chunked")
    nll, count = 0.0, 0
    with torch.no_grad():
        for chunk in chunks[:3]:
            ids = torch.tensor([tok(chunk["text"])["input_ids"][:64]])
            n = ids.shape[1] - 1
            nll += float(model(input_ids=ids, labels=ids).loss) * n
            count += n
    assert got["chunks"] == 3 and got["tokens"] == count                 # the empty chunk has no token
    assert math.isclose(got["nll"], nll / count, rel_tol=1e-4)
    assert math.isclose(got["perplexity"], math.exp(nll / count), rel_tol=1e-4)


def test_answers_given_before_are_judged_by_the_db_given_now(kb_path, index, tmp_path, monkeypatch):
    """The same --out evaluated again with another --db generates nothing again, but what a line
    uses is the DB's to say (aliases, classes): each outcome is judged anew, and probes.jsonl
    follows."""
    from apimigrate.evaluate import runner as runner_mod
    ds = _dataset(kb_path, tmp_path)
    records = [json.loads(line) for line in (ds / "eval.jsonl").read_text().splitlines()]
    first, second = object(), object()          # two "DBs"; the outcome says which judged
    monkeypatch.setattr(runner_mod, "classify", lambda record, line, idx: DEPRECATED if idx is first else MISMATCH)
    out = tmp_path / "probes"
    assert run_probes(records, Scripted(lambda p: "x = 1"), first, out)["overall"]["deprecated"] == len(records)
    again = Scripted(lambda p: "x = 1")
    summary = run_probes(records, again, second, out)
    assert again.calls == 0 and summary["overall"]["mismatch"] == len(records)
    stored = [json.loads(line) for line in (out / "probes.jsonl").read_text().splitlines()]
    assert len(stored) == len(records) and {row["outcome"] for row in stored} == {MISMATCH}
