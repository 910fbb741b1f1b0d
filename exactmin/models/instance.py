"""The one-hidden-layer instance: data, labels, width, activation slope and optional noise."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from exactmin.arith import (
    fmt,
    fmt_matrix,
    fmt_vector,
    show,
    show_matrix,
    to_fraction,
    to_int,
    to_matrix,
    to_vector,
)
from exactmin.errors import InvalidInput
from exactmin.fileio import atomic_write, read_json

__all__ = ["Instance"]

_KEYS = ("X", "y", "d1", "rho", "noise")


@dataclass(frozen=True, repr=False)
class Instance:
    """A one-hidden-layer leaky-ReLU regression instance, all numbers exact.

    Network: ``yhat_n = sum_i z_i * noise[i][n] * a(w_i . x_n) * (w_i . x_n)`` with slope
    ``a(u) = 1`` for ``u > 0`` and ``rho`` for ``u < 0``; no biases; loss
    ``(1/2) * sum_n (yhat_n - y_n)^2``.

    Attributes
    ----------
    X : d0 x N tuple of rows of Fraction; column ``n`` is data point ``x_n``
    y : length-N tuple of Fraction
    d1 : int, number of hidden units
    rho : Fraction, slope on ``u < 0`` (``0`` is ReLU, must differ from 1)
    noise : d1 x N tuple of rows of positive Fractions, or None (no noise: all ones)

    Examples
    --------
    >>> inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
    >>> inst.d0, inst.N, inst.d1, inst.rho
    (2, 3, 2, Fraction(1, 2))
    >>> Instance.from_lists([[1, 2]], [1], d1=1, rho=0)
    Traceback (most recent call last):
    ...
    exactmin.errors.InvalidInput: y has 1 entries but X has N=2 columns; give one label per data point
    """

    X: tuple[tuple[Fraction, ...], ...]
    y: tuple[Fraction, ...]
    d1: int
    rho: Fraction
    noise: tuple[tuple[Fraction, ...], ...] | None = None

    def __post_init__(self) -> None:
        if len(self.X) == 0:
            raise InvalidInput("X has no rows (d0=0); d0 must be >= 1")
        if len(self.X[0]) == 0:
            raise InvalidInput("X has no columns (N=0); give at least one data point")
        if len(self.y) != self.N:
            hint = ("; X looks transposed (one data point per row): X must be d0 x N with one "
                    "data point per column, so pass X.T"
                    if len(self.y) == self.d0 > self.N else "")
            raise InvalidInput(
                f"y has {len(self.y)} entries but X has N={self.N} columns; "
                f"give one label per data point{hint}"
            )
        if self.d1 < 1:
            raise InvalidInput(f"d1={self.d1} must be >= 1")
        if self.rho == 1:
            raise InvalidInput("rho=1 makes the network linear; use a slope != 1 (0 is ReLU)")
        if self.noise is not None:
            if len(self.noise) != self.d1:
                raise InvalidInput(
                    f"noise has {len(self.noise)} rows but d1={self.d1}; give a d1 x N matrix"
                )
            for i, row in enumerate(self.noise):
                if len(row) != self.N:
                    raise InvalidInput(
                        f"noise[{i}] has {len(row)} entries but N={self.N}; give a d1 x N matrix"
                    )
                for n, v in enumerate(row):
                    if v <= 0:
                        raise InvalidInput(
                            f"noise[{i}][{n}]={fmt(v)} must be > 0 (a dropout-like realization "
                            "is a positive rational)"
                        )

    # ------------------------------------------------------------------ shapes
    @property
    def d0(self) -> int:
        """Input dimension (rows of X)."""
        return len(self.X)

    @property
    def N(self) -> int:
        """Number of data points (columns of X)."""
        return len(self.X[0])

    def column(self, n: int) -> tuple[Fraction, ...]:
        """Data point ``x_n`` (column ``n`` of X)."""
        return tuple(row[n] for row in self.X)

    def noise_entry(self, i: int, n: int) -> Fraction:
        """``E_in``: the noise multiplying unit i on sample n (1 without noise)."""
        return Fraction(1) if self.noise is None else self.noise[i][n]

    def _repr_html_(self) -> str:
        from exactmin.protocol import html_table

        return html_table("Instance", [
            ("(d0, d1, N)", (self.d0, self.d1, self.N)), ("rho", show(self.rho)),
            ("noise", "none" if self.noise is None else f"{self.d1} x {self.N} realization"),
            *((f"x_{n}, y_{n}", f"{[show(v) for v in self.column(n)]}, {show(self.y[n])}")
              for n in range(min(self.N, 12))),
            *([("...", f"{self.N - 12} more points")] if self.N > 12 else [])])

    # ------------------------------------------------------------------ constructors
    def __repr__(self) -> str:
        """Sizes, slope and noise; the data too when it is small (at most 24 numbers).

        >>> Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], d1=2, rho="1/2")
        Instance(d0=2, d1=2, N=3, rho=1/2, no noise, X=[[0, 1, 2], [1, 1, 1]], y=[0, 1, 0])
        """
        noise = "no noise" if self.noise is None else "with noise"
        head = f"Instance(d0={self.d0}, d1={self.d1}, N={self.N}, rho={show(self.rho)}, {noise}"
        if self.d0 * self.N <= 24:
            head += f", X={show_matrix(self.X)}, y=[{', '.join(show(v) for v in self.y)}]"
        return head + ")"

    @classmethod
    def from_lists(
        cls, X: Any, y: Any, d1: Any, rho: Any, noise: Any = None
    ) -> "Instance":
        """Build from Python lists (or numpy integer arrays) of ints, Fractions or 'p/q' strings."""
        return cls(
            X=to_matrix(X, "X"),
            y=to_vector(y, "y"),
            d1=to_int(d1, "d1", minimum=1),
            rho=to_fraction(rho, "rho"),
            noise=None if noise is None else to_matrix(noise, "noise"),
        )

    @classmethod
    def from_arrays(cls, X: Any, y: Any, d1: Any, rho: Any, noise: Any = None, *,
                    rationalize: str | None = None) -> "Instance":
        """Build from numpy arrays (or lists), floats included when ``rationalize`` says how.

        Parameters
        ----------
        X : d0 x N array (one data point per column; a hint is given when it looks transposed)
        y : N labels
        d1 : hidden units
        rho : slope on ``u < 0``
        noise : d1 x N positive array, or None
        rationalize : None (floats rejected), ``"exact"`` (each binary float as its exact
            rational, e.g. 0.1 -> 3602879701896397/36028797018963968) or
            ``"limit_denominator=N"`` (the closest rational with denominator <= N). ``Decimal``
            entries are always exact.

        Examples
        --------
        >>> import numpy as np
        >>> inst = Instance.from_arrays(np.array([[0.5, 1.0], [0.25, 2.0]]), [1, 0], 1, "1/2",
        ...                             rationalize="exact")
        >>> inst.X
        ((Fraction(1, 2), Fraction(1, 1)), (Fraction(1, 4), Fraction(2, 1)))
        >>> Instance.from_arrays([[0.1]], [1], 1, 0, rationalize="limit_denominator=100").X
        ((Fraction(1, 10),),)
        """
        return cls(
            X=to_matrix(X, "X", rationalize),
            y=to_vector(y, "y", rationalize),
            d1=to_int(d1, "d1", minimum=1),
            rho=to_fraction(rho, "rho", rationalize),
            noise=None if noise is None else to_matrix(noise, "noise", rationalize),
        )

    @classmethod
    def from_dict(cls, data: Any) -> "Instance":
        """Build from the instance-file mapping ``{"X", "y", "d1", "rho", "noise"?}``.

        >>> Instance.from_dict({"X": [[1]], "y": [1], "d1": 1})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        exactmin.errors.InvalidInput: missing key 'rho' in the instance; expected keys X, y, ...
        """
        if not isinstance(data, Mapping):
            raise InvalidInput(
                f"an instance must be a JSON object with keys X, y, d1, rho, got {type(data).__name__}"
            )
        for key in ("X", "y", "d1", "rho"):
            if key not in data:
                raise InvalidInput(
                    f"missing key {key!r} in the instance; expected keys X, y, d1, rho "
                    "and optionally noise"
                )
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise InvalidInput(f"unknown key(s) {unknown} in the instance; known keys: {list(_KEYS)}")
        return cls.from_lists(data["X"], data["y"], data["d1"], data["rho"], data.get("noise"))

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> "Instance":
        """Read an instance file (path) and validate it."""
        return cls.from_dict(read_json(source, "instance"))

    def to_dict(self) -> dict[str, Any]:
        """The instance-file mapping with rationals as ``"p/q"`` strings."""
        out: dict[str, Any] = {
            "X": fmt_matrix(self.X),
            "y": fmt_vector(self.y),
            "d1": self.d1,
            "rho": fmt(self.rho),
        }
        if self.noise is not None:
            out["noise"] = fmt_matrix(self.noise)
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the instance file atomically (never a half-written file)."""
        atomic_write(path, json.dumps(self.to_dict()) + "\n")

    def replace(self, **changes: Any) -> "Instance":
        """A copy with some fields replaced (parsed and validated again)."""
        fields = {k: getattr(self, k) for k in _KEYS}
        fields.update(changes)
        return Instance.from_lists(**fields)

