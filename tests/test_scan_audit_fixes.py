"""Errors the precision audit of real scans found (benchmarks/scan_audit.py), each on a real-shaped snippet."""
from __future__ import annotations

from pathlib import Path

import pytest

from apimigrate.scan.messages import offers_one_name, replacement_from_text, replacement_names
from scan_support import rows_of, scan_library

# scikit-learn 1.9 sklearn/linear_model/_logistic.py, cut down: `penalty` is deprecated in favour
# of a combination of two keywords whose values translate ("l1_ratio=0 for penalty='l2'"), and one
# warning says it tersely ("Please use l1_ratio only."). `MDS.dissimilarity` is a true rename.
LOGISTIC = '''\
import warnings

__all__ = ["LogisticRegression", "MDS"]


class LogisticRegression:
    """Logistic Regression classifier.

    Parameters
    ----------
    penalty : {'l1', 'l2', 'elasticnet', None}, default='deprecated'
        Specify the norm of the penalty.

        .. deprecated:: 1.8
           `penalty` was deprecated in version 1.8 and will be removed in 1.10.
           Use `l1_ratio` and `C` instead. `l1_ratio=0` for `penalty='l2'`,
           `l1_ratio=1` for `penalty='l1'`, and `C=np.inf` for `penalty=None`.

    C : float, default=1.0
        Inverse of regularization strength.

    l1_ratio : float, default=0.0
        The Elastic-Net mixing parameter.
    """

    def __init__(self, penalty="deprecated", *, C=1.0, l1_ratio=0.0):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio

    def fit(self, X, y):
        if self.penalty != "deprecated":
            warnings.warn(
                (
                    "'penalty' was deprecated in version 1.8 and will be removed in"
                    " 1.10. To avoid this warning, leave 'penalty' set to its default"
                    " value and use 'l1_ratio' or 'C' instead."
                ),
                FutureWarning,
            )
        if (self.penalty == "l2" and self.l1_ratio != 0) or (
            self.penalty == "l1" and self.l1_ratio != 1
        ):
            warnings.warn(
                f"Inconsistent values: penalty={self.penalty} with "
                f"l1_ratio={self.l1_ratio}. penalty is deprecated. Please use "
                f"l1_ratio only."
            )
        return self


class MDS:
    """Multidimensional scaling.

    Parameters
    ----------
    dissimilarity : {'euclidean', 'precomputed'}
        Dissimilarity measure to use.

        .. deprecated:: 1.8
           `dissimilarity` was renamed `metric` in 1.8 and will be removed in 1.10.

    metric : str or callable, default='euclidean'
        Metric to use for dissimilarity computation.
    """

    def __init__(self, dissimilarity="deprecated", metric="euclidean"):
        self.dissimilarity = dissimilarity
        self.metric = metric

    def fit(self, X):
        if self.dissimilarity != "deprecated":
            warnings.warn(
                "The `dissimilarity` parameter is deprecated and will be "
                "removed in 1.10. Use `metric` instead.",
                FutureWarning,
            )
        return self
'''


def test_combination_of_keywords_is_not_a_rename(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "skl", "1.9", {"skl/__init__.py": "from ._logistic import LogisticRegression, MDS\n",
                                               "skl/_logistic.py": LOGISTIC})
    rows = rows_of(kb, "skl")
    penalty = rows[("skl.LogisticRegression", "penalty")]
    # `fix` renames a keyword to new_parameter: `penalty='l2'` -> `l1_ratio='l2'` would be broken code.
    assert penalty["new_parameter"] in (None, "")
    assert penalty["replacement"] is None
    assert penalty["since"] == "1.8"
    # a true rename keeps its new keyword
    assert rows[("skl.MDS", "dissimilarity")]["new_parameter"] == "metric"


