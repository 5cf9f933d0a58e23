"""The empirical engine against published results (REFERENCES.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from boundcheck.empirical import (box_counting_dimension, covering_radius, fit_power_law, get_sampler, get_space,
                                  nearest_distance)
from boundcheck.empirical._scaling import run_scaling
from boundcheck.empirical._theory import HEX_THICKNESS, torus_mean_nearest, unit_ball_volume


@pytest.mark.parametrize("d", range(1, 7))
def test_torus_mean_nearest_distance(d):
    """Mean nearest-sample distance on the d-torus at n = 100000 is Gamma(1+1/d)(n V_d)^(-1/d) within 2 %."""
    rng = np.random.default_rng(100 + d)
    space = get_space("torus", d)
    n = 100_000
    mean = nearest_distance(space.sample(n, rng), space.sample(20_000, rng), periodic=True).mean()
    asymptotic = math.gamma(1 + 1 / d) * (n * unit_ball_volume(d)) ** (-1 / d)
    assert mean == pytest.approx(asymptotic, rel=0.02)
    assert mean == pytest.approx(torus_mean_nearest(n, d), rel=0.02)


@pytest.mark.parametrize("d", [1, 2])
def test_hall_janson_ratio_reported(d):
    """Scaling runs on the iid torus report n V_d R^d / log n, of order 1 and above 1 at moderate n."""
    res = run_scaling(get_space("torus", d), get_sampler("iid"), [1000, 10_000], seeds=3, queries=2000,
                      n_boot=50)
    ratios = res.to_dict()["hall_janson_ratio"]
    assert ratios is not None and len(ratios) == 2
    assert all(0.8 < r < 2.5 for r in ratios)


def test_hexagonal_lattice_thickness():
    """The hexagonal lattice's covering thickness 2 pi/(3 sqrt 3) ≈ 1.2092 is reproduced within 0.5 %."""
    space = get_space("torus", 2)
    pts = get_sampler("hex").draw(space, 2000, np.random.default_rng(0))
    cr = covering_radius(pts, space, rtol=1e-3)
    n = pts.shape[0]
    assert cr.kind == "upper"
    for r in (cr.lower, cr.upper):
        assert n * math.pi * r ** 2 == pytest.approx(HEX_THICKNESS, rel=0.005)
    assert HEX_THICKNESS == pytest.approx(1.2092, abs=1e-4)


def test_cantor_box_dimension():
    """Box-counting dimension of the Cantor set is within 0.02 of log 2/log 3."""
    x = get_space("cantor").sample(100_000, np.random.default_rng(1))
    est = box_counting_dimension(x, eps_range=(3.0 ** -9, 3.0 ** -1), base=3, origin=[0.0])
    assert est.value == pytest.approx(math.log(2) / math.log(3), abs=0.02)
    est2 = box_counting_dimension(x, eps_range=(2.0 ** -14, 2.0 ** -2), base=2, origin=[0.0])
    assert est2.value == pytest.approx(math.log(2) / math.log(3), abs=0.02)


def test_countable_box_dimension_half():
    """{0} ∪ {1/k} has box dimension near 1/2 although its Hausdorff dimension is 0."""
    space = get_space("countable")
    x = get_sampler("grid").draw(space, 1_000_000, np.random.default_rng(0))
    est = box_counting_dimension(x, eps_range=(1e-8, 1e-3))
    assert est.value == pytest.approx(0.5, abs=0.03)
    assert space.hausdorff_dim == 0.0


@pytest.mark.parametrize("d,ms", [(1, (4, 16, 64, 256)), (2, (4, 8, 16, 32)), (3, (3, 5, 8, 12)),
                                  (4, (2, 3, 4, 5))])
def test_square_grid_covering_exponent(d, ms):
    """Covering radius of square grids in [0,1]^d scales with exponent -1/d within 0.01."""
    space = get_space("cube", d)
    rng = np.random.default_rng(0)
    ns, rs = [], []
    for m in ms:
        pts = get_sampler("grid").draw(space, m ** d, rng)
        cr = covering_radius(pts, space, rtol=1e-3)
        ns.append(pts.shape[0])
        rs.append(cr.value)
    fit = fit_power_law(ns, rs, rng=rng, n_boot=100)
    assert fit.exponent == pytest.approx(-1 / d, abs=0.01)
    assert fit.prefactor == pytest.approx(math.sqrt(d) / 2, rel=0.02)


def test_cantor_grid_covering_exponent():
    """Level-k Cantor end points give covering exponent -1/box dim = -log 3/log 2 (exactly)."""
    space = get_space("cantor")
    ns = [2 ** k for k in range(2, 10)]
    rs = [covering_radius(get_sampler("grid").draw(space, n, np.random.default_rng(0)), space).value for n in ns]
    fit = fit_power_law(ns, rs, rng=np.random.default_rng(0), n_boot=50)
    assert fit.exponent == pytest.approx(-math.log(3) / math.log(2), abs=1e-6)


@pytest.mark.parametrize("d,seeds", [(1, 60), (2, 12)])
def test_hall_janson_gumbel_limit(d, seeds):
    """n V_d R^d - log n - (d-1) log log n - log alpha_d has about the standard Gumbel mean 0.5772 (4 sigma)."""
    res = run_scaling(get_space("torus", d), get_sampler("iid"), [3000, 10_000], seeds=seeds, queries=500,
                      n_boot=20, covering_rtol=1e-3)
    centred = res.to_dict()["hall_janson_centred"]
    sigma = math.pi / math.sqrt(6) / math.sqrt(seeds)
    assert centred[-1] == pytest.approx(0.5772, abs=4 * sigma)
