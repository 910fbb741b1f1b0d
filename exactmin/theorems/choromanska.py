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
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import arb, fmpq

from exactmin.arith.balls import dyadic, precision
from exactmin.certificates import choromanska as _cert
from exactmin.errors import InvalidInput, TooExpensive
from exactmin.protocol import ResultProtocol, html_table
from exactmin.search.cost import refuse_if_too_long
from exactmin.search.progress import Progress, note
from exactmin.spinglass.complexity import decimal_string, e_inf, interval_strings, threshold
from exactmin.spinglass.homotopy import solve_lagrange
from exactmin.spinglass.krawczyk import Box, SymmetricTensor, certify_solution, morse_index
from exactmin.spinglass.tensor import SpinTensor
from exactmin.theorems.paper import Paper

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

    def __repr__(self) -> str:
        return (f"RealPoint(index {self.index}, energy in [{float(self.energy[0]):.12g}, "
                f"{float(self.energy[1]):.12g}])")

    def to_dict(self, digits: int = 15) -> dict[str, Any]:
        r = self.box.radius
        return {"w": [[decimal_string(_down(re - r, digits), digits),
                       decimal_string(_up(re + r, digits), digits)]
                      for re, _ in self.box.center[:-1]],
                "energy": [decimal_string(_down(self.energy[0], digits), digits),
                           decimal_string(_up(self.energy[1], digits), digits)],
                "index": self.index}


@dataclass(frozen=True)
class Enumeration(ResultProtocol):
    """Every certified solution of the Lagrange system of one tensor, and what is proved."""

    tensor: SpinTensor
    boxes: tuple[Box, ...]
    real_points: tuple[RealPoint, ...]
    complete: bool
    reason: str
    estimated_seconds: float | None = None  # the run's own estimate after its first seconds

    def __repr__(self) -> str:
        T = self.tensor
        return (f"Enumeration(p={T.p}, Lambda={T.Lam}: {self.complex_solutions} of "
                f"{T.generic_solutions} solutions certified, {len(self.real_points)} real, "
                f"{'complete' if self.complete else 'not proved complete'})")

    def _repr_html_(self) -> str:
        T = self.tensor
        return html_table(repr(self), [
            ("tensor", f"p = {T.p}, Lambda = {T.Lam}"),
            ("solutions certified", f"{self.complex_solutions} of {T.generic_solutions}"),
            ("real critical points", len(self.real_points)),
            ("complete", f"{self.complete} ({self.reason})")], str(self))

    @property
    def complex_solutions(self) -> int:
        return len(self.boxes)

    def certificate(self) -> dict[str, Any]:
        """The ``choromanska/critical_points`` certificate (docs/certificates/): every
        certified solution's ball, and energy and index of the real ones."""
        return critical_points_certificate(self)

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


CERTIFY_SECONDS = 0.02  # Krawczyk, Morse index and energy per solution, measured here (17-20 ms)
# Share of the homotopy's time spent when the mean path parameter t reaches a fraction: early
# steps are short (the step size starts at 0.01 and grows), so progress in t is slow at first.
# Measured here on p = 3, Lambda = 8 and 10 (the two curves agree within a few percent).
_SHARE = ((0.0, 0.0), (0.02, 0.025), (0.05, 0.085), (0.1, 0.235), (0.2, 0.375), (0.4, 0.545),
          (0.6, 0.665), (0.8, 0.795), (0.9, 0.875), (0.95, 0.91), (0.99, 0.96), (1.0, 1.0))


def _time_share(fraction: float) -> float:
    """The share of the homotopy's time spent at ``fraction`` of its progress (interpolated).

    >>> round(_time_share(0.1), 3), round(_time_share(0.3), 3)
    (0.235, 0.46)
    """
    for (f0, s0), (f1, s1) in zip(_SHARE, _SHARE[1:]):
        if fraction <= f1:
            return max(s0 + (s1 - s0) * (fraction - f0) / (f1 - f0), 1e-3)
    return 1.0


def _distinct_boxes(boxes: list[Box]) -> list[Box]:
    """The boxes in order, leaving out each one that is not disjoint from an earlier one kept.

    Sorted by the real part of the first coordinate, a box only needs comparing with kept boxes
    whose first coordinate is within the sum of the two largest balls (so this is near-linear,
    not quadratic, in the number of solutions)."""
    if not boxes:
        return []
    reach = 4 * max(b.radius for b in boxes)
    order = sorted(range(len(boxes)), key=lambda k: boxes[k].center[0][0])
    kept: list[int] = []
    window: list[int] = []  # kept boxes, by increasing real part of the first coordinate
    for k in order:
        x0 = boxes[k].center[0][0]
        window = [j for j in window if x0 - boxes[j].center[0][0] <= reach]
        if all(_disjoint(boxes[k], boxes[j]) for j in window):
            window.append(k)
            kept.append(k)
    return [boxes[k] for k in sorted(kept)]


