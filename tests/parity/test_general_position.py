"""General position: the vectorized screen (determinants modulo a prime, exact check of the
survivors) against every subset's exact rank, on small data with many coincidences."""

import itertools
import random
from fractions import Fraction

from exactmin.geometry.arrangement import general_position_violation
from exactmin.linalg import rank


def _every_rank(X: list[list[Fraction]]) -> tuple[int, ...] | None:
    d0, N = len(X), len(X[0])
    k = min(N, d0)
    for s in itertools.combinations(range(N), k):
        if rank([[X[j][n] for n in s] for j in range(d0)]) < k:
            return s
    return None


def test_screened_general_position_equals_every_exact_rank() -> None:
    rng = random.Random(25)
    outcomes = set()
    for _ in range(150):
        d0, N = rng.choice([1, 2, 3]), rng.randint(13, 19)
        span = rng.choice([2, 4, 50])
        X = [[Fraction(rng.randint(-span, span), rng.randint(1, 3)) for _ in range(N)]
             for _ in range(d0)]
        got = general_position_violation(X)
        assert got == _every_rank(X), X
        outcomes.add(got is None)
    assert outcomes == {True, False}  # both answers occur
