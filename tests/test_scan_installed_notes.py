"""`apimigrate scan NAME` of an installed release also reads its release notes, which wheels do not
carry, from the same release's sdist: cached, else fetched from pip's configured index.

The index here is a real HTTP server on localhost speaking the simple API's JSON (PEP 691), and the
installed distribution a real `.dist-info` on `sys.path`; its notes are written in numpy's shape
(numpy 1.24.0 and 1.25.0's release notes, the names changed to the test's library).
"""
from __future__ import annotations

import socket
import sqlite3
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan import fetch
from apimigrate.scan.runner import scan
from scan_support import SimpleIndex, install_dist, sdist_bytes

NAME, VERSION = "tinyarray", "2.0.0"

CODE = {
    "tinyarray/__init__.py": "from ._core import bool, prod\n\n__all__ = ['bool', 'prod']\n",
    # `bool` is the library's own scalar type again, as numpy 2's `np.bool` is
    "tinyarray/_core.py": "class bool:\n    pass\n\n\ndef prod(a):\n    return a\n",
}

NOTES_1_24 = """\
.. currentmodule:: tinyarray

=============================
TinyArray 1.24.0 Release Notes
=============================

Expired deprecations
====================

* The deprecation for the aliases ``tinyarray.object``, ``tinyarray.bool``, ``tinyarray.float``,
  ``tinyarray.complex``, ``tinyarray.str``, and ``tinyarray.int`` is expired (introduces TinyArray
  1.20).  Some of these will now give a FutureWarning in addition to raising an
  error since they will be mapped to the TinyArray scalars in the future.

  (`gh-22607 <https://github.com/numpy/numpy/pull/22607>`__)
"""

NOTES_1_25 = """\
.. currentmodule:: tinyarray

=============================
TinyArray 1.25.0 Release Notes
=============================

Deprecations
============

* ``tinyarray.product`` is deprecated. Use `tinyarray.prod` instead.

  (`gh-23314 <https://github.com/numpy/numpy/pull/23314>`__)
"""


def _sdist_bytes(notes: bool = True, code: dict[str, str] = CODE) -> bytes:
    files = dict(code)
    if notes:
        files |= {"doc/source/release/1.24.0-notes.rst": NOTES_1_24, "doc/source/release/1.25.0-notes.rst": NOTES_1_25}
    return sdist_bytes(NAME, VERSION, files)


def _Index(sdist: bytes | None) -> SimpleIndex:  # noqa: N802 (reads as the class it makes)
    """An index serving the one release's sdist, or listing the release with none."""
    return SimpleIndex(NAME, [VERSION], {} if sdist is None else {f"{NAME}-{VERSION}.tar.gz": sdist})


def _install(site: Path, code: dict[str, str] = CODE) -> None:
    install_dist(site, NAME, VERSION, code)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """TinyArray installed on sys.path, an empty cache, and pip pointed at a local index."""
    _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    index = _Index(_sdist_bytes())
    monkeypatch.setenv("PIP_INDEX_URL", index.url)
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    yield index
    index.stop()


def _rows(db: Path) -> dict[str, dict]:
    kb = open_db(db)
    try:
        return {r["api"]: r for r in kb.deprecations([NAME])}
    finally:
        kb.close()


def test_an_installed_scan_reads_the_notes_of_its_sdist(installed, tmp_path: Path) -> None:
    kb = open_db(tmp_path / "k.db")
    [report] = scan(kb, [NAME], show_progress=False, workers=1)
    assert report.notes_unread == ""
    kb.close()
    rows = _rows(tmp_path / "k.db")
    # tinyarray 2.0.0's code has no `product`: only the notes know it
    product = rows[f"{NAME}.product"]
    assert (product["replacement"], product["since"]) == (f"{NAME}.prod", "1.25.0")
    # an expired alias the release no longer has keeps its removal; `bool`, which the release
    # defines again as its own type, is no deprecation
    assert rows[f"{NAME}.object"]["removed_in"] == "1.24.0"
    assert f"{NAME}.bool" not in rows
    with sqlite3.connect(tmp_path / "k.db") as con:
        kind, ref = con.execute("select source_kind, source_ref from libraries where name=?", (NAME,)).fetchone()
    assert kind == "installed" and ref.endswith(f" + {NAME}-{VERSION}.tar.gz")
    assert installed.requests == [f"/simple/{NAME}/", f"/files/{NAME}-{VERSION}.tar.gz"]