@pytest.mark.parametrize(("text", "names", "joined_by_and"), [
    ("Use `l1_ratio` and `C` instead. `l1_ratio=0` for `penalty='l2'`", ["l1_ratio", "C"], True),
    ("leave 'penalty' set to its default value and use 'l1_ratio' or 'C' instead.", ["l1_ratio", "C"], False),
    ("Use warnings.catch_warnings, warnings.filterwarnings, pytest.warns, or pytest.filterwarnings instead.",
     ["warnings.catch_warnings", "warnings.filterwarnings", "pytest.warns", "pytest.filterwarnings"], False),
    # numpy _expired_attrs_2_0: the "and pass" that follows is a verb, not a second name
    ("Use `numpy.result_type` and pass the Python values `0`, `0.0`, or `0j`.", ["numpy.result_type"], False),
    ("`y_pred` is deprecated and will be removed in 1.10. Use `y_score` instead.", ["y_score"], False),
])
def test_replacement_names_lists_what_the_phrase_offers(text: str, names: list[str], joined_by_and: bool) -> None:
    assert replacement_names(text) == (names, joined_by_and)
    assert offers_one_name(text) == (len(names) == 1)


def test_a_combination_offers_no_single_replacement() -> None:
    assert replacement_from_text("Use `l1_ratio` and `C` instead.") is None
    # a choice keeps the first, as before
    assert replacement_from_text("Use `numpy.promote_types` or `numpy.result_type` instead.") == "numpy.promote_types"



# scipy 1.17 scipy/stats/_morestats.py, cut down: `midrank` (a bool) gives way to `variant` (a
# choice of strings); "Use parameter `variant` instead" names one keyword, but `variant=True`
# means nothing. `ks_stat(n_alphas=)` -> `alphas=` keeps working values (an int is a float).
ANDERSON = '''\
import warnings

__all__ = ["anderson_ksamp", "join", "ks_stat"]


def anderson_ksamp(samples, midrank=None, *, variant=None, method=None):
    """The Anderson-Darling test for k-samples.

    Parameters
    ----------
    samples : sequence of 1-D array_like
        Array of sample data in arrays.
    midrank : bool, optional
        Variant of Anderson-Darling test which is computed. Default
        (True) is the midrank test.

        .. deprecated::1.17.0
            Use parameter `variant` instead.
    variant : {'midrank', 'right', 'continuous'}
        Variant of Anderson-Darling test to be computed.
    """
    return samples


def ks_stat(x, n_alphas=None, alphas=None):
    """A statistic.

    Parameters
    ----------
    n_alphas : int, optional
        How many.

        .. deprecated:: 1.17.0
            Use `alphas` instead.
    alphas : float or None, optional
        The alphas.
    """
    return x


def join(other, lsuffix="", rsuffix="", suffixes=None):
    """Join columns of another frame (pandas 3.1 DataFrame.join, cut down).

    Parameters
    ----------
    lsuffix : str, default ''
        Suffix to use from left frame's overlapping columns.

        .. deprecated:: 3.1.0
            Use ``suffixes`` instead.
    suffixes : tuple of (str, str), default ("", "")
        A length-2 sequence of suffixes.
    """
    if lsuffix or rsuffix:
        warnings.warn(
            "The 'lsuffix' and 'rsuffix' keywords in DataFrame.join are "
            "deprecated and will be removed in a future version. "
            "Use the 'suffixes' keyword instead.",
            FutureWarning,
        )
    return other
'''


def test_a_keyword_whose_values_mean_nothing_to_the_new_one_is_not_renamed(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "sst", "1.17.0", {
        "sst/__init__.py": "from ._morestats import anderson_ksamp, join, ks_stat\n", "sst/_morestats.py": ANDERSON})
    rows = rows_of(kb, "sst")
    assert rows[("sst.anderson_ksamp", "midrank")]["new_parameter"] in (None, "")
    assert rows[("sst.anderson_ksamp", "midrank")]["since"] == "1.17.0"
    assert rows[("sst.ks_stat", "n_alphas")]["new_parameter"] == "alphas"
    # `lsuffix='_l'` is no `suffixes='_l'` (a pair): the docstring types say so
    assert rows[("sst.join", "lsuffix")]["new_parameter"] in (None, "")


