"""Which overload a call picks when only its literal arguments' types are known (callsites/returns.py).

The overloads are shaped after pandas' `read_csv` and numpy's `isclose` / `all` stubs, read by the
scan's own signature reader.
"""
from __future__ import annotations

import textwrap

import pytest

from apimigrate.callsites import parse
from apimigrate.callsites.returns import returned_class
from apimigrate.scan.signatures import decorator_names, signature

READ_CSV = '''
@overload
def read_csv(path: FilePath, *, iterator: Literal[True], chunksize: int | None = ..., **kwds: Unpack[Opts]) -> TextFileReader: ...
@overload
def read_csv(path: FilePath, *, iterator: bool = ..., chunksize: int, **kwds: Unpack[Opts]) -> TextFileReader: ...
@overload
def read_csv(path: FilePath, *, iterator: Literal[False] = ..., chunksize: None = ..., **kwds: Unpack[Opts]) -> DataFrame: ...
@overload
def read_csv(path: FilePath, *, iterator: bool = ..., chunksize: int | None = ..., **kwds: Unpack[Opts]) -> DataFrame | TextFileReader: ...
'''

ISCLOSE = '''
@overload
def isclose(a: _ScalarLike_co, b: _ScalarLike_co, rtol: ArrayLike = ...) -> np.bool: ...
@overload
def isclose(a: ArrayLike, b: ArrayLike, rtol: ArrayLike = ...) -> NDArray[np.bool]: ...
'''

ALL = '''
@overload
def all(a: ArrayLike, axis: None = None, *, keepdims: Literal[False] = False) -> np.bool: ...
@overload
def all(a: ArrayLike, axis: int | tuple[int, ...] | None = None, *, keepdims: SupportsIndex = False) -> ndarray: ...
'''

AGREE = '''
@overload
def load(src: str) -> Frame: ...
@overload
def load(src: bytes) -> Frame: ...
'''

# Shaped after torch.library.register_fake(op, func=None, /, *, lib=None, ...), given return annotations.
POSITIONAL_ONLY = '''
@overload
def register(op: str, func: None = None, /, *, lib: Library | None = None) -> Decorator: ...
@overload
def register(op: str, func: Callable, /, *, lib: Library | None = None) -> Registration: ...
'''


def _signatures(src: str) -> list[dict]:
    root = parse(textwrap.dedent(src).encode()).root_node
    out = []
    for node in root.named_children:
        func = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        out.append(signature(func, decorator_names(node), method=False))
    return out


def _pick(stubs: str, call: str) -> str | None:
    node = parse(call.encode()).root_node.named_children[0].named_children[0]
    args = node.child_by_field_name("arguments")
    positional, keywords, splat = [], {}, False
    for arg in args.named_children:
        if arg.type == "keyword_argument":
            keywords[arg.child_by_field_name("name").text.decode()] = arg.child_by_field_name("value")
        elif arg.type in ("list_splat", "dictionary_splat"):
            splat = True
        else:
            positional.append(arg)
    return returned_class(_signatures(stubs), positional, keywords, splat=splat, receiver=None)


@pytest.mark.parametrize(("call", "returns"), [
    ("read_csv(p)", "DataFrame"),                      # only the last two fit; `path` annotated alike
    ("read_csv(p, iterator=True)", "TextFileReader"),
    ("read_csv(p, iterator=False)", "DataFrame"),
    ("read_csv(p, chunksize=10)", "TextFileReader"),   # 10 is an int: the second overload
    ("read_csv(p, chunksize=None)", "DataFrame"),      # None is no `chunksize: int`
    ("read_csv(p, chunksize=n)", "TextFileReader | DataFrame"),   # an int or None: either
    ("read_csv(p, iterator=flag)", "DataFrame | TextFileReader"),  # a bool: only the union overload fits
    ("read_csv(p, sep=',')", "DataFrame"),             # into **kwds, annotated alike everywhere
    ("read_csv(p, **options)", None),
    ("read_csv(p, q)", None),                          # one argument too many for every overload
])
def test_read_csv_overloads(call: str, returns: str | None) -> None:
    assert _pick(READ_CSV, call) == returns


@pytest.mark.parametrize(("call", "returns"), [
    ("isclose(x, y)", "np.bool | NDArray"),            # scalars or arrays: the types decide
    ("isclose(1.0, 2.0)", "np.bool | NDArray"),        # `_ScalarLike_co` is an alias we do not read
    ("all(x)", "np.bool"),                             # `a` annotated alike: the first overload
    ("all(x, axis=1)", "ndarray"),                     # 1 is no `axis: None`
    ("all(x, axis=None)", "np.bool"),
    ("all(x, axis=k)", "ndarray"),                     # a variable, as for a type checker, is no `None`
    ("all(x, keepdims=True)", "ndarray"),              # True is no `Literal[False]`
])
def test_numpy_overloads_that_argument_types_decide(call: str, returns: str | None) -> None:
    assert _pick(ISCLOSE if call.startswith("isclose") else ALL, call) == returns


@pytest.mark.parametrize(("call", "returns"), [
    ("register(name)", "Decorator"),
    ("register(name, None, lib=lib)", "Decorator"),
    ("register(name, impl)", "Registration"),
    ("register(name, func=impl)", None),      # positional only: `func=` fits no overload (a TypeError)
    ("register(op=name)", None),
])
def test_positional_only_parameters_take_no_keywords(call: str, returns: str | None) -> None:
    assert _pick(POSITIONAL_ONLY, call) == returns


def test_overloads_that_all_return_one_class_need_no_choice() -> None:
    assert _pick(AGREE, "load(x)") == "Frame"
