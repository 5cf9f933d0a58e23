"""Tests of `boundcheck scaling` (CLI) and the scaling run behind it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from boundcheck.cli import main
from boundcheck.empirical import get_sampler, get_space, parse_ns, run_scaling
from boundcheck.errors import UsageError


def test_parse_ns_range_and_list():
    """LO:HI gives geometric integers including both ends; a comma list is sorted and deduplicated."""
    assert parse_ns("100:100000", 4) == (100, 1000, 10000, 100000)
    assert parse_ns("30,10,10") == (10, 30)


@pytest.mark.parametrize("text", ["0:10", "10:5", "abc", "5", "10:1e400"], ids=["zero", "reversed", "text",
                                                                              "single", "inf"])
def test_parse_ns_rejects(text):
    """Malformed or degenerate n specifications raise UsageError."""
    with pytest.raises(UsageError):
        parse_ns(text)


def test_scaling_json_and_plot(tmp_path, capsys):
    """The CLI writes JSON with fits, theory and a plot; the torus exponent is near -1/d."""
    out, plot = tmp_path / "s.json", tmp_path / "s.png"
    rc = main(["scaling", "--space", "torus", "--dim", "2", "--n", "100:3000", "--points", "4", "--seeds", "3",
               "--queries", "3000", "--json", str(out), "--plot", str(plot)])
    assert rc == 0
    data = json.loads(out.read_text())
    assert data["fits"]["nearest"]["exponent"] == pytest.approx(-0.5, abs=0.05)
    assert data["covering_kind"] == "upper"
    assert len(data["theory"]["nearest"]["values"]) == 4 and data["hall_janson_ratio"]
    assert plot.stat().st_size > 1000
    assert "exponent" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["scaling", "--space", "klein"], ["scaling", "--sampler", "bogus"], ["scaling", "--space", "sphere", "--dim", "1"],
    ["scaling", "--n", "0:10"], ["scaling", "--space", "cube", "--dim", "3", "--sampler", "hex"],
    ["scaling", "--seeds", "0"], ["scaling", "--param", "nokey"],
], ids=["space", "sampler", "dim", "n", "hex3d", "seeds", "param"])
def test_bad_input_exit_2(argv, capsys):
    """Unknown names, bad dimensions, n < 1 and unsupported combinations exit with code 2 and a message."""
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_grid_scaling_exponent_exact():
    """A square-grid scaling run on the cube fits exponent -1/d with the theory values attached."""
    res = run_scaling(get_space("cube", 2), get_sampler("grid"), [16, 64, 256, 1024], seeds=2, queries=500,
                      n_boot=50)
    d = res.to_dict()
    assert d["fits"]["covering"]["exponent"] == pytest.approx(-0.5, abs=0.01)
    assert np.allclose(np.asarray(d["covering"]).mean(0), d["theory"]["covering"]["values"], rtol=0.02)


def test_zero_distances_give_no_fit_but_a_note():
    """On {1/k} with the grid sampler (the n largest points) 100 queries all hit training points at n = 1e5
    (probability 0.999): the mean distance is 0, so no fit but a note, and the CLI still exits 0."""
    res = run_scaling(get_space("countable"), get_sampler("grid"), [1000, 100_000], seeds=1, queries=100,
                      n_boot=20)
    d = res.to_dict()
    assert np.asarray(d["nearest_mean"])[0, -1] == 0.0
    assert d["fits"]["nearest"] is None and "no power-law fit" in d["notes"][0]
    assert d["fits"]["covering"]["exponent"] < 0
    assert main(["scaling", "--space", "countable", "--sampler", "grid", "--n", "10:1000", "--points", "3",
                 "--seeds", "1", "--queries", "300"]) == 0


def test_t_interval_on_per_seed_slopes():
    """interval='t': the exponent is the mean per-seed slope and the CI mean ± t(0.975, S-1) sd/sqrt(S)."""
    from scipy.stats import t as student_t

    from boundcheck.empirical import fit_power_law

    ns = np.array([10.0, 100.0, 1000.0])
    slopes = np.array([-0.5, -0.45, -0.55, -0.52])
    values = np.exp(np.log(ns)[None, :] * slopes[:, None])
    fit = fit_power_law(ns, values, rng=np.random.default_rng(0), interval="t")
    half = student_t.ppf(0.975, 3) * slopes.std(ddof=1) / 2
    assert fit.resampled == "t-seeds" and fit.exponent == pytest.approx(slopes.mean())
    assert fit.exponent_ci == pytest.approx((slopes.mean() - half, slopes.mean() + half))
    with pytest.raises(UsageError):
        fit_power_law(ns, values, rng=np.random.default_rng(0), interval="nope")


def test_lower_estimate_is_never_fitted(tmp_path):
    """In d = 5 the covering radius is a Monte Carlo lower estimate: no exponent, no Hall-Janson statistic."""
    res = run_scaling(get_space("torus", 5), get_sampler("iid"), [50, 200], seeds=2, queries=500, workers=1)
    assert res.covering_kind == "lower-estimate" and res.covering_fit is None and res.hall_janson is None
    assert any("lower estimate" in n and "no exponent" in n for n in res.notes)
    out = tmp_path / "s.json"
    assert main(["scaling", "--dim", "5", "--n", "50,200", "--seeds", "2", "--queries", "500", "--workers", "1",
                 "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["fits"]["covering"] is None and data["hall_janson_ratio"] is None


def test_workers_do_not_change_the_numbers():
    """Cells are seeded independently: one process or two give identical measurements."""
    args = (get_space("torus", 2), get_sampler("iid"), [50, 200, 800])
    a = run_scaling(*args, seeds=3, queries=400, workers=1)
    b = run_scaling(*args, seeds=3, queries=400, workers=2)
    assert np.array_equal(a.nearest_mean, b.nearest_mean) and np.array_equal(a.covering, b.covering)


def test_second_order_theory_and_effective_slope():
    """On the 2-torus the second-order Hall-Janson curve lies within 10 % of the measured covering radius
    (the first-order one lies further below), and its effective slope over the range is reported."""
    res = run_scaling(get_space("torus", 2), get_sampler("iid"), [300, 1000, 3000], seeds=4, queries=2000,
                      workers=1)
    th = res.theory["covering"]
    mean = res.covering.mean(axis=0)
    second = np.asarray(th["values"])
    first = np.asarray(th["values_first_order"])
    assert np.all(np.abs(second / mean - 1) < 0.1)
    assert np.all(np.abs(second / mean - 1) < np.abs(first / mean - 1))
    assert -0.5 < th["effective_exponent"] < -0.4


def test_countable_iid_theory_says_where_it_comes_from():
    """The iid rates on {0} ∪ {k^-p} carry their (heuristic, unpublished) provenance."""
    from boundcheck.empirical._theory import theory_for

    th = theory_for(get_space("countable", None, p=2.0), get_sampler("iid"), np.array([100.0, 1000.0]))
    assert th["nearest"]["exponent"] == -2.0 and th["covering"]["exponent"] == -1.5
    assert "no published rate" in th["nearest"]["source"]
