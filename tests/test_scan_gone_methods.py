"""A method a release note names bare, gone from the release, whose successor the release has only
as a member of its classes.

scikit-learn 1.0 (v1.0.rst:416): ":term:`get_feature_names_out` has been added to the transformer
API to get the names of the output features. `get_feature_names` has in turn been deprecated." No
class of 1.9.1 has `get_feature_names`; 24 have `get_feature_names_out`. The row was a function
`sklearn.get_feature_names` (which no code calls) with the replacement of one class picked among the
24, and `vectorizer.get_feature_names()`, in every text-classification tutorial before 2022, went
unflagged.
"""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apimigrate.cli.main import app
from scan_support import scanned_db

NOTES = """\
Version 1.0.0
=============

Changes impacting many modules
------------------------------

- |API| :term:`get_feature_names_out` has been added to the transformer API
  to get the names of the output features. `get_feature_names` has in
  turn been deprecated. :pr:`18444` by `Thomas Fan`_.

- |API| `load_data` has been deprecated in favor of `fetch_data`.

- |API| `old_helper` has been deprecated in favor of `transform`.
"""

FILES = {
    "doc/whats_new/v1.0.rst": NOTES,
    "sklite/__init__.py": "from .text import CountVectorizer\nfrom .scale import Scaler, fetch_data\n"
                          "__all__ = ['CountVectorizer', 'Scaler', 'fetch_data']\n",
    "sklite/text.py": "class CountVectorizer:\n    def fit(self, X):\n        return self\n\n"
                      "    def get_feature_names_out(self, input_features=None):\n        return []\n\n"
                      "    def transform(self, X):\n        return X\n",
    "sklite/scale.py": "class Scaler:\n    def get_feature_names_out(self, input_features=None):\n        return []\n\n\n"
                       "def fetch_data():\n    return None\n\n\ndef transform(X):\n    return X\n",
}


def test_a_gone_name_whose_successor_is_a_method_is_a_method_found_by_name(tmp_path: Path):
    db, rows = scanned_db(tmp_path, "sklite", "1.9.1", FILES)
    gone = rows[("sklite.get_feature_names", None)]
    assert (gone["kind"], gone["replacement"], gone["since"]) == ("method", "get_feature_names_out", "1.0.0")
    # a successor the package has as a function keeps the row a function, its replacement that one
    assert (rows[("sklite.load_data", None)]["kind"], rows[("sklite.load_data", None)]["replacement"]) == (
        "function", "sklite.fetch_data")
    assert rows[("sklite.scale.old_helper", None)]["kind"] == "function"
    code = tmp_path / "user.py"
    code.write_text("from sklite import CountVectorizer\n\nv = CountVectorizer().fit(['a b'])\n"
                    "names = v.get_feature_names()\n\n\ndef vocabulary(vectorizer):\n"
                    "    return vectorizer.get_feature_names()\n")
    result = CliRunner().invoke(app, ["check", str(code), "--db", str(db), "--format", "json", "--isolated"])
    found = json.loads(result.stdout)
    assert [(f["line"], f["api"]) for f in found] == [(4, "sklite.get_feature_names"), (8, "sklite.get_feature_names")]
    assert all("use get_feature_names_out" in f["message"] for f in found)
