"""The call-site resolver: imports and aliases -> every use of a deprecated API.

    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    for ref in find_references(source, index):
        print(ref.line + 1, ref.col + 1, ref.message)
        if ref.rewrite: new_source = apply_edits(source, ref.rewrite.edits)

Positions are 0-based lines and 0-based columns in characters of the Python
``str`` line (the LSP converts to UTF-16 itself).
"""
from .index import DeprecationIndex
from .lines import resolve_line_apis
from .model import Edit, Reference, Rewrite, describe, replacement_as_met
from .parsing import parse
from .project import ImportContext, ProjectModules
from .resolver import BY_NAME_FACTOR, could_match, find_references, find_references_between
from .rewrite import apply_edits

__all__ = [
    "BY_NAME_FACTOR", "DeprecationIndex", "Edit", "ImportContext", "ProjectModules", "Reference", "Rewrite",
    "apply_edits", "could_match", "describe", "find_references", "find_references_between", "parse",
    "replacement_as_met", "resolve_line_apis",
]
