"""Pure-text helpers on deprecation messages.

Shared by the Python-source extractor and the changelog extractor: given the
text of a warning, docstring directive or changelog entry, say which name it
offers as the replacement and which versions it mentions.  Nothing here
guesses: when the text names no replacement / version, the answer is None.
"""
from __future__ import annotations

import builtins
import keyword
import re

from apimigrate.db.records import literal_value

__all__ = [
    "replacement_from_text",
    "replacement_names",
    "offers_one_name",
    "says_inverted",
    "announces_change",
    "announces_deprecation",
    "says_deprecated_now",
    "DEPRECATION_WORDS",
    "DEPRECATION_WARNING",
    "PENDING_WARNING",
    "NAMED_DEPRECATION_WARNING",
    "DEPRECATION_CATEGORY",
    "versions_from_text",
    "literal_text",
    "clean_name",
    "HOLE",
    "EMPHASIS",
]

# A version as libraries write it: 1.3, v2.0.0, 1.10rc1.
_VERSION = r"v?(?P<{name}>\d+(?:\.\d+)+(?:(?:a|b|rc|\.post|\.dev)\d*)?)"

# Up to two filler words between the verb and the version ("in version 1.3",
# "in NumPy 2.0", "as of version 1.17.0", "in the 1.3 release"); never "favour".
_FILLER = r"(?:(?!favou?r\b)[A-Za-z][\w-]*\s+){0,2}"

_SINCE_RES = (
    re.compile(r"\.\.\s+deprecated(?:-removed)?::\s*" + _VERSION.format(name="v"), re.I),
    re.compile(
        r"deprecat\w*\s+(?:(?:in|since|as\s+of|from|starting\s+(?:in|with))\s+)?"
        + _FILLER + _VERSION.format(name="v") + r"(?!\w|\.\w)",
        re.I,
    ),
)
_REMOVED_RES = (
    re.compile(
        r"\.\.\s+deprecated-removed::\s*v?\d+(?:\.\d+)+\S*\s+" + _VERSION.format(name="v"), re.I
    ),
    re.compile(
        r"(?:removed|dropped|deleted|removal|expire[sd]?)\s+(?:in|from|as\s+of|by|with|on)\s+"
        + _FILLER + _VERSION.format(name="v") + r"(?!\w|\.\w)",
        re.I,
    ),
)


def versions_from_text(text: str) -> tuple[str | None, str | None]:
    """Return (since, removed_in) as the text states them, else None for each.

    "is deprecated since 1.19.0" -> ("1.19.0", None); "deprecated in version
    1.8 and will be removed in 1.10" -> ("1.8", "1.10"); "removed in a future
    version" -> no removal version.
    """
    if not text:
        return None, None
    return _first_version(_SINCE_RES, text), _first_version(_REMOVED_RES, text)


def _first_version(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern in patterns:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group("v"))
    return best[1] if best else None


# --- replacement ------------------------------------------------------------

# Code spans: ``x``, `x`, :role:`x`, :role:`title <x>`, 'x', "x".
_CODE_SPAN = re.compile(
    r"(?::[\w:.-]+:)?``(?P<a>[^`]+)``"
    r"|(?::[\w:.-]+:)?`(?P<b>[^`]+)`"
    r"|(?<![\w'])'(?P<c>[^'\s]+)'(?!\w)"
    r'|(?<![\w"])"(?P<d>[^"\s]+)"(?!\w)'
)
_NAME = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")

