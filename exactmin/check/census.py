"""Checker for ``soudry_carmon/census`` (docs/certificates/soudry_carmon/census.md).

The statement is a one-hidden-layer instance, as for ``soudry_carmon/no_bad_dlm``; the claim is
its census: how many differentiable regions hold a DLM, how many of those have nonzero loss, and
the distinct nonzero losses. The kernel proves the unit regions complete (as for
``no_bad_dlm``), then requires one entry per region in an order it derives from the statement:
every ordered tuple of unit regions, or, when the statement has no noise (all hidden units
interchangeable, so a permutation of a tuple has the same decision and loss), every multiset in
``combinations_with_replacement`` order, counted with its number of orderings. An entry is

- ``{"dlm": {"W", "z"}}``: the point lies strictly in the region (every ``w_i . x_n`` has the
  region's sign) and ``K e = 0`` (every block ``sum_n e_n A_in x_n`` is zero), so its ``v`` is a
  least-squares solution over the region's linear span and the point is a DLM; its loss is
  computed here;
- ``{"no_dlm": [...]}``: one Motzkin certificate per sign choice of ``z``, as for
  ``no_bad_dlm``.

The counts the kernel derives must equal the witness's ``counts``; they are printed.
"""

import itertools
import math
from fractions import Fraction
from typing import Any

from . import pool
from . import soudry_carmon as sc
from .exact import dot, is_prime, sign
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
    vector,
)
from .regions import Statement, check_unit_regions
from .volumes import check_enclosure, unit_volume

THEOREM = "soudry_carmon/census"
PARALLEL_MIN_ENTRIES = 2000  # below this, starting processes costs more than it saves


def _orderings(tup: tuple[int, ...]) -> int:
    out = math.factorial(len(tup))
    for k in set(tup):
        out //= math.factorial(tup.count(k))
    return out


def _dlm(st: Statement, signs: list[list[int]], tup: tuple[int, ...], val: Any,
         ptr: str) -> Fraction:
    """The loss of the DLM ``val`` of region ``tup``, after checking that it is one."""
    obj(val, ptr, ("W", "z"))
    W = matrix(val["W"], f"{ptr}/W", st.d1, st.d0)
    z = vector(val["z"], f"{ptr}/z", st.d1)
    A = []
    for i, k in enumerate(tup):
        for n in st.nonzero:
            if sign(dot(W[i], st.cols[n])) != signs[k][n]:
                raise Rejected(f"region {list(tup)}: w_{i}.x_{n} has the region's sign",
                               signs[k][n], sign(dot(W[i], st.cols[n])))
        A.append([st.E(i, n) * (1 if signs[k][n] > 0 else st.rho) for n in range(st.N)])
    e = [sum((z[i] * A[i][n] * dot(W[i], st.cols[n]) for i in range(st.d1)), Fraction(0))
         - st.y[n] for n in range(st.N)]
    for i in range(st.d1):
        g = [sum((e[n] * A[i][n] * st.cols[n][j] for n in range(st.N)), Fraction(0))
             for j in range(st.d0)]
        if any(g):
            raise Rejected(f"region {list(tup)}: K e = 0, block {i}", "zero vector", g)
    return dot(e, e) / 2


