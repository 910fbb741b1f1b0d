"""A census split over processes: one chunk per region of the first hidden unit.

Chunk k0 holds the tuples (or, without noise, the multisets) whose first entry is k0, so the
chunks partition the iteration of the sequential scan; counts add up and the first bad region
is taken from the lowest chunk that has one, which makes the result independent of the number
of workers. Chunks are scheduled dynamically, which balances their unequal sizes.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

from exactmin.decide import RegionDecision, decide_region
from exactmin.decide.soudry_carmon_integer import RegionDecider
from exactmin.geometry import Region
from exactmin.geometry.lp import warm_up
from exactmin.models import Instance
from exactmin.search.state import ScanState

__all__ = [
    "PARALLEL_EFFICIENCY",
    "chunk_tuples",
    "map_ranges",
    "merge_chunk",
    "new_merge",
    "orderings",
    "run_chunk_range",
    "run_chunks",
]


PARALLEL_EFFICIENCY = 0.8  # speedup per worker of the parallel census (1.6-1.8x on 2 cores here)


def chunk_tuples(R: int, d1: int, k0: int, symmetric: bool) -> Iterator[tuple[int, ...]]:
    """The tuples of chunk ``k0``, in the order of the sequential scan.

    >>> list(chunk_tuples(3, 2, 1, symmetric=True))
    [(1, 1), (1, 2)]
    >>> len(list(chunk_tuples(3, 2, 1, symmetric=False)))
    3
    """
    rest = (itertools.combinations_with_replacement(range(k0, R), d1 - 1) if symmetric
            else itertools.product(range(R), repeat=d1 - 1))
    return ((k0,) + tail for tail in rest)


def orderings(idx: tuple[int, ...]) -> int:
    """Number of distinct orderings of a multiset (d1! / prod of multiplicities!).

    >>> orderings((0, 0, 3)), orderings((1, 2, 3))
    (3, 6)
    """
    out = math.factorial(len(idx))
    for k in set(idx):
        out //= math.factorial(idx.count(k))
    return out


def run_chunk_range(shared: tuple[Instance, Sequence[Region]], lo: int, hi: int,
                    symmetric: bool, deadline: float | None, backend: str | None,
                    list_bad: bool | str, fast: bool) -> dict[str, Any]:
    """The counts of chunks ``lo .. hi - 1`` (first-unit regions), in the sequential order; a
    pure function of its arguments, so a task may be rerun. ``deadline`` is an instant of the
    wall clock (``time.time()``): a Dask worker on another machine reads its own clock, and only
    the wall clocks of machines agree (a monotonic clock counts from each machine's boot)."""
    instance, units = shared
    st = ScanState(bad=[] if list_bad else None, keep_all=list_bad == "all")
    stopped = False
    blocks: dict[Any, Any] = {}
    integer = RegionDecider(instance) if fast and backend != "python" else None
    tuples = (t for k0 in range(lo, hi) for t in chunk_tuples(len(units), instance.d1, k0,
                                                              symmetric))
    for n, idx in enumerate(tuples):
        if deadline is not None and n > 0 and time.time() > deadline:
            stopped = True
            break
        regs = [units[k] for k in idx]
        if integer is not None:  # the census of the fast engine, in integers
            dec = integer(regs, point=bool(list_bad) or st.first_bad is None)
        else:
            dec = decide_region(instance, regs, find_dlm=True, backend=backend, blocks=blocks)
        st.add(dec, orderings(idx) if symmetric else 1, instance.N, idx)
    return dict(examined=st.examined, full=st.full, dlm=st.dlm, bad_count=st.bad_count,
                losses=st.losses, first_bad=st.first_bad, stopped=stopped, bad=st.bad or [])


def new_merge() -> dict[str, Any]:
    """Empty merged counts (see :func:`merge_chunk`)."""
    return dict(examined=0, full=0, dlm=0, bad_count=0, losses=set[Fraction](), first_bad=None,
                stopped=False, bad=[])


def merge_chunk(merged: dict[str, Any], part: dict[str, Any]) -> None:
    """Add one chunk's counts; chunks must come in order (the first bad region is the first
    chunk's that has one, as in the sequential scan)."""
    for key in ("examined", "full", "dlm", "bad_count"):
        merged[key] += part[key]
    merged["losses"] |= part["losses"]
    merged["bad"] += part["bad"]
    merged["stopped"] = merged["stopped"] or part["stopped"]
    first: RegionDecision | None = part["first_bad"]
    if merged["first_bad"] is None and first is not None:
        merged["first_bad"] = first


def map_ranges(fn: Callable[..., Any], shared: Any, ranges: Sequence[tuple[int, int]],
               args: tuple[Any, ...], workers: int,
               on_result: Callable[[int, int, Any], None] | None = None) -> list[Any]:
    """``[fn(shared, lo, hi, *args) for lo, hi in ranges]`` on ``workers`` forked processes,
    scheduled dynamically (which balances unequal chunks); ``on_result(done, i, value)`` as each
    range finishes, in any order. ``fn`` must be a module-level function."""
    if workers <= 1 or len(ranges) <= 1:
        out = []
        for i, (lo, hi) in enumerate(ranges):
            out.append(fn(shared, lo, hi, *args))
            if on_result is not None:
                on_result(i + 1, i, out[-1])
        return out
    found: dict[int, Any] = {}
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(fn, shared, lo, hi, *args): i for i, (lo, hi) in enumerate(ranges)}
        for fut in as_completed(futures):
            i = futures[fut]
            found[i] = fut.result()
            if on_result is not None:
                on_result(len(found), i, found[i])
    return [found[i] for i in range(len(ranges))]


def run_chunks(instance: Instance, units: Sequence[Region], symmetric: bool, workers: int,
               deadline: float | None, backend: str | None,
               on_progress: Any = None, list_bad: bool | str = False,
               fast: bool = False) -> dict[str, Any]:
    """Census counts over every chunk, merged in chunk order (``deadline``: time.time());
    with ``list_bad`` also every bad region (``"all"``: every DLM region), in the sequential
    scan's order. ``fast``: decide regions in integers (:class:`RegionDecider`, the fast
    engine) rather than with the reference decision."""
    if fast:
        warm_up()  # imported once here, inherited by the forked workers
    examined = [0]

    def count(_done: int, _i: int, part: dict[str, Any]) -> None:
        examined[0] += part["examined"]
        if on_progress is not None:
            on_progress(examined[0])

    parts = map_ranges(run_chunk_range, (instance, tuple(units)),
                       [(k0, k0 + 1) for k0 in range(len(units))],
                       (symmetric, deadline, backend, list_bad, fast), workers, count)
    merged = new_merge()
    for part in parts:  # in chunk order: the first bad region is the sequential scan's
        merge_chunk(merged, part)
    return merged
