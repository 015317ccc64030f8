"""Greedy text at the cursor from a loaded causal LM: what an inline completion shows.

Three things differ from the probes' first lines (apimigrate/evaluate/generate.py):

- The cursor sits anywhere in a line, often right after the indentation the editor typed.
  GPT-2-family tokenizers merge a newline with the indentation after it, so a prompt cut
  there ends in tokens the model never saw in that place (evaluate/healing.py). Healing one
  token is not enough here (`"\\n  "` + `"  "` must become `"\\n   "` + `" out"`), so the model
  reads the text up to the end of the line before the cursor's and must spell the rest
  (newline, indentation, what is typed on the line) itself, in tokens of its own choosing:
  a logits processor allows, while that text is not yet written, only tokens that continue it.
- The completion stops at a boundary (`boundary`): the end of the line or statement after
  `max_lines` lines with content, with brackets and strings closed, or a dedent that ends the block.
- A request that is cancelled or overtaken stops between two tokens (`cancel`).

torch and transformers are imported inside the functions, so the server imports this module
at start for nothing: they load with the first model.
"""
from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from typing import Any

# A line before the cursor longer than this is not re-spelled whole: only its last word is.
MAX_FORCED_CHARS = 160
# Characters of the document kept per prompt token, before tokenizing (code is ~3-4 per token).
CHARS_PER_TOKEN = 8
_OPEN, _CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class CursorPrompt:
    head: str       # the text the model reads as it is
    forced: str     # the text between `head` and the cursor, which the model must write itself
    line_prefix: str  # the cursor's line up to the cursor


def split_prompt(before: str) -> CursorPrompt:
    """`before` (the document up to the cursor) cut where the model takes over: at the newline
    that starts the cursor's line, or, on a long or non-ASCII line, at the start of its last word."""
    nl = before.rfind("\n")
    line_prefix = before[nl + 1:]
    cut = nl if nl >= 0 else 0
    # Single-token texts of byte-level vocabularies cannot spell half a character: keep it given.
    for i in range(len(before) - 1, cut - 1, -1):
        if not before[i].isascii():
            cut = i + 1
            break
    if len(before) - cut > MAX_FORCED_CHARS:
        tail = before[len(before) - MAX_FORCED_CHARS:]
        space = max(tail.rfind(" "), tail.rfind("\t"))
        cut = len(before) - MAX_FORCED_CHARS + space if space >= 0 else len(before)
    return CursorPrompt(before[:cut], before[cut:], line_prefix)


# ---- where a completion ends -------------------------------------------------------------
def _scan(line: str, quote: str = "") -> tuple[int, str]:
    """Brackets opened minus closed on `line` (strings and comments skipped), starting inside the
    string `quote` when an earlier line left one open; and the triple-quoted string still open at
    its end ('' when none: a one-quote string ends with its line)."""
    depth, i = 0, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif ch == "#":
            break
        elif ch in "'\"":
            quote = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else ch
            i += len(quote)
            continue
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        i += 1
    return depth, quote if len(quote) == 3 else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def boundary(completion: str, line_prefix: str, max_lines: int) -> str | None:
    """`completion` cut after its `max_lines`-th line with content whose brackets and strings are
    closed (counting those opened before the cursor on its line), or before a line that dedents
    out of the block it started in; None while no such place has been written yet."""
    lines = completion.split("\n")
    depth, quote = _scan(line_prefix)
    base: int | None = _indent(line_prefix) if line_prefix.strip() else None
    content = 0
    for i, line in enumerate(lines[:-1]):           # the last piece has no newline yet
        full = line_prefix + line if i == 0 else line
        if i > 0 and not quote and line.strip() and base is not None and _indent(line) < base:
            return "\n".join(lines[:i])             # the block ended
        change, quote = _scan(line, quote)
        depth += change
        if line.strip():
            content += 1
            if base is None:
                base = _indent(full)
        if content >= max_lines and depth <= 0 and not quote and not full.rstrip().endswith("\\"):
            return "\n".join(lines[: i + 1])
    return None


def finish(completion: str, line_prefix: str, max_lines: int, ended: bool) -> str | None:
    """The text to show once generation stopped: up to the boundary; at the model's end token,
    all of it; cut by the token limit, only its complete lines (half a name could be half of a
    deprecated one the guard cannot see yet). None when nothing with content is left."""
    cut = boundary(completion, line_prefix, max_lines)
    if cut is None and ended:
        cut = completion
    elif cut is None:
        cut = completion[: completion.rfind("\n")] if "\n" in completion else ""
    cut = cut.rstrip()
    return cut if cut.strip() else None