# Phrases after which the replacement follows.  "strong" ones are nearly always
# followed by a name; after a plain "use" the next words are often English, so
# a bare word there must look like code (dotted, snake_case, CamelCase, call).
_STRONG_TRIGGERS = (
    r"in\s+favou?r\s+of",
    r"(?:has\s+been\s+|was\s+|been\s+|is\s+|be\s+)?renamed(?:\s+(?:to|as))?",
    r"replace\s+(?:(?:all\s+)?(?:usages?|uses|calls)\s+(?:of|to)\s+)?\S+\s+with",
    r"(?:has\s+been\s+|was\s+|been\s+|is\s+|be\s+)?(?:replaced|superseded)\s+(?:by|with)",
    r"(?:is\s+)?(?:now\s+)?(?:still\s+)?available\s+(?:as|under)",
    r"(?:is\s+)?an?\s+(?:deprecated\s+)?alias\s+(?:for|of)",
    r"migrate\s+to",
    r"(?:is\s+|are\s+)?(?:exactly\s+)?equivalent\s+to",
    r"instead,?\s+import",
    r"switch\s+to",
)
# numpy's `random_integers`: "Please call randint(1, {} + 1) instead": a verb before a call
_WEAK_TRIGGERS = (r"(?<![\w-])use(?!\s+of\b)(?!\s+case)", r"(?<![\w-])call(?=\s+`*[A-Za-z_][\w.]*\()")
_TRIGGER_RE = re.compile(
    r"\b(?:(?P<strong>" + "|".join(_STRONG_TRIGGERS) + r")|(?P<weak>" + "|".join(_WEAK_TRIGGERS) + r"))\b\s*:?\s*",
    re.I,
)
# numpy: "`np.float` was a deprecated alias for the builtin `float`".
_BUILTIN_ALIAS_RE = re.compile(r"\balias\s+(?:for|of)\s+(?:the\s+)?built-?in\s+(?:Python\s+)?"
                               r"(?:``|`)?(?P<name>[A-Za-z_]\w*)(?:``|`)?", re.I)
# "`X` should be used instead", "`X` can be used instead".
_USED_INSTEAD_RE = re.compile(
    r"(?P<span>``[^`]+``|(?::[\w:.-]+:)?`[^`]+`|[A-Za-z_][\w.]*(?:\(\))?)\s+"
    r"(?:should|can|must|may|is\s+to)\s+be\s+used\s+instead",
    re.I,
)
# Words that may stand between the trigger and the name ("use the new `X`").
_SKIP_WORDS = frozenset(
    "the a an new its their this that these those equivalent corresponding "
    "function method class attribute property module parameter argument keyword "
    "option functions methods classes attributes modules parameters arguments "
    "keywords options either explicitly directly instead".split()
)
# Bare words that are never a replacement.
_NOT_NAMES = frozenset(
    "the a an it its this that these those one error errors exception exceptions "
    "warning future behavior behaviour default defaults instead of or and in on to "
    "with by for be is are was were will should can may must not no none if when "
    "directly explicitly here there same other others something another new cases "
    "case which what whatever each any all".split()
)
# A name in Sphinx emphasis, as matplotlib's and attrs' docs write an argument: "*orientation*".
EMPHASIS = re.compile(r"(?<![\w*])\*([A-Za-z_]\w*)\*(?![\w*])")
_CLAUSE_END = re.compile(r"(?:[.;!?](?:\s|$)|\n\s*\n)")
# "Use ``pd.set_option('future.x', True)`` to opt in to the future behavior": what the text has one
# use is a switch for the old API's behaviour, not an API to call instead of it.
_OPT_IN = re.compile(r"\bto\s+(?:opt[\s-]*in\b|(?:get|adopt|enable|retain|keep|preserve)\s+the\s+"
                     r"(?:future|new|old|current|previous)\s+behaviou?r|silence\s+(?:this|the)\s+warning)", re.I)
_MAX_WORDS_BEFORE_SPAN = 6


# Wording that makes the replacement the same callable under another name.
# numpy 2.0 removed names from its namespace that live on elsewhere: "It's still available as
# `np.lib.add_docstring`", "Now it's available under `np.lib.array_utils.byte_bounds`".
# Not "alias" as code: SQLAlchemy's "Use the Select.from_statement() method or aliased() construct ...
# instead" names the `aliased()` function, "which was previously ``Alias.as_scalar()``" a class: neither
# says anything of a drop-in.
_DROP_IN = re.compile(r"\balias(?:es|ed)?\b(?![.(])|\brenamed\b|\bhas\s+moved\b|\bwas\s+moved\b|\bmoved\s+to\b"
                      r"|\bnew\s+name\b|\bidentical\b|\bsame\s+as\b"
                      r"|\b(?:still|now)\s+(?:it(?:'|\u2019)?s\s+|it\s+is\s+)?available\s+(?:as|under)\b", re.I)


