"""Errors the knowledge base raises: each carries a one-line, user-facing message."""


class DBError(Exception):
    """The database cannot be used (corrupt, not ours, unwritable)."""


class DBLockedError(DBError):
    """Another process held the write lock for longer than the timeout."""


class UnknownLibrary(ValueError):
    """A library selected by name (`--select`, a project's `select`, the editor's `libraries`) that
    the database has never scanned: a typo must not switch a check off silently. `chosen` holds the
    libraries the other names selected, for a caller that goes on without the unknown ones."""

    def __init__(self, message: str, chosen: list[str]) -> None:
        super().__init__(message)
        self.chosen = chosen
