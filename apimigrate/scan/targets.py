"""Turn a scan target (installed name, name==version, local path) into a tree of files to read."""
from __future__ import annotations

import os
import re
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from email.parser import Parser
from importlib import metadata
from pathlib import Path
from typing import Iterator

from packaging.utils import canonicalize_name

from .changelog import is_changelog_path

MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a generated table, not code: skip and count
TEST_DIRS = {"tests", "test"}
VENDORED_DIRS = {"externals", "_externals", "vendor", "_vendor", "_vendored", "vendored"}
SKIP_DIRS = {"__pycache__", ".git", "node_modules", ".tox", ".venv", ".eggs"}
# Build outputs, at a checkout's or sdist's top only: SQLAlchemy keeps its changelogs in doc/build/.
ROOT_SKIP_DIRS = {"build", "dist"}


class ScanError(Exception):
    """A target cannot be scanned; the message is one line for the user."""


@dataclass
class SourceFile:
    path: Path        # where to read it
    rel: str          # path recorded in evidence (relative to the tree's root, '/' separated)
    module: str | None = None   # dotted module for .py/.pyi; None for changelogs
    is_package: bool = False
    is_stub: bool = False

    @property
    def is_changelog(self) -> bool:
        return self.module is None

    @property
    def is_cython(self) -> bool:
        return self.path.suffix == ".pyx"


@dataclass
class SourceTree:
    library: str                 # canonical distribution name ("scikit-learn")
    version: str
    packages: list[str]          # top-level import packages ("sklearn")
    source_kind: str             # installed | pinned | path
    source_ref: str
    files: list[SourceFile] = field(default_factory=list)
    notes_unread: str = ""       # why an installed release's notes were not read, "" when they were
    notes_from: str = ""         # the older release whose notes were read instead (runner._with_older_notes)
    sdist_lacks_notes: bool = False  # the release's sdist was read and carries no release notes
    # modules the tree has only compiled (`numpy.random.mtrand`, a .so): their Cython sources, which
    # wheels do not carry, come from the sdist (runner.with_sdist_sources)
    compiled: set[str] = field(default_factory=set)


def _module_for(rel_parts: tuple[str, ...]) -> tuple[str, bool]:
    """('numpy', 'lib', '_impl.py') -> ('numpy.lib._impl', False); __init__ -> the package."""
    stem = rel_parts[-1].rsplit(".", 1)[0]
    if stem == "__init__":
        return ".".join(rel_parts[:-1]), True
    return ".".join((*rel_parts[:-1], stem)), False


_EXTENSION_SUFFIXES = (".so", ".pyd")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _python_file(path: Path | str, rel_to_pkgroot: tuple[str, ...], rel: str) -> SourceFile | None:
    stem, suffix = os.path.splitext(rel_to_pkgroot[-1])
    if suffix not in (".py", ".pyi", ".pyx"):
        return None
    if any(not _IDENTIFIER.fullmatch(p) for p in (*rel_to_pkgroot[:-1], stem)):
        return None  # not importable (tests data, versioned dirs like 'v1.2')
    if any(p in TEST_DIRS or p in VENDORED_DIRS for p in rel_to_pkgroot[:-1]):
        return None  # own tests warn on purpose; vendored code is another library's API
    module, is_pkg = _module_for(rel_to_pkgroot)
    return SourceFile(path=Path(path), rel=rel, module=module, is_package=is_pkg, is_stub=suffix == ".pyi")


def _extension_module(parts: tuple[str, ...]) -> str | None:
    """('numpy', 'random', 'mtrand.cpython-311-x86_64-linux-gnu.so') -> 'numpy.random.mtrand'."""
    if not parts[-1].endswith(_EXTENSION_SUFFIXES):
        return None
    stem = parts[-1].split(".", 1)[0]
    names = (*parts[:-1], stem)
    if not all(_IDENTIFIER.fullmatch(n) for n in names):
        return None
    return ".".join(names)


def _without_shadowed_cython(tree: SourceTree) -> SourceTree:
    """A module with a .py and a .pyx (a pure-Python fallback beside its accelerated twin) is read
    from the .py, which is what every install has."""
    python = {f.module for f in tree.files if f.module is not None and f.path.suffix == ".py"}
    tree.files = [f for f in tree.files if not (f.is_cython and f.module in python)]
    return tree


