"""Linear algebra modulo a word-size prime, batched in numpy (the fast engine's arithmetic).

Residues are int64 in ``[0, p)``; ``balanced`` / ``fits`` hold them exactly in float64 for BLAS
products (the compiled step's number format). A nonzero determinant mod p proves a nonzero
determinant over Q; a zero one proves nothing and is re-decided exactly by the caller.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["balanced", "batched_det", "batched_nonsingular", "fits", "minors", "null_basis",
           "reduce_rows", "residue"]


def residue(q: Fraction, p: int) -> int:
    """``q mod p`` (the denominator must be prime to p).

    >>> residue(Fraction(1, 2), 7)
    4
    """
    return q.numerator * pow(q.denominator, -1, p) % p


def reduce_rows(M: list[list[int]], p: int) -> tuple[list[int], list[tuple[int, list[int]]]]:
    """Greedy independent rows of M (mod p) and a reduced row echelon basis of its row space."""
    basis: list[tuple[int, list[int]]] = []
    picked: list[int] = []
    for idx, row in enumerate(M):
        v = [a % p for a in row]
        for col, b in basis:
            f = v[col]
            if f:
                v = [(a - f * c) % p for a, c in zip(v, b)]
        lead = next((c for c, a in enumerate(v) if a), None)
        if lead is None:
            continue
        inv = pow(v[lead], -1, p)
        v = [a * inv % p for a in v]
        basis = [
            (col, [(a - b[lead] * c) % p for a, c in zip(b, v)] if b[lead] else b)
            for col, b in basis
        ]
        basis.append((lead, v))
        picked.append(idx)
    return picked, basis


def null_basis(basis: list[tuple[int, list[int]]], m: int, p: int) -> np.ndarray:
    """Columns spanning ``{u in F_p^m : row . u = 0 for every basis row}`` (m x m')."""
    pivots = {col: row for col, row in basis}
    free = [c for c in range(m) if c not in pivots]
    out = np.zeros((m, len(free)), dtype=np.int64)
    for t, f in enumerate(free):
        out[f, t] = 1
        for col, row in pivots.items():
            out[col, t] = (-row[f]) % p
    return out


def batched_nonsingular(T: np.ndarray, p: int) -> np.ndarray:
    """For a stack of square matrices (B, m, m) mod p, whether each is nonsingular.

    Division-free elimination: ``row_r <- piv * row_r - T[r, c] * row_c`` multiplies the
    determinant by ``piv != 0``, so nonsingularity is preserved without modular inverses.
    """
    T = T % p
    B, m, _ = T.shape
    alive = np.ones(B, dtype=bool)
    idx = np.arange(B)
    for c in range(m):
        nz = T[:, c:, c] != 0
        alive &= nz.any(axis=1)
        piv = c + np.argmax(nz, axis=1)
        row_c, row_p = T[idx, c, :].copy(), T[idx, piv, :].copy()
        T[idx, c, :], T[idx, piv, :] = row_p, row_c
        pv = T[:, c, c][:, None]
        for r in range(c + 1, m):
            T[:, r, :] = (pv * T[:, r, :] - T[:, r, c][:, None] * T[:, c, :]) % p
    return alive


def batched_det(T: np.ndarray, p: int) -> np.ndarray:
    """Determinants mod p of a stack (B, m, m), by division-free elimination and one inverse.

    Each step ``row_r <- piv_c * row_r - T[r, c] * row_c`` multiplies the determinant by
    ``piv_c``, so ``det = prod(diagonal) / prod_c piv_c^(m-1-c)`` (up to the swaps' sign).
    """
    T = T % p
    B, m, _ = T.shape
    idx = np.arange(B)
    sign = np.ones(B, dtype=np.int64)
    scale = np.ones(B, dtype=np.int64)
    for c in range(m):
        nz = T[:, c:, c] != 0
        piv = c + np.argmax(nz, axis=1)
        row_c, row_p = T[idx, c, :].copy(), T[idx, piv, :].copy()
        T[idx, c, :], T[idx, piv, :] = row_p, row_c
        sign = np.where(piv != c, -sign, sign)
        pv = T[:, c, c]
        for r in range(c + 1, m):
            T[:, r, :] = (pv[:, None] * T[:, r, :] - T[:, r, c][:, None] * T[:, c, :]) % p
            scale = scale * pv % p
    diag = np.ones(B, dtype=np.int64)
    for c in range(m):
        diag = diag * T[:, c, c] % p
    inv = np.ones(B, dtype=np.int64)  # scale^(p-2); scale is 0 only where det is 0 anyway
    base, e = scale.copy(), p - 2
    while e:
        if e & 1:
            inv = inv * base % p
        base = base * base % p
        e >>= 1
    return (sign * diag % p) * inv % p


def minors(P: np.ndarray, subsets: np.ndarray, p: int) -> np.ndarray:
    """All d x d minors mod p: P is (R, d, m), subsets (C, d) column sets; returns (R, C)."""
    R, d, _ = P.shape
    S = np.transpose(P[:, :, subsets], (0, 2, 1, 3))  # R x C x d x d
    if d == 1:
        return np.asarray(S[..., 0, 0] % p)
    if d == 2:
        return np.asarray((S[..., 0, 0] * S[..., 1, 1] - S[..., 0, 1] * S[..., 1, 0]) % p)
    if d == 3:
        a = S[..., 0, 0] * ((S[..., 1, 1] * S[..., 2, 2] - S[..., 1, 2] * S[..., 2, 1]) % p) % p
        b = S[..., 0, 1] * ((S[..., 1, 0] * S[..., 2, 2] - S[..., 1, 2] * S[..., 2, 0]) % p) % p
        c = S[..., 0, 2] * ((S[..., 1, 0] * S[..., 2, 1] - S[..., 1, 1] * S[..., 2, 0]) % p) % p
        return np.asarray((a - b + c) % p)
    return batched_det(S.reshape(-1, d, d), p).reshape(R, -1)


def fits(terms: int, p: int) -> bool:
    """Whether sums of ``terms`` products of balanced residues mod p stay within 2^52.

    >>> fits(20, 16777213), fits(70, 16777213)
    (True, False)
    """
    return terms * ((p - 1) // 2) ** 2 <= 2**52


def balanced(M: np.ndarray, p: int) -> np.ndarray:
    """Residues mod p as float64 in [-(p-1)/2, (p-1)/2] (exact: |entries| < 2^23).

    >>> balanced(np.array([0, 1, 5, 6, 10]), 11).tolist()
    [0.0, 1.0, 5.0, -5.0, -1.0]
    """
    R = np.asarray(M, dtype=np.int64) % p
    return np.where(R > (p - 1) // 2, R - p, R).astype(np.float64)
