"""The refresh configuration: one TOML file that a cron job or systemd timer points at.

    [refresh]
    model = "models/coder-1.3b"        # the base model, a local Hugging Face directory
    targets = ["numpy", "pandas==2.2.2", "vendor/scipy/"]   # what `apimigrate scan` takes: installed
                                       # names, name==version, paths (with a '/', or an archive)
    corpus = ["corpus/"]               # real code the pairs come from (files or folders)
    workdir = "refresh"                # runs, and the promoted adapters (default: beside this file)
    db = "deprecations.sqlite"         # default: APIMIGRATE_DB or the user data dir
    libraries = ["numpy", "pandas"]    # only their deprecations (default: all the DB knows)
    replay = 1.0                       # pairs of mappings learned before, per new pair
    max-probes = 400                   # evaluation probes at most (new mappings first)
    keep-runs = 10                     # folders of finished runs kept (prune.py); older ones go
    device = "auto"
    train-processes = 1                # >1: train as one DDP job of that many processes (GPUs on
                                       # CUDA); each takes the train batch-size, so the step's batch grows

    [refresh.dataset]     # `apimigrate dataset build` options: eval-fraction, seed, context-chars, ...
    [refresh.train]       # `apimigrate train` options: objective, epochs, lr, batch-size, lora-r, ...
    [refresh.evaluate]    # batch-size, max-new-tokens, max-prompt-tokens, token-healing; and for
                          # a pass@1 gate: humaneval = "tasks.jsonl", allow-code-execution = true
    [refresh.gates]       # when the candidate replaces the promoted model (gates.Gates)

Relative paths are relative to the file's folder. Keys are the command-line spellings
(`lora-r`, `eval-fraction`); a key we do not know or a value of the wrong type is an error naming
it: a typo in an unattended job must not silently change what it trains.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from apimigrate.unlearn.dataset import BuildOptions
# options, not train or lm: reading the file must not import torch (a busy cron tick exits at once)
from apimigrate.unlearn.options import LoraOptions, TrainError, TrainOptions

from .gates import Gates


class RefreshConfigError(ValueError):
    """The configuration cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class EvalOptions:
    batch_size: int = 8
    max_new_tokens: int = 64
    max_prompt_tokens: int = 1024
    token_healing: bool = True
    # pass@k on a HumanEval-format file, a utility gate of its own (runs model-written code)
    humaneval: str | None = None
    allow_code_execution: bool = False
    samples: int = 1
    temperature: float = 0.0
    code_max_new_tokens: int = 256
    exec_timeout: float = 10.0


@dataclass(frozen=True)
class RefreshConfig:
    path: Path
    model: Path
    corpus: tuple[Path, ...]
    workdir: Path
    targets: tuple[str, ...] = ()
    db: Path | None = None
    libraries: tuple[str, ...] = ()
    min_confidence: float = 0.0
    replay: float = 1.0
    max_probes: int = 400
    device: str = "auto"
    train_processes: int = 1
    seed: int = 0
    keep_runs: int = 10
    dataset: BuildOptions = field(default_factory=BuildOptions)
    train: TrainOptions = field(default_factory=TrainOptions)
    evaluate: EvalOptions = field(default_factory=EvalOptions)
    gates: Gates = field(default_factory=Gates)

    def fingerprint(self) -> str:
        """What a run was started with: a stopped run is resumed only under the same configuration.
        The gates are left out: they only judge what the run made, so tightening them does not
        throw its training away; so is keep-runs, which only tidies up after runs."""
        shaping = {k: v for k, v in self.as_json().items() if k not in ("gates", "keep_runs")}
        return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:16]

    def as_json(self) -> dict:
        def plain(value: Any) -> Any:
            if isinstance(value, Path):
                return str(value)
            if dataclasses.is_dataclass(value):
                return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value
        return {k: v for k, v in plain(self).items() if k != "path"}


_TOP = {"model", "corpus", "workdir", "targets", "db", "libraries", "min-confidence", "replay", "max-probes",
        "device", "train-processes", "seed", "keep-runs"}
