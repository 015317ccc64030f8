"""The knowledge base: every read and write of the deprecation DB goes through here."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from platformdirs import user_data_dir
from .sqlite_utils_lean import Database

from .errors import DBError, DBLockedError, UnknownLibrary
from .migrations import migrations
from .records import (KWARGS, SETTER, TIMELINE_ANY, TIMELINE_VALUES, ClassFacts, Deprecation, confidence, is_pending,
                      merge_usage, new_values_of, removal_state, timelines_of, usage_column, version_key,
                      with_removal_states)

SOURCE_EVIDENCE = {"warning", "decorator", "stub", "getattr", "submodule", "docstring"}


def default_db_path() -> Path:
    env = os.environ.get("APIMIGRATE_DB")
    if env:
        return Path(env)
    return Path(user_data_dir("apimigrate")) / "apimigrate.db"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _one_spelling(a: str, b: str) -> str:
    """One version spelled two ways ("1.24" in a warning, "1.24.0" in the release notes): the
    longer spelling, so what is stored does not depend on which release was scanned first."""
    return min(a, b, key=lambda v: (-len(v), v))


def _earliest(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    ka, kb = version_key(a), version_key(b)
    return _one_spelling(a, b) if ka == kb else (a if ka < kb else b)


def _works_in(removed_in: str | None, version: str | None) -> bool:
    """Whether an API removed in `removed_in` is still there in `version` (unknown: yes)."""
    return removed_in is None or version is None or version_key(removed_in) > version_key(version)


def _newer(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and version_key(a) > version_key(b)


def _latest(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    ka, kb = version_key(a), version_key(b)
    return _one_spelling(a, b) if ka == kb else (a if ka > kb else b)


@contextlib.contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DBLockedError(f"database {path} is locked by another process (gave up waiting)") from exc
        raise DBError(f"database {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise DBError(f"database {path} is unreadable or not an apimigrate database: {exc}") from exc


class KnowledgeBase:
    """One open deprecation DB (WAL mode, migrated to the newest schema)."""

    def __init__(self, path: Path, db: Database) -> None:
        self.path = path
        self.db = db

    # ---- transactions -------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing write; a lock held by another writer is waited on, then reported.

        The write lock is taken when the transaction begins (BEGIN IMMEDIATE), not at its first
        write: what it reads first (the promoted model, before promoting another) cannot be
        changed by another writer before it writes. (A deferred BEGIN would read a snapshot and
        then fail at once on the write, the snapshot being stale, whatever the timeout.)
        Nested, it is a savepoint of the outer one."""
        conn = self.db.conn
        with _translate_errors(self.path):
            if conn.in_transaction:
                with self.db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (a full disk) leaves the transaction open: every later one on
                # this connection would nest in it as a savepoint and never be committed.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.db.close()

    # ---- writes -------------------------------------------------------
    def record_library(self, name: str, version: str, source_kind: str, source_ref: str) -> None:
        self.db["libraries"].upsert(
            {"name": name, "version": version, "source_kind": source_kind,
             "source_ref": source_ref, "scanned_at": _now()},
            pk=("name", "version"),
        )

    def file_hashes(self, library: str, version: str) -> dict[str, str]:
        return {
            r[0]: r[1] for r in self.db.execute(
                "SELECT path, sha256 FROM files WHERE library = ? AND version = ?", [library, version])
        }

    def file_facts(self, library: str, version: str) -> dict[str, str]:
        """path -> the JSON facts stored when the file was last read."""
        return {
            r[0]: r[1] for r in self.db.execute(
                "SELECT path, facts FROM files WHERE library = ? AND version = ?", [library, version])
        }

    def facts_elsewhere(self, library: str, version: str, files: dict[str, str]) -> dict[str, str]:
        """path -> the JSON facts another release of `library` stored for a file at the same path
        with the same hash (`files`: path -> sha256)."""
        wanted = sorted(set(files.values()))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), 500):          # under SQLite's limit on bound values
            chunk = wanted[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            for path, digest, facts in self.db.execute(
                    f"SELECT path, sha256, facts FROM files WHERE library = ? AND version != ? "
                    f"AND sha256 IN ({marks})", [library, version, *chunk]):
                if files.get(path) == digest and facts:
                    found[path] = facts
        return found

    def record_files(self, library: str, version: str, files: dict[str, tuple[str, str]]) -> None:
        """files: path -> (sha256, facts JSON)."""
        self.db["files"].upsert_all(
            ({"library": library, "version": version, "path": p, "sha256": h, "facts": f}
             for p, (h, f) in files.items()),
            pk=("library", "version", "path"),
        )

    def forget_files(self, library: str, version: str, paths: Iterable[str]) -> None:
        for p in paths:
            self.db.execute(
                "DELETE FROM files WHERE library = ? AND version = ? AND path = ?", [library, version, p]
            )

    def drop_evidence_from(self, library: str, paths: Iterable[str], version: str | None) -> None:
        """Remove evidence of files about to be re-read, so a changed file leaves no stale rows."""
        for p in paths:
            self.db.execute(
                "DELETE FROM evidence WHERE path = ? AND coalesce(version, '') = coalesce(?, '') "
                "AND deprecation_id IN (SELECT id FROM deprecations WHERE library = ?)",
                [p, version, library],
            )

    def upsert_deprecation(self, dep: Deprecation, *, seen_in: str | None = None) -> int:
        """Insert or merge one deprecation with its evidence; returns its id.

        Merging keeps what is best supported: a replacement from library source
        wins over one from a changelog, the earliest `since` wins, and
        confidence is recomputed from every kind of evidence now stored.
        """
        param = dep.parameter or ""
        row = self._find(dep.library, dep.api, param)
        new_is_source = any(e.kind in SOURCE_EVIDENCE for e in dep.evidence)
        fresh = {
            "library": dep.library, "api": dep.api, "kind": dep.kind, "parameter": param,
            "new_parameter": dep.new_parameter, "replacement": dep.replacement,
            "since": dep.since, "removed_in": dep.removed_in, "message": dep.message,
            "drop_in": int(dep.drop_in and bool(dep.replacement)),
            "confidence": 0.0, "first_seen": seen_in, "last_seen": seen_in,
            "pending": int(dep.pending), "ignored": int(dep.ignored), "conditional": int(dep.conditional),
            "removal_seen": 0, **_usage_fields(dep),
        }
        old_kinds = self._evidence_kinds(row["id"]) if row is not None else set()
        if row is None:
            dep_id = self.db["deprecations"].insert(fresh).last_pk
        elif not old_kinds:
            # A rescan withdrew every piece of evidence the row stood on: nothing supports what
            # it said before, so it is rebuilt from this scan instead of merged with it.
            dep_id = row["id"]
            self.db["deprecations"].update(dep_id, fresh)
        else:
            dep_id = row["id"]
            old_is_source = bool(old_kinds & SOURCE_EVIDENCE)
            prefer_new = new_is_source and not old_is_source
            newer_source = new_is_source and _newer(seen_in, row["last_seen"])
            newest_scan = _latest(row["last_seen"], seen_in) == seen_in
            # a newer release's source says what to use now, in whichever order releases are scanned
            # (numpy 1.26 "Please use `np.result_type` or `np.promote_types`", 2.0 "Use
            # `numpy.promote_types` or `numpy.result_type` instead")
            replacement = _pick(row["replacement"], dep.replacement, prefer_new or newer_source)
            same = replacement == dep.replacement
            update = {
                "replacement": replacement,
                # drop-in is a property of this replacement: kept when the replacement stays
                "drop_in": int(bool(replacement) and ((same and dep.drop_in)
                                                      or (replacement == row["replacement"] and bool(row["drop_in"])))),
                "new_parameter": _pick(row["new_parameter"], dep.new_parameter, prefer_new),
                # a newer release that deprecates what the row only announced has the words for it:
                # numpy 2.5's warning, not 2.4's "np.fix will be deprecated in NumPy 2.5"; and a
                # release the API still works in has them rather than those it is gone from: numpy
                # 1.26's warning for `alltrue`, not 2.0's expired-attribute entry "Use `np.all` instead."
                "message": _pick(row["message"], dep.message,
                                 prefer_new or (newer_source and not dep.pending and is_pending(row))
                                 or (new_is_source and _works_in(dep.removed_in, seen_in)
                                     and not _works_in(row["removed_in"], row["first_seen"]))),
                "kind": _merged_kind(row["kind"], dep.kind, prefer_new, new_is_source, newer_source),
                "since": _earliest(row["since"], dep.since),
                "removed_in": (removed_in := _earliest(row["removed_in"], dep.removed_in)),
                # an observed removal stands until evidence dates it earlier
                "removal_seen": int(bool(row.get("removal_seen")) and removed_in == row["removed_in"]),
                "first_seen": _earliest(row["first_seen"], seen_in),
                "last_seen": _latest(row["last_seen"], seen_in),
                # Whether the library still only announces it, and whether it ignores the parameter
                # (pandas 2 read `copy=`, pandas 3 ignores it): the newest version scanned says.
                "pending": int(dep.pending) if newest_scan else row["pending"],
                "ignored": int(dep.ignored) if newest_scan else row["ignored"],
                "conditional": int(dep.conditional) if newest_scan else row["conditional"],
                **_merged_usage_fields(row, dep, prefer_new or newer_source, newest_scan),
            }
            self.db["deprecations"].update(dep_id, update)
        for ev in dep.evidence:
            self.db.execute(
                "INSERT OR IGNORE INTO evidence (deprecation_id, kind, path, line, version, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [dep_id, ev.kind, ev.path, ev.line, ev.version, ev.text[:500]],
            )
        self._refresh_confidence(dep_id)
        return dep_id

    def mark_removed(self, dep_id: int, version: str) -> bool:
        """The API is gone from `version` of its library: that observation beats any plan, and any
        later observation. True when the row's removal changed."""
        row = self.db["deprecations"].get(dep_id)
        observed = version
        planned = row["removed_in"]
        if planned is not None and version_key(planned) <= version_key(observed):
            return False
        self.db["deprecations"].update(dep_id, {"removed_in": observed, "removal_seen": 1})
        return True

    def unmark_removed(self, dep_id: int) -> bool:
        """Withdraw a removal only seen (`mark_removed`): a newer release scanned since has the API.
        True when the row changed."""
        row = self.db["deprecations"].get(dep_id)
        if not row["removal_seen"]:
            return False
        self.db["deprecations"].update(dep_id, {"removed_in": None, "removal_seen": 0})
        return True

    def mark_values_removed(self, dep_id: int, removals: dict[str, str]) -> int:
        """Each deprecated value of a parameter row is gone from its release (value -> version):
        that observation beats any plan, as for a row (mark_removed). How many values' removals
        changed; the row is written once (pandas' freq aliases are dozens of values a row)."""
        row = self.db["deprecations"].get(dep_id)
        timelines = timelines_of(row)
        changed = 0
        for value, version in removals.items():
            timeline = timelines.get(TIMELINE_VALUES, {}).get(value)
            if timeline is None or (timeline.get("removed_in")
                                    and version_key(timeline["removed_in"]) <= version_key(version)):
                continue
            timeline["removed_in"] = version
            changed += 1
        if changed:
            self.db["deprecations"].update(dep_id, {"timelines": _timelines_column(timelines)})
        return changed

    def mark_drop_in(self, dep_id: int, drop_in: bool = True) -> None:
        """Whether rewriting the API's name to its replacement is exact: the very object the API
        was (an alias), or not, when their signatures take the same call differently."""
        self.db["deprecations"].update(dep_id, {"drop_in": int(drop_in)})

    def record_classes(self, library: str, version: str, members: Iterable[str],
                       bases: dict[str, list[str]], returns: dict[str, list[dict]] | None = None,
                       parameters: dict[str, list[str] | None] | None = None,
                       aliases: dict[str, str] | None = None) -> bool:
        """Store the public class members, the class bases and what functions return that
        `version` of `library` defines, unless a newer version's are already stored (a rescan
        of an old release leaves the newest one's). `parameters`: the names a member's def
        accepts, None when it takes **kwargs (absent: no def read). `aliases`: other paths of
        public names (`pandas.core.frame.DataFrame` -> `pandas.DataFrame`). True when stored."""
        stored = self.classes_version(library)
        if stored is not None and version_key(stored) > version_key(version):
            return False
        self.db.execute("DELETE FROM members WHERE library = ?", [library])
        self.db.execute("DELETE FROM classes WHERE library = ?", [library])
        # An older release's returns stay for the deprecated APIs this one no longer has (below).
        self.db.execute(f"DELETE FROM returns WHERE library = ? AND (version = ? OR api NOT IN ({_DEPRECATED_APIS}))",
                        [library, version, library])
        self.db.execute("DELETE FROM aliases WHERE library = ?", [library])
        self.db["aliases"].insert_all(
            ({"library": library, "version": version, "alias": alias, "api": api}
             for alias, api in sorted((aliases or {}).items())),
            pk=("library", "alias"),
        )
        self.db["returns"].insert_all(
            ({"library": library, "version": version, "api": api, "signatures": json.dumps(sigs)}
             for api, sigs in sorted((returns or {}).items())),
            pk=("library", "api"), replace=True,
        )
        self.db["members"].insert_all(
            ({"library": library, "version": version, "api": api, "name": api.rsplit(".", 1)[-1],
              "parameters": _parameters_json(api, parameters or {})}
             for api in sorted(set(members))),
            pk=("library", "api"),
        )
        self.db["classes"].insert_all(
            ({"library": library, "version": version, "api": api, "bases": json.dumps(bs)}
             for api, bs in sorted(bases.items())),
            pk=("library", "api"), replace=True,
        )
        self.db.execute(f"DELETE FROM returns WHERE library = ? AND version != ? AND api IN ({_CURRENT_APIS})",
                        [library, version, library, library])
        return True

    def record_vanished_returns(self, library: str, version: str, returns: dict[str, list[dict]]) -> int:
        """What an older `version` of `library` (a newer one's facts are stored) returned from its
        deprecated APIs that the newer one no longer has: `df = df.applymap(f)` keeps `df` a
        DataFrame after pandas 3 removed `applymap`, so the use is matched exactly and fixed. The
        newest release's returns and any name it still has (a member, a class) come first."""
        deprecated = {r[0] for r in self.db.execute(_DEPRECATED_APIS, [library])}
        current = {r[0] for r in self.db.execute(
            f"SELECT api FROM returns WHERE library = ? UNION {_CURRENT_APIS}", [library, library, library])}
        rows = [{"library": library, "version": version, "api": api, "signatures": json.dumps(sigs)}
                for api, sigs in sorted(returns.items()) if api in deprecated and api not in current]
        self.db["returns"].insert_all(rows, pk=("library", "api"), replace=True)
        return len(rows)

    def delete_deprecation(self, dep_id: int) -> None:
        """A row the library no longer deprecates, with its evidence."""
        self.db.execute("DELETE FROM evidence WHERE deprecation_id = ?", [dep_id])
        self.db["deprecations"].delete(dep_id)

    def evidence_kinds(self, dep_id: int) -> set[str]:
        return self._evidence_kinds(dep_id)

    def _find(self, library: str, api: str, parameter: str) -> dict | None:
        rows = list(self.db["deprecations"].rows_where(
            "library = ? AND api = ? AND parameter = ?", [library, api, parameter], limit=1))
        return rows[0] if rows else None

    def _evidence_kinds(self, dep_id: int) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT kind FROM evidence WHERE deprecation_id = ?", [dep_id]).fetchall()}

    def _refresh_confidence(self, dep_id: int) -> None:
        # plain SQL, and only a change: sqlite-utils' update reads the row and the table's columns
        # first, and each write rewrites the row's full-text entry (half of a scan's upserts' time)
        self.db.execute("UPDATE deprecations SET confidence = ? WHERE id = ? AND confidence IS NOT ?",
                        [value := confidence(self._evidence_kinds(dep_id)), dep_id, value])

    def prune_orphans(self, library: str) -> int:
        """Delete rows whose every piece of evidence was withdrawn by a rescan."""
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM deprecations d WHERE library = ? AND NOT EXISTS "
            "(SELECT 1 FROM evidence e WHERE e.deprecation_id = d.id)", [library]).fetchall()]
        for dep_id in ids:
            self.db["deprecations"].delete(dep_id)
        return len(ids)

    # ---- reads --------------------------------------------------------
    def libraries(self) -> list[dict]:
        return list(self.db["libraries"].rows_where(order_by="name, scanned_at"))

    def is_empty(self) -> bool:
        """Nothing scanned and nothing recorded: a check against it would pass anything."""
        with _translate_errors(self.path):
            return self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM libraries) "
                                   "AND NOT EXISTS (SELECT 1 FROM deprecations)").fetchone()[0] == 1

    def library_spellings(self) -> dict[str, set[str]]:
        """Each name a library may be selected by -> the libraries it means: the distribution's name
        in any spelling pip accepts (`scikit_learn`, `Scikit-Learn`) and the top-level package its
        APIs live under (`sklearn`), as the user imports it."""
        top = "substr(api, 1, instr(api || '.', '.') - 1)"
        with _translate_errors(self.path):
            pairs = self.db.execute(
                f"SELECT name, name FROM libraries UNION SELECT library, library FROM deprecations "
                f"UNION SELECT library, {top} FROM deprecations UNION SELECT library, {top} FROM classes").fetchall()
        spellings: dict[str, set[str]] = {}
        for library, name in pairs:
            if name:
                spellings.setdefault(_normalized(name), set()).add(library)
        return spellings

    def select_libraries(self, names: Iterable[str]) -> list[str]:
        """The scanned libraries `names` mean (see library_spellings); UnknownLibrary names the rest."""
        spellings = self.library_spellings()
        chosen: list[str] = []
        unknown = []
        for name in names:
            libraries = spellings.get(_normalized(name))
            if libraries is None:
                unknown.append(name)
            chosen.extend(sorted(libraries or ()))
        chosen = list(dict.fromkeys(chosen))
        if unknown:
            known = sorted({lib for libs in spellings.values() for lib in libs})
            raise UnknownLibrary(
                f"{', '.join(map(repr, unknown))}: no such library in the database at {self.path} "
                f"({'it holds ' + ', '.join(known) if known else 'it is empty'}; add one with `apimigrate scan NAME`)",
                chosen)
        return chosen

    def library_versions(self, name: str) -> list[str]:
        versions = [r["version"] for r in self.db["libraries"].rows_where("name = ?", [name])]
        return sorted(versions, key=version_key)

    def deprecations(self, libraries: Iterable[str] | None = None, min_confidence: float = 0.0) -> list[dict]:
        where, args = ["confidence >= ?"], [min_confidence]
        libs = list(libraries or [])
        if libs:
            where.append(f"library IN ({', '.join('?' for _ in libs)})")
            args.extend(libs)
        with _translate_errors(self.path):
            rows = list(self.db["deprecations"].rows_where(" AND ".join(where), args, order_by="library, api"))
        return self._with_removal(rows)

    def _with_removal(self, rows: list[dict]) -> list[dict]:
        """The rows, each with where its removal stands against the releases scanned (records.removal_state)
        and its replacement followed to the end of its chain (`_follow_replacements`)."""
        self._follow_replacements(rows)
        versions: dict[str, list[str]] = {}
        with _translate_errors(self.path):
            for name, version in self.db.execute("SELECT name, version FROM libraries"):
                versions.setdefault(name, []).append(version)
        for row in rows:
            scanned = versions.get(row["library"], [])
            row["removal"] = removal_state(row["removed_in"], row["last_seen"], scanned,
                                           seen=bool(row.get("removal_seen")))
            if row.get("timelines"):
                row["timelines"] = with_removal_states(timelines_of(row), row["last_seen"], scanned)
        return rows

    def _follow_replacements(self, rows: list[dict]) -> None:
        """A replacement that is itself deprecated for another gives way to the end of the chain:
        numpy's `sctypeNA` -> `typeDict` (deprecated in 1.21, gone in 2.0) -> `sctypeDict`; a keyword's
        new name likewise (`Xred=` -> `Xt=` -> `X=`). What the library named stays in
        `replacement_via` / `new_parameter_via`; the rewrite is a drop-in only when every link is."""
        if not any(row.get("replacement") or row.get("new_parameter") for row in rows):
            return
        successors = self._successors()
        for row in rows:
            field = "new_parameter" if row.get("parameter") else "replacement"
            current, via, drop_in = row.get(field), [], bool(row.get("drop_in"))
            seen = {row.get("parameter") or row["api"]}
            while current and current not in seen:
                key = (row["library"], row["api"], current) if field == "new_parameter" \
                    else (row["library"], current, "")
                nxt = successors.get(key)
                if nxt is None or nxt[0] in seen or nxt[0] == current:
                    break
                seen.add(current)
                via.append(current)
                current, drop_in = nxt[0], drop_in and nxt[1]
            if via:
                row[field], row[f"{field}_via"] = current, via
                if field == "replacement":
                    row["drop_in"] = int(drop_in)

    def _successors(self) -> dict[tuple[str, str, str], tuple[str, bool]]:
        """(library, api, parameter) -> (what to use instead, drop-in), for the links a chain may
        follow: an API itself (not one use of it, nor only its setter) deprecated for another, and
        a keyword renamed; neither only announced. One query for all of them."""
        with _translate_errors(self.path):
            found = self.db.execute(
                "SELECT library, api, parameter, replacement, new_parameter, drop_in FROM deprecations WHERE NOT pending "
                "AND ((parameter = '' AND kind IN ('module', 'class', 'function', 'method', 'attribute') "
                "AND replacement IS NOT NULL AND replacement != '') "
                "OR (parameter != '' AND new_parameter IS NOT NULL AND new_parameter != ''))").fetchall()
        return {(lib, api, param): (new_parameter, True) if param else (replacement, bool(drop_in))
                for lib, api, param, replacement, new_parameter, drop_in in found}

    def get(self, api: str, parameter: str | None = None) -> list[dict]:
        where, args = "api = ?", [api]
        if parameter is not None:
            where += " AND parameter = ?"
            args.append(parameter)
        return self._with_removal(list(self.db["deprecations"].rows_where(where, args)))

    def classes_version(self, library: str) -> str | None:
        """The version whose classes and members are stored for `library` (None: none stored)."""
        row = self.db.execute("SELECT version FROM classes WHERE library = ? LIMIT 1", [library]).fetchone()
        return row[0] if row else None

    def has_aliases(self, library: str) -> bool:
        """Whether other import paths of `library`'s names are stored (a DB older than them has none)."""
        return self.db.execute("SELECT 1 FROM aliases WHERE library = ? LIMIT 1", [library]).fetchone() is not None

    def members(self) -> list[str]:
        """Every stored public class member (`pandas.core.groupby.GroupBy.first`), deprecated or not."""
        with _translate_errors(self.path):
            return [r[0] for r in self.db.execute("SELECT api FROM members ORDER BY api")]

    def member_parameters(self) -> dict[str, frozenset[str]]:
        """The names each stored member's def accepts (KWARGS: any), for members whose def was read."""
        with _translate_errors(self.path):
            return {r[0]: frozenset(json.loads(r[1])) for r in self.db.execute(
                "SELECT api, parameters FROM members WHERE parameters IS NOT NULL")}

    def class_facts(self) -> ClassFacts:
        """The stored members and class bases of every library, for by-name and typed method matches."""
        with _translate_errors(self.path):
            bases = {r[0]: tuple(json.loads(r[1])) for r in self.db.execute("SELECT api, bases FROM classes")}
            returns = {r[0]: json.loads(r[1]) for r in self.db.execute("SELECT api, signatures FROM returns")}
            aliases = dict(self.db.execute("SELECT alias, api FROM aliases").fetchall())
            return ClassFacts(frozenset(self.members()), bases, returns, self.member_parameters(), aliases)

    def evidence_for(self, dep_id: int) -> list[dict]:
        return list(self.db["evidence"].rows_where("deprecation_id = ?", [dep_id], order_by="kind, path, line"))

    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Full-text search over api, replacement and message (FTS5 syntax; plain words are safe)."""
        quoted = " ".join('"' + tok.replace('"', '""') + '"' for tok in query.split())
        with _translate_errors(self.path):
            return list(self.db["deprecations"].search(quoted, limit=limit))

    def stats(self) -> list[dict]:
        return [dict(zip(("library", "deprecations", "with_replacement", "removed", "evidence"), r))
                for r in self.db.execute(
            "SELECT d.library, count(*), sum(d.replacement IS NOT NULL), sum(d.removed_in IS NOT NULL), "
            "(SELECT count(*) FROM evidence e JOIN deprecations d2 ON e.deprecation_id = d2.id "
            " WHERE d2.library = d.library) "
            "FROM deprecations d GROUP BY d.library ORDER BY d.library").fetchall()]

    def fingerprint(self) -> str:
        """Changes whenever the knowledge changes; cheap enough to poll."""
        row = self.db.execute(
            "SELECT count(*), coalesce(max(id), 0), coalesce(sum(confidence), 0), "
            "group_concat(coalesce(replacement, '') || coalesce(removed_in, '') || coalesce(usage, '') "
            "|| coalesce(param_values, '') || coalesce(new_values, '') || coalesce(timelines, '') || pending "
            "|| ignored || conditional, '') FROM deprecations"
        ).fetchone()
        members = self.db.execute(
            "SELECT count(*), group_concat(DISTINCT library || ' ' || version), "
            "(SELECT count(*) FROM classes), (SELECT count(*) FROM returns), "
            "sum(length(parameters)) FROM members").fetchone()
        return hashlib.sha256(repr((row, members)).encode()).hexdigest()[:16]


# The APIs a library deprecates (whole or a parameter of), and the names its stored newest release
# still has as a class member or a class: an older release's returns are kept for the first,
# less the second.
_DEPRECATED_APIS = "SELECT DISTINCT api FROM deprecations WHERE library = ?"
_CURRENT_APIS = "SELECT api FROM members WHERE library = ? UNION SELECT api FROM classes WHERE library = ?"


def _normalized(name: str) -> str:
    """A distribution or package name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _parameters_json(api: str, parameters: dict[str, list[str] | None]) -> str | None:
    """members.parameters of `api`: its def's names, [KWARGS] when it takes **kwargs, None unread."""
    if api not in parameters:
        return None
    names = parameters[api]
    return json.dumps([KWARGS] if names is None else sorted(set(names)))


