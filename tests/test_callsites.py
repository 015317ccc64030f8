"""The call-site resolver on real tree-sitter parses, with an index built from a real DB file."""
from __future__ import annotations

import pytest

from apimigrate.callsites import (BY_NAME_FACTOR, DeprecationIndex, Edit, apply_edits, find_references,
                                  parse, resolve_line_apis)
from test_callsites_support import build_db, db_rows


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> DeprecationIndex:
    db = build_db(tmp_path_factory.mktemp("db") / "kb.sqlite")
    return DeprecationIndex.from_rows(db_rows(db))


def refs(src: str, index: DeprecationIndex):
    return [(r.line, r.col, r.kind, r.api) for r in find_references(src, index)]


def fixed(src: str, index: DeprecationIndex) -> str:
    edits = [e for r in find_references(src, index) if r.rewrite for e in r.rewrite.edits]
    return apply_edits(src, edits)


def test_index_lookups(index):
    assert index.lookup("numpy.row_stack")["replacement"] == "numpy.vstack"
    assert index.lookup("numpy.vstack") is None
    assert set(index.parameters("pandas.read_csv")) == {"delim_whitespace", "squeeze"}
    assert index.method("applymap", {"pandas"})["api"] == "pandas.DataFrame.applymap"
    assert index.method("applymap", {"numpy"}) is None           # library not imported
    assert index.method("iteritems", {"pandas"}) is None          # Series and DataFrame: ambiguous
    assert {"numpy", "pandas", "scipy", "sklearn", "matplotlib"} <= index.libraries


def test_aliases_calls_and_bare_references(index):
    src = (
        "import numpy as np\n"
        "import scipy.integrate as si\n"
        "from numpy import row_stack as rs\n"
        "a = np.row_stack([x, y])\n"
        "f = np.product\n"
        "rs(a)\n"
        "si.simps(y)\n"
        "v = np.NaN\n"
    )
    assert refs(src, index) == [
        (2, 18, "import", "numpy.row_stack"),
        (3, 4, "call", "numpy.row_stack"),
        (4, 4, "reference", "numpy.product"),
        (5, 0, "call", "numpy.row_stack"),
        (6, 0, "call", "scipy.integrate.simps"),
        (7, 4, "reference", "numpy.NaN"),
    ]


def test_dotted_imports_attribute_chains_and_class_alias(index):
    src = (
        "import scipy.integrate\n"
        "import numpy\n"
        "from pandas import DataFrame as DF\n"
        "scipy.integrate.simps(y)\n"
        "numpy.core.multiarray.array\n"
        "DF.applymap(frame, str)\n"
    )
    found = find_references(src, index)
    assert [(r.line, r.kind, r.api) for r in found] == [
        (3, "call", "scipy.integrate.simps"),
        (4, "attribute", "numpy.core"),
        (5, "call", "pandas.DataFrame.applymap"),
    ]
    # Resolved through the import, not by name: full confidence.
    assert not found[2].by_name and found[2].confidence == found[2].row["confidence"]
    assert (found[1].end_line, found[1].end_col) == (4, 10)     # the span is `numpy.core`


def test_imports_inside_functions(index):
    src = (
        "def f(a):\n"
        "    import numpy as q\n"
        "    return q.row_stack(a)\n"
        "def g(a):\n"
        "    return q.row_stack(a)\n"          # q is not bound here
    )
    assert refs(src, index) == [(2, 11, "call", "numpy.row_stack")]


def test_deprecated_names_in_import_statements(index):
    src = (
        "from numpy import product, array\n"
        "import scipy.integrate.quadpack\n"
        "from scipy.integrate.quadpack import quad\n"
        "from pandas.io.json import json_normalize\n"
    )
    assert refs(src, index) == [
        (0, 18, "import", "numpy.product"),
        (1, 7, "import", "scipy.integrate.quadpack"),
        (2, 5, "import", "scipy.integrate.quadpack"),
        (3, 27, "import", "pandas.io.json.json_normalize"),
    ]


def test_keyword_arguments_of_parameter_deprecations(index):
    src = (
        "import pandas as pd\n"
        "from sklearn.metrics import roc_auc_score\n"
        "df = pd.read_csv(path, delim_whitespace=True, sep=',')\n"
        "roc_auc_score(y, y_true_x=p)\n"
        "other(delim_whitespace=True)\n"
    )
    found = find_references(src, index)
    assert [(r.line, r.col, r.kind, r.api, r.parameter) for r in found] == [
        (2, 23, "keyword", "pandas.read_csv", "delim_whitespace"),
        (3, 17, "keyword", "sklearn.metrics.roc_auc_score", "y_true_x"),
    ]
    assert found[0].rewrite is None                  # no new name known: not rewritable
    assert found[1].rewrite.edits == [Edit(3, 17, 3, 25, "y_score")]
    assert "parameter 'y_true_x' of sklearn.metrics.roc_auc_score" in found[1].message


