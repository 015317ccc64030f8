"""Scan targets into the knowledge base: resolve, read changed files in parallel, write in one transaction."""
from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from apimigrate.db import Deprecation, KnowledgeBase, feature_release, version_key
from apimigrate.db.records import TIMELINE_VALUES, timelines_of

from .extract import extract_batch, facts_from_json, facts_to_json
from .fetch import FETCH_ERRORS, cache_dir, dists_dir, fetch_release, fetch_sdist, release_versions
from .forwarding import forwarded_findings
from .gc_pace import collecting_less
from .helper_warnings import helper_findings
from .migration_tables import link_served_names
from .moved_names import moved_name_findings
from .value_tables import with_table_values
from .model import CHANGELOG, GETATTR, FileResult, ModuleInfo
from .names import NameIndex, build_name_index
from .reading import Reading, Workers
from .resolve import deprecation_categories, pending_categories, resolve_findings
from .signatures import passes_alike
from .targets import ScanError, SourceFile, SourceTree, installed_tree, path_tree, unpack

# How many minor releases back a scan looks for one whose sdist carries the release notes the
# installed release's lacks: pandas 3.1.1's are in 2.0.3's, five minor releases before it.
NOTES_RELEASES_BACK = 8


@dataclass
class ScanReport:
    library: str
    version: str
    files: int = 0
    read: int = 0
    unchanged: int = 0
    reused: int = 0           # of those read, taken from another release's identical file
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why)
    deprecations: int = 0
    with_replacement: int = 0
    marked_removed: int = 0
    withdrawn: int = 0        # deprecated names a newer version defines for real again
    notes_unread: str = ""    # why an installed release's notes were not read ("" when they were)
    notes_from: str = ""      # the older release whose notes were read instead, its own sdist carrying none


# ---- targets -----------------------------------------------------------------
def parse_target(target: str) -> tuple[str, str | None, Path | None]:
    """'numpy' -> (numpy, None, None); 'pandas==2.2.2' -> (pandas, 2.2.2, None); a path -> (.., .., path)."""
    if "==" in target:
        name, _, version = target.partition("==")
        return name.strip(), _version_given(version.strip(), target), None
    p = Path(target).expanduser()
    if p.exists() or "/" in target or target.endswith((".whl", ".tar.gz")):
        return "", None, p
    return target, None, None


def _version_given(version: str, where: str) -> str:
    """A version the user wrote, checked before any index is asked (`numpy==abc`, `--since abc`)."""
    try:
        Version(version)
    except InvalidVersion:
        raise ScanError(f"{version!r} in {where!r} is not a version (PEP 440: 2.4.6, 1.26, 2.0.0rc1)") from None
    return version


def _archive_tree(archive: Path, name: str, version: str) -> SourceTree:
    """A fetched wheel or sdist of `name==version`, unpacked into the cache. One that cannot be
    unpacked (a disk error, a file cut short outside apimigrate) leaves the cache, so that the next
    scan fetches it again instead of failing on it for good."""
    dest = cache_dir() / "unpacked" / archive.name
    try:
        root = unpack(archive, dest)
    except ScanError as exc:
        archive.unlink(missing_ok=True)
        shutil.rmtree(dest, ignore_errors=True)
        raise ScanError(f"{exc} (removed from the cache: the next scan fetches it again)") from exc
    return path_tree(root, cache_dir=cache_dir(), source_kind="pinned", name=name, version=version)


def pinned_tree(name: str, version: str) -> SourceTree:
    wheel, sdist = fetch_release(name, version)
    trees = [_archive_tree(a, name, version) for a in (wheel, sdist) if a is not None]
    # Python code from the wheel (what users import), changelogs from the sdist (wheels carry none).
    tree = trees[0]
    tree.source_ref = " + ".join(str(a.name) for a in (wheel, sdist) if a is not None)
    if len(trees) == 2:
        tree.files = [f for f in trees[0].files if not f.is_changelog] \
            + compiled_sources(trees[0], trees[1]) + [f for f in trees[1].files if f.is_changelog]
    tree.sdist_lacks_notes = sdist is not None and not any(f.is_changelog for f in trees[-1].files)
    return tree


def compiled_sources(built: SourceTree, sdist: SourceTree) -> list[SourceFile]:
    """The sdist's Cython sources of the modules `built` (a wheel, an install) has only compiled:
    pandas' Timestamp and Period, numpy's legacy `np.random` functions."""
    code = {f.module for f in built.files if f.module is not None and not f.is_stub}
    return [f for f in sdist.files if f.is_cython and f.module in built.compiled and f.module not in code]


