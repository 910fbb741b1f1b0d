"""Property tests of the Soudry-Carmon theorem and of the decider's invariances."""

from fractions import Fraction as Q

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, Refuted, certify
from exactmin.strategies import instances, soudry_carmon_instances
from exactmin.theorems.soudry_carmon import unmet


@given(soudry_carmon_instances(max_d0=3, max_d1=2))
def test_theorem_all_hypotheses_met_implies_certified(inst: Instance) -> None:
    # Hypotheses: leaky rho not in {0, 1}, generic positive noise, general position, N <= d0*d1.
    assert unmet(inst) == []
    result = certify(inst)
    # Conclusion: every DLM has zero training error.
    assert result.verdict == "certified", result.to_json()


def _independent_recheck(inst: Instance, W, z, loss: Q) -> None:
    """Recompute everything from the definitions, sharing no code with exactmin."""
    d0, d1, N = inst.d0, inst.d1, inst.N
    U = [[sum(W[i][j] * inst.X[j][n] for j in range(d0)) for n in range(N)] for i in range(d1)]
    E = inst.noise or [[Q(1)] * N for _ in range(d1)]
    slope = [[Q(1) if U[i][n] > 0 else inst.rho for n in range(N)] for i in range(d1)]
    yhat = [sum(z[i] * E[i][n] * slope[i][n] * U[i][n] for i in range(d1)) for n in range(N)]
    e = [a - b for a, b in zip(yhat, inst.y)]
    assert sum(x * x for x in e) / 2 == loss > 0
    for i in range(d1):
        for n in range(N):
            assert U[i][n] != 0 or not any(inst.X[j][n] for j in range(d0))
        block = [sum(e[n] * E[i][n] * slope[i][n] * inst.X[j][n] for n in range(N)) for j in range(d0)]
        assert all(b == 0 for b in block)  # K e = 0: least-squares optimal in the region
        assert all(z[i] * b == 0 for b in block)  # dL/dw_i = 0
        assert sum(W[i][j] * block[j] for j in range(d0)) == 0  # dL/dz_i = 0


@settings(max_examples=40)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 2), N=st.integers(1, 5)))
def test_every_counterexample_passes_an_independent_recheck(inst: Instance) -> None:
    result = certify(inst)
    if isinstance(result, Refuted):
        ce = result.counterexample
        _independent_recheck(inst, ce.W, ce.z, ce.loss)
    else:
        assert result.verdict == "certified"
        assert result.census.bad_dlm_regions == 0 and result.census.examined == result.census.regions


def _counts(inst: Instance) -> tuple:
    c = certify(inst, census=True).census
    return (c.regions, c.full_rank_regions, c.dlm_regions, c.bad_dlm_regions, c.bad_losses)


@settings(max_examples=25)
@given(instances(d0=st.integers(1, 2), d1=st.just(2), N=st.integers(1, 4)), st.randoms())
def test_census_invariant_under_permutations(inst: Instance, rnd) -> None:
    base = _counts(inst)
    units = list(range(inst.d1))
    rnd.shuffle(units)
    noise = None if inst.noise is None else [inst.noise[i] for i in units]
    assert _counts(inst.replace(noise=noise)) == base  # permute hidden units with their noise rows
    pts = list(range(inst.N))
    rnd.shuffle(pts)
    permuted = inst.replace(
        X=[[row[n] for n in pts] for row in inst.X],
        y=[inst.y[n] for n in pts],
        noise=None if inst.noise is None else [[r[n] for n in pts] for r in inst.noise],
    )
    assert _counts(permuted) == base


@settings(max_examples=25)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 4)))
def test_default_mode_agrees_with_census(inst: Instance) -> None:
    fast, full = certify(inst), certify(inst, census=True)
    assert fast.verdict == full.verdict
    assert (fast.verdict == "refuted") == (full.census.bad_dlm_regions > 0)
    if fast.verdict == "refuted":
        assert fast.counterexample.loss in full.census.bad_losses


@settings(max_examples=15)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 4)))
def test_listed_bad_regions_are_exactly_the_bad_dlm_regions(inst) -> None:
    """--list-bad: every listed point is a differentiable local minimum with the listed nonzero
    loss, in the listed pattern (re-checked from the definitions by verify_point), and the
    listed regions account for every bad region the census counts."""
    from exactmin import verify_point

    res = certify(inst, census=True, list_bad=True)
    assert sum(b.orderings for b in res.bad_regions) == res.census.bad_dlm_regions
    assert {b.loss for b in res.bad_regions} == set(res.census.bad_losses)
    for b in res.bad_regions:
        rep = verify_point(inst, b.point.W, b.point.z)
        assert rep.local_minimum is True and rep.loss == b.loss > 0
        nonzero = [n for n in range(inst.N) if any(row[n] for row in inst.X)]
        assert all(rep.pattern[i][n] == b.pattern[i][n] for i in range(inst.d1) for n in nonzero)


def test_bad_region_list_does_not_depend_on_workers(monkeypatch) -> None:
    import exactmin.search.naive as naive
    from exactmin import random_instance

    monkeypatch.setattr(naive, "PARALLEL_CENSUS_MIN", 0)
    inst = random_instance(2, 2, 5, "1/2", seed=3)
    one = certify(inst, census=True, list_bad=True, workers=1)
    two = certify(inst, census=True, list_bad=True, workers=2)
    assert [b.to_dict() for b in one.bad_regions] == [b.to_dict() for b in two.bad_regions]
    assert one.bad_regions
