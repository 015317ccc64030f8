"""Deprecated members inherited by the user's own subclasses of library classes.

Found by the audit of `scan` on other libraries: with pydantic 2.14 scanned, `m = M(xs=[1]);
m.dict()` and `M.parse_obj(data)`, `M` the user's `class M(BaseModel)`, went unreported: `dict`
is also pydantic.v1's live method (and `copy` Python's own), so they are matched only on a
receiver of a known class, and the file's own class was no known class. The library below has the shape of pydantic's
`BaseModel` (pydantic/main.py: a metaclass, `model_config` as a ClassVar, the v1 methods
warning and, for `json`, also under `typing_extensions.deprecated`).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.cli.main import app
from scan_support import index_of, scan_library

MAIN = '''\
import warnings
from typing import Any, ClassVar, Dict

import typing_extensions
from typing_extensions import Self


class ModelMetaclass(type):
    pass


class BaseModel(metaclass=ModelMetaclass):
    model_config: ClassVar[dict] = {}

    def model_dump(self, *, include=None, exclude=None) -> Dict[str, Any]:
        return {}

    def model_dump_json(self, *, indent=None) -> str:
        return ""

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        return cls()

    def model_copy(self, *, update=None, deep=False) -> Self:
        return self

    def dict(  # noqa: D102
        self,
        *,
        include=None,
        exclude=None,
    ) -> Dict[str, Any]:  # noqa UP006
        warnings.warn(
            'The `dict` method is deprecated; use `model_dump` instead.',
            category=DeprecationWarning,
            stacklevel=2,
        )
        return self.model_dump(include=include, exclude=exclude)

    @typing_extensions.deprecated('The `json` method is deprecated; use `model_dump_json` instead.', category=None)
    def json(self, *, indent=None) -> str:  # noqa: D102
        warnings.warn(
            'The `json` method is deprecated; use `model_dump_json` instead.',
            category=DeprecationWarning,
            stacklevel=2,
        )
        return self.model_dump_json(indent=indent)

    @classmethod
    def parse_obj(cls, obj: Any) -> Self:  # noqa: D102
        warnings.warn(
            'The `parse_obj` method is deprecated; use `model_validate` instead.',
            category=DeprecationWarning,
            stacklevel=2,
        )
        return cls.model_validate(obj)

    def copy(self, *, update=None, deep=False) -> Self:  # noqa: D102
        warnings.warn(
            'The `copy` method is deprecated; use `model_copy` instead. '
            'See the docstring of `BaseModel.copy` for details about how to handle `include` and `exclude`.',
            category=DeprecationWarning,
            stacklevel=2,
        )
        return self.model_copy(update=update, deep=deep)
'''

# pydantic.v1 keeps the v1 methods live (pydantic/v1/main.py): by name alone, `x.dict()` may be either.
V1_MAIN = '''\
class BaseModel:
    def dict(self, *, include=None, exclude=None):
        return {}

    def json(self, *, indent=None):
        return ""

    @classmethod
    def parse_obj(cls, obj):
        return cls()

    def copy(self, *, update=None, deep=False):
        return self
'''

FILES = {"modelkit/__init__.py": "from .main import BaseModel\n\n__all__ = ['BaseModel']\n",
         "modelkit/main.py": MAIN,
         "modelkit/v1/__init__.py": "from .main import BaseModel\n\n__all__ = ['BaseModel']\n",
         "modelkit/v1/main.py": V1_MAIN}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("modelkit")
    kb = scan_library(tmp, "modelkit", "2.14.0", FILES)
    kb.close()
    return tmp / "k.db"


@pytest.fixture(scope="module")
def index(db) -> DeprecationIndex:
    return index_of(db)


def found(src: str, index: DeprecationIndex) -> list[tuple[int, str]]:
    return sorted((r.line, r.api) for r in find_references(src, index))


HEAD = "from typing import Generic, TypeVar\nfrom modelkit import BaseModel\nT = TypeVar('T')\n"
DICT = "modelkit.BaseModel.dict"


def test_the_scanned_rows_are_the_ones_these_tests_rest_on(db):
    from apimigrate.db import open_db
    kb = open_db(db)
    try:
        rows = {r["api"]: r for r in kb.deprecations(["modelkit"])}
    finally:
        kb.close()
    assert rows[DICT]["replacement"] == "modelkit.BaseModel.model_dump"
    assert {"modelkit.BaseModel.parse_obj", "modelkit.BaseModel.json", "modelkit.BaseModel.copy"} <= set(rows)


def test_values_of_an_own_subclass_are_values_of_the_library_class(index):
    src = HEAD + (
        "class M(BaseModel):\n"                                  # 3
        "    model_config = {'frozen': True}\n"                  # overriding a live member is fine
        "    xs: list[int] = []\n"
        "    def total(self):\n"
        "        return sum(self.dict()['xs'])\n"                # 7: self
        "class N(M, Generic[T]):\n"                              # through the file's own base
        "    pass\n"
        "m = M(xs=[1])\n"
        "m.dict()\n"                                             # 11: a built local
        "M.parse_obj({'xs': [1]})\n"                             # 12: the class itself
        "M.parse_obj({}).copy()\n"                               # 13: what it returns (Self)
        "N().json()\n"                                           # 14
        "def f(u: M | None):\n"
        "    return u.dict()\n"                                  # 16: annotated
        "def g():\n"
        "    class Local(BaseModel):\n"
        "        a: int\n"
        "    return Local(a=1).dict()\n"                          # 20: a class of the function
    )
    assert found(src, index) == [(7, DICT), (11, DICT), (12, "modelkit.BaseModel.parse_obj"),
                                 (13, "modelkit.BaseModel.copy"), (13, "modelkit.BaseModel.parse_obj"),
                                 (14, "modelkit.BaseModel.json"), (16, DICT), (20, DICT)]


def test_an_override_or_an_unreadable_base_stands_for_no_library_class(index):
    src = HEAD + "from helpers import Mixin\n" + (
        "class Own(BaseModel):\n"                                # 4
        "    def dict(self):\n"                                  # overrides the deprecated member
        "        return {}\n"
        "class Child(Own):\n"
        "    pass\n"
        "class Copying(BaseModel):\n"
        "    copy = None\n"                                      # an attribute hides it too
        "class Mixed(Mixin, BaseModel):\n"                        # Mixin may define dict()
        "    pass\n"
        "class Made(make_base()):\n"
        "    pass\n"
        "class Plain:\n"
        "    @staticmethod\n"
        "    def build(obj):\n"
        "        return obj.dict()\n"                            # 18: no self
        "Own().dict()\n"
        "o = Own()\n"
        "o.dict()\n"
        "Child().dict()\n"
        "Copying().copy()\n"
        "Mixed().dict()\n"
        "Made().dict()\n"
        "Plain().dict()\n"
    )
    # Own's other members are not known either: its `dict` may be called by what it inherits.
    assert found(src + "Own().json()\n", index) == []


def test_super_in_an_override_is_the_library_class(index):
    """pydantic v1 code overrides `dict()` to change its defaults and calls the deprecated one."""
    src = HEAD + (
        "class M(BaseModel):\n"
        "    def dict(self, **kw):\n"
        "        kw.setdefault('by_alias', True)\n"
        "        return super().dict(**kw)\n"                    # 6
        "    def json(self, **kw):\n"
        "        return super(M, self).json(**kw)\n"             # 8
        "    def later(self):\n"
        "        def inner():\n"
        "            return super().dict()\n"                    # 11: no method's own super()
        "        return inner\n"
        "    def other(self):\n"
        "        return super(Other, self).dict()\n"             # 14: another class's
        "class Plain:\n"
        "    def dict(self):\n"
        "        return super().dict()\n"                        # 17: object's
    )
    assert found(src, index) == [(6, DICT), (8, "modelkit.BaseModel.json")]


def test_a_name_bound_otherwise_is_not_the_class(index):
    src = HEAD + (
        "class M(BaseModel):\n"
        "    pass\n"
        "def f(M):\n"
        "    return M.dict()\n"              # 6: a parameter named like the class
        "def g():\n"
        "    M = make()\n"
        "    return M.dict()\n"              # 9
    )
    assert found(src, index) == []


def test_fix_rewrites_the_inherited_member(db, tmp_path):
    code = tmp_path / "app.py"
    code.write_text("from modelkit import BaseModel\n\n\nclass User(BaseModel):\n    name: str = ''\n\n\n"
                    "def dump(user: User):\n    return user.dict()\n\n\nUser.parse_obj({}).dict()\n")
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db)])
    assert result.exit_code == 0, result.output
    text = code.read_text()
    assert "return user.model_dump()\n" in text
    assert "User.model_validate({}).model_dump()\n" in text
