"""Tests of the stress layer and `boundcheck stress`: the [stress] table, both forms, shrinking, replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boundcheck.cli import main
from boundcheck.errors import SpecError, UsageError
from boundcheck.spec import load, loads
from boundcheck.stress import (StressExample, evaluate_example, load_example, replay, run_stress, stress_config)

ROOT = Path(__file__).resolve().parent.parent
CROISSANT = ROOT / "examples" / "croissant.toml"

BASE = """
name = "toy"
[symbols]
n = { kind = "integer", min = 1 }
d = { kind = "real", min = 1 }
K = { kind = "real", min_open = 0 }
C = { kind = "real", min = 0 }
delta = { kind = "real", min_open = 0, max_open = 1 }
L_train = { kind = "real", min = 0, max = 1 }
[definitions]
radius = "sqrt(d)/2 * n**(-1/d)"
complexity = "sqrt((C*log(2) + log(1/delta)) / (2*n))"
bound = "BOUND"
"""
STRESS = """
[stress]
lipschitz = "K"
radius = "radius"
training_loss = "L_train"
n = "n"
dim = "d"
"""


def spec(bound: str, stress: str = STRESS, tmp_path: Path | None = None):
    text = BASE.replace("BOUND", bound) + stress
    if tmp_path is None:
        return loads(text, file="toy.toml")
    path = tmp_path / "toy.toml"
    path.write_text(text)
    return load(path)


class TestConfig:
    def test_croissant_table(self):
        """The Croissant spec's [stress] table names K, radius, L_train, n, d and the default bound."""
        cfg = stress_config(load(CROISSANT))
        assert (cfg.lipschitz, cfg.radius, cfg.training_loss, cfg.n, cfg.dim, cfg.bound) == \
            ("K", "radius", "L_train", "n", "d", "bound")

    def test_missing_table(self):
        """A spec without [stress] raises SpecError on key 'stress'."""
        with pytest.raises(SpecError) as info:
            stress_config(spec("L_train + K*radius", stress=""))
        assert info.value.key == "stress"

    @pytest.mark.parametrize("replace,key,line", [
        ('lipschitz = "K"', "stress.lipschitz", 2), ('radius = "radius"', "stress.radius", 3),
        ('n = "n"', "stress.n", 5),
    ], ids=["lipschitz", "radius", "n"])
    def test_bad_name_reports_file_key_line(self, tmp_path, replace, key, line):
        """A role naming an unknown symbol raises SpecError with the file, the key and its line."""
        bad = STRESS.replace(replace, replace.split("=")[0] + '= "nope"')
        with pytest.raises(SpecError) as info:
            stress_config(spec("L_train + K*radius", stress=bad, tmp_path=tmp_path))
        err = info.value
        assert err.key == key and err.file.endswith("toy.toml")
        assert err.line == BASE.count("\n") + 1 + line

    def test_unknown_key(self, tmp_path):
        """An unknown key in [stress] is a SpecError naming it."""
        with pytest.raises(SpecError) as info:
            stress_config(spec("L_train + K*radius", stress=STRESS + 'foo = "x"\n', tmp_path=tmp_path))
        assert info.value.key == "stress.foo" and info.value.line is not None

    def test_missing_required(self):
        """Leaving out a required role is a SpecError."""
        with pytest.raises(SpecError, match="training_loss"):
            stress_config(spec("L_train + K*radius", stress=STRESS.replace('training_loss = "L_train"', "")))

    def test_bound_must_use_radius(self):
        """A bound that does not depend on the radius is rejected."""
        with pytest.raises(SpecError, match="does not depend"):
            stress_config(spec("L_train + K"))

    def test_values_checked_against_domain(self):
        """Fixed values outside a symbol's domain are a SpecError."""
        with pytest.raises(SpecError, match="outside its domain"):
            stress_config(spec("L_train + K*radius", stress=STRESS + "values = { delta = 2.0 }\n"))


