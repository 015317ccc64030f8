"""sqlite-utils without its optional pandas/numpy imports.

sqlite_utils.db imports pandas and numpy when they are installed, only to map
their scalar types to column types. We store str/int/float/None alone, and
those two imports cost ~0.9 s of every `apimigrate check` start (measured with
`python -X importtime -c "import apimigrate.cli.main"`), so they are hidden
while sqlite_utils loads. Already-imported modules are left as they are.
"""
from __future__ import annotations

import sys

_HIDDEN = ("pandas", "numpy")


def _import_lean() -> None:
    hidden = [m for m in _HIDDEN if m not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_import_lean()

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations"]
