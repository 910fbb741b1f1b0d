"""The census's integer region decision and the exact strict-feasibility test it uses, against
the reference decision (Fractions, PPL) on the same inputs."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, certify, random_instance, verify_point
from exactmin.decide import decide_region
from exactmin.decide.soudry_carmon_integer import RegionDecider
from exactmin.geometry import enumerate_regions, find_strict_point, strictly_feasible
from exactmin.geometry import lp as lp_module
from exactmin.strategies import instances


def _all_tuples(inst: Instance, limit: int = 150) -> list[list]:
    import itertools

    units = enumerate_regions(inst.X)
    return [[units[k] for k in idx]
            for idx in itertools.islice(itertools.product(range(len(units)), repeat=inst.d1),
                                        limit)]


@settings(max_examples=40, deadline=None)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 3), N=st.integers(1, 4)))
def test_integer_decision_equals_the_reference(inst: Instance) -> None:
    decide = RegionDecider(inst)
    for regs in _all_tuples(inst):
        ref = decide_region(inst, regs, find_dlm=True)
        assert decide(regs) == ref  # rank, residual, loss, DLM existence and the DLM itself
        quick = decide(regs, point=False)
        assert (quick.rank, quick.residual, quick.loss, quick.has_dlm) == (
            ref.rank, ref.residual, ref.loss, ref.has_dlm)
        assert quick.dlm is None


@pytest.mark.parametrize("d0, d1, N, rho, noise, seed, min_ranks", [
    (3, 3, 9, "1/2", False, 3, 3), (3, 3, 8, "0", False, 1, 3), (2, 3, 6, "1/3", True, 2, 1),
    (3, 2, 7, "1/2", True, 4, 1),
])
def test_integer_decision_on_census_sized_instances(d0, d1, N, rho, noise, seed,
                                                    min_ranks) -> None:
    """Larger instances, where the search meets three to five free coordinates (the float
    proposal and its proofs) and rank-deficient regions of every kind."""
    import random

    inst = random_instance(d0, d1, N, rho, noise=noise, seed=seed)
    units = enumerate_regions(inst.X)
    rng = random.Random(seed)
    decide = RegionDecider(inst)
    ranks = set()
    for _ in range(150):
        regs = [units[rng.randrange(len(units))] for _ in range(d1)]
        ref = decide_region(inst, regs, find_dlm=True)
        assert decide(regs) == ref
        ranks.add(ref.rank)
    assert len(ranks) >= min_ranks  # without noise, regions of several ranks are reached


def _systems(max_k: int, max_rows: int, max_int: int):
    return st.integers(0, max_k).flatmap(lambda k: st.tuples(
        st.just(k),
        st.lists(st.lists(st.integers(-max_int, max_int), min_size=k + 1, max_size=k + 1),
                 max_size=max_rows),
        st.lists(st.lists(st.integers(-2, 2), min_size=k + 1, max_size=k + 1), max_size=2)))


def _reference(k: int, rows, offsets, eq_rows, rhs) -> bool:
    if k == 0:
        return all(b > 0 for b in offsets) and all(r == 0 for r in rhs)
    return find_strict_point(rows, k, eq_rows, rhs, offsets) is not None


@settings(max_examples=300, deadline=None)
@given(_systems(5, 12, 4))
def test_strict_feasibility_agrees_with_the_exact_lp(system) -> None:
    k, strict, eq = system
    rows, offsets = [r[:k] for r in strict], [r[k] for r in strict]
    eq_rows, rhs = [r[:k] for r in eq], [r[k] for r in eq]
    assert strictly_feasible(rows, offsets, eq_rows, rhs, k) == _reference(
        k, rows, offsets, eq_rows, rhs)


@settings(max_examples=150, deadline=None)
@given(_systems(5, 12, 4), st.integers(0, 200))
def test_float_proposals_are_proved_or_handed_to_the_lp(system, shift) -> None:
    """With Fourier-Motzkin switched off every system with a free variable goes through the
    float proposal; entries scaled beyond float range (``2**shift``) must not change answers."""
    with _float_proposals_only():
        _check_scaled(system, shift)


def _float_proposals_only():  # type: ignore[no-untyped-def]
    from contextlib import ExitStack
    from unittest import mock

    stack = ExitStack()
    stack.enter_context(mock.patch.object(lp_module, "FM_MAX_VARS", 0))
    stack.enter_context(mock.patch.object(lp_module, "FM_QUICK_LIMIT", 0))
    return stack


def _check_scaled(system, shift: int) -> None:
    k, strict, eq = system
    scale = 2 ** shift
    rows, offsets = [[x * scale for x in r[:k]] for r in strict], [r[k] * scale for r in strict]
    eq_rows, rhs = [r[:k] for r in eq], [r[k] for r in eq]
    assert strictly_feasible(rows, offsets, eq_rows, rhs, k) == _reference(
        k, rows, offsets, eq_rows, rhs)


def test_float_proposal_proofs_are_exact_on_a_thin_system() -> None:
    """A feasible set thinner than float resolution: 0 < c_1 - c_2 * (1 + 2^-80) < tiny."""
    big = 2 ** 80
    rows = [[big, -(big + 1), 0], [-big, big + 1, 0], [0, 0, 1]]
    with _float_proposals_only():
        assert strictly_feasible(rows, [0, 1, 0], [], [], 3) is True
        assert strictly_feasible(rows, [0, 0, 0], [], [], 3) is False
    assert find_strict_point(rows, 3, offsets=[Fraction(0), Fraction(1), Fraction(0)]) is not None


@pytest.mark.parametrize("noise", [False, True])
def test_fast_census_in_integers_equals_the_reference_census(noise) -> None:
    inst = random_instance(2, 3, 5, "1/2", noise=noise, seed=7)
    fast = certify(inst, census=True, list_bad=True)
    naive = certify(inst, census=True, engine="naive", list_bad=True)
    assert fast.census == naive.census and fast.verdict == naive.verdict
    if fast.verdict == "refuted":
        assert fast.counterexample.loss == naive.counterexample.loss
        assert fast.bad_regions
        for bad in fast.bad_regions:  # every listed region carries a genuine DLM
            rep = verify_point(inst, bad.point.W, bad.point.z)
            assert rep.local_minimum is True and rep.loss == bad.loss > 0


def _leaves_hold(inst: Instance, regs: list, order: list[int], leaves: list) -> bool:
    """The kernel's own check of the leaves (exactmin.check.leaves) on this one region."""
    from exactmin.certificates.soudry_carmon import statement
    from exactmin.check.leaves import IntegerBlocks, check_tree
    from exactmin.check.reader import Rejected, Work
    from exactmin.check.regions import Statement
    from exactmin.decide.soudry_carmon_leaves import tree_entry

    st_ = Statement(statement(inst), Work(10**9))
    signs = [list(r.signs) for r in regs]
    try:
        check_tree(IntegerBlocks(st_, signs), tuple(range(inst.d1)),
                   tree_entry(order, leaves)["no_dlm_tree"], "")
    except Rejected:
        return False
    return True


