"""Class members the scan stores, and the by-name matches they decide.

`x.first()` in a file importing a library where `NDFrame.first` is deprecated but
`GroupBy.first` is not may be either: no finding. `x.applymap(f)` where every member
called `applymap` is deprecated is deprecated whichever class `x` is: a finding.
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.cli.main import app
from apimigrate.db import open_db
from apimigrate.scan.runner import scan

GENERIC = '''\
import warnings


class NDFrame:
    @property
    def dtypes(self):
        return None

    def copy(self, deep: bool = True) -> Self:
        return self

    def first(self, offset):
        warnings.warn("NDFrame.first is deprecated and will be removed in a future version. "
                      "Please create a mask and filter using `.loc` instead", FutureWarning, stacklevel=2)
        return self

    def _private_helper(self):
        return self
'''

FRAME = '''\
import warnings
from typing import TYPE_CHECKING

from .accessors import Accessor, DatetimeProps, Plain
from .generic import NDFrame

if TYPE_CHECKING:
    from .groupby import GroupBy
    from .window import Expanding, Rolling, Window
    from ..style import Styler


class DataFrame(NDFrame):
    def map(self, func):
        return func

    @property
    def style(self) -> Styler:
        from ..style import Styler
        return Styler(self)

    @property
    def T(self) -> DataFrame:
        return self

    def groupby(self, by) -> "GroupBy":
        return GroupBy()

    def rolling(self, window, win_type=None) -> Window | Rolling:
        return Window() if win_type else Rolling()

    def expanding(self) -> Expanding:
        return Expanding()

    def applymap(self, func):
        warnings.warn("DataFrame.applymap has been deprecated. Use DataFrame.map instead.",
                      FutureWarning, stacklevel=2)
        return self.map(func)


class Series(NDFrame):
    dt = Accessor("dt", DatetimeProps)
    helper = Plain(DatetimeProps)           # built from a class, but no descriptor: no accessor

    def ravel(self):
        warnings.warn("Series.ravel is deprecated. Use numpy.ravel directly.", FutureWarning, stacklevel=2)
        return self
'''

ACCESSORS = '''\
import warnings


class Accessor:
    def __init__(self, name, accessor):
        self._name = name
        self._accessor = accessor

    def __get__(self, obj, cls):
        if obj is None:
            return self._accessor
        return self._accessor(obj)


class Plain:
    def __init__(self, cls):
        self.cls = cls


class DatetimeProps:
    def __init__(self, data):
        self._data = data

    @property
    def day_of_week(self):
        return 0

    @property
    def weekday(self):
        """The day of the week.

        .. deprecated:: 1.5.0
            Use :attr:`Series.dt.day_of_week` instead.
        """
        warnings.warn("Series.dt.weekday is deprecated and will be removed in a future version. "
                      "Use Series.dt.day_of_week instead.", FutureWarning, stacklevel=2)
        return self.day_of_week


class Stamp:
    @property
    def weekday(self):
        return 0
'''

WINDOW = '''\
import warnings


class BaseWindow:
    def sum(self):
        return 0


class Window(BaseWindow):
    def mean(self):
        warnings.warn("Window.mean is deprecated. Use Window.sum instead.", FutureWarning, stacklevel=2)
        return 0


class Rolling(BaseWindow):
    def mean(self):
        return 0

    def quantile(self, q=None, quantile=None):
        if quantile is not None:
            warnings.warn("The 'quantile' keyword in Rolling.quantile is deprecated, use 'q' instead.",
                          FutureWarning, stacklevel=2)
        return 0


class Expanding(BaseWindow):
    def quantile(self, q=None, quantile=None):
        if quantile is not None:
            warnings.warn("The 'quantile' keyword in Expanding.quantile is deprecated, use 'q' instead.",
                          FutureWarning, stacklevel=2)
        return 0
'''

GROUPBY = '''\
class GroupBy:
    def first(self):
        return self
'''

STYLE = '''\
import warnings


class Styler:
    def map(self, func):
        return func

    def applymap(self, func):
        warnings.warn("Styler.applymap has been deprecated. Use Styler.map instead.",
                      FutureWarning, stacklevel=2)
        return self.map(func)
'''

READERS = '''\
import warnings
from typing import Literal, overload

from .core.frame import DataFrame


class FrameReader:
    def get_chunk(self, size=None):
        return DataFrame()

    def close(self):
        warnings.warn("FrameReader.close is deprecated, the reader closes itself.", FutureWarning, stacklevel=2)


@overload
def read_frame(path, *, iterator: Literal[True], chunksize: int | None = ...) -> FrameReader: ...
@overload
def read_frame(path, *, iterator: bool = ..., chunksize: int) -> FrameReader: ...
@overload
def read_frame(path, *, iterator: Literal[False] = ..., chunksize: None = ...) -> DataFrame: ...
@overload
def read_frame(path, *, iterator: bool = ..., chunksize: int | None = ...) -> DataFrame | FrameReader: ...
def read_frame(path, *, iterator=False, chunksize=None):
    return DataFrame()
'''

USER = '''\
import framelib as fl

df = load()
df.first("3D")
df.groupby("k").first()
df.applymap(str)
df.style.applymap(color)
df["a"].ravel()
'''


def make_lib(root: Path, version: str, *, groupby: bool = True) -> Path:
    pkg = root / "framelib"
    (pkg / "core").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "framelib"\nversion = "{version}"\n')
    exports = ["DataFrame", "Series", "Styler", "FrameReader", "read_frame"] + (["GroupBy"] if groupby else [])
    (pkg / "__init__.py").write_text(
        "from .core.frame import DataFrame, Series\nfrom .readers import FrameReader, read_frame\n"
        + ("from .core.groupby import GroupBy\n" if groupby else "")
        + f"from .style import Styler\n__all__ = {exports!r}\n")
    (pkg / "core" / "__init__.py").write_text("")
    (pkg / "core" / "generic.py").write_text(GENERIC)
    (pkg / "core" / "accessors.py").write_text(ACCESSORS)
    (pkg / "core" / "window.py").write_text(WINDOW)
    (pkg / "core" / "frame.py").write_text(FRAME)
    if groupby:
        (pkg / "core" / "groupby.py").write_text(GROUPBY)
    (pkg / "style.py").write_text(STYLE)
    (pkg / "readers.py").write_text(READERS)
    return root


def _scan(db: Path, *libs: Path):
    kb = open_db(db)
    try:
        return [r for lib in libs for r in scan(kb, [str(lib)], show_progress=False, workers=1)]
    finally:
        kb.close()


def _project(tmp_path: Path, source: str) -> tuple[Path, Path]:
    """(a DB with framelib 2.0 scanned, a user file holding `source`)."""
    db, code = tmp_path / "k.db", tmp_path / "user.py"
    _scan(db, make_lib(tmp_path / "v2", "2.0"))
    code.write_text(source)
    return db, code


def _stored_returns(db: Path) -> dict[str, list[dict]]:
    kb = open_db(db)
    try:
        return kb.class_facts().returns
    finally:
        kb.close()


def _check(db: Path, code: Path) -> list[tuple[int, str, str]]:
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    assert result.exit_code in (0, 1), result.output
    return [(f["line"], f["code"], f["api"]) for f in json.loads(result.stdout)]


def test_scan_stores_every_public_member_under_its_public_name(tmp_path: Path):
    _scan(tmp_path / "k.db", make_lib(tmp_path / "v2", "2.0"))
    kb = open_db(tmp_path / "k.db")
    members = set(kb.members())
    assert kb.classes_version("framelib") == "2.0"
    assert {"framelib.DataFrame.applymap", "framelib.DataFrame.map", "framelib.Series.ravel",
            "framelib.GroupBy.first", "framelib.Styler.applymap", "framelib.core.generic.NDFrame.first",
            "framelib.core.generic.NDFrame.dtypes"} <= members
    assert not [m for m in members if m.rsplit(".", 1)[1].startswith("_")]
    # the rows name the same members the same way, so the index can tell deprecated from live
    rows = {r["api"] for r in kb.deprecations()}
    assert {"framelib.DataFrame.applymap", "framelib.Styler.applymap", "framelib.Series.ravel",
            "framelib.core.generic.NDFrame.first"} <= rows <= members


def test_by_name_matches_skip_live_namesakes_and_report_names_no_class_keeps(tmp_path: Path):
    db, code = _project(tmp_path, USER)
    assert _check(db, code) == [
        # `first` is also GroupBy's, live: neither line 4 nor line 5 can be told apart
        (6, "APIM003", "framelib.DataFrame.applymap"),   # both classes deprecate applymap
        (7, "APIM003", "framelib.Styler.applymap"),      # every library `style` holds a Styler
        (8, "APIM003", "framelib.Series.ravel"),
    ]


def test_without_members_a_by_name_match_needs_one_deprecated_member(tmp_path: Path):
    """A DB whose members are unknown (or a release without GroupBy): the old rule."""
    db = tmp_path / "k.db"
    _scan(db, make_lib(tmp_path / "v2", "2.0"))
    kb = open_db(db)
    rows = kb.deprecations()
    bare = [(r.line + 1, r.api) for r in find_references(USER, DeprecationIndex.from_rows(rows))]
    assert bare == [(4, "framelib.core.generic.NDFrame.first"), (5, "framelib.core.generic.NDFrame.first"),
                    (8, "framelib.Series.ravel")]
    kb.close()
    db2 = tmp_path / "k2.db"
    _scan(db2, make_lib(tmp_path / "nogroupby", "2.0", groupby=False))
    code = tmp_path / "user.py"
    code.write_text(USER)
    assert [f[0] for f in _check(db2, code)] == [4, 5, 6, 7, 8]


def test_members_are_the_newest_release_s_in_either_scan_order(tmp_path: Path):
    new, old = make_lib(tmp_path / "v2", "2.0"), make_lib(tmp_path / "v1", "1.0", groupby=False)
    for order, db in (((old, new), tmp_path / "a.db"), ((new, old), tmp_path / "b.db")):
        _scan(db, *order)
        kb = open_db(db)
        assert kb.classes_version("framelib") == "2.0", order
        assert "framelib.GroupBy.first" in kb.members()
        kb.close()
    # A DB that has 2.0 but not its members: a rescan of 1.0 must not pass for the newest.
    kb = open_db(tmp_path / "b.db")
    with kb.transaction():
        kb.db.execute("DELETE FROM members")
        kb.db.execute("DELETE FROM classes")
    kb.close()
    _scan(tmp_path / "b.db", old)
    kb = open_db(tmp_path / "b.db")
    assert kb.classes_version("framelib") is None
    kb.close()


def test_a_db_scanned_before_members_were_stored_learns_them_without_rereading(tmp_path: Path):
    db = tmp_path / "k.db"
    lib = make_lib(tmp_path / "v2", "2.0")
    _scan(db, lib)
    kb = open_db(db)
    before = kb.fingerprint()
    with kb.transaction():
        kb.db.execute("DELETE FROM members")
        kb.db.execute("DELETE FROM classes")
    assert kb.fingerprint() != before        # the editor reloads when members change
    kb.close()
    [report] = _scan(db, lib)
    assert report.read == 0 and report.unchanged == report.files
    kb = open_db(db)
    assert "framelib.GroupBy.first" in kb.members() and kb.fingerprint() == before
    kb.close()


def test_the_editor_reads_members_with_the_rows(tmp_path: Path):
    from apimigrate.lsp.knowledge import load
    from apimigrate.lsp.settings import Settings

    db = tmp_path / "k.db"
    _scan(db, make_lib(tmp_path / "v2", "2.0"))
    knowledge = load(db, Settings())
    try:
        assert knowledge.index.live_members["first"] == {"framelib"}
        assert knowledge.index.method("first", {"framelib"}) is None
        assert knowledge.index.method("applymap", {"framelib"})["api"] == "framelib.DataFrame.applymap"
    finally:
        knowledge.close()


TYPED = '''\
import framelib as fl
from framelib import DataFrame
from typing import Optional

df = fl.DataFrame(data)
df.first("3D")
df.applymap(str)
df.dtypes
fl.DataFrame(data).applymap(str)


def f(frame: Optional[DataFrame], s: fl.Series | None):
    frame.applymap(str)
    s.ravel()
    return frame.first("1D")


def g(frame):
    return frame.first("1D")


def h():
    df = load()
    return df.applymap(str), df.first("1D")


other = fl.DataFrame()
other = transform(other)
other.first("x")
'''


def test_a_receiver_of_a_known_class_is_matched_through_its_hierarchy(tmp_path: Path):
    db, code = _project(tmp_path, TYPED)
    assert _check(db, code) == [
        (6, "APIM001", "framelib.core.generic.NDFrame.first"),   # DataFrame inherits NDFrame's
        (7, "APIM001", "framelib.DataFrame.applymap"),
        (9, "APIM001", "framelib.DataFrame.applymap"),           # built in place
        (13, "APIM001", "framelib.DataFrame.applymap"),          # annotated, through Optional[...]
        (14, "APIM001", "framelib.Series.ravel"),                # annotated `X | None`
        (15, "APIM001", "framelib.core.generic.NDFrame.first"),
        # g: `frame` unknown, and `first` is also GroupBy's, live: nothing
        (24, "APIM003", "framelib.DataFrame.applymap"),          # h: a local from load(): by name
        # other: rebound to what `transform` returns, no longer known; `first` stays unreported
    ]


def test_a_finding_on_a_known_class_names_the_member_as_that_class_has_it(tmp_path: Path):
    """`df.first(...)`: the row is NDFrame's, the user has a DataFrame; the message says so and
    the finding keeps the row's api (noqa, --select and the DB go by it)."""
    db, code = _project(tmp_path, TYPED)
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    found = {(f["line"], f["api"]): f["message"] for f in json.loads(result.stdout)}
    assert found[(6, "framelib.core.generic.NDFrame.first")].startswith("framelib.DataFrame.first is deprecated")
    assert found[(14, "framelib.Series.ravel")].startswith("framelib.Series.ravel is deprecated")
    # by name the class is not known: the defining one is named
    assert found[(24, "framelib.DataFrame.applymap")].startswith("framelib.DataFrame.applymap is deprecated")


