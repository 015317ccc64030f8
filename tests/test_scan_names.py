"""Public-name resolution over module facts shaped like numpy's and pandas' real layouts."""
from apimigrate.scan.model import ModuleInfo, RawFinding
from apimigrate.scan.names import build_name_index
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
    assert idx.resolve_text_name("nonexistent") is None              # never invented
    assert idx.resolve_text_name("use it") is None


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
