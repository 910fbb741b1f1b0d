"""Complexity of the spherical p-spin glass (Auffinger, Ben Arous, Cerny), in arb balls.

The functions of docs/papers/choromanska.md (docs/conventions.md fixes the notation)::

    E_inf = 2 sqrt((p-1)/p)
    I1(u) = -(u / E_inf^2) sqrt(u^2 - E_inf^2) - log(-u + sqrt(u^2 - E_inf^2)) + log E_inf
    Theta_{k,p}(u) = log(p-1)/2 - (p-2)/(4(p-1)) u^2 - (k+1) I1(u)     for u <= -E_inf
                   = log(p-1)/2 - (p-2)/p                              for u >= -E_inf
    Theta_p(u)     = log(p-1)/2 - (p-2)/(4(p-1)) u^2 - I1(u)           for u <= -E_inf
                   = log(p-1)/2 - (p-2)/(4(p-1)) u^2                   for -E_inf <= u <= 0
                   = log(p-1)/2                                        for u >= 0

``Theta_{k,p}(u)`` is the exponential growth rate (in Lambda) of the mean number of critical
points of index k with energy ``H / Lambda`` below u; ``E_k`` is the root of
``Theta_{k,p}(-E) = 0`` with ``E > E_inf``. Every value is an arb ball (python-flint) that
contains the true value; inputs are exact rationals. :func:`threshold` returns ``E_k`` as an
interval with rational endpoints at which the sign change of ``Theta_{k,p}(-E)`` is verified in
ball arithmetic; the root is unique because ``Theta_{k,p}(-E)`` is strictly decreasing for
``E > E_inf`` (proofs/choromanska.md).

References
----------
A. Auffinger, G. Ben Arous, J. Cerny, "Random matrices and complexity of spin glasses", CPAM
66 (2013), Theorems 2.5 and 2.8. A. Choromanska et al., "The loss surfaces of multilayer
networks", AISTATS 2015, section 3.
"""

from __future__ import annotations

from fractions import Fraction

from flint import arb, ctx

from exactmin.arith import to_fraction
from exactmin.arith.balls import dyadic, exact_ball, precision
from exactmin.errors import InternalError, InvalidInput

__all__ = ["decimal_string", "dyadic", "e_inf", "i1", "interval_strings", "precision", "theta_kp",
           "theta_p", "threshold"]  # dyadic and precision re-exported from exactmin.arith.balls

Q = Fraction


def _check_p(p: int) -> int:
    if isinstance(p, bool) or not isinstance(p, int) or p < 3:
        raise InvalidInput(f"p={p!r} must be an integer >= 3 (the p-spin glass with p >= 3)")
    return p


def e_inf(p: int) -> arb:
    """``E_inf = 2 sqrt((p-1)/p)``.

    >>> from flint import arb
    >>> x = e_inf(3)
    >>> x.contains(2 * (arb(2) / 3).sqrt()) and abs(x - arb("1.63299316185545")) < 1e-13
    True
    """
    p = _check_p(p)
    return 2 * (arb(p - 1) / p).sqrt()


def _below_e_inf(u: Fraction, p: int) -> bool | None:
    """Whether ``u < -E_inf`` (True), ``u > -E_inf`` (False), undecided at this precision (None)."""
    e = e_inf(p)
    if exact_ball(u) < -e:
        return True
    if exact_ball(u) > -e:
        return False
    return None


def _decide(u: Fraction, p: int) -> bool:
    """``u < -E_inf``? (E_inf is irrational, so equality never happens; refine until decided.)"""
    bits = ctx.prec
    while True:
        with precision(bits):
            side = _below_e_inf(u, p)
        if side is not None:
            return side
        bits *= 2


def i1(u: object, p: int) -> arb:
    """The GOE large-deviation rate ``I1(u)`` for ``u <= -E_inf`` (an arb ball).

    >>> from fractions import Fraction
    >>> i1(-2, 3) > 0
    True
    """
    q = to_fraction(u, "u")
    if not _decide(q, p):
        raise InvalidInput(f"u={q} must be below -E_inf = -2 sqrt((p-1)/p) for I1")
    bits = ctx.prec
    while True:  # near -E_inf, u^2 - E_inf^2 needs more bits to be seen positive
        with precision(bits):
            e = e_inf(p)
            x = exact_ball(q)
            root = (x * x - e * e).sqrt()
            value = -(x / (e * e)) * root - (-x + root).log() + e.log()
        if value.is_finite():
            return +value  # rounded to the caller's precision
        bits *= 2