def test_numpydoc_kinds_and_whether_values_carry_over() -> None:
    from apimigrate.scan.param_types import documented_kinds, kinds_of, values_carry_over
    kinds = documented_kinds(ANDERSON + LOGISTIC)
    assert kinds["midrank"] == {"bool"} and kinds["variant"] == {"str"} and kinds["penalty"] == {"str", "none"}
    assert "samples" not in kinds                       # not a plain kind: no verdict
    assert kinds_of("int or None, default=None") == {"int", "none"}
    assert kinds_of("str, optional") == {"str"} and kinds_of("array_like") is None
    assert not values_carry_over(kinds["midrank"], kinds["variant"])
    assert not values_carry_over(kinds["penalty"], kinds["l1_ratio"])
    assert values_carry_over(frozenset({"int"}), frozenset({"float", "none"}))
    assert not values_carry_over(frozenset({"float"}), frozenset({"int"}))
    assert values_carry_over(None, frozenset({"str"}))
    assert kinds["suffixes"] == {"tuple"} and not values_carry_over(kinds["lsuffix"], kinds["suffixes"])
    assert kinds_of("list of str or None") == {"list", "none"} and kinds_of("listing") is None


# scikit-learn 1.2 ensembles, cut down: `base_estimator_` renamed to the fitted attribute
# `estimator_`, which only `fit` sets (no public name), while another class defines a property
# `estimator_`; and torch's `AsyncStager`, whose text puts the new name on another class.
ENSEMBLE = '''\
import warnings

__all__ = ["Bagging", "Pipeline", "Stager"]


class Pipeline:
    @property
    def estimator_(self):
        return None


class Bagging:
    def fit(self, X):
        self.estimator_ = object()
        return self

    @property
    def base_estimator_(self):
        warnings.warn(
            "Attribute `base_estimator_` was deprecated in version 1.2 and will be removed in 1.4. "
            "Use `estimator_` instead.",
            FutureWarning,
        )
        return self.estimator_


class Stager:
    def synchronize_staging(self):
        warnings.warn(
            "`synchronize_staging` is deprecated and will be removed in future versions."
            "Please use staging_future from AsyncSaveResponse instead.",
            FutureWarning,
        )
'''


def test_a_bare_replacement_of_a_member_is_a_member_of_the_same_class(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "ens", "1.2.0", {"ens/__init__.py": "from ._bagging import *\n",
                                                           "ens/_bagging.py": ENSEMBLE}), "ens")
    assert rows[("ens.Bagging.base_estimator_", None)]["replacement"] == "ens.Bagging.estimator_"
    # "staging_future from AsyncSaveResponse": not Stager's own member
    assert rows[("ens.Stager.synchronize_staging", None)]["replacement"] != "ens.Stager.staging_future"


# SQLAlchemy 2.1 (sql/_elements_constructors.py, sql/sqltypes.py, orm/session.py, orm/_orm_constructors.py,
# sql/schema.py), cut down: Sphinx `:param x:` fields whose `.. deprecated::` is about that parameter (or
# one listed value of it), a directive about calling `and_()` with no arguments, and
# `@util.deprecated("1.4", "message")`, whose message (with the new name) is the second argument.
SQLALCHEMY = '''\
from . import util

__all__ = ["and_", "Enum", "Session", "relationship", "IdentityOptions", "Table"]


def and_(initial_clause=None, *clauses, **kw):
    r"""Produce a conjunction of expressions joined by ``AND``.

    .. deprecated:: 1.4  The :func:`.and_` element now requires that at
       least one argument is passed; creating the :func:`.and_` construct
       with no arguments is deprecated, and will emit a deprecation warning
       while continuing to produce a blank SQL string.

    .. seealso::

        :func:`.or_`

    """


class Enum:
    def __init__(self, *enums, **kw):
        r"""Construct an enum.

        :param quote: Set explicit quoting preferences for the type's name.

        :param inherit_schema: When ``True``, the "schema" from the owning
           :class:`_schema.Table`
           will be copied to the "schema" attribute of this
           :class:`.Enum`.

           .. deprecated:: 2.1  Setting the :paramref:`.Enum.inherit_schema`
             parameter is deprecated. Provide the schema directly if
             the default behavior of using the :class:`_schema.MetaData`
             schema is not desired.

        :param validate_strings: when True, string values that are being
           passed to the database in a SQL statement will be checked
           for validity against the list of enumerated values.
        """


class Session:
    def flush(self, objects=None):
        """Flush all the object changes to the database.

        :param objects: Optional; restricts the flush operation to operate
          only on elements that are in the given collection.

          This feature is for an extremely narrow set of use cases where
          particular objects may need to be operated upon before the
          full flush() occurs.  It is not intended for general use.

          .. deprecated:: 2.1

        """


def relationship(argument=None, secondary=None, *, lazy="select", viewonly=False):
    """Provide a relationship between two mapped classes.

    :param lazy='select': specifies
      How the related items should be loaded.  Values include:

      * ``select`` - items should be loaded lazily when the property is
        first accessed, using a separate SELECT statement.

      * ``noload`` - no loading should occur at any time.  The related
        collection will remain empty.

        .. deprecated:: 2.1 The ``noload`` loader strategy is deprecated and
           will be removed in a future release.  This option produces incorrect
           results by returning ``None`` for related items.

      * True - a synonym for 'select'

    :param viewonly=False: when set to ``True``, the relationship is used
    """


class IdentityOptions:
    def __init__(self, start=None, cycle=None, order=None, oracle_order=None):
        """Construct a :class:`.IdentityOptions` object.

        :param cache: optional integer value; number of future values in the
         sequence which are calculated in advance.
        :param order: optional boolean value; if ``True``, renders the
         ORDER keyword.

         .. deprecated:: 2.1 Use ``oracle_order`` instead.

        """


class Table:
    def to_metadata(self, metadata, schema=None):
        return self

    @util.deprecated(
        "1.4",
        ":meth:`_schema.Table.tometadata` is renamed to "
        ":meth:`_schema.Table.to_metadata`",
    )
    def tometadata(self, metadata, schema=None):
        return self.to_metadata(metadata, schema=schema)
'''


