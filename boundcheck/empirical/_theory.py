"""Published reference values (REFERENCES.md) for comparing measurements (empirical layer, math only).

Sources: Evans, Jones & Schmidt (2002) for nearest-sample distances; Janson (1986, 1987) for iid coverage;
Conway & Sloane ch. 2 for lattice thickness; Falconer ch. 2-3 for dimensions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["unit_ball_volume", "torus_mean_nearest", "mean_nearest_asymptotic", "hall_janson_ratio",
           "hall_janson_alpha", "lattice_thickness", "HEX_THICKNESS", "grid_covering_radius", "theory_for"]

HEX_THICKNESS = 2 * math.pi / (3 * math.sqrt(3))
#: Thickness of the lattice A_d^* (thinnest lattice covering for d <= 5), d = 1..8.
_ASTAR = (1.0, 1.2092, 1.4635, 1.7655, 2.1243, 2.5511, 3.0596, 3.6658)


def unit_ball_volume(d: int) -> float:
    """V_d = pi^(d/2) / Gamma(d/2 + 1)."""
    return math.pi ** (d / 2) / math.gamma(d / 2 + 1)


def torus_mean_nearest(n: float, d: int) -> float:
    """Exact mean distance from a uniform query to the nearest of n iid uniform points on the unit d-torus
    (valid while the nearest distance stays below 1/2, i.e. for all but tiny n):
    V_d^(-1/d) Gamma(1 + 1/d) Gamma(n + 1) / Gamma(n + 1 + 1/d)."""
    return (unit_ball_volume(d) ** (-1 / d) * math.gamma(1 + 1 / d)
            * math.exp(math.lgamma(n + 1) - math.lgamma(n + 1 + 1 / d)))


def mean_nearest_asymptotic(n: float, d: int) -> float:
    """First-order form Gamma(1 + 1/d) (n V_d)^(-1/d)."""
    return math.gamma(1 + 1 / d) * (n * unit_ball_volume(d)) ** (-1 / d)


def hall_janson_alpha(d: int) -> float:
    """alpha_d = (1/d!) [sqrt(pi) Gamma(d/2 + 1) / Gamma((d + 1)/2)]^(d - 1)."""
    return (math.sqrt(math.pi) * math.gamma(d / 2 + 1) / math.gamma((d + 1) / 2)) ** (d - 1) / math.factorial(d)


def hall_janson_ratio(n: float, d: int, radius: float) -> float:
    """n V_d R^d / log n, which tends to 1 for iid uniform points on the d-torus (slowly)."""
    return n * unit_ball_volume(d) * radius ** d / math.log(n)


def lattice_thickness(d: int) -> float:
    """Thickness of A_d^* (Conway & Sloane), d = 1..8."""
    if not 1 <= d <= len(_ASTAR):
        raise ValueError(f"lattice thickness tabulated for d = 1..8, not {d}")
    return HEX_THICKNESS if d == 2 else _ASTAR[d - 1]


def grid_covering_radius(n: float, d: int) -> float:
    """Covering radius of the square grid of n = m^d cell centres in [0,1]^d: sqrt(d)/2 n^(-1/d)."""
    return math.sqrt(d) / 2 * n ** (-1 / d)


EULER_GAMMA = 0.5772156649015329


def hall_janson_second_order(n: float, d: int) -> float:
    """Covering radius of n iid uniform points on the unit d-torus to second order: R with
    n V_d R^d = log n + (d - 1) log log n + log alpha_d + Euler's gamma (the Gumbel mean; Janson 1986)."""
    t = math.log(n) + (d - 1) * math.log(math.log(n)) + math.log(hall_janson_alpha(d)) + EULER_GAMMA
    return (max(t, 0.0) / (n * unit_ball_volume(d))) ** (1 / d)


def effective_exponent(ns: Any, values: Any) -> float | None:
    """The log-log least-squares slope of a theory curve over the measured n: what a fit of exact data over
    this range would give (the local exponent of n^a (log n)^b is a + b/log n, not a)."""
    x = np.log(np.asarray(ns, dtype=float))
    y = np.asarray(values, dtype=float)
    if x.size < 2 or np.ptp(x) == 0 or not np.all(np.isfinite(y)) or np.any(y <= 0):
        return None
    y = np.log(y)
    return float(np.polyfit(x, y, 1)[0])


