"""Checkers for networks of any depth (docs/certificates/soudry_carmon/deep_point.md).

Theorem ``soudry_carmon/deep_point``: the point ``weights`` of the network of the statement
(``X, y, widths, rho, noise``; :mod:`.network`) is a local minimum (verdict ``local_minimum``,
with its loss) or is not one (``not_local_minimum``).

The one tool is the loss along a line on the point's piece: ``t -> loss(theta + t d)`` with
every slope fixed by the signs at ``t = 0``, an exact polynomial of degree ``2(L+1)``. At a
differentiable point (every pre-activation nonzero, except those identically zero nearby) it
equals the loss for small ``|t|``. Standard library only.
"""

from fractions import Fraction
from typing import Any

from .exact import echelon
from .network import Net
from .reader import Malformed, Rejected, Work, obj, rational, show

THEOREM = POINT = "soudry_carmon/deep_point"


def check_not_minimum(net: Net, Ws: list[Any], w: Any, work: Work) -> dict[str, Any]:
    """Along ``direction`` the loss on the piece is ``loss + c_k t^k + ...``: not a local minimum
    when the lowest nonzero ``c_k`` (k >= 1) has k odd or ``c_k < 0``."""
    obj(w, "/witness", ("direction",))
    Ds = net.weights(w["direction"], "/witness/direction", net.L + 1)
    work.charge(net.size * net.N * (net.L + 2) ** 2, "the loss along the direction")
    c = net.loss_along(Ws, Ds, "not a local minimum: a differentiable point")
    k = next((k for k in range(1, len(c)) if c[k]), None)
    if k is None or (k % 2 == 0 and c[k] > 0):
        raise Rejected("the loss decreases along the direction", "lowest nonzero c_k (k >= 1) "
                       "with k odd or c_k < 0", "none" if k is None else f"c_{k} = {show(c[k])}")
    return {"order": k, "coefficient": c[k]}


def check_minimum(net: Net, Ws: list[Any], w: Any, work: Work) -> dict[str, Any]:
    """``P e = 0`` (the prediction is the projection of y onto a space holding everything the
    piece reaches) and the piece unchanged on the box of radius ``box_radius``."""
    obj(w, "/witness", ("loss", "box_radius"))
    loss = rational(w["loss"], "/witness/loss")
    value = net.loss_along(Ws, None, "local minimum: a differentiable point")[0]
    if value != loss:
        raise Rejected("loss (1/2)||yhat - y||^2", loss, value)
    _projection(net, Ws, rational(w["box_radius"], "/witness/box_radius"), work)
    return {"loss": loss}


def _projection(net: Net, Ws: list[Any], r: Fraction, work: Work) -> None:
    """``P e = 0`` and every sign that matters kept on the box of radius r (hidden weights)."""
    if not r > 0:
        raise Rejected("box radius", "> 0", r)
    e, modes = [], [[list(net.X[j][n] for j in range(net.d0)) for n in range(net.N)]]
    for n in range(net.N):
        h, slopes = net.along(Ws, None, n, net.L, "local minimum: a differentiable point")
        e.append(sum((v * p[0] for v, p in zip(Ws[-1][0], h)), Fraction(0)) - net.y[n])
        for l, a in enumerate(slopes, start=1):
            if n == 0:
                modes.append([])
            modes[l].append(a)
        _box(net, Ws, slopes, n, r)
    work.charge(4 * net.N ** 3 * sum(net.widths[:-1]), "P e = 0 (one mode at a time)")
    if not rank_one_sum_is_zero(e, modes):
        raise Rejected("P e = 0", "zero vector", "a nonzero entry")


def rank_one_sum_is_zero(c: list[Fraction], modes: list[list[list[Fraction]]]) -> bool:
    """Whether ``sum_n c_n kron(modes[0][n], ..., modes[-1][n])`` is the zero tensor, without
    forming it (it has ``prod_l d_l`` entries): its slice at index ``j`` of the first mode is
    the same sum over the remaining modes with coefficients ``c_n v_n[j]``, and the sum is
    linear in ``c``, so it vanishes for every ``c`` in a set iff it does for a basis of its span
    (at most N vectors). After the last mode the sum is the scalar ``sum_n c_n``.

    >>> F = Fraction
    >>> rank_one_sum_is_zero([F(1), F(-1)], [[[F(1), F(2)], [F(1), F(2)]], [[F(3)], [F(3)]]])
    True
    >>> rank_one_sum_is_zero([F(1), F(-1)], [[[F(1), F(2)], [F(1), F(2)]], [[F(3)], [F(4)]]])
    False
    """
    span = echelon([c])
    for vectors in modes:
        span = echelon([[b[n] * v[j] for n, v in enumerate(vectors)]
                         for b in span for j in range(len(vectors[0]))])
        if not span:
            return True
    return all(sum(b) == 0 for b in span)


def _box(net: Net, Ws: list[Any], slopes: list[list[Fraction]], n: int, r: Fraction) -> None:
    """Interval bounds: hidden weights moved by at most r keep each u_l(n)'s sign (until h is
    identically zero)."""
    h = [net.X[j][n] for j in range(net.d0)]
    dev = [Fraction(0)] * len(h)
    for l in range(1, net.L + 1):
        if not any(h):
            return
        W = Ws[l - 1]
        u = [sum((v * x for v, x in zip(row, h)), Fraction(0)) for row in W]
        du = [sum((abs(v) * d + r * (abs(x) + d) for v, x, d in zip(row, h, dev)), Fraction(0))
              for row in W]
        for i in range(len(W)):
            if not du[i] < abs(u[i]):
                raise Rejected(f"box keeps the sign of u_{l}({n})[{i}]", f"> {du[i]}", abs(u[i]))
        h = [a * v for a, v in zip(slopes[l - 1], u)]
        dev = [abs(a) * d for a, d in zip(slopes[l - 1], du)]


def check_point(cert: dict[str, Any], work: Work) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement",
              ("theorem", "X", "y", "widths", "rho", "noise", "weights"))
    net = Net(raw, work)
    Ws = net.weights(raw["weights"], "/statement/weights", net.L + 1)
    work.announce(f"statement: {POINT}, widths {net.widths}, N = {net.N}: the point is "
                  f"{cert['verdict'].replace('_', ' ')}")
    info = {"theorem": POINT, "widths": net.widths, "N": net.N, "verdict": cert["verdict"]}
    if cert["verdict"] == "local_minimum":
        return {**info, **check_minimum(net, Ws, cert["witness"], work)}
    if cert["verdict"] == "not_local_minimum":
        return {**info, **check_not_minimum(net, Ws, cert["witness"], work)}
    raise Malformed("/verdict", "expected 'local_minimum' or 'not_local_minimum'")


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    """Check a deep-point certificate (envelope already read)."""
    return check_point(cert, work)


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    what = (f"a local minimum with loss {show(info['loss'])} (P e = 0 on a box)"
            if info["verdict"] == "local_minimum" else
            f"not a local minimum: along the direction the loss changes by "
            f"{show(info['coefficient'])} t^{info['order']} + ...")
    return f"VERIFIED {info['verdict']}: the point is {what} ({elapsed:.3g} s)"
