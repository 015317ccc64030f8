"""A deprecated value warned of in a method reaches the members other classes make of it.

The library below is cut to the shapes of pandas 2.2 and 3.1: `TimelikeOps.floor(freq)` passes
`freq` to `to_offset`, which warns of the aliases in its table; `DatetimeArray` inherits it and lists
its methods in class attributes (`_datetimelike_methods`, `_datetimelike_ops = _field_ops + ...`);
pandas 2.2's `DatetimeIndex` gets them from `@inherit_names(<those lists, concatenated and filtered>,
DatetimeArray)`; 3.1's `TimedeltaIndex` writes `self._data.floor(freq)` with `_data: TimedeltaArray`
annotated in its class body; the `.dt` accessor's `DatetimeProperties` gets them from
`@delegate_names(delegate=DatetimeArray, accessors=[*DatetimeArray._datetimelike_methods, "as_unit"])`
and `Series.dt` is a descriptor handing out its subclass. `timedelta_range` fills in a default
for `freq=None` before passing `freq` on, and `to_period` converts an offset object first: a
string passes on as given.
"""
from __future__ import annotations

import json

import pytest

from apimigrate.callsites import find_references
from scan_support import index_of, param_values, scanned_db

OFFSETS = '''\
import warnings

_DEPR = {"H": "h", "T": "min"}


def to_offset(freq):
    if freq in _DEPR:
        warnings.warn(f"{freq!r} is deprecated, use {_DEPR.get(freq)!r} instead", FutureWarning)
        freq = _DEPR[freq]
    return freq
'''

DATETIMELIKE = '''\
from tinyframe._libs.offsets import to_offset


class TimelikeOps:
    def _round(self, freq, mode):
        freq = to_offset(freq)
        return self

    def floor(self, freq, ambiguous="raise"):
        return self._round(freq, 0)

    def round(self, freq, ambiguous="raise"):
        return self._round(freq, 1)

    def tz_localize(self, tz, freq=None):
        return to_offset(freq)

    def as_unit(self, unit):
        return to_offset(unit)

    def to_period(self, freq=None):
        if freq is None:
            if self.freq is not None:
                freq = self.freq
        if isinstance(freq, BaseOffset):
            freq = freq.name
        return to_offset(freq)

    def snap(self, freq=None):
        if isinstance(freq, (str, BaseOffset)):
            freq = freq.upper()
        return to_offset(freq)


class BaseOffset:
    name = "D"
'''

ARRAYS = '''\
from tinyframe.core.arrays import datetimelike as dtl


class DatetimeArray(dtl.TimelikeOps):
    _field_ops: list[str] = ["year", "month"]
    _bool_ops: list[str] = ["is_leap_year"]
    _datetimelike_ops: list[str] = _field_ops + _bool_ops + ["unit", "tz"]
    _datetimelike_methods: list[str] = ["floor", "round", "tz_localize"]


class TimedeltaArray(dtl.TimelikeOps):
    _datetimelike_methods: list[str] = ["floor", "round"]
'''

INDEXES = '''\
from tinyframe.core.arrays.datetimes import DatetimeArray, TimedeltaArray


def inherit_names(names, delegate, cache=False, wrap=False):
    def wrapper(cls):
        for name in names:
            setattr(cls, name, _inherit_from_data(name, delegate))
        return cls
    return wrapper


@inherit_names(
    DatetimeArray._field_ops
    + [
        method
        for method in DatetimeArray._datetimelike_methods
        if method not in ("tz_localize", "tz_convert")
    ],
    DatetimeArray,
    wrap=True,
)
class DatetimeIndex:
    _data: DatetimeArray


class TimedeltaIndex:
    _data: TimedeltaArray

    def floor(self, freq, ambiguous="raise"):
        arr = self._data.floor(freq, ambiguous)
        return type(self)(arr)

    def ceil(self, freq):
        return self._data.floor(freq.strip())


def timedelta_range(start=None, periods=None, freq=None):
    if freq is None and periods is None:
        freq = "D"
    freq = to_offset(freq)
    return TimedeltaIndex()


from tinyframe._libs.offsets import to_offset
'''

ACCESSORS = '''\
from tinyframe.core.arrays.datetimes import DatetimeArray, TimedeltaArray


def delegate_names(delegate, accessors, typ, accessor_mapping=lambda x: x):
    def add_delegate_accessors(cls):
        for name in accessors:
            setattr(cls, name, getattr(delegate, accessor_mapping(name)))
        return cls
    return add_delegate_accessors


class Properties:
    def __init__(self, data):
        self._parent = data


@delegate_names(
    delegate=DatetimeArray,
    accessors=[*DatetimeArray._datetimelike_methods, "as_unit"],
    typ="method",
)
class DatetimeProperties(Properties):
    pass


@delegate_names(
    delegate=TimedeltaArray,
    accessors=TimedeltaArray._datetimelike_methods,
    typ="method",
    accessor_mapping=lambda x: f"_dt_{x}",
)
class ArrowTemporalProperties(Properties):
    pass


class CombinedDatetimelikeProperties(DatetimeProperties):
    pass
'''

