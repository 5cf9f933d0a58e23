"""Tests for boundcheck.falsify: the conjecture format and its errors, predictions, classification,
samplers, spec gaps, scenarios."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from boundcheck.cli import main
from boundcheck.errors import SpecError
from boundcheck.falsify import (Scenario, evaluate, load_conjecture, loads_conjecture, predicted_exponent)
from boundcheck.falsify._measure import classify, fit_exponent
from boundcheck.falsify._scenario import draw_scenario, mutate_scenario, scenario_strategy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "conjectures"

GOOD = """\
name = "t"

[conjecture]
quantity = "covering_radius"
exponent = "-1/hausdorff_dim"
tolerance = 0.1

[search]
spaces = [
  { name = "cube", dim = [1, 2] },
  { name = "countable", p = [0.5, 2.0] },
]
samplers = ["iid", "spread"]
n = [32, 512]
points = 5
seeds = 2
"""


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


class TestFormat:
    def test_examples_load(self):
        """Every example conjecture parses, with its quantities and exponent."""
        files = sorted(EXAMPLES.glob("*.toml"))
        assert len(files) >= 2
        for f in files:
            conj = load_conjecture(f)
            assert conj.quantities
            assert {str(s) for s in conj.exponent.free_symbols} <= {"hausdorff_dim", "box_dim", "intrinsic_dim"}

    def test_hausdorff_scaling_binds_croissant(self):
        """The flagship conjecture measures the Croissant gap with d bound to the Hausdorff dimension."""
        conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
        assert "spec_gap" in conj.quantities
        assert dict(conj.spec.bind)["d"] == "hausdorff_dim"
        assert conj.spec.expr == "gap"

    def test_unknown_space_names_file_key_line(self, tmp_path):
        """An unknown space is a SpecError naming the file, the key and the line of the name."""
        text = _with(GOOD, '{ name = "countable"', '{ name = "klein_bottle"')
        path = tmp_path / "c.toml"
        path.write_text(text)
        with pytest.raises(SpecError) as info:
            load_conjecture(path)
        err = info.value
        assert err.file == str(path)
        assert err.key == "search.spaces[1].name"
        assert err.line == text.splitlines().index('  { name = "klein_bottle", p = [0.5, 2.0] },') + 1
        assert "klein_bottle" in str(err)

    def test_unknown_name_in_exponent(self, tmp_path):
        """An exponent using a name that is not a space property is a SpecError at its line."""
        text = _with(GOOD, 'exponent = "-1/hausdorff_dim"', 'exponent = "-1/d"')
        path = tmp_path / "c.toml"
        path.write_text(text)
        with pytest.raises(SpecError) as info:
            load_conjecture(path)
        err = info.value
        assert (err.file, err.key) == (str(path), "conjecture.exponent")
        assert err.line == text.splitlines().index('exponent = "-1/d"') + 1
        assert "unknown name 'd'" in str(err)

    def test_exponent_is_never_evaluated(self, tmp_path):
        """Python code in the exponent is refused by the safe parser, not run."""
        text = _with(GOOD, 'exponent = "-1/hausdorff_dim"', 'exponent = "__import__(\'os\').getcwd()"')
        with pytest.raises(SpecError):
            loads_conjecture(text, file="x.toml")

    @pytest.mark.parametrize("old,new,key", [
        ('quantity = "covering_radius"', 'quantity = "volume"', "conjecture.quantity[0]"),
        ("n = [32, 512]", "n = [32, 64]", "search.n"),
        ("points = 5", "points = 2", "search.points"),
        ('samplers = ["iid", "spread"]', 'samplers = ["iid", "warp"]', "search.samplers[1].name"),
        ('{ name = "cube", dim = [1, 2] }', '{ name = "cube", dim = [2, 1] }', "search.spaces[0].dim"),
        ('{ name = "cube", dim = [1, 2] }', '{ name = "cube", width = 3 }', "search.spaces[0]"),
        ('quantity = "covering_radius"', 'quantity = "good_distance"', "search.losses"),
        ('quantity = "covering_radius"', 'quantity = "spec_gap"', "spec"),
        ("tolerance = 0.1", "tolerance = -1", "conjecture.tolerance"),
        ('name = "t"', 'name = "t"\ncolour = 1', "colour"),
    ], ids=["unknown-quantity", "short-n-range", "few-points", "unknown-sampler", "empty-range",
            "bad-space-param", "loss-needed", "spec-needed", "negative-tolerance", "unknown-top-key"])
    def test_bad_inputs(self, old, new, key):
        """Malformed conjectures raise SpecError naming the offending key and a line."""
        with pytest.raises(SpecError) as info:
            loads_conjecture(_with(GOOD, old, new), file="bad.toml")
        assert info.value.key == key
        assert info.value.line is not None

    def test_good_rule_errors(self):
        """An unknown good-sample rule is reported with its index."""
        text = GOOD.replace('quantity = "covering_radius"', 'quantity = "good_distance"') + \
            'losses = ["relu"]\ngood = ["mean", "best(3)"]\n'
        with pytest.raises(SpecError) as info:
            loads_conjecture(text, file="bad.toml")
        assert info.value.key == "search.good[1]"

    def test_spec_binding_errors(self, tmp_path):
        """[spec.bind] must bind every free symbol of the expression, and only spec symbols."""
        base = GOOD.replace('quantity = "covering_radius"', 'quantity = "spec_gap"') + (
            '\n[spec]\nfile = "croissant.toml"\nexpr = "gap"\n\n[spec.bind]\n'
            'd = "hausdorff_dim"\nK = [0.5, 2.0]\ndelta = 0.05\n')
        (tmp_path / "croissant.toml").write_text((ROOT / "examples" / "croissant.toml").read_text())
        with pytest.raises(SpecError) as info:
            loads_conjecture(base, file=str(tmp_path / "bad.toml"))
        assert info.value.key == "spec.bind" and "C" in str(info.value)
        with pytest.raises(SpecError) as info:
            loads_conjecture(base + "C = 10\nZ = 1\n", file=str(tmp_path / "bad.toml"))
        assert info.value.key == "spec.bind.Z"
        conj = loads_conjecture(base + "C = 10\n", file=str(tmp_path / "ok.toml"))
        assert dict(conj.spec.bind)["d"] == "hausdorff_dim"

    @pytest.mark.parametrize("old,new", [
        ('{ name = "countable"', '{ name = "klein_bottle"'),
        ('exponent = "-1/hausdorff_dim"', 'exponent = "-1/dimension"'),
    ], ids=["unknown-space", "unknown-exponent-name"])
    def test_cli_exit_2(self, tmp_path, old, new, capsys):
        """The CLI exits with code 2 and names the file on a malformed conjecture."""
        path = tmp_path / "bad.toml"
        path.write_text(_with(GOOD, old, new))
        assert main(["falsify", str(path), "--budget", "1", "--workers", "1"]) == 2
        assert "bad.toml" in capsys.readouterr().err

    def test_cli_missing_file_exit_2(self, tmp_path):
        """A missing conjecture file or artifact is bad input (exit 2)."""
        assert main(["falsify", str(tmp_path / "nope.toml")]) == 2
        assert main(["falsify", "--replay", str(tmp_path / "nope.json")]) == 2


class TestPrediction:
    def test_zero_dimension_gives_minus_infinity(self):
        """-1/hausdorff_dim at Hausdorff dimension 0 is the one-sided limit -oo, not an error."""
        conj = loads_conjecture(GOOD)
        props = {"hausdorff_dim": 0.0, "box_dim": 0.5, "intrinsic_dim": 0.0}
        assert predicted_exponent(conj.exponent, props) == -math.inf

    def test_box_dimension(self):
        """An exponent in box_dim evaluates with the space's box dimension."""
        conj = loads_conjecture(_with(GOOD, "-1/hausdorff_dim", "-1/box_dim"))
        assert predicted_exponent(conj.exponent, {"hausdorff_dim": 0.0, "box_dim": 0.5,
                                                  "intrinsic_dim": 0.0}) == pytest.approx(-2.0)


