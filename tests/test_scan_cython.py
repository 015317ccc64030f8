"""Cython sources (.pyx) read as Python: pandas' Timestamp and Period, numpy's legacy `np.random`.

The snippets are cut to the shapes of pandas 3.1's `_libs/tslibs/timestamps.pyx` and `period.pyx`
and numpy 2.4's `random/mtrand.pyx` (their declarations, signatures, casts and warnings as written
there), renamed to a test library.
"""
from __future__ import annotations

import json

import tree_sitter_python
from tree_sitter import Language, Parser

from apimigrate.scan.cython_source import python_view
from apimigrate.scan.targets import SourceFile, tree_from_dir
from apimigrate.scan.runner import compiled_sources
from scan_support import index_of, rows_of, scan_library

_PARSER = Parser(Language(tree_sitter_python.language()))

# pandas/_libs/tslibs/timestamps.pyx's shapes
TIMESTAMPS = '''\
# cython: language_level=3
import warnings

cimport cython

import numpy as np

cimport numpy as cnp
from numpy cimport int64_t, ndarray

from cpython.datetime cimport datetime, PyDateTime_IMPORT
from pandas._libs.tslibs.np_datetime cimport (
    NPY_DATETIMEUNIT,
    npy_datetimestruct,
)

cdef extern from "pandas/datetime/date_conversions.h" nogil:
    ctypedef struct pandas_timedeltastruct:
        int64_t days
        int32_t hrs, min
    int64_t npy_datetimestruct_to_datetime(NPY_DATETIMEUNIT base,
                                           const npy_datetimestruct *dts) except? -1

DEF MAX_UNIT = 10

_no_input = object()


cdef inline bint is_timestamp(object obj):
    return isinstance(obj, _Timestamp)


cdef class _Timestamp(ABCTimestamp):

    # higher than np.ndarray and np.matrix
    __array_priority__ = 100

    cdef readonly int64_t _value, nanosecond, year
    cdef:
        object _freq
        NPY_DATETIMEUNIT _creso = NPY_FR_ns

    @property
    def day_of_week(self) -> int:
        return self.weekday()

    @property
    def dayofyear(self) -> int:
        """
        Return the day of the year.

        .. deprecated:: 3.1.0
            Use :attr:`Timestamp.day_of_year` instead.
        """
        warnings.warn(
            "Timestamp.dayofyear is deprecated and will be removed in a future "
            "version. Use Timestamp.day_of_year instead.",
            FutureWarning,
            stacklevel=2,
        )
        return self.day_of_year

    @property
    def day_of_year(self) -> int:
        return self._get_date_name_field("doy")

    @property
    def days_in_month(self) -> int:
        return 31

    cpdef int64_t _maybe_convert_value_to_local(self) except? -1:
        cdef:
            int64_t val = self._value
        return <int64_t>val

    cdef int64_t _get_date_name_field(self, str field, object locale=None):
        cdef:
            int64_t val
            ndarray[object] out
        out = get_date_name_field(np.array([val], dtype=np.int64), field, locale=locale,
                                  reso=self._creso)
        return out[0]

    def _compare(self, _Timestamp other not None, int op) -> bool:
        return cmp_dtstructs(&self.dts, &other.dts, op) and <bint>(self._value < other._value)


class Timestamp(_Timestamp):

    @classmethod
    def utcnow(cls):
        """
        Timestamp.utcnow()

        Return a new Timestamp representing UTC day and time.

        .. deprecated:: 3.0.0
            ``Timestamp.utcnow`` is deprecated and will be removed in a future
            version. Use ``Timestamp.now('UTC')`` instead.
        """
        warnings.warn(
            "Timestamp.utcnow is deprecated and will be removed in a future "
            "version. Use Timestamp.now('UTC') instead.",
            FutureWarning,
            stacklevel=2,
        )
        return cls.now(UTC)

    @classmethod
    def now(cls, tz=None):
        return cls(datetime.now(tz))

    def strftime(self, format):
        """
        Return a formatted string of the Timestamp.

        .. deprecated:: 3.1.0
            The ``%n`` directive for nanoseconds is deprecated; use ``%N`` instead.
        """
        return _strftime(self, format)

    def __new__(
        cls,
        object ts_input=_no_input,
        year=None,
        int64_t nanosecond=0,
        *,
        fold=None,
    ):
        cdef _TSObject ts
        if nanosecond > 999 or sizeof(int64_t) < 8:
            raise ValueError("nanosecond must be in 0..999")
        return create_timestamp_from_ts(ts.value, ts.dts, ts.tzinfo, ts.fold, reso=ts.creso)



def _daysinmonth_fget(self):
    """
    Return the number of days in the month.

    .. deprecated:: 3.1.0
        Use :attr:`Timestamp.days_in_month` instead.
    """
    from pandas.errors import Pandas4Warning

    warnings.warn(
        "Timestamp.daysinmonth is deprecated and will be removed in a "
        "future version. Use Timestamp.days_in_month instead.",
        Pandas4Warning,
        stacklevel=find_stack_level(),
    )
    return self.days_in_month


Timestamp.daysinmonth = property(_daysinmonth_fget)
Timestamp.weekofyear = Timestamp.week
cdef class _Timedelta(timedelta):
    cdef readonly int64_t _value


class Timedelta(_Timedelta):
    """
    Represents a duration, the difference between two dates or times.

    Parameters
    ----------
    value : Timedelta, timedelta, np.timedelta64, str, int or float
        Input value.
    unit : str, default 'ns'
        If input is an integer, denote the unit of the input.

        .. deprecated:: 3.0.0

            Allowing the values `w`, `d`, `MIN`, `MS`, `US` and `NS` to denote units
            are deprecated in favour of the values `W`, `D`, `min`, `ms`, `us` and `ns`.
    """

    def __new__(cls, object value=_no_input, unit=None, **kwargs):
        cdef _Timedelta td_base
        return td_base
'''

