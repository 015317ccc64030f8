"""Other libraries' own deprecation helpers, read for what they say.

Besides ``warnings.warn`` and the decorators python_source knows, libraries deprecate through
helpers of their own. They are read here by the shape of their arguments, and handed back to
python_source as plain facts (the message text, category, versions, the parameter named) so that
the same guard and parameter logic applies to them as to a ``warnings.warn`` call:

* warning calls: a call whose callee's name holds ``warn`` and which passes a deprecation warning
  class (xarray 2026 ``emit_user_level_warning(msg, FutureWarning)``, 56 calls) reads as
  ``warnings.warn(msg, FutureWarning)``; ``warn_deprecated`` takes no class: matplotlib's
  ``_api.warn_deprecated(since, name=, alternative=, pending=, obj_type=, message=, removal=)``
  builds its text from its keywords, SQLAlchemy's ``util.warn_deprecated(msg, version)`` is given it.
* decorators: SQLAlchemy ``@util.deprecated_params(name=(version, message), ...)`` and
  ``@util.deprecated_cls(version, message)``; scikit-image (``skimage._shared.utils``)
  ``@deprecate_func(deprecated_version=, removed_version=, hint=)`` and
  ``@deprecate_parameter(name, new_name=, start_version=, stop_version=, template=)``.
* class attributes: matplotlib ``fontNames = _api.deprecated("3.11")(property(...))`` and
  ``locs = _api.deprecate_privatize_attribute("3.11")``.

Names alone are not trusted: each reader checks the arguments have the helper's shape, so
another library's function of the same name with other arguments gives nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from tree_sitter import Node

from apimigrate.scan.messages import DEPRECATION_CATEGORY, DEPRECATION_WARNING, HOLE, PENDING_WARNING, VERSION_LIKE
from apimigrate.scan.syntax import call_args, last_name, node_text, string_value

__all__ = [
    "HELPER_WARNING_RE", "HelperWarning", "DeclaredParameter", "DeclaredApi", "DeprecatedAttribute",
    "warning_helper_calls", "helper_warning", "API_DECORATORS", "PARAMETER_DECORATORS", "deprecated_attributes",
]

# Reads the literal text of a message expression (python_source's `_message`, which follows
# names, concatenation, `%` / `.format` / f-strings); passed in so this module needs no parser state.
ReadMessage = Callable[[Node | None], str | None]

# Locates callees holding the verb `warn` (`emit_user_level_warning(`, `_api.warn_deprecated(`);
# not a `Warning...` class built with a category (`WarningInfo(..., category=DeprecationWarning)`).
HELPER_WARNING_RE = re.compile(rb"warn\w*\s*\(")
# Callees that name a warning class without giving the warning: `warnings.filterwarnings("ignore",
# message=..., category=FutureWarning)` (scikit-image silences its own deprecations so), pytest's
# `warns`, numpy's `assert_warns`, `catch_warnings`, `suppress_warnings`.
_NOT_GIVEN = re.compile(r"filter|catch|warns$|expect|suppress|ignore|assert|record", re.I)


@dataclass(frozen=True)
class HelperWarning:
    """What a helper's warning call says, as a ``warnings.warn`` call would."""

    message: str | None
    category: str
    since: str | None = None
    removed_in: str | None = None
    # the name the helper is told is deprecated (matplotlib `name="vert: bool"`: "vert")
    subject: str | None = None


def warning_helper_calls(root: Node, source: bytes) -> Iterator[Node]:
    """Calls whose callee's last name holds the verb `warn`, each once (warnings.warn among them)."""
    seen: set[int] = set()
    for m in HELPER_WARNING_RE.finditer(source):
        ident = root.descendant_for_byte_range(m.start(), m.start() + 4)
        if ident is None or ident.type != "identifier":
            continue
        callee = ident.parent if ident.parent is not None and ident.parent.type == "attribute" else ident
        if callee.type == "attribute" and callee.child_by_field_name("attribute") != ident:
            continue
        call = callee.parent
        if call is None or call.type != "call" or call.child_by_field_name("function") != callee:
            continue
        if call.start_byte not in seen:
            seen.add(call.start_byte)
            yield call


