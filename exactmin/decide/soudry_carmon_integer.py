"""The region decision of :func:`~exactmin.decide.decide_region` in integer arithmetic.

A census decides every region once, so the Fraction arithmetic of the reference decision is
where its time goes. :class:`RegionDecider` makes the same decision with integers throughout:

* ``K`` scaled to integers (one positive factor for every entry) and ``y`` scaled likewise; the
  row space, the least-squares fit up to that factor and every sign are unchanged.
* One flint elimination of ``[K K^T | K y] = K [K^T | y]`` gives ``rank K``, a least-squares
  solution ``v* = V / den`` (free coordinates 0) and an integer basis ``b_f`` of
  ``ker K^T = ker K K^T`` (``den`` at the free coordinate ``f``, minus the reduced row entries at
  the pivots), so every least-squares ``v`` is ``(V + sum_f c_f b_f) / den``.
* Every sign condition ``sigma_i s_in (x_n . v_i) > 0`` is then an integer row in ``c``, and
  ``v_i = 0`` an integer equation; the sign choices are searched depth first as in the reference
  (a partial choice infeasible means every completion is), each system decided exactly by
  :func:`~exactmin.geometry.strictly_feasible`.

When a region holds a DLM (rare in a census) the reference decision is run for it, so the DLM
point is the one the reference prints, and the two decisions are checked to agree. The tests
compare both on random instances with and without noise, ReLU and leaky.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

import flint

from exactmin.decide.soudry_carmon import RegionDecision, decide_region
from exactmin.errors import InternalError
from exactmin.geometry import Region, strictly_feasible
from exactmin.models.instance import Instance

__all__ = ["RegionDecider"]

GRAM_CACHE = 200_000  # blocks of K K^T kept (3 x 3 without noise: about 80 MB at most)


def _lcm_of_denominators(values: Sequence[Fraction]) -> int:
    D = 1
    for q in values:
        D = math.lcm(D, q.denominator)
    return D


class RegionDecider:
    """``decide(regions)`` equals ``decide_region(instance, regions, find_dlm=True)`` (rank,
    residual, loss, DLM existence and the DLM point), computed in integers.

    Parameters
    ----------
    instance : Instance

    Examples
    --------
    >>> from exactmin.geometry import enumerate_regions
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> units = enumerate_regions(inst.X)
    >>> decide = RegionDecider(inst)
    >>> all(decide([a, b]) == decide_region(inst, [a, b]) for a in units for b in units)
    True
    """

    def __init__(self, instance: Instance) -> None:
        self.inst = instance
        d1, N = instance.d1, instance.N
        A = [instance.noise_entry(i, n) for i in range(d1) for n in range(N)]
        # every entry A_in * rho^? * x_jn of K times this is an integer
        self.scale = (_lcm_of_denominators([x for row in instance.X for x in row])
                      * _lcm_of_denominators(A) * instance.rho.denominator)
        self.Dy = _lcm_of_denominators(instance.y)
        self.y = [int(q * self.Dy) for q in instance.y]
        # x_n scaled by a positive integer (signs of x_n . v only)
        self.cols = []
        for n in range(N):
            col = instance.column(n)
            D = _lcm_of_denominators(col)
            self.cols.append([int(q * D) for q in col])
        nonzero = [n for n in range(N) if any(self.cols[n])]
        # rows (i, n): x_n in the columns of unit i, so XB [basis | V] gives every x_n . v_i
        self.rows = [(i, n) for i in range(d1) for n in nonzero]
        self.points = nonzero
        self.unit_rows = [(i * len(nonzero), (i + 1) * len(nonzero)) for i in range(d1)]
        nv = instance.d0 * d1
        XB = [[0] * nv for _ in self.rows]
        for row, (i, n) in zip(XB, self.rows):
            row[i * instance.d0:(i + 1) * instance.d0] = self.cols[n]
        self.XB = flint.fmpz_mat(XB) if XB else None
        self._blocks: dict[tuple[int, tuple[int, ...]], list[list[int]]] = {}
        # Blocks of [K K^T | K y], cached per pair of K's blocks (and per block): a census
        # meets the same unit regions in many regions.
        self._gram: dict[tuple[int, int], list[list[int]]] = {}
        self._Ky: dict[int, list[int]] = {}
        self._zeros = tuple(Fraction(0) for _ in range(N))
        self._reference_blocks: dict[Any, Any] = {}

    def _block(self, i: int, region: Region) -> list[list[int]]:
        """Block i of ``K`` times ``scale`` (``X diag(A_i)``, integers), cached per region."""
        # without noise every unit's block of a region is the same
        key = (i if self.inst.noise is not None else 0, region.signs)
        block = self._blocks.get(key)
        if block is None:
            inst = self.inst
            a = [inst.noise_entry(i, n) * (inst.rho if sg < 0 else 1) * self.scale
                 for n, sg in enumerate(region.signs)]
            scaled = [[ai * x for ai, x in zip(a, row)] for row in inst.X]
            if any(q.denominator != 1 for row in scaled for q in row):
                raise InternalError("K times its scale is not an integer matrix")
            block = [[q.numerator for q in row] for row in scaled]
            self._blocks[key] = block
        return block

    def _gram_block(self, a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
        """The block ``a b^T`` of ``K K^T`` for two cached blocks of ``K``."""
        key = (id(a), id(b))
        g = self._gram.get(key)
        if g is None:
            g = [[sum(map(int.__mul__, ra, rb)) for rb in b] for ra in a]
            if len(self._gram) >= GRAM_CACHE:  # bounded memory on the largest runs
                self._gram.clear()
            self._gram[key] = g
        return g

    def _Ky_block(self, a: list[list[int]]) -> list[int]:
        """The block ``a y`` of ``K y`` for a cached block of ``K``."""
        Ky = self._Ky.get(id(a))
        if Ky is None:
            Ky = [sum(map(int.__mul__, ra, self.y)) for ra in a]
            self._Ky[id(a)] = Ky
        return Ky

    def __call__(self, regions: Sequence[Region], point: bool = True,
                 hint: Sequence[int] | None = None) -> RegionDecision:
        """The decision of ``regions``; with ``point=False`` a region holding a DLM gets
        ``dlm=None`` (a census counting regions needs the point only of the regions it
        reports, and computing it is most of the cost of such a region). ``hint``: a sign
        choice of ``z`` (one of 1, -1, 0 per unit) to try first, e.g. one that floats found
        feasible; it changes only the order of the search, never the decision."""
        inst = self.inst
        regions = tuple(regions)
        r, P, Pf, residual, loss = self.least_squares(regions)
        if not self._holds_dlm(regions, P, Pf, len(P[0]) - 1, hint):
            return RegionDecision(regions, r, residual, loss, False, None)
        if not point:
            return RegionDecision(regions, r, residual, loss, True, None)
        ref = decide_region(inst, regions, find_dlm=True, blocks=self._reference_blocks)
        if not ref.has_dlm or ref.rank != r or ref.loss != loss:
            raise InternalError("the integer and reference region decisions disagree")
        return ref

    def least_squares(self, regions: tuple[Region, ...]
                      ) -> tuple[int, list[list[int]], Any, tuple[Fraction, ...], Fraction]:
        """``(rank K, P, P as flint, residual, loss)``: ``P`` (``nv`` rows) holds an integer
        basis of ``ker K^T`` then ``V`` in its columns, every least-squares ``v`` being
        ``(V + P[:, :-1] c) / den`` in the scaled problem."""
        inst = self.inst
        blocks = [self._block(i, reg) for i, reg in enumerate(regions)]
        nv = sum(len(b) for b in blocks)
        flat: list[int] = []  # [K K^T | K y], row by row, from the cached blocks
        for a in blocks:
            grams = [self._gram_block(a, b) for b in blocks]
            Ky = self._Ky_block(a)
            for j in range(len(a)):
                for g in grams:
                    flat += g[j]
                flat.append(Ky[j])
        R_, den_, rank_ = flint.fmpz_mat(nv, nv + 1, flat).rref()
        r, den = int(rank_), int(den_)
        sign = -1 if den < 0 else 1
        den *= sign
        reduced = R_.tolist()[:r]  # flint integers: only the entries used are converted
        pivots = [next(c for c, x in enumerate(row) if x) for row in reduced]
        free = [c for c in range(nv) if c not in pivots]
        # columns: the basis of ker K^T (one per free coordinate), then V (v* = V / den)
        P = [[0] * (len(free) + 1) for _ in range(nv)]
        for j, f in enumerate(free):
            P[f][j] = den
        for row, pc in zip(reduced, pivots):
            P[pc] = [-sign * int(row[f]) for f in free] + [sign * int(row[nv])]
        Pf = flint.fmpz_mat(P)
        if r == inst.N:  # y is in the row space: the fit is y itself
            residual, loss = self._zeros, Fraction(0)
        else:  # den * Dy * e = K^T V - den * y_int
            V = [row[-1] for row in P]
            E = [-den * yn for yn in self.y]
            for Vr, Kr in zip(V, (row for b in blocks for row in b)):
                if Vr:
                    E = [e + Vr * x for e, x in zip(E, Kr)]
            denom = den * self.Dy
            residual = tuple(Fraction(x, denom) for x in E)
            loss = Fraction(sum(x * x for x in E), 2 * denom * denom)
        return r, P, Pf, residual, loss

    def _holds_dlm(self, regions: tuple[Region, ...], P: list[list[int]], Pf: Any,
                   k: int, hint: Sequence[int] | None = None) -> bool:
        """Whether some sign choice of ``z`` has a feasible system (depth first over units,
        ``hint`` first when given); ``P`` (rows of ``[basis | V]``) and ``Pf`` (the same as a
        flint matrix)."""
        d0, d1 = self.inst.d0, self.inst.d1
        # A unit whose v_i is the same for every least-squares v (its rows of the basis are 0)
        # is decided alone, from the exact signs of x_n . V_i: if no sign of z_i fits, no sign
        # choice has a point; if one does, it constrains nothing else and leaves the search.
        moving = []
        for i in range(d1):
            rows_i = P[i * d0:(i + 1) * d0]
            if any(any(row[:k]) for row in rows_i):
                moving.append(i)
                continue
            V = [row[k] for row in rows_i]
            if not any(V):  # v_i = 0 for every least-squares v: z_i = 0 fits
                continue
            signs = regions[i].signs
            vals = [signs[n] * sum(map(int.__mul__, self.cols[n], V))
                    for n in self.points if signs[n]]
            if not (all(v > 0 for v in vals) or all(v < 0 for v in vals)):
                return False
        if not moving:
            return True
        # row (i, n): den * (x_n . v_i) = h . c + h0, reduced by the gcd
        H = [] if self.XB is None else [[int(x) for x in row] for row in (self.XB * Pf).tolist()]
        units: list[tuple[list[tuple[int, ...]], list[tuple[int, ...]], list[list[int]], int]] = []
        for i in moving:
            signs = regions[i].signs
            pos, neg = [], []  # the rows for sigma_i = +1 and for sigma_i = -1
            lo, hi = self.unit_rows[i]
            for n, row in zip(self.points, H[lo:hi]):
                if signs[n] == 0:
                    continue
                g = math.gcd(*row)
                t = tuple([x // g for x in row]) if g > 1 else tuple(row)
                m = tuple([-x for x in t])
                pos.append(t if signs[n] > 0 else m)
                neg.append(m if signs[n] > 0 else t)
            eqs = P[i * d0:(i + 1) * d0]  # v_i = 0: basis . c + V = 0
            units.append((pos, neg, eqs, i))
        def feasible(prefix: tuple[int, ...]) -> bool:
            strict: list[tuple[int, ...]] = []
            eq: list[list[int]] = []
            for (pos, neg, eqs, _), s_i in zip(units, prefix):
                if s_i == 0:
                    eq.extend(eqs)
                else:
                    strict.extend(pos if s_i > 0 else neg)
            return strictly_feasible([t[:k] for t in strict], [t[k] for t in strict],
                                     [e[:k] for e in eq], [-e[k] for e in eq], k)

        def search(prefix: tuple[int, ...]) -> bool:
            if prefix and not feasible(prefix):
                return False
            if len(prefix) == len(units):
                return True
            return any(search(prefix + (s,)) for s in (1, -1, 0))

        if hint is not None and feasible(tuple(hint[u[3]] for u in units)):
            return True
        # Units whose v_i moves in fewer directions over the least-squares set first: their
        # sign conditions fail most often, which prunes the search earliest (the order of the
        # units does not change which sign choices are feasible).
        units.sort(key=lambda u: flint.fmpz_mat([e[:k] for e in u[2]]).rank())
        return search(())
