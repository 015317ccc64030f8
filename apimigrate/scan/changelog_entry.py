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
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from .changelog_parse import Span
from apimigrate.db.records import USE_ANY

from .messages import (announces_deprecation, clean_name, fitted_attribute, replacement_from_text, says_drop_in,
                       versions_from_text)
from .parameter_usage import usage_from_text
from .model import CHANGELOG, DISTRIBUTION_MARK, RawFinding

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
    # the one API a heading above names ("``Axes3D``", "PolygonSelector"): whose members and
    # parameters the entries below it name when they write them bare
    section_owner: str | None = None
    own_heads: frozenset[str] = field(default_factory=frozenset)
    shown: str | None = None        # the text as written, where `text` was rewritten (changelog_lists)


# ---- names ---------------------------------------------------------------------------

_ROLE_KINDS = {"func": "function", "function": "function", "meth": "method", "method": "method",
               "class": "class", "exc": "class", "mod": "module", "attr": "attribute",
               "data": "attribute", "const": "attribute", "obj": None, "any": None,
               # SQLAlchemy's :paramref:`_sa.create_engine.implicit_returning`: a parameter of what precedes it
               "paramref": None}
_IDENT = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_BRACE = re.compile(r"\{([^{}]*)\}")
_MEMBER_SPELLING = re.compile(r"\.\w+(?:\(\))?|__\w+__(?:\(\))?")     # `.values()`, ``__array_prepare__``
_C_API = re.compile(r"^(?:_?Py[A-Z_]|NPY_|npy_|Npy[A-Z])")
_FILE_EXT = frozenset("h c cc cpp hpp py pyi pyx pxd pxi rst md txt toml cfg ini json yaml yml so dll in "
                      # data files ("``lena.png``", "``aapl.csv``", "``AAPL.dat.gz``": matplotlib 1.5, 2.1)
                      "png jpg jpeg gif svg pdf csv dat gz bz2 xz zip npy npz pkl".split())
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
# a reference Sphinx resolves by the end of a name: ":meth:`.GroupBy.bfill`" (not ``.rolling().corr()``, a chain)
_SUFFIX_REFERENCE = re.compile(r"\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?")
_EXCEPTION_CLASS = re.compile(r"[A-Z][A-Za-z0-9]*(?:Error|Warning|Exception)")
_BUILTIN_CATEGORIES = re.compile("(?:" + "|".join(n for n in dir(builtins) if n.endswith(("Warning", "Error", "Exception")))
                                 + ")s")
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
    m = re.fullmatch(r"(?P<title>[^<>]*?)\s*<(?P<target>[^<>]+)>", body)   # :func:`title <target>`
    if m and (span.role is not None or _IDENT.fullmatch(m.group("title"))):
        body = _titled_target(m.group("title"), m.group("target").strip())
    names = []
    for name in expand_braces(body):
        name = name.strip().lstrip("~!").lstrip(".").removesuffix("()")
        if _is_api_name(name):
            names.append(name)
    return names


def _titled_target(title: str, target: str) -> str:
    """The API a titled reference names: its target, or a member of it that the title spells out.
    numpy 1.22's "``finfo.machar <numpy.finfo>`` attribute" links the documented class for its
    attribute: `numpy.finfo.machar`. (A literal written so was meant as a reference.)"""
    head, _, rest = title.partition(".")
    if rest and _IDENT.fullmatch(title) and head == target.rpartition(".")[2]:
        return f"{target}.{rest}"
    return target


def _is_api_name(name: str) -> bool:
    if not _IDENT.fullmatch(name) or _C_API.match(name):
        return False
    parts = name.split(".")
    if len(parts) == 1:
        # bare words: builtins / values, and ALL-CAPS (frequency codes, C macros) are not APIs
        # ("scikit-learn will show ``FutureWarnings`` for deprecations", 0.22: a builtin category's
        # plural; not every builtin's: ``filters`` may be a module)
        return name not in _NOT_API and not _BUILTIN_CATEGORIES.fullmatch(name) and len(name) > 1 \
            and not name.replace("_", "").isupper()
    # "``G.node`` and ``G.edge`` are removed" (networkx 2.0): a one-letter head is a variable holding an
    # instance (G, s, a), never a module or a class; which class, the text does not say
    return parts[-1] not in _FILE_EXT and len(parts[0]) > 1


def _replacement_names(span: Span) -> list[str]:
    """Replacement names keep calls' heads ("np.sort(a, axis=0)" -> "np.sort")."""
    out = []
    for part in expand_braces(span.body.strip()):
        if span.role and span.role != "emphasis" and _SUFFIX_REFERENCE.fullmatch(part):
            part = part[1:]     # Sphinx's :meth:`.GroupBy.bfill`: the object whose name ends so (pandas' notes)
        raw = f":{span.role}:`{part}`" if span.role and span.role != "emphasis" else part
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
    return role is None or role in _ROLE_KINDS or role == "emphasis"


_VERB = re.compile(r"\b(?:deprecat(?:ed|es|e|ing)\b|deprecations?\s+(?:of|for)\b|removed\b|removal\s+of\b"
                   r"|expired\b|renamed\b|renames?\b)", re.I)
_REMOVAL_SENTENCE = re.compile(r"\b(?:has|have|had)\s+(?:now\s+)?been\s+(?:removed|dropped)\b"
                               r"|\b(?:was|were|is|are)\s+(?:now\s+)?(?:removed|expired)\b"
                               r"|^\W*(?:removed|removal\s+of)\b|\bdeprecations?\s+(?:of|for)\b.*\bexpired\b", re.I | re.S)
_TRIGGER = re.compile(r"\b(?:in\s+favou?r\s+of|renamed(?:\s+(?:to|into|as))?|replaced\s+(?:by|with)"
                      r"|superseded\s+by|instead,?\s+import|use(?!\s+(?:of|with|in|for|on|cases?)\b))\b", re.I)
_SKIP_WORDS = frozenset("the a an new equivalent corresponding either instead function method class attribute "
                        "property module parameter argument keyword parameters arguments keywords its their directly now public "
                        "explicitly "
                        "functions methods classes attributes".split())
_KIND_WORDS = {"function": "function", "functions": "function", "method": "method", "methods": "method",
               "class": "class", "classes": "class", "module": "module", "modules": "module",
               "submodule": "module", "package": "module", "attribute": "attribute", "attributes": "attribute",
               "property": "attribute", "properties": "attribute",
               # "Deprecated `ignore_extra` and `allow_extra` Config fields" (pydantic 0.19)
               "field": "attribute", "fields": "attribute"}
_PARAM_WORDS = frozenset("parameter parameters argument arguments keyword keywords kwarg kwargs".split())
# the method a parameter is passed to, named before the noun: "the ``solver`` fit option"
_METHOD_ADJUNCTS = frozenset("fit predict transform score constructor init call".split())
# ("The ``animation.html_args`` rcParam has been removed", "The Qt4-based backends, ``qt4agg`` and
# ``qt4cairo``, have been removed": matplotlib 3.5 settings and backend names, no APIs)
_VALUE_WORDS = frozenset("option options value values string strings key keys setting settings rcparam rcparams "
                         "backend backends".split())
_MEMBER_OF = re.compile(r"\s+(?:global\s+)?(methods?|attributes?|propert(?:y|ies)|class(?:es)?|functions?|globals?"
                        r"|variables?|constants?|members?)\s+(?:of|on|in)\s+(?:the\s+)?$", re.I)
# "The attributes ``repeat`` of `.TimedAnimation`" (matplotlib 3.7): the kind word comes first
_OF = re.compile(r"\s+(?:of|on)\s+(?:the\s+)?$", re.I)
# "Attribute ``oob_score_`` in :class:`GradientBoostingRegressor` and :class:`...Classifier` is deprecated"
# (scikit-learn 0.14): "in" a class, as "of" it
_IN_CLASS = re.compile(r"\s+in\s+(?:the\s+)?$", re.I)
# Words before the subject that make the sentence about a *use* of the API, not the API.
_USAGE = re.compile(r"\b(?:pass(?:ing)?|allow(?:ing)?|includ(?:ing)?|not|strings?|automatic|downcast\w*"
                    r"|behaviou?r|behaving|implementation|values?|inputs?|dtypes?|support(?:ing)?|calling|setting"
                    r"|returning|default|non-\w+|mixing|arrays?|scalars?|casting|accepting|options?"
                    r"|codes?|type-codes?|using|use|form|combination|indexing|keys?)\b", re.I)
_EXAMPLES = re.compile(r"like|such", re.I)      # "X like `a`": examples of X; a use of X is a use of them
_PREPOSITION = re.compile(r"\b(?:of|in|for|to|with|from|on|by|between)\b", re.I)
# An action opens the sentence or follows its verb: a use of what it names is deprecated. Not a noun in
# -ing ("String aliases", "Padding", scipy 1.9's "docstring related functions"), nor importing or
# accessing a name, which is what deprecating it is about (pandas 0.20 "importing ``concat`` from
# ``pandas.tools.merge`` has been deprecated").
_GERUND_OPENING = re.compile(r"^\W*(?!(?:\w*string|\w*thing|warning|padding|spring|ring|king|ceiling|during|mapping"
                             r"|binning|offering|importing|accessing)s?\b)[a-z]{3,}ing\b", re.I)
