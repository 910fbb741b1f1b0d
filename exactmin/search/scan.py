"""The one place that chooses an engine: :func:`scan_regions`."""

from __future__ import annotations

from exactmin.errors import TooExpensive
from exactmin.geometry import count_cover
from exactmin.models import Instance
from exactmin.search.fast import fast_scan
from exactmin.search.naive import LIMIT_SECONDS, naive_scan
from exactmin.search.outcome import ScanOptions, ScanOutcome

__all__ = ["UNIT_REGION_LIMIT", "scan_regions"]

UNIT_REGION_LIMIT = 10**6


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
    upper = count_cover(instance.N, instance.d0)  # no arrangement of N hyperplanes has more
    if upper > UNIT_REGION_LIMIT and not options.force:
        raise TooExpensive(
            f"the data's arrangement may have up to {upper} regions per unit (Cover's bound for "
            f"N={instance.N} points in d0={instance.d0} dimensions); enumerating them alone is "
            "estimated above ten minutes; pass force=True to run it anyway"
        )
    if options.engine == "fast" and not options.census:
        return fast_scan(instance, options, limit=LIMIT_SECONDS)
    return naive_scan(instance, options)
