"""Loading local models: what is not a usable model, tokenizer, adapter or device is one line
(ModelError) before anything deep fails, and nothing reaches the network."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import torch

from apimigrate.local_models import ModelError, load_adapter, load_tokenizer, pick_device, weight_files
from unlearn_support import tiny_gpt2, toy_tokenizer

CODE = "import numpy as np\n\n\ndef stack(a, b):\n    out = np.row_stack([a, b])\n    return out\n" * 20


@pytest.fixture(scope="module")
def tokenizer():
    return toy_tokenizer([CODE], vocab_size=300)


def _model(root: Path, tokenizer, n_embd: int = 32) -> Path:
    tiny_gpt2(tokenizer, n_embd=n_embd).save_pretrained(root)
    tokenizer.save_pretrained(root)
    return root


def _one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message, message
    return message


# ---- devices ---------------------------------------------------------------------------------

def test_a_device_torch_does_not_know_is_one_line():
    with pytest.raises(ModelError) as exc:
        pick_device("tpu")
    assert _one_line(exc) == "--device tpu: not a torch device here; use auto, cpu, cuda or cuda:N"


def test_cuda_without_cuda_is_one_line(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ModelError) as exc:
        pick_device("cuda")
    assert _one_line(exc) == f"--device cuda: no CUDA device here (torch {torch.__version__})"
    assert pick_device("auto") == "cpu" and pick_device("cpu") == "cpu"


def test_a_gpu_that_is_not_there_is_one_line(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert pick_device("cuda:1") == "cuda:1" and pick_device("auto") == "cuda"
    with pytest.raises(ModelError, match=r"^--device cuda:2: 2 CUDA device\(s\) visible"):
        pick_device("cuda:2")


# ---- tokenizers ------------------------------------------------------------------------------

def test_a_model_folder_without_its_tokenizer_is_refused(tmp_path, tokenizer):
    model = _model(tmp_path / "m", tokenizer)
    assert len(load_tokenizer(model)) == len(tokenizer)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (model / name).unlink(missing_ok=True)
    # transformers 5 would hand back GPT-2's tokenizer class with an empty vocabulary
    with pytest.raises(ModelError) as exc:
        load_tokenizer(model)
    assert _one_line(exc).startswith(f"no tokenizer in {model} (no tokenizer.json, tokenizer_config.json")


def test_a_tokenizer_far_smaller_than_the_model_s_vocabulary_is_refused(tmp_path, tokenizer):
    model = _model(tmp_path / "m", tokenizer)
    # a tokenizer_config.json without the vocabulary it needs (copied alone)
    (model / "tokenizer.json").unlink()
    (model / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "GPT2Tokenizer", "eos_token": "</s>"}))
    with pytest.raises(ModelError) as exc:
        load_tokenizer(model)
    assert f"for a model of {len(tokenizer)}: its files are incomplete or another model's" in _one_line(exc)


def test_a_folder_that_is_no_model_keeps_its_own_message(tmp_path):
    with pytest.raises(ModelError, match="cannot load a causal LM from"):
        load_tokenizer(tmp_path)


# ---- adapters --------------------------------------------------------------------------------

def _adapter(root: Path, tokenizer, n_embd: int) -> Path:
    from peft import get_peft_model

    from apimigrate.unlearn.lm import _lora_config
    from apimigrate.unlearn.options import LoraOptions
    base = tiny_gpt2(tokenizer, n_embd=n_embd)
    get_peft_model(base, _lora_config(base, LoraOptions(r=8, dropout=0.0))).save_pretrained(root)
    return root


@pytest.fixture
def offline(monkeypatch):
    """Every attempt to reach another host, recorded and refused."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_an_adapter_of_another_model_is_one_line(tmp_path, tokenizer, offline):
    from apimigrate.local_models import load_causal_lm
    adapter = _adapter(tmp_path / "wide", tokenizer, n_embd=64)
    model_dir = _model(tmp_path / "narrow", tokenizer, n_embd=32)
    with pytest.raises(ModelError) as exc:
        load_adapter(load_causal_lm(model_dir, "cpu"), adapter, model_dir)
    message = _one_line(exc)
    assert message.startswith(f"the adapter in {adapter} does not fit the model in {model_dir} (size mismatch for ")
    assert "lora_A" in message and "[8, 64] in the adapter, [8, 32] in the model" in message
    # one that fits loads, from the folder alone
    fits = _adapter(tmp_path / "fits", tokenizer, n_embd=32)
    model = load_adapter(load_causal_lm(model_dir, "cpu"), fits, model_dir)
    assert model.peft_config["default"].r == 8
    assert not offline


def test_a_folder_that_is_no_adapter_never_reaches_the_hub(tmp_path, tokenizer, offline, monkeypatch):
    from apimigrate.local_models import load_causal_lm
    model_dir = _model(tmp_path / "model", tokenizer)
    run = tmp_path / "runs" / "cure"          # a run folder: its adapter is in adapter/
    _adapter(run / "adapter", tokenizer, n_embd=32)
    monkeypatch.chdir(tmp_path)               # `runs/cure` reads as a Hub repository id to peft
    model = load_causal_lm(model_dir, "cpu")
    with pytest.raises(ModelError) as exc:
        load_adapter(model, Path("runs/cure"), model_dir)
    assert _one_line(exc) == ("no LoRA adapter at runs/cure (adapter_config.json is missing; the adapter of a run "
                              "is in runs/cure/adapter)")
    with pytest.raises(ModelError, match=r"^no LoRA adapter at nowhere \(no such folder\)$"):
        load_adapter(model, Path("nowhere"), model_dir)
    (run / "adapter" / "adapter_model.safetensors").unlink()
    with pytest.raises(ModelError, match=r"\(adapter_model.safetensors is missing\)$"):
        load_adapter(model, run / "adapter", model_dir)
    assert not offline


# ---- what a resumed run compares -------------------------------------------------------------

def test_weight_files_tell_new_weights_of_the_same_shape(tmp_path, tokenizer):
    model = _model(tmp_path / "m", tokenizer)
    before = weight_files(model)
    assert list(before) == ["model.safetensors"] and before["model.safetensors"]["bytes"] > 0
    assert weight_files(model) == before
    tiny_gpt2(tokenizer, seed=1).save_pretrained(model)
    after = weight_files(model)
    assert after["model.safetensors"]["bytes"] == before["model.safetensors"]["bytes"] and after != before
