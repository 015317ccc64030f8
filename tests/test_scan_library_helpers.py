"""Other libraries' deprecation helpers (scan/library_helpers.py, scan/kwargs_keywords.py), each on
an excerpt cut down from the library's real source, scanned into a real DB."""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.scan.python_source import extract_python
from scan_support import rows_of, scan_library

# matplotlib 3.11.2 axes/_axes.py, figure.py, contour.py, style/core.py: `_api.warn_deprecated`
# calls. The name it is told may be a parameter of the def (`name="vert: bool"`).
MPL_WARN = '''\
from . import _api

__all__ = ["Axes", "Figure", "ContourLabeler"]


class Axes:
    def bxp(self, bxpstats, positions=None, vert=None, orientation='vertical'):
        """Draw a box and whisker plot from pre-computed statistics."""
        # vert and orientation parameters are linked until vert's
        # deprecation period expires. vert only takes precedence
        # if set to False.
        if vert is None:
            vert = True
        else:
            _api.warn_deprecated(
                "3.11",
                name="vert: bool",
                alternative="orientation: {'vertical', 'horizontal'}",
            )
        if not vert:
            _api.warn_deprecated(
                "3.10",
                name='boxplot.vertical', obj_type="rcparam"
            )
        return orientation


class Figure:
    @property
    def number(self):
        return self._number

    @number.setter
    def number(self, num):
        _api.warn_deprecated(
            "3.10",
            message="Changing 'Figure.number' is deprecated since %(since)s and "
                    "will raise an error starting %(removal)s")
        self._number = num


class ContourLabeler:
    def clabel(self, levels=None):
        """Label a contour plot."""
        if self.filled:
            _api.warn_deprecated(
                "3.11",
                message="clabel() is not designed to be used with filled contours and "
                        "may result in inconsistent plots. Applying clabel() to filled "
                        "contours is thus deprecated since %(since)s.")
        return levels
'''

MPL_STYLE_CORE = '''\
from .. import _api

_api.warn_deprecated("3.11", name=__name__, obj_type="module")
'''


def test_matplotlib_warn_deprecated(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "mpw", "3.11.2", {
        "mpw/__init__.py": "from ._axes import *\n", "mpw/_api.py": "def warn_deprecated(since, **kw): ...\n",
        "mpw/_axes.py": MPL_WARN, "mpw/style/__init__.py": "", "mpw/style/core.py": MPL_STYLE_CORE}), "mpw")
    vert = rows[("mpw.Axes.bxp", "vert")]
    # any use of vert= warns; "orientation: {...}" is advice, neither a rename nor an API
    assert (vert["usage"], vert["since"], vert["removed_in"]) == ("any", "3.11", "3.13")
    assert (vert["new_parameter"] or None, vert["replacement"]) == (None, None)
    number = rows[("mpw.Figure.number", None)]
    assert (number["kind"], number["since"], number["removed_in"]) == ("setter", "3.10", "3.12")
    assert "Changing 'Figure.number' is deprecated since 3.10" in number["message"]
    module = rows[("mpw.style.core", None)]
    assert (module["kind"], module["since"], module["removed_in"]) == ("module", "3.11", "3.13")
    # an rcParam is no API; clabel is deprecated on filled contours only
    assert ("mpw.Axes.bxp", None) not in rows and ("mpw.ContourLabeler.clabel", None) not in rows


# matplotlib 3.x rcsetup.py's shape: a validator warning about the rcParams key it validates.
MPL_RCPARAM = '''\
from . import _api


def validate_hist_bins(s):
    _api.warn_deprecated("3.11", name="hist.bins", obj_type="rcparam")
    return s
'''


def test_matplotlib_warn_deprecated_raw_findings() -> None:
    vert = [f for f in extract_python(MPL_WARN.encode(), "mpw/_axes.py", "mpw._axes").findings
            if f.parameter == "vert"]
    # "Use orientation: {'vertical', 'horizontal'}" would read as the API `vertical`
    assert [(f.target, f.replacement) for f in vert] == [("Axes.bxp", None)]
    assert extract_python(MPL_RCPARAM.encode(), "mpw/rcsetup.py", "mpw.rcsetup").findings == []