def with_sdist_sources(tree: SourceTree) -> str:
    """Add what an installed release's wheel does not carry from the same release's sdist (cached,
    else fetched from pip's index): its release notes (numpy 2.4.6's sdist has every release's notes
    back to 1.3, which name `np.product` and the other APIs 2.x removed) and the Cython sources of its
    compiled modules. Returns why the notes could not be read, "" when they were; an sdist read that
    carries none (pandas' since 2.1) sets `tree.sdist_lacks_notes`."""
    try:
        version = Version(tree.version).public   # torch's `2.13.0+cpu` is published as 2.13.0
    except InvalidVersion:
        return f"{tree.library}'s installed version {tree.version!r} is not one an index publishes"
    try:
        sdist = fetch_sdist(tree.library, version, dists_dir())
    except FETCH_ERRORS as exc:
        return f"cannot fetch the sdist of {tree.library} {version}: {exc}"
    if sdist is None:
        return f"found no sdist of {tree.library} {version} in the cache or on a reachable index"
    try:
        unpacked = _archive_tree(sdist, tree.library, tree.version)
    except ScanError as exc:
        return str(exc)
    cython = compiled_sources(tree, unpacked)
    notes = [f for f in unpacked.files if f.is_changelog]
    tree.files.extend(cython + notes)
    if cython or notes:
        tree.source_ref = f"{tree.source_ref} + {sdist.name}"
    # pandas leaves its whatsnew out of the sdist: said, so that no one takes the silence for
    # "nothing was removed before this release"
    tree.sdist_lacks_notes = not notes
    return "" if notes else f"the sdist of {tree.library} {version} carries none"


def _minor_releases(versions: list[str], low: Version, high: Version) -> list[str]:
    """The latest patch of each minor release from `low` to `high`, oldest first."""
    chosen: dict[tuple[int, ...], str] = {}
    for v in sorted(versions, key=Version):
        if low <= Version(v) <= high:
            chosen[Version(v).release[:2]] = v
    return [v for _, v in sorted(chosen.items())]


def _notes_carrier(name: str, older: list[str]) -> str | None:
    """The newest of the last NOTES_RELEASES_BACK of `older` (releases, oldest first) whose sdist
    carries release notes; None when none does or the index cannot say."""
    for v in reversed(older[-NOTES_RELEASES_BACK:]):
        try:
            sdist = fetch_sdist(name, v, dists_dir())
            unpacked = _archive_tree(sdist, name, v) if sdist is not None else None
        except FETCH_ERRORS:
            return None
        except ScanError:
            continue
        if unpacked is not None and any(f.is_changelog for f in unpacked.files):
            return v
    return None


def _installed_trees(name: str, release_notes: bool) -> list[SourceTree]:
    tree = installed_tree(name)
    if not release_notes:
        return [tree]
    tree.notes_unread = with_sdist_sources(tree)
    return _with_older_notes(name, tree) if tree.sdist_lacks_notes else [tree]


def _pinned_trees(name: str, version: str, release_notes: bool) -> list[SourceTree]:
    tree = pinned_tree(name, version)
    if not release_notes or not tree.sdist_lacks_notes:
        return [tree]
    tree.notes_unread = f"the sdist of {name} {version} carries none"
    return _with_older_notes(name, tree)


def _with_older_notes(name: str, tree: SourceTree) -> list[SourceTree]:
    """`tree`, a release whose sdist carries no release notes, and before it every minor release since
    the newest one whose sdist carries them, oldest first: what `--since` that release scans, so
    that the notes say what was deprecated and each release's code what it still had. pandas'
    whatsnew left its sdist after 2.0: a plain scan of pandas 3.1.1 knew nothing of
    `DataFrame.applymap`, which 2.1 deprecated and 3.0 removed."""
    release = Version(Version(tree.version).public)
    try:
        older = [v for v in _minor_releases(release_versions(name), Version("0"), release)
                 if Version(v).release[:2] < release.release[:2]]
    except (ScanError, *FETCH_ERRORS):
        return [tree]
    carrier = _notes_carrier(name, older)
    if carrier is None:
        return [tree]
    try:
        trees = [pinned_tree(name, v) for v in older if Version(v) >= Version(carrier)]
    except (ScanError, *FETCH_ERRORS) as exc:
        tree.notes_unread += f"; those of {name} {carrier} could not be read: {exc}"
        return [tree]
    tree.notes_unread, tree.notes_from = "", carrier
    return trees + [tree]


def trees_for(target: str, since: str | None = None, *, release_notes: bool = True) -> list[SourceTree]:
    name, version, path = parse_target(target)
    if since is not None:
        _version_given(since, f"--since {since}")
    if path is not None:
        return [path_tree(path, cache_dir=cache_dir())]
    if since is None:
        return _pinned_trees(name, version, release_notes) if version else _installed_trees(name, release_notes)
    # --since: every minor release from `since` to the pinned one, else the installed one (the
    # release the user's code runs on, not one newer), else the newest; newest last
    upto = version or _installed_version(name) or release_versions(name)[-1]
    chosen = _minor_releases(release_versions(name), Version(since), Version(upto))
    if not chosen:
        raise ScanError(f"no release of {name} between {since} and {upto}")
    return [pinned_tree(name, v) for v in chosen]


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