# A version as a helper or directive is given it: "3.8", "v2023.10.0", "1.4.0b1".
VERSION_LIKE = re.compile(r"^v?\d+(?:\.\d+)+\w*$")
# The built-in warning classes for deprecations: DeprecationWarning, PendingDeprecationWarning (a
# deprecation only announced) and FutureWarning (resolve.BUILTIN_CATEGORIES).
DEPRECATION_WARNING = "DeprecationWarning"
PENDING_WARNING = "PendingDeprecationWarning"
# A deprecation warning class known by its name alone, whatever its bases: `...DeprecationWarning`,
# the built-ins above and a library's own (SQLAlchemy's SADeprecationWarning, matplotlib's
# MatplotlibDeprecationWarning). Pattern text of the class's own (last) name, for a caller to anchor
# (as DEPRECATION_WORDS is pattern text).
NAMED_DEPRECATION_WARNING = r"\w*DeprecationWarning"
# A deprecation warning class as written (module-qualified or not): FutureWarning, or any
# `...DeprecationWarning`. By its name only, for readers with no class hierarchy at hand (a
# library helper's call, a branch's warning).
DEPRECATION_CATEGORY = re.compile(rf"^(?:[\w.]+\.)?(?:FutureWarning|{NAMED_DEPRECATION_WARNING})$")
# "... is deprecated", "have been now deprecated": a sentence saying its subject is deprecated.
DEPRECATED_VERB = re.compile(r"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:now\s+)?deprecated\b", re.I)
# The deprecation under way: "The epoch parameter ... is being deprecated where possible" (torch 2.13
# `LRScheduler.step`, whose docstring says `.. deprecated:: 1.4`). Kept out of the verb above, whose
# other reader (docstring admonitions, `_deprecates_a_use`) was not measured with it.
_UNDER_WAY = re.compile(r"\b(?:is|are)\s+(?:now\s+)?being\s+deprecated\b", re.I)
# A deprecation to come, not one made: "is pending deprecation", "will be deprecated", "is going to
# be deprecated"; unless the text also says something is deprecated now.
_ANNOUNCED = re.compile(r"\bpending\s+deprecation\b|\b(?:will|is\s+going\s+to|to)\s+be\s+deprecated\b", re.I)
_DEPRECATED_NOW = re.compile(r"\b(?:is|are|was|were|been|now)\s+deprecated\b", re.I)


def says_deprecated_now(text: str | None) -> bool:
    """"X is deprecated", "X is being deprecated": the text says its subject is deprecated now."""
    return bool(text) and (DEPRECATED_VERB.search(text) is not None or _UNDER_WAY.search(text) is not None)


def announces_deprecation(text: str | None) -> bool:
    """"X will be deprecated in a future release", "is pending deprecation": a deprecation to come,
    and nothing in the text deprecated now (numpy 2.4.0's notes on ``np.fix``, torch 2.13's
    `PlaceholderObserver(compute_dtype=)` warning)."""
    return bool(text) and _ANNOUNCED.search(text) is not None and _DEPRECATED_NOW.search(text) is None


# The names right before such a verb, listed ("A(), B() and C() are being deprecated"), each maybe
# in backticks or called; "being" too, which the verb above leaves out.
_SUBJECT_ITEM = r"`*[A-Za-z_][\w.]*(?:\(\))?`*"
_SUBJECT_LIST = re.compile(rf"({_SUBJECT_ITEM}(?:\s*,\s*(?:and\s+)?{_SUBJECT_ITEM}|\s+(?:and|or)\s+{_SUBJECT_ITEM})*)"
                           r"\s+(?:is|are|has\s+been|have\s+been)\s+(?:being\s+|now\s+)?deprecated\b", re.I)


