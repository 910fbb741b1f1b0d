"""Choromanska, Henaff, Mathieu, Ben Arous, LeCun 2015, "The loss surfaces of multilayer
networks" (arXiv:1412.0233): the spherical p-spin glass model of a deep network's loss.

Checked here, rigorously (THEORY.md section 4; docs/conventions.md for the conventions):

- the complexity constants ``E_inf``, ``E_k`` of Auffinger-Ben Arous-Cerny that bound the band
  ``(-E_0, -E_inf)`` where low-index critical energies ``H / Lambda`` concentrate
  (:func:`constants`, arb balls and certified sign changes).

The paper's evidence is floating-point simulation; here every constant is an interval proved to
contain the true value.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from exactmin.errors import InvalidInput
from exactmin.spinglass.complexity import (
    decimal_string,
    e_inf,
    interval_strings,
    precision,
    threshold,
)

__all__ = ["CITATION", "constants"]

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
