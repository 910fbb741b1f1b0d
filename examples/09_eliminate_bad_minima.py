"""Kawaguchi-Kaelbling: one exponential neuron turns bad minima into escapable points.

For a bad differentiable local minimum of a noise-free leaky network (loss 1/3), the augmented
point (theta, a = 0, w = 0, b = 0) is critical (S(0, 0) = 0 exactly) but not a local minimum:
moving w, then a against the sign of S, lowers the augmented loss, certified in ball arithmetic.
A zero-loss point has nothing to escape from.
"""

from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.theorems.kawaguchi_kaelbling import augmented_point, eliminate

inst = DeepInstance.from_dict({"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "d1": 2,
                               "rho": "1/2"})
bad = DeepPoint.from_dict({"W": [[0, "1/6"], [0, "1/6"]], "z": [1, 1]}, inst)

crit = augmented_point(inst, bad, "1/10", 0, [0, 0], 0)
print("(theta, 0, 0, 0) critical for the augmented loss:", crit.critical, "-", crit.reason)
assert crit.critical is True

out = eliminate(inst, bad, lam="1/10")
print(out.verdict, "- escape: a =", out.a, "w =", [str(v) for v in out.w],
      "decrease in", out.decrease.to_strings(6))
assert out.verdict == "escape" and out.decrease < 0

fit = DeepInstance.from_dict({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1], "rho": "1/2"})
zero = eliminate(fit, DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, fit))
print("a zero-loss point:", zero.verdict)
assert zero.verdict == "global_minimum"
