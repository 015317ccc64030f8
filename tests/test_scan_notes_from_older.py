"""`apimigrate scan NAME` of an installed release whose sdist carries no release notes (pandas' whatsnew
left its sdist after 2.0) reads them from the newest older release whose sdist does, and scans the code
of each minor release since, as `--since` that release would: a plain scan of pandas 3.1.1 knew
nothing of `DataFrame.applymap`, which 2.1 deprecated and 3.0 removed.

The index is a real HTTP server on localhost (scan_support.SimpleIndex) serving three releases of a
library in pandas' shape; the installed one is a real `.dist-info` on `sys.path`.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan import runner
from apimigrate.scan.runner import scan
from scan_support import SimpleIndex, install_dist, sdist_bytes

NAME = "tinyframe"

WHATSNEW_1_0 = """\
.. _whatsnew_100:

What's new in 1.0.0 (January 1, 2024)
-------------------------------------

.. currentmodule:: tinyframe

Deprecations
~~~~~~~~~~~~
- Deprecated :meth:`Frame.iteritems`, use :meth:`Frame.items` instead (:issue:`45321`)
"""

FRAME_1_0 = ("class Frame:\n    def items(self):\n        return []\n\n    def iteritems(self):\n        return []\n\n"
             "    def map(self, func):\n        return self\n\n    def applymap(self, func):\n        return self\n")
# 1.1 removes `iteritems` and deprecates `applymap` in its code alone, as pandas 2.1 did
FRAME_1_1 = ("import warnings\n\n\nclass Frame:\n    def items(self):\n        return []\n\n"
             "    def map(self, func):\n        return self\n\n    def applymap(self, func):\n"
             "        warnings.warn('Frame.applymap has been deprecated. Use Frame.map instead.', FutureWarning)\n"
             "        return self.map(func)\n")
FRAME_2_0 = "class Frame:\n    def items(self):\n        return []\n\n    def map(self, func):\n        return self\n"


def _code(frame: str) -> dict[str, str]:
    return {f"{NAME}/__init__.py": "from .frame import Frame\n\n__all__ = ['Frame']\n", f"{NAME}/frame.py": frame}


RELEASES = {  # version -> (code, whether its sdist carries the whatsnew)
    "0.9.0": (_code(FRAME_1_0), True),      # older than the newest with notes: neither read nor fetched
    "1.0.0": (_code(FRAME_1_0), True),
    "1.1.0": (_code(FRAME_1_1), False),
    "2.0.0": (_code(FRAME_2_0), False),
}
INSTALLED = "2.0.0"


def _index(releases: dict[str, tuple[dict[str, str], bool]]) -> SimpleIndex:
    sdists = {f"{NAME}-{v}.tar.gz": sdist_bytes(NAME, v, {**code, **({"doc/source/whatsnew/v1.0.0.rst": WHATSNEW_1_0}
                                                                      if notes else {})})
              for v, (code, notes) in releases.items()}
    return SimpleIndex(NAME, list(releases), sdists)


@pytest.fixture
def index_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Installs tinyframe 2.0.0 and points pip at an index serving the releases given."""
    install_dist(tmp_path / "site", NAME, INSTALLED, RELEASES[INSTALLED][0])
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    started: list[SimpleIndex] = []

    def start(releases: dict[str, tuple[dict[str, str], bool]]) -> SimpleIndex:
        started.append(_index(releases))
        monkeypatch.setenv("PIP_INDEX_URL", started[-1].url)
        return started[-1]

    yield start
    for index in started:
        index.stop()