# ---- scanning one tree ---------------------------------------------------------
def _progress(enabled: bool):
    """A bar on stderr while a terminal shows it: stdout is the summary's, and piped (a CI log, a
    script reading the summary) a bar is no more than a stray blank line."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        return nullcontext(None)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), transient=True, console=console)


def scan_tree(kb: KnowledgeBase, tree: SourceTree, *, progress=None,
              workers: int | Workers | None = None) -> ScanReport:
    """Scan one tree into `kb`; `workers`: how many processes read its files, or a scan's Workers."""
    if not isinstance(workers, Workers):
        with Workers(workers) as own:
            return scan_tree(kb, tree, progress=progress, workers=own)
    return _store(kb, Reading.start(kb, tree, workers, progress), workers, progress)


def _store(kb: KnowledgeBase, reading: Reading, workers: Workers, progress=None) -> ScanReport:
    """Join the facts of a tree's files and store what they give, in one transaction."""
    tree, hashes, changed, gone = reading.tree, reading.hashes, reading.changed, reading.gone
    report = ScanReport(tree.library, tree.version, files=len(tree.files), notes_unread=tree.notes_unread,
                        notes_from=tree.notes_from)
    report.unchanged = len(tree.files) - len(changed)
    # Class members are kept for the newest release scanned only; a DB made before they were
    # stored learns them from the stored facts.
    newest = _is_newest(kb, tree)
    # (a DB older than the `aliases` table learns them the same way; a library with no other import
    # paths for its names is asked again at each rescan, which reads no file)
    needs_classes = newest and (kb.classes_version(tree.library) != tree.version or not kb.has_aliases(tree.library)) \
        and any(not f.is_changelog for f in tree.files)
    if not changed and not gone and not needs_classes:
        _count_existing(kb, report)
        return report

    fresh, reused = reading.results(kb, workers, progress)
    report.reused = len(reused)
    report.read = len(changed) - len(reused)
    cached = kb.file_facts(tree.library, tree.version)
    results: list[FileResult] = []
    for sf in tree.files:
        r = fresh.get(sf.rel) or facts_from_json(sf.rel, cached.get(sf.rel))
        if r is None:  # cached facts unreadable: read it now, in process
            r = extract_batch([sf], tree.library, tree.version, tuple(tree.packages))[0]
            fresh[sf.rel] = r
        results.append(r)
    report.skipped = [(r.path, r.error) for r in results if r.error]
    # What each file gave, before the joins below fill table values into its findings: stored so,
    # the facts a rescan or another release takes are those reading the file gives.
    facts = {p: reused[p][1] if p in reused else facts_to_json(r) for p, r in fresh.items()}

    modules = [r.module_info for r in results if r.module_info is not None]
    names = _name_index(modules, tree.packages)
    categories = deprecation_categories(modules)
    # A helper's runtime warning goes first: its text is what callers see, so it is the row's message.
    findings = helper_findings(modules) + [f for r in results for f in r.findings]
    findings = with_table_values(findings, modules)
    findings += forwarded_findings(findings, modules)   # pd.date_range(freq=) passes it on to to_offset
    findings = link_served_names(findings, names)     # migration tables: only what a __getattr__ serves
    findings = moved_name_findings(findings, names)   # "Window functions can no longer be imported from scipy.signal"
    resolved = resolve_findings(findings, names, library=tree.library, version=tree.version,
                                categories=categories, pending=pending_categories(modules))

    with kb.transaction():
        kb.drop_evidence_from(tree.library, [*fresh, *gone], tree.version)
        kb.forget_files(tree.library, tree.version, gone)
        current = {id(d) for d in resolved.deprecations if _current(d, tree.version, names.public)}
        for dep in resolved.deprecations:
            kb.upsert_deprecation(dep, seen_in=tree.version if id(dep) in current else None)
        kb.prune_orphans(tree.library)
        seen = {d.api for d in resolved.deprecations if id(d) in current}
        releases = _ReleaseIndices(kb, tree, names)
        report.marked_removed = _mark_vanished(kb, tree, releases, seen) + _mark_gone_parameters(kb, tree, releases)
        _mark_gone_values(kb, tree)
        report.withdrawn = _withdraw_revived(kb, tree, releases, seen)
        report.marked_removed += _mark_gone_noted(kb, tree, releases)
        _mark_alias_drop_ins(kb, tree, releases)
        _unmark_unlike_signatures(kb, tree, releases)
        if modules and newest:
            bases = names.class_bases()
            members = names.member_apis()
            accepted = names.call_parameters()
            kb.record_classes(tree.library, tree.version, members, bases, names.return_types(set(bases)),
                              {api: accepted[api] for api in members if api in accepted},
                              names.private_paths({d.api for d in resolved.deprecations} | set(bases)))
        elif modules:
            kb.record_vanished_returns(tree.library, tree.version, names.return_types(set(names.class_bases())))
        kb.record_files(tree.library, tree.version,
                        {p: (hashes[p], facts[p]) for p in fresh})
        kb.record_library(tree.library, tree.version, tree.source_kind, tree.source_ref)
    # what the next release's scan asks of this one, as reading the stored facts would give it
    _keep_index(_index_key(tree, tree.version, hashes), names if modules else None)
    _count_existing(kb, report)
    return report


