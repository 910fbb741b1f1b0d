"""Checker for ``soudry_carmon/no_bad_dlm`` (docs/certificates/soudry_carmon/no_bad_dlm.md).

Everything derived (hyperplane classes, sign vectors, the list of all ordered tuples of unit
regions, K, normal equations, gradients) is recomputed here from the statement; the certificate
supplies witnesses only. How many obligations there are is fixed by the statement: the regions
of the arrangement of X (proved complete), all R^d1 ordered tuples of them, all 3^d1 sign
choices of z. Standard library only; imports only the reader and the primitives.
"""

import itertools
from fractions import Fraction
from typing import Any

from . import pool
from .exact import det_mod_p, dot, is_prime, mod_p
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
from .regions import Statement, check_unit_regions

THEOREM = "soudry_carmon/no_bad_dlm"
PARALLEL_MIN_TUPLES = 10**5  # below this, starting processes costs more than it saves


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


# ----------------------------------------------------------------------------- certified
class Blocks:
    """Block i of K for unit region k, as Fractions and (lazily) mod p."""

    def __init__(self, st: Statement, unit_signs: list[list[int]], p: int,
                 plain: bool = False) -> None:
        self.st, self.unit_signs, self.p, self.plain = st, unit_signs, p, plain
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
    jobs: list[tuple[Any, list[tuple[tuple[int, ...], Any, str]]]] = []  # runs (_run_key)
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
        work.charge(_entry_cost(st, R, tup, ent, ptr, work.plain), f"entry {j}")
        key = _run_key(st, tup, ent, work.plain)
        if key is None or not jobs or jobs[-1][0] != key:
            jobs.append((key, []))
        jobs[-1][1].append((tup, ent, ptr))
        covered += R ** (st.d1 - len(tup))
    if covered != total:
        raise Rejected("a witness for every ordered tuple of unit regions", total, covered)
    if workers is None:
        workers = pool.cores() if total >= PARALLEL_MIN_TUPLES else 1
    pool.first_failure(_check_job, (st, Blocks(st, unit_signs, p, work.plain)), jobs, workers,
                       chunksize=max(1, len(jobs) // (16 * workers)), progress=work.progress)
    return R


def _check_job(shared: tuple[Statement, Blocks],
               job: tuple[Any, list[tuple[tuple[int, ...], Any, str]]]) -> None:
    if len(job[1]) == 1:
        return check_region(shared[0], shared[1], *job[1][0])
    from .speed import every_completion_run  # optional (docs/trust-model.md)

    every_completion_run(shared[0], shared[1], [(tup, ent["full_rank"]) for tup, ent, _ in job[1]])


def _run_key(st: Statement, tup: tuple[int, ...], ent: Any, plain: bool) -> Any:
    """Consecutive prefix entries with one key (the regions and rows outside the last prefix
    unit) form one job for the speed code (shapes checked by ``_entry_cost``); None: alone."""
    if plain or not 2 <= len(tup) < st.d1 or "full_rank" not in ent:
        return None
    lo, hi = st.d0 * (len(tup) - 1), st.d0 * len(tup)
    return len(tup), tup[:-1], tuple(r for r in ent["full_rank"] if not lo <= r < hi)


def _entry_cost(st: Statement, R: int, tup: tuple[int, ...], ent: Any, ptr: str,
                plain: bool = False) -> int:
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
    if len(set(rows)) != st.N:
        raise Rejected(f"region {list(tup)} full rank", "distinct rows", rows)
    later = sorted({r // st.d0 for r in rows if r >= st.d0 * len(tup)})
    cost = st.N**3
    if plain:  # one determinant per completion
        return st.N**3 * (power_at_most(R, st.d1 - len(tup), 10**15) or 10**15)
    if len(later) >= 2:
        from .speed import pair_cost  # optional (docs/trust-model.md)

        cost += pair_cost(R, *(sum(1 for r in rows if r // st.d0 == u) for u in later[-2:]))
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
        if blocks.plain or len(tup) == st.d1:  # one completion, or --plain: the short path
            _every_completion(st, blocks, tup, rows)
        else:
            from .speed import every_completion  # optional (docs/trust-model.md)

            every_completion(st, blocks, tup, rows)
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
    """The rows have a minor nonzero mod p in every completion of the prefix ``tup`` (the
    short path: one N x N determinant per completion; :mod:`.speed` is the fast one)."""
    R, d0, p = len(blocks.unit_signs), st.d0, blocks.p
    for rest in itertools.product(range(R), repeat=st.d1 - len(tup)):
        full = tup + rest
        M = [blocks.block_p(r // d0, full[r // d0])[r % d0] for r in rows]
        if det_mod_p(M, p) == 0:
            raise Rejected(f"region {list(full)} full rank, rows {rows}", f"det != 0 mod {p}", 0)


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
