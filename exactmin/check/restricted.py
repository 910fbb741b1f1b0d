"""Checker for ``soudry_carmon/restricted_no_bad_dlm`` (docs/certificates/soudry_carmon/
restricted_no_bad_dlm.md): with the lower layers ``W_1..W_{L-1}`` of the statement fixed, every DLM has zero
loss (or not). The kernel computes the features ``h_{L-1}(n)`` itself and checks the
one-hidden-layer certificate (``no_bad_dlm`` or ``census``) on them. Standard library only.
"""

from typing import Any

from . import entries, soudry_carmon
from .network import Net
from .reader import Malformed, Work, obj

THEOREM = "soudry_carmon/restricted_no_bad_dlm"


def check(cert: dict[str, Any], work: Work, workers: int | None) -> dict[str, Any]:
    raw = obj(cert["statement"], "/statement",
              ("theorem", "X", "y", "widths", "rho", "noise", "lower"))
    net = Net(raw, work)
    if net.L < 2:
        raise Malformed("/statement/widths", "a restricted census needs L >= 2 hidden layers")
    lower = net.weights(raw["lower"], "/statement/lower", net.L - 1)
    X = features(net, lower)
    kind = entries if cert["verdict"] == "census" else soudry_carmon
    inner = {"theorem": kind.THEOREM, "X": X, "y": raw["y"], "d1": net.widths[-2],
             "rho": raw["rho"], "noise": None if raw["noise"] is None else raw["noise"][-1]}
    outer = work.announce  # one statement line: the restricted claim, then the features' problem
    work.announce = lambda line: outer(
        f"statement: {THEOREM}, widths {net.widths}, lower layers fixed; on their features "
        f"h_{{L-1}}(n): {line.removeprefix('statement: ')}")
    info = kind.check({**cert, "statement": inner}, work, workers)
    info.pop("sums", None)
    return {**info, "theorem": THEOREM, "inner": kind.THEOREM, "widths": net.widths}


def features(net: Net, lower: list[Any]) -> list[list[str]]:
    """``h_{L-1}(n)`` for the fixed lower layers, a d_{L-1} x N matrix of strings."""
    cols = [[str(v) for v in net.outputs(lower, n, net.L - 1)] for n in range(net.N)]
    return [[cols[n][i] for n in range(net.N)] for i in range(net.widths[-3])]


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The inner theorem's VERIFIED line, saying that the lower layers were fixed."""
    inner = {entries.THEOREM: entries, soudry_carmon.THEOREM: soudry_carmon}[info["inner"]]
    line: str = inner.verdict_line({**info, "theorem": info["inner"]}, elapsed)
    return line.replace(": ", " (with the lower layers of the statement fixed): ", 1)
