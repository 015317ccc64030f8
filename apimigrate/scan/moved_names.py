"""A namespace whose names moved to a submodule of it: one finding for each name that moved.

scipy 1.13's notes say it of a whole family at once: "Window functions can no longer be imported
from the `scipy.signal` namespace and instead should be accessed through either
`scipy.signal.windows` or `scipy.signal.get_window`". Which names that covers only the library
knows: those `scipy.signal.windows` exports and `scipy.signal` no longer does (`hann`, `hamming`,
`kaiser`, ...; `get_window` is still served by both). Each is a finding of its own: `scipy.signal.hann`,
removed in 1.13, replaced by `scipy.signal.windows.hann`, the same function.
"""
from __future__ import annotations

from dataclasses import replace

from .model import RawFinding
from .names import NameIndex

__all__ = ["moved_name_findings"]


def moved_name_findings(findings: list[RawFinding], names: NameIndex) -> list[RawFinding]:
    """`findings` with each moved namespace's finding (`RawFinding.moved_to`) made into one finding
    per name the first named submodule the library has exports and the namespace does not."""
    if not any(f.moved_to for f in findings):
        return findings
    by_owner: dict[str, list[str]] = {}
    for api in names.public:
        owner, _, leaf = api.rpartition(".")
        by_owner.setdefault(owner, []).append(leaf)
    out: list[RawFinding] = []
    for f in findings:
        if not f.moved_to:
            out.append(f)
            continue
        home = next((m for m in f.moved_to if m in names.modules), None)
        for leaf in sorted(by_owner.get(home, ())) if home is not None else ():
            if f"{home}.{leaf}" in names.modules or f"{f.target}.{leaf}" in names.public:
                continue        # a submodule of the new home; a name still served where it was
            out.append(replace(f, kind=names.kind_of(home, leaf), target=f"{f.target}.{leaf}",
                               replacement=f"{home}.{leaf}", drop_in=True, moved_to=[]))
    return out
