"""Property tests of the spin-glass enumeration behind Choromanska et al. (arXiv:1412.0233).

For a generic symmetric tensor the critical points on the sphere are nondegenerate and Morse
theory applies: over all real critical points, sum (-1)^index = chi(S^(Lambda-1)) =
1 + (-1)^(Lambda-1). Checked on seeded random p = 3 tensors whose enumeration is proved
complete; every energy lies within the certified ground-state bound |H| <= ||X|| Lambda^(...)
is not needed: the minimum and maximum energies are negatives of each other (H is odd for p = 3).
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.spinglass import random_tensor
from exactmin.theorems.choromanska import enumerate_critical_points


@settings(max_examples=6)
@given(st.integers(0, 10**6), st.integers(2, 3))
def test_complete_enumerations_obey_morse_theory(seed: int, Lam: int) -> None:
    e = enumerate_critical_points(random_tensor(3, Lam, seed=seed))
    if not e.complete:
        return  # a degenerate draw: nothing is claimed
    assert e.euler_sum == 1 + (-1) ** (Lam - 1)
    energies = sorted(float(pt.energy[0] + pt.energy[1]) / 2 for pt in e.real_points)
    assert abs(energies[0] + energies[-1]) < 1e-9  # p = 3: H(-w) = -H(w)
