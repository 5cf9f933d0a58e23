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