def _current(dep: Deprecation, version: str, public: set[str]) -> bool:
    """Whether the release read shows the deprecation: in its code, in the notes of its own minor
    release, or in older notes of an API it still has and they do not say is gone. numpy 2.4.6's
    sdist carries the notes of every release back to 1.3; that 1.25's deprecate `np.product` says
    nothing of 2.4.6, which has no `product` at all, nor 1.24's expiring the alias `np.bool` of
    2.4.6's own `np.bool`: such rows are not "seen" in 2.4.6 (whether the API was removed, or came
    back, is judged as for any API an older release had)."""
    release = feature_release(version)
    for e in dep.evidence:
        noted = feature_release(e.version) if e.kind == CHANGELOG else None
        if e.kind != CHANGELOG or release is None or noted is None or noted >= release:
            return True
    gone = dep.removed_in is not None and version_key(dep.removed_in) <= version_key(version)
    return dep.api in public and not gone


def removal_release(last_had: str | None, first_without: str) -> str:
    """When an API went, from the last scanned release that had it and the first that did not: the
    feature release of the latter where the two differ in it, since `--since` reads each feature
    release's newest patch (pandas 2.3.3 had `applymap`, 3.0.6 has not: it went in 3.0, and a user
    of 3.0.0 has no `applymap` either), else the latter itself."""
    after = feature_release(first_without)
    if after is None or feature_release(last_had) in (None, after) \
            or version_key(first_without)[1].release[2:] in ((), (0,)):
        return first_without
    return ".".join(map(str, after))


def _is_newest(kb: KnowledgeBase, tree: SourceTree) -> bool:
    """No newer release of the tree's library is stored."""
    return all(version_key(v) <= version_key(tree.version) for v in kb.library_versions(tree.library))


def _mark_vanished(kb: KnowledgeBase, tree: SourceTree, releases: _ReleaseIndices, seen: set[str]) -> int:
    """APIs deprecated in an older version and absent from the newest one scanned were removed in
    the first scanned version after their last sighting that lacks them; in either order of
    scanning (an older release scanned after the newest reads the newer ones' stored facts).

    Only where an older scanned release still had the API: by a public name, or by evidence
    in its source (a warning, a decorator, a `__getattr__` table). A row known from release notes
    alone, for an API no scanned release has, went before the oldest of them: `scan
    networkx==3.4.2 networkx` reads 3.4.2's notes of APIs removed in 3.0 (`to_scipy_sparse_matrix`,
    `pagerank_numpy`), and 3.6.1 is not when they went."""
    versions = sorted({*kb.library_versions(tree.library), tree.version}, key=version_key)
    if len(versions) < 2:
        return 0
    known: dict[str, tuple[set[str], set[str]] | None] = {}

    def names_in(version: str) -> tuple[set[str], set[str]] | None:
        """(public names, APIs whose deprecation was seen) of a scanned version; None: unknown."""
        index = releases.of(version)
        if version == tree.version:
            return (index.public, seen) if index is not None else None
        if version not in known:
            stored = index.public if index is not None else set()
            known[version] = (stored, _seen_in(kb, tree.library, version)) if stored else None
        return known[version]

    newest = names_in(versions[-1])
    if newest is None:
        return 0
    n = 0
    for row in kb.deprecations([tree.library]):
        # a removal only seen (_mark_gone_noted, before an older release showed the API) is dated now
        if row["kind"] == "parameter" or (row["removed_in"] and not row["removal_seen"]) or not row["last_seen"] \
                or any(row["api"] in names for names in newest):
            continue
        in_source: set[str] | None = None      # versions whose source gave the row evidence
        had = False                             # some scanned release up to here had the API
        for before, version in zip([None, *versions], versions):
            names = names_in(version)
            if version_key(version) > version_key(row["last_seen"]) and names is not None \
                    and not any(row["api"] in group for group in names):
                if had:
                    n += kb.mark_removed(row["id"], removal_release(before, version))
                break
            if not had and names is not None:
                if in_source is None:
                    in_source = {e["version"] for e in kb.evidence_for(row["id"]) if e["kind"] != CHANGELOG}
                had = row["api"] in names[0] or version in in_source
    return n


