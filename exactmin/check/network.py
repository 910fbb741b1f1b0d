"""The network of a statement of any depth, for the deep-point, Kawaguchi-Kaelbling and Milne
checkers: data, labels, widths, slope and noise read and validated, the forward pass, and the
loss along a line on the point's piece as an exact polynomial in ``t``. Standard library only.
"""

from fractions import Fraction
from typing import Any

from .reader import Malformed, Rejected, Work, array, integer, matrix, rational, vector

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


def _side(p: Poly) -> int:
    """The sign of ``p(t)`` for small ``t > 0`` (0 when ``p`` is identically zero)."""
    c = next((c for c in p if c), Fraction(0))
    return (c > 0) - (c < 0)


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
              obligation: str, one_sided: bool = False) -> tuple[list[Poly], list[list[Fraction]]]:
        """``h_layers(n)`` as polynomials in t on the piece of ``Ws`` (``Ds = None``: constants),
        and the slopes ``a_l(n)``. Rejects a zero pre-activation that is not identically zero,
        unless ``one_sided``: then each slope is the one of small ``t > 0`` (the sign of the
        lowest nonzero coefficient), exact on ``[0, t0]`` for some ``t0 > 0``."""
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
            if not dead and not one_sided and any(p[0] == 0 for p in u):
                i = next(i for i, p in enumerate(u) if p[0] == 0)
                raise Rejected(obligation, f"u_{l}({n})[{i}] != 0 (a differentiable point)", 0)
            a = [self.E(l, i, n) * (1 if _side(p) > 0 else self.rho) for i, p in enumerate(u)]
            slopes.append(a)
            h = [_mul([a[i]], p) for i, p in enumerate(u)]
            dead = dead or (self.rho == 0 and all(p[0] < 0 for p in u))
        return h, slopes

    def loss_along(self, Ws: list[Any], Ds: list[Any] | None, obligation: str,
                   one_sided: bool = False) -> Poly:
        """``loss(theta + t d)`` on the piece of ``theta = Ws`` (constant when ``Ds`` is None);
        ``one_sided``: for small ``t >= 0`` at any point, kinks included."""
        total: Poly = [Fraction(0)]
        for n in range(self.N):
            h, _ = self.along(Ws, Ds, n, self.L, obligation, one_sided)
            out = [Fraction(-self.y[n])]
            for i, v in enumerate(Ws[-1][0]):
                line = [v] if Ds is None else [v, Ds[-1][0][i]]
                out = _add(out, _mul(line, h[i]))
            total = _add(total, [c / 2 for c in _mul(out, out)])
        return total

    def outputs(self, Ws: list[Any], n: int, layers: int) -> list[Fraction]:
        """``h_layers(n)`` at the point ``Ws`` (``f(0) = 0``: no differentiability needed)."""
        h = [self.X[j][n] for j in range(self.d0)]
        for l, W in enumerate(Ws[:layers], start=1):
            u = [sum((v * x for v, x in zip(row, h)), Fraction(0)) for row in W]
            h = [self.E(l, i, n) * (v if v > 0 else self.rho * v) for i, v in enumerate(u)]
        return h
