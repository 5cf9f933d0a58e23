"""Composite latent spaces (empirical layer): disjoint unions and spaces pushed forward by a map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._lipschitz import LipschitzFunction
from ._space_base import CellGroup, Space

__all__ = ["Union", "Embedded"]


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
