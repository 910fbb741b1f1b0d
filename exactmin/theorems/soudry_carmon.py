"""Soudry & Carmon 2016, "No bad local minima: data independent training error guarantees for
multilayer neural networks" (arXiv:1605.08361), one hidden layer.

Theorem (as checked here): leaky ReLU (``rho`` not in {0, 1}), squared loss, no biases, a
dropout-like noise realization with entries from a continuous distribution, and
``N <= d0*d1``: for almost every (X, E), every differentiable local minimum (DLM) has zero
training error.

exactmin decides the conclusion exactly on one instance: :func:`certify` returns
:class:`~exactmin.results.Certified` (no DLM with nonzero loss),
:class:`~exactmin.results.Refuted` (an exact counterexample, re-verified) or
:class:`~exactmin.results.Inconclusive`. :func:`hypotheses` says which hypotheses hold, and
:func:`find_counterexample` searches and shrinks instances that break the conclusion once a
hypothesis is dropped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from exactmin.arith import fmt, to_fraction, to_int
from exactmin.certificates.soudry_carmon import certified_certificate, refutation_certificate
from exactmin.decide import PointReport, analyze_point
from exactmin.decide.deep import DeepPointReport, analyze_deep_point
from exactmin.errors import InternalError
from exactmin.geometry import general_position_violation
from exactmin.models import Instance, Point, random_instance
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.results import (
    BadRegion,
    Certified,
    Counterexample,
    Hypothesis,
    Inconclusive,
    Refuted,
    Result,
)
from exactmin.search import ScanOptions, scan_regions, shrink_instance

__all__ = [
    "CITATION",
    "CounterexampleSearch",
    "certify",
    "find_counterexample",
    "hypotheses",
    "unmet",
    "verify_point",
]

PAPER = "soudry_carmon"  # the theorem field of results (their --json output)
CITATION = (
    "D. Soudry and Y. Carmon, No bad local minima: Data independent training error guarantees "
    "for multilayer neural networks, arXiv:1605.08361 (2016)"
)

def hypotheses(instance: Instance) -> tuple[Hypothesis, ...]:
    """The theorem's hypotheses, each with whether ``instance`` meets it.

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> [(h.key, h.holds) for h in hypotheses(inst)]
    [('overparameterized', True), ('leaky', True), ('noise', False), ('general_position', True)]
    """
    d0, d1, N = instance.d0, instance.d1, instance.N
    gp = general_position_violation(instance.X)
    return (
        Hypothesis("overparameterized", "N <= d0*d1", N <= d0 * d1, f"N={N}, d0*d1={d0 * d1}"),
        Hypothesis(
            "leaky", "rho not in {0, 1}", instance.rho not in (0, 1), f"rho={fmt(instance.rho)}"
        ),
        _noise_hypothesis(instance),
        Hypothesis(
            "general_position",
            "data in general position (every min(N, d0) columns of X independent)",
            gp is None,
            "yes" if gp is None else f"columns {list(gp)} of X are linearly dependent",
        ),
    )


def _noise_hypothesis(instance: Instance) -> Hypothesis:
    statement = "dropout-like noise realization present (no unit's noise constant over samples)"
    if instance.noise is None:
        return Hypothesis("noise", statement, False, "no noise (all E_in = 1)")
    constant = [i for i, row in enumerate(instance.noise) if instance.N > 1 and len(set(row)) == 1]
    if constant:
        return Hypothesis(
            "noise", statement, False,
            f"noise rows {constant} are constant: that only rescales z_i, as if without noise",
        )
    if instance.N == 1:
        return Hypothesis("noise", statement, True,
                          "N = 1: each unit's noise is a single number (it only rescales z_i), "
                          "so the hypothesis holds vacuously; with one sample rank K = N "
                          "whenever x_1 != 0")
    return Hypothesis("noise", statement, True, "noise given")


def unmet(instance: Instance) -> list[str]:
    """Keys of the hypotheses ``instance`` does not meet (empty: the theorem applies).

    >>> unmet(Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0))
    ['leaky', 'noise']
    """
    return [h.key for h in hypotheses(instance) if not h.holds]


def certify(
    instance: Instance,
    *,
    census: bool = False,
    budget: float | None = None,
    force: bool = False,
    backend: str | None = None,
    certificate: bool = False,
    engine: str = "fast",
    workers: int = 1,
    progress: bool = False,
    checkpoint: str | None = None,
    list_bad: bool = False,
) -> Result:
    """Decide exactly whether some DLM of ``instance`` has nonzero training loss.

    Parameters
    ----------
    instance : Instance
    census : bool
        Decide every differentiable region (DLM existence, rank, loss) instead of stopping at
        the first bad DLM.
    budget : float or None
        Seconds; when exceeded the result is :class:`Inconclusive` with partial counts.
    force : bool
        Run even when the work is estimated above ten minutes (otherwise
        :class:`~exactmin.errors.TooExpensive` is raised with the estimate).
    backend : linear-algebra backend (``"flint"`` or ``"python"``), None for the fastest.
    certificate : bool
        Attach ``result.certificate``: the JSON-ready certificate (docs/certificate-format.md)
        that ``python -m exactmin.check`` re-verifies. Refutations always carry one.
    engine : ``"fast"`` (default: depth-first search with null spaces mod a prime, certifying
        full-rank subtrees at once) or ``"naive"`` (every ordered tuple decided exactly, the
        reference). Both give identical verdicts, counts and losses; with ``census=True`` every
        region needs its own LP decision and both run the plain enumeration.
    workers : int
        Processes for the fast engine (large runs without a certificate); the verdict, counts
        and counterexample do not depend on it.
    progress : bool
        Progress bar on stderr (regions decided, rate, ETA) for runs longer than a second.
    checkpoint : str or None
        File for resumable ``census`` runs (saved every few seconds and on interruption).
    list_bad : bool
        With ``census``: attach ``result.bad_regions``, every region holding a DLM with nonzero
        loss, with its loss and one exact DLM (:class:`~exactmin.results.BadRegion`).

    Returns
    -------
    Certified, Refuted or Inconclusive

    Notes
    -----
    For each region (one open cone per hidden unit) the prediction is ``K^T v``; every DLM of the
    region has the least-squares residual ``e`` with ``K e = 0``, so its loss is the region's
    least-squares loss; whether a DLM exists is an exact LP over the sign choices of ``z``
    (``+1, -1, 0``). See proofs/soudry_carmon.md.

    References
    ----------
    Soudry & Carmon, arXiv:1605.08361, Theorem 1 and Lemma 4.

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> certify(inst, census=True)
    Refuted(36/36 regions, 28 full rank: bad DLM with loss 1/3)
    >>> certify(inst.replace(noise=[["3/2", "4/5", "6/5"], ["7/10", 1, "13/10"]]))
    Certified(36/36 regions, 36 full rank: every DLM has zero training loss)
    """
    outcome = scan_regions(instance, ScanOptions(
        census=census, budget=budget, force=force, backend=backend, witnesses=certificate,
        engine=engine, workers=workers, progress=progress, checkpoint=checkpoint,
        list_bad=list_bad))
    bad = None
    if list_bad:
        units = outcome.units
        bad = tuple(BadRegion(idx, tuple(units[k].signs for k in idx), dec.loss, dec.dlm, w)
                    for idx, dec, w in outcome.bad_regions)
    hyps = hypotheses(instance)
    c = outcome.census
    if outcome.bad is not None:
        if outcome.bad.dlm is None:
            raise InternalError("a bad region without its DLM point")
        report = analyze_point(instance, outcome.bad.dlm)
        _recheck_counterexample(report, outcome.bad.loss)
        return Refuted(
            instance, c, hyps, counterexample=Counterexample(report, outcome.bad.rank),
            certificate=refutation_certificate(instance, report), theorem=PAPER,
            bad_regions=bad,
        )
    if outcome.stopped is not None:
        return Inconclusive(instance, c, hyps, reason=outcome.stopped, theorem=PAPER,
                            bad_regions=bad)
    cert = None
    if certificate and outcome.witnesses is not None:
        cert = certified_certificate(
            instance, outcome.units, outcome.witnesses, prime=outcome.prime
        )
    return Certified(instance, c, hyps, certificate=cert, theorem=PAPER, bad_regions=bad)


def _recheck_counterexample(report: PointReport, loss: Any) -> None:
    """Every printed counterexample is re-verified exactly; a failure here is a bug."""
    ok = (
        report.differentiable
        and report.critical is True
        and report.local_minimum is True
        and report.loss == loss
        and report.loss > 0
        and report.box_radius is not None
        and report.box_radius > 0
    )
    if not ok:
        raise InternalError(f"counterexample failed its exact re-check: {report}")


def verify_point(instance: Instance, W: Any, z: Any) -> PointReport:
    """Exactly decide whether ``(W, z)`` is differentiable, critical, a local minimum; its loss.

    Parameters
    ----------
    instance : Instance
    W : d1 x d0 rationals (ints, Fractions or 'p/q' strings)
    z : d1 rationals

    Examples
    --------
    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    >>> rep = verify_point(inst, [[-1, -1]], [1])
    >>> rep.local_minimum, rep.loss, rep.box_radius
    (True, Fraction(5, 2), Fraction(1, 2))
    """
    return analyze_point(instance, Point.from_lists(W, z, instance))


@dataclass(frozen=True)
class CounterexampleSearch:
    """Outcome of :func:`find_counterexample`.

    Attributes
    ----------
    found : Refuted or None (the shrunk instance's result)
    original : Instance or None, the first refuted random instance before shrinking
    violated : hypothesis keys the (shrunk) instance violates
    tried : number of random instances decided
    """

    found: Refuted | None
    original: Instance | None
    violated: tuple[str, ...]
    tried: int


def find_counterexample(
    d0: int,
    d1: int,
    N: int,
    rho: Any = "1/2",
    noise: bool = False,
    max_int: int = 3,
    seed: int = 0,
    tries: int = 200,
    degenerate: bool = False,
) -> CounterexampleSearch:
    """Search seeded random small-integer instances for a bad DLM, then shrink the first found.

    Parameters
    ----------
    d0, d1, N : sizes of the random instances
    rho : slope on ``u < 0``
    noise : draw a random positive noise realization
    max_int : data and labels are integers in ``[-max_int, max_int]``
    seed : the search's seed (instance k uses seed ``seed * 100003 + k``)
    tries : how many instances to decide
    degenerate : allow data not in general position

    Returns
    -------
    CounterexampleSearch
        Shrinking keeps the set of violated hypotheses unchanged, so the minimal instance breaks
        the conclusion for the same reason as the one found.

    Examples
    --------
    >>> out = find_counterexample(2, 2, 3, rho="1/2", seed=0)
    >>> out.violated, out.found.verdict, out.found.counterexample.loss > 0
    (('noise',), 'refuted', True)
    """
    d0 = to_int(d0, "d0", minimum=1)
    d1 = to_int(d1, "d1", minimum=1)
    N = to_int(N, "N", minimum=1)
    tries = to_int(tries, "tries", minimum=1)
    rho_q = to_fraction(rho, "rho")
    rng = random.Random(seed)
    for k in range(tries):
        inst = random_instance(
            d0, d1, N, rho_q, noise=noise, seed=rng.randrange(2**32), max_int=max_int,
            general_position=not degenerate,
        )
        if not any(inst.y):
            continue
        res = certify(inst, force=True)
        if isinstance(res, Refuted):
            broken = frozenset(unmet(inst))
            # keep a data point that defines a hyperplane: a lone zero point with W = 0 is a
            # valid but useless counterexample
            planes = _has_hyperplane(inst)
            small = shrink_instance(
                inst, lambda c: frozenset(unmet(c)) == broken
                and (_has_hyperplane(c) or not planes) and _refuted(c)
            )
            final = certify(small, force=True)
            assert isinstance(final, Refuted)
            return CounterexampleSearch(final, inst, tuple(unmet(small)), k + 1)
    return CounterexampleSearch(None, None, (), tries)


def _has_hyperplane(instance: Instance) -> bool:
    return any(any(row[n] for row in instance.X) for n in range(instance.N))


def _refuted(instance: Instance) -> bool:
    return isinstance(certify(instance, force=True), Refuted)


def verify_deep_point(instance: DeepInstance, point: Any) -> DeepPointReport:
    """Exactly what a point of a network of any depth is (:mod:`exactmin.decide.deep`).

    ``point`` is a :class:`~exactmin.models.deep.DeepPoint` or a point-file mapping
    (``{"weights": [W_1, ..., W_L, w_out]}``, or ``{"W", "z"}`` at depth 1).

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[1, 2], [1, 1]], "y": [1, 2], "widths": [2, 1, 1],
    ...                                "rho": 0})
    >>> verify_deep_point(inst, {"weights": [[[-1, -1]], [[1]]]}).local_minimum  # dead unit
    True
    """
    if not isinstance(point, DeepPoint):
        point = DeepPoint.from_dict(point, instance)
    else:
        point.check(instance)
    return analyze_deep_point(instance, point)
