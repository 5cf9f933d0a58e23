"""Tests of the empirical engine: spaces, samplers, distances, covering radii, dimensions and fits."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from boundcheck.empirical import (COVERING_KINDS, SAMPLERS, SPACES, CoveringRadius, box_counting_dimension,
                                  correlation_dimension, covering_radius, fit_power_law, get_sampler, get_space,
                                  good_sample_distance, mle_dimension, nearest_distance, twonn_dimension)
from boundcheck.errors import UsageError


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


class TestLayering:
    def test_empirical_imports_no_symbolic_side(self):
        """Importing boundcheck.empirical loads neither sympy nor z3 nor the symbolic layers."""
        code = ("import sys, boundcheck.empirical; bad = [m for m in sys.modules if m.split('.')[0] in "
                "('sympy', 'z3') or m in ('boundcheck.spec', 'boundcheck.parse', 'boundcheck.symbolic')]; "
                "print(','.join(bad))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == ""

    def test_all_names_exist(self):
        """Every name in __all__ is defined in the package."""
        import boundcheck.empirical as emp

        for name in emp.__all__:
            assert hasattr(emp, name), name


class TestSpaces:
    @pytest.mark.parametrize("name", SPACES)
    def test_samples_inside_bounds_with_right_shape(self, name):
        """Samples of every space have shape (n, dim), are finite and lie in the space's bounding box."""
        space = get_space(name)
        x = space.sample(500, rng(1))
        lo, hi = space.bounds
        assert x.shape == (500, space.dim)
        assert np.all(np.isfinite(x))
        assert np.all(x >= lo - 1e-12) and np.all(x <= hi + 1e-12)

    @pytest.mark.parametrize("name", SPACES)
    def test_dimensions_ordered_and_described(self, name):
        """Box dimension >= Hausdorff dimension, and describe() names the space and its dimensions."""
        space = get_space(name)
        assert space.box_dim >= space.hausdorff_dim
        info = space.describe()
        assert info["name"] == name and info["box_dim"] == space.box_dim
        import json
        json.dumps(info)

    def test_known_dimensions(self):
        """Recorded dimensions match the literature (Cantor log2/log3, gasket log3/log2, {k^-p} 1/(1+p))."""
        assert get_space("cantor").hausdorff_dim == pytest.approx(math.log(2) / math.log(3))
        assert get_space("cantor_dust", 3).box_dim == pytest.approx(3 * math.log(2) / math.log(3))
        assert get_space("sierpinski").hausdorff_dim == pytest.approx(math.log(3) / math.log(2))
        c = get_space("countable", p=2.0)
        assert (c.hausdorff_dim, c.box_dim) == (0.0, pytest.approx(1 / 3))
        assert get_space("sphere", 4).hausdorff_dim == 3.0
        u = get_space("union", pieces="cantor,cube:2")
        assert u.hausdorff_dim == 2.0 and u.dim == 2

    def test_sphere_points_have_unit_norm(self):
        """Sphere samples have norm 1; ball samples norm <= 1."""
        assert np.allclose(np.linalg.norm(get_space("sphere", 3).sample(300, rng()), axis=1), 1.0)
        assert np.all(np.linalg.norm(get_space("ball", 3).sample(300, rng()), axis=1) <= 1 + 1e-12)

    def test_cantor_samples_have_no_middle_third_points(self):
        """Cantor samples avoid (1/3, 2/3) and (1/9, 2/9): they lie in the set."""
        x = get_space("cantor").sample(5000, rng())[:, 0]
        assert not np.any((x > 1 / 3 + 1e-12) & (x < 2 / 3 - 1e-12))
        assert not np.any((x > 1 / 9 + 1e-12) & (x < 2 / 9 - 1e-12))

    def test_countable_measure_masses(self):
        """The point 1/k of {1/k} has mass 1/(k(k+1)): P(x = 1) = 1/2, P(x = 1/2) = 1/6."""
        x = get_space("countable").sample(60000, rng(3))[:, 0]
        assert np.mean(x == 1.0) == pytest.approx(0.5, abs=0.01)
        assert np.mean(x == 0.5) == pytest.approx(1 / 6, abs=0.01)

    def test_embedded_linear_is_bilipschitz_and_keeps_dims(self):
        """A linear embedding of a 2-cube in R^5 keeps the dimensions and is flagged bi-Lipschitz."""
        s = get_space("embedded", 2, ambient=5)
        assert s.dim == 5 and s.hausdorff_dim == 2.0 and s.describe()["params"]["bilipschitz"]

    def test_sampling_is_reproducible(self):
        """The same seed gives the same points; another seed different points."""
        s = get_space("sierpinski")
        assert np.array_equal(s.sample(50, rng(7)), s.sample(50, rng(7)))
        assert not np.array_equal(s.sample(50, rng(7)), s.sample(50, rng(8)))

    @pytest.mark.parametrize("name,dim,params", [
        ("klein", None, {}), ("cube", 0, {}), ("cube", 2.5, {}), ("sphere", 1, {}), ("cantor", 2, {}),
        ("sierpinski", 3, {}), ("countable", None, {"p": -1}), ("cube", 2, {"p": 1}),
        ("union", 3, {"pieces": "cube:2"}), ("embedded", 2, {"map": "bogus"}),
    ], ids=["unknown", "dim0", "dim-float", "sphere1", "cantor2", "gasket3", "p-neg", "extra-param",
            "union-dim", "bad-map"])
    def test_bad_space_arguments(self, name, dim, params):
        """Unknown names, missing dimensions and bad parameters raise UsageError."""
        with pytest.raises(UsageError):
            get_space(name, dim, **params)

    def test_n_below_one_rejected(self):
        """n < 1 is a UsageError."""
        with pytest.raises(UsageError):
            get_space("cube", 2).sample(0, rng())


