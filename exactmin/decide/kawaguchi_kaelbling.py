"""Kawaguchi & Kaelbling's exponential neuron, decided in rigorous ball arithmetic.

For a network of any depth with parameters ``theta`` (residual ``e = yhat - y``, loss ``L``),

    L~(theta, a, w, b) = (1/2) sum_n (yhat_n + a exp(w . x_n + b) - y_n)^2 + (lam / 2) a^2.

At ``a = 0``, ``L~ = L`` for every ``(w, b)``, and ``dL~/da = S(w, b) = sum_n e_n exp(w . x_n + b)``.
``exp`` of a rational is irrational: every quantity here is an ``arb`` ball containing the true
value, at a working precision raised until every sign a verdict depends on is decided. Whether
``S`` vanishes identically is decided exactly: ``S(w, b) = sum_q (sum_{w . x_n = q} e_n)
exp(q + b)``, and exponentials of distinct rationals are linearly independent over the algebraic
numbers (Lindemann-Weierstrass), so ``S(., b)`` is the zero function iff the residuals sum to 0 on
every group of equal inputs, and ``S(w, b) = 0`` iff they sum to 0 on every group of equal
``w . x_n``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from flint import arb

from exactmin.arith import dot
from exactmin.arith.balls import dyadic, enclosure, exact_ball, precision
from exactmin.arith.interval import Interval
from exactmin.models.deep import DeepInstance, DeepPoint, forward, gradient_matrices
from exactmin.protocol import ResultProtocol, keeps_inputs

__all__ = ["AugmentedReport", "Escape", "augmented_critical", "escape", "exact_zero_S"]

MAX_BITS = 4096


def _cols(inst: DeepInstance) -> list[tuple[Fraction, ...]]:
    return [tuple(row[n] for row in inst.X) for n in range(inst.N)]


def exact_zero_S(inst: DeepInstance, e: Sequence[Fraction], w: Sequence[Fraction] | None
                 ) -> bool:
    """Whether ``S(w, b) = 0`` exactly (``w`` given), or ``S(., b)`` is the zero function
    (``w`` None): the residuals sum to 0 on every group of equal ``w . x_n`` (of equal ``x_n``).

    >>> inst = DeepInstance.from_dict({"X": [[1, 1, 2]], "y": [0, 0, 0], "widths": [1, 1, 1],
    ...                                "rho": "1/2"})
    >>> exact_zero_S(inst, [Fraction(1), Fraction(-1), Fraction(0)], None)
    True
    """
    groups: dict[Any, Fraction] = {}
    for x, en in zip(_cols(inst), e):
        key = x if w is None else dot(w, x)
        groups[key] = groups.get(key, Fraction(0)) + en
    return not any(groups.values())


def _phi(cols: list[tuple[Fraction, ...]], w: Sequence[Fraction], b: Fraction) -> list[arb]:
    return [(exact_ball(dot(w, x) + b)).exp() for x in cols]


@dataclass(frozen=True)
class Escape(ResultProtocol):
    """Outcome of :func:`escape`.

    Attributes
    ----------
    verdict : ``"escape"`` (certified: ``(theta, 0, w, b)`` is not a local minimum of ``L~`` and
        ``escape_point`` has a lower value), ``"global_minimum"`` (loss 0: nothing escapes),
        ``"no_escape"`` (``S(., b)`` is the zero function: the residuals sum to zero on every
        group of equal inputs, so no exponential neuron changes the loss to first or second
        order; the prediction is already the per-input optimum), or ``"undecided"``
    original_loss : ``L(theta)``, exact
    a, w, b : the escape point's neuron (``theta`` unchanged), rationals
    S : enclosure of ``S(w_escape, b)``; ``S_start``: of ``S`` at the given ``(w, b)``
    decrease : enclosure of ``L~(escape) - L(theta)`` (``upper() < 0`` when certified)
    perturbed : whether ``w`` had to move because ``S(w, b) = 0`` there
    bits : working precision used
    """

    verdict: str
    original_loss: Fraction
    a: Fraction | None
    w: tuple[Fraction, ...]
    b: Fraction
    S: Interval | None
    S_start: Interval | None
    decrease: Interval | None
    perturbed: bool
    bits: int
    reason: str
    inputs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The exact JSON form (``eliminate --json``): enclosures as outward-rounded decimal
        ``[lo, hi]`` strings, the escape neuron's ``a, w, b`` as rationals (the network's
        weights are the caller's point)."""
        from exactmin.arith import fmt, fmt_vector
        return {"verdict": self.verdict, "original_loss": fmt(self.original_loss),
                "reason": self.reason, "perturbed": self.perturbed, "bits": self.bits,
                "S": None if self.S is None else self.S.to_strings(),
                "S_start": None if self.S_start is None else self.S_start.to_strings(),
                "decrease": None if self.decrease is None else self.decrease.to_strings(),
                "escape": None if self.a is None else {
                    "a": fmt(self.a), "w": fmt_vector(self.w), "b": fmt(self.b)}}

    def __repr__(self) -> str:
        return f"Escape({self.verdict}, loss {self.original_loss})"


