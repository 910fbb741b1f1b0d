"""Checker for ``soudry_carmon/no_bad_dlm`` (docs/certificate-format.md, "Soudry-Carmon").

Everything derived (hyperplane classes, sign vectors, the list of all ordered tuples of unit
regions, K, normal equations, gradients) is recomputed here from the statement; the certificate
supplies witnesses only. How many obligations there are is fixed by the statement: the regions
of the arrangement of X (proved complete), all R^d1 ordered tuples of them, all 3^d1 sign
choices of z. Standard library only; imports only the reader and the primitives.
"""

import hashlib
import itertools
import json
import math
from fractions import Fraction
from typing import Any

from . import pool
from .exact import det_mod_p, dot, fields, is_prime, minors_mod_p, mod_p, null_mod_p, sign
from .reader import (
    Malformed,
    Refused,
    Rejected,
    Work,
    array,
    integer,
    matrix,
    obj,
    power_at_most,
    rational,
    show,
    vector,
)

THEOREM = "soudry_carmon/no_bad_dlm"
PARALLEL_MIN_TUPLES = 10**5  # below this, starting processes costs more than it saves


class Statement:
    """The claim, and everything the kernel derives from it."""

    def __init__(self, raw: Any, work: Work) -> None:
        ptr = "/statement"
        obj(raw, ptr, ("theorem", "X", "y", "d1", "rho", "noise"))
        self.X = matrix(raw["X"], f"{ptr}/X")
        self.d0, self.N = len(self.X), len(self.X[0])
        self.y = vector(raw["y"], f"{ptr}/y", self.N)
        self.d1 = integer(raw["d1"], f"{ptr}/d1", lo=1)
        work.charge(self.d0 * self.d1 * self.N, f"K ({self.d0 * self.d1} x {self.N})")
        self.rho = rational(raw["rho"], f"{ptr}/rho")
        if self.rho == 1:
            raise Malformed(f"{ptr}/rho", "rho = 1 is not a piecewise-linear activation")
        self.noise = None
        if raw["noise"] is not None:
            self.noise = matrix(raw["noise"], f"{ptr}/noise", self.d1, self.N)
            for i, row in enumerate(self.noise):
                for n, v in enumerate(row):
                    if v <= 0:
                        raise Malformed(f"{ptr}/noise/{i}/{n}", f"noise must be > 0, got {v}")
        self.cols = [[self.X[j][n] for j in range(self.d0)] for n in range(self.N)]
        self.nonzero = [n for n in range(self.N) if any(self.cols[n])]
        # Hyperplane classes: nonzero points grouped by the line they span, hashed by the
        # direction scaled to a leading 1 (linear time). Representative: the first point.
        self.reps: list[int] = []
        self.class_of: dict[int, tuple[int, int]] = {}  # n -> (class, orientation)
        index: dict[tuple[Fraction, ...], int] = {}
        for n in self.nonzero:
            x = self.cols[n]
            lead = next(v for v in x if v)
            c = index.setdefault(tuple(v / lead for v in x), len(self.reps))
            if c == len(self.reps):
                self.reps.append(n)
            r_lead = next(v for v in self.cols[self.reps[c]] if v)
            self.class_of[n] = (c, sign(lead) * sign(r_lead))
        canon = json.dumps({k: raw[k] for k in sorted(raw)}, sort_keys=True, separators=(",", ":"))
        self.digest = hashlib.sha256(canon.encode()).hexdigest()[:16]

    def E(self, i: int, n: int) -> Fraction:
        return Fraction(1) if self.noise is None else self.noise[i][n]

    def signs_on_points(self, class_signs: tuple[int, ...]) -> list[int]:
        return [0 if n not in self.class_of else class_signs[self.class_of[n][0]] * self.class_of[n][1]
                for n in range(self.N)]


