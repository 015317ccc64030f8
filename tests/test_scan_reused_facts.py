"""A module a release shares byte for byte with another release of the library already in the DB
is not read again: its facts depend on its text and its place alone, so the stored ones are taken.

A plain scan of pandas 3.1.1 reads the five minor releases before it as well (their notes and code);
a quarter of their modules are unchanged from one release to the next. A module whose text recurs
at another path is another module and is read; a changelog's facts depend on the release (its
version dates what it notes) and are always read.
"""
from __future__ import annotations

from pathlib import Path

from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree

CORE = '''\
import warnings


def new(x):
    return x


def old(x):
    warnings.warn("old is deprecated, use new instead", FutureWarning, stacklevel=2)
    return new(x)
'''

EXTRA_1 = "def helper(x):\n    return x\n"
EXTRA_2 = '''\
import warnings


def helper(x, flag=None):
    if flag is not None:
        warnings.warn("the flag keyword of helper is deprecated", FutureWarning, stacklevel=2)
    return x
'''
# the same text in both releases, read in each all the same
NOTES = "Version 1.0\n===========\n\nDeprecations\n------------\n- ``tiny.old`` is deprecated, use ``tiny.new``\n"


def _release(tmp_path: Path, version: str, files: dict[str, str]) -> Path:
    return write_tree(tmp_path / version, {"pyproject.toml": f'[project]\nname = "tiny"\nversion = "{version}"\n',
                                           "tiny/__init__.py": "from ._core import new, old\nfrom .extra import helper\n",
                                           "tiny/_core.py": CORE, "CHANGELOG.rst": NOTES, **files})


def test_a_module_unchanged_since_another_release_is_not_read_again(tmp_path: Path, monkeypatch):
    from apimigrate.scan import reading
    read: list[str] = []

    def extract_batch(files, *args):
        read.extend(sf.rel for sf in files)
        return real(files, *args)
    real = reading.extract_batch
    monkeypatch.setattr(reading, "extract_batch", extract_batch)
    first = _release(tmp_path, "1.0", {"tiny/extra.py": EXTRA_1})
    second = _release(tmp_path, "2.0", {"tiny/extra.py": EXTRA_2, "tiny/moved.py": EXTRA_1})
    kb = open_db(tmp_path / "both.db")
    try:
        [one] = scan(kb, [str(first)], show_progress=False, workers=1)
        read.clear()
        [two] = scan(kb, [str(second)], show_progress=False, workers=1)
        assert sorted(read) == ["CHANGELOG.rst", "tiny/extra.py", "tiny/moved.py"]
        reused = kb.file_facts("tiny", "2.0")
        rows = {(r["api"], r["parameter"] or None): r["last_seen"] for r in kb.deprecations(["tiny"])}
    finally:
        kb.close()
    assert (one.read, one.reused) == (4, 0)
    # __init__ and _core as they were; extra changed, moved.py is extra's old text at another path,
    # the changelog is read for each release
    assert (two.files, two.read, two.reused, two.unchanged) == (5, 3, 2, 0)
    alone = open_db(tmp_path / "alone.db")
    try:
        [fresh] = scan(alone, [str(second)], show_progress=False, workers=1)
        read = alone.file_facts("tiny", "2.0")
    finally:
        alone.close()
    assert (fresh.read, fresh.reused) == (5, 0)
    assert reused == read                          # the facts taken are those reading the file gives
    assert rows[("tiny.old", None)] == "2.0" and rows[("tiny.helper", "flag")] == "2.0"
    # a rescan of the release reads nothing and reuses nothing: its own stored facts are current
    kb = open_db(tmp_path / "both.db")
    try:
        [again] = scan(kb, [str(second)], show_progress=False, workers=1)
    finally:
        kb.close()
    assert (again.read, again.reused, again.unchanged) == (0, 0, 5)
