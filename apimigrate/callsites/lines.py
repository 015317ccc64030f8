"""Which APIs one line of code uses, resolved through the imports of its context.

The evaluator asks this of a model's first generated line: does it call the
deprecated API, its replacement, or neither?
"""
from __future__ import annotations

import re

from .bindings import Binding, binding_scope, classify, collect_imports, resolve, scope_chain, _in_except
from .index import DeprecationIndex
from .parsing import parse


def resolve_line_apis(context: str, line: str, index: DeprecationIndex | None = None) -> set[str]:
    """Fully qualified names `line` uses: every attribute-chain prefix from an import onwards.

    `import numpy as np` + `x = np.linalg.norm(v)` -> {"numpy", "numpy.linalg", "numpy.linalg.norm"}.
    With an `index`, a deprecated method called on a value of unknown type
    (`df.applymap(f)`) adds its api when the name is unambiguous, as in `check`.
    """
    if context and not context.endswith("\n"):
        context += "\n"
    prefix = context.encode("utf-8")
    data = prefix + line.encode("utf-8")
    start = len(prefix)
    tree = parse(data)
    root = tree.root_node
    fb = collect_imports(data, root, None)
    names = {imp.name for imp in fb.imports}
    method_names = index.method_names() if index is not None else set()
    found: set[str] = set()
    if not names and not method_names:
        return found
    pattern = re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in names | method_names) + rb")\b")
    uses, attrs = [], []
    for m in pattern.finditer(data):
        node = root.descendant_for_byte_range(m.start(), m.end())
        if node is None or node.type != "identifier" or node.start_byte != m.start():
            continue
        kind, name = classify(node), m.group().decode()
        if kind in ("bind", "param") and name in names:
            fb.add(name, Binding(binding_scope(node, kind), node.start_byte, None, _in_except(node)))
        elif m.start() >= start and kind == "use" and name in names:
            uses.append((node, name))
        elif m.start() >= start and kind == "attr" and name in method_names:
            attrs.append(node)
    for bs in fb.by_name.values():
        bs.sort(key=lambda b: b.pos)
    for node, name in uses:
        b = resolve(fb.by_name[name], scope_chain(node), node.start_byte)
        if b is None or b.imp is None:
            continue
        qual = b.imp.target
        found.add(qual)
        if index is not None:
            found.add(index.canonical(qual))
        while node.parent is not None and node.parent.type == "attribute" \
                and node.parent.start_byte == node.start_byte:
            attr = node.parent.child_by_field_name("attribute")
            if attr is None:
                break
            node = node.parent
            qual = f"{qual}.{attr.text.decode()}"
            found.add(qual)
            if index is not None:
                found.add(index.canonical(qual))
    if index is not None:
        libraries = {imp.target.split(".")[0] for imp in fb.imports}
        for node in attrs:
            row = index.method(node.text.decode(), libraries)
            if row is not None:
                found.add(row["api"])
    return found
