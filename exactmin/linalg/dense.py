"""Kronecker / Khatri-Rao products, exact rank and least-squares projection.

Orientation: a matrix is a tuple of rows. ``khatri_rao(A, X)`` follows docs/conventions.md: ``A`` is
``d1 x N``, ``X`` is ``d0 x N`` and the result ``K`` is ``(d0*d1) x N`` with column ``n`` equal to
``kron(A[:, n], X[:, n])``, so row ``i*d0 + j`` is ``A[i, n] * X[j, n]`` (rows grouped by hidden
unit: block ``i`` is ``X diag(A[i, :])``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from exactmin.errors import InvalidInput

_flint: Any
try:  # python-flint is a declared dependency; the pure-Python path stays as the reference.
    import flint as _flint
except ImportError:  # pragma: no cover - exercised only on machines without python-flint
    _flint = None

__all__ = [
    "BACKENDS",
    "ColumnBlock",
    "kkt_least_squares",
    "least_squares_residual",
    "determinant",
    "independent_rows",
    "kron",
    "khatri_rao",
    "mat_vec",
    "nullspace",
    "rank",
    "row_space_projection",
    "solve_particular",
]

Matrix = Sequence[Sequence[Fraction]]
BACKENDS = ("flint", "python") if _flint is not None else ("python",)


def _backend(backend: str | None) -> str:
    if backend is None:
        return BACKENDS[0]
    if backend not in BACKENDS:
        raise InvalidInput(f"backend={backend!r} is not available; use one of {BACKENDS}")
    return backend


def kron(a: Sequence[Fraction], b: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """Kronecker product of two vectors, ``a`` major: entry ``i*len(b) + j`` is ``a[i]*b[j]``.

    >>> kron([1, 2], [3, 4, 5])
    (Fraction(3, 1), Fraction(4, 1), Fraction(5, 1), Fraction(6, 1), Fraction(8, 1), Fraction(10, 1))
    """
    return tuple(Fraction(ai) * Fraction(bj) for ai in a for bj in b)


def khatri_rao(A: Matrix, X: Matrix) -> tuple[tuple[Fraction, ...], ...]:
    """Column-wise Kronecker product ``K = A (.) X``.

    Parameters
    ----------
    A : d1 x N matrix (tuple of rows)
    X : d0 x N matrix (tuple of rows)

    Returns
    -------
    K : (d0*d1) x N matrix, column ``n`` equal to ``kron(A[:, n], X[:, n])``.

    Examples
    --------
    >>> K = khatri_rao([[1, 0], [2, 3]], [[1, 1], [0, 1]])
    >>> [list(map(int, r)) for r in K]
    [[1, 0], [0, 0], [2, 3], [0, 3]]
    """
    if len(A) == 0 or len(X) == 0:
        return ()
    N = len(A[0])
    if len(X[0]) != N:
        raise InvalidInput(f"A has {N} columns but X has {len(X[0])}; they must match")
    return tuple(
        tuple(Fraction(A[i][n]) * Fraction(X[j][n]) for n in range(N))
        for i in range(len(A))
        for j in range(len(X))
    )


def mat_vec(M: Matrix, v: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """Exact matrix-vector product ``M v``.

    >>> mat_vec([[1, 2], [3, 4]], [Fraction(1, 2), 1])
    (Fraction(5, 2), Fraction(11, 2))
    """
    return tuple(sum((Fraction(a) * b for a, b in zip(row, v)), Fraction(0)) for row in M)


# ---------------------------------------------------------------- pure-Python reference
def _rref_python(M: Matrix) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form and pivot columns, by Gauss-Jordan elimination over Q."""
    R = [[Fraction(x) for x in row] for row in M]
    pivots: list[int] = []
    if not R:
        return R, pivots
    m, n = len(R), len(R[0])
    r = 0
    for c in range(n):
        p = next((k for k in range(r, m) if R[k][c] != 0), None)
        if p is None:
            continue
        R[r], R[p] = R[p], R[r]
        inv = 1 / R[r][c]
        R[r] = [x * inv for x in R[r]]
        for k in range(m):
            if k != r and R[k][c] != 0:
                f = R[k][c]
                R[k] = [a - f * b for a, b in zip(R[k], R[r])]
        pivots.append(c)
        r += 1
        if r == m:
            break
    return R, pivots


