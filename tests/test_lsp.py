"""End to end: `apimigrate lsp` as a subprocess, driven over stdio by pytest-lsp."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from apimigrate.db import Deprecation, Evidence, open_db

SERVER = [str(Path(sys.executable).with_name("apimigrate")), "lsp"]
TIMEOUT = 15.0
URI = "file:///project/example.py"

SOURCE = (
    "import numpy as np\n"
    "import pandas as pd\n"
    "\n"
    's = "😀"; y = np.row_stack([1, 2])\n'
    "df = pd.DataFrame()\n"
    "z = df.applymap(str)\n"
)


def seed(path: Path, *, with_product: bool = False) -> None:
    """A small real DB: two numpy functions and a pandas method, with evidence."""
    kb = open_db(path)
    deps = [
        Deprecation(
            library="numpy", api="numpy.row_stack", kind="function", replacement="numpy.vstack",
            since="2.0", message="`row_stack` alias is deprecated. Use `np.vstack` directly.", drop_in=True,
            evidence=[Evidence("warning", "numpy/lib/_shape_base_impl.py", 620, "2.0", "warnings.warn(...)"),
                      Evidence("changelog", "doc/release/2.0.0-notes.rst", 88, "2.0", "row_stack deprecated")],
        ),
        Deprecation(
            library="pandas", api="pandas.DataFrame.applymap", kind="method", replacement="pandas.DataFrame.map",
            since="2.1.0", message="DataFrame.applymap has been deprecated. Use DataFrame.map instead.", drop_in=True,
            evidence=[Evidence("changelog", "doc/source/whatsnew/v2.1.0.rst", 300, "2.1.0", "applymap")],
        ),
    ]
    deps.append(Deprecation(
        library="sklearn", api="sklearn.cluster.HDBSCAN", kind="parameter", parameter="copy", since="1.8",
        message="The default value of `copy` will change from False to True in 1.10.", usage=["default"],
        position=-1, evidence=[Evidence("warning", "sklearn/cluster/_hdbscan/hdbscan.py", 722, "1.8", "warn(...)")]))
    deps.append(Deprecation(
        library="sklearn", api="sklearn.tree.DecisionTreeRegressor", kind="parameter", parameter="criterion",
        since="1.9", message='Value `"friedman_mse"` for `criterion` is deprecated.', usage=["value"],
        values=["'friedman_mse'"], position=-1,
        evidence=[Evidence("warning", "sklearn/tree/_classes.py", 1347, "1.9", "warnings.warn(...)")]))
    if with_product:
        deps.append(Deprecation(
            library="numpy", api="numpy.product", kind="function", replacement="numpy.prod", since="1.25",
            removed_in="2.0", message="`product` is deprecated as of NumPy 1.25.0. Use `prod` instead.", drop_in=True,
            evidence=[Evidence("warning", "numpy/core/fromnumeric.py", 3780, "1.25.0", "warnings.warn(...)")],
        ))
    with kb.transaction():
        for dep in deps:
            kb.upsert_deprecation(dep, seen_in=dep.since)
        # Announced for a later version than the one scanned (numpy 2.4.6's stub says so).
        kb.upsert_deprecation(Deprecation(
            library="numpy", api="numpy.fix", kind="function", replacement="numpy.trunc", since="2.5",
            message="np.fix will be deprecated in NumPy 2.5 in favor of np.trunc", drop_in=True, pending=True,
            evidence=[Evidence("stub", "numpy/lib/_ufunclike_impl.pyi", 18, "2.4.6", "@deprecated(...)")]),
            seen_in="2.4.6")
    kb.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "kb.db"
    seed(path)
    return path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, db_path: Path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri="file:///project",
        initialization_options={"dbPath": str(db_path)},
    ))
    yield
    await lsp_client.shutdown_session()


# ---- helpers -------------------------------------------------------------------
async def until(pred: Callable[[], object], what: str, timeout: float = TIMEOUT) -> None:
    """Wait (bounded) until `pred()` holds: notifications arrive in their own time."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def diagnostics_where(client: LanguageClient, pred: Callable[[Sequence[types.Diagnostic]], bool],
                            what: str, uri: str = URI) -> list[types.Diagnostic]:
    await until(lambda: uri in client.diagnostics and pred(client.diagnostics[uri]), what)
    return list(client.diagnostics[uri])


