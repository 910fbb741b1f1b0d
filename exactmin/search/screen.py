"""Compiled exact screen of a census: most regions holding no DLM, decided in modular arithmetic.

A census decides every region; most hold no DLM, and most of those for a reason that needs no
LP: some hidden unit ``i`` has ``v_i`` the same for every least-squares ``v`` (the kernel of
``K^T`` is 0 on unit i's coordinates), or moving on a line, and no sign of ``z_i`` makes the
signs of ``x_n . v_i`` match the unit's region (nor is ``v_i = 0``). Full-rank regions are the
case where every unit is fixed. :func:`screen_range` finds these regions in compiled code and
counts them; every other region is *deferred*: to :mod:`exactmin.search.screen_lp` (every sign
choice proved empty by verified Motzkin certificates), and what that leaves to
:class:`~exactmin.decide.RegionDecider` (integers, exact LPs), which also decides every region
holding a DLM. The screen never says a region holds a
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
  (an entry of ``adj G K_J y`` is ``det(K_J L)``, ``L`` the matrix ``K_J^T`` with a column
  replaced by ``y``: by Cauchy-Binet at most ``C(N, r) R2^(r - 1/2) |y|``; times ``|x_n|_1``),
  ``Q < M / 2`` with the primes used at rank r; its residues
  mod every ``p_j`` give it exactly (Garner's mixed radix), so its sign, the sign of
  ``x_n . v_i`` (``det G > 0``), is exact; a prime dividing ``det G`` defers the region.
* *Signs at rank N* (``K^T v = y`` is solvable): with ``J`` the pivot columns of ``[K^T | y]``
  mod ``p_0`` and ``B = K^T[:, J]`` (N x N, nonsingular), ``v = (B^-1 y on J, 0 elsewhere)``
  solves it, and ``det B * v`` is an integer vector (Cramer) read off the reduced ``[K^T | y]``
  of the rank's eliminations; ``q_n = x_n . (det B v_i)`` is at most
  ``X1 R2^((N-1)/2) |y|`` (Hadamard, B's columns being rows of K), so fewer primes decide it
  than the Gram route's bound. A prime whose pivot columns are not ``J`` sends the region to
  the Gram route. ``det B`` may be negative: it flips every sign of unit
  i's ``x_n . v_i`` together, which changes neither "both signs occur" nor "some is 0".
* *Lines.* Unit i's coordinates of ``ker K^T`` have rank at most 1 when the kernel has
  dimension ``nv - r = 1``, or when they do modulo enough primes (the 2 x 2 minors of the
  Cramer vectors' coordinates are at most ``2 R2^s``), and rank 1 when a kernel vector's
  coordinates are nonzero mod ``p_0``. With ``f`` such a free row of
  ``K``, ``u_f = e_f - (G^-1 K_J k_f on J)`` is in ``ker K^T`` (``k_f``, row f of K, is in the
  row space) and ``det G * u_f`` is an integer vector (Cramer, bounded like the ``q_n``); so
  ``v_i`` runs over the line ``(P + t D) / det G``, ``P`` and ``D`` integer vectors known mod
  every prime. A sign ``s`` of ``z_i`` fits iff some t has ``s s_n (c_n + t e_n) > 0`` for every
  point (``c_n = x_n . P``, ``e_n = x_n . D``): the rows with ``e_n = 0`` hold and the largest
  lower bound ``-c_n / e_n`` is below the smallest upper one, compared by the signs of the
  integers ``c_b e_n - c_n e_b``; ``z_i = 0`` fits iff the line passes through 0 (``P`` and ``D``
  parallel: their 2 x 2 minors vanish). If neither sign nor 0 fits, the region holds no DLM.
  Every integer decided here is at most ``2 X1^2 B^2`` (``B`` bounds the entries of ``P`` and
  ``D``), below ``M / 2`` for the primes used at that rank; the signs of the ``c_n`` and
  ``e_n`` themselves (at most ``X1 B``) are taken from fewer of them (``M > 2 X1 B``).

The bounds are computed per instance in Python integers (:class:`ScreenTable`), which picks
``m``; no float decides anything (the eliminations' row updates take a float quotient to avoid
an integer division and correct it exactly: :func:`_combine`). The eliminations are
fraction-free (no inverse per pivot; one extended Euclid per elimination). Tests compare the
screen with the decider on random instances, with the primes of the run and with small primes
(which make unlucky primes frequent), and its arithmetic with exact references.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numba import njit

from exactmin.geometry import Region
from exactmin.models import Instance
from exactmin.search.compiled import _power_mod

__all__ = ["ScreenTable", "screen_range", "table_for", "warm_up"]

# The largest primes below 2^31 (products of two residues stay below 2^62 in int64).
GRAM_MAX = 4_000_000  # entries of the table of row products (32 MB)

PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549,
          2147483543, 2147483497, 2147483489, 2147483477, 2147483423, 2147483399,
          2147483353, 2147483323, 2147483269, 2147483249, 2147483237, 2147483179,
          2147483171, 2147483137)


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
    m_rank, m_lines : primes needed for the rank and fixed units, and for a unit's line (rank 1
        of its kernel coordinates); sign_primes[r], line_primes[r] : primes needed for the signs
        of fixed units and along lines when ``rank K = r`` (0: that test is skipped);
        value_primes[r] : primes needed for the sign of one ``c_n`` or ``e_n`` on a line;
        m_direct : primes needed for the signs of fixed units when ``rank K = N`` (0: never);
        lp_primes[r, s] : primes needed by a certificate of :mod:`exactmin.search.screen_lp`
        on s rows when ``rank K = r`` (0: not verified)
    fblocks, fy, fcols : the same scaled blocks, y and columns as floats (its proposals)
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
        if self.m_rank == 0:
            raise ValueError(f"the screen's rank bound needs more than {len(primes)} primes")
        # Per rank r of K: M^2 > 4 X1^2 C(N, r)^2 R2^(2r - 1) Y2, the q_n (Cauchy-Binet);
        # lines: 2 x 2 minors of Cramer vectors (M^2 > 16 R2^(2s)), and of the integers
        # det G * x_n . v_i and det G * x_n . d_i (each at most X1 B, B^2 below); a line needs
        # a kernel, r < d0 * d1. A count 0 (all the primes are not enough) skips that test.
        self.m_lines = self._count(primes, 16 * R2 ** (2 * s), self.m_rank)
        # rank K = N: M^2 > 4 X1^2 R2^(N-1) Y2, the q_n of the direct solution (Hadamard)
        self.m_direct = (self._count(primes, 4 * X1 * X1 * R2 ** (N - 1) * Y2, self.m_rank)
                         if N <= d0 * d1 else 0)
        self.sign_primes = np.zeros(s + 1, dtype=np.int64)
        self.line_primes = np.zeros(s + 1, dtype=np.int64)
        self.value_primes = np.zeros(s + 1, dtype=np.int64)
        self.sign_primes[0] = self.m_rank
        for r in range(1, s + 1):
            C2 = math.comb(N, r) ** 2
            self.sign_primes[r] = self._count(primes, 4 * X1 * X1 * C2 * R2 ** (2 * r - 1) * Y2,
                                              self.m_rank)
            B2 = C2 * R2 ** (2 * r - 1) * max(R2, Y2)
            if r < d0 * d1 and self.m_lines and self.sign_primes[r]:
                self.line_primes[r] = self._count(primes, 16 * X1 ** 4 * B2 * B2,
                                                  max(int(self.sign_primes[r]), self.m_lines))
                # the c_n and e_n alone (at most X1 B): their signs need fewer primes
                self.value_primes[r] = self._count(primes, 4 * X1 * X1 * B2, self.m_rank)
        # The certificates of exactmin.search.screen_lp: per rank r and number of rows s
        # (k' = s - 1 <= nv - r), with A^2 = X1^2 B2 bounding the squares of every row entry,
        # M^2 > 4 (k'+1)^2 k'^k' A^(2k'+2).
        self.lp_primes = np.zeros((s + 1, d0 * d1 + 2), dtype=np.int64)
        for r in range(1, min(s, d0 * d1 - 1) + 1):
            B2 = math.comb(N, r) ** 2 * R2 ** (2 * r - 1) * max(R2, Y2)
            for k in range(d0 * d1 - r + 1):
                self.lp_primes[r, k + 1] = self._count(
                    primes, 4 * (k + 1) ** 2 * k ** k * (X1 * X1 * B2) ** (k + 1), self.m_rank)
        self.m_sign = int(self.sign_primes.max())
        self.m_line = int(self.line_primes.max())
        m = max(self.m_rank, self.m_sign, self.m_lines, self.m_line, self.m_direct,
                int(self.lp_primes.max()))
        self.ms = np.array([self.m_rank, self.m_lines, self.m_direct], dtype=np.int64)
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
            Ky = [sum(int(a) * b for a, b in zip(row, decider.y)) for row in rows]
            self.ky = np.array([[v % p for v in Ky] for p in primes[:m]], dtype=np.int64)
        else:
            self.gram = np.zeros((0, 0, 0), dtype=np.int64)
            self.ky = np.zeros((0, 0), dtype=np.int64)
        self.signs = np.array([reg.signs for reg in units], dtype=np.int64).reshape(R, N)
        # floats of the same scaled problem, for the proposals of exactmin.search.screen_lp
        self.fblocks = np.array(exact, dtype=np.float64).reshape(d1, R, d0, N)
        self.fy = np.array([float(v) for v in decider.y], dtype=np.float64)
        self.fcols = np.array([[float(x) for x in c] for c in decider.cols],
                              dtype=np.float64).reshape(N, d0)
        self.work: Any = None  # screen_lp's work arrays, made on first use
        # Garner: inv[l, j] = p_l^-1 mod p_j; half = (M - 1) / 2 in mixed radix
        self.inv = np.zeros((m, m), dtype=np.int64)
        for j in range(m):
            for l in range(j):
                self.inv[l, j] = pow(primes[l], -1, primes[j])
        # half[k]: (M_k - 1) / 2 in mixed radix, M_k the product of the first k primes
        self.half = np.zeros((m + 1, m), dtype=np.int64)
        for k in range(1, m + 1):
            h = (math.prod(primes[:k]) - 1) // 2
            for j, p in enumerate(primes[:k]):
                h, self.half[k, j] = divmod(h, p)

    @staticmethod
    def _count(primes: Sequence[int], bound_sq: int, least: int = 1) -> int:
        """Fewest leading primes (at least ``least``) whose product M has
        ``M^2 > bound_sq``; 0 when all of them are not enough (that test is then skipped)."""
        M = 1
        for m, p in enumerate(primes, start=1):
            M *= p
            if m >= least and M * M > bound_sq:
                return m
        return 0


@njit(cache=True)
def _inverse(a: int, p: int) -> int:  # pragma: no cover - compiled
    """a^-1 mod p (0 < a < p), by extended Euclid; the remainders are unsigned (their
    division needs no floor correction: 1.6x faster than signed)."""
    t, new_t = 0, 1
    r, new_r = np.uint64(p), np.uint64(a % p)
    while new_r != 0:
        q = r // new_r
        t, new_t = new_t, t - np.int64(q) * new_t
        r, new_r = new_r, r - q * new_r
    return t % p


@njit(cache=True)
def _combine(a: np.ndarray, b: np.ndarray, d: int, f: int, p: int,
             pinv: float) -> None:  # pragma: no cover - compiled
    """``a <- (d a - f b) mod p`` entrywise (residues in ``[0, p)``, ``p < 2^31``), without an
    integer division: ``x = d a_k - f b_k`` is below ``2^62`` in absolute value, and the float
    quotient ``q = trunc(x * pinv)`` (``pinv = 1 / p`` in float64) is within
    ``1 + 2^-19`` of ``x / p`` (two roundings of relative size ``2^-53``), so the exact integer
    ``x - q p`` lies in ``(-2p, 2p)``; adding p while it is negative (twice), then subtracting p
    and adding it back if negative, leaves ``x mod p`` exactly. The float only shortens the
    integer arithmetic (no branch: the loop vectorizes)."""
    for k in range(a.shape[0]):
        x = d * a[k] - f * b[k]
        x -= np.int64(np.float64(x) * pinv) * p
        x += (x >> 63) & p
        x += (x >> 63) & p
        x -= p
        x += (x >> 63) & p
        a[k] = x


@njit(cache=True)
def _back(U: np.ndarray, h: int, pivcol: np.ndarray, r: int, ivs: np.ndarray,
          p: int) -> None:  # pragma: no cover - compiled
    """Back substitution in column h of the row echelon form U (pivot of row k in column
    ``pivcol[k]``, its inverse ``ivs[k]``): ``U[k, h]`` becomes the reduced form's entry. The
    products of a row are reduced one by one and summed (at most ``r 2^31``), so they do not
    wait on each other."""
    for k in range(r - 1, -1, -1):
        acc = 0
        for k2 in range(k + 1, r):
            acc += U[k, pivcol[k2]] * U[k2, h] % p
        U[k, h] = (U[k, h] - acc % p) % p * ivs[k] % p


@njit(cache=True)
def _invert(v: np.ndarray, n: int, S: int, p: int) -> int:  # pragma: no cover - compiled
    """``v[:n]`` (nonzero residues) replaced by their inverses mod p, and ``S^-1`` mod p (S
    nonzero) returned, with one extended Euclid for all (Montgomery's trick: the inverse of the
    product, then two products per entry). ``v`` needs ``2 n`` entries (the prefix products)."""
    if v.shape[0] < 2 * n:
        raise ValueError("_invert: the work array needs 2 n entries")
    pre = v[n:]
    acc = S
    for k in range(n):
        pre[k] = acc  # S * v[0] * ... * v[k-1]
        acc = acc * v[k] % p
    inv = _inverse(acc, p)
    for k in range(n - 1, -1, -1):
        t = inv * pre[k] % p
        inv = inv * v[k] % p
        v[k] = t
    return inv


@njit(cache=True)
def _rref(A: np.ndarray, p: int, pivcol: np.ndarray, ispiv: np.ndarray, det: np.ndarray,
          ivs: np.ndarray) -> int:  # pragma: no cover - compiled
    """Rank of A (rows x cols, residues) mod p, pivots chosen among its first ``len(ispiv)``
    columns (the others, e.g. a right-hand side, only follow the row operations), and the
    entries of its reduced row echelon form that are not pivot columns: ``A[k, h]`` for the
    pivot rows k and every column h that holds no pivot. The other entries of A are left as
    the elimination leaves them (not reduced). ``det[0]`` receives ``det A[:, pivcol]`` mod p
    when every row holds a pivot. The elimination is fraction-free (``row <- d row - f
    pivot_row``, the product S of the factors d kept), and the pivots and S are inverted at
    once (:func:`_invert`); ``ivs``: work array of ``2 rows`` entries."""
    rows, cols = A.shape
    ncols = ispiv.shape[0]
    pinv = 1.0 / p
    row = 0
    sign = 1
    for c in range(ncols):
        ispiv[c] = 0
    for c in range(ncols):
        piv = -1
        for rr in range(row, rows):
            if A[rr, c] != 0:
                piv = rr
                break
        if piv < 0:
            continue
        if piv != row:
            for cc in range(c, cols):  # the rows below have 0 left of c
                A[piv, cc], A[row, cc] = A[row, cc], A[piv, cc]
            sign = -sign
        d = A[row, c]
        ivs[row] = 0  # rows scaled by this pivot (S = prod pivot^count, only for det)
        for rr in range(row + 1, rows):
            f = A[rr, c]
            if f != 0:
                _combine(A[rr, c + 1:], A[row, c + 1:], d, f, p, pinv)
                A[rr, c] = 0
                ivs[row] += 1
        pivcol[row] = c
        ispiv[c] = 1
        row += 1
        if row == rows:
            break
    S = 1
    dU = 1
    for k in range(row):
        if row == rows:
            S = S * _power_mod(A[k, pivcol[k]], ivs[k], p) % p
        ivs[k] = A[k, pivcol[k]]
        dU = dU * ivs[k] % p
    dU = dU * _invert(ivs, row, S, p) % p
    det[0] = (dU if sign > 0 else (p - dU) % p) if row == rows else 0
    for h in range(cols):  # back substitution, one column without a pivot at a time
        if h < ncols and ispiv[h] == 1:
            continue
        _back(A, h, pivcol, row, ivs, p)
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
def _load(blocks: np.ndarray, ys: np.ndarray, j: int, t: np.ndarray,
          A: np.ndarray) -> None:  # pragma: no cover - compiled
    """A = K^T modulo prime j for the tuple t of unit regions (and y in a last column when A
    has one more column than K^T)."""
    _, d1, _, d0, N = blocks.shape
    for i in range(d1):
        for a in range(d0):
            for n in range(N):
                A[n, i * d0 + a] = blocks[j, i, t[i], a, n]
    if A.shape[1] > d1 * d0:
        for n in range(N):
            A[n, d1 * d0] = ys[j, n]


@njit(cache=True)
def _unit_kernel(A: np.ndarray, rank: int, pivcol: np.ndarray, ispiv: np.ndarray, i: int,
                 d0: int, p: int, col: np.ndarray, vec: np.ndarray, rowof: np.ndarray,
                 w: np.ndarray) -> int:  # pragma: no cover - compiled
    """Rank (0, 1, or 2 for "2 or more") of unit i's coordinates of ker K^T, from the reduced
    row echelon form A of K^T (mod p). ``col[0]`` receives a free column whose kernel vector
    has a nonzero coordinate of unit i (or -1). The kernel vector of a free column f is
    ``e_f - sum_row A[row, f] e_pivcol[row]``. ``vec``, ``rowof``, ``w``: work arrays (d0)."""
    nv = ispiv.shape[0]
    first = -1
    for a in range(d0):
        rowof[a] = -1
    for row in range(rank):
        c = pivcol[row]
        if c // d0 == i:
            rowof[c - i * d0] = row
    col[0] = -1
    for f in range(nv):
        if ispiv[f] == 1:
            continue
        nz = False
        for a in range(d0):
            c = i * d0 + a
            w[a] = 0
            if c == f:
                w[a] = 1
            elif rowof[a] >= 0:
                w[a] = (p - A[rowof[a], f]) % p
            if w[a] != 0:
                nz = True
        if not nz:
            continue
        if first < 0:
            first = f
            col[0] = f
            for a in range(d0):
                vec[a] = w[a]
            continue
        for a in range(d0):  # rank 2 unless w is a multiple of vec
            for b in range(a + 1, d0):
                if (vec[a] * w[b] - vec[b] * w[a]) % p != 0:
                    return 2
    return 0 if first < 0 else 1


@njit(cache=True)
def _solve(G: np.ndarray, r: int, nrhs: int, p: int, ivs: np.ndarray) -> int:  # pragma: no cover
    """Solve G x = rhs in place (G is r x (r + nrhs), the right-hand sides in its last
    columns, the solutions left there) modulo p; returns det G mod p (0: not solved).
    Fraction-free elimination like :func:`_rref`; ``ivs``: work array of ``2 r`` entries."""
    sign = 1
    S = 1
    w = r + nrhs
    pinv = 1.0 / p
    for c in range(r):
        piv = -1
        for rr in range(c, r):
            if G[rr, c] != 0:
                piv = rr
                break
        if piv < 0:
            return 0
        if piv != c:
            for cc in range(c, w):
                G[piv, cc], G[c, cc] = G[c, cc], G[piv, cc]
            sign = -sign
        d = G[c, c]
        ivs[c] = 0  # rows scaled by this pivot
        for rr in range(c + 1, r):
            f = G[rr, c]
            if f != 0:
                _combine(G[rr, c + 1:w], G[c, c + 1:w], d, f, p, pinv)
                ivs[c] += 1
    det = 1
    for c in range(r):
        S = S * _power_mod(G[c, c], ivs[c], p) % p
        ivs[c] = G[c, c]
        det = det * ivs[c] % p
    det = det * _invert(ivs, r, S, p) % p
    pivots = ivs[r:2 * r]  # (the prefix products of _invert are spent)
    for c in range(r):
        pivots[c] = c
    for h in range(r, w):  # back substitution, one right-hand side at a time
        _back(G, h, pivots, r, ivs, p)
    return det if sign > 0 else (p - det) % p


@njit(cache=True)
def _gram(blocks: np.ndarray, gram: np.ndarray, ky: np.ndarray, ys: np.ndarray, j: int,
          p: int,
          t: np.ndarray, J: np.ndarray, r: int, extra: np.ndarray, n_extra: int,
          G: np.ndarray) -> None:  # pragma: no cover - compiled
    """``[K_J K_J^T | K_J y | K_J k_f for f in extra[:n_extra]]`` modulo prime j into G
    (``k_f``: row f of K)."""
    N = blocks.shape[4]
    d0 = blocks.shape[3]
    for a in range(r):
        ia, aa = J[a] // d0, J[a] % d0
        for b in range(a, r):
            ib, bb = J[b] // d0, J[b] % d0
            if gram.shape[0] > 0:  # without noise: looked up
                G[a, b] = gram[j, t[ia] * d0 + aa, t[ib] * d0 + bb]
            else:
                acc = 0
                for n in range(N):
                    acc += blocks[j, ia, t[ia], aa, n] * blocks[j, ib, t[ib], bb, n] % p
                G[a, b] = acc % p
            G[b, a] = G[a, b]
        if gram.shape[0] > 0:
            G[a, r] = ky[j, t[ia] * d0 + aa]
        else:
            acc = 0
            for n in range(N):
                acc += blocks[j, ia, t[ia], aa, n] * ys[j, n] % p
            G[a, r] = acc % p
        for e in range(n_extra):
            f = extra[e]
            iff, af = f // d0, f % d0
            if gram.shape[0] > 0:
                G[a, r + 1 + e] = gram[j, t[ia] * d0 + aa, t[iff] * d0 + af]
            else:
                acc = 0
                for n in range(N):
                    acc += blocks[j, ia, t[ia], aa, n] * blocks[j, iff, t[iff], af, n] % p
                G[a, r + 1 + e] = acc % p


@njit(cache=True)
def _crt_sign(values: np.ndarray, m: int, primes: np.ndarray, inv: np.ndarray,
              half: np.ndarray, digits: np.ndarray) -> int:  # pragma: no cover - compiled
    """:func:`_sign` of ``values[:m]`` with the half of the product of the first m primes."""
    return _sign(values, primes, inv, half[m], m, digits)


@njit(cache=True)
def _line_fits(c: np.ndarray, e: np.ndarray, live: np.ndarray, n_live: int, sg: int,
               csg: np.ndarray, esg: np.ndarray, m: int, primes: np.ndarray, inv: np.ndarray,
               half: np.ndarray, res: np.ndarray,
               digits: np.ndarray) -> bool:  # pragma: no cover - compiled
    """Whether some t has ``sg (c_n + t e_n) > 0`` for every live n (residues ``c[n, j]``,
    ``e[n, j]``, exact signs ``csg``, ``esg``): every row with ``e_n = 0`` has ``sg c_n > 0``,
    and the largest lower bound ``-c_n / e_n`` is below the smallest upper bound, compared by
    the exact signs of ``D(b, n) = c_b e_n - c_n e_b`` (the same for both signs ``sg``)."""
    lo = -1
    hi = -1
    for q in range(n_live):
        n = live[q]
        if esg[n] == 0:
            if sg * csg[n] <= 0:
                return False
            continue
        if sg * esg[n] > 0:  # t > -c_n / e_n
            if lo >= 0:
                for j in range(m):
                    p = primes[j]
                    res[j] = (c[lo, j] * e[n, j] - c[n, j] * e[lo, j]) % p
                if _crt_sign(res, m, primes, inv, half, digits) <= 0:
                    continue
            lo = n
        else:  # t < -c_n / e_n
            if hi >= 0:
                for j in range(m):
                    p = primes[j]
                    res[j] = (c[hi, j] * e[n, j] - c[n, j] * e[hi, j]) % p
                if _crt_sign(res, m, primes, inv, half, digits) >= 0:
                    continue
            hi = n
    if lo < 0 or hi < 0:
        return True
    for j in range(m):
        p = primes[j]
        res[j] = (c[hi, j] * e[lo, j] - c[lo, j] * e[hi, j]) % p
    return _crt_sign(res, m, primes, inv, half, digits) > 0


@njit(cache=True)
def _direct(A: np.ndarray, r: int, J: np.ndarray, pivcol: np.ndarray, det: int, p: int, j: int,
            Pv: np.ndarray) -> bool:  # pragma: no cover - compiled
    """From the reduced ``[K^T | y]`` (mod prime j) of a K of rank N with the pivot columns J:
    ``det B * v`` into ``Pv[:, :, j]``, with ``B = K^T[:, J]`` (``det B`` mod p: ``det``) and
    ``v = B^-1 y`` on J, 0 elsewhere. False (nothing written) when the pivots are not J."""
    for a in range(r):
        if pivcol[a] != J[a]:
            return False
    d1, d0 = Pv.shape[0], Pv.shape[1]
    nv = d0 * d1
    for c in range(nv):
        Pv[c // d0, c % d0, j] = 0
    for a in range(r):
        c = J[a]
        Pv[c // d0, c % d0, j] = det * A[a, nv] % p
    return True


@njit(cache=True)
def _screen(blocks: np.ndarray, gram: np.ndarray, ky: np.ndarray, ys: np.ndarray,
            cols: np.ndarray,
            signs: np.ndarray, primes: np.ndarray, inv: np.ndarray, half: np.ndarray,
            ms: np.ndarray, sign_primes: np.ndarray, line_primes: np.ndarray,
            value_primes: np.ndarray,
            start: np.ndarray, count: int, symmetric: bool,
            weights: np.ndarray, out_counts: np.ndarray,
            deferred: np.ndarray) -> int:  # pragma: no cover - compiled
    """Screen ``count`` tuples from ``start`` in the scan's order (see :func:`screen_range`;
    ``ms``, ``sign_primes``, ``line_primes``, ``value_primes``: the prime counts of
    :class:`ScreenTable`).
    ``out_counts`` receives (decided, weighted decided, weighted full rank among them);
    ``deferred`` the deferred tuples; returns how many were deferred."""
    m_rank, m_lines, m_direct = ms[0], ms[1], ms[2]
    m_all, d1, R, d0, N = blocks.shape
    nv = d0 * d1
    t = start.copy()
    A = np.zeros((N, nv + 1), dtype=np.int64)  # [K^T | y]
    dt = np.zeros(1, dtype=np.int64)
    pivcol = np.zeros(nv, dtype=np.int64)
    J = np.zeros(nv, dtype=np.int64)
    ispiv = np.zeros(nv, dtype=np.int64)
    fixed = np.zeros(d1, dtype=np.int64)
    line = np.zeros(d1, dtype=np.int64)
    fcol = np.zeros(d1, dtype=np.int64)
    extra = np.zeros(d1, dtype=np.int64)
    fq = np.zeros(d1, dtype=np.int64)  # line unit i's index in extra
    col = np.zeros(1, dtype=np.int64)
    kv = np.zeros(d0, dtype=np.int64)
    krow = np.zeros(d0, dtype=np.int64)
    kw = np.zeros(d0, dtype=np.int64)
    G = np.zeros((nv, nv + 1 + d1), dtype=np.int64)
    ivs = np.zeros(2 * max(nv, N) + 2, dtype=np.int64)
    pos = np.zeros(nv, dtype=np.int64)  # row of K -> index in J (or -1)
    Pv = np.zeros((d1, d0, m_all), dtype=np.int64)  # det G * v_i of the particular solution
    Dv = np.zeros((d1, d0, m_all), dtype=np.int64)  # det G * the unit's kernel direction
    c = np.zeros((N, m_all), dtype=np.int64)
    e = np.zeros((N, m_all), dtype=np.int64)
    csg = np.zeros(N, dtype=np.int64)
    esg = np.zeros(N, dtype=np.int64)
    live = np.zeros(N, dtype=np.int64)
    res = np.zeros(m_all, dtype=np.int64)
    digits = np.zeros(m_all, dtype=np.int64)
    n_def = 0
    decided = 0
    wsum = 0
    wfull = 0
    m_sign = 0
    m_line = 0
    m_value = 0
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
        # 1. rank K, and per unit: fixed (no kernel coordinate) or a line (kernel rank 1)
        ok = True
        r = 0
        direct = False
        for i in range(d1):
            fixed[i] = 1
            line[i] = 1
        for j in range(m_rank):
            p = primes[j]
            _load(blocks, ys, j, t, A)
            rj = _rref(A, p, pivcol, ispiv, dt, ivs)
            if j == 0:
                r = rj
                for a in range(rj):
                    J[a] = pivcol[a]
                m_sign = sign_primes[min(r, sign_primes.shape[0] - 1)]
                m_line = line_primes[min(r, line_primes.shape[0] - 1)]
                m_value = value_primes[min(r, value_primes.shape[0] - 1)]
                direct = r == N and m_direct > 0
            elif rj != r:
                ok = False
                break
            if direct:
                direct = _direct(A, r, J, pivcol, dt[0], p, j, Pv)
            candidates = False
            for i in range(d1):
                kr = _unit_kernel(A, rj, pivcol, ispiv, i, d0, p, col, kv, krow, kw)
                if kr != 0:
                    fixed[i] = 0
                if kr > 1 or (j == 0 and kr != 1) or m_line == 0:
                    line[i] = 0
                if j == 0:
                    fcol[i] = col[0]
                if fixed[i] == 1 or line[i] == 1:
                    candidates = True
            if not candidates:
                ok = False
                break
        if ok:
            for a in range(nv):
                pos[a] = -1
            for a in range(r):
                pos[J[a]] = a
        # 2. a fixed unit that fits no sign of z_i (the exact signs of x_n . v_i)
        found = False
        any_fixed = False
        for i in range(d1):
            if fixed[i] == 1:
                any_fixed = True
        if ok and any_fixed and (m_sign > 0 or direct):
            for j in range(m_rank, m_direct):
                if not direct:
                    break
                p = primes[j]
                _load(blocks, ys, j, t, A)
                direct = _rref(A, p, pivcol, ispiv, dt, ivs) == r and _direct(A, r, J, pivcol, dt[0],
                                                                          p, j, Pv)
            if direct:
                m_sign = m_direct
            for j in range(0 if direct else m_sign):
                p = primes[j]
                _gram(blocks, gram, ky, ys, j, p, t, J, r, extra, 0, G)
                det = _solve(G, r, 1, p, ivs)
                if det == 0:
                    ok = False
                    break
                for i in range(d1):
                    if fixed[i] == 1:
                        for a in range(d0):  # det G * v_i (every coordinate is in J)
                            Pv[i, a, j] = det * G[pos[i * d0 + a], r] % p
            for i in range(d1):
                if not ok or found or fixed[i] == 0:
                    continue
                zero = True
                for a in range(d0):
                    if _crt_sign(Pv[i, a], m_sign, primes, inv, half, digits) != 0:
                        zero = False
                        break
                if zero:  # v_i = 0: z_i = 0 fits
                    continue
                npos = 0
                nneg = 0
                for n in range(N):
                    s = signs[t[i], n]
                    if s == 0:
                        continue
                    for j in range(m_sign):
                        p = primes[j]
                        acc = 0
                        for a in range(d0):
                            acc += cols[j, n, a] * Pv[i, a, j] % p
                        res[j] = acc % p
                    g = _crt_sign(res, m_sign, primes, inv, half, digits) * s
                    if g > 0:
                        npos += 1
                    elif g < 0:
                        nneg += 1
                    if g == 0 or (npos > 0 and nneg > 0):
                        found = True  # no sign of z_i fits unit i: no DLM in this region
                        break
        # 3. a unit whose v_i moves on a line that meets neither cone of its region nor 0
        any_line = False
        for i in range(d1):
            if line[i] == 1:
                any_line = True
        if ok and not found and any_line and m_line > 0:
            for j in range(m_rank, m_lines if nv - r > 1 else 0):  # rank 1 of a unit's line
                p = primes[j]
                _load(blocks, ys, j, t, A)
                if _rref(A, p, pivcol, ispiv, dt, ivs) != r:
                    ok = False
                    break
                for i in range(d1):
                    if line[i] == 1 and _unit_kernel(A, r, pivcol, ispiv, i, d0, p, col, kv, krow,
                                                            kw) > 1:
                        line[i] = 0
            n_extra = 0  # the distinct free rows of the lines (units may share one)
            for i in range(d1):
                if line[i] == 1:
                    fq[i] = n_extra
                    for e_ in range(n_extra):
                        if extra[e_] == fcol[i]:
                            fq[i] = e_
                    if fq[i] == n_extra:
                        extra[n_extra] = fcol[i]
                        n_extra += 1
            for j in range(m_line):
                if not ok:
                    break
                p = primes[j]
                _gram(blocks, gram, ky, ys, j, p, t, J, r, extra, n_extra, G)
                det = _solve(G, r, 1 + n_extra, p, ivs)
                if det == 0:
                    ok = False
                    break
                for i in range(d1):
                    if line[i] == 0:
                        continue
                    f = fcol[i]
                    q = fq[i]
                    for a in range(d0):
                        cc = i * d0 + a
                        Pv[i, a, j] = det * G[pos[cc], r] % p if pos[cc] >= 0 else 0
                        if cc == f:
                            Dv[i, a, j] = det
                        elif pos[cc] >= 0:  # det G * (-G^-1 K_J k_f)
                            Dv[i, a, j] = (p - det * G[pos[cc], r + 1 + q] % p) % p
                        else:
                            Dv[i, a, j] = 0
            for i in range(d1):
                if not ok or found or line[i] == 0:
                    continue
                through0 = True  # P and D parallel: the line passes through v_i = 0
                for a in range(d0):
                    for b in range(a + 1, d0):
                        for j in range(m_line):
                            p = primes[j]
                            res[j] = (Pv[i, a, j] * Dv[i, b, j] - Pv[i, b, j] * Dv[i, a, j]) % p
                        if _crt_sign(res, m_line, primes, inv, half, digits) != 0:
                            through0 = False
                if through0:
                    continue
                n_live = 0
                for n in range(N):
                    s = signs[t[i], n]
                    if s == 0:
                        continue
                    live[n_live] = n
                    n_live += 1
                    for j in range(m_line):
                        p = primes[j]
                        accp = 0
                        accd = 0
                        for a in range(d0):
                            accp += cols[j, n, a] * Pv[i, a, j] % p
                            accd += cols[j, n, a] * Dv[i, a, j] % p
                        c[n, j] = s * accp % p
                        e[n, j] = s * accd % p
                    csg[n] = _crt_sign(c[n], m_value, primes, inv, half, digits)
                    esg[n] = _crt_sign(e[n], m_value, primes, inv, half, digits)
                if not _line_fits(c, e, live, n_live, 1, csg, esg, m_line, primes, inv, half,
                                  res, digits) and \
                        not _line_fits(c, e, live, n_live, -1, csg, esg, m_line, primes, inv,
                                       half, res, digits):
                    found = True
        if ok and found:
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
    n = _screen(table.blocks, table.gram, table.ky, table.y, table.cols, table.signs, table.primes,
                table.inv, table.half, table.ms, table.sign_primes, table.line_primes,
                table.value_primes,
                np.array(start, dtype=np.int64),
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
