"""The compiled pair step (numba) against the numpy step and against plain determinants mod p."""

import json

import numpy as np
import pytest

from exactmin import certify, random_instance
from exactmin.certificates import dumps
from exactmin.check import check_certificate
from exactmin.check.exact import det_mod_p
from exactmin.linalg import modp
from exactmin.search import compiled, fast

pytestmark = pytest.mark.infrastructure  # the second CI stage (pyproject.toml, markers)


def test_reduce_is_exact_on_the_whole_range() -> None:
    p = fast.ENGINE_PRIMES[0]
    rng = np.random.default_rng(1)
    top = 2**52
    edge = [0, p, -p, p - 1, -(p - 1), (p - 1) // 2, (p + 1) // 2, top, -top, top - 1,
            (top // p) * p, (top // p) * p - 1, -((top // p) * p), -((top // p) * p) - 1]
    values = edge + [int(v) for v in rng.integers(-top, top + 1, 20000)]
    S = np.array(values, dtype=np.float64)
    assert [int(v) for v in S] == values  # every value is held exactly
    compiled._reduce(S, p)

    def balanced(v: int) -> int:
        r = v % p
        return r - p if r > (p - 1) // 2 else r

    assert [int(v) for v in S] == [balanced(v) for v in values]


@pytest.mark.parametrize("d, p", [(1, 101), (2, 101), (3, 101), (3, 16777213), (2, 16777213)])
def test_node_pair_zeros_are_exactly_the_singular_pairs(d: int, p: int) -> None:
    rng = np.random.default_rng(d * 7 + p)
    R, N, m = 9, 3 * d + 1, 2 * d
    res_a = rng.integers(0, p, (R, d, N))
    res_b = rng.integers(0, p, (R, d, N))
    res_b[4] = res_a[2]  # planted singular pairs: equal blocks make [A; B] Z singular
    res_b[7, 0] = res_a[5, 0]
    Z = rng.integers(0, p, (N, m))
    plan = compiled.MinorPlan(d, m)
    out = np.zeros((R * R, 2), dtype=np.int64)
    found = compiled.node_pair_zeros(modp.balanced(res_a.reshape(R * d, N), p),
                                     modp.balanced(res_b.reshape(R * d, N), p), Z, p, plan,
                                     out)
    got = {tuple(x) for x in out[:found].tolist()}
    Pa = (res_a @ Z) % p
    Pb = (res_b @ Z) % p
    want = {(a, b) for a in range(R) for b in range(R)
            if det_mod_p(Pa[a].tolist() + Pb[b].tolist(), p) == 0}
    assert (2, 4) in want and (5, 7) in want
    assert got == want


def test_float_bound_is_enforced() -> None:
    plan = compiled.MinorPlan(4, 8)  # C = 70 minors: 70 ((p-1)/2)^2 > 2^52 for a 24-bit prime
    res = np.zeros((4, 3), dtype=np.float64)
    with pytest.raises(ValueError, match="too large"):
        compiled.node_pair_zeros(res, res, np.zeros((3, 8), dtype=np.int64), 16777213, plan,
                                 np.zeros((1, 2), dtype=np.int64))


@pytest.mark.parametrize("d0, d1, N, rho, noise", [(2, 4, 8, "1/2", True), (3, 3, 9, "1/3", True),
                                                   (2, 4, 8, "0", True), (2, 3, 6, "1/2", False)])
@pytest.mark.parametrize("small_prime", [False, True])
def test_compiled_and_numpy_engines_agree(monkeypatch, d0, d1, N, rho, noise, small_prime) -> None:
    """Same verdict, counts and certificate; with a tiny prime many pairs are suspects (decided exactly) and
    the certificate mixes node, row and region entries: the kernel must accept it."""
    inst = random_instance(d0, d1, N, rho, noise=noise, seed=d0 * 10 + N)
    if small_prime:  # about 1% (d0 = 2) or 0.01% (d0 = 3) of the pairs vanish mod p
        monkeypatch.setattr(fast, "ENGINE_PRIMES", (101, 103) if d0 == 2 else (10007, 10009))
    results = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("EXACTMIN_COMPILED", flag)
        res = certify(inst, engine="fast", certificate=True, workers=1)
        results[flag] = res
        assert check_certificate(json.loads(dumps(res.certificate())))["verdict"] == res.verdict
    a, b = results["0"], results["1"]
    assert a.verdict == b.verdict
    assert a.census == b.census
    assert a.certificate() == b.certificate()


def test_small_runs_do_not_load_numba() -> None:
    """Importing numba (~0.35 s) and loading compiled code is for large runs only."""
    import subprocess
    import sys

    code = ("import sys; from exactmin import certify, random_instance; "
            "certify(random_instance(3, 3, 9, '1/2', noise=True, seed=0), certificate=True); "
            "print('numba' in sys.modules)")
    env = {k: v for k, v in __import__("os").environ.items() if k != "EXACTMIN_COMPILED"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.stdout.strip() == "False", out.stderr


def test_threshold_selects_the_compiled_step(monkeypatch) -> None:
    monkeypatch.delenv("EXACTMIN_COMPILED", raising=False)
    small = random_instance(3, 3, 9, "1/2", noise=True, seed=0)  # 74^3 = 4e5 regions
    big = random_instance(3, 4, 12, "1/2", noise=True, seed=0)  # 134^4 = 3.2e8 regions
    assert not fast.use_compiled(small, 74) and fast.use_compiled(big, 134)
    monkeypatch.setenv("EXACTMIN_COMPILED", "1")
    assert fast.use_compiled(small, 74)


@pytest.mark.parametrize("p", [5, 101, 16777213])
def test_child_node_matches_the_python_reduction(p: int) -> None:
    """Picked rows and null-space basis: compiled against modp.reduce_rows / modp.null_basis, on
    random blocks including dependent rows and zero rows (small primes: many coincidences)."""
    rng = np.random.default_rng(p)
    for trial in range(200):
        d, N = int(rng.integers(1, 4)), int(rng.integers(3, 9))
        m = int(rng.integers(1, N + 1))
        block = rng.integers(0, p, (d, N))
        if trial % 4 == 0 and d > 1:
            block[-1] = (2 * block[0]) % p  # a dependent row
        if trial % 7 == 0:
            block[0] = 0
        Z = rng.integers(0, p, (N, m))
        picked, Z2 = compiled.child_node(block, Z, p)
        T = (block @ Z) % p
        want_picked, basis = modp.reduce_rows(T.tolist(), p)
        want_Z2 = (Z @ modp.null_basis(basis, m, p)) % p
        assert picked == want_picked
        assert Z2.tolist() == want_Z2.tolist()