# "methods in ``X``": members of X, not X
_MEMBERS_IN = re.compile(r"\b(?:methods|attributes|properties|members)\s+(?:in|of|on)\b", re.I)
_SUBJECT_LIST_OK = re.compile(r"\b(?:alias(?:es)?|like|such\s+as|as\s+well\s+as|namely|following)\b", re.I)
# (not "``LocationEvent.lastevent`` is deprecated with no replacement", matplotlib 3.8)
_AFTER_VERB_USAGE = re.compile(r"^\s*(?:for|with(?!\s+no\s+(?:\w+\s+)?replacements?\b)|when|on|if"
                               r"|in\s+(?:combination|conjunction))\b", re.I)
# (reST's "`.Locator`\\s and `.Formatter`\\s": an escaped plural ending)
_LIST_SEP = re.compile(r"^(?:\\s)?[\s,]*(?:(?:and|or|&|as\s+well\s+as)\s+)?(?:the\s+)?$", re.I)
# (not the full stop of "e.g.": pandas 1.0 "Support for multi-dimensional indexing (e.g.
# ``index[:, None]``) on a :class:`Index` is deprecated" is one sentence, about a use)
_SENTENCE_END = re.compile(r"(?<!\be\.g)[.!?](?=\s|$)|\n\s*\n", re.I)
_WORD = re.compile(r"[A-Za-z][\w-]*")
_FROM = re.compile(r"^\s*from\b", re.I)
_RENAME_TO = re.compile(r"\s+(?:to|into|as)\s+", re.I)
# "The misspelled keyword ``delimitor`` of ``X`` has been changed to ``delimiter``, using it will emit a
# deprecation warning": a rename, but only where the sentence itself speaks of deprecation (a changed
# default is not one).
_CHANGED_TO = re.compile(r"\b(?:has|have)\s+been\s+changed\s+to\b|\b(?:was|were)\s+changed\s+to\b", re.I)
_DEPRECATION_WORD = re.compile(r"\bdeprecat", re.I)
# A pronoun is the passive verb's subject: what it stands for was named in an earlier sentence.
_PRONOUN_SUBJECT = re.compile(r"(?:^|[.;:,]\s+|\s)(?:they|these|those|it|this)\s+(?:(?:has|have|had|is|are|was"
                              r"|were|will|would|now|also|already|all|both)\s+)*(?:been|be|is|are|was|were)\s+$", re.I)
# "X has deprecated support for ...": the verb is active, X its actor.
_ACTIVE = re.compile(r"^\s*(?:has|have|had)\s+(?:now\s+|also\s+)?$", re.I)
_SINGULAR = re.compile(r"\s*(?:is|was|has)\b", re.I)
_CLAUSE_AND = re.compile(r"\s*,\s*and\s+(?:the\s+)?", re.I)
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
    hosts: list[str] = field(default_factory=list)   # whose parameters the names are, where the span says

    @property
    def bare(self) -> bool:
        return all(s.role in (None, "emphasis") for s in self.spans) and all("." not in n for n in self.names)


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


# "(e.g. ``min``, ``max``)", "(for example ``np.datetime64``)": examples of what the sentence says,
# never its subject, host or replacement (pandas 0.20 "accepting timestamp dtypes without a frequency
# (e.g. ``np.datetime64``) for the ``dtype`` parameter")
_EXAMPLES_IN_PARENS = re.compile(r"\(\s*(?:e\.g\.|for\s+example|for\s+instance|such\s+as)[^()]*\)", re.I)


def _runs(entry: Entry, masked: str) -> list[_Run]:
    examples = [m.span() for m in _EXAMPLES_IN_PARENS.finditer(masked)]
    spans = [s for s in entry.spans if _is_api_role(s.role) and not any(a <= s.start < b for a, b in examples)]
    groups: list[list[Span]] = []
    for s in spans:
        between = masked[groups[-1][-1].end:s.start] if groups else ""
        # (names side by side with nothing between are no list: "``DataFrame.to_csv`` ``cols`` keyword
        # argument", pandas 0.16, is to_csv's keyword)
        if groups and _LIST_SEP.match(between) and "\n\n" not in between and between.strip() \
                and not (len(groups[-1]) == 1 and _CLAUSE_AND.fullmatch(between) and _SINGULAR.match(masked, s.end)):
            groups[-1].append(s)
        else:
            groups.append([s])
    runs = []
    for g in groups:
        names = _qualify_bare(_relative_members(g), entry.own_heads)
        run = _Run(g, g[0].start, g[-1].end, names)
        roles = {_ROLE_KINDS.get(s.role) for s in g if s.role}
        before, after = _words_before(masked, run.start), _words_after(masked, run.end)
        if after[:1] in (["subclasses"], ["subclass"]) and before[-1:] in (["all"], ["every"], ["any"]):
            # "parameter ``dtype`` of method :meth:`~Index.copy` for all :class:`Index` subclasses" (pandas
            # 1.2): where the method named is deprecated, not a second subject (the `Index` constructor)
            continue
        near = [w for w in (before[-1:] + after[:1]) if w]
        after2 = " ".join(after)
        # "The ``server_side_cursors`` engine-wide parameter" (SQLAlchemy 1.4), "The ``solver`` fit
        # option in Ridge regression" (scikit-learn 0.13: a keyword of `fit`, no function `sklearn.solver`)
        near += [after[1]] if len(after) == 2 and ("-" in after[0] or after[0] in _METHOD_ADJUNCTS) \
            and (after[1] in _PARAM_WORDS or after[1] in ("option", "options")) else []
        # "The `numpy.unravel_index` keyword argument ``dims``": a dotted name is the host, not a parameter
        run.param = (any(w in _PARAM_WORDS for w in near) or after2 == "keyword argument") \
            and not (names and all("." in n for n in names))
        if names and all("." in n for n in names) and _host_dot_parameter(g, masked, before, after, near):
            # "Remove deprecated parameter ``Table.useexisting``", ":paramref:`_schema.MetaData.bind`"
            # (SQLAlchemy): Sphinx's host.parameter
            run.hosts = sorted({n.rsplit(".", 1)[0] for n in names})
            run.names = [n.rsplit(".", 1)[1] for n in names]
            run.param = True
        if g and all(s.role == "paramref" for s in g):
            run.param = True        # ":paramref:`.case_sensitive` flag on :func:`_sa.create_engine`"
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
        if not word_kind and len(after) == 2 and (after[0] in ("internal", "private", "public")
                                                  or after[1] in ("field", "fields", "attribute", "attributes")):
            # "``x`` private method", "`ignore_extra` and `allow_extra` Config fields" (pydantic 0.19)
            word_kind = _KIND_WORDS.get(after[1])
        run.kind = next(iter(roles)) if len(roles) == 1 and None not in roles else word_kind
        if run.kind is None and run.names and all(s.role is None and _MEMBER_SPELLING.fullmatch(s.body.strip())
                                                  for s in g):
            # "rename `.config` to `.__config__` on a model", "remove deprecated `.values()`" (pydantic
            # 0.7), "``__array_prepare__`` is removed" (numpy 2.0): a member of some object, no
            # function of the module
            run.kind = "method" if all(s.body.strip().endswith(")") for s in g) else "attribute"
        if not run.names and word_kind in ("function", "class") and all(s.role is None for s in g):
            # "The deprecated functions ``C2K``, ``K2C`` ... have been removed" (scipy 1.0): names in
            # capitals, which alone would be no API (frequency codes, C macros), that the text calls functions
            run.names = _capitals(g)
        runs.append(run)
    return _join_members(runs, masked)


def _capitals(spans: list[Span]) -> list[str]:
    """The bare names of spans the text calls functions or classes, capitals too (``C2K``); never a
    C symbol (``PyDataMem_SetEventHook``, "The hook function ... has been deprecated", numpy 1.23)."""
    return [b for s in spans if _IDENT.fullmatch(b := s.body.strip()) and "." not in b and len(b) > 1
            and not _C_API.match(b)]


def _host_dot_parameter(group: list[Span], masked: str, before: list[str], after: list[str],
                        near: list[str]) -> bool:
    """Whether dotted names are each a host's parameter: a :paramref:, or a name the word
    "parameter" introduces ("deprecated parameter ``mapper.order_by``") or follows when no other
    name comes after it ("The ``Inspector.get_table_names.order_by`` parameter has been removed";
    not "The `numpy.unravel_index` keyword argument ``dims``", where the dotted name is the host)."""
    if all(s.role == "paramref" for s in group):
        return True
    if any(s.role is not None for s in group):
        return False
    if before[-1:] and before[-1] in _PARAM_WORDS:
        return True
    if not any(w in _PARAM_WORDS for w in near):
        return False
    rest = masked[group[-1].end:group[-1].end + 60]
    m = re.match(r"\W*(?:[\w-]+\s+)?(?:parameters?|arguments?|keywords?|kwargs?)(?:\s+arguments?)?\s*", rest, re.I)
    return m is not None and rest[m.end():m.end() + 1] not in ("x", "`")


