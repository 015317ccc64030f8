"""What a notebook costs the language server per keystroke, against the same code as one file.

    python benchmarks/lsp_notebook.py [--lines 2000] [--statements 20] [--seed 0]

The module of benchmarks/lsp_latency.py, cut into cells at its top-level definitions (a
notebook of ~N/20 cells), is opened as a notebook (lsp/notebook.py) and, separately, as a
file. The same statements are typed into both, character by character, then erased. Per
keystroke, in-process: the edit's bookkeeping, the check (lsp.checker.Checker) and the
diagnostics JSON (per cell for the notebook, only cells whose diagnostics changed are sent).
Prints a table and writes benchmarks/results/lsp_notebook.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_bench import build_index  # noqa: E402  (the same real deprecations)
from lsp_latency import _stmt, make_source  # noqa: E402

RESULTS = Path(__file__).parent / "results"
NB = "file:///bench/notebook.ipynb"


def cells_of(source: str) -> list[str]:
    """The module cut before each top-level definition (and its decorators)."""
    return [c.strip("\n") for c in source.split("\n\n\n") if c.strip()]


class FileSide:
    def __init__(self, text: str, index) -> None:
        from apimigrate.lsp.checker import Checker
        from apimigrate.lsp.diagnostics import JsonCache
        from apimigrate.lsp.documents import Document

        self.doc = Document.from_text("file:///bench/notebook.py", 0, text)
        self.index, self.checker, self.cache = index, Checker(), JsonCache()
        self.checker.references_now(self.doc.uri, self.doc.source, self.doc.take_pending(), index)
        self.times: list[float] = []

    def key(self, line: int, col: int, end_line: int, end_col: int, text: str) -> None:
        change = _change(line, col, end_line, end_col, text)
        t0 = time.perf_counter()
        self.doc.apply(change, self.doc.version + 1)
        refs = self.checker.references_now(self.doc.uri, self.doc.source, self.doc.take_pending(), self.index)
        self.cache.items(self.doc, refs, 2, True)
        self.times.append((time.perf_counter() - t0) * 1000)


class NotebookSide:
    def __init__(self, cells: list[str], index) -> None:
        from lsprotocol import types

        from apimigrate.lsp.checker import Checker
        from apimigrate.lsp.diagnostics import CellDiagnostics
        from apimigrate.lsp.notebook import Notebook

        self.uris = [f"{NB}#cell{i}" for i in range(len(cells))]
        self.nb = Notebook(
            types.NotebookDocument(uri=NB, notebook_type="jupyter-notebook", version=1, cells=[
                types.NotebookCell(kind=types.NotebookCellKind.Code, document=u) for u in self.uris]),
            [types.TextDocumentItem(uri=u, language_id="python", version=1, text=t) for u, t in zip(self.uris, cells)])
        self.index, self.checker = index, Checker()
        self.cells = CellDiagnostics()
        self.publish(self.checker.references_now(NB, self.nb.doc.source, self.nb.doc.take_pending(), index))
        self.times: list[float] = []
        self.cells_sent: list[int] = []

    def publish(self, refs) -> int:
        """What the server's publish does for a notebook (lsp/server.py publish_cells), without the sending."""
        return sum(self.cells.changed(cell, cell_refs, 2, True) is not None
                   for cell, cell_refs in self.nb.views(refs))

    def key(self, cell: int, line: int, col: int, end_line: int, end_col: int, text: str) -> None:
        from lsprotocol import types

        uri = self.uris[cell]
        version = self.nb.texts[uri].doc.version + 1
        params = types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=version, uri=NB),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    changes=[_change(line, col, end_line, end_col, text)])])))
        t0 = time.perf_counter()
        self.nb.change(params)
        refs = self.checker.references_now(NB, self.nb.doc.source, self.nb.doc.take_pending(), self.index)
        sent = self.publish(refs)
        self.times.append((time.perf_counter() - t0) * 1000)
        self.cells_sent.append(sent)


