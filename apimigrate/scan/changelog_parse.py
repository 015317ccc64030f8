"""Changelog documents (reST, Markdown) as a flat list of headings and paragraphs.

tree-sitter-rst gives flat ``section`` nodes (title + adornments, no body), so
nesting is rebuilt here from the adornment styles, as docutils does: the first
style seen is level 1, the next new one level 2, ...  tree-sitter-markdown nests
ATX sections itself but not setext ones; both become the same ``Block`` list.
The inline pieces that matter (``literal``, :role:`ref`, `default`, Markdown
`code`, |substitution|) are kept as ``Span`` objects with offsets into the
block's text, so the entry analysis can reason about word order around them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import tree_sitter as ts

__all__ = ["Span", "Block", "parse_rst", "parse_markdown"]


@dataclass
class Span:
    """One inline code / cross-reference piece of a block's text."""

    start: int                # offset of the whole markup in Block.text
    end: int
    body: str                 # what is between the backticks ("~numpy.save", "title <x.y>")
    role: str | None          # "func", "meth", ... (a "py:" domain dropped); None for literals;
                              # "emphasis" for reST *text* (matplotlib writes parameters so)
    line: int                 # 1-based
    # a Sphinx cross-reference (:func:`name`, `name` under the default role): what currentmodule
    # qualifies; ``code``, plain text, emphasis and Markdown code spans are none
    reference: bool = False

    def moved(self, by: int) -> Span:
        """The same span in a text that starts `by` characters earlier (a negative `by`: later)."""
        return replace(self, start=self.start + by, end=self.end + by)


@dataclass
class Block:
    """A heading, a paragraph, or a directive, in document order."""

    kind: str                 # "heading" | "para" | "directive"
    text: str
    line: int
    spans: list[Span] = field(default_factory=list)
    level: int = 0            # heading depth, 1 = outermost
    item: int | None = None   # paragraphs of one top-level list item share this id
    tags: list[str] = field(default_factory=list)  # |API|, |Fix| ... at the paragraph start
    name: str = ""            # directive name ("currentmodule")
    bullet: int | None = None  # the innermost list item the paragraph stands in (a nested list's differ)
    shown: str | None = None  # the text as written, where `text` is rewritten for reading (changelog_lists)


@lru_cache(maxsize=None)
def _parser(which: str) -> ts.Parser:
    if which == "rst":
        import tree_sitter_rst as grammar
        return ts.Parser(ts.Language(grammar.language()))
    import tree_sitter_markdown as grammar
    lang = grammar.inline_language() if which == "md-inline" else grammar.language()
    return ts.Parser(ts.Language(lang))


class _Text:
    """Byte offsets of the source -> str offsets of one block (the source is UTF-8)."""

    def __init__(self, src: bytes, start: int, end: int):
        self.raw = src[start:end]
        self.text = self.raw.decode("utf-8", errors="replace")
        self.start = start
        self._ascii = self.raw.isascii()

    def offset(self, byte_pos: int) -> int:
        rel = byte_pos - self.start
        if self._ascii:
            return rel
        return len(self.raw[:rel].decode("utf-8", errors="replace"))


# Entry tags: scikit-learn's "|API| |Fix| ...", Markdown's "**Deprecated:**" / "[Removed]".
# (tree-sitter-rst reads a leading |API| as plain text, so tags are taken from the text.)
_TAG_RE = re.compile(r"\s*(?:\|(?P<sub>[A-Za-z]+)\||\*\*\[?(?P<bold>[A-Za-z ]+?)\]?:?\*\*:?|\[(?P<br>[A-Za-z]+)\])")


def _leading_tags(text: str) -> list[str]:
    tags = []
    pos = 0
    while m := _TAG_RE.match(text, pos):
        tags.append((m.group("sub") or m.group("bold") or m.group("br")).strip())
        pos = m.end()
    return tags


# ---- reST ------------------------------------------------------------------------

_ROLE_RE = re.compile(r"^(?::(?P<pre>[\w:.+-]+):)?`(?P<body>.*)`(?::(?P<post>[\w:.+-]+):)?$", re.S)
# Block nodes whose text is never an entry (code, tables, comments, link targets).
_RST_SKIP = frozenset({"literal_block", "doctest_block", "comment", "target", "table",
                       "substitution_definition", "footnote", "citation", "field_list",
                       "transition"})
