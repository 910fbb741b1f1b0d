"""The one-hidden-layer statement and the regions of its data's arrangement, shared by the
checkers of ``soudry_carmon/no_bad_dlm``, ``soudry_carmon/census`` and
``soudry_carmon/global_minimum`` (docs/certificates/soudry_carmon/no_bad_dlm.md, "Unit regions").

:class:`Statement` reads ``X, y, d1, rho, noise`` and derives the hyperplane classes;
:func:`check_unit_regions` proves that a listed set of sign vectors is every region of the
arrangement, each once (Cover's count in general position, or closure under crossing one
hyperplane with Gordan certificates). Standard library only; imports only the reader and the
primitives.
"""

import hashlib
import itertools
import json
import math
from fractions import Fraction
from typing import Any

from .exact import det_mod_p, dot, mod_p, sign
from .reader import Malformed, Rejected, Work, array, integer, matrix, obj, rational, vector

__all__ = ["Statement", "check_unit_regions"]


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
