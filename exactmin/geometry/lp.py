"""Exact strict feasibility of systems of linear inequalities and equations over Q.

The solver is PPL's exact rational simplex (``ppl.MIP_Problem``, from the passagemath-ppl wheel).
PPL accepts only non-strict constraints, so a strict system ``G v > 0, E v = b`` is decided by the
bounded LP ``max t  s.t.  G v - t >= 0, t <= 1, E v = b``: the system is feasible iff the optimum
is ``t* > 0``, and then the optimizing ``v`` is a rational solution. Every returned point is
re-checked with :class:`~fractions.Fraction` arithmetic before it leaves this module.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import ppl  # type: ignore[import-untyped]

from exactmin.arith import as_integer_row
from exactmin.errors import InternalError

__all__ = ["find_gordan_certificate", "find_motzkin_certificate", "find_strict_point"]


def find_strict_point(
    strict: Sequence[Sequence[Fraction]],
    nvars: int,
    eq: Sequence[Sequence[Fraction]] = (),
    eq_rhs: Sequence[Fraction] = (),
    offsets: Sequence[Fraction] | None = None,
) -> tuple[Fraction, ...] | None:
    """Find a rational ``v`` with ``g.v + g0 > 0`` for every row ``g`` of ``strict`` (``g0`` from
    ``offsets``, default 0) and ``E v = b``.

    Parameters
    ----------
    strict : k x nvars rows ``g``
    nvars : int
    eq : m x nvars rows of ``E`` (optional)
    eq_rhs : length-m ``b``

    Returns
    -------
    tuple of Fraction or None
        A point satisfying every constraint exactly, or ``None`` when none exists.

    Examples
    --------
    >>> find_strict_point([[1, 0], [0, 1], [-1, -1]], 2) is None
    True
    >>> v = find_strict_point([[1, -1]], 2, eq=[[1, 1]], eq_rhs=[2])
    >>> v[0] - v[1] > 0 and v[0] + v[1] == 2
    True
    """
    t = ppl.Variable(nvars)
    cs = ppl.Constraint_System()
    if offsets is None:
        offsets = [Fraction(0)] * len(strict)
    strict_int = [as_integer_row(list(g) + [g0]) for g, g0 in zip(strict, offsets)]
    eq_int = [as_integer_row(list(row) + [rhs]) for row, rhs in zip(eq, eq_rhs)]
    for row in strict_int:
        coeffs, const = row[:-1], row[-1]
        if not any(coeffs):  # a constant: const > 0 holds or fails whatever v is
            if const > 0:
                continue
            return None
        cs.insert(ppl.Linear_Expression(coeffs + [-1], const) >= 0)
    for scaled in eq_int:
        cs.insert(ppl.Linear_Expression(scaled[:-1], -scaled[-1]) == 0)
    cs.insert(t <= 1)
    lp = ppl.MIP_Problem(nvars + 1, cs, ppl.Linear_Expression(t), "maximization")
    if lp.solve()["status"] != "optimized":
        return None
    point = lp.optimizing_point()
    div = int(point.divisor())
    nums = [int(c) for c in point.coefficients()]
    nums += [0] * (nvars + 1 - len(nums))
    if nums[nvars] <= 0:
        return None
    _recheck(strict_int, eq_int, nums[:nvars], div)
    return tuple(Fraction(c, div) for c in nums[:nvars])


def _recheck(strict: list[list[int]], eq: list[list[int]], nums: list[int], div: int) -> None:
    """Exact integer re-check of an LP answer ``v = nums / div`` (``div > 0``) against the
    integer-scaled constraints; a failure is a bug in the solver binding, never a verdict."""
    for row in strict:
        if sum(a * c for a, c in zip(row, nums)) + row[-1] * div <= 0:
            raise InternalError("exact LP returned a point violating a strict inequality")
    for row in eq:
        if sum(a * c for a, c in zip(row, nums)) != row[-1] * div:
            raise InternalError("exact LP returned a point violating an equation")


def find_motzkin_certificate(
    strict: Sequence[Sequence[Fraction]],
    nvars: int,
    eq: Sequence[Sequence[Fraction]] = (),
    eq_rhs: Sequence[Fraction] = (),
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """Exact proof that ``{v : C v > 0, B v = b}`` is empty, or None when it is not.

    Returns ``(lam, mu)`` with ``mu >= 0``, ``B^T lam + C^T mu = 0`` and either ``b . lam > 0`` or
    (``b . lam = 0`` and ``mu != 0``): Motzkin's transposition theorem, found as any feasible
    point of ``{B^T lam + C^T mu = 0, mu >= 0, b . lam >= 0, b . lam + sum(mu) = 1}``.

    Examples
    --------
    >>> lam, mu = find_motzkin_certificate([[1, 0]], 2, eq=[[1, 0]], eq_rhs=[0])
    >>> [str(x) for x in lam], [str(x) for x in mu]
    (['-1'], ['1'])
    >>> find_motzkin_certificate([[1, 0]], 2) is None
    True
    """
    m, k = len(eq), len(strict)
    cs = ppl.Constraint_System()
    for c in range(nvars):  # column c of B^T lam + C^T mu
        row = [Fraction(eq[r][c]) for r in range(m)] + [Fraction(strict[r][c]) for r in range(k)]
        cs.insert(ppl.Linear_Expression(as_integer_row(row), 0) == 0)
    for r in range(k):
        cs.insert(ppl.Variable(m + r) >= 0)
    b = [Fraction(x) for x in eq_rhs]
    b_int = as_integer_row(b + [Fraction(1)])
    scale = b_int[-1]
    cs.insert(ppl.Linear_Expression(b_int[:-1] + [0] * k, 0) >= 0)
    cs.insert(ppl.Linear_Expression(b_int[:-1] + [scale] * k, -scale) == 0)
    lp = ppl.MIP_Problem(m + k, cs, ppl.Linear_Expression(0), "maximization")
    if lp.solve()["status"] != "optimized":
        return None
    point = lp.optimizing_point()
    div = int(point.divisor())
    coords = [Fraction(int(c), div) for c in point.coefficients()]
    coords += [Fraction(0)] * (m + k - len(coords))
    return tuple(coords[:m]), tuple(coords[m:])


def find_gordan_certificate(
    rows: Sequence[Sequence[Fraction]], nvars: int
) -> tuple[Fraction, ...] | None:
    """``y >= 0``, ``y != 0`` with ``sum_t y_t rows[t] = 0`` (so ``{w : rows w > 0}`` is empty).

    >>> find_gordan_certificate([[1, 0], [-1, 0]], 2)
    (Fraction(1, 2), Fraction(1, 2))
    >>> find_gordan_certificate([[1, 0], [0, 1]], 2) is None
    True
    """
    lam_mu = find_motzkin_certificate(rows, nvars)
    return None if lam_mu is None else lam_mu[1]
