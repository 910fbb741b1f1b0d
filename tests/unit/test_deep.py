"""Networks of any depth: golden points, depth-1 parity with the one-hidden-layer decider,
gradients against exact central differences, certified minima not improved inside their box,
certified saddles really descend, and bad input named."""

import json
import random
from fractions import Fraction as Q
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import InvalidInput, certify, verify_point
from exactmin.cli import main
from exactmin.decide.deep import analyze_deep_point, one_sided_loss, unflatten
from exactmin.models.deep import DeepInstance, DeepPoint, forward
from exactmin.strategies import deep_instances, deep_points, instances
from exactmin.theorems.soudry_carmon import verify_deep_point

DATA = Path(__file__).parents[1] / "golden" / "data"
GOLDEN = json.loads((DATA / "deep_points.json").read_text())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_deep_points(name: str, tmp_path, capsys) -> None:
    case = GOLDEN[name]
    (tmp_path / "i.json").write_text(json.dumps(case["instance"]))
    (tmp_path / "p.json").write_text(json.dumps(case["point"]))
    main(["verify-point", str(tmp_path / "i.json"), "--point", str(tmp_path / "p.json"),
          "--json"])
    got = json.loads(capsys.readouterr().out)
    want = case["expected"]
    for key in ("differentiable", "critical", "local_minimum", "full_rank_layers",
                "path_least_squares"):
        assert got[key] == want[key], key
    assert got["loss"] == want["loss"]


def _random_point(inst: DeepInstance, rng: random.Random, lo: int = -3, hi: int = 3) -> DeepPoint:
    w = inst.widths
    return DeepPoint(tuple(tuple(tuple(Q(rng.randint(lo, hi), rng.randint(1, 2))
                                       for _ in range(w[l - 1])) for _ in range(w[l]))
                           for l in range(1, len(w))))


@settings(max_examples=40)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 4)),
       st.integers(0, 10**6))
def test_depth_one_parity_with_the_one_hidden_layer_decider(inst, seed: int) -> None:
    """A depth-1 network is the one-hidden-layer instance: same differentiability, criticality,
    local-minimum verdict and loss, on random points and on the census's counterexamples."""
    deep = DeepInstance.from_instance(inst)
    rng = random.Random(seed)
    points = [_random_point(deep, rng) for _ in range(3)]
    res = certify(inst, census=True)
    if res.verdict == "refuted":
        ce = res.counterexample
        points.append(DeepPoint((ce.W, (ce.z,))))
    for p in points:
        old = verify_point(inst, p.weights[0], p.weights[1][0])
        new = analyze_deep_point(deep, p)
        assert (new.differentiable, new.critical, new.loss) == (
            old.differentiable, old.critical, old.loss)
        assert new.local_minimum == old.local_minimum, (new.reason, old.reason)


def _deep_instances():
    return deep_instances(depth=st.integers(1, 2), max_width=2, rho=st.sampled_from(
        [Q(0), Q(1, 2), Q(-1, 3)]), noise=False) | deep_instances(depth=1, max_width=2,
                                                                    noise=True)


@settings(max_examples=40)
@given(_deep_instances(), st.integers(0, 10**6))
def test_gradient_equals_exact_central_differences(inst, seed: int) -> None:
    """On the point's piece the loss is a polynomial of degree <= 2 in each single weight, so
    (L(w + 1) - L(w - 1)) / 2 with the slopes fixed is that partial derivative exactly."""
    p = _random_point(inst, random.Random(seed))
    rep = analyze_deep_point(inst, p)
    if not rep.differentiable:
        return
    fw = forward(inst, p)
    flat = [(l, i, j) for l, W in enumerate(p.weights) for i, row in enumerate(W)
            for j in range(len(row))]
    for l, i, j in flat:
        def moved(step: int) -> DeepPoint:
            W = [list(map(list, M)) for M in p.weights]
            W[l][i][j] += step
            return DeepPoint(tuple(tuple(map(tuple, M)) for M in W))
        plus, minus = forward(inst, moved(1), fw.a).loss, forward(inst, moved(-1), fw.a).loss
        assert (plus - minus) / 2 == rep.gradient[l][i][j]


