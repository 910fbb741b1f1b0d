"""Trust at the price of the answer: the solver, the solver with its certificate, the kernel's
check and the certificate's size, side by side in one run, against naive exact baselines
measured in the same run (``python benchmarks/run.py --certificates [--quick] [--write-docs]``).

Rows: noisy `certify` (theorem ``soudry_carmon/no_bad_dlm``) and noise-free `certify --census`
(theorem ``soudry_carmon/census``), seeded instances (seed 0), on all cores. The kernel runs as
the user runs it (``python -m exactmin.check FILE``: a fresh interpreter, reading the file).
Baselines, timed on a seeded sample of entries and extrapolated to all of them (one process):

* census certificates: the form written before 2026-12-06, one Motzkin pair per sign choice
  of ``z`` (the reference decision and an LP or a float-proposed proof per sign choice; the
  kernel's per-sign-choice check), against the sign-choice leaves on the same regions;
* noisy certificates: the kernel without its optional speed code (``--plain``: one
  determinant per completion of each prefix entry), against the default kernel on the same
  entries.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from docs_page import write_section

from exactmin import certify, random_instance
from exactmin.arith import fmt_vector
from exactmin.certificates import dumps
from exactmin.check import entries, reader
from exactmin.check import soudry_carmon as sc
from exactmin.check.leaves import IntegerBlocks
from exactmin.check.regions import Statement, check_unit_regions
from exactmin.decide import RegionDecider, decide_region, no_dlm_certificates
from exactmin.decide.soudry_carmon_leaves import no_dlm_tree, tree_entry

# (d0, d1, N, rho, noise, census)
INSTANCES = [(3, 3, 9, "1/2", True, False), (3, 4, 12, "1/2", True, False),
             (3, 2, 9, "1/2", False, True), (3, 3, 9, "1/2", False, True)]
QUICK = [(2, 3, 6, "1/2", True, False), (2, 2, 6, "1/2", False, True)]
SAMPLE = 150  # census regions per baseline sample
PLAIN_SAMPLE = 4  # prefix entries per --plain sample
TITLE = "## Certificates: solver, certificate, kernel, size"


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _kernel(cert: dict[str, Any]) -> tuple[float, float, str]:
    """(seconds, work units, verdict line) of ``python -m exactmin.check`` on the file."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "c.json"
        path.write_text(dumps(cert))
        t, proc = _timed(lambda: subprocess.run([sys.executable, "-m", "exactmin.check",
                                                 str(path)], capture_output=True, text=True))
    if proc.returncode != 0:
        raise RuntimeError(f"the kernel did not verify the benchmark's certificate: "
                           f"{proc.stdout}{proc.stderr}")
    line = proc.stdout.strip().splitlines()[-1]
    work = float(re.search(r"([0-9.e+]+) work units", line).group(1))  # type: ignore[union-attr]
    return t, work, line


def _shared(cert: dict[str, Any]) -> tuple[Statement, list[list[int]], int]:
    work = reader.Work(10**15)
    st = Statement(cert["statement"], work)
    w = cert["witness"]
    return st, check_unit_regions(st, w["unit_regions"], w["prime"], work), w["prime"]


def census_baseline(inst: Any, cert: dict[str, Any], sample: int) -> dict[str, float]:
    """Per region, on the same seeded sample: the old writer (3^d1 Motzkin pairs) and the new
    one (leaves), their JSON bytes, and the kernel's check of each form."""
    st, signs, p = _shared(cert)
    shared = (st, sc.Blocks(st, signs, p), signs, IntegerBlocks(st, signs))
    from exactmin.geometry import enumerate_regions

    units = enumerate_regions(inst.X)
    rng = random.Random(0)
    order = list(itertools.combinations_with_replacement(range(len(units)), inst.d1))
    picks = [order[rng.randrange(len(order))] for _ in range(sample)]
    out = {"old_write": 0.0, "new_write": 0.0, "old_check": 0.0, "new_check": 0.0,
           "old_bytes": 0.0, "new_bytes": 0.0}
    blocks: dict[Any, Any] = {}
    decider = RegionDecider(inst)
    for tup in picks:
        regs = [units[k] for k in tup]
        t_old, dec = _timed(lambda: decide_region(inst, regs, find_dlm=True, blocks=blocks))
        if dec.has_dlm:
            continue  # the same dlm entry in both forms
        t_old2, certs = _timed(lambda: no_dlm_certificates(inst, regs, blocks))
        old = {"no_dlm": [[fmt_vector(lam), fmt_vector(mu)] for lam, mu in certs or ()]}
        t_new, tree = _timed(lambda: no_dlm_tree(decider, regs))
        new = tree_entry(*tree)
        out["old_write"] += t_old + t_old2
        out["new_write"] += t_new
        out["old_bytes"] += len(json.dumps(old, separators=(",", ":")))
        out["new_bytes"] += len(json.dumps(new, separators=(",", ":")))
        for key, ent in (("old_check", old), ("new_check", new)):
            parsed = reader.loads(json.dumps(ent))
            t, loss = _timed(lambda: entries._check_entry(shared, (tup, parsed, "")))
            assert loss is None
            out[key] += t
    return {k: v / sample for k, v in out.items()}