# ----------------------------------------------------------------------------- refutation
def check_refutation(st: Statement, w: Any) -> None:
    obj(w, "/witness", ("W", "z", "loss", "box_radius"))
    W = matrix(w["W"], "/witness/W", st.d1, st.d0)
    z = vector(w["z"], "/witness/z", st.d1)
    loss = rational(w["loss"], "/witness/loss")
    r = rational(w["box_radius"], "/witness/box_radius")
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
            raise Rejected(f"K e = 0, block {i}", "zero vector", g)
    if not r > 0:
        raise Rejected("box radius", "> 0", r)
    for n in st.nonzero:
        norm1 = sum(abs(x) for x in st.cols[n])
        for i in range(st.d1):
            if not r * norm1 < abs(U[i][n]):
                raise Rejected(f"box keeps sign of w_{i}.x_{n}", f"> {r * norm1}", abs(U[i][n]))


# ----------------------------------------------------------------------------- unit regions
def check_unit_regions(st: Statement, raw: Any, prime: int, work: Work) -> list[list[int]]:
    """Every region of the arrangement of X, each exactly once, as signs on the data points.

    The number of regions is not read: it is proved, by Cover's count in general position or
    by closure under crossing a hyperplane starting from at least one verified region.
    """
    ptr = "/witness/unit_regions"
    obj(raw, ptr, ("points", "completeness"))
    pts = array(raw["points"], f"{ptr}/points")
    m = len(st.reps)
    comp = obj(raw["completeness"], f"{ptr}/completeness", ("method",), ("empty",))
    method = comp["method"]
    if method == "general_position":
        if "empty" in comp:
            raise Malformed(f"{ptr}/completeness/empty", "only with the closure method")
        if st.N < st.d0 or len(st.nonzero) != st.N:
            raise Rejected("general position", "N >= d0 and no zero data point",
                           f"N = {st.N}, d0 = {st.d0}, {st.N - len(st.nonzero)} zero points")
        cover = 2 * sum(math.comb(st.N - 1, k) for k in range(st.d0))
        if len(pts) != cover:  # compared first: the count bounds the minors below
            raise Rejected("Cover's count of unit regions", cover, len(pts))
    elif method != "closure":
        raise Malformed(f"{ptr}/completeness/method", f"unknown method {method!r}")
    if not pts:
        raise Rejected("unit regions", "at least one region (every arrangement has one)", 0)
    work.charge(len(pts) * (m + 1) * (st.d0 + m), "the unit regions' sign vectors")
    signs: list[tuple[int, ...]] = []
    seen: dict[tuple[int, ...], int] = {}
    for k, q in enumerate(pts):
        q = vector(q, f"{ptr}/points/{k}", st.d0)
        s = tuple(sign(dot(q, st.cols[r])) for r in st.reps)
        if 0 in s:
            raise Rejected(f"interior point of unit region {k}", "q.x_n != 0 for every class",
                           f"zero on class {s.index(0)}")
        if s in seen:
            raise Rejected(f"unit region {k}", "a new sign vector", f"duplicate of region {seen[s]}")
        seen[s] = k
        signs.append(s)
    if method == "general_position":
        _general_position(st, prime, work)
    else:
        _closure(st, signs, seen, array(comp.get("empty"), f"{ptr}/completeness/empty"))
    return [st.signs_on_points(s) for s in signs]


def _general_position(st: Statement, p: int, work: Work) -> None:
    work.charge(math.comb(st.N, st.d0) * (st.d0**3 + 1), "general position minors")
    for subset in itertools.combinations(range(st.N), st.d0):
        M = [[mod_p(st.cols[n][j], p, "general position minor") for n in subset]
             for j in range(st.d0)]
        if det_mod_p(M, p) == 0:
            raise Rejected(f"general position, columns {list(subset)}", f"det != 0 mod {p}", 0)


