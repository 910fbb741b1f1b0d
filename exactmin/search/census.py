"""The witnesses of a census certificate (``soudry_carmon/census``): for every region, in the
order the kernel derives (multisets of unit regions without noise, ordered tuples with noise),
one exact DLM or sign-choice leaves with integer Motzkin multipliers
(:mod:`exactmin.decide.soudry_carmon_leaves`).

The regions split into consecutive ranges of the kernel's order (:mod:`exactmin.search.
parallel`), so the entries can be produced by local processes or by the workers of a Dask
cluster, range by range, and concatenated: the certificate is the same byte for byte.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction
from typing import Any, Sequence

from exactmin.arith import fmt_matrix, fmt_vector
from exactmin.decide import RegionDecider, decide_region
from exactmin.decide.soudry_carmon_leaves import no_dlm_tree, tree_entry
from exactmin.errors import InternalError
from exactmin.geometry import Region
from exactmin.models import Instance
from exactmin.search.cost import refuse_if_too_long
from exactmin.search.parallel import (
    PARALLEL_EFFICIENCY,
    chunk_ranges,
    map_ranges,
    tuple_count,
    tuple_range,
)
from exactmin.search.progress import Progress

__all__ = ["census_entries", "census_entry_range"]

SAMPLE = 12
Entry = tuple[dict[str, Any], Fraction | None]  # (JSON entry, loss of its DLM or None)


def _entry(decider: RegionDecider, regions: Sequence[Region], blocks: dict[Any, Any]) -> Entry:
    tree = no_dlm_tree(decider, regions)
    if tree is not None:
        return tree_entry(*tree), None
    dec = decide_region(decider.inst, regions, find_dlm=True, blocks=blocks)
    if not dec.has_dlm or dec.dlm is None:
        raise InternalError("the sign-choice search and the reference decision disagree")
    return {"dlm": {"W": fmt_matrix(dec.dlm.W), "z": fmt_vector(dec.dlm.z)}}, dec.loss


def census_entry_range(shared: tuple[Instance, Sequence[Region]], lo: int, hi: int,
                       symmetric: bool) -> list[Entry]:
    """The entries of the regions at positions ``lo .. hi - 1`` of the kernel's order; a pure
    function of its arguments (a cluster may rerun it)."""
    instance, units = shared
    blocks: dict[Any, Any] = {}
    decider = RegionDecider(instance)
    return [_entry(decider, [units[k] for k in idx], blocks)
            for idx in tuple_range(len(units), instance.d1, symmetric, lo, hi)]


def census_entries(instance: Instance, units: Sequence[Region], force: bool = False,
                   progress: bool = False, workers: int = 1,
                   scheduler: str | None = None) -> tuple[list[Entry], int]:
    """``(entries, count)``: one ``(JSON entry, loss)`` per region in the kernel's order, on
    ``workers`` local processes or on the Dask cluster ``scheduler``. Raises TooExpensive when
    a timed sample of regions puts the run above ten minutes (counting the processes or the
    cluster's workers) and ``force`` is False."""
    R, symmetric = len(units), instance.noise is None
    count = tuple_count(R, instance.d1, symmetric)
    if scheduler is not None:
        from exactmin.search import cluster

        with cluster.session(scheduler) as client:
            n = cluster.worker_count(client)
            _refuse_if_slow(instance, units, count, n, "cluster workers", force)
            tasks = cluster.groups(R, instance.d1, symmetric, n)
            bar = Progress(len(tasks), progress, unit="task", desc="certificate tasks")
            parts = cluster.run_ranges(client, census_entry_range, (instance, tuple(units)),
                                       tasks, (symmetric,), lambda done, _i, _p: bar.update(done))
            bar.close()
    else:
        ranges = chunk_ranges(R, instance.d1, symmetric)
        _refuse_if_slow(instance, units, count, workers, "processes", force)
        bar = Progress(len(ranges), progress, unit="chunk", desc="certificate chunks")
        parts = map_ranges(census_entry_range, (instance, tuple(units)), ranges, (symmetric,),
                           workers if R > 1 and count >= 64 else 1,
                           lambda done, _i, _p: bar.update(done))
        bar.close()
    return [e for part in parts for e in part], count


def _refuse_if_slow(instance: Instance, units: Sequence[Region], count: int, workers: int,
                    on: str, force: bool) -> None:
    if force or count <= 4 * SAMPLE:
        return
    rng = random.Random(0)
    R = len(units)
    blocks: dict[Any, Any] = {}
    picks = [[units[rng.randrange(R)] for _ in range(instance.d1)] for _ in range(SAMPLE)]
    decider = RegionDecider(instance)
    t0 = time.perf_counter()
    for regs in picks:
        _entry(decider, regs, blocks)
    speedup = PARALLEL_EFFICIENCY * workers if workers > 1 else 1.0
    estimate = (time.perf_counter() - t0) / SAMPLE * count / speedup
    refuse_if_too_long(estimate, f"a census certificate needs a witness for each of {count} "
                       "regions (a DLM, or sign-choice leaves with their Motzkin multipliers "
                       f"where none exists), on {workers} {on}", partial=False)
