"""Deep networks beyond one point: the restricted census and certified deep bad minima.

1. Fix the first layer of a [2, 2, 2, 1] network: the last hidden layer and the output are one
   hidden layer on the exact features h_1(n). Without noise the census finds bad DLMs, and the
   lifted counterexample is a bad local minimum of the whole network; with a noise realization
   on the last hidden layer the same features are certified (no bad DLM with these lower layers).
2. The two proved families of deep bad local minima (proofs/deep_networks.md): a network that
   is linear on its piece and fits the least-squares line, and a ReLU network with a dead layer.
"""

from exactmin.models.deep import DeepInstance
from exactmin.theorems.soudry_carmon import certify_restricted, find_deep_counterexample

raw = {"X": [[0, 1, 2], [1, 1, 1]], "y": [0, 1, 0], "widths": [2, 2, 2, 1], "rho": "1/2"}
lower = {"weights": [[[1, 1], [1, 2]]]}

plain = certify_restricted(DeepInstance.from_dict(raw), lower, census=True)
census = plain.result.census
print("no noise:", plain.result.verdict, f"({census.bad_dlm_regions} of {census.regions} regions "
      "hold bad DLMs); the lifted counterexample in the full network:",
      plain.full_network)
assert plain.result.verdict == "refuted" and plain.full_network.local_minimum is True

noise = [[["1", "2", "1"], ["1", "1", "3"]], [["3/2", "4/5", "6/5"], ["7/10", "1", "13/10"]]]
noisy = certify_restricted(DeepInstance.from_dict({**raw, "noise": noise}), lower, census=True)
print("noise on both hidden layers:", noisy.result.verdict, "-", noisy.claim)
assert noisy.result.verdict == "certified"

for widths, rho, family in (([2, 2, 2, 1], "1/2", "linear-fit"), ([2, 3, 2, 1], 0, "dead-layer")):
    found = find_deep_counterexample(widths, rho=rho, family=family)
    rep = found.report
    print(f"{family} on widths {widths}: N = {found.instance.N}, loss {rep.loss}, "
          f"local minimum: {rep.local_minimum} ({rep.reason[:40]}...)")
    assert rep.local_minimum is True and rep.loss > 0
