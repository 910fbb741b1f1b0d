"""Critical points of the p-spin glass on the sphere: homotopy + Krawczyk against an exact
symbolic count, Morse theory, the kernel, and bad input."""

import copy
import json
from fractions import Fraction as Q

import numpy as np
import pytest
import sympy as sp

from exactmin.check import Malformed, Rejected, check_certificate
from exactmin.cli import main
from exactmin.spinglass import SpinTensor, random_tensor
from exactmin.spinglass.krawczyk import SymmetricTensor, krawczyk
from exactmin.theorems.choromanska import critical_points_certificate, enumerate_critical_points


def _lagrange_polys(T: SpinTensor):  # type: ignore[no-untyped-def]
    """The Lagrange system over Q, built from X directly (not from SymmetricTensor)."""
    w = sp.symbols(f"w0:{T.Lam}")
    lam = sp.Symbol("lam")
    import itertools

    F = sum(sp.Rational(x.numerator, x.denominator) * sp.Mul(*[w[i] for i in idx])
            for idx, x in zip(itertools.product(range(T.Lam), repeat=T.p), T.X))
    eqs = [sp.expand(sp.diff(F, wi) - lam * wi) for wi in w] + [sum(x * x for x in w) - T.Lam]
    return eqs, list(w) + [lam]


def _standard_monomials(G, gens) -> int:  # type: ignore[no-untyped-def]
    """dim Q[x]/I = number of monomials not divisible by a leading monomial (zero-dim I)."""
    leads = [sp.Poly(g, *gens).monoms(order="grevlex")[0] for g in G.exprs]
    seen, frontier = {tuple([0] * len(gens))}, [tuple([0] * len(gens))]
    while frontier:
        nxt = []
        for mono in frontier:
            for v in range(len(gens)):
                cand = tuple(e + (k == v) for k, e in enumerate(mono))
                if cand in seen or any(all(c >= l for c, l in zip(cand, lead)) for lead in leads):
                    continue
                seen.add(cand)
                nxt.append(cand)
        frontier = nxt
    return len(seen)


@pytest.mark.parametrize("Lam, seed", [(2, 0), (2, 5), (3, 0), (3, 2)])
def test_enumeration_agrees_with_a_groebner_basis(Lam: int, seed: int) -> None:
    T = random_tensor(3, Lam, seed=seed)
    eqs, gens = _lagrange_polys(T)
    G = sp.groebner(eqs, *gens, order="grevlex")
    assert G.is_zero_dimensional
    count = _standard_monomials(G, gens)  # solutions with multiplicity, exactly over Q
    res = enumerate_critical_points(T, seed=seed)
    assert res.complex_solutions == count == T.generic_solutions and res.complete
    for box in res.boxes:  # every certified centre is (numerically) on the variety
        point = {g: complex(float(re), float(im)) for g, (re, im) in zip(gens, box.center)}
        for g in G.exprs:
            assert abs(complex(g.evalf(subs=point))) < 1e-6


@pytest.mark.parametrize("Lam", [2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 1])
def test_morse_theory_on_the_sphere(Lam: int, seed: int) -> None:
    """sum (-1)^index over the real critical points = chi(S^(Lambda-1)) = 1 + (-1)^(Lambda-1);
    for odd p, -w is critical with energy negated and index Lambda - 1 - k."""
    res = enumerate_critical_points(random_tensor(3, Lam, seed=seed), seed=seed)
    assert res.complete
    assert res.euler_sum == 1 + (-1) ** (Lam - 1)
    points = [(np.array([float(re) for re, _ in pt.box.center[:-1]]), pt) for pt in res.real_points]
    for w, pt in points:
        matches = [o for v, o in points if np.linalg.norm(v + w) < 1e-8]
        assert len(matches) == 1  # the box around -w (certified on its own)
        other = matches[0]
        assert other.index == Lam - 1 - pt.index
        assert other.energy[0] <= -pt.energy[0] and -pt.energy[1] <= other.energy[1] or \
            pt.energy[0] <= -other.energy[0] and -other.energy[1] <= pt.energy[1] or \
            max(other.energy[0], -pt.energy[1]) <= min(other.energy[1], -pt.energy[0])
    minima = [pt for pt in res.real_points if pt.index == 0]
    assert minima and res.real_points[0].index == 0  # the lowest critical value is a minimum


def test_krawczyk_rejects_a_perturbed_non_solution() -> None:
    T = random_tensor(3, 3, seed=0)
    S = SymmetricTensor(T)
    res = enumerate_critical_points(T)
    box = res.boxes[0]
    center = np.array([complex(float(re), float(im)) for re, im in box.center])
    from exactmin.spinglass.homotopy import lagrange_system

    _, J = lagrange_system(S.floats, 3, 3, center[None])
    Y = np.linalg.inv(J[0])
    assert krawczyk(S, 3, box.center, box.radius, Y)
    moved = tuple((re + Q(1, 1000), im) for re, im in box.center)
    assert not krawczyk(S, 3, moved, box.radius, Y)


def _cert(Lam: int = 3, p: int = 3, seed: int = 0) -> dict:
    res = enumerate_critical_points(random_tensor(p, Lam, seed=seed), seed=seed)
    return json.loads(json.dumps(critical_points_certificate(res)))


def test_kernel_accepts_and_reports() -> None:
    info = check_certificate(_cert())
    assert info["solutions"] == 14 and info["complete"] is True and info["real"] == 10