def deprecated_subjects(text: str | None) -> list[str]:
    """The dotted names a text says are deprecated, as the subjects of its verb: "torch.distributed.nn.
    functional.broadcast is deprecated, use ..." -> [that name]; "FSDP.state_dict_type() and
    FSDP.set_state_dict_type() are being deprecated" -> both, without the parentheses."""
    return [re.sub(r"[`()]", "", item) for m in _SUBJECT_LIST.finditer(text or "")
            for item in re.findall(_SUBJECT_ITEM, m.group(1)) if item.strip("`") not in ("and", "or")]


# Words that say an API is deprecated or gone.
DEPRECATION_WORDS = r"deprecat|\bremoved\b|\brenamed\b|\bno\s+longer\b|\bobsolete\b"
# ... or that it is about to change, or what to use instead: what a deprecation message says.
_CHANGE = re.compile(DEPRECATION_WORDS + r"|\bremov|instead|in\s+favou?r\s+of|"
                     r"will\s+(?:be\s+)?(?:change|raise|become|drop)|future\s+(?:version|release)", re.I)


def announces_change(text: str) -> bool:
    """"X is deprecated", "will change in a future version", "use Y instead": unlike "X now calls
    Y, which resets all stats", which a FutureWarning may say too and deprecates nothing."""
    return _CHANGE.search(text) is not None


# The replacement means the opposite of the old name: pydantic.v1 ``validator(whole=)``: 'use "each_item"
# (inverse meaning, default False) instead'. `whole=True` is `each_item=False`: no rename, no drop-in.
_INVERTED = re.compile(
    r"\b(?:inverse|inverted|opposite|negated|reversed|reverse)\s+(?:meaning|sense|semantics|logic|value|behaviou?r)"
    r"|\b(?:meaning|sense|semantics|logic)\s+(?:is\s+|are\s+|was\s+|has\s+been\s+)?(?:inverted|reversed|negated)\b"
    r"|\b(?:the\s+)?(?:inverse|opposite|negation)\s+of\s+(?:the\s+)?(?:old|previous|former|deprecated|this|that|it)\b"
    r"|\bnegated\b",
    re.I)


# A keyword the library no longer reads: "This keyword is ignored", "has always been ignored", "It has
# no effect", "has no longer any effect". Not what it will be ("will be ignored in a future version":
# it still acts now), nor a condition on it ("ignored when `forward_sync_buffers` is given", "have no
# effect on Series": other calls still use it).
_IGNORED = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:now\s+)?(?:(?:silently|simply|completely)\s+)?ignored"
    r"|(?:has|have)\s+(?:always\s+)?been\s+ignored"
    r"|(?:has|have)\s+(?:no\s+(?:longer\s+)?(?:any\s+)?|no\s+longer\s+(?:any|an)\s+)(?:effect|impact)"
    r"|no\s+longer\s+(?:has|have)\s+(?:any|an)\s+(?:effect|impact)"
    r"|(?:is|are)\s+(?:now\s+)?(?:unused|(?:not|no\s+longer)\s+used))\b"
    r"(?:\s+(?:now|anymore|any\s+more|since\s+\S+|\([^()]*\)))*"
    r"(?!\s*(?:,\s*)?(?:when|if|for|on|unless|in(?!\s+(?:the\s+|a\s+)?future)|with|while|except|because|by"
    r"|during|as|under|after|before|until)\b)",
    re.I)


def says_ignored(text: str | None) -> bool:
    """Whether the text says the parameter it deprecates is ignored now, whatever it is given:
    then leaving it out changes nothing (pandas 3's `copy=`, "This keyword is ignored and will be
    removed in pandas 4.0"; scikit-learn's "It has no effect. Leave it to its default value")."""
    return bool(text) and _IGNORED.search(text or "") is not None