def _mark_gone_parameters(kb: KnowledgeBase, tree: SourceTree, releases: _ReleaseIndices) -> int:
    """A deprecated keyword the newest release's function no longer takes was removed in it:
    pandas 2.1 deprecated `fillna(method=)`, pandas 3 has no such parameter. Only where the newest
    release's def is read and takes no `**kwargs`; in either order of scanning (an older release
    scanned after the newest reads the newest one's stored facts).

    A keyword known from release notes alone, with no removal they date, is gone by the oldest
    scanned release after the notes whose def does not take it (scikit-learn 0.23's
    `KMeans(n_jobs=)`, which 1.9.1 does not take): when it went, no scanned release says
    (KnowledgeBase.mark_removed keeps that the removal was seen, not dated). The same in either
    order of scanning: the release being scanned is asked as well as the newest."""
    newest = max([*kb.library_versions(tree.library), tree.version], key=version_key)
    n = 0
    for row in kb.deprecations([tree.library]):
        if row["kind"] != "parameter" or (row["removed_in"] and not row["removal_seen"]):
            continue
        noted = _noted_versions(kb, row)
        if noted is not None:
            # only a release after the notes: one before them may not have had the keyword yet
            versions = [v for v in {tree.version, newest} if version_key(v) > max(map(version_key, noted))]
        elif not row["removed_in"] and row["last_seen"] and version_key(row["last_seen"]) < version_key(newest):
            versions = [newest]
        else:
            continue
        for version in sorted(versions, key=version_key):
            index = releases.of(version)
            takes = index.call_parameters().get(row["api"]) if index is not None else None
            if takes is not None and row["parameter"] not in takes:
                n += kb.mark_removed(row["id"], version if noted is not None
                                     else removal_release(row["last_seen"], version))
                break
    return n


def _noted_versions(kb: KnowledgeBase, row: dict) -> list[str] | None:
    """The releases whose notes give a row that release notes alone give; None for any other."""
    evidence = kb.evidence_for(row["id"])
    if not evidence or any(e["kind"] != CHANGELOG for e in evidence):
        return None
    return [e["version"] for e in evidence if e["version"]] or None


def _mark_gone_values(kb: KnowledgeBase, tree: SourceTree) -> int:
    """A deprecated value that an older scanned release warned of and the newest one no longer does,
    while the newest one's source still warns of other uses of the parameter (so it was read, and
    the parameter is still taken), was removed in the first scanned release after its last sighting
    whose source warns of the parameter without it: scikit-learn 1.1.3 warns of
    `criterion='mse'`, 1.9.1 of `criterion='friedman_mse'` alone (passing 'mse' has raised since 1.2,
    as 1.1.3 said it would: a planned removal no later than that stands). In either order of
    scanning: the values' sightings are stored with the row."""
    versions = kb.library_versions(tree.library)
    newest = max([*versions, tree.version], key=version_key)
    n = 0
    for row in kb.deprecations([tree.library]):
        values = timelines_of(row).get(TIMELINE_VALUES, {})
        stale = {v: t["last_seen"] for v, t in values.items()
                 if t.get("last_seen") and version_key(t["last_seen"]) < version_key(newest)}
        if row["kind"] != "parameter" or not stale:
            continue
        read = sorted({e["version"] for e in kb.evidence_for(row["id"]) if e["kind"] != CHANGELOG}, key=version_key)
        if newest not in read:
            continue
        n += kb.mark_values_removed(row["id"], {
            value: removal_release(last_seen, next(v for v in read if version_key(v) > version_key(last_seen)))
            for value, last_seen in stale.items()})
    return n


def _withdraw_revived(kb: KnowledgeBase, tree: SourceTree, releases: _ReleaseIndices, seen: set[str]) -> int:
    """Names an older version served only through a module ``__getattr__`` (an alias shim, a
    removal error), or that release notes alone say were removed, which the newest version scanned
    defines for real again are not deprecated.

    numpy 1.26's ``np.bool``/``np.ulong`` raised "will be defined as the corresponding NumPy
    scalar"; numpy 2 defines them, so flagging (and rewriting `np.bool` to `bool`) would be wrong.
    A name that still exists by a real definition says nothing: its deprecation may simply not
    be visible to the scan in the newer source. Works in either order of scanning: scanning an
    older version after the newest reads the newest one's stored facts.
    """
    newest = max(kb.library_versions(tree.library), key=version_key, default=tree.version)
    if version_key(newest) < version_key(tree.version):
        newest = tree.version
    index: NameIndex | None = releases.names
    if newest != tree.version:
        index, seen = releases.of(newest), _seen_in(kb, tree.library, newest)
    public = index.public if index is not None else set()
    members = index.member_apis() if index is not None else set()
    n = 0
    for row in kb.deprecations([tree.library]):
        if row["kind"] == "parameter":
            continue
        defined = row["api"] in public or row["api"] in members
        if not defined and not (index is not None and "." in row["api"] and index.has_member(*row["api"].rsplit(".", 1))):
            continue
        evidence = kb.evidence_for(row["id"])
        if not defined and not _removal_noted(row, evidence):
            # A member the class has from a base is back only after the notes of a release said it
            # was removed (pandas' `Series.flags`: 1.0 "Removed the previously deprecated ...", and
            # NDFrame's own `flags` since 1.2); a planned removal of an override leaves the base's
            # member with other behaviour (SQLAlchemy 2.0's `Join.alias`, FromClause's), still worth
            # a look.
            continue
        served_once = row["api"] in public and row["api"] not in seen and row["last_seen"] \
            and version_key(row["last_seen"]) < version_key(newest) and _only_served_by_getattr(evidence)
        if served_once or _defined_after_noted_removal(row, evidence, newest) or _outlived(row, evidence, newest):
            kb.delete_deprecation(row["id"])
            n += 1
    return n


