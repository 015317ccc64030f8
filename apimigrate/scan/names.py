"""Public, fully qualified names of a library, from what its modules define and re-export.

A function defined in `numpy/lib/_shape_base_impl.py` and re-exported by
`numpy/__init__.py` is `numpy.row_stack`: the shortest public path wins. A
method is `<public path of its class>.<method>`.
"""
from __future__ import annotations

import builtins
import importlib.util
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from apimigrate.db.records import INTERNAL_SEGMENTS, SELF, UNION, ClassFacts, union_classes, union_of_known

from .model import ModuleInfo
from .signatures import CONTEXT_ENTRIES, DESCRIPTOR, plain_shape

# Bases from elsewhere that give a class no members of their own to speak of.
_INITLESS_BASES = frozenset({"object", "typing.Generic", "typing.Protocol", "abc.ABC", "typing_extensions.Protocol"})

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")

# How code usually spells a library's top package; used to read "np.vstack".
COMMON_ALIASES = {
    "np": "numpy", "pd": "pandas", "sp": "scipy", "plt": "matplotlib.pyplot", "mpl": "matplotlib",
    "sns": "seaborn", "tf": "tensorflow", "nx": "networkx", "xr": "xarray", "pl": "polars",
    "jnp": "jax.numpy",
}


@lru_cache(maxsize=None)
def _is_module_name(head: str) -> bool:
    """`inspect` names a module; `arr` (from "use arr.T.copy()") does not."""
    if head in sys.stdlib_module_names:
        return True
    try:
        return importlib.util.find_spec(head) is not None
    except (ImportError, ValueError):
        return False


def is_public_module(module: str) -> bool:
    return not any(part.startswith("_") for part in module.split("."))


def _public_local(name: str) -> bool:
    return not name.startswith("_")


