"""Pinned releases fetched through pip's configured index: numpy 1.26.4 then 2.0.2 into one database.

The rows accumulate: an API deprecated in 1.x and gone in 2.0 keeps its row (with its replacement)
and gets removed_in; 2.0's own deprecations join them. Skips when the index has no such wheels.
"""
from __future__ import annotations

import pytest

from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from apimigrate.scan.targets import ScanError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    kb = open_db(tmp_path_factory.mktemp("pinned") / "k.db")
    try:
        scan(kb, ["numpy==1.26.4"], show_progress=False)
        scan(kb, ["numpy==2.0.2"], show_progress=False)
    except ScanError as exc:
        pytest.skip(f"pinned numpy releases not on the configured index: {exc}")
    return kb


def _row(kb, api):
    rows = kb.get(api)
    assert rows, f"{api} not found"
    return rows[0]


def test_deprecated_in_1x_removed_in_2_keeps_replacement(kb):
    # numpy 1.26 numpy/core/fromnumeric.py product(): "`product` is deprecated as of NumPy 1.25.0, and will be
    # removed in NumPy 2.0. Please use `prod` instead."  It lives in numpy.core.fromnumeric but is public as
    # numpy.product through `from .core import *` and `extend_all(fromnumeric)`.
    row = _row(kb, "numpy.product")
    assert row["replacement"] == "numpy.prod"
    assert row["since"] == "1.25.0"
    assert row["removed_in"] is not None and row["removed_in"].startswith("2.0")
    assert row["first_seen"] == "1.26.4"


def test_1x_star_exports_give_top_level_names(kb):
    # numpy 1.26 numpy/lib/function_base.py msort(): "msort is deprecated, use np.sort(a, axis=0) instead"
    row = _row(kb, "numpy.msort")
    assert row["replacement"] == "numpy.sort"
    assert not kb.get("numpy.lib.function_base.msort")


def test_2_0_deprecation_joins(kb):
    # numpy 2.0.2 numpy/lib/_shape_base_impl.py row_stack(): "`row_stack` alias is deprecated. Use `np.vstack`"
    row = _row(kb, "numpy.row_stack")
    assert row["replacement"] == "numpy.vstack" and row["removed_in"] is None
    kinds = {e["kind"] for e in kb.evidence_for(row["id"])}
    assert "warning" in kinds


def test_expired_function_table_of_numpy_1x(kb):
    # numpy 1.26 __init__: __expired_functions__ = {"fv": "In accordance with NEP 32, the function fv was
    # removed from NumPy version 1.20. ..."}, looked up in __getattr__ under try/except KeyError
    row = _row(kb, "numpy.fv")
    assert row["removed_in"] in ("1.20", "1.20.0")
    assert "getattr" in {e["kind"] for e in kb.evidence_for(row["id"])}
    assert not kb.get("numpy")          # the try-lookup guard is not a module-wide deprecation


def test_the_newer_release_scanned_first_gives_the_same_removals(kb, tmp_path):
    # `apimigrate scan numpy==2.0.2` and later `apimigrate scan numpy==1.26.4`: the removals read 2.0.2's
    # stored facts instead of being left unmarked
    reverse = open_db(tmp_path / "k.db")
    scan(reverse, ["numpy==2.0.2"], show_progress=False)
    scan(reverse, ["numpy==1.26.4"], show_progress=False)

    def removed(db):
        return {(r["api"], r["parameter"]): r["removed_in"] for r in db.deprecations(["numpy"])}
    assert removed(reverse)[("numpy.product", "")].startswith("2.0")
    assert removed(reverse) == removed(kb)
