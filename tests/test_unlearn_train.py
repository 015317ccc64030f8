"""`apimigrate train`: the fused training loss against the model's own logits, the token masks,
checkpoints that resume to the very same adapter, Ctrl-C, errors, and unlearning end to end
(a tiny model that writes the deprecated calls stops writing them and writes the replacements)."""
from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.local_models import ModelError
from apimigrate.unlearn import objectives
from apimigrate.unlearn.batches import encode_pairs, pair_batch
from apimigrate.unlearn.lm import check_head, head_scale, load_trainable
from apimigrate.unlearn.options import LoraOptions
from apimigrate.unlearn.tokens import IGNORE_INDEX
from apimigrate.unlearn.options import Interrupted, TrainOptions
from apimigrate.unlearn.train import Trainer, load_data, stream_slice, train
from unlearn_support import pretrained_toy_model, tiny_gpt2, toy_tokenizer, training_world

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return training_world(tmp_path_factory.mktemp("world"))


def _trainer(world, objective: str, **kw) -> Trainer:
    from accelerate import Accelerator
    options = TrainOptions(objective=objective, lora=LoraOptions(r=4, dropout=0.0), **kw)
    lm = load_trainable(world["model"], lora=options.lora, device="cpu", impl="chunked")
    lm.model.eval()                 # no dropout: both paths must see the same network
    data = load_data(world["ds"], lm.tokenizer, options, 256)
    trainer = Trainer(lm, data, options, Accelerator(cpu=True), total=10)
    # A fresh adapter has B = 0; give it weights so that gradients reach A and B alike.
    torch.manual_seed(1)
    with torch.no_grad():
        for name, p in lm.model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.05)
    return trainer


def _full_logits_loss(trainer: Trainer, pairs, retain) -> torch.Tensor:
    """The same objective computed from the model's own [tokens × vocab] logits."""
    lm, o = trainer.lm, trainer.options
    batch = pair_batch(pairs, lm.pad_id, with_pos=True, device="cpu")
    logp = lm.model_logprobs(batch)
    mask = batch.targets != IGNORE_INDEX
    b = len(pairs)
    n_neg = int(mask[:b].sum())
    neg, pos = objectives.Segments.from_mask(mask[:b]), objectives.Segments.from_mask(mask[b:])
    l_neg, l_pos = neg.mean(logp[:n_neg]), pos.mean(logp[n_neg:])
    beta = o.resolved_beta
    if o.objective == "cure":
        per = (-(2 / beta) * torch.nn.functional.logsigmoid(-beta * l_neg - o.gamma)
               - o.alpha * torch.nn.functional.logsigmoid(o.beta_c * (l_pos - l_neg)) - o.lambda_pos * l_pos)
    elif o.objective == "simnpo":
        per = -(2 / beta) * torch.nn.functional.logsigmoid(-beta * l_neg - o.gamma)
    elif o.objective == "npo":
        with torch.no_grad(), lm.model.disable_adapter():
            ref = lm.model_logprobs(batch)[:n_neg]
        per = -(2 / beta) * torch.nn.functional.logsigmoid(-beta * (neg.sum(logp[:n_neg]) - neg.sum(ref)))
    else:
        per = l_neg
    loss = per.mean()
    if retain:
        from apimigrate.unlearn.batches import collate
        rb = collate(retain, lm.pad_id)
        loss = loss + o.lambda_retain * -lm.model_logprobs(rb).mean()
    return loss


@pytest.mark.parametrize("objective", ["cure", "simnpo", "npo", "ga"])
def test_training_loss_through_the_fused_kernel_is_the_models_own(world, objective):
    # β small enough that the sigmoid terms of a random model's ℓ⁻ ≈ -5.7 are not saturated
    trainer = _trainer(world, objective, beta=0.3, gamma=0.3, lambda_pos=0.7, alpha=1.3, beta_c=0.8,
                       lambda_retain=0.5)
    (pairs, retain), = trainer._micro_batches(2)
    assert len(pairs) == 4 and len(retain) == 2
    params = [p for p in trainer.lm.model.parameters() if p.requires_grad]
    ours, stats = trainer.micro_loss(pairs, retain)
    g_ours = torch.autograd.grad(ours, params)
    theirs = _full_logits_loss(trainer, pairs, retain)
    g_theirs = torch.autograd.grad(theirs, params)
    assert torch.allclose(ours, theirs, rtol=1e-4, atol=1e-5), (float(ours), float(theirs))
    for a, b in zip(g_ours, g_theirs):
        assert torch.allclose(a, b, rtol=1e-3, atol=1e-6)
    assert stats["l_neg"] < 0 and stats["tokens"] > 0
    if objective == "npo":
        # the reference is the base model with the adapter off, not the adapter itself
        assert not math.isclose(float(ours), 2 / 0.3 * math.log(2) + 0.5 * stats["retain_ce"], rel_tol=1e-3)