@dataclass
class NameIndex:
    """origin (module, name) -> public dotted path, and every public path we know."""

    packages: list[str]
    origin_public: dict[tuple[str, str], str] = field(default_factory=dict)
    public: set[str] = field(default_factory=set)
    by_last: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    _accessors: dict[str, str] | None = field(default=None, repr=False)
    _bases: dict[str, list[str]] | None = field(default=None, repr=False)
    _accepted: dict[str, list[str] | None] | None = field(default=None, repr=False)
    _shapes: dict[str, tuple[list[str], list[int]]] | None = field(default=None, repr=False)
    _members: dict[str, set[str]] | None = field(default=None, repr=False)
    _member_apis: set[str] | None = field(default=None, repr=False)
    _mros: dict[str, list[str]] | None = field(default=None, repr=False)
    _homes: set[str] | None = field(default=None, repr=False)
    _star_bound: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    # ---- deprecated API names -----------------------------------------------
    def public_name(self, module: str, target: str) -> str:
        """Public path of `target` (dotted, relative to `module`; '' = the module itself)."""
        if not target:
            return module
        head, _, rest = target.partition(".")
        origin = self._origin(module, head)
        base = self.origin_public.get(origin)
        if base is None:
            submodule = origin[0] if origin[1] == "" else f"{origin[0]}.{origin[1]}"
            if submodule in self.modules and submodule != module:
                # `base.IndexOpsMixin` where `from pandas.core import base`: a name of that module
                return self._canonical(f"{submodule}.{rest}") if rest else submodule
            base = f"{module}.{head}"
        return f"{base}.{rest}" if rest else base

    def call_parameters(self) -> dict[str, list[str] | None]:
        """Every function's and method's parameter names under the name a deprecation row gives
        it; a class's under its own name, from its `__new__` or else its `__init__`.

        What a class does not define it takes from the nearest class of its MRO that does, as
        long as no class from elsewhere comes first (it may define it): pandas' `Window` is
        called through `BaseWindow.__init__`, scikit-learn's `SparsePCA.transform` is
        `_BaseSparsePCA.transform`; a class none of whose classes defines a constructor takes
        no arguments (`object`'s). Computed once: the scan asks for it three times."""
        if self._accepted is None:
            self._accepted = self._call_parameters()
        return self._accepted

    def call_shape(self, api: str) -> tuple[list[str], list[int]] | None:
        """A function's or method's parameter names and how a call may pass them (signatures.py
        `call_shape`), by the name a deprecation row gives it; None when unknown or when it takes
        `**kwargs`. Classes are not looked into: their constructors come through the MRO."""
        if self._shapes is None:
            self._shapes = {}
            for info in self.modules.values():
                if info.call_shapes is None:
                    continue
                for qualname, names in info.params.items():
                    if names is None:
                        continue
                    shape = info.call_shapes.get(qualname, plain_shape(names))
                    if shape is not None:
                        self._shapes[self.public_name(info.module, qualname)] = (names, shape)
        return self._shapes.get(api)

    def _call_parameters(self) -> dict[str, list[str] | None]:
        out: dict[str, list[str] | None] = {}
        for info in self.modules.values():
            for qualname, names in info.params.items():
                out[self.public_name(info.module, qualname)] = names
                owner, _, method = qualname.rpartition(".")
                if owner and method in ("__new__", "__init__") and owner in info.bases:
                    cls = self.public_name(info.module, owner)
                    if method == "__new__" or f"{owner}.__new__" not in info.params:
                        out[cls] = names
        bases = self.classes()
        defined = self._defined()
        for cls, mro in self._class_mros().items():
            inherited: dict[str, list[str] | None] = {}
            seen = set(defined.get(cls, ()))
            complete = True
            for ancestor in mro[1:]:
                if ancestor not in bases:
                    if ancestor in _INITLESS_BASES:
                        continue
                    complete = False          # `NamedTuple`, `Enum`, another library's class
                    break
                for member in defined.get(ancestor, ()):
                    if member not in seen:
                        seen.add(member)
                        if f"{ancestor}.{member}" in out:
                            inherited[member] = out[f"{ancestor}.{member}"]
            for member, names in inherited.items():
                out.setdefault(f"{cls}.{member}", names)
            if cls not in out:
                constructors = [m for m in ("__new__", "__init__") if m in seen]
                if constructors and all(m in inherited for m in constructors):
                    out[cls] = inherited[constructors[0]]
                elif not constructors and complete:
                    out[cls] = []
                # else one is assigned, not defined (`__init__ = _make_init()`): unknown
        return out

    def has_member(self, cls: str, name: str) -> bool:
        """Whether the class `cls` (a public name) defines or inherits `name`."""
        if "." in name:
            return False
        defined = self._defined()
        return any(name in defined.get(c, ()) for c in self._class_mros().get(cls, [cls]))

    def _class_mros(self) -> dict[str, list[str]]:
        """Every class's MRO as far as the index knows its bases, computed once."""
        if self._mros is None:
            facts = ClassFacts(bases={cls: tuple(b) for cls, b in self.classes().items()})
            self._mros = {cls: facts.mro(cls) for cls in self.classes()}
        return self._mros

    def _defined(self) -> dict[str, set[str]]:
        """Every class's public name -> the members it defines itself."""
        if self._members is None:
            self._members = defaultdict(set)
            for info in self.modules.values():
                for cls, members in info.members.items():
                    self._members[self.public_name(info.module, cls)].update(members)
        return self._members

    def public_heirs(self, api: str, parameter: str | None) -> list[str]:
        """The public names by which users reach what a class with no public path defines
        (scikit-learn's `_BaseRidgeCV`, `_PLS`, `BaseSearchCV` of the private `_search` module):

        - a parameter of its constructor: each public subclass whose constructor takes it by
          that name (scikit-learn's estimators declare every parameter again and hand it on);
        - a member, or a parameter of a method: each public subclass that inherits the member
          from it, not overriding it (an override speaks for itself).

        [] when `api` is no such class or member of one."""
        bases = self.classes()
        if api in bases:
            owner, member = api, None
        else:
            owner, _, member = api.rpartition(".")
            if owner not in bases or member.startswith("_") and not member.endswith("__"):
                return []
        accepted, defined = self.call_parameters(), self._defined()
        heirs = []
        for cls, mro in sorted(self._class_mros().items()):
            if owner not in mro[1:] or not is_public_module(cls):      # a class path with no private part
                continue
            if member is None:
                if parameter is not None and parameter in (accepted.get(cls) or ()):
                    heirs.append(cls)
                continue
            definer = next((c for c in mro if member in defined.get(c, ())), None)
            if definer == owner:
                heirs.append(f"{cls}.{member}")
        return heirs

    def private_paths(self, wanted: set[str]) -> dict[str, str]:
        """Every other path a public name in `wanted` can be imported from, mapped to that name:
        where it is defined or re-exported (`sklearn.metrics._classification.d2_log_loss_score`,
        `pandas.core.frame.DataFrame`, `pandas.core.api.DataFrame`), so a check finds the uses of
        code that imports it from there. Only names of this library; `__dunder__` names are no API."""
        out: dict[str, str] = {}
        for info in self.modules.values():
            for name in (*info.defs, *info.imports):
                if name.startswith("__"):
                    continue
                public = self.public_name(info.module, name)
                alias = f"{info.module}.{name}"
                if public != alias and public in wanted and public.split(".")[0] in self.packages:
                    out.setdefault(alias, public)
        return out

    def kind_of(self, module: str, name: str) -> str:
        """"function", "class" or "attribute": what `name` is where `module`'s import of it leads."""
        origin_module, origin_name = self._origin(module, name)
        info = self.modules.get(origin_module)
        if not origin_name:
            return "module"
        return info.defs.get(origin_name, "attribute") if info is not None else "attribute"

    def origin(self, module: str, name: str) -> tuple[str, str]:
        """(module, name) where `name`, as `module` sees it, is defined (or declared)."""
        return self._origin(module, name)

    def _origin(self, module: str, name: str, depth: int = 0) -> tuple[str, str]:
        """Follow imports to where `name` (as seen in `module`) is really defined."""
        info = self.modules.get(module)
        if info is None or depth > 8 or name in info.deleted:
            return (module, name)
        if name in info.defs:
            return (module, name)
        if name in info.imports:
            src_mod, src_name = info.imports[name]
            if src_name is None:
                return (src_mod, "")
            return self._origin(src_mod, src_name, depth + 1)
        for star in info.star_imports:
            star_info = self.modules.get(star)
            if star_info is None or name not in self._bound_by_star(star_info):
                continue        # (scipy.sparse.linalg's `from ._matfuncs import *` binds no `solve`)
            # chains of star imports: numpy 1.x `from .lib import *` -> `from .function_base import *`
            found = self._origin(star, name, depth + 1)
            if found != (star, name) or name in star_info.defs:
                return found
        return (module, name)

    def _bound_by_star(self, info: ModuleInfo) -> frozenset[str]:
        """What `from <info.module> import *` binds (cached)."""
        bound = self._star_bound.get(info.module)
        if bound is None:
            bound = self._star_bound[info.module] = frozenset(_star_bindings(info, self, frozenset()))
        return bound

    def member_apis(self) -> set[str]:
        """Every public member of every class, under the name a deprecation row would give it:
        what it defines and what its methods set on the instance.

        Private classes and modules count too: their members reach users through public
        subclasses (numpy's stub `_ArrayOrScalarCommon`, pandas' `BaseMaskedArray.swapaxes` on
        every `Int64` array). Computed once: the scan asks for it twice.
        """
        if self._member_apis is None:
            self._member_apis = {self.public_name(info.module, f"{cls}.{member}")
                                 for info in self.modules.values()
                                 for cls, members in (*info.members.items(), *info.instance_members.items())
                                 for member in members if _public_local(member)}
        return self._member_apis

    def class_bases(self) -> dict[str, list[str]]:
        """Every class's public name -> its bases' (as far as imports tell), in order: with
        `member_apis` enough to find which class of a hierarchy defines a member."""
        return {self.public_name(info.module, cls): [self.base_name(info.module, b) for b in bases]
                for info in self.modules.values() for cls, bases in info.bases.items()}

    def return_types(self, classes: set[str]) -> dict[str, list[dict]]:
        """Every function's and method's public name -> its signatures (scan/signatures.py), each
        `returns` made the public name of one of `classes` (`class_bases`' keys) or SELF (for a
        method), else None; only those where some signature returns such a class, and every
        context manager's entry (`__enter__`: what `with x as y` binds, scan/signatures.py)."""
        out: dict[str, list[dict]] = {}
        accessors = self.accessors()
        for info in self.modules.values():
            for qualname, sigs in info.signatures.items():
                method = "." in qualname
                entry = method and qualname.rsplit(".", 1)[-1] in CONTEXT_ENTRIES
                if not entry and not _public_local(qualname.rsplit(".", 1)[-1]):
                    continue
                if any(DESCRIPTOR in sig for sig in sigs):
                    if self.public_name(info.module, qualname) not in accessors:
                        continue
                    # kept as an accessor: `x.dt` on a receiver of unknown type is guessed by it too
                    sigs = [{**{k: v for k, v in sig.items() if k != DESCRIPTOR}, "accessor": True} for sig in sigs]
                resolved = [self._resolved(info.module, sig, classes, method) for sig in sigs]
                if entry or any(sig["returns"] or any(sig.get("items") or ()) for sig in resolved):
                    out[self.public_name(info.module, qualname)] = resolved
        for info in self.modules.values():
            for name, written in info.instances.items():
                api = self.public_name(info.module, name)
                if api in out or not _public_local(name):
                    continue
                # calling the object calls its class's `__call__` (numpy's `zeros: Final[_ConstructorEmpty]`)
                module, cls = self._defining(info.module, written)
                held = self.modules.get(module)
                sigs = held.signatures.get(f"{cls}.__call__") if held is not None and cls else None
                resolved = [{**sig, "returns": self._returned(module, sig["returns"], classes, False)}
                            for sig in sigs or ()]
                if any(sig["returns"] for sig in resolved):
                    out[api] = resolved
        return out

    def _resolved(self, module: str, sig: dict, classes: set[str], method: bool) -> dict:
        """A signature with its returned class, and its tuple's items (signatures.py), made public
        names of `classes` (or SELF), else None."""
        out = {**sig, "returns": self._returned(module, sig["returns"], classes, method)}
        if "items" in sig:
            out["items"] = [self._returned(module, item, classes, method) for item in sig["items"]]
        return out

    def accessors(self) -> dict[str, str]:
        """Every class attribute a descriptor class builds from one class -> that class's public
        name: `pandas.Series.dt` -> `...CombinedDatetimelikeProperties` (pandas' `Accessor`,
        xarray's `UncachedAccessor`, both defining `__get__`)."""
        if self._accessors is None:
            descriptors = {self.public_name(info.module, cls) for info in self.modules.values()
                           for cls, members in info.members.items() if "__get__" in members}
            self._accessors = {
                self.public_name(info.module, qualname): self.base_name(info.module, sigs[0]["returns"])
                for info in self.modules.values() for qualname, sigs in info.signatures.items()
                if DESCRIPTOR in sigs[0] and self.base_name(info.module, sigs[0][DESCRIPTOR]) in descriptors}
        return self._accessors

    def _returned(self, module: str, written: str | None, classes: set[str], method: bool,
                  depth: int = 0) -> str | None:
        if not written:
            return None
        if UNION in written:         # a union is of classes only when each of its members is one
            return union_of_known(self._returned(module, w, classes, method, depth) for w in union_classes(written))
        if written == SELF:
            return SELF if method else None
        name = self.base_name(module, written)
        if name in classes:
            return name
        # `NDArray[float64]`: a type alias of a class (`NDArray: TypeAlias = np.ndarray[...]`)
        origin_module, origin_name = self._defining(module, written)
        info = self.modules.get(origin_module)
        aliased = info.type_aliases.get(origin_name) if info is not None and origin_name else None
        if aliased is None or depth > 4:
            return None
        return self._returned(origin_module, aliased, classes, method, depth + 1)

    def _defining(self, module: str, written: str) -> tuple[str, str]:
        """The module and name that define what `module` writes as `written` (`npt.NDArray`: the
        module `npt` binds, then the name in it); ("", "") when the path leaves the modules read."""
        owner, _, leaf = written.rpartition(".")
        if not owner:
            return self._origin(module, leaf)
        bound = self._origin(module, owner)
        return self._origin(bound[0], leaf) if not bound[1] else ("", "")

    def base_name(self, module: str, written: str) -> str:
        """A base class's public name; one from another package by its own path (`typing.Generic`),
        one with no public path by the module that defines it, as that class's own entry is
        named (`NDArrayBackedExtensionArray`, imported into pandas' `datetimelike` from `_mixins`)."""
        head, _, rest = written.partition(".")
        origin = self._origin(module, head)
        if origin[0].split(".")[0] not in self.packages:
            base = ".".join(p for p in origin if p)
            return f"{base}.{rest}" if rest else base
        info = self.modules.get(origin[0])
        if not rest and origin not in self.origin_public and info is not None and origin[1] in info.bases:
            return f"{origin[0]}.{origin[1]}"
        return self.public_name(module, written)

    # ---- names written in messages and changelogs -----------------------------
    def resolve_text_name(self, text: str | None, *, near: str | None = None, host: str | None = None) -> str | None:
        """Resolve a name a message or changelog writes ("np.vstack", "DataFrame.map", "vstack").

        Returns a public name of this library when one matches, the dotted text itself
        when it names something outside the library (evidence, kept as given), and
        None when the text is not a name at all. `host`: the class whose member the
        deprecated API is; a bare name then is a member of that class, not of another one.
        """
        if not text:
            return None
        name = text.strip().strip("`'\"").removesuffix("()").lstrip("~.").rstrip(".,;:")
        if not _IDENT.fullmatch(name):
            return None
        head, _, rest = name.partition(".")
        if head in COMMON_ALIASES and head not in self.packages and rest:
            name = COMMON_ALIASES[head] + (f".{rest}" if rest else "")
            head = name.split(".")[0]
        if head in self.packages:
            return self._canonical(name)
        # relative to the deprecated API: a sibling method / function first
        if near:
            parent = near
            while "." in parent:
                parent = parent.rsplit(".", 1)[0]
                cand = f"{parent}.{name}"
                # a member the class inherits is its member too: pandas' "Series.view ... Use
                # ``astype``" is Series.astype (NDFrame's), not Index.astype, the one public path
                if cand in self.public or self.has_member(parent, name) \
                        or ("." in name and self.has_member(*cand.rsplit(".", 1))):
                    # (pandas' "Use Period.day_of_week instead": a property Period has from
                    # the private `_Period` it subclasses)
                    return cand
                owner, _, last = name.rpartition(".")
                if owner.lower() == parent.rsplit(".", 1)[-1].lower() and self.has_member(parent, last):
                    # "in favor of :meth:`.Groupby.bfill`" (pandas 1.4) for `GroupBy.backfill`: the
                    # class, spelled in another case
                    return f"{parent}.{last}"
        through = self._through_accessor(name, near)
        if through is not None:
            return through
        suffix_hits = [p for p in self.by_last.get(name.rsplit(".", 1)[-1], []) if p == name or p.endswith("." + name)]
        if host and "." not in name and not [p for p in suffix_hits if p.rsplit(".", 1)[0] not in self.classes()]:
            # "Rename `base_estimator_` to `estimator_`": a member of the same class, set at run
            # time (a fitted attribute is no public name), never another class's `estimator_`.
            return f"{host}.{name}"
        if suffix_hits:
            # of paths as long, an object's own public path before another module's re-export of
            # it: matplotlib's "Use fill_between" is `pyplot.fill_between`, not the star-import
            # hub `pylab`'s (shorter) copy of it
            homes = self._home_paths()
            return min(suffix_hits, key=lambda p: (p.count("."), p not in homes and p.rpartition(".")[0] not in homes,
                                                   len(p), p))
        if head.startswith("_") and rest:
            # SQLAlchemy's docs name a module by a private Sphinx alias: ":meth:`_schema.Table.tometadata`
            # is renamed to :meth:`_schema.Table.to_metadata`" (`_expression.`, `_query.`, `_orm.` too).
            # What follows it is the name, when this library has it.
            inner = self.resolve_text_name(rest, near=near, host=host)
            if inner is not None and inner.split(".")[0] in self.packages:
                return inner
        if "." in name and (_is_module_name(head) or self._companion(head)):
            return name  # another library's name, given by the evidence ("inspect.getsource")
        if name in _BUILTIN_NAMES:
            return f"builtins.{name}"  # "`np.float` was a deprecated alias for the builtin `float`"
        return None

    def resolve_under_known_owner(self, text: str) -> str | None:
        """"arrayprint.ComplexFormat", "NpzFile.iteritems": a name that is gone, written under an
        owner this release still has (a module or class found by its last name), where the text
        gives no package. Its home is that owner's, not a made-up `numpy.arrayprint`."""
        owner, _, last = text.rpartition(".")
        if not owner or not last:
            return None
        home = self.resolve_text_name(owner) or self._defined_class(owner) or self._defined_class(owner, any_case=True)
        if home is None or home.split(".")[0] not in self.packages:
            return None
        return f"{home}.{last}"

    def knows_owner(self, name: str) -> bool:
        """The module or class `name` is a member of is one this release has."""
        owner = name.rpartition(".")[0]
        return owner in self.public or owner in self.modules

    def _defined_class(self, name: str, any_case: bool = False) -> str | None:
        """A class no public module exports, where exactly one module defines it: numpy 1.26's
        `NpzFile` (left out of `npyio.__all__`), or numpy 2's, defined in the private
        `numpy.lib._npyio_impl` and imported by the public `numpy.lib.npyio`. `any_case`: the one
        class whose name is `name` but for case (pandas 1.4's notes write `.Groupby.backfill`)."""
        if "." in name:
            return None
        if any_case:
            spelled = {n for info in self.modules.values() for n, kind in info.defs.items()
                       if kind == "class" and n.lower() == name.lower()}
            if len(spelled) != 1:
                return None
            name = spelled.pop()
        homes = [m for m, info in self.modules.items() if info.defs.get(name) == "class"]
        if len(homes) != 1:
            return None
        if is_public_module(homes[0]):
            return self.public_name(homes[0], name)
        importers = [m for m, info in self.modules.items()
                     if is_public_module(m) and info.imports.get(name) == (homes[0], name)]
        return f"{min(importers, key=_path_rank)}.{name}" if importers else None

    def _companion(self, head: str) -> bool:
        """`pandas_gbq`: a package named after this library, which the evidence names whether
        or not it is installed where the scan runs (the row must not depend on that)."""
        return any(head.startswith(f"{package}_") and head[len(package) + 1:].isidentifier()
                   for package in self.packages)

    def _through_accessor(self, name: str, near: str | None) -> str | None:
        """"Series.dt.day_of_week": a member of the class the accessor `pandas.Series.dt` holds;
        named on the deprecated member's own class when that is one of the held class's bases
        (pandas' `DatetimeProperties` under `CombinedDatetimelikeProperties`)."""
        owner, _, member = name.rpartition(".")
        cls_text, _, accessor = owner.rpartition(".")
        if not cls_text:
            return None
        cls = self.resolve_text_name(cls_text, near=near)
        held = self.accessors().get(f"{cls}.{accessor}") if cls else None
        if held is None:
            return None
        near_class = near.rsplit(".", 1)[0] if near else None
        if near_class and near_class in self._ancestors(held):
            return f"{near_class}.{member}"
        return f"{held}.{member}"

    def _home_paths(self) -> set[str]:
        """The public path each object is named by (`origin_public`'s), computed once."""
        if self._homes is None:
            self._homes = set(self.origin_public.values())
        return self._homes

    def classes(self) -> dict[str, list[str]]:
        """`class_bases`, computed once."""
        if self._bases is None:
            self._bases = self.class_bases()
        return self._bases

    def _ancestors(self, cls: str) -> set[str]:
        bases = self.classes()
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(bases.get(c, []))
        return seen

    def _canonical(self, name: str) -> str:
        """numpy.lib._shape_base_impl.vstack -> numpy.vstack, when that is its public home."""
        if name in self.public:
            return name
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:i])
            if module in self.modules:
                found = self.public_name(module, ".".join(parts[i:]))
                # "np.bool_" (defined in C, star-imported through modules whose __all__ is computed)
                # stays numpy.bool_, not a deeper re-export such as numpy.ma.bool_: canonicalising
                # only ever shortens a path that goes through a private or longer module.
                if found.count(".") > name.count(".") and is_public_module(module):
                    return name
                return found
        return name


