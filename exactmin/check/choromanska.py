"""Checker for ``choromanska/critical_points``: certified critical points of the p-spin glass on
the sphere (docs/certificates/choromanska/critical_points.md). Standard library only;
imports only the reader, the primitives and the pool.

How many obligations: one per listed solution (each claim is about its own ball), one per pair
of solutions (disjointness), and, for ``complete: true``, the count fixed by the statement alone
(``2^(Lambda+1) - 2`` for ``p = 3``); a shorter list cannot claim completeness.

For the Lagrange system ``G(x) = (p S w^(p-1) - lam w, w.w - Lambda)``, ``x = (w, lam)``, each
solution entry names a centre ``c`` (complex rationals) and a radius ``rho``: the ball
``B = {x : max_i |x_i - c_i|_1 <= rho}`` with ``|z|_1 = |Re z| + |Im z|`` (a submultiplicative
norm on C). With ``Y`` a float inverse of ``J(c)`` (any matrix is sound; it is computed here, not
read), ``N(x) = x - Y G(x)`` maps B into itself and contracts when

    kappa = ||I - Y J(c)|| + ||Y|| * sup_B ||J(x) - J(c)|| < 1   and   ||Y G(c)|| + kappa rho < rho

(norms: the max over rows of sums of |.|_1; the sup by monomial majorants). Then G has exactly
one zero in B, and J is nonsingular there (the norm form of the Krawczyk test). Everything
below is exact rational arithmetic.
"""

import cmath
import hashlib
import itertools
import json
import math
from fractions import Fraction
from typing import Any

from . import pool
from .exact import gauss_jordan
from .reader import Malformed, Rejected, Work, array, boolean, integer, obj, rational, sci, show

THEOREM = "choromanska/critical_points"
MAX_LAMBDA, MAX_P = 16, 12  # statement limits: beyond, no enumeration is within reach anyway
C = tuple[Fraction, Fraction]  # a complex rational (re, im)


def _mul(a: C, b: C) -> C:
    return (a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0])


def _norm1(a: C) -> Fraction:
    return abs(a[0]) + abs(a[1])


class SpinStatement:
    """The tensor, its symmetrization S (exact, sparse) and the sizes."""

    def __init__(self, raw: Any, work: Work) -> None:
        ptr = "/statement"
        obj(raw, ptr, ("theorem", "p", "Lambda", "X"))
        self.p = integer(raw["p"], f"{ptr}/p", lo=3, hi=MAX_P)
        self.n = integer(raw["Lambda"], f"{ptr}/Lambda", lo=1, hi=MAX_LAMBDA)
        work.charge(self.n**self.p, f"the tensor ({self.n}^{self.p} entries)")
        flat: list[Fraction] = []

        def walk(node: Any, depth: int, where: str) -> None:
            if depth == self.p:
                flat.append(rational(node, where))
                return
            for i, child in enumerate(array(node, where, self.n)):
                walk(child, depth + 1, f"{where}/{i}")

        walk(raw["X"], 0, f"{ptr}/X")
        sums: dict[tuple[int, ...], Fraction] = {}
        for index, x in zip(itertools.product(range(self.n), repeat=self.p), flat):
            if x:
                key = tuple(sorted(index))
                sums[key] = sums.get(key, Fraction(0)) + x
        self.S: dict[tuple[int, ...], Fraction] = {}
        for index in itertools.product(range(self.n), repeat=self.p):
            v = sums.get(tuple(sorted(index)))
            if v:
                orderings = math.factorial(self.p)
                for k in set(index):
                    orderings //= math.factorial(index.count(k))
                self.S[index] = v / orderings
        canon = json.dumps({k: raw[k] for k in sorted(raw)}, sort_keys=True, separators=(",", ":"))
        self.digest = hashlib.sha256(canon.encode()).hexdigest()[:16]

    def hess(self, w: list[C]) -> list[list[C]]:
        """``p(p-1) S w^(p-2)`` (n x n), exactly."""
        H = [[(Fraction(0), Fraction(0)) for _ in range(self.n)] for _ in range(self.n)]
        f = self.p * (self.p - 1)
        for index, s in self.S.items():
            t: C = (s * f, Fraction(0))
            for k in index[2:]:
                t = _mul(t, w[k])
            h = H[index[0]][index[1]]
            H[index[0]][index[1]] = (h[0] + t[0], h[1] + t[1])
        return H

    def majorant(self, A: list[Fraction], rho: Fraction, drop: int) -> list[Any]:
        """Bounds of ``|sum_K S[.., K] (x^K - c^K)|_1`` over B for the last ``p - drop`` indices
        K (``|x_k|_1 <= A_k + rho``): ``sum_K |S| ((A + rho)^K - A^K)``, a tensor of order
        ``drop`` as nested dicts keyed by the leading indices."""
        out: dict[tuple[int, ...], Fraction] = {}
        for index, s in self.S.items():
            lead, K = index[:drop], index[drop:]
            d = math.prod(A[k] + rho for k in K) - math.prod(A[k] for k in K)
            out[lead] = out.get(lead, Fraction(0)) + abs(s) * d
        return [out]


