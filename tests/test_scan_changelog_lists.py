"""Release notes that end a sentence with a colon and list what it speaks of as bullets below it.

Every text here is a real note, cut to the entry (file and line in each test)."""
from __future__ import annotations

from apimigrate.scan.changelog import extract_changelog
from apimigrate.scan.changelog_lists import lists_into_sentences
from apimigrate.scan.changelog_parse import parse_rst
from apimigrate.scan.model import RawFinding
from scan_support import scanned_rows


def _findings(text: str, path: str, library: str, package: str) -> list[RawFinding]:
    result = extract_changelog(text.encode(), path, library=library, packages=[package])
    assert result.error is None
    return result.findings


NUMPY_2_4_EXPIRED = """\
NumPy 2.4.0 Release Notes
*************************

Expired deprecations
====================

Removed numpy.linalg.linalg and numpy.fft.helper
------------------------------------------------
The following were deprecated in NumPy 2.0 and have been moved to private
modules:

* ``numpy.linalg.linalg``
  Use ``numpy.linalg`` instead.

* ``numpy.fft.helper``
  Use ``numpy.fft`` instead.

(`gh-29909 <https://github.com/numpy/numpy/pull/29909>`__)

Removed ``interpolation`` parameter from quantile and percentile functions
--------------------------------------------------------------------------
The ``interpolation`` parameter was deprecated in NumPy 1.22.0 and has been
removed from the following functions:

* ``numpy.percentile``
* ``numpy.nanpercentile``
* ``numpy.quantile``
* ``numpy.nanquantile``

Use the ``method`` parameter instead.

(`gh-29973 <https://github.com/numpy/numpy/pull/29973>`__)

Removed ``numpy.in1d``
----------------------
``numpy.in1d`` has been deprecated since NumPy 2.0 and is now removed in favor of ``numpy.isin``.
"""


def _numpy_2_4() -> dict[tuple[str, str | None], RawFinding]:
    found = _findings(NUMPY_2_4_EXPIRED, "doc/source/release/2.4.0-notes.rst", "numpy", "numpy")
    return {(f.target, f.parameter): f for f in found}


def test_a_parameter_removed_from_the_functions_listed_below_is_each_one_s():
    # numpy 2.4.0-notes.rst:131-143: the list is where the parameter was; the advice after it is theirs
    got = _numpy_2_4()
    hosts = ("numpy.percentile", "numpy.nanpercentile", "numpy.quantile", "numpy.nanquantile")
    for host in hosts:
        f = got[(host, "interpolation")]
        assert f.kind == "parameter" and f.since == "1.22.0" and f.removed_in == "2.4.0", f
        assert f.new_parameter == "method", f
        # the message is the note as written, the list and the advice with it
        assert "``numpy.nanquantile``. Use the ``method`` parameter instead." in f.message, f.message
    assert not [k for k in got if k[1] is None and k[0] in hosts], "the hosts stay, only the keyword went"
    assert ("numpy.in1d", None) in got      # the entries around the list are read as before


def test_modules_listed_below_a_removal_each_take_the_advice_beside_them():
    # numpy 2.4.0-notes.rst:118-129: each bullet names a module and what to use instead
    got = _numpy_2_4()
    linalg, helper = got[("numpy.linalg.linalg", None)], got[("numpy.fft.helper", None)]
    assert (linalg.replacement, helper.replacement) == ("numpy.linalg", "numpy.fft")
    for f in (linalg, helper):
        assert f.since == "2.0" and f.removed_in == "2.4.0", f
    assert (linalg.line, helper.line) == (12, 15)     # the bullets' own lines
    # the message says it once, as the note does
    assert linalg.message.count("have been moved to private modules") == 1, linalg.message
    assert not [k for k in got if k[0] in ("numpy.linalg", "numpy.fft")], "the advice names no deprecation"


SCIPY_0_9_SOLVERS = """\
SciPy 0.9.0 Release Notes
=========================

Deprecated features
===================

Obsolete nonlinear solvers (in ``scipy.optimize``)
--------------------------------------------------

The following nonlinear solvers from ``scipy.optimize`` are
deprecated:

- ``broyden_modified`` (bad performance)
- ``broyden1_modified`` (bad performance)
- ``broyden_generalized`` (equivalent to ``anderson``)
- ``anderson2`` (equivalent to ``anderson``)
- ``broyden3`` (obsoleted by new limited-memory broyden methods)
- ``vackar`` (renamed to ``diagbroyden``)
"""


