"""Which uses of a deprecated parameter the library's words deprecate.

"`penalty` was deprecated" deprecates any use of `penalty=`; "Value "friedman_mse" for
`criterion` is deprecated" only that value; "The default value of `copy` will change"
deprecates leaving `copy` out, and passing it is the fix. Flagging every `criterion=`
or `copy=` would tell users to undo exactly what the library asks of them, so each
parameter row records its usage set (``db.records.USAGES``). Text that matches none of
these shapes ("Passing a dict is deprecated", "Negative values for `power_t`") is
``other``: kept in the knowledge base, never flagged on a call.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from apimigrate.db.records import (USE_ANY, USE_DEFAULT, USE_OTHER, USE_POSITIONAL, USE_VALUE,
                                   canonical_literal)

__all__ = ["usage_from_text", "usage_from_directive", "equivalent_values"]

_Q = r"[`'\"]*"                       # quotes / backticks around a name
_LIT = r"(?:'[^'\n]{0,60}'|\"[^\"\n]{0,60}\"|None|True|False|-?\d+(?:\.\d+)?)"
_QLIT = r"``?(?:'[^'\n]{0,60}'|\"[^\"\n]{0,60}\")``?|(?:'[^'\n]{0,60}'|\"[^\"\n]{0,60}\")"
_IS = r"(?:is|are|was|were|has\s+been|have\s+been)\s+(?:now\s+)?"
# values written in single backticks, listed: "`w`, `d` and `NS`"
_BARE = r"`[^`\s]{1,20}`(?:\s*(?:,\s*and|,\s*or|,|and|or)\s*`[^`\s]{1,20}`)*"
# quoted values, listed: "'H', 'T', 'S', 'L', 'U' and 'N'"
_QLIST = r"(?:{QLIT})(?:\s*(?:,\s*and|,\s*or|,|and|or)\s*(?:{QLIT}))*".replace("{QLIT}", _QLIT)
_NOUN = r"(?:keyword\s+argument|keyword|parameter|argument|kwarg|option)s?"
# "of the :class:`x`", "in `predict` for :meth:`y`", "of functions :func:`z`"
_CODE = r"[\w.{}()`:~]+"
_WHERE = (r"(?:\s+(?:in|of|to|for|from)\s+(?:the\s+)?(?:(?:class|function|method|module|constructor)s?\s+)?"
          r"{CODE}(?:\s*(?:,|and|or|,\s*and)\s+{CODE})*){0,2}").replace("{CODE}", _CODE)

# Leaving the parameter out is what the warning is about.
_DEFAULT = (
    r"\bdefault\b(?:\s+[^\s]*[^\s.]){0,12}?\s+(?:will|is\s+going\s+to)\s+(?:be\s+)?(?:change|changed|switch|become)",
    r"\bcalled\s+without\s+specifying\b",
    r"\bby\s+default\s+in\s+a\s+future\s+version\b",
    r"deprecat\w*\s+(?:the\s+)?default\s+(?:value\s+)?(?:of|for)\s+(?:the\s+)?{Q}{P}{Q}",
    # matplotlib ``get_figure(root=)``: "From version 3.12 *root* will default to False"
    r"(?<![\w.]){Q}\*?{P}\*?{Q}\s+(?:will|is\s+going\s+to)\s+(?:now\s+)?default\s+to\b",
)
# "The default value of 'alphas' will change", said in a warning about `n_alphas`, is about
# another parameter.
_DEFAULT_OF = r"\bdefault\s+(?:value\s+)?(?:of|for)\s+(?:the\s+)?(?:{NOUN}\s+)?[`'\"]+(?P<name>\w+)[`'\"]+"

# Passing one value (or some values) is deprecated: each pattern captures them.
_VALUE = (
    r"(?<![\w.]){P}\s*=\s*(?P<lit>{LIT}){Q}\s+{IS}(?:deprecated|not\s+supported)",
    r"\bpassing\s+{Q}{P}\s*=\s*(?P<lit>{LIT})",
    # pandas 2.2 whatsnew: "Deprecated the ``errors="ignore"`` option in :func:`to_datetime`"
    r"\bdeprecat\w*\s+(?:the\s+)?{Q}{P}\s*=\s*(?P<lit>{LIT}){Q}\s+(?:{NOUN}|values?|modes?)\b",
    r"\bvalues?\s+{Q}(?P<lit>{LIT}){Q}\s+(?:for|of)\s+(?:the\s+)?(?:{NOUN}\s+)?{Q}{P}{Q}",
    r"\bpassing\s+{Q}(?P<lit>{LIT}){Q}\s+(?:as|for|to)\s+(?:the\s+)?(?:{NOUN}\s+)?{Q}{P}{Q}",
    r"(?<![\w.]){Q}{P}{Q}\s+(?:cannot|can\s*not|must\s+not|should\s+not)\s+be\s+{Q}(?P<lit>{LIT})",
    # scikit-learn 1.0: "Criterion 'mse' was deprecated", "The loss 'ls' was deprecated"; pandas 2.1
    # ``to_timedelta(unit=)``: "Units 'T' and 'L' are deprecated"
    r"(?<![\w.]){Q}{P}s?{Q}\s+(?P<lits>{QLIST})\s+{IS}deprecated",
    r"(?P<lits>(?:{QLIT})(?:\s*(?:,|and|or|,\s*and|,\s*or)\s*(?:{QLIT}))*)\s+(?:\w+\s+)?"
    r"(?:options?|values?|modes?|engines?|settings?)\s+(?:for\s+{Q}{P}{Q}\s+)?{IS}deprecated",
    # pandas 3.0 ``Timedelta(unit=)``: "Allowing the values `w`, `d`, `MIN`, `MS`, `US` and `NS` to
    # denote units are deprecated in favour of the values `W`, `D`, ..." (values in the default role)
    r"\bvalues?\s+(?P<bare>{BARE})\s+(?:to\s+(?:\w+\s+){1,4}?)?{IS}deprecated",
)
_POSITIONAL = (
    r"\bpass(?:ed|ing)?\s+(?:it\s+)?as\s+a\s+keyword\b",
    r"\bpositional\s+(?:use|passing|argument)s?\b[^.]{0,40}\bdeprecated",
    r"\bpassing\s+(?:{Q}{P}{Q}\s+)?(?:as\s+a\s+)?positional(?:ly)?\b[^.]{0,40}\bdeprecated",
    # numpy 2.4: "Positional ``out`` argument to ``np.maximum`` ... is deprecated", "Passing the
    # output array ``out`` positionally to ``numpy.maximum`` ... is deprecated" (a dot inside a
    # dotted name does not end the sentence)
    r"\bpositional\s+{Q}{P}{Q}(?:\s+{NOUN})?\b(?:[^.]|\.(?=\S)){0,80}\bdeprecated",
    r"\bpassing\s+(?:the\s+)?(?:[\w-]+\s+){0,3}{Q}{P}{Q}\s+positionally\b(?:[^.]|\.(?=\S)){0,80}\bdeprecated",
)
# scikit-learn changelog tags ("|API| The `eps` parameter ...") open a sentence.
_TAGS = re.compile(r"\|[A-Z][\w-]*\|\s*")
_VERB = (r"\s+(?:is|are|was|were|has|have|will)\b(?:\s+(?:now|been|always|also|be|being|no|effectively))*"
         r"\s+(?:deprecated|ignored|renamed|removed|unused|not\s+used|longer|dropped|effect)")
# The parameter itself is the subject: any use is deprecated.
_ANY = (
    r"(?:^|[.;:!?]\s+|\(\s*|\n[-*]\s+)(?:the\s+|a\s+)?(?:{NOUN}\s+)?(?:{Q}\w+{Q}\s*(?:,|and|or)\s*)*{Q}\*{0,2}{P}{Q}(?:\s*(?:,|and|or)\s*{Q}\w+{Q})*"
    r"(?:\s+{NOUN})?{WHERE}" + _VERB,
    r"\bthis\s+(?:keyword|parameter|argument|kwarg|option)\b" + _VERB,
    r"deprecat\w*\s+(?:the\s+)?(?:{NOUN}\s+)?(?:{Q}\w+{Q}\s*(?:,|and|or)\s*)*(?:and\s+|or\s+)?{Q}{P}{Q}"
    r"(?:\s+{NOUN})?(?:\s|[.,;]|$)",
    r"\bpassing\s+{Q}\*{1,2}{P}{Q}",
    # xarray / SQLAlchemy: "Passing `eagerly_compute_group` is deprecated": the name quoted, as a name
    r"\bpassing\s+(?:the\s+)?[`'\"]+{P}[`'\"]+(?:\s+{NOUN})?{WHERE}\s+{IS}deprecated",
    # pandas 2.1: "{}.fillna with 'method' is deprecated" (a call with it, not "values together with
    # ``format``"), "The 'closed' keyword in {} construction is
    # deprecated", "Grouper axis keyword is deprecated": the parameter, named as one, is the subject
    r"(?:[\w{}]*\.\w+|\w+\(\))\s+with\s+(?:the\s+)?{Q}{P}{Q}(?:\s+{NOUN})?\s+{IS}deprecated",
    r"(?<![\w.=]){Q}{P}{Q}\s+{NOUN}{WHERE}(?:\s+(?:construction|constructor|calls?))?" + _VERB,
    r"\b(?:renamed|deprecated)\s+in\s+favou?r\s+of\b",
    # xarray ``apply_ufunc``: "``meta`` should be given in the ``dask_gufunc_kwargs`` parameter. It
    # will be removed as direct parameter": the keyword itself moves elsewhere
    r"(?:^|[.;:!?]\s+)(?:the\s+)?{Q}\*{0,2}{P}\*{0,2}{Q}(?:\s+{NOUN})?\s+(?:should|must)\s+(?:now\s+)?"
    r"(?:instead\s+)?be\s+(?:given|passed|specified|provided|set)\s+(?:in|via|through|with|as|to|inside)\b",
)


def _compile(patterns: tuple[str, ...], param: str) -> list[re.Pattern[str]]:
    return [_compiled(p, param if "{P}" in p else "") for p in patterns]


def _for_text(patterns: tuple[str, ...], param: str, text: str) -> Iterator[re.Pattern[str]]:
    """Those of `patterns` (as `_compile` gives them) that may match `text`, in order: compiling
    each parameter's own patterns was a second of a scan of pandas, and most cannot match a
    given message. One that spells the parameter in cannot match where the pattern with any name in
    its place does not ({P} is in no lookaround: the name's words are a subset of any name's), nor
    where the text lacks the name (case-blind, as the patterns are; outside ASCII re.I matches the
    Kelvin sign to `k`): then it is the pattern with no way through {P}, the same for all."""
    named = not (text.isascii() and param.isascii()) or param.lower() in text.lower()
    any_name = _NAME.fullmatch(param) is not None
    for p in patterns:
        if "{P}" not in p:
            yield _compiled(p, "")
        elif not named:
            yield _compiled(p, None)
        elif not any_name or _compiled(p, _ANY_NAME).search(text) is not None:
            yield _compiled(p, param)


_NAME = re.compile(r"\w+")
_ANY_NAME = object()


@functools.lru_cache(maxsize=8192)
def _compiled(pattern: str, param) -> re.Pattern[str]:
    """`pattern` with its placeholders filled in; {P} is `param`, any name for _ANY_NAME, a match
    that fails for None."""
    spelled = r"\w+" if param is _ANY_NAME else "(?!)" if param is None else re.escape(param)
    fill = {"{P}": spelled, "{Q}": _Q, "{LIT}": _LIT, "{QLIT}": _QLIT, "{IS}": _IS, "{NOUN}": _NOUN,
            "{WHERE}": _WHERE, "{BARE}": _BARE, "{QLIST}": _QLIST}
    return re.compile(re.sub(r"\{[A-Z]+\}", lambda m: fill[m.group(0)], pattern), re.I)


def _bare_values(text: str) -> list[str]:
    """"`w`, `d` and `NS`" -> the canonical literals 'w', 'd', 'NS' (None, True, False and numbers as such)."""
    out = []
    for word in re.findall(r"`([^`\s]+)`", text):
        value = canonical_literal(word) if re.fullmatch(r"None|True|False|-?\d+(?:\.\d+)?", word) \
            else canonical_literal(repr(word))
        if value is not None:
            out.append(value)
    return out


def _literals(m: re.Match[str]) -> list[str]:
    groups = m.groupdict()
    if groups.get("bare"):
        return _bare_values(groups["bare"])
    found = [groups["lit"]] if groups.get("lit") else re.findall(_QLIT, groups.get("lits") or "")
    out = []
    for text in found:
        if "{}" in text:
            continue          # `method='{}'`: a value filled in at run time, none in particular
        value = canonical_literal(text.strip("`"))
        if value is not None:
            out.append(value)
    return out


def _about(text: str, m: re.Match[str], parameter: str) -> bool:
    """Whether the sentence holding match `m` speaks of `parameter`, or of no other one."""
    start = max(text.rfind(". ", 0, m.start()), text.rfind("; ", 0, m.start())) + 1
    ends = [i for i in (text.find(". ", m.end()), text.find("; ", m.end())) if i >= 0]
    sentence = text[start:min(ends) if ends else len(text)]
    if re.search(rf"(?<![\w.]){re.escape(parameter)}(?!\w)", sentence):
        return True
    return not any(o.group("name") != parameter for o in _compile((_DEFAULT_OF,), parameter)[0].finditer(sentence))


def usage_from_text(text: str | None, parameter: str) -> tuple[list[str], list[str]]:
    """(usage set, deprecated values) that a message about `parameter` states.

    No text at all (a bare ``deprecate_kwarg``) means any use. The first shape that
    matches wins, in the order: default changes, values, positional passing, the
    parameter as the subject; none of them -> ``other``.
    """
    if not text or not text.strip():
        return [USE_ANY], []
    text = _TAGS.sub("", text).strip()
    if any(_about(text, m, parameter) for p in _for_text(_DEFAULT, parameter, text) for m in p.finditer(text)):
        return [USE_DEFAULT], []
    for pattern in _for_text(_VALUE, parameter, text):
        m = pattern.search(text)
        if m:
            values = [v for v in _literals(m) if v != repr(parameter)]
            if values:
                return [USE_VALUE], values
    if any(p.search(text) for p in _for_text(_POSITIONAL, parameter, text)):
        return [USE_POSITIONAL], []
    if any(p.search(text) for p in _for_text(_ANY, parameter, text)):
        return [USE_ANY], []
    return [USE_OTHER], []


# What a directive's text says when it is about one use of the parameter, not the parameter: a
# condition or a case opens it (numpy ``fft2``: "If `s` is specified, ..."; pandas: "For axis=1,
# ...", "Passing a dict is ..."), it names values (statsmodels: "using None will ..."; pandas
# ``to_timedelta``: "Units 'H', 'T' ..."), leaving it out ("by default", "explicitly"), or it says
# what else is deprecated or only announced ("random_state has been deprecated", "The *axis*
# parameter is now optional ... pending-deprecated").
_A_USE = re.compile(
    r"^\W*(?:if|when|whenever|unless|for|passing|setting|specifying|using|calling|giving|providing|with|"
    r"without|only|negative|positive|non[-\s]\w+|values?|units?|strings?|the\s+behaviou?r|support\s+for|"
    r"the\s+default|in\s+(?:the\s+)?(?:future|release|version))\b", re.I)
_OTHERWISE = re.compile(
    r"(?<![\w.])(?:None|True|False)(?![\w.])|'[^'\s]{1,40}'|\"[^\"\s]{1,40}\"|``(?:'[^']*'|\"[^\"]*\"|-?\d[\d.]*)``"
    r"|\bby\s+default\b|\bexplicitly\b|\boptional\b|\bpending\b"
    r"|\b(?:is|are|was|were|be|been|being)\s+(?:now\s+)?(?:pending[\s-]+)?deprecated\b", re.I)


def usage_from_directive(text: str | None, parameter: str) -> tuple[list[str], list[str]]:
    """(usage set, deprecated values) of a ``.. deprecated::`` directive under the parameter's own
    entry in the docstring: the parameter is what it deprecates, so any use, unless its text
    says otherwise (a value, a default, a condition). Its text need not repeat "deprecated":
    matplotlib ``boxplot(vert=)``: "Use *orientation* instead."; xarray ``open_dataset(use_cftime=)``:
    "Please pass a ... instance initialized with ``use_cftime`` to the ``decode_times`` kwarg
    instead."; statsmodels ``cochrans_q(return_object=)``: "... no longer changes the return value
    and will be removed"."""
    usage, values = usage_from_text(text, parameter)
    if usage != [USE_OTHER] or not text:
        return usage, values
    body = _TAGS.sub("", text).strip()
    if _A_USE.match(body) or _OTHERWISE.search(body):
        return usage, values
    return [USE_ANY], []