def test_a_rescan_reads_the_cached_sdist_without_the_index(installed, tmp_path: Path) -> None:
    scan(open_db(tmp_path / "a.db"), [NAME], show_progress=False, workers=1)
    installed.stop()
    installed.requests.clear()
    [report] = scan(open_db(tmp_path / "b.db"), [NAME], show_progress=False, workers=1)
    assert report.notes_unread == "" and installed.requests == []
    assert f"{NAME}.product" in _rows(tmp_path / "b.db")


def test_without_the_sdist_the_code_is_stored_and_one_line_says_what_is_missing(
        installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed.stop()
    res = CliRunner().invoke(app, ["scan", NAME, "--db", str(tmp_path / "k.db"), "-q", "-j", "1"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stderr.splitlines() if "release notes not read" in ln]
    assert len(lines) == 1 and lines[0].startswith(f"{NAME} {VERSION}: release notes not read (")
    assert "--since" in lines[0]
    rows = _rows(tmp_path / "k.db")
    assert f"{NAME}.product" not in rows
    # no index answered: maybe offline for now, so the next scan asks again
    assert not list((tmp_path / "cache" / "dists").glob("*.no-sdist"))
    with sqlite3.connect(tmp_path / "k.db") as con:
        assert con.execute("select source_kind from libraries where name=?", (NAME,)).fetchone() == ("installed",)


# numpy.random's shape: the wheel has the module compiled, with a stub; the sdist has its Cython
COMPILED = {**CODE, "tinyarray/__init__.py": ("from ._core import bool, prod\nfrom ._random import random_integers\n\n"
                                              "__all__ = ['bool', 'prod', 'random_integers']\n")}
INSTALLED_COMPILED = {**COMPILED, "tinyarray/_random.cpython-311-x86_64-linux-gnu.so": "",
                      "tinyarray/_random.pyi": "def random_integers(low: int, high: int | None = ...) -> int: ...\n"}
SDIST_COMPILED = {**COMPILED, "tinyarray/_random.pyx": (
    "import warnings\ncimport numpy as np\nfrom libc.stdint cimport int64_t\n\n\n"
    "def random_integers(int64_t low, object high=None):\n"
    "    \"\"\"Random integers.\n\n    .. deprecated:: 1.11.0\n    \"\"\"\n"
    "    warnings.warn('This function is deprecated. Please call randint(low, high + 1) instead',\n"
    "                  DeprecationWarning)\n"
    "    cdef int64_t n = <int64_t>low\n    return n\n")}


@pytest.mark.parametrize("notes", [True, False], ids=["with-notes", "pandas-without-notes"])
def test_an_installed_scan_reads_the_cython_of_its_compiled_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     notes: bool) -> None:
    """The wheel ships `_random` compiled; the sdist's `_random.pyx` is its source, read as Python,
    whether the sdist carries notes (numpy) or not (pandas)."""
    _install(tmp_path / "site", INSTALLED_COMPILED)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    index = _Index(_sdist_bytes(notes, SDIST_COMPILED))
    monkeypatch.setenv("PIP_INDEX_URL", index.url)
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    try:
        [report] = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1)
    finally:
        index.stop()
    assert report.skipped == []
    assert bool(report.notes_unread) is not notes
    row = _rows(tmp_path / "k.db")[f"{NAME}.random_integers"]
    assert (row["kind"], row["since"]) == ("function", "1.11.0")
    kb = open_db(tmp_path / "k.db")
    try:
        evidence = {(e["kind"], e["path"], e["line"]) for e in kb.evidence_for(row["id"])}
    finally:
        kb.close()
    assert evidence == {("docstring", "tinyarray/_random.pyx", 9), ("warning", "tinyarray/_random.pyx", 11)}
    with sqlite3.connect(tmp_path / "k.db") as con:
        [ref] = con.execute("select source_ref from libraries where name=?", (NAME,)).fetchone()
    assert ref.endswith(f" + {NAME}-{VERSION}.tar.gz")


