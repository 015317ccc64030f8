"""The knowledge base on real SQLite files: schema, merging, errors, export."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import threading
import tomllib

import pytest

from apimigrate.db import DBError, DBLockedError, Deprecation, Evidence, UnknownLibrary, export, is_pending, open_db


def _dep(**kw) -> Deprecation:
    base = dict(library="numpy", api="numpy.row_stack", kind="function")
    base.update(kw)
    return Deprecation(**base)


def test_new_db_is_wal_and_migrated(tmp_path):
    kb = open_db(tmp_path / "k.db")
    assert kb.db.journal_mode == "wal"
    tables = set(kb.db.table_names())
    assert {"libraries", "deprecations", "evidence", "files", "models", "refresh_runs"} <= tables
    # reopening applies nothing twice
    kb.close()
    kb2 = open_db(tmp_path / "k.db")
    assert [m[0] for m in kb2.db.execute("select name from _sqlite_migrations")] == [
        "0001_initial", "0002_drop_in", "0003_parameter_usage", "0004_pending", "0005_members", "0006_classes",
        "0007_returns", "0008_model_registry", "0009_member_parameters", "0010_aliases", "0011_new_values",
        "0012_timelines", "0013_ignored", "0014_removal_seen", "0015_conditional", "0016_value_form"]
    assert {"drop_in", "new_values", "timelines", "ignored"} <= set(kb2.db["deprecations"].columns_dict)


def test_merge_prefers_source_replacement_and_earliest_since(tmp_path):
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        kb.upsert_deprecation(_dep(replacement="numpy.stack", since="2.1",
                                   evidence=[Evidence("changelog", "doc/2.1.rst", 5, "2.1")]), seen_in="2.1")
        dep_id = kb.upsert_deprecation(_dep(replacement="numpy.vstack", since="2.0", message="use vstack",
                                            evidence=[Evidence("warning", "numpy/x.py", 9, "2.0")]), seen_in="2.0")
    [row] = kb.deprecations()
    assert row["id"] == dep_id
    assert row["replacement"] == "numpy.vstack"      # source beats changelog
    assert row["since"] == "2.0"
    assert (row["first_seen"], row["last_seen"]) == ("2.0", "2.1")
    assert row["confidence"] == pytest.approx(1 - 0.5 * 0.2)  # changelog + warning
    assert {e["kind"] for e in kb.evidence_for(dep_id)} == {"changelog", "warning"}


@pytest.mark.parametrize("first, then", [("setter", "attribute"), ("attribute", "setter")])
def test_a_setter_and_a_read_deprecated_in_two_releases_make_the_attribute(tmp_path, first, then):
    """One release deprecates setting `ndarray.strides`, another any use: every use is deprecated,
    in either order of scanning (within one release the scanner merges them so too)."""
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        for kind, version in ((first, "2.3"), (then, "2.4")):
            kb.upsert_deprecation(_dep(api="numpy.ndarray.strides", kind=kind,
                                       evidence=[Evidence("warning", f"numpy/{kind}.py", 1, version)]),
                                  seen_in=version)
    assert kb.deprecations()[0]["kind"] == "attribute"


def test_changelog_never_overrides_source_replacement(tmp_path):
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        kb.upsert_deprecation(_dep(replacement="numpy.vstack", evidence=[Evidence("warning", "a.py", 1)]))
        kb.upsert_deprecation(_dep(replacement="numpy.concatenate", evidence=[Evidence("changelog", "n.rst", 1)]))
    assert kb.deprecations()[0]["replacement"] == "numpy.vstack"


def test_failed_transaction_keeps_earlier_rows(tmp_path):
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        kb.upsert_deprecation(_dep(evidence=[Evidence("warning", "a.py", 1)]))
    with pytest.raises(RuntimeError):
        with kb.transaction():
            kb.upsert_deprecation(_dep(api="numpy.product", evidence=[Evidence("warning", "b.py", 1)]))
            raise RuntimeError("interrupted")
    assert [r["api"] for r in kb.deprecations()] == ["numpy.row_stack"]


def test_locked_db_times_out_with_clear_error(tmp_path):
    path = tmp_path / "k.db"
    open_db(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        kb = open_db(path, timeout=0.2)
        with pytest.raises(DBLockedError, match="locked"):
            with kb.transaction():
                kb.upsert_deprecation(_dep(evidence=[Evidence("warning", "a.py", 1)]))
    finally:
        holder.rollback()
        holder.close()


def test_a_transaction_holds_the_write_lock_from_its_first_read(tmp_path):
    """Read, then write on what was read (the promoted model, then promote): another writer
    waits for the whole transaction instead of slipping in between and making the write fail."""
    path = tmp_path / "k.db"
    first, second = open_db(path), open_db(path, timeout=10)
    started, done = threading.Event(), threading.Event()

    def other_writer() -> None:
        started.set()
        with second.transaction():
            second.upsert_deprecation(_dep(api="numpy.product", evidence=[Evidence("warning", "b.py", 1)]))
        done.set()
    with first.transaction():
        assert first.deprecations() == []
        thread = threading.Thread(target=other_writer)
        thread.start()
        started.wait()
        assert not done.wait(0.5)       # it waits for this transaction
        first.upsert_deprecation(_dep(evidence=[Evidence("warning", "a.py", 1)]))
    thread.join(10)
    assert done.is_set()
    assert sorted(r["api"] for r in first.deprecations()) == ["numpy.product", "numpy.row_stack"]


def test_a_failed_commit_is_rolled_back_and_later_writes_commit(tmp_path):
    """A COMMIT can fail (a full disk; here a deferred constraint): the transaction must not stay
    open, or every later one would nest in it as a savepoint and never be committed."""
    kb = open_db(tmp_path / "k.db")
    kb.db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    kb.db.execute("CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    kb.db.conn.commit()
    with pytest.raises(DBError):
        with kb.transaction():
            kb.db.execute("INSERT INTO child VALUES (5)")      # fails only at COMMIT
    assert not kb.db.conn.in_transaction
    with kb.transaction():
        kb.upsert_deprecation(_dep(evidence=[Evidence("warning", "a.py", 1)]))
    other = open_db(tmp_path / "k.db")
    assert [r["api"] for r in other.deprecations()] == ["numpy.row_stack"]


def test_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "k.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DBError, match="not an apimigrate database|unreadable"):
        open_db(path)


def test_search_and_stats(tmp_path):
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        kb.upsert_deprecation(_dep(replacement="numpy.vstack", message="`row_stack` alias is deprecated",
                                   evidence=[Evidence("warning", "a.py", 1)]))
        kb.upsert_deprecation(_dep(library="pandas", api="pandas.DataFrame.applymap", kind="method",
                                   replacement="pandas.DataFrame.map", evidence=[Evidence("warning", "f.py", 2)]))
    assert [r["api"] for r in kb.search("vstack")] == ["numpy.row_stack"]
    assert [r["api"] for r in kb.search("applymap")] == ["pandas.DataFrame.applymap"]
    stats = {s["library"]: s for s in kb.stats()}
    assert stats["numpy"]["deprecations"] == 1 and stats["pandas"]["with_replacement"] == 1
    before = kb.fingerprint()
    with kb.transaction():
        kb.upsert_deprecation(_dep(api="numpy.product", evidence=[Evidence("warning", "c.py", 3)]))
    assert kb.fingerprint() != before


def _filled(tmp_path):
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        kb.upsert_deprecation(_dep(replacement="numpy.vstack", since="2.0", message='say "hi"',
                                   evidence=[Evidence("warning", "numpy/lib/_shape_base_impl.py", 610, "2.0")]))
        kb.upsert_deprecation(_dep(api="numpy.save", kind="parameter", parameter="fix_imports", since="2.1",
                                   evidence=[Evidence("changelog", "doc/2.1.0-notes.rst", 33, "2.1.0")]))
    return kb


def test_export_jsonl(tmp_path):
    kb = _filled(tmp_path)
    lines = "".join(export.to_jsonl(export.records(kb))).splitlines()
    recs = [json.loads(line) for line in lines]
    assert len(recs) == 2
    for r in recs:
        assert {"library", "api", "kind", "replacement", "since", "removed_in", "message", "confidence",
                "evidence"} <= set(r)
    row_stack = next(r for r in recs if r["api"] == "numpy.row_stack")
    assert row_stack["evidence"] == [{"kind": "warning", "path": "numpy/lib/_shape_base_impl.py",
                                      "line": 610, "version": "2.0"}]
    save = next(r for r in recs if r["api"] == "numpy.save")
    assert save["parameter"] == "fix_imports" and save["replacement"] is None


def test_export_csv_and_ruff(tmp_path):
    kb = _filled(tmp_path)
    rows = list(csv.DictReader(io.StringIO("".join(export.to_csv(export.records(kb))))))
    assert {r["api"] for r in rows} == {"numpy.row_stack", "numpy.save"}
    ruff = tomllib.loads("".join(export.to_ruff(export.records(kb))))
    banned = ruff["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]
    assert list(banned) == ["numpy.row_stack"]  # parameters cannot be banned by name
    assert "use numpy.vstack" in banned["numpy.row_stack"]["msg"]


def test_db_import_leaves_pandas_and_numpy_unloaded_and_importable():
    # sqlite_utils would import both (~0.9 s of every CLI start); we hide them while it loads.
    code = (
        "import sys, apimigrate.db\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules, sorted(sys.modules)\n"
        "import numpy, pandas\n"
        "print(numpy.__name__, pandas.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["numpy", "pandas"]


def test_class_facts_linearise_bases_as_python_does():
    from apimigrate.db import ClassFacts
    diamond = ClassFacts(bases={"D": ("B", "C"), "B": ("A",), "C": ("A",), "A": ()})
    assert diamond.mro("D") == ["D", "B", "C", "A"]
    assert ClassFacts(bases={"D": ("B", "C"), "B": ("A",), "C": ("X",)}).mro("D") == ["D", "B", "A", "C", "X"]
    # bases as read may loop or disagree (a stub and the code): every class once, nearest first
    assert ClassFacts(bases={"A": ("B",), "B": ("A",)}).mro("A") == ["A", "B"]
    assert ClassFacts(bases={"X": ("A", "B"), "Y": ("B", "A"), "Z": ("X", "Y")}).mro("Z") == ["Z", "X", "Y", "A", "B"]


def test_libraries_are_selected_by_any_pip_spelling_or_their_import_name(tmp_path):
    kb = open_db(tmp_path / "k.db")
    assert kb.is_empty()
    with kb.transaction():
        kb.record_library("scikit-learn", "1.9.1", "installed", "site-packages")
        kb.upsert_deprecation(_dep(library="scikit-learn", api="sklearn.metrics.roc_auc_score", kind="parameter",
                                   parameter="y_true_x", evidence=[Evidence("decorator", "a.py", 1)]))
        kb.upsert_deprecation(_dep(evidence=[Evidence("warning", "b.py", 2)]))
        # a library with nothing deprecated is still known by its package, through its classes
        kb.record_library("attrs", "25.1", "installed", "site-packages")
        kb.record_classes("attrs", "25.1", ["attr.Attribute.evolve"], {"attr.Attribute": []})
    assert not kb.is_empty()
    assert kb.select_libraries(["sklearn"]) == ["scikit-learn"]
    assert kb.select_libraries(["Scikit_Learn", "NumPy", "scikit-learn"]) == ["scikit-learn", "numpy"]
    assert kb.select_libraries(["attr"]) == kb.select_libraries(["attrs"]) == ["attrs"]
    with pytest.raises(UnknownLibrary) as err:
        kb.select_libraries(["nunpy", "numpy", "skleran"])
    assert err.value.chosen == ["numpy"]
    assert str(err.value).startswith("'nunpy', 'skleran': no such library in the database at ")
    assert "it holds attrs, numpy, scikit-learn" in str(err.value)


def test_an_older_release_returns_only_for_deprecated_apis_the_newest_lacks(tmp_path):
    sig = [{"params": [], "returns": "frames.Frame"}]
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        for api in ("frames.Frame.applymap", "frames.Frame.swap"):
            kb.upsert_deprecation(_dep(library="frames", api=api, kind="method", evidence=[Evidence("warning", "a.py", 1)]))
        kb.record_classes("frames", "2.0", ["frames.Frame.map", "frames.Frame.swap"], {"frames.Frame": []},
                          {"frames.Frame.map": sig})
        # 1.0 scanned after 2.0: `swap` is still a member of 2.0 (its return now unknown), `clip` is not
        # deprecated, `map` has 2.0's own row
        kept = kb.record_vanished_returns("frames", "1.0", {api: sig for api in (
            "frames.Frame.applymap", "frames.Frame.swap", "frames.Frame.clip", "frames.Frame.map")})
    assert kept == 1
    returns = dict(kb.db.execute("SELECT api, version FROM returns").fetchall())
    assert returns == {"frames.Frame.applymap": "1.0", "frames.Frame.map": "2.0"}
    # 3.0, scanned last, has `applymap` again (a member): 1.0's row goes, and 2.0's `map` (not deprecated)
    with kb.transaction():
        kb.record_classes("frames", "3.0", ["frames.Frame.applymap"], {"frames.Frame": []}, {})
    assert dict(kb.db.execute("SELECT api, version FROM returns").fetchall()) == {}


def test_a_newer_release_that_deprecates_what_was_announced_gives_the_message(tmp_path):
    kb = open_db(tmp_path / "k.db")

    def seen(release: str, kind: str, line: int, message: str) -> dict:
        """numpy.fix as a scan of `release` finds it (since 2.5 throughout), then its row."""
        with kb.transaction():
            kb.upsert_deprecation(_dep(api="numpy.fix", replacement="numpy.trunc", since="2.5", message=message,
                                       evidence=[Evidence(kind, "numpy/lib/_ufunclike_impl.py", line, release)]),
                                  seen_in=release)
        return kb.get("numpy.fix")[0]
    announced = "np.fix will be deprecated in NumPy 2.5 in favor of np.trunc"
    assert is_pending(seen("2.4.6", "stub", 18, announced))     # announced for a release not scanned yet
    warned = "numpy.fix is deprecated. Use numpy.trunc instead."
    row = seen("2.5.5", "warning", 66, warned)
    assert (row["message"], row["since"], is_pending(row)) == (warned, "2.5", False)
    # a release deprecating what is deprecated already keeps the row's words (one row, several warnings)
    assert seen("2.6.0", "warning", 70, "other words")["message"] == warned


@pytest.mark.parametrize("order", [("1.26.4", "2.0.2"), ("2.0.2", "1.26.4")])
def test_the_newest_release_source_names_the_replacement_in_either_order(tmp_path, order):
    said = {"1.26.4": "numpy.result_type", "2.0.2": "numpy.promote_types"}
    kb = open_db(tmp_path / "k.db")
    for release in order:
        with kb.transaction():
            kb.upsert_deprecation(_dep(api="numpy.find_common_type", replacement=said[release],
                                       evidence=[Evidence("warning", "numpy/core/numerictypes.py", 600, release)]),
                                  seen_in=release)
    assert kb.get("numpy.find_common_type")[0]["replacement"] == "numpy.promote_types"


@pytest.mark.parametrize("order", [("2.2.3", "3.0.6"), ("3.0.6", "2.2.3")])
def test_the_newest_release_places_a_parameter_in_either_order(tmp_path, order):
    """pandas 2.2's `PeriodIndex(data, ordinal, freq)`, 3.0's `PeriodIndex(data, freq)`: a user of the
    newest release passes freq second; an older release rescanned later (one of its files changed)
    does not move it back. A release that knows no position leaves the row's."""
    position = {"2.2.3": 2, "3.0.6": 1}
    kb = open_db(tmp_path / "k.db")

    def seen(release: str, at: int | None) -> int | None:
        with kb.transaction():
            kb.upsert_deprecation(_dep(library="pandas", api="pandas.PeriodIndex", kind="parameter", parameter="freq",
                                       usage=["value"], values=["'A'"], position=at,
                                       evidence=[Evidence("warning", "pandas/core/indexes/period.py", 9, release)]),
                                  seen_in=release)
        return kb.get("pandas.PeriodIndex")[0]["position"]
    for release in order:
        seen(release, position[release])
    assert seen(order[0], position[order[0]]) == 1                # and once more, rescanned
    assert seen("3.0.6", None) == 1


