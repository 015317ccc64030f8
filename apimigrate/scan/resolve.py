"""From raw per-file findings to public, merged deprecation records."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterator

from apimigrate.db import Deprecation, Evidence, feature_release, version_key
from apimigrate.db.records import (INTERNAL_SEGMENTS, SETTER, TIMELINE_ANY, TIMELINE_VALUES, USE_ANY, USE_DEFAULT, USE_OTHER,
                                   USE_VALUE, merge_usage)

from .messages import (DEPRECATION_WARNING, EMPHASIS, HOLE, NAMED_DEPRECATION_WARNING, PENDING_WARNING,
                       announces_change, announces_deprecation, fitted_attribute, offers_one_name, replacement_names,
                       says_deprecated_now, says_ignored, says_inverted)
from .model import (CHANGELOG, DECORATOR, DISTRIBUTION_MARK, DOCSTRING, GETATTR, SUBMODULE, WARNING, ModuleInfo,
                    RawFinding)
from .names import NameIndex, is_public_module
from .parameter_usage import equivalent_values, usage_from_directive

BUILTIN_CATEGORIES = {DEPRECATION_WARNING, "FutureWarning", PENDING_WARNING}
# What a category as written ends with when its name says deprecation (see is_deprecation_warning);
# \Z, not $: the very end, not before a last newline.
_NAMED_CATEGORY = re.compile(NAMED_DEPRECATION_WARNING + r"\Z")


def deprecation_categories(modules: list[ModuleInfo]) -> set[str]:
    """Warning classes that mean 'deprecated': the built-ins and library subclasses of them."""
    return _subclasses(BUILTIN_CATEGORIES, modules)


def pending_categories(modules: list[ModuleInfo]) -> set[str]:
    """Warning classes that mean 'deprecation announced': PendingDeprecationWarning and library
    subclasses of it (pandas' `Pandas5Warning`)."""
    return _subclasses({PENDING_WARNING}, modules)


def _subclasses(roots: set[str], modules: list[ModuleInfo]) -> set[str]:
    cats = set(roots)
    bases: dict[str, set[str]] = {}
    for info in modules:
        for cls, bs in info.bases.items():
            bases.setdefault(cls, set()).update(b.rsplit(".", 1)[-1] for b in bs)
    changed = True
    while changed:
        changed = False
        for cls, bs in bases.items():
            if cls not in cats and bs & cats:
                cats.add(cls)
                changed = True
    return cats


def is_deprecation_warning(f: RawFinding, categories: set[str]) -> bool:
    if f.category is None:
        return bool(f.message and "deprecat" in f.message.lower())
    last = f.category.rsplit(".", 1)[-1]
    # A plain FutureWarning also announces changes that deprecate nothing (torch: "reset_max_memory_
    # allocated now calls reset_peak_memory_stats"): its text must say a deprecation or a change.
    if last == "FutureWarning" and f.message and HOLE not in f.message and not announces_change(f.message):
        return False
    if last == "UserWarning":
        # seaborn 0.13 warns deprecations with UserWarning ("The `bw` parameter is deprecated in favor
        # of `bw_method` and `bw_adjust`"): only a sentence saying so counts, or one announcing it
        # (read as only announced: `only_announced`)
        return says_deprecated_now(f.message) or announces_deprecation(f.message)
    # The library's subclasses of the built-ins are in `categories`; any `...DeprecationWarning` counts by
    # its name, as library_helpers takes one. Searched, not matched whole: `last` is the category as
    # written, which may be an expression (`cls.category or DeprecationWarning`).
    return last in categories or _NAMED_CATEGORY.search(last) is not None


def only_announced(f: RawFinding) -> bool:
    """A warning of no deprecation class (a UserWarning, written or by default) whose text only
    announces a deprecation to come: torch 2.13's `PlaceholderObserver(compute_dtype=)`, "`compute_dtype`
    will be deprecated in a future release of PyTorch". Such an announcement is kept as changelogs'
    and PendingDeprecationWarning's are: a pending row. A deprecation class's own warning is a
    deprecation whatever its words ("will be deprecated soon" as a FutureWarning)."""
    if f.evidence_kind not in (WARNING, GETATTR):
        return False
    last = f.category.rsplit(".", 1)[-1] if f.category else "UserWarning"
    return last == "UserWarning" and announces_deprecation(f.message)


def is_public_api(api: str) -> bool:
    """No private component; dunder members (`__format__`) are public protocol."""
    return all(not p.startswith("_") or (p.startswith("__") and p.endswith("__")) for p in api.split("."))


def _clean_version(v: str | None) -> str | None:
    return v.strip().rstrip(".") or None if v else None


_EXPIRED_MODULE = re.compile(r"_(\d+)_(\d+)$")


@dataclass
class _Acc:
    dep: Deprecation
    source: bool = False
    announced: bool = False     # some evidence warns with a pending category
    firm: bool = False          # some library-source evidence says it is deprecated now
    # Some evidence offers several names for the parameter ("Use `l1_ratio` and `C` instead"):
    # the keyword is then no plain rename, whatever a terser warning of the same row says
    # (scikit-learn's "penalty is deprecated. Please use l1_ratio only.").
    several_offered: bool = False
    # Some evidence says the new name means the inverse (pydantic.v1 `validator(whole=)` -> "use
    # "each_item" (inverse meaning ...)"): `fix` must neither rename the keyword nor swap the API,
    # whatever other evidence of the row (a release note) says.
    inverted: bool = False
    # Every piece of evidence only corroborates (scan/helper_warnings.py): no row of its own.
    corroborated_only: bool = True
    # A decorator in the scanned source: its warning fires in that very release.
    decorated: bool = False
    # Changelog entries that only announce it ("is pending deprecation", no version), and ones that
    # say it is deprecated: with no source evidence, the first alone make the row pending.
    noted_announced: bool = False
    noted_deprecated: bool = False

    # Warnings of a default change, and those given under a test of the data (`Deprecation.conditional`).
    default_warnings: int = 0
    conditional_defaults: int = 0
    # Value findings carried back through calls (scan/forwarding.py), and those that reach the
    # warning for some inputs only (pandas' resample: not on a PeriodIndex)
    forwarded_values: int = 0
    conditional_values: int = 0
    direct_values: int = 0      # value findings of the API's own (a warning, a docstring, the notes)

    # Deprecated values some evidence names two different equivalents of (scikit-learn 1.1's
    # `max_features='auto'`: "explicitly set `max_features='sqrt'`" for classifiers, "1.0" for
    # regressors, both in one `fit`): no rewrite is exact.
    conflicting: set[str] = field(default_factory=set)

    def add_values(self, f: RawFinding, since: str | None, removed_in: str | None) -> None:
        """What a finding says of the deprecated values it names, and of passing the parameter at all
        when it deprecates that: their equivalents, and their own `since` and `removed_in` (records
        TIMELINES; this release's source naming one is its sighting, dated in `finish`)."""
        if f.kind != "parameter" or not f.parameter:
            return
        timelines = []
        if USE_VALUE in f.usage:
            mapping = self.dep.new_values
            if f.value_form:
                self.dep.value_form = f.value_form
            for old, new in (f.value_map or equivalent_values(f.message, f.parameter, list(f.values))).items():
                if mapping.get(old, new) != new:
                    self.conflicting.add(old)
                mapping[old] = new
            values = self.dep.timelines.setdefault(TIMELINE_VALUES, {})
            timelines += [values.setdefault(v, {}) for v in f.values]
        if USE_ANY in f.usage:
            timelines.append(self.dep.timelines.setdefault(TIMELINE_ANY, {}))
        for timeline in timelines:
            for key, version in (("since", since), ("removed_in", removed_in)):
                timeline[key] = min((v for v in (timeline.get(key), version) if v), key=version_key, default=None)
            timeline["seen"] = timeline.get("seen", False) or f.evidence_kind != CHANGELOG

    def note_default(self, f: RawFinding) -> None:
        if f.evidence_kind == WARNING and f.kind == "parameter" and USE_DEFAULT in f.usage:
            self.default_warnings += 1
            self.conditional_defaults += f.conditional
        elif f.forwarded:
            self.forwarded_values += 1
            self.conditional_values += f.conditional
        elif f.kind == "parameter" and USE_VALUE in f.usage:
            self.direct_values += 1

    def note_offer(self, f: RawFinding) -> None:
        if f.kind == "parameter" and not f.paired and len(replacement_names(f.message or "")[0]) > 1:
            self.several_offered = True
        self.inverted = self.inverted or says_inverted(f.message)

    def finish(self, version: str) -> Deprecation:
        if self.several_offered or self.inverted:
            self.dep.new_parameter = None
        d = self.dep
        d.new_values = {old: new for old, new in d.new_values.items() if old not in self.conflicting}
        if self.inverted:
            d.drop_in = False
        d.conditional = (self.default_warnings > 0 and self.conditional_defaults == self.default_warnings) or (
            self.forwarded_values > 0 and self.conditional_values == self.forwarded_values and not self.direct_values)
        warns_now = bool(self.decorated and not d.pending and version)
        if warns_now and d.since and version_key(d.since) > version_key(version):
            # scipy 1.17.1 `nnls`: `.. deprecated:: 1.18.0` beside `@_deprecate_positional_args(
            # deprecated_args={'atol'})`, which warns now: no announcement of a later release
            d.since = None
        timelines = d.timelines
        d.timelines = {}
        if TIMELINE_ANY in timelines and (any_use := _dated(timelines[TIMELINE_ANY], version, warns_now)):
            d.timelines[TIMELINE_ANY] = any_use
        values = {v: dated for v, t in timelines.get(TIMELINE_VALUES, {}).items()
                  if (dated := _dated(t, version, warns_now))}
        if values:
            d.timelines[TIMELINE_VALUES] = values
        return d

    def vote(self, f: RawFinding, pending: set[str]) -> None:
        """Changelogs are no witness against source evidence: their Deprecations sections list both."""
        if f.evidence_kind == CHANGELOG:
            if f.announced:
                self.noted_announced = True
            elif not f.removed:
                self.noted_deprecated = True
            if not self.source:
                self.dep.pending = self.noted_announced and not self.noted_deprecated
            return
        if f.category is not None and f.category.rsplit(".", 1)[-1] in pending or only_announced(f):
            self.announced = True
        else:
            self.firm = True
        self.dep.pending = self.announced and not self.firm


def _dated(timeline: dict, version: str, warns_now: bool) -> dict:
    """A use's timeline as stored: its sighting in this release's source made `first_seen` and
    `last_seen`; a `since` later than a decorator that warns now dropped, as the row's is (`_Acc.finish`)."""
    seen = timeline.get("seen")
    out = {k: v for k, v in timeline.items() if v and k != "seen"}
    if warns_now and out.get("since") and version_key(out["since"]) > version_key(version):
        del out["since"]
    if seen and version:
        out["first_seen"] = out["last_seen"] = version
    return out


@dataclass
class Resolved:
    deprecations: list[Deprecation] = field(default_factory=list)
    dropped: int = 0            # findings that named nothing of this library


def resolve_findings(findings: list[RawFinding], names: NameIndex, *, library: str, version: str,
                     categories: set[str], pending: set[str] | None = None) -> Resolved:
    """`categories`: warning classes meaning deprecated; `pending`: those meaning only announced."""
    pending = pending if pending is not None else {PENDING_WARNING}
    out: dict[tuple[str, str], _Acc] = {}
    dropped = 0
    findings = _with_bound_aliases(_expand_shims(findings, names), names)
    for f, api in _without_undeprecated(_onto_namesakes(list(_named(findings, names)), names)):
        if f.evidence_kind == "warning" and not is_deprecation_warning(f, categories):
            continue
        if api is None or api.split(".")[0] not in names.packages or not is_public_api(api):
            dropped += 1
            continue
        if f.forwarded and INTERNAL_SEGMENTS & set(api.split(".")) and api.rpartition(".")[0] in names.modules:
            # a hop on the way (pandas.core.resample.get_resampler): users call the API before it;
            # a method of a class in one (NDFrame.resample) is its public subclasses'
            continue
        if f.kind == "parameter" and f.evidence_kind == CHANGELOG and api in names.modules:
            # "the unused ``PolyError`` and ``PolyDomainError`` exceptions are removed from the
            # `numpy.polynomial`": a module takes no arguments, so these are not its parameters
            dropped += 1
            continue
        if f.kind == "parameter" and f.evidence_kind == CHANGELOG and f.parameter:
            api, f = _attribute_named_a_keyword(api, f, names, version)
        if f.evidence_kind == CHANGELOG and f.kind == "function" and api.rpartition(".")[0] in names.classes():
            # "``numpy.ndarray.tostring()`` is deprecated": a class's function is its method, which
            # `check` finds on a receiver of unknown type by its name too
            f = replace(f, kind="method")
        gone_method = _a_gone_method(api, f, names)
        if gone_method:
            f = replace(f, kind="method")
        f = _read_directive(f)
        is_source = f.evidence_kind != CHANGELOG
        since = _clean_version(f.since) or (f.version if not is_source and not f.removed and not f.announced else None)
        removed_in = _clean_version(f.removed_in) or (f.version if f.removed and not is_source else None)
        if f.removed and removed_in is None and f.module:
            m = _EXPIRED_MODULE.search(f.path.rsplit("/", 1)[-1].removesuffix(".py"))
            removed_in = f"{m.group(1)}.{m.group(2)}" if m else None
        if f.replacement and f.replacement.startswith(DISTRIBUTION_MARK):
            replacement = f.replacement.removeprefix(DISTRIBUTION_MARK)     # another distribution's
        elif gone_method:
            replacement = f.replacement         # a member's name, whichever class the value is of
        else:
            replacement = names.resolve_text_name(f.replacement, near=api, host=_host_class(api, f, names)) \
                if not _is_value_advice(f) else None
        if replacement == api:
            replacement = None
        new_parameter = f.new_parameter
        if f.kind == "parameter" and replacement and "." not in (f.replacement or ".") and not new_parameter \
                and USE_ANY in f.usage and replacement not in names.public and offers_one_name(f.message):
            # "`y_pred` is deprecated, use `y_score`": a bare name is the new keyword. Not for
            # values or defaults ("engine='auto' is deprecated, use 'pyarrow'"), nor for a name
            # the library defines ("Use OneVsRestClassifier(LogisticRegression(..)) instead").
            new_parameter, replacement = f.replacement, None
        if new_parameter and not _may_take(names, api, new_parameter):
            # scikit-learn 1.5's notes on `multi_class`: "you can use OneVsRestClassifier(
            # LogisticRegression(..))" named no keyword, and `fix` wrote `OneVsRestClassifier="ovr"`
            new_parameter = None
        ev = Evidence(f.evidence_kind, f.path, f.line, f.version or version, f.text)
        key = (api, f.parameter or "")
        acc = out.get(key)
        if acc is None:
            acc = out[key] = _Acc(Deprecation(
                library=library, api=api, kind=f.kind, replacement=replacement, since=since,
                removed_in=removed_in, message=f.message, parameter=f.parameter,
                new_parameter=new_parameter, drop_in=f.drop_in and replacement is not None,
                evidence=[ev], usage=merge_usage(f.usage), values=list(f.values), position=f.position), is_source)
            acc.add_values(f, since, removed_in)
        else:
            _merge(acc, f, is_source, replacement, since, removed_in, new_parameter, ev)
        acc.vote(f, pending)
        acc.decorated = acc.decorated or f.evidence_kind == DECORATOR
        acc.note_offer(f)
        acc.note_default(f)
        acc.corroborated_only = acc.corroborated_only and f.corroborates
    return Resolved([_read_ignored(a.finish(version)) for a in out.values() if not a.corroborated_only], dropped)


def _read_ignored(d: Deprecation) -> Deprecation:
    """A parameter whose message says the library ignores it now (messages.py `says_ignored`)."""
    d.ignored = d.kind == "parameter" and says_ignored(d.message)
    return d


def _read_directive(f: RawFinding) -> RawFinding:
    """What a finding says that its own text alone does not:

    - a ``.. deprecated::`` directive under a parameter's entry deprecates any use of it unless
      its text says otherwise (scan/parameter_usage.py `usage_from_directive`): matplotlib
      ``boxplot(vert=)``'s "Use *orientation* instead." is no less a deprecation of `vert=`;
    - a name in emphasis (``*orientation*``) is an argument's name, never an API to call instead:
      the extractor made it the new keyword where it is one of the def's parameters that takes
      the old one's values; anywhere else it is no replacement."""
    if f.kind == "parameter" and f.evidence_kind == DOCSTRING and f.parameter and merge_usage(f.usage) == [USE_OTHER]:
        usage, values = usage_from_directive(f.message, f.parameter)
        if usage != [USE_OTHER]:
            f = replace(f, usage=usage, values=values)
    if f.replacement and f.message and any(m.group(1) == f.replacement for m in EMPHASIS.finditer(f.message)) \
            and f"`{f.replacement}`" not in f.message:
        f = replace(f, replacement=None, drop_in=False)
    return f


def _named(findings: list[RawFinding], names: NameIndex) -> Iterator[tuple[RawFinding, str | None]]:
    """Each finding with the API it names; one in a class users never name, once for each public
    class that has it from there (`_BaseRidgeCV`'s `store_cv_values` is `RidgeCV`'s)."""
    for f in findings:
        api = _api_name(f, names)
        heirs = names.public_heirs(api, f.parameter) if api is not None and f.evidence_kind != CHANGELOG \
            and not is_public_api(api) else []
        if not heirs:
            yield f, api
        for heir in heirs:
            yield f, heir


def _onto_namesakes(named: list[tuple[RawFinding, str | None]], names: NameIndex) -> list[tuple[RawFinding, str | None]]:
    """A release note's loose name for an API this release no longer has is the one other
    deprecated API of that name the scan found:

    - a bare name: scikit-learn's "The deprecated ``Bootstrap`` cross-validation iterator was
      removed" is `cross_validation.Bootstrap`, deprecated in 0.15, not a made-up `sklearn.Bootstrap`
      (numpy 1.15's bare ``umath_tests`` module, `numpy.core.umath_tests`);
    - the package and a name, where the other is a class's member: numpy's "``np.tostring`` has
      been removed, use ``tobytes`` instead (deprecated since 1.19)" is `ndarray.tostring`, never
      a module-level function of numpy.

    Never where several namesakes could be meant (numpy's `loads` was `numpy.core.numeric`'s and
    `numpy.ma`'s), nor for a name this release has (or that a warning or decorator names), nor
    onto another bare name."""
    sourced = {api for f, api in named if f.evidence_kind != CHANGELOG}
    loose = [_loose(f, api, names, sourced) for f, api in named]
    by_leaf: dict[str, set[str]] = {}
    for (f, api), is_loose in zip(named, loose):
        if api is not None and not f.parameter and not (is_loose and "." not in _written(f)):
            by_leaf.setdefault(api.rpartition(".")[2], set()).add(api)
    out = []
    for (f, api), is_loose in zip(named, loose):
        if is_loose:
            bare = "." not in _written(f)
            namesakes = by_leaf.get(api.rpartition(".")[2], set())
            others = namesakes - {api}
            if len(others) == 1 and not (bare and api in namesakes):
                other = next(iter(others))
                if bare or other.rpartition(".")[0] in names.classes():
                    api = other
        out.append((f, api))
    return out


def _loose(f: RawFinding, api: str | None, names: NameIndex, sourced: set[str]) -> bool:
    """A release note's name of something gone, written bare or under the package alone."""
    if api is None or f.evidence_kind != CHANGELOG or f.parameter or api in sourced:
        return False
    if api in names.public or api in names.modules or api in names.member_apis():
        return False
    written = _written(f)
    return "." not in written or (written.count(".") == 1 and api.count(".") == 1)


def _a_gone_method(api: str, f: RawFinding, names: NameIndex) -> bool:
    """A release note's bare name that the release has nowhere, whose successor the note names
    bare and the release has only as a member of its classes: a method, of classes the note does
    not say. scikit-learn 1.0's "`get_feature_names` has in turn been deprecated" (after
    ":term:`get_feature_names_out` has been added to the transformer API"): `get_feature_names_out`
    is a member of 24 classes and no function; the row was a function `sklearn.get_feature_names`
    no code calls, with a replacement of one class picked among them. `check` finds a method by its
    name (`vectorizer.get_feature_names()`)."""
    new = (f.replacement or "").strip()
    if f.evidence_kind != CHANGELOG or f.kind != "function" or f.parameter or not new.isidentifier() \
            or "." in _written(f) or api in names.public or api in names.modules or api in names.member_apis():
        return False
    homes = names.by_last.get(new, [])
    classes = names.classes()
    return bool(homes) and all(home.rpartition(".")[0] in classes for home in homes)


def _written(f: RawFinding) -> str:
    return f.target.strip().lstrip("~.").removesuffix("()")


def _may_take(names: NameIndex, api: str, keyword: str) -> bool:
    """Whether the release read may take `keyword` in a call of `api`: yes unless its parameters
    are known (no `**kwargs`) and lack it."""
    accepted = names.call_parameters().get(api)
    return accepted is None or keyword in accepted


def _attribute_named_a_keyword(api: str, f: RawFinding, names: NameIndex, version: str) -> tuple[str, RawFinding]:
    """A name a release note calls a keyword of a class whose constructor does not take it, but
    which is an attribute of it: the note deprecates that attribute.

    - A property the class has, in the notes of the code's own feature release (scikit-learn
      1.5: "`store_cv_values` and `cv_values_` are deprecated in favor of `store_cv_results` and
      `cv_results_` in RidgeCV"). Only those: pandas 3 no longer takes 2.2's `PeriodIndex(year=)`,
      and has `.year`.
    - A fitted attribute, named as scikit-learn names them (`covariances_`, `grid_scores_`: set
      in `fit`, so no member the scan sees), in notes of any release; not `lambda_` or `type_`,
      which spell a keyword that would be a Python word."""
    if _may_take(names, api, f.parameter or ""):
        return api, f
    accepted = names.call_parameters()
    member = f"{api}.{f.parameter}"
    if f.removed or not (_same_release(f.version, version) and member in accepted
                         or fitted_attribute(f.parameter or "")):
        return api, f
    new = f.new_parameter or f.replacement
    if new and fitted_attribute(new):
        new = f"{api}.{new}"        # a fitted attribute of the same class, unseen by the scan
    return member, replace(f, kind="attribute", parameter=None, new_parameter=None, replacement=new, usage=[],
                           values=[], position=None)


def _reexport_elsewhere(written: str, resolved: str, names: NameIndex) -> bool:
    """`written` is a full path under a public module of the library that only imports the object
    `resolved` from another public module (a parent too: a shim's path is what goes away)."""
    module = written.rpartition(".")[0]
    home = resolved.rpartition(".")[0]
    return (written != resolved and written.split(".")[0] in names.packages and module in names.modules
            and is_public_module(module) and is_public_module(home) and home in names.modules and home != module)


def _under_its_class(api: str, names: NameIndex) -> str:
    """A member the notes write under a path its class never had: scipy 1.4's "In
    `scipy.spatial.Rotation` methods ``from_dcm`` ..." is `scipy.spatial.transform.Rotation.from_dcm`,
    the class's one public home, which a use of `Rotation.from_dcm` reaches."""
    owner, _, member = api.rpartition(".")
    if "." not in owner or names.knows_owner(api):
        return api
    cls = owner.rpartition(".")[2]
    home = names.resolve_text_name(cls)
    return f"{home}.{member}" if home and home in names.classes() and home != owner else api


def _replacement_home(f: RawFinding, target: str, names: NameIndex) -> str | None:
    """The module of a bare name the text places nowhere but at the package's top, from its
    replacement's: "The deprecated ``Ward`` and ``WardAgglomerative`` classes have been removed. Use
    :class:`cluster.AgglomerativeClustering`" (scikit-learn 0.17) is `sklearn.cluster.Ward`, and
    scipy 0.18's ``sph_jn`` ... "in favor of `scipy.special.spherical_jn`" is `scipy.special.sph_jn`;
    no release put them at the top (`sklearn.Ward`), where no import of them would match."""
    if "." in (f.module or ".") or f.kind not in ("function", "class") or not f.replacement:
        return None
    replacement = names.resolve_text_name(f.replacement)
    home = replacement.rsplit(".", 1)[0] if replacement and "." in replacement else None
    # (a class is no home: `old` replaced by a method `X.fit` is no member of X)
    return home if home in names.modules else None


def _same_release(a: str | None, b: str | None) -> bool:
    """Whether two versions are of one feature release (1.5.0 and 1.5.2)."""
    return feature_release(a) is not None and feature_release(a) == feature_release(b)


def _host_class(api: str, f: RawFinding, names: NameIndex) -> str | None:
    """The class a deprecated attribute or method belongs to, where a bare replacement is a
    member of it; None for anything else, or when the text puts the replacement on another
    class ("use staging_future from AsyncSaveResponse")."""
    owner = api.rsplit(".", 1)[0]
    if f.kind not in ("attribute", "method") or owner not in names.classes() or not f.replacement:
        return None
    elsewhere = re.search(rf"\b{re.escape(f.replacement)}\W*\s+(?:from|of|on|in)\s+\W*[A-Z]\w*", f.message or "")
    return None if elsewhere else owner


def _without_undeprecated(named: list[tuple[RawFinding, str | None]]) -> list[tuple[RawFinding, str | None]]:
    """Notes that deprecate an API before a later note says it is deprecated no longer (pandas 0.25
    ":meth:`Index.item` and :meth:`Series.item` is deprecated", 1.0 "... have been _undeprecated_")
    are void, and so are the undeprecations themselves: they make no row."""
    undone: dict[str, str] = {}
    for f, api in named:
        if f.undeprecated and api and f.version:
            undone[api] = max(undone.get(api, f.version), f.version, key=version_key)
    return [(f, api) for f, api in named
            if not f.undeprecated and not (f.evidence_kind == CHANGELOG and api in undone and f.parameter is None
                                           and version_key(f.version or "0") < version_key(undone[api]))]


def _with_bound_aliases(findings: list[RawFinding], names: NameIndex) -> list[RawFinding]:
    """What the code says of a def it says of each name bound to it elsewhere:

    - a module-level name bound to a method of a module-level instance: numpy's
      `np.random.random_integers` is `_rand.random_integers`, whose `RandomState.random_integers`
      warns and whose docstring says deprecated since 1.11.0;
    - a class member made of a module-level def after the class: pandas'
      `Timestamp.daysinmonth = property(_daysinmonth_fget)`, the def warning and its docstring
      saying deprecated since 3.1.0."""
    aliases: dict[str, list[tuple[str, str, str | None]]] = {}   # the def's path -> (module, name, kind)
    for module, info in names.modules.items():
        for name, written in info.bound_methods.items():
            cls, _, method = written.rpartition(".")
            aliases.setdefault(f"{names.base_name(module, cls)}.{method}", []).append((module, name, None))
        for member, (func, kind) in info.patched_members.items():
            aliases.setdefault(f"{module}.{func}", []).append((module, member, kind))
    if not aliases:
        return findings
    out = list(findings)
    for f in findings:
        if f.evidence_kind == CHANGELOG or f.module is None:
            continue
        if f.target.count(".") == 1:
            cls, _, method = f.target.partition(".")
            path = f"{names.base_name(f.module, cls)}.{method}"
        else:
            path = f"{f.module}.{f.target}"
        for module, name, kind in aliases.get(path, ()):
            if f.kind == "parameter":
                kind = f.kind
            else:
                kind = kind or ("function" if f.kind == "method" else f.kind)
            out.append(replace(f, module=module, target=name, kind=kind))
    return out


def _expand_shims(findings: list[RawFinding], names: NameIndex) -> list[RawFinding]:
    """A scipy-style shim module is a drop-in for its new home only when every name of its
    `__all__` lives there: scipy 1.13's `scipy.stats.mvn` lists `mvnun`, which `scipy.stats`
    does not have, so `mvn.mvnun` must not become `stats.mvnun`. For such a shim the module
    row is advice, and each name that does have a public home gets a drop-in row of its own
    (`scipy.stats.kde.gaussian_kde` -> `scipy.stats.gaussian_kde`)."""
    out: list[RawFinding] = []
    for f in findings:
        info = names.modules.get(f.module or "") if f.evidence_kind == SUBMODULE else None
        if info is None or info.all is None or not f.replacement:
            out.append(f)
            continue
        if not info.all:
            # scipy 1.17's `scipy.stats.mvn`: `__all__ = []` and a `__getattr__` that refuses every
            # name. Nothing of it lives in the new home ("all of none" is no drop-in): advice.
            out.append(replace(f, drop_in=False))
            continue
        home = f.replacement
        homed = [n for n in info.all if f"{home}.{n}" in names.public]
        if len(homed) == len(info.all):
            out.append(f)
            continue
        out.append(replace(f, drop_in=False))
        out += [replace(f, kind=names.kind_of(home, n), target=n, replacement=f"{home}.{n}",
                        message=f"{f.module}.{n} is deprecated; use {home}.{n}") for n in homed]
    return out


def _merged_kind(old: str, new: str, *, upgrade: bool, is_source: bool) -> str:
    """Source evidence decides over a changelog's, except that a deprecated setter and a
    deprecated read of the same attribute make every use deprecated: the attribute. A
    changelog's "attribute" does not widen a setter the source shows."""
    if SETTER in (old, new) and old != new:
        if old == SETTER:
            return new if is_source else old
        return SETTER if upgrade else old
    return new if upgrade else old


def _merge(acc: _Acc, f: RawFinding, is_source: bool, replacement: str | None, since: str | None,
           removed_in: str | None, new_parameter: str | None, ev: Evidence) -> None:
    d = acc.dep
    upgrade = is_source and not acc.source
    if replacement and (upgrade or not d.replacement):
        d.drop_in = f.drop_in if replacement != d.replacement else (d.drop_in or f.drop_in)
        d.replacement = replacement
    elif replacement and replacement == d.replacement:
        d.drop_in = d.drop_in or f.drop_in
    if f.message and (upgrade or not d.message):
        d.message = f.message
    if new_parameter and (upgrade or not d.new_parameter):
        d.new_parameter = new_parameter
    d.kind = _merged_kind(d.kind, f.kind, upgrade=upgrade, is_source=is_source)
    d.usage = merge_usage(d.usage, f.usage)
    d.values = sorted(set(d.values) | set(f.values))
    acc.add_values(f, since, removed_in)
    d.position = d.position if d.position is not None else f.position
    d.since = min((v for v in (d.since, since) if v), key=version_key, default=None)
    d.removed_in = min((v for v in (d.removed_in, removed_in) if v), key=version_key, default=None)
    acc.source = acc.source or is_source
    d.evidence.append(ev)


def _is_value_advice(f: RawFinding) -> bool:
    """"engine='auto' is deprecated. Use 'pyarrow'": for a value or a default the quoted
    replacement is another value, not an API."""
    if f.kind != "parameter" or not f.replacement or USE_ANY in f.usage:
        return False
    return re.search(rf"['\"]{re.escape(f.replacement)}['\"]", f.message or "") is not None


def _api_name(f: RawFinding, names: NameIndex) -> str | None:
    if f.evidence_kind != CHANGELOG:
        return names.public_name(f.module or "", f.target)
    target = _written(f)
    if not target:
        return None
    resolved = names.resolve_text_name(target)
    if resolved and resolved.split(".")[0] in names.packages:
        if _reexport_elsewhere(target, resolved, names):
            # a shim's `from numpy.linalg import norm` makes "``numpy.linalg.linalg.norm`` is deprecated"
            # reach `numpy.linalg.norm`: the path is what the note names, not the live function of
            # another public module (a star import binds only what its module exports: names.py)
            return target
        return _under_its_class(resolved, names)
    if f.module:
        module = _replacement_home(f, target, names) or f.module
        written = names.resolve_text_name(f"{module}.{target}") or f"{module}.{target}"
        if "." in target and not names.knows_owner(written):
            return names.resolve_under_known_owner(target) or written
        return written
    return None
