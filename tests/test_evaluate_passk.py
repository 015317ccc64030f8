"""pass@k on a HumanEval-format file: the unbiased estimator, running completions in a separate
interpreter (pass, fail, time out, exit early), and `apimigrate evaluate --humaneval` end to end
with a tiny model that learned four tasks' solutions, one of them wrong."""
from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.evaluate.passk import Stopped, Task, pass_at_k, read_tasks, run_completion, run_pass_at_k, truncate
from test_callsites_support import build_db
from test_evaluate import _dataset

runner = CliRunner()

TASKS = [
    ("Toy/0", 'def add(a, b):\n    """Return the sum of a and b."""\n', "    return a + b\n",
     "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n", "add"),
    ("Toy/1", 'def is_even(n):\n    """Whether n is even."""\n', "    return n % 2 == 0\n",
     "def check(candidate):\n    assert candidate(4)\n    assert not candidate(7)\n", "is_even"),
    ("Toy/2", 'def reverse(s):\n    """The string s backwards."""\n', "    return s[::-1]\n",
     "def check(candidate):\n    assert candidate('abc') == 'cba'\n", "reverse"),
    # the model learns a wrong body for this one: 3 of 4 tasks pass
    ("Toy/3", 'def square(x):\n    """x times itself."""\n', "    return x * 2\n",
     "def check(candidate):\n    assert candidate(3) == 9\n", "square"),
]


def _task(i: int) -> Task:
    task_id, prompt, _, test, entry = TASKS[i]
    return Task(task_id, prompt, test, entry)


def _brute(n: int, c: int, k: int) -> float:
    """The chance that k samples drawn without replacement from n (c correct) hold a correct one."""
    draws = list(itertools.combinations(range(n), k))
    return sum(any(i < c for i in d) for d in draws) / len(draws)


@pytest.mark.parametrize("n, c, k", [(5, 0, 1), (5, 1, 1), (5, 2, 3), (6, 3, 2), (4, 4, 4), (7, 1, 5), (3, 2, 1)])
def test_pass_at_k_is_the_chance_that_k_of_n_samples_hold_a_correct_one(n, c, k):
    assert math.isclose(pass_at_k(n, c, k), _brute(n, c, k), abs_tol=1e-12)
    assert pass_at_k(200, 10, 1) == pytest.approx(10 / 200)
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def test_a_completion_ends_at_the_left_margin():
    body = "    x = 1\n\n    return x\n"
    assert truncate(body + "\n\ndef other():\n    pass\n") == body
    assert truncate(body + "if __name__ == '__main__':\n    main()\n") == body
    assert truncate(body + "print(add(1, 2))\n") == body
    assert truncate(body) == body
    # a known limit, as with Codex's stop sequences: text at the margin inside a string ends it too
    assert truncate('    s = """\nat the margin\n"""\n') == '    s = """\n'


def test_completions_run_apart_and_only_a_finished_test_passes():
    add = _task(0)
    assert run_completion(add, "    return a + b\n") == (True, "")
    ok, why = run_completion(add, "    return a - b\n")
    assert not ok and "AssertionError" in why
    ok, why = run_completion(add, "    while True:\n        pass\n", timeout=1.0)
    assert not ok and "timed out" in why
    # leaving before the test runs is not passing it
    ok, why = run_completion(add, "    return a + b\n\nimport sys\nsys.exit(0)\n")
    assert not ok and "before the test" in why
    ok, why = run_completion(add, "    return a +\n")
    assert not ok and "SyntaxError" in why
    # killed by a signal (as when the job is stopped): no verdict, the task runs again later
    with pytest.raises(Stopped):
        run_completion(add, "    import os, signal\n    os.kill(os.getpid(), signal.SIGTERM)\n")
    # the same hash seed every time: set order cannot differ between two models' runs
    assert run_completion(add, f"    assert hash('abc') == {_hash_in_test_interpreter()}\n    return a + b\n")[0]
    # it runs in an empty folder of its own: nothing it writes lands here
    ok, _ = run_completion(add, "    open('stray.txt', 'w').write('x')\n    return a + b\n")
    assert ok and not Path("stray.txt").exists()


def _hash_in_test_interpreter() -> int:
    import os
    import subprocess
    import sys
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0"}
    return int(subprocess.run([sys.executable, "-c", "print(hash('abc'))"], env=env, capture_output=True,
                              text=True, check=True).stdout)


class _Scripted:
    """A stand-in for the model that answers each prompt with a fixed body and counts the calls."""

    def __init__(self, bodies: dict[str, list[str]]) -> None:
        self.bodies, self.calls = bodies, []

    def samples(self, prompt, n, *, temperature=0.0, top_p=0.95, max_new_tokens=None):
        self.calls.append(prompt)
        return self.bodies[prompt][:n]


