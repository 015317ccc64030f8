"""Public-name resolution over module facts shaped like numpy's and pandas' real layouts."""
import textwrap

from apimigrate.scan.model import ModuleInfo, RawFinding
from apimigrate.scan.names import build_name_index
from apimigrate.scan.python_source import extract_python
from apimigrate.scan.resolve import deprecation_categories, resolve_findings


def _numpy_like():
    impl = ModuleInfo("numpy.lib._shape_base_impl", "numpy/lib/_shape_base_impl.py", False,
                      all=["row_stack", "column_stack"], defs={"row_stack": "function", "column_stack": "function"})
    core = ModuleInfo("numpy._core.shape_base", "numpy/_core/shape_base.py", False,
                      all=["vstack", "hstack"], defs={"vstack": "function", "hstack": "function"})
    init = ModuleInfo("numpy", "numpy/__init__.py", True, all=None, defs={"ndarray": "class"},
                      imports={"row_stack": ("numpy.lib._shape_base_impl", "row_stack"),
                               "vstack": ("numpy._core.shape_base", "vstack"),
                               "lib": ("numpy.lib", None)})
    lib = ModuleInfo("numpy.lib", "numpy/lib/__init__.py", True, all=[],
                     imports={"_shape_base_impl": ("numpy.lib._shape_base_impl", None)})
    exc = ModuleInfo("numpy.exceptions", "numpy/exceptions.py", False, all=["VisibleDeprecationWarning"],
                     defs={"VisibleDeprecationWarning": "class", "MyDep": "class"},
                     bases={"VisibleDeprecationWarning": ["UserWarning"], "MyDep": ["DeprecationWarning"],
                            "Deeper": ["MyDep"]})
    return [impl, core, init, lib, exc]


def test_private_definition_gets_its_shortest_public_path():
    idx = build_name_index(_numpy_like(), ["numpy"])
    assert idx.public_name("numpy.lib._shape_base_impl", "row_stack") == "numpy.row_stack"
    assert idx.public_name("numpy._core.shape_base", "vstack") == "numpy.vstack"
    assert idx.public_name("numpy", "ndarray.ptp") == "numpy.ndarray.ptp"


def test_replacement_text_resolves_against_library_names():
    idx = build_name_index(_numpy_like(), ["numpy"])
    assert idx.resolve_text_name("np.vstack") == "numpy.vstack"
    assert idx.resolve_text_name("`vstack`") == "numpy.vstack"
    assert idx.resolve_text_name("vstack()") == "numpy.vstack"
    assert idx.resolve_text_name("numpy._core.shape_base.vstack") == "numpy.vstack"
    assert idx.resolve_text_name("math.prod") == "math.prod"        # named by the evidence, kept
    # a companion package named after the library, kept whether or not it is installed here
    assert idx.resolve_text_name("numpy_financial.npv") == "numpy_financial.npv"
    assert idx.resolve_text_name("numpyish.npv") is None
    assert idx.resolve_text_name("nonexistent") is None              # never invented
    assert idx.resolve_text_name("use it") is None


def test_name_written_on_the_public_top_module_is_not_moved_deeper():
    """numpy 1.x: ``bool_`` reaches ``numpy`` through star imports of modules whose ``__all__`` is
    computed, while ``numpy.ma`` re-exports it in a literal ``__all__``; the message's ``np.bool_``
    must stay ``numpy.bool_``, not become ``numpy.ma.bool_``."""
    nt = ModuleInfo("numpy.core.numerictypes", "numpy/core/numerictypes.py", False, all=None,
                    defs={"bool_": "class"})
    core = ModuleInfo("numpy.core", "numpy/core/__init__.py", True, all=None,
                      star_imports=["numpy.core.numerictypes"])
    ma_core = ModuleInfo("numpy.ma.core", "numpy/ma/core.py", False, all=["bool_"],
                         imports={"bool_": ("numpy.core.numerictypes", "bool_")})
    ma = ModuleInfo("numpy.ma", "numpy/ma/__init__.py", True, all=["bool_"],
                    imports={"bool_": ("numpy.ma.core", "bool_")})
    init = ModuleInfo("numpy", "numpy/__init__.py", True, all=None, star_imports=["numpy.core"],
                      imports={"ma": ("numpy.ma", None)})
    idx = build_name_index([nt, core, ma_core, ma, init], ["numpy"])
    assert idx.resolve_text_name("np.bool_") == "numpy.bool_"


