"""One refresh run (DESIGN.md, "Refresh"): rescan, find what the promoted model has not learned,
train on it (plus replay) on top of the promoted adapter, evaluate both, promote when the gates hold.

    WORKDIR/refresh.lock            one run at a time (lock.py; and one per model on its DB)
    WORKDIR/corpus/                 the corpus's dataset, shared by runs (files are re-read only
                                    when they or the DB changed)
    WORKDIR/runs/RUN/data/          the run's pairs, probes and retain code (selection.py)
    WORKDIR/runs/RUN/train/         its training run (checkpoints while it runs, then the adapter)
    WORKDIR/runs/RUN/eval-incumbent/, eval-candidate/   both models' probes and summaries
    WORKDIR/models/RUN/             the adapter of a promoted model (kept when runs are pruned:
                                    the folders of finished runs beyond keep-runs, prune.py)

RUN is `run-N-<start time>-<random>`: N is the run's id in the DB.

Every stage goes on from what it left on disk, so a run stopped anywhere (Ctrl-C, SIGTERM, a
crash, an error) is resumed at the stage it was in by the next invocation with the same
configuration; it is abandoned, and a new run starts, when the configuration changed, when another
model was promoted meanwhile (a rollback), or when asked (`--new`). A run whose inputs (data,
configuration, base weights) are those of a rejected candidate trains nothing ("unchanged"). The run's row
in `refresh_runs` says which stage it is in, and its log what each stage did.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from apimigrate.db import DBError, KnowledgeBase, default_db_path, open_db, registry
from apimigrate.evaluate.passk import Stopped as TestsStopped
from apimigrate.local_models import ModelError, model_fingerprint
from apimigrate.unlearn.batches import DataError
from apimigrate.unlearn.dataset import BuildOptions, DatasetError, StaleBuild, build_dataset
from apimigrate.unlearn.options import Interrupted, TrainError

from .config import RefreshConfig
from .gates import GateResult, judge, subset_rates
from .lock import model_lock, workdir_lock
from .prune import prune_runs
from .selection import SELECTION, Selection, select

STAGES = ("scan", "dataset", "select", "train", "evaluate", "decide")
CORPUS, RUNS, MODELS = "corpus", "runs", "models"


class RefreshError(Exception):
    """The run failed; the message is one line. What it did so far is kept for the next run."""

    def __init__(self, message: str, *, resumable: bool = True) -> None:
        super().__init__(message)
        self.resumable = resumable


class RefreshInterrupted(Exception):
    def __init__(self, run_id: int, stage: str) -> None:
        super().__init__(f"run {run_id} stopped in {stage}")
        self.run_id, self.stage = run_id, stage


class _Stop(Exception):
    """Asked to stop between two stages."""


class _Superseded(Exception):
    """Another model was promoted while the run went on."""


class Reporter:
    """What a run tells as it goes; the command line shows it, tests may record it."""

    def stage(self, run_id: int, name: str, message: str) -> None: ...

    def train_start(self, step: int, total: int, info: dict) -> None: ...

    def train_step(self, metrics: dict, total: int) -> None: ...

    def probes(self, label: str, done: int, total: int) -> None: ...


@dataclass
class RefreshResult:
    run_id: int
    status: str                       # promoted | rejected | nothing-new
    resumed: bool = False
    selection: Selection | None = None
    gates: list[GateResult] = field(default_factory=list)
    model_id: int | None = None
    retired_id: int | None = None


def refresh(config: RefreshConfig, *, reporter: Reporter | None = None, stop: Callable[[], bool] = lambda: False,
            scan_progress: bool = False, new: bool = False) -> RefreshResult:
    """Run (or resume) one refresh under the work folder's and the model's locks; raises
    lock.Busy when another holds one, RefreshError when a stage fails, RefreshInterrupted when
    asked to stop. `new`: abandon a stopped run instead of resuming it."""
    reporter = reporter or Reporter()
    db_path = Path(config.db) if config.db is not None else default_db_path()
    with contextlib.ExitStack() as locks:
        try:
            locks.enter_context(workdir_lock(config.workdir))
            locks.enter_context(model_lock(db_path.resolve(), str(config.model.resolve())))
        except OSError as exc:          # a folder that cannot be made or written: nothing was done
            raise RefreshError(f"cannot take the refresh lock at {exc.filename}: {exc.strerror or exc}",
                               resumable=False) from exc
        try:
            kb = open_db(config.db)
        except DBError as exc:
            raise RefreshError(str(exc).splitlines()[0], resumable=False) from exc
        try:
            run_id, stage, resumed, abandoned = _start_or_resume(kb, config, new)
            if abandoned is not None:
                reporter.stage(abandoned[0], abandoned[1], f"abandoned: {abandoned[2]}")
            run = _Run(kb, config, run_id, reporter, stop, scan_progress)
            reporter.stage(run_id, stage, ("resuming" if resumed else "starting") + f" with the database {kb.path}")
            result = run.go(stage, resumed)
            _tidy(kb, config, reporter, result.run_id)
            return result
        finally:
            kb.close()


def _tidy(kb: KnowledgeBase, config: RefreshConfig, reporter: Reporter, run_id: int) -> None:
    """Old run folders go after a finished run; failing to delete one does not fail the run."""
    try:
        pruned = prune_runs(kb, config.workdir.resolve() / RUNS, config.keep_runs)
    except (OSError, DBError) as exc:
        reporter.stage(run_id, "prune", f"old run folders not deleted: {_one_line(exc)}")
        return
    if pruned:
        reporter.stage(run_id, "prune", f"deleted the folders of run(s) {', '.join(map(str, pruned))} "
                                        f"(keep-runs = {config.keep_runs})")


def _start_or_resume(kb: KnowledgeBase, config: RefreshConfig,
                     new: bool) -> tuple[int, str, bool, tuple[int, str, str] | None]:
    """(run id, stage to start at, resumed, (id, stage, why) of a stopped run abandoned)."""
    workdir = config.workdir.resolve()
    stopped = registry.unfinished_run(kb, under=str(workdir))
    abandoned = None
    if stopped is not None:
        why = _why_not_resume(kb, config, stopped, new)
        if why is None:
            return stopped["id"], stopped["stage"] if stopped["stage"] in STAGES else STAGES[0], True, None
        _abandon(kb, stopped, why)
        abandoned = (stopped["id"], stopped["stage"] or STAGES[0], why)
    with kb.transaction():
        run_id = registry.start_run(kb, run_dir="", config={"fingerprint": config.fingerprint(),
                                                            "config": config.as_json()})
        # Unique beyond this DB's ids: a rebuilt DB (or another one with this work folder) numbers
        # its runs from 1 again, and must not take an old run's files for its own.
        started = registry.get_run(kb, run_id)["started_at"].replace(":", "").replace("-", "")[:15]
        run_dir = workdir / RUNS / f"run-{run_id}-{started}-{secrets.token_hex(3)}"
        registry.update_run(kb, run_id, run_dir=str(run_dir))
    run_dir.mkdir(parents=True)
    return run_id, STAGES[0], False, abandoned


def _why_not_resume(kb: KnowledgeBase, config: RefreshConfig, stopped: dict, new: bool) -> str | None:
    if new:
        return "a new run was asked for (--new)"
    stored = json.loads(stopped["config_json"] or "{}")
    if stored.get("fingerprint") != config.fingerprint():
        changed = _changed_settings(stored.get("config") or {}, config.as_json())
        return "the configuration changed since it stopped" + (f" ({', '.join(changed)})" if changed else "")
    run_dir = Path(stopped["run_dir"] or "")
    if not run_dir.is_dir():
        return "its folder is gone"
    data = run_dir / "data"
    if (data / SELECTION).is_file():
        try:
            chosen = Selection.read(data).incumbent_id
        except (OSError, ValueError, TypeError):
            return f"its {SELECTION} is unreadable"
        incumbent = registry.promoted(kb, str(config.model.resolve()))
        if (incumbent.id if incumbent else None) != chosen:
            return "the promoted model changed since it chose its data"
    return None


def _changed_settings(before: dict, now: dict, prefix: str = "") -> list[str]:
    """The settings that differ, as the configuration spells them: `train.epochs`, `seed`."""
    changed = []
    for key in sorted(set(before) | set(now)):
        a, b = before.get(key), now.get(key)
        if a == b or key in ("gates", "keep_runs"):
            continue
        name = prefix + key.replace("_", "-")
        if isinstance(a, dict) and isinstance(b, dict):
            changed += _changed_settings(a, b, name + ".")
        else:
            changed.append(name)
    return changed


def _abandon(kb: KnowledgeBase, run: dict, why: str) -> None:
    registry.update_run(kb, run["id"], status=registry.ABANDONED, finished=True, error=f"abandoned: {why}",
                        note=f"abandoned: {why}")
    # what it trained stays; its optimizer states are of no use to anyone
    shutil.rmtree(Path(run["run_dir"] or "/nonexistent") / "train" / "checkpoints", ignore_errors=True)


class _Run:
    def __init__(self, kb: KnowledgeBase, config: RefreshConfig, run_id: int, reporter: Reporter,
                 stop: Callable[[], bool], scan_progress: bool) -> None:
        self.kb, self.config, self.id, self.reporter, self.stop = kb, config, run_id, reporter, stop
        self.scan_progress = scan_progress
        self.dir = Path(registry.get_run(kb, run_id)["run_dir"])
        self.data = self.dir / "data"
        self.base = str(config.model.resolve())
        self.stage = STAGES[0]

    def note(self, message: str, **fields: object) -> None:
        registry.update_run(self.kb, self.id, note=message, **fields)
        self.reporter.stage(self.id, self.stage, message)

    def go(self, start: str, resumed: bool) -> RefreshResult:
        try:
            for name in STAGES[STAGES.index(start):]:
                if self.stop():
                    raise _Stop
                self.stage = name
                registry.update_run(self.kb, self.id, stage=name, status=registry.RUNNING, error=None)
                result = getattr(self, f"_{name}")()
                if result is not None:
                    result.resumed = resumed
                    return result
        except (Interrupted, KeyboardInterrupt, _Stop, TestsStopped) as exc:
            self._record_failure(registry.INTERRUPTED, f"stopped ({exc})" if str(exc) else "stopped")
            raise RefreshInterrupted(self.id, self.stage) from exc
        except _Superseded as exc:
            _abandon(self.kb, registry.get_run(self.kb, self.id), str(exc))
            raise RefreshError(f"run {self.id} abandoned in {self.stage}: {exc}; the next run starts from "
                               "the model promoted now", resumable=False) from exc
        except Exception as exc:        # CUDA out of memory, a bug: one line, recorded, exit 2 - never "rejected"
            message = _one_line(exc)
            if not isinstance(exc, (DatasetError, TrainError, ModelError, DataError, DBError, OSError, ValueError)):
                message = f"{type(exc).__name__}: {message}"
            self._record_failure(registry.FAILED, message)
            raise RefreshError(f"run {self.id} failed in {self.stage}: {message}") from exc
        raise AssertionError("the last stage decides")     # pragma: no cover

    def _record_failure(self, status: str, message: str) -> None:
        try:
            run = registry.get_run(self.kb, self.id)
            if run is not None and not run["finished_at"]:      # a decided run stays decided
                registry.update_run(self.kb, self.id, status=status, error=message, note=message)
        except DBError:
            pass        # the DB itself is what failed; the run stays "running" and is resumed alike

    def _check_incumbent(self, selection: Selection) -> None:
        """The run trains on top of, and is judged against, the model promoted when it chose its
        data; if another was promoted since (a rollback by hand), its result means nothing."""
        now = registry.promoted(self.kb, self.base)
        if (now.id if now else None) != selection.incumbent_id:
            raise _Superseded(f"model {now.id if now else 'none'} was promoted since it chose its data "
                              f"(from {selection.incumbent_id or 'the base model'})")

    # ---- stages ---------------------------------------------------------------------------
    def _scan(self) -> None:
        if not self.config.targets:
            self.note("no targets configured: the database as it is")
            return
        from apimigrate.scan.runner import scan
        from apimigrate.scan.targets import ScanError
        try:
            reports = scan(self.kb, list(self.config.targets), show_progress=self.scan_progress)
        except ScanError as exc:
            raise DatasetError(f"scan: {exc}") from exc
        self.note("; ".join(f"{r.library} {r.version}: {r.deprecations} deprecations, {r.read} file(s) read"
                            for r in reports))

    def _dataset(self) -> None:
        from apimigrate.check import iter_python_files
        rows = self.kb.deprecations(libraries=list(self.config.libraries) or None,
                                    min_confidence=self.config.min_confidence)
        if not rows:
            raise DatasetError("the database holds no deprecations" + (
                f" of {', '.join(self.config.libraries)}" if self.config.libraries else "")
                + " (configure refresh.targets to scan)")
        missing = [str(p) for p in self.config.corpus if not p.exists()]
        if missing:
            raise DatasetError(f"no such corpus file or folder: {', '.join(missing)}")
        files = list(iter_python_files(list(self.config.corpus)))
        corpus = self.config.workdir.resolve() / CORPUS
        options: BuildOptions = self.config.dataset
        common = dict(classes=self.kb.class_facts(), fingerprint=self.kb.fingerprint(), options=options)
        try:
            manifest = build_dataset(files, corpus, rows, **common)
        except StaleBuild:          # the DB or the options changed since: the pairs must be made again
            manifest = build_dataset(files, corpus, rows, fresh=True, **common)
        pairs = manifest["pairs"]
        self.note(f"{pairs['train']} train / {pairs['eval']} eval pair(s) over {len(manifest['mappings'])} "
                  f"mapping(s) from {manifest['files']['read']} file(s)")

    def _select(self) -> RefreshResult | None:
        incumbent = registry.promoted(self.kb, self.base)
        adapter = incumbent.adapter_path if incumbent is not None else None
        if adapter is not None and not (Path(adapter) / "adapter_config.json").is_file():
            raise DatasetError(f"the promoted model {incumbent.id}'s adapter is gone from {adapter}")
        learned = set(incumbent.mappings) if incumbent is not None else set()
        c = self.config
        selection = select(c.workdir.resolve() / CORPUS, self.data, learned, replay=c.replay,
                           max_probes=c.max_probes, seed=c.seed, incumbent_id=incumbent.id if incumbent else None,
                           incumbent_adapter=adapter)
        delta = json.dumps(selection.as_json())
        if not selection.new:
            waiting = (f"; {len(selection.unmeasured)} mapping(s) wait for a probe (no eval file of theirs): "
                       + ", ".join(selection.unmeasured)) if selection.unmeasured else ""
            registry.update_run(self.kb, self.id, status=registry.NOTHING_NEW, delta_json=delta, finished=True,
                                note=f"nothing new: the corpus has no pair of a mapping the "
                                     f"{'promoted' if incumbent else 'base'} model has not learned" + waiting)
            self.reporter.stage(self.id, self.stage, "nothing new to learn")
            shutil.rmtree(self.dir, ignore_errors=True)
            return RefreshResult(self.id, registry.NOTHING_NEW, selection=selection)
        inputs = _inputs_digest(self.config, self.data)
        delta = json.dumps({**selection.as_json(), "inputs": inputs})
        rejected = _rejected_alike(self.kb, self.config, inputs)
        if rejected is not None:
            # The same data, configuration and model make the same candidate: training it again
            # every tick would spend the hours to be rejected the same way.
            run, model = rejected
            failed = "; ".join(f"{g['name']}: {g['detail']}" for g in model.metrics.get("gates", []) if not g["passed"])
            message = (f"unchanged since run {run['id']}, whose candidate (model {model.id}) was rejected"
                       + (f" ({failed})" if failed else "") + "; nothing trained: change the corpus, the database, "
                       "the model or the configuration (a new seed) to try again")
            registry.update_run(self.kb, self.id, status=registry.UNCHANGED, delta_json=delta, model_id=model.id,
                                finished=True, note=message)
            self.reporter.stage(self.id, self.stage, message)
            shutil.rmtree(self.dir, ignore_errors=True)
            return RefreshResult(self.id, registry.UNCHANGED, selection=selection, model_id=model.id)
        self.note(f"{len(selection.new)} new mapping(s) ({selection.train_pairs} pairs) + {selection.replay_pairs} "
                  f"replay pair(s) of {len(selection.old)} learned before; {selection.probes} probe(s); "
                  f"from {'model ' + str(incumbent.id) if incumbent else 'the base model'}", delta_json=delta)
        return None

    def _train(self) -> None:
        # Here, not at the top: torch takes seconds to import, and a run turned away by the lock
        # (a cron tick while another refresh trains) must not pay for it.
        from apimigrate.unlearn.launch import train_in_processes
        from apimigrate.unlearn.train import train
        selection = Selection.read(self.data)
        self._check_incumbent(selection)
        init = Path(selection.incumbent_adapter) if selection.incumbent_adapter else None
        common = dict(cpu=self.config.device == "cpu", init_adapter=init, stop=self.stop,
                      on_start=self.reporter.train_start, on_step=self.reporter.train_step)
        processes = self.config.train_processes
        if processes > 1:
            summary = train_in_processes(self.data, self.config.model, self.dir / "train", self.config.train,
                                         processes=processes, on_wait=self._waiting, **common)
        else:
            summary = train(self.data, self.config.model, self.dir / "train", self.config.train, **common)
        last = summary.get("last") or {}
        self.note(f"{summary['steps']} step(s)" + (f", last loss {last['loss']:.4f}" if "loss" in last else ""))

    def _waiting(self) -> None:
        self.reporter.stage(self.id, self.stage, "waiting for the training processes of the attempt before to "
                                                 "save their step and stop")

    def _evaluate(self) -> None:
        from apimigrate.callsites import DeprecationIndex
        from apimigrate.evaluate import read_records
        records = read_records(self.data)
        index = DeprecationIndex.from_rows(self.kb.deprecations(), self.kb.class_facts())
        selection = Selection.read(self.data)
        retain_file = self.data / "retain_eval.jsonl"
        for label, adapter in (("incumbent", selection.incumbent_adapter), ("candidate", self.dir / "train" / "adapter")):
            summary = _probe(self.config, records, index, adapter, retain_file, self.dir / f"eval-{label}",
                             self._progress(label))
            overall = summary["overall"]
            self.note(f"{label}: {overall['deprecated_rate']:.0%} deprecated, {overall['replacement_rate']:.0%} "
                      f"replacement over {overall['probes']} probe(s)"
                      + (f", perplexity {summary['utility']['perplexity']:.4g}" if summary.get("utility") else "")
                      + (f", pass@1 {summary['pass_at_k']['pass@1']:.1%}" if summary.get("pass_at_k") else ""))

    def _progress(self, label: str) -> Callable[[int, int], None]:
        """Reports probes (and pass@k tasks) done; a stop asked for meanwhile takes effect here,
        between two batches, each of which is on disk already."""
        def report(done: int, total: int) -> None:
            self.reporter.probes(label, done, total)
            if self.stop():
                raise _Stop(f"while probing the {label}")
        return report

    def _decide(self) -> RefreshResult:
        selection = Selection.read(self.data)
        self._check_incumbent(selection)
        candidate = _read_summary(self.dir / "eval-candidate")
        incumbent = _read_summary(self.dir / "eval-incumbent")
        gates = judge(candidate, incumbent, set(selection.new), set(selection.old), self.config.gates)
        passed = all(g.passed for g in gates)
        adapter = self.dir / "train" / "adapter"
        if passed:
            adapter = _keep_adapter(adapter, self.config.workdir.resolve() / MODELS / self.dir.name)
        parent = registry.get_model(self.kb, selection.incumbent_id) if selection.incumbent_id else None
        mappings = sorted(set(parent.mappings if parent else ()) | set(selection.new))
        metrics = {"candidate": _metrics(candidate, selection), "incumbent": _metrics(incumbent, selection),
                   "gates": [g.as_json() for g in gates], "selection": selection.as_json(),
                   "training": _read_json(self.dir / "train" / "training.json")}
        status = registry.PROMOTED if passed else registry.REJECTED
        retired = None
        failed = [g for g in gates if not g.passed]
        with self.kb.transaction():
            self._check_incumbent(selection)    # again, now that no other writer can promote meanwhile
            model_id = registry.add_model(self.kb, base=self.base, adapter_path=str(adapter),
                                          db_fingerprint=self.kb.fingerprint(), metrics=metrics, mappings=mappings,
                                          parent_id=parent.id if parent else None, run_id=self.id)
            if passed:
                retired = registry.promote(self.kb, model_id)
            else:
                registry.set_status(self.kb, model_id, registry.REJECTED)
            registry.update_run(self.kb, self.id, status=status, model_id=model_id, finished=True,
                                note=(f"model {model_id} promoted" + (f", model {retired.id} retired" if retired else ""))
                                if passed else f"model {model_id} rejected: "
                                + "; ".join(f"{g.name}: {g.detail}" for g in failed))
        self.reporter.stage(self.id, self.stage, f"model {model_id} {status}")
        shutil.rmtree(self.dir / "train" / "checkpoints", ignore_errors=True)   # the adapter is final
        return RefreshResult(self.id, status, selection=selection, gates=gates, model_id=model_id,
                             retired_id=retired.id if retired else None)


def _inputs_digest(config: RefreshConfig, data: Path) -> str:
    """What the candidate is made from and judged by: the run's data (pairs, probes, the model it
    starts from), the whole configuration but keep-runs, and the base model's weights."""
    sha = hashlib.sha256(json.dumps({k: v for k, v in config.as_json().items() if k != "keep_runs"},
                                    sort_keys=True).encode())
    sha.update(model_fingerprint(config.model).encode())
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        sha.update(b"\0" + str(path.relative_to(data)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def _rejected_alike(kb: KnowledgeBase, config: RefreshConfig, inputs: str) -> tuple[dict, registry.ModelRecord] | None:
    """The newest run of this work folder whose candidate, made from the same inputs, was rejected."""
    under = str(config.workdir.resolve()).rstrip("/") + "/"
    for run in registry.runs(kb, None):
        if not (run["run_dir"] or "").startswith(under) or run["status"] not in (registry.REJECTED, registry.UNCHANGED):
            continue
        if json.loads(run["delta_json"] or "{}").get("inputs") != inputs:
            return None         # the newest decided-alike run was made from other inputs
        model = registry.get_model(kb, run["model_id"]) if run["model_id"] else None
        return (run, model) if model is not None and model.status == registry.REJECTED else None
    return None


def _probe(config: RefreshConfig, records: list[dict], index, adapter: str | Path | None, retain_file: Path,
           out: Path, on_batch: Callable[[int, int], None]) -> dict:
    """One model's evaluation (resumed from `out`); the model is freed after."""
    from apimigrate.evaluate.generate import load_generator
    from apimigrate.evaluate.passk import read_tasks
    from apimigrate.evaluate.session import PassAtK, evaluate_model
    from apimigrate.unlearn.batches import read_jsonl
    e = config.evaluate
    passk = PassAtK(read_tasks(Path(e.humaneval)), e.samples, (1,), e.temperature, e.code_max_new_tokens,
                    e.exec_timeout, os.cpu_count() or 1) if e.humaneval is not None else None
    generator = load_generator(config.model, Path(adapter) if adapter else None, device=config.device,
                               max_prompt_tokens=e.max_prompt_tokens, max_new_tokens=e.max_new_tokens,
                               heal=e.token_healing)
    try:
        return evaluate_model(records, generator, index, out, batch_size=e.batch_size,
                              retain=read_jsonl(retain_file) if retain_file.is_file() else None, pass_at_k=passk,
                              on_batch=on_batch, on_task=on_batch, on_other="restart")
    finally:
        del generator
        gc.collect()


def _metrics(summary: dict, selection: Selection) -> dict:
    return {"overall": summary["overall"], "new": subset_rates(summary, set(selection.new)),
            "old": subset_rates(summary, set(selection.old)), "utility": summary.get("utility"),
            "pass_at_k": summary.get("pass_at_k")}


def _keep_adapter(adapter: Path, dest: Path) -> Path:
    """Copy the adapter out of the run folder (staged, then renamed: a crash leaves no half copy;
    one left by this run's earlier attempt is replaced, being the same)."""
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(adapter, tmp)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def _read_summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