# Python's own classes and functions: the last resort for a bare name in a message.
_BUILTIN_NAMES = frozenset(n for n, v in vars(builtins).items()
                           if not n.startswith("_") and (isinstance(v, type) or callable(v)))


def _merge_stub(py: ModuleInfo, stub: ModuleInfo) -> ModuleInfo:
    """A module with both ``.py`` and ``.pyi``: the code decides, the stub adds what it declares."""
    merged = ModuleInfo(py.module, py.path, py.is_package, all=py.all if py.all is not None else stub.all,
                        defs={**stub.defs, **py.defs}, members={**stub.members, **py.members},
                        instance_members=py.instance_members,
                        bases={**stub.bases, **py.bases}, imports={**stub.imports, **py.imports},
                        # a stub is written for type checkers: its signatures win
                        signatures={**py.signatures, **stub.signatures},
                        params={**stub.params, **py.params},     # what the code accepts
                        call_shapes=_merged_shapes(py, stub),
                        star_imports=list(dict.fromkeys(py.star_imports + stub.star_imports)),
                        all_from=py.all_from if py.all is not None else stub.all_from,
                        same=py.same,                # what the code binds, not what a stub declares
                        warning_helpers=py.warning_helpers, helper_calls=py.helper_calls,
                        type_aliases={**py.type_aliases, **stub.type_aliases},
                        instances={**py.instances, **stub.instances},
                        deleted=py.deleted,          # what the code unbinds
                        bound_methods=py.bound_methods, patched_members=py.patched_members,
                        getattr_factory=py.getattr_factory)
    return merged


