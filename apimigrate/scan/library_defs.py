"""Where a name one module of a library writes is defined, and which class of a hierarchy defines a member.

The runner's joins over the whole library (scan/forwarding.py, scan/delegation.py) follow names
from module to module: `DatetimeArray` as `pandas/core/indexes/accessors.py` imports it is the
class `pandas/core/arrays/datetimes.py` defines, whose `floor` is `TimelikeOps.floor` of
`pandas/core/arrays/datetimelike.py`, where the warning is.
"""
from __future__ import annotations

from .model import ModuleInfo

__all__ = ["attribute_classes", "class_place", "defining", "exported", "resolve_written"]

Modules = dict[str, ModuleInfo]
Place = tuple[str, str]          # (module, qualname in it)

_MAX_REEXPORTS = 6
_MAX_BASES = 8                   # depth of a hierarchy walked for a member


def exported(by_module: Modules, module: str, qual: str) -> Place | None:
    """Where `module.qual` is defined, following re-exports."""
    for _ in range(_MAX_REEXPORTS):
        info = by_module.get(module)
        if info is None or not qual:
            return None
        head, _, rest = qual.partition(".")
        if head in info.defs:
            return module, qual
        if head not in info.imports:
            # `from pkg.core.arrays import datetimelike as dtl`: a package's submodule
            module, qual = f"{module}.{head}", rest
            continue
        module, name = info.imports[head]
        if name is None:
            qual = rest
        else:
            qual = ".".join(filter(None, [name, rest]))
    return None


def resolve_written(by_module: Modules, info: ModuleInfo, written: str) -> Place | None:
    """Where a dotted name as `info`'s module writes it (`DatetimeArray._datetimelike_methods`,
    `dtl.TimelikeOps`) is defined: one of its own top-level names, or an import's."""
    head, _, rest = written.partition(".")
    if head in info.defs:
        return info.module, written
    if head not in info.imports:
        return None
    module, name = info.imports[head]
    if name is None:
        return exported(by_module, module, rest) if rest else None
    return exported(by_module, module, ".".join(filter(None, [name, rest])))


def defining(by_module: Modules, module: str, qual: str, depth: int = 0) -> Place | None:
    """`Class.member` -> the class of its hierarchy that defines the member (the class itself, else
    its bases depth first, as Python's order has it for the single inheritance that matters here);
    a name that is no member of a known class is its own place."""
    info = by_module.get(module)
    cls, _, member = qual.rpartition(".")
    if info is None or not cls or cls not in info.bases:
        return module, qual
    if member in info.members.get(cls, ()):
        return module, qual
    if depth >= _MAX_BASES:
        return None
    for base in info.bases[cls]:
        place = class_place(by_module, info, base)
        if place is None:
            continue
        found = defining(by_module, place[0], f"{place[1]}.{member}", depth + 1)
        if found is not None and _defines(by_module, found):
            return found
    return None


def attribute_classes(by_module: Modules, module: str, cls: str, attr: str, depth: int = 0) -> list[Place]:
    """The classes a class-body annotation of `cls` or of a base gives `attr` (pandas'
    `_data: DatetimeArray`), nearest first; [] when none is known."""
    info = by_module.get(module)
    if info is None or depth > _MAX_BASES:
        return []
    written = info.attribute_classes.get(f"{cls}.{attr}")
    if written is not None:
        places = [class_place(by_module, info, name) for name in written]
        return [p for p in places if p is not None] if all(places) else []
    for base in info.bases.get(cls, ()):
        place = class_place(by_module, info, base)
        if place is not None:
            found = attribute_classes(by_module, place[0], place[1], attr, depth + 1)
            if found:
                return found
    return []


def class_place(by_module: Modules, info: ModuleInfo, written: str) -> Place | None:
    """A class as `info`'s module writes it, when the library defines it."""
    if written in info.bases:                       # the module's own (nested ones too)
        return info.module, written
    place = resolve_written(by_module, info, written)
    if place is None or place[1] not in by_module[place[0]].bases:
        return None
    return place


def _defines(by_module: Modules, place: Place) -> bool:
    module, qual = place
    cls, _, member = qual.rpartition(".")
    info = by_module.get(module)
    return info is not None and member in info.members.get(cls, ())
