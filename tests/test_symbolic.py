"""Tests of the asymptotic case analysis."""

import sympy as sp

from boundcheck.prove.asymptotic import analyze_exponents
from boundcheck.spec import load
from boundcheck.symbolic import AsymptoticUnsupported, exponent_cases, log_derivative


def test_croissant_gap_exponent_is_piecewise():
    """The gap's exponent is -1/d for d >= 2 and -1/2 for 1 <= d < 2, not sympy's single branch."""
    problem = load("examples/croissant.toml")
    var, cases = analyze_exponents(problem)["gap-exponent"]
    d = problem.symbol("d").sym
    by_exp = {sp.simplify(c.exponent): c for c in cases}
    assert set(by_exp) == {-1 / d, sp.Rational(-1, 2)}
    # d = 3 lies in the -1/d case, d = 1 and d = 3/2 in the -1/2 case, d = 2 in the -1/d case (they agree there)
    assert by_exp[-1 / d].condition.subs(d, 3) and by_exp[-1 / d].condition.subs(d, 2)
    assert by_exp[sp.Rational(-1, 2)].condition.subs(d, 1) and by_exp[sp.Rational(-1, 2)].condition.subs(d, sp.Rational(3, 2))
    assert not by_exp[sp.Rational(-1, 2)].condition.subs(d, 2)


def test_sympy_limit_alone_picks_one_branch():
    """The reason for the case split: sympy's limit answers as if -1/d always dominated."""
    n, d = sp.symbols("n d", positive=True)
    gap = n ** (-1 / d) + n ** sp.Rational(-1, 2)
    naive = sp.limit(sp.log(gap) / sp.log(n), n, sp.oo)
    cases = exponent_cases(gap, n, domains={d: sp.Interval(1, sp.oo)})
    assert len(cases) == 2
    assert naive in (-1 / d, sp.Rational(-1, 2)) or naive.has(sp.Max)


def test_log_terms():
    """log factors are kept as a log power."""
    n = sp.Symbol("n", positive=True)
    (case,) = exponent_cases(sp.sqrt(sp.log(n) / n), n)
    assert case.exponent == sp.Rational(-1, 2) and case.log_power == sp.Rational(1, 2)


def test_cancellation_is_not_guessed():
    """a*n + b*n + 1: where a + b = 0 the n terms cancel and the exponent is 0; the analysis either says
    so in a case of its own or refuses, never reports exponent 1 there."""
    n, a = sp.symbols("n a", positive=True)
    b = sp.Symbol("b", real=True)
    try:
        cases = exponent_cases(a * n + b * n + 1, n)
    except AsymptoticUnsupported:
        return
    for point in ({a: 1, b: -1}, {a: sp.Rational(1, 3), b: sp.Rational(-1, 3)}):
        holding = [c for c in cases if c.condition.subs(point) == sp.true]
        assert holding, f"no case covers {point}"
        for c in holding:
            assert c.exponent.subs(point) == 0 and sp.simplify(c.coefficient.subs(point)) != 0, (point, c)
    far = [c for c in cases if c.condition.subs({a: 1, b: 1}) == sp.true]
    assert far and all(c.exponent == 1 for c in far)


def test_vanishing_coefficient_splits_the_case():
    """(d - 2)*n + 1 on d in [1, 3] has exponent 1 except at d = 2, where it is 0 (a case of its own)."""
    from boundcheck.symbolic import symbol_set

    n = sp.Symbol("n", integer=True, positive=True)
    d = sp.Symbol("d", real=True)
    cases = exponent_cases((d - 2) * n + 1, n, domains={d: symbol_set(sp.Integer(1), sp.Integer(3), False, False)})
    by_d = {}
    for value in (1, sp.Rational(3, 2), 2, sp.Rational(5, 2), 3):
        (case,) = [c for c in cases if c.condition.subs(d, value) == sp.true]
        by_d[value] = case.exponent
    assert by_d == {1: 1, sp.Rational(3, 2): 1, 2: 0, sp.Rational(5, 2): 1, 3: 1}


def test_log_derivative():
    """d log(n**(-1/d))/dn = -1/(d n)."""
    n, d = sp.symbols("n d", positive=True)
    assert sp.simplify(log_derivative(n ** (-1 / d), n) + 1 / (d * n)) == 0


def test_cancelling_leading_terms_are_rewritten():
    """sqrt(n**2 + n) - n -> 1/2, log(n + 1) - log(n) ~ 1/n, exp(1/n) - 1 ~ 1/n; a second-order cancellation
    (exp(1/n) - 1 - 1/n) is not guessed."""
    n = sp.Symbol("n", positive=True)
    (c1,) = exponent_cases(sp.sqrt(n ** 2 + n) - n, n)
    assert c1.exponent == 0 and c1.coefficient == sp.Rational(1, 2)
    (c2,) = exponent_cases(sp.log(n + 1) - sp.log(n), n)
    assert c2.exponent == -1 and c2.coefficient == 1
    (c3,) = exponent_cases(sp.exp(1 / n) - 1, n)
    assert c3.exponent == -1 and c3.coefficient == 1
    try:
        cases = exponent_cases(sp.exp(1 / n) - 1 - 1 / n, n)
    except AsymptoticUnsupported:
        return
    assert all(c.exponent == -2 for c in cases)