class TestSamplers:
    @pytest.mark.parametrize("name", SAMPLERS)
    def test_sampler_points_lie_in_space(self, name):
        """Each sampler returns at most n points inside the cube."""
        x = get_sampler(name).draw(get_space("cube", 2), 300, rng(2))
        assert 1 <= x.shape[0] <= 300 and x.shape[1] == 2
        assert np.all((x >= 0) & (x <= 1))

    def test_grid_is_largest_square(self):
        """The grid sampler returns the largest m^d <= n cell centres."""
        x = get_sampler("grid").draw(get_space("cube", 3), 1000, rng())
        assert x.shape == (1000, 3)
        x = get_sampler("grid").draw(get_space("cube", 3), 999, rng())
        assert x.shape == (729, 3)
        assert np.allclose(np.unique(x[:, 0]), (np.arange(9) + 0.5) / 9)

    def test_cantor_grid_points_are_cantor_points(self):
        """Cantor grid points are left end points of level-k intervals (their covering radius is exact)."""
        x = get_sampler("grid").draw(get_space("cantor"), 8, rng())
        assert np.allclose(np.sort(x[:, 0]), [0, 2 / 27, 6 / 27, 8 / 27, 18 / 27, 20 / 27, 24 / 27, 26 / 27])

    def test_beta_density_has_beta_mean(self):
        """iid with a Beta(2, 5) density has coordinate mean 2/7."""
        x = get_sampler("iid", density="beta", a=2, b=5).draw(get_space("cube", 2), 20000, rng())
        assert x.mean() == pytest.approx(2 / 7, abs=0.01)

    def test_clustered_is_more_clustered_than_iid(self):
        """Clustered points have smaller nearest-neighbour distances than iid points."""
        s = get_space("cube", 2)
        a = get_sampler("clustered", clusters=5, spread=0.03).draw(s, 1000, rng())
        b = get_sampler("iid").draw(s, 1000, rng())
        nn = lambda x: np.median(nearest_distance(x, x + 0.0, return_index=False))  # noqa: E731
        from scipy.spatial import cKDTree
        assert np.median(cKDTree(a).query(a, k=2)[0][:, 1]) < np.median(cKDTree(b).query(b, k=2)[0][:, 1])
        del nn

    def test_sobol_beats_iid_discrepancy(self):
        """Sobol points cover the square better than iid points (smaller covering radius)."""
        s = get_space("cube", 2)
        r_sobol = covering_radius(get_sampler("sobol").draw(s, 1024, rng()), s).value
        r_iid = covering_radius(get_sampler("iid").draw(s, 1024, rng()), s).value
        assert r_sobol < r_iid

    @pytest.mark.parametrize("sampler,space,dim", [("hex", "cube", 3), ("grid", "sphere", 3),
                                                   ("bogus", "cube", 2)], ids=["hex3d", "grid-sphere", "unknown"])
    def test_unsupported_combinations(self, sampler, space, dim):
        """A sampler that does not fit the space (or an unknown sampler) raises UsageError."""
        with pytest.raises(UsageError):
            get_sampler(sampler).draw(get_space(space, dim), 100, rng())


