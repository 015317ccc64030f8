"""How much of the libraries' Cython the scanner reads: each .pyx of their sdists, rewritten as
Python (apimigrate/scan/cython_source.py) and parsed with tree-sitter, and what the scan takes from them.

    python benchmarks/cython_coverage.py [--libraries numpy pandas scipy scikit-learn]

For each installed library: its sdist (from the cache, else pip's index, as `apimigrate scan` gets it),
every .pyx file outside tests, whether its Python view parses (the first error line where not), and
how many of them are sources of modules the installed wheel has only compiled (what `scan` adds from
the sdist). Results: benchmarks/results/cython_coverage.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
from pathlib import Path

import tree_sitter_python
from rich.console import Console
from rich.table import Table
from tree_sitter import Language, Parser

from apimigrate.scan.cython_source import python_view
from apimigrate.scan.fetch import dists_dir, fetch_sdist
from apimigrate.scan.runner import _archive_tree, compiled_sources
from apimigrate.scan.targets import installed_tree

RESULTS = Path(__file__).parent / "results" / "cython_coverage.json"
_PARSER = Parser(Language(tree_sitter_python.language()))


def first_error_line(view: str) -> int | None:
    """1-based line of the smallest error node of the view's parse, None when it parses."""
    root = _PARSER.parse(view.encode()).root_node
    if not root.has_error:
        return None
    errors, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            errors.append(node)
        stack.extend(node.children)
    smallest = min(errors, key=lambda n: n.end_byte - n.start_byte, default=root)
    return smallest.start_point[0] + 1


def measure(library: str) -> dict:
    version = importlib.metadata.version(library)
    sdist = fetch_sdist(library, version, dists_dir())
    if sdist is None:
        return {"version": version, "error": "no sdist in the cache or on the index"}
    tree = _archive_tree(sdist, library, version)
    files = [f for f in tree.files if f.is_cython]
    failed = []
    for f in files:
        try:
            line = first_error_line(python_view(f.path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, ValueError) as exc:
            failed.append({"path": f.rel, "error": str(exc)})
            continue
        if line is not None:
            failed.append({"path": f.rel, "line": line})
    read = compiled_sources(installed_tree(library), tree)
    return {"version": version, "sdist": sdist.name, "pyx": len(files), "parsed": len(files) - len(failed),
            "failed": failed, "compiled_modules_read": len(read)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--libraries", nargs="+", default=["numpy", "pandas", "scipy", "scikit-learn"])
    args = ap.parse_args()
    results = {lib: measure(lib) for lib in args.libraries}
    table = Table(title="Cython sources (.pyx) of the sdists, read as Python")
    for col in ("library", "version", ".pyx files", "parsed", "failed", "sources of compiled modules the scan adds"):
        table.add_column(col)
    for lib, r in results.items():
        if "error" in r:
            table.add_row(lib, r["version"], "—", "—", r["error"], "—")
            continue
        table.add_row(lib, r["version"], str(r["pyx"]), str(r["parsed"]), str(len(r["failed"])),
                      str(r["compiled_modules_read"]))
    Console().print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"command": "python benchmarks/cython_coverage.py",
                                   "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                                   "libraries": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
