"""Compiled exact screen of a census: most regions holding no DLM, decided in modular arithmetic.

A census decides every region; most hold no DLM, and most of those for one reason that needs
no LP: some hidden unit ``i`` has ``v_i`` the same for every least-squares ``v`` (the kernel of
``K^T`` is 0 on unit i's coordinates), and no sign of ``z_i`` makes the signs of
``x_n . v_i`` match the unit's region (nor is ``v_i = 0``). Full-rank regions are the case where
every unit is so. :func:`screen_range` finds these regions in compiled code and counts them;
every other region is *deferred* to :class:`~exactmin.decide.RegionDecider` (integers, exact
LPs), which also decides every region holding a DLM. The screen never says a region holds a
DLM, so the first bad region, listed regions and DLM points all come from the exact decision.

**Why the screen is exact.** Everything it concludes is about integers with a bound known
before the run, computed modulo ``m`` primes ``p_j < 2^31`` with product ``M`` (int64
throughout: every product of two residues is below ``2^62``). The scaled ``K`` (the decider's
integer matrix) has rows of squared norm at most ``R2``.

* *Rank.* ``r = rank K mod p_j`` for every j (else deferred). Every ``(r+1)``-minor of ``K`` is
  then divisible by every ``p_j``, hence by ``M``; it is at most ``R2^(s/2)`` in absolute value
  (Hadamard, ``s = min(nv, N)``), below ``M / 2``: it is 0, so ``rank K <= r``; a nonzero
  ``r``-minor mod ``p_0`` proves ``rank K >= r``.
* *Fixed units.* Unit i is *fixed* when, modulo every ``p_j``, no vector of ``ker K^T`` has a
  nonzero coordinate of unit i. The kernel over Q has the basis of Cramer vectors (entries
  ``r``-minors of ``K``, bounded as above) which lie in ``ker K^T mod p_j``: their unit-i
  coordinates are divisible by ``M`` and below ``M / 2``, so 0. Then ``v_i`` is the same for
  every least-squares ``v``.
* *Signs.* With ``J`` the pivot rows of ``K`` mod ``p_0`` (independent over Q: a nonzero minor
  mod p is nonzero), ``G = K_J K_J^T`` is positive definite and ``v = (G^-1 K_J y on J, 0
  elsewhere)`` is a least-squares solution (``K^T v`` is the projection of ``y`` on the row
  space). ``q_n = det G * (x_n . v_i) = x_n . (adj G K_J y)_i`` is an integer below ``Q``
  (Hadamard on ``G`` with a column replaced, times ``|x_n|_1``), ``Q < M / 2``; its residues
  mod every ``p_j`` give it exactly (Garner's mixed radix), so its sign, the sign of
  ``x_n . v_i`` (``det G > 0``), is exact; a prime dividing ``det G`` defers the region.

The bounds are computed per instance in Python integers (:class:`ScreenTable`), which picks
``m``; nothing in the screen is a float. Tests compare it with the decider on random instances,
with the primes of the run and with small primes (which make unlucky primes frequent).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numba import njit

from exactmin.geometry import Region
from exactmin.models import Instance

__all__ = ["ScreenTable", "screen_range", "table_for", "warm_up"]

# The largest primes below 2^31 (products of two residues stay below 2^62 in int64).
GRAM_MAX = 4_000_000  # entries of the table of row products (32 MB)

PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549,
          2147483543, 2147483497, 2147483489, 2147483477, 2147483423, 2147483399)


class ScreenTable:
    """The instance's data for :func:`screen_range`, modulo the primes its bounds need.

    Parameters
    ----------
    decider : RegionDecider
        Its scaled integer blocks of ``K``, ``y`` and columns ``x_n`` are the screen's (so the
        two decide the same scaled problem).
    units : sequence of Region, the R unit regions
    primes : the primes to draw from (default :data:`PRIMES`); tests pass small ones

    Attributes
    ----------
    blocks : (m, d1, R, d0, N) int64, block i of ``K`` for region k, mod each prime
    y : (m, N) int64, cols : (m, N, d0) int64, signs : (R, N) int64
    m_rank, m_sign : primes needed for the rank and fixed units, and for the signs
    """

    def __init__(self, decider: Any, units: Sequence[Region],
                 primes: Sequence[int] = PRIMES) -> None:
        inst = decider.inst
        d0, d1, N, R = inst.d0, inst.d1, inst.N, len(units)
        exact = [[decider._block(i, reg) for reg in units] for i in range(d1)]
        R2 = max([sum(x * x for x in row) for per in exact for blk in per for row in blk]
                 + [1])
        if R2 >= 1 << 62:
            raise ValueError("the screen needs the rows of K below 2^31 in norm")
        Y2 = sum(v * v for v in decider.y)
        X1 = max([sum(abs(x) for x in c) for c in decider.cols] + [1])
        s = min(d0 * d1, N)
        # M^2 > 4 R2^s: minors of K and the Cramer vectors' entries (Hadamard)
        self.m_rank = self._count(primes, 4 * R2 ** s)
        # M^2 > 4 X1^2 C(N, r)^2 R2^(2r - 1) Y2 for every rank r: the q_n (Cauchy-Binet)
        adj = max(math.comb(N, r) ** 2 * R2 ** (2 * r - 1) * Y2 for r in range(1, s + 1))
        self.m_sign = max(self.m_rank, self._count(primes, 4 * X1 * X1 * adj))
        m = self.m_sign
        self.primes = np.array(primes[:m], dtype=np.int64)
        self.blocks = np.zeros((m, d1, R, d0, N), dtype=np.int64)
        self.y = np.zeros((m, N), dtype=np.int64)
        self.cols = np.zeros((m, N, d0), dtype=np.int64)
        for j, p in enumerate(primes[:m]):
            self.blocks[j] = np.array([[[[x % p for x in row] for row in blk] for blk in per]
                                       for per in exact], dtype=np.int64).reshape(d1, R, d0, N)
            self.y[j] = [v % p for v in decider.y]
            self.cols[j] = [[x % p for x in c] for c in decider.cols]
        # Without noise every unit's block of a region is the same: the products of two rows
        # of K (one entry of K_J K_J^T) are tabulated, unless the table would be large.
        if inst.noise is None and m * (R * d0) ** 2 <= GRAM_MAX:
            rows = np.array([row for blk in exact[0] for row in blk], dtype=np.int64)
            exact_gram = rows @ rows.T  # exact: every entry is at most R2 < 2^62
            self.gram = np.stack([exact_gram % p for p in primes[:m]])
        else:
            self.gram = np.zeros((0, 0, 0), dtype=np.int64)
        self.signs = np.array([reg.signs for reg in units], dtype=np.int64).reshape(R, N)
        # Garner: inv[l, j] = p_l^-1 mod p_j; half = (M - 1) / 2 in mixed radix
        self.inv = np.zeros((m, m), dtype=np.int64)
        for j in range(m):
            for l in range(j):
                self.inv[l, j] = pow(primes[l], -1, primes[j])
        half = (math.prod(primes[:m]) - 1) // 2
        digits = []
        for p in primes[:m]:
            half, c = divmod(half, p)
            digits.append(c)
        self.half = np.array(digits, dtype=np.int64)

    @staticmethod
    def _count(primes: Sequence[int], bound_sq: int) -> int:
        """Fewest leading primes whose product M has ``M^2 > bound_sq``."""
        M = 1
        for m, p in enumerate(primes, start=1):
            M *= p
            if M * M > bound_sq:
                return m
        raise ValueError(f"the screen's bound needs more than {len(primes)} primes")


@njit(cache=True)
def _inverse(a: int, p: int) -> int:  # pragma: no cover - compiled
    t, new_t, r, new_r = 0, 1, p, a % p
    while new_r != 0:
        q = r // new_r
        t, new_t = new_t, t - q * new_t
        r, new_r = new_r, r - q * new_r
    return t % p


@njit(cache=True)
def _rref(A: np.ndarray, p: int, pivcol: np.ndarray, ispiv: np.ndarray) -> int:  # pragma: no cover
    """Reduced row echelon form of A (rows x cols, residues) in place; returns the rank."""
    rows, cols = A.shape
    row = 0
    for c in range(cols):
        ispiv[c] = 0
    for c in range(cols):
        piv = -1
        for rr in range(row, rows):
            if A[rr, c] != 0:
                piv = rr
                break
        if piv < 0:
            continue
        if piv != row:
            for cc in range(cols):
                A[piv, cc], A[row, cc] = A[row, cc], A[piv, cc]
        inv = _inverse(A[row, c], p)
        for cc in range(c, cols):
            A[row, cc] = A[row, cc] * inv % p
        for rr in range(rows):
            f = A[rr, c]
            if rr != row and f != 0:
                for cc in range(c, cols):
                    A[rr, cc] = (A[rr, cc] - f * A[row, cc]) % p
        pivcol[row] = c
        ispiv[c] = 1
        row += 1
        if row == rows:
            break
    return row


@njit(cache=True)
def _sign(res: np.ndarray, primes: np.ndarray, inv: np.ndarray, half: np.ndarray,
          m: int, digits: np.ndarray) -> int:  # pragma: no cover - compiled
    """Sign of the integer x with |x| <= (M - 1) / 2 and residues ``res[:m]``."""
    for j in range(m):
        p = primes[j]
        t = res[j] % p
        for l in range(j):
            t = (t - digits[l] % p) * inv[l, j] % p
        digits[j] = t
    nonzero = False
    for j in range(m):
        if digits[j] != 0:
            nonzero = True
    if not nonzero:
        return 0
    for j in range(m - 1, -1, -1):  # compare with (M - 1) / 2 from the top digit
        if digits[j] != half[j]:
            return 1 if digits[j] < half[j] else -1
    return 1


@njit(cache=True)
def _screen(blocks: np.ndarray, gram: np.ndarray, ys: np.ndarray, cols: np.ndarray,
            signs: np.ndarray,
            primes: np.ndarray, inv: np.ndarray, half: np.ndarray, m_rank: int, m_sign: int,
            start: np.ndarray, count: int, symmetric: bool, weights: np.ndarray,
            out_counts: np.ndarray, deferred: np.ndarray) -> int:  # pragma: no cover
    """Screen ``count`` tuples from ``start`` in the scan's order (see :func:`screen_range`).
    ``out_counts`` receives (decided, weighted decided, weighted full rank among them);
    ``deferred`` the deferred tuples; returns how many were deferred."""
    m_all, d1, R, d0, N = blocks.shape
    nv = d0 * d1
    t = start.copy()
    A = np.zeros((N, nv), dtype=np.int64)
    pivcol = np.zeros(nv, dtype=np.int64)
    pivcol0 = np.zeros(nv, dtype=np.int64)
    ispiv = np.zeros(nv, dtype=np.int64)
    fixed = np.zeros(d1, dtype=np.int64)
    G = np.zeros((nv, nv + 1), dtype=np.int64)
    ivs = np.zeros(nv, dtype=np.int64)
    pos = np.zeros(nv, dtype=np.int64)  # row of K -> index in J (or -1)
    q = np.zeros((d1, N, m_all), dtype=np.int64)
    vz = np.zeros((d1, d0, m_all), dtype=np.int64)
    res = np.zeros(m_all, dtype=np.int64)
    digits = np.zeros(m_all, dtype=np.int64)
    n_def = 0
    decided = 0
    wsum = 0
    wfull = 0
    for it in range(count):
        if it > 0:  # the next tuple of the scan's order (as tuple_range)
            i = d1 - 1
            while i >= 0 and t[i] == R - 1:
                i -= 1
            if i < 0:
                break
            t[i] += 1
            for jj in range(i + 1, d1):
                t[jj] = t[i] if symmetric else 0
        ok = True
        r = 0
        for i in range(d1):
            fixed[i] = 1
        for j in range(m_rank):
            p = primes[j]
            for i in range(d1):
                for a in range(d0):
                    for n in range(N):
                        A[n, i * d0 + a] = blocks[j, i, t[i], a, n]
            rj = _rref(A, p, pivcol, ispiv)
            if j == 0:
                r = rj
                for c in range(rj):
                    pivcol0[c] = pivcol[c]
            elif rj != r:
                ok = False
                break
            any_fixed = False
            for i in range(d1):
                if fixed[i] == 0:
                    continue
                for a in range(d0):
                    c = i * d0 + a
                    if ispiv[c] == 0:
                        fixed[i] = 0
                        break
                if fixed[i] == 1:
                    for row in range(rj):
                        c = pivcol[row]
                        if c // d0 != i:
                            continue
                        for f in range(nv):
                            if ispiv[f] == 0 and A[row, f] != 0:
                                fixed[i] = 0
                                break
                        if fixed[i] == 0:
                            break
                if fixed[i] == 1:
                    any_fixed = True
            if not any_fixed:
                ok = False
                break
        if ok:  # the signs of x_n . v_i for the fixed units, modulo every prime
            for c in range(nv):
                pos[c] = -1
            for a in range(r):
                pos[pivcol0[a]] = a
            for j in range(m_sign):
                p = primes[j]
                for a in range(r):
                    ra = pivcol0[a]
                    ia, aa = ra // d0, ra % d0
                    for b in range(a, r):
                        rb = pivcol0[b]
                        ib, bb = rb // d0, rb % d0
                        if gram.shape[0] > 0:  # without noise: looked up
                            G[a, b] = gram[j, t[ia] * d0 + aa, t[ib] * d0 + bb]
                        else:
                            acc = 0
                            for n in range(N):
                                acc += (blocks[j, ia, t[ia], aa, n]
                                        * blocks[j, ib, t[ib], bb, n] % p)
                            G[a, b] = acc % p
                        G[b, a] = G[a, b]
                    acc = 0
                    for n in range(N):
                        acc += blocks[j, ia, t[ia], aa, n] * ys[j, n] % p
                    G[a, r] = acc % p
                det = 1
                for c in range(r):  # [G | K_J y] to upper triangular, det G along
                    piv = -1
                    for rr in range(c, r):
                        if G[rr, c] != 0:
                            piv = rr
                            break
                    if piv < 0:
                        det = 0
                        break
                    if piv != c:
                        for cc in range(c, r + 1):
                            G[piv, cc], G[c, cc] = G[c, cc], G[piv, cc]
                        det = (p - det) % p
                    det = det * G[c, c] % p
                    iv = _inverse(G[c, c], p)
                    ivs[c] = iv
                    for rr in range(c + 1, r):
                        f = G[rr, c] * iv % p
                        if f != 0:
                            for cc in range(c + 1, r + 1):
                                G[rr, cc] = (G[rr, cc] - f * G[c, cc]) % p
                if det != 0:  # back substitution: alpha = G^-1 K_J y, into column r
                    for c in range(r - 1, -1, -1):
                        acc = G[c, r]
                        for cc in range(c + 1, r):
                            acc = (acc - G[c, cc] * G[cc, r]) % p
                        G[c, r] = acc * ivs[c] % p
                if det == 0:
                    ok = False
                    break
                for i in range(d1):
                    if fixed[i] == 0:
                        continue
                    for a in range(d0):  # det G * v_i, mod p (every coordinate is in J)
                        vz[i, a, j] = det * G[pos[i * d0 + a], r] % p
                    for n in range(N):
                        acc = 0
                        for a in range(d0):
                            acc += cols[j, n, a] * vz[i, a, j] % p
                        q[i, n, j] = acc % p
        if ok:
            ok = False
            for i in range(d1):
                if fixed[i] == 0:
                    continue
                zero = True
                for a in range(d0):
                    for j in range(m_sign):
                        res[j] = vz[i, a, j]
                    if _sign(res, primes, inv, half, m_sign, digits) != 0:
                        zero = False
                        break
                if zero:  # v_i = 0: z_i = 0 fits
                    continue
                npos = 0
                nneg = 0
                bad = False
                for n in range(N):
                    s = signs[t[i], n]
                    if s == 0:
                        continue
                    for j in range(m_sign):
                        res[j] = q[i, n, j]
                    g = _sign(res, primes, inv, half, m_sign, digits) * s
                    if g > 0:
                        npos += 1
                    elif g < 0:
                        nneg += 1
                    else:
                        bad = True
                    if bad or (npos > 0 and nneg > 0):
                        bad = True
                        break
                if bad:  # no sign of z_i fits unit i: no DLM in this region
                    ok = True
                    break
        if ok:
            w = 1
            if symmetric:
                w = weights[d1]
                run = 1
                for i in range(1, d1 + 1):
                    if i < d1 and t[i] == t[i - 1]:
                        run += 1
                    else:
                        w //= weights[run]
                        run = 1
            decided += 1
            wsum += w
            if r == N:
                wfull += w
        else:
            for i in range(d1):
                deferred[n_def, i] = t[i]
            n_def += 1
    out_counts[0] = decided
    out_counts[1] = wsum
    out_counts[2] = wfull
    return n_def


def screen_range(table: ScreenTable, start: Sequence[int], count: int, symmetric: bool
                 ) -> tuple[int, int, int, list[tuple[int, ...]]]:
    """Screen the ``count`` tuples (multisets when ``symmetric``) of the scan's order from
    ``start`` (or fewer at the end of the order).

    Returns
    -------
    (decided, weight, full, deferred) : regions decided to hold no DLM, their weight (orderings
        of each multiset), the weight of those of full rank, and the deferred tuples in order
    """
    d1 = table.blocks.shape[1]
    weights = np.array([math.factorial(k) for k in range(d1 + 1)], dtype=np.int64)
    out = np.zeros(3, dtype=np.int64)
    deferred = np.zeros((max(count, 1), d1), dtype=np.int64)
    n = _screen(table.blocks, table.gram, table.y, table.cols, table.signs, table.primes, table.inv,
                table.half, table.m_rank, table.m_sign, np.array(start, dtype=np.int64),
                count, symmetric, weights, out, deferred)
    return (int(out[0]), int(out[1]), int(out[2]),
            [tuple(int(x) for x in row) for row in deferred[:n]])


_TABLES: dict[tuple[Instance, tuple[Region, ...]], ScreenTable] = {}


def table_for(decider: Any, units: Sequence[Region]) -> ScreenTable:
    """The screen's table for a census decided by ``decider`` (a
    :class:`~exactmin.decide.RegionDecider`), cached per process (one instance at a time)."""
    key = (decider.inst, tuple(units))
    if key not in _TABLES:
        _TABLES.clear()
        _TABLES[key] = ScreenTable(decider, units)
    return _TABLES[key]


def warm_up() -> None:
    """Load (or compile) the screen now, e.g. before worker processes fork."""
    from exactmin.decide import RegionDecider
    from exactmin.geometry import enumerate_regions
    from exactmin.models import Instance

    inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=2, rho="1/2")
    units = enumerate_regions(inst.X)
    screen_range(ScreenTable(RegionDecider(inst), units), [0, 0], 1, True)
