"""Each def's body nodes from one query of the module (scan/body_nodes.py) are those a walk of the
body gives (`value_tables.descendants`, which enters no nested def, class or lambda), in the same
order: for installed pandas and scipy modules and for the corners of nesting.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import tree_sitter_python
from tree_sitter import Language, Parser

from apimigrate.scan.body_nodes import KINDS, BodyNodes
from apimigrate.scan.value_tables import descendants

_PARSER = Parser(Language(tree_sitter_python.language()))


def _defs(root):
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "function_definition":
            yield node
        stack.extend(node.named_children)


def _walked(func) -> list[tuple]:
    return [(n.type, n.start_byte, n.end_byte) for n in descendants(func.child_by_field_name("body"))
            if n.type in KINDS]


def _queried(index: BodyNodes, func) -> list[tuple]:
    return [(n.type, n.start_byte, n.end_byte) for n in index.of(func)]


NESTING = '''\
import functools


def outer(freq, *, how=None):
    from pandas.tseries.frequencies import to_offset
    x = to_offset(freq)(how)
    @functools.wraps(outer)
    def inner(a=to_offset("D"), b=lambda: to_offset("H")) -> to_offset:
        y = a
        return to_offset(y)
    class Local(Base(freq)):
        kept = to_offset(freq)
        def method(self, z=f(1)):
            for k in g(z):
                self.k = k
    total = sum(map(lambda v: to_offset(v), [freq]))
    for i, j in zip(freq, how):
        x = x + [i]
    return inner(x), Local, total


class Outer:
    attr = make(1)

    def __init__(self, window):
        self.window = window
        self._data = (lambda: build(window))()

    @property
    def freq(self):
        return to_offset(self.window)
'''


def test_nested_defs_classes_lambdas_and_decorators_each_keep_their_own_nodes():
    root = _PARSER.parse(NESTING.encode()).root_node
    index = BodyNodes(root)
    funcs = list(_defs(root))
    assert len(funcs) == 5
    for func in funcs:
        assert _queried(index, func) == _walked(func)
    by_name = {f.child_by_field_name("name").text.decode(): f for f in funcs}
    calls = [NESTING.encode()[s:e].decode() for t, s, e in _queried(index, by_name["outer"]) if t == "call"]
    # the decorator of a nested def is the outer def's; its defaults, lambdas and class body are not
    assert calls == ["to_offset(freq)(how)", "to_offset(freq)", "functools.wraps(outer)", "sum(map(lambda v: "
                     "to_offset(v), [freq]))", "map(lambda v: to_offset(v), [freq])", "zip(freq, how)",
                     "inner(x)"]
    assert [t for t, _, _ in _queried(index, by_name["inner"])] == ["assignment", "call"]


@pytest.mark.parametrize("package, under", [("pandas", "core/resample.py"), ("pandas", "core/indexes"),
                                            ("scipy", "signal")])
def test_installed_modules_give_each_def_the_nodes_a_walk_of_its_body_gives(package: str, under: str):
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    base = Path(spec.origin).parent / under
    paths = [base] if base.is_file() else sorted(base.rglob("*.py"))
    checked = 0
    for path in paths:
        root = _PARSER.parse(path.read_bytes()).root_node
        index = BodyNodes(root)
        for func in _defs(root):
            assert _queried(index, func) == _walked(func), (path, func.start_point)
            checked += 1
    assert checked >= 50
