"""The model registry and the refresh runs (DESIGN.md, "Refresh").

A model is a base (a local Hugging Face directory) plus a LoRA adapter. A refresh trains a
candidate, records it, and promotes it only when its gates hold; promoting one retires the model
of the same base promoted before it, in the same transaction. The language server serves the
newest promoted model. Every refresh run is a row of `refresh_runs`, whose `stage` says where a
crashed or interrupted run goes on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .knowledge import KnowledgeBase, _now

CANDIDATE, PROMOTED, RETIRED, REJECTED = "candidate", "promoted", "retired", "rejected"
MODEL_STATUSES = (CANDIDATE, PROMOTED, RETIRED, REJECTED)
# A run stopped before it finished (a crash leaves it "running") is resumed by the next one, or
# abandoned when the configuration changed meanwhile; the others are finished.
RUNNING, INTERRUPTED, FAILED, ABANDONED = "running", "interrupted", "failed", "abandoned"
NOTHING_NEW = "nothing-new"     # and PROMOTED, REJECTED
UNCHANGED = "unchanged"         # the inputs of a rejected candidate again: nothing trained


@dataclass(frozen=True)
class ModelRecord:
    id: int
    base: str
    adapter_path: str | None
    status: str
    created_at: str
    db_fingerprint: str | None = None
    metrics: dict = field(default_factory=dict)
    mappings: tuple[str, ...] = ()
    parent_id: int | None = None
    run_id: int | None = None
    promoted_at: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> "ModelRecord":
        return cls(id=row["id"], base=row["base"], adapter_path=row["adapter_path"], status=row["status"],
                   created_at=row["created_at"], db_fingerprint=row["db_fingerprint"],
                   metrics=json.loads(row["metrics_json"] or "{}"), mappings=tuple(json.loads(row["mappings"] or "[]")),
                   parent_id=row["parent_id"], run_id=row["run_id"], promoted_at=row["promoted_at"])


def add_model(kb: KnowledgeBase, *, base: str, adapter_path: str | None, db_fingerprint: str, metrics: dict,
              mappings: list[str], parent_id: int | None = None, run_id: int | None = None,
              status: str = CANDIDATE) -> int:
    if status not in MODEL_STATUSES:
        raise ValueError(f"unknown model status {status!r}")
    with kb.transaction():
        return kb.db["models"].insert(
            {"base": base, "adapter_path": adapter_path, "created_at": _now(), "db_fingerprint": db_fingerprint,
             "metrics_json": json.dumps(metrics), "status": status, "parent_id": parent_id, "run_id": run_id,
             "mappings": json.dumps(sorted(set(mappings)))}).last_pk


def get_model(kb: KnowledgeBase, model_id: int) -> ModelRecord | None:
    rows = list(kb.db.query("SELECT * FROM models WHERE id = ?", [model_id]))
    return ModelRecord.from_row(rows[0]) if rows else None


def models(kb: KnowledgeBase, *, base: str | None = None) -> list[ModelRecord]:
    sql, args = "SELECT * FROM models", []
    if base is not None:
        sql, args = sql + " WHERE base = ?", [base]
    return [ModelRecord.from_row(r) for r in kb.db.query(sql + " ORDER BY id", args)]


def promoted(kb: KnowledgeBase, base: str | None = None) -> ModelRecord | None:
    """The model promoted last (of `base`, when given)."""
    sql, args = "SELECT * FROM models WHERE status = ?", [PROMOTED]
    if base is not None:
        sql, args = sql + " AND base = ?", [PROMOTED, base]
    rows = list(kb.db.query(sql + " ORDER BY promoted_at DESC, id DESC LIMIT 1", args))
    return ModelRecord.from_row(rows[0]) if rows else None


def set_status(kb: KnowledgeBase, model_id: int, status: str, metrics: dict | None = None) -> None:
    if status not in MODEL_STATUSES:
        raise ValueError(f"unknown model status {status!r}")
    with kb.transaction():
        update = {"status": status}
        if metrics is not None:
            update["metrics_json"] = json.dumps(metrics)
        kb.db["models"].update(model_id, update)


def promote(kb: KnowledgeBase, model_id: int) -> ModelRecord | None:
    """Make `model_id` the promoted model of its base; returns the one it retired."""
    with kb.transaction():
        model = get_model(kb, model_id)
        if model is None:
            raise ValueError(f"no model {model_id} in the registry")
        previous = promoted(kb, model.base)
        # every other promoted model of the base (there is one, unless two writers raced)
        kb.db.execute("UPDATE models SET status = ? WHERE base = ? AND status = ? AND id != ?",
                      [RETIRED, model.base, PROMOTED, model_id])
        kb.db["models"].update(model_id, {"status": PROMOTED, "promoted_at": _now()})
    return previous if previous is not None and previous.id != model_id else None


# ---- refresh runs ------------------------------------------------------------------------
def start_run(kb: KnowledgeBase, *, run_dir: str, config: dict) -> int:
    with kb.transaction():
        return kb.db["refresh_runs"].insert(
            {"started_at": _now(), "status": RUNNING, "stage": "start", "run_dir": run_dir,
             "config_json": json.dumps(config, sort_keys=True), "log": ""}).last_pk


def unfinished_run(kb: KnowledgeBase, under: str | None = None) -> dict | None:
    """The newest run that was stopped (crash, Ctrl-C, error) before it finished, of those whose
    folder is in `under` (a refresh's work folder) when given."""
    rows = [r for r in kb.db.query(
        "SELECT * FROM refresh_runs WHERE status IN (?, ?, ?) ORDER BY id DESC", [RUNNING, INTERRUPTED, FAILED])
        if under is None or (r["run_dir"] or "").startswith(under.rstrip("/") + "/")]
    return rows[0] if rows else None


def get_run(kb: KnowledgeBase, run_id: int) -> dict | None:
    rows = list(kb.db.query("SELECT * FROM refresh_runs WHERE id = ?", [run_id]))
    return rows[0] if rows else None


def update_run(kb: KnowledgeBase, run_id: int, *, note: str | None = None, finished: bool = False,
               **fields: object) -> None:
    """Set columns of a run (stage, status, model_id, delta_json, error) and append `note` to its log."""
    with kb.transaction():
        row = get_run(kb, run_id)
        if row is None:
            raise ValueError(f"no refresh run {run_id}")
        update = dict(fields)
        if note:
            update["log"] = (row["log"] or "") + f"{_now()} {fields.get('stage', row['stage'])}: {note}\n"
        if finished:
            update["finished_at"] = _now()
        kb.db["refresh_runs"].update(run_id, update)


def runs(kb: KnowledgeBase, limit: int | None = 20) -> list[dict]:
    """The newest runs first; all of them when `limit` is None."""
    return list(kb.db.query("SELECT * FROM refresh_runs ORDER BY id DESC LIMIT ?", [-1 if limit is None else limit]))