def test_a_method_renamed_on_a_known_class_is_fixed(tmp_path: Path):
    db, code = _project(tmp_path, TYPED)
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    fixed = code.read_text().splitlines()
    # the drop-in replacement DataFrame.map belongs to the receiver's class: renamed
    assert (fixed[6], fixed[8], fixed[12]) == ("df.map(str)", "fl.DataFrame(data).map(str)", "    frame.map(str)")
    # by name (h) the receiver's class is a guess, and NDFrame.first / Series.ravel name no drop-in
    assert fixed[23] == "    return df.applymap(str), df.first(\"1D\")"
    assert (fixed[5], fixed[13]) == ('df.first("3D")', "    s.ravel()")


GUARDED = '''\
import framelib as fl


def f(x, y):
    if isinstance(x, fl.DataFrame):
        x.first("1D")
        x.applymap(str)
    x.first("1D")
    if isinstance(y, fl.Series) and len(y):
        return y.ravel()


def g(x, y, frames, z):
    if not isinstance(x, fl.DataFrame):
        raise TypeError(x)
    x.applymap(str)
    if not isinstance(y, fl.DataFrame):
        y = fl.DataFrame(y)         # no exit: not a guard (and y a parameter or a DataFrame)
    y.first("1D")
    for frame in frames:
        if not (isinstance(frame, fl.DataFrame) and len(frame)):
            continue
        frame.first("1D")
        frame = other()
        frame.first("1D")
    if not isinstance(z, fl.DataFrame):
        log("not a frame")
    z.applymap(str)
'''


