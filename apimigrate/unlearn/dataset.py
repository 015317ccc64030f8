"""Build the contrastive unlearning dataset from a corpus of real code.

    OUT/train.jsonl, OUT/eval.jsonl          one pair per line (see pairs.Pair), with "split"
    OUT/retain_train.jsonl, retain_eval.jsonl  chunks of files that use no deprecated API
    OUT/manifest.json                        the DB state and options it was built from, counts
    OUT/staging.sqlite                       each file's results, so an interrupted build resumes

Files are read on every core (check's process pool); each finished file is stored before the
next, and the JSONL files are replaced only once the whole corpus is done.
"""
from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from apimigrate.callsites import DeprecationIndex
from apimigrate.check.runner import iter_files, load_source
from apimigrate.db import ClassFacts
from apimigrate.files import UndecodableSource, original_text, read_regular
from apimigrate.jsonfiles import write_json, write_jsonl

from .pairs import FilePairs, pairs_in_source, retain_chunks
from .splits import EVAL, TRAIN, assign_splits
from .staging import STAGING_NAME, Staging, StagingError, unusable

# 2: pairs of deprecated values with their equivalents (kind "value", field `value`)
FORMAT = 2
OUTPUTS = ("train.jsonl", "eval.jsonl", "retain_train.jsonl", "retain_eval.jsonl", "manifest.json")


class DatasetError(Exception):
    """The build cannot go on; the message is one line for the user."""


class StaleBuild(DatasetError):
    """The folder holds a build made from another DB state or other options."""


@dataclass(frozen=True)
class BuildOptions:
    context_chars: int = 16000      # the context kept before each line (its tail, whole lines)
    include_pending: bool = False   # also deprecations only announced so far
    retain_lines: int = 60          # lines per retain chunk
    retain_per_file: int = 2        # retain chunks taken from one file at most
    eval_fraction: float = 0.1      # share of files held out for evaluation
    seed: int = 0                   # changes which files are held out

    def per_file(self) -> dict:
        """The options that shape each file's stored records; a resumed build must share them."""
        return {k: v for k, v in asdict(self).items() if k not in ("eval_fraction", "seed")}


def pairs_file(path: str, index: DeprecationIndex | None, ignore: frozenset[str], *,
               options: BuildOptions) -> FilePairs:
    """One file's pairs, or its retain chunks when it uses no deprecated API (a pool worker)."""
    assert index is not None
    source = load_source(path)
    result = FilePairs(path, sha256=hashlib.sha256(source.original.encode("utf-8")).hexdigest())
    if source.error or source.text is None:
        result.error = source.error
        return result
    text = source.text
    refs: list = []
    if index.could_match(text.encode("utf-8")):
        result.pairs, result.dropped, refs = pairs_in_source(
            text, index, path, context_chars=options.context_chars, include_pending=options.include_pending,
            tree=source.tree)
    if not refs:
        result.retain = retain_chunks(text, path, lines_per_chunk=options.retain_lines,
                                      per_file=options.retain_per_file)
    return result


def _sha(path: str) -> str | None:
    """The hash `pairs_file` stores for the file as it is now (of its text, whatever its encoding)."""
    try:
        text = original_text(path, read_regular(path))     # a FIFO named would block a plain read
    except (OSError, UndecodableSource):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_dataset(paths: list[Path], out: Path, rows: list[dict], *, classes: ClassFacts | None,
                  fingerprint: str, options: BuildOptions = BuildOptions(), jobs: int | None = None,
                  fresh: bool = False, on_file: Callable[[int, int], None] | None = None) -> dict:
    """Read every file in `paths` not already stored in `out` (or changed since), then write
    the dataset; returns the manifest. `on_file(done, total)` after each file."""
    out.mkdir(parents=True, exist_ok=True)
    staging_path = out / STAGING_NAME
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(str(staging_path) + suffix).unlink(missing_ok=True)
    try:
        staging = Staging(staging_path)
    except StagingError as exc:
        raise DatasetError(str(exc)) from exc
    try:
        _check_meta(staging, fingerprint, options)
        names = [str(p) for p in paths]
        stored, wanted = staging.done(), set(names)
        staging.forget([p for p in stored if p not in wanted])
        todo = [Path(n) for n in names if n not in stored or stored[n] != _sha(n)]
        if on_file is not None:
            on_file(len(names) - len(todo), len(names))
        work = functools.partial(pairs_file, options=options)
        for count, (_, result) in enumerate(iter_files(todo, rows, classes=classes, jobs=jobs, work=work), 1):
            staging.store(result)
            if on_file is not None:
                on_file(len(names) - len(todo) + count, len(names))
        return export(staging, out, options, fingerprint)
    except sqlite3.DatabaseError as exc:    # damaged where opening it did not look (a page midway)
        raise DatasetError(str(unusable(staging_path, exc))) from exc
    finally:
        staging.close()