@settings(max_examples=30)
@given(_deep_instances(), st.integers(0, 10**6))
def test_verdicts_hold_up_to_exact_checks(inst, seed: int) -> None:
    """A certified minimum is not beaten inside its box (hidden weights moved within the radius,
    w_out anywhere); a certified saddle descends along its direction."""
    rng = random.Random(seed)
    p = _random_point(inst, rng)
    rep = analyze_deep_point(inst, p)
    if rep.local_minimum and rep.box_radius is not None:
        r = rep.box_radius
        for _ in range(20):
            hidden = tuple(tuple(tuple(v + r * Q(rng.randint(-8, 8), 8) for v in row) for row in W)
                           for W in p.weights[:-1])
            out = ((tuple(Q(rng.randint(-9, 9), rng.randint(1, 3)) for _ in p.weights[-1][0]),)
                   if rng.random() < 0.5 else p.weights[-1])
            assert forward(inst, DeepPoint((*hidden, out))).loss >= rep.loss
    if rep.escape_direction is not None:
        d = rep.escape_direction
        flat = [v for W in p.weights for row in W for v in row]
        for k in range(1, 60):
            t = Q(1, 2**k)
            moved, m = [], 0
            for W in p.weights:
                rows = []
                for row in W:
                    rows.append(tuple(v + t * d[m + c] for c, v in enumerate(row)))
                    m += len(row)
                moved.append(tuple(rows))
            if forward(inst, DeepPoint(tuple(moved))).loss < rep.loss:
                break
        else:
            raise AssertionError(f"no descent along the escape direction ({len(flat)} weights)")


def test_saddle_found_for_a_critical_point_with_zero_output_weights() -> None:
    """z = 0 with every w_i orthogonal to its block of K e: critical, K e != 0; moving z_i and
    w_i together descends (the key lemma's second-order argument), found as d^T H d < 0."""
    inst = DeepInstance.from_dict({"X": [[1, 0, 1], [0, 1, 1]], "y": [1, 1, 0],
                                   "widths": [2, 1, 1], "rho": "1/2"})
    rep = verify_deep_point(inst, {"W": [[1, -2]], "z": [0]})  # w . (K e block) = -1 + 1 = 0
    assert rep.critical and not rep.path_least_squares
    assert rep.local_minimum is False and rep.escape_direction is not None


@pytest.mark.parametrize("instance, point, field", [
    ({"X": [[1]], "y": [1], "widths": [1, 1, 2], "rho": 0}, None, "widths"),
    ({"X": [[1]], "y": [1], "widths": [1, 1], "rho": 0}, None, "widths"),
    ({"X": [[1]], "y": [1], "widths": [1, 1, 1], "rho": 0, "noise": [[[1]], [[1]]]}, None,
     "noise has 2 matrices"),
    ({"X": [[1]], "y": [1], "widths": [1, 2, 1], "rho": 0}, {"weights": [[[1], [2, 3]], [[1, 1]]]},
     "weights[0]"),
    ({"X": [[1]], "y": [1], "widths": [1, 2, 1], "rho": 0}, {"weights": [[[1], [2]]]}, "weights has"),
])
def test_bad_deep_input_exits_2_naming_the_field(instance, point, field, tmp_path, capsys) -> None:
    (tmp_path / "i.json").write_text(json.dumps(instance))
    (tmp_path / "p.json").write_text(json.dumps(point or {"weights": [[[1]], [[1]]]}))
    code = main(["verify-point", str(tmp_path / "i.json"), "--point", str(tmp_path / "p.json")])
    assert code == 2 and field in capsys.readouterr().err


def test_deep_instance_errors_are_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="widths"):
        DeepInstance.from_dict({"X": [[1]], "y": [1], "widths": [1, 1, 3], "rho": 0})


@settings(max_examples=20)
@given(deep_instances(depth=st.integers(1, 2), max_width=2).flatmap(
    lambda inst: st.tuples(st.just(inst), deep_points(inst))))