def _step(x: arb, cap: Fraction) -> Fraction:
    """The ball's midpoint rounded down to two significant decimal digits (at most ``cap``).

    >>> _step(arb(0.0009637), Fraction(1, 1000))
    Fraction(3, 3125)
    """
    m = dyadic(x.mid())
    if m <= 0:
        return Fraction(0)
    if float(m) < 1e-300:  # beyond floats: the midpoint itself
        return min(cap, m)
    unit = Fraction(10) ** (math.floor(math.log10(m)) - 1)
    return min(cap, (m // unit) * unit or m)


@keeps_inputs
def escape(inst: DeepInstance, point: DeepPoint, lam: Fraction, w: Sequence[Fraction],
           b: Fraction, step: Fraction = Fraction(1, 1000), seed: int = 0) -> Escape:
    """Certify that ``(theta, a = 0, w, b)`` is not a local minimum of ``L~`` and give a rational
    escape point, following the proof: move ``a`` against the sign of ``S(w, b)`` (first
    perturbing ``w`` when ``S(w, b) = 0`` exactly).

    The escape point has ``a = -sign(S) t`` with ``t = min(step, |S| / (sum phi^2 + lam))``
    rounded toward 0, so ``L~ - L = a S + (a^2 / 2)(sum phi^2 + lam) <= -t |S| / 2 < 0``.

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[1, 2], [1, 1]], "y": [1, 2], "widths": [2, 1, 1],
    ...                                "rho": 0})
    >>> dead = DeepPoint.from_dict({"W": [[-1, -1]], "z": [1]}, inst)
    >>> out = escape(inst, dead, Fraction(1, 10), (Fraction(0), Fraction(0)), Fraction(0))
    >>> out.verdict, out.a, out.decrease < 0
    ('escape', Fraction(1, 1000), True)
    """
    fw = forward(inst, point)
    e = list(fw.e)
    w = tuple(Fraction(v) for v in w)
    if fw.loss == 0:
        return Escape("global_minimum", fw.loss, None, w, b, None, None, None, False, 0,
                      "zero loss: a global minimum of L and of L~ (a = 0); nothing escapes")
    if exact_zero_S(inst, e, None):
        return Escape("no_escape", fw.loss, None, w, b, None, None, None, False, 0,
                      "the residuals sum to 0 on every group of equal inputs: S(., b) is the "
                      "zero function, the prediction is already the per-input optimum")
    cols = _cols(inst)
    perturbed = False
    w_esc = w
    if exact_zero_S(inst, e, w):  # S(w, b) = 0 exactly: move w (S(., b) is not identically 0)
        w_esc, perturbed = _moved(inst, e, w, b, seed), True
    bits = 64
    while bits <= MAX_BITS:
        with precision(bits):
            phi = _phi(cols, w_esc, b)
            S = sum((exact_ball(en) * p for en, p in zip(e, phi)), arb(0))
            S0 = S if not perturbed else sum((exact_ball(en) * p for en, p in
                                              zip(e, _phi(cols, w, b))), arb(0))
            if S > 0 or S < 0:
                C = sum((p * p for p in phi), arb(0)) + exact_ball(lam)
                t = _step(abs(S) / C, step)
                a = -t if S > 0 else t
                A = exact_ball(a)
                decrease = A * S + A * A * C / 2
                if decrease < 0:
                    how = ("S(w, b) = 0 exactly, so w was moved first; " if perturbed else "")
                    return Escape("escape", fw.loss, a, w_esc, b, enclosure(S), enclosure(S0),
                                  enclosure(decrease), perturbed,
                                  bits, f"{how}dL~/da = S(w, b) != 0 at a = 0, so (theta, 0, w, "
                                  "b) is not a local minimum of L~; moving a against the sign "
                                  "of S lowers L~ below L(theta)")
        bits *= 2
    return Escape("undecided", fw.loss, None, w_esc, b, None, None, None, perturbed, bits // 2,
                  f"the sign of S or of the decrease was not decided at {MAX_BITS} bits")


def _moved(inst: DeepInstance, e: Sequence[Fraction], w: tuple[Fraction, ...], b: Fraction,
           seed: int) -> tuple[Fraction, ...]:
    """A nearby ``w'`` (each coordinate moved by at most 1/10) with ``S(w', b) != 0`` exactly;
    floats propose the one with the largest ``|S|`` among the axis moves and a few seeded
    random ones."""
    import math

    rng = random.Random(seed)
    d = len(w)
    moves = [tuple(Fraction(s * (j == k), 10) for k in range(d)) for j in range(d) for s in (1, -1)]
    moves += [tuple(Fraction(rng.randint(-10, 10), 100) for _ in range(d)) for _ in range(8)]
    cols = _cols(inst)
    best: tuple[float, tuple[Fraction, ...]] | None = None
    for u in moves:
        w2 = tuple(a + c for a, c in zip(w, u))
        if exact_zero_S(inst, e, w2):
            continue
        size = abs(sum(float(en) * math.exp(min(700.0, float(dot(w2, x) + b)))
                       for en, x in zip(e, cols)))
        if best is None or size > best[0]:
            best = (size, w2)
    while best is None:  # every candidate hit a zero: keep drawing (S is not identically 0)
        w2 = tuple(a + Fraction(rng.randint(-100, 100), 1000) for a in w)
        if not exact_zero_S(inst, e, w2):
            best = (0.0, w2)
    return best[1]


@dataclass(frozen=True)
class AugmentedReport:
    """Outcome of :func:`augmented_critical` on ``(theta, a, w, b)``.

    ``critical`` is True/False when decided (exactly, or by a ball excluding 0), None otherwise;
    ``gradient`` holds enclosures of every partial derivative (``theta`` layer by layer, then
    ``a``, ``w``, ``b``); ``a_times_S`` and ``S_plus_lam_a`` enclose the theorem's identities
    ``a * sum_n r_n phi_n`` and ``sum_n r_n phi_n + lam * a`` (``r = yhat + a phi - y``), both 0
    at a critical point, which forces ``a = 0``.
    """

    critical: bool | None
    reason: str
    augmented_loss: Interval
    gradient: dict[str, list[Interval]]
    a_times_S: Interval
    S_plus_lam_a: Interval
    bits: int


def augmented_critical(inst: DeepInstance, point: DeepPoint, lam: Fraction, a: Fraction,
                       w: Sequence[Fraction], b: Fraction) -> AugmentedReport:
    """Decide whether ``(theta, a, w, b)`` is a critical point of ``L~``.

    With ``a = 0`` the decision is exact: the ``w``/``b`` derivatives vanish, ``dL~/dtheta`` is
    the exact gradient of ``L``, and ``dL~/da = S(w, b)`` is 0 iff the residuals sum to 0 on
    every group of equal ``w . x_n`` (Lindemann-Weierstrass). With ``a != 0`` the point is never
    critical (``dL~/db = a sum r phi`` and ``dL~/da = sum r phi + lam a`` cannot both vanish),
    and a derivative whose ball excludes 0 is found by raising the precision.

    >>> inst = DeepInstance.from_dict({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1],
    ...                                "rho": "1/2"})
    >>> p = DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, inst)  # interpolates: zero loss
    >>> augmented_critical(inst, p, Fraction(1), Fraction(0), [Fraction(0)], Fraction(0)).critical
    True
    """
    fw = forward(inst, point)
    cols = _cols(inst)
    w = tuple(Fraction(v) for v in w)
    G = gradient_matrices(inst, point, fw)
    bits = 64
    while True:
        with precision(bits):
            phi = _phi(cols, w, b)
            A = exact_ball(a)
            r = [exact_ball(en) + A * p for en, p in zip(fw.e, phi)]
            sum_r_phi = sum((rn * p for rn, p in zip(r, phi)), arb(0))
            grad = {f"layer_{l}": [sum((exact_ball(g) * rn for g, rn in zip(row, r)), arb(0))
                                   for row in Gl] for l, Gl in enumerate(G, start=1)}
            grad["a"] = [sum_r_phi + exact_ball(lam) * A]
            grad["w"] = [A * sum((rn * p * exact_ball(x[j]) for rn, p, x in zip(r, phi, cols)),
                                 arb(0)) for j in range(len(w))]
            grad["b"] = [A * sum_r_phi]
            value = sum((rn * rn for rn in r), arb(0)) / 2 + exact_ball(lam) * A * A / 2
            nonzero = [k for k, vs in grad.items() for v in vs if v > 0 or v < 0]
            report = (enclosure(value), {k: [enclosure(v) for v in vs] for k, vs in grad.items()},
                      enclosure(A * sum_r_phi), enclosure(sum_r_phi + exact_ball(lam) * A), bits)
        if a == 0:
            theta_zero = all(v == 0 for Gl in G for v in
                             (dot(row, fw.e) for row in Gl))
            s_zero = exact_zero_S(inst, fw.e, w)
            critical = theta_zero and s_zero
            why = ("exact: a = 0, the gradient of L is " + ("zero" if theta_zero else "nonzero")
                   + " and S(w, b) is " + ("0 (residual sums vanish on every group of equal "
                                           "w . x_n)" if s_zero else "nonzero"))
            return AugmentedReport(critical, why, *report[:4], bits)
        if nonzero:
            return AugmentedReport(False, f"a != 0: the derivative(s) {sorted(set(nonzero))} "
                                   "exclude 0 (at a critical point a * S = 0 and S + lam a = 0 "
                                   "force a = 0)", *report[:4], bits)
        if bits >= MAX_BITS:
            return AugmentedReport(None, f"undecided at {MAX_BITS} bits", *report[:4], bits)
        bits *= 2
