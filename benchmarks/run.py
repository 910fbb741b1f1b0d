"""Seeded benchmarks: fast engine vs the naive engine vs a naive sympy baseline, same run.

    python benchmarks/run.py [--quick] [--write-docs]
    python benchmarks/run.py --certificates [--quick] [--write-docs]

For each instance it prints the wall time of `certify` with the fast engine (default mode, all
regions decided unless a counterexample stops it; all cores), of the naive engine, and of the
code a researcher would write first (every ordered tuple, K built with Fractions,
sympy.Matrix.rank), and the ratios; for certified instances also the fast engine with a
certificate and the kernel's re-check of it. The compiled pair step's numba compile time (first
run only, then cached) and cache load time are measured separately, in fresh processes. A
baseline that would take longer than its sample budget is timed on the first regions and
extrapolated linearly; such numbers are marked "~" and labelled "extrapolated".
With --write-docs it also writes docs/performance.md and docs/performance.png (log-log time
against regions); tracked files are never overwritten unless asked. Needs the optional extra:
pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sympy

from exactmin import certify, random_instance
from exactmin.certificates import dumps
from exactmin.check import check_certificate
from exactmin.geometry import enumerate_regions
from exactmin.models import khatri_rao_matrix

ROOT = Path(__file__).resolve().parents[1]

# (d0, d1, N, rho, noise)
INSTANCES = [
    (2, 3, 6, "1/2", True),
    (3, 3, 9, "1/2", True),
    (2, 5, 10, "1/2", True),
    (3, 4, 12, "1/2", True),
    (2, 3, 6, "1/2", False),
    (3, 3, 9, "1/2", False),
    (2, 5, 10, "1/2", False),
    (3, 4, 12, "1/2", False),
    (2, 3, 6, "0", True),
    (3, 3, 9, "0", True),
    (2, 5, 10, "0", True),
    (3, 4, 12, "0", True),
]
QUICK = INSTANCES[:2] + INSTANCES[4:5] + INSTANCES[8:9]


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def naive_engine(inst, total: int, sample_budget: float):  # type: ignore[no-untyped-def]
    """(seconds, extrapolated?) for the naive engine's default certify."""
    t, res = timed(lambda: certify(inst, engine="naive", budget=sample_budget, force=True))
    if res.verdict != "inconclusive":
        return t, False, res.verdict
    return t / max(res.census.examined, 1) * total, True, "inconclusive"


def sympy_baseline(inst, sample_budget: float):  # type: ignore[no-untyped-def]
    """Every ordered tuple: K with Fractions, sympy rank; stops at the first rank-deficient
    region with nonzero least-squares residual would need LPs, so like a first attempt it only
    counts rank K = N regions (a lower bound on the work of a real decider)."""
    units = enumerate_regions(inst.X)
    total = len(units) ** inst.d1
    start = time.perf_counter()
    done = 0
    for tup in itertools.product(units, repeat=inst.d1):
        K = khatri_rao_matrix(inst, [u.signs for u in tup])
        sympy.Matrix([[sympy.Rational(q.numerator, q.denominator) for q in row] for row in K]).rank()
        done += 1
        if time.perf_counter() - start > sample_budget:
            break
    elapsed = time.perf_counter() - start
    return elapsed / done * total, done < total, total