_RST_CONTAINERS = frozenset({"block_quote", "definition_list", "definition_list_item",
                             "definition", "body", "line_block", "line"})
_RST_LISTS = frozenset({"bullet_list", "enumerated_list"})


def parse_rst(src: bytes) -> list[Block]:
    tree = _parser("rst").parse(src)
    out: list[Block] = []
    styles: list[tuple[str, bool]] = []
    for node in tree.root_node.children:
        _rst_block(node, src, out, styles, item=None)
    return out


def _rst_block(node: ts.Node, src: bytes, out: list[Block], styles: list[tuple[str, bool]],
               item: int | None, origin: int = 0, bullet: int | None = None) -> None:
    """`origin`: where `src` starts in the file (a directive's content is parsed on its own), so that
    list items' ids, their offsets, stay unique."""
    t = node.type
    if t == "section":
        out.append(_rst_heading(node, src, styles))
    elif t == "paragraph":
        out.extend(_rst_para(node, src, item, bullet))
    elif t == "directive":
        if _directive_name(node, src) in _CHANGELOG_DIRECTIVES:
            _changelog_directive(node, src, out, styles, item, origin)
            return
        d = _rst_directive(node, src)
        if d is not None:
            out.append(d)
    elif t in _RST_LISTS:
        for li in node.children:
            if li.type == "list_item":
                # Nested lists stay inside their top-level item: one changelog entry.
                own = item if item is not None else origin + li.start_byte
                for c in li.children:
                    _rst_block(c, src, out, styles, own, origin, origin + li.start_byte)
    elif t in _RST_CONTAINERS:
        for c in node.children:
            _rst_block(c, src, out, styles, item, origin, bullet)
    # anything else (code blocks, tables, comments, targets) carries no entry text


def _rst_heading(node: ts.Node, src: bytes, styles: list[tuple[str, bool]]) -> Block:
    title = next((c for c in node.children if c.type == "title"), None)
    adorn = [c for c in node.children if c.type == "adornment"]
    overline = bool(adorn) and title is not None and adorn[0].start_byte < title.start_byte
    char = src[adorn[-1].start_byte:adorn[-1].start_byte + 1].decode("ascii", "replace") if adorn else "?"
    style = (char, overline)
    if style not in styles:
        styles.append(style)
    if title is None:
        return Block("heading", "", node.start_point.row + 1, level=styles.index(style) + 1)
    block = _rst_inline(title, src, "heading")
    block.level = styles.index(style) + 1
    return block


def _rst_para(node: ts.Node, src: bytes, item: int | None, bullet: int | None) -> list[Block]:
    block = _rst_inline(node, src, "para")
    block.item, block.bullet = item, bullet
    return _missed_items(block)


# tree-sitter-rst reads an indented list whose first item runs over two lines as a definition list,
# and a list nested in an item after it as one paragraph (pandas 0.11's "- ``HDFStore``" and its
# three items): a paragraph that opens with a bullet and has more lines opening with one is a list
_MISSED_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+", re.M)


def _missed_items(block: Block) -> list[Block]:
    """The paragraph, or the items of the list the parser read as one paragraph: each a paragraph of
    its own, so that a sentence ends with its item."""
    starts = [m.start() for m in _MISSED_BULLET.finditer(block.text)]
    if len(starts) < 2 or starts[0] != 0:
        return [block]
    items = []
    for start, end in zip(starts, [*starts[1:], len(block.text)]):
        text = block.text[start:end].rstrip()
        items.append(Block("para", text, block.line + block.text.count("\n", 0, start), tags=_leading_tags(text),
                           item=block.item, bullet=block.bullet,
                           spans=[sp.moved(-start) for sp in block.spans if start <= sp.start < end]))
    return items


