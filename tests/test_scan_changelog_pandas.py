"""pandas' whatsnew pages as the reader meets them in the sdists of pandas <= 2.0.3 (`scan pandas --since
1.5` reads them back to 0.10): each bullet below is quoted from those pages.

Most of pandas' deprecations are of a use of an API ("Deprecated passing ...", "... with a bool key");
read as the API itself, they made `pd.DataFrame`, `pd.read_csv` and `pd.merge` deprecated.
"""
from __future__ import annotations

import pytest

from apimigrate.scan.changelog import extract_changelog


def _findings(bullets: list[str], version: str = "1.3.0", section: str = "Deprecations") -> dict:
    title = f"What's new in {version} (July 2, 2021)"
    text = (f".. _whatsnew_{version.replace('.', '')}:\n\n{title}\n{'-' * len(title)}\n\n"
            f"{section}\n{'~' * len(section)}\n\n" + "".join(f"- {b}\n" for b in bullets))
    result = extract_changelog(text.encode(), f"doc/source/whatsnew/v{version}.rst", library="pandas",
                               packages=["pandas"])
    assert result.error is None
    return {(f.target, f.parameter): f for f in result.findings}


POSITIONAL_LEAD = ("Deprecated passing arguments as positional for all of the following, with exceptions "
                   "noted (:issue:`41485`):\n\n"
                   "  - :func:`concat` (other than ``objs``)\n"
                   "  - :func:`read_csv` (other than ``filepath_or_buffer``)\n"
                   "  - :meth:`DataFrame.fillna` and :meth:`Series.fillna` (apart from ``value``)")


@pytest.mark.parametrize("bullet", [
    # 1.3.0: the lead says what is deprecated of each API listed: passing its arguments by position
    POSITIONAL_LEAD,
    # 1.3.0, 1.5.0: an action opens the object of "Deprecated"
    "Deprecated constructing :class:`CategoricalIndex` without passing list-like data (:issue:`38944`)",
    "Deprecated producing a single element when iterating over a :class:`DataFrameGroupBy` or a "
    ":class:`SeriesGroupBy` that has been grouped by a list of length 1; A tuple of length one will be returned "
    "instead (:issue:`42795`)",
    # 1.1.0: ... or the sentence
    "Providing ``suffixes`` as a ``set`` in :func:`pandas.merge` is deprecated. Provide a tuple instead "
    "(:issue:`33740`, :issue:`34741`).",
    # 1.3.0: a use noun after the name
    "Deprecated :class:`DataFrame` indexer for :meth:`Series.__setitem__` and :meth:`DataFrame.__setitem__` "
    "(:issue:`39004`)",
    # 1.4.0: the case the API is deprecated in
    "Deprecated :meth:`Index.__getitem__` with a bool key; use ``index.values[key]`` to get the old behavior "
    "(:issue:`44051`)",
    "Deprecated :meth:`Index.reindex` with a non-unique :class:`Index` (:issue:`42568`)",
    # 0.23.0: an operation between things
    "Floor division between an integer ndarray and a :class:`Timedelta` is deprecated. Divide by "
    ":attr:`Timedelta.value` instead (:issue:`19761`)",
    # 1.0.0: "e.g." ends no sentence; its example is no subject
    "Support for multi-dimensional indexing (e.g. ``index[:, None]``) on a :class:`Index` is deprecated and will "
    "be removed in a future version, convert to a numpy array before indexing instead (:issue:`30588`)",
    # 1.2.0: operators behaving as the methods named, not the methods
    ":class:`Index` methods ``&``, ``|``, and ``^`` behaving as the set operations :meth:`Index.intersection`, "
    ":meth:`Index.union`, and :meth:`Index.symmetric_difference`, respectively, are deprecated and in the future "
    "will behave as pointwise boolean operations matching :class:`Series` behavior. Use the named set methods "
    "instead (:issue:`36758`)",
    # 1.5.0: what the method does, not the method
    "Deprecated :meth:`.DataFrameGroupBy.transform` not aligning the result when the UDF returned DataFrame "
    "(:issue:`45648`)",
    # 0.17.0: methods in classes, not the classes
    "We have also deprecated and changed similar methods in two Series-like classes, ``Index`` and "
    "``Categorical``.",
])
def test_a_use_of_an_api_deprecates_no_api(bullet: str) -> None:
    got = _findings([bullet])
    assert not [key for key, f in got.items() if key[1] is None], got


