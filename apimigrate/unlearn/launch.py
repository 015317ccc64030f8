"""Training in several processes, started from one that is not distributed itself (`apimigrate
refresh`, `apimigrate train --processes N`): torchrun starts N workers that run `train()` as one
DDP job, and this process follows them through files beside the run:

    OUT/launch/request.json    what the workers train (written here)
    OUT/launch/started.json    the step they start from, the step count and the data (rank 0)
    OUT/launch/stop            made here to ask them to stop after the step in progress
    OUT/launch/stopped.json    the step they stopped after, when they stopped before the end (rank 0)
    OUT/launch/failure.txt     the one line that says why they stopped (the first rank to fail)
    OUT/launch/processes.log   their output, torchrun's included, each line whole and led by its
                               rank (`[default0]:`): ranks printing at once would mix characters
    OUT/launch/ranks/          each rank's output on its own, one folder per attempt (torchrun's)
    OUT/launch/lock            held by rank 0 while it trains

Their progress is read from OUT/log.jsonl, which `train()` appends to after every step. The
workers run in a session of their own, so a Ctrl-C at the terminal reaches this process alone
and stops them through the stop file, after the step in progress, as one process would be
stopped. They also stop, after their step, when this process is gone (killed outright), and a
later launch on the same run waits for rank 0's lock: two jobs never write one run.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterator

from apimigrate.jsonfiles import write_json

from .options import Interrupted, LoraOptions, TrainError, TrainOptions
from .train import LOG, SUMMARY

LAUNCH = "launch"
EXIT_FAILED, EXIT_STOPPED = 2, 130
POLL_SECONDS = 0.5


class LaunchFiles:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.dir = out / LAUNCH
        self.request = self.dir / "request.json"
        self.started = self.dir / "started.json"
        self.stop = self.dir / "stop"
        self.stopped = self.dir / "stopped.json"
        self.failure = self.dir / "failure.txt"
        self.log = self.dir / "processes.log"
        self.ranks = self.dir / "ranks"
        self.lock = self.dir / "lock"

    @contextlib.contextmanager
    def held(self, wait: Callable[[], None] = lambda: None) -> Iterator[None]:
        """Rank 0's lock; `wait()` is called every poll while another process holds it."""
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    wait()
                    time.sleep(POLL_SECONDS)
            yield
        finally:
            os.close(fd)        # closing drops the lock

    def fail(self, message: str) -> None:
        """The first failure is the cause; the ranks that fail after it fail because of it."""
        with contextlib.suppress(FileExistsError, OSError):
            with open(self.failure, "x", encoding="utf-8") as fh:
                fh.write(message.splitlines()[0] if message else "failed")


def options_from_json(data: dict) -> TrainOptions:
    lora = dict(data.get("lora") or {})
    if lora.get("target_modules") is not None:
        lora["target_modules"] = tuple(lora["target_modules"])
    return TrainOptions(**{**data, "lora": LoraOptions(**lora)})


def train_in_processes(dataset: Path, model_dir: Path, out: Path, options: TrainOptions, *, processes: int,
                       cpu: bool = False, impl: str = "auto", fresh: bool = False, save_every: int = 50,
                       keep_checkpoints: int = 2, gradient_checkpointing: bool = False,
                       init_adapter: Path | None = None, stop: Callable[[], bool] = lambda: False,
                       on_start: Callable[[int, int, dict], None] | None = None,
                       on_step: Callable[[dict, int], None] | None = None,
                       on_wait: Callable[[], None] | None = None) -> dict:
    """`train()` in `processes` processes (DDP; `options.batch_size` is per process); the same
    contract: its summary, `Interrupted` when stopped on request, `TrainError` with one line.
    `on_wait()` is called while the workers of an earlier attempt on this run finish their step."""
    options.validate()
    if processes < 1:
        raise TrainError(f"processes must be ≥ 1, got {processes}")
    _check_devices(processes, cpu)
    files = LaunchFiles(out)
    waited = False

    def waiting() -> None:
        nonlocal waited
        if not waited and on_wait is not None:
            on_wait()
        waited = True

    with files.held(waiting):       # an earlier attempt's workers (this process's parent died) are done
        for path in (files.started, files.stop, files.stopped, files.failure):
            path.unlink(missing_ok=True)
        write_json(files.request, {
            "dataset": str(dataset.resolve()), "model": str(model_dir.resolve()), "out": str(out.resolve()),
            "options": asdict(options), "cpu": cpu, "impl": impl, "fresh": fresh, "save_every": save_every,
            "keep_checkpoints": keep_checkpoints, "gradient_checkpointing": gradient_checkpointing,
            "init_adapter": str(init_adapter.resolve()) if init_adapter is not None else None,
            "parent": os.getpid()})
    watcher = _Watcher(files, on_start, on_step)
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(processes),
               "--log-dir", str(files.ranks), "--tee", "3", "-m", __name__, str(files.request)]
    with open(files.log, "ab") as log:
        attempt = log.tell()        # the log keeps earlier attempts' output: a cause is looked for after this
        log.write(f"$ {' '.join(command)}\n".encode())
        log.flush()
        # PYTHONSAFEPATH: `-m` would put the working directory first on the workers' sys.path, and
        # run from a checkout's root they would import its apimigrate/ folder instead of the
        # installed package (which a regular install's mapped db/, kernels/, lsp/ are missing from).
        workers = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, env={**os.environ, "PYTHONSAFEPATH": "1"})
    try:
        while workers.poll() is None:
            watcher.relay()
            if not files.stop.exists() and stop():
                files.stop.touch()
            time.sleep(POLL_SECONDS)
        watcher.relay()
    except BaseException:           # a second Ctrl-C, an error of ours: the workers stop after their step
        files.stop.touch()
        with contextlib.suppress(ProcessLookupError):
            workers.send_signal(signal.SIGTERM)
        raise
    if workers.returncode == 0:
        return json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    if files.failure.is_file():
        raise TrainError(files.failure.read_text(encoding="utf-8").strip())
    if files.stopped.is_file():
        stopped = json.loads(files.stopped.read_text(encoding="utf-8"))
        raise Interrupted(stopped["step"], stopped["total"])
    raise TrainError(f"the {processes} training processes failed (exit {workers.returncode}): "
                     f"{_cause(files.log, attempt)}; their output is in {files.log}")


