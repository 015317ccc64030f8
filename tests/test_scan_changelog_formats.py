"""Changelog layouts of libraries beyond numpy, pandas, scipy and scikit-learn, on real excerpts.

Each passage below is copied verbatim from the file and release named above it (whole entries,
cut between entries). A small library defining the APIs the passage names is written on the spot
and scanned, with the passage at the path it has in that library's sdist, into a real database;
the rows are what `check` would report. Expectations come from what the notes say.
"""
from __future__ import annotations

from pathlib import Path

from apimigrate.db import KnowledgeBase, open_db
from apimigrate.scan.changelog import extract_changelog, is_changelog_path, version_from_path
from apimigrate.scan.fetch import cache_dir
from apimigrate.scan.runner import scan_tree
from apimigrate.scan.targets import SourceFile, path_tree
from scan_support import rows_of
from unlearn_support import write_tree


def scan_with_notes(tmp_path: Path, name: str, version: str, code: dict[str, str],
                    notes: dict[str, str]) -> KnowledgeBase:
    """`code` as the library's checkout, plus `notes` at the paths they have in its sdist.

    The notes are added to the tree directly, as the changelog benchmarks do: SQLAlchemy keeps
    its changelog under ``doc/build/``, a folder the checkout walker skips as a build output."""
    root = write_tree(tmp_path / "src", {"pyproject.toml": f'[project]\nname = "{name}"\nversion = "{version}"\n',
                                         **code})
    tree = path_tree(root, cache_dir=cache_dir())
    for rel, text in notes.items():
        assert is_changelog_path(rel), rel
        path = tmp_path / "notes" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        tree.files.append(SourceFile(path=path, rel=rel))
    kb = open_db(tmp_path / "k.db")
    scan_tree(kb, tree, workers=1)
    return kb


def changelog_rows(kb: KnowledgeBase, library: str) -> dict[tuple[str, str | None], dict]:
    return {key: row for key, row in rows_of(kb, library).items()
            if any(e["kind"] == "changelog" for e in kb.evidence_for(row["id"]))}


# ---- which files ----------------------------------------------------------------------------------

LAYOUTS = [
    # matplotlib: one file per kind of change in a folder named after the release
    ("doc/api/prev_api_changes/api_changes_3.8.0/deprecations.rst", True, "3.8.0"),
    ("doc/api/prev_api_changes/api_changes_3.8.0/removals.rst", True, "3.8.0"),
    ("doc/api/prev_api_changes/api_changes_3.8.0/behaviour.rst", False, None),
    ("doc/api/prev_api_changes/api_changes_3.8.0/development.rst", False, None),
    # ... one file per point release, and one file per change for the release to come
    ("doc/api/prev_api_changes/api_changes_3.8.1.rst", True, "3.8.1"),
    ("doc/api/next_api_changes/deprecations/26798-ABC.rst", True, None),
    ("doc/api/next_api_changes/removals/00001-ABC.rst", True, None),
    ("doc/api/next_api_changes/behavior/26798-ABC.rst", False, None),
    ("doc/api/next_api_changes/README.rst", False, None),
    # SQLAlchemy: one `.. change::` per file for the release to come
    ("doc/build/changelog/unreleased_20/10415.rst", True, None),
    ("doc/build/changelog/unreleased_20/README.txt", False, None),
    ("doc/build/changelog/changelog_14.rst", True, None),
]


def test_layout_paths() -> None:
    assert [(path, is_changelog_path(path)) for path, _, _ in LAYOUTS] == [(path, ok) for path, ok, _ in LAYOUTS]
    assert [(path, version_from_path(path)) for path, ok, _ in LAYOUTS if ok] == \
        [(path, version) for path, ok, version in LAYOUTS if ok]


# ---- matplotlib ----------------------------------------------------------------------------------