def test_npo_starts_at_its_fixed_point_with_a_fresh_adapter(world):
    from accelerate import Accelerator
    options = TrainOptions(objective="npo", lambda_retain=0.0, lora=LoraOptions(r=4, dropout=0.0))
    lm = load_trainable(world["model"], lora=options.lora, device="cpu", impl="chunked")
    lm.model.eval()
    trainer = Trainer(lm, load_data(world["ds"], lm.tokenizer, options, 256), options, Accelerator(cpu=True), 4)
    (pairs, _), = trainer._micro_batches(0)
    loss, _ = trainer.micro_loss(pairs, [])
    assert math.isclose(float(loss), (2 / 0.1) * math.log(2), rel_tol=1e-5)   # πθ = πref: -(2/β) log σ(0)


def test_masks_start_where_the_two_lines_part(world):
    tokenizer = toy_tokenizer([(world["corpus"] / "mod00.py").read_text()], vocab_size=300)
    record = {"path": "a.py", "line": 3, "mapping": "m", "context": "s = 1\n",
              "deprecated_line": "s = roc_auc_score(y, y_true_x=p)", "replacement_line": "s = roc_auc_score(y, y_score=p)",
              "deprecated_spans": [[21, 29]], "replacement_spans": [[21, 28]]}
    (example,), skipped = encode_pairs([record], tokenizer, 64)
    assert not skipped
    first_neg = example.neg.mask.index(True)
    first_pos = example.pos.mask.index(True)
    assert first_neg == first_pos
    assert example.neg.input_ids[:first_neg] == example.pos.input_ids[:first_neg]
    assert example.neg.input_ids[first_neg] != example.pos.input_ids[first_neg]
    # every token the spans cover from there on stays marked
    marked = tokenizer.decode([t for t, m in zip(example.neg.input_ids, example.neg.mask) if m])
    assert marked and "y_true_x".endswith(marked)
    same = dict(record, replacement_line=record["deprecated_line"], replacement_spans=[[21, 29]])
    assert encode_pairs([same], tokenizer, 64) == ([], {"rewrite leaves the tokens as they were": 1})


def test_head_check_refuses_logits_that_are_not_the_head_over_the_last_state(world):
    from apimigrate.unlearn.lm import TokenLogprobs
    lm = load_trainable(world["model"], lora=LoraOptions(r=4), device="cpu", impl="chunked")
    data = load_data(world["ds"], lm.tokenizer, TrainOptions(), 256)
    batch = pair_batch(data.pairs[:2], lm.pad_id, with_pos=True)
    assert check_head(lm, batch) < 1e-4
    lm.logprobs = TokenLogprobs(lm.model, 1.5, "chunked")
    with pytest.raises(ModelError, match="logits are not its head"):
        check_head(lm, batch)
    from transformers import Gemma2Config
    with pytest.raises(ModelError, match="soft-caps"):
        head_scale(Gemma2Config(final_logit_softcapping=30.0))


def test_scaled_heads_train_their_own_logits(tmp_path, world):
    """Cohere multiplies its logits by `logit_scale`, Granite divides by `logits_scaling`."""
    from transformers import AutoModelForCausalLM, CohereConfig, GraniteConfig
    tokenizer = toy_tokenizer([(world["corpus"] / "mod00.py").read_text()], vocab_size=300)
    common = dict(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                  num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=128,
                  pad_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.bos_token_id,
                  eos_token_id=tokenizer.eos_token_id)
    for config in (CohereConfig(logit_scale=0.3, **common), GraniteConfig(logits_scaling=4.0, **common)):
        path = tmp_path / config.model_type
        torch.manual_seed(0)
        AutoModelForCausalLM.from_config(config).save_pretrained(path)
        tokenizer.save_pretrained(path)
        lm = load_trainable(path, lora=LoraOptions(r=4), device="cpu", impl="chunked")
        assert lm.logprobs.head_scale != 1.0
        data = load_data(world["ds"], lm.tokenizer, TrainOptions(), 128)
        assert check_head(lm, pair_batch(data.pairs[:2], lm.pad_id, with_pos=True)) < 1e-4