# numpy/random/mtrand.pyx's shapes
MTRAND = '''\
#!python
#cython: wraparound=False, nonecheck=False, boundscheck=False, cdivision=True, language_level=3
import warnings

import numpy as np

cimport cython
cimport numpy as np
from libc.stdint cimport int64_t

cdef class RandomState:

    cdef public object _bit_generator
    cdef bitgen_t _bitgen
    cdef object lock

    def __init__(self, seed=None):
        self._bit_generator = seed

    def randint(self, low, high=None, size=None, dtype=int):
        """Return random integers from `low` (inclusive) to `high` (exclusive)."""
        cdef int64_t n = 0
        return _rand_int64(low, high, size, <bitgen_t*>&self._bitgen, self.lock)

    def random_integers(self, low, high=None, size=None):
        """
        random_integers(low, high=None, size=None)

        Random integers of type `numpy.int_` between `low` and `high`, inclusive.

        This function has been deprecated. Use randint instead.

        .. deprecated:: 1.11.0
        """
        if high is None:
            warnings.warn(("This function is deprecated. Please call "
                           f"randint(1, {low} + 1) instead"),
                          DeprecationWarning)
            high = low
            low = 1

        else:
            warnings.warn(("This function is deprecated. Please call "
                           f"randint({low}, {high} + 1) instead"),
                          DeprecationWarning)

        return self.randint(low, int(high) + 1, size=size, dtype='l')


_rand = RandomState()

randint = _rand.randint
random_integers = _rand.random_integers

__all__ = ["RandomState", "randint", "random_integers"]
'''