def test_pandas_methods_resolve_through_class_public_path():
    frame = ModuleInfo("pandas.core.frame", "pandas/core/frame.py", False, all=None,
                       defs={"DataFrame": "class"}, members={"DataFrame": ["map", "applymap", "apply"]})
    init = ModuleInfo("pandas", "pandas/__init__.py", True, all=["DataFrame"],
                      imports={"DataFrame": ("pandas.core.api", "DataFrame")})
    api = ModuleInfo("pandas.core.api", "pandas/core/api.py", False, all=None,
                     imports={"DataFrame": ("pandas.core.frame", "DataFrame")})
    idx = build_name_index([frame, init, api], ["pandas"])
    assert idx.public_name("pandas.core.frame", "DataFrame.applymap") == "pandas.DataFrame.applymap"
    assert idx.resolve_text_name("map", near="pandas.DataFrame.applymap") == "pandas.DataFrame.map"
    assert idx.resolve_text_name("DataFrame.map") == "pandas.DataFrame.map"


def test_categories_close_over_library_subclasses():
    cats = deprecation_categories(_numpy_like())
    assert {"DeprecationWarning", "FutureWarning", "MyDep", "Deeper"} <= cats
    assert "VisibleDeprecationWarning" not in cats  # a UserWarning by base, matched by name instead


def test_resolve_merges_evidence_and_filters_non_deprecation_warnings():
    mods = _numpy_like()
    idx = build_name_index(mods, ["numpy"])
    findings = [
        RawFinding("warning", "function", "row_stack", "numpy.lib._shape_base_impl",
                   "numpy/lib/_shape_base_impl.py", 610, message="`row_stack` alias is deprecated. Use `np.vstack` directly.",
                   replacement="np.vstack", since="2.0", category="DeprecationWarning"),
        RawFinding("changelog", "function", "numpy.row_stack", "numpy", "doc/2.0.0-notes.rst", 40,
                   version="2.0.0", message="row_stack is deprecated"),
        RawFinding("warning", "function", "column_stack", "numpy.lib._shape_base_impl",
                   "numpy/lib/_shape_base_impl.py", 700, message="odd input", category="RuntimeWarning"),
        RawFinding("changelog", "function", "scipy.integrate.simps", None, "doc/x.rst", 3, version="1.0"),
    ]
    res = resolve_findings(findings, idx, library="numpy", version="2.4.6",
                           categories=deprecation_categories(mods))
    [dep] = res.deprecations
    assert dep.api == "numpy.row_stack" and dep.replacement == "numpy.vstack" and dep.since == "2.0"
    assert sorted(e.kind for e in dep.evidence) == ["changelog", "warning"]
    assert res.dropped == 1  # the scipy name is not numpy's


def test_a_decorator_that_warns_now_outweighs_a_docstrings_later_version():
    """scipy 1.17.1 `nnls`: `.. deprecated:: 1.18.0` on `atol`, while `@_deprecate_positional_args(
    deprecated_args={'atol'})` warns in 1.17.1 itself: deprecated now, not announced for 1.18."""
    mods = _numpy_like()
    idx = build_name_index(mods, ["numpy"])

    def evidence(kind: str, target: str, since: str | None = None, module: str = "numpy.lib._shape_base_impl"):
        return RawFinding(kind, "parameter", target, module, module.replace(".", "/") + ".py",
                          9, message="deprecated", parameter="tup", usage=["any"], since=since)
    res = resolve_findings([evidence("decorator", "row_stack"), evidence("docstring", "row_stack", "2.5"),
                            evidence("docstring", "vstack", "2.5", "numpy._core.shape_base")],
                           idx, library="numpy", version="2.4.6", categories=deprecation_categories(mods))
    assert {d.api: d.since for d in res.deprecations} == {"numpy.row_stack": None, "numpy.vstack": "2.5"}