def theta_kp(u: object, k: int, p: int) -> arb:
    """``Theta_{k,p}(u)``: growth rate of critical points of index k below energy u.

    >>> abs(theta_kp(0, 0, 3) - (arb(2).log() / 2 - arb(1) / 3)) < 1e-15
    True
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InvalidInput(f"k={k!r} must be an integer >= 0 (an index)")
    q = to_fraction(u, "u")
    p = _check_p(p)
    if not _decide(q, p):
        return arb(p - 1).log() / 2 - arb(p - 2) / p
    x = exact_ball(q)
    return arb(p - 1).log() / 2 - arb(p - 2) / (4 * (p - 1)) * x * x - (k + 1) * i1(q, p)


def theta_p(u: object, p: int) -> arb:
    """``Theta_p(u)``: growth rate of all critical points below energy u.

    >>> abs(theta_p(1, 3) - arb(2).log() / 2) < 1e-15
    True
    """
    q = to_fraction(u, "u")
    p = _check_p(p)
    base = arb(p - 1).log() / 2
    if q >= 0:
        return base
    x = exact_ball(q)
    quad = base - arb(p - 2) / (4 * (p - 1)) * x * x
    return quad - i1(q, p) if _decide(q, p) else quad


def _sign_at(E: Fraction, k: int, p: int, bits: int) -> int:
    """Sign of ``Theta_{k,p}(-E)`` decided in arb at ``bits`` (0 when the ball contains 0)."""
    with precision(bits):
        value = theta_kp(-E, k, p)
    return 1 if value > 0 else -1 if value < 0 else 0


def threshold(k: int, p: int, digits: int = 30) -> tuple[Fraction, Fraction]:
    """``E_k`` as a rational interval ``[lo, hi]`` of width ``10^-digits``.

    Bisection on exact rationals; the result satisfies ``Theta_{k,p}(-lo) > 0`` and
    ``Theta_{k,p}(-hi) < 0``, both verified in ball arithmetic (precision raised until the
    balls exclude 0), and ``lo > E_inf``. With ``Theta_{k,p}(-E)`` continuous and strictly
    decreasing on ``(E_inf, oo)``, the root lies in ``(lo, hi)``.

    >>> lo, hi = threshold(0, 3, digits=6)
    >>> float(lo), float(hi)
    (1.656998, 1.656999)
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 1000:
        raise InvalidInput(f"digits={digits!r} must be an integer from 1 to 1000")
    p = _check_p(p)
    bits = max(64, int(digits * 3.33) + 32)
    scale = 10**digits
    with precision(bits):
        upper_e = e_inf(p).upper()
    lo = Fraction(_floor(dyadic(upper_e) * scale) + 1, scale)
    if _sign_at(lo, k, p, bits) <= 0:  # pragma: no cover - Theta_{k,p}(-E_inf) > 0 for p >= 3
        raise InternalError(f"Theta_{k},{p} is not positive just above E_inf")
    hi = lo + 1
    while _sign_at(hi, k, p, bits) >= 0:
        hi = 2 * hi
    while hi - lo > Fraction(1, scale):  # invariant: sign(lo) > 0 > sign(hi), certified
        mid = Fraction(round((lo + hi) / 2 * scale), scale)
        if mid in (lo, hi):
            mid = (lo + hi) / 2
        s, b = 0, bits
        while s == 0:
            s = _sign_at(mid, k, p, b)
            b *= 2
        lo, hi = (mid, hi) if s > 0 else (lo, mid)
    return lo, hi


def interval_strings(ball: arb, digits: int) -> list[str]:
    """A ball's enclosure as ``[lo, hi]`` decimal strings rounded outward to ``digits`` places.

    >>> interval_strings(arb(2).sqrt(), 5)
    ['1.41421', '1.41422']
    """
    scale = 10**digits
    lo = dyadic(ball.lower())
    hi = dyadic(ball.upper())
    return [decimal_string(Fraction(_floor(lo * scale), scale), digits),
            decimal_string(Fraction(-_floor(-hi * scale), scale), digits)]


def _floor(q: Fraction) -> int:
    return q.numerator // q.denominator


def decimal_string(q: Fraction, digits: int) -> str:
    """``q`` (a multiple of 10^-digits) as a decimal string with ``digits`` places."""
    n = q * 10**digits
    if n.denominator != 1:
        raise ValueError(f"{q} is not a multiple of 10^-{digits}")
    sign = "-" if n < 0 else ""
    s = str(abs(n.numerator)).rjust(digits + 1, "0")
    return f"{sign}{s[:-digits]}.{s[-digits:]}" if digits else f"{sign}{s}"
