"""Spherical p-spin glass (Choromanska et al.; docs/papers/choromanska.md): complexity constants,
tensors, and the numerical search (homotopy) and ball-arithmetic certification (Krawczyk) of
critical points on the sphere."""

from exactmin.spinglass.complexity import e_inf, i1, interval_strings, theta_kp, theta_p, threshold
from exactmin.spinglass.tensor import SpinTensor, random_tensor

__all__ = ["SpinTensor", "e_inf", "i1", "interval_strings", "random_tensor", "theta_kp",
           "theta_p", "threshold"]
