"""Soudry-Carmon's theorem holding on a concrete noisy leaky-ReLU instance.

Run: python examples/01_noisy_certified.py
"""

from exactmin import Instance, certify

inst = Instance.from_lists(
    X=[[0, 1, 2], [1, 1, 1]],  # d0 = 2 rows, N = 3 data points (columns)
    y=[0, 1, 0],
    d1=2,
    rho="1/2",
    noise=[["3/2", "4/5", "6/5"], ["7/10", 1, "13/10"]],  # a dropout-like realization
)
result = certify(inst, census=True)
print(result)
print("hypotheses met:", all(h.holds for h in result.hypotheses))
assert result.verdict == "certified"
assert result.census.full_rank_regions == result.census.regions  # rank K = N everywhere
