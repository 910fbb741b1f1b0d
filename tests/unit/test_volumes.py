"""Soudry-Hoffer angular volumes: enclosures against independent formulas (plane angles,
Girard's theorem with facets found by region adjacency, Monte Carlo), the sum rules, invariances,
the sampling estimator against the exact census, and the command line."""

import json
import random
from fractions import Fraction as Q

import mpmath
import pytest
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.arith.interval import Interval
from exactmin.cli import main
from exactmin.geometry import enumerate_regions
from exactmin.geometry.volumes import monte_carlo_volume, region_volume
from exactmin.models import Instance
from exactmin.strategies import data_matrices, instances
from exactmin.theorems.soudry_hoffer import interval, sample_volumes, volumes

mpmath.mp.dps = 40


def _contains(ball: arb, value: mpmath.mpf) -> bool:
    lo, hi = (Q(s) for s in interval(ball, 30))
    slack = Q(1, 10**25)
    return lo - slack <= Q(str(value)) <= hi + slack


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d0: data_matrices(d0=d0, N=st.integers(1, 6))))
def test_unit_volumes_sum_to_one_and_each_half_space_to_one_half(X) -> None:
    """The regions partition R^d0 up to measure zero, and {w : w.x_n > 0} has volume 1/2."""
    regions = enumerate_regions(X)
    vols = [region_volume(X, r.signs) for r in regions]
    assert sum(vols, arb(0)).contains(1)
    assert all(v > 0 and v.rad() < 1e-30 for v in vols)
    for n in range(len(X[0])):
        if any(row[n] for row in X):
            assert sum((v for v, r in zip(vols, regions) if r.signs[n] > 0), arb(0)).contains(
                arb(1) / 2)


def _plane_volume(X, signs) -> mpmath.mpf:
    """d0 = 2, independently: boundary angles theta_n +- pi/2 sorted, the arc holding the
    region's interior point (found by testing arc midpoints)."""
    cuts = []
    for n in range(len(X[0])):
        x = (mpmath.mpf(X[0][n].numerator) / X[0][n].denominator,
             mpmath.mpf(X[1][n].numerator) / X[1][n].denominator)
        if x != (0, 0):
            t = mpmath.atan2(x[1], x[0])
            cuts += [(t + mpmath.pi / 2) % (2 * mpmath.pi), (t - mpmath.pi / 2) % (2 * mpmath.pi)]
    if not cuts:
        return mpmath.mpf(1)
    cuts = sorted(cuts)
    for a, b in zip(cuts, cuts[1:] + [cuts[0] + 2 * mpmath.pi]):
        mid = (a + b) / 2
        w = (mpmath.cos(mid), mpmath.sin(mid))
        s = [int(mpmath.sign(w[0] * X[0][n] + w[1] * X[1][n])) for n in range(len(X[0]))]
        if tuple(s) == tuple(signs) and b - a > mpmath.mpf(10) ** -30:  # parallel points: equal cuts
            return (b - a) / (2 * mpmath.pi)
    raise AssertionError("no arc for the region")


@settings(max_examples=40, deadline=None)
@given(data_matrices(d0=2, N=st.integers(1, 6)))
def test_plane_volumes_equal_the_arc_between_boundary_angles(X) -> None:
    for r in enumerate_regions(X):
        assert _contains(region_volume(X, r.signs), _plane_volume(X, r.signs))


def _girard(X, region, regions) -> mpmath.mpf:
    """d0 = 3 with the data spanning R^3, independently: the facets are the hyperplanes whose
    crossing leads to another region of the arrangement; ordered around the sum of their unit
    inward normals (inside the polar cone, whose extreme rays they are),
    consecutive facets meet at dihedral angles alpha_i = pi - angle(a_i, a_j) (inward
    normals), and Girard: Omega = sum alpha_i - (k - 2) pi."""
    signs = set(r.signs for r in regions)
    normals = []
    for n in range(len(X[0])):
        x = [X[k][n] for k in range(3)]
        if not any(x):
            continue
        parallel = [all(X[k][m] * x[j] == X[j][m] * x[k] for k in range(3) for j in range(3))
                    for m in range(len(X[0]))]
        flipped = tuple(-s if parallel[m] else s for m, s in enumerate(region.signs))
        if flipped in signs:
            a = [mpmath.mpf(region.signs[n]) * mpmath.mpf(v.numerator) / v.denominator for v in x]
            if not any(mpmath.almosteq(mpmath.mpf(0), 1 - abs(_cos(a, b))) for b in normals):
                normals.append(a)
    p = [sum(a[k] / mpmath.sqrt(_dot(a, a)) for a in normals) for k in range(3)]  # inside
    ref = [1, 0, 0] if abs(p[0]) < max(abs(p[1]), abs(p[2])) else [0, 1, 0]
    e1 = _cross(p, ref)
    e2 = _cross(p, e1)
    normals.sort(key=lambda a: mpmath.atan2(_dot(a, e2), _dot(a, e1)))
    k = len(normals)
    alphas = [mpmath.pi - mpmath.acos(_cos(normals[i], normals[(i + 1) % k])) for i in range(k)]
    return (sum(alphas) - (k - 2) * mpmath.pi) / (4 * mpmath.pi)