def test_numpy_1x_star_import_chain_and_all_from_submodule_all():
    """numpy 1.26: numpy/__init__ `from .lib import *`; numpy/lib/__init__ `from .function_base import *`
    and `__all__ += function_base.__all__` -- msort is numpy.msort, not numpy.lib.function_base.msort."""
    from apimigrate.scan.python_source import extract_python
    lib_src = (b"from . import function_base\nfrom .function_base import *\n"
               b"__all__ = ['emath']\n__all__ += function_base.__all__\n")
    lib = extract_python(lib_src, "numpy/lib/__init__.py", "numpy.lib", is_stub=False, is_package=True).module_info
    assert lib.all_from == ["numpy.lib.function_base"]
    fb = ModuleInfo("numpy.lib.function_base", "numpy/lib/function_base.py", False,
                    all=["msort", "sort_complex"], defs={"msort": "function", "sort_complex": "function"})
    init = ModuleInfo("numpy", "numpy/__init__.py", True, star_imports=["numpy.lib"])
    idx = build_name_index([fb, lib, init], ["numpy"])
    assert idx.public_name("numpy.lib.function_base", "msort") == "numpy.msort"
    assert "numpy.lib.msort" in idx.public and "numpy.sort_complex" in idx.public


def _extract(src: str, path: str, module: str):
    from apimigrate.scan.python_source import extract_python
    return extract_python(src.encode(), path, module, is_stub=False, is_package=path.endswith("__init__.py")).module_info


def test_scipy_signal_all_taken_from_other_modules_and_from_dir():
    """scipy 1.17 `signal/__init__.py`: `__all__ = _support_alternative_backends.__all__`, which is
    `_signal_api.__all__`, which is `[s for s in dir() if not s.startswith('_')]` after a row of
    star imports: lombscargle is scipy.signal.lombscargle."""
    init = _extract("from ._support_alternative_backends import *\n"
                    "from . import _support_alternative_backends\n"
                    "__all__ = _support_alternative_backends.__all__\n"
                    "del _support_alternative_backends, _signal_api\n"
                    "from . import spectral\n", "scipy/signal/__init__.py", "scipy.signal")
    backends = _extract("import functools\nfrom ._signal_api import *\nfrom . import _signal_api\n"
                        "__all__ = _signal_api.__all__\n\ndef delegate_xp(d, m):\n    pass\n",
                        "scipy/signal/_support_alternative_backends.py", "scipy.signal._support_alternative_backends")
    api = _extract("from . import _sigtools, windows\nfrom ._spectral_py import *\n"
                   "from ._savitzky_golay import savgol_coeffs\n"
                   "__all__ = [s for s in dir() if not s.startswith('_')]\n",
                   "scipy/signal/_signal_api.py", "scipy.signal._signal_api")
    spectral = _extract("__all__ = ['welch', 'lombscargle']\ndef welch(x):\n    pass\ndef lombscargle(x):\n    pass\n",
                        "scipy/signal/_spectral_py.py", "scipy.signal._spectral_py")
    assert (init.all, init.all_from) == ([], ["scipy.signal._support_alternative_backends"])
    assert sorted(api.all) == ["savgol_coeffs", "windows"]       # and what the star imports bring
    idx = build_name_index([init, backends, api, spectral], ["scipy"])
    assert idx.public_name("scipy.signal._spectral_py", "lombscargle") == "scipy.signal.lombscargle"
    assert "scipy.signal.delegate_xp" not in idx.public          # not in the __all__ it took


def test_an_all_that_is_other_modules_lists_added_up_or_copied():
    assert _extract("from . import _linalg\n__all__ = _linalg.__all__.copy()\n",
                    "numpy/linalg/__init__.py", "numpy.linalg").all_from == ["numpy.linalg._linalg"]
    arff = _extract("from . import _arffread\n__all__ = _arffread.__all__ + ['arffread']\n",
                    "scipy/io/arff/__init__.py", "scipy.io.arff")
    assert (arff.all, arff.all_from) == (["arffread"], ["scipy.io.arff._arffread"])
    mstats = _extract("from . import _a, _b\n__all__ = list(_a.__all__) + _b.__all__\n", "pkg/m.py", "pkg.m")
    assert mstats.all_from == ["pkg._a", "pkg._b"]
    # what cannot be read stays unknown, not empty: the module's public defs are its API then
    assert _extract("__all__ = make_all()\ndef f():\n    pass\n", "pkg/n.py", "pkg.n").all is None
    assert _extract("__all__ = other.__all__\n", "pkg/o.py", "pkg.o").all is None       # not imported


