"""`apimigrate scan` end to end: a real-shaped local library across two versions, and the real CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan.runner import scan
from scan_support import rows_of, scan_library
from unlearn_support import write_tree

IMPL_V1 = '''\
import warnings

__all__ = ["old_func", "new_func"]


def new_func(x):
    return x


def old_func(x):
    warnings.warn(
        "`old_func` is deprecated since oldlib 1.0. "
        "Use `new_func` instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    return new_func(x)
'''

IMPL_V2 = '''\
__all__ = ["new_func"]


def new_func(x):
    return x
'''

FRAME = '''\
import warnings

from ._errors import OldlibDeprecationWarning


class Frame:
    def map(self, func):
        return func

    def applymap(self, func):
        warnings.warn(
            "Frame.applymap has been deprecated. Use Frame.map instead.",
            OldlibDeprecationWarning,
            stacklevel=2,
        )
        return self.map(func)

    def mean(self):
        warnings.warn("Frame.mean got a NaN", RuntimeWarning)
'''

ERRORS = '''\
class OldlibDeprecationWarning(FutureWarning):
    """Library-defined deprecation category."""
'''

CHANGELOG = '''\
oldlib 1.0.0 Release Notes
==========================

Deprecations
============

* ``oldlib.legacy_sum`` is deprecated, use ``oldlib.new_func`` instead.
'''


def make_lib(root: Path, version: str, impl: str) -> Path:
    pkg = root / "oldlib"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "oldlib"\nversion = "{version}"\n')
    names = "old_func, new_func" if "old_func" in impl else "new_func"
    (pkg / "__init__.py").write_text(f"from ._impl import {names}\nfrom .frame import Frame\n")
    (pkg / "_impl.py").write_text(impl)
    (pkg / "frame.py").write_text(FRAME)
    (pkg / "_errors.py").write_text(ERRORS)
    (pkg / "broken.py").write_text("def f(:\n    pass\n")
    (pkg / "latin.py").write_bytes(b"# caf\xe9\nx = 1\n")
    notes = root / "doc" / "source" / "release"
    notes.mkdir(parents=True)
    (notes / f"{version}.0-notes.rst").write_text(CHANGELOG)
    return root


def _rows(kb):
    return {r["api"]: r for r in kb.deprecations()}


def test_scan_local_library_public_names_replacements_and_skips(tmp_path):
    lib = make_lib(tmp_path / "v1", "1.0", IMPL_V1)
    kb = open_db(tmp_path / "k.db")
    [report] = scan(kb, [str(lib)], show_progress=False, workers=1)
    rows = _rows(kb)
    assert rows["oldlib.old_func"]["replacement"] == "oldlib.new_func"
    assert rows["oldlib.old_func"]["since"] == "1.0"
    assert rows["oldlib.Frame.applymap"]["replacement"] == "oldlib.Frame.map"   # library-defined category
    assert rows["oldlib.Frame.applymap"]["kind"] == "method"
    assert "oldlib.Frame.mean" not in rows                                       # RuntimeWarning is not a deprecation
    assert rows["oldlib.legacy_sum"]["since"] == "1.0.0"                          # from the changelog
    assert rows["oldlib.legacy_sum"]["replacement"] == "oldlib.new_func"
    skipped = dict(report.skipped)
    assert set(skipped) == {"oldlib/broken.py", "oldlib/latin.py"}
    assert "UTF-8" in skipped["oldlib/latin.py"]


def test_rescan_reads_only_changed_files_and_drops_stale_evidence(tmp_path):
    lib = make_lib(tmp_path / "v1", "1.0", IMPL_V1)
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(lib)], show_progress=False, workers=1)
    [again] = scan(kb, [str(lib)], show_progress=False, workers=1)
    assert again.read == 0 and again.unchanged == again.files
    (lib / "oldlib" / "frame.py").write_text("class Frame:\n    def map(self, f):\n        return f\n")
    [changed] = scan(kb, [str(lib)], show_progress=False, workers=1)
    assert changed.read == 1
    rows = _rows(kb)
    assert "oldlib.Frame.applymap" not in rows and "oldlib.old_func" in rows


def test_a_rescan_by_other_extractors_reads_every_file_again(tmp_path, monkeypatch):
    """A DB made before a fix of the scanner must get the fix on the next scan, though no file of
    the library changed: the cached facts are keyed by the extractors' code too."""
    import shutil

    from apimigrate.scan import extract
    package = Path(extract.__file__).parent
    copy = tmp_path / "scan"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert extract.extractors_code(copy) == extract.extractors_code(package)
    (copy / "python_source.py").write_text((copy / "python_source.py").read_text() + "\n# a fix\n")
    assert extract.extractors_code(copy) != extract.extractors_code(package)
    lib = make_lib(tmp_path / "v1", "1.0", IMPL_V1)
    kb = open_db(tmp_path / "k.db")
    [first] = scan(kb, [str(lib)], show_progress=False, workers=1)
    monkeypatch.setattr(extract, "FACTS_VERSION", b"facts-52:" + extract.extractors_code(copy))
    [again] = scan(kb, [str(lib)], show_progress=False, workers=1)
    assert again.read == first.read == again.files and again.unchanged == 0


def test_later_version_marks_vanished_api_removed(tmp_path):
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(make_lib(tmp_path / "v1", "1.0", IMPL_V1))], show_progress=False, workers=1)
    scan(kb, [str(make_lib(tmp_path / "v2", "2.0", IMPL_V2))], show_progress=False, workers=1)
    rows = _rows(kb)
    assert rows["oldlib.old_func"]["removed_in"] == "2.0"
    assert rows["oldlib.old_func"]["replacement"] == "oldlib.new_func"        # the row is kept
    assert rows["oldlib.Frame.applymap"]["removed_in"] is None               # still there in 2.0
    assert rows["oldlib.Frame.applymap"]["last_seen"] == "2.0"


# gonelib's functions; 1.0 has them all, 2.0 drops `gone` and `expired`.
GONE_DEFS = {
    "new_func": "def new_func(x):\n    return x\n",
    "gone": 'def gone(x):\n    warnings.warn("gone is deprecated, use new_func instead", DeprecationWarning)\n',
    "planned": 'def planned(x):\n    warnings.warn("planned is deprecated and will be removed in 3.0", '
               'DeprecationWarning)\n',
    "expired": 'def expired(x):\n    warnings.warn("expired is deprecated and will be removed in 1.5", '
               'DeprecationWarning)\n',
}