class TestDistances:
    def test_nearest_matches_brute_force(self):
        """cKDTree nearest distances equal a brute-force computation (plain and periodic)."""
        r = rng(5)
        tr, q = r.random((300, 3)), r.random((100, 3))
        diff = q[:, None, :] - tr[None, :, :]
        assert np.allclose(nearest_distance(tr, q), np.sqrt((diff ** 2).sum(-1)).min(1))
        wrapped = diff - np.round(diff)
        assert np.allclose(nearest_distance(tr, q, periodic=True), np.sqrt((wrapped ** 2).sum(-1)).min(1))

    def test_good_sample_distance_filters_by_threshold(self):
        """Only training points with loss <= threshold count; none good gives inf."""
        tr = np.array([[0.0], [1.0]])
        d, idx = good_sample_distance(tr, [0.9, 0.1], 0.5, [[0.2]], return_index=True)
        assert d[0] == pytest.approx(0.8) and idx[0] == 1
        assert np.isinf(good_sample_distance(tr, [0.9, 0.8], 0.5, [[0.2]])[0])

    @pytest.mark.parametrize("bad", [np.array([[0.0, np.nan]]), np.array([[np.inf, 0.0]]), np.zeros((0, 2))],
                             ids=["nan", "inf", "empty"])
    def test_non_finite_rejected(self, bad):
        """Non-finite or empty training data raises UsageError."""
        with pytest.raises(UsageError):
            nearest_distance(bad, np.zeros((1, 2)))


