"""Complexity constants of the p-spin glass: arb balls against independent mpmath closed forms."""

import json
from fractions import Fraction as Q

import mpmath
import pytest

from exactmin.cli import main
from exactmin.errors import InvalidInput
from exactmin.spinglass import e_inf, i1, theta_kp, theta_p, threshold
from exactmin.theorems.choromanska import constants

mpmath.mp.dps = 50


def _mp_e_inf(p: int) -> mpmath.mpf:
    return 2 * mpmath.sqrt(mpmath.mpf(p - 1) / p)


def _mp_i1(u, p: int):  # type: ignore[no-untyped-def]
    E = _mp_e_inf(p)
    r = mpmath.sqrt(u * u - E * E)
    return -(u / E**2) * r - mpmath.log(-u + r) + mpmath.log(E)


def _mp_theta_kp(u, k: int, p: int):  # type: ignore[no-untyped-def]
    if u <= -_mp_e_inf(p):
        return mpmath.log(p - 1) / 2 - mpmath.mpf(p - 2) / (4 * (p - 1)) * u * u - (k + 1) * _mp_i1(u, p)
    return mpmath.log(p - 1) / 2 - mpmath.mpf(p - 2) / p


def _contains(ball, x) -> bool:  # type: ignore[no-untyped-def]
    lo, hi = mpmath.mpf(ball.lower().str(60, radius=False)), mpmath.mpf(ball.upper().str(60, radius=False))
    slack = mpmath.mpf(10) ** -40
    return lo - slack <= x <= hi + slack and hi - lo < mpmath.mpf(10) ** -12


@pytest.mark.parametrize("p", [3, 4, 5, 10])
def test_e_inf_matches_closed_form(p: int) -> None:
    assert _contains(e_inf(p), _mp_e_inf(p))


@pytest.mark.parametrize("p", [3, 4, 7])
@pytest.mark.parametrize("u", ["-2", "-17/10", "-3", "-1", "-1/2", "0", "1"])
@pytest.mark.parametrize("k", [0, 1, 4])
def test_theta_functions_match_closed_forms(p: int, u: str, k: int) -> None:
    x = mpmath.mpf(Q(u).numerator) / Q(u).denominator
    assert _contains(theta_kp(u, k, p), _mp_theta_kp(x, k, p))
    E = _mp_e_inf(p)
    base = mpmath.log(p - 1) / 2
    if x >= 0:
        want = base
    elif x >= -E:
        want = base - mpmath.mpf(p - 2) / (4 * (p - 1)) * x * x
    else:
        want = base - mpmath.mpf(p - 2) / (4 * (p - 1)) * x * x - _mp_i1(x, p)
    assert _contains(theta_p(u, p), want)


def test_theta_is_continuous_at_minus_e_inf() -> None:
    """Both branches of Theta_{k,p} and Theta_p meet at u = -E_inf (I1(-E_inf) = 0)."""
    for p in (3, 5):
        E = _mp_e_inf(p)
        below = Q(str(-E - mpmath.mpf(10) ** -30))
        above = Q(str(-E + mpmath.mpf(10) ** -30))
        for f in (lambda u: theta_kp(u, 2, p), lambda u: theta_p(u, p)):
            assert abs(f(below) - f(above)) < 1e-10
        assert abs(i1(below, p)) < 1e-10


@pytest.mark.parametrize("p", [3, 4])
def test_thresholds_are_sign_changes_in_a_decreasing_sequence(p: int) -> None:
    previous = None
    for k in range(5):
        lo, hi = threshold(k, p, digits=20)
        assert 0 < hi - lo <= Q(1, 10**20)
        assert lo > Q(str(_mp_e_inf(p)))
        # the sign change, re-evaluated independently in mpmath at 50 digits
        assert _mp_theta_kp(-mpmath.mpf(lo.numerator) / lo.denominator, k, p) > 0
        assert _mp_theta_kp(-mpmath.mpf(hi.numerator) / hi.denominator, k, p) < 0
        if previous is not None:
            assert hi < previous  # E_0 > E_1 > ... > E_inf
        previous = lo


def test_known_values_for_p_3() -> None:
    c = constants(3, k_max=0, digits=12)
    lo, hi = (Q(x) for x in c["E_inf"])
    assert lo * lo < Q(8, 3) < hi * hi  # E_inf(3) = 2 sqrt(2/3) exactly
    e0 = [Q(x) for x in c["E"][0]]
    assert Q("1.656") < e0[0] < e0[1] < Q("1.658")  # E_0(3) ~ 1.657 (docs/papers/choromanska.md)


def test_cli_json_keys(capsys) -> None:
    assert main(["spinglass", "constants", "--p", "3", "--k-max", "3", "--digits", "8", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["E"]) == 4 and len(out["E_inf"]) == 2
    assert all(Q(lo) < Q(hi) for lo, hi in out["E"] + [out["E_inf"]])


@pytest.mark.parametrize("argv, field", [(["--p", "2"], "p=2"), (["--k-max", "-1"], "k_max=-1"),
                                         (["--digits", "0"], "digits=0")])
def test_cli_bad_input_names_the_field(capsys, argv, field) -> None:
    assert main(["spinglass", "constants", *argv]) == 2
    assert field in capsys.readouterr().err


def test_api_rejects_floats_and_bad_indices() -> None:
    with pytest.raises(InvalidInput, match="u="):
        theta_kp(-1.7, 0, 3)
    with pytest.raises(InvalidInput, match="k=-1"):
        theta_kp(-2, -1, 3)
    with pytest.raises(InvalidInput, match="below -E_inf"):
        i1(-1, 3)