def test_a_removal_is_told_as_planned_done_or_seen_against_the_releases_scanned(tmp_path):
    """A removal version in the future is a plan ("to be removed in 3.0"); one the newest release
    scanned is past is done ("removed in 1.5"); one only observed, the first scanned release found
    without the API, says no more than that ("gone by 2.0": it may have gone in 1.x)."""
    kb = open_db(tmp_path / "k.db")
    for version, names in (("1.0", list(GONE_DEFS)), ("2.0", ["new_func", "planned"])):
        impl = "import warnings\n\n\n" + "\n\n".join(GONE_DEFS[n] for n in names)
        root = write_tree(tmp_path / version, {
            "pyproject.toml": f'[project]\nname = "gonelib"\nversion = "{version}"\n',
            "gonelib/__init__.py": f"from ._impl import {', '.join(names)}\n", "gonelib/_impl.py": impl})
        scan(kb, [str(root)], show_progress=False, workers=1)
    rows = _rows(kb)
    assert [(rows[f"gonelib.{n}"]["removed_in"], rows[f"gonelib.{n}"]["removal"])
            for n in ("gone", "planned", "expired")] == [("2.0", "gone"), ("3.0", "planned"), ("1.5", "removed")]
    kb.close()
    code = tmp_path / "use.py"
    code.write_text("import gonelib\ngonelib.gone(1)\ngonelib.planned(1)\ngonelib.expired(1)\n")
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(tmp_path / "k.db"), "--isolated"])
    assert "gonelib.gone is deprecated (gone by 2.0); use gonelib.new_func" in result.stdout, result.stdout
    assert "gonelib.planned is deprecated (to be removed in 3.0)" in result.stdout
    assert "gonelib.expired is deprecated (removed in 1.5)" in result.stdout
    as_json = CliRunner().invoke(app, ["check", str(code), "--db", str(tmp_path / "k.db"), "--isolated",
                                       "--format", "json"])
    assert [f["removal"] for f in json.loads(as_json.stdout)] == ["gone", "planned", "removed"]
    shown = CliRunner().invoke(app, ["db", "show", "gonelib.gone", "--db", str(tmp_path / "k.db")])
    assert "removed_in: 2.0" in shown.stdout and "removal: gone" in shown.stdout, shown.stdout
    export = CliRunner().invoke(app, ["db", "export", "--format", "ruff", "--db", str(tmp_path / "k.db")])
    assert '"gonelib.planned".msg = "gonelib.planned is deprecated; to be removed in 3.0"' in export.stdout, \
        export.stdout


def test_parallel_and_serial_scans_agree(tmp_path):
    lib = make_lib(tmp_path / "v1", "1.0", IMPL_V1)
    for i in range(70):  # enough files for the process pool to start
        (lib / "oldlib" / f"mod{i}.py").write_text(f"def f{i}():\n    return {i}\n")
    serial, parallel = open_db(tmp_path / "s.db"), open_db(tmp_path / "p.db")
    scan(serial, [str(lib)], show_progress=False, workers=1)
    scan(parallel, [str(lib)], show_progress=False, workers=2)
    strip = lambda kb: sorted((r["api"], r["replacement"], r["since"]) for r in kb.deprecations())  # noqa: E731
    assert strip(serial) == strip(parallel)


def test_cli_unknown_package_is_one_line_and_exit_2(tmp_path):
    res = subprocess.run([sys.executable, "-m", "apimigrate.cli.main", "scan", "no-such-dist-xyz",
                          "--db", str(tmp_path / "k.db")], capture_output=True, text=True)
    assert res.returncode == 2
    assert "no installed distribution named 'no-such-dist-xyz'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_cli_an_sdist_cut_short_is_one_line_and_exit_2(tmp_path):
    """A truncated .tar.gz raised EOFError from gzip, past the errors unpack caught: a traceback."""
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        data = b"def f():\n    pass\n" * 2000
        info = tarfile.TarInfo("cutlib-1.0/cutlib/__init__.py")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    sdist = tmp_path / "cutlib-1.0.tar.gz"
    sdist.write_bytes(buf.getvalue()[:-40])
    res = subprocess.run([sys.executable, "-m", "apimigrate.cli.main", "scan", str(sdist), "--db", str(tmp_path / "k.db")],
                         capture_output=True, text=True, env={**os.environ, "APIMIGRATE_CACHE": str(tmp_path / "cache")})
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().splitlines() == [res.stderr.strip()] and "cannot unpack cutlib-1.0.tar.gz" in res.stderr
    assert sdist.exists()          # the user's own file is left alone


def test_cli_corrupt_db_is_exit_2(tmp_path):
    bad = tmp_path / "k.db"
    bad.write_bytes(b"garbage" * 1000)
    res = CliRunner().invoke(app, ["db", "stats", "--db", str(bad)])
    assert res.exit_code == 2


def test_cli_scan_then_export(tmp_path):
    lib = make_lib(tmp_path / "v1", "1.0", IMPL_V1)
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    res = runner.invoke(app, ["scan", str(lib), "--db", db, "-q", "-j", "1"])
    assert res.exit_code == 0, res.output
    out = runner.invoke(app, ["db", "export", "--db", db, "--format", "jsonl"])
    recs = [json.loads(line) for line in out.stdout.splitlines()]
    rec = next(r for r in recs if r["api"] == "oldlib.old_func")
    assert rec["evidence"][0]["path"] == "oldlib/_impl.py" and rec["evidence"][0]["kind"] == "warning"
    show = runner.invoke(app, ["db", "show", "oldlib.Frame.applymap", "--db", db])
    assert "oldlib.Frame.map" in show.stdout
    assert runner.invoke(app, ["db", "show", "oldlib.nothing", "--db", db]).exit_code == 1


ERRORS_PENDING = '''\
class OldlibChangeWarning(Warning):
    pass


class OldlibPendingDeprecationWarning(OldlibChangeWarning, PendingDeprecationWarning):
    """Warning raised for an upcoming change that is a PendingDeprecationWarning."""


class Oldlib5Warning(OldlibPendingDeprecationWarning):
    """Deprecations that will be removed in oldlib 5.0."""
'''


def _pending_lib(root: Path, version: str, category: str) -> Path:
    """pandas-style warning classes (`Pandas5Warning` under a pending base), numpy.matrix's
    PendingDeprecationWarning, and a stub that announces a later version (numpy.fix)."""
    pkg = root / "oldlib"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "oldlib"\nversion = "{version}"\n')
    (pkg / "__init__.py").write_text("from ._core import Grid, shift, squash, trunc, fix\n")
    (pkg / "_errors.py").write_text(ERRORS_PENDING)
    (pkg / "_core.py").write_text(textwrap.dedent(f'''\
        import warnings

        from ._errors import Oldlib5Warning


        class Grid:
            def __new__(cls, data):
                warnings.warn("the Grid subclass is not the recommended way to hold data",
                              {category}, stacklevel=2)
                return object.__new__(cls)


        def shift(x):
            warnings.warn("shift is deprecated and will be removed in 5.0", Oldlib5Warning, stacklevel=2)
            return x


        def squash(x):
            """Squash.

            .. deprecated:: {version}
                Use `trunc` instead.
            """
            warnings.warn("squash will be deprecated", PendingDeprecationWarning, stacklevel=2)
            return x


        def trunc(x):
            return x


        def fix(x):
            return trunc(x)
        '''))
    (pkg / "_core.pyi").write_text(textwrap.dedent('''\
        from typing_extensions import deprecated

        class Grid: ...
        def shift(x): ...
        def squash(x): ...
        def trunc(x): ...
        @deprecated("oldlib.fix will be deprecated in oldlib 9.0 in favor of oldlib.trunc")
        def fix(x): ...
        '''))
    return root