def _check_entry(shared: tuple[Statement, sc.Blocks, list[list[int]]],
                 job: tuple[tuple[int, ...], Any, str]) -> Fraction | None:
    """One region's entry: the loss of its checked DLM, or None (Motzkin certificates: no DLM)."""
    st, blocks, signs = shared
    tup, ent, ptr = job
    if "dlm" in ent:
        return _dlm(st, signs, tup, ent["dlm"], f"{ptr}/dlm")
    sc.check_region(st, blocks, tup, ent, ptr)
    return None


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    """Check a census certificate; returns the derived counts. ``workers`` processes check the
    entries (default: every core for large certificates); the result does not depend on it."""
    st = Statement(cert["statement"], work)
    symmetric = st.noise is None
    work.announce(f"statement: {THEOREM}, (d0, d1, N) = ({st.d0}, {st.d1}, {st.N}), "
                  f"X/y/rho/noise sha256 {st.digest}")
    if cert["verdict"] != "census":
        raise Malformed("/verdict", f"expected 'census', got {cert['verdict']!r}")
    w = obj(cert["witness"], "/witness", ("unit_regions", "prime", "regions", "counts"),
            ("volumes",))
    p = integer(w["prime"], "/witness/prime", 2, 2**62)
    if not is_prime(p):
        raise Rejected("prime", "a prime", p)
    signs = check_unit_regions(st, w["unit_regions"], p, work)
    R = len(signs)
    total = power_at_most(R, st.d1, work.limit)
    if total is None:
        raise Refused(f"the {R}^{st.d1} ordered tuples of unit regions",
                      power_at_most(R, st.d1, 2**4000) or 2**4000, work.limit)
    count = math.comb(R + st.d1 - 1, st.d1) if symmetric else total
    entries = array(w["regions"], "/witness/regions", count)
    nv, jobs = st.d0 * st.d1, []
    choices = power_at_most(3, st.d1, work.limit)  # sign choices of z, one Motzkin proof each
    for j, ent in enumerate(entries):  # before any tuple of d1 indices is formed
        if choices is None and isinstance(ent, dict) and "no_dlm" in ent:
            raise Refused(f"entry {j}: the 3^{st.d1} sign choices of z",
                          power_at_most(3, st.d1, 2**4000) or 2**4000, work.limit)
    tuples = (itertools.combinations_with_replacement(range(R), st.d1) if symmetric
              else itertools.product(range(R), repeat=st.d1))  # allocates d1 indices
    for j, tup in enumerate(tuples):
        ptr = f"/witness/regions/{j}"
        ent = entries[j]
        if not isinstance(ent, dict) or len(ent) != 1 or next(iter(ent)) not in ("dlm", "no_dlm"):
            raise Malformed(ptr, "expected an object with one of dlm, no_dlm")
        work.charge(st.d1 * st.N * (st.d0 + 2) if "dlm" in ent
                    else 8 * ((choices or 0) * nv * (nv + st.N) + nv * nv * st.N), f"entry {j}")
        jobs.append((tup, ent, ptr))
    own = _unit_volumes(st, signs, w.get("volumes"), work)
    if workers is None:
        workers = pool.cores() if count >= PARALLEL_MIN_ENTRIES else 1
    found = pool.map_jobs(_check_entry, (st, sc.Blocks(st, signs, p), signs), jobs, workers,
                          chunksize=max(1, len(jobs) // (16 * workers)), progress=work.progress)
    dlm = bad = 0
    losses: set[Fraction] = set()
    sums = {"V_bad": [Fraction(0), Fraction(0)], "V_global": [Fraction(0), Fraction(0)]}
    for (tup, _, _), loss in zip(jobs, found):
        if loss is None:  # no DLM in this region
            continue
        weight = _orderings(tup) if symmetric else 1
        dlm += weight
        if loss:
            bad += weight
            losses.add(loss)
        if own is not None:
            key = "V_bad" if loss else "V_global"
            lo, hi = Fraction(weight), Fraction(weight)
            for k in tup:
                lo, hi = lo * own[k][0], hi * own[k][1]
            sums[key][0] += lo
            sums[key][1] += hi
    claimed = obj(w["counts"], "/witness/counts", ("dlm_regions", "bad_dlm_regions",
                                                    "bad_losses"))
    derived: dict[str, Any] = {"dlm_regions": dlm, "bad_dlm_regions": bad,
                               "bad_losses": sorted(losses)}
    listed = [rational(q, f"/witness/counts/bad_losses/{k}")
              for k, q in enumerate(array(claimed["bad_losses"], "/witness/counts/bad_losses"))]
    for key in ("dlm_regions", "bad_dlm_regions"):
        if integer(claimed[key], f"/witness/counts/{key}", 0) != derived[key]:
            raise Rejected(f"counts: {key}", derived[key], claimed[key])
    if listed != derived["bad_losses"]:
        raise Rejected("counts: bad_losses (increasing)", derived["bad_losses"], listed)
    volumes = "absent"
    if own is not None:
        for key in ("V_bad", "V_global"):
            total_v = _pair(w["volumes"][key], f"/witness/volumes/{key}")
            check_enclosure(total_v, (sums[key][0], sums[key][1]), f"volumes: {key}")
        volumes = "checked (every unit region's angle and both sums, rigorous)"
    return {"theorem": THEOREM, "d0": st.d0, "d1": st.d1, "N": st.N, "digest": st.digest,
            "verdict": "census", "regions": total, "unit_regions": R, "dlm_regions": dlm,
            "bad_dlm_regions": bad, "bad_losses": [str(q) for q in sorted(losses)],
            "volumes": volumes}


def _pair(v: Any, ptr: str) -> tuple[Fraction, Fraction]:
    lo, hi = (rational(x, f"{ptr}/{k}") for k, x in enumerate(array(v, ptr, 2)))
    if lo > hi:
        raise Malformed(ptr, "expected [lo, hi] with lo <= hi")
    return lo, hi


def _unit_volumes(st: Statement, signs: list[list[int]], raw: Any,
                  work: Work) -> list[tuple[Fraction, Fraction]] | None:
    """With a ``volumes`` section: the kernel's own enclosure of every unit region's volume
    (checked against the claimed ones). Every claimed interval must meet [0, 1] and the two sums
    fit in 1; data spanning 4 or more dimensions make the section unsupported (no solid-angle
    formula here), never "verified" unread."""
    if raw is None:
        return None
    obj(raw, "/witness/volumes", ("unit", "V_bad", "V_global"))
    unit = array(raw["unit"], "/witness/volumes/unit", len(signs))
    claimed = [_pair(v, f"/witness/volumes/unit/{k}") for k, v in enumerate(unit)]
    sums = [_pair(raw[key], f"/witness/volumes/{key}") for key in ("V_bad", "V_global")]
    for what, (lo, hi) in [*((f"unit region {k}", c) for k, c in enumerate(claimed)),
                           ("V_bad", sums[0]), ("V_global", sums[1])]:
        if lo > 1 or hi < 0:
            raise Rejected(f"volumes: {what}", "an interval meeting [0, 1] (a probability)",
                           [lo, hi])
    if sums[0][0] + sums[1][0] > 1:
        raise Rejected("volumes: V_bad + V_global", "<= 1 (disjoint regions)",
                       sums[0][0] + sums[1][0])
    bits = max(v.numerator.bit_length() + v.denominator.bit_length() for c in st.cols for v in c)
    rays = st.N ** (2 if st.d0 <= 2 else 3)  # candidate rays times constraints
    work.charge(len(signs) * (20 * rays * st.d0 + 20000) * (1 + bits // 256),
                "the unit regions' angles")
    own = []
    for k, s in enumerate(signs):
        enc = unit_volume(st.cols, s)
        if enc is None:
            raise Malformed("/witness/volumes", "unsupported: the kernel re-derives angular "
                                                "volumes only when the data span at most 3 "
                                                "dimensions; leave the section out")
        check_enclosure(claimed[k], enc, f"volumes: unit region {k}")
        own.append(enc)
    return own


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    losses = ", ".join(info["bad_losses"][:8]) + (", ..." if len(info["bad_losses"]) > 8 else "")
    holds = "holds" if info["bad_dlm_regions"] == 0 else "fails"
    vols = "" if info["volumes"] == "absent" else f"; volumes: {info['volumes']}"
    return (f"VERIFIED census: {info['regions']} regions ({info['unit_regions']} per unit), "
            f"{info['dlm_regions']} hold a DLM, {info['bad_dlm_regions']} with nonzero loss"
            f"{f' ({losses})' if losses else ''}; 'every DLM has zero loss' {holds}{vols} "
            f"({elapsed:.3g} s, {info['work']:.2g} work units)")
