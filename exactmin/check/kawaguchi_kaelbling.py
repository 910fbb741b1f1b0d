"""Checker for ``kawaguchi_kaelbling/escape`` (docs/certificates/kawaguchi_kaelbling/escape.md).

Statement: a network of any depth (as for ``soudry_carmon/deep_point``), its weights ``theta``,
``lam > 0`` and a neuron ``(w, b)``. Claim: ``(theta, a = 0, w, b)`` is not a local minimum of

    L~ = (1/2) sum_n (yhat_n + a exp(w . x_n + b) - y_n)^2 + (lam / 2) a^2.

Witness: an escape neuron ``(a, w')`` and a rounding precision ``bits``. The kernel bounds every
``exp`` itself (below), then requires

1. ``S(w', b) = sum_n e_n exp(w' . x_n + b)`` to exclude 0. Then ``S(., b)`` is a nonzero real
   analytic function, so every neighbourhood of ``w`` holds ``w''`` with ``S(w'', b) != 0``; at
   ``(theta, 0, w'', b)`` (where ``L~ = L(theta)``, as at the statement's point) the derivative
   in ``a`` is ``S(w'', b) != 0``, so ``L~`` takes smaller values arbitrarily close to the
   statement's point: not a local minimum.
2. ``L~(theta, a, w', b) - L(theta) = a S + (a^2 / 2)(sum_n exp(.)^2 + lam) < 0``: the escape
   point itself is lower (a demonstration, not needed for 1).

``exp`` of a rational (a negative one as ``1 / exp(-q)``): halve the argument ``k`` times until
it is at most 1/2, round it outward to ``prec = bits + k + 8`` binary digits (``exp`` is
increasing), sum the Taylor series at the lower and the upper end with every term rounded
down and up to ``prec`` digits, add ``2 t_m`` for the tail to the upper sum (the tail is
dominated by a geometric series of ratio 1/2), and square ``k`` times, rounding outward each
time (squaring is monotone on positive numbers). Every number stays a ``prec``-digit dyadic,
so the cost does not depend on the argument's digits. Standard library only.
"""

from fractions import Fraction
from typing import Any

from .network import Net
from .reader import Malformed, Rejected, Work, integer, obj, rational, sci, show, vector

THEOREM = "kawaguchi_kaelbling/escape"
MAX_EXPONENT = 10**4

Interval = tuple[Fraction, Fraction]


def _down(q: Fraction, bits: int) -> Fraction:
    return Fraction((q.numerator << bits) // q.denominator, 1 << bits)


def _up(q: Fraction, bits: int) -> Fraction:
    return Fraction(-((-q.numerator << bits) // q.denominator), 1 << bits)


def exp_bounds(q: Fraction, bits: int) -> Interval:
    """Rationals ``lo <= exp(q) <= hi`` (module docstring).

    >>> lo, hi = exp_bounds(Fraction(1), 64)
    >>> lo < Fraction(271828182845904523536, 10**20) < hi, float(hi - lo) < 1e-15
    (True, True)
    """
    if q < 0:  # exp(q) = 1 / exp(-q): keeps the relative precision of tiny values
        lo, hi = exp_bounds(-q, bits)
        return 1 / hi, 1 / lo
    k, r = 0, q
    while r > Fraction(1, 2):
        r, k = r / 2, k + 1
    prec = bits + k + 8
    rlo, rhi = _down(r, prec), _up(r, prec)  # 0 <= rlo <= r <= rhi <= 1/2
    tlo = thi = Fraction(1)  # rlo^m / m! rounded down, rhi^m / m! rounded up
    lo = hi = Fraction(0)
    m = 0
    while True:
        lo, hi = lo + tlo, hi + thi
        m += 1
        tlo, thi = _down(tlo * rlo / m, prec), _up(thi * rhi / m, prec)
        if thi <= Fraction(1, 1 << prec):  # one unit in the last place (or zero)
            break
    hi += 2 * thi  # the tail from term m on is at most twice that term (rhi <= 1/2)
    for _ in range(k):
        lo, hi = _down(lo * lo, prec), _up(hi * hi, prec)
    return lo, hi


def _mul(x: Interval, y: Interval) -> Interval:
    products = [a * b for a in x for b in y]
    return min(products), max(products)


def _add(x: Interval, y: Interval) -> Interval:
    return x[0] + y[0], x[1] + y[1]


def _predictions(net: Net, Ws: list[Any]) -> list[Fraction]:
    return [sum((v * x for v, x in zip(Ws[-1][0], net.outputs(Ws, n, net.L))), Fraction(0))
            for n in range(net.N)]


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement",
              ("theorem", "X", "y", "widths", "rho", "noise", "weights", "lam", "w", "b"))
    net = Net(raw, work)
    Ws = net.weights(raw["weights"], "/statement/weights", net.L + 1)
    lam = rational(raw["lam"], "/statement/lam")
    if not lam > 0:
        raise Malformed("/statement/lam", "lam must be > 0")
    vector(raw["w"], "/statement/w", net.d0)
    b = rational(raw["b"], "/statement/b")
    work.announce(f"statement: {THEOREM}, widths {net.widths}, N = {net.N}, lam = {show(lam)}: "
                  "(theta, a = 0, w, b) is not a local minimum of the augmented loss")
    if cert["verdict"] != "not_local_minimum":
        raise Malformed("/verdict", "expected 'not_local_minimum'")
    wit = obj(cert["witness"], "/witness", ("a", "w", "bits"))
    a = rational(wit["a"], "/witness/a")
    w2 = vector(wit["w"], "/witness/w", net.d0)
    bits = integer(wit["bits"], "/witness/bits", 16, 4096)
    cols = [[net.X[j][n] for j in range(net.d0)] for n in range(net.N)]
    qs = [sum((v * x for v, x in zip(w2, c)), Fraction(0)) + b for c in cols]
    if any(abs(q) > MAX_EXPONENT for q in qs):
        raise Malformed("/witness/w", f"an exponent w'.x_n + b beyond +-{MAX_EXPONENT}")
    work.charge(net.N * (bits + 64) * (bits + 64) // 64 + net.size * net.N, "exp bounds")
    e = [p - t for p, t in zip(_predictions(net, Ws), net.y)]
    phi = [exp_bounds(q, bits) for q in qs]
    S: Interval = (Fraction(0), Fraction(0))
    sq: Interval = (lam, lam)
    for en, p in zip(e, phi):
        S = _add(S, _mul((en, en), p))
        sq = _add(sq, _mul(p, p))
    if S[0] <= 0 <= S[1]:
        raise Rejected("S(w', b) != 0", "an enclosure excluding 0", list(S))
    decrease = _add(_mul((a, a), S), _mul((a * a / 2, a * a / 2), sq))
    if not decrease[1] < 0:
        raise Rejected("L~(escape) - L(theta) < 0", "upper bound < 0", decrease[1])
    return {"theorem": THEOREM, "verdict": "not_local_minimum", "widths": net.widths,
            "N": net.N, "S": list(S), "decrease": list(decrease)}


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    S, d = info["S"], info["decrease"]
    return (f"VERIFIED not_local_minimum: (theta, a = 0, w, b) is not a local minimum of the "
            f"augmented loss: S(w', b) in [{sci(S[0])}, {sci(S[1])}] excludes 0, and the escape "
            f"point lowers it by [{sci(-d[1])}, {sci(-d[0])}] ({elapsed:.3g} s)")