def _mark_gone_noted(kb: KnowledgeBase, tree: SourceTree, releases: _ReleaseIndices) -> int:
    """An API that release notes alone deprecate, with no removal they date by the newest scanned
    release, is gone by the oldest scanned release after those notes that does not define it where
    its module or class is: numpy 1.25's notes deprecate `np.product` ("Use `np.prod` instead") and
    numpy 2.4.6 has no `product`, so a call fails, and "deprecated since 1.25.0" alone hides that.
    When it went no scanned release says (KnowledgeBase.mark_removed keeps that the removal was
    seen, not dated). Not under a module the release lacks (one the scan may not have read), nor
    where the newest release has it again (pandas 0.18.1 deprecated `Categorical.sort`; 3.1's is a
    new one it inherits). In either order of scanning: stored facts."""
    versions = sorted({*kb.library_versions(tree.library), tree.version}, key=version_key)
    latest = releases.of(versions[-1])
    if latest is None:
        return 0
    n = 0
    for row in kb.deprecations([tree.library]):
        # a row some release's source showed is _mark_vanished's; a removal seen in a newer release
        # may be seen again in an older one scanned later
        planned = row["removed_in"] and version_key(row["removed_in"]) > version_key(versions[-1])
        if row["kind"] == "parameter" or row["last_seen"] \
                or (row["removed_in"] and not planned and not row["removal_seen"]):
            continue
        lacks_now = _lacks(latest, row["api"])
        if lacks_now is False:
            # the newest has it (pandas 3.1's inherited `Categorical.sort`): gone by an older
            # release scanned before it, it is no longer
            kb.unmark_removed(row["id"])
            continue
        noted = _noted_versions(kb, row) if lacks_now else None
        if not noted:
            continue
        after = max(map(version_key, noted))
        for version in (v for v in versions if version_key(v) > after):
            index = releases.of(version)
            lacks = _lacks(index, row["api"]) if index is not None else None
            if lacks is not None:
                n += kb.mark_removed(row["id"], version) if lacks else 0
                break
    return n


def _lacks(index: NameIndex, api: str) -> bool | None:
    """True: the release has the module or class of `api` and not `api`; False: it has `api`; None:
    it has neither (a module the scan may not have read)."""
    owner, _, name = api.rpartition(".")
    classes = index.classes()
    if api in index.public or api in index.member_apis() or (owner in classes and index.has_member(owner, name)):
        return False
    return True if owner in index.modules or owner in classes else None


def _defined_after_noted_removal(row: dict, evidence: list[dict], newest: str) -> bool:
    """Release notes alone say the name was removed, or would be, by a release no newer than the
    newest scanned, which defines it (a class's attribute: sets it) and does not warn of it: the name
    came back as something else, or the note meant another thing. numpy 1.24's notes expire the alias
    ``np.bool`` (of the builtin), and numpy 2 defines ``np.bool``, its own scalar type; scikit-learn
    0.17's remove "the deprecated attributes ... ``classes_`` of :class:`preprocessing.LabelBinarizer`",
    whose `fit` sets `self.classes_` to this day; 1.1's "``"wminkowski"`` metric of
    :class:`metrics.DistanceMetric` is deprecated and will be removed in version 1.3" is no
    deprecation of `DistanceMetric`, which 1.9 still has."""
    removed = row["removed_in"]
    return bool(removed) and version_key(removed) <= version_key(newest) \
        and all(e["kind"] == CHANGELOG for e in evidence)


def _outlived(row: dict, evidence: list[dict], newest: str) -> bool:
    """Release notes alone deprecated the name two major versions or more before the newest scanned,
    which defines it and does not warn of it: the deprecation was dropped or the name came back as
    something else. pandas 0.15 deprecated `Index.diff` (for `difference`), and 2.x has a `diff` of
    its own. One major later a note stands: numpy's C-level deprecations show no warning in its code."""
    try:
        since, now = Version(row["since"]).major if row["since"] else None, Version(newest).major
    except InvalidVersion:
        return False
    return since is not None and not row["removed_in"] and now - since >= 2 \
        and all(e["kind"] == CHANGELOG for e in evidence)