def numba_times() -> tuple[float, float]:
    """(compile, load) seconds of the compiled pair step, each in a fresh interpreter: first
    with an empty numba cache, then with the cache that run wrote."""
    code = ("import time; from exactmin.search.compiled import warm_up; t = time.perf_counter(); "
            "warm_up(3); print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        runs = [float(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                     capture_output=True, text=True).stdout) for _ in range(2)]
    return runs[0], runs[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small instances only")
    ap.add_argument("--sample", type=float, default=10.0, help="seconds per baseline sample")
    ap.add_argument("--write-docs", action="store_true",
                    help="also write docs/performance.md and docs/performance.png (tracked files)")
    ap.add_argument("--certificates", action="store_true",
                    help="instead: solver, solver + certificate, kernel and certificate size "
                         "side by side (benchmarks/certificates.py; docs section 'Certificates')")
    args = ap.parse_args(argv)
    rows = []
    workers = os.cpu_count() or 1
    if args.certificates:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from certificates import main as certificate_table

        certificate_table(args.quick, args.write_docs, workers)
        return 0
    compile_s, load_s = numba_times()
    print(f"numba pair step: compile {compile_s:.2f} s on a first run (then cached), "
          f"load {load_s:.2f} s; used when regions x C(2 d0, d0) >= 1e8")
    header = (f"{'instance':28} {'regions':>12} {'verdict':>10} {'fast s':>9} {'naive s':>11} "
              f"{'sympy s':>11} {'naive/fast':>11} {'sympy/fast':>11} {'+cert s':>8} "
              f"{'kernel s':>9}")
    print(header)
    for d0, d1, N, rho, noise in (QUICK if args.quick else INSTANCES):
        inst = random_instance(d0, d1, N, rho, noise=noise, seed=0)
        t_fast, res = timed(lambda: certify(inst, engine="fast", force=True, workers=workers))
        total = res.census.regions
        t_naive, naive_ex, _ = naive_engine(inst, total, args.sample)
        t_sympy, sympy_ex, _ = sympy_baseline(inst, args.sample)
        t_cert = t_kernel = None
        if res.verdict == "certified":
            t_cert, with_cert = timed(lambda: certify(inst, engine="fast", force=True,
                                                      workers=workers, certificate=True))
            parsed = json.loads(dumps(with_cert.certificate()))
            t_kernel, _ = timed(lambda: check_certificate(parsed))
        name = f"({d0},{d1},{N}) rho={rho}{' noise' if noise else ''}"
        row = dict(name=name, regions=total, verdict=res.verdict, fast=t_fast, naive=t_naive,
                   naive_ex=naive_ex, sympy=t_sympy, sympy_ex=sympy_ex, cert=t_cert,
                   kernel=t_kernel)
        rows.append(row)
        mark = lambda ex: "~" if ex else " "  # noqa: E731
        opt = lambda t: f"{t:.3g}" if t is not None else "-"  # noqa: E731
        print(f"{name:28} {total:>12} {res.verdict:>10} {t_fast:>9.3g} "
              f"{mark(naive_ex)}{t_naive:>10.3g} {mark(sympy_ex)}{t_sympy:>10.3g} "
              f"{t_naive / t_fast:>11.3g} {t_sympy / t_fast:>11.3g} {opt(t_cert):>8} "
              f"{opt(t_kernel):>9}", flush=True)
    print("~ = timed on a sample of regions and extrapolated linearly")
    if args.write_docs:
        write_docs(rows, compile_s, load_s, workers)
    return 0


def write_docs(rows: list[dict], compile_s: float, load_s: float,  # type: ignore[type-arg]
               workers: int) -> None:
    lines = [
        "# Performance",
        "",
        "Written by `python benchmarks/run.py --write-docs` (seeded instances, seed 0; "
        f"{platform.processor() or platform.machine()}, {workers} cores, Python "
        f"{sys.version.split()[0]}), in-process times (add ~0.5 s of interpreter start for the",
        "shell). `fast` runs `certify` on all cores; `+cert` is the same with a certificate, and",
        "`kernel` the trusted kernel's re-check of that certificate (all cores from 1e5 regions).",
        f"The compiled pair step (regions x C(2 d0, d0) >= 1e8) costs {compile_s:.2f} s of numba",
        f"compilation on a first run only (cached on disk), then {load_s:.2f} s to load; both are",
        "included in `fast` for the runs that use it, measured here with a warm cache.",
        "`fast` and `naive` run `certify` (default mode: stop at the first bad DLM); `sympy` is",
        "the first thing a researcher would write: every ordered tuple, K with Fractions,",
        "`sympy.Matrix.rank` (rank only, so a lower bound on a real decider's time).",
        "`~` marks times measured on a sample of regions and extrapolated linearly.",
        "On refuted instances the engines stop at their first counterexample while the sympy",
        "baseline's time is for all regions, so those ratios are not like for like; a `~` naive",
        "time on a refuted instance means the naive engine found no counterexample in its sample",
        "(its extrapolation to all regions bounds its time from above).",
        "",
        "| instance | regions | verdict | fast (s) | naive (s) | sympy (s) | naive / fast | "
        "sympy / fast | +cert (s) | kernel (s) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        n = ("~" if r["naive_ex"] else "") + f"{r['naive']:.3g}"
        s = ("~" if r["sympy_ex"] else "") + f"{r['sympy']:.3g}"
        c = "-" if r["cert"] is None else f"{r['cert']:.3g}"
        k = "-" if r["kernel"] is None else f"{r['kernel']:.3g}"
        lines.append(f"| {r['name']} | {r['regions']} | {r['verdict']} | {r['fast']:.3g} | {n} | {s} | "
                     f"{r['naive'] / r['fast']:.3g} | {r['sympy'] / r['fast']:.3g} | {c} | {k} |")
    page = ROOT / "docs" / "performance.md"
    old = page.read_text() if page.exists() else ""
    kept = old[old.index("\n## "):] if "\n## " in old else ""  # later sections: estimates, history
    page.write_text("\n".join(lines) + "\n" + kept)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: skipped docs/performance.png (pip install -e '.[bench]')")
        return
    certified = [r for r in rows if r["verdict"] == "certified"]
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for key, label, marker in (("fast", "fast engine", "o"), ("naive", "naive engine", "s"),
                               ("sympy", "sympy baseline", "^"), ("kernel", "kernel re-check", "x")):
        ax.loglog([r["regions"] for r in certified], [r[key] for r in certified], marker=marker,
                  label=label)
    ax.set_xlabel("differentiable regions (ordered tuples)")
    ax.set_ylabel("wall time (s); naive and sympy partly extrapolated")
    ax.set_title("certify on noisy leaky-ReLU instances (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(ROOT / "docs" / "performance.png", dpi=110)
    print("wrote docs/performance.md and docs/performance.png")


if __name__ == "__main__":
    sys.exit(main())
