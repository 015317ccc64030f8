"""Release notes name a removed API loosely: bare (scikit-learn 0.17's "The deprecated ``Bootstrap``
cross-validation iterator was removed") or under the package alone where it was a method (numpy
2.3's "``np.tostring`` has been removed, use ``tobytes`` instead (deprecated since 1.19)", of
`ndarray.tostring`). Such a name is the one other deprecated API of that name the scan found,
never a made-up module-level `sklearn.Bootstrap` or `numpy.tostring` whose removal no user call
matches (scan/resolve.py `_onto_namesakes`)."""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import find_references
from scan_support import index_of, scanned_rows


def _notes(version: str, section: str, *bullets: str) -> str:
    title = f"TinyNP {version} Release Notes"
    return f"{'=' * len(title)}\n{title}\n{'=' * len(title)}\n\n{section}\n{'=' * len(section)}\n\n" \
        + "".join(f"* {b}\n\n" for b in bullets)


FILES = {
    "tinynp/__init__.py": (
        "import warnings\n\nfrom .core import ndarray, zeros\nfrom . import core, ma, random, stats\n\n\n"
        "def __getattr__(name):\n    if name == 'round_':\n"
        "        warnings.warn('`round_` is deprecated, use `round` instead', DeprecationWarning, stacklevel=2)\n"
        "        return round\n    raise AttributeError(name)\n"),
    "tinynp/core/__init__.py": ("class ndarray:\n    def tobytes(self):\n        return b''\n\n\n"
                                "def zeros(n):\n    return ndarray()\n"),
    "tinynp/ma.py": "class MaskedArray:\n    def tobytes(self):\n        return b''\n",
    "tinynp/random.py": "class KFold:\n    pass\n",
    "tinynp/stats.py": "def describe(a):\n    pass\n",
    "doc/source/release/1.15.0-notes.rst": _notes(
        "1.15.0", "Deprecations", "``tinynp.random.Bootstrap`` is deprecated. Use ``tinynp.random.KFold`` instead.",
        "``tinynp.stats.histogram`` is deprecated.",
        "``tinynp.core.loads`` and ``tinynp.ma.loads`` are deprecated.",
        "The ``tinynp.core.umath_tests`` module is deprecated."),
    "doc/source/release/1.19.0-notes.rst": _notes(
        "1.19.0", "Deprecations", "``tinynp.ndarray.tostring()`` is deprecated in favor of ``tobytes()``.",
        "``tinynp.MachAr`` is deprecated.", "``tinynp.core.MachAr`` is deprecated.",
        "``tinynp.ma.MaskedArray.round_`` is deprecated.",
        "``describe`` is deprecated.", "``tinynp.legacy.describe`` is deprecated."),
    "doc/source/release/2.3.0-notes.rst": _notes(
        "2.3.0", "Expired deprecations", "``tinynp.tostring`` has been removed, use ``tobytes`` instead (deprecated since 1.19).",
        "The deprecated ``Bootstrap`` cross-validation iterator was removed.",
        "``tinynp.histogram`` has been removed from the main namespace.",
        "``loads`` has been removed.", "``tinynp.round_`` has been removed, use ``round`` instead.",
        "Removed deprecated ``MachAr`` runtime discovery mechanism.",
        "The ``umath_tests`` module has been removed."),
}


def _rows(tmp_path: Path) -> dict[str, dict]:
    rows = scanned_rows(tmp_path, "tinynp", "2.4.0", FILES)
    return {api: row for (api, parameter), row in rows.items() if parameter is None}


def test_a_removal_written_under_the_package_is_the_methods_of_that_name(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert "tinynp.tostring" not in rows
    tostring = rows["tinynp.ndarray.tostring"]
    assert (tostring["since"], tostring["removed_in"], tostring["replacement"]) \
        == ("1.19.0", "2.3.0", "tinynp.ndarray.tobytes")


def test_a_bare_removal_is_the_one_deprecated_api_of_that_name(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert "tinynp.Bootstrap" not in rows
    bootstrap = rows["tinynp.random.Bootstrap"]
    assert (bootstrap["since"], bootstrap["removed_in"]) == ("1.15.0", "2.3.0")
    # a module too: numpy 1.15's compiled ``umath_tests`` was `numpy.core.umath_tests`
    assert "tinynp.umath_tests" not in rows
    assert rows["tinynp.core.umath_tests"]["removed_in"] == "2.3.0"


def test_loose_names_that_could_be_another_api_stay_as_written(tmp_path: Path) -> None:
    """The namesakes the 2.3.0 notes do not mean keep no removal of theirs; those that 2.4.0 lacks
    under a module or class it has are gone by 2.4.0 all the same (seen, not dated)."""
    rows = _rows(tmp_path)
    gone = ("2.4.0", "gone")

    def removal(api: str) -> tuple[str | None, str | None]:
        return rows[api]["removed_in"], rows[api]["removal"]
    # a module-level function is no method: scipy's `histogram` left the main namespace, while
    # `scipy.stats.histogram` had gone its own way
    assert rows["tinynp.histogram"]["removed_in"] == "2.3.0"
    assert removal("tinynp.stats.histogram") == gone
    # two namesakes: either could be meant
    assert rows["tinynp.loads"]["removed_in"] == "2.3.0"
    assert removal("tinynp.core.loads") == gone and removal("tinynp.ma.loads") == gone
    # a bare name the notes also wrote under the package is that one, not its namesake in `core`
    assert rows["tinynp.MachAr"]["removed_in"] == "2.3.0"
    assert removal("tinynp.core.MachAr") == gone
    # a name the module's `__getattr__` still answers is no loose name of a gone method
    assert rows["tinynp.round_"]["removed_in"] == "2.3.0"
    assert removal("tinynp.ma.MaskedArray.round_") == gone
    # a bare name the release has is that one
    assert rows["tinynp.stats.describe"]["since"] == "1.19.0" and "tinynp.legacy.describe" in rows


def test_check_says_the_method_is_gone(tmp_path: Path) -> None:
    """Also on a value of unknown type: "``tinynp.ndarray.tostring()`` is deprecated" made a
    class's function, which no by-name match looked for."""
    _rows(tmp_path)
    index = index_of(tmp_path / "k.db")
    src = b"import tinynp as tn\n\n\ndef f(a):\n    return a.tostring()\n"
    refs = find_references(src, index)
    assert [(r.api, r.row["removed_in"], r.row["replacement"], r.by_name) for r in refs] \
        == [("tinynp.ndarray.tostring", "2.3.0", "tinynp.ndarray.tobytes", True)]
