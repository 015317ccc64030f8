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
    ("DataFrame | TextFileReader", None),             # read_csv's implementation: either
    ("list[DataFrame]", "list"),                       # a builtin: the scan keeps library classes only
    ("Series[int]", "Series"),                         # a generic class is that class
    ("np.ndarray[Any, np.dtype[np.float64]]", "np.ndarray"),
    ("Optional[Series[int]]", "Series"),
    ("Iterator[DataFrame] | None", "Iterator"),       # typing's: no library class either
    ("None", None),
])
def test_the_one_class_a_return_annotation_names(annotation: str, returns: str | None) -> None:
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
    assert sig["not_none"] == []          # `int | None` takes None; `FilePath` is an alias, unknown


@pytest.mark.parametrize(("annotation", "rejects"), [
    ("int", True),
    ("list[str]", True),
    ("str | Sequence[str]", True),
    ("typing.Callable[..., Any]", True),
    ("int | None", False),
    ("Optional[int]", False),
    ("IndexLabel", False),                 # pandas' alias takes None: aliases are not read
    ("Hashable", False),                   # None is hashable
    ("Any", False),
])
def test_parameters_whose_annotation_rejects_none(annotation: str, rejects: bool) -> None:
    # read_csv's second overload: `chunksize: int` with no default returns a TextFileReader,
    # which `read_csv(path, chunksize=None)` must not pick
    sig = _sig(f"@overload\ndef read_csv(path, *, chunksize: {annotation}) -> TextFileReader: ...")
    assert sig["not_none"] == (["chunksize"] if rejects else [])


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
