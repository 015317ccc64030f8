"""The deprecation knowledge base (SQLite): schema, migrations, reads and writes."""
from .errors import DBError, DBLockedError, UnknownLibrary
from .knowledge import KnowledgeBase, default_db_path, open_db
from .records import (ClassFacts, Deprecation, Evidence, announced_for, confidence, feature_release, is_pending,
                      version_key)

__all__ = [
    "ClassFacts", "DBError", "DBLockedError", "Deprecation", "Evidence", "KnowledgeBase",
    "UnknownLibrary", "announced_for", "confidence", "feature_release", "is_pending", "default_db_path", "open_db", "version_key",
]
