"""Inline completions end to end: `apimigrate lsp` over stdio serving a tiny GPT-2 from the DB's
model registry, with the guard that rewrites or drops deprecated calls.

The model is built here (module fixture): a tiny GPT-2 (`unlearn_support.pretrained_toy_model`)
trained on short toy modules, each the usual imports and one function, so that after
`def stack_K(a, b): \"\"\"Stack a and b as rows.\"\"\"` it writes `out = np.row_stack([a, b])`, as
a code model trained on old code does; short files keep the training to a few seconds on 2
cores. A LoRA adapter on top of it, trained to write `np.concatenate` there instead, is the
"newer promoted model" of the hot-swap test. Those tests are `slow`; the guard, the boundary of a
completion and the settings are also tested on their own below, without a model.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import random
import threading
import time
from pathlib import Path
from typing import AsyncIterator

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from apimigrate.callsites import DeprecationIndex
from apimigrate.db import open_db, registry
from apimigrate.lsp.cursor_generation import boundary, finish, split_prompt
from apimigrate.lsp.documents import Document
from apimigrate.lsp.inline import cursor_in
from apimigrate.lsp.inline_guard import Insertion, guard
from apimigrate.lsp.server import ApimigrateServer, create_server
from apimigrate.lsp.settings import Settings
from test_lsp import SERVER, change, diagnostics_where, open_doc, seed, until
from unlearn_support import CLEAN, DEPRECATED, HEAD, pretrained_toy_model

# One torch thread in the server: on 2 busy cores, two spinning OpenMP threads per process
# make a tiny model's forward passes tens of times slower.
CONFIG = ClientServerConfig(server_command=SERVER, server_env={**os.environ, "OMP_NUM_THREADS": "1"})
URI = "file:///project/stack.py"
PRETRAIN_STEPS = 200
ADAPTER_STEPS = 30


def stack_doc(k: int) -> tuple[str, types.Position]:
    """A module like the training files, the cursor on the line after the docstring, indented
    as an editor indents it; below, a use of `np.row_stack` for diagnostics to report."""
    head = HEAD + f'def stack_{k}(a, b):\n    """Stack a and b as rows."""\n'
    text = head + "    \n    return out\n\n\ndef other(a):\n    return np.row_stack([a, a])\n"
    return text, types.Position(line=head.count("\n"), character=4)


def _train_adapter(base: Path, texts: list[str], out: Path, steps: int) -> Path:
    """A LoRA adapter (non-zero, trained) that makes the base write `np.concatenate` for `row_stack`."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(base)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base), LoraConfig(
        r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["c_attn", "c_proj", "c_fc"],
        fan_in_fan_out=True, task_type="CAUSAL_LM"))
    ids = [tok(t.replace("np.row_stack", "np.concatenate"))["input_ids"] for t in texts if "row_stack" in t]
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    model.train()
    for step in range(steps):
        batch = [ids[(step * 8 + k) % len(ids)] for k in range(8)]
        width = max(map(len, batch))
        x = torch.tensor([b + [tok.eos_token_id] * (width - len(b)) for b in batch])
        labels = torch.tensor([b + [-100] * (width - len(b)) for b in batch])
        model(input_ids=x, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()
    model.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> dict:
    """The base model, the adapter, and a `stack_K` whose completion each writes as expected."""
    import torch

    from apimigrate.evaluate.generate import load_generator
    root = tmp_path_factory.mktemp("inline")
    corpus = root / "corpus"
    corpus.mkdir()
    rng = random.Random(0)
    templates = DEPRECATED + CLEAN
    texts = []
    for i in range(70):
        texts.append(HEAD + templates[i % len(templates)].format(k=rng.randrange(1000)))
        (corpus / f"m{i:03d}.py").write_text(texts[-1])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)        # see CONFIG
    try:
        base = pretrained_toy_model(corpus, root / "base", steps=PRETRAIN_STEPS)
        adapter = _train_adapter(base, texts, root / "adapter", ADAPTER_STEPS)
        # Which K the models complete as wanted, read through the probes' own first-line API
        # (its healed prompt is the server's with the cursor at the start of the line).
        raw, tuned = load_generator(base, max_new_tokens=24), load_generator(base, adapter, max_new_tokens=24)
        candidates = [17, 42, 250, 777, 305, 123]
        prompts = [stack_doc(k)[0].split("    \n")[0] for k in candidates]
        lines = list(zip(candidates, raw.first_lines(prompts), tuned.first_lines(prompts)))
    finally:
        torch.set_num_threads(threads)
    good = [k for k, a, b in lines if a == "    out = np.row_stack([a, b])" and b == "    out = np.concatenate([a, b])"]
    assert good, f"the toy models did not learn their lines: {lines}"
    return {"base": base, "adapter": adapter, "k": good[0], "root": root}