def helper_warning(call: Node, read: ReadMessage, module: str) -> HelperWarning | None:
    """The warning a helper call gives, when its arguments have a known helper's shape."""
    callee = last_name(node_text(call.child_by_field_name("function")))
    positional, keywords = call_args(call)
    if callee == "warn_deprecated":
        if _matplotlib_shaped(positional, keywords):
            return _matplotlib_warning(positional, keywords, read, module)
        if _sqlalchemy_shaped(positional, keywords):
            return _sqlalchemy_warning(positional, keywords, read)
        return None
    if callee[:1].isupper() or _NOT_GIVEN.search(callee) or (callee in ("warn", "warning")
                                     and call.child_by_field_name("function").type == "attribute"):
        return None         # `logger.warn(msg, DeprecationWarning)` logs a line: no warning is given
    category = keywords.get("category", positional[1] if len(positional) > 1 else None)
    if category is None or category.type not in ("identifier", "attribute") \
            or not DEPRECATION_CATEGORY.match(node_text(category)):
        return None
    message = keywords.get("message", keywords.get("msg", positional[0] if positional else None))
    return HelperWarning(read(message), node_text(category)) if message is not None else None


# --- warn_deprecated ---------------------------------------------------------------------------

_MPL_KEYWORDS = frozenset({"since", "message", "name", "alternative", "pending", "obj_type", "addendum",
                           "removal"})


def _matplotlib_shaped(positional: list[Node], keywords: dict[str, Node]) -> bool:
    """matplotlib's `warn_deprecated(since, *, ...)`: the release first, the rest by keyword."""
    first = string_value(positional[0]) if positional else None
    return len(positional) <= 1 and (bool(first and VERSION_LIKE.match(first)) or "since" in keywords) \
        and set(keywords) <= _MPL_KEYWORDS


def _sqlalchemy_shaped(positional: list[Node], keywords: dict[str, Node]) -> bool:
    """SQLAlchemy's `warn_deprecated(msg, version, stacklevel=3, code=None)`."""
    return bool(positional) and (len(positional) > 1 or "version" in keywords)


def _matplotlib_warning(positional: list[Node], keywords: dict[str, Node], read: ReadMessage,
                        module: str) -> HelperWarning | None:
    """The text matplotlib's `_generate_deprecation_warning` builds: its own `message` with the
    `%(since)s`-style fields filled in, else one from `name`, `obj_type` and `alternative`."""
    since = string_value(keywords.get("since")) or (string_value(positional[0]) if positional else None)
    obj_type = string_value(keywords.get("obj_type")) or ""
    if obj_type.lower() == "rcparam":
        return None         # an rcParams key, not an API a call can use
    pending = keywords.get("pending") is not None and keywords["pending"].type == "true"
    # `removal=False` (matplotlib <= 3.5): no removal planned; none given: two minor releases on
    told = keywords.get("removal")
    removal = "" if pending or (told is not None and told.type == "false") else \
        string_value(told) or _two_minors_later(since)
    name = _name_given(keywords.get("name"), module)
    alternative = string_value(keywords.get("alternative")) or ""
    addendum = string_value(keywords.get("addendum")) or ""
    message = read(keywords["message"]) if "message" in keywords else None
    if not message:
        if name is None:
            return None     # `name=name` computed at run time: no API to attribute it to
        message = (("The %(name)s %(obj_type)s" if obj_type else "%(name)s")
                   + (" will be deprecated in a future version" if pending else
                      " was deprecated in Matplotlib %(since)s"
                      + (" and will be removed %(removal)s" if removal else ""))
                   + "." + (" Use %(alternative)s instead." if alternative else "")
                   + (" %(addendum)s" if addendum else ""))
    # matplotlib fills `%(removal)s` with "in 3.10" (its messages say "will be removed %(removal)s")
    fields = {"func": name, "name": name, "obj_type": obj_type, "since": since,
              "removal": f"in {removal}" if removal else "",
              "alternative": alternative, "addendum": addendum}
    text = re.sub(r"%\((\w+)\)s", lambda m: fields.get(m.group(1)) or HOLE, message)
    subject = re.match(r"\s*([A-Za-z_]\w*)\s*(?::|$)", name or "")
    return HelperWarning(text, PENDING_WARNING if pending else DEPRECATION_WARNING,
                         since=since if since and VERSION_LIKE.match(since) else None,
                         removed_in=removal or None, subject=subject.group(1) if subject else None)


def _name_given(node: Node | None, module: str) -> str | None:
    """`name="vert: bool"`, or `name=__name__` (the module warning about itself)."""
    if node is not None and node.type == "identifier" and node_text(node) == "__name__":
        return module
    return string_value(node)


def _two_minors_later(since: str | None) -> str:
    """matplotlib removes a deprecated API two minor releases after `since` unless told otherwise."""
    m = re.match(r"^(\d+)\.(\d+)", since or "")
    return f"{m.group(1)}.{int(m.group(2)) + 2}" if m else ""


