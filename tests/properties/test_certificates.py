"""Every certificate certify writes is accepted by the kernel; a random mutation of one witness
is rejected, or the mutated witness is shown valid by an independent exact computation here."""

import copy
import itertools
import json
import os
from fractions import Fraction as Q

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import Instance, certify, verify_point
from exactmin.certificates import dumps
from exactmin.check import Malformed, Rejected, check_certificate
from exactmin.decide import region_lp_system
from exactmin.geometry import enumerate_regions
from exactmin.linalg import determinant
from exactmin.models import khatri_rao_matrix
from exactmin.strategies import instances

SMALL = instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 4))


@settings(max_examples=30)
@given(SMALL)
def test_every_certificate_is_accepted(inst: Instance) -> None:
    """Without a census the certificate states the verdict; with one it states the counts,
    whose bad-region count decides the verdict."""
    for census in (False, True):
        res = certify(inst, census=census, certificate=True)
        info = check_certificate(json.loads(dumps(res.certificate())))
        if census:
            assert info["verdict"] == "census"
            assert (info["bad_dlm_regions"] == 0) == (res.verdict == "certified")
        else:
            assert info["verdict"] == res.verdict


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            yield from _leaves(v, path + (k,))
    else:
        yield path, node


def _mutate(value, op: int):
    if isinstance(value, int) and not isinstance(value, bool):
        return value + (1, -1, 2)[op % 3]
    if isinstance(value, str) and value[:1] in "-0123456789":
        q = Q(value)
        return str((q + 1, -q, q * 2, Q(0))[op % 4])
    return value


def _is_prime(p: int) -> bool:
    import sympy

    return bool(sympy.isprime(p))


def _independently_valid(inst: Instance, cert: dict, path: tuple) -> bool:
    """Re-decide the one mutated fact with library code that is not the kernel."""
    w = cert["witness"]
    if cert["verdict"] == "refuted":
        W, z = w["W"], w["z"]
        rep = verify_point(inst, W, z)
        r = Q(w["box_radius"])
        box_ok = r > 0 and all(
            r * sum(abs(x) for x in inst.column(n)) < abs(sum(Q(W[i][j]) * inst.X[j][n] for j in range(inst.d0)))
            for i in range(inst.d1) for n in range(inst.N) if any(inst.column(n))
        )
        return bool(rep.local_minimum) and rep.loss == Q(w["loss"]) > 0 and box_ok
    units = enumerate_regions(inst.X)
    if path[1] == "prime":  # a new prime: every full-rank minor must stay nonzero modulo it
        return _is_prime(w["prime"]) and all(
            _independently_valid(inst, cert, ("witness", "regions", j))
            for j, e in enumerate(w["regions"]) if "full_rank" in e
        )
    if path[1] == "unit_regions" and path[2] == "points":
        k = path[3]
        q = [Q(x) for x in w["unit_regions"]["points"][k]]
        signs = tuple(
            0 if not any(inst.column(n)) else (1 if sum(a * b for a, b in zip(q, inst.column(n))) > 0 else -1)
            for n in range(inst.N)
        )
        return signs == units[k].signs and all(
            sum(a * b for a, b in zip(q, inst.column(n))) != 0 for n in range(inst.N) if any(inst.column(n))
        )
    if path[1] == "unit_regions":  # a Gordan certificate: recompute it from the definitions
        from exactmin.geometry import hyperplane_classes

        ent = w["unit_regions"]["completeness"]["empty"][path[4]]
        reps = [m[0][0] for m in hyperplane_classes(inst.X)]
        k, c = ent["region"], ent["class"]
        s = [units[k].signs[n] for n in reps]
        s[c] = -s[c]
        y = [Q(v) for v in ent["gordan"]]
        total = [sum(y[t] * s[t] * inst.X[j][reps[t]] for t in range(len(reps))) for j in range(inst.d0)]
        return all(v >= 0 for v in y) and any(y) and not any(total)
    j = path[2]
    R = len(units)
    covered = 0  # walk the entries to find which tuple (or prefix) entry j stands for
    for e in w["regions"][:j]:
        covered += R ** (inst.d1 - len(e.get("prefix", [0] * inst.d1)))
    entry = w["regions"][j]
    if "prefix" in entry:
        tup = list(entry["prefix"])
    else:
        tup = [(covered // R ** (inst.d1 - 1 - i)) % R for i in range(inst.d1)]
    K: list = []  # rows of the prefix's own blocks (none for the empty prefix)
    if tup:
        part = inst.replace(d1=len(tup), noise=None if inst.noise is None else inst.noise[:len(tup)])
        K = list(khatri_rao_matrix(part, [units[k].signs for k in tup]))
    if "full_rank" in entry:
        rows = entry["full_rank"]
        if len(set(rows)) != inst.N or not all(0 <= r < inst.d0 * inst.d1 for r in rows):
            return False
        if max(rows) < len(K):  # rows of the prefix: one minor for every completion
            return determinant([K[r] for r in rows]).numerator % w["prime"] != 0
        for rest in itertools.product(range(R), repeat=inst.d1 - len(tup)):
            full = khatri_rao_matrix(inst, [units[k].signs for k in list(tup) + list(rest)])
            if determinant([full[r] for r in rows]).numerator % w["prime"] == 0:
                return False
        return True
    if "interpolates" in entry:
        v = [Q(x) for x in entry["interpolates"]]
        return all(sum(K[r][n] * v[r] for r in range(len(K))) == inst.y[n] for n in range(inst.N))
    sigma = list(itertools.product((1, -1, 0), repeat=inst.d1))[path[4]]
    C, B, b = region_lp_system(inst, [units[k] for k in tup], K, sigma)
    lam, mu = ([Q(x) for x in part] for part in entry["no_dlm"][path[4]])
    total = [sum(B[r][c] * lam[r] for r in range(len(B))) + sum(C[r][c] * mu[r] for r in range(len(C)))
             for c in range(inst.d0 * inst.d1)]
    bl = sum(x * y for x, y in zip(b, lam))
    return all(m >= 0 for m in mu) and not any(total) and (bl > 0 or (bl == 0 and any(mu)))


@settings(max_examples=int(os.environ.get("EXACTMIN_MUTANTS", "60")))
@given(SMALL, st.integers(0, 10**6), st.integers(0, 11))
def test_mutated_witness_is_rejected_or_really_valid(inst: Instance, pick: int, op: int) -> None:
    res = certify(inst, certificate=True)
    cert = json.loads(dumps(res.certificate()))
    leaves = [(p, v) for p, v in _leaves(cert["witness"], ("witness",))]
    path, value = leaves[pick % len(leaves)]
    mutated = copy.deepcopy(cert)
    node = mutated
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = _mutate(value, op)
    if node[path[-1]] == value:
        return
    try:
        check_certificate(mutated)
    except (Rejected, Malformed):
        return
    assert _independently_valid(inst, mutated, path), (path, value, node[path[-1]])


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["1/2", "-1", "0", "x", "1/0", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "full_rank"]), inner, max_size=2),
    max_leaves=6,
)


