"""Claims the soundness fuzzer turned up that used to end in an internal error (exit 3, or an UNKNOWN that
says "internal error"): each must now get a clean verdict, and the verdict must not be wrong."""

from __future__ import annotations

import pytest

from boundcheck.prove.ladder import prove_claim
from boundcheck.prove.verdict import Status
from boundcheck.spec import problem_from_dict


def run(symbols: dict, claim: dict, timeout: float = 4.0):
    problem = problem_from_dict({"name": "t", "symbols": symbols, "claims": [dict({"id": "c"}, **claim)]})
    return problem, prove_claim(problem, problem.all_claims[-1], timeout=timeout)


@pytest.mark.parametrize("expr", ["Max((1/10**12)**n, 10**12)", "Min(10**12, (1/10**12)**n)",
                                  "Max((1/2)**n, 3)"])
def test_a_call_sympy_cannot_evaluate_is_kept_as_written(expr):
    """sympy's Max fails an internal assertion on (1/10**12)**n with n an integer; the parser keeps the call
    unevaluated instead of crashing. On n in [-10, -1] the value is at least 2 > 1, so the claim is false."""
    _, v = run({"n": {"kind": "integer", "min": -10, "max": -1}},
               {"kind": "le", "lhs": expr, "rhs": "1"})
    assert "internal error" not in v.reason
    assert v.status is not Status.PROVED, v.summary()


@pytest.mark.parametrize("lhs, rhs", [("e**(1/10**12)", "(1 + e)**z"), ("exp(e)", "(2 + e)**z")])
def test_an_enclosure_of_exp_1e80_does_not_overflow_the_smt_encoding(lhs, rhs):
    """(1 + e)**z with z up to 1e80 has an enclosure whose upper end has 1e80 digits; the z3 encoder used to
    turn it into an integer (OverflowError). It clamps the bound instead; the claim is false (z = 0, e = 2
    gives e**(1e-12) != 1), so it must not be PROVED."""
    _, v = run({"e": {"kind": "real", "min": "1/2", "max": "10**80"}, "z": {"kind": "real", "max": "10**80"}},
               {"kind": "eq", "lhs": lhs, "rhs": rhs, "assume": ["e != 1"]})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()


def test_a_huge_enclosure_still_proves_what_it_should():
    """Clamping the side constraint at 10**1000 keeps it sound *and* useful: exp(x) with x in [3000, 4000] is
    far above 1."""
    _, v = run({"x": {"kind": "real", "min": 3000, "max": 4000}}, {"kind": "lt", "lhs": "1", "rhs": "exp(x)"})
    assert v.status is Status.PROVED, v.summary()


def test_an_enclosure_end_with_434000_digits_is_recorded_and_explained():
    """exp(t) on t in [0, 10**6) has an enclosure whose upper end is about 10**434294; the proof record used to
    print it as an integer (ValueError past Python's digit limit, an internal error). It is a true claim."""
    from boundcheck.report.proof_text import explain_verdict

    _, v = run({"n": {"kind": "real", "min_open": -1, "max_open": 1},
                "t": {"kind": "real", "min": 0, "max_open": 10 ** 6}},
               {"kind": "le", "lhs": "Abs(n)", "rhs": "exp(t)", "assume": ["t <= n"]})
    assert v.status is Status.PROVED, v.summary()
    assert any("E+434294" in line.upper() for line in explain_verdict(v))


def test_running_out_of_memory_is_unknown_with_that_reason(monkeypatch):
    """A value too large to hold raises MemoryError inside a rung: UNKNOWN saying so, not an internal error."""
    from boundcheck.prove import ladder

    def boom(ctx):
        raise MemoryError()

    monkeypatch.setattr(ladder, "_sign_claim", boom)
    _, v = run({"x": {"kind": "real", "min": 0, "max": 1}}, {"kind": "nonnegative", "expr": "x"})
    assert v.status is Status.UNKNOWN and "out of memory" in v.reason and "internal error" not in v.reason


def test_a_hypothesis_side_with_a_1e80_digit_range_is_not_an_overflow():
    """cbrt(exp(m)) with m up to 1e80 in an assumption: the routine rung turned its enclosure's upper end into
    an integer (OverflowError). It now leaves that bound out; a constant is not decreasing, so REFUTED."""
    _, v = run({"u": {"kind": "real", "min": 0}, "m": {"kind": "real", "min": -1, "max": "10**80"}},
               {"kind": "decreasing", "expr": "(-1/9)", "var": "u",
                "assume": ["m <= u", "Abs((3/8)**0) < cbrt(exp(m))"]})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()


