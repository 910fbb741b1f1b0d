"""What is exactly true of one point of a network of any depth (docs/papers/soudry_carmon.md,
"More hidden layers"; proofs/deep_networks.md is future work).

Verdicts, each with its witness, never a guess:

- not differentiable: some pre-activation ``u_l(n)_i = 0`` where ``h_{l-1}(n)`` is not locally
  zero (``local_minimum`` None; the reason names layer, unit and data point);
- not critical: the exact gradient is nonzero (``local_minimum`` False);
- local minimum: ``P e = 0`` (the prediction is the least-squares projection of ``y`` onto a
  space containing everything the piece can reach) and the pattern is constant on an explicit
  box around the hidden weights (any ``w_out``);
- saddle: critical with an exact rational direction ``d``, ``d^T H d < 0`` (``local_minimum``
  False, ``escape_direction``);
- otherwise undecided (``local_minimum`` None) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import fmt_matrix, fmt_vector, show
from exactmin.decide.soudry_carmon_kinks import KinkReport, decide_point
from exactmin.linalg import rank
from exactmin.models.deep import DeepInstance, DeepPoint, forward, gradient_matrices, path_matrix
from exactmin.models.instance import Instance
from exactmin.models.network import Point
from exactmin.protocol import ResultProtocol, keeps_inputs

__all__ = ["DeepPointReport", "analyze_deep_point", "kink_report", "one_sided_loss",
           "unflatten", "zero_preactivation"]

Matrix = tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class DeepPointReport(ResultProtocol):
    """The exact verdict on one point; see the module docstring for what each field means."""

    differentiable: bool
    critical: bool | None
    local_minimum: bool | None
    reason: str
    loss: Fraction
    pattern: tuple[tuple[tuple[int, ...], ...], ...]  # [l][i][n]: sign of u_l(n)_i
    gradient: tuple[Matrix, ...] | None
    full_rank_layers: tuple[int, ...]
    path_rank: int
    path_least_squares: bool
    box_radius: Fraction | None
    escape_direction: tuple[Fraction, ...] | None
    inputs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The exact JSON form (``verify-point --json``): the keys of every point report, then
        the pattern, the gradient (one matrix per layer), full_rank_layers, path_rank,
        path_least_squares and escape_direction."""
        from exactmin.decide.soudry_carmon import verdict_keys

        return {**verdict_keys(self),
                "pattern": [[list(row) for row in layer] for layer in self.pattern],
                "gradient": None if self.gradient is None else [fmt_matrix(G)
                                                                for G in self.gradient],
                "full_rank_layers": list(self.full_rank_layers), "path_rank": self.path_rank,
                "path_least_squares": self.path_least_squares,
                "escape_direction": (None if self.escape_direction is None
                                     else fmt_vector(self.escape_direction))}

    def __repr__(self) -> str:
        verdict = {True: "a local minimum", False: "not a local minimum",
                   None: "undecided"}[self.local_minimum]
        return f"DeepPointReport({verdict}, loss {show(self.loss)})"


def _flat(weights: tuple[Matrix, ...]) -> list[Fraction]:
    return [v for W in weights for row in W for v in row]


def unflatten(v: Sequence[Fraction], like: tuple[Matrix, ...]) -> tuple[Matrix, ...]:
    """The flat vector ``v`` (layer by layer, row by row) in the shape of the weights ``like``."""
    out, k = [], 0
    for W in like:
        rows = []
        for row in W:
            rows.append(tuple(v[k:k + len(row)]))
            k += len(row)
        out.append(tuple(rows))
    return tuple(out)


def _locally_dead(inst: DeepInstance, fw: Any, l: int, n: int) -> bool:
    """Whether ``h_{l-1}(n)`` is zero on a neighbourhood: a zero data point, or (ReLU) an
    earlier layer whose pre-activations on n are all negative."""
    if not any(inst.X[j][n] for j in range(inst.widths[0])):
        return True
    return inst.rho == 0 and any(all(v < 0 for v in fw.u[k][n]) for k in range(l - 1))


def zero_preactivation(inst: DeepInstance, fw: Any) -> str | None:
    """The first ``u_l(n)_i = 0`` where ``h_{l-1}(n)`` is not identically zero nearby (the point
    is then not differentiable: no piece), described; None at a differentiable point."""
    for l in range(1, inst.L + 1):
        for n in range(inst.N):
            if _locally_dead(inst, fw, l, n):
                continue
            for i, v in enumerate(fw.u[l - 1][n]):
                if v == 0:
                    return (f"u_{l}({n})[{i}] = 0 (hidden layer {l}, unit {i}, data point {n})")
    return None


