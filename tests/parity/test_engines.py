"""The fast engine against the naive one: identical verdicts and counts; certificates accepted."""

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, certify, random_instance, verify_point
from exactmin.certificates import dumps
from exactmin.check import check_certificate
from exactmin.strategies import instances


def _compare(inst: Instance) -> None:
    fast, naive = certify(inst, engine="fast"), certify(inst, engine="naive")
    assert fast.verdict == naive.verdict
    if fast.verdict == "certified":
        assert fast.census.examined == naive.census.examined == fast.census.regions
        assert fast.census.full_rank_regions == naive.census.full_rank_regions
    else:  # both stop at their first bad DLM (search orders differ): each must be genuine
        for res in (fast, naive):
            rep = verify_point(inst, res.counterexample.W, res.counterexample.z)
            assert rep.local_minimum is True and rep.loss == res.counterexample.loss > 0


@settings(max_examples=40)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 3), N=st.integers(1, 4)))
def test_fast_and_naive_agree(inst: Instance) -> None:
    _compare(inst)


@pytest.mark.parametrize(
    "d0, d1, N, rho, noise",
    [(2, 3, 6, "1/2", True), (3, 2, 6, "1/2", True), (2, 3, 5, "1/3", True), (2, 2, 4, "0", True),
     (2, 3, 6, "1/2", False), (1, 3, 3, "1/2", True)],
)
def test_seeded_instances_agree(d0, d1, N, rho, noise) -> None:
    _compare(random_instance(d0, d1, N, rho, noise=noise, seed=d0 * 100 + N))


@pytest.mark.slow
def test_noisy_certificates_of_square_instances_are_accepted() -> None:
    # Reduced form (CI): noisy (3, 3, 9), 405,224 regions, search and kernel ~1 s.
    # Full form (EXACTMIN_SLOW=full, ~2.5 min): also (3, 4, 12), 3.2e8 regions, compiled pair
    # step, and the kernel's Laplace pair step over all cores.
    sizes = [(3, 3, 9, 309)]
    if os.environ.get("EXACTMIN_SLOW") == "full":
        sizes.append((3, 4, 12, 0))
    for d0, d1, N, seed in sizes:
        inst = random_instance(d0, d1, N, "1/2", noise=True, seed=seed)
        res = certify(inst, engine="fast", certificate=True, force=True, workers=2)
        R = res.census.unit_regions
        assert res.verdict == "certified" and res.census.full_rank_regions == R ** d1
        info = check_certificate(json.loads(dumps(res.certificate())))
        assert info["verdict"] == "certified" and info["unit_regions"] == R


@settings(max_examples=25)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 3), N=st.integers(1, 4)))
def test_fast_certificates_are_accepted(inst: Instance) -> None:
    res = certify(inst, engine="fast", certificate=True)
    assert check_certificate(json.loads(dumps(res.certificate())))["verdict"] == res.verdict


@pytest.mark.parametrize(
    "d0, d1, N, rho, noise",
    [(2, 3, 6, "1/2", True), (2, 3, 6, "1/2", False), (2, 3, 6, "0", True), (1, 4, 4, "1/3", False)],
)
def test_workers_do_not_change_the_result(monkeypatch, d0, d1, N, rho, noise) -> None:
    import exactmin.search.fast as fast

    monkeypatch.setattr(fast, "PARALLEL_MIN_REGIONS", 0)
    inst = random_instance(d0, d1, N, rho, noise=noise, seed=7)
    one = certify(inst, workers=1, certificate=True)
    two = certify(inst, workers=2, certificate=True)
    assert one.verdict == two.verdict and one.census == two.census
    assert one.certificate() == two.certificate()  # witnesses merged in the sequential order
    if one.verdict == "refuted":
        assert (one.counterexample.W, one.counterexample.z) == (two.counterexample.W, two.counterexample.z)


@settings(max_examples=25)
@given(instances(d0=st.integers(1, 2), d1=st.integers(2, 3), N=st.integers(1, 3), noise=False))
def test_symmetric_census_equals_ordered_census(inst: Instance) -> None:
    # The fast census decides each multiset of unit regions once (no noise: unit symmetry).
    fast, naive = certify(inst, census=True), certify(inst, census=True, engine="naive")
    assert fast.census == naive.census and fast.verdict == naive.verdict