def test_public_deep_strategies_give_decidable_points(pair) -> None:
    inst, point = pair
    rep = analyze_deep_point(inst, point)
    assert rep.loss == forward(inst, point).loss
    assert rep.local_minimum in (True, False, None)
    if not rep.differentiable and rep.local_minimum is not None:  # decided at a kink
        assert rep.loss == 0 or inst.L == 1 or rep.local_minimum is False  # minima: 1 layer


# ------------------------------------------------------------------ certificates, any depth
@settings(max_examples=40)
@given(_deep_instances(), st.integers(0, 10**6))
def test_every_deep_verdict_is_certified_and_the_kernel_agrees(inst, seed: int) -> None:
    """Whatever verify-point decides (local minimum or not) comes with a certificate the kernel
    accepts with the same verdict; a point it does not decide gets none. The opposite claim, with
    the same witness, is never accepted."""
    from exactmin.certificates.deep import point_certificate
    from exactmin.check import Malformed, Rejected, check_certificate

    p = _random_point(inst, random.Random(seed))
    rep = analyze_deep_point(inst, p)
    cert = point_certificate(inst, p, rep)
    if rep.local_minimum is None:
        assert cert is None
        return
    info = check_certificate(json.loads(json.dumps(cert)))
    assert info["verdict"] == ("local_minimum" if rep.local_minimum else "not_local_minimum")
    forged = dict(cert, verdict="not_local_minimum" if rep.local_minimum else "local_minimum")
    with pytest.raises((Rejected, Malformed)):
        check_certificate(json.loads(json.dumps(forged)))


def _features_by_hand(raw: dict, lower: list) -> list[list[Q]]:
    """h_{L-1}(n) computed directly from the definition (an independent few lines)."""
    X = [[Q(v) for v in row] for row in raw["X"]]
    rho = Q(raw["rho"])
    cols = []
    for n in range(len(X[0])):
        h = [row[n] for row in X]
        for l, W in enumerate(lower):
            E = raw.get("noise")
            u = [sum(Q(w) * x for w, x in zip(row, h)) for row in W]
            h = [(Q(E[l][i][n]) if E else 1) * (v if v > 0 else rho * v) for i, v in enumerate(u)]
        cols.append(h)
    return [list(r) for r in zip(*cols)]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["0", "1/2", "-1/3"]), st.booleans())
def test_restricted_census_equals_the_census_on_the_features(seed: int, rho: str,
                                                             noisy: bool) -> None:
    """certify --fixed-layers is exactly the one-hidden-layer census on h_{L-1}(n) with noise
    E_L (features recomputed here by hand), and a refutation's lifted point is decided in the
    full network: a certified local minimum there is a genuine deep bad DLM."""
    from exactmin.models import Instance
    from exactmin.theorems.soudry_carmon import certify_restricted

    rng = random.Random(seed)
    N = rng.randint(2, 4)
    widths = [2, 2, rng.randint(1, 2), 1]
    raw = {"X": [[rng.randint(-2, 2) for _ in range(N)] for _ in range(2)],
           "y": [rng.randint(-2, 2) for _ in range(N)], "widths": widths, "rho": rho}
    if noisy:
        raw["noise"] = [[[f"{rng.randint(1, 9)}/4" for _ in range(N)] for _ in range(d)]
                        for d in widths[1:-1]]
    lower = [[[rng.randint(-2, 2) for _ in range(2)] for _ in range(2)]]
    try:
        inst = DeepInstance.from_dict(raw)
    except InvalidInput:
        return
    out = certify_restricted(inst, {"weights": lower}, census=True)
    features = Instance(X=tuple(map(tuple, _features_by_hand(raw, lower))), y=inst.y,
                        d1=widths[2], rho=inst.rho,
                        noise=None if not noisy else inst.noise[-1])
    direct = certify(features, census=True)
    assert out.result.verdict == direct.verdict
    assert out.result.census == direct.census
    if out.full_network is not None and out.full_network.local_minimum:
        assert out.full_network.loss > 0 and out.full_network.path_least_squares


