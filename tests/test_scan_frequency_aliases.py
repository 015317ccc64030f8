"""Deprecated values kept in tables and warned of deep in a library: pandas' frequency aliases.

The library below is cut to the shapes of pandas 2.2 and 3.1 (`_libs/tslibs/dtypes.pyx`,
`offsets.pyx`, `timestamps.pyx`, `core/resample.py`, `core/generic.py`, `core/indexes/datetimes.py`):
the alias tables live in one Cython module and are cimported by another, `to_offset` tests a piece
of the string it is given against them (`name.upper() in c_OFFSET_DEPR_FREQSTR`, a count before the
name), or hands the piece to a helper that looks it up (`replacement = TABLE.get(name)`), and users
reach it through `date_range(freq=)`, `Timestamp.floor(freq)` and `DataFrame.resample(rule)`, each
passing its argument down, and `Grouper(freq=)`, whose `__new__` makes a `TimeGrouper` when a `freq`
is given. `Period(freq="M")` passes `is_period=True`: a month, not an alias.
"""
from __future__ import annotations

import json

import pytest

from apimigrate.callsites import find_references
from scan_support import index_of, param_values, scan_library, scanned_db

DTYPES = '''\
cdef dict c_OFFSET_DEPR_FREQSTR = {
    "M": "ME",
    "Q-DEC": "QE-DEC",
    "Y": "YE",
}

cdef dict c_DEPR_ABBREVS = {
    "H": "h",
    "T": "min",
    "t": "min",
    "A": "Y",
}

cdef dict c_PERIOD_AND_OFFSET_DEPR_FREQSTR = {
    "d": "D",
    "w": "W",
    "us": (Micro, 1),
}
'''

OFFSETS = '''\
import re
import warnings

from tinyseries._libs.dtypes cimport (
    c_DEPR_ABBREVS,
    c_OFFSET_DEPR_FREQSTR,
    c_PERIOD_AND_OFFSET_DEPR_FREQSTR,
)

opattern = re.compile(
    r"([+\\-]?\\d*|[+\\-]?\\d*\\.\\d*)\\s*([A-Za-z]+([\\-][\\dA-Za-z\\-]+)?)"
)

_lite_rule_alias = {"Min": "min", "min": "min"}


cdef str _warn_about_deprecated_aliases(str name, bint is_period):
    cdef:
        str replacement

    replacement = c_PERIOD_AND_OFFSET_DEPR_FREQSTR.get(name)
    if replacement is not None:
        warnings.warn(
            f"\\'{name}\\' is deprecated and will be removed "
            f"in a future version, please use \\'{replacement}\\' instead.",
            FutureWarning,
        )
        return replacement
    return name


cpdef to_offset(freq, bint is_period=False):
    if freq is None:
        return None
    split = opattern.split(freq)
    tups = zip(split[0::4], split[1::4], split[2::4])
    for n, (sep, stride, name) in enumerate(tups):
        if not is_period and name.upper() in c_OFFSET_DEPR_FREQSTR:
            warnings.warn(
                f"\\'{name}\\' is deprecated and will be removed "
                f"in a future version, please use "
                f"\\'{c_OFFSET_DEPR_FREQSTR.get(name.upper())}\\' instead.",
                FutureWarning,
            )
            name = c_OFFSET_DEPR_FREQSTR[name.upper()]
        name = _warn_about_deprecated_aliases(name, is_period)
        prefix = _lite_rule_alias.get(name) or name
        if prefix in c_DEPR_ABBREVS:
            warnings.warn(
                f"\\'{prefix}\\' is deprecated and will be removed "
                f"in a future version, please use "
                f"\\'{c_DEPR_ABBREVS.get(prefix)}\\' instead.",
                FutureWarning,
            )
            prefix = c_DEPR_ABBREVS[prefix]
    return prefix
'''

TIMESTAMPS = '''\
from tinyseries._libs.offsets cimport to_offset


cdef class Timestamp:
    def _round(self, freq, mode):
        freq = to_offset(freq, is_period=False)
        return self

    def floor(self, freq):
        """Round down to `freq`."""
        return self._round(freq, 0)
'''