def _check_devices(processes: int, cpu: bool) -> None:
    """One process per GPU where CUDA is; without it (or with `cpu`) the processes share the CPU
    as one gloo group (train._on_cpu), so there is nothing to count."""
    import torch
    if cpu or not torch.cuda.is_available():
        return
    visible = torch.cuda.device_count()
    if processes > visible:
        raise TrainError(f"{processes} training processes need as many GPUs; {visible} visible "
                         "(CUDA_VISIBLE_DEVICES picks them)")


class _Watcher:
    """Passes on what the workers report in their files, each step once."""

    def __init__(self, files: LaunchFiles, on_start: Callable[[int, int, dict], None] | None,
                 on_step: Callable[[dict, int], None] | None) -> None:
        self.files, self.on_start, self.on_step = files, on_start, on_step
        self.step, self.total = 0, 0
        self.started = False
        self.offset = 0

    def relay(self) -> None:
        if not self.started:
            if not self.files.started.is_file():
                return
            started = json.loads(self.files.started.read_text(encoding="utf-8"))
            self.started = True
            self.step, self.total = started["step"], started["total"]
            if self.on_start is not None:
                self.on_start(self.step, self.total, started["info"])
        log = self.files.out / LOG
        if not log.is_file():
            return
        with open(log, "rb") as fh:
            fh.seek(self.offset)
            chunk = fh.read()
        whole = chunk[:chunk.rfind(b"\n") + 1]     # a line being written is read next time
        self.offset += len(whole)
        for line in whole.splitlines():
            metrics = json.loads(line)
            if metrics["step"] > self.step:
                self.step = metrics["step"]
                if self.on_step is not None:
                    self.on_step(metrics, self.total)


def _cause(log: Path, start: int) -> str:
    """The last exception a worker printed (from byte `start` on) before our code could say why
    (an import that failed, a process killed): torchrun's own summary after it says only that a
    child failed."""
    with open(log, "rb") as fh:
        fh.seek(start)
        lines = fh.read().decode("utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        line = _RANK.sub("", line.strip(), count=1).strip()
        found = _EXCEPTION.match(line)
        if found and not found.group(1).endswith("ChildFailedError"):
            return line
    return "no error message"


_RANK = re.compile(r"^\[[^\]]*\]:")
_EXCEPTION = re.compile(r"([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit)):")


# ---- the workers ---------------------------------------------------------------------------------

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass                    # alive, another user's
    return True


def _work(request_path: Path) -> int:
    from apimigrate.local_models import ModelError

    from .batches import DataError
    from .train import train

    request = json.loads(request_path.read_text(encoding="utf-8"))
    out = Path(request["out"])
    files = LaunchFiles(out)
    main = int(os.environ.get("RANK", "0")) == 0
    terminated = False

    def on_term(signum: int, frame: object) -> None:
        nonlocal terminated            # systemd stops a job with SIGTERM: like a stop request
        terminated = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the launching process decides when to stop
    parent = request["parent"]

    def stop() -> bool:
        return terminated or files.stop.exists() or not _alive(parent)

    def on_start(step: int, total: int, info: dict) -> None:
        write_json(files.started, {"step": step, "total": total, "info": info})

    init = request["init_adapter"]
    with files.held() if main else contextlib.nullcontext():
        try:
            train(Path(request["dataset"]), Path(request["model"]), out, options_from_json(request["options"]),
                  cpu=request["cpu"], impl=request["impl"], fresh=request["fresh"],
                  save_every=request["save_every"], keep_checkpoints=request["keep_checkpoints"],
                  gradient_checkpointing=request["gradient_checkpointing"],
                  init_adapter=Path(init) if init else None, stop=stop, on_start=on_start)
        except Interrupted as exc:
            if main:
                write_json(files.stopped, {"step": exc.step, "total": exc.total})
            return EXIT_STOPPED
        except (TrainError, ModelError, DataError) as exc:
            files.fail(str(exc))
            return EXIT_FAILED
        except Exception as exc:
            files.fail(f"{type(exc).__name__}: {exc}")
            raise           # its traceback goes to processes.log
    return 0


if __name__ == "__main__":
    sys.exit(_work(Path(sys.argv[1])))