def test_an_excluded_point_outside_a_positive_symbols_domain_is_no_crash():
    """Ne(e, 0) with e in [1e-6, 1e-6]: the branch-and-bound's excluded-point split asked sympy.solve for the
    root, which drops 0 for a positive symbol (IndexError). The claim is true (10**12 to a huge power)."""
    _, v = run({"z": {"kind": "real", "min": -10, "max": "1/1000000"},
                "e": {"kind": "real", "min": "1/1000000", "max": "1/1000000"}},
               {"kind": "lt", "lhs": "z", "rhs": "Max(10**12, 1/10**12)**((5/3)/e)",
                "assume": ["sin(pi - E) >= Min(1/10**12, 10**12)", "e != 0"]})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.REFUTED, v.summary()


def test_the_excluded_point_split_still_applies():
    """log(x)/(x - 1) >= 0 on (0, 3] with x != 1 (a removable singularity at 1): still PROVED."""
    _, v = run({"x": {"kind": "real", "min_open": 0, "max": 3}},
               {"kind": "nonnegative", "expr": "log(x)/(x - 1)", "assume": ["x != 1"]}, timeout=8)
    assert v.status is Status.PROVED, v.summary()


@pytest.mark.parametrize("num, den", [(1, 10 ** 24), (-3, 10 ** 24), (10 ** 12 + 1, 10 ** 12), (7, 2 ** 40)])
def test_a_power_with_a_huge_denominator_is_enclosed(num, den):
    """a**(1/10**24) in the branch-and-bound's interval arithmetic: arb's root() takes a C unsigned long, so it
    overflowed (found by the fuzz run on Min(E, x)**((1/10**12)**2)); exp(r log a) encloses the exact value."""
    from fractions import Fraction

    import mpmath
    from flint import arb

    from boundcheck.prove._arbiv import _rpow_end

    lo, hi = _rpow_end(arb(2), Fraction(num, den))
    with mpmath.workdps(90):
        exact = arb(mpmath.nstr(mpmath.mpf(2) ** (mpmath.mpf(num) / den), 80))  # a ball of radius ~1e-80
    assert exact - lo.lower() >= 0 and hi.upper() - exact >= 0  # arb: certainly, not just possibly


def test_a_claim_with_a_power_of_a_tiny_exponent_is_decided():
    _, v = run({"m": {"kind": "real", "min": "1/2", "max_open": "10**80"}},
               {"kind": "le", "lhs": "Min(E, m)**((1/10**12)**2)",
                "rhs": "m + 5/9 - Min(3**(2/3), Max(1/10**12, -5/9))"})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.REFUTED, v.summary()


def _decimal_near(fn: str, b, k: int, above: bool) -> str:
    import mpmath

    with mpmath.workdps(80):
        v = getattr(mpmath, fn)(mpmath.mpf(b.numerator) / b.denominator)
        scaled = int(mpmath.floor(v * 10 ** k))
    return f"{scaled + 1 if above else scaled}/10**{k}"


CLOSE = [("tanh", "7/5", 20), ("atan", "1/3", 25), ("sinh", "7/5", 25), ("tanh", "7/5", 23), ("atan", "2", 17),
         ("exp", "3", 20), ("log", "10", 22)]


@pytest.mark.parametrize("fn, b, k", CLOSE)
def test_a_bound_just_below_the_maximum_is_never_proved(fn, b, k):
    """f(y) <= c on [b/4, b] with c within 10**-k below f(b): false at y = b. The calculus rung took the
    interval's upper end through mpmath.mpf(), which rounds to nearest at 53 bits (found by the fuzzer's
    value claims: tanh(t) <= f(7/5) - 3e-21 on [0, 7/5] was PROVED)."""
    from fractions import Fraction

    bq = Fraction(b)
    c = _decimal_near(fn, bq, k, above=False)
    _, v = run({"y": {"kind": "real", "min": str(bq / 4), "max": b}}, {"kind": "le", "lhs": f"{fn}(y)", "rhs": c})
    assert v.status is not Status.PROVED, v.summary()


@pytest.mark.parametrize("fn, b, k", CLOSE)
def test_a_bound_just_above_the_maximum_is_never_refuted(fn, b, k):
    from fractions import Fraction

    bq = Fraction(b)
    c = _decimal_near(fn, bq, k, above=True)
    _, v = run({"y": {"kind": "real", "min": str(bq / 4), "max": b}}, {"kind": "le", "lhs": f"{fn}(y)", "rhs": c})
    assert v.status is not Status.REFUTED, v.summary()


