"""`apimigrate refresh` end to end on the toy world: real-shaped libraries scanned into a real DB, a
tiny model that writes their deprecated calls, runs that learn each new deprecation once (with
replay of the old ones) and promote only through their gates; the lock, resuming a run stopped
by SIGTERM or killed outright, configuration errors, and the registry commands."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db, registry
from apimigrate.refresh import Gates, RefreshError, RefreshInterrupted, Reporter, judge, load_config, refresh
from apimigrate.refresh.lock import model_lock, workdir_lock
from apimigrate.refresh.prune import prune_runs
from apimigrate.refresh.selection import round_robin, select
from unlearn_support import (TOY_NUMPY, TOY_PANDAS, pretrained_toy_model, tiny_gpt2, toy_corpus, toy_tokenizer,
                             write_tree)

runner = CliRunner()
APIMIGRATE = str(Path(sys.executable).with_name("apimigrate"))
ROW_STACK = "numpy.row_stack -> numpy.vstack"
JSON_NORMALIZE = "pandas.io.json.json_normalize -> pandas.json_normalize"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("refresh-world")
    corpus = toy_corpus(root / "corpus")
    write_tree(root / "libs" / "numpy", TOY_NUMPY)
    write_tree(root / "libs" / "pandas", TOY_PANDAS)
    random_model = root / "random"
    tokenizer = toy_tokenizer([p.read_text() for p in sorted(corpus.glob("*.py"))])
    tiny_gpt2(tokenizer).save_pretrained(random_model)
    tokenizer.save_pretrained(random_model)
    return {"root": root, "corpus": corpus, "random": random_model}


@pytest.fixture(scope="module")
def pretrained(world, tmp_path_factory):
    return pretrained_toy_model(world["corpus"], tmp_path_factory.mktemp("pretrained"))


def write_config(folder: Path, world: dict, model: Path, targets: list[str], *, train: str = "", gates: str = "",
                 extra: str = "", evaluate: str = "", workdir: str = "work") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "refresh.toml"
    path.write_text(f"""[refresh]
model = "{model}"
targets = {json.dumps([str(world['root'] / 'libs' / t) for t in targets])}
corpus = ["{world['corpus']}"]
db = "kb.sqlite"
workdir = "{workdir}"
device = "cpu"
{extra}
[refresh.dataset]
eval-fraction = 0.25

[refresh.train]
lora-r = 8
lora-dropout = 0.0
{train}

[refresh.evaluate]
max-new-tokens = 40
{evaluate}

