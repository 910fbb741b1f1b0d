"""Checker for ``soudry_carmon/kink_point`` (docs/certificates/soudry_carmon/kink_point.md).

Statement: a network of any depth (``X, y, widths, rho, noise``, as for
``soudry_carmon/deep_point``) and its ``weights``, at any point: zero pre-activations (kinks)
allowed. Claim: the point is a local minimum (``local_minimum``) or is not
(``not_local_minimum``).

- ``not_local_minimum``: along the witness's ``direction`` the loss for small ``t >= 0`` is an
  exact polynomial (each slope that of ``t > 0``: ``network.Net.loss_along(one_sided=True)``);
  its lowest nonzero coefficient ``c_k`` (``k >= 1``) must be negative.
- ``local_minimum`` with loss 0: a global minimum (the loss is ``>= 0``); no pieces.
- ``local_minimum`` with nonzero loss, one hidden layer (widths ``[d0, d1, 1]``): the kernel
  derives the ties ``T_i = {n : w_i . x_n = 0, x_n != 0}`` and the residual ``e`` from the
  statement, and one obligation per unit ``i`` and sign vector ``sigma`` in
  ``{+1, -1}^{T_i}`` (units in order, ``sigma`` in ``itertools.product((1, -1))`` order), with
  ``a = sum_n e_n E_in c_in x_n`` (``c_in`` the slope of ``sigma_in`` at a tie, of the sign of
  ``w_i . x_n`` elsewhere):

  * ``z_i != 0``: ``lambda >= 0`` with ``sign(z_i) a = sum_k lambda_k sigma_k x_{T_i[k]}``
    (Farkas: no direction of that piece lowers the loss to first order);
  * ``z_i = 0``: ``a = 0``, or a ``gordan`` vector ``mu >= 0``, ``mu != 0`` with
    ``sum_k mu_k sigma_k x_{T_i[k]} = 0`` (the open piece is empty). Some piece is always open,
    so ``a = 0`` there also gives ``dL/dz_i = a . w_i = 0``.

  Together these are necessary and sufficient (proofs/nondifferentiable_minima.md). The
  certificate's ``pieces`` list must hold exactly one entry per derived obligation.
"""

import itertools
from fractions import Fraction
from typing import Any

from .network import Net
from .reader import (
    Malformed,
    Refused,
    Rejected,
    Work,
    array,
    obj,
    power_at_most,
    rational,
    show,
    vector,
)

THEOREM = "soudry_carmon/kink_point"


def _not_minimum(net: Net, Ws: list[Any], w: Any, work: Work) -> dict[str, Any]:
    obj(w, "/witness", ("direction",))
    Ds = net.weights(w["direction"], "/witness/direction", net.L + 1)
    work.charge(net.size * net.N * (net.L + 2) ** 2, "the loss along the direction")
    c = net.loss_along(Ws, Ds, "", one_sided=True)
    k = next((k for k in range(1, len(c)) if c[k]), None)
    if k is None or c[k] > 0:
        raise Rejected("the loss decreases along the direction for small t > 0",
                       "lowest nonzero c_k (k >= 1) negative",
                       "none" if k is None else f"c_{k} = {show(c[k])}")
    return {"order": k, "coefficient": c[k]}