def plain_baseline(cert: dict[str, Any], sample: int) -> tuple[float, float, int]:
    """(seconds per entry with --plain, seconds per entry with the speed code, entries) on the
    same seeded sample of prefix entries."""
    st, signs, p = _shared(cert)
    R = len(signs)
    jobs, covered = [], 0
    for j, ent in enumerate(cert["witness"]["regions"]):
        ent = dict(ent)
        tup = tuple(ent.pop("prefix")) if "prefix" in ent else tuple(
            (covered // R ** (st.d1 - 1 - t)) % R for t in range(st.d1))
        jobs.append((tup, ent, f"/witness/regions/{j}"))
        covered += R ** (st.d1 - len(tup))
    prefix = [job for job in jobs if len(job[0]) < st.d1]
    picks = random.Random(0).sample(prefix, min(sample, len(prefix)))
    fast = plain = 0.0
    for job in picks:
        fast += _timed(lambda: sc.check_region(st, sc.Blocks(st, signs, p), *job))[0]
        plain += _timed(lambda: sc.check_region(st, sc.Blocks(st, signs, p, plain=True),
                                                *job))[0]
    return plain / len(picks), fast / len(picks), len(jobs)


def main(quick: bool, write_docs: bool, workers: int) -> list[str]:
    rows = []
    header = ("| instance | regions | solver (s) | + certificate (s) | kernel (s) | kernel work "
              "units | size (MB; gzip) | baseline: + certificate (s) | baseline: kernel (s) | "
              "baseline: size (MB) | kernel / solver |")
    print(header)
    for d0, d1, N, rho, noise, census in QUICK if quick else INSTANCES:
        inst = random_instance(d0, d1, N, rho, noise=noise, seed=0)
        run = lambda **kw: certify(inst, force=True, workers=workers, census=census,  # noqa
                                   **kw)
        run()  # warm-up: unit regions, primes and compiled code cached, as in a second run
        t_solve, res = _timed(run)
        t_cert, res = _timed(lambda: run(certificate=True))
        cert = json.loads(dumps(res.certificate()))
        text = dumps(cert).encode()
        t_kernel, work, _ = _kernel(cert)
        regions = res.census.regions
        if census:
            count = len(cert["witness"]["regions"])
            b = census_baseline(inst, cert, 10 if quick else SAMPLE)
            base_cert = f"~{t_solve + b['old_write'] * count:.3g}"
            base_kernel = f"~{b['old_check'] * count:.3g}"
            base_size = f"~{len(text) / 1e6 * b['old_bytes'] / max(b['new_bytes'], 1):.3g}"
            name = f"({d0},{d1},{N}) census, no noise"
        else:
            plain, fast, n = plain_baseline(cert, 1 if quick else PLAIN_SAMPLE)
            base_cert, base_kernel, base_size = "-", f"~{plain * n:.3g} (--plain)", "-"
            name = f"({d0},{d1},{N}) noise"
        row = (f"| {name} | {regions:,} | {t_solve:.3g} | {t_cert:.3g} | {t_kernel:.3g} | "
               f"{work:.2g} | {len(text) / 1e6:.3g}; {len(gzip.compress(text)) / 1e6:.3g} | "
               f"{base_cert} | {base_kernel} | {base_size} | {t_kernel / t_solve:.3g} |")
        rows.append(row)
        print(row, flush=True)
    if write_docs:
        _write(header, rows, workers)
    return rows


def _write(header: str, rows: list[str], workers: int) -> None:
    write_section(TITLE, [
        f"Written by `python benchmarks/run.py --certificates --write-docs` on "
        f"{time.strftime('%Y-%m-%d')} (x86_64, {workers} cores, Python "
        f"{sys.version.split()[0]}), seeded instances (seed 0), all in one run. `solver`: "
        "`certify` (with `--census` for the census rows) on all cores; `+ certificate`: the same "
        "run writing its certificate; `kernel`: `python -m exactmin.check FILE` (a fresh "
        "interpreter reading the file, all cores) at its default work limit; `size`: the JSON, "
        "and gzip-compressed (`--out CERT.json.gz`). Baselines (`~`: timed on a seeded sample of "
        "entries on one process and extrapolated): for censuses, the form written before "
        "2026-12-06 (one Motzkin pair per sign choice of `z` per region) on the same regions; for "
        "noisy certificates, the kernel without its speed code (`--plain`, one determinant per "
        "completion).", "", header,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", *rows])
