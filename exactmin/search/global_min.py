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
import itertools
import json
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator, Sequence

import numpy as np

from exactmin.decide.soudry_carmon_global import ClosedPieces, PieceBound
from exactmin.geometry import Region, enumerate_regions
from exactmin.models.instance import Instance
from exactmin.models.network import Point
from exactmin.search.cost import refuse_if_too_long
from exactmin.search.outcome import parse_scheduler
from exactmin.search.parallel import (
    PARALLEL_EFFICIENCY,
    equal_ranges,
    map_ranges,
    tuple_count,
    tuple_range,
)
from exactmin.search.progress import Progress

__all__ = ["GlobalOutcome", "closed_pieces", "piece_count"]

SAMPLE = 16  # pieces timed (spread over the order) to estimate a run before it starts
FLOAT_SAMPLE = 512  # pieces proposed in floats for that estimate (cheap)
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


def _rank_table(A: int, d1: int, symmetric: bool) -> list[list[int]]:
    """``T[left][v]``: how many tuples of the order precede those whose entry at a position with
    ``left`` entries after it is ``v`` (given the earlier entries), so that the rank of a tuple
    is a sum of ``d1`` table entries (:func:`_rank`)."""
    T = []
    for left in range(d1):
        row, total = [0], 0
        for k in range(A):
            total += math.comb(A - k + left - 1, left) if symmetric else A ** left
            row.append(total)
        T.append(row)
    return T


def _rank(T: list[list[int]], tup: Sequence[int], symmetric: bool) -> int:
    """The position of ``tup`` in the kernel's order (the inverse of :func:`pieces`).

    >>> T = _rank_table(4, 2, True)
    >>> [_rank(T, t, True) for t in pieces(2, 2, True)] == list(range(10))
    True
    """
    d1, r, prev = len(tup), 0, 0
    for pos, v in enumerate(tup):
        left = d1 - pos - 1
        r += T[left][v] - T[left][prev]
        if symmetric:
            prev = v
    return r


def _sign_choices(regions: Sequence[int], symmetric: bool) -> list[tuple[int, ...]]:
    """The pieces (atom tuples) over the region tuple ``regions``: every sign per unit, or
    without noise (``regions`` sorted) every number of negative signs among equal regions.

    >>> _sign_choices((0, 0), True), _sign_choices((0, 1), False)
    ([(0, 0), (0, 1), (1, 1)], [(0, 2), (0, 3), (1, 2), (1, 3)])
    """
    if not symmetric:
        return [tuple(2 * k + b for k, b in zip(regions, bits))
                for bits in itertools.product((0, 1), repeat=len(regions))]
    groups = [(k, sum(1 for _ in g)) for k, g in itertools.groupby(regions)]
    out = []
    for minus in itertools.product(*(range(m + 1) for _, m in groups)):
        out.append(tuple(a for (k, m), j in zip(groups, minus)
                         for a in [2 * k] * (m - j) + [2 * k + 1] * j))
    return out


def _bound_range(shared: tuple[Instance, tuple[Region, ...]], lo: int, hi: int,
                 symmetric: bool, deadline: float | None, best: Fraction
                 ) -> tuple[list[tuple[int, PieceBound]], int, bool]:
    """Exact bounds of every piece over the region tuples ``lo .. hi - 1``: the unconstrained
    least squares of a region tuple (one solve: the span of a piece's prediction does not depend
    on its signs) bounds each of its pieces when it is ``>= best``; otherwise each piece gets
    its exact minimum (non-negative least squares started from the float solution). Returns
    ``(position in the kernel's order, bound)`` pairs, how many bounds came from least squares,
    and whether the wall-clock ``deadline`` stopped it."""
    P = _solver(shared)
    R, d1 = len(P.units), P.inst.d1
    T = _rank_table(2 * R, d1, symmetric)
    out: list[tuple[int, PieceBound]] = []
    by_ls = 0
    for regions in tuple_range(R, d1, symmetric, lo, hi):
        if deadline is not None and out and time.time() > deadline:
            return out, by_ls, True
        choices = _sign_choices(regions, symmetric)
        ls = P.least_squares(choices[0])
        for tup in choices:
            if ls.bound >= best:
                b = PieceBound(tup, ls.mu, ls.bound, None)
                by_ls += 1
            else:
                b = P.minimum(tup, P.float_value(tup)[2])
            out.append((_rank(T, tup, symmetric), b))
    return out, by_ls, False


