"""Training in several processes from one that is not distributed (`train --processes`, a refresh's
`train-processes`): the workers train what one process does with their batches, their steps are
reported here once each, a stop request stops them after a step they save and the same call goes
on, a failure is their one line, and workers whose launcher was killed outright save and stop by
themselves."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
from transformers import AutoTokenizer
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.unlearn.launch import LaunchFiles, options_from_json, train_in_processes
from apimigrate.unlearn.options import Interrupted, LoraOptions, TrainError, TrainOptions
from apimigrate.unlearn.train import train
from unlearn_support import tiny_gpt2, training_world

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The toy world, its model without dropout: one process and two draw their dropout masks
    differently, and these tests compare what they train."""
    world = training_world(tmp_path_factory.mktemp("launch-world"))
    tokenizer = AutoTokenizer.from_pretrained(world["model"])
    model = world["root"] / "no-dropout"
    tiny_gpt2(tokenizer, dropout=0.0).save_pretrained(model)
    tokenizer.save_pretrained(model)
    return {**world, "model": model}


def _options(batch_size: int, steps: int) -> TrainOptions:
    return TrainOptions(max_steps=steps, batch_size=batch_size, lambda_retain=0.0, lr=3e-3,
                        lora=LoraOptions(r=4, dropout=0.0, target_modules=("c_attn",)))


def _adapter(path: Path) -> dict:
    from safetensors.torch import load_file
    return load_file(str(path / "adapter_model.safetensors"))


class _Recorder:
    def __init__(self, stop_after: int | None = None) -> None:
        self.starts: list[tuple[int, int]] = []
        self.steps: list[int] = []
        self.stop_after = stop_after

    def on_start(self, step: int, total: int, info: dict) -> None:
        self.starts.append((step, total))
        assert info["pairs"] > 0

    def on_step(self, metrics: dict, total: int) -> None:
        self.steps.append(metrics["step"])

    def stop(self) -> bool:
        return self.stop_after is not None and len(self.steps) >= self.stop_after


@pytest.fixture(scope="module")
def one_process(world, tmp_path_factory) -> dict:
    """The adapter one process trains with batches of 4."""
    out = tmp_path_factory.mktemp("one") / "run"
    train(world["ds"], world["model"], out, _options(4, 6), cpu=True)
    return _adapter(out / "adapter")


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert torch.allclose(a[key], b[key], atol=1e-4), key


def test_two_processes_train_what_one_does_and_report_every_step_once(world, one_process, tmp_path):
    seen = _Recorder()
    summary = train_in_processes(world["ds"], world["model"], tmp_path / "two", _options(2, 6), processes=2,
                                 cpu=True, on_start=seen.on_start, on_step=seen.on_step)
    assert summary["steps"] == 6
    assert seen.starts == [(0, 6)] and seen.steps == [1, 2, 3, 4, 5, 6]
    assert json.loads((tmp_path / "two" / "run.json").read_text())["processes"] == 2
    _same(_adapter(tmp_path / "two" / "adapter"), one_process)
    # the run is complete: the same call only reports it
    again = train_in_processes(world["ds"], world["model"], tmp_path / "two", _options(2, 6), processes=2, cpu=True)
    assert again == summary


@pytest.mark.skipif(torch.cuda.is_available(), reason="the case of a machine without CUDA")
def test_without_cuda_the_processes_train_as_one_cpu_job_without_being_told(world, one_process, tmp_path):
    """No `cpu=True` (`--cpu`): accelerate would leave each worker alone (no process group), each
    training the whole run and racing the others on the checkpoint files."""
    seen = _Recorder()
    out = tmp_path / "run"
    train_in_processes(world["ds"], world["model"], out, _options(2, 6), processes=2, on_step=seen.on_step)
    assert seen.steps == [1, 2, 3, 4, 5, 6]
    assert json.loads((out / "run.json").read_text())["processes"] == 2
    assert [json.loads(line)["step"] for line in (out / "log.jsonl").read_text().splitlines()] == [1, 2, 3, 4, 5, 6]
    _same(_adapter(out / "adapter"), one_process)


def test_a_stop_request_saves_a_step_and_the_same_call_goes_on(world, one_process, tmp_path):
    out = tmp_path / "run"
    first = _Recorder()
    # asked before the workers are even up: they stop after their first step
    with pytest.raises(Interrupted) as stopped:
        train_in_processes(world["ds"], world["model"], out, _options(2, 6), processes=2, cpu=True,
                           on_start=first.on_start, on_step=first.on_step, stop=lambda: True)
    assert (stopped.value.step, stopped.value.total) == (1, 6) and first.steps == [1]
    assert [p.name for p in (out / "checkpoints").iterdir()] == ["step-000001"]
    assert not (out / "adapter").exists()

    with pytest.raises(TrainError, match="holds a run with another --max-steps"):      # the workers' own line
        train_in_processes(world["ds"], world["model"], out, _options(2, 5), processes=2, cpu=True)

    rest = _Recorder()
    train_in_processes(world["ds"], world["model"], out, _options(2, 6), processes=2, cpu=True,
                       on_start=rest.on_start, on_step=rest.on_step)
    assert rest.starts == [(1, 6)] and rest.steps == [2, 3, 4, 5, 6]
    _same(_adapter(out / "adapter"), one_process)      # as if never stopped


LAUNCHER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from apimigrate.unlearn.launch import train_in_processes
    from apimigrate.unlearn.options import LoraOptions, TrainOptions
    options = TrainOptions(max_steps=100000, batch_size=2, lambda_retain=0.0, lora=LoraOptions(r=4, dropout=0.0))
    train_in_processes(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), options, processes=2, cpu=True)