def _merged_shapes(py: ModuleInfo, stub: ModuleInfo) -> dict[str, list[int] | None] | None:
    """The code's call shapes for what the code defines (as `params`), the stub's for the rest."""
    if py.call_shapes is None or stub.call_shapes is None:
        return None
    return {**{q: s for q, s in stub.call_shapes.items() if q not in py.params}, **py.call_shapes}


def _by_module(modules: list[ModuleInfo]) -> dict[str, ModuleInfo]:
    out: dict[str, ModuleInfo] = {}
    for m in modules:
        other = out.get(m.module)
        if other is None:
            out[m.module] = m
        elif m.path.endswith(".pyi"):
            out[m.module] = _merge_stub(other, m)
        else:
            out[m.module] = _merge_stub(m, other)
    return out


def _stub_shadowed(modules: list[ModuleInfo]) -> dict[tuple[str, str], tuple[str, str]]:
    """(package, name) -> where its ``.py`` imports it from, for each name the package's ``.pyi``
    declares itself while the code re-exports it: attrs' `attr/__init__.pyi` has `def assoc(...)`,
    `attr/__init__.py` has `from ._funcs import assoc`. The stub's declaration decides what the
    name is to a type checker; the code's import says where the object, and its warning, lives."""
    stubs = {m.module: m for m in modules if m.path.endswith(".pyi")}
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for py in modules:
        stub = stubs.get(py.module)
        if stub is None or py.path.endswith(".pyi"):
            continue
        for name in stub.defs:
            source = py.imports.get(name)
            if source is not None and source[1] is not None and name not in py.defs:
                out[(py.module, name)] = (source[0], source[1])
    return out