class TestClassify:
    NS = np.array([64, 128, 256, 512, 1024, 2048])

    def _verdict(self, values: np.ndarray, predicted: float) -> tuple[str, float]:
        rng = np.random.default_rng(0)
        v = values[:, None] * np.ones((1, 3))
        full = fit_exponent(self.NS, v, rng, 50, 0.95)
        lower = fit_exponent(self.NS[:3], v[:3], rng, 50, 0.95)
        upper = fit_exponent(self.NS[3:], v[3:], rng, 50, 0.95)
        verdict, _, asym = classify(full, lower, upper, predicted, 0.1)
        return verdict, asym

    def test_log_factor_is_pre_asymptotic(self):
        """(log n / n) deviates from n^-1 by more than the tolerance, but the deviation shrinks: pre-asymptotic."""
        values = np.log(self.NS) / self.NS
        verdict, asym = self._verdict(values, -1.0)
        assert verdict == "pre-asymptotic"
        assert abs(asym + 1.0) < 0.1

    def test_persistent_deviation_is_refuted(self):
        """A clean n^-1/2 against a predicted n^-1 is a refutation."""
        assert self._verdict(self.NS ** -0.5, -1.0)[0] == "refuted"

    def test_crossover_to_other_exponent_is_refuted(self):
        """A sum whose exponent moves away from the prediction as n grows (the Occam term taking over) is
        refuted."""
        values = 1.0 * self.NS ** -1.0 + 0.1 * self.NS ** -0.5
        assert self._verdict(values, -1.0)[0] == "refuted"

    def test_late_crossover_is_unsettled(self):
        """A crossover that only starts at the top of the n range is unsettled, not refuted."""
        values = 5.0 * self.NS ** -1.0 + 0.1 * self.NS ** -0.5
        assert self._verdict(values, -1.0)[0] == "unsettled"

    def test_exact_power_law_is_consistent(self):
        """An exact n^-1/3 is consistent with -1/3."""
        assert self._verdict(2.0 * self.NS ** (-1 / 3), -1 / 3)[0] == "consistent"