# matplotlib 3.8.4 sdist, doc/api/prev_api_changes/api_changes_3.8.0/deprecations.rst (lines 1-10, 76-78,
# 90-110): entries titled with what changes; the body reads on from the title ("... is deprecated",
# "with no replacement.", "These attributes are deprecated").
MPL_380_DEPRECATIONS = """\
Deprecations
------------

Calling ``paths.get_path_collection_extents`` with empty *offsets*
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

Calling  `~.get_path_collection_extents` with an empty *offsets* parameter
has an ambiguous interpretation and is therefore deprecated. When the
deprecation period expires, this will produce an error.


``LocationEvent.lastevent``
~~~~~~~~~~~~~~~~~~~~~~~~~~~
... is deprecated with no replacement.


``INVALID_NON_AFFINE``, ``INVALID_AFFINE``, ``INVALID`` attributes of ``TransformNode``
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
These attributes are deprecated.


``Grouper.clean()``
~~~~~~~~~~~~~~~~~~~

with no replacement. The Grouper class now cleans itself up automatically.


``GridHelperCurveLinear.get_data_boundary``
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
... is deprecated.  Use ``grid_finder.extreme_finder(*[None] * 5)`` to get the
extremes of the grid.


*np_load* parameter of ``cbook.get_sample_data``
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
This parameter is deprecated; `.get_sample_data` now auto-loads numpy arrays.
Use ``get_sample_data(..., asfileobj=False)`` instead to get the filename of
the data file, which can then be passed to `open`, if desired.
"""

# matplotlib 3.8.4 sdist, doc/api/prev_api_changes/api_changes_3.7.0/removals.rst (lines 1-2, 92-106): a
# heading naming one class, then bullets about its *parameters* and attributes written bare.
MPL_370_REMOVALS = """\
Removals
--------

Removal of deprecations in the Selector widget API
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

PolygonSelector
...............

- The *line* attribute is removed. If you want to change the selector artist
  properties, use the ``set_props`` or ``set_handle_props`` methods.
- The *lineprops* argument is removed, use *props* instead.
- The *markerprops* argument is removed, use *handle_props* instead.
- The *maxdist* argument and attribute is removed, use *grab_range* instead.
- The *vertex_select_radius* argument and attribute is removed, use
  *grab_range* instead.
"""

# matplotlib 3.8.4 sdist, doc/api/prev_api_changes/api_changes_3.8.0/removals.rst (lines 1-2, 90-95)
MPL_380_REMOVALS = """\
Removals
--------

``mlab.stride_windows``
~~~~~~~~~~~~~~~~~~~~~~~

... is removed. Use ``numpy.lib.stride_tricks.sliding_window_view`` instead.
"""

# The ``ContourSet.collections`` entry of api_changes_3.8.0/deprecations.rst (lines 80-88 of the 3.8.4
# sdist), as it stood before 3.8.0 was released: one file of doc/api/next_api_changes/deprecations/ (the
# 3.8.4 sdist's only such file is the template; the file name here follows its "PR number and
# initials" rule).
MPL_NEXT_DEPRECATION = """\
``ContourSet.collections``
~~~~~~~~~~~~~~~~~~~~~~~~~~
... is deprecated.  `.ContourSet` is now implemented as a single `.Collection` of paths,
each path corresponding to a contour level, possibly including multiple unconnected
components.

During the deprecation period, accessing ``ContourSet.collections`` will revert the
current ContourSet instance to the old object layout, with a separate `.PathCollection`
per contour level.
"""

MPL_CODE = {
    "matplotlib/__init__.py": "",
    "matplotlib/backend_bases.py": "class LocationEvent:\n    lastevent = None\n",
    "matplotlib/cbook.py": ("class Grouper:\n    def clean(self):\n        pass\n\n\n"
                            "def get_sample_data(fname, asfileobj=True, *, np_load=True):\n    pass\n"),
    "matplotlib/path.py": "def get_path_collection_extents(master_transform, paths, transforms, offsets,"
                          " offset_transform):\n    pass\n",
    "matplotlib/transforms.py": ("class TransformNode:\n    INVALID_NON_AFFINE = 1\n    INVALID_AFFINE = 2\n"
                                 "    INVALID = 3\n\n    def invalidate(self):\n        pass\n"),
    "matplotlib/mlab.py": "def detrend(x):\n    pass\n",
    "matplotlib/contour.py": "class ContourSet:\n    collections = None\n\n    def get_paths(self):\n        pass\n",
    "matplotlib/widgets.py": ("class PolygonSelector:\n    def __init__(self, ax, onselect, *, props=None, "
                              "handle_props=None, grab_range=10):\n        pass\n"),
}