def test_methods_on_unknown_values_match_by_name(index):
    src = "import pandas as pd\ndf = pd.read_csv(p)\ndf.applymap(str)\nx = df.applymap\ndf.fillna(method='ffill')\n"
    found = find_references(src, index)
    assert [(r.line, r.kind, r.api, r.by_name) for r in found] == [
        (2, "call", "pandas.DataFrame.applymap", True),
        (3, "attribute", "pandas.DataFrame.applymap", True),
        (4, "keyword", "pandas.DataFrame.fillna", True),
    ]
    assert all(r.rewrite is None for r in found)     # a guess about the type is never rewritten
    assert found[0].confidence == pytest.approx(found[0].row["confidence"] * BY_NAME_FACTOR, abs=1e-4)
    # Without pandas imported, or for a name two classes share, nothing is reported.
    assert refs("df.applymap(str)\n", index) == []
    assert refs("import pandas as pd\ns.iteritems()\n", index) == []


def test_a_member_named_like_a_builtin_method_is_not_matched_by_name(tmp_path):
    # pandas 2.2 deprecates StataReader.close and Index.format; by name, `fh.close()` and
    # `template.format(...)` in a file importing pandas are a file and a string.
    rows = [("pandas.io.stata.StataReader.close", "method", None, "2.0.0", None, None, None, ("warning",)),
            ("pandas.Index.format", "method", None, "2.2.0", None, None, None, ("warning",)),
            ("pandas.Series.ravel", "method", None, "2.2.0", None, None, None, ("warning",))]
    index = DeprecationIndex.from_rows(db_rows(build_db(tmp_path / "kb.sqlite", rows)))
    src = ("import pandas as pd\nfh = open(p)\nfh.close()\nmsg = template.format(x=1)\n"
           "pd.io.stata.StataReader.close(reader)\ns.ravel()\n")
    assert refs(src, index) == [(4, 0, "call", "pandas.io.stata.StataReader.close"),
                                (5, 2, "call", "pandas.Series.ravel")]


def test_shadowed_names_are_not_reported(index):
    src = (
        "import numpy as np\n"
        "from numpy import product\n"
        "def local(np):\n"
        "    return np.row_stack(a)\n"          # a parameter called np
        "def assigned():\n"
        "    np = make()\n"
        "    return np.row_stack(a)\n"
        "lam = lambda np: np.row_stack(a)\n"
        "comp = [np.row_stack(a) for np in things]\n"
        "def product(x):\n"                     # a local def product hides the import
        "    return x\n"
        "product(3)\n"
        "np.row_stack(a)\n"                     # still numpy here
    )
    assert refs(src, index) == [(1, 18, "import", "numpy.product"), (12, 0, "call", "numpy.row_stack")]


def test_flow_order_and_import_fallbacks(index):
    src = (
        "try:\n"
        "    import numpy as np\n"
        "except ImportError:\n"
        "    np = None\n"                      # a fallback does not hide the import
        "np.row_stack(a)\n"
        "np = something_else()\n"
        "np.row_stack(a)\n"                     # rebound: no longer numpy
        "class K:\n"
        "    np = 1\n"
        "    def m(self):\n"
        "        return np.row_stack(a)\n"      # class attributes are not visible in methods
    )
    assert refs(src, index) == [(4, 0, "call", "numpy.row_stack")]


def test_a_module_level_use_above_the_only_import_is_unbound(index):
    # Whether a second binding of `np` exists elsewhere must not change this (the LSP's
    # region re-check relies on it): above the import a top-level use is unbound, a use
    # in a function body runs later and sees the import.
    src = (
        "np.row_stack(a)\n"
        "def early():\n"
        "    return np.row_stack(a)\n"
        "import numpy as np\n"
        "np.row_stack(a)\n"
    )
    want = [(2, 11, "call", "numpy.row_stack"), (4, 0, "call", "numpy.row_stack")]
    assert refs(src, index) == want
    assert refs(src + "def other(np):\n    return np\n", index) == want


def test_strings_comments_and_other_attributes_are_ignored(index):
    src = (
        "import numpy as np\n"
        "# np.row_stack(a) in a comment\n"
        "s = 'np.row_stack(a)'\n"
        "obj.np.row_stack(a)\n"
        "f(np=1)\n"
        "np.row_stacked(a)\n"
    )
    assert refs(src, index) == []


