"""The trusted kernel: re-checks an exactmin certificate (docs/certificate-format.md).

Standard library only; imports nothing from exactmin. Everything derived (hyperplane classes,
sign vectors, K, normal equations, gradients) is recomputed here from the statement; the
certificate supplies witnesses only. No ``assert`` is used for checks.
"""

import array
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import re
import sys
from fractions import Fraction
from typing import Any

FORMAT = "exactmin-certificate"
VERSION = 1
THEOREM = "soudry_carmon/no_bad_dlm"
SPIN_THEOREM = "choromanska/critical_points"  # checked by .spinglass
_RATIONAL = re.compile(r"^-?\d+(/\d+)?$")
_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


class Malformed(Exception):
    """The certificate cannot be read: ``pointer`` is a JSON pointer to the bad field."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer, self.message = pointer, message


class Rejected(Exception):
    """A well-formed certificate whose mathematics fails."""

    def __init__(self, obligation: str, expected: object, found: object) -> None:
        super().__init__(f"{obligation}: expected {expected}, found {found}")
        self.obligation, self.expected, self.found = obligation, expected, found


# ----------------------------------------------------------------------------- reading
def _rational(v: Any, ptr: str) -> Fraction:
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise Malformed(ptr, f"expected an integer or a 'p/q' string, got {v!r}")
    if isinstance(v, str):
        if not _RATIONAL.match(v) or v.endswith("/0"):
            raise Malformed(ptr, f"expected 'p' or 'p/q' with q > 0, got {v!r}")
        return Fraction(v)
    return Fraction(v)


def _integer(v: Any, ptr: str, lo: int | None = None, hi: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise Malformed(ptr, f"expected an integer, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise Malformed(ptr, f"{v} is out of range [{lo}, {hi}]")
    return v


def _list(v: Any, ptr: str, length: int | None = None) -> list[Any]:
    if not isinstance(v, list):
        raise Malformed(ptr, f"expected a list, got {type(v).__name__}")
    if length is not None and len(v) != length:
        raise Malformed(ptr, f"expected {length} entries, got {len(v)}")
    return v


def _vector(v: Any, ptr: str, length: int | None = None) -> list[Fraction]:
    return [_rational(x, f"{ptr}/{k}") for k, x in enumerate(_list(v, ptr, length))]


def _matrix(v: Any, ptr: str, rows: int | None = None, cols: int | None = None) -> list[list[Fraction]]:
    out = [_vector(r, f"{ptr}/{k}", cols) for k, r in enumerate(_list(v, ptr, rows))]
    if not out or not out[0]:
        raise Malformed(ptr, "expected a nonempty matrix")
    for k, r in enumerate(out):
        if len(r) != len(out[0]):
            raise Malformed(f"{ptr}/{k}", f"row has {len(r)} entries, row 0 has {len(out[0])}")
    return out


def _object(v: Any, ptr: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise Malformed(ptr, f"expected an object, got {type(v).__name__}")
    for key in required:
        if key not in v:
            raise Malformed(f"{ptr}/{key}", "missing")
    for key in v:
        if key not in required and key not in optional:
            raise Malformed(f"{ptr}/{key}", "unknown key")
    return v


# ----------------------------------------------------------------------------- exact primitives
def dot(a: list[Fraction], b: list[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def sign(q: Fraction) -> int:
    return (q > 0) - (q < 0)


def is_prime(p: int) -> bool:
    """Deterministic Miller-Rabin, valid for p < 3.3e24."""
    if p < 2:
        return False
    for b in _MR_BASES:
        if p % b == 0:
            return p == b
    d, s = p - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for b in _MR_BASES:
        x = pow(b, d, p)
        if x in (1, p - 1):
            continue
        for _ in range(s - 1):
            x = x * x % p
            if x == p - 1:
                break
        else:
            return False
    return True


def mod_p(q: Fraction, p: int, what: str) -> int:
    if q.denominator % p == 0:
        raise Rejected(what, f"denominators prime to p={p}", f"denominator {q.denominator}")
    return q.numerator * pow(q.denominator, -1, p) % p


def det_mod_p(M: list[list[int]], p: int) -> int:
    """Determinant of a square matrix of residues mod p (Gaussian elimination over GF(p))."""
    M = [row[:] for row in M]
    n, det = len(M), 1
    for c in range(n):
        piv = next((r for r in range(c, n) if M[r][c]), None)
        if piv is None:
            return 0
        if piv != c:
            M[c], M[piv] = M[piv], M[c]
            det = -det
        det = det * M[c][c] % p
        inv = pow(M[c][c], -1, p)
        for r in range(c + 1, n):
            f = M[r][c] * inv % p
            if f:
                M[r] = [(a - f * b) % p for a, b in zip(M[r], M[c])]
    return det % p


# ----------------------------------------------------------------------------- statement
class Statement:
    """The claim, and everything the kernel derives from it."""

    def __init__(self, raw: Any) -> None:
        ptr = "/statement"
        _object(raw, ptr, ("theorem", "X", "y", "d1", "rho", "noise"))
        if raw["theorem"] != THEOREM:
            raise Malformed(f"{ptr}/theorem", f"unsupported theorem {raw['theorem']!r}")
        self.X = _matrix(raw["X"], f"{ptr}/X")
        self.d0, self.N = len(self.X), len(self.X[0])
        self.y = _vector(raw["y"], f"{ptr}/y", self.N)
        self.d1 = _integer(raw["d1"], f"{ptr}/d1", lo=1)
        self.rho = _rational(raw["rho"], f"{ptr}/rho")
        if self.rho == 1:
            raise Malformed(f"{ptr}/rho", "rho = 1 is not a piecewise-linear activation")
        self.noise = None
        if raw["noise"] is not None:
            self.noise = _matrix(raw["noise"], f"{ptr}/noise", self.d1, self.N)
            for i, row in enumerate(self.noise):
                for n, v in enumerate(row):
                    if v <= 0:
                        raise Malformed(f"{ptr}/noise/{i}/{n}", f"noise must be > 0, got {v}")
        self.cols = [[self.X[j][n] for j in range(self.d0)] for n in range(self.N)]
        self.nonzero = [n for n in range(self.N) if any(self.cols[n])]
        self.reps: list[int] = []  # class representatives (first data point of each class)
        self.class_of: dict[int, tuple[int, int]] = {}  # n -> (class, orientation)
        for n in self.nonzero:
            for c, r in enumerate(self.reps):
                o = _parallel(self.cols[n], self.cols[r])
                if o:
                    self.class_of[n] = (c, o)
                    break
            else:
                self.class_of[n] = (len(self.reps), 1)
                self.reps.append(n)
        canon = json.dumps({k: raw[k] for k in sorted(raw)}, sort_keys=True, separators=(",", ":"))
        self.digest = hashlib.sha256(canon.encode()).hexdigest()[:16]

    def E(self, i: int, n: int) -> Fraction:
        return Fraction(1) if self.noise is None else self.noise[i][n]

    def signs_on_points(self, class_signs: tuple[int, ...]) -> list[int]:
        return [0 if n not in self.class_of else class_signs[self.class_of[n][0]] * self.class_of[n][1]
                for n in range(self.N)]


def _parallel(a: list[Fraction], b: list[Fraction]) -> int:
    """+1 / -1 when a = c*b with c > 0 / c < 0, else 0 (a, b nonzero)."""
    k = next(j for j in range(len(b)) if b[j] != 0)
    c = a[k] / b[k]
    if c != 0 and all(x == c * z for x, z in zip(a, b)):
        return sign(c)
    return 0


# ----------------------------------------------------------------------------- refutation
def check_refutation(st: Statement, w: Any) -> None:
    _object(w, "/witness", ("W", "z", "loss", "box_radius"))
    W = _matrix(w["W"], "/witness/W", st.d1, st.d0)
    z = _vector(w["z"], "/witness/z", st.d1)
    loss = _rational(w["loss"], "/witness/loss")
    r = _rational(w["box_radius"], "/witness/box_radius")
    U = [[dot(W[i], st.cols[n]) for n in range(st.N)] for i in range(st.d1)]
    for i in range(st.d1):
        for n in st.nonzero:
            if U[i][n] == 0:
                raise Rejected(f"differentiable point: w_{i}.x_{n}", "nonzero", 0)
    A = [[st.E(i, n) * (1 if U[i][n] > 0 else st.rho) for n in range(st.N)] for i in range(st.d1)]
    e = [sum((z[i] * A[i][n] * U[i][n] for i in range(st.d1)), Fraction(0)) - st.y[n]
         for n in range(st.N)]
    value = dot(e, e) / 2
    if value != loss:
        raise Rejected("loss (1/2)||yhat - y||^2", loss, value)
    if not value > 0:
        raise Rejected("nonzero loss", "loss > 0", value)
    for i in range(st.d1):
        g = [sum((e[n] * A[i][n] * st.cols[n][j] for n in range(st.N)), Fraction(0))
             for j in range(st.d0)]
        if any(g):
            raise Rejected(f"K e = 0, block {i}", "zero vector", [str(x) for x in g])
    if not r > 0:
        raise Rejected("box radius", "> 0", r)
    for n in st.nonzero:
        norm1 = sum(abs(x) for x in st.cols[n])
        for i in range(st.d1):
            if not r * norm1 < abs(U[i][n]):
                raise Rejected(f"box keeps sign of w_{i}.x_{n}", f"> {r * norm1}", abs(U[i][n]))


# ----------------------------------------------------------------------------- certified
def check_unit_regions(st: Statement, raw: Any, prime: int) -> list[list[int]]:
    _object(raw, "/witness/unit_regions", ("points", "completeness"))
    pts = _list(raw["points"], "/witness/unit_regions/points")
    signs: list[tuple[int, ...]] = []
    seen: dict[tuple[int, ...], int] = {}
    for k, q in enumerate(pts):
        q = _vector(q, f"/witness/unit_regions/points/{k}", st.d0)
        s = tuple(sign(dot(q, st.cols[r])) for r in st.reps)
        if 0 in s:
            raise Rejected(f"interior point of unit region {k}", "q.x_n != 0 for every class",
                           f"zero on class {s.index(0)}")
        if s in seen:
            raise Rejected(f"unit region {k}", "a new sign vector", f"duplicate of region {seen[s]}")
        seen[s] = k
        signs.append(s)
    comp = raw["completeness"]
    cptr = "/witness/unit_regions/completeness"
    _object(comp, cptr, ("method",), ("empty",))
    if comp["method"] == "general_position":
        _general_position(st, prime, len(signs))
    elif comp["method"] == "closure":
        _closure(st, signs, seen, _list(comp.get("empty"), f"{cptr}/empty"))
    else:
        raise Malformed(f"{cptr}/method", f"unknown method {comp['method']!r}")
    return [st.signs_on_points(s) for s in signs]


def _general_position(st: Statement, p: int, count: int) -> None:
    if st.N < st.d0 or len(st.nonzero) != st.N:
        raise Rejected("general position", "N >= d0 and no zero data point", f"N={st.N}")
    for subset in itertools.combinations(range(st.N), st.d0):
        M = [[mod_p(st.cols[n][j], p, "general position minor") for n in subset]
             for j in range(st.d0)]
        if det_mod_p(M, p) == 0:
            raise Rejected(f"general position, columns {list(subset)}", f"det != 0 mod {p}", 0)
    cover = 2 * sum(math.comb(st.N - 1, k) for k in range(st.d0))
    if count != cover:
        raise Rejected("Cover's count of unit regions", cover, count)


def _closure(st: Statement, signs: list[tuple[int, ...]], seen: dict[tuple[int, ...], int],
             empty: list[Any]) -> None:
    gordan = {}
    for k, ent in enumerate(empty):
        ptr = f"/witness/unit_regions/completeness/empty/{k}"
        _object(ent, ptr, ("region", "class", "gordan"))
        key = (_integer(ent["region"], f"{ptr}/region", 0, len(signs) - 1),
               _integer(ent["class"], f"{ptr}/class", 0, len(st.reps) - 1))
        if key in gordan:
            raise Rejected(f"closure entry {k}", "one entry per (region, class)", "a duplicate")
        gordan[key] = _vector(ent["gordan"], f"{ptr}/gordan", len(st.reps))
    for k, s in enumerate(signs):
        for c in range(len(st.reps)):
            flipped = s[:c] + (-s[c],) + s[c + 1:]
            if flipped in seen:
                if (k, c) in gordan:
                    raise Rejected(f"closure entry (region {k}, class {c})", "none: neighbour listed",
                                   "an emptiness claim")
                continue
            y = gordan.pop((k, c), None)
            if y is None:
                raise Rejected(f"closure of unit region {k} across class {c}",
                               "the neighbour listed or a Gordan certificate", "neither")
            total = [sum((y[t] * flipped[t] * st.cols[st.reps[t]][j] for t in range(len(y))),
                         Fraction(0)) for j in range(st.d0)]
            if any(v < 0 for v in y) or not any(y) or any(total):
                raise Rejected(f"Gordan certificate (region {k}, class {c})",
                               "y >= 0, y != 0, sum y_t s_t x_t = 0", [str(v) for v in total])


class _Blocks:
    """Block i of K for unit region k, as Fractions and (lazily) mod p."""

    def __init__(self, st: Statement, unit_signs: list[list[int]], p: int) -> None:
        self.st, self.unit_signs, self.p = st, unit_signs, p
        self.cache: dict[tuple[int, int], list[list[Fraction]]] = {}
        self.cache_p: dict[tuple[int, int], list[list[int]]] = {}

    def A(self, i: int, k: int) -> list[Fraction]:
        s = self.unit_signs[k]
        return [self.st.E(i, n) * (self.st.rho if s[n] < 0 else 1) for n in range(self.st.N)]

    def block(self, i: int, k: int) -> list[list[Fraction]]:
        if (i, k) not in self.cache:
            a = self.A(i, k)
            self.cache[i, k] = [[a[n] * self.st.X[j][n] for n in range(self.st.N)]
                                for j in range(self.st.d0)]
        return self.cache[i, k]

    def block_p(self, i: int, k: int) -> list[list[int]]:
        if (i, k) not in self.cache_p:
            self.cache_p[i, k] = [[mod_p(x, self.p, "K entry") for x in row]
                                  for row in self.block(i, k)]
        return self.cache_p[i, k]


def check_region(st: Statement, blocks: _Blocks, tup: tuple[int, ...], ent: Any, ptr: str) -> None:
    """One entry (shape checked by ``_entry_kind``); ``tup`` is a full tuple or a prefix."""
    (kind, val), = ent.items()
    nv = st.d0 * len(tup)  # rows of the (partial) K stacked from the units in tup
    if kind == "full_rank":
        rows = [_integer(r, f"{ptr}/full_rank/{t}", 0, st.d0 * st.d1 - 1)
                for t, r in enumerate(_list(val, f"{ptr}/full_rank", st.N))]
        if len(set(rows)) != st.N:
            raise Rejected(f"region {list(tup)} full rank", "distinct rows", rows)
        _every_completion(st, blocks, tup, rows)  # rows all inside the prefix: one check
        return
    K = [row for i, k in enumerate(tup) for row in blocks.block(i, k)]
    if kind == "interpolates":
        v = _vector(val, f"{ptr}/interpolates", nv)
        fit = [sum((K[r][n] * v[r] for r in range(nv)), Fraction(0)) for n in range(st.N)]
        if fit != st.y:
            raise Rejected(f"region {list(tup)} interpolates", "K^T v = y", "a different vector")
        return
    pairs = _list(val, f"{ptr}/no_dlm")
    if len(pairs) != 3 ** st.d1:
        raise Rejected(f"region {list(tup)}: a Motzkin certificate for every sign choice of z",
                       3 ** st.d1, len(pairs))
    G = [[dot(K[a], K[b]) for b in range(nv)] for a in range(nv)]
    Ky = [dot(K[a], st.y) for a in range(nv)]
    S = [blocks.unit_signs[k] for k in tup]
    for t, sigma in enumerate(itertools.product((1, -1, 0), repeat=st.d1)):
        _motzkin(st, S, G, Ky, sigma, _list(pairs[t], f"{ptr}/no_dlm/{t}", 2),
                 f"{ptr}/no_dlm/{t}", f"region {list(tup)} sigma {list(sigma)} has no DLM")


def _entry_kind(ent: Any, ptr: str, prefix: bool) -> None:
    """An entry names one witness kind; a prefix entry (a subtree) only ``full_rank``."""
    if not isinstance(ent, dict) or len(ent) != 1:
        raise Malformed(ptr, "expected an object with one of full_rank, interpolates, no_dlm")
    kind = next(iter(ent))
    if kind not in ("full_rank", "interpolates", "no_dlm"):
        raise Malformed(f"{ptr}/{kind}", "unknown region witness kind")
    if prefix and kind != "full_rank":
        raise Malformed(f"{ptr}/{kind}", "a prefix entry must be full_rank")


def _null_mod_p(M: list[list[int]], n: int, p: int) -> list[list[int]] | None:
    """A basis of {x in F_p^n : M x = 0}, or None when the rows of M are dependent mod p."""
    rows: list[list[int]] = []
    pivots: list[int] = []
    for row in M:
        v = row[:]
        for piv, b in zip(pivots, rows):
            if v[piv]:
                f = v[piv]
                v = [(a - f * c) % p for a, c in zip(v, b)]
        lead = next((c for c in range(n) if v[c]), None)
        if lead is None:
            return None
        inv = pow(v[lead], -1, p)
        v = [a * inv % p for a in v]
        rows = [[(a - b[lead] * c) % p for a, c in zip(b, v)] for b in rows]
        rows.append(v)
        pivots.append(lead)
    basis = []
    for f in (c for c in range(n) if c not in pivots):
        x = [0] * n
        x[f] = 1
        for piv, b in zip(pivots, rows):
            x[piv] = -b[f] % p
        basis.append(x)
    return basis


def _every_completion(st: Statement, blocks: _Blocks, tup: tuple[int, ...],
                      rows: list[int]) -> None:
    """The rows have a minor nonzero mod p in every completion of the prefix ``tup``.

    With P the rows inside the prefix and L the others: the N rows are independent mod p iff
    P is (checked once) and the L rows times a basis Z of the null space of P are independent
    (a row lies in span(P) iff it annihilates Z). The L rows are reduced unit by unit against an
    echelon basis shared by all completions with the same earlier regions.
    """
    d0, p, nv = st.d0, blocks.p, st.d0 * len(tup)
    inner = [r for r in rows if r < nv]
    later = [r for r in rows if r >= nv]
    P = [blocks.block_p(r // d0, tup[r // d0])[r % d0] for r in inner]
    Z = _null_mod_p(P, st.N, p)
    if Z is None or len(Z) != len(later):
        raise Rejected(f"region {list(tup)} full rank, rows {inner} of the prefix",
                       f"det != 0 mod {p}", "dependent rows")
    projected: dict[tuple[int, int], list[int]] = {}
    R, units = len(blocks.unit_signs), sorted({r // d0 for r in later})
    # Units without rows in L do not enter the minor: one check serves all their regions.
    pending = [(u, [r for r in later if r // d0 == u]) for u in units]

    # Z packed column-wise: field c of packed[n] is Z[c][n], so that sum_n row[n] * packed[n]
    # holds all the products row . Z[c] at once (the fields never carry: each is < 2^width).
    width = 64 * (-(-(st.N * (p - 1) ** 2).bit_length() // 64))
    packed = [sum(z[n] << (width * c) for c, z in enumerate(Z)) for n in range(st.N)]

    # Row r of K for a region has entries E_un * (1 or rho) * X[j][n]: per (r, n) the two
    # possible packed products, so a region's projected row is a sum of N of them.
    terms: dict[int, tuple[list[int], list[int]]] = {}
    rho_p = mod_p(st.rho, p, "rho")

    def project(r: int, k: int) -> list[int]:
        """Row r of K for region k of its unit, in the coordinates of Z (mod p)."""
        if (r, k) not in projected:
            if r not in terms:
                u, j = divmod(r, d0)
                one = [mod_p(st.E(u, n) * st.X[j][n], p, "K entry") for n in range(st.N)]
                terms[r] = ([a * f for a, f in zip(one, packed)],
                            [a * rho_p % p * f for a, f in zip(one, packed)])
            ones, rhos = terms[r]
            total = sum([rhos[n] if s < 0 else ones[n]
                         for n, s in enumerate(blocks.unit_signs[k])])
            projected[r, k] = [v % p for v in _fields(total, width, len(Z))]
        return projected[r, k]

    def extend(depth: int, basis: list[tuple[int, list[int]]], chosen: tuple[int, ...]) -> None:
        """Reduce the next unit's projected rows against the echelon basis so far (mod p)."""
        if depth == len(pending):
            return
        if len(pending) - depth == 2:  # the last two units: all R^2 pairs at once
            _pairs(pending[depth], pending[depth + 1], basis, project, R, p,
                   lambda a, b: (f"completion {list(tup)} + units {units} regions "
                                 f"{list(chosen + (a, b))} full rank, rows {rows}"))
            return
        u, urows = pending[depth]
        for k in range(R):
            new = list(basis)
            for r in urows:
                v = project(r, k)
                for piv, e in new:
                    if v[piv]:
                        f = v[piv]
                        v = [(a - f * c) % p for a, c in zip(v, e)]
                lead = next((c for c, a in enumerate(v) if a), None)
                if lead is None:
                    raise Rejected(f"completion {list(tup)} + units {units[:depth + 1]} regions "
                                   f"{list(chosen + (k,))} full rank, rows {rows}",
                                   f"det != 0 mod {p}", 0)
                inv = pow(v[lead], -1, p)
                new.append((lead, [a * inv % p for a in v]))
            extend(depth + 1, new, chosen + (k,))

    extend(0, [], ())