def make_db(path: Path, *, base: Path | None = None, adapter: Path | None = None) -> Path:
    """The LSP tests' DB (numpy.row_stack -> numpy.vstack, drop-in), with `base` (+ `adapter`)
    registered and promoted when given."""
    seed(path)
    if base is not None:
        promote(path, base, adapter)
    return path


def promote(path: Path, base: Path, adapter: Path | None = None) -> int:
    kb = open_db(path)
    try:
        model_id = registry.add_model(kb, base=str(base), adapter_path=str(adapter) if adapter else None,
                                      db_fingerprint=kb.fingerprint(), metrics={}, mappings=["numpy.row_stack"])
        registry.promote(kb, model_id)
    finally:
        kb.close()
    return model_id


@contextlib.asynccontextmanager
async def session(db: Path, **options) -> AsyncIterator[tuple[LanguageClient, types.InitializeResult]]:
    client = await CONFIG.start()
    caps = client_capabilities("visual-studio-code")
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities())
    try:
        result = await client.initialize_session(types.InitializeParams(
            capabilities=caps, root_uri="file:///project", initialization_options={"dbPath": str(db), **options}))
        yield client, result
        await client.shutdown_session()
    finally:
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()       # a failed test never said exit: `stop` would wait for it forever
        await client.stop()


def params(position: types.Position, uri: str = URI) -> types.InlineCompletionParams:
    return types.InlineCompletionParams(
        context=types.InlineCompletionContext(trigger_kind=types.InlineCompletionTriggerKind.Automatic),
        text_document=types.TextDocumentIdentifier(uri=uri), position=position)


async def inline(client: LanguageClient, position: types.Position) -> list[types.InlineCompletionItem]:
    result = await asyncio.wait_for(client.text_document_inline_completion_async(params(position)), 60)
    if result is None:
        return []
    return list(result.items if isinstance(result, types.InlineCompletionList) else result)


async def texts_where(client: LanguageClient, position: types.Position, pred, what: str) -> list[str]:
    """Ask until the answer satisfies `pred` (a settings change reloads the DB in its own time)."""
    deadline = time.monotonic() + 20
    while True:
        got = [i.insert_text for i in await inline(client, position)]
        if pred(got):
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last answer {got}")
        await asyncio.sleep(0.1)


def row_stack_diagnostics(d) -> bool:
    return any("row_stack" in x.message for x in d)