def test_examples_in_parentheses_are_no_hosts() -> None:
    """0.20.0: "The ``Series`` constructor and ``.astype`` method have deprecated accepting timestamp dtypes
    without a frequency (e.g. ``np.datetime64``) for the ``dtype`` parameter" named `np.datetime64` the
    host of `dtype=`."""
    got = _findings(["The ``Series`` constructor and ``.astype`` method have deprecated accepting timestamp dtypes "
                     "without a frequency (e.g. ``np.datetime64``) for the ``dtype`` parameter (:issue:`15524`)"],
                    version="0.20.0")
    assert not [key for key in got if "datetime64" in key[0]]


@pytest.mark.parametrize("bullet, expected", [
    # 0.20.0: importing a name from a module is what deprecating the name there is
    ("importing ``concat`` from ``pandas.tools.merge`` has been deprecated in favor of imports from the "
     "``pandas`` namespace. This should only affect explicit imports (:issue:`15358`)",
     {"pandas.tools.merge.concat": None}),
    # 0.20.0: new names of the same classes, each its own
    ("``Series.sortlevel`` and ``DataFrame.sortlevel`` have been deprecated in favor of ``Series.sort_index`` "
     "and ``DataFrame.sort_index`` (:issue:`15099`)",
     {"Series.sortlevel": "Series.sort_index", "DataFrame.sortlevel": "DataFrame.sort_index"}),
    ("Deprecated :meth:`Series.iteritems`, :meth:`DataFrame.iteritems` and :meth:`HDFStore.iteritems` in favor "
     "of :meth:`Series.items`, :meth:`DataFrame.items` and :meth:`HDFStore.items` (:issue:`45321`)",
     {"Series.iteritems": "Series.items", "DataFrame.iteritems": "DataFrame.items",
      "HDFStore.iteritems": "HDFStore.items"}),
    ("Deprecated :meth:`DatetimeIndex.union_many`, use :meth:`DatetimeIndex.union` instead (:issue:`44091`)",
     {"DatetimeIndex.union_many": "DatetimeIndex.union"}),
    # "with no replacement" is no case of a use
    ("Deprecated :func:`read_gbq` with no replacement (:issue:`55525`)", {"read_gbq": None}),
])
def test_apis_deprecated_themselves_stay(bullet: str, expected: dict) -> None:
    got = _findings([bullet])
    assert {key[0]: f.replacement for key, f in got.items() if key[1] is None} == expected


def test_a_noun_in_ing_opens_no_use() -> None:
    """scipy 1.9.0: "Removed docstring related functions from ``scipy.misc`` (``docformat``, ...)"."""
    text = ("==========================\nSciPy 1.9.0 Release Notes\n==========================\n\n"
            "Expired Deprecations\n====================\n\n"
            "- Removed docstring related functions from ``scipy.misc`` (``docformat``,\n"
            "  ``inherit_docstring_from``, ``filldoc``).\n")
    result = extract_changelog(text.encode(), "doc/source/release/1.9.0-notes.rst", library="scipy",
                               packages=["scipy"])
    assert {f.target for f in result.findings if f.removed} >= {"scipy.misc.docformat", "scipy.misc.filldoc"}


def test_an_undeprecated_api_keeps_no_row_of_the_notes_before(tmp_path) -> None:
    """0.25.0: ":meth:`Index.item` and :meth:`Series.item` is deprecated."; 1.0.0: ":meth:`Series.item` and
    :meth:`Index.item` have been _undeprecated_"; a deprecation the notes do not take back stays."""
    from scan_support import scanned_rows

    def page(version: str, section: str, bullet: str) -> str:
        title = f"What's new in {version} (January 29, 2020)"
        return f"{title}\n{'-' * len(title)}\n\n{section}\n{'~' * len(section)}\n\n- {bullet}\n"

    rows = scanned_rows(tmp_path, "tinypd", "1.1.0", {
        "tinypd/__init__.py": "from tinypd.core import Index, Series\n__all__ = ['Index', 'Series']\n",
        "tinypd/core.py": ("class Index:\n    def item(self):\n        pass\n\n\n"
                           "class Series:\n    def item(self):\n        pass\n\n    def ravel(self):\n        pass\n"),
        "doc/source/whatsnew/v0.25.0.rst": page("0.25.0", "Deprecations",
                                                ":meth:`Index.item` and :meth:`Series.item` is deprecated. "
                                                "(:issue:`18262`)\n- :meth:`Series.ravel` is deprecated. (:issue:`18262`)"),
        "doc/source/whatsnew/v1.0.0.rst": page("1.0.0", "Other API changes",
                                               ":meth:`Series.item` and :meth:`Index.item` have been _undeprecated_ "
                                               "(:issue:`29250`)"),
        # (made up) a deprecation after the undeprecation stands
        "doc/source/whatsnew/v1.1.0.rst": page("1.1.0", "Deprecations", ":meth:`Index.item` is deprecated."),
    })
    assert ("tinypd.Series.item", None) not in rows
    assert rows[("tinypd.Index.item", None)]["since"] == "1.1.0"
    assert rows[("tinypd.Series.ravel", None)]["since"] == "0.25.0"