# ---- the model's side ----------------------------------------------------------------------
class TokenTexts:
    """Each token's text as it reads after other text (a SentencePiece `▁out` is `" out"` there,
    not the `"out"` a lone decode gives), decoded once per loaded model."""

    def __init__(self, tokenizer: Any, vocab: int) -> None:
        from apimigrate.local_models import Continuation
        self.tokenizer = tokenizer
        self.continuation = Continuation(tokenizer)
        n = min(len(tokenizer), vocab)
        special = set(getattr(tokenizer, "all_special_ids", []) or [])
        self.by_text: dict[str, list[int]] = {}
        for i, text in enumerate(self.continuation.each(n)):
            if i not in special and text and "\ufffd" not in text:
                self.by_text.setdefault(text, []).append(i)
        self.sorted = sorted(self.by_text)
        self.vocab = vocab
        self._allowed: dict[str, Any] = {}

    def decode(self, ids: list[int]) -> str:
        """`ids` as text that follows other text."""
        return self.continuation.decode(ids)

    def continuing(self, rest: str) -> list[int]:
        """Tokens that write the start of `rest`, or all of it and more."""
        ids: list[int] = []
        for k in range(1, len(rest) + 1):
            ids.extend(self.by_text.get(rest[:k], ()))
        at = bisect.bisect_right(self.sorted, rest)
        while at < len(self.sorted) and self.sorted[at].startswith(rest):
            ids.extend(self.by_text[self.sorted[at]])
            at += 1
        return ids

    def blocked(self, rest: str, device: Any) -> Any:
        """A `[vocab]` mask of the tokens that do not continue `rest` (cached per text)."""
        import torch
        if rest not in self._allowed:
            if len(self._allowed) > 64:
                self._allowed.clear()
            mask = torch.ones(self.vocab, dtype=torch.bool)
            ids = self.continuing(rest)
            if ids:
                mask[torch.tensor(ids, dtype=torch.long)] = False
            self._allowed[rest] = mask
        return self._allowed[rest].to(device)


class _Steering:
    """Logits processor and stopping criterion in one: forces the `forced` text first, then
    stops at the boundary, at the token budget, or when `cancel` is set."""

    def __init__(self, texts: TokenTexts, width: int, forced: str, line_prefix: str, max_lines: int,
                 max_new_tokens: int, cancel: threading.Event, eos: set[int]) -> None:
        self.texts, self.width, self.forced = texts, width, forced
        self.line_prefix, self.max_lines, self.max_new_tokens = line_prefix, max_lines, max_new_tokens
        self.cancel, self.eos = cancel, eos
        self.rest = forced             # what is still to be forced
        self.free_from: int | None = None if forced else width   # position where the model is free
        self.stuck = False             # no token continues the forced text
        self.done = False              # the boundary was reached

    def _written(self, input_ids: Any) -> str:
        return self.texts.decode(input_ids[0, self.width:].tolist())

    def logits(self, input_ids: Any, scores: Any) -> Any:
        if self.free_from is not None:
            return scores
        mask = self.texts.blocked(self.rest, scores.device)
        if bool(mask.all()):
            self.stuck = True
            return scores
        return scores.masked_fill(mask.unsqueeze(0), float("-inf"))

    def stop(self, input_ids: Any, scores: Any, **_: Any) -> Any:
        import torch
        stop = self._should_stop(input_ids)
        return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)

    def _should_stop(self, input_ids: Any) -> bool:
        if self.cancel.is_set() or self.stuck:
            return True
        if int(input_ids[0, -1]) in self.eos:
            return True
        written = self._written(input_ids)
        if self.free_from is None:
            if len(written) < len(self.forced) and self.forced.startswith(written):
                self.rest = self.forced[len(written):]
                return False
            if not written.startswith(self.forced):
                self.stuck = True       # a decode that does not read back as the token texts did
                return True
            self.free_from = input_ids.shape[1]
        completion = written[len(self.forced):]
        if boundary(completion, self.line_prefix, self.max_lines) is not None:
            self.done = True
            return True
        return input_ids.shape[1] - self.free_from >= self.max_new_tokens


def _ids(value: Any) -> set[int]:
    """An end token id, or the list of them a generation config may hold."""
    if isinstance(value, int):
        return {value}
    return {v for v in value if isinstance(v, int)} if isinstance(value, (list, tuple)) else set()


