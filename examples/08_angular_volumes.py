"""Angular volumes (Soudry-Hoffer): how much of weight space leads to bad minima, exactly.

A one-hidden-layer leaky network on three points in the plane. Each unit's activation cones have
solid angles enclosed rigorously (arb balls); the census labels every region, and the volumes of
the regions holding bad and global minima are summed. The sampling estimator (Gaussian W, exact
regions) agrees within its statistical interval.
"""

from exactmin import Instance
from exactmin.theorems.soudry_hoffer import interval, sample_volumes, volumes

inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
rep = volumes(inst)
for signs, vol in zip(rep.unit_signs, rep.unit_volumes):
    print("unit region", signs, "volume in", interval(vol, 8))
print("V_bad in", interval(rep.V_bad, 8), " V_global in", interval(rep.V_global, 8))
print("ratio V_bad / V_global in", interval(rep.ratio, 6))
assert rep.ratio is not None and rep.ratio > 1  # bad minima dominate at this tiny size

est = sample_volumes(inst, samples=4000, seed=1)
print(f"sampled: V_bad in [{est.V_bad[0]:.3f}, {est.V_bad[1]:.3f}], V_global in "
      f"[{est.V_global[0]:.3f}, {est.V_global[1]:.3f}] ({est.confidence:.1%} Wilson intervals)")
assert est.V_bad[0] <= float(rep.V_bad.mid) <= est.V_bad[1]
