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
from exactmin.decide.deep import analyze_deep_point
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
    assert rep.local_minimum in (True, False, None) and (rep.differentiable or
                                                         rep.local_minimum is None)
