"""Local Hugging Face causal LMs and their tokenizers: what `evaluate`, `train` and the editor's
completions load. Nothing is downloaded (`local_files_only`); a directory that is not a model
is one line for the user.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

# What loading, training and evaluating a model imports: the `unlearn` extra of pyproject.toml. A
# plain install leaves them out, so `scan`, `check`, `fix`, `db`, `dataset build` and the language
# server's diagnostics install without gigabytes of torch (CI, pre-commit, an editor).
MODEL_PACKAGES = ("torch", "transformers", "peft", "accelerate", "safetensors")


class ModelError(Exception):
    """The model, its tokenizer or an adapter cannot be used; the message is one line for the user."""


def missing_model_packages() -> list[str]:
    """The packages of MODEL_PACKAGES that cannot be imported here (looked up, not imported)."""
    missing = []
    for name in MODEL_PACKAGES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def require_model_packages(what: str) -> None:
    """Raise ModelError, saying how to install them, when `what` (a command, the editor's
    completions) would import model packages that are not installed."""
    missing = missing_model_packages()
    if missing:
        raise ModelError(f"{what} needs {', '.join(missing)}, not installed here: pip install 'apimigrate[unlearn]' "
                         "(on a machine without CUDA, 'apimigrate[cpu]' takes the CPU build of torch)")


def quiet_model_libraries() -> None:
    """Loading bars of transformers would interleave with ours (and fill the editor's and the
    workers' logs), and peft calls transformers methods that transformers 5 deprecates (nothing
    the user can act on). Called by load_causal_lm, which every model load goes through."""
    import warnings
    # `is_gradient_checkpointing` (peft), `gradient_checkpointing_enable` (--gradient-checkpointing)
    warnings.filterwarnings("ignore", message=".*gradient_checkpointing.*is deprecated.*", category=FutureWarning)
    try:
        from transformers.utils import logging as hf_logging
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def pick_device(device: str = "auto") -> str:
    """`auto` is CUDA when there is one, else the CPU; any other name must be a device this torch
    can use here, checked now: torch would say so later as a traceback (`Torch not compiled with
    CUDA enabled`), after the model has loaded."""
    import torch
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError, TypeError):
        raise ModelError(f"--device {device}: not a torch device here; use auto, cpu, cuda or cuda:N") from None
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ModelError(f"--device {device}: no CUDA device here (torch {torch.__version__})")
        visible = torch.cuda.device_count()
        if parsed.index is not None and parsed.index >= visible:
            raise ModelError(f"--device {device}: {visible} CUDA device(s) visible (CUDA_VISIBLE_DEVICES picks them)")
    elif parsed.type == "mps":
        if not torch.backends.mps.is_available():
            raise ModelError(f"--device {device}: no Apple GPU (MPS) here (torch {torch.__version__})")
    elif parsed.type != "cpu":
        raise ModelError(f"--device {device}: not a device apimigrate runs models on; use auto, cpu, cuda or cuda:N")
    return device


def dtype_kwarg(dtype: Any) -> dict:
    """transformers 4.56 renamed `torch_dtype` to `dtype`; 5 warns on the old name."""
    import transformers
    from packaging.version import Version
    return {"dtype" if Version(transformers.__version__) >= Version("4.56") else "torch_dtype": dtype}


# The files a tokenizer is saved as: transformers' own, the fast tokenizers', the slow ones' vocabularies
# (BPE, WordPiece), SentencePiece models.
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "vocab.txt", "merges.txt",
                    "tokenizer.model", "spiece.model", "sentencepiece.bpe.model")
# Fewer tokens than this is no tokenizer of a language model (a byte-level one alone has 256).
_MIN_TOKENS = 16


def load_tokenizer(model_dir: Path) -> Any:
    """The model's tokenizer, with a pad token (its end or start token when it has none).

    A model folder without its tokenizer's files is refused: transformers 5 then builds the
    architecture's tokenizer class with an empty vocabulary, and every text would be one unknown
    token (training finds no pair it can train on, evaluation fails deep inside)."""
    from transformers import AutoTokenizer
    if (model_dir / "config.json").is_file() and not any((model_dir / n).is_file() for n in _TOKENIZER_FILES):
        raise ModelError(f"no tokenizer in {model_dir} (no {', '.join(_TOKENIZER_FILES[:3])} or tokenizer.model): "
                         "copy the tokenizer files of the model its weights come from")
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load a causal LM from {model_dir}: {str(exc).splitlines()[0]}") from exc
    _check_vocabulary(tokenizer, model_dir)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.bos_token
    if tokenizer.pad_token_id is None:
        raise ModelError(f"the tokenizer in {model_dir} has no pad, end or start token to pad with")
    return tokenizer


def _check_vocabulary(tokenizer: Any, model_dir: Path) -> None:
    """Refuse a tokenizer far smaller than the model's vocabulary: its files are missing (a
    tokenizer_config.json without the vocabulary it names) or another model's. Models pad their
    embeddings past the tokenizer's size, by a few percent at most; half is a mismatch."""
    tokens = len(tokenizer)
    vocab = _config_vocab_size(model_dir)
    if tokens < _MIN_TOKENS or (vocab is not None and tokens * 2 < vocab):
        of = f" for a model of {vocab}" if vocab is not None else ""
        raise ModelError(f"the tokenizer in {model_dir} has {tokens} token(s){of}: its files are incomplete "
                         "or another model's")