def test_no_notes_asks_nothing_of_the_index(installed, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["scan", NAME, "--no-notes", "--db", str(tmp_path / "k.db"), "-q", "-j", "1"])
    assert res.exit_code == 0, res.output
    assert installed.requests == [] and "release notes" not in res.stderr
    assert f"{NAME}.product" not in _rows(tmp_path / "k.db")


def test_the_cache_serves_only_the_release_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(fetch, "_simple_project", lambda name, index=None: asked.append(name))   # no index
    (tmp_path / "numpy-2.4.6.tar.gz").write_bytes(b"")
    (tmp_path / "scikit_learn-1.9.1.tar.gz").write_bytes(b"")
    assert fetch.fetch_sdist("numpy", "2.4.6", tmp_path) == tmp_path / "numpy-2.4.6.tar.gz"
    assert fetch.fetch_sdist("scikit-learn", "1.9.1", tmp_path) == tmp_path / "scikit_learn-1.9.1.tar.gz"
    assert asked == []
    # `numpy-2.4.6.tar.gz` is no sdist of numpy 2.4 (a test of the name's prefix took it): the index is asked
    assert fetch.fetch_sdist("numpy", "2.4", tmp_path) is None and asked == ["numpy"]


OLD_CODE = {  # tinyarray 1.26: `product` still there, warning as numpy 1.26's did
    "tinyarray/__init__.py": "from ._core import prod, product\n\n__all__ = ['prod', 'product']\n",
    "tinyarray/_core.py": ("import warnings\n\n\ndef prod(a):\n    return a\n\n\ndef product(a):\n"
                           "    warnings.warn('`product` is deprecated as of TinyArray 1.25.0. Please use `prod` "
                           "instead.', DeprecationWarning, stacklevel=2)\n"
                           "    return prod(a)\n"),
}


@pytest.mark.parametrize("order", [("1.26.4", VERSION), (VERSION, "1.26.4")], ids=["oldest-first", "newest-first"])
def test_old_notes_in_the_newest_release_do_not_hide_a_removal(tmp_path: Path, order) -> None:
    """2.0.0's sdist carries 1.25.0's notes on `product`; they are history, not 2.0.0 showing the
    API, so `product`, which 1.26.4 has and 2.0.0 lacks, is removed in 2.0.0, in either order."""
    from scan_support import rows_of
    from unlearn_support import write_tree
    trees = {
        "1.26.4": write_tree(tmp_path / "old", {"pyproject.toml": f'[project]\nname = "{NAME}"\nversion = "1.26.4"\n',
                                                **OLD_CODE}),
        VERSION: write_tree(tmp_path / "new", {"pyproject.toml": f'[project]\nname = "{NAME}"\nversion = "{VERSION}"\n',
                                               **CODE, "doc/source/release/1.25.0-notes.rst": NOTES_1_25}),
    }
    kb = open_db(tmp_path / "k.db")
    for version in order:
        scan(kb, [str(trees[version])], show_progress=False, workers=1)
    row = rows_of(kb, NAME)[(f"{NAME}.product", None)]
    assert (row["replacement"], row["since"], row["removed_in"]) == (f"{NAME}.prod", "1.25.0", VERSION)
    assert row["last_seen"] == "1.26.4"