def test_matplotlib_api_change_notes(tmp_path: Path) -> None:
    kb = scan_with_notes(tmp_path, "matplotlib", "3.8.4", MPL_CODE, {
        "doc/api/prev_api_changes/api_changes_3.8.0/deprecations.rst": MPL_380_DEPRECATIONS,
        "doc/api/prev_api_changes/api_changes_3.7.0/removals.rst": MPL_370_REMOVALS,
        "doc/api/prev_api_changes/api_changes_3.8.0/removals.rst": MPL_380_REMOVALS,
        "doc/api/next_api_changes/deprecations/25247-AL.rst": MPL_NEXT_DEPRECATION,
    })
    rows = changelog_rows(kb, "matplotlib")

    def row(api, param=None):
        r = rows[(api, param)]
        return r["kind"], r["replacement"], r["new_parameter"], r["since"], r["removed_in"]

    # the title is what is deprecated; the body reads on from it
    assert row("matplotlib.backend_bases.LocationEvent.lastevent")[3:] == ("3.8.0", None)
    assert row("matplotlib.cbook.Grouper.clean")[3:] == ("3.8.0", None)
    # "``INVALID_NON_AFFINE``, ... attributes of ``TransformNode``" / "These attributes are deprecated."
    for const in ("INVALID_NON_AFFINE", "INVALID_AFFINE", "INVALID"):
        assert row(f"matplotlib.transforms.TransformNode.{const}") == ("attribute", None, None, "3.8.0", None)
    # "*np_load* parameter of ``cbook.get_sample_data``" / "This parameter is deprecated": the keyword,
    # and "Use ``get_sample_data(..., asfileobj=False)``" says how to call the function, no new keyword
    assert row("matplotlib.cbook.get_sample_data", "np_load") == ("parameter", None, None, "3.8.0", None)
    # the heading "PolygonSelector" owns the *parameters* its bullets name
    assert row("matplotlib.widgets.PolygonSelector", "markerprops") == (
        "parameter", None, "handle_props", None, "3.7.0")
    assert row("matplotlib.widgets.PolygonSelector", "lineprops")[2:] == ("props", None, "3.7.0")
    # a removed function of a module the release still has, with another library's replacement
    assert row("matplotlib.mlab.stride_windows") == (
        "function", "numpy.lib.stride_tricks.sliding_window_view", None, None, "3.8.0")
    # one file per change, for the release to come: the scanned release's version
    assert row("matplotlib.contour.ContourSet.collections")[3:] == ("3.8.4", None)
    # what is no row: a class whose attributes the title names, a deprecated *use* ("Calling X with empty
    # *offsets*"), the heading of a section, a bare attribute the bullet leaves ownerless
    assert not [k for k in rows if k[0] in ("matplotlib.transforms.TransformNode", "matplotlib.widgets.PolygonSelector",
                                            "matplotlib.path.get_path_collection_extents")
                and k[1] is None]
    assert not [k for k in rows if k[0].endswith((".line", ".offsets", ".GridHelperCurveLinear"))]


# matplotlib 3.8.4 sdist, doc/api/prev_api_changes/: one file per release before 3.2 and for point
# releases. api_changes_3.1.0.rst lines 1-2, 787-790; api_changes_3.3.1.rst lines 1-13 (a deprecation
# taken back); api_changes_2.2.0.rst lines 1-2, 95-100 (the 2.x series, in the looser style of its time).
MPL_310 = """\
API Changes for 3.1.0
=====================

Changes in parameter names
--------------------------

- The *arg* parameter to `matplotlib.use` has been renamed to *backend*.
"""
MPL_331 = """\
API Changes for 3.3.1
=====================

Deprecations
------------

Reverted deprecation of ``num2epoch`` and ``epoch2num``
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

These two functions were deprecated in 3.3.0, and did not return
an accurate Matplotlib datenum relative to the new Matplotlib epoch
handling (`~.dates.get_epoch` and :rc:`date.epoch`).  This version
reverts the deprecation.
"""
MPL_220 = """\
API Changes in 2.2.0
====================

Modules, methods, and functions
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

The ``matplotlib.finance``, ``mpl_toolkits.exceltools`` and
``mpl_toolkits.gtktools`` modules have been removed.  ``matplotlib.finance``
remains available at https://github.com/matplotlib/mpl_finance.
"""


def test_matplotlib_one_file_notes() -> None:
    def found(text: str, name: str) -> list[tuple]:
        result = extract_changelog(text.encode(), f"doc/api/prev_api_changes/{name}", library="matplotlib",
                                   version="3.8.4", packages=["matplotlib"])
        return [(f.target, f.parameter, f.new_parameter, f.since) for f in result.findings]

    assert found(MPL_310, "api_changes_3.1.0.rst") == [("matplotlib.use", "arg", "backend", "3.1.0")]
    # "Reverted deprecation of ``num2epoch`` and ``epoch2num``" deprecates nothing
    assert found(MPL_331, "api_changes_3.3.1.rst") == []
    # notes of an older major series than the scanned release are not read
    assert found(MPL_220, "api_changes_2.2.0.rst") == []
    assert found(MPL_220.replace("2.2.0", "3.2.9"), "api_changes_3.2.9.rst") != []