def _dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def _cos(a, b):
    return _dot(a, b) / mpmath.sqrt(_dot(a, a) * _dot(b, b))


def _cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


@pytest.mark.parametrize("seed", range(12))
def test_solid_angles_equal_girards_formula(seed: int) -> None:
    rng = random.Random(seed)
    N = rng.randint(3, 7)
    while True:
        X = [[Q(rng.randint(-3, 3)) for _ in range(N)] for _ in range(3)]
        cols = {tuple(r[n] for r in X) for n in range(N)}
        if (len(cols) == N and all(any(c) for c in cols)
                and all(any(a[k] * b[j] != a[j] * b[k] for k in range(3) for j in range(3))
                        for a in cols for b in cols if a != b)
                and mpmath.det(mpmath.matrix([[float(v) for v in row[:3]] for row in X])) != 0):
            break
    regions = enumerate_regions(X)
    for r in regions:
        assert _contains(region_volume(X, r.signs), _girard(X, r, regions)), (X, r.signs)


@pytest.mark.parametrize("seed", range(4))
def test_monte_carlo_agrees_with_the_enclosures(seed: int) -> None:
    rng = random.Random(seed)
    X = [[Q(rng.randint(-2, 2)) for _ in range(4)] for _ in range(3)]
    for r in enumerate_regions(X)[:6]:
        lo, hi, _ = monte_carlo_volume(X, r.signs, 3000, seed=seed)
        mid = float(region_volume(X, r.signs).mid())
        assert lo <= mid <= hi


def _permuted_and_scaled(inst: Instance, rng: random.Random) -> Instance:
    perm = list(range(inst.N))
    rng.shuffle(perm)
    scale = [Q(rng.randint(1, 5), rng.randint(1, 5)) for _ in perm]
    X = [[row[m] * scale[m] for m in perm] for row in inst.X]
    noise = None if inst.noise is None else [[row[m] for m in perm] for row in inst.noise]
    return Instance.from_lists(X, [inst.y[m] for m in perm], inst.d1, inst.rho, noise)


@settings(max_examples=15, deadline=None)
@given(instances(d0=st.integers(1, 3), d1=st.integers(1, 2), N=st.integers(1, 4)),
       st.integers(0, 10**6))
def test_volumes_are_invariant_under_permuting_and_positively_scaling_data(inst, seed) -> None:
    """Permuting data points (with their labels and noise) changes nothing, and scaling x_n by
    c > 0 changes no region; the DLM labels are those of the scaled problem, which has the
    same losses region by region only up to the reparameterization w -> w, so we compare V
    for permutations and the region volumes for scalings."""
    rng = random.Random(seed)
    other = _permuted_and_scaled(inst, rng)
    a, b = volumes(inst), volumes(other)
    assert sorted(interval(v, 12) for v in a.unit_volumes) == sorted(
        interval(v, 12) for v in b.unit_volumes)
    perm_only = Instance.from_lists([[row[m] for m in reversed(range(inst.N))] for row in inst.X],
                                    list(reversed(inst.y)), inst.d1, inst.rho,
                                    None if inst.noise is None else
                                    [list(reversed(r)) for r in inst.noise])
    c = volumes(perm_only)
    assert interval(a.V_bad, 12) == interval(c.V_bad, 12)
    assert interval(a.V_global, 12) == interval(c.V_global, 12)
    assert (a.ratio is None) == (c.ratio is None)


def test_sampling_interval_covers_the_exact_volumes() -> None:
    for seed, inst in enumerate([
            Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, "1/2"),
            Instance.from_lists([[1, -1, 2, 0], [1, 1, 1, 1]], [1, -1, -1, 1], 2, 0),
            Instance.from_lists([[1, 2, 0], [0, 1, 1], [1, 1, 2]], [1, 0, 2], 1, "1/3")]):
        exact = volumes(inst)
        est = sample_volumes(inst, 2000, seed=seed)
        assert est.V_bad[0] <= float(exact.V_bad.mid) <= est.V_bad[1]
        assert est.V_global[0] <= float(exact.V_global.mid) <= est.V_global[1]


