import random
from fractions import Fraction

import pytest

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
