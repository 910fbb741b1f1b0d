"""The exact global minimum (exactmin.theorems.soudry_carmon.global_minimum, exactmin global-min)
against an independent brute force on tiny instances, and its command line."""

import itertools
import json
from fractions import Fraction as Q
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, verify_point
from exactmin.cli import main
from exactmin.models.network import loss
from exactmin.theorems.soudry_carmon import global_minimum

GOLDEN = Path(__file__).parents[1] / "golden" / "data"


def _brute_force(inst: Instance) -> Q:
    """d1 = 1, d0 = 1: u is a real number; on each side of 0 the prediction is linear in u, so
    the minimum over u >= 0 and u <= 0 (and sign z = +-1) is a one-variable least squares
    clipped to its half-line: an independent few lines."""
    best = None
    x = inst.X[0]
    E = [Q(1)] * inst.N if inst.noise is None else inst.noise[0]
    for tau, side in itertools.product((1, -1), (1, -1)):
        a = [tau * E[n] * (1 if side * x[n] > 0 else inst.rho) * x[n] * side for n in range(inst.N)]
        aa = sum(v * v for v in a)  # yhat = t a for t = |u| >= 0
        t = max(Q(0), sum(v * w for v, w in zip(a, inst.y)) / aa) if aa else Q(0)
        value = sum((t * v - w) ** 2 for v, w in zip(a, inst.y)) / 2
        best = value if best is None else min(best, value)
    return best


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=2, max_size=4).flatmap(
    lambda x: st.tuples(st.just(x), st.lists(st.integers(-3, 3), min_size=len(x),
                                             max_size=len(x)), st.sampled_from(["0", "1/2"]))))
def test_global_minimum_equals_brute_force_in_one_dimension(case) -> None:
    x, y, rho = case
    inst = Instance.from_lists([x], y, 1, rho)
    g = global_minimum(inst, force=True)
    assert g.verdict == "decided" and g.value == _brute_force(inst)
    assert g.point is not None and loss(inst, g.point) == g.value


def test_golden_instances(capsys) -> None:
    """g1 (leaky, no noise): bad DLMs of loss 2/9, 1/3, 8/21 exist, yet the global minimum is
    0: they are spurious. Every local-minimum loss of the census is >= L*."""
    from exactmin.search.all_minima import scan_faces

    for name in ("g1-leaky-no-noise.json", "g3-relu-dead-unit.json"):
        inst = Instance.from_json(GOLDEN / name)
        g = global_minimum(inst)
        every = scan_faces(inst, force=True)
        assert g.value == every.global_minimum == min([Q(0)] if every.minima_combinations >
                                                      every.bad_combinations else
                                                      list(every.bad_losses))
    assert main(["global-min", str(GOLDEN / "g1-leaky-no-noise.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["global_minimum"] == "0" and out["verdict"] == "decided"
    assert main(["certify", str(GOLDEN / "g1-leaky-no-noise.json"), "--census", "--all-minima",
                 "--json"]) == 1
    data = json.loads(capsys.readouterr().out)["all_minima"]
    assert data["global_minimum"] == "0" and data["spurious_losses"] == ["2/9", "1/3", "8/21"]


def test_verify_point_says_whether_a_minimum_is_global(capsys, tmp_path) -> None:
    point = tmp_path / "p.json"
    point.write_text('{"W": [["0", "1"], ["0", "31/30"]], "z": ["-10", "10"]}')
    g1 = str(GOLDEN / "g1-leaky-no-noise.json")
    assert main(["verify-point", g1, "--point", str(point), "--json", "--global-min"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["local_minimum"] is True and out["global"] is False
    assert out["global_minimum"] == "0" and out["loss"] == "1/3"
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1], "rho": 0}))
    point.write_text('{"weights": [[[1]], [[1]]]}')
    assert main(["verify-point", str(deep), "--point", str(point), "--global-min"]) == 2
    assert "--global-min is for one-hidden-layer" in capsys.readouterr().err


def test_train_splits_exact_endpoints_into_global_and_spurious(capsys) -> None:
    g1 = str(GOLDEN / "g1-leaky-no-noise.json")
    assert main(["train", g1, "--runs", "4", "--global-min", "--json"]) == 0
    summ = json.loads(capsys.readouterr().out)["summary"]
    exact = summ["counts"]["zero_loss_dlm"] + summ["counts"]["bad_dlm"] + summ["counts"][
        "kink_local_min"]
    assert summ["global_minimum"] == "0"
    # L* = 0: zero-loss endpoints are global, every endpoint of nonzero exact loss is spurious
    assert summ["at_global_minimum"] + summ["spurious"] == exact
    assert summ["spurious"] >= summ["counts"]["bad_dlm"] > 0


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2).flatmap(lambda d1: st.tuples(
    st.just(d1), st.lists(st.lists(st.integers(-2, 2), min_size=4 - d1, max_size=4 - d1),
                          min_size=2, max_size=2),
    st.lists(st.integers(-3, 3), min_size=4 - d1, max_size=4 - d1),
    st.sampled_from(["0", "1/2"]),
    st.none() | st.lists(st.lists(st.integers(1, 4), min_size=4 - d1, max_size=4 - d1),
                         min_size=d1, max_size=d1))))
