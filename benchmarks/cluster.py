"""A census on a Dask LocalCluster against the local process pool, and what more machines give.

    python benchmarks/cluster.py [--quick] [--certificate]

Times, on one noise-free leaky instance (default (3, 3, 9), seed 0): the census on one local
process (the baseline, same run), on the local pool of 2 processes, and on LocalClusters of 1
and 2 worker processes (start-up timed apart); the overhead of one Dask task (empty tasks on the
scattered instance); and the per-region time of the noise-free (3, 4, 12) census on a seeded
sample of multisets, from which the time on W workers is extrapolated, task by task (the tasks
are equal ranges of the scan's order, eight per worker).
`--certificate` also writes the complete census certificate of a smaller census ((3, 2, 9)) on
1 and 2 processes and on a LocalCluster of 2 workers, times the kernel on it with 1 and 2
processes, and, for the (3, 3, 9) census, times writing and checking the entries of a seeded
sample of multisets and extrapolates both to the whole certificate. Every run prints its
counts; they must agree.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exactmin import certify, random_instance  # noqa: E402
from exactmin.check import check_certificate  # noqa: E402
from exactmin.geometry import enumerate_regions  # noqa: E402
from exactmin.search import cluster  # noqa: E402
from exactmin.search.naive import sampled_seconds_per_region  # noqa: E402
from exactmin.search.parallel import PARALLEL_EFFICIENCY  # noqa: E402

SIZE, QUICK_SIZE, BIG, CERT_SIZE = (3, 3, 9), (2, 3, 6), (3, 4, 12), (3, 2, 9)


def _empty(shared: object, lo: int, hi: int) -> int:
    return hi - lo


def _timed(label: str, base: float | None, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    res = fn()
    dt = time.perf_counter() - t0
    ratio = "" if base is None else f"{base / dt:6.2f}x"
    counts = "" if not hasattr(res, "census") else (
        f"{res.census.dlm_regions} DLM regions, {res.census.bad_dlm_regions} bad")
    print(f"| {label:34} | {dt:8.1f} | {ratio:>7} | {counts}")
    return dt, res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small instance, no extrapolation")
    ap.add_argument("--certificate", action="store_true",
                    help="also the census certificate and the kernel's time on it")
    args = ap.parse_args(argv)
    d0, d1, N = QUICK_SIZE if args.quick else SIZE
    inst = random_instance(d0, d1, N, "1/2", seed=0)
    print(f"noise-free leaky ({d0}, {d1}, {N}), seed 0\n")
    print(f"| {'run':34} | {'seconds':>8} | {'vs 1p':>7} | counts")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 9}|-------")
    base, _ = _timed("local, 1 process (baseline)", None,
                     lambda: certify(inst, census=True, force=True, workers=1))
    _timed("local pool, 2 processes", base,
           lambda: certify(inst, census=True, force=True, workers=2))
    for n in (1, 2):
        t0 = time.perf_counter()
        with cluster.session(f"local:{n}") as client:
            start = time.perf_counter() - t0
            print(f"| {f'LocalCluster start-up, {n} worker(s)':34} | {start:8.1f} | {'':>7} |")
            _timed(f"LocalCluster, {n} worker(s)", base,
                   lambda: certify(inst, census=True, force=True, scheduler=f"local:{n}"))
            if n == 2:
                tasks = 200
                t0 = time.perf_counter()
                cluster.run_ranges(client, _empty, (inst, tuple(enumerate_regions(inst.X))),
                                   [(k, k + 1) for k in range(tasks)], ())
                per_task = (time.perf_counter() - t0) / tasks
                print(f"\noverhead per task on 2 workers ({tasks} empty tasks, instance "
                      f"scattered once): {per_task * 1e3:.1f} ms")
    if args.certificate:
        _certificates(QUICK_SIZE if args.quick else CERT_SIZE)
        _sampled_certificate(QUICK_SIZE if args.quick else SIZE, 40 if args.quick else 300)
    if not args.quick:
        _extrapolate(base)
    return 0


def _certificates(size: tuple[int, int, int]) -> None:
    inst = random_instance(*size, "1/2", seed=0)
    print(f"\ncensus certificate of ({', '.join(map(str, size))}), seed 0\n")
    print(f"| {'run':34} | {'seconds':>8} | {'vs 1p':>7} | counts")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 9}|-------")
    base, res = _timed("certificate, 1 process", None, lambda: certify(
        inst, census=True, certificate=True, force=True, workers=1))
    _timed("certificate, 2 processes", base, lambda: certify(
        inst, census=True, certificate=True, force=True, workers=2))
    _, res2 = _timed("certificate, LocalCluster 2 workers", base, lambda: certify(
        inst, census=True, certificate=True, force=True, scheduler="local:2"))
    assert json.dumps(res2.certificate()) == json.dumps(res.certificate())
    text = json.dumps(res.certificate())
    cert = json.loads(text)
    for w in (1, 2):
        t0 = time.perf_counter()
        info = check_certificate(cert, workers=w)
        print(f"| {f'kernel, {w} process(es)':34} | {time.perf_counter() - t0:8.1f} | "
              f"{'':>7} | {info['dlm_regions']} DLM regions, {info['bad_dlm_regions']} bad")
    print(f"\n{len(cert['witness']['regions']):,} entries, {len(text) / 1e6:.1f} MB of JSON")


def _sampled_certificate(size: tuple[int, int, int], samples: int) -> None:
    """Writing and checking the entries of ``samples`` seeded multisets, one process each."""
    import random

    from exactmin.certificates.soudry_carmon import statement
    from exactmin.check import census as kernel_census
    from exactmin.check import soudry_carmon as kernel_sc
    from exactmin.check.reader import Work
    from exactmin.search.census import _entry

    inst = random_instance(*size, "1/2", seed=0)
    units = enumerate_regions(inst.X)
    R, d1 = len(units), inst.d1
    rng = random.Random(0)
    picks = [tuple(c - k for k, c in enumerate(sorted(rng.sample(range(R + d1 - 1), d1))))
             for _ in range(samples)]
    blocks: dict = {}
    t0 = time.perf_counter()
    entries = [_entry(inst, [units[k] for k in idx], blocks)[0] for idx in picks]
    write = (time.perf_counter() - t0) / samples
    raw = json.loads(json.dumps({"statement": statement(inst), "entries": entries}))
    work = Work(10**18)
    st = kernel_sc.Statement(raw["statement"], work)
    signs = [list(r.signs) for r in units]
    shared = (st, kernel_sc.Blocks(st, signs, 2**61 - 1), signs)
    t0 = time.perf_counter()
    for idx, ent in zip(picks, raw["entries"]):
        kernel_census._check_entry(shared, (idx, ent, "/sample"))
    check = (time.perf_counter() - t0) / samples
    count = math.comb(R + d1 - 1, d1)
    size_mb = sum(len(json.dumps(e)) for e in entries) / samples * count / 1e6
    print(f"\n({', '.join(map(str, size))}) census certificate, from {samples} sampled multisets "
          f"(one process): writing {write * 1e3:.1f} ms and checking {check * 1e3:.1f} ms per "
          f"entry; {count:,} entries -> writing {write * count / 60:.0f} min, kernel "
          f"{check * count / 60:.0f} min on one process, about {size_mb:.0f} MB of JSON")


def _extrapolate(base: float) -> None:
    d0, d1, N = BIG
    inst = random_instance(d0, d1, N, "1/2", seed=0)
    units = enumerate_regions(inst.X)
    R = len(units)
    per = sampled_seconds_per_region(inst, units, True, True, None, samples=400)
    multisets = math.comb(R + d1 - 1, d1)
    one = per * multisets
    print(f"\n({d0}, {d1}, {N}) noise-free: {R} unit regions, {multisets:,} multisets, "
          f"{per * 1e3:.2f} ms per multiset on 400 sampled (one process) -> "
          f"{one / 3600:.1f} h on one process")
    print(f"| {'workers':>7} | {'tasks':>5} | {'largest task h':>14} | {'estimate h':>10} |")
    for w in (2, 8, 32, 64):
        ranges = cluster.groups(R, d1, True, w)
        sizes = [hi - lo for lo, hi in ranges]
        largest = max(sizes) * per
        est = max(one / (w * PARALLEL_EFFICIENCY), largest)
        print(f"| {w:7} | {len(ranges):5} | {largest / 3600:14.2f} | {est / 3600:10.2f} |")


if __name__ == "__main__":
    raise SystemExit(main())
