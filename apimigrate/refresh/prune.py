"""Old run folders go, so that a daily timer does not fill the disk: after each refresh, the
folders of finished runs (decided or abandoned) beyond the newest `keep-runs` are deleted.

Kept whatever their age: a run not finished (it is resumed), the adapters of promoted models
(WORKDIR/models/, outside the run folders: they are what a rollback promotes again), a run
folder that holds the adapter of a model promoted or retired all the same (`models promote` of a
rejected candidate serves it from its run folder), and folders this database does not know
(another database's runs in a shared work folder). A rejected candidate's adapter lives in its
run folder and goes with it; `models promote` then says so.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from apimigrate.db import KnowledgeBase, registry


def prune_runs(kb: KnowledgeBase, runs_root: Path, keep: int) -> list[int]:
    """Delete the folders of the finished runs in `runs_root` beyond the newest `keep`; the ids
    of the runs whose folder went (each run's log says so)."""
    finished = [r for r in registry.runs(kb, limit=None)       # newest first
                if r["finished_at"] and r["run_dir"] and Path(r["run_dir"]).parent == runs_root
                and Path(r["run_dir"]).is_dir()]
    served = [Path(m.adapter_path) for m in registry.models(kb)
              if m.status in (registry.PROMOTED, registry.RETIRED) and m.adapter_path]
    pruned = []
    for run in finished[keep:]:
        if any(Path(run["run_dir"]) in adapter.parents for adapter in served):
            continue
        shutil.rmtree(run["run_dir"])
        registry.update_run(kb, run["id"], note=f"its folder was deleted (keep-runs = {keep})")
        pruned.append(run["id"])
    return pruned
