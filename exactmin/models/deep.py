"""Networks of any depth, exactly: forward pass, loss, pattern, per-layer gradients, the
matrices ``G_l`` and the path matrix ``P`` (docs/conventions.md, "Networks of any depth").

Widths ``[d0, d1, ..., dL, 1]``, leaky slope ``rho`` (0 is ReLU), optional noise ``E_l``
(``d_l x N``, positive) per hidden layer, no biases::

    h_0(n) = x_n,  u_l(n) = W_l h_{l-1}(n),  h_l(n) = E_l[:, n] * f(u_l(n)),
    yhat_n = w_out . h_L(n),  loss = (1/2) sum_n (yhat_n - y_n)^2.

On a piece (every pattern fixed) ``h_l(n) = a_l(n) * u_l(n)`` with ``a_l(n) = E_l[:, n] *
slope``, so the prediction is a polynomial, linear in each layer's weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

from exactmin.arith import dot, show, show_matrix, to_fraction, to_int, to_matrix, to_vector
from exactmin.errors import InvalidInput
from exactmin.models.instance import Instance

__all__ = ["DeepInstance", "DeepPoint", "Forward", "determinant_matrix", "forward",
           "gradient_matrices", "lower_layers", "path_matrix", "restricted_instance"]

Matrix = tuple[tuple[Fraction, ...], ...]
_KEYS = ("X", "y", "widths", "d1", "rho", "noise")


@dataclass(frozen=True, repr=False)
class DeepInstance:
    """Data, labels and a network of any depth (``widths = (d0, d1, ..., dL, 1)``).

    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
    ...                                "widths": [2, 2, 2, 1], "rho": "1/3"})
    >>> inst
    DeepInstance(widths=[2, 2, 2, 1], N=3, rho=1/3, no noise)
    """

    X: Matrix
    y: tuple[Fraction, ...]
    widths: tuple[int, ...]
    rho: Fraction
    noise: tuple[Matrix, ...] | None = None

    def __post_init__(self) -> None:
        w = self.widths
        if len(w) < 3 or w[-1] != 1:
            raise InvalidInput(f"widths={list(w)} must be [d0, d1, ..., dL, 1]: at least one "
                               "hidden layer and one output")
        if any(d < 1 for d in w):
            raise InvalidInput(f"widths={list(w)}: every width must be >= 1")
        if not self.X or not self.X[0]:
            raise InvalidInput("X must be a nonempty d0 x N matrix")
        if len(self.X) != w[0]:
            raise InvalidInput(f"X has {len(self.X)} rows but widths[0]={w[0]} (d0); X is d0 x N")
        if len(self.y) != self.N:
            raise InvalidInput(f"y has {len(self.y)} entries but X has N={self.N} columns")
        if self.rho == 1:
            raise InvalidInput("rho=1 makes the network linear; use a slope != 1 (0 is ReLU)")
        if self.noise is not None:
            if len(self.noise) != self.L:
                raise InvalidInput(f"noise has {len(self.noise)} matrices but the network has "
                                   f"L={self.L} hidden layers; give one d_l x N matrix per layer")
            for l, E in enumerate(self.noise, start=1):
                if len(E) != w[l] or any(len(r) != self.N for r in E):
                    raise InvalidInput(f"noise[{l - 1}] must be d_{l} x N = {w[l]} x {self.N}")
                if any(v <= 0 for r in E for v in r):
                    raise InvalidInput(f"noise[{l - 1}] has an entry <= 0; noise is positive")

    def __repr__(self) -> str:
        noise = "no noise" if self.noise is None else "with noise"
        return (f"DeepInstance(widths={list(self.widths)}, N={self.N}, rho={show(self.rho)}, "
                f"{noise})")

    @property
    def N(self) -> int:
        return len(self.X[0])

    @property
    def L(self) -> int:
        """Number of hidden layers."""
        return len(self.widths) - 2

    @classmethod
    def from_dict(cls, data: Any) -> "DeepInstance":
        """An instance file: ``widths`` (any depth) or ``d1`` (one hidden layer, ``noise`` then a
        single ``d1 x N`` matrix), as in docs/conventions.md."""
        if not isinstance(data, Mapping):
            raise InvalidInput(f"an instance must be a JSON object, got {type(data).__name__}")
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise InvalidInput(f"unknown key(s) {unknown} in the instance; known keys: "
                               f"{list(_KEYS)}")
        if ("widths" in data) == ("d1" in data):
            raise InvalidInput("an instance gives exactly one of 'widths' (any depth) and 'd1' "
                               "(one hidden layer)")
        for key in ("X", "y", "rho"):
            if key not in data:
                raise InvalidInput(f"missing key {key!r} in the instance")
        if "d1" in data:
            return cls.from_instance(Instance.from_dict(data))
        raw = data["widths"]
        if not isinstance(raw, list):
            raise InvalidInput(f"widths={raw!r} must be a list of integers [d0, ..., dL, 1]")
        widths = tuple(to_int(v, f"widths[{k}]", minimum=1) for k, v in enumerate(raw))
        noise = data.get("noise")
        if noise is not None and not isinstance(noise, list):
            raise InvalidInput("noise must be a list of L matrices (one per hidden layer)")
        return cls(X=to_matrix(data["X"], "X"), y=to_vector(data["y"], "y"), widths=widths,
                   rho=to_fraction(data["rho"], "rho"),
                   noise=None if noise is None else tuple(
                       to_matrix(E, f"noise[{k}]") for k, E in enumerate(noise)))

    @classmethod
    def from_instance(cls, inst: Instance) -> "DeepInstance":
        """The same one-hidden-layer instance, as a depth-1 network."""
        return cls(X=inst.X, y=inst.y, widths=(inst.d0, inst.d1, 1), rho=inst.rho,
                   noise=None if inst.noise is None else (inst.noise,))

    def to_dict(self) -> dict[str, Any]:
        """The instance-file mapping (``widths`` form), rationals as ``"p/q"`` strings."""
        out: dict[str, Any] = {"X": [[show(v) for v in r] for r in self.X],
                               "y": [show(v) for v in self.y], "widths": list(self.widths),
                               "rho": show(self.rho)}
        if self.noise is not None:
            out["noise"] = [[[show(v) for v in r] for r in E] for E in self.noise]
        return out

    def E(self, l: int, i: int, n: int) -> Fraction:
        """Noise of unit i of hidden layer l (1-based) on data point n; 1 without noise."""
        return Fraction(1) if self.noise is None else self.noise[l - 1][i][n]


@dataclass(frozen=True)
class DeepPoint:
    """Weights ``(W_1, ..., W_L, w_out)``: ``W_l`` is ``d_l x d_{l-1}``, ``w_out`` ``1 x d_L``."""

    weights: tuple[Matrix, ...]

    def __repr__(self) -> str:
        return "DeepPoint(" + ", ".join(show_matrix(W) for W in self.weights) + ")"

    @classmethod
    def from_dict(cls, data: Any, inst: DeepInstance) -> "DeepPoint":
        """A point file: ``{"weights": [W_1, ..., W_L, w_out]}``, or ``{"W", "z"}`` at depth 1."""
        if not isinstance(data, Mapping):
            raise InvalidInput("a point file must be a JSON object")
        if "weights" in data:
            if set(data) != {"weights"}:
                raise InvalidInput(f"a point file has 'weights' only, got keys {sorted(data)}")
            raw = data["weights"]
            if not isinstance(raw, list):
                raise InvalidInput("weights must be a list [W_1, ..., W_L, w_out]")
            weights = tuple(to_matrix(W, f"weights[{k}]") for k, W in enumerate(raw))
        elif set(data) == {"W", "z"}:
            if inst.L != 1:
                raise InvalidInput(f"a {{W, z}} point is for one hidden layer; this network has "
                                   f"L={inst.L}: give {{\"weights\": [W_1, ..., W_L, w_out]}}")
            weights = (to_matrix(data["W"], "W"), (to_vector(data["z"], "z"),))
        else:
            raise InvalidInput('a point file is {"weights": [W_1, ..., W_L, w_out]} (or {"W", '
                               f'"z"}} for one hidden layer), got keys {sorted(data)}')
        point = cls(weights)
        point.check(inst)
        return point

    def to_dict(self) -> dict[str, Any]:
        """The point-file mapping ``{"weights": [...]}``, rationals as ``"p/q"`` strings."""
        return {"weights": [[[show(v) for v in r] for r in W] for W in self.weights]}

    def check(self, inst: DeepInstance) -> None:
        w = inst.widths
        if len(self.weights) != inst.L + 1:
            raise InvalidInput(f"weights has {len(self.weights)} matrices but widths={list(w)} "
                               f"needs L + 1 = {inst.L + 1} (W_1, ..., W_L, w_out)")
        for l, W in enumerate(self.weights, start=1):
            if len(W) != w[l] or any(len(r) != w[l - 1] for r in W):
                raise InvalidInput(f"weights[{l - 1}] must be {w[l]} x {w[l - 1]} "
                                   f"(d_{l} x d_{l - 1}), got {len(W)} x {len(W[0]) if W else 0}")


@dataclass(frozen=True)
class Forward:
    """Everything the forward pass computes, per data point n and layer l (1-based; index 0 of
    ``h`` is the input): ``u[l-1][n]``, ``a[l-1][n]`` (slope times noise), ``h[l][n]``."""

    u: tuple[tuple[tuple[Fraction, ...], ...], ...]
    a: tuple[tuple[tuple[Fraction, ...], ...], ...]
    h: tuple[tuple[tuple[Fraction, ...], ...], ...]
    yhat: tuple[Fraction, ...]
    e: tuple[Fraction, ...]
    loss: Fraction


def forward(inst: DeepInstance, point: DeepPoint,
            slopes: Sequence[Sequence[Sequence[Fraction]]] | None = None) -> Forward:
    """The exact forward pass. With ``slopes`` (``a[l-1][n]``) the piece's polynomial is
    evaluated with those slopes fixed instead of the ones the signs give.

    >>> inst = DeepInstance.from_dict({"X": [[1]], "y": [3], "widths": [1, 1, 1], "rho": 0})
    >>> forward(inst, DeepPoint(((( Fraction(2),),), ((Fraction(1),),)))).loss
    Fraction(1, 2)
    """
    L, N = inst.L, inst.N
    cols = [tuple(inst.X[j][n] for j in range(inst.widths[0])) for n in range(N)]
    hs = [tuple(cols)]
    us, As = [], []
    for l in range(1, L + 1):
        W = point.weights[l - 1]
        u_l, a_l, h_l = [], [], []
        for n in range(N):
            u = tuple(dot(row, hs[-1][n]) for row in W)
            if slopes is None:
                a = tuple(inst.E(l, i, n) * (1 if ui > 0 else inst.rho) for i, ui in enumerate(u))
            else:
                a = tuple(slopes[l - 1][n])
            u_l.append(u)
            a_l.append(a)
            h_l.append(tuple(ai * ui for ai, ui in zip(a, u)))
        us.append(tuple(u_l))
        As.append(tuple(a_l))
        hs.append(tuple(h_l))
    w_out = point.weights[-1][0]
    yhat = tuple(dot(w_out, hs[-1][n]) for n in range(N))
    e = tuple(p - t for p, t in zip(yhat, inst.y))
    return Forward(tuple(us), tuple(As), tuple(hs), yhat, e, dot(e, e) / 2)


def _deltas(inst: DeepInstance, point: DeepPoint, fw: Forward) -> list[list[tuple[Fraction, ...]]]:
    """``delta[l-1][n] = d yhat_n / d u_l(n)`` (length d_l), by back-propagation."""
    L, N = inst.L, inst.N
    delta: list[list[tuple[Fraction, ...]]] = [[] for _ in range(L)]
    w_out = point.weights[-1][0]
    delta[L - 1] = [tuple(w * a for w, a in zip(w_out, fw.a[L - 1][n])) for n in range(N)]
    for l in range(L - 1, 0, -1):  # layer l gets delta from layer l + 1
        W = point.weights[l]  # W_{l+1}
        delta[l - 1] = [
            tuple(fw.a[l - 1][n][j] * sum((W[i][j] * delta[l][n][i] for i in range(len(W))),
                                           Fraction(0)) for j in range(inst.widths[l]))
            for n in range(N)]
    return delta


def gradient_matrices(inst: DeepInstance, point: DeepPoint, fw: Forward) -> list[Matrix]:
    """``G_l`` for l = 1..L+1: column n of ``G_l`` (l <= L) is ``vec(delta_l(n) h_{l-1}(n)^T)``
    (row-major: entry ``i*d_{l-1} + j``), of ``G_{L+1}`` it is ``h_L(n)``. The gradient of the
    loss with respect to layer l is ``G_l e`` (reshaped)."""
    delta = _deltas(inst, point, fw)
    out = []
    for l in range(1, inst.L + 1):
        cols = [[d * h for d in delta[l - 1][n] for h in fw.h[l - 1][n]] for n in range(inst.N)]
        out.append(tuple(tuple(c[r] for c in cols) for r in range(len(cols[0]))))
    hL = fw.h[inst.L]
    out.append(tuple(tuple(hL[n][i] for n in range(inst.N)) for i in range(inst.widths[-2])))
    return out


def path_matrix(inst: DeepInstance, fw: Forward) -> Matrix:
    """``P``: column n is ``kron(a_L(n), ..., a_1(n), x_n)``; on the piece ``yhat = P^T pi``
    with ``pi`` the products of weights along input-output paths."""
    cols = []
    for n in range(inst.N):
        v: list[Fraction] = [inst.X[j][n] for j in range(inst.widths[0])]
        for l in range(1, inst.L + 1):
            v = [a * x for a in fw.a[l - 1][n] for x in v]
        cols.append(v)
    return tuple(tuple(c[r] for c in cols) for r in range(len(cols[0])))


def lower_layers(data: Any, inst: DeepInstance) -> tuple[Matrix, ...]:
    """A lower-layers file ``{"weights": [W_1, ..., W_{L-1}]}`` for ``inst``, checked."""
    if not isinstance(data, Mapping) or set(data) != {"weights"} or not isinstance(
            data["weights"], list):
        raise InvalidInput('the fixed layers are a JSON object {"weights": [W_1, ..., W_{L-1}]}')
    if inst.L < 2:
        raise InvalidInput(f"widths={list(inst.widths)} has L={inst.L} hidden layer: fixed "
                           "lower layers need L >= 2 (certify a one-hidden-layer file directly)")
    raw = data["weights"]
    if len(raw) != inst.L - 1:
        raise InvalidInput(f"the fixed layers have {len(raw)} matrices but widths="
                           f"{list(inst.widths)} needs L - 1 = {inst.L - 1} (W_1, ..., W_{{L-1}})")
    Ws = tuple(to_matrix(W, f"weights[{k}]") for k, W in enumerate(raw))
    for l, W in enumerate(Ws, start=1):
        w = inst.widths
        if len(W) != w[l] or any(len(r) != w[l - 1] for r in W):
            raise InvalidInput(f"weights[{l - 1}] must be {w[l]} x {w[l - 1]} (d_{l} x d_{l - 1})")
    return Ws


def restricted_instance(inst: DeepInstance, lower: Sequence[Matrix]) -> Instance:
    """The one-hidden-layer problem of the last hidden layer and the output when ``W_1..W_{L-1}``
    are fixed: data ``h_{L-1}(n)`` (exact, ``f(0) = 0``), labels ``y``, ``d1 = d_L``, noise ``E_L``.

    >>> inst = DeepInstance.from_dict({"X": [[1, -2]], "y": [1, 1], "widths": [1, 2, 1, 1],
    ...                                "rho": "1/2"})
    >>> restricted_instance(inst, [((Fraction(1),), (Fraction(-1),))]).X
    ((Fraction(1, 1), Fraction(-1, 1)), (Fraction(-1, 2), Fraction(2, 1)))
    """
    cols = []
    for n in range(inst.N):
        h = [inst.X[j][n] for j in range(inst.widths[0])]
        for l, W in enumerate(lower, start=1):
            u = [dot(row, h) for row in W]
            h = [inst.E(l, i, n) * (v if v > 0 else inst.rho * v) for i, v in enumerate(u)]
        cols.append(h)
    X = tuple(tuple(cols[n][i] for n in range(inst.N)) for i in range(inst.widths[-3]))
    noise = None if inst.noise is None else inst.noise[-1]
    return Instance(X=X, y=inst.y, d1=inst.widths[-2], rho=inst.rho, noise=noise)


def determinant_matrix(inst: DeepInstance, point: DeepPoint, fw: Forward, n: int) -> Matrix:
    """A square matrix, affine in each weight matrix, whose determinant is ``yhat_n`` on the
    point's piece (the slopes ``a_l(n)`` fixed; Milne's determinant representation, in the form
    of Cramer's rule).

    The chain ``v_0 = x_n``, ``v_l = diag(a_l(n)) W_l v_{l-1}``, ``yhat = w_out . v_L`` is a unit
    lower block-triangular system ``A u = (x_n, 0, ..., 0)`` in ``u = (v_0, ..., v_L, yhat)``;
    ``det A = 1``, so ``yhat = det`` of ``A`` with its last column replaced by the right-hand
    side.

    >>> from exactmin.linalg import determinant
    >>> inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
    ...                                "widths": [2, 2, 2, 1], "rho": "1/3"})
    >>> p = DeepPoint.from_dict({"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]],
    ...                                      [["-3/4", "15/28"]]]}, inst)
    >>> fw = forward(inst, p)
    >>> [determinant(determinant_matrix(inst, p, fw, n)) for n in range(3)] == list(fw.yhat)
    True
    """
    w = inst.widths
    dims = [w[l] for l in range(inst.L + 1)]  # v_0 .. v_L
    starts = [sum(dims[:k]) for k in range(len(dims))]
    size = sum(dims) + 1
    A = [[Fraction(0)] * size for _ in range(size)]
    for r in range(size):
        A[r][r] = Fraction(1)
    for l in range(1, inst.L + 1):
        W, a = point.weights[l - 1], fw.a[l - 1][n]
        for i in range(w[l]):
            for j in range(w[l - 1]):
                A[starts[l] + i][starts[l - 1] + j] = -a[i] * W[i][j]
    for i, v in enumerate(point.weights[-1][0]):
        A[size - 1][starts[inst.L] + i] = -v
    for r in range(size):  # the last column becomes the right-hand side (x_n, 0, ..., 0)
        A[r][size - 1] = inst.X[r][n] if r < w[0] else Fraction(0)
    return tuple(tuple(row) for row in A)