def test_the_data_stream_depends_on_the_step_alone():
    a = stream_slice(10, 0, "pairs", 0, 25)
    assert sorted(a[:10]) == list(range(10)) == sorted(a[10:20])      # each epoch is a permutation
    assert a[10:20] != a[:10]                                         # a new one
    assert stream_slice(10, 0, "pairs", 17, 6) == a[17:23]
    assert stream_slice(10, 1, "pairs", 0, 10) != a[:10]
    assert stream_slice(0, 0, "pairs", 0, 3) == []


def _adapter_weights(path: Path) -> dict:
    from safetensors.torch import load_file
    return load_file(str(path / "adapter_model.safetensors"))


def test_an_interrupted_run_resumes_to_the_same_adapter(world, tmp_path):
    # LoRA dropout and the model's own dropout on: the random states must come back too.
    options = TrainOptions(max_steps=6, batch_size=3, retain_batch_size=1, lr=5e-3,
                           lora=LoraOptions(r=4, dropout=0.2))
    whole = train(world["ds"], world["model"], tmp_path / "whole", options, cpu=True, save_every=100)
    assert whole["steps"] == 6 and whole["last"]["step"] == 6

    stops = iter([False, False, True])
    with pytest.raises(Interrupted) as info:
        train(world["ds"], world["model"], tmp_path / "cut", options, cpu=True, save_every=100,
              stop=lambda: next(stops, False))
    assert info.value.step == 3
    assert [p.name for p in (tmp_path / "cut" / "checkpoints").iterdir()] == ["step-000003"]
    assert not (tmp_path / "cut" / "adapter").exists()
    resumed = train(world["ds"], world["model"], tmp_path / "cut", options, cpu=True, save_every=100)
    assert resumed["resumed_from"] == 3
    a, b = _adapter_weights(tmp_path / "whole" / "adapter"), _adapter_weights(tmp_path / "cut" / "adapter")
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
    log = [json.loads(line) for line in (tmp_path / "cut" / "log.jsonl").read_text().splitlines()]
    whole_log = [json.loads(line) for line in (tmp_path / "whole" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == list(range(1, 7))
    assert [r["loss"] for r in log] == [r["loss"] for r in whole_log]

    # The same command once more finds the run complete; other options are refused.
    again = train(world["ds"], world["model"], tmp_path / "cut", options, cpu=True)
    assert again == json.loads((tmp_path / "cut" / "training.json").read_text())
    from apimigrate.unlearn.options import TrainError
    with pytest.raises(TrainError, match="holds a run with another --lr; use --fresh"):
        train(world["ds"], world["model"], tmp_path / "cut", replace(options, lr=1e-3), cpu=True)


def test_training_goes_on_from_an_adapter_trained_before(world, tmp_path):
    first = TrainOptions(max_steps=2, lr=5e-3, lora=LoraOptions(r=4, dropout=0.0))
    train(world["ds"], world["model"], tmp_path / "a", first, cpu=True)
    # lr 1e-12: the optimizer moves each weight by about that (Adam's step is about lr), so what
    # comes out is what went in, to far closer than a fresh adapter could be (lr 0 is refused)
    still = TrainOptions(max_steps=1, lr=1e-12, lora=LoraOptions(r=8, dropout=0.0))
    train(world["ds"], world["model"], tmp_path / "b", still, cpu=True, init_adapter=tmp_path / "a" / "adapter")
    a, b = _adapter_weights(tmp_path / "a" / "adapter"), _adapter_weights(tmp_path / "b" / "adapter")
    assert a.keys() == b.keys()
    for key in a:        # equal shapes too: the adapter's own LoRA settings (r=4), not the options' r=8
        assert a[key].shape == b[key].shape and torch.allclose(a[key], b[key], rtol=0, atol=1e-9), key
    assert any(bool(t.abs().sum()) for k, t in a.items() if "lora_B" in k)     # it had learned something
    run = json.loads((tmp_path / "b" / "run.json").read_text())
    assert run["init_adapter"]["path"] == str((tmp_path / "a" / "adapter").resolve())
    # it records the LoRA settings it trained (the adapter's), not the options it was given
    assert run["options"]["lora"]["r"] == 4 and run["options"]["lora"]["alpha"] == first.lora.alpha
    assert run["options"]["lora"]["dropout"] == 0.0 and run["options"]["lora"]["target_modules"]
    # the run stands on that adapter: once it changes, resuming the run is refused
    config = tmp_path / "a" / "adapter" / "adapter_config.json"
    config.write_text(config.read_text() + "\n")
    from apimigrate.unlearn.options import TrainError
    with pytest.raises(TrainError, match="holds a run with another --init-adapter;"):
        train(world["ds"], world["model"], tmp_path / "b", still, cpu=True, init_adapter=tmp_path / "a" / "adapter")
    result = _cli(str(world["ds"]), "--model", str(world["model"]), "-o", str(tmp_path / "c"), "--cpu",
                  "--init-adapter", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "no adapter to train on" in result.output


def _cli(*args: str):
    return runner.invoke(app, ["train", *args])


def test_train_errors_are_one_line(world, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _cli(str(empty), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu")
    assert result.exit_code == 2 and "no train.jsonl" in result.stderr
    (empty / "train.jsonl").write_text('{"path": "a.py", "line": 1, "mapping": "m"}\n"context"\n')
    result = _cli(str(empty), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu")
    assert result.exit_code == 2 and "no pair in" in result.stderr and "2 record(s) without a pair's fields" in result.stderr
    (empty / "train.jsonl").write_text("{not json\n")
    result = _cli(str(empty), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu")
    assert result.exit_code == 2 and "train.jsonl:1: not a JSON line (Expecting property name enclosed in double " \
        "quotes: line 1 column 2 (char 1))" in result.stderr
    for bad, message in ((["--objective", "dpo"], "unknown objective"), (["--impl", "reference"], "unknown --impl"),
                         (["--schedule", "step"], "unknown schedule"), (["--lr", "0"], "--lr must be > 0, got 0.0")):
        result = _cli(str(world["ds"]), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu", *bad)
        assert result.exit_code == 2 and message in result.stderr, result.output
    result = _cli(str(world["ds"]), "--model", str(tmp_path), "-o", str(tmp_path / "o"), "--cpu")
    assert result.exit_code == 2 and "cannot load a causal LM" in result.stderr
    assert not (tmp_path / "o").exists()            # a run that never began leaves no folder
    # a wrong option is told before a missing path: both at once would take two runs to learn
    result = _cli(str(tmp_path / "nodata"), "--model", str(tmp_path / "nomodel"), "-o", str(tmp_path / "o"),
                  "--objective", "dpo")
    assert result.exit_code == 2 and "unknown objective 'dpo'" in result.stderr


def _training_command(world: dict, out: Path, max_steps: int) -> list[str]:
    return [sys.executable, "-m", "apimigrate.cli.main", "train", str(world["ds"]), "--model", str(world["model"]),
            "-o", str(out), "--cpu", "--max-steps", str(max_steps), "--save-every", "100000", "--batch-size", "2"]


def _until_logged(proc: subprocess.Popen, log: Path, steps: int) -> None:
    deadline = time.monotonic() + 120
    while proc.poll() is None and (not log.exists() or len(log.read_text().splitlines()) < steps):
        assert time.monotonic() < deadline, "training did not start"
        time.sleep(0.05)


def test_ctrl_c_saves_the_step_and_the_same_command_goes_on(world, tmp_path):
    out = tmp_path / "run"
    cmd = _training_command(world, out, 80)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    log = out / "log.jsonl"
    _until_logged(proc, log, 2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted after step" in err
    (ckpt,) = (out / "checkpoints").iterdir()
    step = int(ckpt.name.split("-")[1])
    assert 2 <= step < 80
    assert len(log.read_text().splitlines()) == step
    done = subprocess.run(cmd,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"resuming after step {step}" in done.stderr
    assert [json.loads(x)["step"] for x in log.read_text().splitlines()] == list(range(1, 81))
    assert (out / "adapter" / "adapter_model.safetensors").is_file()


@pytest.fixture(scope="module")
def pretrained(tmp_path_factory, world):
    """A tiny model trained on the toy corpus until it writes the deprecated calls."""
    return pretrained_toy_model(world["corpus"], tmp_path_factory.mktemp("pretrained"))


def _rates(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def test_unlearning_stops_the_deprecated_calls_and_teaches_the_replacements(world, pretrained, tmp_path):
    ds, kb = str(world["ds"]), str(world["kb"])
    probe = ["--db", kb, "--max-new-tokens", "40", "--device", "cpu"]
    before = runner.invoke(app, ["evaluate", ds, "--model", str(pretrained), "-o", str(tmp_path / "before"), *probe])
    assert before.exit_code == 0, before.output
    base = _rates(tmp_path / "before")["overall"]
    assert base["deprecated_rate"] >= 0.9 and base["replacement"] == 0
    # Without token healing the prompt's lone newline token is one this tokenizer only ever
    # saw before a new block: the model does not write the line at all.
    unhealed = runner.invoke(app, ["evaluate", ds, "--model", str(pretrained), "-o", str(tmp_path / "unhealed"),
                                   "--no-token-healing", *probe])
    assert unhealed.exit_code == 0
    assert _rates(tmp_path / "unhealed")["overall"]["deprecated_rate"] <= 0.5

    run = tmp_path / "run"
    trained = _cli(ds, "--model", str(pretrained), "-o", str(run), "--cpu", "--epochs", "8", "--lr", "3e-3",
                   "--lambda-pos", "1", "--lora-r", "8", "--lora-dropout", "0")
    assert trained.exit_code == 0, trained.output
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert log[-1]["l_neg"] < log[0]["l_neg"] - 3          # the deprecated tokens lost their likelihood
    assert log[-1]["l_pos"] > log[0]["l_pos"] + 3          # the replacement's gained it
    assert log[-1]["retain_ce"] < log[0]["retain_ce"] + 0.5

    after = runner.invoke(app, ["evaluate", ds, "--model", str(pretrained), "--adapter", str(run / "adapter"),
                                "-o", str(tmp_path / "after"), *probe])
    assert after.exit_code == 0, after.output
    rates = _rates(tmp_path / "after")
    # probes come from files no training pair came from
    train_paths = {json.loads(x)["path"] for x in (world["ds"] / "train.jsonl").read_text().splitlines()}
    eval_paths = {json.loads(x)["path"] for x in (world["ds"] / "eval.jsonl").read_text().splitlines()}
    assert train_paths.isdisjoint(eval_paths)
    assert rates["overall"]["deprecated_rate"] <= 0.1
    assert rates["overall"]["replacement_rate"] >= 0.3
    assert rates["mappings"]["numpy.row_stack -> numpy.vstack"]["replacement_rate"] >= 0.6
    # and the model still predicts held-out code that uses neither API about as well
    assert rates["utility"]["perplexity"] <= 1.2 * _rates(tmp_path / "before")["utility"]["perplexity"]


def test_two_processes_under_torchrun_train_what_one_process_does_with_their_batches(world, pretrained, tmp_path):
    """DDP through accelerate: two processes of 2 pairs each read the very pairs one process of
    4 reads, and the averaged gradients make the same adapter (a model without dropout)."""
    common = [str(world["ds"]), "--model", str(pretrained), "--max-steps", "4", "--lambda-retain", "0",
              "--lora-dropout", "0", "--lr", "3e-3", "--cpu"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    ddp = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                          "-m", "apimigrate.cli.main", "train", *common, "-o", str(tmp_path / "ddp"),
                          "--batch-size", "2"], capture_output=True, text=True, timeout=300, env=env)
    assert ddp.returncode == 0, ddp.stderr[-2000:]
    assert ddp.stdout.count("adapter written") == 1                  # the main process speaks
    assert json.loads((tmp_path / "ddp" / "run.json").read_text())["processes"] == 2
    single = _cli(*common, "-o", str(tmp_path / "one"), "--batch-size", "4")
    assert single.exit_code == 0, single.output
    a, b = _adapter_weights(tmp_path / "ddp" / "adapter"), _adapter_weights(tmp_path / "one" / "adapter")
    assert a.keys() == b.keys()
    for key in a:
        assert torch.allclose(a[key], b[key], atol=1e-4), key
    assert any(not torch.allclose(a[k], torch.zeros_like(a[k])) for k in a if "lora_B" in k)
    ddp_log = [json.loads(x) for x in (tmp_path / "ddp" / "log.jsonl").read_text().splitlines()]
    one_log = [json.loads(x) for x in (tmp_path / "one" / "log.jsonl").read_text().splitlines()]
    assert [r["tokens"] for r in ddp_log] == [r["tokens"] for r in one_log]
    for r, s in zip(ddp_log, one_log):
        assert math.isclose(r["l_neg"], s["l_neg"], rel_tol=1e-3, abs_tol=1e-4)


def test_a_long_context_is_cut_alike_on_both_sides(world):
    tokenizer = toy_tokenizer([(world["corpus"] / "mod00.py").read_text()], vocab_size=300)
    context = "".join(f"x{i} = np.concatenate([a, b])\n" for i in range(40))
    record = {"path": "a.py", "line": 40, "mapping": "m", "context": context,
              "deprecated_line": "s = roc_auc_score(y, y_true_x=p)", "replacement_line": "s = roc_auc_score(y, y_score=p)",
              "deprecated_spans": [[21, 29]], "replacement_spans": [[21, 28]]}
    (example,), _ = encode_pairs([record], tokenizer, 48)
    neg, pos = example.neg, example.pos
    assert max(len(neg.input_ids), len(pos.input_ids)) == 48
    first = neg.mask.index(True)
    assert first == pos.mask.index(True) and neg.input_ids[:first] == pos.input_ids[:first]
    assert tokenizer.decode(neg.input_ids).endswith("s = roc_auc_score(y, y_true_x=p)\n")
    assert tokenizer.decode(pos.input_ids).endswith("s = roc_auc_score(y, y_score=p)\n")
    # too short for the line itself: nothing is guessed
    assert encode_pairs([record], tokenizer, 6) == ([], {"API not in the tokens kept": 1})


def test_a_refused_run_names_the_flags_that_changed():
    from apimigrate.unlearn.train import _changed
    run = {"format": 3, "options": {"lr": 1e-4, "max_steps": 10, "lora": {"r": 16, "alpha": 32}},
           "dataset": "/d", "dataset_sha256": "a", "model": "/m", "processes": 1, "total_steps": 10}
    steps = {**run, "options": {**run["options"], "max_steps": 20}, "total_steps": 20}
    assert _changed(run, steps) == ["--max-steps"]       # total_steps follows from it: not named
    lora = {**run, "options": {**run["options"], "lora": {"r": 8, "alpha": 32}}, "dataset_sha256": "b"}
    assert _changed(run, lora) == ["--lora-r", "dataset"]
    assert _changed(run, {**run, "total_steps": 11}) == ["step count"]


def test_sigterm_saves_the_step_as_ctrl_c_does(world, tmp_path):
    """SLURM, Kubernetes and systemd stop a job with SIGTERM: the step in progress is saved, exit 143."""
    out = tmp_path / "run"
    proc = subprocess.Popen(_training_command(world, out, 100000), stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "COLUMNS": "200"})
    _until_logged(proc, out / "log.jsonl", 1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "interrupted after step" in err and "run the same command again to go on" in err
    (ckpt,) = (out / "checkpoints").iterdir()
    assert int(ckpt.name.split("-")[1]) == len((out / "log.jsonl").read_text().splitlines()) >= 1


def test_a_run_on_other_base_weights_is_not_resumed(world, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(world["model"], model)
    options = TrainOptions(max_steps=4, batch_size=2, lambda_retain=0.0, lora=LoraOptions(r=4, dropout=0.0))
    with pytest.raises(Interrupted):
        train(world["ds"], model, tmp_path / "run", options, cpu=True, stop=lambda: True)
    # the run folder copied elsewhere, the model unchanged: it resumes
    shutil.copytree(tmp_path / "run", tmp_path / "copy")
    assert train(world["ds"], model, tmp_path / "copy", options, cpu=True)["resumed_from"] == 1
    # other weights of the same shape saved over the model's
    from transformers import AutoTokenizer
    tiny_gpt2(AutoTokenizer.from_pretrained(model), seed=7).save_pretrained(model)
    from apimigrate.unlearn.options import TrainError
    with pytest.raises(TrainError) as refused:
        train(world["ds"], model, tmp_path / "run", options, cpu=True)
    assert str(refused.value) == (f"{tmp_path / 'run'} holds a run with another model.safetensors in --model; "
                                  "use --fresh to start over or another --out")


def test_a_run_written_before_weights_were_recorded_still_resumes(world, tmp_path):
    options = TrainOptions(max_steps=3, batch_size=2, lambda_retain=0.0, lora=LoraOptions(r=4, dropout=0.0))
    with pytest.raises(Interrupted):
        train(world["ds"], world["model"], tmp_path / "run", options, cpu=True, stop=lambda: True)
    run_file = tmp_path / "run" / "run.json"
    older = json.loads(run_file.read_text())
    del older["model_weights"]
    run_file.write_text(json.dumps(older))
    assert train(world["ds"], world["model"], tmp_path / "run", options, cpu=True)["resumed_from"] == 1
    assert "model_weights" in json.loads(run_file.read_text())


def test_an_adapter_that_does_not_fit_the_model_is_one_line(world, tmp_path):
    from peft import get_peft_model
    from transformers import AutoTokenizer

    from apimigrate.unlearn.lm import _lora_config
    wide = tiny_gpt2(AutoTokenizer.from_pretrained(world["model"]), n_embd=64)       # world's model: 32
    get_peft_model(wide, _lora_config(wide, LoraOptions(r=8))).save_pretrained(tmp_path / "wide")
    result = _cli(str(world["ds"]), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu",
                  "--init-adapter", str(tmp_path / "wide"))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert f"the adapter in {tmp_path / 'wide'} does not fit the model in {world['model']}" in result.stderr
    assert "[8, 64] in the adapter, [8, 32] in the model" in result.stderr


def test_a_run_folder_given_as_the_adapter_points_to_its_adapter(world, tmp_path):
    run = tmp_path / "runs" / "cure"
    train(world["ds"], world["model"], run, TrainOptions(max_steps=1, batch_size=2, lambda_retain=0.0,
                                                         lora=LoraOptions(r=4, dropout=0.0)), cpu=True)
    result = _cli(str(world["ds"]), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu",
                  "--init-adapter", str(run))
    assert result.exit_code == 2
    assert f"no adapter to train on at {run} (adapter_config.json is missing; the adapter of a run is in " \
           f"{run / 'adapter'})" in result.stderr


def test_a_model_without_its_tokenizer_is_one_line(world, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(world["model"], model)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (model / name).unlink(missing_ok=True)
    result = _cli(str(world["ds"]), "--model", str(model), "-o", str(tmp_path / "o"), "--cpu")
    assert result.exit_code == 2 and f"no tokenizer in {model}" in result.stderr, result.output


def test_a_refused_run_names_the_weight_file_that_changed():
    from apimigrate.unlearn.train import _changed
    weights = {"a.safetensors": {"bytes": 1, "mtime_ns": 1}, "b.safetensors": {"bytes": 1, "mtime_ns": 1}}
    run = {"format": 1, "options": {}, "model": "/m", "model_config_sha256": "c", "model_weights": weights}
    saved_over = {**run, "model_weights": {**run["model_weights"], "b.safetensors": {"bytes": 1, "mtime_ns": 2}}}
    assert _changed(run, saved_over) == ["b.safetensors in --model"]
    both = {**saved_over, "model_config_sha256": "d"}
    assert _changed(run, both) == ["config.json in --model", "b.safetensors in --model"]
    # another model folder: that alone is said
    assert _changed(run, {**saved_over, "model": "/other", "model_config_sha256": "d"}) == ["--model"]


def test_in_a_log_train_prints_progress_lines(world, tmp_path):
    """Under a job queue or nohup there is no terminal for a bar: steps are told in lines."""
    result = _cli(str(world["ds"]), "--model", str(world["model"]), "-o", str(tmp_path / "o"), "--cpu",
                  "--max-steps", "3", "--batch-size", "2", "--lambda-retain", "0")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("train: ")]
    assert [line.split(",")[0] for line in lines] == ["train: 1/3 steps", "train: 2/3 steps", "train: 3/3 steps"]
    assert all(", loss=" in line for line in lines), lines
