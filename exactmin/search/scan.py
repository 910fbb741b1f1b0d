"""The one place that chooses an engine: :func:`scan_regions`."""

from __future__ import annotations

from exactmin.geometry import count_cover, enumerate_regions, hyperplane_classes
from exactmin.geometry.arrangement import enumeration_seconds
from exactmin.models import Instance
from exactmin.search.cost import LIMIT_SECONDS, human_seconds, refuse_if_too_long
from exactmin.search.fast import fast_scan
from exactmin.search.naive import naive_scan
from exactmin.search.outcome import ScanOptions, ScanOutcome
from exactmin.search.progress import Progress, note

__all__ = ["scan_regions"]


def scan_regions(instance: Instance, options: ScanOptions | None = None) -> ScanOutcome:
    """Decide every differentiable region of ``instance`` (or stop at the first bad DLM).

    The fast engine (:mod:`exactmin.search.fast`) runs the default mode; ``census`` runs and
    ``engine="naive"`` run the plain enumeration (:mod:`exactmin.search.naive`), which decides
    every ordered tuple and is kept as the reference.

    Raises
    ------
    TooExpensive
        When the run is estimated above ten minutes and ``options.force`` is False.

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> out = scan_regions(inst, ScanOptions(census=True))
    >>> out.census.regions, out.census.bad_losses
    (36, (Fraction(2, 9), Fraction(1, 3), Fraction(8, 21)))
    """
    options = options or ScanOptions()
    _unit_regions(instance, options)
    if options.engine == "fast" and not options.census:
        return fast_scan(instance, options, limit=LIMIT_SECONDS)
    return naive_scan(instance, options)


def _unit_regions(instance: Instance, options: ScanOptions) -> None:
    """Estimate the enumeration of the unit regions before it starts (refused above ten minutes
    unless forced), then run it with a progress bar when it is long; the engines reuse it."""
    m = len(hyperplane_classes(instance.X))
    estimate = enumeration_seconds(m, instance.d0)
    upper = count_cover(m, instance.d0)  # no arrangement of m hyperplanes has more regions
    note(f"unit regions: at most {upper:,} (Cover's bound), enumeration estimated at "
         f"{human_seconds(estimate)}")
    # a budget bounds the decisions; an enumeration beyond it (and beyond a few seconds) is
    # refused rather than allowed to overrun the budget silently
    limit = LIMIT_SECONDS if options.budget is None else min(LIMIT_SECONDS,
                                                              max(options.budget, 10.0))
    within = ("ten minutes" if options.budget is None or options.budget >= LIMIT_SECONDS
              else f"the budget of {options.budget:g} s, which bounds the decisions after it")
    refuse_if_too_long(estimate, f"the data's arrangement may have up to {upper:,} regions per "
                       f"unit (Cover's bound for {m} hyperplanes in d0={instance.d0} dimensions), "
                       "enumerated by exact LPs before any decision", force=options.force,
                       partial=False, limit=limit, within=within)
    if estimate > 1:
        bar = Progress(1, options.progress, unit="LP", desc="unit regions")
        try:
            enumerate_regions(instance.X, lambda done, total: _update(bar, done, total))
        finally:
            bar.close()


def _update(bar: Progress, done: int, total: int) -> None:
    bar.total = total
    bar.update(done)
