"""Lipschitz function families with certified constants (empirical layer, numpy only).

A :class:`LipschitzFunction` maps points of R^in_dim to R^out_dim (a *loss* has ``out_dim == 1`` and returns
a 1-D array). Its ``lipschitz`` attribute is a certified upper bound on the Lipschitz constant with respect
to the Euclidean norms of input and output:

* linear maps: the spectral norm (largest singular value), inflated by a relative 1e-9 against rounding;
* ReLU networks: the product of the spectral norms of the weight matrices (ReLU is 1-Lipschitz);
* sums of sinusoids ``sum_j a_j sin(2 pi k_j . x + phi_j)``: ``2 pi sum_j |a_j| |k_j|``;
* piecewise-linear ``max_j(a_j . x + b_j) - max_k(c_k . x + e_k)``: ``max_j |a_j| + max_k |c_k|``;
* distance to a finite set, scaled by s: ``s`` (torus distance when periodic);
* a vector map built from scalar components with constants L_i: ``sqrt(sum L_i^2)``;
* compositions: the product of the constants; clipping to [0, 1] does not increase it.

Invariant: for all x, y: ``|f(x) - f(y)| <= lipschitz * |x - y|`` (property-tested on random pairs).
``periodic`` is True when f is 1-periodic in every coordinate, so the bound also holds for the flat-torus
distance.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ._check import check_choice, check_dim, check_points, check_positive, check_rng

__all__ = ["LipschitzFunction", "LinearMap", "ReluNet", "Sinusoids", "PiecewiseLinear", "DistanceToSet",
           "Componentwise", "Composed", "Clipped", "IdentityMap", "get_loss", "get_map", "compose",
           "LOSSES", "MAPS", "spectral_norm"]

_INFLATE = 1.0 + 1e-9


def spectral_norm(a: np.ndarray) -> float:
    """A certified upper bound on the largest singular value of ``a`` (SVD, inflated by 1e-9 relative)."""
    a = np.atleast_2d(np.asarray(a, dtype=float))
    if a.size == 0:
        return 0.0
    s = float(np.linalg.norm(a, 2))
    # rounding in the SVD is ~ eps * |a|_F; the Frobenius norm is itself a bound, so never exceed it
    fro = float(np.linalg.norm(a))
    return min(s * _INFLATE + 1e-15 * fro, fro * _INFLATE)


class LipschitzFunction(ABC):
    """A function R^in_dim -> R^out_dim with a certified Lipschitz upper bound.

    Invariant: ``|f(x) - f(y)| <= lipschitz * |x - y|`` in Euclidean norms. A loss (``out_dim == 1``)
    returns shape (n,); a map returns (n, out_dim).
    """

    __slots__ = ()
    name: str
    in_dim: int
    out_dim: int

    @property
    @abstractmethod
    def lipschitz(self) -> float:
        """Certified upper bound on the Lipschitz constant."""

    @property
    def periodic(self) -> bool:
        """Whether f is 1-periodic in each coordinate (then the bound holds for the torus distance too)."""
        return False

    @abstractmethod
    def _eval(self, x: np.ndarray) -> np.ndarray:
        """Evaluate on a validated (n, in_dim) array; return (n, out_dim)."""

    def __call__(self, x: Any) -> np.ndarray:
        """Evaluate at the rows of ``x`` (shape (n, in_dim)); a loss returns (n,), a map (n, out_dim)."""
        pts = check_points(x, "x", self.in_dim, allow_empty=True)
        out = np.asarray(self._eval(pts), dtype=float).reshape(pts.shape[0], self.out_dim)
        return out[:, 0] if self.out_dim == 1 and self.is_loss else out

    @property
    def is_loss(self) -> bool:
        return getattr(self, "_loss", False)

    def describe(self) -> dict[str, Any]:
        """JSON-able description (family, dimensions, constant)."""
        return {"family": self.name, "in_dim": self.in_dim, "out_dim": self.out_dim,
                "lipschitz": self.lipschitz, "periodic": self.periodic}


@dataclass(frozen=True, slots=True, eq=False)
class IdentityMap(LipschitzFunction):
    """x -> x (Lipschitz constant 1)."""

    in_dim: int
    name: str = field(default="identity", init=False)
    _loss: bool = field(default=False, init=False)

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return self.in_dim

    @property
    def lipschitz(self) -> float:
        return 1.0

    @property
    def periodic(self) -> bool:
        return False

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return x.copy()


@dataclass(frozen=True, slots=True, eq=False)
class LinearMap(LipschitzFunction):
    """x -> A x + b; constant: the spectral norm of A."""

    weight: np.ndarray  # (out_dim, in_dim)
    bias: np.ndarray    # (out_dim,)
    name: str = field(default="linear", init=False)
    _loss: bool = False
    _lip: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lip", spectral_norm(self.weight))

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return int(self.weight.shape[1])

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return int(self.weight.shape[0])

    @property
    def lipschitz(self) -> float:
        return self._lip

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weight.T + self.bias


@dataclass(frozen=True, slots=True, eq=False)
class ReluNet(LipschitzFunction):
    """A ReLU network W_L relu(... relu(W_1 x + b_1) ...) + b_L; constant: product of spectral norms."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    name: str = field(default="relu", init=False)
    _loss: bool = False
    _lip: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lip", float(np.prod([spectral_norm(w) for w in self.weights])))

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return int(self.weights[0].shape[1])

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return int(self.weights[-1].shape[0])

    @property
    def lipschitz(self) -> float:
        return self._lip

    def _eval(self, x: np.ndarray) -> np.ndarray:
        h = x
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w.T + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        return h


