"""The referee report on the seed (examples/referee/referee.py), fast variant: every item is stated with its
evidence and the verdicts are the ones the mathematics forces."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module():
    spec = importlib.util.spec_from_file_location("referee", ROOT / "examples" / "referee" / "referee.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fast_referee_report(tmp_path):
    """(a) proved, (b) refuted for 1 <= d < 2 and proved for d >= 2, (c) covering follows the box dimension,
    (d) the good-sample distance does not vanish, (e) the norm peaks with the risk and the bits do not."""
    data = _module().build(tmp_path, fast=True, pdf=False)
    assert data["ab"]["lipschitz"] == "PROVED"
    assert data["ab"]["gap_exponent"] == "REFUTED" and data["ab"]["gap_exponent_d_ge_2"] == "PROVED"
    assert ("(1 <= d) & (d < 2)", "-1/2") in data["ab"]["gap_cases"]
    c = data["c"]
    assert c["hausdorff_dim"] == 0 and abs(c["exponent"] - (-1 / c["box_dim"])) < 0.1
    d = data["d"]
    assert abs(d["exponent"]) < 0.1 and d["good_last"] > 0.1 and d["nearest_exponent"] < -0.8
    tr = data["e"]["tracking"]
    assert tr["norm_peaks_with_risk"] and not tr["bits_peaks_with_risk"]
    tex = (tmp_path / "referee.tex").read_text()
    for head in ("(a) The pointwise Lipschitz step", "(b) The generalization gap", "(c) ``$d$ is the Hausdorff",
                 "(d) The distance to the nearest", "(e) Double descent"):
        assert head in tex
    assert tex.count("Reproduce:") >= 7
    for fig in ("countable-covering.pdf", "good-distance.pdf", "double-descent.pdf"):
        assert (tmp_path / fig).stat().st_size > 1000
