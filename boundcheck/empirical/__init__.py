"""Empirical engine (layer 4): latent spaces, samplers, Lipschitz families, distances, dimensions, fits.

numpy and scipy only: nothing here imports sympy, z3 or the symbolic layers. All randomness comes from an
explicit ``numpy.random.Generator``; there is no global state.
"""

from ._double_descent import DoubleDescentResult, run_double_descent, theory_norm, theory_risk
from ._dimension import (DimensionEstimate, box_counting_dimension, correlation_dimension, mle_dimension,
                         twonn_dimension)
from ._distances import (COVERING_KINDS, COVERING_METHODS, CoveringRadius, covering_radius, good_sample_distance,
                         nearest_distance)
from ._fit import PowerLawFit, fit_power_law
from ._lipschitz import LOSSES, MAPS, LipschitzFunction, compose, get_loss, get_map, spectral_norm
from ._scaling import ScalingResult, parse_ns, run_scaling
from ._samplers import SAMPLERS, Sampler, get_sampler
from ._spaces import SPACES, Space, get_space

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