def test_an_isinstance_guard_makes_the_receiver_a_known_class(tmp_path: Path):
    db, code = _project(tmp_path, GUARDED)
    assert _check(db, code) == [
        (6, "APIM001", "framelib.core.generic.NDFrame.first"),   # `first` is GroupBy's too: only typed
        (7, "APIM001", "framelib.DataFrame.applymap"),           # exact, so fixable
        (10, "APIM001", "framelib.Series.ravel"),
        (16, "APIM001", "framelib.DataFrame.applymap"),          # past a guard that leaves
        # 19: y not known, and `first` is GroupBy's too: nothing
        (23, "APIM001", "framelib.core.generic.NDFrame.first"),  # past `continue`, both terms hold
        # 25: rebound since the guard
        (28, "APIM003", "framelib.DataFrame.applymap"),          # the guard does not leave: by name
    ]
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    assert code.read_text().splitlines()[6] == "        x.map(str)"


BUILT = '''\
import framelib as fl

df = fl.read_frame("a.csv")
df.applymap(str)
chunks = fl.read_frame("a.csv", iterator=True)
chunks.applymap(str)
maybe = fl.read_frame("a.csv", iterator=flag)
maybe.applymap(str)
df.copy().first("1D")
df.groupby("k").first()
fl.read_frame("a.csv", **options).applymap(str)
fl.read_frame("a.csv", chunksize=None).applymap(str)
fl.read_frame("a.csv", iterator=False).applymap(str)
'''


