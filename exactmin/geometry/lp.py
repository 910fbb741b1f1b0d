"""Exact strict feasibility of systems of linear inequalities and equations over Q.

The solver is PPL's exact rational simplex (``ppl.MIP_Problem``, from the passagemath-ppl wheel).
PPL accepts only non-strict constraints, so a strict system ``G v > 0, E v = b`` is decided by the
bounded LP ``max t  s.t.  G v - t >= 0, t <= 1, E v = b``: the system is feasible iff the optimum
is ``t* > 0``, and then the optimizing ``v`` is a rational solution. Every returned point is
re-checked with :class:`~fractions.Fraction` arithmetic before it leaves this module.

:func:`strictly_feasible` decides the small integer systems of the DLM search without PPL where
it can: Fourier-Motzkin elimination in integers for at most two free variables, otherwise a float
proposal (the point of the rows' convex hull nearest the origin, by non-negative least squares)
that is then proved exactly: a proposed point is checked in integers, a proposed infeasibility by
eliminating the few rows that carry the float multipliers; when neither proof goes through, PPL
decides. Floats only choose which exact proof to try.
"""

from __future__ import annotations

import math
import signal
import threading
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import ppl  # type: ignore[import-untyped]

from exactmin.arith import as_integer_row
from exactmin.errors import InternalError


def _python_sigint() -> None:
    """Importing ppl installs cysignals' SIGINT handler, which can lose a Ctrl-C (raised inside
    a finalizer, the exception is ignored and the run goes on). PPL's exact LPs take
    microseconds, so Python's own handler stops a run just as fast: put it back."""
    if threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            signal.signal(signal.SIGINT, signal.default_int_handler)


_python_sigint()

__all__ = [
    "cone_membership",
    "feasible_point",
    "find_gordan_certificate",
    "find_motzkin_certificate",
    "find_strict_point",
    "fourier_motzkin",
    "motzkin_multipliers",
    "strictly_feasible",
    "warm_up",
]


def _optimum(lp: Any, size: int) -> tuple[list[int], int] | None:
    """The exact optimizing point of a solved PPL ``MIP_Problem`` as integer numerators (padded
    to ``size``) and their common divisor, or None when the problem is not optimized."""
    if lp.solve()["status"] != "optimized":
        return None
    point = lp.optimizing_point()
    nums = [int(c) for c in point.coefficients()]
    return nums + [0] * (size - len(nums)), int(point.divisor())


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
    if offsets is None:
        offsets = [Fraction(0)] * len(strict)
    return feasible_point(nvars, strict=[[*g, g0] for g, g0 in zip(strict, offsets)],
                          eq=[[*row, -Fraction(rhs)] for row, rhs in zip(eq, eq_rhs)])


FM_ROW_LIMIT = 400  # Fourier-Motzkin gives up (an LP decides) beyond this many rows
FM_MAX_VARS = 2  # with more variables the pairs multiply faster: floats propose, then a proof
FM_QUICK_LIMIT = 40  # beyond FM_MAX_VARS, Fourier-Motzkin is tried only up to this many rows


