"""The pre-commit hooks (.pre-commit-hooks.yaml) run as pre-commit runs them: the entry with the
staged files of the hook's types appended, from the project's root, its [tool.apimigrate] table read."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from test_callsites_support import build_db

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
                       "source": ["import numpy as np\n", "y = np.row_stack([[1], [2]])\n"]}],
            "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}


def _hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def _run(hook: dict, project: Path, files: list[str]) -> subprocess.CompletedProcess:
    command, *args = hook["entry"].split()
    env = {k: v for k, v in os.environ.items() if k != "APIMIGRATE_DB"}   # the project's own db counts
    return subprocess.run([str(BIN / command), *args, *hook.get("args", []), *files], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_hooks_are_what_pre_commit_needs():
    hooks = _hooks()
    assert set(hooks) == {"apimigrate-check", "apimigrate-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["name"] and hook["entry"].startswith("apimigrate ")
        assert hook["types_or"] == ["python", "jupyter"] and hook["require_serial"] is True


def test_check_fails_on_a_deprecated_use_and_fix_rewrites_it(tmp_path: Path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    build_db(project / "tools.sqlite")
    (project / "pyproject.toml").write_text('[tool.apimigrate]\ndb = "tools.sqlite"\n')
    (project / "src" / "a.py").write_text("import numpy as np\n\nx = np.row_stack([[1], [2]])\n")
    (project / "src" / "clean.py").write_text("import numpy as np\n\nx = np.vstack([[1], [2]])\n")
    (project / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    files = ["src/a.py", "src/clean.py", "nb.ipynb"]
    hooks = _hooks()

    checked = _run(hooks["apimigrate-check"], project, files)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.splitlines()[:2] == [
        "src/a.py:3:5: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack",
        "nb.ipynb:cell 1:2:5: APIM001 numpy.row_stack is deprecated since 2.0; use numpy.vstack"]
    assert _run(hooks["apimigrate-check"], project, ["src/clean.py"]).returncode == 0

    fixed = _run(hooks["apimigrate-fix"], project, files)
    assert fixed.returncode == 0, fixed.stderr    # pre-commit fails the hook because files changed
    assert (project / "src" / "a.py").read_text() == "import numpy as np\n\nx = np.vstack([[1], [2]])\n"
    assert "np.vstack" in "".join(json.loads((project / "nb.ipynb").read_text())["cells"][0]["source"])
    assert _run(hooks["apimigrate-check"], project, files).returncode == 0