def _rst_inline(node: ts.Node, src: bytes, kind: str) -> Block:
    txt = _Text(src, node.start_byte, node.end_byte)
    block = Block(kind, txt.text, node.start_point.row + 1, tags=_leading_tags(txt.text))
    for c in node.children:
        if c.type == "emphasis":
            raw = src[c.start_byte:c.end_byte].decode("utf-8", "replace")
            block.spans.append(Span(txt.offset(c.start_byte), txt.offset(c.end_byte), raw[1:-1], "emphasis",
                                    c.start_point.row + 1))
        elif c.type in ("literal", "interpreted_text"):
            raw = src[c.start_byte:c.end_byte].decode("utf-8", "replace")
            span = _rst_span(raw, c.type)
            if span is not None:
                body, role = span
                block.spans.append(Span(txt.offset(c.start_byte), txt.offset(c.end_byte), body, role,
                                        c.start_point.row + 1, reference=c.type == "interpreted_text"))
    _add_plain_calls(block)
    return block


# A call written as plain text: numpy 1.24's "The mini() method of ``np.ma.MaskedArray`` has been removed".
# Empty parentheses after a name are code in any prose; a name with arguments may be English ("(s)").
_PLAIN_CALL = re.compile(r"(?<![\w.`*'\"/:\\-])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\(\)(?![\w`(])")