def _box_radius(inst: DeepInstance, point: DeepPoint, fw: Any) -> Fraction | None:
    """A radius r such that every hidden weight moved by at most r (``w_out`` anything) keeps
    every sign of the pattern that matters: interval bounds of the pre-activations' deviations,
    propagated layer by layer in exact arithmetic; r halved until they hold."""
    scale = max([abs(v) for v in _flat(point.weights[:-1])] + [Fraction(1)])
    r = Fraction(1) / scale
    for _ in range(200):
        if _keeps_signs(inst, point, fw, r):
            return r
        r /= 2
    return None


def _keeps_signs(inst: DeepInstance, point: DeepPoint, fw: Any, r: Fraction) -> bool:
    for n in range(inst.N):
        h = [inst.X[j][n] for j in range(inst.widths[0])]
        dev = [Fraction(0)] * len(h)
        for l in range(1, inst.L + 1):
            W = point.weights[l - 1]
            u, a = fw.u[l - 1][n], fw.a[l - 1][n]
            du = [sum((abs(W[i][j]) * dev[j] + r * (abs(h[j]) + dev[j])
                       for j in range(len(h))), Fraction(0)) for i in range(len(W))]
            if _locally_dead(inst, fw, l, n):
                break  # h_{l-1}(n) stays 0: nothing later depends on the weights here
            if any(not du[i] < abs(u[i]) for i in range(len(W))):
                return False
            h = [a[i] * u[i] for i in range(len(W))]
            dev = [abs(a[i]) * du[i] for i in range(len(W))]
    return True


def _hessian(inst: DeepInstance, point: DeepPoint, fw: Any) -> list[list[Fraction]]:
    """The exact Hessian of the loss on the point's piece (slopes fixed). The prediction is
    linear in each single weight, so for two weights in different layers the mixed second
    derivative of ``yhat_n`` is ``f(1, 1) - f(1, 0) - f(0, 1) + f(0, 0)`` exactly (unit steps
    along the two coordinates); within one layer it is 0."""
    theta = _flat(point.weights)
    m = len(theta)
    layer = [l for l, W in enumerate(point.weights) for row in W for _ in row]
    slopes = fw.a

    def yhat(v: list[Fraction]) -> tuple[Fraction, ...]:
        return forward(inst, DeepPoint(unflatten(v, point.weights)), slopes).yhat

    base = fw.yhat
    one = []
    for a in range(m):
        v = list(theta)
        v[a] += 1
        one.append(yhat(v))
    grad = [[one[a][n] - base[n] for n in range(inst.N)] for a in range(m)]  # exact: linear
    H = [[Fraction(0)] * m for _ in range(m)]
    for a in range(m):
        for b in range(a, m):
            g = sum((grad[a][n] * grad[b][n] for n in range(inst.N)), Fraction(0))
            if layer[a] != layer[b]:
                v = list(theta)
                v[a] += 1
                v[b] += 1
                both = yhat(v)
                g += sum((fw.e[n] * (both[n] - one[a][n] - one[b][n] + base[n])
                          for n in range(inst.N)), Fraction(0))
            H[a][b] = H[b][a] = g
    return H


def _negative_direction(H: list[list[Fraction]]) -> list[Fraction] | None:
    """A direction ``d`` with ``d^T H d < 0`` exactly, or None when none was found. Floats
    propose ``d`` (eigenvectors, rounded); exact arithmetic decides. Failing that, exact
    Gaussian elimination: a negative pivot gives a direction (LDL^T)."""
    import numpy as np

    m = len(H)
    if m:
        vals, vecs = np.linalg.eigh(np.array([[float(x) for x in row] for row in H]))
        for k in range(m):
            if vals[k] >= 0:
                break
            for den in (10**3, 10**6, 10**9):
                d = [Fraction(round(float(x) * den), den) for x in vecs[:, k]]
                if _quad(H, d) < 0:
                    return d
    A = [row[:] for row in H]
    for c in range(m):
        piv = A[c][c]
        if piv < 0:  # e_c against the eliminated rows gives a negative direction
            return _pivot_direction(H, c)
        if piv == 0:
            return None
        for r in range(c + 1, m):
            f = A[r][c] / piv
            if f:
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
    return None