def test_names_listed_below_the_following_from_a_module_are_that_module_s():
    # scipy 0.9.0-notes.rst:130-142: bare names of `scipy.optimize`, one with its new name beside it
    got = {f.target: f for f in _findings(SCIPY_0_9_SOLVERS, "doc/source/release/0.9.0-notes.rst",
                                          "scipy", "scipy")}
    names = ("broyden_modified", "broyden1_modified", "broyden_generalized", "anderson2", "broyden3", "vackar")
    assert {f"scipy.optimize.{n}" for n in names} <= set(got)
    assert "scipy.optimize" not in got and "scipy.optimize.anderson" not in got
    assert "scipy.optimize.diagbroyden" not in got
    assert got["scipy.optimize.vackar"].replacement == "diagbroyden"     # as written; resolve qualifies it
    assert got["scipy.optimize.broyden_modified"].replacement is None
    assert {got[f"scipy.optimize.{n}"].since for n in names} == {"0.9.0"}


SKLEARN_0_22_UTILS = """\
Version 0.22.0
==============

:mod:`sklearn.utils`
....................

- |API| The following utils have been deprecated and are now private:

  - ``choose_check_classifiers_labels``
  - ``enforce_estimator_tags_y``
  - ``mocking.MockDataFrame``
  - ``utils.safe_indexing``
  - ``utils.fixes.parallel_helper`` (removed)

- |Fix| :func:`utils.check_array` will now correctly detect numeric dtypes in
  pandas dataframes. :pr:`15094` by `Andreas Müller`_.
"""


def test_a_nested_list_below_a_bullet_s_colon_is_what_the_bullet_deprecates():
    # scikit-learn v0.22.rst:1027 (cut): the bullet's own sub-list, under the `sklearn.utils` heading,
    # reads as the same bullet with its names written after the colon
    def found(text: str) -> set[tuple[str, str | None, str | None]]:
        return {(f.target, f.module, f.since)
                for f in _findings(text, "doc/whats_new/v0.22.rst", "scikit-learn", "sklearn")}

    listed = found(SKLEARN_0_22_UTILS)
    flat = found(SKLEARN_0_22_UTILS.replace("private:\n\n  - ", "private: ").replace("\n  - ", ", ")
                 .replace(" (removed)", ""))
    assert {t for t, _m, _s in listed} == {"choose_check_classifiers_labels", "enforce_estimator_tags_y",
                                           "mocking.MockDataFrame", "utils.safe_indexing",
                                           "utils.fixes.parallel_helper"}
    assert listed == flat
    assert ("choose_check_classifiers_labels", "sklearn.utils", "0.22.0") in listed
    # what the reading leaves out of a bullet stays in the message
    [message] = {f.message for f in _findings(SKLEARN_0_22_UTILS, "doc/whats_new/v0.22.rst", "scikit-learn", "sklearn")}
    assert "``utils.fixes.parallel_helper`` (removed)" in message, message


def test_a_sentence_on_the_following_names_ending_in_a_full_stop_leads_its_list():
    # numpy 1.15.0-notes.rst:80-88: no colon, "the following" says the list is what is deprecated;
    # each name's line is its bullet's
    text = ("NumPy 1.15.0 Release Notes\n==========================\n\nDeprecations\n============\n\n"
            "* Imports from the following sub-modules are deprecated, they will be removed\n"
            "  at some future date.\n\n"
            "  * `numpy.testing.utils`\n"
            "  * `numpy.testing.decorators`\n"
            "  * `numpy.core.umath_tests`\n\n"
            "* Giving a generator to `numpy.sum` is now deprecated. This was undocumented\n"
            "  behavior, but worked.\n")
    got = {f.target: f for f in _findings(text, "doc/source/release/1.15.0-notes.rst", "numpy", "numpy")}
    assert set(got) == {"numpy.testing.utils", "numpy.testing.decorators", "numpy.core.umath_tests"}
    assert [got[n].line for n in ("numpy.testing.utils", "numpy.testing.decorators", "numpy.core.umath_tests")] \
        == [10, 11, 12]
    assert {f.since for f in got.values()} == {"1.15.0"}
    assert {f.kind for f in got.values()} == {"module"}      # "sub-modules"


