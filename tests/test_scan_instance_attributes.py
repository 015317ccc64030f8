"""Attributes a class's methods set on the instance (`self.alphas_ = ...` in scikit-learn's `fit`) are
members of the class as much as its defs are, and release notes are held to the code scanned with them.

The library is scikit-learn 1.9.1 cut down (each class keeps the lines that matter here), scanned
with release notes quoted from its sdist's doc/whats_new (v0.17.rst:478, v1.0.rst:618, v1.5.rst:503).
"""
from __future__ import annotations

from pathlib import Path

from apimigrate.callsites import DeprecationIndex, find_references
from apimigrate.check.fixer import fix_source
from scan_support import rows_of, scan_library

CODE = {
    "sklearn/__init__.py": "",
    "sklearn/linear_model/__init__.py": ("from ._coordinate_descent import LassoCV\n"
                                         "from ._logistic import LogisticRegression\n\n"
                                         "__all__ = ['LassoCV', 'LogisticRegression']\n"),
    "sklearn/linear_model/_coordinate_descent.py": (
        "class LassoCV:\n"
        "    def __init__(self, *, eps=1e-3, alphas=100, cv=None):\n"
        "        self.eps = eps\n        self.alphas = alphas\n        self.cv = cv\n\n"
        "    def fit(self, X, y):\n"
        "        if self.cv is None:\n"
        "            self.alphas_, self.mse_path_ = _path(X, y)\n"
        "        self.alpha_ = self.alphas_[0]\n"
        "        return self\n\n\n"
        "def _path(X, y):\n    return X, y\n"),
    "sklearn/linear_model/_logistic.py": (
        "class LogisticRegression:\n"
        "    def __init__(self, penalty='l2', *, C=1.0, solver='lbfgs', max_iter=100):\n"
        "        self.penalty = penalty\n        self.C = C\n\n"
        "    def fit(self, X, y):\n        self.classes_ = y\n        return self\n"),
    "sklearn/decomposition/__init__.py": "from ._kernel_pca import KernelPCA\n\n__all__ = ['KernelPCA']\n",
    "sklearn/decomposition/_kernel_pca.py": (
        "class KernelPCA:\n"
        "    def __init__(self, n_components=None):\n        self.n_components = n_components\n\n"
        "    def fit(self, X):\n"
        "        self.eigenvalues_ = X\n        self.eigenvectors_ = X\n        return self\n"),
    "sklearn/preprocessing/__init__.py": "from ._label import LabelBinarizer\n\n__all__ = ['LabelBinarizer']\n",
    "sklearn/preprocessing/_label.py": (
        "class LabelBinarizer:\n"
        "    def fit(self, y):\n        self.y_type_ = 'binary'\n        self.classes_ = sorted(set(y))\n"
        "        return self\n"),
}

NOTES = {
    "doc/whats_new/v0.17.rst": (
        "============\nVersion 0.17\n============\n\nAPI changes summary\n-------------------\n\n"
        "- The deprecated attributes ``indicator_matrix_``, ``multilabel_`` and ``classes_`` of\n"
        "  :class:`preprocessing.LabelBinarizer` were removed.\n"),
    "doc/whats_new/v1.0.rst": (
        "Version 1.0.0\n=============\n\n:mod:`sklearn.decomposition`\n............................\n\n"
        "- |API| Rename variable names in :class:`decomposition.KernelPCA` to improve\n"
        "  readability. `lambdas_` and `alphas_` are renamed to `eigenvalues_`\n"
        "  and `eigenvectors_`, respectively. `lambdas_` and `alphas_` are\n"
        "  deprecated and will be removed in 1.2.\n"
        "  :pr:`19908` by :user:`Kei Ishikawa <kstoneriv3>`.\n"),
    "doc/whats_new/v1.5.rst": (
        "Version 1.5.0\n=============\n\n:mod:`sklearn.linear_model`\n...........................\n\n"
        "- |API| Parameter `multi_class` was deprecated in\n"
        "  :class:`linear_model.LogisticRegression` and\n"
        "  :class:`linear_model.LogisticRegressionCV`. `multi_class` will be removed in 1.8,\n"
        "  and internally, for 3 and more classes, it will always use multinomial.\n"
        "  If you still want to use the one-vs-rest scheme, you can use\n"
        "  `OneVsRestClassifier(LogisticRegression(..))`.\n"
        "  :pr:`28703` by :user:`Christian Lorentzen <lorentzenchr>`.\n"),
}


def _kb(tmp_path: Path):
    return scan_library(tmp_path, "scikit-learn", "1.9.1", {**CODE, **NOTES})


def test_a_method_s_self_assignments_are_members_of_the_class(tmp_path: Path) -> None:
    kb = _kb(tmp_path)
    members = set(kb.class_facts().members)
    assert {"sklearn.linear_model.LassoCV.alphas_", "sklearn.linear_model.LassoCV.mse_path_",
            "sklearn.linear_model.LassoCV.alpha_", "sklearn.decomposition.KernelPCA.eigenvectors_",
            "sklearn.preprocessing.LabelBinarizer.classes_"} <= members
    assert "sklearn.linear_model.LassoCV.fit" in members


def test_a_live_attribute_of_another_class_blocks_a_match_by_name(tmp_path: Path) -> None:
    """`alphas_` is KernelPCA's deprecated attribute and LassoCV's live one: on a receiver of unknown
    type it is no finding; on a KernelPCA it is. `lambdas_`, which no class sets, is matched by name."""
    kb = _kb(tmp_path)
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    src = ("from sklearn.decomposition import KernelPCA\n"
           "def report(model):\n"
           "    return model.alphas_, model.lambdas_\n"
           "kpca = KernelPCA(2).fit(X)\n"
           "kpca.alphas_\n")
    found = sorted((r.line, r.api, r.code) for r in find_references(src, index))
    assert found == [(2, "sklearn.decomposition.KernelPCA.lambdas_", "APIM003"),
                     (4, "sklearn.decomposition.KernelPCA.alphas_", "APIM001")]


def test_a_noted_removal_of_an_attribute_the_class_still_sets_is_dropped(tmp_path: Path) -> None:
    rows = rows_of(_kb(tmp_path), "scikit-learn")
    assert ("sklearn.preprocessing.LabelBinarizer.classes_", None) not in rows
    gone = rows[("sklearn.preprocessing.LabelBinarizer.indicator_matrix_", None)]
    assert gone["removed_in"] == "0.17"


def test_a_new_keyword_the_api_does_not_take_is_no_rename(tmp_path: Path) -> None:
    """"you can use `OneVsRestClassifier(LogisticRegression(..))`" named a class, not a keyword, and
    LogisticRegression 1.9.1 takes no `OneVsRestClassifier=`: `fix` wrote `OneVsRestClassifier='ovr'`."""
    kb = _kb(tmp_path)
    row = rows_of(kb, "scikit-learn")[("sklearn.linear_model.LogisticRegression", "multi_class")]
    assert row["new_parameter"] is None
    index = DeprecationIndex.from_rows(kb.deprecations(), kb.class_facts())
    src = "from sklearn.linear_model import LogisticRegression\nLogisticRegression(multi_class='ovr')\n"
    assert [(r.line, r.parameter) for r in find_references(src, index)] == [(1, "multi_class")]
    fixed, _, _ = fix_source(src, index)
    assert fixed == src
