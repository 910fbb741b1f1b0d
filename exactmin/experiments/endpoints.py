"""The papers' "verified numerically" experiments, redone with every training endpoint classified
exactly (``exactmin experiment soudry-hoffer-scan | soudry-hoffer-differentiable |
soudry-carmon-noise | full-rank-fraction``).

Floats train (:mod:`exactmin.experiments.training`, seeded L-BFGS-B); exact arithmetic decides
what each endpoint is. Data: Gaussian inputs rounded to two decimals and labels +-1 (seeded,
:func:`exactmin.experiments.soudry_hoffer.gaussian_instance`).

* ``soudry-hoffer-scan`` (Soudry-Hoffer's Figure 5.1 style): ReLU and leaky, one and two hidden
  layers, ``N`` scanned against ``d0*d1``: final training error (mean, std) and how many
  endpoints are certified zero-loss DLMs, certified bad DLMs, or not certified.
* ``soudry-hoffer-differentiable`` (their Figure 5.2 style): ``d = d0 = d1``,
  ``N = floor(d^2/5)``: how far endpoints are from the kinks and how many are certified DLMs.
* ``soudry-carmon-noise``: the same data with and without a noise realization (seeded, entries
  ``p/16`` in ``[1/2, 2)``), leaky ``rho = 1/2``, ``N <= d0*d1``: how often training ends at a
  certified bad DLM, next to the exact census of the instance (bad regions and their losses).
* ``full-rank-fraction`` (Karhadkar, Murray, Tseran and Montufar's phase transition): for fixed
  ``N`` and ``d0``, the exact fraction of differentiable regions with ``rank K = N`` as ``d1``
  grows, by complete enumeration (exact ranks), ReLU and leaky, with and without noise, next to
  the float estimate from Gaussian weights (the way they estimate it: ``numpy`` rank of ``K`` at
  sampled weights).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import statistics
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import numpy as np

from exactmin.experiments import pyplot, save_figure
from exactmin.experiments.soudry_hoffer import gaussian_instance
from exactmin.experiments.training import CLASSES, summary, train_runs
from exactmin.fileio import atomic_write
from exactmin.geometry import enumerate_regions
from exactmin.models import Instance
from exactmin.models.deep import DeepInstance
from exactmin.theorems.soudry_carmon import certify

__all__ = ["EXPERIMENTS", "figure", "markdown", "run"]

RHOS = (("ReLU", Fraction(0)), ("leaky 1/2", Fraction(1, 2)))


@dataclass(frozen=True)
class Settings:
    runs: int  # training runs per instance
    seeds: int  # instances (data seeds) per row
    scan_N: tuple[int, ...]  # soudry-hoffer-scan: N against d0*d1 = 6 (d0 = 2, d1 = 3)
    noise_sizes: tuple[tuple[int, int, int], ...]  # soudry-carmon-noise (d0, d1, N)
    rank_d1: tuple[int, ...]  # full-rank-fraction: d1 values (d0 = 2, N = 6)
    samples: int  # full-rank-fraction: float samples per row
    diff_d: tuple[int, ...]  # soudry-hoffer-differentiable: d = d0 = d1, N = floor(d^2 / 5)
    label: str = "full"

    @classmethod
    def quick(cls) -> "Settings":
        return cls(4, 1, (3, 6), ((2, 3, 5),), (1, 2, 3), 200, (3,), "quick")

    @classmethod
    def full(cls) -> "Settings":
        return cls(20, 3, (2, 4, 6, 8, 10), ((2, 3, 5), (3, 3, 8)), (1, 2, 3, 4), 4000,
                   (3, 4, 5))


def _deep(inst: Instance, depth: int) -> DeepInstance:
    d = DeepInstance.from_instance(inst).to_dict()
    if depth == 2:
        d["widths"] = [inst.d0, inst.d1, inst.d1, 1]
    d.pop("d1", None)
    return DeepInstance.from_dict(d)


def scan(s: Settings) -> list[dict[str, Any]]:
    rows = []
    d0, d1 = 2, 3
    for (name, rho), depth, N in itertools.product(RHOS, (1, 2), s.scan_N):
        errors: list[float] = []
        counts = {c: 0 for c in CLASSES}
        kink_bad = 0
        for seed in range(s.seeds):
            inst = _deep(gaussian_instance(d0, d1, N, rho, seed), depth)
            results = train_runs(inst, s.runs, seed=100 * seed)
            errors += [r.float_loss for r in results]
            kink_bad += sum(r.classification == "kink_local_min" and bool(r.loss) for r in results)
            for c, n in summary(results)["counts"].items():
                counts[c] += n
        rows.append({"activation": name, "depth": depth, "d0": d0, "d1": d1, "N": N,
                     "ratio": N / (d0 * d1), "mean": statistics.fmean(errors),
                     "std": statistics.pstdev(errors), "counts": counts, "runs": len(errors),
                     "kink_bad": kink_bad})
    return rows


def differentiable(s: Settings) -> list[dict[str, Any]]:
    """``d = d0 = d1``, ``N = floor(d^2 / 5)``: how far endpoints are from kinks
    (``min |w_i . x_n| / (|w_i| |x_n|)``, floats) and how many are certified DLMs."""
    from exactmin.experiments.training import classify, train_run

    rows = []
    for (name, rho), d in itertools.product(RHOS, s.diff_d):
        N = d * d // 5
        margins, counts, losses = [], {c: 0 for c in CLASSES}, []
        kink_bad = 0
        for seed in range(s.seeds):
            inst = DeepInstance.from_instance(gaussian_instance(d, d, N, rho, seed))
            X = np.array([[float(v) for v in row] for row in inst.X])
            for k in range(s.runs):
                Ws, loss, steps = train_run(inst, 100 * seed + k)
                W = Ws[0]
                cos = np.abs(W @ X) / np.outer(np.linalg.norm(W, axis=1),
                                               np.linalg.norm(X, axis=0))
                margins.append(float(np.min(cos)))
                r = classify(inst, Ws, loss, 100 * seed + k, "lbfgs", steps)
                counts[r.classification] += 1
                kink_bad += r.classification == "kink_local_min" and bool(r.loss)
                if r.loss is not None:
                    losses.append(r.loss)
        rows.append({"activation": name, "d": d, "N": N, "runs": len(margins),
                     "margin_min": min(margins), "margin_median": statistics.median(margins),
                     "counts": counts, "kink_bad": kink_bad,
                     "losses": sorted({str(q) for q in losses}, key=Fraction)})
    return rows


def noise(s: Settings) -> list[dict[str, Any]]:
    rows = []
    for (d0, d1, N), with_noise, seed in itertools.product(s.noise_sizes, (False, True),
                                                           range(s.seeds)):
        inst = gaussian_instance(d0, d1, N, Fraction(1, 2), seed)
        if with_noise:  # entries p/16 in [1/2, 2): small denominators keep the census fast
            rng = random.Random(seed + 17)
            inst = inst.replace(noise=[[Fraction(rng.randint(8, 31), 16) for _ in range(N)]
                                       for _ in range(d1)])
        census = certify(inst, census=True, force=True, workers=os.cpu_count() or 1).census
        results = train_runs(DeepInstance.from_instance(inst), s.runs, seed=100 * seed)
        summ = summary(results)
        bad_losses = {Fraction(q) for q in summ["bad_dlm_losses"]}  # DLMs: the census lists them
        rows.append({"d0": d0, "d1": d1, "N": N, "noise": with_noise, "seed": seed,
                     "runs": len(results), "counts": summ["counts"],
                     "kink_bad": sum(r.classification == "kink_local_min" and bool(r.loss)
                                     for r in results),
                     "certified_losses": summ["certified_losses"],
                     "census_regions": census.regions, "census_bad": census.bad_dlm_regions,
                     "census_losses": [str(q) for q in census.bad_losses],
                     "in_census": bad_losses <= set(census.bad_losses)})
    return rows


def _exact_full_rank(inst: Instance) -> tuple[int, int]:
    """``(regions with rank K = N, regions)`` by complete enumeration, exact integer ranks."""
    import flint

    units = enumerate_regions(inst.X)
    scale = math.lcm(*[q.denominator for row in inst.X for q in row],
                     inst.rho.denominator,
                     *[inst.noise_entry(i, n).denominator for i in range(inst.d1)
                       for n in range(inst.N)])
    blocks = {}
    for i in range(inst.d1):
        for k, u in enumerate(units):
            a = [inst.noise_entry(i, n) * (inst.rho if s < 0 else 1) for n, s in
                 enumerate(u.signs)]
            blocks[i, k] = [[int(ai * x * scale ** 3) for ai, x in zip(a, row)] for row in inst.X]
    full = total = 0
    for idx in itertools.product(range(len(units)), repeat=inst.d1):
        K = [row for i, k in enumerate(idx) for row in blocks[i, k]]
        total += 1
        full += int(flint.fmpz_mat(K).rank()) == inst.N
    return full, total


def _sampled_full_rank(inst: Instance, samples: int, seed: int) -> float:
    """The float estimate: Gaussian ``W``, the pattern it gives, ``numpy`` rank of ``K``."""
    rng = np.random.default_rng(seed)
    X = np.array([[float(v) for v in row] for row in inst.X])
    E = np.array([[float(inst.noise_entry(i, n)) for n in range(inst.N)]
                  for i in range(inst.d1)])
    rho = float(inst.rho)
    hits = 0
    for _ in range(samples):
        W = rng.standard_normal((inst.d1, inst.d0))
        A = E * np.where(W @ X > 0, 1.0, rho)
        K = np.concatenate([X * A[i][None, :] for i in range(inst.d1)])
        hits += int(np.linalg.matrix_rank(K) == inst.N)
    return hits / samples


def full_rank(s: Settings) -> list[dict[str, Any]]:
    rows = []
    d0, N = 2, 6
    for (name, rho), with_noise, d1 in itertools.product(RHOS, (False, True), s.rank_d1):
        inst = gaussian_instance(d0, d1, N, rho, 0)
        if with_noise:
            rng = random.Random(d1)
            inst = inst.replace(noise=[[Fraction(rng.randint(1, 99), rng.randint(1, 99))
                                        for _ in range(N)] for _ in range(d1)])
        t0 = time.perf_counter()
        full, total = _exact_full_rank(inst)
        rows.append({"activation": name, "noise": with_noise, "d0": d0, "d1": d1, "N": N,
                     "exact": full / total, "full_rank_regions": full, "regions": total,
                     "sampled": _sampled_full_rank(inst, s.samples, d1),
                     "samples": s.samples, "seconds": round(time.perf_counter() - t0, 2)})
    return rows


def _scan_md(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| activation | depth | N | N/(d0 d1) | final error mean | std | zero-loss DLM | "
           "bad DLM | kink: local min (bad) | kink: not a min | non-diff. | not certified |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        c = r["counts"]
        out.append(f"| {r['activation']} | {r['depth']} | {r['N']} | {r['ratio']:.2f} | "
                   f"{r['mean']:.3g} | {r['std']:.3g} | {c['zero_loss_dlm']} | {c['bad_dlm']} | "
                   f"{_kink(r)} | {c.get('not_local_min', 0)} | "
                   f"{c['non_differentiable']} | {c['not_certified']} |")
    return out


def _noise_md(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| (d0, d1, N) | noise | seed | runs | certified bad DLM | zero-loss DLM | "
           "certified losses (runs) | census: bad regions / regions | census losses | "
           "certified losses in census |", "|---|---|---:|---:|---:|---:|---|---|---|---|"]
    for r in rows:
        c = r["counts"]
        items = [f"{q} ({n})" for q, n in r["certified_losses"].items()]
        losses = ", ".join(items[:3]) + (f", ... ({len(items)} losses)" if len(items) > 3
                                         else "") if items else "-"
        out.append(f"| ({r['d0']}, {r['d1']}, {r['N']}) | {'yes' if r['noise'] else 'no'} | "
                   f"{r['seed']} | {r['runs']} | {c['bad_dlm']} | {c['zero_loss_dlm']} | "
                   f"{losses} | {r['census_bad']} / {r['census_regions']} | "
                   f"{_few(r['census_losses'])} | "
                   f"{'yes' if r['in_census'] else 'NO'} |")
    return out


def _kink(row: dict[str, Any]) -> str:
    """Runs ending at a kink that is a local minimum, with how many of them have nonzero loss."""
    return f"{row['counts'].get('kink_local_min', 0)} ({row.get('kink_bad', 0)})"


def _few(losses: list[str]) -> str:
    if not losses:
        return "-"
    shown = ", ".join(losses[:3])
    return shown if len(losses) <= 3 else f"{len(losses)} losses: {shown}, ..."


def _diff_md(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| activation | d = d0 = d1 | N | runs | min of min cos(w_i, x_n) | median | "
           "certified zero-loss | certified bad | kink: local min (bad) | kink: not a min | "
           "non-diff. | not certified | certified losses |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        c = r["counts"]
        out.append(f"| {r['activation']} | {r['d']} | {r['N']} | {r['runs']} | "
                   f"{r['margin_min']:.2e} | {r['margin_median']:.2e} | {c['zero_loss_dlm']} | "
                   f"{c['bad_dlm']} | {_kink(r)} | {c.get('not_local_min', 0)} | "
                   f"{c['non_differentiable']} | {c['not_certified']} | {_few(r['losses'])} |")
    return out


def _diff_fig(rows: list[dict[str, Any]], ax: Any) -> None:
    for name, _ in RHOS:
        sel = [r for r in rows if r["activation"] == name]
        ax.plot([r["d"] for r in sel], [max(r["margin_median"], 1e-18) for r in sel],
                marker="o", label=f"{name}: median of min |cos(w_i, x_n)|")
        ax.plot([r["d"] for r in sel], [max(r["margin_min"], 1e-18) for r in sel], ls="--",
                marker="x", label=f"{name}: smallest")
    ax.set_yscale("log")
    ax.set_xlabel("d = d0 = d1 (N = floor(d^2/5))")
    ax.legend(fontsize=7)


def _diff_reading(rows: list[dict[str, Any]]) -> str:
    parts = [f"{r['activation']}, d = {r['d']}: {r['counts']['zero_loss_dlm'] + r['counts']['bad_dlm']}"
             f"/{r['runs']} certified DLMs, smallest margin {r['margin_min']:.1e}" for r in rows]
    return ("Ours: " + "; ".join(parts) + ". The paper reports its runs ending at "
            "differentiable minima with min |w_i.x_n| between 1e-3 and 1 and MSE 1e-31..1e-7 "
            "(unnormalized, their sizes); here the margin is the cosine (scale-free), and every "
            "endpoint away from a kink is decided exactly: a certified loss is exactly 0 or "
            "exactly the printed fraction, not 1e-7.")


def _rank_md(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| activation | noise | d1 | regions | exact fraction rank K = N | float sampled "
           "estimate | samples | seconds |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['activation']} | {'yes' if r['noise'] else 'no'} | {r['d1']} | "
                   f"{r['regions']} | {r['exact']:.4f} ({r['full_rank_regions']}) | "
                   f"{r['sampled']:.4f} | {r['samples']} | {r['seconds']} |")
    return out


def _scan_fig(rows: list[dict[str, Any]], ax: Any) -> None:
    for name, _ in RHOS:
        for depth in (1, 2):
            sel = [r for r in rows if r["activation"] == name and r["depth"] == depth]
            ax.errorbar([r["ratio"] for r in sel], [r["mean"] for r in sel],
                        yerr=[[min(r["std"], r["mean"]) for r in sel], [r["std"] for r in sel]],
                        marker="o", capsize=2, label=f"{name}, depth {depth}")
    ax.set_yscale("symlog", linthresh=1e-6)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("N / (d0 d1)")
    ax.set_ylabel("final training error (floats)")
    ax.legend(fontsize=7)


def _noise_fig(rows: list[dict[str, Any]], ax: Any) -> None:
    labels = [f"{r['d0']},{r['d1']},{r['N']} s{r['seed']}{' E' if r['noise'] else ''}"
              for r in rows]
    ax.bar(range(len(rows)), [r["counts"]["bad_dlm"] / r["runs"] for r in rows],
           color=["tab:orange" if r["noise"] else "tab:red" for r in rows])
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(labels, rotation=60, fontsize=6)
    ax.set_ylabel("share of runs ending at a certified bad DLM")


def _rank_fig(rows: list[dict[str, Any]], ax: Any) -> None:
    for name, _ in RHOS:
        for with_noise in (False, True):
            sel = [r for r in rows if r["activation"] == name and r["noise"] == with_noise]
            label = f"{name}{', noise' if with_noise else ''}"
            line = ax.plot([r["d1"] for r in sel], [r["exact"] for r in sel], marker="o",
                           label=f"{label} (exact)")
            ax.plot([r["d1"] for r in sel], [r["sampled"] for r in sel], ls="--",
                    color=line[0].get_color(), label=f"{label} (float sample)")
    ax.set_xlabel("d1 (N = 6, d0 = 2)")
    ax.set_ylabel("fraction of regions with rank K = N")
    ax.legend(fontsize=7)


EXPERIMENTS: dict[str, tuple[str, Callable[..., Any], Callable[..., Any], Callable[..., Any],
                             str]] = {
    "soudry-hoffer-scan": ("soudry_hoffer_scan", scan, _scan_md, _scan_fig,
                           "Soudry and Hoffer's training scan (their Figure 5.1 style), every "
                           "endpoint classified exactly"),
    "soudry-carmon-noise": ("soudry_carmon_noise", noise, _noise_md, _noise_fig,
                            "Soudry and Carmon: training with and without a noise realization, "
                            "next to the exact census"),
    "soudry-hoffer-differentiable": ("soudry_hoffer_differentiable", differentiable, _diff_md,
                                     _diff_fig, "Soudry and Hoffer's differentiability check "
                                     "(their Figure 5.2 style): distance of endpoints from the "
                                     "kinks, endpoints classified exactly"),
    "full-rank-fraction": ("full_rank_fraction", full_rank, _rank_md, _rank_fig,
                           "Karhadkar, Murray, Tseran and Montufar's full-rank fraction, exact "
                           "by complete enumeration, next to the float sampled estimate"),
}

def _share(rows: list[dict[str, Any]], key: str) -> str:
    runs = sum(r["runs"] for r in rows)
    return f"{sum(r['counts'][key] for r in rows)}/{runs}"


def _scan_reading(rows: list[dict[str, Any]]) -> str:
    parts = []
    for name, _ in RHOS:
        for side, test in (("N < d0 d1", lambda x: x < 1), ("N >= d0 d1", lambda x: x >= 1)):
            sel = [r for r in rows if r["activation"] == name and test(r["ratio"])]
            if sel:
                kink_bad = sum(r.get("kink_bad", 0) for r in sel)
                parts.append(f"{name}, {side}: certified zero-loss {_share(sel, 'zero_loss_dlm')}"
                             f", certified bad {_share(sel, 'bad_dlm')}, at a kink and a local "
                             f"minimum {_share(sel, 'kink_local_min')} ({kink_bad} bad), at a "
                             f"kink and not a minimum {_share(sel, 'not_local_min')}, "
                             f"non-differentiable (depth 2) {_share(sel, 'non_differentiable')}")
    return ("The paper (Gaussian data, labels +-1, ReLU, larger sizes) reports the training error "
            "falling to about 0 once d0 d1 >~ N, as mean +- std over 30 repeats. "
            "Ours (runs, both depths): " + "; ".join(parts) + ". A small float error and "
            "an exactly zero loss are different statements: the table separates runs that "
            "reached a certified zero-loss DLM from runs stopped on a kink (a pre-activation at "
            "0, which the theorems do not cover) or in a region without a DLM. With one hidden "
            "layer a kink is decided too (proofs/nondifferentiable_minima.md): the face the "
            "endpoint suggests holds local minima of one exact loss, or none; with two hidden "
            "layers kinks stay `non-diff.`. Floats train; the classification is exact.")


def _noise_reading(rows: list[dict[str, Any]]) -> str:
    out = []
    for flag, word in ((False, "without noise"), (True, "with noise")):
        sel = [r for r in rows if r["noise"] == flag]
        if sel:
            bad = sum(r["census_bad"] for r in sel)
            regions = sum(r["census_regions"] for r in sel)
            out.append(f"{word}: the census finds {bad} bad regions of {regions}, and "
                       f"{_share(sel, 'bad_dlm')} runs end at a certified bad DLM, "
                       f"{_share(sel, 'kink_local_min')} at a kink that is a local minimum "
                       f"({sum(r.get('kink_bad', 0) for r in sel)} of them bad) and "
                       f"{_share(sel, 'not_local_min')} at a kink that is not")
    agree = all(r["in_census"] for r in rows)
    return ("The theorem: leaky, N <= d0 d1 and noise from a continuous distribution give, almost "
            "surely, no DLM with nonzero loss. Ours: " + "; ".join(out) + ". Every certified "
            "loss is one the census lists: "
            + ("yes." if agree else "NO (a bug).") + " Without noise bad DLMs exist and "
            "training can stop at them; with a noise realization and N <= d0 d1 the census "
            "certifies there are none, whatever training does.")


def _rank_reading(rows: list[dict[str, Any]]) -> str:
    gap = max(abs(r["exact"] - r["sampled"]) for r in rows)
    top = max(r["d1"] for r in rows)
    last = "; ".join(f"{r['activation']}{', noise' if r['noise'] else ''}: exact "
                     f"{r['exact']:.3f}, sampled {r['sampled']:.3f}"
                     for r in rows if r["d1"] == top)
    return ("Karhadkar et al. estimate this fraction with float ranks at sampled parameters and "
            "describe a transition to 1 as d1 grows. Ours: the exact fraction counts every "
            "differentiable region once; the float "
            "estimate samples Gaussian weights, so it weights regions by their angular volume "
            f"(and trusts a float rank). Largest gap {gap:.3f}. At d1 = {top}: {last}. When "
            "d0 d1 < N no region has rank N, in both.")


READING: dict[str, Callable[[list[dict[str, Any]]], str]] = {
    "soudry-hoffer-scan": _scan_reading,
    "soudry-carmon-noise": _noise_reading,
    "full-rank-fraction": _rank_reading,
    "soudry-hoffer-differentiable": _diff_reading,
}


def figure(name: str, rows: list[dict[str, Any]], folder: Path) -> list[str]:
    """The experiment's figure (PNG and SVG) from its rows; the file names."""
    import textwrap

    plt = pyplot()

    stem, _, _, draw, title = EXPERIMENTS[name]
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    draw(rows, ax)
    ax.set_title("\n".join(textwrap.wrap(title, 80)), fontsize=8)
    fig.tight_layout()
    names = save_figure(fig, folder, stem)
    plt.close(fig)
    return names