# matplotlib 3.8.4 sdist, doc/api/prev_api_changes/api_changes_3.6.0/deprecations.rst (lines 1-2, 116-117,
# 137-143): paragraphs under one title, each about other APIs.
MPL_360_PARAGRAPHS = """\
Deprecations
------------

Positional / keyword arguments
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

``Axes.get_window_extent`` / ``Figure.get_window_extent`` accept only
*renderer*. This aligns the API with the general `.Artist.get_window_extent`
API. All other parameters were ignored anyway.

The *cleared* parameter of ``get_renderer``, which only existed for AGG-based
backends, has been deprecated. Use ``renderer.clear()`` instead to explicitly
clear the renderer buffer.
"""


def test_a_parameter_s_host_is_the_name_after_parameter_of_not_one_in_an_earlier_paragraph() -> None:
    result = extract_changelog(MPL_360_PARAGRAPHS.encode(),
                               "doc/api/prev_api_changes/api_changes_3.6.0/deprecations.rst",
                               library="matplotlib", version="3.8.4", packages=["matplotlib"])
    assert [(f.target, f.parameter, f.since) for f in result.findings] == [("get_renderer", "cleared", "3.6.0")]


# ---- SQLAlchemy ----------------------------------------------------------------------------------

# SQLAlchemy 2.0.36 sdist, doc/build/changelog/changelog_14.rst: the release's directive (lines 7367-7370)
# and three of its changes (lines 7759-7767 deprecated, 8972-8982 removed, 7769-7780 a bug fix).
SQLA_CHANGELOG_14 = """\
=============
1.4 Changelog
=============

.. changelog::
    :version: 1.4.0b1
    :released: March 15, 2021
    :released: November 2, 2020

    .. change::
        :tags: deprecated, sql
        :tickets: 5010

        The :meth:`_sql.Join.alias` method is deprecated and will be removed in
        SQLAlchemy 2.0.   An explicit select + subquery, or aliasing of the inner
        tables, should be used instead.


    .. change::
       :tags: removed,  sql
       :tickets: 4643

       Remove deprecated parameters ``text.bindparams`` and ``text.typemap``.
       Please refer to the :meth:`_expression.TextClause.bindparams` and
       :meth:`_expression.TextClause.columns` methods.

       Remove deprecated parameter ``Table.useexisting``. Please use
       :paramref:`_schema.Table.extend_existing`.

    .. change::
        :tags: bug, orm
        :tickets: 4194

        Fixed bug where a versioning column specified on a mapper against a
        :func:`_expression.select` construct where the version_id_col itself were against the
        underlying table would incur additional loads when accessed, even if the
        value were locally persisted by the flush.  The actual fix is a result of
        the changes in :ticket:`4617`,  by fact that a :func:`_expression.select` object no
        longer has a ``.c`` attribute and therefore does not confuse the mapper
        into thinking there's an unknown column value present.
"""

# SQLAlchemy 2.0.36 sdist, doc/build/changelog/changelog_20.rst: a :paramref: parameter of one of two
# hosts (lines 5531-5532, 6550-6556 of the 2.0.0b1 release's change, cut after its second sentence).
SQLA_CHANGELOG_20 = """\
.. changelog::
    :version: 2.0.0b1

    .. change::
        :tags: deprecations, engine
        :tickets: 6962

        The :paramref:`_sa.create_engine.implicit_returning` parameter is
        deprecated on the :func:`_sa.create_engine` function only; the parameter
        remains available on the :class:`_schema.Table` object.
"""

# SQLAlchemy 2.0.36 sdist, doc/build/changelog/unreleased_13/6135.rst (whole file): a bug fix, no row.
SQLA_UNRELEASED_BUG = """\
.. change::
    :tags: schema, bug
    :tickets: 6135
    :versions: 1.4.6

    The :class:`_schema.Table` object now raises an informative error message if
    it is instantiated without passing at least the :paramref:`_schema.Table.name`
    and :paramref:`_schema.Table.metadata` arguments positionally. Previously, if
    these were passed as keyword arguments, the object would silently fail to
    initialize correctly.
"""

