"""Double descent of min-norm least squares against Hastie et al. (2022)."""

import json

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.empirical import run_double_descent, theory_norm, theory_risk
from boundcheck.errors import UsageError


@pytest.fixture(scope="module")
def result():
    return run_double_descent(400, [0.5, 0.8, 0.95, 1.05, 1.25, 2.0], r2=1.0, sigma2=0.25, seeds=4, seed=3)


def test_risk_matches_theory_away_from_threshold(result):
    """At gamma = 0.5 and 2 the simulated risk is within 15 % of the asymptotic formula."""
    risk = dict(zip(result.gammas, result.mean_risk()))
    for g in (0.5, 2.0):
        assert abs(risk[g] - theory_risk(g, 1.0, 0.25)) < 0.15 * theory_risk(g, 1.0, 0.25)


def test_norm_peaks_at_interpolation_threshold(result):
    """|beta_hat|^2, the complexity a norm bound charges, rises then falls with its peak next to gamma = 1."""
    norm = result.mean_norm2()
    peak = result.gammas[int(np.argmax(norm))]
    assert peak in (0.95, 1.05)
    assert norm[0] < norm[2] and norm[-1] < norm[3]
    assert abs(dict(zip(result.gammas, norm))[2.0] - theory_norm(2.0, 1.0, 0.25)) < 0.15


def test_reproducible():
    """The same seed gives the same numbers."""
    a = run_double_descent(50, [0.5, 2.0], seeds=2, seed=7)
    b = run_double_descent(50, [0.5, 2.0], seeds=2, seed=7)
    assert a.risk == b.risk and a.norm2 == b.norm2


@pytest.mark.parametrize("kwargs", [{"n": 1}, {"gammas": [0.5, -1.0]}, {"sigma2": -1.0}, {"seeds": 0}],
                         ids=["n", "gamma", "sigma2", "seeds"])
def test_bad_input(kwargs):
    """Bad parameters raise UsageError."""
    args = {"n": 50, "gammas": [0.5]} | kwargs
    with pytest.raises(UsageError):
        run_double_descent(args.pop("n"), args.pop("gammas"), **args)


def test_cli(tmp_path):
    """The verb writes JSON and a plot; bad input exits 2."""
    out = tmp_path / "dd.json"
    plot = tmp_path / "dd.png"
    assert main(["double-descent", "--n", "60", "--gammas", "0.5,1.5", "--seeds", "2", "--json", str(out),
                 "--plot", str(plot)]) == 0
    data = json.loads(out.read_text())
    assert len(data["risk_mean"]) == 2 and plot.stat().st_size > 1000
    assert main(["double-descent", "--n", "1"]) == 2
    assert main(["double-descent", "--gammas", "a,b"]) == 2


def test_min_norm_solve_matches_pinv():
    """The Cholesky min-norm solver equals pinv(X) y on both sides of the threshold."""
    from boundcheck.empirical._double_descent import min_norm_solve

    rng = np.random.default_rng(3)
    for p in (20, 80):
        X = rng.standard_normal((50, p))
        y = rng.standard_normal(50)
        assert np.allclose(min_norm_solve(X, y), np.linalg.pinv(X) @ y, rtol=1e-8, atol=1e-10)


def test_description_length_formula_and_tracking():
    """bits = (p/2) log2(2 pi e |b|^2 / (12 eta risk)); the norm peaks with the risk at the threshold, the
    description length (which grows with p) does not."""
    import math

    from boundcheck.empirical._double_descent import ETA, description_bits

    assert description_bits(10, 2.0, 0.5) == pytest.approx(5 * math.log2(2 * math.pi * math.e * 4 / (12 * ETA)))
    assert description_bits(10, 0.0, 0.5) == 0.0
    res = run_double_descent(100, (0.5, 0.8, 0.95, 1.05, 1.5, 3.0), seeds=6, seed=1)
    tr = res.tracking()
    assert tr["norm_peaks_with_risk"] and tr["norm_peak_gamma"] in (0.95, 1.05)
    assert not tr["bits_peaks_with_risk"] and tr["bits_peak_gamma"] == 3.0
