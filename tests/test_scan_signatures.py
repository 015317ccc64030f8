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
    ("list[DataFrame]", None),
    ("Iterator[DataFrame] | None", None),
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


def test_methods_drop_self_and_properties_are_no_calls() -> None:
    sig = _sig("def copy(self, deep: bool_t = True) -> Self: ...", method=True)
    assert sig["params"] == [["deep", "pos", True]]
    static = _sig("@staticmethod\ndef make(data, /, *args) -> DataFrame: ...", method=True)
    assert static["params"] == [["data", "pos", False], ["args", "args", True]]
    assert _sig("@property\ndef T(self) -> DataFrame: ...", method=True) is None
    assert _sig("@cache_readonly\ndef inferred_freq(self) -> str | None: ...", method=True) is None
    assert _sig("def f(x): ...") is None                # nothing said about what it returns
