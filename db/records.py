"""Plain records written to and read from the knowledge base."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Evidence:
    kind: str                 # warning, decorator, docstring, stub, getattr, submodule, changelog
    path: str
    line: int
    version: str | None = None
    text: str = ""


@dataclass
class Deprecation:
    library: str
    api: str                  # fully qualified public name
    kind: str                 # module, class, function, method, attribute, parameter
    replacement: str | None = None
    since: str | None = None
    removed_in: str | None = None
    message: str | None = None
    parameter: str | None = None
    new_parameter: str | None = None
    # The replacement is a drop-in: same arguments (alias, rename, forwarding wrapper).
    drop_in: bool = False
    evidence: list[Evidence] = field(default_factory=list)


# How much one kind of evidence, alone, makes us believe a row. Several kinds
# combine as independent witnesses: 1 - prod(1 - w).
EVIDENCE_WEIGHT = {
    "warning": 0.8,
    "decorator": 0.85,
    "stub": 0.8,
    "getattr": 0.9,
    "submodule": 0.9,
    "docstring": 0.6,
    "changelog": 0.5,
}


def confidence(kinds: set[str]) -> float:
    miss = 1.0
    for kind in kinds:
        miss *= 1.0 - EVIDENCE_WEIGHT.get(kind, 0.3)
    return round(1.0 - miss, 4)