def _usage_fields(dep: Deprecation) -> dict:
    if not dep.parameter:
        return {"usage": None, "param_values": None, "position": None, "new_values": None, "timelines": None,
                "value_form": None}
    return {"usage": usage_column(dep.usage), "position": dep.position, "value_form": dep.value_form,
            "param_values": json.dumps(sorted(set(dep.values))) if dep.values else None,
            "new_values": _new_values_column(dep.new_values), "timelines": _timelines_column(dep.timelines)}


def _new_values_column(mapping: dict[str, str]) -> str | None:
    return json.dumps(dict(sorted(mapping.items()))) if mapping else None


def _timelines_column(timelines: dict) -> str | None:
    out = {}
    if timelines.get(TIMELINE_ANY):
        out[TIMELINE_ANY] = dict(sorted(timelines[TIMELINE_ANY].items()))
    values = {v: dict(sorted(t.items())) for v, t in sorted(timelines.get(TIMELINE_VALUES, {}).items()) if t}
    if values:
        out[TIMELINE_VALUES] = values
    return json.dumps(out) if out else None


def _merged_timelines(old: dict, new: dict) -> dict:
    """Two scans' timelines of one row (records.TIMELINES), each use's dates merged as the row's are:
    the earliest since and removal, the oldest and newest sightings."""
    def merged(a: dict | None, b: dict | None) -> dict:
        a, b = a or {}, b or {}
        dates = {"since": _earliest(a.get("since"), b.get("since")),
                 "removed_in": _earliest(a.get("removed_in"), b.get("removed_in")),
                 "first_seen": _earliest(a.get("first_seen"), b.get("first_seen")),
                 "last_seen": _latest(a.get("last_seen"), b.get("last_seen"))}
        return {k: v for k, v in dates.items() if v}
    out: dict = {}
    if TIMELINE_ANY in old or TIMELINE_ANY in new:
        out[TIMELINE_ANY] = merged(old.get(TIMELINE_ANY), new.get(TIMELINE_ANY))
    olds, news = old.get(TIMELINE_VALUES, {}), new.get(TIMELINE_VALUES, {})
    out[TIMELINE_VALUES] = {v: merged(olds.get(v), news.get(v)) for v in {*olds, *news}}
    return out


