"""Changelogs and release notes -> RawFindings.

Which files are changelogs (``is_changelog_path``), which library version each
part of a file speaks about, and which parts are entries worth reading:

* Sphinx release notes (numpy, scipy ``doc/source/release/X.Y.Z-notes.rst``):
  "Deprecations" / "Deprecated features" and "Expired deprecations" sections,
  whose entries are bullets or titled subsections;
* pandas whatsnew (``vX.Y.Z.rst``): "Deprecations" with titled subsections and
  "Other Deprecations" bullets, "Removal of prior version deprecations";
* scikit-learn ``whats_new/vX.Y.rst``: per-version "Version X.Y.Z" sections and
  ``:mod:`` subsections whose ``|API|`` bullets carry deprecations;
* towncrier fragments (``upcoming_changes/123.deprecation.rst``,
  ``sklearn.linear_model/123.api.rst``, ``changes/45.removed.md``);
* keep-a-changelog Markdown (``## [1.2.0]`` then ``### Deprecated`` / ``### Removed``).

The files are parsed with tree-sitter (changelog_parse) into headings and
paragraphs; the sentence analysis of one entry lives in changelog_entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from apimigrate.db.records import version_key

from .changelog_entry import ALIASES, Entry, entry_findings
from .changelog_lists import lists_into_sentences
from .changelog_parse import Block, Span, parse_markdown, parse_rst
from .migration_guide import extract_migration_guide, guide_version, is_migration_guide
from .model import FileResult, RawFinding

__all__ = ["is_changelog_path", "version_from_path", "extract_changelog"]

_TEXT_EXTS = (".rst", ".md", ".markdown", ".txt")
# CHANGELOG.md, CHANGES.rst, HISTORY.md, NEWS.txt, RELEASE_NOTES.md, whatsnew.rst
_NAMED = re.compile(r"^(?:change[-_]?log|changes|history|news|release[-_]?notes|whats[-_]?new)"
                    r"(?:[-_.][\w.-]*)?\.(?:rst|md|markdown|txt)$", re.I)
_CHANGELOG_DIRS = frozenset({"release", "releases", "release-notes", "release_notes", "whatsnew", "whats_new",
                             "changelog", "changelog.d", "changes", "news", "newsfragments", "upcoming_changes"})
_VERSION = r"\d+\.\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?"
_VERSION_IN_NAME = re.compile(rf"(?:^|[^\d.])v?({_VERSION})(?=$|[^\d])")
# towncrier: {issue}.{type}[.{counter}].{ext}; issue may be "+orphan"
_FRAGMENT = re.compile(r"^(?:\d+|\+[\w-]*)\.(?P<type>[a-z][\w-]*)(?:\.\d+)?\.(?:rst|md|markdown|txt)$", re.I)
_NOT_NOTES = frozenset({"readme", "index", "template", "contents", "toc"})

_FRAGMENT_KIND = {
    "deprecation": "deprecation", "deprecations": "deprecation", "deprecated": "deprecation",
    "removal": "removal", "removals": "removal", "removed": "removal", "expired": "removal",
    "api": "mixed", "api_change": "mixed", "api-change": "mixed", "breaking": "mixed",
    "compatibility": "mixed", "change": "mixed", "changed": "mixed", "future": "mixed",
}


# Another project's tree inside the sdist: its notes are about its own APIs.
_VENDORED = re.compile(r"^(?:_?vendor(?:ed)?(?:[-_].*)?|third[-_]?party|subprojects|externals?)$")


# matplotlib's API change notes: ``doc/api/prev_api_changes/api_changes_3.8.0/deprecations.rst`` (one
# file per kind, the release in the folder's name), ``prev_api_changes/api_changes_3.8.1.rst`` (one file
# per release) and ``doc/api/next_api_changes/removals/26798-ABC.rst`` (one small file per change, for the
# release to come).
_API_CHANGES = re.compile(rf"^api_changes_(?P<v>{_VERSION})$", re.I)
_API_CHANGES_KIND = {"deprecations": "deprecation", "removals": "removal"}
# SQLAlchemy's ``doc/build/changelog/unreleased_20/10415.rst``: one ``.. change::`` per file, for the
# release to come.
_UNRELEASED = re.compile(r"^unreleased_\d+$", re.I)
_TICKET_NAME = re.compile(r"^\d+\.(?:rst|md)$", re.I)


def _file_layout(p: PurePosixPath) -> tuple[str | None, str | None] | None:
    """(kind, version) that a file's place in one of the layouts above gives; None: not one of them."""
    parent = p.parent.name.lower()
    grand = p.parent.parent.name.lower()
    stem = p.stem.lower()
    folder = _API_CHANGES.match(p.parent.name)
    if folder and stem in _API_CHANGES_KIND and grand == "prev_api_changes":
        return _API_CHANGES_KIND[stem], folder.group("v")
    if parent == "prev_api_changes" and _API_CHANGES.match(p.stem):
        return None, _API_CHANGES.match(p.stem).group("v")
    if grand == "next_api_changes" and parent in _API_CHANGES_KIND and stem not in _NOT_NOTES:
        return _API_CHANGES_KIND[parent], None
    if _UNRELEASED.match(parent) and grand in _CHANGELOG_DIRS and _TICKET_NAME.match(p.name):
        return None, None
    return None


