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