def _add_plain_calls(block: Block) -> None:
    """Spans for the calls the text writes outside any markup (`_PLAIN_CALL`)."""
    taken = [(sp.start, sp.end) for sp in block.spans]
    for m in _PLAIN_CALL.finditer(block.text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        block.spans.append(Span(m.start(), m.end(), m.group(), None, block.line + block.text.count("\n", 0, m.start())))
    block.spans.sort(key=lambda sp: sp.start)


def _rst_span(raw: str, node_type: str) -> tuple[str, str | None] | None:
    if node_type == "literal":
        return raw[2:-2] if raw.startswith("``") and raw.endswith("``") else raw.strip("`"), None
    m = _ROLE_RE.match(raw)
    if not m:
        return None
    role = m.group("pre") or m.group("post")
    if role:
        role = role.rsplit(":", 1)[-1]   # "py:func" -> "func"
    return m.group("body"), role


def _directive_name(node: ts.Node, src: bytes) -> str | None:
    type_node = next((c for c in node.children if c.type == "type"), None)
    if type_node is None:
        return None
    name = src[type_node.start_byte:type_node.end_byte].decode("utf-8", "replace").strip()
    return name.rsplit(":", 1)[-1]       # "py:currentmodule"


# SQLAlchemy's changelog extension (``doc/build/changelog/changelog_14.rst``):
#
#     .. changelog::
#         :version: 1.4.0b1
#
#         .. change::
#             :tags: deprecated, sql
#
#             The :meth:`_sql.Join.alias` method is deprecated ...
#
# tree-sitter-rst leaves a directive's content unparsed, so it is parsed here as a document of its
# own. A release becomes a heading naming its version, deeper than any real heading (the next
# release, or the next real heading, closes it); a change's paragraphs become one list item whose
# tags are the change's ``:tags:``.
_CHANGELOG_DIRECTIVES = frozenset({"changelog", "change"})
_RELEASE_LEVEL = 100


def _changelog_directive(node: ts.Node, src: bytes, out: list[Block], styles: list[tuple[str, bool]],
                         item: int | None, origin: int) -> None:
    body = next((c for c in node.children if c.type == "body"), None)
    if body is None:
        return
    options: dict[str, str] = {}
    content = None
    for c in body.children:
        if c.type == "options":
            for f in c.children:
                name = next((x for x in f.children if x.type == "field_name"), None)
                value = next((x for x in f.children if x.type == "field_body"), None)
                if name is not None and value is not None:
                    options[src[name.start_byte:name.end_byte].decode("utf-8", "replace").strip().lower()] = \
                        " ".join(src[value.start_byte:value.end_byte].decode("utf-8", "replace").split())
        elif c.type == "content":
            content = c
    tags: list[str] = []
    if _directive_name(node, src) == "changelog":
        if options.get("version"):
            out.append(Block("heading", options["version"], node.start_point.row + 1, level=_RELEASE_LEVEL))
    else:
        tags = [t.strip() for t in options.get("tags", "").split(",") if t.strip()]
        item = item if item is not None else origin + node.start_byte
    if content is None:
        return
    first = len(out)
    # the content as a document: from the start of its first line, dedented by its indentation
    line_start = content.start_byte - content.start_point.column
    # (the dedented text is shorter: its offsets, added to where it starts, stay inside the content)
    lines = src[line_start:content.end_byte].split(b"\n")
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    sub = b"\n".join(x[indent:] for x in lines) + b"\n"
    for c in _parser("rst").parse(sub).root_node.children:
        _rst_block(c, sub, out, styles, item, origin + line_start)
    shift = content.start_point.row
    for b in out[first:]:
        b.line += shift
        for sp in b.spans:
            sp.line += shift
        if tags and b.kind == "para":
            b.tags = tags + b.tags


def _rst_directive(node: ts.Node, src: bytes) -> Block | None:
    name = _directive_name(node, src)
    if name is None:
        return None
    if name not in ("currentmodule", "module"):
        return None
    body = node.child_by_field_name("body") or next((c for c in node.children if c.type == "body"), None)
    arg = src[body.start_byte:body.end_byte].decode("utf-8", "replace").split("\n", 1)[0].strip() if body else ""
    return Block("directive", arg, node.start_point.row + 1, name=name)


# ---- Markdown --------------------------------------------------------------------

_MD_SKIP = frozenset({"fenced_code_block", "indented_code_block", "html_block", "link_reference_definition",
                      "thematic_break", "pipe_table", "minus_metadata", "plus_metadata"})


def parse_markdown(src: bytes) -> list[Block]:
    tree = _parser("md").parse(src)
    out: list[Block] = []
    _md_block(tree.root_node, src, out, item=None)
    return out


def _md_block(node: ts.Node, src: bytes, out: list[Block], item: int | None, bullet: int | None = None) -> None:
    for c in node.children:
        t = c.type
        if t in _MD_SKIP:
            continue
        if t == "atx_heading":
            marker = c.children[0].type if c.children else "atx_h1_marker"
            level = int(marker[5]) if marker.startswith("atx_h") and marker[5].isdigit() else 1
            content = c.child_by_field_name("heading_content")
            out.append(_md_inline(content, src, "heading", level=level) if content is not None
                       else Block("heading", "", c.start_point.row + 1, level=level))
        elif t == "setext_heading":
            content = c.child_by_field_name("heading_content")
            level = 1 if any(x.type == "setext_h1_underline" for x in c.children) else 2
            inline = _first_inline(content) if content is not None else None
            if inline is not None:
                out.append(_md_inline(inline, src, "heading", level=level))
        elif t == "paragraph":
            inline = _first_inline(c)
            if inline is not None:
                block = _md_inline(inline, src, "para")
                block.item, block.bullet = item, bullet
                out.append(block)
        elif t == "list_item":
            _md_block(c, src, out, item if item is not None else c.start_byte, c.start_byte)
        else:
            _md_block(c, src, out, item, bullet)


def _first_inline(node: ts.Node) -> ts.Node | None:
    if node.type == "inline":
        return node
    return next((c for c in node.children if c.type == "inline"), None)


def _md_inline(inline: ts.Node, src: bytes, kind: str, *, level: int = 0) -> Block:
    txt = _Text(src, inline.start_byte, inline.end_byte)
    block = Block(kind, txt.text, inline.start_point.row + 1, level=level)
    block.tags = _leading_tags(block.text)
    sub = _parser("md-inline").parse(txt.raw)
    stack = [sub.root_node]
    while stack:
        n = stack.pop()
        if n.type == "code_span":
            raw = txt.raw[n.start_byte:n.end_byte].decode("utf-8", "replace")
            ticks = len(raw) - len(raw.lstrip("`"))
            body = raw[ticks:len(raw) - ticks].strip() if len(raw) > 2 * ticks else ""
            start = txt.offset(txt.start + n.start_byte)
            end = txt.offset(txt.start + n.end_byte)
            block.spans.append(Span(start, end, body, None, inline.start_point.row + 1 + n.start_point.row))
            continue
        stack.extend(reversed(n.children))
    _add_plain_calls(block)
    return block
