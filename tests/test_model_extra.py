"""A plain install (no `unlearn` extra) lints, fixes, scans and serves diagnostics without torch, and
the commands that need a model say what to install instead of failing midway.

The model packages are hidden from the child processes by a `sitecustomize` on their PYTHONPATH that
makes importing any of them fail, as it would where they are not installed."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

from apimigrate.local_models import MODEL_PACKAGES
from test_lsp import SERVER, diagnostics_where, open_doc, until
from test_lsp_inline import make_db, stack_doc
from unlearn_support import TOY_NUMPY, write_tree

ROOT = Path(__file__).resolve().parents[1]
APIMIGRATE = str(Path(sys.executable).with_name("apimigrate"))
HIDDEN = (*MODEL_PACKAGES, "triton", "tokenizers")
INSTALL_HINT = "pip install 'apimigrate[unlearn]'"

SITECUSTOMIZE = f'''import sys

HIDDEN = {HIDDEN!r}


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
'''


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child process that finds none of the model packages."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {**os.environ, "PYTHONPATH": str(hide)}
    # The hiding works (else every test below would pass with torch at hand).
    probe = subprocess.run([sys.executable, "-c", "import torch"], env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "No module named 'torch'" in probe.stderr
    return env


def apimigrate(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([APIMIGRATE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240)


def test_core_dependencies_leave_out_the_model_packages() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(reqs: list[str]) -> set[str]:
        return {r.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip() for r in reqs}
    assert not names(project["dependencies"]) & set(HIDDEN)
    extras = project["optional-dependencies"]
    assert names(extras["unlearn"]) >= set(HIDDEN)
    # The CPU install path: the same packages with torch pinned to the CPU wheel.
    assert "apimigrate[unlearn]" in extras["cpu"] and "torch==2.13.0" in extras["cpu"]


def test_scan_check_fix_and_dataset_run_without_model_packages(env: dict[str, str], tmp_path: Path) -> None:
    lib = write_tree(tmp_path / "numpy-src", TOY_NUMPY)
    db = str(tmp_path / "kb.db")
    scanned = apimigrate(env, tmp_path, "scan", str(lib), "--db", db, "-q")
    assert scanned.returncode == 0, scanned.stderr
    code = tmp_path / "proj" / "use.py"
    code.parent.mkdir()
    code.write_text("import numpy as np\n\nout = np.row_stack([[1], [2]])\n")

    checked = apimigrate(env, tmp_path, "check", str(code), "--db", db)
    assert checked.returncode == 1, checked.stderr
    assert "APIM001 numpy.row_stack" in checked.stdout
    built = apimigrate(env, tmp_path, "dataset", "build", str(code.parent), "--out", str(tmp_path / "ds"), "--db", db)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "ds").is_dir() and any((tmp_path / "ds").iterdir())
    fixed = apimigrate(env, tmp_path, "fix", str(code), "--db", db)
    assert fixed.returncode == 0, fixed.stderr
    assert code.read_text() == "import numpy as np\n\nout = np.vstack([[1], [2]])\n"
    exported = apimigrate(env, tmp_path, "db", "export", "--db", db, "--format", "ruff")
    assert exported.returncode == 0 and '"numpy.row_stack".msg' in exported.stdout


@pytest.mark.parametrize("args", [
    ["train", "{tmp}/data", "--model", "{tmp}/model", "--out", "{tmp}/out"],
    ["evaluate", "{tmp}/data", "--model", "{tmp}/model", "--out", "{tmp}/out"],
    ["refresh", "--config", "{tmp}/refresh.toml"],
])
def test_model_commands_say_what_to_install(env: dict[str, str], tmp_path: Path, args: list[str]) -> None:
    res = apimigrate(env, tmp_path, *[a.format(tmp=tmp_path) for a in args])
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    [line] = res.stderr.strip().splitlines()
    assert f"apimigrate {args[0]} needs torch" in line and INSTALL_HINT in line


@pytest.mark.slow
async def test_language_server_diagnoses_and_tells_why_no_completions(env: dict[str, str], tmp_path: Path) -> None:
    model = tmp_path / "model"          # promoted in the registry; never loaded without torch
    model.mkdir()
    (model / "config.json").write_text("{}")
    db = make_db(tmp_path / "kb.db", base=model)
    client = await ClientServerConfig(server_command=SERVER, server_env=env).start()
    try:
        await client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), root_uri="file:///project",
            initialization_options={"dbPath": str(db)}))
        text, cursor = stack_doc(0)
        uri = "file:///project/stack.py"
        open_doc(client, text, uri=uri)
        await diagnostics_where(client, lambda d: any("row_stack" in x.message for x in d), "diagnostics", uri=uri)
        result = await asyncio.wait_for(client.text_document_inline_completion_async(types.InlineCompletionParams(
            context=types.InlineCompletionContext(trigger_kind=types.InlineCompletionTriggerKind.Automatic),
            text_document=types.TextDocumentIdentifier(uri=uri), position=cursor)), 60)
        assert not result or not (result.items if isinstance(result, types.InlineCompletionList) else result)

        def told() -> list[str]:
            return [m.message for m in client.messages if "no inline completions" in m.message]
        await until(told, "the message about the missing packages")
        assert "needs torch" in told()[0] and INSTALL_HINT in told()[0], told()
        await client.shutdown_session()
    finally:
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()
        await client.stop()