def _float_inverse(M: list[list[C]]) -> list[list[C]]:
    """A float inverse (as exact dyadics); any matrix is sound here."""
    m = len(M)
    A = [[complex(float(a[0]), float(a[1])) for a in row] + [1.0 if i == j else 0.0 for j in range(m)]
         for i, row in enumerate(M)]
    if not gauss_jordan(A, m, exact=False) or not all(
            cmath.isfinite(v) for row in A for v in row[m:]):
        raise Rejected("Jacobian at a centre", "nonsingular", "singular in floats")
    return [[(Fraction(v.real), Fraction(v.imag)) for v in row[m:]] for row in A]


def _G_J(st: SpinStatement, c: list[C]) -> tuple[list[C], list[list[C]]]:
    n, p = st.n, st.p
    w, lam = c[:n], c[n]
    H = st.hess(w)
    G: list[C] = []
    for i in range(n):
        g = (Fraction(0), Fraction(0))
        for j in range(n):
            t = _mul(H[i][j], w[j])
            g = (g[0] + t[0] / (p - 1), g[1] + t[1] / (p - 1))
        lw = _mul(lam, w[i])
        G.append((g[0] - lw[0], g[1] - lw[1]))
    ww = (Fraction(0), Fraction(0))
    for wi in w:
        t = _mul(wi, wi)
        ww = (ww[0] + t[0], ww[1] + t[1])
    G.append((ww[0] - st.n, ww[1]))
    J = [[(H[i][j][0] - (lam[0] if i == j else 0), H[i][j][1] - (lam[1] if i == j else 0))
          for j in range(n)] + [(-w[i][0], -w[i][1])] for i in range(n)]
    J.append([(2 * wi[0], 2 * wi[1]) for wi in w] + [(Fraction(0), Fraction(0))])
    return G, J


def _jacobian_spread(st: SpinStatement, c: list[C], rho: Fraction) -> list[list[Fraction]]:
    """Entrywise bounds of ``|J(x) - J(c)|_1`` over B (n+1 x n+1); the same bounds hold for the
    bordered Hessian ``[[p(p-1) S w^(p-2) - lam I, w], [w^T, 0]]`` up to the factor 2 on the
    last row, which is bounded by ``2 rho`` here."""
    n = st.n
    A = [_norm1(ci) for ci in c[:n]]
    maj = st.majorant(A, rho, 2)[0]
    f = st.p * (st.p - 1)
    E = [[f * maj.get((i, j), Fraction(0)) + (rho if i == j else 0) for j in range(n)] + [rho]
         for i in range(n)]
    E.append([2 * rho] * n + [Fraction(0)])
    return E


def check_solution(st: SpinStatement, c: list[C], rho: Fraction, what: str) -> None:
    """The contraction test of the module docstring."""
    m = st.n + 1
    G, J = _G_J(st, c)
    Y = _float_inverse(J)
    YG = [_sum(_mul(Y[i][k], G[k]) for k in range(m)) for i in range(m)]
    a = max(_norm1(v) for v in YG)
    E = _jacobian_spread(st, c, rho)
    kappa = Fraction(0)
    for i in range(m):
        row = Fraction(0)
        for j in range(m):
            v = _sum(_mul(Y[i][k], J[k][j]) for k in range(m))
            row += _norm1(((1 if i == j else 0) - v[0], -v[1]))
            row += sum((_norm1(Y[i][k]) * E[k][j] for k in range(m)), Fraction(0))
        kappa = max(kappa, row)
    if not (kappa < 1 and a + kappa * rho < rho):
        raise Rejected(f"{what}: a unique zero in the ball (contraction)",
                       "kappa < 1 and |Y G(c)| + kappa rho < rho",
                       f"kappa ~ {sci(kappa, 3)}, |Y G(c)| ~ {sci(a, 3)}, rho ~ {sci(rho, 3)}")


def _sum(terms: Any) -> C:
    re, im = Fraction(0), Fraction(0)
    for t in terms:
        re += t[0]
        im += t[1]
    return (re, im)