def test_an_index_without_the_sdist_is_asked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """torch publishes wheels only: the first scan learns it from the index, a rescan does not ask."""
    _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    index = _Index(None)
    monkeypatch.setenv("PIP_INDEX_URL", index.url)
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    try:
        [first] = scan(open_db(tmp_path / "a.db"), [NAME], show_progress=False, workers=1)
        assert first.notes_unread and index.requests == [f"/simple/{NAME}/"]
        [again] = scan(open_db(tmp_path / "b.db"), [NAME], show_progress=False, workers=1)
        assert again.notes_unread and index.requests == [f"/simple/{NAME}/"]
    finally:
        index.stop()


class _Silent:
    """An index host that takes connections and never answers, as one behind a firewall that drops
    the replies: only a timeout ends the wait."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/simple"
        self.held: list[socket.socket] = []
        threading.Thread(target=self._hold, daemon=True).start()

    def _hold(self) -> None:
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def stop(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_an_index_that_does_not_answer_is_waited_for_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline behind a firewall, each scan of a run would wait out pip's timeout: the first says
    why in its one line, the next ones of the process do not ask again, and no `.no-sdist` is kept."""
    _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    silent = _Silent()
    monkeypatch.setenv("PIP_INDEX_URL", silent.url)
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    monkeypatch.setenv("PIP_DEFAULT_TIMEOUT", "0.3")     # pip's setting, which the scan follows
    monkeypatch.delenv("PIP_TIMEOUT", raising=False)
    try:
        [first] = scan(open_db(tmp_path / "a.db"), [NAME], show_progress=False, workers=1)
        assert len(silent.held) == 1
        assert first.notes_unread.startswith(f"cannot fetch the sdist of {NAME} {VERSION}: no package index answered")
        assert silent.url in first.notes_unread and "timed out" in first.notes_unread
        [second] = scan(open_db(tmp_path / "b.db"), [NAME], show_progress=False, workers=1)
        assert second.notes_unread == first.notes_unread and len(silent.held) == 1
        # a long-lived process (the refresh daemon) asks again once the wait has passed
        monkeypatch.setattr(fetch, "RETRY_UNREACHABLE_S", 0.0)
        scan(open_db(tmp_path / "c.db"), [NAME], show_progress=False, workers=1)
        assert len(silent.held) == 2
    finally:
        silent.stop()
    assert not list((tmp_path / "cache" / "dists").glob("*.no-sdist"))
    with sqlite3.connect(tmp_path / "a.db") as con:     # the code was scanned and stored all the same
        assert con.execute("select source_kind from libraries where name=?", (NAME,)).fetchone() == ("installed",)


def test_pip_no_index_asks_nothing_and_says_so(installed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    [report] = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1)
    assert installed.requests == [] and "no-index" in report.notes_unread
    # the cache still serves what is in it
    (tmp_path / "cache" / "dists").mkdir(parents=True, exist_ok=True)
    (tmp_path / "cache" / "dists" / f"{NAME}-{VERSION}.tar.gz").write_bytes(_sdist_bytes())
    [report] = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1)
    assert report.notes_unread == "" and installed.requests == []
    assert f"{NAME}.product" in _rows(tmp_path / "k.db")


