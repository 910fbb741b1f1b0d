"""Spherical p-spin glass (Choromanska et al.; THEORY.md section 4): complexity constants."""

from exactmin.spinglass.complexity import e_inf, i1, interval_strings, theta_kp, theta_p, threshold

__all__ = ["e_inf", "i1", "interval_strings", "theta_kp", "theta_p", "threshold"]
