"""Findings as text lines, JSON or SARIF 2.1.0."""
from __future__ import annotations

import json
from pathlib import Path

from apimigrate.callsites.model import CODE_API, CODE_BY_NAME, CODE_DEFAULT, CODE_KEYWORD

from .runner import FileResult

RULES = [
    (CODE_API, "deprecated-api", "Use of a deprecated module, class, function, method or attribute."),
    (CODE_KEYWORD, "deprecated-parameter",
     "A deprecated parameter: passed at all, passed a deprecated value, or passed by position where a keyword is required."),
    (CODE_BY_NAME, "deprecated-method-by-name",
     "A deprecated method called on a value of unknown type, matched by its name (lower confidence)."),
    (CODE_DEFAULT, "changing-default",
     "A call that leaves out a parameter whose default value the library is changing; pass it explicitly."),
]


def text_line(f: dict) -> str:
    """`path:line:col: CODE message`; in a notebook `path:cell N:line:col: ...`, as ruff writes it."""
    cell = f"cell {f['cell']}:" if f.get("cell") else ""
    line = f"{f['path']}:{cell}{f['line']}:{f['col']}: {f['code']} {f['message']}"
    if f.get("by_name"):
        line += " (matched by method name)"
    if f.get("compat"):
        line += " (compatibility code: runs only on older versions)"
    return line


def render_text(results: list[FileResult]) -> str:
    return "".join(text_line(f) + "\n" for r in results for f in r.findings)


# Keys of a JSON finding, in this order (`code`, `kind`, `parameter`, `by_name` add detail; `api`: the
# deprecated API where it is defined, `name`: as the use reaches it and the message says it, the class's
# own member `pandas.DataFrame.fillna` of `pandas.core.generic.NDFrame.fillna`; `cell`: the 1-based cell
# of a notebook, whose line and columns are the cell's own, None in a .py file; `fix`: the exact
# rewrite, {message, edits: [{cell, line, col, end_line, end_col, content}]}, or None).
JSON_KEYS = ("path", "cell", "line", "col", "end_line", "end_col", "code", "kind", "api", "name", "parameter",
             "replacement", "since", "removed_in", "removal", "confidence", "message", "fixable", "by_name", "compat", "pending",
             "conditional", "fix")


def render_json(results: list[FileResult]) -> str:
    items = [{k: f[k] for k in JSON_KEYS} for r in results for f in r.findings]
    return json.dumps(items, indent=2) + "\n"


def statistics(results: list[FileResult]) -> list[dict]:
    """One entry per deprecated API (and parameter) used: how many uses, how many of them `fix`
    rewrites; most used first, as ruff's --statistics counts per rule."""
    counts: dict[tuple[str, str, str | None], list[int]] = {}
    for r in results:
        for f in r.findings:
            entry = counts.setdefault((f["code"], f["api"], f.get("parameter")), [0, 0])
            entry[0] += 1
            entry[1] += bool(f["fixable"])
    rows = [{"code": code, "api": api, "parameter": parameter, "count": n, "fixable": fixable}
            for (code, api, parameter), (n, fixable) in counts.items()]
    return sorted(rows, key=lambda e: (-e["count"], e["code"], e["api"], e["parameter"] or ""))


def render_statistics(results: list[FileResult], as_json: bool) -> str:
    """`  12  APIM001  numpy.row_stack  (12 fixable)`, one line per entry; or the entries as JSON."""
    rows = statistics(results)
    if as_json:
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(e["count"])) for e in rows), default=1)
    lines = []
    for e in rows:
        what = f"{e['api']}({e['parameter']}=)" if e["parameter"] else e["api"]
        fixable = f"  ({e['fixable']} fixable)" if e["fixable"] else ""
        lines.append(f"{e['count']:>{width}}  {e['code']}  {what}{fixable}\n")
    return "".join(lines)


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_uri() if p.is_absolute() else p.as_posix()


def _sarif_fixes(f: dict) -> dict:
    """SARIF's `fixes` for a use with an exact rewrite in a .py file (a notebook's cells have no
    regions of the file to replace)."""
    fix = f.get("fix")
    if not fix or f.get("cell") is not None:
        return {}
    replacements = [{"deletedRegion": {"startLine": e["line"], "startColumn": e["col"],
                                       "endLine": e["end_line"], "endColumn": e["end_col"]},
                     "insertedContent": {"text": e["content"]}} for e in fix["edits"]]
    return {"fixes": [{"description": {"text": fix["message"]},
                       "artifactChanges": [{"artifactLocation": {"uri": _uri(f["path"])},
                                            "replacements": replacements}]}]}


def _sarif_message(f: dict) -> str:
    """The message; in a notebook it says the cell and the line in it, the place its user knows."""
    if f.get("cell") is None:
        return f["message"]
    return f"{f['message']} (cell {f['cell']}, line {f['line']}, column {f['col']})"


def _cell_place(f: dict) -> dict:
    """In a notebook, the finding's line and column in its cell (those of `cell`), as properties."""
    return {} if f.get("cell") is None else {"cell_line": f["line"], "cell_col": f["col"]}


def _sarif_location(f: dict) -> dict:
    """Where a result is. A region is read against the artifact's own text, so in a notebook it is
    the place in the .ipynb file's JSON (the line of the string holding the source line) and the
    cell is a logical location; with no such place known, there is no region rather than a wrong one."""
    physical: dict = {"artifactLocation": {"uri": _uri(f["path"])}}
    if f.get("cell") is None:
        physical["region"] = {"startLine": f["line"], "startColumn": f["col"],
                              "endLine": f["end_line"], "endColumn": f["end_col"]}
        return {"physicalLocation": physical}
    place = f.get("file_region")
    if place:
        physical["region"] = {"startLine": place["line"], "startColumn": place["col"]}
        if "end_line" in place:
            physical["region"].update(endLine=place["end_line"], endColumn=place["end_col"])
    # a JSON pointer to the cell, as SARIF names a place in a JSON document
    cell = {"name": f"cell {f['cell']}", "fullyQualifiedName": f"/cells/{f['cell'] - 1}", "kind": "object"}
    return {"physicalLocation": physical, "logicalLocations": [cell]}


def render_sarif(results: list[FileResult], version: str) -> str:
    rule_index = {code: i for i, (code, _, _) in enumerate(RULES)}
    sarif_results = []
    for r in results:
        for f in r.findings:
            sarif_results.append({
                "ruleId": f["code"], "ruleIndex": rule_index[f["code"]],
                "level": "note" if f["code"] == CODE_BY_NAME or f.get("compat") or f.get("pending")
                or f.get("conditional") else "warning",
                "message": {"text": _sarif_message(f)},
                "locations": [_sarif_location(f)],
                "properties": {k: f[k] for k in ("api", "name", "replacement", "since", "removed_in", "removal",
                                                 "confidence", "fixable", "kind", "compat", "pending", "conditional",
                                                 "cell")}
                | _cell_place(f),
                **_sarif_fixes(f),
            })
    notifications = [{
        "level": "error", "message": {"text": r.error},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}],
    } for r in results if r.error]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "apimigrate", "version": version,
                "rules": [{"id": code, "name": name, "shortDescription": {"text": text},
                           "defaultConfiguration": {"level": "note" if code == CODE_BY_NAME else "warning"}}
                          for code, name, text in RULES],
            }},
            # Our columns count code points, not SARIF's default UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "results": sarif_results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