def test_columns_count_characters_not_bytes(index):
    src = "import numpy as np\ns = 'é€'; np.row_stack(a)\n"
    (ref,) = find_references(src, index)
    assert (ref.line, ref.col, ref.end_col) == (1, 10, 22)
    assert src.splitlines()[1][ref.col:ref.end_col] == "np.row_stack"
    assert fixed(src, index).splitlines()[1] == "s = 'é€'; np.vstack(a)"


def test_same_owner_rename_and_moved_names(index):
    src = (
        "import numpy as np\n"
        "import pandas as pd\n"
        "a = np.row_stack([x, y])  # keep\n"
        "b = pd.io.json.json_normalize(d)\n"
        "c = np.msort(a)\n"
    )
    assert fixed(src, index) == (
        "import numpy as np\n"
        "import pandas as pd\n"
        "a = np.vstack([x, y])  # keep\n"
        "b = pd.json_normalize(d)\n"
        "c = np.msort(a)\n"                     # no replacement known: left alone
    )


def test_from_import_renames_the_name_and_its_uses(index):
    src = "from numpy import product, array\nproduct(a)\nf = product\ndef g(product):\n    return product\n"
    assert fixed(src, index) == (
        "from numpy import prod, array\nprod(a)\nf = prod\ndef g(product):\n    return product\n")


def test_from_import_keeps_an_alias_when_the_new_name_is_taken(index):
    src = "from numpy import product\nprod = 3\nproduct(a)\n"
    assert fixed(src, index) == "from numpy import prod as product\nprod = 3\nproduct(a)\n"


def test_moved_from_import_and_module_alias(index):
    src = (
        "from pandas.io.json import json_normalize\n"
        "import scipy.integrate.quadpack as qp\n"
        "json_normalize(d)\n"
        "qp.quad(f, 0, 1)\n"
    )
    assert fixed(src, index) == (
        "from pandas import json_normalize\n"
        "import scipy.integrate as qp\n"
        "json_normalize(d)\n"
        "qp.quad(f, 0, 1)\n"
    )


def test_moved_name_out_of_a_shared_import_adds_an_import(index):
    src = "from pandas.io.json import json_normalize, read_json  # io\njson_normalize(d)\n"
    assert fixed(src, index) == (
        "from pandas.io.json import read_json  # io\nfrom pandas import json_normalize\njson_normalize(d)\n")


def test_replacement_without_an_import_to_spell_it_adds_one(index):
    src = "import matplotlib.cm as cm\ncmap = cm.get_cmap('viridis')\n"
    assert fixed(src, index) == (
        "import matplotlib.cm as cm\nfrom matplotlib.colormaps import get_cmap\ncmap = get_cmap('viridis')\n")


def test_apply_edits_dedups_identical_and_rejects_overlaps():
    src = "ab\ncd\n"
    add = Edit(0, 2, 0, 2, "\nimport x")
    assert apply_edits(src, [add, Edit(1, 0, 1, 1, "C"), add]) == "ab\nimport x\nCd\n"
    with pytest.raises(ValueError):
        apply_edits(src, [Edit(0, 0, 0, 2, "x"), Edit(0, 1, 1, 1, "y")])


def test_incremental_reparse_gives_the_same_references(index):
    old_src = b"import numpy as np\nx = np.prod(a)\n"
    tree = parse(old_src)
    new_src = b"import numpy as np\nx = np.row_stack(a)\n"
    start = old_src.index(b"prod")
    tree.edit(start_byte=start, old_end_byte=start + 4, new_end_byte=start + 9,
              start_point=(1, 7), old_end_point=(1, 11), new_end_point=(1, 16))
    new_tree = parse(new_src, tree)
    assert refs(new_src, index) == [(1, 4, "call", "numpy.row_stack")]
    assert [(r.line, r.col) for r in find_references(new_src, index, tree=new_tree)] == [(1, 4)]


def test_resolve_line_apis(index):
    ctx = "import numpy as np\nfrom pandas import DataFrame as DF\nimport scipy.integrate\n"
    assert resolve_line_apis(ctx, "x = np.vstack([a, b])") == {"numpy", "numpy.vstack"}
    assert resolve_line_apis(ctx, "y = scipy.integrate.simpson(v)") == {
        "scipy", "scipy.integrate", "scipy.integrate.simpson"}
    assert resolve_line_apis(ctx, "DF(d).to_numpy()") == {"pandas.DataFrame"}
    assert resolve_line_apis(ctx, "out = df.applymap(f)") == set()
    assert resolve_line_apis(ctx, "out = df.applymap(f)", index) == {"pandas.DataFrame.applymap"}
    assert resolve_line_apis("import numpy as np\ndef f(np):\n", "    return np.row_stack(a)") == set()


