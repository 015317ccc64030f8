"""A method name that is also a live function a library module exports is not matched by name.

matplotlib 3.11's tests take pandas as a pytest fixture, `def test_bar_pandas(pd):`, and call
`pd.to_datetime(...)`: `pd` is of unknown origin, pandas 3 has no live class member called
`to_datetime`, and a scan that read pandas' older releases knows `DatetimeIndex.to_datetime`
(removed in 0.23), so the call was reported as that removed method. The library below has that shape:
a module function re-exported at the top (`frames.to_datetime`) and a class's deprecated method of the
same name.
"""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import find_references
from scan_support import index_of, scan_library

LIBRARY = {
    "frames/__init__.py": "from frames.tools import to_datetime\nfrom frames.index import DatetimeIndex\n",
    # a keyword of it deprecated, as pandas' `infer_datetime_format`: the knowledge base keeps the other
    # paths of the APIs it has rows of (and of classes), which is how it knows the function is live
    "frames/tools.py": (
        "import warnings\n\n\ndef to_datetime(arg, infer_datetime_format=None):\n"
        "    if infer_datetime_format is not None:\n"
        "        warnings.warn('The argument infer_datetime_format is deprecated', FutureWarning)\n"
        "    return arg\n"),
    "frames/index.py": (
        "import warnings\n\n\nclass DatetimeIndex:\n"
        "    def to_datetime(self):\n"
        "        warnings.warn('to_datetime is deprecated, use pd.to_datetime instead', FutureWarning)\n"
        "        return self\n\n"
        "    def asobject(self):\n"
        "        warnings.warn('asobject is deprecated, use astype(object) instead', FutureWarning)\n"
        "        return self\n"),
}


def test_a_live_module_function_of_the_name_vetoes_a_by_name_match(tmp_path: Path) -> None:
    scan_library(tmp_path, "frames", "1.0.0", LIBRARY).close()
    index = index_of(tmp_path / "k.db")
    src = ("import frames\n\n\ndef test_bar(pd, idx):\n"
           "    pd.to_datetime(idx)\n"                  # 5: the fixture's module function, most likely
           "    idx.asobject()\n"                       # 6: no live function of that name: by name
           "    frames.DatetimeIndex().to_datetime()\n")  # 7: a library value: its class decides
    assert [(r.line + 1, r.api) for r in find_references(src, index)] \
        == [(6, "frames.DatetimeIndex.asobject"), (7, "frames.DatetimeIndex.to_datetime")]
