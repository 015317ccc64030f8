"""A scan of several releases reads the next one's files in the worker processes while it stores
the one before (scan/reading.py): the rows, facts and reports are those of scanning each release by
itself, a module the release before has byte for byte is not handed to the workers, and a target
that fails stops the scan only once the trees before it are stored.

A plain scan of pandas 3.1.1 reads six releases: storing one is a single process's work, and on
two cores the other one reads the next release meanwhile.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from apimigrate.db import open_db
from apimigrate.scan.reading import PARALLEL_MIN_FILES, Reading, Workers
from apimigrate.scan.runner import scan
from apimigrate.scan.targets import ScanError, path_tree
from unlearn_support import write_tree

FILLERS = 90
KEPT = (FILLERS + 3) // 4               # modules kept byte for byte from one release to the next
CHANGED = FILLERS - KEPT                # enough for the workers to share out


def _module(i: int, version: str) -> str:
    mark = f"# {version}\n" if i % 4 else ""
    return (f"{mark}import warnings\n\n\ndef f{i}(x, old=None):\n"
            f"    if old is not None:\n"
            f"        warnings.warn('the old keyword of f{i} is deprecated', FutureWarning, stacklevel=2)\n"
            f"    return x\n\n\ndef common(x):\n    return x\n")        # a name of every module


def _release(root: Path, version: str, gone: str | None = None) -> Path:
    files = {f"wide/m{i}.py": _module(i, version) for i in range(FILLERS)}
    core = "import warnings\n\n\ndef new(x):\n    return x\n"
    if gone is None:
        core += ("\n\ndef old(x):\n    warnings.warn('old is deprecated, use new instead', FutureWarning, stacklevel=2)\n"
                 "    return new(x)\n")
    names = ["new", *(["old"] if gone is None else []), *(f"f{i}" for i in range(FILLERS))]
    init = f"from ._core import {', '.join(names[:-FILLERS])}\n" + \
        "".join(f"from .m{i} import f{i}\n" for i in range(FILLERS)) + f"__all__ = {names!r}\n"
    return write_tree(root / version, {"pyproject.toml": f'[project]\nname = "wide"\nversion = "{version}"\n',
                                       "wide/__init__.py": init, "wide/_core.py": core, **files})


def _dump(db: Path) -> dict[str, list]:
    con = sqlite3.connect(db)
    try:
        cols = [r[1] for r in con.execute("PRAGMA table_info(deprecations)") if r[1] != "id"]
        return {"deprecations": sorted(con.execute(f"SELECT {', '.join(cols)} FROM deprecations").fetchall()),
                "files": sorted(con.execute("SELECT library, version, path, sha256, facts FROM files").fetchall()),
                "members": sorted(con.execute("SELECT * FROM members").fetchall())}
    finally:
        con.close()


class _CountingPool:
    """The scan's pool, recording the paths of the files each batch hands the workers."""

    def __init__(self, pool, sent: list[str]) -> None:
        self._pool, self._sent = pool, sent

    def submit(self, fn, files, *args):
        self._sent.extend(sf.rel for sf in files)
        return self._pool.submit(fn, files, *args)


def test_releases_scanned_together_store_what_scanning_each_alone_does(tmp_path: Path, monkeypatch):
    assert CHANGED >= PARALLEL_MIN_FILES
    releases = [_release(tmp_path, "1.0"), _release(tmp_path, "1.1"), _release(tmp_path, "2.0", gone="old")]
    sent: list[str] = []
    real_pool = Workers.pool
    monkeypatch.setattr(Workers, "pool", lambda self: _CountingPool(real_pool(self), sent))
    kb = open_db(tmp_path / "together.db")
    try:
        together = scan(kb, [str(r) for r in releases], show_progress=False, workers=2)
    finally:
        kb.close()
    monkeypatch.setattr(Workers, "pool", real_pool)
    kb = open_db(tmp_path / "alone.db")
    try:
        alone = [scan(kb, [str(r)], show_progress=False, workers=1)[0] for r in releases]
    finally:
        kb.close()
    shape = [(r.version, r.files, r.read, r.reused, r.unchanged, r.marked_removed) for r in together]
    assert shape == [(r.version, r.files, r.read, r.reused, r.unchanged, r.marked_removed) for r in alone]
    # 1.1 keeps __init__, _core and every fourth module; 2.0 changes __init__ and _core as well
    assert [(r.read, r.reused) for r in together] == [(FILLERS + 2, 0), (CHANGED, KEPT + 2), (CHANGED + 2, KEPT)]
    assert _dump(tmp_path / "together.db") == _dump(tmp_path / "alone.db")
    old = [r for r in _dump(tmp_path / "together.db")["deprecations"] if r[1] == "wide.old"]
    assert len(old) == 1 and old[0][7] == "2.0"            # removed_in: gone from 2.0
    # the first release goes to the workers whole, the next ones without what the release before
    # has byte for byte: not stored yet when they are handed out, it is when their facts are taken
    assert len(sent) == (FILLERS + 2) + CHANGED + (CHANGED + 2)
    assert sent.count("wide/m0.py") == 1 and sent.count("wide/m1.py") == 3