def _relative_members(group: list[Span]) -> list[str]:
    """"``Axes3D.w_xaxis``, ``.w_yaxis``, and ``.w_zaxis``" (matplotlib 3.2): a name written with a
    leading dot after a dotted one is a member of the same owner."""
    out: list[str] = []
    owner = None
    for s in group:
        for n in _span_names(s):
            if s.role is None and s.body.strip().startswith(".") and "." not in n and owner:
                n = f"{owner}.{n}"
            elif "." in n:
                owner = n.rsplit(".", 1)[0]
            out.append(n)
    return out


def _qualify_bare(names: list[str], own_heads: frozenset[str]) -> list[str]:
    """"``np.NINF``, ``np.PINF``, ..., ``add_newdoc``, ``np.add_docstring``" (numpy 2.0's list of
    removed main namespace members): a bare name among names the list all writes under one owner
    of the library is under that owner too."""
    dotted = [n for n in names if "." in n]
    owners = {n.rsplit(".", 1)[0] for n in dotted}      # one owner for all: `np`, or `np.ma`, not both
    # "``scipy.stats.nanmean``, ``nanmedian`` and ``nanstd`` functions" (scipy 0.15), "`scipy.linalg.fblas`,
    # `cblas`, `flapack`, `clapack`" (0.12): the first name written out, its siblings after it bare
    first_only = len(dotted) == 1 and len(names) > 2 and "." in names[0]   # (not "`np.histogram` ``normed``")
    if not first_only and (len(dotted) < 2 or len(dotted) <= len(names) - len(dotted)) or len(owners) != 1:
        return names
    owner = owners.pop()
    head = owner.split(".", 1)[0]
    if head not in own_heads and (head in ALIASES or head in ALIASES.values() or head in sys.stdlib_module_names):
        return names        # another library's names (`np.`, `pickle.` in scikit-learn's notes)
    # (an owner the notes write relative to the package: scikit-learn 0.16's "`multiclass.fit_ovr`,
    # `multiclass.predict_ovr`, `predict_proba_ovr`, `multiclass.fit_ovo`, ... are deprecated")
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
    """"The ``ndincr`` method of ``ndindex``" -> one run naming ``ndindex.ndincr``; "The
    ``labelFontProps``, ``labelFontSizeList``, and ``labelTextsList`` attributes of `.ContourLabeler`",
    "The attributes ``repeat`` of `.TimedAnimation`" (matplotlib 3.7) -> each of them on that class."""
    out: list[_Run] = []
    i = 0
    while i < len(runs):
        r = runs[i]
        listed = _module_listing(r, runs[i + 1], masked) or _from_module(r, runs[i + 1], masked) \
            or _module_nouns(r, runs[i + 1], masked) if i + 1 < len(runs) else None
        if listed:
            out.append(listed)
            i += 2
            continue
        if i + 1 < len(runs) and r.bare and not r.param and not r.value and runs[i + 1].names:
            between = masked[r.end:runs[i + 1].start]
            m = _MEMBER_OF.fullmatch(between)
            kind = None
            if m:
                word = m.group(1).lower()
                kind = "method" if word.startswith("method") else "class" if word.startswith("class") \
                    else "function" if word.startswith("function") else "attribute"
            elif r.kind in ("attribute", "method") and (
                    _OF.fullmatch(between) or _IN_CLASS.fullmatch(between) and _names_classes(runs[i + 1])):
                kind = r.kind
            elif r.kind in ("function", "class") and _IN_CLASS.fullmatch(between) and _names_modules(runs[i + 1]):
                # "The functions ``hyp2f0``, ``hyp1f2`` and ``hyp3f0`` in ``scipy.special`` have been
                # deprecated" (scipy 1.2): the module's functions, not the module
                kind = r.kind
            # ("The ``MODIFIER_KEYS``, ``SUPER`` ... global variables of the ``...backend_qt5agg`` ... modules",
            # matplotlib 3.3: names in capitals, which alone would be no API, are constants of those)
            names = r.names or ([b for sp in r.spans if _IDENT.fullmatch(b := sp.body.strip()) and "." not in b]
                                if m else [])
            if kind in ("method", "attribute") and all(sp.role == "mod" for sp in runs[i + 1].spans):
                # "The ``set_factor`` method of :mod:`mpl_toolkits.axisartist` locators" (matplotlib 3.3):
                # a module has no methods; whose they are, the text does not name
                kind = None
            if kind and names:
                nxt = runs[i + 1]
                out.append(_Run(r.spans + nxt.spans, r.start, nxt.end,
                                [f"{host}.{name}" for host in nxt.names for name in names], kind))
                i += 2
                continue
        out.append(r)
        i += 1
    return out


_FROM_MODULE = re.compile(r"(?:\b(?P<noun>[a-z]+)\s+)?(?P<prep>from|in)\s+(?:the\s+)?$", re.I)
_OPEN_PAREN = re.compile(r"\s*\(\s*")
_CLOSE_PAREN = re.compile(r"\s*\)")
_FROM_ONLY = re.compile(r"\s+from\s+(?:the\s+)?", re.I)
_MODULE_NOUN = re.compile(r"\s+(functions|classes|methods|submodules|modules|aliases|attributes|properties)\s+",
                          re.I)
_IN_OWNER = re.compile(r"\bin\s+(?:the\s+)?$", re.I)
_ALIAS_NOUNS = frozenset({"alias", "aliases", "names", "objects", "constants", "helpers", "utilities"})


def _one_module(run: _Run) -> str | None:
    """The module a run names, when it names one module and nothing else."""
    return run.names[0] if len(run.names) == 1 and _names_modules(run) else None


def _plain_names(run: _Run) -> bool:
    """Bare names that are neither parameters nor values: what a module may hold."""
    return run.bare and not run.param and not run.value and bool(run.names)


def _members_run(module: str, names: _Run, spans: list[Span], start: int, end: int, kind: str | None) -> _Run:
    return _Run(spans, start, end, [f"{module}.{n}" for n in names.names], kind)


def _module_listing(module_run: _Run, listed: _Run, masked: str) -> _Run | None:
    """"Functions from ``scipy.interpolate`` (``spleval``, ``spline``, ...) and functions from
    ``scipy.misc`` (``bytescale``, ...) have been removed" (scipy 1.3): the names in parentheses
    after a module that "from" or "in" introduces are the module's, one run from the noun before
    "from" (else from "from") to the closing parenthesis, so that the sentence's lists join and the
    noun is no container phrase. (Alone, the bare names took the module the section heading named.)"""
    module = _one_module(module_run)
    if module is None or not _plain_names(listed) or not _OPEN_PAREN.fullmatch(masked, module_run.end, listed.start):
        return None
    close = _CLOSE_PAREN.match(masked, listed.end)
    intro = _FROM_MODULE.search(masked, max(0, module_run.start - 40), module_run.start)
    if close is None or intro is None:
        return None
    noun = (intro.group("noun") or "").lower()
    kind = listed.kind or _KIND_WORDS.get(noun)
    start = intro.start("noun") if noun in _KIND_WORDS or noun in _ALIAS_NOUNS else intro.start("prep")
    return _members_run(module, listed, module_run.spans + listed.spans, start, close.end(),
                        kind if kind in ("function", "class", "attribute", "method") else None)


def _from_module(names: _Run, module_run: _Run, masked: str) -> _Run | None:
    """"The modules `helpmod`, `ppimport` and `pexec` from `scipy.misc` are deprecated" (scipy 0.8):
    the module's, not the module."""
    module = _one_module(module_run)
    if module is None or not _FROM_ONLY.fullmatch(masked, names.end, module_run.start):
        return None
    if names.names and not names.param and not names.value \
            and all(n.rpartition(".")[0] == module for n in names.names):
        # pandas 1.2: "Date parser functions :func:`~pandas.io.date_converters.parse_date_time`, ... from
        # ``pandas.io.date_converters`` are deprecated": names already the module's
        return _Run(names.spans + module_run.spans, names.start, module_run.end, names.names, names.kind)
    if not _plain_names(names):
        return None
    return _members_run(module, names, names.spans + module_run.spans, names.start, module_run.end, names.kind)


