"""What a def's names hold of its parameters (scan/value_tables.py `DefBindings.derived_from`): a
list the def fills with pieces of a parameter holds pieces of it (pandas' timedelta parser gathers
the letters of a duration string with `unit.append(c)`), and `"".join(x)` is the string `x` spells,
where a join with any other separator is a value computed from it; `a, b = x, y` binds each name
from its own expression."""
from __future__ import annotations

import tree_sitter_python
from tree_sitter import Language, Parser

from apimigrate.scan.value_tables import DefBindings

SOURCE = b'''\
def parse(ts, sep):
    unit, seen = [], {}
    before = unit
    for c in ts:
        if c == ":":
            unit = []
        else:
            unit.append(c)
            seen.get(c)
    letters = unit
    looked_up = seen
    whole = "".join(ts)
    spaced = " ".join(ts)
    formatted = "".format(ts)
    chosen = sep.join(ts)
    gathered = []
    gathered.append(ts)
    kept = gathered
    own, other = ts, sep
    both = ts, sep
    left, right = both
    for head, tail in ts, sep:
        pass
    (sep, _), rest = both, ts
    if type(ts) is bytes:
        ts = ts.decode()
    text = ts
'''


def _bindings() -> tuple[DefBindings, bytes]:
    tree = Parser(Language(tree_sitter_python.language())).parse(SOURCE)
    func = tree.root_node.named_children[0]
    return DefBindings(func, ["ts", "sep"]), SOURCE


def test_a_list_filled_with_pieces_of_a_parameter_holds_pieces_of_it():
    bindings, source = _bindings()
    assert bindings.derived_from("unit", source.index(b"letters = unit")) == ("ts", True)
    assert bindings.derived_from("unit", source.index(b"before = unit")) is None      # not filled yet
    assert bindings.derived_from("seen", source.index(b"looked_up = seen")) is None   # only looked in


def test_an_empty_join_is_the_string_and_another_join_a_value_computed_from_it():
    bindings, source = _bindings()
    end = len(source)
    assert bindings.derived_from("whole", end) == ("ts", False)
    assert bindings.derived_from("spaced", end) is None
    assert bindings.derived_from("formatted", end) is None
    assert bindings.derived_from("chosen", end) is None         # from two parameters
    assert bindings.derived_from("kept", end) is None           # the whole parameter in a list: computed


def test_a_tuple_assigned_to_as_many_names_binds_each_from_its_own_expression():
    bindings, source = _bindings()
    end = len(source)
    assert bindings.derived_from("own", end) == ("ts", False)
    assert bindings.derived_from("other", end) == ("sep", False)
    assert bindings.derived_from("left", end) is None          # an unpacked value: from both
    assert bindings.derived_from("head", end) is None          # each of ts and sep in turn
    assert bindings.derived_from("sep", end) is None           # rebound, nested, from both


def test_a_rebinding_only_where_no_string_was_given_leaves_a_string_as_given():
    bindings, source = _bindings()
    assert bindings.derived_from("ts", source.index(b"text = ts") + len(b"text = ")) == ("ts", False)