def _check_meta(staging: Staging, fingerprint: str, options: BuildOptions) -> None:
    want = {"format": FORMAT, "db_fingerprint": fingerprint, "options": options.per_file()}
    have = staging.meta()
    if not have:
        staging.set_meta(want)
        return
    for key, what in (("format", "another apimigrate version"), ("db_fingerprint", "another state of the DB"),
                      ("options", "other options")):
        if have.get(key) != want[key]:
            raise StaleBuild(f"{staging.path.parent} holds a build from {what}; "
                               "pass --fresh to start it over")


def export(staging: Staging, out: Path, options: BuildOptions, fingerprint: str) -> dict:
    """Split the stored records and write the JSONL files and the manifest, each atomically."""
    files = list(staging.files())
    canonical: dict[str, str] = {}          # sha256 -> the first path with that content
    for f in files:
        if f["error"] is None:
            canonical.setdefault(f["sha256"], f["path"])
    keep = {path: sha for sha, path in canonical.items()}
    pairs = [(path, r) for path, r in staging.records("pairs") if path in keep]
    retain = [(path, r) for path, r in staging.records("retain") if path in keep]
    mapping_files: dict[str, set[str]] = defaultdict(set)
    for path, r in pairs:
        mapping_files[r["mapping"]].add(keep[path])
    split = assign_splits(sorted(canonical), mapping_files, options.eval_fraction, options.seed)
    written: dict[str, int] = {}
    for name, records, side in (("train.jsonl", pairs, TRAIN), ("eval.jsonl", pairs, EVAL),
                                ("retain_train.jsonl", retain, TRAIN), ("retain_eval.jsonl", retain, EVAL)):
        chosen = [{**r, "split": side} for path, r in records if split[keep[path]] == side]
        write_jsonl(out / name, chosen)
        written[name] = len(chosen)
    manifest = _manifest(files, pairs, split, keep, written, options, fingerprint)
    write_json(out / "manifest.json", manifest)
    return manifest


def empty_split(manifest: dict) -> str | None:
    """Why one side of the split got no pair while the other got some, and what to do, in one
    line; None when both have pairs, when there are none, or when --eval-fraction 0 or 1 asked
    for it. A file goes wholly to one side, so a corpus with few files that use deprecated APIs
    can leave eval empty (and `evaluate` with no probes) at the default fraction."""
    pairs, fraction = manifest["pairs"], manifest["options"]["eval_fraction"]
    files = manifest["files"]["with_pairs"]
    if pairs[EVAL] == 0 and pairs[TRAIN] > 0 and fraction > 0:
        return (f"the eval split has no pairs: all {files} file(s) with pairs went to train (a file goes wholly "
                f"to one side, and --eval-fraction {fraction:g} holds out {files * fraction:.2g} of them on "
                "average); give more files that use deprecated APIs, or a larger --eval-fraction")
    if pairs[TRAIN] == 0 and pairs[EVAL] > 0 and fraction < 1:
        return (f"the train split has no pairs: all {files} file(s) with pairs went to eval (a file goes wholly "
                f"to one side); give more files that use deprecated APIs, or a smaller --eval-fraction "
                f"(now {fraction:g})")
    return None


def _manifest(files: list[dict], pairs: list[tuple[str, dict]], split: dict[str, str], keep: dict[str, str],
              written: dict[str, int], options: BuildOptions, fingerprint: str) -> dict:
    dropped: Counter = Counter()
    for f in files:
        dropped.update(f["dropped"])
    per_mapping: dict[str, dict] = {}
    for path, r in pairs:
        entry = per_mapping.setdefault(r["mapping"], {
            "mapping": r["mapping"], "library": r["library"], "api": r["api"],
            "replacement": r["replacement"], TRAIN: 0, EVAL: 0})
        entry[split[keep[path]]] += 1
    return {
        "format": FORMAT,
        "db_fingerprint": fingerprint,
        "options": asdict(options),
        "files": {"read": len(files), "errors": sum(1 for f in files if f["error"]),
                  "duplicates": sum(1 for f in files if f["error"] is None) - len(keep),
                  "with_pairs": len({p for p, _ in pairs})},
        "pairs": {TRAIN: written["train.jsonl"], EVAL: written["eval.jsonl"]},
        "retain": {TRAIN: written["retain_train.jsonl"], EVAL: written["retain_eval.jsonl"]},
        "dropped": dict(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))),
        "mappings": sorted(per_mapping.values(), key=lambda m: (-(m[TRAIN] + m[EVAL]), m["mapping"])),
        "errors": [{"path": f["path"], "error": f["error"]} for f in files if f["error"]],
    }