# The library names a value that does what a deprecated one did: scikit-learn 1.0 "Criterion 'mse'
# was deprecated ... Use `criterion='squared_error'` which is equivalent.", 1.1 "The loss '{}' was
# deprecated ... Use 'log_loss' which is equivalent.", "To keep the past behaviour, explicitly set
# `max_features='sqrt'`.", 1.9 "It maps to `"squared_error"` as both were always equivalent."
# "Use 'pyarrow' instead" (pandas' parquet `engine`) or "instead use ``return_complex=True``"
# (torch.stft, whose output then differs) offer another value, not the same behaviour: no match.
_NEW_VALUE = "{Q}(?:{P}\\s*=\\s*)?(?P<new>{LIT}){Q}"
_EQUIVALENT = (
    r"\b(?:use|set|pass)\s+(?:explicitly\s+)?" + _NEW_VALUE + r",?\s+(?:which|that|as\s+it)\s+(?:is|are)\s+"
    r"(?:exactly\s+|strictly\s+)?equivalent\b",
    r"\bmaps\s+to\s+" + _NEW_VALUE,
    r"\bto\s+(?:keep|maintain|preserve|retain)\s+the\s+(?:past|previous|old|current|same|existing)\s+"
    r"behaviou?r,?\s+(?:you\s+(?:can|should|need\s+to|must)\s+)?(?:explicitly\s+)?(?:set|pass|use)\s+"
    r"{Q}{P}\s*=\s*(?P<new>{LIT}){Q}",
    r"(?:{QLIT}|{P}\s*=\s*{LIT}){Q}\s+(?:\w+\s+){0,2}(?:is|was|has\s+been)\s+(?:now\s+)?(?:renamed\s+(?:to\s+)?|"
    r"(?:an?\s+)?(?:deprecated\s+)?alias\s+(?:of|for)\s+)" + _NEW_VALUE,
)
_MENTIONED = "(?:{QLIT}|(?<![\\w.]){P}\\s*=\\s*{LIT})"
# Two lists as long, the first deprecated in favour of the second, value for value: pandas 3.0
# ``Timedelta(unit=)``: "the values `w`, `d`, `MIN` ... are deprecated in favour of the values `W`, `D`, `min` ..."
_PAIRED = re.compile(r"\bvalues?\s+(?P<old>" + _BARE + r")\s+(?:to\s+(?:\w+\s+){1,4}?)?" + _IS
                     + r"deprecated\s+in\s+favou?r\s+of\s+(?:the\s+)?values?\s+(?P<new>" + _BARE + ")", re.I)