def test_volumes_command_line(tmp_path, capsys) -> None:
    path = tmp_path / "i.json"
    path.write_text(json.dumps({"X": [[0, 1, 2, 3], [1, 1, 1, 1]], "y": [1, -1, 1, -1],
                                "d1": 2, "rho": "1/2"}))
    assert main(["volumes", str(path), "--json", "--eps", "1/10", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"V_bad", "V_global", "ratio", "V_L_eps", "bound", "unit_volumes"} <= set(out)
    assert len(out["unit_volumes"]) == 2 and len(out["unit_volumes"][0]) == 8
    assert out["ratio"] is None and Q(out["V_global"][1]) == 0
    lo, hi = (Q(v) for v in out["V_bad"])
    assert 0 < hi - lo < Q(1, 10**12)
    signs = out["unit_region_signs"]
    assert signs == sorted(signs, key=lambda s: [-v for v in s])
    for argv, field in ((["--eps", "2"], "--eps"), (["--samples", "10", "--budget", "3"],
                                                    "--budget"), (["--seed", "3"], "--seed")):
        assert main(["volumes", str(path), *argv]) == 2
        assert field in capsys.readouterr().err
    wide = tmp_path / "w.json"
    wide.write_text(json.dumps({"X": [[1, 0, 0, 0, 1], [0, 1, 0, 0, 1], [0, 0, 1, 0, 1],
                                      [0, 0, 0, 1, 1]], "y": [1, 0, 0, 0, 1], "d1": 1,
                                "rho": "1/2"}))
    assert main(["volumes", str(wide)]) == 2
    assert "--samples" in capsys.readouterr().err
    assert main(["volumes", str(wide), "--samples", "200", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "sampling"


def test_noise_free_ratio_is_positive_and_finite_when_both_kinds_exist() -> None:
    inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, "1/2")
    rep = volumes(inst)
    assert 1 in sum(rep.unit_volumes) * sum(rep.unit_volumes)
    assert rep.ratio is not None and rep.ratio > 0
    assert rep.ratio.overlaps(Interval(rep.V_bad.lo / rep.V_global.hi,
                                       rep.V_bad.hi / rep.V_global.lo))


def test_unit_shares_recompose_the_volumes() -> None:
    """sum_k V(region k) P(bad | region k) = V_bad (and the same for global): the per-region
    shares the picture colours by are consistent with the totals."""
    for inst in (Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, "1/2"),
                 Instance.from_lists([[1, 0, 1, -1], [0, 1, 1, 2], [1, 1, 0, 1]],
                                     [1, -1, 0, 2], 2, 0)):
        rep = volumes(inst)
        bad = sum(v * b for v, (b, _) in zip(rep.unit_volumes, rep.unit_shares))
        good = sum(v * g for v, (_, g) in zip(rep.unit_volumes, rep.unit_shares))
        assert bad.overlaps(rep.V_bad) and good.overlaps(rep.V_global)
        assert all(0 <= b.mid <= 1 and 0 <= g.mid <= 1
                   for b, g in rep.unit_shares)


def test_experiment_and_picture_write_their_files(tmp_path, monkeypatch, capsys) -> None:
    from exactmin.experiments import soudry_hoffer as experiment

    tiny = experiment.Settings(((2, 2, 3), (2, 2, 4)), ((4, 2, 5),), (Q(0), Q(1, 2)), 1, 200,
                               "quick")
    monkeypatch.setattr(experiment.Settings, "quick", classmethod(lambda cls: tiny))
    assert main(["experiment", "soudry-hoffer-volumes", "--quick", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "soudry_hoffer_volumes.md").read_text()
    assert "| exact | 1/2 | 2 | 2 | 4 |" in md and "| sampling | 0 | 4 | 2 | 5 |" in md
    rows = json.loads((tmp_path / "soudry_hoffer_volumes.json").read_text())["rows"]
    assert len(rows) == 6 and (tmp_path / "soudry_hoffer_volumes.png").stat().st_size > 0
    capsys.readouterr()
    inst = tmp_path / "i.json"
    for X in ([[0, 1, 2], [1, 1, 1]], [[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]]):
        inst.write_text(json.dumps({"X": X, "y": [1] * len(X[0]), "d1": 1, "rho": "1/2"}))
        assert main(["plot", "regions", str(inst), "--out", str(tmp_path / "r.png")]) == 0
        assert (tmp_path / "r.png").stat().st_size > 0
    for suffix, magic in ((".svg", b"<?xml"), (".pdf", b"%PDF")):
        assert main(["plot", "regions", str(inst), "--out", str(tmp_path / f"r{suffix}")]) == 0
        assert (tmp_path / f"r{suffix}").read_bytes().startswith(magic)
    capsys.readouterr()
    assert main(["plot", "regions", str(inst), "--out", str(tmp_path / "nodir" / "r.png")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "nodir").exists()
    inst.write_text(json.dumps({"X": [[1], [0], [0], [1]], "y": [1], "d1": 1, "rho": "1/2"}))
    assert main(["plot", "regions", str(inst), "--out", str(tmp_path / "r.png")]) == 2
    assert "d0=4" in capsys.readouterr().err


def test_volumes_out_writes_a_census_certificate_whose_volumes_the_kernel_rederives(
        tmp_path, capsys) -> None:
    path = tmp_path / "i.json"
    path.write_text(json.dumps({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                                "rho": "1/2"}))
    out = tmp_path / "c.json"
    assert main(["volumes", str(path), "--out", str(out), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "volumes: checked" in text and out.exists()
    cert = json.loads(out.read_text())
    assert cert["statement"]["theorem"] == "soudry_carmon/census"
    assert len(cert["witness"]["volumes"]["unit"]) == 6
    assert main(["volumes", str(path), "--samples", "10", "--out", str(out)]) == 2