def test_offline_release_listing_says_no_index_answered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`scan NAME --since V` offline: not "the index knows no project named NAME", which is false."""
    index = _Index(None)
    index.stop()
    monkeypatch.setenv("PIP_INDEX_URL", index.url)
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    with pytest.raises(fetch.IndexUnreachable, match=r"^no package index answered \(http://127\.0\.0\.1:\d+/simple: "):
        fetch.release_versions(NAME)
    monkeypatch.setattr(fetch, "fetch_wheel", lambda name, version, dest: None)
    res = CliRunner().invoke(app, ["scan", f"{NAME}==1.0", "--db", str(tmp_path / "k.db"), "-q"])
    assert res.exit_code != 0
    assert f"cannot fetch {NAME}==1.0: no package index answered" in res.output


def test_pip_settings_are_read_as_pip_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = https://mirror.example/simple\n"
                    "extra-index-url =\n    https://a.example/simple\n    file:///opt/local/simple\n"
                    "timeout = 7\ncert = /etc/corp-ca.pem\n")
    for var in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TIMEOUT", "PIP_DEFAULT_TIMEOUT", "PIP_NO_INDEX",
                "PIP_CERT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    got = fetch.pip_index()
    # a file:// index has no simple API over HTTP to ask
    assert got.urls == ("https://mirror.example/simple", "https://a.example/simple")
    assert (got.timeout, got.cert, got.no_index) == (7.0, "/etc/corp-ca.pem", False)
    monkeypatch.setenv("PIP_DEFAULT_TIMEOUT", "2")
    monkeypatch.setenv("PIP_INDEX_URL", "https://env.example/simple")
    got = fetch.pip_index()
    assert got.timeout == 2.0 and got.urls[0] == "https://env.example/simple"
    monkeypatch.setenv("PIP_NO_INDEX", "yes")
    assert fetch.pip_index().urls == ()


def test_an_sdist_without_notes_is_said_to_have_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandas leaves its whatsnew out of its sdist: the scan says that it read no notes, as it does
    when it finds no sdist, instead of staying silent as if nothing was removed before the release."""
    _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    index = _Index(_sdist_bytes(notes=False))
    monkeypatch.setenv("PIP_INDEX_URL", index.url)
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    try:
        res = CliRunner().invoke(app, ["scan", NAME, "--db", str(tmp_path / "k.db"), "-q", "-j", "1"])
    finally:
        index.stop()
    assert res.exit_code == 0, res.output
    [line] = [ln for ln in res.stderr.splitlines() if "release notes not read" in ln]
    assert line.startswith(f"{NAME} {VERSION}: release notes not read (the sdist of {NAME} {VERSION} carries none)")
    with sqlite3.connect(tmp_path / "k.db") as con:
        ref, = con.execute("select source_ref from libraries where name=?", (NAME,)).fetchone()
    assert ".tar.gz" not in ref        # nothing was read from it


def test_a_cached_sdist_that_cannot_be_unpacked_is_fetched_again(installed, tmp_path: Path) -> None:
    dists = tmp_path / "cache" / "dists"
    dists.mkdir(parents=True)
    (dists / f"{NAME}-{VERSION}.tar.gz").write_bytes(_sdist_bytes()[:200])      # cut short
    [first] = scan(open_db(tmp_path / "a.db"), [NAME], show_progress=False, workers=1)
    assert first.notes_unread.startswith(f"cannot unpack {NAME}-{VERSION}.tar.gz")
    assert first.notes_unread.endswith("(removed from the cache: the next scan fetches it again)")
    assert installed.requests == [] and not (dists / f"{NAME}-{VERSION}.tar.gz").exists()
    [again] = scan(open_db(tmp_path / "b.db"), [NAME], show_progress=False, workers=1)
    assert again.notes_unread == "" and f"{NAME}.product" in _rows(tmp_path / "b.db")
    assert installed.requests == [f"/simple/{NAME}/", f"/files/{NAME}-{VERSION}.tar.gz"]


