"""`apimigrate fix`: exact rewrites only, imports, formatting kept, idempotent, --diff."""
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
from test_callsites_support import build_db

runner = CliRunner()

BEFORE = """\
import numpy as np  # arrays
import pandas as pd
from numpy import product, array
from sklearn.metrics import roc_auc_score

a = np.row_stack([x,   y])   # odd spacing stays
b = np.row_stack(
    [x, y],  # a comment inside the call
)
c = product(a) + np.msort(a)
df = pd.io.json.json_normalize(d)
df.applymap(str)
s = pd.read_csv(p, delim_whitespace=True)
roc_auc_score(y, y_true_x=p)
def g(np):
    return np.row_stack(a)
from sklearn.utils.extmath import stable_cumsum
t = stable_cumsum(a)
"""

AFTER = """\
import numpy as np  # arrays
import pandas as pd
from numpy import prod, array
from sklearn.metrics import roc_auc_score

a = np.vstack([x,   y])   # odd spacing stays
b = np.vstack(
    [x, y],  # a comment inside the call
)
c = prod(a) + np.msort(a)
df = pd.json_normalize(d)
df.applymap(str)
s = pd.read_csv(p, delim_whitespace=True)
roc_auc_score(y, y_score=p)
def g(np):
    return np.row_stack(a)
from sklearn.utils.extmath import stable_cumsum
t = stable_cumsum(a)
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "code.py").write_text(BEFORE)
    build_db(tmp_path / "kb.sqlite")
    return tmp_path


def fix(*args: str):
    return runner.invoke(app, ["fix", *args])


def test_fix_rewrites_exactly_and_leaves_the_rest(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = fix("code.py", "--db", "kb.sqlite")
    assert result.exit_code == 0, result.output
    assert (project / "code.py").read_text() == AFTER
    # What could not be rewritten exactly is listed, the lines untouched.
    assert "code.py:10:15: APIM001 numpy.msort is deprecated since 1.24 (removed in 2.0) (not fixed)" in result.stderr
    assert "APIM003 pandas.DataFrame.applymap" in result.stderr
    # stable_cumsum -> numpy.cumulative_sum is advice, not a drop-in: reported, never rewritten
    assert "APIM001 sklearn.utils.extmath.stable_cumsum" in result.stderr
    # counted by code: a suite's thousands of changing defaults would hide the renames left
    assert "Fixed 6 use(s) in 1 file(s); 5 left to fix by hand (3 APIM001, 1 APIM002, 1 APIM003)." in result.stderr


def test_fix_is_idempotent(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    fix("code.py", "--db", "kb.sqlite")
    once = (project / "code.py").read_bytes()
    result = fix("code.py", "--db", "kb.sqlite")
    assert result.exit_code == 0
    assert (project / "code.py").read_bytes() == once
    assert "Fixed 0 use(s) in 0 file(s)" in result.stderr


def test_diff_prints_and_writes_nothing(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = fix("code.py", "--db", "kb.sqlite", "--diff")
    assert result.exit_code == 1
    assert (project / "code.py").read_text() == BEFORE
    assert result.stdout.startswith("--- a/code.py\n+++ b/code.py\n")
    removed = [l for l in result.stdout.splitlines() if l.startswith("-") and not l.startswith("---")]
    assert "-from numpy import product, array" in removed
    assert not any("applymap" in l or "read_csv" in l for l in removed)
    (project / "code.py").write_text(AFTER)
    assert fix("code.py", "--db", "kb.sqlite", "--diff").stdout == ""


def test_moved_imports_and_added_imports(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    src = (
        "from pandas.io.json import json_normalize, read_json\n"
        "import scipy.integrate.quadpack\n"
        "import matplotlib.cm as cm\n"
        "json_normalize(d)\n"
        "scipy.integrate.quadpack.quad(f, 0, 1)\n"
        "cm.get_cmap('viridis')\n"
    )
    (project / "moved.py").write_text(src)
    assert fix("moved.py", "--db", "kb.sqlite").exit_code == 0
    assert (project / "moved.py").read_text() == (
        "from pandas.io.json import read_json\n"
        "from pandas import json_normalize\n"
        "import scipy.integrate\n"
        "import matplotlib.cm as cm\n"
        "from matplotlib.colormaps import get_cmap\n"
        "json_normalize(d)\n"
        "scipy.integrate.quad(f, 0, 1)\n"
        "get_cmap('viridis')\n"
    )


def test_line_endings_and_unicode_survive(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    (project / "crlf.py").write_bytes("import numpy as np\r\ns = 'ü'; np.row_stack(a)\r\n".encode())
    fix("crlf.py", "--db", "kb.sqlite")
    assert (project / "crlf.py").read_bytes() == "import numpy as np\r\ns = 'ü'; np.vstack(a)\r\n".encode()


def test_a_declared_encoding_is_read_and_written_back(project: Path, monkeypatch):
    """PEP 263: `# -*- coding: latin-1 -*-` is valid Python; the fix keeps the file in latin-1. A
    BOM stays; bytes that are not what the file says are reported and the file left alone."""
    monkeypatch.chdir(project)
    latin = "# -*- coding: latin-1 -*-\nimport numpy as np\ns = 'café'; np.row_stack(a)\n"
    (project / "latin.py").write_bytes(latin.encode("latin-1"))
    (project / "bom.py").write_bytes(b"\xef\xbb\xbfimport numpy as np; np.row_stack(a)\n")
    undeclared = b"import numpy as np\ns = 'caf\xe9'; np.row_stack(a)\n"
    (project / "undeclared.py").write_bytes(undeclared)
    check = runner.invoke(app, ["check", "latin.py", "bom.py", "undeclared.py", "--db", "kb.sqlite",
                                "--format", "json"])
    assert [(f["path"], f["line"], f["col"]) for f in json.loads(check.stdout)] == [
        ("latin.py", 3, 13), ("bom.py", 1, 21)]          # columns of the text, the BOM no column
    assert "undeclared.py:2:9: cannot read as UTF-8: invalid continuation byte, file skipped" in check.stderr
    files = ("latin.py", "bom.py", "undeclared.py")
    assert "Would fix 2 use(s) in 2 file(s)" in fix(*files, "--db", "kb.sqlite", "--diff").stderr
    result = fix(*files, "--db", "kb.sqlite")
    assert result.exit_code == 2, result.output                 # one file could not be read
    assert (project / "latin.py").read_bytes() == latin.replace("row_stack", "vstack").encode("latin-1")
    assert (project / "bom.py").read_bytes() == b"\xef\xbb\xbfimport numpy as np; np.vstack(a)\n"
    assert (project / "undeclared.py").read_bytes() == undeclared
    assert "undeclared.py:2:9: cannot read as UTF-8" in result.stderr


def test_check_and_fix_agree_on_a_file_that_cannot_hold_a_finding(project: Path, monkeypatch):
    """Bytes that are no UTF-8 but spell no library name: nothing to find, so neither command
    reads the file as text nor fails over it."""
    monkeypatch.chdir(project)
    (project / "blob.py").write_bytes(b"\xff\xfe\x00\x00 x = 1\n")
    check = runner.invoke(app, ["check", "blob.py", "--db", "kb.sqlite"])
    result = fix("blob.py", "--db", "kb.sqlite")
    assert (check.exit_code, check.output, result.exit_code) == (0, "", 0), result.output
    assert "blob.py" not in result.output


def test_the_diff_of_a_crlf_file_shows_only_the_lines_fixed(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    (project / "crlf.py").write_bytes(b"import numpy as np\r\nx = 1\r\nnp.row_stack(a)\r\n")
    changed = [l for l in fix("crlf.py", "--db", "kb.sqlite", "--diff").stdout.splitlines()
               if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    assert changed == ["-np.row_stack(a)", "+np.vstack(a)"]


def test_the_fix_replaces_the_file_whole_keeping_its_mode_and_links(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    (project / "real.py").write_text("import numpy as np\nnp.row_stack(a)\n")
    (project / "real.py").chmod(0o640)
    (project / "link.py").symlink_to("real.py")
    assert fix("link.py", "--db", "kb.sqlite").exit_code == 0
    assert (project / "link.py").is_symlink()
    assert (project / "real.py").read_text() == "import numpy as np\nnp.vstack(a)\n"
    assert (project / "real.py").stat().st_mode & 0o777 == 0o640
    assert not [p for p in project.iterdir() if p.name.endswith(".apimigrate")]     # no temporary left


def test_a_file_reached_by_a_link_too_is_fixed_once(project: Path, monkeypatch):
    """`fix .` counted a linked file twice ("Fixed 12 use(s) in 2 file(s)" for one file's 6)."""
    monkeypatch.chdir(project)
    (project / "alias.py").symlink_to("code.py")
    result = fix(".", "--db", "kb.sqlite")
    assert result.exit_code == 0, result.output
    assert "Fixed 6 use(s) in 1 file(s)" in result.stderr
    assert (project / "code.py").read_text() == AFTER and (project / "alias.py").is_symlink()


def test_a_write_that_fails_leaves_the_file_as_it_was(project: Path, monkeypatch):
    """A full disk (or any error) mid-write: the file is whole, the others are fixed, exit 2."""
    monkeypatch.chdir(project)
    (project / "other.py").write_text("import numpy as np\nnp.row_stack(a)\n")
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if name == "code.py" or name.startswith(".code.py."):       # the file, or what replaces it
            raise OSError(28, "No space left on device")
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", full_disk)
    result = fix("code.py", "other.py", "--db", "kb.sqlite", "-j", "1")
    assert result.exit_code == 2
    assert "code.py: cannot write the fix, file left as it was: No space left on device" in result.stderr
    assert (project / "code.py").read_text() == BEFORE
    assert (project / "other.py").read_text() == "import numpy as np\nnp.vstack(a)\n"
    assert "Fixed 1 use(s) in 1 file(s)" in result.stderr
    assert not [p for p in project.iterdir() if p.name.endswith(".apimigrate")]


@pytest.mark.timeout(60)
def test_a_fifo_in_the_tree_is_passed_over(project: Path, monkeypatch):
    """Opening a FIFO named like a module would wait for a writer forever."""
    monkeypatch.chdir(project)
    os.mkfifo(project / "pipe.py")
    result = runner.invoke(app, ["check", ".", "--db", "kb.sqlite", "--format", "json"])
    assert result.exit_code == 1
    assert {f["path"] for f in json.loads(result.stdout)} == {"code.py"}


def test_unparsable_files_are_reported_and_skipped(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    (project / "broken.py").write_text("import numpy as np\nnp.row_stack(a\n")
    result = fix(".", "--db", "kb.sqlite")
    assert result.exit_code == 2                                # the job did not fix everything
    assert (project / "broken.py").read_text() == "import numpy as np\nnp.row_stack(a\n"
    assert "broken.py:" in result.stderr and "syntax error, file skipped" in result.stderr
    assert "error: 1 file(s) could not be read or parsed, left as they were" in result.stderr
    assert (project / "code.py").read_text() == AFTER


def test_console_script_fix_diff(project: Path):
    exe = shutil.which("apimigrate", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the apimigrate console script is not installed (pip install -e .)")
    proc = subprocess.run([exe, "fix", "code.py", "--db", "kb.sqlite", "--diff"], cwd=project,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "+a = np.vstack([x,   y])   # odd spacing stays" in proc.stdout.splitlines()
    proc = subprocess.run([exe, "fix", "code.py", "--db", "kb.sqlite"], cwd=project,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and (project / "code.py").read_text() == AFTER


def test_ctrl_c_while_fixes_are_written_stops_between_two_files_and_says_how_many(project: Path, monkeypatch):
    """Each fixed file is replaced whole; the first Ctrl-C stops the writing before the next file, in
    one line that says how many were written, exit 130. Ctrl-C while the files are read: none changed."""
    import signal

    import apimigrate.check.runner as runner_module
    monkeypatch.chdir(project)
    shutil.copy(project / "code.py", project / "other.py")
    written = []
    real_write = runner_module.write_fixed

    def write_then_ctrl_c(path, text, encoding):
        real_write(path, text, encoding)
        written.append(path)
        os.kill(os.getpid(), signal.SIGINT)         # as a user's Ctrl-C while this file was written

    monkeypatch.setattr(runner_module, "write_fixed", write_then_ctrl_c)
    result = fix("code.py", "other.py", "--db", "kb.sqlite", "-j", "1")
    assert result.exit_code == 130, result.output
    assert len(written) == 1 and Path(written[0]).read_text() == AFTER
    untouched = ({"code.py", "other.py"} - {Path(written[0]).name}).pop()
    assert (project / untouched).read_text() == BEFORE
    assert "interrupted: 1 of the 2 fixed files written" in result.output

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("apimigrate.check.run_files", ctrl_c)
    for command in (["fix", untouched], ["check", untouched]):
        stopped = runner.invoke(app, [*command, "--db", "kb.sqlite"])
        assert stopped.exit_code == 130 and stopped.output.strip().startswith("interrupted: "), stopped.output
        assert len(stopped.output.strip().splitlines()) == 1
    assert (project / untouched).read_text() == BEFORE
