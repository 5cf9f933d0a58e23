"""Dimension estimates from point samples (empirical layer, numpy/scipy only).

* box counting: number of occupied grid boxes N(eps) over a fit range of scales, slope of log N vs log 1/eps;
* correlation dimension (Grassberger–Procaccia): slope of log C(r) vs log r, C(r) the fraction of pairs
  closer than r (counted with cKDTree.count_neighbors);
* Levina–Bickel maximum likelihood with k neighbours (MacKay–Ghahramani averaging) and TwoNN (Facco et al.
  2017, maximum likelihood form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from ..errors import UsageError
from ._check import check_n, check_points, check_positive, check_rng

__all__ = ["DimensionEstimate", "box_counting_dimension", "correlation_dimension", "mle_dimension",
           "twonn_dimension"]


@dataclass(frozen=True, slots=True)
class DimensionEstimate:
    """A dimension estimate; ``scales``/``counts`` are the data of the fit (empty for k-NN estimators)."""

    value: float
    method: str
    scales: tuple[float, ...] = ()
    counts: tuple[float, ...] = ()
    fit_range: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "method": self.method, "scales": list(self.scales), "counts": list(self.counts),
                "fit_range": list(self.fit_range) if self.fit_range else None}


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    xm, ym = x.mean(), y.mean()
    return float(np.sum((x - xm) * (y - ym)) / np.sum((x - xm) ** 2))


def _count_distinct_rows(idx: np.ndarray) -> int:
    if idx.shape[1] == 1:
        return int(np.unique(idx[:, 0]).shape[0])
    rows = np.ascontiguousarray(idx).view(np.dtype((np.void, idx.dtype.itemsize * idx.shape[1])))
    return int(np.unique(rows).shape[0])


def box_counting_dimension(points: Any, *, eps_range: tuple[float, float] = (1e-3, 1e-1), n_scales: int = 12,
                           base: float | None = None, origin: Any = None) -> DimensionEstimate:
    """Box-counting dimension: slope of log N(eps) against log(1/eps) for eps in ``eps_range``.

    Args:
        points: (n, d) points.
        eps_range: (smallest, largest) box side of the fit range.
        n_scales: number of scales, geometrically spaced (ignored when ``base`` is given).
        base: use the scales base^-k inside the fit range (e.g. 3 for the Cantor set).
        origin: corner of the box grid (default: the minimum of the points).
    """
    pts = check_points(points, "points")
    lo, hi = float(eps_range[0]), float(eps_range[1])
    check_positive(lo, "eps_range[0]")
    if not hi > lo:
        raise UsageError(f"eps_range must be (small, large) with small < large, got {eps_range}")
    if base is not None:
        b = check_positive(base, "base")
        if b <= 1:
            raise UsageError("base must be > 1")
        kmin, kmax = int(np.ceil(-np.log(hi) / np.log(b) - 1e-9)), int(np.floor(-np.log(lo) / np.log(b) + 1e-9))
        scales = b ** -np.arange(kmin, kmax + 1, dtype=float)
    else:
        scales = np.geomspace(hi, lo, check_n(n_scales, "n_scales", 2))
    if scales.shape[0] < 2:
        raise UsageError("the fit range holds fewer than two scales")
    o = pts.min(axis=0) if origin is None else np.asarray(origin, dtype=float)
    counts = []
    for eps in scales:
        idx = np.floor((pts - o) / eps + 1e-9).astype(np.int64)
        counts.append(_count_distinct_rows(idx))
    counts_arr = np.asarray(counts, dtype=float)
    value = _slope(np.log(1 / scales), np.log(counts_arr))
    return DimensionEstimate(value, "box-counting", tuple(scales.tolist()), tuple(counts_arr.tolist()), (lo, hi))


def correlation_dimension(points: Any, *, r_range: tuple[float, float] | None = None, n_scales: int = 10,
                          max_points: int = 5000, rng: np.random.Generator | None = None) -> DimensionEstimate:
    """Correlation dimension: slope of log C(r) against log r over ``r_range``.

    Uses at most ``max_points`` points (a random subset drawn with ``rng``). The default range runs from
    the median distance to the 20th nearest neighbour up to an eighth of the diameter (at least 4 times
    the lower end).
    """
    pts = check_points(points, "points")
    if pts.shape[0] > max_points:
        rng = np.random.default_rng(0) if rng is None else check_rng(rng)
        pts = pts[rng.choice(pts.shape[0], max_points, replace=False)]
    n = pts.shape[0]
    if n < 10:
        raise UsageError("correlation dimension needs at least 10 points")
    tree = cKDTree(pts)
    if r_range is None:
        d, _ = tree.query(pts, k=min(n, 21))
        lo = float(np.median(d[:, -1]))
        diam = float(np.max(np.ptp(pts, axis=0)))
        r_range = (lo, max(lo * 4, diam / 8))
    lo, hi = float(r_range[0]), float(r_range[1])
    if not (lo > 0 and hi > lo):
        raise UsageError(f"r_range must be (small, large) with 0 < small < large, got {r_range}")
    rs = np.geomspace(lo, hi, check_n(n_scales, "n_scales", 2))
    c = tree.count_neighbors(tree, rs).astype(float) - n
    if np.any(c <= 0):
        raise UsageError("no pairs at the smallest radius: widen r_range")
    value = _slope(np.log(rs), np.log(c))
    return DimensionEstimate(value, "correlation", tuple(rs.tolist()), tuple(c.tolist()), (lo, hi))


def mle_dimension(points: Any, *, k: int = 10) -> DimensionEstimate:
    """Levina–Bickel MLE with k neighbours, inverse-averaged over points (MacKay–Ghahramani)."""
    pts = check_points(points, "points")
    k = check_n(k, "k", 2)
    if pts.shape[0] <= k:
        raise UsageError(f"the MLE needs more than k={k} points")
    d, _ = cKDTree(pts).query(pts, k=k + 1)
    d = d[:, 1:]
    ok = np.all(d > 0, axis=1)
    if not np.any(ok):
        raise UsageError("all points are duplicates")
    logs = np.log(d[ok, -1:] / d[ok, :-1])
    inv = np.sum(logs, axis=1) / (k - 1)  # 1/m_k(x) (unbiased form)
    value = float(1.0 / np.mean(inv))
    return DimensionEstimate(value, f"levina-bickel(k={k})")


def twonn_dimension(points: Any, *, discard: float = 0.1) -> DimensionEstimate:
    """TwoNN (Facco et al. 2017): -log(1 - F(mu)) = d log mu with mu = r2/r1, fitted through the origin on
    the smallest (1 - discard) share of the ratios."""
    pts = check_points(points, "points")
    if pts.shape[0] < 3:
        raise UsageError("TwoNN needs at least 3 points")
    d, _ = cKDTree(pts).query(pts, k=3)
    ok = d[:, 1] > 0
    mu = np.sort(d[ok, 2] / d[ok, 1])
    n = mu.shape[0]
    if n < 3:
        raise UsageError("TwoNN needs at least 3 distinct points")
    f = np.arange(1, n + 1) / n
    keep = slice(0, max(2, int(n * (1 - discard))))
    x = np.log(mu[keep])
    y = -np.log(1 - f[keep])
    value = float(np.sum(x * y) / np.sum(x * x)) if np.sum(x * x) > 0 else float("inf")
    return DimensionEstimate(value, "twonn")
