"""Token masks from character spans: which tokens of `context + line` spell the API.

The dataset stores where the API is written in each line as character offsets; a tokenizer's
offset mapping turns them into the token masks M⁻ and M⁺ the objectives average over. Any
token that overlaps the span counts (a BPE token may also carry the `.` before a name).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

IGNORE_INDEX = -100


class OffsetTokenizer(Protocol):
    """A Hugging Face fast tokenizer, or anything that answers the same call."""
    def __call__(self, text: str, *, add_special_tokens: bool = ..., return_offsets_mapping: bool = ...) -> dict: ...


@dataclass
class Encoded:
    """`input_ids` of `context + line`, and `mask[i]` true when token i spells the API;
    `line_start` is the first token of the line, `keeps_first` says token 0 is a start token
    that a cut from the left keeps."""
    input_ids: list[int]
    mask: list[bool]
    line_start: int = 0
    keeps_first: bool = False

    def targets(self, ignore_index: int = IGNORE_INDEX) -> list[int]:
        """The next-token target at every position, `ignore_index` where the next token is not
        masked: what `fused_token_logprobs` takes next to the hidden states of `input_ids`."""
        nxt = self.input_ids[1:] + [ignore_index]
        keep = self.mask[1:] + [False]
        return [t if k else ignore_index for t, k in zip(nxt, keep)]


def encode_with_mask(tokenizer: OffsetTokenizer, context: str, line: str, spans: Sequence[Sequence[int]],
                     max_length: int, add_special_tokens: bool = True) -> Encoded | None:
    """Tokenize `context + line`; mark the tokens overlapping `spans` (offsets into `line`).

    Longer than `max_length` tokens, the context is cut from the left (a leading special token
    such as BOS is kept); None when even the line alone does not fit, or no token is marked.
    """
    enc = tokenizer(context + line, add_special_tokens=add_special_tokens, return_offsets_mapping=True)
    ids, offsets = list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]
    shift = len(context)
    ranges = [(shift + a, shift + b) for a, b in spans if b > a]
    mask = [b > a and any(a < e and b > s for s, e in ranges) for a, b in offsets]
    if not any(mask):
        return None
    line_start = next(i for i, (a, b) in enumerate(offsets) if b > shift)
    keeps_first = add_special_tokens and offsets[0] == (0, 0) and len(ids) > 1
    encoded = Encoded(ids, mask, line_start, keeps_first)
    return encoded if cut_left([encoded], max_length) else None


def cut_left(sequences: Sequence[Encoded], max_length: int) -> bool:
    """Cut the same number of context tokens from the left of every sequence (after a kept start
    token) until the longest fits `max_length`; the sequences of one pair thus keep the same
    context. False, and nothing cut, when a token of a line would have to go."""
    cut = max(len(s.input_ids) for s in sequences) - max_length
    if cut <= 0:
        return True
    for s in sequences:
        head = 1 if s.keeps_first else 0
        if max_length - head <= 0 or head + cut > s.line_start:
            return False
    for s in sequences:
        head = 1 if s.keeps_first else 0
        del s.input_ids[head:head + cut]
        del s.mask[head:head + cut]
        s.line_start -= cut
    return True
