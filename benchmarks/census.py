"""The full census that `exactmin volumes` needs, end to end, against its target.

    python benchmarks/census.py [--quick]

For noise-free leaky instances it times `certify(census=True)` on all cores (the engine
`volumes` runs; each multiset of unit regions is decided once, in integers), and, on one process
timed on the same seeded sample of regions and extrapolated to the whole census: the integer
decision the census uses, and the reference decision (Fractions and PPL's exact LPs, the
baseline, same run); then the volume sums on top (`volumes`). `--seeds` adds held-out
instances of the same sizes. The issue's target for the noise-free leaky (3, 3, 9) census is 30 s
end to end on 2 cores (20 s aimed); the table says whether it is met.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exactmin import certify, random_instance  # noqa: E402
from exactmin.geometry import enumerate_regions  # noqa: E402
from exactmin.search.naive import sampled_seconds_per_region  # noqa: E402
from exactmin.theorems.soudry_hoffer import volumes  # noqa: E402

TARGET_S = {(3, 3, 9): 30.0}
SIZES = [(2, 3, 6), (3, 2, 8), (3, 3, 9)]
QUICK = [(2, 3, 6)]
SAMPLES = 200  # sampled multisets behind each one-process estimate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the smallest size only")
    ap.add_argument("--seeds", type=int, default=0,
                    help="also this many held-out (3,3,9) instances (seeds 1..SEEDS)")
    args = ap.parse_args(argv)
    workers = os.cpu_count() or 1
    print(f"{'instance':22} {'multisets':>10} {'census s':>9} {'integer 1p':>11} "
          f"{'reference 1p':>13} {'ratio':>6} {'volumes s':>10} {'target s':>9} {'met':>4}")
    runs = [(size, 0) for size in (QUICK if args.quick else SIZES)]
    runs += [((3, 3, 9), seed) for seed in range(1, args.seeds + 1)]
    for (d0, d1, N), seed in runs:
        inst = random_instance(d0, d1, N, "1/2", seed=seed)
        units = enumerate_regions(inst.X)
        t0 = time.perf_counter()
        res = certify(inst, census=True, force=True, workers=workers)
        t_census = time.perf_counter() - t0
        from math import comb
        multisets = comb(len(units) + d1 - 1, d1)
        t_int = multisets * sampled_seconds_per_region(inst, units, True, True, None,
                                                       samples=SAMPLES)
        t_one = multisets * sampled_seconds_per_region(inst, units, True, True, None,
                                                       samples=SAMPLES, reference=True)
        t0 = time.perf_counter()
        volumes(inst, force=True, workers=workers)
        t_vol = time.perf_counter() - t0
        target = TARGET_S.get((d0, d1, N))
        met = "-" if target is None else ("yes" if t_census <= target else "no")
        name = f"({d0},{d1},{N}) seed {seed}"
        print(f"{name:14} {res.verdict:>7} {multisets:>10} {t_census:>9.3g} ~{t_int:>10.3g} "
              f"~{t_one:>12.3g} {t_one / t_census:>6.2g} {t_vol:>10.3g} "
              f"{'-' if target is None else f'{target:g}':>9} {met:>4}", flush=True)
    print(f"~ = one process, timed on {SAMPLES} sampled multisets and extrapolated to all; "
          "ratio = reference 1p / census s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
