"""A warning under a bare truth test of its parameter (`if _compile:`) deprecates passing anything
but a false value: torch 2.13's `create_block_mask(_compile=)`, `DistributedDataParallel(
check_reduction=)` and the autograd profiler's `use_cuda` (tested as `self.use_cuda` in a method)."""
from __future__ import annotations

import textwrap

import pytest

from apimigrate.callsites import find_references
from scan_support import index_of, scan_library

_SOURCE = textwrap.dedent('''
    import warnings


    def create_block_mask(mask_mod, B, H, _compile=False):
        if _compile:
            warnings.warn(
                "_compile is deprecated and will be removed in a future release. "
                "Please wrap the call in torch.compile instead.",
                DeprecationWarning,
                stacklevel=2,
            )
        return mask_mod


    def cuda_profile(fn, use_cuda=True):
        if use_cuda:
            warnings.warn("The attribute `use_cuda` will be deprecated soon, please use `use_device` instead.",
                          FutureWarning)
        return fn


    class profile:
        def __init__(self, enabled=True, *, use_cuda=False):
            self.enabled = enabled
            self.use_cuda = use_cuda

        def __enter__(self):
            if self.use_cuda:
                warnings.warn("The attribute `use_cuda` will be deprecated soon, "
                              "please use ``use_device = 'cuda'`` instead.", FutureWarning, stacklevel=2)
            return self


    def shard(module, flatten=None):
        if flatten == "all":
            warnings.warn("flatten='all' is deprecated", FutureWarning)
        return module
''')


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("truthy")
    kb = scan_library(root, "minitorch", "2.13", {
        "minitorch/__init__.py": "from ._masks import create_block_mask, cuda_profile, profile, shard\n"
                                 "__all__ = ['create_block_mask', 'cuda_profile', 'profile', 'shard']\n",
        "minitorch/_masks.py": _SOURCE})
    try:
        rows = {(r["api"], r["parameter"]): r for r in kb.deprecations(["minitorch"])}
    finally:
        kb.close()
    return root / "k.db", rows


def test_a_truth_tested_parameter_deprecates_its_true_values(db):
    _, rows = db
    assert rows[("minitorch.create_block_mask", "_compile")]["usage"] == "truthy"
    assert rows[("minitorch.profile", "use_cuda")]["usage"] == "truthy"            # `if self.use_cuda:`
    # a true default warns when left out too
    assert rows[("minitorch.cuda_profile", "use_cuda")]["usage"] == "default,truthy"
    # a literal test stays one
    assert (rows[("minitorch.shard", "flatten")]["usage"], rows[("minitorch.shard", "flatten")]["param_values"]) \
        == ("value", "[\"'all'\"]")


def test_check_reports_what_warns_and_leaves_false_values(db):
    path, _ = db
    src = textwrap.dedent('''\
        import minitorch
        from minitorch import create_block_mask, profile, cuda_profile
        create_block_mask(f, 1, None, _compile=True)
        create_block_mask(f, 1, None, _compile=False)
        create_block_mask(f, 1, None, _compile=None)
        create_block_mask(f, 1, None, _compile=flag)
        create_block_mask(f, 1, None, True)
        create_block_mask(f, 1, None, 0)
        create_block_mask(f, 1, None)
        profile(use_cuda=False)
        profile(use_cuda=True)
        cuda_profile(g, use_cuda=False)
        cuda_profile(g)
    ''')
    refs = find_references(src, index_of(path))
    assert [(r.line, r.code, r.kind) for r in refs] == [
        (2, "APIM002", "keyword"), (5, "APIM002", "keyword"), (6, "APIM002", "argument"),
        (10, "APIM002", "keyword"), (12, "APIM004", "default")]
    assert refs[0].message.startswith("a true value of parameter '_compile' of minitorch.create_block_mask is deprecated")
    assert all(r.rewrite is None for r in refs)