# matplotlib 3.11.2 backends/backend_pdf.py, ticker.py, mpl_toolkits/mplot3d/axis3d.py: members made
# by calling the helpers in the class body.
MPL_ATTRIBUTES = '''\
from . import _api

__all__ = ["PdfFile", "ScalarFormatter", "Axis"]


class PdfFile:
    fontNames = _api.deprecated("3.11")(property(lambda self: self._fontNames))


class ScalarFormatter:
    orderOfMagnitude = _api.deprecate_privatize_attribute("3.11")


class Axis:
    d_interval = _api.deprecated(
        "3.6", alternative="get_data_interval", pending=True)(
            property(lambda self: self.get_data_interval(),
                     lambda self, minmax: self.set_data_interval(*minmax)))

    def get_data_interval(self):
        return self._interval
'''


def test_matplotlib_deprecated_class_attributes(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "mpa", "3.11.2", {
        "mpa/__init__.py": "from ._pdf import *\n", "mpa/_api.py": "def deprecated(since, **kw): ...\n",
        "mpa/_pdf.py": MPL_ATTRIBUTES}), "mpa")
    fonts = rows[("mpa.PdfFile.fontNames", None)]
    assert (fonts["kind"], fonts["since"], fonts["pending"]) == ("attribute", "3.11", 0)
    magnitude = rows[("mpa.ScalarFormatter.orderOfMagnitude", None)]
    # the value lives on only as the private `_orderOfMagnitude`: nothing to offer
    assert (magnitude["kind"], magnitude["since"], magnitude["replacement"]) == ("attribute", "3.11", None)
    interval = rows[("mpa.Axis.d_interval", None)]
    assert (interval["pending"], interval["replacement"]) == (1, "mpa.Axis.get_data_interval")


# SQLAlchemy 2.1.9 sql/schema.py, orm/interfaces.py, ext/horizontal_shard.py, engine/url.py,
# orm/evaluator.py: `deprecated_params`, `deprecated_cls` and `warn_deprecated(msg, version)`.
SQLA = '''\
from . import util
from .util import warn_deprecated

__all__ = ["Table", "Sequence", "MapperOption", "URL", "Query", "ShardedSession"]


class Table:
    @util.deprecated_params(
        mustexist=(
            "1.4",
            "Deprecated alias of :paramref:`_schema.Table.must_exist`",
        ),
    )
    def __new__(cls, *args, **kw):
        return cls._new(*args, **kw)

    def __init__(self, name, metadata, *args, must_exist=False, **kw):
        self.name = name


class Sequence:
    @util.deprecated_params(
        order=(
            "2.1",
            "This parameter is supported only by Oracle Database, "
            "use ``oracle_order`` instead.",
        )
    )
    def __init__(self, name, start=None, order=None, **dialect_kw):
        self.name = name


@util.deprecated_cls(
    "1.4",
    "The :class:`.MapperOption class is deprecated and will be removed "
    "in a future release.",
    constructor=None,
)
class MapperOption:
    """Describe a modification to a Query"""


class URL:
    def translate_connect_args(self, names=None, **kw):
        """Translate url attributes into a dictionary of connection arguments."""
        if names is not None:
            util.warn_deprecated(
                "The `URL.translate_connect_args.name`s parameter is "
                "deprecated. Please pass the "
                "alternate names as kw arguments.",
                "1.4",
            )
        return kw


class Query:
    def instances(self, result_proxy, context=None):
        """Return an ORM result given a CursorResult and QueryContext."""
        if context is None:
            util.warn_deprecated(
                "Using the Query.instances() method without a context "
                "is deprecated and will be disallowed in a future release.",
                version="1.4",
            )
        return result_proxy


class ShardedSession:
    def __init__(self, shard_chooser, identity_chooser=None, execute_chooser=None, query_chooser=None, **kwargs):
        if query_chooser:
            _query_chooser = query_chooser
            util.warn_deprecated(
                "The ``query_chooser`` parameter is deprecated; "
                "please use ``execute_chooser``.",
                "1.4",
            )

            def _default_execute_chooser(orm_context):
                return _query_chooser(orm_context.statement)

            if execute_chooser is None:
                execute_chooser = _default_execute_chooser
        self.execute_chooser = execute_chooser
'''