def test_deprecations_only_announced_are_pending_until_a_newer_version_says_otherwise(tmp_path):
    from apimigrate.db import announced_for, is_pending
    kb = open_db(tmp_path / "k.db")
    v1 = _pending_lib(tmp_path / "v1", "1.0", "PendingDeprecationWarning")
    scan(kb, [str(v1)], show_progress=False, workers=1)
    rows = _rows(kb)
    assert rows["oldlib.Grid"]["pending"] == 1                 # PendingDeprecationWarning
    assert rows["oldlib.shift"]["pending"] == 1                # a library subclass of it, two levels down
    assert rows["oldlib.squash"]["pending"] == 0               # the docstring says deprecated now
    assert rows["oldlib.fix"]["since"] == "9.0" and rows["oldlib.fix"]["pending"] == 0
    assert announced_for(rows["oldlib.fix"]) == "9.0" and is_pending(rows["oldlib.fix"])
    assert not is_pending(rows["oldlib.squash"])
    cli = CliRunner()
    recs = {r["api"]: r for r in map(json.loads, cli.invoke(
        app, ["db", "export", "--db", str(tmp_path / "k.db"), "--format", "jsonl"]).stdout.splitlines())}
    assert {api: r["pending"] for api, r in recs.items()} == {
        "oldlib.Grid": True, "oldlib.shift": True, "oldlib.squash": False, "oldlib.fix": True}
    ruff = cli.invoke(app, ["db", "export", "--db", str(tmp_path / "k.db"), "--format", "ruff"]).stdout
    assert '"oldlib.fix".msg = "oldlib.fix will be deprecated in oldlib 9.0; use oldlib.trunc"' in ruff
    assert '"oldlib.Grid".msg = "oldlib.Grid is pending deprecation"' in ruff
    show = cli.invoke(app, ["db", "show", "oldlib.fix", "--db", str(tmp_path / "k.db")]).stdout
    assert "status: pending (deprecated from 9.0" in show
    # 2.0 makes Grid a DeprecationWarning: the newest version scanned decides ...
    scan(kb, [str(_pending_lib(tmp_path / "v2", "2.0", "DeprecationWarning"))], show_progress=False, workers=1)
    assert _rows(kb)["oldlib.Grid"]["pending"] == 0
    # ... and scanning the older version again does not take that back.
    (v1 / "oldlib" / "_core.py").write_text((v1 / "oldlib" / "_core.py").read_text() + "\n")
    scan(kb, [str(v1)], show_progress=False, workers=1)
    assert _rows(kb)["oldlib.Grid"]["pending"] == 0
    assert _rows(kb)["oldlib.shift"]["pending"] == 1


# numpy 1.26.4 `__init__.py`, cut down: `np.bool` and `np.ulong` exist only through `__getattr__`
# (a FutureWarning, then AttributeError); numpy 2 defines both as scalar types again.
SCALARS_V1 = '''\
import warnings

_msg = (
    "module 'numpy' has no attribute '{n}'.\\n"
    "`np.{n}` was a deprecated alias for the builtin `{n}`. "
    "To avoid this error in existing code, use `{n}` by itself.")
__former_attrs__ = {n: _msg.format(n=n) for n in ("bool", "float")}
__future_scalars__ = {"bool", "ulong"}


def __getattr__(attr):
    if attr in __future_scalars__:
        warnings.warn(
            f"In the future `np.{attr}` will be defined as the "
            "corresponding NumPy scalar.", FutureWarning, stacklevel=2)
    if attr in __former_attrs__:
        raise AttributeError(__former_attrs__[attr])
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
'''
SCALARS_V2 = '''\
from ._scalars import bool, ulong

__all__ = ["bool", "ulong"]
__former_attrs__ = {"float": "`np.float` was a deprecated alias for the builtin `float`."}


def __getattr__(attr):
    if attr in __former_attrs__:
        raise AttributeError(__former_attrs__[attr])
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
'''


# numpy 1.24.0's notes, which a pinned 1.26.4 reads from its sdist: the aliases' expiry, the
# same story as 1.26's table, told earlier.
SCALARS_NOTES = '''\
scalib 0.9.0 Release Notes
==========================

Expired deprecations
====================

* The deprecation of the aliases ``scalib.bool`` and ``scalib.float`` is expired; use ``bool``
  and ``float`` instead.
'''


def _scalar_lib(root: Path, version: str) -> Path:
    pkg = root / "scalib"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "scalib"\nversion = "{version}"\n')
    (pkg / "__init__.py").write_text(SCALARS_V1 if version == "1.0" else SCALARS_V2)
    if version == "1.0":
        notes = root / "doc" / "source" / "release"
        notes.mkdir(parents=True)
        (notes / "0.9.0-notes.rst").write_text(SCALARS_NOTES)
    else:
        (pkg / "_scalars.py").write_text("class bool:\n    pass\n\n\nclass ulong:\n    pass\n")
    return root


@pytest.mark.parametrize("order", [("1.0", "2.0"), ("2.0", "1.0")])
def test_a_name_a_newer_version_defines_again_is_withdrawn(tmp_path: Path, order: tuple[str, str]):
    kb = open_db(tmp_path / "k.db")
    reports = [scan(kb, [str(_scalar_lib(tmp_path / v, v))], show_progress=False, workers=1)[0] for v in order]
    rows = _rows(kb)
    # Served only by v1's __getattr__ (and told by its older release notes), defined for real in
    # v2: not deprecated for anyone on v2, and `fix` must not turn numpy 2's `np.bool(...)` into
    # the builtin `bool(...)`.
    assert "scalib.bool" not in rows and "scalib.ulong" not in rows
    assert rows["scalib.float"]["replacement"] == "builtins.float"       # still gone in 2.0
    assert sum(r.withdrawn for r in reports) == 2