def open_doc(client: LanguageClient, text: str, uri: str = URI, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))


def change(client: LanguageClient, version: int, l1: int, c1: int, l2: int, c2: int, text: str,
           uri: str = URI) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2)),
            text=text)]))


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 columns, all relative to `text`) the way an editor does."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        line = lines[pos.line]
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                break
            units += 2 if ord(ch) > 0xFFFF else 1
        else:
            i = len(line)
        return sum(len(l) + 1 for l in lines[: pos.line]) + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def edits_of(action: types.CodeAction) -> list[types.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        (doc_edit,) = action.edit.document_changes
        assert doc_edit.text_document.uri == URI
        return list(doc_edit.edits)
    return list(action.edit.changes[URI])


# ---- tests ---------------------------------------------------------------------
async def test_diagnostics_carry_tag_code_source_and_rewrite(client: LanguageClient) -> None:
    open_doc(client, SOURCE)
    diags = await diagnostics_where(client, lambda d: len(d) >= 2, "two diagnostics")
    row_stack = next(d for d in diags if "row_stack" in d.message)
    assert list(row_stack.tags) == [types.DiagnosticTag.Deprecated]
    assert row_stack.severity == types.DiagnosticSeverity.Warning
    assert row_stack.source == "apimigrate" and row_stack.code
    # Columns are UTF-16: the emoji before the call counts twice.
    line = SOURCE.split("\n")[3]
    start = line.index("np.row_stack") + 1
    assert row_stack.range.start == types.Position(line=3, character=start)
    assert row_stack.range.end == types.Position(line=3, character=start + len("np.row_stack"))
    assert row_stack.data["api"] == "numpy.row_stack" and row_stack.data["edits"]
    assert any("applymap" in d.message for d in diags)


async def test_parameter_usages_get_their_own_codes_and_hovers(client: LanguageClient) -> None:
    text = ("from sklearn.cluster import HDBSCAN\n"
            "from sklearn.tree import DecisionTreeRegressor\n"
            "HDBSCAN(min_cluster_size=5)\n"
            "HDBSCAN(copy=True)\n"
            "DecisionTreeRegressor(criterion='friedman_mse')\n"
            "DecisionTreeRegressor(criterion='squared_error')\n")
    open_doc(client, text)
    diags = await diagnostics_where(client, lambda d: len(d) >= 2, "two diagnostics")
    assert sorted((d.range.start.line, d.code) for d in diags) == [(2, "APIM004"), (4, "APIM002")]
    default = next(d for d in diags if d.code == "APIM004")
    assert not default.tags                  # nothing to strike through: the call is fine, its default moves
    assert "pass it explicitly" in default.message
    hov = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=4, character=25))), TIMEOUT)
    assert hov is not None and "Deprecated value" in hov.contents.value
    assert "criterion='friedman_mse'" in hov.contents.value


async def test_compatibility_code_is_a_hint_without_a_quick_fix(client: LanguageClient) -> None:
    text = ("import numpy as np\n"
            "stack = np.vstack if np.__version__ >= '2' else np.row_stack\n"
            "np.row_stack([a])\n")
    open_doc(client, text)
    diags = await diagnostics_where(client, lambda d: len(d) == 2, "two diagnostics")
    compat, plain = sorted(diags, key=lambda d: d.range.start.line)
    assert (compat.range.start.line, compat.severity, compat.tags) == (1, types.DiagnosticSeverity.Hint, None)
    assert "compatibility code" in compat.message and compat.data["edits"] == []
    assert plain.severity == types.DiagnosticSeverity.Warning and plain.data["edits"]
    hov = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=55))), TIMEOUT)
    assert hov is not None and "older versions of the library" in hov.contents.value