""")


def test_workers_whose_launcher_is_killed_save_their_step_and_stop(world, tmp_path):
    out = tmp_path / "run"
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(world["ds"]), str(world["model"]), str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not ((out / "log.jsonl").is_file() and (out / "log.jsonl").stat().st_size) and launcher.poll() is None:
            assert time.monotonic() < deadline, "training did not start"
            time.sleep(0.2)
        assert launcher.poll() is None
        os.kill(launcher.pid, signal.SIGKILL)      # nothing of the launcher runs on the way out
    finally:
        launcher.wait()
    files = LaunchFiles(out)
    deadline = time.monotonic() + 120

    def still_training() -> None:
        assert time.monotonic() < deadline, "the workers go on without their launcher"

    with files.held(still_training):                # rank 0 lets go of it when it is done
        stopped = json.loads(files.stopped.read_text())
    assert 1 <= stopped["step"] < stopped["total"] == 100000
    assert (out / "checkpoints" / f"step-{stopped['step']:06d}").is_dir()
    workers = subprocess.run(["pgrep", "-f", str(files.request)], capture_output=True, text=True).stdout.split()
    deadline = time.monotonic() + 60
    while workers and time.monotonic() < deadline:     # rank 1 leaves right after rank 0
        time.sleep(0.2)
        workers = subprocess.run(["pgrep", "-f", str(files.request)], capture_output=True, text=True).stdout.split()
    assert not workers


def test_train_processes_from_the_command_line(world, tmp_path, monkeypatch):
    out = tmp_path / "run"
    common = [str(world["ds"]), "--model", str(world["model"]), "-o", str(out), "--cpu", "--max-steps", "2",
              "--batch-size", "2", "--lambda-retain", "0", "--lora-r", "4", "--lora-dropout", "0"]
    # run from a folder holding an apimigrate/ of its own (a checkout's root): the workers import
    # the installed package all the same
    decoy = tmp_path / "checkout"
    (decoy / "apimigrate").mkdir(parents=True)
    (decoy / "apimigrate" / "__init__.py").write_text('raise ImportError("the checkout\'s apimigrate/ was imported")\n')
    monkeypatch.chdir(decoy)
    result = runner.invoke(app, ["train", *common, "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "adapter written to" in result.stdout and "after 2 step(s)" in result.stdout
    assert json.loads((out / "run.json").read_text())["processes"] == 2
    # the workers' log holds their words, not transformers' loading bars or peft's FutureWarning
    workers = (out / "launch" / "processes.log").read_text()
    assert "Loading weights" not in workers and "FutureWarning" not in workers, workers[-2000:]
    # under a launcher already, it would start processes of processes
    nested = runner.invoke(app, ["train", *common, "--processes", "2"], env={"WORLD_SIZE": "2"})
    assert nested.exit_code == 2 and "leave it out under torchrun" in nested.output


def test_a_failure_in_the_workers_is_their_one_line(world, tmp_path):
    with pytest.raises(TrainError) as failed:
        train_in_processes(world["ds"], tmp_path / "no-model", tmp_path / "run", _options(2, 2), processes=2,
                           cpu=True)
    message = str(failed.value)
    assert "\n" not in message and "no-model" in message and "Traceback" not in message
    assert (tmp_path / "run" / "launch" / "processes.log").is_file()


def test_workers_that_fail_before_they_can_say_why_are_told_by_their_output(world, tmp_path, monkeypatch):
    from apimigrate.unlearn import launch
    monkeypatch.setattr(launch, "write_json", lambda path, data: path.write_text("{}"))     # a request without "out"
    with pytest.raises(TrainError) as failed:
        train_in_processes(world["ds"], world["model"], tmp_path / "run", _options(2, 2), processes=2, cpu=True)
    assert str(failed.value).startswith("the 2 training processes failed (exit 1): KeyError: 'out'; their output "
                                        f"is in {tmp_path / 'run' / 'launch' / 'processes.log'}")
    # both ranks printed their traceback at once: each line stays whole, led by its rank, as in each rank's own log
    log = (tmp_path / "run" / "launch" / "processes.log").read_text()
    assert "[default0]:KeyError: 'out'\n" in log and "[default1]:KeyError: 'out'\n" in log
    rank1 = list((tmp_path / "run" / "launch" / "ranks").glob("*/attempt_0/1/stderr.log"))
    assert len(rank1) == 1 and rank1[0].read_text().endswith("KeyError: 'out'\n")


def test_more_processes_than_gpus_is_refused_before_anything_starts(world, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(TrainError, match="2 training processes need as many GPUs; 1 visible"):
        train_in_processes(world["ds"], world["model"], tmp_path / "run", _options(2, 2), processes=2)
    assert not (tmp_path / "run").exists()


def test_options_travel_to_the_workers_unchanged():
    options = TrainOptions(objective="npo", beta=0.2, max_steps=3, lora=LoraOptions(r=2, target_modules=("q", "v")))
    from dataclasses import asdict
    assert options_from_json(json.loads(json.dumps(asdict(options)))) == options


def test_the_cause_of_a_failure_is_read_from_this_attempt_s_output(tmp_path):
    from apimigrate.unlearn.launch import _cause
    log = tmp_path / "processes.log"
    earlier = "Traceback (most recent call last):\nModuleNotFoundError: No module named 'peft'\n"
    now = ("$ python -m torch.distributed.run ...\nTraceback (most recent call last):\n"
           "RuntimeError: CUDA out of memory\ntorch.distributed.elastic.multiprocessing.errors.ChildFailedError: \n"
           "============================================================\n")
    log.write_text(earlier + now)
    assert _cause(log, len(earlier)) == "RuntimeError: CUDA out of memory"
    log.write_text(earlier + "$ python -m torch.distributed.run ...\nKilled\n")
    assert _cause(log, len(earlier)) == "no error message"