def test_a_class_named_as_advice_for_a_parameter_is_no_new_keyword(tmp_path):
    """scikit-learn 1.5's LogisticRegression: "'multi_class' was deprecated ... Use
    OneVsRestClassifier(LogisticRegression(..)) instead." names a class of the library, not a
    keyword to pass instead (which `fix` would then write: `OneVsRestClassifier="ovr"`), while
    "'n_iter' ... use 'max_iter'" on a sibling estimator is one."""
    pkg = tmp_path / "skl" / "oldlib"
    pkg.mkdir(parents=True)
    (tmp_path / "skl" / "pyproject.toml").write_text('[project]\nname = "oldlib"\nversion = "1.5"\n')
    (pkg / "__init__.py").write_text("from ._logistic import LogisticRegression, TSNE\n"
                                     "from .multiclass import OneVsRestClassifier\n")
    (pkg / "multiclass.py").write_text("class OneVsRestClassifier:\n    def __init__(self, estimator):\n"
                                       "        self.estimator = estimator\n")
    (pkg / "_logistic.py").write_text(textwrap.dedent('''\
        import warnings


        class LogisticRegression:
            def __init__(self, C=1.0, multi_class="deprecated"):
                self.C = C
                self.multi_class = multi_class

            def fit(self, X, y):
                if self.multi_class == "ovr":
                    warnings.warn(
                        (
                            "'multi_class' was deprecated in version 1.5 and will be removed in"
                            " 1.7. Use OneVsRestClassifier(LogisticRegression(..)) instead."
                        ),
                        FutureWarning,
                    )
                return self


        class TSNE:
            def __init__(self, max_iter=None, n_iter="deprecated"):
                if n_iter != "deprecated":
                    warnings.warn("'n_iter' was renamed to 'max_iter' in version 1.5 and "
                                  "will be removed in 1.7.", FutureWarning)
                self.max_iter = max_iter
        '''))
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(tmp_path / "skl")], show_progress=False, workers=1)
    rows = {(r["api"], r["parameter"]): r for r in kb.deprecations()}
    multi = rows[("oldlib.LogisticRegression", "multi_class")]
    assert multi["new_parameter"] is None
    assert multi["replacement"] == "oldlib.OneVsRestClassifier"
    assert rows[("oldlib.TSNE", "n_iter")]["new_parameter"] == "max_iter"
    # A DB an earlier scanner filled wrongly is mended once the file is read again: every piece
    # of evidence the row stood on was withdrawn, so the row is rebuilt rather than merged.
    kb.db.execute("UPDATE deprecations SET new_parameter = 'OneVsRestClassifier', replacement = NULL "
                  "WHERE parameter = 'multi_class'")
    kb.db.conn.commit()
    logistic = pkg / "_logistic.py"
    logistic.write_text(logistic.read_text() + "\n")
    scan(kb, [str(tmp_path / "skl")], show_progress=False, workers=1)
    multi = {(r["api"], r["parameter"]): r for r in kb.deprecations()}[("oldlib.LogisticRegression", "multi_class")]
    assert (multi["new_parameter"], multi["replacement"]) == (None, "oldlib.OneVsRestClassifier")


SHIM = '''\
# This file is not meant for public use and will be removed in SciPy v2.0.0.
from scipy._lib.deprecation import _sub_module_deprecation

__all__ = [  # noqa: F822
    {names}
]


def __dir__():
    return __all__


def __getattr__(name):
    return _sub_module_deprecation(sub_package="stats", module="{module}",
                                   private_modules=["_{module}"], all=__all__,
                                   attribute=name)
'''


def test_a_shim_is_a_drop_in_only_for_the_names_its_new_home_has(tmp_path):
    """scipy 1.13: `scipy.stats.kde` lists `gaussian_kde` (public in scipy.stats) and helpers
    such as `logsumexp` (not there); `scipy.stats.mvn` lists only private Fortran routines."""
    root = tmp_path / "sci"
    stats = root / "scipy" / "stats"
    stats.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "scipy"\nversion = "1.13.1"\n')
    (root / "scipy" / "__init__.py").write_text("")
    (root / "scipy" / "_lib").mkdir()
    (root / "scipy" / "_lib" / "__init__.py").write_text("")
    (root / "scipy" / "_lib" / "deprecation.py").write_text("def _sub_module_deprecation(**kw):\n    pass\n")
    (stats / "__init__.py").write_text("from ._kde import gaussian_kde\nfrom ._morestats import shapiro\n"
                                       "__all__ = ['gaussian_kde', 'shapiro']\n")
    (stats / "_kde.py").write_text("from math import fsum as logsumexp\n\n\nclass gaussian_kde:\n    pass\n")
    (stats / "_morestats.py").write_text("def shapiro(x):\n    return x\n")
    (stats / "_mvn.py").write_text("def mvnun(*a):\n    pass\n")
    (stats / "kde.py").write_text(SHIM.format(names="'gaussian_kde', 'logsumexp'", module="kde"))
    (stats / "morestats.py").write_text(SHIM.format(names="'shapiro'", module="morestats"))
    (stats / "mvn.py").write_text(SHIM.format(names="'mvnun'", module="mvn"))
    # scipy 1.17's shims whose every name is gone: `__all__: list[str] = []`, nothing to move
    (stats / "biasedurn.py").write_text(SHIM.format(names="", module="biasedurn").replace(
        "__all__ = [  # noqa: F822\n    \n]", "__all__: list[str] = []"))
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(root)], show_progress=False, workers=1)
    rows = {r["api"]: r for r in kb.deprecations()}
    assert {api: (r["replacement"], bool(r["drop_in"])) for api, r in rows.items()} == {
        "scipy.stats.kde": ("scipy.stats", False),
        "scipy.stats.kde.gaussian_kde": ("scipy.stats.gaussian_kde", True),
        "scipy.stats.morestats": ("scipy.stats", True),      # every name lives on: the module moves
        "scipy.stats.mvn": ("scipy.stats", False),
        "scipy.stats.biasedurn": ("scipy.stats", False),     # all of none is no drop-in
    }
    assert rows["scipy.stats.kde.gaussian_kde"]["kind"] == "class"

    from apimigrate.callsites import DeprecationIndex
    from apimigrate.check import fix_source
    code = ("from scipy.stats import kde, mvn\n"
            "from scipy.stats.kde import gaussian_kde\n"
            "from scipy.stats import morestats\n"
            "a = kde.gaussian_kde(x)\nb = kde.logsumexp(x)\nc = mvn.mvnun(1, 2)\nd = morestats.shapiro(x)\n")
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    # the name's own row says it all: the shim module is not reported a second time
    from apimigrate.callsites import find_references
    assert [r.api for r in find_references(code, index) if r.line == 1] == ["scipy.stats.kde.gaussian_kde"]
    fixed, _, left = fix_source(code, index)
    assert fixed == ("from scipy.stats import kde, mvn\n"
                     "from scipy.stats import gaussian_kde\n"
                     "from scipy import stats\n"
                     "a = gaussian_kde(x)\nb = kde.logsumexp(x)\nc = mvn.mvnun(1, 2)\nd = stats.shapiro(x)\n")
    assert sorted((r.line, r.api) for r in left) == [
        (0, "scipy.stats.kde"), (0, "scipy.stats.mvn"), (4, "scipy.stats.kde"), (5, "scipy.stats.mvn")]


