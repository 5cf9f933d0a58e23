"""Property tests: certified Lipschitz constants of losses and generative maps really bound the functions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from boundcheck.empirical import LOSSES, MAPS, compose, get_loss, get_map, spectral_norm
from boundcheck.errors import UsageError


def _ratio(f, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    fx, fy = f(x), f(y)
    num = np.abs(fx - fy) if fx.ndim == 1 else np.linalg.norm(fx - fy, axis=1)
    den = np.linalg.norm(x - y, axis=1)
    ok = den > 0
    return num[ok] / den[ok]


def _pairs(r: np.random.Generator, dim: int, m: int = 400) -> tuple[np.ndarray, np.ndarray]:
    x = r.uniform(-1.5, 1.5, (m, dim))
    near = x + r.normal(0, 10.0 ** r.uniform(-6, -1, (m, 1)), (m, dim))  # close pairs probe the gradient
    far = r.uniform(-1.5, 1.5, (m, dim))
    return np.concatenate([x, x]), np.concatenate([near, far])


class TestCertifiedConstants:
    @given(st.sampled_from(LOSSES), st.integers(1, 6), st.integers(0, 2 ** 31), st.floats(0.1, 20),
           st.booleans())
    def test_loss_constant_bounds_difference_quotients(self, family, dim, seed, scale, clip):
        """|f(x) - f(y)| <= L |x - y| on random pairs, near and far, for every loss family."""
        r = np.random.default_rng(seed)
        f = get_loss(family, dim, r, scale=scale, clip=clip)
        x, y = _pairs(r, dim)
        assert np.all(_ratio(f, x, y) <= f.lipschitz * (1 + 1e-7) + 1e-12)

    @given(st.sampled_from(MAPS), st.integers(1, 4), st.integers(1, 6), st.integers(0, 2 ** 31))
    def test_map_constant_bounds_difference_quotients(self, family, dim, out_dim, seed):
        """Generative maps satisfy |G(x) - G(y)| <= L |x - y| on random pairs."""
        if family == "identity":
            out_dim = dim
        r = np.random.default_rng(seed)
        g = get_map(family, dim, out_dim, r, scale=2.0)
        x, y = _pairs(r, dim)
        assert np.all(_ratio(g, x, y) <= g.lipschitz * (1 + 1e-7) + 1e-12)

    @given(st.integers(0, 2 ** 31))
    def test_composition_constant(self, seed):
        """loss ∘ map has constant L_loss * L_map and respects it."""
        r = np.random.default_rng(seed)
        g = get_map("relu", 2, 5, r)
        f = get_loss("sinusoid", 5, r)
        h = compose(f, g)
        assert h.lipschitz == pytest.approx(f.lipschitz * g.lipschitz)
        x, y = _pairs(r, 2)
        assert np.all(_ratio(h, x, y) <= h.lipschitz * (1 + 1e-7))
        assert h(x).shape == (x.shape[0],)

    def test_linear_loss_constant_is_attained(self):
        """For a linear loss the certified constant is tight (attained along the weight direction)."""
        f = get_loss("linear", 3, np.random.default_rng(0), scale=2.0, clip=False)
        w = f(np.eye(3)) - f(np.zeros((3, 3)))
        assert np.linalg.norm(w) == pytest.approx(2.0, rel=1e-6)
        assert f.lipschitz == pytest.approx(2.0, rel=1e-6)

    def test_spectral_norm_upper_bounds_gain(self):
        """spectral_norm(A) >= |A v| for unit vectors v, and is within 1e-8 of the largest singular value."""
        r = np.random.default_rng(1)
        a = r.standard_normal((7, 4))
        v = r.standard_normal((4, 1000))
        v /= np.linalg.norm(v, axis=0)
        assert np.max(np.linalg.norm(a @ v, axis=0)) <= spectral_norm(a)
        assert spectral_norm(a) == pytest.approx(np.linalg.svd(a, compute_uv=False)[0], rel=1e-8)

    def test_clipped_losses_in_unit_interval(self):
        """Clipped losses take values in [0, 1]."""
        r = np.random.default_rng(2)
        for fam in LOSSES:
            v = get_loss(fam, 2, r, scale=5.0)(r.uniform(-3, 3, (500, 2)))
            assert np.all((v >= 0) & (v <= 1))

    def test_periodic_flags(self):
        """Integer-frequency sinusoids and torus distance losses are periodic; linear losses are not."""
        r = np.random.default_rng(3)
        s = get_loss("sinusoid", 2, r)
        x = r.random((50, 2))
        assert s.periodic and np.allclose(s(x), s(x + np.array([1.0, -2.0])))
        assert get_loss("distance", 2, r, periodic=True).periodic
        assert not get_loss("linear", 2, r).periodic
        assert compose(get_loss("sinusoid", 2, r), get_map("identity", 2, 2, r)).periodic
        assert compose(get_loss("linear", 3, r), get_map("sinusoid", 2, 3, r)).periodic
        assert not compose(get_loss("sinusoid", 3, r), get_map("linear", 2, 3, r)).periodic

    @given(st.integers(0, 2 ** 31), st.integers(1, 3))
    def test_periodic_losses_respect_torus_distance(self, seed, dim):
        """A loss flagged periodic satisfies |f(x) - f(y)| <= L * torus_dist(x, y)."""
        r = np.random.default_rng(seed)
        f = compose(get_loss("sinusoid", dim + 1, r, scale=3.0), get_map("sinusoid", dim, dim + 1, r))
        assert f.periodic
        x, y = r.random((500, dim)), r.random((500, dim))
        diff = x - y
        torus = np.linalg.norm(diff - np.round(diff), axis=1)
        assert np.all(np.abs(f(x) - f(y)) <= f.lipschitz * torus * (1 + 1e-7) + 1e-12)

    @pytest.mark.parametrize("call", [
        lambda r: get_loss("bogus", 2, r), lambda r: get_loss("linear", 0, r), lambda r: get_loss("linear", 2, 0),
        lambda r: get_loss("relu", 2, r, scale=-1), lambda r: get_map("identity", 2, 3, r),
        lambda r: get_loss("linear", 2, r)(np.array([[np.nan, 0.0]])),
        lambda r: get_loss("linear", 2, r)(np.zeros((3, 5))),
    ], ids=["family", "dim", "rng", "scale", "identity-dims", "nan-input", "shape"])
    def test_bad_arguments(self, call):
        """Bad families, dimensions, seeds, scales or inputs raise UsageError."""
        with pytest.raises(UsageError):
            call(np.random.default_rng(0))
