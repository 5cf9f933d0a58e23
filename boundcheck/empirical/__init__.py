"""Empirical engine (layer 4): latent spaces, samplers, Lipschitz families, distances, dimensions, fits.

numpy and scipy only: nothing here imports sympy, z3 or the symbolic layers. All randomness comes from an
explicit ``numpy.random.Generator``; there is no global state.
"""

from ._double_descent import DoubleDescentResult, run_double_descent, theory_norm, theory_risk
from ._fit import PowerLawFit, fit_power_law
from ._lipschitz import LOSSES, MAPS, LipschitzFunction, compose, get_loss, get_map, spectral_norm
from ._samplers import SAMPLERS, Sampler, get_sampler
from ._spaces import SPACES, Space, get_space

#: Names whose modules import scipy.spatial (about 0.3 s): loaded on first use, so that reading a spec's
#: [stress] table (``boundcheck verify``) does not pay for them.
_LAZY = {
    "DimensionEstimate": "_dimension", "box_counting_dimension": "_dimension", "correlation_dimension": "_dimension",
    "mle_dimension": "_dimension", "twonn_dimension": "_dimension",
    "COVERING_KINDS": "_distances", "COVERING_METHODS": "_distances", "CoveringRadius": "_distances",
    "covering_radius": "_distances", "good_sample_distance": "_distances", "nearest_distance": "_distances",
    "ScalingResult": "_scaling", "parse_ns": "_scaling", "run_scaling": "_scaling",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "SPACES", "Space", "get_space",
    "SAMPLERS", "Sampler", "get_sampler",
    "LOSSES", "MAPS", "LipschitzFunction", "get_loss", "get_map", "compose", "spectral_norm",
    "nearest_distance", "good_sample_distance", "covering_radius", "CoveringRadius", "COVERING_KINDS",
    "COVERING_METHODS",
    "DimensionEstimate", "box_counting_dimension", "correlation_dimension", "mle_dimension", "twonn_dimension",
    "PowerLawFit", "fit_power_law",
    "ScalingResult", "run_scaling", "parse_ns",
    "DoubleDescentResult", "run_double_descent", "theory_risk", "theory_norm",
]
