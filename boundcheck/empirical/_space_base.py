"""Latent-space base types (empirical layer): :class:`Space` and the cells that cover a space.

A cell is a centre c and a radius r such that every point of the space in the cell lies within r of c;
:mod:`._distances` uses cells for the certified covering-radius bound.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._check import check_n, check_rng

__all__ = ["Space", "CellGroup", "take_arrays"]


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


def take_arrays(state: tuple[np.ndarray, ...], mask: np.ndarray) -> tuple[np.ndarray, ...]:
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