def _nodes(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _nodes(v, path + (k,))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            yield from _nodes(v, path + (k,))


@settings(max_examples=int(os.environ.get("EXACTMIN_MUTANTS", "60")))
@given(SMALL, st.integers(0, 10**6), _JSON)
def test_hand_edited_certificates_never_crash_the_kernel(inst: Instance, pick: int, value) -> None:
    cert = json.loads(dumps(certify(inst, certificate=True).certificate()))
    paths = [p for p in _nodes(cert) if p]
    path = paths[pick % len(paths)]
    node = cert
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    try:
        info = check_certificate(cert)
    except (Rejected, Malformed):
        return
    if path[0] == "statement":  # accepted for an edited statement: exactmin must agree
        edited = Instance.from_dict({k: v for k, v in cert["statement"].items()
                                     if k != "theorem" and v is not None})
        assert certify(edited).verdict == info["verdict"]


def _lists(node, path=()):
    """Paths of every nonempty list in a witness (each element is one witness or one number)."""
    if isinstance(node, list):
        if node:
            yield path
        for k, v in enumerate(node):
            yield from _lists(v, path + (k,))
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _lists(v, path + (k,))


@settings(max_examples=25)
@given(SMALL, st.booleans(), st.data())
def test_a_certificate_with_one_witness_removed_is_not_accepted(inst: Instance, census: bool,
                                                                data) -> None:
    """The number of obligations comes from the statement: dropping any one element of any
    list in the witness (a unit region, a Gordan entry, a region entry, a Motzkin pair, a
    multiplier, a row index, a coordinate, a DLM's entry, a listed loss) leaves an obligation
    without its witness, which the kernel rejects (or a shape it refuses to read); it never
    verifies. Both the verdict certificates and the census certificates."""
    cert = json.loads(dumps(certify(inst, census=census, certificate=True).certificate()))
    paths = list(_lists(cert["witness"], ("witness",)))
    if not paths:
        return
    path = data.draw(st.sampled_from(paths))
    mutated = copy.deepcopy(cert)
    node = mutated
    for k in path:
        node = node[k]
    index = data.draw(st.integers(0, len(node) - 1))
    del node[index]
    try:
        check_certificate(mutated)
    except (Malformed, Rejected):
        return
    raise AssertionError(f"accepted with {path}[{index}] removed")


@settings(max_examples=25)
@given(SMALL)
def test_asking_for_a_certificate_never_changes_the_counterexample(inst: Instance) -> None:
    for census in (False, True):
        plain = certify(inst, census=census)
        with_cert = certify(inst, census=census, certificate=True)
        assert plain.verdict == with_cert.verdict
        if plain.verdict == "refuted":
            assert plain.counterexample.W == with_cert.counterexample.W
            assert plain.counterexample.z == with_cert.counterexample.z


@settings(max_examples=15, deadline=None)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 4)))
def test_census_certificates_carry_the_census_counts(inst) -> None:
    """For random small instances (noise or not), the census certificate is accepted and the
    kernel derives exactly the census's counts and bad losses from it."""
    res = certify(inst, census=True, certificate=True)
    info = check_certificate(json.loads(json.dumps(res.certificate())))
    c = res.census
    assert info["theorem"] == "soudry_carmon/census"
    assert (info["dlm_regions"], info["bad_dlm_regions"]) == (c.dlm_regions, c.bad_dlm_regions)
    assert info["bad_losses"] == [str(q) for q in c.bad_losses]
