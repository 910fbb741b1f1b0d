"""The full census that `exactmin volumes` needs, end to end, against its target.

    python benchmarks/census.py [--quick]

For noise-free leaky instances it times `certify(census=True)` on all cores (the engine
`volumes` runs; each multiset of unit regions is decided once), the same census on one process
timed on a seeded sample of regions and extrapolated (the baseline, same run), and the volume
sums on top (`volumes`). The issue's target for the noise-free leaky (3, 3, 9) census is 30 s
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the smallest size only")
    args = ap.parse_args(argv)
    workers = os.cpu_count() or 1
    print(f"{'instance':16} {'multisets':>10} {'census s':>9} {'1-process s':>12} "
          f"{'ratio':>6} {'volumes s':>10} {'target s':>9} {'met':>4}")
    for d0, d1, N in (QUICK if args.quick else SIZES):
        inst = random_instance(d0, d1, N, "1/2", seed=0)
        units = enumerate_regions(inst.X)
        t0 = time.perf_counter()
        res = certify(inst, census=True, force=True, workers=workers)
        t_census = time.perf_counter() - t0
        from math import comb
        multisets = comb(len(units) + d1 - 1, d1)
        per = sampled_seconds_per_region(inst, units, True, True, None)
        t_one = per * multisets
        t0 = time.perf_counter()
        volumes(inst, force=True, workers=workers)
        t_vol = time.perf_counter() - t0
        target = TARGET_S.get((d0, d1, N))
        met = "-" if target is None else ("yes" if t_census <= target else "no")
        print(f"({d0},{d1},{N}) {res.verdict:>7} {multisets:>10} {t_census:>9.3g} "
              f"~{t_one:>11.3g} {t_one / t_census:>6.2g} {t_vol:>10.3g} "
              f"{'-' if target is None else f'{target:g}':>9} {met:>4}", flush=True)
    print("~ = one process, timed on 24 sampled regions and extrapolated to every multiset")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