# ... or quoted, the new ones first: pandas 2.2 ``to_timedelta(unit=)``: "Please use 'h', 'min', 's',
# 'ms', 'us', and 'ns' instead of 'H', 'T', 'S', 'L', 'U' and 'N'"
_PAIRED_QUOTED = re.compile(r"\buse\s+(?P<new>" + _QLIST + r")\s+instead\s+of\s+(?P<old>" + _QLIST + ")", re.I)


def equivalent_values(text: str | None, parameter: str, values: list[str]) -> dict[str, str]:
    """{deprecated value: the value the text says behaves the same} for the canonical literals
    `values` of `parameter`. The text's equivalent stands for the values it quotes, or for all of
    them where it quotes none (a message filled in at run time: "The loss '{}' was deprecated").
    A value the text offers without saying it is equivalent gets nothing: `fix` rewrites only these."""
    if not text or not values:
        return {}
    text = _TAGS.sub("", text)
    # one value "instead of" another is another choice ("use 'pyarrow' instead of 'fastparquet'"); lists
    # as long, value for value, are the same values renamed
    for paired, read, least in ((_PAIRED.search(text), _bare_values, 1),
                                (_PAIRED_QUOTED.search(text), _quoted_values, 2)):
        if paired is not None:
            olds, news = read(paired.group("old")), read(paired.group("new"))
            if len(olds) == len(news) >= least and set(olds) <= set(values):
                return {old: new for old, new in zip(olds, news) if old != new}
    for pattern in _for_text(_EQUIVALENT, parameter, text):
        m = pattern.search(text)
        if m is None:
            continue
        new = canonical_literal(m.group("new").strip("`"))
        if new is None or new in values:
            return {}
        quoted = {_mentioned_literal(q.group(0), parameter) for q in _compile((_MENTIONED,), parameter)[0].finditer(text)}
        olds = [v for v in values if v in quoted] or list(values)
        return {old: new for old in olds}
    return {}


def _quoted_values(text: str) -> list[str]:
    """"'h', 'min' and 'ns'" -> the canonical literals, in order."""
    return [v for v in (canonical_literal(q.strip("`")) for q in re.findall(_QLIT, text)) if v is not None]


def _mentioned_literal(text: str, parameter: str) -> str | None:
    lit = re.sub(rf"^{re.escape(parameter)}\s*=\s*", "", text.strip("`"), flags=re.I)
    return canonical_literal(lit.strip("`"))
