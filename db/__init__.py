"""The deprecation knowledge base (SQLite): schema, migrations, reads and writes."""
from .errors import DBError, DBLockedError
from .knowledge import KnowledgeBase, default_db_path, open_db, version_key
from .records import Deprecation, Evidence, confidence

__all__ = [
    "DBError", "DBLockedError", "Deprecation", "Evidence", "KnowledgeBase",
    "confidence", "default_db_path", "open_db", "version_key",
]