def test_sphinx_param_fields_deprecate_parameters_not_the_api(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "sqa", "2.1.0", {"sqa/__init__.py": "from ._sql import *\n",
                                                           "sqa/util.py": "def deprecated(v, m=None): ...\n",
                                                           "sqa/_sql.py": SQLALCHEMY}), "sqa")
    # no row makes `check` flag every `and_(...)`, `Enum(...)`, `session.flush()`, `relationship(...)`
    for api in ("sqa.and_", "sqa.Enum", "sqa.Session.flush", "sqa.relationship", "sqa.IdentityOptions"):
        assert (api, None) not in rows, api
    assert rows[("sqa.Enum", "inherit_schema")]["since"] == "2.1"
    assert rows[("sqa.Session.flush", "objects")]["usage"] == "any"
    lazy = rows[("sqa.relationship", "lazy")]
    assert (lazy["usage"], lazy["param_values"]) == ("value", "[\"'noload'\"]")      # not `lazy="select"`
    assert rows[("sqa.IdentityOptions", "order")]["new_parameter"] == "oracle_order"


def test_sqlalchemy_deprecated_decorator_message_is_its_second_argument(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "sqa", "2.1.0", {"sqa/__init__.py": "from ._sql import *\n",
                                                           "sqa/util.py": "def deprecated(v, m=None): ...\n",
                                                           "sqa/_sql.py": SQLALCHEMY}), "sqa")
    # the message names the new method under the docs' private module alias `_schema.`
    tometadata = rows[("sqa.Table.tometadata", None)]
    assert "is renamed to" in tometadata["message"]
    assert tometadata["since"] == "1.4"
    assert tometadata["replacement"] == "sqa.Table.to_metadata" and tometadata["drop_in"]


# attrs 26.1 attr/_next_gen.py and attr/_make.py, matplotlib 3.11 scale.py, cut down: a directive that
# names the parameter in emphasis, on its own first line or as its text's subject.
EMPHASIZED = '''\
__all__ = ["define", "attrs", "ScaleBase"]


def define(maybe_cls=None, *, these=None, repr=None, unsafe_hash=None, hash=None, init=None):
    r"""
    A class decorator that adds :term:`dunder methods`.

    .. versionadded:: 22.2.0
       *unsafe_hash* as an alias for *hash* (for :pep:`681` compliance).
    .. deprecated:: 24.1.0 *hash* is deprecated in favor of *unsafe_hash*.
    .. versionadded:: 24.3.0
       Unless already present, a ``__replace__`` method is automatically
       created for `copy.replace` (Python 3.13+ only).
    """


def attrs(maybe_cls=None, these=None, repr_ns=None, cmp=None):
    r"""
    .. deprecated:: 19.2.0 *cmp* Removal on or after 2021-06-01.
    .. deprecated:: 24.1.0 *repr_ns*
    .. deprecated:: 24.1.0 *these_too* is gone.
    """


class ScaleBase:
    def __init__(self, axis):
        r"""
        Construct a new scale.

        Notes
        -----
        The following note is for scale implementers.

        .. deprecated:: 3.11

           The *axis* parameter is now optional, i.e. matplotlib is compatible
           with `.ScaleBase` subclasses that do not take an *axis* parameter.
        """
'''