def _ev(path: str = "numpy/_core/numerictypes.py") -> list[Evidence]:
    return [Evidence("warning", path, 1, "2.0")]


def test_a_replacement_itself_deprecated_gives_way_to_the_end_of_its_chain(tmp_path):
    """numpy: `sctypeNA` -> `typeDict` (itself deprecated for `sctypeDict`): check, fix, the dataset and
    the export should send users to `sctypeDict`, and say what the library named."""
    kb = open_db(tmp_path / "k.db")
    with kb.transaction():
        kb.upsert_deprecation(_dep(api="numpy.sctypeNA", replacement="numpy.typeDict", drop_in=True, evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.typeDict", replacement="numpy.sctypeDict", drop_in=True, evidence=_ev()))
        # a rewrite through a link that is no drop-in is none
        kb.upsert_deprecation(_dep(api="numpy.a", replacement="numpy.b", drop_in=True, evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.b", replacement="numpy.c", drop_in=False, evidence=_ev()))
        # a cycle, a replacement only announced as deprecated, and one whose setter alone is deprecated stay
        kb.upsert_deprecation(_dep(api="numpy.x", replacement="numpy.y", evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.y", replacement="numpy.x", evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.p", replacement="numpy.q", evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.q", replacement="numpy.r", pending=True, evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.s", replacement="numpy.t", evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.t", kind="setter", replacement="numpy.u", evidence=_ev()))
        # a keyword renamed twice: `Xred=` -> `Xt=` -> `X=`
        kb.upsert_deprecation(_dep(api="numpy.inv", kind="parameter", parameter="Xred", new_parameter="Xt",
                                   evidence=_ev()))
        kb.upsert_deprecation(_dep(api="numpy.inv", kind="parameter", parameter="Xt", new_parameter="X",
                                   evidence=_ev()))
    [na] = kb.get("numpy.sctypeNA")
    assert (na["replacement"], na["drop_in"], na["replacement_via"]) == ("numpy.sctypeDict", 1, ["numpy.typeDict"])
    [a] = kb.get("numpy.a")
    assert (a["replacement"], a["drop_in"]) == ("numpy.c", 0)
    rows = {r["api"] + (f"({r['parameter']}=)" if r["parameter"] else ""): r for r in kb.deprecations()}
    assert rows["numpy.x"]["replacement"] == "numpy.y" and rows["numpy.y"]["replacement"] == "numpy.x"
    assert rows["numpy.p"]["replacement"] == "numpy.q" and rows["numpy.s"]["replacement"] == "numpy.t"
    assert (rows["numpy.inv(Xred=)"]["new_parameter"], rows["numpy.inv(Xred=)"]["new_parameter_via"]) == ("X", ["Xt"])
    # what is stored is what the library said
    stored = kb.db["deprecations"].get(na["id"])
    assert stored["replacement"] == "numpy.typeDict"
    [rec] = [r for r in export.records(kb) if r["api"] == "numpy.sctypeNA"]
    assert (rec["replacement"], rec["replacement_via"]) == ("numpy.sctypeDict", ["numpy.typeDict"])

    from apimigrate.callsites import DeprecationIndex, find_references
    from apimigrate.check import fix_source
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    src = "import numpy as np\nd = np.sctypeNA\n"
    [ref] = find_references(src, index)
    assert ref.api == "numpy.sctypeNA"
    assert "np.sctypeDict" in fix_source(src, index)[0]
