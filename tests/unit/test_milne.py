"""Milne: the exact Hessian of the weight-decayed loss on a piece against exact central second
differences, the eigenvalue shift by lam, dead units giving eigenvalue lam, LDL^T against floats,
and the command line."""

import json
import random
from fractions import Fraction as Q

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.cli import main
from exactmin.linalg import rank
from exactmin.models.deep import DeepInstance, DeepPoint, forward
from exactmin.strategies import deep_instances
from exactmin.theorems.milne import convexity


def _point(inst: DeepInstance, rng: random.Random) -> DeepPoint:
    w = inst.widths
    return DeepPoint(tuple(tuple(tuple(Q(rng.randint(-3, 3), rng.randint(1, 2))
                                       for _ in range(w[l - 1])) for _ in range(w[l]))
                           for l in range(1, len(w))))


def _F(inst: DeepInstance, p: DeepPoint, lam: Q, slopes) -> Q:
    decay = sum((v * v for W in p.weights for r in W for v in r), Q(0)) * lam / 2
    return forward(inst, p, slopes).loss + decay


def _moved(p: DeepPoint, steps: dict) -> DeepPoint:
    flat = [v for W in p.weights for r in W for v in r]
    for k, s in steps.items():
        flat[k] += s
    out, k = [], 0
    for W in p.weights:
        rows = []
        for r in W:
            rows.append(tuple(flat[k:k + len(r)]))
            k += len(r)
        out.append(tuple(rows))
    return DeepPoint(tuple(out))


@settings(max_examples=25, deadline=None)
@given(deep_instances(depth=st.integers(1, 2), max_width=2,
                      rho=st.sampled_from([Q(0), Q(1, 2)])), st.integers(0, 10**6))
def test_hessian_equals_exact_central_second_differences(inst, seed) -> None:
    """On the piece F has degree <= 2 in each single weight, so second central differences
    (diagonal) and the four-point mixed difference are its second derivatives exactly."""
    p = _point(inst, random.Random(seed))
    lam = Q(1, 3)
    c = convexity(inst, p, lam)
    if not c.differentiable:
        return
    slopes = forward(inst, p).a
    H, m = c.hessian, len(c.hessian)
    f0 = _F(inst, p, lam, slopes)
    for a in range(m):
        assert _F(inst, _moved(p, {a: 1}), lam, slopes) - 2 * f0 + _F(
            inst, _moved(p, {a: -1}), lam, slopes) == H[a][a]
        for b in range(a + 1, m):
            mixed = sum(sa * sb * _F(inst, _moved(p, {a: sa, b: sb}), lam, slopes)
                        for sa in (1, -1) for sb in (1, -1)) / 4
            assert mixed == H[a][b] == H[b][a]
    eig = np.linalg.eigvalsh(np.array([[float(x) for x in r] for r in H]))
    if eig[0] > 1e-6:
        assert c.positive_definite
    if eig[0] < -1e-6:
        assert c.positive_definite is False
    assert abs(float(c.lambda_min.mid) - eig[0]) < 1e-6 * max(1.0, abs(eig[0]))


def test_lambda_min_moves_exactly_with_lam() -> None:
    inst = DeepInstance.from_dict({"X": [[2, 1, -1, 1], [1, 3, 2, -2]], "y": [1, -1, 0, 2],
                                   "widths": [2, 2, 2, 1], "rho": "1/2"})
    p = {"weights": [[[1, 2], [-1, 1]], [[1, -2], [2, 1]], [[1, 1]]]}
    a, b = convexity(inst, p, "1/10"), convexity(inst, p, "7/3")
    assert Q(7, 3) - Q(1, 10) in b.lambda_min - a.lambda_min  # exact interval arithmetic
    assert a.training_error == b.training_error


def test_a_dead_unit_with_zero_output_weight_gives_eigenvalue_lam() -> None:
    """A ReLU unit dead on every point with output weight 0: the loss does not see its weights,
    so H - lam I has a kernel (its incoming weights and output weight)."""
    inst = DeepInstance.from_dict({"X": [[1, 2, 3], [1, 1, 1]], "y": [1, 0, 2],
                                   "widths": [2, 2, 1], "rho": 0})
    p = {"weights": [[[1, 1], [-1, -1]], [[2, 0]]]}  # unit 1: -x - 1 < 0 everywhere
    lam = Q(1, 5)
    c = convexity(inst, p, lam)
    H = [[h - (lam if i == j else 0) for j, h in enumerate(r)] for i, r in enumerate(c.hessian)]
    assert rank(H) <= len(H) - 3
    assert c.lambda_min.lo <= lam  # the true eigenvalue is <= lam, so the enclosure starts there


