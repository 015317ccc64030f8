"""Recall of `apimigrate check` against the libraries' own tests of their deprecations.

    python benchmarks/check_recall.py [--db PATH] [--jobs N] [--misses N]

A library's test suite says, line by line, where its deprecations fire: pandas' tests wrap each
deprecated use in ``with tm.assert_produces_warning(FutureWarning, match=...)``, scikit-learn's
and scipy's in ``with pytest.warns(FutureWarning|DeprecationWarning)`` or ``pytest.deprecated_call()``,
numpy's in ``assert_warns(DeprecationWarning, f, ...)`` and ``self.assert_deprecated(f)`` too (from
the def of ``f`` when the test defines it). Each such block is a use the library itself expects
to warn of a deprecation; a block counts as found when `apimigrate check` (restricted to that
library, pending and compatibility findings included) reports a finding on one of its lines.

The database is a scan of the installed numpy, pandas, scipy and scikit-learn (benchmarks/
scan_audit.py's, torch left out: its wheel ships no tests), or `--db`. Not every block is a use a
checker could see: some test the deprecation machinery on functions the test defines, some pass a
deprecated value held in a fixture, some use a receiver whose type only the run knows; those count
as missed all the same, so this is a floor. The misses listed (a fixed-seed sample) say where.
Results: benchmarks/results/check_recall.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import tree_sitter_python
from rich.console import Console
from rich.table import Table
from tree_sitter import Language, Node, Parser

from apimigrate.scan.syntax import ancestor, call_args
from apimigrate.scan.syntax import node_text as _text
from scan_audit import given_or_scanned, load_rows

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "check_recall.json"
LIBRARIES = {"numpy": "numpy", "pandas": "pandas", "scipy": "scipy", "scikit-learn": "sklearn"}
# Categories that mean deprecated (pandas' versioned FutureWarnings and numpy's visible one included).
DEPRECATION = {"DeprecationWarning", "FutureWarning", "PendingDeprecationWarning", "VisibleDeprecationWarning",
               "Pandas4Warning", "Pandas5Warning", "Pandas6Warning"}
# Context managers and calls that assert a warning: the category is their first argument or keyword.
ASSERTERS = {"warns", "assert_produces_warning", "maybe_produces_warning", "assert_warns", "deprecated_call"}
_PARSER = Parser(Language(tree_sitter_python.language()))


@dataclass(frozen=True)
class Block:
    path: str          # relative to the site-packages folder
    first: int         # 1-based lines the expected warning may come from
    last: int
    category: str
    text: str          # the block's first line, for the misses listed
    # lines of `x = Cls(...)` above a block whose first method call is `x.fit(...)`: scikit-learn
    # warns in fit of a parameter the constructor was given, and check reports it there
    constructor: tuple[int, int] | None = None


def _category(call: Node) -> str | None:
    """The deprecation category a warning-asserting call expects, if it expects one."""
    name = _text(call.child_by_field_name("function")).rsplit(".", 1)[-1]
    if name not in ASSERTERS:
        return None
    if name == "deprecated_call":
        return "DeprecationWarning"
    positional, keywords = call_args(call)
    first = keywords.get("expected_warning") or keywords.get("warning") or (positional[0] if positional else None)
    names = [_text(n).rsplit(".", 1)[-1] for n in (first.named_children if first is not None and first.type == "tuple"
                                                    else [first] if first is not None else [])]
    return next((n for n in names if n in DEPRECATION), None)


def blocks_of(path: Path, rel: str) -> list[Block]:
    """Every `with <asserter>(<deprecation>)` body and every `assert_warns(<deprecation>, f, ...)` call."""
    try:
        tree = _PARSER.parse(path.read_bytes())
    except OSError:
        return []
    out: list[Block] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if node.type == "with_statement":
            clause = next((c for c in node.named_children if c.type == "with_clause"), None)
            items = [i.named_children[0] for i in clause.named_children if i.named_children] if clause else []
            cats = [c for c in (_category(i) for i in items if i.type == "call") if c]
            body = node.child_by_field_name("body")
            if cats and body is not None:
                # the with line too: `with pytest.warns(...), np.foo():` uses it in the clause
                out.append(Block(rel, node.start_point[0] + 1, body.end_point[0] + 1, cats[0],
                                 _first_line(body), _receiver_binding(node, body)))
        elif node.type == "call" and _text(node.child_by_field_name("function")).rsplit(".", 1)[-1] == "assert_warns" \
                and node.parent is not None and node.parent.type != "with_item":
            cat = _category(node)
            positional, keywords = call_args(node)
            if cat and len(positional) + len(keywords) > 1:
                out.append(Block(rel, node.start_point[0] + 1, node.end_point[0] + 1, cat, _text(node).split("\n")[0]))
        elif node.type == "call" and _text(node.child_by_field_name("function")).rsplit(".", 1)[-1] == "assert_deprecated":
            block = _assert_deprecated_block(node, rel)
            if block is not None:
                out.append(block)
    return out


def _assert_deprecated_block(call: Node, rel: str) -> Block | None:
    """numpy's `self.assert_deprecated(f, args=...)` (test_deprecations.py): `f` (a lambda, a
    function, or one the test defines just before) is expected to warn; `num=0` expects none."""
    positional, keywords = call_args(call)
    if not positional or _text(keywords.get("num")) == "0":
        return None
    first = call.start_point[0] + 1
    func = ancestor(call, ("function_definition",))
    if positional[0].type == "identifier" and func is not None:
        # the use sits in the def the test hands over: from that def on
        for d in _defs_in(func.child_by_field_name("body")):
            if _text(d.child_by_field_name("name")) == _text(positional[0]) and d.start_byte < call.start_byte:
                first = min(first, d.start_point[0] + 1)
    cls = ancestor(call, ("class_definition",))
    visible = cls is not None and "Visible" in _text(cls.child_by_field_name("superclasses"))
    return Block(rel, first, call.end_point[0] + 1, "VisibleDeprecationWarning" if visible else "DeprecationWarning",
                 _text(call).split("\n")[0])


def _receiver_binding(stmt: Node, body: Node) -> tuple[int, int] | None:
    """The lines of the last `x = Something(...)` above `stmt`, in its function, where the body's
    first method call is on `x`."""
    call = next((n for n in _preorder(body) if n.type == "call"
                 and n.child_by_field_name("function").type == "attribute"
                 and n.child_by_field_name("function").child_by_field_name("object").type == "identifier"), None)
    func = ancestor(stmt, ("function_definition",))
    if call is None or func is None:
        return None
    name = _text(call.child_by_field_name("function").child_by_field_name("object"))
    bound = None
    for n in _preorder(func.child_by_field_name("body")):
        if n.type == "assignment" and n.end_byte <= stmt.start_byte and _text(n.child_by_field_name("left")) == name \
                and n.child_by_field_name("right") is not None and n.child_by_field_name("right").type == "call":
            bound = n
    return (bound.start_point[0] + 1, bound.end_point[0] + 1) if bound is not None else None


def _preorder(node: Node | None):
    """Nodes in source order, not entering nested functions or classes."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        yield n
        stack.extend(c for c in reversed(n.named_children) if c.type not in ("function_definition", "class_definition"))


