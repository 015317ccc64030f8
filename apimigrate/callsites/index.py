"""An in-memory index over deprecation rows, built once per DB fingerprint."""
from __future__ import annotations

import io
import json
import operator
from dataclasses import dataclass, field

from apimigrate.db.records import (INTERNAL_SEGMENTS, SELF, SETTER, UNION, USE_ANY, USE_DEFAULT, ClassFacts,
                                   announced_for, is_pending, new_values_of, union_classes, union_of, usage_of,
                                   values_of)

from .opt_in import option_of
from .returns import returned_class


def _data_model_names() -> frozenset[str]:
    """Special method names every class may define (`__getitem__`, `__call__`, `__enter__`...)."""
    types = (object, type, int, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset,
             slice, range, memoryview, property, BaseException, type(lambda: None), type(iter(())),
             type((lambda: (yield))()))
    extra = {"__enter__", "__exit__", "__aenter__", "__aexit__", "__aiter__", "__anext__", "__await__",
             "__index__", "__fspath__", "__missing__", "__set_name__", "__class_getitem__", "__post_init__",
             "__copy__", "__deepcopy__", "__getstate__", "__setstate__", "__reduce__", "__reduce_ex__"}
    found = {n for t in (*types, operator) for n in dir(t) if n.startswith("__") and n.endswith("__")}
    return frozenset(found | extra)


# `x.__getitem__(...)` names no class: a by-name match on these would hit every type that has one.
DATA_MODEL_NAMES = _data_model_names()


def _builtin_method_names() -> frozenset[str]:
    """Public methods of Python's own containers, strings, numbers and files (`append`, `close`,
    `format`, `replace`...)."""
    types = (list, dict, set, frozenset, tuple, str, bytes, bytearray, memoryview, int, float, complex,
             io.IOBase, io.RawIOBase, io.BufferedIOBase, io.TextIOBase)
    return frozenset(n for t in types for n in dir(t) if not n.startswith("_"))


# By name, `x.close()` in a file importing pandas is far more often a file than a pandas
# `StataReader` (pandas 2.2 deprecates `StataReader.close`); `items.append(...)` a list, not a
# DataFrame. A deprecated member with such a name is found only through a known receiver.
BUILTIN_METHOD_NAMES = _builtin_method_names()


def is_member(api: str) -> bool:
    """Whether `api` names a member of a class (`pandas.DataFrame.applymap`).

    The DB does not store the kind of the owner, so a capitalised owner is
    taken as a class: that is how every library we scan names classes.
    """
    parts = api.split(".")
    return len(parts) >= 3 and parts[-2][:1].isupper()


def _reported_without_keyword(row: dict) -> bool:
    """A call can meet this parameter deprecation without spelling the parameter's name."""
    usage = usage_of(row)
    position = row.get("position")
    # A renamed parameter passed by position is no use of the old name.
    return USE_DEFAULT in usage or (position is not None and position >= 0 and not row.get("new_parameter"))


def _better(old: dict | None, new: dict) -> bool:
    return old is None or (new.get("confidence") or 0) > (old.get("confidence") or 0)


def _add_path(parts: list[str], prefixes: set[str], children: dict[str, set[str]]) -> None:
    """Every dotted prefix of a path into `prefixes`, and each prefix's next part into `children`."""
    for i in range(1, len(parts) + 1):
        prefixes.add(".".join(parts[:i]))
        if i < len(parts):
            children.setdefault(".".join(parts[:i]), set()).add(parts[i])


