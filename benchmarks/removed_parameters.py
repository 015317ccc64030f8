"""Deprecated keywords the newest release no longer takes: marked removed by the scan, checked by Python.

    python benchmarks/removed_parameters.py [--pair OLD NEW_DIST ...] [--jobs N]

For each pair (default: `pandas==2.2.3` with the installed pandas, `scikit-learn==1.5.2` with the
installed scikit-learn) the older release (wheel and sdist, fetched through pip's configured index)
and the installed one are scanned into a fresh database. Every parameter row whose evidence comes
only from the older release is then judged by `inspect.signature` of the installed object it names:
the keyword is absent (and the callable takes no `**kwargs`), present, or unknown (`**kwargs`, or the
name does not import). A row the scan marked removed should be absent; one it left unmarked should
not be. A removal version the words planned ("will be removed in 1.6") is counted apart.

Then each installed distribution of `--notes` (default numpy, scipy, scikit-learn) is scanned alone,
which reads its sdist's release notes: the parameter rows those notes alone give, with no removal
the notes date, are judged the same way. The scan marks such a keyword "gone by" the installed
release where that release's def does not take it. The API rows those notes alone give (functions,
classes, attributes: no parameter) are judged by importing the installed module and reading the
attribute: absent (the module or class imports, the name is not there), present, or unknown (the
module does not import); the scan marks such an API "gone by" the installed release where that
release does not define it under a module or class it has.

Prints the tables and the rows where the scan and Python disagree; writes
benchmarks/results/removed_parameters.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "removed_parameters.json"
PAIRS = [("pandas==2.2.3", "pandas"), ("scikit-learn==1.5.2", "scikit-learn")]
NOTED = ["numpy", "scipy", "scikit-learn"]


def scan(db: Path, targets: list[str], jobs: int) -> None:
    subprocess.run([sys.executable, "-m", "apimigrate.cli.main", "scan", *targets, "--db", str(db), "-q",
                    "-j", str(jobs)], check=True, stdout=subprocess.DEVNULL)


def _object(path: str) -> object:
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(path)


def python_says(api: str, parameter: str) -> str:
    """'absent', 'present' or 'unknown': whether the installed `api` takes `parameter`."""
    try:
        params = inspect.signature(_object(api)).parameters
    except (ImportError, AttributeError, TypeError, ValueError):
        return "unknown"
    if parameter in params:
        return "present"
    return "unknown" if any(p.kind is p.VAR_KEYWORD for p in params.values()) else "absent"


def python_has(api: str) -> str:
    """'absent', 'present' or 'unknown': whether the installed release has `api` (a module, or an
    attribute of the longest importable module prefix, read down its path)."""
    try:
        _object(api)
    except AttributeError:
        return "absent"
    except Exception:              # no module of the path imports, or importing it fails
        return "unknown"
    return "present"


def judge(db: Path, library: str, newest: str) -> list[dict]:
    from apimigrate.db import open_db
    kb = open_db(db)
    try:
        rows = [r for r in kb.deprecations([library]) if r["kind"] == "parameter" and r["last_seen"] != newest]
    finally:
        kb.close()
    return [{"api": r["api"], "parameter": r["parameter"], "removed_in": r["removed_in"],
             "seen": bool(r["removal_seen"]), "python": python_says(r["api"], r["parameter"])} for r in rows]


def judge_noted(db: Path, library: str) -> dict:
    """The parameter rows release notes alone give, whose removal the notes do not date: how the
    scan's "gone by" mark stands against `inspect.signature` of the installed object."""
    from apimigrate.db import open_db
    from apimigrate.db.records import REMOVAL_SEEN
    kb = open_db(db)
    try:
        rows = [r for r in kb.deprecations([library]) if r["kind"] == "parameter"
                and all(e["kind"] == "changelog" for e in kb.evidence_for(r["id"]))
                and (not r["removed_in"] or r["removal"] == REMOVAL_SEEN)]
    finally:
        kb.close()
    judged = [{"api": r["api"], "parameter": r["parameter"], "gone_by": r["removed_in"],
               "python": python_says(r["api"], r["parameter"])} for r in rows]
    return {"library": library, "rows_from_notes_alone": len(judged),
            "marked_gone": sum(bool(r["gone_by"]) for r in judged), **_verdicts(judged, "gone_by")}


