"""Property tests of the angular volumes behind Soudry and Hoffer (arXiv:1702.05777).

The unit regions of an arrangement cover R^d0 up to hyperplanes (measure zero), so their
angular volumes sum to 1; the regions holding bad and global DLMs are disjoint, so
V_bad + V_global <= 1. exactmin's arb enclosures and the kernel's own rational enclosures of
each unit region (data spanning up to 3 dimensions) must overlap.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.arith.interval import Interval
from exactmin.check.volumes import unit_volume
from exactmin.strategies import instances
from exactmin.theorems.soudry_hoffer import volumes


@settings(max_examples=25)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 2), N=st.integers(1, 5), noise=False))
def test_unit_volumes_sum_to_one_and_both_computations_agree(inst) -> None:
    rep = volumes(inst, force=True)
    assert 1 in sum(rep.unit_volumes)  # exact interval arithmetic on the enclosures
    assert (rep.V_bad + rep.V_global).lo <= 1
    cols = [[Fraction(inst.X[j][n]) for j in range(inst.d0)] for n in range(inst.N)]
    for signs, vol in zip(rep.unit_signs, rep.unit_volumes):
        lo, hi = unit_volume(cols, list(signs))
        assert vol.overlaps(Interval(Fraction(lo), Fraction(hi)))
