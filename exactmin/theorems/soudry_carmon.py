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

import contextlib
import itertools
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from exactmin.arith import fmt, fmt_matrix, fmt_vector, to_fraction, to_int
from exactmin.certificates import deep as _deep_cert
from exactmin.certificates import soudry_carmon as _cert
from exactmin.certificates.deep import restricted_certificate
from exactmin.certificates.soudry_carmon import (
    census_certificate,
    certified_certificate,
    refutation_certificate,
)
from exactmin.decide import PointReport, analyze_point
from exactmin.decide.deep import DeepPointReport, analyze_deep_point
from exactmin.decide.soudry_carmon_kinks import KinkReport, decide_point
from exactmin.errors import InternalError, InvalidInput, NoCertificate
from exactmin.geometry import general_position_violation
from exactmin.models import Instance, Point, random_instance
from exactmin.models.deep import DeepInstance, DeepPoint, lower_layers, restricted_instance
from exactmin.models.network import loss as exact_loss
from exactmin.protocol import ResultProtocol
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
from exactmin.search.all_minima import AllMinimaOutcome, scan_faces
from exactmin.search.global_min import GlobalOutcome, closed_pieces
from exactmin.theorems.paper import Paper

__all__ = [
    "CITATION",
    "CounterexampleSearch",
    "SpuriousSearch",
    "AllMinima",
    "GlobalMinimum",
    "RestrictedResult",
    "all_minima",
    "certify",
    "find_spurious",
    "global_minimum",
    "DeepCounterexample",
    "certify_restricted",
    "find_counterexample",
    "find_deep_counterexample",
    "hypotheses",
    "unmet",
    "verify_point",
]

PAPER = "soudry_carmon"  # the theorem field of results (their --json output)
CITATION = (
    "D. Soudry and Y. Carmon, No bad local minima: Data independent training error guarantees "
    "for multilayer neural networks, arXiv:1605.08361 (2016)"
)

@dataclass(frozen=True)
class AllMinima(ResultProtocol):
    """Every local minimum of a one-hidden-layer instance, differentiable or not
    (:func:`all_minima`): ``verdict`` is ``certified`` (every local minimum has zero loss),
    ``refuted`` (``counterexample`` is an exact bad local minimum) or ``inconclusive``."""

    instance: Instance
    outcome: AllMinimaOutcome

    @property
    def verdict(self) -> str:
        o = self.outcome
        return "refuted" if o.bad_losses else "certified" if o.complete else "inconclusive"

    def __repr__(self) -> str:
        o = self.outcome
        return (f"AllMinima({self.verdict}: {o.examined:,}/{o.combinations:,} face combinations, "
                f"{o.bad_combinations:,} with a bad local minimum)")

    def to_dict(self) -> dict[str, Any]:
        o = self.outcome
        return {"verdict": self.verdict, "bad_losses": [fmt(q) for q in o.bad_losses],
                "bad_losses_nondifferentiable": [fmt(q) for q in o.bad_losses_nondifferentiable],
                "unit_faces": o.unit_faces, "faces": o.combinations,
                "faces_examined": o.examined, "faces_with_minima": o.minima_combinations,
                "faces_with_bad_minima": o.bad_combinations, "complete": o.complete,
                "global_minimum": None if o.global_minimum is None else fmt(o.global_minimum),
                "spurious_losses": [fmt(q) for q in o.spurious_losses],
                **({"reason": o.stopped} if o.stopped else {}),
                "counterexample": None if o.counterexample is None else {
                    "W": fmt_matrix(o.counterexample.W), "z": fmt_vector(o.counterexample.z)}}


def all_minima(instance: Instance, *, force: bool = False, budget: float | None = None,
               progress: bool = False) -> AllMinima:
    """Decide whether every local minimum, differentiable or not, has zero loss: every face of
    each unit's arrangement (cones of every dimension, ``w_i = 0`` included) and every sign of
    ``z_i``, one exact LP each (:mod:`exactmin.search.all_minima`;
    proofs/nondifferentiable_minima.md). A refutation's point is re-decided by the point
    decider. No certificate yet (``verify-point --out`` certifies any single point).

    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2",
    ...                            noise=[["3/2", "4/5", "6/5"], ["7/10", 1, "13/10"]])
    >>> all_minima(inst, force=True).verdict  # no bad minimum at a kink either
    'certified'
    """
    return AllMinima(instance, scan_faces(instance, force=force, budget=budget,
                                          progress=progress))


