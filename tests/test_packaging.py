"""The built wheel holds every module of the checkout, maps db/, kernels/, lsp/ into apimigrate, installs
nothing generic at top level, and imports whole without the checkout."""
from __future__ import annotations

import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# source folder -> its package in the wheel (pyproject's [tool.setuptools.package-dir])
SOURCE_DIRS = {"apimigrate": "apimigrate", "db": "apimigrate/db", "kernels": "apimigrate/kernels",
               "lsp": "apimigrate/lsp"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True)
    [whl] = out.glob("apimigrate-*.whl")
    return whl


def _source_modules() -> set[str]:
    """Every module file of the checkout, named as the wheel should hold it."""
    names = set()
    for folder, package in SOURCE_DIRS.items():
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT / folder)
            if "__pycache__" in rel.parts or (folder == "apimigrate" and rel.parts[0] in SOURCE_DIRS):
                continue
            names.add(f"{package}/{rel.as_posix()}")
    return names


def test_wheel_layout(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops <= {"apimigrate", next(t for t in tops if t.endswith(".dist-info"))}, tops
    # A subpackage missing from pyproject's `packages` list is left out of the wheel, and an editable
    # install hides that: its finder serves the folder from the checkout.
    missing = _source_modules() - set(names)
    assert not missing, f"not in the wheel: {sorted(missing)}"


def test_wheel_imports_from_outside_the_checkout(wheel, tmp_path):
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    # -S: no site-packages .pth files, so an editable install's finder cannot serve a module the wheel
    # lacks; the dependencies come from site-packages put on the path by hand. -I: no PYTHONPATH, no
    # script dir.
    paths = [str(unpacked), *site.getsitepackages()]
    code = ("import importlib, pkgutil, sys\n"
            f"sys.path[:0] = {paths!r}\n"
            "import apimigrate\n"
            "mods = [m.name for m in pkgutil.walk_packages(apimigrate.__path__, 'apimigrate.')]\n"
            "for name in mods:\n"
            "    mod = importlib.import_module(name)\n"
            f"    assert mod.__file__.startswith({str(unpacked)!r}), (name, mod.__file__)\n"
            "print('\\n'.join(mods))\n")
    res = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    imported = set(res.stdout.split())
    expected = {f[:-len(".py")].removesuffix("/__init__").replace("/", ".") for f in _source_modules()} - {"apimigrate"}
    assert imported == expected, (sorted(expected - imported), sorted(imported - expected))
