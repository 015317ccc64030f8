"""benchmarks/lsp_replay.py at a small size: every keystroke is checked on some path and the typed
statements are erased again (the numbers it prints mean something only if both hold)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "lsp_replay.py"


def test_replay_types_and_erases_statements_through_every_path(tmp_path):
    out = tmp_path / "replay.json"
    subprocess.run([sys.executable, str(BENCH), "--lines", "400", "--statements", "3", "--out", str(out)],
                   check=True, capture_output=True, timeout=300)
    result = json.loads(out.read_text())
    assert result["text_restored"] is True
    paths = result["paths"]
    assert paths["inert"]["n"] > 0 and paths["region"]["n"] > 0
    assert sum(p["n"] for p in paths.values()) > 60          # three statements, one keystroke each char