@pytest.mark.parametrize("c", ["7/3", "10**20/3", "1500", "-1/2", "2000", "-700"])
def test_z3_constants_for_log_and_exp_enclose_the_true_value(c):
    """The z3 encoding's rational bounds of log(c) and exp(c) hold exactly: they came from a value rounded to
    nearest at 53 bits, which for exp(1500) ~ 1e651 was off by ~1e635 against a margin of 1."""
    import mpmath
    import sympy as sp

    from boundcheck.prove.smt import _exp_bounds, _log_bounds

    q = sp.Rational(sp.sympify(c, rational=True))
    with mpmath.workdps(1000):
        x = mpmath.mpf(q.p) / q.q
        cases = [(_log_bounds(q), mpmath.log(x))] if q > 0 else []
        if abs(q) <= 2000:  # the encoder bounds exp only there
            cases.append((_exp_bounds(q), mpmath.exp(x)))
        for (lo, hi), exact in cases:
            assert mpmath.mpf(lo.p) / lo.q <= exact <= mpmath.mpf(hi.p) / hi.q


def test_an_assumption_numpy_cannot_evaluate_is_no_crash():
    """Min(m**(-3), -k) in an assumption came back from numpy as a sympy object (TypeError in float())."""
    _, v = run({"k": {"kind": "integer", "min_open": 0, "max": "10**80"},
                "m": {"kind": "integer", "min_open": "1/1000000", "max": 2}},
               {"kind": "nonnegative", "expr": "-cos(-1)", "assume": ["-(1/10**12) > Min(m**(-3), -k)"]})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()


def test_a_constant_too_long_for_z3_is_unknown_not_an_internal_error():
    """(4/x)**(10**6) expands to a constant of a million digits; z3 takes constants as text (ValueError past
    Python's digit limit). The z3 rung now says it cannot encode it; the claim (a constant is not increasing)
    is false, so it must not be PROVED."""
    _, v = run({"x": {"kind": "real", "min_open": "1/1000000", "max_open": 100},
                "b": {"kind": "real", "min": -10, "max": 100}},
               {"kind": "increasing", "expr": "sin(1/10**12)**Min(-1/3, 5)", "var": "b",
                "assume": ["(4/x)**((1/10**12)**(-1/2)) <= -(4 - x)"]})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()


def test_a_limit_witness_search_skips_points_where_the_expression_is_not_real():
    """Min(sqrt(t), 0) at t = -10 is not real; the one-sided limit's witness search substituted it and sympy's
    Min raised 'not comparable'. Those points are skipped; the claim's verdict is not PROVED (limit 2 of a
    function of t, as beta -> -1, is not its value)."""
    _, v = run({"t": {"kind": "integer", "min": -10, "max_open": 1}, "beta": {"kind": "real", "min": -10, "max": 1}},
               {"kind": "limit", "expr": "Min(t**(1/2), 0**1)", "var": "beta", "at": -1, "value": "2"})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()


def test_an_enclosure_end_below_1e_minus_1000_is_no_overflow():
    """sinh(x)**sinh(x) on (1e-6, 100): an enclosure end of about exp(-1e20) could not be made an exact
    rational (OverflowError); it is replaced by 0 on its outer side. x**x decreases on (0, 1/e): REFUTED."""
    from fractions import Fraction

    from mpmath import iv

    from boundcheck.prove._exact import iv_bounds

    tiny = Fraction(1, 10 ** 1000)
    iv.dps = 40
    lo, hi = iv_bounds(iv.exp(iv.mpf(["-1e20", "-1e19"])))
    assert lo == 0 and 0 < hi <= tiny
    lo, hi = iv_bounds(-iv.exp(iv.mpf(["-1e20", "-1e19"])))
    assert -tiny <= lo < 0 and hi == 0
    _, v = run({"x": {"kind": "real", "min_open": "1/1000000", "max_open": 100}},
               {"kind": "increasing", "expr": "sinh(x)**sinh(x)", "var": "x"})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()


def test_a_one_sided_limit_through_non_real_values_is_unknown_not_an_internal_error():
    """sqrt(x) + 1/5 as x -> 0 on [-1, 1e-6]: from the left the leading coefficient is 5*I, which the sign split
    compared with 0 (TypeError). The asymptotic rung now says the coefficient is not real; the claim (limit 1)
    is false, so it must not be PROVED."""
    _, v = run({"x": {"kind": "real", "min": -1, "max": "1/1000000"}},
               {"kind": "limit", "expr": "x**(1/2) + 1/5", "var": "x", "at": 0, "value": "1"})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.PROVED, v.summary()