@dataclass(frozen=True)
class GlobalMinimum(ResultProtocol):
    """The exact global minimum ``L*`` of a one-hidden-layer instance (:func:`global_minimum`).

    ``verdict`` is ``decided`` (``value`` is ``L*`` and ``point`` attains it, its loss
    recomputed in the original parametrization) or ``inconclusive`` (a budget ran out:
    ``value`` is the best loss found, an upper bound, and the lower bound is 0)."""

    instance: Instance
    outcome: GlobalOutcome
    seconds: float
    how: str

    @property
    def verdict(self) -> str:
        return "decided" if self.outcome.complete and self.value is not None else "inconclusive"

    @property
    def value(self) -> Fraction | None:
        return self.outcome.value

    @property
    def point(self) -> Point | None:
        return self.outcome.point

    def certificate(self) -> dict[str, Any]:
        """The ``soudry_carmon/global_minimum`` certificate of a decided ``L*`` (the point, the
        regions, and an exact dual bound per closed piece; docs/certificates/)."""
        if self.verdict != "decided" or self.value is None or self.point is None:
            raise NoCertificate("the global minimum is not decided (the budget ran out): rerun "
                                "without a budget")
        return _cert.global_minimum_certificate(self.instance, self.outcome)

    def __repr__(self) -> str:
        v = "?" if self.value is None else fmt(self.value)
        return f"GlobalMinimum({self.verdict}: L* {'=' if self.verdict == 'decided' else '<='} {v})"

    def to_dict(self) -> dict[str, Any]:
        o, p = self.outcome, self.point
        decided = self.verdict == "decided"
        return {"verdict": self.verdict,
                "global_minimum": fmt(o.value) if decided and o.value is not None else None,
                "upper_bound": None if o.value is None else fmt(o.value),
                "lower_bound": fmt(o.value) if decided and o.value is not None else "0",
                "point": None if p is None else {"W": fmt_matrix(p.W), "z": fmt_vector(p.z)},
                "how": self.how, "unit_regions": len(o.units), "pieces": o.pieces,
                "pieces_examined": o.examined, "pieces_by_least_squares": o.least_squares,
                "complete": o.complete, "seconds": round(self.seconds, 3),
                **({"reason": o.stopped} if o.stopped and not decided else {})}


def global_minimum(instance: Instance, *, force: bool = False, budget: float | None = None,
                   progress: bool = False, workers: int = 1,
                   scheduler: str | None = None) -> GlobalMinimum:
    """The exact global minimum ``L*`` of the loss and a point attaining it.

    Every point lies in a closed piece (a sign of each ``z_i`` and a region of the data's
    arrangement per unit), where the loss is a convex quadratic over a cone; ``L*`` is the
    smallest piece minimum, each piece bounded exactly (:mod:`exactmin.search.global_min`;
    proofs/global_minimum.md). A zero-loss piece ends the search (then ``L* = 0``).
    ``.certificate()`` is the ``soudry_carmon/global_minimum`` certificate (the point, the
    regions and a dual bound per closed piece). ``workers`` (local processes) or ``scheduler``
    (a Dask scheduler address or ``local[:N]``) split the pieces; the result does not depend on
    them.

    >>> inst = Instance.from_lists([[1, 2], [1, 1]], [1, -2], d1=1, rho=0)
    >>> g = global_minimum(inst)
    >>> g.verdict, g.value, g.point is not None
    ('decided', Fraction(1, 2), True)
    """
    import time

    start = time.perf_counter()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInput(f"workers={workers!r} must be an integer >= 1")
    if budget is not None and not budget > 0:
        raise InvalidInput(f"budget={budget!r} must be a positive number of seconds")
    out = closed_pieces(instance, force=force, budget=budget, progress=progress,
                        workers=workers, scheduler=scheduler)
    if out.point is not None and exact_loss(instance, out.point) != out.value:
        raise InternalError("the global minimum's point does not have its loss")
    how = ("a point with zero loss" if out.value == 0 else
           f"the smallest minimum over {out.pieces:,} closed pieces, each bounded exactly")
    return GlobalMinimum(instance, out, time.perf_counter() - start, how)


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
    scheduler: str | None = None,
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
        Collect the witnesses of ``result.certificate()``: the JSON-ready certificate
        (docs/certificate-format.md) that ``python -m exactmin.check`` re-verifies. Refutations always carry one. With
        ``census`` it is a certificate of the census itself (``soudry_carmon/census``: every
        region's DLM or Motzkin certificates, and the counts).
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
    scheduler : str or None
        A Dask scheduler address (``tcp://host:8786``) or ``local[:N]`` (a LocalCluster of N
        worker processes for this run) for a census or the fast engine's search; the counts,
        verdict, counterexample and certificate equal a local run's. With ``census`` and
        ``checkpoint``, finished tasks are recorded as they complete; with ``census`` and
        ``certificate``, the census certificate's entries are computed by the cluster's
        workers too.

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
    options = ScanOptions(
        census=census, budget=budget, force=force, backend=backend,
        witnesses=certificate and not census, engine=engine, workers=workers,
        progress=progress, checkpoint=checkpoint, list_bad=list_bad, scheduler=scheduler)
    with _session(scheduler):  # one cluster for the census and its certificate
        outcome = scan_regions(instance, options)
        census_cert = None
        if certificate and census and outcome.census.complete:
            census_cert = _census_certificate(instance, outcome, force, progress, workers,
                                              scheduler)
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
            cert=census_cert or refutation_certificate(instance, report), theorem=PAPER,
            bad_regions=bad,
        )
    if outcome.stopped is not None:
        return Inconclusive(instance, c, hyps, reason=outcome.stopped, theorem=PAPER,
                            bad_regions=bad)
    cert = census_cert
    if certificate and outcome.witnesses is not None:
        cert = certified_certificate(
            instance, outcome.units, outcome.witnesses, prime=outcome.prime
        )
    return Certified(instance, c, hyps, cert=cert, theorem=PAPER, bad_regions=bad)