FILL_V1 = '''\
import warnings

__all__ = ["Frame", "fill", "shift", "pad", "Window", "Options", "read", "Splitter", "Made", "Shape"]


class Window:
    def __init__(self, obj, axis=0):
        if axis:
            warnings.warn("The 'axis' keyword in Window is deprecated.", FutureWarning)


class Options:
    def __init__(self, level=0):
        if level:
            warnings.warn("The 'level' keyword in Options is deprecated.", FutureWarning)


def read(path, verbose=False):
    if verbose:
        warnings.warn("The 'verbose' keyword in read is deprecated.", FutureWarning)


class Splitter:
    def __init__(self, labels=None):
        if labels is not None:
            warnings.warn("The 'labels' keyword in Splitter is deprecated.", FutureWarning)

    def transform(self, x, ridge_alpha="deprecated"):
        if ridge_alpha != "deprecated":
            warnings.warn("The 'ridge_alpha' keyword in Splitter.transform is deprecated.", FutureWarning)
        return x


class Made:
    def __init__(self, how=None):
        if how is not None:
            warnings.warn("The 'how' keyword in Made is deprecated.", FutureWarning)


class Shape:
    def __init__(self, kind=None):
        if kind is not None:
            warnings.warn("The 'kind' keyword in Shape is deprecated.", FutureWarning)


class Frame:
    def __init__(self, data, fastpath=False):
        if fastpath:
            warnings.warn("The 'fastpath' keyword is deprecated.", DeprecationWarning)
        self.data = data

    def fillna(self, value=None, method=None):
        if method is not None:
            warnings.warn("Frame.fillna with 'method' is deprecated. Use obj.ffill() instead.",
                          FutureWarning)
        return self


def fill(x, downcast=None):
    if downcast is not None:
        warnings.warn("The 'downcast' keyword is deprecated.", DeprecationWarning)
    return x


def shift(x, axis=0):
    if axis:
        warnings.warn("The 'axis' keyword is deprecated.", DeprecationWarning)
    return x


def pad(x, mode=None):
    if mode is not None:
        warnings.warn("The 'mode' keyword is deprecated.", DeprecationWarning)
    return x
'''
# 2.0: `fastpath`, `method` and `downcast` are gone, and so are Window's `axis` (it is called
# through BaseWindow.__init__), read's `verbose` (only its overload takes **kwds), Splitter's `labels`
# (no class of its MRO has a constructor: `object`'s takes nothing) and `transform`'s `ridge_alpha`
# (the base class's transform is called); `shift` takes
# **kwargs (anything may pass), `pad` still takes `mode` (its warning went, the keyword stayed) and
# the dataclass Options writes an `__init__` from fields the scan does not read, Made's is assigned
# from a call and Shape's comes from a class from elsewhere: none of those is gone.
FILL_V2 = '''\
from dataclasses import dataclass
from typing import Generic, NamedTuple, Unpack, overload

from ._init import _make_init

__all__ = ["Frame", "fill", "shift", "pad", "Window", "Options", "read", "Splitter", "Made", "Shape"]


class BaseWindow:
    def __init__(self, obj):
        self.obj = obj


class Window(BaseWindow):
    pass


@dataclass
class Options(BaseWindow):
    level: int = 0


@overload
def read(path, *, iterator: bool = ..., **kwds: Unpack[Shared]) -> Frame: ...
def read(path, *, iterator=False):
    return Frame(path)


class _BaseSplitter:
    def transform(self, x):
        return x


class Splitter(_BaseSplitter, Generic[T]):
    pass


class Made(_BaseSplitter):
    __init__ = _make_init("how")


class Shape(_BaseSplitter, NamedTuple):
    kind: str


class Frame:
    def __init__(self, data):
        self.data = data

    def fillna(self, value=None):
        return self


def fill(x):
    return x


def shift(x, **kwargs):
    return x


def pad(x, mode=None):
    return x
'''


@pytest.mark.parametrize("order", [("1.0", "2.0"), ("2.0", "1.0")])
def test_a_deprecated_keyword_the_newest_release_does_not_take_was_removed(tmp_path: Path, order):
    def lib(version: str) -> Path:
        root = tmp_path / version
        (root / "filllib").mkdir(parents=True)
        (root / "pyproject.toml").write_text(f'[project]\nname = "filllib"\nversion = "{version}"\n')
        (root / "filllib" / "__init__.py").write_text(FILL_V1 if version == "1.0" else FILL_V2)
        return root

    kb = open_db(tmp_path / "k.db")
    for v in order:
        scan(kb, [str(lib(v))], show_progress=False, workers=1)
    removed = {(r["api"], r["parameter"]): r["removed_in"] for r in kb.deprecations() if r["kind"] == "parameter"}
    assert removed == {("filllib.Frame", "fastpath"): "2.0", ("filllib.Frame.fillna", "method"): "2.0",
                       ("filllib.fill", "downcast"): "2.0", ("filllib.shift", "axis"): None,
                       ("filllib.pad", "mode"): None, ("filllib.Window", "axis"): "2.0",
                       ("filllib.Options", "level"): None, ("filllib.read", "verbose"): "2.0",
                       ("filllib.Splitter", "labels"): "2.0", ("filllib.Splitter.transform", "ridge_alpha"): "2.0",
                       ("filllib.Made", "how"): None, ("filllib.Shape", "kind"): None}


