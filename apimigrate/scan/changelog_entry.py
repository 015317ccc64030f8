"""One changelog entry (a bullet, or a titled subsection) -> RawFindings.

An entry is prose with code spans.  Per sentence that says deprecated / removed /
expired / renamed, the deprecated APIs are the subject: the spans before the
verb ("``np.trapz`` and ``np.in1d`` are deprecated"), or the first list of
spans after a leading verb ("Deprecated :meth:`Index.format`").  Spans next to
"parameter" / "keyword" / "argument" are parameters of the other APIs the
sentence names.  The replacement is the list of spans after "use",
"in favour of", "renamed to", ... within the sentence or the ones that follow
it.  Sentences that deprecate a *use* of an API ("Passing a class to X is
deprecated", "Complex dtypes in X") name no deprecated API and are skipped.
"""
from __future__ import annotations

import builtins
import re
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .changelog_parse import Span
from apimigrate.db.records import USE_ANY

from .messages import clean_name, fitted_attribute, replacement_from_text, says_drop_in, versions_from_text
from .parameter_usage import usage_from_text
from .model import CHANGELOG, RawFinding

__all__ = ["Entry", "entry_findings", "expand_braces"]

MAX_MESSAGE = 1000
MAX_SNIPPET = 300


@dataclass
class Entry:
    text: str
    spans: list[Span]
    line: int
    kind: str                       # "deprecation" | "removal" | "mixed" (the verb decides)
    path: str
    version: str | None
    lib: str                        # the library's import name ("sklearn")
    currentmodule: str | None = None
    section_module: str | None = None   # ":mod:`sklearn.metrics`" heading / fragment folder
    own_heads: frozenset[str] = field(default_factory=frozenset)


# ---- names ---------------------------------------------------------------------------

_ROLE_KINDS = {"func": "function", "function": "function", "meth": "method", "method": "method",
               "class": "class", "exc": "class", "mod": "module", "attr": "attribute",
               "data": "attribute", "const": "attribute", "obj": None, "any": None}
_IDENT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_BRACE = re.compile(r"\{([^{}]*)\}")
_C_API = re.compile(r"^(?:_?Py[A-Z_]|NPY_|npy_|Npy[A-Z])")
_FILE_EXT = frozenset("h c cc cpp hpp py pyi pyx pxd pxi rst md txt toml cfg ini json yaml yml so dll in".split())
_NOT_API = frozenset(dir(builtins)) | {"self", "cls", "args", "kwargs", "nan", "NaN", "inf", "NA", "NaT"}

# Well-known top-level names that are never this library's own API.  Standard-library
# names that libraries commonly reuse for submodules ("random", "signal", "io") are left out.
_STDLIB_REUSED = frozenset("random signal io array types string typing testing test select code numbers "
                           "math cmath operator copy platform token tokenize parser ast inspect queue "
                           "errno resource calendar datetime json html csv stat dis glob config".split())
_THIRD_PARTY = frozenset("numpy np scipy pandas pd sklearn matplotlib mpl plt torch tensorflow tf jax jnp "
                         "pyarrow pa dask xarray xr numba cupy polars pl seaborn sns statsmodels networkx nx "
                         "sympy IPython pytest setuptools distutils Cython pandas_gbq openpyxl xlrd sqlalchemy "
                         "fsspec h5py PIL skimage transformers array_api_strict".split())
_FOREIGN = (frozenset(sys.stdlib_module_names) - _STDLIB_REUSED) | _THIRD_PARTY
ALIASES = {"np": "numpy", "pd": "pandas", "plt": "matplotlib", "mpl": "matplotlib", "tf": "tensorflow",
           "jnp": "jax", "pa": "pyarrow", "xr": "xarray", "pl": "polars", "sns": "seaborn", "nx": "networkx"}


def expand_braces(text: str) -> list[str]:
    """``scipy.integrate.{simps,trapz}`` -> both names; ``tri{,u,l}`` -> tri, triu, tril."""
    m = _BRACE.search(text)
    if not m:
        return [text]
    head, tail = text[: m.start()], text[m.end():]
    out: list[str] = []
    for alt in m.group(1).split(","):
        out.extend(expand_braces(head + alt.strip() + tail))
    return out


def _span_names(span: Span) -> list[str]:
    """The API names a span writes, or [] when it is a value, C symbol, command, ..."""
    body = span.body.strip()
    if span.role is not None:
        m = re.search(r"<([^<>]+)>\s*$", body)   # :func:`title <target>`
        if m:
            body = m.group(1)
    names = []
    for name in expand_braces(body):
        name = name.strip().lstrip("~!").lstrip(".").removesuffix("()")
        if _is_api_name(name):
            names.append(name)
    return names


