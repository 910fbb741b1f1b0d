"""Exact primitives of the kernel: rationals, primes, and linear algebra modulo a prime.

Standard library only; nothing here reads a certificate.
"""

import array
import itertools
import sys
from fractions import Fraction
from typing import Any

from .reader import Rejected

_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def dot(a: list[Fraction], b: list[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def echelon(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """A basis of the span of ``rows`` (exact Gaussian elimination; the rows it keeps)."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        w = list(row)
        for piv, b in basis:
            if w[piv]:
                f = w[piv] / b[piv]
                w = [x - f * y for x, y in zip(w, b)]
        lead = next((k for k, x in enumerate(w) if x), None)
        if lead is not None:
            basis.append((lead, w))
    return [b for _, b in basis]


def sign(q: Fraction) -> int:
    return (q > 0) - (q < 0)


def is_prime(p: int) -> bool:
    """Deterministic Miller-Rabin, valid for p < 3.3e24.

    >>> [q for q in range(30) if is_prime(q)], is_prime(2**61 - 1), is_prime(2**61)
    ([2, 3, 5, 7, 11, 13, 17, 19, 23, 29], True, False)
    """
    if p < 2:
        return False
    for b in _MR_BASES:
        if p % b == 0:
            return p == b
    d, s = p - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for b in _MR_BASES:
        x = pow(b, d, p)
        if x in (1, p - 1):
            continue
        for _ in range(s - 1):
            x = x * x % p
            if x == p - 1:
                break
        else:
            return False
    return True


def mod_p(q: Fraction, p: int, what: str) -> int:
    """``a * b^(-1) mod p`` for ``q = a/b``; a denominator divisible by p is a rejection."""
    if q.denominator % p == 0:
        raise Rejected(what, f"denominators prime to p={p}", f"denominator {q.denominator}")
    return q.numerator * pow(q.denominator, -1, p) % p


def det_mod_p(M: list[list[int]], p: int) -> int:
    """Determinant of a square matrix of residues mod p (Gaussian elimination over GF(p)).

    >>> det_mod_p([[1, 2], [3, 4]], 7)  # -2
    5
    """
    M = [row[:] for row in M]
    n, det = len(M), 1
    for c in range(n):
        piv = next((r for r in range(c, n) if M[r][c]), None)
        if piv is None:
            return 0
        if piv != c:
            M[c], M[piv] = M[piv], M[c]
            det = -det
        det = det * M[c][c] % p
        inv = pow(M[c][c], -1, p)
        for r in range(c + 1, n):
            f = M[r][c] * inv % p
            if f:
                M[r] = [(a - f * b) % p for a, b in zip(M[r], M[c])]
    return det % p


def null_mod_p(M: list[list[int]], n: int, p: int) -> list[list[int]] | None:
    """A basis of {x in F_p^n : M x = 0}, or None when the rows of M are dependent mod p.

    >>> null_mod_p([[1, 0, 1]], 3, 5), null_mod_p([[1, 2], [2, 4]], 2, 5)
    ([[0, 1, 0], [4, 0, 1]], None)
    """
    rows: list[list[int]] = []
    pivots: list[int] = []
    for row in M:
        v = row[:]
        for piv, b in zip(pivots, rows):
            if v[piv]:
                f = v[piv]
                v = [(a - f * c) % p for a, c in zip(v, b)]
        lead = next((c for c in range(n) if v[c]), None)
        if lead is None:
            return None
        inv = pow(v[lead], -1, p)
        v = [a * inv % p for a in v]
        rows = [[(a - b[lead] * c) % p for a, c in zip(b, v)] for b in rows]
        rows.append(v)
        pivots.append(lead)
    basis = []
    for f in (c for c in range(n) if c not in pivots):
        x = [0] * n
        x[f] = 1
        for piv, b in zip(pivots, rows):
            x[piv] = -b[f] % p
        basis.append(x)
    return basis


_PLANS: dict[tuple[int, int], list[list[tuple[int, ...]]]] = {}


def minor_plan(k: int, m: int) -> list[list[tuple[int, ...]]]:
    """Expansion of every j x j minor of the last j rows (j = 1..k) along its first row.

    Level j lists, for each j-subset T of range(m) in ``itertools.combinations`` order, the
    flat tuple ``(T_0, s_0, T_1, s_1, ...)`` with ``s_i`` the index at level j-1 of T without
    T_i; the minor is ``sum_i (-1)^i row[T_i] * previous[s_i]``. Callers bound its size
    (``sum_j binom(m, j)`` tuples) before calling.
    """
    if (k, m) not in _PLANS:
        levels: list[list[tuple[int, ...]]] = []
        prev: dict[tuple[int, ...], int] = {(): 0}
        for j in range(1, k + 1):
            subsets = list(itertools.combinations(range(m), j))
            levels.append([tuple(x for i in range(j) for x in (T[i], prev[T[:i] + T[i + 1:]]))
                           for T in subsets])
            prev = {T: s for s, T in enumerate(subsets)}
        _PLANS[k, m] = levels
    return _PLANS[k, m]


def minors_mod_p(M: list[list[int]], m: int, p: int) -> list[int]:
    """All k x k minors (mod p) of the k x m matrix M, over column subsets in combinations order.

    >>> minors_mod_p([[1, 2, 3], [4, 5, 6]], 3, 7)  # columns {0,1}, {0,2}, {1,2}: -3, -6, -3
    [4, 1, 4]
    """
    k = len(M)
    prev = [1]
    for j, level in enumerate(minor_plan(k, m), start=1):
        r = M[k - j]
        if j == 1:
            prev = [r[c] % p for c, _ in level]
        elif j == 2:
            prev = [(r[a] * prev[s] - r[b] * prev[t]) % p for a, s, b, t in level]
        elif j == 3:
            prev = [(r[a] * prev[s] - r[b] * prev[t] + r[c] * prev[u]) % p
                    for a, s, b, t, c, u in level]
        else:
            prev = [sum((-1) ** i * r[e[2 * i]] * prev[e[2 * i + 1]] for i in range(j)) % p
                    for e in level]
    return prev


_WORDS = array.array("Q")


def fields(total: int, width: int, count: int) -> Any:
    """The ``count`` nonnegative ``width``-bit fields of ``total``, lowest first.

    >>> list(fields(5 + (7 << 64), 64, 2))
    [5, 7]
    """
    nbytes = width // 8
    raw = total.to_bytes(nbytes * count, "little")
    if nbytes == 8 and _WORDS.itemsize == 8:
        words = array.array("Q")
        words.frombytes(raw)
        if sys.byteorder != "little":
            words.byteswap()
        return words
    return [int.from_bytes(raw[j * nbytes:(j + 1) * nbytes], "little") for j in range(count)]


def gauss_jordan(A: list[list[Any]], m: int, exact: bool) -> bool:
    """Reduce ``[M | I]`` (m rows) in place to ``[I | M^-1]``; False if M is singular.
    Pivots: the first nonzero entry (exact), the largest one (floats)."""
    for c in range(m):
        rows = range(c, m)
        piv = (next((r for r in rows if A[r][c] != 0), c) if exact
               else max(rows, key=lambda r: abs(A[r][c])))
        if A[piv][c] == 0:
            return False
        A[c], A[piv] = A[piv], A[c]
        inv = 1 / A[c][c]
        A[c] = [v * inv for v in A[c]]
        for r in range(m):
            if r != c and A[r][c] != 0:
                f = A[r][c]
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
    return True
