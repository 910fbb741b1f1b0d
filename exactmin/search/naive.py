"""Plain enumeration of differentiable regions with a time budget and early exit.

Every ordered tuple of unit regions (one per hidden unit) is decided by
:func:`exactmin.models.decide_region`. Without ``census`` the LPs run only where a bad DLM is
possible at all (``rank K < N`` and a nonzero least-squares residual) and the scan stops at the
first bad DLM; with ``census`` every region gets its full decision.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from typing import Any, Iterator

from exactmin.decide import RegionDecision, decide_region
from exactmin.decide.soudry_carmon_integer import RegionDecider
from exactmin.geometry import Region, enumerate_regions
from exactmin.geometry.lp import warm_up
from exactmin.models import Instance
from exactmin.search.checkpoint import Checkpoint, ChunkCheckpoint
from exactmin.search.cost import human_seconds, refuse_if_too_long
from exactmin.search.outcome import ScanOptions, ScanOutcome
from exactmin.search.parallel import (
    PARALLEL_EFFICIENCY,
    run_chunks,
    screen_table,
    screened_census,
    tuple_count,
)
from exactmin.search.parallel import orderings as _orderings
from exactmin.search.progress import Progress, note
from exactmin.search.state import ScanState

__all__ = ["naive_scan"]



def naive_scan(instance: Instance, options: ScanOptions) -> ScanOutcome:
    """Every ordered tuple of unit regions, in lexicographic order (multisets without noise in a
    fast census), each decided by :func:`exactmin.models.decide_region`; same contract as
    :func:`exactmin.search.scan_regions`."""
    census, budget, force, backend = (options.census, options.budget, options.force,
                                      options.backend)
    witnesses, engine, workers = options.witnesses, options.engine, options.workers
    progress, checkpoint = options.progress, options.checkpoint
    start = time.perf_counter()
    units: list[Region] = enumerate_regions(instance.X)
    total = len(units) ** instance.d1
    # Without noise, permuting hidden units permutes the blocks of K and the sign choices of z,
    # so rank, residual, loss and DLM existence are the same for every ordering of a multiset of
    # unit regions: the fast census decides each multiset once, weighted by its orderings.
    symmetric = engine == "fast" and instance.noise is None and not witnesses
    tuples: Iterator[tuple[int, ...]]
    if symmetric:
        tuples = itertools.combinations_with_replacement(range(len(units)), instance.d1)
        iterations = math.comb(len(units) + instance.d1 - 1, instance.d1)
    else:
        tuples = itertools.product(range(len(units)), repeat=instance.d1)
        iterations = total
    list_bad = "all" if options.list_dlm else options.list_bad
    parallel = (census and workers > 1 and checkpoint is None and not witnesses
                and instance.d1 >= 2 and iterations >= PARALLEL_CENSUS_MIN)
    if options.scheduler is not None:  # a census on a Dask cluster
        return _cluster_census(instance, units, symmetric, iterations, total, start, options)
    ck = None
    st = ScanState(bad=[] if list_bad else None, keep_all=list_bad == "all")
    if checkpoint is not None:
        ck = Checkpoint(checkpoint, instance, {"census": census, "engine": engine,
                                               "symmetric": symmetric})
        st = ck.load()  # reads only: nothing is written before the estimate below
        tuples = itertools.islice(tuples, st.done, None)
    # refuse before any work or file is kept (a run no longer than twice the sample is not
    # estimated: sampling it would cost as much as running it)
    if not force and budget is None and iterations - st.done > 2 * SAMPLE_REGIONS:
        per = sampled_seconds_per_region(instance, units, symmetric, census, backend)
        speedup = PARALLEL_EFFICIENCY * workers if parallel else 1.0
        _refuse_if_slow(iterations - st.done, per, speedup, total,
                        time.perf_counter() - start)
        ESTIMATES.append(time.perf_counter() - start + per * (iterations - st.done)
                         / speedup)
        note(f"{iterations - st.done} regions to decide, estimated at {ESTIMATES[-1]:.3g} s "
             f"({per * 1e3:.3g} ms per region on {SAMPLED[-1]} sampled"
             f"{f', {workers} processes' if parallel else ''}); running")
    if parallel:
        return _parallel_census(instance, units, symmetric, total, start, options, workers)
    deadline = None if budget is None else start + budget
    stopped: str | None = None
    resumed_at = st.done  # every run decides at least one region before its budget applies
    bar = Progress(total, progress)
    blocks: dict = {}
    kept: list[RegionDecision] = []
    integer = integer_decider(instance, backend) if census and engine == "fast" else None
    if witnesses:
        integer = None
    table = screen_table(integer, units, iterations)
    try:
        if table is not None:  # the compiled screen, the decider for what it defers
            def after_block(state: ScanState) -> None:
                bar.update(state.examined)
                if ck is not None and ck.due():
                    ck.save(state)

            screened_census(table, integer, units, st, st.done, iterations, symmetric,
                            lambda: deadline is not None and time.perf_counter() > deadline,
                            after_block)
            if st.stopped:
                stopped = (f"time budget of {budget:g} s ran out after {st.examined} of "
                           f"{total} regions")
            tuples = iter(())
        for done, idx in enumerate(tuples, start=st.done):
            if done % 256 == 0:
                bar.update(st.examined)
            if deadline is not None and done > resumed_at and time.perf_counter() > deadline:
                stopped = (f"time budget of {budget:g} s ran out after {st.examined} of "
                           f"{total} regions")
                break
            tup = [units[k] for k in idx]
            weight = _orderings(idx) if symmetric else 1
            if integer is not None:  # the census of the fast engine, in integers
                dec = integer(tup, point=bool(list_bad) or st.first_bad is None)
            else:
                dec = decide_region(
                    instance, tup, find_dlm=census, backend=backend, blocks=blocks,
                    witness=witnesses,
                )
            if dec.has_dlm is None and dec.rank < instance.N and dec.loss != 0:
                dec = decide_region(instance, tup, find_dlm=True, backend=backend, blocks=blocks)
            if witnesses:
                kept.append(dec)
            st.done = done + 1
            if st.add(dec, weight, instance.N, tuple(idx)) and not census:
                break
            if ck is not None and ck.due():
                ck.save(st)
    finally:  # an interruption (Ctrl-C) keeps everything decided so far
        if ck is not None:
            ck.save(st)
    bar.close()
    return ScanOutcome(
        st.to_census(len(units), total, census), st.first_bad, stopped, tuple(units),
        tuple(kept) if witnesses else None, bad_regions=tuple(st.bad or ()),
    )


PARALLEL_CENSUS_MIN = 2000  # multisets/tuples below which starting processes does not pay


def _cluster_census(instance: Instance, units: list[Region], symmetric: bool, iterations: int,
                    total: int, start: float, options: ScanOptions) -> ScanOutcome:
    """The census on a Dask cluster (:mod:`exactmin.search.cluster`): connect, estimate the run
    on the cluster's workers (refused above ten minutes unless forced or budgeted), run."""
    from exactmin.search import cluster

    assert options.scheduler is not None
    ck = None
    if options.checkpoint is not None:
        ck = ChunkCheckpoint(options.checkpoint, instance, {
            "census": True, "engine": options.engine, "symmetric": symmetric, "cluster": True,
            "split": "equal ranges"})
    with cluster.session(options.scheduler) as client:
        n = cluster.worker_count(client)
        left = iterations
        if ck is not None:  # the tasks have equal numbers of tuples (within one)
            ranges, finished = ck.load_chunks(cluster.groups(len(units), instance.d1,
                                                             symmetric, n))
            left = iterations * (len(ranges) - len(finished)) // len(ranges)
        if not options.force and options.budget is None and left > 2 * SAMPLE_REGIONS:
            per = sampled_seconds_per_region(instance, units, symmetric, True, options.backend)
            speedup = PARALLEL_EFFICIENCY * n
            _refuse_if_slow(left, per, speedup, total, time.perf_counter() - start,
                            on=f"{n} cluster workers")
            ESTIMATES.append(time.perf_counter() - start + per * left / speedup)
            note(f"{left} regions to decide, estimated at {ESTIMATES[-1]:.3g} s on {n} cluster "
                 f"workers ({per * 1e3:.3g} ms per region here); running")
        return _parallel_census(instance, units, symmetric, total, start, options, n, ck)