def test_list_items_that_say_their_own_change_stay_entries_of_their_own():
    # scipy 1.11.0-notes.rst:285 and 1.10.0-notes.rst:330: the colon introduces whole sentences
    text = ("SciPy 1.11.0 Release Notes\n==========================\n\n"
            "Expired Deprecations\n====================\n"
            "There is an ongoing effort to follow through on long-standing deprecations.\n"
            "The following previously deprecated features are affected:\n\n"
            "- The ``n`` keyword has been removed from `scipy.stats.moment`.\n"
            "- Removed ``cond`` & ``rcond`` kwargs in ``linalg.pinv``\n")
    got = {(f.target, f.parameter): f for f in _findings(text, "doc/source/release/1.11.0-notes.rst",
                                                         "scipy", "scipy")}
    assert set(got) == {("scipy.stats.moment", "n"), ("linalg.pinv", "cond"), ("linalg.pinv", "rcond")}


def test_a_colon_that_introduces_no_change_lists_none():
    # numpy 1.23.0-notes.rst:7 ("... and expire old deprecations. The highlights are:") and 2.4.0:35
    # ("As an alternative, you can create a new view (no copy) via:"): the list is no deprecation,
    # and its bullets stay as written
    text = ("NumPy 2.4.0 Release Notes\n*************************\n\nDeprecations\n============\n\n"
            "Setting the ``strides`` attribute is deprecated\n"
            "-----------------------------------------------\n"
            "Setting the strides attribute is now deprecated since mutating\n"
            "an array is unsafe.  As an alternative, you can create a new view (no copy) via:\n\n"
            "* ``np.lib.stride_tricks.strided_window_view`` if applicable,\n"
            "* ``np.lib.stride_tricks.as_strided`` for the general case,\n")
    got = _findings(text, "doc/source/release/2.4.0-notes.rst", "numpy", "numpy")
    assert not [f for f in got if "stride_tricks" in f.target], got
    blocks = parse_rst(text.encode())
    assert lists_into_sentences(blocks) == blocks


def test_bullets_that_say_their_own_change_are_read_each_on_its_own():
    # numpy 2.4.0-notes.rst:189-196: "The following long-deprecated APIs have been removed:" and
    # bullets that each say when and what instead; no bullet's advice goes to another
    text = ("NumPy 2.4.0 Release Notes\n*************************\n\nExpired deprecations\n"
            "====================\n\n"
            "The following long-deprecated APIs have been removed:\n\n"
            "* ``numpy.trapz`` — deprecated since NumPy 2.0 (2023-08-18). Use ``numpy.trapezoid`` or\n"
            "  ``scipy.integrate`` functions instead.\n"
            "* ``disp`` function — deprecated from 2.0 release and no longer functional. Use\n"
            "  your own printing function instead.\n")
    got = {f.target: f for f in _findings(text, "doc/source/release/2.4.0-notes.rst", "numpy", "numpy")}
    assert set(got) == {"numpy.trapz", "disp"}
    assert got["numpy.trapz"].replacement == "numpy.trapezoid" and got["disp"].replacement is None
    assert got["numpy.trapz"].since == got["disp"].since == "2.0"
    assert {f.removed_in for f in got.values()} == {"2.4.0"}
    assert "disp" not in got["numpy.trapz"].message      # each message is its own bullet


def test_a_markdown_list_below_a_colon_is_read_as_in_rest():
    # the same numpy 2.4 entry as a GitHub release's Markdown
    text = ("## Expired deprecations\n\n"
            "The `interpolation` parameter was deprecated in NumPy 1.22.0 and has been\n"
            "removed from the following functions:\n\n"
            "- `numpy.percentile`\n- `numpy.quantile`\n\n"
            "Use the `method` parameter instead.\n")
    got = {(f.target, f.parameter): f for f in _findings(text, "doc/release/v2.4.0.md", "numpy", "numpy")}
    assert set(got) == {("numpy.percentile", "interpolation"), ("numpy.quantile", "interpolation")}
    assert {f.new_parameter for f in got.values()} == {"method"}


