"""`apimigrate check` / `fix` on Jupyter notebooks: cells as one module, IPython syntax, exact write-back."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.check.notebook import load_notebook
from apimigrate.cli.main import app
from test_callsites_support import build_db

runner = CliRunner()


def _cell(source, kind: str = "code", outputs: list | None = None) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=outputs or [])
    return cell


def _notebook(cells: list[dict], language: str = "python") -> str:
    """As Jupyter writes it: nbformat 4, indent 1, a trailing newline."""
    doc = {"cells": cells, "metadata": {"kernelspec": {"display_name": "K", "language": language, "name": "k"},
                                        "language_info": {"name": language}},
           "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


CELLS = [
    _cell(["# Cleaning the survey data\n", "Uses `np.row_stack` in prose: not code."], kind="markdown"),
    _cell(["%matplotlib inline\n", "import numpy as np\n", "import matplotlib.cm as cm\n", "!pip install seaborn"]),
    _cell(["stacked = np.row_stack([a, b])  # é\n", "order = np.msort(stacked)\n", "stacked?"],
          outputs=[{"name": "stdout", "output_type": "stream", "text": ["done\n"]}]),
    _cell("%%time\ncolours = cm.get_cmap('viridis')\nfiles = !ls data\nx = %timeit np.row_stack(a)"),
    _cell(["%%bash\n", "echo np.row_stack\n"]),
    _cell([]),
]


@pytest.fixture()
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    build_db(tmp_path / "kb.sqlite")
    (tmp_path / "survey.ipynb").write_text(_notebook(CELLS), encoding="utf-8")
    return tmp_path


def test_findings_name_the_cell_and_its_own_lines(project: Path):
    result = runner.invoke(app, ["check", "survey.ipynb", "--db", "kb.sqlite"])
    assert result.exit_code == 1, result.output
    # The import in cell 2 resolves the uses in cells 3 and 4; markdown, `%%bash` and magics say nothing.
    assert result.stdout.splitlines() == [
        "survey.ipynb:cell 3:1:11: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack",
        "survey.ipynb:cell 3:2:9: APIM001 numpy.msort is deprecated since 1.24 (removed in 2.0)",
        "survey.ipynb:cell 4:2:11: APIM001 matplotlib.cm.get_cmap is deprecated since 3.7 (removed in 3.9); "
        "use matplotlib.colormaps.get_cmap",
    ]
    items = json.loads(runner.invoke(app, ["check", ".", "--db", "kb.sqlite", "--format", "json"]).stdout)
    assert [(f["path"], f["cell"], f["line"], f["col"], f["end_line"], f["end_col"]) for f in items] == [
        ("survey.ipynb", 3, 1, 11, 1, 23), ("survey.ipynb", 3, 2, 9, 2, 17), ("survey.ipynb", 4, 2, 11, 2, 22)]
    # A fix's edits name their own cells: the import the rewrite in cell 4 needs joins cell 2's.
    assert [(e["cell"], e["line"], e["col"], e["content"]) for e in items[2]["fix"]["edits"]] == [
        (4, 2, 11, "get_cmap"), (2, 3, 27, "\nfrom matplotlib.colormaps import get_cmap")]
    assert items[1]["fix"] is None


def _region_text(text: str, region: dict) -> str:
    """The text a one-line SARIF region covers (1-based lines, columns in code points)."""
    assert region["endLine"] == region["startLine"]
    return text.split("\n")[region["startLine"] - 1][region["startColumn"] - 1:region["endColumn"] - 1]


@pytest.mark.parametrize("layout", ["jupyter", "one line, ASCII escapes"])
def test_sarif_regions_are_places_in_the_notebook_file(project: Path, layout: str):
    """A SARIF region is read against the artifact, the .ipynb's JSON text: the cell's own line 1
    pointed at the file's line 1 (`{`). The region is where the source line's JSON string holds
    the use; the cell and its line are in the message and a logical location."""
    if layout != "jupyter":     # no line breaks, `é` as `\u00e9`, a cell's source as one string
        doc = json.loads(_notebook(CELLS))
        doc["cells"][2]["source"] = "".join(doc["cells"][2]["source"])
        (project / "survey.ipynb").write_text(json.dumps(doc), encoding="utf-8")
    text = (project / "survey.ipynb").read_text(encoding="utf-8")
    sarif = json.loads(runner.invoke(app, ["check", "survey.ipynb", "--db", "kb.sqlite", "--format", "sarif"]).stdout)
    results = sarif["runs"][0]["results"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert [_region_text(text, region) for region in regions] == ["np.row_stack", "np.msort", "cm.get_cmap"]
    if layout == "jupyter":                      # each source line a JSON string of its own line
        lines = text.split("\n")
        assert [lines[region["startLine"] - 1].strip() for region in regions] == [
            '"stacked = np.row_stack([a, b])  # é\\n",', '"order = np.msort(stacked)\\n",',
            '"source": "%%time\\ncolours = cm.get_cmap(\'viridis\')\\nfiles = !ls data\\nx = %timeit np.row_stack(a)",']
    assert results[1]["message"]["text"] == \
        "numpy.msort is deprecated since 1.24 (removed in 2.0) (cell 3, line 2, column 9)"
    assert results[1]["locations"][0]["logicalLocations"] == [
        {"name": "cell 3", "fullyQualifiedName": "/cells/2", "kind": "object"}]
    assert [(r["properties"]["cell"], r["properties"]["cell_line"], r["properties"]["cell_col"]) for r in results] \
        == [(3, 1, 11), (3, 2, 9), (4, 2, 11)]


def test_a_notebook_place_is_known_only_in_the_text_read():
    text = _notebook(CELLS)
    nb = load_notebook(text)
    line, col = nb.file_position(3, 1, 8)                   # cell 3, line 2, `np.msort`
    assert text.split("\n")[line][col:col + 8] == "np.msort"
    assert nb.file_position(3, 1, 99) is None and nb.file_position(3, 7, 0) is None
    assert nb.file_position(6, 0, 0) is None                # an empty cell: no string to be in
    # once `fix` edited the cells the file's text is no longer theirs: no place rather than a wrong one
    assert nb.with_source(nb.source.replace("row_stack", "vstack")).file_position(3, 1, 8) is None


def test_folders_include_notebooks_but_not_jupyter_checkpoints(project: Path):
    (project / ".ipynb_checkpoints").mkdir()
    (project / ".ipynb_checkpoints" / "survey-checkpoint.ipynb").write_text(_notebook(CELLS))
    (project / "model.py").write_text("import numpy as np\nnp.row_stack(a)\n")
    items = json.loads(runner.invoke(app, ["check", ".", "--db", "kb.sqlite", "--format", "json"]).stdout)
    assert sorted({(f["path"], f["cell"]) for f in items}) == [
        ("model.py", None), ("survey.ipynb", 3), ("survey.ipynb", 4)]


def test_fix_rewrites_cells_and_keeps_everything_else(project: Path):
    before = (project / "survey.ipynb").read_text(encoding="utf-8")
    result = runner.invoke(app, ["fix", "survey.ipynb", "--db", "kb.sqlite"])
    assert result.exit_code == 0, result.output
    after_text = (project / "survey.ipynb").read_text(encoding="utf-8")
    after = json.loads(after_text)
    cells = [c["source"] for c in after["cells"]]
    # The import the rewrite needs joins the imports in cell 2; the magics come back as they were.
    assert cells[1] == ["%matplotlib inline\n", "import numpy as np\n", "import matplotlib.cm as cm\n",
                        "from matplotlib.colormaps import get_cmap\n", "!pip install seaborn"]
    assert cells[2] == ["stacked = np.vstack([a, b])  # é\n", "order = np.msort(stacked)\n", "stacked?"]
    assert cells[3] == "%%time\ncolours = get_cmap('viridis')\nfiles = !ls data\nx = %timeit np.row_stack(a)"
    assert cells[0] == CELLS[0]["source"] and cells[4:] == [CELLS[4]["source"], []]
    assert after["cells"][2]["outputs"] == CELLS[2]["outputs"] and after["metadata"] == json.loads(before)["metadata"]
    # Jupyter's own layout: only the changed lines differ.
    changed = [(a, b) for a, b in zip(before.splitlines(), after_text.splitlines()) if a != b]
    assert len(after_text.splitlines()) == len(before.splitlines()) + 1 and len(changed) >= 2
    assert after_text.endswith("}\n") and "é" in after_text
    # What is left names its cell and line in the notebook as it now is.
    assert "survey.ipynb:cell 3:2:9: APIM001 numpy.msort is deprecated since 1.24 (removed in 2.0) (not fixed)" \
        in result.stderr
    again = runner.invoke(app, ["fix", "survey.ipynb", "--db", "kb.sqlite", "--diff"])
    assert again.exit_code == 0 and again.stdout == ""


def test_bad_notebooks_are_one_line_each_and_lose_nothing(project: Path):
    (project / "broken.ipynb").write_text('{"cells": [')
    (project / "old.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": []}))
    (project / "syntax.ipynb").write_text(_notebook([_cell("import numpy as np"), _cell("np.row_stack(a\nx = 1\n")]))
    (project / "r.ipynb").write_text(_notebook([_cell("library(numpy)\nnp.row_stack(a)")], language="R"))
    saved = {p.name: p.read_bytes() for p in project.glob("*.ipynb")}
    result = runner.invoke(app, ["check", ".", "--db", "kb.sqlite"])
    assert "broken.ipynb:1:1: not a notebook: invalid JSON at line 1, file skipped" in result.stderr
    assert "old.ipynb:1:1: not a notebook of nbformat 4 (nbformat 3), file skipped" in result.stderr
    assert "syntax.ipynb:cell 2:" in result.stderr and "syntax error, file skipped" in result.stderr
    assert "r.ipynb" not in result.output                      # another language: nothing to say
    runner.invoke(app, ["fix", "broken.ipynb", "old.ipynb", "syntax.ipynb", "r.ipynb", "--db", "kb.sqlite"])
    assert {name: (project / name).read_bytes() for name in saved if name != "survey.ipynb"} == \
        {k: v for k, v in saved.items() if k != "survey.ipynb"}


@pytest.mark.parametrize("line, ipython", [
    ("%matplotlib inline", True), ("!pip install x", True), ("files = !ls", True), ("t = %time f()", True),
    ("df?", True), ("np.fix??", True), ("??np.fix", True), ("  !ls", True),
    ("x = a if b else c", False), ("print('why?')", False), ("x != !y", False), ("# %magic", False),
    ("a = b % c", False), ("d = {'k': 1}", False),
])
def test_ipython_syntax_becomes_a_comment_of_the_same_place(line: str, ipython: bool):
    nb = load_notebook(_notebook([_cell(f"x = 0\n{line}\nnp.row_stack(a)")]))
    body = nb.source.splitlines()[1:]
    assert body[0] == "x = 0" and body[2] == "np.row_stack(a)"
    assert (body[1] != line) == ipython
    assert not ipython or (body[1].lstrip().startswith("#") and len(body[1]) > len(line))
