"""With plain ReLU, noise cannot help: a unit dead on all data is a bad local minimum.

Run: python examples/03_relu_dead_unit.py
"""

from fractions import Fraction

from exactmin import Instance, certify, verify_point

inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0, noise=[["3/2", "1/3"]])
rep = verify_point(inst, W=[[-1, -1]], z=[1])
print("dead unit: loss", rep.loss, "local minimum:", rep.local_minimum)
assert rep.local_minimum and rep.loss == Fraction(5, 2)

result = certify(inst, census=True)
print(result)
print("hypotheses failing:", [h.key for h in result.hypotheses if not h.holds])
assert result.verdict == "refuted"
