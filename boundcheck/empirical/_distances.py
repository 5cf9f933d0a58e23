"""Nearest-sample distances and covering radii (empirical layer, scipy's cKDTree).

The covering radius of a finite set S in a space Z is sup_{z in Z} dist(z, S). It is reported with its kind:

``exact``          subsets of R with known nearest points (interval, circle, Cantor set, countable sets):
                   the supremum is attained at the point of Z nearest to the midpoint of a gap of S.
``upper``          a certified upper bound by branch and bound over cells that cover Z: for a cell with
                   centre c and radius r, sup over the cell of dist(z, S) <= dist(c, S) + r. Cells whose
                   bound is below a certified lower bound are dropped; the others are split until the bound is
                   within ``rtol`` of the lower bound or the cell budget is spent (the bound stays valid
                   either way, only looser).
``lower-estimate`` the maximum of dist(z, S) over Monte Carlo points z of Z: a lower bound of the covering
                   radius, never an upper bound.

Floating-point rounding in the distances (relative ~1e-15) is covered by inflating upper bounds by a
relative 1e-12.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from ..errors import UsageError
from ._check import check_choice, check_n, check_points, check_positive, check_rng, check_values
from ._spaces import CellGroup, Space

__all__ = ["nearest_distance", "good_sample_distance", "covering_radius", "CoveringRadius", "COVERING_KINDS",
           "COVERING_METHODS", "build_tree"]

COVERING_KINDS = ("exact", "upper", "lower-estimate")
COVERING_METHODS = ("auto", "exact", "upper", "lower-estimate")
_BATCH = 1 << 17
_INFLATE = 1.0 + 1e-12


def build_tree(train: np.ndarray, periodic: bool = False) -> cKDTree:
    """A cKDTree on ``train``; on the torus (periodic) coordinates are wrapped into [0, 1)."""
    if periodic:
        train = np.mod(train, 1.0)
        train[train >= 1.0] = 0.0
        return cKDTree(train, boxsize=1.0)
    return cKDTree(train)


def _query(tree: cKDTree, queries: np.ndarray, periodic: bool, workers: int = -1,
           return_index: bool = False) -> tuple[np.ndarray, np.ndarray]:
    if periodic:
        queries = np.mod(queries, 1.0)
        queries[queries >= 1.0] = 0.0
    dist = np.empty(queries.shape[0])
    idx = np.empty(queries.shape[0], dtype=np.intp)
    for start in range(0, queries.shape[0], _BATCH):
        d, i = tree.query(queries[start:start + _BATCH], k=1, workers=workers)
        dist[start:start + _BATCH] = d
        idx[start:start + _BATCH] = i
    return dist, idx


def nearest_distance(train: Any, queries: Any, *, periodic: bool = False, workers: int = -1,
                     return_index: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Euclidean (or flat-torus) distance from each query to its nearest training point.

    Args:
        train: (n, d) training points.
        queries: (m, d) query points.
        periodic: distances on the unit torus [0, 1)^d.
        workers: threads for cKDTree (-1: all cores).
        return_index: also return the index of the nearest training point.

    Returns:
        (m,) distances, and (m,) indices when ``return_index``.

    Raises:
        UsageError: empty, non-finite or mismatched arrays.
    """
    train = check_points(train, "train")
    queries = check_points(queries, "queries", train.shape[1], allow_empty=True)
    tree = build_tree(train, periodic)
    dist, idx = _query(tree, queries, periodic, workers)
    return (dist, idx) if return_index else dist