def test_convexity_command_line(tmp_path, capsys) -> None:
    inst = tmp_path / "i.json"
    inst.write_text(json.dumps({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
                                "widths": [2, 2, 2, 1], "rho": "1/3"}))
    point = tmp_path / "p.json"
    point.write_text(json.dumps({"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]],
                                             [["-3/4", "15/28"]]]}))
    assert main(["convexity", str(inst), "--point", str(point), "--lam", "1/10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["positive_definite"] is True and out["training_error"] == "4/7"
    lo, hi = (Q(v) for v in out["lambda_min"])
    assert lo <= Q(1, 10) <= hi and hi - lo < Q(1, 10**9)
    point.write_text(json.dumps({"weights": [[[1, 0], [2, 4]], [[1, 1], [1, 2]], [[1, 1]]]}))
    assert main(["convexity", str(inst), "--point", str(point), "--lam", "1/10"]) == 3
    assert "not differentiable" in capsys.readouterr().out
    assert main(["convexity", str(inst), "--point", str(point), "--lam", "-1"]) == 2
    assert "--lam" in capsys.readouterr().err


@settings(max_examples=20, deadline=None)
@given(deep_instances(depth=st.integers(1, 2), max_width=2,
                      rho=st.sampled_from([Q(0), Q(1, 2)])), st.integers(0, 10**6),
       st.sampled_from([Q(0), Q(1, 10), Q(5)]))
def test_convexity_certificates_are_checked_by_the_kernel(inst, seed, lam) -> None:
    """Every decided piece comes with a certificate the kernel accepts with the same verdict
    (it recomputes the Hessian by polarization of the loss along lines); the opposite claim with
    the same witness is never accepted."""
    from exactmin.certificates.milne import convexity_certificate
    from exactmin.check import Malformed, Rejected, check_certificate

    p = _point(inst, random.Random(seed))
    c = convexity(inst, p, lam)
    cert = convexity_certificate(inst, p, lam, c)
    if not c.differentiable:
        assert cert is None
        return
    info = check_certificate(json.loads(json.dumps(cert)))
    assert info["verdict"] == ("positive_definite" if c.positive_definite
                               else "not_positive_definite")
    forged = dict(cert, verdict="not_positive_definite" if c.positive_definite
                  else "positive_definite")
    try:
        check_certificate(json.loads(json.dumps(forged)))
    except (Rejected, Malformed):
        return
    raise AssertionError("the opposite verdict was accepted")


@settings(max_examples=60, deadline=None)
@given(deep_instances(depth=st.integers(1, 3), max_width=2,
                      rho=st.sampled_from([Q(0), Q(1, 2), Q(-1, 3)])), st.integers(0, 10**6),
       st.sampled_from([Q(1001, 1000), Q(17, 16), Q(2)]))
def test_no_point_below_the_threshold_has_a_non_convex_piece(inst, seed, margin) -> None:
    """The derived threshold (proofs/milne.md) says: training error below it implies a positive
    definite Hessian. Search for violations near the boundary: lam is chosen so that the point
    sits just below the threshold (the threshold scales as lam^2). A violation raises in
    convexity() and fails here."""
    import math

    from exactmin.decide.milne import threshold

    p = _point(inst, random.Random(seed))
    base = threshold(inst, p, Q(1))
    loss = forward(inst, p).loss
    if base is None or loss == 0:
        return
    lam = Q(math.sqrt(float(loss / base[0])) * float(margin)).limit_denominator(10**6) + Q(1, 10**6)
    c = convexity(inst, p, lam)
    if not c.differentiable:
        return
    assert c.below_threshold is True
    assert c.positive_definite is True


@settings(max_examples=40, deadline=None)
@given(deep_instances(depth=st.integers(1, 3), max_width=3) |
       deep_instances(depth=st.integers(1, 2), max_width=2, noise=True), st.integers(0, 10**6))
def test_determinant_identity_on_random_pieces(inst, seed) -> None:
    """det of the block matrix (affine in each weight matrix) equals the prediction on the piece,
    for every data point; with the slopes fixed it stays equal after moving any weights."""
    from exactmin.linalg import determinant
    from exactmin.models.deep import determinant_matrix

    p = _point(inst, random.Random(seed))
    fw = forward(inst, p)
    for n in range(inst.N):
        assert determinant(determinant_matrix(inst, p, fw, n)) == fw.yhat[n]
    moved = _point(inst, random.Random(seed + 1))
    fm = forward(inst, moved, fw.a)  # the same piece's polynomial at other weights
    for n in range(inst.N):
        assert determinant(determinant_matrix(inst, moved, fm, n)) == fm.yhat[n]


def _chain_critical_point(depth: int, s: Q, lam: Q, xs: list[Q], es: list[Q]):
    """A scalar chain (every width 1) with every weight ``s > 0`` and labels chosen so that the
    point is an exact critical point of F: sum_n e_n x_n = -lam s^(2 - M), M = depth + 1."""
    M = depth + 1
    e1 = (-lam * s ** (2 - M) - sum((e * x for e, x in zip(es, xs[1:])), Q(0))) / xs[0]
    errors = [e1] + es
    y = [s ** M * x - e for x, e in zip(xs, errors)]
    inst = DeepInstance.from_dict({"X": [[str(x) for x in xs]], "y": [str(v) for v in y],
                                   "widths": [1] * (depth + 1) + [1], "rho": 0})
    point = DeepPoint(tuple(((s,),) for _ in range(M)))
    return inst, point


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.integers(2, 8), st.sampled_from([Q(1, 10), Q(1, 2), Q(2)]),
       st.lists(st.integers(1, 4), min_size=1, max_size=3),
       st.lists(st.integers(-3, 3), max_size=2), st.integers(0, 10**6))
def test_isolation_radius_keeps_the_hessian_positive_definite(depth, s4, lam, xs, es,
                                                              seed) -> None:
    """At exact critical points with a positive definite Hessian, every point of the certified
    ball (sampled just inside its boundary) has a positive definite Hessian on the same piece:
    so the point is the only critical point there. A wrong third-derivative bound (radius too
    large) fails here."""
    xs_q = [Q(x) for x in xs]
    es_q = [Q(e, 2) for e in (es + [0] * len(xs))[:len(xs) - 1]]
    inst, point = _chain_critical_point(depth, Q(s4, 4), lam, xs_q, es_q)
    c = convexity(inst, point, lam)
    assert c.critical is True
    if not c.positive_definite:
        assert c.strict_minimum is False and c.isolation_radius is None
        return
    assert c.strict_minimum is True
    r = c.isolation_radius
    assert r is not None and r > 0
    rng = random.Random(seed)
    M = depth + 1
    for _ in range(5):
        d = [Q(rng.randint(-100, 100), 100) for _ in range(M)]
        norm2 = sum((v * v for v in d), Q(0))
        if norm2 == 0:
            continue
        # scale d to length just below r: |d| <= sqrt(norm2) <= the rational bound used
        scale = r * Q(999, 1000) / (Q(int(float(norm2) ** 0.5 * 1000) + 1, 1000))
        moved = DeepPoint(tuple(((point.weights[l][0][0] + scale * d[l],),) for l in range(M)))
        inside = convexity(inst, moved, lam)
        assert inside.differentiable
        assert forward(inst, moved).a == forward(inst, point).a  # the same piece
        assert inside.positive_definite


def test_non_critical_points_get_no_isolation_radius() -> None:
    inst, point = _chain_critical_point(2, Q(1), Q(1, 10), [Q(1)], [])
    moved = DeepPoint(tuple(((Q(5, 4),),) for _ in range(3)))
    c = convexity(inst, moved, Q(1, 10))
    assert c.critical is False and c.strict_minimum is False and c.isolation_radius is None
    at = convexity(inst, point, Q(1, 10))
    assert at.critical is True and at.positive_definite and at.isolation_radius > 0


def test_training_gradient_matches_exact_gradient_of_F() -> None:
    """The experiment's float trainer descends F: its gradient (read off one tiny step) equals
    the exact gradient of F at the same point to float accuracy."""
    from exactmin.experiments import milne as experiment
    from exactmin.models.deep import gradient_matrices

    X, y = experiment._data(2, 4, 3)
    widths = [2, 3, 3, 1]
    inst = DeepInstance.from_dict({"X": X, "y": y, "widths": widths, "rho": 0,
                                   "noise": experiment._masks(widths, 4, 3)})
    lr, lam = 1e-6, 0.1
    (_, before, _), = experiment.train(inst, 7, 1, 0.0, lam, 1)  # the start (no move)
    (_, after, _), = experiment.train(inst, 7, 1, lr, lam, 1)
    point = experiment._rational(before)
    fw = forward(inst, point)
    G = gradient_matrices(inst, point, fw)
    exact = [float(sum((g * e for g, e in zip(row, fw.e)), Q(0))) + lam * float(t)
             for Gl, W in zip(G, point.weights) for row, t in zip(Gl, (v for r in W for v in r))]
    float_grad = np.concatenate([((b - a) / -lr).ravel() for a, b in zip(before, after)])
    assert np.allclose(float_grad, exact, rtol=1e-4, atol=1e-6)


def test_milne_experiment_writes_its_table(tmp_path, capsys) -> None:
    assert main(["experiment", "milne", "--quick", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "milne.md").read_text()
    assert "| depth | width | masks |" in md and md.count("\n| 2 | 2 |") == 2
    rows = json.loads((tmp_path / "milne.json").read_text())["rows"]
    assert all(r["pd"] <= r["differentiable"] <= r["checkpoints"] for r in rows)
    assert sum(r["differentiable"] for r in rows) > 0
    assert (tmp_path / "milne.png").stat().st_size > 0
