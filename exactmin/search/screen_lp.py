"""Compiled exact decision of the regions the screen defers: every sign choice of ``z`` proved
empty by a Motzkin certificate that a float simplex proposes and residues verify.

A region the screen (:mod:`exactmin.search.screen`) cannot decide by one unit alone usually
still holds no DLM: the sign systems of two or more units together are empty. With ``r = rank
K`` certified as there, the least-squares set is ``v = (P + D t) / det G`` over ``t in Q^k``
(``k = nv - r``; ``P`` and the columns of ``D``, a basis of ``ker K^T``, are integer vectors
known modulo every prime, from Gram solves with the rows of ``K`` outside ``J`` as further
right-hand sides). A sign choice ``sigma`` asks for ``t`` with ``sigma_i s_n x_n . (P_i + D_i t)
> 0`` for every unit with ``sigma_i != 0`` and live point n, and ``P_i + D_i t = 0`` (two
non-strict rows per coordinate) for every unit with ``sigma_i = 0``. The units are searched
depth first (a prefix whose system is empty prunes every choice below it), as the decider does.

**Why a pruned prefix is exact.** Motzkin's transposition theorem, the easy direction: rows
``a_m . t + b_m`` (strict or not) have no common solution if some ``y >= 0`` has
``sum y_m a_m = 0`` and either ``u . y > 0`` with ``u`` the indicator of the strict rows and
``sum y_m b_m <= 0`` (mode 1), or ``sum y_m b_m < 0`` (mode 2): at a solution
``sum y_m (a_m . t + b_m)`` would be both positive or 0 and not. A float simplex (normalized rows;
minimize ``b . y`` subject to ``A^T y = 0`` and ``u . y = 1``, or find ``y`` with ``A^T y = 0`` and
``-b . y = 1``) proposes a basis: a set ``S`` of rows and a set of the equations that are
independent on it, square. The certificate is then *computed exactly*: ``y' = adj(B) e`` (``B`` the
basis matrix, ``e`` the normalization row's unit vector) is an integer vector with
``B y' = det(B) e``; modulo every prime it is ``det(B) B^-1 e`` (one elimination). Every condition
is checked on integers of known bound ``Q = (k' + 1) k'^(k'/2) A^(k'+1)`` for a basis of ``k' + 1``
rows (Hadamard: the entries of ``y'`` are ``k' x k'`` minors; ``A = X1 B`` bounds every ``a_m``,
``b_m``, ``B`` the bound of the screen's lines), by their residues modulo primes with product
``M > 2 Q`` (the residues of ``P`` and ``D`` are computed for as many primes as the largest basis
so far needs): ``sum_S y'_m a_m = 0`` in *every* coordinate (not only those of the basis: all
residues 0 and below ``M / 2`` in size), ``det(B) = u . y'`` (mode 1) or ``-b . y'`` (mode 2)
nonzero, the signs of ``y'`` all those of ``det(B)`` or 0, and the sign of ``b . y'``. Floats only
choose ``S``; a proposal that fails any check prunes nothing (the search goes on below the prefix),
and a sign choice of full length not pruned leaves the region to the decider, as before.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numba import njit

from exactmin.search.screen import ScreenTable, _crt_sign, _gram, _load, _rref, _solve

__all__ = ["solve_deferred", "warm_up"]

TOL = 1e-9  # the float simplex's tolerance (a proposal only)
MAX_PIVOTS = 200  # per phase: a longer run proposes nothing


@njit(cache=True)
def _simplex(T: np.ndarray, basis: np.ndarray, rows: int, cols: int, first_art: int,
             obj: np.ndarray, phase2: bool) -> int:  # pragma: no cover - compiled
    """Minimize ``obj . x`` over the tableau ``T`` (``rows`` constraint rows, column ``cols`` the
    right-hand side, a basic column per row in ``basis``) by Bland's rule; artificial columns
    (from ``first_art``) never enter in phase 2. Returns 0 optimal, 1 unbounded, 2 gave up."""
    for _ in range(MAX_PIVOTS):
        enter = -1
        for c in range(cols):
            if phase2 and c >= first_art:
                break
            isbasic = False
            for q in range(rows):
                if basis[q] == c:
                    isbasic = True
                    break
            if isbasic:
                continue
            rc = obj[c]
            for q in range(rows):
                rc -= obj[basis[q]] * T[q, c]
            if rc < -TOL:
                enter = c
                break
        if enter < 0:
            return 0
        leave = -1
        best = 0.0
        for q in range(rows):
            if T[q, enter] > TOL:
                ratio = T[q, cols] / T[q, enter]
                if leave < 0 or ratio < best - TOL or (ratio <= best + TOL
                                                       and basis[q] < basis[leave]):
                    leave = q
                    best = ratio
        if leave < 0:
            return 1
        _pivot(T, rows, cols, leave, enter)
        basis[leave] = enter
    return 2


@njit(cache=True)
def _pivot(T: np.ndarray, rows: int, cols: int, q: int, c: int) -> None:  # pragma: no cover
    """One simplex pivot of the float tableau ``T`` (``rows`` x ``cols + 1``, the right-hand
    side last) on row q and column c: row q divided by ``T[q, c]``, column c eliminated from
    every other row."""
    piv = T[q, c]
    for cc in range(cols + 1):
        T[q, cc] /= piv
    for rr in range(rows):
        f = T[rr, c]
        if rr != q and f != 0.0:
            for cc in range(cols + 1):
                T[rr, cc] -= f * T[q, cc]


@njit(cache=True)
def _propose(fa: np.ndarray, fb: np.ndarray, strict: np.ndarray, n: int, k: int, mode: int,
             T: np.ndarray, basis: np.ndarray, obj: np.ndarray,
             support: np.ndarray) -> int:  # pragma: no cover - compiled
    """Float proposal of a certificate for the ``n`` rows ``fa[m] . t + fb[m]`` (normalized;
    ``strict`` flags the strict ones): mode 1 minimizes ``b . y`` over ``A^T y = 0``, ``u . y =
    1``; mode 2 looks for ``A^T y = 0``, ``-b . y = 1``. The rows carrying the final basis go
    to ``support``; returns their number (0: nothing worth verifying)."""
    rows = k + 1
    cols = n + rows
    for q in range(rows):
        for c in range(cols + 1):
            T[q, c] = 0.0
        T[q, n + q] = 1.0
        basis[q] = n + q
    for m in range(n):
        for q in range(k):
            T[q, m] = fa[m, q]
        if mode == 1:
            T[k, m] = 1.0 if strict[m] else 0.0
        else:
            T[k, m] = -fb[m]
    T[k, cols] = 1.0
    for c in range(cols):  # phase 1: the artificials' sum
        obj[c] = 1.0 if c >= n else 0.0
    if _simplex(T, basis, rows, cols, n, obj, False) != 0:
        return 0
    for q in range(rows):
        if basis[q] >= n and T[q, cols] > TOL:
            return 0  # no such y (in floats): nothing to certify
    for q in range(rows):  # artificials left at 0: out of the basis, or their row is redundant
        if basis[q] >= n:
            best = -1
            for c in range(n):
                if abs(T[q, c]) > TOL and (best < 0 or abs(T[q, c]) > abs(T[q, best])):
                    isbasic = False
                    for qq in range(rows):
                        if basis[qq] == c:
                            isbasic = True
                    if not isbasic:
                        best = c
            if best >= 0:
                _pivot(T, rows, cols, q, best)
                basis[q] = best
    if mode == 1:
        for c in range(cols):
            obj[c] = fb[c] if c < n else 0.0
        if _simplex(T, basis, rows, cols, n, obj, True) != 0:
            return 0
        value = 0.0
        for q in range(rows):
            if basis[q] < n:
                value += fb[basis[q]] * T[q, cols]
        if value > TOL:
            return 0  # the rows look feasible
    s = 0
    for q in range(rows):
        if basis[q] < n:
            support[s] = basis[q]
            s += 1
    return s


@njit(cache=True)
def _independent_rows(fa: np.ndarray, support: np.ndarray, s: int, k: int, want: int,
                      W: np.ndarray, chosen: np.ndarray) -> bool:  # pragma: no cover
    """``want`` coordinates q whose rows ``(fa[support[l], q])_l`` are independent in floats
    (greedy Gram-Schmidt), into ``chosen``; False when there are not that many."""
    got = 0
    for q in range(k):
        if got == want:
            break
        norm0 = 0.0
        for l in range(s):
            W[got, l] = fa[support[l], q]
            norm0 += W[got, l] * W[got, l]
        if norm0 == 0.0:
            continue
        for g in range(got):
            dot = 0.0
            for l in range(s):
                dot += W[got, l] * W[g, l]
            for l in range(s):
                W[got, l] -= dot * W[g, l]
        norm = 0.0
        for l in range(s):
            norm += W[got, l] * W[got, l]
        if norm <= 1e-12 * norm0:
            continue
        norm = math.sqrt(norm)
        for l in range(s):
            W[got, l] /= norm
        chosen[got] = q
        got += 1
    return got == want


@njit(cache=True)
def _row_residues(kind: int, unit: int, idx: int, sg: int, j: int, p: int, d0: int, k: int,
                  cols: np.ndarray, Pv: np.ndarray, Dv: np.ndarray,
                  a: np.ndarray) -> int:  # pragma: no cover - compiled
    """Row ``a . t + b`` modulo prime j: ``a`` into ``a[:k]``, returns ``b``. kind 0: point
    ``idx`` of the unit, ``sg (x_n . (P_i + D_i t))``; kind 1: coordinate ``idx``, ``sg (P + D
    t)`` there."""
    if kind == 1:
        c = unit * d0 + idx
        for q in range(k):
            a[q] = Dv[c, q, j] if sg > 0 else (p - Dv[c, q, j]) % p
        return Pv[c, j] if sg > 0 else (p - Pv[c, j]) % p
    for q in range(k):
        acc = 0
        for e in range(d0):
            acc += cols[j, idx, e] * Dv[unit * d0 + e, q, j] % p
        acc %= p
        a[q] = acc if sg > 0 else (p - acc) % p
    acc = 0
    for e in range(d0):
        acc += cols[j, idx, e] * Pv[unit * d0 + e, j] % p
    acc %= p
    return acc if sg > 0 else (p - acc) % p


@njit(cache=True)
def _verified(mode: int, support: np.ndarray, s: int, chosen: np.ndarray, k: int,
              rkind: np.ndarray, runit: np.ndarray, ridx: np.ndarray, rsg: np.ndarray,
              strict: np.ndarray, m: int, primes: np.ndarray, inv: np.ndarray,
              half: np.ndarray, d0: int, cols: np.ndarray, Pv: np.ndarray, Dv: np.ndarray,
              Bm: np.ndarray, ivs: np.ndarray, ares: np.ndarray, bres: np.ndarray,
              yres: np.ndarray, zres: np.ndarray, sres: np.ndarray, dres: np.ndarray,
              digits: np.ndarray) -> bool:  # pragma: no cover - compiled
    """The exact certificate of a proposal (the module docstring): True when it proves the
    rows have no common solution."""
    for j in range(m):
        p = primes[j]
        for l in range(s):
            row = support[l]
            bres[l] = _row_residues(rkind[row], runit[row], ridx[row], rsg[row], j, p, d0, k,
                                    cols, Pv, Dv, ares[l])
        for g in range(s - 1):  # B: the chosen coordinates, then the normalization row
            for l in range(s):
                Bm[g, l] = ares[l, chosen[g]]
            Bm[g, s] = 0
        for l in range(s):
            if mode == 1:
                Bm[s - 1, l] = 1 if strict[support[l]] else 0
            else:
                Bm[s - 1, l] = (p - bres[l]) % p
        Bm[s - 1, s] = 1
        det = _solve(Bm, s, 1, p, ivs)
        if det == 0:
            return False
        dres[j] = det
        acc = 0
        for l in range(s):
            yres[l, j] = det * Bm[l, s] % p
            acc += yres[l, j] * bres[l] % p
        sres[j] = acc % p
        for q in range(k):
            acc = 0
            for l in range(s):
                acc += yres[l, j] * ares[l, q] % p
            zres[q, j] = acc % p
    for q in range(k):  # sum y'_m a_m = 0 in every coordinate
        for j in range(m):
            if zres[q, j] != 0:
                return False
    sdet = _crt_sign(dres, m, primes, inv, half, digits)
    if sdet == 0:
        return False
    for l in range(s):
        if _crt_sign(yres[l], m, primes, inv, half, digits) * sdet < 0:
            return False
    if mode == 1:
        return _crt_sign(sres, m, primes, inv, half, digits) * sdet <= 0
    return True


@njit(cache=True)
def _fsolve(G: np.ndarray, r: int, nrhs: int) -> bool:  # pragma: no cover - compiled
    """Float Gaussian elimination with partial pivoting, in place (solutions in the last
    ``nrhs`` columns); False when a pivot vanishes."""
    w = r + nrhs
    for c in range(r):
        piv = c
        for rr in range(c + 1, r):
            if abs(G[rr, c]) > abs(G[piv, c]):
                piv = rr
        if G[piv, c] == 0.0:
            return False
        if piv != c:
            for cc in range(w):
                G[piv, cc], G[c, cc] = G[c, cc], G[piv, cc]
        for rr in range(c + 1, r):
            f = G[rr, c] / G[c, c]
            if f != 0.0:
                for cc in range(c, w):
                    G[rr, cc] -= f * G[c, cc]
    for h in range(r, w):
        for c in range(r - 1, -1, -1):
            acc = G[c, h]
            for cc in range(c + 1, r):
                acc -= G[c, cc] * G[cc, h]
            G[c, h] = acc / G[c, c]
    return True


@njit(cache=True)
def _residues(blocks: np.ndarray, gram: np.ndarray, ky: np.ndarray, ys: np.ndarray,
              primes: np.ndarray, t: np.ndarray, J: np.ndarray, r: int, F: np.ndarray, k: int,
              pos: np.ndarray, lo: int, hi: int, G: np.ndarray, ivs: np.ndarray,
              Pv: np.ndarray, Dv: np.ndarray) -> bool:  # pragma: no cover - compiled
    """``det G * v = Pv + Dv t`` modulo the primes ``lo .. hi - 1`` (Gram solves with the rows
    ``k_f``, f in F, as further right-hand sides); False when one of them divides det G."""
    nv = pos.shape[0]
    for j in range(lo, hi):
        p = primes[j]
        _gram(blocks, gram, ky, ys, j, p, t, J, r, F, k, G)
        det = _solve(G, r, 1 + k, p, ivs)
        if det == 0:
            return False
        for c in range(nv):
            Pv[c, j] = det * G[pos[c], r] % p if pos[c] >= 0 else 0
            for q in range(k):
                if pos[c] >= 0:
                    Dv[c, q, j] = (p - det * G[pos[c], r + 1 + q] % p) % p
                else:
                    Dv[c, q, j] = det if F[q] == c else 0
    return True


@njit(cache=True)
def _float_solution(fblocks: np.ndarray, fy: np.ndarray, t: np.ndarray, J: np.ndarray, r: int,
                    F: np.ndarray, k: int, pos: np.ndarray, Gf: np.ndarray, fP: np.ndarray,
                    fD: np.ndarray) -> bool:  # pragma: no cover - compiled
    """The least-squares set in floats, ``v = fP + fD t`` (``fP = G^-1 K_J y`` on J, column q
    of ``fD`` is ``e_F[q] - G^-1 K_J k_F[q]``): what the proposals are computed from; False
    when the float elimination meets a zero pivot."""
    _, _, d0, N = fblocks.shape
    nv = pos.shape[0]
    for a in range(r):
        ia, aa = J[a] // d0, J[a] % d0
        for b in range(r):
            ib, bb = J[b] // d0, J[b] % d0
            acc = 0.0
            for n in range(N):
                acc += fblocks[ia, t[ia], aa, n] * fblocks[ib, t[ib], bb, n]
            Gf[a, b] = acc
        acc = 0.0
        for n in range(N):
            acc += fblocks[ia, t[ia], aa, n] * fy[n]
        Gf[a, r] = acc
        for q in range(k):
            f = F[q]
            iff, af = f // d0, f % d0
            acc = 0.0
            for n in range(N):
                acc += fblocks[ia, t[ia], aa, n] * fblocks[iff, t[iff], af, n]
            Gf[a, r + 1 + q] = acc
    if not _fsolve(Gf, r, 1 + k):
        return False
    for c in range(nv):
        fP[c] = Gf[pos[c], r] if pos[c] >= 0 else 0.0
        for q in range(k):
            if pos[c] >= 0:
                fD[c, q] = -Gf[pos[c], r + 1 + q]
            else:
                fD[c, q] = 1.0 if F[q] == c else 0.0
    return True


@njit(cache=True)
def _float_rows(choice: np.ndarray, depth: int, signs: np.ndarray, t: np.ndarray,
                fcols: np.ndarray, fP: np.ndarray, fD: np.ndarray, k: int, fa: np.ndarray,
                fb: np.ndarray, strict: np.ndarray, rkind: np.ndarray, runit: np.ndarray,
                ridx: np.ndarray, rsg: np.ndarray) -> tuple[int, bool, bool]:  # pragma: no cover
    """The rows of the sign choice ``choice[:depth + 1]`` (0, 1, 2: sign +1, -1, 0 of z_i) in
    floats, normalized: per unit with a sign, ``sigma s_n x_n . v_i > 0`` for its points
    (strict); per unit with z_i = 0, ``v_i = 0`` as two opposite rows per coordinate. ``rkind``,
    ``runit``, ``ridx``, ``rsg`` record what each row is, for the exact check. Returns (rows,
    whether some are equalities, whether some are strict)."""
    N, d0 = fcols.shape
    n = 0
    has_eq = False
    has_strict = False
    for i in range(depth + 1):
        sigma = 1 if choice[i] == 0 else (-1 if choice[i] == 1 else 0)
        if sigma != 0:
            for pt in range(N):
                s = signs[t[i], pt]
                if s == 0:
                    continue
                norm = 0.0
                fbv = 0.0
                for e in range(d0):
                    fbv += fcols[pt, e] * fP[i * d0 + e]
                fb[n] = sigma * s * fbv
                norm += fbv * fbv
                for q in range(k):
                    acc = 0.0
                    for e in range(d0):
                        acc += fcols[pt, e] * fD[i * d0 + e, q]
                    fa[n, q] = sigma * s * acc
                    norm += acc * acc
                if norm == 0.0:
                    continue
                norm = math.sqrt(norm)
                fb[n] /= norm
                for q in range(k):
                    fa[n, q] /= norm
                strict[n] = True
                rkind[n] = 0
                runit[n] = i
                ridx[n] = pt
                rsg[n] = sigma * s
                n += 1
                has_strict = True
        else:
            for e in range(d0):
                c = i * d0 + e
                norm = fP[c] * fP[c]
                for q in range(k):
                    norm += fD[c, q] * fD[c, q]
                if norm == 0.0:
                    continue
                norm = math.sqrt(norm)
                for sg in (1, -1):
                    fb[n] = sg * fP[c] / norm
                    for q in range(k):
                        fa[n, q] = sg * fD[c, q] / norm
                    strict[n] = False
                    rkind[n] = 1
                    runit[n] = i
                    ridx[n] = e
                    rsg[n] = sg
                    n += 1
                has_eq = True
    return n, has_eq, has_strict


@njit(cache=True)
def _region(blocks: np.ndarray, gram: np.ndarray, ky: np.ndarray, ys: np.ndarray,
            cols: np.ndarray, signs: np.ndarray, primes: np.ndarray, inv: np.ndarray,
            half: np.ndarray, m_rank: int, lp_primes: np.ndarray, fblocks: np.ndarray,
            fy: np.ndarray, fcols: np.ndarray, t: np.ndarray,
            w: Any) -> int:  # pragma: no cover - compiled
    """``rank K`` when every sign choice of the region ``t`` is proved empty (no DLM); -2 when
    a sign choice was not (left in ``choice`` as signs: the floats found it feasible), -1 when
    the region could not be searched; ``w``: the work arrays of :func:`_work`."""
    (A, pivcol, ispiv, J, F, pos, G, ivs, Gf, fP, fD, Pv, Dv, fa, fb, strict, rkind, runit,
     ridx, rsg, T, basis, obj, support, W, chosen, Bm, ares, bres, yres, zres, sres, dres,
     digits, choice) = w
    m_all, d1, R, d0, N = blocks.shape
    nv = d0 * d1
    r = -1
    for j in range(m_rank):  # rank K, as the screen certifies it
        _load(blocks, ys, j, t, A)
        rj = _rref(A, primes[j], pivcol, ispiv, digits, ivs)  # (its determinant is not used)
        if j == 0:
            r = rj
            for a in range(rj):
                J[a] = pivcol[a]
        elif rj != r:
            return -1
    k = nv - r
    if k <= 0 or r >= lp_primes.shape[0] or lp_primes[r, 1] == 0:
        return -1
    for c in range(nv):
        pos[c] = -1
    for a in range(r):
        pos[J[a]] = a
    nf = 0
    for c in range(nv):  # the rows of K outside J: one kernel direction each
        if pos[c] < 0:
            F[nf] = c
            nf += 1
    if not _float_solution(fblocks, fy, t, J, r, F, k, pos, Gf, fP, fD):
        return -1
    m_have = 0  # primes whose residues of Pv and Dv are known (more on demand, _residues)
    # depth first over the units' signs (1, -1, 0); a proved prefix prunes its subtree
    depth = 0
    choice[0] = 0
    while True:
        n, has_eq, has_strict = _float_rows(choice, depth, signs, t, fcols, fP, fD, k, fa, fb,
                                            strict, rkind, runit, ridx, rsg)
        pruned = False
        for mode in (2, 1):
            if pruned or (mode == 2 and not has_eq) or (mode == 1 and not has_strict):
                continue
            s = _propose(fa, fb, strict, n, k, mode, T, basis, obj, support)
            if s == 0 or not _independent_rows(fa, support, s, k, s - 1, W, chosen):
                continue
            m = lp_primes[r, s]  # the bound of a certificate on s rows
            if m == 0:
                continue
            if m > m_have:
                if not _residues(blocks, gram, ky, ys, primes, t, J, r, F, k, pos, m_have, m,
                                 G, ivs, Pv, Dv):
                    return -1  # a prime divides det G
                m_have = m
            pruned = _verified(mode, support, s, chosen, k, rkind, runit, ridx, rsg, strict, m,
                               primes, inv, half, d0, cols, Pv, Dv, Bm, ivs, ares, bres, yres,
                               zres, sres, dres, digits)
        if not pruned:
            if depth == d1 - 1:  # a full sign choice not excluded: perhaps a DLM
                for i in range(d1):
                    choice[i] = 1 if choice[i] == 0 else (-1 if choice[i] == 1 else 0)
                return -2
            depth += 1
            choice[depth] = 0
            continue
        while True:  # the next choice at this depth, or back up
            choice[depth] += 1
            if choice[depth] < 3:
                break
            depth -= 1
            if depth < 0:
                return r


def _work(m_all: int, d1: int, d0: int, N: int) -> tuple[np.ndarray, ...]:
    """The work arrays of :func:`_region` for one process (sized for the largest system: every
    unit's points, or two rows per coordinate)."""
    nv = d0 * d1
    rows = d1 * max(N, 2 * d0)
    i64, f64 = np.int64, np.float64
    return (np.zeros((N, nv), i64), np.zeros(nv, i64), np.zeros(nv, i64), np.zeros(nv, i64),
            np.zeros(nv, i64), np.zeros(nv, i64), np.zeros((nv, 2 * nv + 1), i64),
            np.zeros(2 * max(nv, N) + 4, i64), np.zeros((nv, 2 * nv + 1), f64), np.zeros(nv, f64),
            np.zeros((nv, nv), f64), np.zeros((nv, m_all), i64),
            np.zeros((nv, nv, m_all), i64), np.zeros((rows, nv), f64), np.zeros(rows, f64),
            np.zeros(rows, np.bool_), np.zeros(rows, i64), np.zeros(rows, i64),
            np.zeros(rows, i64), np.zeros(rows, i64), np.zeros((nv + 1, rows + nv + 2), f64),
            np.zeros(nv + 1, i64), np.zeros(rows + nv + 1, f64), np.zeros(nv + 1, i64),
            np.zeros((nv + 1, nv + 1), f64), np.zeros(nv + 1, i64),
            np.zeros((nv + 1, nv + 2), i64), np.zeros((nv + 1, nv), i64),
            np.zeros(nv + 1, i64), np.zeros((nv + 1, m_all), i64), np.zeros((nv, m_all), i64),
            np.zeros(m_all, i64), np.zeros(m_all, i64), np.zeros(m_all, i64),
            np.zeros(d1, i64))


@njit(cache=True)
def _solve_all(blocks: np.ndarray, gram: np.ndarray, ky: np.ndarray, ys: np.ndarray,
               cols: np.ndarray, signs: np.ndarray, primes: np.ndarray, inv: np.ndarray,
               half: np.ndarray, m_rank: int, lp_primes: np.ndarray, fblocks: np.ndarray,
               fy: np.ndarray, fcols: np.ndarray, tuples: np.ndarray, out: np.ndarray,
               hints: np.ndarray, w: Any) -> None:  # pragma: no cover - compiled
    choice = w[-1]
    for e in range(tuples.shape[0]):
        out[e] = _region(blocks, gram, ky, ys, cols, signs, primes, inv, half, m_rank,
                         lp_primes, fblocks, fy, fcols, tuples[e], w)
        if out[e] == -2:
            for i in range(choice.shape[0]):
                hints[e, i] = choice[i]


def solve_deferred(table: ScreenTable, deferred: Sequence[tuple[int, ...]]
                   ) -> tuple[list[int], list[tuple[int, ...] | None]]:
    """Per tuple the screen deferred, ``rank K`` when every sign choice of ``z`` is proved
    empty (the region holds no DLM), else -1 (the decider decides it, as before); and per
    tuple a sign choice the floats found feasible (a hint for the decider), or None."""
    none: list[tuple[int, ...] | None] = [None] * len(deferred)
    if not deferred or table.lp_primes.max() == 0:
        return [-1] * len(deferred), none
    m_all, d1, _, d0, N = table.blocks.shape
    if table.work is None:
        table.work = _work(m_all, d1, d0, N)
    out = np.full(len(deferred), -1, dtype=np.int64)
    hints = np.zeros((len(deferred), d1), dtype=np.int64)
    _solve_all(table.blocks, table.gram, table.ky, table.y, table.cols, table.signs,
               table.primes, table.inv, table.half, int(table.m_rank), table.lp_primes,
               table.fblocks, table.fy, table.fcols, np.array(deferred, dtype=np.int64), out,
               hints, table.work)
    return ([max(-1, int(x)) for x in out],
            [tuple(int(v) for v in h) if x == -2 else None for x, h in zip(out, hints)])


_WARM: list[bool] = []  # warm_up ran in this process


def warm_up() -> None:
    """Load (or compile) the screen and this module now, e.g. before worker processes fork or
    before a census estimate is timed (once per process)."""
    if _WARM:
        return
    from exactmin.decide import RegionDecider
    from exactmin.geometry import enumerate_regions
    from exactmin.models import Instance
    from exactmin.search.screen import warm_up as screen_warm_up

    screen_warm_up()
    inst = Instance.from_lists([[1, 1, 2], [2, 1, 1]], [1, 2, 0], d1=2, rho="1/2")
    table = ScreenTable(RegionDecider(inst), enumerate_regions(inst.X))
    m_all, d1, _, d0, N = table.blocks.shape
    table.work = _work(m_all, d1, d0, N)
    _solve_all(table.blocks, table.gram, table.ky, table.y, table.cols, table.signs,
               table.primes, table.inv, table.half, int(table.m_rank), table.lp_primes,
               table.fblocks, table.fy, table.fcols, np.zeros((1, d1), dtype=np.int64),
               np.zeros(1, dtype=np.int64), np.zeros((1, d1), dtype=np.int64), table.work)
    _WARM.append(True)
