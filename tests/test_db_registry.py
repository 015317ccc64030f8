"""The model registry and refresh runs of the knowledge base (db/registry.py), on a real DB."""
from __future__ import annotations

import sqlite3

import pytest

from apimigrate.db import open_db, registry


@pytest.fixture
def kb(tmp_path):
    kb = open_db(tmp_path / "kb.sqlite")
    yield kb
    kb.close()


def _model(kb, base="/models/coder", adapter="/runs/1/adapter", mappings=("numpy.row_stack -> numpy.vstack",), **kw):
    return registry.add_model(kb, base=base, adapter_path=adapter, db_fingerprint="f0", metrics={"m": 1},
                              mappings=list(mappings), **kw)


def test_promoting_retires_the_model_of_the_same_base_only(kb):
    first = _model(kb)
    other_base = _model(kb, base="/models/other")
    assert registry.promoted(kb) is None
    assert registry.promote(kb, first) is None
    registry.promote(kb, other_base)
    second = _model(kb, adapter="/runs/2/adapter", parent_id=first)
    retired = registry.promote(kb, second)
    assert retired is not None and retired.id == first
    statuses = {m.id: m.status for m in registry.models(kb)}
    assert statuses == {first: "retired", other_base: "promoted", second: "promoted"}
    assert registry.promoted(kb, "/models/coder").id == second
    assert registry.promoted(kb, "/models/coder").parent_id == first
    # without a base: the one promoted last
    assert registry.promoted(kb).id == second


def test_mappings_and_metrics_come_back_as_stored(kb):
    mid = _model(kb, mappings=["b -> c", "a -> b", "a -> b"])
    model = registry.get_model(kb, mid)
    assert model.mappings == ("a -> b", "b -> c") and model.metrics == {"m": 1} and model.status == "candidate"
    registry.set_status(kb, mid, "rejected", metrics={"gates": ["x"]})
    assert registry.get_model(kb, mid).metrics == {"gates": ["x"]}
    with pytest.raises(ValueError):
        registry.set_status(kb, mid, "bogus")
    with pytest.raises(ValueError):
        registry.promote(kb, 999)


def test_a_run_not_finished_is_found_and_its_log_grows(kb):
    done = registry.start_run(kb, run_dir="/w/run-1", config={"a": 1})
    registry.update_run(kb, done, stage="promote", status="promoted", finished=True, note="model 1")
    assert registry.unfinished_run(kb) is None
    rid = registry.start_run(kb, run_dir="/w/run-2", config={"a": 1})
    registry.update_run(kb, rid, stage="scan", note="2 libraries")
    registry.update_run(kb, rid, stage="train", status="interrupted", note="stopped after step 3")
    run = registry.unfinished_run(kb)
    assert run["id"] == rid and run["stage"] == "train" and run["status"] == "interrupted"
    assert [line.split(" ", 1)[1] for line in run["log"].splitlines()] == ["scan: 2 libraries",
                                                                         "train: stopped after step 3"]
    assert [r["id"] for r in registry.runs(kb)] == [rid, done]


def test_a_database_of_the_previous_schema_gains_the_registry_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    kb = open_db(path)
    kb.close()
    conn = sqlite3.connect(path)
    for table, column in [("models", c) for c in ("parent_id", "run_id", "mappings", "promoted_at")] + \
            [("refresh_runs", c) for c in ("run_dir", "config_json", "error")]:
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0008_model_registry'")
    conn.commit()
    conn.close()
    kb = open_db(path)
    try:
        mid = _model(kb)
        registry.promote(kb, mid)
        assert registry.promoted(kb).id == mid
        assert registry.get_run(kb, registry.start_run(kb, run_dir="/w", config={}))["run_dir"] == "/w"
    finally:
        kb.close()
