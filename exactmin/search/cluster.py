"""Censuses and the fast engine's search on a Dask cluster (``--scheduler ADDRESS`` or
``--scheduler local[:N]``).

Equal consecutive ranges of the scan's order (:mod:`exactmin.search.parallel`) become Dask
tasks, ``TASKS_PER_WORKER`` per worker (tasks of seconds, not milliseconds, on large runs). The
instance and its unit regions are scattered to the workers once. Results are gathered in range
order and merged exactly as the local pool merges them, so counts, losses and the first bad
region do not depend on the cluster. A task only reads its inputs and returns its counts, so
Dask may rerun it (a lost worker) without changing anything. With a checkpoint
(:class:`~exactmin.search.checkpoint.ChunkCheckpoint`) every finished task is recorded as it
completes; a run whose client or scheduler died resumes with the unfinished tasks only.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from exactmin.errors import InvalidInput
from exactmin.geometry import Region
from exactmin.models import Instance
from exactmin.search.checkpoint import ChunkCheckpoint
from exactmin.search.outcome import ScanOptions, parse_scheduler
from exactmin.search.parallel import (
    equal_ranges,
    run_chunk_range,
    still_to_run,
    tuple_count,
)
from exactmin.search.progress import note
from exactmin.search.state import ScanState

__all__ = ["CONNECT_TIMEOUT", "TASKS_PER_WORKER", "cluster_chunks", "groups", "parse_scheduler",
           "run_ranges", "session", "worker_count"]

CONNECT_TIMEOUT = 10  # seconds to wait for a scheduler to answer
TASKS_PER_WORKER = 8


def _client(scheduler: str) -> tuple[Any, Any]:
    """A connected ``distributed.Client`` and the LocalCluster it owns (or None)."""
    import distributed

    kind, n = parse_scheduler(scheduler)
    if kind == "local":
        # its processes start with SIGINT ignored (inherited): Ctrl-C reaches the client
        # alone, which kills them (session); the dashboard is off (port 8787 may be taken)
        with _sigint(signal.SIG_IGN):
            cluster = local_cluster(n)
        return distributed.Client(cluster), cluster
    address = scheduler if "://" in scheduler else f"tcp://{scheduler}"
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError) as exc:
        raise InvalidInput(f"--scheduler={scheduler!r}: no Dask scheduler answered within "
                           f"{CONNECT_TIMEOUT} s ({exc.__class__.__name__}); start one with "
                           "`dask-scheduler`, or use --scheduler local:N") from None


def local_cluster(n: int) -> Any:
    """A ``distributed.LocalCluster`` of ``n`` single-threaded worker processes without a
    dashboard. Its scheduler's HTTP server (health, metrics) takes a free port: the default
    8787 is often taken (Jupyter, another Dask), and Dask then warns, even with the dashboard
    off."""
    import distributed

    # Dask's statistical profiler samples the worker thread every 10 ms; on these pure-Python
    # tasks it cost a quarter of a worker's time here (docs/distributed.md)
    return distributed.LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
        scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR,
        config={"distributed.worker.profile.enabled": False})


_OPEN: list[tuple[str, Any]] = []  # the open session: (scheduler, client)


@contextmanager
def session(scheduler: str) -> Iterator[Any]:
    """A connected client for the duration of the block (a LocalCluster is started and shut
    down with it); nested sessions on the same scheduler reuse the open one, so a census and
    its certificate share one cluster."""
    if _OPEN and _OPEN[-1][0] == scheduler:
        yield _OPEN[-1][1]
        return
    client, cluster = _client(scheduler)
    _OPEN.append((scheduler, client))
    interrupted: list[bool] = []
    quiet = ("tornado.application", "tornado", "distributed")

    def on_sigint(signum: int, frame: Any) -> None:
        interrupted.append(True)  # Dask may turn the KeyboardInterrupt into a cancellation
        # An interrupt inside Client.sync can make distributed's own cancel callback fail on
        # the event loop (a NameError logged by tornado with its traceback): the user pressed
        # Ctrl-C and gets one line, so the loop's logs stop here (as after any failed session)
        for name in quiet:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        raise KeyboardInterrupt

    try:
        with _sigint(on_sigint):
            yield client
    except BaseException:  # Ctrl-C (or an error): the local cluster's workers go at once
        if cluster is not None:
            logging.getLogger("distributed").setLevel(logging.CRITICAL + 1)  # silent teardown
            _kill_workers(cluster)
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        _OPEN.pop()
        client.close(timeout=2)
        if cluster is not None:
            try:
                cluster.close(timeout=2)
            except TimeoutError:  # a worker still runs a cancelled task (Dask cannot stop it)
                logging.getLogger("distributed").setLevel(logging.CRITICAL)
                _kill_workers(cluster)
                with contextlib.suppress(TimeoutError):
                    cluster.close(timeout=2)


@contextmanager
def _sigint(handler: Any) -> Iterator[None]:
    """``handler`` for SIGINT during the block (only the main thread may set one; elsewhere
    the block runs unchanged)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _kill_workers(cluster: Any) -> None:
    """Kill a LocalCluster's worker processes (and anything they started)."""
    import psutil  # a dependency of distributed

    for nanny in list(cluster.workers.values()):
        pid = getattr(getattr(getattr(nanny, "process", None), "process", None), "pid", None)
        try:
            proc = psutil.Process(pid) if pid else None
            for p in ([proc] + proc.children(recursive=True)) if proc else []:
                p.kill()
        except psutil.NoSuchProcess:
            pass