def test_modules_listed_bare_are_where_the_release_has_them(tmp_path):
    # numpy 1.15.0-notes.rst:118-129 in a checkout that has `core/umath_tests.py` (numpy 1.x did), read
    # by a real scan: each bullet is a module of its own ("compiled modules"), ``umath_tests`` the
    # release's `numpy.core.umath_tests`; one the release lacks keeps the package's top as its guess
    notes = ("NumPy 1.15.0 Release Notes\n**************************\n\n"
             "Compatibility notes\n===================\n\n"
             "Compiled testing modules renamed and made private\n"
             "-------------------------------------------------\n"
             "The following compiled modules have been renamed and made private:\n\n"
             "* ``umath_tests`` -> ``_umath_tests``\n"
             "* ``test_rational`` -> ``_rational_tests``\n\n"
             "The ``umath_tests`` module is still available for backwards compatibility, but\n"
             "will be removed in the future.\n")
    rows = scanned_rows(tmp_path, "numpy", "1.15.0", {
        "numpy/__init__.py": "from . import core\n",
        "numpy/core/__init__.py": "",
        "numpy/core/umath_tests.py": "from ._umath_tests import *\n",
        "doc/release/1.15.0-notes.rst": notes})
    assert ("numpy.core.umath_tests", None) in rows and ("numpy.umath_tests", None) not in rows
    assert rows[("numpy.core.umath_tests", None)]["kind"] == "module"
    assert rows[("numpy.test_rational", None)]["kind"] == "module"


def test_the_advice_after_a_list_joins_its_sentence_and_the_message_keeps_the_bullets_words():
    # scipy 0.9.0's list shape with numpy 2.4.0's closing advice: one paragraph to read, and the message
    # as written, the bullets' asides and the advice with it
    text = ("Deprecated features\n===================\n\n"
            "The following nonlinear solvers from ``scipy.optimize`` are\ndeprecated:\n\n"
            "- ``broyden_modified`` (bad performance)\n- ``broyden1_modified`` (bad performance)\n\n"
            "Use ``scipy.optimize.root`` instead.\n")
    [one] = [b for b in lists_into_sentences(parse_rst(text.encode())) if b.kind == "para"]
    assert one.text.endswith("``broyden_modified`` and ``broyden1_modified``. Use ``scipy.optimize.root`` instead.")
    assert one.shown == ("The following nonlinear solvers from ``scipy.optimize`` are\ndeprecated: "
                         "``broyden_modified`` (bad performance); ``broyden1_modified`` (bad performance). "
                         "Use ``scipy.optimize.root`` instead.")
    got = {f.target: f for f in _findings(text, "doc/source/release/0.9.0-notes.rst", "scipy", "scipy")}
    assert {f.replacement for f in got.values()} == {"scipy.optimize.root"}


def test_a_sentence_that_restates_the_one_before_leads_its_list():
    # scipy 1.8.0-notes.rst:250-267 (cut): "These include" says the list is what the sentence before it
    # deprecated; the message is the note as written
    text = ("==========================\nSciPy 1.8.0 Release Notes\n==========================\n\n"
            "*******************\nDeprecated features\n*******************\n\n"
            "Clear split between public and private API\n"
            "==========================================\n\n"
            "SciPy has always documented what its public API consisted of,\n"
            "however there never was a clear split between public and\n"
            "private namespaces in the code base. In this release, all namespaces that were\n"
            "private but happened to miss underscores in their names have been deprecated.\n"
            "These include (as examples, there are many more):\n\n"
            "- ``scipy.signal.spline``\n- ``scipy.ndimage.filters``\n- ``scipy.sparse.linalg.isolve``\n\n"
            "All functions and other objects in these namespaces that were meant to be\n"
            "public are accessible from their respective public namespace (e.g.\n`scipy.signal`).\n")
    got = {f.target: f for f in _findings(text, "doc/source/release/1.8.0-notes.rst", "scipy", "scipy")}
    assert set(got) == {"scipy.signal.spline", "scipy.ndimage.filters", "scipy.sparse.linalg.isolve"}
    assert {f.since for f in got.values()} == {"1.8.0"}
    assert [got[n].line for n in ("scipy.signal.spline", "scipy.ndimage.filters")] == [18, 19]
    message = got["scipy.signal.spline"].message
    assert "These include (as examples, there are many more): ``scipy.signal.spline``;" in message
    # bullets with words of their own: each read with the sentence the pronoun restates
    advised = text.replace("- ``scipy.signal.spline``", "- ``scipy.signal.spline`` (use ``scipy.signal``)")
    got = {f.target: f for f in _findings(advised, "doc/source/release/1.8.0-notes.rst", "scipy", "scipy")}
    assert set(got) == {"scipy.signal.spline", "scipy.ndimage.filters", "scipy.sparse.linalg.isolve"}
    assert (got["scipy.signal.spline"].replacement, got["scipy.ndimage.filters"].replacement) == ("scipy.signal", None)
    # the same pronoun after a sentence that says no change leads nothing
    quiet = text.replace("have been deprecated.", "have been documented.").encode()
    assert lists_into_sentences(parse_rst(quiet)) == parse_rst(quiet)