def test_what_a_library_function_returns_types_the_value_it_builds(tmp_path: Path):
    """pandas-shaped overloads: no `iterator=`/`chunksize=` picks the one returning DataFrame."""
    db, code = _project(tmp_path, BUILT)
    returns = _stored_returns(db)
    assert [s["returns"] for s in returns["framelib.read_frame"]] == [       # the overloads, in order
        "framelib.FrameReader", "framelib.FrameReader", "framelib.DataFrame", "framelib.DataFrame | framelib.FrameReader"]
    assert returns["framelib.core.generic.NDFrame.copy"][0]["returns"] == "Self"
    assert returns["framelib.DataFrame.groupby"][0]["returns"] == "framelib.GroupBy"
    assert _check(db, code) == [
        (4, "APIM001", "framelib.DataFrame.applymap"),               # read_frame(path): a DataFrame
        (6, "APIM003", "framelib.DataFrame.applymap"),               # a FrameReader: by name only
        (8, "APIM001", "framelib.DataFrame.applymap"),               # a variable: the union overload,
                                                                     # and of its classes a DataFrame has applymap
        (9, "APIM001", "framelib.core.generic.NDFrame.first"),       # copy() -> Self: a DataFrame
        # groupby() -> GroupBy, whose `first` lives: nothing
        (11, "APIM003", "framelib.DataFrame.applymap"),              # **options may pass anything
        (12, "APIM001", "framelib.DataFrame.applymap"),              # `None` fits `chunksize: None`, not `int`
        (13, "APIM001", "framelib.DataFrame.applymap"),              # False is no `Literal[True]`
    ]
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    assert code.read_text().splitlines()[3] == "df.map(str)"