def _pivot_direction(H: list[list[Fraction]], c: int) -> list[Fraction]:
    """A direction with ``d^T H d`` equal to the c-th pivot (< 0) of Gaussian elimination:
    solve the leading c x c block for the coefficients that cancel it, as in LDL^T."""
    from exactmin.linalg import solve_particular

    d = [Fraction(0)] * len(H)
    d[c] = Fraction(1)
    if c:
        block = [row[:c] for row in H[:c]]
        coef = solve_particular(block, [-H[i][c] for i in range(c)])
        if coef is not None:
            for i in range(c):
                d[i] = coef[i]
    return d


def _quad(H: list[list[Fraction]], d: list[Fraction]) -> Fraction:
    return sum((d[a] * H[a][b] * d[b] for a in range(len(d)) for b in range(len(d)) if d[a]
                and d[b]), Fraction(0))


Poly = list[Fraction]


def _padd(p: Poly, q: Poly) -> Poly:
    if len(p) < len(q):
        p, q = q, p
    return [a + (q[k] if k < len(q) else 0) for k, a in enumerate(p)]


def _pmul(p: Poly, q: Poly) -> Poly:
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return out


def one_sided_loss(inst: DeepInstance, point: DeepPoint, direction: Sequence[Matrix]) -> Poly:
    """``L(theta + t d) - L(theta)`` for small ``t >= 0`` as exact coefficients ``c_1, c_2, ...``
    (every slope that of ``t > 0``: the sign of the lowest nonzero coefficient of its
    pre-activation's polynomial), at any point, kinks included.

    >>> inst = DeepInstance.from_dict({"X": [[1]], "y": [1], "widths": [1, 1, 1], "rho": 0})
    >>> p = DeepPoint.from_dict({"weights": [[[0]], [[1]]]}, inst)  # u = 0: a kink
    >>> one_sided_loss(inst, p, [((Fraction(1),),), ((Fraction(0),),)])[:2]
    [Fraction(-1, 1), Fraction(1, 2)]
    """
    total: Poly = [Fraction(0)]
    for n in range(inst.N):
        h: list[Poly] = [[inst.X[j][n]] for j in range(inst.widths[0])]
        for l in range(1, inst.L + 1):
            W, D = point.weights[l - 1], direction[l - 1]
            nxt = []
            for i, row in enumerate(W):
                u: Poly = [Fraction(0)]
                for j, v in enumerate(row):
                    u = _padd(u, _pmul([v, D[i][j]], h[j]))
                lead = next((c for c in u if c), Fraction(0))
                a = inst.E(l, i, n) * (1 if lead > 0 else inst.rho)
                nxt.append([a * c for c in u])
            h = nxt
        out: Poly = [-inst.y[n]]
        for i, v in enumerate(point.weights[-1][0]):
            out = _padd(out, _pmul([v, direction[-1][0][i]], h[i]))
        total = _padd(total, [c / 2 for c in _pmul(out, out)])
    return total[1:]


def _one_sided_descent(inst: DeepInstance, point: DeepPoint, fw: Any
                       ) -> tuple[tuple[Fraction, ...], Poly] | None:
    """An exact direction (flat) along which the loss decreases for small ``t > 0``, among minus
    the gradient of ``w_out`` and minus the gradient of each piece meeting the kinks (every tie's
    slope taken on one side), or None."""
    zero_dirs = [tuple(tuple(Fraction(0) for _ in row) for row in W) for W in point.weights]
    candidates = []
    G = gradient_matrices(inst, point, fw)
    g_out = tuple(-sum((a * b for a, b in zip(row, fw.e)), Fraction(0)) for row in G[-1])
    candidates.append(tuple(zero_dirs[:-1]) + ((g_out,),))
    for side in (1, -1):
        slopes = [[tuple(inst.E(l, i, n) * (1 if (u > 0 or (u == 0 and side > 0)) else inst.rho)
                         for i, u in enumerate(fw.u[l - 1][n])) for n in range(inst.N)]
                  for l in range(1, inst.L + 1)]
        piece = forward(inst, point, slopes)
        grads = gradient_matrices(inst, point, piece)
        flat = [-sum((a * b for a, b in zip(row, piece.e)), Fraction(0)) for Gl in grads
                for row in Gl]
        candidates.append(unflatten(flat, point.weights))
    for d in candidates:
        c = one_sided_loss(inst, point, d)
        k = next((k for k, q in enumerate(c) if q), None)
        if k is not None and c[k] < 0:
            return tuple(_flat(tuple(d))), c
    return None


def kink_report(inst: DeepInstance, point: DeepPoint) -> KinkReport | None:
    """The exact verdict at any point of a depth-1 network (kinks included), from the
    one-hidden-layer decider; None for deeper networks."""
    if inst.L != 1:
        return None
    one = Instance(X=inst.X, y=inst.y, d1=inst.widths[1], rho=inst.rho,
                   noise=None if inst.noise is None else inst.noise[0])
    return decide_point(one, Point(W=point.weights[0], z=point.weights[1][0]))


