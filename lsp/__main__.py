"""`python -m apimigrate.lsp [--tcp HOST:PORT] [--db PATH]` (the same as `apimigrate lsp`)."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .server import serve


def parse_hostport(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"expected HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="apimigrate-lsp", description="apimigrate language server")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    parser.add_argument("--db", type=Path, help="deprecation DB (default: APIMIGRATE_DB or the user data dir)")
    args = parser.parse_args(argv)
    # stdout is the protocol channel on stdio: logs go to stderr only.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="apimigrate-lsp %(levelname)s %(message)s")
    try:
        tcp = parse_hostport(args.tcp) if args.tcp else None
    except ValueError as exc:
        parser.error(str(exc))
    serve(args.db, tcp)


if __name__ == "__main__":
    main()