def _inverse_norm(M: list[list[Fraction]]) -> Fraction | None:
    """``||M^-1||_inf`` exactly (Gauss-Jordan on Fractions), or None if M is singular."""
    m = len(M)
    A = [row[:] + [Fraction(int(i == j)) for j in range(m)] for i, row in enumerate(M)]
    if not gauss_jordan(A, m, exact=True):
        return None
    return max(sum((abs(v) for v in row[m:]), Fraction(0)) for row in A)


def negative_eigenvalues(M: list[list[Fraction]]) -> int:
    """Negative eigenvalues of a real symmetric nonsingular M: the characteristic polynomial
    (Faddeev-LeVerrier, exact) has only real roots, so Descartes' rule of signs applied to
    ``chi(-t)`` counts them exactly."""
    m = len(M)
    coeffs = [Fraction(1)]  # chi(t) = t^m + c_1 t^(m-1) + ... + c_m
    Mk = [[Fraction(0)] * m for _ in range(m)]
    for k in range(1, m + 1):
        prev = coeffs[-1]
        Mk = [[sum((M[i][l] * Mk[l][j] for l in range(m)), Fraction(0)) + (prev if i == j else 0)
               for j in range(m)] for i in range(m)]
        coeffs.append(-sum((sum((M[i][l] * Mk[l][i] for l in range(m)), Fraction(0))
                            for i in range(m)), Fraction(0)) / k)
    flipped = [cf * (-1) ** (m - d) for d, cf in enumerate(coeffs)]  # chi(-t), same degrees
    signs = [1 if v > 0 else -1 for v in flipped if v != 0]
    return sum(1 for s, t in zip(signs, signs[1:]) if s != t)


