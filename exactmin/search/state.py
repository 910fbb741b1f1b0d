"""The partial census every engine returns: the counts of a scan (or of one contiguous range of
its order), mergeable in order, and what a checkpoint saves of them.

Sequential, fast, pool and Dask runs all count into a :class:`ScanState` and merge ranges with
:meth:`ScanState.merge`; :meth:`ScanState.to_census` is the one place a :class:`Census` is made
from counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.decide import RegionDecision
from exactmin.models import Point
from exactmin.results import Census

__all__ = ["ScanState"]


@dataclass
class ScanState:
    """Counts of a scan after ``done`` iterations (or of one range of its order).

    Attributes
    ----------
    done : iterations of the scan's order decided (what a checkpoint resumes from)
    examined, full, dlm, bad_count : regions decided, of full rank, holding a DLM, holding a
        bad DLM (each tuple weighted by its orderings in a symmetric census)
    losses : the distinct bad DLM losses
    first_bad : the first region in the scan's order holding a bad DLM
    bad : with listing, ``(unit regions, decision, weight)`` of every bad region (with
        ``keep_all``, of every region holding a DLM), in order
    kept : every region's decision with its witnesses, in order (certificates)
    stopped : the range stopped early (its budget ran out)
    """

    done: int = 0
    examined: int = 0
    full: int = 0
    dlm: int = 0
    bad_count: int = 0
    losses: set[Fraction] = field(default_factory=set)
    first_bad: RegionDecision | None = None
    bad: list[tuple[tuple[int, ...], RegionDecision, int]] | None = None  # when listing
    keep_all: bool = False  # list every region holding a DLM (zero loss too), not only bad ones
    kept: list[RegionDecision] = field(default_factory=list)
    stopped: bool = False

    def add(self, dec: RegionDecision, weight: int, N: int,
            idx: tuple[int, ...] | None = None) -> bool:
        """Count ``weight`` regions with decision ``dec`` (unit regions ``idx``); True when they
        hold a bad DLM. With ``bad`` a list, every bad region is kept with its weight (with
        ``keep_all``, every region holding a DLM)."""
        self.examined += weight
        self.full += weight * (dec.rank == N)
        if not dec.has_dlm:
            return False
        self.dlm += weight
        if self.keep_all and self.bad is not None and idx is not None:
            self.bad.append((idx, dec, weight))
        if dec.loss == 0:
            return False
        self.bad_count += weight
        self.losses.add(dec.loss)
        if self.first_bad is None:
            self.first_bad = dec
        if self.bad is not None and idx is not None and not self.keep_all:
            self.bad.append((idx, dec, weight))
        return True

    def merge(self, later: ScanState) -> ScanState:
        """Add the counts of the range that follows this one in the scan's order (ranges must
        be merged in order: the first bad region is then the sequential scan's); returns self.

        >>> a, b = ScanState(examined=3, losses={Fraction(1, 2)}), ScanState(examined=2)
        >>> a.merge(b).examined, a.losses
        (5, {Fraction(1, 2)})
        """
        self.done += later.done
        self.examined += later.examined
        self.full += later.full
        self.dlm += later.dlm
        self.bad_count += later.bad_count
        self.losses |= later.losses
        if self.first_bad is None:
            self.first_bad = later.first_bad
        if later.bad:
            self.bad = (self.bad or []) + later.bad
        self.kept += later.kept
        self.stopped = self.stopped or later.stopped
        return self

    def to_census(self, unit_regions: int, regions: int, census: bool) -> Census:
        """The :class:`Census` of these counts (``census``: the run decided DLM existence in
        every region it examined; complete when it examined all ``regions``)."""
        complete = census and self.examined == regions
        return Census(unit_regions=unit_regions, regions=regions, examined=self.examined,
                      full_rank_regions=self.full, dlm_regions=self.dlm if complete else None,
                      bad_dlm_regions=self.bad_count, bad_losses=tuple(sorted(self.losses)),
                      complete=complete)

    def to_json(self) -> dict[str, Any]:
        """The counts a checkpoint saves (exact; not the listed regions or witnesses)."""
        bad = self.first_bad
        first = None if bad is None or bad.dlm is None else {
            "W": fmt_matrix(bad.dlm.W), "z": fmt_vector(bad.dlm.z), "loss": fmt(bad.loss),
            "rank": bad.rank}
        return {"done": self.done, "examined": self.examined, "full": self.full,
                "dlm": self.dlm, "bad_count": self.bad_count,
                "losses": sorted(fmt(q) for q in self.losses), "first_bad": first}

    @classmethod
    def from_json(cls, data: Any) -> ScanState:
        """Inverse of :meth:`to_json` (raises KeyError, TypeError or ValueError on a damaged
        mapping; the checkpoint names the file)."""
        bad = data["first_bad"]
        first = None
        if bad is not None:
            point = Point.from_lists(bad["W"], bad["z"])
            first = RegionDecision((), int(bad["rank"]), (), Fraction(bad["loss"]), True, point)
        return cls(done=int(data.get("done", 0)), examined=int(data["examined"]),
                   full=int(data["full"]), dlm=int(data["dlm"]),
                   bad_count=int(data["bad_count"]),
                   losses={Fraction(q) for q in data["losses"]}, first_bad=first)
