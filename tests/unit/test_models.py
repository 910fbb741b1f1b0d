"""Exact point analysis and region decisions, checked by independent exact computations."""

from fractions import Fraction as Q

import pytest

from exactmin import Instance, Point, verify_point
from exactmin.errors import InvalidInput
from exactmin.models import loss, predict


def _loss_by_hand(inst: Instance, W, z) -> Q:
    total = Q(0)
    for n in range(inst.N):
        yhat = Q(0)
        for i in range(inst.d1):
            u = sum(Q(W[i][j]) * inst.X[j][n] for j in range(inst.d0))
            yhat += Q(z[i]) * inst.noise_entry(i, n) * (u if u > 0 else inst.rho * u)
        total += (yhat - inst.y[n]) ** 2
    return total / 2


LEAKY = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")


def test_theory_point_noise_free_leaky() -> None:
    # docs/papers/soudry_carmon.md: MSE 2/9, i.e. loss (1/2)||e||^2 = 1/3, gradient exactly zero.
    W, z = [[0, 1], [0, "31/30"]], [-10, 10]
    rep = verify_point(LEAKY, W, z)
    assert rep.differentiable and rep.critical and rep.local_minimum
    assert rep.loss == Q(1, 3) == _loss_by_hand(LEAKY, [[0, 1], [0, Q(31, 30)]], z)
    assert all(u > 0 for row in rep.pattern for u in row)
    assert rep.box_radius is not None and rep.box_radius > 0


def test_box_radius_keeps_the_pattern_at_every_corner() -> None:
    W = [[Q(0), Q(1)], [Q(0), Q(31, 30)]]
    rep = verify_point(LEAKY, W, [-10, 10])
    r = rep.box_radius
    import itertools

    for signs in itertools.product((1, -1), repeat=4):
        Wc = [[W[i][j] + signs[2 * i + j] * r for j in range(2)] for i in range(2)]
        assert verify_point(LEAKY, Wc, [-10, 10]).pattern == rep.pattern


def test_theory_relu_dead_unit() -> None:
    inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    rep = verify_point(inst, [[-1, -1]], [1])
    assert rep.local_minimum is True and rep.loss == Q(5, 2)


def test_non_differentiable_point_is_decided_at_its_kink() -> None:
    rep = verify_point(LEAKY, [[1, 0], [0, 1]], [1, 1])  # w_0 . x_0 = 0
    assert rep.differentiable is False and rep.local_minimum is False and rep.critical is None
    assert rep.ties == ((0, 0),) and rep.polynomial is not None and rep.polynomial[0] < 0


def test_non_critical_point() -> None:
    rep = verify_point(LEAKY, [[1, 1], [1, 2]], [1, 1])
    assert rep.critical is False and rep.local_minimum is False
    assert rep.loss == _loss_by_hand(LEAKY, [[1, 1], [1, 2]], [1, 1])


def test_critical_point_with_zero_output_weight_is_not_a_minimum() -> None:
    # z_1 = 0: the gradient vanishes but block 1 of K e does not; the stated curve descends.
    # Unit 0 is least-squares optimal on its own block; w_1 is orthogonal to (K e)_1 != 0.
    inst = Instance.from_lists([[1, 2, 0, -2], [2, -2, -2, 1]], [-2, 2, 1, 0], d1=2, rho="1/2")
    W = [[Q(-68, 521), Q(-480, 521)], [Q(-221, 215), Q(218, 215)]]
    z = [1, 0]
    rep = verify_point(inst, W, z)
    assert rep.differentiable and rep.critical is True and rep.local_minimum is False
    c = Q(rep.reason.split("c = ")[1].split(" ")[0])
    g = rep.Ke[2:4]
    base = _loss_by_hand(inst, W, z)
    for t in (Q(1, 10), Q(1, 100), Q(1, 1000)):
        Wt = [W[0], [W[1][j] - t * c * g[j] for j in range(2)]]
        assert _loss_by_hand(inst, Wt, [1, t]) < base


def test_predict_and_loss_match_hand_computation() -> None:
    inst = Instance.from_lists([[1, -2, 3], [2, 1, -1]], [1, 0, 2], d1=2, rho="-1/3",
                               noise=[[1, "1/2", 2], ["3/2", 1, 1]])
    p = Point.from_lists([[1, "1/2"], [-1, 2]], ["2/3", -1])
    assert loss(inst, p) == _loss_by_hand(inst, p.W, p.z)
    assert len(predict(inst, p)) == 3


@pytest.mark.parametrize(
    "W, z, match",
    [([[1, 2]], [1, 1], "W has 1 rows but d1=2"), ([[1], [2]], [1, 1], "W has 1 columns but d0=2"),
     ([[1, 2], [3, 4]], [1], "z has 1 entries"), ([[0.5, 1], [1, 1]], [1, 1], r"W\[0\]\[0\]=0.5")],
)
def test_bad_points_are_rejected(W, z, match) -> None:
    with pytest.raises(InvalidInput, match=match):
        verify_point(LEAKY, W, z)


