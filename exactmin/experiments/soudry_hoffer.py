"""``exactmin experiment soudry-hoffer-volumes``: the volume ratio itself, next to the bound.

Soudry and Hoffer bound ``V(L_eps) / V(G)`` by ``exp(-gamma_eps N^{3/4} (d0 d1)^{1/4})`` for
Gaussian inputs with ``sqrt(N) < d0 <= N`` and ``N log^4 N / d0 < d1 < N``. Here: seeded Gaussian
data rationalized to two decimals, random labels +-1, ReLU and leaky (rho = 1/2), a ladder of N.
Where the data span at most 3 dimensions every volume is a rigorous enclosure over an exact
census; beyond, the sampling estimator (exact regions, Gaussian W, Wilson intervals) is used and
labelled so.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from exactmin.experiments import pyplot, save_figure
from exactmin.fileio import atomic_write
from exactmin.models import Instance
from exactmin.theorems.soudry_hoffer import interval, sample_volumes, volumes

__all__ = ["Settings", "gaussian_instance", "run"]

STEM = "soudry_hoffer_volumes"


@dataclass(frozen=True)
class Settings:
    """The ladder: ``exact`` sizes (d0, d1, N) with an exact census, ``sampled`` sizes with the
    sampling estimator, for each rho and seed."""

    exact: tuple[tuple[int, int, int], ...]
    sampled: tuple[tuple[int, int, int], ...]
    rhos: tuple[Fraction, ...]
    seeds: int
    samples: int
    label: str = field(default="full")

    @classmethod
    def quick(cls) -> "Settings":
        return cls(((2, 2, 3), (2, 2, 4), (2, 2, 5), (2, 3, 4)), (), (Fraction(0), Fraction(1, 2)),
                   2, 0, "quick")

    @classmethod
    def full(cls) -> "Settings":
        exact = (tuple((2, 2, N) for N in range(3, 9)) + tuple((2, N - 1, N) for N in range(4, 7))
                 + tuple((3, 2, N) for N in range(4, 8)))
        return cls(exact, ((3, 3, 9), (4, 3, 12)), (Fraction(0), Fraction(1, 2)), 4, 3000,
                   "full")


def gaussian_instance(d0: int, d1: int, N: int, rho: Fraction, seed: int) -> Instance:
    """Standard normal data rounded to two decimals, labels +-1 uniformly at random (seeded).

    >>> gaussian_instance(2, 2, 3, Fraction(1, 2), 0).y
    (Fraction(-1, 1), Fraction(-1, 1), Fraction(1, 1))
    """
    rng = random.Random(1000003 * seed + 7919 * N + 31 * d0 + d1)
    X = [[Fraction(round(rng.gauss(0.0, 1.0) * 100), 100) for _ in range(N)] for _ in range(d0)]
    y = [rng.choice((1, -1)) for _ in range(N)]
    return Instance.from_lists(X, y, d1, rho)


def _row(inst: Instance, seed: int, method: str, seconds: float, **values: Any) -> dict[str, Any]:
    return {"d0": inst.d0, "d1": inst.d1, "N": inst.N, "rho": str(inst.rho), "seed": seed,
            "method": method, "seconds": round(seconds, 3), **values}


def measure(s: Settings) -> list[dict[str, Any]]:
    rows = []
    for d0, d1, N in s.exact:
        for rho in s.rhos:
            for seed in range(s.seeds):
                inst = gaussian_instance(d0, d1, N, rho, seed)
                t0 = time.perf_counter()
                rep = volumes(inst, 0, force=True)
                rows.append(_row(
                    inst, seed, "exact", time.perf_counter() - t0,
                    V_bad=interval(rep.V_bad), V_global=interval(rep.V_global),
                    ratio=None if rep.ratio is None else interval(rep.ratio),
                    V_L_eps=None if rep.V_L_eps is None else interval(rep.V_L_eps),
                    ratio_eps=None if rep.ratio_eps is None else interval(rep.ratio_eps),
                    bound=None if rep.bound is None else interval(rep.bound),
                    bad_regions=rep.census.bad_dlm_regions, dlm_regions=rep.census.dlm_regions,
                    regions=rep.census.regions))
    for d0, d1, N in s.sampled:
        for rho in s.rhos:
            for seed in range(s.seeds):
                inst = gaussian_instance(d0, d1, N, rho, seed)
                t0 = time.perf_counter()
                est = sample_volumes(inst, s.samples, seed=seed)
                rows.append(_row(inst, seed, "sampling", time.perf_counter() - t0,
                                 V_bad=list(est.V_bad), V_global=list(est.V_global),
                                 bad_hits=est.bad_hits, global_hits=est.global_hits,
                                 samples=est.samples, confidence=est.confidence))
    return rows


def _bound(d0: int, d1: int, N: int, rho: str, eps: float = 0.0) -> float:
    base = max(d0 / N, eps) if rho != "0" else eps
    return math.exp(-0.23 * base ** 0.75 * N ** 0.75 * (d0 * d1) ** 0.25) if base else 1.0


def run(out: str | Path, quick: bool = False) -> dict[str, Any]:
    """Measure, then write ``soudry_hoffer_volumes.md`` (a section for docs/experiments.md),
    ``soudry_hoffer_volumes.json`` and the figure (PNG and SVG) into ``out``."""
    s = Settings.quick() if quick else Settings.full()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    results: dict[str, Any] = {"settings": s.label, "rows": measure(s)}
    results["seconds"] = round(time.perf_counter() - t0, 1)
    figures = _figure(results["rows"], folder)
    atomic_write(folder / f"{STEM}.json", json.dumps(results, indent=1) + "\n")
    atomic_write(folder / f"{STEM}.md", _markdown(results, s, figures))
    results["files"] = [f"{STEM}.md", f"{STEM}.json", *figures]
    return results


def rewrite(out: str | Path, quick: bool = False) -> None:
    """Rewrite the table and figure of ``out`` from its ``soudry_hoffer_volumes.json``."""
    folder = Path(out)
    results = json.loads((folder / f"{STEM}.json").read_text())
    s = Settings.quick() if quick else Settings.full()
    atomic_write(folder / f"{STEM}.md", _markdown(results, s, _figure(results["rows"], folder)))


def _mid(iv: list[str] | None) -> float | None:
    return None if iv is None else (float(iv[0]) + float(iv[1])) / 2


def _groups(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault((r["method"], r["rho"], r["d0"], r["d1"], r["N"]), []).append(r)
    return out


def _markdown(r: dict[str, Any], s: Settings, figures: list[str]) -> str:
    lines = [
        "## Soudry and Hoffer 2017: angular volume of regions holding bad minima", "",
        f"Written by `exactmin experiment soudry-hoffer-volumes{' --quick' if s.label == 'quick' else ''}` "
        f"(seeded; 2-core CPU; {r['seconds']} s). Data: standard normal entries rounded to two "
        "decimals, labels +-1 at random; one hidden layer without noise. `V_bad`: regions holding "
        "DLMs with nonzero loss; `V(G)`: regions holding zero-loss DLMs; `V(L_0)`: bad regions "
        "whose DLM misclassifies at least one point (sign of yhat, ties are errors). Exact rows: "
        "every volume a rigorous enclosure over the exact census (midpoints shown; widths below "
        "1e-15). Sampling rows: exact regions of Gaussian W, 99.9% Wilson intervals "
        "(statistical).", "",
        "| claim (paper) | our evidence | rigour |", "|---|---|---|",
        "| V(L_eps)/V(G) <= exp(-gamma_eps N^(3/4) (d0 d1)^(1/4)) w.h.p., for sqrt(N) < d0 <= N, "
        "N log^4 N / d0 < d1 < N | the ratio itself on seeded instances, next to the bound for "
        "their sizes | exact census, rigorous volume enclosures (sampling rows: statistical) |",
        "",
        "| method | rho | d0 | d1 | N | seeds | V_bad (mean) | V(G) (mean) | seeds with V(G) = 0 "
        "| V_bad/V(G) (median of finite) | V(L_0)/V(G) (median of finite) | bound (eps = 0) | "
        "time per instance (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (method, rho, d0, d1, N), rows in _groups(r["rows"]).items():
        vb = [_mid(x["V_bad"]) or 0.0 for x in rows]
        vg = [_mid(x["V_global"]) or 0.0 for x in rows]
        if method == "exact":
            zero_s = f"{sum(1 for x in rows if float(x['V_global'][1]) == 0)}/{len(rows)}"
            vg_s = f"{sum(vg) / len(vg):.3g}"
        else:  # statistical: say what was seen
            hits = sum(x["global_hits"] for x in rows)
            zero_s = f"{sum(1 for x in rows if x['global_hits'] == 0)}/{len(rows)} (no hit)"
            vg_s = f"{hits} hits in {sum(x['samples'] for x in rows)} draws"
        ratios = sorted(_mid(x.get("ratio")) for x in rows if x.get("ratio") is not None)
        reps = sorted(_mid(x.get("ratio_eps")) for x in rows if x.get("ratio_eps") is not None)

        def med(v: list[Any]) -> str:
            return "-" if not v else f"{v[len(v) // 2]:.3g}"

        ratio_s = med(ratios) if method == "exact" else "-"
        reps_s = med(reps) if method == "exact" else "-"
        secs = sum(x["seconds"] for x in rows) / len(rows)
        lines.append(f"| {method} | {rho} | {d0} | {d1} | {N} | {len(rows)} | "
                     f"{sum(vb) / len(vb):.3g} | {vg_s} | {zero_s} | "
                     f"{ratio_s} | {reps_s} | {_bound(d0, d1, N, rho):.3g} | {secs:.2g} |")
    finite = [_mid(x["ratio"]) or 0.0 for x in r["rows"] if x.get("ratio") is not None]
    span = (f"Finite ratios V_bad/V(G) here range from {min(finite):.2g} to {max(finite):.2g} "
            f"over {len(finite)} instances: regions holding bad minima are not small next to "
            "those holding global minima at these sizes. " if finite else "")
    lines += [
        "", span + "What this shows, honestly: at every size here the paper's size assumptions fail "
        "(`N log^4 N / d0 < d1` needs thousands of units for N >= 3), so the bound is not a "
        "prediction for these instances; it is printed for scale. With N below d0*d1 most "
        "instances have zero-loss regions and the ratio is finite; as N passes d0*d1, V(G) "
        "drops to 0 (no region interpolates) and the ratio is infinite: the regime the paper "
        "excludes by taking d1 large. The trend to watch is how the ratio moves with N at fixed "
        "d0, d1; the asymptotic exponential decay needs sizes beyond exact enumeration.", "",
        "Figures: " + (", ".join(f"[{f}]({f})" for f in figures) if figures else "none"), ""]
    return "\n".join(lines)


def _figure(rows: list[dict[str, Any]], folder: Path) -> list[str]:
    plt = pyplot()

    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(9, 4.4))
    groups = _groups([x for x in rows if x["method"] == "exact"])
    series: dict[tuple[Any, ...], list[tuple[int, float]]] = {}
    infinite: dict[tuple[Any, ...], list[int]] = {}
    for (_, rho, d0, d1, N), rs in groups.items():
        for x in rs:
            key = (rho, d0, d1)
            if x["ratio"] is None:
                infinite.setdefault(key, []).append(N)
            else:
                series.setdefault(key, []).append((N, _mid(x["ratio"]) or 0.0))
    top = max([v for pts in series.values() for _, v in pts] + [1.0]) * 10
    for k, (key, pts) in enumerate(sorted(series.items())):
        rho, d0, d1 = key
        name = f"{'ReLU' if rho == '0' else 'leaky'} d0={d0} d1={d1}"
        xs = [n + 0.06 * k for n, _ in pts]
        ax.scatter(xs, [max(v, 1e-12) for _, v in pts], s=14, label=f"V_bad/V(G), {name}")
        if key in infinite:
            ax.scatter([n + 0.06 * k for n in infinite[key]], [top] * len(infinite[key]),
                       marker="^", s=16, color="k")
    Ns = sorted({x["N"] for x in rows if x["method"] == "exact"})
    for d0, d1 in sorted({(x["d0"], x["d1"]) for x in rows if x["method"] == "exact"}):
        ax.plot(Ns, [_bound(d0, d1, N, "1/2") for N in Ns], "--",
                label=f"bound (leaky, eps=0) d0={d0} d1={d1}")
    ax.set_yscale("log")
    ax.set_xlabel("N (data points)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("V_bad / V(G) (rigorous enclosures, midpoints)")
    ax.set_title("Angular volume of bad vs global regions (triangles: V(G) = 0)", fontsize=9)
    met = [(x["d0"], x["d1"], x["N"]) for x in rows if x["method"] == "exact"
           and math.sqrt(x["N"]) < x["d0"] <= x["N"]
           and x["N"] * math.log(x["N"]) ** 4 / x["d0"] < x["d1"] < x["N"]]
    fig.text(0.01, 0.01, "The bound assumes Gaussian data, sqrt(N) < d0 <= N and N log^4 N / d0 < "
            f"d1 < N, and large N;\n{'no' if not met else len(met)} instance here meets the size "
            "assumptions, so ratios above the dashed lines contradict nothing.",
             fontsize=7, va="bottom")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    names = save_figure(fig, folder, STEM)
    plt.close(fig)
    return names


def plot_regions(instance: Instance, path: str | Path, eps: Any = 0) -> dict[str, Any]:
    """A teaching picture of one hidden unit's regions, coloured by what the census found there:
    red for the volume share of regions holding bad DLMs, green for zero-loss DLMs, grey for no
    DLM (given that this unit's weight lies in the region). ``d0 = 2``: sectors of the circle
    with each region's angular volume; ``d0 = 3``: both hemispheres of the sphere in an
    equal-area (Lambert azimuthal) projection. The volumes printed are rigorous enclosures'
    midpoints; the picture itself is a drawing.

    Returns ``{"path", "regions"}``."""
    plt = pyplot()
    import numpy as np

    if instance.d0 not in (2, 3):
        raise ValueError(f"d0={instance.d0}: the picture is for d0 = 2 (circle) or 3 (sphere)")
    rep = volumes(instance, eps, force=True)
    regions = [tuple(s) for s in rep.unit_signs]
    X = np.array([[float(v) for v in row] for row in instance.X])

    def colour(k: int) -> tuple[float, float, float]:
        b, g = (min(1.0, max(0.0, float(x.mid))) for x in rep.unit_shares[k])
        none = max(0.0, 1 - b - g)
        mix = [b * r + g * gr + none * gy for r, gr, gy in zip((0.85, 0.2, 0.2),
                                                               (0.15, 0.65, 0.25),
                                                               (0.8, 0.8, 0.8))]
        return (mix[0], mix[1], mix[2])

    if instance.d0 == 2:
        fig, ax = plt.subplots(figsize=(5.5, 5.5))
        angles = np.linspace(0, 2 * np.pi, 3601)[:-1]
        pts = np.stack([np.cos(angles), np.sin(angles)])
        signs = np.sign(X.T @ pts).astype(int)  # N x angles (drawing only)
        for k, s in enumerate(regions):
            mask = np.all((signs == np.array(s)[:, None]) | (np.array(s)[:, None] == 0), axis=0)
            ax.scatter(np.cos(angles[mask]), np.sin(angles[mask]), s=30, color=colour(k),
                       marker="s", linewidths=0)
            if mask.any():
                mid = angles[mask][len(angles[mask]) // 2]
                ax.text(1.25 * np.cos(mid), 1.25 * np.sin(mid),
                        f"{''.join('+' if v > 0 else '-' if v < 0 else '0' for v in s)}\n"
                        f"V={float(rep.unit_volumes[k].mid):.3f}", ha="center", va="center",
                        fontsize=6)
        for n in range(instance.N):
            x = X[:, n]
            if np.any(x):
                t = np.array([-x[1], x[0]]) / np.linalg.norm(x)
                ax.plot([-t[0], t[0]], [-t[1], t[1]], color="k", lw=0.5)
                ax.text(1.05 * t[0], 1.05 * t[1], f"x_{n}", fontsize=6, color="0.2",
                        ha="center", va="center")  # the line w . x_n = 0
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.6, 1.6)
        ax.set_aspect("equal")
        ax.axis("off")
    else:
        fig, axes = plt.subplots(1, 2, figsize=(8, 4.3))
        u = np.linspace(-1.414, 1.414, 500)
        U, V = np.meshgrid(u, u)
        r2 = U ** 2 + V ** 2
        inside = r2 < 2
        for ax, hemi in zip(axes, (1, -1)):
            f = np.sqrt(np.clip(1 - r2 / 4, 0, None))
            P = np.stack([U * f, V * f, hemi * (1 - r2 / 2)])  # Lambert azimuthal, equal area
            signs = np.sign(np.tensordot(X.T, P, axes=1)).astype(int)  # N x 500 x 500
            img = np.ones(U.shape + (3,))
            labels = []
            for k, s in enumerate(regions):
                mask = inside & np.all(signs == np.array(s)[:, None, None], axis=0)
                img[mask] = colour(k)
                if mask.sum() > 400:  # a label where the region shows enough to hold one
                    labels.append((float(U[mask].mean()), float(V[mask].mean()), k))
            ax.imshow(img, extent=(-1.414, 1.414, -1.414, 1.414), origin="lower")
            for cu, cv, k in labels:
                ax.text(cu, cv, f"R{k}", fontsize=5, ha="center", va="center")
            ax.set_title(f"{'upper' if hemi > 0 else 'lower'} hemisphere (w_3 {'>' if hemi > 0 else '<'} 0)",
                         fontsize=8)
            ax.axis("off")
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(color=(0.85, 0.15, 0.2), label="bad DLMs"),
                        Patch(color=(0.2, 0.65, 0.25), label="zero-loss DLMs"),
                        Patch(color=(0.8, 0.8, 0.8), label="no DLM")],
               loc="lower center", ncol=3, fontsize=7, frameon=False)
    if instance.d0 == 3:
        fig.text(0.5, 0.085, "R k: unit region k, in the order of the census (exactmin volumes "
                 "lists its signs)", ha="center", fontsize=6)
    b, g = float(rep.V_bad.mid), float(rep.V_global.mid)
    fig.suptitle("one unit's regions; colour: volume share, given this unit there, of regions\n"
                 "holding bad DLMs (red), zero-loss DLMs (green), no DLM (grey)\n"
                 f"V_bad = {b:.4g}, V_global = {g:.4g} (midpoints of rigorous enclosures)",
                 fontsize=8)
    import io

    from exactmin.fileio import atomic_write_bytes

    buf = io.BytesIO()  # the format from the suffix (png, svg, pdf); the file appears whole
    fig.savefig(buf, dpi=200, format=Path(path).suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())
    return {"path": str(path), "regions": len(regions)}