@keeps_inputs
def analyze_deep_point(inst: DeepInstance, point: DeepPoint) -> DeepPointReport:
    """Decide exactly what ``point`` is (module docstring).

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
    ...                                "widths": [2, 2, 2, 1], "rho": "1/3"})
    >>> p = DeepPoint.from_dict({"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]],
    ...                                      [["-3/4", "15/28"]]]}, inst)
    >>> rep = analyze_deep_point(inst, p)
    >>> rep.local_minimum, rep.loss, rep.path_least_squares
    (True, Fraction(4, 7), True)
    """
    fw = forward(inst, point)
    pattern = tuple(tuple(tuple((v > 0) - (v < 0) for v in (fw.u[l][n][i] for n in range(inst.N)))
                          for i in range(inst.widths[l + 1])) for l in range(inst.L))
    P = path_matrix(inst, fw)
    path_rank = rank(P) if P else 0
    Pe = [sum((row[n] * fw.e[n] for n in range(inst.N)), Fraction(0)) for row in P]
    least_squares = not any(Pe)

    def report(differentiable: bool, critical: bool | None, local: bool | None, reason: str,
               gradient: Any = None, full: tuple[int, ...] = (), box: Fraction | None = None,
               escape: Any = None) -> DeepPointReport:
        return DeepPointReport(differentiable, critical, local, reason, fw.loss, pattern,
                               gradient, full, path_rank, least_squares, box, escape)

    zero = zero_preactivation(inst, fw)
    if zero is not None:
        if fw.loss == 0:
            return report(False, None, True, f"not differentiable ({zero}), but the loss is 0: "
                                             "a global minimum")
        kink = kink_report(inst, point)
        if kink is None:
            found = _one_sided_descent(inst, point, fw)
            if found is not None:
                down, coeffs = found
                k = next(k for k, q in enumerate(coeffs) if q)
                return report(False, None, False, f"not differentiable ({zero}); along an exact "
                              f"direction the loss changes by {show(coeffs[k])} t^{k + 1} + ... "
                              "for small t > 0 (one-sided polynomial, exact)", escape=down)
            return report(False, None, None, f"not differentiable: {zero}; no tried direction "
                                             "(minus the gradient of w_out, of each piece at the "
                                             "kinks) lowers the loss to first order, and a "
                                             "local-minimum proof at a kink exists for one "
                                             "hidden layer and zero loss only: undecided")
        escape = None if kink.direction is None else (
            *(v for row in kink.direction[0] for v in row), *kink.direction[1])
        return report(False, None, kink.local_minimum, f"at a kink: {kink.reason}",
                      escape=escape)
    G = gradient_matrices(inst, point, fw)
    grads = []
    for l, Gl in enumerate(G, start=1):
        g = [sum((row[n] * fw.e[n] for n in range(inst.N)), Fraction(0)) for row in Gl]
        d_prev = inst.widths[l - 1]
        grads.append(tuple(tuple(g[i * d_prev:(i + 1) * d_prev]) for i in range(len(g) // d_prev)))
    gradient = tuple(grads)
    full = tuple(l for l, Gl in enumerate(G, start=1) if rank(Gl) == inst.N)
    if any(v for M in gradient for row in M for v in row):
        return report(True, False, False, "not critical: the exact gradient is nonzero",
                      gradient, full)
    box = _box_radius(inst, point, fw)
    if least_squares and box is not None:
        return report(True, True, True,
                      "P e = 0: the prediction is the least-squares projection of y onto a space "
                      "containing every prediction the piece can reach, and the pattern is "
                      f"constant on the box of radius {show(box)} around the hidden weights "
                      "(any w_out), so no point there has a lower loss", gradient, full, box)
    H = _hessian(inst, point, fw)
    d = _negative_direction(H)
    if d is not None:
        return report(True, True, False,
                      f"saddle: d^T H d = {show(_quad(H, d))} < 0 along the exact direction d "
                      "(escape_direction) on the point's piece", gradient, full,
                      escape=tuple(d))
    return report(True, True, None,
                  "undecided: critical and P e != 0, and no exact negative-curvature direction "
                  "was found; a positive definite Hessian cannot settle it either (scaling W_l by "
                  "c and W_{l+1} by 1/c leaves the loss unchanged, so the Hessian is singular at "
                  "every critical point)",
                  gradient, full)