def _walk(root: Path) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(the path, its parts below `root`) of every file under `root`, each folder's entries by name.
    Strings and `os.scandir`, not `Path`s: a rescan walks every release's unpacked sdist (40,000
    files for numpy, pandas, scipy and scikit-learn), and pathlib's parsing was most of its time."""
    stack: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            try:
                is_dir = e.is_dir() and not e.is_symlink()
                is_file = not is_dir and e.is_file()
            except OSError:
                continue
            if is_dir:
                if e.name not in SKIP_DIRS and not e.name.endswith((".dist-info", ".egg-info")) \
                        and not (not parts and e.name in ROOT_SKIP_DIRS):
                    stack.append((e.path, (*parts, e.name)))
            elif is_file:
                yield e.path, (*parts, e.name)


def tree_from_dir(root: Path, *, library: str, version: str, packages: list[str],
                  source_kind: str, source_ref: str) -> SourceTree:
    """Collect the packages' .py/.pyi/.pyx files and every changelog anywhere under `root`."""
    tree = SourceTree(library, version, packages, source_kind, source_ref)
    pkg_roots = {}
    for pkg in packages:
        for base in (root, root / "src", root / "lib"):
            if (base / pkg).is_dir() or (base / f"{pkg}.py").is_file():
                pkg_roots[pkg] = base
                break
    # each package's folder as parts below `root`: (), ("src",) or ("lib",)
    prefixes = {pkg: base.relative_to(root).parts for pkg, base in pkg_roots.items()}
    for path, parts in _walk(root):
        rel = "/".join(parts)
        sf = None
        for pkg, prefix in prefixes.items():
            if len(parts) <= len(prefix) or parts[:len(prefix)] != prefix:
                continue
            inner = parts[len(prefix):]
            if inner[0] in (pkg, f"{pkg}.py", f"{pkg}.pyi"):
                sf = _python_file(path, inner, rel)
                compiled = _extension_module(inner)
                if compiled is not None:
                    tree.compiled.add(compiled)
                break
        if sf is None and is_changelog_path(rel):
            sf = SourceFile(path=Path(path), rel=rel)
        if sf is not None:
            tree.files.append(sf)
    return _without_shadowed_cython(tree)