[refresh.gates]
{gates}
""")
    return path


def _cli(*args: str):
    return runner.invoke(app, list(args))


@contextlib.contextmanager
def _kb(folder: Path):
    kb = open_db(folder / "kb.sqlite")
    try:
        yield kb
    finally:
        kb.close()


@pytest.mark.slow
def test_refresh_learns_each_new_deprecation_once_and_promotes_it_behind_its_gates(world, pretrained, tmp_path):
    learn = 'epochs = 8\nlr = 3e-3\nlambda-pos = 1.0'
    config = write_config(tmp_path, world, pretrained, ["numpy"], train=learn, gates="max-perplexity-ratio = 1.2")

    first = _cli("refresh", "--config", str(config), "-q")
    assert first.exit_code == 0, first.output
    with _kb(tmp_path) as kb:
        model1 = registry.promoted(kb)
        assert model1 is not None and model1.mappings == (ROW_STACK,) and model1.parent_id is None
        new = model1.metrics["candidate"]["new"]
        before = model1.metrics["incumbent"]["new"]
        assert before["deprecated_rate"] >= 0.8          # the base model writes row_stack...
        assert new["deprecated_rate"] <= 0.2 and new["replacement_rate"] >= 0.6     # ...the refreshed one vstack
        assert all(g["passed"] for g in model1.metrics["gates"])
        run_dir = Path(registry.get_run(kb, model1.run_id)["run_dir"])
        assert run_dir.parent == (tmp_path / "work" / "runs").resolve() and run_dir.name.startswith("run-1-")
        assert Path(model1.adapter_path) == (tmp_path / "work" / "models" / run_dir.name).resolve()
        assert (Path(model1.adapter_path) / "adapter_config.json").is_file()
        assert not (run_dir / "train" / "checkpoints").exists()

    # the same job on the next tick: nothing new, nothing trained, the run recorded
    again = _cli("refresh", "--config", str(config), "-q")
    assert again.exit_code == 0, again.output
    assert "nothing new" in again.output
    with _kb(tmp_path) as kb:
        assert [m.id for m in registry.models(kb)] == [model1.id]
        latest = registry.runs(kb, 1)[0]
        assert latest["status"] == "nothing-new" and latest["finished_at"]
        assert not Path(latest["run_dir"]).exists()

    # pandas now deprecates json_normalize: only that is new; row_stack is replayed, not relearned
    first_run_dir = run_dir
    config = write_config(tmp_path, world, pretrained, ["numpy", "pandas"], train=learn,
                          gates="max-perplexity-ratio = 1.2", extra="keep-runs = 1")
    third = _cli("refresh", "--config", str(config), "-q")
    assert third.exit_code == 0, third.output
    # keep-runs = 1: the first run's folder went; its promoted adapter (models/) stays for a rollback
    assert not first_run_dir.exists() and (Path(model1.adapter_path) / "adapter_config.json").is_file()
    with _kb(tmp_path) as kb:
        model2 = registry.promoted(kb)
        assert model2.id != model1.id and model2.parent_id == model1.id
        assert model2.mappings == (ROW_STACK, JSON_NORMALIZE)
        assert registry.get_model(kb, model1.id).status == "retired"
        selection = model2.metrics["selection"]
        assert selection["new"] == [JSON_NORMALIZE] and selection["old"] == [ROW_STACK]
        assert selection["replay_pairs"] > 0 and selection["incumbent_id"] == model1.id
        assert model2.metrics["candidate"]["new"]["replacement_rate"] >= 0.6
        # row_stack stayed unlearned: the relapse gate was measured on its probes, and held
        old = model2.metrics["candidate"]["old"]
        assert old["probes"] > 0 and old["deprecated_rate"] <= 0.2
        run_dir = Path(registry.get_run(kb, model2.run_id)["run_dir"])
    # trained on top of the promoted adapter, not from scratch
    run = json.loads((run_dir / "train" / "run.json").read_text())
    assert run["init_adapter"]["path"] == model1.adapter_path
    listed = _cli("models", "list", "--json", "--db", str(tmp_path / "kb.sqlite"))
    assert [json.loads(line)["status"] for line in listed.output.splitlines()] == ["retired", "promoted"]

    # a rollback by hand
    back = _cli("models", "promote", str(model1.id), "--db", str(tmp_path / "kb.sqlite"))
    assert back.exit_code == 0 and f"model {model2.id} retired" in back.output
    with _kb(tmp_path) as kb:
        assert registry.promoted(kb).id == model1.id


@pytest.mark.slow
def test_a_candidate_that_fails_a_gate_is_recorded_and_not_promoted(world, tmp_path):
    # a random model writes neither API before or after two steps: the replacement gate cannot hold
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({"task_id": "T/0", "prompt": "def one():\n", "test": "def check(f):\n    assert f() == 1\n",
                                 "entry_point": "one"}) + "\n")
    config = write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 2",
                          gates="min-replacement-gain = 0.5\nmax-perplexity-ratio = 0",
                          evaluate='humaneval = "tasks.jsonl"\nallow-code-execution = true\ncode-max-new-tokens = 4')
    result = _cli("refresh", "--config", str(config), "-q")
    assert result.exit_code == 1, result.output
    assert "replacement" in result.output and "fail" in result.output
    assert "gates" in result.stdout and "gates" not in result.stderr        # the decision is the output
    with _kb(tmp_path) as kb:
        assert registry.promoted(kb) is None
        [model] = registry.models(kb)
        assert model.status == "rejected"
        failed = [g["name"] for g in model.metrics["gates"] if not g["passed"]]
        assert failed == ["replacement"]
        # the pass@1 gate was measured on both models (a random model passes no task)
        [passing] = [g for g in model.metrics["gates"] if g["name"] == "pass@1"]
        assert passing["candidate"] == passing["incumbent"] == 0.0
        assert model.metrics["candidate"]["pass_at_k"] == {"tasks": 1, "samples": 1, "pass@1": 0.0}
        run = registry.runs(kb, 1)[0]
        assert run["status"] == "rejected" and "replacement" in run["log"]
    # a rejected candidate teaches the next run nothing: the same mapping is still new, but from the
    # same data, configuration and model it would be the same candidate: not trained again
    again = _cli("refresh", "--config", str(config), "-q")
    assert again.exit_code == 1 and "nothing new" not in again.output
    assert "unchanged since run 1, whose candidate (model 1) was rejected (replacement:" in again.output, again.output
    with _kb(tmp_path) as kb:
        assert len(registry.models(kb)) == 1
        assert registry.runs(kb, 1)[0]["status"] == "unchanged"
    # another seed is another candidate: trained and judged
    config.write_text(config.read_text().replace('device = "cpu"', 'device = "cpu"\nseed = 1'))
    retried = _cli("refresh", "--config", str(config), "-q")
    assert retried.exit_code == 1 and "unchanged since" not in retried.output, retried.output
    with _kb(tmp_path) as kb:
        assert [m.status for m in registry.models(kb)] == ["rejected", "rejected"]


class _StopAfter(Reporter):
    def __init__(self, steps: int | None) -> None:
        self.steps, self.seen, self.starts = steps, [], []

    def train_start(self, step: int, total: int, info: dict) -> None:
        self.starts.append(step)

    def train_step(self, metrics: dict, total: int) -> None:
        self.seen.append(metrics["step"])

    def __call__(self) -> bool:
        return self.steps is not None and len(self.seen) >= self.steps


@pytest.mark.slow
def test_a_stopped_run_resumes_at_its_stage_and_a_changed_configuration_starts_over(world, tmp_path):
    config_path = write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 4",
                               gates="max-perplexity-ratio = 0")
    config = load_config(config_path)
    stopper = _StopAfter(2)
    with pytest.raises(RefreshInterrupted) as stopped:
        refresh(config, reporter=stopper, stop=stopper)
    assert stopped.value.stage == "train"
    with _kb(tmp_path) as kb:
        run = registry.unfinished_run(kb)
        assert run["status"] == "interrupted" and run["stage"] == "train"

    goes_on = _StopAfter(None)
    result = refresh(config, reporter=goes_on, stop=goes_on)
    assert result.resumed and result.run_id == run["id"]
    assert goes_on.starts == [2] and goes_on.seen == [3, 4]       # from its checkpoint, not from step 0
    log = [json.loads(x)["step"] for x in (Path(run["run_dir"]) / "train" / "log.jsonl").read_text().splitlines()]
    assert log == [1, 2, 3, 4]

    # stopped again, then the configuration changes: that run is abandoned, a new one starts
    other = load_config(write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 3",
                                     gates="max-perplexity-ratio = 0"))
    with pytest.raises(RefreshInterrupted):
        refresh(other, reporter=_StopAfter(1), stop=_StopAfter(0))
    with _kb(tmp_path) as kb:
        stopped_id = registry.unfinished_run(kb)["id"]
    changed = load_config(write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 2",
                                       gates="max-perplexity-ratio = 0"))
    fresh = refresh(changed)
    assert fresh.run_id != stopped_id and not fresh.resumed
    with _kb(tmp_path) as kb:
        abandoned = registry.get_run(kb, stopped_id)
        assert abandoned["status"] == "abandoned" and "configuration changed" in abandoned["log"]
        # `models runs` shows why, naming the setting as the configuration spells it
        assert abandoned["error"] == "abandoned: the configuration changed since it stopped (train.max-steps)"


class _StopOnceLaunched(_StopAfter):
    """Asks to stop as soon as the training processes are launched, before they are even up."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(None)
        self.workdir = workdir

    def __call__(self) -> bool:
        return any(self.workdir.glob("runs/*/train/launch/request.json"))