def _config_vocab_size(model_dir: Path) -> int | None:
    """The vocabulary size config.json gives (its text model's, for a multimodal one); None when it
    does not say. Read as JSON: no architecture code is needed for one number."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for section in (config, config.get("text_config") or {}):
        if isinstance(section, dict) and isinstance(section.get("vocab_size"), int):
            return section["vocab_size"]
    return None


class Continuation:
    """Token ids as the text they add after other text. A lone decode is not that: SentencePiece
    tokenizers (Llama, CodeLlama, Mistral) write a space as part of the next word (`▁out`) and drop
    it when that token opens the text, so ` out` would read `out`. Each decode is made after an
    anchor token and the anchor's text cut off. Special tokens are left out; spaces are not
    "cleaned up" (code is not prose)."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.anchor: list[int] = tokenizer("a", add_special_tokens=False)["input_ids"][-1:]
        self.anchor_text = self.raw(self.anchor)

    def raw(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)

    def decode(self, ids: list[int]) -> str:
        text = self.raw(self.anchor + list(ids))
        return text[len(self.anchor_text):] if text.startswith(self.anchor_text) else self.raw(ids)

    def each(self, n: int) -> list[str | None]:
        """The text of each of the first `n` tokens after other text (None where it does not
        read as the anchor's text followed by more)."""
        texts = self.tokenizer.batch_decode([self.anchor + [i] for i in range(n)], skip_special_tokens=False,
                                            clean_up_tokenization_spaces=False)
        return [t[len(self.anchor_text):] if t.startswith(self.anchor_text) else None for t in texts]


def load_causal_lm(model_dir: Path, device: str) -> Any:
    """The model's weights, bf16 on CUDA and fp32 on the CPU, not yet moved to `device`."""
    import torch
    from transformers import AutoModelForCausalLM
    dtype = torch.bfloat16 if str(device).startswith("cuda") else torch.float32
    quiet_model_libraries()         # every load: train, evaluate, refresh, the workers, the editor
    try:
        return AutoModelForCausalLM.from_pretrained(str(model_dir), local_files_only=True, **dtype_kwarg(dtype))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load a causal LM from {model_dir}: {str(exc).splitlines()[0]}") from exc


def max_positions(config: Any) -> int | None:
    """How many tokens the model can attend over (None when its config does not say)."""
    text = getattr(config, "get_text_config", lambda: config)()
    return getattr(text, "max_position_embeddings", None) or getattr(text, "n_positions", None)


# The files that hold a model's weights, in the formats transformers saves and loads.
_WEIGHTS = ("*.safetensors", "*.bin", "*.safetensors.index.json", "*.bin.index.json")


def _weight_files(model_dir: Path) -> list[Path]:
    return sorted({p for pattern in _WEIGHTS for p in model_dir.glob(pattern) if p.is_file()})