def _module_nouns(module_run: _Run, names: _Run, masked: str) -> _Run | None:
    """"The `scipy.signal` functions ``bspline``, ``quadratic`` & ``cubic`` are deprecated" (scipy
    1.11): the module's functions."""
    m = _MODULE_NOUN.fullmatch(masked, module_run.end, names.start)
    if m is None or not _plain_names(names):
        return None
    kind = _KIND_WORDS.get(m.group(1).lower())
    module = _one_module(module_run) if kind != "attribute" else None
    if module is None and kind in ("method", "attribute") and len(module_run.names) == 1 \
            and _names_classes(module_run):
        # "In `scipy.spatial.Rotation` methods ``from_dcm``, ``as_dcm`` were renamed to ..." (scipy 1.4)
        module = module_run.names[0]
    if module is None:
        return None
    # ("In `X` methods ...": the owner's place, consumed with it, is no qualification of the subject)
    where = _IN_OWNER.search(masked, max(0, module_run.start - 12), module_run.start)
    return _members_run(module, names, module_run.spans + names.spans, where.start() if where else module_run.start,
                        names.end, kind if kind in ("function", "class", "method", "module", "attribute") else None)


def _names_classes(run: _Run) -> bool:
    """Whether each name of the run is a class: marked up as one, or spelled as one (`.TimedAnimation`)."""
    return bool(run.spans) and all(sp.role == "class" or (sp.role is None and sp.body.strip().lstrip(".~")
                                                          .rsplit(".", 1)[-1][:1].isupper()) for sp in run.spans)


def _names_modules(run: _Run) -> bool:
    """Whether each name of the run is a module: marked up as one, or a dotted lowercase path."""
    return bool(run.spans) and all(
        sp.role == "mod" or (sp.role is None and "." in (body := sp.body.strip().lstrip(".~"))
                             and body.replace(".", "").replace("_", "").isalnum() and body.islower())
        for sp in run.spans)


