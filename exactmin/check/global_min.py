"""Checker for ``soudry_carmon/global_minimum`` (docs/certificates/soudry_carmon/global_minimum.md).

Statement: a one-hidden-layer instance (``X, y, d1, rho, noise``) and ``global_minimum = L*``.
Claim: the smallest value of the loss ``(1/2) |yhat - y|^2`` over all ``(W, z)`` is ``L*``.

- Upper bound: the witness's point ``(W, z)`` has loss exactly ``L*``.
- Lower bound (skipped when ``L* = 0``: the loss is ``>= 0``): the kernel derives the pieces
  from the statement, one per sign vector ``s`` of ``z`` and, per unit, sign vector ``sigma_i``
  on the nonzero data points (``s`` in ``itertools.product((1, -1), repeat=d1)``, then the
  ``sigma`` in ``product(product((1, -1), repeat=#nonzero), repeat=d1)``). With
  ``u_i = |z_i| w_i`` every point lies in one: ``sigma_in u_i . x_n >= 0``, where the prediction
  is ``A u`` (column block ``i``: ``s_i E_in c_in x_n``, ``c`` the slope of ``sigma_in``). The
  ``pieces`` list has one entry ``{"mu", "lambda"}`` per piece, in that order: ``lambda >= 0``
  (``d1`` lists, one number per nonzero point), ``A^T mu = B^T lambda`` (``B``'s rows
  ``sigma_in x_n`` in block ``i``) and ``-mu . y - |mu|^2 / 2 >= L*``. Then on the piece
  ``(1/2)|A u - y|^2 >= mu.(A u - y) - |mu|^2/2 = lambda.(B u) - mu.y - |mu|^2/2 >= L*``.
"""

import itertools
from fractions import Fraction
from typing import Any

from .reader import (
    Malformed,
    Refused,
    Rejected,
    Work,
    array,
    integer,
    matrix,
    obj,
    power_at_most,
    rational,
    show,
    vector,
)

THEOREM = "soudry_carmon/global_minimum"


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    ptr = "/statement"
    raw = obj(cert["statement"], ptr, ("theorem", "X", "y", "d1", "rho", "noise",
                                      "global_minimum"))
    X = matrix(raw["X"], f"{ptr}/X")
    d0, N = len(X), len(X[0])
    y = vector(raw["y"], f"{ptr}/y", N)
    d1 = integer(raw["d1"], f"{ptr}/d1", lo=1, hi=10**4)
    work.charge(d0 * d1 * N, f"the network ({d1} units, N = {N})")
    rho = rational(raw["rho"], f"{ptr}/rho")
    if rho == 1:
        raise Malformed(f"{ptr}/rho", "rho = 1 is not a piecewise-linear activation")
    E = [[Fraction(1)] * N for _ in range(d1)]
    if raw["noise"] is not None:
        E = matrix(raw["noise"], f"{ptr}/noise", d1, N)
        if any(v <= 0 for row in E for v in row):
            raise Malformed(f"{ptr}/noise", "noise must be > 0")
    L = rational(raw["global_minimum"], f"{ptr}/global_minimum")
    if L < 0:
        raise Malformed(f"{ptr}/global_minimum", "a loss is >= 0")
    work.announce(f"statement: {THEOREM}, (d0, d1, N) = ({d0}, {d1}, {N}): the global minimum "
                  f"of the loss is {show(L)}")
    if cert["verdict"] != "global_minimum":
        raise Malformed("/verdict", "expected 'global_minimum'")
    w = obj(cert["witness"], "/witness", ("W", "z", "pieces"))
    W = matrix(w["W"], "/witness/W", d1, d0)
    z = vector(w["z"], "/witness/z", d1)
    cols = [[X[j][n] for j in range(d0)] for n in range(N)]
    yhat = [Fraction(0)] * N
    for i in range(d1):
        for n in range(N):
            u = sum((a * b for a, b in zip(W[i], cols[n])), Fraction(0))
            yhat[n] += z[i] * E[i][n] * (u if u > 0 else rho * u)
    value = sum(((a - b) ** 2 for a, b in zip(yhat, y)), Fraction(0)) / 2
    if value != L:
        raise Rejected("the point attains the global minimum: its loss", L, value)
    info = {"theorem": THEOREM, "d0": d0, "d1": d1, "N": N, "verdict": "global_minimum",
            "global_minimum": L, "pieces": 0}
    if L == 0:
        array(w["pieces"], "/witness/pieces", 0)
        return info
    nz = [n for n in range(N) if any(cols[n])]
    unit = (N + 1) * d0 * d1 * 4  # work per piece
    bits = d1 * (1 + len(nz))
    count = power_at_most(2, bits, work.limit // unit + 1)
    if count is None:  # charged before a single piece is read
        raise Refused(f"2^{bits} pieces (signs of z, sign vectors)",
                      2 ** min(bits, 200) * unit, work.limit)
    work.charge(count * unit, f"{count} pieces (signs of z, sign vectors)")
    pieces = array(w["pieces"], "/witness/pieces")
    if len(pieces) != count:
        raise Rejected("one entry per piece (signs of z and sign vectors)", count, len(pieces))
    k = 0
    for s in itertools.product((1, -1), repeat=d1):
        for sigma in itertools.product(itertools.product((1, -1), repeat=len(nz)), repeat=d1):
            p = f"/witness/pieces/{k}"
            ent = obj(pieces[k], p, ("mu", "lambda"))
            mu = vector(ent["mu"], f"{p}/mu", N)
            lam = [vector(v, f"{p}/lambda/{i}", len(nz))
                   for i, v in enumerate(array(ent["lambda"], f"{p}/lambda", d1))]
            if any(v < 0 for row in lam for v in row):
                raise Rejected(f"piece {k}: lambda >= 0", ">= 0", min(min(r) for r in lam if r))
            for i in range(d1):
                for j in range(d0):
                    at = sum((mu[n] * s[i] * E[i][n] * (1 if sg > 0 else rho) * cols[n][j]
                              for n, sg in zip(nz, sigma[i])), Fraction(0))
                    bt = sum((lv * sg * cols[n][j] for n, sg, lv in zip(nz, sigma[i], lam[i])),
                             Fraction(0))
                    if at != bt:
                        raise Rejected(f"piece {k}: A^T mu = B^T lambda (unit {i}, entry {j})",
                                       at, bt)
            bound = -sum((a * b for a, b in zip(mu, y)), Fraction(0)) - sum(
                (a * a for a in mu), Fraction(0)) / 2
            if bound < L:
                raise Rejected(f"piece {k}: the bound -mu.y - |mu|^2/2 >= L*", f">= {show(L)}",
                               bound)
            k += 1
    info["pieces"] = count
    return info


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    how = ("the loss is >= 0" if info["pieces"] == 0 else
           f"{info['pieces']} pieces bounded below by exact duals")
    return (f"VERIFIED global_minimum: the global minimum of the loss is "
            f"{show(info['global_minimum'])}: attained at the point, {how} ({elapsed:.3g} s)")