async def test_a_deprecation_only_announced_is_a_hint_not_struck_through(client: LanguageClient) -> None:
    open_doc(client, "import numpy as np\nnp.fix(a)\nnp.row_stack([a])\n")
    diags = await diagnostics_where(client, lambda d: len(d) == 2, "two diagnostics")
    pending, plain = sorted(diags, key=lambda d: d.range.start.line)
    assert (pending.range.start.line, pending.severity, pending.tags) == (1, types.DiagnosticSeverity.Hint, None)
    assert pending.message == "numpy.fix will be deprecated in 2.5; use numpy.trunc"
    assert pending.data["edits"]                       # np.trunc works today: the quick fix stays
    assert plain.severity == types.DiagnosticSeverity.Warning and list(plain.tags) == [types.DiagnosticTag.Deprecated]
    hov = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=4))), TIMEOUT)
    assert hov is not None and "Pending deprecation" in hov.contents.value
    assert "Deprecated from numpy 2.5 (the newest version scanned is 2.4.6)" in hov.contents.value


async def test_quick_fix_rewrites_the_call(client: LanguageClient) -> None:
    open_doc(client, SOURCE)
    diags = await diagnostics_where(client, lambda d: any("row_stack" in x.message for x in d), "row_stack")
    target = next(d for d in diags if "row_stack" in d.message)
    result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), range=target.range,
        context=types.CodeActionContext(diagnostics=[target]))), TIMEOUT)
    fixes = [a for a in result if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix]
    assert [a.is_preferred for a in fixes] == [True, None]     # the fix first; keeping the old API second
    fixed = apply_text_edits(SOURCE, edits_of(fixes[0]))
    assert 'y = np.vstack([1, 2])' in fixed and "row_stack" not in fixed
    assert fixes[1].title == "Ignore APIM001 on this line (# noqa)"
    assert apply_text_edits(SOURCE, edits_of(fixes[1])).split("\n")[3] == \
        's = "😀"; y = np.row_stack([1, 2])  # noqa: APIM001'


async def test_noqa_comments_silence_findings_as_they_are_typed(client: LanguageClient) -> None:
    open_doc(client, SOURCE)
    await diagnostics_where(client, lambda d: any("row_stack" in x.message for x in d), "row_stack")
    end = len(SOURCE.split("\n")[3].encode("utf-16-le")) // 2
    change(client, 2, 3, end, 3, end, "  # noqa: APIM003")      # another code: still reported
    await diagnostics_where(client, lambda d: any(x.data["version"] == 2 for x in d), "version 2")
    assert any("row_stack" in x.message for x in client.diagnostics[URI])
    change(client, 3, 3, end + 17, 3, end + 17, ", APIM001")
    quiet = await diagnostics_where(client, lambda d: not any("row_stack" in x.message for x in d), "silenced")
    assert any("applymap" in x.message for x in quiet)           # other lines keep theirs


async def test_fix_all_then_clean(client: LanguageClient) -> None:
    text = SOURCE + "w = np.row_stack([3])\n"
    open_doc(client, text)
    await diagnostics_where(client, lambda d: len(d) >= 3, "three diagnostics")
    result = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]))), TIMEOUT)
    (fix_all,) = [a for a in result if a.kind == "source.fixAll.apimigrate"]
    fixed = apply_text_edits(text, edits_of(fix_all))
    assert "row_stack" not in fixed and "np.vstack([3])" in fixed
    # The editor applies it; the server then finds nothing fixable left.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)]))
    await diagnostics_where(client, lambda d: not any("row_stack" in x.message for x in d), "row_stack fixed")


