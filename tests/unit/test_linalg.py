import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.linalg import BACKENDS, khatri_rao, kron, mat_vec, rank, row_space_projection


def test_khatri_rao_orientation_matches_kron_of_columns() -> None:
    rng = random.Random(1)
    A = [[Fraction(rng.randint(-3, 3)) for _ in range(4)] for _ in range(3)]
    X = [[Fraction(rng.randint(-3, 3)) for _ in range(4)] for _ in range(2)]
    K = khatri_rao(A, X)
    assert len(K) == 6 and len(K[0]) == 4
    for n in range(4):
        col = tuple(K[r][n] for r in range(6))
        assert col == kron([A[i][n] for i in range(3)], [X[j][n] for j in range(2)])
    # block i is X diag(A[i, :])
    for i in range(3):
        for j in range(2):
            assert K[i * 2 + j] == tuple(X[j][n] * A[i][n] for n in range(4))


def _random_matrix(rng: random.Random, m: int, n: int, r: int) -> list[list[Fraction]]:
    B = [[Fraction(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(r)] for _ in range(m)]
    C = [[Fraction(rng.randint(-4, 4)) for _ in range(n)] for _ in range(r)]
    return [[sum((B[i][k] * C[k][j] for k in range(r)), Fraction(0)) for j in range(n)] for i in range(m)]


@pytest.mark.parametrize("seed", range(20))
def test_backends_agree_and_projection_is_orthogonal(seed: int) -> None:
    rng = random.Random(seed)
    m, n = rng.randint(1, 6), rng.randint(1, 6)
    M = _random_matrix(rng, m, n, rng.randint(0, min(m, n)))
    y = [Fraction(rng.randint(-5, 5)) for _ in range(n)]
    results = {b: (rank(M, backend=b), row_space_projection(M, y, backend=b)) for b in BACKENDS}
    assert len({repr(v) for v in results.values()}) == 1
    r, p = results[BACKENDS[0]][1]
    e = [a - b for a, b in zip(p, y)]
    assert all(v == 0 for v in mat_vec(M, e))  # residual orthogonal to the row space
    if r == n:
        assert list(p) == y  # full column rank: y lies in the row space


def test_unknown_backend_is_rejected() -> None:
    from exactmin.errors import InvalidInput

    with pytest.raises(InvalidInput, match="backend='numpy'"):
        rank([[1]], backend="numpy")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5).flatmap(lambda N: st.tuples(
    st.lists(st.lists(st.integers(-3, 3), min_size=N, max_size=N), min_size=0, max_size=6),
    st.lists(st.integers(-4, 4), min_size=N, max_size=N))))
def test_flint_column_blocks_agree_with_the_plain_exact_paths(case) -> None:
    """The flint fast paths of the global minimum against the plain exact ones on the same
    columns: the least-squares residual (unique) equals the one from ``least_squares``; the
    optimality check on the support that exact Lawson-Hanson finds returns its residual, and a
    wrong support is refused, never accepted with a wrong answer."""
    from exactmin.decide.soudry_carmon_global import nnls
    from exactmin.linalg import least_squares
    from exactmin.linalg.dense import ColumnBlock, kkt_least_squares, least_squares_residual

    cols, y = case
    N = len(y)
    yq = [Fraction(v) for v in y]
    split = len(cols) // 2
    blocks = [ColumnBlock(cols[:split], N), ColumnBlock(cols[split:], N)]
    got = least_squares_residual(blocks, yq)
    nonzero = [c for c in cols if any(c)]
    fit = least_squares(nonzero, yq)[1] if nonzero else (Fraction(0),) * N
    want = [f - v for f, v in zip(fit, yq)]
    assert got is not None and got[0] == want and got[1] == sum(r * r for r in want) / 2
    columns = [tuple(Fraction(v) for v in c) for c in cols]
    alpha, r = nnls(columns, yq)
    support = [j for j, a in enumerate(alpha) if a > 0]
    fast = kkt_least_squares(blocks, yq, support)
    if fast is not None:  # None only when the support's columns are dependent
        assert fast[1] == list(r) and fast[2] == sum(v * v for v in r) / 2
    for j in range(len(cols)):  # a support that is not optimal is refused
        other = kkt_least_squares(blocks, yq, [j])
        assert other is None or other[1] == list(r)