UNIONS = '''\
import typing
import framelib as fl

df = fl.DataFrame(data)
df.rolling(3).quantile(quantile=0.5)
r = df.rolling(3, win_type="gaussian")
r.quantile(quantile=0.5)
df.rolling(3).quantile(q=0.5)
df.rolling(3).mean()
df.expanding().quantile(quantile=0.5)
frame.quantile(quantile=0.5)
fl.read_frame("a.csv", iterator=flag).copy().first("1D")
fl.read_frame("a.csv", iterator=flag).copy().close()
def annotated(x: fl.DataFrame | fl.Series, y: typing.Union[fl.DataFrame, fl.Series, None], z):
    x.first("1D")
    y.ravel()
    if isinstance(z, (fl.DataFrame, fl.Series)):
        z.applymap(str)
    def inner(w: fl.DataFrame | Sheet):
        w.ravel()
'''


def test_a_value_of_a_union_is_of_the_class_that_has_the_member_used(tmp_path: Path):
    """pandas' `rolling() -> Window | Rolling`: `.quantile()` is only Rolling's, so whoever calls it
    holds a Rolling (a type checker insists); `.mean()` is each class's own, so which is unknown."""
    db, code = _project(tmp_path, UNIONS)
    returns = _stored_returns(db)
    assert returns["framelib.DataFrame.rolling"][0]["returns"] == \
        "framelib.core.window.Window | framelib.core.window.Rolling"
    assert _check(db, code) == [
        (5, "APIM002", "framelib.core.window.Rolling.quantile"),
        (7, "APIM002", "framelib.core.window.Rolling.quantile"),     # the class the keyword does not decide
        # `q=`: live; `mean()`: Window's is deprecated, Rolling's is not, and either may be meant
        (10, "APIM002", "framelib.core.window.Expanding.quantile"),
        # `frame.quantile(quantile=)`: Rolling's or Expanding's by name, which deprecate it alike
        (11, "APIM003", "framelib.core.window.{Expanding,Rolling}.quantile"),
        (12, "APIM001", "framelib.core.generic.NDFrame.first"),       # `copy()` of the DataFrame of the union: Self
        # `copy()` of that DataFrame, which has no `close`: FrameReader's is not meant
        (15, "APIM001", "framelib.core.generic.NDFrame.first"),       # annotated with a union: NDFrame's either way
        (16, "APIM001", "framelib.Series.ravel"),
        (18, "APIM001", "framelib.DataFrame.applymap"),               # isinstance of a tuple of classes
        (20, "APIM003", "framelib.Series.ravel"),                     # `Sheet` may have one: by name only
    ]