def _estimate(P: ClosedPieces, symmetric: bool) -> float:
    """Seconds for every piece on one process: a float proposal per piece, one exact least
    squares per region tuple, and, for the share of pieces whose float least-squares value is
    below a float loss that training reaches (:func:`_trained_loss`, or the smallest float
    minimum of ``FLOAT_SAMPLE`` seeded pieces; either is above ``L*``, so the share is
    overcounted), another float proposal and an exact non-negative least squares; each timed on
    ``SAMPLE`` seeded pieces."""
    R, d1 = len(P.units), P.inst.d1
    count = piece_count(R, d1, symmetric)
    rng = random.Random(0)
    floats = [next(pieces(R, d1, symmetric, k, k + 1))
              for k in rng.sample(range(count), min(FLOAT_SAMPLE, count))]
    picks = floats[:SAMPLE]
    for t in floats:  # the blocks of the sampled atoms, built once in a run as in this sample
        P.float_value(t)
    t0 = time.perf_counter()
    guesses = [P.float_value(t) for t in floats]
    t_float = (time.perf_counter() - t0) / len(floats)
    t0 = time.perf_counter()
    for t in picks:
        P.least_squares(t)
    t_ls = (time.perf_counter() - t0) / len(picks)
    t0 = time.perf_counter()
    for t, (_, _, support) in zip(picks, guesses):
        P.minimum(t, support)
    t_nnls = (time.perf_counter() - t0) / len(picks)
    proxy = min([v for v, _, _ in guesses] + [_trained_loss(P.inst)])
    share = sum(ls <= proxy * (1 + 1e-6) for _, ls, _ in guesses) / len(guesses)
    regions = tuple_count(R, d1, symmetric)
    return count * t_float + regions * t_ls + share * count * (t_float + t_nnls)


def _trained_loss(instance: Instance, starts: int = 24) -> float:
    """The smallest float loss of ``starts`` seeded L-BFGS runs on ``(W, z)`` (a proposal: an
    upper bound on ``L*`` in floats, only used to size the run)."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    d0, d1, N = instance.d0, instance.d1, instance.N
    X = np.array([[float(v) for v in row] for row in instance.X])  # d0 x N
    y = np.array([float(v) for v in instance.y])
    E = (np.ones((d1, N)) if instance.noise is None
         else np.array([[float(v) for v in row] for row in instance.noise]))
    rho = float(instance.rho)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W, z = theta[:d0 * d1].reshape(d1, d0), theta[d0 * d1:]
        U = W @ X
        slope = np.where(U > 0, 1.0, rho)
        e = (z[:, None] * E * slope * U).sum(axis=0) - y
        gz = (E * slope * U) @ e
        gW = ((z[:, None] * E * slope) * e[None, :]) @ X.T
        return float(e @ e) / 2, np.concatenate([gW.ravel(), gz])

    rng = np.random.default_rng(0)
    best = float(y @ y) / 2
    for _ in range(starts):
        out = minimize(loss, rng.normal(size=d0 * d1 + d1), jac=True, method="L-BFGS-B",
                       options={"maxiter": 500})
        best = min(best, float(out.fun))
    return best


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
    regions_count = tuple_count(len(units), instance.d1, symmetric)
    region_ranges = equal_ranges(regions_count, max(8 * n, -(-regions_count // (RANGE // 4))))
    # a wall-clock instant: the workers of a cluster compare it with their own clocks
    deadline = None if budget is None else time.time() + budget - (time.perf_counter() - start)
    bar = Progress(2 * count, enabled=progress, unit="piece", desc="pieces (floats, then exact)")

    def run(fn: Any, parts: list[tuple[int, int]], args: tuple[Any, ...], base: int,
            scale: int) -> list[Any]:
        """``fn`` over the ranges ``parts`` (progress: ``scale`` pieces per range entry)."""
        done = [0]

        def on_result(_done: int, i: int, _value: Any) -> None:
            done[0] += (parts[i][1] - parts[i][0]) * scale
            bar.update(base + min(done[0], count))

        if client is not None:
            from exactmin.search.cluster import run_ranges

            return run_ranges(client, fn, shared, parts, args, on_result)
        return map_ranges(fn, shared, parts, args, n, on_result)

    R, d1 = len(units), instance.d1
    stopped: str | None = None
    best: PieceBound | None = None
    bounds: list[PieceBound] = []
    by_ls = 0
    try:
        proposals = run(_propose_range, ranges, (symmetric, deadline), 0, 1)
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
                parts = run(_bound_range, region_ranges, (symmetric, deadline, best.bound),
                            count, max(1, count // regions_count))
                placed: list[PieceBound | None] = [None] * count
                for out, ls, cut in parts:
                    by_ls += ls
                    for k, b in out:
                        placed[k] = b
                        if b.point is not None and b.bound < best.bound:
                            best = b
                    if cut and stopped is None:
                        stopped = (f"time budget of {budget:g} s ran out after "
                                   f"{sum(len(o) for o, _, _ in parts):,} of {count:,} pieces")
                bounds = [b for b in placed if b is not None]
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
