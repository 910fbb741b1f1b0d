"""Every critical point of a small spherical 3-spin glass, certified and proved complete.

Choromanska et al. model a deep network's loss as H(w) = Lambda^-1 sum X_ijk w_i w_j w_k on the
sphere ||w||^2 = Lambda (p = 3). Here: the rigorous band constants, then all critical points of
a seeded 4-dimensional instance with energies and Morse indices, re-checked by the kernel.

Run: python examples/05_spin_glass_critical_points.py
"""

import json

from exactmin.check import check_certificate
from exactmin.spinglass import random_tensor
from exactmin.theorems.choromanska import constants, enumerate_critical_points

c = constants(p=3, k_max=1, digits=8)
print(f"E_inf in {c['E_inf']}, E_0 in {c['E'][0]}, E_1 in {c['E'][1]}")

T = random_tensor(p=3, Lam=4, seed=0)  # rationalized Gaussian entries
e = enumerate_critical_points(T)
print(f"{e.complex_solutions} complex solutions (generic count {T.generic_solutions}); "
      f"complete: {e.complete}")
print(e.reason)
for pt in e.real_points:
    lo, hi = pt.energy
    print(f"  index {pt.index}: energy in [{float(lo):.9f}, {float(hi):.9f}]")
chi = 1 + (-1) ** (T.Lam - 1)
print(f"Morse check: sum of (-1)^index = {e.euler_sum} = chi(S^{T.Lam - 1}) = {chi}")
assert e.complete and e.euler_sum == chi

info = check_certificate(json.loads(json.dumps(e.certificate())))
print(f"kernel: {info['solutions']} solutions verified, {info['real']} real, "
      f"complete = {info['complete']}")
assert info["complete"] and info["solutions"] == T.generic_solutions