SQLA_EVALUATOR = '''\
from .util import warn_deprecated


class _EvaluatorCompiler:
    pass


def __getattr__(name):
    if name == "EvaluatorCompiler":
        warn_deprecated(
            "Direct use of 'EvaluatorCompiler' is not supported, and this "
            "name will be removed in a future release.  "
            "'_EvaluatorCompiler' is for internal use only",
            "2.0",
        )
        return _EvaluatorCompiler
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
'''


def test_sqlalchemy_helpers(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "sqh", "2.1.9", {
        "sqh/__init__.py": "from ._schema import *\n",
        "sqh/util.py": "def warn_deprecated(msg, version, stacklevel=3, code=None): ...\n",
        "sqh/_schema.py": SQLA, "sqh/evaluator.py": SQLA_EVALUATOR}), "sqh")
    mustexist = rows[("sqh.Table", "mustexist")]
    assert (mustexist["new_parameter"], mustexist["usage"], mustexist["since"]) == ("must_exist", "any", "1.4")
    order = rows[("sqh.Sequence", "order")]
    # `oracle_order` goes through **dialect_kw: advice in the message, no keyword of the signature
    assert (order["since"], order["usage"], order["new_parameter"] or None) == ("2.1", "any", None)
    assert "oracle_order" in order["message"]
    option = rows[("sqh.MapperOption", None)]
    assert (option["kind"], option["since"]) == ("class", "1.4")
    chooser = rows[("sqh.ShardedSession", "query_chooser")]
    # `query_chooser(statement)` is wrapped into an `execute_chooser(orm_context)`: no rename; the
    # warning sits under `if query_chooser:`, so `query_chooser=None` is no use of it
    assert (chooser["usage"], chooser["since"], chooser["new_parameter"] or None) == ("truthy", "1.4", None)
    instances = rows[("sqh.Query.instances", "context")]
    assert ("default" in instances["usage"], instances["since"]) == (True, "1.4")
    assert rows[("sqh.evaluator.EvaluatorCompiler", None)]["since"] == "2.0"
    # "The `URL.translate_connect_args.name`s parameter" names the method but deprecates no call of it
    assert ("sqh.URL.translate_connect_args", None) not in rows
    assert not [key for key in rows if key[0] in ("sqh.Table", "sqh.Sequence") and key[1] is None]


# xarray 2026 core/dataset.py, coding/cftime_offsets.py, core/missing.py: `emit_user_level_warning(msg,
# FutureWarning)`; scikit-image's `warnings.filterwarnings(..., category=FutureWarning)` gives none
# (names in messages spelled with this test's package).
XARRAY = '''\
import warnings
from collections.abc import Iterable

from .utils import emit_user_level_warning, is_dict_like

__all__ = ["Dataset", "cftime_range", "date_range", "interp"]


class Dataset:
    def drop(self, labels=None, dim=None, *, errors="raise", **labels_kwargs):
        """Backward compatible method based on `drop_vars` and `drop_sel`"""
        if is_dict_like(labels) and not isinstance(labels, dict):
            emit_user_level_warning(
                "dropping coordinates using `drop` is deprecated; use drop_vars.",
                FutureWarning,
            )
            return self.drop_vars(labels, errors=errors)
        if dim is None and isinstance(labels, Iterable):
            emit_user_level_warning(
                "dropping variables using `drop` is deprecated; use drop_vars.",
                FutureWarning,
            )
            return self.drop_vars(labels, errors=errors)
        emit_user_level_warning(
            "dropping labels using `drop` is deprecated; use `drop_sel` instead.",
            FutureWarning,
        )
        return self.drop_sel(labels, errors=errors)

    def drop_vars(self, names, *, errors="raise"):
        return self

    def drop_sel(self, labels=None, *, errors="raise", **labels_kwargs):
        return self

    def eval(self, statement, *, parser="pandas"):
        """Calculate an expression supplied as a string in the context of the dataset."""
        if parser != "pandas":
            emit_user_level_warning(
                "The 'parser' argument to Dataset.eval() is deprecated and will be removed "
                "in a future version.",
                FutureWarning,
            )
        return statement

    def opening(self, image):
        with warnings.catch_warnings():
            warnings.filterwarnings(
                action="ignore",
                message="`binary_(dilation|erosion)` is deprecated",
                category=FutureWarning,
            )
            return image


def date_range(start=None, end=None, periods=None, use_cftime=None):
    return start


def cftime_range(start=None, end=None, periods=None):
    """Return a fixed frequency CFTimeIndex."""
    emit_user_level_warning(
        "cftime_range() is deprecated, please use xrh.date_range(..., use_cftime=True) instead.",
        FutureWarning,
    )
    return date_range(start=start, end=end, periods=periods, use_cftime=True)


def interp(x, method="linear"):
    if method == "spline":
        emit_user_level_warning(
            "The 1d SplineInterpolator class is performing an incorrect calculation and "
            "is being deprecated. Please use `method=polynomial` for 1D Spline Interpolation.",
            PendingDeprecationWarning,
        )
    return x
'''

