"""The trusted kernel: valid corpus accepted; targeted mutations rejected with the obligation named;
malformed files refused with a JSON pointer; stdlib-only and self-contained."""

import ast
import copy
import itertools
import json
import math
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.certificates import dumps
from exactmin.check import Malformed, Refused, Rejected, check_certificate, check_file
from tests.kernel import hostile, make_corpus

CORPUS = Path(__file__).parent / "corpus"
VALID = CORPUS / "soudry_carmon" / "valid"
SPIN_VALID = CORPUS / "choromanska" / "valid"
CHECK_DIR = Path(__file__).parents[2] / "exactmin" / "check"


def load(name: str) -> dict:
    return json.loads((VALID / f"{name}.json").read_text())


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.glob("*/valid/*.json")
                                         if p.name != "reasons.json"), ids=lambda p: p.stem)
def test_valid_corpus_is_accepted(path: Path) -> None:
    info = check_file(str(path))
    assert info["verdict"] in ("certified", "refuted", "enumerated", "local_minimum",
                               "not_local_minimum", "census", "positive_definite",
                               "not_positive_definite", "global_minimum")


@pytest.mark.parametrize("name", sorted(make_corpus.MILNE))
def test_fresh_milne_certificates_equal_the_corpus(name: str) -> None:
    cert = make_corpus.build_milne(name)
    assert dumps(cert) == (make_corpus.MILNE_HERE / f"{name}.json").read_text()
    assert check_certificate(json.loads(dumps(cert)))["verdict"] == cert["verdict"]


@pytest.mark.parametrize("name", sorted(make_corpus.ESCAPES))
def test_fresh_escape_certificates_equal_the_corpus(name: str) -> None:
    cert = make_corpus.build_escape(name)
    assert dumps(cert) == (make_corpus.ESCAPE_HERE / f"{name}.json").read_text()
    assert check_certificate(json.loads(dumps(cert)))["verdict"] == "not_local_minimum"


@pytest.mark.parametrize("name", sorted(make_corpus.GLOBAL))
def test_fresh_global_minimum_certificates_equal_the_corpus(name: str) -> None:
    cert = make_corpus.build_global(name)
    assert dumps(cert) == (make_corpus.GLOBAL_HERE / f"{name}.json").read_text()


@pytest.mark.parametrize("name", sorted(make_corpus.KINK))
def test_fresh_kink_certificates_equal_the_corpus(name: str) -> None:
    cert = make_corpus.build_kink(name)
    assert dumps(cert) == (make_corpus.KINK_HERE / f"{name}.json").read_text()


@pytest.mark.parametrize("name", sorted(make_corpus.CENSUS))
def test_fresh_census_certificates_equal_the_corpus(name: str) -> None:
    """Census certificates are deterministic; the kernel's counts are the census's."""
    from exactmin import certify

    cert = make_corpus.build_census(name)
    assert dumps(cert) == (make_corpus.CENSUS_HERE / f"{name}.json").read_text()
    info = check_certificate(json.loads(dumps(cert)))
    c = certify(make_corpus.CENSUS[name], census=True).census
    assert (info["dlm_regions"], info["bad_dlm_regions"], info["regions"]) == (
        c.dlm_regions, c.bad_dlm_regions, c.regions)
    assert info["bad_losses"] == [str(q) for q in c.bad_losses]


@pytest.mark.parametrize("name", sorted(make_corpus.DEEP) + sorted(make_corpus.RESTRICTED))
def test_fresh_deep_certificates_equal_the_corpus(name: str) -> None:
    """Deep-point and restricted-census certificates are deterministic: fresh output is the
    file on disk, byte for byte, and the kernel accepts it with the same verdict."""
    if name in make_corpus.DEEP:
        cert, path = make_corpus.build_deep(name), make_corpus.DEEP_HERE / f"{name}.json"
    else:
        cert, path = make_corpus.build_restricted(name), make_corpus.RESTRICTED_HERE / f"{name}.json"
    assert dumps(cert) == path.read_text()
    assert check_certificate(json.loads(dumps(cert)))["verdict"] == cert["verdict"]