def test_a_name_right_after_its_hosts_is_their_keyword() -> None:
    """0.16.0: "``DataFrame.to_excel`` and ``DataFrame.to_csv`` ``cols`` keyword argument was removed in
    favor of ``columns``" made `to_excel`, `to_csv` and `cols` keywords of the DataFrame constructor."""
    got = _findings(["``DataFrame.to_excel`` and ``DataFrame.to_csv`` ``cols`` keyword argument was removed in "
                     "favor of ``columns`` (:issue:`6581`)"], version="0.16.0", section="Removal of prior version "
                    "deprecations/changes")
    assert {key: (f.new_parameter, f.removed) for key, f in got.items()} == {
        ("DataFrame.to_excel", "cols"): ("columns", True), ("DataFrame.to_csv", "cols"): ("columns", True)}


def test_the_following_functions_of_a_module_named_before_the_noun_are_its() -> None:
    """0.14.0: "The following ``io.sql`` functions have been deprecated: ``tquery``, ``uquery``,
    ``read_frame``, ``frame_query``, ``write_frame``" (no `pandas.read_frame`)."""
    got = _findings(["The following ``io.sql`` functions have been deprecated: ``tquery``, ``uquery``, "
                     "``read_frame``, ``frame_query``, ``write_frame``."], version="0.14.0")
    assert sorted(key[0] for key in got) == ["io.sql.frame_query", "io.sql.read_frame", "io.sql.tquery",
                                             "io.sql.uquery", "io.sql.write_frame"]


def test_names_from_a_module_already_its_are_the_subject_not_the_module() -> None:
    """1.2.0: the four functions, not `pandas.io.date_converters` itself."""
    got = _findings(["Date parser functions :func:`~pandas.io.date_converters.parse_date_time`, "
                     ":func:`~pandas.io.date_converters.parse_date_fields`, "
                     ":func:`~pandas.io.date_converters.parse_all_fields` and "
                     ":func:`~pandas.io.date_converters.generic_parser` from ``pandas.io.date_converters`` are "
                     "deprecated and will be removed in a future version; use :func:`~pandas.to_datetime` instead. "
                     "(:issue:`35741`)"], version="1.2.0")
    assert {key[0]: f.replacement for key, f in got.items()} == {
        f"pandas.io.date_converters.{n}": "pandas.to_datetime"
        for n in ("parse_date_time", "parse_date_fields", "parse_all_fields", "generic_parser")}


def test_a_reason_clause_names_no_host() -> None:
    """0.24.0: "``max_rows`` and ``max_cols`` parameters removed from :class:`HTMLFormatter` since truncation
    is handled by :class:`DataFrameFormatter`": HTMLFormatter's keywords only."""
    got = _findings(["``max_rows`` and ``max_cols`` parameters removed from :class:`HTMLFormatter` since truncation "
                     "is handled by :class:`DataFrameFormatter` (:issue:`23818`)"], version="0.24.0")
    assert sorted(got) == [("HTMLFormatter", "max_cols"), ("HTMLFormatter", "max_rows")]


def test_a_deprecation_notes_alone_made_two_majors_ago_of_a_name_defined_now_is_dropped(tmp_path) -> None:
    """0.15.0: "the method name ``Index.diff()`` is deprecated and can be replaced by ``Index.difference()``";
    pandas 2 has a `diff` of its own, without warning. One major later, as numpy's C-level deprecations the
    code shows no warning of, a note still stands."""
    from scan_support import scanned_rows

    def page(version: str, bullet: str) -> str:
        title = f"What's new in {version} (October 18, 2014)"
        return f"{title}\n{'-' * len(title)}\n\nDeprecations\n~~~~~~~~~~~~\n\n- {bullet}\n"

    files = {
        "tinypd/__init__.py": "from tinypd.core import Index\n__all__ = ['Index']\n",
        "tinypd/core.py": ("class Index:\n    def diff(self, periods=1):\n        pass\n\n"
                           "    def difference(self, other):\n        pass\n\n    def asi8(self):\n        pass\n"),
        "doc/source/whatsnew/v0.15.0.rst": page("0.15.0", "The method name ``Index.diff()`` is deprecated and can be "
                                                "replaced by ``Index.difference()``"),
        "doc/source/whatsnew/v1.0.0.rst": page("1.0.0", ":meth:`Index.asi8` is deprecated (:issue:`37877`)"),
    }
    rows = scanned_rows(tmp_path / "two", "tinypd", "2.1.0", files)
    assert ("tinypd.Index.diff", None) not in rows
    assert rows[("tinypd.Index.asi8", None)]["since"] == "1.0.0"
    assert ("tinypd.Index.diff", None) in scanned_rows(tmp_path / "one", "tinypd", "1.5.0", files)