def test_a_path_the_notes_deprecate_is_not_the_function_it_imports(tmp_path):
    # scipy 1.8.0-notes.rst:265 lists ``scipy.sparse.linalg.solve`` among the deprecated namespaces; the
    # scan took it for `scipy.linalg.solve`, a live function every `scipy.linalg.solve(a, b)` calls: the
    # name index followed `from ._matfuncs import *` to the `solve` that module imports, which its
    # __all__ leaves out (names._star_bindings binds only what the module exports)
    notes = ("==========================\nSciPy 1.8.0 Release Notes\n==========================\n\n"
             "Deprecated features\n===================\n\n"
             "In this release, all namespaces that were private but happened to miss underscores in\n"
             "their names have been deprecated. These include:\n\n"
             "- ``scipy.sparse.linalg.solve``\n- ``scipy.sparse.linalg.isolve``\n")
    kb_rows = scanned_rows(tmp_path, "scipy", "1.8.0", {
        "scipy/__init__.py": "",
        "scipy/linalg/__init__.py": "from scipy.linalg._basic import solve\n",
        "scipy/linalg/_basic.py": "def solve(a, b):\n    return b\n",
        "scipy/sparse/__init__.py": "",
        "scipy/sparse/linalg/__init__.py": "from ._matfuncs import *\nfrom scipy.sparse.linalg import isolve\n",
        "scipy/sparse/linalg/_matfuncs.py": "from scipy.linalg import solve\n__all__ = ['expm']\n\n\n"
                                            "def expm(a):\n    return solve(a, a)\n",
        "scipy/sparse/linalg/isolve.py": "",
        "doc/source/release/1.8.0-notes.rst": notes})
    assert ("scipy.sparse.linalg.solve", None) in kb_rows
    assert ("scipy.linalg.solve", None) not in kb_rows
    assert kb_rows[("scipy.sparse.linalg.isolve", None)]["since"] == "1.8.0"


def test_a_shim_s_path_is_not_the_function_its_parent_exports(tmp_path):
    # numpy 2.0 keeps `numpy.linalg.linalg` as a shim importing from `numpy.linalg`; a note deprecating a
    # path through the shim deprecates that path, not `numpy.linalg.norm`
    notes = ("NumPy 2.0.0 Release Notes\n*************************\n\nDeprecations\n============\n\n"
             "* ``numpy.linalg.linalg.norm`` is deprecated, use ``numpy.linalg.norm`` instead.\n")
    rows = scanned_rows(tmp_path, "numpy", "2.0.0", {
        "numpy/__init__.py": "from numpy import linalg\n",
        "numpy/linalg/__init__.py": "from numpy.linalg._linalg import norm\n__all__ = ['norm']\n",
        "numpy/linalg/_linalg.py": "def norm(x):\n    return x\n",
        "numpy/linalg/linalg.py": "from numpy.linalg import norm\n",
        "doc/source/release/2.0.0-notes.rst": notes})
    assert ("numpy.linalg.norm", None) not in rows
    assert rows[("numpy.linalg.linalg.norm", None)]["replacement"] == "numpy.linalg.norm"