def test_a_noted_api_the_newest_release_lacks_is_gone_by_it(tmp_path: Path) -> None:
    """numpy 1.25's notes deprecate `np.product` and numpy 2.4.6 has no `product`: a call fails, so
    the row says it is gone by the release scanned (seen, not dated), and `check` says so. A name
    the release still defines, or one under a module it lacks (a module the scan may not have read),
    keeps its plain deprecation, and so does one only the release's own notes name."""
    from apimigrate.callsites import DeprecationIndex, find_references
    from unlearn_support import write_tree
    notes = NOTES_1_25 + (
        "\n* ``tinyarray.mean`` is deprecated. Use `tinyarray.sum` instead.\n"
        "\n* ``tinyarray.Array.tostring`` is deprecated. Use `tinyarray.Array.tobytes` instead.\n"
        "\n* ``tinyarray.Array.shape`` is deprecated.\n"
        "\n* ``tinyarray.legacy.thing`` is deprecated.\n"
        "\n* ``tinyarray.Matrix.shape`` is deprecated.\n")
    code = {**CODE, "tinyarray/__init__.py": "from ._core import bool, prod, sum, mean, Array, Matrix\n",
            "tinyarray/_core.py": CODE["tinyarray/_core.py"] + (
                "\n\ndef sum(a):\n    return a\n\n\ndef mean(a):\n    return a\n\n\n"
                "class Array:\n    def tobytes(self):\n        return b''\n\n"
                "    @property\n    def shape(self):\n        return ()\n\n\nclass Matrix(Array):\n    pass\n")}
    tree = write_tree(tmp_path / "new", {"pyproject.toml": f'[project]\nname = "{NAME}"\nversion = "{VERSION}"\n',
                                         **code, "doc/source/release/1.25.0-notes.rst": notes,
                                         # the release's own notes: what it lacks may be in C, unread
                                         "doc/source/release/2.0.0-notes.rst": NOTES_1_25.replace(
                                             "1.25.0", "2.0.0").replace("tinyarray.product", "tinyarray.fresh")})
    kb = open_db(tmp_path / "k.db")
    [report] = scan(kb, [str(tree)], show_progress=False, workers=1)
    rows = {r["api"]: r for r in kb.deprecations([NAME])}
    removal = {api: (r["removed_in"], r["removal"]) for api, r in rows.items()}
    assert removal[f"{NAME}.product"] == (VERSION, "gone")
    assert removal[f"{NAME}.Array.tostring"] == (VERSION, "gone")
    assert removal[f"{NAME}.mean"] == (None, None)
    assert removal[f"{NAME}.Array.shape"] == (None, None)
    assert removal[f"{NAME}.legacy.thing"] == (None, None)
    assert removal[f"{NAME}.Matrix.shape"] == (None, None)        # inherited from Array
    assert removal[f"{NAME}.fresh"] == (None, None)
    assert report.marked_removed >= 2
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    kb.close()
    [ref] = find_references(f"import {NAME} as ta\nx = ta.product(a)\n", index)
    assert ref.message == f"{NAME}.product is deprecated since 1.25.0 (gone by {VERSION}); use {NAME}.prod"


@pytest.mark.parametrize("order", [("1.0.0", VERSION), (VERSION, "1.0.0")], ids=["oldest-first", "newest-first"])
def test_a_noted_api_the_newest_release_has_again_is_not_gone(tmp_path: Path, order) -> None:
    """pandas 0.18.1's notes deprecate `Categorical.sort`; 1.5.3 has none, 3.1.1 inherits a new one
    from `NDArrayBackedExtensionArray`. Gone by 1.5.3 alone, it is not gone once 3.1.1 is scanned,
    in either order; what both releases lack is gone by the older."""
    from scan_support import rows_of
    from unlearn_support import write_tree
    notes = NOTES_1_25.replace("1.25.0", "0.18.1").replace("tinyarray.product", "tinyarray.Frame.sort") \
        + "\n* ``tinyarray.gone`` is deprecated.\n"
    old = {"tinyarray/__init__.py": "from ._core import Frame\n", "tinyarray/_core.py": "class Frame:\n    pass\n"}
    new = {"tinyarray/__init__.py": "from ._core import Frame\n",
           "tinyarray/_core.py": "class _Backed:\n    def sort(self):\n        pass\n\n\nclass Frame(_Backed):\n    pass\n"}
    trees = {version: write_tree(tmp_path / version, {
        "pyproject.toml": f'[project]\nname = "{NAME}"\nversion = "{version}"\n', **code,
        "doc/source/release/0.18.1-notes.rst": notes}) for version, code in (("1.0.0", old), (VERSION, new))}
    kb = open_db(tmp_path / "k.db")
    for version in order:
        scan(kb, [str(trees[version])], show_progress=False, workers=1)
    rows = rows_of(kb, NAME)
    assert rows[(f"{NAME}.Frame.sort", None)]["removed_in"] is None
    assert rows[(f"{NAME}.gone", None)]["removed_in"] == "1.0.0"