@pytest.mark.slow
def test_a_run_trains_in_several_processes_and_stops_and_resumes_alike(world, tmp_path):
    config = load_config(write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 4",
                                      gates="max-perplexity-ratio = 0", extra="train-processes = 2"))
    stopper = _StopOnceLaunched(tmp_path / "work")
    with pytest.raises(RefreshInterrupted) as stopped:
        refresh(config, reporter=stopper, stop=stopper)
    assert stopped.value.stage == "train"
    assert stopper.starts == [0] and stopper.seen == [1]      # the workers' step, reported here
    with _kb(tmp_path) as kb:
        run = registry.unfinished_run(kb)
        assert run["status"] == "interrupted" and "stopped after step 1 of 4" in run["error"]

    goes_on = _StopAfter(None)
    result = refresh(config, reporter=goes_on, stop=goes_on)
    assert result.resumed and result.run_id == run["id"] and result.status in ("promoted", "rejected")
    assert goes_on.starts == [1] and goes_on.seen == [2, 3, 4]
    train_dir = Path(run["run_dir"]) / "train"
    assert json.loads((train_dir / "run.json").read_text())["processes"] == 2
    assert [json.loads(x)["step"] for x in (train_dir / "log.jsonl").read_text().splitlines()] == [1, 2, 3, 4]
    with _kb(tmp_path) as kb:
        assert registry.get_model(kb, result.model_id).metrics["training"]["steps"] == 4


class _StopWhileProbing(Reporter):
    def __init__(self, after: int | None) -> None:
        self.after, self.seen = after, []

    def probes(self, label: str, done: int, total: int) -> None:
        self.seen.append((label, done))

    def __call__(self) -> bool:
        return self.after is not None and any(done >= self.after for _, done in self.seen)


def _stopped_while_probing(world, tmp_path):
    """A run of a random model stopped after the promoted model's first two probes."""
    config = load_config(write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 1",
                                      gates="max-perplexity-ratio = 0", evaluate="batch-size = 2"))
    stopper = _StopWhileProbing(2)
    with pytest.raises(RefreshInterrupted) as stopped:
        refresh(config, reporter=stopper, stop=stopper)
    with _kb(tmp_path) as kb:
        run_dir = Path(registry.get_run(kb, stopped.value.run_id)["run_dir"])
    return config, stopped.value, run_dir


