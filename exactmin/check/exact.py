"""Exact primitives of the kernel: rationals, primes, and linear algebra modulo a prime.

Standard library only; nothing here reads a certificate.
"""

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
