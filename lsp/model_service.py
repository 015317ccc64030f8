"""Which model inline completions come from, loaded lazily on a thread of its own.

The model is the one the user's settings name (`inlineCompletion.model` / `.adapter`), else
the newest promoted one of the DB's registry (`apimigrate.db.registry`: a base directory plus a
LoRA adapter). The registry is read again only when the DB file changed (two stat calls per
request), so a refresh that promotes a new adapter is served from the next request on, and a
server without any model answers at once without touching torch.

Loading and generating run on one worker thread, never on the event loop and never on the
checker's thread, so diagnostics stay responsive while a model loads or writes. A model that
cannot be loaded is told once and not tried again until the model to use changes (the
registry promotes another one, or the settings name another one).
"""
from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from apimigrate.db import DBError

from .knowledge import Knowledge
from .settings import Settings
from .watch import Stat, db_stat

log = logging.getLogger(__name__)

# The prompt never exceeds this many tokens, whatever the model's positions allow (CPU latency).
MAX_PROMPT_TOKENS = 1024


@dataclass(frozen=True)
class ModelSpec:
    base: Path
    adapter: Path | None
    device: str
    origin: str                   # for the user: "settings" or "registry model 3"

    def describe(self) -> str:
        return f"{self.base}" + (f" with adapter {self.adapter}" if self.adapter else "")


def _resolve(path: str | Path, root: Path | None) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() or root is None else root / p


def read_promoted(knowledge: Knowledge) -> tuple[bool, Any]:
    """(read, record): the registry's newest promoted model; `read` is False when the DB could
    not be asked (its connection was closed by a reload meanwhile), so the caller asks again."""
    from apimigrate.db import registry
    kb = knowledge.kb
    if kb is None:
        return True, None
    try:
        return True, registry.promoted(kb)
    except (DBError, sqlite3.Error, AttributeError) as exc:
        log.warning("reading the model registry: %s", exc)
        return False, None


class ModelService:
    def __init__(self, tell: Callable[[str], None]) -> None:
        self.tell = tell
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apimigrate-model")
        # The registry as last read, and the DB state it was read at.
        self._registry_key: tuple[int, Path, Stat] | None = None
        self._record: Any = None
        self._spec: ModelSpec | None = None        # the model requests want now
        self._loaded: tuple[ModelSpec, Any] | None = None
        self._loading: dict[ModelSpec, asyncio.Task] = {}
        self._failed: set[ModelSpec] = set()

    # ---- which model -----------------------------------------------------------------------
    async def spec(self, settings: Settings, knowledge: Knowledge | None, root: Path | None,
                   run_on_db_thread: Callable[..., Awaitable[Any]]) -> ModelSpec | None:
        """The model to complete with now; None when neither the settings nor the registry name one."""
        record = None
        if settings.inline_model is None:
            record = await self._promoted(knowledge, run_on_db_thread)
        base: Path | None = None
        adapter: Path | None = None
        if settings.inline_model is not None:
            base, origin = _resolve(settings.inline_model, root), "settings"
            adapter = _resolve(settings.inline_adapter, root) if settings.inline_adapter else None
        elif record is not None:
            # Relative paths in the registry are relative to the DB's folder.
            db_dir = knowledge.path.parent if knowledge is not None else None
            base, origin = _resolve(record.base, db_dir), f"registry model {record.id}"
            adapter = _resolve(record.adapter_path, db_dir) if record.adapter_path else None
            if settings.inline_adapter is not None:
                adapter = _resolve(settings.inline_adapter, root)
        if base is None:
            spec = None
        else:
            spec = ModelSpec(base, adapter, settings.inline_device, origin)
        if spec != self._spec:
            # Another model is wanted: an earlier failure says nothing about it (nor, should the
            # user switch back after fixing the files, about the one that failed).
            self._failed.clear()
            self._spec = spec
        return spec

    async def _promoted(self, knowledge: Knowledge | None,
                        run_on_db_thread: Callable[..., Awaitable[Any]]) -> Any:
        if knowledge is None:
            return None
        key = (id(knowledge), knowledge.path, db_stat(knowledge.path))
        if key != self._registry_key:
            read, record = await run_on_db_thread(read_promoted, knowledge)
            if read:
                self._record, self._registry_key = record, key
        return self._record

    # ---- loading ---------------------------------------------------------------------------
    def loaded(self, spec: ModelSpec) -> Any | None:
        return self._loaded[1] if self._loaded is not None and self._loaded[0] == spec else None

    async def model(self, spec: ModelSpec) -> Any | None:
        """The loaded model of `spec`, loading it (off the event loop) if needed; None when it
        cannot be loaded (told once)."""
        got = self.loaded(spec)
        if got is not None:
            return got
        if spec in self._failed:
            return None
        task = self._loading.get(spec)
        if task is None:
            # Let go of the previous model first: two large models may not fit side by side.
            self._loaded = None
            task = asyncio.get_running_loop().create_task(self._load(spec))
            self._loading[spec] = task
        # Shielded: a cancelled request stops waiting, the load goes on for the next one.
        return await asyncio.shield(task)

    async def _load(self, spec: ModelSpec) -> Any | None:
        try:
            loaded = await asyncio.get_running_loop().run_in_executor(self._pool, _load_now, spec)
        except Exception as exc:  # noqa: BLE001 - any broken directory is one message, not a crash
            self._failed.add(spec)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.tell(f"no inline completions: cannot load the model {spec.describe()} "
                      f"({spec.origin}): {first}")
            return None
        finally:
            self._loading.pop(spec, None)
        if self._spec == spec:
            self._loaded = (spec, loaded)
            log.info("inline completions from %s (%s)", spec.describe(), spec.origin)
        return loaded

    async def generate(self, fn: Callable[..., Any], *args: Any, threads: int | None = None, **kwargs: Any) -> Any:
        """Run `fn` on the model's thread (after loads and earlier generations), with torch's
        intra-op threads set to `threads` (None: half the cores)."""
        loop = asyncio.get_running_loop()
        count = threads or default_threads()

        def run() -> Any:
            import torch
            if torch.get_num_threads() != count:
                torch.set_num_threads(count)
            return fn(*args, **kwargs)
        return await loop.run_in_executor(self._pool, run)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def default_threads() -> int:
    """Half the cores: torch would take them all, and the editor, the checker's thread and the
    user's own processes share the machine with a model writing on every keystroke."""
    return max(1, (os.cpu_count() or 2) // 2)


def _load_now(spec: ModelSpec) -> Any:
    """On the model thread: the generator for `spec` (torch and transformers are imported here)."""
    from apimigrate.local_models import ModelError, max_positions, require_model_packages
    require_model_packages("a model")        # a plain install serves diagnostics, not completions
    from apimigrate.evaluate.generate import load_generator

    from .cursor_generation import LoadedModel

    for path, what in ((spec.base, "model"), (spec.adapter, "adapter")):
        if path is not None and not path.is_dir():
            raise ModelError(f"no {what} directory at {path}")
    # maxNewTokens is a live setting: the prompt's length is fitted per request (cursor_generation).
    generator = load_generator(spec.base, spec.adapter, device=spec.device,
                               max_prompt_tokens=MAX_PROMPT_TOKENS, max_new_tokens=1)
    loaded = LoadedModel(generator, max_positions(generator.model.config))
    loaded.token_texts()        # decoded once here, not on the first keystroke's time
    return loaded