def worker_count(client: Any) -> int:
    """Worker processes (or threads) the scheduler knows of: at least 1."""
    info = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))


def groups(R: int, d1: int, symmetric: bool, workers: int) -> list[tuple[int, int]]:
    """Consecutive ranges of the scan's order (:func:`~exactmin.search.parallel.tuple_range`)
    of equal size, ``TASKS_PER_WORKER`` per worker (fewer when there are fewer tuples); a range
    may cut through a first-unit chunk, so no task is larger than the rest.

    >>> groups(10, 2, symmetric=False, workers=1)  # 100 tuples, 8 tasks
    [(0, 12), (12, 25), (25, 37), (37, 50), (50, 62), (62, 75), (75, 87), (87, 100)]
    """
    return equal_ranges(tuple_count(R, d1, symmetric), TASKS_PER_WORKER * workers)


def run_ranges(client: Any, fn: Callable[..., Any], shared: Any,
               ranges: Sequence[tuple[int, int]], args: tuple[Any, ...],
               on_result: Callable[[int, int, Any], None] | None = None,
               finished: dict[int, Any] | None = None,
               until: Callable[[Any], bool] | None = None) -> list[Any]:
    """``[fn(shared, lo, hi, *args) for lo, hi in ranges]`` as Dask tasks (``shared`` scattered
    to every worker once), in range order; ``on_result(done, i, value)`` as each task finishes
    (in any order). Ranges in ``finished`` (index -> value, from a checkpoint) are not
    submitted (nor the ranges after one of them for which ``until`` holds). Once
    ``until(value)`` holds for range i, the tasks of the ranges after i are cancelled and their
    values are None (the ranges before i still run to the end)."""
    import distributed

    out, cut, todo = still_to_run(len(ranges), finished, until)
    if todo:
        # a fresh key (hash=False): scattering equal data again under its content hash while
        # the previous run's copy is being released loses it (dask/distributed#3703)
        data = client.scatter(shared, broadcast=True, hash=False)
        futures = {client.submit(fn, data, *ranges[i], *args, pure=False): i for i in todo}
        for fut in distributed.as_completed(futures):
            i = futures[fut]
            if i > cut:
                continue
            out[i] = fut.result()
            if on_result is not None:
                on_result(len(out), i, out[i])
            if until is not None and until(out[i]):
                cut = i
                for later, j in futures.items():
                    if j > cut:
                        later.cancel()
                        out.pop(j, None)
            if all(j in out for j in todo if j <= cut):
                break
    return [out.get(i) for i in range(len(ranges))]


def cluster_chunks(scheduler: str, instance: Instance, units: Sequence[Region], symmetric: bool,
                   deadline: float | None, options: ScanOptions, on_progress: Any = None,
                   checkpoint: ChunkCheckpoint | None = None) -> ScanState:
    """The census of :func:`exactmin.search.parallel.run_chunks`, computed by the workers of a
    Dask cluster; the same merged partial census. ``on_progress(examined, tasks_done, tasks)``;
    with ``checkpoint``, every finished task is recorded as it completes and the tasks recorded
    before are not run again."""
    with session(scheduler) as client:
        ranges = groups(len(units), instance.d1, symmetric, worker_count(client))
        finished: dict[int, ScanState] = {}
        if checkpoint is not None:
            ranges, finished = checkpoint.load_chunks(ranges)
            if finished:
                note(f"resuming from {checkpoint.path}: {len(finished)} of {len(ranges)} "
                     "tasks are done")
        examined = [sum(p.examined for p in finished.values())]

        def record(done: int, i: int, part: ScanState) -> None:
            examined[0] += part.examined
            if checkpoint is not None and not part.stopped:
                finished[i] = part
                checkpoint.save_chunks(ranges, finished)
            if on_progress is not None:
                on_progress(examined[0], done, len(ranges))

        parts = run_ranges(client, run_chunk_range, (instance, tuple(units)), ranges,
                           (symmetric, deadline, options), record, finished)
    merged = ScanState(bad=[] if options.list_bad or options.list_dlm else None)
    for part in parts:  # in range order: a deterministic merge
        merged.merge(part)
    return merged