def _is_api_name(name: str) -> bool:
    if not _IDENT.fullmatch(name) or _C_API.match(name):
        return False
    parts = name.split(".")
    if len(parts) == 1:
        # bare words: builtins / values, and ALL-CAPS (frequency codes, C macros) are not APIs
        return name not in _NOT_API and len(name) > 1 and not name.replace("_", "").isupper()
    return parts[-1] not in _FILE_EXT


def _replacement_names(span: Span) -> list[str]:
    """Replacement names keep calls' heads ("np.sort(a, axis=0)" -> "np.sort")."""
    out = []
    for part in expand_braces(span.body.strip()):
        raw = f":{span.role}:`{part}`" if span.role else part
        name = clean_name(raw)
        if name and not _C_API.match(name):
            out.append(name)
    return out


def _guess_kind(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    if last.isupper():
        return "attribute"      # constants: ``np.ALLOW_THREADS``, ``np.BUFSIZE``
    return "class" if last[:1].isupper() and any(c.islower() for c in last) else "function"


# ---- text around spans ------------------------------------------------------------------

# Spans with these roles are references to issues, people, docs: not APIs, not words.
def _is_api_role(role: str | None) -> bool:
    return role is None or role in _ROLE_KINDS


_VERB = re.compile(r"\b(?:deprecat(?:ed|es|e|ing)\b|deprecations?\s+(?:of|for)\b|removed\b|removal\s+of\b"
                   r"|expired\b|renamed\b|renames?\b)", re.I)
_REMOVAL_SENTENCE = re.compile(r"\b(?:has|have|had)\s+(?:now\s+)?been\s+(?:removed|dropped)\b"
                               r"|\b(?:was|were|is|are)\s+(?:now\s+)?(?:removed|expired)\b"
                               r"|^\W*(?:removed|removal\s+of)\b|\bdeprecations?\s+(?:of|for)\b.*\bexpired\b", re.I | re.S)
_TRIGGER = re.compile(r"\b(?:in\s+favou?r\s+of|renamed(?:\s+(?:to|into|as))?|replaced\s+(?:by|with)"
                      r"|superseded\s+by|use(?!\s+(?:of|with|in|for|on|cases?)\b))\b", re.I)
_SKIP_WORDS = frozenset("the a an new equivalent corresponding either instead function method class attribute "
                        "property module parameter argument keyword parameters arguments keywords its their directly now public "
                        "explicitly "
                        "functions methods classes attributes".split())
_KIND_WORDS = {"function": "function", "functions": "function", "method": "method", "methods": "method",
               "class": "class", "classes": "class", "module": "module", "modules": "module",
               "submodule": "module", "attribute": "attribute", "attributes": "attribute",
               "property": "attribute", "properties": "attribute"}
_PARAM_WORDS = frozenset("parameter parameters argument arguments keyword keywords kwarg kwargs".split())
_VALUE_WORDS = frozenset("option options value values string strings key keys setting settings".split())
_MEMBER_OF = re.compile(r"\s+(method|attribute|property)\s+(?:of|on|in)\s+(?:the\s+)?$", re.I)
# Words before the subject that make the sentence about a *use* of the API, not the API.
_USAGE = re.compile(r"\b(?:pass(?:ing)?|allow(?:ing)?|includ(?:ing)?|not|strings?|automatic|downcast\w*"
                    r"|behaviou?r|implementation|values?|inputs?|dtypes?|support(?:ing)?|calling|setting"
                    r"|returning|default|non-\w+|mixing|arrays?|scalars?|casting|accepting|options?"
                    r"|codes?|type-codes?|using|use|form|combination|indexing|keys?)\b", re.I)
_EXAMPLES = re.compile(r"like|such", re.I)      # "X like `a`": examples of X; a use of X is a use of them
_PREPOSITION = re.compile(r"\b(?:of|in|for|to|with|from|on|by)\b", re.I)
_SUBJECT_LIST_OK = re.compile(r"\b(?:alias(?:es)?|like|such\s+as|as\s+well\s+as|namely|following)\b", re.I)
_AFTER_VERB_USAGE = re.compile(r"^\s*(?:for|with|when|on|if|in\s+(?:combination|conjunction))\b", re.I)
_LIST_SEP = re.compile(r"^[\s,]*(?:(?:and|or|as\s+well\s+as)\s+)?(?:the\s+)?$", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_WORD = re.compile(r"[A-Za-z][\w-]*")
_FROM = re.compile(r"^\s*from\b", re.I)
_RENAME_TO = re.compile(r"\s+(?:to|into|as)\s+", re.I)
# "The misspelled keyword ``delimitor`` of ``X`` has been changed to ``delimiter``, using it will emit a
# deprecation warning": a rename, but only where the sentence itself speaks of deprecation (a changed
# default is not one).
_CHANGED_TO = re.compile(r"\b(?:has|have)\s+been\s+changed\s+to\b|\b(?:was|were)\s+changed\s+to\b", re.I)
_DEPRECATION_WORD = re.compile(r"\bdeprecat", re.I)
_FUTURE = re.compile(r"\b(?:will|to|would|may)\s+(?:eventually\s+)?be\s+$", re.I)


@dataclass
class _Run:
    """Consecutive spans forming one list ("``a``, ``b`` and ``c``")."""

    spans: list[Span]
    start: int
    end: int
    names: list[str]                  # valid API names (brace-expanded)
    kind: str | None = None           # from a role or an adjacent "function" / "class" word
    param: bool = False               # next to "parameter" / "keyword" / "argument"
    value: bool = False               # next to "option" / "string" / "value": not an API

    @property
    def bare(self) -> bool:
        return all(s.role is None for s in self.spans) and all("." not in n for n in self.names)


def _mask(text: str, spans: list[Span]) -> str:
    """The text with span contents blanked, so words and dots inside code never count."""
    chars = list(text)
    for s in spans:
        for i in range(s.start, min(s.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = "x" if i in (s.start, s.end - 1) else "_"
    return "".join(chars)


def _words_before(masked: str, pos: int, n: int = 2) -> list[str]:
    return [w.lower() for w in _WORD.findall(masked[max(0, pos - 60):pos])][-n:]


def _words_after(masked: str, pos: int, n: int = 2) -> list[str]:
    return [w.lower() for w in _WORD.findall(masked[pos:pos + 60])][:n]


def _runs(entry: Entry, masked: str) -> list[_Run]:
    spans = [s for s in entry.spans if _is_api_role(s.role)]
    groups: list[list[Span]] = []
    for s in spans:
        if groups and _LIST_SEP.match(masked[groups[-1][-1].end:s.start]) and "\n\n" not in masked[groups[-1][-1].end:s.start]:
            groups[-1].append(s)
        else:
            groups.append([s])
    runs = []
    for g in groups:
        names = _qualify_bare([n for s in g for n in _span_names(s)], entry.own_heads)
        run = _Run(g, g[0].start, g[-1].end, names)
        roles = {_ROLE_KINDS.get(s.role) for s in g if s.role}
        before, after = _words_before(masked, run.start), _words_after(masked, run.end)
        near = [w for w in (before[-1:] + after[:1]) if w]
        after2 = " ".join(after)
        # "The `numpy.unravel_index` keyword argument ``dims``": a dotted name is the host, not a parameter
        run.param = (any(w in _PARAM_WORDS for w in near) or after2 == "keyword argument") \
            and not (names and all("." in n for n in names))
        if run.param and not run.names:
            # parameters may be one letter or upper case ("The `W` argument"), unlike APIs
            run.names = [b for s in g if _IDENT.fullmatch(b := s.body.strip()) and "." not in b]
        run.value = any(w in _VALUE_WORDS for w in near)
        keywords = _keyword_values(g)
        if keywords:
            # ``errors="ignore"``, `cv="prefit"`: a value of that keyword, so the keyword is the
            # parameter ("the ``errors="ignore"`` option" names the option's keyword, not a value API)
            run.names, run.param, run.value = keywords, True, False
        word_kind = next((_KIND_WORDS[w] for w in after[:1] + before[-1:] if w in _KIND_WORDS), None)
        if not word_kind and len(after) == 2 and after[0] in ("internal", "private", "public"):
            word_kind = _KIND_WORDS.get(after[1])
        run.kind = next(iter(roles)) if len(roles) == 1 and None not in roles else word_kind
        runs.append(run)
    return _join_members(runs, masked)


def _qualify_bare(names: list[str], own_heads: frozenset[str]) -> list[str]:
    """"``np.NINF``, ``np.PINF``, ..., ``add_newdoc``, ``np.add_docstring``" (numpy 2.0's list of
    removed main namespace members): a bare name among names the list all writes under one owner
    of the library is under that owner too."""
    dotted = [n for n in names if "." in n]
    owners = {n.rsplit(".", 1)[0] for n in dotted}      # one owner for all: `np`, or `np.ma`, not both
    if len(dotted) < 2 or len(dotted) <= len(names) - len(dotted) or len(owners) != 1:
        return names
    owner = owners.pop()
    if owner.split(".", 1)[0] not in own_heads:
        return names
    return [n if "." in n else f"{owner}.{n}" for n in names]


_KEYWORD_VALUE = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)\s*\S.*$", re.S)     # not a comparison (``a == b``)


def _keyword_values(spans: list[Span]) -> list[str]:
    """The keywords of a run whose every span is a literal ``name=value`` (else [])."""
    names = []
    for s in spans:
        m = _KEYWORD_VALUE.match(s.body) if s.role is None else None
        if m is None:
            return []
        names.append(m.group(1))
    return names


def _join_members(runs: list[_Run], masked: str) -> list[_Run]:
    """"The ``ndincr`` method of ``ndindex``" -> one run naming ``ndindex.ndincr``."""
    out: list[_Run] = []
    i = 0
    while i < len(runs):
        r = runs[i]
        if i + 1 < len(runs) and len(r.names) == 1 and r.bare:
            m = _MEMBER_OF.fullmatch(masked[r.end:runs[i + 1].start])
            if m and runs[i + 1].names:
                nxt = runs[i + 1]
                kind = "method" if m.group(1).lower() == "method" else "attribute"
                out.append(_Run(r.spans + nxt.spans, r.start, nxt.end,
                                [f"{host}.{r.names[0]}" for host in nxt.names], kind))
                i += 2
                continue
        out.append(r)
        i += 1
    return out


def _sentences(masked: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(masked):
        out.append((start, m.end()))
        start = m.end()
    if masked[start:].strip():
        out.append((start, len(masked)))
    return out


# ---- one sentence ------------------------------------------------------------------------

@dataclass
class _Plan:
    start: int
    end: int
    verb_start: int
    verb_end: int
    removal: bool
    targets: list[tuple[str, str, bool, Span]]     # (name, kind, kind_is_explicit, span)
    params: list[tuple[str, Span]]
    hosts: list[tuple[str, str, bool, Span]]
    replacement_run: _Run | None = None


# A sentence about C or Cython, not Python: "Removed the ``check_return`` and ``inner_loop_selector``
# members of the ``PyUFuncObject`` struct", "Cython ``long_t`` and ``ulong_t`` removed", "... ``op_axes``
# being NULL ... is deprecated", "removed from ``npy_3kcompat.h``" (numpy 1.8-2.0).
_C_LEVEL = re.compile(r"\bC[- ]API\b|\bCython\b|\bstruct\b|\bNULL\b|\w\.h\b|\bmacros?\b")


def _main_verb(masked: str, start: int, end: int) -> re.Match[str] | None:
    """The first deprecation verb outside parentheses: in "functions allowed using ``y=`` as a
    (deprecated) alias for ``out=``" (numpy 1.25) it qualifies a noun, and the sentence has none."""
    for m in _VERB.finditer(masked, start, end):
        before = masked[start:m.start()]
        if before.count("(") <= before.count(")"):
            return m
    return None


def _plan_sentence(entry: Entry, masked: str, runs: list[_Run], start: int, end: int,
                   known_params: set[str], entry_params: frozenset[str]) -> _Plan | None:
    """`entry_params`: the names the entry calls a parameter anywhere ("the ``dims`` keyword")."""
    verb = _main_verb(masked, start, end)
    changed = None
    if not verb:
        changed = _CHANGED_TO.search(masked, start, end)
        if not changed or not _DEPRECATION_WORD.search(masked, start, end):
            return None
        verb = changed
    clause_end = entry.text.find(";", verb.end(), end)
    if _C_LEVEL.search(entry.text, start, clause_end if clause_end >= 0 else end):
        return None        # "...; its C-API equivalent ``PyArray_Foo`` is deprecated too" leaves ``np.foo``
    sentence = masked[start:end]
    inside = [r for r in runs if start <= r.start < end]
    repl = _replacement_run(masked, inside, start, end)
    if changed is not None and repl is None:
        repl = next((r for r in inside if r.start >= changed.end()), None)
    inside = [r for r in inside if r is not repl]
    before = [r for r in inside if r.start < verb.start()]
    verb_first = not before
    if verb_first:
        after = [r for r in inside if r.start >= verb.end()]
        subject = after[:1]
        prefix = masked[verb.end():subject[0].start] if subject else ""
        if repl is None and len(after) > 1 and verb.group(0).lower().startswith("rename") \
                and _RENAME_TO.fullmatch(masked[after[0].end:after[1].start]):
            repl = after[1]         # "Rename `base_estimator` to `estimator` in ..."
            inside = [r for r in inside if r is not repl]
    else:
        subject = before
        prefix = masked[start:subject[0].start]
    if not subject or _is_usage(prefix, verb_first):
        return None
    if not verb_first and _not_the_subject(masked, subject, verb):
        return None
    if verb_first and (_located_in(prefix) or _qualified_after(masked, subject[0], end)):
        return None
    if verb_first and _FROM.match(prefix):
        return None     # "These were removed from ``np.sctypeDict``": the container, not the subject
    removal = entry.kind == "removal" or (entry.kind == "mixed" and bool(_REMOVAL_SENTENCE.search(sentence)))
    plan = _Plan(start, end, verb.start(), verb.end(), removal, [], [], [], repl)
    # Parameters named after the replacement belong to the replacement's advice, not the subject.
    params = [r for r in inside if r.param and not r.value and (repl is None or r.start < repl.start)]
    if not params:
        # "Deprecates `n_iter` in favor of `max_iter` in :class:`X`": a bare name next to APIs
        others = [r for r in inside if r not in subject and r.names and not r.bare]
        # Not "`kdtree` and `balltree` values are deprecated ... for the `algorithm` parameter of X".
        if others and all(r.bare and r.names and not r.value for r in subject) and not any(r.kind for r in subject):
            params = subject
        elif all(r.bare and r.names and not r.kind and set(r.names) <= entry_params - known_params
                 for r in subject):
            # "Previously, only the ``dims`` keyword argument was accepted ... ``dims`` remains
            # supported, but is now deprecated" (numpy 1.16): the entry said what `dims` is
            params = subject
    if params:
        plan.params = [(n, r.spans[0]) for r in params for n in r.names if "." not in n]
        host_runs = [r for r in inside if r not in params and not r.value and not r.bare]
        if repl is not None and any(r.start < repl.start for r in host_runs):
            # "... replaced by `max_iter` to be consistent with :class:`Y`": Y is not a host
            host_runs = [r for r in host_runs if r.start < repl.start]
        if not host_runs:
            # "The parameter `x` is deprecated" after a sentence that named the class
            host_runs = [r for r in runs if r.start < start and not r.bare and not r.value and not r.param
                         and r.kind in (None, "class", "function", "method")]
        plan.hosts = [t for r in host_runs for t in _targets(r)]
        if not plan.hosts:
            # "The `numpy.histogram` ``normed`` argument is deprecated": one run, host then keyword
            plan.hosts = [(n, _guess_kind(n), False, r.spans[0]) for r in params for n in r.names if "." in n]
        if not plan.hosts and entry.section_module and "." in entry.section_module:
            # under the heading "``np.unravel_index`` now accepts ``shape`` keyword argument";
            # a heading naming a module gives no host (a module takes no arguments: resolve drops it)
            plan.hosts = [(entry.section_module, "function", False, params[0].spans[0])]
        return plan if plan.params and plan.hosts else None
    renamed_in = repl is not None and verb_first and verb.group(0).lower().startswith("rename")
    member = _member_for(masked, subject, inside, verb.end(), renamed_in)
    if member:
        plan.targets = member
        return plan
    if not verb_first and _AFTER_VERB_USAGE.match(masked[verb.end():end]):
        return None
    plan.targets = [t for r in subject if not r.value for t in _targets(r, _in_file(masked, r, runs))
                    if t[0] not in known_params]
    return plan if plan.targets else None


def _targets(run: _Run, module: str | None = None) -> list[tuple[str, str, bool, Span]]:
    return [(f"{module}.{n}" if module and "." not in n else n, run.kind or _guess_kind(n), run.kind is not None,
             run.spans[0]) for n in run.names]


_IN = re.compile(r"^\s+in\s+$", re.I)
_SOURCE_FILE = re.compile(r"((?:\w+/)+\w+)\.pyi?")


def _in_file(masked: str, run: _Run, runs: list[_Run]) -> str | None:
    """"Class ``SafeEval`` in ``numpy/lib/utils.py`` has been removed" (numpy 1.18): the module the
    file is, where the name lives."""
    nxt = next((r for r in runs if r.start >= run.end), None)
    if nxt is None or len(nxt.spans) != 1 or not _IN.match(masked[run.end:nxt.start]):
        return None
    m = _SOURCE_FILE.fullmatch(nxt.spans[0].body.strip())
    return m.group(1).replace("/", ".") if m else None


def _member_for(masked: str, subject: list[_Run], inside: list[_Run], verb_end: int,
                renamed_in: bool = False) -> list | None:
    """"The `affinity` attribute is deprecated for :class:`X`" -> X.affinity; "An abstract property
    ``nickname`` has been removed from ``ABCPolyBase``" (numpy 1.20) -> ABCPolyBase.nickname."""
    if len(subject) != 1 or not subject[0].bare or subject[0].kind not in ("attribute", "method"):
        return None
    # "... is deprecated for :class:`X`", "Rename the attribute `a_` to `b_` in :class:`X`"
    if not renamed_in and not re.match(r"^\s*(?:for|from)\b", masked[verb_end:], re.I):
        return None
    hosts = [t for r in inside if r.start >= verb_end and (not r.bare or all(n[:1].isupper() for n in r.names))
             for t in _targets(r)]
    sub = subject[0]
    return [(f"{h[0]}.{n}", sub.kind, True, sub.spans[0]) for h in hosts for n in sub.names] or None


# Between the names and the verb, words that make the names something other than what is deprecated:
# a qualification of their use ("The ``positive`` operator (``+``) applied to non-numerical arrays is
# deprecated"), a warning of theirs ("``numpy.issubdtype`` had a FutureWarning since NumPy 1.14 which has
# expired now": certain inputs now behave differently).
_QUALIFIED = re.compile(r"\b(?:applied\s+to|when|given|with|accepting|receiving|returning|\w*warning\b(?!\s+and\b))\b",
                        re.I)
# The names are where the deprecations are, not what they deprecate: "``numpy.fft`` deprecations for
# n-D transforms with None values" (numpy 2.0), "Four ``ndarray.ctypes`` methods have been deprecated".
_AREA_NOUN = re.compile(r"^deprecations?\b", re.I)
_MEMBERS_OF = re.compile(r"^\W*(?:methods|attributes|properties|functions|members|keywords|parameters|arguments)\b",
                         re.I)


def _not_the_subject(masked: str, subject: list[_Run], verb: re.Match[str]) -> bool:
    between = masked[subject[-1].end:verb.start()]
    if _AREA_NOUN.match(verb.group(0)) or _QUALIFIED.search(between):
        return True
    one_name = len(subject) == 1 and len(subject[0].names) == 1
    return one_name and bool(_MEMBERS_OF.match(between))


_TRAILING_PREPOSITION = re.compile(r"\b(?:in|of|for|on|to)\s*$", re.I)
# What follows the name in "The deprecation of ``expand_dims`` out-of-range axes in 1.13.0 has expired".
_USE_NOUN = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:axes|axis|indexes|indices|inputs?|dtypes?"
                       r"|arrays?|behaviou?r|signatures?)\b", re.I)


def _located_in(prefix: str) -> bool:
    """"Removed ambiguity when broadcasting in ``np.solve``" (numpy 1.x): what went is a noun of the
    sentence, and the name is where."""
    words = [w for w in _WORD.findall(prefix) if w.lower() not in _SKIP_WORDS]
    return bool(words) and bool(_TRAILING_PREPOSITION.search(prefix))


def _qualified_after(masked: str, subject: _Run, end: int) -> bool:
    return bool(_USE_NOUN.match(masked[subject.end:end]))


def _is_usage(prefix: str, verb_first: bool) -> bool:
    listed = _SUBJECT_LIST_OK.search(prefix)
    if listed and not (_EXAMPLES.match(listed.group(0)) and _USAGE.search(prefix[:listed.start()])):
        return False      # "aliases like ``np.float``", not "Non-integer axis indexes to ufuncs like ``add.reduce``"
    if _USAGE.search(prefix):
        return True
    # "Complex dtypes in ``X``", "The single-argument form of ``np.ma.minimum``"
    return not verb_first and bool(_PREPOSITION.search(prefix))


def _replacement_run(masked: str, runs: list[_Run], start: int, end: int) -> _Run | None:
    for m in _TRIGGER.finditer(masked, start, end):
        nxt = next((r for r in runs if r.start >= m.end()), None)
        if nxt is None:
            continue
        between = _WORD.findall(masked[m.end():nxt.start])
        if len(between) <= 4 and all(w.lower() in _SKIP_WORDS for w in between):
            return nxt
    return None


# ---- the entry -------------------------------------------------------------------------------

def entry_findings(entry: Entry) -> list[RawFinding]:
    """Every deprecated / removed API the entry names, one finding each."""
    masked = _mask(entry.text, entry.spans)
    runs = _runs(entry, masked)
    plans: list[_Plan] = []
    known_params: set[str] = set()
    entry_params = frozenset(n for r in runs if r.param and not r.value for n in r.names)
    for start, end in _sentences(masked):
        plan = _plan_sentence(entry, masked, runs, start, end, known_params, entry_params)
        if plan and plans and plans[-1].hosts and plan.targets \
                and all("." not in name and not explicit for name, _k, explicit, _s in plan.targets):
            # "`force_all_finite` will be removed in 1.8" after a sentence about a parameter:
            # a bare name is another parameter of the same APIs, not a function of its own
            plan.params = [(name, span) for name, _k, _e, span in plan.targets]
            plan.hosts, plan.targets = plans[-1].hosts, []
        if plan and plans and plan.targets:
            plan.targets = _restated_members(plan.targets, plans)
        if plan and plan.targets:
            plan.targets = _fitted_attributes_of_the_class(plan.targets, runs)
        if plan:
            plans.append(plan)
            known_params.update(n for n, _ in plan.params)
    message = _norm(entry.text)[:MAX_MESSAGE]
    out: dict[tuple[str, str | None], RawFinding] = {}
    explicit: set[tuple[str, str | None]] = set()
    for i, plan in enumerate(plans):
        # What follows a plan speaks about it up to the next plan, within its paragraph
        # (numpy's notes go on with advice about other names in later paragraphs).
        para_end = masked.find("\n\n", plan.verb_end)
        window_end = min(plans[i + 1].start if i + 1 < len(plans) else len(entry.text),
                         len(entry.text) if para_end < 0 else para_end)
        replacements = _replacements(entry, masked, runs, plan, window_end)
        for f, is_explicit in _plan_findings(entry, plan, replacements, message, window_end):
            key = (_dedupe_name(f.target, entry), f.parameter)
            old = out.get(key)
            if old is None:
                out[key] = f
                if is_explicit:
                    explicit.add(key)
                continue
            if is_explicit and key not in explicit:   # a later "``x`` function" says what x is
                old.kind = f.kind
                explicit.add(key)
            old.replacement = old.replacement or f.replacement
            old.new_parameter = old.new_parameter or f.new_parameter
            old.removed_in = old.removed_in or f.removed_in
            if f.since and (old.since is None or old.since == entry.version):
                old.since = f.since     # "was deprecated in v1.15" beats the file's version
    members = {f.target.rsplit(".", 1)[-1] for f in out.values() if "." in f.target and f.kind in ("attribute", "method")}
    # The title "``nickname`` attribute removed from ABCPolyBase" before the body says whose it is
    return [f for f in out.values() if not (f.parameter is None and "." not in f.target and f.target in members
                                            and f.kind in ("attribute", "method"))]


def _restated_members(targets: list[tuple[str, str, bool, Span]],
                      earlier: list[_Plan]) -> list[tuple[str, str, bool, Span]]:
    """"Rename the attribute `a_` to `b_` in X, Y. `a_` is deprecated in 1.2": the bare `a_`
    restates the members X.a_ and Y.a_ an earlier sentence named, not a function of the module."""
    members: dict[str, list[tuple[str, str, bool, Span]]] = {}
    for plan in earlier:
        for t in plan.targets:
            if "." in t[0]:
                members.setdefault(t[0].rsplit(".", 1)[-1], []).append(t)
    if not all("." not in name and not explicit and name in members for name, _k, explicit, _s in targets):
        return targets
    return [(m[0], m[1], m[2], span) for name, _k, _e, span in targets for m in members[name]]


def _fitted_attributes_of_the_class(targets: list[tuple[str, str, bool, Span]],
                                    runs: list[_Run]) -> list[tuple[str, str, bool, Span]]:
    """"Rename variable names in :class:`decomposition.KernelPCA` to improve readability.
    `lambdas_` and `alphas_` are renamed to `eigenvalues_` and `eigenvectors_`" (scikit-learn
    1.0): bare names spelled as fitted attributes, in an entry that names one class, are that
    class's attributes, not functions of the section's module."""
    if not all("." not in name and not explicit and fitted_attribute(name) for name, _k, explicit, _s in targets):
        return targets
    classes = {n for r in runs if r.kind == "class" and any(s.role for s in r.spans) for n in r.names}
    if len(classes) != 1:
        return targets
    (cls,) = classes
    return [(f"{cls}.{name}", "attribute", True, span) for name, _k, _e, span in targets]


def _replacements(entry: Entry, masked: str, runs: list[_Run], plan: _Plan, window_end: int) -> list[str]:
    run = plan.replacement_run
    if run is None:
        later = [r for r in runs if plan.end <= r.start < window_end]
        run = _replacement_run(masked, later, plan.end, window_end)
    if run is not None:
        return [n for s in run.spans for n in _replacement_names(s)]
    if _TRIGGER.search(masked, plan.start, window_end):
        return []   # "in favour of alternatives in `scipy.interpolate`": no name given
    found = replacement_from_text(entry.text[plan.start:window_end])
    return [found] if found else []


def _pairs(olds: list[str], news: list[str], respectively: bool = False) -> list[str | None]:
    """Replacement per deprecated name: pairwise when the lists line up (M->ME, lsim2->lsim;
    "`store_cv_values` and `cv_values_` ... in favor of `store_cv_results` and `cv_results_`") or
    the text says so ("`lambdas_` and `alphas_` are renamed to `eigenvalues_` and
    `eigenvectors_`, respectively")."""
    if not news:
        return [None] * len(olds)
    if len(olds) == len(news) > 1 and (respectively or all(_related(o, n) for o, n in zip(olds, news))
                                       or _line_up(olds, news)):
        return list(news)
    return [news[0]] * len(olds)


_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def _line_up(olds: list[str], news: list[str]) -> bool:
    """Whether each new name is, of all the new names, the one most like the old name in its place."""
    def likeness(a: str, b: str) -> float:
        return SequenceMatcher(None, a.rsplit(".", 1)[-1].lower(), b.rsplit(".", 1)[-1].lower()).ratio()
    for i, old in enumerate(olds):
        scores = [likeness(old, new) for new in news]
        if scores[i] == 0 or any(s >= scores[i] for j, s in enumerate(scores) if j != i):
            return False
    return True


def _related(old: str, new: str) -> bool:
    a, b = old.rsplit(".", 1)[-1].lower(), new.rsplit(".", 1)[-1].lower()
    return a.startswith(b) or b.startswith(a)


# A deprecation to come, not one made: "is pending deprecation", "will be deprecated", "to be
# deprecated"; unless the text also says something is deprecated now.
_ANNOUNCED = re.compile(r"\bpending\s+deprecation\b|\b(?:will|is\s+going\s+to|to)\s+be\s+deprecated\b", re.I)
_DEPRECATED_NOW = re.compile(r"\b(?:is|are|was|were|been|now)\s+deprecated\b", re.I)


def _announces(text: str) -> bool:
    return bool(_ANNOUNCED.search(text)) and not _DEPRECATED_NOW.search(text)


def _plan_findings(entry: Entry, plan: _Plan, replacements: list[str], message: str,
                   window_end: int) -> list[tuple[RawFinding, bool]]:
    window = entry.text[plan.start:window_end]
    since_txt, removed_txt = versions_from_text(window)
    # numpy 2.4.0's "``np.fix`` is pending deprecation ... will be deprecated in a future release":
    # not deprecated in this release, so its notes' version is no `since`
    announced = not plan.removal and since_txt is None and _announces(window)
    if plan.removal:
        since, removed_in = since_txt, removed_txt or entry.version
    else:
        since, removed_in = (None if announced else since_txt or entry.version), removed_txt
    snippet = _norm(entry.text[plan.start:plan.end])[:MAX_SNIPPET]
    respectively = bool(_RESPECTIVELY.search(window))
    # "renamed to", "alias of": the replacement is the same callable under a new name
    drop_in = says_drop_in(entry.text[plan.start:window_end])
    common = dict(evidence_kind=CHANGELOG, path=entry.path, message=message, since=since,
                  removed_in=removed_in, version=entry.version, removed=plan.removal, text=snippet,
                  announced=announced)
    out: list[tuple[RawFinding, bool]] = []
    if plan.params:
        params = [p for p, _ in plan.params]
        pairs = _pairs(params, replacements, respectively)
        paired = len(set(pairs)) > 1
        for host, _kind, _, _span in plan.hosts:
            for (param, span), new in zip(plan.params, pairs):
                dotted = bool(new and "." in new)
                new_parameter = None if dotted or new == param else new
                usage, values = ([USE_ANY], []) if new_parameter else usage_from_text(window, param)
                out.append((RawFinding(kind="parameter", target=host, module=_module_for(host, entry),
                                       line=span.line, parameter=param, new_parameter=new_parameter,
                                       usage=usage, values=values,
                                       replacement=new if dotted else None, paired=paired, **common), True))
        return out
    names = [t[0] for t in plan.targets]
    for (name, kind, is_explicit, span), new in zip(plan.targets, _pairs(names, replacements, respectively)):
        if _foreign(name, entry):
            continue
        out.append((RawFinding(kind=kind, target=name, module=_module_for(name, entry), line=span.line,
                               replacement=new if new != name else None, drop_in=drop_in and bool(new),
                               **common), is_explicit))
    return out


def _foreign(name: str, entry: Entry) -> bool:
    head = name.split(".", 1)[0]
    return head in _FOREIGN and head not in entry.own_heads


def _module_for(name: str, entry: Entry) -> str | None:
    """Context a relative name is read against: Sphinx's currentmodule, else the section's module."""
    if "." in name:
        return entry.currentmodule or entry.lib or None
    return entry.section_module or entry.currentmodule or entry.lib or None


def _dedupe_name(name: str, entry: Entry) -> str:
    head, _, rest = name.partition(".")
    return rest if rest and head in entry.own_heads else name


def _norm(text: str) -> str:
    return " ".join(text.split())
