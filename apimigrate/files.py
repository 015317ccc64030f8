"""Reading a Python file or a notebook from disk: its bytes (a regular file only) and its text,
decoded as PEP 263 says. Pure file reading, shared by check (which parses what it reads) and
unlearn (which hashes it to resume a dataset build); it imports neither of them."""
from __future__ import annotations

import errno
import io
import os
import stat
import tokenize
from pathlib import Path


class UndecodableSource(ValueError):
    """A file whose bytes are not in the encoding it declares (UTF-8 when it declares none); its
    message is the CLI's "line:col: why, file skipped"."""


def read_regular(path: str) -> bytes:
    """The bytes of the file at `path`; OSError for something named that is no regular file (a
    FIFO, a device), which opening would block on or read forever, rather than take as empty."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    return Path(path).read_bytes()


def decode_python(data: bytes) -> tuple[str, str]:
    """The text of a .py file and its encoding: UTF-8 unless a BOM or a PEP 263 line
    (`# -*- coding: latin-1 -*-`) says otherwise. UndecodableSource when it cannot be read so."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:          # an unknown coding, or first lines that are no UTF-8
        encoding = "utf-8"
        try:
            data.decode(encoding)
        except UnicodeDecodeError as bad:
            raise UndecodableSource(undecodable(data, bad)) from None
        raise UndecodableSource(f"1:1: {exc.msg}, file skipped") from None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as bad:
        raise UndecodableSource(undecodable(data, bad)) from None


def undecodable(data: bytes, exc: UnicodeDecodeError) -> str:
    """'2:9: cannot read as UTF-8: invalid continuation byte, file skipped', at the first bad byte."""
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    col = len(data[line_start:exc.start].decode(exc.encoding, "replace"))
    name = "UTF-8" if exc.encoding.replace("_", "-").lower() in ("utf-8", "utf-8-sig", "utf8") else exc.encoding
    line = data.count(b"\n", 0, exc.start) + 1
    return f"{line}:{col + 1}: cannot read as {name}: {exc.reason}, file skipped"


def original_text(path: str, data: bytes) -> str:
    """The text a file's resume hash is of: a notebook's JSON, a .py file in its own encoding
    (UndecodableSource when its bytes are not in it)."""
    return data.decode("utf-8", "replace") if path.endswith(".ipynb") else decode_python(data)[0]
