"""A tiny library written on the spot and scanned into a fresh database: how the scanner's tests
check a real-shaped snippet end to end."""
from __future__ import annotations

import io
import json
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from apimigrate.db import KnowledgeBase, open_db
from apimigrate.scan.runner import scan
from unlearn_support import write_tree


def scan_library(tmp_path: Path, name: str, version: str, files: dict[str, str]) -> KnowledgeBase:
    """`files` (paths relative to the checkout) under a pyproject naming `name` `version`, scanned."""
    root = write_tree(tmp_path / "src", {"pyproject.toml": f'[project]\nname = "{name}"\nversion = "{version}"\n',
                                         **files})
    kb = open_db(tmp_path / "k.db")
    scan(kb, [str(root)], show_progress=False, workers=1)
    return kb


def rows_of(kb: KnowledgeBase, library: str) -> dict[tuple[str, str | None], dict]:
    """The library's rows by (api, parameter)."""
    return {(r["api"], r["parameter"] or None): r for r in kb.deprecations([library])}


def scanned_rows(tmp_path: Path, name: str, version: str, files: dict[str, str]) -> dict[tuple[str, str | None], dict]:
    """`files` scanned as `name` `version` (scan_library), and that library's rows by (api, parameter)."""
    kb = scan_library(tmp_path, name, version, files)
    try:
        return rows_of(kb, name)
    finally:
        kb.close()


def scanned_db(tmp_path: Path, name: str, version: str, files: dict[str, str]) -> tuple[Path, dict]:
    """`files` scanned as `name` `version`: the database's path, and the library's rows by (api, parameter)."""
    kb = scan_library(tmp_path, name, version, files)
    try:
        return tmp_path / "k.db", rows_of(kb, name)
    finally:
        kb.close()


def param_values(row: dict) -> set[str]:
    """A parameter row's deprecated values (canonical literals)."""
    return set(json.loads(row["param_values"]))


def index_of(db: Path):
    """The DeprecationIndex `check` builds from the database at `db`."""
    from apimigrate.callsites import DeprecationIndex
    kb = open_db(db)
    try:
        return DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    finally:
        kb.close()


def exported_of(db: Path) -> dict[tuple[str, str | None], dict]:
    """What `db export` writes for the database at `db`, by (api, parameter)."""
    from apimigrate.db.export import records
    kb = open_db(db)
    try:
        return {(r["api"], r["parameter"]): r for r in records(kb)}
    finally:
        kb.close()


def sdist_bytes(name: str, version: str, files: dict[str, str]) -> bytes:
    """A `.tar.gz` sdist of `files` (paths under its top folder) with the PKG-INFO naming the release."""
    files = {**files, "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{name}-{version}/{path}")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class SimpleIndex:
    """A real HTTP server on localhost speaking the simple API's JSON (PEP 691) for one project: the
    `versions` it lists and the sdists (file name -> bytes) it serves; `requests` lists the paths
    asked for."""

    def __init__(self, name: str, versions: list[str], sdists: dict[str, bytes]):
        self.requests: list[str] = []
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                index.requests.append(self.path)
                if self.path == f"/simple/{name}/":
                    files = [{"filename": fn, "url": f"../../files/{fn}", "hashes": {}} for fn in sdists]
                    body = json.dumps({"meta": {"api-version": "1.0"}, "name": name, "versions": versions,
                                       "files": files}).encode()
                    kind = "application/vnd.pypi.simple.v1+json"
                elif self.path.startswith("/files/") and self.path[len("/files/"):] in sdists:
                    body, kind = sdists[self.path[len("/files/"):]], "application/gzip"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sdists_fetched(self) -> list[str]:
        return [p[len("/files/"):] for p in self.requests if p.startswith("/files/")]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def install_dist(site: Path, name: str, version: str, code: dict[str, str]) -> None:
    """`code` and a `.dist-info` with its RECORD under `site`, as pip leaves an installed wheel."""
    info = f"{name}-{version}.dist-info"
    files = {**code, f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{info}/top_level.txt": f"{name}\n"}
    files[f"{info}/RECORD"] = "".join(f"{p},,\n" for p in [*files, f"{info}/RECORD"])
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