def _change(line: int, col: int, end_line: int, end_col: int, text: str):
    from lsprotocol import types

    return types.TextDocumentContentChangePartial(range=types.Range(
        start=types.Position(line=line, character=col), end=types.Position(line=end_line, character=end_col)),
        text=text)


def type_statement(nb: NotebookSide, file: FileSide, cell: int, line: int, stmt: str) -> None:
    """Type `stmt` on a new line after `line` of `cell` (the same place of the file), erase it, join the lines."""
    start = nb.nb.layout()[1][cell]
    text = nb.nb.texts[nb.uris[cell]].doc.line_text(line)
    indent = " " * (len(text) - len(text.lstrip()))
    end, n = len(text), len(indent)

    keys = [(0, end, 0, end, "\n" + indent)]
    keys += [(1, n + i, 1, n + i, ch) for i, ch in enumerate(stmt)]
    keys += [(1, n + i - 1, 1, n + i, "") for i in range(len(stmt), 0, -1)]
    keys += [(0, end, 1, n, "")]
    # Each keystroke on both sides in turn, so the machine's mood is shared by the pair.
    for dl, col, dl_end, end_col, text in keys:
        nb.key(cell, line + dl, col, line + dl_end, end_col, text)
        file.key(start + line + dl, col, start + line + dl_end, end_col, text)


def _stats(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50_ms": round(statistics.median(values), 3),
            "p95_ms": round(values[int(0.95 * (len(values) - 1))], 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--statements", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=RESULTS / "lsp_notebook.json")
    args = ap.parse_args()

    from rich.console import Console
    from rich.table import Table

    index = build_index()
    cells = cells_of(make_source(args.lines, args.seed))
    nb = NotebookSide(cells, index)
    file = FileSide(nb.nb.doc.source.decode(), index)
    before = nb.nb.doc.source
    rng = random.Random(args.seed)
    for _ in range(args.statements):
        cell = rng.randrange(1, len(cells))
        doc = nb.nb.texts[nb.uris[cell]].doc
        body = [i for i in range(doc.line_count) if doc.line_text(i).startswith("    ") and " = " in doc.line_text(i)
                and "#" not in doc.line_text(i)]
        if body:
            type_statement(nb, file, cell, rng.choice(body), _stmt(rng, "typed", rng.random() < 0.33))
    restored = nb.nb.doc.source == before and file.doc.source == before
    result = {
        "what": "per keystroke in-process: edit bookkeeping + Checker + diagnostics JSON, notebook vs the same file",
        "command": " ".join(["python", *sys.argv]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_avg_start": [round(x, 2) for x in os.getloadavg()]},
        "lines": args.lines, "cells": len(cells), "statements": args.statements, "text_restored": restored,
        "file": _stats(file.times), "notebook": _stats(nb.times),
        # The same keystroke on both sides, paired: what the notebook adds, with less of the machine's noise.
        "notebook_minus_file": _stats([n - f for n, f in zip(nb.times, file.times)]),
        "paths": {"file": dict(file.checker.stats), "notebook": dict(nb.checker.stats)},
        "notebook_cells_sent_per_keystroke": round(statistics.mean(nb.cells_sent), 2) if nb.cells_sent else 0,
    }
    table = Table(title=f"Per keystroke, {args.lines:,} lines: one file vs a notebook of {len(cells)} cells")
    for col in ("document", "keystrokes", "p50 ms", "p95 ms"):
        table.add_column(col, justify="left" if col == "document" else "right")
    for name in ("file", "notebook", "notebook_minus_file"):
        s = result[name]
        table.add_row(name.replace("_", " "), str(s["n"]), str(s.get("p50_ms", "-")), str(s.get("p95_ms", "-")))
    Console().print(table)
    print(f"checker paths: {result['paths']}")
    print(f"cells whose diagnostics were sent per keystroke: {result['notebook_cells_sent_per_keystroke']}"
          f"; text restored: {restored}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