def check_real_point(st: SpinStatement, c: list[C], rho: Fraction, energy: list[Fraction],
                     index: int, what: str) -> None:
    """Energy interval and Morse index of the real zero in B (centre real)."""
    n, p = st.n, st.p
    w = [ci[0] for ci in c[:n]]
    A = [abs(v) for v in w]
    F = sum((s * math.prod(w[k] for k in idx) for idx, s in st.S.items()), Fraction(0))
    dF = st.majorant(A, rho, 0)[0].get((), Fraction(0))
    # energy = Lambda^(-(p-1)/2) F / Lambda; bound Lambda^((p-1)/2) by integers when p is even
    lo_s = hi_s = Fraction(st.n) ** ((p - 1) // 2)
    if p % 2 == 0:
        scale = 2**64
        r = math.isqrt(st.n * scale * scale)
        lo_s, hi_s = lo_s * Fraction(r, scale), lo_s * Fraction(r + 1, scale)
    bounds = [(F + e) / (s * st.n) for e in (-dF, dF) for s in (lo_s, hi_s)]
    if not (energy[0] <= min(bounds) and max(bounds) <= energy[1]):
        raise Rejected(f"{what}: energy interval", f"[{show(energy[0])}, {show(energy[1])}] containing "
                       f"[{sci(min(bounds))}, {sci(max(bounds))}]", "not contained")
    H = st.hess([(v, Fraction(0)) for v in w])
    lam = c[n][0]
    M = [[H[i][j][0] - (lam if i == j else 0) for j in range(n)] + [w[i]] for i in range(n)]
    M.append(w + [Fraction(0)])
    E = _jacobian_spread(st, c, rho)
    spread = max(sum(row) for row in E[:n] + [[rho] * n + [Fraction(0)]])
    inv = _inverse_norm(M)
    if inv is None or not inv * spread < 1:
        raise Rejected(f"{what}: Hessian nonsingular on the ball", "||M(c)^-1|| * spread < 1",
                       "singular" if inv is None else sci(inv * spread, 3))
    k = negative_eigenvalues(M) - 1  # the border adds one negative eigenvalue
    if k != index:
        raise Rejected(f"{what}: Morse index", index, k)


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    """Check a "choromanska/critical_points" certificate (envelope already read); returns the
    info dict. The solutions are checked by ``workers`` processes (default: all cores from 64
    solutions on)."""
    st = SpinStatement(cert["statement"], work)
    work.announce(f"statement: {THEOREM}, p = {st.p}, Lambda = {st.n}, X sha256 {st.digest}")
    if cert["verdict"] != "enumerated":
        raise Malformed("/verdict", f"expected 'enumerated', got {cert['verdict']!r}")
    w = obj(cert["witness"], "/witness", ("solutions", "complete"))
    complete = boolean(w["complete"], "/witness/complete")
    sols = array(w["solutions"], "/witness/solutions")
    m = st.n + 1
    # per solution: the Jacobian products and the exact characteristic polynomial (m^4), the
    # majorants (one pass over S per row); then all pairs for disjointness
    work.charge(len(sols) * (5 * m**4 + len(st.S) * m) + len(sols) ** 2 * m // 2,
                f"{len(sols)} solutions in dimension {m}")
    jobs: list[tuple[int, list[C], Fraction, bool, list[Fraction], int]] = []
    for t, sol in enumerate(sols):  # read everything first (cheap), then the mathematics
        ptr = f"/witness/solutions/{t}"
        obj(sol, ptr, ("center", "radius", "real"), ("energy", "index"))
        c = [_complex(z, f"{ptr}/center/{i}")
             for i, z in enumerate(array(sol["center"], f"{ptr}/center", m))]
        rho = rational(sol["radius"], f"{ptr}/radius")
        if rho <= 0:
            raise Malformed(f"{ptr}/radius", "must be > 0")
        real = boolean(sol["real"], f"{ptr}/real")
        energy, index = [], 0
        if real:
            if "energy" not in sol or "index" not in sol:
                raise Malformed(ptr, "a real solution needs energy and index")
            energy = [rational(v, f"{ptr}/energy/{i}")
                      for i, v in enumerate(array(sol["energy"], f"{ptr}/energy", 2))]
            index = integer(sol["index"], f"{ptr}/index", 0)
        elif "energy" in sol or "index" in sol:
            raise Malformed(ptr, "energy and index belong to real solutions only")
        jobs.append((t, c, rho, real, energy, index))
    generic = 2 * ((st.p - 1) ** st.n - 1) // (st.p - 2)
    if complete and not (st.p == 3 and len(jobs) == generic):  # the count is the statement's
        raise Rejected("complete", f"p = 3 and {generic} distinct solutions (Bezout argument)",
                       f"p = {st.p}, {len(jobs)} solutions")
    if workers is None:
        workers = pool.cores() if len(jobs) >= 64 else 1
    pool.first_failure(_check_job, st, jobs, workers, chunksize=8, progress=work.progress)
    _distinct([(c, rho) for _, c, rho, *_ in jobs])
    return {"theorem": THEOREM, "p": st.p, "Lambda": st.n, "digest": st.digest,
            "verdict": "enumerated", "solutions": len(jobs),
            "real": sum(1 for job in jobs if job[3]), "complete": complete}


def _check_job(st: SpinStatement, job: tuple[int, list[C], Fraction, bool, list[Fraction], int]
               ) -> None:
    """One solution's obligations."""
    t, c, rho, real, energy, index = job
    check_solution(st, c, rho, f"solution {t}")
    if real:
        if any(z[1] for z in c):
            raise Rejected(f"solution {t} is real", "a real centre", "an imaginary part")
        check_real_point(st, c, rho, energy, index, f"solution {t}")
    elif not any(abs(z[1]) > rho for z in c):
        raise Rejected(f"solution {t} is not real", "some |Im c_i| > rho", "none")


def _complex(z: Any, ptr: str) -> C:
    re, im = array(z, ptr, 2)
    return (rational(re, f"{ptr}/0"), rational(im, f"{ptr}/1"))


def _distinct(balls: list[tuple[list[C], Fraction]]) -> None:
    """Balls pairwise disjoint: some coordinate with ``|c_i - c'_i|_1 > rho + rho'``; sorted by
    Re c_0, only neighbours closer than the two largest radii need the full test."""
    order = sorted(range(len(balls)), key=lambda t: balls[t][0][0][0])
    reach = 2 * max((r for _, r in balls), default=Fraction(0))
    for a, ta in enumerate(order):
        ca, ra = balls[ta]
        for tb in order[a + 1:]:
            cb, rb = balls[tb]
            if cb[0][0] - ca[0][0] > reach:
                break
            if not any(_norm1((x[0] - y[0], x[1] - y[1])) > ra + rb for x, y in zip(ca, cb)):
                raise Rejected(f"solutions {min(ta, tb)} and {max(ta, tb)} distinct",
                               "disjoint balls", "overlapping balls")


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    done = ("complete: no other solutions (Bezout argument)" if info["complete"]
            else "completeness not claimed")
    return (f"VERIFIED enumerated: {info['solutions']} solutions of the Lagrange system, "
            f"each the unique zero in its ball, pairwise distinct, {info['real']} real with "
            f"energy and index; {done} ({elapsed:.3g} s, {info['work']:.2g} work units)")
