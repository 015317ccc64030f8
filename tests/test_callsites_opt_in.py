"""Uses that already follow the warning's advice to set an option are no findings (callsites/opt_in.py).

pandas 3.1 deprecates `infer_freq` returning a string and tells users to set
`future.infer_freq_returns_offset`; statsmodels 0.15 and xarray 2026.9 do, and `apimigrate check`
flagged their calls anyway (benchmarks/check_audit.py).
"""
from __future__ import annotations

from apimigrate.callsites import DeprecationIndex, find_references, parse
from apimigrate.lsp.checker import Checker
from apimigrate.lsp.documents import Document
from apimigrate.lsp.inert import index_words
from test_lsp_inert import _change_at, _key

# pandas/tseries/frequencies.py's `.. deprecated:: 3.1.0` as the scan stores it
MESSAGE = ("A future version of pandas will return a :class:`BaseOffset` instead of a string. Use "
           "``pd.set_option('future.infer_freq_returns_offset', True)`` to opt in to the future behavior.")
ROWS = [{"id": 1, "library": "pandas", "api": "pandas.infer_freq", "kind": "function", "parameter": "",
         "new_parameter": None, "replacement": None, "since": "3.1.0", "removed_in": None, "message": MESSAGE,
         "confidence": 0.6},
        {"id": 2, "library": "numpy", "api": "numpy.row_stack", "kind": "function", "parameter": "",
         "new_parameter": None, "replacement": "numpy.vstack", "since": "2.0", "removed_in": None,
         "message": "row_stack is deprecated, use vstack", "confidence": 0.9}]
INDEX = DeprecationIndex.from_rows(ROWS)


def lines(src: str) -> list[int]:
    return [r.line for r in find_references(src, INDEX)]


def test_a_use_under_the_option_the_message_names_is_no_finding() -> None:
    src = ("import pandas as pd\n"
           "from statsmodels.compat.pandas import _infer_freq_returns_offset\n"
           "a = pd.infer_freq(x)\n"                                                      # 2
           "with pd.option_context('future.infer_freq_returns_offset', True):\n"
           "    b = pd.infer_freq(x)\n"                                                  # 4: opted in
           "with pd.option_context({'future.infer_freq_returns_offset': True}):\n"
           "    c = pd.infer_freq(x)\n"                                                  # 6: the dict form
           "with _infer_freq_returns_offset():\n"
           "    d = pd.infer_freq(x)\n"                                                  # 8: a helper named after it
           "with pd.option_context('display.width', 80), open(p):\n"
           "    e = pd.infer_freq(x)\n"                                                  # 10: another option
           "with open(pd.infer_freq(x)):\n"                                              # 11: the clause, not the body
           "    pass\n")
    assert lines(src) == [2, 10, 11]
    # each row its own option: pandas' does not cover numpy's
    assert lines("import numpy as np\nimport pandas as pd\n"
                 "with pd.option_context('future.infer_freq_returns_offset', True):\n"
                 "    np.row_stack(a)\n    pd.infer_freq(x)\n") == [3]


def test_only_the_librarys_own_opt_in_before_the_use_counts() -> None:
    """A review's cases: False keeps the old behaviour (pandas' `future.no_silent_downcasting` still
    warns then), another library's `set_option` sets nothing of pandas', a `set_option` after the
    use comes too late, and an option a message offers as the replacement is no opt-in."""
    assert lines("import pandas as pd\nwith pd.option_context('future.infer_freq_returns_offset', False):\n"
                 "    f = pd.infer_freq(x)\n") == [2]
    assert lines("import pandas as pd\nimport polars as pl\npl.set_option('future.infer_freq_returns_offset', True)\n"
                 "f = pd.infer_freq(x)\n") == [3]
    assert lines("import pandas as pd\nf = pd.infer_freq(x)\npd.set_option('future.infer_freq_returns_offset', True)\n"
                 ) == [1]
    assert lines("from pandas import option_context, infer_freq\n"
                 "with option_context('future.infer_freq_returns_offset', True):\n    infer_freq(x)\n") == [0]  # the import
    offered = [{**ROWS[0], "api": "pandas.set_eng_float_format", "replacement": "pandas.set_option",
                "message": "set_eng_float_format is deprecated. Use pd.set_option('display.precision', N) to "
                           "control decimal precision."}]
    index = DeprecationIndex.from_rows(offered)
    assert [r.line for r in find_references("import pandas as pd\npd.set_option('display.precision', 2)\n"
                                            "pd.set_eng_float_format(3)\n", index)] == [2]
    # a message that offers False too: either value silences it
    both = [{**ROWS[0], "message": MESSAGE + " Or set it to False to keep the old behavior and silence this warning."}]
    assert [r.line for r in find_references("import pandas as pd\nwith pd.option_context("
                                            "'future.infer_freq_returns_offset', False):\n    pd.infer_freq(x)\n",
                                            DeprecationIndex.from_rows(both))] == []


