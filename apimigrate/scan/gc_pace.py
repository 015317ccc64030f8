"""How often a scan's processes look for reference cycles.

Reading files makes short-lived objects by the million (tree-sitter nodes, a Cython file's
tokens, facts) while the process holds a large heap (the facts read so far, the name indices), and
at Python's default pace, a collection each 700 allocations, the collector walked that heap over
and over: a scan of the four libraries in one process took 39.3 s at that pace and 31.1 s at this
one, and with two workers used 8% more CPU (benchmarks/gc_pace.py). Reference counting frees nearly
all of a scan's garbage, so the scan collects less often: its workers for their whole life, the
scanning process while it scans (then as before: the language server and the tests share it).
`APIMIGRATE_SCAN_GC=700,10,10` scans at Python's own pace.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

from .targets import ScanError

# young collections each 100,000 allocations, older ones far apart
SCAN_THRESHOLDS = (100_000, 50, 100)
ENV = "APIMIGRATE_SCAN_GC"


def scan_thresholds() -> tuple[int, int, int]:
    """The thresholds a scan collects at: `APIMIGRATE_SCAN_GC` (three integers, as
    `gc.set_threshold` takes them), else SCAN_THRESHOLDS."""
    value = os.environ.get(ENV)
    if not value:
        return SCAN_THRESHOLDS
    try:
        first, second, third = (int(part) for part in value.split(","))
    except ValueError:
        raise ScanError(f"{ENV}={value!r}: give three integers, as 700,10,10") from None
    return first, second, third


def collect_less() -> None:
    gc.set_threshold(*scan_thresholds())


@contextmanager
def collecting_less() -> Iterator[None]:
    before = gc.get_threshold()
    collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*before)