def test_stub_next_to_module_does_not_hide_its_imports():
    """numpy 2.0 ships numpy/__init__.py and numpy/__init__.pyi: both describe module `numpy`."""
    impl = ModuleInfo("numpy.lib._shape_base_impl", "numpy/lib/_shape_base_impl.py", False,
                      all=["row_stack"], defs={"row_stack": "function"})
    py = ModuleInfo("numpy", "numpy/__init__.py", True,
                    imports={"row_stack": ("numpy.lib._shape_base_impl", "row_stack")})
    stub = ModuleInfo("numpy", "numpy/__init__.pyi", True, defs={"ndarray": "class"})
    for order in ([impl, py, stub], [impl, stub, py]):
        idx = build_name_index(order, ["numpy"])
        assert idx.public_name("numpy.lib._shape_base_impl", "row_stack") == "numpy.row_stack"
        assert "numpy.ndarray" in idx.public


def test_release_note_names_gone_from_the_code_go_under_the_owner_the_code_still_has():
    """numpy's notes write removed names under short owners ("``arrayprint.ComplexFormat``",
    "``NpzFile.iteritems()``"); the row is the owner's real path, not a made-up `numpy.arrayprint`."""
    arrayprint = ModuleInfo("numpy.core.arrayprint", "numpy/core/arrayprint.py", False, all=["array2string"],
                            defs={"array2string": "function", "FloatingFormat": "class"})
    core = ModuleInfo("numpy.core", "numpy/core/__init__.py", True, all=[],
                      imports={"arrayprint": ("numpy.core.arrayprint", None)})
    impl = ModuleInfo("numpy.lib._npyio_impl", "numpy/lib/_npyio_impl.py", False, all=["load"],
                      defs={"load": "function", "NpzFile": "class"})
    npyio = ModuleInfo("numpy.lib.npyio", "numpy/lib/npyio.py", False, all=None,
                       imports={"NpzFile": ("numpy.lib._npyio_impl", "NpzFile")})
    init = ModuleInfo("numpy", "numpy/__init__.py", True, all=["ndarray", "polynomial"], defs={"ndarray": "class"},
                      imports={"polynomial": ("numpy.polynomial", None)})
    poly = ModuleInfo("numpy.polynomial", "numpy/polynomial/__init__.py", True, all=[])
    mods = [arrayprint, core, impl, npyio, init, poly]
    idx = build_name_index(mods, ["numpy"])

    def note(target: str, kind: str = "class", parameter: str | None = None) -> RawFinding:
        return RawFinding("changelog", kind, target, "numpy", "doc/source/release/1.18.0-notes.rst", 1,
                          version="1.18.0", removed=True, parameter=parameter)

    res = resolve_findings([note("arrayprint.ComplexFormat"), note("NpzFile.iteritems", "method"),
                            note("ndarray.newbyteorder", "method"), note("Gone.attr", "attribute"),
                            note("numpy.polynomial", "parameter", "PolyError")],
                           idx, library="numpy", version="1.26.4", categories=set())
    assert sorted(d.api for d in res.deprecations) == [
        "numpy.Gone.attr",                               # no owner known anywhere: as the note writes it
        "numpy.core.arrayprint.ComplexFormat",           # the one module named `arrayprint`
        "numpy.lib.npyio.NpzFile.iteritems",             # defined privately, imported by a public module
        "numpy.ndarray.newbyteorder"]                    # the owner is known: unchanged
    assert res.dropped == 1                              # a module takes no keyword arguments