SQLA_CODE = {
    "sqlalchemy/__init__.py": ("from .sql.selectable import Join, TextClause\nfrom .sql.schema import Table\n"
                               "from .sql.expression import text\nfrom .engine.create import create_engine\n"),
    "sqlalchemy/sql/__init__.py": "",
    # (2.0's Join inherits `alias` from FromClause, without the deprecated behaviour of its own)
    "sqlalchemy/sql/selectable.py": ("class FromClause:\n    def alias(self, name=None, flat=False):\n        pass\n\n\n"
                                     "class Join(FromClause):\n    pass\n\n\n"
                                     "class TextClause:\n    def bindparams(self, *binds):\n        pass\n\n"
                                     "    def columns(self, *cols):\n        pass\n"),
    "sqlalchemy/sql/schema.py": ("class Table:\n    def __init__(self, name, metadata, *args, extend_existing=False,"
                                " implicit_returning=True):\n        pass\n"),
    "sqlalchemy/sql/expression.py": "def text(text):\n    pass\n",
    "sqlalchemy/engine/__init__.py": "",
    "sqlalchemy/engine/create.py": "def create_engine(url, *, echo=False, implicit_returning=True):\n    pass\n",
}


def test_sqlalchemy_changelog_directives(tmp_path: Path) -> None:
    kb = scan_with_notes(tmp_path, "SQLAlchemy", "2.0.36", SQLA_CODE, {
        "doc/build/changelog/changelog_14.rst": SQLA_CHANGELOG_14,
        "doc/build/changelog/changelog_20.rst": SQLA_CHANGELOG_20,
        "doc/build/changelog/unreleased_13/6135.rst": SQLA_UNRELEASED_BUG,
    })
    rows = changelog_rows(kb, "sqlalchemy")
    got = {k: (r["kind"], r["new_parameter"], r["since"], r["removed_in"]) for k, r in rows.items()}
    assert got == {
        # ":meth:`_sql.Join.alias` ... deprecated and will be removed in SQLAlchemy 2.0", in 1.4.0b1
        ("sqlalchemy.Join.alias", None): ("method", None, "1.4.0b1", "2.0"),
        # "Remove deprecated parameters ``text.bindparams`` and ``text.typemap``": Sphinx's host.parameter
        ("sqlalchemy.text", "bindparams"): ("parameter", None, None, "1.4.0b1"),
        ("sqlalchemy.text", "typemap"): ("parameter", None, None, "1.4.0b1"),
        # "... ``Table.useexisting``. Please use :paramref:`_schema.Table.extend_existing`": the same host's keyword
        ("sqlalchemy.Table", "useexisting"): ("parameter", "extend_existing", None, "1.4.0b1"),
        # the :paramref:'s own host, not the Table the sentence says keeps the parameter
        ("sqlalchemy.create_engine", "implicit_returning"): ("parameter", None, "2.0.0b1", None),
    }
    # the bug fixes (tags "bug") give nothing, though they name Table, select and Table.name


# ---- pydantic ------------------------------------------------------------------------------------

# pydantic 2.9.2 sdist, HISTORY.md: GitHub release notes (lines 30, 32, 34, 67, 120; 434, 436, 478;
# 1009 with its release's heading), where deprecations are bullets among all other changes.
PYDANTIC_HISTORY = """\
## v2.9.0 (2024-09-05)

### What's Changed

#### Packaging

* Deprecate passing a dict to the `Examples` class by @Viicos in [#10181](https://github.com/pydantic/pydantic/pull/10181)
* Fix `PydanticDeprecatedSince26` typo by @kc0506 in [#10101](https://github.com/pydantic/pydantic/pull/10101)

## v2.7.0 (2024-04-11)

### What's Changed

* Deprecate `update_json_schema` internal function by @sydney-runkle in [#9125](https://github.com/pydantic/pydantic/pull/9125)

## v2.4.0 (2023-09-22)

* Mark `Extra` as deprecated by @disrupted in [#7299](https://github.com/pydantic/pydantic/pull/7299)
"""

PYDANTIC_CODE = {
    "pydantic/__init__.py": "from .config import Extra\nfrom .json_schema import Examples\n",
    "pydantic/config.py": "class Extra:\n    allow = 'allow'\n",
    "pydantic/json_schema.py": ("class Examples:\n    def __init__(self, examples):\n        pass\n\n\n"
                                "def update_json_schema(schema, updates):\n    pass\n"),
    "pydantic/warnings.py": "class PydanticDeprecatedSince26(DeprecationWarning):\n    pass\n",
}