def _session(scheduler: str | None) -> Any:
    if scheduler is None:
        return contextlib.nullcontext()
    from exactmin.search.cluster import session

    return session(scheduler)


def _census_certificate(instance: Instance, outcome: Any, force: bool, progress: bool,
                        workers: int, scheduler: str | None) -> dict[str, Any]:
    """The census certificate (its entries on ``workers`` processes or the cluster); its counts
    are cross-checked against the scan's (a bug if not)."""
    from exactmin.search.census import census_entries
    from exactmin.search.parallel import orderings

    entries, _ = census_entries(instance, outcome.units, force=force, progress=progress,
                                workers=workers, scheduler=scheduler)
    R = len(outcome.units)
    idx = (itertools.combinations_with_replacement(range(R), instance.d1)
           if instance.noise is None else itertools.product(range(R), repeat=instance.d1))
    dlm = bad = 0
    losses = set()
    for tup, (_, loss) in zip(idx, entries):
        w = orderings(tup) if instance.noise is None else 1
        if loss is not None:
            dlm += w
            if loss:
                bad += w
                losses.add(loss)
    c = outcome.census
    if (dlm, bad, tuple(sorted(losses))) != (c.dlm_regions, c.bad_dlm_regions, c.bad_losses):
        raise InternalError("the census certificate's counts differ from the census")
    return census_certificate(instance, outcome.units, [e for e, _ in entries], {
        "dlm_regions": dlm, "bad_dlm_regions": bad, "bad_losses": sorted(losses)})


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


def verify_point(instance: Instance, W: Any, z: Any) -> PointReport | KinkReport:
    """Exactly decide whether ``(W, z)`` is a local minimum, differentiable or not; its loss.

    At a differentiable point: a :class:`PointReport` (critical, ``K e = 0``, a box). At a kink
    (some ``w_i . x_n = 0`` with ``x_n != 0``): a :class:`KinkReport` with the ties and the
    witness, the cone multipliers of every piece or an exact descent direction
    (:func:`exactmin.decide.soudry_carmon_kinks.decide_point`).

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
    >>> rep = verify_point(inst, [[0, 0]], [1])  # w = 0: every data point is a tie
    >>> rep.differentiable, rep.local_minimum, rep.loss
    (False, False, Fraction(5, 2))
    """
    point = Point.from_lists(W, z, instance)
    report = analyze_point(instance, point)
    return report if report.differentiable else decide_point(instance, point)


