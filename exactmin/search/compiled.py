"""Compiled inner loop of the fast engine: every (unit a, unit b) pair of a search node at once.

Used by :mod:`exactmin.search.fast` for large runs only (see ``COMPILED_MIN_WORK``): importing
numba costs ~0.35 s and a first run compiles (~seconds, then cached on disk with ``cache=True``),
which small instances and ``exactmin demo`` should not pay.

Residues modulo an odd prime ``p < 2^24`` are held as float64 in balanced form
``[-(p-1)/2, (p-1)/2]``: every value is an integer, and the caller checks (``fits``) that every
sum formed (``N`` or ``C`` products of two residues, or ``d`` products inside a minor) has
absolute value at most 2^52, where float64 represents integers exactly, so each multiply-add of
exactly represented integers with an exactly representable result is exact (IEEE 754, no
fast-math). So the products are done by BLAS (``np.dot``) and are exact integer arithmetic; the
reduction mod p is exact too (``_reduce``). No value is ever rounded, so no float decides anything.

The identity used (generalized Laplace expansion along the first ``d`` of ``2d`` rows)::

    det [Pa; Pb] = sum_S eps(S) det(Pa[:, S]) det(Pb[:, S^c]),  eps(S) = (-1)^(sum S + d(d-1)/2)

over the d-subsets S of the columns (0-based), with ``Pa = K_a Z``, ``Pb = K_b Z`` and ``Z`` a
basis of the null space of the node's stacked blocks.
"""

from __future__ import annotations

import itertools

import numpy as np
from numba import njit

from exactmin.linalg.modp import balanced, fits

__all__ = ["MinorPlan", "child_node", "node_pair_zeros", "warm_up"]


