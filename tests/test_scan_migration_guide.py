"""numpy's 2.0 migration guide: its tables of a class's removed members are read (ndarray.ptp and
ndarray.newbyteorder, which no release note names); its prose and its namespace tables are not."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.scan.changelog import extract_changelog, is_changelog_path, version_from_path
from scan_support import scanned_db

# excerpts of numpy 2.4.6's doc/source/numpy_2_0_migration_guide.rst, as written
GUIDE = """\
.. _numpy-2-migration-guide:

*************************
NumPy 2.0 migration guide
*************************

Main namespace
--------------

About 100 members of the main ``np`` namespace have been deprecated, removed, or
moved to a new place. The table below shows members that have been removed:

======================  =================================================================
removed member          migration guideline
======================  =================================================================
disp                    Use your own printing function instead.
find_common_type        Use ``numpy.promote_types`` or ``numpy.result_type`` instead.
                        To achieve semantics for the ``scalar_types`` argument,
                        use ``numpy.result_type`` and pass the Python values ``0``.
float\\_                 Use ``np.float64`` instead.
======================  =================================================================

numpy.core namespace
--------------------

The ``np.core`` namespace is now officially private and has been renamed to ``np._core``.

ndarray and scalar methods
--------------------------

A few methods from ``np.ndarray`` and ``np.generic`` scalar classes have been removed.
The table below provides replacements for the removed members:

======================  ========================================================
expired member          migration guideline
======================  ========================================================
newbyteorder            Use ``arr.view(arr.dtype.newbyteorder(order))`` instead.
ptp                     Use ``np.ptp(arr, ...)``
                        instead.
======================  ========================================================

Other changes
=============

=================  ==========
kind               meaning
=================  ==========
x                  y
=================  ==========
"""


@pytest.mark.parametrize("path, version", [
    ("doc/source/numpy_2_0_migration_guide.rst", "2.0"),
    ("docs/migration_guide_3.0.rst", "3.0"),
    ("docs/migration_guide_3.0.md", None),              # only reST's simple tables are read
    ("doc/migrating-to-2.0.rst", "2.0"),
    ("doc/source/migration.rst", None),                 # no release in the name: not a guide
])
def test_a_migration_guide_is_told_by_its_name_and_release(path: str, version: str | None):
    assert is_changelog_path(path) == (version is not None)
    if version is not None:
        assert version_from_path(path) == version


def test_only_a_class_s_member_tables_are_read():
    result = extract_changelog(GUIDE.encode(), "doc/source/numpy_2_0_migration_guide.rst", library="numpy",
                               packages=["numpy"])
    assert result.error is None
    got = {f.target: f for f in result.findings}
    assert set(got) == {"ndarray.newbyteorder", "ndarray.ptp"}
    ptp = got["ndarray.ptp"]
    row_line = next(n for n, line in enumerate(GUIDE.splitlines(), 1) if line.startswith("ptp "))
    assert (ptp.kind, ptp.module, ptp.removed, ptp.removed_in, ptp.since, ptp.line) == (
        "method", "numpy", True, "2.0", None, row_line)
    assert ptp.message == "Use ``np.ptp(arr, ...)`` instead."     # the row's two lines, joined
    assert ptp.replacement == "np.ptp"


def test_a_removed_method_only_the_guide_names_is_flagged_on_an_array(tmp_path: Path):
    files = {
        "doc/source/arraylib_2_0_migration_guide.rst": GUIDE.replace("np.", "arraylib."),
        "arraylib/__init__.py": "from ._core import ndarray, ptp, zeros\n__all__ = ['ndarray', 'ptp', 'zeros']\n",
        "arraylib/_core.py": "class ndarray:\n    def view(self):\n        return self\n\n\n"
                             "def zeros(n) -> ndarray:\n    return ndarray()\n\n\ndef ptp(a):\n    return 0\n",
    }
    db, rows = scanned_db(tmp_path, "arraylib", "2.4", files)
    ptp = rows[("arraylib.ndarray.ptp", None)]
    assert (ptp["kind"], ptp["replacement"], ptp["removed_in"]) == ("method", "arraylib.ptp", "2.0")
    assert ("arraylib.disp", None) not in rows and ("arraylib.float_", None) not in rows
    code = tmp_path / "user.py"
    code.write_text("import arraylib as al\n\na = al.zeros(3)\nspan = a.ptp()\nb = al.ptp(a)\n")
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert [(f["line"], f["api"]) for f in json.loads(result.stdout)] == [(4, "arraylib.ndarray.ptp")]
