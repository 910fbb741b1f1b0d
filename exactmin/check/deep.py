"""Checkers for networks of any depth (docs/certificate-format.md, "Networks of any depth").

Two theorems, both about the network of the statement (``X, y, widths, rho, noise``):

- ``soudry_carmon/deep_point``: the point ``weights`` of the statement is a local minimum
  (verdict ``local_minimum``, with its loss) or is not one (``not_local_minimum``).
- ``soudry_carmon/restricted_no_bad_dlm``: with the lower layers ``W_1..W_{L-1}`` of the
  statement fixed, every DLM has zero loss (or not): the kernel computes the features
  ``h_{L-1}(n)`` itself and checks the one-hidden-layer certificate on them.

The one tool is the loss along a line on the point's piece: ``t -> loss(theta + t d)`` with
every slope fixed by the signs at ``t = 0``, an exact polynomial of degree ``2(L+1)``. At a
differentiable point (every pre-activation nonzero, except those identically zero nearby) it
equals the loss for small ``|t|``. Standard library only.
"""

from fractions import Fraction
from typing import Any

from . import census, soudry_carmon
from .exact import echelon
from .reader import Malformed, Rejected, Work, array, integer, matrix, obj, rational, show, vector

POINT = "soudry_carmon/deep_point"
RESTRICTED = "soudry_carmon/restricted_no_bad_dlm"
THEOREMS = (POINT, RESTRICTED)

Poly = list[Fraction]  # coefficients, constant first


def _add(p: Poly, q: Poly) -> Poly:
    if len(p) < len(q):
        p, q = q, p
    return [a + (q[k] if k < len(q) else 0) for k, a in enumerate(p)]


def _mul(p: Poly, q: Poly) -> Poly:
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return out


class Net:
    """The network of a statement: data, labels, widths, slope and noise, validated."""

    def __init__(self, raw: dict[str, Any], work: Work) -> None:
        ptr = "/statement"
        self.X = matrix(raw["X"], f"{ptr}/X")
        self.d0, self.N = len(self.X), len(self.X[0])
        self.y = vector(raw["y"], f"{ptr}/y", self.N)
        w = array(raw["widths"], f"{ptr}/widths")
        self.widths = [integer(v, f"{ptr}/widths/{k}", lo=1, hi=10**4) for k, v in enumerate(w)]
        if len(w) < 3 or self.widths[-1] != 1 or self.widths[0] != self.d0:
            raise Malformed(f"{ptr}/widths", f"expected [d0={self.d0}, d1, ..., dL, 1]")
        self.L = len(w) - 2
        self.size = sum(a * b for a, b in zip(self.widths, self.widths[1:]))
        work.charge(self.size * self.N, f"forward pass ({self.size} weights, N = {self.N})")
        self.rho = rational(raw["rho"], f"{ptr}/rho")
        if self.rho == 1:
            raise Malformed(f"{ptr}/rho", "rho = 1 is not a piecewise-linear activation")
        self.noise = None
        if raw["noise"] is not None:
            self.noise = [matrix(E, f"{ptr}/noise/{k}", self.widths[k + 1], self.N)
                          for k, E in enumerate(array(raw["noise"], f"{ptr}/noise", self.L))]
            for k, E in enumerate(self.noise):
                if any(v <= 0 for row in E for v in row):
                    raise Malformed(f"{ptr}/noise/{k}", "noise must be > 0")

    def E(self, l: int, i: int, n: int) -> Fraction:
        return Fraction(1) if self.noise is None else self.noise[l - 1][i][n]

    def weights(self, raw: Any, ptr: str, layers: int) -> list[list[list[Fraction]]]:
        return [matrix(W, f"{ptr}/{k}", self.widths[k + 1], self.widths[k])
                for k, W in enumerate(array(raw, ptr, layers))]

    def along(self, Ws: list[Any], Ds: list[Any] | None, n: int, layers: int,
              obligation: str) -> tuple[list[Poly], list[list[Fraction]]]:
        """``h_layers(n)`` as polynomials in t on the piece of ``Ws`` (``Ds = None``: constants),
        and the slopes ``a_l(n)``. Rejects a zero pre-activation that is not identically zero."""
        h: list[Poly] = [[x[n]] for x in self.X]
        dead = not any(self.X[j][n] for j in range(self.d0))
        slopes = []
        for l in range(1, layers + 1):
            W = Ws[l - 1]
            u = [[Fraction(0)] for _ in W]
            for i, row in enumerate(W):
                for j, v in enumerate(row):
                    line = [v] if Ds is None else [v, Ds[l - 1][i][j]]
                    u[i] = _add(u[i], _mul(line, h[j]))
            if not dead and any(p[0] == 0 for p in u):
                i = next(i for i, p in enumerate(u) if p[0] == 0)
                raise Rejected(obligation, f"u_{l}({n})[{i}] != 0 (a differentiable point)", 0)
            a = [self.E(l, i, n) * (1 if p[0] > 0 else self.rho) for i, p in enumerate(u)]
            slopes.append(a)
            h = [_mul([a[i]], p) for i, p in enumerate(u)]
            dead = dead or (self.rho == 0 and all(p[0] < 0 for p in u))
        return h, slopes

    def loss_along(self, Ws: list[Any], Ds: list[Any] | None, obligation: str) -> Poly:
        """``loss(theta + t d)`` on the piece of ``theta = Ws`` (constant when ``Ds`` is None)."""
        total: Poly = [Fraction(0)]
        for n in range(self.N):
            h, _ = self.along(Ws, Ds, n, self.L, obligation)
            out = [Fraction(-self.y[n])]
            for i, v in enumerate(Ws[-1][0]):
                line = [v] if Ds is None else [v, Ds[-1][0][i]]
                out = _add(out, _mul(line, h[i]))
            total = _add(total, [c / 2 for c in _mul(out, out)])
        return total


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


