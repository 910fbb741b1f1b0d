"""A region without a DLM, proved by sign-choice leaves (``{"no_dlm_tree": ...}`` entries of
``soudry_carmon/census``; the rule, and why it is sound: docs/certificates/soudry_carmon/
census.md, "Sign-choice leaves").

The kernel derives the least-squares set ``v* + sum_f c_f b_f`` itself (one integer
Gauss-Jordan elimination of ``[K K^T | K y]``) and from it the canonical integer rows
``x_n . v_i`` and ``v_i = 0`` in ``c``; a leaf's signs come from its position in the
depth-first order, its multipliers from the certificate. Standard library only.
"""

import math
from fractions import Fraction
from typing import Any

from .reader import Malformed, Rejected, array, integer


def _primitive(row: list[int]) -> list[int]:
    g = math.gcd(*row)
    return [x // g for x in row] if g > 1 else row


def _lcm_den(values: list[Fraction]) -> int:
    return math.lcm(1, *(q.denominator for q in values))


class IntegerBlocks:
    """Block ``i`` of ``K`` for unit region ``k`` times ``sK``, as integer rows (cached)."""

    def __init__(self, st: Any, signs: list[list[int]]) -> None:
        self.st, self.signs = st, signs
        A = [st.E(i, n) for i in range(st.d1) for n in range(st.N)]
        self.sK = _lcm_den([x for row in st.X for x in row]) * _lcm_den(A) * st.rho.denominator
        self.sy = _lcm_den(st.y)
        self.y = [int(q * self.sy) for q in st.y]
        self.cols = [[int(x * _lcm_den(c)) for x in c] for c in st.cols]  # x_n, scaled by > 0
        self.nonzero = set(st.nonzero)
        self.cache: dict[tuple[int, int], list[list[int]]] = {}

    def block(self, i: int, k: int) -> list[list[int]]:
        if (i, k) not in self.cache:
            st, s = self.st, self.signs[k]
            a = [st.E(i, n) * (st.rho if s[n] < 0 else 1) * self.sK for n in range(st.N)]
            self.cache[i, k] = [[int(a[n] * st.X[j][n]) for n in range(st.N)]
                                for j in range(st.d0)]
        return self.cache[i, k]

    def rows(self, tup: tuple[int, ...]) -> tuple[int, Any]:
        """``(k, row)``: the free coordinates' count and ``row(key, i, n)``, the canonical row
        of unit i's point n (``key`` "mu") or of coordinate n of ``v_i = 0`` ("lam")."""
        st = self.st
        K = [row for i, k in enumerate(tup) for row in self.block(i, k)]
        nv = len(K)
        M = [[0] * (nv + 1) for _ in range(nv)]  # [K K^T | K y], K K^T symmetric
        for a in range(nv):
            M[a][nv] = sum(map(int.__mul__, K[a], self.y))
            for b in range(a, nv):
                M[a][b] = M[b][a] = sum(map(int.__mul__, K[a], K[b]))
        pivots: list[int] = []
        for c in range(nv):
            r = len(pivots)
            p = next((t for t in range(r, nv) if M[t][c]), None)
            if p is None:
                continue
            M[r], M[p] = (M[p] if M[p][c] > 0 else [-x for x in M[p]]), M[r]
            pr = M[r]
            for t in range(nv):
                if t != r and M[t][c]:
                    f = M[t][c]
                    M[t] = _primitive([pr[c] * x - f * y for x, y in zip(M[t], pr)])
            pivots.append(c)
        free = [c for c in range(nv) if c not in pivots]
        D = math.lcm(1, *(M[r][c] for r, c in enumerate(pivots)))
        B = [[0] * (len(free) + 1) for _ in range(nv)]  # columns D b_f, then D v*
        for t, f in enumerate(free):
            B[f][t] = D
        for r, c in enumerate(pivots):
            q = D // M[r][c]
            B[c] = [-M[r][f] * q for f in free] + [M[r][nv] * q]
        k = len(free)

        def row(key: str, i: int, n: int) -> list[int]:
            Bi = B[i * st.d0:(i + 1) * st.d0]
            r = Bi[n] if key == "lam" else [sum(x * b[t] for x, b in zip(self.cols[n], Bi))
                                            for t in range(k + 1)]
            return _primitive([self.sy * x for x in r[:k]] + [self.sK * r[k]])

        return k, row


def check_tree(blocks: IntegerBlocks, tup: tuple[int, ...], val: Any, ptr: str) -> None:
    """The leaves ``val`` prove that region ``tup`` holds no DLM (shape read here)."""
    st = blocks.st
    if not isinstance(val, dict) or set(val) != {"order", "leaves"}:
        raise Malformed(ptr, "expected an object with keys order, leaves")
    order = [integer(u, f"{ptr}/order/{t}", 0, st.d1 - 1)
             for t, u in enumerate(array(val["order"], f"{ptr}/order", st.d1))]
    if len(set(order)) != st.d1:
        raise Malformed(f"{ptr}/order", "expected every unit once")
    k, canonical = blocks.rows(tup)
    what = f"region {list(tup)}"
    covered, total = 0, 3 ** st.d1
    for t, leaf in enumerate(array(val["leaves"], f"{ptr}/leaves")):
        lp = f"{ptr}/leaves/{t}"
        depth_raw, mu_raw, lam_raw = array(leaf, lp, 3)
        depth = integer(depth_raw, f"{lp}/0", 1, st.d1)
        span = 3 ** (st.d1 - depth)
        if covered == total or covered % span:
            raise Rejected(f"{what}: leaf {t} covers the next sign choices in order",
                           f"a subtree starting at choice {covered}", f"depth {depth}")
        sigma, pos = {}, covered // span
        for u in reversed(order[:depth]):
            sigma[u] = (1, -1, 0)[pos % 3]
            pos //= 3
        acc, seen = [0] * (k + 1), set()
        for key, raw, at in (("mu", mu_raw, 1), ("lam", lam_raw, 2)):
            flat = [integer(x, f"{lp}/{at}/{m}") for m, x in enumerate(array(raw, f"{lp}/{at}"))]
            if len(flat) % 3:
                raise Malformed(f"{lp}/{at}", "expected (unit, index, multiplier) triples")
            for m in range(0, len(flat), 3):
                i, n, x = flat[m:m + 3]
                s = sigma.get(i, 2)  # 2: a unit the leaf does not fix
                ok = (s != 2 and (s != 0) == (key == "mu") and (key, i, n) not in seen
                      and (n in blocks.nonzero if key == "mu" else 0 <= n < st.d0)
                      and (x > 0 if key == "mu" else x != 0))
                if not ok:
                    raise Rejected(f"{what}: leaf {t} {key} entry {m // 3}",
                                   "a row of the leaf's system, once, with a valid multiplier",
                                   [i, n, x])
                seen.add((key, i, n))
                row = canonical(key, i, n)
                x *= s * blocks.signs[tup[i]][n] if key == "mu" else 1
                for c in range(k + 1):
                    acc[c] += x * row[c]
        if any(acc[:k]) or not (acc[k] < 0 or (acc[k] == 0 and any(a == "mu" for a, _, _ in seen))):
            raise Rejected(f"{what}: leaf {t} (signs {sigma}) has no DLM",
                           "multipliers summing to 0 with constant < 0 (or <= 0 with mu)",
                           f"coefficients {acc[:k]}, constant {acc[k]}")
        covered += span
    if covered != total:
        raise Rejected(f"{what}: the leaves cover every sign choice of z", total, covered)