class TestMeasure:
    def test_spread_cover_is_optimal_on_interval(self):
        """The 1-D greedy 'spread' sampler attains the optimal covering radius 1/(2n) of [0, 1]."""
        from boundcheck.empirical import get_space
        from boundcheck.empirical._spread import greedy_cover_1d

        for n in (10, 37, 100):
            centres, r = greedy_cover_1d(get_space("cube", 1), n)
            assert len(centres) <= n
            assert r == pytest.approx(1 / (2 * n), rel=0.02)

    def test_spec_gap_matches_formula(self):
        """The Croissant gap evaluated from the spec equals K sqrt(d)/2 n^(-1/d) + Occam term."""
        from boundcheck.falsify._spec_eval import evaluate_gap

        conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
        ns = [10, 1000, 10**6]
        got = evaluate_gap(conj, {"K": 2.0, "C": 100.0, "delta": 0.05}, {"hausdorff_dim": 1.5}, ns)
        want = [2.0 * math.sqrt(1.5) / 2 * n ** (-1 / 1.5) + math.sqrt((100 * math.log(2) + math.log(20)) / (2 * n))
                for n in ns]
        assert got == pytest.approx(want, rel=1e-12)

    def test_spec_gap_outside_domain_is_invalid(self):
        """A space whose dimension lies outside the spec's domain of d (Cantor set, d < 1) is invalid, not
        a counterexample."""
        conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
        scen = Scenario.from_dict({"quantity": "spec_gap", "space": {"name": "cantor"}, "sampler": {"name": "none"},
                                   "map": {"name": "identity"}, "loss": None, "good": "all",
                                   "bind": {"K": 1.0, "C": 10.0, "delta": 0.05}, "seed": 1})
        ev = evaluate(conj, scen)
        assert ev.verdict == "invalid" and "domain" in ev.note

    @pytest.mark.parametrize("space,bind,verdict,exact", [
        ({"name": "cube", "dim": 1}, {"K": 1.0, "C": 1.0, "delta": 0.05}, "refuted", -0.5),
        ({"name": "sierpinski"}, {"K": 5.0, "C": 5.0, "delta": 0.05}, "refuted", -0.5),
        ({"name": "cube", "dim": 3}, {"K": 0.1, "C": 50000.0, "delta": 0.05}, "pre-asymptotic", -1 / 3),
    ], ids=["d1-occam", "d1.58-occam", "d3-occam-until-1e20"])
    def test_spec_gap_settled_symbolically(self, space, bind, verdict, exact):
        """The Croissant gap: d < 2 is refuted (exponent -1/2, confirmed symbolically); at d = 3 with a large
        Occam term the numbers deviate up to n = 1e9 but the exact exponent is -1/3: pre-asymptotic."""
        conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
        scen = Scenario.from_dict({"quantity": "spec_gap", "space": space, "sampler": {"name": "none"},
                                   "map": {"name": "identity"}, "loss": None, "good": "all", "bind": bind,
                                   "seed": 1})
        ev = evaluate(conj, scen)
        assert ev.verdict == verdict
        assert ev.symbolic == pytest.approx(exact)
        assert abs(ev.upper.exponent + 0.5) < 0.05  # what the numbers alone show

    def test_evaluation_is_deterministic(self):
        """The same scenario evaluates to identical values twice."""
        conj = load_conjecture(EXAMPLES / "torus-nn.toml")
        scen = draw_scenario(conj, np.random.default_rng(3))
        a, b = evaluate(conj, scen), evaluate(conj, scen)
        assert a.values == b.values and a.verdict == b.verdict != "invalid"