def build_name_index(modules: list[ModuleInfo], packages: list[str]) -> NameIndex:
    idx = NameIndex(packages=packages, modules=_by_module(modules))
    shadowed = _stub_shadowed(modules)
    candidates: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for info in idx.modules.values():
        if not is_public_module(info.module):
            continue
        idx.public.add(info.module)
        exported = _exported_names(info, idx)
        for name in exported:
            origin = idx._origin(info.module, name)
            path = f"{info.module}.{name}"
            if origin[1] == "":
                continue  # a module bound to a name is the module's own path
            # bound by a star import only (matplotlib's `pylab`: `from matplotlib.pyplot import *`,
            # `from numpy import *`): a hub, not the name's home, on a tie
            starred = name not in info.defs and name not in info.imports
            candidates[origin].append((path, starred))
            if (info.module, name) in shadowed:
                # the stub's own declaration hides the code's re-export: the object the code binds
                # (the one whose source warns) has this public path too
                # (only a definition the scan read: numpy's `bool`, `generic`, `ufunc` lead to
                # `builtins` and to C, which other names of the library import too)
                source = idx._origin(*shadowed[(info.module, name)])
                home = idx.modules.get(source[0])
                if source != origin and home is not None and source[1] in home.defs:
                    candidates[source].append((path, starred))
    _add_unlisted_imports(idx, modules, candidates)
    for origin, ranked in candidates.items():
        idx.origin_public[origin] = min(ranked, key=lambda c: _path_rank(c[0], starred=c[1]))[0]
    # every public path (re-exports included) plus class members under the best path
    for origin, ranked in candidates.items():
        idx.public.update(path for path, _ in ranked)
        info = idx.modules.get(origin[0])
        if info and origin[1] in info.members:
            for member in info.members[origin[1]]:
                idx.public.add(f"{idx.origin_public[origin]}.{member}")
    for p in idx.public:
        idx.by_last[p.rsplit(".", 1)[-1]].append(p)
    return idx


