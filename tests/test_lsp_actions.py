"""Fix-all's edits (lsp/actions.py) over real resolver findings: no overlap, nothing lost, nothing twice."""
from __future__ import annotations

from test_lsp_inert import _row

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.lsp.actions import fix_all_edits
from apimigrate.lsp.documents import Document

ROWS = [dict(_row(9, "pandas.datetime", "attribute", "datetime.datetime"), drop_in=1),
        dict(_row(1, "numpy.row_stack", "function", "numpy.vstack"), drop_in=1)]


def apply(text: str, edits) -> str:
    lines = text.split("\n")

    def offset(p) -> int:
        return sum(len(line) + 1 for line in lines[:p.line]) + p.character

    for _, e in sorted(edits, key=lambda de: (de[1].range.start.line, de[1].range.start.character), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def test_fix_all_adds_a_shared_import_once_and_fixes_every_use():
    src = ("import numpy as np\nimport pandas as pd\n\n"
           "a = pd.datetime(2020, 1, 1)\nb = pd.datetime(2021, 1, 1)\nc = np.row_stack([a, b])\n")
    index = DeprecationIndex.from_rows(ROWS)
    doc = Document.from_text("file:///x.py", 1, src)
    fixed = apply(src, fix_all_edits(doc, find_references(src, index)))
    assert fixed == ("import numpy as np\nimport pandas as pd\nfrom datetime import datetime\n\n"
                     "a = datetime(2020, 1, 1)\nb = datetime(2021, 1, 1)\nc = np.vstack([a, b])\n")
    assert find_references(fixed, index) == []