@pytest.mark.slow
def test_a_run_stopped_while_probing_keeps_the_probes_answered(world, tmp_path):
    config, stopped, run_dir = _stopped_while_probing(world, tmp_path)
    assert stopped.stage == "evaluate"
    probes = run_dir / "eval-incumbent" / "probes.jsonl"
    assert len(probes.read_text().splitlines()) == 2
    goes_on = _StopWhileProbing(None)
    result = refresh(config, reporter=goes_on, stop=goes_on)
    assert result.resumed and result.run_id == stopped.run_id
    assert goes_on.seen[0] == ("incumbent", 2)           # the two answered are not asked again
    assert len(probes.read_text().splitlines()) == result.selection.probes


@pytest.mark.slow
def test_a_rollback_while_a_run_is_stopped_abandons_it(world, tmp_path):
    config, stopped, run_dir = _stopped_while_probing(world, tmp_path)
    with _kb(tmp_path) as kb:
        # someone promotes a model by hand meanwhile
        manual = registry.add_model(kb, base=str(config.model.resolve()), adapter_path=str(run_dir / "train" / "adapter"),
                                    db_fingerprint="", metrics={}, mappings=[])
        registry.promote(kb, manual)
    result = refresh(config)
    assert result.run_id != stopped.run_id and not result.resumed
    assert result.selection.incumbent_id == manual          # the new run starts from the model promoted now
    with _kb(tmp_path) as kb:
        old = registry.get_run(kb, stopped.run_id)
        assert old["status"] == "abandoned" and "promoted model changed" in old["log"]
        assert not (run_dir / "train" / "checkpoints").exists()


@pytest.mark.slow
def test_a_promotion_racing_the_decision_abandons_the_run(world, tmp_path, monkeypatch):
    """A model promoted by hand after the run's first check but before its decision is written:
    the decision re-checks inside its transaction, so the run is abandoned, not promoted over it."""
    from apimigrate.refresh import pipeline
    config = load_config(write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 1"))
    real, raced = pipeline._metrics, []

    def promote_meanwhile(summary, selection):
        if not raced:
            with _kb(tmp_path) as kb:       # another connection, as `models promote` would be
                manual = registry.add_model(kb, base=str(config.model.resolve()), adapter_path=str(tmp_path),
                                            db_fingerprint="", metrics={}, mappings=[])
                registry.promote(kb, manual)
            raced.append(manual)
        return real(summary, selection)
    monkeypatch.setattr(pipeline, "_metrics", promote_meanwhile)
    with pytest.raises(RefreshError, match="abandoned in decide"):
        refresh(config)
    with _kb(tmp_path) as kb:
        assert [(m.id, m.status) for m in registry.models(kb)] == [(raced[0], "promoted")]
        assert registry.runs(kb, 1)[0]["status"] == "abandoned"


class _FailOnPromotion(Reporter):
    def stage(self, run_id: int, name: str, message: str) -> None:
        if "promoted" in message:
            raise BrokenPipeError("stderr is gone")


@pytest.mark.slow
def test_a_decided_run_stays_decided_and_a_new_database_does_not_take_old_runs_files(world, tmp_path):
    config = load_config(write_config(tmp_path, world, world["random"], ["numpy"], train="max-steps = 1",
                                      gates="max-perplexity-ratio = 0"))
    with pytest.raises(RefreshError, match="failed in decide: stderr is gone"):
        refresh(config, reporter=_FailOnPromotion())        # fails after the decision was committed
    again = refresh(config)
    assert again.status == "nothing-new"                    # not decided, nor promoted, twice
    with _kb(tmp_path) as kb:
        [model] = registry.models(kb)
        assert model.status == "promoted" and registry.get_run(kb, model.run_id)["status"] == "promoted"
        first_dir = registry.get_run(kb, model.run_id)["run_dir"]
    # the same work folder with another (new) database: its run 1 is not the old run 1
    other = load_config(write_config(tmp_path / "other", world, world["random"], ["numpy"], train="max-steps = 1",
                                     gates="max-perplexity-ratio = 0", workdir=str(tmp_path / "work")))
    result = refresh(other)
    assert result.run_id == 1 and result.status == "promoted"
    with _kb(tmp_path / "other") as kb:
        promoted = registry.promoted(kb)
        assert registry.get_run(kb, 1)["run_dir"] != first_dir and promoted.adapter_path != model.adapter_path


def test_an_unexpected_error_is_one_line_exit_2_and_recorded(world, tmp_path, monkeypatch):
    from apimigrate.refresh import pipeline

    def out_of_memory(self):
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB\nmore detail")
    monkeypatch.setattr(pipeline._Run, "_dataset", out_of_memory)
    config = write_config(tmp_path, world, world["random"], ["numpy"])
    result = _cli("refresh", "--config", str(config), "-q")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "failed in dataset: RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB" in result.output
    with _kb(tmp_path) as kb:
        run = registry.unfinished_run(kb)
        assert run["status"] == "failed" and run["error"].startswith("RuntimeError: CUDA out of memory")


def _wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def _training_started(tmp_path: Path) -> bool:
    logs = list((tmp_path / "work" / "runs").glob("run-*/train/log.jsonl"))
    return any(p.stat().st_size for p in logs)


@pytest.mark.slow
def test_a_killed_run_and_a_sigterm_stopped_run_are_resumed_by_the_next_tick(world, tmp_path):
    config = write_config(tmp_path, world, world["random"], ["numpy"],
                          train="max-steps = 400", gates="max-perplexity-ratio = 0")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [APIMIGRATE, "refresh", "--config", str(config), "-q"]

    killed = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: _training_started(tmp_path) or killed.poll() is not None)
        assert killed.poll() is None, killed.communicate()
        killed.kill()                  # a crash: nothing of ours runs on the way out
    finally:
        killed.wait()
    with _kb(tmp_path) as kb:
        crashed = registry.unfinished_run(kb)
        assert crashed["status"] == "running" and crashed["stage"] == "train"

    # the next tick takes the lock the dead process left and goes on with the same run; systemd
    # stopping it (SIGTERM) saves the step in progress
    stopped = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        log = Path(crashed["run_dir"]) / "train" / "log.jsonl"
        size = log.stat().st_size if log.exists() else 0
        _wait_for(lambda: (log.exists() and log.stat().st_size > size) or stopped.poll() is not None)
        stopped.send_signal(signal.SIGTERM)
        _, err = stopped.communicate(timeout=120)
    finally:
        if stopped.poll() is None:
            stopped.kill()
    assert stopped.returncode == 130, err
    assert f"run {crashed['id']} stopped in train" in err
    with _kb(tmp_path) as kb:
        run = registry.get_run(kb, crashed["id"])
        assert run["status"] == "interrupted"
    assert list((Path(crashed["run_dir"]) / "train" / "checkpoints").glob("step-*"))