def test_a_keyword_release_notes_alone_deprecate_that_the_release_does_not_take_is_gone_by_it(tmp_path: Path):
    """scikit-learn 0.23's notes deprecate `KMeans(n_jobs=)`, which 1.9.1's KMeans does not take: a
    scan of 1.9.1 alone says "gone by 1.9.1" (when it went, no scanned release says), not
    "deprecated since 0.23.0", a call that fails. A keyword still taken, or one `**kwargs` may
    take, is left alone; so is one whose removal the notes date. A later scan that finds it
    stands (an older release scanned next dates it anew)."""
    notes = ("kmlib 0.23.0 Release Notes\n==========================\n\nDeprecations\n============\n\n"
             "* The ``n_jobs`` parameter of ``kmlib.KMeans`` is deprecated.\n"
             "* The ``verbose`` parameter of ``kmlib.KMeans`` is deprecated.\n"
             "* The ``tol`` parameter of ``kmlib.fit`` is deprecated.\n"
             "* The ``precompute`` parameter of ``kmlib.KMeans`` is deprecated and will be removed in 0.25.\n")
    code = ("class KMeans:\n    def __init__(self, n_clusters=8, verbose=0):\n        self.n_clusters = n_clusters\n\n\n"
            "def fit(X, **kwargs):\n    return X\n")
    kb = scan_library(tmp_path, "kmlib", "1.9.1", {"kmlib/__init__.py": code,
                                                   "doc/source/release/0.23.0-notes.rst": notes})
    rows = rows_of(kb, "kmlib")
    assert {p: (rows[(api, p)]["removed_in"], rows[(api, p)]["removal"])
            for api, p in [("kmlib.KMeans", "n_jobs"), ("kmlib.KMeans", "verbose"), ("kmlib.fit", "tol"),
                           ("kmlib.KMeans", "precompute")]} \
        == {"n_jobs": ("1.9.1", "gone"), "verbose": (None, None), "tol": (None, None), "precompute": ("0.25", "removed")}
    kb.close()
    use = tmp_path / "use.py"
    use.write_text("from kmlib import KMeans\n\nKMeans(n_jobs=2)\n")
    result = CliRunner().invoke(app, ["check", str(use), "--db", str(tmp_path / "k.db"), "--isolated"])
    assert "parameter 'n_jobs' of kmlib.KMeans is deprecated since 0.23.0 (gone by 1.9.1)" in result.stdout, result.stdout
    from apimigrate.callsites import find_references
    from apimigrate.lsp.hover import hover_text
    from apimigrate.lsp.knowledge import load
    from apimigrate.lsp.settings import Settings
    knowledge = load(tmp_path / "k.db", Settings())
    try:
        [ref] = find_references(use.read_bytes(), knowledge.index)
        assert "Since kmlib 0.23.0, gone by 1.9.1" in hover_text(ref, knowledge, markdown=False).splitlines()
    finally:
        knowledge.close()
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(tmp_path / "src")], show_progress=False, workers=1)       # a rescan keeps it
    assert rows_of(kb, "kmlib")[("kmlib.KMeans", "n_jobs")]["removal"] == "gone"
    # an older release scanned next that lacks it too dates it earlier; one before the notes says
    # nothing (the keyword may not have been there yet)
    for version, gone_by in (("0.20.0", "1.9.1"), ("1.5.0", "1.5.0")):
        old = write_tree(tmp_path / version, {"pyproject.toml": f'[project]\nname = "kmlib"\nversion = "{version}"\n',
                                              "kmlib/__init__.py": code})
        scan(kb, [str(old)], show_progress=False, workers=1)
        row = rows_of(kb, "kmlib")[("kmlib.KMeans", "n_jobs")]
        assert (row["removed_in"], row["removal"]) == (gone_by, "gone")
    kb.close()


RIDGE = '''\
import warnings


class _BaseRidgeCV:
    def __init__(self, alphas=(0.1, 1.0), store_cv_values="deprecated", store_cv_results=None):
        self.alphas = alphas

    @property
    def cv_values_(self):
        return self.cv_results_

    @property
    def best_score(self):
        return self.cv_results_.max()


class RidgeCV(_BaseRidgeCV):
    pass
'''

RIDGE_NOTES = '''\
ridgelib {version} Release Notes
============================

Deprecations
============

* `store_cv_values` and `cv_values_` are deprecated in favor of `store_cv_results` and
  `cv_results_` in ``ridgelib.RidgeCV``.
* The `alphas` parameter of ``ridgelib.RidgeCV`` is deprecated.
* The `best_score` keyword of ``ridgelib.RidgeCV`` is deprecated.
'''


@pytest.mark.parametrize("code_version, converted", [("1.5.2", True), ("1.7.0", False)])
def test_a_name_a_release_note_calls_a_keyword_that_the_class_has_as_a_property_is_an_attribute(
        tmp_path: Path, code_version: str, converted: bool):
    """scikit-learn 1.5: `cv_values_` is no keyword of RidgeCV (its constructor is inherited) but
    a property: the note deprecates the attribute, whose replacement pairs with it
    (`cv_results_`, not `store_cv_results`). For a name that is not a fitted attribute's
    (`best_score`), only the notes of the code's own release say so: a later release may have
    dropped the keyword and kept a like-named attribute (pandas 3's `PeriodIndex.year`)."""
    root = tmp_path / "lib"
    (root / "ridgelib").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "ridgelib"\nversion = "{code_version}"\n')
    (root / "ridgelib" / "__init__.py").write_text("from ._ridge import RidgeCV\n__all__ = ['RidgeCV']\n")
    (root / "ridgelib" / "_ridge.py").write_text(RIDGE)
    notes = root / "doc" / "source" / "release"
    notes.mkdir(parents=True)
    (notes / "1.5.0-notes.rst").write_text(RIDGE_NOTES.format(version="1.5.0"))
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(root)], show_progress=False, workers=1)
    rows = {(r["api"], r["parameter"]): r for r in kb.deprecations()}
    # keywords it takes stay keywords; the note gave each old name its own new one, so the
    # keyword is renamed although the sentence offers two names
    assert {("ridgelib.RidgeCV", "store_cv_values"), ("ridgelib.RidgeCV", "alphas")} <= set(rows)
    assert rows[("ridgelib.RidgeCV", "store_cv_values")]["new_parameter"] == "store_cv_results"
    assert rows[("ridgelib.RidgeCV", "alphas")]["new_parameter"] is None
    # named as a fitted attribute: one whatever release the code is of
    attr = rows[("ridgelib.RidgeCV.cv_values_", "")]
    assert (attr["kind"], attr["replacement"]) == ("attribute", "ridgelib.RidgeCV.cv_results_")
    assert ("ridgelib.RidgeCV", "cv_values_") not in rows
    if converted:
        assert rows[("ridgelib.RidgeCV.best_score", "")]["kind"] == "attribute"
        assert ("ridgelib.RidgeCV", "best_score") not in rows
    else:
        assert rows[("ridgelib.RidgeCV", "best_score")]["kind"] == "parameter"
        assert ("ridgelib.RidgeCV.best_score", "") not in rows


ESTLIB_INIT = """\
from ._ridge import RidgeCV, RidgeClassifierCV, FixedRidgeCV
from ._pls import PLSRegression, PLSCanonical
__all__ = ["RidgeCV", "RidgeClassifierCV", "FixedRidgeCV", "PLSRegression", "PLSCanonical"]
"""