def _first(cert: dict, real: bool) -> int:
    return next(t for t, s in enumerate(cert["witness"]["solutions"]) if s["real"] is real)


MUTATIONS = {
    "centre moved": (lambda c: c["witness"]["solutions"][0]["center"][0].__setitem__(0, "1/7"),
                     "unique zero in the ball"),
    "index changed": (lambda c: c["witness"]["solutions"][_first(c, True)].__setitem__(
        "index", c["witness"]["solutions"][_first(c, True)]["index"] + 1), "Morse index"),
    "energy shifted": (lambda c: c["witness"]["solutions"][_first(c, True)].__setitem__(
        "energy", ["10", "11"]), "energy interval"),
    "complex claimed real": (lambda c: c["witness"]["solutions"][_first(c, False)].update(
        real=True, energy=["-9", "9"], index=0), "is real"),
    "duplicate solution": (lambda c: c["witness"]["solutions"].append(
        copy.deepcopy(c["witness"]["solutions"][0])), "distinct"),
    "complete with one missing": (lambda c: c["witness"]["solutions"].pop(), "complete"),
    "tensor changed": (lambda c: c["statement"]["X"][0][0].__setitem__(0, "5"),
                       "unique zero in the ball"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_kernel_rejects_mutations(name: str) -> None:
    cert = _cert()
    mutate, text = MUTATIONS[name]
    mutate(cert)
    with pytest.raises(Rejected, match=text):
        check_certificate(cert)


def test_kernel_malformed_fields() -> None:
    cert = _cert(2)
    cert["witness"]["solutions"][0]["radius"] = 0.5
    with pytest.raises(Malformed, match="radius"):
        check_certificate(cert)


def test_p_4_is_certified_but_not_claimed_complete() -> None:
    res = enumerate_critical_points(random_tensor(4, 2, seed=0))
    assert res.complex_solutions == res.tensor.generic_solutions == 8
    assert not res.complete and "p = 3 only" in res.reason
    assert check_certificate(json.loads(json.dumps(critical_points_certificate(res))))["solutions"] == 8


def test_a_degenerate_tensor_is_not_claimed_complete() -> None:
    """X = 0: every point of the sphere is critical; nothing isolated can be certified."""
    T = SpinTensor(3, 2, tuple(Q(0) for _ in range(8)))
    res = enumerate_critical_points(T)
    assert not res.complete and res.complex_solutions < T.generic_solutions


def test_cli_json_and_save(tmp_path, capsys) -> None:
    path = tmp_path / "t.json"
    assert main(["spinglass", "enumerate", "--Lambda", "3", "--seed", "1", "--save", str(path),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"complex_solutions", "generic_solutions", "complete", "real_points"} <= set(out)
    energies = [Q(pt["energy"][0]) for pt in out["real_points"]]
    assert energies == sorted(energies) and out["complete"] is True
    assert all(len(pt["w"]) == 3 for pt in out["real_points"])
    assert main(["spinglass", "enumerate", "--tensor", str(path), "--seed", "1", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["real_points"] == out["real_points"]


@pytest.mark.parametrize("content, field", [
    ({"p": 3, "Lambda": 2, "X": [[[1, 2], [3, 4]], [[5, 6], [7]]]}, "X[1][1]"),
    ({"p": 3, "Lambda": 2, "X": [[[1, 2], [3, 4]], [[5, 6], [7, 0.5]]]}, "float"),
    ({"p": 2, "Lambda": 2, "X": [[1, 0], [0, 1]]}, "p=2"),
    ({"p": 3, "X": []}, "Lambda"),
    ({"p": 3, "Lambda": 0, "X": []}, "Lambda=0"),
])
def test_bad_tensor_files_exit_2_naming_the_field(tmp_path, capsys, content, field) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    assert main(["spinglass", "enumerate", "--tensor", str(path)]) == 2
    assert field in capsys.readouterr().err


def test_an_undecided_index_leaves_the_point_out_and_drops_completeness(monkeypatch) -> None:
    import exactmin.theorems.choromanska as ch

    real_fn = ch.morse_index
    calls = []

    def flaky(S, Lam, box):  # type: ignore[no-untyped-def]
        calls.append(box)
        if len(calls) == 1:
            raise ArithmeticError("undecided")
        return real_fn(S, Lam, box)

    monkeypatch.setattr(ch, "morse_index", flaky)
    res = ch.enumerate_critical_points(random_tensor(3, 2, seed=0))
    assert not res.complete and "not decided" in res.reason
    assert res.complex_solutions == 5 and len(res.real_points) == 5
    info = check_certificate(json.loads(json.dumps(critical_points_certificate(res))))
    assert info["solutions"] == 5 and info["complete"] is False


def test_kernel_workers_give_the_same_verdict_and_first_failure() -> None:
    def check_critical_points(cert: dict, workers: int) -> dict:
        return check_certificate(cert, workers=workers)

    cert = _cert(4)
    assert check_critical_points(copy.deepcopy(cert), workers=2) == check_critical_points(
        copy.deepcopy(cert), workers=1)
    reals = [t for t, s in enumerate(cert["witness"]["solutions"]) if s["real"]]
    for t in reals[2:4]:  # two bad entries: both worker counts name the first
        cert["witness"]["solutions"][t]["index"] += 1
    for workers in (1, 2):
        with pytest.raises(Rejected, match=f"solution {reals[2]}: Morse index"):
            check_critical_points(copy.deepcopy(cert), workers=workers)