def test_a_directive_naming_a_parameter_in_emphasis_is_that_parameter_s(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "att", "26.1.0", {"att/__init__.py": "from ._make import *\n",
                                                            "att/_make.py": EMPHASIZED}), "att")
    for api in ("att.define", "att.attrs", "att.ScaleBase"):
        assert (api, None) not in rows, api
    assert rows[("att.define", "hash")]["since"] == "24.1.0"
    assert {p for a, p in rows if a == "att.attrs"} == {"cmp", "repr_ns"}     # not the unknown `these_too`
    assert ("att.ScaleBase", "axis") in rows


# pydantic 2.14 pydantic/v1/class_validators.py, cut down: the new keyword means the inverse.
PYDANTIC_V1 = '''\
import warnings

__all__ = ["validator"]


def validator(*fields, pre=False, each_item=False, always=False, check_fields=True, whole=None,
              allow_reuse=False):
    """
    Decorate methods on the class indicating that they should be used to validate fields
    :param each_item: for complex objects (sets, lists etc.) whether to validate individual elements rather than the
      whole object
    """
    if whole is not None:
        warnings.warn(
            'The "whole" keyword argument is deprecated, use "each_item" (inverse meaning, default False) instead',
            DeprecationWarning,
        )
        assert each_item is False, '"each_item" and "whole" conflict, remove "whole"'
        each_item = not whole
    return fields
'''


def test_a_keyword_of_inverse_meaning_is_no_rename(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "pyv", "2.14.0", {"pyv/__init__.py": "from ._cv import *\n",
                                                            "pyv/_cv.py": PYDANTIC_V1}), "pyv")
    whole = rows[("pyv.validator", "whole")]
    # `fix` would write `each_item=True` for `whole=True`: the opposite
    assert whole["new_parameter"] in (None, "") and not whole["drop_in"]


# matplotlib 3.11 colors.py / pyplot.py, cut down: `pending=True` announces a deprecation only.
MPL_PENDING = '''\
from . import _api

__all__ = ["Colormap", "get_plot_commands", "RendererWx"]


class Colormap:
    @_api.deprecated(
        "3.11",
        pending=True,
        alternative="cmap.with_extremes(bad=...) or Colormap(bad=...)")
    def set_bad(self, color='k', alpha=None):
        """Set the color for masked values."""

    @_api.deprecated("3.10", alternative="with_extremes")
    def set_extremes_old(self):
        """Set them."""

    def with_extremes(self):
        return self


@_api.deprecated("3.7", pending=True)
def get_plot_commands():
    """Get a sorted list of all of the plotting commands."""


@_api.deprecated("2.0", removal="the future")
class RendererWx:
    """The renderer."""
'''


def test_matplotlib_pending_deprecations_are_pending(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "mpx", "3.11.0", {"mpx/__init__.py": "from ._colors import *\n",
                                                            "mpx/_api.py": "def deprecated(since, **kw): ...\n",
                                                            "mpx/_colors.py": MPL_PENDING}), "mpx")
    assert rows[("mpx.Colormap.set_bad", None)]["pending"]
    assert rows[("mpx.get_plot_commands", None)]["pending"]
    assert not rows[("mpx.Colormap.set_extremes_old", None)]["pending"]
    assert rows[("mpx.RendererWx", None)]["removed_in"] is None      # "the future" names no release


