"""The exact global minimum of a one-hidden-layer network: every closed piece bounded exactly
(proofs/global_minimum.md).

The closed cones of the regions of the data's arrangement cover ``R^d0``, so with
``u_i = |z_i| w_i`` every point lies in a piece (a sign of ``z_i`` and a region per unit), where
the loss is a convex quadratic over a polyhedral cone. ``L*`` is the smallest piece minimum.
Floats propose, exact arithmetic decides: every piece's minimum is first estimated in floats
(non-negative least squares), which orders the exact work; the smallest is solved exactly and
gives the point; every other piece is then bounded below exactly, by its unconstrained
least-squares value when that is already ``>= L*`` and otherwise by its exact minimum (which
lowers ``L*`` if the floats were wrong). Each bound is the kernel's witness for its piece.
Without noise the loss is invariant under permuting the units: one piece per multiset of atoms.

The pieces are cut into ranges of that order (:func:`exactmin.search.parallel.tuple_range`),
handled by local processes (``workers``) or the tasks of a Dask cluster (``scheduler``) in
three steps: float proposals (each range keeps its smallest), the smallest few solved exactly
here (the best loss so far, nearly always ``L*``), then every range bounded exactly against that
loss. A piece whose exact minimum is lower becomes the best; the bounds already accepted are
above the old best, hence above the new one, so ranges merge in any order.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator

from exactmin.decide.soudry_carmon_global import ClosedPieces, PieceBound
from exactmin.geometry import Region, enumerate_regions
from exactmin.models.instance import Instance
from exactmin.models.network import Point
from exactmin.search.cost import refuse_if_too_long
from exactmin.search.outcome import parse_scheduler
from exactmin.search.parallel import PARALLEL_EFFICIENCY, equal_ranges, map_ranges, tuple_range
from exactmin.search.progress import Progress

__all__ = ["GlobalOutcome", "closed_pieces", "piece_count"]

SAMPLE = 16  # pieces timed (spread over the order) to estimate a run before it starts
TOP = 4  # float candidates per range solved exactly before the ranges are bounded
RANGE = 2000  # pieces per range (progress and dynamic scheduling), at least 8 per worker


@dataclass(frozen=True)
class GlobalOutcome:
    """What :func:`closed_pieces` found.

    Attributes
    ----------
    value : ``L*`` when ``complete``; otherwise the smallest loss found (an upper bound), or None
    point : a point attaining ``value``
    complete : every piece was bounded (or a zero-loss point ends the search: ``L* = 0``)
    pieces : the number of pieces (multisets of atoms without noise, tuples with noise)
    examined : pieces bounded exactly
    least_squares : of those, bounded by their unconstrained least-squares value
    units : the regions of the arrangement (the pieces' cones), in the certificate's order
    bounds : with ``complete`` and ``value > 0``, each piece's exact bound in the kernel's order
    stopped : why the search stopped early (a budget), or None
    solver : the pieces' exact solver (its ``multipliers`` complete a bound for the certificate)
    """

    value: Fraction | None
    point: Point | None
    complete: bool
    pieces: int
    examined: int
    least_squares: int
    units: tuple[Region, ...]
    bounds: tuple[PieceBound, ...] | None
    stopped: str | None
    solver: ClosedPieces | None = field(default=None, repr=False, compare=False)


def piece_count(R: int, d1: int, symmetric: bool) -> int:
    """Pieces over ``R`` regions: multisets of the ``2 R`` atoms, or tuples with noise.

    >>> piece_count(16, 2, True), piece_count(16, 2, False)
    (528, 1024)
    """
    return math.comb(2 * R + d1 - 1, d1) if symmetric else (2 * R) ** d1


def pieces(R: int, d1: int, symmetric: bool, lo: int = 0, hi: int | None = None
           ) -> Iterator[tuple[int, ...]]:
    """The pieces at positions ``lo .. hi - 1`` of the kernel's order (atom ``a``: sign
    ``(1, -1)[a % 2]``, region ``a // 2``).

    >>> list(pieces(1, 2, True))  # one region: z_1, z_2 both positive, mixed, both negative
    [(0, 0), (0, 1), (1, 1)]
    """
    end = piece_count(R, d1, symmetric) if hi is None else hi
    return tuple_range(2 * R, d1, symmetric, lo, end)


_SOLVER: dict[str, ClosedPieces] = {}  # one per process: a task's ranges share it


def _solver(shared: tuple[Instance, tuple[Region, ...]]) -> ClosedPieces:
    instance, units = shared
    key = json.dumps(instance.to_dict(), sort_keys=True)
    if key not in _SOLVER:
        _SOLVER.clear()
        _SOLVER[key] = ClosedPieces(instance, units)
    return _SOLVER[key]


def _propose_range(shared: tuple[Instance, tuple[Region, ...]], lo: int, hi: int,
                   symmetric: bool, deadline: float | None) -> tuple[list[tuple[float, int]], bool]:
    """Float proposals of the pieces ``lo .. hi - 1``: the ``TOP`` smallest as ``(value, k)``,
    and whether the wall-clock ``deadline`` stopped the range."""
    P = _solver(shared)
    R, d1 = len(P.units), P.inst.d1
    best: list[tuple[float, int]] = []
    for k, tup in zip(range(lo, hi), pieces(R, d1, symmetric, lo, hi)):
        if deadline is not None and (k - lo) % 64 == 0 and time.time() > deadline:
            return sorted(best), True
        item = (-P.float_value(tup)[0], -k)
        if len(best) < TOP:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)
    return sorted((-v, -k) for v, k in best), False


def _bound_range(shared: tuple[Instance, tuple[Region, ...]], lo: int, hi: int,
                 symmetric: bool, deadline: float | None, best: Fraction
                 ) -> tuple[list[PieceBound], int, bool]:
    """Exact bounds of the pieces ``lo .. hi - 1``, each its unconstrained least-squares value
    when that is ``>= best``, else its exact minimum (non-negative least squares started from
    the float solution): the bounds in order, how many came from least squares, and whether the
    deadline stopped it."""
    P = _solver(shared)
    R, d1 = len(P.units), P.inst.d1
    out: list[PieceBound] = []
    by_ls = 0
    for tup in pieces(R, d1, symmetric, lo, hi):
        if deadline is not None and out and time.time() > deadline:
            return out, by_ls, True
        b = P.least_squares(tup)  # often enough, and cheaper than the float proposal
        if b.bound >= best:
            by_ls += 1
        else:
            b = P.minimum(tup, P.float_value(tup)[2])
        out.append(b)
    return out, by_ls, False


def _estimate(P: ClosedPieces, symmetric: bool) -> float:
    """Seconds for every piece on one process, from ``SAMPLE`` seeded pieces: each costs a
    float proposal and an exact least-squares bound, and, when its least-squares value is below
    the sample's smallest float minimum (which is above ``L*``: so this overcounts), another
    float proposal and an exact non-negative least squares."""
    R, d1 = len(P.units), P.inst.d1
    count = piece_count(R, d1, symmetric)
    picks = [next(pieces(R, d1, symmetric, k, k + 1))
             for k in random.Random(0).sample(range(count), min(SAMPLE, count))]
    for t in picks:  # the blocks of the sampled atoms, built once in a run as in this sample
        P.float_value(t)
    t0 = time.perf_counter()
    guesses = [P.float_value(t) for t in picks]
    t_float = (time.perf_counter() - t0) / len(picks)
    t0 = time.perf_counter()
    for t in picks:
        P.least_squares(t)
    t_ls = (time.perf_counter() - t0) / len(picks)
    t0 = time.perf_counter()
    for t, (_, _, support) in zip(picks, guesses):
        P.minimum(t, support)
    t_nnls = (time.perf_counter() - t0) / len(picks)
    proxy = min(v for v, _, _ in guesses)
    share = sum(ls <= proxy * (1 + 1e-6) for _, ls, _ in guesses) / len(picks)
    return count * (t_float + t_ls + share * (t_float + t_nnls))


def closed_pieces(instance: Instance, *, force: bool = False, budget: float | None = None,
                  progress: bool = False, workers: int = 1,
                  scheduler: str | None = None) -> GlobalOutcome:
    """Bound every closed piece exactly; the smallest bound is ``L*`` (module docstring).

    Raises TooExpensive when the run's own estimate (from a sample of pieces, before the
    search; divided among ``workers`` processes or the cluster's workers) is above ten minutes
    and ``force`` is False; ``budget`` (seconds) stops it early with the best loss found. The
    result does not depend on ``workers`` or ``scheduler``.

    >>> inst = Instance.from_lists([[1, 1, -1, -1], [1, -1, 1, -1]], [1, -1, -1, 1], d1=1,
    ...                            rho=0)  # XOR with one unit
    >>> out = closed_pieces(inst)
    >>> out.value, out.pieces, out.complete
    (Fraction(3, 2), 8, True)
    """
    start = time.perf_counter()
    units = tuple(enumerate_regions(instance.X))
    R, d1 = len(units), instance.d1
    symmetric = instance.noise is None
    count = piece_count(R, d1, symmetric)
    what = (f"the global minimum bounds {count:,} closed pieces ({R} regions per unit, d1 = "
            f"{d1}), each by exact least squares")
    refuse_if_too_long(count * 2e-5 / max(1, workers), what, force=force)  # floats alone
    if scheduler is not None:
        parse_scheduler(scheduler)
    session: Any = contextlib.nullcontext(None)
    if scheduler is not None:
        from exactmin.search import cluster

        session = cluster.session(scheduler)
    with session as client:
        n = workers if client is None else cluster.worker_count(client)
        P = _solver((instance, units))
        if count > 4 * SAMPLE and not force:  # the run's own estimate, before it runs
            speedup = PARALLEL_EFFICIENCY * n if n > 1 else 1.0
            on = "" if n == 1 else (f" on {n} cluster workers" if client is not None
                                    else f" on {n} processes")
            refuse_if_too_long(time.perf_counter() - start + _estimate(P, symmetric) / speedup,
                               what + on)
        return _search(instance, units, P, count, symmetric, budget, start, progress, n,
                       client)


def _search(instance: Instance, units: tuple[Region, ...], P: ClosedPieces, count: int,
            symmetric: bool, budget: float | None, start: float, progress: bool, n: int,
            client: Any) -> GlobalOutcome:
    """The three steps of the module docstring over ranges of the pieces' order."""
    shared = (instance, units)
    ranges = equal_ranges(count, max(8 * n, -(-count // RANGE)))
    # a wall-clock instant: the workers of a cluster compare it with their own clocks
    deadline = None if budget is None else time.time() + budget - (time.perf_counter() - start)
    bar = Progress(2 * count, enabled=progress, unit="piece", desc="pieces (floats, then exact)")
    done = [0]

    def count_range(base: int) -> Any:
        def on_result(_done: int, i: int, _value: Any) -> None:
            done[0] += ranges[i][1] - ranges[i][0]
            bar.update(base + done[0])
        return on_result

    def run(fn: Any, args: tuple[Any, ...], base: int) -> list[Any]:
        done[0] = 0
        if client is not None:
            from exactmin.search.cluster import run_ranges

            return run_ranges(client, fn, shared, ranges, args, count_range(base))
        return map_ranges(fn, shared, ranges, args, n, count_range(base))

    R, d1 = len(units), instance.d1
    stopped: str | None = None
    best: PieceBound | None = None
    bounds: list[PieceBound] = []
    by_ls = 0
    try:
        proposals = run(_propose_range, (symmetric, deadline), 0)
        if any(cut for _, cut in proposals):
            stopped = (f"time budget of {budget:g} s ran out while proposing in floats, before "
                       "any exact bound")
        else:
            for _, k in sorted(c for top, _ in proposals for c in top)[:TOP]:
                tup = next(pieces(R, d1, symmetric, k, k + 1))
                b = P.minimum(tup, P.float_value(tup)[2])
                if best is None or b.bound < best.bound:
                    best = b
            assert best is not None
            if best.bound != 0:  # a zero-loss piece ends the search: L* = 0
                parts = run(_bound_range, (symmetric, deadline, best.bound), count)
                for out, ls, cut in parts:
                    bounds += out
                    by_ls += ls
                    for b in out:
                        if b.point is not None and b.bound < best.bound:
                            best = b
                    if cut and stopped is None:
                        stopped = (f"time budget of {budget:g} s ran out after "
                                   f"{sum(len(o) for o, _, _ in parts):,} of {count:,} pieces")
    finally:
        bar.close()
    complete = stopped is None
    value = None if best is None else best.bound
    keep = tuple(bounds) if complete and value is not None and value > 0 else None
    if keep is not None and len(keep) != count:  # pragma: no cover - every piece is bounded
        raise AssertionError("a piece without a bound")
    examined = len(bounds) if bounds else (0 if best is None else 1)
    return GlobalOutcome(value, None if best is None else best.point, complete, count,
                         examined, by_ls, units, keep, stopped, P)
