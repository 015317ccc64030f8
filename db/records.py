"""Plain records written to and read from the knowledge base."""
from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from packaging.version import InvalidVersion, Version

# How a call triggers a parameter deprecation: deprecations.usage, a comma-separated set.
USE_ANY = "any"                # passing the parameter at all
USE_VALUE = "value"            # passing one of param_values (canonical literals; [] when not literal)
USE_DEFAULT = "default"        # leaving it out: its default value changes
USE_POSITIONAL = "positional"  # passing it by position rather than by keyword
USE_TRUTHY = "truthy"          # passing anything but a false literal (`if use_cuda: warn(...)`)
USE_OTHER = "other"            # something about the call or the data that the call alone does not show
USAGES = (USE_ANY, USE_VALUE, USE_DEFAULT, USE_POSITIONAL, USE_TRUTHY, USE_OTHER)


@dataclass
class Evidence:
    kind: str                 # warning, decorator, docstring, stub, getattr, submodule, changelog
    path: str
    line: int
    version: str | None = None
    text: str = ""


@dataclass
class Deprecation:
    library: str
    api: str                  # fully qualified public name
    kind: str                 # module, class, function, method, attribute, parameter
    replacement: str | None = None
    since: str | None = None
    removed_in: str | None = None
    message: str | None = None
    parameter: str | None = None
    new_parameter: str | None = None
    # The replacement is a drop-in: same arguments (alias, rename, forwarding wrapper).
    drop_in: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    # Parameter rows: which uses are deprecated (USAGES), the deprecated values, and the
    # parameter's 0-based position in a call (-1 keyword-only, None unknown).
    usage: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    position: int | None = None
    # Deprecated values the library names an equivalent for (canonical literal -> canonical
    # literal: "Criterion 'mse' ... Use `criterion='squared_error'` which is equivalent"), so a
    # call passing one can be rewritten exactly. Values without one are left out.
    new_values: dict[str, str] = field(default_factory=dict)
    # When each deprecated value, and passing the parameter at all, was deprecated and removed, as
    # the evidence naming that use dates it (TIMELINES, below): scikit-learn deprecated
    # `criterion='mse'` in 1.0 and `criterion='friedman_mse'` in 1.9, one row for both.
    timelines: dict = field(default_factory=dict)
    # Announced, not yet in effect: the library warns with PendingDeprecationWarning (or a
    # subclass) and nothing else says it is deprecated. See `is_pending` for the other case.
    pending: bool = False
    # Parameter rows: the library says it ignores the parameter now, whatever it is given ("This
    # keyword is ignored", "It has no effect"), so a call that leaves it out does the same.
    ignored: bool = False
    # Parameter rows whose default changes: every warning of it fires under a test of the data
    # (pandas 3.1's `assert_index_equal(exact=)`: a RangeIndex against an integer Index), so only
    # some calls that leave it out behave differently once it changes.
    conditional: bool = False
    # Parameter rows: "token" when the library tests a piece of the string it is given, the name
    # after a count ("15T" passes "T": pandas' frequency aliases, scan/value_tables.py); None
    # when a call's literal is the value.
    value_form: str | None = None


# In ClassFacts.parameters: the def takes **kwargs, so any keyword.
KWARGS = "**"

# A method's return annotation `Self`: the class of the receiver it is called on.
SELF = "Self"

# A value of one of several classes (`Window | Rolling`, what pandas' `rolling()` returns) is
# named by its classes joined with this; a member it is used with tells which
# (callsites/index.py `DeprecationIndex.narrowed`).
UNION = " | "


# Path segments that mark an implementation module (`pandas.core.generic`): a name through one is
# no library's public path when another exists (scan/names.py), and a class only found there is met
# through its public subclasses (callsites/index.py).
INTERNAL_SEGMENTS = frozenset({"core", "internals", "internal", "impl"})


def union_of(classes: Iterable[str]) -> str:
    """The name of a value of any of `classes` (each once, in order); one class is its own name."""
    return UNION.join(dict.fromkeys(classes))


def union_classes(name: str) -> list[str]:
    """The classes a value `name` holds may be of: [name] for one class."""
    return name.split(UNION)


def union_of_known(names: Iterable[str | None]) -> str | None:
    """The union of classes and unions `names`; None when one of them (or all: none given) is
    unknown, since a member used on the value may be that one's."""
    names = list(names)
    if not names or None in names:
        return None
    return union_of(c for name in names for c in union_classes(name))


# deprecations.kind of a property whose setter alone is deprecated (numpy 2.4 `arr.strides = ...`):
# writing the attribute is the use, reading it is not.
SETTER = "setter"


