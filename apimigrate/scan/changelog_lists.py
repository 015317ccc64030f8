"""A sentence that ends with a colon, and the list below it that it speaks of, as one paragraph.

Release notes often say what changed in a sentence that ends with a colon and list the names
below it (numpy 2.4.0)::

    The ``interpolation`` parameter was deprecated in NumPy 1.22.0 and has been
    removed from the following functions:

    * ``numpy.percentile``
    * ``numpy.quantile``

    Use the ``method`` parameter instead.

The entry reader (changelog_entry) reads sentences, and a bullet alone is none. So the lead and
its list are rewritten as the sentence the note means:

* a list of names becomes the end of the lead sentence, "... from the following functions:
  ``numpy.percentile`` and ``numpy.quantile``.", and the advice paragraph right after the list
  joins it (its "instead" speaks of the whole list);
* bullets that carry more than names ("``numpy.linalg.linalg`` Use ``numpy.linalg`` instead.",
  "``vackar`` (renamed to ``diagbroyden``)") become one sentence each, the lead sentence followed
  by that bullet, so that each bullet's advice stays its own. Their message is the note as
  written (`Block.shown`), not the repetition.

A list whose bullets say their own change ("- The ``n`` keyword has been removed from ...") is
left alone: each bullet is an entry of its own, as before. So is a list after a sentence that
says no change ("The highlights are:", "you can create a new view via:").
"""
from __future__ import annotations

import re

from .changelog_parse import Block, Span

__all__ = ["lists_into_sentences"]

