"""The kernel's runs of prefix entries (``check/speed.py``, ``every_completion_run``): a run of
entries that differ only in the last prefix unit's region shares the null space of the first
units' rows and the minors of the later units' rows, and maps them to each entry by
Cauchy-Binet. Compared here with the one-entry path (``every_completion``) on the same entries:
the same entries pass, and the same first failure is reported (small primes make singular
completions common, so the failures land at many places)."""

import random
from fractions import Fraction
from typing import Any

import pytest

from exactmin import Instance, certify
from exactmin.check import Rejected, speed
from exactmin.check import soudry_carmon as sc
from exactmin.check.reader import Work
from exactmin.check.regions import Statement, check_unit_regions


def _instance(N: int, seed: int) -> Instance:
    """A noisy leaky instance with d0 = 2, d1 = 4 (data with small denominators)."""
    rng = random.Random(seed)
    X = [[rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(N)] for _ in range(2)]
    y = [rng.randint(-2, 2) for _ in range(N)]
    noise = [[str(Fraction(rng.randint(1, 9), rng.choice([1, 2, 3, 4]))) for _ in range(N)]
             for _ in range(4)]
    return Instance.from_lists(X, y, 4, "1/2", noise)


def _setting(N: int, seed: int, p: int) -> tuple[Statement, sc.Blocks]:
    cert = certify(_instance(N, seed), certificate=True).certificate()
    assert cert is not None and cert["verdict"] == "certified"
    work = Work(10**12)
    st = Statement(cert["statement"], work)
    signs = check_unit_regions(st, cert["witness"]["unit_regions"], cert["witness"]["prime"], work)
    return st, sc.Blocks(st, signs, p)


def _outcome(call: Any) -> str:
    try:
        call()
    except Rejected as exc:
        return str(exc)
    return "accepted"


@pytest.fixture
def shared_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the shared path whatever its cost (small instances would go one by one)."""
    monkeypatch.setattr(speed, "run_costs", lambda *args: (0, 0))


# rows of K (d0 = 2: unit u has rows 2u, 2u + 1) left out of the minor when N = 7
@pytest.mark.parametrize("N, dropped", [(8, None), (7, 0), (7, 3), (7, 5), (7, 7)])
@pytest.mark.parametrize("p", [7, 11, 13, 101, 16777213])
def test_a_run_decides_as_its_entries_one_by_one(N: int, dropped: int | None, p: int,
                                                 shared_always: None) -> None:
    rows = [r for r in range(8) if r != dropped]
    for seed in range(2):
        st, blocks = _setting(N, seed, p)
        R = len(blocks.unit_signs)
        rng = random.Random(seed * 1000 + p)
        for a in rng.sample(range(R), 3):
            run = [((a, b), rows) for b in range(R)]

            def one_by_one() -> None:
                for tup, rws in run:
                    speed.every_completion(st, blocks, tup, rws)

            assert _outcome(lambda: speed.every_completion_run(st, blocks, run)) \
                == _outcome(one_by_one)


@pytest.mark.parametrize("p", [7, 16777213])
def test_the_shared_path_is_taken(p: int, monkeypatch: pytest.MonkeyPatch,
                                  shared_always: None) -> None:
    """The comparison above is not vacuous: the run path decides the runs itself (it does not
    hand them to the one-entry path), accepting with a large prime and rejecting with 7."""
    st, blocks = _setting(8, 0, p)
    R = len(blocks.unit_signs)
    fallback: list[tuple[int, ...]] = []
    one = speed.every_completion
    monkeypatch.setattr(speed, "every_completion",
                        lambda st_, b_, tup, rows: (fallback.append(tup), one(st_, b_, tup, rows)))
    outcomes = [_outcome(lambda: speed.every_completion_run(
        st, blocks, [((a, b), list(range(8))) for b in range(R)])) for a in range(R)]
    assert len(fallback) < R // 4
    if p == 7:
        assert all(o.startswith("completion [") and "det != 0 mod 7" in o for o in outcomes)
    else:
        assert outcomes == ["accepted"] * R


def test_the_cost_rule_keeps_small_runs_on_the_one_entry_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the forcing fixture, the shared path is taken only when its work (once per run
    plus per entry) is at most the pair step's, the work the kernel charged for."""
    once, each = speed.run_costs(12, 134, 9, 3, 3, 3)
    assert once + 134 * each <= 134 * speed.pair_cost(134, 3, 3)  # noisy (3, 4, 12)
    assert once + 2 * each > 2 * speed.pair_cost(134, 3, 3)  # a run of two: one by one
    made: list[int] = []
    real = speed._SharedPrefix
    monkeypatch.setattr(speed, "_SharedPrefix", lambda *args: (made.append(1), real(*args))[1])
    st, blocks = _setting(8, 0, 16777213)
    speed.every_completion_run(st, blocks, [((0, b), list(range(8))) for b in range(2)])
    assert not made


@pytest.mark.parametrize("p", [7, 13, 16777213])
def test_the_stated_bounds_hold(p: int, monkeypatch: pytest.MonkeyPatch,
                                shared_always: None) -> None:
    """The folds are planned from stated bounds (every transformed minor, every dot product):
    an understated bound folds too little and may miss a zero. Every value that reaches the
    folds is compared here with the bound stated for it, on both paths; then again with the
    reductions made as large as their contract allows (every field moved into [p, 2p), as the
    folds may leave it), where the verdicts must not change."""
    st, blocks = _setting(8, 1, p)
    R = len(blocks.unit_signs)
    dot_test, fold_reduce = speed.dot_test, speed.fold_reduce
    verdicts = {}
    for worst in (False, True):
        seen = {"dot": 0, "reduce": 0}

        def checked_dot(minors_a: Any, packed: list[int], bound: int, nbytes: int, R: int,
                        p_: int, what: Any) -> None:
            columns = [list(speed.fields(v, 8 * nbytes, R)) for v in packed]
            for ma in zip(*minors_a):
                sums = [sum(a * col[j] for a, col in zip(ma, columns)) for j in range(R)]
                assert min(sums) >= 0 and max(sums) <= bound < 1 << (8 * nbytes - 1)
                seen["dot"] += 1
            dot_test(minors_a, packed, bound, nbytes, R, p_, what)

        def checked_reduce(p_: int, bound: int, width: int, count: int) -> Any:
            reduce = fold_reduce(p_, bound, width, count)

            def each(v: int) -> int:
                assert max(speed.fields(v, width, count)) <= bound
                seen["reduce"] += 1
                out: int = reduce(v)
                if worst:
                    out = speed._pack([x % p_ + p_ for x in speed.fields(out, width, count)],
                                      width // 8)
                return out
            return each if reduce is not None else None

        monkeypatch.setattr(speed, "dot_test", checked_dot)
        monkeypatch.setattr(speed, "fold_reduce", checked_reduce)
        verdicts[worst] = [
            (_outcome(lambda: speed.every_completion_run(
                st, blocks, [((a, b), list(range(8))) for b in range(R)])),
             _outcome(lambda: speed.every_completion(st, blocks, (a,), list(range(8)))))
            for a in range(0, R, 3)]
        assert seen["dot"] > 100 and seen["reduce"] > 50, seen
    assert verdicts[True] == verdicts[False]
