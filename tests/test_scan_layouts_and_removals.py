"""Scan problems an audit found on libraries outside the tuned four (attrs, matplotlib, networkx,
xarray), each on a library of the same shape written here: the rows the scan stores and, where it
matters, what `check` reports on a user's call.

- a pinned release whose wheel installs several top-level packages reads all of them (attrs:
  `attr/` and `attrs/`; matplotlib: `mpl_toolkits/` and `pylab.py` beside `matplotlib/`);
- a package `__init__.pyi` that declares a name the `__init__.py` re-exports does not hide where
  the object lives (attrs' `assoc`, `set_run_validators`); a star-import hub (`pylab`) is no
  object's public home;
- a removal release is stamped only on an API some older scanned release still had (networkx
  3.4.2's release notes of APIs gone in 3.0 are not "removed in 3.6.1");
- a `.. deprecated::` directive under a parameter's entry deprecates any use of it unless its text
  says otherwise (matplotlib `boxplot(vert=)`, xarray `use_cftime=`), "*root* will default to
  False" is a default change, and an emphasised `*name*` is read as a keyword name.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.db import KnowledgeBase, open_db
from apimigrate.scan import runner
from apimigrate.scan.runner import scan
from scan_support import rows_of, scan_library
from unlearn_support import write_tree

# ---- attrs 24.2 / 26.1, cut down: the code is in `attr/`, `attrs/` re-exports it ----------------
ATTR_INIT = '''\
from . import validators
from ._config import get_run_validators, set_run_validators
from ._funcs import asdict, assoc, has
from ._make import attrib, attrs, evolve

s = attributes = attrs
ib = attr = attrib

__all__ = ["asdict", "assoc", "attr", "attrib", "attributes", "attrs", "evolve", "get_run_validators",
           "has", "ib", "s", "set_run_validators", "validators"]
'''
ATTR_STUB = '''\
from typing import Any, Callable, TypeVar

from . import validators as validators

_T = TypeVar("_T")

def attrs(maybe_cls: Any = ..., these: Any = ..., repr_ns: str | None = ...) -> Any: ...
def attrib(default: Any = ...) -> Any: ...
def asdict(inst: Any) -> dict[str, Any]: ...
def has(cls: type) -> bool: ...
def assoc(inst: _T, **changes: Any) -> _T: ...
def evolve(inst: _T, **changes: Any) -> _T: ...

# _config
def set_run_validators(run: bool) -> None: ...
def get_run_validators() -> bool: ...

s = attributes = attrs
ib = attr = attrib
'''
ATTR_CONFIG = '''\
__all__ = ["get_run_validators", "set_run_validators"]

_run_validators = True


def set_run_validators(run):
    """
    Set whether or not validators are run.  By default, they are run.

    .. deprecated:: 21.3.0 It will not be removed, but it also will not be
        moved to new ``attrs`` namespace. Use `attrs.validators.set_disabled()`
        instead.
    """
    global _run_validators
    _run_validators = run


def get_run_validators():
    """
    Return whether or not validators are run.

    .. deprecated:: 21.3.0 It will not be removed, but it also will not be
        moved to new ``attrs`` namespace. Use `attrs.validators.get_disabled()`
        instead.
    """
    return _run_validators
'''
ATTR_FUNCS = '''\
from ._make import fields


def asdict(inst):
    return {a.name: getattr(inst, a.name) for a in fields(inst.__class__)}


def has(cls):
    return getattr(cls, "__attrs_attrs__", None) is not None


def assoc(inst, **changes):
    """
    Copy *inst* and apply *changes*.

    .. deprecated:: 17.1.0
        Use `attrs.evolve` instead if you can.
        This function will not be removed du to the slightly different approach
        compared to `attrs.evolve`, though.
    """
    new = inst.__class__.__new__(inst.__class__)
    new.__dict__.update(inst.__dict__, **changes)
    return new
'''
ATTR_MAKE = '''\
def fields(cls):
    return cls.__attrs_attrs__


def attrib(default=None):
    return default


def attrs(maybe_cls=None, these=None, repr_ns=None):
    r"""
    A class decorator that adds dunder methods according to the specified attributes.

    Args:
        repr_ns (str):
            When using nested classes, there was no way in Python 2 to
            automatically detect that.  This argument allows to set a custom
            name for a more meaningful ``repr`` output.

    .. versionadded:: 18.2.0 *weakref_slot*
    .. deprecated:: 18.2.0
       ``__lt__``, ``__le__``, ``__gt__``, and ``__ge__`` now raise a
       `DeprecationWarning` if the classes compared are subclasses of
       each other. ``__eq`` and ``__ne__`` never tried to compared subclasses
       to each other.
    """
    if repr_ns is not None:
        import warnings

        warnings.warn(
            DeprecationWarning(
                "The `repr_ns` argument is deprecated and will be removed in or after August 2025."
            ),
            stacklevel=2,
        )
    return maybe_cls


def evolve(*args, **changes):
    """
    Create a new instance, based on the first positional argument with *changes* applied.

    .. versionadded:: 17.1.0
    .. deprecated:: 23.1.0
       It is now deprecated to pass the instance using the keyword argument
       *inst*. It will raise a warning until at least April 2024, after which
       it will become an error. Always pass the instance as a positional
       argument.
    .. versionchanged:: 24.1.0
       *inst* can't be passed as a keyword argument anymore.
    """
    inst = args[0]
    new = inst.__class__.__new__(inst.__class__)
    new.__dict__.update(inst.__dict__, **changes)
    return new
'''
ATTR_VALIDATORS = '''\
__all__ = ["get_disabled", "set_disabled"]


def set_disabled(disabled):
    from . import _config
    _config._run_validators = not disabled


def get_disabled():
    from . import _config
    return not _config._run_validators
'''
ATTRS_INIT = '''\
from attr import assoc, asdict, evolve, has

from . import validators

__all__ = ["asdict", "assoc", "evolve", "has", "validators"]
'''
ATTRS_VALIDATORS = "from attr.validators import *  # noqa: F403\n"

ATTR_PACKAGE = {"__init__.py": ATTR_INIT, "__init__.pyi": ATTR_STUB, "_config.py": ATTR_CONFIG,
                "_funcs.py": ATTR_FUNCS, "_make.py": ATTR_MAKE, "validators.py": ATTR_VALIDATORS}
ATTRS_PACKAGE = {"__init__.py": ATTRS_INIT, "validators.py": ATTRS_VALIDATORS}


def _attrs_files(prefix: str = "") -> dict[str, str]:
    return {**{f"{prefix}attr/{p}": t for p, t in ATTR_PACKAGE.items()},
            **{f"{prefix}attrs/{p}": t for p, t in ATTRS_PACKAGE.items()}}


def _wheel(where: Path, dist: str, version: str, files: dict[str, str], *, top_level: str | None = None) -> Path:
    """A wheel as an index serves it: the packages, and a .dist-info with METADATA and RECORD
    (hatchling writes no top_level.txt, setuptools and meson-python do)."""
    info = f"{dist}-{version}.dist-info"
    entries = {**files, f"{info}/METADATA": f"Metadata-Version: 2.3\nName: {dist}\nVersion: {version}\n",
               f"{info}/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    if top_level is not None:
        entries[f"{info}/top_level.txt"] = top_level
    entries[f"{info}/RECORD"] = "".join(f"{p},," + "\n" for p in [*entries, f"{info}/RECORD"])
    where.mkdir(parents=True, exist_ok=True)
    whl = where / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as zf:
        for path, text in entries.items():
            zf.writestr(path, text)
    return whl


@pytest.fixture
def pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`scan NAME==VERSION` served by the wheels given (nothing is fetched): wheels[(name, version)]."""
    wheels: dict[tuple[str, str], Path] = {}
    monkeypatch.setenv("APIMIGRATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(runner, "fetch_release", lambda name, version: (wheels[(name, version)], None))
    return wheels


def _references(kb: KnowledgeBase, code: str) -> list[tuple[int, str, str | None]]:
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    return sorted((r.line, r.api, r.parameter) for r in find_references(code, index))


# ---- S7: every top-level package of a pinned wheel ------------------------------------------------

def test_a_pinned_wheel_reads_every_package_its_record_lists(tmp_path: Path, pinned) -> None:
    # attrs 24.2.0's wheel (hatchling: RECORD, no top_level.txt) installs `attr/`, where the code
    # is, and `attrs/`; only `attrs/` is named like the distribution
    pinned[("attrs", "24.2.0")] = _wheel(tmp_path / "dl", "attrs", "24.2.0", _attrs_files())
    kb = open_db(tmp_path / "k.db")
    scan(kb, ["attrs==24.2.0"], show_progress=False, workers=1)
    read = set(kb.file_hashes("attrs", "24.2.0"))
    assert {"attr/__init__.py", "attr/__init__.pyi", "attr/_funcs.py", "attrs/__init__.py"} <= read
    rows = rows_of(kb, "attrs")
    assert rows[("attr.assoc", None)]["replacement"] == "attrs.evolve"
    assert rows[("attr.attrs", "repr_ns")]["usage"] == "any"


# matplotlib 3.8.4's wheel, cut down: top_level.txt lists `matplotlib`, `mpl_toolkits` (a namespace
# package, no __init__.py) and `pylab` (a module).
MPL_TOOLKITS_PROJ3D = '''\
import numpy as np

from matplotlib import _api


def world_transformation(xmin, xmax, ymin, ymax, zmin, zmax):
    return np.eye(4)


def rot_x(V, alpha):
    """Rotate V about the x axis."""
    import warnings
    warnings.warn("rot_x is deprecated since 3.8 and will be removed two minor releases later; "
                  "use a rotation matrix instead", DeprecationWarning, stacklevel=2)
    return V
'''


def test_a_pinned_wheel_reads_namespace_packages_and_modules_of_top_level_txt(tmp_path: Path, pinned) -> None:
    files = {"matplotlib/__init__.py": "", "matplotlib/_api.py": "",
             "matplotlib/pyplot.py": "def plot(*args, **kwargs):\n    pass\n",
             "mpl_toolkits/mplot3d/__init__.py": "from .axes3d import Axes3D\n",
             "mpl_toolkits/mplot3d/axes3d.py": "class Axes3D:\n    pass\n",
             "mpl_toolkits/mplot3d/proj3d.py": MPL_TOOLKITS_PROJ3D,
             "pylab.py": "from matplotlib.pyplot import *  # noqa: F403\n",
             "matplotlib.libs/libz.so": ""}
    pinned[("matplotlib", "3.8.4")] = _wheel(tmp_path / "dl", "matplotlib", "3.8.4", files,
                                             top_level="matplotlib\nmpl_toolkits\npylab\n")
    kb = open_db(tmp_path / "k.db")
    scan(kb, ["matplotlib==3.8.4"], show_progress=False, workers=1)
    read = set(kb.file_hashes("matplotlib", "3.8.4"))
    assert {"mpl_toolkits/mplot3d/proj3d.py", "pylab.py", "matplotlib/pyplot.py"} <= read
    assert ("mpl_toolkits.mplot3d.proj3d.rot_x", None) in rows_of(kb, "matplotlib")


def test_a_checkout_reads_the_packages_its_pyproject_builds(tmp_path: Path) -> None:
    # attrs' own pyproject: [tool.hatch.build.targets.wheel] packages = ["src/attr", "src/attrs"]
    pyproject = ('[project]\nname = "attrs"\nversion = "26.1.0"\n\n'
                 '[tool.hatch.build.targets.wheel]\npackages = ["src/attr", "src/attrs"]\n')
    kb = scan_library(tmp_path, "attrs", "26.1.0", {"pyproject.toml": pyproject, **_attrs_files("src/")})
    assert any(path.startswith("src/attr/") for path in kb.file_hashes("attrs", "26.1.0"))
    assert ("attr.set_run_validators", None) in rows_of(kb, "attrs")


# ---- S8: a stub's own declaration does not hide the code's re-export ------------------------------

def test_a_stub_declaring_a_re_exported_name_keeps_its_deprecation(tmp_path: Path, pinned) -> None:
    # attrs 26.1: attr/__init__.pyi declares `def assoc(...)`, `def set_run_validators(...)`;
    # attr/__init__.py imports them from the private `_funcs` / `_config`, where they warn.
    pinned[("attrs", "26.1.0")] = _wheel(tmp_path / "dl", "attrs", "26.1.0", _attrs_files())
    kb = open_db(tmp_path / "k.db")
    scan(kb, ["attrs==26.1.0"], show_progress=False, workers=1)
    rows = rows_of(kb, "attrs")
    assert rows[("attr.assoc", None)]["replacement"] == "attrs.evolve"
    assert rows[("attr.set_run_validators", None)]["replacement"] == "attrs.validators.set_disabled"
    # "... will not be moved to new ``attrs`` namespace": no drop-in (`disabled` is the inverse of `run`)
    assert not rows[("attr.set_run_validators", None)]["drop_in"]
    assert rows[("attr.get_run_validators", None)]["replacement"] == "attrs.validators.get_disabled"
    assert rows[("attr.attrs", "repr_ns")]["usage"] == "any"
    assert not [api for api, _ in rows if "._" in api]
    # attrs' directives about other names (``__lt__`` ...) or a way of calling (`inst=`) are no
    # rows of `attrs` / `evolve` (attr/_make.py:1383, :616): `attrs.evolve(x, a=1)` is no finding
    assert ("attr.attrs", None) not in rows and ("attr.evolve", None) not in rows
    code = ("import attr\nimport attrs\n"
            "c = attr.assoc(x, a=1)\n"
            "d = attrs.evolve(x, a=1)\n"
            "attr.set_run_validators(False)\n"
            "attr.attrs(repr_ns='ns')\n"
            "from attr._funcs import assoc\n"
            "assoc(x, a=2)\n")
    assert _references(kb, code) == [(2, "attr.assoc", None), (4, "attr.set_run_validators", None),
                                     (5, "attr.attrs", "repr_ns"), (6, "attr.assoc", None),
                                     (7, "attr.assoc", None)]


# matplotlib 3.11, cut down: pylab star-imports pyplot (and numpy); its paths are shorter.
MPL_PYPLOT = '''\
import warnings

__all__ = ["fill_between", "get_plot_commands", "plot"]


def plot(*args, **kwargs):
    pass


def fill_between(x, y1, y2=0, where=None):
    pass


def get_plot_commands():
    """Get a sorted list of all of the plotting commands."""
    warnings.warn("get_plot_commands is deprecated since 3.7; use plot instead",
                  DeprecationWarning, stacklevel=2)
    return ["plot"]
'''
MPL_COLLECTIONS = '''\
import warnings


class PolyCollection:
    @classmethod
    def span_where(cls, x, ymin, ymax, where, **kwargs):
        warnings.warn("span_where is deprecated since 3.7; use fill_between instead",
                      DeprecationWarning, stacklevel=2)
'''


def test_a_star_import_hub_is_no_public_home(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "mpl", "3.11.2", {
        "mpl/__init__.py": "", "mpl/pyplot.py": MPL_PYPLOT, "mpl/collections.py": MPL_COLLECTIONS,
        "mpl/pylab.py": "from mpl.pyplot import *  # noqa: F403\n"})
    rows = rows_of(kb, "mpl")
    assert ("mpl.pyplot.get_plot_commands", None) in rows
    assert ("mpl.pylab.get_plot_commands", None) not in rows
    assert rows[("mpl.collections.PolyCollection.span_where", None)]["replacement"] == "mpl.pyplot.fill_between"


# ---- S10: a removal is stamped only where an older release still had the API ----------------------

# networkx 3.4.2's doc/release/release_2.6.rst, cut down: `pagerank_numpy` went in 3.0; `old_layout`
# is still in 3.4.2 (its deprecation warns nowhere the scan reads) and gone in 3.6.1.
NX_RELEASE_2_6 = '''\
.. _networkx_2.6:

NetworkX 2.6
============

Release date: 08 July 2021

Deprecations
------------

- [`#4319 <https://github.com/networkx/networkx/pull/4319>`_]
  Deprecate ``pagerank_numpy``, ``pagerank_scipy``.
- [`#4449 <https://github.com/networkx/networkx/pull/4449>`_]
  Deprecate ``consume``.
- [`#4450 <https://github.com/networkx/networkx/pull/4450>`_]
  Deprecate ``old_layout``.
'''
NX_ALGORITHMS = '''\
import warnings

__all__ = ["pagerank"{extra}]


def pagerank(G, alpha=0.85):
    return {{}}
'''
NX_OLD = '''

def old_layout(G):
    return {}


def random_tree(n, seed=None):
    """Returns a uniformly random tree on `n` nodes."""
    warnings.warn("nx.random_tree is deprecated; use nx.random_labeled_tree instead", DeprecationWarning)
    return None
'''


def _release(kb: KnowledgeBase, root: Path, version: str, *, old: bool) -> None:
    algorithms = NX_ALGORITHMS.format(extra=', "old_layout", "random_tree"' if old else "")
    files = {"pyproject.toml": f'[project]\nname = "nxlib"\nversion = "{version}"\n',
             "nxlib/__init__.py": "from nxlib.algorithms import *\n",
             "nxlib/algorithms.py": algorithms + (NX_OLD if old else "")}
    if old:
        files["doc/release/release_2.6.rst"] = NX_RELEASE_2_6      # the older release's sdist
    scan(kb, [str(write_tree(root, files))], show_progress=False, workers=1)


@pytest.mark.parametrize("order", [("3.4.2", "3.6.1"), ("3.6.1", "3.4.2")])
def test_notes_of_apis_no_scanned_release_has_are_gone_by_the_oldest(tmp_path: Path, order) -> None:
    kb = open_db(tmp_path / "k.db")
    for version in order:
        _release(kb, tmp_path / version, version, old=version == "3.4.2")
    rows = {api: r for (api, _), r in rows_of(kb, "nxlib").items()}
    removed = {api: r["removed_in"] for api, r in rows.items()}
    # gone before 3.4.2, the oldest release scanned: not "removed in 3.6.1", but gone by 3.4.2 (seen,
    # not dated), whichever release is scanned first
    for api in ("nxlib.pagerank_numpy", "nxlib.consume"):
        assert (rows[api]["removed_in"], rows[api]["removal"]) == ("3.4.2", "gone")
    # 3.4.2 had it, 3.6.1 has not: 3.6.0 has not either (libraries remove in feature releases)
    assert removed["nxlib.old_layout"] == "3.6"
    assert removed["nxlib.random_tree"] == "3.6"        # warned in 3.4.2's source


# ---- S11: a directive under a parameter's entry -------------------------------------------------

MPL_AXES = '''\
class Axes:
    def boxplot(self, x, notch=None, sym=None, vert=None, orientation='vertical', whis=None):
        """
        Draw a box and whisker plot.

        Parameters
        ----------
        x : 1D array or sequence of 1D arrays
            The input data.

        vert : bool, optional
            .. deprecated:: 3.11
                Use *orientation* instead.

                If this is given during the deprecation period, it overrides
                the *orientation* parameter.

            If True, plots the boxes vertically.
            If False, plots the boxes horizontally.

        orientation : {'vertical', 'horizontal'}, default: 'vertical'
            If 'horizontal', plots the boxes horizontally.
            Otherwise, plots the boxes vertically.

            .. versionadded:: 3.10
        """
        return []

    def get_figure(self, root=None):
        """
        Return the `.Figure` or `.SubFigure` instance the (Sub)Figure belongs to.

        Parameters
        ----------
        root : bool, default=True
            If False, return the (Sub)Figure this artist is on.  If True,
            return the root Figure for a nested tree of SubFigures.

            .. deprecated:: 3.10

                From version 3.12 *root* will default to False.
        """
        return self
'''
# xarray 2026.9 backends/api.py and numpy 2.4 fft/_pocketfft.py, cut down
XR_API = '''\
def open_dataset(filename_or_obj, *, decode_times=None, use_cftime=None):
    """Open and decode a dataset from a file or file-like object.

    Parameters
    ----------
    filename_or_obj : str or Path
        Strings and Path objects are interpreted as a path to a netCDF file.
    decode_times : bool, CFDatetimeCoder or dict-like, optional
        If True, decode times encoded in the standard NetCDF datetime format.
    use_cftime: bool, optional
        Only relevant if encoded dates come from a standard calendar.

        .. deprecated:: 2025.01.1
           Please pass a :py:class:`coders.CFDatetimeCoder` instance initialized with ``use_cftime``
           to the ``decode_times`` kwarg instead.
    """
    return None


def fft2(a, s=None, axes=(-2, -1)):
    """Compute the 2-dimensional discrete Fourier Transform.

    Parameters
    ----------
    a : array_like
        Input array.
    s : sequence of ints, optional
        Shape (length of each transformed axis) of the output.

        .. deprecated:: 2.0

            If `s` is not ``None``, `axes` must not be ``None`` either.
    axes : sequence of ints, optional
        Axes over which to compute the FFT.
    """
    return a
'''
# attrs 26.1 _next_gen.py, cut down
ATTRS_DEFINE = '''\
def define(maybe_cls=None, *, these=None, unsafe_hash=None, hash=None, init=None):
    r"""
    A class decorator that adds dunder methods according to fields.

    Args:
        unsafe_hash (bool | None):
            If None (default), the ``__hash__`` method is generated according
            how *eq* and *frozen* are set.

        hash (bool | None):
            Deprecated alias for *unsafe_hash*. *unsafe_hash* takes precedence.

    .. deprecated:: 24.1.0 *hash* is deprecated in favor of *unsafe_hash*.
    """
    return maybe_cls
'''


def test_a_directive_under_a_parameter_deprecates_any_use_unless_it_says_otherwise(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "mpl", "3.11.2", {
        "mpl/__init__.py": "", "mpl/axes/__init__.py": "from ._axes import Axes\n__all__ = ['Axes']\n",
        "mpl/axes/_axes.py": MPL_AXES, "mpl/io.py": XR_API, "mpl/next_gen.py": ATTRS_DEFINE})
    rows = rows_of(kb, "mpl")
    vert = rows[("mpl.axes.Axes.boxplot", "vert")]
    # "Use *orientation* instead.": any use; the booleans do not carry over to 'vertical' /
    # 'horizontal', so *orientation* is no rename (and never an API to call instead)
    assert (vert["usage"], vert["new_parameter"], vert["replacement"]) == ("any", None, None)
    assert rows[("mpl.axes.Axes.get_figure", "root")]["usage"] == "default"
    assert rows[("mpl.io.open_dataset", "use_cftime")]["usage"] == "any"
    # a condition is no deprecation of the keyword
    assert rows[("mpl.io.fft2", "s")]["usage"] == "other"
    # "*hash* is deprecated in favor of *unsafe_hash*": the emphasised name is the new keyword
    define = rows[("mpl.next_gen.define", "hash")]
    assert (define["usage"], define["new_parameter"]) == ("any", "unsafe_hash")
    code = ("from mpl.axes import Axes\n"
            "from mpl.io import open_dataset\n"
            "ax = Axes()\n"
            "ax.boxplot([1, 2], vert=False)\n"
            "ax.boxplot([1, 2], orientation='horizontal')\n"
            "ds = open_dataset('x.nc', use_cftime=True)\n"
            "ds = open_dataset('x.nc')\n")
    assert _references(kb, code) == [(3, "mpl.axes.Axes.boxplot", "vert"),
                                     (5, "mpl.io.open_dataset", "use_cftime")]


# xarray 2026.9 computation/apply_ufunc.py, cut down: a warning that moves the keyword elsewhere
XR_APPLY = '''\
import warnings


def apply_ufunc(func, *args, dask_gufunc_kwargs=None, output_sizes=None, meta=None):
    if meta is not None:
        warnings.warn(
            "``meta`` should be given in the ``dask_gufunc_kwargs`` parameter."
            " It will be removed as direct parameter in a future version.",
            FutureWarning,
            stacklevel=2,
        )
    return func(*args)
'''


def test_a_keyword_to_be_given_elsewhere_is_deprecated_in_any_use(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "xr", "2026.9.0", {"xr/__init__.py": "from .apply import apply_ufunc\n",
                                                            "xr/apply.py": XR_APPLY}), "xr")
    assert rows[("xr.apply_ufunc", "meta")]["usage"] == "any"