@dataclass(frozen=True)
class CounterexampleSearch(ResultProtocol):
    """Outcome of :func:`find_counterexample`; ``certificate()`` is the refutation's
    (``soudry_carmon/no_bad_dlm``, verdict ``refuted``).

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

    def to_dict(self) -> dict[str, Any]:
        if self.found is None:
            return {"found": False, "tried": self.tried}
        return {"found": True, "tried": self.tried, "violated": list(self.violated),
                "original": None if self.original is None else self.original.to_dict(),
                "result": self.found.to_dict()}

    def __repr__(self) -> str:
        if self.found is None:
            return f"CounterexampleSearch(none in {self.tried} random instances)"
        return f"CounterexampleSearch(found after {self.tried}: {self.found!r})"

    def certificate(self) -> dict[str, Any]:
        if self.found is None:
            raise NoCertificate(f"no counterexample was found in {self.tried} random instances")
        return self.found.certificate()


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


@dataclass(frozen=True)
class SpuriousSearch(ResultProtocol):
    """Outcome of :func:`find_spurious`: an instance meeting every hypothesis of the theorem but
    over-parameterization, with a differentiable local minimum whose loss is above the exact
    global minimum ``L*``.

    Attributes
    ----------
    instance : the instance, or None if none was found
    point : the spurious DLM (exact ``(W, z)``), its verdict ``report`` (a local minimum)
    global_minimum : the exact global minimum of the instance (with its point)
    tried : random instances decided
    """

    instance: Instance | None
    point: Point | None
    report: PointReport | None
    global_minimum: GlobalMinimum | None
    tried: int

    def to_dict(self) -> dict[str, Any]:
        if self.instance is None or self.report is None or self.global_minimum is None:
            return {"found": False, "tried": self.tried}
        g = self.global_minimum
        return {"found": True, "tried": self.tried, "instance": self.instance.to_dict(),
                "point": {"W": fmt_matrix(self.report.point.W),
                          "z": fmt_vector(self.report.point.z)},
                "loss": fmt(self.report.loss), "global_minimum": fmt(g.value),
                "global_point": g.to_dict()["point"],
                "violated": unmet(self.instance)}

    def __repr__(self) -> str:
        if self.report is None or self.global_minimum is None:
            return f"SpuriousSearch(none in {self.tried} random instances)"
        return (f"SpuriousSearch(a DLM with loss {fmt(self.report.loss)} above L* = "
                f"{fmt(self.global_minimum.value)}, found after {self.tried})")

    def certificate(self) -> dict[str, Any]:
        """The DLM's certificate (``soudry_carmon/deep_point``, verdict ``local_minimum``);
        ``global_minimum.certificate()`` proves ``L*``, below its loss."""
        if self.report is None:
            raise NoCertificate(f"no spurious minimum was found in {self.tried} random instances")
        return self.report.certificate()


def find_spurious(d0: int, d1: int, N: int, rho: Any = "1/2", max_int: int = 3, seed: int = 0,
                  tries: int = 50) -> SpuriousSearch:
    """Search seeded random instances that meet every hypothesis of the theorem but
    over-parameterization (leaky ReLU, a dropout-like noise realization, data in general
    position; ``N > d0 d1``) for a *spurious* differentiable local minimum: a DLM whose loss is
    above the exact global minimum ``L*`` (:func:`global_minimum`), not merely nonzero.

    Each instance's census lists its bad DLMs; the one with the largest loss above ``L*`` is
    returned, re-verified by :func:`verify_point`.

    >>> out = find_spurious(2, 1, 3, seed=0, tries=20)
    >>> out.report.local_minimum, out.report.loss > out.global_minimum.value
    (True, True)
    """
    d0 = to_int(d0, "d0", minimum=1)
    d1 = to_int(d1, "d1", minimum=1)
    N = to_int(N, "N", minimum=1)
    tries = to_int(tries, "tries", minimum=1)
    rho_q = to_fraction(rho, "rho")
    if rho_q in (0, 1):
        raise InvalidInput(f"rho={rho!r}: the theorem's hypotheses need a leaky slope, rho not "
                           "in {0, 1} (a spurious minimum is sought with every hypothesis but "
                           "over-parameterization)")
    if N <= d0 * d1:
        raise InvalidInput(f"N={N} <= d0*d1={d0 * d1}: with every hypothesis met the theorem "
                           "proves that every DLM has zero loss, so none is spurious; take "
                           f"N > {d0 * d1}")
    rng = random.Random(seed)
    for k in range(tries):
        inst = random_instance(d0, d1, N, rho_q, noise=True, seed=rng.randrange(2**32),
                               max_int=max_int, general_position=True)
        if unmet(inst) != ["overparameterized"]:
            continue
        res = certify(inst, census=True, list_bad=True, force=True)
        if not res.census.bad_losses:
            continue
        g = global_minimum(inst, force=True)
        assert g.value is not None
        above = [b for b in res.bad_regions or () if b.loss > g.value]
        if not above:
            continue
        worst = max(above, key=lambda b: b.loss)
        report = verify_point(inst, worst.point.W, worst.point.z)
        if not (isinstance(report, PointReport) and report.local_minimum is True
                and report.loss == worst.loss):
            raise InternalError("a spurious DLM of the census failed verify-point")
        return SpuriousSearch(inst, worst.point, report, g, k + 1)
    return SpuriousSearch(None, None, None, None, tries)


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


@dataclass(frozen=True)
class RestrictedResult(ResultProtocol):
    """Outcome of :func:`certify_restricted`.

    Attributes
    ----------
    instance : DeepInstance, the full network
    lower : the fixed ``W_1, ..., W_{L-1}``
    result : Certified, Refuted or Inconclusive on the restricted one-hidden-layer problem
        (``result.instance``: features ``h_{L-1}(n)``, ``d1 = d_L``, noise ``E_L``)
    full_network : for a refutation, the exact verdict on the full network's point
        ``(W_1, ..., W_{L-1}, W, z)`` (a bad DLM of the restricted problem need not be a local
        minimum of the full network), else None
    cert : the ``soudry_carmon/restricted_no_bad_dlm`` certificate, when asked for (read it
        with :meth:`certificate`)
    lower_zero : None, or the first pre-activation of the fixed layers that is 0 on a data point
        (not identically): then no point with these lower layers is differentiable, no DLM of
        the full network has them, and the claim holds vacuously
    """

    instance: DeepInstance
    lower: tuple[Any, ...]
    result: Result
    full_network: DeepPointReport | None
    cert: dict[str, Any] | None = field(repr=False, compare=False)
    lower_zero: str | None = None

    def certificate(self) -> dict[str, Any]:
        """The ``soudry_carmon/restricted_no_bad_dlm`` certificate (docs/certificates/)."""
        if self.cert is None:
            self.result.certificate()  # raises NoCertificate with the reason
        assert self.cert is not None
        return self.cert

    @property
    def claim(self) -> str:
        """The statement the verdict is about, in words."""
        return ("every DLM of the full network whose lower layers W_1..W_{L-1} are these has zero "
                "loss (a DLM of the full network is a DLM of the restricted problem)")

    def __repr__(self) -> str:
        return f"RestrictedResult({self.result!r})"

    def to_dict(self) -> dict[str, Any]:
        from exactmin.arith import fmt_matrix

        full = self.full_network
        return {**self.result.to_dict(), "restricted": {
            "widths": list(self.instance.widths), "claim": self.claim,
            "lower": [fmt_matrix(W) for W in self.lower],
            "features": fmt_matrix(self.result.instance.X), "lower_zero": self.lower_zero,
            "full_network": None if full is None else {
                "local_minimum": full.local_minimum, "differentiable": full.differentiable,
                "critical": full.critical, "loss": fmt(full.loss), "reason": full.reason},
        }}


def certify_restricted(instance: DeepInstance, lower: Any, *, certificate: bool = False,
                       **options: Any) -> RestrictedResult:
    """The census of the last hidden layer and the output with ``W_1..W_{L-1}`` fixed.

    The restricted problem is one hidden layer on the features ``h_{L-1}(n)`` with noise
    ``E_L`` (:func:`~exactmin.models.deep.restricted_instance`), decided by :func:`certify`
    (``options`` as there). A DLM of the full network with these lower layers is a DLM of the
    restricted problem, so *certified* covers every such DLM; for *refuted*, the bad DLM is
    lifted to the full network and decided there too (``full_network``).

    Parameters
    ----------
    instance : DeepInstance with ``L >= 2``
    lower : ``[W_1, ..., W_{L-1}]`` (matrices) or a lower-layers mapping ``{"weights": [...]}``

    Examples
    --------
    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0],
    ...                                "widths": [2, 2, 2, 1], "rho": "1/2"})
    >>> out = certify_restricted(inst, {"weights": [[[1, 1], [1, 2]]]}, census=True)
    >>> out.result.verdict, out.result.instance.d0, out.full_network.local_minimum
    ('refuted', 2, True)
    """
    if not isinstance(lower, dict):
        lower = {"weights": [[[fmt(v) for v in row] for row in W] for W in lower]}
    Ws = lower_layers(lower, instance)
    inner = restricted_instance(instance, Ws)
    result = certify(inner, certificate=certificate, **options)
    full = None
    if isinstance(result, Refuted):
        ce = result.counterexample
        point = DeepPoint(Ws + (tuple(ce.W), (tuple(ce.z),)))
        full = analyze_deep_point(instance, point)
    cert = None
    if result.cert is not None:
        cert = restricted_certificate(instance, Ws, result.cert)
    return RestrictedResult(instance, Ws, result, full, cert, _lower_zero(instance, Ws))


def _lower_zero(instance: DeepInstance, lower: tuple[Any, ...]) -> str | None:
    """The first ``u_l(n)_i = 0`` of the fixed layers where ``h_{l-1}(n)`` is not identically 0."""
    for n in range(instance.N):
        h = [instance.X[j][n] for j in range(instance.widths[0])]
        for l, W in enumerate(lower, start=1):
            if not any(h):
                break
            u = [sum((w * x for w, x in zip(row, h)), Fraction(0)) for row in W]
            if 0 in u:
                return f"u_{l}({n})[{u.index(0)}] = 0"
            h = [instance.E(l, i, n) * (v if v > 0 else instance.rho * v) for i, v in enumerate(u)]
    return None


@dataclass(frozen=True)
class DeepCounterexample(ResultProtocol):
    """Outcome of :func:`find_deep_counterexample`; ``certificate()`` is the point's
    (``soudry_carmon/deep_point``, verdict ``local_minimum``).

    Attributes
    ----------
    instance, point : the (shrunk) network and its bad local minimum, or None if none was found
    report : the exact verdict on the point (``local_minimum`` True, ``loss`` > 0)
    family : which family produced it (``linear-fit``, ``dead-layer`` or ``search``)
    tried : random instances tried
    original_N : data points before shrinking
    """

    instance: DeepInstance | None
    point: DeepPoint | None
    report: DeepPointReport | None
    family: str | None
    tried: int
    original_N: int | None

    def to_dict(self) -> dict[str, Any]:
        if self.instance is None or self.point is None or self.report is None:
            return {"found": False, "tried": self.tried}
        return {"found": True, "tried": self.tried, "family": self.family,
                "original_N": self.original_N, "instance": self.instance.to_dict(),
                "point": self.point.to_dict(), "loss": fmt(self.report.loss),
                "reason": self.report.reason}

    def __repr__(self) -> str:
        if self.report is None:
            return f"DeepCounterexample(none in {self.tried} random instances)"
        return (f"DeepCounterexample(family {self.family}, loss {fmt(self.report.loss)}, found "
                f"after {self.tried})")

    def certificate(self) -> dict[str, Any]:
        if self.report is None:
            raise NoCertificate(f"no bad local minimum was found in {self.tried} random "
                                "instances")
        return self.report.certificate()


def _bad_minimum(inst: DeepInstance, point: DeepPoint | None) -> DeepPointReport | None:
    """The point's report if it is a certified local minimum with nonzero loss on data with
    distinct points (two equal inputs with different labels defeat every model: no news)."""
    columns = {tuple(row[n] for row in inst.X) for n in range(inst.N)}
    if point is None or len(columns) < inst.N:
        return None
    rep = analyze_deep_point(inst, point)
    return rep if rep.local_minimum is True and rep.loss > 0 else None


def find_deep_counterexample(widths: Any, N: Any = None, rho: Any = "1/2",
                             family: str = "any", seed: int = 0, tries: int = 50,
                             max_int: int = 3) -> DeepCounterexample:
    """Bad local minima of a network of any depth, each certified by the path-matrix test, then
    shrunk (data points dropped while the family still gives a certified bad minimum).

    Parameters
    ----------
    widths : ``[d0, d1, ..., dL, 1]``
    N : data points (default ``d0 + 2``)
    rho : slope on ``u < 0`` (0 is ReLU)
    family : ``"linear-fit"``, ``"dead-layer"`` (ReLU), ``"search"`` or ``"any"`` (in that
        order, those that apply); see :mod:`exactmin.search.deep`
    seed, tries, max_int : the seeded random instances (integers in ``[-max_int, max_int]``,
        last input coordinate the constant 1)

    Examples
    --------
    >>> out = find_deep_counterexample([2, 2, 2, 1], rho="1/3", family="linear-fit")
    >>> out.family, out.report.local_minimum, out.report.loss > 0, out.instance.N
    ('linear-fit', True, True, 3)
    """
    from exactmin.search.deep import FAMILIES, candidate, random_deep_instance

    raw_widths = widths
    if isinstance(widths, str):
        try:
            raw_widths = [int(v) for v in widths.split(",")]
        except ValueError:
            raise InvalidInput(f"widths={widths!r} must be comma-separated integers "
                               "d0,d1,...,dL,1 (e.g. 2,2,2,1)") from None
    if not isinstance(raw_widths, (list, tuple)):
        raise InvalidInput(f"widths={widths!r} must be a list [d0, d1, ..., dL, 1]")
    w = tuple(to_int(v, f"widths[{k}]", minimum=1) for k, v in enumerate(raw_widths))
    if len(w) < 3 or w[-1] != 1 or max(w) > 8:
        raise InvalidInput(f"widths={list(w)} must be [d0, d1, ..., dL, 1] with every width "
                           "at most 8 (a counterexample search is for small networks)")
    n = to_int(N if N is not None else w[0] + 2, "N", minimum=1)
    tries = to_int(tries, "tries", minimum=1)
    max_int = to_int(max_int, "max_int", minimum=1)
    rho_q = to_fraction(rho, "rho")
    if family != "any" and family not in FAMILIES:
        raise InvalidInput(f"family={family!r}; choose one of {['any', *FAMILIES]}")
    families = FAMILIES if family == "any" else (family,)
    if family == "linear-fit" and min(w[1:-1]) < 2:
        raise InvalidInput(f"family='linear-fit' needs every hidden width >= 2, widths={list(w)}")
    if family == "dead-layer" and rho_q != 0:
        raise InvalidInput(f"family='dead-layer' is for ReLU (rho=0), got rho={fmt(rho_q)}")
    rng = random.Random(seed)
    for k in range(tries):
        inst = random_deep_instance(w, n, rho_q, rng, max_int)
        for fam in families:
            point = candidate(fam, inst, random.Random(rng.randrange(2**32)))
            rep = _bad_minimum(inst, point)
            if rep is not None and point is not None:
                inst, point, rep = _shrink_deep(inst, point, rep, fam, rng)
                return DeepCounterexample(inst, point, rep, fam, k + 1, n)
    return DeepCounterexample(None, None, None, None, tries, None)


def _shrink_deep(inst: DeepInstance, point: DeepPoint, rep: DeepPointReport, family: str,
                 rng: random.Random) -> tuple[DeepInstance, DeepPoint, DeepPointReport]:
    """Drop data points while the family still yields a certified bad local minimum: the point
    is rebuilt on the smaller data (``search``: with the same lower layers)."""
    from exactmin.search.deep import candidate

    changed = True
    while changed and inst.N > 1:
        changed = False
        for n in range(inst.N):
            keep = [m for m in range(inst.N) if m != n]
            smaller = DeepInstance(X=tuple(tuple(row[m] for m in keep) for row in inst.X),
                                   y=tuple(inst.y[m] for m in keep), widths=inst.widths,
                                   rho=inst.rho)
            for _ in range(1 if family in ("search", "linear-fit") else 8):
                again = candidate(family, smaller, random.Random(rng.randrange(2**32)), point)
                new = _bad_minimum(smaller, again)
                if new is not None and again is not None:
                    inst, point, rep, changed = smaller, again, new, True
                    break
            if changed:
                break
    return inst, point, rep


PAPER_INFO = Paper(
    id=PAPER, title="No bad local minima: data independent training error guarantees for "
    "multilayer neural networks (one hidden layer, and deeper networks)", citation=CITATION,
    theorems=(_cert.THEOREM, _cert.CENSUS, _cert.GLOBAL, _deep_cert.POINT, _deep_cert.KINK,
              _deep_cert.RESTRICTED),
    commands=("demo", "certify", "verify-point", "find-counterexample", "global-min", "train"),
    experiments=("soudry-carmon-noise", "full-rank-fraction", "kinks", "global-min"),
    example="01_noisy_certified.py", proof="soudry_carmon.md", docs="soudry_carmon.md",
    corpus=("soudry_carmon", "soudry_carmon_census", "soudry_carmon_deep_point",
            "soudry_carmon_kink_point", "soudry_carmon_global_minimum",
            "soudry_carmon_restricted"),
    properties="test_soudry_carmon.py")