def _disjoint(a: Box, b: Box) -> bool:
    """The |.|_1-balls of radius 2r (which contain the rectangles) are disjoint."""
    return any(abs(x[0] - y[0]) + abs(x[1] - y[1]) > 2 * (a.radius + b.radius)
               for x, y in zip(a.center, b.center))


MEASURE_AFTER = 2.0  # seconds of homotopy after which the whole run is estimated
MAX_PATHS = 2**20  # beyond this the start system alone does not fit in memory here


class _Stop(Exception):
    """The time budget ran out during the homotopy."""


def enumerate_critical_points(T: SpinTensor, seed: int = 0, attempts: int = 3, *,
                              budget: float | None = None, force: bool = False,
                              progress: bool = False) -> Enumeration:
    """All critical points of H on the sphere: found by homotopy, certified by Krawczyk.

    Parameters
    ----------
    T : SpinTensor
    seed : int
        Seed of the homotopy's random gamma (later attempts use seed + 1, ...).
    attempts : int
        Homotopy runs (with new gammas) while fewer than the generic number are certified.
    budget : float or None
        Seconds; when the homotopy runs past it the result lists no solutions, with
        ``complete`` False and the reason.
    force : bool
        Run even when the run, measured on its first seconds, is estimated above ten minutes
        (otherwise :class:`~exactmin.errors.TooExpensive` is raised with the estimate), or has
        more than ``MAX_PATHS`` homotopy paths.
    progress : bool
        A progress bar on stderr (fraction of the homotopy done, ETA) for runs over a second.

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
    paths = 2 * (T.p - 1) ** T.Lam
    if paths > MAX_PATHS and not force:
        raise TooExpensive(f"p={T.p}, Lambda={T.Lam} means {paths} homotopy paths, more than "
                           f"{MAX_PATHS} (the start system alone would not fit in memory here); "
                           "pass force=True to try anyway")
    S = SymmetricTensor(T)
    boxes: list[Box] = []
    start = time.perf_counter()
    estimates: list[float] = []  # the whole run's estimate, made once after MEASURE_AFTER s
    bar = Progress(1000, progress, unit="‰", desc="homotopy")

    def on_step(fraction: float) -> None:
        elapsed = time.perf_counter() - start
        bar.update(int(1000 * fraction))
        if budget is not None and elapsed > budget:
            raise _Stop
        if not force and elapsed > MEASURE_AFTER and fraction > 0:
            estimate = elapsed / _time_share(fraction) + CERTIFY_SECONDS * paths
            if not estimates:
                estimates.append(estimate)
                note(f"{paths} homotopy paths, {fraction:.1%} done after {elapsed:.1f} s: "
                     f"estimated at {estimate:.3g} s in all")
            if budget is None:
                refuse_if_too_long(estimate, f"p={T.p}, Lambda={T.Lam}: {paths} homotopy paths "
                                   f"(measured at {fraction:.1%} after {elapsed:.0f} s)")

    try:
        for attempt in range(max(1, attempts)):
            try:
                ends = solve_lagrange(S.floats, T.p, T.Lam, seed=seed + attempt, on_step=on_step)
            except _Stop:
                return Enumeration(T, (), (), False,
                                   f"the time budget of {budget:g} s ran out during the homotopy "
                                   "(no solution is listed)")
            new = [box for box in (certify_solution(S, T.Lam, x) for x in ends)
                   if box is not None]
            boxes = _distinct_boxes(boxes + new)
            if len(boxes) >= T.generic_solutions:
                break
    finally:
        bar.close()
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
    return Enumeration(T, tuple(boxes), tuple(real), complete, reason,
                       estimates[0] if estimates else None)


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
    """The certificate of an enumeration (docs/certificates/choromanska/critical_points.md); written by
    :func:`exactmin.certificates.choromanska.critical_points`."""
    from exactmin.certificates.choromanska import critical_points

    return critical_points(result.tensor, result.boxes, result.real_points, result.complete)


PAPER_INFO = Paper(
    id="choromanska", title="The loss surfaces of multilayer networks (spherical spin glass)",
    citation=CITATION, theorems=(_cert.THEOREM,), commands=("spinglass",),
    experiments=("choromanska",),
    example="05_spin_glass_critical_points.py", proof="choromanska.md", docs="choromanska.md",
    corpus=("choromanska",), properties="test_choromanska.py")
