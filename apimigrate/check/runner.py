"""Run the resolver over many files, on every core (a process pool; each worker builds the index once)."""
from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import stat
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from tree_sitter import Tree

from apimigrate.callsites import (DeprecationIndex, ImportContext, ProjectModules, Reference, could_match,
                                  find_references, parse, replacement_as_met)
from apimigrate.callsites.noqa import drop_suppressed
from apimigrate.callsites.parsing import first_error
from apimigrate.db import ClassFacts
from apimigrate.db.records import dated
from apimigrate.files import UndecodableSource, decode_python, original_text, read_regular, undecodable
from apimigrate.process_pools import stop_pool

from .fixer import fix_source
from .notebook import Notebook, NotebookError, load_notebook


def finding(path: str, ref: Reference, notebook: Notebook | None = None, *, file_places: bool = False) -> dict:
    """A reference as the JSON the CLI prints: 1-based lines and columns (in a notebook, of its cell;
    with `file_places`, also its place in the notebook file's JSON text, which SARIF wants)."""
    row = ref.row
    when = dated(row, ref.kind, ref.value)        # the dates of the use this call makes, where it has its own
    cell, line, end_line = None, ref.line, ref.end_line
    if notebook is not None:
        cell, line = notebook.locate(ref.line)
        end_line = line + (ref.end_line - ref.line)
    return {
        "path": path, "cell": cell, "line": line + 1, "col": ref.col + 1,
        "end_line": end_line + 1, "end_col": ref.end_col + 1,
        "code": ref.code, "kind": ref.kind, "api": ref.api, "name": ref.name or ref.api, "parameter": ref.parameter,
        "replacement": row.get("new_parameter") if ref.kind in ("keyword", "argument")
        else replacement_as_met(row, ref.name),
        "since": when.get("since"), "removed_in": when.get("removed_in"), "removal": when.get("removal"),
        "confidence": ref.confidence, "message": ref.message, "fixable": ref.rewrite is not None,
        "by_name": ref.by_name, "compat": ref.compat, "pending": ref.pending, "conditional": ref.conditional,
        "fix": _fix(ref, notebook),
        "file_region": _file_region(notebook, cell, line, ref.col, end_line, ref.end_col) if file_places else None,
    }


def _file_region(notebook: Notebook | None, cell: int | None, line: int, col: int, end_line: int,
                 end_col: int) -> dict | None:
    """A notebook finding's place in the file's own JSON text (1-based, as SARIF wants it: a viewer
    of the .ipynb file annotates that text, not the cell); None in a .py file or when not known."""
    if notebook is None or cell is None:
        return None
    start = notebook.file_position(cell, line, col)
    if start is None:
        return None
    region = {"line": start[0] + 1, "col": start[1] + 1}
    end = notebook.file_position(cell, end_line, end_col)
    if end is not None:
        region.update(end_line=end[0] + 1, end_col=end[1] + 1)
    return region


def _fix(ref: Reference, notebook: Notebook | None) -> dict | None:
    """The exact rewrite of one use as edits of the file (ruff's JSON `fix`): 1-based lines and
    columns, in a notebook of the cell each edit falls in; None when there is none."""
    if ref.rewrite is None:
        return None
    edits = []
    for e in ref.rewrite.edits:
        cell, line = notebook.locate(e.line) if notebook is not None else (None, e.line)
        edits.append({"cell": cell, "line": line + 1, "col": e.col + 1, "end_line": line + (e.end_line - e.line) + 1,
                      "end_col": e.end_col + 1, "content": e.new_text})
    return {"message": ref.rewrite.description, "edits": edits}


@dataclass
class FileResult:
    path: str
    findings: list[dict] = field(default_factory=list)
    error: str | None = None          # "line:col: message" when the file was skipped
    new_text: str | None = None       # fix mode: the rewritten text when it changed
    fixed: int = 0
    encoding: str = "utf-8"           # the file's own (PEP 263), for writing `new_text` back


R = TypeVar("R")
_INDEX: DeprecationIndex | None = None
# The project modules this process has read, for the libraries of the index they were read for.
_PROJECT: ProjectModules | None = None


