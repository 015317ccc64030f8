"""Stopping a process pool at once, whatever its workers are doing: for a scan, a check or a dataset
build that is interrupted (Ctrl-C), fails, or whose caller stops reading its results."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

__all__ = ["stop_pool"]


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers, drop the work not begun, and return once the pool's thread has
    ended (left running into the interpreter's exit, it races concurrent.futures' exit hook).

    A worker may die halfway through sending its results. The pool's thread then waits for the
    rest of that message forever, because this process holds the results pipe's write end too, and
    `shutdown(wait=True)` waits with it: an interrupted scan hung so once, in a full CI run under
    load. Closing that end gives the thread the pipe's end instead: the pool breaks and shuts down.
    The private names are CPython 3.11 to 3.13's; 3.14 has `terminate_workers`."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
    pool.shutdown(wait=True, cancel_futures=True)