# pandas 2.2 / 3.1 `core/groupby/grouper.py`
GROUPER = '''\
class Grouper:
    def __new__(cls, *args, **kwargs):
        if kwargs.get("freq") is not None:
            from tinyseries.core.resample import TimeGrouper

            cls = TimeGrouper
        return super().__new__(cls)

    def __init__(self, key=None, level=None, freq=None, sort=False):
        self.key = key
        self.level = level
        self.freq = freq
'''

RESAMPLE = '''\
from tinyseries._libs.offsets import to_offset
from tinyseries.core.grouper import Grouper


class PeriodIndex:
    pass


def get_resampler(obj, **kwds):
    tg = TimeGrouper(obj, **kwds)
    return tg


class TimeGrouper(Grouper):
    def __init__(self, obj=None, freq="Min", key=None):
        if key is None and obj is not None and isinstance(obj.index, PeriodIndex):
            freq = to_offset(freq, is_period=True)
        else:
            freq = to_offset(freq)
        self.freq = freq
'''

GENERIC = '''\
class NDFrame:
    def resample(self, rule, on=None):
        from tinyseries.core.resample import get_resampler

        return get_resampler(self, freq=rule, key=on)


class DataFrame(NDFrame):
    def __init__(self, data=None):
        self.data = data
'''

DATETIMES = '''\
from tinyseries._libs.offsets import to_offset


class DatetimeArray:
    @classmethod
    def _generate_range(cls, start, end, periods, freq):
        freq = to_offset(freq)
        return cls()


def date_range(start=None, end=None, periods=None, freq=None):
    return DatetimeArray._generate_range(start=start, end=end, periods=periods, freq=freq)


def offset_of(rule):
    rule = rule.strip()
    return to_offset(rule)
'''

PERIOD = '''\
from tinyseries._libs.offsets import to_offset


class Period:
    def __init__(self, value=None, freq=None):
        self.freq = to_offset(freq, is_period=True)
'''

# timedeltas.pyx's `Timedelta(value, unit=)`: a value it warns of itself, and the table's through a
# helper it calls only for some inputs
TIMEDELTAS = '''\
import warnings

from tinyseries._libs.dtypes import c_DEPR_ABBREVS


def parse_timedelta_unit(unit):
    if unit in c_DEPR_ABBREVS:
        warnings.warn(f"\'{unit}\' is deprecated, use \'{c_DEPR_ABBREVS.get(unit)}\'", FutureWarning)
    return unit


class Timedelta:
    def __init__(self, value=None, unit=None):
        if unit == "L":
            warnings.warn("\'L\' is deprecated, use \'ms\' instead", FutureWarning)
        if value is not None:
            unit = parse_timedelta_unit(unit)
        self.unit = unit
'''

INIT = '''\
from tinyseries._libs.offsets import to_offset
from tinyseries._libs.timestamps import Timestamp
from tinyseries.core.datetimes import date_range, offset_of
from tinyseries.core.generic import DataFrame
from tinyseries.core.grouper import Grouper
from tinyseries.core.period import Period
from tinyseries.core.timedeltas import Timedelta

__all__ = ["to_offset", "Timestamp", "date_range", "offset_of", "DataFrame", "Grouper", "Period", "Timedelta"]
'''

# pandas' notes name the subclass's method (`DataFrame.resample`), the code warns in NDFrame's
WHATSNEW = """\
.. _whatsnew_220:

What's new in 2.2.0 (January 19, 2024)
--------------------------------------

.. currentmodule:: tinyseries

Deprecations
~~~~~~~~~~~~
- Deprecated the ``on`` keyword in :meth:`DataFrame.resample` (:issue:`11111`)
"""

