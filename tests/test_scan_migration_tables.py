"""pydantic 2's v1 -> v2 migration tables (scan/migration_tables.py).

`pydantic/_migration.py` holds module-level dicts and sets of "module:name" strings that
`getattr_migration(module)` reads: its `wrapper(name)`, the `__getattr__` of `pydantic` and of the
v1 shim modules, warns for MOVED_IN_V2 / REDIRECT_TO_V1 names and serves what the table names,
serves DEPRECATED_MOVED_IN_V2 names silently (the object warns itself), and raises for
REMOVED_IN_V2 names and `pydantic:BaseSettings`. Before, none of it was read: `from pydantic import
BaseSettings`, `from pydantic.generics import GenericModel`, `pydantic.utils.to_camel` went
unreported (audit /tmp/scanaudit/FINDINGS.md, "pydantic 2.14.4").
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.cli.main import app
from scan_support import rows_of, scan_library

# pydantic 2.14.4 pydantic/_migration.py, cut down: a few entries of each table, the factory verbatim.
MIGRATION = '''\
import sys
from collections.abc import Callable
from typing import Any

from pydantic.warnings import PydanticDeprecatedSince20

from .version import version_short

MOVED_IN_V2 = {
    'pydantic.utils:version_info': 'pydantic.version:version_info',
    'pydantic.error_wrappers:ValidationError': 'pydantic:ValidationError',
    'pydantic.utils:to_camel': 'pydantic.alias_generators:to_pascal',
    'pydantic.utils:to_lower_camel': 'pydantic.alias_generators:to_camel',
    'pydantic.generics:GenericModel': 'pydantic.BaseModel',
}

DEPRECATED_MOVED_IN_V2 = {
    'pydantic.tools:parse_obj_as': 'pydantic.deprecated.tools:parse_obj_as',
    'pydantic.json:pydantic_encoder': 'pydantic.deprecated.json:pydantic_encoder',
    'pydantic:validate_arguments': 'pydantic.deprecated.decorator:validate_arguments',
}

REDIRECT_TO_V1 = {
    f'pydantic.utils:{obj}': f'pydantic.v1.utils:{obj}'
    for obj in (
        'deep_update',
        'GetterDict',
    )
}


REMOVED_IN_V2 = {
    'pydantic:ConstrainedInt',
    'pydantic:Required',
    'pydantic.datetime_parse:parse_date',
    'pydantic.errors:BoolError',
    'pydantic.main:validate_model',
    'pydantic.utils:ClassAttribute',
}


def getattr_migration(module: str) -> Callable[[str], Any]:
    """Implement PEP 562 for objects that were either moved or removed on the migration
    to V2.

    Args:
        module: The module name.

    Returns:
        A callable that will raise an error if the object is not found.
    """
    # This avoids circular import with errors.py.
    from .errors import PydanticImportError

    def wrapper(name: str) -> object:
        """Raise an error if the object is not found, or warn if it was moved.

        In case it was moved, it still returns the object.

        Args:
            name: The object name.

        Returns:
            The object.
        """
        if name == '__path__':
            raise AttributeError(f'module {module!r} has no attribute {name!r}')

        import warnings

        from ._internal._validators import import_string

        import_path = f'{module}:{name}'
        if import_path in MOVED_IN_V2:
            new_location = MOVED_IN_V2[import_path]
            warnings.warn(
                f'`{import_path}` has been moved to `{new_location}`.',
                category=PydanticDeprecatedSince20,
                stacklevel=2,
            )
            return import_string(new_location)
        if import_path in DEPRECATED_MOVED_IN_V2:
            # skip the warning here because a deprecation warning will be raised elsewhere
            return import_string(DEPRECATED_MOVED_IN_V2[import_path])
        if import_path in REDIRECT_TO_V1:
            new_location = REDIRECT_TO_V1[import_path]
            warnings.warn(
                f'`{import_path}` has been removed. We are importing from `{new_location}` instead.'
                f' See the migration guide for more details: https://pydantic.dev/docs/validation/{version_short()}/migration/',
                category=PydanticDeprecatedSince20,
                stacklevel=2,
            )
            return import_string(new_location)
        if import_path == 'pydantic:BaseSettings':
            raise PydanticImportError(
                '`BaseSettings` has been moved to the `pydantic-settings` package. '
                f'See https://pydantic.dev/docs/validation/{version_short()}/migration/#basesettings-has-moved-to-pydantic-settings '
                'for more details.'
            )
        if import_path in REMOVED_IN_V2:
            raise PydanticImportError(f'`{import_path}` has been removed in V2.')
        globals: dict[str, Any] = sys.modules[module].__dict__
        if name in globals:
            return globals[name]
        raise AttributeError(f'module {module!r} has no attribute {name!r}')

    return wrapper
'''

# pydantic 2.14.4 pydantic/__init__.py, cut down: the lazy imports, then the migration's wrapper.
INIT = '''\
from importlib import import_module
from typing import TYPE_CHECKING
from warnings import warn

from ._migration import getattr_migration
from .version import VERSION

if TYPE_CHECKING:
    from pydantic_core import ValidationError
    from .main import *
    from .deprecated.tools import *

__all__ = (
    'BaseModel',
    'ValidationError',
    'parse_obj_as',
)

_dynamic_imports: 'dict[str, tuple[str, str]]' = {
    'BaseModel': (__spec__.parent, '.main'),
    'ValidationError': ('pydantic_core', '.'),
    'parse_obj_as': (__spec__.parent, '.deprecated.tools'),
}
_deprecated_dynamic_imports = set()

_getattr_migration = getattr_migration(__name__)


def __getattr__(attr_name: str) -> object:
    dynamic_attr = _dynamic_imports.get(attr_name)
    if dynamic_attr is None:
        return _getattr_migration(attr_name)

    package, module_name = dynamic_attr

    module = import_module(module_name, package=package)
    return getattr(module, attr_name)
'''

# pydantic 2.14.4 pydantic/utils.py (and generics.py, json.py, tools.py, error_wrappers.py alike).
SHIM = '''\
"""The `{name}` module is a backport module from V1."""

from ._migration import getattr_migration

__getattr__ = getattr_migration(__name__)
'''

# pydantic 2.14.4 pydantic/deprecated/tools.py, cut down.
DEPRECATED_TOOLS = '''\
import warnings
from typing_extensions import deprecated

from ..warnings import PydanticDeprecatedSince20

__all__ = 'parse_obj_as', 'schema_of', 'schema_json_of'


@deprecated(
    '`parse_obj_as` is deprecated. Use `pydantic.TypeAdapter.validate_python` instead.',
    category=None,
)
def parse_obj_as(type_, obj, type_name=None):
    warnings.warn(
        '`parse_obj_as` is deprecated. Use `pydantic.TypeAdapter.validate_python` instead.',
        category=PydanticDeprecatedSince20,
        stacklevel=2,
    )
    return obj
'''

FILES = {
    "pydantic/__init__.py": INIT,
    "pydantic/_migration.py": MIGRATION,
    "pydantic/version.py": "VERSION = '2.14.4'\n\n\ndef version_short() -> str:\n    return '2.14'\n",
    "pydantic/warnings.py": '''\
class PydanticDeprecationWarning(DeprecationWarning):
    def __init__(self, message, *args, since, expected_removal=None):
        super().__init__(message, *args)


class PydanticDeprecatedSince20(PydanticDeprecationWarning):
    def __init__(self, message: str, *args: object) -> None:
        super().__init__(message, *args, since=(2, 0), expected_removal=(3, 0))
''',
    "pydantic/errors.py": '''\
from ._migration import getattr_migration


class PydanticImportError(ImportError):
    """An error raised when an import fails due to module changes between V1 and V2."""


__getattr__ = getattr_migration(__name__)
''',
    # pydantic 2.14.4 pydantic/main.py ends with the same line
    "pydantic/main.py": "from ._migration import getattr_migration\n\n\nclass BaseModel:\n    pass\n\n\n"
                        "__getattr__ = getattr_migration(__name__)\n",
    "pydantic/alias_generators.py": "def to_pascal(snake: str) -> str:\n    return snake\n\n\n"
                                    "def to_camel(snake: str) -> str:\n    return snake\n",
    "pydantic/types.py": "class ImportString:\n    pass\n",
    "pydantic/_internal/__init__.py": "",
    "pydantic/_internal/_validators.py": "def import_string(value):\n    return value\n",
    "pydantic/deprecated/__init__.py": "",
    "pydantic/deprecated/tools.py": DEPRECATED_TOOLS,
    "pydantic/deprecated/json.py": "def pydantic_encoder(obj):\n    return obj\n",
    "pydantic/deprecated/decorator.py": "__all__ = ('validate_arguments',)\n\n\ndef validate_arguments(func=None, *, config=None):\n    return func\n",
    "pydantic/v1/__init__.py": "",
    "pydantic/v1/utils.py": "def deep_update(mapping, *updating_mappings):\n    return mapping\n\n\n"
                            "class GetterDict:\n    pass\n",
    # no pydantic/datetime_parse.py: nothing in this library serves its REMOVED_IN_V2 name
    **{f"pydantic/{m}.py": SHIM.format(name=m) for m in ("utils", "generics", "json", "tools", "error_wrappers")},
}


def _row(rows: dict, api: str) -> tuple:
    r = rows[(api, None)]
    return r["kind"], r["replacement"], bool(r["drop_in"]), r["since"], r["removed_in"]


def test_each_table_gives_rows_of_what_its_branch_does(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "pydantic", "2.14.4", FILES), "pydantic")
    # MOVED_IN_V2: warns (PydanticDeprecatedSince20) and hands back the very object the table names
    assert _row(rows, "pydantic.utils.to_camel") == ("function", "pydantic.alias_generators.to_pascal", True, "2.0", None)
    assert rows[("pydantic.utils.to_camel", None)]["message"] == \
        "`pydantic.utils:to_camel` has been moved to `pydantic.alias_generators:to_pascal`."
    assert _row(rows, "pydantic.generics.GenericModel") == ("class", "pydantic.BaseModel", True, "2.0", None)
    assert _row(rows, "pydantic.utils.version_info")[:3] == ("attribute", "pydantic.version.version_info", True)
    # `ValidationError` comes from pydantic_core: its kind is not this library's to say
    assert _row(rows, "pydantic.error_wrappers.ValidationError") == \
        ("attribute", "pydantic.ValidationError", True, "2.0", None)
    # DEPRECATED_MOVED_IN_V2: served silently, the object warns itself; the new home by the public
    # path the library's rows use for that object
    # (and `pydantic.parse_obj_as` is itself deprecated for `TypeAdapter.validate_python`, a call of
    # another shape: the chain's end is the advice, no drop-in)
    assert _row(rows, "pydantic.tools.parse_obj_as") == \
        ("function", "pydantic.TypeAdapter.validate_python", False, "2.0", None)
    assert rows[("pydantic.tools.parse_obj_as", None)]["replacement_via"] == ["pydantic.parse_obj_as"]
    assert _row(rows, "pydantic.validate_arguments") == \
        ("function", "pydantic.deprecated.decorator.validate_arguments", True, "2.0", None)
    assert _row(rows, "pydantic.json.pydantic_encoder")[1] == "pydantic.deprecated.json.pydantic_encoder"
    # REDIRECT_TO_V1 (a dict comprehension of f-strings): pydantic.v1's object, since the category's 2.0
    assert _row(rows, "pydantic.utils.deep_update") == ("function", "pydantic.v1.utils.deep_update", True, "2.0", None)
    assert _row(rows, "pydantic.utils.GetterDict") == ("class", "pydantic.v1.utils.GetterDict", True, "2.0", None)
    # REMOVED_IN_V2 raises: removed in the V2 the table is named for, no replacement
    for api in ("pydantic.ConstrainedInt", "pydantic.Required", "pydantic.errors.BoolError",
                "pydantic.main.validate_model", "pydantic.utils.ClassAttribute"):
        assert _row(rows, api) == ("attribute", None, False, None, "2.0"), api
    assert rows[("pydantic.errors.BoolError", None)]["message"] == "`pydantic.errors:BoolError` has been removed in V2."
    # `== 'pydantic:BaseSettings'` raises too: moved to another distribution, which the scan does not
    # know, so no replacement; removed in the V2 all the wrapper's tables are named for
    assert _row(rows, "pydantic.BaseSettings") == ("attribute", None, False, None, "2.0")
    assert rows[("pydantic.BaseSettings", None)]["message"].startswith(
        "`BaseSettings` has been moved to the `pydantic-settings` package.")


def test_only_names_a_module_getattr_made_by_the_factory_serves(tmp_path: Path) -> None:
    files = dict(FILES)
    # A dict of "module:name" strings that no `__getattr__` reads, and a factory's product bound
    # to another name that no `__getattr__` calls: neither serves anything.
    files["pydantic/_docs_links.py"] = "LINKS = {\n    'pydantic.fields:Field': 'pydantic.fields:FieldInfo',\n}\n"
    files["pydantic/fields.py"] = ("from ._migration import getattr_migration\n\n\nclass FieldInfo:\n    pass\n\n\n"
                                   "_migrate = getattr_migration(__name__)\n")
    # a stub beside a shim (as type checkers are given one): the code's `__getattr__` still serves
    files["pydantic/generics.pyi"] = "def __getattr__(name: str) -> object: ...\n"
    files["pydantic/_migration.py"] = MIGRATION.replace(
        "    'pydantic.utils:ClassAttribute',\n",
        "    'pydantic.utils:ClassAttribute',\n    'pydantic.fields:Undefined',\n    'pydantic.main:BaseModel',\n")
    rows = rows_of(scan_library(tmp_path, "pydantic", "2.14.4", files), "pydantic")
    apis = {api for api, _ in rows}
    assert {"pydantic.utils.to_camel", "pydantic.utils.ClassAttribute", "pydantic.ConstrainedInt",
            "pydantic.generics.GenericModel"} <= apis
    # no module of the library serves it (no pydantic/datetime_parse.py here)
    assert "pydantic.datetime_parse.parse_date" not in apis
    # `pydantic.fields` has no `__getattr__` from the factory; `LINKS` is read by no `__getattr__`
    assert "pydantic.fields.Undefined" not in apis and "pydantic.fields.Field" not in apis
    # `pydantic.main` defines BaseModel itself: its `__getattr__` is never asked for it
    assert "pydantic.main.BaseModel" not in apis and ("pydantic.BaseModel", None) not in rows


# pydantic 2.9.2 pydantic/_migration.py's wrapper, cut down: `in MOVED_IN_V2.keys()`, and plain
# `warnings.warn(msg)` calls (a UserWarning) whose text says the name moved or was removed.
WRAPPER_2_9 = '''\
        import_path = f'{module}:{name}'
        if import_path in MOVED_IN_V2.keys():
            new_location = MOVED_IN_V2[import_path]
            warnings.warn(f'`{import_path}` has been moved to `{new_location}`.')
            return import_string(MOVED_IN_V2[import_path])
        if import_path in DEPRECATED_MOVED_IN_V2:
            # skip the warning here because a deprecation warning will be raised elsewhere
            return import_string(DEPRECATED_MOVED_IN_V2[import_path])
        if import_path in REDIRECT_TO_V1:
            new_location = REDIRECT_TO_V1[import_path]
            warnings.warn(
                f'`{import_path}` has been removed. We are importing from `{new_location}` instead.'
                'See the migration guide for more details: https://docs.pydantic.dev/latest/migration/'
            )
            return import_string(REDIRECT_TO_V1[import_path])
'''


def test_pydantic_2_9_plain_warnings_and_keys_call(tmp_path: Path) -> None:
    start = MIGRATION.index("        import_path = f'{module}:{name}'")
    end = MIGRATION.index("        if import_path == 'pydantic:BaseSettings':")
    files = {**FILES, "pydantic/_migration.py": MIGRATION[:start] + WRAPPER_2_9 + MIGRATION[end:]}
    rows = rows_of(scan_library(tmp_path, "pydantic", "2.9.2", files), "pydantic")
    assert _row(rows, "pydantic.utils.to_camel") == ("function", "pydantic.alias_generators.to_pascal", True, "2.0", None)
    # no category and a table named for no release: the V2 the wrapper's other tables are named for
    assert _row(rows, "pydantic.utils.deep_update") == ("function", "pydantic.v1.utils.deep_update", True, "2.0", None)
    assert _row(rows, "pydantic.ConstrainedInt") == ("attribute", None, False, None, "2.0")


USER = '''\
import pydantic
import pydantic.utils
from pydantic import BaseSettings
from pydantic.generics import GenericModel
from pydantic.utils import to_camel
from pydantic.errors import BoolError


class Model(GenericModel):
    pass


alias = to_camel("snake_case")
merged = pydantic.utils.deep_update({}, {})
pydantic.ConstrainedInt
'''


def test_check_reports_and_fix_rewrites_only_what_is_the_same_object(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "pydantic", "2.14.4", FILES)
    kb.close()
    db, code = tmp_path / "k.db", tmp_path / "user.py"
    code.write_text(USER)
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code == 1, result.output
    found = [(f["line"], f["api"]) for f in json.loads(result.stdout)]
    assert found == [
        (3, "pydantic.BaseSettings"),
        (4, "pydantic.generics.GenericModel"),
        (5, "pydantic.utils.to_camel"),
        (6, "pydantic.errors.BoolError"),
        (9, "pydantic.generics.GenericModel"),
        (13, "pydantic.utils.to_camel"),
        (14, "pydantic.utils.deep_update"),
        (15, "pydantic.ConstrainedInt"),
    ]
    fixed = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert fixed.exit_code in (0, 1), fixed.output
    lines = code.read_text().splitlines()
    # what the old name gives is the new home's object: rewritten
    assert lines[4] == "from pydantic import BaseModel"
    assert lines[5] == "from pydantic.alias_generators import to_pascal"
    assert lines[9] == "class Model(BaseModel):"
    assert lines[13] == 'alias = to_pascal("snake_case")'
    # `pydantic.v1.utils.deep_update` would need a module nothing imports: imported by name instead
    assert lines[1] == "from pydantic.v1.utils import deep_update"
    assert lines[14] == "merged = deep_update({}, {})"
    # removed names have no new home: left as they were
    assert lines[3] == "from pydantic import BaseSettings"
    assert lines[6] == "from pydantic.errors import BoolError"
    assert lines[15] == "pydantic.ConstrainedInt"
