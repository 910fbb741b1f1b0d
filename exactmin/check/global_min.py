"""Checker for ``soudry_carmon/global_minimum`` (docs/certificates/soudry_carmon/global_minimum.md).

Statement: a one-hidden-layer instance (``X, y, d1, rho, noise``) and ``global_minimum = L*``.
Claim: the smallest value of the loss ``(1/2) |yhat - y|^2`` over all ``(W, z)`` is ``L*``.

- Upper bound: the witness's point ``(W, z)`` has loss exactly ``L*``.
- Lower bound (skipped when ``L* = 0``: the loss is ``>= 0``): ``unit_regions`` lists every
  region of the data's arrangement, proved complete as for ``no_bad_dlm`` (:mod:`.regions`).
  With ``u_i = |z_i| w_i`` and ``s_i = sign z_i``, each ``u_i`` lies in the closed cone of some
  region ``k`` (the closures of the regions cover ``R^d0``), where ``phi(u . x_n)`` is the
  slope of ``sigma_kn`` times ``u . x_n``, so the prediction is ``A u`` (column block ``i``:
  ``s_i E_in c_kn x_n``). An atom is ``(s, k)``: atom ``a`` has ``s = (1, -1)[a % 2]`` and
  region ``k = a // 2``. The pieces, derived here: every ``d1``-tuple of the ``2 R`` atoms
  (``itertools.product``), or without noise every multiset
  (``itertools.combinations_with_replacement``: the loss is then invariant under permuting the
  units, so a multiset's piece has the minimum of each of its orderings). One entry
  ``{"mu", "lambda"}`` per piece, in that order: ``lambda >= 0`` (``d1`` lists, one number per
  nonzero point), ``A^T mu = B^T lambda`` (``B``'s rows ``sigma_kn x_n`` in block ``i``) and
  ``-mu . y - |mu|^2 / 2 >= L*``. Then on the piece ``(1/2)|A u - y|^2 >= mu.(A u - y) -
  |mu|^2/2 = lambda.(B u) - mu.y - |mu|^2/2 >= L*``.
"""

import itertools
import math
from fractions import Fraction
from typing import Any

from .exact import is_prime
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

THEOREM = "soudry_carmon/global_minimum"
KEYS = ("theorem", "X", "y", "d1", "rho", "noise")


