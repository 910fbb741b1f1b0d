"""The census of all local minima, kinks included (exactmin.search.all_minima)."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from exactmin import Instance, certify
from exactmin.cli import main
from exactmin.decide.soudry_carmon_kinks import decide_point
from exactmin.search.all_minima import _nth, scan_faces
from exactmin.theorems.soudry_carmon import all_minima
from tests.properties.test_soudry_carmon_kinks import kink_points

GOLDEN = Path(__file__).parents[1] / "golden" / "data"


@pytest.mark.parametrize("name", ["g1-leaky-no-noise.json", "g2-leaky-noise.json",
                                  "g3-relu-dead-unit.json"])
def test_the_dlm_census_is_contained_in_the_census_of_all_minima(name: str) -> None:
    inst = Instance.from_json(GOLDEN / name)
    dlm = set(certify(inst, census=True).census.bad_losses)
    out = scan_faces(inst, force=True)
    assert out.complete and dlm <= set(out.bad_losses)
    assert set(out.bad_losses_nondifferentiable) == set(out.bad_losses) - dlm
    assert list(out.bad_losses) == sorted(set(out.bad_losses))


@settings(max_examples=40, deadline=None)
@given(kink_points())
def test_every_local_minimum_the_point_decider_finds_is_in_the_census(case) -> None:
    """Two implementations: the point decider (cone tests at one point) and the face census
    (one LP per face combination). A bad local minimum found by the first has its loss listed
    by the second."""
    inst, point = case
    rep = decide_point(inst, point)
    if rep.local_minimum and rep.loss > 0:
        out = scan_faces(inst, force=True)
        assert rep.loss in out.bad_losses
        if not rep.differentiable and rep.loss not in set(
                certify(inst, census=True).census.bad_losses):
            assert rep.loss in out.bad_losses_nondifferentiable


def test_enumeration_order_is_indexable() -> None:
    import itertools

    multisets = list(itertools.combinations_with_replacement(range(5), 3))
    assert [_nth(5, 3, k, True) for k in range(len(multisets))] == multisets


def test_refuted_result_and_its_counterexample() -> None:
    inst = Instance.from_json(GOLDEN / "g3-relu-dead-unit.json")
    res = all_minima(inst)
    assert res.verdict == "refuted" and res.to_dict()["faces"] == 27
    ce = res.outcome.counterexample
    rep = decide_point(inst, ce)
    assert rep.local_minimum and rep.loss in res.outcome.bad_losses and rep.loss > 0
    assert "REFUTED" in str(res)


def test_command_line(capsys, tmp_path) -> None:
    g3 = str(GOLDEN / "g3-relu-dead-unit.json")
    assert main(["certify", g3, "--census", "--all-minima", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)["all_minima"]
    assert data["verdict"] == "refuted" and data["bad_losses"] == ["1/2", "2", "5/2"]
    assert main(["certify", str(GOLDEN / "g2-leaky-noise.json"), "--census", "--all-minima",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["all_minima"]["faces_with_bad_minima"] == 0
    assert main(["certify", g3, "--all-minima"]) == 2
    assert "--all-minima needs --census" in capsys.readouterr().err
    assert main(["certify", g3, "--census", "--all-minima", "--out",
                 str(tmp_path / "c.json")]) == 2
    assert "--out cannot be combined with --all-minima" in capsys.readouterr().err


def test_budget_gives_inconclusive() -> None:
    inst = Instance.from_json(GOLDEN / "g2-leaky-noise.json")
    res = all_minima(inst, force=True, budget=0.01)
    assert res.verdict == "inconclusive" and not res.outcome.complete
    assert "budget" in res.outcome.stopped