def _add_unlisted_imports(idx: NameIndex, modules: list[ModuleInfo],
                          candidates: dict[tuple[str, str], list[tuple[str, bool]]]) -> None:
    """A public package's `__all__` tells what `import *` takes, not what it binds: a name its
    code imports by name from the library and leaves out is still an attribute users write. It
    is the name's public path only when nothing lists it anywhere: `torch.jit` imports
    `script_method` from `torch.jit._script`, neither lists it, and `@torch.jit.script_method`
    is how TorchScript modules were written (its DeprecationWarning had no public API to name).
    Not a stub's imports nor those under `if TYPE_CHECKING:`: they bind nothing at run time
    (numpy's `__init__.pyi` imports `flagsobj`, `np.flagsobj` is an AttributeError; so is
    `torch.distributed.debug.DebugHandler`)."""
    unlisted: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for code in modules:
        info = idx.modules.get(code.module)
        if code.path.endswith(".pyi") or not code.is_package or info is None or info.all is None \
                or not is_public_module(info.module):
            continue
        listed = set(_exported_names(info, idx))
        for name, (source, source_name) in code.imports.items():
            if source_name is None or name in listed or name in code.checking_imports or not _public_local(name) \
                    or source.split(".")[0] not in idx.packages:
                continue
            origin = idx._origin(info.module, name)
            if origin[1] and origin not in candidates:
                unlisted[origin].append((f"{info.module}.{name}", False))
    candidates.update(unlisted)