XARRAY_UTILS = '''\
import warnings


def is_dict_like(value):
    return hasattr(value, "keys")


def emit_user_level_warning(message, category=None) -> None:
    """Emit a warning at the user level by inspecting the stack trace."""
    warnings.warn(message, category=category, stacklevel=2)
'''


def test_xarray_emit_user_level_warning(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "xrh", "2026.9.0", {
        "xrh/__init__.py": "from ._dataset import *\n", "xrh/utils.py": XARRAY_UTILS, "xrh/_dataset.py": XARRAY}),
        "xrh")
    drop = rows[("xrh.Dataset.drop", None)]
    assert (drop["kind"], drop["replacement"] in ("xrh.Dataset.drop_vars", "xrh.Dataset.drop_sel")) == ("method", True)
    assert rows[("xrh.Dataset.eval", "parser")]["usage"] == "any"
    assert rows[("xrh.cftime_range", None)]["replacement"] == "xrh.date_range"
    spline = rows[("xrh.interp", "method")]
    assert (spline["usage"], spline["param_values"], spline["pending"]) == ("value", '["\'spline\'"]', 1)
    # the helper itself, and a warning filter naming the category, deprecate nothing
    assert not [key for key in rows if "emit_user_level_warning" in key[0] or "opening" in key[0]]


# scikit-image 0.26 morphology/binary.py, morphology/misc.py, restoration/_rolling_ball.py, io/_io.py
# (names in messages spelled with this test's package).
SKIMAGE = '''\
from ._shared.utils import deprecate_func, deprecate_parameter, DEPRECATED

__all__ = ["binary_erosion", "erosion", "remove_small_objects", "rolling_ball", "imread"]

_remove_plugin_param_template = (
    "The plugin infrastructure in `skimage.io` and the parameter "
    "`{deprecated_name}` are deprecated since version {deprecated_version} and "
    "will be removed in {changed_version} (or later). To avoid this warning, "
    "please do not use the parameter `{deprecated_name}`. Instead, use `imageio` "
    "or other I/O packages directly. See also `{func_name}`."
)


def erosion(image, footprint=None, out=None, *, mode='reflect', cval=0.0):
    return image


@deprecate_func(
    deprecated_version="0.26",
    removed_version="0.28",
    hint="Use `skh.erosion` instead. "
    "Note the pixel shift by 1 for even-sized footprints (see docstring notes).",
)
def binary_erosion(image, footprint=None, out=None, *, mode='ignore'):
    """Return fast binary morphological erosion of an image."""
    return image


@deprecate_parameter(
    deprecated_name="min_size",
    new_name="max_size",
    start_version="0.26.0",
    stop_version="2.0.0",
    template=f"{deprecate_parameter.replace_parameter_template} "
    "Note that the new threshold removes objects smaller than **or equal to** "
    "its value, while the previous parameter only removed smaller ones.",
)
def remove_small_objects(ar, min_size=DEPRECATED, connectivity=1, *, max_size=64, out=None):
    """Remove objects smaller than the specified size."""
    return ar


@deprecate_parameter(
    "num_threads", new_name="workers", start_version="0.26", stop_version="0.28"
)
def rolling_ball(image, *, radius=100, kernel=None, nansafe=False, num_threads=DEPRECATED, workers=None):
    """Estimate background intensity using the rolling-ball algorithm."""
    return image


@deprecate_parameter(
    "plugin",
    start_version="0.25",
    stop_version="0.27",
    template=_remove_plugin_param_template,
)
def imread(fname, as_gray=False, plugin=DEPRECATED, **plugin_args):
    """Load an image from file."""
    return fname
'''


