"""The witnesses of a census certificate (``soudry_carmon/census``): for every region, in the
order the kernel derives (multisets of unit regions without noise, ordered tuples with noise),
one exact DLM or one Motzkin certificate per sign choice of ``z``."""

from __future__ import annotations

import itertools
import math
import random
import time
from fractions import Fraction
from typing import Any, Sequence

from exactmin.decide import decide_region, no_dlm_certificates
from exactmin.errors import TooExpensive
from exactmin.geometry import Region
from exactmin.models import Instance
from exactmin.search.progress import Progress

__all__ = ["census_entries"]

LIMIT_SECONDS = 600.0
SAMPLE = 12


def _tuples(instance: Instance, R: int) -> tuple[Any, int]:
    if instance.noise is None:
        return (itertools.combinations_with_replacement(range(R), instance.d1),
                math.comb(R + instance.d1 - 1, instance.d1))
    return itertools.product(range(R), repeat=instance.d1), R ** instance.d1


def _entry(instance: Instance, regions: Sequence[Region], blocks: dict[Any, Any]
           ) -> tuple[str, Any, Fraction | None]:
    dec = decide_region(instance, regions, find_dlm=True, blocks=blocks)
    if dec.has_dlm:
        assert dec.dlm is not None
        return "dlm", dec.dlm, dec.loss
    return "no_dlm", no_dlm_certificates(instance, regions, blocks), None


def census_entries(instance: Instance, units: Sequence[Region], force: bool = False,
                   progress: bool = False) -> tuple[list[tuple[str, Any, Fraction | None]], int]:
    """``(entries, weight_total)``: one ``(kind, witness, loss)`` per region in the kernel's
    order. Raises TooExpensive when a timed sample of regions puts the run above ten minutes
    and ``force`` is False."""
    R = len(units)
    tuples, count = _tuples(instance, R)
    blocks: dict[Any, Any] = {}
    if not force and count > 4 * SAMPLE:
        rng = random.Random(0)
        picks = [[units[rng.randrange(R)] for _ in range(instance.d1)] for _ in range(SAMPLE)]
        t0 = time.perf_counter()
        for regs in picks:
            _entry(instance, regs, blocks)
        estimate = (time.perf_counter() - t0) / SAMPLE * count
        if estimate > LIMIT_SECONDS:
            raise TooExpensive(f"a census certificate needs a witness for each of {count} "
                               f"regions (a Motzkin certificate per sign choice of z where no "
                               f"DLM exists), estimated at {estimate / 60:.3g} min; pass "
                               "force=True to run it anyway")
    bar = Progress(count, progress)
    out = []
    try:
        for j, idx in enumerate(tuples):
            if j % 64 == 0:
                bar.update(j)
            out.append(_entry(instance, [units[k] for k in idx], blocks))
    finally:
        bar.close()
    return out, count
