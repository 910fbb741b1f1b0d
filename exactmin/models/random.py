"""Seeded random integer instances (general position guaranteed)."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from exactmin.arith import to_fraction, to_int
from exactmin.errors import InvalidInput
from exactmin.geometry import general_position_violation
from exactmin.models.instance import Instance

__all__ = ["random_instance"]


def random_instance(
    d0: int,
    d1: int,
    N: int,
    rho: object = "1/2",
    noise: bool = False,
    seed: int = 0,
    max_int: int = 5,
    general_position: bool = True,
) -> Instance:
    """A seeded random instance with integer data and labels in ``[-max_int, max_int]``.

    Parameters
    ----------
    d0, d1, N : int >= 1
    rho : rational slope on ``u < 0``
    noise : bool, draw a noise realization with entries ``k/10``, ``k`` uniform in 1..20
    seed : int
    max_int : int >= 1, bound on the absolute value of data and label entries
    general_position : bool, redraw X until every ``min(N, d0)`` columns are independent

    Examples
    --------
    >>> inst = random_instance(2, 2, 3, seed=1)
    >>> inst.d0, inst.d1, inst.N, inst == random_instance(2, 2, 3, seed=1)
    (2, 2, 3, True)
    """
    d0 = to_int(d0, "d0", minimum=1)
    d1 = to_int(d1, "d1", minimum=1)
    N = to_int(N, "N", minimum=1)
    max_int = to_int(max_int, "max_int", minimum=1)
    rho_q = to_fraction(rho, "rho")
    if general_position and math.comb(N, min(N, d0)) > 10**6:
        raise InvalidInput(
            f"guaranteeing general position for d0={d0}, N={N} means checking "
            f"{math.comb(N, min(N, d0))} minors; use smaller sizes"
        )
    rng = random.Random(seed)
    for _ in range(1000):
        X = [[Fraction(rng.randint(-max_int, max_int)) for _ in range(N)] for _ in range(d0)]
        if not general_position or general_position_violation(X) is None:
            break
    else:
        raise InvalidInput(
            f"no {d0} x {N} integer matrix in general position found with max_int={max_int}; "
            "use a larger max_int"
        )
    y = [Fraction(rng.randint(-max_int, max_int)) for _ in range(N)]
    E = None
    if noise:
        E = [[Fraction(rng.randint(1, 20), 10) for _ in range(N)] for _ in range(d1)]
    return Instance.from_lists(X, y, d1, rho_q, E)
