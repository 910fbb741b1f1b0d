"""``exactmin experiment global-min``: where float training ends, measured against the exact
global minimum.

For under-parameterized sizes (``N > d0 d1``), ReLU and leaky ReLU, with and without a noise
realization, seeded instances (integer data and labels in [-3, 3], general position): the exact
global minimum ``L*`` (:func:`exactmin.theorems.soudry_carmon.global_minimum`, with its time),
and seeded float training runs (L-BFGS from Gaussian starts, :func:`train_runs`) whose endpoints
are classified exactly. Reported per setting: the runs ending at ``L*``, at spurious local
minima (exact loss above ``L*``) and elsewhere (not certified, or not a local minimum); the
exact gaps ``loss - L*`` of the spurious endpoints; whether the best of the runs (multi-start)
reaches ``L*`` and how long the runs took next to the exact computation; and how often a run's
*float* loss is within ``1e-6`` of ``L*`` while its endpoint is not a global minimum (the
question floats cannot answer).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exactmin.experiments import pyplot, save_figure
from exactmin.experiments.training import train_runs
from exactmin.fileio import atomic_write
from exactmin.models import random_instance
from exactmin.models.deep import DeepInstance
from exactmin.theorems.soudry_carmon import global_minimum

__all__ = ["Settings", "run"]

STEM = "global_min"
CLOSE = 1e-6  # "within 1e-6": |float loss - L*| <= CLOSE * max(1, L*)


@dataclass(frozen=True)
class Settings:
    sizes: tuple[tuple[int, int, int], ...]
    instances: int  # per (size, rho, noise)
    runs: int  # float training runs per instance (the multi-start)
    label: str

    @classmethod
    def quick(cls) -> "Settings":
        return cls(((2, 2, 5),), 1, 8, "quick")

    @classmethod
    def full(cls) -> "Settings":
        return cls(((2, 2, 5), (2, 2, 6), (2, 2, 8), (3, 2, 7), (3, 2, 9)), 2, 100, "full")


def _instance_row(d0: int, d1: int, N: int, rho: str, noise: bool, seed: int,
                  runs: int) -> dict[str, Any]:
    inst = random_instance(d0, d1, N, rho, noise=noise, seed=seed, max_int=3)
    t0 = time.perf_counter()
    g = global_minimum(inst, force=True)
    exact_seconds = time.perf_counter() - t0
    assert g.value is not None
    L = g.value
    t0 = time.perf_counter()
    results = train_runs(DeepInstance.from_instance(inst), runs, seed=1000 * seed)
    train_seconds = time.perf_counter() - t0
    at = [r for r in results if r.loss is not None and r.loss == L]
    spurious = [r for r in results if r.loss is not None and r.loss > L
                and r.classification in ("bad_dlm", "kink_local_min")]
    if any(r.loss is not None and r.loss < L for r in results):  # pragma: no cover
        raise AssertionError("a certified endpoint below the exact global minimum")
    tol = CLOSE * max(1.0, float(L))
    close = [r for r in results if abs(r.float_loss - float(L)) <= tol and r not in at]
    close_spurious = sum(r in spurious for r in close)
    best = min(results, key=lambda r: r.float_loss)
    return {"d0": d0, "d1": d1, "N": N, "rho": rho, "noise": noise, "seed": seed,
            "global_minimum": str(L), "exact_seconds": round(exact_seconds, 3),
            "pieces": g.outcome.pieces, "runs": len(results), "at_global": len(at),
            "spurious": len(spurious), "other": len(results) - len(at) - len(spurious),
            "gaps": [float(r.loss - L) for r in spurious if r.loss is not None],
            "multistart_finds_global": bool(at), "best_float_loss": best.float_loss,
            "best_is_global": best in at, "train_seconds": round(train_seconds, 3),
            "float_close_not_global": len(close), "float_close_spurious": close_spurious}


def run(out: str | Path, quick: bool = False) -> dict[str, Any]:
    s = Settings.quick() if quick else Settings.full()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rows = [_instance_row(d0, d1, N, rho, noise, seed, s.runs)
            for d0, d1, N in s.sizes for rho in ("0", "1/2") for noise in (False, True)
            for seed in range(s.instances)]
    results = {"settings": s.label, "runs_per_instance": s.runs, "instances": rows,
               "seconds": round(time.perf_counter() - t0, 1)}
    atomic_write(folder / f"{STEM}.json", json.dumps(results, indent=1) + "\n")
    atomic_write(folder / f"{STEM}.md", _markdown(results))
    results["files"] = [f"{STEM}.md", f"{STEM}.json", *_figure(rows, folder)]
    return results


def _groups(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault((r["d0"], r["d1"], r["N"], r["rho"], r["noise"]), []).append(r)
    return out


def _markdown(r: dict[str, Any]) -> str:
    rows = r["instances"]
    runs = sum(x["runs"] for x in rows)
    lines = ["## The exact global minimum against float training (`exactmin experiment "
             "global-min`)", "",
             f"Settings `{r['settings']}`; {r['seconds']} s on this machine. Under-parameterized "
             "sizes (`N > d0 d1`), seeded instances with integer data and labels in [-3, 3] in "
             f"general position; {r['runs_per_instance']} L-BFGS runs per instance from seeded "
             "Gaussian starts, each endpoint classified exactly. `L*` is exact "
             "(`exactmin global-min`, every closed piece bounded exactly); *spurious*: a "
             "certified local minimum (differentiable or at a kink) with loss above `L*`; "
             "*other*: an endpoint not certified as a local minimum.", "",
             "| d0, d1, N | rho | noise | instances | L* time (median) | runs | at L* | spurious "
             "| other | multi-start reaches L* | float within 1e-6 of L*: not at L* (spurious) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (d0, d1, N, rho, noise), g in _groups(rows).items():
        lines.append(
            f"| {d0}, {d1}, {N} | {'ReLU' if rho == '0' else 'leaky ' + rho} | "
            f"{'yes' if noise else 'no'} | {len(g)} | "
            f"{statistics.median(x['exact_seconds'] for x in g):.2g} s | "
            f"{sum(x['runs'] for x in g)} | {sum(x['at_global'] for x in g)} | "
            f"{sum(x['spurious'] for x in g)} | {sum(x['other'] for x in g)} | "
            f"{sum(x['multistart_finds_global'] for x in g)} of {len(g)} | "
            f"{sum(x['float_close_not_global'] for x in g)} "
            f"({sum(x['float_close_spurious'] for x in g)}) |")
    gaps = sorted(v for x in rows for v in x["gaps"])
    at = sum(x["at_global"] for x in rows)
    sp = sum(x["spurious"] for x in rows)
    close = sum(x["float_close_not_global"] for x in rows)
    found = sum(x["multistart_finds_global"] for x in rows)
    exact_t = sum(x["exact_seconds"] for x in rows)
    train_t = sum(x["train_seconds"] for x in rows)
    lines += ["", f"In all: {runs} runs, {at} end at the exact global minimum, {sp} at spurious "
              f"local minima, {runs - at - sp} elsewhere. The best of {r['runs_per_instance']} "
              f"runs reaches `L*` on {found} of {len(rows)} instances. Exact `L*` took "
              f"{exact_t:.3g} s in all, the runs (with their exact classification) {train_t:.3g} "
              "s."]
    if gaps:
        lines += ["", f"Spurious gaps `loss - L*` (exact, shown as decimals): smallest "
                  f"{gaps[0]:.3g}, median {statistics.median(gaps):.3g}, largest {gaps[-1]:.3g} "
                  "(figure `global_min.png`)."]
    close_sp = sum(x["float_close_spurious"] for x in rows)
    lines += ["", f"Endpoints whose float loss is within 1e-6 of `L*` but which are not certified "
              f"at `L*`: {close}; of these, {close_sp} are certified local minima with an exact "
              "loss above `L*` (spurious, by a margin floats cannot see) and the rest are "
              "endpoints the exact classification could not certify (near a kink, say). "
              + ("A float loss that close is not evidence of global optimality."
                 if close_sp else "None is spurious: at these sizes a float loss within 1e-6 of "
                 "`L*` never sat at a spurious minimum, but only the exact classification can "
                 "say so, and it could not certify every such endpoint."), ""]
    return "\n".join(lines)


def _figure(rows: list[dict[str, Any]], folder: Path) -> list[str]:
    plt = pyplot()
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4.4))
    groups = _groups(rows)
    labels = [f"({k[0]},{k[1]},{k[2]}) {'ReLU' if k[3] == '0' else 'leaky'}"
              f"{' +noise' if k[4] else ''}" for k in groups]
    tot = [sum(x["runs"] for x in g) for g in groups.values()]
    parts = [("at_global", "at L*", "tab:green"), ("spurious", "spurious", "tab:red"),
             ("other", "other", "tab:gray")]
    bottom = [0.0] * len(tot)
    for key, name, color in parts:
        frac = [sum(x[key] for x in g) / t for g, t in zip(groups.values(), tot)]
        a.bar(range(len(tot)), frac, bottom=bottom, label=name, color=color)
        bottom = [u + v for u, v in zip(bottom, frac)]
    a.set_xticks(range(len(tot)), labels, fontsize=6, rotation=90)
    a.set_ylabel("fraction of runs")
    a.set_title("training endpoints, classified exactly")
    a.legend(fontsize=7)
    gaps = [v for x in rows for v in x["gaps"] if v > 0]
    if gaps:
        import math

        b.hist([math.log10(v) for v in gaps], bins=20, color="tab:red")
    b.set_xlabel("log10(loss - L*) of spurious endpoints (exact)")
    b.set_ylabel("runs")
    b.set_title("how far above the global minimum")
    fig.tight_layout()
    names = save_figure(fig, folder, STEM)
    plt.close(fig)
    return names