@settings(max_examples=40, deadline=None)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 3), N=st.integers(1, 4)))
def test_sign_choice_leaves_exist_exactly_where_no_dlm_does(inst: Instance) -> None:
    """The writer's leaves (Fourier-Motzkin carrying its multipliers, PPL beyond) exist exactly
    for the regions the reference decision finds without a DLM, and the kernel accepts them."""
    from exactmin.decide.soudry_carmon_leaves import no_dlm_tree

    decide = RegionDecider(inst)
    for regs in _all_tuples(inst, 60):
        tree = no_dlm_tree(decide, regs)
        assert (tree is None) == decide_region(inst, regs).has_dlm
        if tree is not None:
            assert _leaves_hold(inst, regs, *tree)


@pytest.mark.parametrize("d0, d1, N, rho, noise, seed", [
    (3, 3, 9, "1/2", False, 3), (3, 3, 8, "0", False, 1), (2, 3, 6, "1/3", True, 2)])
def test_sign_choice_leaves_on_census_sized_instances(d0, d1, N, rho, noise, seed) -> None:
    import random

    from exactmin.decide.soudry_carmon_leaves import no_dlm_tree

    inst = random_instance(d0, d1, N, rho, noise=noise, seed=seed)
    units = enumerate_regions(inst.X)
    rng = random.Random(seed)
    decide = RegionDecider(inst)
    for _ in range(100):
        regs = [units[rng.randrange(len(units))] for _ in range(d1)]
        tree = no_dlm_tree(decide, regs)
        assert (tree is None) == decide(regs, point=False).has_dlm
        if tree is not None:
            assert _leaves_hold(inst, regs, *tree)
            mutated = [(d, [(i, n, 2 * m if t == 0 else m) for t, (i, n, m) in enumerate(mu)],
                        lam) for d, mu, lam in tree[1]]
            if any(len(mu) > 1 for _, mu, _ in tree[1]):  # a doubled multiplier breaks a sum
                assert not _leaves_hold(inst, regs, tree[0], mutated)