@dataclass
class DeprecationIndex:
    """Lookups by fully qualified api, by method name and by top-level package."""
    rows: list[dict]
    by_api: dict[str, dict] = field(default_factory=dict)            # non-parameter rows
    params: dict[str, dict[str, dict]] = field(default_factory=dict)  # api -> parameter -> row
    by_method: dict[str, list[dict]] = field(default_factory=dict)    # method name -> member rows
    method_params: dict[str, list[dict]] = field(default_factory=dict)  # method name -> parameter rows
    libraries: frozenset[str] = frozenset()     # top-level packages (`numpy`, `scipy`)
    prefixes: frozenset[str] = frozenset()      # every dotted prefix of every api
    children: dict[str, frozenset[str]] = field(default_factory=dict)  # prefix -> the names that extend it
    replacement_prefixes: frozenset[str] = frozenset()  # every dotted prefix of every dotted replacement
    leaf_names: tuple[bytes, ...] = ()          # names any use must spell (the bytes pre-check)
    star_names: dict[str, list[str]] = field(default_factory=dict)  # module -> deprecated names in it
    # method name -> top-level packages where a class member of that name is not deprecated
    live_members: dict[str, frozenset[str]] = field(default_factory=dict)
    member_packages: frozenset[str] = frozenset()   # top-level packages whose members were given
    parameter_packages: frozenset[str] = frozenset()  # ... and whose members' parameters were too
    # method name -> top-level packages with a deprecated member (or member parameter) of that
    # name, Python's own method names included: on a receiver of a known class they are exact
    typed_names: dict[str, frozenset[str]] = field(default_factory=dict)
    classes: ClassFacts = field(default_factory=ClassFacts)
    # accessor name -> the class every library accessor of that name holds (`dt` ->
    # CombinedDatetimelikeProperties), for `x.dt.weekday` whatever `x` is
    accessors: dict[str, str] = field(default_factory=dict)
    # every dotted prefix of every other import path of a public name (classes.aliases)
    alias_prefixes: frozenset[str] = frozenset()
    _mros: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _live: dict[object, object] = field(default_factory=dict, repr=False, compare=False)
    _members_by_name: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _answering: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)
    _below: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _handed: dict[str, int] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_rows(cls, rows: list[dict], classes: ClassFacts | None = None) -> "DeprecationIndex":
        """`classes`: the classes the scanned libraries define (`kb.class_facts()`); without them
        a by-name match cannot tell a deprecated method from a live namesake, nor a method of a
        known library class whether that class's hierarchy deprecates it."""
        index = cls(rows=list(rows), classes=classes or ClassFacts())
        libraries: set[str] = set()
        prefixes: set[str] = set()
        children: dict[str, set[str]] = {}
        leaves: set[bytes] = set()
        typed: dict[str, set[str]] = {}
        for row in index.rows:
            api = row["api"]
            parts = api.split(".")
            libraries.add(parts[0])
            _add_path(parts, prefixes, children)
            member = index.is_member(api)
            if member and parts[-1] not in DATA_MODEL_NAMES:
                typed.setdefault(parts[-1], set()).add(parts[0])
            if row.get("kind") == "parameter" and row.get("parameter"):
                index.params.setdefault(api, {})
                if _better(index.params[api].get(row["parameter"]), row):
                    index.params[api][row["parameter"]] = row
                if member and parts[-1] not in DATA_MODEL_NAMES:
                    index.method_params.setdefault(parts[-1], []).append(row)
                leaves.add(row["parameter"].encode())
                if _reported_without_keyword(row):
                    leaves.add(parts[-1].encode())
                continue
            if _better(index.by_api.get(api), row):
                index.by_api[api] = row
            if (row.get("kind") == "method" or (row.get("kind") in ("attribute", SETTER) and member)) \
                    and parts[-1] not in DATA_MODEL_NAMES and parts[-1] not in BUILTIN_METHOD_NAMES:
                index.by_method.setdefault(parts[-1], []).append(row)
            leaves.add(parts[-1].encode())
            index.star_names.setdefault(".".join(parts[:-1]), []).append(parts[-1])
        alias_prefixes: set[str] = set()
        for alias in index.classes.aliases:
            _add_path(alias.split("."), alias_prefixes, children)
        index.alias_prefixes = frozenset(alias_prefixes)
        index.libraries = frozenset(libraries)
        index.typed_names = {k: frozenset(v) for k, v in typed.items()}
        index.prefixes = frozenset(prefixes)
        index.children = {k: frozenset(v) for k, v in children.items()}
        repl: set[str] = set()
        for row in index.rows:
            name = row.get("replacement")
            if name:                     # `t` with name == t or name.startswith(t + "."), exactly
                repl.add(name)
                repl.update(name[:i] for i, ch in enumerate(name) if ch == ".")
        index.replacement_prefixes = frozenset(repl)
        live: dict[str, set[str]] = {}
        packages: set[str] = set()
        for api in index.classes.members:
            name = api.rsplit(".", 1)[-1]
            packages.add(api.split(".")[0])
            if name in index.by_method and api not in index.by_api:
                live.setdefault(name, set()).add(api.split(".")[0])
        for api in set(index.classes.aliases.values()):
            # a live function a module re-exports (`pandas.to_datetime`): `pd.to_datetime(...)` on a `pd`
            # of unknown origin (a pytest fixture) is as likely that function as a removed method of that
            # name (pandas' `DatetimeIndex.to_datetime`, gone in 0.23)
            owner, _, name = api.rpartition(".")
            if name in index.by_method and api not in index.by_api and owner not in index.classes.bases:
                live.setdefault(name, set()).add(api.split(".")[0])
        index.live_members = {k: frozenset(v) for k, v in live.items()}
        index.accessors = _accessors(index.classes)
        index.member_packages = frozenset(packages)
        index.parameter_packages = frozenset(api.split(".")[0] for api in index.classes.parameters)
        index.leaf_names = tuple(sorted(leaves))
        return index

    # ---- lookups -----------------------------------------------------------
    def lookup(self, api: str) -> dict | None:
        """The row of a deprecated module, class, function, method or attribute."""
        return self.by_api.get(api)

    def canonical(self, name: str) -> str:
        """The public name of a path a library name can also be imported from, through its
        longest known prefix (`pandas.core.frame.DataFrame.applymap` -> `pandas.DataFrame.applymap`);
        `name` itself otherwise."""
        if name.partition(".")[0] not in self.alias_prefixes:
            return name
        aliases = self.classes.aliases
        head, rest = name, ""
        while "." in head:
            public = aliases.get(head)
            if public is not None:
                return public + rest
            head, _, tail = head.rpartition(".")
            rest = f".{tail}{rest}"
        return name

    def parameters(self, api: str) -> dict[str, dict]:
        """Deprecated keyword parameters of callable `api`, by parameter name. A member its class
        does not define has those of the ancestor that does, too: release notes name
        `DataFrame.resample(base=)`, the code warns in `NDFrame.resample(rule=)`."""
        rows = self.params.get(api, {})
        owner, _, name = api.rpartition(".")
        if not rows or owner not in self.classes.bases or api in self.classes.members:
            return rows
        merged = dict(rows)
        for ancestor in self.mro(owner)[1:]:
            inherited = f"{ancestor}.{name}"
            for parameter, row in self.params.get(inherited, {}).items():
                merged.setdefault(parameter, row)
            if inherited in self.classes.members:
                break
        return merged

    def method(self, name: str, libraries: set[str] | frozenset[str]) -> dict | None:
        """The member row called `name` among `libraries`, or None when absent or ambiguous.

        Ambiguous: a live member of `libraries` has the name (`x.first()` may be `GroupBy.first`,
        not the deprecated `NDFrame.first`), or several deprecated members have it and the
        libraries' other members are unknown. When they are known and every member called
        `name` is deprecated (`DataFrame.applymap`, `Styler.applymap`), the use is deprecated
        whichever class `x` is: the most public of them is reported.
        """
        if not self.live_members.get(name, frozenset()).isdisjoint(libraries):
            return None
        found = {r["api"]: r for r in self.by_method.get(name, ()) if r["api"].split(".")[0] in libraries}
        if len(found) == 1:
            return next(iter(found.values()))
        if found and {api.split(".")[0] for api in found} <= self.member_packages:
            return min(found.values(), key=lambda r: (r["api"].count("."), -(r.get("confidence") or 0), r["api"]))
        return None

    def is_member(self, api: str) -> bool:
        """`is_member`, or the owner is a class the scan read (numpy's lowercase `ndarray`)."""
        return is_member(api) or api.rpartition(".")[0] in self.classes.bases

    def is_class(self, api: str) -> bool:
        """Whether `api` is a class of a scanned library (its newest release scanned)."""
        return api in self.classes.bases

    def signatures(self, api: str | None) -> list[dict]:
        """The signatures of a library function or method that returns a class (scan/signatures.py)."""
        return self.classes.returns.get(api, []) if api else []

    def mro(self, cls: str) -> list[str]:
        """`cls` and its known ancestors, in method resolution order."""
        mro = self._mros.get(cls)
        if mro is None:
            mro = self._mros[cls] = self.classes.mro(cls)
        return mro

    def member_of(self, cls: str, name: str) -> tuple[str, dict | None] | None:
        """What `name` is on a value of library class `cls`: (the api of the class of its hierarchy
        that defines it, that api's deprecation row or None when live), or None when no class of
        the hierarchy is known to define it. For a union, what `narrowed` tells."""
        hit = self.narrowed_member(cls, name)
        return hit[1] if hit is not None else None

    def narrowed_member(self, cls: str, name: str) -> tuple[str, tuple[str, dict | None]] | None:
        """(the classes of `cls` a value used with `name` is of, `narrowed`; what `name` is on them,
        `member_of`), or None when either is unknown: a typed use needs both, the class for
        `Self` and the name told, the member for its row and signatures."""
        owner = self.narrowed(cls, name)
        found = self._member_of(union_classes(owner)[0], name) if owner is not None else None
        return (owner, found) if found is not None else None

    def narrowed(self, cls: str, name: str) -> str | None:
        """The classes of `cls` (a class or a union, db/records.py) a value used with the member
        `name` may be of: those that have it, when they share its definition. Code calling
        `r.quantile()` on what `rolling()` returns (`Window | Rolling`) holds a Rolling, as a type
        checker would insist; `.fillna()` on a `DataFrame | Series` is NDFrame's either way. When
        none of them has it, their subclasses that do (`subclasses_having`). None when no class has
        it, or they define it apart (which one is meant is unknown)."""
        classes = union_classes(cls)
        found = {c: self._member_of(c, name) for c in classes}
        having = [c for c, f in found.items() if f is not None]
        below = not having
        if below:
            having = self.subclasses_having(classes, name)
            found = {c: self._member_of(c, name) for c in having}
        elif len(classes) == 1:
            return cls
        if not having:
            return None
        if len({found[c][0] for c in having}) == 1:
            return union_of(having)
        # Defined apart, but deprecated alike in each (`dayofweek` of a DatetimeIndex or a
        # PeriodIndex, both to be `day_of_week`): the use is deprecated whichever it is, and a
        # rewrite to that name right for either.
        rows = [found[c][1] for c in having]
        if all(rows) and len({(_leaf(r.get("replacement")), bool(r.get("drop_in"))) for r in rows}) == 1:
            return having[0]
        # Subclasses each live with their own, whose keywords are deprecated alike (pandas'
        # DatetimeIndex and TimedeltaIndex `floor(freq="T")` on an Index): a call is judged the
        # same whichever it is, and named as the first
        if below and not any(rows) and len({self._keywords_said(found[c][0]) for c in having}) == 1:
            return having[0]
        return None

    def subclasses_having(self, classes: list[str], name: str) -> list[str]:
        """The library subclasses of `classes`, none of which has the member `name`, that have it:
        the highest of each line (a subclass of one has its member, or overrides it).
        `pd.Index(dates)`, an Index, calling `.floor()` holds a DatetimeIndex or a TimedeltaIndex
        (else the call fails), as a type checker would need the value narrowed first."""
        key = ("below", tuple(classes), name)
        cached = self._live.get(key)
        if cached is None:
            cached, seen = [], set(classes)
            waiting = [sub for c in classes for sub in self._subclasses().get(c, [])]
            while waiting:
                sub = waiting.pop(0)
                if sub in seen:
                    continue
                seen.add(sub)
                if self._member_of(sub, name) is not None:
                    cached.append(sub)
                else:
                    waiting += self._subclasses().get(sub, [])
            self._live[key] = cached
        return cached

    def _keywords_said(self, api: str) -> tuple:
        """What the deprecated keywords of `api` match and say (`_said`), by keyword."""
        return tuple(sorted((keyword, _said(row)) for keyword, row in self.parameters(api).items()))

    def _member_of(self, cls: str, name: str) -> tuple[str, dict | None] | None:
        for owner in self.mro(cls):
            api = f"{owner}.{name}"
            row = self.by_api.get(api)
            if row is not None or api in self.classes.members or api in self.params:
                return api, row
        return None

    def answering_names(self, cls: str) -> frozenset[str]:
        """The member names on which the index has something to say for a value of `cls` (a class
        or a union): deprecated members, members with deprecated parameters, and members whose
        result's class it knows (`copy` -> Self, `__enter__`). A subclass that redefines one of
        them makes the library's answer wrong for its values (callsites/subclasses.py)."""
        if self._answering is None:
            found: dict[str, set[str]] = {}
            for api in (*self.by_api, *self.params, *self.classes.returns):
                owner, _, name = api.rpartition(".")
                found.setdefault(owner, set()).add(name)
            self._answering = found
        return frozenset(name for c in union_classes(cls) for owner in self.mro(c)
                         for name in self._answering.get(owner, ()))

    def entered(self, cls: str, method: str = "__enter__") -> str | None:
        """The library class `with <a cls value> as x:` binds `x` to: what the nearest `method`
        (`__enter__`, `__aenter__`) of the class's hierarchy returns (`Self`: `cls`)."""
        for owner in self.mro(cls):
            signatures = self.classes.returns.get(f"{owner}.{method}")
            if signatures is not None:
                return returned_class(signatures, [], {}, splat=False, receiver=cls)
        return None

    def method_parameters(self, name: str, libraries: set[str] | frozenset[str]) -> dict[str, dict]:
        """Deprecated keywords of a method called `name` on a value of unknown type, in a file using
        `libraries`: those of the one method of that name with deprecated parameters that no
        namesake of those libraries names live (`TimedeltaIndex.round(how=)` keeps a deprecated
        `DatetimeIndex.round(how=)` from being guessed; a `**kwargs` does not: pandas 3's
        `Series.map(arg=)` is found although `DataFrame.map` passes any keyword on); when several have some, the keywords they deprecate
        alike where none of those libraries' namesakes takes them live (`shared_keywords`: pandas' `DataFrame.reset_index` and `Series.reset_index`
        deprecate `inplace`, no other `reset_index` takes it)."""
        apis = {r["api"] for r in self.method_params.get(name, ()) if r["api"].split(".")[0] in libraries}
        if len(apis) == 1:
            api = apis.pop()
            namesakes = [m for m in self.members_called(name) if m.split(".")[0] in libraries]
            return {keyword: row for keyword, row in self.params.get(api, {}).items()
                    if not any(self._takes_live(m, keyword, {api: row}, named=True) for m in namesakes)}
        return self.shared_keywords(name, frozenset(libraries)) if apis else {}

    def member_keywords(self, name: str, package: str) -> dict[str, dict]:
        """Deprecated keywords of a method called `name` on a value of `package` whose class is not
        known (`df["a"].fillna(method=...)`): those `shared_keywords` finds among `package`'s members
        (`NDFrame.fillna` and `ExtensionArray.fillna` deprecate `method`, no other `fillna` takes it)."""
        return self.shared_keywords(name, frozenset({package}))

    def shared_keywords(self, name: str, packages: frozenset[str]) -> dict[str, dict]:
        """By keyword, the deprecations of keywords of the members called `name` of `packages` that a
        call deprecates whichever of them it is: every member of one package with a row for the
        keyword deprecates it alike (`_alike`), and no member of `packages` called `name` may take it
        with no deprecation (`_takes_live`: `Index.rename(inplace=)` keeps `x.rename(inplace=True)`
        from being found). Each keyword's row says what is true of all of them (`_alike`). Empty
        without the package's members' parameters: a live namesake could not be told apart."""
        key = ("keywords", name, packages)
        cached = self._live.get(key)
        if cached is None:
            cached = self._live[key] = self._shared_keywords(name, packages)
        return cached

    def _shared_keywords(self, name: str, packages: frozenset[str]) -> dict[str, dict]:
        apis = {r["api"] for r in self.method_params.get(name, ()) if r["api"].split(".")[0] in packages}
        namesakes = [m for m in self.members_called(name) if m.split(".")[0] in packages]
        out: dict[str, dict] = {}
        for keyword in sorted({k for api in apis for k in self.params.get(api, {})}):
            found = {api: self.params[api][keyword] for api in sorted(apis) if keyword in self.params.get(api, {})}
            owners = {api.split(".")[0] for api in found}
            if len(owners) != 1 or not owners <= self.parameter_packages:
                continue                  # several libraries' namesakes, or their parameters unknown
            if any(self._takes_live(m, keyword, found) for m in namesakes):
                continue                  # a live `fillna` that takes it: the call may be that one
            row = self._alike(name, found)
            if row is not None:
                out[keyword] = row
        return out

    def _alike(self, name: str, found: dict[str, dict]) -> dict | None:
        """The row of a by-name finding for the rows `found` of one keyword of several namesakes, or
        None when a finding could not be true of all of them: they must meet a call alike (passed at
        all, or the same values) and say the same of it (the same new parameter, replacement or
        equivalent values; pending or not; the same opt-in option). The row is that of the member the
        libraries hand out most, named for them all (`pandas.{DataFrame,Series}.reset_index`), with
        the least confidence, and without the dates they do not share: it claims no one class, for
        the value may be of any of them."""
        rows = sorted(found.values(), key=self._reach_order)
        if len({_said(r) for r in rows}) != 1:
            return None
        if len(rows) == 1:
            return rows[0]
        merged = {**rows[0], "api": self._namesakes_label(name, found),
                  "confidence": min(r.get("confidence") or 0 for r in rows),
                  "message": "\n\n".join(dict.fromkeys(r["message"] for r in rows if r.get("message"))) or None}
        for field_name in ("since", "removed_in", "removal", "first_seen", "last_seen", "timelines"):
            # a use's own dates (records.dated) are kept as the row's: only when they all share them
            if len({json.dumps(r.get(field_name), sort_keys=True) for r in rows}) > 1:
                merged[field_name] = None
        return merged

    def _namesakes_label(self, name: str, found: dict[str, dict]) -> str:
        """`pandas.{DataFrame,Series}.reset_index`: the classes whose members `found` are, after their
        longest shared module path; an internal base that each subclass overrides with one of them
        (`pandas.core.generic.NDFrame.reindex`) is left out, no value reaching its member."""
        owners = [api.rpartition(".")[0] for api in found]
        shown = [o for o in owners if not (_internal(o) and self._overridden_below(o, name, found))] or owners
        if len(shown) == 1:
            return f"{shown[0]}.{name}"
        parts = [o.split(".") for o in sorted(shown)]
        common = 0
        while common < min(len(p) for p in parts) - 1 and len({p[common] for p in parts}) == 1:
            common += 1
        inner = ",".join(".".join(p[common:]) for p in parts)
        return ".".join([*parts[0][:common], f"{{{inner}}}", name])

    def _takes_live(self, member: str, keyword: str, deprecating: dict[str, dict], *,
                    named: bool = False) -> bool:
        """Whether a call of `member` may pass `keyword` with no deprecation: it accepts it, is not
        itself deprecated, overrides no member of its ancestors in `deprecating`
        (`SparseArray.fillna(method=)` hands it on to `ExtensionArray.fillna`, which warns), and
        is not an internal base's that every subclass overrides with one of them (pandas'
        `pandas.core.generic.NDFrame.drop`: no value is an NDFrame but a DataFrame's or a Series').
        `named`: only when its def names the keyword (not through `**kwargs`, nor a def unread)."""
        if member in deprecating or member in self.by_api or not self.classes.accepts(member, keyword):
            return False
        if named and keyword not in self.classes.parameters.get(member, ()):
            return False
        owner, _, name = member.rpartition(".")
        if any(f"{cls}.{name}" in deprecating for cls in self.mro(owner)[1:]):
            return False
        return not (_internal(owner) and self._overridden_below(owner, name, deprecating))

    def _overridden_below(self, cls: str, name: str, deprecating: dict[str, dict],
                          seen: frozenset[str] = frozenset()) -> bool:
        """Whether `cls` has subclasses and each defines `name` as one of `deprecating`, or
        (defining no live one) has subclasses that all do; bases read as a cycle answer no."""
        below = [sub for sub in self._subclasses().get(cls, []) if sub != cls]
        if cls in seen or not below:
            return False
        return all(f"{sub}.{name}" in deprecating
                   or (f"{sub}.{name}" not in self.classes.members
                       and self._overridden_below(sub, name, deprecating, seen | {cls}))
                   for sub in below)

    def _subclasses(self) -> dict[str, list[str]]:
        if self._below is None:
            below: dict[str, list[str]] = {}
            for cls, bases in self.classes.bases.items():
                for base in bases:
                    below.setdefault(base, []).append(cls)
            self._below = below
        return self._below

    def members_called(self, name: str) -> list[str]:
        """Every stored class member called `name`, deprecated or not."""
        if self._members_by_name is None:
            by_name: dict[str, list[str]] = {}
            for api in sorted(self.classes.members):
                by_name.setdefault(api.rsplit(".", 1)[-1], []).append(api)
            self._members_by_name = by_name
        return self._members_by_name.get(name, [])

    def _reach_order(self, row: dict) -> tuple:
        """Sort key of namesake rows, the one a by-name match most likely meant first: the member
        of the class the libraries' functions hand out most (`NDFrame`: every function returning
        a DataFrame or Series), then the shortest path, the best evidence."""
        owner = row["api"].rsplit(".", 1)[0]
        return (-self._handed_out().get(owner, 0), row["api"].count("."), -(row.get("confidence") or 0), row["api"])

    def _handed_out(self) -> dict[str, int]:
        """Class -> how many library functions return a value of it or of a subclass."""
        if self._handed is None:
            counts: dict[str, int] = {}
            for sigs in self.classes.returns.values():
                for cls in {c for sig in sigs if sig.get("returns") for c in union_classes(sig["returns"])} - {SELF}:
                    for owner in self.mro(cls):
                        counts[owner] = counts.get(owner, 0) + 1
            self._handed = counts
        return self._handed

    def relevant(self, target: str) -> bool:
        """Whether names bound to `target` can matter: a deprecated path starts there (or another
        path of one, classes.aliases), or a replacement may be spelled through it (the rewriter's `spell`)."""
        return target in self.prefixes or target in self.replacement_prefixes or target in self.alias_prefixes

    def method_names(self) -> set[str]:
        return set(self.by_method) | set(self.method_params)

    def live_method_names(self, libraries: set[str] | frozenset[str]) -> set[str]:
        """Method names that can produce a finding in a file importing `libraries`.

        A by-name match reports only an unambiguous member row or deprecated
        parameters of one method; other spellings (`x.append(...)` when both
        DataFrame.append and Series.append are deprecated) cannot, so the
        resolver need not look at them.
        """
        key = frozenset(libraries)
        cached = self._live.get(key)
        if cached is None:
            cached = self._live[key] = {n for n in self.method_names()
                                        if self.method(n, key) is not None or self.method_parameters(n, key)}
        return cached

    def typed_method_names(self, libraries: set[str] | frozenset[str]) -> set[str]:
        """Method names that can produce a finding on a receiver of a known class of `libraries`
        (none when no classes were scanned)."""
        if not self.classes.bases:
            return set()
        key = ("typed", frozenset(libraries))
        cached = self._live.get(key)
        if cached is None:
            cached = self._live[key] = {n for n, libs in self.typed_names.items() if not libs.isdisjoint(libraries)}
        return cached

    def could_match(self, source: bytes) -> bool:
        """Cheap pre-check: every finding spells a library name and a deprecated leaf name."""
        if not any(lib.encode() in source for lib in self.libraries):
            return False
        return any(leaf in source for leaf in self.leaf_names)