def test_the_python_view_parses_and_keeps_every_line_where_it_was() -> None:
    for source in (TIMESTAMPS, MTRAND):
        view = python_view(source)
        assert view.count("\n") == source.count("\n")
        assert not _PARSER.parse(view.encode()).root_node.has_error, view
        for i, (old, new) in enumerate(zip(source.splitlines(), view.splitlines()), 1):
            # the Python a .pyx already is stays as written: docstrings, warnings, messages
            if "warnings.warn(" in old or "deprecated" in old or old.lstrip().startswith('"'):
                assert new == old, i


def test_cython_declarations_become_the_python_they_stand_for() -> None:
    view = dict(zip(TIMESTAMPS.splitlines(), python_view(TIMESTAMPS).splitlines()))
    assert view["cdef class _Timestamp(ABCTimestamp):"] == "class _Timestamp(ABCTimestamp):"
    assert view["cimport numpy as cnp"] == "pass"
    assert view["from numpy cimport int64_t, ndarray"] == "pass"
    assert view["DEF MAX_UNIT = 10"] == "pass"
    assert view['cdef extern from "pandas/datetime/date_conversions.h" nogil:'] == "if 1:"
    assert view["    ctypedef struct pandas_timedeltastruct:"] == "    if 1:"
    assert view["        int32_t hrs, min"] == "        pass"
    assert view["cdef inline bint is_timestamp(object obj):"] == "def is_timestamp(obj):"
    assert view["    cdef readonly int64_t _value, nanosecond, year"] == "    pass"
    assert view["        NPY_DATETIMEUNIT _creso = NPY_FR_ns"] == "        _creso = NPY_FR_ns"
    assert view["    cpdef int64_t _maybe_convert_value_to_local(self) except? -1:"] \
        == "    def _maybe_convert_value_to_local(self):"
    assert view["        return <int64_t>val"] == "        return          val"
    assert view["    def _compare(self, _Timestamp other not None, int op) -> bool:"] \
        == "    def _compare(self, other, op) -> bool:"
    assert view["        return cmp_dtstructs(&self.dts, &other.dts, op) and <bint>(self._value < other._value)"] \
        == "        return cmp_dtstructs( self.dts,  other.dts, op) and       (self._value < other._value)"
    # a signature over several lines is one line at its first; the rest are left empty
    view_lines = python_view(TIMESTAMPS).splitlines()
    new_at = TIMESTAMPS.splitlines().index("    def __new__(")
    assert view_lines[new_at] == "    def __new__(cls, ts_input=_no_input, year=None, nanosecond=0, *, fold=None):"
    assert view_lines[new_at + 1:new_at + 8] == [""] * 7
    assert "sizeof(0      )" in python_view(TIMESTAMPS)


def test_c_syntax_inside_expressions_is_blanked_not_mistaken() -> None:
    source = ("x = a < b and c > d\n"
              "y = <object>(<PyObject**>ptr)[0]\n"
              "flags &= <uint8_t>(~(1 << (row & 7)))\n"
              "z = 0xFF00U | 1UL\n"
              "v = new vector[int]()\n"
              "dts.ps = dts.as = 0\n"
              "for i from 0 <= i < n:\n"
              "    pass\n"
              "<void>PyArray_SetBaseObject(arr, base)\n"
              "arr = f(x)\n"
              "<void>PyArray_SetBaseObject(arr, base)\n")
    view = python_view(source).splitlines()
    assert view[0] == "x = a < b and c > d"              # comparisons are no casts
    assert view[1] == "y = " + " " * len("<object>") + "(" + " " * len("<PyObject**>") + "ptr)[0]"
    assert view[2] == "flags &= " + " " * len("<uint8_t>") + "(~(1 << (row & 7)))"
    assert view[3] == "z = 0xFF00  | 1  "
    assert view[4] == "v =     vector[int]()"
    assert view[5] == "dts.ps = dts._s = 0"
    assert view[6] == "for i in range(1):"
    assert view[8] == view[10] == " " * len("<void>") + "PyArray_SetBaseObject(arr, base)"   # opening a statement
    assert not _PARSER.parse(python_view(source).encode()).root_node.has_error


