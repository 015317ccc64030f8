"""The calls a def passes its parameters on through (scan/forwarding.py `forward_calls`) are those
whose callee may be one of the library's defs: the module's own names, what it imports from the
library (any of its top-level packages), `self`/`cls`, a def's own import. A call of a builtin,
a local or another library's function (scipy's defs pass their parameters to numpy 30,000 times)
reaches no def the runner can follow, and is not recorded; a .pyx module keeps them all, since
what it cimports binds no Python name and the runner looks its unknown callees up by name.
"""
from __future__ import annotations

from apimigrate.scan.python_source import extract_python

SOURCE = b'''\
import numpy as np
from tinylib._impl import helper
from tinyext import bridge
from . import _local


def own(freq):
    return freq


class Frame:
    def other(self, freq):
        return freq

    def resample(self, freq):
        return self.other(freq)


def api(freq, data):
    np.asarray(data)
    len(freq)
    helper(freq)
    bridge(freq)
    own(freq)
    _local.go(freq)
    from numpy import asarray as numpy_asarray
    numpy_asarray(freq)
    from tinylib.late import later
    later(freq)
'''


def _callees(path: str, packages: tuple[str, ...] = ()) -> list[str]:
    result = extract_python(SOURCE, path, "tinylib.api", packages=packages)
    assert result.error is None
    return sorted({f["callee"] for f in result.module_info.forwards})


def test_only_calls_that_may_reach_the_library_s_defs_are_recorded():
    # a def's own import is recorded whatever it imports (the runner follows only the library's)
    assert _callees("tinylib/api.py", ("tinylib", "tinyext")) == [
        "_local.go", "bridge", "helper", "later", "numpy_asarray", "own", "self.other"]


def test_the_module_s_own_package_is_the_library_when_none_is_given():
    assert "bridge" not in _callees("tinylib/api.py") and "helper" in _callees("tinylib/api.py")


def test_a_cython_module_keeps_every_call():
    callees = _callees("tinylib/api.pyx", ("tinylib",))
    assert {"np.asarray", "len", "bridge", "helper"} <= set(callees)


def test_a_scan_reads_each_module_with_all_the_library_s_packages(tmp_path):
    from apimigrate.scan.extract import extract_batch
    from apimigrate.scan.targets import SourceFile
    path = tmp_path / "tinylib" / "api.py"
    path.parent.mkdir()
    path.write_bytes(SOURCE)
    [result] = extract_batch([SourceFile(path, "tinylib/api.py", "tinylib.api")], "tinylib", "1.0",
                             ("tinylib", "tinyext"))
    assert "bridge" in {f["callee"] for f in result.module_info.forwards}
