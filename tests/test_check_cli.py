"""`apimigrate check`: output formats, exit codes, aliases, shadowing, unparsable files, .gitignore."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
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


@pytest.mark.parametrize("spelling", [".", "./", "ABSOLUTE"])
def test_gitignore_applies_at_every_depth_however_the_folder_is_spelled(project: Path, monkeypatch, spelling: str):
    """`check .` lost the rules of the root's (and any folder's) .gitignore two folders down: os.walk's
    folders keep the `./` that Path drops, so a folder did not find its parent's rules."""
    monkeypatch.chdir(project)
    (project / ".gitignore").write_text("build/\n*_pb2.py\n")
    generated = "import numpy as np\nnp.row_stack(a)\n"
    for folder in ("pkg/proto", "src/app/deep"):
        (project / folder).mkdir(parents=True)
    (project / "pkg" / "proto" / "api_pb2.py").write_text(generated)
    (project / "src" / ".gitignore").write_text("gen.py\n")
    (project / "src" / "app" / "deep" / "gen.py").write_text(generated)
    (project / "src" / "app" / "deep" / "kept.py").write_text(generated)
    root = str(project) if spelling == "ABSOLUTE" else spelling
    for given in (root, str(Path(root) / "src") if spelling == "ABSOLUTE" else f"{root.rstrip('/')}/src"):
        result = invoke(given, "--db", "kb.sqlite", "--format", "json")
        paths = {Path(f["path"]).resolve().relative_to(project).as_posix() for f in json.loads(result.stdout)}
        assert "pkg/proto/api_pb2.py" not in paths and "src/app/deep/gen.py" not in paths, given
        assert "src/app/deep/kept.py" in paths, given


def test_each_file_is_checked_once_whatever_names_reach_it(project: Path, monkeypatch):
    """A symbolic link to a file of the tree was checked (and counted) as a second file."""
    monkeypatch.chdir(project)
    (project / "link.py").symlink_to("pkg/uses.py")
    (project / "pkg" / "again.py").symlink_to("uses.py")
    result = invoke(".", "--db", "kb.sqlite", "--format", "json")
    assert [f["path"] for f in json.loads(result.stdout)] == ["pkg/uses.py"] * 5     # by its own name
    result = invoke("pkg", "./pkg/", "link.py", str(project / "pkg" / "uses.py"), "--db", "kb.sqlite")
    assert "Found 5 deprecated API use(s) in 1 file(s)" in result.stderr
    # a link to a file the walk leaves out (git-ignored) is a file of its own
    (project / "gen_link.py").symlink_to("build/gen.py")
    result = invoke(".", "--db", "kb.sqlite", "--format", "json")
    assert {f["path"] for f in json.loads(result.stdout)} == {"pkg/uses.py", "gen_link.py"}


@pytest.mark.timeout(60)
def test_something_named_that_is_no_file_cannot_be_checked(project: Path, monkeypatch):
    """A FIFO named on the command line gave no output and exit 0, as if checked and clean."""
    monkeypatch.chdir(project)
    os.mkfifo(project / "pipe.py")
    result = invoke("pipe.py", "pkg/clean.py", "--db", "kb.sqlite")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "pipe.py:1:1: cannot read: not a regular file" in result.stderr.splitlines()
    assert "1 file(s) could not be checked" in result.stderr
    fixed = runner.invoke(app, ["fix", "pipe.py", "--db", "kb.sqlite"])
    assert fixed.exit_code == 2 and "pipe.py:1:1: cannot read: not a regular file" in fixed.stderr


def test_a_file_that_cannot_be_checked_fails_the_check(project: Path, monkeypatch):
    """Nothing found but a file skipped is no clean tree: exit 1, as ruff does for a syntax error;
    the config's `exclude` is the way to leave such a file out."""
    monkeypatch.chdir(project)
    result = invoke("pkg/clean.py", "pkg/broken.py", "--db", "kb.sqlite")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "pkg/broken.py:2:7: syntax error, file skipped" in result.stderr
    assert "1 file(s) could not be checked" in result.stderr
    (project / "pyproject.toml").write_text('[tool.apimigrate]\nexclude = ["broken.py"]\n')
    result = invoke("pkg", "--db", "kb.sqlite")
    assert result.exit_code == 1 and "broken.py" not in result.stderr    # uses.py's findings only
    (project / "pkg" / "uses.py").unlink()
    assert invoke("pkg", "--db", "kb.sqlite").exit_code == 0


