"""Local minimality at kinks (exactmin.decide.soudry_carmon_kinks; proofs/
nondifferentiable_minima.md), checked against the definition with exact arithmetic:

- "not a local minimum": along the certified direction the loss, recomputed from the network,
  equals the stated polynomial and is strictly lower at a small exact ``t``;
- "local minimum": no exact perturbation inside the radius on which every non-tie sign and every
  live ``z_i``'s sign stay fixed lowers the loss (random ones, and ones along the tied data
  points, which is where a wrong verdict would show);
- at differentiable points the verdict is the differentiable decider's (``K e = 0``);
- the kernel accepts every certificate.
"""

import json
import random
from fractions import Fraction as Q

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.certificates.deep import kink_certificate
from exactmin.check import check_certificate
from exactmin.decide import analyze_point
from exactmin.decide.soudry_carmon_kinks import decide_point
from exactmin.models import Instance, Point
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.models.network import loss, preactivations


@st.composite
def kink_points(draw: st.DrawFn) -> tuple[Instance, Point]:
    """Tiny instances and points with ties: rows of W zero, orthogonal to a data point, or
    random small integers; z in [-2, 2] (dead units included); ReLU or leaky, noise or not."""
    d0, d1, N = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 4))
    small = st.integers(-2, 2)
    X = [[draw(small) for _ in range(N)] for _ in range(d0)]
    y = [draw(st.integers(-3, 3)) for _ in range(N)]
    rho = draw(st.sampled_from(["0", "1/2", "1/3"]))
    noise = None
    if draw(st.booleans()):
        noise = [[draw(st.sampled_from(["1/2", "1", "2"])) for _ in range(N)] for _ in range(d1)]
    inst = Instance.from_lists(X, y, d1, rho, noise)
    W = []
    for _ in range(d1):
        kind = draw(st.sampled_from(["zero", "orthogonal", "random"]))
        n = draw(st.integers(0, N - 1))
        c = draw(st.sampled_from([1, -1, 2, Q(1, 2)]))
        if kind == "zero" or (kind == "orthogonal" and d0 == 1):
            W.append([0] * d0)
        elif kind == "orthogonal":
            W.append([-c * X[1][n], c * X[0][n]])
        else:
            W.append([draw(small) for _ in range(d0)])
    z = [draw(st.sampled_from([0, 1, -1, 2, Q(-1, 2)])) for _ in range(d1)]
    return inst, Point.from_lists(W, z, inst)


def _moved(point: Point, dW, dz, t: Q) -> Point:
    W = [[w + t * d for w, d in zip(row, drow)] for row, drow in zip(point.W, dW)]
    return Point.from_lists(W, [v + t * d for v, d in zip(point.z, dz)])


def _certified(inst: Instance, point: Point, rep) -> None:
    deep = DeepInstance.from_instance(inst)
    dp = DeepPoint.from_dict({"weights": [[list(r) for r in point.W], [list(point.z)]]}, deep)
    cert = json.loads(json.dumps(kink_certificate(deep, dp, rep)))
    info = check_certificate(cert)
    assert info["verdict"] == ("local_minimum" if rep.local_minimum else "not_local_minimum")


def _radius(inst: Instance, point: Point) -> Q:
    """Perturbations with every entry at most this keep each nonzero w_i.x_n's sign and each
    nonzero z_i's sign."""
    U = preactivations(inst, point.W)
    bounds = [Q(1)]
    for i in range(inst.d1):
        if point.z[i]:
            bounds.append(abs(point.z[i]) / 2)
        for n in range(inst.N):
            size = sum(abs(inst.X[j][n]) for j in range(inst.d0))
            if U[i][n] and size:
                bounds.append(abs(U[i][n]) / (2 * size))
    return min(bounds)


@settings(max_examples=80, deadline=None)
@given(kink_points(), st.randoms(use_true_random=False))
def test_the_verdict_agrees_with_exact_perturbations(case, rnd: random.Random) -> None:
    inst, point = case
    rep = decide_point(inst, point)
    base = loss(inst, point)
    assert rep.loss == base
    if not rep.local_minimum:
        dW, dz = rep.direction
        c = rep.polynomial
        t_max = Q(1) if rep.t0 is None else rep.t0
        for t in (t_max, t_max / 3):
            assert loss(inst, _moved(point, dW, dz, t)) - base == sum(
                q * t ** (k + 1) for k, q in enumerate(c)), "the stated polynomial is exact"
        k = next(k for k, q in enumerate(c) if q)
        tail = sum(abs(q) for q in c[k + 1:])
        t = min(t_max, Q(1), abs(c[k]) / tail if tail else Q(1)) / 2  # tail <= c_k t^k
        assert c[k] < 0 and loss(inst, _moved(point, dW, dz, t)) < base
    else:
        r = _radius(inst, point)
        cols = [[inst.X[j][n] for j in range(inst.d0)] for n in range(inst.N)]
        for _ in range(40):
            dW = [[Q(rnd.randint(-4, 4), 4) * r for _ in range(inst.d0)] for _ in range(inst.d1)]
            if rnd.random() < 0.5:  # along a tied data point, the side a kink opens
                i, n = rnd.randrange(inst.d1), rnd.randrange(inst.N)
                s = Q(rnd.choice([1, -1])) * r / (1 + sum(abs(v) for v in cols[n]))
                dW[i] = [s * v + w / 8 for v, w in zip(cols[n], dW[i])]
            dz = [Q(rnd.randint(-4, 4), 4) * r for _ in range(inst.d1)]
            assert loss(inst, _moved(point, dW, dz, Q(1))) >= base
    _certified(inst, point, rep)


@settings(max_examples=60, deadline=None)
@given(kink_points())
def test_at_differentiable_points_the_verdict_is_the_differentiable_deciders(case) -> None:
    inst, point = case
    reference = analyze_point(inst, point)
    if reference.differentiable:
        assert decide_point(inst, point).local_minimum == reference.local_minimum