BRANCHES = '''\
import framelib as fl


def f(flag, data):
    if flag:
        x = fl.DataFrame(data)
    else:
        x = fl.Series(data)
    x.first("1D")
    x.ravel()
    x.close()
    y = fl.DataFrame(data)
    if flag:
        y = load(data)
    y.ravel()


def build(flag, data):
    if flag:
        return fl.DataFrame(data)
    return fl.Series(data)


build(True, data).ravel()
build(True, data).first("1D")
'''


def test_bindings_of_different_classes_make_a_union(tmp_path: Path):
    """`x = DataFrame(...)` in one branch and `x = Series(...)` in the other: `x` is either, as a
    type checker joins them; a binding we cannot type leaves the name unknown. So is what the
    file's own function returns when its returns give different classes."""
    db, code = _project(tmp_path, BRANCHES)
    assert _check(db, code) == [
        (9, "APIM001", "framelib.core.generic.NDFrame.first"),       # NDFrame's either way
        (10, "APIM001", "framelib.Series.ravel"),                    # only the Series has it
        # `close()`: neither has one (FrameReader's is not meant)
        (15, "APIM003", "framelib.Series.ravel"),                    # `load()` unknown: by name
        (24, "APIM001", "framelib.Series.ravel"),                    # returns of both classes
        (25, "APIM001", "framelib.core.generic.NDFrame.first"),
    ]


SHADOWED = '''\
import framelib as fl


def f(frame: fl.DataFrame):
    return frame.applymap(str)


class Holder:
    @property
    def frame(self) -> fl.DataFrame:
        return self._frame
'''


def test_a_def_named_like_a_local_elsewhere_does_not_untype_it(tmp_path: Path):
    """statsmodels 0.15 tsa/deterministic.py: a parameter `index: pd.DatetimeIndex | pd.PeriodIndex`
    went untyped because a property of another class is called `index`."""
    db, code = _project(tmp_path, SHADOWED)
    assert _check(db, code) == [(5, "APIM001", "framelib.DataFrame.applymap")]


READ = '''\
import framelib as fl

df = fl.DataFrame(data)
df.style.applymap(color)
styler = df.style
styler.applymap(color)
df.T.first("1D")
df.T.style.applymap(color)
fl.read_frame("a.csv").style.applymap(color)
load().style.applymap(color)
'''


def test_a_property_s_annotation_types_what_reading_it_gives(tmp_path: Path):
    """`df.style` is a Styler (pandas: `def style(self) -> Styler`), whose `applymap` is its own."""
    db, code = _project(tmp_path, READ)
    assert _check(db, code) == [
        (4, "APIM001", "framelib.Styler.applymap"),
        (6, "APIM001", "framelib.Styler.applymap"),                  # bound from the read
        (7, "APIM001", "framelib.core.generic.NDFrame.first"),       # `T -> DataFrame`
        (8, "APIM001", "framelib.Styler.applymap"),
        (9, "APIM001", "framelib.Styler.applymap"),                  # read_frame(path): a DataFrame
        (10, "APIM003", "framelib.Styler.applymap"),   # `load()` unknown: by name, of what `style` holds
    ]
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0, result.output
    fixed = code.read_text().splitlines()
    assert (fixed[3], fixed[5], fixed[7]) == ("df.style.map(color)", "styler.map(color)", "df.T.style.map(color)")
    assert fixed[9] == "load().style.applymap(color)"