def test_a_base_with_no_public_path_is_named_where_it_is_defined():
    """pandas' `datetimelike` imports `NDArrayBackedExtensionArray` from the private `_mixins`: the
    base must be named as that class's own entry is, or `PeriodArray`'s MRO stops there."""
    mixins = ModuleInfo("pandas.core.arrays._mixins", "pandas/core/arrays/_mixins.py", False, all=None,
                        defs={"NDArrayBackedExtensionArray": "class"},
                        bases={"NDArrayBackedExtensionArray": ["ExtensionArray"]},
                        imports={"ExtensionArray": ("pandas.core.arrays.base", "ExtensionArray")})
    base = ModuleInfo("pandas.core.arrays.base", "pandas/core/arrays/base.py", False, all=["ExtensionArray"],
                      defs={"ExtensionArray": "class"}, bases={"ExtensionArray": []})
    dtl = ModuleInfo("pandas.core.arrays.datetimelike", "pandas/core/arrays/datetimelike.py", False, all=None,
                     defs={"DatetimeLikeArrayMixin": "class"},
                     bases={"DatetimeLikeArrayMixin": ["OpsMixin", "NDArrayBackedExtensionArray"]},
                     imports={"NDArrayBackedExtensionArray": ("pandas.core.arrays._mixins",
                                                              "NDArrayBackedExtensionArray")})
    idx = build_name_index([mixins, base, dtl], ["pandas"])
    bases = idx.class_bases()
    assert bases["pandas.core.arrays.datetimelike.DatetimeLikeArrayMixin"] == [
        "pandas.core.arrays.datetimelike.OpsMixin",        # unknown anywhere: named as written here
        "pandas.core.arrays._mixins.NDArrayBackedExtensionArray"]
    assert bases["pandas.core.arrays._mixins.NDArrayBackedExtensionArray"] == ["pandas.core.arrays.base.ExtensionArray"]


def test_a_name_the_module_deletes_is_no_path_to_what_it_was():
    """numpy 1.26's ``__init__`` star-imports ``numpy.core`` (which has compat's ``long``) and then
    ``del long, unicode``: ``numpy.long`` is no public path to ``numpy.compat.long``, so the
    ``__getattr__`` warning for ``np.long`` stays ``numpy.long``. scipy's subpackages
    ``del PytestTester`` after ``test = PytestTester(__name__)`` likewise."""
    init = extract_python(textwrap.dedent('''
        try:
            __NUMPY_SETUP__
        except NameError:
            __NUMPY_SETUP__ = False
        if __NUMPY_SETUP__:
            pass
        else:
            from .core import *
            from . import compat
            del long, unicode
            from ._helper import PytestTester as Tester
            del Tester
            from ._helper import kept
            del kept
            from ._helper import kept
            def later(): pass
            del later.__doc__, compat.thing
    ''').encode(), "numpy/__init__.py", "numpy", is_package=True).module_info
    assert init.deleted == ["long", "unicode", "Tester"]
    py3k = ModuleInfo("numpy.compat.py3k", "numpy/compat/py3k.py", False, all=["long", "unicode"],
                      defs={"long": "attribute", "unicode": "attribute"})
    compat = ModuleInfo("numpy.compat", "numpy/compat/__init__.py", True, all=None,
                        star_imports=["numpy.compat.py3k"])
    core = ModuleInfo("numpy.core", "numpy/core/__init__.py", True, all=None,
                      imports={"long": ("numpy.compat.py3k", "long")})
    idx = build_name_index([py3k, compat, core, init], ["numpy"])
    assert "numpy.long" not in idx.public and "numpy.unicode" not in idx.public
    assert idx.origin("numpy", "long") == ("numpy", "long")
    assert idx.public_name("numpy", "long") == "numpy.long"
    assert idx.public_name("numpy.compat.py3k", "long") == "numpy.compat.long"


def test_a_bare_name_is_a_member_the_class_inherits_before_another_classes():
    """pandas 2.2: "Series.view is deprecated ... Use ``astype``": Series inherits astype from
    NDFrame, whose path is private, while Index defines its own; the advice is Series.astype."""
    generic = ModuleInfo("pandas.core.generic", "pandas/core/generic.py", False, all=None,
                         defs={"NDFrame": "class"}, members={"NDFrame": ["astype", "bool"]})
    series = ModuleInfo("pandas.core.series", "pandas/core/series.py", False, all=None,
                        defs={"Series": "class"}, members={"Series": ["view"]},
                        bases={"Series": ["NDFrame"]},
                        imports={"NDFrame": ("pandas.core.generic", "NDFrame")})
    base = ModuleInfo("pandas.core.indexes.base", "pandas/core/indexes/base.py", False, all=None,
                      defs={"Index": "class"}, members={"Index": ["astype", "view"]})
    init = ModuleInfo("pandas", "pandas/__init__.py", True, all=["Series", "Index"],
                      imports={"Series": ("pandas.core.series", "Series"),
                               "Index": ("pandas.core.indexes.base", "Index")})
    idx = build_name_index([generic, series, base, init], ["pandas"])
    assert "pandas.Series.astype" not in idx.public            # inherited: no path of its own
    assert idx.resolve_text_name("``astype``", near="pandas.Series.view") == "pandas.Series.astype"
    assert idx.resolve_text_name("``astype``", near="pandas.Index.view") == "pandas.Index.astype"
    assert idx.resolve_text_name("``nothing_like_it``", near="pandas.Series.view") is None


