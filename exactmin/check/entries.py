"""The entries and counts of a ``soudry_carmon/census`` claim (docs/certificates/soudry_carmon/
census.md), shared by :mod:`.census` (which adds the volumes section) and :mod:`.restricted`.

The kernel proves the unit regions complete, then requires one entry per region in the order it
derives from the statement: every ordered tuple of unit regions or, without noise (permuting
units changes nothing), every multiset in ``combinations_with_replacement`` order, counted with
its orderings. An entry is ``{"dlm": {"W", "z"}}`` (a point strictly in the region with
``K e = 0``; its loss computed here), ``{"no_dlm_tree": ...}`` (sign-choice leaves, :mod:`.leaves`)
or ``{"no_dlm": [...]}`` (one Motzkin certificate per sign choice, the form written before
2026-12-06, still read). The derived counts must equal the witness's ``counts``.
"""

import itertools
import math
from fractions import Fraction
from typing import Any

from . import pool
from . import soudry_carmon as sc
from .exact import dot, is_prime, sign
from .leaves import IntegerBlocks, check_tree
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


def _check_entry(shared: tuple[Statement, sc.Blocks, list[list[int]], IntegerBlocks],
                 job: tuple[tuple[int, ...], Any, str]) -> Fraction | None:
    """One region's entry: the loss of its checked DLM, or None (Motzkin certificates: no DLM)."""
    st, blocks, signs, integer_blocks = shared
    tup, ent, ptr = job
    if "dlm" in ent:
        return _dlm(st, signs, tup, ent["dlm"], f"{ptr}/dlm")
    if "no_dlm_tree" in ent:
        check_tree(integer_blocks, tup, ent["no_dlm_tree"], f"{ptr}/no_dlm_tree")
        return None
    sc.check_region(st, blocks, tup, ent, ptr)
    return None


def check(cert: dict[str, Any], work: Work, workers: int | None = None,
          unit_volumes: Any = None) -> dict[str, Any]:
    """Check a census certificate's entries and counts; returns the derived counts. ``workers``
    processes check the entries (default: every core for large certificates); the result does
    not depend on it. ``unit_volumes(st, signs, raw, work)`` reads a ``volumes`` section (the
    kernel's own enclosure per unit region); without it such a section is malformed. With it,
    ``info["sums"]`` holds the enclosures of ``V_bad`` and ``V_global`` over the DLM regions."""
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
        if choices is None and isinstance(ent, dict) and ("no_dlm" in ent or "no_dlm_tree" in ent):
            raise Refused(f"entry {j}: the 3^{st.d1} sign choices of z",
                          power_at_most(3, st.d1, 2**4000) or 2**4000, work.limit)
    tuples = (itertools.combinations_with_replacement(range(R), st.d1) if symmetric
              else itertools.product(range(R), repeat=st.d1))  # allocates d1 indices
    kinds = ("dlm", "no_dlm", "no_dlm_tree")
    for j, tup in enumerate(tuples):
        ptr = f"/witness/regions/{j}"
        ent = entries[j]
        if not isinstance(ent, dict) or len(ent) != 1 or next(iter(ent)) not in kinds:
            raise Malformed(ptr, "expected an object with one of dlm, no_dlm, no_dlm_tree")
        work.charge(st.d1 * st.N * (st.d0 + 2) if "dlm" in ent
                    else _tree_cost(st, ent["no_dlm_tree"], choices or 0, f"{ptr}/no_dlm_tree")
                    if "no_dlm_tree" in ent
                    else 8 * ((choices or 0) * nv * (nv + st.N) + nv * nv * st.N), f"entry {j}")
        jobs.append((tup, ent, ptr))
    if "volumes" in w and unit_volumes is None:
        raise Malformed("/witness/volumes", "unsupported here (a restricted census has none)")
    own = None if unit_volumes is None else unit_volumes(st, signs, w.get("volumes"), work)
    if workers is None:
        workers = pool.cores() if count >= PARALLEL_MIN_ENTRIES else 1
    shared = (st, sc.Blocks(st, signs, p), signs, IntegerBlocks(st, signs))
    found = pool.map_jobs(_check_entry, shared, jobs, workers,
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
    return {"theorem": THEOREM, "d0": st.d0, "d1": st.d1, "N": st.N, "digest": st.digest,
            "verdict": "census", "regions": total, "unit_regions": R, "dlm_regions": dlm,
            "bad_dlm_regions": bad, "bad_losses": [str(q) for q in sorted(losses)],
            "volumes": "absent", "sums": None if own is None else sums}


def _tree_cost(st: Statement, val: Any, choices: int, ptr: str) -> int:
    """Work of a ``no_dlm_tree`` entry: the elimination (``nv^2 (nv + N)``), the rows
    (``d1 N nv``), per leaf its multipliers times ``nv + 1``; at most ``3^d1`` leaves."""
    nv = st.d0 * st.d1
    leaves = array(val.get("leaves") if isinstance(val, dict) else None, f"{ptr}/leaves")
    if len(leaves) > choices:
        raise Rejected(f"{ptr}: at most one leaf per sign choice of z", choices, len(leaves))
    size = sum(len(x) for leaf in leaves if isinstance(leaf, list) for x in leaf[1:]
               if isinstance(x, list))
    return nv * nv * (nv + st.N) + st.d1 * st.N * nv + (len(leaves) + size) * (nv + 1)


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    losses = ", ".join(info["bad_losses"][:8]) + (", ..." if len(info["bad_losses"]) > 8 else "")
    holds = "holds" if info["bad_dlm_regions"] == 0 else "fails"
    vols = "" if info["volumes"] == "absent" else f"; volumes: {info['volumes']}"
    return (f"VERIFIED census: {info['regions']} regions ({info['unit_regions']} per unit), "
            f"{info['dlm_regions']} hold a DLM, {info['bad_dlm_regions']} with nonzero loss"
            f"{f' ({losses})' if losses else ''}; 'every DLM has zero loss' {holds}{vols} "
            f"({elapsed:.3g} s, {info['work']:.2g} work units)")