def test_pydantic_github_release_notes(tmp_path: Path) -> None:
    kb = scan_with_notes(tmp_path, "pydantic", "2.9.2", PYDANTIC_CODE, {"HISTORY.md": PYDANTIC_HISTORY})
    rows = changelog_rows(kb, "pydantic")
    assert {k: (r["kind"], r["since"]) for k, r in rows.items()} == {
        ("pydantic.json_schema.update_json_schema", None): ("function", "2.7.0"),
        ("pydantic.Extra", None): ("class", "2.4.0"),
    }
    # the credit is no part of the message
    assert rows[("pydantic.json_schema.update_json_schema", None)]["message"] == \
        "Deprecate `update_json_schema` internal function"


def test_github_release_credit_is_stripped_and_other_bullets_are_no_entries() -> None:
    findings = extract_changelog(PYDANTIC_HISTORY.encode(), "HISTORY.md", library="pydantic",
                                 packages=["pydantic"]).findings
    assert sorted((f.target, f.version) for f in findings) == [("Extra", "2.4.0"), ("update_json_schema", "2.7.0")]
    assert all("@" not in (f.message or "") and "#" not in (f.message or "") for f in findings)


# ---- networkx ------------------------------------------------------------------------------------

# networkx 3.4.2 sdist, doc/release/release_2.0.rst (lines 1-2, 31-32, 189-196): `G` is a variable.
NX_RELEASE_20 = """\
NetworkX 2.0
============

API Changes
-----------

* [`#2604 <https://github.com/networkx/networkx/pull/2604>`_] Move selfloop
  methods out of base classes to networkx functions.
  ``G.number_of_selfloops()``, ``G.selfloop_edges()``,
  ``G.nodes_with_selfloops()`` are now ``nx.number_of_selfloops(G)``,
  ``nx.selfloop_edges(G)``, ``nx.nodes_with_selfloops(G)``.

  ``G.node`` and ``G.edge`` are removed. Their functionality are replaced by
  ``G.nodes`` and ``G.edges``.
"""

# networkx 3.4.2 sdist, doc/release/release_2.5.rst (lines 103-104, 116-120): a return-type change
# beside a deprecation of a whole function.
NX_RELEASE_25 = """\
Deprecations
------------

- [`#4155 <https://github.com/networkx/networkx/pull/4155>`_]
  Deprecate `display_pygraphviz`.

- [`#4162 <https://github.com/networkx/networkx/pull/4162>`_]
  Deprecate `chordal_graph_cliques` returning a set.
"""

NX_CODE = {
    "networkx/__init__.py": "from .classes import *\nfrom .algorithms import *\nfrom .drawing import *\n",
    "networkx/classes/__init__.py": "from .graph import Graph\n",
    "networkx/classes/graph.py": ("class Graph:\n    @property\n    def nodes(self):\n        pass\n\n"
                                  "    @property\n    def edges(self):\n        pass\n"),
    "networkx/algorithms/__init__.py": "from .chordal import *\n",
    "networkx/algorithms/chordal.py": "__all__ = ['chordal_graph_cliques']\n\n\ndef chordal_graph_cliques(G):\n"
                                      "    yield from ()\n",
    "networkx/drawing/__init__.py": "from .nx_agraph import *\n",
    "networkx/drawing/nx_agraph.py": "__all__ = ['display_pygraphviz']\n\n\ndef display_pygraphviz(graph):\n"
                                     "    pass\n",
}


def test_networkx_variables_and_return_type_changes_name_no_api(tmp_path: Path) -> None:
    kb = scan_with_notes(tmp_path, "networkx", "3.4.2", NX_CODE, {
        "doc/release/release_2.0.rst": NX_RELEASE_20, "doc/release/release_2.5.rst": NX_RELEASE_25})
    rows = changelog_rows(kb, "networkx")
    # "Deprecate `display_pygraphviz`." is the whole function; "... `chordal_graph_cliques` returning a
    # set" changes what it returns (a row without a parameter would flag every call); "``G.node``" is
    # an attribute of whatever G holds (the text does not say; no `networkx.G.node`)
    assert {k: (r["kind"], r["since"]) for k, r in rows.items()} == {
        ("networkx.drawing.display_pygraphviz", None): ("function", "2.5")}
