"""Without noise, leaky ReLU has bad differentiable local minima even with N <= d0*d1.

The point below is the example of docs/papers/soudry_carmon.md: all pre-activations positive, gradient exactly zero,
MSE 2/9 (loss (1/2)||e||^2 = 1/3), while zero-loss minima exist.
Run: python examples/02_noise_free_counterexample.py
"""

from fractions import Fraction

from exactmin import Instance, certify, verify_point

inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
rep = verify_point(inst, W=[[0, 1], [0, "31/30"]], z=[-10, 10])
print("loss:", rep.loss, "| critical:", rep.critical, "| local minimum:", rep.local_minimum)
print("why:", rep.reason)
assert rep.local_minimum and rep.loss == Fraction(1, 3)

census = certify(inst, census=True).census
print("bad DLM losses over all regions:", [str(q) for q in census.bad_losses])
assert Fraction(1, 3) in census.bad_losses
