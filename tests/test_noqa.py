"""`# noqa` comments (callsites/noqa.py) in `check`, `fix` and notebooks: the flake8/ruff convention."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites.noqa import ALL, file_codes, line_codes
from apimigrate.cli.main import app
from test_callsites_support import build_db

runner = CliRunner()


@pytest.mark.parametrize("line, codes", [
    (b"x = 1  # noqa", ALL),
    (b"x = 1  #noqa", ALL),
    (b"x = 1  # NOQA", ALL),
    (b"x = 1  # noqa: APIM001", {"APIM001"}),
    (b"x = 1  # noqa:APIM001,E501", {"APIM001", "E501"}),
    (b"x = 1  # noqa: APIM001 E501", {"APIM001", "E501"}),
    (b"x = 1  # noqa: apim003 -- the method is our own", {"APIM003"}),
    (b"x = 1  # noqa: APIM because", {"APIM"}),
    (b"x = 1  # noqa: we know", ALL),                # no codes: blanket, as flake8 reads it
    (b"x = 1  # type: ignore  # noqa: E501", {"E501"}),
    (b"x = 1  # noqaz", False),
    (b"x = 1  # apimigrate: noqa", False),         # the file-level form is not a line's
    (b"x = 1", False),
])
def test_line_codes(line: bytes, codes):
    got = line_codes(line)
    assert got == (frozenset(codes) if isinstance(codes, set) else codes)


def test_file_codes():
    assert file_codes(b"import numpy as np\n# apimigrate: noqa\n") == [ALL]
    assert file_codes(b"# apimigrate: noqa: APIM003, APIM004\n") == [frozenset({"APIM003", "APIM004"})]
    assert file_codes(b"# noqa\n") == []


SOURCE = (
    "import numpy as np\n"
    "import pandas as pd\n"
    "a = np.row_stack([x, y])  # noqa: APIM001\n"        # 3: silenced
    "b = np.row_stack([x, y])  # noqa: APIM003\n"        # 4: another code: reported
    "c = np.row_stack([x, y])  # noqa\n"                 # 5: blanket
    "d = np.row_stack([x, y])  # noqa: E501\n"           # 6: another linter's code: reported
    "e = np.row_stack(\n"                                # 7: the finding's first line counts
    "    [x, y])  # noqa\n"
    "df.applymap(str)  # noqa: APIM\n"                   # 9: our prefix
    "s = np.row_stack([x])\n"                            # 10
)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    build_db(tmp_path / "kb.sqlite")
    (tmp_path / "uses.py").write_text(SOURCE)
    return tmp_path


def _lines(result) -> list[int]:
    return [f["line"] for f in json.loads(result.stdout)]


def test_check_reports_only_what_no_noqa_silences(project: Path):
    result = runner.invoke(app, ["check", "uses.py", "--db", "kb.sqlite", "--format", "json"])
    assert result.exit_code == 1
    assert _lines(result) == [4, 6, 7, 10]
    (project / "quiet.py").write_text("import numpy as np\na = np.row_stack([x])  # noqa: APIM001\n")
    assert runner.invoke(app, ["check", "quiet.py", "--db", "kb.sqlite"]).exit_code == 0


def test_a_file_level_noqa(project: Path):
    (project / "uses.py").write_text("# apimigrate: noqa: APIM003\n" + SOURCE + "df.applymap(str)\n")
    result = runner.invoke(app, ["check", "uses.py", "--db", "kb.sqlite", "--format", "json"])
    assert _lines(result) == [5, 7, 8, 11]            # every APIM003 (line 12 too) silenced, APIM001 kept
    (project / "uses.py").write_text("# apimigrate: noqa: APIM001\n" + SOURCE + "df.applymap(str)\n")
    result = runner.invoke(app, ["check", "uses.py", "--db", "kb.sqlite", "--format", "json"])
    assert _lines(result) == [12]
    (project / "uses.py").write_text(SOURCE + "# apimigrate: noqa\n")
    assert runner.invoke(app, ["check", "uses.py", "--db", "kb.sqlite"]).exit_code == 0


def test_fix_leaves_silenced_uses_as_they_are(project: Path):
    result = runner.invoke(app, ["fix", "uses.py", "--db", "kb.sqlite"])
    assert result.exit_code in (0, 1), result.output
    fixed = (project / "uses.py").read_text().split("\n")
    assert fixed[2] == "a = np.row_stack([x, y])  # noqa: APIM001"
    assert fixed[3] == "b = np.vstack([x, y])  # noqa: APIM003"
    assert fixed[4] == "c = np.row_stack([x, y])  # noqa"
    assert fixed[9] == "s = np.vstack([x])"


def test_noqa_in_a_notebook_cell(project: Path):
    cells = ["import numpy as np", "a = np.row_stack([x])  # noqa: APIM001\nb = np.row_stack([x])"]
    (project / "nb.ipynb").write_text(json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {"language_info": {"name": "python"}},
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c}
                  for c in cells]}, indent=1))
    result = runner.invoke(app, ["check", "nb.ipynb", "--db", "kb.sqlite", "--format", "json"])
    assert [(f["cell"], f["line"]) for f in json.loads(result.stdout)] == [(2, 2)]