def is_changelog_path(relpath: str) -> bool:
    """Release notes, whatsnew pages, CHANGELOG files and towncrier fragments."""
    if not relpath.rpartition("/")[2].lower().endswith(_TEXT_EXTS):
        return False       # most files of a tree: no path parsed (a rescan asks of every one)
    p = PurePosixPath(relpath)
    name = p.name
    if any(_VENDORED.match(d.lower()) for d in p.parts[:-1]):
        return False       # numpy's sdist carries Meson's own release notes under vendored-meson/
    if _NAMED.match(name) or (name.lower().endswith((".rst", ".md")) and _file_layout(p) is not None) \
            or is_migration_guide(relpath):
        return True
    if name.lower().endswith(".txt"):
        return False
    dirs = {d.lower() for d in p.parts[:-1]}
    if not dirs & _CHANGELOG_DIRS or p.stem.lower() in _NOT_NOTES:
        return False
    fragment = _FRAGMENT.match(name)
    if fragment:
        return fragment.group("type").lower() in _FRAGMENT_KIND
    return bool(_VERSION_IN_NAME.search(p.stem))


def version_from_path(relpath: str) -> str | None:
    """``1.20.0-notes.rst`` -> 1.20.0, ``v2.2.0.rst`` -> 2.2.0, ``v1.2.rst`` -> 1.2; fragments -> None."""
    p = PurePosixPath(relpath)
    if _FRAGMENT.match(p.name):
        return None
    if is_migration_guide(relpath):
        return guide_version(relpath)
    layout = _file_layout(p)
    if layout is not None:
        return layout[1]
    m = _VERSION_IN_NAME.search(p.stem)
    return m.group(1) if m else None


# ---- section headings ------------------------------------------------------------

_REMOVAL_HEAD = re.compile(r"\bexpired\b|\bremoval|\bremoved\b|\bremovals\b", re.I)
_DEPRECATION_HEAD = re.compile(r"deprecat", re.I)
_MIXED_HEAD = re.compile(r"backwards?[- ]incompatib|\bcompatibility notes\b|\bapi changes?\b|\bbreaking\b", re.I)
_VERSION_HEAD = re.compile(
    rf"^\W*(?:version|release|v)?\s*\[?v?(?P<v>{_VERSION})\]?(?:\s|$|[-–—(:,])"    # "1.2.0 (2023)", "[1.2.0] - ..."
    rf"|\b(?:version|release|what'?s\s+new\s+in)\s+v?(?P<v2>{_VERSION})\b"          # "Version 1.2.0", "What's new in 2.2.0"
    rf"|^\s*\w+\s+v?(?P<v3>{_VERSION})\s+release\s+notes\b",                         # "NumPy 1.24.0 Release Notes"
    re.I)
_MODULE_HEAD = re.compile(r"^[\w.]+$")
# reST simple / grid tables, which tree-sitter-rst reads as paragraphs: never an entry.
_TABLE = re.compile(r"^\s*[=+-]{3,}[\s=+-]*$", re.M)


@dataclass
class _Context:
    """What the enclosing headings say about the text below them."""

    level: int
    kind: str | None = None          # "deprecation" | "removal" | "mixed"
    version: str | None = None
    module: str | None = None
    titled: bool = False             # the heading is itself an entry's title
    owner: str | None = None         # the one API the heading names ("``Axes3D``", "PolygonSelector")