def check_restricted(cert: dict[str, Any], work: Work, workers: int | None) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement",
              ("theorem", "X", "y", "widths", "rho", "noise", "lower"))
    net = Net(raw, work)
    if net.L < 2:
        raise Malformed("/statement/widths", "a restricted census needs L >= 2 hidden layers")
    lower = net.weights(raw["lower"], "/statement/lower", net.L - 1)
    X = features(net, lower)
    kind = census if cert["verdict"] == "census" else soudry_carmon
    inner = {"theorem": kind.THEOREM, "X": X, "y": raw["y"], "d1": net.widths[-2],
             "rho": raw["rho"], "noise": None if raw["noise"] is None else raw["noise"][-1]}
    outer = work.announce  # one statement line: the restricted claim, then the features' problem
    work.announce = lambda line: outer(
        f"statement: {RESTRICTED}, widths {net.widths}, lower layers fixed; on their features "
        f"h_{{L-1}}(n): {line.removeprefix('statement: ')}")
    info = kind.check({**cert, "statement": inner}, work, workers)
    return {**info, "theorem": RESTRICTED, "inner": kind.THEOREM, "widths": net.widths}


def features(net: Net, lower: list[Any]) -> list[list[str]]:
    """``h_{L-1}(n)`` for the fixed lower layers (``f(0) = 0``), a d_{L-1} x N matrix of strings."""
    cols = []
    for n in range(net.N):
        h = [net.X[j][n] for j in range(net.d0)]
        for l, W in enumerate(lower, start=1):
            u = [sum((v * x for v, x in zip(row, h)), Fraction(0)) for row in W]
            h = [net.E(l, i, n) * (v if v > 0 else net.rho * v) for i, v in enumerate(u)]
        cols.append([str(v) for v in h])
    return [[cols[n][i] for n in range(net.N)] for i in range(net.widths[-3])]


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    """Check a deep-network certificate (envelope already read)."""
    if cert["statement"]["theorem"] == POINT:
        return check_point(cert, work)
    return check_restricted(cert, work, workers)
