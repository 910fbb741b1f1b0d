"""Soudry & Hoffer 2017, "Exponentially vanishing sub-optimal local minima in multilayer neural
networks" (arXiv:1702.05777): angular volumes of the regions holding bad and global minima.

The angular volume of a set of hidden weights is the probability that i.i.d. standard Gaussian
weights land in it. A differentiable region is a product of one open cone per hidden unit and the
rows of ``W`` are independent, so its volume is the product of its units' cone volumes
(:func:`exactmin.geometry.volumes.region_volume`). The census (exact, as for Soudry-Carmon)
labels every region; :func:`volumes` sums the volumes of the regions holding DLMs with nonzero
loss (``V_bad``), with zero loss (``V_global``), and with classification error above ``eps``
(``V_L_eps``), and puts the paper's bound next to them. See docs/papers/soudry_hoffer.md and
proofs/soudry_hoffer.md.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import arb

from exactmin.arith import fmt, to_fraction
from exactmin.arith.balls import enclosure, exact_ball, interval, precision
from exactmin.arith.interval import Interval
from exactmin.decide import RegionDecider
from exactmin.errors import InvalidInput
from exactmin.geometry import enumerate_regions
from exactmin.geometry.volumes import MAX_EXACT_RANK, cone_rank, region_volume
from exactmin.models import Instance
from exactmin.protocol import ResultProtocol
from exactmin.results import Census
from exactmin.search import ScanOptions, scan_regions
from exactmin.theorems.paper import Paper

__all__ = ["CITATION", "SampledVolumes", "VolumeReport", "assumptions", "bound",
           "classification_error", "interval", "sample_volumes", "volumes"]

PAPER = "soudry_hoffer"
CITATION = ("D. Soudry and E. Hoffer, Exponentially vanishing sub-optimal local minima in "
            "multilayer neural networks, arXiv:1702.05777 (2017)")
BITS = 128


def classification_error(y: tuple[Fraction, ...], yhat: tuple[Fraction, ...]) -> Fraction | None:
    """Fraction of data points misclassified, for labels in {+1, -1} (predicted class: the sign
    of ``yhat``) or {0, 1} (class 1 when ``yhat > 1/2``, 0 when ``yhat < 1/2``); a tie
    (``yhat`` exactly on the threshold) counts as an error. None for other labels.

    >>> classification_error((1, -1, 1), (Fraction(1, 2), Fraction(0), Fraction(-1)))
    Fraction(2, 3)
    """
    labels = set(y)
    if labels <= {1, -1}:
        wrong = sum(1 for t, p in zip(y, yhat) if p * t <= 0)
    elif labels <= {0, 1}:
        half = Fraction(1, 2)
        wrong = sum(1 for t, p in zip(y, yhat) if (p - half) * (2 * t - 1) <= 0)
    else:
        return None
    return Fraction(wrong, len(y))


def bound(instance: Instance, eps: Fraction) -> Interval:
    """The paper's ``exp(-gamma_eps N^{3/4} (d0 d1)^{1/4})`` for the instance's sizes, with
    ``gamma_eps = 0.23 max(d0/N, eps)^{3/4}`` (leaky) or ``0.23 eps^{3/4}`` (ReLU), ``d0/N``
    standing for the paper's ``lim d0/N``.

    >>> inst = Instance.from_lists([[1, 2, 3, 4]], [1, -1, 1, -1], d1=2, rho="1/2")
    >>> interval(bound(inst, Fraction(1, 10)), 4)
    ['0.7606', '0.7607']
    """
    with precision(BITS):
        base = max(Fraction(instance.d0, instance.N), eps) if instance.rho != 0 else eps
        if base == 0:
            return Interval(Fraction(1), Fraction(1))
        gamma = exact_ball(Fraction(23, 100)) * (exact_ball(base).log() * 3 / 4).exp()
        size = (arb(instance.N).log() * 3 / 4 + arb(instance.d0 * instance.d1).log() / 4).exp()
        return enclosure((-gamma * size).exp())


def assumptions(instance: Instance) -> dict[str, Any]:
    """The paper's size assumptions on this instance: ``sqrt(N) < d0 <= N`` and
    ``N log^4 N / d0 < d1 < N`` (Gaussian inputs are a hypothesis about how X was drawn, which
    one instance cannot show)."""
    N, d0, d1 = instance.N, instance.d0, instance.d1
    low = N * math.log(N) ** 4 / d0 if N > 1 else 0.0
    return {"sqrt_N_lt_d0_le_N": math.isqrt(N) ** 2 < d0 * d0 and math.sqrt(N) < d0 <= N,
            "N_log4N_over_d0_lt_d1_lt_N": low < d1 < N,
            "detail": f"sqrt(N) = {math.sqrt(N):.4g}, d0 = {d0}, N = {N}; "
                      f"N log^4 N / d0 = {low:.4g}, d1 = {d1}"}


@dataclass(frozen=True)
class VolumeReport(ResultProtocol):
    """Volumes of the regions a census labelled (every enclosure rigorous, an exact Interval).

    Attributes
    ----------
    instance, census : the instance and its complete census
    unit_signs : the unit regions' sign vectors, sorted (+1 before -1, lexicographically)
    unit_volumes : their angular volumes, in that order (the same for every hidden unit)
    V_bad, V_global : total volume of regions holding DLMs with nonzero / zero loss
    ratio : ``V_bad / V_global``, None when no region holds a zero-loss DLM
    eps : the classification-error threshold
    V_L_eps : volume of regions holding nonzero-loss DLMs with classification error > eps
        (None unless the labels are in {+1, -1} or {0, 1})
    ratio_eps : ``V_L_eps / V_global`` (None as above)
    bound : the paper's bound for these sizes (None unless the labels are classes)
    unit_shares : per unit region (in ``unit_signs`` order), ``(P(bad | w_1 there), P(global |
        w_1 there))``: the volume share of the regions holding bad / zero-loss DLMs among those
        whose first unit lies in it (the same for every unit by symmetry without noise)
    """

    instance: Instance
    census: Census
    unit_signs: tuple[tuple[int, ...], ...]
    unit_volumes: tuple[Interval, ...]
    V_bad: Interval
    V_global: Interval
    ratio: Interval | None
    eps: Fraction
    V_L_eps: Interval | None
    ratio_eps: Interval | None
    bound: Interval | None
    unit_shares: tuple[tuple[Interval, Interval], ...] = ()

    def __repr__(self) -> str:
        r = "null" if self.ratio is None else interval(self.ratio, 4)
        return (f"VolumeReport(V_bad in {interval(self.V_bad, 4)}, V_global in "
                f"{interval(self.V_global, 4)}, ratio {r})")

    def to_dict(self) -> dict[str, Any]:
        def iv(x: Interval | None) -> list[str] | None:
            return None if x is None else x.to_strings()

        c = self.census
        return {
            "theorem": PAPER, "method": "exact", "d0": self.instance.d0,
            "d1": self.instance.d1, "N": self.instance.N, "rho": fmt(self.instance.rho),
            "noise": self.instance.noise is not None, "regions": c.regions,
            "dlm_regions": c.dlm_regions, "bad_dlm_regions": c.bad_dlm_regions,
            "V_bad": iv(self.V_bad), "V_global": iv(self.V_global), "ratio": iv(self.ratio),
            "eps": fmt(self.eps), "V_L_eps": iv(self.V_L_eps), "ratio_eps": iv(self.ratio_eps),
            "bound": iv(self.bound), "assumptions": assumptions(self.instance),
            "unit_region_signs": [list(s) for s in self.unit_signs],
            "unit_shares": [{"bad": b.to_strings(), "global": g.to_strings()}
                            for b, g in self.unit_shares],
            "unit_volumes": [[v.to_strings() for v in self.unit_volumes]
                             for _ in range(self.instance.d1)],
        }


def _sort_key(signs: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-s for s in signs)  # +1 before 0 before -1, lexicographically


def volumes(instance: Instance, eps: Any = 0, *, force: bool = False,
            budget: float | None = None, workers: int = 1,
            progress: bool = False) -> VolumeReport:
    """The census of ``instance`` weighted by angular volumes (module docstring).

    Parameters
    ----------
    instance : Instance whose data span at most 3 dimensions (else :func:`sample_volumes`)
    eps : classification-error threshold in [0, 1) for ``V_L_eps`` (default 0)
    force, budget, workers, progress : as for the census (:func:`exactmin.certify`)

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> rep = volumes(inst)
    >>> rep.census.bad_dlm_regions, interval(rep.V_bad, 6), interval(rep.V_global, 6)
    (8, ['0.455859', '0.45586'], ['0.0492966', '0.0492967'])
    """
    eps_q = to_fraction(eps, "eps")
    if not 0 <= eps_q < 1:
        raise InvalidInput(f"eps={fmt(eps_q)} must be in [0, 1) (a classification error rate)")
    r = cone_rank(instance.X)
    if r > MAX_EXACT_RANK:
        raise InvalidInput(f"the data span {r} dimensions; exact solid angles are for at most "
                           f"{MAX_EXACT_RANK} (use sample_volumes, or the command's --samples)")
    outcome = scan_regions(instance, ScanOptions(census=True, list_dlm=True, force=force,
                                                 budget=budget, workers=workers,
                                                 progress=progress))
    if not outcome.census.complete:
        raise InvalidInput(f"the census did not finish ({outcome.stopped}); volumes need every "
                           "region decided: raise the budget")
    units = outcome.units
    with precision(BITS):
        vol = [region_volume(instance.X, u.signs, BITS) for u in units]
        V_bad, V_global, V_eps = arb(0), arb(0), arb(0)
        classes = classification_error(instance.y, instance.y) is not None
        share = [[arb(0), arb(0)] for _ in units]  # volume with the first unit in region k
        d1 = instance.d1
        for idx, dec, weight in outcome.bad_regions:
            v = arb(weight)
            for k in idx:
                v *= vol[k]
            for k in set(idx):  # of the orderings, a fraction count/d1 put region k first
                share[k][dec.loss == 0] += v * idx.count(k) / d1
            if dec.loss == 0:
                V_global += v
                continue
            V_bad += v
            yhat = tuple(t + e for t, e in zip(instance.y, dec.residual))
            err = classification_error(instance.y, yhat)
            if err is not None and err > eps_q:
                V_eps += v
        positive = V_global > 0
        order = sorted(range(len(units)), key=lambda k: _sort_key(units[k].signs))
        E = enclosure
        return VolumeReport(
            instance, outcome.census, tuple(units[k].signs for k in order),
            tuple(E(vol[k]) for k in order), E(V_bad), E(V_global),
            E(V_bad / V_global) if positive else None, eps_q,
            E(V_eps) if classes else None, E(V_eps / V_global) if classes and positive else None,
            bound(instance, eps_q) if classes else None,
            tuple((E(share[k][0] / vol[k]), E(share[k][1] / vol[k])) for k in order))


@dataclass(frozen=True)
class SampledVolumes(ResultProtocol):
    """Outcome of :func:`sample_volumes`: hit counts and Wilson intervals (statistical, at
    ``confidence`` each), never enclosures."""

    samples: int
    bad_hits: int
    global_hits: int
    V_bad: tuple[float, float]
    V_global: tuple[float, float]
    confidence: float
    regions_decided: int

    def to_dict(self) -> dict[str, Any]:
        return {"method": "sampling", "samples": self.samples, "bad_hits": self.bad_hits,
                "global_hits": self.global_hits, "V_bad": list(self.V_bad),
                "V_global": list(self.V_global), "confidence": self.confidence,
                "regions_decided": self.regions_decided}


def _wilson(hits: int, n: int, confidence: float) -> tuple[float, float]:
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def sample_volumes(instance: Instance, samples: int = 2000, seed: int = 0,
                   confidence: float = 0.999) -> SampledVolumes:
    """Estimate ``V_bad`` and ``V_global`` for any size: draw Gaussian ``W`` (seeded), take each
    float entry as the exact rational it is, find its region exactly, decide that region exactly
    (each region once) and count. Wilson score intervals at ``confidence``.

    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> s = sample_volumes(inst, 3000, seed=0)
    >>> s.V_bad[0] < 0.45586 < s.V_bad[1], s.V_global[0] < 0.049297 < s.V_global[1]
    (True, True)
    """
    samples = int(samples)
    if samples < 1:
        raise InvalidInput(f"samples={samples} must be >= 1")
    rng = random.Random(seed)
    cols = [tuple(row[n] for row in instance.X) for n in range(instance.N)]
    units = {u.signs: u for u in enumerate_regions(instance.X)}
    cache: dict[tuple[tuple[int, ...], ...], Any] = {}
    decide = RegionDecider(instance)
    bad = good = 0
    for _ in range(samples):
        signs = []
        for _i in range(instance.d1):
            w = [Fraction(rng.gauss(0.0, 1.0)) for _ in range(instance.d0)]
            dots = [sum((a * b for a, b in zip(w, x)), Fraction(0)) for x in cols]
            signs.append(tuple((d > 0) - (d < 0) for d in dots))
        key = tuple(signs) if instance.noise is not None else tuple(sorted(signs))
        if key not in cache:
            if any(s not in units for s in key):  # a zero w.x_n: probability 0
                continue
            cache[key] = decide([units[s] for s in key], point=False)  # loss, DLM or not
        dec = cache[key]
        if dec.has_dlm:
            bad += dec.loss != 0
            good += dec.loss == 0
    return SampledVolumes(samples, bad, good, _wilson(bad, samples, confidence),
                          _wilson(good, samples, confidence), confidence, len(cache))


PAPER_INFO = Paper(
    id=PAPER, title="Exponentially vanishing sub-optimal local minima in multilayer neural "
    "networks (angular volumes)", citation=CITATION,
    theorems=(),  # its volumes travel in the census certificate (soudry_carmon/census)
    commands=("volumes", "plot"),
    experiments=("soudry-hoffer-volumes", "soudry-hoffer-scan",
                 "soudry-hoffer-differentiable"), example="08_angular_volumes.py", proof="soudry_hoffer.md",
    docs="soudry_hoffer.md", corpus=("soudry_carmon_census",),
    properties="test_soudry_hoffer.py")
