"""A census of every local minimum, differentiable or not (one hidden layer).

Every point lies in exactly one *face combination*: for each unit the face of the arrangement
holding ``w_i`` (a relatively open cone of any dimension, ``w_i = 0`` included) and the sign of
``z_i`` (``+``, ``-``, ``0``). Per combination one exact LP decides whether it holds a local
minimum, and the loss is constant on its minima
(:func:`exactmin.decide.soudry_carmon_kinks.face_minimum`), so the census lists every loss of
every local minimum. Without noise the hidden units are interchangeable and each multiset of
(face, sign) pairs is decided once, counted with its orderings.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from exactmin.decide.soudry_carmon_kinks import _open_pieces, decide_point, face_minimum
from exactmin.errors import InternalError, TooExpensive
from exactmin.geometry import enumerate_faces
from exactmin.models.instance import Instance
from exactmin.models.network import Point, loss
from exactmin.search.cost import refuse_if_too_long
from exactmin.search.progress import Progress

__all__ = ["AllMinimaOutcome", "scan_faces"]

MAX_FACES = 20_000  # faces of one unit's arrangement enumerated at most (estimate first)


@dataclass(frozen=True)
class AllMinimaOutcome:
    """What a census of all local minima found.

    Attributes
    ----------
    unit_faces : faces of one unit's arrangement (every unit has the same)
    combinations : ordered (face, sign of z) tuples, ``(3 * unit_faces) ** d1``
    examined : combinations decided (with their orderings)
    minima_combinations : combinations holding a local minimum
    bad_combinations : combinations holding a local minimum with nonzero loss
    bad_losses : sorted distinct nonzero losses of local minima
    bad_losses_nondifferentiable : those attained at non-differentiable points only
    counterexample : the first local minimum with nonzero loss found (re-decided by
        :func:`exactmin.decide.soudry_carmon_kinks.decide_point`), or None
    complete : every combination decided
    stopped : why the run stopped early, or ""
    lowest, lowest_point : the smallest loss of a local minimum found and an exact point with
        it; once ``complete`` (or at loss 0) this is the global minimum ``L*``: the loss attains
        its infimum (proofs/nondifferentiable_minima.md, "The global minimum") and a global
        minimum is a local one, in some face combination
    """

    unit_faces: int
    combinations: int
    examined: int
    minima_combinations: int
    bad_combinations: int
    bad_losses: tuple[Fraction, ...]
    bad_losses_nondifferentiable: tuple[Fraction, ...]
    counterexample: Point | None
    complete: bool
    stopped: str = ""
    lowest: Fraction | None = None
    lowest_point: Point | None = None

    @property
    def global_minimum(self) -> Fraction | None:
        """``L*`` when it is proved (every combination decided, or a zero-loss minimum)."""
        if self.lowest is not None and (self.complete or self.lowest == 0):
            return self.lowest
        return None

    @property
    def spurious_losses(self) -> tuple[Fraction, ...]:
        """The bad losses above the global minimum (local minima that are not global)."""
        g = self.global_minimum
        return () if g is None else tuple(q for q in self.bad_losses if q > g)


def _orderings(combo: tuple[int, ...]) -> int:
    out = math.factorial(len(combo))
    for c in Counter(combo).values():
        out //= math.factorial(c)
    return out


def scan_faces(instance: Instance, *, force: bool = False, budget: float | None = None,
               progress: bool = False, stop_at_zero: bool = False) -> AllMinimaOutcome:
    """Decide every face combination of ``instance`` (module docstring).

    Raises TooExpensive when the run's own estimate (from its first combinations) is above
    ``LIMIT_SECONDS`` and ``force`` is False; ``budget`` (seconds) stops it early with the
    counts so far (``complete`` False); ``stop_at_zero`` stops at the first zero-loss local
    minimum (then ``global_minimum`` is 0).

    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [-1, -2], d1=1, rho=0)
    >>> out = scan_faces(inst)
    >>> out.unit_faces, out.combinations, out.bad_losses, out.bad_losses_nondifferentiable
    (9, 27, (Fraction(1, 2), Fraction(2, 1), Fraction(5, 2)), ())
    """
    start = time.perf_counter()
    d0, d1, N = instance.d0, instance.d1, instance.N
    faces = enumerate_faces(instance.X, limit=MAX_FACES)
    cols = [tuple(instance.X[j][n] for j in range(d0)) for n in range(N)]
    ties = [[n for n in range(N) if s[n] == 0 and any(cols[n])] for s, _ in faces]
    if max(len(t) for t in ties) > 16:
        raise TooExpensive(f"a face with {max(len(t) for t in ties)} ties: 2^{max(map(len, ties))}"
                           " pieces per unit; at most 16 ties are decided")
    opens = [_open_pieces([cols[n] for n in t], d0) for t in ties]
    atoms = [(f, tau) for f in range(len(faces)) for tau in (1, -1, 0)]
    symmetric = instance.noise is None
    total = len(atoms) ** d1
    combos = (itertools.combinations_with_replacement(range(len(atoms)), d1) if symmetric
              else itertools.product(range(len(atoms)), repeat=d1))
    n_tasks = math.comb(len(atoms) + d1 - 1, d1) if symmetric else total
    sample = random.Random(0).sample(range(n_tasks), min(n_tasks, 12))

    def decide(combo: tuple[int, ...]) -> Point | None:
        signs = [faces[atoms[a][0]][0] for a in combo]
        taus = [atoms[a][1] for a in combo]
        return face_minimum(instance, signs, taus, [opens[atoms[a][0]] for a in combo])

    if n_tasks > 50 and not force:  # the run's own estimate, from a spread sample, before it runs
        t0 = time.perf_counter()
        for k in sample:
            decide(_nth(len(atoms), d1, k, symmetric))
        seconds = (time.perf_counter() - t0) / len(sample) * n_tasks
        refuse_if_too_long(seconds, f"the census of all local minima decides {n_tasks:,} face "
                           f"combinations ({len(faces)} faces per unit)")
    bar = Progress(total, enabled=progress, unit="combination", desc="face combinations decided")
    examined = minima = bad = 0
    losses: dict[Fraction, bool] = {}  # loss -> attained at a differentiable point
    example: Point | None = None
    lowest: tuple[Fraction, Point] | None = None
    stopped = ""
    for combo in combos:
        if budget is not None and time.perf_counter() - start > budget:
            stopped = f"the budget of {float(budget):g} s ran out"
            break
        weight = _orderings(combo) if symmetric else 1
        point = decide(combo)
        examined += weight
        bar.update(examined)
        if point is None:
            continue
        minima += weight
        value = loss(instance, point)
        if lowest is None or value < lowest[0]:
            lowest = (value, point)
        if value == 0:
            if stop_at_zero:
                stopped = "a local minimum with zero loss was found: the global minimum is 0"
                break
            continue
        bad += weight
        differentiable = all(not ties[atoms[a][0]] for a in combo)
        losses[value] = losses.get(value, False) or differentiable
        if example is None:
            example = point
    bar.close()
    if example is not None:  # re-decided from the definitions by the point decider
        rep = decide_point(instance, example)
        if not rep.local_minimum or rep.loss == 0:
            raise InternalError("a face minimum that the point decider does not confirm")
    return AllMinimaOutcome(len(faces), total, examined, minima, bad, tuple(sorted(losses)),
                            tuple(sorted(q for q, diff in losses.items() if not diff)),
                            example, examined == total, stopped,
                            None if lowest is None else lowest[0],
                            None if lowest is None else lowest[1])


def _nth(m: int, k: int, index: int, symmetric: bool) -> tuple[int, ...]:
    """The ``index``-th combination of ``k`` of ``m`` atoms in enumeration order (ordered
    tuples, or sorted multisets when ``symmetric``)."""
    if not symmetric:
        out = []
        for _ in range(k):
            index, r = divmod(index, m)
            out.append(r)
        return tuple(reversed(out))
    out, lo = [], 0
    for pos in range(k):
        for a in range(lo, m):
            count = math.comb(m - a + k - pos - 2, k - pos - 1)
            if index < count:
                out.append(a)
                lo = a
                break
            index -= count
    return tuple(out)
