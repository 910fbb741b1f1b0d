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
from exactmin.search.screen_lp import solve_deferred
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


def _lp_against_decider(inst: Instance, primes=PRIMES, lo: int = 0,
                        count: int | None = None) -> tuple[int, int, int]:
    """The deferred tuples of a screened range through :func:`solve_deferred`: every one it
    decides holds no DLM and has the rank it says. Returns (deferred, decided by it, deferred
    holding no DLM)."""
    units = enumerate_regions(inst.X)
    R, d1, symmetric = len(units), inst.d1, inst.noise is None
    count = tuple_count(R, d1, symmetric) - lo if count is None else count
    decide = RegionDecider(inst)
    table = ScreenTable(decide, units, primes)
    start = list(next(tuple_range(R, d1, symmetric, lo, lo + 1)))
    deferred = screen_range(table, start, count, symmetric)[3]
    ranks, hints = solve_deferred(table, deferred)
    assert len(ranks) == len(hints) == len(deferred)
    no_dlm = 0
    for idx, r, hint in zip(deferred, ranks, hints):
        regs = [units[k] for k in idx]
        dec = decide(regs, point=False)
        no_dlm += not dec.has_dlm
        if r >= 0:
            assert not dec.has_dlm and dec.rank == r and hint is None, (idx, r)
        elif hint is not None:  # a hint orders the decider's search, it does not decide
            assert len(hint) == d1 and set(hint) <= {1, -1, 0}
            assert decide(regs, point=False, hint=hint) == dec
            assert decide(regs, point=False, hint=[-s for s in hint]) == dec
    return len(deferred), sum(r >= 0 for r in ranks), no_dlm


@settings(max_examples=40, deadline=None)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 3), N=st.integers(1, 5)),
       st.sampled_from([PRIMES, SMALL_PRIMES, TINY_PRIMES]))
def test_every_region_the_screen_decides_holds_no_dlm(inst: Instance, primes) -> None:
    _screen_against_decider(inst, primes)
    _lp_against_decider(inst, primes)


@pytest.mark.parametrize("d0, d1, N, rho, noise, seed, lo", [
    (3, 3, 9, "1/2", False, 3, 30000), (3, 4, 12, "1/2", False, 0, 2_000_000),
    (3, 4, 12, "1/2", False, 0, 9_000_000), (3, 3, 8, "0", False, 1, 20000),
    (2, 3, 6, "1/3", True, 2, 0), (3, 3, 7, "1/2", True, 4, 0),
])
def test_the_certificates_of_deferred_regions(d0, d1, N, rho, noise, seed, lo) -> None:
    """Regions the screen defers: those :func:`solve_deferred` decides hold no DLM (checked
    above), and it decides most of those that hold none (a step that decides nothing would
    pass the check)."""
    inst = random_instance(d0, d1, N, rho, noise=noise, seed=seed)
    deferred, decided, no_dlm = _lp_against_decider(inst, lo=lo, count=1500)
    assert deferred > 0 and decided >= no_dlm // 2, (deferred, decided, no_dlm)


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


def _table_and_bounds() -> tuple[ScreenTable, int, int, int]:
    """The (3, 4, 12) census's table and the instance bounds R2, Y2, X1 of the docstrings."""
    inst = random_instance(3, 4, 12, "1/2", seed=0)
    units = enumerate_regions(inst.X)
    decide = RegionDecider(inst)
    rows = [row for reg in units for row in decide._block(0, reg)]
    return (ScreenTable(decide, units), max(sum(x * x for x in row) for row in rows),
            sum(v * v for v in decide.y), max(sum(abs(x) for x in c) for c in decide.cols))


