"""What the extractors hand to the scan runner, before names are made public.

Extractors (Python source, stubs, changelogs) see one file at a time, so they
report names as the file spells them; the runner resolves them against the
whole library (re-exports, ``__all__``) and writes the DB rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from apimigrate.db.records import SETTER

# Evidence kinds, as stored in evidence.kind.
WARNING = "warning"          # warnings.warn(..., <deprecation category>)
DECORATOR = "decorator"      # @deprecated(...), @deprecate_kwarg(...), ...
DOCSTRING = "docstring"      # .. deprecated:: X.Y / deprecated-removed / "DEPRECATED:"
STUB = "stub"                # @deprecated in a .pyi stub
GETATTR = "getattr"          # module __getattr__ table of removed / deprecated names
SUBMODULE = "submodule"      # scipy-style _sub_module_deprecation shim module
CHANGELOG = "changelog"      # an entry in release notes / changelog

EVIDENCE_KINDS = (WARNING, DECORATOR, DOCSTRING, STUB, GETATTR, SUBMODULE, CHANGELOG)

# API kinds, as stored in deprecations.kind.
API_KINDS = ("module", "class", "function", "method", "attribute", "parameter", SETTER)


# Before a replacement a text names as a distribution of its own ("use the ``odrpack`` package"):
# resolve.py keeps the name as written, never one of the scanned library's modules.
DISTRIBUTION_MARK = "distribution:"


@dataclass
class RawFinding:
    """One piece of evidence that an API is deprecated (or was removed)."""

    evidence_kind: str
    kind: str
    # Source evidence: qualified name relative to ``module`` ("row_stack",
    # "DataFrame.applymap"; "" for the module itself).
    # Changelog evidence: the name as the text writes it ("numpy.save",
    # "DataFrame.applymap", "simps"), after brace expansion.
    target: str
    module: str | None
    path: str
    line: int
    message: str | None = None
    # Replacement as the text spells it ("vstack", "np.vstack", "DataFrame.map"); unresolved.
    replacement: str | None = None
    since: str | None = None
    removed_in: str | None = None
    parameter: str | None = None
    new_parameter: str | None = None
    # Library version the evidence belongs to (changelog section / file version).
    version: str | None = None
    # Warning category as written (last dotted component is what matters); None when not a warning.
    category: str | None = None
    # True when the evidence says the API is already gone (expired / removed entries, __getattr__ tables that raise).
    removed: bool = False
    # The evidence says the replacement takes the same arguments (alias, rename, forwarding wrapper).
    drop_in: bool = False
    # Parameter findings: which uses are deprecated (db.records.USAGES), the deprecated values
    # (canonical literals) and the parameter's position in a call (-1 keyword-only, None unknown).
    usage: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    position: int | None = None
    text: str = ""
    # A changelog named several deprecated names and as many replacements, and gave this one its
    # own ("`store_cv_values` and `cv_values_` ... in favor of `store_cv_results` and `cv_results_`"):
    # the several names its message offers are not all offered for this one.
    paired: bool = False
    # Only adds to what other evidence says of the API, never makes a row by itself: a helper's
    # runtime warning spoken for a caller (scan/helper_warnings.py).
    corroborates: bool = False
    # Changelog evidence that the API is no longer deprecated (pandas 1.0: ":meth:`Series.item` and
    # :meth:`Index.item` have been _undeprecated_"): earlier notes of it are void (resolve.py).
    undeprecated: bool = False
    # The text announces a deprecation to come without a version ("is pending deprecation ... will be
    # deprecated in a future release"): its release is no `since`.
    announced: bool = False
    # A warning of a default change given under a test of the data, not of the parameter
    # (value_guards.tests_the_data): the change shows for some inputs only.
    conditional: bool = False
    # A migration table's entry (scan/migration_tables.py): the module `__getattr__` factory that
    # serves it (absolute dotted); the finding stands only for a module whose `__getattr__` it makes.
    served_by: str | None = None
    # A warning under `if name in TABLE:` (scan/value_tables.py): the table's name as the file
    # writes it; the runner fills `values` and `value_map` from the table, wherever it is defined.
    value_table: str | None = None
    # How a call's literal meets `values`: "" as it is, else value_tables.TOKEN / UPPER joined by commas
    value_form: str = ""
    # Deprecated values -> the equivalent the evidence maps each to (a table's own values)
    value_map: dict[str, str] = field(default_factory=dict)
    # Parameters the warning's branch also requires false (`if not is_period and name in TABLE:`)
    unless: list[str] = field(default_factory=list)
    # A value finding carried back to a function that passes its argument on (scan/forwarding.py):
    # it names the function's own parameter, and makes a row only for a public API
    forwarded: bool = False
    # Changelog evidence that a namespace's names are no longer (to be) imported from it but from one
    # of these submodules (scipy 1.13: "Window functions can no longer be imported from the
    # `scipy.signal` namespace ... `scipy.signal.windows`"): `target` is the namespace, and the
    # runner makes one finding of each name the submodule has and the namespace lacks (scan/moved_names.py)
    moved_to: list[str] = field(default_factory=list)


@dataclass
class ModuleInfo:
    """What one Python module defines and re-exports, for public-name resolution."""

    module: str                      # dotted name, e.g. "numpy.lib._shape_base_impl"
    path: str
    is_package: bool                 # an __init__.py / __init__.pyi
    all: list[str] | None = None     # literal __all__ when it can be read statically
    # top-level name -> "function" | "class" | "attribute"
    defs: dict[str, str] = field(default_factory=dict)
    # class name -> its method / attribute names
    members: dict[str, list[str]] = field(default_factory=dict)
    # class name -> the attributes its methods set on the instance (`self.alphas_ = ...`): live
    # members for matching by name, kept apart from `members` so that no message's bare word
    # resolves to one (scikit-learn estimators keep every constructor argument so)
    instance_members: dict[str, list[str]] = field(default_factory=dict)
    # class name -> base class names as written (dotted allowed), for warning-category closure
    bases: dict[str, list[str]] = field(default_factory=dict)
    # function or `Class.method` -> its signatures (the overloads, in order), when one returns
    # a single class (scan/signatures.py)
    signatures: dict[str, list[dict]] = field(default_factory=dict)
    # function or `Class.method` -> the parameter names its defs take (its implementation's when
    # there is one, else its overloads together), None when one takes `**kwargs`: a deprecated
    # keyword missing from the newest release is removed
    params: dict[str, list[str] | None] = field(default_factory=dict)
    # those of `params` whose calls may not pass every name by position or keyword -> how they
    # may (scan/signatures.py `call_shape`), None where the defs disagree; None for facts stored
    # before shapes were read (nothing known)
    call_shapes: dict[str, list[int] | None] | None = None
    # those of `params` that take `**kwargs` (None there) -> the names a call may still pass by
    # position, in order (`self` included, as `params` has it): forwarding.py follows a positional
    # argument into such a def (pandas' `get_resampler_for_grouping(groupby, rule, ..., **kwargs)`)
    positional: dict[str, list[str]] = field(default_factory=dict)
    # local name -> (absolute source module, source name or None when a module itself is bound)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # those names imported only under `if TYPE_CHECKING:`: no attribute of the module at run time
    checking_imports: list[str] = field(default_factory=list)
    # modules star-imported (absolute): `from ._impl import *`
    star_imports: list[str] = field(default_factory=list)
    # modules whose __all__ this __all__ takes in (absolute): `__all__ += function_base.__all__`
    all_from: list[str] = field(default_factory=list)
    # top-level names bound once, by one statement, to the same object: `nan = NaN = NAN`,
    # `row_stack = vstack` (a removed name that was its replacement is a drop-in: scan/runner.py)
    same: list[list[str]] = field(default_factory=list)
    # Functions that warn for a caller they are told the name of (scan/helper_warnings.py):
    # name -> their deprecation warnings, each {"params": [...], "message": template with
    # "{param}" where a parameter is spelled in, "category": as written}
    warning_helpers: dict[str, list[dict]] = field(default_factory=dict)
    # Unconditional calls in a def that pass the def's own name as a string literal:
    # {"caller", "kind", "callee" (absolute dotted), "args", "kwargs" (literal str or None),
    # "line", "text"}
    helper_calls: list[dict] = field(default_factory=list)
    # top-level `NDArray: TypeAlias = np.ndarray[...]`: the alias -> the class as written, so a
    # signature returning `NDArray[float64]` returns that class (names.py)
    type_aliases: dict[str, str] = field(default_factory=dict)
    # top-level objects declared by their class: `zeros: Final[_ConstructorEmpty]` -> the class
    # as written; calling one returns what the class's `__call__` does (names.py)
    instances: dict[str, str] = field(default_factory=dict)
    # top-level names a module-level `del` unbinds and nothing binds again below it: numpy 1.x's
    # `del long, unicode` after `from .core import *`, so `numpy.long` is no path to compat's `long`
    deleted: list[str] = field(default_factory=list)
    # top-level names bound to a method of a top-level instance: numpy's `_rand = RandomState()`,
    # `random_integers = _rand.random_integers` -> {"random_integers": "RandomState.random_integers"}
    # (the class as written); what deprecates the method deprecates the name (resolve.py)
    bound_methods: dict[str, str] = field(default_factory=dict)
    # a module's own class given a member after its body, from a module-level def: pandas'
    # `Timestamp.daysinmonth = property(_daysinmonth_fget)` -> {"Timestamp.daysinmonth":
    # ["_daysinmonth_fget", "attribute"]} ("method" for `Cls.name = func`); what deprecates the def
    # deprecates the member (resolve.py)
    patched_members: dict[str, list[str]] = field(default_factory=dict)
    # What made the module's `__getattr__` (absolute dotted): pydantic's `__getattr__ =
    # getattr_migration(__name__)`, whose tables name what it serves (scan/migration_tables.py)
    getattr_factory: str | None = None
    # Top-level dict literals of string keys and set literals of strings: name -> key -> value
    # (None for a set, or a value that is no plain string); what a table guard in any module of
    # the library tests against (scan/value_tables.py)
    value_tables: dict[str, dict[str, str | None]] = field(default_factory=dict)
    # Calls in a def that pass one of its parameters on (scan/forwarding.py `forward_calls`)
    forwards: list[dict] = field(default_factory=list)
    # `Class.attr` -> the classes a class-body annotation gives the attribute, as written
    # (pandas' `_data: DatetimeArray` in DatetimeIndex): where `self._data.floor(freq)` goes
    attribute_classes: dict[str, list[str]] = field(default_factory=dict)
    # Class decorators that give the class members which call another class's namesakes with
    # their arguments (scan/delegation.py `delegations`), and the string lists they may name:
    # top-level or `Class.attr` -> the list expression (scan/delegation.py `string_lists`)
    delegations: list[dict] = field(default_factory=list)
    name_lists: dict[str, list] = field(default_factory=dict)


@dataclass
class FileResult:
    """Everything extracted from one file."""

    path: str
    findings: list[RawFinding] = field(default_factory=list)
    module_info: ModuleInfo | None = None
    error: str | None = None        # why the file was skipped (syntax error, not UTF-8, too large)