@dataclass
class ClassFacts:
    """The classes the newest scanned release of each library defines: every public member
    (`pandas.core.groupby.GroupBy.first`), deprecated or not, each class's bases, and what its
    functions and methods return (`pandas.read_csv` -> its overloads, scan/signatures.py)."""
    members: frozenset[str] = frozenset()
    bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    returns: dict[str, list[dict]] = field(default_factory=dict)
    # member -> the names its def accepts by name ("**": it takes **kwargs); absent when unknown
    parameters: dict[str, frozenset[str]] = field(default_factory=dict)
    # other import paths of public names: `sklearn.metrics._classification.d2_log_loss_score` ->
    # `sklearn.metrics.d2_log_loss_score`, `pandas.core.frame.DataFrame` -> `pandas.DataFrame`
    aliases: dict[str, str] = field(default_factory=dict)

    def accepts(self, member: str, keyword: str) -> bool:
        """Whether `member` may take `keyword`: its def names it or takes **kwargs, or no def of
        it was read (a member assigned from elsewhere may take anything)."""
        names = self.parameters.get(member)
        return names is None or keyword in names or KWARGS in names

    def mro(self, cls: str, _seen: frozenset[str] = frozenset()) -> list[str]:
        """`cls` and its known ancestors in Python's method resolution order (C3); nearest first,
        left to right, when the bases as read cannot be linearised."""
        bases = [b for b in self.bases.get(cls, ()) if b not in _seen and b != cls]
        seqs = [self.mro(b, _seen | {cls}) for b in bases] + [bases]
        order = [cls]
        while any(seqs):
            seqs = [s for s in seqs if s]
            head = next((s[0] for s in seqs if not any(s[0] in t[1:] for t in seqs)), None)
            if head is None:                     # inconsistent as read: keep every class, once
                return list(dict.fromkeys(order + [c for s in seqs for c in s]))
            order.append(head)
            seqs = [s[1:] if s[0] == head else s for s in seqs]
        return order


@lru_cache(maxsize=4096)      # the same few version strings, compared once per finding
def version_key(v: str | None) -> tuple:
    """Orders version strings; unparsable ones sort first, None last."""
    if v is None:
        return (2,)
    try:
        return (1, Version(v))
    except InvalidVersion:
        return (0, v)


def feature_release(v: str | None) -> tuple[int, ...] | None:
    """The feature release a version belongs to (`1.5.2` -> (1, 5)); None when unparsable."""
    key = version_key(v)
    return key[1].release[:2] if key[0] == 1 else None


def announced_for(row: dict) -> str | None:
    """The version a deprecation starts in when that is later than the newest version scanned
    (`np.fix` "will be deprecated in NumPy 2.5", seen in 2.4.6), else None."""
    since, seen = row.get("since"), row.get("last_seen")
    if since and seen and version_key(since)[0] == 1 and version_key(seen)[0] == 1 \
            and version_key(since) > version_key(seen):
        return since
    return None


# Where a row's removal stands against the releases of its library the DB holds (the `removal`
# KnowledgeBase.deprecations adds to each row that has a removed_in):
REMOVAL_PLANNED = "planned"   # removed_in is after the newest release scanned: announced, not done
REMOVAL_DONE = "removed"      # the newest release scanned is at or past it
REMOVAL_SEEN = "gone"         # removed_in is the first scanned release found without the API (after
                              # last_seen, which still had it, or with no scanned release that had
                              # it: a release note's keyword): it went then or in a release before


def removal_state(removed_in: str | None, last_seen: str | None, versions: list[str], *,
                  seen: bool = False) -> str | None:
    """The `removal` of a row (see above), or None without a removed_in or scanned releases.
    `seen`: the scan found removed_in without the API (deprecations.removal_seen)."""
    if not removed_in or not versions:
        return None
    if version_key(removed_in) > _newest_key(tuple(versions)):
        return REMOVAL_PLANNED
    if removed_in in versions and (seen or (last_seen and version_key(last_seen) < version_key(removed_in))):
        return REMOVAL_SEEN
    return REMOVAL_DONE


# A call written out in a message: `isinstance(dtype, pd.SparseDtype)`, locals(); no nested calls.
_CALL_WRITTEN = re.compile(r"(?<![\w.])(?P<callee>[A-Za-z_][\w.]*)\((?P<args>[^()`\n]{0,80})\)")