class MinorPlan:
    """Index tables for all ``d x d`` minors of a ``d x m`` matrix by expansion along rows.

    Level k (1..d) holds the k x k minors of the last k rows, one per k-subset T of the
    columns (in ``itertools.combinations`` order): ``minor(T) = sum_j (-1)^j M[d-k, T_j]
    minor(T without T_j)``. ``cols[k, s, j]`` is ``T_j`` and ``subs[k, s, j]`` the index of
    ``T without T_j`` at level k-1.

    >>> plan = MinorPlan(2, 4)
    >>> int(plan.count[2]), int(plan.count[1])
    (6, 4)
    """

    def __init__(self, d: int, m: int) -> None:
        levels = [list(itertools.combinations(range(m), k)) for k in range(d + 1)]
        index = [{T: s for s, T in enumerate(level)} for level in levels]
        width = max(len(level) for level in levels)
        self.cols = np.zeros((d + 1, width, max(d, 1)), dtype=np.int64)
        self.subs = np.zeros((d + 1, width, max(d, 1)), dtype=np.int64)
        self.count = np.array([len(level) for level in levels], dtype=np.int64)
        for k in range(1, d + 1):
            for s, T in enumerate(levels[k]):
                for j in range(k):
                    self.cols[k, s, j] = T[j]
                    self.subs[k, s, j] = index[k - 1][T[:j] + T[j + 1:]]
        subsets = levels[d]
        # For each d-subset S: the index of its complement among the (m-d)-subsets (m = 2d).
        self.comp = np.array([index[m - d][tuple(c for c in range(m) if c not in S)]
                              for S in subsets], dtype=np.int64) if m == 2 * d else None
        self.eps = np.array([(-1) ** (sum(S) + d * (d - 1) // 2) for S in subsets],
                            dtype=np.int64)


# All residues are float64 holding integers in [-(p-1)/2, (p-1)/2]; see the module docstring.


@njit(cache=True)
def _reduce(S: np.ndarray, p: int) -> None:  # pragma: no cover - compiled
    """Reduce in place integers |s| <= 2^52 (held exactly in float64) to balanced residues.

    The result is the representative in [-(p-1)/2, (p-1)/2] of ``s mod p`` (p odd). The guess
    ``q = floor(s * (1/p))`` is within 1 of ``floor(s / p)`` (relative rounding error < 2^-51
    on a quotient of magnitude below 2^29), so ``|q p| < 2^52 + 2p < 2^53`` and ``s - q p`` are
    integers computed exactly, lying in [-p, 2p); the corrections below land them in range.
    """
    pinv = 1.0 / p
    half = (p - 1) // 2
    flat = S.reshape(-1)
    for t in range(flat.size):
        r = flat[t] - np.floor(flat[t] * pinv) * p
        if r < 0:
            r += p
        elif r >= p:
            r -= p
        if r > half:
            r -= p
        flat[t] = r


@njit(cache=True)
def _minor_vectors(res: np.ndarray, Z: np.ndarray, p: int, cols: np.ndarray, subs: np.ndarray,
                   count: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """All d x d minors mod p of ``res[r] @ Z`` for every region r, as an (R, C) array.

    ``res`` is (R*d, N) and ``Z`` is (N, m), balanced residues as float64; ``fits(N, p)`` is
    checked by the caller, so the product (BLAS) is exact. The minors are built level by level
    (``MinorPlan``) with the regions as the inner, vectorized loop; each level's sums have at
    most d terms below (p/2)^2, again exact.
    """
    m = Z.shape[1]
    d = cols.shape[0] - 1
    R = res.shape[0] // d
    P = np.dot(res, Z)  # (R*d, m)
    _reduce(P, p)
    Pt = np.empty((d, m, R))
    for r in range(R):
        for i in range(d):
            for c in range(m):
                Pt[i, c, r] = P[r * d + i, c]
    width = cols.shape[1]
    prev = np.ones((width, R))
    cur = np.zeros((width, R))
    for k in range(1, d + 1):
        row = d - k
        for t in range(count[k]):
            for r in range(R):
                cur[t, r] = 0.0
            for j in range(k):
                col, sub = cols[k, t, j], subs[k, t, j]
                if j % 2 == 0:
                    for r in range(R):
                        cur[t, r] += Pt[row, col, r] * prev[sub, r]
                else:
                    for r in range(R):
                        cur[t, r] -= Pt[row, col, r] * prev[sub, r]
        _reduce(cur[:count[k]], p)
        prev, cur = cur, prev
    return np.ascontiguousarray(prev[:count[d]].T)


@njit(cache=True)
def _node(res_a: np.ndarray, res_b: np.ndarray, Z: np.ndarray, p: int, cols: np.ndarray,
          subs: np.ndarray, count: np.ndarray, comp: np.ndarray, eps: np.ndarray,
          out: np.ndarray) -> int:  # pragma: no cover - compiled
    """Pairs (a, b) whose Laplace sum ``sum_S eps(S) A[a, S] B[b, S^c]`` may be 0 mod p.

    With balanced residues and ``fits(C, p)`` (checked by the caller) the BLAS product
    ``A @ Bt`` is exact; its entries are then reduced exactly by ``_reduce``.
    """
    A = _minor_vectors(res_a, Z, p, cols, subs, count)
    B = _minor_vectors(res_b, Z, p, cols, subs, count)
    R, C = B.shape
    Bt = np.empty((C, R))
    for i in range(C):
        for b in range(R):
            Bt[i, b] = B[b, comp[i]] * eps[i]
    D = np.dot(A, Bt)
    _reduce(D, p)
    found = 0
    for a in range(D.shape[0]):
        for b in range(D.shape[1]):
            if D[a, b] == 0.0:
                if found < out.shape[0]:
                    out[found, 0] = a
                    out[found, 1] = b
                found += 1
    return found


def node_pair_zeros(res_a: np.ndarray, res_b: np.ndarray, Z: np.ndarray, p: int,
                    plan: MinorPlan, out: np.ndarray) -> int:
    """The (a, b) region pairs of a node whose ``det [K_a Z; K_b Z]`` may be 0 mod p.

    Parameters
    ----------
    res_a, res_b : float64 arrays (R*d, N)
        Blocks ``K_i`` of the two last units for every unit region as balanced residues
        (:func:`balanced`), stacked: rows ``r*d .. r*d+d-1`` are region r's block.
    Z : int64 array (N, 2d)
        Basis of the node's null space mod p.
    p : int
        The prime, below 2^24.
    plan : MinorPlan
        ``MinorPlan(d, 2d)``.
    out : int64 array (cap, 2)
        Receives the first ``cap`` pairs found.

    Returns
    -------
    int
        The number of pairs that are (possibly) zero; every other pair is nonsingular mod p.
    """
    d = plan.cols.shape[0] - 1
    N = res_a.shape[1]
    C = int(plan.count[d])
    if not fits(max(N, C), p):
        raise ValueError(f"p = {p} is too large for exact float64 sums of {max(N, C)} products")
    return int(_node(res_a, res_b, balanced(Z, p), p, plan.cols, plan.subs, plan.count,
                     plan.comp, plan.eps, out))


@njit(cache=True)
def _power_mod(a: int, e: int, p: int) -> int:  # pragma: no cover - compiled
    """``a^e mod p`` (e >= 0) by squaring; p below 2^31 keeps every product below 2^62."""
    result, base = 1, a % p
    while e > 0:
        if e & 1:
            result = result * base % p
        base = base * base % p
        e >>= 1
    return result


@njit(cache=True)
def _inverse_mod(a: int, p: int) -> int:  # pragma: no cover - compiled
    """``a^(p-2) mod p`` (a != 0 mod p, p prime)."""
    return _power_mod(a, p - 2, p)


@njit(cache=True)
def _child(block: np.ndarray, Z: np.ndarray, p: int, picked: np.ndarray,
           Z2: np.ndarray) -> tuple[int, int]:  # pragma: no cover - compiled
    """Add one unit's block (d x N residues) to a node with null-space basis Z (N x m).

    The same computation as ``fast._reduce`` + ``fast._null_basis`` (rows taken greedily in
    order, pivots at the first nonzero column, reduced row echelon form), all mod p in int64
    (sums of at most N products below 2^48). Writes the picked row indices to ``picked`` and the
    new basis ``Z @ null`` to ``Z2[:, :m2]``; returns (number picked, m2).
    """
    d, N = block.shape
    m = Z.shape[1]
    T = np.zeros((d, m), dtype=np.int64)
    for i in range(d):
        for c in range(m):
            s = 0
            for n in range(N):
                s += block[i, n] * Z[n, c]
            T[i, c] = s % p
    basis = np.zeros((d, m), dtype=np.int64)
    pivots = np.full(d, -1, dtype=np.int64)
    count = 0
    for idx in range(d):
        v = T[idx].copy()
        for b in range(count):
            f = v[pivots[b]]
            if f != 0:
                for c in range(m):
                    v[c] = (v[c] - f * basis[b, c]) % p
        lead = -1
        for c in range(m):
            if v[c] != 0:
                lead = c
                break
        if lead < 0:
            continue
        inv = _inverse_mod(v[lead], p)
        for c in range(m):
            v[c] = v[c] * inv % p
        for b in range(count):
            f = basis[b, lead]
            if f != 0:
                for c in range(m):
                    basis[b, c] = (basis[b, c] - f * v[c]) % p
        basis[count] = v
        pivots[count] = lead
        picked[count] = idx
        count += 1
    m2 = 0
    for f in range(m):
        is_pivot = False
        for b in range(count):
            if pivots[b] == f:
                is_pivot = True
        if is_pivot:
            continue
        # null vector: x[f] = 1, x[pivot_b] = -basis[b, f]; Z2[:, m2] = Z @ x (mod p)
        for n in range(Z.shape[0]):
            s = Z[n, f]
            for b in range(count):
                s += Z[n, pivots[b]] * ((p - basis[b, f]) % p)
            Z2[n, m2] = s % p
        m2 += 1
    return count, m2


def child_node(block: np.ndarray, Z: np.ndarray, p: int) -> tuple[list[int], np.ndarray]:
    """Picked rows and the new null-space basis after adding ``block`` (see ``_child``).

    >>> picked, Z2 = child_node(np.array([[1, 0, 0]]), np.eye(3, dtype=np.int64), 7)
    >>> picked, Z2.tolist()
    ([0], [[0, 0], [1, 0], [0, 1]])
    """
    d = block.shape[0]
    picked = np.zeros(d, dtype=np.int64)
    Z2 = np.zeros((Z.shape[0], Z.shape[1]), dtype=np.int64)
    count, m2 = _child(np.ascontiguousarray(block), np.ascontiguousarray(Z), p, picked, Z2)
    return picked[:count].tolist(), Z2[:, :m2]


def warm_up(d: int) -> None:
    """Load (or compile) the compiled step for ``d`` now, e.g. before worker processes fork."""
    p = 101
    plan = MinorPlan(d, 2 * d)
    res = np.zeros((d, 2 * d), dtype=np.float64)
    node_pair_zeros(res, res, np.zeros((2 * d, 2 * d), dtype=np.int64), p, plan,
                    np.zeros((1, 2), dtype=np.int64))
    child_node(np.zeros((d, 2 * d), dtype=np.int64), np.eye(2 * d, dtype=np.int64), p)