def test_a_file_the_release_before_was_to_store_is_read_when_it_did_not(tmp_path: Path):
    one, two = (path_tree(_release(tmp_path, v), cache_dir=tmp_path / "cache") for v in ("1.0", "1.1"))
    kb = open_db(tmp_path / "kb.db")
    try:
        with Workers(1) as workers:
            first = Reading.start(kb, one, workers)
            second = Reading.start(kb, two, workers, before=first)
            # 1.0 is never stored: 1.1's modules it shares are read now, not lost
            fresh, reused = second.results(kb, workers)
        assert reused == {} and sorted(fresh) == sorted(sf.rel for sf in two.files)
        assert all(fresh[sf.rel].module_info is not None for sf in two.files if sf.rel.endswith(".py"))
    finally:
        kb.close()


def test_a_target_that_fails_stops_the_scan_once_the_trees_before_it_are_stored(tmp_path: Path):
    kb = open_db(tmp_path / "kb.db")
    try:
        with pytest.raises(ScanError, match="no-such-dist-xyz"):
            scan(kb, [str(_release(tmp_path, "1.0")), "no-such-dist-xyz"], show_progress=False, workers=2)
        assert kb.library_versions("wide") == ["1.0"]
        assert any(r["api"] == "wide.old" for r in kb.deprecations(["wide"]))
    finally:
        kb.close()


def test_the_same_release_twice_in_one_scan_is_read_once(tmp_path: Path):
    release = str(_release(tmp_path, "1.0"))
    kb = open_db(tmp_path / "kb.db")
    try:
        first, again = scan(kb, [release, release], show_progress=False, workers=2)
    finally:
        kb.close()
    assert (first.read, first.unchanged) == (FILLERS + 2, 0)
    assert (again.read, again.reused, again.unchanged) == (0, 0, FILLERS + 2)