def _parallel_census(instance: Instance, units: list[Region], symmetric: bool, total: int,
                     start: float, options: ScanOptions, workers: int,
                     checkpoint: ChunkCheckpoint | None = None) -> ScanOutcome:
    """The census over ``workers`` processes (:mod:`exactmin.search.parallel`), or on the
    Dask cluster ``options.scheduler`` (:mod:`exactmin.search.cluster`)."""
    # a wall-clock instant: the workers of a cluster compare it with their own clocks
    budget = options.budget
    deadline = None if budget is None else time.time() + budget - (time.perf_counter() - start)
    bar = Progress(total, options.progress)
    try:
        if options.scheduler is not None:
            from exactmin.search.cluster import cluster_chunks

            m = cluster_chunks(options.scheduler, instance, units, symmetric, deadline, options,
                               lambda ex, done, tasks: bar.update(ex, tasks=f"{done}/{tasks}"),
                               checkpoint)
        else:
            m = run_chunks(instance, units, symmetric, workers, deadline, options, bar.update)
    finally:
        bar.close()
    stopped = None
    if m.stopped or m.examined < total:
        stopped = f"time budget of {budget:g} s ran out after {m.examined} of {total} regions"
    return ScanOutcome(m.to_census(len(units), total, census=True), m.first_bad, stopped,
                       tuple(units), None, bad_regions=tuple(m.bad or ()))


def integer_decider(instance: Instance, backend: str | None) -> RegionDecider | None:
    """The integer-arithmetic region decision for a census of the fast engine (None with the
    pure-Python backend, whose reference decision is then used throughout)."""
    return None if backend == "python" else RegionDecider(instance)