def test_a_star_import_binds_only_what_the_module_exports():
    # scipy 1.17's scipy/sparse/linalg/__init__.py: `from ._matfuncs import *`, where _matfuncs imports
    # `solve` from scipy.linalg but its __all__ is ['expm', ...]: `scipy.sparse.linalg.solve` is no
    # attribute, and scipy 1.8's notes naming that path were taken for the live `scipy.linalg.solve`
    basic = ModuleInfo("scipy.linalg._basic", "scipy/linalg/_basic.py", False, all=["solve"],
                       defs={"solve": "function"})
    linalg = ModuleInfo("scipy.linalg", "scipy/linalg/__init__.py", True, all=None,
                        imports={"solve": ("scipy.linalg._basic", "solve")})
    matfuncs = ModuleInfo("scipy.sparse.linalg._matfuncs", "scipy/sparse/linalg/_matfuncs.py", False,
                          all=["expm"], defs={"expm": "function"}, imports={"solve": ("scipy.linalg", "solve")})
    iterative = ModuleInfo("scipy.sparse.linalg._iterative", "scipy/sparse/linalg/_iterative.py", False,
                           all=None, defs={"cg": "function", "_helper": "function"})
    sparse_linalg = ModuleInfo("scipy.sparse.linalg", "scipy/sparse/linalg/__init__.py", True, all=None,
                               star_imports=["scipy.sparse.linalg._matfuncs", "scipy.sparse.linalg._iterative"])
    idx = build_name_index([basic, linalg, matfuncs, iterative, sparse_linalg], ["scipy"])
    assert idx.public_name("scipy.sparse.linalg", "solve") == "scipy.sparse.linalg.solve"
    assert idx.resolve_text_name("scipy.sparse.linalg.solve") == "scipy.sparse.linalg.solve"
    # what the star import binds: the __all__ it lists, else the public names
    assert idx.public_name("scipy.sparse.linalg._matfuncs", "expm") == "scipy.sparse.linalg.expm"
    assert idx.resolve_text_name("scipy.sparse.linalg.cg") == "scipy.sparse.linalg.cg"


def test_a_star_import_of_a_module_without_all_binds_what_it_imports_too():
    # torch 2.13's torch/quantization/quantize.py (no __all__) imports `prepare` & co. from
    # torch.ao.quantization.quantize, and torch/quantization/__init__.py star-imports it: as in Python,
    # `torch.quantization.prepare` is that function
    ao_quantize = ModuleInfo("torch.ao.quantization.quantize", "torch/ao/quantization/quantize.py", False,
                             all=["prepare"], defs={"prepare": "function"})
    legacy = ModuleInfo("torch.quantization.quantize", "torch/quantization/quantize.py", False, all=None,
                        imports={"prepare": ("torch.ao.quantization.quantize", "prepare")},
                        star_imports=["torch.quantization.quantize_jit"])
    jit = ModuleInfo("torch.quantization.quantize_jit", "torch/quantization/quantize_jit.py", False, all=None,
                     defs={"convert_jit": "function"})
    package = ModuleInfo("torch.quantization", "torch/quantization/__init__.py", True, all=None,
                         star_imports=["torch.quantization.quantize"])
    idx = build_name_index([ao_quantize, legacy, jit, package], ["torch"])
    assert idx.public_name("torch.quantization", "prepare") == idx.public_name("torch.ao.quantization.quantize",
                                                                               "prepare")
    # and what it star-imports in turn
    assert idx.origin("torch.quantization", "convert_jit") == ("torch.quantization.quantize_jit", "convert_jit")
