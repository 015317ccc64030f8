"""Token healing at the prompt's end.

A probe's prompt stops right before a line, so it ends in a newline. Tokenizers of the GPT-2
family merge a newline with the indentation after it (`"\\n   "` then `" frame"`), so in the
model's training data a lone `"\\n"` token is followed by a new block, not by an indented
line: cut there, the prompt asks a question the model never saw. Healing backs off the
prompt's last token and lets the first generated token be any token whose text starts with
the text backed off, so the model spells the boundary its own way (guidance's token healing,
without stripping the prompt as transformers' `token_healing` does).
"""
from __future__ import annotations

from typing import Any


class TokenHealing:
    """Backs off a prompt's last token and says which first tokens may replace it. Token texts
    are read as they follow other text (`Continuation`), so a SentencePiece `▁out` backed off is
    `" out"` and only tokens that also start with the space may replace it."""

    def __init__(self, tokenizer: Any) -> None:
        from apimigrate.local_models import Continuation
        self.tokenizer = tokenizer
        self.continuation = Continuation(tokenizer)
        self._texts: list[str | None] | None = None
        self._allowed: dict[tuple[str, int], Any] = {}
        self._special = set(getattr(tokenizer, "all_special_ids", []) or [])

    def split(self, ids: list[int]) -> tuple[list[int], str]:
        """`ids` without its last token, and that token's text ('' when nothing is backed off)."""
        if len(ids) < 2 or ids[-1] in self._special:
            return ids, ""
        tail = self.continuation.decode([ids[-1]])
        return (ids[:-1], tail) if tail else (ids, "")

    def allowed(self, tail: str, vocab: int, device: Any) -> Any:
        """A `[vocab]` bool mask of the tokens whose text starts with `tail`."""
        import torch
        key = (tail, vocab)
        if key not in self._allowed:
            if self._texts is None:
                self._texts = self.continuation.each(len(self.tokenizer))
            mask = torch.zeros(vocab, dtype=torch.bool)
            for i, text in enumerate(self._texts[:vocab]):
                if text is not None and text.startswith(tail) and i not in self._special:
                    mask[i] = True
            self._allowed[key] = mask
        return self._allowed[key].to(device)


class FirstStepMask:
    """A logits processor that, at the first generated position only, keeps each row to its mask."""

    def __init__(self, width: int, masks: list[Any]) -> None:
        self.width, self.masks = width, masks

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if input_ids.shape[1] != self.width:
            return scores
        for row, mask in enumerate(self.masks):
            if mask is not None:
                scores[row] = scores[row].masked_fill(~mask, float("-inf"))
        return scores