def _merged_usage_fields(row: dict, dep: Deprecation, prefer_new: bool, newest: bool) -> dict:
    """Every way of triggering the deprecation that some evidence names (a union). Where two
    releases name different equivalents of one value, `prefer_new` says the new scan's stands; where
    they put the parameter at different positions, the newest release scanned (`newest`) says, in
    whichever order they are scanned (pandas 2.2's `PeriodIndex(data, ordinal, freq)`, 3.0's
    `PeriodIndex(data, freq)`)."""
    new = _usage_fields(dep)
    if not dep.parameter or row["usage"] is None:
        return new          # a row stored before usage was recorded takes what this scan found
    values = set(json.loads(row["param_values"] or "[]")) | set(dep.values)
    old_new_values = new_values_of(row)
    new_values = {**old_new_values, **{k: v for k, v in dep.new_values.items()
                                       if prefer_new or k not in old_new_values}}
    return {"usage": usage_column(merge_usage(row["usage"].split(","), dep.usage)),
            "param_values": json.dumps(sorted(values)) if values else None,
            "position": dep.position if dep.position is not None and (newest or row["position"] is None)
            else row["position"],
            # a token matches the literal that is the value too: either release's form covers both
            "value_form": dep.value_form or row.get("value_form"),
            "new_values": _new_values_column(new_values),
            "timelines": _timelines_column(_merged_timelines(timelines_of(row), dep.timelines))}