def _count(atoms: int, d1: int, symmetric: bool, cap: int) -> int | None:
    """The number of pieces, multisets ``C(atoms + d1 - 1, d1)`` or tuples ``atoms^d1``, or
    None when it exceeds ``cap`` (found without computing a huge number).

    >>> _count(4, 2, True, 100), _count(4, 2, False, 100), _count(40, 10**6, True, 10**9)
    (10, 16, None)
    """
    if not symmetric:
        return power_at_most(atoms, d1, cap)
    k = min(d1, atoms - 1)  # C(n, k) = C(n, n - k): at most atoms - 1 factors
    value = 1
    for t in range(1, k + 1):  # the partial products C(n - k + t, t) increase with t
        value = value * (atoms + d1 - 1 - k + t) // t
        if value > cap:
            return None
    return value


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement", KEYS + ("global_minimum",))
    st = Statement({k: raw[k] for k in KEYS}, work)
    d0, d1, N, y = st.d0, st.d1, st.N, st.y
    L = rational(raw["global_minimum"], "/statement/global_minimum")
    if L < 0:
        raise Malformed("/statement/global_minimum", "a loss is >= 0")
    work.announce(f"statement: {THEOREM}, (d0, d1, N) = ({d0}, {d1}, {N}): the global minimum "
                  f"of the loss is {show(L)}")
    if cert["verdict"] != "global_minimum":
        raise Malformed("/verdict", "expected 'global_minimum'")
    w = obj(cert["witness"], "/witness", ("W", "z", "pieces"), ("unit_regions", "prime"))
    W = matrix(w["W"], "/witness/W", d1, d0)
    z = vector(w["z"], "/witness/z", d1)
    yhat = [Fraction(0)] * N
    for i in range(d1):
        for n in range(N):
            u = sum((a * b for a, b in zip(W[i], st.cols[n])), Fraction(0))
            yhat[n] += z[i] * st.E(i, n) * (u if u > 0 else st.rho * u)
    value = sum(((a - b) ** 2 for a, b in zip(yhat, y)), Fraction(0)) / 2
    if value != L:
        raise Rejected("the point attains the global minimum: its loss", L, value)
    info = {"theorem": THEOREM, "d0": d0, "d1": d1, "N": N, "verdict": "global_minimum",
            "global_minimum": L, "pieces": 0, "unit_regions": 0}
    if L == 0:
        array(w["pieces"], "/witness/pieces", 0)
        return info
    for key in ("unit_regions", "prime"):
        if key not in w:
            raise Malformed(f"/witness/{key}", "missing (required when L* > 0)")
    p = integer(w["prime"], "/witness/prime", 2, 2**62)
    if not is_prime(p):
        raise Rejected("prime", "a prime", p)
    sigma = check_unit_regions(st, w["unit_regions"], p, work)
    R, nz = len(sigma), st.nonzero
    atoms = 2 * R
    symmetric = st.noise is None
    unit = (N + 1) * d0 * d1 * 4  # work per piece
    count = _count(atoms, d1, symmetric, work.limit // unit + 1)
    if count is None:  # charged before a single piece is read
        n, k = (atoms + d1 - 1, d1) if symmetric else (atoms, d1)
        log10 = ((math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) if symmetric
                 else k * math.log(n)) / math.log(10)
        raise Refused(f"about 1e{log10:.0f} pieces ({atoms} atoms, d1 = {d1})",
                      10 ** min(300, int(log10)) * unit, work.limit)
    work.charge(count * unit, f"{count} pieces ({atoms} atoms, d1 = {d1})")
    pieces = array(w["pieces"], "/witness/pieces")
    if len(pieces) != count:
        raise Rejected("one entry per piece (tuples of atoms)", count, len(pieces))
    tuples = (itertools.combinations_with_replacement(range(atoms), d1) if symmetric
              else itertools.product(range(atoms), repeat=d1))
    for k, tup in enumerate(tuples):
        ptr = f"/witness/pieces/{k}"
        ent = obj(pieces[k], ptr, ("mu", "lambda"))
        mu = vector(ent["mu"], f"{ptr}/mu", N)
        lam = [vector(v, f"{ptr}/lambda/{i}", len(nz))
               for i, v in enumerate(array(ent["lambda"], f"{ptr}/lambda", d1))]
        if any(v < 0 for row in lam for v in row):
            raise Rejected(f"piece {k}: lambda >= 0", ">= 0", min(min(r) for r in lam if r))
        for i, a in enumerate(tup):
            s, sg = (1, -1)[a % 2], sigma[a // 2]
            for j in range(d0):
                at = sum((mu[n] * s * st.E(i, n) * (1 if sg[n] > 0 else st.rho) * st.cols[n][j]
                          for n in nz), Fraction(0))
                bt = sum((lv * sg[n] * st.cols[n][j] for n, lv in zip(nz, lam[i])), Fraction(0))
                if at != bt:
                    raise Rejected(f"piece {k}: A^T mu = B^T lambda (unit {i}, entry {j})", at, bt)
        bound = -sum((a * b for a, b in zip(mu, y)), Fraction(0)) - sum(
            (a * a for a in mu), Fraction(0)) / 2
        if bound < L:
            raise Rejected(f"piece {k}: the bound -mu.y - |mu|^2/2 >= L*", f">= {show(L)}", bound)
    info.update(pieces=count, unit_regions=R)
    return info


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The VERIFIED line for an accepted certificate (the statement line comes first)."""
    how = ("the loss is >= 0" if info["pieces"] == 0 else
           f"{info['pieces']} closed pieces ({info['unit_regions']} regions per unit) bounded "
           "below by exact duals")
    return (f"VERIFIED global_minimum: the global minimum of the loss is "
            f"{show(info['global_minimum'])}: attained at the point, {how} ({elapsed:.3g} s)")