@dataclass(frozen=True, slots=True, eq=False)
class Sinusoids(LipschitzFunction):
    """sum_j a_j sin(2 pi k_j . x + phi_j) (scalar); constant 2 pi sum |a_j| |k_j|; periodic if k integer."""

    freqs: np.ndarray   # (m, in_dim)
    amps: np.ndarray    # (m,)
    phases: np.ndarray  # (m,)
    name: str = field(default="sinusoid", init=False)
    _loss: bool = False

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return int(self.freqs.shape[1])

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return 1

    @property
    def lipschitz(self) -> float:
        return float(2 * math.pi * np.sum(np.abs(self.amps) * np.linalg.norm(self.freqs, axis=1))) * _INFLATE

    @property
    def periodic(self) -> bool:
        return bool(np.all(self.freqs == np.round(self.freqs)))

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return (np.sin(2 * math.pi * (x @ self.freqs.T) + self.phases) @ self.amps)[:, None]


@dataclass(frozen=True, slots=True, eq=False)
class PiecewiseLinear(LipschitzFunction):
    """max_j(a_j . x + b_j) - max_k(c_k . x + e_k) (scalar); constant max|a_j| + max|c_k|."""

    a: np.ndarray  # (J, in_dim)
    b: np.ndarray  # (J,)
    c: np.ndarray  # (K, in_dim)
    e: np.ndarray  # (K,)
    name: str = field(default="piecewise", init=False)
    _loss: bool = False

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return int(self.a.shape[1])

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return 1

    @property
    def lipschitz(self) -> float:
        return float(np.max(np.linalg.norm(self.a, axis=1)) + np.max(np.linalg.norm(self.c, axis=1))) * _INFLATE

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return (np.max(x @ self.a.T + self.b, axis=1) - np.max(x @ self.c.T + self.e, axis=1))[:, None]


@dataclass(frozen=True, slots=True, eq=False)
class DistanceToSet(LipschitzFunction):
    """scale * min_j |x - p_j| (torus distance when periodic); constant: scale."""

    centres: np.ndarray  # (m, in_dim)
    scale: float
    periodic_: bool = False
    name: str = field(default="distance", init=False)
    _loss: bool = False

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return int(self.centres.shape[1])

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return 1

    @property
    def lipschitz(self) -> float:
        return abs(float(self.scale)) * _INFLATE

    @property
    def periodic(self) -> bool:
        return self.periodic_

    def _eval(self, x: np.ndarray) -> np.ndarray:
        diff = x[:, None, :] - self.centres[None, :, :]
        if self.periodic_:
            diff = diff - np.round(diff)
        return (self.scale * np.min(np.sqrt(np.sum(diff * diff, axis=2)), axis=1))[:, None]


@dataclass(frozen=True, slots=True, eq=False)
class Componentwise(LipschitzFunction):
    """A vector map whose coordinates are scalar Lipschitz functions; constant sqrt(sum L_i^2)."""

    parts: tuple[LipschitzFunction, ...]
    name: str = field(default="componentwise", init=False)
    _loss: bool = False

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return self.parts[0].in_dim

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return sum(p.out_dim for p in self.parts)

    @property
    def lipschitz(self) -> float:
        return float(math.sqrt(sum(p.lipschitz ** 2 for p in self.parts))) * _INFLATE

    @property
    def periodic(self) -> bool:
        return all(p.periodic for p in self.parts)

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return np.concatenate([np.asarray(p._eval(x)).reshape(x.shape[0], -1) for p in self.parts], axis=1)