def _path_rank(path: str, *, starred: bool = False) -> tuple[int, int, int, int, str]:
    """pandas.api.types.is_sparse beats pandas.core.dtypes.api.is_sparse; then fewer dots; then a
    module that defines or imports the name beats one that has it by a star import alone
    (`matplotlib.pyplot.get_plot_commands`, not the shorter `matplotlib.pylab.get_plot_commands`);
    then shorter."""
    internal = any(part in INTERNAL_SEGMENTS for part in path.split(".")[1:-1])
    return (internal, path.count("."), starred, len(path), path)


def _star_bindings(info: ModuleInfo, idx: NameIndex, seen: frozenset[str]) -> list[str]:
    """What `from <info.module> import *` binds: with an __all__, what the module exports (the
    scan's __all__ of `[s for s in dir() ...]` lists the explicit imports, and the star imports
    bring theirs: `_bound_names`); without one, every public name bound in it, imported ones too
    (torch.quantization.quantize's, from torch.ao.quantization), as Python binds them."""
    if info.all is not None:
        return _exported_names(info, idx, seen)
    seen = seen | {info.module}
    names = [n for n in (*info.defs, *info.imports) if _public_local(n) and n not in info.checking_imports]
    for star in info.star_imports:
        sub = idx.modules.get(star)
        if sub is not None and star not in seen:
            names += _star_bindings(sub, idx, seen)
    return names