def replacement_use(row: dict) -> str | None:
    """The library's own use of a replacement that is no drop-in, when its message writes one out as
    a call: pandas 2.1's ``is_sparse`` "Check `isinstance(dtype, pd.SparseDtype)` instead" ->
    'isinstance(dtype, pd.SparseDtype)', numpy's ``issctype`` "Use `issubclass(rep, np.generic)`"; the
    replacement's name alone (``builtins.isinstance``) leaves out what it is to be called with."""
    replacement, message = row.get("replacement"), row.get("message")
    if not replacement or not message or row.get("drop_in"):
        return None
    leaf, api = replacement.rpartition(".")[2], row["api"].split(".")
    for m in _CALL_WRITTEN.finditer(message):
        callee = m.group("callee").split(".")
        # "torch.cholesky(A) should be replaced with torch.linalg.cholesky(A)": the first call is the
        # deprecated API's own; "{}" is a hole the message's template left
        if callee[-1] == leaf and api[-len(callee):] != callee and "{" not in m.group("args"):
            return m.group(0)
    return None


def is_gone(row: dict) -> bool:
    """Whether the newest release scanned no longer has the row's API (its `removal` is done or seen)."""
    return row.get("removal") in (REMOVAL_DONE, REMOVAL_SEEN)


def removal_phrase(row: dict) -> str | None:
    """'to be removed in 2.0.0', 'removed in 2.0', 'gone by 3.1.1': how to say when the API goes;
    'removed in X' for a row that does not say where its removal stands."""
    removed_in = row.get("removed_in")
    if not removed_in:
        return None
    state = row.get("removal")
    if state == REMOVAL_PLANNED:
        return f"to be removed in {removed_in}"
    if state == REMOVAL_SEEN:
        return f"gone by {removed_in}"
    return f"removed in {removed_in}"


def is_pending(row: dict) -> bool:
    """Not deprecated yet in the newest version scanned, only announced: a PendingDeprecationWarning,
    or a `since` later than that version. Python hides such warnings by default; so does `check`."""
    return bool(row.get("pending")) or announced_for(row) is not None


def merge_usage(*sets: Iterable[str]) -> list[str]:
    """Union of usage sets; `other` only stands when nothing checkable is known."""
    merged = {u for s in sets for u in s if u in USAGES}
    if len(merged) > 1:
        merged.discard(USE_OTHER)
    return [u for u in USAGES if u in merged]


def usage_column(usage: Iterable[str]) -> str | None:
    return ",".join(merge_usage(usage)) or None


def usage_of(row: dict) -> list[str]:
    """A parameter row's usage set; rows stored before usage was recorded mean any use."""
    text = row.get("usage")
    return [u for u in text.split(",") if u] if text else [USE_ANY]


def values_of(row: dict) -> list[str]:
    text = row.get("param_values")
    return json.loads(text) if text else []


VALUE_TOKEN = "token"
# What a count before a token may look like: "15T", "-2H", "2.5min", "3 D"
_COUNT = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)?\s*")


def passed_value(row: dict, literal: str | None) -> str | None:
    """The deprecated value (canonical literal) a call's canonical `literal` passes to a parameter
    row: the literal itself, or for a "token" row the name after its count ("'15T'" -> "'T'")."""
    if literal is None:
        return None
    values = values_of(row)
    if literal in values:
        return literal
    if row.get("value_form") != VALUE_TOKEN or len(literal) < 2 or literal[0] not in "'\"":
        return None
    text = literal[1:-1]
    count = _COUNT.match(text)
    token = canonical_literal(repr(text[count.end():])) if count is not None and count.end() else None
    return token if token is not None and token in values else None


def new_values_of(row: dict) -> dict[str, str]:
    """A parameter row's deprecated values with their stated equivalents (old -> new literal)."""
    text = row.get("new_values")
    return json.loads(text) if text else {}


# Parameter rows: deprecations.timelines (JSON), the dates of single uses of the parameter where the
# evidence gives them apart from the row's, which are the earliest of any evidence:
#   {"any": TIMELINE, "values": {canonical literal: TIMELINE}}
# "any" is passing the parameter at all (usage `any`), "values" each deprecated value (usage `value`).
# A TIMELINE holds what is known of `since`, `removed_in` (as the evidence naming that use says,
# the earliest; for a value, also the first scanned release whose source no longer warns of it while
# it still warns of the parameter: scan/runner.py), `first_seen` and `last_seen` (the oldest and
# newest scanned releases whose source names that use); keys left out when unknown.
TIMELINE_ANY, TIMELINE_VALUES = "any", "values"


@lru_cache(maxsize=256)
def _newest_key(versions: tuple[str, ...]) -> tuple:
    return max(version_key(v) for v in versions)


def timelines_of(row: dict) -> dict:
    """A parameter row's timelines (TIMELINES above), as stored or as KnowledgeBase reads them
    (each with its `removal`); {} when none."""
    text = row.get("timelines")
    if not text:
        return {}
    return json.loads(text) if isinstance(text, str) else text