@pytest.mark.parametrize("name", sorted(make_corpus.CORPUS))
def test_fresh_certificates_are_accepted(name: str) -> None:
    cert = make_corpus.build(name)
    assert check_certificate(json.loads(dumps(cert)))["verdict"] == load(name)["verdict"]


@pytest.mark.parametrize("name", sorted(make_corpus.SPIN))
def test_fresh_spin_glass_certificates_are_accepted(name: str) -> None:
    info = check_certificate(json.loads(dumps(make_corpus.build_spin(name))))
    assert info["solutions"] == check_file(str(SPIN_VALID / f"{name}.json"))["solutions"]
    assert info["complete"] is name.endswith("lambda3")


# ------------------------------------------------------------------ targeted mutations
def _first_full_rank_prime_factor(cert: dict) -> int:
    """A prime dividing the determinant of some full-rank minor (computed here, exactly)."""
    from exactmin import Instance
    from exactmin.geometry import enumerate_regions
    from exactmin.linalg import determinant
    from exactmin.models import khatri_rao_matrix

    inst = Instance.from_dict({k: v for k, v in cert["statement"].items()
                               if k in ("X", "y", "d1", "rho", "noise") and v is not None})
    units = enumerate_regions(inst.X)
    R = len(units)
    for j, entry in enumerate(cert["witness"]["regions"]):
        tup = [(j // R ** (inst.d1 - 1 - i)) % R for i in range(inst.d1)]
        K = khatri_rao_matrix(inst, [units[k].signs for k in tup])
        det = determinant([K[r] for r in entry["full_rank"]])
        num = abs(det.numerator)
        for p in range(2, 10**5):
            if num % p == 0 and all(p % q for q in range(2, math.isqrt(p) + 1)):
                return p
    raise AssertionError("no small prime factor found")


_set, _drop = hostile._with, hostile._dropped  # one pair of JSON-path editors for the tests


def _flip_point_sign(cert: dict) -> dict:
    p = cert["witness"]["unit_regions"]["points"][0]
    return _set(cert, "/witness/unit_regions/points/0", [str(-Fraction(x)) for x in p])


MUTATIONS = {
    # name: (corpus file, mutate, expected error class, text the message must contain)
    "flipped sign in an interior point": (
        "noisy-leaky-certified", _flip_point_sign, Rejected, "new sign vector"),
    "interior point on a hyperplane": (
        "noisy-leaky-certified", lambda c: _set(c, "/witness/unit_regions/points/0", ["0", "0"]),
        Rejected, "interior point of unit region 0"),
    "dropped region": (
        "noisy-leaky-certified", lambda c: _drop(c, "/witness/unit_regions/points", 5),
        Rejected, "Cover's count"),
    "dropped region (closure)": (
        "one-dimensional-closure", lambda c: _drop(c, "/witness/unit_regions/points", 1),
        Rejected, "closure of unit region 0"),
    "duplicated region standing in for a missing one": (
        "noisy-leaky-certified",
        lambda c: _set(c, "/witness/unit_regions/points/5", c["witness"]["unit_regions"]["points"][4]),
        Rejected, "duplicate of region 4"),
    "prime dividing the minor": (
        "noisy-leaky-certified", lambda c: _set(c, "/witness/prime", _first_full_rank_prime_factor(c)),
        Rejected, "det != 0 mod"),
    "composite prime": (
        "noisy-leaky-certified", lambda c: _set(c, "/witness/prime", 2**61), Rejected, "prime"),
    "dependent minor rows": (
        "noisy-leaky-certified", lambda c: _set(c, "/witness/regions/0/full_rank", [0, 0, 1]),
        Rejected, "distinct rows"),
    # (in leaky-no-noise-refuted every pre-activation is positive: any rho keeps it valid)
    "wrong rho": (
        "relu-noise-refuted", lambda c: _set(c, "/statement/rho", "1/3"), Rejected, ""),
    "perturbed noise entry": (
        "relu-noise-refuted", lambda c: _set(c, "/statement/noise/0/0", "8/5"), Rejected, ""),
    "counterexample with loss 0": (
        "leaky-no-noise-refuted", lambda c: _set(c, "/witness/loss", "0"), Rejected, "loss"),
    "perturbed counterexample weight": (
        "leaky-no-noise-refuted",
        lambda c: _set(c, "/witness/W/0/1", str(Fraction(c["witness"]["W"][0][1]) + 1)),
        Rejected, ""),
    "box too large": (
        "leaky-no-noise-refuted", lambda c: _set(c, "/witness/box_radius", "1000"), Rejected, "box"),
    "missing Farkas certificate": (
        "leaky-interpolates-and-no-dlm",
        lambda c: _drop(c, f"/witness/regions/{_index_of(c, 'no_dlm')}/no_dlm", 0),
        Rejected, "Motzkin certificate for every sign choice"),
    "negative Motzkin multiplier": (
        "leaky-interpolates-and-no-dlm", lambda c: _negate_mu(c), Rejected, ""),
    "wrong interpolant": (
        "leaky-interpolates-and-no-dlm",
        lambda c: _set(c, f"/witness/regions/{_index_of(c, 'interpolates')}/interpolates/0", "7/3"),
        Rejected, "interpolates"),
    "missing region witness": (
        "noisy-leaky-certified", lambda c: _drop(c, "/witness/regions", 5), Rejected,
        "a witness for every ordered tuple"),
    "first entry missing": (
        "noisy-leaky-certified", lambda c: _drop(c, "/witness/regions", 0), Rejected,
        "covers the next tuples in order"),
    "wrong Gordan certificate": (
        "degenerate-closure-gordan",
        lambda c: _set(c, "/witness/unit_regions/completeness/empty/0/gordan",
                       ["1"] + ["0"] * (len(c["witness"]["unit_regions"]["completeness"]["empty"][0]["gordan"]) - 1)),
        Rejected, "Gordan certificate"),
    "missing Gordan certificate": (
        "degenerate-closure-gordan",
        lambda c: _drop(c, "/witness/unit_regions/completeness/empty", 0), Rejected, "neither"),
    "prefix entries out of order": (
        "noisy-prefix-subtrees",
        lambda c: _set(_set(c, "/witness/regions/0", c["witness"]["regions"][1]),
                       "/witness/regions/1", c["witness"]["regions"][0]),
        Rejected, "covers the next tuples in order"),
    "prefix entry dropped": (
        "noisy-prefix-subtrees", lambda c: _drop(c, "/witness/regions", 3), Rejected,
        "covers the next tuples in order"),
    "row index outside K": (
        "noisy-prefix-subtrees", lambda c: _set(c, "/witness/regions/0/full_rank/0", 6),
        Malformed, "/witness/regions/0/full_rank/0"),
    "prefix entry with an interpolant": (
        "noisy-prefix-subtrees",
        lambda c: _set(c, "/witness/regions/0", {"prefix": [0, 0], "interpolates": ["0"] * 4}),
        Malformed, "must be full_rank"),
    "version bump": ("noisy-leaky-certified", lambda c: _set(c, "/version", 2), Malformed, "/version"),
    "unknown theorem": (
        "noisy-leaky-certified", lambda c: _set(c, "/statement/theorem", "other"), Malformed,
        "/statement/theorem"),
    "unknown region witness kind": (
        "noisy-leaky-certified", lambda c: _set(c, "/witness/regions/0", {"trust_me": []}),
        Malformed, "/witness/regions/0/trust_me"),
    "float where a rational belongs": (
        "leaky-no-noise-refuted", lambda c: _set(c, "/witness/loss", 0.5), Malformed, "/witness/loss"),
    "verdict flipped": (
        "leaky-no-noise-refuted", lambda c: _set(c, "/verdict", "certified"), Malformed,
        "/witness/unit_regions"),
}


def _index_of(cert: dict, kind: str) -> int:
    return next(j for j, e in enumerate(cert["witness"]["regions"]) if kind in e)


def _negate_mu(cert: dict) -> dict:
    j = _index_of(cert, "no_dlm")
    pairs = cert["witness"]["regions"][j]["no_dlm"]
    t = next(t for t, (lam, mu) in enumerate(pairs) if any(Fraction(m) != 0 for m in mu))
    mu = [str(-Fraction(m)) for m in pairs[t][1]]
    return _set(cert, f"/witness/regions/{j}/no_dlm/{t}/1", mu)


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_mutation_is_rejected(mutation: str) -> None:
    name, mutate, error, text = MUTATIONS[mutation]
    cert = mutate(load(name))
    with pytest.raises(error) as exc:
        check_certificate(json.loads(json.dumps(cert)))
    assert text in str(exc.value)


MALFORMED_TEXT = {
    "not JSON": ("{\"format\": ", "not valid JSON"),
    "truncated certificate": (None, "not valid JSON"),
    "JSON float": ('{"format": 1.5}', "is not an integer"),
    "top-level list": ("[]", "expected an object"),
    "missing witness": ('{"format": "exactmin-certificate", "version": 1, "statement": {}, "verdict": "refuted"}',
                        "/witness: missing"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_TEXT))
def test_malformed_files(case: str, tmp_path: Path) -> None:
    text, message = MALFORMED_TEXT[case]
    if text is None:
        text = (VALID / "noisy-leaky-certified.json").read_text()[:-200]
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(Malformed, match=message.replace("[", r"\[")):
        check_file(str(path))


def test_cli_exit_codes(tmp_path: Path) -> None:
    good = VALID / "noisy-leaky-certified.json"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_flip_point_sign(load("noisy-leaky-certified"))))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    codes = []
    for path in (good, bad, broken):
        proc = subprocess.run([sys.executable, "-m", "exactmin.check", str(path)],
                              capture_output=True, text=True, timeout=60)
        codes.append(proc.returncode)
        assert "Traceback" not in proc.stderr
    assert codes == [0, 1, 2]


