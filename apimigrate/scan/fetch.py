"""Fetch a pinned release's wheel and sdist into a cache, without building or installing them.

Wheels come through `pip download --only-binary` (seconds, no build). An sdist
is fetched straight from the index's simple API (PEP 691 JSON), because `pip
download` of an sdist builds it to read its metadata, which fails for some
releases; the scanner needs only the file.
"""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from packaging.utils import InvalidSdistFilename, canonicalize_name, parse_sdist_filename
from packaging.version import InvalidVersion, Version
from platformdirs import user_cache_dir

from .targets import ScanError

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
# What a download that failed half-way raises: no route, refused, timed out, cut short.
FETCH_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException)


def cache_dir() -> Path:
    return Path(os.environ.get("APIMIGRATE_CACHE") or user_cache_dir("apimigrate"))


def dists_dir() -> Path:
    """Where fetched wheels and sdists are kept."""
    dest = cache_dir() / "dists"
    dest.mkdir(parents=True, exist_ok=True)
    return dest


def pip_index_urls() -> list[str]:
    """The index URLs pip is configured with (index-url first, then extra-index-urls)."""
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True)
    index, extras = None, []
    for line in out.stdout.splitlines():
        key, _, value = line.partition("=")
        value = value.strip().strip("'\"")
        if key.endswith(".index-url"):
            index = value
        elif key.endswith(".extra-index-url"):
            extras.extend(value.split())
    index = os.environ.get("PIP_INDEX_URL", index) or "https://pypi.org/simple"
    extras = os.environ.get("PIP_EXTRA_INDEX_URL", " ".join(extras)).split()
    return [u for u in [index, *extras] if u.startswith(("http://", "https://"))]


def _simple_project(name: str) -> tuple[str, dict] | None:
    for base in pip_index_urls():
        url = base.rstrip("/") + "/" + canonicalize_name(name) + "/"
        req = urllib.request.Request(url, headers={"Accept": SIMPLE_JSON})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                if SIMPLE_JSON not in resp.headers.get("Content-Type", ""):
                    continue
                return url, json.load(resp)
        except (*FETCH_ERRORS, json.JSONDecodeError):
            continue
    return None


def release_versions(name: str) -> list[str]:
    """All final releases the index lists, oldest first."""
    found = _simple_project(name)
    if found is None:
        raise ScanError(f"the package index knows no project named {name!r}")
    versions = set(found[1].get("versions") or [])
    if not versions:
        from packaging.utils import parse_sdist_filename, parse_wheel_filename
        for f in found[1].get("files", []):
            try:
                fn = f["filename"]
                v = parse_wheel_filename(fn)[1] if fn.endswith(".whl") else parse_sdist_filename(fn)[1]
                versions.add(str(v))
            except Exception:  # foreign file names (eggs, zips) tell us nothing
                continue
    out = []
    for v in versions:
        try:
            if not Version(v).is_prerelease:
                out.append(v)
        except InvalidVersion:
            continue
    return sorted(out, key=Version)


def _is_sdist_of(filename: str, name: str, version: str) -> bool:
    """Whether `filename` is the `.tar.gz` sdist of exactly `name==version` (not `2.4.6` for `2.4`)."""
    if not filename.endswith(".tar.gz"):
        return False
    try:
        dist, dist_version = parse_sdist_filename(filename)
        return dist == canonicalize_name(name) and dist_version == Version(version)
    except (InvalidSdistFilename, InvalidVersion):
        return False


def fetch_sdist(name: str, version: str, dest: Path) -> Path | None:
    """The sdist of `name==version` in `dest`, downloaded when it is not there yet: a rescan needs
    neither the index nor the network."""
    cached = [p for p in dest.glob("*.tar.gz") if _is_sdist_of(p.name, name, version)]
    if cached:
        return cached[0]
    # the index said it has none (torch publishes wheels only): not asked again at every rescan
    none_marker = dest / f"{canonicalize_name(name)}-{version}.no-sdist"
    if none_marker.exists():
        return None
    found = _simple_project(name)
    if found is None:
        return None     # no index answered: maybe offline for now, so nothing is remembered
    url, project = found
    for f in project.get("files", []):
        fn = f["filename"]
        if _is_sdist_of(fn, name, version):
            target = dest / fn
            tmp = target.with_suffix(".part")
            with urllib.request.urlopen(urljoin(url, f["url"]), timeout=300) as resp, open(tmp, "wb") as fh:
                while chunk := resp.read(1 << 20):
                    fh.write(chunk)
            tmp.rename(target)
            return target
    none_marker.touch()
    return None


def fetch_wheel(name: str, version: str, dest: Path) -> Path | None:
    before = set(dest.glob("*.whl"))
    existing = [p for p in before if _matches(p.name, name, version)]
    if existing:
        return existing[0]
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "--disable-pip-version-check", "-q", "-d", str(dest), f"{name}=={version}"],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        return None
    new = [p for p in dest.glob("*.whl") if _matches(p.name, name, version)]
    return new[0] if new else None


def _matches(filename: str, name: str, version: str) -> bool:
    norm = canonicalize_name(name).replace("-", "_")
    return filename.lower().startswith(f"{norm}-{version}-".lower())


def fetch_release(name: str, version: str) -> tuple[Path | None, Path | None]:
    """(wheel, sdist) of `name==version` in the cache; ScanError when neither exists."""
    dest = dists_dir()
    wheel = fetch_wheel(name, version, dest)
    try:
        sdist = fetch_sdist(name, version, dest)
    except FETCH_ERRORS:
        sdist = None
    if wheel is None and sdist is None:
        raise ScanError(f"cannot fetch {name}=={version}: no such release on the configured index")
    return wheel, sdist