async def test_hover_explains_the_deprecation(client: LanguageClient) -> None:
    open_doc(client, SOURCE)
    await diagnostics_where(client, lambda d: len(d) >= 1, "diagnostics")
    col = SOURCE.split("\n")[3].index("row_stack") + 1 + 2   # inside the name, in UTF-16 units
    hov = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=3, character=col))), TIMEOUT)
    assert hov is not None
    text = hov.contents.value
    for needle in ("numpy.row_stack", "2.0", "numpy.vstack", "Use `np.vstack` directly",
                   "numpy/lib/_shape_base_impl.py:620", "changelog"):
        assert needle in text, needle
    nothing = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=2, character=0))), TIMEOUT)
    assert nothing is None


async def test_completion_tags_deprecated_members_and_sorts_them_last(client: LanguageClient) -> None:
    text = "import numpy as np\nnp.\n"
    open_doc(client, text)
    await diagnostics_where(client, lambda d: True, "first check")
    result = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=3))), TIMEOUT)
    items = {i.label: i for i in result.items}
    assert {"row_stack", "vstack"} <= set(items)
    assert list(items["row_stack"].tags) == [types.CompletionItemTag.Deprecated]
    assert "numpy.vstack" in items["row_stack"].detail
    assert not items["vstack"].tags
    ordered = sorted(result.items, key=lambda i: i.sort_text or i.label)
    assert ordered[-1].label == "row_stack"


async def test_configuration_changes_are_applied(client: LanguageClient) -> None:
    open_doc(client, SOURCE)
    await diagnostics_where(client, lambda d: len(d) == 2, "two diagnostics")
    # Only the changelog-backed pandas row (confidence 0.5) falls below 0.6; severity becomes Error.
    client.set_configuration({"severity": "error", "minConfidence": 0.6}, section="apimigrate")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    diags = await diagnostics_where(
        client, lambda d: len(d) == 1 and d[0].severity == types.DiagnosticSeverity.Error, "filtered, as errors")
    assert "row_stack" in diags[0].message
    client.set_configuration({"libraries": ["pandas"]}, section="apimigrate")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    diags = await diagnostics_where(client, lambda d: len(d) == 1 and "applymap" in d[0].message, "pandas only")


async def test_a_parametrized_callable_is_checked_as_each_value(client: LanguageClient) -> None:
    text = ("import pytest\nfrom sklearn.tree import DecisionTreeRegressor\n\n\n"
            '@pytest.mark.parametrize("Tree", [DecisionTreeRegressor])\n'
            "def test_tree(Tree):\n"
            '    Tree(criterion="friedman_mse")\n')
    open_doc(client, text)
    [diag] = await diagnostics_where(client, lambda d: len(d) == 1, "the parametrized call's value")
    assert (diag.range.start.line, diag.range.start.character) == (6, 9)        # the keyword
    assert "sklearn.tree.DecisionTreeRegressor" in diag.message and "friedman_mse" in diag.message
    # an edit inside the call re-checks it (the region holds the decorator too)
    change(client, 2, 6, 20, 6, 32, "squared_error")
    await diagnostics_where(client, lambda d: len(d) == 0, "another value")
    change(client, 3, 6, 20, 6, 33, "friedman_mse")
    await diagnostics_where(client, lambda d: len(d) == 1, "the deprecated value again")


async def test_db_change_is_picked_up_without_restart(client: LanguageClient, db_path: Path) -> None:
    text = "import numpy as np\nv = np.product([1, 2])\n"
    open_doc(client, text)
    await diagnostics_where(client, lambda d: len(d) == 0, "no diagnostics yet")
    seed(db_path, with_product=True)          # what a scan would do, in another process
    diags = await diagnostics_where(client, lambda d: len(d) == 1, "numpy.product after the DB changed")
    assert "numpy.product" in diags[0].message


