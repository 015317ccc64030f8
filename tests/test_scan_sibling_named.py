"""A method's warning that names a sibling member as deprecated with it, when that sibling calls it first thing.

Found by the audit of `check` on accelerate with torch 2.13 scanned: FSDP's `set_state_dict_type`
warns "FSDP.state_dict_type() and FSDP.set_state_dict_type() are being deprecated", and the context
manager `state_dict_type` calls `FullyShardedDataParallel.set_state_dict_type(...)` before it yields;
only `set_state_dict_type` had a row, so 5 uses of `state_dict_type` in accelerate were missed.
"""
from __future__ import annotations

from pathlib import Path

from scan_support import scanned_rows

FSDP = '''\
import contextlib
import warnings


class FullyShardedDataParallel:
    @staticmethod
    def set_state_dict_type(module, state_dict_type, state_dict_config=None):
        """Set the ``state_dict_type`` of all the descendant FSDP modules."""
        warnings.warn(
            "FSDP.state_dict_type(), FSDP.summon() and FSDP.set_state_dict_type() are being "
            "deprecated. Please use APIs, get_state_dict() and set_state_dict(), "
            "which can support different parallelisms, FSDP1, FSDP2, DDP.",
            FutureWarning,
            stacklevel=2,
        )
        return state_dict_type

    @staticmethod
    @contextlib.contextmanager
    def state_dict_type(module, state_dict_type, state_dict_config=None):
        prev = FullyShardedDataParallel.set_state_dict_type(module, state_dict_type, state_dict_config)
        yield
        FullyShardedDataParallel.set_state_dict_type(module, prev)

    @staticmethod
    def get_state_dict_type(module):
        # named in no warning
        return FullyShardedDataParallel.set_state_dict_type(module, None)

    @staticmethod
    def summon(module):
        # named with it, calls it only under a condition: its own warning would say
        if module is None:
            FullyShardedDataParallel.set_state_dict_type(module, None)
        return module

    def set_state_dict(self, state):
        # named in the warning as the replacement, calls it only under a condition
        if state is None:
            FullyShardedDataParallel.set_state_dict_type(self, None)
        return state
'''


def test_a_sibling_the_warning_names_and_that_calls_the_method(tmp_path: Path) -> None:
    rows = scanned_rows(tmp_path, "tfsdp", "2.13.0", {"tfsdp/__init__.py": FSDP})
    assert {api for api, param in rows if param is None} == {
        "tfsdp.FullyShardedDataParallel.set_state_dict_type", "tfsdp.FullyShardedDataParallel.state_dict_type"}
    sibling = rows[("tfsdp.FullyShardedDataParallel.state_dict_type", None)]
    assert sibling["message"].startswith("FSDP.state_dict_type(), FSDP.summon() and FSDP.set_state_dict_type() are being")