class TestRun:
    def test_correct_croissant_bound_holds(self):
        """No counterexample for the Croissant bound within the default budget."""
        report = run_stress(load(CROISSANT), seed=0)
        assert report.failure is None and report.examples == 200
        assert report.worst_pointwise <= 1e-9 and report.worst_averaged <= 0
        assert report.skipped < report.examples

    def test_understated_lipschitz_constant_is_found_and_shrunk(self, tmp_path):
        """With K/2 in place of K stress finds a failure and shrinks it to the simplest instance."""
        problem = spec("L_train + K/2*radius + complexity")
        report = run_stress(problem, seed=0, artifact_dir=tmp_path)
        fail = report.failure
        assert fail is not None and "pointwise" in fail.forms
        assert fail.k_eff == pytest.approx(fail.lipschitz / 2)
        ex = fail.example
        assert (ex.space, ex.dim, ex.sampler, ex.n, ex.map, ex.loss) == ("cube", 1, "iid", 1, "identity", "linear")
        saved = json.loads(Path(report.artifact).read_text())
        assert saved["kind"] == "boundcheck-stress-example"
        again = replay(problem, report.artifact)
        assert again.failed and again.pointwise_margin == pytest.approx(fail.pointwise_margin)

    def test_tight_threshold_understatement_is_found(self):
        """A Lipschitz constant understated by only 0.01% fails on a linear 1-D instance whose loss rises at
        its full slope: the tolerance is rounding-sized (1e-9 relative), not a loose 1e-2 that would hide it."""
        ex = StressExample(space="cube", dim=1, space_params=(), sampler="iid", n=1, seed=2, map="identity",
                           map_out_dim=1, map_scale=1.0, loss="linear", loss_scale=1.0,
                           values=(("C", 0.0), ("delta", 0.5)), queries=200)
        tight = spec("L_train + K*(1 - 1/10**4)*radius + complexity")
        out = evaluate_example(tight, stress_config(tight), ex)
        assert out.failed and "pointwise" in out.forms
        assert 0 < out.pointwise_margin < 1e-2 * (1 + abs(out.true_loss))
        exact = spec("L_train + K*radius + complexity")
        assert not evaluate_example(exact, stress_config(exact), ex).failed

    def test_averaged_form_catches_a_too_small_bound(self):
        """A bound that halves the training loss passes the pointwise step but fails the averaged form."""
        problem = spec("L_train/4 + K*radius")
        report = run_stress(problem, seed=1, examples=100)
        assert report.failure is not None and report.failure.forms == ("averaged",)

    def test_example_round_trip(self, tmp_path):
        """A StressExample survives JSON, and evaluating it twice gives identical numbers."""
        ex = StressExample("torus", 2, (), "sobol", 50, 3, "relu", 3, 1.5, "sinusoid", 2.0,
                           (("C", 1.0), ("delta", 0.1)), 100)
        path = tmp_path / "ex.json"
        path.write_text(json.dumps(ex.to_dict()))
        assert load_example(path) == ex
        problem = spec("L_train + K*radius + complexity")
        a = evaluate_example(problem, stress_config(problem), ex)
        b = evaluate_example(problem, stress_config(problem), load_example(path))
        assert a.to_dict() == b.to_dict() and not a.failed

    def test_bad_budget(self):
        """A non-positive budget is a UsageError."""
        with pytest.raises(UsageError):
            run_stress(load(CROISSANT), examples=0)


class TestCli:
    def test_exit_codes(self, tmp_path, capsys):
        """Exit 0 for the correct bound, 1 with a saved example for K/2, and replay reproduces it."""
        assert main(["stress", str(CROISSANT), "--examples", "30", "--json", str(tmp_path / "ok.json"),
                     "--plot", str(tmp_path / "m.png")]) == 0
        ok = json.loads((tmp_path / "ok.json").read_text())
        assert ok["failed"] is False and len(ok["margins"]) == 30 - ok["skipped"]
        assert all(m["pointwise"] <= 1e-9 for m in ok["margins"])
        assert (tmp_path / "m.png").stat().st_size > 1000
        bad = tmp_path / "half.toml"
        bad.write_text(CROISSANT.read_text().replace('"L_train + K*radius + complexity"',
                                                     '"L_train + K/2*radius + complexity"'))
        art = tmp_path / "art"
        assert main(["stress", str(bad), "--artifacts", str(art)]) == 1
        saved = next(art.glob("*.json"))
        assert main(["stress", str(bad), "--replay", str(saved)]) == 1
        assert main(["stress", str(CROISSANT), "--replay", str(saved)]) == 0
        assert "counterexample" in capsys.readouterr().out

    @pytest.mark.parametrize("argv", [["stress", "missing.toml"], ["stress", str(CROISSANT), "--examples", "0"],
                                      ["stress", str(CROISSANT), "--replay", "missing.json"]],
                             ids=["no-spec", "budget", "no-replay"])
    def test_bad_input_exit_2(self, argv):
        """Missing files and bad budgets exit with code 2."""
        assert main(argv) == 2