def test_a_checkout_with_cython_modules_is_scanned_as_its_python(tmp_path) -> None:
    kb = scan_library(tmp_path, "tinytime", "3.1.0", {
        "tinytime/__init__.py": ("from tinytime._libs.timestamps import Timedelta, Timestamp\n"
                                 "from tinytime.mtrand import randint, random_integers, RandomState\n"
                                 "__all__ = ['Timedelta', 'Timestamp', 'randint', 'random_integers', 'RandomState']\n"),
        "tinytime/_libs/__init__.py": "",
        "tinytime/_libs/timestamps.pyx": TIMESTAMPS,
        # the stub the wheel ships beside the compiled module (pandas' timestamps.pyi): it types `now()`
        "tinytime/_libs/timestamps.pyi": ("from datetime import datetime\nfrom typing import Self\n\n"
                                          "class Timestamp(datetime):\n    @classmethod\n"
                                          "    def now(cls, tz: object = ...) -> Self: ...\n"
                                          "    @property\n    def dayofyear(self) -> int: ...\n"),
        "tinytime/mtrand.pyx": MTRAND,
    })
    rows = rows_of(kb, "tinytime")
    utcnow = rows[("tinytime.Timestamp.utcnow", None)]
    assert (utcnow["kind"], utcnow["since"], utcnow["replacement"]) == ("method", "3.0.0", "tinytime.Timestamp.now")
    at = TIMESTAMPS.splitlines().index("        warnings.warn(", TIMESTAMPS.splitlines().index("    def utcnow(cls):")) + 1
    assert {(e["path"], e["line"]) for e in kb.evidence_for(utcnow["id"]) if e["kind"] == "warning"} \
        == {("tinytime/_libs/timestamps.pyx", at)}
    # a property of the private cdef base, its replacement a property Timestamp inherits from it
    dayofyear = rows[("tinytime.Timestamp.dayofyear", None)]
    assert (dayofyear["kind"], dayofyear["since"], dayofyear["replacement"]) \
        == ("attribute", "3.1.0", "tinytime.Timestamp.day_of_year")
    # numpy's legacy functions: the module's instance's methods, deprecated with them
    for api, replacement in (("tinytime.RandomState.random_integers", "tinytime.RandomState.randint"),
                             ("tinytime.random_integers", "tinytime.randint")):
        row = rows[(api, None)]
        assert (row["since"], row["replacement"], row["drop_in"]) == ("1.11.0", replacement, 0), api
    # both branches of `if high is None:` warn: the function is deprecated, not leaving `high` out
    assert not [key for key in rows if key[1] == "high"]
    assert ("tinytime.randint", None) not in rows and ("tinytime.Timestamp.now", None) not in rows
    # a member given to the class after it, made of a deprecated module-level def
    daysinmonth = rows[("tinytime.Timestamp.daysinmonth", None)]
    assert (daysinmonth["kind"], daysinmonth["since"], daysinmonth["replacement"]) \
        == ("attribute", "3.1.0", "tinytime.Timestamp.days_in_month")
    # a value the method is given ("The ``%n`` directive ... is deprecated"), not the method
    assert ("tinytime.Timestamp.strftime", None) not in rows
    # some units, each with its own new spelling, not the `unit` keyword
    unit = rows[("tinytime.Timedelta", "unit")]
    assert (unit["usage"], json.loads(unit["param_values"])) == ("value", ["'MIN'", "'MS'", "'NS'", "'US'", "'d'", "'w'"])
    assert json.loads(unit["new_values"])["'d'"] == "'D'"
    kb.close()

    from apimigrate.callsites import find_references
    src = ("import tinytime as tt\n"
           "a = tt.Timestamp.utcnow()\n"
           "b = tt.Timestamp.now().dayofyear\n"
           "c = tt.random_integers(1, 6)\n"
           "d = tt.RandomState(0).random_integers(5)\n"
           "e = tt.randint(1, 7) + tt.Timestamp.now().day_of_year\n"
           "f = tt.Timedelta(1, unit='d') + tt.Timedelta(1, unit='s')\n"
           "g = tt.Timestamp.now().daysinmonth\n")
    found = [(r.line + 1, r.api) for r in find_references(src, index_of(tmp_path / "k.db"))]
    assert found == [(2, "tinytime.Timestamp.utcnow"), (3, "tinytime.Timestamp.dayofyear"),
                     (4, "tinytime.random_integers"), (5, "tinytime.RandomState.random_integers"),
                     (7, "tinytime.Timedelta"), (8, "tinytime.Timestamp.daysinmonth")]


