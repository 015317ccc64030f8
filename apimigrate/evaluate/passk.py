"""Utility as functional correctness: pass@k on a HumanEval-format file (DESIGN.md, "Evaluation").

A task is one JSON line with `task_id`, `prompt` (the code up to a function's body), `test` (code
defining `check(candidate)`) and `entry_point` (the function's name), as in OpenAI's HumanEval.
The model writes `n` completions of each prompt, each cut at the first line at the left margin
(another top-level statement; Codex's stop sequences are some of these); a completion passes when `prompt + completion +
test + check(entry_point)` runs to its end in a fresh Python process within the time limit.
pass@k is the unbiased estimator of Chen et al. (2021) over the `n` samples, averaged over tasks.

The generated code is executed. It runs in a separate interpreter (its own session, a clean
environment, an empty temporary folder, limits on time, memory and file size), which keeps a
mistake from touching this process; it is not a security sandbox, so the caller must ask for it
explicitly. A test killed from outside (the job is being stopped) is no verdict: the task is not
recorded and runs again when the job goes on.
A completion that exits early (`sys.exit(0)`) does not pass: the program must print a nonce it
cannot know after `check` returns.

    OUT/passk.jsonl   one line per task: its completions and which passed (appended: resumable)
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from apimigrate.jsonfiles import read_appended, read_jsonl, write_jsonl
from apimigrate.unlearn.batches import DataError

PASSK = "passk.jsonl"
# A line at the left margin (another top-level statement: `def`, `if __name__`, `print(...)`)
# ends the function being written; Codex's stop sequences are a few of these.
_STOP = re.compile(r"\n(?=\S)")
REQUIRED = ("task_id", "prompt", "test", "entry_point")


@dataclass(frozen=True)
class Task:
    task_id: str
    prompt: str
    test: str
    entry_point: str


class Sampler(Protocol):
    def samples(self, prompt: str, n: int, *, temperature: float = 0.0, top_p: float = 0.95,
                max_new_tokens: int | None = None) -> list[str]: ...


def read_tasks(path: Path) -> list[Task]:
    tasks = []
    for i, record in enumerate(read_jsonl(path), 1):
        missing = [k for k in REQUIRED if not (isinstance(record, dict) and isinstance(record.get(k), str))]
        if missing:
            raise DataError(f"{path}: task {i} has no {', '.join(missing)} (a HumanEval-format line needs "
                            f"{', '.join(REQUIRED)})")
        tasks.append(Task(record["task_id"], record["prompt"], record["test"], record["entry_point"]))
    ids = [t.task_id for t in tasks]
    if len(set(ids)) != len(ids):
        raise DataError(f"{path}: task ids repeat")
    if not tasks:
        raise DataError(f"{path} holds no tasks")
    return tasks


def pass_at_k(n: int, c: int, k: int) -> float:
    """The chance that at least one of k samples drawn from n, c of them correct, is correct:
    1 - C(n-c, k) / C(n, k), computed as a product so large n does not overflow."""
    if k > n:
        raise ValueError(f"k={k} needs at least k samples, got n={n}")
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def truncate(completion: str) -> str:
    """The completion up to the first line at the left margin, without trailing blank lines."""
    m = _STOP.search(completion)
    kept = (completion[:m.start()] if m else completion).rstrip("\n")
    return kept + "\n" if kept else ""


class Stopped(Exception):
    """A test interpreter was killed from outside (the job is being stopped): its verdict is not one."""


# Runs the program under limits set from inside the new interpreter (not in a preexec_fn, which
# is unsafe in a process with threads), so the program and everything it starts inherit them.
_WRAPPER = """import resource, runpy, sys
for limit, value in ((resource.RLIMIT_AS, {memory}), (resource.RLIMIT_FSIZE, {fsize})):
    try:
        resource.setrlimit(limit, (value, value))
    except (ValueError, OSError):
        pass
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
_OUTSIDE = {-signal.SIGTERM, -signal.SIGINT, -signal.SIGHUP, -signal.SIGKILL}