def says_inverted(text: str | None) -> bool:
    """Whether the text says the new name means the inverse ("inverse meaning", "opposite meaning",
    "negated"): then passing the old keyword's value to the new one does the opposite."""
    return bool(text) and _INVERTED.search(text or "") is not None


def says_drop_in(text: str | None) -> bool:
    """"`row_stack` alias is deprecated", "renamed to", "moved to": the replacement is a drop-in.

    Not when the replacement only serves the public names (numpy 2.0: "renamed to
    numpy.linalg._linalg ... Please use numpy.linalg.{} instead"): `numpy.linalg` lacks the old
    module's private helpers, so `from numpy.linalg.linalg import _makearray` cannot move there."""
    return bool(text) and any(not _NEGATED.search(text, 0, m.start()) for m in _DROP_IN.finditer(text)) \
        and not _member_by_member(text) and not says_inverted(text)


# "moved to" said not to happen: attrs' `set_run_validators`, "It will not be removed, but it also will
# not be moved to new ``attrs`` namespace. Use `attrs.validators.set_disabled()` instead" (whose
# `disabled` is the inverse of `run`).
_NEGATED = re.compile(r"\b(?:not|never|n't)\s+(?:(?:be|been|being|get|got)\s+)?$", re.I)


def _member_by_member(text: str) -> bool:
    """The replacement is a public module offered for the old one's names, not its new name."""
    names, _ = replacement_names(text)
    if not names:
        return False
    if f"{names[0]}.{HOLE}" in text:
        return True
    for m in _TRIGGER_RE.finditer(text):
        found = _name_after(text, m.end(), strong=m.group("strong") is not None)
        if found and _is_private(found[0]) and found[0] != names[0]:
            return True
    return False


def replacement_from_text(text: str) -> str | None:
    """Return the name a deprecation message offers instead, as spelled there.

    Backticks, Sphinx roles, quotes and a trailing "()" are stripped; dotted
    names are kept ("np.vstack", "DataFrame.map").  With "use `X` or `Y`" the
    first is returned; with "use `X` and `Y`" none: neither replaces the API alone.
    None when the text names no replacement.
    """
    names, joined_by_and = replacement_names(text)
    if not names or joined_by_and:
        return None
    return names[0]


def replacement_names(text: str) -> tuple[list[str], bool]:
    """Every name of the replacement phrase, and whether "and" joins them.

    "use `X` or `Y` instead" -> (["X", "Y"], False); "Use `l1_ratio` and `C` instead" ->
    (["l1_ratio", "C"], True); "use `X` instead" -> (["X"], False).  A keyword is renamed
    only when exactly one name is offered: a choice or a combination is not a rename.
    """
    if not text:
        return [], False
    m = _BUILTIN_ALIAS_RE.search(text)
    if m:
        return [f"builtins.{m.group('name')}"], False      # not a same-named attribute of the library
    private = None
    for m in _TRIGGER_RE.finditer(text):
        found = _name_after(text, m.end(), strong=m.group("strong") is not None)
        if found and _is_private(found[0]):
            # numpy 2.0 `linalg.linalg`: "renamed to numpy.linalg._linalg. ... Please use
            # numpy.linalg.{} instead": the public name offered after the private one is the advice.
            private = private or found
        elif found:
            return _listed_after(text, *found)
    if private:
        return _listed_after(text, *private)
    m = _USED_INSTEAD_RE.search(text)
    if m:
        name = clean_name(m.group("span"))
        if name and name.lower() not in _NOT_NAMES:
            return [name], False
    # A bare cross-reference as the whole body (".. deprecated:: 1.2\n   :func:`x`").
    stripped = text.strip().rstrip(".")
    span = _CODE_SPAN.fullmatch(stripped)
    if span and stripped.startswith(":"):
        name = clean_name(stripped)
        return ([name] if name else []), False
    return [], False


def _is_private(name: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))