def test_the_subclasses_a_method_is_deprecated_for_are_no_subject() -> None:
    """1.2.0: the `Index` constructor's `dtype` was taken for deprecated, and `check` flagged every
    `pd.Index(data, dtype="int64")` ("use pandas.Index.astype"), once a plain scan of pandas read 2.0.3's
    whatsnew."""
    got = _findings(["Deprecated parameter ``dtype`` of method :meth:`~Index.copy` for all :class:`Index` "
                     "subclasses. Use the :meth:`~Index.astype` method instead for changing dtype (:issue:`35853`)"],
                    version="1.2.0")
    assert list(got) == [("Index.copy", "dtype")] and got[("Index.copy", "dtype")].replacement == "Index.astype"


def test_an_exception_class_near_a_host_is_none_of_its_keywords() -> None:
    """1.4.0: `DataError` was stored as a keyword of `Series.aggregate` and three more (a dataset built
    from the rows would write `s.aggregate(DataError=...)`), 0.20's `CParserError` one of `read_csv`."""
    got = _findings(["Deprecated silent dropping of columns that raised a ``TypeError``, ``DataError``, and some "
                     "cases of ``ValueError`` in :meth:`Series.aggregate`, :meth:`DataFrame.aggregate`, "
                     ":meth:`Series.groupby.aggregate`, and :meth:`DataFrame.groupby.aggregate` when used with a "
                     "list (:issue:`43740`)"], version="1.4.0")
    assert not any(param for _, param in got)


def test_a_reference_sphinx_resolves_by_its_end_names_the_replacement() -> None:
    """1.4.0's ":meth:`.Styler.render` in favor of :meth:`.Styler.to_html`": the leading dot asks
    Sphinx for the object whose name ends so, and the replacement was lost; a literal chain
    (0.18's ``.rolling().corr(pairwise=True)``) is no such reference, and names no API."""
    got = _findings(["Deprecated :meth:`.Styler.render` in favor of :meth:`.Styler.to_html` (:issue:`42140`)",
                     "Deprecated :meth:`.Groupby.backfill` in favor of :meth:`.Groupby.bfill` (:issue:`33396`)"],
                    version="1.4.0")
    assert {k: f.replacement for k, f in got.items()} == {("Styler.render", None): "Styler.to_html",
                                                          ("Groupby.backfill", None): "Groupby.bfill"}
    chain = _findings(["Removal of ``rolling_corr_pairwise`` in favor of ``.rolling().corr(pairwise=True)`` "
                       "(:issue:`4950`)"], version="0.18.0", section="Removal of prior version deprecations/changes")
    assert [f.replacement for f in chain.values()] == [None]


def test_sphinx_currentmodule_qualifies_references_not_literals() -> None:
    """0.18.0 sets `.. currentmodule:: pandas.tseries.resample` for its resample section, and its
    removals below name ``rolling_corr_pairwise`` (`pd.rolling_corr_pairwise`) in literals, which
    Sphinx never qualifies: rows `pandas.tseries.resample.rolling_corr_pairwise` were made up."""
    text = ("Version 0.18.0 (March 13, 2016)\n-------------------------------\n\n"
            ".. currentmodule:: pandas.tseries.resample\n\nResample API\n^^^^^^^^^^^^\n\nWords.\n\n"
            "Removal of prior version deprecations/changes\n^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\n"
            "- Removal of ``rolling_corr_pairwise`` in favor of ``.rolling().corr(pairwise=True)`` (:issue:`4950`)\n"
            "- Removal of ``io.sql.read_frame`` (:issue:`6292`)\n"
            "- Removal of :func:`how_resample` and :func:`.TimeGrouper.old` (:issue:`1`)\n"
            "- Removal of `default_role_name` (:issue:`2`)\n"
            "- Removal of plain_call() (:issue:`3`)\n")
    result = extract_changelog(text.encode(), "doc/source/whatsnew/v0.18.0.rst", library="pandas",
                               packages=["pandas"])
    assert {f.target: f.module for f in result.findings} == {
        "rolling_corr_pairwise": "pandas", "io.sql.read_frame": "pandas",
        "how_resample": "pandas.tseries.resample", "TimeGrouper.old": "pandas.tseries.resample",
        "default_role_name": "pandas.tseries.resample", "plain_call": "pandas"}