@pytest.mark.parametrize(
    "kwargs, match",
    [(dict(X=[], y=[], d1=1, rho=0), "d0=0"), (dict(X=[[]], y=[], d1=1, rho=0), "N=0"),
     (dict(X=[[1]], y=[1], d1=0, rho=0), "d1=0 must be >= 1"),
     (dict(X=[[1]], y=[1], d1=1, rho=1), "rho=1"),
     (dict(X=[[1]], y=[1, 2], d1=1, rho=0), "y has 2 entries"),
     (dict(X=[[1]], y=[1], d1=1, rho=0, noise=[[0]]), r"noise\[0\]\[0\]=0 must be > 0"),
     (dict(X=[[1]], y=[1], d1=1, rho=0, noise=[["-1/2"]]), r"noise\[0\]\[0\]=-1/2"),
     (dict(X=[[1]], y=[1], d1=2, rho=0, noise=[[1]]), "noise has 1 rows but d1=2")],
)
def test_bad_instances_name_the_field(kwargs, match) -> None:
    with pytest.raises(InvalidInput, match=match):
        Instance.from_lists(**kwargs)


def test_all_zero_data_has_one_region_and_a_box() -> None:
    from exactmin import certify

    inst = Instance.from_lists([[0, 0]], [1, 0], d1=2, rho=0)
    res = certify(inst, census=True)
    assert res.verdict == "refuted" and res.census.regions == 1
    assert res.counterexample.loss == Q(1, 2) and res.counterexample.report.box_radius == 1


def test_full_rank_witness_falls_back_to_an_interpolant_when_the_prime_divides_the_minor() -> None:
    """rank K = N but the only N x N minor (det = 5 * 7) vanishes mod the witness prime."""
    from exactmin.decide import decide_region
    from exactmin.geometry import enumerate_regions

    inst = Instance.from_lists([[5, 0], [0, 7]], [1, 2], d1=1, rho=Q(1, 2))
    region = next(r for r in enumerate_regions(inst.X) if r.signs == (1, 1))
    for prime, rows, v in ((11, (0, 1), None), (5, None, (Q(1, 5), Q(2, 7))),
                           (7, None, (Q(1, 5), Q(2, 7)))):
        for find_dlm in (False, True):
            dec = decide_region(inst, [region], find_dlm=find_dlm, witness=True, prime=prime)
            assert dec.rank == 2 and dec.loss == 0
            assert dec.minor_rows == rows
            assert dec.interpolant == v


def test_noise_hypothesis_with_one_sample_says_what_it_means() -> None:
    from exactmin import Instance, hypotheses

    inst = Instance.from_lists([[1], [2]], [1], 1, "1/2", [["3/2"]])
    h = next(h for h in hypotheses(inst) if h.key == "noise")
    assert h.holds and "N = 1" in h.detail and "vacuously" in h.detail


def test_counterexamples_keep_a_data_point_that_defines_a_hyperplane() -> None:
    from exactmin import find_counterexample

    for seed in range(6):
        out = find_counterexample(2, 2, 3, noise=True, degenerate=True, seed=seed, tries=60)
        if out.found is not None:
            X = out.found.instance.X
            assert any(any(row[n] for row in X) for n in range(out.found.instance.N))


def test_refuted_with_every_hypothesis_holding_explains_the_null_set() -> None:
    from exactmin import find_counterexample
    from exactmin.report import MEASURE_ZERO, format_result

    for seed in range(10):
        out = find_counterexample(2, 2, 3, noise=True, seed=seed, tries=100)
        if out.found is not None and all(h.holds for h in out.found.hypotheses):
            assert MEASURE_ZERO in format_result(out.found)
            return
    raise AssertionError("no measure-zero counterexample in the seeds tried")


def test_public_objects_have_short_readable_reprs_and_the_cli_text_as_str() -> None:
    from exactmin import Instance, certify, format_result, verify_point
    from exactmin.spinglass import random_tensor
    from exactmin.theorems.choromanska import enumerate_critical_points

    inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, "1/2")
    res = certify(inst, census=True)
    rep = verify_point(inst, [[0, 1], [0, "31/30"]], [-10, 10])
    objects = [inst, res, res.census, res.counterexample, res.counterexample.report.point, rep,
               enumerate_critical_points(random_tensor(3, 2, seed=0))]
    for obj in objects:
        text = repr(obj)
        assert len(text) < 200 and "Fraction(" not in text, text
    assert str(res) == format_result(res) and "verdict: REFUTED" in str(res)
    assert "local minimum: yes" in str(rep)
    assert "<pre>" in res._repr_html_() and "```" in res._repr_markdown_()
