"""Smooth latent spaces (empirical layer): cube, flat torus, sphere, ball, covered by grid boxes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._space_base import CellGroup, Space, take_arrays

__all__ = ["Cube", "Torus", "Sphere", "Ball"]


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
                     take_arrays)


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
