"""exactmin train: float runs propose, the exact classification decides. Certified losses are
losses the independent census lists; the classifier refuses endpoints the floats got wrong."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from exactmin import certify, random_instance
from exactmin.cli import main
from exactmin.experiments.training import (
    census_check,
    classify,
    summary,
    train_run,
    train_runs,
)
from exactmin.models.deep import DeepInstance

GOLDEN = Path(__file__).parents[1] / "golden" / "data"


def _deep(name: str) -> DeepInstance:
    return DeepInstance.from_dict(json.loads((GOLDEN / name).read_text()))


@pytest.mark.parametrize("name", ["g1-leaky-no-noise.json", "g3-relu-dead-unit.json",
                                  "g4-relu-needs-z-zero.json"])
def test_certified_losses_are_losses_the_census_lists(name) -> None:
    expected = json.loads((GOLDEN / "expected.json").read_text())[name]
    inst = _deep(name)
    results = train_runs(inst, 12, seed=0)
    census = {Fraction(q) for q in expected["bad_losses"]}
    certified = [r for r in results if r.classification in ("bad_dlm", "zero_loss_dlm")]
    assert len(certified) >= 4  # at least a third of the runs
    for r in certified:
        assert r.loss is not None and r.dlm is not None
        if r.classification == "bad_dlm":
            assert r.loss > 0 and r.loss in census
        else:
            assert r.loss == 0


def test_certified_losses_on_a_random_instance_match_its_census() -> None:
    one = random_instance(2, 2, 4, "1/2", seed=3)
    census = certify(one, census=True).census
    inst = DeepInstance.from_instance(one)
    for r in train_runs(inst, 10, seed=5):
        if r.classification == "bad_dlm":
            assert r.loss in census.bad_losses
        if r.classification == "zero_loss_dlm":
            assert r.loss == 0


def test_zero_loss_endpoints_have_exactly_zero_loss() -> None:
    one = random_instance(2, 3, 5, "1/2", noise=True, seed=1)  # N <= d0*d1, noise: theorem holds
    inst = DeepInstance.from_instance(one)
    results = train_runs(inst, 8, seed=0)
    zero = [r for r in results if r.classification == "zero_loss_dlm"]
    assert zero and all(r.loss == 0 for r in zero)
    assert not any(r.classification == "bad_dlm" for r in results)


def test_runs_are_reproducible_and_independent_of_workers() -> None:
    inst = _deep("g1-leaky-no-noise.json")
    a = [r.to_dict() for r in train_runs(inst, 4, seed=2)]
    b = [r.to_dict() for r in train_runs(inst, 4, seed=2, workers=2)]
    assert a == b


def test_a_wrong_float_endpoint_is_never_certified() -> None:
    inst = _deep("g1-leaky-no-noise.json")
    Ws, loss, steps = train_run(inst, 1)
    good = classify(inst, Ws, loss)
    assert good.classification == "bad_dlm"
    lied = classify(inst, Ws, 0.0)  # the float loss claims zero at a bad minimum
    assert lied.classification == "not_certified" and "had not converged" in lied.reason
    kink = [W.copy() for W in Ws]
    kink[0][0] = np.array([1.0, 0.0])  # w_0 . x_0 = 0: x_0 = (0, 1)
    out = classify(inst, kink, loss)  # one hidden layer at a kink: the suggested face, exactly
    assert out.classification in ("kink_local_min", "not_local_min", "not_certified")
    assert "at a kink" in out.reason
    if out.classification == "kink_local_min":
        assert out.loss is not None and abs(float(out.loss) - loss) <= 1e-6 * (1 + float(out.loss))


def test_an_endpoint_in_a_region_without_a_dlm_is_not_certified() -> None:
    """g1's region (all points active, last point inactive) holds no DLM (the exact region
    decision says so): wherever a run stops in it, it is not at a local minimum."""
    inst = _deep("g1-leaky-no-noise.json")
    Ws = [np.array([[0.0, 1.0], [-2.0, 3.0]]), np.array([[1.0, 1.0]])]
    out = classify(inst, Ws, 1.0)
    assert out.classification == "not_certified" and "holds no DLM" in out.reason
    assert out.pattern[0] == ((1, 1, 1), (1, 1, -1))


def test_deeper_networks_are_classified_through_their_last_layers() -> None:
    inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0],
                                   "widths": [2, 2, 2, 1], "rho": "1/2"})
    results = train_runs(inst, 6, seed=0)
    for r in results:
        if r.classification in ("bad_dlm", "zero_loss_dlm"):
            from exactmin.decide.deep import analyze_deep_point

            rep = analyze_deep_point(inst, r.dlm)
            assert rep.local_minimum is True and rep.loss == r.loss
    assert summary(results)["runs"] == 6


def test_train_command_line(tmp_path, capsys) -> None:
    path = GOLDEN / "g1-leaky-no-noise.json"
    csv_path, png = tmp_path / "runs.csv", tmp_path / "runs.png"
    assert main(["train", str(path), "--runs", "3", "--json", "--csv", str(csv_path),
                 "--png", str(png)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["runs"]) == 3 and out["summary"]["runs"] == 3
    assert {"seed", "classification", "loss", "float_loss", "pattern"} <= set(out["runs"][0])
    assert csv_path.read_text().count("\n") == 4 and png.stat().st_size > 0
    assert main(["train", str(path), "--runs", "0"]) == 2
    assert main(["train", str(path), "--csv", str(tmp_path / "x.txt")]) == 2
    assert "must end in .csv" in capsys.readouterr().err


@pytest.mark.parametrize("widths, rho, seed, N", [([2, 2, 2, 1], "1/2", 0, 5),
                                                  ([2, 3, 2, 1], "0", 1, 5),
                                                  ([2, 2, 2, 2, 1], "1/3", 3, 4)])
def test_deep_certified_losses_are_listed_by_the_restricted_census(widths, rho, seed, N) -> None:
    """Depth 2 and 3: every certified loss is listed by the restricted census at the run's own
    lower layers (the fast engine's census, decided by other code than the classification);
    the same run with a loss the census does not hold is flagged."""
    import dataclasses

    one = random_instance(widths[0], 2, N, rho, seed=seed)
    inst = DeepInstance.from_dict({"X": [[str(x) for x in row] for row in one.X],
                                   "y": [str(v) for v in one.y], "widths": widths, "rho": rho})
    results = train_runs(inst, 8, seed=seed)
    certified = [r for r in results if r.dlm is not None]
    assert certified, [r.reason for r in results]
    listed = census_check(inst, results)
    assert all(x is True for x, r in zip(listed, results) if r.dlm is not None)
    assert all(x is None for x, r in zip(listed, results) if r.dlm is None)
    wrong = dataclasses.replace(certified[0], loss=certified[0].loss + Fraction(1, 7))
    assert census_check(inst, [wrong]) == [False]


def test_train_census_check_on_the_command_line(capsys) -> None:
    path = GOLDEN / "g3-relu-dead-unit.json"
    assert main(["train", str(path), "--runs", "4", "--json", "--census-check"]) == 0
    out = json.loads(capsys.readouterr().out)
    for run in out["runs"]:
        assert run["census_lists_loss"] is (True if run["loss"] is not None else None)
    cc = out["summary"]["census_check"]
    assert cc["listed"] == cc["certified"] == out["summary"]["certified"] >= 1
    assert main(["train", str(path), "--runs", "2", "--force"]) == 2
    assert "--census-check" in capsys.readouterr().err


def test_deep_endpoints_near_but_not_at_exact_critical_points() -> None:
    """An exact bad local minimum of a depth-2 network (loss 4/7, P e = 0) with W_1 moved by
    1e-7, as a float run would leave it, is still certified: with P e = 0 the bad minima form a
    valley and the moved point's exact last layers are again a local minimum. On a random
    depth-2 instance, float endpoints whose lower layers are only nearly critical are refused
    with the size of their exact gradient."""
    inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
                                   "widths": [2, 2, 2, 1], "rho": "1/3"})
    Ws = [np.array([[1.0, 4.0], [2.0, 4.0]]), np.array([[1.0, 1.0], [1.0, 2.0]]),
          np.array([[-0.75, 15 / 28]])]
    moved = [Ws[0] + 1e-7 * np.array([[1.0, -2.0], [0.5, 1.0]]), Ws[1], Ws[2]]
    for W in (Ws, moved):
        out = classify(inst, W, 4 / 7)
        assert out.classification == "bad_dlm" and out.loss == Fraction(4, 7)
    one = random_instance(2, 2, 6, "1/2", seed=17)
    deep = DeepInstance.from_dict({"X": [[str(x) for x in row] for row in one.X],
                                   "y": [str(v) for v in one.y], "widths": [2, 3, 2, 1],
                                   "rho": "1/2"})
    near = [r for r in train_runs(deep, 12) if "nearly critical" in r.reason]
    assert near and all(r.classification == "not_certified" and r.dlm is None for r in near)
    assert all("largest entry" in r.reason for r in near)


def test_kink_endpoints_of_one_hidden_layer_are_decided_exactly() -> None:
    """g4 (ReLU): several runs end on a kink. None stays in a blind class: each is a certified
    kink local minimum (re-decided here by the point decider, same exact loss, which the census
    of all minima lists), not a local minimum, or not certified with a reason."""
    from exactmin.decide.soudry_carmon_kinks import decide_point
    from exactmin.models import Instance, Point
    from exactmin.search.all_minima import scan_faces

    inst = _deep("g4-relu-needs-z-zero.json")
    one = Instance.from_json(GOLDEN / "g4-relu-needs-z-zero.json")
    results = train_runs(inst, 20, seed=0)
    assert not any(r.classification == "non_differentiable" for r in results)
    kinks = [r for r in results if r.classification == "kink_local_min"]
    assert kinks
    census = scan_faces(one, force=True)
    for r in kinks:
        assert r.dlm is not None and r.loss is not None
        rep = decide_point(one, Point.from_lists(r.dlm.weights[0], r.dlm.weights[1][0], one))
        assert rep.local_minimum and rep.loss == r.loss
        assert r.loss == 0 or r.loss in census.bad_losses