def _sentences(masked: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(masked):
        out.append((start, m.end()))
        start = m.end()
    if masked[start:].strip():
        out.append((start, len(masked)))
    return out


# "Removed ``X`` and removed ``tol`` & ``max_intervals`` kwargs from ``Y``" (scipy 1.10): a sentence
# that opens with its verb and says it again after "and" is two clauses, each with its subject
_LEADING_VERB = re.compile(r"\W*(?:removed|deprecated|renamed)\b", re.I)
_AND_VERB = re.compile(r"\s+and\s+(?:also\s+)?(?=(?:removed|deprecated|renamed)\b)", re.I)


def _clauses(masked: str) -> list[tuple[int, int]]:
    out = []
    for start, end in _sentences(masked):
        if _LEADING_VERB.match(masked, start, end):
            for m in _AND_VERB.finditer(masked, start, end):
                out.append((start, m.start()))
                start = m.end()
        reason = _REASON.search(masked, start, end)
        if reason is not None:
            out.append((start, reason.start()))
            start = reason.end()
        out.append((start, end))
    return out


# "``max_rows`` and ``max_cols`` parameters removed from :class:`HTMLFormatter` since truncation is
# handled by :class:`DataFrameFormatter`" (pandas 0.24): a clause of its own, whose names are no hosts
_REASON = re.compile(r",?\s+(?:since|because)\s+(?=[a-z]+\s+(?:is|are|was|were|has|have|will)\b)", re.I)


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
    own_hosts: dict[str, list[str]] = field(default_factory=dict)   # parameter -> the hosts its span names
    groups: list[int] = field(default_factory=list)     # where each list of the subject starts


# A sentence about C or Cython, not Python: "Removed the ``check_return`` and ``inner_loop_selector``
# members of the ``PyUFuncObject`` struct", "Cython ``long_t`` and ``ulong_t`` removed", "... ``op_axes``
# being NULL ... is deprecated", "removed from ``npy_3kcompat.h``" (numpy 1.8-2.0).
_C_LEVEL = re.compile(r"\bC[- ]API\b|\bCython\b|\bstruct\b|\bNULL\b|\w\.h\b|\bmacros?\b")


# Right before the verb: the deprecation is taken back or denied ("Reverted deprecation of", "is no
# longer deprecated", "are not deprecated").
_UNDONE = re.compile(r"\b(?:revert(?:ed|s|ing)?|undo(?:ne|es)?|undid|withdr[ae]wn?|withdraws?|cancel(?:l?ed|s)?"
                     r"|no\s+longer|not|never)\s+(?:(?:be|been|being|the|a)\s+)?$", re.I)


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
    if _UNDONE.search(masked[start:verb.start()]):
        return None         # "Reverted deprecation of ``num2epoch`` and ``epoch2num``" (matplotlib 3.3.1)
    if _PRONOUN_SUBJECT.search(masked[start:verb.start()]):
        return None         # "They had been deprecated since Scipy 0.12.0, the functionality should be
        #                     accessed as `scipy.linalg.blas`" (scipy 0.16): whose removal, said before
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
    listed_after = _following_list(masked, start, end, verb, inside, before)
    if listed_after is not None:
        # "The following functions in `scipy.constants` are deprecated: ``C2K``, ``K2C``, ..." (scipy
        # 0.18): what is deprecated is the list after the colon, read as a verb-first sentence's subject
        inside = sorted([r for r in inside if r not in before and r.start != listed_after.start] + [listed_after],
                        key=lambda r: r.start)      # (the names after it: "... (equivalent to ``anderson``)")
        before = []
    verb_first = not before
    if verb_first:
        after = [r for r in inside if r.start >= verb.end()]
        subject = named = after[:1]
        prefix = masked[verb.end():subject[0].start] if subject else ""
        # "The following deprecated functions have been removed from `scipy.stats`: ``betai``, ..."
        # (scipy 1.0): the module's names after the colon; not "Support for seven data type string
        # aliases has been removed from ``np.dtype``: ``int0``, ..." (numpy 2.0), a use of them
        listed = _listed_after_colon(masked, after) \
            if _FROM_END.search(prefix) and not _USAGE.search(masked, start, after[0].start) else None
        if listed is not None:
            subject = named = [listed]
            prefix = ""
            inside = [r for r in inside if r is not after[0] and r is not after[1]] + [listed]
        if repl is None and len(after) > 1 and verb.group(0).lower().startswith("rename") \
                and _RENAME_TO.fullmatch(masked[after[0].end:after[1].start]):
            repl = after[1]         # "Rename `base_estimator` to `estimator` in ..."
            inside = [r for r in inside if r is not repl]
    else:
        if _ACTIVE.search(masked[before[-1].end:verb.start()]):
            return None     # "`scipy.stats.chisquare` ... have deprecated support for masked array
            #                 input" (scipy 1.14): the names deprecate something; they are not deprecated
        subject = before
        prefix = masked[start:subject[0].start]
        named = _last_list(masked, before, singular=bool(_SINGULAR.match(masked[before[-1].end:verb.start()])))
        whole = next((r for r in before if len(named) == 1 and r.end <= named[0].start
                      and _AND_ALL_IN.fullmatch(masked, r.end, named[0].start)), None)
        if whole is not None:
            # "`scipy.misc` module and all the methods in ``misc`` are deprecated in v1.10" (scipy
            # 1.10): the module, members and all; not a container phrase before what is deprecated
            named = [whole]
        dropped = [r for r in before if r.end <= named[0].start and r not in named]
        if dropped and _USAGE.search(masked[dropped[-1].end:named[0].start]):
            return None     # "..., and such support in ``.StrCategoryConverter`` is removed"
    if not subject or _is_usage(prefix, verb_first):
        return None
    if not verb_first and (_CONTAINER_PREFIX.search(masked[start:named[0].start]) or _FOLLOWING.match(sentence)):
        return None     # "The following API elements previously exposed by the :mod:`.mathtext` module ... is
        #                 deprecated:" (matplotlib 3.4): what is deprecated is listed after it
    if not verb_first and _not_the_subject(masked, subject, verb) \
            and not _AND_ALL_IN_IT.fullmatch(masked, named[-1].end, verb.start()):
        return None
    if verb_first and (_located_in(prefix) or _qualified_after(masked, subject[0], end)):
        return None
    if verb_first and _FROM.match(prefix):
        return None     # "These were removed from ``np.sctypeDict``": the container, not the subject
    removal = entry.kind == "removal" or (entry.kind == "mixed" and bool(_REMOVAL_SENTENCE.search(sentence)))
    plan = _Plan(start, end, verb.start(), verb.end(), removal, [], [], [], repl)
    # Parameters named after the replacement belong to the replacement's advice, not the subject.
    # ... and those of the verb's clause: not "The *clear_temp* parameter of `.FileMovieWriter` has been
    # removed; files placed in a temporary directory (using ``frame_prefix=None``, the default) will be
    # cleared" (matplotlib 3.5)
    params = [r for r in inside if r.param and not r.value and (repl is None or r.start < repl.start)
              and (clause_end < 0 or r.start < clause_end)]
    if not params:
        # "Deprecates `n_iter` in favor of `max_iter` in :class:`X`": a bare name next to APIs
        others = [r for r in inside if r not in subject and r.names and not r.bare]
        # Not "`kdtree` and `balltree` values are deprecated ... for the `algorithm` parameter of X".
        restated = {n.rsplit(".", 1)[1] for r in others for n in r.names if "." in n}
        if others and all(r.bare and r.names and not r.value for r in subject) and not any(r.kind for r in subject) \
                and not all(n in restated for r in subject for n in r.names):
            params = subject
        elif all(r.bare and r.names and not r.kind and set(r.names) <= entry_params - known_params
                 for r in subject):
            # "Previously, only the ``dims`` keyword argument was accepted ... ``dims`` remains
            # supported, but is now deprecated" (numpy 1.16): the entry said what `dims` is
            params = subject
    if params:
        plan.params = [(n, r.spans[0]) for r in params for n in r.names if "." not in n]
        # the hosts the parameters' own spans name (":paramref:`_sa.create_engine.implicit_returning`")
        plan.own_hosts = {n: r.hosts for r in params if r.hosts for n in r.names}
        # (a bare name is a host where the text says so: "The *cleared* parameter of ``get_renderer``",
        # matplotlib 3.6)
        host_runs = [r for r in inside if r not in params and not r.value
                     and (not r.bare or any(_HOST_AFTER.fullmatch(masked[p.end:r.start]) for p in params))]
        dotted_hosts = {n.rsplit(".", 1)[1] for r in host_runs for n in r.names if "." in n}
        # ("The `sample_weight` parameter in `predict` for :meth:`cluster.KMeans.predict`", scikit-learn
        # 1.3: the bare name restates the dotted ones)
        host_runs = [r for r in host_runs if not (r.bare and r.names and set(r.names) <= dotted_hosts)]
        if repl is not None and any(r.start < repl.start for r in host_runs):
            # "... replaced by `max_iter` to be consistent with :class:`Y`": Y is not a host
            host_runs = [r for r in host_runs if r.start < repl.start]
        if not host_runs and not plan.own_hosts:
            # "The parameter `x` is deprecated" after a sentence that named the class
            # (in its paragraph: the one before spoke of other APIs)
            para_start = masked.rfind("\n\n", 0, start) + 1
            host_runs = [r for r in runs if para_start <= r.start < start and not r.bare and not r.value
                         and not r.param and r.kind in (None, "class", "function", "method")]
        own = [(h, "function", False, r.spans[0]) for r in params for h in r.hosts]
        plan.hosts = own + [t for r in host_runs for t in _targets(r) if t[0] not in {o[0] for o in own}]
        if not plan.hosts:
            # "The `numpy.histogram` ``normed`` argument is deprecated": one run, host then keyword
            plan.hosts = [(n, _guess_kind(n), False, r.spans[0]) for r in params for n in r.names if "." in n]
        if not plan.hosts and entry.section_module and "." in entry.section_module:
            # under the heading "``np.unravel_index`` now accepts ``shape`` keyword argument";
            # a heading naming a module gives no host (a module takes no arguments: resolve drops it)
            plan.hosts = [(entry.section_module, "function", False, params[0].spans[0])]
        if not plan.hosts and entry.section_owner:
            # "- The *lineprops* argument is removed" under the heading "PolygonSelector" (matplotlib 3.7)
            plan.hosts = [(entry.section_owner, "class", False, params[0].spans[0])]
        return plan if plan.params and plan.hosts else None
    renamed_in = repl is not None and verb_first and verb.group(0).lower().startswith("rename")
    member = _member_for(masked, subject, inside, verb.end(), renamed_in)
    if member:
        plan.targets = member
        return plan
    if not verb_first and _AFTER_VERB_USAGE.match(masked[verb.end():end]):
        return None
    if not verb_first:
        subject = named
    plan.groups = [r.start for r in subject]
    container = _container_after(masked, (verb.end() if not verb_first else subject[-1].end), inside)
    plan.targets = _owned([t for r in subject if not r.value
                           for t in _targets(r, _in_file(masked, r, runs) or container)
                           if t[0] not in known_params], inside, entry)
    return plan if plan.targets else None


_COLON = re.compile(r"\s*:\s*")
_TO_COLON = re.compile(r"[^:.;!?]*:\s*")
_KIND_NOUN = re.compile(r"\b(?:functions|classes|modules)\b", re.I)
# "The following ``io.sql`` functions have been deprecated: ``tquery``, ..." (pandas 0.14): the module's
_ITS_KIND_NOUN = re.compile(r"\s+(?:functions|classes)\b", re.I)
_IN_OR_FROM = re.compile(r"\b(?:in|from)\s+(?:the\s+)?$", re.I)


def _following_list(masked: str, start: int, end: int, verb: re.Match[str], inside: list[_Run],
                    before: list[_Run]) -> _Run | None:
    """The list after the colon of "The following functions in `scipy.constants` are deprecated:
    ``C2K``, ..." (names of the module "in" or "from" names before the verb), else None."""
    if not _FOLLOWING.match(masked, start, end):
        return None
    listed = next((r for r in inside if r.start >= verb.end()), None)
    if listed is None or not _TO_COLON.fullmatch(masked, verb.end(), listed.start):
        return None     # (words may end the clause: "... have been renamed and made private: ``a``")
    noun = _KIND_NOUN.search(masked, start, verb.start())
    if noun and noun.group(0).lower() == "modules":
        # ("The following compiled modules have been renamed and made private:", numpy 1.15)
        listed = _Run(listed.spans, listed.start, listed.end, listed.names, listed.kind or "module")
    elif noun and all(sp.role is None for sp in listed.spans):
        # ("The following functions ... are deprecated: ``C2K``, ``K2C``": capitals the text calls functions)
        listed = _Run(listed.spans, listed.start, listed.end, _capitals(listed.spans),
                      listed.kind or _KIND_WORDS[noun.group(0).lower()])
    module = next((m for r in before if (m := _one_module(r)) and (_IN_OR_FROM.search(masked, start, r.start)
                                                                 or _ITS_KIND_NOUN.match(masked, r.end))), None)
    if module is None or not _plain_names(listed):
        return listed
    return _members_run(module, listed, listed.spans, listed.start, listed.end, listed.kind)


_FROM_END = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
# "``expm2`` and ``expm3`` have been removed from `scipy.linalg`", where "deprecated" before the names
# was the verb the sentence was read by; "The deprecated ``ppform`` class was removed from `scipy.interpolate`"
_FROM_THE = re.compile(r"\s*(?:(?:functions?|class(?:es)?|methods?|modules?|aliases)\s+)?"
                       r"(?:(?:has|have|had|was|were|is|are)\s+(?:now\s+)?(?:been\s+)?"
                       r"(?:removed|deprecated|dropped)\s+)?from\s+(?:the\s+)?", re.I)


def _listed_after_colon(masked: str, after: list[_Run]) -> _Run | None:
    """"removed from `scipy.stats`: ``betai``, ``chisqprob``": the bare names after the colon, as
    members of the module before it."""
    module = _one_module(after[0]) if len(after) > 1 else None
    if module is None or not _plain_names(after[1]) or not _COLON.fullmatch(masked, after[0].end, after[1].start):
        return None
    names = after[1]
    return _members_run(module, names, names.spans, names.start, names.end, names.kind)


def _container_after(masked: str, pos: int, inside: list[_Run]) -> str | None:
    """"``glm``, ``oneway`` and ``cmedian`` have been removed from ``scipy.stats``" (scipy 0.14):
    the module that "from" names right after the verb (or after a verb-first sentence's subject)
    holds the bare names."""
    nxt = next((r for r in inside if r.start >= pos), None)
    if nxt is None or not _FROM_THE.fullmatch(masked, pos, nxt.start):
        return None
    return _one_module(nxt)


def _owned(targets: list[tuple[str, str, bool, Span]], inside: list[_Run],
           entry: Entry) -> list[tuple[str, str, bool, Span]]:
    """Whose the bare names are.

    - A bare name that is the last part of a dotted one in the same sentence is that one: "Remove
      deprecated event ``dbapi_error`` and the method ``ConnectionEvents.dbapi_error``" (SQLAlchemy 1.4).
    - An attribute or method written bare belongs to the API the heading above names ("``Axes3D``:
      The ``w_xaxis`` ... attributes are now removed", matplotlib 3.8), and to nothing when no
      heading does: it is no function of the module."""
    dotted = {n.rsplit(".", 1)[1]: n for r in inside for n in r.names if "." in n}
    out = []
    for name, kind, explicit, span in targets:
        if "." not in name and name in dotted:
            name = dotted[name]
        elif "." not in name and kind in ("attribute", "method"):
            owner = entry.section_owner
            if not owner or not owner.rsplit(".", 1)[-1][:1].isupper():
                continue        # (a heading naming a function owns its parameters, not members)
            name = f"{owner}.{name}"
        out.append((name, kind, explicit, span))
    return list({t[0]: t for t in out}.values())


# ("Imports from the following sub-modules are deprecated", numpy 1.15: importing them is what is)
_FOLLOWING = re.compile(r"\W*(?:(?:imports?|importing)\s+from\s+)?the\s+following\b", re.I)
_ALL_MEMBERS = (r"\s+and\s+all\s+(?:the\s+|of\s+its\s+|its\s+)?(?:methods|functions|members|classes|attributes|names)"
                r"\s+(?:of|in)\s+")
_AND_ALL_IN = re.compile(r"(?:\s+(?:module|package))?" + _ALL_MEMBERS + r"(?:the\s+)?", re.I)
# "``scipy.interpolate.interpolate_wrapper`` and all functions in that submodule are deprecated" (scipy 1.0)
_AND_ALL_IN_IT = re.compile(_ALL_MEMBERS + r"(?:that|this|the|its)\s+(?:sub)?(?:module|package)\s+"
                            r"(?:is|are|was|were|has\s+been|have\s+been)\s+(?:now\s+)?", re.I)
_RELATIVE = re.compile(r",\s*(?:which|that|who)\b", re.I)
_OWNER_OF = re.compile(r"^\s+(?:of|on)\s+(?:the\s+)?$", re.I)
# "The ``numpy.MachAr`` class and ``finfo.machar`` attribute have been deprecated" (numpy 1.22): each
# name with its own kind word, one list all the same
_KINDED_SEP = re.compile(r"^\s+(?P<kind>[a-z]+)\s*,?\s*(?:and|or|as\s+well\s+as)\s+(?:the\s+)?$", re.I)


def _last_list(masked: str, before: list[_Run], *, singular: bool = False) -> list[_Run]:
    """The names right before the verb, as one list: "This is no longer the case (``convert`` is
    never called ...), and such support in ``.StrCategoryConverter`` is removed" (matplotlib 3.7)
    has only the last for subject. "``num2julian`` and ``julian2num`` of the `.dates` module are
    deprecated": the name after "of" is whose they are (`dates.num2julian`), not deprecated itself.
    `singular`: the verb is ("is deprecated"), so "consolidated as ``scipy.linalg.blas``, and
    ``scipy.lib.blas`` is deprecated" (scipy 0.10) joins two clauses, not a list."""
    if len(before) > 1 and _IN.match(masked[before[-2].end:before[-1].start]) \
            and _SOURCE_FILE.fullmatch(before[-1].spans[0].body.strip()):
        return _last_list(masked, before[:-1])      # "Class ``SafeEval`` in ``numpy/lib/utils.py``"
    for i, r in enumerate(before[:-1]):
        if _RELATIVE.search(masked[r.end:before[i + 1].start]):
            # "The ``label`` attribute, which was an alias for ``label1``, has been deprecated"
            # (matplotlib 3.1), "``backend_qt4.FigureCanvasQT5``, which is an alias for
            # ``backend_qt5.FigureCanvasQT`` (but only exists under that name in ``backend_qt4``), has
            # been removed" (3.2): the later names are in a clause about the earlier ones
            return _last_list(masked, before[:i + 1])
    out = [before[-1]]
    for r in reversed(before[:-1]):
        between = masked[r.end:out[0].start]
        if _OWNER_OF.match(between) and len(out[0].names) == 1 and r.names and all("." not in n for n in r.names) \
                and not r.param and out[0] is before[-1] and len(out) == 1:
            owner = out[0]
            out = [_Run(r.spans + owner.spans, r.start, owner.end, [f"{owner.names[0]}.{n}" for n in r.names], r.kind)]
        elif _MEMBER_OF.fullmatch(between):
            # "The ``set_factor`` method of :mod:`mpl_toolkits.axisartist` locators is deprecated"
            # (matplotlib 3.3), where the member could not be put on its owner: the owner is no subject
            out = [r]
        elif _LIST_SEP.match(between) and not (singular and _CLAUSE_AND.fullmatch(between)):
            out.insert(0, r)
        elif (kinded := _KINDED_SEP.match(between)) and kinded.group("kind").lower() in _KIND_WORDS \
                and r.kind is not None and out[0].kind is not None and not r.param and not out[0].param \
                and not singular:
            out.insert(0, r)
        else:
            break
    return out


def _targets(run: _Run, module: str | None = None) -> list[tuple[str, str, bool, Span]]:
    return [(f"{module}.{n}" if module and "." not in n else n, run.kind or _guess_kind(n), run.kind is not None,
             _span_of(run, n)) for n in run.names]


def _span_of(run: _Run, name: str) -> Span:
    """The span that writes `name` (its line is the finding's), else the run's first."""
    last = name.rpartition(".")[2]
    return next((s for s in run.spans if s.body.strip().removesuffix("()").rpartition(".")[2] == last), run.spans[0])


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
# ("`.LogScale` and `.SymmetricalLogScale` used to take keyword arguments that depends on the axis
# orientation ("basex" vs "basey"); these parameter names are now deprecated", matplotlib 3.3)
# ("Explicitly call ``ax.remove()`` on Axes that need to be removed", matplotlib 3.6: a relative clause)
_QUALIFIED = re.compile(r"\b(?:applied\s+to|when|given|with|accepting|receiving|returning|\w*warning\b(?!\s+and\b)"
                        r"|takes?|took|taking|accepts?)\b|;|\w\s+(?:that|which)\s", re.I)
# The names are where the deprecations are, not what they deprecate: "``numpy.fft`` deprecations for
# n-D transforms with None values" (numpy 2.0), "Four ``ndarray.ctypes`` methods have been deprecated".
_AREA_NOUN = re.compile(r"^deprecations?\b", re.I)
# ("``matplotlib.tri`` submodules are deprecated", matplotlib 3.7: the modules in it, not the package)
# ("Several `.widgets.Widget` class internals have been privatized and deprecated", matplotlib 3.4)
_MEMBERS_OF = re.compile(r"^\W*(?:(?:class|module)\s+)?(?:methods|attributes|properties|functions|members|keywords"
                         r"|parameters|arguments|submodules|modules|classes|subclasses|internals|globals|variables"
                         r"|constants)\b", re.I)
# The names come after "members of": "The following members of ``matplotlib.backends.backend_pdf.PdfFile``
# were removed:", "The following globals in :mod:`matplotlib.colorbar` are deprecated:" (matplotlib 3.2, 3.4)
_CONTAINER_PREFIX = re.compile(r"\b(?:members?|methods?|attributes?|globals?|functions?|classes|properties|internals"
                               r"|constants|variables|elements)\s+(?:of|in|from|on)\s+(?:the\s+)?$", re.I)


_HOST_AFTER = re.compile(r"\s+(?:parameters?|arguments?|keywords?(?:\s+arguments?)?|kwargs?)\s+(?:of|to|for|in|on)\s+"
                         r"(?:the\s+)?", re.I)
_PARAM_BETWEEN = re.compile(r"\b(?:parameters?|arguments?|keywords?|kwargs?)\b", re.I)


def _not_the_subject(masked: str, subject: list[_Run], verb: re.Match[str]) -> bool:
    between = masked[subject[-1].end:verb.start()]
    if _AREA_NOUN.match(verb.group(0)) or _QUALIFIED.search(between):
        return True
    if not subject[-1].param and _PARAM_BETWEEN.search(between):
        # "Both `.FigureBase.subplot_mosaic`, and `.pyplot.subplot_mosaic` have had the first position
        # argument renamed" (matplotlib 3.4.2), "`.offsetbox.TextArea` has behaved as if *minimumdescent*
        # was always True ... so the parameter/property is deprecated" (3.4): an argument of theirs
        return True
    one_name = len(subject) == 1 and len(subject[0].names) == 1
    return one_name and bool(_MEMBERS_OF.match(between))


# ("Removed the concept of a bound engine from the :class:`.Compiler` object", SQLAlchemy 1.4: what
# went is a noun of the sentence, the name is where it was)
_TRAILING_PREPOSITION = re.compile(r"\b(?:in|of|for|on|to|from|by|with|via|using)(?:\s+the)?\s*$", re.I)
# What follows the name in "The deprecation of ``expand_dims`` out-of-range axes in 1.13.0 has expired".
# "Deprecate `chordal_graph_cliques` returning a set" (networkx 2.5): what it returns changes.
_USE_NOUN = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:axes|axis|indexes|indices|indexers?|inputs?|dtypes?"
                       r"|arrays?|behaviou?r|signatures?|returning|return\s+(?:values?|types?))\b", re.I)
