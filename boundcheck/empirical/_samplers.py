"""Samplers: how training points are placed in a latent space (empirical layer, numpy/scipy only).

``iid``       n independent points of the space's natural measure; on the cube/torus optionally with a
              product density (``density="beta"``, ``a``, ``b``).
``grid``      the square grid of cell centres (largest m^d <= n) on the cube/torus; on the Cantor set the
              left end points of the level-k intervals (2^k <= n); on a countable set its n largest points.
``hex``       the hexagonal lattice in 2-D (cube/torus): m columns by r rows, r even, r/m close to 2/√3, so
              the lattice is periodic on the torus (almost regular: its thickness is within 0.1 % of 2π/(3√3)).
``sobol``, ``halton``  scrambled low-discrepancy points (scipy.stats.qmc) pushed through the space's map
              from the unit cube.
``clustered`` a pool of natural-measure points thinned towards ``clusters`` random centres (Gaussian weight
              of width ``spread``): every point lies in the space.
``spread``    n well-spread points, placed to make the covering radius small (the premise "n well-spread
              samples" of the latent-space bound): the optimal greedy covering on a 1-D set with floor/ceil,
              else farthest-point sampling from a pool of 16n Sobol points (see :mod:`._spread`).

A sampler may return fewer than n points (grids, lattices); callers use ``len(points)``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ._check import check_choice, check_n, check_positive, check_rng
from ._spaces import Cantor, Countable, Cube, Space, Torus

__all__ = ["Sampler", "get_sampler", "SAMPLERS"]

SAMPLERS = ("iid", "grid", "hex", "sobol", "halton", "clustered", "spread")


@dataclass(frozen=True, slots=True)
class Sampler:
    """A named way of placing n points in a space. ``params`` is a sorted tuple of (key, value)."""

    name: str
    params: tuple[tuple[str, Any], ...] = field(default=())

    def param(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)

    def supports(self, space: Space) -> bool:
        """Whether this sampler can place points in ``space``."""
        if self.name == "iid" and self.param("density") is not None:
            return isinstance(space, (Cube, Torus))
        if self.name == "grid":
            return isinstance(space, (Cube, Torus, Cantor, Countable))
        if self.name == "hex":
            return isinstance(space, (Cube, Torus)) and space.dim == 2
        return True

    def is_deterministic(self, space: Space) -> bool:
        """Whether the points ignore the random source (grids, lattices, ``spread`` on a 1-D set)."""
        if self.name == "spread":
            from ._spread import spread_is_deterministic

            return spread_is_deterministic(space)
        return self.name in ("grid", "hex")

    def draw(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        """Place (at most) n points in ``space``; shape (m, space.dim), m <= n (m == n except grids).

        Raises:
            UsageError: n < 1, or a sampler the space does not support.
        """
        n = check_n(n)
        check_rng(rng)
        if not self.supports(space):
            raise UsageError(f"sampler '{self.name}'{self._pdesc()} does not support space '{space.name}' "
                             f"(dim {space.dim})")
        return getattr(self, f"_draw_{self.name}")(space, n, rng)

    def _pdesc(self) -> str:
        return f" ({', '.join(f'{k}={v}' for k, v in self.params)})" if self.params else ""

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "params": dict(self.params)}

    # ------------------------------------------------------------------------------------ kinds
    def _draw_spread(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        from ._spread import draw_spread

        return np.asarray(draw_spread(space, n, rng), dtype=float)

    def _draw_iid(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        density = self.param("density")
        if density is None:
            return space.sample(n, rng)
        return rng.beta(self.param("a", 2.0), self.param("b", 2.0), size=(n, space.dim))

    def _draw_grid(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        if isinstance(space, Countable):
            return space.points(n)
        if isinstance(space, Cantor):
            k = int(math.floor(math.log2(n) + 1e-12))
            m = 2 ** k
            idx = np.arange(m)
            x = np.zeros(m)
            w = 2.0 / 3.0
            for bit in range(k - 1, -1, -1):
                x += w * ((idx >> bit) & 1)
                w /= 3
            return x[:, None]
        d = space.dim
        m = int(math.floor(n ** (1.0 / d) + 1e-9))
        while (m + 1) ** d <= n:
            m += 1
        while m > 1 and m ** d > n:
            m -= 1
        axis = (np.arange(m) + 0.5) / m
        return np.stack(np.meshgrid(*([axis] * d), indexing="ij"), axis=-1).reshape(-1, d)

    def _draw_hex(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        ratio = 2.0 / math.sqrt(3.0)
        best = None
        for r in range(2, 2 * int(math.sqrt(n)) + 4, 2):
            m = int(round(r / ratio))
            for mm in (m - 1, m, m + 1):
                if mm < 1 or mm * r > n:
                    continue
                err = abs(math.log((r / mm) / ratio))
                key = (0 if err < 0.01 else 1, -(mm * r), err)
                if best is None or key < best[0]:
                    best = (key, mm, r)
        if best is None:
            return np.array([[0.5, 0.5]])
        _, m, r = best
        j = np.arange(r)
        i = np.arange(m)
        xx = (i[None, :] + 0.5 * (j[:, None] % 2) + 0.25) / m
        yy = np.broadcast_to((j[:, None] + 0.5) / r, xx.shape)
        return np.stack([np.mod(xx, 1.0).ravel(), yy.ravel()], axis=1)

    def _qmc(self, space: Space, n: int, rng: np.random.Generator, kind: str) -> np.ndarray:
        from scipy.stats import qmc

        k = space.qmc_dim
        cls = qmc.Sobol if kind == "sobol" else qmc.Halton
        try:
            engine = cls(d=k, scramble=True, rng=rng)  # scipy >= 1.15
        except TypeError:
            engine = cls(d=k, scramble=True, seed=rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # Sobol balance warning for n not a power of 2
            u = engine.random(n)
        return space.from_unit_cube(np.clip(u, 0.0, np.nextafter(1.0, 0.0)))

    def _draw_sobol(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        return self._qmc(space, n, rng, "sobol")

    def _draw_halton(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        return self._qmc(space, n, rng, "halton")

    def _draw_clustered(self, space: Space, n: int, rng: np.random.Generator) -> np.ndarray:
        from scipy.spatial import cKDTree

        clusters = max(1, int(self.param("clusters", max(1, int(round(math.sqrt(n) / 2))))))
        spread = float(self.param("spread", 0.05))
        pool_size = max(8 * n, 64)
        pool = space.sample(pool_size, rng)
        centres = space.sample(clusters, rng)
        kw = {"boxsize": 1.0} if space.periodic else {}
        dist, _ = cKDTree(centres, **kw).query(pool, k=1, workers=-1)
        logw = -0.5 * (dist / spread) ** 2
        w = np.exp(logw - logw.max())
        w /= w.sum()
        nz = int(np.count_nonzero(w))
        idx = rng.choice(pool_size, size=min(n, nz), replace=False, p=w)
        return pool[idx]


def get_sampler(name: str, **params: Any) -> Sampler:
    """A sampler by name.

    Args:
        name: one of :data:`SAMPLERS`.
        **params: iid: ``density`` (None or "beta"), ``a``, ``b`` (Beta shape, default 2, 2);
            clustered: ``clusters`` (default about √n/2), ``spread`` (default 0.05).

    Raises:
        UsageError: unknown sampler or parameter.
    """
    check_choice(name, SAMPLERS, "sampler")
    allowed = {"iid": {"density", "a", "b"}, "clustered": {"clusters", "spread"}}.get(name, set())
    extra = set(params) - allowed
    if extra:
        raise UsageError(f"sampler '{name}' takes no parameter(s) {', '.join(sorted(extra))}")
    clean: dict[str, Any] = {}
    if name == "iid":
        density = params.get("density")
        if density not in (None, "beta", "uniform"):
            raise UsageError(f"iid density must be 'beta' or omitted, got {density!r}")
        if density == "beta":
            clean = {"density": "beta", "a": check_positive(params.get("a", 2.0), "a"),
                     "b": check_positive(params.get("b", 2.0), "b")}
    elif name == "clustered":
        if "clusters" in params:
            clean["clusters"] = check_n(params["clusters"], "clusters")
        if "spread" in params:
            clean["spread"] = check_positive(params["spread"], "spread")
    return Sampler(name, tuple(sorted(clean.items())))