def test_fast_path_equals_every_sign_vector_and_the_kernel_accepts(case) -> None:
    """The fast path (closed regions of the arrangement only, multisets without noise, pieces in
    float order, least-squares pruning) against the slow reference: the exact minimum of every
    piece of every sign vector on the nonzero points (``2^(d1 (1 + #nonzero))`` of them, regions
    or not), with and without noise. The certificate verifies and states the same L*."""
    import itertools

    from exactmin.check import check_certificate
    from exactmin.decide.soudry_carmon_global import piece_bound

    d1, X, y, rho, noise = case
    inst = Instance.from_lists(X, y, d1, rho, noise=noise)
    g = global_minimum(inst, force=True)
    nz = [n for n in range(inst.N) if any(inst.column(n))]
    lowest = min(piece_bound(inst, s, sigma)[2]
                 for s in itertools.product((1, -1), repeat=d1)
                 for sigma in itertools.product(itertools.product((1, -1), repeat=len(nz)),
                                                repeat=d1))
    assert g.value == lowest and loss(inst, g.point) == lowest
    info = check_certificate(json.loads(json.dumps(g.certificate())))
    assert info["verdict"] == "global_minimum" and info["global_minimum"] == g.value


def test_certify_census_reports_the_global_minimum_and_the_spurious_losses(tmp_path,
                                                                           capsys) -> None:
    """--global-min: N > d0 d1 with ReLU, every bad DLM loss is compared with the exact L* (here
    L* is attained only at a kink, below every DLM, so every bad DLM is spurious)."""
    path = tmp_path / "under.json"
    raw = {"X": [[1, 2, -1, 3, 1], [1, 1, 1, -1, -2]], "y": [1, -2, 2, 1, 3], "d1": 2,
           "rho": "0"}
    path.write_text(json.dumps(raw))
    assert main(["certify", str(path), "--census", "--json"]) == 1
    assert "global_minimum" not in json.loads(capsys.readouterr().out)  # only when asked
    assert main(["certify", str(path), "--census", "--global-min", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    g = global_minimum(Instance.from_dict(raw))
    assert out["global_minimum"] == str(g.value)
    assert out["spurious_losses"] == [q for q in out["bad_losses"] if Q(q) > g.value]
    assert out["spurious_losses"] and all(Q(q) > g.value for q in out["bad_losses"])
    assert main(["certify", str(path), "--census", "--global-min"]) == 1
    assert f"global minimum L* = {g.value}: 10 bad DLM loss(es) above it are spurious" in \
        capsys.readouterr().out
    fits = tmp_path / "fits.json"  # a zero-loss DLM: L* = 0, nothing spurious
    fits.write_text(json.dumps({"X": [[1, 2], [1, 1]], "y": [1, 2], "d1": 2, "rho": "1/2"}))
    main(["certify", str(fits), "--census", "--global-min", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["global_minimum"] == "0" and out["spurious_losses"] == []
    assert main(["certify", str(fits), "--global-min"]) == 2
    assert "--global-min needs --census" in capsys.readouterr().err


def test_global_min_out_writes_a_checked_certificate(tmp_path, capsys) -> None:
    inst = tmp_path / "i.json"
    inst.write_text(json.dumps({"X": [[1, 2, -1], [1, 1, 1]], "y": [1, -2, 2], "d1": 1,
                                "rho": "0"}))
    cert = tmp_path / "c.json"
    assert main(["global-min", str(inst), "--out", str(cert), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["global_minimum"] == "41/20" and out["certificate"]["path"] == str(cert)
    assert "VERIFIED global_minimum" in out["certificate"]["kernel"]
    assert main(["global-min", str(inst), "--no-check"]) == 2


def test_edge_cases_have_their_reasoned_global_minimum() -> None:
    """Values argued by hand, each certificate checked: fewer points than dimensions, one ReLU
    unit and labels of both signs (fit one label, predict 0 at the other: 1/2); a zero data point
    (always predicted 0: (1/2) 3^2, the rest fitted); the same point with labels 1 and -1 (the
    common prediction a costs (1/2)((a-1)^2 + (a+1)^2) >= 1)."""
    from exactmin.check import check_certificate

    cases = [(Instance.from_lists([[1, 2], [0, 1], [3, -1]], [1, -1], 1, "0"), Q(1, 2)),
             (Instance.from_lists([[0, 1, 2], [0, 1, 1]], [3, 1, -1], 1, "1/2"), Q(9, 2)),
             (Instance.from_lists([[1, 1, 2], [1, 1, 1]], [1, -1, 0], 2, "1/2"), Q(1))]
    for inst, want in cases:
        g = global_minimum(inst, force=True)
        assert g.value == want and g.point is not None and loss(inst, g.point) == want
        assert check_certificate(json.loads(json.dumps(g.certificate())))["global_minimum"] == want


def test_find_spurious_returns_a_certified_dlm_above_the_global_minimum(tmp_path, capsys) -> None:
    """Every hypothesis but over-parameterization holds; the DLM is a local minimum (kernel),
    its loss is above L* (kernel: the global minimum's certificate); the flags that make no
    sense are refused by name."""
    from exactmin.check import check_file
    from exactmin.theorems.soudry_carmon import find_spurious, unmet

    out = find_spurious(2, 2, 5, seed=3, tries=30)
    assert out.instance is not None and unmet(out.instance) == ["overparameterized"]
    assert out.report.local_minimum is True and out.report.loss > out.global_minimum.value
    assert main(["find-counterexample", "--spurious", "--seed", "3", "--out", str(tmp_path),
                 "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    dlm = check_file(str(tmp_path / "dlm.cert.json"))
    best = check_file(str(tmp_path / "global.cert.json"))
    assert dlm["verdict"] == "local_minimum" and Q(got["loss"]) == dlm["loss"]
    assert best["global_minimum"] == Q(got["global_minimum"]) < dlm["loss"]
    inst = Instance.from_json(tmp_path / "instance.json")
    point = json.loads((tmp_path / "point.json").read_text())
    assert verify_point(inst, point["W"], point["z"]).loss == dlm["loss"]
    for bad, flag in ((["--N", "4"], "--N=4"), (["--rho", "0"], "--rho"),
                      (["--degenerate"], "--degenerate"), (["--widths", "2,2,1"], "--widths")):
        assert main(["find-counterexample", "--spurious", *bad]) == 2
        assert flag in capsys.readouterr().err


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 2), st.integers(3, 5), st.sampled_from(["0", "1/2"]), st.booleans(),
       st.integers(0, 10**6))
def test_no_minimum_and_no_training_run_is_below_the_global_minimum(d1, N, rho, noise,
                                                                    seed) -> None:
    """L* against what others find: every DLM loss of the census is >= L* (a zero-loss DLM
    means L* = 0), the smallest loss of the census of all local minima equals L* (a global
    minimum is a local one), and no float training run ends below L* by more than rounding."""
    from exactmin import certify, random_instance
    from exactmin.experiments.training import train_runs
    from exactmin.models.deep import DeepInstance
    from exactmin.search.all_minima import scan_faces

    inst = random_instance(2, d1, N, rho, noise=noise, seed=seed, max_int=3)
    g = global_minimum(inst, force=True)
    assert g.value is not None and loss(inst, g.point) == g.value
    c = certify(inst, census=True, force=True).census
    assert all(q >= g.value for q in c.bad_losses)
    if c.dlm_regions > c.bad_dlm_regions:  # a zero-loss DLM: L* is 0
        assert g.value == 0
    if d1 == 1 or N == 3:  # the census of all local minima takes a minute at (2, 2, 5)
        every = scan_faces(inst, force=True)
        assert every.lowest == g.value  # the smallest local minimum is the global one
    for r in train_runs(DeepInstance.from_instance(inst), 3, seed=seed):
        assert r.float_loss >= float(g.value) - 1e-9 * max(1.0, float(g.value))


def test_a_budget_stops_the_search_with_an_upper_bound_and_exit_3(tmp_path, capsys) -> None:
    """A budget that runs out (in the float proposals or among the exact bounds): exit 3, the
    lower bound 0 and the best loss found (if any) as the upper bound, no certificate."""
    from exactmin import random_instance

    path = tmp_path / "i.json"
    random_instance(3, 2, 9, "0", seed=0).save(path)
    assert main(["global-min", str(path), "--budget", "0.2", "--json",
                 "--out", str(tmp_path / "c.json")]) == 3
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "inconclusive" and out["lower_bound"] == "0"
    assert out["global_minimum"] is None and "time budget of 0.2 s ran out" in out["reason"]
    assert out["certificate"] is None and not (tmp_path / "c.json").exists()
    g = global_minimum(Instance.from_json(path))
    assert out["upper_bound"] is None or Q(out["upper_bound"]) >= g.value


@pytest.mark.infrastructure  # worker processes: the second CI stage
def test_workers_do_not_change_the_answer_or_the_certificate() -> None:
    """Local processes share the ranges of pieces; L*, the point and the certificate (every
    piece's bound, in the kernel's order) are those of one process."""
    from exactmin import random_instance

    inst = random_instance(3, 2, 7, "1/2", noise=True, seed=2, max_int=3)
    one, two = global_minimum(inst, force=True), global_minimum(inst, force=True, workers=2)
    assert (one.value, one.point) == (two.value, two.point)
    assert json.dumps(one.certificate()) == json.dumps(two.certificate())


def test_a_certificate_beyond_the_kernels_default_limit_is_not_written_unchecked(
        tmp_path, capsys, monkeypatch) -> None:
    """global-min --out on a certificate the kernel would refuse at its default limit: nothing
    is written (exit 0: L* is decided), the line says the work and how to check it; --no-check
    writes it, and the kernel with a raised --max-work verifies it."""
    import exactmin.cli.soudry_carmon as cli

    inst = tmp_path / "i.json"
    inst.write_text(json.dumps({"X": [[1, 2, -1], [1, 1, 1]], "y": [1, -2, 2], "d1": 1,
                                "rho": "0"}))
    cert = tmp_path / "c.json"
    monkeypatch.setattr(cli, "_max_work", lambda: 100)
    assert main(["global-min", str(inst), "--out", str(cert)]) == 0
    out = capsys.readouterr().out
    assert "no certificate written: its 12 pieces need about" in out and not cert.exists()
    assert "--max-work" in out
    assert main(["global-min", str(inst), "--out", str(cert), "--no-check"]) == 0
    assert cert.exists()
    assert main(["check", str(cert), "--max-work", "100000"]) == 0