def _exported_names(info: ModuleInfo, idx: NameIndex, seen: frozenset[str] = frozenset()) -> list[str]:
    names = _bound_names(info, idx, seen)
    return [n for n in names if n not in info.deleted] if info.deleted else names


def _bound_names(info: ModuleInfo, idx: NameIndex, seen: frozenset[str]) -> list[str]:
    if info.all is not None:
        names = [n for n in info.all if isinstance(n, str)]
        for mod in info.all_from:        # numpy 1.x: `__all__ += function_base.__all__`
            sub = idx.modules.get(mod)
            if sub is not None and mod not in seen and mod != info.module:
                names += _exported_names(sub, idx, seen | {info.module})
        # `from pandas.core.dtypes.api import *` binds those names whatever __all__ says:
        # pandas.api.types.is_sparse is a real attribute path users write.
        for star in info.star_imports:
            star_info = idx.modules.get(star)
            if star_info is not None and star not in seen:
                names += _exported_names(star_info, idx, seen | {info.module})
        return names
    names = [n for n in info.defs if _public_local(n)]
    if info.is_package:
        # an __init__ without __all__ re-exports what it imports; a plain module
        # importing a helper does not make that helper its API
        names += [n for n, (src, _) in info.imports.items()
                  if _public_local(n) and src.split(".")[0] in idx.packages]
    for star in info.star_imports:
        star_info = idx.modules.get(star)
        if star_info is not None:
            if star_info.all is not None and star not in seen:
                names += _exported_names(star_info, idx, seen | {info.module})
            elif star_info.all is None:
                names += [n for n in star_info.defs if _public_local(n)]
    return names