def _heading_context(block: Block, own_heads: frozenset[str], inside_kind: str | None) -> _Context:
    ctx = _Context(block.level)
    text = block.text
    if _REMOVAL_HEAD.search(text):
        ctx.kind = "removal"
    elif _DEPRECATION_HEAD.search(text):
        ctx.kind = "deprecation"
    elif _MIXED_HEAD.search(text):
        ctx.kind = "mixed"
    m = _VERSION_HEAD.search(text)
    if m and len(text) < 100:
        ctx.version = m.group("v") or m.group("v2") or m.group("v3")
    ctx.module = _heading_module(block, own_heads)
    ctx.owner = None if ctx.module or ctx.version else _heading_owner(block)
    # Inside a deprecations section, a heading that names no section of its own is one
    # entry's title ("Deprecate ``msort``", "``np.str0`` and similar are now deprecated").
    if inside_kind and ctx.version is None and not (ctx.module and not ctx.kind):
        ctx.titled = True
        ctx.kind = inside_kind if ctx.kind is None or inside_kind == "removal" else ctx.kind
    return ctx


def _heading_module(block: Block, own_heads: frozenset[str]) -> str | None:
    """``:mod:`sklearn.cluster``` / "`scipy.signal` improvements" -> that module."""
    for span in block.spans:
        body = span.body.strip().lstrip("~")
        if (span.role == "mod" or span.role is None) and _MODULE_HEAD.match(body) \
                and body.split(".")[0] in own_heads:
            return ALIASES.get(body.split(".")[0], body.split(".")[0]) + body[len(body.split(".")[0]):]
    return None


_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+$")
_IDENT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_OWNER_ROLES = frozenset({None, "class", "func", "meth", "attr", "obj", "exc"})


def _heading_owner(block: Block) -> str | None:
    """The API a heading is nothing but ("``Axes3D``", "`.Axes3D`", or a class name in plain text,
    "PolygonSelector": matplotlib's notes head the changes to one class so) -> that name."""
    text = block.text.strip()
    if len(block.spans) == 1:
        span = block.spans[0]
        if span.role in _OWNER_ROLES and text == block.text[span.start:span.end].strip():
            name = span.body.strip().lstrip("~.!").removesuffix("()")
            return name if _IDENT.fullmatch(name) else None
        return None
    return text if not block.spans and _CAMEL.match(text) else None


# ---- entries -----------------------------------------------------------------------

_ENTRY_TAGS = {"api": "mixed", "deprecated": "deprecation", "deprecation": "deprecation",
               "deprecations": "deprecation", "removed": "removal", "removal": "removal",
               "breaking": "mixed", "breaking change": "mixed"}


@dataclass
class _Pending:
    """Blocks collected for one entry."""

    blocks: list[Block] = field(default_factory=list)
    kind: str | None = None
    version: str | None = None
    module: str | None = None
    currentmodule: str | None = None
    owner: str | None = None


