"""Server settings: read from initializationOptions and workspace/configuration.

Both sources carry the same object (the ``apimigrate`` section), in camelCase as
editors write it; snake_case spellings are accepted too so a hand-written
config does not silently do nothing.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from lsprotocol import types

from apimigrate.check.config import ProjectConfig

SECTION = "apimigrate"

_SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


@dataclass(frozen=True)
class Settings:
    db_path: Path | None = None            # None: the default DB (APIMIGRATE_DB or the user data dir)
    project_db: Path | None = None         # `db` of the workspace's [tool.apimigrate], below the rest
    severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Warning
    libraries: tuple[str, ...] = ()        # empty: every library the DB knows
    min_confidence: float = 0.0
    enabled: bool = True
    debounce_ms: int = 50                  # quiet time between two checks of one document
    # Inline completions (inline.py): None is "on when a model is available".
    inline_enabled: bool | None = None
    inline_model: Path | None = None       # a local model directory instead of the registry's
    inline_adapter: Path | None = None     # a LoRA adapter directory on top of it (or of the registry's base)
    inline_max_new_tokens: int = 48
    inline_max_lines: int = 1              # lines with content a completion may span
    inline_device: str = "auto"            # auto (CUDA when there is one), cpu, cuda, cuda:N
    inline_threads: int | None = None      # CPU threads generation uses; None: half the cores
    problems: list[str] = field(default_factory=list, compare=False)

    def knowledge_key(self) -> tuple:
        """What decides which deprecations are loaded; a change means a reload."""
        return (str(self.db_path) if self.db_path else None, str(self.project_db) if self.project_db else None,
                self.libraries, self.min_confidence)

    @classmethod
    def from_project(cls, config: ProjectConfig | None) -> Settings:
        """Defaults from the workspace's `[tool.apimigrate]`: what the editor sets goes on top."""
        if config is None:
            return cls()
        return cls(project_db=config.db, libraries=tuple(sorted(set(config.select))),
                   min_confidence=config.min_confidence or 0.0)

    def merged(self, raw: Any) -> Settings:
        """A copy with the values in `raw` (the apimigrate section) applied.

        Unknown keys are ignored; bad values are skipped and reported in
        `problems` so the server can tell the user instead of crashing.
        """
        if not isinstance(raw, Mapping):
            return self
        if isinstance(raw.get(SECTION), Mapping):   # whole settings object instead of the section
            raw = raw[SECTION]
        values: dict[str, Any] = {}
        problems: list[str] = []

        def get(*names: str) -> Any:
            for n in names:
                if n in raw and raw[n] is not None:
                    return raw[n]
            return None

        if (v := get("dbPath", "db_path", "db")) is not None:
            values["db_path"] = Path(str(v)).expanduser()
        if (v := get("severity")) is not None:
            sev = _SEVERITIES.get(str(v).lower())
            if sev is None:
                problems.append(f"unknown severity {v!r} (use error, warning, information or hint)")
            else:
                values["severity"] = sev
        if (v := get("libraries", "enabledLibraries")) is not None:
            if isinstance(v, str):
                v = [v]
            if isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v):
                values["libraries"] = tuple(sorted(set(v)))
            else:
                problems.append(f"libraries must be a list of names, got {v!r}")
        if (v := get("minConfidence", "min_confidence")) is not None:
            try:
                values["min_confidence"] = min(1.0, max(0.0, float(v)))
            except (TypeError, ValueError):
                problems.append(f"minConfidence must be a number, got {v!r}")
        if (v := get("enabled")) is not None:
            values["enabled"] = bool(v)
        if (v := get("debounceMs", "debounce_ms")) is not None:
            try:
                values["debounce_ms"] = max(0, int(v))
            except (TypeError, ValueError):
                problems.append(f"debounceMs must be an integer, got {v!r}")
        _merge_inline(raw, values, problems)
        return dataclasses.replace(self, problems=problems, **values)


_INLINE = "inlineCompletion"


def _merge_inline(raw: Mapping, values: dict[str, Any], problems: list[str]) -> None:
    """`inlineCompletion: {enabled, model, adapter, maxNewTokens, maxLines, device, threads}`, or the same
    keys flat as `inlineCompletion.enabled` (how some clients send dotted settings)."""
    nested = raw.get(_INLINE)
    section: dict[str, Any] = dict(nested) if isinstance(nested, Mapping) else {}
    if nested is not None and not isinstance(nested, Mapping):
        problems.append(f"{_INLINE} must be an object, got {nested!r}")
    for key, value in raw.items():
        if isinstance(key, str) and key.startswith(_INLINE + "."):
            section[key[len(_INLINE) + 1:]] = value

    def get(*names: str) -> Any:
        for n in names:
            if n in section:
                return section[n]
        return None

    for names, field_name in ((("model", "modelPath"), "inline_model"), (("adapter", "adapterPath"), "inline_adapter")):
        present = [n for n in names if n in section]
        if not present:
            continue
        v = section[present[0]]
        if v is None or v == "":
            values[field_name] = None           # cleared: back to the registry
        elif isinstance(v, str):
            values[field_name] = Path(v).expanduser()
        else:
            problems.append(f"{_INLINE}.{names[0]} must be a directory path, got {v!r}")
    if (v := get("enabled")) is not None:
        if isinstance(v, bool) or str(v).lower() in ("true", "false"):
            values["inline_enabled"] = v if isinstance(v, bool) else str(v).lower() == "true"
        else:
            problems.append(f"{_INLINE}.enabled must be true or false, got {v!r}")
    for names, field_name, low, high in ((("maxNewTokens", "max_new_tokens"), "inline_max_new_tokens", 1, 512),
                                         (("maxLines", "max_lines"), "inline_max_lines", 1, 50),
                                         (("threads",), "inline_threads", 1, 256)):
        if (v := get(*names)) is None:
            continue
        try:
            values[field_name] = min(high, max(low, int(v)))
        except (TypeError, ValueError):
            problems.append(f"{_INLINE}.{names[0]} must be an integer, got {v!r}")
    if (v := get("device")) is not None:
        text = str(v).strip().lower()
        if text in ("auto", "cpu", "cuda") or (text.startswith("cuda:") and text[5:].isdigit()):
            values["inline_device"] = text
        else:
            problems.append(f"{_INLINE}.device must be auto, cpu or cuda, got {v!r}")
