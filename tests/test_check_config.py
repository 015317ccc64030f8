"""`[tool.apimigrate]` in pyproject.toml: found above the paths, applied by check and fix, the
command line on top, and every mistake in it one line and exit 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.check.config import ConfigError, find_config, load_config
from apimigrate.cli.main import app
from test_callsites_support import build_db, db_rows

runner = CliRunner()

APP = (
    "import numpy as np\n"
    "import pandas as pd\n"
    "a = np.row_stack([x, y])\n"                       # APIM001, numpy
    "df = pd.read_csv(p, delim_whitespace=True)\n"     # APIM002, pandas
    "df.applymap(str)\n"                               # APIM003, pandas, by name
    "s = pd.read_csv(p, squeeze=True)\n"               # APIM002 from a changelog only: lower confidence
)
COMPAT = (
    "import numpy as np\n"
    "if np.__version__ < '2':\n"
    "    stack = np.row_stack\n"
    "else:\n"
    "    stack = np.vstack\n"
)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text(APP)
    (root / "src" / "compat.py").write_text(COMPAT)
    (root / "tests").mkdir()
    (root / "tests" / "test_app.py").write_text(APP)
    (root / "vendored").mkdir()
    (root / "vendored" / "old.py").write_text(APP)
    (root / "tools").mkdir()
    build_db(root / "tools" / "kb.sqlite")
    return root


def configure(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.apimigrate]\n' + body)


def check(*args: str):
    return runner.invoke(app, ["check", "--format", "json", *args])


def findings(result) -> list[tuple[str, str, int]]:
    assert result.exit_code in (0, 1), result.output
    return sorted((Path(f["path"]).as_posix(), f["code"], f["line"]) for f in json.loads(result.stdout))


def test_found_above_the_paths_and_db_relative_to_it(project: Path, monkeypatch, tmp_path: Path):
    configure(project, 'db = "tools/kb.sqlite"\nignore = ["APIM003"]\nexclude = ["vendored/"]\n')
    monkeypatch.chdir(tmp_path)                  # not the project: the file is found from the paths
    got = findings(check("proj"))
    assert got == [
        ("proj/src/app.py", "APIM001", 3), ("proj/src/app.py", "APIM002", 4), ("proj/src/app.py", "APIM002", 6),
        ("proj/tests/test_app.py", "APIM001", 3), ("proj/tests/test_app.py", "APIM002", 4),
        ("proj/tests/test_app.py", "APIM002", 6),
    ]
    # A file named on the command line is checked even when excluded, as with .gitignore.
    assert {p for p, _, _ in findings(check("proj/vendored/old.py"))} == {"proj/vendored/old.py"}


def test_without_a_config_everything_is_reported(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    got = findings(check("src", "--db", "tools/kb.sqlite"))
    assert [c for p, c, _ in got if p == "src/app.py"] == ["APIM001", "APIM002", "APIM002", "APIM003"]
    assert all(p != "src/compat.py" for p, _, _ in got)


def test_select_min_confidence_and_per_file_ignores(project: Path, monkeypatch):
    confidences = {r["parameter"]: r["confidence"] for r in db_rows(project / "tools" / "kb.sqlite")
                   if r["api"] == "pandas.read_csv"}
    assert confidences["squeeze"] < confidences["delim_whitespace"]
    threshold = (confidences["squeeze"] + confidences["delim_whitespace"]) / 2
    configure(project, f'db = "tools/kb.sqlite"\nselect = ["pandas"]\nmin-confidence = {threshold}\n'
                       '[tool.apimigrate.per-file-ignores]\n"tests/**" = ["APIM00"]\n"app.py" = "APIM003"\n')
    monkeypatch.chdir(project)
    assert findings(check("src", "tests")) == [("src/app.py", "APIM002", 4)]


def test_command_line_on_top_of_the_file(project: Path, monkeypatch):
    configure(project, 'db = "tools/kb.sqlite"\nselect = ["pandas"]\nignore = ["APIM003"]\n'
                       'include-compat = true\n')
    monkeypatch.chdir(project)
    # select from the file: pandas only; include-compat from the file: the compat branch is listed
    assert findings(check("src")) == [("src/app.py", "APIM002", 4), ("src/app.py", "APIM002", 6)]
    # --select replaces the file's list
    got = findings(check("src", "--select", "numpy"))
    assert got == [("src/app.py", "APIM001", 3), ("src/compat.py", "APIM001", 3)]
    # --no-include-compat turns the file's true off; --ignore adds to the file's codes
    assert findings(check("src", "--select", "numpy,pandas", "--no-include-compat", "--ignore", "APIM002")) == [
        ("src/app.py", "APIM001", 3)]
    # --isolated reads no file: the DB must then be named
    got = findings(check("src", "--isolated", "--db", "tools/kb.sqlite"))
    assert ("src/app.py", "APIM003", 5) in got and all(p != "src/compat.py" for p, _, _ in got)


def test_fix_leaves_ignored_codes_alone(project: Path, monkeypatch):
    configure(project, 'db = "tools/kb.sqlite"\n[tool.apimigrate.per-file-ignores]\n"tests/" = ["APIM001"]\n')
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["fix", "src", "tests"])
    assert result.exit_code == 0, result.output
    assert "np.vstack([x, y])" in (project / "src" / "app.py").read_text()
    assert "np.row_stack([x, y])" in (project / "tests" / "test_app.py").read_text()
    assert "APIM001" not in result.stderr


def test_worker_processes_apply_per_file_ignores(project: Path, monkeypatch):
    for i in range(10):                        # enough files for the process pool
        (project / "src" / f"m{i}.py").write_text(APP)
    configure(project, 'db = "tools/kb.sqlite"\n[tool.apimigrate.per-file-ignores]\n"m[0-4].py" = ["APIM"]\n')
    monkeypatch.chdir(project)
    got = findings(check("src", "--jobs", "2"))
    assert {p for p, _, _ in got} == {"src/app.py"} | {f"src/m{i}.py" for i in range(5, 10)}


def test_a_config_named_on_the_command_line(project: Path, monkeypatch, tmp_path: Path):
    other = tmp_path / "ci" / "apimigrate.toml"
    other.parent.mkdir()
    other.write_text(f'db = "{(project / "tools" / "kb.sqlite").as_posix()}"\nignore = ["APIM002", "APIM003"]\n')
    configure(project, 'db = "nowhere.sqlite"\n')      # not read: --config names the file
    monkeypatch.chdir(project)
    assert findings(check("src", "--config", str(other))) == [("src/app.py", "APIM001", 3)]


def test_discovery_stops_at_the_repository_root(project: Path, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.apimigrate]\nignore = ["APIM001"]\n')
    assert find_config([project / "src"]) is None
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')    # no table: keep looking
    assert find_config([project / "src" / "app.py", project / "tests"]) is None
    configure(project, "")
    assert find_config([project / "src" / "app.py", project / "tests"]) == project / "pyproject.toml"
    nested = project / "src" / "pyproject.toml"
    nested.write_text("[tool.apimigrate]\n")
    assert find_config([project / "src"]) == nested
    assert find_config([project / "src", project / "tests"]) == project / "pyproject.toml"


@pytest.mark.parametrize("body, message", [
    ('ignor = ["APIM001"]\n', "unknown key(s) in [tool.apimigrate]: ignor"),
    ('ignore = ["E501"]\n', "unknown code(s) for ignore in"),
    ('select = "numpy"\nmin-confidence = 2\n', "min-confidence must be a number from 0 to 1"),
    ('include-compat = "yes"\n', "include-compat must be true or false"),
    ('exclude = [1]\n', "exclude must be a list of strings"),
    ('[tool.apimigrate.per-file-ignores]\n"x.py" = [3]\n', "per-file-ignores.'x.py' must be a list of codes"),
    ('ignore = [\n', "not valid TOML"),
])
def test_a_bad_config_is_one_line_and_exit_2(project: Path, monkeypatch, body: str, message: str):
    configure(project, 'db = "tools/kb.sqlite"\n' + body)
    monkeypatch.chdir(project)
    for command in ("check", "fix"):
        result = runner.invoke(app, [command, "src"])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and str(project / "pyproject.toml") in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert "np.row_stack" in (project / "src" / "app.py").read_text()       # fix wrote nothing


def test_command_line_mistakes(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = check("src", "--config", "missing.toml")
    assert result.exit_code == 2 and "no such config file: missing.toml" in result.stderr
    configure(project, "")
    result = check("src", "--config", "pyproject.toml", "--isolated")
    assert result.exit_code == 2 and "contradict" in result.stderr
    (project / "other.toml").write_text("[tool.black]\n")
    result = check("src", "--config", "other.toml", "--db", "tools/kb.sqlite")
    assert result.exit_code == 2 and "unknown key(s)" in result.stderr and "tool" in result.stderr
    configure(project, 'db = "missing.sqlite"\n')
    result = check("src")
    assert result.exit_code == 2
    assert f"no deprecation database at {project / 'missing.sqlite'} (db in {project / 'pyproject.toml'})" \
        in result.stderr


def test_load_config_values(tmp_path: Path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.apimigrate]\ndb = "~/kb.sqlite"\nselect = [" numpy ", ""]\nignore = ["apim004"]\n'
                    'min-confidence = 1\n')
    cfg = load_config(path)
    assert cfg.db == Path("~/kb.sqlite").expanduser() and cfg.select == ("numpy",)
    assert cfg.ignore == {"APIM004"} and cfg.min_confidence == 1.0 and cfg.root == tmp_path.resolve()
    assert cfg.ignored_codes(tmp_path / "a.py") == {"APIM004"}
    path.write_text('[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match="no \\[tool.apimigrate\\] table"):
        load_config(path)
