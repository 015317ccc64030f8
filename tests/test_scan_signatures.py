"""Signatures as the scan keeps them (scan/signatures.py), on shapes copied from pandas' source."""
from __future__ import annotations

import textwrap

import pytest

from apimigrate.callsites import parse
from apimigrate.scan.signatures import decorator_names, signature


def _sig(src: str, *, method: bool = False):
    tree = parse(textwrap.dedent(src).encode())
    node = tree.root_node.named_children[0]
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
    assert static["params"] == [["data", "pos", False], ["args", "args", True]]
    style = _sig("@property\ndef style(self) -> Styler: ...", method=True)
    assert style["property"] and style["returns"] == "Styler" and style["params"] == []
    cached = _sig("@cache_readonly\ndef inferred_freq(self) -> str | None: ...", method=True)
    assert cached["property"] and cached["returns"] == "str"
    assert _sig("@property\ndef dtypes(self): ...", method=True) is None
    assert _sig("def f(x): ...") is None                # nothing said about what it returns


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
