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
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from packaging.utils import InvalidSdistFilename, canonicalize_name, parse_sdist_filename
from packaging.version import InvalidVersion, Version
from platformdirs import user_cache_dir

from apimigrate.db.records import literal_value

from .targets import ScanError

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
PIP_DEFAULT_TIMEOUT = 15.0   # pip's own, for each connect and read
# An index that did not answer is not asked again for this long: a scan of four libraries
# offline behind a firewall that drops packets waits out one timeout, not four; a long-lived
# process (the refresh daemon) asks again once the network may be back.
RETRY_UNREACHABLE_S = 300.0


class IndexUnreachable(ScanError):
    """No configured index answered (offline, a firewall, pip's `no-index`); nothing is known of
    what it has, so nothing may be remembered as missing."""


# What a download that failed half-way raises: no route, refused, timed out, cut short.
FETCH_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException, IndexUnreachable)

_unreachable: dict[str, tuple[float, str]] = {}     # index URL -> (when, why), for this process


def cache_dir() -> Path:
    return Path(os.environ.get("APIMIGRATE_CACHE") or user_cache_dir("apimigrate"))


def dists_dir() -> Path:
    """Where fetched wheels and sdists are kept."""
    dest = cache_dir() / "dists"
    dest.mkdir(parents=True, exist_ok=True)
    return dest


@dataclass(frozen=True)
class PipIndex:
    """What pip is configured to download from, and how long it waits."""
    urls: tuple[str, ...]
    timeout: float
    no_index: bool = False
    cert: str | None = None     # a CA bundle, for an index behind a proxy that re-signs TLS

    def open(self, request: urllib.request.Request | str):
        context = ssl.create_default_context(cafile=self.cert) if self.cert else None
        return urllib.request.urlopen(request, timeout=self.timeout, context=context)


def _config_value(printed: str) -> str:
    """A value as `pip config list` prints it: the repr of a string, whose newlines (a list of
    extra-index-urls written one per line) are escapes."""
    try:
        value = literal_value(printed.strip())
    except (ValueError, SyntaxError):
        return printed.strip().strip("'\"")
    return value if isinstance(value, str) else printed.strip()


def _true(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def pip_index() -> PipIndex:
    """pip's configured index URLs (index-url first, then extra-index-urls), its timeout, `no-index`
    and `cert`, from pip's config files and PIP_* environment variables, as `pip download` reads them."""
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True)
    config: dict[str, str] = {}
    extras: list[str] = []
    for line in out.stdout.splitlines():
        key, _, value = line.partition("=")
        key, value = key.rpartition(".")[2], _config_value(value)
        if key == "extra-index-url":
            extras.extend(value.split())
        else:
            config[key] = value
    env = os.environ.get
    index = env("PIP_INDEX_URL", config.get("index-url")) or "https://pypi.org/simple"
    extras = env("PIP_EXTRA_INDEX_URL", " ".join(extras)).split()
    timeout = env("PIP_TIMEOUT") or env("PIP_DEFAULT_TIMEOUT") or config.get("timeout") or config.get("default-timeout")
    try:
        seconds = float(timeout) if timeout else PIP_DEFAULT_TIMEOUT
    except ValueError:
        seconds = PIP_DEFAULT_TIMEOUT
    no_index = _true(env("PIP_NO_INDEX") or config.get("no-index") or "")
    urls = () if no_index else tuple(u for u in [index, *extras] if u.startswith(("http://", "https://")))
    cert = env("PIP_CERT") or config.get("cert") or None
    return PipIndex(urls, seconds if seconds > 0 else PIP_DEFAULT_TIMEOUT, no_index, cert)


def _why(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason) or type(reason).__name__


def _simple_project(name: str, index: PipIndex | None = None) -> tuple[str, dict] | None:
    """The first configured index's simple-API page of `name`, or None when every index answered
    and none lists it; IndexUnreachable when none answered, so that nothing is taken as missing."""
    index = index or pip_index()
    unanswered: list[str] = []
    for base in index.urls:
        url = base.rstrip("/") + "/" + canonicalize_name(name) + "/"
        failed = _unreachable.get(base)
        if failed and time.monotonic() - failed[0] < RETRY_UNREACHABLE_S:
            unanswered.append(f"{base}: {failed[1]}")
            continue
        req = urllib.request.Request(url, headers={"Accept": SIMPLE_JSON})
        try:
            with index.open(req) as resp:
                if SIMPLE_JSON not in resp.headers.get("Content-Type", ""):
                    continue
                return url, json.load(resp)
        except urllib.error.HTTPError:
            continue        # an answer: it has no such project
        except (*FETCH_ERRORS, json.JSONDecodeError) as exc:
            why = _why(exc)
            if not isinstance(exc, json.JSONDecodeError):
                _unreachable[base] = (time.monotonic(), why)
            unanswered.append(f"{base}: {why}")
    if index.no_index:
        raise IndexUnreachable("pip is configured with no-index")
    if unanswered:
        raise IndexUnreachable(f"no package index answered ({'; '.join(unanswered)})")
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
    index = pip_index()
    found = _simple_project(name, index)   # IndexUnreachable: maybe offline for now, so nothing is remembered
    if found is None:
        return None
    url, project = found
    for f in project.get("files", []):
        fn = f["filename"]
        if _is_sdist_of(fn, name, version):
            target = dest / fn
            tmp = target.with_suffix(".part")
            with index.open(urljoin(url, f["url"])) as resp, open(tmp, "wb") as fh:
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
    why = "no such release on the configured index"
    try:
        sdist = fetch_sdist(name, version, dest)
    except IndexUnreachable as exc:
        sdist, why = None, str(exc)
    except FETCH_ERRORS as exc:
        sdist, why = None, f"the download failed ({_why(exc)})"
    if wheel is None and sdist is None:
        raise ScanError(f"cannot fetch {name}=={version}: {why}")
    return wheel, sdist
