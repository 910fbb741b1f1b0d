"""Independent obligations checked by several processes (stdlib multiprocessing, fork).

The verdict never depends on the number of processes: values come back in job order and a
failure is reported for the first failing job in order, exactly as a sequential run reports it.
"""

import multiprocessing
import os
import signal
from typing import Any, Callable, Iterable

from .reader import Malformed, Rejected

_TASK: Any = None  # (check, shared), set before the worker processes fork


def _run(job: Any) -> tuple[Any, ...]:
    """One job: ``("ok", value)``, or a failure as data (exceptions need not cross processes)."""
    check, shared = _TASK
    try:
        return ("ok", check(shared, job))
    except Malformed as exc:
        return ("malformed", exc.pointer, exc.message)
    except Rejected as exc:
        return ("rejected", exc.obligation, exc.expected, exc.found)


def map_jobs(check: Callable[[Any, Any], Any], shared: Any, jobs: Iterable[Any], workers: int,
             chunksize: int = 1, progress: Callable[[int, int], None] | None = None) -> list[Any]:
    """``[check(shared, job) for job in jobs]`` on ``workers`` processes, in job order; the first
    failure in job order is re-raised (later jobs are not waited for). ``check`` must be a
    module-level function; ``progress(done, total)`` is called as results come in."""
    global _TASK
    _TASK = (check, shared)
    jobs = list(jobs)
    values: list[Any] = []

    def collect(results: Iterable[tuple[Any, ...]]) -> tuple[Any, ...] | None:
        for done, r in enumerate(results, start=1):
            if progress is not None:
                progress(done, len(jobs))
            if r[0] != "ok":
                return r
            values.append(r[1])
        return None

    try:
        if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
            # workers ignore Ctrl-C; the parent's KeyboardInterrupt leaves the block, which
            # terminates them (one "interrupted" line, no traceback per worker)
            with multiprocessing.get_context("fork").Pool(
                    workers, signal.signal, (signal.SIGINT, signal.SIG_IGN)) as pool:
                failure = collect(pool.imap(_run, jobs, chunksize=chunksize))
        else:
            failure = collect(map(_run, jobs))
    finally:
        _TASK = None
    if failure is not None:
        if failure[0] == "malformed":
            raise Malformed(*failure[1:])
        raise Rejected(*failure[1:])
    return values


def first_failure(check: Callable[[Any, Any], None], shared: Any, jobs: Iterable[Any],
                  workers: int, chunksize: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> None:
    """Run ``check(shared, job)`` for every job on ``workers`` processes; re-raise the first
    failure in job order."""
    map_jobs(check, shared, jobs, workers, chunksize, progress)


def cores() -> int:
    return os.cpu_count() or 1