def test_a_pure_python_twin_is_read_rather_than_its_cython(tmp_path) -> None:
    root = tmp_path / "src"
    for rel, text in {"pyproject.toml": '[project]\nname = "twin"\nversion = "1.0"\n',
                      "twin/__init__.py": "", "twin/fast.py": "def f():\n    pass\n",
                      "twin/fast.pyx": "cdef int f():\n    return 0\n",
                      "twin/only.pyx": "def g():\n    pass\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    tree = tree_from_dir(root, library="twin", version="1.0", packages=["twin"], source_kind="path", source_ref="")
    assert sorted(f.rel for f in tree.files) == ["twin/__init__.py", "twin/fast.py", "twin/only.pyx"]


def test_the_sdist_gives_the_cython_of_the_modules_a_wheel_has_compiled(tmp_path) -> None:
    wheel, sdist = tmp_path / "wheel", tmp_path / "sdist"
    for root, files in ((wheel, {"lib/__init__.py": "", "lib/_speed.cpython-311-x86_64-linux-gnu.so": "",
                                 "lib/_speed.pyi": "def f() -> int: ...\n", "lib/plain.py": ""}),
                        (sdist, {"lib/__init__.py": "", "lib/_speed.pyx": "def f():\n    return 1\n",
                                 "lib/plain.py": "", "lib/_unbuilt.pyx": "def g():\n    pass\n",
                                 "lib/tests/test_speed.pyx": "def test():\n    pass\n"})):
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    built = tree_from_dir(wheel, library="lib", version="1", packages=["lib"], source_kind="pinned", source_ref="")
    assert built.compiled == {"lib._speed"}
    unpacked = tree_from_dir(sdist, library="lib", version="1", packages=["lib"], source_kind="pinned", source_ref="")
    got = compiled_sources(built, unpacked)
    assert [(f.rel, f.module) for f in got] == [("lib/_speed.pyx", "lib._speed")]
    assert all(isinstance(f, SourceFile) and f.is_cython for f in got)


def test_compile_time_blocks_includes_old_properties_and_async_defs() -> None:
    """Cython shapes the libraries' own files use less often: `include` (pandas' hashtable), the old
    `property name:` block of `__get__` (scipy's `_ckdtree.pyx`), compile-time `IF`/`ELSE`, and a typed
    `async def`."""
    source = ('include "hashtable_class_helper.pxi"\n'
              "IF UNAME_SYSNAME == 'Windows':\n"
              "    sep = '\\\\'\n"
              "ELSE:\n"
              "    sep = '/'\n"
              "cdef class cKDTree:\n"
              "    property n:\n"
              "        def __get__(self):\n"
              "            return self._n\n"
              "async def fetch(object session, int retries=3):\n"
              "    return session\n")
    view = python_view(source).splitlines()
    assert view[0] == "pass"
    assert (view[1], view[3]) == ("if UNAME_SYSNAME == 'Windows':", "else:")
    assert (view[5], view[6]) == ("class cKDTree:", "    if 1:")
    assert view[9] == "async def fetch(session, retries=3):"
    assert not _PARSER.parse(python_view(source).encode()).root_node.has_error