class TestCoveringRadius:
    def test_exact_interval(self):
        """In [0, 1] the covering radius is the largest of the end gaps and half the inner gaps."""
        cr = covering_radius([[0.1], [0.5], [0.6]], get_space("cube", 1))
        assert cr.kind == "exact" and cr.value == pytest.approx(0.4)

    def test_exact_circle(self):
        """On the 1-torus the wrap-around gap counts."""
        cr = covering_radius([[0.1], [0.3]], get_space("torus", 1))
        assert cr.kind == "exact" and cr.value == pytest.approx(0.4)

    def test_exact_cantor_grid(self):
        """Level-k Cantor end points cover the Cantor set with radius 3^-k (the right ends of the intervals)."""
        s = get_space("cantor")
        for k in (2, 4):
            x = get_sampler("grid").draw(s, 2 ** k, rng())
            cr = covering_radius(x, s)
            assert cr.kind == "exact" and cr.value == pytest.approx(3.0 ** -k, rel=1e-9)

    def test_exact_countable(self):
        """{1/k}: with the points 0, 1, 1/2 the farthest point is 1/4 (distance 1/4)."""
        cr = covering_radius([[0.0], [1.0], [0.5]], get_space("countable"))
        assert cr.kind == "exact" and cr.value == pytest.approx(0.25)

    @given(st.integers(0, 2 ** 31), st.sampled_from(["cube", "torus", "ball", "sphere", "sierpinski",
                                                     "cantor_dust"]))
    def test_upper_bound_dominates_every_point(self, seed, name):
        """A certified upper bound is >= dist(z, S) for many fresh points z of the space, and >= the lower."""
        space = get_space(name, 2 if name != "sphere" else 3)
        r = rng(seed)
        pts = space.sample(int(r.integers(1, 60)), r)
        cr = covering_radius(pts, space, rng=r, mc_points=200, rtol=0.05)
        assert cr.kind == "upper" and cr.upper is not None
        z = space.sample(5000, r)
        assert np.max(nearest_distance(pts, z, periodic=space.periodic)) <= cr.upper
        assert cr.lower <= cr.upper

    @given(st.integers(0, 2 ** 31), st.sampled_from(["cantor", "countable", "cube", "torus"]), st.integers(1, 40))
    def test_exact_1d_agrees_with_branch_and_bound(self, seed, name, n):
        """The exact 1-D radius lies between the certified lower and upper bounds of branch and bound, and
        above every Monte Carlo distance."""
        space = get_space(name, 1)
        r = rng(seed)
        pts = space.sample(n, r)
        exact = covering_radius(pts, space)
        bnb = covering_radius(pts, space, method="upper", rtol=1e-4, mc_points=500, rng=r)
        mc = covering_radius(pts, space, method="lower-estimate", mc_points=2000, rng=r)
        assert exact.kind == "exact" and bnb.kind == "upper"
        assert bnb.lower <= exact.value * (1 + 1e-9) + 1e-15
        assert exact.value <= bnb.upper * (1 + 1e-9)
        assert mc.value <= exact.value * (1 + 1e-9) + 1e-15

    def test_square_grid_exact_value(self):
        """The grid of m^2 cell centres has covering radius sqrt(2)/(2m): the bound brackets it within rtol."""
        s = get_space("cube", 2)
        x = get_sampler("grid").draw(s, 100, rng())
        cr = covering_radius(x, s, rtol=1e-4)
        true = math.sqrt(2) / 20
        assert cr.lower <= true * (1 + 1e-9) and cr.upper >= true * (1 - 1e-9)
        assert cr.upper == pytest.approx(true, rel=2e-4)

    def test_monte_carlo_is_labelled_lower(self):
        """The Monte Carlo method is reported as a lower estimate, never as an upper bound."""
        s = get_space("torus", 6)
        cr = covering_radius(s.sample(200, rng()), s, rng=rng(1), mc_points=2000)
        assert cr.kind == "lower-estimate" and cr.upper is None and cr.kind in COVERING_KINDS
        assert covering_radius(s.sample(50, rng()), s, method="lower-estimate", mc_points=100).kind == \
            "lower-estimate"

    def test_budget_exhausted_still_upper(self):
        """With a tiny cell budget the result is still a valid upper bound (not converged)."""
        s = get_space("cube", 2)
        pts = s.sample(500, rng(4))
        tight = covering_radius(pts, s)
        loose = covering_radius(pts, s, max_cells=300)
        assert loose.kind == "upper" and loose.upper >= tight.lower and not loose.converged

    def test_exact_unavailable_raises(self):
        """Asking for an exact radius in 2-D raises UsageError; unknown methods too."""
        s = get_space("cube", 2)
        with pytest.raises(UsageError):
            covering_radius([[0.5, 0.5]], s, method="exact")
        with pytest.raises(UsageError):
            covering_radius([[0.5, 0.5]], s, method="max")

    def test_result_is_frozen(self):
        """CoveringRadius is immutable and serialises to a dict with its kind."""
        cr = covering_radius([[0.5]], get_space("cube", 1))
        assert isinstance(cr, CoveringRadius) and cr.to_dict()["kind"] == "exact"
        with pytest.raises(AttributeError):
            cr.value = 0.0  # type: ignore[misc]


