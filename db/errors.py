"""Errors the knowledge base raises: each carries a one-line, user-facing message."""


class DBError(Exception):
    """The database cannot be used (corrupt, not ours, unwritable)."""


class DBLockedError(DBError):
    """Another process held the write lock for longer than the timeout."""