def test_a_checkout_s_build_outputs_are_skipped_at_its_top_only(tmp_path: Path) -> None:
    """SQLAlchemy keeps its changelogs in doc/build/changelog/: a `build` folder below the top is
    read; the top's `build/` and `dist/` (copies of the package, wheels) are not."""
    from apimigrate.scan.fetch import cache_dir
    from apimigrate.scan.targets import path_tree
    root = write_tree(tmp_path / "src", {
        "pyproject.toml": '[project]\nname = "sqlalchemy"\nversion = "2.0.36"\n',
        "lib/sqlalchemy/__init__.py": "", "lib/sqlalchemy/schema.py": "class Table:\n    pass\n",
        "doc/build/changelog/changelog_14.rst": "=============\n1.4 Changelog\n=============\n",
        "build/lib/sqlalchemy/schema.py": "class Table:\n    pass\n",
        "build/lib/doc/changelog.rst": "1.4 Changelog\n",         # a build's copy would count twice
        "dist/CHANGELOG.md": "# Changelog\n",
        "lib/sqlalchemy/__pycache__/schema.py": "", "extra/engine.py": "class Engine:\n    pass\n"})
    # a linked folder is not followed (it may loop, or lead out of the tree); a linked file is read
    (root / "lib" / "sqlalchemy" / "linked").symlink_to(root / "extra", target_is_directory=True)
    (root / "lib" / "sqlalchemy" / "engine.py").symlink_to(root / "extra" / "engine.py")
    files = path_tree(root, cache_dir=cache_dir()).files
    rels = {f.rel for f in files}
    assert "doc/build/changelog/changelog_14.rst" in rels
    assert not [rel for rel in rels if rel.startswith(("build/", "dist/"))], rels
    assert {(f.rel, f.module) for f in files if f.module} == {
        ("lib/sqlalchemy/__init__.py", "sqlalchemy"), ("lib/sqlalchemy/schema.py", "sqlalchemy.schema"),
        ("lib/sqlalchemy/engine.py", "sqlalchemy.engine")}


