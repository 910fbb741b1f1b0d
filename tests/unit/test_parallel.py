"""Ranges of the scan's order: starting a range by unranking visits exactly the tuples the
kernel's iteration (itertools) lists at those positions, and the splits cover the order once."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.search.cluster import groups
from exactmin.search.parallel import chunk_ranges, equal_ranges, tuple_count, tuple_range


def _kernel_order(R: int, d1: int, symmetric: bool) -> list[tuple[int, ...]]:
    return list(itertools.combinations_with_replacement(range(R), d1) if symmetric
                else itertools.product(range(R), repeat=d1))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 7), st.integers(1, 4), st.booleans(), st.data())
def test_a_range_lists_the_kernels_tuples_at_its_positions(R, d1, symmetric, data) -> None:
    order = _kernel_order(R, d1, symmetric)
    assert tuple_count(R, d1, symmetric) == len(order)
    lo = data.draw(st.integers(0, len(order) + 2))
    hi = data.draw(st.integers(0, len(order) + 2))
    assert list(tuple_range(R, d1, symmetric, lo, hi)) == order[lo:hi]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 9), st.integers(1, 4), st.booleans(), st.integers(1, 40))
def test_splits_cover_the_order_once(R, d1, symmetric, workers) -> None:
    order = _kernel_order(R, d1, symmetric)
    chunks = chunk_ranges(R, d1, symmetric)
    assert [order[lo][0] for lo, hi in chunks] == list(range(R))  # chunk k0 starts with k0
    assert all(order[k][0] == k0 for k0, (lo, hi) in enumerate(chunks) for k in range(lo, hi))
    for split in (chunks, groups(R, d1, symmetric, workers), equal_ranges(len(order), workers)):
        assert split[0][0] == 0 and split[-1][1] == len(order)
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(split, split[1:]))
    sizes = [hi - lo for lo, hi in groups(R, d1, symmetric, workers)]
    assert max(sizes) - min(sizes) <= 1