class TestNonlinearRadius:
    def test_nonlinear_radius_terms(self):
        """A bound not affine in the radius uses the increment bound(r) - bound(0): K*r*(1 + r) >= K*r holds,
        K*r**2 (too small at short distances) is refuted in the pointwise form."""
        holds = run_stress(spec("L_train + K*radius*(1 + radius) + complexity"), seed=0, examples=60)
        assert holds.failure is None and holds.skipped == 0
        fails = run_stress(spec("L_train + K*radius**2 + complexity"), seed=0, examples=200)
        assert fails.failure is not None and "pointwise" in fails.failure.forms


def test_radius_may_be_a_symbol():
    """A spec whose radius is a symbol (not a definition) is stressed with the measured radius."""
    text = BASE.replace('radius = "sqrt(d)/2 * n**(-1/d)"\n', "").replace(
        "[symbols]\n", '[symbols]\nrho = { kind = "real", min = 0 }\n').replace("BOUND", "L_train + K*rho")
    good = loads(text + STRESS.replace('radius = "radius"', 'radius = "rho"'), file="sym.toml")
    assert run_stress(good, seed=0, examples=60).failure is None
    bad = loads(text.replace("L_train + K*rho", "L_train + K*rho/3") + STRESS.replace('radius = "radius"',
                                                                                  'radius = "rho"'), file="sym.toml")
    assert run_stress(bad, seed=0).failure is not None


RADIUS_LINE = 'radius     = "sqrt(d)/2 * n**(-1/d)"'


def croissant_with(old: str, new: str, tmp_path: Path, name: str = "variant.toml") -> Path:
    text = CROISSANT.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new))
    return path