ESTIMATES: list[float] = []  # each accepted run's estimate in seconds (read by benchmarks)
SAMPLE_REGIONS = 24  # regions timed, spread over the whole run, before a run is accepted
SAMPLED = [f"{SAMPLE_REGIONS} regions"]  # what the last estimate timed (for its messages)


def sampled_seconds_per_region(instance: Instance, units: list[Region], symmetric: bool,
                               census: bool, backend: str | None,
                               samples: int = SAMPLE_REGIONS, reference: bool = False) -> float:
    """Seconds per region, timed on ``samples`` seeded tuples spread over the whole run.

    The first tuples in lexicographic order share their first unit regions and are not
    typical; a seeded sample over all of them is. Each sampled region is decided as the run
    would decide it (all of it in a census; otherwise rank and residual, LPs only where a bad
    DLM is possible), so the estimate holds for the engine, mode and worker count that run.
    ``reference``: time the reference decision (Fractions, PPL) even where a fast census would
    decide in integers (the baseline of ``benchmarks/census.py``).
    """
    rng = random.Random(0)
    R, d1 = len(units), instance.d1
    blocks: dict = {}
    picks = []
    for _ in range(samples):
        if symmetric:  # uniform over multisets (stars and bars), as the census visits them
            idx = [c - k for k, c in enumerate(sorted(rng.sample(range(R + d1 - 1), d1)))]
        else:
            idx = [rng.randrange(R) for _ in range(d1)]
        picks.append([units[k] for k in idx])
    integer = (integer_decider(instance, backend) if census and symmetric and not reference
               else None)
    table = None
    if integer is not None:
        warm_up()  # a run imports the float solver once: not part of a region's time
        table = screen_table(integer, units, tuple_count(R, d1, symmetric))
    for regs in picks:  # the blocks of K, computed once per unit region in a whole run
        decide_region(instance, regs, find_dlm=False, backend=backend, blocks=blocks)
        if integer is not None:
            integer.least_squares(tuple(regs))
    if table is not None:  # as the run: blocks of consecutive tuples through the screen
        SAMPLED[:] = [f"{SCREENED_RANGES} ranges of {SCREENED_LENGTH} consecutive regions"]
        return _screened_seconds_per_region(integer, table, units, symmetric, rng)
    SAMPLED[:] = [f"{samples} regions"]
    t0 = time.perf_counter()
    for regs in picks:
        if integer is not None:
            integer(regs, point=False)
            continue
        dec = decide_region(instance, regs, find_dlm=census, backend=backend, blocks=blocks)
        if dec.has_dlm is None and dec.rank < instance.N and dec.loss != 0:
            decide_region(instance, regs, find_dlm=True, backend=backend, blocks=blocks)
    return (time.perf_counter() - t0) / samples


SCREENED_RANGES = 16  # seeded ranges of consecutive tuples timed for a screened census
SCREENED_LENGTH = 256  # the run's blocks are longer still; 64 paid the calls' own cost (1.17x)


def _screened_seconds_per_region(integer: RegionDecider, table: Any, units: list[Region],
                                 symmetric: bool, rng: random.Random) -> float:
    """Seconds per region of a screened census: the run decides blocks of consecutive tuples
    (most in the compiled screen, a few in the decider), so ranges of consecutive tuples starting
    at seeded positions are timed as the run decides them (single tuples would miss how few are
    deferred and pay the screen's call per tuple)."""
    R, d1 = len(units), integer.inst.d1
    total = tuple_count(R, d1, symmetric)
    starts = [rng.randrange(max(1, total - SCREENED_LENGTH)) for _ in range(SCREENED_RANGES)]
    never = lambda: False  # noqa: E731
    screened_census(table, integer, units, ScanState(), starts[0], starts[0] + 1, symmetric,
                    never)  # the screen loaded (or compiled) once per run
    st = ScanState()
    t0 = time.perf_counter()
    for lo in starts:
        screened_census(table, integer, units, st, lo, min(total, lo + SCREENED_LENGTH),
                        symmetric, never)
    return (time.perf_counter() - t0) / max(1, st.done)


def _refuse_if_slow(iterations: int, per: float, speedup: float, total: int,
                    setup: float = 0.0, on: str | None = None) -> None:
    """Refuse (TooExpensive) when ``setup`` plus ``iterations`` regions at ``per`` seconds each,
    sped up ``speedup`` times by worker processes (``on``: where, for the message), exceed
    ``LIMIT_SECONDS``."""
    estimate = setup + per * iterations / speedup
    if on is None:
        on = f"{round(speedup / PARALLEL_EFFICIENCY)} processes" if speedup > 1 else ""
    on = f" on {on}" if on else ""
    refuse_if_too_long(estimate, f"this run has {total} differentiable regions ({iterations} to "
                       f"decide){on}, measured at {human_seconds(per)} per region on "
                       f"{SAMPLED[-1]} sampled over the whole run")