def test_pass_at_k_over_tasks_and_a_run_that_goes_on(tmp_path):
    tasks = [_task(0), _task(1)]
    sampler = _Scripted({tasks[0].prompt: ["    return a + b\n", "    return b - a\n", "    return 0\n"],
                         tasks[1].prompt: ["    return n % 2\n", "    return n % 2 == 0\n", "    return True\n"]})
    summary = run_pass_at_k(tasks, sampler, tmp_path, n=3, ks=(1, 2, 5))
    assert summary == {"tasks": 2, "samples": 3, "pass@1": pytest.approx(1 / 3), "pass@2": pytest.approx(2 / 3)}
    rows = [json.loads(x) for x in (tmp_path / "passk.jsonl").read_text().splitlines()]
    assert [r["passed"] for r in rows] == [[True, False, False], [False, True, False]]
    again = run_pass_at_k(tasks, sampler, tmp_path, n=3, ks=(1, 2))
    assert again == summary and len(sampler.calls) == 2           # nothing sampled or run twice
    # other decoding settings: the tasks are sampled again, not taken from the earlier rows
    run_pass_at_k(tasks, sampler, tmp_path, n=3, ks=(1,), temperature=0.8)
    assert len(sampler.calls) == 4


def test_tasks_file_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"task_id": "x", "prompt": "def f():\n"}) + "\n")
    with pytest.raises(ValueError, match="task 1 has no test, entry_point"):
        read_tasks(bad)
    bad.write_text("[1, 2]\n")                          # JSON, but no task at all
    with pytest.raises(ValueError, match="task 1 has no task_id, prompt, test, entry_point"):
        read_tasks(bad)
    bad.write_text('{"task_id": "x", "prompt": "def f(\n')           # cut short: where, and why
    with pytest.raises(ValueError, match=r"bad\.jsonl:1: not a JSON line \(Invalid control character at: line 1 "
                                         r"column 35 \(char 34\)\)"):
        read_tasks(bad)


# ---- end to end with a tiny model ----------------------------------------------------------
@pytest.fixture(scope="module")
def coder(tmp_path_factory) -> Path:
    """A tiny GPT-2 that learned the four tasks' prompts and bodies by heart."""
    from unlearn_support import fit, tiny_gpt2, toy_tokenizer
    root = tmp_path_factory.mktemp("coder")
    texts = [prompt + body + "\n\n" for _, prompt, body, _, _ in TASKS]
    tokenizer = toy_tokenizer(texts * 10, vocab_size=300)
    model = tiny_gpt2(tokenizer, n_embd=64, dropout=0.0)
    # each text ends in the end-of-text token, so the model learns to stop after the body
    fit(model, [tokenizer(t)["input_ids"] + [tokenizer.eos_token_id] for t in texts], tokenizer.eos_token_id,
        200, batch=len(texts))
    model.save_pretrained(root)
    tokenizer.save_pretrained(root)
    return root


@pytest.mark.slow
def test_evaluate_reports_pass_at_k_of_the_code_the_model_writes(coder, tmp_path):
    kb = build_db(tmp_path / "kb.sqlite")
    ds = _dataset(kb, tmp_path)
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text("".join(json.dumps({"task_id": t, "prompt": p, "canonical_solution": b, "test": test,
                                         "entry_point": e}) + "\n" for t, p, b, test, e in TASKS))
    common = ["evaluate", str(ds), "--model", str(coder), "--db", str(kb), "--device", "cpu",
              "--max-new-tokens", "8", "--no-perplexity", "--humaneval", str(tasks), "--code-max-new-tokens", "24"]
    refused = runner.invoke(app, [*common, "-o", str(tmp_path / "out")])
    assert refused.exit_code == 2 and "--allow-code-execution" in refused.output
    assert not (tmp_path / "out").exists()
    greedy_many = runner.invoke(app, [*common, "-o", str(tmp_path / "out"), "--allow-code-execution", "--samples", "3"])
    assert greedy_many.exit_code == 2 and "--temperature" in greedy_many.output
    too_few = runner.invoke(app, [*common, "-o", str(tmp_path / "out"), "--allow-code-execution", "--k", "10"])
    assert too_few.exit_code == 2 and "--k must be between 1 and --samples (1)" in too_few.output

    result = runner.invoke(app, [*common, "-o", str(tmp_path / "out"), "--allow-code-execution"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    rows = {json.loads(x)["task_id"]: json.loads(x) for x in (tmp_path / "out" / "passk.jsonl").read_text().splitlines()}
    assert rows["Toy/0"]["completions"] == ["    return a + b\n"]          # written, cut at the next def
    assert {t: r["passed"] for t, r in rows.items()} == {"Toy/0": [True], "Toy/1": [True], "Toy/2": [True],
                                                         "Toy/3": [False]}
    assert summary["pass_at_k"] == {"tasks": 4, "samples": 1, "pass@1": 0.75}
    assert "pass@1 75.0% over 4 task(s)" in result.output
    assert summary["overall"]["probes"] > 0                 # the probes ran as before
