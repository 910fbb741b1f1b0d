"""Public Hypothesis strategies for exact instances.

Sizes may be given as ints or as strategies of ints. Every strategy draws exact values
(Fractions), never floats.

Examples
--------
>>> from hypothesis import given, settings
>>> @settings(max_examples=5)
... @given(soudry_carmon_instances(max_d0=2, max_d1=2))
... def check(inst):
...     assert inst.N <= inst.d0 * inst.d1 and inst.noise is not None
>>> check()
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from exactmin.geometry import general_position_violation
from exactmin.models import Instance
from exactmin.models.deep import DeepInstance, DeepPoint

__all__ = ["data_matrices", "deep_instances", "deep_points", "instances", "rationals", "slopes",
           "soudry_carmon_instances"]


def _ints(value: Any) -> st.SearchStrategy[int]:
    return value if isinstance(value, st.SearchStrategy) else st.just(int(value))


def rationals(
    max_numerator: int = 5, max_denominator: int = 3, positive: bool = False
) -> st.SearchStrategy[Fraction]:
    """Fractions ``p/q`` with ``|p| <= max_numerator`` and ``1 <= q <= max_denominator``."""
    lo = 1 if positive else -max_numerator
    return st.builds(
        Fraction, st.integers(lo, max_numerator), st.integers(1, max_denominator)
    )


def slopes(leaky: bool | None = None) -> st.SearchStrategy[Fraction]:
    """Activation slopes ``rho != 1``: leaky (``rho not in {0, 1}``), ReLU (0), or either."""
    leaky_s = rationals(4, 4).filter(lambda q: q not in (0, 1))
    if leaky is True:
        return leaky_s
    if leaky is False:
        return st.just(Fraction(0))
    return st.one_of(st.just(Fraction(0)), leaky_s)


@st.composite
def data_matrices(
    draw: st.DrawFn, d0: Any, N: Any, max_int: int = 3, general_position: bool = False
) -> tuple[tuple[Fraction, ...], ...]:
    """Integer ``d0 x N`` data matrices (entries in ``[-max_int, max_int]``).

    With ``general_position`` every ``min(N, d0)`` columns are linearly independent.
    """
    d0_, N_ = draw(_ints(d0)), draw(_ints(N))
    entry = st.integers(-max_int, max_int).map(Fraction)
    matrix = st.lists(
        st.lists(entry, min_size=N_, max_size=N_).map(tuple), min_size=d0_, max_size=d0_
    ).map(tuple)
    if general_position:
        matrix = matrix.filter(lambda X: general_position_violation(X) is None)
    return draw(matrix)


@st.composite
def instances(
    draw: st.DrawFn,
    d0: Any = st.integers(1, 3),
    d1: Any = st.integers(1, 2),
    N: Any = st.integers(1, 4),
    leaky: bool | None = None,
    noise: bool | None = None,
    general_position: bool = False,
    max_int: int = 3,
    noise_entries: st.SearchStrategy[Fraction] | None = None,
) -> Instance:
    """Random exact instances; ``leaky``/``noise`` None means either.

    ``noise_entries`` draws each noise entry (default: ``p/q`` with ``1 <= p <= 9``,
    ``q <= 4``)."""
    d0_, d1_, N_ = draw(_ints(d0)), draw(_ints(d1)), draw(_ints(N))
    X = draw(data_matrices(d0_, N_, max_int=max_int, general_position=general_position))
    y = draw(st.lists(st.integers(-max_int, max_int).map(Fraction), min_size=N_, max_size=N_))
    rho = draw(slopes(leaky))
    with_noise = draw(st.booleans()) if noise is None else noise
    E = None
    if with_noise:
        entry_s = rationals(9, 4, positive=True) if noise_entries is None else noise_entries
        E = draw(
            st.lists(
                st.lists(entry_s, min_size=N_, max_size=N_),
                min_size=d1_, max_size=d1_,
            )
        )
    return Instance.from_lists(X, y, d1_, rho, E)


@st.composite
def soudry_carmon_instances(draw: st.DrawFn, max_d0: int = 3, max_d1: int = 2) -> Instance:
    """Instances meeting every Soudry-Carmon hypothesis: leaky, noisy, general position,
    ``N <= d0*d1``.

    The noise stands in for a draw from a continuous distribution: entries ``p/q`` with
    ``p, q`` uniform in ``1..10**6`` from a seeded pseudo-random generator. Only the seed is
    drawn (and shrunk) by Hypothesis, so shrinking cannot steer the realization onto the
    measure-zero set where the theorem is allowed to fail (equal rows, simple ratios)."""
    d0 = draw(st.integers(1, max_d0))
    d1 = draw(st.integers(1, max_d1))
    N = draw(st.integers(1, d0 * d1))
    inst = draw(instances(d0, d1, N, leaky=True, noise=False, general_position=True))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    noise = [
        [Fraction(rng.randint(1, 10**6), rng.randint(1, 10**6)) for _ in range(N)]
        for _ in range(d1)
    ]
    inst = inst.replace(noise=noise)
    return inst


@st.composite
def deep_instances(draw: st.DrawFn, depth: Any = st.integers(1, 3), max_width: int = 3,
                   N: Any = st.integers(1, 4), rho: st.SearchStrategy[Fraction] | None = None,
                   noise: bool = False) -> DeepInstance:
    """Networks of any depth: widths ``[d0, d1, ..., dL, 1]`` with ``L`` from ``depth`` and each
    width in ``1..max_width``, integer data, rational labels, optional positive noise per layer.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(deep_instances(depth=2))
    ... def check(inst):
    ...     assert inst.L == 2 and inst.widths[-1] == 1
    >>> check()
    """
    L = draw(_ints(depth))
    widths = [draw(st.integers(1, max_width)) for _ in range(L + 1)] + [1]
    N_ = draw(_ints(N))
    X = draw(data_matrices(widths[0], N_))
    y = tuple(draw(st.lists(rationals(), min_size=N_, max_size=N_)))
    E = None
    if noise:
        E = tuple(tuple(tuple(draw(st.lists(rationals(5, 3, positive=True), min_size=N_,
                                            max_size=N_))) for _ in range(widths[l]))
                  for l in range(1, L + 1))
    return DeepInstance(X=X, y=y, widths=tuple(widths),
                        rho=draw(slopes() if rho is None else rho), noise=E)


def deep_points(inst: DeepInstance, max_numerator: int = 3) -> st.SearchStrategy[DeepPoint]:
    """Rational weights ``(W_1, ..., W_L, w_out)`` of the right shapes for ``inst``."""
    w = inst.widths
    layers = [st.lists(st.lists(rationals(max_numerator, 2), min_size=w[l - 1],
                                max_size=w[l - 1]).map(tuple), min_size=w[l],
                       max_size=w[l]).map(tuple) for l in range(1, len(w))]
    return st.tuples(*layers).map(DeepPoint)
