"""Scan bugs a review of this session's scan changes found (each shape as the review's repro had it)."""
from __future__ import annotations

from apimigrate.scan.changelog import extract_changelog
from apimigrate.scan.python_source import extract_python


def _findings(src: str, module: str = "lib.mod", path: str = "lib/mod.py"):
    return [(f.kind, f.target, f.replacement) for f in extract_python(src.encode(), path, module).findings]


def test_a_warning_class_built_with_a_category_is_no_warning():
    """scikit-learn 1.9's utils/_testing.py builds `WarningInfo(..., category=DeprecationWarning)`
    filters; `warnings.WarningMessage(msg, DeprecationWarning, ...)` records one: neither warns."""
    src = '''\
import warnings


class WarningInfo:
    def __init__(self, action, message="", category=Warning):
        self.action = action


def default_filters():
    """The filters the test-suite installs."""
    return [WarningInfo("ignore", message="pkg_resources is deprecated as an API", category=DeprecationWarning)]


def record(msg, lineno):
    return warnings.WarningMessage(msg, DeprecationWarning, __file__, lineno)
'''
    assert _findings(src, "lib.testing", "lib/testing.py") == []


def test_a_directive_opening_on_the_replacement_is_about_the_api():
    src = '''\
def old_func(x):
    """Old.

    .. deprecated:: 1.5
        :func:`new_func` should be used instead.
    """
    return new_func(x)


def new_func(x):
    return x
'''
    assert _findings(src) == [("function", "old_func", "new_func")]


def test_a_checkout_without_a_release_version_keeps_one_file_api_change_notes():
    """matplotlib's pyproject has a dynamic version: a checkout is scanned as `0+local`, which dates
    no series, so its `api_changes_3.8.1.rst` is not an older series' note to skip."""
    notes = (b"API Changes for 3.8.1\n=====================\n\nDeprecations\n------------\n\n"
             b"``Axes.get_foo`` is deprecated\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n\n... with no replacement.\n")
    path = "doc/api/prev_api_changes/api_changes_3.8.1.rst"
    for version in ("3.8.4", "0+local"):
        found = extract_changelog(notes, path, library="matplotlib", version=version, packages=["matplotlib"])
        assert [(f.target, f.since) for f in found.findings] == [("Axes.get_foo", "3.8.1")], version


def _parameter_rows(src: str, module: str, path: str):
    return [(f.target, f.parameter, f.usage, f.removed_in, f.message)
            for f in extract_python(src.encode(), path, module).findings if f.parameter]


def test_matplotlib_s_helper_told_a_parameter_deprecates_any_use_only_where_it_was_given():
    """matplotlib 3.8.4 table.py:501 warns with `name="col"` under a type test: passing an int stays
    fine. The `else:` of `if vert is None:` (axes/_axes.py `bxp`) is where it was given."""
    typed = '''\
from . import _api


class Table:
    def auto_set_column_width(self, col):
        if not isinstance(col, int):
            _api.warn_deprecated("3.8", name="col",
                                 message="%(name)s must be an int or sequence of ints. Passing other types is "
                                 "deprecated since %(since)s and will be removed %(removal)s.")
        return col
'''
    given = '''\
from . import _api


class Axes:
    def bxp(self, bxpstats, vert=None, orientation="vertical"):
        if vert is None:
            vert = True
        else:
            _api.warn_deprecated("3.11", name="vert: bool", alternative="orientation: {'vertical', 'horizontal'}")
        return vert
'''
    [(_, _, usage, removed_in, message)] = _parameter_rows(typed, "mpw.table", "mpw/table.py")
    assert usage != ["any"] and removed_in == "3.10"
    assert message.endswith("deprecated since 3.8 and will be removed in 3.10.")     # as matplotlib words it
    assert [row[:4] for row in _parameter_rows(given, "mpw.axes", "mpw/axes.py")] == [
        ("Axes.bxp", "vert", ["any"], "3.13")]


def test_matplotlib_s_removal_false_plans_no_removal():
    src = '''\
from . import _api


def old_thing():
    _api.warn_deprecated("3.6", name="old_thing", obj_type="function", removal=False, alternative="new_thing")
'''
    [found] = extract_python(src.encode(), "mpw/mod.py", "mpw.mod").findings
    assert (found.removed_in, found.message) == (
        None, "The old_thing function was deprecated in Matplotlib 3.6. Use new_thing instead.")
