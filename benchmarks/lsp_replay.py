"""The editor's checker without the server: which path each keystroke takes and what it costs.

    python benchmarks/lsp_replay.py [--lines 5000] [--statements 25] [--seed 0]

Replays the `new-line` typing of benchmarks/lsp_latency.py (a statement typed below an existing
one with auto-closed brackets, erased, the lines joined again) straight into `lsp.checker.Checker`,
in-process, so the time is the check alone (no JSON-RPC, no diagnostics JSON): per path (inert,
region, full) how many keystrokes took it and their p50/p95. Prints a table and writes
benchmarks/results/lsp_replay.json. Compare commits by running it on each, back to back.
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
from lsp_latency import PAIRS, _stmt, make_source  # noqa: E402

RESULTS = Path(__file__).parent / "results"


class Replay:
    def __init__(self, source: str, index) -> None:
        from apimigrate.lsp.checker import Checker
        from apimigrate.lsp.documents import Document

        self.doc = Document.from_text("file:///bench/replay.py", 0, source)
        self.index = index
        self.checker = Checker()
        self.checker.references_now(self.doc.uri, self.doc.source, self.doc.take_pending(), index)
        self.times: dict[str, list[float]] = {"inert": [], "region": [], "full": []}

    def key(self, line: int, col: int, end_line: int, end_col: int, text: str) -> None:
        from lsprotocol import types

        rng = types.Range(start=types.Position(line=line, character=col),
                          end=types.Position(line=end_line, character=end_col))
        self.doc.apply(types.TextDocumentContentChangePartial(range=rng, text=text), self.doc.version + 1)
        before = dict(self.checker.stats)
        t0 = time.perf_counter()
        self.checker.references_now(self.doc.uri, self.doc.source, self.doc.take_pending(), self.index)
        elapsed = (time.perf_counter() - t0) * 1000
        path = next(k for k, v in self.checker.stats.items() if v != before[k])
        self.times[path].append(elapsed)

    def line(self, i: int) -> str:
        return self.doc.source.decode().split("\n")[i]

    def new_statement(self, line: int, stmt: str) -> None:
        """Type `stmt` on a new line below `line` (auto-closing pairs), erase it, join the lines."""
        text = self.line(line)
        indent = text[: len(text) - len(text.lstrip())]
        self.key(line, len(text), line, len(text), "\n" + indent)
        cur, closers = len(indent), []
        for ch in stmt:
            if closers and ch == closers[-1] and self.line(line + 1)[cur:cur + 1] == ch:
                closers.pop()
            else:
                typed = ch + PAIRS[ch] if ch in PAIRS and ch not in "\"'" else ch
                self.key(line + 1, cur, line + 1, cur, typed)
                if len(typed) == 2:
                    closers.append(typed[1])
            cur += 1
        for i in range(len(self.line(line + 1)) - len(indent), 0, -1):
            self.key(line + 1, len(indent) + i - 1, line + 1, len(indent) + i, "")
        self.key(line + 1, 0, line + 1, len(indent), "")
        self.key(line, len(text), line + 1, 0, "")


def _stats(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(values), "p50_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3)} if values else {"n": 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--statements", type=int, default=25)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=RESULTS / "lsp_replay.json")
    args = ap.parse_args()

    from rich.console import Console
    from rich.table import Table

    index = build_index()
    source = make_source(args.lines, args.seed)
    rng = random.Random(args.seed)
    replay = Replay(source, index)
    lines = source.split("\n")
    candidates = [i for i, text in enumerate(lines) if text.startswith("        ") and " = " in text and "#" not in text]
    for _ in range(args.statements):
        replay.new_statement(rng.choice(candidates), _stmt(rng, "typed", rng.random() < 0.33))
    same = replay.doc.source.decode() == source
    result = {
        "what": "in-process Checker time per keystroke by path, new-line typing of benchmarks/lsp_latency.py",
        "command": " ".join(["python", *sys.argv]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_avg_start": [round(x, 2) for x in os.getloadavg()]},
        "file_lines": args.lines, "statements": args.statements, "text_restored": same,
        "paths": {k: _stats(v) for k, v in replay.times.items()},
    }
    table = Table(title=f"Checker per keystroke, {args.lines:,}-line module, {args.statements} typed statements")
    for col in ("path", "keystrokes", "p50 ms", "p95 ms"):
        table.add_column(col, justify="left" if col == "path" else "right")
    for path, s in result["paths"].items():
        table.add_row(path, str(s["n"]), str(s.get("p50_ms", "-")), str(s.get("p95_ms", "-")))
    Console().print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