# the verb of a sentence that says what changed (not "deprecations" as a noun: "... and expire old
# deprecations. The highlights are:")
_CHANGE = re.compile(r"\b(?:deprecat(?:ed|es|e|ing)|removed|expired|renamed|dropped)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_NAME_SEP = re.compile(r"^[\s,]*(?:(?:and|or|&)\s+)?$", re.I)
_THE_FOLLOWING = re.compile(r"\bthe\s+following\b", re.I)
_RESTATING = re.compile(r"(?:these|they|this|which)\s+(?:include[sd]?|are|were|is)\b", re.I)
_PUNCTUATION = re.compile(r"^[\s,;.]*$")


def lists_into_sentences(blocks: list[Block]) -> list[Block]:
    """The blocks, with each lead-in sentence and the list below it as one paragraph."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        lead = blocks[i]
        lead_end = _lead_end(lead)
        items = _listed_below(blocks, i) if lead_end is not None else []
        parts = [_item(group) for group in items]
        each = any(p is not None and p[1] is not None for p in parts)
        if not items or None in parts:
            out.append(lead)
            i += 1
            continue
        i += 1 + sum(len(group) for group in items)
        written = [" ".join(b.text.strip() for b in group) for group in items]
        if each:
            out.append(_each_its_sentence(lead, lead_end, parts, written))
            continue
        one = _folded(lead, lead_end, [names for names, _rest in parts], written)
        after = blocks[i] if i < len(blocks) else None
        if after is not None and _advice_to_the_list(lead, after):
            one = _joined(one, after)
            i += 1
        out.append(one)
    return out


def _lead_end(block: Block) -> int | None:
    """Where the sentence that the list below the paragraph completes ends (its colon or full
    stop), or None when the paragraph leads no list:

    - a last sentence that says what changed and ends with one colon, or speaks of "the following"
      (numpy 1.15: "Imports from the following sub-modules are deprecated, they will be removed at
      some future date." above its list);
    - a last sentence that only restates the one before it, which says what changed (scipy 1.8:
      "... all namespaces that were private but happened to miss underscores in their names have
      been deprecated. These include (as examples, there are many more):")."""
    text = block.text.rstrip()
    if block.kind != "para" or text.endswith("::"):
        return None
    start = _last_sentence(text)
    last = _PARENTHETICAL.sub("", text[start:])
    if _CHANGE.search(last):
        listing = text.endswith(":") or text.endswith(".") and bool(_THE_FOLLOWING.search(last))
        return len(text) - 1 if listing else None
    if start and text.endswith(":") and _RESTATING.match(last):
        before = text[:start].rstrip()
        said = _PARENTHETICAL.sub("", before[_last_sentence(before):])
        return len(before) - 1 if before.endswith(".") and _CHANGE.search(said) else None
    return None


def _last_sentence(text: str) -> int:
    """Where the text's last sentence starts."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text.rstrip())]
    return len(text) - len(text[ends[-1]:].lstrip()) if ends else 0


def _listed_below(blocks: list[Block], at: int) -> list[list[Block]]:
    """The list items right below the lead at `at`, each as its paragraphs: top-level bullets after
    a paragraph, the bullet's own sub-list after a bullet's paragraph."""
    lead = blocks[at]
    groups: list[list[Block]] = []
    for b in blocks[at + 1:]:
        nested = b.item == lead.item if lead.item is not None else b.item is not None
        if b.kind != "para" or b.bullet is None or b.bullet == lead.bullet or not nested:
            break
        if groups and groups[-1][-1].bullet == b.bullet:
            groups[-1].append(b)
        else:
            groups.append([b])
    return groups


def _item(group: list[Block]) -> tuple[Block, Block | None] | None:
    """A bullet -> (the names it opens with, what follows them) or None when the bullet does not open
    with names, or says a change of its own."""
    block = group[0] if len(group) == 1 else _concat(group, " ")
    spans = sorted(block.spans, key=lambda s: s.start)
    if not spans or block.text[:spans[0].start].strip():
        return None
    last = 0
    while last + 1 < len(spans) and _NAME_SEP.match(block.text[spans[last].end:spans[last + 1].start]):
        last += 1
    end = spans[last].end
    rest = block.text[end:]
    if _CHANGE.search(_PARENTHETICAL.sub("", rest)):
        return None     # "``numpy.trapz`` — deprecated since NumPy 2.0": a sentence of its own
    names = _slice(block, spans[0].start, end)
    rest_spans = [s for s in spans if s.start >= end]
    if not rest_spans and _PUNCTUATION.match(_PARENTHETICAL.sub("", rest)):
        return names, None      # "``broyden_modified`` (bad performance)": names only
    return names, _slice(block, end, len(block.text.rstrip()))


def _folded(lead: Block, lead_end: int, names: list[Block], written: list[str]) -> Block:
    """"... from the following functions: ``a``, ``b`` and ``c``." """
    pieces: list[str | Block] = [_slice(lead, 0, lead_end), ": "]
    for k, n in enumerate(names):
        if k:
            pieces.append(" and " if k == len(names) - 1 else ", ")
        pieces.append(n)
    pieces.append(".")
    block = _assembled(lead, pieces)
    if lead_end < len(lead.text.rstrip()) - 1 or any(n.text != w for n, w in zip(names, written)):
        # ("``broyden_modified`` (bad performance)", "These include ...:": the words the reading
        # drops stay in the message)
        block.shown = _as_written(lead.text.rstrip(), written)
    return block


def _each_its_sentence(lead: Block, lead_end: int, parts: list[tuple[Block, Block | None]],
                       written: list[str]) -> Block:
    """"<lead sentence>: ``numpy.linalg.linalg`` Use ``numpy.linalg`` instead. <lead sentence>: ..." """
    text = lead.text.rstrip()
    start = _last_sentence(text[:lead_end + 1])
    head = _slice(lead, start, lead_end)       # (without its colon or full stop)
    pieces: list[str | Block] = [_slice(lead, 0, start)]     # the sentences before it, once
    for names, rest in parts:
        pieces.extend([head, ": ", names])
        if rest is not None:
            pieces.append(rest)
        if not _ends_sentence(rest.text if rest is not None else names.text):
            pieces.append(".")
        pieces.append(" ")
    block = _assembled(lead, pieces[:-1])
    block.shown = _as_written(text, written)
    return block


def _as_written(lead: str, items: list[str]) -> str:
    """The lead and its bullets in one line: "...: ``a`` -> ``_a``; ``b`` -> ``_b``." """
    out = [lead]
    for k, item in enumerate(items):
        end = "" if _ends_sentence(item) else "." if k == len(items) - 1 else ";"
        out.append(item + end)
    return " ".join(out)


def _advice_to_the_list(lead: Block, after: Block) -> bool:
    """"Use the ``method`` parameter instead.": one sentence right after the list, in the lead's own
    paragraph level, that names something and says no change of its own."""
    return (after.kind == "para" and after.item == lead.item and after.bullet == lead.bullet and bool(after.spans)
            and not _CHANGE.search(after.text) and _last_sentence(after.text.strip()) == 0)


def _joined(block: Block, after: Block) -> Block:
    one = _assembled(block, [block, " ", after])
    one.shown = f"{block.shown} {after.text}" if block.shown else None
    return one


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))


# ---- blocks as text with their spans ------------------------------------------------------

def _slice(block: Block, start: int, end: int) -> Block:
    spans = [s.moved(-start) for s in block.spans if s.start >= start and s.end <= end]
    return Block("para", block.text[start:end], block.line, spans, item=block.item, bullet=block.bullet)


def _concat(blocks: list[Block], sep: str) -> Block:
    pieces: list[str | Block] = []
    for k, b in enumerate(blocks):
        if k:
            pieces.append(sep)
        pieces.append(b)
    return _assembled(blocks[0], pieces)


def _assembled(like: Block, pieces: list[str | Block]) -> Block:
    """One paragraph of `like`'s place (line, list item, tags) from text and blocks in order."""
    text: list[str] = []
    spans: list[Span] = []
    pos = 0
    for p in pieces:
        if isinstance(p, Block):
            spans.extend(s.moved(pos) for s in p.spans)
            p = p.text
        text.append(p)
        pos += len(p)
    return Block("para", "".join(text), like.line, spans, level=like.level, item=like.item, tags=like.tags,
                 bullet=like.bullet)