def _closure(st: Statement, signs: list[tuple[int, ...]], seen: dict[tuple[int, ...], int],
             empty: list[Any]) -> None:
    """Closed under crossing any one hyperplane: the flipped sign vector is listed or proved
    empty (Gordan). With one listed region, connectivity of the regions through facets makes
    the list all of them."""
    gordan = {}
    for k, ent in enumerate(empty):
        ptr = f"/witness/unit_regions/completeness/empty/{k}"
        obj(ent, ptr, ("region", "class", "gordan"))
        key = (integer(ent["region"], f"{ptr}/region", 0, len(signs) - 1),
               integer(ent["class"], f"{ptr}/class", 0, max(len(st.reps) - 1, 0)))
        if key in gordan:
            raise Rejected(f"closure entry {k}", "one entry per (region, class)", "a duplicate")
        gordan[key] = vector(ent["gordan"], f"{ptr}/gordan", len(st.reps))
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
                               "y >= 0, y != 0, sum y_t s_t x_t = 0", total)
    if gordan:  # entries naming a (region, class) outside the list: (k, c) with c >= classes
        raise Rejected("closure entries", "one per missing neighbour", f"{len(gordan)} extra")


# ----------------------------------------------------------------------------- certified
class Blocks:
    """Block i of K for unit region k, as Fractions and (lazily) mod p."""

    def __init__(self, st: Statement, unit_signs: list[list[int]], p: int) -> None:
        self.st, self.unit_signs, self.p = st, unit_signs, p
        self.cache: dict[tuple[int, int], list[list[Fraction]]] = {}
        self.cache_p: dict[tuple[int, int], list[list[int]]] = {}

    def block(self, i: int, k: int) -> list[list[Fraction]]:
        if (i, k) not in self.cache:
            s = self.unit_signs[k]
            a = [self.st.E(i, n) * (self.st.rho if s[n] < 0 else 1) for n in range(self.st.N)]
            self.cache[i, k] = [[a[n] * self.st.X[j][n] for n in range(self.st.N)]
                                for j in range(self.st.d0)]
        return self.cache[i, k]

    def block_p(self, i: int, k: int) -> list[list[int]]:
        if (i, k) not in self.cache_p:
            self.cache_p[i, k] = [[mod_p(x, self.p, "K entry") for x in row]
                                  for row in self.block(i, k)]
        return self.cache_p[i, k]


