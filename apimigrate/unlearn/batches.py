"""Training examples and batches: a pair becomes two token sequences (the context with the
deprecated line, the same context with the rewritten line), each with the next-token targets
of the tokens that spell the API; a retain chunk becomes one sequence whose every token is a
target.

Batches are padded on the right; `targets[b, t]` is the token at t+1 where it counts and
`IGNORE_INDEX` elsewhere, so the loss needs the hidden states of the target positions only.
"""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from apimigrate import jsonfiles

from .tokens import IGNORE_INDEX, Encoded, OffsetTokenizer, cut_left, encode_with_mask


@dataclass
class PairExample:
    """One (x, y⁻, y⁺) triple as token ids: `neg` marks M⁻ in x + y⁻, `pos` marks M⁺ in x + y⁺."""
    neg: Encoded
    pos: Encoded


@dataclass
class Batch:
    """Right-padded `[rows, T]` tensors (torch); `rows` is 2B for pairs (B negatives, then
    the B positives in the same order) or B for retain chunks or negatives alone."""
    input_ids: Any
    attention_mask: Any
    targets: Any


class DataError(ValueError):
    """The dataset cannot be used; the message is one line for the user."""


# Why a dataset line was skipped, counted: "2 record(s) without a pair's fields" (evaluate says it alike).
NOT_A_PAIR = "record(s) without a pair's fields"


def read_jsonl(path: Path) -> list[dict]:
    """Every record of a JSONL file; a line that is not JSON is an error naming it, its line
    and where in the line it broke (jsonfiles.read_jsonl)."""
    try:
        return jsonfiles.read_jsonl(path)
    except jsonfiles.JsonLinesError as exc:
        raise DataError(str(exc)) from exc


def encode_pairs(records: Iterable[dict], tokenizer: OffsetTokenizer, max_length: int
                 ) -> tuple[list[PairExample], Counter]:
    """Encode each pair's two sequences; pairs that cannot be (no token spells the API, the
    line alone is longer than `max_length`, a record without its fields) are counted by reason."""
    examples: list[PairExample] = []
    skipped: Counter = Counter()
    required = ("context", "deprecated_line", "replacement_line", "deprecated_spans", "replacement_spans")
    for record in records:
        if not isinstance(record, dict) or any(k not in record for k in required):
            skipped[NOT_A_PAIR] += 1
            continue
        # A line is followed by its newline: the model should learn the line as a whole line.
        # Both sides are encoded whole and cut together, so they keep the very same context tokens.
        neg = encode_with_mask(tokenizer, record["context"], record["deprecated_line"] + "\n",
                               record["deprecated_spans"], sys.maxsize)
        pos = encode_with_mask(tokenizer, record["context"], record["replacement_line"] + "\n",
                               record["replacement_spans"], sys.maxsize)
        if neg is None or pos is None:
            skipped["API not in the tokens kept"] += 1
            continue
        if not _from_divergence(neg, pos):
            skipped["rewrite leaves the tokens as they were"] += 1
            continue
        if not cut_left([neg, pos], max_length):
            skipped["API not in the tokens kept"] += 1
            continue
        examples.append(PairExample(neg, pos))
    return examples, skipped


def _from_divergence(neg: Encoded, pos: Encoded) -> bool:
    """Unmark the tokens before the first one where the two sequences part (`y` and `_` of
    `y_true_x=` / `y_score=`): the same tokens after the same prefix have the same
    probability under both, so suppressing them would only suppress the replacement too.
    False when nothing marked is left on either side."""
    common = 0
    for a, b in zip(neg.input_ids, pos.input_ids):
        if a != b:
            break
        common += 1
    for enc in (neg, pos):
        enc.mask[:common] = [False] * min(common, len(enc.mask))
    return any(neg.mask) and any(pos.mask)


def encode_retain(records: Iterable[dict], tokenizer: OffsetTokenizer, max_length: int) -> list[Encoded]:
    """Each retain chunk as one sequence (its head when longer than `max_length`), every token a target."""
    out = []
    for record in records:
        text = record.get("text", "") if isinstance(record, dict) else ""
        ids = list(tokenizer(text, add_special_tokens=True)["input_ids"])[:max_length]
        if len(ids) >= 2:
            out.append(Encoded(ids, [True] * len(ids)))
    return out


def collate(sequences: Sequence[Encoded], pad_id: int, device: Any = "cpu") -> Batch:
    """Pad `sequences` on the right into one batch of next-token targets."""
    import torch
    width = max(len(s.input_ids) for s in sequences)
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(sequences), width), dtype=torch.long)
    targets = torch.full((len(sequences), width), IGNORE_INDEX, dtype=torch.long)
    for row, seq in enumerate(sequences):
        n = len(seq.input_ids)
        ids[row, :n] = torch.tensor(seq.input_ids)
        attention[row, :n] = 1
        targets[row, :n] = torch.tensor(seq.targets())
    return Batch(ids.to(device), attention.to(device), targets.to(device))


def pair_batch(examples: Sequence[PairExample], pad_id: int, *, with_pos: bool, device: Any = "cpu") -> Batch:
    """The negatives of `examples` (rows 0..B-1), then their positives when `with_pos`."""
    seqs = [e.neg for e in examples] + ([e.pos for e in examples] if with_pos else [])
    return collate(seqs, pad_id, device)