def test_skimage_deprecate_func_and_parameter(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "skh", "0.26.0", {
        "skh/__init__.py": "from ._morph import *\n", "skh/_shared/__init__.py": "",
        "skh/_shared/utils.py": "class deprecate_parameter: ...\nclass deprecate_func: ...\nDEPRECATED = object()\n",
        "skh/_morph.py": SKIMAGE})
    rows = rows_of(kb, "skh")
    erosion = rows[("skh.binary_erosion", None)]
    assert (erosion["since"], erosion["removed_in"], erosion["replacement"]) == ("0.26", "0.28", "skh.erosion")
    assert erosion["message"].startswith("`binary_erosion` is deprecated since version 0.26")
    min_size = rows[("skh.remove_small_objects", "min_size")]
    # the library's own note says the new threshold counts otherwise: no keyword to rename to
    assert (min_size["usage"], min_size["since"], min_size["removed_in"]) == ("any", "0.26.0", "2.0.0")
    assert min_size["new_parameter"] in (None, "") and "max_size" in min_size["message"]
    threads = rows[("skh.rolling_ball", "num_threads")]
    assert (threads["new_parameter"], threads["usage"], threads["position"]) == ("workers", "any", -1)
    plugin = rows[("skh.imread", "plugin")]
    assert (plugin["since"], plugin["new_parameter"] or None) == ("0.25", None)
    assert "please do not use the parameter `plugin`" in plugin["message"]
    refs = find_references("from skh import remove_small_objects, rolling_ball\n"
                           "remove_small_objects(img, min_size=5)\n"
                           "rolling_ball(img, num_threads=2)\n",
                           DeprecationIndex.from_rows(kb.deprecations()))
    assert [(r.line, r.kind, r.row["parameter"]) for r in refs] == [(1, "keyword", "min_size"),
                                                                    (2, "keyword", "num_threads")]


# pydantic 2.14.4 fields.py and seaborn 0.13.2 distributions.py: keywords popped from **kwargs.
PYDANTIC_FIELD = '''\
from warnings import warn

__all__ = ["Field"]


class PydanticDeprecatedSince20(DeprecationWarning):
    pass


def Field(default=None, *, alias=None, exclude=None, frozen=None, min_length=None, max_length=None, **extra):
    """Create a field for objects that can be configured."""
    min_items = extra.pop('min_items', None)  # type: ignore
    if min_items is not None:
        warn(
            '`min_items` is deprecated and will be removed, use `min_length` instead',
            PydanticDeprecatedSince20,
            stacklevel=2,
        )
        if min_length in (None,):
            min_length = min_items  # type: ignore

    allow_mutation = extra.pop('allow_mutation', None)  # type: ignore
    if allow_mutation is not None:
        warn(
            '`allow_mutation` is deprecated and will be removed. use `frozen` instead',
            PydanticDeprecatedSince20,
            stacklevel=2,
        )
        if allow_mutation is False:
            frozen = True

    include = extra.pop('include', None)  # type: ignore
    if include is not None:
        warn(
            '`include` is deprecated and does nothing. It will be removed, use `exclude` instead',
            PydanticDeprecatedSince20,
            stacklevel=2,
        )
    return default
'''

SEABORN_KDEPLOT = '''\
import textwrap
import warnings

__all__ = ["kdeplot"]


def kdeplot(data=None, *, x=None, y=None, fill=None, ax=None, **kwargs):
    """Plot univariate or bivariate distributions using kernel density estimation."""
    shade = kwargs.pop("shade", None)
    if shade is not None:
        fill = shade
        msg = textwrap.dedent(f"""\\n
        `shade` is now deprecated in favor of `fill`; setting `fill={shade}`.
        This will become an error in seaborn v0.14.0; please update your code.
        """)
        warnings.warn(msg, FutureWarning, stacklevel=2)
    return ax
'''