# matplotlib 3.11 cbook.py, axes/_axes.py, mpl_toolkits/axisartist/axis_artist.py, font_manager.py, cut
# down: its parameter decorators.
MPL_PARAMETERS = '''\
from . import _api

__all__ = ["CallbackRegistry", "Axes", "AxisArtist", "get_font"]


class CallbackRegistry:
    @_api.rename_parameter("3.11", "cid", "cid_or_func")
    def disconnect(self, cid_or_func):
        """Disconnect the callback registered with callback id *cid*."""


class Axes:
    @_api.make_keyword_only("3.10", "range")
    def hist(self, x, bins=None, range=None, density=False, weights=None):
        """Compute and plot a histogram."""


class AxisArtist:
    @_api.delete_parameter("3.11", "tick_out", alternative="tick_direction")
    def __init__(self, ticksize=5, tick_out=False, tick_direction="in"):
        self.ticksize = ticksize


@_api.delete_parameter('3.11', 'hinting_factor')
def get_font(font_filepaths, hinting_factor=None):
    return font_filepaths
'''


def test_matplotlib_parameter_decorators_are_parameter_rows(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "mpp", "3.11.0", {"mpp/__init__.py": "from ._axes import *\n",
                                                            "mpp/_api.py": "def rename_parameter(*a): ...\n",
                                                            "mpp/_axes.py": MPL_PARAMETERS}), "mpp")
    cid = rows[("mpp.CallbackRegistry.disconnect", "cid")]
    assert (cid["new_parameter"], cid["usage"], cid["since"]) == ("cid_or_func", "any", "3.11")
    rng = rows[("mpp.Axes.hist", "range")]
    assert (rng["usage"], rng["position"], rng["since"]) == ("positional", 2, "3.10")
    tick_out = rows[("mpp.AxisArtist", "tick_out")]
    # `tick_out=True` is no `tick_direction=True`: advice, not a rename
    assert (tick_out["usage"], tick_out["new_parameter"] or None) == ("any", None)
    assert rows[("mpp.get_font", "hinting_factor")]["since"] == "3.11"
    assert not [key for key in rows if key[1] is None]      # no API itself is deprecated


# SQLAlchemy 2.1 sql/selectable.py and engine/url.py, cut down: one wrapper forwards to the
# replacement on `self`, the other calls a method of that name on another object.
FORWARDS = '''\
from . import util

__all__ = ["Subquery", "Select", "URL"]


class Select:
    def scalar_subquery(self):
        return self


class Subquery:
    element = Select()

    @util.deprecated(
        "1.4",
        "The :meth:`.Subquery.as_scalar` method, which was previously "
        "``Alias.as_scalar()`` prior to version 1.4, is deprecated and "
        "will be removed in a future release; Please use the "
        ":meth:`_expression.Select.scalar_subquery` method of the "
        ":func:`_expression.select` "
        "construct before constructing a subquery object.",
    )
    def as_scalar(self):
        return self.element.set_label_style(None).scalar_subquery()


class URL:
    @util.deprecated(
        "1.4",
        "The :meth:`_engine.URL.__to_string__ method is deprecated and will "
        "be removed in a future release.  Please use the "
        ":meth:`_engine.URL.render_as_string` method.",
    )
    def __to_string__(self, hide_password=True):
        return self.render_as_string(hide_password=hide_password)

    def render_as_string(self, hide_password=True):
        return ""


def old_measure(skimage_params=None):
    """Predict.

    Parameters
    ----------
    skimage_params : `~.DEPRECATED`, optional
        Optional parameters.

        .. deprecated:: {{ start_version }}
    """
'''


def test_a_wrapper_calling_the_replacement_on_another_object_is_no_drop_in(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "sqf", "2.1.0", {"sqf/__init__.py": "from ._sel import *\n",
                                                           "sqf/util.py": "def deprecated(v, m=None): ...\n",
                                                           "sqf/_sel.py": FORWARDS.replace('"URL"]', '"URL", "old_measure"]')}),
                   "sqf")
    as_scalar = rows[("sqf.Subquery.as_scalar", None)]
    assert as_scalar["replacement"] == "sqf.Select.scalar_subquery" and not as_scalar["drop_in"]
    to_string = rows[("sqf.URL.__to_string__", None)]
    assert to_string["replacement"] == "sqf.URL.render_as_string" and to_string["drop_in"]
    # scikit-image's templated directive holds no text: any use of the keyword, as before
    assert rows[("sqf.old_measure", "skimage_params")]["usage"] == "any"