def offers_one_name(text: str | None) -> bool:
    """Whether the text offers exactly one name instead: the only case a keyword is renamed.

    scikit-learn 1.8 ``penalty``: "Use `l1_ratio` and `C` instead" (and the warning's "use 'l1_ratio'
    or 'C' instead") translates values across two keywords; renaming ``penalty=`` to ``l1_ratio=``
    would write a call that fails.
    A name said to mean the inverse ('use "each_item" (inverse meaning ...) instead') is no rename either.
    """
    return len(replacement_names(text or "")[0]) == 1 and not says_inverted(text)


# What joins the items of a list of names: ", ", " or ", " and ", ", or ", ", and ".
_LIST_JOIN = re.compile(r"\s*,\s*(?:(?P<a>and|or)\s+)?|\s+(?P<b>and|or)\s+", re.I)


def _listed_after(text: str, first: str, end: int) -> tuple[list[str], bool]:
    """``first`` (ending at ``end``) and the names listed right after it, joined by commas / and / or."""
    names, joins = [first], []
    pos = end
    while True:
        sep = _LIST_JOIN.match(text, pos)
        if sep is None:
            break
        item = _list_item(text, sep.end())
        if item is None:
            break
        names.append(item[0])
        joins.append((sep.group("a") or sep.group("b") or "").lower())
        pos = item[1]
    # "X, Y and Z" is a combination; any "or" makes it a choice ("X, Y, or Z").
    return names, "and" in joins and "or" not in joins


def _list_item(text: str, start: int) -> tuple[str, int] | None:
    """A name that starts at ``start`` and looks like code (a code span, dotted, snake_case...)."""
    span = _CODE_SPAN.match(text, start)
    if span:
        name = clean_name(span.group(0))
        return (name, span.end()) if name else None
    word = re.compile(r"[A-Za-z_][\w.]*(?:\(\))?").match(text, start)
    if word and _looks_like_code(word.group(0).rstrip(".")):
        name = clean_name(word.group(0).rstrip("."))
        return (name, word.start() + len(word.group(0).rstrip("."))) if name else None
    return None


_WITHOUT = re.compile(r"\bwithout\b", re.I)


def _name_after(text: str, start: int, *, strong: bool) -> tuple[str, int] | None:
    """The replacement name in the clause starting at ``start``, if any, and where it ends."""
    end_m = _CLAUSE_END.search(text, start)
    clause = text[start : end_m.start() if end_m else len(text)]
    if not strong and _OPT_IN.search(clause):
        return None
    # A code span within the first few words wins ("use the new `X` function").
    span = _CODE_SPAN.search(clause)
    before = clause[: span.start()] if span else ""
    if before.count("(") > before.count(")"):
        span = None     # "use pd.set_option('display.precision', N)": an argument, not the name
    if span and _WITHOUT.search(before):
        # pandas: "Use to_datetime without passing `errors` and catch exceptions explicitly
        # instead": the span is what to leave out, and the call to keep is the API itself
        return None
    if span and len(before.split()) <= _MAX_WORDS_BEFORE_SPAN:
        name = clean_name(span.group(0))
        if name:
            return name, start + span.end()
    words = list(re.finditer(r"\S+", clause))
    i = 0
    while i < len(words) and words[i].group(0).lower() in _SKIP_WORDS:
        i += 1
    if i >= len(words):
        return None
    word = words[i].group(0).rstrip(",:")
    end = start + words[i].start() + len(word)
    emphasis = EMPHASIS.fullmatch(word.rstrip(".;!?"))
    if emphasis:
        # matplotlib's and attrs' docs emphasise argument names: "Use *orientation* instead",
        # "*hash* is deprecated in favor of *unsafe_hash*"
        return emphasis.group(1), start + words[i].start() + len(word.rstrip(".;!?"))
    if word.endswith("." + HOLE):
        word = word[: -len(HOLE) - 1]     # "use numpy.linalg.{} instead": each name, from that module
    if word.endswith(")") and word.count("(") < word.count(")"):
        word = word[:-1]  # "(use foo)" -> "foo"
        end -= 1
    if word.count("(") > word.count(")"):
        word = word[: word.index("(")] + "()"   # the callee of a call written out with arguments
    name = clean_name(word)
    if not name or not _NAME.fullmatch(name):
        return None
    if _looks_like_code(word):
        return name, end
    if name.lower() in _NOT_NAMES:
        return None
    if strong:
        return name, end
    # "use columns instead", "use delimiter rather than delimitor": one bare word, then the contrast.
    after = " ".join(w.group(0) for w in words[i + 1 : i + 3]).lower()
    if after.startswith("instead") or after.startswith("rather than"):
        return name, end
    return None


