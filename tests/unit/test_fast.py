"""The fast engine's one estimate per run (exactmin.search.fast._estimate): made once, before
the search, on every path (one process, a process pool, a cluster), also for shapes whose
search never reaches a batch node, and the only place a fast run is refused by time."""

from __future__ import annotations

import subprocess
import sys

import pytest

import exactmin.search.fast as fast
from exactmin import TooExpensive, certify, random_instance
from exactmin.search.outcome import ScanOptions


@pytest.mark.parametrize("workers", [1, 2])
def test_one_estimate_per_run(workers: int) -> None:
    inst = random_instance(3, 3, 9, "1/2", noise=True, seed=1)
    fast.ESTIMATES.clear()
    out = certify(inst, workers=workers)
    assert out.verdict == "certified" and len(fast.ESTIMATES) == 1 and fast.ESTIMATES[0] > 0


def test_the_command_prints_one_estimate_on_two_processes() -> None:
    proc = subprocess.run([sys.executable, "-m", "exactmin", "-v", "certify", "--random", "--d0",
                           "3", "--d1", "3", "--N", "9", "--noise", "--seed", "1", "--workers",
                           "2", "--no-progress"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("exactmin: fast engine:")]
    assert len(lines) == 1 and "on 2 processes" in lines[0], proc.stderr


@pytest.mark.parametrize("shape", [(3, 3, 9), (4, 3, 8)])
def test_a_long_fast_run_is_refused_before_it_starts(shape) -> None:
    """(4, 3, 8): the first two units' 8 rows already have full rank, so the search never
    reaches a batch node (it made no estimate at all before 2026-12-06)."""
    inst = random_instance(*shape, "1/2", noise=True, seed=0)
    for workers in (1, 2):
        with pytest.raises(TooExpensive, match="random subtrees"):
            fast.fast_scan(inst, ScanOptions(workers=workers), limit=1e-6)
    for options in (ScanOptions(force=True), ScanOptions(budget=600)):  # no estimate made
        fast.ESTIMATES.clear()
        out = fast.fast_scan(inst, options, limit=1e-6)
        assert out.stopped is None and out.bad is None and not fast.ESTIMATES


@pytest.mark.parametrize("share", [1, 2])
def test_the_estimate_times_subtrees_as_a_worker_runs_them(share, monkeypatch) -> None:
    """Several processes or workers: each runs BLAS on one thread (exactmin.processes), so the
    estimate times its subtrees that way too; one process keeps the default (two threads here):
    timed the other way, noisy (4, 4, 16)'s estimate was 1.5-2.6x short."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    seen: list[list[int]] = []

    def sample(self, prefix) -> float:
        seen.append(blas_threads())
        return 1e-6

    monkeypatch.setattr(fast._Search, "sample", sample)
    inst = random_instance(3, 3, 9, "1/2", noise=True, seed=1)
    with threadpool_limits(limits=2, user_api="blas"):
        fast._estimate(inst, ScanOptions(), 600.0, share, "test")
        assert all(n == 2 for n in blas_threads())  # restored after the estimate
    assert seen and all(threads and all(n == (1 if share > 1 else 2) for n in threads)
                        for threads in seen), seen
