"""What a run may cost: the ten-minute rule every command applies, and durations for people.

A run whose own estimate (made before it starts, or from its first seconds) exceeds
``LIMIT_SECONDS`` is refused with ``TooExpensive`` unless forced: :func:`refuse_if_too_long` is
the one check and the one message (what the run is, the estimate in :func:`human_seconds`, the
limit, and what insists, ``force=True`` / ``--force``, or bounds it, ``budget``). Every engine
and command takes the limit and the message from here; the command line rewrites the Python
names into flags.
"""

from __future__ import annotations

from exactmin.errors import TooExpensive

__all__ = ["LIMIT_SECONDS", "human_seconds", "refuse_if_too_long"]

LIMIT_SECONDS = 600.0  # ten minutes: above this estimate a run is refused unless forced


def human_seconds(seconds: float) -> str:
    """A duration for people, from milliseconds to years.

    >>> human_seconds(0.004), human_seconds(95), human_seconds(5400), human_seconds(3.27e21)
    ('4 ms', '95 s', '90 min', 'about 1e+14 years')
    """
    if seconds < 1:
        return f"{seconds * 1e3:.2g} ms"
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.3g} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.3g} h"
    if seconds < 365 * 86400:
        return f"{seconds / 86400:.3g} days"
    years = seconds / (365.25 * 86400)
    return f"{years:.3g} years" if years < 1e4 else f"about {years:.0e} years"


def refuse_if_too_long(estimate: float, what: str, *, force: bool = False, partial: bool = True,
                       limit: float | None = None, within: str = "ten minutes") -> None:
    """Raise ``TooExpensive`` when ``estimate`` (seconds) exceeds ``limit`` and the run is not
    forced.

    Parameters
    ----------
    estimate : the run's own estimate, in seconds
    what : the run in words, with its size (the message starts with it)
    force : the caller insists: never refuse
    partial : the run can stop early with partial counts (the message offers ``budget``)
    limit, within : the limit in seconds (default ``LIMIT_SECONDS``, read at the call) and in
        words

    >>> refuse_if_too_long(30, "a census of 4 regions")
    >>> refuse_if_too_long(5400, "a census of 10^9 regions")
    Traceback (most recent call last):
    ...
    exactmin.errors.TooExpensive: a census of 10^9 regions: estimated at 90 min, above ten \
minutes; pass force=True to run it anyway, or budget=SECONDS to stop with partial counts
    """
    if force or estimate <= (LIMIT_SECONDS if limit is None else limit):
        return
    offer = ", or budget=SECONDS to stop with partial counts" if partial else ""
    raise TooExpensive(f"{what}: estimated at {human_seconds(estimate)}, above {within}; pass "
                       f"force=True to run it anyway{offer}")