def good_sample_distance(train: Any, train_loss_values: Any, threshold: float, queries: Any, *,
                         periodic: bool = False, workers: int = -1, return_index: bool = False
                         ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Distance from each query to the nearest *good* training point (loss <= threshold).

    Returns +inf for every query when no training point is good. Indices refer to rows of ``train``
    (-1 when there is no good point).

    Raises:
        UsageError: non-finite inputs, mismatched lengths.
    """
    train = check_points(train, "train")
    losses = check_values(train_loss_values, "train_loss_values", train.shape[0])
    thr = float(threshold)
    if not math.isfinite(thr):
        raise UsageError(f"threshold must be finite, got {threshold!r}")
    queries = check_points(queries, "queries", train.shape[1], allow_empty=True)
    good = np.nonzero(losses <= thr)[0]
    if good.size == 0:
        dist = np.full(queries.shape[0], np.inf)
        idx = np.full(queries.shape[0], -1, dtype=np.intp)
    else:
        dist, sub = _query(build_tree(train[good], periodic), queries, periodic, workers)
        idx = good[sub]
    return (dist, idx) if return_index else dist


@dataclass(frozen=True, slots=True)
class CoveringRadius:
    """A covering radius with its kind.

    Invariants: ``kind`` in COVERING_KINDS; for ``exact`` value == lower == upper; for ``upper``
    value == upper >= true radius >= lower; for ``lower-estimate`` value == lower and upper is None.
    """

    value: float
    kind: str
    lower: float
    upper: float | None
    method: str
    n_points: int
    cells: int = 0
    converged: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "kind": self.kind, "lower": self.lower, "upper": self.upper,
                "method": self.method, "n_points": self.n_points, "cells": self.cells, "converged": self.converged}


def _exact_1d(points: np.ndarray, space: Space) -> CoveringRadius | None:
    fc = space.floor_ceil
    if space.dim != 1:
        return None
    s = np.unique(points[:, 0])
    n = int(points.shape[0])
    if space.periodic:
        s = np.unique(np.mod(s, 1.0))
        gaps = np.diff(np.concatenate([s, [s[0] + 1.0]]))
        v = float(np.max(gaps) / 2)
        return CoveringRadius(v, "exact", v, v, "exact-1d", n)
    probe = fc(np.array([0.5]))
    if probe is None:
        return None
    lo_all, hi_all = space.bounds
    zmin = fc(np.array([lo_all[0] - 1.0]))[1][0]
    zmax = fc(np.array([hi_all[0] + 1.0]))[0][0]
    best = 0.0
    if zmin < s[0]:
        best = max(best, s[0] - zmin)
    if zmax > s[-1]:
        best = max(best, zmax - s[-1])
    if s.shape[0] > 1:
        a, b = s[:-1], s[1:]
        m = (a + b) / 2
        fl, ce = fc(m)
        for z in (fl, ce):
            ok = np.isfinite(z) & (z >= a) & (z <= b)
            if np.any(ok):
                best = max(best, float(np.max(np.minimum(z[ok] - a[ok], b[ok] - z[ok]))))
    return CoveringRadius(float(best), "exact", float(best), float(best), "exact-1d", n)


def _lower_mc(tree: cKDTree, space: Space, periodic: bool, m: int, rng: np.random.Generator) -> float:
    z = space.sample(m, rng)
    d, _ = _query(tree, z, periodic)
    return float(np.max(d))


def _branch_and_bound(tree: cKDTree, space: Space, periodic: bool, n: int, *, rtol: float, max_cells: int,
                      lower0: float) -> tuple[float, float, int, bool]:
    groups: list[CellGroup] = space.root_cells(max(64, min(4 * n, max_cells // 4)))
    lb = lower0
    settled_ub = -np.inf
    evaluated = 0
    converged = False
    while True:
        ubs, lbs = [], []
        for g in groups:
            if len(g) == 0:
                ubs.append(np.zeros(0))
                lbs.append(np.zeros(0))
                continue
            d, _ = _query(tree, g.centres, periodic)
            evaluated += len(g)
            ubs.append((d + g.radii) * _INFLATE)
            lbs.append(np.where(g.centre_in, d, np.where(g.nonempty, d - g.radii, -np.inf)))
        for arr in lbs:
            if arr.size:
                lb = max(lb, float(np.max(arr)))
        target = lb * (1 + rtol)
        next_groups = []
        live_max = -np.inf
        for g, ub in zip(groups, ubs):
            if ub.size == 0:
                continue
            keep = ub > lb
            settle = keep & (ub <= target)
            if np.any(settle):
                settled_ub = max(settled_ub, float(np.max(ub[settle])))
            refine = ub > target
            if np.any(refine):
                live_max = max(live_max, float(np.max(ub[refine])))
                next_groups.append(g.take(np.nonzero(refine)[0]))
        if not next_groups:
            converged = True
            break
        n_next = sum(len(g) for g in next_groups)
        children = [g.split(g) for g in next_groups]
        n_children = sum(len(g) for g in children)
        if evaluated + n_children > max_cells:
            settled_ub = max(settled_ub, live_max)
            break
        del n_next
        groups = children
    upper = max(lb, settled_ub)
    return float(upper), float(lb), evaluated, converged


def covering_radius(points: Any, space: Space, *, method: str = "auto", rtol: float = 1e-3,
                    max_cells: int = 20_000_000, mc_points: int = 100_000,
                    rng: np.random.Generator | None = None) -> CoveringRadius:
    """The covering radius sup_{z in space} dist(z, points), with its kind.

    Args:
        points: (n, d) sample points (need not lie in the space).
        space: the space to cover.
        method: ``auto`` (exact in 1-D when available, else ``upper`` when the cells are affordable
            (intrinsic dimension <= 4), else ``lower-estimate``), ``exact``, ``upper``, ``lower-estimate``.
        rtol: relative gap at which branch and bound stops.
        max_cells: budget of cells evaluated by branch and bound.
        mc_points: Monte Carlo points for the lower estimate (and to seed branch and bound).
        rng: random source for the Monte Carlo points (default: a fixed seed 0).

    Returns:
        A :class:`CoveringRadius`. An ``upper`` result is a true upper bound even when not ``converged``.

    Raises:
        UsageError: bad method, non-finite points, dimension mismatch, or ``exact`` where unavailable.
    """
    check_choice(method, COVERING_METHODS, "covering-radius method")
    if not isinstance(space, Space):
        raise UsageError(f"space must be a Space (see get_space), got {type(space)}")
    pts = check_points(points, "points", space.dim)
    rtol = check_positive(rtol, "rtol")
    max_cells = check_n(max_cells, "max_cells")
    mc_points = check_n(mc_points, "mc_points")
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    n = int(pts.shape[0])
    if method in ("auto", "exact"):
        res = _exact_1d(pts, space)
        if res is not None:
            return res
        if method == "exact":
            raise UsageError(f"no exact covering radius for space '{space.name}' (dim {space.dim}): "
                             "use method='upper' or 'lower-estimate'")
        method = "upper" if (space.box_dim <= 4.0 + 1e-9 and _affordable(space)) else "lower-estimate"
    tree = build_tree(pts, space.periodic)
    lower = _lower_mc(tree, space, space.periodic, mc_points, rng)
    if method == "lower-estimate":
        return CoveringRadius(lower, "lower-estimate", lower, None, "monte-carlo", n, cells=mc_points)
    upper, lb, cells, converged = _branch_and_bound(tree, space, space.periodic, n, rtol=rtol, max_cells=max_cells,
                                                    lower0=lower)
    return CoveringRadius(upper, "upper", lb, upper, "branch-and-bound", n, cells=cells, converged=converged)


def _affordable(space: Space) -> bool:
    """Cells split into 2^D children (D the coordinate dimension of the cell grid): keep D <= 4."""
    base = getattr(space, "base", None)
    s = base if base is not None else space
    pieces = getattr(s, "pieces", None)
    if pieces is not None:
        return all(p.dim <= 4 for p in pieces)
    return s.dim <= 4
