"""Signatures as the scan keeps them (scan/signatures.py), on shapes copied from pandas' source."""
from __future__ import annotations

import textwrap

import pytest

from apimigrate.callsites import DeprecationIndex, find_references, parse
from apimigrate.scan.signatures import decorator_names, returned_items, signature
from scan_support import scan_library


def _sig(src: str, *, method: bool = False, prefix: str = ""):
    """The signature of the def in `src`, after the module-level lines `prefix`."""
    tree = parse((prefix + textwrap.dedent(src)).encode())
    node = tree.root_node.named_children[-1]
    func = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
    return signature(func, decorator_names(node), method=method)


@pytest.mark.parametrize(("annotation", "returns"), [
    ("DataFrame", "DataFrame"),
    ("pd.DataFrame", "pd.DataFrame"),
    ('"DataFrame"', "DataFrame"),                      # a forward reference
    ('"DataFrame | None"', "DataFrame"),
    ("DataFrame | None", "DataFrame"),
    ("Optional[DataFrame]", "DataFrame"),
    ("typing.Union[Series, None]", "Series"),
    ("Self", "Self"),
    ("DataFrame | TextFileReader", "DataFrame | TextFileReader"),   # read_csv's implementation: either
    ("Union[Window, Rolling, None]", "Window | Rolling"),
    ('"Series | DataFrame"', "Series | DataFrame"),
    ("Series | Series[int]", "Series"),               # each class once
    ("list[DataFrame]", "list"),                       # a builtin: the scan keeps library classes only
    ("Series[int]", "Series"),                         # a generic class is that class
    ("np.ndarray[Any, np.dtype[np.float64]]", "np.ndarray"),
    ("Optional[Series[int]]", "Series"),
    ("Iterator[DataFrame] | None", "Iterator"),       # typing's: no library class either
    ("None", None),
])
def test_the_classes_a_return_annotation_names(annotation: str, returns: str | None) -> None:
    assert _sig(f"def f(x) -> {annotation}: ...")["returns"] == returns


def test_parameters_kinds_defaults_and_the_literals_they_admit() -> None:
    # pandas.io.parsers.readers: the first overload of read_csv
    sig = _sig('''
        @overload
        def read_csv(
            filepath_or_buffer: FilePath | ReadCsvBuffer[bytes],
            *,
            iterator: Literal[True],
            chunksize: int | None = ...,
            engine: Literal["c", 'python'] | None = None,
            **kwds: Unpack[_read_shared[HashableT]],
        ) -> TextFileReader: ...
    ''')
    assert sig["overload"] and sig["returns"] == "TextFileReader"
    assert sig["params"] == [["filepath_or_buffer", "pos", False], ["iterator", "kw", False],
                             ["chunksize", "kw", True], ["engine", "kw", True], ["kwds", "kwargs", True]]
    assert sig["literals"] == {"iterator": ["True"], "engine": ["'c'", "'python'", "None"]}
    assert sig["types"] == {"chunksize": ["int", "None"]}     # `FilePath` is an alias: unknown
    # an overload keeps its annotations as written, to tell whether others annotate alike
    assert sig["annotations"]["filepath_or_buffer"] == "FilePath | ReadCsvBuffer[bytes]"
    assert sig["annotations"]["kwds"] == "Unpack[_read_shared[HashableT]]"
    assert _sig("def read(path: FilePath) -> DataFrame: ...")["annotations"] == {}   # no overload: not needed


@pytest.mark.parametrize(("annotation", "types"), [
    ("int", ["int"]),
    ("list[str]", ["list"]),
    ("str | Sequence[str]", ["str", "Sequence"]),
    ("typing.Callable[..., Any]", ["Callable"]),
    ("int | None", ["int", "None"]),
    ("Optional[int]", ["int", "None"]),
    ("Union[int, str, None]", ["int", "str", "None"]),
    ("IndexLabel", None),                  # pandas' alias takes None: aliases are not read
    ("Hashable", None),
    ("Any", None),
])
def test_parameters_annotated_with_builtin_types(annotation: str, types: list[str] | None) -> None:
    # read_csv's second overload: `chunksize: int` with no default returns a TextFileReader,
    # which `read_csv(path, chunksize=None)` must not pick
    sig = _sig(f"@overload\ndef read_csv(path, *, chunksize: {annotation}) -> TextFileReader: ...")
    assert sig["types"].get("chunksize") == types


def test_methods_drop_self_and_properties_are_reads() -> None:
    sig = _sig("def copy(self, deep: bool_t = True) -> Self: ...", method=True)
    assert sig["params"] == [["deep", "pos", True]] and not sig["property"]
    static = _sig("@staticmethod\ndef make(data, /, *args) -> DataFrame: ...", method=True)
    assert static["params"] == [["data", "posonly", False], ["args", "args", True]]
    style = _sig("@property\ndef style(self) -> Styler: ...", method=True)
    assert style["property"] and style["returns"] == "Styler" and style["params"] == []
    cached = _sig("@cache_readonly\ndef inferred_freq(self) -> str | None: ...", method=True)
    assert cached["property"] and cached["returns"] == "str"
    assert _sig("@property\ndef dtypes(self): ...", method=True) is None
    assert _sig("def f(x): ...") is None                # nothing said about what it returns