# ---- the guard ---------------------------------------------------------------------------------
@pytest.mark.slow
async def test_guard_rewrites_the_models_deprecated_call(toy: dict, tmp_path: Path) -> None:
    db = make_db(tmp_path / "kb.db", base=toy["base"])
    text, cursor = stack_doc(toy["k"])
    async with session(db) as (client, result):
        assert result.capabilities.inline_completion_provider is not None
        open_doc(client, text, uri=URI)
        await diagnostics_where(client, row_stack_diagnostics, "the row_stack below", uri=URI)

        items = await inline(client, cursor)
        assert [i.insert_text for i in items] == ["out = np.vstack([a, b])"]
        assert items[0].range == types.Range(start=cursor, end=cursor)

        # The raw model writes row_stack: with numpy deselected the guard knows nothing to change.
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"apimigrate": {"libraries": ["pandas"]}}))
        got = await texts_where(client, cursor, lambda t: t != ["out = np.vstack([a, b])"], "numpy deselected")
        assert got == ["out = np.row_stack([a, b])"]
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"apimigrate": {"libraries": []}}))
        await texts_where(client, cursor, lambda t: t == ["out = np.vstack([a, b])"], "numpy selected again")

        # Turned off in the settings: nothing, at once.
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"apimigrate": {"inlineCompletion": {"enabled": False}}}))
        await texts_where(client, cursor, lambda t: t == [], "inline completions off")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"apimigrate": {"inlineCompletion": {"enabled": True}}}))
        await texts_where(client, cursor, lambda t: t == ["out = np.vstack([a, b])"], "on again")

        # Typed at the cursor: code now follows it, and nothing is offered there. (Typing while a
        # request is out, and a cancel, race the model on the server's threads: the in-process
        # tests below make those land mid-generation.)
        change(client, 2, cursor.line, 4, cursor.line, 4, "o", uri=URI)
        assert await inline(client, cursor) == []
        # A request the client cancels is answered, as cancelled or (LSP allows it, and a tiny model
        # can be that quick) with what was already made; the server goes on serving.
        after_o = types.Position(line=cursor.line, character=5)
        future = client.protocol.send_request(types.TEXT_DOCUMENT_INLINE_COMPLETION, params(after_o),
                                              msg_id="cancel-me")
        client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
        try:
            await asyncio.wait_for(asyncio.wrap_future(future), 60)
        except asyncio.TimeoutError:
            raise
        except Exception as e:          # noqa: BLE001 - the client raises the error response as is
            assert "cancel" in str(e).lower(), e
        # After the typed "o" the model goes on from there, and is guarded the same.
        assert [i.insert_text for i in await inline(client, after_o)] == ["ut = np.vstack([a, b])"]


@pytest.mark.slow
async def test_a_request_right_after_initialize_uses_the_model_the_settings_name(toy: dict, tmp_path: Path) -> None:
    """The editor asks as soon as the file is open, before the server has its settings back from
    workspace/configuration: the request waits for them, and the model they name answers (it once
    answered nothing, with the defaults: no model)."""
    db = make_db(tmp_path / "kb.db")                        # no model in the registry
    text, cursor = stack_doc(toy["k"])
    async with session(db, inlineCompletion={"model": str(toy["base"])}) as (client, _):
        open_doc(client, text, uri=URI)
        assert [i.insert_text for i in await inline(client, cursor)] == ["out = np.vstack([a, b])"]


@pytest.mark.slow
async def test_no_model_answers_empty_at_once(tmp_path: Path) -> None:
    db = make_db(tmp_path / "kb.db")
    text, cursor = stack_doc(42)
    async with session(db) as (client, result):
        assert result.capabilities.inline_completion_provider is not None
        open_doc(client, text, uri=URI)
        await diagnostics_where(client, row_stack_diagnostics, "diagnostics", uri=URI)
        for _ in range(3):
            start = time.monotonic()
            assert await inline(client, cursor) == []
            assert time.monotonic() - start < 2.0
        # Nothing was loaded: torch is not even in the server's memory.
        maps = Path(f"/proc/{client._server.pid}/maps")
        if maps.exists():
            assert "libtorch" not in maps.read_text()
        assert not [m for m in client.messages if "inline" in m.message]


@pytest.mark.slow
async def test_newly_promoted_adapter_is_used_without_restart(toy: dict, tmp_path: Path) -> None:
    db = make_db(tmp_path / "kb.db", base=toy["base"])
    text, cursor = stack_doc(toy["k"])
    async with session(db) as (client, _):
        open_doc(client, text, uri=URI)
        assert [i.insert_text for i in await inline(client, cursor)] == ["out = np.vstack([a, b])"]
        # A refresh promotes base + adapter while the server runs: the very next request uses it.
        promote(db, toy["base"], toy["adapter"])
        assert [i.insert_text for i in await inline(client, cursor)] == ["out = np.concatenate([a, b])"]
        # Settings name a model explicitly: they win over the registry.
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"apimigrate": {"inlineCompletion": {"model": str(toy["base"])}}}))
        await texts_where(client, cursor, lambda t: t == ["out = np.vstack([a, b])"], "the base from the settings")

        # In a notebook the imports' cell is the prompt's too, and the range is in the cell's lines.
        nb, cells = "file:///project/stack.ipynb", ["vscode-notebook-cell:/project/stack.ipynb#a",
                                                     "vscode-notebook-cell:/project/stack.ipynb#b"]
        head, body = text.split("def ", 1)
        sources = [head[:-1], "def " + body]     # cells are joined with a newline after each
        client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=nb, notebook_type="jupyter-notebook", version=1, cells=[
                types.NotebookCell(kind=types.NotebookCellKind.Code, document=c) for c in cells]),
            cell_text_documents=[types.TextDocumentItem(uri=c, language_id="python", version=1, text=t)
                                 for c, t in zip(cells, sources)]))
        in_cell = types.Position(line=2, character=4)
        result = await asyncio.wait_for(client.text_document_inline_completion_async(params(in_cell, cells[1])), 60)
        assert [(i.insert_text, i.range) for i in result.items] == [
            ("out = np.vstack([a, b])", types.Range(start=in_cell, end=in_cell))]


