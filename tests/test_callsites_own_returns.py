"""A value the file's own function returns (`df = load(path)`) is of the library class that
function gives: the one it is annotated to return, or, unannotated, the one every `return` of
it gives (callsites/receivers.py, `_own_return_class`).

`fillna(method=)` is deprecated by two classes of the scanned library (filllib, from
test_callsites_keywords_by_name): on a value of unknown class it is matched by name, named for both
(`BY_NAME`), so a finding named `filllib.NDFrame.fillna` below means the receiver's class was known.
"""
from __future__ import annotations

from pathlib import Path

from test_callsites_keywords_by_name import filllib_findings

TYPED, BY_NAME = "filllib.NDFrame.fillna", "filllib.{ExtensionArray,NDFrame}.fillna"

FACTORIES = '''\
import functools
import contextlib
import filllib as fl


def load(path):
    return fl.read_table(path)


def typed(path) -> fl.NDFrame:
    return something(path)


def either(path, raw):
    if raw:
        return fl.make_array(path)
    return fl.read_table(path)


def maybe(path):
    if path:
        return fl.read_table(path)
    return


def chained(path):
    frame = load(path)
    return frame


@functools.lru_cache
def cached(path):
    return fl.read_table(path)


@contextlib.contextmanager
def opened(path):
    yield fl.read_table(path)


async def fetched(path):
    return fl.read_table(path)


def loop(n):
    return loop(n - 1)


def loop_or_read(n):
    if n:
        return loop_or_read(n - 1)
    return fl.read_table(n)


def nested(path):
    def inner():
        return fl.make_array(path)
    return fl.read_table(path)


def choose(path, flag):
    return (fl.read_table(path) if flag else chained(path))


class Reader:
    def read(self, path):
        return fl.read_table(path)

    def go(self, path):
        return self.read(path).fillna(method="ffill")


load("x").fillna(method="ffill")
typed("x").fillna(method="ffill")
either("x", 1).fillna(method="ffill")
maybe("x").fillna(method="ffill")
chained("x").fillna(method="ffill")
cached("x").fillna(method="ffill")
with opened("x") as frame:
    frame.fillna(method="ffill")
fetched("x").fillna(method="ffill")
loop(3).fillna(method="ffill")
loop_or_read(3).fillna(method="ffill")
nested("x").fillna(method="ffill")
choose("x", 0).fillna(method="ffill")
'''


def _line(text: str) -> int:
    return FACTORIES.splitlines().index(text) + 1


def test_a_value_of_the_files_own_function_is_of_the_class_it_returns(tmp_path: Path):
    found = filllib_findings(tmp_path, source=FACTORIES)
    assert all(parameter == "method" and api in (TYPED, BY_NAME) for _, parameter, api in found)
    assert [line for line, _, api in found if api == TYPED] == sorted([
        _line('        return self.read(path).fillna(method="ffill")'),    # a method, through `self`
        _line('load("x").fillna(method="ffill")'),                          # `return fl.read_table(path)`
        _line('typed("x").fillna(method="ffill")'),                         # the annotation, whatever the body
        _line('chained("x").fillna(method="ffill")'),                       # a local bound by another own function
        _line('cached("x").fillna(method="ffill")'),                        # lru_cache returns what the body does
        _line('loop_or_read(3).fillna(method="ffill")'),                    # the recursive return adds nothing
        _line('nested("x").fillna(method="ffill")'),                        # `inner`'s return is not `nested`'s
        _line('choose("x", 0).fillna(method="ffill")'),                     # both values of `a if c else b`
    ])
    # by name, the class unknown: `either` (two classes), `maybe` (also returns None), `opened` (a
    # context manager: what it yields is bound by `with`), `fetched` (a coroutine), `loop` (only itself)
    assert [line for line, _, api in found if api == BY_NAME] == sorted([
        _line('either("x", 1).fillna(method="ffill")'), _line('maybe("x").fillna(method="ffill")'),
        _line('    frame.fillna(method="ffill")'), _line('fetched("x").fillna(method="ffill")'),
        _line('loop(3).fillna(method="ffill")')])


def test_a_name_bound_to_something_else_or_defined_twice_is_not_followed(tmp_path: Path):
    source = ('import filllib as fl\n'
              'def load(path):\n    return fl.read_table(path)\n'
              'def use(load):\n    return load("x").fillna(method="ffill")\n'      # a parameter shadows it
              'def other(p):\n    return fl.read_table(p)\n'
              'other = make_other()\n'
              'other("x").fillna(method="ffill")\n'                                   # rebound at module level
              'if flag:\n    def pick(p):\n        return fl.read_table(p)\n'
              'else:\n    def pick(p):\n        return fl.make_array(p)\n'
              'pick("x").fillna(method="ffill")\n')                                  # two defs that disagree
    assert filllib_findings(tmp_path, source=source) == [(5, "method", BY_NAME), (9, "method", BY_NAME),
                                                         (16, "method", BY_NAME)]