def _pieces(net: Net, Ws: list[Any], w: Any, work: Work) -> int:
    """Every obligation of a one-hidden-layer local minimum with nonzero loss (docstring)."""
    W, z = Ws[0], Ws[1][0]
    d0, d1, N = net.d0, len(W), net.N
    cols = [[net.X[j][n] for j in range(d0)] for n in range(N)]
    U = [[sum((a * b for a, b in zip(W[i], cols[n])), Fraction(0)) for n in range(N)]
         for i in range(d1)]
    yhat = [sum((z[i] * net.E(1, i, n) * (U[i][n] if U[i][n] > 0 else net.rho * U[i][n])
                 for i in range(d1)), Fraction(0)) for n in range(N)]
    e = [a - b for a, b in zip(yhat, net.y)]
    ties = [[n for n in range(N) if U[i][n] == 0 and any(cols[n])] for i in range(d1)]
    total = 0
    for i, T in enumerate(ties):
        count = power_at_most(2, len(T), work.limit // (N * d0 * 4) + 1)
        if count is None:  # charged before a single piece is read
            raise Refused(f"unit {i}'s {len(T)} ties (2^{len(T)} pieces)",
                          2 ** min(len(T), 200) * N * d0 * 4, work.limit)
        total += count
    work.charge(total * N * d0 * 4, f"{total} pieces (one per unit and sign vector of its ties)")
    pieces = array(w["pieces"], "/witness/pieces")
    if len(pieces) != total:
        raise Rejected("one entry per piece (unit and sign vector of its ties)", total,
                       len(pieces))
    k = 0
    for i, T in enumerate(ties):
        for sigma in itertools.product((1, -1), repeat=len(T)):
            ptr = f"/witness/pieces/{k}"
            side = dict(zip(T, sigma))
            a = [Fraction(0)] * d0
            for n in range(N):
                s = side.get(n, (U[i][n] > 0) - (U[i][n] < 0))
                if s:
                    f = e[n] * net.E(1, i, n) * (1 if s > 0 else net.rho)
                    a = [v + f * x for v, x in zip(a, cols[n])]
            gens = [[s * x for x in cols[n]] for n, s in side.items()]
            if z[i] != 0:
                p = obj(pieces[k], ptr, ("lambda",))
                lam = vector(p["lambda"], f"{ptr}/lambda", len(T))
                if any(v < 0 for v in lam):
                    raise Rejected(f"unit {i}, piece {list(sigma)}: multipliers >= 0", ">= 0",
                                   min(lam))
                comb = [sum((m * g[j] for m, g in zip(lam, gens)), Fraction(0)) for j in range(d0)]
                target = [v if z[i] > 0 else -v for v in a]
                if comb != target:
                    raise Rejected(f"unit {i}, piece {list(sigma)}: sign(z_i) a in the cone of "
                                   "the tied points", [show(v) for v in target],
                                   [show(v) for v in comb])
            elif any(a):
                p = obj(pieces[k], ptr, ("gordan",))
                mu = vector(p["gordan"], f"{ptr}/gordan", len(T))
                comb = [sum((m * g[j] for m, g in zip(mu, gens)), Fraction(0)) for j in range(d0)]
                if any(v < 0 for v in mu) or not any(mu) or any(comb):
                    raise Rejected(f"unit {i} (z_i = 0), piece {list(sigma)}: a = 0 or the open "
                                   "piece is empty (mu >= 0, mu != 0, sum mu_k sigma_k x = 0)",
                                   "a = 0 or a Gordan certificate", [show(v) for v in a])
            else:
                obj(pieces[k], ptr, (), ("gordan",))
            k += 1
    return total


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement",
              ("theorem", "X", "y", "widths", "rho", "noise", "weights"))
    net = Net(raw, work)
    Ws = net.weights(raw["weights"], "/statement/weights", net.L + 1)
    work.announce(f"statement: {THEOREM}, widths {net.widths}, N = {net.N}: the point (kinks "
                  f"allowed) is {cert['verdict'].replace('_', ' ')}")
    info = {"theorem": THEOREM, "widths": net.widths, "N": net.N, "verdict": cert["verdict"]}
    if cert["verdict"] == "not_local_minimum":
        return {**info, **_not_minimum(net, Ws, cert["witness"], work)}
    if cert["verdict"] != "local_minimum":
        raise Malformed("/verdict", "expected 'local_minimum' or 'not_local_minimum'")
    w = obj(cert["witness"], "/witness", ("loss", "pieces"))
    loss = rational(w["loss"], "/witness/loss")
    value = net.loss_along(Ws, None, "", one_sided=True)[0]
    if value != loss:
        raise Rejected("loss (1/2)||yhat - y||^2", loss, value)
    if loss == 0:
        array(w["pieces"], "/witness/pieces", 0)
        return {**info, "loss": loss, "pieces": 0}
    if net.L != 1:
        raise Malformed("/statement/widths", "unsupported: a local minimum with nonzero loss at a "
                                             "kink is certified for one hidden layer only")
    return {**info, "loss": loss, "pieces": _pieces(net, Ws, w, work)}


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    if info["verdict"] == "not_local_minimum":
        what = (f"not a local minimum: for small t > 0 the loss changes by "
                f"{show(info['coefficient'])} t^{info['order']} + ...")
    elif info["pieces"] == 0:
        what = "a local minimum: its loss is 0, the global minimum"
    else:
        what = (f"a local minimum with loss {show(info['loss'])}: {info['pieces']} pieces "
                "certified (cone multipliers, vanishing derivatives or empty pieces)")
    return f"VERIFIED {info['verdict']}: the point is {what} ({elapsed:.3g} s)"
