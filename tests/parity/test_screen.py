"""The census's compiled screen (:mod:`exactmin.search.screen`) against the integer region
decision it stands in for, region by region, and whole censuses with and without it."""

import json

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, certify, random_instance
from exactmin.decide import RegionDecider
from exactmin.geometry import enumerate_regions
from exactmin.search import parallel
from exactmin.search.parallel import orderings, tuple_count, tuple_range
from exactmin.search.screen import PRIMES, ScreenTable, screen_range
from exactmin.strategies import instances

pytestmark = pytest.mark.infrastructure  # numba compilation (pyproject.toml, markers)

# Small primes divide minors and Gram determinants often (tiny ones almost always): the screen
# must then defer, never conclude from an unlucky prime.
TINY_PRIMES = tuple(sympy.primerange(3, 3000))
SMALL_PRIMES = tuple(sympy.primerange(200, 6000))


def _screen_against_decider(inst: Instance, primes=PRIMES, lo: int = 0,
                            count: int | None = None) -> tuple[int, int]:
    """Screen ``count`` tuples from position ``lo`` in one call and decide each with the
    decider: every tuple the screen decides holds no DLM, and its counts (tuples, weight, full
    rank weight) are the decider's; the deferred tuples are the others, in order."""
    units = enumerate_regions(inst.X)
    R, d1, symmetric = len(units), inst.d1, inst.noise is None
    total = tuple_count(R, d1, symmetric)
    count = total - lo if count is None else count
    decide = RegionDecider(inst)
    table = ScreenTable(decide, units, primes)
    start = list(next(tuple_range(R, d1, symmetric, lo, lo + 1)))
    decided, weight, full, deferred = screen_range(table, start, count, symmetric)
    expected = [0, 0, 0]
    kept = []
    for idx in tuple_range(R, d1, symmetric, lo, lo + count):
        if deferred[len(kept):len(kept) + 1] == [idx]:
            kept.append(idx)
            continue
        dec = decide([units[k] for k in idx], point=False)
        assert not dec.has_dlm, idx
        w = orderings(idx) if symmetric else 1
        expected[0] += 1
        expected[1] += w
        expected[2] += w * (dec.rank == inst.N)
    assert kept == deferred  # every deferred tuple, in the scan's order
    assert [decided, weight, full] == expected
    return decided, len(deferred)


@settings(max_examples=40, deadline=None)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 3), N=st.integers(1, 5)),
       st.sampled_from([PRIMES, SMALL_PRIMES, TINY_PRIMES]))
def test_every_region_the_screen_decides_holds_no_dlm(inst: Instance, primes) -> None:
    _screen_against_decider(inst, primes)


@pytest.mark.parametrize("d0, d1, N, rho, noise, seed, lo", [
    (3, 3, 9, "1/2", False, 3, 30000), (3, 4, 12, "1/2", False, 0, 7_000_000),
    (3, 3, 8, "0", False, 1, 20000), (2, 3, 6, "1/3", True, 2, 0), (3, 2, 7, "1/2", True, 4, 0),
])
def test_the_screen_on_census_sized_instances(d0, d1, N, rho, noise, seed, lo) -> None:
    """Where censuses spend their time: the screen decides many regions and defers some (a
    screen that decides nothing, or everything, would pass the test above)."""
    inst = random_instance(d0, d1, N, rho, noise=noise, seed=seed)
    decided, deferred = _screen_against_decider(inst, lo=lo, count=600)
    assert decided > 100
    if not noise:
        assert deferred > 10
    small_decided, _ = _screen_against_decider(inst, SMALL_PRIMES, lo=lo, count=300)
    assert small_decided > 0


def test_the_primes_cover_the_bounds() -> None:
    """M^2 exceeds four times the squared bounds of the module docstring, with as few primes as
    that takes."""
    import math

    inst = random_instance(3, 4, 12, "1/2", seed=0)
    units = enumerate_regions(inst.X)
    decide = RegionDecider(inst)
    table = ScreenTable(decide, units)
    rows = [row for reg in units for row in decide._block(0, reg)]
    R2 = max(sum(x * x for x in row) for row in rows)
    Y2 = sum(v * v for v in decide.y)
    X1 = max(sum(abs(x) for x in c) for c in decide.cols)
    M = math.prod(PRIMES[:table.m_sign])
    assert M ** 2 > 4 * R2 ** 12
    assert all(M ** 2 > 4 * X1 ** 2 * math.comb(12, r) ** 2 * R2 ** (2 * r - 1) * Y2
               for r in range(1, 13))
    M_less = math.prod(PRIMES[:table.m_sign - 1])
    assert not all(M_less ** 2 > 4 * X1 ** 2 * math.comb(12, r) ** 2 * R2 ** (2 * r - 1) * Y2
                   for r in range(1, 13))


