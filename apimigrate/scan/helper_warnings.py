"""Warnings a helper gives on behalf of the function that calls it, told that function's name.

pandas 3.1's ``infer_freq`` ends in ``return maybe_convert_inferred_freq(..., "infer_freq")`` and
the property ``Series.dt.freq`` in ``maybe_convert_inferred_freq(..., "Series.dt.freq")``; the
helper, in another module, warns "A future version of pandas will return a BaseOffset object
instead of a string from {caller}. Use pd.set_option('future.infer_freq_returns_offset', True) ...
or set to False to keep the old behavior and silence this warning". That runtime text is what
users of ``infer_freq`` see, and it says more than the docstring (that ``False`` silences it too:
callsites/opt_in.py).

The extractor sees one file at a time, so it records both halves in ``ModuleInfo``
(``warning_helpers``: the helper's warning with its parameters spelled as ``{param}``;
``helper_calls``: a def's unconditional call that passes the def's own name as a string); the
runner joins them across the library here. A joined warning only corroborates: it adds its
evidence and message to an API other evidence already says is deprecated, and makes no row of its
own, because the helper's warning may depend on what it is given. Unless it cannot: a helper that
warns whatever it is given, with a text that, once the call's arguments are spelled in, says the
caller itself is deprecated (torch 2.13's ``_deprecated("broadcast", "..._functional_collectives.
broadcast")``, called first thing by ``broadcast``, ``all_gather``, ``all_reduce``...: "torch.
distributed.nn.functional.broadcast is deprecated, use ... instead").
"""
from __future__ import annotations

import re

from .messages import HOLE, deprecated_subjects, replacement_from_text, says_drop_in, versions_from_text
from .model import WARNING, ModuleInfo, RawFinding

__all__ = ["helper_findings", "names_caller"]

# What a call passes as its caller's name: "infer_freq", "Series.dt.freq", "infer_freq(...)".
_CALLER_NAME = re.compile(r"^\s*(?P<dotted>[A-Za-z_][\w.]*?)(?:\(.*\))?\s*$")


def names_caller(value: str | None, caller: str) -> bool:
    """Whether a string argument names the def it is passed from (its last dotted part)."""
    m = _CALLER_NAME.match(value or "")
    return m is not None and m.group("dotted").rsplit(".", 1)[-1] == caller


def helper_findings(modules: list[ModuleInfo]) -> list[RawFinding]:
    """A corroborating warning finding for every recorded call of a helper that warns about the
    name it is passed."""
    by_module = {m.module: m for m in modules if not m.path.endswith(".pyi")}
    out: list[RawFinding] = []
    for info in modules:
        for call in info.helper_calls:
            helper = _helper(by_module, call["callee"])
            message = _spoken_for(helper, call) if helper is not None else None
            if message is None:
                continue
            since, removed_in = versions_from_text(message)
            replacement = replacement_from_text(message)
            caller = call["caller"].rsplit(".", 1)[-1]
            alone = bool(helper.get("unconditional")) and _says_deprecated(message, caller)
            out.append(RawFinding(
                evidence_kind=WARNING, kind=call["kind"], target=call["caller"], module=info.module,
                path=info.path, line=call["line"], message=message, replacement=replacement, since=since,
                removed_in=removed_in, category=helper["category"], text=call["text"],
                drop_in=bool(replacement) and says_drop_in(message), corroborates=not alone))
    return out


def _says_deprecated(message: str, caller: str) -> bool:
    """"torch.distributed.nn.functional.broadcast is deprecated, use ...": the caller is the subject."""
    return any(name.rsplit(".", 1)[-1] == caller for name in deprecated_subjects(message))


def _helper(by_module: dict[str, ModuleInfo], callee: str) -> dict | None:
    """The one deprecation warning of the function `callee` names (`pkg.mod.func`), if it has one."""
    module, _, name = callee.rpartition(".")
    info = by_module.get(module)
    warnings = info.warning_helpers.get(name) if info is not None else None
    return warnings[0] if warnings and len(warnings) == 1 else None   # several: which one runs depends


def _spoken_for(helper: dict, call: dict) -> str | None:
    """The helper's message with the call's literal arguments spelled in, when the argument that
    names the caller is one the message spells."""
    params: list[str] = helper["params"]
    bound = dict(zip(params, call["args"]))
    bound.update({k: v for k, v in call["kwargs"].items() if k in params})
    caller = call["caller"].rsplit(".", 1)[-1]
    template: str = helper["message"]
    if not any(names_caller(v, caller) and f"{{{p}}}" in template for p, v in bound.items()):
        return None
    for p in params:
        value = bound.get(p)
        template = template.replace(f"{{{p}}}", value if value is not None else HOLE)
    return template
