"""Local Hugging Face causal LMs and their tokenizers: what `evaluate`, `train` and the editor's
completions load. Nothing is downloaded (`local_files_only`); a directory that is not a model
is one line for the user.
"""
from __future__ import annotations

import hashlib
import importlib.util
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


def pick_device(device: str = "auto") -> str:
    """`auto` is CUDA when there is one, else the CPU."""
    import torch
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def dtype_kwarg(dtype: Any) -> dict:
    """transformers 4.56 renamed `torch_dtype` to `dtype`; 5 warns on the old name."""
    import transformers
    from packaging.version import Version
    return {"dtype" if Version(transformers.__version__) >= Version("4.56") else "torch_dtype": dtype}


def load_tokenizer(model_dir: Path) -> Any:
    """The model's tokenizer, with a pad token (its end or start token when it has none)."""
    from transformers import AutoTokenizer
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load a causal LM from {model_dir}: {str(exc).splitlines()[0]}") from exc
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.bos_token
    if tokenizer.pad_token_id is None:
        raise ModelError(f"the tokenizer in {model_dir} has no pad, end or start token to pad with")
    return tokenizer


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


def model_fingerprint(model_dir: Path) -> str:
    """What tells one model directory's weights from another's without reading gigabytes: its
    config, and the name, size and modification time of each weight file (saving new weights
    rewrites them)."""
    sha = hashlib.sha256()
    config = model_dir / "config.json"
    sha.update(config.read_bytes() if config.is_file() else b"")
    for path in sorted({p for pattern in _WEIGHTS for p in model_dir.glob(pattern) if p.is_file()}):
        stat = path.stat()
        sha.update(f"\0{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return sha.hexdigest()


def adapter_fingerprint(adapter: Path) -> str:
    """The hash of a LoRA adapter's configuration and weights (small enough to read whole)."""
    sha = hashlib.sha256()
    for path in sorted(adapter.glob("adapter_*")):
        if path.is_file():
            sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()