def test_one_refresh_at_a_time(world, tmp_path):
    config = write_config(tmp_path, world, world["random"], ["numpy"])
    with workdir_lock(tmp_path / "work"):
        busy = _cli("refresh", "--config", str(config), "-q")
    assert busy.exit_code == 75
    assert "another refresh is running" in busy.output and str(os.getpid()) in busy.output
    assert not (tmp_path / "kb.sqlite").exists()          # nothing was done
    # Another configuration (its own work folder) on the same DB and base model waits too: each
    # would promote over the other's model.
    other = write_config(tmp_path / "other", world, world["random"], ["numpy"], workdir=str(tmp_path / "work2"))
    other.write_text(other.read_text().replace('db = "kb.sqlite"', f'db = "{tmp_path / "kb.sqlite"}"'))
    with model_lock((tmp_path / "kb.sqlite").resolve(), str(world["random"].resolve())):
        busy = _cli("refresh", "--config", str(other), "-q")
    assert busy.exit_code == 75 and "another refresh of" in busy.output, busy.output
    # a database folder that cannot be made: one line, exit 2, before anything is done
    (tmp_path / "afile").write_text("")
    bad = _cli("refresh", "--config", str(config), "-q", "--db", str(tmp_path / "afile" / "kb.sqlite"))
    assert bad.exit_code == 2 and "cannot take the refresh lock" in bad.output, bad.output
    assert bad.exception is None or isinstance(bad.exception, SystemExit)
    assert not (tmp_path / "kb.sqlite").exists() and not (tmp_path / "work2" / "runs").exists()


