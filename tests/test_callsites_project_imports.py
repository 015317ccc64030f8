"""Library names imported through the project's own modules (callsites/project.py).

Found by the audit of `check` on statsmodels 0.15: its tests import pandas' testing
functions from `statsmodels.compat.pandas`, which binds them at its top level
(`from pandas import testing`, `assert_index_equal = testing.assert_index_equal`), and 15
calls passing neither `exact` nor `check_freq` went unreported: each file was resolved
alone, and an import from the project's own module was foreign. The library below has
the shape of pandas' `testing` (a keyword deprecated by a warning under a sentinel default,
a function renamed), the project that of statsmodels' compat package.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, ProjectModules, find_references
from apimigrate.check import fix_file
from apimigrate.cli.main import app
from apimigrate.db import open_db
from scan_support import index_of, scan_library
from unlearn_support import write_tree

TESTING = '''\
import warnings

no_default = object()


def assert_index_equal(left, right, exact="equiv", check_names=True, check_less_precise=no_default):
    if check_less_precise is not no_default:
        warnings.warn(
            "The 'check_less_precise' keyword in testing.assert_*_equal is deprecated and will be "
            "removed in a future version. You can stop passing 'check_less_precise' to silence this warning.",
            FutureWarning,
            stacklevel=2,
        )


def makeDataFrame():
    warnings.warn("makeDataFrame is deprecated, use make_frame instead", DeprecationWarning, stacklevel=2)
    return make_frame()


def make_frame():
    return None
'''

FRAME = '''\
import warnings


class DataFrame:
    def map(self, func):
        return self

    def applymap(self, func):
        warnings.warn("DataFrame.applymap has been deprecated. Use DataFrame.map instead.",
                      FutureWarning, stacklevel=2)
        return self.map(func)
'''

LIBRARY = {"frames/__init__.py": "from frames import testing\nfrom frames.frame import DataFrame\n",
           "frames/testing.py": TESTING, "frames/frame.py": FRAME}
APPLYMAP = "frames.DataFrame.applymap"
KEYWORD = ("frames.testing.assert_index_equal", "check_less_precise")
RENAMED = "frames.testing.makeDataFrame"

# A project laid out like statsmodels: the compat package re-exports the library's names,
# through a relative import, an alias of the module and an assignment.
COMPAT = '''\
from frames import testing
from frames.testing import no_default as NO_DEFAULT

try:
    from frames.testing import makeDataFrame
except ImportError:                      # a release without it
    def makeDataFrame():
        return None

assert_index_equal = testing.assert_index_equal

if FLAG:                                  # two different things under a version test: unknown
    from frames.testing import make_frame as either
else:
    def either():
        return None


def helper():
    from frames.testing import assert_index_equal as inside     # not the module's top level
    return inside
'''
PROJECT = {
    "pyproject.toml": '[project]\nname = "mypkg"\n',
    "src/mypkg/__init__.py": "",
    "src/mypkg/compat/__init__.py": "from .tabular import testing, makeDataFrame\n",
    "src/mypkg/compat/tabular.py": COMPAT,
    "src/mypkg/core.py": (
        "from .compat.tabular import assert_index_equal\n"
        "\n"
        "def check(a, b):\n"
        "    assert_index_equal(a, b, check_less_precise=2)\n"          # 4: a relative import
    ),
    # a test folder that is no package, spelling no library name at all
    "tests/test_core.py": (
        "from mypkg.compat import testing as ft, makeDataFrame\n"
        "from mypkg.compat.tabular import assert_index_equal, either, helper\n"
        "\n"
        "def test_it():\n"
        "    assert_index_equal(1, 2, check_less_precise=True)\n"      # 5
        "    ft.assert_index_equal(1, 2, check_less_precise=True)\n"   # 6
        "    df = makeDataFrame()\n"                                    # 7: no fix: the compat module has no make_frame
        "    ft.makeDataFrame()\n"                                      # 8: the library's own module: renamed
        "    either(check_less_precise=1)\n"                            # unknown: not reported
        "    helper()(1, 2, check_less_precise=1)\n"
    ),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("frames")
    scan_library(tmp, "frames", "2.2.0", LIBRARY).close()
    return tmp / "k.db"


@pytest.fixture(scope="module")
def index(db) -> DeprecationIndex:
    return index_of(db)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", PROJECT)


def found(path: Path, index: DeprecationIndex, modules: ProjectModules | None = None) -> list[tuple[int, str, str]]:
    modules = modules or ProjectModules(index.libraries)
    refs = find_references(path.read_text(), index, project=modules.context(path))
    return sorted((r.line + 1, r.api, r.parameter or "") for r in refs)


def test_the_scanned_rows_are_the_ones_these_tests_rest_on(db):
    kb = open_db(db)
    try:
        rows = {(r["api"], r["parameter"] or None): r for r in kb.deprecations(["frames"])}
    finally:
        kb.close()
    assert KEYWORD in rows
    assert rows[(RENAMED, None)]["replacement"] == "frames.testing.make_frame"


def test_names_the_project_module_binds_are_the_library_names(project: Path, index: DeprecationIndex):
    assert found(project / "tests" / "test_core.py", index) == [
        (5, KEYWORD[0], KEYWORD[1]), (6, KEYWORD[0], KEYWORD[1]), (7, RENAMED, ""), (8, RENAMED, "")]
    assert found(project / "src" / "mypkg" / "core.py", index) == [(4, KEYWORD[0], KEYWORD[1])]
    # without the project, as before: nothing is known of these names
    assert find_references((project / "tests" / "test_core.py").read_text(), index) == []


def test_the_import_itself_is_not_reported_and_only_the_library_module_is_renamed(project: Path, index):
    refs = find_references((project / "tests" / "test_core.py").read_text(), index,
                           project=ProjectModules(index.libraries).context(project / "tests" / "test_core.py"))
    by_line = {r.line + 1: r for r in refs if r.api == RENAMED}
    assert set(by_line) == {7, 8}                  # not line 1, where the compat module is spelled
    assert by_line[7].rewrite is None              # `makeDataFrame` -> `make_frame` would be a NameError
    assert by_line[8].rewrite is not None          # `ft` is frames.testing itself


def test_fix_renames_through_the_library_module_only(project: Path, index: DeprecationIndex):
    path = project / "tests" / "test_core.py"
    result = fix_file(str(path), index)
    assert result.fixed == 1
    assert "    ft.make_frame()\n" in result.new_text
    assert "    df = makeDataFrame()\n" in result.new_text
    assert result.new_text.startswith(PROJECT["tests/test_core.py"].split("\n")[0])


def test_a_binding_that_is_not_plainly_the_library_one_is_unknown(tmp_path: Path, index: DeprecationIndex):
    root = write_tree(tmp_path / "p", {
        "setup.cfg": "",
        "pkg/__init__.py": "",
        "pkg/a.py": (
            "from frames.testing import assert_index_equal\n"
            "def assert_index_equal(*args, **kwargs):\n"          # redefined: the project's own
            "    pass\n"
            "from .b import assert_index_equal as via_b\n"
        ),
        "pkg/b.py": "from .a import assert_index_equal\n",        # a cycle would not end
        "pkg/c.py": "from .c import x\n",
        "pkg/use.py": (
            "from pkg.a import assert_index_equal, via_b\n"
            "from pkg.c import x\n"
            "from pkg.missing import y\n"
            "assert_index_equal(1, 2, check_less_precise=1)\n"
            "via_b(1, 2, check_less_precise=1)\n"
            "x(check_less_precise=1)\n"
            "y(check_less_precise=1)\n"
        ),
    })
    assert found(root / "pkg" / "use.py", index) == []


def test_a_changed_project_module_is_read_again(project: Path, index: DeprecationIndex):
    modules = ProjectModules(index.libraries)
    core = project / "src" / "mypkg" / "core.py"
    assert found(core, index, modules) == [(4, KEYWORD[0], KEYWORD[1])]
    compat = project / "src" / "mypkg" / "compat" / "tabular.py"
    compat.write_text(COMPAT.replace("assert_index_equal = testing.assert_index_equal\n",
                                     "def assert_index_equal(a, b, **kw):\n    pass\n"))
    assert modules.refresh() == 1                    # what the language server calls before each check
    assert found(core, index, modules) == []


def test_check_and_fix_on_the_project_folder(project: Path, db: Path, monkeypatch):
    monkeypatch.chdir(project)
    runner = CliRunner()
    result = runner.invoke(app, ["check", ".", "--db", str(db), "--format", "json", "-j", "1"])
    assert result.exit_code == 1, result.output
    got = sorted((f["path"], f["line"], f["parameter"] or f["api"]) for f in json.loads(result.stdout))
    assert got == [("src/mypkg/compat/tabular.py", 5, RENAMED),      # spelled there: the import itself
                   ("src/mypkg/core.py", 4, "check_less_precise"),
                   ("tests/test_core.py", 5, "check_less_precise"),
                   ("tests/test_core.py", 6, "check_less_precise"),
                   ("tests/test_core.py", 7, RENAMED),
                   ("tests/test_core.py", 8, RENAMED)]
    result = runner.invoke(app, ["fix", "tests", "--db", str(db), "-j", "1"])
    assert "    ft.make_frame()\n" in (project / "tests" / "test_core.py").read_text()


def test_imports_written_over_several_lines_or_after_a_colon(tmp_path: Path, index: DeprecationIndex):
    # a module is parsed only when the name asked for is spelled where an import may bind it
    root = write_tree(tmp_path / "p", {
        "setup.cfg": "",
        "pkg/__init__.py": "",
        "pkg/multi.py": (
            "from frames.testing import (\n"
            "    no_default,\n"
            "    assert_index_equal as aie,\n"
            ")\n"
            "from frames.testing import no_default as nd, \\\n"
            "    makeDataFrame\n"
            "if True: from frames import testing as t\n"
            "tm = ft = t\n"
        ),
        "pkg/use.py": (
            "from pkg.multi import aie, makeDataFrame, t, tm, ft\n"
            "aie(1, 2, check_less_precise=1)\n"
            "makeDataFrame()\n"
            "t.makeDataFrame()\n"
            "tm.makeDataFrame()\n"
            "ft.makeDataFrame()\n"
        ),
    })
    assert found(root / "pkg" / "use.py", index) == [(2, KEYWORD[0], KEYWORD[1]), (3, RENAMED, ""),
                                                     (4, RENAMED, ""), (5, RENAMED, ""), (6, RENAMED, "")]


# The project's own functions, annotated to return a library class, in another module.
IO = '''\
from typing import Optional

import frames as fr
from frames import DataFrame


def load(path) -> fr.DataFrame:
    return fr.DataFrame()


def load_maybe(path) -> Optional["DataFrame"]:
    return None


def load_any(path):
    return fr.DataFrame()


def load_many(paths) -> list[DataFrame]:
    return []


@cached
def load_cached(path) -> DataFrame:
    return DataFrame()
'''


def test_a_call_of_the_projects_annotated_function_gives_its_class(tmp_path: Path, index: DeprecationIndex):
    root = write_tree(tmp_path / "p", {
        "pyproject.toml": "",
        "pkg/__init__.py": "from .io import load as load_frame\n",
        "pkg/io.py": IO,
        "pkg/use.py": (
            "import frames\n"
            "from pkg import load_frame\n"
            "from .io import load, load_maybe, load_any, load_many, load_cached\n"
            "df = load('a')\n"
            "df.applymap(str)\n"                            # 5: exact, fixed
            "load_maybe('a').applymap(str)\n"               # 6: exact
            "load_frame('a').applymap(str)\n"               # 7: through the package's re-export
            "load_any('a').applymap(str)\n"                 # 8: unannotated: by name
            "load_many('a')[0].applymap(str)\n"             # 9: by name
            "load_cached('a').applymap(str)\n"              # 10: a decorator may change it: by name
            "def f(load):\n"
            "    return load('a').applymap(str)\n"          # 12: a parameter, not the import: by name
        ),
    })
    use = root / "pkg" / "use.py"
    modules = ProjectModules(index.libraries)
    refs = find_references(use.read_text(), index, project=modules.context(use))
    got = [(r.line + 1, r.api, r.by_name, r.rewrite is not None) for r in refs]
    assert got == [(5, APPLYMAP, False, True), (6, APPLYMAP, False, True), (7, APPLYMAP, False, True),
                   (8, APPLYMAP, True, False), (9, APPLYMAP, True, False), (10, APPLYMAP, True, False),
                   (12, APPLYMAP, True, False)]

    # a file that imports no library, only the project's function handing out its values
    alone = root / "pkg" / "alone.py"
    alone.write_text("from .io import load\n\ndf = load('a')\ndf.applymap(str)\n")
    got = [(r.line + 1, r.api, r.by_name) for r in find_references(alone.read_text(), index,
                                                                  project=modules.context(alone))]
    assert got == [(4, APPLYMAP, False)]
    result = fix_file(str(alone), index)             # the CLI's pre-check lets it through
    assert result.fixed == 1 and result.new_text.endswith("df.map(str)\n")
    # through the package, whose __init__ imports no library either
    alone.write_text("from pkg import load_frame\n\nload_frame('a').applymap(str)\n")
    result = fix_file(str(alone), index)
    assert result.fixed == 1 and result.new_text.endswith("load_frame('a').map(str)\n")


def test_an_installed_package_is_its_own_root(tmp_path: Path, index: DeprecationIndex):
    # a module beside site-packages is on no path of the package installed in it
    root = write_tree(tmp_path / "venv", {
        "pyproject.toml": "",
        "compat.py": "from frames.testing import assert_index_equal\n",
        "lib/site-packages/pkg/__init__.py": "",
        "lib/site-packages/pkg/use.py": "from compat import assert_index_equal\n"
                                        "assert_index_equal(1, 2, check_less_precise=1)\n",
        "lib/site-packages/pkg/own.py": "from pkg.helpers import assert_index_equal\n"
                                        "assert_index_equal(1, 2, check_less_precise=1)\n",
        "lib/site-packages/pkg/helpers.py": "from frames.testing import assert_index_equal\n",
    })
    site = root / "lib" / "site-packages" / "pkg"
    assert found(site / "use.py", index) == []
    assert found(site / "own.py", index) == [(2, KEYWORD[0], KEYWORD[1])]


# The same project's modules bound as names: `import mypkg.compat.tabular as tab`, `import
# mypkg.compat.tabular` (binds `mypkg`), `from mypkg import compat`, `from mypkg.compat import tabular`.
MODULES = (
    "import mypkg.compat.tabular as tab\n"
    "import mypkg.compat.tabular\n"
    "from mypkg import compat, core\n"
    "from mypkg.compat import tabular\n"
    "\n"
    "def test_it():\n"
    "    tab.assert_index_equal(1, 2, check_less_precise=True)\n"                  # 7
    "    mypkg.compat.tabular.assert_index_equal(1, 2, check_less_precise=True)\n"  # 8
    "    tabular.assert_index_equal(1, 2, check_less_precise=True)\n"               # 9
    "    compat.tabular.assert_index_equal(1, 2, check_less_precise=True)\n"        # 10
    "    core.assert_index_equal(1, 2, check_less_precise=True)\n"                  # 11: core's own import of it
    "    tab.makeDataFrame()\n"                                                     # 12: reported, not rewritten
    "    compat.makeDataFrame()\n"                                                  # 13: the package's re-export
    "    compat.testing.makeDataFrame()\n"                                          # 14: the library's module: renamed
    "    tab.either(check_less_precise=1)\n"                                        # two things under a test
    "    tab.helper()(1, 2, check_less_precise=1)\n"                                # a function's own import
    "    tab.missing.assert_index_equal(1, 2, check_less_precise=1)\n"              # bound nowhere
    "    core.check(1, 2, check_less_precise=1)\n"                                  # the project's own function
    "\n"
    "def test_shadowed(tab):\n"
    "    tab.assert_index_equal(1, 2, check_less_precise=True)\n"                   # a parameter
)


def test_a_project_module_bound_as_a_name_reaches_the_library_names(project: Path, index: DeprecationIndex):
    path = project / "tests" / "test_modules.py"
    path.write_text(MODULES)
    assert found(path, index) == [(line, KEYWORD[0], KEYWORD[1]) for line in (7, 8, 9, 10, 11)] + [
        (12, RENAMED, ""), (13, RENAMED, ""), (14, RENAMED, "")]
    refs = find_references(MODULES, index, project=ProjectModules(index.libraries).context(path))
    rewritten = {r.line + 1 for r in refs if r.rewrite is not None}
    assert rewritten == {14}                      # `tab.make_frame` would be an AttributeError
    # without the project, as before: nothing is known of these names
    assert find_references(MODULES, index) == []


def test_fix_and_check_through_a_project_module_bound_as_a_name(project: Path, db: Path, index, monkeypatch):
    path = project / "tests" / "test_modules.py"
    path.write_text(MODULES)
    result = fix_file(str(path), index)           # the CLI's pre-check lets the file through
    assert result.fixed == 1
    assert result.new_text == MODULES.replace("compat.testing.makeDataFrame()", "compat.testing.make_frame()")
    monkeypatch.chdir(project)
    listed = CliRunner().invoke(app, ["check", "tests/test_modules.py", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 1, listed.output
    assert [(f["line"], f["parameter"] or f["api"]) for f in json.loads(listed.stdout)] == [
        (7, KEYWORD[1]), (8, KEYWORD[1]), (9, KEYWORD[1]), (10, KEYWORD[1]), (11, KEYWORD[1]),
        (12, RENAMED), (13, RENAMED), (14, RENAMED)]
    # each form alone passes the pre-check (a file spelling no library name)
    for header, call in (("import mypkg.compat.tabular as tab\n", "tab.makeDataFrame()\n"),
                         ("import mypkg.compat.tabular\n", "mypkg.compat.tabular.makeDataFrame()\n"),
                         ("from mypkg import compat\n", "compat.makeDataFrame()\n"),
                         ("from mypkg.compat import tabular\n", "tabular.makeDataFrame()\n")):
        path.write_text(header + call)
        assert [(f["line"], f["api"]) for f in fix_file(str(path), index).findings] == [(2, RENAMED)], header


def test_a_project_module_whose_name_is_not_plainly_the_module_is_unknown(tmp_path: Path, index):
    root = write_tree(tmp_path / "p", {
        "setup.cfg": "",
        "pkg/__init__.py": "sub = None\nfrom . import other as alias\n",   # `sub` is not the submodule
        "pkg/sub.py": "from frames.testing import assert_index_equal\n",
        "pkg/other.py": "from frames.testing import assert_index_equal\n",
        "pkg/a.py": (
            "from frames.testing import assert_index_equal\n"
            "def assert_index_equal(*args, **kwargs):\n"          # redefined: the project's own
            "    pass\n"
        ),
        "pkg/use.py": (
            "from pkg import sub, alias\n"
            "import pkg.a as a\n"
            "import pkg\n"
            "sub.assert_index_equal(1, 2, check_less_precise=1)\n"     # 4: pkg.sub is None
            "a.assert_index_equal(1, 2, check_less_precise=1)\n"       # 5: the project's own
            "alias.assert_index_equal(1, 2, check_less_precise=1)\n"   # 6: `from . import other as alias`
            "pkg.alias.assert_index_equal(1, 2, check_less_precise=1)\n"   # 7: the same, through the package
            "pkg.sub.assert_index_equal(1, 2, check_less_precise=1)\n"     # 8: None again
            "def f():\n"
            "    a = object()\n"
            "    a.assert_index_equal(1, 2, check_less_precise=1)\n"   # a local
        ),
    })
    assert found(root / "pkg" / "use.py", index) == [(6, KEYWORD[0], KEYWORD[1]), (7, KEYWORD[0], KEYWORD[1])]


def test_a_class_reached_through_a_project_module_types_its_instances(tmp_path: Path, index: DeprecationIndex):
    root = write_tree(tmp_path / "p", {
        "setup.cfg": "",
        "pkg/__init__.py": "",
        "pkg/fc.py": "from frames import DataFrame\n",
        "pkg/use.py": (
            "import frames\n"
            "from . import fc\n"
            "df = fc.DataFrame()\n"
            "df.applymap(str)\n"                       # 4: the library's class: exact, fixed
            "fc.DataFrame().applymap(str)\n"           # 5
            "fc.DataFrame.applymap(df, str)\n"         # 6: through the class itself
        ),
    })
    use = root / "pkg" / "use.py"
    refs = find_references(use.read_text(), index, project=ProjectModules(index.libraries).context(use))
    assert [(r.line + 1, r.api, r.by_name, r.rewrite is not None) for r in refs] == [
        (4, APPLYMAP, False, True), (5, APPLYMAP, False, True), (6, APPLYMAP, False, True)]
    assert fix_file(str(use), index).new_text.count(".map(") == 3


# A project laid out like xarray's: its own Dataset class, and test helpers that build one.
OWN_CLASSES = {
    "pyproject.toml": "",
    "proj/__init__.py": "from proj.core.dataset import Dataset\nfrom proj.core.frame import MyFrame\n",
    "proj/core/__init__.py": "",
    "proj/core/common.py": "class AttrAccessMixin:\n    pass\n\n\nclass DataWithCoords(AttrAccessMixin):\n    pass\n",
    "proj/core/dataset.py": (
        "from collections.abc import Hashable, Mapping\n\n"
        "from proj.core.common import DataWithCoords\n\n\n"
        "class Dataset(DataWithCoords, Mapping[Hashable, object]):\n"
        "    def map(self, func):\n        return self\n"),
    "proj/core/frame.py": (
        "import frames as fr\n\nfrom proj.core.common import DataWithCoords\n\n\n"
        "class MyFrame(DataWithCoords, fr.DataFrame):\n    pass\n"),
    "proj/tests/__init__.py": (
        "from proj import Dataset, MyFrame\n\n\n"
        "def create_test_data(seed: int = 0) -> Dataset:\n    return Dataset()\n\n\n"
        "def create_frame() -> MyFrame:\n    return MyFrame()\n\n\n"
        "def create_any():\n    return Dataset()\n"),
    "proj/tests/test_dataset.py": (
        "import frames\n"
        "from proj.tests import create_test_data, create_frame, create_any\n\n\n"
        "def test_it():\n"
        "    data = create_test_data()\n"
        "    data.applymap(str)\n"                   # 7: the project's own Dataset: no library value
        "    create_test_data().applymap(str)\n"     # 8: the same, in place
        "    frame = create_frame()\n"
        "    frame.applymap(str)\n"                  # 10: the project's class deriving from the library's
        "    create_any().applymap(str)\n"           # 11: not annotated: by name
    ),
}


def test_a_call_of_the_projects_function_returning_its_own_class_is_no_library_value(tmp_path: Path, index):
    """xarray's tests: `data = create_test_data()` (imported from `xarray.tests`, annotated `-> Dataset`,
    xarray's own class) then `data.reindex(copy=False)` was matched by name as pandas' `reindex`,
    whose `copy` is deprecated. A class the project defines, none of whose bases is a library's
    (`Mapping[...]` is Python's), holds no library value; one deriving from a library class may."""
    root = write_tree(tmp_path / "p", OWN_CLASSES)
    use = root / "proj" / "tests" / "test_dataset.py"
    assert found(use, index) == [(10, APPLYMAP, ""), (11, APPLYMAP, "")]
    modules = ProjectModules(index.libraries)
    context = modules.context(use)
    assert [context.returns_own_class("proj.tests", name) for name in ("create_test_data", "create_frame",
                                                                        "create_any")] == [True, False, False]


# A project laid out like statsmodels: its results classes each define `summary()`, the name of a
# method pandas removed long ago (`Index.summary`), and its tests call it on values of unknown class.
SUMMARY_LIBRARY = {**LIBRARY, "frames/frame.py": FRAME + (
    "\n    def summary(self):\n"
    "        warnings.warn('DataFrame.summary is deprecated', FutureWarning, stacklevel=2)\n"
    "\n\nclass Grouper:\n"
    "    @property\n    def grouper(self):\n"
    "        warnings.warn('Grouper.grouper is deprecated', FutureWarning, stacklevel=2)\n\n"
    "    @property\n    def labels(self):\n"
    "        warnings.warn('Grouper.labels is deprecated', FutureWarning, stacklevel=2)\n"),
    "frames/__init__.py": LIBRARY["frames/__init__.py"] + "from frames.frame import Grouper\n"}
OWN_SUMMARY = {
    "pyproject.toml": "",
    "proj/__init__.py": "",
    "proj/regression/__init__.py": "",
    "proj/regression/results.py": "class Results:\n    def summary(self):\n        return ''\n",
    # seaborn 0.11.2's vendored six: a function under `if PY3:` is no member of any class
    "proj/external/__init__.py": "",
    "proj/external/six.py": "import sys\n\nif sys.version_info[0] == 3:\n    def applymap(d, **kw):\n        return d\n",
    # xarray's `ResolvedGrouper` dataclass field, an attribute set in `__init__`
    "proj/groupers.py": ("from dataclasses import dataclass\n\n\n@dataclass\nclass Resolved:\n    grouper: object\n\n\n"
                         "class Factorized:\n    def __init__(self, labels):\n        self.labels = labels\n\n\n"
                         # a parameter's numpydoc line and a parameter of a def over several lines: no members
                         "def table(\n    frame,\n    applymap: bool = False,\n):\n"
                         "    \"\"\"\n    Parameters\n    ----------\n    applymap : bool\n    \"\"\"\n"),
    "proj/tests/__init__.py": "",
    "proj/tests/test_results.py": (
        "import frames\n\n\n"
        "def test_it(model):\n"
        "    res = model.fit()\n"
        "    res.summary()\n"                          # 6: the project's own classes answer to it
        "    res.applymap(str)\n"                      # 7: no class of the project has one: by name
        "    frames.DataFrame().summary()\n"           # 8: a library value: its class decides
        "    res.grouper, res.labels\n"                # 9: the project's field and attribute
    ),
    "script_dir/run.py": "import frames\n\n\ndef go(res):\n    res.summary()\n",   # 5: a script's folder
    # no package: a script's subfolder is not its code (nor walked, were it a home folder)
    "script_dir/old/results.py": "class Results:\n    def summary(self):\n        return ''\n",
}


def test_a_member_the_projects_own_classes_define_is_not_matched_by_name(tmp_path: Path):
    """`res.summary()` in statsmodels' tests (`res = mod.fit()`): 397 findings of pandas' `Index.summary`,
    removed in 1.0, once a scan of pandas read the releases before 3.0. A name the project's own code
    defines a method under is not matched by name on a value of unknown class; a library value's
    class still decides, and a name no class of the project has is matched as before."""
    scan_library(tmp_path / "lib", "frames", "2.2.0", SUMMARY_LIBRARY).close()
    index = index_of(tmp_path / "lib" / "k.db")
    root = write_tree(tmp_path / "p", OWN_SUMMARY)
    summary = "frames.DataFrame.summary"
    assert found(root / "proj" / "tests" / "test_results.py", index) == [(7, APPLYMAP, ""), (8, summary, "")]
    assert found(root / "script_dir" / "run.py", index) == [(5, summary, "")]
    # without the project's context, as in an editor buffer with no file: by name
    src = (root / "proj" / "tests" / "test_results.py").read_text()
    assert [(r.line + 1, r.api) for r in find_references(src, index)] \
        == [(6, summary), (7, APPLYMAP), (8, summary), (9, "frames.Grouper.grouper"), (9, "frames.Grouper.labels")]


def test_the_library_s_own_code_defining_the_name_vetoes_nothing(tmp_path: Path):
    """Checked in the library's own checkout (its tests, as check_recall reads pandas'), the method the
    project defines is the very one the row deprecates: `res.summary()` there is matched by name
    (pandas' tests: 237 -> 264 of 703 deprecation blocks found); another project's is not."""
    scan_library(tmp_path / "lib", "frames", "2.2.0", SUMMARY_LIBRARY).close()
    index = index_of(tmp_path / "lib" / "k.db")
    test = "import frames\n\n\ndef test_it(model):\n    res = model.fit()\n    res.summary()\n"
    root = write_tree(tmp_path / "checkout", {**SUMMARY_LIBRARY, "pyproject.toml": "",
                                               "frames/tests/__init__.py": "", "frames/tests/test_frame.py": test})
    assert found(root / "frames" / "tests" / "test_frame.py", index) == [(6, "frames.DataFrame.summary", "")]
    other = write_tree(tmp_path / "other", {**OWN_SUMMARY, "proj/tests/test_results.py": test})
    assert found(other / "proj" / "tests" / "test_results.py", index) == []


def test_a_method_added_to_the_project_is_seen_after_a_refresh(tmp_path: Path):
    scan_library(tmp_path / "lib", "frames", "2.2.0", SUMMARY_LIBRARY).close()
    index = index_of(tmp_path / "lib" / "k.db")
    root = write_tree(tmp_path / "p", OWN_SUMMARY)
    modules = ProjectModules(index.libraries)
    use = root / "proj" / "tests" / "test_results.py"
    assert (7, APPLYMAP, "") in found(use, index, modules)
    results = root / "proj" / "regression" / "results.py"
    results.write_text(results.read_text() + "\n    def applymap(self, func):\n        return self\n")
    modules.refresh()
    assert (7, APPLYMAP, "") not in found(use, index, modules)


def test_class_members_are_read_from_the_lines_of_class_bodies():
    from apimigrate.callsites.project import class_members
    source = (b"if PY3:\n    def iteritems(d):\n        pass\n"
              b"class B(\n    Base,\n):\n    x: int = 3\n    def meth(self):\n        self.labels = 1\n"
              b"    def other(\n        self,\n        a: int = 1,\n    ) -> None:\n        pass\n"
              b"def table(\n    frame,\n    applymap: bool = False,\n):\n    \"\"\"\n    applymap : bool\n    \"\"\"\n")
    assert class_members(source) == {"x", "meth", "labels", "other"}
