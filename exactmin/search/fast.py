"""Fast engine: depth-first search over hidden units with null spaces modulo a prime.

Stacking the blocks ``K_i = X diag(A_i)`` of the first units of a region tuple, the rank of the
partial ``K`` can only grow as units are added. The search keeps a basis ``Z`` of the null space
of the stacked blocks modulo a word-size prime ``p``; when it becomes ``{0}``, every completion of
the prefix has ``rank K = N`` (its ``N`` pivot rows give a minor nonzero mod ``p``, hence nonzero
over Q), so the whole subtree is certified at once. At the last unit all ``R`` candidate blocks
are decided together: ``T_k = K_k Z`` for every region k is one batched product, and
``rank K = N`` iff some ``m x m`` minor of ``T_k`` is nonzero mod ``p``. Regions that look rank
deficient mod ``p`` are decided exactly by :func:`exactmin.models.decide_region` (rank, residual,
LPs), so verdicts, counts and losses are those of the plain enumeration.

Soundness of the subtree step (proofs/soudry_carmon.md, "Subtrees"): if rows ``r_1..r_N`` of
the prefix's stacked blocks are independent mod ``p``, they are rows of every completion's ``K``.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import sys
import time
from contextlib import nullcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from exactmin.decide import RegionDecision, decide_region
from exactmin.errors import InternalError
from exactmin.geometry import Region, enumerate_regions
from exactmin.linalg.modp import (
    balanced,
    batched_nonsingular,
    fits,
    minors,
    null_basis,
    reduce_rows,
    residue,
)
from exactmin.models import Instance
from exactmin.processes import one_blas_thread
from exactmin.search.cost import human_seconds, refuse_if_too_long
from exactmin.search.outcome import ScanOptions, ScanOutcome
from exactmin.search.progress import Progress, note
from exactmin.search.state import ScanState

__all__ = ["ENGINE_PRIMES", "fast_scan"]

ESTIMATES: list[float] = []  # each run's own estimate in seconds (one process; read by benchmarks)

# Primes below 2^24: a product of two residues is below 2^48 and a sum of up to 2^15 of them fits
# in int64, so numpy's integer matmul is exact before the final reduction.
ENGINE_PRIMES = (16777213, 16777199, 16777183, 16777153)


# Smaller primes for the compiled step when its float64 sums would not be exact with the above
# (many minors per region: C(2 d0, d0) = 70 for d0 = 4, 924 for d0 = 6).
COMPILED_PRIMES = (8388593, 8388587, 4194301, 4194287, 2097143, 2097133)


def _choose_prime(instance: Instance, compiled: bool = False) -> int:
    """The first engine prime dividing no denominator; with ``compiled``, the first (largest)
    for which the compiled step's sums are exact, when the usual primes are too large."""
    dens = {q.denominator for row in instance.X for q in row} | {instance.rho.denominator}
    if instance.noise is not None:
        dens |= {q.denominator for row in instance.noise for q in row}
    primes = ENGINE_PRIMES
    if compiled and not _float_exact(instance, ENGINE_PRIMES[0]):
        primes = tuple(q for q in COMPILED_PRIMES if _float_exact(instance, q)) or ENGINE_PRIMES
    for p in primes:
        if all(d % p for d in dens):
            return p
    raise InternalError("every engine prime divides a denominator")  # pragma: no cover


_SETUP: dict[tuple[Instance, tuple[int, ...]], tuple[list[Region], int, np.ndarray]] = {}


def _setup(instance: Instance) -> tuple[list[Region], int, np.ndarray]:
    """Unit regions, prime and residues of every unit's block ``K_i`` (d1, R, d0, N).

    Kept per process for the last instance, so the chunks of a parallel run (and workers forked
    after the parent computed it) do not redo it.
    """
    key = (instance, ENGINE_PRIMES)
    if key not in _SETUP:
        units = enumerate_regions(instance.X)
        R = len(units)
        p = _choose_prime(instance, compiled=use_compiled(instance, R))
        X = np.array([[residue(q, p) for q in row] for row in instance.X], dtype=np.int64)
        E = np.array([[residue(instance.noise_entry(i, n), p) for n in range(instance.N)]
                      for i in range(instance.d1)], dtype=np.int64)  # (d1, N)
        slope = np.array([[residue(instance.rho, p) if s < 0 else 1 for s in reg.signs]
                          for reg in units], dtype=np.int64)  # (R, N)
        A = (E[:, None, :] * slope[None, :, :]) % p  # (d1, R, N)
        res = (A[:, :, None, :] * X[None, None, :, :]) % p  # (d1, R, d0, N)
        _SETUP.clear()
        _SETUP[key] = (units, p, res)
    return _SETUP[key]


