"""Numerical solutions of the Lagrange system by a total-degree homotopy (untrusted: floats
propose; :mod:`exactmin.spinglass.krawczyk` decides).

``H(x, t) = (1 - t) gamma g(x) + t G(x)`` with the start system ``g_i = x_i^{d_i} - 1`` (degrees
``d = (p-1, ..., p-1, 2)`` of the equations ``G`` of :mod:`exactmin.spinglass.tensor`) and a
random complex ``gamma``: for all but finitely many gamma the ``prod d_i`` paths from the roots of
unity are smooth for ``t < 1`` and reach every isolated solution of ``G`` (the gamma trick).
All paths are tracked together in numpy (predictor: Euler step along the tangent; corrector:
Newton; per-path adaptive steps); paths whose norm blows up go to solutions at infinity.
"""

from __future__ import annotations

import itertools
from typing import Callable

import numpy as np

__all__ = ["lagrange_system", "solve_lagrange"]


def _contract(S: np.ndarray, w: np.ndarray, times: int) -> np.ndarray:
    """``S`` contracted ``times`` times with each row of ``w`` (B, Lambda) on its last axes."""
    out = np.broadcast_to(S, (w.shape[0],) + S.shape)
    for _ in range(times):
        out = np.einsum("b...j,bj->b...", out, w)
    return out


def lagrange_system(S: np.ndarray, p: int, Lam: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``G(x)`` (B, m) and its Jacobian (B, m, m) for a batch ``x = (w, lam)`` of shape (B, m).

    >>> S = np.zeros((1, 1, 1)); S[0, 0, 0] = 1.0
    >>> G, J = lagrange_system(S, 3, 1.0, np.array([[1.0, 3.0]]))
    >>> G.tolist(), J.tolist()
    ([[0.0, 0.0]], [[[3.0, -1.0], [2.0, 0.0]]])
    """
    n = S.shape[0]
    w, lam = x[:, :n], x[:, n]
    hess = p * (p - 1) * _contract(S, w, p - 2)  # (B, n, n)
    grad = np.einsum("bij,bj->bi", hess, w) / (p - 1)  # p S w^(p-1)
    G = np.concatenate([grad - lam[:, None] * w, (np.sum(w * w, axis=1) - Lam)[:, None]], axis=1)
    J = np.zeros((x.shape[0], n + 1, n + 1), dtype=x.dtype)
    J[:, :n, :n] = hess - lam[:, None, None] * np.eye(n)
    J[:, :n, n] = -w
    J[:, n, :n] = 2 * w
    return G, J


def solve_lagrange(S: np.ndarray, p: int, Lam: int, seed: int = 0,
                   max_steps: int = 4000,
                   on_step: Callable[[float], None] | None = None) -> np.ndarray:
    """Endpoints (K, m) of the homotopy paths that stayed finite, polished by Newton at t = 1.

    Duplicates are possible (two paths meeting at a singular solution); callers deduplicate
    and certify. ``S`` is the symmetrized tensor (Lambda,)*p as floats. ``on_step(fraction)``
    is called after every step with the fraction of the path length done (the mean of ``t``,
    finished or abandoned paths counting 1); it may raise to stop the run.
    """
    n = S.shape[0]
    m = n + 1
    degrees = [p - 1] * n + [2]
    rng = np.random.default_rng(seed)
    gamma = np.exp(2j * np.pi * rng.random())
    roots = [np.exp(2j * np.pi * np.arange(d) / d) for d in degrees]
    x = np.array(list(itertools.product(*roots)), dtype=complex)
    P = x.shape[0]
    t = np.zeros(P)
    h = np.full(P, 0.01)
    active = np.ones(P, dtype=bool)
    deg = np.array(degrees)

    def Hx(xb: np.ndarray, tb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        G, J = lagrange_system(S, p, Lam, xb)
        g = xb**deg - 1
        gJ = np.zeros_like(J)
        idx = np.arange(m)
        gJ[:, idx, idx] = deg * xb ** (deg - 1)
        s = tb[:, None]
        Hval = (1 - s) * gamma * g + s * G
        HJ = (1 - s)[:, :, None] * gamma * gJ + s[:, :, None] * J
        Ht = G - gamma * g
        return Hval, HJ, Ht

    for _ in range(max_steps):
        idx = np.nonzero(active & (t < 1))[0]
        if idx.size == 0:
            break
        xb, tb, hb = x[idx], t[idx], np.minimum(h[idx], 1 - t[idx])
        _, HJ, Ht = Hx(xb, tb)
        try:
            dx = -np.linalg.solve(HJ, Ht[..., None])[..., 0]
        except np.linalg.LinAlgError:
            dx = -np.array([np.linalg.lstsq(a, b, rcond=None)[0] for a, b in zip(HJ, Ht)])
        t1 = tb + hb
        x1 = xb + hb[:, None] * dx
        ok = np.ones(idx.size, dtype=bool)
        for _it in range(3):
            Hval, HJ1, _ = Hx(x1, t1)
            try:
                step = np.linalg.solve(HJ1, Hval[..., None])[..., 0]
            except np.linalg.LinAlgError:
                step = np.array([np.linalg.lstsq(a, b, rcond=None)[0] for a, b in zip(HJ1, Hval)])
            x1 = x1 - step
        size = np.linalg.norm(step, axis=1) / (1 + np.linalg.norm(x1, axis=1))
        ok = np.isfinite(size) & (size < 1e-9)
        x[idx[ok]] = x1[ok]
        t[idx[ok]] = t1[ok]
        h[idx[ok]] = np.minimum(hb[ok] * 1.6, 0.05)
        h[idx[~ok]] = hb[~ok] / 2
        big = np.linalg.norm(x[idx], axis=1) > 1e7
        tiny = h[idx] < 1e-12
        active[idx[big | tiny]] = False
        if on_step is not None:
            on_step(float(np.where(active, t, 1.0).mean()))
    done = active & (t >= 1)
    ends = x[done]
    for _ in range(5):  # Newton polish on G itself
        G, J = lagrange_system(S, p, Lam, ends)
        try:
            ends = ends - np.linalg.solve(J, G[..., None])[..., 0]
        except np.linalg.LinAlgError:
            break
    G, _ = lagrange_system(S, p, Lam, ends)
    good = np.isfinite(ends).all(axis=1) & (np.linalg.norm(G, axis=1) < 1e-8 * (1 + np.linalg.norm(ends, axis=1)))
    return ends[good]
