"""What a run may cost: the ten-minute rule every command applies, and durations for people.

A run whose own estimate (made before it starts, or from its first seconds) exceeds
``LIMIT_SECONDS`` is refused with ``TooExpensive`` unless forced; the message says the estimate
in :func:`human_seconds` and what insists (``force=True`` / ``--force``) or bounds it
(``budget``). Every engine and command takes the limit from here.
"""

from __future__ import annotations

__all__ = ["LIMIT_SECONDS", "human_seconds"]

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
