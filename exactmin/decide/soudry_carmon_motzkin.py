"""Motzkin certificates that a region holds no DLM, one per sign choice of ``z``, without an LP
where floats find the proof.

For a sign choice ``sigma`` the DLMs' ``v`` are the solutions of ``C v > 0, B v = b``
(:func:`~exactmin.decide.soudry_carmon.region_lp_system`): ``B`` is the normal equations
``(K K^T) v = K y`` with ``v_i = 0`` for the units where ``sigma_i = 0``, and ``C`` has the rows
``sigma_i s_in x_n`` (block i) of the other units. ``B`` depends on ``sigma`` only through its
zero set, so for each of the ``2^d1`` zero sets the equations are solved once, exactly:
``v = v0 + N t``; each strict row becomes ``a t > c`` with ``a = C_r N``, ``c = -C_r v0``, and a
row of a unit with ``sigma_i = -1`` is the negative of the same row with ``+1``.

The system is empty iff some ``mu >= 0``, ``mu != 0`` has ``A^T mu = 0`` and ``c . mu >= 0``
(Motzkin); :func:`~exactmin.geometry.motzkin_multipliers` proposes the support of ``mu`` by
floats and solves it exactly. Then ``C^T mu`` is orthogonal to ``ker B``, so ``B^T lam =
-C^T mu`` has an exact solution, and ``b . lam = v0 . B^T lam = -(C v0) . mu = c . mu >= 0``:
``(lam, mu)`` is the certificate the kernel checks. When the proposal gives none, PPL's exact LP
decides that sign choice (:func:`~exactmin.geometry.find_motzkin_certificate`) on the same
system, built here in the order of docs/certificate-format.md.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import dot
from exactmin.geometry import Region, find_motzkin_certificate, motzkin_multipliers
from exactmin.linalg import nullspace, solve_particular, solve_with_nullspace
from exactmin.models.instance import Instance

__all__ = ["sigma_certificates"]

Certificate = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


class _ZeroSet:
    """The equations of the sign choices with zero set ``Z``, solved once."""

    def __init__(self, G: list[list[Fraction]], Ky: list[Fraction], Z: tuple[int, ...],
                 d0: int, nv: int) -> None:
        self.B = [list(row) for row in G]
        self.b = list(Ky)
        for i in Z:
            for j in range(d0):
                self.B.append([Fraction(int(c == i * d0 + j)) for c in range(nv)])
                self.b.append(Fraction(0))
        self.Bt = [[row[c] for row in self.B] for c in range(nv)]
        self.v0, self.basis = solve_with_nullspace(self.B, self.b)
        self.rows: dict[tuple[int, int], tuple[list[Fraction], Fraction]] = {}
        self.inconsistent: Certificate | None = None
        if self.v0 is None:  # B v = b alone has no solution: lam from the left null space of B
            for y in nullspace(self.Bt):
                by = dot(self.b, y)
                if by:
                    self.inconsistent = tuple(x if by > 0 else -x for x in y), ()


def sigma_certificates(instance: Instance, regions: Sequence[Region],
                       normal: tuple[Any, Any]) -> tuple[Certificate, ...] | None:
    """One Motzkin certificate per sign choice of ``z`` (``product((1, -1, 0), repeat=d1)``
    order), or None when some sign choice has a solution (the region holds a DLM).

    ``normal`` is the region's normal equations ``(K K^T, K y)``.

    >>> from exactmin.decide.soudry_carmon import _stacked_blocks, normal_equations
    >>> from exactmin.geometry import enumerate_regions
    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho="1/2")
    >>> out = []
    >>> for r in enumerate_regions(inst.X):
    ...     K = _stacked_blocks(inst, (r,), {})
    ...     out.append(sigma_certificates(inst, [r], normal_equations(K, inst.y)) is None)
    >>> out
    [True, False, False, True]
    """
    d0, d1 = instance.d0, instance.d1
    nv = d0 * d1
    cols = [instance.column(n) for n in range(instance.N)]
    nonzero = [n for n in range(instance.N) if any(cols[n])]
    G, Ky = [list(row) for row in normal[0]], list(normal[1])
    zero_sets: dict[tuple[int, ...], _ZeroSet] = {}
    certs = []
    for sigma in itertools.product((1, -1, 0), repeat=d1):
        Z = tuple(i for i in range(d1) if sigma[i] == 0)
        if Z not in zero_sets:
            zero_sets[Z] = _ZeroSet(G, Ky, Z, d0, nv)
        zs = zero_sets[Z]
        cert = zs.inconsistent
        if cert is not None:
            live = sum(1 for s in sigma if s)
            cert = cert[0], (Fraction(0),) * (live * len(nonzero))
        elif zs.v0 is not None:
            cert = _proposed(zs, sigma, regions, cols, nonzero, d0)
        if cert is None:  # the exact LP decides this sign choice
            C = [[s_i * regions[i].signs[n] * cols[n][c - i * d0] if i * d0 <= c < (i + 1) * d0
                  else Fraction(0) for c in range(nv)]
                 for i, s_i in enumerate(sigma) if s_i for n in nonzero]
            cert = find_motzkin_certificate(C, nv, zs.B, zs.b)
            if cert is None:
                return None
        certs.append(cert)
    return tuple(certs)


def _proposed(zs: _ZeroSet, sigma: tuple[int, ...], regions: Sequence[Region],
              cols: list[tuple[Fraction, ...]], nonzero: list[int], d0: int
              ) -> Certificate | None:
    """The certificate for ``sigma`` from a float-proposed support, or None."""
    assert zs.v0 is not None
    v0, basis = zs.v0, zs.basis
    A, c, index = [], [], []
    for i, s_i in enumerate(sigma):
        if not s_i:
            continue
        for n in nonzero:
            if (i, n) not in zs.rows:  # the row of sign +1: s_in x_n in block i, times N and v0
                row = [regions[i].signs[n] * x for x in cols[n]]
                zs.rows[i, n] = ([dot(row, vec[i * d0:(i + 1) * d0]) for vec in basis],
                                 -dot(row, v0[i * d0:(i + 1) * d0]))
            a, cr = zs.rows[i, n]
            A.append([s_i * x for x in a])
            c.append(s_i * cr)
            index.append((i, n, s_i))
    mu = motzkin_multipliers(A, c)
    if mu is None:
        return None
    v = [Fraction(0)] * len(v0)  # -C^T mu
    for m, (i, n, s_i) in zip(mu, index):
        if m:
            for j in range(d0):
                v[i * d0 + j] -= m * s_i * regions[i].signs[n] * cols[n][j]
    lam = solve_particular(zs.Bt, v)
    if lam is None:
        return None
    b_lam = dot(zs.b, lam)
    if not (b_lam > 0 or (b_lam == 0 and any(mu))):
        return None
    return tuple(lam), tuple(mu)