_SECTIONS = {"dataset": BuildOptions, "train": TrainOptions, "evaluate": EvalOptions, "gates": Gates}
_LORA_KEYS = {"lora-r": "r", "lora-alpha": "alpha", "lora-dropout": "dropout", "lora-target": "target_modules"}


def load_config(path: Path) -> RefreshConfig:
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RefreshConfigError(f"cannot read {where}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RefreshConfigError(f"{where} is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RefreshConfigError(f"{where} is not valid TOML: {exc}") from exc
    table = raw.get("refresh")
    if not isinstance(table, dict):
        raise RefreshConfigError(f"{where} has no [refresh] table")
    unknown = sorted(set(table) - _TOP - set(_SECTIONS))
    if unknown:
        raise RefreshConfigError(f"{where}: unknown key {unknown[0]!r} in [refresh]")
    base = path.resolve().parent

    def get(key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        value = table.get(key, default)
        if value is not default and not _is(value, kind):
            raise RefreshConfigError(f"{where}: refresh.{key} must be {_kind_name(kind)}, got {value!r}")
        return value

    def paths(key: str) -> tuple[Path, ...]:
        value = get(key, (str, list), None)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not all(isinstance(v, str) for v in items):
            raise RefreshConfigError(f"{where}: refresh.{key} must be a path or a list of paths")
        return tuple(_resolve(base, v) for v in items)

    def strings(key: str) -> tuple[str, ...]:
        value = get(key, list, [])
        if not all(isinstance(v, str) for v in value):
            raise RefreshConfigError(f"{where}: refresh.{key} must be a list of strings")
        return tuple(value)

    model = get("model", str, None)
    if model is None:
        raise RefreshConfigError(f"{where}: refresh.model (the base model's directory) is required")
    corpus = paths("corpus")
    if not corpus:
        raise RefreshConfigError(f"{where}: refresh.corpus (code the pairs come from) is required")
    db = get("db", str, None)
    sections = {name: _section(table.get(name, {}), cls, f"{where}: [refresh.{name}]")
                for name, cls in _SECTIONS.items()}
    config = RefreshConfig(
        path=path, model=_resolve(base, model), corpus=corpus,
        workdir=_resolve(base, get("workdir", str, "refresh")),
        targets=tuple(_target(base, t) for t in strings("targets")),
        db=_resolve(base, db) if db is not None else None, libraries=strings("libraries"),
        min_confidence=float(get("min-confidence", (int, float), 0.0)), replay=float(get("replay", (int, float), 1.0)),
        max_probes=get("max-probes", int, 400), device=get("device", str, "auto"),
        train_processes=get("train-processes", int, 1), seed=get("seed", int, 0),
        keep_runs=get("keep-runs", int, 10), **sections)
    _check_ranges(config, where)
    e = config.evaluate
    if e.humaneval is not None:
        if not e.allow_code_execution:
            raise RefreshConfigError(f"{where}: [refresh.evaluate] humaneval runs the code the model writes; "
                                     "set allow-code-execution = true to let it")
        if e.samples > 1 and e.temperature == 0:
            raise RefreshConfigError(f"{where}: [refresh.evaluate] samples above 1 need temperature > 0")
        tasks = _resolve(base, e.humaneval)
        if not tasks.is_file():
            raise RefreshConfigError(f"{where}: [refresh.evaluate] humaneval: no such file {tasks}")
        config = dataclasses.replace(config, evaluate=dataclasses.replace(e, humaneval=str(tasks)))
    try:
        config.train.validate()
    except TrainError as exc:
        raise RefreshConfigError(f"{where}: [refresh.train] {exc}") from exc
    return config


def _check_ranges(config: RefreshConfig, where: str) -> None:
    """Values of the right type that still make no sense: one line, before anything runs."""
    e, g = config.evaluate, config.gates
    problems = [
        (not math.isfinite(config.replay) or config.replay < 0, "refresh.replay must be a number ≥ 0"),
        (config.max_probes < 1, "refresh.max-probes must be ≥ 1"),
        (config.keep_runs < 0, "refresh.keep-runs must be ≥ 0"),
        (config.train_processes < 1, "refresh.train-processes must be ≥ 1"),
        (config.device not in ("auto", "cpu", "cuda"), "refresh.device must be auto, cpu or cuda (training "
                                                       "takes the first GPU, or the first train-processes GPUs; "
                                                       "pick others with CUDA_VISIBLE_DEVICES)"),
        (min(e.batch_size, e.max_new_tokens, e.max_prompt_tokens, e.samples, e.code_max_new_tokens) < 1,
         "[refresh.evaluate] sizes and counts must be ≥ 1"),
        (not (math.isfinite(e.temperature) and e.temperature >= 0 and e.exec_timeout > 0),
         "[refresh.evaluate] temperature must be ≥ 0 and exec-timeout > 0"),
        (not all(math.isfinite(v) and v >= 0 for v in (g.min_deprecated_drop, g.min_replacement_gain, g.max_relapse,
                                                        g.max_perplexity_ratio, g.max_pass_drop)),
         "[refresh.gates] values must be numbers ≥ 0"),
        (not 0 <= config.dataset.eval_fraction <= 1, "[refresh.dataset] eval-fraction must be between 0 and 1"),
        (min(config.dataset.retain_lines, 1 + config.dataset.retain_per_file, 1 + config.dataset.context_chars) < 1,
         "[refresh.dataset] sizes must be ≥ 0 (retain-lines ≥ 1)"),
    ]
    for bad, message in problems:
        if bad:
            raise RefreshConfigError(f"{where}: {message}")


def _section(raw: Any, cls: type, where: str) -> Any:
    """An options dataclass from a TOML table whose keys are its fields in kebab-case."""
    if not isinstance(raw, dict):
        raise RefreshConfigError(f"{where} must be a table")
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    lora: dict[str, Any] = {}
    for key, value in raw.items():
        if cls is TrainOptions and key in _LORA_KEYS:
            if key == "lora-target":
                if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                    raise RefreshConfigError(f"{where}: lora-target must be a list of module names")
                value = tuple(value)
            elif not _is(value, _lora_kind(_LORA_KEYS[key])):
                raise RefreshConfigError(f"{where}: {key} must be a number, got {value!r}")
            lora[_LORA_KEYS[key]] = value
            continue
        name = key.replace("-", "_")
        if name not in names or name == "lora":
            raise RefreshConfigError(f"{where}: unknown key {key!r}")
        kind = _python_kind(hints[name])
        if not _is(value, kind):
            raise RefreshConfigError(f"{where}: {key} must be {_kind_name(kind)}, got {value!r}")
        promote_int = float in kind and int not in kind and isinstance(value, int) and not isinstance(value, bool)
        values[name] = float(value) if promote_int else value
    if lora:
        values["lora"] = dataclasses.replace(LoraOptions(), **lora)
    return cls(**values)


def _lora_kind(name: str) -> tuple[type, ...]:
    return _python_kind(get_type_hints(LoraOptions)[name])


def _python_kind(hint: Any) -> tuple[type, ...]:
    """The TOML value types a field annotated `hint` accepts (an int where a float goes, too)."""
    args = getattr(hint, "__args__", None)
    kinds = tuple(a for a in args if isinstance(a, type)) if args else ((hint,) if isinstance(hint, type) else ())
    return kinds


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, int) and float in kinds:
        return True
    return isinstance(value, kinds)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    words = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list",
             type(None): "unset"}
    return " or ".join(words.get(k, k.__name__) for k in kinds)


def _target(base: Path, target: str) -> str:
    """A scan target that is a path (it has a '/' or is an archive) is relative to the file's folder;
    a name (`numpy`, `pandas==2.2.2`) stays a name."""
    if "==" not in target and ("/" in target or target.startswith(("~", ".")) or target.endswith(
            (".whl", ".tar.gz", ".zip", ".tgz"))):
        return str(_resolve(base, target))
    return target


def _resolve(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else (base / p)
