"""Property tests of Milne's piecewise convexity (arXiv:1810.12805) on random networks.

On a piece the loss is a polynomial in the weights and weight decay adds lam |theta|^2 / 2, so
the Hessian of F is H_0 + lam I: positive definite at lam implies positive definite at any larger
lam. Every verdict comes with a witness the kernel accepts (positive pivots, or a direction of
non-positive curvature).
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.certificates.milne import convexity_certificate
from exactmin.check import check_certificate
from exactmin.strategies import deep_instances, deep_points
from exactmin.theorems.milne import convexity


@st.composite
def cases(draw: st.DrawFn):
    inst = draw(deep_instances(depth=st.integers(1, 2), max_width=2))
    return inst, draw(deep_points(inst)), draw(st.sampled_from(["0", "1/10", "10", "1000"]))


@settings(max_examples=25)
@given(cases())
def test_weight_decay_only_adds_convexity_and_every_verdict_is_certified(case) -> None:
    inst, point, lam = case
    c = convexity(inst, point, lam)
    if c.positive_definite is None:  # a kink: no piece, no Hessian
        return
    cert = convexity_certificate(inst, point, Fraction(lam), c)
    assert cert is not None and check_certificate(cert)["verdict"] == (
        "positive_definite" if c.positive_definite else "not_positive_definite")
    if c.positive_definite:
        assert convexity(inst, point, Fraction(lam) * 2 + 1).positive_definite is True
