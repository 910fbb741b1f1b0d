"""A census split over processes (or Dask tasks) by ranges of the sequential scan's order.

The scan visits the tuples of unit regions (or, without noise, the multisets) in a fixed order,
the kernel's: ``itertools.product`` (``combinations_with_replacement``). A range ``[lo, hi)``
of positions in that order is a unit of work: :func:`tuple_range` starts it at position ``lo``
directly (by unranking), so ranges may have any size and cut anywhere. Counts of consecutive
ranges add up and the first bad region is taken from the lowest range that has one, which makes
the result independent of the split and of the number of workers. The local pool uses one
range per region of the first hidden unit (a *chunk*: the tuples whose first entry is ``k0``),
scheduled dynamically; a cluster uses equal ranges (:func:`equal_ranges`).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import as_completed
from typing import Any, Callable, Iterator, Sequence

from exactmin.decide import decide_region
from exactmin.decide.soudry_carmon_integer import RegionDecider
from exactmin.geometry import Region
from exactmin.geometry.lp import warm_up
from exactmin.models import Instance
from exactmin.processes import process_pool, stop
from exactmin.search.outcome import ScanOptions
from exactmin.search.state import ScanState

__all__ = [
    "PARALLEL_EFFICIENCY",
    "SCREEN_MIN_REGIONS",
    "chunk_ranges",
    "equal_ranges",
    "map_ranges",
    "orderings",
    "run_chunk_range",
    "run_chunks",
    "screen_table",
    "screened_census",
    "tuple_count",
    "tuple_range",
]


PARALLEL_EFFICIENCY = 0.8  # speedup per worker of the parallel census (1.6-1.8x on 2 cores here)


def tuple_count(R: int, d1: int, symmetric: bool) -> int:
    """Tuples (``R ** d1``) or multisets (``C(R + d1 - 1, d1)``) of ``R`` unit regions.

    >>> tuple_count(4, 2, symmetric=True), tuple_count(4, 2, symmetric=False)
    (10, 16)
    """
    return math.comb(R + d1 - 1, d1) if symmetric else R ** d1


def _unrank(R: int, d1: int, symmetric: bool, r: int) -> list[int]:
    """The tuple at position ``r`` of the scan's order."""
    if not symmetric:
        digits = []
        for _ in range(d1):
            r, k = divmod(r, R)
            digits.append(k)
        return digits[::-1]
    out, k = [], 0
    for pos in range(d1):
        left = d1 - pos - 1  # entries after this one, each >= the chosen k
        while r >= (c := math.comb(R - k + left - 1, left)):
            r -= c
            k += 1
        out.append(k)
    return out


def tuple_range(R: int, d1: int, symmetric: bool, lo: int, hi: int
                ) -> Iterator[tuple[int, ...]]:
    """The tuples (multisets) at positions ``lo .. hi - 1`` of the scan's order, without
    visiting the ones before ``lo``.

    >>> list(tuple_range(3, 2, True, 2, 5))  # combinations_with_replacement(range(3), 2)[2:5]
    [(0, 2), (1, 1), (1, 2)]
    >>> list(tuple_range(3, 2, False, 2, 4))
    [(0, 2), (1, 0)]
    """
    hi = min(hi, tuple_count(R, d1, symmetric))
    if lo >= hi:
        return
    t = _unrank(R, d1, symmetric, lo)
    for _ in range(hi - lo):
        yield tuple(t)
        i = d1 - 1
        while i >= 0 and t[i] == R - 1:
            i -= 1
        if i < 0:
            return
        t[i] += 1
        for j in range(i + 1, d1):
            t[j] = t[i] if symmetric else 0


def chunk_ranges(R: int, d1: int, symmetric: bool) -> list[tuple[int, int]]:
    """One range per region ``k0`` of the first unit: the tuples whose first entry is ``k0``.

    >>> chunk_ranges(3, 2, symmetric=True), chunk_ranges(3, 2, symmetric=False)
    ([(0, 3), (3, 5), (5, 6)], [(0, 3), (3, 6), (6, 9)])
    """
    out, start = [], 0
    for k0 in range(R):
        size = math.comb(R - k0 + d1 - 2, d1 - 1) if symmetric else R ** (d1 - 1)
        out.append((start, start + size))
        start += size
    return out