ESTLIB_RIDGE = """\
import warnings


class _BaseRidgeCV:
    def __init__(self, alphas=(0.1, 1.0), store_cv_values="deprecated", store_cv_results=None):
        self.alphas = alphas
        self.store_cv_values = store_cv_values
        self.store_cv_results = store_cv_results

    def fit(self, X, y):
        if self.store_cv_values != "deprecated":
            warnings.warn(
                "'store_cv_values' is deprecated in version 1.5 and will be removed in 1.7. "
                "Use 'store_cv_results' instead.",
                FutureWarning,
            )
        return self

    @property
    def cv_values_(self):
        warnings.warn("Attribute `cv_values_` is deprecated in version 1.5 and will be removed in 1.7. "
                      "Use `cv_results_` instead.", FutureWarning)
        return self.cv_results_


class RidgeCV(_BaseRidgeCV):
    pass


class RidgeClassifierCV(_BaseRidgeCV):
    def __init__(self, alphas=(0.1, 1.0), class_weight=None, store_cv_values="deprecated", store_cv_results=None):
        super().__init__(alphas=alphas, store_cv_values=store_cv_values, store_cv_results=store_cv_results)
        self.class_weight = class_weight


class FixedRidgeCV(_BaseRidgeCV):
    def __init__(self, alphas=(0.1, 1.0)):
        super().__init__(alphas=alphas)

    @property
    def cv_values_(self):
        return None
"""

ESTLIB_PLS = '''\
class _PLS:
    def fit(self, X, y=None, Y=None):
        self.x_mean_ = X.mean()
        return self

    def transform(self, X, y=None, Y=None, copy=True):
        """Apply the dimension reduction.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples to transform.

        y : array-like of shape (n_samples, n_targets), default=None
            Target vectors.

        Y : array-like of shape (n_samples, n_targets), default=None
            Target vectors.

            .. deprecated:: 1.5
               `Y` is deprecated in 1.5 and will be removed in 1.7. Use `y` instead.
        """
        return X


class PLSRegression(_PLS):
    pass


class PLSCanonical(_PLS):
    def transform(self, X, y=None, Y=None, copy=True):
        return X
'''


def test_what_a_class_users_never_name_deprecates_is_deprecated_on_the_public_classes_that_have_it(tmp_path: Path):
    """scikit-learn 1.5 warns about `store_cv_values` in `_BaseRidgeCV.fit` and deprecates `Y`
    in `_PLS.transform`'s docstring: classes no user names. Each public subclass that takes the
    keyword (its own constructor hands it on, or it inherits the base's) or inherits the member
    gets the row; one that overrides the member, or whose constructor does not take the keyword,
    does not."""
    kb = scan_library(tmp_path, "estlib", "1.5.2", {"estlib/__init__.py": ESTLIB_INIT, "estlib/_ridge.py": ESTLIB_RIDGE,
                                                    "estlib/_pls.py": ESTLIB_PLS})
    rows = {(api, parameter or ""): r for (api, parameter), r in rows_of(kb, "estlib").items()}
    assert set(rows) == {("estlib.RidgeCV", "store_cv_values"), ("estlib.RidgeClassifierCV", "store_cv_values"),
                         ("estlib.RidgeCV.cv_values_", ""), ("estlib.RidgeClassifierCV.cv_values_", ""),
                         ("estlib.PLSRegression.transform", "Y")}
    for cls in ("RidgeCV", "RidgeClassifierCV"):
        assert rows[(f"estlib.{cls}", "store_cv_values")]["new_parameter"] == "store_cv_results"
        assert rows[(f"estlib.{cls}.cv_values_", "")]["replacement"] == f"estlib.{cls}.cv_results_"
    assert rows[("estlib.PLSRegression.transform", "Y")]["new_parameter"] == "y"
    [evidence] = kb.evidence_for(rows[("estlib.RidgeCV", "store_cv_values")]["id"])
    assert (evidence["path"], evidence["kind"]) == ("estlib/_ridge.py", "warning")


FITTED_NOTES = '''\
Version 0.24.0
==============

:mod:`ridgelib`
...............

- |API| Deprecates `cv_alphas_` in favor of `cv_results_['alphas']` and `grid_scores_` in favor of
  split scores in `cv_results_` in :class:`RidgeCV`. `cv_alphas_` and `grid_scores_` will be
  removed in version 1.1 (renaming of 0.26).
- |API| The ``store_covariances`` and ``covariances_`` parameters of :class:`RidgeCV` have been
  renamed to ``store_covariance`` and ``covariance_``.
- |API| The parameter ``lambda_`` of :class:`RidgeCV` is deprecated.
'''


def test_a_fitted_attribute_a_release_note_calls_a_keyword_is_an_attribute(tmp_path: Path):
    """scikit-learn's notes call `covariances_`, `grid_scores_` parameters: attributes `fit` sets
    (so no member the scan sees), named with a trailing underscore no keyword of the class has.
    A keyword that spells a Python word so (`lambda_`) stays a keyword, as does one the class takes."""
    # (the release takes the new keyword beside the old one, as a rename under deprecation does: a
    # new keyword the release does not take is no rename `fix` could write)
    ridge = RIDGE.replace('store_cv_results=None',
                          'store_cv_results=None, store_covariances=False, store_covariance=False')
    kb = scan_library(tmp_path, "ridgelib", "1.5.2", {
        "ridgelib/__init__.py": "from ._ridge import RidgeCV\n__all__ = ['RidgeCV']\n",
        "ridgelib/_ridge.py": ridge, "doc/whats_new/v0.24.rst": FITTED_NOTES})
    rows = rows_of(kb, "ridgelib")
    assert {(api, p, r["kind"], r["replacement"]) for (api, p), r in rows.items()} == {
        ("ridgelib.RidgeCV.cv_alphas_", None, "attribute", "ridgelib.RidgeCV.cv_results_"),
        ("ridgelib.RidgeCV.grid_scores_", None, "attribute", None),
        ("ridgelib.RidgeCV.covariances_", None, "attribute", "ridgelib.RidgeCV.covariance_"),
        ("ridgelib.RidgeCV", "store_covariances", "parameter", None),
        ("ridgelib.RidgeCV", "lambda_", "parameter", None)}
    assert rows[("ridgelib.RidgeCV", "store_covariances")]["new_parameter"] == "store_covariance"


def test_a_value_a_method_returns_as_itself_keeps_its_class(tmp_path: Path):
    """`p = PLSRegression().fit(X, y)` is a PLSRegression: scikit-learn's `fit` returns `self`
    with no annotation, so its deprecated keywords are found on `p` too."""
    scan_library(tmp_path, "estlib", "1.5.2", {"estlib/__init__.py": ESTLIB_INIT, "estlib/_ridge.py": ESTLIB_RIDGE,
                                               "estlib/_pls.py": ESTLIB_PLS}).close()
    code = tmp_path / "use.py"
    code.write_text("from estlib import PLSRegression\n\np = PLSRegression().fit(X, y)\nq = p.transform(X, Y=y)\n")
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(tmp_path / "k.db"), "--format", "json"])
    assert result.exit_code == 1, result.output
    [finding] = json.loads(result.stdout)
    assert (finding["line"], finding["api"], finding["parameter"]) == (4, "estlib.PLSRegression.transform", "Y")