def _join(blocks: list[Block]) -> tuple[str, list[Span]]:
    """Blocks -> one text (paragraphs split by blank lines, so sentences end there) with shifted spans."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for b in blocks:
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(b.text)
        spans.extend(s.moved(pos) for s in b.spans)
        pos += len(b.text)
    return "".join(parts), spans


def _entry_kind(section_kind: str | None, tags: list[str]) -> str | None:
    if section_kind:
        return section_kind
    for tag in tags:
        kind = _ENTRY_TAGS.get(tag.strip().lower())
        if kind:
            return kind
    return None


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def extract_changelog(data: bytes, path: str, *, library: str, version: str | None = None,
                      packages: list[str] | tuple[str, ...] = ()) -> FileResult:
    """Deprecated and removed APIs a changelog file names.

    `library` is the distribution ("scikit-learn"), `packages` its import names
    (["sklearn"]); `version` is the scanned version, used for fragments of the
    next release, which carry none of their own.
    """
    decoded = _decode(data)
    if decoded is None:
        return FileResult(path, error="not UTF-8")
    if is_migration_guide(path):
        return extract_migration_guide(decoded, path, library=library, packages=packages)
    lib = packages[0] if packages else library.replace("-", "_").lower()
    own_heads = frozenset(packages or [lib]) | {a for a, full in ALIASES.items() if full in (packages or [lib])}
    is_md = path.lower().endswith((".md", ".markdown"))
    blocks = [_without_credit(b) for b in parse_markdown(data)] if is_md else parse_rst(data)
    blocks = lists_into_sentences(blocks)
    file_version = version_from_path(path)
    fragment = _FRAGMENT.match(PurePosixPath(path).name)
    base = _Context(0, version=file_version)
    if fragment:
        base.kind = _FRAGMENT_KIND.get(fragment.group("type").lower())
        base.version = version
        base.module = _fragment_module(path, own_heads)
    layout = _file_layout(PurePosixPath(path))
    if layout is not None and layout[0] is None and layout[1] and _is_release(version) \
            and layout[1].split(".")[0] != version.split(".")[0]:
        # matplotlib's one-file notes of an older major series (``api_changes_0.98.0.rst`` ...
        # ``api_changes_2.2.0.rst``, scanning 3.8.4) list names gone for years in a looser style
        # (bare lists, data files, dependencies); the per-kind files and this series' notes stay
        return FileResult(path)
    if layout is not None:
        base.kind = layout[0]
        base.version = layout[1] or version     # the next release's notes carry no version of their own
    entries = list(_entries(blocks, base, own_heads, lead_verbs=is_md))
    result = FileResult(path)
    for pending in entries:
        blocks = _title_read_on(pending.blocks, pending.kind)
        text, spans = _join(blocks)
        shown = "\n\n".join(b.shown or b.text for b in blocks) if any(b.shown for b in blocks) else None
        entry = Entry(text=text, spans=spans, line=pending.blocks[0].line, kind=pending.kind or "mixed", shown=shown,
                      path=path, version=pending.version, lib=lib, currentmodule=pending.currentmodule,
                      section_module=pending.module, own_heads=own_heads, section_owner=pending.owner)
        result.findings.extend(_keep(entry_findings(entry)))
    return result


# What may stand between the names of a title that is nothing but names ("``allsegs``, ``allkinds`` and
# ``tlinewidths`` attributes of `.ContourSet`", "*np_load* parameter of ``cbook.get_sample_data``").
_NAMES_ONLY = re.compile(r"^(?:[\s,/()]|\b(?:and|or|the|of|on|in|to|for|attributes?|methods?|functions?|class(?:es)?"
                         r"|modules?|propert(?:y|ies)|parameters?|arguments?|keywords?)\b)*$", re.I)
# A body that reads on from its title: matplotlib's "... is deprecated", "with no replacement.", and
# "These attributes are deprecated", "This parameter is deprecated" (the title is what they are).
_READS_ON = re.compile(r"^\s*(?:(?:\.\.\.|…)\s*|(?=[a-z])"
                       r"|(?i:this|these|they|it)(?:\s+(?i:attributes?|methods?|functions?|class(?:es)?|modules?"
                       r"|propert(?:y|ies)|parameters?|arguments?|keywords?))?\s+(?=(?:is|are|was|were|has|have|will)\b))")
# the verb the sentence has ("... of the `.dates` module are deprecated without replacements")
_HAS_VERB = re.compile(r"^[^.;]*?\b(?:deprecat\w*|removed|removal|expired|renamed)\b", re.I)
_KIND_VERB = {"deprecation": "is deprecated", "removal": "is removed"}


def _title_read_on(blocks: list[Block], kind: str | None) -> list[Block]:
    """A title naming nothing but APIs, then a body that reads on from it, as one sentence.

    matplotlib's API change notes title each entry with what changes and go on below it:
    "``LocationEvent.lastevent`` / ... is deprecated with no replacement", "``Grouper.clean()`` /
    with no replacement." (under Deprecations: the title is what is deprecated). Elsewhere a
    title stays a sentence of its own."""
    if len(blocks) < 2 or blocks[0].kind != "heading" or blocks[1].kind != "para" or blocks[1].item is not None:
        return blocks
    head, body = blocks[0], blocks[1]
    if not head.spans or not _NAMES_ONLY.match(_outside_spans(head)):
        return blocks
    m = _READS_ON.match(body.text)
    if m is None:
        return blocks
    rest = body.text[m.end():]
    verb = "" if _HAS_VERB.match(rest) else _KIND_VERB.get(kind or "")
    if verb is None:
        return blocks
    joined = f"{head.text.rstrip()} {verb + ' ' if verb else ''}"
    shift = len(joined) - m.end()
    spans = head.spans + [sp.moved(shift) for sp in body.spans if sp.start >= m.end()]
    one = Block("para", joined + rest, head.line, spans=spans, item=None, tags=body.tags)
    return [one, *blocks[2:]]


def _outside_spans(block: Block) -> str:
    out, pos = [], 0
    for sp in sorted(block.spans, key=lambda x: x.start):
        out.append(block.text[pos:sp.start])
        pos = sp.end
    out.append(block.text[pos:])
    return " ".join(out)


# "* Deprecate `update_json_schema` internal function by @sydney-runkle in [#9125](https://...)",
# "* Mark `Extra` as deprecated by @disrupted in [#7299](...)" (pydantic's HISTORY.md)
_LEAD_DEPRECATION = re.compile(r"^\s*(?:deprecate[sd]?\b|mark(?:s|ed)?\b[^.]*?\bas\s+deprecated\b)", re.I)
# Who made the change and where: "by @user in [#1234](https://...)", ", [#883](...) by @user",
# "by @user in https://github.com/.../pull/9685", "thanks @user".
_CREDIT = re.compile(r"(?:[\s,;]*(?:\b(?:by|thanks(?:\s+to)?)\s+@[\w-]+(?:\s*(?:,|and|&)\s*@[\w-]+)*"
                     r"|\bin\s+(?:\[#\d+\]\([^)\s]*\)|https?://\S+|#\d+)|\[#\d+\]\([^)\s]*\)|\(#\d+\)))+[\s,.;:]*$",
                     re.I)


def _without_credit(block: Block) -> Block:
    """A Markdown paragraph without the credit GitHub's release notes end each bullet with."""
    if block.kind != "para":
        return block
    m = _CREDIT.search(block.text)
    if m is None or m.start() == 0:
        return block
    return Block(block.kind, block.text[:m.start()], block.line, [sp for sp in block.spans if sp.end <= m.start()],
                 block.level, block.item, block.tags, block.name)


