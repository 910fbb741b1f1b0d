"""Residues modulo word-size primes held exactly in float64 (the compiled step's number format).

Pure numpy, so the fast engine can decide whether the compiled step applies without importing
numba.
"""

from __future__ import annotations

import numpy as np

__all__ = ["balanced", "fits"]


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
