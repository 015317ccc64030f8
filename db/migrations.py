"""Schema of the knowledge base. Change it only by appending a numbered migration."""
from __future__ import annotations

from .sqlite_utils_lean import Database, Migrations

migrations = Migrations("apimigrate")


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db["libraries"].create(
        {"name": str, "version": str, "source_kind": str, "source_ref": str, "scanned_at": str},
        pk=("name", "version"),
    )
    db["deprecations"].create(
        {
            "id": int,
            "library": str,
            "api": str,
            "kind": str,
            # '' rather than NULL so (library, api, parameter) can be UNIQUE
            "parameter": str,
            "new_parameter": str,
            "replacement": str,
            "since": str,
            "removed_in": str,
            "message": str,
            "confidence": float,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        not_null={"library", "api", "kind", "parameter"},
        defaults={"parameter": "", "confidence": 0.0},
    )
    db["deprecations"].create_index(["library", "api", "parameter"], unique=True)
    db["deprecations"].create_index(["api"])
    db["evidence"].create(
        {
            "id": int,
            "deprecation_id": int,
            "kind": str,
            "path": str,
            "line": int,
            "version": str,
            "text": str,
        },
        pk="id",
        foreign_keys=[("deprecation_id", "deprecations", "id")],
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_evidence_unique ON evidence "
        "(deprecation_id, kind, path, line, coalesce(version, ''))"
    )
    db["files"].create(
        # facts: the file's extracted findings and module info (JSON), so a rescan
        # that re-reads one changed file can still resolve names across all of them
        {"library": str, "version": str, "path": str, "sha256": str, "facts": str},
        pk=("library", "version", "path"),
    )
    db["models"].create(
        {
            "id": int,
            "base": str,
            "adapter_path": str,
            "created_at": str,
            "db_fingerprint": str,
            "metrics_json": str,
            "status": str,
        },
        pk="id",
    )
    db["refresh_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "stage": str,
            "model_id": int,
            "delta_json": str,
            "log": str,
        },
        pk="id",
    )
    db["deprecations"].enable_fts(
        ["api", "replacement", "message"], create_triggers=True, tokenize="porter"
    )


@migrations(name="0002_drop_in")
def _drop_in(db: Database) -> None:
    # 1 when the replacement takes the same arguments (an alias, a rename, a forwarding
    # wrapper): only then may `apimigrate fix` rewrite the call.
    db["deprecations"].add_column("drop_in", int, not_null_default=0)


@migrations(name="0003_parameter_usage")
def _parameter_usage(db: Database) -> None:
    # Parameter rows: which uses of the parameter are deprecated (records.USAGES, comma-
    # separated; NULL on older rows means any use), the deprecated values as canonical
    # literals (JSON list) and the parameter's position in a call (-1 keyword-only).
    db["deprecations"].add_column("usage", str)
    db["deprecations"].add_column("param_values", str)
    db["deprecations"].add_column("position", int)


@migrations(name="0004_pending")
def _pending(db: Database) -> None:
    # 1 when the newest version scanned only announces the deprecation (PendingDeprecationWarning
    # or a library subclass of it, and no other evidence saying it is deprecated).
    db["deprecations"].add_column("pending", int, not_null_default=0)


@migrations(name="0005_members")
def _members(db: Database) -> None:
    # The public class members (methods, attributes) the newest scanned source of each library
    # defines, deprecated or not: a by-name match on `x.first()` is ambiguous when some live
    # member is also called `first` (`GroupBy.first` beside the deprecated `NDFrame.first`).
    # One version per library: a scan of a newer release replaces them.
    db["members"].create({"library": str, "version": str, "api": str, "name": str}, pk=("library", "api"))
    db["members"].create_index(["name"])


@migrations(name="0006_classes")
def _classes(db: Database) -> None:
    # The classes of the same release as `members`, with their bases (a JSON list of public
    # names, in order): which class of `DataFrame`'s hierarchy defines `first` decides whether
    # `df.first()` on a known DataFrame is the deprecated `NDFrame.first`.
    db["classes"].create({"library": str, "version": str, "api": str, "bases": str}, pk=("library", "api"))