@pytest.mark.parametrize("noise, workers", [(False, 1), (False, 2), (True, 1)])
def test_a_census_is_the_same_with_and_without_the_screen(monkeypatch, noise, workers) -> None:
    inst = random_instance(2, 3, 7, "1/2", noise=noise, seed=5)
    monkeypatch.setattr(parallel, "SCREEN_MIN_REGIONS", 10**12)
    without = certify(inst, census=True, workers=workers, list_bad=True)
    monkeypatch.setattr(parallel, "SCREEN_MIN_REGIONS", 0)
    with_screen = certify(inst, census=True, workers=workers, list_bad=True)
    assert json.loads(with_screen.to_json()) == json.loads(without.to_json())
    assert with_screen.census.complete and with_screen.census.examined > 1000


@pytest.mark.parametrize("m", [1, 2, 4, 6])
def test_the_sign_from_residues_is_the_integer_sign(m: int) -> None:
    """Garner's mixed radix and the comparison with (M - 1) / 2, on the whole range."""
    import math
    import random

    import numpy as np

    from exactmin.search.screen import _sign

    primes = np.array(PRIMES[:m], dtype=np.int64)
    inv = np.array([[pow(PRIMES[l], -1, PRIMES[j]) if l < j else 0 for j in range(m)]
                    for l in range(m)], dtype=np.int64)
    M = math.prod(PRIMES[:m])
    half_value = (M - 1) // 2
    digits, h = [], half_value
    for p in PRIMES[:m]:
        h, c = divmod(h, p)
        digits.append(c)
    half = np.array(digits, dtype=np.int64)
    rng = random.Random(m)
    values = [0, 1, -1, half_value, -half_value, half_value - 1, -half_value + 1]
    values += [rng.randint(-half_value, half_value) for _ in range(500)]
    values += [rng.randint(-1000, 1000) for _ in range(100)]
    work = np.zeros(m, dtype=np.int64)
    for x in values:
        res = np.array([x % p for p in PRIMES[:m]], dtype=np.int64)
        assert _sign(res, primes, inv, half, m, work) == (x > 0) - (x < 0), x


def test_an_interrupted_screened_census_resumes_to_the_same_counts(tmp_path, monkeypatch) -> None:
    """A block enters the counts whole: a checkpoint saved by an interruption inside a block
    resumes at that block (no region counted twice, none lost)."""
    inst = random_instance(2, 3, 7, "1/2", seed=5)
    monkeypatch.setattr(parallel, "SCREEN_MIN_REGIONS", 0)
    monkeypatch.setattr(parallel, "SCREEN_BLOCK", 64)
    want = certify(inst, census=True, force=True)
    real = RegionDecider.__call__
    calls = {"n": 0}

    def call(self, regions, point=True):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 40:
            raise KeyboardInterrupt
        return real(self, regions, point=point)

    monkeypatch.setattr(RegionDecider, "__call__", call)
    path = tmp_path / "ck.json"
    with pytest.raises(KeyboardInterrupt):
        certify(inst, census=True, checkpoint=str(path), force=True)
    saved = json.loads(path.read_text())
    assert saved["done"] % 64 == 0 and 0 < saved["done"] < 560  # whole blocks only
    got = certify(inst, census=True, checkpoint=str(path), force=True)
    assert json.loads(got.to_json()) == json.loads(want.to_json())


def test_a_screened_census_is_estimated_on_ranges_of_consecutive_tuples(monkeypatch) -> None:
    """The run decides blocks of consecutive tuples through the screen: its estimate times
    seeded ranges of them as the run decides them (a census without the screen: single tuples)."""
    from exactmin.search import naive

    inst = random_instance(2, 3, 7, "1/2", seed=5)
    units = enumerate_regions(inst.X)
    monkeypatch.setattr(parallel, "SCREEN_MIN_REGIONS", 0)
    assert naive.sampled_seconds_per_region(inst, units, True, True, None) > 0
    assert naive.SAMPLED[-1] == "16 ranges of 64 consecutive regions"
    monkeypatch.setattr(parallel, "SCREEN_MIN_REGIONS", 10**12)
    assert naive.sampled_seconds_per_region(inst, units, True, True, None) > 0
    assert naive.SAMPLED[-1] == "24 regions"
