"""Regenerate the kernel corpus: python -m tests.kernel.make_corpus

Layout: tests/kernel/corpus/<theorem>/{valid,invalid,malformed,refused}/NAME.json, each folder
but valid/ with a reasons.json ({NAME: {"reason", "expect"}}). Valid certificates are exactmin's
own output on the instances below (each exercising some witness kinds); the others are the
hostile cases of tests/kernel/hostile.py. The files are committed so the kernel tests read fixed
bytes, and tests/kernel/test_kernel.py also checks that fresh output is accepted.
"""

import json
from pathlib import Path

from exactmin import Instance, certify
from exactmin.certificates import dumps
from tests.kernel import hostile

HERE = hostile.CORPUS / hostile.SC / "valid"
SPIN_HERE = hostile.CORPUS / hostile.SG / "valid"
GOLDEN = Path(__file__).parents[1] / "golden" / "data"

CORPUS = {
    # certified, general position, full-rank minors (noisy leaky: the demo)
    "noisy-leaky-certified": Instance.from_json(GOLDEN / "g2-leaky-noise.json"),
    # refuted without noise (docs/papers/soudry_carmon.md)
    "leaky-no-noise-refuted": Instance.from_json(GOLDEN / "g1-leaky-no-noise.json"),
    # refuted, ReLU with noise
    "relu-noise-refuted": Instance.from_lists(
        [[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, 0, [["3/2", "4/5", "6/5"], ["7/10", 1, "13/10"]]
    ),
    # certified, leaky, N > d0*d1: interpolation and Motzkin (no DLM) witnesses
    "leaky-interpolates-and-no-dlm": Instance.from_lists(
        [[-1, 0, 1], [-1, -1, -2]], [-2, -1, -1], 1, "1/2"
    ),
    # certified, degenerate data (zero column, parallel points): closure with Gordan certificates
    "degenerate-closure-gordan": Instance.from_lists(
        [[2, -2, 1, 2, 0], [2, 1, -1, -2, 0]], [2, -2, 0, 0, 2], 2, "1/2",
        [["7/10", "1/10", "19/10", "7/10", "1/5"], ["19/10", "9/5", "1/2", "13/10", "1/10"]],
    ),
    # certified, d0 = 1 with parallel points: closure without empty cones
    "one-dimensional-closure": Instance.from_lists([[0, -2, -2]], [0, -2, -2], 2, "1/3"),
    # certified, d0*d1 > N: the fast engine certifies whole subtrees with prefix entries
    "noisy-prefix-subtrees": Instance.from_lists(
        [[1, 0, 1, 2], [0, 1, 1, -1]], [1, -1, 2, 0], 3, "1/2",
        [["3/2", "4/5", "6/5", "1/3"], ["7/10", 1, "13/10", "5/4"], ["2/3", "9/7", "1/2", 2]],
    ),
    # certified, N = d0*d1: node entries whose last two units the kernel checks pair by pair
    # (Laplace pair step), and with a small prime also row and single-region entries
    "noisy-pair-nodes": Instance.from_lists(
        [[1, 0, 1, 2, -1, 1], [0, 1, 1, -1, 2, 3]], [1, -1, 2, 0, 1, -2], 3, "1/2",
        [["3/2", "4/5", "6/5", "1/3", "2/7", 1], ["7/10", 1, "13/10", "5/4", "3/8", "9/5"],
         ["2/3", "9/7", "1/2", 2, "11/10", "4/9"]],
    ),
    # refuted, ReLU dead unit (docs/papers/soudry_carmon.md)
    "relu-dead-unit-refuted": Instance.from_json(GOLDEN / "g3-relu-dead-unit.json"),
}


# Spin-glass certificates (choromanska/critical_points): (p, Lambda, seed, denominator) of a
# seeded tensor. Their centres come from a float homotopy, so fresh ones may differ in the last
# bits across machines: tests check fresh ones are accepted, not that they are byte-identical.
SPIN = {
    "spinglass-p3-lambda3": (3, 3, 3, 10),  # complete (p = 3 Bezout argument), all 14 real
    "spinglass-p4-incomplete": (4, 2, 0, 1000),  # certified, completeness not claimed (p = 4)
}


def build_spin(name: str) -> dict:
    from exactmin.spinglass import random_tensor
    from exactmin.theorems.choromanska import critical_points_certificate, enumerate_critical_points

    p, Lam, seed, den = SPIN[name]
    return critical_points_certificate(
        enumerate_critical_points(random_tensor(p, Lam, seed=seed, denominator=den)))


# Networks of any depth: the golden deep points, a saddle (critical, P e != 0, negative
# curvature), and restricted censuses (lower layers fixed) with both verdicts.
DEEP_HERE = hostile.CORPUS / hostile.DP / "valid"
RESTRICTED_HERE = hostile.CORPUS / hostile.RS / "valid"
_GOLDEN_DEEP = json.loads((GOLDEN / "deep_points.json").read_text())
DEEP = {
    "deep-leaky-all-active-minimum": _GOLDEN_DEEP["P1_leaky_allactive_depth2"],
    "deep-relu-dead-layer-minimum": _GOLDEN_DEEP["P2_relu_dead_layer2"],
    "deep-not-critical": _GOLDEN_DEEP["P3_random"],
    "deep-saddle": {  # w_out = 0 and y orthogonal to the rows of h_2: critical, not a minimum
        "instance": {"X": [[-1, 1, 1, -1], [0, 2, 0, -2]], "y": ["3/17", "-5/34", "1", "0"],
                     "widths": [2, 2, 2, 1], "rho": "1/2"},
        "point": {"weights": [[[1, 2], [-2, -1]], [[2, 1], [0, 1]], [[0, 0]]]}},
}
_NOISY = [["3/2", "4/5", "6/5"], ["7/10", "1", "13/10"]]
RESTRICTED = {
    "restricted-noisy-certified": (
        {"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "widths": [2, 2, 2, 1], "rho": "1/2",
         "noise": [[["1", "2", "1"], ["1", "1", "3"]], _NOISY]}, [[[1, 1], [1, 2]]]),
    "restricted-refuted": (
        {"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "widths": [2, 2, 2, 1], "rho": "1/2"},
        [[[1, 1], [1, 2]]]),
    "restricted-three-layers-relu": (
        {"X": [[1, 2, -1, 0], [1, -1, 1, 2]], "y": [1, 0, 2, -1], "widths": [2, 2, 2, 2, 1],
         "rho": "0"}, [[[1, 1], [2, -1]], [[1, 0], [1, 1]]]),
    "restricted-census": (  # census=True: the census certificate of the features' problem
        {"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "widths": [2, 2, 2, 1], "rho": "1/2"},
        [[[1, 1], [1, 2]]]),
}


def build_deep(name: str) -> dict:
    from exactmin.certificates.deep import point_certificate
    from exactmin.models.deep import DeepInstance, DeepPoint
    from exactmin.theorems.soudry_carmon import verify_deep_point

    inst = DeepInstance.from_dict(DEEP[name]["instance"])
    point = DeepPoint.from_dict(DEEP[name]["point"], inst)
    cert = point_certificate(inst, point, verify_deep_point(inst, point))
    if cert is None:
        raise RuntimeError(f"{name}: no certificate")
    return cert


def build_restricted(name: str) -> dict:
    from exactmin.models.deep import DeepInstance
    from exactmin.theorems.soudry_carmon import certify_restricted

    raw, lower = RESTRICTED[name]
    out = certify_restricted(DeepInstance.from_dict(raw), {"weights": lower}, certificate=True,
                             census=name.endswith("census"))
    return out.certificate()


# Census certificates (soudry_carmon/census): every region's DLM or sign-choice leaves. The
# files valid/legacy-census-*.json are what the writer made before 2026-12-06 (3^d1 Motzkin pairs
# per region): kept as they were, built by nothing, read by the kernel and by hostile.py, whose
# census mutants they stay the source of.
CENSUS_HERE = hostile.CORPUS / hostile.CS / "valid"
CENSUS = {
    "census-leaky-no-noise": Instance.from_json(GOLDEN / "g1-leaky-no-noise.json"),  # multisets
    "census-leaky-noise": Instance.from_json(GOLDEN / "g2-leaky-noise.json"),  # ordered tuples
    "census-relu-needs-z-zero": Instance.from_json(GOLDEN / "g4-relu-needs-z-zero.json"),
    # with the volumes section (Soudry-Hoffer), re-derived by the kernel (data in a plane)
    "census-with-volumes": Instance.from_json(GOLDEN / "g1-leaky-no-noise.json"),
    # volumes of data spanning 3 dimensions: solid angles re-derived by the kernel
    "census-3d-with-volumes": Instance.from_lists(
        [[1, 0, 0, 1, 2], [0, 1, 0, 1, -1], [0, 0, 1, 1, 1]], [1, 0, 2, 1, -1], 1, "1/2"),
}


def build_census(name: str) -> dict:
    cert = certify(CENSUS[name], census=True, certificate=True).certificate()
    if cert is None:
        raise RuntimeError(f"{name}: no certificate")
    if name.endswith("with-volumes"):
        from exactmin.certificates.soudry_hoffer import with_volumes
        from exactmin.theorems.soudry_hoffer import volumes

        cert = with_volumes(cert, CENSUS[name], volumes(CENSUS[name]))
    return cert


# Kawaguchi-Kaelbling escapes (kawaguchi_kaelbling/escape): from a bad DLM where S(0, 0) = 0
# exactly (w moved first), from a ReLU dead unit, and from a deep linear-fit minimum.
ESCAPE_HERE = hostile.CORPUS / hostile.KK / "valid"
ESCAPES = {
    "escape-leaky-bad-dlm": ({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                              "rho": "1/2"}, {"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}),
    "escape-relu-dead-unit": ({"X": [[1, 2], [1, 1]], "y": [1, 2], "d1": 1, "rho": 0},
                              {"W": [[-1, -1]], "z": [1]}),
    "escape-deep-linear-fit": (
        {"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2], "widths": [2, 2, 2, 1], "rho": "1/3"},
        {"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]], [["-3/4", "15/28"]]]}),
}


def build_escape(name: str) -> dict:
    from fractions import Fraction

    from exactmin.certificates.kawaguchi_kaelbling import escape_certificate
    from exactmin.models.deep import DeepInstance, DeepPoint
    from exactmin.theorems.kawaguchi_kaelbling import eliminate

    raw, point = ESCAPES[name]
    inst = DeepInstance.from_dict(raw)
    p = DeepPoint.from_dict(point, inst)
    out = eliminate(inst, p, "1/10")
    cert = escape_certificate(inst, p, Fraction(1, 10), (Fraction(0),) * inst.widths[0],
                              Fraction(0), out)
    if cert is None:
        raise RuntimeError(f"{name}: no certificate")
    return cert


# Points at kinks (soudry_carmon/kink_point): the six golden kink points (tests/golden/data).
KINK_HERE = hostile.CORPUS / hostile.KP / "valid"
KINK = {f"kink-{name.replace('_', '-')}": case for name, case in
        json.loads((GOLDEN / "kink_points.json").read_text()).items()}


def build_kink(name: str) -> dict:
    from exactmin.certificates.deep import kink_certificate
    from exactmin.decide.soudry_carmon_kinks import decide_point
    from exactmin.models import Instance, Point
    from exactmin.models.deep import DeepInstance, DeepPoint

    case = KINK[name]
    inst = Instance.from_dict(case["instance"])
    point = Point.from_lists(case["point"]["W"], case["point"]["z"], inst)
    deep = DeepInstance.from_instance(inst)
    dp = DeepPoint.from_dict({"weights": [case["point"]["W"], [case["point"]["z"]]]}, deep)
    return kink_certificate(deep, dp, decide_point(inst, point))


# The global minimum (soudry_carmon/global_minimum): L* = 0 (g1: only the point), L* = 41/20
# (one ReLU unit, labels of both signs: a dual bound per piece, 6 regions in closure form) and
# XOR with two ReLU units (L* = 1; general position; 36 multisets of (sign, region) pairs).
GLOBAL_HERE = hostile.CORPUS / hostile.GM / "valid"
GLOBAL = {
    "global-zero-g1": json.loads((GOLDEN / "g1-leaky-no-noise.json").read_text()),
    "global-relu-41-20": {"X": [[1, 2, -1], [1, 1, 1]], "y": [1, -2, 2], "d1": 1, "rho": "0"},
    "global-xor-two-units": {"X": [[1, 1, -1, -1], [1, -1, 1, -1]], "y": [1, -1, -1, 1],
                             "d1": 2, "rho": "0"},
}


def build_global(name: str) -> dict:
    from exactmin.theorems.soudry_carmon import global_minimum

    return global_minimum(Instance.from_dict(GLOBAL[name])).certificate()


# Milne (milne/convexity): a positive definite piece (the depth-2 bad minimum, lam = 1/10) and a
# piece that is not (a generic point).
MILNE_HERE = hostile.CORPUS / hostile.ML / "valid"
MILNE = {
    "milne-positive-definite": (_GOLDEN_DEEP["P1_leaky_allactive_depth2"], "1/10"),
    "milne-not-positive-definite": (_GOLDEN_DEEP["P3_random"], "1/10"),
}


def build_milne(name: str) -> dict:
    from fractions import Fraction

    from exactmin.certificates.milne import convexity_certificate
    from exactmin.models.deep import DeepInstance, DeepPoint
    from exactmin.theorems.milne import convexity

    case, lam = MILNE[name]
    inst = DeepInstance.from_dict(case["instance"])
    p = DeepPoint.from_dict(case["point"], inst)
    cert = convexity_certificate(inst, p, Fraction(lam), convexity(inst, p, lam))
    if cert is None:
        raise RuntimeError(f"{name}: no certificate")
    return cert


def build(name: str) -> dict:
    cert = certify(CORPUS[name], certificate=True).certificate()
    if cert is None:
        raise RuntimeError(f"{name}: no certificate")
    return cert


def write_hostile() -> None:
    reasons: dict[Path, dict[str, dict[str, str]]] = {}
    for theorem, folder, name, content, reason, expect in hostile.cases():
        where = hostile.CORPUS / theorem / folder
        where.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content)
        (where / f"{name}.json").write_text(text, encoding="utf-8")
        reasons.setdefault(where, {})[name] = {"reason": reason, "expect": expect}
    for where, table in reasons.items():
        (where / "reasons.json").write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    SPIN_HERE.mkdir(parents=True, exist_ok=True)
    for name in CORPUS:
        (HERE / f"{name}.json").write_text(dumps(build(name)))
    for name in SPIN:
        (SPIN_HERE / f"{name}.json").write_text(dumps(build_spin(name)))
    for folder, names, builder in ((DEEP_HERE, DEEP, build_deep),
                                   (RESTRICTED_HERE, RESTRICTED, build_restricted),
                                   (CENSUS_HERE, CENSUS, build_census),
                                   (ESCAPE_HERE, ESCAPES, build_escape),
                                   (MILNE_HERE, MILNE, build_milne),
                                   (KINK_HERE, KINK, build_kink),
                                   (GLOBAL_HERE, GLOBAL, build_global)):
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / f"{name}.json").write_text(dumps(builder(name)))
    write_hostile()


if __name__ == "__main__":
    import sys

    write_hostile() if sys.argv[1:] == ["--hostile"] else main()