# ------------------------------------------------------------------ all pairs of two last units
_PLANS: dict[tuple[int, int], list[list[tuple[int, ...]]]] = {}


def _minor_plan(k: int, m: int) -> list[list[tuple[int, ...]]]:
    """Expansion of every j x j minor of the last j rows (j = 1..k) along its first row.

    Level j lists, for each j-subset T of range(m) in ``itertools.combinations`` order, the
    flat tuple ``(T_0, s_0, T_1, s_1, ...)`` with ``s_i`` the index at level j-1 of T without
    T_i; the minor is ``sum_i (-1)^i row[T_i] * previous[s_i]``.
    """
    if (k, m) not in _PLANS:
        levels: list[list[tuple[int, ...]]] = []
        prev: dict[tuple[int, ...], int] = {(): 0}
        for j in range(1, k + 1):
            subsets = list(itertools.combinations(range(m), j))
            levels.append([tuple(x for i in range(j) for x in (T[i], prev[T[:i] + T[i + 1:]]))
                           for T in subsets])
            prev = {T: s for s, T in enumerate(subsets)}
        _PLANS[k, m] = levels
    return _PLANS[k, m]


def minors_mod_p(M: list[list[int]], m: int, p: int) -> list[int]:
    """All k x k minors (mod p) of the k x m matrix M, over column subsets in combinations order.

    >>> minors_mod_p([[1, 2, 3], [4, 5, 6]], 3, 7)  # columns {0,1}, {0,2}, {1,2}: -3, -6, -3
    [4, 1, 4]
    """
    k = len(M)
    prev = [1]
    for j, level in enumerate(_minor_plan(k, m), start=1):
        r = M[k - j]
        if j == 1:
            prev = [r[c] % p for c, _ in level]
        elif j == 2:
            prev = [(r[a] * prev[s] - r[b] * prev[t]) % p for a, s, b, t in level]
        elif j == 3:
            prev = [(r[a] * prev[s] - r[b] * prev[t] + r[c] * prev[u]) % p
                    for a, s, b, t, c, u in level]
        else:
            prev = [sum((-1) ** i * r[e[2 * i]] * prev[e[2 * i + 1]] for i in range(j)) % p
                    for e in level]
    return prev