@migrations(name="0007_returns")
def _returns(db: Database) -> None:
    # What the functions and methods of the same release as `classes` return: a JSON list of
    # signatures (overloads in order; scan/signatures.py) whose `returns` is a class's public name
    # or "Self". `df = pd.read_csv(path)` makes `df` a DataFrame through it.
    db["returns"].create({"library": str, "version": str, "api": str, "signatures": str}, pk=("library", "api"))


@migrations(name="0008_model_registry")
def _model_registry(db: Database) -> None:
    # The registry of refreshed models. `mappings`: JSON list of the mappings ("old -> new") the
    # adapter has been trained on, its parents' included, so the next refresh knows what is new;
    # `promoted_at` orders promotions (the server serves the newest promoted model of a base).
    db["models"].add_column("parent_id", int)
    db["models"].add_column("run_id", int)
    db["models"].add_column("mappings", str)
    db["models"].add_column("promoted_at", str)
    # A run's folder (each stage resumes from what it left there), its config, and why it failed.
    db["refresh_runs"].add_column("run_dir", str)
    db["refresh_runs"].add_column("config_json", str)
    db["refresh_runs"].add_column("error", str)


@migrations(name="0009_member_parameters")
def _member_parameters(db: Database) -> None:
    # What each stored member's def accepts by name (JSON list; "**" when it takes **kwargs, so
    # any keyword; NULL when no def was read): `x.fillna(method=...)` on a value of unknown
    # class is deprecated only when no live member called `fillna` still takes `method`.
    db["members"].add_column("parameters", str)


@migrations(name="0010_aliases")
def _aliases(db: Database) -> None:
    # Other paths the public names of the same release as `classes` can be imported from, when
    # the name is deprecated or a class: `from sklearn.metrics._classification import
    # d2_log_loss_score` is `sklearn.metrics.d2_log_loss_score`, `pandas.core.frame.DataFrame`
    # is `pandas.DataFrame`. A DB made before this learns them at the next scan of each library.
    db["aliases"].create({"library": str, "version": str, "alias": str, "api": str}, pk=("library", "alias"))


@migrations(name="0011_new_values")
def _new_values(db: Database) -> None:
    # Parameter rows: the deprecated values whose equivalent the library names, as a JSON object
    # of canonical literals (old -> new); only these may `apimigrate fix` rewrite.
    db["deprecations"].add_column("new_values", str)


@migrations(name="0012_timelines")
def _timelines(db: Database) -> None:
    # Parameter rows: when each deprecated value, and passing the parameter at all, was deprecated
    # and removed where the evidence dates that use apart from the row (JSON; records.TIMELINES):
    # scikit-learn's `criterion` row holds 'mse' (1.0, removed in 1.2) and 'friedman_mse' (1.9).
    # NULL on a row stored before: `check` gives each use the row's dates until the next scan.
    db["deprecations"].add_column("timelines", str)


@migrations(name="0013_ignored")
def _ignored(db: Database) -> None:
    # Parameter rows the library says it ignores now (pandas 3's `copy=`): `apimigrate fix` may
    # leave such a keyword out. 0 on a row stored before, until the next scan of its library.
    db["deprecations"].add_column("ignored", int, not_null_default=0)


@migrations(name="0014_removal_seen")
def _removal_seen(db: Database) -> None:
    # removed_in is an observation, not a date the evidence gives: the first scanned release found
    # without the API (scan/runner.py). It tells "gone by 1.9.1" (a release note's keyword that
    # scikit-learn 1.9.1's def no longer takes; when it went, no scanned release says) from "removed
    # in 1.9.1" (the notes of 1.9.1 say so). 0 on a row stored before, until the next scan.
    db["deprecations"].add_column("removal_seen", int, not_null_default=0)


@migrations(name="0015_conditional")
def _conditional(db: Database) -> None:
    # Parameter rows whose default changes where the library warns only under a test of the data
    # (pandas 3.1's `assert_index_equal(exact=)`): `check` says the change shows for some inputs
    # only. 0 on a row stored before, until the next scan of its library.
    db["deprecations"].add_column("conditional", int, not_null_default=0)


@migrations(name="0016_value_form")
def _value_form(db: Database) -> None:
    # Parameter rows whose values are pieces of the string a call passes ("token": pandas'
    # frequency aliases, "15T" passes "T"); NULL on a row stored before, until the next scan.
    db["deprecations"].add_column("value_form", str)