# "Deprecated :meth:`Index.__getitem__` with a bool key", "... :meth:`Index.reindex` with a non-unique
# :class:`Index`" (pandas 1.4): the case it is deprecated in. Not "with no replacement".
_USE_CASE = re.compile(r"^\s*(?:when|if|with(?!\s+no\b)(?!\s+(?:a|any|an)\s+(?:replacement|alternative))"
                       r"|without(?!\s+(?:a\s+|any\s+)?(?:replacement|alternative|deprecation|warning))"
                       # pandas 1.5 "Deprecated :meth:`.DataFrameGroupBy.transform` not aligning the result"
                       r"|not\s+[a-z]{3,}ing)\s", re.I)


def _located_in(prefix: str) -> bool:
    """"Removed ambiguity when broadcasting in ``np.solve``" (numpy 1.x): what went is a noun of the
    sentence, and the name is where."""
    words = [w for w in _WORD.findall(prefix) if w.lower() not in _SKIP_WORDS]
    return bool(words) and bool(_TRAILING_PREPOSITION.search(prefix))


def _qualified_after(masked: str, subject: _Run, end: int) -> bool:
    return bool(_USE_NOUN.match(masked[subject.end:end]) or _USE_CASE.match(masked[subject.end:end]))


def _is_usage(prefix: str, verb_first: bool) -> bool:
    if _GERUND_OPENING.match(prefix):
        # pandas 1.3 "Deprecated constructing :class:`CategoricalIndex` without passing list-like data",
        # 1.5 "Deprecated producing a single element when iterating over a :class:`DataFrameGroupBy`",
        # 1.1 "Providing ``suffixes`` as a ``set`` in :func:`pandas.merge` is deprecated"
        return True
    if _MEMBERS_IN.search(prefix):
        return True       # pandas 0.17 "deprecated ... similar methods in two Series-like classes, ``Index`` and ..."
    listed = _SUBJECT_LIST_OK.search(prefix)
    if listed and not (_EXAMPLES.match(listed.group(0)) and _USAGE.search(prefix[:listed.start()])):
        return False      # "aliases like ``np.float``", not "Non-integer axis indexes to ufuncs like ``add.reduce``"
    if _USAGE.search(prefix):
        return True
    # "Complex dtypes in ``X``", "The single-argument form of ``np.ma.minimum``"
    return not verb_first and bool(_PREPOSITION.search(prefix))


