"""Kawaguchi-Kaelbling: certified escapes from bad minima (one hidden layer and deeper), an
independent mpmath recomputation of the augmented loss, the exact S = 0 branch, the proof's
identities at augmented points, the kernel's own exp bounds, and bad input."""

import json
from fractions import Fraction as Q

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import InvalidInput, certify
from exactmin.certificates.kawaguchi_kaelbling import escape_certificate
from exactmin.check import Rejected, check_certificate
from exactmin.check.kawaguchi_kaelbling import exp_bounds
from exactmin.cli import main
from exactmin.models import Instance
from exactmin.models.deep import DeepInstance, DeepPoint, forward
from exactmin.strategies import instances
from exactmin.theorems.kawaguchi_kaelbling import augmented_point, eliminate
from exactmin.theorems.soudry_carmon import find_deep_counterexample

mpmath.mp.dps = 60


def _mp(q: Q) -> mpmath.mpf:
    return mpmath.mpf(q.numerator) / q.denominator


def _augmented_loss(inst: DeepInstance, p: DeepPoint, lam: Q, a: Q, w, b: Q) -> mpmath.mpf:
    """L~ from the definition, in 60-digit mpmath (independent of arb and of exactmin's code
    beyond the exact forward pass)."""
    yhat = forward(inst, p).yhat
    total = mpmath.mpf(0)
    for n in range(inst.N):
        z = sum(w[j] * inst.X[j][n] for j in range(len(w))) + b
        r = _mp(yhat[n]) + _mp(a) * mpmath.exp(_mp(z)) - _mp(inst.y[n])
        total += r * r
    return total / 2 + _mp(lam) * _mp(a) ** 2 / 2


def _check_escape(inst: DeepInstance, p: DeepPoint, lam: Q = Q(1, 10)) -> None:
    out = eliminate(inst, p, lam)
    assert out.verdict == "escape", out.reason
    lo, hi = out.decrease.lo, out.decrease.hi  # exact endpoints of the enclosure
    value = _augmented_loss(inst, p, lam, out.a, out.w, out.b) - _mp(out.original_loss)
    assert value < 0 and _mp(lo) - mpmath.mpf(10) ** -40 <= value <= _mp(hi) + mpmath.mpf(10) ** -40
    cert = escape_certificate(inst, p, lam, (Q(0),) * inst.widths[0], Q(0), out)
    assert check_certificate(json.loads(json.dumps(cert)))["verdict"] == "not_local_minimum"


@settings(max_examples=25, deadline=None)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(2, 4)))
def test_every_bad_dlm_of_certify_gets_a_certified_escape(inst) -> None:
    res = certify(inst, force=True)
    if res.verdict != "refuted":
        return
    ce = res.counterexample
    deep = DeepInstance.from_instance(inst)
    p = DeepPoint((tuple(map(tuple, ce.W)), (tuple(ce.z),)))
    out = eliminate(deep, p)
    if out.verdict == "no_escape":  # repeated inputs whose residuals cancel: the optimum
        return
    _check_escape(deep, p)


@pytest.mark.parametrize("widths, rho, family", [([2, 2, 2, 1], "1/2", "linear-fit"),
                                                 ([2, 3, 2, 1], "0", "dead-layer")])
def test_deep_bad_minima_get_certified_escapes(widths, rho, family) -> None:
    found = find_deep_counterexample(widths, rho=rho, family=family)
    _check_escape(found.instance, found.point)


def test_S_zero_at_the_default_neuron_moves_w_first() -> None:
    """A bad DLM of data with a constant coordinate has sum_n e_n = 0 (K e = 0 contains it), so
    S(0, 0) = 0 exactly and the escape must move w first."""
    inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                                   "rho": "1/2"})
    p = DeepPoint.from_dict({"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}, inst)
    assert sum(forward(inst, p).e) == 0
    out = eliminate(inst, p)
    assert out.perturbed and out.w != (0, 0) and out.S_start is not None
    assert 0 in out.S_start
    _check_escape(inst, p)


def test_global_minima_and_per_input_optima_do_not_escape() -> None:
    inst = DeepInstance.from_dict({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1], "rho": "1/2"})
    p = DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, inst)
    assert eliminate(inst, p).verdict == "global_minimum"
    same = DeepInstance.from_dict({"X": [[1, 1]], "y": [1, -1], "widths": [1, 1, 1],
                                   "rho": "1/2"})
    q = DeepPoint.from_dict({"weights": [[[1]], [[0]]]}, same)  # yhat = 0 = mean of the labels
    out = eliminate(same, q)
    assert out.verdict == "no_escape" and out.original_loss == 1