@pytest.mark.parametrize(("src", "method", "returns"), [
    # SQLAlchemy 2.1 orm/session.py: `with Session(engine) as session:` binds a Session
    ("def __enter__(self: _S) -> _S: ...", True, "Self"),
    ("@classmethod\ndef make(cls: Type[_T], data) -> _T: ...", True, "Self"),
    ("@classmethod\ndef make(cls: type[_T], data) -> _T: ...", True, "Self"),
    ("def merge(self: _T, other: _T) -> _T: ...", True, "Self"),
    ("def first(self, other: _T) -> _T: ...", True, "_T"),                 # another parameter's type
    ("@staticmethod\ndef build(a: _T) -> _T: ...", True, "_T"),           # no instance
    ("def build(a: _T) -> _T: ...", False, "_T"),                           # a function's first parameter
])
def test_a_type_variable_the_instance_is_annotated_with_is_self(src: str, method: bool, returns: str) -> None:
    variables = '_S = TypeVar("_S", bound="Session")\n_T = typing.TypeVar("_T")\n'
    assert _sig(src, method=method, prefix=variables)["returns"] == returns


@pytest.mark.parametrize(("src", "returns"), [
    ("def sort(self: Never, /, axis: L[-1] = -1) -> Never: ...", "Never"),          # numpy 2.4 `generic.sort`
    ("def take(self: MultiIndex, indices, axis=0) -> MultiIndex: ...", "MultiIndex"),  # pandas 3.1
])
def test_a_class_the_instance_is_annotated_with_is_no_self(src: str, returns: str) -> None:
    assert _sig(src, method=True, prefix="from typing import Never\n")["returns"] == returns


def test_a_setter_leaves_the_getter_saying_what_a_read_returns() -> None:
    from apimigrate.scan.python_source import extract_python
    src = textwrap.dedent('''
        class Frame:
            @property
            def columns(self) -> Index:
                return self._columns

            @columns.setter
            def columns(self, value) -> None:
                self._columns = value

            def pop(self, key) -> Series: ...
            def pop(self, key): ...          # redefined without an annotation: unknown
    ''')
    info = extract_python(src.encode(), "frame.py", "lib.frame").module_info
    assert info.signatures["Frame.columns"][0]["returns"] == "Index"
    assert "Frame.pop" not in info.signatures


def test_a_wrapper_assigned_over_a_method_keeps_the_method_s_signature() -> None:
    from apimigrate.scan.python_source import extract_python
    src = textwrap.dedent('''
        class Frame:
            dt = Accessor("dt", DatetimeProps)

            def pivot(self, index) -> Frame: ...
            pivot = deprecated(pivot)
    ''')
    info = extract_python(src.encode(), "frame.py", "lib.frame").module_info
    assert info.signatures["Frame.pivot"][0]["returns"] == "Frame"
    # names.py keeps `dt` only once it has seen `Accessor` define `__get__`
    assert info.signatures["Frame.dt"][0] == {"params": [], "literals": {}, "types": {}, "annotations": {},
                                              "returns": "DatetimeProps", "overload": False, "property": True,
                                              "descriptor": "Accessor"}


@pytest.mark.parametrize(("body", "returns"), [
    ("self._fit(X, y)\n    return self", "Self"),                                   # scikit-learn's fit
    ("if y is None:\n        return self\n    self.y = y\n    return self", "Self"),
    ("def inner():\n        return 1\n    return self", "Self"),               # a nested def's return is its own
    ("return self if y is None else self.copy()", None),
    ("if y is None:\n        return self\n    return other", None),
    ("self.y = y", None),                                                           # returns None
    ("yield self", None),
    ("return", None),
])
def test_an_unannotated_method_that_returns_its_instance_returns_self(body: str, returns: str | None) -> None:
    sig = _sig(f"def fit(self, X, y=None):\n    {body}\n", method=True)
    assert (sig["returns"] if sig else None) == returns
    if returns:
        assert sig["params"] == [["X", "pos", False], ["y", "pos", True]]
    # a function's first parameter is no instance; a static method has none
    assert _sig(f"def fit(self, X, y=None):\n    {body}\n") is None
    assert _sig(f"@staticmethod\ndef fit(self, X, y=None):\n    {body}\n", method=True) is None


