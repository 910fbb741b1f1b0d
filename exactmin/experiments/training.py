"""Seeded float training of an instance's network, and the exact classification of where each run
ended (``exactmin train``; the shared training code of the experiments).

Floats propose, exact arithmetic decides. A run is float full-batch training of
``L = (1/2) sum_n (yhat_n - y_n)^2`` from a seeded Gaussian start: gradient descent (``"gd"``, step
``lr``, stopped when the gradient's largest entry is below ``GRAD_TOL`` or after ``max_steps``) or
scipy's L-BFGS-B (``"lbfgs"``, the same gradient, ``gtol = GRAD_TOL``). Its endpoint is then
classified exactly:

* At a kink (some pre-activation of a nonzero input within ``KINK_TOL`` of 0), one hidden layer:
  the endpoint is snapped to the exact face its pre-activations suggest (those near 0 set to 0,
  ``z_i`` near 0 too) and the face's polyhedron of local minima is solved exactly
  (:func:`exactmin.decide.soudry_carmon_kinks.face_minimum`; proofs/
  nondifferentiable_minima.md): ``kink_local_min`` (the face holds local minima, all of one exact
  loss, and the run's float loss agrees with it), ``not_local_min`` (the face holds none: the run
  stopped at a kink that is not a minimum, or had not converged), or ``not_certified`` with the
  reason. Deeper networks: ``non_differentiable`` (which pre-activations are listed).
* Otherwise the weights are read exactly (dyadic rationals), the lower layers ``W_1..W_{L-1}``
  are fixed and the last hidden layer's activation region on the exact features is decided
  exactly (:func:`exactmin.decide.decide_region`: rank, least squares, exact LPs over the sign
  choices of ``z``). If the region holds a DLM, its exact DLM (lifted to the full network) is
  decided by :func:`exactmin.decide.deep.analyze_deep_point`; when it is a local minimum of the
  full network and the run's float loss agrees with the region's exact loss (``LOSS_TOL``), the
  run is ``zero_loss_dlm`` or ``bad_dlm`` with that exact loss.
* ``not_certified`` in every other case, with the reason (no DLM in the region: the run stopped
  at a saddle or in a slow region; the float loss disagrees with the exact one: it had not
  converged; the lifted point is not a local minimum of the deeper network).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactmin.decide import decide_region
from exactmin.decide.deep import analyze_deep_point
from exactmin.errors import InvalidInput
from exactmin.geometry import Region
from exactmin.models.deep import DeepInstance, DeepPoint, restricted_instance
from exactmin.protocol import ResultProtocol

__all__ = [
    "CLASSES",
    "METHODS",
    "RunResult",
    "census_check",
    "classify",
    "gaussian_start",
    "loss_and_gradient",
    "numeric",
    "summary",
    "train_run",
    "train_runs",
]

CLASSES = ("zero_loss_dlm", "bad_dlm", "kink_local_min", "not_local_min", "non_differentiable",
           "not_certified")
METHODS = ("gd", "lbfgs")
GRAD_TOL = 1e-10
KINK_TOL = 1e-6  # relative to the largest |pre-activation| of the layer
LOSS_TOL = 1e-6  # |float loss - exact loss| <= LOSS_TOL * (1 + exact loss)


@dataclass(frozen=True)
class RunResult(ResultProtocol):
    """One run: its seed, how it trained, and what its endpoint exactly is."""

    seed: int
    method: str
    steps: int
    float_loss: float
    classification: str
    loss: Fraction | None  # the exact loss of the certified DLM
    reason: str
    pattern: tuple[tuple[tuple[int, ...], ...], ...]  # [l][i][n] signs of u_l(n)_i
    dlm: DeepPoint | None = None  # the certified exact DLM (same region as the endpoint)

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "method": self.method, "steps": self.steps,
                "classification": self.classification,
                "loss": None if self.loss is None else str(self.loss),
                "float_loss": self.float_loss, "reason": self.reason,
                "pattern": [[list(r) for r in layer] for layer in self.pattern]}


def numeric(inst: DeepInstance) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """``X``, ``y`` and the noise matrices ``E_l`` as float arrays."""
    X = np.array([[float(v) for v in row] for row in inst.X])
    y = np.array([float(v) for v in inst.y])
    E = [np.array([[float(inst.E(l, i, n)) for n in range(inst.N)]
                   for i in range(inst.widths[l])]) for l in range(1, inst.L + 1)]
    return X, y, E


def loss_and_gradient(inst: DeepInstance, Ws: Sequence[np.ndarray], X: np.ndarray,
                       y: np.ndarray, E: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
    """The loss ``(1/2) sum_n (yhat_n - y_n)^2`` and its gradient per weight matrix (floats,
    back-propagation with the slopes of the current pattern)."""
    rho = float(inst.rho)
    hs, As = [X], []
    for l in range(inst.L):
        u = Ws[l] @ hs[-1]
        a = E[l] * np.where(u > 0, 1.0, rho)
        As.append(a)
        hs.append(a * u)
    r = (Ws[-1] @ hs[-1])[0] - y
    grads = [np.zeros_like(W) for W in Ws]
    delta = r[None, :]
    grads[-1] = delta @ hs[-1].T
    back = Ws[-1].T @ delta
    for l in range(inst.L - 1, -1, -1):
        du = back * As[l]
        grads[l] = du @ hs[l].T
        back = Ws[l].T @ du
    return 0.5 * float(r @ r), grads


def gaussian_start(inst: DeepInstance, seed: int) -> list[np.ndarray]:
    """Seeded Gaussian weights, each matrix scaled by ``1/sqrt(fan-in)``."""
    rng = np.random.default_rng(seed)
    w = inst.widths
    return [rng.standard_normal((w[l], w[l - 1])) / np.sqrt(w[l - 1])
            for l in range(1, len(w))]


def train_run(inst: DeepInstance, seed: int, method: str = "lbfgs", max_steps: int = 5000,
              lr: float = 0.01) -> tuple[list[np.ndarray], float, int]:
    """One seeded float run: ``(weights, float loss, steps)`` (module docstring)."""
    if method not in METHODS:
        raise InvalidInput(f"method={method!r}; use one of {', '.join(METHODS)}")
    Ws = gaussian_start(inst, seed)
    X, y, E = numeric(inst)
    if method == "gd":
        steps = 0
        while steps < max_steps:
            loss, grads = loss_and_gradient(inst, Ws, X, y, E)
            if max(float(np.max(np.abs(g))) for g in grads) < GRAD_TOL:
                break
            for W, g in zip(Ws, grads):
                W -= lr * g
            steps += 1
        loss, _ = loss_and_gradient(inst, Ws, X, y, E)
        return Ws, loss, steps
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    shapes = [W.shape for W in Ws]
    sizes = [W.size for W in Ws]

    def unpack(theta: np.ndarray) -> list[np.ndarray]:
        out, k = [], 0
        for shape, size in zip(shapes, sizes):
            out.append(theta[k:k + size].reshape(shape))
            k += size
        return out

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        loss, grads = loss_and_gradient(inst, unpack(theta), X, y, E)
        return loss, np.concatenate([g.ravel() for g in grads])

    res = minimize(fun, np.concatenate([W.ravel() for W in Ws]), jac=True, method="L-BFGS-B",
                   options={"maxiter": max_steps, "gtol": GRAD_TOL, "ftol": 1e-15})
    Ws = unpack(res.x)
    return Ws, float(res.fun), int(res.nit)


def _pattern(inst: DeepInstance, Ws: Sequence[np.ndarray]
             ) -> tuple[tuple[tuple[tuple[int, ...], ...], ...], list[str]]:
    """Float signs of every pre-activation, and the ones within ``KINK_TOL`` of 0."""
    X, _, E = numeric(inst)
    rho = float(inst.rho)
    h = X
    pattern, kinks = [], []
    for l in range(inst.L):
        u = Ws[l] @ h
        live = np.abs(h).sum(axis=0) > 0  # inputs that are not zero
        scale = max(1.0, float(np.max(np.abs(u))))
        near = (np.abs(u) < KINK_TOL * scale) & live[None, :]
        kinks += [f"u_{l + 1}({n})[{i}] = {u[i, n]:.2e}" for i, n in zip(*np.nonzero(near))]
        pattern.append(tuple(tuple(int(np.sign(v)) if live[n] else 0 for n, v in enumerate(row))
                             for row in u))
        h = E[l] * np.where(u > 0, 1.0, rho) * u
    return tuple(pattern), kinks


def classify(inst: DeepInstance, Ws: Sequence[np.ndarray], float_loss: float, seed: int = 0,
             method: str = "", steps: int = 0) -> RunResult:
    """The exact classification of one float endpoint (module docstring)."""
    pattern, kinks = _pattern(inst, Ws)

    def result(cls: str, reason: str, loss: Fraction | None = None,
               dlm: DeepPoint | None = None) -> RunResult:
        return RunResult(seed, method, steps, float_loss, cls, loss, reason, pattern, dlm)

    if kinks and inst.L == 1:
        return _at_a_kink(inst, Ws, float_loss, kinks, result)
    if kinks:
        return result("non_differentiable", "pre-activations within the tolerance of 0: "
                      + ", ".join(kinks[:6]))
    exact = [tuple(tuple(Fraction(float(v)) for v in row) for row in W) for W in Ws]
    lower = exact[:inst.L - 1]
    base = restricted_instance(inst, lower)
    top = exact[inst.L - 1]
    regions = []
    for i, w_i in enumerate(top):
        signs = []
        for n in range(base.N):
            col = base.column(n)
            if not any(col):
                signs.append(0)
                continue
            u = sum((a * b for a, b in zip(w_i, col)), Fraction(0))
            if u == 0:
                return result("non_differentiable", f"u_{inst.L}({n})[{i}] = 0 exactly")
            signs.append(1 if u > 0 else -1)
        if tuple(signs) != pattern[-1][i]:  # the float signs of a kink-free point are exact
            return result("not_certified", "the float and exact activation patterns differ")
        regions.append(Region(tuple(signs), w_i))
    dec = decide_region(base, regions, find_dlm=True)
    if not dec.has_dlm:
        return result("not_certified", f"the endpoint's activation region holds no DLM (rank K = "
                      f"{dec.rank}, least-squares loss {dec.loss}): the run stopped at a saddle "
                      "or in a slow region, not at a local minimum")
    assert dec.dlm is not None
    if abs(float_loss - float(dec.loss)) > LOSS_TOL * (1 + float(dec.loss)):
        return result("not_certified", f"the endpoint's region holds DLMs of loss {dec.loss}, "
                      f"but the run's loss is {float_loss:.6g}: it had not converged")
    point = DeepPoint(tuple(lower) + (dec.dlm.W, (dec.dlm.z,)))
    rep = analyze_deep_point(inst, point)
    if rep.critical is False and rep.gradient is not None:
        top = max(abs(float(v)) for M in rep.gradient[:inst.L - 1] for row in M for v in row)
        low = "W_1" if inst.L == 2 else f"W_1..W_{inst.L - 1}"
        return result("not_certified", "the region's DLM of the last layers is exact, but the "
                      "lower layers, read exactly from the float endpoint, are only nearly "
                      f"critical: the exact gradient with respect to {low} is not zero (largest "
                      f"entry {top:.2g}); no exact DLM is certified here")
    if rep.local_minimum is not True or rep.loss != dec.loss:
        return result("not_certified", "the region's DLM of the last layers is not a local "
                      f"minimum of the whole network: {rep.reason}")
    cls = "zero_loss_dlm" if dec.loss == 0 else "bad_dlm"
    return result(cls, f"a DLM of exact loss {dec.loss} in the endpoint's activation region "
                  "(decided exactly, verified as a local minimum of the network)", dec.loss,
                  point)


def _at_a_kink(inst: DeepInstance, Ws: Sequence[np.ndarray], float_loss: float,
               kinks: list[str], result: Any) -> RunResult:
    """One hidden layer at a kink: the face the endpoint suggests, decided exactly."""
    from exactmin.decide.soudry_carmon_kinks import face_minimum
    from exactmin.geometry import find_strict_point
    from exactmin.models import Instance
    from exactmin.models.network import loss as exact_loss

    one = Instance(X=inst.X, y=inst.y, d1=inst.widths[1], rho=inst.rho,
                   noise=None if inst.noise is None else inst.noise[0])
    X, _, _ = numeric(inst)
    U = Ws[0] @ X
    scale = max(1.0, float(np.max(np.abs(U))))
    live = np.abs(X).sum(axis=0) > 0
    signs = [tuple(0 if not live[n] or abs(U[i, n]) < KINK_TOL * scale else int(np.sign(U[i, n]))
                   for n in range(inst.N)) for i in range(inst.widths[1])]
    z = Ws[1][0]
    zscale = max(1.0, float(np.max(np.abs(z))))
    taus = [0 if abs(v) < KINK_TOL * zscale else int(np.sign(v)) for v in z]
    cols = [tuple(one.X[j][n] for j in range(one.d0)) for n in range(one.N)]
    for i, s in enumerate(signs):  # the suggested face must exist exactly
        strict = [tuple(t * v for v in c) for c, t in zip(cols, s) if t]
        eq = [c for c, t in zip(cols, s) if not t and any(c)]
        if find_strict_point(strict, one.d0, eq=eq, eq_rhs=[Fraction(0)] * len(eq)) is None:
            return result("not_certified", f"at a kink ({', '.join(kinks[:4])}), but unit {i}'s "
                          "suggested face (near-zero pre-activations set to 0) does not exist "
                          "exactly")
    point = face_minimum(one, signs, taus)
    where = f"at a kink ({', '.join(kinks[:4])})"
    if point is None:
        return result("not_local_min", f"{where}: the face its pre-activations suggest (and the "
                      "signs of z) holds no local minimum (exact LP): the run stopped at a kink "
                      "that is not a minimum, or had not converged")
    value = exact_loss(one, point)
    if abs(float_loss - float(value)) > LOSS_TOL * (1 + float(value)):
        return result("not_certified", f"{where}: the suggested face holds local minima of loss "
                      f"{value}, but the run's loss is {float_loss:.6g}: it had not converged")
    return result("kink_local_min", f"{where}: the suggested face holds local minima (all of "
                  f"exact loss {value}; one is verified exactly), and the run's loss agrees",
                  value, DeepPoint((point.W, (point.z,))))


def _one(args: tuple[DeepInstance, int, str, int]) -> RunResult:
    inst, seed, method, max_steps = args
    Ws, loss, steps = train_run(inst, seed, method, max_steps)
    return classify(inst, Ws, loss, seed, method, steps)


def train_runs(inst: DeepInstance, runs: int, seed: int = 0, method: str = "lbfgs",
               max_steps: int = 5000, workers: int = 1, progress: bool = False
               ) -> list[RunResult]:
    """``runs`` seeded runs (seeds ``seed, seed + 1, ...``), each classified exactly; the
    results do not depend on ``workers`` (processes).

    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0],
    ...                                "widths": [2, 2, 1], "rho": "1/2"})
    >>> [(r.classification, r.loss) for r in train_runs(inst, 2)]
    [('bad_dlm', Fraction(2, 9)), ('bad_dlm', Fraction(1, 3))]
    """
    from exactmin.search.progress import Progress

    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise InvalidInput(f"runs={runs!r} must be a positive integer")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInput(f"workers={workers!r} must be a positive integer")
    if method not in METHODS:
        raise InvalidInput(f"method={method!r}; use one of {', '.join(METHODS)}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise InvalidInput(f"max_steps={max_steps!r} must be a positive integer")
    jobs = [(inst, seed + k, method, max_steps) for k in range(runs)]
    bar = Progress(runs, progress)
    out: list[RunResult] = []
    try:
        if workers == 1:
            for job in jobs:
                out.append(_one(job))
                bar.update(len(out))
        else:
            from exactmin.processes import process_pool

            with process_pool(workers) as pool:
                for res in pool.map(_one, jobs):
                    out.append(res)
                    bar.update(len(out))
    finally:
        bar.close()
    return out


def census_check(inst: DeepInstance, results: Sequence[RunResult], force: bool = False
                 ) -> list[bool | None]:
    """For every certified run, whether the census lists a DLM of its exact loss; None for runs
    not certified. A cross-check by other code: the census decides every region (in integers,
    the fast engine's census) where :func:`classify` decided one region (Fractions and PPL).

    For one hidden layer it is the census of the instance (run once); for depth ``L >= 2``, the
    restricted census at the run's own lower layers ``W_1..W_{L-1}`` (exact, the certified
    point's), whose DLMs are the DLMs of the last hidden layer and the output with those layers
    fixed (:func:`exactmin.theorems.soudry_carmon.certify_restricted`); one census per distinct
    lower layers. A census estimated above ten minutes raises TooExpensive unless ``force``.

    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0],
    ...                                "widths": [2, 2, 1], "rho": "1/2"})
    >>> census_check(inst, train_runs(inst, 2))
    [True, True]
    """
    from exactmin.theorems.soudry_carmon import certify

    listed: dict[Any, tuple[set[Fraction], bool]] = {}
    out: list[bool | None] = []
    for r in results:
        if r.dlm is None or r.loss is None or r.classification == "kink_local_min":
            out.append(None)  # a census of DLMs does not list the losses of kink minima
            continue
        lower = r.dlm.weights[:inst.L - 1]
        if lower not in listed:
            c = certify(restricted_instance(inst, lower), census=True, force=force).census
            assert c.dlm_regions is not None  # a complete census
            listed[lower] = set(c.bad_losses), c.dlm_regions > c.bad_dlm_regions
        bad, zero = listed[lower]
        out.append(r.loss in bad if r.loss else zero)
    return out


def summary(results: Sequence[RunResult]) -> dict[str, Any]:
    """Counts per classification, and every certified loss with how many runs reached it."""
    counts = {c: sum(1 for r in results if r.classification == c) for c in CLASSES}
    losses: dict[Fraction, int] = {}
    bad: dict[Fraction, int] = {}
    for r in results:
        if r.loss is not None:
            losses[r.loss] = losses.get(r.loss, 0) + 1
            if r.classification == "bad_dlm":
                bad[r.loss] = bad.get(r.loss, 0) + 1
    return {"runs": len(results), "counts": counts,
            "bad_dlm_losses": {str(q): n for q, n in sorted(bad.items())},
            "certified": counts["zero_loss_dlm"] + counts["bad_dlm"] + counts["kink_local_min"],
            "certified_losses": {str(q): n for q, n in sorted(losses.items())}}
