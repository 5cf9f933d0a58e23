"""Adapter over the empirical engine (layer 4), for the conjecture search (layer 5 ``falsify``).

Everything the search needs from :mod:`boundcheck.empirical` goes through these functions, so that the
measuring code (:mod:`._measure`) reads as the quantities it measures. Imports are lazy: reading a
conjecture file does not load scipy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._components import Component

__all__ = ["space_names", "sampler_names", "map_names", "loss_names", "validate_component", "make_space",
           "space_properties", "sample_space", "draw_points", "make_loss", "nearest", "covering", "fit"]

#: Covering radius: relative accuracy of branch and bound and its budget of cells per call.
COVER_RTOL = 0.02
COVER_MAX_CELLS = 2_000_000


def space_names() -> tuple[str, ...]:
    from ..empirical import SPACES

    return tuple(SPACES)


def sampler_names() -> tuple[str, ...]:
    from ..empirical import SAMPLERS

    return tuple(SAMPLERS)


def map_names() -> tuple[str, ...]:
    from ..empirical import MAPS

    return tuple(MAPS)


def loss_names() -> tuple[str, ...]:
    from ..empirical import LOSSES

    return tuple(LOSSES)


def _space_args(params: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
    params = dict(params)
    dim = params.pop("dim", None)
    return dim, params


def make_space(name: str, params: dict[str, Any]) -> Any:
    """``get_space(name, dim, **params)`` with ``dim`` taken from the parameters."""
    from ..empirical import get_space

    dim, rest = _space_args(params)
    return get_space(name, dim, **rest)


def space_properties(space: Any) -> dict[str, float]:
    """The properties an exponent expression may use."""
    return {"hausdorff_dim": float(space.hausdorff_dim), "box_dim": float(space.box_dim),
            "intrinsic_dim": float(space.intrinsic_dim)}


def sample_space(space: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """n iid points of the space's natural measure (the test distribution)."""
    return np.asarray(space.sample(n, rng), dtype=float)


def draw_points(name: str, params: dict[str, Any], space: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """Training points from a sampler of the empirical engine (``spread`` included)."""
    from ..empirical import get_sampler

    return np.asarray(get_sampler(name, **params).draw(space, n, rng), dtype=float)


def make_loss(loss: str | None, loss_params: dict[str, Any], map_name: str, map_params: dict[str, Any],
              space: Any, rng: np.random.Generator) -> Any:
    """A Lipschitz loss of the latent point: ``loss(map(z))`` (``map`` may be the identity).

    ``map_params`` may hold ``out_dim`` (default: twice the latent dimension; the latent dimension for
    the identity) and the keyword arguments of ``get_map``.
    """
    from ..empirical import compose, get_loss, get_map

    if loss is None:
        raise ValueError("this quantity needs a loss family ([search] losses)")
    mp = dict(map_params)
    out_dim = int(mp.pop("out_dim", space.dim if map_name == "identity" else 2 * space.dim))
    fmap = get_map(map_name, space.dim, out_dim, rng, **mp)
    lp = dict(loss_params)
    if space.periodic and loss == "distance" and map_name == "identity":
        lp.setdefault("periodic", True)
    f = get_loss(loss, out_dim, rng, **lp)
    return f if map_name == "identity" else compose(f, fmap)


def validate_component(what: str, comp: Component) -> None:
    """Build a component with representative parameter values; raise what the engine raises."""
    values = {k: p.lowest() for k, p in comp.params}
    rng = np.random.default_rng(0)
    if what == "spaces":
        make_space(comp.name, values)
    elif what == "samplers":
        from ..empirical import get_sampler

        get_sampler(comp.name, **values)
    elif what == "maps":
        from ..empirical import get_map

        mp = dict(values)
        out_dim = int(mp.pop("out_dim", 2 if comp.name != "identity" else 1))
        get_map(comp.name, 1, out_dim, rng, **mp)
    elif what == "losses":
        from ..empirical import get_loss

        get_loss(comp.name, 2, rng, **values)


def nearest(train: np.ndarray, queries: np.ndarray, periodic: bool) -> tuple[np.ndarray, np.ndarray]:
    """Distances from each query to its nearest training point, and the point's index."""
    from ..empirical import nearest_distance

    dist, idx = nearest_distance(train, queries, periodic=periodic, return_index=True)
    return np.asarray(dist), np.asarray(idx)


def covering(points: np.ndarray, space: Any) -> tuple[float, str]:
    """Covering radius of the space by the points: exact in 1-D, else a certified upper bound.

    Raises:
        ValueError: branch and bound did not converge within its budget (a loose bound would bias the
            exponent toward 0, which would look like a counterexample).
    """
    from ..empirical import covering_radius

    res = covering_radius(points, space, rtol=COVER_RTOL, max_cells=COVER_MAX_CELLS, mc_points=20_000,
                          rng=np.random.default_rng(0))
    if res.kind == "upper" and not res.converged:
        raise ValueError(f"the covering-radius bound did not converge within {COVER_MAX_CELLS} cells")
    return float(res.value), f"covering radius ({res.kind}, {res.method})"


def fit(ns: np.ndarray, values: np.ndarray, rng: np.random.Generator, n_boot: int,
        confidence: float) -> tuple[float, float, float, float]:
    """(exponent, CI low, CI high, prefactor) of a power law; ``values`` has shape (len(ns), reps).

    The interval is the union of the percentile bootstrap over repetitions (the noise between seeds) and
    the bootstrap over the points of the mean curve (the scatter and curvature along n): with a handful
    of seeds the first alone is far too narrow, and with one repetition only the second exists.
    """
    from ..empirical import fit_power_law

    v = np.asarray(values, dtype=float)
    res = fit_power_law(ns, v.T, rng=rng, n_boot=n_boot, level=confidence)
    lo, hi = res.exponent_ci
    if v.shape[1] > 1:
        pts = fit_power_law(ns, v.mean(axis=1), rng=rng, n_boot=n_boot, level=confidence)
        lo, hi = min(lo, pts.exponent_ci[0]), max(hi, pts.exponent_ci[1])
    e = float(res.exponent)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo = hi = e
    return e, min(lo, e), max(hi, e), float(res.prefactor)
