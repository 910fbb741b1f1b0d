"""Fuzzing the kernel's reader: every input ends as a value or as Malformed (with a pointer),
never as another exception; accepted rationals are exactly the documented grammar."""

import json
import re
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.check import Malformed, Refused, Rejected, check_certificate, check_file
from exactmin.check.reader import loads, rational

GRAMMAR = re.compile(r"-?[0-9]+(/[0-9]*[1-9][0-9]*)?", re.ASCII)  # nonzero denominator
NEAR = st.text(alphabet="0123456789-/+ .e_\n\t\u0661\u0662\uff11x", max_size=12)


@settings(max_examples=300)
@given(st.one_of(NEAR, st.text(max_size=12)))
def test_rational_accepts_exactly_the_grammar(text: str) -> None:
    try:
        value = rational(text, "/v")
    except Malformed as exc:
        assert exc.pointer == "/v"
        assert not GRAMMAR.fullmatch(text)
        return
    assert GRAMMAR.fullmatch(text), text
    num, _, den = text.partition("/")
    assert value == Fraction(int(num), int(den or 1))


@given(st.integers(-10**30, 10**30), st.integers(1, 10**30))
def test_rational_round_trip(p: int, q: int) -> None:
    assert rational(f"{p}/{q}", "") == Fraction(p, q) and rational(p, "") == p


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | NEAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["format", "version", "statement", "verdict", "witness", "theorem", "X",
                         "y", "d1", "rho", "noise", "p", "Lambda", "points", "regions"]),
        inner, max_size=6),
    max_leaves=25)


@settings(max_examples=200)
@given(JSON)
def test_arbitrary_json_is_never_accepted_or_a_crash(tree) -> None:
    try:
        check_certificate(loads(json.dumps(tree)))
    except (Malformed, Rejected, Refused):
        return
    raise AssertionError("accepted a random tree")


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_malformed(tmp_path_factory, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("bytes")) / "c.json"
    path.write_bytes(data)
    try:
        check_file(str(path))
    except Malformed:
        return
    except (Rejected, Refused):
        return
    raise AssertionError("accepted random bytes")


def test_malformed_statement_fields_name_their_pointer() -> None:
    cert = {"format": "exactmin-certificate", "version": 1, "verdict": "refuted",
            "statement": {"theorem": "soudry_carmon/no_bad_dlm", "X": [["1"]], "y": ["1"],
                          "d1": 1, "rho": "1/00", "noise": None}, "witness": {}}
    try:
        check_certificate(cert)
    except Malformed as exc:
        assert exc.pointer == "/statement/rho"
    else:
        raise AssertionError("accepted")


@given(st.integers(-10**15, 10**15), st.integers(1, 10**15), st.integers(-40, 40))
def test_sci_prints_as_percent_g_does(p: int, q: int, k: int) -> None:
    """The kernel's decimal printing of a rational equals ``%g`` of its float, or is within
    half a unit of its sixth significant digit of the exact value (a relative error of at most
    5e-6): the kernel rounds the exact rational, ``%g`` a float, and they may differ on a tie
    such as 1.499075e41, whose float lies just below it."""
    from exactmin.check.reader import sci

    v = Fraction(p, q) * Fraction(10) ** k
    got = sci(v)
    assert got == f"{float(v):g}" or abs(Fraction(got) - v) <= abs(v) * Fraction(5, 10**6)


def test_sci_and_show_need_no_float_and_no_str_of_huge_numbers() -> None:
    from exactmin.check.reader import sci, show

    tiny = -Fraction(11, 10**4344)
    assert sci(tiny) == "-1.1e-4343" and sci(Fraction(7) ** 9000).endswith("e+7605")
    assert show(Fraction(1, 3 ** 9000)) == "8.10415e-4295 (about 4295 digits)"