def test_a_class_the_notes_spell_in_another_case_is_the_library_s(tmp_path) -> None:
    """1.4.0 writes `.Groupby.backfill` / `.Groupby.bfill` for `GroupBy`'s, and `TimeDeltaIndex.asobject`
    elsewhere: rows `pandas.Groupby.backfill` (no replacement, no class anyone has) where the one class
    so named but for case is meant. Its replacement is that class's member too."""
    from scan_support import scanned_rows

    notes = ("What's new in 1.4.0 (January 22, 2022)\n--------------------------------------\n\n"
             ".. currentmodule:: tinypd\n\nDeprecations\n~~~~~~~~~~~~\n\n"
             "- Deprecated :meth:`.Groupby.backfill` in favor of :meth:`.Groupby.bfill` (:issue:`33396`)\n"
             "- Deprecated :meth:`TimeDeltaIndex.asobject` (:issue:`1`)\n"
             "- Deprecated :meth:`BINNER.edges` (:issue:`2`)\n")
    files = {
        "doc/source/whatsnew/v1.4.0.rst": notes,
        "tinypd/__init__.py": "from tinypd.core.frame import TimedeltaIndex\n__all__ = ['TimedeltaIndex']\n",
        "tinypd/core/__init__.py": "",
        "tinypd/core/frame.py": "class TimedeltaIndex:\n    def asobject(self):\n        return self\n",
        "tinypd/core/groupby/__init__.py": "from tinypd.core.groupby.groupby import GroupBy\n",
        "tinypd/core/groupby/groupby.py": "class GroupBy:\n    def bfill(self, limit=None):\n        return self\n",
        # two classes whose names differ in case alone: neither is meant
        "tinypd/core/bins.py": "class Binner:\n    pass\n\n\nclass BinNer:\n    pass\n",
    }
    rows = scanned_rows(tmp_path, "tinypd", "1.5.0", files)
    assert {k: r["replacement"] for k, r in rows.items()} == {
        ("tinypd.core.groupby.GroupBy.backfill", None): "tinypd.core.groupby.GroupBy.bfill",
        ("tinypd.TimedeltaIndex.asobject", None): None, ("tinypd.BINNER.edges", None): None}


# 0.11.0's "API changes", as written: an indented list whose first item runs over two lines, then an
# item holding a nested list. tree-sitter-rst reads the first as a definition list and the nested
# items as one paragraph, so "deprecated" in the second item and "``min_itemsize`` parameter to
# ``append``" in the third made one sentence: a keyword of `append` deprecated.
NESTED_HDFSTORE = """\
API changes
~~~~~~~~~~~

  - Added to_series() method to indices, to facilitate the creation of indexers
    (:issue:`3275`)

  - ``HDFStore``

    - added the method ``select_column`` to select a single column from a table as a Series.
    - deprecated the ``unique`` method, can be replicated by ``select_column(key,column).unique()``
    - ``min_itemsize`` parameter to ``append`` will now automatically create data_columns for passed keys

Enhancements
~~~~~~~~~~~~

  - Improved performance of df.to_csv() by up to 10x in some cases. (:issue:`3059`)
"""


def test_items_the_rst_parser_runs_together_are_read_one_by_one() -> None:
    from apimigrate.scan.changelog_parse import parse_rst

    paras = [b for b in parse_rst(NESTED_HDFSTORE.encode()) if b.kind == "para"]
    items = [p.text for p in paras if "select_column" in p.text or "min_itemsize" in p.text]
    assert [t.split("``")[1] for t in items] == ["select_column", "unique", "min_itemsize"]
    assert [p.line for p in paras if p.text in items] == [9, 10, 11]
    third = next(p for p in paras if "min_itemsize" in p.text)
    assert [sp.body for sp in third.spans] == ["min_itemsize", "append"]
    assert [third.text[sp.start:sp.end] for sp in third.spans] == ["``min_itemsize``", "``append``"]
    text = f"What's new in 0.11.0\n--------------------\n\n{NESTED_HDFSTORE}"
    result = extract_changelog(text.encode(), "doc/source/whatsnew/v0.11.0.rst", library="pandas",
                               packages=["pandas"])
    assert result.error is None
    assert not [f for f in result.findings if f.parameter == "min_itemsize"], result.findings