# pandas 0.25 ":func:`read_table` has been undeprecated", 1.0 ":meth:`Series.item` and :meth:`Index.item`
# have been _undeprecated_"
_UNDEPRECATED = re.compile(r"\b_?un-?deprecated_?\b|\bno\s+longer\s+deprecated\b", re.I)


def _undeprecations(entry: Entry, masked: str, runs: list[_Run], message: str) -> list[RawFinding]:
    """The names a sentence says are deprecated no longer: its subject, the names before the verb."""
    out = []
    for start, end in _sentences(masked):
        verb = _UNDEPRECATED.search(masked, start, end)
        if verb is None:
            continue
        for run in (r for r in runs if start <= r.start and r.end <= verb.start() and not r.param and not r.value):
            for name in run.names:
                out.append(RawFinding(evidence_kind=CHANGELOG, kind=run.kind or _guess_kind(name), target=name,
                                      module=_module_for(name, entry, any(s.reference for s in run.spans)),
                                      path=entry.path, line=run.spans[0].line,
                                      message=message, version=entry.version, undeprecated=True))
    return out


# "Window functions can no longer be imported from the `scipy.signal` namespace and instead should be
# accessed through either `scipy.signal.windows` or ..." (scipy 1.13); "Importing the window
# functions from `scipy.signal` is deprecated"
_NO_LONGER_FROM = re.compile(r"\b(?:can\s*not|(?:can|may)\s+no\s+longer)\s+be\s+imported\s+from\s+(?:the\s+)?$", re.I)
_IMPORTING_FROM = re.compile(r"\bimporting\s+(?:[a-z]+\s+){0,3}from\s+(?:the\s+)?$", re.I)


def _moved_namespaces(entry: Entry, masked: str, runs: list[_Run], message: str) -> list[RawFinding]:
    """A namespace whose names a sentence says are no longer imported from it (or, in a deprecation,
    that importing them from it is deprecated), with what the sentence names after it inside it:
    where they are now (a name elsewhere is no new home of the namespace's names, but may be a
    sibling that holds more than what moved)."""
    out = []
    for start, end in _sentences(masked):
        for i, run in enumerate(runs):
            module = _one_module(run) if start <= run.start < end else None
            if module is None:
                continue
            # (an entry is a sentence of a deprecations or removals section: "importing from" is one)
            removed = _NO_LONGER_FROM.search(masked, max(start, run.start - 60), run.start) is not None
            if not removed and not _IMPORTING_FROM.search(masked, max(start, run.start - 60), run.start):
                continue
            homes = [n for later in runs[i + 1:] if later.start < end
                     for n in later.names if n.startswith(module + ".")]
            if not homes:
                continue
            since_txt, removed_txt = versions_from_text(entry.text[start:end])
            out.append(RawFinding(evidence_kind=CHANGELOG, kind="module", target=module, module=module,
                                  path=entry.path, line=run.spans[0].line, message=message, version=entry.version,
                                  since=since_txt if removed else since_txt or entry.version,
                                  removed_in=removed_txt or entry.version if removed else removed_txt,
                                  removed=removed, moved_to=homes))
    return out


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
    entry = replace(entry, spans=_named_spans(entry.text, entry.spans))
    masked = _mask(entry.text, entry.spans)
    runs = _runs(entry, masked)
    plans: list[_Plan] = []
    known_params: set[str] = set()
    entry_params = frozenset(n for r in runs if r.param and not r.value for n in r.names)
    for start, end in _clauses(masked):
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
    message = _norm(entry.shown or entry.text)[:MAX_MESSAGE]
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
    for f in _undeprecations(entry, masked, runs, message) + _moved_namespaces(entry, masked, runs, message):
        out.setdefault((_dedupe_name(f.target, entry), f.parameter), f)
    members = {f.target.rsplit(".", 1)[-1] for f in out.values() if "." in f.target and f.parameter is None}
    # The title "``nickname`` attribute removed from ABCPolyBase" before the body says whose it is; so
    # does "The ``date_ticker_factory`` method in the `matplotlib.dates` module is deprecated" below the
    # title "``date_ticker_factory`` deprecated" (matplotlib 3.6)
    return [f for f in out.values() if not (f.parameter is None and "." not in f.target and f.target in members)]


_EMPHASIS_SEP = re.compile(r"^[\s,]*(?:(?:and|or)\s+)?$", re.I)
_BEFORE_NEW_NAME = re.compile(r"(?:\bin\s+favou?r\s+of|\brenamed\s+to|\breplaced\s+by|\buse)\s+(?:the\s+)?$", re.I)


def _named_spans(text: str, spans: list[Span]) -> list[Span]:
    """The spans that may name something: code and references, and the *emphasised* words that
    matplotlib writes parameters with ("The *filled* argument to ``Colorbar`` is removed", "The
    *emit* and *auto* parameters of ``set_xlim``", "use *handle_props* instead"), not emphasis
    elsewhere ("is *not* deprecated")."""
    emphasis = [s for s in spans if s.role == "emphasis"]
    if not emphasis:
        return spans
    keep: set[int] = set()
    chain: list[Span] = []
    for s in emphasis + [None]:
        if s is not None and chain and _EMPHASIS_SEP.match(text[chain[-1].end:s.start]):
            chain.append(s)
            continue
        if chain:
            before = _words_before(text, chain[0].start, 1)
            after = _words_after(text, chain[-1].end, 1)
            if any(w in _PARAM_WORDS for w in before + after) or _BEFORE_NEW_NAME.search(text[:chain[0].start]):
                keep.update(id(c) for c in chain)
        chain = [s] if s is not None else []
    return [s for s in spans if s.role != "emphasis" or id(s) in keep]


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


# A replacement named as a project of its own ("the ``odrpack`` package"): DISTRIBUTION_MARK
_DISTRIBUTION = re.compile(r"\s+(?:package|library|project|distribution)\b", re.I)


def _replacements(entry: Entry, masked: str, runs: list[_Run], plan: _Plan, window_end: int) -> list[str]:
    run = plan.replacement_run
    if run is None:
        later = [r for r in runs if plan.end <= r.start < window_end]
        run = _replacement_run(masked, later, plan.end, window_end)
    if run is not None:
        names = [n for s in run.spans for n in _replacement_names(s)]
        if run.bare and len(names) == 1 and _DISTRIBUTION.match(masked, run.end):
            # scipy 1.17: "Users are suggested to use the ``odrpack`` package instead": another
            # distribution, not a module of this one that happens to share its name (scipy.odr.odrpack)
            return [f"{DISTRIBUTION_MARK}{names[0]}"]
        if all(s.role == "paramref" for s in run.spans):
            return [f"={n}" for n in names]     # a host's keyword, marked for _plan_findings
        if run.kind in ("attribute", "method") and names and all("." not in n for n in names):
            # "use the ``arrow`` attribute instead" (matplotlib 3.5): a member of the deprecated
            # member's own class, written ".arrow" until that class is known
            return [f".{n}" for n in names]
        return names
    if _IN_TURN.search(masked, plan.start, plan.verb_start):
        return _introduced_before(entry, masked, plan)
    trigger = _TRIGGER.search(masked, plan.start, window_end)
    if trigger is not None:
        # "in favour of alternatives in `scipy.interpolate`": no name given, unless the words
        # stand for names given before
        return _antecedents(masked, runs, plan, trigger.end())
    found = replacement_from_text(entry.text[plan.start:window_end])
    return [found] if found else []


