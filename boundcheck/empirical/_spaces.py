"""Latent spaces with their dimensions and natural measures (empirical layer, numpy only).

Every space records its Hausdorff dimension, its upper box-counting dimension and the dimension of its
natural measure (``intrinsic_dim``), samples that measure, and knows how to cover itself by cells for the
certified covering-radius bound (:mod:`._distances`): a cell is a centre c and a radius r such that every
point of the space in the cell lies within r of c.

The ``dim`` argument of :func:`get_space` is each space's natural size parameter:

========== ============================================ ==================== ====================
name       set                                          ``dim`` argument     ambient ``Space.dim``
========== ============================================ ==================== ====================
cube       [0, 1]^d                                     d                    d
torus      flat torus [0, 1)^d (periodic distance)      d                    d
sphere     unit sphere S^(d-1) in R^d                   d (ambient, >= 2)    d
ball       closed unit ball in R^d                      d                    d
cantor     middle-third Cantor set in [0, 1]            1 (or None)          1
cantor_dust  C^d, product of Cantor sets                d (default 2)        d
sierpinski Sierpinski gasket, vertices (0,0),(1,0),(1/2,√3/2)  2 (or None)   2
countable  {0} ∪ {k^-p : k >= 1}                        1 (or None)          1
union      pieces side by side along the first axis     None or max ambient  max ambient
embedded   a d-dim base pushed into R^D by a map        d (latent)           D (``ambient``)
========== ============================================ ==================== ====================
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ._check import check_choice, check_dim, check_n, check_positive, check_rng
from ._lipschitz import IdentityMap, LinearMap, LipschitzFunction, get_map

__all__ = ["Space", "CellGroup", "Cube", "Torus", "Sphere", "Ball", "Cantor", "CantorDust", "Sierpinski",
           "Countable", "Union", "Embedded", "get_space", "SPACES"]

LOG2_LOG3 = math.log(2) / math.log(3)
_SQRT3 = math.sqrt(3.0)


@dataclass(frozen=True, slots=True, eq=False)
class CellGroup:
    """Cells covering (part of) a space: every point of the space in cell i is within radii[i] of centres[i].

    ``centre_in[i]``: the centre is a point of the space; ``nonempty[i]``: the cell holds a point of the space
    (certified). ``split`` returns the children, which together cover the same part of the space.
    """

    centres: np.ndarray
    radii: np.ndarray
    centre_in: np.ndarray
    nonempty: np.ndarray
    state: Any
    split: Callable[[CellGroup], CellGroup]
    take_state: Callable[[Any, np.ndarray], Any]

    def __len__(self) -> int:
        return int(self.radii.shape[0])

    def take(self, mask: np.ndarray) -> CellGroup:
        """The cells selected by a boolean mask or index array."""
        return CellGroup(self.centres[mask], self.radii[mask], self.centre_in[mask], self.nonempty[mask],
                         self.take_state(self.state, mask), self.split, self.take_state)


def _take_arrays(state: tuple[np.ndarray, ...], mask: np.ndarray) -> tuple[np.ndarray, ...]:
    return tuple(s[mask] for s in state)


class Space(ABC):
    """A latent space with its dimensions and natural measure.

    Invariants: ``box_dim >= hausdorff_dim``; ``sample`` returns points of the space, shape (n, dim), inside
    ``bounds``; cells from ``root_cells`` cover the whole space.
    """

    __slots__ = ()
    name: str
    dim: int

    @property
    @abstractmethod
    def hausdorff_dim(self) -> float:
        """Hausdorff dimension of the set."""

    @property
    def box_dim(self) -> float:
        """Upper box-counting dimension of the set (rate of the optimal covering radius n^(-1/box_dim))."""
        return self.hausdorff_dim

    @property
    def intrinsic_dim(self) -> float:
        """Dimension of the natural measure (what nearest-neighbour estimators see)."""
        return self.hausdorff_dim

    @property
    def periodic(self) -> bool:
        """True for the flat torus: distances wrap around [0, 1)^dim."""
        return False

    @property
    @abstractmethod
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(lo, hi): a box containing the space."""

    @property
    def qmc_dim(self) -> int:
        """Number of uniform coordinates :meth:`from_unit_cube` consumes per point."""
        return self.dim

    @abstractmethod
    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        """Map uniform points of [0, 1)^qmc_dim to the natural measure (used by iid and QMC samplers)."""

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n iid points of the natural measure, shape (n, dim)."""
        n = check_n(n)
        check_rng(rng)
        return self.from_unit_cube(rng.random((n, self.qmc_dim)))

    @abstractmethod
    def root_cells(self, target: int) -> list[CellGroup]:
        """Cells covering the space, about ``target`` of them."""

    def floor_ceil(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """For a subset of R: the largest point <= x and smallest point >= x (nan if none); else None."""
        return None

    def params(self) -> dict[str, Any]:
        """Parameters that rebuild the space with :func:`get_space` (besides name and dim)."""
        return {}

    def describe(self) -> dict[str, Any]:
        """JSON-able description: name, dims, bounds, parameters."""
        lo, hi = self.bounds
        return {"name": self.name, "dim": self.dim, "hausdorff_dim": self.hausdorff_dim, "box_dim": self.box_dim,
                "intrinsic_dim": self.intrinsic_dim, "periodic": self.periodic,
                "bounds": [lo.tolist(), hi.tolist()], "params": self.params()}


# ---------------------------------------------------------------------------------------------- boxes
def _box_cells(lo: np.ndarray, side: float, target: int, keep: Callable[[np.ndarray, float], tuple]
               ) -> CellGroup:
    """A grid of cubic cells of side ``side * 2**-k`` from the box at ``lo``; ``keep(corners, s)`` ->
    (mask, centre_in, nonempty)."""
    d = lo.shape[0]
    g = max(1, int(math.ceil(target ** (1.0 / d))))
    s = side / g
    axes = [lo[i] + s * np.arange(g) for i in range(d)]
    corners = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, d)
    return _make_box_group(corners, np.full(corners.shape[0], s), keep)


def _make_box_group(corners: np.ndarray, sides: np.ndarray, keep: Callable) -> CellGroup:
    mask, centre_in, nonempty = keep(corners, sides)
    corners, sides = corners[mask], sides[mask]
    d = corners.shape[1]

    def split(group: CellGroup) -> CellGroup:
        c0, s0 = group.state
        half = s0 / 2
        offs = np.stack(np.meshgrid(*([np.array([0.0, 1.0])] * d), indexing="ij"), axis=-1).reshape(-1, d)
        kids = (c0[:, None, :] + half[:, None, None] * offs[None, :, :]).reshape(-1, d)
        return _make_box_group(kids, np.repeat(half, offs.shape[0]), keep)

    centres = corners + sides[:, None] / 2
    return CellGroup(centres, sides * math.sqrt(d) / 2, centre_in[mask], nonempty[mask], (corners, sides), split,
                     _take_arrays)


def _all_in(corners: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ones = np.ones(corners.shape[0], dtype=bool)
    return ones, ones, ones


@dataclass(frozen=True, slots=True, eq=False)
class Cube(Space):
    """The unit cube [0, 1]^d with Lebesgue measure."""

    dim: int
    name: str = field(default="cube", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return float(self.dim)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.dim), np.ones(self.dim)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        return np.asarray(u, dtype=float).copy()

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_box_cells(np.zeros(self.dim), 1.0, target, _all_in)]

    def floor_ceil(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        if self.dim != 1:
            return None
        fl = np.where(x >= 0, np.minimum(x, 1.0), np.nan)
        ce = np.where(x <= 1, np.maximum(x, 0.0), np.nan)
        return fl, ce


@dataclass(frozen=True, slots=True, eq=False)
class Torus(Space):
    """The flat torus [0, 1)^d (distances wrap around) with Lebesgue measure."""

    dim: int
    name: str = field(default="torus", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return float(self.dim)

    @property
    def periodic(self) -> bool:
        return True

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.dim), np.ones(self.dim)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        return np.mod(np.asarray(u, dtype=float), 1.0)

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_box_cells(np.zeros(self.dim), 1.0, target, _all_in)]


def _ball_keep(sphere: bool) -> Callable:
    def keep(corners: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        far = corners + sides[:, None]
        nearest = np.clip(0.0, corners, far)
        dmin = np.linalg.norm(nearest, axis=1)
        dmax = np.linalg.norm(np.maximum(np.abs(corners), np.abs(far)), axis=1)
        centre_norm = np.linalg.norm(corners + sides[:, None] / 2, axis=1)
        if sphere:
            mask = (dmin <= 1.0) & (dmax >= 1.0)
            return mask, np.zeros_like(mask), mask
        mask = dmin <= 1.0
        return mask, centre_norm <= 1.0, mask
    return keep


def _normal_from_uniform(u: np.ndarray) -> np.ndarray:
    from scipy.special import ndtri

    return ndtri(np.clip(u, 1e-300, 1 - 2 ** -53))


@dataclass(frozen=True, slots=True, eq=False)
class Sphere(Space):
    """The unit sphere S^(d-1) in R^d with its uniform measure (Euclidean chordal distance)."""

    dim: int
    name: str = field(default="sphere", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return float(self.dim - 1)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return -np.ones(self.dim), np.ones(self.dim)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        g = _normal_from_uniform(np.asarray(u, dtype=float))
        norm = np.linalg.norm(g, axis=1, keepdims=True)
        bad = norm[:, 0] == 0
        g[bad, 0], norm[bad] = 1.0, 1.0
        return g / norm

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_box_cells(-np.ones(self.dim), 2.0, target, _ball_keep(True))]


@dataclass(frozen=True, slots=True, eq=False)
class Ball(Space):
    """The closed unit ball in R^d with Lebesgue measure."""

    dim: int
    name: str = field(default="ball", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return float(self.dim)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return -np.ones(self.dim), np.ones(self.dim)

    @property
    def qmc_dim(self) -> int:
        return self.dim + 1

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        direction = Sphere(self.dim).from_unit_cube(u[:, : self.dim])
        return direction * (u[:, self.dim:] ** (1.0 / self.dim))

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_box_cells(-np.ones(self.dim), 2.0, target, _ball_keep(False))]


# -------------------------------------------------------------------------------------------- fractals
def _ternary_from_uniform(u: np.ndarray, digits: int = 52) -> np.ndarray:
    """Cantor measure from uniform: binary digit b_j of u becomes ternary digit 2 b_j."""
    u = np.asarray(u, dtype=float)
    x = np.zeros_like(u)
    rem = u.copy()
    w = 2.0 / 3.0
    for _ in range(digits):
        rem = rem * 2
        bit = rem >= 1
        rem = rem - bit
        x = x + w * bit
        w /= 3
    return x


def _ifs_cells(maps_offsets: np.ndarray, ratio: float, centre0: np.ndarray, radius0: float, target: int
               ) -> CellGroup:
    """Cells of a self-similar set with maps x -> ratio*x + t_i: pieces offset + scale * K."""
    d = maps_offsets.shape[1]
    branching = maps_offsets.shape[0]
    level = max(0, int(math.ceil(math.log(max(target, 1)) / math.log(branching))))
    offsets = np.zeros((1, d))
    scale = 1.0
    for _ in range(level):
        offsets = (offsets[:, None, :] + scale * maps_offsets[None, :, :]).reshape(-1, d)
        scale *= ratio
    return _ifs_group(offsets, np.full(offsets.shape[0], scale), maps_offsets, ratio, centre0, radius0)


def _ifs_group(offsets: np.ndarray, scales: np.ndarray, maps_offsets: np.ndarray, ratio: float,
               centre0: np.ndarray, radius0: float) -> CellGroup:
    d = offsets.shape[1]

    def split(group: CellGroup) -> CellGroup:
        off, sc = group.state
        kids = (off[:, None, :] + sc[:, None, None] * maps_offsets[None, :, :]).reshape(-1, d)
        return _ifs_group(kids, np.repeat(sc * ratio, maps_offsets.shape[0]), maps_offsets, ratio, centre0,
                          radius0)

    m = offsets.shape[0]
    return CellGroup(offsets + scales[:, None] * centre0, scales * radius0, np.zeros(m, dtype=bool),
                     np.ones(m, dtype=bool), (offsets, scales), split, _take_arrays)


def _cantor_floor_ceil(x: np.ndarray, levels: int = 40) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    fl = np.full_like(x, np.nan)
    ce = np.full_like(x, np.nan)
    fl[x >= 1] = 1.0
    ce[x <= 0] = 0.0
    inside = (x > 0) & (x < 1)
    fl[x == 0] = 0.0
    ce[x == 1] = 1.0
    idx = np.nonzero(inside)[0]
    rem = x[idx].copy()
    base = np.zeros_like(rem)
    scale = 1.0
    done = np.zeros(rem.shape[0], dtype=bool)
    f_out = np.zeros_like(rem)
    c_out = np.zeros_like(rem)
    for _ in range(levels):
        y = rem * 3
        left = y < 1
        right = y >= 2
        mid = ~left & ~right & ~done
        f_out[mid] = base[mid] + scale / 3
        c_out[mid] = base[mid] + 2 * scale / 3
        done |= mid
        rem = np.where(right, y - 2, np.where(left, y, rem))
        base = np.where(right & ~done, base + 2 * scale / 3, base)
        scale /= 3
    # not resolved within `levels` digits: x is within 3^-levels of a Cantor point
    f_out[~done] = base[~done]
    c_out[~done] = base[~done] + scale
    fl[idx] = f_out
    ce[idx] = c_out
    return fl, ce


@dataclass(frozen=True, slots=True, eq=False)
class Cantor(Space):
    """The middle-third Cantor set with the Cantor measure; dimensions log 2 / log 3."""

    dim: int = 1
    name: str = field(default="cantor", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return LOG2_LOG3

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(1), np.ones(1)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        return _ternary_from_uniform(u)

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_ifs_cells(np.array([[0.0], [2 / 3]]), 1 / 3, np.array([0.5]), 0.5, target)]

    def floor_ceil(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        return _cantor_floor_ceil(x)


@dataclass(frozen=True, slots=True, eq=False)
class CantorDust(Space):
    """C^d, the product of middle-third Cantor sets, with the product measure; dimensions d log 2 / log 3."""

    dim: int = 2
    name: str = field(default="cantor_dust", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return self.dim * LOG2_LOG3

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.dim), np.ones(self.dim)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        return _ternary_from_uniform(u)

    def root_cells(self, target: int) -> list[CellGroup]:
        d = self.dim
        offs = np.stack(np.meshgrid(*([np.array([0.0, 2 / 3])] * d), indexing="ij"), axis=-1).reshape(-1, d)
        return [_ifs_cells(offs, 1 / 3, np.full(d, 0.5), math.sqrt(d) / 2, target)]


_GASKET = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, _SQRT3 / 2]])


@dataclass(frozen=True, slots=True, eq=False)
class Sierpinski(Space):
    """The Sierpinski gasket with its self-similar measure; dimensions log 3 / log 2."""

    dim: int = 2
    name: str = field(default="sierpinski", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return math.log(3) / math.log(2)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(2), np.array([1.0, _SQRT3 / 2])

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        x = np.zeros((u.shape[0], 2))
        w = 0.5
        for col in range(u.shape[1]):
            rem = u[:, col].copy()
            for _ in range(30):
                rem = rem * 3
                digit = np.minimum(np.floor(rem), 2).astype(int)
                rem = rem - digit
                x += w * _GASKET[digit]
                w /= 2
        return x

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_ifs_cells(_GASKET / 2, 0.5, np.array([0.5, _SQRT3 / 6]), 1 / _SQRT3, target)]


@dataclass(frozen=True, slots=True, eq=False)
class Countable(Space):
    """{0} ∪ {k^-p : k >= 1}: Hausdorff dimension 0, box dimension 1/(1+p).

    Natural measure: the point k^-p has mass 1/(k(k+1)) (the atom 0 has mass 0), sampled exactly as
    k = floor(1/U).
    """

    p: float = 1.0
    dim: int = 1
    name: str = field(default="countable", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return 0.0

    @property
    def box_dim(self) -> float:
        return 1.0 / (1.0 + self.p)

    @property
    def intrinsic_dim(self) -> float:
        return 0.0

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(1), np.ones(1)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        v = 1.0 - np.asarray(u, dtype=float)  # in (0, 1]
        k = np.floor(1.0 / v)
        return k ** (-self.p)

    def points(self, n: int) -> np.ndarray:
        """The n largest points with 0: {0} ∪ {k^-p : k < n} (n >= 1), shape (n, 1)."""
        n = check_n(n)
        k = np.arange(1, n, dtype=float)
        return np.concatenate([[0.0], k ** (-self.p)])[:, None]

    def root_cells(self, target: int) -> list[CellGroup]:
        kmax = max(int(target), 2)
        pts = np.arange(1, kmax + 1, dtype=float) ** (-self.p)
        tail = (kmax + 1.0) ** (-self.p)
        centres = np.concatenate([pts, [tail / 2]])[:, None]
        radii = np.concatenate([np.zeros(kmax), [tail / 2]])
        centre_in = np.concatenate([np.ones(kmax, dtype=bool), [False]])
        p = self.p

        def make(centres: np.ndarray, radii: np.ndarray, centre_in: np.ndarray, state: np.ndarray) -> CellGroup:
            return CellGroup(centres, radii, centre_in, np.ones(len(radii), dtype=bool), state, split,
                             lambda s, m: s[m])

        def split(group: CellGroup) -> CellGroup:
            # only the tail cell [0, (k+1)^-p] (state = k) splits: into points k+1..4k and a smaller tail
            ks = group.state
            out_c, out_r, out_in, out_s = [], [], [], []
            for i, k in enumerate(ks):
                if k < 0:
                    out_c.append(group.centres[i:i + 1, 0]), out_r.append(group.radii[i:i + 1])
                    out_in.append(group.centre_in[i:i + 1]), out_s.append(np.array([-1]))
                    continue
                knew = np.arange(k + 1, 4 * k + 1, dtype=float)
                t = (4.0 * k + 1) ** (-p)
                out_c.append(np.concatenate([knew ** (-p), [t / 2]]))
                out_r.append(np.concatenate([np.zeros(knew.shape[0]), [t / 2]]))
                out_in.append(np.concatenate([np.ones(knew.shape[0], dtype=bool), [False]]))
                out_s.append(np.concatenate([np.full(knew.shape[0], -1), [4 * k]]))
            return make(np.concatenate(out_c)[:, None], np.concatenate(out_r), np.concatenate(out_in),
                        np.concatenate(out_s))

        state = np.concatenate([np.full(kmax, -1), [kmax]])
        return [make(centres, radii, centre_in, state)]

    def floor_ceil(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        x = np.asarray(x, dtype=float)
        p = self.p
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            t = np.where(x > 0, x, 1.0) ** (-1.0 / p)
            kf = np.maximum(np.ceil(t), 1.0)      # smallest k with k^-p <= x
            kf = np.where((kf - 1 >= 1) & ((kf - 1) ** (-p) <= x), kf - 1, kf)
            kf = np.where(kf ** (-p) > x, kf + 1, kf)
            fl = np.where(x >= 1, 1.0, np.where(x > 0, kf ** (-p), np.where(x == 0, 0.0, np.nan)))
            kc = np.floor(t)                       # largest k with k^-p >= x
            kc = np.where(((kc + 1) ** (-p) >= x), kc + 1, kc)
            kc = np.where((kc >= 1) & (kc ** (-p) < x), kc - 1, kc)
            ce = np.where(x <= 0, 0.0, np.where(x > 1, np.nan, np.where(kc >= 1, kc ** (-p), 0.0)))
        return fl, ce

    def params(self) -> dict[str, Any]:
        return {"p": self.p}


# ------------------------------------------------------------------------------------- compositions
@dataclass(frozen=True, slots=True, eq=False)
class Union(Space):
    """A disjoint union of pieces placed side by side along the first axis (gap 1/2), mixture measure.

    Hausdorff and box dimension: the maximum over the pieces; intrinsic dimension: the maximum over pieces
    of positive weight.
    """

    pieces: tuple[Space, ...]
    weights: tuple[float, ...]
    offsets: tuple[float, ...]
    dim: int
    name: str = field(default="union", init=False)

    @property
    def hausdorff_dim(self) -> float:
        return max(p.hausdorff_dim for p in self.pieces)

    @property
    def box_dim(self) -> float:
        return max(p.box_dim for p in self.pieces)

    @property
    def intrinsic_dim(self) -> float:
        return max(p.intrinsic_dim for p, w in zip(self.pieces, self.weights) if w > 0)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.full(self.dim, np.inf)
        hi = np.full(self.dim, -np.inf)
        for p, off in zip(self.pieces, self.offsets):
            plo, phi = self._place(np.stack(p.bounds), off)
            lo = np.minimum(lo, np.minimum(plo, 0) if p.dim < self.dim else plo)
            hi = np.maximum(hi, phi)
        lo[np.isinf(lo)] = 0.0
        return lo, hi

    def _place(self, x: np.ndarray, off: float) -> np.ndarray:
        out = np.zeros((x.shape[0], self.dim))
        out[:, : x.shape[1]] = x
        out[:, 0] += off
        return out

    @property
    def qmc_dim(self) -> int:
        return 1 + max(p.qmc_dim for p in self.pieces)

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        cum = np.cumsum(self.weights) / np.sum(self.weights)
        which = np.minimum(np.searchsorted(cum, u[:, 0], side="right"), len(self.pieces) - 1)
        out = np.zeros((u.shape[0], self.dim))
        for i, (p, off) in enumerate(zip(self.pieces, self.offsets)):
            sel = which == i
            if np.any(sel):
                out[sel] = self._place(p.from_unit_cube(u[sel, 1: 1 + p.qmc_dim]), off)
        return out

    def root_cells(self, target: int) -> list[CellGroup]:
        groups = []
        for p, off in zip(self.pieces, self.offsets):
            for g in p.root_cells(max(1, target // len(self.pieces))):
                groups.append(_placed_group(g, self, off))
        return groups

    def params(self) -> dict[str, Any]:
        return {"pieces": [{"name": p.name, "dim": p.dim, **p.params()} for p in self.pieces],
                "weights": list(self.weights)}


def _placed_group(g: CellGroup, union: Union, off: float) -> CellGroup:
    def split(group: CellGroup) -> CellGroup:
        return _placed_group(group.state.split(group.state), union, off)

    def take_state(state: CellGroup, mask: np.ndarray) -> CellGroup:
        return state.take(mask)

    return CellGroup(union._place(g.centres, off), g.radii, g.centre_in, g.nonempty, g, split, take_state)


@dataclass(frozen=True, slots=True, eq=False)
class Embedded(Space):
    """A base space pushed into R^D by a Lipschitz generative map (the image measure).

    When ``bilipschitz`` (the map is injective with Lipschitz inverse on the base, e.g. a linear map of full
    column rank) the dimensions are the base's; otherwise they are upper bounds and ``describe()`` says so.
    """

    base: Space
    map: LipschitzFunction
    bilipschitz: bool
    name: str = field(default="embedded", init=False)

    @property
    def dim(self) -> int:  # type: ignore[override]
        return self.map.out_dim

    @property
    def hausdorff_dim(self) -> float:
        return self.base.hausdorff_dim

    @property
    def box_dim(self) -> float:
        return self.base.box_dim

    @property
    def intrinsic_dim(self) -> float:
        return self.base.intrinsic_dim

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.base.bounds
        centre = (lo + hi) / 2
        reach = self.map.lipschitz * float(np.linalg.norm(hi - lo)) / 2
        c = self.map(centre[None, :])[0]
        return c - reach, c + reach

    @property
    def qmc_dim(self) -> int:
        return self.base.qmc_dim

    def from_unit_cube(self, u: np.ndarray) -> np.ndarray:
        return self.map(self.base.from_unit_cube(u))

    def root_cells(self, target: int) -> list[CellGroup]:
        return [_mapped_group(g, self.map) for g in self.base.root_cells(target)]

    def params(self) -> dict[str, Any]:
        return {"base": self.base.describe(), "map": self.map.describe(), "bilipschitz": self.bilipschitz,
                "dims_exact": self.bilipschitz}


def _mapped_group(g: CellGroup, fmap: LipschitzFunction) -> CellGroup:
    def split(group: CellGroup) -> CellGroup:
        return _mapped_group(group.state.split(group.state), fmap)

    def take_state(state: CellGroup, mask: np.ndarray) -> CellGroup:
        return state.take(mask)

    centres = fmap(g.centres) if len(g) else np.zeros((0, fmap.out_dim))
    return CellGroup(centres, g.radii * fmap.lipschitz, g.centre_in, g.nonempty, g, split, take_state)


# --------------------------------------------------------------------------------------------- factory
SPACES = ("cube", "torus", "sphere", "ball", "cantor", "cantor_dust", "sierpinski", "countable", "union",
          "embedded")


def _parse_pieces(pieces: Any) -> list[tuple[str, int | None, dict]]:
    if isinstance(pieces, str):
        out = []
        for item in pieces.split(","):
            item = item.strip()
            if not item:
                continue
            nm, _, dm = item.partition(":")
            out.append((nm.strip(), int(dm) if dm.strip() else None, {}))
        return out
    out = []
    for item in pieces:
        if isinstance(item, Space):
            out.append((item, None, {}))
        elif isinstance(item, (tuple, list)):
            out.append((item[0], item[1] if len(item) > 1 else None, dict(item[2]) if len(item) > 2 else {}))
        elif isinstance(item, dict):
            item = dict(item)
            out.append((item.pop("name"), item.pop("dim", None), item))
        else:
            raise UsageError(f"a union piece must be 'name:dim', (name, dim) or a dict, got {item!r}")
    return out


def get_space(name: str, dim: int | None = None, **params: Any) -> Space:
    """Build a latent space by name.

    Args:
        name: one of :data:`SPACES`.
        dim: the space's size parameter (see the module table); None for the default.
        **params: ``p`` (countable, default 1); ``pieces`` ("cube:2,cube:1" or a list) and ``weights`` (union);
            ``base`` (default "cube"), ``ambient`` (default 2*dim), ``map`` ("linear" default, "relu",
            "sinusoid"), ``seed`` (default 0, builds the map), ``scale`` (map constant, default 1) (embedded).

    Returns:
        The :class:`Space`.

    Raises:
        UsageError: unknown name, a dimension the space does not have, unknown or bad parameters.
    """
    check_choice(name, SPACES, "space")
    allowed_params = {"countable": {"p"}, "union": {"pieces", "weights"},
                      "embedded": {"base", "ambient", "map", "seed", "scale"}}.get(name, set())
    extra = set(params) - allowed_params
    if extra:
        raise UsageError(f"space '{name}' takes no parameter(s) {', '.join(sorted(extra))}"
                         + (f" (allowed: {', '.join(sorted(allowed_params))})" if allowed_params else ""))
    if name in ("cube", "torus", "ball"):
        return {"cube": Cube, "torus": Torus, "ball": Ball}[name](check_dim(2 if dim is None else dim, name))
    if name == "sphere":
        return Sphere(check_dim(3 if dim is None else dim, name, minimum=2))
    if name == "cantor":
        check_dim(1 if dim is None else dim, name, allowed=(1,))
        return Cantor()
    if name == "cantor_dust":
        return CantorDust(check_dim(2 if dim is None else dim, name))
    if name == "sierpinski":
        check_dim(2 if dim is None else dim, name, allowed=(2,))
        return Sierpinski()
    if name == "countable":
        check_dim(1 if dim is None else dim, name, allowed=(1,))
        return Countable(check_positive(params.get("p", 1.0), "p"))
    if name == "union":
        specs = _parse_pieces(params.get("pieces", "cube:2,cube:1"))
        if len(specs) < 1:
            raise UsageError("a union needs at least one piece")
        pieces = []
        for nm, dm, kw in specs:
            if isinstance(nm, Space):
                pieces.append(nm)
                continue
            if nm in ("union", "embedded"):
                raise UsageError(f"a union piece cannot be '{nm}'")
            pieces.append(get_space(nm, dm, **kw))
        weights = params.get("weights")
        weights = tuple(1.0 for _ in pieces) if weights is None else tuple(
            check_positive(w, "weights[]", allow_zero=True) for w in weights)
        if len(weights) != len(pieces) or sum(weights) <= 0:
            raise UsageError("union weights: one non-negative weight per piece, not all zero")
        ambient = max(p.dim for p in pieces)
        if dim is not None and check_dim(dim, name) != ambient:
            raise UsageError(f"space 'union' of these pieces has ambient dimension {ambient}, not {dim}")
        offsets, pos = [], 0.0
        for p in pieces:
            lo, hi = p.bounds
            offsets.append(pos - float(lo[0]))
            pos += float(hi[0] - lo[0]) + 0.5
        return Union(tuple(pieces), weights, tuple(offsets), ambient)
    # embedded
    d = check_dim(2 if dim is None else dim, name)
    base_name = params.get("base", "cube")
    if base_name in ("union", "embedded"):
        raise UsageError(f"an embedded space cannot have base '{base_name}'")
    base = base_name if isinstance(base_name, Space) else get_space(base_name, d)
    ambient = check_dim(params.get("ambient", 2 * base.dim), "embedded (ambient)")
    map_name = params.get("map", "linear")
    seed = params.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"embedded: seed must be a non-negative integer, got {seed!r}")
    fmap = get_map(map_name, base.dim, ambient, np.random.default_rng(seed),
                   scale=check_positive(params.get("scale", 1.0), "scale"))
    bilip = False
    if isinstance(fmap, LinearMap):
        s = np.linalg.svd(fmap.weight, compute_uv=False)
        bilip = bool(ambient >= base.dim and s[-1] > 1e-9 * s[0])
    elif isinstance(fmap, IdentityMap):
        bilip = True
    return Embedded(base, fmap, bilip)


def space_from_dict(data: dict[str, Any]) -> Space:
    """Rebuild a space from ``describe()`` output (for replayable examples)."""
    name = data["name"]
    params = dict(data.get("params") or {})
    if name == "countable":
        return get_space(name, data.get("dim"), p=params.get("p", 1.0))
    if name == "union":
        return get_space(name, None, pieces=params["pieces"], weights=params.get("weights"))
    if name == "embedded":
        raise UsageError("embedded spaces are rebuilt from their construction parameters, not describe()")
    if name == "sphere":
        return get_space(name, data.get("dim"))
    return get_space(name, data.get("dim"))
