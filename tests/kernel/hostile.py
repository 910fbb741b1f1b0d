"""Hostile certificates for the kernel corpus: forged claims, lenient numbers, resource attacks.

Each case is (theorem, folder, name, content, reason, expect): ``folder`` is ``invalid`` (the
kernel must exit 1, naming the obligation), ``malformed`` (exit 2 with the JSON pointer) or
``refused`` (exit 2: the obligations exceed the default work limit); ``expect`` is text the
kernel's message must contain; ``content`` is a certificate (dict) or raw file text (str).
Written to tests/kernel/corpus/<theorem>/<folder>/ by ``python -m tests.kernel.make_corpus``,
with each file's reason in that folder's ``reasons.json``, so another checker can reuse them.
"""

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus"
SC, SG = "soudry_carmon", "choromanska"
DP, RS = "soudry_carmon_deep_point", "soudry_carmon_restricted"  # corpus folders
CS = "soudry_carmon_census"
KK = "kawaguchi_kaelbling_escape"
ML = "milne_convexity"
KP = "soudry_carmon_kink_point"
GM = "soudry_carmon_global_minimum"


def valid(theorem: str, name: str) -> dict[str, Any]:
    return json.loads((CORPUS / theorem / "valid" / f"{name}.json").read_text())


def envelope(statement: dict[str, Any], verdict: str, witness: Any) -> dict[str, Any]:
    return {"format": "exactmin-certificate", "version": 1, "statement": statement,
            "verdict": verdict, "witness": witness}


def sc_statement(X: list[list[Any]], y: list[Any], d1: int, rho: str = "1/2",
                 noise: Any = None) -> dict[str, Any]:
    return {"theorem": "soudry_carmon/no_bad_dlm", "X": X, "y": y, "d1": d1, "rho": rho,
            "noise": noise}


def certified(statement: dict[str, Any], points: list[Any], regions: list[Any],
              method: str = "closure", empty: list[Any] | None = None,
              prime: int = 3) -> dict[str, Any]:
    completeness: dict[str, Any] = {"method": method}
    if method == "closure":
        completeness["empty"] = empty or []
    return envelope(statement, "certified", {"prime": prime, "regions": regions,
                    "unit_regions": {"points": points, "completeness": completeness}})


def region_points(X: list[list[Any]]) -> list[list[str]]:
    """Interior points of every region of the arrangement of X (untrusted search, exact)."""
    from exactmin import Instance
    from exactmin.geometry import enumerate_regions

    inst = Instance.from_lists(X, [0] * len(X[0]), 1, "1/2")
    return [[str(v) for v in r.point] for r in enumerate_regions(inst.X)]


G1 = sc_statement([["0", "1", "2"], ["1", "1", "1"]], ["0", "1", "0"], 2)  # has a bad DLM
ZERO = sc_statement([["0"]], ["1"], 2)  # every point is a bad DLM