def judge_noted_apis(db: Path, library: str) -> dict:
    """The API rows release notes alone give (no parameter), whose removal the notes do not date by
    the installed release: how the scan's "gone by" mark stands against importing the installed API."""
    import warnings

    from apimigrate.db import open_db
    from apimigrate.db.records import REMOVAL_SEEN
    kb = open_db(db)
    try:
        rows = [r for r in kb.deprecations([library]) if r["kind"] != "parameter" and not r["last_seen"]
                and all(e["kind"] == "changelog" for e in kb.evidence_for(r["id"]))
                and (not r["removed_in"] or r["removal"] == REMOVAL_SEEN)]
    finally:
        kb.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")             # importing deprecated modules warns
        judged = [{"api": r["api"], "parameter": None, "gone_by": r["removed_in"], "python": python_has(r["api"])}
                  for r in rows]
    return {"library": library, "rows_from_notes_alone": len(judged),
            "marked_gone": sum(bool(r["gone_by"]) for r in judged), **_verdicts(judged, "gone_by")}


def _verdicts(rows: list[dict], mark: str) -> dict:
    """How the rows the scan marked (`mark` set) and those it left stand against Python."""
    marked = [r for r in rows if r[mark]]
    left = [r for r in rows if not r[mark]]
    return {
        "marked_and_absent": sum(r["python"] == "absent" for r in marked),
        "marked_but_present": sum(r["python"] == "present" for r in marked),
        "marked_unknown": sum(r["python"] == "unknown" for r in marked),
        "unmarked_but_absent": sum(r["python"] == "absent" for r in left),
        "unmarked_present_or_unknown": sum(r["python"] != "absent" for r in left),
        "disagreements": [r for r in rows if bool(r[mark]) != (r["python"] == "absent") and r["python"] != "unknown"],
    }


def _table(con: Console, title: str, results: list[dict]) -> None:
    t = Table(title=title)
    keys = [k for k in results[0] if k != "disagreements"]
    for k in keys:
        t.add_column(k.replace("_", " "), justify="right")
    for r in results:
        t.add_row(*(str(r[k]) for k in keys))
    con.print(t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pair", nargs=2, action="append", metavar=("OLD", "NEW_DIST"),
                    help="an older pinned release and the installed distribution to compare it with")
    ap.add_argument("--notes", nargs="*", default=NOTED, metavar="DIST",
                    help="installed distributions whose release notes alone are judged (none: skip)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from importlib import metadata

    from apimigrate.scan.runner import library_name
    results = []
    for old, dist in args.pair or PAIRS:
        newest = metadata.version(dist)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "pair.db"
            scan(db, [old, dist], args.jobs)
            rows = judge(db, library_name(dist), newest)
        # Marked by the scan: removed in the newest release. A removal version the words planned
        # ("will be removed in 1.6") is the library's, not this check's, and left out.
        # (a mark is the scan's observation, dated by the release it went in: "3.1" for pandas 3.1.1)
        planned = [r for r in rows if r["removed_in"] and not r["seen"]]
        rows = [r for r in rows if r not in planned]
        results.append({
            "older": old, "newest": f"{dist}=={newest}", "rows_from_older_only": len(rows) + len(planned),
            "removal_planned_by_the_words": len(planned),
            "marked_removed": sum(bool(r["removed_in"]) for r in rows), **_verdicts(rows, "removed_in"),
        })
    noted, noted_apis = [], []
    for dist in args.notes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "noted.db"
            scan(db, [dist], args.jobs)
            installed = f"{dist}=={metadata.version(dist)}"
            noted.append({"installed": installed, **judge_noted(db, library_name(dist))})
            noted_apis.append({"installed": installed, **judge_noted_apis(db, library_name(dist))})
    con = Console(width=160)
    _table(con, "deprecated keywords of an older release, in the newest: the scan's mark against inspect.signature",
           results)
    if noted:
        _table(con, "deprecated keywords release notes alone give: the scan's \"gone by\" against inspect.signature",
               noted)
        _table(con, "deprecated APIs release notes alone give: the scan's \"gone by\" against import and getattr",
               noted_apis)
    d = Table(title="disagreements")
    for col in ("newest", "api", "parameter", "removed_in", "python"):
        d.add_column(col, overflow="fold")
    for r in results:
        for x in r["disagreements"]:
            d.add_row(r["newest"], x["api"], x["parameter"], x["removed_in"] or "", x["python"])
    for r in noted + noted_apis:
        for x in r["disagreements"]:
            d.add_row(r["installed"], x["api"], x["parameter"] or "", x["gone_by"] or "", x["python"])
    con.print(d)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "pairs": results, "notes_alone": noted, "notes_alone_apis": noted_apis,
    }, indent=2) + "\n")


if __name__ == "__main__":
    main()
