"""Checker for ``milne/convexity`` (docs/certificates/milne/convexity.md).

Statement: a network of any depth (as for ``soudry_carmon/deep_point``), its weights and a weight
decay ``lam >= 0``. Claim: the Hessian of ``F = (1/2) sum_n e_n^2 + (lam/2) sum ||W_l||_F^2`` on
the point's piece is positive definite (verdict ``positive_definite``) or is not
(``not_positive_definite``). The point must be differentiable (else it has no piece).

The kernel recomputes the Hessian from the statement alone: along any direction ``d`` the loss
on the piece is an exact polynomial in ``t`` (``network.Net.loss_along``), so ``d^T H d = 2 c_2(d)
+ lam |d|^2`` with ``c_2`` its ``t^2`` coefficient; the diagonal comes from the unit vectors and
the off-diagonal entries by polarization. Then:

- ``positive_definite``: Gaussian elimination (LDL^T) gives the pivots; they must equal the
  witness's ``pivots`` and all be ``> 0``;
- ``not_positive_definite``: ``d^T H d <= 0`` for the witness's ``direction`` (flat, in the
  order ``W_1, ..., W_L, w_out``, row by row), which must be nonzero.
"""

from fractions import Fraction
from typing import Any

from .network import Net
from .reader import Malformed, Rejected, Work, array, obj, rational, show, vector

THEOREM = "milne/convexity"


def _direction(net: Net, Ws: list[Any], flat: list[Fraction]) -> list[Any]:
    out, k = [], 0
    for W in Ws:
        rows = []
        for row in W:
            rows.append(flat[k:k + len(row)])
            k += len(row)
        out.append(rows)
    return out


def _curvature(net: Net, Ws: list[Any], lam: Fraction, flat: list[Fraction]) -> Fraction:
    """``d^T H d`` for the Hessian of F on the piece."""
    c = net.loss_along(Ws, _direction(net, Ws, flat), "a differentiable point") + [Fraction(0)] * 3
    return 2 * c[2] + lam * sum((x * x for x in flat), Fraction(0))


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement",
              ("theorem", "X", "y", "widths", "rho", "noise", "weights", "lam"))
    net = Net(raw, work)
    Ws = net.weights(raw["weights"], "/statement/weights", net.L + 1)
    lam = rational(raw["lam"], "/statement/lam")
    if lam < 0:
        raise Malformed("/statement/lam", "lam must be >= 0")
    m = net.size  # every weight, w_out included
    work.announce(f"statement: {THEOREM}, widths {net.widths}, N = {net.N}, lam = {show(lam)}: the "
                  f"Hessian of F on the point's piece is {cert['verdict'].replace('_', ' ')}")
    info = {"theorem": THEOREM, "verdict": cert["verdict"], "widths": net.widths, "size": m}
    if cert["verdict"] == "not_positive_definite":
        w = obj(cert["witness"], "/witness", ("direction",))
        d = vector(w["direction"], "/witness/direction", m)
        if not any(d):
            raise Rejected("a nonzero direction", "d != 0", "the zero vector")
        work.charge(net.size * net.N * (net.L + 2) ** 2, "the curvature along the direction")
        q = _curvature(net, Ws, lam, d)
        if q > 0:
            raise Rejected("d^T H d <= 0", "<= 0", q)
        return {**info, "curvature": q}
    if cert["verdict"] != "positive_definite":
        raise Malformed("/verdict", "expected 'positive_definite' or 'not_positive_definite'")
    w = obj(cert["witness"], "/witness", ("pivots",))
    claimed = [rational(p, f"/witness/pivots/{k}")
               for k, p in enumerate(array(w["pivots"], "/witness/pivots", m))]
    work.charge(m * m * net.size * net.N * (net.L + 2) ** 2 + m ** 3, f"the {m} x {m} Hessian")
    unit = [[Fraction(int(i == j)) for j in range(m)] for i in range(m)]
    diag = [_curvature(net, Ws, lam, unit[a]) for a in range(m)]
    H = [[diag[a] if a == b else Fraction(0) for b in range(m)] for a in range(m)]
    for a in range(m):
        for b in range(a + 1, m):
            both = [x + y for x, y in zip(unit[a], unit[b])]
            H[a][b] = H[b][a] = (_curvature(net, Ws, lam, both) - diag[a] - diag[b]) / 2
    for c in range(m):
        if H[c][c] != claimed[c]:
            raise Rejected(f"LDL^T pivot {c}", H[c][c], claimed[c])
        if not H[c][c] > 0:
            raise Rejected(f"positive pivot {c}", "> 0", H[c][c])
        for r in range(c + 1, m):
            f = H[r][c] / H[c][c]
            H[r] = [x - f * y for x, y in zip(H[r], H[c])]
    return {**info, "smallest_pivot": min(claimed)}


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    why = (f"exact LDL^T, {info['size']} positive pivots (smallest "
           f"{show(info['smallest_pivot'])})" if info["verdict"] == "positive_definite" else
           f"d^T H d = {show(info['curvature'])} <= 0 along the direction")
    return (f"VERIFIED {info['verdict']}: the Hessian of the weight-decayed loss on the "
            f"point's piece is {info['verdict'].replace('_', ' ')}: {why} ({elapsed:.3g} s)")