def _removal_noted(row: dict, evidence: list[dict]) -> bool:
    """The notes of the release that removed the API say so (not only an earlier plan)."""
    removed = row["removed_in"]
    return bool(removed) and any(e["kind"] == CHANGELOG and e["version"]
                                 and version_key(e["version"]) == version_key(removed) for e in evidence)


def _only_served_by_getattr(evidence: list[dict]) -> bool:
    """Evidence of a name an old release served through its ``__getattr__`` alone: that table, and
    release notes no newer than it (numpy 1.24's notes expiring `np.bool`, read from a pinned
    1.26.4's sdist, tell the same story as 1.26.4's table; a later note would tell a new one)."""
    tables = [e for e in evidence if e["kind"] == GETATTR]
    if not tables:
        return False
    newest_table = max(version_key(e["version"]) for e in tables)
    return all(e["kind"] == GETATTR or (e["kind"] == CHANGELOG and version_key(e["version"]) <= newest_table)
               for e in evidence)


def _name_index(modules: list[ModuleInfo], packages: list[str]) -> NameIndex:
    # in the order of their paths: the same index whether the modules come from a walk of the
    # tree or from the DB
    return build_name_index(sorted(modules, key=lambda m: m.path), packages)


def _stored_index(kb: KnowledgeBase, tree: SourceTree, version: str) -> NameIndex | None:
    key = _index_key(tree, version, kb.file_hashes(tree.library, version))
    if key not in _STORED_INDICES:
        modules = []
        for path, facts in kb.file_facts(tree.library, version).items():
            r = facts_from_json(path, facts)
            if r is not None and r.module_info is not None:
                modules.append(r.module_info)
        _keep_index(key, _name_index(modules, tree.packages) if modules else None)
    return _STORED_INDICES[key]


def _index_key(tree: SourceTree, version: str, hashes: dict[str, str]) -> tuple:
    # The stored files' hashes fix their facts (extract.FACTS_VERSION is in each): any rescan of
    # that release that changed a file changes the key, in this DB or another one.
    digest = hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()
    return tree.library, version, tuple(tree.packages), digest


def _keep_index(key: tuple, index: NameIndex | None) -> None:
    _STORED_INDICES.pop(key, None)
    if len(_STORED_INDICES) >= _STORED_INDICES_KEPT:
        del _STORED_INDICES[next(iter(_STORED_INDICES))]
    _STORED_INDICES[key] = index


# The name indices of stored releases, kept for the process: scanning pandas reads five older
# releases before the installed one, and each release's scan asks for every other's index (fifteen
# builds from the stored facts, 4 s of a 30 s scan). The one a release's own scan built is kept
# as it is stored. Read-only once built.
_STORED_INDICES: dict[tuple, NameIndex | None] = {}
_STORED_INDICES_KEPT = 16


class _ReleaseIndices:
    """The name index of the release being scanned, and those of the other scanned releases of
    the library from their stored facts, each read only when asked for and then once."""

    def __init__(self, kb: KnowledgeBase, tree: SourceTree, names: NameIndex) -> None:
        self.kb, self.tree, self.names = kb, tree, names
        self.has_source = any(not f.is_changelog for f in tree.files)
        self._stored: dict[str, NameIndex | None] = {}

    def of(self, version: str) -> NameIndex | None:
        """What `version` defines; None where that is unknown (no facts stored, or the release being
        scanned read from its release notes alone)."""
        if version == self.tree.version:
            return self.names if self.has_source else None
        if version not in self._stored:
            self._stored[version] = _stored_index(self.kb, self.tree, version)
        return self._stored[version]

    def newest_first(self) -> list[NameIndex]:
        others = [(v, idx) for v in self.kb.library_versions(self.tree.library)
                  if v != self.tree.version and (idx := self.of(v)) is not None]
        ordered = sorted([(self.tree.version, self.names), *others], key=lambda p: version_key(p[0]), reverse=True)
        return [idx for _v, idx in ordered]


def _mark_alias_drop_ins(kb: KnowledgeBase, tree: SourceTree, releases: _ReleaseIndices) -> None:
    """A replacement that some scanned release bound to the very object the API was is a drop-in.

    numpy 2 removed `np.NaN` ("Use `np.nan` instead.") and `np.Inf`, `np.infty`, `np.PINF`
    ("Use `np.inf` instead."); numpy 1.26 has `nan = NaN = NAN` and `Inf = inf = infty = Infinity
    = PINF`, so `np.NaN` -> `np.nan` changes nothing but the spelling, and `fix` may write it. The
    message alone does not say so: "Use `np.issubdtype` instead" is no alias. Works in either
    order of scanning: the other releases' facts are stored.
    """
    rows = [r for r in kb.deprecations([tree.library])
            if r["replacement"] and not r["drop_in"] and r["kind"] != "parameter"]
    if not rows:
        return
    pairs: set[frozenset[str]] = set()
    for idx in releases.newest_first():
        pairs |= _same_object_pairs(idx)
    for r in rows:
        if frozenset((r["api"], r["replacement"])) in pairs:
            kb.mark_drop_in(r["id"])


