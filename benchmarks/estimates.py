"""How good are the time estimates that decide whether a run is refused? Estimate / actual.

    python benchmarks/estimates.py [--quick]

For several sizes of each estimated command it runs the command as a user would (no --force,
no --budget), reads the estimate the run made of itself before it was accepted, times the run,
and prints estimate / actual. The aim is a ratio within 3x either way; a run is refused above
ten minutes of estimate, so an estimate far too high refuses feasible runs and one far too low
lets hours-long runs through.

- census (`certify --census`, plain enumeration; without noise, multisets of unit regions):
  the estimate is the setup plus the time per region measured on 24 regions sampled over the
  whole run, times the regions to decide, over the workers;
- naive engine (`certify --engine naive`): the same estimate, one process (it assumes the run
  goes to the end; a refuted instance stops at its first bad DLM, earlier than estimated, so
  the sizes here are certified ones);
- spin glass (`spinglass enumerate`): the homotopy's progress after its first two seconds,
  read through the measured progress curve, plus a measured time per solution.

- fast engine (`certify`, default mode, on 1 and on 2 processes): its one estimate, made
  before the search from 24 seeded random subtrees below prefixes of d1 - 2 unit regions (it
  assumes the run goes to the end: the sizes are certified instances).
"""

from __future__ import annotations

import argparse
import time

import exactmin.search.fast as fast
import exactmin.search.naive as naive
from exactmin import certify, random_instance
from exactmin.spinglass import random_tensor
from exactmin.theorems.choromanska import enumerate_critical_points

CENSUS = [(2, 3, 7), (2, 4, 8), (3, 3, 9)]  # noise-free leaky, census, 2 workers
NAIVE = [(2, 3, 6), (3, 2, 6), (3, 3, 9)]  # noisy leaky, N <= d0*d1: certified, so run to the end
SPIN = [8, 9, 10]  # p = 3
FAST = [(2, 5, 10), (4, 3, 12), (3, 4, 12)]  # noisy leaky, certified: the fast engine, 1 and 2 processes
QUICK = {"census": CENSUS[:2], "naive": NAIVE[:2], "spin": SPIN[:1], "fast": FAST[:1]}


def _row(what: str, estimate: float | None, actual: float) -> str:
    ratio = "-" if estimate is None else f"{estimate / actual:.2f}"
    est = "-" if estimate is None else f"{estimate:.1f}"
    return f"| {what} | {est} | {actual:.1f} | {ratio} |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="the smaller sizes only")
    args = ap.parse_args(argv)
    census = QUICK["census"] if args.quick else CENSUS
    naive_sizes = QUICK["naive"] if args.quick else NAIVE
    spin = QUICK["spin"] if args.quick else SPIN
    fast_sizes = QUICK["fast"] if args.quick else FAST
    print("| run | estimate s | actual s | estimate / actual |")
    print("|---|---:|---:|---:|")
    for d0, d1, N in census:
        inst = random_instance(d0, d1, N, "1/2", seed=0)
        naive.ESTIMATES.clear()
        start = time.perf_counter()
        certify(inst, census=True, workers=2)
        print(_row(f"census ({d0}, {d1}, {N}), 2 workers", (naive.ESTIMATES or [None])[0],
                   time.perf_counter() - start), flush=True)
    for d0, d1, N in naive_sizes:
        inst = random_instance(d0, d1, N, "1/2", noise=True, seed=0)
        naive.ESTIMATES.clear()
        start = time.perf_counter()
        certify(inst, engine="naive", workers=1)
        print(_row(f"naive engine noisy ({d0}, {d1}, {N})", (naive.ESTIMATES or [None])[0],
                   time.perf_counter() - start), flush=True)
    for d0, d1, N in fast_sizes:
        inst = random_instance(d0, d1, N, "1/2", noise=True, seed=0)
        certify(inst, workers=1)  # once, so that the compiled step is loaded (not timed)
        for workers in (1, 2):
            fast.ESTIMATES.clear()
            start = time.perf_counter()
            certify(inst, workers=workers)
            print(_row(f"fast engine noisy ({d0}, {d1}, {N}), {workers} process"
                       f"{'es' if workers > 1 else ''}", (fast.ESTIMATES or [None])[0],
                       time.perf_counter() - start), flush=True)
    for Lam in spin:
        start = time.perf_counter()
        e = enumerate_critical_points(random_tensor(3, Lam, seed=0))
        print(_row(f"spinglass enumerate p = 3, Lambda = {Lam}", e.estimated_seconds,
                   time.perf_counter() - start), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