def _accessors(classes: ClassFacts) -> dict[str, str]:
    """Attribute name -> the one class every library attribute of that name holds: the accessors
    a descriptor builds (`dt`), and properties when every member so named is one returning that
    class (`style`: DataFrame's, a Styler), so `x.style.applymap(f)` on an unknown `x` is Styler's."""
    held: dict[str, set[str]] = {}
    properties: dict[str, set[str]] = {}       # name -> the members so named that are such properties
    for api, sigs in classes.returns.items():
        name = api.rsplit(".", 1)[-1]
        for sig in sigs:
            returns = sig.get("returns")
            if not returns or returns == SELF or UNION in returns:
                continue
            if sig.get("accessor"):
                held.setdefault(name, set()).add(returns)
            elif sig.get("property") and len(name) > 2:       # `r`, `I`, `A1` say too little
                held.setdefault(name, set()).add(returns)
                properties.setdefault(name, set()).add(api)
    named: dict[str, set[str]] = {}
    for api in classes.members:
        leaf = api.rsplit(".", 1)[-1]
        if leaf in properties:
            named.setdefault(leaf, set()).add(api)
    return {name: next(iter(found)) for name, found in held.items()
            if len(found) == 1 and (name not in properties or named.get(name, set()) <= properties[name])}


def _internal(cls: str) -> bool:
    """A class named through an implementation module (`pandas.core.generic.NDFrame`,
    `pkg._base.Base`): the scan names a class by its public path when it has one, so users meet
    such a class's values only as its subclasses'."""
    return any(part in INTERNAL_SEGMENTS or part.startswith("_") for part in cls.split(".")[1:-1])


def _said(row: dict) -> tuple:
    """What a by-name finding of a parameter row matches and says, the dates apart: a keyword passed
    at all (any value then), or the values it is deprecated with; the advice (new parameter, and
    where that decides a keyword passed by name, its position; replacement; equivalent values); the
    row pending or only announced; the option that opts a use out of it; whether the library ignores
    the parameter now (the finding then says it has no effect)."""
    usage = usage_of(row)
    matched = (USE_ANY,) if USE_ANY in usage else (
        tuple(usage), tuple(sorted(values_of(row))), tuple(sorted(new_values_of(row).items())), row.get("value_form"))
    renamed = row.get("new_parameter") or None
    return (matched, renamed, row.get("position") if renamed else None, row.get("replacement") or None,
            is_pending(row), announced_for(row), option_of(row), bool(row.get("ignored")))


def _leaf(api: str | None) -> str | None:
    return api.rsplit(".", 1)[-1] if api else None