def test_reuse_switched_off_reads_every_changed_file(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(Reading, "reuse", False)
    sent: list[str] = []
    real_pool = Workers.pool
    monkeypatch.setattr(Workers, "pool", lambda self: _CountingPool(real_pool(self), sent))
    kb = open_db(tmp_path / "kb.db")
    try:
        reports = scan(kb, [str(_release(tmp_path, "1.0")), str(_release(tmp_path, "1.1"))],
                       show_progress=False, workers=2)
    finally:
        kb.close()
    assert [(r.read, r.reused) for r in reports] == [(FILLERS + 2, 0), (FILLERS + 2, 0)]
    assert len(sent) == 2 * (FILLERS + 2)     # none held back for the release before to store


def test_a_stored_release_s_names_are_built_again_once_a_rescan_changed_its_files(tmp_path: Path):
    """Each release's scan asks for the name index of every other stored release; those are kept
    for the process (runner._stored_index), keyed by the stored files' hashes."""
    from apimigrate.scan.runner import _stored_index
    first = _release(tmp_path / "a", "1.0")
    kb = open_db(tmp_path / "kb.db")
    try:
        scan(kb, [str(first)], show_progress=False, workers=1)
        tree = path_tree(first, cache_dir=tmp_path / "cache")
        before = _stored_index(kb, tree, "1.0")
        assert "wide.old" in before.public and _stored_index(kb, tree, "1.0") is before
        scan(kb, [str(_release(tmp_path / "b", "1.0", gone="old"))], show_progress=False, workers=1)
        after = _stored_index(kb, tree, "1.0")
        assert "wide.old" not in after.public and "wide.new" in after.public
    finally:
        kb.close()


@pytest.mark.parametrize("library, rel", [("pandas", "pandas/core/frame.py"), ("numpy", "numpy/__init__.py"),
                                          ("scikit-learn", "sklearn/linear_model/_logistic.py")])
def test_the_facts_stored_of_a_real_module_give_back_what_reading_it_gave(library: str, rel: str):
    """A rescan or another release takes a file's facts from the DB (extract.facts_to_json) in place
    of reading it: every field of every finding and of the module's facts comes back."""
    from apimigrate.scan.extract import extract_batch, facts_from_json, facts_to_json
    from apimigrate.scan.targets import installed_tree
    tree = installed_tree(library)
    [sf] = [f for f in tree.files if f.rel == rel]
    [result] = extract_batch([sf], tree.library, tree.version, tuple(tree.packages))
    assert result.error is None and result.module_info is not None
    assert facts_from_json(rel, facts_to_json(result)) == result


def test_the_name_index_a_scan_keeps_of_its_release_is_the_one_its_stored_facts_give(tmp_path: Path, monkeypatch):
    """The next release's scan asks for the one just stored: kept as the scan built it from the
    files it read, it must be what reading the stored facts builds."""
    from apimigrate.scan import runner
    monkeypatch.setattr(runner, "_STORED_INDICES", {})
    real_trees = runner.trees_for

    def backwards(*args, **kwargs):     # a walk of the tree need not come in the DB's order
        trees = real_trees(*args, **kwargs)
        for tree in trees:
            tree.files.reverse()
        return trees
    monkeypatch.setattr(runner, "trees_for", backwards)
    release = _release(tmp_path, "1.0")
    kb = open_db(tmp_path / "kb.db")
    try:
        scan(kb, [str(release)], show_progress=False, workers=1)
        tree = path_tree(release, cache_dir=tmp_path / "cache")
        [kept] = runner._STORED_INDICES.values()
        assert runner._stored_index(kb, tree, "1.0") is kept
        runner._STORED_INDICES.clear()
        built = runner._stored_index(kb, tree, "1.0")
    finally:
        kb.close()
    assert built is not kept and len(kept.by_last["common"]) == FILLERS
    for index in (kept, built):
        index.by_last = {k: v for k, v in index.by_last.items()}
    assert (kept.public, kept.origin_public, kept.by_last, sorted(kept.modules)) == \
        (built.public, built.origin_public, built.by_last, sorted(built.modules))
    assert kept.call_parameters() == built.call_parameters() and kept.member_apis() == built.member_apis()


def test_an_interrupted_scan_keeps_the_releases_stored_and_the_same_command_finishes_it(tmp_path: Path):
    """Ctrl-C (SIGINT to the whole process group, workers included) while the workers read one
    release and another is stored: exit 130, one line, the releases stored before it kept, and
    the same command run again scans the rest."""
    import os
    import signal
    import subprocess
    import sys
    import time
    releases = [str(_release(tmp_path, f"1.{i}")) for i in range(8)]
    db = tmp_path / "kb.db"
    command = [sys.executable, "-m", "apimigrate.cli.main", "scan", *releases, "--db", str(db), "-q", "-j", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    stored: list[str] = []
    while proc.poll() is None and not stored:
        time.sleep(0.05)
        if db.exists():
            with sqlite3.connect(db, timeout=5) as con:
                try:
                    stored = [r[0] for r in con.execute("SELECT version FROM libraries")]
                except sqlite3.OperationalError:      # the tables are not made yet
                    pass
    assert proc.poll() is None, "the scan ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted: libraries finished before the interrupt are stored" in err
    assert "Traceback" not in err
    kb = open_db(db)
    try:
        kept = kb.library_versions("wide")
        assert 1 <= len(kept) < len(releases) and kept == [f"1.{i}" for i in range(len(kept))]
    finally:
        kb.close()
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    kb = open_db(db)
    try:
        assert kb.library_versions("wide") == [f"1.{i}" for i in range(len(releases))]
        assert any(r["api"] == "wide.old" for r in kb.deprecations(["wide"]))
    finally:
        kb.close()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_scan_collects_cycles_less_often_in_its_workers_and_while_it_scans(tmp_path: Path, monkeypatch):
    import gc

    from apimigrate.scan import runner
    from apimigrate.scan.gc_pace import SCAN_THRESHOLDS

    before = gc.get_threshold()
    assert before != SCAN_THRESHOLDS
    storing, workers = [], []
    real_store, real_pool = runner._store, Workers.pool

    def store(*args, **kwargs):
        storing.append(gc.get_threshold())
        return real_store(*args, **kwargs)

    def pool(self):
        p = real_pool(self)
        workers.extend(p.submit(gc.get_threshold).result() for _ in range(self.count))
        return p

    monkeypatch.setattr(runner, "_store", store)
    monkeypatch.setattr(Workers, "pool", pool)
    kb = open_db(tmp_path / "gc.db")
    try:
        assert scan(kb, [str(_release(tmp_path, "1.0"))], show_progress=False, workers=2)[0].read == FILLERS + 2
        assert storing == [SCAN_THRESHOLDS] and workers == [SCAN_THRESHOLDS] * 2
        assert gc.get_threshold() == before                 # the process that scanned, as it was
        with pytest.raises(ScanError):
            scan(kb, [str(tmp_path / "missing")], show_progress=False, workers=1)
        assert gc.get_threshold() == before
    finally:
        kb.close()


def test_the_scan_s_collection_pace_can_be_python_s_own_and_a_bad_one_is_refused(tmp_path: Path, monkeypatch):
    import gc

    from typer.testing import CliRunner

    from apimigrate.cli.main import app
    from apimigrate.scan import runner

    storing = []
    real_store = runner._store
    monkeypatch.setattr(runner, "_store", lambda *a, **k: (storing.append(gc.get_threshold()), real_store(*a, **k))[1])
    monkeypatch.setenv("APIMIGRATE_SCAN_GC", "700,10,10")
    kb = open_db(tmp_path / "gc.db")
    try:
        scan(kb, [str(_release(tmp_path, "1.0"))], show_progress=False, workers=1)
    finally:
        kb.close()
    assert storing == [(700, 10, 10)]
    monkeypatch.setenv("APIMIGRATE_SCAN_GC", "fast")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "1.0"), "--db", str(tmp_path / "bad.db"), "-q"])
    assert result.exit_code != 0 and "APIMIGRATE_SCAN_GC='fast': give three integers" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_stopped_scan_s_workers_and_pool_thread_are_gone_when_it_returns():
    """Workers.close(cancel=True), as an interrupted or failed scan calls it, stops the workers with the
    batches they hold and returns once the pool's own thread has ended: left running into the
    interpreter's exit, that thread raced concurrent.futures' exit hook ("Bad file descriptor")."""
    import multiprocessing
    import threading
    import time

    def pool_threads():
        return [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"]

    workers = Workers(2)
    pool = workers.pool()
    busy = [pool.submit(time.sleep, 20) for _ in range(4)]      # (the workers ignore Ctrl-C)
    while len(multiprocessing.active_children()) < 2:
        time.sleep(0.05)
    assert pool_threads()
    workers.close(cancel=True)
    assert not multiprocessing.active_children() and not pool_threads()
    # the batches held were stopped, not waited for
    assert all(f.cancelled() or f.exception() is not None for f in busy)


# A worker killed halfway through sending a batch's facts leaves a message cut short in the results
# pipe: here written by hand (a length promising 1 MiB, then 10 bytes), deterministically.
CUT_SHORT = """\
import os, struct, time
from apimigrate.scan.reading import Workers

workers = Workers(2)
pool = workers.pool()
pool.submit(int, 1).result()                # the workers up, the pool's thread waiting on the pipe
os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"0123456789")
time.sleep(0.5)                             # the thread now reads the message that never ends
workers.close(cancel=True)
print("closed")
"""


def test_a_stopped_scan_returns_though_a_worker_died_mid_message():
    """An interrupted scan hung in `shutdown(wait=True)` (the full suite, under load): the pool's
    thread waited for the rest of a message a terminated worker had begun, this process holding the
    pipe's write end open. Run apart, so that a hang fails the test instead of the suite."""
    import subprocess
    import sys
    try:
        done = subprocess.run([sys.executable, "-c", CUT_SHORT], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("Workers.close(cancel=True) hung on a message cut short")
    assert done.returncode == 0 and done.stdout.strip() == "closed", done.stderr[-2000:]