def _defs_in(block: Node | None) -> list[Node]:
    """The function definitions directly in a block (a test's own helpers)."""
    out = []
    for stmt in block.named_children if block is not None else ():
        inner = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if inner is not None and inner.type == "function_definition":
            out.append(inner)
    return out


def _first_line(body: Node) -> str:
    first = body.named_children[0] if body.named_children else body
    return _text(first).split("\n")[0][:120]


def test_files(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("test*.py") if "tests" in p.parts or "testing" in p.parts)


def check(files: list[Path], library: str, db: Path, jobs: int, base: Path) -> dict[str, set[int]]:
    """Lines with a finding, per file (relative to `base`)."""
    cmd = [sys.executable, "-m", "apimigrate.cli.main", "check", *map(str, files), "--db", str(db), "--format",
           "json", "-j", str(jobs), "--isolated", "--select", library, "--include-pending", "--include-compat"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"check failed: {proc.stderr.strip().splitlines()[-1:]}")
    lines: dict[str, set[int]] = defaultdict(set)
    for f in json.loads(proc.stdout or "[]"):
        rel = str(Path(f["path"]).resolve().relative_to(base.resolve()))
        lines[rel].update(range(int(f["line"]), int(f.get("end_line") or f["line"]) + 1))
    return lines


def measure(library: str, db: Path, jobs: int) -> tuple[list[Block], list[Block], int]:
    spec = importlib.util.find_spec(LIBRARIES[library])
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{library} is not installed")
    package = Path(list(spec.submodule_search_locations)[0])
    base = package.parent
    files = test_files(package)
    blocks = [b for p in files for b in blocks_of(p, str(p.relative_to(base)))]
    with_blocks = sorted({b.path for b in blocks})
    found_lines = check([base / p for p in with_blocks], library, db, jobs, base) if with_blocks else {}
    found = [b for b in blocks if any(n in found_lines.get(b.path, ()) for n in range(b.first, b.last + 1))]
    # a constructor line inside a warning block of its own is that block's use, not this one's
    in_blocks = {(b.path, n) for b in blocks for n in range(b.first, b.last + 1)}
    at_constructor = [b for b in blocks if b not in found and b.constructor is not None
                      and not any((b.path, n) in in_blocks for n in range(b.constructor[0], b.constructor[1] + 1))
                      and any(n in found_lines.get(b.path, ()) for n in range(b.constructor[0], b.constructor[1] + 1))]
    return blocks, found, at_constructor, len(files)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="check against this DB instead of scanning into a fresh one")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--misses", type=int, default=25, help="misses to list per library (fixed-seed sample)")
    ap.add_argument("--seed", type=int, default=20261124)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = given_or_scanned(args.db, tmp, args.jobs)
        _, versions = load_rows(db)
        report: dict[str, dict] = {}
        for library in LIBRARIES:
            blocks, found, at_constructor, nfiles = measure(library, db, args.jobs)
            missed = sorted(set(blocks) - set(found), key=lambda b: (b.path, b.first))
            by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for b in blocks:
                by_cat[b.category][0] += 1
            for b in found:
                by_cat[b.category][1] += 1
            rng = random.Random(args.seed)
            report[library] = {
                "version": versions.get(library), "test_files": nfiles, "blocks": len(blocks), "found": len(found),
                "recall_pct": round(100.0 * len(found) / len(blocks), 1) if blocks else None,
                # missed blocks whose receiver's constructor line has a finding (not counted as found)
                "found_at_constructor": len(at_constructor),
                "by_category": {c: {"blocks": n, "found": k} for c, (n, k) in sorted(by_cat.items())},
                "misses_sample": [asdict(b) for b in rng.sample(missed, min(args.misses, len(missed)))],
            }
    con = Console(width=150)
    t = Table(title="check recall on the libraries' own deprecation tests")
    for col in ("library", "test files", "warning blocks", "found", "recall %", "missed, found at its constructor"):
        t.add_column(col, justify="left" if col == "library" else "right")
    for lib, r in report.items():
        t.add_row(f"{lib} {r['version']}", str(r["test_files"]), str(r["blocks"]), str(r["found"]),
                  "-" if r["recall_pct"] is None else f"{r['recall_pct']:.1f}", str(r["found_at_constructor"]))
    con.print(t)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "check_command": "apimigrate check FILES --db DB --format json --isolated --select LIB "
                         "--include-pending --include-compat",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "libraries": report,
    }, indent=2) + "\n")


if __name__ == "__main__":
    main()