def test_keywords_popped_from_kwargs_are_parameters(tmp_path: Path) -> None:
    kb = scan_library(tmp_path, "pyk", "2.14.4", {"pyk/__init__.py": "from ._fields import *\n",
                                                  "pyk/_fields.py": PYDANTIC_FIELD})
    rows = rows_of(kb, "pyk")
    min_items = rows[("pyk.Field", "min_items")]
    assert (min_items["new_parameter"], min_items["usage"], min_items["position"]) == ("min_length", "any", -1)
    # `if allow_mutation is False: frozen = True`: the inverse, not a rename; `include` did nothing
    for name in ("allow_mutation", "include"):
        row = rows[("pyk.Field", name)]
        assert (row["new_parameter"] or None, row["replacement"], row["usage"]) == (None, None, "any")
        assert row["position"] == -1        # through **extra: by keyword only
    raw = {f.parameter: f for f in extract_python(PYDANTIC_FIELD.encode(), "pyk/_fields.py", "pyk._fields").findings}
    # "use `frozen` instead" offers a keyword of Field, not pydantic's `ConfigDict.frozen` to call
    assert (raw["allow_mutation"].replacement, raw["include"].replacement) == (None, None)
    assert ("pyk.Field", None) not in rows
    refs = find_references("from pyk import Field\nx = Field(min_items=1)\ny = Field(alias='a')\n",
                           DeprecationIndex.from_rows(kb.deprecations()))
    assert [(r.line, r.kind, r.row["parameter"]) for r in refs] == [(1, "keyword", "min_items")]


# pydantic's `include` message on a parameter of the signature: what did nothing is renamed to nothing.
NO_EFFECT = '''\
import warnings


def Field(default=None, *, include=None, exclude=None):
    if include is not None:
        warnings.warn(
            '`include` is deprecated and does nothing. It will be removed, use `exclude` instead',
            DeprecationWarning,
        )
    return default
'''


def test_a_keyword_that_does_nothing_is_no_rename() -> None:
    found = extract_python(NO_EFFECT.encode(), "pyk/_f.py", "pyk._f").findings
    assert [(f.parameter, f.new_parameter) for f in found] == [("include", None)]


def test_seaborn_shade_popped_from_kwargs(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "snk", "0.13.2", {"snk/__init__.py": "from ._dist import *\n",
                                                            "snk/_dist.py": SEABORN_KDEPLOT}), "snk")
    shade = rows[("snk.kdeplot", "shade")]
    assert (shade["new_parameter"], shade["usage"]) == ("fill", "any")
    assert shade["message"].startswith("`shade` is now deprecated in favor of `fill`")
    assert ("snk.kdeplot", None) not in rows


# seaborn 0.13.2 distributions.py (kdeplot, lines 1580-1660, cut down): its deprecations of keywords
# popped from **kwargs warn with UserWarning; so do messages that deprecate nothing (lines 349-355).
SEABORN_KDEPLOT_USER_WARNINGS = '''\
import textwrap
import warnings


def kdeplot(data=None, *, x=None, y=None, fill=None, bw_method="scott", bw_adjust=1, warn_singular=True,
            **kwargs):
    # Handle deprecation of `vertical`
    vertical = kwargs.pop("vertical", None)
    if vertical is not None:
        msg = textwrap.dedent(f"""\\n
        The `vertical` parameter is deprecated; assigning data to `y`.
        This will become an error in seaborn v0.14.0; please update your code.
        """)
        warnings.warn(msg, UserWarning, stacklevel=2)

    # Handle deprecation of `bw`
    bw = kwargs.pop("bw", None)
    if bw is not None:
        msg = textwrap.dedent(f"""\\n
        The `bw` parameter is deprecated in favor of `bw_method` and `bw_adjust`.
        Setting `bw_method={bw}`, but please see the docs for the new parameters
        and update your code. This will become an error in seaborn v0.14.0.
        """)
        warnings.warn(msg, UserWarning, stacklevel=2)

    singular = data is None
    if singular:
        msg = (
            "Dataset has 0 variance; skipping density estimate. "
            "Pass `warn_singular=False` to disable this warning."
        )
        if warn_singular:
            warnings.warn(msg, UserWarning, stacklevel=4)
    return None
'''


def test_a_user_warning_that_says_deprecated_is_a_deprecation(tmp_path: Path) -> None:
    rows = rows_of(scan_library(tmp_path, "seaborn", "0.13.2", {
        "seaborn/__init__.py": "from .distributions import kdeplot\n",
        "seaborn/distributions.py": SEABORN_KDEPLOT_USER_WARNINGS}), "seaborn")
    assert {key: (r["usage"], r["new_parameter"]) for key, r in rows.items()} == {
        ("seaborn.kdeplot", "vertical"): ("any", None),
        ("seaborn.kdeplot", "bw"): ("any", None),           # two new names: no rename
    }                                                         # `warn_singular`'s message deprecates nothing