def model_fingerprint(model_dir: Path) -> str:
    """What tells one model directory's weights from another's without reading gigabytes: its
    config, and the name, size and modification time of each weight file (saving new weights
    rewrites them)."""
    sha = hashlib.sha256()
    config = model_dir / "config.json"
    sha.update(config.read_bytes() if config.is_file() else b"")
    for path in _weight_files(model_dir):
        stat = path.stat()
        sha.update(f"\0{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return sha.hexdigest()


def weight_files(model_dir: Path) -> dict[str, dict]:
    """model_fingerprint's weight files one by one, so that a change can be named: each file's
    size and modification time (weights of the same shape saved over them keep the size, not the
    time; a copy that keeps times, `cp -p` or `rsync -a`, keeps both)."""
    files = {}
    for path in _weight_files(model_dir):
        stat = path.stat()
        files[path.name] = {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return files


# peft's names for a LoRA adapter's files.
ADAPTER_CONFIG = "adapter_config.json"
_ADAPTER_WEIGHTS = ("adapter_model.safetensors", "adapter_model.bin")


def adapter_problem(adapter: Path) -> str | None:
    """Why `adapter` is not a local adapter folder (None when it is). peft takes any path without
    an adapter_config.json for a Hub repository id and asks huggingface.co about it, for half a
    minute of retries offline; so such a path never reaches peft. A run folder (`train --out`)
    holds its adapter in adapter/: that is suggested."""
    if not adapter.is_dir():
        return "no such folder"
    if not (adapter / ADAPTER_CONFIG).is_file():
        inner = adapter / "adapter"
        hint = f"; the adapter of a run is in {inner}" if (inner / ADAPTER_CONFIG).is_file() else ""
        return f"{ADAPTER_CONFIG} is missing{hint}"
    if not any((adapter / name).is_file() for name in _ADAPTER_WEIGHTS):
        return f"{_ADAPTER_WEIGHTS[0]} is missing"
    return None


def load_adapter(model: Any, adapter: Path, model_dir: Path, *, trainable: bool = False) -> Any:
    """`model` (loaded from `model_dir`) with the LoRA adapter of the local folder `adapter` on
    top; one-line ModelError when the folder is not an adapter or the adapter does not fit the
    model. Nothing is looked up on the Hub."""
    problem = adapter_problem(adapter)
    if problem is not None:
        raise ModelError(f"no LoRA adapter at {adapter} ({problem})")
    from peft import PeftModel
    try:
        return PeftModel.from_pretrained(model, str(adapter), is_trainable=trainable, local_files_only=True)
    except RuntimeError as exc:
        raise ModelError(adapter_mismatch(exc, adapter, model_dir)) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load the adapter {adapter} onto {model_dir}: {str(exc).splitlines()[0]}") from exc


_SIZE_MISMATCH = re.compile(r"size mismatch for (\S+?): copying a param with shape torch\.Size\((\[[^\]]*\])\) "
                            r"from checkpoint, the shape in current model is torch\.Size\((\[[^\]]*\])\)")


def adapter_mismatch(exc: BaseException, adapter: Path, model_dir: Path) -> str:
    """One line for torch's error when an adapter's weights do not fit a model (one line per
    tensor, dozens of them): an adapter trained on another model."""
    text = str(exc)
    found = _SIZE_MISMATCH.findall(text)
    if not found:
        return f"the adapter in {adapter} does not fit the model in {model_dir} ({text.strip().splitlines()[0]})"
    name, theirs, ours = found[0]
    more = f"; {len(found) - 1} more tensor(s) alike" if len(found) > 1 else ""
    return (f"the adapter in {adapter} does not fit the model in {model_dir} (size mismatch for {name}: "
            f"{theirs} in the adapter, {ours} in the model{more}): it was trained on another model")


def adapter_fingerprint(adapter: Path) -> str:
    """The hash of a LoRA adapter's configuration and weights (small enough to read whole)."""
    sha = hashlib.sha256()
    for path in sorted(adapter.glob("adapter_*")):
        if path.is_file():
            sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()
