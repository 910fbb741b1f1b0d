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
"""

from __future__ import annotations

import itertools
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction

from exactmin.decide.soudry_carmon_global import ClosedPieces, PieceBound
from exactmin.geometry import Region, enumerate_regions
from exactmin.models.instance import Instance
from exactmin.models.network import Point
from exactmin.search.cost import refuse_if_too_long
from exactmin.search.progress import Progress

__all__ = ["GlobalOutcome", "closed_pieces", "piece_count"]

SAMPLE = 8  # pieces solved exactly (spread over the order) to estimate a run before it starts


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


def _order(R: int, d1: int, symmetric: bool) -> list[tuple[int, ...]]:
    atoms = range(2 * R)
    return list(itertools.combinations_with_replacement(atoms, d1) if symmetric
                else itertools.product(atoms, repeat=d1))


def closed_pieces(instance: Instance, *, force: bool = False, budget: float | None = None,
                  progress: bool = False) -> GlobalOutcome:
    """Bound every closed piece exactly; the smallest bound is ``L*`` (module docstring).

    Raises TooExpensive when the run's own estimate (from a sample of pieces solved exactly,
    before the search) is above ten minutes and ``force`` is False; ``budget`` (seconds) stops
    it early with the best loss found.

    >>> inst = Instance.from_lists([[1, 1, -1, -1], [1, -1, 1, -1]], [1, -1, -1, 1], d1=1,
    ...                            rho=0)  # XOR with one unit
    >>> out = closed_pieces(inst)
    >>> out.value, out.pieces, out.complete
    (Fraction(3, 2), 8, True)
    """
    start = time.perf_counter()
    units = enumerate_regions(instance.X)
    R, d1 = len(units), instance.d1
    symmetric = instance.noise is None
    count = piece_count(R, d1, symmetric)
    refuse_if_too_long(count * 2e-5, f"the global minimum bounds {count:,} closed pieces "
                       f"({R} regions per unit, d1 = {d1})", force=force)  # before listing them
    P = ClosedPieces(instance, units)
    order = _order(R, d1, symmetric)
    if count > 4 * SAMPLE and not force:  # the run's own estimate, before it runs
        t0 = time.perf_counter()
        for k in random.Random(0).sample(range(count), SAMPLE):
            P.minimum(order[k], P.float_value(order[k])[2])
        per = (time.perf_counter() - t0) / SAMPLE
        refuse_if_too_long(time.perf_counter() - start + per * count,
                           f"the global minimum bounds {count:,} closed pieces ({R} regions per "
                           f"unit, d1 = {d1}), each by exact least squares")
    deadline = None if budget is None else start + budget
    bar = Progress(2 * count, enabled=progress, unit="piece", desc="pieces (floats, then exact)")
    try:
        guess = []
        for k, tup in enumerate(order):
            guess.append(P.float_value(tup))
            if k % 64 == 0:
                bar.update(k)
        ranked = sorted(range(count), key=lambda k: (guess[k][0], k))
        bounds: list[PieceBound | None] = [None] * count
        best: PieceBound | None = None
        by_ls = examined = 0
        stopped = None
        for done, k in enumerate(ranked):
            if deadline is not None and done > 0 and time.perf_counter() > deadline:
                stopped = (f"time budget of {budget:g} s ran out after {done:,} of {count:,} "
                           "pieces")
                break
            if done % 16 == 0:
                bar.update(count + done)
            b = None
            value, ls, support = guess[k]
            if best is not None and ls > float(best.bound) * (1 + 1e-6) + 1e-12:
                b = P.least_squares(order[k])  # likely enough: cheaper, and exact
                if b.bound < best.bound:
                    b = None
                else:
                    by_ls += 1
            if b is None:
                b = P.minimum(order[k], support)
                if best is None or b.bound < best.bound:
                    best = b
            bounds[k] = b
            examined += 1
            if best.bound == 0:
                break
    finally:
        bar.close()
    complete = stopped is None
    value = None if best is None else best.bound
    keep = None
    if complete and value is not None and value > 0:
        keep = tuple(b for b in bounds if b is not None)
        if len(keep) != count:  # pragma: no cover - every piece is bounded when complete
            raise AssertionError("a piece without a bound")
    return GlobalOutcome(value, None if best is None else best.point, complete, count, examined,
                         by_ls, tuple(units), keep, stopped, P)
