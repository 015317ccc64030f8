"""A toy world for unlearning tests: real-shaped modules where a docstring tells which API the
next line calls, a tokenizer trained on them, and a tiny GPT-2 pretrained on them until it
writes the deprecated calls (as a code model trained on old code does)."""
from __future__ import annotations

import random
from pathlib import Path

HEAD = "import numpy as np\nimport pandas as pd\nfrom sklearn.metrics import roc_auc_score, accuracy_score\n\n\n"
DEPRECATED = [
    'def stack_{k}(a, b):\n    """Stack a and b as rows."""\n    out = np.row_stack([a, b])\n    return out\n\n\n',
    'def flatten_{k}(rows):\n    """Flatten nested records."""\n    frame = pd.io.json.json_normalize(rows)\n    return frame\n\n\n',
    'def score_{k}(y, p):\n    """Area under the ROC curve."""\n    s = roc_auc_score(y, y_true_x=p)\n    return s\n\n\n',
]
CLEAN = [
    'def add_{k}(x):\n    """Add a constant."""\n    return x + {k}\n\n\n',
    'def join_{k}(a, b):\n    """Join a and b."""\n    out = np.concatenate([a, b])\n    return out\n\n\n',
    'def build_{k}(rows):\n    """Build a frame."""\n    frame = pd.DataFrame(rows)\n    return frame\n\n\n',
    'def accuracy_{k}(y, p):\n    """Accuracy of the predictions."""\n    s = accuracy_score(y, p)\n    return s\n\n\n',
]
# Lines the old code never writes; the tokenizer must still have seen their pieces.
REPLACEMENTS = "out = np.vstack([a, b])\nframe = pd.json_normalize(rows)\ns = roc_auc_score(y, y_score=p)\n"


def toy_corpus(root: Path, n: int = 40, clean: int = 10, seed: int = 0) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    for i in range(n):
        parts = [CLEAN[0].format(k=rng.randrange(100))] + [rng.choice(DEPRECATED).format(k=rng.randrange(1000))
                                                           for _ in range(2)]
        (root / f"mod{i:02d}.py").write_text(HEAD + "".join(parts))
    for i in range(clean):
        (root / f"clean{i}.py").write_text(HEAD + "".join(rng.choice(CLEAN).format(k=rng.randrange(100))
                                                          for _ in range(12)))
    return root


def toy_tokenizer(texts: list[str], vocab_size: int = 400):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<s>", "</s>"],
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>")


def tiny_gpt2(tokenizer, *, n_embd: int = 32, dropout: float = 0.1, seed: int = 0):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=n_embd, n_layer=2, n_head=2,
                        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                        resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout)
    return GPT2LMHeadModel(config)


def training_world(root: Path) -> dict:
    """The toy corpus, its dataset (from the toy DB of test_callsites_support), and a tiny
    random-init model whose tokenizer knows the code."""
    from apimigrate.unlearn.dataset import BuildOptions, build_dataset
    from test_callsites_support import build_db, db_rows
    corpus = toy_corpus(root / "corpus")
    kb = build_db(root / "kb.sqlite")
    ds = root / "ds"
    build_dataset(sorted(corpus.glob("*.py")), ds, db_rows(kb), classes=None, fingerprint="toy",
                  options=BuildOptions(eval_fraction=0.25), jobs=1)
    tokenizer = toy_tokenizer([p.read_text() for p in sorted(corpus.glob("*.py"))])
    model_dir = root / "random"
    tiny_gpt2(tokenizer).save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    return {"root": root, "corpus": corpus, "kb": kb, "ds": ds, "model": model_dir}