def test_the_primes_cover_the_bounds() -> None:
    """M^2 exceeds four times the squared bounds of the module docstring, with as few primes as
    that takes."""
    import math

    table, R2, Y2, X1 = _table_and_bounds()
    M = math.prod(PRIMES[:table.m_sign])
    assert M ** 2 > 4 * R2 ** 12
    assert all(M ** 2 > 4 * X1 ** 2 * math.comb(12, r) ** 2 * R2 ** (2 * r - 1) * Y2
               for r in range(1, 13))
    M_less = math.prod(PRIMES[:table.m_sign - 1])
    assert not all(M_less ** 2 > 4 * X1 ** 2 * math.comb(12, r) ** 2 * R2 ** (2 * r - 1) * Y2
                   for r in range(1, 13))
    # on a line: the c_n and e_n alone, at most X1 B (B^2 = C(N, r)^2 R2^(2r-1) max(R2, Y2))
    for r in range(1, 12):
        m = int(table.value_primes[r])
        value = 4 * X1 ** 2 * math.comb(12, r) ** 2 * R2 ** (2 * r - 1) * max(R2, Y2)
        assert 0 < m <= table.line_primes[r] and math.prod(PRIMES[:m]) ** 2 > value, r
        assert m == table.m_rank or math.prod(PRIMES[:m - 1]) ** 2 <= value, r
    # rank N = 12: the direct solution's q_n (Hadamard on B = K^T[:, J])
    direct = 4 * X1 ** 2 * R2 ** 11 * Y2
    assert math.prod(PRIMES[:table.m_direct]) ** 2 > direct
    assert table.m_direct == table.m_rank or math.prod(PRIMES[:table.m_direct - 1]) ** 2 <= direct


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_reduced_k_and_y_give_det_b_times_the_solution(data) -> None:
    """``_rref`` of ``[K^T | y]`` mod p (pivots only among K^T's columns) returns the rank, the
    pivot columns and the reduced row echelon form's entries outside them (those
    ``_unit_kernel`` and ``_direct`` read) and, when every row holds a pivot, ``det B`` for
    ``B = K^T[:, pivots]``; ``_direct`` then gives
    ``adj(B) y = det B * B^-1 y`` on the pivots and 0 elsewhere, and refuses (writing nothing)
    a column set J that is not the pivots."""
    import numpy as np

    from exactmin.search.screen import _direct, _rref

    p = data.draw(st.sampled_from([3, 5, 7, 101, 2147483647]), label="p")
    d0 = data.draw(st.integers(1, 3), label="d0")
    d1 = data.draw(st.integers(1, 3), label="d1")
    nv = d0 * d1
    N = data.draw(st.integers(1, nv), label="N")
    entries = st.integers(-6, 6)
    KT = data.draw(st.lists(st.lists(entries, min_size=nv, max_size=nv), min_size=N, max_size=N),
                   label="K^T")
    y = data.draw(st.lists(entries, min_size=N, max_size=N), label="y")
    A = np.array([[x % p for x in row] + [v % p] for row, v in zip(KT, y)], dtype=np.int64)
    pivcol = np.zeros(nv, dtype=np.int64)
    ispiv = np.zeros(nv, dtype=np.int64)
    det = np.zeros(1, dtype=np.int64)
    r = _rref(A, p, pivcol, ispiv, det, np.zeros(2 * N, dtype=np.int64))
    M = sympy.Matrix(KT)
    rank, reduced, pivots = _rref_mod([row + [v] for row, v in zip(KT, y)], p, nv)
    assert r == rank and [int(c) for c in pivcol[:r]] == pivots
    assert all(int(A[k, h]) == reduced[k][h] for k in range(r) for h in range(nv + 1)
               if h not in pivots)
    if r < N:
        return
    J = [int(c) for c in pivcol[:r]]
    B = M.extract(list(range(N)), J)
    assert int(det[0]) == int(B.det()) % p
    Pv = np.full((d1, d0, 2), -1, dtype=np.int64)
    assert _direct(A, r, np.array(J, dtype=np.int64), pivcol, int(det[0]), p, 1, Pv)
    adj_y = B.adjugate() * sympy.Matrix(y)
    expected = [0] * nv
    for k, c in enumerate(J):
        expected[c] = int(adj_y[k]) % p
    assert [int(Pv[c // d0, c % d0, 1]) for c in range(nv)] == expected
    assert (Pv[:, :, 0] == -1).all()  # only prime j's slot is written
    if r < nv:  # another set of r columns is refused, and nothing is written
        other = np.array(sorted(set(range(nv)) - {J[-1]})[:r], dtype=np.int64)
        before = Pv.copy()
        assert not _direct(A, r, other, pivcol, int(det[0]), p, 0, Pv)
        assert (Pv == before).all()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_division_free_reduction_is_exact(data) -> None:
    """``_combine`` gives ``(d a - f b) mod p`` exactly, for the primes of the runs and small
    ones, residues anywhere in ``[0, p)`` (the extremes included, where ``d a - f b`` is
    nearest to ``+-2^62`` and to multiples of p)."""
    import numpy as np

    from exactmin.search.screen import _combine

    p = data.draw(st.sampled_from(list(PRIMES[:4]) + [3, 5, 65521, 2147483629]), label="p")
    residue = st.one_of(st.integers(0, p - 1), st.sampled_from([0, 1, 2, p - 2, p - 1]))
    n = data.draw(st.integers(1, 12), label="n")
    a = data.draw(st.lists(residue, min_size=n, max_size=n), label="a")
    b = data.draw(st.lists(residue, min_size=n, max_size=n), label="b")
    d, f = data.draw(residue, label="d"), data.draw(residue, label="f")
    out = np.array(a, dtype=np.int64)
    _combine(out, np.array(b, dtype=np.int64), d, f, p, 1.0 / p)
    assert [int(x) for x in out] == [(d * x - f * z) % p for x, z in zip(a, b)]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_modular_solve_gives_det_and_solutions(data) -> None:
    """``_solve`` returns ``det G`` mod p and leaves ``G^-1 rhs`` in the right-hand sides'
    columns, or returns 0 when G is singular mod p."""
    import numpy as np

    from exactmin.search.screen import _solve

    p = data.draw(st.sampled_from([3, 5, 7, 101, 2147483647]), label="p")
    r = data.draw(st.integers(1, 6), label="r")
    nrhs = data.draw(st.integers(0, 3), label="nrhs")
    rows = data.draw(st.lists(st.lists(st.integers(-6, 6), min_size=r + nrhs,
                                       max_size=r + nrhs), min_size=r, max_size=r), label="G")
    G = np.array([[x % p for x in row] for row in rows], dtype=np.int64)
    det = _solve(G, r, nrhs, p, np.zeros(2 * r, dtype=np.int64))
    M = sympy.Matrix(rows)
    expected = int(M[:, :r].det()) % p
    assert det == expected
    if det:
        inv = M[:, :r].inv_mod(p)
        for h in range(nrhs):
            x = (inv * M[:, r + h]).applyfunc(lambda v: v % p)
            assert [int(G[c, r + h]) for c in range(r)] == [int(v) for v in x]


def _rref_mod(rows: list[list[int]], p: int, ncols: int) -> tuple[int, list[list[int]],
                                                                   list[int]]:
    """Rank, reduced row echelon form and pivot columns of an integer matrix modulo the prime
    p, pivots among its first ``ncols`` columns (plain Gauss-Jordan, the textbook way)."""
    A = [[x % p for x in row] for row in rows]
    rank = 0
    pivots = []
    for c in range(ncols):
        piv = next((i for i in range(rank, len(A)) if A[i][c]), None)
        if piv is None:
            continue
        A[rank], A[piv] = A[piv], A[rank]
        inv = pow(A[rank][c], -1, p)
        A[rank] = [x * inv % p for x in A[rank]]
        for i in range(len(A)):
            if i != rank and A[i][c]:
                f = A[i][c]
                A[i] = [(x - f * z) % p for x, z in zip(A[i], A[rank])]
        pivots.append(c)
        rank += 1
    return rank, A, pivots


def test_the_certificates_primes_cover_their_bounds() -> None:
    """:mod:`exactmin.search.screen_lp`: per rank r and basis of s rows (k' = s - 1), the
    product of the primes exceeds twice ``(k'+1) k'^(k'/2) A^(k'+1)`` (``A^2 = X1^2 B2``), and
    one prime fewer does not (unless the rank's own count sets the floor)."""
    import math

    table, R2, Y2, X1 = _table_and_bounds()
    checked = 0
    for r in range(1, 12):
        A2 = X1 ** 2 * math.comb(12, r) ** 2 * R2 ** (2 * r - 1) * max(R2, Y2)
        for k in range(12 - r + 1):
            m = int(table.lp_primes[r, k + 1])
            bound = 4 * (k + 1) ** 2 * k ** k * A2 ** (k + 1)  # (2 Q)^2
            assert m > 0 and math.prod(PRIMES[:m]) ** 2 > bound, (r, k)
            if m > table.m_rank:
                assert math.prod(PRIMES[:m - 1]) ** 2 <= bound, (r, k)
            checked += 1
    assert checked == sum(13 - r for r in range(1, 12))


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

    def call(self, regions, point=True, hint=None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 40:
            raise KeyboardInterrupt
        return real(self, regions, point=point, hint=hint)

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
    assert naive.SAMPLED[-1] == (f"{naive.SCREENED_RANGES} ranges of {naive.SCREENED_LENGTH} "
                                 "consecutive regions")
    monkeypatch.setattr(parallel, "SCREEN_MIN_REGIONS", 10**12)
    assert naive.sampled_seconds_per_region(inst, units, True, True, None) > 0
    assert naive.SAMPLED[-1] == "24 regions"


def _motzkin_reference(mode, a, b, strict, support, chosen):
    """The certificate :func:`exactmin.search.screen_lp._verified` must accept, in Fractions:
    ``y' = adj(B) e`` for the basis matrix ``B`` (rows ``chosen`` of the support's ``a``, then
    the normalization row), ``sum y'_m a_m = 0``, the signs of ``y'`` those of ``det B``, and
    (mode 1) ``det B * sum y'_m b_m <= 0``."""
    from fractions import Fraction

    k = len(a[0])
    B = [[a[m][q] for m in support] for q in chosen]
    B.append([(1 if strict[m] else 0) if mode == 1 else -b[m] for m in support])
    M = sympy.Matrix(B)
    det = M.det()
    if det == 0:
        return False
    e = sympy.Matrix([0] * (len(support) - 1) + [1])
    y = [Fraction(int(v.p), int(v.q)) for v in (M.adjugate() * e)]
    if any(sum(y[l] * a[m][q] for l, m in enumerate(support)) for q in range(k)):
        return False
    sgn = 1 if det > 0 else -1
    if any(sgn * v < 0 for v in y):
        return False
    return mode == 2 or sgn * sum(y[l] * b[m] for l, m in enumerate(support)) <= 0


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_proposed_certificate_is_accepted_exactly_when_it_is_one(data) -> None:
    """The exact half of :mod:`exactmin.search.screen_lp` on arbitrary proposals (what floats
    propose is not trusted): random small systems of point rows ``sg x_n . (P_i + D_i t)`` and
    coordinate rows ``sg (P_c + D_c t)``, a random support and random chosen coordinates; the
    compiled check says yes exactly when the Fraction reference does."""
    import numpy as np

    from exactmin.search.screen_lp import _verified

    d0, d1, k = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 2)), data.draw(
        st.integers(1, 3))
    nv, small = d0 * d1, st.integers(-2, 2)
    N = data.draw(st.integers(1, 4))
    P = [data.draw(small) for _ in range(nv)]
    D = [[data.draw(small) for _ in range(k)] for _ in range(nv)]
    X = [[data.draw(small) for _ in range(d0)] for _ in range(N)]
    rows = data.draw(st.lists(st.tuples(st.integers(0, 1), st.integers(0, d1 - 1),
                                        st.integers(0, max(N, d0) - 1), st.sampled_from([1, -1])),
                              min_size=1, max_size=6))
    rows = [(kind, i, idx % (N if kind == 0 else d0), sg) for kind, i, idx, sg in rows]
    a, b, strict = [], [], []
    for kind, i, idx, sg in rows:
        if kind == 1:
            a.append([sg * D[i * d0 + idx][q] for q in range(k)])
            b.append(sg * P[i * d0 + idx])
        else:
            a.append([sg * sum(X[idx][e] * D[i * d0 + e][q] for e in range(d0))
                      for q in range(k)])
            b.append(sg * sum(X[idx][e] * P[i * d0 + e] for e in range(d0)))
        strict.append(kind == 0)
    s = data.draw(st.integers(1, min(k + 1, len(rows))))
    support = data.draw(st.permutations(range(len(rows))))[:s]
    chosen = data.draw(st.permutations(range(k)))[:s - 1]
    mode = data.draw(st.sampled_from([1, 2]))
    m = 3  # 2^93: every integer here is far smaller
    primes = np.array(PRIMES[:m], dtype=np.int64)
    inv = np.zeros((m, m), dtype=np.int64)
    half = np.zeros((m + 1, m), dtype=np.int64)
    for j in range(m):
        for l in range(j):
            inv[l, j] = pow(PRIMES[l], -1, PRIMES[j])
    for c in range(1, m + 1):
        h = (int(np.prod([int(p) for p in PRIMES[:c]], dtype=object)) - 1) // 2
        for j in range(c):
            h, half[c, j] = divmod(h, PRIMES[j])
    Pv = np.array([[v % p for p in PRIMES[:m]] for v in P], dtype=np.int64)
    Dv = np.array([[[D[c][q] % p for p in PRIMES[:m]] for q in range(k)] for c in range(nv)],
                  dtype=np.int64).reshape(nv, k, m)
    cols = np.array([[[x % p for x in X[n]] for n in range(N)] for p in PRIMES[:m]],
                    dtype=np.int64).reshape(m, N, d0)
    n = len(rows)
    meta = [np.array([r[f] for r in rows], dtype=np.int64) for f in range(4)]
    z = np.zeros
    got = _verified(mode, np.array(support, dtype=np.int64), s,
                    np.array(list(chosen) + [0], dtype=np.int64), k, *meta,
                    np.array(strict), m, primes, inv, half, d0, cols, Pv, Dv,
                    z((k + 2, k + 3), np.int64), z(2 * k + 4, np.int64), z((n, k), np.int64),
                    z(n, np.int64), z((n, m), np.int64), z((k, m), np.int64), z(m, np.int64),
                    z(m, np.int64), z(m, np.int64))
    assert got == _motzkin_reference(mode, a, b, strict, support, chosen)


def test_the_warm_up_loads_both_compiled_steps() -> None:
    """What a parallel census calls before its workers fork (a wrong instance there would stop
    every screened census of two or more processes)."""
    from exactmin.search import screen_lp

    screen_lp.warm_up()
