"""The ``spread`` sampler (empirical layer, numpy/scipy only): n well-spread points, placed to make the
covering radius small. This is the premise of the latent-space bound ("n well-spread samples"), so a
conjecture about it must be tested with such points.

* On a subset of the line that can answer floor/ceil queries (``Space.floor_ceil``: the interval, the
  Cantor set, the countable sets) it is the greedy covering with centres in the set, which is optimal in
  one dimension: from the leftmost uncovered point a, the centre is the largest point of the set <= a + r
  and the next uncovered point the smallest one > centre + r; the smallest r that needs at most n centres
  is found by bisection, all candidate radii advancing together (vectorised).
* Elsewhere it is farthest-point sampling (Gonzalez' greedy k-centre, a 2-approximation of the optimal
  covering radius) from a pool of 16n points of the space (scrambled Sobol points of the unit cube pushed
  to the space, at most 65536): a pool proportional to n keeps the quality of the spread the same at
  every n, so the spread's covering radius follows the space's own rate.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["SPREAD", "draw_spread", "greedy_cover_1d", "spread_is_deterministic"]

SPREAD = "spread"
_POOL_FACTOR = 16
_POOL_MAX = 65_536


def _fc(space: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out = space.floor_ceil(x)
    assert out is not None
    return out


def _run_greedy(space: Any, radii: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each radius, whether n centres suffice, and the centres of the last radius that succeeds."""
    lo, hi = (float(b[0]) for b in space.bounds)
    _, first = _fc(space, np.array([lo]))
    a = np.full(radii.shape, first[0])
    centres = np.full((radii.shape[0], n), np.nan)
    active = np.ones(radii.shape, dtype=bool)
    for step in range(n):
        idx = np.nonzero(active)[0]
        if idx.size == 0:
            break
        fl, _ = _fc(space, np.minimum(a[idx] + radii[idx], hi))
        c = np.where(np.isnan(fl), a[idx], np.maximum(fl, a[idx]))
        centres[idx, step] = c
        _, ce = _fc(space, np.nextafter(c + radii[idx], np.inf))
        a[idx] = ce
        active[idx] = ~np.isnan(ce)
    return ~active, centres


def greedy_cover_1d(space: Any, n: int, *, rounds: int = 2, width: int = 64) -> tuple[np.ndarray, float]:
    """Optimal n-point covering (centres in the set) of a 1-D space with ``floor_ceil``.

    Returns:
        (centres of shape (m, 1) with m <= n, the covering radius r they achieve, within a relative
        ``(1/width)**rounds`` of the optimum).
    """
    lo, hi = (float(b[0]) for b in space.bounds)
    r_lo, r_hi = 0.0, (hi - lo) / 2 + 1e-12
    best_c: np.ndarray | None = None
    for _ in range(rounds):
        if r_lo > 0:
            radii = np.geomspace(r_lo, r_hi, width)
        else:
            radii = np.concatenate([np.geomspace(max(r_hi * 1e-12, 1e-300), r_hi, width - 1)])
        ok, centres = _run_greedy(space, radii, n)
        k = int(np.argmax(ok)) if ok.any() else len(radii) - 1
        r_hi = float(radii[k])
        best_c = centres[k]
        if k > 0:
            r_lo = float(radii[k - 1])
    assert best_c is not None
    c = best_c[~np.isnan(best_c)]
    return np.unique(c)[:, None], r_hi


def _pool(space: Any, m: int, rng: np.random.Generator) -> np.ndarray:
    """m points of the space from scrambled Sobol points of the unit cube (low discrepancy: the pool's own
    covering radius has no log factor, so it does not limit the spread's rate)."""
    import warnings

    from scipy.stats import qmc

    engine = qmc.Sobol(d=space.qmc_dim, scramble=True, seed=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        u = engine.random(m)
    return np.asarray(space.from_unit_cube(np.clip(u, 0.0, np.nextafter(1.0, 0.0))), dtype=float)


def _farthest_point(space: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    pool = _pool(space, min(_POOL_MAX, max(_POOL_FACTOR * n, 1024)), rng)
    if n >= len(pool):
        return pool
    periodic = bool(getattr(space, "periodic", False))
    chosen = np.empty(n, dtype=int)
    chosen[0] = int(rng.integers(len(pool)))

    def dist(rows: np.ndarray, p: np.ndarray) -> np.ndarray:
        diff = np.abs(rows - p)
        if periodic:
            diff = np.minimum(diff, 1.0 - diff)
        return np.sqrt(np.einsum("ij,ij->i", diff, diff))

    # Only pool points within the current largest distance r of the new centre can get closer to the chosen
    # set, so each step updates a k-d tree ball of radius r (slightly inflated, so no point with a smaller
    # distance is missed) instead of the whole pool: the same greedy sequence at a fraction of the cost.
    from scipy.spatial import cKDTree

    if periodic:
        wrapped = np.mod(pool, 1.0)
        wrapped[wrapped >= 1.0] = 0.0
        tree = cKDTree(wrapped, boxsize=1.0)
        centres = wrapped
    else:
        tree = cKDTree(pool)
        centres = pool
    best = dist(pool, pool[chosen[0]])
    for i in range(1, n):
        j = int(np.argmax(best))
        chosen[i] = j
        r = float(best[j])
        if r * 4 > 1.0:  # early steps: the ball holds most of the pool
            np.minimum(best, dist(pool, pool[j]), out=best)
            continue
        idx = np.asarray(tree.query_ball_point(centres[j], r * (1 + 1e-9) + 1e-300, return_sorted=False),
                         dtype=np.intp)
        if idx.size:
            best[idx] = np.minimum(best[idx], dist(pool[idx], pool[j]))
    return pool[chosen]


_GREEDY_CACHE: dict[tuple[str, int], np.ndarray] = {}


def draw_spread(space: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """n (or fewer) well-spread points of ``space``; see the module docstring."""
    if space.dim == 1 and space.floor_ceil(np.array([0.5])) is not None:
        # deterministic: computed once per (space, n) in a process (a search draws it for every repetition)
        key = (repr(space.describe()), int(n))
        pts = _GREEDY_CACHE.get(key)
        if pts is None:
            if len(_GREEDY_CACHE) > 256:
                _GREEDY_CACHE.clear()
            pts = _GREEDY_CACHE[key] = greedy_cover_1d(space, n)[0]
        return pts.copy()
    return _farthest_point(space, n, rng)


def spread_is_deterministic(space: Any) -> bool:
    """Whether ``spread`` ignores its random source on ``space`` (the greedy covering of a 1-D set)."""
    return space.dim == 1 and space.floor_ceil(np.array([0.5])) is not None

