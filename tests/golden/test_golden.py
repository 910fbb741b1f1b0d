"""The shared golden census instances (two independent exact implementations agree on them)."""

import json
from fractions import Fraction
from pathlib import Path

import pytest

from exactmin import Instance, certify
from exactmin.cli import main

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "expected.json").read_text())


def _compare(got: dict, want: dict) -> None:
    # bad_losses are printed in increasing numeric order; expected.json lists them as strings.
    losses = [Fraction(q) for q in got["bad_losses"]]
    assert losses == sorted(losses)
    assert sorted(got["bad_losses"]) == sorted(want["bad_losses"])
    assert {k: got[k] for k in want if k != "bad_losses"} == {
        k: v for k, v in want.items() if k != "bad_losses"
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_census_matches_golden(name: str) -> None:
    got = json.loads(certify(Instance.from_json(DATA / name), census=True).to_json())
    _compare(got, EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_census_json_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["certify", str(DATA / name), "--census", "--json"])
    got = json.loads(capsys.readouterr().out)
    want = EXPECTED[name]
    _compare(got, want)
    assert code == {"certified": 0, "refuted": 1}[want["verdict"]]


def test_g4_needs_z_zero_regions() -> None:
    # Without the z_i = 0 branch a decider finds 10 DLM regions; the census must find 36.
    res = certify(Instance.from_json(DATA / "g4-relu-needs-z-zero.json"), census=True)
    assert res.census.dlm_regions == 36
    assert res.census.bad_losses == (Fraction(81, 68), Fraction(9, 2))


KINKS = json.loads((DATA / "kink_points.json").read_text())


@pytest.mark.parametrize("name", sorted(KINKS))
def test_kink_point_matches_golden(name: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """verify-point --json at a kink gives the independent implementation's verdict and loss,
    and its --out certificate is accepted by the kernel (in a fresh process)."""
    case = KINKS[name]
    inst, point = tmp_path / "i.json", tmp_path / "p.json"
    inst.write_text(json.dumps(case["instance"]))
    point.write_text(json.dumps(case["point"]))
    cert = tmp_path / "c.json"
    code = main(["verify-point", str(inst), "--point", str(point), "--json", "--out", str(cert)])
    got = json.loads(capsys.readouterr().out)
    want = case["expected"]
    assert {k: got[k] for k in want} == want
    assert code == (0 if want["local_minimum"] else 1)
    assert got["certificate"] == str(cert) and cert.exists()