def project_context(path: str, index: DeprecationIndex) -> ImportContext:
    """The file's place among the project's modules (library names imported through them)."""
    global _PROJECT
    if _PROJECT is None or _PROJECT.libraries != index.libraries:
        _PROJECT = ProjectModules(index.libraries)
    return _PROJECT.context(path)


def _init(rows: list[dict], classes: ClassFacts | None) -> None:
    """A worker's start: the index it checks with. Ctrl-C reaches the workers too (one process
    group); the process that started them stops them (iter_files), so a worker never dies of it
    halfway through sending a result, nor prints its traceback."""
    global _INDEX
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _INDEX = DeprecationIndex.from_rows(rows, classes)


def check_file(path: str, index: DeprecationIndex | None = None,
               ignore: frozenset[str] = frozenset(), *, file_places: bool = False) -> FileResult:
    """The findings in one file, less those `# noqa` comments or the codes in `ignore` silence
    (`file_places`: see `finding`; it decodes a notebook's JSON text again, for SARIF only)."""
    index = index or _INDEX
    project = project_context(path, index)
    source = load_source(path, index, project)
    result = FileResult(path, error=source.error)
    if source.code is None:
        return result
    refs = drop_suppressed(find_references(source.code, index, tree=source.tree, project=project), source.code,
                           ignore=ignore)
    result.findings = [finding(path, r, source.notebook, file_places=file_places) for r in refs]
    return result


def fix_file(path: str, index: DeprecationIndex | None = None,
             ignore: frozenset[str] = frozenset()) -> FileResult:
    """The file rewritten (`new_text`) and what is left to fix by hand, less the codes in `ignore`."""
    index = index or _INDEX
    project = project_context(path, index)
    source = load_source(path, index, project)
    result = FileResult(path, encoding=source.encoding)
    if source.error or source.text is None:
        result.error = source.error
        return result
    original, text, notebook = source.original, source.text, source.notebook
    new_text, fixed, remaining = fix_source(text, index, ignore, project)
    result.fixed = fixed
    # Compatibility code keeps the old spelling on purpose: nothing to fix by hand either.
    after = notebook.with_source(new_text) if notebook is not None else None
    result.findings = [finding(path, r, after) for r in remaining if not r.compat]
    if new_text != text:
        result.new_text = notebook.updated(new_text, original) if notebook is not None else new_text
    return result


def write_fixed(path: str, text: str, encoding: str) -> None:
    """Replace the file's content in one step: the text goes to a temporary file beside it, then
    over it (os.replace), so a crash or a full disk mid-write leaves the old file whole. Its
    permission bits are kept; a symbolic link stays one, its target is what changes."""
    target = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.",
                               suffix=".apimigrate")
    try:
        # newline="" keeps the file's own line endings; `encoding` is its own (PEP 263)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass
class Source:
    """A file's Python code: `text` (a notebook's cells joined), or `error` ("line:col: why")."""
    original: str = ""                   # the file as read (a notebook's JSON), for a dataset's resume hash
    text: str | None = None              # None: nothing to look at (no match possible, another language)
    notebook: Notebook | None = None
    error: str | None = None
    tree: Tree | None = None             # the parse of `text`, kept for the work that follows
    encoding: str = "utf-8"              # the file's, to write it back the same
    code: bytes | None = None            # `text` as UTF-8, what `tree` parsed


def load_source(path: str, index: DeprecationIndex | None = None, project: ImportContext | None = None) -> Source:
    """The code of a .py file or a notebook, parsed once to refuse syntax errors; with an
    `index`, a file that cannot hold a finding comes back without text, unparsed (no library
    name or deprecated name spelled in it, nor an import of a `project` module binding a
    library's name: names are ASCII, so the test holds in any encoding a coding line may
    declare, before decoding)."""
    try:
        data = read_regular(path)
    except OSError as exc:
        return Source(error=f"1:1: cannot read: {exc.strerror}")
    source = Source()
    if path.endswith(".ipynb"):
        source.original = original_text(path, data)
        source.notebook, source.error = _notebook(data)
        if source.notebook is None:
            return source
        code = source.notebook.source.encode("utf-8")
        if index is not None and not could_match(code, index, project):
            return source
    else:
        if index is not None and not could_match(data, index, project):
            return source
        try:
            source.original, source.encoding = decode_python(data)
        except UndecodableSource as exc:
            source.error = str(exc)
            return source
        code = data if source.encoding == "utf-8" else source.original.encode("utf-8")
    tree = parse(code)
    where = first_error(tree)
    if where is not None:
        source.error = f"{_where(where, source.notebook)}: syntax error, file skipped"
        return source
    source.text = source.notebook.source if source.notebook is not None else source.original
    source.tree, source.code = tree, code
    return source


