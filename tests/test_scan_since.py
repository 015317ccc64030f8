"""`scan NAME --since X` walks the minor releases from X to the one the user's code runs on: the
pinned one, else the installed one (never a newer release than is installed), else the newest."""
from __future__ import annotations

from importlib import metadata

import pytest
from packaging.version import Version

from apimigrate.scan import runner
from apimigrate.scan.targets import ScanError

INDEX = ["2.1.0", "2.2.0", "2.2.6", "2.3.0", "2.3.5", "2.4.0", "2.4.6", "2.5.5", "3.0.0rc1", "3.0.1"]


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """The releases `trees_for` would fetch (nothing is fetched): the index above for every name."""
    got: list[str] = []
    monkeypatch.setattr(runner, "release_versions", lambda name: INDEX)
    monkeypatch.setattr(runner, "pinned_tree", lambda name, version: got.append(version) or version)
    return got


def test_up_to_the_installed_release(fetched, monkeypatch):
    monkeypatch.setattr(runner.metadata, "version", lambda name: {"numpy": "2.4.6"}[name])
    runner.trees_for("numpy", since="2.2")
    assert fetched == ["2.2.6", "2.3.5", "2.4.6"]


def test_up_to_the_pinned_release_whatever_is_installed(fetched):
    runner.trees_for("numpy==2.3.0", since="2.2")
    assert fetched == ["2.2.6", "2.3.0"]


def test_up_to_the_newest_when_not_installed(fetched, monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)
    monkeypatch.setattr(runner.metadata, "version", not_installed)
    runner.trees_for("numpy", since="2.4")
    assert fetched == ["2.4.6", "2.5.5", "3.0.1"]
    with pytest.raises(ScanError, match="no release of numpy between 3.1 and 3.0.1"):
        runner.trees_for("numpy", since="3.1")


def test_the_real_installed_numpy_bounds_the_walk(fetched):
    installed = metadata.version("numpy")
    runner.trees_for("numpy", since="2.0")
    assert fetched and all(Version(v) <= Version(installed) for v in fetched)


@pytest.mark.parametrize("target, since", [("numpy", "abc"), ("numpy==abc", None), ("numpy==", None),
                                           ("numpy==2.4.6", "2.x")])
def test_a_version_that_is_none_is_said_before_any_index_is_asked(fetched, target, since):
    """`--since abc` ended in packaging's InvalidVersion traceback; `numpy==abc` asked pip and the index."""
    with pytest.raises(ScanError, match=r"is not a version"):
        runner.trees_for(target, since)
    assert fetched == []