def _normalized(row: Sequence[int]) -> tuple[int, ...]:
    g = math.gcd(*row)
    return tuple([x // g for x in row]) if g > 1 else tuple(row)


def fourier_motzkin(strict: Sequence[Sequence[int]], eq: Sequence[Sequence[int]],
                    rhs: Sequence[int], offsets: Sequence[int], k: int,
                    limit: int = FM_ROW_LIMIT) -> bool | None:
    """Whether some ``c`` in Q^k has ``a . c + b > 0`` for every strict row and ``e . c = r``
    for every equation, decided in integers without an LP: each equation eliminates one
    variable by substitution, then Fourier-Motzkin elimination (a positive combination of two
    strict inequalities is strict, and the projection of the open set is exactly the set of
    such combinations). None when the rows would exceed ``limit`` (ask an LP).

    >>> fourier_motzkin([[1], [-1]], [], [], [0, 2], 1)   # 0 < c < 2
    True
    >>> fourier_motzkin([[1], [-1]], [[1]], [2], [0, 2], 1)  # c = 2 is not < 2
    False
    >>> fourier_motzkin([[1, 0], [0, 1], [-1, -1]], [], [], [0, 0, 0], 2)  # c > 0, sum < 0
    False
    """
    rows = _eliminate_equations(strict, eq, rhs, offsets, k)
    if rows is None:
        return False
    return _eliminate_variables(rows, k, limit)


def _eliminate_variables(rows: set[tuple[int, ...]], k: int, limit: int) -> bool | None:
    """Fourier-Motzkin on strict rows ``(a_1..a_k, b)``, eliminating first the variable that
    makes the fewest new rows; None beyond ``limit`` rows."""
    live = [j for j in range(k) if any(r[j] for r in rows)]
    while live:
        if len(live) == 1:  # the last variable left: an interval
            return _interval_nonempty(rows, live[0], k)
        best = (0, -1)
        for j in live:
            n_pos = sum(1 for r in rows if r[j] > 0)
            n_neg = sum(1 for r in rows if r[j] < 0)
            grow = n_pos * n_neg - n_pos - n_neg
            if best[1] < 0 or grow < best[0]:
                best = (grow, j)
        j = best[1]
        pos = [r for r in rows if r[j] > 0]
        neg = [r for r in rows if r[j] < 0]
        rest = {r for r in rows if r[j] == 0}
        if pos and neg:  # (only one sign: c_j can satisfy those rows alone, drop them)
            if len(rest) + len(pos) * len(neg) > limit:
                return None
            for p in pos:
                for q in neg:
                    rest.add(_normalized([-q[j] * x + p[j] * y for x, y in zip(p, q)]))
        rows = rest
        live = [i for i in live if i != j and any(r[i] for r in rows)]
    return all(r[k] > 0 for r in rows)  # every row is now the constant b > 0


def _interval_nonempty(rows: set[tuple[int, ...]], j: int, k: int) -> bool:
    """Whether some ``c_j`` has ``a c_j + b > 0`` for every row (``a = r[j]``, ``b = r[k]``, no
    other variable): the largest lower bound ``-b/a`` (``a > 0``) below the smallest upper bound
    (``a < 0``), compared by cross-multiplication, and every constant row positive."""
    lo: tuple[int, int] | None = None  # c_j > lo[0] / lo[1]
    hi: tuple[int, int] | None = None  # c_j < hi[0] / hi[1]
    for r in rows:
        a, b = r[j], r[k]
        if a == 0:
            if b <= 0:
                return False
        elif a > 0:
            if lo is None or -b * lo[1] > lo[0] * a:
                lo = (-b, a)
        elif hi is None or b * hi[1] < hi[0] * -a:
            hi = (b, -a)
    return lo is None or hi is None or lo[0] * hi[1] < hi[0] * lo[1]


def _eliminate_equations(strict: Sequence[Sequence[int]], eq: Sequence[Sequence[int]],
                         rhs: Sequence[int], offsets: Sequence[int],
                         k: int) -> set[tuple[int, ...]] | None:
    """The strict rows ``(a_1..a_k, b)`` after substituting every equation ``e . c = r`` (one
    variable each, in integers; an eliminated variable's column becomes 0), or None when the
    equations are inconsistent."""
    rows = {(*a, b) for a, b in zip(strict, offsets)}
    eqs = [[*e, -r] for e, r in zip(eq, rhs)]  # e . c - r = 0
    while eqs:
        e = eqs.pop()
        j = next((i for i in range(k) if e[i]), None)
        if j is None:
            if e[k] != 0:
                return None
            continue
        piv, col = e[j], j
        sgn = 1 if piv > 0 else -1

        def sub(row: Sequence[int]) -> list[int]:  # |piv| * row with c_j replaced
            return [sgn * (piv * row[i] - row[col] * e[i]) for i in range(k + 1)]

        rows = {_normalized(sub(r)) for r in rows}
        eqs = [sub(q) for q in eqs]
    return rows


MU = 30.0  # weight of sum(y) = 1 in the non-negative least squares of the float proposal
POINT_BITS = 40  # a proposed point is rounded to integers of about this many bits


def strictly_feasible(strict: Sequence[Sequence[int]], offsets: Sequence[int],
                      eq: Sequence[Sequence[int]], rhs: Sequence[int], k: int) -> bool:
    """Whether some ``c`` in Q^k has ``a . c + b > 0`` for every strict row ``a`` (``b`` from
    ``offsets``) and ``e . c = r`` for every equation; integer rows, an exact answer.

    After substituting the equations, Fourier-Motzkin decides when its rows stay few (always up
    to ``FM_MAX_VARS`` free variables). Otherwise floats propose, by non-negative least squares,
    ``y >= 0`` with ``sum(y) = 1`` minimizing ``||G^T y||`` over the normalized homogenized rows
    ``g = (a, b)/|(a, b)|`` and ``(0, .., 0, 1)`` (for ``s > 0``). If ``w = G^T y`` is not 0,
    then ``g . w >= |w|^2 > 0`` for every row (the nearest point of a convex hull to the
    origin), so ``c = w[:k] / w[k]`` is proposed and checked in integers. If it is 0, the
    rows where ``y > 0`` are proposed as an infeasible subsystem and Fourier-Motzkin proves it
    (a subsystem without solutions leaves the system without solutions). When a proof fails,
    PPL's exact LP decides.

    >>> strictly_feasible([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], [], [], 3)
    True
    >>> strictly_feasible([[1, 0, 0], [0, 1, 0], [-1, -1, 0]], [0, 0, 0], [], [], 3)
    False
    >>> strictly_feasible([[1, 1, 1]], [-5], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1, 1], 3)
    False
    """
    rows = _eliminate_equations(strict, eq, rhs, offsets, k)
    if rows is None:
        return False
    got = _eliminate_variables(rows, k, FM_ROW_LIMIT if k <= FM_MAX_VARS else FM_QUICK_LIMIT)
    if got is None:
        got = _proposed_and_proved(sorted(rows), k)
    if got is not None:
        return got
    as_q = [[Fraction(x) for x in row] for row in strict]
    eq_q = [[Fraction(x) for x in row] for row in eq]
    return find_strict_point(as_q, k, eq_q, [Fraction(r) for r in rhs],
                             [Fraction(b) for b in offsets]) is not None


def _approx(row: Sequence[int]) -> list[float]:
    """The row scaled by a power of two into float range (only the direction matters)."""
    bits = max(abs(x).bit_length() for x in row)
    shift = max(0, bits - 60)
    return [float(x >> shift) if x >= 0 else -float((-x) >> shift) for x in row]


def warm_up() -> None:
    """Import the float solver of the proposals now (scipy.optimize takes about half a second),
    so that a timed sample or the forked workers of a parallel census do not pay for it."""
    from scipy.optimize import nnls  # type: ignore[import-untyped]  # noqa: F401


def _nnls(A: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """``argmin ||A x - b||`` over ``x >= 0`` in floats (scipy's Lawson-Hanson), None when the
    solver gives up: a proposal, never a verdict."""
    from scipy.optimize import nnls

    try:
        y: np.ndarray = nnls(A, b)[0]
        return y
    except (RuntimeError, ValueError):  # pragma: no cover - the solver's iteration limit
        return None


def _proposed_and_proved(rows: list[tuple[int, ...]], k: int) -> bool | None:
    """The float proposal of :func:`strictly_feasible` and its exact proof; None without one."""
    live = [r for r in rows if any(r[:k])]
    if any(r[k] <= 0 for r in rows if not any(r[:k])):
        return False  # a row 0 > -b with b <= 0
    if not live:
        return True
    G = np.array([_approx(r) for r in live] + [[0.0] * k + [1.0]])
    G /= np.linalg.norm(G, axis=1)[:, None]
    M = np.vstack([G.T, MU * np.ones(len(G))])
    d = np.zeros(k + 2)
    d[-1] = MU
    y = _nnls(M, d)
    if y is None:  # the float solver did not converge: no proposal
        return None
    w = G.T @ y
    top = float(np.max(np.abs(w)))
    if top > 0 and w[k] > 0:
        C = [round(x * 2.0 ** POINT_BITS / top) for x in w]
        if C[k] > 0 and all(sum(a * c for a, c in zip(r, C)) > 0 for r in live):
            return True
    support = [live[j] for j in range(len(live)) if y[j] > 0]
    if support and fourier_motzkin([r[:k] for r in support], [], [], [r[k] for r in support],
                                   k) is False:
        return False
    return None


def _recheck(strict: list[list[int]], weak: list[list[int]], eq: list[list[int]],
             nums: list[int], div: int) -> None:
    """Exact integer re-check of an LP answer ``v = nums / div`` (``div > 0``) against the
    integer-scaled constraints; a failure is a bug in the solver binding, never a verdict."""
    def value(row: list[int]) -> int:
        return sum(a * c for a, c in zip(row, nums)) + row[-1] * div

    if any(value(r) <= 0 for r in strict) or any(value(r) < 0 for r in weak) or any(
            value(r) != 0 for r in eq):
        raise InternalError("exact LP returned a point violating its constraints")


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
    found = _optimum(ppl.MIP_Problem(m + k, cs, ppl.Linear_Expression(0), "maximization"), m + k)
    if found is None:
        return None
    coords = [Fraction(c, found[1]) for c in found[0]]
    return tuple(coords[:m]), tuple(coords[m:])


def motzkin_multipliers(A: Sequence[Sequence[Fraction]], c: Sequence[Fraction]
                        ) -> list[Fraction] | None:
    """Exact ``mu >= 0``, ``mu != 0`` with ``A^T mu = 0`` and ``c . mu >= 0`` (so that
    ``{t : A t > c}`` is empty, Motzkin), on a support proposed by floats; None when the
    proposal gives none (then decide with :func:`find_motzkin_certificate`).

    Floats run the non-negative least squares of :func:`strictly_feasible` on the homogenized
    rows ``(A_r, -c_r)`` and ``(0, 1)``; where the rows' hull reaches the origin, ``mu`` is
    solved exactly on the rows carrying the float weights and kept only if it is ``>= 0``.

    >>> [str(m) for m in motzkin_multipliers([[1], [-1]], [0, 0])]
    ['1/2', '1/2']
    >>> motzkin_multipliers([[1], [1]], [0, -1]) is None
    True
    """
    from exactmin.linalg import solve_with_nullspace

    k = len(A[0]) if A else 0
    for r, row in enumerate(A):  # a row 0 > c_r with c_r >= 0 is infeasible on its own
        if not any(row) and c[r] >= 0:
            return [Fraction(int(q == r)) for q in range(len(A))]
    live = [r for r, row in enumerate(A) if any(row)]
    if not live:
        return None
    H = [as_integer_row([*A[r], -c[r]]) for r in live] + [[0] * k + [1]]
    G = np.array([_approx(h) for h in H])
    G /= np.linalg.norm(G, axis=1)[:, None]
    M = np.vstack([G.T, MU * np.ones(len(G))])
    d = np.zeros(k + 2)
    d[-1] = MU
    y = _nnls(M, d)
    if y is None or float(np.max(np.abs(G.T @ y))) > 1e-9:
        return None  # the rows' hull does not reach the origin: no proposal
    support = [j for j in range(len(H)) if y[j] > 0]
    rows = [[Fraction(H[j][col]) for j in support] for col in range(k + 1)]
    rows.append([Fraction(1)] * len(support))
    x, _ = solve_with_nullspace(rows, [Fraction(0)] * (k + 1) + [Fraction(1)])
    if x is None or any(v < 0 for v in x):
        return None
    mu = [Fraction(0)] * len(A)
    for j, v in zip(support, x):
        if j < len(live):  # the scale of an integer row H_j is folded into mu
            scale = next(Fraction(h) / a for h, a in zip(H[j], [*A[live[j]], -c[live[j]]]) if a)
            mu[live[j]] = v * scale
    return mu if any(mu) else None


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


def cone_membership(generators: Sequence[Sequence[Fraction]], g: Sequence[Fraction]
                    ) -> tuple[str, tuple[Fraction, ...]]:
    """Farkas: either ``g`` is in the cone of ``generators`` (exact multipliers ``lam >= 0``
    with ``sum_t lam_t generators[t] = g``) or a direction ``d`` separates it
    (``generators[t] . d >= 0`` for every ``t`` and ``g . d < 0``), decided by exact LPs (PPL).

    Returns ``("in_cone", lam)`` or ``("separated", d)``.

    >>> cone_membership([[1, 0], [0, 1]], [2, 3])
    ('in_cone', (Fraction(2, 1), Fraction(3, 1)))
    >>> kind, d = cone_membership([[1, 0]], [0, 1]); kind, d[1] < 0
    ('separated', True)
    >>> cone_membership([], [0, 0])
    ('in_cone', ())
    """
    g = [Fraction(v) for v in g]
    dim, k = len(g), len(generators)
    cs = ppl.Constraint_System()
    for c in range(dim):  # sum_t lam_t gen_t[c] = g[c]
        row = as_integer_row([Fraction(generators[t][c]) for t in range(k)] + [g[c]])
        cs.insert(ppl.Linear_Expression(row[:-1], -row[-1]) == 0)
    for t in range(k):
        cs.insert(ppl.Variable(t) >= 0)
    if k == 0:
        if not any(g):
            return "in_cone", ()
    else:
        found = _optimum(ppl.MIP_Problem(k, cs, ppl.Linear_Expression(0), "maximization"), k)
        if found is not None:
            return "in_cone", tuple(Fraction(v, found[1]) for v in found[0])
    ds = ppl.Constraint_System()  # gen_t . d >= 0, g . d <= -1
    for gen in generators:
        ds.insert(ppl.Linear_Expression(as_integer_row([Fraction(v) for v in gen]), 0) >= 0)
    grow = as_integer_row(g + [Fraction(1)])
    ds.insert(ppl.Linear_Expression(grow[:-1], grow[-1]) <= 0)
    found = _optimum(ppl.MIP_Problem(dim, ds, ppl.Linear_Expression(0), "maximization"), dim)
    if found is None:  # pragma: no cover - Farkas: one of the two holds
        raise InternalError("neither cone multipliers nor a separating direction (Farkas)")
    return "separated", tuple(Fraction(v, found[1]) for v in found[0])


def feasible_point(nvars: int, strict: Sequence[Sequence[Fraction]] = (),
                   weak: Sequence[Sequence[Fraction]] = (),
                   eq: Sequence[Sequence[Fraction]] = ()) -> tuple[Fraction, ...] | None:
    """An exact ``v`` with ``g . v + g0 > 0`` for every row ``(g, g0)`` of ``strict``,
    ``>= 0`` for ``weak`` and ``= 0`` for ``eq`` (each row: ``nvars`` coefficients, then the
    constant ``g0``), or None when there is none (exact LP, PPL: maximize the slack of the
    strict rows, capped at 1).

    >>> feasible_point(2, strict=[[1, 0, 0]], weak=[[0, 1, -2]], eq=[[1, 1, -5]])
    (Fraction(3, 1), Fraction(2, 1))
    >>> feasible_point(1, strict=[[1, 0]], eq=[[1, 0]]) is None
    True
    """
    t = ppl.Variable(nvars)
    cs = ppl.Constraint_System()
    ints: dict[str, list[list[int]]] = {"strict": [], "weak": [], "eq": []}
    for rows, kind in ((strict, "strict"), (weak, "weak"), (eq, "eq")):
        for row in rows:
            r = as_integer_row([Fraction(v) for v in row])
            coeffs, const = r[:-1], r[-1]
            if kind == "strict":
                if not any(coeffs):  # a constant: const > 0 holds or fails whatever v is
                    if const > 0:
                        continue
                    return None
                cs.insert(ppl.Linear_Expression(coeffs + [-1], const) >= 0)
            elif kind == "weak":
                cs.insert(ppl.Linear_Expression(coeffs, const) >= 0)
            else:
                cs.insert(ppl.Linear_Expression(coeffs, const) == 0)
            ints[kind].append(r)
    cs.insert(t <= 1)
    found = _optimum(ppl.MIP_Problem(nvars + 1, cs, ppl.Linear_Expression(t), "maximization"),
                     nvars + 1)
    if found is None:
        return None
    nums, div = found
    if nums[nvars] <= 0 and ints["strict"]:
        return None
    _recheck(ints["strict"], ints["weak"], ints["eq"], nums[:nvars], div)
    return tuple(Fraction(c, div) for c in nums[:nvars])
