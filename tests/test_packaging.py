"""The built wheel maps db/, kernels/, lsp/ into apimigrate and installs nothing generic at top level."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True)
    [whl] = out.glob("apimigrate-*.whl")
    return whl


def test_wheel_layout(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops <= {"apimigrate", next(t for t in tops if t.endswith(".dist-info"))}, tops
    for mod in ("apimigrate/db/__init__.py", "apimigrate/kernels/__init__.py", "apimigrate/lsp/__init__.py",
                "apimigrate/db/migrations.py", "apimigrate/scan/runner.py"):
        assert mod in names


def test_wheel_imports_from_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import apimigrate, apimigrate.db, apimigrate.kernels, apimigrate.lsp; "
            "print(apimigrate.db.__file__)")
    # -I: ignore PYTHONPATH and the script dir, so only the unpacked wheel can provide apimigrate
    res = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().startswith(str(site))
