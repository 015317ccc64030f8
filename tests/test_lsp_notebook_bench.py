"""benchmarks/lsp_notebook.py at a small size: both sides take the same keystrokes through the same
checker paths and end on the text they started from (its comparison means something only then)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "lsp_notebook.py"


def test_notebook_and_file_take_the_same_keystrokes_the_same_way(tmp_path):
    out = tmp_path / "notebook.json"
    subprocess.run([sys.executable, str(BENCH), "--lines", "400", "--statements", "3", "--out", str(out)],
                   check=True, capture_output=True, timeout=300)
    result = json.loads(out.read_text())
    assert result["text_restored"] is True and result["cells"] > 3
    assert result["file"]["n"] == result["notebook"]["n"] > 60
    assert result["paths"]["file"] == result["paths"]["notebook"]
    assert result["paths"]["notebook"]["region"] > 0