# ------------------------------------------------------------------ the kernel's own properties
STDLIB = {"__future__", "argparse", "array", "ast", "cmath", "fractions", "multiprocessing", "os",
          "pathlib",
          "hashlib", "itertools", "json", "math", "re", "signal", "sys", "time", "typing",
          "gzip", "zlib"}


@pytest.mark.parametrize("path", sorted(CHECK_DIR.glob("*.py")), ids=lambda p: p.name)
def test_kernel_imports_only_the_standard_library(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 0:  # relative: within check/ only
                continue
            names = [(node.module or "").split(".")[0]]
        else:
            continue
        assert set(names) <= STDLIB, f"{path.name} imports {names}"
    assert "assert " not in path.read_text()  # python -O would strip checks


def _budget() -> tuple[int, int, set[str]]:
    """The per-theorem budget, read from the one place it is written (docs/trust-model.md)."""
    text = " ".join((Path(__file__).parents[2] / "docs" / "trust-model.md").read_text().split())
    m = re.search(r"Per-theorem budget: ([\d,]+) lines; ([\d,]+) lines for ([\w/, ]+?)\.", text)
    assert m is not None, "docs/trust-model.md must state the per-theorem budget"
    names = set(re.findall(r"soudry_carmon/\w+", m.group(3)))
    return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", "")), names


def test_every_theorem_is_within_the_budget() -> None:
    """To trust one theorem's verdicts, one reads its checker's import closure inside check/
    (plus the envelope and the command line): each is within the budget docs/trust-model.md
    writes once (think of lrat-check at ~500 lines or mmverify.py at ~700)."""
    from exactmin.check.audit import closures

    budget, larger, names = _budget()
    assert names and names <= set(closures())
    sizes = {theorem: sum(mods.values()) for theorem, mods in closures().items()}
    print("kernel closures:", sizes)
    over = {t: n for t, n in sizes.items() if n > (larger if t in names else budget)}
    assert not over, over
    # the Milne and escape checkers read networks without the Soudry-Carmon chain
    assert "soudry_carmon" not in closures()["milne/convexity"]
    assert "census" not in closures()["kawaguchi_kaelbling/escape"]


def test_kernel_runs_standalone_from_a_copy(tmp_path: Path) -> None:
    shutil.copytree(CHECK_DIR, tmp_path / "check", ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run([sys.executable, "-E", "-s", "-m", "check", str(VALID / "noisy-leaky-certified.json")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "VERIFIED certified" in proc.stdout


# ------------------------------------------------------------------ the Laplace pair step
def _brute_independent(rows: list[list[int]], p: int) -> bool:
    from exactmin.check.speed import null_mod_p as _null_mod_p

    return _null_mod_p(rows, len(rows[0]), p) is not None



def _echelon(rows: list[list[int]], p: int) -> list[tuple[int, list[int]]]:
    """An echelon basis of independent ``rows`` mod p, as the kernel keeps it: (pivot, row)."""
    basis: list[tuple[int, list[int]]] = []
    for v in rows:
        for piv, e in basis:
            v = [(a - v[piv] * c) % p for a, c in zip(v, e)]
        lead = next(c for c, a in enumerate(v) if a)
        inv = pow(v[lead], -1, p)
        basis.append((lead, [a * inv % p for a in v]))
    return basis

@pytest.mark.parametrize("sa, sb, extra, p", [(1, 1, 0, 7), (2, 2, 0, 11), (2, 1, 1, 5),
                                              (3, 3, 0, 101), (1, 2, 2, 3), (3, 3, 0, 16777213)])
def test_pair_step_agrees_with_plain_elimination(sa: int, sb: int, extra: int, p: int) -> None:
    """_pairs rejects exactly when some pair's rows are dependent modulo the basis, and names
    the first such pair in lexicographic order (small primes make dependent pairs common)."""
    import random

    from exactmin.check.speed import last as _last
    from exactmin.check.speed import null_mod_p as _null_mod_p
    from exactmin.check.speed import pairs as _pairs

    rng = random.Random(sa * 100 + sb * 10 + extra + p)
    m, R = sa + sb + extra, 6
    for trial in range(20):
        vecs = {(r, k): [rng.randrange(p) for _ in range(m)] for r in range(sa + sb)
                for k in range(R)}
        if trial % 3 == 0:  # plant a dependent pair
            vecs[sa, 4] = list(vecs[0, 2])
        basis_rows = [[rng.randrange(p) for _ in range(m)] for _ in range(extra)]
        if extra and _null_mod_p(basis_rows, m, p) is None:
            continue
        basis = _echelon(basis_rows, p)
        failing = [(i, j) for i in range(R) for j in range(R)
                   if not _brute_independent(basis_rows + [vecs[r, i] for r in range(sa)]
                                             + [vecs[sa + r, j] for r in range(sb)], p)]
        def project(r: int) -> list[list[int]]:  # per coordinate, over the regions
            return [[vecs[r, k][c] for k in range(R)] for c in range(m)]

        call = lambda: _pairs((0, list(range(sa))), (1, list(range(sa, sa + sb))), basis,
                              project, R, p, lambda i, j: f"pair {i} {j}")
        if failing:
            with pytest.raises(Rejected, match=f"pair {failing[0][0]} {failing[0][1]}:"):
                call()
        else:
            call()
        # the last unit alone: its rows (those of unit a) complete the basis plus unit b's
        # rows for region 0, for every region of a at once
        fixed = basis_rows + [vecs[sa + r, 0] for r in range(sb)]
        if sb and _null_mod_p(fixed, m, p) is not None:
            echelon = _echelon(fixed, p)
            bad = [i for i in range(R)
                   if not _brute_independent(fixed + [vecs[r, i] for r in range(sa)], p)]
            once = lambda: _last((0, list(range(sa))), echelon, project, R, p,
                                 lambda i: f"region {i}")
            if bad:
                with pytest.raises(Rejected, match=f"region {bad[0]}:"):
                    once()
            else:
                once()


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_folded_zero_test_and_reduction_agree_with_reducing_every_field(data: st.DataObject) -> None:
    """The pair step's folded test reports a field divisible by p exactly when reducing every
    field mod p finds one, and the folded reduction of the runs of prefixes leaves every field
    below 2p with its residue (moduli of every shape, fields at the bound, zero and its
    multiples drawn often); each declines (None) only, never answers wrongly."""
    from exactmin.check.speed import _pack, fields, fold_reduce, fold_test

    p = data.draw(st.sampled_from([2, 3, 5, 7, 13, 101, 8191, 65521, 2**17 - 1, 2097133,
                                   8388593, 16777213, 16777153, 2**31 - 1, 2**61 - 1]), label="p")
    terms = data.draw(st.integers(1, 40), label="terms")
    bound = data.draw(st.sampled_from([terms * (p - 1) ** 2, terms * (p - 1), p - 1]), label="bound")
    nbytes = data.draw(st.integers(1, 17), label="nbytes")
    count = data.draw(st.integers(1, 9), label="count")
    test = fold_test(p, bound, 8 * nbytes, count)
    reduce = fold_reduce(p, bound, 8 * nbytes, count)
    if bound >> (8 * nbytes):
        assert test is None and reduce is None  # the fields could not hold the values
        return
    value = st.one_of(st.integers(0, bound), st.integers(0, bound // p).map(lambda m: m * p),
                      st.just(bound))
    values = data.draw(st.lists(value, min_size=count, max_size=count), label="values")
    packed = _pack(values, nbytes)
    assert list(fields(packed, 8 * nbytes, count)) == values
    if test is not None:
        assert test(packed) == any(v % p == 0 for v in values)
    if reduce is not None:
        out = list(fields(reduce(packed), 8 * nbytes, count))
        assert all(0 <= w < 2 * p for w in out)
        assert [w % p for w in out] == [v % p for v in values]


def test_kernel_verdict_for_every_small_prime_matches_exact_determinants() -> None:
    """The pair-node certificate re-stated with other primes: the kernel accepts it iff every
    tuple's K (6 x 6) has a determinant not divisible by the prime and the data's 2 x 2 minors
    are not either (general position mod p), computed here exactly over Q with flint."""
    from exactmin.linalg import determinant

    cert = load("noisy-pair-nodes")
    inst = make_corpus.CORPUS["noisy-pair-nodes"]
    from exactmin.decide.soudry_carmon import _stacked_blocks
    from exactmin.geometry import enumerate_regions

    units = enumerate_regions(inst.X)
    cache: dict = {}
    dets = [determinant(_stacked_blocks(inst, [units[k] for k in tup], cache))
            for tup in itertools.product(range(len(units)), repeat=inst.d1)]
    minors = [determinant([[inst.X[r][a], inst.X[r][b]] for r in range(2)])
              for a, b in itertools.combinations(range(inst.N), 2)]
    outcomes = set()
    for p in [q for q in range(1500, 2300) if all(q % f for f in range(2, q))][::4]:
        want = all(d.numerator % p for d in dets + minors)
        try:
            check_certificate(_set(copy.deepcopy(cert), "/witness/prime", p))
            got = True
        except Rejected:
            got = False
        assert got == want, p
        outcomes.add(got)
    assert outcomes == {True, False}  # both verdicts occur in this range


# ------------------------------------------------------------------ the hostile corpus on disk
HOSTILE = [(path, folder) for folder in ("invalid", "malformed", "refused")
           for path in sorted(CORPUS.glob(f"*/{folder}/*.json")) if path.name != "reasons.json"]
# true claims built to stress a checker (huge numbers, deep networks): listed in valid/reasons.json
HOSTILE += [(reasons.parent / f"{name}.json", "valid")
            for reasons in sorted(CORPUS.glob("*/valid/reasons.json"))
            for name in sorted(json.loads(reasons.read_text()))]
ERRORS = {"invalid": Rejected, "malformed": Malformed, "refused": Refused}
EXIT = {"valid": 0, "invalid": 1, "malformed": 2, "refused": 2}


def _reason(path: Path) -> dict:
    return json.loads((path.parent / "reasons.json").read_text())[path.stem]


@pytest.mark.parametrize("path, folder", HOSTILE, ids=lambda v: getattr(v, "stem", v))
def test_hostile_corpus_ends_as_its_folder_says(path: Path, folder: str) -> None:
    """Every forged, lenient or oversized certificate ends as its folder says, naming the
    obligation (or the JSON pointer, or the work it would take); every true claim built to
    stress a checker is verified."""
    reason = _reason(path)
    if folder == "valid":
        assert check_file(str(path))["verdict"], reason["reason"]
        return
    with pytest.raises(ERRORS[folder]) as exc:
        check_file(str(path))
    assert reason["expect"] in str(exc.value), (reason["reason"], str(exc.value))


def test_hostile_corpus_matches_its_builder() -> None:
    """The files on disk are what tests/kernel/hostile.py builds (regenerate with
    python -m tests.kernel.make_corpus --hostile), and every folder lists its reasons."""
    from tests.kernel import hostile

    built = {(theorem, folder, name) for theorem, folder, name, *_ in hostile.cases()}
    on_disk = {(p.parent.parent.name, folder, p.stem) for p, folder in HOSTILE}
    assert built == on_disk
    for theorem, folder, name, content, _, _ in hostile.cases():
        text = (CORPUS / theorem / folder / f"{name}.json").read_text(encoding="utf-8")
        assert text == (content if isinstance(content, str) else json.dumps(content)), name


SECONDS_PER_FILE = 10  # "within a few seconds": the slowest file takes under 2 s here


@pytest.mark.infrastructure
def test_hostile_corpus_in_a_capped_process() -> None:
    """The command line on every hostile file: exit 0 (a true claim), 1 (invalid) or 2
    (malformed, refused), no traceback, one verdict line, under a 4 GB address-space cap and
    within SECONDS_PER_FILE."""
    import resource
    import time

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    code = ("import sys, runpy; sys.argv = ['check', *sys.argv[1:]]; "
            "runpy.run_module('exactmin.check', run_name='__main__')")
    slow = []
    for path, folder in HOSTILE:
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                              text=True, timeout=120, preexec_fn=cap)
        if time.monotonic() - start > SECONDS_PER_FILE:
            slow.append((path.name, round(time.monotonic() - start, 1)))
        assert proc.returncode == EXIT[folder], (path.name, proc.stdout)
        lines = proc.stdout.splitlines()
        assert "Traceback" not in proc.stderr and len(lines) in (1, 2), path.name
        word = "VERIFIED" if folder == "valid" else ("REJECTED", "MALFORMED", "REFUSED")
        assert lines[-1].split()[0] in word, path.name
        assert len(lines) == 1 or lines[0].startswith("statement: "), path.name
    assert not slow, slow


def test_check_process_loads_only_the_kernel(tmp_path: Path) -> None:
    """python -I -m exactmin.check loads no third-party module and nothing of exactmin outside
    check/ (the package facade is lazy)."""
    code = ("import sys, runpy; sys.argv = ['check', sys.argv[1]]\n"
            "try:\n    runpy.run_module('exactmin.check', run_name='__main__')\n"
            "except SystemExit as e:\n    code = e.code\n"
            "print(sorted(sys.modules))\nsys.exit(code)")
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(VALID / "noisy-pair-nodes.json")],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    loaded = set(ast.literal_eval(proc.stdout.strip().splitlines()[-1]))
    ours = {m for m in loaded if m == "exactmin" or m.startswith("exactmin.")}
    assert ours <= {"exactmin", "exactmin.check"} | {f"exactmin.check.{p.stem}"
                                                     for p in CHECK_DIR.glob("*.py")}, ours
    assert not loaded & {"flint", "ppl", "numpy", "sympy", "numba", "scipy", "tqdm", "hypothesis"}


def test_exactmin_check_runs_the_kernel_in_a_fresh_process(tmp_path: Path) -> None:
    """``exactmin check`` passes the kernel's output, exit code and --max-work through."""
    from exactmin.cli import main

    refused = CORPUS / "soudry_carmon" / "refused" / "d1-ten-billion.json"
    proc = subprocess.run([sys.executable, "-m", "exactmin", "check", str(refused)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "REFUSED" in proc.stdout and "--max-work" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "exactmin", "check", str(refused),
                           "--max-work", "1e11"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "at least one region" in proc.stdout
    assert callable(main)


def test_work_limit_is_an_option_not_a_verdict() -> None:
    """Below the work a valid certificate needs it is refused, at or above it verified."""
    path = str(VALID / "noisy-pair-nodes.json")
    with pytest.raises(Refused):
        check_file(path, max_work=1000)
    assert check_file(path, max_work=10**7)["verdict"] == "certified"


def test_census_writer_refuses_a_loss_beyond_the_format() -> None:
    """A census whose bad loss has about 4,400 digits cannot be stated in the format (4,000
    digits per integer): exactmin says so instead of writing a certificate the kernel must
    reject; the census itself still runs."""
    from exactmin import Instance, certify
    from exactmin.errors import InvalidInput

    inst = Instance.from_lists([[0]], [f"1/{10**2200 + 3}"], 1, "1/2")
    res = certify(inst, census=True, certificate=True)
    assert res.census.bad_dlm_regions == 1 and "exact: 4403 characters" in str(res)
    with pytest.raises(InvalidInput, match="beyond the format's 4000 per integer"):
        dumps(res.certificate())


def test_audit_prints_every_theorem_closure() -> None:
    proc = subprocess.run([sys.executable, "-m", "exactmin", "check", "--audit"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    from exactmin.check import CHECKERS

    for theorem in CHECKERS:
        assert f"  {theorem}: " in proc.stdout
    assert "milne/convexity" in proc.stdout and "network.py" in proc.stdout


SC_CORPUS = [p for theorem in ("soudry_carmon", "soudry_carmon_census", "soudry_carmon_restricted")
             for folder in ("valid", "invalid")
             for p in sorted((CORPUS / theorem / folder).glob("*.json")) if p.name != "reasons.json"]


@pytest.mark.parametrize("path", SC_CORPUS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_plain_kernel_agrees_with_the_default_on_the_corpus(path: Path) -> None:
    """exactmin check --plain (no optional speed code: one determinant per completion) reaches
    the same verdict as the default kernel on every Soudry-Carmon corpus file."""
    def outcome(plain: bool) -> object:
        try:
            info = check_file(str(path), plain=plain)
        except (Rejected, Malformed, Refused) as exc:
            return type(exc).__name__
        return {k: v for k, v in info.items() if k != "work"}

    assert outcome(True) == outcome(False)


def test_plain_kernel_loads_no_speed_code(tmp_path: Path) -> None:
    code = ("import sys, runpy; sys.argv = ['check', sys.argv[1], '--plain']\n"
            "try:\n    runpy.run_module('exactmin.check', run_name='__main__')\n"
            "except SystemExit as e:\n    code = e.code\n"
            "print('exactmin.check.speed' in sys.modules)\nsys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code, str(VALID / "noisy-pair-nodes.json")],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0 and proc.stdout.splitlines()[-1] == "False", proc.stdout


def test_gzip_certificates_are_read_within_the_byte_cap(tmp_path: Path, monkeypatch) -> None:
    """A gzip-compressed certificate (recognized by its magic number, whatever its name) is
    checked like the plain one; a truncated one is malformed; one that decompresses beyond
    MAX_BYTES is malformed without being read further (a decompression bomb)."""
    import gzip

    import exactmin.check as kernel

    text = (CORPUS / "soudry_carmon_census" / "valid" / "census-leaky-no-noise.json").read_bytes()
    packed = gzip.compress(text, mtime=0)
    for name in ("c.json.gz", "c.json"):
        (tmp_path / name).write_bytes(packed)
        assert check_file(str(tmp_path / name))["verdict"] == "census"
    (tmp_path / "cut.json.gz").write_bytes(packed[:len(packed) // 2])
    with pytest.raises(Malformed, match="cannot read"):
        check_file(str(tmp_path / "cut.json.gz"))
    monkeypatch.setattr(kernel, "MAX_BYTES", len(text) - 1)
    with pytest.raises(Malformed, match="once decompressed"):
        check_file(str(tmp_path / "c.json.gz"))
    (tmp_path / "plain.json").write_bytes(text)
    with pytest.raises(Malformed, match="more than"):
        check_file(str(tmp_path / "plain.json"))