async def test_incremental_edits_move_and_create_diagnostics(client: LanguageClient) -> None:
    open_doc(client, SOURCE)
    await diagnostics_where(client, lambda d: len(d) == 2, "two diagnostics")
    change(client, 2, 0, 0, 0, 0, "# header\n# more\n")                  # everything moves down two lines
    await diagnostics_where(client, lambda d: any(x.range.start.line == 5 and "row_stack" in x.message for x in d),
                            "row_stack on line 5")
    change(client, 3, 8, 0, 8, 0, "q = np.row_stack([9])\n")             # a new finding on a new line
    diags = await diagnostics_where(client, lambda d: len(d) == 3, "three diagnostics")
    assert sorted(d.range.start.line for d in diags if "row_stack" in d.message) == [5, 8]


def test_tcp_server_answers_initialize(db_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*SERVER, "--tcp", f"127.0.0.1:{port}", "--db", str(db_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        with conn:
            body = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}'
            conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            data = b""
            while b'"capabilities"' not in data:
                chunk = conn.recv(65536)
                assert chunk, "server closed the connection"
                data += chunk
        assert b'"codeActionProvider"' in data and b'"hoverProvider"' in data
    finally:
        proc.terminate()
        proc.wait(timeout=TIMEOUT)


# ---- settings from initializationOptions, pushed configuration ----------------------
@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def configured_client(lsp_client: LanguageClient, db_path: Path):
    # Settings only in initializationOptions; workspace/configuration has nothing to add.
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri="file:///project",
        initialization_options={"dbPath": str(db_path), "severity": "information", "libraries": ["numpy"]},
    ))
    yield
    await lsp_client.shutdown_session()


async def test_settings_from_initialization_options(configured_client: LanguageClient) -> None:
    client = configured_client
    open_doc(client, SOURCE)
    diags = await diagnostics_where(client, lambda d: len(d) == 1, "numpy only")
    assert "row_stack" in diags[0].message
    assert diags[0].severity == types.DiagnosticSeverity.Information
    # Settings pushed with didChangeConfiguration replace them (missing keys fall back).
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"apimigrate": {"severity": "hint"}}))
    diags = await diagnostics_where(
        client, lambda d: len(d) == 1 and d[0].severity == types.DiagnosticSeverity.Hint, "hint, numpy only")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"apimigrate": {"libraries": [], "enabled": False}}))
    await diagnostics_where(client, lambda d: len(d) == 0, "disabled")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"apimigrate": {"libraries": []}}))
    await diagnostics_where(client, lambda d: len(d) == 2, "enabled again, every library")


async def test_an_unknown_library_is_told_and_the_others_still_checked(configured_client: LanguageClient,
                                                                       db_path: Path) -> None:
    client = configured_client
    open_doc(client, SOURCE)
    await diagnostics_where(client, lambda d: len(d) == 1, "numpy only")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"apimigrate": {"libraries": ["nunpy", "Pandas"]}}))
    diags = await diagnostics_where(client, lambda d: len(d) == 1 and "applymap" in d[0].message, "pandas only")
    await until(lambda: any("'nunpy'" in m.message for m in client.messages), "the unknown library told")
    told = next(m.message for m in client.messages if "'nunpy'" in m.message)
    assert "no such library in the database" in told and "it holds numpy, pandas" in told
    # None known: nothing is checked (an empty selection would mean every library).
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"apimigrate": {"libraries": ["nunpy"]}}))
    await diagnostics_where(client, lambda d: len(d) == 0, "nothing selected")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def empty_db_client(lsp_client: LanguageClient, tmp_path: Path):
    open_db(tmp_path / "empty.db").close()
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri="file:///project",
        initialization_options={"dbPath": str(tmp_path / "empty.db")}))
    yield
    await lsp_client.shutdown_session()


async def test_an_empty_database_is_told(empty_db_client: LanguageClient) -> None:
    await until(lambda: any("is empty" in m.message for m in empty_db_client.messages), "the empty DB told")
    told = next(m.message for m in empty_db_client.messages if "is empty" in m.message)
    assert "apimigrate scan" in told