def test_augmented_critical_points_satisfy_the_identities() -> None:
    inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                                   "rho": "1/2"})
    p = DeepPoint.from_dict({"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}, inst)
    at_zero = augmented_point(inst, p, "1/10", 0, [0, 0], 0)  # S(0, 0) = 0 exactly: critical
    assert at_zero.critical is True
    assert 0 in at_zero.a_times_S and 0 in at_zero.S_plus_lam_a
    moved = augmented_point(inst, p, "1/10", 0, [1, 0], 0)  # S(w, 0) != 0: not critical
    assert moved.critical is False
    for a in ("1/1000", "-2"):
        rep = augmented_point(inst, p, "1/10", a, [0, 0], 0)
        assert rep.critical is False and "a != 0" in rep.reason


@pytest.mark.parametrize("q", [Q(0), Q(1), Q(-3, 7), Q(25, 2), Q(-40), Q(701, 3)])
def test_kernel_exp_bounds_contain_exp(q: Q) -> None:
    lo, hi = exp_bounds(q, 64)
    value = mpmath.exp(_mp(q))
    assert _mp(lo) <= value <= _mp(hi) and lo > 0
    assert (hi - lo) / hi < Q(1, 2**60)


def test_kernel_rejects_forged_escapes() -> None:
    inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                                   "rho": "1/2"})
    p = DeepPoint.from_dict({"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}, inst)
    out = eliminate(inst, p)
    cert = escape_certificate(inst, p, Q(1, 10), (Q(0), Q(0)), Q(0), out)
    for path, value, what in ((("witness", "w"), ["0", "0"], "S(w', b) != 0"),
                              (("witness", "a"), str(-out.a), "< 0"),
                              (("witness", "a"), "-1000", "< 0")):
        forged = json.loads(json.dumps(cert))
        forged[path[0]][path[1]] = value
        with pytest.raises(Rejected, match=what.replace("(", r"\(").replace(")", r"\)")):
            check_certificate(forged)


def test_eliminate_command_line(tmp_path, capsys) -> None:
    inst = tmp_path / "i.json"
    inst.write_text(json.dumps({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                                "rho": "1/2"}))
    point = tmp_path / "p.json"
    point.write_text(json.dumps({"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}))
    code = main(["eliminate", str(inst), "--point", str(point), "--json", "--out",
                 str(tmp_path / "c.json")])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["verdict"] == "escape" and out["original_loss"] == "1/3"
    assert Q(out["decrease"][1]) < 0 and set(out["escape"]) == {"weights", "a", "w", "b"}
    assert main(["check", str(tmp_path / "c.json")]) == 0
    capsys.readouterr()
    for argv, field in ((["--lam", "0"], "--lam"), (["--lam", "x"], "lam"),
                        (["--w", "1"], "--w")):
        assert main(["eliminate", str(inst), "--point", str(point), *argv]) == 2, argv
        assert field in capsys.readouterr().err
    point.write_text(json.dumps({"W": [[0, 1, 2]], "z": [1]}))
    assert main(["eliminate", str(inst), "--point", str(point)]) == 2
    assert main(["eliminate", str(inst)]) == 2
    with pytest.raises(InvalidInput):
        eliminate(DeepInstance.from_dict(json.loads(inst.read_text())),
                  {"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}, lam=0.1)


def test_kawaguchi_experiment_writes_its_table(tmp_path, monkeypatch, capsys) -> None:
    from exactmin.experiments import kawaguchi as experiment

    monkeypatch.setattr(experiment.Settings, "quick",
                        classmethod(lambda cls: cls(200, 1, 0.02, "quick")))
    assert main(["experiment", "kawaguchi", "--quick", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "kawaguchi.md").read_text()
    assert "| leaky-no-noise" in md and "| under-parameterized" in md and "escape" in md
    assert "| yun-sra-jadbabaie" in md
    rows = json.loads((tmp_path / "kawaguchi.json").read_text())["rows"]
    assert all(row.get("escape") == "escape" for row in rows if row["verdict"] == "refuted")
    assert (tmp_path / "kawaguchi.png").stat().st_size > 0


def test_the_linear_fit_minimum_is_a_bad_minimum_the_census_finds() -> None:
    """Yun-Sra-Jadbabaie's construction, checked against exactmin's census (other code): the
    all-active linear least-squares point is a local minimum whose loss the census lists as bad,
    while zero-loss minima exist (so it is a bad one), and it escapes."""
    from exactmin.experiments.kawaguchi import CASES, linear_fit_minimum

    Xl, yl, d1, rho, _ = CASES["yun-sra-jadbabaie"]
    inst = Instance.from_lists(Xl, yl, d1, rho)
    rep = linear_fit_minimum(inst)
    census = certify(inst, census=True, force=True).census
    assert rep.loss > 0 and rep.loss in census.bad_losses
    assert census.dlm_regions > census.bad_dlm_regions  # some DLM region has zero loss
    esc = eliminate(DeepInstance.from_instance(inst),
                    DeepPoint((rep.point.W, (rep.point.z,))), Q(1, 10))
    assert esc.verdict == "escape" and esc.decrease < 0
    with pytest.raises(InvalidInput, match="d1 = 2"):
        linear_fit_minimum(Instance.from_lists(Xl, yl, 1, rho))