# SQLAlchemy 2.1's shapes, cut down: orm/session.py `__enter__(self: _S) -> _S` and `query`'s
# overloads returning `Query[_O]`; orm/query.py's deprecated `values` (a `@util.deprecated`).
ORM_SESSION = '''\
from typing import Any, TypeVar, overload

from .query import Query

_S = TypeVar("_S", bound="Session")


class Session:
    def __init__(self, bind=None):
        self.bind = bind

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, type_, value, traceback) -> None:
        pass

    @overload
    def query(self, _entity: Any) -> Query[Any]: ...

    @overload
    def query(self, _colexpr: Any, __ent1: Any) -> Query[Any]: ...

    def query(self, *entities: Any, **kwargs: Any) -> Query[Any]:
        return Query(entities, self)
'''
ORM_QUERY = '''\
import warnings
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Query(Generic[_T]):
    def __init__(self, entities, session=None):
        self._entities = entities

    def with_entities(self, *entities):
        return self

    def values(self, *columns):
        """Return an iterator yielding result tuples corresponding to the given list of columns.

        .. deprecated:: 1.4 :meth:`_query.Query.values` is deprecated and will be removed in a
           future release. Please use :meth:`_query.Query.with_entities`
        """
        warnings.warn("Query.values is deprecated; use Query.with_entities", DeprecationWarning, stacklevel=2)
        return iter(())
'''


def test_with_a_session_binds_what_its_enter_returns(tmp_path) -> None:
    kb = scan_library(tmp_path, "ormlite", "2.1.0", {
        "ormlite/__init__.py": "", "ormlite/orm/__init__.py": "from .session import Session\nfrom .query import Query\n",
        "ormlite/orm/session.py": ORM_SESSION, "ormlite/orm/query.py": ORM_QUERY})
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    kb.close()
    code = ("from ormlite.orm import Session\n"
            "with Session(engine) as session:\n"
            "    session.query(User).values(User.id)\n")
    assert [(r.line, r.api) for r in find_references(code, index)] == [(2, "ormlite.orm.Query.values")]


@pytest.mark.parametrize(("annotation", "items"), [
    ("tuple[Figure, Any]", ["Figure", "Any"]),                  # matplotlib 3.11 pyplot.subplots
    ("Tuple[Frame, Index | None]", ["Frame", "Index"]),
    ("tuple[NDArray[float64], NDArray[Any]]", ["NDArray", "NDArray"]),
    ("tuple[Callable[..., Any], int]", ["Callable", "int"]),   # `Callable`: no class, as names.py finds
    ("tuple[int, ...]", None),                                   # no fixed length
    ("tuple[Figure, Axes] | None", None),
    ("list[Figure]", None),
    ("Figure", None),
])
def test_the_items_of_a_fixed_length_tuple(annotation: str, items: list | None) -> None:
    tree = parse(f"def f() -> {annotation}: ...".encode())
    assert returned_items(tree.root_node.named_children[0].child_by_field_name("return_type")) == items


# matplotlib 3.11's shapes, cut down: pyplot.subplots' overloads (a lone Axes without arguments,
# an array of them with squeeze=False), and Axes.boxplot's `vert`, deprecated in 3.11.
PLOT_PYPLOT = '''\
from typing import Any, Literal, overload

import numpy as np

from .axes import Axes
from .figure import Figure


def figure(num=None) -> Figure:
    return Figure()


@overload
def subplots(nrows: Literal[1] = ..., ncols: Literal[1] = ..., *, squeeze: Literal[True] = ...) -> tuple[Figure, Axes]:
    ...


@overload
def subplots(nrows: int = ..., ncols: int = ..., *, squeeze: Literal[False]) -> tuple[Figure, np.ndarray]:
    ...


@overload
def subplots(nrows: int = ..., ncols: int = ..., *, squeeze: bool = ...) -> tuple[Figure, Any]:
    ...


def subplots(nrows=1, ncols=1, *, squeeze=True):
    fig = figure()
    return fig, fig.subplots(nrows, ncols, squeeze=squeeze)
'''
PLOT_AXES = '''\
import warnings


class Axes:
    def boxplot(self, x, notch=None, vert=None, orientation="vertical"):
        if vert is not None:
            warnings.warn("The 'vert' parameter of boxplot() was deprecated in 3.11 and will be removed in "
                          "3.13. Use orientation instead.", DeprecationWarning)
        return {}


class Figure:
    def subplots(self, nrows=1, ncols=1, *, squeeze=True):
        return Axes()
'''


def test_a_tuple_a_call_returns_types_the_names_it_is_unpacked_into(tmp_path) -> None:
    kb = scan_library(tmp_path, "plotlib", "3.11.0", {
        "plotlib/__init__.py": "", "plotlib/pyplot.py": PLOT_PYPLOT, "plotlib/axes.py": PLOT_AXES,
        "plotlib/figure.py": "from .axes import Figure\n"})
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    kb.close()
    code = ("import plotlib.pyplot as plt\n"
            "fig, ax = plt.subplots()\n"
            "ax.boxplot(data, vert=False)\n"                 # 2: a lone Axes
            "fig, axs = plt.subplots(2, 2)\n"
            "axs.boxplot(data, vert=False)\n"                # 4: Any: by name
            "a, b, c = plt.subplots()\n"
            "c.boxplot(data, vert=False)\n"                  # 6: three names, two items: by name
            "(f, (a1, a2)) = plt.subplots(1, 2)\n")
    assert [(r.line, r.parameter, r.by_name) for r in find_references(code, index)] == [
        (2, "vert", False), (4, "vert", True), (6, "vert", True)]