@dataclass(frozen=True, slots=True, eq=False)
class Composed(LipschitzFunction):
    """outer(inner(x)); constant: the product of the constants."""

    outer: LipschitzFunction
    inner: LipschitzFunction
    _loss: bool = False

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.outer.name}∘{self.inner.name}"

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return self.inner.in_dim

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return self.outer.out_dim

    @property
    def lipschitz(self) -> float:
        return self.outer.lipschitz * self.inner.lipschitz

    @property
    def periodic(self) -> bool:
        return self.inner.periodic or (isinstance(self.inner, IdentityMap) and self.outer.periodic)

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.outer._eval(self.inner._eval(x))).reshape(x.shape[0], -1)

    def describe(self) -> dict[str, Any]:
        out = LipschitzFunction.describe(self)
        out["outer"] = self.outer.describe()
        out["inner"] = self.inner.describe()
        return out


@dataclass(frozen=True, slots=True, eq=False)
class Clipped(LipschitzFunction):
    """clip(offset + f(x), 0, 1) for a scalar f: a loss with values in [0, 1]; same constant as f."""

    inner: LipschitzFunction
    offset: float = 0.5
    _loss: bool = True

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.inner.name

    @property
    def in_dim(self) -> int:  # type: ignore[override]
        return self.inner.in_dim

    @property
    def out_dim(self) -> int:  # type: ignore[override]
        return 1

    @property
    def lipschitz(self) -> float:
        return self.inner.lipschitz

    @property
    def periodic(self) -> bool:
        return self.inner.periodic

    def _eval(self, x: np.ndarray) -> np.ndarray:
        return np.clip(self.offset + np.asarray(self.inner._eval(x)).reshape(-1), 0.0, 1.0)[:, None]

    def describe(self) -> dict[str, Any]:
        out = self.inner.describe()
        out.update({"clipped_to": [0.0, 1.0], "offset": self.offset, "out_dim": 1})
        return out


def compose(outer: LipschitzFunction, inner: LipschitzFunction) -> LipschitzFunction:
    """outer ∘ inner, keeping a loss a loss (a clipped loss stays clipped)."""
    if outer.in_dim != inner.out_dim:
        raise UsageError(f"cannot compose: {outer.name} takes dimension {outer.in_dim}, "
                         f"{inner.name} gives {inner.out_dim}")
    if isinstance(outer, Clipped):
        return Clipped(Composed(outer.inner, inner), outer.offset)
    return Composed(outer, inner, _loss=outer.is_loss)


LOSSES = ("linear", "relu", "sinusoid", "piecewise", "distance")
MAPS = ("identity", "linear", "relu", "sinusoid")


def _raw_scalar(name: str, dim: int, rng: np.random.Generator, *, scale: float, width: int, depth: int,
                terms: int, max_freq: int, periodic: bool) -> LipschitzFunction:
    if name == "linear":
        w = rng.standard_normal((1, dim))
        w *= scale / np.linalg.norm(w)
        return LinearMap(w, np.zeros(1))
    if name == "relu":
        sizes = [dim] + [width] * depth + [1]
        weights = tuple(rng.standard_normal((sizes[i + 1], sizes[i])) / math.sqrt(sizes[i])
                        for i in range(len(sizes) - 1))
        biases = tuple(0.1 * rng.standard_normal(sizes[i + 1]) for i in range(len(sizes) - 1))
        net = ReluNet(weights, biases)
        k = (scale / net.lipschitz) ** (1.0 / len(weights)) if net.lipschitz > 0 else 1.0
        return ReluNet(tuple(w * k for w in weights), tuple(b * k ** (i + 1) for i, b in enumerate(biases)))
    if name == "sinusoid":
        freqs = rng.integers(-max_freq, max_freq + 1, size=(terms, dim)).astype(float)
        zero = ~np.any(freqs != 0, axis=1)
        freqs[zero, 0] = 1.0
        amps = rng.standard_normal(terms)
        raw = Sinusoids(freqs, amps, rng.uniform(0, 2 * math.pi, terms))
        return Sinusoids(freqs, amps * (scale / raw.lipschitz), raw.phases)
    if name == "piecewise":
        a = rng.standard_normal((terms, dim))
        c = rng.standard_normal((terms, dim))
        norm = np.max(np.linalg.norm(a, axis=1)) + np.max(np.linalg.norm(c, axis=1))
        return PiecewiseLinear(a * scale / norm, 0.2 * rng.standard_normal(terms), c * scale / norm,
                               0.2 * rng.standard_normal(terms))
    if name == "distance":
        return DistanceToSet(rng.random((terms, dim)), scale, periodic)
    raise UsageError(f"unknown loss family {name!r} (known: {', '.join(LOSSES)})")


