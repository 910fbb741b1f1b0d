"""Exact decisions about differentiable local minima (DLMs) of the one-hidden-layer network.

Two questions, both decided exactly (docs/papers/soudry_carmon.md; proofs/soudry_carmon.md):

* :func:`analyze_point`: is a given ``(W, z)`` differentiable, critical, a local minimum?
  At a differentiable point it is a local minimum iff ``K e = 0`` (key lemma), and when it is
  not, the reason names the descent.
* :func:`decide_region`: does a differentiable region (one open cone per hidden unit) hold a
  DLM, and with what loss? In the region the prediction is ``K^T v`` with ``v = vec(diag(z) W)``;
  a DLM exists iff some least-squares solution ``v`` has, for every unit i, either
  ``sigma_i * s_in * (v_i . x_n) > 0`` for all nonzero ``x_n`` (``sigma_i = sign z_i = +-1``) or
  ``v_i = 0`` (``z_i = 0``). Each choice of ``sigma`` is an exact LP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import dot, fmt, fmt_matrix, fmt_vector, show
from exactmin.errors import InternalError
from exactmin.geometry import (
    Region,
    find_strict_point,
    strictly_feasible,
)
from exactmin.linalg import (
    determinant,
    independent_rows,
    least_squares,
    mat_vec,
    rank,
    row_space_projection,
    solve_particular,
    solve_with_nullspace,
)
from exactmin.models.instance import Instance
from exactmin.models.network import (
    Point,
    activation_matrix,
    khatri_rao_matrix,
    preactivations,
    residual,
)
from exactmin.protocol import ResultProtocol, html_table, keeps_inputs

__all__ = [
    "WITNESS_PRIME",
    "PointReport",
    "RegionDecision",
    "analyze_point",
    "box_radius",
    "decide_region",
    "no_dlm_certificates",
    "region_lp_system",
]


def _half_sq(v: Sequence[Fraction]) -> Fraction:
    return sum((x * x for x in v), Fraction(0)) / 2


@dataclass(frozen=True)
class PointReport(ResultProtocol):
    """What is exactly true of one parameter point ``(W, z)``.

    Attributes
    ----------
    point : Point
    loss : Fraction, ``(1/2) * ||yhat - y||^2``
    differentiable : bool, every ``w_i . x_n != 0`` for nonzero ``x_n``
    critical : bool or None, gradient exactly zero (None where not differentiable)
    local_minimum : bool or None, decided at differentiable points, None elsewhere
    reason : str, why ``local_minimum`` has its value
    grad_W : d1 x d0 exact gradient w.r.t. W, or None
    grad_z : length-d1 exact gradient w.r.t. z, or None
    Ke : length d0*d1 vector ``K e`` (block i is ``sum_n e_n A_in x_n``), or None
    pattern : d1 x N signs of ``w_i . x_n``
    box_radius : Fraction or None; the pattern is constant on
        ``{W' : max_ij |W'_ij - W_ij| <= box_radius}`` (any z)
    """

    point: Point
    loss: Fraction
    differentiable: bool
    critical: bool | None
    local_minimum: bool | None
    reason: str
    grad_W: tuple[tuple[Fraction, ...], ...] | None
    grad_z: tuple[Fraction, ...] | None
    Ke: tuple[Fraction, ...] | None
    pattern: tuple[tuple[int, ...], ...]
    box_radius: Fraction | None
    inputs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        verdict = {True: "a local minimum", False: "not a local minimum",
                   None: "undecided"}[self.local_minimum]
        return (f"PointReport({verdict}, loss {show(self.loss)}, "
                f"{'' if self.differentiable else 'not '}differentiable"
                + ("" if self.critical is None else
                   f", {'' if self.critical else 'not '}critical") + ")")

    def to_dict(self) -> dict[str, Any]:
        """The exact JSON form (``verify-point --json``): the keys of every point report, then
        grad_W, grad_z and the activation pattern."""
        return {**verdict_keys(self),
                "grad_W": None if self.grad_W is None else fmt_matrix(self.grad_W),
                "grad_z": None if self.grad_z is None else fmt_vector(self.grad_z),
                "pattern": [list(r) for r in self.pattern]}

    def _repr_html_(self) -> str:

        yn = {True: "yes", False: "no", None: "undecided"}
        return html_table("PointReport", [
            ("local minimum", yn[self.local_minimum]), ("loss (1/2)|yhat - y|^2", show(self.loss)),
            ("differentiable", yn[self.differentiable]), ("critical", yn[self.critical]),
            ("reason", self.reason)], str(self))


def verdict_keys(report: Any) -> dict[str, Any]:
    """The JSON keys every point report has, whatever the depth."""
    return {"differentiable": report.differentiable, "critical": report.critical,
            "local_minimum": report.local_minimum, "reason": report.reason,
            "loss": fmt(report.loss),
            "box_radius": None if report.box_radius is None else fmt(report.box_radius)}


def box_radius(instance: Instance, W: Sequence[Sequence[Fraction]]) -> Fraction | None:
    """Radius ``r`` of an l-infinity box around W on which every sign of ``w_i . x_n`` is kept.

    ``r = min_{i, n: x_n != 0} |w_i . x_n| / (2 ||x_n||_1)``: for ``|W'_ij - W_ij| <= r``,
    ``|(w'_i - w_i) . x_n| <= r ||x_n||_1 <= |w_i . x_n| / 2``. None when some ``w_i . x_n = 0``
    for a nonzero ``x_n``; 1 when every data point is zero (no hyperplane: any box works).

    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    >>> box_radius(inst, [[-1, -1]])
    Fraction(1, 2)
    """
    U = preactivations(instance, W)
    best: Fraction | None = None
    for n in range(instance.N):
        norm1 = sum((abs(c) for c in instance.column(n)), Fraction(0))
        if norm1 == 0:
            continue
        for i in range(instance.d1):
            if U[i][n] == 0:
                return None
            r = abs(U[i][n]) / (2 * norm1)
            best = r if best is None or r < best else best
    return Fraction(1) if best is None else best


@keeps_inputs
def analyze_point(instance: Instance, point: Point) -> PointReport:
    """Decide exactly whether ``(W, z)`` is differentiable, critical and a local minimum.

    Parameters
    ----------
    instance : Instance
    point : Point, ``W`` is d1 x d0, ``z`` has d1 entries

    Returns
    -------
    PointReport

    Notes
    -----
    At a differentiable point the activation pattern is constant nearby and the loss there is
    ``g(v) = (1/2)||K^T v - y||^2`` at ``v = vec(diag(z) W)``. If ``K e = 0``, ``v`` minimizes
    ``g`` globally, so the point is a (non-strict) local minimum. If ``K e != 0`` it is not: either
    the gradient ``(z_i K_i e, w_i . K_i e)`` is nonzero, or some ``z_i = 0`` has ``K_i e != 0``
    and the curve ``z_i = t``, ``w_i - t c K_i e`` lowers the loss at order ``t^2`` for large c
    (Soudry-Carmon key lemma; proofs/soudry_carmon.md).

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> rep = analyze_point(inst, Point.from_lists([[0, 1], [0, "31/30"]], [-10, 10]))
    >>> rep.differentiable, rep.critical, rep.local_minimum, rep.loss
    (True, True, True, Fraction(1, 3))
    """
    d0, d1, N = instance.d0, instance.d1, instance.N
    U = preactivations(instance, point.W)
    S = tuple(tuple((u > 0) - (u < 0) for u in row) for row in U)
    e = residual(instance, point)
    value = _half_sq(e)
    zero_cols = {n for n in range(N) if not any(instance.column(n))}
    kinks = [(i, n) for i in range(d1) for n in range(N) if U[i][n] == 0 and n not in zero_cols]
    if kinks:
        shown = ", ".join(f"w_{i}.x_{n}" for i, n in kinks[:6])
        return PointReport(
            point, value, False, None, None,
            f"not differentiable: {shown} = 0; exactmin decides local minimality only at "
            "differentiable points (a DLM needs every w_i.x_n != 0)",
            None, None, None, S, None,
        )
    A = activation_matrix(instance, S)
    K = khatri_rao_matrix(instance, S)
    Ke = mat_vec(K, e)
    blocks = [Ke[i * d0:(i + 1) * d0] for i in range(d1)]
    grad_W = tuple(tuple(point.z[i] * g for g in blocks[i]) for i in range(d1))
    grad_z = tuple(dot(point.W[i], blocks[i]) for i in range(d1))
    critical = not any(any(r) for r in grad_W) and not any(grad_z)
    radius = box_radius(instance, point.W)
    if not any(Ke):
        reason = (
            "K e = 0: the prediction is least-squares optimal over the activation region, so no "
            f"point of the box of radius {radius} around W (any z) has a lower loss"
        )
        local_min: bool = True
    elif not critical:
        reason = "the gradient is nonzero, so the loss decreases along minus the gradient"
        local_min = False
    else:
        i = next(k for k in range(d1) if any(blocks[k]))
        c = _descent_scale(A[i], U[i], blocks[i])
        reason = (
            f"critical but not a local minimum: z_{i} = 0 while block {i} of K e is nonzero; "
            f"along z_{i} = t, w_{i} - t*c*(K e)_{i} with c = {c} the loss changes by "
            "-t^2 + O(t^3) < 0"
        )
        local_min = False
    return PointReport(
        point, value, True, critical, local_min, reason, grad_W, grad_z, Ke, S, radius
    )


def _descent_scale(
    A_i: Sequence[Fraction], U_i: Sequence[Fraction], g: Sequence[Fraction]
) -> Fraction:
    """The ``c`` making the ``t^2`` coefficient ``-c ||g||^2 + (1/2) sum_n (A_in U_in)^2`` be -1."""
    q = sum(((a * u) ** 2 for a, u in zip(A_i, U_i)), Fraction(0)) / 2
    return (q + 1) / dot(g, g)


WITNESS_PRIME = 2**61 - 1  # a Mersenne prime; full-rank witnesses are minors nonzero mod it


@dataclass(frozen=True)
class RegionDecision:
    """The exact facts of one differentiable region (one unit region per hidden unit).

    Attributes
    ----------
    regions : tuple of Region, one per hidden unit
    rank : int, ``rank K``
    residual : length-N least-squares residual ``e = K^T v* - y`` (same for every DLM here)
    loss : Fraction, ``(1/2)||e||^2``, the loss of every DLM in the region
    has_dlm : bool or None; None when the LP was not run (``find_dlm=False``)
    dlm : Point or None, an exact DLM of the region when one exists
    minor_rows : N row indices of K whose minor is nonzero mod ``prime`` (rank K = N),
        or None; filled when ``witness=True``
    interpolant : ``v`` with ``K^T v = y`` (zero residual), or None; filled when ``witness=True``
    no_dlm : one Motzkin certificate ``(lam, mu)`` per sign choice of z (in
        ``product((1, -1, 0), repeat=d1)`` order) when the region holds no DLM and
        ``witness=True``; else None
    prefix : indices of unit regions of a prefix when this (full-rank) decision covers every
        completion of the prefix at once (the rows are then rows of the prefix's blocks)
    """

    regions: tuple[Region, ...]
    rank: int
    residual: tuple[Fraction, ...]
    loss: Fraction
    has_dlm: bool | None
    dlm: Point | None
    minor_rows: tuple[int, ...] | None = None
    interpolant: tuple[Fraction, ...] | None = None
    no_dlm: tuple[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], ...] | None = None
    prefix: tuple[int, ...] | None = None


def decide_region(
    instance: Instance,
    regions: Sequence[Region],
    find_dlm: bool = True,
    backend: str | None = None,
    blocks: dict[tuple[int, tuple[int, ...]], tuple[tuple[Fraction, ...], ...]] | None = None,
    witness: bool = False,
    prime: int = WITNESS_PRIME,
) -> RegionDecision:
    """Rank, least-squares residual and (optionally) the exact DLM decision of one region.

    Parameters
    ----------
    instance : Instance
    regions : d1 unit regions (from :func:`exactmin.geometry.enumerate_regions`)
    find_dlm : bool, run the LPs deciding whether the region holds a DLM; without it the LPs
        run only when ``witness`` needs them (rank K < N and a nonzero residual)
    backend : linear-algebra backend, None for the fastest available
    blocks : optional cache ``{(i, signs): block i of K}`` shared across calls; block i of K
        depends only on unit i's region, so a scan over region tuples computes each once
    witness : bool, also produce what a certificate needs to show "no DLM with nonzero loss
        here": a minor nonzero modulo ``prime``, an interpolant, or Motzkin certificates
    prime : the certificate's prime (default ``WITNESS_PRIME``)

    Examples
    --------
    >>> from exactmin.geometry import enumerate_regions
    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    >>> dead = [r for r in enumerate_regions(inst.X) if r.signs == (-1, -1)]
    >>> dec = decide_region(inst, dead)
    >>> dec.rank, dec.loss, dec.has_dlm
    (0, Fraction(5, 2), True)
    """
    N = instance.N
    regions = tuple(regions)
    K = _stacked_blocks(instance, regions, {} if blocks is None else blocks)
    minor_rows = None
    if witness or not find_dlm:  # the rank alone may settle the region
        r = rank(K, backend=backend)
        minor_rows = _minor_rows(K, N, backend, prime) if witness and r == N else None
        if r == N and not find_dlm and (minor_rows is not None or not witness):
            # y lies in the row space: the residual is 0 (when ``prime`` divides the minor, the
            # witness is an interpolant, computed below)
            zero = tuple(Fraction(0) for _ in range(N))
            return RegionDecision(regions, r, zero, Fraction(0), None, None, minor_rows)
    r, p, v_star, null = least_squares(K, instance.y, backend=backend)
    e = tuple(pn - yn for pn, yn in zip(p, instance.y))
    value = _half_sq(e)
    interpolant = None
    if witness and minor_rows is None and value == 0:
        Kt = [[K[row][n] for row in range(len(K))] for n in range(N)]
        interpolant = solve_particular(Kt, instance.y, backend=backend)
    if not find_dlm and not (witness and value != 0 and minor_rows is None):
        return RegionDecision(regions, r, e, value, None, None, minor_rows, interpolant)
    want = witness and value != 0
    if r == instance.d0 * instance.d1 and not want:  # K^T injective: one least-squares v
        point = _unique_dlm(instance, regions, K, p, backend, v_star)
        return RegionDecision(
            regions, r, e, value, point is not None, point, minor_rows, interpolant, None
        )
    point, certs = _find_dlm(instance, regions, K, want_certificates=want, fit=p, backend=backend,
                             solved=(v_star, null))
    return RegionDecision(
        regions, r, e, value, point is not None, point, minor_rows, interpolant, certs
    )


def _minor_rows(
    K: Sequence[Sequence[Fraction]], N: int, backend: str | None, p: int
) -> tuple[int, ...] | None:
    """N independent rows of K whose minor is nonzero modulo ``p``, or None."""
    rows = independent_rows(K, backend=backend)[:N]
    det = determinant([K[r] for r in rows], backend=backend)
    if det.numerator % p == 0 or any(K[r][n].denominator % p == 0 for r in rows for n in range(N)):
        return None  # rare (p divides the minor); the caller falls back to an interpolant
    return tuple(rows)


def _stacked_blocks(
    instance: Instance,
    regions: Sequence[Region],
    cache: dict[tuple[int, tuple[int, ...]], tuple[tuple[Fraction, ...], ...]],
) -> tuple[tuple[Fraction, ...], ...]:
    """``K`` for the region tuple, block i (``X diag(A[i, :])``) taken from or put in ``cache``."""
    rows: list[tuple[Fraction, ...]] = []
    for i, region in enumerate(regions):
        key = (i, region.signs)
        block = cache.get(key)
        if block is None:
            A_i = [
                instance.noise_entry(i, n) * (instance.rho if s < 0 else 1)
                for n, s in enumerate(region.signs)
            ]
            block = tuple(tuple(a * x for a, x in zip(A_i, row)) for row in instance.X)
            cache[key] = block
        rows.extend(block)
    return tuple(rows)


def region_lp_system(
    instance: Instance,
    regions: Sequence[Region],
    K: Sequence[Sequence[Fraction]],
    sigma: Sequence[int],
    normal: tuple[list[list[Fraction]], list[Fraction]] | None = None,
) -> tuple[list[list[Fraction]], list[list[Fraction]], list[Fraction]]:
    """The system ``C v > 0, B v = b`` whose solutions are the DLMs' ``v`` for sign choice sigma.

    Returns ``(C, B, b)`` in the order of docs/certificate-format.md: ``B`` is the normal
    equations ``(K K^T) v = K y`` followed by ``v_i = 0`` for each unit with ``sigma_i = 0``;
    ``C`` has, for each unit with ``sigma_i != 0`` and each nonzero data point n, the row
    ``sigma_i * s_in * x_n`` in block i.
    """
    d0, d1, N = instance.d0, instance.d1, instance.N
    nv = d0 * d1
    cols = [instance.column(n) for n in range(N)]
    nonzero = [n for n in range(N) if any(cols[n])]
    if normal is None:
        normal = normal_equations(K, instance.y)
    B = [list(row) for row in normal[0]]
    b = list(normal[1])
    C: list[list[Fraction]] = []
    for i, s_i in enumerate(sigma):  # s_i None: unit i unconstrained (a partial sign choice)
        if s_i == 0:
            for j in range(d0):
                row = [Fraction(0)] * nv
                row[i * d0 + j] = Fraction(1)
                B.append(row)
                b.append(Fraction(0))
    for i, s_i in enumerate(sigma):
        if not s_i:
            continue
        for n in nonzero:
            row = [Fraction(0)] * nv
            c = s_i * regions[i].signs[n]
            for j in range(d0):
                row[i * d0 + j] = c * cols[n][j]
            C.append(row)
    return C, B, b


def _unique_dlm(
    instance: Instance,
    regions: Sequence[Region],
    K: Sequence[Sequence[Fraction]],
    p: Sequence[Fraction],
    backend: str | None,
    v_star: Sequence[Fraction] | None = None,
) -> Point | None:
    """The DLM decision when ``rank K = d0*d1``: the least-squares ``v`` is unique, so no LP.

    A DLM exists iff every unit's ``v_i`` is 0, or lies in the unit's open cone (``z_i = 1``),
    or in its negative (``z_i = -1``); this is the region decision of Step 3 with a one-point
    solution set.
    """
    d0, N = instance.d0, instance.N
    Kt = [[K[row][n] for row in range(len(K))] for n in range(N)]
    v = solve_particular(Kt, p, backend=backend) if v_star is None else tuple(v_star)
    if v is None:  # p is in the row space of K by construction
        raise InternalError("least-squares fit outside the row space")
    W: list[tuple[Fraction, ...]] = []
    z: list[Fraction] = []
    for i, region in enumerate(regions):
        v_i = v[i * d0:(i + 1) * d0]
        if not any(v_i):  # z_i = 0, w_i anywhere in its cone
            W.append(region.point)
            z.append(Fraction(0))
            continue
        vals = [region.signs[n] * dot(v_i, instance.column(n)) for n in range(N)
                if region.signs[n] != 0]
        if all(u > 0 for u in vals):
            sigma = 1
        elif all(u < 0 for u in vals):
            sigma = -1
        else:
            return None
        W.append(tuple(sigma * x for x in v_i))
        z.append(Fraction(sigma))
    return Point(W=tuple(W), z=tuple(z))


def normal_equations(
    K: Sequence[Sequence[Fraction]], y: Sequence[Fraction]
) -> tuple[list[list[Fraction]], list[Fraction]]:
    """``(K K^T, K y)``: the least-squares solutions ``v`` are those with ``K K^T v = K y``."""
    nv = len(K)
    G = [[Fraction(0)] * nv for _ in range(nv)]
    for a in range(nv):
        for c in range(a, nv):
            G[a][c] = G[c][a] = dot(K[a], K[c])
    return G, [dot(K[a], y) for a in range(nv)]


def _integers(v: Sequence[Fraction]) -> tuple[list[int], int]:
    """``(V, D)`` with ``v = V / D``, ``D > 0`` the LCM of the denominators."""
    D = 1
    for q in v:
        D = math.lcm(D, q.denominator)
    return [q.numerator * (D // q.denominator) for q in v], D


def _least_squares_set(
    instance: Instance,
    K: Sequence[Sequence[Fraction]],
    p: Sequence[Fraction],
    backend: str | None = None,
    solved: tuple[Any, Any] | None = None,
) -> tuple[Any, ...]:
    """``(v*, basis, rows, V, D, fractions)``: the least-squares solutions are ``v* +
    span(basis)`` (a basis of ker K^T, scaled to integer vectors; ``fractions`` is the same basis
    unscaled), ``v* = V / D``, and ``rows[i][n] = (h, h0)`` with integers such that ``x_n . v_i``
    has the sign of ``h . c + h0`` for ``v = v* + basis c`` (the constraint scaled by a positive
    factor), so every sign constraint is read off in integer arithmetic."""
    N = instance.N
    if solved is None:
        Kt = [[K[row][n] for row in range(len(K))] for n in range(N)]
        v_star, fractions = solve_with_nullspace(Kt, p, backend=backend)
    else:  # from least_squares (the same v* and basis)
        v_star, fractions = solved
    if v_star is None:  # p lies in the row space of K by construction
        raise InternalError("least-squares fit outside the row space")
    basis = [_integers(b)[0] for b in fractions]
    V, D = _integers(v_star)
    d0 = instance.d0
    cols = [_integers(instance.column(n))[0] for n in range(N)]  # positive rescaling of x_n
    rows = []
    for i in range(instance.d1):
        unit = []
        lo, hi = i * d0, (i + 1) * d0
        for x in cols:
            h = [D * sum(a * c for a, c in zip(x, b[lo:hi])) for b in basis]
            unit.append((h, sum(a * c for a, c in zip(x, V[lo:hi]))))
        rows.append(unit)
    return v_star, basis, rows, V, D, fractions


def _search_sigma(
    instance: Instance,
    regions: Sequence[Region],
    ls: tuple[Any, ...],
    prefix: tuple[int, ...],
) -> Point | None:
    """Depth-first over units: extend a sign choice only while its partial system is feasible.

    The LPs run in the coordinates ``c`` of ``v = v* + B c`` (B a basis of ker K^T), so they have
    ``dim ker K^T`` variables and no equations besides ``v_i = 0`` for units with ``z_i = 0``.
    A partial choice constrains only its units; if that system is infeasible, so is every
    completion (it only adds constraints), which prunes most of the 3^d1 choices.
    """
    d0, d1 = instance.d0, instance.d1
    v_star, basis = ls[0], ls[1]
    k = len(basis)
    t = len(prefix)
    if t > 0:
        rows, V, D = ls[2], ls[3], ls[4]  # rows[i][n]: x_n . v_i's sign as h . c + h0 (ints)
        strict, offsets, eq, rhs = [], [], [], []
        for i, s_i in enumerate(prefix):
            if s_i == 0:  # v_i = 0: D b[r] . c = -V[r]
                for r in range(i * d0, (i + 1) * d0):
                    eq.append([D * b[r] for b in basis])
                    rhs.append(-V[r])
                continue
            for n in range(instance.N):
                sign = s_i * regions[i].signs[n]
                if sign == 0:
                    continue
                h, h0 = rows[i][n]
                strict.append([-x for x in h] if sign < 0 else h)
                offsets.append(sign * h0)
        if not strictly_feasible(strict, offsets, eq, rhs, k):
            return None
        if t == d1:  # the DLM point: the LP in the unscaled basis (the point printed since v1)
            c = find_strict_point(*_unscaled_system(instance, regions, ls, prefix))
            if c is None:
                raise InternalError("a feasible sign choice without a strict point")
            fr = ls[5]
            v = [v_star[r] + sum((b[r] * cj for b, cj in zip(fr, c)), Fraction(0))
                 for r in range(d0 * d1)]
            W = [regions[i].point if s_i == 0 else tuple(s_i * v[i * d0 + j] for j in range(d0))
                 for i, s_i in enumerate(prefix)]
            return Point(W=tuple(tuple(w) for w in W), z=tuple(Fraction(s) for s in prefix))
    for choice in (1, -1, 0):
        found = _search_sigma(instance, regions, ls, prefix + (choice,))
        if found is not None:
            return found
    return None


def _unscaled_system(instance: Instance, regions: Sequence[Region], ls: tuple[Any, ...],
                     prefix: tuple[int, ...]) -> tuple[Any, ...]:
    """The LP of a full sign choice in the coordinates of the unscaled null-space basis."""
    d0 = instance.d0
    v_star, fr = ls[0], ls[5]
    strict, offsets, eq, rhs = [], [], [], []
    for i, s_i in enumerate(prefix):
        if s_i == 0:
            for r in range(i * d0, (i + 1) * d0):
                eq.append([b[r] for b in fr])
                rhs.append(-v_star[r])
            continue
        for n in range(instance.N):
            sign = s_i * regions[i].signs[n]
            if sign == 0:
                continue
            x = instance.column(n)
            h = [sign * dot(x, b[i * d0:(i + 1) * d0]) for b in fr]
            strict.append(h)
            offsets.append(sign * dot(x, v_star[i * d0:(i + 1) * d0]))
    return strict, len(fr), eq, rhs, offsets


def _find_dlm(
    instance: Instance,
    regions: Sequence[Region],
    K: Sequence[Sequence[Fraction]],
    want_certificates: bool = False,
    fit: Sequence[Fraction] | None = None,
    backend: str | None = None,
    solved: tuple[Any, Any] | None = None,
) -> tuple[Point | None, tuple | None]:  # type: ignore[type-arg]
    """A DLM of the region, or None together with (optionally) one Motzkin certificate per sigma.

    ``fit`` is the least-squares fit ``p`` when the caller already has it."""
    if not want_certificates:
        if fit is None:
            fit = row_space_projection(K, instance.y, backend=backend)[1]
        ls = _least_squares_set(instance, K, fit, backend, solved)
        return _search_sigma(instance, regions, ls, ()), None
    from exactmin.decide.soudry_carmon_motzkin import sigma_certificates

    got = sigma_certificates(instance, regions, normal_equations(K, instance.y))
    if got is not None:
        return None, got
    # A DLM exists: return the point the search without certificates finds, so that asking for
    # a certificate never changes the counterexample printed.
    point = _find_dlm(instance, regions, K, False, fit, backend, solved)[0]
    if point is None:
        raise InternalError("a feasible sign choice of z without a DLM")
    return point, None


def no_dlm_certificates(
    instance: Instance,
    regions: Sequence[Region],
    blocks: dict[tuple[int, tuple[int, ...]], tuple[tuple[Fraction, ...], ...]] | None = None,
) -> tuple[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], ...] | None:
    """One Motzkin certificate per sign choice of ``z`` (``product((1, -1, 0), repeat=d1)``
    order) showing that the region holds no DLM, or None when it holds one.

    >>> from exactmin.geometry import enumerate_regions
    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho="1/2")
    >>> regions = enumerate_regions(inst.X)
    >>> [no_dlm_certificates(inst, [r]) is None for r in regions]
    [True, False, False, True]
    """
    K = _stacked_blocks(instance, tuple(regions), {} if blocks is None else blocks)
    point, certs = _find_dlm(instance, regions, K, want_certificates=True)
    if point is not None:
        return None
    if certs is None:
        raise InternalError("a region without a DLM and without Motzkin certificates")
    return certs
