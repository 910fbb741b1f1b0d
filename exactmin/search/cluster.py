"""A census on a Dask cluster (``--scheduler ADDRESS`` or ``--scheduler local[:N]``).

The chunks of :mod:`exactmin.search.parallel` (the tuples, or multisets, whose first entry is
``k0``) become Dask tasks; consecutive chunks are grouped so that there are about
``TASKS_PER_WORKER`` tasks per worker (tasks of seconds, not milliseconds, on large runs). The
instance and its unit regions are scattered to the workers once. Results are gathered in chunk
order and merged exactly as the local pool merges them, so counts, losses and the first bad
region do not depend on the cluster. A task only reads its inputs and returns its counts, so
Dask may rerun it (a lost worker) without changing anything.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from exactmin.errors import InvalidInput
from exactmin.geometry import Region
from exactmin.models import Instance
from exactmin.search.parallel import merge_chunk, new_merge, run_chunk_range

__all__ = ["CONNECT_TIMEOUT", "TASKS_PER_WORKER", "cluster_chunks", "parse_scheduler"]

CONNECT_TIMEOUT = 10  # seconds to wait for a scheduler to answer
TASKS_PER_WORKER = 8


def parse_scheduler(value: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local`` / ``local:N`` (N worker processes, default 2), else
    ``("address", None)`` for a ``tcp://host:port`` (or ``host:port``) address.

    >>> parse_scheduler("local:3"), parse_scheduler("tcp://10.0.0.2:8786")
    (('local', 3), ('address', None))
    """
    if value == "local" or value.startswith("local:"):
        n = value.partition(":")[2] or "2"
        if not n.isdigit() or not 1 <= int(n) <= 256:
            raise InvalidInput(f"--scheduler={value!r}: use local or local:N with N from 1 to "
                               "256 worker processes, or a scheduler address tcp://host:8786")
        return "local", int(n)
    if "://" not in value and ":" not in value:
        raise InvalidInput(f"--scheduler={value!r}: give a scheduler address such as "
                           "tcp://host:8786, or local[:N]")
    return "address", None


def _client(scheduler: str) -> tuple[Any, Any]:
    """A connected ``distributed.Client`` and the LocalCluster it owns (or None)."""
    import distributed

    kind, n = parse_scheduler(scheduler)
    if kind == "local":
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        return distributed.Client(cluster), cluster
    address = scheduler if "://" in scheduler else f"tcp://{scheduler}"
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError) as exc:
        raise InvalidInput(f"--scheduler={scheduler!r}: no Dask scheduler answered within "
                           f"{CONNECT_TIMEOUT} s ({exc.__class__.__name__}); start one with "
                           "`dask-scheduler`, or use --scheduler local:N") from None


def _groups(R: int, d1: int, symmetric: bool, tasks: int) -> list[tuple[int, int]]:
    """Consecutive ranges of first-unit regions with about equal numbers of tuples each."""
    def size(k0: int) -> int:
        return math.comb(R - k0 + d1 - 2, d1 - 1) if symmetric else R ** (d1 - 1)

    total = sum(size(k) for k in range(R))
    target = max(1, total // max(1, tasks))
    out, start, acc = [], 0, 0
    for k in range(R):
        acc += size(k)
        if acc >= target:
            out.append((start, k + 1))
            start, acc = k + 1, 0
    if start < R:
        out.append((start, R))
    return out


def cluster_chunks(scheduler: str, instance: Instance, units: Sequence[Region], symmetric: bool,
                   deadline: float | None, backend: str | None, on_progress: Any = None,
                   list_bad: bool | str = False, fast: bool = False) -> dict[str, Any]:
    """The census counts of :func:`exactmin.search.parallel.run_chunks`, computed by the
    workers of a Dask cluster; the same merged result."""
    client, cluster = _client(scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = client.scatter((instance, tuple(units)), broadcast=True)
        ranges = _groups(len(units), instance.d1, symmetric, TASKS_PER_WORKER * workers)
        futures = [client.submit(run_chunk_range, shared, lo, hi, symmetric, deadline, backend,
                                 list_bad, fast, pure=False) for lo, hi in ranges]
        merged = new_merge()
        for fut in futures:  # in chunk order: a deterministic merge
            merge_chunk(merged, fut.result())
            if on_progress is not None:
                on_progress(merged["examined"])
        return merged
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