SHAPES = {
    "pyproject.toml": '[project]\nname = "shapes"\nversion = "1.0"\n',
    "shapes/__init__.py": 'from shapes.core.frame import Frame\n\n__all__ = ["Frame"]\n',
    "shapes/core/__init__.py": "",
    "shapes/core/frame.py": "from shapes.core.generic import Base\n\n\nclass Frame(Base):\n    pass\n",
    "shapes/core/generic.py": '''import warnings


class Base:
    def fill(self, value=None, method=None):
        if method is not None:
            warnings.warn("The 'method' keyword in fill is deprecated", FutureWarning, stacklevel=2)
        return self
''',
}


@pytest.mark.parametrize("name", ["shapes.Frame.fill", "shapes.core.frame.Frame.fill", "shapes.Frame.fill(method=)"])
def test_db_show_finds_a_row_by_the_name_check_tells(tmp_path, name):
    # check says "parameter 'method' of shapes.Frame.fill"; the row is stored where fill is defined
    write_tree(tmp_path / "src", SHAPES)
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(tmp_path / "src"), "--db", db, "-q", "-j", "1"]).exit_code == 0
    [row] = open_db(db).deprecations()
    assert (row["api"], row["parameter"]) == ("shapes.core.generic.Base.fill", "method")
    show = runner.invoke(app, ["db", "show", name, "--db", db])
    assert show.exit_code == 0, show.output
    assert show.stdout.splitlines()[:2] == [f"{name} is shapes.core.generic.Base.fill",
                                            "shapes.core.generic.Base.fill (parameter method)"]
    assert runner.invoke(app, ["db", "show", "shapes.Frame.fill(value=)", "--db", db]).exit_code == 1


def test_json_gives_the_name_a_use_reaches_an_inherited_member_by(tmp_path):
    write_tree(tmp_path / "src", SHAPES)
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    assert runner.invoke(app, ["scan", str(tmp_path / "src"), "--db", db, "-q", "-j", "1"]).exit_code == 0
    (tmp_path / "use.py").write_text("import shapes\n\nshapes.Frame().fill(method='pad')\n")
    result = runner.invoke(app, ["check", str(tmp_path / "use.py"), "--db", db, "--isolated", "--format", "json"])
    [finding] = json.loads(result.stdout)
    assert (finding["api"], finding["name"], finding["parameter"]) == (
        "shapes.core.generic.Base.fill", "shapes.Frame.fill", "method")
    assert finding["message"].startswith("parameter 'method' of shapes.Frame.fill is deprecated")
    sarif = runner.invoke(app, ["check", str(tmp_path / "use.py"), "--db", db, "--isolated", "--format", "sarif"])
    [res] = json.loads(sarif.stdout)["runs"][0]["results"]
    assert res["properties"]["name"] == "shapes.Frame.fill"


def test_a_changelog_that_only_announces_makes_a_pending_row(tmp_path):
    # numpy 2.4.0 announced np.fix's deprecation without a version; with nothing in the source to say
    # more, the row is pending (hidden without --include-pending) and has no `since`
    notes = ("Deprecations\n============\n\n``np.fix`` is pending deprecation\n"
             "---------------------------------\n"
             "The ``numpy.fix`` function will be deprecated in a future release. It is\n"
             "recommended to use ``numpy.trunc`` instead.\n\n"
             "``np.trapz`` is deprecated\n--------------------------\n"
             "Use ``numpy.trapezoid`` instead.\n")
    kb = scan_library(tmp_path, "numpy", "2.4.0", {
        "numpy/__init__.py": "def fix(x):\n    return x\n\n\ndef trunc(x):\n    return x\n\n\n"
                             "def trapz(y):\n    return y\n\n\ndef trapezoid(y):\n    return y\n",
        "doc/source/release/2.4.0-notes.rst": notes})
    rows = rows_of(kb, "numpy")
    fix, trapz = rows[("numpy.fix", None)], rows[("numpy.trapz", None)]
    assert (fix["since"], fix["pending"], fix["replacement"]) == (None, 1, "numpy.trunc")
    assert (trapz["since"], trapz["pending"]) == ("2.4.0", 0)


def test_a_package_the_notes_recommend_is_another_distribution_not_a_namesake_module(tmp_path) -> None:
    """scipy 1.17.0's notes: "Users are suggested to use the ``odrpack`` package instead" of the
    deprecated `scipy.odr`, which has a submodule `odrpack`: that is no place to go."""
    from scan_support import scanned_rows
    notes = ("==========================\nTinySci 1.17.0 Release Notes\n==========================\n\n"
             "Deprecated features and future changes\n**************************************\n"
             "- The `tinysci.odr` module is deprecated in v1.17.0 and will be completely\n"
             "  removed in v1.19.0. Users are suggested to use the ``odrpack`` package instead.\n"
             "- The `tinysci.fit` module is deprecated in v1.17.0. Use the ``solve`` function of\n"
             "  `tinysci.linalg` instead.\n")
    rows = scanned_rows(tmp_path, "tinysci", "1.17.1", {
        "tinysci/__init__.py": "", "tinysci/odr/__init__.py": "from .odrpack import ODR\n",
        "tinysci/odr/odrpack.py": "class ODR:\n    pass\n", "tinysci/fit.py": "",
        "tinysci/linalg.py": "def solve(a, b):\n    pass\n",
        "doc/source/release/1.17.0-notes.rst": notes})
    odr = rows[("tinysci.odr", None)]
    assert (odr["replacement"], odr["drop_in"], odr["removed_in"]) == ("odrpack", 0, "1.19.0")
    # a function is this library's
    assert rows[("tinysci.fit", None)]["replacement"] == "tinysci.linalg.solve"


def test_a_removed_name_a_class_has_again_from_its_base_is_no_deprecation(tmp_path) -> None:
    """pandas 0.23 deprecated `Series.flags` (numpy's flags of the data), 1.0 removed it, and 1.2 gave
    every NDFrame a new `flags`: `s.flags` is no use of the removed property."""
    from scan_support import scanned_rows
    notes = ("What's new in 1.0.0 (January 29, 2020)\n--------------------------------------\n\n"
             "Removal of prior version deprecations/changes\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n\n"
             "- Removed the previously deprecated :attr:`Series.flags` and :attr:`Series.strides` (:issue:`20721`)\n")
    rows = scanned_rows(tmp_path, "tinypd", "1.2.0", {
        "tinypd/__init__.py": "from tinypd.series import Series\n__all__ = ['Series']\n",
        "tinypd/_generic.py": "class NDFrame:\n    @property\n    def flags(self):\n        return None\n",
        "tinypd/series.py": "from tinypd._generic import NDFrame\n\n\nclass Series(NDFrame):\n    pass\n",
        "doc/source/whatsnew/v1.0.0.rst": notes})
    assert ("tinypd.Series.flags", None) not in rows
    assert rows[("tinypd.Series.strides", None)]["removed_in"] == "1.0.0"
