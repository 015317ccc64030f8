"""Train/eval splits by source file and by mapping.

A file goes wholly to one split, chosen by a hash of its content (so copies of a file land
together, and moving the corpus changes nothing): evaluation probes never share a file with
training data. Then every mapping found in two files or more is given at least one file on
each side, so each mapping trained on can also be evaluated on code the model never saw.
"""
from __future__ import annotations

import hashlib

TRAIN, EVAL = "train", "eval"
_MAX_PASSES = 8
_MAX_MOVES = 2


def file_draw(sha256: str, seed: int) -> float:
    """A number in [0, 1) fixed by the file's content and the seed."""
    digest = hashlib.sha256(f"{seed}:{sha256}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def assign_splits(files: list[str], mappings: dict[str, set[str]], eval_fraction: float,
                  seed: int = 0) -> dict[str, str]:
    """file -> TRAIN or EVAL. `files` are content hashes; `mappings` maps each mapping to the
    files its pairs come from.

    Starts from the hashed split and moves files only to give a mapping found in two files or
    more a file on each side: each move takes the file whose move leaves the fewest other
    mappings one-sided, then the one whose draw lies nearest the threshold; no file moves more
    than twice, and the split returned leaves no more mappings one-sided than the hashed one.
    Some overlaps cannot all be split (three mappings over the pairs of three files).
    """
    draw = {f: file_draw(f, seed) for f in files}
    split = {f: EVAL if draw[f] < eval_fraction else TRAIN for f in files}
    if eval_fraction <= 0 or eval_fraction >= 1:
        return split
    shared = {m: shas for m, shas in mappings.items() if len(shas) >= 2}
    of_file: dict[str, list[str]] = {}
    for m, shas in shared.items():
        for f in shas:
            of_file.setdefault(f, []).append(m)

    def one_sided(m: str) -> bool:
        return len({split[f] for f in shared[m]}) == 1

    def harm(f: str, target: str) -> int:
        """How many mappings with both sides now would be left one-sided by moving `f`."""
        return sum(1 for m in of_file[f] if not one_sided(m)
                   and all(split[g] == target for g in shared[m] if g != f))

    moves: dict[str, int] = {}        # a file moves twice at most: the search cannot cycle
    best, best_left = dict(split), sum(map(one_sided, shared))
    for _ in range(_MAX_PASSES):
        changed = False
        for m in sorted(shared, key=lambda m: (len(shared[m]), m)):
            candidates = [f for f in shared[m] if moves.get(f, 0) < _MAX_MOVES]
            if not one_sided(m) or not candidates:
                continue
            target = TRAIN if split[candidates[0]] == EVAL else EVAL
            # A move that leaves another mapping one-sided is still taken when nothing better
            # is left: that mapping gets its own turn, with the files not moved too often.
            pick = min(candidates, key=lambda f: (harm(f, target), abs(draw[f] - eval_fraction), f))
            split[pick] = target
            moves[pick] = moves.get(pick, 0) + 1
            changed = True
        left = sum(map(one_sided, shared))
        if left < best_left:
            best, best_left = dict(split), left
        if not changed or not left:
            break
    return best                       # never more mappings one-sided than the hashed split