def with_removal_states(timelines: dict, last_seen: str | None, versions: list[str]) -> dict:
    """`timelines` with each timeline's `removal` against the scanned `versions` (removal_state); a
    timeline that was never seen in a scanned release's source takes the row's `last_seen`."""
    def stated(t: dict) -> dict:
        return {**t, "removal": removal_state(t.get("removed_in"), t.get("last_seen") or last_seen, versions)}
    out = dict(timelines)
    if TIMELINE_ANY in out:
        out[TIMELINE_ANY] = stated(out[TIMELINE_ANY])
    if TIMELINE_VALUES in out:
        out[TIMELINE_VALUES] = {v: stated(t) for v, t in out[TIMELINE_VALUES].items()}
    return out


def use_timeline(row: dict, kind: str | None, value: str | None = None) -> dict | None:
    """The timeline of the use a call makes of a parameter row: `value` for kind "value", passing the
    parameter at all for "keyword" and "argument"; None when no evidence dates that use on its own."""
    timelines = timelines_of(row)
    if kind == "value":
        return timelines.get(TIMELINE_VALUES, {}).get(value)
    return timelines.get(TIMELINE_ANY) if kind in ("keyword", "argument") else None


def dated(row: dict, kind: str | None = None, value: str | None = None) -> dict:
    """`row` with the `since`, `removed_in` and `removal` of the use a call makes of it (use_timeline),
    where the evidence dates that use; the row's own for the rest. A use first seen in a newer
    scanned release than the row takes none of the row's dates it lacks: they are older evidence's,
    about other uses (scikit-learn 1.9.1's `criterion='friedman_mse'` is no 1.1.3's 'mse', which was
    deprecated in 1.0 and removed in 1.2)."""
    timeline = use_timeline(row, kind, value)
    if not timeline:
        return row
    first, row_first = timeline.get("first_seen"), row.get("first_seen")
    later = bool(first and row_first) and version_key(first) > version_key(row_first)
    out = dict(row)
    if timeline.get("since") or later:
        out["since"] = timeline.get("since")
    if timeline.get("removed_in") or later:
        out["removed_in"], out["removal"] = timeline.get("removed_in"), timeline.get("removal")
        out["last_seen"] = timeline.get("last_seen") or row.get("last_seen")
    return out


def describe_timelines(row: dict) -> list[str]:
    """One line per dated use of a parameter row: "'mse': since 1.0, removed in 1.2"."""
    timelines = timelines_of(row)
    uses = ([("any use", timelines[TIMELINE_ANY])] if TIMELINE_ANY in timelines else []) + \
        sorted(timelines.get(TIMELINE_VALUES, {}).items())
    lines = []
    for use, t in uses:
        parts = [f"since {t['since']}"] if t.get("since") else []
        if t.get("removed_in"):
            parts.append(removal_phrase(t))
        if t.get("first_seen"):
            last = t.get("last_seen") or t["first_seen"]
            parts.append(f"seen in {t['first_seen']}" + (f" to {last}" if last != t["first_seen"] else ""))
        lines.append(f"{use}: {', '.join(parts) or 'undated'}")
    return lines


# Literals Python treats as false, canonical (canonical_literal): passing one of them does not meet
# a deprecation whose warning sits under `if param:`.
FALSE_LITERALS = frozenset({"False", "None", "0", "0.0", "''", "b''"})


def literal_value(source: str) -> object:
    """`ast.literal_eval(source)`, raising what it raises, but never warning: an invalid escape in
    a library's or a user's string (`"\\geq"` in numpy's .pyx docstrings, `"\\g<1>"` in a
    `re.sub`) is a SyntaxWarning on Python 3.12+ (a DeprecationWarning before), printed on the
    user's terminal mid-scan; under `-W error` it became a SyntaxError, and the literal no literal.
    The value is the same either way."""
    if "\\" not in source:
        return ast.literal_eval(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.literal_eval(source)


def canonical_literal(source: str) -> str | None:
    """A Python literal as one spelling (`"auto"` and `'auto'` -> `'auto'`); None when not a literal."""
    try:
        value = literal_value(source.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if value is None or isinstance(value, (str, bool, int, float, bytes)):
        return repr(value)
    return None


# How much one kind of evidence, alone, makes us believe a row. Several kinds
# combine as independent witnesses: 1 - prod(1 - w).
EVIDENCE_WEIGHT = {
    "warning": 0.8,
    "decorator": 0.85,
    "stub": 0.8,
    "getattr": 0.9,
    "submodule": 0.9,
    "docstring": 0.6,
    "changelog": 0.5,
}


def confidence(kinds: set[str]) -> float:
    miss = 1.0
    for kind in kinds:
        miss *= 1.0 - EVIDENCE_WEIGHT.get(kind, 0.3)
    return round(1.0 - miss, 4)