# ---- a 20,000-line file -------------------------------------------------------------
BIG_LINES = 20_000


def big_source() -> str:
    """A plausible 20,000-line module: functions with loops, comments, strings, one deprecated call in ten."""
    out = ["import numpy as np", "import pandas as pd", ""]
    i = 0
    while len(out) < BIG_LINES - 12:
        call = "np.row_stack([alpha, beta])" if i % 10 == 0 else "np.vstack([alpha, beta])"
        out += [f"def step_{i}(alpha, beta, frame):",
                f'    """Step {i}: stack, then summarise."""',
                f"    total = {call}  # stacked",
                "    for k in range(len(alpha)):",
                "        total = total + alpha[k] * 2",
                f"    label = f\"step {{k}} of {i}\"",
                "    return total, frame.describe(), label", ""]
        i += 1
    out += ["", "", "def last(alpha, beta):", "    return alpha + beta"]
    while len(out) < BIG_LINES:
        out.append("# end")
    return "\n".join(out) + "\n"


class Arrivals(dict):
    """client.diagnostics that also notes when each publish arrived."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.times: dict[str, float] = {}

    def __setitem__(self, key, value) -> None:
        self.times[key] = time.perf_counter()
        super().__setitem__(key, value)


async def test_20000_line_file_stays_responsive(client: LanguageClient) -> None:
    client.diagnostics = Arrivals(client.diagnostics)
    text = big_source()
    lines = text.split("\n")
    expected = sum("np.row_stack" in l for l in lines)
    t0 = time.perf_counter()
    open_doc(client, text)
    await diagnostics_where(client, lambda d: len(d) == expected, f"{expected} diagnostics", )
    open_s = time.perf_counter() - t0
    target = max(i for i, l in enumerate(lines) if "np.row_stack" in l)   # near the end of the file
    col = lines[target].index("np.row_stack")
    latencies: list[float] = []

    async def keystroke(version: int, l1: int, c1: int, l2: int, c2: int, new: str, pred, what: str) -> None:
        sent = time.perf_counter()
        change(client, version, l1, c1, l2, c2, new)
        await diagnostics_where(client, pred, what)
        latencies.append(client.diagnostics.times[URI] - sent)
        await asyncio.sleep(0.05)                                           # typing pace

    def row_stack_at(line: int, c: int):
        return lambda d: any(x.range.start == types.Position(line=line, character=c) for x in d)

    version = 1
    # Typing inside `total` (before the finding on its line): every key moves the finding.
    for k in range(1, 9):
        version += 1
        await keystroke(version, target, 8, target, 8, "x", row_stack_at(target, col + k), f"column {col + k}")
    for k in range(7, -1, -1):
        version += 1
        await keystroke(version, target, 8, target, 9, "", row_stack_at(target, col + k), f"column {col + k}")
    # A new line with a deprecated call, typed in one go, then removed: findings come and go.
    version += 1
    await keystroke(version, target + 1, 0, target + 1, 0, "    extra = np.row_stack([beta])\n",
                    lambda d: len(d) == expected + 1, "one more finding")
    version += 1
    await keystroke(version, target + 1, 0, target + 2, 0, "", lambda d: len(d) == expected, "back to the start")
    # Hover near the end of the file answers quickly too.
    t1 = time.perf_counter()
    hov = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=types.Position(line=target, character=col + 5))), TIMEOUT)
    hover_s = time.perf_counter() - t1
    assert hov is not None and "numpy.row_stack" in hov.contents.value
    latencies.sort()
    # Loose bounds (CI machines are slow and shared); benchmarks/lsp_latency.py has the real numbers.
    assert open_s < 10 and hover_s < 2, (open_s, hover_s)
    assert latencies[len(latencies) // 2] < 0.5 and latencies[-1] < 2.0, latencies