def _solve_spd_python(G: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    """Solve ``G c = b`` for a nonsingular square ``G`` by Gauss-Jordan on ``[G | b]``."""
    aug = [row + [bi] for row, bi in zip(G, b)]
    R, _ = _rref_python(aug)
    return [row[-1] for row in R]


# ---------------------------------------------------------------- flint fast path
def _fmpq_mat(M: Matrix):  # type: ignore[no-untyped-def]
    rows, cols = len(M), len(M[0]) if M else 0
    fmpq = _flint.fmpq
    entries = [
        fmpq(x.numerator, x.denominator) if isinstance(x, Fraction) else fmpq(int(x))
        for r in M
        for x in r
    ]
    return _flint.fmpq_mat(rows, cols, entries)


def _to_fraction(q) -> Fraction:  # type: ignore[no-untyped-def]
    return Fraction(int(q.p), int(q.q))


# ---------------------------------------------------------------- public API
def rank(M: Matrix, backend: str | None = None) -> int:
    """Exact rank of a rational matrix.

    >>> rank([[1, 2, 3], [2, 4, 6]]), rank([[1, 2, 3], [2, 4, 6]], backend="python")
    (1, 1)
    """
    if len(M) == 0 or len(M[0]) == 0:
        return 0
    if _backend(backend) == "flint":
        return int(_fmpq_mat(M).rank())
    return len(_rref_python(M)[1])


def row_space_projection(
    M: Matrix, y: Sequence[Fraction], backend: str | None = None
) -> tuple[int, tuple[Fraction, ...]]:
    """Orthogonal projection of ``y`` onto the row space of ``M``, and ``rank M``.

    Parameters
    ----------
    M : m x N matrix (tuple of rows)
    y : length-N vector

    Returns
    -------
    rank : int
    p : tuple of N Fractions
        The least-squares fit: ``p = M^T v*`` for any ``v*`` minimizing ``||M^T v - y||``; the
        residual ``p - y`` satisfies ``M (p - y) = 0``.

    Notes
    -----
    The nonzero rows ``B`` (r x N) of the reduced row echelon form of ``M`` are a basis of its
    row space; ``p = B^T (B B^T)^{-1} B y``.

    Examples
    --------
    >>> r, p = row_space_projection([[1, 1]], [0, 2])
    >>> r, [str(x) for x in p]
    (1, ['1', '1'])
    """
    N = len(y)
    if len(M) == 0 or len(M[0]) == 0:
        return 0, tuple(Fraction(0) for _ in range(N))
    if len(M[0]) != N:
        raise InvalidInput(f"M has {len(M[0])} columns but y has {N} entries; they must match")
    if _backend(backend) == "flint":
        R, r = _fmpq_mat(M).rref()
        r = int(r)
        if r == 0:
            return 0, tuple(Fraction(0) for _ in range(N))
        rows = R.tolist()[:r]
        B = _flint.fmpq_mat(r, N, [x for row in rows for x in row])
        yv = _flint.fmpq_mat(N, 1, [_flint.fmpq(Fraction(v).numerator, Fraction(v).denominator) for v in y])
        Bt = B.transpose()
        c = (B * Bt).solve(B * yv)
        p = Bt * c
        return r, tuple(_to_fraction(p[n, 0]) for n in range(N))
    Rp, piv = _rref_python(M)
    r = len(piv)
    if r == 0:
        return 0, tuple(Fraction(0) for _ in range(N))
    Bq = Rp[:r]
    G = [[sum((a * b for a, b in zip(bi, bj)), Fraction(0)) for bj in Bq] for bi in Bq]
    By = [sum((a * Fraction(v) for a, v in zip(bi, y)), Fraction(0)) for bi in Bq]
    cq = _solve_spd_python(G, By)
    return r, tuple(sum((Bq[k][n] * cq[k] for k in range(r)), Fraction(0)) for n in range(N))


def independent_rows(M: Matrix, backend: str | None = None) -> list[int]:
    """Indices of rows of ``M`` forming a basis of its row space (earliest rows first).

    >>> independent_rows([[1, 2], [2, 4], [0, 1]])
    [0, 2]
    """
    if len(M) == 0 or len(M[0]) == 0:
        return []
    Mt = [[M[r][c] for r in range(len(M))] for c in range(len(M[0]))]
    if _backend(backend) == "flint":
        R, r = _fmpq_mat(Mt).rref()
        out = []
        for row in R.tolist()[: int(r)]:
            out.append(next(k for k, x in enumerate(row) if x != 0))
        return out
    return _rref_python(Mt)[1]


def determinant(M: Matrix, backend: str | None = None) -> Fraction:
    """Exact determinant of a square rational matrix.

    >>> determinant([[1, 2], [3, 4]]), determinant([[1, 2], [3, 4]], backend="python")
    (Fraction(-2, 1), Fraction(-2, 1))
    """
    n = len(M)
    if n == 0:
        return Fraction(1)
    if any(len(row) != n for row in M):
        raise InvalidInput(f"determinant needs a square matrix, got {n} x {len(M[0])}")
    if _backend(backend) == "flint":
        return _to_fraction(_fmpq_mat(M).det())
    R = [[Fraction(x) for x in row] for row in M]
    det = Fraction(1)
    for c in range(n):
        p = next((r for r in range(c, n) if R[r][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            R[c], R[p] = R[p], R[c]
            det = -det
        det *= R[c][c]
        for r in range(c + 1, n):
            f = R[r][c] / R[c][c]
            if f:
                R[r] = [a - f * b for a, b in zip(R[r], R[c])]
    return det


def solve_particular(
    M: Matrix, b: Sequence[Fraction], backend: str | None = None
) -> tuple[Fraction, ...] | None:
    """Some exact solution ``x`` of ``M x = b`` (free variables 0), or None if inconsistent.

    >>> solve_particular([[1, 1], [2, 2]], [1, 2])
    (Fraction(1, 1), Fraction(0, 1))
    >>> solve_particular([[1, 1], [2, 2]], [1, 3]) is None
    True
    """
    m = len(M)
    n = len(M[0]) if m else 0
    aug = [list(M[r]) + [b[r]] for r in range(m)]
    if _backend(backend) == "flint" and m:
        R, rk = _fmpq_mat(aug).rref()
        rows = [[_to_fraction(x) for x in row] for row in R.tolist()[: int(rk)]]
    else:
        Rp, piv = _rref_python(aug)
        rows = Rp[: len(piv)]
    x = [Fraction(0)] * n
    for row in rows:
        lead = next(k for k, v in enumerate(row) if v != 0)
        if lead == n:
            return None  # a row 0 = 1
        x[lead] = row[n]
    return tuple(x)


def least_squares(
    M: Matrix, y: Sequence[Fraction], backend: str | None = None
) -> tuple[int, tuple[Fraction, ...], tuple[Fraction, ...], list[tuple[Fraction, ...]]]:
    """Everything about ``min ||M^T v - y||`` at once: ``(rank M, p, v*, basis)`` with ``p`` the
    least-squares fit (as :func:`row_space_projection`), ``v*`` the solution of the normal
    equations ``M M^T v = M y`` with free variables 0 (the same as ``solve_particular(M^T, p)``:
    both reduced echelon forms span the column space of ``M``, so they are equal), and ``basis``
    a basis of ``ker M^T`` (as ``nullspace(M^T)``). One conversion and one elimination with flint.

    >>> r, p, v, basis = least_squares([[1, 1]], [0, 2])
    >>> r, [str(x) for x in p], [str(x) for x in v], basis
    (1, ['1', '1'], ['1'], [])
    """
    m, N = len(M), len(y)
    if _backend(backend) != "flint" or not m:
        r, p = row_space_projection(M, y, backend)
        Mt = [[M[a][n] for a in range(m)] for n in range(N)]
        v, basis = solve_with_nullspace(Mt, p, backend)
        if v is None:
            raise InvalidInput("least-squares fit outside the row space (a bug)")
        return r, p, v, basis
    F = _fmpq_mat(M)
    yv = _flint.fmpq_mat(N, 1, [_flint.fmpq(Fraction(v).numerator, Fraction(v).denominator)
                                for v in y])
    G = F * F.transpose()
    aug = _flint.fmpq_mat(m, m + 1, [x for a, row in enumerate(G.tolist())
                                     for x in (*row, (F * yv)[a, 0])])
    R, rk = aug.rref()
    rows = R.tolist()[: int(rk)]
    pivots = [next(k for k, v in enumerate(row) if v != 0) for row in rows]
    vq = [_flint.fmpq(0)] * m
    for row, pc in zip(rows, pivots):
        vq[pc] = row[m]
    pm = F.transpose() * _flint.fmpq_mat(m, 1, vq)
    basis = []
    for f in (c for c in range(m) if c not in pivots):
        b = [Fraction(0)] * m
        b[f] = Fraction(1)
        for row, pc in zip(rows, pivots):
            b[pc] = -_to_fraction(row[f])
        basis.append(tuple(b))
    return (int(rk), tuple(_to_fraction(pm[n, 0]) for n in range(N)),
            tuple(_to_fraction(x) for x in vq), basis)


def smallest_eigenvalue(H: Matrix, width: float = 1e-9,  # type: ignore[no-untyped-def]
                        largest: bool = False):
    """A ball containing the smallest (``largest``: the largest) eigenvalue of the symmetric
    rational matrix ``H``, of radius below ``width`` (the characteristic polynomial's roots
    isolated by flint).

    >>> from fractions import Fraction as Q
    >>> smallest_eigenvalue([[Q(2), Q(1)], [Q(1), Q(2)]]).contains(1)
    True
    >>> smallest_eigenvalue([[Q(2), Q(1)], [Q(1), Q(2)]], largest=True).contains(3)
    True
    """
    from exactmin.arith.balls import precision

    poly = _fmpq_mat(H).charpoly()
    den = poly.denom()
    coeffs = [int(c * den) for c in poly.coeffs()]
    bits = 128
    while True:
        with precision(bits):
            roots = [r for r, _ in _flint.fmpz_poly(coeffs).complex_roots()]
            reals = [r.real if hasattr(r, "real") else r for r in roots]
            low = (max if largest else min)(reals, key=lambda x: float(x.mid()))
            if float(low.rad()) < width / 2 or bits >= 4096:
                return _flint.arb(low.mid(), low.rad())
        bits *= 2


def solve_with_nullspace(
    M: Matrix, b: Sequence[Fraction], backend: str | None = None
) -> tuple[tuple[Fraction, ...] | None, list[tuple[Fraction, ...]]]:
    """``(x, basis)``: :func:`solve_particular` and :func:`nullspace` of ``M`` from one reduced
    echelon form of ``[M | b]`` (whose first columns are that of ``M``).

    >>> x, basis = solve_with_nullspace([[1, 2, 3]], [6])
    >>> [str(v) for v in x], [[str(v) for v in bv] for bv in basis]
    (['6', '0', '0'], [['-2', '1', '0'], ['-3', '0', '1']])
    """
    m = len(M)
    n = len(M[0]) if m else 0
    if not m:
        return tuple(Fraction(0) for _ in range(n)), nullspace(M, backend)
    aug = [list(M[r]) + [b[r]] for r in range(m)]
    if _backend(backend) == "flint":
        R, rk = _fmpq_mat(aug).rref()
        rows = [[_to_fraction(x) for x in row] for row in R.tolist()[: int(rk)]]
    else:
        Rp, piv = _rref_python(aug)
        rows = Rp[: len(piv)]
    pivots = [next(k for k, v in enumerate(row) if v != 0) for row in rows]
    x: tuple[Fraction, ...] | None
    if n in pivots:
        x = None  # a row 0 = 1
        rows = [row for row, pc in zip(rows, pivots) if pc != n]
        pivots = [pc for pc in pivots if pc != n]
    else:
        xs = [Fraction(0)] * n
        for row, pc in zip(rows, pivots):
            xs[pc] = row[n]
        x = tuple(xs)
    return x, _kernel_basis(rows, pivots, n)


def nullspace(M: Matrix, backend: str | None = None) -> list[tuple[Fraction, ...]]:
    """A basis of ``{x : M x = 0}`` (one vector per free column of the reduced echelon form).

    >>> [[str(v) for v in b] for b in nullspace([[1, 2, 3]])]
    [['-2', '1', '0'], ['-3', '0', '1']]
    """
    n = len(M[0]) if M else 0
    if not M:
        return [tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n)]
    if _backend(backend) == "flint":
        R, rk = _fmpq_mat(M).rref()
        rows = [[_to_fraction(x) for x in row] for row in R.tolist()[: int(rk)]]
    else:
        Rp, piv = _rref_python(M)
        rows = Rp[: len(piv)]
    pivots = [next(k for k, v in enumerate(row) if v != 0) for row in rows]
    return _kernel_basis(rows, pivots, n)


def _kernel_basis(rows: list[list[Fraction]], pivots: list[int], n: int
                  ) -> list[tuple[Fraction, ...]]:
    """One kernel vector per free column of a reduced row echelon form (``rows``, ``pivots``)."""
    basis = []
    for f in (c for c in range(n) if c not in pivots):
        x = [Fraction(0)] * n
        x[f] = Fraction(1)
        for row, pc in zip(rows, pivots):
            x[pc] = -row[f]
        basis.append(tuple(x))
    return basis


# ---------------------------------------------------------------- column blocks (flint)
class ColumnBlock:
    """Exact columns (each of length ``N``) kept once in flint form, so that many small
    least-squares problems over unions of blocks are solved without converting Fractions each
    time; ``None`` form without flint (callers then take their plain path)."""

    def __init__(self, columns: Sequence[Sequence[Fraction]], N: int) -> None:
        self.columns = [tuple(Fraction(v) for v in c) for c in columns]
        self.N = N
        self.flint: Any = None
        self.rows: list[list[Any]] = []  # the flint entries row by row, to gather from
        if _flint is not None and self.columns:
            self.flint = _fmpq_mat([list(r) for r in zip(*self.columns)])  # N x len(columns)
            self.rows = [[_fq(c[n]) for c in self.columns] for n in range(N)]


def _fq(q: Fraction) -> Any:
    return _flint.fmpq(q.numerator, q.denominator)


def kkt_least_squares(blocks: Sequence[ColumnBlock], y: Sequence[Fraction],
                      support: Sequence[int]
                      ) -> tuple[list[Fraction], list[Fraction], Fraction] | None:
    """The exact minimizer of ``|sum_j alpha_j c_j - y|^2`` over ``alpha >= 0`` when the
    columns ``support`` (indices into the blocks' columns, in order) are its positive ones:
    ``(alpha, r, -r . y - |r|^2 / 2)`` with ``r = sum alpha_j c_j - y`` (the last is the
    minimum, ``|r|^2 / 2``), after checking exactly that the least-squares weights on
    ``support`` are positive and ``c_j . r >= 0`` for every column (the optimality
    conditions). None when a check fails, the support's columns are dependent, or flint is
    missing: the caller then solves it another way.

    >>> b = ColumnBlock([[1, 0], [0, 1]], 2)
    >>> kkt_least_squares([b], [Fraction(2), Fraction(-3)], [0])
    ([Fraction(2, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(3, 1)], Fraction(9, 2))
    >>> kkt_least_squares([b], [Fraction(2), Fraction(-3)], [1]) is None  # wrong support
    True
    """
    if _flint is None or any(b.flint is None and b.columns for b in blocks):
        return None
    N = len(y)
    yv = _flint.fmpq_mat(N, 1, [_fq(v) for v in y])
    where = [(k, j) for k, b in enumerate(blocks) for j in range(len(b.columns))]
    if support:
        picked = [where[s] for s in support]
        MS = _flint.fmpq_mat(N, len(picked), [blocks[k].rows[n][j] for n in range(N)
                                               for k, j in picked])
        MSt = MS.transpose()
        try:
            x = (MSt * MS).solve(MSt * yv)
        except ZeroDivisionError:
            return None
        if any(not x[t, 0] > 0 for t in range(len(picked))):
            return None
        r = MS * x - yv
    else:
        x, r = None, -yv
    for b in blocks:
        if b.flint is not None:
            w = b.flint.transpose() * r
            if any(w[t, 0] < 0 for t in range(len(b.columns))):
                return None
    alpha = [Fraction(0)] * len(where)
    for t, s in enumerate(support):
        assert x is not None
        alpha[s] = _to_fraction(x[t, 0])
    return alpha, [_to_fraction(r[n, 0]) for n in range(N)], _bound(r, yv)


def _bound(r: Any, yv: Any) -> Fraction:
    """``-r . y - |r|^2 / 2`` in flint."""
    rt = r.transpose()
    return _to_fraction(-(rt * yv)[0, 0] - (rt * r)[0, 0] / 2)


def least_squares_residual(blocks: Sequence[ColumnBlock], y: Sequence[Fraction]
                           ) -> tuple[list[Fraction], Fraction] | None:
    """``(r, -r . y - |r|^2 / 2)``, ``r = A x - y`` for the least-squares fit over every column
    of ``blocks`` (so ``c . r = 0`` for every column, and the second is ``|r|^2 / 2``), by the
    normal equations in flint on a basis of the columns (the pivot columns of an exact echelon
    form when they are dependent); None without flint (the caller then uses
    :func:`least_squares`).

    >>> least_squares_residual([ColumnBlock([[1, 1]], 2)], [Fraction(0), Fraction(2)])
    ([Fraction(1, 1), Fraction(-1, 1)], Fraction(1, 1))
    >>> least_squares_residual([ColumnBlock([[1, 1], [2, 2]], 2)], [Fraction(0), Fraction(2)])[1]
    Fraction(1, 1)
    """
    if _flint is None:
        return None
    N = len(y)
    parts = [b for b in blocks if b.flint is not None]
    yv = _flint.fmpq_mat(N, 1, [_fq(v) for v in y])
    if not parts:
        return [-v for v in y], _bound(-yv, yv)
    cols = sum(len(b.columns) for b in parts)
    A = _flint.fmpq_mat(N, cols, [e for n in range(N) for b in parts for e in b.rows[n]])
    At = A.transpose()
    try:
        x = (At * A).solve(At * yv)
    except ZeroDivisionError:  # dependent columns: keep the pivot columns (same span)
        R, rank = A.rref()
        pivots = [next(j for j in range(cols) if R[i, j] != 0) for i in range(rank)]
        A = _flint.fmpq_mat(N, rank, [A[n, j] for n in range(N) for j in pivots])
        At = A.transpose()
        x = (At * A).solve(At * yv)
    r = A * x - yv
    return [_to_fraction(r[n, 0]) for n in range(N)], _bound(r, yv)