def test_setting_the_option_at_module_level_covers_the_module() -> None:
    src = "import pandas as pd\npd.set_option('future.infer_freq_returns_offset', True)\nf = pd.infer_freq(x)\n"
    assert lines(src) == []
    assert lines(src.replace("future.infer_freq_returns_offset", "display.width")) == [2]
    # set inside a function: only that call's run is covered, which the scan cannot see; still flagged
    assert lines("import pandas as pd\ndef g():\n    pd.set_option('future.infer_freq_returns_offset', True)\n"
                 "f = pd.infer_freq(x)\n") == [3]


def test_editing_the_option_or_the_helper_is_never_inert() -> None:
    words = index_words(INDEX)
    assert {"infer_freq_returns_offset", "_infer_freq_returns_offset", "future", "option_context"} <= words
    src = ("import pandas as pd\nwith _infer_freq_returns_offse():\n    d = pd.infer_freq(x)\n"
           "with pd.option_context('future.infer_freq_returns_offse', True):\n    b = pd.infer_freq(x)\n")
    checker = Checker()
    doc = Document.from_text("file:///o.py", 0, src)
    assert len(checker.references_now(doc.uri, doc.source, doc.take_pending(), INDEX)) == 2
    helper, option = src.index("offse(") + 5, src.index("offse'") + 5
    for version, (pos, expected) in enumerate([(helper, 1), (option + 1, 0)], 1):
        doc.apply(_change_at(doc, pos, pos, "t"), version)
        got = checker.references_now(doc.uri, doc.source, doc.take_pending(), INDEX)
        assert _key(got) == _key(find_references(doc.source, INDEX, tree=parse(doc.source)))
        assert len(got) == expected


def test_typing_a_module_level_set_option_re_resolves_the_whole_file() -> None:
    """The editor re-resolves only the statements an edit touched when the rest cannot change
    (lsp/region.py); a module-level `set_option` changes every use in the file."""
    src = "import pandas as pd\n\n\ndef g(x):\n    return pd.infer_freq(x)\n"
    checker = Checker()
    doc = Document.from_text("file:///m.py", 0, src)
    assert len(checker.references_now(doc.uri, doc.source, doc.take_pending(), INDEX)) == 1
    at = src.index("\n\n") + 1
    doc.apply(_change_at(doc, at, at, "pd.set_option('future.infer_freq_returns_offset', True)\n"), 1)
    got = checker.references_now(doc.uri, doc.source, doc.take_pending(), INDEX)
    assert got == [] and _key(got) == _key(find_references(doc.source, INDEX, tree=parse(doc.source)))
    at2 = doc.source.decode().index("set_option")       # and back: `get_option` sets nothing
    doc.apply(_change_at(doc, at2, at2 + len("set_option"), "get_option"), 2)
    got = checker.references_now(doc.uri, doc.source, doc.take_pending(), INDEX)
    assert len(got) == 1 and _key(got) == _key(find_references(doc.source, INDEX, tree=parse(doc.source)))


def test_the_finding_says_which_option_opts_in() -> None:
    # the row names no replacement: the advice is the option (`check` said only "is deprecated since 3.1.0")
    [ref] = find_references("import pandas as pd\nf = pd.infer_freq(x)\n", INDEX)
    assert ref.message == ("pandas.infer_freq is deprecated since 3.1.0; to opt in to the future behaviour, "
                           "set the option 'future.infer_freq_returns_offset' to True")
    # a replacement is the advice where there is one
    [ref] = find_references("import numpy as np\nnp.row_stack(a)\n", INDEX)
    assert ref.message == "numpy.row_stack is deprecated since 2.0; use numpy.vstack"
