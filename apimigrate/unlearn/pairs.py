"""Contrastive pairs from real code: the context, the line with the deprecated API, the same
line rewritten with its replacement, and where the API is spelled in each line.

A pair exists only where the call-site resolver rewrites the use exactly and the rewrite
keeps the context before that line as it is (`np.product(x)` -> `np.prod(x)`); a use matched
by name on a value of unknown type, one in compatibility code, one whose rewrite changes an
earlier line (the import of a renamed name) or that has none is counted under its reason and
dropped, never guessed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from tree_sitter import Node, Tree

from apimigrate.callsites import DeprecationIndex, Edit, Reference, find_references, parse
from apimigrate.db.records import new_values_of

# Reference kinds a pair can be made of: the API itself (called, referred to, imported), a
# renamed keyword, or a deprecated value the library names an equivalent of (`loss="log"` ->
# `loss="log_loss"`: rewritten only then). Defaults and positional uses are advice, not renames.
PAIR_KINDS = frozenset({"call", "reference", "attribute", "import", "keyword", "value"})


@dataclass
class Pair:
    """One (x, y⁻, y⁺) triple. `line` is 0-based, the index of the line in the file (`check`
    and evaluate's probe keys show it 1-based); spans are [start, end) character offsets
    into their line, covering the part the rewrite changes (`product` in `np.product(x)`)."""
    mapping: str
    library: str
    api: str
    replacement: str                  # the replacement API; the new keyword; the equivalent value
    kind: str                         # how the line uses the API (a call, an import, a keyword...)
    parameter: str | None             # the deprecated keyword, or the parameter of a deprecated value
    path: str
    line: int
    context: str                      # the file's text before the line (its tail, see `context_chars`)
    imports: str                      # the file's import statements before the line, for resolving aliases
    deprecated_line: str
    replacement_line: str
    deprecated_spans: list[list[int]]
    replacement_spans: list[list[int]]
    value: str | None = None          # the deprecated value (a canonical literal), for kind "value"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FilePairs:
    """What one file gives the dataset: pairs, retain chunks (when it uses no deprecated API),
    and why the uses that made no pair were dropped."""
    path: str
    sha256: str = ""
    pairs: list[Pair] = field(default_factory=list)
    retain: list[dict] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    error: str | None = None


def mapping_key(row: dict, value: str | None = None) -> str:
    """The mapping a pair teaches: `numpy.product -> numpy.prod`, for a renamed keyword
    `pandas.read_csv(delim_whitespace=) -> pandas.read_csv(sep=)`, and for a deprecated `value`
    `sklearn.linear_model.SGDClassifier(loss='log') -> sklearn.linear_model.SGDClassifier(loss='log_loss')`."""
    if value is not None and row.get("parameter"):
        api, param = row["api"], row["parameter"]
        return f"{api}({param}={value}) -> {api}({param}={new_values_of(row).get(value, '')})"
    if row.get("kind") == "parameter" and row.get("parameter"):
        return f"{row['api']}({row['parameter']}=) -> {row['api']}({row.get('new_parameter') or ''}=)"
    return f"{row['api']} -> {row.get('replacement') or ''}"


def drop_reason(ref: Reference, include_pending: bool = False) -> str | None:
    """Why `ref` makes no pair, or None when it may."""
    if ref.compat:
        return "compatibility code"
    if ref.pending and not include_pending:
        return "pending deprecation"
    if ref.by_name:
        return "matched by name only"
    if ref.kind not in PAIR_KINDS:
        return f"{ref.kind} use"
    if ref.rewrite is None:
        return "no exact rewrite"
    # Edits after the line belong to code the example never shows (`from numpy import product`
    # is a pair on its own even though the rewrite also renames later calls); an edit before
    # it would change the context the two lines must share.
    if any(e.line < ref.line for e in ref.rewrite.edits):
        return "rewrite changes the context"
    if any(e.line == ref.line and e.end_line != ref.line for e in ref.rewrite.edits):
        return "rewrite spans lines"
    return None


def line_edits(ref: Reference) -> list[Edit]:
    """The edits of `ref`'s rewrite on its own line."""
    assert ref.rewrite is not None
    return [e for e in ref.rewrite.edits if e.line == e.end_line == ref.line]


def rewrite_line(line: str, edits: list[Edit]) -> tuple[str, list[list[int]], list[list[int]]]:
    """`line` with `edits` (all on it) applied, and the changed spans before and after."""
    new, old_spans, new_spans = [], [], []
    last = shift = 0
    for e in sorted(set(edits), key=lambda e: (e.col, e.end_col)):
        old_text = line[e.col:e.end_col]
        start, old_end, new_end = _trim_common_head(old_text, e.new_text)
        new.append(line[last:e.col])
        new.append(e.new_text)
        old_spans.append([e.col + start, e.col + old_end])
        new_spans.append([e.col + shift + start, e.col + shift + new_end])
        shift += len(e.new_text) - (e.end_col - e.col)
        last = e.end_col
    new.append(line[last:])
    return "".join(new), old_spans, new_spans


def _trim_common_head(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end) of the part that changes, leaving out whole dotted names both
    begin with: `np.product` -> `np.prod` changes `product` -> `prod`, not `np.`."""
    start = 0
    while True:
        dot = old.find(".", start)
        if dot < 0 or old[:dot + 1] != new[:dot + 1]:
            break
        start = dot + 1
    return start, len(old), len(new)


def _tail(text: str, limit: int) -> str:
    """The last `limit` characters of `text`, cut back to a whole line."""
    if len(text) <= limit:
        return text
    cut = text.find("\n", len(text) - limit)
    return "" if cut < 0 else text[cut + 1:]


def pairs_in_source(text: str, index: DeprecationIndex, path: str, *, context_chars: int = 16000,
                    include_pending: bool = False, tree: Tree | None = None) -> tuple[list[Pair], Counter, list[Reference]]:
    """Every pair `text` yields, the drop reasons of the uses that yield none, and all the
    references found (a file without any can serve the retain set); `tree`: its parse, if made."""
    data = text.encode("utf-8")
    tree = tree or parse(data)
    refs = find_references(data, index, tree=tree)
    lines = text.split("\n")
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    imports = import_statements(tree.root_node, data)
    pairs: list[Pair] = []
    dropped: Counter = Counter()
    for ref in refs:
        reason = drop_reason(ref, include_pending)
        if reason is None:
            line = lines[ref.line].removesuffix("\r")
            new_line, old_spans, new_spans = rewrite_line(line, line_edits(ref))
            if not any(b > a for a, b in old_spans) or not any(b > a for a, b in new_spans):
                reason = "nothing to mask"        # an insertion or a deletion spells no API on one side
            elif new_line == line:
                reason = "rewrite changes nothing"
        if reason is not None:
            dropped[reason] += 1
            continue
        row = ref.row
        value = ref.value if ref.kind == "value" else None
        replacement = row.get("new_parameter") if ref.kind == "keyword" else \
            new_values_of(row).get(value or "") if value is not None else row.get("replacement")
        pairs.append(Pair(
            mapping=mapping_key(row, value), library=row.get("library") or row["api"].split(".")[0],
            api=row["api"], replacement=replacement or "", kind=ref.kind, value=value,
            parameter=row.get("parameter") if ref.kind in ("keyword", "value") else None, path=path, line=ref.line,
            context=_tail(text[:offsets[ref.line]], context_chars),
            imports="".join(imp for pos, imp in imports if pos < ref.line),
            deprecated_line=line, replacement_line=new_line,
            deprecated_spans=old_spans, replacement_spans=new_spans))
    return pairs, dropped, refs


def import_statements(root: Node, data: bytes) -> list[tuple[int, str]]:
    """(line, statement) of every import in the tree, at any depth, each moved to column 0 and
    ending in a newline, so together they read as the module's imports."""
    out: list[tuple[int, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("import_statement", "import_from_statement", "future_import_statement"):
            # Continuation lines need no particular indent: the statement reads the same at column 0.
            out.append((node.start_point[0], data[node.start_byte:node.end_byte].decode("utf-8") + "\n"))
            continue
        if node.type in ("string", "comment"):
            continue
        stack.extend(reversed(node.children))
    return sorted(out)


def retain_chunks(text: str, path: str, *, lines_per_chunk: int = 60, per_file: int = 2,
                  min_code_lines: int = 8) -> list[dict]:
    """Up to `per_file` evenly spaced windows of `lines_per_chunk` lines of a file that uses no
    deprecated API: the retain set that guards the model's general ability to write code."""
    lines = text.split("\n")
    if per_file <= 0 or not lines:
        return []
    starts = range(0, max(len(lines) - lines_per_chunk, 0) + 1, lines_per_chunk)
    windows = [s for s in starts
               if sum(1 for ln in lines[s:s + lines_per_chunk] if ln.strip()) >= min_code_lines]
    if len(windows) > per_file:
        step = len(windows) / per_file
        windows = [windows[int(i * step)] for i in range(per_file)]
    return [{"path": path, "line": s, "text": "\n".join(lines[s:s + lines_per_chunk])} for s in windows]
