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


def build(name: str) -> dict:
    cert = certify(CORPUS[name], certificate=True).certificate
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
    write_hostile()


if __name__ == "__main__":
    import sys

    write_hostile() if sys.argv[1:] == ["--hostile"] else main()