def markdown(name: str, results: dict[str, Any], figures: list[str]) -> str:
    """The section of docs/experiments.md for ``results`` (as :func:`run` saves them)."""
    _, _, table, _, title = EXPERIMENTS[name]
    rows = results["rows"]
    quick = " --quick" if results["settings"] == "quick" else ""
    md = [f"## {title[0].upper()}{title[1:]}", "",
          f"Written by `exactmin experiment {name}{quick}` ({results['seconds']} s; "
          f"{results['runs_per_instance']} seeded L-BFGS-B runs per instance, "
          f"{results['seeds']} data seed(s) per row). Floats train; each endpoint is classified "
          "exactly (`exactmin train`: the endpoint's activation region decided exactly, its DLM "
          "verified as a local minimum, its exact loss).", "", *table(rows), "",
          "Reading. " + READING[name](rows), "", "Figures: " + ", ".join(f"[{f}]({f})" for f in figures), ""]
    return "\n".join(md)


def run(name: str, out: str | Path, quick: bool = False) -> dict[str, Any]:
    stem, measure = EXPERIMENTS[name][:2]
    s = Settings.quick() if quick else Settings.full()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rows = measure(s)
    seconds = round(time.perf_counter() - t0, 1)
    results = {"experiment": name, "settings": s.label, "rows": rows, "seconds": seconds,
               "runs_per_instance": s.runs, "seeds": s.seeds}
    figures = figure(name, rows, folder)
    atomic_write(folder / f"{stem}.json", json.dumps(results, indent=1) + "\n")
    atomic_write(folder / f"{stem}.md", markdown(name, results, figures))
    results["files"] = [f"{stem}.md", f"{stem}.json", *figures]
    results["stem"] = stem
    return results
