"""The editor reads the project's `[tool.apimigrate]` as `apimigrate check` does (pytest-lsp over stdio):
its database and selection, ignored codes per file, excluded files, and a change to the file on disk."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from test_lsp import SERVER, SOURCE, change, diagnostics_where, open_doc, seed, until

CODES_ALL = ["APIM001", "APIM003"]     # SOURCE: np.row_stack (exact), df.applymap (by name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    for folder in ("src", "tests", "vendored"):
        (root / folder).mkdir()
    seed(root / "tools.db")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "proj"\n\n[tool.apimigrate]\ndb = "tools.db"\nexclude = ["vendored/"]\n'
        '[tool.apimigrate.per-file-ignores]\n"tests/**" = ["APIM003"]\n')
    return root


def _start(options: dict | None, table: str = ""):
    @pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
    async def client(lsp_client: LanguageClient, project: Path):
        if table:                            # before the server starts: nothing to notice later
            text = (project / "pyproject.toml").read_text()
            (project / "pyproject.toml").write_text(text.replace("[tool.apimigrate]\n", f"[tool.apimigrate]\n{table}"))
        await lsp_client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="proj")],
            initialization_options=options,
        ))
        yield
        await lsp_client.shutdown_session()
    return client


client = _start(None)
client_with_settings = _start({"libraries": ["numpy"]}, 'select = ["pandas"]\n')
client_project_select = _start(None, 'select = ["pandas"]\n')


def codes(diags) -> list[str]:
    return sorted(str(d.code) for d in diags)


@pytest.mark.asyncio
async def test_project_db_ignores_and_excludes(client: LanguageClient, project: Path):
    app, test, vendored = (project / "src" / "a.py", project / "tests" / "test_a.py", project / "vendored" / "v.py")
    for path in (app, test, vendored):
        open_doc(client, SOURCE, uri=path.as_uri())
    # The DB was found through the pyproject.toml: nothing else names it.
    got = await diagnostics_where(client, lambda d: len(d) == 2, "both findings in src", uri=app.as_uri())
    assert codes(got) == CODES_ALL
    got = await diagnostics_where(client, lambda d: len(d) == 1, "tests: APIM003 ignored", uri=test.as_uri())
    assert codes(got) == ["APIM001"]
    await until(lambda: vendored.as_uri() in client.diagnostics, "the excluded file answered")
    assert list(client.diagnostics[vendored.as_uri()]) == []

    # An edit of the file on disk is noticed without typing: every open file is checked again.
    text = (project / "pyproject.toml").read_text().replace('exclude = ["vendored/"]', 'ignore = ["APIM001"]')
    (project / "pyproject.toml").write_text(text)
    got = await diagnostics_where(client, lambda d: codes(d) == ["APIM003"], "APIM001 now ignored",
                                  uri=app.as_uri())
    await diagnostics_where(client, lambda d: codes(d) == ["APIM003"], "vendored no longer excluded",
                            uri=vendored.as_uri())
    await diagnostics_where(client, lambda d: codes(d) == [], "tests: both ignored", uri=test.as_uri())


@pytest.mark.asyncio
async def test_editor_settings_go_on_top(client_with_settings: LanguageClient, project: Path):
    assert 'select = ["pandas"]' in (project / "pyproject.toml").read_text()
    client = client_with_settings
    uri = (project / "src" / "a.py").as_uri()
    open_doc(client, SOURCE, uri=uri)
    # The project selects pandas, the editor says numpy: the editor wins; the DB still comes from the project.
    got = await diagnostics_where(client, lambda d: len(d) > 0, "numpy findings", uri=uri)
    assert codes(got) == ["APIM001"]


@pytest.mark.asyncio
async def test_the_project_selects_libraries(client_project_select: LanguageClient, project: Path):
    uri = (project / "src" / "a.py").as_uri()
    open_doc(client_project_select, SOURCE, uri=uri)
    got = await diagnostics_where(client_project_select, lambda d: len(d) > 0, "pandas findings", uri=uri)
    assert codes(got) == ["APIM003"]


@pytest.mark.asyncio
async def test_a_broken_table_is_told_once_and_nothing_is_left_out(client: LanguageClient, project: Path):
    sub = project / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.apimigrate]\nignore = ["APIM003"]\nexclud = ["x/"]\n')
    uri = (sub / "m.py").as_uri()
    open_doc(client, SOURCE, uri=uri)
    got = await diagnostics_where(client, lambda d: len(d) == 2, "every finding", uri=uri)
    assert codes(got) == CODES_ALL
    await until(lambda: any("unknown key(s) in [tool.apimigrate]: exclud" in m.message for m in client.messages),
                "the user told")
    start = next(d.range.start.character for d in got if d.code == "APIM001")
    for version in (2, 3, 4):               # typing: each keystroke checks again
        change(client, version, 3, 0, 3, 0, "q=1;", uri=uri)
    await diagnostics_where(client, lambda d: any(x.code == "APIM001" and x.range.start.character == start + 12
                                                  for x in d), "three edits", uri=uri)
    told = [m for m in client.messages if "project settings not used" in m.message]
    assert len(told) == 1 and str(sub / "pyproject.toml") in told[0].message
    logged = [m for m in client.log_messages if "project settings not used" in m.message]
    assert len(logged) == 1


@pytest.mark.asyncio
async def test_a_broken_file_keeps_the_last_valid_settings(client: LanguageClient, project: Path):
    # The table names the DB: ignoring it while the file is broken would fall back to the default
    # DB and drop every finding (and the per-file ignores) until the file is fixed.
    pyproject = project / "pyproject.toml"
    app, test = project / "src" / "a.py", project / "tests" / "test_a.py"
    for path in (app, test):
        open_doc(client, SOURCE, uri=path.as_uri())
    await diagnostics_where(client, lambda d: codes(d) == CODES_ALL, "both findings in src", uri=app.as_uri())
    await diagnostics_where(client, lambda d: codes(d) == ["APIM001"], "tests: APIM003 ignored", uri=test.as_uri())
    start = next(d.range.start.character for d in client.diagnostics[app.as_uri()] if d.code == "APIM001")
    valid = pyproject.read_text()

    version = 1
    for broken, told in ((valid.replace('["vendored/"]', '["vendored/"'), "not valid TOML"),     # mid-edit
                         (valid.replace("exclude =", "exclud ="), "unknown key(s)")):           # a typo
        pyproject.write_text(broken)
        await until(lambda: any(told in m.message for m in client.messages), f"the user told: {told}")
        await asyncio.sleep(1.0)           # the server's re-read has settled (a DB reload, before the fix)
        for _ in range(3):                 # typing: each keystroke checks again, with the same settings
            version += 1
            for path in (app, test):
                change(client, version, 3, 0, 3, 0, "q=1;", uri=path.as_uri())
        shifted = start + 4 * (version - 1)
        for path, want in ((app, CODES_ALL), (test, ["APIM001"])):
            got = await diagnostics_where(
                client, lambda d: any(x.code == "APIM001" and x.range.start.character == shifted for x in d),
                f"{path.name} checked after {told}", uri=path.as_uri())
            assert codes(got) == want
        assert len([m for m in client.messages if told in m.message]) == 1
        assert len([m for m in client.log_messages if told in m.message]) == 1
    assert not any("empty" in m.message for m in client.messages)

    # Valid again: its settings count from now on.
    pyproject.write_text(valid.replace('exclude = ["vendored/"]', 'ignore = ["APIM001"]'))
    await diagnostics_where(client, lambda d: codes(d) == ["APIM003"], "APIM001 now ignored", uri=app.as_uri())
    await diagnostics_where(client, lambda d: codes(d) == [], "tests: both ignored", uri=test.as_uri())


@pytest.mark.asyncio
async def test_a_library_name_imported_through_the_projects_module(client: LanguageClient, project: Path):
    # src/mypkg/compat.py binds numpy's row_stack; the open file spells no library at all
    (project / "src" / "mypkg").mkdir()
    (project / "src" / "mypkg" / "__init__.py").write_text("")
    (project / "src" / "mypkg" / "compat.py").write_text("from numpy import row_stack\n")
    uri = (project / "tests" / "test_b.py").as_uri()
    open_doc(client, "from mypkg.compat import row_stack\n\nrow_stack([1, 2])\n", uri=uri)
    got = await diagnostics_where(client, lambda d: len(d) == 1, "the call through the compat module", uri=uri)
    assert codes(got) == ["APIM001"] and got[0].range.start.line == 2
    # the project's module changed on disk: the next edit, even one that could not change a
    # finding by itself (a blank line: inert.py would only shift the findings), checks it all again
    (project / "src" / "mypkg" / "compat.py").write_text("def row_stack(xs):\n    return xs\n")
    change(client, 2, 1, 0, 1, 0, "\n", uri=uri)
    await diagnostics_where(client, lambda d: len(d) == 0, "the project's own row_stack", uri=uri)


@pytest.mark.asyncio
async def test_a_library_name_reached_through_the_projects_module_bound_as_a_name(client: LanguageClient,
                                                                                  project: Path):
    # `import mypkg.compat as c`: `c.rs` is numpy's row_stack, under the compat module's own name
    (project / "src" / "mypkg").mkdir()
    (project / "src" / "mypkg" / "__init__.py").write_text("")
    (project / "src" / "mypkg" / "compat.py").write_text("from numpy import row_stack as rs\n")
    uri = (project / "tests" / "test_c.py").as_uri()
    open_doc(client, "import mypkg.compat as c\n\nc.rs([1, 2])\n", uri=uri)
    got = await diagnostics_where(client, lambda d: len(d) == 1, "the call through the module's name", uri=uri)
    assert codes(got) == ["APIM001"] and got[0].range.start.line == 2
    assert got[0].data["edits"] == []                        # `c.vstack`: the compat module has no such name
    # one word typed into the name the module exports: no longer that name (not an edit that only
    # moves the findings, inert.py)
    change(client, 2, 2, 4, 2, 4, "x", uri=uri)
    await diagnostics_where(client, lambda d: len(d) == 0, "c.rsx is nothing the module binds", uri=uri)
    change(client, 3, 2, 4, 2, 5, "", uri=uri)
    await diagnostics_where(client, lambda d: len(d) == 1, "c.rs again", uri=uri)
