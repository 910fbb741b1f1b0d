"""Worker processes that Ctrl-C stops within a second, for every engine's process pool.

A terminal's Ctrl-C sends SIGINT to the whole process group. A worker of a plain
``ProcessPoolExecutor`` turns it into an exception *inside the running task* and goes on with
the next one, and the parent's ``with`` block waits for every running task before it re-raises:
a census went on for ten minutes after Ctrl-C. Here workers ignore SIGINT (the parent alone
decides), and when the block is left by an exception the pending tasks are cancelled and the
workers killed at once.

The processes are the parallelism: each worker's BLAS (numpy's and scipy's OpenBLAS, which
numba's ``np.dot`` calls) runs on one thread. Left at its default (one thread per core) every
worker of a pool as large as the machine starts as many BLAS threads as there are cores: on 2
cores, two processes searching noisy (4, 4, 16) (1,152 unit regions, one 1,152 x 70 by
70 x 1,152 product per pair node) took 19.3 s per first-unit region each, against 9.2-10.1 s
with one BLAS thread (one process alone: 8.3 s with two threads). Dask's workers get the same
from their nanny (``OPENBLAS_NUM_THREADS=1``). Layer 0: the standard library, and threadpoolctl
(imported only where a limit is set).
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Iterator

__all__ = ["one_blas_thread", "process_pool"]


def one_blas_thread() -> Any:
    """Limit the BLAS libraries already loaded in this process to one thread (a library loaded
    later keeps its default: the fast engine loads numba's before its workers fork); the
    returned object's ``restore_original_limits()`` (or a ``with`` block) undoes it.

    >>> with one_blas_thread():
    ...     pass
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    one_blas_thread()


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A fork-based pool of ``workers`` processes for the block, each ignoring SIGINT and with
    one BLAS thread; on any exception leaving the block (KeyboardInterrupt included) its
    workers are killed before the exception goes on.

    >>> with process_pool(2) as pool:
    ...     sorted(pool.map(abs, [-2, 1]))
    [1, 2]
    """
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker)
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