# ---- installed distributions --------------------------------------------------
def _top_level_packages(dist: metadata.Distribution) -> list[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return [t.strip() for t in text.split() if t.strip() and not t.startswith("_")] or text.split()
    tops = set()
    for f in dist.files or []:
        parts = f.parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] == "..":
            continue
        if len(parts) > 1:
            tops.add(parts[0])
        elif parts[0].endswith(".py"):
            tops.add(parts[0][:-3])
    return sorted(t for t in tops if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", t))


def installed_tree(name: str) -> SourceTree:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise ScanError(
            f"no installed distribution named {name!r} (install it, or scan {name}==VERSION or a path)"
        ) from None
    library = canonicalize_name(dist.metadata["Name"] or name)
    packages = _top_level_packages(dist)
    root = Path(str(dist.locate_file("")))
    if not packages:
        raise ScanError(f"distribution {library} installs no importable package")
    tree = SourceTree(library, dist.version, packages, "installed", str(root))
    for f in dist.files or []:
        parts = f.parts
        if not parts or parts[0] not in {*packages, *(p + ".py" for p in packages)}:
            continue
        path = Path(str(dist.locate_file(f)))
        compiled = _extension_module(parts)
        if compiled is not None:
            tree.compiled.add(compiled)
        sf = _python_file(path, parts, "/".join(parts))
        if sf is not None and path.is_file():
            tree.files.append(sf)
    return _without_shadowed_cython(tree)


# ---- local paths: checkouts, unpacked sdists, wheel and sdist files ------------
def _meta_from_text(text: str) -> tuple[str | None, str | None]:
    msg = Parser().parsestr(text, headersonly=True)
    return msg.get("Name"), msg.get("Version")


def _meta_from_dir(root: Path) -> tuple[str | None, str | None]:
    for cand in [root / "PKG-INFO", *root.glob("*.dist-info/METADATA"), *root.glob("*.egg-info/PKG-INFO")]:
        if cand.is_file():
            return _meta_from_text(cand.read_text(errors="replace"))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        import tomllib
        try:
            proj = tomllib.loads(pyproject.read_text(errors="replace")).get("project", {})
        except tomllib.TOMLDecodeError:
            proj = {}
        if proj.get("name"):
            return proj["name"], proj.get("version")
    return None, None


# A checkout's folders beside the package; some wheels install their tests at top level too.
_NOT_PACKAGES = frozenset({"tests", "test", "doc", "docs", "benchmarks", "tools"})


def _declared_packages(root: Path) -> list[str]:
    """The top-level packages and modules an unpacked wheel says it installs, as an installed scan
    reads them (`top_level.txt`, else the top-level entries of RECORD); an sdist's setuptools
    `*.egg-info/top_level.txt` too. attrs' wheel installs `attr/` (the code) and `attrs/`,
    matplotlib's `matplotlib/`, `mpl_toolkits/` and `pylab.py`: none may be dropped for not being
    named like the distribution. Only names present under `root` (or its `src/`, `lib/`)."""
    declared: list[str] = []
    for info in sorted(root.glob("*.dist-info")):
        declared = _top_level_packages(metadata.PathDistribution(info))
        if declared:
            break
    if not declared:
        for info in sorted([*root.glob("*.egg-info"), *root.glob("src/*.egg-info")]):
            text = (info / "top_level.txt").read_text(errors="replace") if (info / "top_level.txt").is_file() else ""
            declared = [t for t in text.split() if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", t)]
            if declared:
                break
    if not declared:
        declared = _pyproject_packages(root)
    return [p for p in declared if p not in _NOT_PACKAGES
            and any((base / p).is_dir() or (base / f"{p}.py").is_file() for base in (root, root / "src", root / "lib"))]


def _pyproject_packages(root: Path) -> list[str]:
    """The packages a checkout's or sdist's pyproject.toml lists for its wheel: hatch's
    `[tool.hatch.build.targets.wheel] packages = ["src/attr", "src/attrs"]` (attrs), setuptools'
    `[tool.setuptools] packages = [...]`; [] when it lists none (found by discovery)."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return []
    import tomllib
    try:
        tool = tomllib.loads(pyproject.read_text(errors="replace")).get("tool", {})
    except tomllib.TOMLDecodeError:
        return []
    hatch = tool.get("hatch", {}).get("build", {}).get("targets", {}).get("wheel", {}).get("packages")
    setuptools = tool.get("setuptools", {}).get("packages")
    out: list[str] = []
    for entry in (hatch if isinstance(hatch, list) else []):
        if isinstance(entry, str):
            out.append(entry.rstrip("/").rsplit("/", 1)[-1])
    for entry in (setuptools if isinstance(setuptools, list) else []):
        if isinstance(entry, str):
            out.append(entry.split(".", 1)[0])
    return [p for p in dict.fromkeys(out) if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", p)]


def _guess_packages(root: Path, library: str) -> list[str]:
    declared = _declared_packages(root)
    if declared:
        return declared
    cands = []
    for base in (root, root / "src", root / "lib"):
        if not base.is_dir():
            continue
        for d in sorted(base.iterdir()):
            if d.is_dir() and (d / "__init__.py").is_file() and d.name not in _NOT_PACKAGES:
                cands.append(d.name)
    want = {library.replace("-", "_"), library.replace("-", "")}
    preferred = [c for c in cands if c.lower() in want]
    return preferred or cands


def unpack(archive: Path, dest: Path) -> Path:
    """Unpack a wheel or sdist into `dest` (idempotent) and return its root folder."""
    marker = dest / ".unpacked"
    if not marker.exists():
        dest.mkdir(parents=True, exist_ok=True)
        try:
            if archive.suffix in (".whl", ".zip"):
                with zipfile.ZipFile(archive) as zf:
                    zf.extractall(dest)
            else:
                with tarfile.open(archive) as tf:
                    tf.extractall(dest, filter="data")
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, zlib.error) as exc:   # EOFError: cut short
            raise ScanError(f"cannot unpack {archive.name}: {exc}") from exc
        marker.touch()
    children = [c for c in dest.iterdir() if c.name != ".unpacked"]
    if archive.suffix != ".whl" and len(children) == 1 and children[0].is_dir():
        return children[0]  # sdists hold one top folder
    return dest


def path_tree(path: Path, *, cache_dir: Path, source_kind: str = "path",
              name: str | None = None, version: str | None = None) -> SourceTree:
    if not path.exists():
        raise ScanError(f"no such file or folder: {path}")
    root = path
    if path.is_file():
        if not path.name.endswith((".whl", ".tar.gz", ".zip", ".tgz")):
            raise ScanError(f"{path.name} is neither a folder, a wheel nor an sdist")
        root = unpack(path, cache_dir / "unpacked" / path.name)
    meta_name, meta_version = _meta_from_dir(root)
    library = canonicalize_name(name or meta_name or root.name.split("-")[0])
    version = version or meta_version or "0+local"
    packages = _guess_packages(root, library)
    if not packages:
        raise ScanError(f"found no Python package under {path}")
    return tree_from_dir(root, library=library, version=version, packages=packages,
                         source_kind=source_kind, source_ref=str(path))