SERIES = '''\
from tinyframe.core.indexes.accessors import CombinedDatetimelikeProperties


class Accessor:
    def __init__(self, name, accessor):
        self._name, self._accessor = name, accessor

    def __get__(self, obj, cls):
        return self._accessor(obj)


class Series:
    dt = Accessor("dt", CombinedDatetimelikeProperties)

    def __init__(self, data=None):
        self._values = data
'''

INIT = '''\
from tinyframe._libs.offsets import to_offset
from tinyframe.core.indexes.datetimes import DatetimeIndex, TimedeltaIndex, timedelta_range
from tinyframe.core.series import Series

__all__ = ["to_offset", "DatetimeIndex", "TimedeltaIndex", "timedelta_range", "Series"]
'''

FILES = {
    "tinyframe/__init__.py": INIT,
    "tinyframe/_libs/__init__.py": "",
    "tinyframe/_libs/offsets.py": OFFSETS,
    "tinyframe/core/__init__.py": "",
    "tinyframe/core/arrays/__init__.py": "",
    "tinyframe/core/arrays/datetimelike.py": DATETIMELIKE,
    "tinyframe/core/arrays/datetimes.py": ARRAYS,
    "tinyframe/core/indexes/__init__.py": "",
    "tinyframe/core/indexes/datetimes.py": INDEXES,
    "tinyframe/core/indexes/accessors.py": ACCESSORS,
    "tinyframe/core/series.py": SERIES,
}

ACCESSOR_ROWS = "tinyframe.core.indexes.accessors"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return scanned_db(tmp_path_factory.mktemp("delegated"), "tinyframe", "3.1.0", FILES)


def test_an_inherited_method_warns_where_its_base_passes_the_value_on(scanned):
    _, rows = scanned
    assert param_values(rows[("tinyframe.core.arrays.datetimelike.TimelikeOps.floor", "freq")]) == {"'H'", "'T'"}


def test_inherit_names_members_warn_as_the_delegate_s_own(scanned):
    _, rows = scanned
    floor = rows[("tinyframe.DatetimeIndex.floor", "freq")]
    assert param_values(floor) == {"'H'", "'T'"} and floor["position"] == 0
    assert json.loads(floor["new_values"])["'H'"] == "'h'"
    assert ("tinyframe.DatetimeIndex.round", "freq") in rows
    # the comprehension filters tz_localize out of the names DatetimeIndex is given
    assert not any(api == "tinyframe.DatetimeIndex.tz_localize" for api, _ in rows)


def test_delegate_names_members_warn_on_the_accessor_and_a_mapping_of_names_delegates_nothing(scanned):
    _, rows = scanned
    # `[*DatetimeArray._datetimelike_methods, "as_unit"]`: the spread list and the literal
    assert param_values(rows[(f"{ACCESSOR_ROWS}.DatetimeProperties.floor", "freq")]) == {"'H'", "'T'"}
    assert (f"{ACCESSOR_ROWS}.DatetimeProperties.tz_localize", "freq") in rows
    assert rows[(f"{ACCESSOR_ROWS}.DatetimeProperties.as_unit", "unit")]["position"] == 0
    assert not any(".ArrowTemporalProperties." in api for api, _ in rows)


def test_a_call_through_an_annotated_attribute_reaches_the_attribute_s_class(scanned):
    _, rows = scanned
    assert param_values(rows[("tinyframe.TimedeltaIndex.floor", "freq")]) == {"'H'", "'T'"}
    assert ("tinyframe.TimedeltaIndex.ceil", "freq") not in rows        # `freq.strip()` is computed


def test_a_default_filled_in_for_none_still_passes_the_given_value_on(scanned):
    _, rows = scanned
    row = rows[("tinyframe.timedelta_range", "freq")]
    assert param_values(row) == {"'H'", "'T'"} and not row["conditional"]
    # rebound only under `if freq is None:` (nested) and `if isinstance(freq, BaseOffset):`
    assert param_values(rows[("tinyframe.core.arrays.datetimelike.TimelikeOps.to_period", "freq")]) == {"'H'", "'T'"}
    # a test that lets strings in rebinds them to something computed
    assert ("tinyframe.core.arrays.datetimelike.TimelikeOps.snap", "freq") not in rows


CALLS = '''\
import tinyframe as tf

s = tf.Series()
a = s.dt.floor("H")
b = tf.DatetimeIndex().round(freq="T")
c = tf.TimedeltaIndex().floor("H")
d = tf.timedelta_range("1 day", periods=3, freq="H")
e = s.dt.floor("h")


def bucket(x):
    return x.dt.round("T")
'''


def test_check_flags_the_aliases_users_pass_to_the_delegated_members(scanned):
    db, _ = scanned
    found = [r for r in find_references(CALLS, index_of(db)) if r.parameter]
    assert sorted((f.line + 1, f.value) for f in found) == [(4, "'H'"), (5, "'T'"), (6, "'H'"), (7, "'H'"),
                                                            (12, "'T'")]
    fixes = {f.line + 1: f.rewrite for f in found}
    assert [e.new_text for e in fixes[4].edits] == ['"h"']
    # whatever `x` is, a library value's `.dt` is the accessor: its positions hold, but the finding
    # stays one by name, which fix leaves alone
    by_name = next(f for f in found if f.line + 1 == 12)
    assert by_name.by_name and fixes[12] is None