def theory_for(space: Any, sampler: Any, ns: np.ndarray) -> dict[str, Any]:
    """What theory says about mean nearest-sample distance and covering radius for this setting.

    Returns a dict with, for ``nearest`` and ``covering``: ``exponent`` (or None), ``values`` (per n or
    None), ``source`` and ``note``.
    """
    name, d = space.name, space.dim
    smp = sampler.name
    uniform_iid = smp == "iid" and sampler.param("density") is None
    nearest: dict[str, Any] = {"exponent": None, "values": None, "source": None, "note": ""}
    covering: dict[str, Any] = {"exponent": None, "values": None, "source": None, "note": ""}
    if uniform_iid:
        dm = space.intrinsic_dim
        if dm > 0:
            nearest.update(exponent=-1 / dm, source="Weed & Bach (2019): iid rate n^(-1/dim of the measure)")
        if name == "torus":
            nearest.update(values=[torus_mean_nearest(float(n), d) for n in ns],
                           source="Evans, Jones & Schmidt (2002), exact on the torus",
                           note="V_d^(-1/d) Gamma(1+1/d) Gamma(n+1)/Gamma(n+1+1/d)")
            covering.update(exponent=-1 / d,
                            values=[hall_janson_second_order(float(n), d) if n > math.e else
                                    (math.log(max(n, 2)) / (n * unit_ball_volume(d))) ** (1 / d) for n in ns],
                            values_first_order=[(math.log(max(n, 2)) / (n * unit_ball_volume(d))) ** (1 / d)
                                                for n in ns],
                            source="Janson (1986): n V_d R^d = log n + (d-1) log log n + log alpha_d + Gumbel",
                            note="second order (Gumbel mean); the log factor makes the effective slope over "
                                 "this range differ from -1/d")
        elif name == "cube":
            nearest.update(values=[mean_nearest_asymptotic(float(n), d) for n in ns],
                           source="Evans, Jones & Schmidt (2002), first order",
                           note="the cube boundary adds a relative O(n^(-1/d)) correction")
            covering.update(exponent=-1 / d, source="Janson (1986)", note="log factor; boundary dominates for d>=3")
    if uniform_iid and name == "countable":
        p = float(getattr(space, "p", 1.0))
        heur = ("heuristic scaling derived in docs/empirical.md (masses 1/(k(k+1)), gaps ~ p k^-(p+1)); "
                "no published rate for iid samples of this set is known to us")
        nearest.update(exponent=-(1 + p / 2), source=heur, note="not from a published source")
        covering.update(exponent=-min(p, (1 + p) / 2), source=heur,
                        note="up to log factors; the optimal covering (any placement) is n^-(1+p) "
                             "(box dimension 1/(1+p))")
    if smp == "grid" and name in ("cube", "torus"):
        covering.update(exponent=-1 / d, values=[grid_covering_radius(float(n), d) for n in ns],
                        source="square grid: sqrt(d)/2 n^(-1/d)")
    if smp == "grid" and name == "cantor":
        covering.update(exponent=-1 / space.box_dim, source="level-k end points: 3^-k = n^(-log 3/log 2)")
    if smp == "grid" and name == "countable":
        covering.update(note="the n largest points: not an optimal covering (the optimal rate is "
                             "n^(-1/box dim))")
    if smp == "hex" and name == "torus":
        covering.update(exponent=-0.5, values=[math.sqrt(HEX_THICKNESS / (float(n) * math.pi)) for n in ns],
                        source="Conway & Sloane: thickness 2 pi/(3 sqrt 3)")
    if covering["exponent"] is None and smp in ("grid", "hex", "sobol", "halton") and name != "countable":
        covering.update(exponent=-1 / space.box_dim if space.box_dim > 0 else None,
                        source="optimal covering rate n^(-1/upper box dim)", note="a lower limit for any sampler")
    for entry in (nearest, covering):
        entry["effective_exponent"] = effective_exponent(ns, entry["values"]) if entry.get("values") else None
    return {"nearest": nearest, "covering": covering}