class TestSteps:
    def test_croissant_states_its_sampling_and_occam_term(self):
        """The Croissant [stress] table states the sampling of its radius formula and its Occam term."""
        cfg = stress_config(load(CROISSANT))
        assert (cfg.space, cfg.sampling, cfg.complexity, cfg.bits, cfg.delta) == \
            ("cube", "grid", "complexity", "C", "delta")

    def test_every_step_of_the_croissant_bound_holds(self):
        """Lipschitz, covering, complexity and the whole bound hold; the good-sample distance is a finding."""
        report = run_stress(load(CROISSANT), seed=0, examples=60)
        assert {s.step: s.status for s in report.steps} == {
            "lipschitz": "holds", "covering": "holds", "complexity": "holds", "whole": "holds"}
        assert not report.failed
        cover = next(s for s in report.steps if s.step == "covering")
        assert cover.examples == 60 and cover.worst_margin <= 1e-9
        problem = load(CROISSANT)
        vals = (("C", 1.0), ("KL", 0.0), ("delta", 0.1), ("dist", 0.0), ("loss_i", 0.0), ("loss_z", 0.0))
        out = evaluate_example(problem, stress_config(problem),
                               StressExample("cube", 1, (), "grid", 20, 0, "identity", 1, 1.0, "linear", 1.0, vals))
        # on the stated sampling the nearest *good* sample lies far beyond the formula, and the bound still holds
        assert out.radius_formula == pytest.approx(1 / 40) and out.radius > 10 * out.radius_formula
        assert not out.failed

    @pytest.mark.parametrize("radius", ["sqrt(d)/8*n**(-1/d)", "sqrt(d)/2*n**(-2/d)"], ids=["eighth", "n^-2/d"])
    def test_wrong_radius_formula_fails_the_covering_step(self, tmp_path, capsys, radius):
        """A Croissant spec with a wrong radius formula exits 1 with the covering step named, shrunk to a 1-D
        grid of one or two points, and the saved example replays."""
        path = croissant_with(RADIUS_LINE, f'radius     = "{radius}"', tmp_path)
        out_json = tmp_path / "r.json"
        assert main(["stress", str(path), "--examples", "60", "--artifacts", str(tmp_path / "art"),
                     "--json", str(out_json)]) == 1
        data = json.loads(out_json.read_text())
        assert data["failed_steps"] == ["covering"]
        cover = next(s for s in data["steps"] if s["step"] == "covering")
        ex = cover["failure"]["example"]
        assert (ex["space"], ex["dim"], ex["sampler"]) == ("cube", 1, "grid") and ex["n"] <= 2
        assert cover["failure"]["measured"] >= cover["failure"]["claimed"] * 2
        assert "step covering: fails" in capsys.readouterr().out
        saved = dict(data["step_artifacts"])["covering"]
        assert main(["stress", str(path), "--replay", saved]) == 1
        assert main(["stress", str(CROISSANT), "--replay", saved]) == 0

    def test_radius_formula_one_per_mille_too_small_is_caught(self, tmp_path):
        """0.999 x the exact grid covering radius fails the covering step with a relative margin of 1e-3: a
        tolerance of 1e-2 instead of 1e-9 would miss it."""
        path = croissant_with(RADIUS_LINE, 'radius     = "0.999*sqrt(d)/2 * n**(-1/d)"', tmp_path)
        report = run_stress(load(path), seed=0, examples=40)
        assert report.failed_steps == ("covering",)
        fail = next(s for s in report.steps if s.step == "covering").failure
        assert fail["margin"] == pytest.approx(1 / 0.999 - 1, rel=1e-6)

    def test_lipschitz_constant_one_per_mille_too_small_is_caught(self, tmp_path):
        """0.999 K fails the Lipschitz step (a linear loss on a segment attains its constant) with a margin
        far below 1e-2 of the loss."""
        path = croissant_with('"L_train + K*radius + complexity"', '"L_train + 0.999*K*radius + complexity"',
                              tmp_path)
        report = run_stress(load(path), seed=0, examples=100)
        assert "lipschitz" in report.failed_steps
        assert 0 < report.failure.pointwise_margin < 1e-2

    def test_too_small_occam_term_fails_the_complexity_step(self, tmp_path):
        """An Occam term with 2.5 n in place of 2 n is violated by the exact binomial tail; the correct one is not."""
        path = croissant_with('complexity = "sqrt((C*log(2) + log(1/delta)) / (2*n))"',
                              'complexity = "sqrt((C*log(2) + log(1/delta)) / (2.5*n))"', tmp_path)
        report = run_stress(load(path), seed=0, examples=100)
        assert report.failed_steps == ("complexity",)
        fail = next(s for s in report.steps if s.step == "complexity").failure
        assert fail["measured"] > fail["claimed"]

    def test_occam_failure_probability_exact(self):
        """n = 1, one hypothesis: P(R_hat < p - eps) = 1 - p for p > eps, so the maximum is just below 1 - eps."""
        from boundcheck.stress import occam_failure_probability

        prob, p = occam_failure_probability(0.3, 1, 0)
        assert p > 0.3 and prob == pytest.approx(1 - p) and prob > 0.69
        two, _ = occam_failure_probability(0.3, 1, 1)  # two independent hypotheses: 1 - p^2
        assert two > prob

    def test_steps_not_configured_say_why(self):
        """Without 'space'/'sampling' and the Occam keys those steps are 'not tested' with the reason."""
        report = run_stress(spec("L_train + K*radius + complexity"), seed=0, examples=20)
        status = {s.step: (s.status, s.reason) for s in report.steps}
        assert status["covering"][0] == "not tested" and "sampling" in status["covering"][1]
        assert status["complexity"][0] == "not tested" and "Occam" in status["complexity"][1]

    @pytest.mark.parametrize("extra,match", [('space = "cube"\n', "go together"),
                                             ('space = "cube"\nsampling = "nope"\n', "sampling"),
                                             ('complexity = "complexity"\n', "go together")],
                             ids=["space-alone", "bad-sampler", "complexity-alone"])
    def test_step_keys_validated(self, extra, match):
        with pytest.raises(SpecError, match=match):
            stress_config(spec("L_train + K*radius", stress=STRESS + extra))
