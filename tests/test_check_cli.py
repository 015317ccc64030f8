"""`apimigrate check`: output formats, exit codes, aliases, shadowing, unparsable files, .gitignore."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from test_callsites_support import build_db

runner = CliRunner()

USES = (
    "import numpy as np\n"
    "import pandas as pd\n"
    "from numpy import row_stack as rs\n"
    "\n"
    "a = np.row_stack([x, y])\n"
    "rs(a)\n"
    "df = pd.read_csv(p, delim_whitespace=True)\n"
    "df.applymap(str)\n"
    "def f(np):\n"
    "    return np.row_stack(a)\n"
)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "uses.py").write_text(USES)
    (tmp_path / "pkg" / "clean.py").write_text("import numpy as np\nnp.vstack([a])\n")
    (tmp_path / "pkg" / "broken.py").write_text("import numpy as np\ndef f(:\n    np.row_stack(a)\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "gen.py").write_text("import numpy as np\nnp.row_stack(a)\n")
    (tmp_path / "pkg" / "notes.txt").write_text("np.row_stack(a)\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    build_db(tmp_path / "kb.sqlite")
    return tmp_path


def invoke(*args: str):
    return runner.invoke(app, ["check", *args])


def test_text_lines_and_exit_1(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg/uses.py", "--db", "kb.sqlite")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "pkg/uses.py:3:19: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack",
        "pkg/uses.py:5:5: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack",
        "pkg/uses.py:6:1: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack",
        "pkg/uses.py:7:21: APIM002 parameter 'delim_whitespace' of pandas.read_csv is deprecated since 2.2.0",
        "pkg/uses.py:8:4: APIM003 pandas.DataFrame.applymap is deprecated since 2.1.0; "
        "use pandas.DataFrame.map (matched by method name)",
    ]                                     # line 10: `np` is a parameter there, not numpy
    assert "Found 5 deprecated API use(s) in 1 file(s); 3 fixable" in result.stderr


def test_clean_file_exits_0(project: Path):
    result = invoke(str(project / "pkg" / "clean.py"), "--db", str(project / "kb.sqlite"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_folder_walk_honours_gitignore_and_skips_unparsable(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke(".", "--db", "kb.sqlite", "--format", "json")
    assert result.exit_code == 1
    paths = {f["path"] for f in json.loads(result.stdout)}
    assert paths == {"pkg/uses.py"}               # build/ is ignored, broken.py skipped
    assert "pkg/broken.py:2:7: syntax error, file skipped" in result.stderr
    # Naming an ignored folder explicitly checks it.
    result = invoke("build", "--db", "kb.sqlite")
    assert result.exit_code == 1 and "build/gen.py:2:1: APIM001" in result.stdout


def test_json_objects(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--format", "json")
    items = json.loads(result.stdout)
    first = items[1]
    assert {k: first[k] for k in ("path", "line", "col", "end_line", "end_col", "api", "replacement",
                                  "since", "removed_in", "fixable")} == {
        "path": "pkg/uses.py", "line": 5, "col": 5, "end_line": 5, "end_col": 17,
        "api": "numpy.row_stack", "replacement": "numpy.vstack", "since": "2.0", "removed_in": None,
        "fixable": True}
    assert first["confidence"] == pytest.approx(0.8)
    assert first["message"] == "numpy.row_stack is deprecated since 2.0; use numpy.vstack"
    by_name = items[-1]
    assert by_name["api"] == "pandas.DataFrame.applymap" and by_name["confidence"] < 0.8
    assert not by_name["fixable"]


def test_sarif_2_1_0(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg", "--db", "kb.sqlite", "--format", "sarif")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["APIM001", "APIM002", "APIM003", "APIM004"]
    assert len(run["results"]) == 5
    loc = run["results"][1]["locations"][0]["physicalLocation"]
    assert loc == {"artifactLocation": {"uri": "pkg/uses.py"},
                   "region": {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 17}}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/broken.py"


def test_select_and_min_confidence(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--select", "pandas", "--format", "json")
    assert {f["api"] for f in json.loads(result.stdout)} == {"pandas.read_csv", "pandas.DataFrame.applymap"}
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--select", "scipy,sklearn")
    assert result.exit_code == 0 and result.stdout == ""
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--min-confidence", "0.9")
    assert result.exit_code == 0


def test_many_files_in_a_process_pool(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    for i in range(12):
        (project / "pkg" / f"m{i}.py").write_text(USES)
    result = invoke("pkg", "--db", "kb.sqlite", "--format", "json", "-j", "2")
    items = json.loads(result.stdout)
    assert len(items) == 13 * 5
    assert [f["path"] for f in items] == sorted(f["path"] for f in items)   # input order kept


@pytest.mark.parametrize("args, message", [
    (["pkg", "--db", "missing.sqlite"], "no deprecation database"),
    (["nowhere", "--db", "kb.sqlite"], "no such file or folder: nowhere"),
    (["pkg", "--db", "not_a_db.sqlite"], "database"),
])
def test_usage_and_db_errors_exit_2(project: Path, monkeypatch, args, message):
    monkeypatch.chdir(project)
    (project / "not_a_db.sqlite").write_bytes(b"this is not sqlite" * 100)
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_option_exits_2(project: Path):
    assert invoke("pkg", "--format", "xml").exit_code == 2


# ---- the real console script -------------------------------------------------
def _script() -> list[str]:
    exe = shutil.which("apimigrate", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the apimigrate console script is not installed (pip install -e .)")
    return [exe]


def test_console_script_check_text_and_json(project: Path):
    cmd = _script() + ["check", "pkg", "--db", "kb.sqlite"]
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0] == \
        "pkg/uses.py:3:19: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack"
    assert "pkg/broken.py:2:7: syntax error, file skipped" in proc.stderr
    proc = subprocess.run(cmd + ["--format", "json"], cwd=project, capture_output=True, text=True, timeout=60)
    assert len(json.loads(proc.stdout)) == 5


def test_console_script_clean_and_db_error(project: Path):
    proc = subprocess.run(_script() + ["check", "pkg/clean.py", "--db", "kb.sqlite"], cwd=project,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "")
    proc = subprocess.run(_script() + ["check", "pkg", "--db", "nope.sqlite"], cwd=project,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "no deprecation database" in proc.stderr
