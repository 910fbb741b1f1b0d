"""The partial census (exactmin/search/state.py): any split of the scan's order into ranges,
merged in order, gives the counts, losses, first bad region and listed regions of one range
over the whole order; a checkpoint's JSON round-trips it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.geometry import enumerate_regions
from exactmin.search.outcome import ScanOptions
from exactmin.search.parallel import run_chunk_range, tuple_count
from exactmin.search.state import ScanState
from exactmin.strategies import instances


def _key(s: ScanState) -> tuple:
    first = None if s.first_bad is None else (s.first_bad.loss, s.first_bad.dlm)
    listed = [(idx, dec.loss, w) for idx, dec, w in s.bad or []]
    return (s.examined, s.full, s.dlm, s.bad_count, s.losses, first, listed, s.stopped)


@settings(max_examples=25, deadline=None)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(2, 4)),
       st.lists(st.floats(0, 1), max_size=4), st.booleans(), st.sampled_from(["fast", "naive"]))
def test_ranges_merged_in_order_are_the_whole_scan(inst, cuts, symmetric, engine) -> None:
    units = tuple(enumerate_regions(inst.X))
    total = tuple_count(len(units), inst.d1, symmetric)
    bounds = sorted({0, total, *(int(c * total) for c in cuts)})
    options = ScanOptions(census=True, engine=engine, list_bad=True)
    whole = run_chunk_range((inst, units), 0, total, symmetric, None, options)
    merged = ScanState(bad=[])
    for lo, hi in zip(bounds, bounds[1:]):
        merged.merge(run_chunk_range((inst, units), lo, hi, symmetric, None, options))
    assert _key(merged) == _key(whole)
    census = merged.to_census(len(units), total if not symmetric else len(units) ** inst.d1,
                              census=True)
    assert census.examined == whole.examined and census.bad_losses == tuple(sorted(whole.losses))
    back = ScanState.from_json(whole.to_json())
    assert back.to_json() == whole.to_json()