def _sqlalchemy_warning(positional: list[Node], keywords: dict[str, Node], read: ReadMessage) -> HelperWarning:
    version = string_value(keywords.get("version")) or (string_value(positional[1]) if len(positional) > 1 else None)
    return HelperWarning(read(positional[0]), DEPRECATION_WARNING,
                         since=version if version and VERSION_LIKE.match(version) else None)


# --- decorators --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredParameter:
    """A parameter a decorator declares deprecated (passing it at all warns)."""

    name: str
    message: str | None
    since: str | None = None
    removed_in: str | None = None
    new_name: str | None = None     # the keyword it was renamed to, as the decorator declares it
    # whether a keyword the message offers instead may be taken for the new name (SQLAlchemy's
    # messages say it; scikit-image declares its renames in `new_name`, and only those)
    rename_from_message: bool = True


@dataclass(frozen=True)
class DeclaredApi:
    """The decorated API itself is deprecated."""

    message: str | None
    since: str | None = None
    removed_in: str | None = None


# "Deprecated alias of :paramref:`_schema.Table.must_exist`" (SQLAlchemy `Table(mustexist=)`)
_PARAMREF_ALIAS = re.compile(r"\balias\s+(?:of|for)\s+:paramref:`[~.]?(?:[\w.]*\.)?(?P<name>\w+)`")


def _sqlalchemy_deprecated_params(call: Node | None, read: ReadMessage, _func_name: str) -> list[DeclaredParameter]:
    """``deprecated_params(order=("2.1", "... use ``oracle_order`` instead."), ...)``: one
    parameter per keyword whose value is a (version, message) pair."""
    _, keywords = call_args(call) if call is not None else ([], {})
    found: list[DeclaredParameter] = []
    for name, value in keywords.items():
        pair = [c for c in value.named_children if c.type != "comment"] if value.type == "tuple" else []
        version = string_value(pair[0]) if len(pair) == 2 else None
        if version is None or not VERSION_LIKE.match(version):
            continue
        message = read(pair[1])
        alias = _PARAMREF_ALIAS.search(message or "")
        found.append(DeclaredParameter(name, message, since=version, new_name=alias.group("name") if alias else None))
    return found


def _sqlalchemy_deprecated_cls(call: Node | None, read: ReadMessage, _func_name: str) -> DeclaredApi | None:
    """``deprecated_cls(version, message, constructor="__init__")``."""
    positional, keywords = call_args(call) if call is not None else ([], {})
    version = string_value(positional[0]) if positional else string_value(keywords.get("version"))
    if version is None or not VERSION_LIKE.match(version):
        return None
    message = read(positional[1] if len(positional) > 1 else keywords.get("message"))
    return DeclaredApi(message, since=version)


def _skimage_deprecate_func(call: Node | None, read: ReadMessage, func_name: str) -> DeclaredApi | None:
    """``deprecate_func(deprecated_version=, removed_version=, hint=)``, with the text it warns."""
    _, keywords = call_args(call) if call is not None else ([], {})
    since = string_value(keywords.get("deprecated_version"))
    if since is None:
        return None
    removed = string_value(keywords.get("removed_version"))
    hint = read(keywords.get("hint")) if "hint" in keywords else None
    message = f"`{func_name}` is deprecated since version {since}"
    message += f" and will be removed in version {removed}." if removed else ""
    message += f" {hint.rstrip('.')}." if hint else ""
    return DeclaredApi(message, since=since, removed_in=removed)


# skimage._shared.utils.deprecate_parameter's own templates
_SKIMAGE_REMOVE = ("Parameter `{deprecated_name}` is deprecated since version {deprecated_version} and will be "
                   "removed in {changed_version} (or later). To avoid this warning, please do not use the parameter "
                   "`{deprecated_name}`. For more details, see the documentation of `{func_name}`.")
_SKIMAGE_REPLACE = ("Parameter `{deprecated_name}` is deprecated since version {deprecated_version} and will be "
                    "removed in {changed_version} (or later). To avoid this warning, please use the parameter "
                    "`{new_name}` instead. For more details, see the documentation of `{func_name}`.")


