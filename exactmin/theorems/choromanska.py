"""Choromanska, Henaff, Mathieu, Ben Arous, LeCun 2015, "The loss surfaces of multilayer
networks" (arXiv:1412.0233): the spherical p-spin glass model of a deep network's loss.

Checked here, rigorously (docs/papers/choromanska.md; docs/conventions.md for the conventions):

- the complexity constants ``E_inf``, ``E_k`` of Auffinger-Ben Arous-Cerny that bound the band
  ``(-E_0, -E_inf)`` where low-index critical energies ``H / Lambda`` concentrate
  (:func:`constants`, arb balls and certified sign changes);
- on small instances, every critical point of ``H`` on the sphere, each certified by a Krawczyk
  test, with energy intervals and rigorous Morse indices, and a proof that the list is complete
  (:func:`enumerate_critical_points`).

The paper's evidence is floating-point simulation; here every constant is an interval proved to
contain the true value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import arb, fmpq

from exactmin.arith.balls import dyadic, precision
from exactmin.errors import InvalidInput
from exactmin.spinglass.complexity import decimal_string, e_inf, interval_strings, threshold
from exactmin.spinglass.homotopy import solve_lagrange
from exactmin.spinglass.krawczyk import Box, SymmetricTensor, certify_solution, morse_index
from exactmin.spinglass.tensor import SpinTensor

__all__ = ["CITATION", "Enumeration", "RealPoint", "constants", "critical_points_certificate",
           "enumerate_critical_points"]

CITATION = ("A. Choromanska, M. Henaff, M. Mathieu, G. Ben Arous, Y. LeCun. The loss surfaces of "
            "multilayer networks. AISTATS 2015, arXiv:1412.0233. Constants from A. Auffinger, "
            "G. Ben Arous, J. Cerny, Random matrices and complexity of spin glasses, CPAM 2013.")


def constants(p: int = 3, k_max: int = 5, digits: int = 30) -> dict[str, Any]:
    """Rigorous intervals for ``E_inf`` and ``E_0 .. E_{k_max}`` of the spherical p-spin glass.

    Parameters
    ----------
    p : int, >= 3
    k_max : int, >= 0
    digits : int
        Decimal places of the interval endpoints (each interval has width <= 10^-digits).

    Returns
    -------
    dict
        ``{"p", "digits", "E_inf": [lo, hi], "E": [[lo, hi] for k = 0..k_max]}`` with decimal
        strings; ``E_inf`` is enclosed in ball arithmetic and rounded outward, each ``E_k`` has
        ``Theta_{k,p}(-lo) > 0 > Theta_{k,p}(-hi)`` verified in ball arithmetic.

    Examples
    --------
    >>> c = constants(3, k_max=1, digits=5)
    >>> c["E_inf"], c["E"]
    (['1.63299', '1.63300'], [['1.65699', '1.65700'], ['1.65287', '1.65288']])
    """
    if isinstance(k_max, bool) or not isinstance(k_max, int) or not 0 <= k_max <= 1000:
        raise InvalidInput(f"k_max={k_max!r} must be an integer from 0 to 1000")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 1000:
        raise InvalidInput(f"digits={digits!r} must be an integer from 1 to 1000")
    with precision(max(64, int(digits * 3.33) + 32)):
        e = interval_strings(e_inf(p), digits)
    out = []
    for k in range(k_max + 1):
        lo, hi = threshold(k, p, digits)
        out.append([decimal_string(_down(lo, digits), digits),
                    decimal_string(_up(hi, digits), digits)])
    return {"p": p, "digits": digits, "E_inf": e, "E": out}


def _down(q: Fraction, digits: int) -> Fraction:
    """``q`` rounded down to a multiple of ``10^-digits``."""
    return Fraction(math.floor(q * 10**digits), 10**digits)


def _up(q: Fraction, digits: int) -> Fraction:
    """``q`` rounded up to a multiple of ``10^-digits``."""
    return Fraction(math.ceil(q * 10**digits), 10**digits)


# --------------------------------------------------------------------------- critical points
@dataclass(frozen=True)
class RealPoint:
    """A certified real critical point: its box, energy ``H / Lambda`` and Morse index."""

    box: Box
    energy: tuple[Fraction, Fraction]
    index: int

    def to_dict(self, digits: int = 15) -> dict[str, Any]:
        r = self.box.radius
        return {"w": [[decimal_string(_down(re - r, digits), digits),
                       decimal_string(_up(re + r, digits), digits)]
                      for re, _ in self.box.center[:-1]],
                "energy": [decimal_string(_down(self.energy[0], digits), digits),
                           decimal_string(_up(self.energy[1], digits), digits)],
                "index": self.index}


@dataclass(frozen=True)
class Enumeration:
    """Every certified solution of the Lagrange system of one tensor, and what is proved."""

    tensor: SpinTensor
    boxes: tuple[Box, ...]
    real_points: tuple[RealPoint, ...]
    complete: bool
    reason: str

    @property
    def complex_solutions(self) -> int:
        return len(self.boxes)

    @property
    def euler_sum(self) -> int:
        """``sum (-1)^index`` over the real critical points (Morse: the Euler characteristic of
        the sphere S^(Lambda-1), ``1 + (-1)^(Lambda-1)``, when the list is complete)."""
        return sum((-1) ** pt.index for pt in self.real_points)

    def to_dict(self) -> dict[str, Any]:
        T = self.tensor
        return {"p": T.p, "Lambda": T.Lam, "complex_solutions": self.complex_solutions,
                "generic_solutions": T.generic_solutions, "complete": self.complete,
                "completeness": self.reason,
                "euler_characteristic": {"sum_over_real_points": self.euler_sum,
                                         "sphere": 1 + (-1) ** (T.Lam - 1)},
                "real_points": [pt.to_dict() for pt in self.real_points]}


def _disjoint(a: Box, b: Box) -> bool:
    """The |.|_1-balls of radius 2r (which contain the rectangles) are disjoint."""
    return any(abs(x[0] - y[0]) + abs(x[1] - y[1]) > 2 * (a.radius + b.radius)
               for x, y in zip(a.center, b.center))


def enumerate_critical_points(T: SpinTensor, seed: int = 0, attempts: int = 3) -> Enumeration:
    """All critical points of H on the sphere: found by homotopy, certified by Krawczyk.

    Parameters
    ----------
    T : SpinTensor
    seed : int
        Seed of the homotopy's random gamma (later attempts use seed + 1, ...).
    attempts : int
        Homotopy runs (with new gammas) while fewer than the generic number are certified.

    Returns
    -------
    Enumeration
        ``complete`` is True only when the certified count reaches the generic count and the
        completeness theorem applies (p = 3: Bezout's bound 2^(Lambda+1) for the homogenized
        system minus the point at infinity ``(w, lam, t) = (0, 1, 0)`` of multiplicity 2,
        proofs/choromanska.md); ``reason`` says what is proved or missing.

    Examples
    --------
    >>> from exactmin.spinglass import random_tensor
    >>> e = enumerate_critical_points(random_tensor(3, 2, seed=0))
    >>> e.complex_solutions, e.tensor.generic_solutions, e.complete, len(e.real_points)
    (6, 6, True, 6)
    >>> e.euler_sum  # the Euler characteristic of the circle
    0
    """
    S = SymmetricTensor(T)
    boxes: list[Box] = []
    for attempt in range(max(1, attempts)):
        for x in solve_lagrange(S.floats, T.p, T.Lam, seed=seed + attempt):
            box = certify_solution(S, T.Lam, x)
            if box is not None and all(_disjoint(box, b) for b in boxes):
                boxes.append(box)
        if len(boxes) >= T.generic_solutions:
            break
    boxes.sort(key=lambda b: tuple(b.center))
    real = []
    undecided = []
    for box in boxes:
        if box.real:
            try:
                index = morse_index(S, T.Lam, box)
            except ArithmeticError:  # the box is too wide for the Hessian's smallest eigenvalue
                undecided.append(box)
                continue
            lo, hi = _energy_interval(S, T, box)
            real.append(RealPoint(box, (lo, hi), index))
    real.sort(key=lambda pt: pt.energy)
    count, generic = len(boxes), T.generic_solutions
    if undecided:  # listed solutions must all carry their facts; these are left out
        boxes = [b for b in boxes if b not in undecided]
        reason = (f"{count} solutions certified, but the Morse index of {len(undecided)} real "
                  "one(s) was not decided (their boxes are too wide); they are left out of the "
                  "list, which is therefore not complete")
        complete = False
    elif T.p == 3 and count == generic:
        reason = (f"proved: {count} distinct simple solutions certified; with the point at "
                  f"infinity (multiplicity 2) they exhaust Bezout's bound 2^{T.Lam + 1} for the "
                  "homogenized Lagrange system, so there are no others (proofs/choromanska.md)")
        complete = True
    elif count == generic:
        reason = (f"{count} solutions certified (the generic count), but the completeness "
                  f"argument is proved for p = 3 only (p = {T.p})")
        complete = False
    else:
        reason = (f"{count} of the generic {generic} solutions certified: the tensor may be "
                  "non-generic or homotopy paths failed; not proved complete")
        complete = False
    return Enumeration(T, tuple(boxes), tuple(real), complete, reason)


def _energy_interval(S: SymmetricTensor, T: SpinTensor, box: Box) -> tuple[Fraction, Fraction]:
    """An interval for ``H(w*) / Lambda`` valid on the whole certificate ball (|.|_1-radius
    ``rho = 2 r``, so also complex points): ``F(c) +- p rho (max|c| + rho)^(p-1) sum|S|`` (a
    majorant of ``|F(x) - F(c)|``), scaled by ``Lambda^(-(p-1)/2) / Lambda`` in arb and rounded
    outward. Wider than necessary, so any sound re-check encloses less."""
    n, p = T.Lam, T.p
    rho = 2 * box.radius
    c = [re for re, _ in box.center[:n]]
    Fc = sum((s * math.prod(c[k] for k in idx) for idx, s in S.exact.items()), Fraction(0))
    A = max(abs(v) for v in c) + rho
    W = 2 * p * rho * A ** (p - 1) * sum(abs(s) for s in S.exact.values())
    with precision(256):
        scale = arb(n) ** (arb(p - 1) / 2) * n
        lo = (arb(fmpq((Fc - W).numerator, (Fc - W).denominator)) / scale).lower()
        hi = (arb(fmpq((Fc + W).numerator, (Fc + W).denominator)) / scale).upper()
    return dyadic(lo), dyadic(hi)


def critical_points_certificate(result: Enumeration) -> dict[str, Any]:
    """The certificate of an enumeration (docs/certificate-format.md, "Spin glass"); written by
    :func:`exactmin.certificates.choromanska.critical_points`."""
    from exactmin.certificates.choromanska import critical_points

    return critical_points(result.tensor, result.boxes, result.real_points, result.complete)