@pytest.mark.slow
async def test_broken_model_is_told_once_and_diagnostics_go_on(toy: dict, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    db = make_db(tmp_path / "kb.db", base=broken)
    text, cursor = stack_doc(toy["k"])
    async with session(db) as (client, _):
        open_doc(client, text, uri=URI)
        await diagnostics_where(client, row_stack_diagnostics, "diagnostics", uri=URI)
        assert await inline(client, cursor) == []

        def told() -> list[str]:
            return [m.message for m in client.messages if "cannot load the model" in m.message]
        await until(lambda: told(), "the message about the broken model")
        assert str(broken) in told()[0]
        assert await inline(client, cursor) == []
        await asyncio.sleep(0.2)
        # Told once, and not tried again (a second try would log the failure again).
        assert len(told()) == 1, told()
        assert len([m for m in client.log_messages if "cannot load the model" in m.message]) == 1
        # Diagnostics still follow edits (one more use at the end of the file).
        end = text.count("\n")
        change(client, 2, end, 0, end, 0, "z = np.row_stack([1])\n", uri=URI)
        await diagnostics_where(client, lambda d: len([x for x in d if "row_stack" in x.message]) == 2,
                                "diagnostics after an edit", uri=URI)
        # A good model promoted in the registry is loaded on the next request.
        promote(db, toy["base"])
        assert [i.insert_text for i in await inline(client, cursor)] == ["out = np.vstack([a, b])"]
        assert len(told()) == 1


# ---- without a model -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def index(tmp_path_factory) -> DeprecationIndex:
    db = make_db(tmp_path_factory.mktemp("guard") / "kb.db")
    kb = open_db(db)
    try:
        return DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    finally:
        kb.close()


FUNC = 'import numpy as np\nimport pandas as pd\n\n\ndef stack_1(a, b):\n    """Stack a and b as rows."""\n    '


@pytest.mark.parametrize("before, text, after, shown", [
    # rewritten as `fix` would, also twice in a multi-line completion
    (FUNC, "out = np.row_stack([a, b])", "\n", "out = np.vstack([a, b])"),
    ("import numpy as np\nx = 1", "\ny = np.row_stack([1])\nz = np.row_stack([2])", "\n",
     "\ny = np.vstack([1])\nz = np.vstack([2])"),
    # a `# noqa` the model writes does not silence the guard
    (FUNC, "out = np.row_stack([a, b])  # noqa", "\n", "out = np.vstack([a, b])  # noqa"),
    # the rewrite also edits the import above: rewritten, the import's edit apart (test_lsp_inline_imports.py)
    ("from numpy import row_stack\n\ndef f(a, b):\n    ", "return row_stack([a, b])", "\n", "return vstack([a, b])"),
    # it would edit a use below the completion, or the name typed before the cursor: dropped
    ("from numpy import row_stack\n\ndef f(a, b):\n    ", "return row_stack([a, b])", "\n\ny = row_stack([1])\n",
     None),
    ("import numpy as np\ny = np.row_", "stack([1])", "\n", None),
    # a method matched by name only: the replacement is known, no exact rewrite: dropped
    ("import pandas as pd\n\ndef f(df):\n    ", "return df.applymap(str)", "\n", None),
    # the deprecated call is the user's, the completion only its arguments
    ("import numpy as np\ny = np.row_stack(", "[1])", "\n", "[1])"),
    # only announced (pending): not deprecated yet, shown as written
    (FUNC, "out = np.fix(a)", "\n", "out = np.fix(a)"),
    # `np` is not numpy here
    ("def f(np):\n    ", "return np.row_stack([1])", "\n", "return np.row_stack([1])"),
])
def test_guard(index: DeprecationIndex, before: str, text: str, after: str, shown: str | None) -> None:
    assert guard(Insertion(before, text, after), index).text == shown


def test_guard_says_why_it_dropped(index: DeprecationIndex) -> None:
    below = guard(Insertion("from numpy import row_stack\n\ndef f(a, b):\n    ", "return row_stack([a, b])",
                            "\n\ny = row_stack([1])\n"), index)
    assert below.text is None and below.reason == "the rewrite of numpy.row_stack edits text after the completion"
    across = guard(Insertion("import numpy as np\ny = np.row_", "stack([1])", "\n"), index)
    assert across.text is None and across.reason == "the rewrite of numpy.row_stack edits text across the cursor"
    advice = guard(Insertion("import pandas as pd\n\ndef f(df):\n    ", "return df.applymap(str)", "\n"), index)
    assert advice.text is None and advice.reason == "pandas.DataFrame.applymap has no exact rewrite"


def test_guard_keeps_what_the_project_ignores(index: DeprecationIndex) -> None:
    ins = Insertion(FUNC, "out = np.row_stack([a, b])", "\n")
    assert guard(ins, index, frozenset({"APIM001"})).text == "out = np.row_stack([a, b])"
    # a whole-file `# apimigrate: noqa` the user wrote counts as it does for diagnostics
    assert guard(Insertion("# apimigrate: noqa\n" + FUNC, ins.text, "\n"), index).text == ins.text


@pytest.mark.parametrize("completion, prefix, lines, cut", [
    ("out = f(a)\n    return out\n", "    ", 1, "out = f(a)"),
    ("out = f(a)\n    return out\n", "    ", 2, "out = f(a)\n    return out"),
    ("out = f(a,\n          b)\n    return", "    ", 1, "out = f(a,\n          b)"),  # brackets close first
    ("[a, b])\n", "    out = np.vstack(", 1, "[a, b])"),                                # opened before the cursor
    ("\n    out = f(a)\n", '    """Doc."""', 1, "\n    out = f(a)"),                     # from the end of a line
    ("return out\n\n\ndef g():\n", "    ", 3, "return out\n\n"),                      # the block ended
    ('x = """a\nb"""\n', "    ", 1, 'x = """a\nb"""'),                                  # a string goes on
    ("x = f(a", "    ", 1, None),                                                         # not there yet
])
def test_boundary(completion: str, prefix: str, lines: int, cut: str | None) -> None:
    assert boundary(completion, prefix, lines) == cut


def test_finish_keeps_whole_lines_only() -> None:
    assert finish("out = np.row_st", "    ", 1, ended=False) is None       # cut by the token limit
    assert finish("out = f(\n        a,\n        np.row_st", "    ", 1, ended=False) == "out = f(\n        a,"
    assert finish("x = 1", "    ", 1, ended=True) == "x = 1"              # the model's end token
    assert finish("\n\n   ", "    ", 1, ended=True) is None


def test_split_prompt() -> None:
    p = split_prompt('def f():\n    """Doc."""\n    ou')
    assert (p.head, p.forced, p.line_prefix) == ('def f():\n    """Doc."""', "\n    ou", "    ou")
    # a non-ASCII character stays given (a byte-level token cannot spell half of it)
    assert split_prompt("x = 1\ns = 'é' + f").forced == "' + f"
    long = "x = " + " + ".join(["a"] * 100)
    assert len(split_prompt("y = 1\n" + long).forced) < 170


def test_cursor_only_where_the_rest_of_the_line_is_closers() -> None:
    doc = Document.from_text("file:///a.py", 1, "import numpy as np\ny = np.vstack()\nz = 2\n")
    cur = cursor_in(doc, types.Position(line=1, character=14))
    assert cur is not None and (cur.before[-7:], cur.suffix, cur.after) == ("vstack(", ")", "\nz = 2\n")
    assert cursor_in(doc, types.Position(line=1, character=4)) is None         # code after the cursor
    assert cursor_in(doc, types.Position(line=9, character=0)) is None


def test_inline_settings() -> None:
    s = Settings().merged({"apimigrate": {"inlineCompletion": {"enabled": False, "model": "~/m", "maxNewTokens": "20",
                                                               "device": "gpu"}, "inlineCompletion.maxLines": 3}})
    assert (s.inline_enabled, s.inline_model, s.inline_max_new_tokens, s.inline_max_lines, s.inline_device) == (
        False, Path("~/m").expanduser(), 20, 3, "auto")
    assert s.problems == ["inlineCompletion.device must be auto, cpu or cuda, got 'gpu'"]
    # a later source clears the model (back to the registry); the other settings are unchanged
    t = s.merged({"inlineCompletion": {"model": None}, "severity": "hint"})
    assert t.inline_model is None and t.inline_max_lines == 3 and t.libraries == ()
    assert Settings().inline_enabled is None        # on when there is a model
    assert Settings().merged({"inlineCompletion.threads": 3}).inline_threads == 3
    assert Settings().merged({"inlineCompletion": {"threads": "x"}}).problems == [
        "inlineCompletion.threads must be an integer, got 'x'"]


def test_generation_runs_with_the_threads_the_settings_give() -> None:
    import torch

    from apimigrate.lsp.model_service import ModelService, default_threads
    service = ModelService(lambda _message: None)
    before = torch.get_num_threads()
    try:
        assert asyncio.run(service.generate(torch.get_num_threads, threads=default_threads() + 1)) \
            == default_threads() + 1
        assert asyncio.run(service.generate(torch.get_num_threads)) == default_threads()
        assert default_threads() == max(1, (os.cpu_count() or 2) // 2)
    finally:
        service.shutdown()
        torch.set_num_threads(before)


class _WaitingModel:
    """The model service's seam (spec, model, generate) with a model that writes one line, but
    only once its request is stopped or 5 s have passed: whatever happens lands mid-generation."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.finished = threading.Event()
        self.stopped_early: bool | None = None

    async def spec(self, *_args: object) -> object:
        return object()

    async def model(self, _spec: object) -> object:
        return object()

    async def generate(self, _fn: object, _model: object, _before: str, *, cancel: threading.Event,
                       **_options: object) -> str:
        def run() -> None:       # on its own thread, as the model runs: on even when its caller is cancelled
            self.stopped_early = cancel.wait(5)
            self.finished.set()
        self.started.set()
        await asyncio.to_thread(run)
        return "out = np.vstack([a, b])"


async def _generating(model: _WaitingModel) -> tuple[ApimigrateServer, asyncio.Future]:
    """A server with the stack document open, its model mid-generation for the cursor there."""
    ls = create_server()
    text, cursor = stack_doc(1)
    ls.docs[URI] = Document.from_text(URI, 1, text)
    ls._ready.set()
    ls.models = model
    answer = asyncio.ensure_future(ls.inline.complete(ls, params(cursor)))
    await asyncio.wait_for(model.started.wait(), 10)
    return ls, answer


async def test_a_cancelled_request_stops_its_model() -> None:
    model = _WaitingModel()
    _, answer = await _generating(model)
    answer.cancel()                     # what pygls does on the client's $/cancelRequest
    with pytest.raises(asyncio.CancelledError):
        await answer
    assert await asyncio.to_thread(model.finished.wait, 10)
    assert model.stopped_early is True


async def test_an_edit_during_generation_stops_the_model_and_drops_its_answer() -> None:
    model = _WaitingModel()
    ls, answer = await _generating(model)
    # The server's own didChange handler, as the edit of a client would reach it.
    on_change = ls.protocol.fm.features[types.TEXT_DOCUMENT_DID_CHANGE]
    on_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            text="# edited\n")]))
    assert (await asyncio.wait_for(answer, 20)).items == []
    assert model.stopped_early is True
    for task in ls._tasks.values():        # the check the edit scheduled
        task.cancel()