def test_restricted_census_from_the_command_line(tmp_path, capsys) -> None:
    """certify DEEP --fixed-layers LOWER --census --json --out: the census fields of the
    features' problem, the claim, and a certificate the kernel re-checks; a deep file without
    --fixed-layers, and fixed layers of the wrong shape, exit 2 naming the problem."""
    inst = tmp_path / "deep.json"
    inst.write_text(json.dumps({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0],
                                "widths": [2, 2, 2, 1], "rho": "1/2"}))
    lower = tmp_path / "lower.json"
    lower.write_text(json.dumps({"weights": [[[1, 1], [1, 2]]]}))
    cert = tmp_path / "c.json"
    code = main(["certify", str(inst), "--fixed-layers", str(lower), "--census", "--json",
                 "--out", str(cert), "--no-progress"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["verdict"] == "refuted"
    assert out["restricted"]["features"] == [["1", "2", "3"], ["2", "3", "4"]]
    assert out["restricted"]["full_network"]["local_minimum"] is True
    assert main(["check", str(cert)]) == 0
    assert main(["certify", str(inst)]) == 2
    assert "--fixed-layers" in capsys.readouterr().err
    lower.write_text(json.dumps({"weights": [[[1, 1, 1], [1, 2, 1]]]}))
    assert main(["certify", str(inst), "--fixed-layers", str(lower)]) == 2
    assert "weights[0] must be 2 x 2" in capsys.readouterr().err


def test_verify_point_writes_checked_certificates_for_any_depth(tmp_path, capsys) -> None:
    """verify-point --out for a depth-1 {W, z} point and for a deep point read from stdin."""
    import io
    import sys

    inst = tmp_path / "i.json"
    inst.write_text(json.dumps({"X": [[1, 2], [1, 1]], "y": [1, 2], "d1": 1, "rho": 0}))
    point = tmp_path / "p.json"
    point.write_text(json.dumps({"W": [[-1, -1]], "z": [1]}))
    assert main(["verify-point", str(inst), "--point", str(point), "--out",
                 str(tmp_path / "c1.json")]) == 0
    assert "VERIFIED local_minimum" in capsys.readouterr().out
    g = GOLDEN["P3_random"]
    point.write_text(json.dumps(g["point"]))
    old = sys.stdin
    sys.stdin = io.StringIO(json.dumps(g["instance"]))
    try:
        code = main(["verify-point", "-", "--point", str(point), "--json", "--out",
                     str(tmp_path / "c2.json")])
    finally:
        sys.stdin = old
    assert code == 1 and json.loads(capsys.readouterr().out)["certificate"].endswith("c2.json")
    assert main(["check", str(tmp_path / "c2.json")]) == 0


# ------------------------------------------------------------------ deep counterexamples
@pytest.mark.parametrize("widths, rho, family", [
    ([2, 2, 2, 1], "1/2", "linear-fit"), ([3, 2, 3, 2, 1], "-1/3", "linear-fit"),
    ([2, 2, 2, 1], "0", "linear-fit"), ([2, 3, 2, 1], "0", "dead-layer"),
    ([2, 2, 2, 2, 1], "0", "dead-layer"), ([2, 2, 2, 1], "1/2", "search"),
    ([2, 2, 1, 1], "1/3", "search")])
def test_deep_counterexample_families_are_certified_bad_minima(widths, rho, family) -> None:
    """Each family gives a bad local minimum certified by P e = 0: the kernel accepts its
    certificate, no random perturbation inside its box does better, and no data points repeat."""
    from exactmin.certificates.deep import point_certificate
    from exactmin.check import check_certificate
    from exactmin.theorems.soudry_carmon import find_deep_counterexample

    out = find_deep_counterexample(widths, rho=rho, family=family, seed=3)
    inst, p, rep = out.instance, out.point, out.report
    assert out.family == family and rep.local_minimum is True and rep.loss > 0
    assert list(inst.widths) == widths and inst.rho == Q(rho) and inst.noise is None
    assert len({tuple(r[n] for r in inst.X) for n in range(inst.N)}) == inst.N
    assert check_certificate(json.loads(json.dumps(point_certificate(inst, p, rep))))[
        "verdict"] == "local_minimum"
    rng = random.Random(0)
    r = rep.box_radius
    for _ in range(30):
        hidden = tuple(tuple(tuple(v + r * Q(rng.randint(-8, 8), 8) for v in row) for row in W)
                       for W in p.weights[:-1])
        w_out = (tuple(Q(rng.randint(-9, 9), 4) for _ in p.weights[-1][0]),)
        assert forward(inst, DeepPoint((*hidden, w_out))).loss >= rep.loss
    if family == "linear-fit":  # the end-to-end map is the least-squares linear fit: X e = 0
        e = forward(inst, p).e
        assert all(sum(row[n] * e[n] for n in range(inst.N)) == 0 for row in inst.X)
    if family == "dead-layer":
        assert rep.loss == sum(v * v for v in inst.y) / 2


def test_find_counterexample_with_widths_from_the_command_line(tmp_path, capsys) -> None:
    code = main(["find-counterexample", "--widths", "2,2,2,1", "--out", str(tmp_path / "f"),
                 "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["found"] and set(out["files"]) == {"instance", "point", "certificate"}
    assert main(["verify-point", out["files"]["instance"], "--point", out["files"]["point"]]) == 0
    assert main(["check", out["files"]["certificate"]]) == 0
    capsys.readouterr()
    for argv, field in ((["--widths", "2,2,2"], "--widths"), (["--widths", "2,x,1"], "--widths"),
                        (["--widths", "2,2,1", "--d1", "3"], "--d1"),
                        (["--widths", "2,2,2,1", "--family", "dead-layer"], "dead-layer"),
                        (["--widths", "2,1,2,1", "--family", "linear-fit"], "linear-fit"),
                        (["--family", "search"], "--family")):
        assert main(["find-counterexample", *argv]) == 2, argv
        assert field in capsys.readouterr().err, argv


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_deep_kinks_descend_exactly_or_stay_undecided(seed: int) -> None:
    """Depth-2 points with a zero pre-activation in the first layer: a 'not a local minimum'
    verdict comes with a direction along which the loss, recomputed by the forward pass at a
    small exact t, is lower, and a certificate the kernel accepts; otherwise the verdict is
    undecided (or zero loss) with a reason."""
    from exactmin.certificates.deep import point_certificate
    from exactmin.check import check_certificate

    rng = random.Random(seed)
    X = [[rng.randint(-2, 2) for _ in range(3)] for _ in range(2)]
    if X[0][0] == 0 and X[1][0] == 0:
        X[0][0] = 1
    inst = DeepInstance.from_dict({"X": X, "y": [rng.randint(-3, 3) for _ in range(3)],
                                   "widths": [2, 2, 2, 1], "rho": rng.choice([0, "1/2"])})
    W1 = [[-X[1][0], X[0][0]], [rng.randint(-2, 2), rng.randint(-2, 2)]]  # w_1 . x_0 = 0
    p = DeepPoint.from_dict({"weights": [W1, [[rng.randint(-2, 2) for _ in range(2)]
                                              for _ in range(2)],
                                         [[rng.randint(-2, 2) for _ in range(2)]]]}, inst)
    rep = analyze_deep_point(inst, p)
    if rep.differentiable:
        return
    assert rep.local_minimum is not True or rep.loss == 0
    if rep.local_minimum is None:
        assert "undecided" in rep.reason
        return
    if rep.local_minimum is False:
        assert rep.escape_direction is not None
        D = unflatten(rep.escape_direction, p.weights)
        c = one_sided_loss(inst, p, D)
        k = next(k for k, q in enumerate(c) if q)
        t = min(Q(1), abs(c[k]) / (sum(abs(q) for q in c[k + 1:]) or 1)) / 2  # c_k dominates
        for _ in range(64):  # the polynomial holds on the direction's first piece: t into it
            moved = DeepPoint(tuple(tuple(tuple(w + t * d for w, d in zip(r, dr)) for r, dr in
                                          zip(W, DW)) for W, DW in zip(p.weights, D)))
            change = forward(inst, moved).loss - rep.loss
            if change == sum(q * t ** (i + 1) for i, q in enumerate(c)):
                break
            t /= 2
        assert change == sum(q * t ** (i + 1) for i, q in enumerate(c)) and change < 0
    info = check_certificate(json.loads(json.dumps(point_certificate(inst, p, rep))))
    assert info["verdict"] == ("local_minimum" if rep.local_minimum else "not_local_minimum")
