"""A deliberately naive exact reference for the one-hidden-layer census.

Shares nothing with exactmin's fast path: no python-flint, no PPL. Unit regions are all sign
vectors whose open cone is nonempty (decided by Fourier-Motzkin elimination over Fractions), K is
built by hand, the least-squares fit comes from the normal equations solved by Gauss-Jordan, and
each DLM question is again Fourier-Motzkin. Exponential, so only for tiny instances.
"""

from __future__ import annotations

import itertools
from fractions import Fraction as Q


def fm_feasible(strict, eqs, nvars):
    """Is ``{x : a.x + c > 0 for (a, c) in strict, a.x + c = 0 for (a, c) in eqs}`` nonempty?"""
    rows = [(list(map(Q, a)), Q(c), True) for a, c in strict]
    eqs = [(list(map(Q, a)), Q(c)) for a, c in eqs]
    # Substitute equations away.
    while eqs:
        a, c = eqs.pop()
        k = next((j for j in range(nvars) if a[j] != 0), None)
        if k is None:
            if c != 0:
                return False
            continue

        def sub(b, d, a=a, c=c, k=k):
            f = b[k] / a[k]
            return [bj - f * aj for bj, aj in zip(b, a)], d - f * c

        eqs = [sub(b, d) for b, d in eqs]
        rows = [(*sub(b, d), s) for b, d, s in rows]
    for k in range(nvars):
        pos = [r for r in rows if r[0][k] > 0]
        neg = [r for r in rows if r[0][k] < 0]
        rest = [r for r in rows if r[0][k] == 0]
        for (a, c, s), (b, d, t) in itertools.product(pos, neg):
            fa, fb = 1 / a[k], -1 / b[k]
            rest.append(([x * fa + y * fb for x, y in zip(a, b)], c * fa + d * fb, s or t))
        rows = rest
    return all((c > 0) if s else (c >= 0) for _, c, s in rows)


def solve(M, b):
    """Some solution of the consistent system M x = b (Gauss-Jordan, free variables 0)."""
    m, n = len(M), len(M[0])
    A = [list(map(Q, M[i])) + [Q(b[i])] for i in range(m)]
    piv, r = [], 0
    for c in range(n):
        p = next((i for i in range(r, m) if A[i][c] != 0), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        A[r] = [x / A[r][c] for x in A[r]]
        for i in range(m):
            if i != r and A[i][c] != 0:
                A[i] = [x - A[i][c] * y for x, y in zip(A[i], A[r])]
        piv.append(c)
        r += 1
    x = [Q(0)] * n
    for i, c in enumerate(piv):
        x[c] = A[i][n]
    return x, len(piv)


def census(X, y, d1, rho, noise=None):
    """Return dict(regions, full_rank_regions, dlm_regions, bad_dlm_regions, bad_losses)."""
    d0, N = len(X), len(X[0])
    X = [[Q(v) for v in row] for row in X]
    y = [Q(v) for v in y]
    rho = Q(rho)
    cols = [[X[j][n] for j in range(d0)] for n in range(N)]
    nz = [n for n in range(N) if any(cols[n])]
    units = []
    for s in itertools.product((1, -1), repeat=len(nz)):
        strict = [([s_k * v for v in cols[n]], 0) for s_k, n in zip(s, nz)]
        if fm_feasible(strict, [], d0):
            signs = [0] * N
            for s_k, n in zip(s, nz):
                signs[n] = s_k
            units.append(signs)
    E = noise or [[1] * N for _ in range(d1)]
    out = dict(regions=0, full_rank_regions=0, dlm_regions=0, bad_dlm_regions=0)
    losses = set()
    nv = d0 * d1
    for S in itertools.product(units, repeat=d1):
        A = [[Q(E[i][n]) * (rho if S[i][n] < 0 else 1) for n in range(N)] for i in range(d1)]
        K = [[A[i][n] * X[j][n] for n in range(N)] for i in range(d1) for j in range(d0)]
        # Normal equations K K^T v = K y; p = K^T v.
        G = [[sum(K[a][n] * K[b][n] for n in range(N)) for b in range(nv)] for a in range(nv)]
        Ky = [sum(K[a][n] * y[n] for n in range(N)) for a in range(nv)]
        v, _ = solve(G, Ky)
        p = [sum(K[a][n] * v[a] for a in range(nv)) for n in range(N)]
        _, rank = solve([row[:] for row in K], [0] * nv)
        e = [pn - yn for pn, yn in zip(p, y)]
        loss = sum(x * x for x in e) / 2
        out["regions"] += 1
        out["full_rank_regions"] += rank == N
        eqs = [([K[a][n] for a in range(nv)], -p[n]) for n in range(N)]
        has = False
        for sigma in itertools.product((1, -1, 0), repeat=d1):
            strict, eq = [], list(eqs)
            for i, s_i in enumerate(sigma):
                for j in range(d0):
                    if s_i == 0:
                        row = [Q(0)] * nv
                        row[i * d0 + j] = Q(1)
                        eq.append((row, 0))
                if s_i != 0:
                    for n in nz:
                        row = [Q(0)] * nv
                        for j in range(d0):
                            row[i * d0 + j] = s_i * S[i][n] * X[j][n]
                        strict.append((row, 0))
            if fm_feasible(strict, eq, nv):
                has = True
                break
        if has:
            out["dlm_regions"] += 1
            if loss != 0:
                out["bad_dlm_regions"] += 1
                losses.add(loss)
    out["bad_losses"] = sorted(losses)
    return out
