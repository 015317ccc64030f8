"""`with pd.ExcelFile(path) as xl:` makes `xl` what the manager's `__enter__` returns.

pandas' readers and stores (`ExcelFile`, `HDFStore`, `StataReader`) enter as themselves
(`def __enter__(self) -> Self`); so does a class whose unannotated `__enter__` returns self. A
subclass's own `__enter__` decides for it, whatever it returns: one that hands back another object
leaves the name untyped, not typed by its parent's `Self`.
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
from scan_support import scan_library

READERS = '''\
import warnings
from typing import Self


class BaseReader:
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


class ExcelFile(BaseReader):
    def parse(self, sheet=0):
        return sheet

    def parse_sheet(self, sheet=0):
        warnings.warn("ExcelFile.parse_sheet is deprecated. Use ExcelFile.parse instead.",
                      FutureWarning, stacklevel=2)
        return self.parse(sheet)


class Handle:
    def flush(self):
        pass

    def flush_all(self):
        warnings.warn("Handle.flush_all is deprecated. Use Handle.flush instead.", FutureWarning, stacklevel=2)
        return self.flush()


class Locked(ExcelFile):
    def __enter__(self) -> Handle:
        return Handle()


class Opaque(ExcelFile):
    def __enter__(self):
        self._fh = open(self.path)
        return self._fh


class Store:
    def __enter__(self):
        self.open()
        return self

    async def __aenter__(self) -> Handle:
        return Handle()

    def open(self):
        pass

    def select(self, key):
        return key

    def select_as(self, key):
        warnings.warn("Store.select_as is deprecated. Use Store.select instead.", FutureWarning, stacklevel=2)
        return self.select(key)
'''

USER = '''\
import iolib as io

with io.ExcelFile("a.xlsx") as xl:
    xl.parse_sheet(0)
with io.Store("a.h5") as st, open("f") as fh:
    st.select_as("k")
reader = io.ExcelFile("b.xlsx")
with reader as r:
    r.parse_sheet(1)
with io.Opaque("c") as o:
    o.parse_sheet(2)
with io.Locked("d") as h:
    h.flush_all()
with (io.ExcelFile("e") as (a, b)):
    a.parse_sheet(3)


async def f():
    async with io.Store("x") as s:
        s.flush_all()
    try:
        pass
    except ValueError as e:
        e.parse_sheet(4)
'''


def _project(tmp_path: Path) -> tuple[Path, Path]:
    scan_library(tmp_path, "iolib", "3.0", {
        "iolib/__init__.py": "from ._readers import ExcelFile, Handle, Locked, Opaque, Store\n"
                             "__all__ = ['ExcelFile', 'Handle', 'Locked', 'Opaque', 'Store']\n",
        "iolib/_readers.py": READERS}).close()
    code = tmp_path / "user.py"
    code.write_text(USER)
    return tmp_path / "k.db", code


def _check(db: Path, code: Path) -> list[tuple[int, str, str]]:
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code in (0, 1), result.output
    return [(f["line"], f["code"], f["api"]) for f in json.loads(result.stdout)]


def test_the_scan_keeps_every_context_manager_entry_even_one_returning_no_class(tmp_path: Path):
    db, _ = _project(tmp_path)
    kb = open_db(db)
    try:
        returns = kb.class_facts().returns
    finally:
        kb.close()
    entries = {api: [s["returns"] for s in sigs] for api, sigs in returns.items() if "__" in api.rsplit(".", 1)[-1]}
    assert entries == {
        "iolib._readers.BaseReader.__enter__": ["Self"],
        "iolib.Locked.__enter__": ["iolib.Handle"],
        "iolib.Opaque.__enter__": [None],                  # returns another object: hides BaseReader's
        "iolib.Store.__enter__": ["Self"],                 # unannotated, returns self
        "iolib.Store.__aenter__": ["iolib.Handle"],
    }


def test_a_with_target_is_what_the_manager_enters_as(tmp_path: Path):
    db, code = _project(tmp_path)
    assert _check(db, code) == [
        (4, "APIM001", "iolib.ExcelFile.parse_sheet"),      # BaseReader.__enter__ -> Self: an ExcelFile
        (6, "APIM001", "iolib.Store.select_as"),            # `return self`, beside a foreign `open(...)`
        (9, "APIM001", "iolib.ExcelFile.parse_sheet"),      # the manager a name of a known class
        (11, "APIM003", "iolib.ExcelFile.parse_sheet"),     # Opaque's own __enter__ decides: unknown
        (13, "APIM001", "iolib.Handle.flush_all"),          # Locked enters as a Handle
        (15, "APIM003", "iolib.ExcelFile.parse_sheet"),     # unpacked: untyped
        (20, "APIM001", "iolib.Handle.flush_all"),          # `async with`: Store.__aenter__ -> Handle
        (24, "APIM003", "iolib.ExcelFile.parse_sheet"),     # `except ... as`: no context manager
    ]
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    fixed = code.read_text().splitlines()
    assert (fixed[3], fixed[5], fixed[8], fixed[12]) == (
        "    xl.parse(0)", '    st.select("k")', "    r.parse(1)", "    h.flush()")
    assert fixed[10] == "    o.parse_sheet(2)"                 # by name: reported, not rewritten