def test_the_notes_of_an_older_release_and_the_code_since_say_what_the_installed_one_removed(index_of, tmp_path):
    index = index_of(RELEASES)
    kb = open_db(tmp_path / "k.db")
    reports = scan(kb, [NAME], show_progress=False, workers=1)
    assert [(r.version, r.notes_from, r.notes_unread) for r in reports] \
        == [("1.0.0", "", ""), ("1.1.0", "", ""), ("2.0.0", "1.0.0", "")]
    rows = {r["api"]: r for r in kb.deprecations([NAME])}
    # the notes alone deprecate `iteritems`; 1.1.0's code no longer has it
    iteritems = rows[f"{NAME}.Frame.iteritems"]
    assert (iteritems["replacement"], iteritems["since"], iteritems["removed_in"]) \
        == (f"{NAME}.Frame.items", "1.0.0", "1.1.0")
    # 1.1.0's code alone deprecates `applymap`; the installed release no longer has it
    applymap = rows[f"{NAME}.Frame.applymap"]
    assert (applymap["replacement"], applymap["removed_in"]) == (f"{NAME}.Frame.map", INSTALLED)
    src = f"import {NAME} as tf\ntf.Frame().applymap(str)\ntf.Frame().map(str)\n"
    index_ = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    assert [(r.line, r.api) for r in find_references(src, index_)] == [(1, f"{NAME}.Frame.applymap")]
    # the walk back stopped at the first sdist that carries notes; 1.0.0's was fetched once
    assert sorted(index.sdists_fetched()) == sorted(f"{NAME}-{v}.tar.gz" for v in ("1.0.0", "1.1.0", INSTALLED))
    kb.close()


def test_the_cli_says_whose_notes_it_read(index_of, tmp_path):
    index_of(RELEASES)
    res = CliRunner().invoke(app, ["scan", NAME, "--db", str(tmp_path / "k.db"), "-q", "-j", "1"])
    assert res.exit_code == 0, res.output
    [line] = [ln for ln in res.stderr.splitlines() if NAME in ln]
    assert line.startswith(f"{NAME} {INSTALLED}: its sdist carries no release notes; read those of {NAME} 1.0.0 ")
    assert "release notes not read" not in res.stderr


def test_no_notes_reads_the_installed_code_alone(index_of, tmp_path):
    index = index_of(RELEASES)
    reports = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1, release_notes=False)
    assert [r.version for r in reports] == [INSTALLED] and index.requests == []


def test_when_no_older_sdist_carries_notes_the_scan_says_it_read_none(index_of, tmp_path):
    index_of({v: (code, False) for v, (code, _) in RELEASES.items()})
    [report] = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1)
    assert report.notes_unread == f"the sdist of {NAME} {INSTALLED} carries none" and report.notes_from == ""


def test_the_walk_back_is_bounded(index_of, tmp_path, monkeypatch):
    """A library whose sdists never carried notes is not fetched release by release to its first."""
    index = index_of(RELEASES)
    monkeypatch.setattr(runner, "NOTES_RELEASES_BACK", 1)
    [report] = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1)
    assert report.notes_unread.endswith("carries none") and report.notes_from == ""
    assert sorted(index.sdists_fetched()) == [f"{NAME}-1.1.0.tar.gz", f"{NAME}-2.0.0.tar.gz"]


def test_an_installed_release_whose_sdist_carries_notes_reads_no_older_one(index_of, tmp_path):
    index = index_of({**RELEASES, INSTALLED: (RELEASES[INSTALLED][0], True)})
    [report] = scan(open_db(tmp_path / "k.db"), [NAME], show_progress=False, workers=1)
    assert (report.version, report.notes_from, report.notes_unread) == (INSTALLED, "", "")
    assert index.sdists_fetched() == [f"{NAME}-{INSTALLED}.tar.gz"]


@pytest.mark.parametrize("notes", [False, True])
def test_a_pinned_release_reads_the_older_notes_when_its_own_sdist_has_none(index_of, tmp_path, notes):
    index_of({**RELEASES, INSTALLED: (RELEASES[INSTALLED][0], notes)})
    reports = scan(open_db(tmp_path / "k.db"), [f"{NAME}=={INSTALLED}"], show_progress=False, workers=1)
    assert [(r.version, r.notes_from, r.notes_unread) for r in reports] \
        == ([(INSTALLED, "", "")] if notes else [("1.0.0", "", ""), ("1.1.0", "", ""), (INSTALLED, "1.0.0", "")])


def test_since_scans_the_releases_asked_for_and_no_older_one(index_of, tmp_path):
    index = index_of(RELEASES)
    reports = scan(open_db(tmp_path / "k.db"), [NAME], since="1.1", show_progress=False, workers=1)
    assert [(r.version, r.notes_from, r.notes_unread) for r in reports] == [("1.1.0", "", ""), (INSTALLED, "", "")]
    assert sorted(index.sdists_fetched()) == [f"{NAME}-1.1.0.tar.gz", f"{NAME}-{INSTALLED}.tar.gz"]
