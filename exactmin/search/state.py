"""The running counts of a region scan, shared by every scan (sequential, fast, parallel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from exactmin.decide import RegionDecision

__all__ = ["ScanState"]


@dataclass
class ScanState:
    """Counts of a scan after ``done`` iterations."""

    done: int = 0
    examined: int = 0
    full: int = 0
    dlm: int = 0
    bad_count: int = 0
    losses: set[Fraction] = field(default_factory=set)
    first_bad: RegionDecision | None = None
    bad: list[tuple[tuple[int, ...], RegionDecision, int]] | None = None  # when listing
    keep_all: bool = False  # list every region holding a DLM (zero loss too), not only bad ones

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
