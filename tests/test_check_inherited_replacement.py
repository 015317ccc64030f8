"""A replacement that is a member of the class defining the deprecated member, met through a subclass.

pandas 2.x's `NDFrame.swapaxes` warns "'{}.swapaxes' is deprecated ... Please use '{}.transpose' instead":
its row is NDFrame's, its replacement `NDFrame.transpose`; a user's `df.swapaxes()` is to be told
`DataFrame.transpose`, the name they can write, not `pandas.core.generic.NDFrame.transpose`.
"""
from __future__ import annotations

import json

from typer.testing import CliRunner

from apimigrate.cli.main import app
from scan_support import scan_library

FILES = {
    "tinypd/__init__.py": "from tinypd.frame import DataFrame, Series\n__all__ = ['DataFrame', 'Series']\n",
    "tinypd/core/__init__.py": "",
    "tinypd/core/generic.py": (
        "import warnings\n\n\nclass NDFrame:\n"
        "    def swapaxes(self, axis1, axis2):\n"
        "        \"\"\"\n"
        "        Interchange axes and swap values axes appropriately.\n\n"
        "        .. deprecated:: 2.1.0\n"
        "            ``swapaxes`` is deprecated and will be removed.\n"
        "            Please use ``transpose`` instead.\n"
        "        \"\"\"\n"
        "        warnings.warn(\n"
        "            f\"'{type(self).__name__}.swapaxes' is deprecated and will be removed in a future version. \"\n"
        "            f\"Please use '{type(self).__name__}.transpose' instead.\",\n"
        "            FutureWarning,\n"
        "            stacklevel=2,\n"
        "        )\n"
        "        return self.transpose()\n\n"
        "    def transpose(self):\n"
        "        return self\n\n"
        "    def bool(self):\n"
        "        warnings.warn(\"NDFrame.bool is now deprecated. Use Series.item instead.\", FutureWarning)\n"
        "        return True\n"),
    "tinypd/frame.py": ("from tinypd.core.generic import NDFrame\n\n\nclass DataFrame(NDFrame):\n    pass\n\n\n"
                        "class Series(NDFrame):\n    def item(self):\n        pass\n"),
}


def test_the_replacement_is_told_as_the_class_the_use_reaches(tmp_path) -> None:
    kb = scan_library(tmp_path, "tinypd", "2.1.0", FILES)
    [row] = kb.get("tinypd.core.generic.NDFrame.swapaxes")
    assert row["replacement"] == "tinypd.core.generic.NDFrame.transpose"
    kb.close()
    user = tmp_path / "use.py"
    user.write_text("import tinypd as tp\n\ndf = tp.DataFrame()\ndf.swapaxes(0, 1)\ndf.bool()\n")
    res = CliRunner().invoke(app, ["check", str(user), "--db", str(tmp_path / "k.db"), "--format", "json"])
    swap, truth = json.loads(res.stdout)
    assert (swap["name"], swap["replacement"]) == ("tinypd.DataFrame.swapaxes", "tinypd.DataFrame.transpose")
    assert swap["message"].endswith("; use tinypd.DataFrame.transpose")
    # another class's member stays that class's
    assert (truth["name"], truth["replacement"]) == ("tinypd.DataFrame.bool", "tinypd.Series.item")