CHAINED = '''\
import framelib as fl

df = fl.read_frame("a.csv")
df = df.copy()
df = df.T
df.applymap(str)
h = fl.read_frame("a.csv")
h = h.style
h.applymap(str)


def f(data):
    a = fl.DataFrame(data)
    b = a.copy()
    a = b.T
    return a.applymap(str), b.applymap(str)


def g(data):
    x = load(data)
    x = x.copy()
    return x.applymap(str)
'''


def test_a_name_rebound_from_itself_keeps_its_class_when_the_chain_does(tmp_path: Path):
    """`df = df.copy()` after `df = read(...)`: a type checker sees one DataFrame all along."""
    db, code = _project(tmp_path, CHAINED)
    assert _check(db, code) == [
        (6, "APIM001", "framelib.DataFrame.applymap"),       # read_frame, copy() -> Self, T -> DataFrame
        (9, "APIM003", "framelib.DataFrame.applymap"),       # a DataFrame, then a Styler: either
        (16, "APIM001", "framelib.DataFrame.applymap"),      # a and b read each other
        (16, "APIM001", "framelib.DataFrame.applymap"),
        (22, "APIM003", "framelib.DataFrame.applymap"),      # from load(): unknown all along
    ]


ACCESSED = '''\
import framelib as fl

s = fl.Series(data)
s.dt.weekday
load()["d"].dt.weekday
load().weekday
s.helper.weekday
'''


def test_an_accessor_a_descriptor_builds_holds_its_class(tmp_path: Path):
    """pandas' `dt = Accessor("dt", CombinedDatetimelikeProperties)`: `s.dt` is that class, and
    `x.dt.weekday` is its deprecated `weekday` whatever `x` is (where `Stamp.weekday` lives)."""
    db, code = _project(tmp_path, ACCESSED)
    kb = open_db(db)
    try:
        returns = kb.class_facts().returns
        [row] = kb.get("framelib.core.accessors.DatetimeProps.weekday")
    finally:
        kb.close()
    assert returns["framelib.Series.dt"] == [{"params": [], "literals": {}, "types": {}, "annotations": {},
                                              "returns": "framelib.core.accessors.DatetimeProps",
                                              "overload": False, "property": True, "accessor": True}]
    assert "framelib.Series.helper" not in returns                 # Plain defines no __get__
    # "Use Series.dt.day_of_week": through the accessor, on the deprecated member's own class;
    # the getter only returns `self.day_of_week`, so a read can be renamed
    assert (row["replacement"], row["drop_in"]) == ("framelib.core.accessors.DatetimeProps.day_of_week", 1)
    assert _check(db, code) == [
        (4, "APIM001", "framelib.core.accessors.DatetimeProps.weekday"),
        (5, "APIM003", "framelib.core.accessors.DatetimeProps.weekday"),    # by the accessor's name
        # `load().weekday`, `s.helper.weekday`: `Stamp.weekday` lives, so a bare name tells nothing
    ]
    result = CliRunner().invoke(app, ["fix", str(code), "--db", str(db), "--isolated"])
    assert result.exit_code == 0 and "1 left to fix by hand" in result.output, result.output
    assert code.read_text().splitlines()[3:5] == ["s.dt.day_of_week", 'load()["d"].dt.weekday']


UNKNOWN_STYLE = '''\
import framelib as fl


def f(frame, color):
    return frame.style.applymap(color)
'''


def test_a_property_every_library_class_so_named_has_types_what_is_read_from_an_unknown_value(tmp_path: Path):
    """statsmodels 0.15 multivariate/factor.py: `loadings_df.style.applymap(color)` on a parameter of
    unknown class was reported as DataFrame.applymap ("use DataFrame.map"); every library `style`
    is a property returning a Styler, whose own `applymap` it is."""
    db, code = _project(tmp_path, UNKNOWN_STYLE)
    assert _check(db, code) == [(5, "APIM003", "framelib.Styler.applymap")]