def _keep(findings: list[RawFinding]) -> list[RawFinding]:
    return [f for f in findings if f.target]


def _fragment_module(path: str, own_heads: frozenset[str]) -> str | None:
    """scikit-learn files fragments under ``upcoming_changes/sklearn.linear_model/``."""
    parent = PurePosixPath(path).parent.name
    if _MODULE_HEAD.match(parent) and parent.split(".")[0] in own_heads:
        return parent
    return None


def _entries(blocks: list[Block], base: _Context, own_heads: frozenset[str], lead_verbs: bool = False):
    """Group blocks into entries under the context their headings give them. `lead_verbs`: a
    bullet that opens with "Deprecate" is a deprecation wherever it stands (GitHub release notes
    list every change under "What's Changed")."""
    stack: list[_Context] = [base]
    currentmodule: str | None = None
    pending: _Pending | None = None

    def context() -> _Context:
        ctx = _Context(0)
        for c in stack:
            ctx.kind = c.kind or ctx.kind
            ctx.owner = c.owner or ctx.owner
            # "NumPy 1.24 Release Notes" in 1.24.0-notes.rst: keep the more precise version
            if c.version and not (ctx.version or "").startswith(c.version + "."):
                ctx.version = c.version
            # A heading of deprecations or removals that names no module ends the module of a
            # heading above it: scipy 1.0's "Deprecated features" (underlined "=") sits below
            # "`scipy.stats` improvements" (underlined "-", the style its first sections used),
            # and its "``expm2`` and ``expm3`` have been removed" are no `scipy.stats` names.
            ctx.module = c.module or (None if c.kind else ctx.module)
        return ctx

    def flush():
        nonlocal pending
        if pending is not None and pending.blocks:
            yield pending
        pending = None

    titled: _Context | None = None
    for block in blocks:
        if block.kind == "directive":
            currentmodule = block.text or currentmodule
            continue
        if block.kind == "heading":
            yield from flush()
            while len(stack) > 1 and stack[-1].level >= block.level:
                stack.pop()
            inside = context().kind if titled is None or titled.level < block.level else None
            if titled is not None and titled.level >= block.level:
                titled = None
                inside = context().kind
            ctx = _heading_context(block, own_heads, inside)
            stack.append(ctx)
            if ctx.titled:
                titled = ctx
                now = context()
                pending = _Pending([block], ctx.kind, now.version, now.module, currentmodule, now.owner)
            continue
        if block.kind == "para" and _TABLE.match(block.text.split("\n", 1)[0]):
            continue
        now = context()
        if titled is not None and block.item is None and pending is not None and pending.blocks[0] is not None \
                and pending.blocks[0].kind == "heading" and pending.blocks[0].level == titled.level:
            pending.blocks.append(block)      # body paragraph of a titled entry
            continue
        if pending is not None and block.item is not None and pending.blocks[-1].item == block.item:
            pending.blocks.append(block)      # another paragraph of the same bullet
            continue
        yield from flush()
        kind = _entry_kind(now.kind, block.tags)
        if kind is None and lead_verbs and block.item is not None and _LEAD_DEPRECATION.match(block.text):
            kind = "deprecation"
        if kind is None:
            continue
        pending = _Pending([block], kind, now.version, now.module, currentmodule, now.owner)
    yield from flush()


def _is_release(version: str | None) -> bool:
    """A release's version (`3.8.4`), not a checkout's stand-in (`0+local`) that dates no series."""
    return bool(version) and version_key(version)[0] == 1 and "+" not in version