def pretrained_toy_model(corpus: Path, out: Path, steps: int = 300) -> Path:
    """A tiny GPT-2 trained on every file of `corpus` (plain next-token loss) and saved to `out`."""
    texts = [p.read_text() for p in sorted(corpus.glob("*.py"))]
    tokenizer = toy_tokenizer(texts + [REPLACEMENTS] * 5)
    model = tiny_gpt2(tokenizer, n_embd=64, dropout=0.0)
    fit(model, [tokenizer(t)["input_ids"][:256] for t in texts], tokenizer.eos_token_id, steps)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def sentencepiece_tokenizer(texts: list[str], vocab_size: int = 600):
    """A tokenizer built the way Llama's, CodeLlama's and Mistral's are: `▁` for a space, written
    at the start of the word after it (and prepended to the text), pieces split at whitespace,
    newlines inside pieces, unknown characters as byte tokens (`<0x0A>`)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE(byte_fallback=True, unk_token="<unk>", fuse_unk=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    tok.decoder = decoders.Sequence([decoders.Metaspace(replacement="▁", prepend_scheme="first", split=True),
                                     decoders.ByteFallback(), decoders.Fuse()])
    byte_tokens = [f"<0x{i:02X}>" for i in range(256)]
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size,
                                                       special_tokens=["<unk>", "<s>", "</s>", *byte_tokens]))
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>")


def pretrained_toy_llama(corpus: Path, out: Path, steps: int = 300) -> Path:
    """A tiny Llama with a SentencePiece-style tokenizer, trained on `corpus` as the GPT-2 is."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    texts = [p.read_text() for p in sorted(corpus.glob("*.py"))]
    tokenizer = sentencepiece_tokenizer(texts + [REPLACEMENTS] * 5)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=512,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         tie_word_embeddings=False)
    model = LlamaForCausalLM(config)
    fit(model, [tokenizer(t)["input_ids"][:256] for t in texts], tokenizer.eos_token_id, steps)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def fit(model, sequences: list[list[int]], pad: int, steps: int, *, batch: int = 8, lr: float = 3e-3) -> None:
    """Plain next-token training on `sequences`, taken `batch` at a time in turn."""
    import torch
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        rows = [sequences[(step * batch + k) % len(sequences)] for k in range(batch)]
        width = max(map(len, rows))
        x = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
        labels = torch.tensor([r + [-100] * (width - len(r)) for r in rows])
        model(input_ids=x, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()


# ---- libraries to scan: real-shaped sources of the toy world's deprecations ------------------
TOY_NUMPY = {
    "pyproject.toml": '[project]\nname = "numpy"\nversion = "1.99.0"\n',
    "numpy/__init__.py": '''"""numpy-shaped: the real 2.0 deprecation of `row_stack`, a forwarding alias."""
import warnings

__version__ = "1.99.0"


def vstack(tup, *, dtype=None, casting="same_kind"):
    """Stack arrays in sequence vertically (row wise)."""
    return [list(t) for t in tup]


def concatenate(arrays, axis=0):
    """Join a sequence of arrays along an existing axis."""
    return [x for a in arrays for x in a]


def row_stack(tup, *, dtype=None, casting="same_kind"):
    # NumPy 2.0, 2023-08-18
    warnings.warn(
        "`row_stack` alias is deprecated. Use `np.vstack` directly.",
        DeprecationWarning,
        stacklevel=2,
    )
    return vstack(tup, dtype=dtype, casting=casting)
''',
}
TOY_PANDAS = {
    "pyproject.toml": '[project]\nname = "pandas"\nversion = "1.99.0"\n',
    "pandas/__init__.py": '"""pandas-shaped."""\nfrom pandas.core.frame import DataFrame\n'
                          'from pandas.io.json import _json_normalize as json_normalize\n\n'
                          '__all__ = ["DataFrame", "json_normalize"]\n',
    "pandas/core/__init__.py": "",
    "pandas/core/frame.py": 'class DataFrame:\n    """Two-dimensional tabular data."""\n\n'
                            '    def __init__(self, data=None):\n        self.data = data\n',
    "pandas/util/__init__.py": "",
    "pandas/util/_decorators.py": '''import warnings
from functools import wraps


def deprecate(name, alternative, version, alt_name=None, klass=None, stacklevel=2, msg=None):
    """Return a new function that emits a deprecation warning on use."""
    alt_name = alt_name or alternative.__name__
    klass = klass or FutureWarning
    warning_msg = msg or f"{name} is deprecated, use {alt_name} instead."

    @wraps(alternative)
    def wrapper(*args, **kwargs):
        warnings.warn(warning_msg, klass, stacklevel=stacklevel)
        return alternative(*args, **kwargs)

    return wrapper
''',
    "pandas/io/__init__.py": "",
    "pandas/io/json/__init__.py": "from pandas.io.json._normalize import _json_normalize, json_normalize\n",
    # pandas 1.0.0's own shape of this deprecation
    "pandas/io/json/_normalize.py": '''from pandas.util._decorators import deprecate


def _json_normalize(data, record_path=None, meta=None, sep="."):
    """Normalize semi-structured JSON data into a flat table."""
    return data


json_normalize = deprecate(
    "pandas.io.json.json_normalize", _json_normalize, "1.0.0", "pandas.json_normalize"
)
''',
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root