class _Search:
    def __init__(self, instance: Instance, options: ScanOptions,
                 top: tuple[int, int] | None = None,
                 progress: Progress | None = None, deadline: float | None = None) -> None:
        self.inst, self.census = instance, options.census
        self.backend, self.witnesses = options.backend, options.witnesses
        self.top = top  # this worker's range of first-unit regions
        self.progress = progress
        self.budget = budget = options.budget
        self.start = time.perf_counter()
        # An absolute time.monotonic() deadline, shared by every worker of a parallel run.
        self.deadline = deadline
        if self.deadline is None and budget is not None:
            self.deadline = time.monotonic() + budget
        self.units, self.p, self.res = _setup(instance)
        self.R = len(self.units)
        d0, N = instance.d0, instance.N
        if progress is not None:
            progress.total = self.R ** instance.d1
        self.blocks: dict[Any, Any] = {}
        self.st = ScanState()
        self.kept = self.st.kept  # every decision with its witnesses, in order
        self.stopped: str | None = None
        self.laplace: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.rank_witness: dict[tuple[int, ...], RegionDecision] = {}
        self.compiled = None
        if use_compiled(instance, self.R) and _float_exact(instance, self.p):
            announce_compile(self.progress is not None and self.progress.enabled)
            self.compiled = _compiled_pairs(d0, self.R)
            from exactmin.search.compiled import child_node

            self.compiled_child = child_node
            self.fres = [balanced(self.res[i].reshape(self.R * d0, N), self.p)
                         for i in range(instance.d1)]

    # -- one region, exactly (the same decision as the plain enumeration)
    def exact(self, tup: tuple[int, ...]) -> bool:
        regs = [self.units[k] for k in tup]
        dec = decide_region(self.inst, regs, find_dlm=self.census, backend=self.backend,
                            blocks=self.blocks, witness=self.witnesses, prime=self.p)
        if dec.has_dlm is None and dec.rank < self.inst.N and dec.loss != 0:
            dec = decide_region(self.inst, regs, find_dlm=True, backend=self.backend,
                                blocks=self.blocks)
        return self.record(dec)

    def record(self, dec: RegionDecision, times: int = 1) -> bool:
        """Count ``times`` regions with this decision; False when the scan must stop."""
        if self.witnesses:
            self.kept.extend([dec] * times)
        return not (self.st.add(dec, times, self.inst.N) and not self.census)

    def full_rank(self, rows: list[int], times: int, prefix: tuple[int, ...] | None = None) -> bool:
        """Count ``times`` full-rank regions sharing the witness rows (always a success); with
        ``prefix``, one certificate entry covers every completion of the prefix."""
        self.st.examined += times
        self.st.full += times
        if self.witnesses and prefix is not None and len(prefix) < self.inst.d1:
            self.kept.append(
                RegionDecision((), self.inst.N, (), Fraction(0), None, None, tuple(rows),
                               prefix=prefix)
            )
        elif self.witnesses:
            key = tuple(rows)
            dec = self.rank_witness.get(key)
            if dec is None:
                dec = RegionDecision((), self.inst.N, (), Fraction(0), None, None, key)
                self.rank_witness[key] = dec
            self.kept.extend([dec] * times)
        return True

    def out_of_time(self) -> bool:
        if self.progress is not None:
            self.progress.update(self.st.examined)
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.stopped = (f"time budget of {self.budget:g} s ran out after {self.st.examined} of "
                            f"{self.R ** self.inst.d1} regions")
            return True
        return False

    # -- depth-first search
    def run(self) -> None:
        N = self.inst.N
        self.dfs((), np.eye(N, dtype=np.int64), [])

    def sample(self, prefix: tuple[int, ...]) -> float:
        """Seconds the run spends on the subtree below ``prefix``: the reduction by the
        prefix's last unit region (the run makes it once per such subtree; the earlier ones are
        shared by ``R`` or more subtrees and are not timed) and the search below it (counted
        into this search's state: a scratch search for timing only)."""
        Z, rows, depth = np.eye(self.inst.N, dtype=np.int64), [], 0
        start = time.perf_counter()
        for t, k in enumerate(prefix):
            if Z.shape[1] == 0:  # full rank already: the subtree is one entry
                break
            start = time.perf_counter()
            picked, Z = self.child(t, k, Z)
            rows, depth = rows + [t * self.inst.d0 + j for j in picked], t + 1
        self.dfs(prefix[:depth], Z, rows)
        return time.perf_counter() - start

    def child(self, t: int, k: int, Z: np.ndarray) -> tuple[list[int], np.ndarray]:
        """Rows of unit t (region k) that extend the rows so far, and the null space basis
        after them (mod p)."""
        if self.compiled is not None:  # the same reduction in compiled code
            picked, Z2 = self.compiled_child(self.res[t, k], Z, self.p)
            return list(picked), Z2
        T = (self.res[t, k] @ Z) % self.p  # d0 x m
        picked, basis = reduce_rows(T.tolist(), self.p)
        return picked, (Z @ null_basis(basis, Z.shape[1], self.p)) % self.p

    def dfs(self, prefix: tuple[int, ...], Z: np.ndarray, rows: list[int]) -> bool:
        d0, d1 = self.inst.d0, self.inst.d1
        t = len(prefix)
        m = Z.shape[1]
        if m == 0:
            return self.full_rank(rows, self.R ** (d1 - t), prefix=prefix)
        if t == d1:
            return self.exact(prefix)
        if self.out_of_time():
            return False
        if t == d1 - 1:
            return self.batch(prefix, Z, rows)
        if t == d1 - 2 and m == 2 * d0:
            return self.pair_batch(prefix, Z, rows)
        ks = range(*self.top) if t == 0 and self.top is not None else range(self.R)
        for k in ks:
            picked, Z2 = self.child(t, k, Z)
            if not self.dfs(prefix + (k,), Z2, rows + [t * d0 + j for j in picked]):
                return False
        return True

    def batch(self, prefix: tuple[int, ...], Z: np.ndarray, rows: list[int]) -> bool:
        d0, t, m = self.inst.d0, len(prefix), Z.shape[1]
        chosen: list[tuple[int, ...] | None] = [None] * self.R
        if m <= d0:
            T = (self.res[t] @ Z) % self.p  # R x d0 x m
            for subset in itertools.combinations(range(d0), m):
                ok = batched_nonsingular(T[:, list(subset), :], self.p)
                for k in np.nonzero(ok)[0]:
                    if chosen[k] is None:
                        chosen[k] = subset
        first = chosen[0]
        if first is not None and all(c == first for c in chosen):  # one entry for the node
            return self.full_rank(rows + [t * d0 + j for j in first], self.R, prefix=prefix)
        for k in range(self.R):
            subset = chosen[k]
            if subset is None:
                ok = self.exact(prefix + (k,))
            else:
                ok = self.full_rank(rows + [t * d0 + j for j in subset], 1)
            if not ok:
                return False
        return True


    def pair_batch(self, prefix: tuple[int, ...], Z: np.ndarray, rows: list[int]) -> bool:
        """Decide all R^2 completions of a node whose null space has dimension 2*d0 at once.

        ``det [K_a Z; K_b Z] = sum_S eps(S) det(K_a Z[:, S]) det(K_b Z[:, S^c])`` over the
        d0-subsets S of the m = 2*d0 columns (generalized Laplace expansion), so one product of
        the R x C matrices of minors gives every pair's determinant mod p.
        """
        d0, t, m, p, R = self.inst.d0, len(prefix), Z.shape[1], self.p, self.R
        all_rows = rows + [t * d0 + j for j in range(2 * d0)]
        if self.compiled is not None:  # the same decision in compiled loops (large runs)
            node_pair_zeros, plan, out = self.compiled
            zeros = node_pair_zeros(self.fres[t], self.fres[t + 1], Z, p, plan, out)
            suspects = sorted(map(tuple, out[:zeros].tolist()))
        else:
            Pa = (self.res[t] @ Z) % p  # R x d0 x m
            Pb = (self.res[t + 1] @ Z) % p
            subsets, complements, eps = self.laplace_terms(m, d0)
            Ma = minors(Pa, subsets, p)  # R x C
            Mb = minors(Pb, complements, p)
            D = (Ma @ ((eps * Mb) % p).T) % p  # R x R determinants mod p
            suspects = sorted(map(tuple, np.argwhere(D == 0).tolist()))
        if not suspects:  # one entry: the same rows are checked in every completion's K
            return self.full_rank(all_rows, R * R, prefix=prefix)
        by_row: dict[int, list[int]] = {}
        for a, b in suspects:
            by_row.setdefault(a, []).append(b)
        for a in range(R):  # in lexicographic order, as certificate entries must be
            if a not in by_row:  # one entry for all R completions of prefix + (a,)
                if not self.full_rank(all_rows, R, prefix=prefix + (a,)):
                    return False
                continue
            done = 0  # runs of nonsingular pairs between the suspects, one entry per region
            for b in by_row[a]:
                if b > done and not self.full_rank(all_rows, b - done):
                    return False
                if not self.exact(prefix + (a, b)):
                    return False
                done = b + 1
            if done < R and not self.full_rank(all_rows, R - done):
                return False
        return True

    def laplace_terms(self, m: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Column subsets S of size d of range(m), their complements and the signs eps(S)."""
        key = (m, d)
        if key not in self.laplace:
            subsets = list(itertools.combinations(range(m), d))
            comps = [[c for c in range(m) if c not in S] for S in subsets]
            eps = [(-1) ** (sum(S) + d * (d - 1) // 2) for S in subsets]
            self.laplace[key] = (np.array(subsets), np.array(comps), np.array(eps, dtype=np.int64))
        return self.laplace[key]


# Runs whose pair-step work (regions times minors per region, R^d1 * C(2 d0, d0)) reaches this
# use the compiled pair step (numba), whose import and first compilation would dominate a small
# run; EXACTMIN_COMPILED=0/1 overrides (tests, benchmarks).
COMPILED_MIN_WORK = 10**8


def use_compiled(instance: Instance, R: int) -> bool:
    """Whether a run on ``instance`` (with ``R`` unit regions) uses the compiled pair step."""
    forced = os.environ.get("EXACTMIN_COMPILED")
    if forced in ("0", "1"):
        return forced == "1" and instance.d1 >= 2
    work = R ** instance.d1 * math.comb(2 * instance.d0, instance.d0)
    return instance.d1 >= 2 and work >= COMPILED_MIN_WORK


def announce_compile(enabled: bool) -> None:
    """Say so on stderr before numba compiles the pair step (3-10 s, silent otherwise); once per
    machine, since the compiled code is cached on disk next to the module."""
    cache = Path(__file__).with_name("__pycache__")
    if enabled and not any(cache.glob("compiled.*.nbi")):
        print("exactmin: compiling the pair step once (a few seconds; cached afterwards)",
              file=sys.stderr, flush=True)


def _compiled_pairs(d0: int, R: int) -> tuple[Any, Any, np.ndarray]:
    from exactmin.search.compiled import MinorPlan, node_pair_zeros

    return node_pair_zeros, MinorPlan(d0, 2 * d0), np.zeros((R * R, 2), dtype=np.int64)


def _float_exact(instance: Instance, p: int) -> bool:
    """Whether the compiled step's sums (N or C(2 d0, d0) products of residues) are exact."""
    return fits(max(instance.N, math.comb(2 * instance.d0, instance.d0)), p)


def _run_chunk(args: tuple) -> ScanState:  # type: ignore[type-arg]
    """One worker: the search restricted to a contiguous range of first-unit regions."""
    instance, options, top, deadline = args
    s = _Search(instance, options, top, deadline=deadline)
    s.run()
    s.st.stopped = s.stopped is not None
    return s.st


def _warm(instance: Instance, progress: Progress | None) -> list[Region]:
    """The unit regions, with the compiled step loaded (and compiled) when the run uses it: a
    one-time cost that neither the estimate nor the budget should count."""
    units, p, _ = _setup(instance)
    if use_compiled(instance, len(units)) and _float_exact(instance, p):
        announce_compile(progress is not None and progress.enabled)
        from exactmin.search.compiled import warm_up

        warm_up(instance.d0)
    return units


# A run's one estimate times seeded random subtrees: at least SAMPLE_SUBTREES of them, and
# SAMPLE_SECONDS of their time unless the estimate is already far below the limit (a quarter),
# at most SAMPLE_MAX_SUBTREES, and stops after SAMPLE_CAP seconds in any case (at least one).
SAMPLE_SUBTREES = 24
SAMPLE_SECONDS = 0.5
SAMPLE_MAX_SUBTREES = 4000
SAMPLE_CAP = 2.0


def _estimate(instance: Instance, options: ScanOptions, limit: float, share: int,
              on: str, left: float = 1.0) -> None:
    """The run's one estimate, made before the search: TooExpensive above ``limit`` seconds.

    The subtrees below seeded random prefixes of ``d1 - 2`` unit regions
    (one pair node each, or the loops of the last two units) are searched as the run would
    search them and timed with the reduction that leads to each (:meth:`_Search.sample`); the
    run is ``R^(d1-2)`` such subtrees over ``share`` processes or workers. A random prefix
    may reach full rank before its end: its subtree is then one certificate entry, as in the
    run. Not made for forced or budgeted runs, nor for ``d1 < 3`` (at most ``R^2`` regions,
    decided by one batch of the compiled step). ``left``: the share of the first unit's
    regions still to search (a resumed run).
    """
    from dataclasses import replace

    from exactmin.search.parallel import PARALLEL_EFFICIENCY

    if options.force or options.budget is not None or instance.d1 < 3:
        return
    units, _, _ = _setup(instance)
    R, L = len(units), instance.d1 - 2
    if R ** instance.d1 < PARALLEL_MIN_REGIONS:
        return
    scratch = _Search(instance, replace(options, witnesses=False, scheduler=None, workers=1))
    rng = random.Random(0)
    speedup = PARALLEL_EFFICIENCY * share if share > 1 else 1.0
    spent, timed = 0.0, 0
    # Timed as one of the run's workers runs: with one BLAS thread when there are several.
    with one_blas_thread() if share > 1 else nullcontext():
        scratch.sample(tuple(rng.randrange(R) for _ in range(L)))  # untimed: fills caches
        t0 = time.perf_counter()
        while timed < SAMPLE_MAX_SUBTREES and time.perf_counter() - t0 < SAMPLE_CAP:
            spent += scratch.sample(tuple(rng.randrange(R) for _ in range(L)))
            timed += 1
            if timed >= SAMPLE_SUBTREES and (spent >= SAMPLE_SECONDS or
                                             spent / timed * R ** L * left / speedup < limit / 4):
                break
    per = spent / timed
    estimate = per * R ** L * left / speedup
    ESTIMATES.append(estimate)
    total = R ** instance.d1
    of = "" if left == 1 else f", {left:.0%} of them still to search (a resumed run)"
    note(f"fast engine: {total} regions{of}, estimated at {human_seconds(estimate)} on {on} (from "
         f"{timed} random subtrees of {R ** 2} regions, {human_seconds(per)} each)")
    refuse_if_too_long(estimate, f"this run has {total} differentiable regions (the fast "
                       f"engine on {on}, from {timed} random subtrees)", limit=limit)


def _monotonic(wall: float | None) -> float | None:
    """A wall-clock instant (``time.time()``) as this machine's ``time.monotonic()``."""
    return None if wall is None else time.monotonic() + (wall - time.time())


def _range_task(shared: tuple, lo: int, hi: int,  # type: ignore[type-arg]
                wall: float | None) -> ScanState:
    """One task (of a process pool or a Dask cluster): the search restricted to the first-unit
    regions ``lo .. hi - 1``; it only reads its inputs, so a rerun (a lost worker) changes
    nothing. ``wall``: the budget's end on the wall clock (``time.time()``)."""
    instance, options = shared
    return _run_chunk((instance, options, (lo, hi), _monotonic(wall)))


# A resumable run (with a checkpoint) cuts the first unit's regions into at most this many
# consecutive ranges, fixed by R alone so that a resumed run keeps them whatever its processes
# or workers: at (4, 4, 16) (1,152 unit regions) a range is 4-5 first-unit regions, about a
# minute of one process, the most a Ctrl-C loses per process.
CHECKPOINT_RANGES = 256


def first_unit_ranges(R: int, d1: int, parts: int) -> list[tuple[int, int]]:
    """The first-unit ranges of a split search: the first region alone (counterexamples often
    show up there; it is searched before any worker starts), then ``parts`` equal consecutive
    ranges of the others (fewer when there are fewer regions); one range when ``d1 < 3`` (the
    search then splits below the first unit).

    >>> first_unit_ranges(5, 4, 8), first_unit_ranges(9, 4, 2), first_unit_ranges(5, 2, 8)
    ([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)], [(0, 1), (1, 5), (5, 9)], [(0, 5)])
    """
    from exactmin.search.parallel import equal_ranges

    if d1 < 3 or R == 1:
        return [(0, R)]
    return [(0, 1)] + [(1 + lo, 1 + hi) for lo, hi in equal_ranges(R - 1, min(R - 1, parts))]


def _over(part: ScanState, census: bool) -> bool:
    """A range after which the search is over: the budget ran out, or (unless ``census``) it
    holds a bad DLM."""
    return (part.first_bad is not None and not census) or part.stopped


def _split(instance: Instance, options: ScanOptions, limit: float, progress: Progress | None,
           R: int, share: int, on: str, parts: int, run: Any) -> ScanState:
    """The search cut into :func:`first_unit_ranges` and merged in range order, for
    :func:`_on_processes` and :func:`_on_cluster`: the run's one estimate (counting ``share``
    processes or workers, and only the ranges left), the first region searched here, the others
    by ``run(fn, shared, ranges, args, on_result, finished, until)`` (which returns the values in
    range order, None after the first range that ends the search).

    The merge is deterministic: if some range holds a bad DLM, the result is that of the first
    such range in order, with the counts of the ranges before it (searched completely), exactly
    what the sequential search reports; witnesses are concatenated in range order, which is the
    sequential search's order. With ``options.checkpoint`` the ranges are the fixed ones of at
    most :data:`CHECKPOINT_RANGES` parts, each recorded as it finishes (in any order; not when
    the budget cut it short), and a resumed run searches only the others.
    """
    from dataclasses import replace

    from exactmin.search.checkpoint import ChunkCheckpoint

    ck, finished = None, {}
    if options.checkpoint is not None:
        ck = ChunkCheckpoint(options.checkpoint, instance, {
            "census": options.census, "engine": "fast", "split": "first-unit regions"})
        ranges, finished = ck.load_chunks(first_unit_ranges(R, instance.d1, CHECKPOINT_RANGES - 1))
    else:
        ranges = first_unit_ranges(R, instance.d1, parts)
    left = sum(hi - lo for i, (lo, hi) in enumerate(ranges) if i not in finished) / R
    if left:
        _estimate(instance, options, limit, share, on, left)
    wall = None if options.budget is None else time.time() + options.budget
    tasks = replace(options, scheduler=None, workers=1, checkpoint=None)
    done = dict(finished)
    examined = [sum(part.examined for part in done.values())]

    def record(_done: int, i: int, part: ScanState) -> None:
        examined[0] += part.examined
        if ck is not None and not part.stopped:
            finished[i] = part
            ck.save_chunks(ranges, finished)
        if progress is not None:
            progress.update(examined[0])

    if progress is not None:
        progress.update(examined[0])
    if len(ranges) > 1 and 0 not in done:
        done[0] = _range_task((instance, tasks), *ranges[0], wall)
        record(1, 0, done[0])
    merged = ScanState()
    for part in run(_range_task, (instance, tasks), ranges, (wall,), record, done,
                    lambda part: _over(part, options.census)):
        if part is None:
            break
        merged.merge(part)
        if _over(part, options.census):
            break
    return merged


def _on_processes(instance: Instance, options: ScanOptions, limit: float,
                  progress: Progress | None = None) -> ScanState:
    """The search of :func:`_split` on ``options.workers`` local processes (forked, scheduled
    dynamically, four ranges per process; one process runs the ranges in order itself)."""
    from exactmin.search.parallel import map_ranges

    units = _warm(instance, progress)  # computed once, inherited by the forked workers
    workers = options.workers

    def run(fn: Any, shared: Any, ranges: Any, args: Any, on_result: Any, finished: Any,
            until: Any) -> list[Any]:
        return map_ranges(fn, shared, ranges, args, workers, on_result, finished, until)

    return _split(instance, options, limit, progress, len(units), workers,
                  f"{workers} process{'es' if workers > 1 else ''}", 4 * workers, run)


def _on_cluster(instance: Instance, options: ScanOptions, limit: float,
                progress: Progress | None = None) -> ScanState:
    """The search of :func:`_split` on the workers of the Dask cluster ``options.scheduler``
    (``cluster.TASKS_PER_WORKER`` ranges per worker). A budget is a wall-clock instant that
    each worker compares with its own clock."""
    from exactmin.search import cluster

    assert options.scheduler is not None
    R = len(_warm(instance, progress))  # compiled here, before the budget starts
    with cluster.session(options.scheduler) as client:
        n = cluster.worker_count(client)

        def run(fn: Any, shared: Any, ranges: Any, args: Any, on_result: Any, finished: Any,
                until: Any) -> list[Any]:
            return cluster.run_ranges(client, fn, shared, ranges, args, on_result, finished,
                                      until)

        return _split(instance, options, limit, progress, R, n, f"{n} cluster workers",
                      cluster.TASKS_PER_WORKER * n, run)


PARALLEL_MIN_REGIONS = 10**5  # below this, starting processes costs more than it saves

# A refutation probe before the search: this many seeded tuples of the least active unit
# regions, for runs of at least PROBE_MIN_REGIONS regions where a hypothesis of the theorem fails.
PROBE_TUPLES = 200
PROBE_MIN_REGIONS = 10**6


def _theorem_may_fail(instance: Instance) -> bool:
    """ReLU, no noise, or N > d0*d1: bad DLMs are then common, and worth looking for first."""
    return (instance.rho == 0 or instance.noise is None
            or instance.N > instance.d0 * instance.d1)


def _probe(instance: Instance, backend: str | None,
           tries: int = PROBE_TUPLES) -> tuple[list[Region], int, ScanState] | None:
    """Decide (exactly) a few seeded tuples of weakly active unit regions; a bad DLM found here
    is as good a counterexample as any (it is re-verified like every other).

    Regions where few data points are active give rank-deficient K with a nonzero residual,
    where bad DLMs live; the full search reaches them late in its lexicographic order. The
    probe is seeded and runs before any worker, so its result does not depend on ``workers``;
    when it finds nothing the search runs as usual (its decisions are not counted).
    """
    units, p, _ = _setup(instance)
    R = len(units)
    if R ** instance.d1 < PROBE_MIN_REGIONS:
        return None
    active = sorted(range(R), key=lambda k: (sum(s > 0 for s in units[k].signs), k))
    pool = active[:max(5, R // 5)]
    rng = random.Random(0)
    st, blocks = ScanState(), {}
    for _ in range(tries):
        tup = [rng.choice(pool) for _ in range(instance.d1)]
        dec = decide_region(instance, [units[k] for k in tup], find_dlm=True, backend=backend,
                            blocks=blocks)
        if st.add(dec, 1, instance.N):
            return units, p, st
    return None


def fast_scan(instance: Instance, options: ScanOptions, limit: float = 600.0) -> ScanOutcome:
    """The fast engine's scan; same contract as :func:`exactmin.search.scan_regions`.

    ``options.workers > 1`` splits the search over processes, ``options.scheduler`` over the
    workers of a Dask cluster (:func:`_on_cluster`); the counts, verdict and witnesses do not
    depend on either. With ``options.checkpoint`` the run is resumable (:func:`_split`; no
    witnesses). ``limit``: seconds above which a run is refused unless ``options.force``.
    """
    census, backend, witnesses = options.census, options.backend, options.witnesses
    if not census and _theorem_may_fail(instance):
        found = _probe(instance, backend)
        if found is not None:
            probe_units, probe_p, st = found
            R = len(probe_units)
            return ScanOutcome(st.to_census(R, R ** instance.d1, census=False), st.first_bad,
                               None, tuple(probe_units), None, probe_p)
    units = None
    elsewhere = options.scheduler is not None or options.checkpoint is not None
    if (options.workers > 1 and instance.d1 >= 3) or elsewhere:
        units = _setup(instance)[0]
    bar = Progress(len(units) ** instance.d1 if units is not None else 0, options.progress)
    stopped: str | None = None
    if units is not None and (len(units) ** instance.d1 >= PARALLEL_MIN_REGIONS or elsewhere):
        run = _on_cluster if options.scheduler is not None else _on_processes
        try:
            st = run(instance, options, limit, bar)
        finally:
            bar.close()
        _, p, _ = _setup(instance)
        if st.stopped:
            stopped = (f"time budget of {options.budget:g} s ran out after {st.examined} of "
                       f"{len(units) ** instance.d1} regions")
    else:
        _warm(instance, bar)
        _estimate(instance, options, limit, 1, "1 process")
        s = _Search(instance, options, progress=bar)
        try:
            s.run()
        finally:
            bar.close()
        units, st, stopped, p = s.units, s.st, s.stopped, s.p
    R = len(units)
    kept = tuple(st.kept) if witnesses else None
    return ScanOutcome(st.to_census(R, R ** instance.d1, census), st.first_bad, stopped,
                       tuple(units), kept, p)