class TestDimension:
    def test_nearest_neighbour_estimators_on_torus(self):
        """Levina–Bickel and TwoNN give about 3 on the 3-torus; correlation dimension about 3 on the cube."""
        x = get_space("torus", 3).sample(4000, rng())
        assert mle_dimension(x).value == pytest.approx(3, abs=0.3)
        assert twonn_dimension(x).value == pytest.approx(3, abs=0.3)
        assert correlation_dimension(get_space("cube", 3).sample(4000, rng())).value == pytest.approx(3, abs=0.4)

    def test_gasket_dimension(self):
        """The gasket's estimated dimensions are near log 3/log 2, not 1 or 2."""
        x = get_space("sierpinski").sample(20000, rng())
        target = math.log(3) / math.log(2)
        assert box_counting_dimension(x, eps_range=(2 ** -8, 2 ** -2), base=2, origin=[0, 0]).value == \
            pytest.approx(target, abs=0.05)
        assert mle_dimension(x).value == pytest.approx(target, abs=0.15)

    def test_bad_fit_range(self):
        """A fit range with small >= large raises UsageError."""
        with pytest.raises(UsageError):
            box_counting_dimension(np.zeros((5, 1)), eps_range=(0.1, 0.01))


class TestPowerLawFit:
    def test_recovers_exact_power_law(self):
        """Noise-free data 3 n^-0.5 give exponent -0.5 and prefactor 3 with degenerate CIs."""
        ns = np.array([10, 100, 1000, 10000])
        vals = np.tile(3 * ns ** -0.5, (4, 1))
        f = fit_power_law(ns, vals, rng=rng(), n_boot=200)
        assert f.exponent == pytest.approx(-0.5) and f.prefactor == pytest.approx(3)
        assert f.exponent_ci[0] == pytest.approx(-0.5) and f.exponent_ci[1] == pytest.approx(-0.5)

    def test_ci_covers_truth_with_noise(self):
        """With multiplicative noise over seeds the 95 % CI contains the true exponent."""
        r = rng(11)
        ns = np.geomspace(100, 1e5, 8)
        vals = 2 * ns ** (-1 / 3) * np.exp(0.05 * r.standard_normal((10, 8)))
        f = fit_power_law(ns, vals, rng=r)
        assert f.exponent_ci[0] <= -1 / 3 <= f.exponent_ci[1]
        assert f.exponent_ci[1] - f.exponent_ci[0] < 0.1
        assert f.to_dict()["n_seeds"] == 10

    def test_single_seed_bootstraps_points(self):
        """With one seed the bootstrap resamples points and still brackets the estimate."""
        ns = np.geomspace(10, 1e4, 6)
        f = fit_power_law(ns, ns ** -1.0 * (1 + 0.01 * np.sin(ns)), rng=rng())
        assert f.resampled == "points" and f.exponent_ci[0] <= f.exponent <= f.exponent_ci[1]

    @pytest.mark.parametrize("vals", [[1.0, -1.0], [1.0, np.nan], [1.0, 0.0]], ids=["neg", "nan", "zero"])
    def test_bad_values(self, vals):
        """Non-positive or non-finite values raise UsageError."""
        with pytest.raises(UsageError):
            fit_power_law([10, 100], vals, rng=rng())


def test_reading_a_stress_table_does_not_import_scipy() -> None:
    """`boundcheck verify` validates the [stress] table of a spec; that must not pull in scipy.spatial (about
    0.3 s of the cold command), which only the stress run itself needs. The lazy names still resolve."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = ("import sys\nfrom boundcheck import api\nfrom boundcheck.stress import stress_config\n"
            "stress_config(api.load('examples/croissant.toml'))\nprint('scipy' in sys.modules)\n"
            "from boundcheck.empirical import covering_radius, run_scaling, mle_dimension\n"
            "print('scipy.spatial' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split() == ["False", "True"]
