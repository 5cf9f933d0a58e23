"""Fractal and countable latent spaces (empirical layer): Cantor set, Cantor dust, Sierpinski gasket,
{0} ∪ {k^-p}. Self-similar sets are covered by their own pieces (offset + scale * K)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._check import check_n
from ._space_base import CellGroup, Space, take_arrays

__all__ = ["Cantor", "CantorDust", "Sierpinski", "Countable", "LOG2_LOG3"]

LOG2_LOG3 = math.log(2) / math.log(3)
_SQRT3 = math.sqrt(3.0)


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
                     np.ones(m, dtype=bool), (offsets, scales), split, take_arrays)


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
        if done.all():  # nothing left to resolve: the remaining levels would change nothing
            break
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