def _unmark_unlike_signatures(kb: KnowledgeBase, tree: SourceTree, releases: _ReleaseIndices) -> None:
    """A replacement said to be a drop-in ("was renamed to") is none when some call of the API
    means otherwise to it (signatures.py `passes_alike`): torch's `impl_abstract(qualname=...)`
    is a TypeError as `register_fake(qualname=...)`, whose first parameter is positional only.
    Each name's signature is its newest scanned release's, in whichever order releases are scanned."""
    rows = [r for r in kb.deprecations([tree.library])
            if r["replacement"] and r["drop_in"] and r["kind"] != "parameter"]
    if not rows:
        return
    indices = releases.newest_first()

    def shape(api: str) -> tuple[list[str], list[int]] | None:
        return next((s for idx in indices if (s := idx.call_shape(api)) is not None), None)

    for r in rows:
        old, new = shape(r["api"]), shape(r["replacement"])
        if old is not None and new is not None and not passes_alike(old, new):
            kb.mark_drop_in(r["id"], False)


def _leads_to(names: NameIndex, parent: str, name: str, module: str) -> bool:
    """The package's `name` is the module's (through its imports), or only a declaration of the
    package's own (a stub's `NaN: float`), never another module's object (numpy.ma's `round_`)
    nor a name the package does not define at all."""
    origin = names.origin(parent, name)
    if origin == (module, name):
        return True
    info = names.modules.get(parent)
    return origin == (parent, name) and info is not None and name in info.defs


def _same_object_pairs(names: NameIndex) -> set[frozenset[str]]:
    """Public paths that name one object: the names of one chain, under the module that binds
    them or a package above it that exposes them (`numpy.NaN` and `numpy.nan` from
    `numpy.core.numeric`'s `nan = NaN = NAN`)."""
    pairs: set[frozenset[str]] = set()
    for module, info in names.modules.items():
        for group in info.same:
            by_parent: dict[str, set[str]] = {}
            for name in group:
                for path in names.by_last.get(name, ()):
                    parent = path.rpartition(".")[0]
                    # the package's name leads here, or only to its own declaration (a stub's
                    # `NaN: float`), never to another module's object (numpy.ma's `round_`)
                    if module == parent or (module.startswith(parent + ".") and _leads_to(names, parent, name, module)):
                        by_parent.setdefault(parent, set()).add(path)
            for public in [*by_parent.values(), {names.public_name(module, name) for name in group}]:
                pairs.update(frozenset((a, b)) for a in public for b in public if a != b)
    return pairs


def _seen_in(kb: KnowledgeBase, library: str, version: str) -> set[str]:
    return {r["api"] for r in kb.deprecations([library]) if r["last_seen"] == version}


def _count_existing(kb: KnowledgeBase, report: ScanReport) -> None:
    for s in kb.stats():
        if s["library"] == report.library:
            report.deprecations, report.with_replacement = s["deprecations"], s["with_replacement"]


def scan(kb: KnowledgeBase, targets: list[str], *, since: str | None = None, show_progress: bool = True,
         workers: int | None = None, release_notes: bool = True) -> list[ScanReport]:
    """Scan each target into `kb`; `release_notes=False` reads an installed release's code alone,
    without fetching its sdist for the notes."""
    reports = []
    trees = (tree for target in targets for tree in trees_for(target, since, release_notes=release_notes))
    with _progress(show_progress) as progress, Workers(workers) as pool, collecting_less():
        reading: Reading | None = None
        while True:
            tree, failure = _next_tree(trees)
            if reading is not None and tree is not None and _same_release(tree, reading.tree):
                reports.append(_store(kb, reading, pool, progress))    # `scan pandas pandas`: read once
                reading = None
            # the workers read this tree while the one before is stored
            upcoming = Reading.start(kb, tree, pool, progress, before=reading) if tree is not None else None
            if reading is not None:
                reports.append(_store(kb, reading, pool, progress))
            if failure is not None:
                raise failure       # the trees before the one that failed are stored
            if upcoming is None:
                return reports
            reading = upcoming


def _next_tree(trees: Iterator[SourceTree]) -> tuple[SourceTree | None, Exception | None]:
    try:
        return next(trees), None
    except StopIteration:
        return None, None
    except Exception as exc:        # an unknown package: raised once the tree before it is stored
        return None, exc


def _same_release(a: SourceTree, b: SourceTree) -> bool:
    return (a.library, a.version) == (b.library, b.version)


def library_name(target: str) -> str:
    name, _, _ = parse_target(target)
    return canonicalize_name(name) if name else target
