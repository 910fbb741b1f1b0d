"""Checker for ``soudry_carmon/census`` (docs/certificates/soudry_carmon/census.md): the
entries and counts by :mod:`.entries`, plus the optional ``volumes`` section (Soudry-Hoffer:
the kernel's own enclosures of every unit region's angle and of ``V_bad``, ``V_global``)."""

from fractions import Fraction
from typing import Any

from . import entries
from .reader import Malformed, Rejected, Work, array, obj, rational
from .regions import Statement
from .volumes import check_enclosure, unit_volume

THEOREM = entries.THEOREM
verdict_line = entries.verdict_line


def check(cert: dict[str, Any], work: Work, workers: int | None = None) -> dict[str, Any]:
    """Check a census certificate; returns the derived counts (and whether volumes were
    checked). ``workers`` processes check the entries; the result does not depend on it."""
    info = entries.check(cert, work, workers, _unit_volumes)
    sums = info.pop("sums")
    if sums is not None:
        for key in ("V_bad", "V_global"):
            total_v = _pair(cert["witness"]["volumes"][key], f"/witness/volumes/{key}")
            check_enclosure(total_v, (sums[key][0], sums[key][1]), f"volumes: {key}")
        info["volumes"] = "checked (every unit region's angle and both sums, rigorous)"
    return info


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

