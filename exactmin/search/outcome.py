"""What every engine takes and returns: the scan options and the scan outcome."""

from __future__ import annotations

from dataclasses import dataclass

from exactmin.decide import WITNESS_PRIME, RegionDecision
from exactmin.errors import InvalidInput
from exactmin.geometry import Region
from exactmin.results import Census

__all__ = ["ENGINES", "ScanOptions", "ScanOutcome", "parse_scheduler"]

ENGINES = ("fast", "naive")


def parse_scheduler(value: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local`` / ``local:N`` (N worker processes, default 2), else
    ``("address", None)`` for a ``tcp://host:port`` (or ``host:port``) address.

    >>> parse_scheduler("local:3"), parse_scheduler("tcp://10.0.0.2:8786")
    (('local', 3), ('address', None))
    """
    if value == "local" or value.startswith("local:"):
        n = value.partition(":")[2] or "2"
        if not n.isdigit() or not 1 <= int(n) <= 256:
            raise InvalidInput(f"--scheduler={value!r}: use local or local:N with N from 1 to "
                               "256 worker processes, or a scheduler address tcp://host:8786")
        return "local", int(n)
    if "://" not in value and ":" not in value:
        raise InvalidInput(f"--scheduler={value!r}: give a scheduler address such as "
                           "tcp://host:8786, or local[:N]")
    return "address", None


@dataclass(frozen=True, kw_only=True)
class ScanOptions:
    """How to scan the differentiable regions of an instance (one object through every layer).

    Attributes
    ----------
    census : decide every region completely (DLM existence included); otherwise stop at the
        first bad DLM
    budget : seconds, or None; when exceeded the scan stops with partial counts
    force : run even when the estimated time exceeds ten minutes
    backend : linear-algebra backend (``"flint"`` or ``"python"``), None for the fastest
    witnesses : keep every region's decision with the witnesses a certificate needs
    engine : ``"fast"`` (the default search) or ``"naive"`` (every ordered tuple, the reference)
    workers : processes (results do not depend on it)
    progress : a progress bar on stderr for runs longer than a second
    checkpoint : file for resumable runs (every engine and mode; not with ``witnesses``)
    list_bad : keep every region holding a bad DLM, with its loss and one DLM (census only)
    list_dlm : keep every region holding a DLM, zero loss included (census only; in
        ``ScanOutcome.bad_regions``)
    scheduler : a Dask scheduler address (``tcp://host:8786``) or ``local[:N]`` (a LocalCluster
        of N worker processes) for a census or the fast engine's search
        (:mod:`exactmin.search.cluster`); None: local
    """

    census: bool = False
    budget: float | None = None
    force: bool = False
    backend: str | None = None
    witnesses: bool = False
    engine: str = "fast"
    workers: int = 1
    progress: bool = False
    checkpoint: str | None = None
    list_bad: bool = False
    list_dlm: bool = False
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.scheduler is not None:
            if not self.census and self.engine != "fast":
                raise InvalidInput("scheduler runs censuses (census=True / --census) and the "
                                   "fast engine's search; engine='naive' without a census runs "
                                   "on one local process")
            parse_scheduler(self.scheduler)
        if self.list_dlm and (not self.census or self.checkpoint is not None or self.list_bad):
            raise InvalidInput("list_dlm needs census=True, without a checkpoint or list_bad")
        if self.list_bad and not self.census:
            raise InvalidInput("list_bad needs census=True: only a census decides every region")
        if self.list_bad and self.checkpoint is not None:
            raise InvalidInput("list_bad cannot be combined with a checkpoint (a resumed run "
                               "does not keep the regions listed before)")
        if self.engine not in ENGINES:
            raise InvalidInput(f"engine={self.engine!r} is not known; use 'fast' or 'naive'")
        if isinstance(self.workers, bool) or not isinstance(self.workers, int) or self.workers < 1:
            raise InvalidInput(f"workers={self.workers!r} must be an integer >= 1")
        if self.budget is not None and not self.budget > 0:
            raise InvalidInput(f"budget={self.budget!r} must be a positive number of seconds")
        if self.checkpoint is not None and self.witnesses:
            raise InvalidInput("checkpoint cannot be combined with a certificate: a "
                               "certificate needs every region's witness from one run")


@dataclass(frozen=True)
class ScanOutcome:
    """What a scan found: the counts, the first bad region (if any) and why it stopped."""

    census: Census
    bad: RegionDecision | None
    stopped: str | None  # None: finished; otherwise the reason (budget)
    units: tuple[Region, ...] = ()
    witnesses: tuple[RegionDecision, ...] | None = None  # every region's decision, in order
    prime: int = WITNESS_PRIME  # the prime the full-rank witnesses are checked against
    # with list_bad: (unit region indices, decision, orderings) of every bad region, in order
    # (with list_dlm: of every region holding a DLM)
    bad_regions: tuple[tuple[tuple[int, ...], RegionDecision, int], ...] = ()