def _pairs(unit_a: tuple[int, list[int]], unit_b: tuple[int, list[int]],
           basis: list[tuple[int, list[int]]], project: Any, R: int, p: int, what: Any) -> None:
    """Rows of unit a (region i) and unit b (region j) complete ``basis`` for all R^2 pairs.

    With W a basis of the vectors orthogonal to ``basis`` (dimension s_a + s_b), the rows are
    independent modulo span(basis) iff the square matrix [A_i W; B_j W] is nonsingular, and by
    the generalized Laplace expansion along A's rows

        det [A_i W; B_j W] = +- sum_S eps(S) det(A_i W[:, S]) det(B_j W[:, S^c]),
        eps(S) = (-1)^(sum(S) + s_a (s_a - 1) / 2),

    over the s_a-subsets S of the columns. Every A-minor vector is dotted with every signed
    B-minor vector; the R dot products of one A vector are computed at once by packing the B
    vectors into integers with one ``width``-bit field per region j (Kronecker substitution:
    the fields never carry because each dot product is below 2^width).
    """
    rows_a, rows_b = unit_a[1], unit_b[1]
    m = len(basis) + len(rows_a) + len(rows_b)
    W = _null_mod_p([e for _, e in basis], m, p) if basis else None
    if W is not None and len(W) != len(rows_a) + len(rows_b):
        raise Rejected(what(0, 0), "independent rows", "dependent rows")
    mw = len(rows_a) + len(rows_b)

    def restricted(rws: list[int], k: int) -> list[list[int]]:
        vs = [project(r, k) for r in rws]
        if W is None:
            return vs
        return [[sum(a * b for a, b in zip(v, w)) % p for w in W] for v in vs]

    sa = len(rows_a)
    subsets = list(itertools.combinations(range(mw), sa))
    index_b = {T: s for s, T in enumerate(itertools.combinations(range(mw), mw - sa))}
    comp = [index_b[tuple(c for c in range(mw) if c not in S)] for S in subsets]
    eps = [(-1) ** (sum(S) + sa * (sa - 1) // 2) for S in subsets]
    minors_a = [minors_mod_p(restricted(rows_a, i), mw, p) for i in range(R)]
    minors_b = [minors_mod_p(restricted(rows_b, j), mw, p) for j in range(R)]
    width = 64 * (-(-(len(subsets) * (p - 1) ** 2).bit_length() // 64))
    packed = []
    for t in range(len(subsets)):
        field = 0
        for j in reversed(range(R)):
            field = (field << width) | (minors_b[j][comp[t]] * eps[t] % p)
        packed.append(field)
    for i, ma in enumerate(minors_a):
        total = sum(x * f for x, f in zip(ma, packed) if x)
        values = _fields(total, width, R)
        if 0 in map(p.__rmod__, values):
            j = next(j for j, v in enumerate(values) if v % p == 0)
            raise Rejected(what(i, j), f"det != 0 mod {p}", 0)


def _fields(total: int, width: int, count: int) -> Any:
    """The ``count`` nonnegative ``width``-bit fields of ``total``, lowest first."""
    nbytes = width // 8
    raw = total.to_bytes(nbytes * count, "little")
    if nbytes == 8 and _WORDS.itemsize == 8:
        words = array.array("Q")
        words.frombytes(raw)
        if sys.byteorder != "little":
            words.byteswap()
        return words
    return [int.from_bytes(raw[j * nbytes:(j + 1) * nbytes], "little") for j in range(count)]


_WORDS = array.array("Q")


def _motzkin(st: Statement, S: list[list[int]], G: list[list[Fraction]], Ky: list[Fraction],
             sigma: tuple[int, ...], pair: list[Any], ptr: str, what: str) -> None:
    nv, d0 = st.d0 * st.d1, st.d0
    zero_units = [i for i in range(st.d1) if sigma[i] == 0]
    live = [i for i in range(st.d1) if sigma[i] != 0]
    lam = _vector(pair[0], f"{ptr}/0", nv + d0 * len(zero_units))
    mu = _vector(pair[1], f"{ptr}/1", len(live) * len(st.nonzero))
    total = [dot([G[a][c] for a in range(nv)], lam[:nv]) for c in range(nv)]  # B^T lambda
    for t, i in enumerate(zero_units):
        for j in range(d0):
            total[i * d0 + j] += lam[nv + t * d0 + j]
    m = 0
    for i in live:  # C^T mu
        for n in st.nonzero:
            if mu[m] < 0:
                raise Rejected(what, "mu >= 0", mu[m])
            for j in range(d0):
                total[i * d0 + j] += mu[m] * sigma[i] * S[i][n] * st.X[j][n]
            m += 1
    if any(total):
        raise Rejected(what, "B^T lambda + C^T mu = 0", "a nonzero vector")
    b_lam = dot(Ky, lam[:nv])
    if not (b_lam > 0 or (b_lam == 0 and any(mu))):
        raise Rejected(what, "b.lambda > 0, or b.lambda = 0 and mu != 0", f"b.lambda = {b_lam}")


def check_certified(st: Statement, w: Any, workers: int | None = None) -> int:
    _object(w, "/witness", ("unit_regions", "prime", "regions"))
    p = _integer(w["prime"], "/witness/prime", 2, 2**62)
    if not is_prime(p):
        raise Rejected("prime", "a prime", p)
    unit_signs = check_unit_regions(st, w["unit_regions"], p)
    R = len(unit_signs)
    entries = _list(w["regions"], "/witness/regions")
    total, covered = R ** st.d1, 0  # tuples in lexicographic order; covered = next uncovered
    jobs: list[tuple[tuple[int, ...], Any, str]] = []
    for j, ent in enumerate(entries):
        ptr = f"/witness/regions/{j}"
        if covered == total:
            raise Rejected("one witness per ordered tuple of unit regions", "no more entries",
                           f"entry {j}")
        if isinstance(ent, dict) and "prefix" in ent:
            ent = dict(ent)
            raw = _list(ent.pop("prefix"), f"{ptr}/prefix")
            if len(raw) > st.d1:
                raise Malformed(f"{ptr}/prefix", f"expected at most {st.d1} unit regions")
            tup = tuple(_integer(k, f"{ptr}/prefix/{t}", 0, R - 1) for t, k in enumerate(raw))
            start = sum(k * R ** (st.d1 - 1 - t) for t, k in enumerate(tup))
            if start != covered:
                raise Rejected(f"entry {j} covers the next tuples in order",
                               f"prefix starting at tuple {covered}", f"tuple {start}")
        else:
            tup = tuple((covered // R ** (st.d1 - 1 - t)) % R for t in range(st.d1))
        _entry_kind(ent, ptr, len(tup) < st.d1)
        jobs.append((tup, ent, ptr))
        covered += R ** (st.d1 - len(tup))
    if covered != total:
        raise Rejected("a witness for every ordered tuple of unit regions", total, covered)
    global _SHARED
    _SHARED = (st, _Blocks(st, unit_signs, p))
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= PARALLEL_MIN_TUPLES else 1
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods() and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = pool.imap(_check_job, jobs, chunksize=max(1, len(jobs) // (16 * workers)))
            failure = next((o for o in outcomes if o is not None), None)
    else:
        failure = next((o for o in map(_check_job, jobs) if o is not None), None)
    if failure is not None:  # the first failing entry in order, as a sequential run reports it
        raise Malformed(*failure[1:]) if failure[0] == "malformed" else Rejected(*failure[1:])
    return R


PARALLEL_MIN_TUPLES = 10**5  # below this, starting processes costs more than it saves
_SHARED: Any = None  # (statement, blocks), set before the worker processes fork


def _check_job(job: tuple[tuple[int, ...], Any, str]) -> tuple[Any, ...] | None:
    """Check one entry; a failure is returned as data (exceptions do not cross processes)."""
    st, blocks = _SHARED
    try:
        check_region(st, blocks, *job)
    except Malformed as exc:
        return ("malformed", exc.pointer, exc.message)
    except Rejected as exc:
        return ("rejected", exc.obligation, exc.expected, exc.found)
    return None


# ----------------------------------------------------------------------------- entry point
def check_certificate(cert: Any, workers: int | None = None) -> dict[str, Any]:
    """Check a parsed certificate. Returns a dict describing what was verified.

    ``workers`` processes check the region entries (default: all cores for certificates of at
    least ``PARALLEL_MIN_TUPLES`` tuples, else one); the verdict does not depend on it.

    Raises Malformed (unreadable) or Rejected (an obligation fails).
    """
    _object(cert, "", ("format", "version", "statement", "verdict", "witness"))
    if cert["format"] != FORMAT:
        raise Malformed("/format", f"expected {FORMAT!r}")
    if cert["version"] != VERSION:
        raise Malformed("/version", f"unsupported version {cert['version']!r}; this kernel reads {VERSION}")
    if isinstance(cert["statement"], dict) and cert["statement"].get("theorem") == SPIN_THEOREM:
        from .spinglass import check_critical_points

        return check_critical_points(cert, workers)
    st = Statement(cert["statement"])
    info = {"theorem": THEOREM, "d0": st.d0, "d1": st.d1, "N": st.N, "digest": st.digest,
            "verdict": cert["verdict"]}
    if cert["verdict"] == "refuted":
        check_refutation(st, cert["witness"])
    elif cert["verdict"] == "certified":
        info["unit_regions"] = check_certified(st, cert["witness"], workers)
    else:
        raise Malformed("/verdict", f"expected 'certified' or 'refuted', got {cert['verdict']!r}")
    return info
