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

from typing import Any

import numpy as np

from ..errors import UsageError
from ._check import check_choice, check_dim, check_positive
from ._composite import Embedded, Union
from ._fractals import LOG2_LOG3, Cantor, CantorDust, Countable, Sierpinski
from ._lipschitz import IdentityMap, LinearMap, get_map
from ._smooth import Ball, Cube, Sphere, Torus
from ._space_base import CellGroup, Space

__all__ = ["Space", "CellGroup", "Cube", "Torus", "Sphere", "Ball", "Cantor", "CantorDust", "Sierpinski",
           "Countable", "Union", "Embedded", "get_space", "space_from_dict", "SPACES", "LOG2_LOG3"]


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