def equal_ranges(total: int, parts: int) -> list[tuple[int, int]]:
    """``[0, total)`` cut into ``min(parts, total)`` consecutive ranges whose sizes differ by at
    most one.

    >>> equal_ranges(10, 4)
    [(0, 2), (2, 5), (5, 7), (7, 10)]
    """
    parts = max(1, min(parts, total))
    cuts = [total * i // parts for i in range(parts + 1)]
    return list(zip(cuts, cuts[1:]))


def orderings(idx: tuple[int, ...]) -> int:
    """Number of distinct orderings of a multiset (d1! / prod of multiplicities!).

    >>> orderings((0, 0, 3)), orderings((1, 2, 3))
    (3, 6)
    """
    out = math.factorial(len(idx))
    for k in set(idx):
        out //= math.factorial(idx.count(k))
    return out


SCREEN_MIN_REGIONS = 20_000  # a smaller census neither imports numba nor compiles the screen


def screen_table(integer: RegionDecider | None, units: Sequence[Region], regions: int) -> Any:
    """The compiled screen's table (:mod:`exactmin.search.screen`) for a census of ``regions``
    tuples decided by ``integer``, or None: without the integer decider (the pure-Python
    backend, the naive engine) or below :data:`SCREEN_MIN_REGIONS` tuples."""
    if integer is None or regions < SCREEN_MIN_REGIONS:
        return None
    from exactmin.search import screen_lp
    from exactmin.search.screen import table_for

    screen_lp.warm_up()  # compiled (or loaded) before any region is timed or decided
    return table_for(integer, units)


SCREEN_BLOCK = 1024  # tuples per call of the screen (a budget and Ctrl-C are seen between calls)


def screened_census(table: Any, decide: Any, units: Sequence[Region], st: Any,
                    lo: int, hi: int, symmetric: bool, stop: Any,
                    on_block: Any = None) -> None:
    """Count the tuples at positions ``lo .. hi - 1`` of the scan's order into ``st`` (a
    :class:`~exactmin.search.state.ScanState`): blocks of :data:`SCREEN_BLOCK` screened by
    :func:`exactmin.search.screen.screen_range` (``table``: its table), the deferred
    tuples by :func:`exactmin.search.screen_lp.solve_deferred` and those it leaves decided by
    ``decide(regions, point, hint)`` in order (``point``: the first bad region or a listing
    needs the DLM point, as without the screen; ``hint``: the sign choice of ``z`` the floats
    found feasible, tried first). A block enters ``st`` whole or not at
    all (an interruption inside one leaves ``st`` as it was: a checkpoint saved then resumes at
    the block). ``stop()`` is asked before every block but the first (True: ``st.stopped``);
    ``on_block(st)`` after each."""
    from exactmin.search.screen import screen_range
    from exactmin.search.screen_lp import solve_deferred

    R, d1 = len(units), table.blocks.shape[1]
    N = table.signs.shape[1]
    pos = lo
    while pos < hi:
        if pos > lo and stop():
            st.stopped = True
            break
        size = min(SCREEN_BLOCK, hi - pos)
        _, weight, full, deferred = screen_range(table, _unrank(R, d1, symmetric, pos), size,
                                                 symmetric)
        block = ScanState(done=size, examined=weight, full=full,
                          bad=None if st.bad is None else [], keep_all=st.keep_all)
        ranks, hints = solve_deferred(table, deferred)  # no DLM, proved in compiled code
        left = []
        for idx, r, hint in zip(deferred, ranks, hints):
            if r < 0:
                left.append((idx, hint))
                continue
            w = orderings(idx) if symmetric else 1
            block.examined += w
            block.full += w * (r == N)
        for idx, hint in left:
            point = st.bad is not None or (st.first_bad is None and block.first_bad is None)
            dec = decide([units[k] for k in idx], point=point, hint=hint)
            block.add(dec, orderings(idx) if symmetric else 1, N, idx)
        st.merge(block)
        pos += size
        if on_block is not None:
            on_block(st)


def run_chunk_range(shared: tuple[Instance, Sequence[Region]], lo: int, hi: int,
                    symmetric: bool, deadline: float | None,
                    options: ScanOptions) -> ScanState:
    """The partial census of the tuples at positions ``lo .. hi - 1`` of the scan's order; a
    pure function of its arguments, so a task may be rerun. ``deadline`` is an instant of the
    wall clock (``time.time()``): a Dask worker on another machine reads its own clock, and only
    the wall clocks of machines agree (a monotonic clock counts from each machine's boot).
    ``options``: the run's (backend, engine, listing)."""
    instance, units = shared
    list_bad = options.list_bad or options.list_dlm
    st = ScanState(bad=[] if list_bad else None, keep_all=options.list_dlm)
    blocks: dict[Any, Any] = {}
    fast = options.engine == "fast"
    integer = RegionDecider(instance) if fast and options.backend != "python" else None
    table = screen_table(integer, units, tuple_count(len(units), instance.d1, symmetric))
    if table is not None:  # the compiled screen first; the decider for what it defers
        screened_census(table, integer, units, st, lo, hi, symmetric,
                        lambda: deadline is not None and time.time() > deadline)
        return st
    for n, idx in enumerate(tuple_range(len(units), instance.d1, symmetric, lo, hi)):
        if deadline is not None and n > 0 and time.time() > deadline:
            st.stopped = True
            break
        regs = [units[k] for k in idx]
        if integer is not None:  # the census of the fast engine, in integers
            dec = integer(regs, point=list_bad or st.first_bad is None)
        else:
            dec = decide_region(instance, regs, find_dlm=True, backend=options.backend,
                                blocks=blocks)
        st.add(dec, orderings(idx) if symmetric else 1, instance.N, idx)
    return st


def still_to_run(n: int, finished: dict[int, Any] | None,
                 until: Callable[[Any], bool] | None) -> tuple[dict[int, Any], int, list[int]]:
    """What a run over ``n`` ranges does after the ranges ``finished`` before (index -> value,
    from a checkpoint): ``(values kept, cut, ranges to run)``, the cut being the first finished
    range for which ``until`` holds (``n`` when none does); nothing after it is kept or run.

    >>> still_to_run(5, {0: 1, 2: 9, 4: 1}, lambda v: v > 5)
    ({0: 1, 2: 9}, 2, [1])
    """
    out = dict(finished or {})
    cut = min([i for i, v in out.items() if until is not None and until(v)], default=n)
    return ({i: v for i, v in out.items() if i <= cut}, cut,
            [i for i in range(n) if i not in out and i < cut])


def map_ranges(fn: Callable[..., Any], shared: Any, ranges: Sequence[tuple[int, int]],
               args: tuple[Any, ...], workers: int,
               on_result: Callable[[int, int, Any], None] | None = None,
               finished: dict[int, Any] | None = None,
               until: Callable[[Any], bool] | None = None) -> list[Any]:
    """``[fn(shared, lo, hi, *args) for lo, hi in ranges]`` on ``workers`` forked processes,
    scheduled dynamically (which balances unequal chunks); ``on_result(done, i, value)`` as each
    range finishes, in any order. ``fn`` must be a module-level function. Ranges in
    ``finished`` (index -> value, from a checkpoint) are not run again. Once ``until(value)``
    holds for range i, the ranges after i are dropped and their values are None (the ranges
    before i still run to the end), as in :func:`exactmin.search.cluster.run_ranges`.

    >>> def span(shared, lo, hi): return shared * (hi - lo)
    >>> map_ranges(span, 10, [(0, 1), (1, 3), (3, 6)], (), 1, finished={0: 99})
    [99, 20, 30]
    >>> map_ranges(span, 10, [(0, 1), (1, 3), (3, 6)], (), 1, until=lambda v: v == 20)
    [10, 20, None]
    """
    out, cut, todo = still_to_run(len(ranges), finished, until)

    def take(i: int, value: Any) -> None:
        nonlocal cut
        out[i] = value
        if on_result is not None:
            on_result(len(out), i, value)
        if until is not None and until(value):
            cut = min(cut, i)
            for j in [j for j in out if j > cut]:
                del out[j]

    if workers <= 1 or len(todo) <= 1:
        for i in todo:
            if i > cut:
                break
            take(i, fn(shared, *ranges[i], *args))
        return [out.get(i) for i in range(len(ranges))]
    with process_pool(workers) as pool:
        futures = {pool.submit(fn, shared, *ranges[i], *args): i for i in todo}
        for fut in as_completed(futures):
            i = futures[fut]
            if i > cut:
                continue
            take(i, fut.result())
            if i == cut:
                for later, j in futures.items():
                    if j > cut:
                        later.cancel()
            if all(j in out for j in todo if j <= cut):
                if cut < len(ranges):
                    stop(pool)  # only ranges after the cut can still be running
                break
    return [out.get(i) for i in range(len(ranges))]


def run_chunks(instance: Instance, units: Sequence[Region], symmetric: bool, workers: int,
               deadline: float | None, options: ScanOptions,
               on_progress: Any = None) -> ScanState:
    """The census over every chunk, merged in chunk order (``deadline``: time.time()); with
    ``options.list_bad`` also every bad region (``list_dlm``: every DLM region), in the
    sequential scan's order. The fast engine decides regions in integers
    (:class:`RegionDecider`), the naive one with the reference decision."""
    if options.engine == "fast":
        warm_up()  # imported once here, inherited by the forked workers
        if (options.backend != "python"
                and tuple_count(len(units), instance.d1, symmetric) >= SCREEN_MIN_REGIONS):
            from exactmin.search import screen_lp

            screen_lp.warm_up()  # compiled (or loaded) once, before the workers fork
    examined = [0]

    def count(_done: int, _i: int, part: ScanState) -> None:
        examined[0] += part.examined
        if on_progress is not None:
            on_progress(examined[0])

    parts = map_ranges(run_chunk_range, (instance, tuple(units)),
                       chunk_ranges(len(units), instance.d1, symmetric),
                       (symmetric, deadline, options), workers, count)
    merged = ScanState(bad=[] if options.list_bad or options.list_dlm else None)
    for part in parts:  # in chunk order: the first bad region is the sequential scan's
        merged.merge(part)
    return merged
