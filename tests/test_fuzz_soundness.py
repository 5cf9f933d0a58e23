"""A small-budget run of the soundness fuzzer (benchmarks/fuzz_soundness.py): random claims of every kind
through the prover, each verdict checked by the independent oracle; no unsound verdict is allowed."""

from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import fuzz_oracle  # noqa: E402
import fuzz_soundness  # noqa: E402


def test_oracle_shares_no_code_with_the_prover():
    """The oracle module imports neither boundcheck nor sympy."""
    text = Path(fuzz_oracle.__file__).read_text(encoding="utf-8")
    assert "import boundcheck" not in text and "from boundcheck" not in text and "sympy" not in text.split('"""', 2)[2]


def test_oracle_evaluates_as_written():
    """t**2/t**2 is undefined at 0 for the oracle, whatever sympy makes of it."""
    from fractions import Fraction

    tree = ("div", ("pow", ("sym", "t"), ("int", 2)), ("pow", ("sym", "t"), ("int", 2)))
    with pytest.raises(fuzz_oracle.Undefined):
        fuzz_oracle.value(tree, {"t": Fraction(0)}, 30)
    assert fuzz_oracle.value(tree, {"t": Fraction(1, 3)}, 30) == 1


def test_oracle_catches_a_planted_false_proof():
    """Given a false claim and a PROVED verdict, the oracle finds the counterexample."""
    import random
    from fractions import Fraction

    claim = {"kind": "nonnegative", "expr": ("sub", ("sym", "x"), ("frac", 1, 3)),
             "symbols": {"x": {"integer": False, "lo": Fraction(0), "hi": Fraction(1), "lo_open": False,
                               "hi_open": False}}, "assume": []}
    assert fuzz_oracle.Oracle(claim, random.Random(0)).check_proved() is not None


def test_small_fuzz_run_finds_no_unsound_verdict():
    """30 random claims: every PROVED survives the oracle's search, every REFUTED witness its re-evaluation."""
    r = fuzz_soundness.fuzz(claims_budget=30, timeout=2.0, base_seed=7)
    assert r["tried"] >= 30
    assert not r["unsound"], r["unsound"]


def _one_symbol(name, lo, hi, integer=False):
    return {name: {"integer": integer, "lo": lo, "hi": hi, "lo_open": False, "hi_open": False}}


def test_oracle_accepts_a_tiny_but_real_violation():
    """0 <= -1/beta**3 at beta = 10**80 fails by 1e-240: real, not rounding; and a true witness is flagged."""
    import random
    from fractions import Fraction

    rhs = ("neg", ("pow", ("sym", "b"), ("int", -3)))
    claim = {"kind": "le", "lhs": ("int", 0), "rhs": rhs, "assume": [],
             "symbols": _one_symbol("b", Fraction(10 ** 80), None, integer=True)}
    oracle = fuzz_oracle.Oracle(claim, random.Random(0))
    assert oracle.check_refuted({"b": str(10 ** 80)}) is None
    flipped = dict(claim, lhs=("neg", ("int", 1)))  # -1 <= -1e-240 holds: that witness is wrong
    assert fuzz_oracle.Oracle(flipped, random.Random(0)).check_refuted({"b": str(10 ** 80)}) is not None


def test_oracle_makes_no_judgement_on_numerically_integral_exponents():
    """(-1)**Max(pi, 5) is -1 for the prover; the oracle cannot tell 5 from 5 + 1e-200, so it abstains."""
    from fractions import Fraction

    tree = ("pow", ("neg", ("int", 1)), ("call", "Max", ("pi",), ("int", 5)))
    with pytest.raises(fuzz_oracle.TooBig):
        fuzz_oracle.value(tree, {"t": Fraction(1)}, 60)
    with pytest.raises(fuzz_oracle.Undefined):  # a truly fractional exponent stays undefined
        fuzz_oracle.value(("pow", ("neg", ("int", 1)), ("pi",)), {}, 60)


def _lam_claim(rhs):
    lam = {"integer": True, "lo": Fraction(-234493), "hi": Fraction(-234493), "lo_open": False, "hi_open": False}
    return {"kind": "lt", "symbols": {"lam": lam}, "assume": [], "lhs": ("sym", "lam"), "rhs": rhs}


def test_oracle_makes_no_judgement_on_a_comparison_too_close_for_floating_point():
    """lam < lam + 2**lam at lam = -234493 is true, but the difference 2**(-234493) vanishes at any affordable
    precision: the oracle decides it exactly (a rational tree) rather than calling a true PROVED unsound."""
    two_pow = ("pow", ("int", 2), ("sym", "lam"))
    assert fuzz_oracle.Oracle(_lam_claim(("add", ("sym", "lam"), two_pow)), random.Random(0)).check_proved() is None
    # ...and still catches the false siblings, exactly
    assert fuzz_oracle.Oracle(_lam_claim(("sub", ("sym", "lam"), two_pow)), random.Random(0)).check_proved()
    assert fuzz_oracle.Oracle(_lam_claim(("add", ("sym", "lam"), ("int", 0))), random.Random(0)).check_proved()


def test_oracle_exact_value_follows_the_tree_as_written():
    t = ("div", ("sym", "x"), ("sub", ("sym", "x"), ("sym", "x")))
    with pytest.raises(fuzz_oracle.Undefined):
        fuzz_oracle.exact_value(t, {"x": Fraction(3)})
    assert fuzz_oracle.exact_value(("pow", ("int", 2), ("int", -3)), {}) == Fraction(1, 8)
    assert fuzz_oracle.exact_value(("call", "log", ("int", 2)), {}) is None  # not rational: no exact value


def test_tight_claims_are_true_or_false_as_built():
    """The tight-claim generator's truth is checked by the oracle, not assumed: a true one has no violation
    the oracle finds, a false sibling fails at its known point (lhs + 10**-k > rhs), or has lhs = rhs there
    (for '<'); and the harness calls a PROVED of a false sibling unsound."""
    from hypothesis import given, seed, settings

    out = []

    @seed(3)
    @settings(max_examples=40, database=None, deadline=None)
    @given(fuzz_soundness.tight_claims())
    def draw(c):
        out.append(c)

    draw()
    assert {c["origin"] for c in out} >= {"tight (true)", "tight (eps)", "tight (strict)", "value (true)",
                                         "value (false)"}
    for c in out:
        if "false_at" in c:
            assert fuzz_soundness._false_by_construction(c), fuzz_soundness.to_toml(fuzz_soundness.spec_dict(c))
        else:
            assert fuzz_oracle.Oracle(c, random.Random(0)).check_proved(60) is None
