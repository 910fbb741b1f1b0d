"""Worker processes that Ctrl-C stops within a second, for every engine's process pool.

A terminal's Ctrl-C sends SIGINT to the whole process group. A worker of a plain
``ProcessPoolExecutor`` turns it into an exception *inside the running task* and goes on with
the next one, and the parent's ``with`` block waits for every running task before it re-raises:
a census went on for ten minutes after Ctrl-C. Here workers ignore SIGINT (the parent alone
decides), and when the block is left by an exception the pending tasks are cancelled and the
workers killed at once. Layer 0: standard library only.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator

__all__ = ["process_pool"]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A fork-based pool of ``workers`` processes for the block; on any exception leaving the
    block (KeyboardInterrupt included) its workers are killed before the exception goes on.

    >>> with process_pool(2) as pool:
    ...     sorted(pool.map(abs, [-2, 1]))
    [1, 2]
    """
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_ignore_sigint)
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown(wait=True)


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and kill the workers (which may be mid-task)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        p.kill()
    for p in procs:
        p.join(timeout=1)