def check_certified(st: Statement, w: Any, work: Work, workers: int | None = None) -> int:
    obj(w, "/witness", ("unit_regions", "prime", "regions"))
    p = integer(w["prime"], "/witness/prime", 2, 2**62)
    if not is_prime(p):
        raise Rejected("prime", "a prime", p)
    unit_signs = check_unit_regions(st, w["unit_regions"], p, work)
    R = len(unit_signs)
    total = power_at_most(R, st.d1, work.limit)
    if total is None:
        raise Refused(f"the {R}^{st.d1} ordered tuples of unit regions",
                      power_at_most(R, st.d1, 2**4000) or 2**4000, work.limit)
    work.charge(total, f"the {R}^{st.d1} ordered tuples of unit regions")
    entries = array(w["regions"], "/witness/regions")
    covered = 0  # tuples in lexicographic order; covered = index of the next uncovered tuple
    jobs: list[tuple[tuple[int, ...], Any, str]] = []
    for j, ent in enumerate(entries):
        ptr = f"/witness/regions/{j}"
        if covered == total:
            raise Rejected("one witness per ordered tuple of unit regions", "no more entries",
                           f"entry {j}")
        if isinstance(ent, dict) and "prefix" in ent:
            ent = dict(ent)
            raw = array(ent.pop("prefix"), f"{ptr}/prefix")
            if len(raw) > st.d1:
                raise Malformed(f"{ptr}/prefix", f"expected at most {st.d1} unit regions")
            tup = tuple(integer(k, f"{ptr}/prefix/{t}", 0, R - 1) for t, k in enumerate(raw))
            start = sum(k * R ** (st.d1 - 1 - t) for t, k in enumerate(tup))
            if start != covered:
                raise Rejected(f"entry {j} covers the next tuples in order",
                               f"prefix starting at tuple {covered}", f"tuple {start}")
        else:
            tup = tuple((covered // R ** (st.d1 - 1 - t)) % R for t in range(st.d1))
        work.charge(_entry_cost(st, R, tup, ent, ptr), f"entry {j}")
        jobs.append((tup, ent, ptr))
        covered += R ** (st.d1 - len(tup))
    if covered != total:
        raise Rejected("a witness for every ordered tuple of unit regions", total, covered)
    if workers is None:
        workers = pool.cores() if total >= PARALLEL_MIN_TUPLES else 1
    pool.first_failure(_check_job, (st, Blocks(st, unit_signs, p)), jobs, workers,
                       chunksize=max(1, len(jobs) // (16 * workers)), progress=work.progress)
    return R


def _check_job(shared: tuple[Statement, Blocks], job: tuple[tuple[int, ...], Any, str]) -> None:
    check_region(shared[0], shared[1], *job)


def _entry_cost(st: Statement, R: int, tup: tuple[int, ...], ent: Any, ptr: str) -> int:
    """Shape of one entry (a prefix entry must be ``full_rank``) and the work it will take
    beyond one unit per tuple: the largest step is the pair step, one vector of
    ``binom(rows of two units, rows of the first)`` minors per region of each."""
    if not isinstance(ent, dict) or len(ent) != 1:
        raise Malformed(ptr, "expected an object with one of full_rank, interpolates, no_dlm")
    kind, val = next(iter(ent.items()))
    if kind not in ("full_rank", "interpolates", "no_dlm"):
        raise Malformed(f"{ptr}/{kind}", "unknown region witness kind")
    if len(tup) < st.d1 and kind != "full_rank":
        raise Malformed(f"{ptr}/{kind}", "a prefix entry must be full_rank")
    nv = st.d0 * st.d1
    if kind == "no_dlm":
        choices = power_at_most(3, st.d1, 10**12)
        return (choices or 10**12) * nv * (nv + st.N) + nv * nv * st.N
    if kind == "interpolates":
        return nv * st.N
    rows = [integer(r, f"{ptr}/full_rank/{t}", 0, nv - 1)
            for t, r in enumerate(array(val, f"{ptr}/full_rank", st.N))]
    later = sorted({r // st.d0 for r in rows if r >= st.d0 * len(tup)})
    cost = st.N**3
    if len(later) >= 2:
        a, b = later[-2:]
        sa = sum(1 for r in rows if r // st.d0 == a)
        mw = sa + sum(1 for r in rows if r // st.d0 == b)
        plan = sum(math.comb(mw, k) for k in range(1, max(sa, mw - sa) + 1))
        cost += 2 * R * plan
        cost += math.comb(mw, sa) * R * R // 64
    return cost


def check_region(st: Statement, blocks: Blocks, tup: tuple[int, ...], ent: Any, ptr: str) -> None:
    """One entry (shape checked by ``_entry_cost``); ``tup`` is a full tuple or a prefix."""
    (kind, val), = ent.items()
    nv = st.d0 * len(tup)  # rows of the (partial) K stacked from the units in tup
    if kind == "full_rank":
        rows = [integer(r, f"{ptr}/full_rank/{t}", 0, st.d0 * st.d1 - 1)
                for t, r in enumerate(array(val, f"{ptr}/full_rank", st.N))]
        if len(set(rows)) != st.N:
            raise Rejected(f"region {list(tup)} full rank", "distinct rows", rows)
        _every_completion(st, blocks, tup, rows)  # rows all inside the prefix: one check
        return
    K = [row for i, k in enumerate(tup) for row in blocks.block(i, k)]
    if kind == "interpolates":
        v = vector(val, f"{ptr}/interpolates", nv)
        fit = [sum((K[r][n] * v[r] for r in range(nv)), Fraction(0)) for n in range(st.N)]
        if fit != st.y:
            raise Rejected(f"region {list(tup)} interpolates", "K^T v = y", "a different vector")
        return
    pairs = array(val, f"{ptr}/no_dlm")
    choices = power_at_most(3, st.d1, len(pairs))
    if choices != len(pairs):
        raise Rejected(f"region {list(tup)}: a Motzkin certificate for every sign choice of z",
                       f"3^{st.d1}", len(pairs))
    G = [[dot(K[a], K[b]) for b in range(nv)] for a in range(nv)]
    Ky = [dot(K[a], st.y) for a in range(nv)]
    S = [blocks.unit_signs[k] for k in tup]
    for t, sigma in enumerate(itertools.product((1, -1, 0), repeat=st.d1)):
        _motzkin(st, S, G, Ky, sigma, array(pairs[t], f"{ptr}/no_dlm/{t}", 2),
                 f"{ptr}/no_dlm/{t}", f"region {list(tup)} sigma {list(sigma)} has no DLM")


def _every_completion(st: Statement, blocks: Blocks, tup: tuple[int, ...],
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
    Z = null_mod_p(P, st.N, p)
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
            projected[r, k] = [v % p for v in fields(total, width, len(Z))]
        return projected[r, k]

    def extend(depth: int, basis: list[tuple[int, list[int]]], chosen: tuple[int, ...]) -> None:
        """Reduce the next unit's projected rows against the echelon basis so far (mod p)."""
        if depth == len(pending):
            return
        if len(pending) - depth == 2:  # the last two units: all R^2 pairs at once
            pairs(pending[depth], pending[depth + 1], basis, project, R, p,
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


def pairs(unit_a: tuple[int, list[int]], unit_b: tuple[int, list[int]],
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
    W = null_mod_p([e for _, e in basis], m, p) if basis else None
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
        values = fields(total, width, R)
        if 0 in map(p.__rmod__, values):
            j = next(j for j, v in enumerate(values) if v % p == 0)
            raise Rejected(what(i, j), f"det != 0 mod {p}", 0)


def _motzkin(st: Statement, S: list[list[int]], G: list[list[Fraction]], Ky: list[Fraction],
             sigma: tuple[int, ...], pair: list[Any], ptr: str, what: str) -> None:
    nv, d0 = st.d0 * st.d1, st.d0
    zero_units = [i for i in range(st.d1) if sigma[i] == 0]
    live = [i for i in range(st.d1) if sigma[i] != 0]
    lam = vector(pair[0], f"{ptr}/0", nv + d0 * len(zero_units))
    mu = vector(pair[1], f"{ptr}/1", len(live) * len(st.nonzero))
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
        raise Rejected(what, "b.lambda > 0, or b.lambda = 0 and mu != 0",
                       f"b.lambda = {show(b_lam)}")


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    """Check a ``soudry_carmon/no_bad_dlm`` certificate (envelope already read)."""
    st = Statement(cert["statement"], work)
    work.announce(f"statement: {THEOREM}, (d0, d1, N) = ({st.d0}, {st.d1}, {st.N}), "
                  f"X/y/rho/noise sha256 {st.digest}")
    info: dict[str, Any] = {"theorem": THEOREM, "d0": st.d0, "d1": st.d1, "N": st.N,
                            "digest": st.digest, "verdict": cert["verdict"]}
    if cert["verdict"] == "refuted":
        check_refutation(st, cert["witness"])
    elif cert["verdict"] == "certified":
        info["unit_regions"] = check_certified(st, cert["witness"], work, workers)
    else:
        raise Malformed("/verdict", f"expected 'certified' or 'refuted', got {cert['verdict']!r}")
    return info


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    claim = ("every differentiable local minimum has zero loss" if info["verdict"] == "certified"
             else "a differentiable local minimum with nonzero loss exists")
    rate = f", {info['work']:.2g} work units"
    if "unit_regions" in info:
        regions = info["unit_regions"] ** info["d1"]  # at most the work limit
        per_s = f"{regions / max(elapsed, 1e-9):.3g}" if regions.bit_length() < 1000 else "many"
        rate = (f", {info['unit_regions']} regions per unit, {show(regions)} regions, {per_s} "
                f"regions/s" + rate)
    return f"VERIFIED {info['verdict']}: {claim} ({elapsed:.3g} s{rate})"