# "`get_feature_names` has in turn been deprecated": as a consequence of what the sentence before says
_IN_TURN = re.compile(r"\bin\s+turn\b", re.I)
_INTRODUCED = re.compile(r"\b(?:added|introduced)\b", re.I)


def _introduced_before(entry: Entry, masked: str, plan: _Plan) -> list[str]:
    """The name the sentence before says was added, of which the deprecation is the consequence:
    scikit-learn 1.0, ":term:`get_feature_names_out` has been added to the transformer API to get
    the names of the output features. `get_feature_names` has in turn been deprecated." (a glossary
    term, no API role, names the new method)."""
    previous = [(start, end) for start, end in _sentences(masked) if end <= plan.start]
    if not previous or not _INTRODUCED.search(masked, *previous[-1]):
        return []
    start, end = previous[-1]
    named = [n for s in entry.spans if start <= s.start and s.end <= end and s.role != "emphasis"
             for n in _replacement_names(s)]
    return named[:1]


# "in favor of these two class methods", "in favor of the class method": how many names given before
_ANAPHOR = re.compile(r"\s*(?:the|these|this|those)\s+(?:(?P<count>two|three|both)\s+)?(?:new\s+)?"
                      r"(?:(?:class|static)\s+)?(?:method|function|attribute|propert(?:y|ie))(?P<plural>s)?\b", re.I)
_COUNTS = {"two": 2, "both": 2, "three": 3}


def _antecedents(masked: str, runs: list[_Run], plan: _Plan, at: int) -> list[str]:
    """The names that words after a trigger stand for: the last ones the entry named before the
    sentence, classes aside. scikit-learn 1.0: ":class:`metrics.ConfusionMatrixDisplay` exposes two
    class methods :func:`~...from_estimator` and :func:`~...from_predictions` [...].
    `metrics.plot_confusion_matrix` is deprecated in favor of these two class methods". A plural
    that says not how many stands for nothing sure: none."""
    m = _ANAPHOR.match(masked, at)
    if m is None:
        return []
    count = _COUNTS[m.group("count").lower()] if m.group("count") else None if m.group("plural") else 1
    before = [n for r in runs if r.end <= plan.start and not (r.param or r.value) and r.kind != "class"
              for s in r.spans for n in _replacement_names(s)]
    return before[-count:] if count is not None and len(before) >= count else []


def _pairs(olds: list[str], news: list[str], respectively: bool = False) -> list[str | None]:
    """Replacement per deprecated name: pairwise when the lists line up (M->ME, lsim2->lsim;
    "`store_cv_values` and `cv_values_` ... in favor of `store_cv_results` and `cv_results_`") or
    the text says so ("`lambdas_` and `alphas_` are renamed to `eigenvalues_` and
    `eigenvectors_`, respectively")."""
    if not news:
        return [None] * len(olds)
    if len(olds) == len(news) > 1 and (respectively or all(_related(o, n) for o, n in zip(olds, news))
                                       or _line_up(olds, news) or _same_owners(olds, news)):
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


def _same_owners(olds: list[str], news: list[str]) -> bool:
    """Each new name is a member of the class its old name is of, all classes told apart: pandas 0.20
    "``Series.sortlevel`` and ``DataFrame.sortlevel`` ... in favor of ``Series.sort_index`` and
    ``DataFrame.sort_index``"."""
    owners = [o.rpartition(".")[0] for o in olds]
    return all(owners) and len(set(owners)) == len(owners) and owners == [n.rpartition(".")[0] for n in news]


def _related(old: str, new: str) -> bool:
    a, b = old.rsplit(".", 1)[-1].lower(), new.rsplit(".", 1)[-1].lower()
    return a.startswith(b) or b.startswith(a)


def _plan_findings(entry: Entry, plan: _Plan, replacements: list[str], message: str,
                   window_end: int) -> list[tuple[RawFinding, bool]]:
    window = entry.text[plan.start:window_end]
    since_txt, removed_txt = versions_from_text(window)
    # numpy 2.4.0's "``np.fix`` is pending deprecation ... will be deprecated in a future release":
    # not deprecated in this release, so its notes' version is no `since`
    announced = not plan.removal and since_txt is None and announces_deprecation(window)
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
    paramrefs = {n[1:] for n in replacements if n.startswith("=")}     # (see _replacements)
    replacements = [n.lstrip("=") for n in replacements]
    if plan.params:
        params = [p for p, _ in plan.params]
        pairs = _pairs(params, [r.lstrip(".") for r in replacements], respectively)
        paired = len(set(pairs)) > 1
        for host, _kind, _, host_span in plan.hosts:
            for (param, span), new in zip(plan.params, pairs):
                if param in plan.own_hosts and host not in plan.own_hosts[param]:
                    continue
                if param.startswith("_"):
                    continue        # "Remove deprecated parameter ``Session._enable_transaction_accounting``"
                if _EXCEPTION_CLASS.fullmatch(param):
                    # "columns that raised a ``TypeError``, ``DataError``, ... in :meth:`Series.aggregate`"
                    # (pandas 1.4): an exception class near a host is none of its keywords
                    continue
                if new and "." in new and _same_owner(new.rsplit(".", 1)[0], host) and new in paramrefs:
                    # "Remove deprecated parameter ``Table.useexisting``. Please use
                    # :paramref:`_schema.Table.extend_existing`" (SQLAlchemy 1.4): the same host's keyword
                    new = new.rsplit(".", 1)[1]
                elif new and _same_owner(new, host):
                    # "Use ``get_sample_data(..., asfileobj=False)`` instead" (matplotlib 3.8): how to
                    # call the host itself, no new keyword
                    new = None
                dotted = bool(new and "." in new)
                new_parameter = None if dotted or new == param else new
                usage, values = ([USE_ANY], []) if new_parameter else usage_from_text(window, param)
                module = _module_for(host, entry, host_span.reference)
                out.append((RawFinding(kind="parameter", target=host, module=module,
                                       line=span.line, parameter=param, new_parameter=new_parameter,
                                       usage=usage, values=values,
                                       replacement=new if dotted else None, paired=paired, **common), True))
        return out
    names = [t[0] for t in plan.targets]
    sinces = _former_and_latter(window, plan)
    for (name, kind, is_explicit, span), new in zip(plan.targets, _pairs(names, replacements, respectively)):
        own = {**common, "since": sinces[sum(1 for g in plan.groups if g <= span.start) - 1]} if sinces else common
        if _foreign(name, entry):
            continue
        if new in paramrefs:
            new = None          # a keyword of something else is no replacement of a whole API
        if new and new.startswith("."):
            new = f"{name.rsplit('.', 1)[0]}{new}" if "." in name and kind in ("attribute", "method") else None
        out.append((RawFinding(kind=kind, target=name, module=_module_for(name, entry, span.reference), line=span.line,
                               replacement=new if new != name else None, drop_in=drop_in and bool(new),
                               **own), is_explicit))
    return out


_FORMER_LATTER = re.compile(r"\bformer\b[^.;]*?\bsince\s+(?:\w+\s+)?v?(?P<a>\d+(?:\.\d+)+)[^.]*?\blatter\b[^.;]*?"
                            r"\bsince\s+(?:\w+\s+)?v?(?P<b>\d+(?:\.\d+)+)", re.I)


def _former_and_latter(window: str, plan: _Plan) -> tuple[str, str] | None:
    """"Functions from ``scipy.interpolate`` (...) and functions from ``scipy.misc`` (...) have been
    removed. The former set has been deprecated since v0.19.0 and the latter has been deprecated since
    v1.0.0." (scipy 1.3): each of the subject's two lists gets its own `since`."""
    m = _FORMER_LATTER.search(window)
    return (m.group("a"), m.group("b")) if m and len(plan.groups) == 2 else None


def _same_owner(a: str, b: str) -> bool:
    """``_schema.Table`` and ``Table``: Sphinx's private module aliases aside, the same name."""
    return a.rsplit(".", 1)[-1] == b.rsplit(".", 1)[-1]


def _foreign(name: str, entry: Entry) -> bool:
    head = name.split(".", 1)[0]
    return head in _FOREIGN and head not in entry.own_heads


def _module_for(name: str, entry: Entry, reference: bool) -> str | None:
    """Context a relative name is read against: for a cross-reference Sphinx's currentmodule, else
    the section's module. currentmodule qualifies references alone: pandas 0.18's "Removal of
    ``expanding_corr_pairwise``" (a literal) sits below `.. currentmodule:: pandas.tseries.resample`
    (set for the resample section above) and was `pandas.tseries.resample.expanding_corr_pairwise`."""
    current = entry.currentmodule if reference else None
    if "." in name:
        return current or entry.lib or None
    return entry.section_module or current or entry.lib or None


def _dedupe_name(name: str, entry: Entry) -> str:
    head, _, rest = name.partition(".")
    return rest if rest and head in entry.own_heads else name


def _norm(text: str) -> str:
    return " ".join(text.split())