def test_exit_zero_reports_without_failing(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg", "--db", "kb.sqlite", "--exit-zero")
    assert result.exit_code == 0
    assert "pkg/uses.py:5:5: APIM001" in result.stdout and "pkg/broken.py:2:7: syntax error" in result.stderr
    assert invoke("pkg", "--db", "missing/dir/kb.sqlite", "--exit-zero").exit_code == 2


def _apply(text: str, edits: list[dict]) -> str:
    """Edits with 1-based lines and columns (characters), applied from the last one back."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for e in sorted({tuple(sorted(e.items())) for e in edits}, key=lambda t: dict(t)["line"] * 10**6 + dict(t)["col"],
                    reverse=True):
        e = dict(e)
        start = offsets[e["line"] - 1] + e["col"] - 1
        end = offsets[e["end_line"] - 1] + e["end_col"] - 1
        text = text[:start] + e["content"] + text[end:]
    return text


def test_the_json_fix_of_each_finding_is_the_edit_fix_makes(project: Path, monkeypatch):
    """`fix` in the JSON (as ruff writes it): each fixable finding's edits, applied to the file,
    give what `apimigrate fix` writes; a finding with no exact rewrite has none."""
    monkeypatch.chdir(project)
    items = json.loads(invoke("pkg/uses.py", "--db", "kb.sqlite", "--format", "json").stdout)
    assert all((f["fix"] is not None) == f["fixable"] for f in items)
    assert items[0]["fix"]["message"] and items[0]["fix"]["edits"][0]["cell"] is None
    edits = [e for f in items if f["fix"] for e in f["fix"]["edits"]]
    expected = _apply(USES, edits)
    assert runner.invoke(app, ["fix", "pkg/uses.py", "--db", "kb.sqlite"]).exit_code == 0
    assert (project / "pkg" / "uses.py").read_text() == expected != USES


def test_statistics_count_uses_per_api(project: Path, monkeypatch):
    """`--statistics`: one line per deprecated API or parameter, most used first, with how many
    `fix` rewrites; JSON too; the exit status is check's."""
    monkeypatch.chdir(project)
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--statistics")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "3  APIM001  numpy.row_stack  (3 fixable)",
        "1  APIM002  pandas.read_csv(delim_whitespace=)",
        "1  APIM003  pandas.DataFrame.applymap",
    ]
    entries = json.loads(invoke("pkg/uses.py", "--db", "kb.sqlite", "--statistics", "--format", "json").stdout)
    assert entries[0] == {"code": "APIM001", "api": "numpy.row_stack", "parameter": None, "count": 3, "fixable": 3}
    assert sum(e["count"] for e in entries) == len(json.loads(invoke("pkg/uses.py", "--db", "kb.sqlite",
                                                                      "--format", "json").stdout))
    refused = invoke("pkg/uses.py", "--db", "kb.sqlite", "--statistics", "--format", "sarif")
    assert refused.exit_code == 2 and "--statistics goes with" in refused.stderr


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
    assert first["name"] == first["api"]            # reached by its own name
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
    # a use with an exact rewrite carries it as SARIF `fixes`; one without has none
    assert run["results"][1]["fixes"] == [{
        "description": {"text": "rename to vstack"},
        "artifactChanges": [{"artifactLocation": {"uri": "pkg/uses.py"}, "replacements": [{
            "deletedRegion": {"startLine": 5, "startColumn": 8, "endLine": 5, "endColumn": 17},
            "insertedContent": {"text": "vstack"}}]}]}]
    assert [("fixes" in r) for r in run["results"]] == [r["properties"]["fixable"] for r in run["results"]]