def test_a_busy_refresh_reads_its_configuration_without_loading_the_model_packages(tmp_path):
    """A cron tick that finds another refresh running must leave at once: loading torch and
    transformers to then do nothing takes seconds. A fresh interpreter, since this one has them."""
    (tmp_path / "model").mkdir()
    config = tmp_path / "refresh.toml"
    config.write_text("[refresh]\nmodel = 'model'\ncorpus = ['corpus']\nworkdir = 'work'\ndb = 'kb.sqlite'\n"
                      "[refresh.train]\nobjective = 'simnpo'\nlora-r = 8\n")
    script = ("import sys\nfrom apimigrate.cli.main import app\n"
              f"try:\n    app(['refresh', '--config', {str(config)!r}, '-q'])\n"
              "except SystemExit as exc:\n    print('exit', exc.code)\n"
              "print('loaded', sorted(m for m in ('torch', 'transformers', 'peft') if m in sys.modules))\n")
    with workdir_lock(tmp_path / "work"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "exit 75" in done.stdout and "another refresh is running" in done.stderr, (done.stdout, done.stderr)
    assert "loaded []" in done.stdout, done.stdout


def test_the_configurations_database_beats_apimigrate_db_and_an_abandoned_run_is_told(world, tmp_path):
    """A scheduled job's environment may carry APIMIGRATE_DB for the editor or CI: the run keeps its
    registry in the database its configuration names (`--db` alone overrides that)."""
    config = write_config(tmp_path, world, world["random"], [])
    elsewhere = tmp_path / "env.sqlite"
    result = runner.invoke(app, ["refresh", "--config", str(config), "-q"], env={"APIMIGRATE_DB": str(elsewhere)})
    assert f"starting with the database {tmp_path / 'kb.sqlite'}" in result.output, result.output
    assert not elsewhere.exists()
    # that run failed (an empty database); with --new it is abandoned, and the output says so
    again = runner.invoke(app, ["refresh", "--config", str(config), "-q", "--new"])
    assert "run 1 · dataset: abandoned: a new run was asked for (--new)" in again.output, again.output
    assert "run 2 · scan: starting" in again.output


@pytest.mark.parametrize("text, says", [
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\nepochs = 3\n", "unknown key 'epochs' in [refresh]"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\n[refresh.train]\nlr = 'fast'\n", "lr must be a number"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\n[refresh.train]\nobjective = 'dpo'\n", "unknown objective 'dpo'"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\n[refresh.gates]\nmax-relapse = true\n", "max-relapse must be"),
    ("[refresh]\ncorpus = ['c']\n", "refresh.model"),
    ("[tool.other]\n", "no [refresh] table"),
    ("[refresh\n", "not valid TOML"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\n[refresh.evaluate]\nhumaneval = 'he.jsonl'\n", "allow-code-execution"),
    ("[refresh]\nmodel = 'no-such-model'\ncorpus = ['c']\n", "no model directory"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\nkeep-runs = -1\n", "keep-runs must be ≥ 0"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\ntrain-processes = 0\n", "train-processes must be ≥ 1"),
    ("[refresh]\nmodel = 'm'\ncorpus = ['c']\ntrain-processes = '2'\n", "train-processes must be an integer"),
])
def test_configuration_errors_are_one_line_naming_the_file(tmp_path, text, says):
    path = tmp_path / "refresh.toml"
    path.write_text(text)
    result = _cli("refresh", "--config", str(path))
    assert result.exit_code == 2
    assert says in result.output and "refresh.toml" in result.output
    assert "Traceback" not in result.output


def test_a_failing_stage_is_one_line_and_recorded(world, tmp_path):
    config = write_config(tmp_path, world, world["random"], ["numpy"])
    text = config.read_text().replace(f'corpus = ["{world["corpus"]}"]', 'corpus = ["gone/"]')
    config.write_text(text)
    result = _cli("refresh", "--config", str(config), "-q")
    assert result.exit_code == 2
    assert "failed in dataset: no such corpus file or folder" in result.output
    with _kb(tmp_path) as kb:
        run = registry.unfinished_run(kb)
        assert run["status"] == "failed" and run["stage"] == "dataset" and "no such corpus" in run["error"]
        assert kb.deprecations()        # what the scan stored before the failure stays


# ---- pieces ----------------------------------------------------------------------------------
def _summary(**mappings: tuple[int, int, int]) -> dict:
    return {"mappings": {name: {"probes": sum(c), "deprecated": c[0], "replacement": c[1], "mismatch": c[2]}
                         for name, c in mappings.items()}}


def test_old_run_folders_are_pruned_beyond_keep_runs(tmp_path):
    # keep-runs only tidies up: changing it does not abandon a stopped run
    text = "[refresh]\nmodel = 'm'\ncorpus = ['c']\n"
    (tmp_path / "a.toml").write_text(text)
    (tmp_path / "b.toml").write_text(text + "keep-runs = 3\n")
    a, b = load_config(tmp_path / "a.toml"), load_config(tmp_path / "b.toml")
    assert (a.keep_runs, b.keep_runs) == (10, 3) and a.fingerprint() == b.fingerprint()
    runs_root = (tmp_path / "work" / "runs").resolve()
    with _kb(tmp_path) as kb:
        ids = []
        for n in range(5):
            folder = runs_root / f"run-{n + 1}"
            (folder / "train").mkdir(parents=True)
            ids.append(registry.start_run(kb, run_dir=str(folder), config={}))
        for run_id, status in zip(ids, ["promoted", "rejected", "running", "abandoned", "promoted"]):
            registry.update_run(kb, run_id, status=status, finished=status != "running")
        foreign = runs_root / "run-1-of-another-db"
        foreign.mkdir()
        elsewhere = registry.start_run(kb, run_dir=str(tmp_path / "other-work" / "runs" / "run-9"), config={})
        (tmp_path / "other-work" / "runs" / "run-9").mkdir(parents=True)
        registry.update_run(kb, elsewhere, status="rejected", finished=True)
        assert prune_runs(kb, runs_root, keep=2) == [ids[1], ids[0]]
        # the newest two finished runs stay, the unfinished one (it is resumed), and what this
        # work folder's runs of this DB are not
        assert sorted(p.name for p in runs_root.iterdir()) == ["run-1-of-another-db", "run-3", "run-4", "run-5"]
        assert (tmp_path / "other-work" / "runs" / "run-9").is_dir()
        assert "folder was deleted (keep-runs = 2)" in registry.get_run(kb, ids[0])["log"]
        assert prune_runs(kb, runs_root, keep=2) == []
        assert prune_runs(kb, runs_root, keep=0) == [ids[4], ids[3]]
        assert sorted(p.name for p in runs_root.iterdir()) == ["run-1-of-another-db", "run-3"]


def test_gates():
    inc = {**_summary(new=(8, 0, 2), old=(0, 9, 1)), "utility": {"tokens": 100, "perplexity": 2.0}}
    good = {**_summary(new=(1, 7, 2), old=(0, 9, 1)), "utility": {"tokens": 100, "perplexity": 2.1}}
    results = {g.name: g for g in judge(good, inc, {"new"}, {"old"}, Gates())}
    assert all(g.passed for g in results.values())
    assert results["deprecated"].candidate == 0.1 and results["deprecated"].incumbent == 0.8
    # each gate fails on its own
    assert not {g.name: g for g in judge(good, inc, {"new"}, {"old"}, Gates(min_replacement_gain=0.8))}[
        "replacement"].passed
    assert not {g.name: g for g in judge(good, inc, {"new"}, {"old"}, Gates(min_deprecated_drop=0.75))}[
        "deprecated"].passed
    relapsed = {**_summary(new=(1, 7, 2), old=(3, 6, 1)), "utility": good["utility"]}
    assert [g.name for g in judge(relapsed, inc, {"new"}, {"old"}, Gates()) if not g.passed] == ["relapse"]
    # pass@1, when measured: at most max-pass-drop lower
    coded = {**good, "pass_at_k": {"tasks": 10, "pass@1": 0.5}}
    inc_coded = {**inc, "pass_at_k": {"tasks": 10, "pass@1": 0.6}}
    assert [g.name for g in judge(coded, inc_coded, {"new"}, {"old"}, Gates()) if not g.passed] == ["pass@1"]
    assert all(g.passed for g in judge(coded, inc_coded, {"new"}, {"old"}, Gates(max_pass_drop=0.1)))
    assert [g.name for g in judge(good, inc_coded, {"new"}, {"old"}, Gates()) if not g.passed] == ["pass@1"]
    assert "pass@1" not in [g.name for g in judge(good, inc, {"new"}, {"old"}, Gates())]
    worse = {**good, "utility": {"tokens": 100, "perplexity": 2.3}}
    assert [g.name for g in judge(worse, inc, {"new"}, {"old"}, Gates()) if not g.passed] == ["utility"]
    assert all(g.passed for g in judge(worse, inc, {"new"}, {"old"}, Gates(max_perplexity_ratio=0)))
    # what cannot be measured does not hold
    assert not all(g.passed for g in judge(good, inc, {"absent"}, {"old"}, Gates()))
    no_retain = {k: v for k, v in good.items() if k != "utility"}
    assert [g.name for g in judge(no_retain, inc, {"new"}, {"old"}, Gates()) if not g.passed] == ["utility"]
    # a model that never wrote the API and still does not: nothing to drop, not a failure, whatever
    # drop is asked for; likewise a replacement both always write
    never = _summary(new=(0, 5, 5))
    assert {g.name: g.passed for g in judge(never, never, {"new"}, set(), Gates(max_perplexity_ratio=0,
                                                                                min_deprecated_drop=0.5))} == {
        "deprecated": True, "replacement": True, "relapse": True, "utility": True}
    always = _summary(new=(0, 5, 0))
    assert all(g.passed for g in judge(always, always, {"new"}, set(), Gates(max_perplexity_ratio=0,
                                                                            min_replacement_gain=0.2)))
    nan = {**good, "utility": {"tokens": 100, "perplexity": float("nan")}}
    assert [g.name for g in judge(nan, inc, {"new"}, {"old"}, Gates()) if not g.passed] == ["utility"]


def test_pruning_keeps_a_run_folder_that_serves_a_model(tmp_path):
    """A rejected candidate promoted by hand (`models promote`) is served from its run folder:
    that folder stays, whatever its age, as long as the model is promoted or retired."""
    runs_root = (tmp_path / "work" / "runs").resolve()
    with _kb(tmp_path) as kb:
        run_ids, model_ids = [], []
        for n in range(3):
            folder = runs_root / f"run-{n + 1}"
            (folder / "train" / "adapter").mkdir(parents=True)
            run_ids.append(registry.start_run(kb, run_dir=str(folder), config={}))
            model_ids.append(registry.add_model(kb, base="/m", adapter_path=str(folder / "train" / "adapter"),
                                                db_fingerprint="", metrics={}, mappings=[], run_id=run_ids[-1]))
            registry.set_status(kb, model_ids[-1], registry.REJECTED)
            registry.update_run(kb, run_ids[-1], status="rejected", model_id=model_ids[-1], finished=True)
        registry.promote(kb, model_ids[0])         # the oldest, by hand
        assert prune_runs(kb, runs_root, keep=1) == [run_ids[1]]
        assert sorted(p.name for p in runs_root.iterdir()) == ["run-1", "run-3"]
        registry.promote(kb, model_ids[2])         # run-1's model is retired now: still a rollback target
        assert prune_runs(kb, runs_root, keep=0) == []


def test_the_per_mapping_gate_sees_one_mapping_hidden_by_the_others(tmp_path):
    # pooled, a (8 → 1 of 10 deprecated) hides b (2 → 3): the pooled gates hold, the per-mapping one not
    inc = {**_summary(a=(8, 0, 2), b=(2, 6, 2), old1=(0, 9, 1), old2=(0, 9, 1)), "utility": None}
    cand = {**_summary(a=(1, 7, 2), b=(3, 6, 1), old1=(0, 9, 1), old2=(3, 6, 1)), "utility": None}
    pooled = judge(cand, inc, {"a", "b"}, {"old1", "old2"}, Gates(max_perplexity_ratio=0, max_relapse=0.2))
    assert all(g.passed for g in pooled) and "per-mapping" not in [g.name for g in pooled]
    each = {g.name: g for g in judge(cand, inc, {"a", "b"}, {"old1", "old2"},
                                     Gates(max_perplexity_ratio=0, max_relapse=0.2, per_mapping=True))}
    assert not each["per-mapping"].passed and all(g.passed for n, g in each.items() if n != "per-mapping")
    assert each["per-mapping"].detail == ("b: 30% deprecated, was 20%; old2: 30% deprecated, was 0%")
    fine = {**_summary(a=(1, 7, 2), b=(1, 8, 1), old1=(0, 9, 1), old2=(0, 9, 1)), "utility": None}
    assert {g.name: g for g in judge(fine, inc, {"a", "b"}, {"old1", "old2"},
                                     Gates(max_perplexity_ratio=0, per_mapping=True))}["per-mapping"].passed
    # the configuration's spelling
    (tmp_path / "r.toml").write_text("[refresh]\nmodel = 'm'\ncorpus = ['c']\n[refresh.gates]\nper-mapping = true\n")
    assert load_config(tmp_path / "r.toml").gates.per_mapping is True


def test_selection_takes_the_new_pairs_and_replays_the_old_round_robin(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def pairs(mapping: str, n: int, split: str) -> list[dict]:
        return [{"mapping": mapping, "path": f"{mapping}{i}.py", "line": i, "split": split} for i in range(n)]
    train = (pairs("new", 4, "train") + pairs("big-old", 50, "train") + pairs("small-old", 2, "train")
             + pairs("unprobed", 3, "train"))
    evals = pairs("new", 2, "eval") + pairs("big-old", 9, "eval") + pairs("small-old", 1, "eval")
    (corpus / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in train))
    (corpus / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in evals))
    (corpus / "retain_eval.jsonl").write_text('{"text": "x = 1\\n"}\n')
    sel = select(corpus, tmp_path / "data", {"big-old", "small-old", "gone"}, replay=1.0, max_probes=5, seed=0,
                 incumbent_id=3, incumbent_adapter="/a")
    assert sel.new == ["new"] and sel.old == ["big-old", "small-old"]
    assert sel.unmeasured == ["unprobed"]          # no probe: not trained on, not counted learned
    assert (sel.train_pairs, sel.replay_pairs, sel.probes) == (4, 4, 5)
    got = [json.loads(x) for x in (tmp_path / "data" / "train.jsonl").read_text().splitlines()]
    # both old mappings are replayed, the small one as much as the big one
    assert [r["mapping"] for r in got] == ["new"] * 4 + ["big-old", "small-old", "big-old", "small-old"]
    probes = [json.loads(x)["mapping"] for x in (tmp_path / "data" / "eval.jsonl").read_text().splitlines()]
    assert probes == ["new", "new", "big-old", "small-old", "big-old"]      # the new mappings first
    assert (tmp_path / "data" / "retain_eval.jsonl").is_file()
    assert round_robin(train, "s") != round_robin(train, "t")       # the seed decides each mapping's order
    # many new probes: a share is still kept for the mappings learned before
    (corpus / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in pairs("new", 6, "eval")
                                               + pairs("big-old", 9, "eval")))
    sel = select(corpus, tmp_path / "data2", {"big-old", "small-old"}, replay=1.0, max_probes=4, seed=0,
                 incumbent_id=3, incumbent_adapter="/a")
    probes = [json.loads(x)["mapping"] for x in (tmp_path / "data2" / "eval.jsonl").read_text().splitlines()]
    assert probes == ["new", "new", "new", "big-old"]
