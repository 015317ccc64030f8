"""Read one file and hand it to the right extractor; runs in worker processes."""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
from dataclasses import fields
from pathlib import Path

from apimigrate.db import records as db_records

from .model import FileResult, ModuleInfo, RawFinding
from .targets import MAX_SOURCE_BYTES, SourceFile


def extractors_code(package: Path = Path(__file__).parent) -> bytes:
    """A digest of what shapes the facts: the scan package's code (all of it: which module a fix
    touches is not worth telling apart, a rescan reads a library in seconds), the records it
    writes them with (db/records.py: literals, usages) and the Python grammar's version. Facts a
    file gave other extractors are stale, however unchanged the file: a fix of the scanner must
    reach a DB made before it."""
    digest = hashlib.sha256()
    records = Path(db_records.__file__)
    for path in [*sorted(package.glob("*.py")), records]:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:              # an install without its sources: the rest alone
            pass
    digest.update(_grammar_version().encode())
    return digest.hexdigest()[:16].encode()


def _grammar_version() -> str:
    try:
        return importlib.metadata.version("tree-sitter-python")
    except importlib.metadata.PackageNotFoundError:
        return ""


# Part of every file hash, so the next scan re-reads files whose cached facts came from other
# extractors: the layout of the cached facts (bumped by hand when it changes) and the code.
FACTS_VERSION = b"facts-53:" + extractors_code()


def read_and_hash(path: Path) -> tuple[bytes | None, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    return data, hashlib.sha256(FACTS_VERSION + b"\0" + data).hexdigest()


def extract_file(sf: SourceFile, library: str, version: str, packages: tuple[str, ...] = ()) -> FileResult:
    """Never raises: a file that cannot be read or parsed comes back with `error` set."""
    data, digest = read_and_hash(sf.path)
    if data is None:
        return FileResult(sf.rel, error=digest)
    if len(data) > MAX_SOURCE_BYTES:
        return FileResult(sf.rel, error=f"too large to be source ({len(data) // 1024} KiB)")
    if b"\0" in data:
        return FileResult(sf.rel, error="binary file")
    try:
        if sf.is_changelog:
            from .changelog import extract_changelog
            return extract_changelog(data, sf.rel, library=library, version=version, packages=packages)
        from .python_source import extract_python
        if sf.is_cython:
            data = _cython_as_python(data)
            if isinstance(data, str):
                return FileResult(sf.rel, error=data)
        return extract_python(data, sf.rel, sf.module or "", is_stub=sf.is_stub, is_package=sf.is_package,
                              packages=packages)
    except Exception as exc:  # an extractor bug must cost one file, not the scan
        return FileResult(sf.rel, error=f"extractor failed: {type(exc).__name__}: {exc}")


def _cython_as_python(data: bytes) -> bytes | str:
    """A .pyx file's Python view, or why it has none."""
    from .cython_source import python_view
    try:
        return python_view(data.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    except ValueError as exc:
        return str(exc)


def extract_batch(files: list[SourceFile], library: str, version: str,
                  packages: tuple[str, ...] = ()) -> list[FileResult]:
    return [extract_file(sf, library, version, packages) for sf in files]


# ---- facts cached per file in the DB --------------------------------------------
def facts_to_json(result: FileResult) -> str:
    return json.dumps({
        "findings": [_fields_of(f, _FINDING_FIELDS) for f in result.findings],
        "module_info": _fields_of(result.module_info, _MODULE_FIELDS) if result.module_info else None,
        "error": result.error,
    }, separators=(",", ":"))


_FINDING_FIELDS = tuple(f.name for f in fields(RawFinding))
_MODULE_FIELDS = tuple(f.name for f in fields(ModuleInfo))


def _fields_of(obj, names: tuple[str, ...]) -> dict:
    """The dataclass's fields as they are: their values are JSON's own types (no dataclass inside),
    which json.dumps reads without the deep copy `asdict` makes (a third of a pandas scan's time)."""
    return {name: getattr(obj, name) for name in names}


def facts_from_json(path: str, text: str | None) -> FileResult | None:
    if not text:
        return None
    try:
        d = json.loads(text)
        mi = d.get("module_info")
        if mi is not None:
            mi["imports"] = {k: tuple(v) for k, v in mi["imports"].items()}
            mi = ModuleInfo(**mi)
        return FileResult(path, [RawFinding(**f) for f in d["findings"]], mi, d.get("error"))
    except (ValueError, TypeError, KeyError):
        return None  # facts from an older layout: the file is simply read again
