"""Where do float training runs end? Each endpoint classified exactly.

Thirty seeded L-BFGS runs on a noise-free leaky network (N = d0*d1 - 1, so bad minima exist):
every run that stops at a minimum is snapped to its activation region, the region's DLM is
decided exactly and verified as a local minimum, and its exact loss must be one the census of
the instance lists. With noise (the theorem's hypotheses), runs end at zero loss.
"""

from exactmin import certify, random_instance
from exactmin.experiments.training import summary, train_runs
from exactmin.models import Instance
from exactmin.models.deep import DeepInstance

one = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
runs = train_runs(DeepInstance.from_instance(one), 30, seed=0)
s = summary(runs)
print("noise-free leaky:", s["counts"], "certified losses:", s["certified_losses"])
census = certify(one, census=True).census
assert all(r.loss in census.bad_losses for r in runs if r.classification == "bad_dlm")
assert s["certified"] >= 10

noisy = random_instance(2, 3, 5, "1/2", noise=True, seed=1)
s = summary(train_runs(DeepInstance.from_instance(noisy), 10, seed=0))
print("with noise, N <= d0*d1:", s["counts"])
assert s["counts"]["bad_dlm"] == 0