def _looks_like_code(word: str) -> bool:
    """Dotted, snake_case, a call, or CamelCase with an inner capital (DataFrame)."""
    core = word.strip("`'\"")
    return (
        "." in core.rstrip(".")
        or "_" in core
        or core.endswith(")")
        or bool(re.search(r"[a-z][A-Z]", core))
    )


_ROLE_PREFIX = re.compile(r"^:[\w:.-]+:")
_TITLE_TARGET = re.compile(r"<([^<>]+)>\s*$")


def fitted_attribute(name: str) -> bool:
    """A name spelled as scikit-learn spells fitted attributes (`covariances_`, `grid_scores_`);
    not `lambda_` or `type_`, which spell a keyword that would be a Python word."""
    stem = name[:-1]
    return name.endswith("_") and stem.isidentifier() and not stem.startswith("_") and not stem.endswith("_") \
        and not keyword.iskeyword(stem) and not hasattr(builtins, stem)


def clean_name(text: str) -> str | None:
    """Strip markup from a name: roles, backticks, quotes, ``~``/``!``/``@``, "()" and punctuation.

    ":func:`~numpy.vstack`" -> "numpy.vstack"; "``DataFrame.map()``" ->
    "DataFrame.map"; "`title <pkg.mod>`" -> "pkg.mod".  None when what is left
    is not a (dotted) Python name.
    """
    s = _ROLE_PREFIX.sub("", text.strip())
    s = s.strip("`'\" ")
    target = _TITLE_TARGET.search(s)
    if target:
        s = target.group(1)
    # "use `@prof` instead": a decorator is named as it is written, with its "@".
    s = s.lstrip("~!@").strip()
    m = _NAME.match(s)
    if not m:
        return None
    name = m.group(0)
    rest = s[m.end():]
    # Something other than a call / punctuation follows ("np.asarray(arr)" is fine,
    # "-np.inf" or "x + 1" is not a name).
    if rest and not re.match(r"^(?:\(.*\)|\[.*\])?[\s.,;:!?)]*$", rest):
        return None
    return name


# --- string literals -----------------------------------------------------------

_PREFIX_RE = re.compile(r"^([rRbBuUfFtT]{0,3})(['\"])")
HOLE = "{}"


def literal_text(token: str) -> str | None:
    """Decode one Python string literal token, f-string holes replaced by ``{}``.

    ``'"a" "b"'`` is not one token: callers join the parts of an implicit
    concatenation.  Returns None for text that is not a string literal.
    """
    m = _PREFIX_RE.match(token)
    if not m:
        return None
    prefix = m.group(1).lower()
    if "f" in prefix or "t" in prefix:
        body_prefix = prefix.replace("f", "").replace("t", "")
        token = body_prefix + token[len(m.group(1)):]
        token = _replace_holes(token)
        # A hole's replacement "{}" must survive decoding unchanged.
    try:
        value = literal_value(token)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def _replace_holes(token: str) -> str:
    """Replace f-string replacement fields by ``{}``; ``{{``/``}}`` become braces."""
    out: list[str] = []
    i, n, depth = 0, len(token), 0
    while i < n:
        ch = token[i]
        if depth == 0:
            if token.startswith("{{", i) or token.startswith("}}", i):
                out.append(ch)
                i += 2
                continue
            if ch == "{":
                depth = 1
                out.append(HOLE)
            else:
                out.append(ch)
        else:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
        i += 1
    return "".join(out)