def _notebook(data: bytes) -> tuple[Notebook | None, str | None]:
    """(the notebook's code, None), or (None, why) - why is None too for a notebook in another language."""
    try:
        return load_notebook(data.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        return None, undecodable(data, exc)
    except NotebookError as exc:
        return None, f"1:1: {exc}, file skipped"


def _where(point: tuple[int, int], notebook: Notebook | None) -> str:
    """'3:7', or 'cell 2:3:7' in a notebook."""
    if notebook is None:
        return f"{point[0] + 1}:{point[1] + 1}"
    cell, line = notebook.locate(point[0])
    return f"cell {cell}:{line + 1}:{point[1] + 1}"


Work = Callable[[str, "DeprecationIndex | None", frozenset[str]], R]


def run_files(paths: Iterable[Path], rows: list[dict], *, classes: ClassFacts | None = None, jobs: int | None = None,
              work: Work = check_file, ignore: Callable[[Path], frozenset[str]] | None = None) -> list:
    """Apply `work` to every file, in input order; a pool of `jobs` processes when it pays.
    `classes` are the scanned libraries' classes (`kb.class_facts()`, see DeprecationIndex);
    `ignore(path)` names the codes not to report in that file (the project's settings)."""
    paths = list(paths)
    results: list = [None] * len(paths)
    for i, r in iter_files(paths, rows, classes=classes, jobs=jobs, work=work, ignore=ignore):
        results[i] = r
    return results


def iter_files(paths: Iterable[Path], rows: list[dict], *, classes: ClassFacts | None = None,
               jobs: int | None = None, work: Work = check_file,
               ignore: Callable[[Path], frozenset[str]] | None = None) -> Iterator[tuple[int, R]]:
    """`(position in paths, work's result)` for every file as soon as it is done, so a long job
    can show progress and store each file's result before the next (see run_files)."""
    paths = list(paths)
    names = [str(p) for p in paths]
    ignores = [ignore(p) if ignore is not None else frozenset() for p in paths]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(names) < 8:
        index = DeprecationIndex.from_rows(rows, classes)
        for i, (n, ign) in enumerate(zip(names, ignores)):
            yield i, work(n, index, ign)
        return
    # Largest files first, in small chunks: no worker is left alone with
    # pandas/core/frame.py while the other has finished.
    order = sorted(range(len(names)), key=lambda i: -_size(names[i]))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=pool_context(), initializer=_init,
                               initargs=(rows, classes))
    try:
        done = pool.map(functools.partial(_in_worker, work), [names[i] for i in order],
                        [ignores[i] for i in order], chunksize=4)
        yield from zip(order, done)
    except BaseException:
        # Ctrl-C, a result the caller could not store, a caller that stopped reading (GeneratorExit):
        # the files left are nobody's business now
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def pool_context() -> multiprocessing.context.BaseContext | None:
    """fork while this process runs no other thread: workers start in milliseconds and share the
    parent's imports. A forked child copies every lock another thread held at that moment, held for
    good: `dataset build`'s progress bar redraws from a thread of its own, a language server and
    torch run pools. Python 3.12+ warns of it ("use of fork() may lead to deadlocks in the child").
    With another thread alive, forkserver: workers start from a clean single-threaded process."""
    if not hasattr(os, "fork"):
        return None                         # the platform's default (spawn)
    if _threads() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


def _threads() -> int:
    """Threads of this process, those native code started too (torch's) where the OS tells."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _in_worker(work: Work, path: str, ignore: frozenset[str]):
    return work(path, _INDEX, ignore)    # the index the worker built at start


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
