"""A namespace whose names moved to a submodule of it (scan/moved_names.py): the notes say it of a
family at once, the library knows which names that is.

scipy 1.13's "Expired Deprecations": "Window functions can no longer be imported from the
`scipy.signal` namespace and instead should be accessed through either `scipy.signal.windows` or
`scipy.signal.get_window`." Each name `scipy.signal.windows` exports and `scipy.signal` does not is
a removed API whose replacement is the same function in its new home; `get_window`, which both
export, is none, nor is a module or a private name. The library below has scipy's layout; the
notes are scipy's own (1.11's with its typos: `scipy.window`, which names no submodule home).
"""
from __future__ import annotations

from apimigrate.callsites import find_references
from scan_support import index_of, scanned_db

SIGNAL = '''\
from . import windows
from ._filters import lfilter
from .windows import get_window

__all__ = ["lfilter", "get_window", "windows"]
'''

WINDOWS = '''\
from ._windows import *
from . import tables, windows

__all__ = ["hann", "kaiser", "get_window"]
'''

WINDOWS_IMPL = '''\
__all__ = ["hann", "kaiser", "get_window"]


def hann(M, sym=True):
    return M


def kaiser(M, beta, sym=True):
    return M


def get_window(window, Nx):
    return window


def _helper(M):
    return M
'''

NOTES_1_13 = """\
==========================
SciPy 1.13.0 Release Notes
==========================

*********************
Expired Deprecations
*********************
There is an ongoing effort to follow through on long-standing deprecations.
The following previously deprecated features are affected:

- ``scipy.signal.{lsim2,impulse2,step2}`` have been removed in favour of
  ``scipy.signal.{lsim,impulse,step}``.
- Window functions can no longer be imported from the `scipy.signal` namespace and
  instead should be accessed through either `scipy.signal.windows` or
  `scipy.signal.get_window`.
"""

NOTES_1_11 = """\
==========================
SciPy 1.11.0 Release Notes
==========================

Deprecated features
===================
- Importing window functions directly from `scipy.window` has been soft
  deprecated since SciPy 1.1.0. They now raise a ``DeprecationWarning`` and
  will be removed in SciPy 1.13.0. Users should instead import them from
  `scipy.signal.window` or use the convenience function
  `scipy.signal.get_window`.
"""

FILES = {
    "scipy/__init__.py": "",
    "scipy/signal/__init__.py": SIGNAL,
    "scipy/signal/_filters.py": "def lfilter(b, a, x):\n    return x\n",
    "scipy/signal/windows/__init__.py": WINDOWS,
    "scipy/signal/windows/_windows.py": WINDOWS_IMPL,
    "scipy/signal/windows/windows.py": "from ._windows import hann, kaiser\n",
    "scipy/signal/windows/tables.py": "COEFFICIENTS = {}\n",
    "scipy/filters/__init__.py": "from scipy.signal import lfilter\n\n\ndef lfilter2(b, a, x):\n    return x\n",
    "doc/source/release/1.13.0-notes.rst": NOTES_1_13,
    "doc/source/release/1.11.0-notes.rst": NOTES_1_11,
}

USES = '''\
from scipy import signal
from scipy.signal import kaiser

w = signal.hann(8)
k = kaiser(8, 5.0)
g = signal.get_window("hann", 8)
n = signal.windows.hann(8)
'''


def test_each_name_the_submodule_has_and_the_namespace_lacks_is_removed_from_it(tmp_path):
    db, rows = scanned_db(tmp_path, "scipy", "1.13.0", FILES)
    moved = {api: (row["replacement"], row["removed_in"], row["drop_in"], row["kind"])
             for (api, _), row in rows.items()
             if api.startswith("scipy.signal.") and "windows" in (row["replacement"] or "")}
    assert moved == {"scipy.signal.hann": ("scipy.signal.windows.hann", "1.13.0", 1, "function"),
                     "scipy.signal.kaiser": ("scipy.signal.windows.kaiser", "1.13.0", 1, "function")}
    # neither the namespace nor the typo'd one of 1.11 is a row of its own
    assert not any(api in ("scipy.signal", "scipy.window") or api.startswith("scipy.window.") for api, _ in rows)
    found = {(r.line, r.api, r.row["replacement"]) for r in find_references(USES, index_of(db))}
    assert found == {(1, "scipy.signal.kaiser", "scipy.signal.windows.kaiser"),
                     (3, "scipy.signal.hann", "scipy.signal.windows.hann"),
                     (4, "scipy.signal.kaiser", "scipy.signal.windows.kaiser")}


def test_a_deprecated_import_place_is_dated_by_its_notes_and_not_removed(tmp_path):
    notes = """\
Version 2.0
===========

Deprecations
------------

- Importing the window functions from ``tinysig.signal`` is deprecated; import them
  from ``tinysig.signal.windows`` instead.
- Importing the filter functions from ``tinysig.signal`` is deprecated; import them
  from ``tinysig.filters`` instead.
"""
    files = {path.replace("scipy/", "tinysig/"): text.replace("scipy", "tinysig")
             for path, text in FILES.items() if not path.startswith("doc/")}
    files["doc/whatsnew/v2.0.rst"] = notes
    _, rows = scanned_db(tmp_path, "tinysig", "2.0", files)
    row = rows[("tinysig.signal.hann", None)]
    assert (row["replacement"], row["since"], row["removed_in"]) == ("tinysig.signal.windows.hann", "2.0", None)
    assert ("tinysig.signal.get_window", None) not in rows
    # a submodule of the new home is no name that moved; the sibling `filters` is no home of them
    assert ("tinysig.signal.tables", None) not in rows and ("tinysig.signal.lfilter2", None) not in rows