def test_a_bare_name_the_notes_place_nowhere_lives_where_its_replacement_does(tmp_path: Path) -> None:
    """scikit-learn 0.17's "The deprecated ``Ward`` and ``WardAgglomerative`` classes have been
    removed. Use :class:`cluster.AgglomerativeClustering`" made `sklearn.Ward`, a path no release had
    and no `from sklearn.cluster import Ward` matched; scipy 0.18's ``sph_jn`` likewise."""
    from scan_support import scanned_rows
    rows = scanned_rows(tmp_path, "tinylearn", "1.0.0", {
        "tinylearn/__init__.py": "from . import cluster, metrics\n\n\ndef top_func():\n    pass\n",
        "tinylearn/cluster/__init__.py": "class AgglomerativeClustering:\n    def fit(self, X):\n        pass\n",
        "tinylearn/metrics/__init__.py": "def roc_auc_score(y, s):\n    pass\n",
        "doc/whats_new/v0.17.rst": (
            "Version 0.17\n============\n\nAPI changes summary\n-------------------\n\n"
            "- The deprecated ``Ward`` and ``WardAgglomerative`` classes have been removed. Use\n"
            "  :class:`cluster.AgglomerativeClustering` instead.\n\n"
            "- The `auc_score` was renamed :func:`metrics.roc_auc_score`.\n\n"
            "- ``old_top`` has been removed. Use ``top_func`` instead.\n\n"
            "- ``old_med`` is deprecated in favour of ``numpy.median``.\n\n"
            "- ``old_fit`` is deprecated in favour of ``cluster.AgglomerativeClustering.fit``.\n\n"
            "- ``cluster.Ward2`` is deprecated. Use :class:`cluster.AgglomerativeClustering`.\n\n"
            "- The ``n`` parameter of ``gone_func`` is deprecated in favour of :func:`metrics.roc_auc_score`.\n\n"
            ":mod:`tinylearn.metrics`\n........................\n\n"
            "- |API| ``old_score`` is deprecated. Use :class:`cluster.AgglomerativeClustering` instead.\n"
            "- |API| In ``tinylearn.AgglomerativeClustering`` methods ``fit_old``, ``fit_older`` were renamed to\n"
            "  ``fit``. ``tinylearn.gone_mod.old_func`` and ``tinylearn.legacy.metrics.gone_fn`` are deprecated.\n"),
    })
    apis = {api for api, parameter in rows if parameter is None}
    assert {"tinylearn.cluster.Ward", "tinylearn.cluster.WardAgglomerative", "tinylearn.metrics.auc_score"} <= apis
    # a replacement at the top, in another library or in a class says nothing of a module
    assert {"tinylearn.old_top", "tinylearn.old_med", "tinylearn.old_fit"} <= apis
    assert not {"tinylearn.Ward", "tinylearn.auc_score"} & apis
    # a name the notes place (`cluster.`), and a parameter's host, stay where they are written
    assert "tinylearn.cluster.Ward2" in apis and ("tinylearn.gone_func", "n") in rows
    assert "tinylearn.metrics.old_score" in apis       # the heading's module
    # a member written under a path its class never had is the class's (scipy 1.4's
    # `scipy.spatial.Rotation.from_dcm`); a module that is gone, or one named like a module of the
    # release, is no class
    assert {"tinylearn.cluster.AgglomerativeClustering.fit_old", "tinylearn.gone_mod.old_func",
            "tinylearn.legacy.metrics.gone_fn"} <= apis
    assert rows[("tinylearn.cluster.AgglomerativeClustering.fit_old", None)]["replacement"] \
        == "tinylearn.cluster.AgglomerativeClustering.fit"
    assert rows[("tinylearn.cluster.Ward", None)]["replacement"] == "tinylearn.cluster.AgglomerativeClustering"


@pytest.mark.parametrize("last_had, first_without, expected", [
    ("2.3.3", "3.0.6", "3.0"),        # `scan pandas --since 2.3`: applymap went in 3.0, not in 3.0.6
    ("2.3.3", "3.0.0", "3.0.0"),      # the feature release itself was scanned
    ("3.0.1", "3.0.6", "3.0.6"),      # a patch that removed it: the patch
    (None, "1.2.3", "1.2.3"),
    ("1.26.4", "2.0.2", "2.0"),
    ("2024.1", "2024.2.1", "2024.2"),
])
def test_a_removal_seen_in_a_later_patch_dates_to_its_feature_release(last_had, first_without, expected) -> None:
    from apimigrate.scan.runner import removal_release
    assert removal_release(last_had, first_without) == expected