def _merged_kind(old: str, new: str, prefer_new: bool, new_is_source: bool, newer_source: bool) -> str:
    """What the API is, whichever release was scanned first: an `__getattr__` table's entry
    ("attribute") says less than the def an older release had (numpy 2.0's expired `alltrue`
    was 1.26's function); between two defs, the newer release's. A deprecated setter and a
    deprecated read of the same attribute make every use deprecated, as within one release
    (scan/resolve.py): the attribute."""
    if prefer_new or old == new:
        return new
    if not new_is_source:
        return old
    if "attribute" in (old, new):
        return "attribute" if SETTER in (old, new) else (new if old == "attribute" else old)
    return new if newer_source else old


def _pick(old: str | None, new: str | None, prefer_new: bool) -> str | None:
    if new and (prefer_new or not old):
        return new
    return old


def open_db(path: str | Path | None = None, *, timeout: float = 10.0) -> KnowledgeBase:
    """Open (creating and migrating as needed) the knowledge base at `path`.

    Raises DBError with a one-line message for corrupt, foreign or unwritable files
    and DBLockedError when another writer holds the lock past `timeout` seconds.
    """
    path = Path(path) if path is not None else default_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DBError(f"cannot create the folder for database {path}: {exc.strerror}") from exc
    with _translate_errors(path):
        conn = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        if db.journal_mode != "wal":
            db.enable_wal()
        migrations.apply(db)
    return KnowledgeBase(path, db)