@pytest.mark.parametrize("noise", [False, True])
def test_parallel_census_equals_sequential(monkeypatch, noise) -> None:
    import exactmin.search.naive as census_module

    monkeypatch.setattr(census_module, "PARALLEL_CENSUS_MIN", 0)
    inst = random_instance(2, 3, 4, "1/2", noise=noise, seed=11)
    one, two = certify(inst, census=True, workers=1), certify(inst, census=True, workers=2)
    assert one.census == two.census and one.verdict == two.verdict
    if one.verdict == "refuted":
        assert (one.counterexample.W, one.counterexample.z) == (two.counterexample.W, two.counterexample.z)


@pytest.mark.parametrize(
    "d0, d1, N, rho, noise",
    [(2, 3, 6, "0", True), (2, 3, 6, "1/2", False), (3, 2, 6, "0", True), (2, 2, 5, "1/2", True)],
)
def test_refutation_probe_finds_genuine_counterexamples_or_falls_through(
        monkeypatch, d0, d1, N, rho, noise) -> None:
    """The probe (seeded tuples of weakly active regions, decided exactly) runs when a hypothesis
    fails; whatever it returns is a genuine bad DLM, the verdict equals the naive engine's, and
    nothing depends on the number of workers."""
    import exactmin.search.fast as fast

    monkeypatch.setattr(fast, "PROBE_MIN_REGIONS", 0)
    monkeypatch.setattr(fast, "PARALLEL_MIN_REGIONS", 0)
    inst = random_instance(d0, d1, N, rho, noise=noise, seed=3)
    assert fast._theorem_may_fail(inst)
    one, two = certify(inst, workers=1), certify(inst, workers=2)
    naive = certify(inst, engine="naive")
    assert one.verdict == two.verdict == naive.verdict
    if one.verdict == "refuted":
        assert (one.counterexample.W, one.counterexample.z) == (two.counterexample.W, two.counterexample.z)
        rep = verify_point(inst, one.counterexample.W, one.counterexample.z)
        assert rep.local_minimum is True and rep.loss == one.counterexample.loss > 0
    else:
        assert one.census == two.census


def test_probe_skips_instances_meeting_every_hypothesis() -> None:
    import exactmin.search.fast as fast

    assert not fast._theorem_may_fail(random_instance(3, 4, 12, "1/2", noise=True, seed=0))


def test_probe_finding_nothing_leaves_a_certified_verdict(monkeypatch) -> None:
    import exactmin.search.fast as fast

    monkeypatch.setattr(fast, "PROBE_MIN_REGIONS", 0)
    inst = Instance.from_lists([[-1, 0, 1], [-1, -1, -2]], [-2, -1, -1], 1, "1/2")  # N > d0*d1
    assert fast._theorem_may_fail(inst) and fast._probe(inst, None) is None
    res = certify(inst)
    assert res.verdict == "certified" == certify(inst, engine="naive").verdict
    assert res.census.examined == res.census.regions  # the probe's decisions are not counted


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 3).flatmap(lambda k: st.tuples(
    st.just(k),
    st.lists(st.lists(st.integers(-3, 3), min_size=k + 1, max_size=k + 1), max_size=7),
    st.lists(st.lists(st.integers(-2, 2), min_size=k + 1, max_size=k + 1), max_size=2))))
def test_exact_elimination_agrees_with_the_lp(system) -> None:
    """The integer Fourier-Motzkin decision of strict systems (used instead of an LP for the
    DLM search with at most two free coordinates) agrees with PPL's exact LP."""
    from exactmin.geometry import find_strict_point, fourier_motzkin

    k, strict, eq = system
    rows, offsets = [r[:k] for r in strict], [r[k] for r in strict]
    eq_rows, rhs = [r[:k] for r in eq], [r[k] for r in eq]
    got = fourier_motzkin(rows, eq_rows, rhs, offsets, k)
    lp = find_strict_point(rows, k, eq_rows, rhs, offsets) if k else None
    if k == 0:
        want = all(b > 0 for b in offsets) and all(r == 0 for r in rhs)
    else:
        want = lp is not None
    assert got is None or got == want