FILES = {
    "doc/source/whatsnew/v2.2.0.rst": WHATSNEW,
    "tinyseries/__init__.py": INIT,
    "tinyseries/_libs/__init__.py": "",
    "tinyseries/_libs/dtypes.pyx": DTYPES,
    "tinyseries/_libs/offsets.pyx": OFFSETS,
    "tinyseries/_libs/timestamps.pyx": TIMESTAMPS,
    "tinyseries/core/__init__.py": "",
    "tinyseries/core/resample.py": RESAMPLE,
    "tinyseries/core/generic.py": GENERIC,
    "tinyseries/core/grouper.py": GROUPER,
    "tinyseries/core/datetimes.py": DATETIMES,
    "tinyseries/core/period.py": PERIOD,
    "tinyseries/core/timedeltas.py": TIMEDELTAS,
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return scanned_db(tmp_path_factory.mktemp("freq"), "tinyseries", "2.2.0", FILES)


def test_to_offset_warns_of_every_table_s_keys_with_their_equivalents(scanned):
    _, rows = scanned
    row = rows[("tinyseries.to_offset", "freq")]
    # both tables the def tests, the one its helper looks a piece up in, the upper-cased test's
    # keys in lower case too; the helper's tuple-valued entry is no value anyone is told to change
    assert param_values(row) == {"'M'", "'m'", "'Q-DEC'", "'q-dec'", "'Y'", "'y'", "'H'", "'T'", "'t'", "'A'",
                            "'d'", "'w'"}
    equivalents = json.loads(row["new_values"])
    assert equivalents["'M'"] == "'ME'" and equivalents["'m'"] == "'ME'" and equivalents["'T'"] == "'min'"
    assert equivalents["'d'"] == "'D'" and "'us'" not in equivalents
    assert row["value_form"] == "token" and row["usage"] == "value"
    assert not row["replacement"]           # the message's interpolated advice is no API


def test_the_functions_that_pass_their_argument_on_warn_as_to_offset_does(scanned):
    _, rows = scanned
    offset = param_values(rows[("tinyseries.to_offset", "freq")])
    assert param_values(rows[("tinyseries.date_range", "freq")]) == offset
    assert param_values(rows[("tinyseries.Timestamp.floor", "freq")]) == offset     # through a cimport
    resample = rows[("tinyseries.core.generic.NDFrame.resample", "rule")]      # via **kwds and TimeGrouper
    assert param_values(resample) == offset
    # TimeGrouper takes the PeriodIndex branch for some inputs: the warning shows for the others only
    assert resample["conditional"] and not rows[("tinyseries.date_range", "freq")]["conditional"]
    assert rows[("tinyseries.date_range", "freq")]["position"] == 3
    assert resample["position"] == 0
    assert rows[("tinyseries.DataFrame.resample", "on")]["usage"] == "any"
    # `Grouper(freq=)` makes a TimeGrouper: its values, given by name (positionally, `freq` is
    # Grouper's own third argument, and no TimeGrouper is made)
    grouper = rows[("tinyseries.Grouper", "freq")]
    assert param_values(grouper) == offset and grouper["position"] == -1
    assert grouper["conditional"]           # as TimeGrouper's own (its PeriodIndex branch)
    # a value the API warns of itself makes the row no "some inputs" one, whatever it passes on
    timedelta = rows[("tinyseries.Timedelta", "unit")]
    assert param_values(timedelta) == {"'L'", "'H'", "'T'", "'t'", "'A'"} and not timedelta["conditional"]


def test_a_caller_passing_the_guard_s_parameter_true_reaches_only_the_unguarded_tables(scanned):
    _, rows = scanned
    period = param_values(rows[("tinyseries.Period", "freq")])
    assert "'H'" in period and "'d'" in period       # pandas warns of these for a Period too
    assert "'M'" not in period and "'m'" not in period and "'Q-DEC'" not in period


def test_neither_a_computed_value_nor_a_hop_inside_the_library_makes_a_row(scanned):
    _, rows = scanned
    assert ("tinyseries.offset_of", "rule") not in rows        # `rule.strip()` is no piece passed on
    assert not any(api.startswith("tinyseries.core.resample.get_resampler") for api, _ in rows)
    assert not any("_warn_about_deprecated_aliases" in api for api, _ in rows)


CALLS = '''\
import tinyseries as ts

idx = ts.date_range("2024-01-01", periods=3, freq="H")
half = ts.date_range("2024-01-01", periods=3, freq="2.5T")
fine = ts.date_range("2024-01-01", periods=3, freq="15min")
ms = ts.date_range("2024-01-01", periods=3, freq="MS")
low = ts.to_offset("m")
stamp = ts.Timestamp().floor("-15T")
frame = ts.DataFrame()
monthly = frame.resample("M")
keyed = frame.resample("2H", on="when")
period = ts.Period("2024-01", freq="M")
hourly = ts.Grouper(key="when", freq="H")
third = ts.Grouper("when", None, "H")
'''


def test_check_flags_the_token_after_a_count_and_fix_keeps_the_count(scanned):
    db, _ = scanned
    found = [r for r in find_references(CALLS, index_of(db)) if r.parameter]
    flagged = {(f.line + 1, f.value) for f in found}
    # the subclass's own row (`on=`) and the ancestor's (`rule`) both apply to frame.resample
    assert flagged == {(3, "'H'"), (4, "'T'"), (7, "'m'"), (8, "'T'"), (10, "'M'"), (11, "'H'"), (11, None),
                       (13, "'H'")}
    fixes = {f.line + 1: f.rewrite for f in found}
    assert [e.new_text for e in fixes[4].edits] == ['"2.5min"']
    assert [e.new_text for e in fixes[8].edits] == ['"-15min"']
    assert [e.new_text for e in fixes[7].edits] == ['"ME"']
    # "M" is a Period's month for the inputs resample passes on with is_period=True: no rewrite
    monthly = next(f for f in found if f.line + 1 == 10)
    assert fixes[10] is None and "for some inputs" in monthly.message


# A def that reaches to_offset both inside a branch and outside one warns for every input, whichever
# call comes first and however many hops the unconditional one takes.
SHIFTS = '''\
from tinyseries._libs.offsets import to_offset


def asfreq(freq, how=None):
    if how is not None:
        to_offset(freq)
    return to_offset(freq)


def shift(freq, periods=1):
    if periods:
        to_offset(freq)
    return _shift(freq)


def _shift(freq):
    return to_offset(freq)


def tshift(freq, periods=1):
    if periods:
        return to_offset(freq)
    return None


def lag(freq, periods=1):
    ticks = tshift(freq, periods)
    return asfreq(freq), ticks
'''


def test_a_parameter_reaching_the_warning_on_every_path_is_not_conditional(tmp_path):
    init = INIT.replace("\n\n__all__ = [", "\nfrom tinyseries.core.shifts import asfreq, lag, shift, tshift\n\n"
                        "__all__ = [\"asfreq\", \"lag\", \"shift\", \"tshift\", ")
    files = {**FILES, "tinyseries/__init__.py": init, "tinyseries/core/shifts.py": SHIFTS}
    _, rows = scanned_db(tmp_path, "tinyseries", "2.2.0", files)
    offset = param_values(rows[("tinyseries.to_offset", "freq")])
    conditional = {name: rows[(f"tinyseries.{name}", "freq")]["conditional"] for name in ("asfreq", "shift", "tshift", "lag")}
    assert all(param_values(rows[(f"tinyseries.{name}", "freq")]) == offset for name in conditional)
    assert conditional == {"asfreq": 0, "shift": 0, "tshift": 1, "lag": 0}


# `__new__` picking the class to make: by a keyword being given, by anything else, always
PICKS = '''\
from tinyseries._libs.offsets import to_offset


class Offsetter:
    def __init__(self, freq=None, rule=None):
        self.freq = to_offset(freq)
        self.rule = to_offset(rule)


class ByFreq:
    def __new__(cls, *args, **kwargs):
        if kwargs.get("freq") is not None:
            cls = Offsetter
        return object.__new__(cls)


class ByRule:
    def __new__(cls, *args, **kwargs):
        if "rule" in kwargs:
            cls = Offsetter
        return object.__new__(cls)


class Always:
    def __new__(cls, *args):
        cls = Offsetter
        return object.__new__(cls)


class BySize:
    def __new__(cls, *args, **kwargs):
        if len(args) > 1:
            cls = Offsetter
        return object.__new__(cls)


class ByBoth:
    def __new__(cls, *args, **kwargs):
        if "rule" in kwargs:
            if kwargs.get("freq"):
                cls = Offsetter
        return object.__new__(cls)
'''


def test_a_class_made_by_another_s_new_takes_its_arguments(tmp_path):
    names = ("Offsetter", "ByFreq", "ByRule", "Always", "BySize", "ByBoth")
    init = INIT.replace("\n\n__all__ = [", f"\nfrom tinyseries.core.picks import {', '.join(names)}\n\n__all__ = ["
                        + "".join(f'"{n}", ' for n in names))
    files = {**FILES, "tinyseries/__init__.py": init, "tinyseries/core/picks.py": PICKS}
    _, rows = scanned_db(tmp_path, "tinyseries", "2.2.0", files)
    offset = param_values(rows[("tinyseries.to_offset", "freq")])
    got = {(name, param): (rows[(f"tinyseries.{name}", param)]["conditional"],
                           rows[(f"tinyseries.{name}", param)]["position"])
           for name in names[1:] for param in ("freq", "rule")}
    assert all(param_values(rows[(f"tinyseries.{n}", p)]) == offset for n, p in got)
    # (conditional, position): the keyword the pick tests goes by name, for every input; the
    # other only when that one is given too, where the made class takes it
    assert got == {("ByFreq", "freq"): (0, -1), ("ByFreq", "rule"): (1, 1),
                   ("ByRule", "freq"): (1, 0), ("ByRule", "rule"): (0, -1),
                   ("Always", "freq"): (0, 0), ("Always", "rule"): (0, 1),
                   ("BySize", "freq"): (1, 0), ("BySize", "rule"): (1, 1),
                   ("ByBoth", "freq"): (1, 0), ("ByBoth", "rule"): (1, 1)}


# pandas' GroupBy.resample -> get_resampler_for_grouping(groupby, rule, ..., **kwargs) -> TimeGrouper(freq=rule,
# **kwargs), and bdate_range, which rebinds `freq` for custom frequencies only
GROUPING = '''\
from tinyseries._libs.offsets import to_offset
from tinyseries.core.datetimes import date_range


def resampler_for_grouping(groupby, rule, how=None, on=None, **kwargs):
    return Binner(freq=rule, key=on, **kwargs)


class Binner:
    def __init__(self, freq=None, key=None, closed=None):
        self.freq = to_offset(freq)


class GroupBy:
    def resample(self, rule, **kwargs):
        return resampler_for_grouping(self, rule, **kwargs)

    def daily(self, rule, **kwargs):
        return resampler_for_grouping(self, "D", **kwargs)


def bdate_range(start=None, end=None, periods=None, freq="B", **kwargs):
    if isinstance(freq, str) and freq.startswith("C"):
        freq = custom(freq)
    elif kwargs:
        raise TypeError("custom frequencies only")
    return date_range(start=start, end=end, periods=periods, freq=freq, **kwargs)


def both_ways(freq="B"):
    if freq.startswith("C"):
        freq = custom(freq)
    else:
        freq = "D"
    return date_range(freq=freq)


def inside(freq="B"):
    if freq:
        freq = custom(freq)
        return date_range(freq=freq)
    return None


def custom(freq):
    return freq
'''


def test_a_positional_argument_into_a_def_taking_kwargs_and_a_parameter_rebound_by_some_branches(tmp_path):
    names = ("GroupBy", "bdate_range", "both_ways", "inside")
    init = INIT.replace("\n\n__all__ = [", f"\nfrom tinyseries.core.grouping import {', '.join(names)}\n\n__all__ = ["
                        + "".join(f'"{n}", ' for n in names))
    files = {**FILES, "tinyseries/__init__.py": init, "tinyseries/core/grouping.py": GROUPING}
    _, rows = scanned_db(tmp_path, "tinyseries", "2.2.0", files)
    offset = param_values(rows[("tinyseries.to_offset", "freq")])
    # `rule` goes by position into a def that takes **kwargs: its positional names still count
    resample = rows[("tinyseries.GroupBy.resample", "rule")]
    assert param_values(resample) == offset and resample["position"] == 0 and not resample["conditional"]
    # a keyword the call passes itself, or one the caller takes by name, is never in its **kwargs
    assert ("tinyseries.GroupBy.resample", "freq") not in rows
    assert ("tinyseries.GroupBy.daily", "rule") not in rows
    # `freq` is what bdate_range was given where the if's test fails: for some inputs
    bdate = rows[("tinyseries.bdate_range", "freq")]
    assert param_values(bdate) == offset and bdate["position"] == 3 and bdate["conditional"]
    assert ("tinyseries.both_ways", "freq") not in rows       # every branch rebinds it
    assert ("tinyseries.inside", "freq") not in rows          # rebound on the call's own path


# pandas' BaseWindow keeps `window` on the instance; Rolling._validate hands it to to_offset
WINDOW = '''\
from tinyseries._libs.offsets import to_offset


class BaseWindow:
    def __init__(self, obj, window=None, min_periods=None):
        self.obj = obj
        self.window = window
        self.min_periods = min_periods
        self._validate()

    def _validate(self):
        pass


class Mixin(BaseWindow):
    pass


class Rolling(Mixin):
    def _validate(self):
        if isinstance(self.window, str):
            to_offset(self.window)


class Sized(BaseWindow):
    def __init__(self, obj, size=None):
        super().__init__(obj, window=size)

    def _validate(self):
        to_offset(self.window)


class Unkept(BaseWindow):
    def _validate(self):
        to_offset(self.label)


class Plain(Mixin):
    def _validate(self):
        to_offset(self.window)


class Keyed(Mixin):
    def _validate(self):
        nested = lambda: to_offset(self.min_periods)
        offset = to_offset(freq=self.window)
        return offset, nested


class Checked(BaseWindow):
    def __init__(self, obj, window=None):
        self.window = window
        to_offset(window)

    def check(self):
        return to_offset(self.window)


class Parts(BaseWindow):
    def __init__(self, obj, windows=None):
        for part in windows:
            self.part = part

    def check(self):
        return to_offset(self.part)


def rolling(obj, window, min_periods=None):
    return Rolling(obj, window=window, min_periods=min_periods)
'''


def test_a_value_a_constructor_keeps_on_the_instance_warns_where_a_method_passes_it_on(tmp_path):
    names = ("BaseWindow", "Rolling", "Sized", "Unkept", "Plain", "Keyed", "Checked", "Parts", "rolling")
    init = INIT.replace("\n\n__all__ = [", f"\nfrom tinyseries.core.window import {', '.join(names)}\n\n__all__ = ["
                        + "".join(f'"{n}", ' for n in names))
    files = {**FILES, "tinyseries/__init__.py": init, "tinyseries/core/window.py": WINDOW}
    _, rows = scanned_db(tmp_path, "tinyseries", "2.2.0", files)
    offset = param_values(rows[("tinyseries.to_offset", "freq")])
    # Rolling inherits the constructor that keeps `window`; whether _validate runs, and nothing sets
    # the attribute again, is not followed: for some inputs
    for api, position in (("tinyseries.Rolling", 1), ("tinyseries.rolling", 1), ("tinyseries.Plain", 1),
                          ("tinyseries.Keyed", 1)):
        row = rows[(api, "window")]
        assert param_values(row) == offset and row["conditional"] and row["position"] == position, api
    # a constructor that passes it on itself says so for every input
    assert not rows[("tinyseries.Checked", "window")]["conditional"]
    window_rows = {(api, param) for api, param in rows if api.split(".")[1] in names[:-1]}
    # Sized's own constructor keeps nothing (its names are not the base's); `label` is kept by none;
    # Parts keeps a piece of what it was given, not the value
    assert window_rows == {("tinyseries.Rolling", "window"), ("tinyseries.Plain", "window"),
                           ("tinyseries.Keyed", "window"), ("tinyseries.Checked", "window")}


def test_the_positional_names_of_a_def_taking_kwargs_are_kept_where_its_defs_agree():
    from apimigrate.scan.python_source import extract_python
    src = (b"def one(a, b, /, c, *args, d=1, **kw): pass\n"
           b"if X:\n    def two(a, b, **kw): pass\nelse:\n    def two(b, a, **kw): pass\n"
           b"def three(a, b): pass\n"
           b"class K:\n    def m(self, a, *, b, **kw): pass\n")
    info = extract_python(src, "m.py", "m").module_info
    assert info.positional == {"one": ["a", "b", "c"], "K.m": ["self", "a"]}


def test_a_rescan_from_the_stored_facts_finds_what_the_first_scan_found(tmp_path):
    """The facts stored for a file are what reading it gave, not what the joins made of them (table
    values filled into to_offset's finding): a rescan after another file changed, which takes
    offsets.pyx's facts from the DB, finds every row as the first scan did."""
    from apimigrate.scan.runner import scan
    from scan_support import rows_of
    kb = scan_library(tmp_path, "tinyseries", "2.2.0", FILES)
    try:
        before = rows_of(kb, "tinyseries")
        period = tmp_path / "src" / "tinyseries" / "core" / "period.py"
        period.write_text(PERIOD + "\n\n# a comment: the file changed, nothing else\n")
        [report] = scan(kb, [str(tmp_path / "src")], show_progress=False, workers=1)
        after = rows_of(kb, "tinyseries")
    finally:
        kb.close()
    assert report.read == 1
    strip = ("id", "first_seen", "last_seen")
    assert {k: {c: v for c, v in r.items() if c not in strip} for k, r in after.items()} \
        == {k: {c: v for c, v in r.items() if c not in strip} for k, r in before.items()}


def test_the_facts_stored_for_each_file_are_what_reading_it_gives(tmp_path):
    """Not what the joins made of them (to_offset's finding with the tables' values filled in): a
    rescan, or another release with the same file, takes them as the file's own."""
    from apimigrate.scan.extract import extract_batch, facts_to_json
    from apimigrate.scan.fetch import cache_dir
    from apimigrate.scan.targets import path_tree
    kb = scan_library(tmp_path, "tinyseries", "2.2.0", FILES)
    try:
        stored = kb.file_facts("tinyseries", "2.2.0")
    finally:
        kb.close()
    tree = path_tree(tmp_path / "src", cache_dir=cache_dir())
    read = {r.path: facts_to_json(r) for r in extract_batch(tree.files, "tinyseries", "2.2.0", tuple(tree.packages))}
    assert "tinyseries/_libs/offsets.pyx" in read and stored == read


def test_a_release_sharing_to_offset_with_an_older_one_reads_its_own_tables(tmp_path):
    """3.0 keeps 2.2's offsets.pyx byte for byte (its facts are taken from 2.2's, scan/reading.py
    `facts_elsewhere`) but its dtypes table trades "Y" for "BQ": the row gets "BQ" and, from the
    upper-cased test, "bq", as reading 3.0 alone gives. Facts stored after the joins had filled in
    2.2's values, and 3.0 then lost "bq"."""
    from apimigrate.db import open_db
    from apimigrate.scan.runner import scan
    from unlearn_support import write_tree

    def release(version: str, files: dict[str, str]) -> str:
        return str(write_tree(tmp_path / version, {
            "pyproject.toml": f'[project]\nname = "tinyseries"\nversion = "{version}"\n', **files}))
    newer = {**FILES, "tinyseries/_libs/dtypes.pyx": DTYPES.replace('    "Y": "YE",\n', '    "BQ": "BQE",\n')}
    kb = open_db(tmp_path / "k.db")
    try:
        scan(kb, [release("2.2.0", FILES)], show_progress=False, workers=1)
        [report] = scan(kb, [release("3.0.0", newer)], show_progress=False, workers=1)
        row = next(r for r in kb.deprecations(["tinyseries"]) if r["api"] == "tinyseries.to_offset")
    finally:
        kb.close()
    assert report.reused > 0
    assert {"'BQ'", "'bq'"} <= param_values(row)
    assert {v: t["first_seen"] for v, t in row["timelines"]["values"].items() if v in ("'BQ'", "'bq'")} \
        == {"'BQ'": "3.0.0", "'bq'": "3.0.0"}


# pandas' timedeltas.pyx: a duration string is read character by character, the letters after a
# count gathered in a list and handed to a helper that joins them and tests the unit; `Timedelta`
# takes its arguments through `__new__`, and `to_timedelta` passes a scalar on to it
DURATIONS = '''\
import warnings

cdef dict c_DEPR_UNITS = {"H": "h", "S": "s", "d": "D"}


cpdef inline str parse_unit(str unit):
    if unit is None:
        return "ns"
    elif unit in c_DEPR_UNITS:
        warnings.warn(f"\\'{unit}\\' is deprecated, use \\'{c_DEPR_UNITS.get(unit)}\\' instead", FutureWarning)
        unit = c_DEPR_UNITS[unit]
    return unit


cdef from_spec(object number, object frac, object unit):
    unit = "".join(unit)
    unit = parse_unit(unit)
    return float("".join(number) + "." + "".join(frac)), unit


cdef int64_t parse_duration_string(str ts) except? -1:
    cdef:
        str c
        list number = [], frac = [], unit = []

    for c in ts:
        if c == " ":
            pass
        elif ord(c) >= 48 and ord(c) <= 57:
            if len(unit):
                r = from_spec(number, frac, unit)
                unit, number, frac = [], [c], []
            else:
                number.append(c)
        elif c == ":":
            unit, number = [], []
        else:
            unit.append(c)

    if len(unit):
        if len(number):
            return from_spec(number, frac, unit)
        raise ValueError("unit abbreviation w/o a number")
    return int("".join(number))


cdef int64_t parse_iso(str ts):
    return 0


class Duration:
    def __new__(cls, object value=None, unit=None, **kwargs):
        if isinstance(value, str):
            if value[0] == "P":
                ival = parse_iso(value)
            else:
                ival = parse_duration_string(value)
        elif isinstance(value, (int, float)):
            unit = parse_unit(unit)
        return object.__new__(cls)
'''

DURATION_TOOLS = '''\
import warnings
from datetime import timedelta

from tinyseries._libs.durations import Duration


def to_duration(arg, unit=None):
    if isinstance(arg, list):
        return [_coerce_scalar(a, unit) for a in arg]
    return _coerce_scalar(arg, unit)


def _coerce_scalar(r, unit="ns"):
    return Duration(r, unit)


def as_scalar(obj):
    if type(obj) is timedelta:
        return Duration(obj)
    return obj


def box(val):
    if isinstance(val, (timedelta, int)):
        return Duration(val)
    return val


def keyed(val):
    if isinstance(val, int):
        return Duration(value=val)
    return val


def other_than_text(val):
    if isinstance(val, str):
        return val
    else:
        return Duration(val)


def shadowed(unit):
    c_DEPR_UNITS = {"Hr": "h"}
    if unit in c_DEPR_UNITS:
        warnings.warn("this spelling is deprecated", FutureWarning)
'''

DURATION_CALLS = '''\
import tinyseries as ts

hour = ts.Duration("1H")
day = ts.to_duration("2 d")
fine = ts.Duration("1h")
iso = ts.Duration("PT1H")
numeric = ts.Duration(3, unit="S")
boxed = ts.box("1H")
'''


def test_a_string_read_character_by_character_warns_of_the_units_it_spells(tmp_path):
    names = ("Duration", "to_duration", "as_scalar", "box", "keyed", "other_than_text", "shadowed")
    init = INIT.replace("\n\n__all__ = [", "\nfrom tinyseries._libs.durations import Duration\n"
                        "from tinyseries.core.durations import to_duration, as_scalar, box, keyed, other_than_text, shadowed"
                        "\n\n__all__ = ["
                        + "".join(f'"{n}", ' for n in names))
    files = {**FILES, "tinyseries/__init__.py": init, "tinyseries/_libs/durations.pyx": DURATIONS,
             "tinyseries/core/durations.py": DURATION_TOOLS}
    db, rows = scanned_db(tmp_path, "tinyseries", "2.2.0", files)
    units = {"'H'", "'S'", "'d'"}
    # the letters after a count: a token of the string; only strings that are no ISO duration and
    # hold a count reach the unit test, a shape the scan does not follow: for some inputs
    for api in ("tinyseries.Duration", "tinyseries.to_duration"):
        row = rows[(api, "value" if api.endswith("Duration") else "arg")]
        assert param_values(row) == units and row["value_form"] == "token", api
        assert row["conditional"] and row["position"] == 0, api
    assert json.loads(rows[("tinyseries.Duration", "value")]["new_values"])["'H'"] == "'h'"
    # `unit`, second in the class's __new__, warns of its own; a call of the class passes its
    # arguments to that __new__, so to_duration's `unit` reaches it too
    assert rows[("tinyseries.Duration", "unit")]["position"] == 1
    assert rows[("tinyseries.to_duration", "unit")]["position"] == 1
    # a call the argument reaches only as no string (a timedelta, an int) passes on no unit
    assert not any(api in (f"tinyseries.{n}" for n in names[2:6]) for api, _ in rows)
    # a def's own dict is no module's table, whatever its name
    assert ("tinyseries.shadowed", "unit") not in rows
    found = {(r.line + 1, r.value) for r in find_references(DURATION_CALLS, index_of(db)) if r.parameter}
    assert found == {(3, "'H'"), (4, "'d'"), (7, "'S'")}