def test_builtin_replacements_are_spelled_bare_where_the_name_is_free():
    row = {"id": 1, "library": "numpy", "api": "numpy.float", "kind": "attribute", "parameter": "",
           "new_parameter": None, "replacement": "builtins.float", "since": "1.20", "removed_in": None,
           "message": "`np.float` was a deprecated alias for the builtin `float`.", "confidence": 0.9,
           "drop_in": 1}
    idx = DeprecationIndex.from_rows([row])
    src = (
        "import numpy as np\n"
        "x = np.float(3)\n"
        "ok = isinstance(x, np.float)\n"
        "def f(float):\n"
        "    return np.float(float)\n"           # the parameter hides the builtin here
        "def g():\n"
        "    return np.float\n"
    )
    assert fixed(src, idx) == src.replace("x = np.float(3)", "x = float(3)").replace(
        "(x, np.float)", "(x, float)").replace("    return np.float\n", "    return float\n")
    assert len(find_references(src, idx)) == 4               # all reported, one not fixable
    rebound = "import numpy as np\nfloat = int\ny = np.float(1)\n"
    assert [r.rewrite for r in find_references(rebound, idx)] == [None]
    imported = "from numpy import float\ny = float(1)\n"     # no exact rewrite of the import
    assert all(r.rewrite is None for r in find_references(imported, idx))
    assert fixed(fixed(src, idx), idx) == fixed(src, idx)


def test_two_keywords_merged_into_one_are_reported_not_renamed():
    # pandas 3.1 DataFrame.join: "The 'lsuffix' and 'rsuffix' keywords ... Use the 'suffixes' keyword
    # instead": suffixes=(l, r) is no rename of either; `squeeze` -> `squeeze_axis` alone still is.
    def param(i, name, new, position):
        return {"id": i, "library": "pandas", "api": "pandas.merge_like", "kind": "parameter", "parameter": name,
                "new_parameter": new, "replacement": None, "since": "3.1", "removed_in": None, "message": "m",
                "confidence": 0.9, "usage": "any", "position": position}
    idx = DeprecationIndex.from_rows([param(1, "lsuffix", "suffixes", 3), param(2, "rsuffix", "suffixes", 4),
                                      param(3, "squeeze", "squeeze_axis", 5)])
    src = "import pandas as pd\npd.merge_like(a, b, lsuffix='_l', rsuffix='_r', squeeze=True)\n"
    found = find_references(src, idx)
    assert [r.parameter for r in found] == ["lsuffix", "rsuffix", "squeeze"]
    assert fixed(src, idx) == src.replace("squeeze=", "squeeze_axis=")


def test_a_replacement_in_a_module_nothing_imports_is_imported_by_name():
    """pydantic 2's `pydantic.utils.deep_update` is `pydantic.v1.utils.deep_update`: spelled through
    `import pydantic.utils` as `pydantic.v1.utils.deep_update(...)` it raised AttributeError, since
    nothing imported `pydantic.v1.utils`. The rewrite imports the name from its module instead,
    once for every use; a module the file imports, or the use went through, is spelled as before."""
    row = {"id": 1, "library": "pydantic", "api": "pydantic.utils.deep_update", "kind": "function",
           "parameter": "", "new_parameter": None, "replacement": "pydantic.v1.utils.deep_update", "since": "2.0",
           "removed_in": None, "message": "moved", "confidence": 0.9, "drop_in": 1}
    idx = DeprecationIndex.from_rows([row])
    src = ("import pydantic.utils\nfrom pydantic import utils as u\n\n"
           "x = pydantic.utils.deep_update(a, b)\ny = u.deep_update(a, b)\n")
    assert fixed(src, idx) == ("import pydantic.utils\nfrom pydantic.v1.utils import deep_update\n"
                               "from pydantic import utils as u\n\nx = deep_update(a, b)\ny = deep_update(a, b)\n")
    guarded = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pydantic import BaseModel\n"
               "import pydantic.utils\nx = pydantic.utils.deep_update(a, b)\n")
    # never under `if TYPE_CHECKING:` (or in a `try:`), which may not run
    assert fixed(guarded, idx) == ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pydantic import BaseModel\n"
                                   "import pydantic.utils\nfrom pydantic.v1.utils import deep_update\n"
                                   "x = deep_update(a, b)\n")
    imported = "import pydantic.v1.utils\nimport pydantic.utils\nx = pydantic.utils.deep_update(a, b)\n"
    assert fixed(imported, idx) == ("import pydantic.v1.utils\nimport pydantic.utils\n"
                                    "x = pydantic.v1.utils.deep_update(a, b)\n")