def test_select_and_min_confidence(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--select", "pandas", "--format", "json")
    assert {f["api"] for f in json.loads(result.stdout)} == {"pandas.read_csv", "pandas.DataFrame.applymap"}
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--select", "scipy,sklearn")
    assert result.exit_code == 0 and result.stdout == ""
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--min-confidence", "0.9")
    assert result.exit_code == 0


def test_a_library_the_database_never_scanned_fails_instead_of_checking_nothing(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--select", "NumPy", "--format", "json")
    assert result.exit_code == 1 and {f["api"] for f in json.loads(result.stdout)} == {"numpy.row_stack"}
    result = invoke("pkg/uses.py", "--db", "kb.sqlite", "--select", "numpy,nunpy")
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert "'nunpy': no such library in the database at kb.sqlite (it holds matplotlib, numpy, pandas, scipy, sklearn;" in line
    # The project's own selection, for check and for fix (which then writes nothing).
    (project / "pyproject.toml").write_text('[tool.apimigrate]\nselect = ["pandsa"]\n')
    result = invoke("pkg/uses.py", "--db", "kb.sqlite")
    assert result.exit_code == 2 and "'pandsa': no such library" in result.stderr
    fixed = runner.invoke(app, ["fix", "pkg/uses.py", "--db", "kb.sqlite"])
    assert fixed.exit_code == 2 and "'pandsa': no such library" in fixed.stderr
    assert (project / "pkg" / "uses.py").read_text() == USES


def test_an_empty_database_fails_the_check(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    open_db(project / "empty.sqlite").close()
    result = invoke("pkg/uses.py", "--db", "empty.sqlite")
    assert result.exit_code == 2
    assert "the deprecation database at empty.sqlite is empty" in result.stderr


def test_an_empty_file_given_as_the_database_is_left_as_it_is(project: Path, monkeypatch):
    """SQLite takes a 0-byte file for an empty database: the check wrote its schema into it (118 KB)."""
    monkeypatch.chdir(project)
    (project / "empty.sqlite").write_bytes(b"")
    for command in ("check", "fix"):
        result = runner.invoke(app, [command, "pkg/uses.py", "--db", "empty.sqlite"])
        assert result.exit_code == 2
        assert "the deprecation database at empty.sqlite is empty" in result.stderr
    assert [p.name for p in project.glob("empty.sqlite*")] == ["empty.sqlite"]
    assert (project / "empty.sqlite").stat().st_size == 0


@pytest.mark.parametrize("args", [["db", "list"], ["db", "stats"], ["db", "show", "numpy.row_stack"],
                                  ["db", "search", "vstack"], ["db", "export"], ["models", "list"],
                                  ["models", "runs"], ["models", "promote", "1"]])
def test_commands_that_only_read_the_database_create_none(tmp_path: Path, args: list[str]):
    missing = tmp_path / "nowhere" / "kb.db"
    result = runner.invoke(app, [*args, "--db", str(missing)])
    assert result.exit_code == 2 and f"no deprecation database at {missing}" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_db_list_and_export_select_libraries_as_check_does(project: Path):
    db = str(project / "kb.sqlite")
    listed = runner.invoke(app, ["db", "list", "sklearn", "--db", db])
    assert listed.exit_code == 0 and "sklearn.metrics.roc_auc_score" in listed.stdout
    assert "numpy.row_stack" not in listed.stdout
    assert runner.invoke(app, ["db", "list", "sklaern", "--db", db]).exit_code == 2
    exported = runner.invoke(app, ["db", "export", "--db", db, "--library", "SciPy"])
    assert {json.loads(line)["library"] for line in exported.stdout.splitlines()} == {"scipy"}
    assert runner.invoke(app, ["db", "export", "--db", db, "--library", "scypi"]).exit_code == 2


def test_many_files_in_a_process_pool(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    for i in range(12):
        (project / "pkg" / f"m{i}.py").write_text(USES)
    result = invoke("pkg", "--db", "kb.sqlite", "--format", "json", "-j", "2")
    items = json.loads(result.stdout)
    assert len(items) == 13 * 5
    assert [f["path"] for f in items] == sorted(f["path"] for f in items)   # input order kept


def test_with_another_thread_running_the_pool_is_not_forked(project: Path, monkeypatch):
    """`dataset build` checks files in a pool while its progress bar redraws from a thread: a
    forked worker would copy the locks that thread held, for good (Python 3.12+ warns "use of
    fork() may lead to deadlocks"). Workers then start from a forkserver, and find the same."""
    import threading
    import warnings

    from apimigrate.check.runner import pool_context
    monkeypatch.chdir(project)
    for i in range(12):
        (project / "pkg" / f"m{i}.py").write_text(USES)
    forked = json.loads(invoke("pkg", "--db", "kb.sqlite", "--format", "json", "-j", "1").stdout)
    stop = threading.Event()
    redraw = threading.Thread(target=stop.wait, daemon=True)
    redraw.start()
    try:
        assert pool_context().get_start_method() == "forkserver"
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            result = invoke("pkg", "--db", "kb.sqlite", "--format", "json", "-j", "2")
    finally:
        stop.set()
        redraw.join()
    assert json.loads(result.stdout) == forked
    assert not [w for w in warned if "fork" in str(w.message)]


# The caller of iter_files stops reading (a result it could not store, Ctrl-C): the four largest files
# are checked at once, the others would take ten minutes each.
STOPS_READING = """\
import multiprocessing, pathlib, tempfile, time
from apimigrate.check.runner import iter_files

def work(path, index, ignore):
    if "slow" in path:
        time.sleep(600)
    return path

if __name__ == "__main__":
    folder = pathlib.Path(tempfile.mkdtemp())
    paths = []
    for i in range(12):
        path = folder / (f"fast{i}.py" if i < 4 else f"slow{i}.py")
        path.write_text("x = 1\\n" * (100 if i < 4 else 1))
        paths.append(path)
    results = iter_files(paths, [], jobs=2, work=work)
    first = next(results)
    results.close()
    print("closed", first[0], len(multiprocessing.active_children()))
"""


def test_a_caller_that_stops_reading_stops_the_pool_at_once():
    """`dataset build` stores each file's pairs as they come; when storing fails, or Ctrl-C comes,
    the pool must not first check every file left (the pool's own shutdown waits for them all), and
    no worker is left behind. Run apart: the old way takes the test's whole timeout."""
    try:
        done = subprocess.run([sys.executable, "-c", STOPS_READING], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("closing iter_files waited for the files left")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["closed", "0", "0"]


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


@pytest.mark.parametrize("command", ["check", "fix"])
def test_the_usage_line_names_the_paths(command: str):
    # typer wrote `[OPTIONS] {paths}...`
    result = runner.invoke(app, [command])
    assert result.exit_code == 2
    assert f"{command} [OPTIONS] PATHS...\n" in result.output and "{" not in result.output
    assert f"{command} [OPTIONS] PATHS..." in runner.invoke(app, [command, "--help"]).stdout


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


def _pending_db(path: Path) -> Path:
    """numpy 2.4.6's two kinds of deprecation only announced, beside one in effect."""
    from apimigrate.db import Deprecation, Evidence, open_db
    kb = open_db(path)
    with kb.transaction():
        kb.upsert_deprecation(Deprecation(
            library="numpy", api="numpy.fix", kind="function", replacement="numpy.trunc", since="2.5",
            message="np.fix will be deprecated in NumPy 2.5 in favor of np.trunc", drop_in=True,
            evidence=[Evidence("stub", "numpy/lib/_ufunclike_impl.pyi", 18, "2.4.6", "@deprecated(...)")]),
            seen_in="2.4.6")
        kb.upsert_deprecation(Deprecation(
            library="numpy", api="numpy.matrix", kind="class", pending=True,
            message="the matrix subclass is not the recommended way to represent matrices",
            evidence=[Evidence("warning", "numpy/matrixlib/defmatrix.py", 120, "2.4.6", "warnings.warn(...)")]),
            seen_in="2.4.6")
        kb.upsert_deprecation(Deprecation(
            library="numpy", api="numpy.row_stack", kind="function", replacement="numpy.vstack", since="2.0",
            drop_in=True, evidence=[Evidence("warning", "numpy/lib/_shape_base_impl.py", 620, "2.4.6", "warn")]),
            seen_in="2.4.6")
    kb.close()
    return path


PENDING_USES = "import numpy as np\nm = np.matrix([[1, 2]])\nt = np.fix(x)\nv = np.row_stack([x])\n"


def test_deprecations_only_announced_are_counted_apart_and_listed_on_request(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _pending_db(tmp_path / "kb.sqlite")
    Path("uses.py").write_text(PENDING_USES)
    result = invoke("uses.py", "--db", "kb.sqlite")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["uses.py:4:5: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack"]
    assert "2 more use(s) of deprecations only announced so far (pending)" in result.stderr
    result = invoke("uses.py", "--db", "kb.sqlite", "--include-pending")
    assert result.stdout.splitlines() == [
        "uses.py:2:5: APIM001 numpy.matrix is pending deprecation",
        "uses.py:3:5: APIM001 numpy.fix will be deprecated in 2.5; use numpy.trunc",
        "uses.py:4:5: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack"]
    items = json.loads(invoke("uses.py", "--db", "kb.sqlite", "--include-pending", "--format", "json").stdout)
    assert [(f["api"], f["pending"]) for f in items] == [
        ("numpy.matrix", True), ("numpy.fix", True), ("numpy.row_stack", False)]
    sarif = json.loads(invoke("uses.py", "--db", "kb.sqlite", "--include-pending", "--format", "sarif").stdout)
    assert [r["level"] for r in sarif["runs"][0]["results"]] == ["note", "note", "warning"]
    # Only announced, and nothing else: a clean run.
    Path("only.py").write_text("import numpy as np\nnp.fix(x)\n")
    assert invoke("only.py", "--db", "kb.sqlite").exit_code == 0


def test_fix_rewrites_a_deprecation_only_announced_on_request(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _pending_db(tmp_path / "kb.sqlite")
    Path("uses.py").write_text(PENDING_USES)
    result = runner.invoke(app, ["fix", "uses.py", "--db", "kb.sqlite"])
    assert result.exit_code == 0, result.output
    assert Path("uses.py").read_text() == PENDING_USES.replace("row_stack", "vstack")
    result = runner.invoke(app, ["fix", "uses.py", "--db", "kb.sqlite", "--include-pending"])
    assert Path("uses.py").read_text() == PENDING_USES.replace("row_stack", "vstack").replace("np.fix", "np.trunc")
    assert "numpy.matrix is pending deprecation (not fixed)" in result.stderr   # no replacement known


def test_help_keeps_bracketed_text_and_joins_wrapped_lines():
    # rich markup took "[refresh]" for a style tag, and each wrapped source line was a line break
    wide = {"COLUMNS": "200"}
    assert "(TOML, [refresh] table)" in runner.invoke(app, ["refresh", "--help"], env=wide).stdout
    text = runner.invoke(app, ["check", "--help"], env=wide).stdout
    assert "APIM002 deprecated use of a parameter (the keyword, a value, passing it by position)" in text


def test_db_list_wraps_long_names_in_a_narrow_terminal_rather_than_cutting_them(project: Path, monkeypatch):
    """An 80-column terminal cut `pandas.core.indexes.accessors.DatetimeProperties.dayofweek` to
    `pandas.core.indexes.accessor…`: no name to give `db show`, and two such rows read as one."""
    import io

    from rich.console import Console

    from apimigrate.cli import db_cmd
    out = io.StringIO()
    monkeypatch.setattr(db_cmd, "console", Console(file=out, width=50))
    assert runner.invoke(app, ["db", "list", "sklearn", "--db", str(project / "kb.sqlite")]).exit_code == 0
    # the api column's pieces, line after line, spell each name whole
    api_column = "".join(line.split("│")[1].strip() for line in out.getvalue().splitlines() if line.startswith("│"))
    assert "sklearn.metrics.roc_auc_score" in api_column and "…" not in api_column, out.getvalue()
