"""Greedy shrinking of an instance while a property keeps holding (as Hypothesis shrinks).

Passes, repeated until nothing changes: drop a data point, drop a hidden unit, then simplify each
number of X and y (toward 0; smaller integers, smaller denominators). A change is kept only when
``keep(candidate)`` is still true. Noise entries are kept as drawn: simplifying a realization
(say, to all ones) would make it non-generic and hide the real reason for a counterexample.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Iterator

from exactmin.errors import InvalidInput
from exactmin.models import Instance

__all__ = ["shrink_instance", "simpler_numbers"]


def simpler_numbers(q: Fraction, target: int = 0) -> Iterator[Fraction]:
    """Candidates strictly simpler than ``q``, simplest first.

    >>> [str(c) for c in simpler_numbers(Fraction(-7, 2))]
    ['0', '-1', '1', '-3', '3', '-4', '4', '7/2']
    >>> list(simpler_numbers(Fraction(0)))
    []
    """
    seen = {q}
    out = [Fraction(target)]
    a = abs(q)
    sign = -1 if q < 0 else 1
    for m in (1, a.numerator // a.denominator, -(-a.numerator // a.denominator), a.numerator // 2):
        out += [Fraction(sign * m), Fraction(-sign * m)]
    if q.denominator > 1:
        out += [Fraction(abs(q.numerator), q.denominator)]
    for c in out:
        if c not in seen and _size(c) < _size(q):
            seen.add(c)
            yield c


def _size(q: Fraction) -> tuple[int, int]:
    return (abs(q.numerator) + q.denominator, int(q < 0))


def _try(keep: Callable[[Instance], bool], make: Callable[[], Instance]) -> Instance | None:
    try:
        cand = make()
    except InvalidInput:
        return None
    return cand if keep(cand) else None


def shrink_instance(
    instance: Instance, keep: Callable[[Instance], bool], max_rounds: int = 20
) -> Instance:
    """Return a smaller instance for which ``keep`` still holds (``keep(instance)`` must hold).

    Examples
    --------
    >>> inst = Instance.from_lists([[4, 1, 6], [2, 3, 9]], [5, -3, 2], d1=2, rho=0)
    >>> small = shrink_instance(inst, lambda c: c.N >= 2 and any(c.y))
    >>> small.N, small.d1, [str(v) for v in small.y]
    (2, 1, ['0', '1'])
    """
    cur = instance
    for _ in range(max_rounds):
        before = cur
        cur = _drop_points(cur, keep)
        cur = _drop_units(cur, keep)
        cur = _simplify_numbers(cur, keep)
        if cur == before:
            break
    return cur


def _drop_points(cur: Instance, keep: Callable[[Instance], bool]) -> Instance:
    n = 0
    while n < cur.N and cur.N > 1:
        def make(n: int = n, c: Instance = cur) -> Instance:
            cols = [k for k in range(c.N) if k != n]
            return c.replace(
                X=tuple(tuple(row[k] for k in cols) for row in c.X),
                y=tuple(c.y[k] for k in cols),
                noise=None if c.noise is None else tuple(tuple(r[k] for k in cols) for r in c.noise),
            )
        got = _try(keep, make)
        if got is not None:
            cur = got
        else:
            n += 1
    return cur


def _drop_units(cur: Instance, keep: Callable[[Instance], bool]) -> Instance:
    i = 0
    while i < cur.d1 and cur.d1 > 1:
        def make(i: int = i, c: Instance = cur) -> Instance:
            noise = None if c.noise is None else tuple(r for k, r in enumerate(c.noise) if k != i)
            return c.replace(d1=c.d1 - 1, noise=noise)
        got = _try(keep, make)
        if got is not None:
            cur = got
        else:
            i += 1
    return cur


def _simplify_numbers(cur: Instance, keep: Callable[[Instance], bool]) -> Instance:
    for field_name, target in (("X", 0), ("y", 0)):
        value = getattr(cur, field_name)
        matrix = field_name != "y"
        rows = len(value) if matrix else 1
        cols = len(value[0]) if matrix else len(value)
        for r in range(rows):
            for c in range(cols):
                old = getattr(cur, field_name)
                q = old[r][c] if matrix else old[c]
                for cand in simpler_numbers(q, target):
                    def make(cand: Fraction = cand, old=old, r: int = r, c: int = c) -> Instance:  # type: ignore[no-untyped-def]
                        if matrix:
                            new = tuple(
                                tuple(cand if (a, b) == (r, c) else x for b, x in enumerate(row))
                                for a, row in enumerate(old)
                            )
                        else:
                            new = tuple(cand if b == c else x for b, x in enumerate(old))
                        return cur.replace(**{field_name: new})
                    got = _try(keep, make)
                    if got is not None:
                        cur = got
                        break
    return cur
