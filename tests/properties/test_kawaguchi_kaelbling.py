"""Property tests of Kawaguchi and Kaelbling's theorem (arXiv:1901.00279) on random networks.

Theorem: at every local minimum of the augmented loss, a = 0 and the original parameters are a
global minimum. Contrapositive checked here: at a point (theta, a = 0, w, b) whose residuals are
not the per-input optimum (distinct inputs: nonzero loss), exactmin finds a certified escape, and
the kernel accepts its certificate; at a zero-loss point nothing escapes.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.certificates.kawaguchi_kaelbling import escape_certificate
from exactmin.check import check_certificate
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.theorems.kawaguchi_kaelbling import eliminate

SMALL = st.integers(-3, 3)


@st.composite
def networks_and_points(draw: st.DrawFn) -> tuple[DeepInstance, DeepPoint]:
    N = draw(st.integers(2, 3))
    xs = draw(st.lists(st.integers(-4, 4), min_size=N, max_size=N, unique=True))  # distinct
    inst = DeepInstance.from_dict({"X": [xs, [1] * N], "y": draw(st.lists(SMALL, min_size=N,
                                                                          max_size=N)),
                                   "widths": [2, 2, 1], "rho": "1/2"})
    W = draw(st.lists(st.lists(SMALL, min_size=2, max_size=2), min_size=2, max_size=2))
    z = draw(st.lists(SMALL, min_size=2, max_size=2))
    return inst, DeepPoint.from_dict({"weights": [W, [z]]}, inst)


@settings(max_examples=20)
@given(networks_and_points())
def test_no_local_minimum_of_the_augmented_loss_with_nonzero_loss(case) -> None:
    inst, point = case
    lam, w, b = Fraction(1, 10), (Fraction(0), Fraction(0)), Fraction(0)
    out = eliminate(inst, point, lam)
    if out.original_loss == 0:
        assert out.verdict == "global_minimum"
        return
    # hypotheses met (distinct inputs, so the per-input optimum is zero loss): an escape exists
    assert out.verdict == "escape", out
    cert = escape_certificate(inst, point, lam, w, b, out)
    assert cert is not None
    assert check_certificate(cert)["verdict"] == "not_local_minimum"