def _with(cert: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(cert)
    keys = [int(k) if k.isdigit() else k for k in path.strip("/").split("/")]
    node = out
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return out


def _dropped(cert: dict[str, Any], path: str, index: int) -> dict[str, Any]:
    out = copy.deepcopy(cert)
    node = out
    for k in [int(k) if k.isdigit() else k for k in path.strip("/").split("/")]:
        node = node[k]
    del node[index]
    return out


def _text_with(cert: dict[str, Any], old: str, new: str) -> str:
    text = json.dumps(cert)
    if old not in text:
        raise ValueError(f"{old!r} not in the certificate")
    return text.replace(old, new, 1)


def cases() -> list[tuple[str, str, str, Any, str, str]]:
    noisy = valid(SC, "noisy-leaky-certified")
    prefix = valid(SC, "noisy-prefix-subtrees")
    refuted = valid(SC, "leaky-no-noise-refuted")
    spin3 = valid(SG, "spinglass-p3-lambda3")
    spin4 = valid(SG, "spinglass-p4-incomplete")
    g1_points = region_points(G1["X"])
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(theorem: str, folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((theorem, folder, name, content, reason, expect))

    # ---------------------------------------------------------------- forged claims (exit 1)
    add(SC, "invalid", "empty-closure-any-statement", certified(G1, [], []),
        "no unit regions: closure is vacuous and 0^d1 tuples are 'covered' (an instance with a "
        "bad DLM)", "at least one region")
    add(SC, "invalid", "empty-closure-zero-data", certified(ZERO, [], []),
        "no unit regions for X = [[0]] (one region: the whole line; every point a bad DLM)",
        "at least one region")
    add(SC, "invalid", "one-region-closure", certified(G1, [g1_points[0]], [{"full_rank": [0, 1, 2]}]),
        "one region listed, its neighbours neither listed nor proved empty", "closure of unit region 0")
    add(SC, "invalid", "one-region-zero-gordan",
        certified(G1, [g1_points[0]], [{"full_rank": [0, 1, 2]}],
                  empty=[{"region": 0, "class": c, "gordan": ["0", "0", "0"]} for c in range(3)]),
        "one region, every neighbour 'proved empty' by the zero vector", "Gordan certificate")
    add(SC, "invalid", "region-listed-twice",
        _with(noisy, "/witness/unit_regions/points/5",
              [str(3 * int(v)) for v in noisy["witness"]["unit_regions"]["points"][4]]),
        "a region listed under two interior points (one standing in for a missing region)",
        "duplicate of region 4")
    add(SC, "invalid", "general-position-fewer-regions",
        _dropped(noisy, "/witness/unit_regions/points", 0),
        "general position with one region fewer than Cover's count", "Cover's count")
    add(SC, "invalid", "general-position-parallel-data",
        certified(sc_statement([["1", "2", "0"], ["1", "2", "1"]], ["0", "1", "2"], 1),
                  [["1", "1"], ["-1", "-1"], ["1", "-2"], ["-1", "2"], ["3", "-1"], ["-3", "1"]],
                  [], method="general_position"),
        "Cover's count of points on data with two parallel points (only 4 regions exist)",
        "duplicate of region")
    add(SC, "invalid", "prefix-covers-too-much",
        certified(G1, g1_points, [{"prefix": [], "full_rank": [0, 1, 2]}],
                  method="general_position", prime=1000003),
        "one prefix entry claims rank K = N for every tuple of a noise-free instance (equal "
        "regions give equal rows)", "full rank")
    boundary = next(j for j, e in enumerate(prefix["witness"]["regions"])
                    if e.get("prefix", [0])[0] == 1) - 1
    add(SC, "invalid", "chunk-boundary-skipped", _dropped(prefix, "/witness/regions", boundary),
        "the last entry of the first unit's chunk dropped (completions skipped at a boundary)",
        "covers the next tuples in order")
    add(SC, "invalid", "zero-data-point-interpolates",
        certified(sc_statement([["0", "1"]], ["1", "0"], 1), [["1"], ["-1"]],
                  [{"interpolates": ["0"]}, {"interpolates": ["0"]}]),
        "a zero data point with label 1: no network fits it, 'interpolates' claimed anyway",
        "interpolates")
    add(SC, "invalid", "zero-data-point-general-position",
        certified(sc_statement([["0", "1"]], ["1", "0"], 1), [["1"], ["-1"]],
                  [{"interpolates": ["0"]}, {"interpolates": ["0"]}], method="general_position"),
        "general position claimed for data with a zero point", "general position")
    add(SC, "invalid", "general-position-60-choose-30",
        certified(sc_statement([[str((n + 1) ** k % 97) for n in range(60)] for k in range(30)],
                               ["0"] * 60, 1), [["1"] * 30], [], method="general_position"),
        "d0 = 30, N = 60: C(60, 30) ~ 1.2e17 minors; Cover's count is compared first",
        "Cover's count")
    add(SC, "invalid", "many-data-points-closure",
        certified(sc_statement([[str(n) for n in range(1, 5001)], ["1"] * 5000], ["0"] * 5000, 1),
                  [["1", "1"]], []),
        "N = 5000 distinct directions (class grouping must be near-linear), one region listed",
        "closure of unit region 0")
    add(SC, "invalid", "refutation-zero-loss", _with(refuted, "/witness/loss", "0"),
        "a refutation whose loss is claimed 0", "loss")

    add(SG, "invalid", "complete-with-fewer-solutions",
        _dropped(spin3, "/witness/solutions", 3),
        "complete: true with one solution fewer than 2^(Lambda+1) - 2", "complete")
    add(SG, "invalid", "complete-claimed-for-p4", _with(spin4, "/witness/complete", True),
        "complete: true for p = 4, where no completeness argument is implemented", "complete")
    sols = spin3["witness"]["solutions"]
    add(SG, "invalid", "solution-listed-twice",
        _with(spin3, "/witness/solutions", sols[:-1] + [sols[0]]),
        "one solution listed twice in place of another, keeping the count", "distinct")
    real = next(t for t, s in enumerate(sols) if s["real"])
    fake = {k: v for k, v in sols[real].items() if k not in ("energy", "index")}
    add(SG, "invalid", "real-solution-called-complex",
        _with(spin3, f"/witness/solutions/{real}", dict(fake, real=False)),
        "a real solution listed as not real", "is not real")
    add(SG, "invalid", "wrong-morse-index",
        _with(spin3, f"/witness/solutions/{real}/index", sols[real]["index"] + 1),
        "a Morse index off by one", "Morse index")

    # ---------------------------------------------------------------- unreadable (exit 2)
    add(SC, "malformed", "duplicate-key-statement",
        _text_with(refuted, '"d1": 2', '"d1": 2, "d1": 3'),
        "a duplicate key: a first-wins reader would see another statement", "/statement/d1: duplicate key")
    add(SC, "malformed", "duplicate-key-verdict",
        _text_with(refuted, '"verdict": "refuted"', '"verdict": "refuted", "verdict": "certified"'),
        "a duplicate verdict", "/verdict: duplicate key")
    add(SC, "malformed", "version-true", _with(refuted, "/version", True),
        "version true (True == 1 in Python)", "/version")
    for name, value, why in [
        ("trailing-newline", "1/2\n", "a trailing newline"),
        ("arabic-digits", "\u0661/\u0662", "non-ASCII digits"),
        ("zero-denominator", "1/00", "a zero denominator"),
        ("plus-sign", "+1/2", "a plus sign"),
        ("inner-space", "1 /2", "a space"),
        ("decimal", "0.5", "a decimal point"),
        ("underscore", "1_000", "an underscore digit separator"),
        ("negative-denominator", "1/-2", "a negative denominator"),
    ]:
        add(SC, "malformed", f"rational-{name}", _with(refuted, "/statement/y/0", value),
            f"a rational with {why}", "/statement/y/0")
    add(SC, "malformed", "json-float", _text_with(refuted, '"d1": 2', '"d1": 2.0'),
        "a JSON float", "/statement/d1")
    add(SC, "malformed", "json-nan", _text_with(refuted, '"d1": 2', '"d1": NaN'),
        "NaN", "/statement/d1")
    add(SC, "malformed", "huge-integer", _text_with(refuted, '"d1": 2', '"d1": ' + "9" * 5000),
        "an integer of 5000 digits", "/statement/d1")
    add(SC, "malformed", "unknown-theorem", _with(refuted, "/statement/theorem", "trust_me"),
        "an unknown theorem id", "/statement/theorem")
    add(SG, "malformed", "lambda-64",
        envelope({"theorem": "choromanska/critical_points", "p": 3, "Lambda": 64, "X": []},
                 "enumerated", {"complete": False, "solutions": []}),
        "Lambda = 64 (about 95 s per solution; the statement limit is 16)", "/statement/Lambda")

    # ---------------------------------------------------------------- too large (exit 2)
    add(SC, "refused", "d1-ten-billion", certified(dict(G1, d1=10**10), [], []),
        "d1 = 10^10: R^d1 tuples and a K of 2e10 rows", "work units")
    X16 = [["1"] * 16, [str(n) for n in range(1, 17)]]
    add(SC, "refused", "tuples-32-to-the-8",
        certified(sc_statement(X16, ["0"] * 16, 8), region_points(X16),
                  [{"prefix": [], "full_rank": list(range(16))}], method="general_position",
                  prime=1000003),
        "R = 32 regions, d1 = 8: one entry naming rows of every unit over 32^8 ~ 1.1e12 "
        "completions", "ordered tuples")
    add(SC, "refused", "combinations-60-choose-30",
        certified(sc_statement([[str(n + 1) for n in range(60)]] + [["0"] * 60] * 29,
                               ["0"] * 60, 2), [["1"] + ["0"] * 29, ["-1"] + ["0"] * 29],
                  [{"prefix": [], "full_rank": list(range(60))}]),
        "a 14 KB entry whose pair step would list the C(60, 30) column subsets", "entry 0")
    add(SC, "refused", "no-dlm-3-to-the-40",
        certified(dict(ZERO, d1=40), [["1"]], [{"no_dlm": []}]),
        "d1 = 40 on a one-region arrangement: 3^40 sign choices of z", "entry 0")
    out += deep_cases()
    out += census_cases()
    out += escape_cases()
    out += milne_cases()
    out += kink_cases()
    out += global_cases()
    out += stress_cases()
    return out


def deep_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Networks of any depth: forged point verdicts and restricted censuses."""
    minimum = valid(DP, "deep-leaky-all-active-minimum")
    dead = valid(DP, "deep-relu-dead-layer-minimum")
    moving = valid(DP, "deep-not-critical")
    saddle = valid(DP, "deep-saddle")
    certified_r = valid(RS, "restricted-noisy-certified")
    refuted_r = valid(RS, "restricted-refuted")
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(theorem: str, folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((theorem, folder, name, content, reason, expect))

    box = {"loss": "9537/32", "box_radius": "1/1000"}
    add(DP, "invalid", "not-critical-called-minimum",
        envelope(moving["statement"], "local_minimum", box),
        "a point with a nonzero gradient claimed a local minimum with its true loss", "P e = 0")
    add(DP, "invalid", "minimum-wrong-loss", _with(minimum, "/witness/loss", "1/2"),
        "a genuine minimum with a smaller loss claimed", "loss")
    add(DP, "invalid", "minimum-box-too-large", _with(minimum, "/witness/box_radius", "1000"),
        "a box so large that pre-activations change sign in it", "box keeps the sign")
    add(DP, "invalid", "minimum-box-zero", _with(minimum, "/witness/box_radius", "0"),
        "a box of radius 0 keeps every sign trivially", "box radius")
    add(DP, "invalid", "dead-layer-box-too-large", _with(dead, "/witness/box_radius", "10"),
        "ReLU: a box in which the dead layer can come alive", "box keeps the sign")
    zeros = [[["0"] * len(r) for r in W] for W in minimum["statement"]["weights"]]
    add(DP, "invalid", "minimum-called-not-minimum-zero-direction",
        envelope(minimum["statement"], "not_local_minimum", {"direction": zeros}),
        "the zero direction: the loss does not change along it", "the loss decreases")
    ones = [[["1"] * len(r) for r in W] for W in minimum["statement"]["weights"]]
    add(DP, "invalid", "minimum-called-not-minimum",
        envelope(minimum["statement"], "not_local_minimum", {"direction": ones}),
        "a certified local minimum; along any direction the lowest term is even and positive",
        "the loss decreases")
    w_out_only = [[["0"] * len(r) for r in W] for W in saddle["statement"]["weights"][:-1]]
    add(DP, "invalid", "saddle-convex-direction",
        envelope(saddle["statement"], "not_local_minimum",
                 {"direction": w_out_only + [[["1", "1"]]]}),
        "a saddle, but along w_out alone the loss is a convex quadratic", "the loss decreases")
    kink = _with(minimum, "/statement/weights/0/0", ["1", "0"])  # u_1(0)[0] = 0: x_0 = (0, 1)
    add(DP, "invalid", "non-differentiable-called-minimum", kink,
        "a zero pre-activation: no piece around the point, P e = 0 proves nothing",
        "a differentiable point")
    add(DP, "invalid", "non-differentiable-called-not-minimum",
        _with(moving, "/statement/weights/0/0", ["-1", "2"]),
        "a zero pre-activation (u_1(0)[0] = -2 + 2): the polynomial along a line is not the loss",
        "a differentiable point")
    add(RS, "invalid", "certified-other-lower-layers",
        _with(certified_r, "/statement/lower/0", [["1", "0"], ["0", "1"]]),
        "a certificate of other features: the lower layers changed, the witness kept",
        "unit region 0")
    add(RS, "invalid", "refuted-other-labels", _with(refuted_r, "/statement/y", ["1", "1", "0"]),
        "the restricted counterexample under other labels", "loss")
    add(RS, "invalid", "certified-without-noise",
        _with(certified_r, "/statement/noise", None),
        "the noisy census's witness for the noise-free network (other features, bad DLMs)",
        "unit region")

    add(DP, "malformed", "weights-wrong-shape", _with(minimum, "/statement/weights/1", [["1"]]),
        "W_2 of shape 1 x 1 where widths say 2 x 2", "/statement/weights/1")
    add(DP, "malformed", "widths-not-ending-in-one",
        _with(minimum, "/statement/widths", [2, 2, 2]), "widths must end in 1",
        "/statement/widths")
    add(DP, "malformed", "noise-wrong-length",
        _with(minimum, "/statement/noise", [[["1", "1", "1"], ["1", "1", "1"]]]),
        "one noise matrix for two hidden layers", "/statement/noise")
    add(DP, "malformed", "unknown-verdict", _with(minimum, "/verdict", "global_minimum"),
        "a verdict this theorem does not have", "/verdict")
    add(DP, "malformed", "direction-wrong-shape",
        _with(moving, "/witness/direction", [[["1"]]]), "a direction with one layer", "/witness")
    add(DP, "malformed", "minimum-extra-witness-key",
        _with(minimum, "/witness/method", "hessian"), "an unknown witness key", "/witness/method")
    add(RS, "malformed", "restricted-one-layer",
        _with(_with(refuted_r, "/statement/widths", [2, 2, 1]), "/statement/lower", []),
        "a restricted census needs L >= 2", "/statement/widths")
    X = [[str(n) for n in range(1, 11)], ["1"] * 10]
    add(DP, "refused", "huge-widths",
        envelope({**minimum["statement"], "X": X, "y": ["0"] * 10,
                  "widths": [2, 10**4, 10**4, 10**4, 1], "weights": []}, "local_minimum",
                 minimum["witness"]),
        "three hidden layers of 10^4 units on 10 points: 2e9 units for the forward pass alone",
        "work units")
    return out


def census_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Census certificates: counts forged, entries dropped or swapped, points outside regions."""
    plain = valid(CS, "legacy-census-leaky-no-noise")
    noisy = valid(CS, "legacy-census-leaky-noise")
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((CS, folder, name, content, reason, expect))

    regions = plain["witness"]["regions"]
    first_dlm = next(j for j, e in enumerate(regions) if "dlm" in e)
    first_none = next(j for j, e in enumerate(regions) if "no_dlm" in e)
    add("invalid", "fewer-bad-regions-claimed",
        _with(plain, "/witness/counts/bad_dlm_regions", 0),
        "the bad regions' count claimed 0 (the theorem's conclusion claimed)", "counts")
    add("invalid", "a-bad-loss-hidden", _with(plain, "/witness/counts/bad_losses", ["1/3"]),
        "two of the three bad losses left out", "bad_losses")
    add("invalid", "no-dlm-region-given-a-dlm",
        _with(plain, f"/witness/regions/{first_none}", regions[first_dlm]),
        "a region without a DLM given another region's DLM", "sign")
    add("invalid", "dlm-region-given-motzkin",
        _with(plain, f"/witness/regions/{first_dlm}", regions[first_none]),
        "a region with a DLM 'proved' empty by another region's Motzkin certificates",
        "has no DLM")
    moved = regions[first_dlm]["dlm"]
    add("invalid", "dlm-not-critical",
        _with(plain, f"/witness/regions/{first_dlm}/dlm/z",
              [str(Fraction(v) * 2) for v in moved["z"]]),
        "a point of the region that is not critical (z doubled)", "K e = 0")
    add("malformed", "entry-dropped", _dropped(plain, "/witness/regions", 0),
        "one region fewer than the statement's multisets", "/witness/regions")
    add("malformed", "noisy-in-multiset-order",
        _with(noisy, "/witness/regions", noisy["witness"]["regions"][:len(regions)]),
        "with noise every ordered tuple needs an entry; the multisets' count is not enough",
        "/witness/regions")
    add("malformed", "unknown-entry-kind", _with(plain, "/witness/regions/0", {"full_rank": [0]}),
        "a no_bad_dlm witness kind in a census", "/witness/regions/0")
    add("malformed", "wrong-verdict", _with(plain, "/verdict", "certified"),
        "a census certificate with another verdict", "/verdict")
    vol = valid(CS, "legacy-census-with-volumes")
    unit0 = vol["witness"]["volumes"]["unit"][0]
    add("invalid", "unit-volume-too-small", _with(vol, "/witness/volumes/unit/0",
                                                  [str(Fraction(unit0[0]) / 2),
                                                   str(Fraction(unit0[0]) * 3 / 4)]),
        "a unit region's volume claimed below its true value", "unit region 0")
    add("invalid", "V-bad-halved", _with(vol, "/witness/volumes/V_bad",
                                         [str(Fraction(v) / 2) for v in
                                          vol["witness"]["volumes"]["V_bad"]]),
        "the bad regions' volume halved", "V_bad")
    add("malformed", "volume-interval-reversed", _with(vol, "/witness/volumes/V_global",
                                                       list(reversed(vol["witness"]["volumes"][
                                                           "V_global"]))),
        "[hi, lo]", "/witness/volumes/V_global")
    return out + tree_cases()


def tree_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Census entries with sign-choice leaves (``no_dlm_tree``): a leaf dropped, a multiplier
    negated or moved, a leaf covering more than it may, another region's leaves, too many
    leaves, multipliers on rows the leaf's system does not have."""
    cert = valid(CS, "census-leaky-no-noise")
    regions = cert["witness"]["regions"]
    dlm = next(j for j, e in enumerate(regions) if "dlm" in e)
    j = next(j for j, e in enumerate(regions) if "no_dlm_tree" in e
             and any(leaf[1] for leaf in e["no_dlm_tree"]["leaves"]))
    tree = regions[j]["no_dlm_tree"]
    t = next(t for t, leaf in enumerate(tree["leaves"]) if leaf[1])
    at = f"/witness/regions/{j}/no_dlm_tree"
    mu = tree["leaves"][t][1]
    deep = next(u for u, leaf in enumerate(tree["leaves"]) if leaf[0] == 2)
    live = next(u for u, leaf in enumerate(tree["leaves"]) if leaf[1] and leaf[0] == 2)
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((CS, folder, name, content, reason, expect))

    add("invalid", "tree-leaf-dropped", _dropped(cert, f"{at}/leaves", len(tree["leaves"]) - 1),
        "the last leaf left out: some sign choices of z never proved empty", "cover every")
    add("invalid", "tree-multiplier-negated",
        _with(cert, f"{at}/leaves/{t}/1/2", -mu[2]),
        "a strict row's multiplier made negative", "valid multiplier")
    j2, t2 = next((j2, t2) for j2, e in enumerate(regions) if "no_dlm_tree" in e
                  for t2, leaf in enumerate(e["no_dlm_tree"]["leaves"]) if len(leaf[1]) >= 6)
    mu2 = regions[j2]["no_dlm_tree"]["leaves"][t2][1]
    add("invalid", "tree-multiplier-doubled",
        _with(cert, f"/witness/regions/{j2}/no_dlm_tree/leaves/{t2}/1",
              mu2[:2] + [2 * mu2[2]] + mu2[3:]),
        "one of two multipliers doubled: the combination no longer vanishes", "has no DLM")
    add("invalid", "tree-leaf-covers-its-parent",
        _with(cert, f"{at}/leaves/{deep}/0", 1),
        "a depth-2 leaf claimed at depth 1 (its signs now those of a larger subtree)", "leaf")
    add("invalid", "tree-of-a-dlm-region",
        _with(cert, f"/witness/regions/{dlm}", regions[j]),
        "a region holding a DLM 'proved' empty by another region's leaves", "has no DLM")
    add("invalid", "tree-with-ten-leaves",
        _with(cert, f"{at}/leaves", (tree["leaves"] * 10)[:10]),
        "ten leaves for the 3^2 = 9 sign choices of z", "at most one leaf per sign choice")
    add("invalid", "tree-multiplier-on-a-zero-unit",
        _with(cert, f"{at}/leaves/{live}/2", [tree["leaves"][live][1][0], 0, 1]),
        "an equation v_i = 0 used for a unit whose sign in the leaf is not 0", "lam entry 0")
    add("malformed", "tree-order-repeats", _with(cert, f"{at}/order", [0, 0]),
        "the unit order names unit 0 twice", f"{at}/order")
    add("malformed", "tree-multipliers-not-triples",
        _with(cert, f"{at}/leaves/{t}/1", mu[:-1]),
        "a multiplier list cut short", f"{at}/leaves/{t}/1")
    return out


def escape_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Kawaguchi-Kaelbling escapes: S claimed nonzero where it vanishes, the wrong direction,
    too long a step, an escape from a global minimum, hostile exponents."""
    bad = valid(KK, "escape-leaky-bad-dlm")
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((KK, folder, name, content, reason, expect))

    add("invalid", "S-zero-at-the-witness", _with(bad, "/witness/w", ["0", "0"]),
        "w' = w where S(w', b) = 0 exactly (the residuals sum to 0): no first-order escape",
        "S(w', b) != 0")
    a = Fraction(bad["witness"]["a"])
    add("invalid", "a-in-the-wrong-direction", _with(bad, "/witness/a", str(-a)),
        "a moved along the sign of S: the augmented loss goes up", "< 0")
    add("invalid", "a-too-far", _with(bad, "/witness/a", str(a * 10**6)),
        "a so large that the quadratic term wins", "< 0")
    fitted = _with(_with(bad, "/statement/y", ["1", "2", "3"]), "/statement/weights",
                   [[["1", "0"], ["0", "1"]], [["1", "1"]]])
    add("invalid", "escape-from-a-global-minimum", fitted,
        "a zero-loss point (the labels are its predictions) claimed escapable: S = 0 for every w",
        "S(w', b) != 0")
    add("malformed", "lam-zero", _with(bad, "/statement/lam", "0"),
        "lam = 0: not the theorem's penalty", "/statement/lam")
    add("malformed", "huge-exponent", _with(bad, "/witness/w", ["100000", "0"]),
        "w' . x_n = 2e5: exp beyond what the kernel bounds", "/witness/w")
    add("malformed", "bits-out-of-range", _with(bad, "/witness/bits", 10**6),
        "a rounding precision of a million bits", "/witness/bits")
    return out


def milne_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Milne: pivots forged, the opposite verdict, a direction of positive curvature, no piece."""
    pd = valid(ML, "milne-positive-definite")
    npd = valid(ML, "milne-not-positive-definite")
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((ML, folder, name, content, reason, expect))

    pivots = pd["witness"]["pivots"]
    add("invalid", "pivot-forged", _with(pd, "/witness/pivots/3", str(Fraction(pivots[3]) + 1)),
        "one pivot changed", "LDL^T pivot 3")
    add("invalid", "indefinite-called-definite",
        envelope(npd["statement"], "positive_definite", pd["witness"]),
        "a not positive definite piece with another point's pivots", "LDL^T pivot")
    size = len(npd["witness"]["direction"])
    add("invalid", "positive-direction",
        envelope(pd["statement"], "not_positive_definite",
                 {"direction": ["1"] + ["0"] * (size - 1)}),
        "a positive definite piece 'refuted' by a coordinate direction", "d^T H d <= 0")
    add("invalid", "zero-direction", _with(npd, "/witness/direction", ["0"] * size),
        "the zero direction has zero curvature, trivially", "nonzero direction")
    add("invalid", "no-piece", _with(pd, "/statement/weights/0/0", ["1", "0"]),
        "a zero pre-activation (x_0 = (0, 1), first row (1, 0)): no piece, no Hessian",
        "a differentiable point")
    add("malformed", "lam-negative", _with(pd, "/statement/lam", "-1/10"),
        "negative weight decay", "/statement/lam")
    add("malformed", "pivots-short", _with(pd, "/witness/pivots", pivots[:-1]),
        "one pivot fewer than the weights", "/witness/pivots")
    return out


def kink_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Points at kinks: a multiplier made negative, a piece dropped, a loss raised, directions
    that do not descend, a local minimum claimed where there is none, unsupported depth, and 25
    ties on one unit (2^25 pieces)."""
    relu = valid(KP, "kink-relu-min")
    leaky = valid(KP, "kink-leaky-min")
    down = valid(KP, "kink-relu-not-min")
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((KP, folder, name, content, reason, expect))

    k = next(k for k, p in enumerate(leaky["witness"]["pieces"]) if p.get("lambda"))
    lam = leaky["witness"]["pieces"][k]["lambda"]
    add("invalid", "multiplier-negative",
        _with(leaky, f"/witness/pieces/{k}/lambda", ["-" + lam[0]] + lam[1:]),
        "one cone multiplier negated", "multipliers >= 0")
    add("invalid", "piece-dropped", _dropped(relu, "/witness/pieces", 3),
        "one of the 17 pieces left out: the kernel derives how many there are", "one entry per")
    add("invalid", "loss-raised", _with(relu, "/witness/loss", "5"),
        "the loss claimed above the point's", "loss (1/2)||yhat - y||^2")
    zero = [[["0"] * len(row) for row in W] for W in down["witness"]["direction"]]
    add("invalid", "zero-direction", _with(down, "/witness/direction", zero),
        "the zero direction changes nothing", "the loss decreases")
    up = [[[str(-Fraction(v)) for v in row] for row in W] for W in down["witness"]["direction"]]
    add("invalid", "ascent-direction", _with(down, "/witness/direction", up),
        "the descent direction negated: the loss rises (or stays) for small t > 0",
        "the loss decreases")
    add("invalid", "minimum-claimed-at-a-descent-point",
        envelope(down["statement"], "local_minimum",
                 {"loss": "13/2", "pieces": [{"lambda": ["0"]}, {"lambda": ["0"]}]}),
        "a local minimum claimed where a descent direction exists, with zero multipliers",
        "in the cone of the tied points")
    deep = copy.deepcopy(relu)
    st = deep["statement"]
    st["widths"] = [2, 3, 1, 1]
    st["weights"] = [st["weights"][0], [["1", "1", "1"]], [["1"]]]
    deep["witness"]["loss"] = "6"  # its loss (the pieces are never read)
    add("malformed", "deep-nonzero-loss-minimum", deep,
        "a local minimum with nonzero loss of a two-hidden-layer network: not supported",
        "one hidden layer only")
    many = envelope({"theorem": "soudry_carmon/kink_point", "X": [["1"] * 25, ["0"] * 25],
                     "y": ["-1"] * 25, "widths": [2, 1, 1], "rho": "0", "noise": None,
                     "weights": [[["0", "1"]], [["1"]]]},
                    "local_minimum", {"loss": "25/2", "pieces": []})
    add("refused", "two-to-the-25-pieces", many,
        "w = (0, 1) is orthogonal to all 25 data points: 2^25 pieces", "2^25 pieces")
    return out


def global_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """The global minimum: L* raised to a spurious minimum's loss (with that point), a negative
    multiplier, a dropped piece, a perturbed mu, a zero claimed where the loss is positive, a
    region left out, noise added to a certificate of multisets (the kernel then derives ordered
    tuples), and pieces beyond the work limit."""
    good = valid(GM, "global-relu-41-20")
    xor = valid(GM, "global-xor-two-units")
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((GM, folder, name, content, reason, expect))

    raised = _with(_with(good, "/statement/global_minimum", "9/2"), "/witness/W", [["0", "0"]])
    raised = _with(raised, "/witness/z", ["0"])  # the zero network: loss 9/2, a spurious minimum
    add("invalid", "raised-to-a-spurious-loss", raised,
        "L* claimed at 9/2 with the zero network (a local minimum of that loss) while the global "
        "minimum is 41/20: some piece's bound is below 9/2", "the bound")
    k = next(k for k, p in enumerate(good["witness"]["pieces"])
             if any(v != "0" for row in p["lambda"] for v in row))
    lam = good["witness"]["pieces"][k]["lambda"]
    j = next(j for j, v in enumerate(lam[0]) if v != "0")
    neg = [["-" + v if t == j else v for t, v in enumerate(lam[0])]] + lam[1:]
    add("invalid", "lambda-negative", _with(good, f"/witness/pieces/{k}/lambda", neg),
        "one multiplier negated", "lambda >= 0")
    add("invalid", "piece-dropped", _dropped(good, "/witness/pieces", 5),
        "one of 12 pieces left out: the kernel derives how many there are from the regions",
        "one entry per piece")
    mu = good["witness"]["pieces"][k]["mu"]
    add("invalid", "mu-perturbed",
        _with(good, f"/witness/pieces/{k}/mu", [str(Fraction(mu[0]) + 1)] + mu[1:]),
        "mu changed: A^T mu no longer equals B^T lambda", "A^T mu = B^T lambda")
    add("invalid", "zero-claimed", _with(good, "/statement/global_minimum", "0"),
        "L* = 0 claimed (no pieces needed then), but the point's loss is 41/20",
        "the point attains the global minimum")
    add("invalid", "region-dropped", _dropped(xor, "/witness/unit_regions/points", 0),
        "one of XOR's 4 regions left out: its neighbours' closure finds it missing", "closure")
    noisy = _with(xor, "/statement/noise", [["1"] * 4, ["1"] * 4])
    add("invalid", "noise-added-multisets-kept", noisy,
        "noise makes the units distinguishable: 64 ordered pieces, not the 36 multisets listed",
        "one entry per piece")
    many = copy.deepcopy(good)
    many["statement"]["X"] = [["1"] * 24, [str(k) for k in range(1, 25)]]
    many["statement"]["y"] = ["1"] * 24
    many["statement"]["d1"] = 40
    many["statement"]["global_minimum"] = "12"  # the zero network's loss: the point checks
    many["witness"]["W"], many["witness"]["z"] = [["0", "0"]] * 40, ["0"] * 40
    many["witness"]["unit_regions"] = {"points": _line_regions(list(range(1, 25))),
                                       "completeness": {"method": "general_position"}}
    many["witness"]["pieces"] = []
    add("refused", "too-many-pieces", many,
        "24 points on the plane (48 regions) and 40 units: C(135, 40) pieces, charged before any "
        "is read", "pieces")
    return out


def _line_regions(slopes: list[int]) -> list[list[str]]:
    """An interior point of each of the 2m regions cut by the lines ``u . (1, k) = 0``,
    ``k`` in ``slopes``: ``(m, -1)`` and ``(-m, 1)`` for ``m`` below the smallest ``k`` and
    between consecutive ones (``m - k`` changes sign at ``k = m``)."""
    ks = sorted(slopes)
    mids = [Fraction(ks[0] - 1)] + [Fraction(a + b, 2) for a, b in zip(ks, ks[1:])]
    points = []
    for m in mids:
        points.append([str(m * 2), "-2"])
        points.append([str(-m * 2), "2"])
    return points


def stress_cases() -> list[tuple[str, str, str, Any, str, str]]:
    """Resource and formatting attacks on every checker: each must end within seconds, with its
    folder's verdict; true claims (folder ``valid``) must be VERIFIED whatever their numbers'
    sizes, false ones REJECTED (never MALFORMED because a message could not print a number)."""
    out: list[tuple[str, str, str, Any, str, str]] = []

    def add(theorem: str, folder: str, name: str, content: Any, reason: str, expect: str) -> None:
        out.append((theorem, folder, name, content, reason, expect))

    census_stmt = {"theorem": "soudry_carmon/census", "X": [["0"]], "y": ["1"], "d1": 10**8,
                   "rho": "1/2", "noise": None}
    add(CS, "refused", "three-to-the-d1-sign-choices",
        envelope(census_stmt, "census",
                 {"unit_regions": {"points": [["1"]], "completeness": {"method": "closure",
                                                                       "empty": []}},
                  "prime": 3, "regions": [{"no_dlm": []}],
                  "counts": {"dlm_regions": 0, "bad_dlm_regions": 0, "bad_losses": []}}),
        "d1 = 10^8 on a one-region arrangement: one tuple, but 3^d1 sign choices of z",
        "sign choices")

    widths = [1] + [2] * 22 + [1]
    weights = [[["1"], ["1"]]] + [[["1", "1"], ["1", "1"]]] * 21 + [[["0", "0"]]]
    add(DP, "valid", "deep-kronecker-two-to-the-22",
        envelope({"theorem": "soudry_carmon/deep_point", "X": [["1", "2", "3", "4"]],
                  "y": ["0"] * 4, "widths": widths, "rho": "1/2", "noise": None,
                  "weights": weights}, "local_minimum",
                 {"loss": "0", "box_radius": "1/" + "1" + "0" * 30}),
        "22 hidden layers of width 2: P has 2^22 rows; P e = 0 must be decided without forming "
        "it (a true zero-loss minimum)", "")

    bad = valid(KK, "escape-leaky-bad-dlm")
    near_half = f"{5 * 10**3998 - 1}/{10**3999}"
    add(KK, "valid", "escape-4000-digit-argument",
        _with(_with(_with(bad, "/witness/w", [near_half, "0"]), "/witness/bits", 4096),
              "/witness/a", "-1/1000"),
        "w' a 4000-digit rational just below 1/2 and bits = 4096: the exp series must round its "
        "argument and terms (a true escape)", "")
    one = {"theorem": "kawaguchi_kaelbling/escape", "X": [["1"]], "y": ["1"], "widths": [1, 1, 1],
           "rho": "1/2", "noise": None, "weights": [[["1"]], [["0"]]], "lam": "1", "w": ["0"],
           "b": "0"}
    add(KK, "valid", "escape-S-beyond-floats",
        envelope(one, "not_local_minimum", {"a": "1/" + "1" + "0" * 500, "w": ["1000"],
                                            "bits": 64}),
        "S = -exp(1000): beyond a float (a true escape)", "")
    tiny = dict(one, y=["1/" + "1" + "0" * 434], lam="1/" + "1" + "0" * 3999)
    add(KK, "valid", "escape-S-below-floats",
        envelope(tiny, "not_local_minimum", {"a": "1/" + "1" + "0" * 345, "w": ["-9000"],
                                             "bits": 64}),
        "S ~ -1e-4343: below every float, printed with a decimal exponent (a true escape)", "")
    far = dict(one, y=["0"], weights=[[["1/" + "1" + "0" * 2200]], [["-1/" + "1" + "0" * 2200]]])
    add(KK, "invalid", "escape-too-long-for-a-tiny-S",
        envelope(far, "not_local_minimum", {"a": "1/10000000000", "w": ["0"], "bits": 64}),
        "S = -1e-4400 and a = 1e-10: the quadratic term wins; the message must print numbers "
        "of over 4,300 digits", "< 0")

    big = "1" + "0" * 1500
    add(DP, "valid", "deep-1500-digit-weights-not-minimum",
        envelope({"theorem": "soudry_carmon/deep_point", "X": [["1", "2"], ["1", "1"]],
                  "y": ["1", "-1"], "widths": [2, 2, 2, 1], "rho": "1/2", "noise": None,
                  "weights": [[[big, "1"], ["1", big]], [[big, "2"], ["3", big]],
                              [[big, big]]]}, "not_local_minimum",
                 {"direction": [[["0", "0"], ["0", "0"]], [["0", "0"], ["0", "0"]],
                                [["1", "0"]]]}),
        "1,500-digit weights: the loss's coefficient along the direction has over 4,300 digits "
        "(a true claim)", "")
    w, z = "1" + "0" * 2500, "3" + "0" * 2500
    add(ML, "valid", "milne-2500-digit-weights-not-positive-definite",
        envelope({"theorem": "milne/convexity", "X": [["1"]], "y": ["0"], "widths": [1, 1, 1],
                  "rho": "0", "noise": None, "weights": [[[w]], [[z]]], "lam": "1/10"},
                 "not_positive_definite", {"direction": ["1", "-3"]}),
        "2,500-digit weights: d^T H d has over 4,300 digits (a true claim)", "")

    y = "1/" + str(10**2200 + 3)
    add(CS, "invalid", "census-loss-of-4400-digits",
        envelope({"theorem": "soudry_carmon/census", "X": [["0"]], "y": [y], "d1": 1,
                  "rho": "1/2", "noise": None}, "census",
                 {"unit_regions": {"points": [["1"]], "completeness": {"method": "closure",
                                                                       "empty": []}},
                  "prime": 3, "regions": [{"dlm": {"W": [["1"]], "z": ["1"]}}],
                  "counts": {"dlm_regions": 1, "bad_dlm_regions": 1, "bad_losses": ["1"]}}),
        "the true loss has about 4,400 digits and '1' is claimed: the rejection must print it",
        "bad_losses")

    import random

    rng = random.Random(25)
    X = [[str(10**3990 + rng.randrange(10**3000)) for _ in range(4)],
         [str(k * 10**3990 + rng.randrange(10**3000)) for k in (1, 2, 3, 5)]]
    points = region_points_exact(X)
    add(CS, "valid", "census-volumes-4000-digit-data",
        envelope({"theorem": "soudry_carmon/census", "X": X, "y": ["0"] * 4, "d1": 1,
                  "rho": "1/2", "noise": None}, "census",
                 {"unit_regions": {"points": points,
                                   "completeness": {"method": "general_position"}},
                  "prime": 2**61 - 1, "regions": [{"dlm": {"W": [p], "z": ["0"]}} for p in points],
                  "counts": {"dlm_regions": 8, "bad_dlm_regions": 0, "bad_losses": []},
                  "volumes": {"unit": [["0", "1"]] * 8, "V_bad": ["0", "0"],
                              "V_global": ["0", "2"]}}),
        "2-D data of 4,000 digits: atan series must round their arguments (a true census, every "
        "region a zero-loss DLM at z = 0)", "")

    three = valid(CS, "legacy-census-3d-with-volumes")
    add(CS, "invalid", "impossible-3d-volumes",
        _with(three, "/witness/volumes", {"unit": [["2", "3"]] * len(
            three["witness"]["unit_regions"]["points"]), "V_bad": ["5", "6"],
            "V_global": ["-7", "-6"]}),
        "a genuine 3-D census with volumes no probability can have", "meeting [0, 1]")
    vols = three["witness"]["volumes"]
    add(CS, "invalid", "3d-unit-volume-doubled",
        _with(three, "/witness/volumes/unit/0", [str(2 * Fraction(v)) for v in vols["unit"][0]]),
        "a 3-D unit region's solid angle doubled (the kernel re-derives 3-D volumes)",
        "unit region 0")
    return out


def region_points_exact(X: list[list[str]]) -> list[list[str]]:
    """Small integer interior points of every region of a planar arrangement whose lines are
    well apart (one per sign vector found on a grid, exact signs)."""
    cols = [(Fraction(X[0][n]), Fraction(X[1][n])) for n in range(len(X[0]))]
    found: dict[tuple[int, ...], list[str]] = {}
    for a in range(-12, 13):
        for b in range(-12, 13):
            s = tuple((a * c[0] + b * c[1] > 0) - (a * c[0] + b * c[1] < 0) for c in cols)
            if 0 not in s:
                found.setdefault(s, [str(a), str(b)])
    return list(found.values())