@dataclass
class LoadedModel:
    """A generator (model, tokenizer, device) with what generation at a cursor needs of it."""
    generator: Any                  # apimigrate.evaluate.generate.Generator
    positions: int | None
    texts: TokenTexts | None = None

    def token_texts(self) -> TokenTexts:
        if self.texts is None:
            vocab = self.generator.model.get_output_embeddings().weight.shape[0]
            self.texts = TokenTexts(self.generator.tokenizer, vocab)
        return self.texts


def complete_at_cursor(loaded: LoadedModel, before: str, *, max_new_tokens: int, max_lines: int,
                       cancel: threading.Event) -> str | None:
    """The greedy completion of `before` (the document up to the cursor), cut at a boundary;
    None when there is none (nothing written, cancelled, or the text at the cursor cannot be spelled)."""
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList, StoppingCriteria, StoppingCriteriaList

    if cancel.is_set():
        return None
    gen = loaded.generator
    tok, model = gen.tokenizer, gen.model
    texts = loaded.token_texts()
    prompt = split_prompt(before)
    # Worst case the model spells the forced text one character per token.
    budget = max_new_tokens + len(prompt.forced)
    limit = gen.max_prompt_tokens
    if loaded.positions is not None:
        limit = min(limit, loaded.positions - budget)
    if limit < 8:
        return None
    ids, forced = _head_ids(tok, prompt, limit)
    if len(forced) > len(prompt.forced):       # the token across the cut is the model's to write too
        budget += len(forced) - len(prompt.forced)
        if loaded.positions is not None:
            limit = min(limit, loaded.positions - budget)
            if limit < 8:
                return None
    bos = tok.bos_token_id
    if len(ids) > limit:
        keep = [ids[0]] if bos is not None and ids[0] == bos else []
        ids = keep + ids[len(ids) - (limit - len(keep)):]
    if not ids:
        ids = [bos if bos is not None else tok.eos_token_id]
    width = len(ids)
    eos = _ids(tok.eos_token_id) | _ids(getattr(getattr(model, "generation_config", None), "eos_token_id", None))
    steer = _Steering(texts, width, forced, prompt.line_prefix, max_lines, max_new_tokens, cancel, eos)

    class _Processor(LogitsProcessor):
        def __call__(self, input_ids: Any, scores: Any) -> Any:
            return steer.logits(input_ids, scores)

    class _Criterion(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            return steer.stop(input_ids, scores, **kwargs)

    input_ids = torch.tensor([ids], device=gen.device)
    with torch.no_grad():
        out = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), do_sample=False,
                             max_new_tokens=budget, pad_token_id=tok.pad_token_id,
                             logits_processor=LogitsProcessorList([_Processor()]),
                             stopping_criteria=StoppingCriteriaList([_Criterion()]))
    if cancel.is_set() or steer.stuck:
        return None
    new = [t for t in out[0, width:].tolist() if t not in eos]
    written = texts.decode(new)
    if not written.startswith(forced):
        return None
    ended = steer.done or bool(out.shape[1] > width and int(out[0, -1]) in eos)
    return finish(written[len(forced):], prompt.line_prefix, max_lines, ended)


def _head_ids(tok: Any, prompt: CursorPrompt, limit: int) -> tuple[list[int], str]:
    """The tokens the model reads, and the text it must write itself before the cursor.

    The document is tokenized through the cursor and cut at the last token that ends by the
    end of `prompt.head`: the head's tokens are then those of the text as it goes on.
    Tokenizing the head alone is not: a SentencePiece vocabulary joins a line's newline to the
    token before it (a docstring's closing quotes and its newline are one token), so a head cut
    before the newline would end in a token the model never saw there; cut so, that token is
    written by the model with the rest."""
    start = max(0, len(prompt.head) - limit * CHARS_PER_TOKEN)
    window = (prompt.head + prompt.forced)[start:]
    cut = len(prompt.head) - start
    if not window:
        return [], prompt.forced
    try:
        enc = tok(window, add_special_tokens=True, return_offsets_mapping=True)
    except NotImplementedError:         # a slow tokenizer: no offsets; the head alone then
        return (tok(window[:cut], add_special_tokens=True)["input_ids"] if cut else []), prompt.forced
    ids, offsets = enc["input_ids"], enc["offset_mapping"]
    n = next((i for i, (_, end) in enumerate(offsets) if end > cut), len(ids))
    end = max((e for _, e in offsets[:n]), default=0)
    return ids[:n], window[end:]