def _skimage_deprecate_parameter(call: Node | None, read: ReadMessage, func_name: str) -> list[DeclaredParameter]:
    """``deprecate_parameter(deprecated_name, *, start_version, stop_version, template=None, new_name=None)``.

    `new_name` is a rename only under the helper's own text: a template of the library's adds what
    differs (``remove_small_objects(min_size=)`` -> `max_size`: "the new threshold removes objects
    smaller than **or equal to** its value"), so `fix` must not rewrite the keyword as it is."""
    positional, keywords = call_args(call) if call is not None else ([], {})
    name = string_value(keywords.get("deprecated_name")) or (string_value(positional[0]) if positional else None)
    start, stop = string_value(keywords.get("start_version")), string_value(keywords.get("stop_version"))
    if name is None or start is None:
        return []
    new_name = string_value(keywords.get("new_name"))
    template = _skimage_template(keywords.get("template"), read) if "template" in keywords else (
        _SKIMAGE_REPLACE if new_name else _SKIMAGE_REMOVE)
    fields = {"deprecated_name": name, "deprecated_version": start, "changed_version": stop or HOLE,
              "func_name": func_name, "new_name": new_name or HOLE}
    message = re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), template) if template else None
    return [DeclaredParameter(name, message, since=start, removed_in=stop,
                              new_name=new_name if "template" not in keywords else None, rename_from_message=False)]


def _skimage_template(node: Node | None, read: ReadMessage) -> str | None:
    """A template as written: a module constant (`_remove_plugin_param_template`), or an f-string
    opening on the helper's own (f"{deprecate_parameter.replace_parameter_template} Note ...")."""
    text = read(node)
    for attribute, own in (("replace_parameter_template", _SKIMAGE_REPLACE),
                           ("remove_parameter_template", _SKIMAGE_REMOVE)):
        if text is not None and text.startswith(HOLE) and f"deprecate_parameter.{attribute}" in node_text(node):
            return own + text[len(HOLE):]
    return text


# Decorators by name -> reader of (decorator call, message reader, decorated def's name): those that
# deprecate the decorated API, and those that deprecate parameters of it.
API_DECORATORS: dict[str, Callable[[Node | None, ReadMessage, str], DeclaredApi | None]] = {
    "deprecated_cls": _sqlalchemy_deprecated_cls,
    "deprecate_func": _skimage_deprecate_func,
}
PARAMETER_DECORATORS: dict[str, Callable[[Node | None, ReadMessage, str], list[DeclaredParameter]]] = {
    "deprecated_params": _sqlalchemy_deprecated_params,
    "deprecate_parameter": _skimage_deprecate_parameter,
}


# --- matplotlib class attributes --------------------------------------------------------------


@dataclass(frozen=True)
class DeprecatedAttribute:
    """`name = _api.deprecated(since, ...)(property(...))` or `_api.deprecate_privatize_attribute(since)`."""

    name: str
    statement: Node           # the assignment, for the evidence's line and text
    decorator_call: Node      # the `_api.deprecated(...)` call: read as that decorator's arguments
    wrapped_kind: str         # "attribute" (a property, a privatized attribute) or "method"


_ATTRIBUTE_RE = re.compile(rb"^[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*(?:\w+\.)*(?:deprecated|deprecate_privatize_attribute)"
                           rb"[ \t]*\(", re.M)


def deprecated_attributes(root: Node, source: bytes) -> Iterator[DeprecatedAttribute]:
    """Class-body assignments that make a deprecated member out of a helper call."""
    for m in _ATTRIBUTE_RE.finditer(source):
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        node = root.descendant_for_byte_range(start, start + 1)
        while node is not None and node.type != "assignment":
            node = node.parent
        found = _attribute_of(node) if node is not None else None
        if found is not None:
            yield found


def _attribute_of(assign: Node) -> DeprecatedAttribute | None:
    statement = assign.parent
    left, value = assign.child_by_field_name("left"), assign.child_by_field_name("right")
    block = statement.parent if statement is not None else None
    if left is None or value is None or left.type != "identifier" or value.type != "call" \
            or block is None or block.type != "block" or block.parent is None \
            or block.parent.type != "class_definition":
        return None
    callee = value.child_by_field_name("function")
    if callee is not None and callee.type in ("identifier", "attribute") \
            and last_name(node_text(callee)) == "deprecate_privatize_attribute":
        return DeprecatedAttribute(node_text(left), statement, value, "attribute")
    inner = callee if callee is not None and callee.type == "call" else None
    if inner is None or last_name(node_text(inner.child_by_field_name("function"))) != "deprecated":
        return None
    wrapped, _ = call_args(value)
    if len(wrapped) != 1:
        return None
    is_property = wrapped[0].type == "call" and last_name(node_text(wrapped[0].child_by_field_name("function"))) \
        in ("property", "cached_property")
    return DeprecatedAttribute(node_text(left), statement, inner, "attribute" if is_property else "method")