LOSSY = """\
[conjecture]
quantities = ["nearest_distance", "good_distance", "loss_gap"]
exponent = "-1/hausdorff_dim"
[search]
spaces = [{ name = "torus", dim = 1 }]
samplers = ["iid"]
losses = ["sinusoid"]
good = ["all", "mean"]
n = [64, 1024]
points = 5
seeds = 3
"""


def _scen(quantity: str, good: str = "all") -> Scenario:
    return Scenario.from_dict({"quantity": quantity, "space": {"name": "torus", "dim": 1},
                               "sampler": {"name": "iid"}, "map": {"name": "identity"},
                               "loss": {"name": "sinusoid"}, "good": good, "bind": {}, "seed": 11})


class TestQuantities:
    def test_good_rule_all_is_nearest_distance(self):
        """With every sample good, the good-sample distance equals the nearest-sample distance exactly."""
        conj = loads_conjecture(LOSSY)
        a, b = evaluate(conj, _scen("nearest_distance")), evaluate(conj, _scen("good_distance", "all"))
        assert a.values == b.values and a.verdict == "consistent"

    def test_good_region_does_not_shrink(self):
        """Under the rule 'loss <= mean training loss' the good-sample distance stops shrinking: refuted."""
        conj = loads_conjecture(LOSSY)
        ev = evaluate(conj, _scen("good_distance", "mean"))
        assert ev.verdict == "refuted"
        assert abs(ev.upper.exponent) < 0.2

    def test_loss_gap_follows_nearest_distance(self):
        """The 1-NN interpolant's gap of a Lipschitz loss on the circle shrinks like n^-1."""
        conj = loads_conjecture(LOSSY)
        ev = evaluate(conj, _scen("loss_gap"))
        assert ev.verdict == "consistent", (ev.fit, ev.upper)
        assert ev.fit.lo - 0.1 <= -1.0 <= ev.fit.hi + 0.1


class TestScenario:
    @given(st.data())
    def test_round_trip(self, data):
        """Scenarios drawn by the Hypothesis strategy survive to_dict/from_dict unchanged."""
        conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
        scen = data.draw(scenario_strategy(conj))
        assert Scenario.from_dict(scen.to_dict()) == scen
        assert scen.quantity in conj.quantities

    def test_mutation_stays_in_space(self):
        """Mutated scenarios keep their quantity and use only declared components."""
        conj = load_conjecture(EXAMPLES / "hausdorff-scaling.toml")
        rng = np.random.default_rng(0)
        names = {c.name for c in conj.search.spaces}
        for _ in range(50):
            s = draw_scenario(conj, rng)
            m = mutate_scenario(conj, s, rng)
            assert m.quantity == s.quantity and m.space in names
            if m.quantity != "spec_gap":
                assert m.sampler in {c.name for c in conj.search.samplers}


class TestModule:
    def test_public_names_exist(self):
        """Every name in boundcheck.falsify.__all__ is defined."""
        import boundcheck.falsify as f

        assert all(hasattr(f, name) for name in f.__all__)

    def test_import_is_light(self):
        """Importing the falsify layer pulls in no CLI, report, rich, matplotlib, z3 or dask."""
        import subprocess
        import sys

        forbidden = ["boundcheck.cli", "boundcheck.report", "rich", "matplotlib", "z3", "distributed"]
        code = ("import sys, boundcheck.falsify\n"
                f"print(','.join(m for m in {forbidden!r} if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=ROOT)
        assert out.stdout.strip() == ""