def get_loss(name: str, dim: int, rng: np.random.Generator, *, scale: float = 1.0, width: int = 16,
             depth: int = 2, terms: int = 4, max_freq: int = 2, periodic: bool = False,
             clip: bool = True) -> LipschitzFunction:
    """A random loss of family ``name`` on R^dim with certified Lipschitz constant about ``scale``.

    Args:
        name: one of :data:`LOSSES`.
        dim: input dimension.
        rng: the random source (all randomness is explicit).
        scale: target Lipschitz constant (the certified constant equals it up to rounding).
        width, depth: hidden width and number of hidden layers of a ReLU loss.
        terms: number of sinusoids / affine pieces / centres.
        max_freq: largest integer frequency of a sinusoid loss.
        periodic: for ``distance``, use the flat-torus distance (1-periodic loss).
        clip: return ``clip(0.5 + f, 0, 1)``, a loss with values in [0, 1] and the same constant.

    Returns:
        A :class:`LipschitzFunction` returning shape (n,).

    Raises:
        UsageError: unknown family or bad parameters.
    """
    check_choice(name, LOSSES, "loss family")
    dim = check_dim(dim, f"loss:{name}")
    check_rng(rng)
    scale = check_positive(scale, "scale")
    f = _raw_scalar(name, dim, rng, scale=scale, width=int(width), depth=max(int(depth), 1), terms=max(int(terms), 1),
                    max_freq=max(int(max_freq), 1), periodic=bool(periodic))
    if clip:
        return Clipped(f, 0.5)
    return Composed(IdentityMap(1), f, _loss=True)


def get_map(name: str, dim: int, out_dim: int, rng: np.random.Generator, *, scale: float = 1.0, width: int = 16,
            depth: int = 1, terms: int = 3, max_freq: int = 1) -> LipschitzFunction:
    """A random generative map R^dim -> R^out_dim with certified constant about ``scale``.

    ``identity`` needs ``out_dim == dim``; ``linear`` is a Gaussian matrix rescaled to spectral norm ``scale``
    (full column rank almost surely when out_dim >= dim, hence bi-Lipschitz); ``relu`` a ReLU network;
    ``sinusoid`` has one sum of sinusoids per output coordinate.

    Raises:
        UsageError: unknown family or bad dimensions.
    """
    check_choice(name, MAPS, "generative map")
    dim = check_dim(dim, f"map:{name}")
    out_dim = check_dim(out_dim, f"map:{name}")
    check_rng(rng)
    scale = check_positive(scale, "scale")
    if name == "identity":
        if out_dim != dim:
            raise UsageError(f"the identity map needs out_dim == dim, got {out_dim} != {dim}")
        return IdentityMap(dim)
    if name == "linear":
        a = rng.standard_normal((out_dim, dim))
        a *= scale / np.linalg.norm(a, 2)
        return LinearMap(a, np.zeros(out_dim))
    if name == "relu":
        sizes = [dim] + [int(width)] * max(int(depth), 1) + [out_dim]
        weights = tuple(rng.standard_normal((sizes[i + 1], sizes[i])) / math.sqrt(sizes[i])
                        for i in range(len(sizes) - 1))
        biases = tuple(0.1 * rng.standard_normal(sizes[i + 1]) for i in range(len(sizes) - 1))
        net = ReluNet(weights, biases)
        k = (scale / net.lipschitz) ** (1.0 / len(weights))
        return ReluNet(tuple(w * k for w in weights), tuple(b * k ** (i + 1) for i, b in enumerate(biases)))
    parts = tuple(_raw_scalar("sinusoid", dim, rng, scale=scale / math.sqrt(out_dim), width=0, depth=0,
                              terms=max(int(terms), 1), max_freq=max(int(max_freq), 1), periodic=True)
                  for _ in range(out_dim))
    return Componentwise(parts)