def run_completion(task: Task, completion: str, *, timeout: float = 10.0, memory_mb: int = 1024) -> tuple[bool, str]:
    """Run the task's test against one completion in a fresh interpreter: (passed, why not).
    Raises Stopped when the interpreter is killed by a signal other than its own time limit."""
    nonce = secrets.token_hex(16)
    program = (f"{task.prompt}{completion}\n\n{task.test}\n\ncheck({task.entry_point})\n"
               f"print({nonce!r}, flush=True)\n")
    with tempfile.TemporaryDirectory(prefix="apimigrate-passk-") as tmp:
        folder = Path(tmp)
        (folder / "program.py").write_text(program, encoding="utf-8")
        (folder / "run.py").write_text(_WRAPPER.format(memory=memory_mb << 20, fsize=1 << 20), encoding="utf-8")
        # A clean environment; a fixed hash seed, so set order is the same for every model judged.
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        with open(folder / "out", "wb") as out, open(folder / "err", "wb") as err:
            # Its own session: a Ctrl-C at the terminal stops us, not the test; and a time-out
            # kills everything the program started too.
            proc = subprocess.Popen([sys.executable, "-s", "run.py", "program.py"], cwd=tmp, env=env,
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=os.name == "posix")
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                return False, f"timed out after {timeout:g} s"
            finally:
                if proc.poll() is None:
                    _kill_group(proc)
        stdout = _tail(folder / "out")
        stderr = _tail(folder / "err")
    if code in _OUTSIDE:
        raise Stopped(f"the test of {task.task_id} was killed (signal {-code})")
    if code == 0 and nonce in stdout:
        return True, ""
    if code == 0:
        return False, "exited before the test ran to its end"
    last = (stderr.strip().splitlines() or [f"exit code {code}"])[-1]
    return False, last[:200]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL) if os.name == "posix" else proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _tail(path: Path, limit: int = 65536) -> str:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - limit))
        return fh.read().decode("utf-8", "replace")


def run_pass_at_k(tasks: list[Task], sampler: Sampler, out: Path, *, n: int = 1, ks: tuple[int, ...] = (1,),
                  temperature: float = 0.0, max_new_tokens: int = 256, timeout: float = 10.0, workers: int = 2,
                  on_task: Callable[[int, int], None] | None = None) -> dict:
    """Sample, run and score every task not done yet in `out`; returns the summary
    `{"tasks", "samples", "pass@k": ...}` (pass@k only for k ≤ n)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / PASSK
    done = {row["task_id"]: row for row in read_appended(path)}
    # a row made with other samples, decoding or task text is made again
    keys = {t.task_id: _row_key(t, n, temperature, max_new_tokens) for t in tasks}
    done = {k: v for k, v in done.items() if v.get("key") == keys.get(k)}
    write_jsonl(path, done.values())
    todo = [t for t in tasks if t.task_id not in done]
    if on_task is not None:
        on_task(len(tasks) - len(todo), len(tasks))
    with open(path, "a", encoding="utf-8") as fh, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for i, task in enumerate(todo, 1):
            completions = [truncate(c) for c in sampler.samples(task.prompt, n, temperature=temperature,
                                                                 max_new_tokens=max_new_tokens)]
            results = list(pool.map(lambda c: run_completion(task, c, timeout=timeout), completions))
            row = {"task_id": task.task_id, "key": keys[task.task_id], "completions": completions,
                   "passed": [ok for ok, _ in results],
                   "errors": [why for _, why in results]}
            done[task.task_id] = row
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            if on_task is not None:
                on_task(len(tasks) - len(todo) + i, len(tasks))
    return summarize([done[t.task_id] for t in tasks], n, ks)


def _row_key(task: Task, n: int, temperature: float, max_new_tokens: int) -> str:
    text = json.dumps([task.prompt, task.test, task.entry_point, n, temperature, max_new_tokens])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def summarize(rows: list[dict], n: int, ks: tuple[int, ...]) -> dict:
    summary: dict = {"tasks": len(rows), "samples": n}
    for k in sorted(set(ks)):
        if k <= n and rows:
            summary[f"pass@{k}"] = sum(pass_at_k(n, sum(r["passed"]), k) for r in rows) / len(rows)
    return summary
