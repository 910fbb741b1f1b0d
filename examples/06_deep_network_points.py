"""Points of a two-hidden-layer network, decided exactly (verify-point for any depth).

Three points of the network with widths [2, 2, 2, 1] and leaky slope 1/3 on three data points:
a bad local minimum certified by the path matrix (P e = 0, the prediction is the least-squares
projection onto everything its piece can reach), a point that is not critical (the exact
gradient is the witness), and a critical point that is a saddle (an exact direction of negative
curvature is the witness).
"""

from fractions import Fraction as Q

from exactmin.models.deep import DeepInstance, DeepPoint, forward
from exactmin.theorems.soudry_carmon import verify_deep_point

inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
                               "widths": [2, 2, 2, 1], "rho": "1/3"})

# 1. All pre-activations positive and the end-to-end linear map the least-squares linear fit:
#    a differentiable local minimum with nonzero loss (no linear model fits these labels).
bad = verify_deep_point(inst, {"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]],
                                           [["-3/4", "15/28"]]]})
print(bad, "-", bad.reason)
assert bad.local_minimum is True and bad.loss == Q(4, 7) and bad.path_least_squares

# 2. A random point: not critical; the exact gradient (one matrix per layer) is the witness.
rand = verify_deep_point(inst, {"weights": [[[1, 2], [-1, 2]], [[1, -2], [2, 1]], [[1, 1]]]})
print(rand, "- gradient of w_out:", [str(v) for v in rand.gradient[-1][0]])
assert rand.local_minimum is False and rand.critical is False

# 3. Output weights zero and the hidden weights orthogonal to what the residual asks for:
#    critical, but not a minimum; the certified direction d descends.
one = DeepInstance.from_dict({"X": [[1, 0, 1], [0, 1, 1]], "y": [1, 1, 0], "widths": [2, 1, 1],
                              "rho": "1/2"})
saddle = verify_deep_point(one, {"W": [[1, -2]], "z": [0]})
print(saddle, "-", saddle.reason)
assert saddle.critical and saddle.local_minimum is False
d = saddle.escape_direction
t = Q(1, 1024)
moved = forward(one, DeepPoint((((1 + t * d[0], -2 + t * d[1]),), ((t * d[2],),))))
print("loss at the point:", saddle.loss, " after a small step along d:", moved.loss)
assert moved.loss < saddle.loss
