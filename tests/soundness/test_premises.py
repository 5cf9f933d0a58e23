"""The issue-8 families and their siblings: every rung checks its premises, witnesses are certified.

Each case is a claim with a known truth value; a true claim must never be REFUTED, a false one never
PROVED. Where the repaired reasoning decides the claim, the test says which way. Witnesses of REFUTED
verdicts are re-checked independently (sympy exact arithmetic, not the prover's enclosures).
"""

from __future__ import annotations

from typing import Any

import pytest
import sympy as sp

from boundcheck.prove.ladder import prove_claim
from boundcheck.prove.verdict import Status
from boundcheck.spec import problem_from_dict


def run(symbols: dict, claim: dict, timeout: float = 6.0, **extra: Any):
    spec = {"name": "t", "symbols": symbols, "claims": [dict({"id": "c"}, **claim)], **extra}
    problem = problem_from_dict(spec)
    return problem, prove_claim(problem, problem.all_claims[-1], timeout=timeout)


def exact(problem, text: str) -> sp.Expr:
    return problem.expression(text)


# ------------------------------------------------------------------------------------------ 1. split sections
SPLIT = [  # (domain of x, assumption, expr, kind): all false across the two pieces
    ({"min": -100, "max": 100}, "x**2 >= 9801", "-1/x", "nondecreasing"),
    ({"min": -100, "max": 100}, "x**2 >= 9801", "x**3 - 20000*x", "increasing"),
    ({"min": -3, "max": 3}, "x**2 >= 4", "x**3 - 5*x", "increasing"),
    ({"min": -5, "max": 5}, "x**2 >= 1", "1/x", "nonincreasing"),
    ({"min": -2, "max": 2}, "x != 0", "1/x", "decreasing"),
]


@pytest.mark.parametrize("dom, assume, expr, kind", SPLIT, ids=[f"{e}-{a}" for _, a, e, _ in SPLIT])
def test_monotone_on_a_split_section_is_not_proved(dom, assume, expr, kind):
    """A derivative sign on each piece does not make f monotone across the pieces."""
    _, v = run({"x": dict(kind="real", **dom)}, {"kind": kind, "expr": expr, "var": "x", "assume": [assume]})
    assert v.status is not Status.PROVED, v.summary()


@pytest.mark.parametrize("assume, expr, kind", [
    ("x >= 99", "-1/x", "nondecreasing"),
    ("x**2 <= 9", "x**3 + x", "increasing"),
    ("x >= y", "x**3 - 2*x + log(x + 101)", "increasing"),
])
def test_monotone_on_a_connected_section_is_still_proved(assume, expr, kind):
    """Half-lines and z3-convex sections keep their proofs."""
    _, v = run({"x": {"kind": "real", "min": -100, "max": 100}, "y": {"kind": "real", "min": 2, "max": 3}},
               {"kind": kind, "expr": expr, "var": "x", "assume": [assume]})
    assert v.status is Status.PROVED, v.summary()


# ------------------------------------------------------------------------------------------ 2. segment
@pytest.mark.parametrize("expr", ["(x - y)**2 - y**2/10**12", "(x - y)**4 - y**4/10**9", "(x - y)**2 - y/10**12"])
def test_derivative_method_segment_must_stay_in_the_domain(expr):
    """From (0, y) to (x, y) the path leaves {x >= y}: the derivative method may not prove these."""
    _, v = run({"x": {"kind": "real", "min": 0, "max": 2}, "y": {"kind": "real", "min_open": 0, "max_open": 1}},
               {"kind": "nonnegative", "expr": expr, "assume": ["x >= y"]})
    assert v.status is not Status.PROVED, v.summary()


# ------------------------------------------------------------------------------------------ 3. huge integers
@pytest.mark.parametrize("claim", [
    {"kind": "nonnegative", "expr": "(1 + 1/n)**n - 2"},
    {"kind": "le", "lhs": "1/2", "rhs": "n*log(1 + 1/n)"},
    {"kind": "le", "lhs": "(1 + 1/n)**n", "rhs": "3"},
    {"kind": "lt", "lhs": "n*log(1 + 1/n)", "rhs": "1"},
], ids=["e-minus-2", "nlog", "e-le-3", "nlog-lt-1"])
def test_true_claims_at_huge_integers_are_not_refuted(claim):
    """At n ~ 1e80, 1 + 1/n needs more than 80 digits; certified balls never call rounding a witness."""
    _, v = run({"n": {"kind": "integer", "min": "10**80"}}, claim)
    assert v.status is not Status.REFUTED, v.summary()


def test_false_claim_at_huge_integers_is_refuted_with_a_certified_witness():
    """(1 + 1/n)**n >= 3 is false for every n; the witness holds in exact arithmetic."""
    problem, v = run({"n": {"kind": "integer", "min": "10**80"}}, {"kind": "le", "lhs": "3", "rhs": "(1 + 1/n)**n"})
    assert v.status is Status.REFUTED, v.summary()
    import mpmath

    n = int(dict(v.witness.point)["n"])
    with mpmath.workdps(300):
        assert n >= 10 ** 80 and (1 + mpmath.mpf(1) / n) ** n - 3 < 0


# ------------------------------------------------------------------------------------------ 4. eq margins
@pytest.mark.parametrize("lhs, rhs", [
    ("10**50*(atan(z) + atan(1/z))", "10**50*pi/2"),
    ("10**40*(sin(z)**2 + cos(z)**2)", "10**40"),
    ("10**30*exp(log(z) + 1)", "10**30*E*z"),
])
def test_identities_with_huge_scale_are_not_refuted(lhs, rhs):
    """An identity scaled by 1e50 differs by rounding only: never a certified violation."""
    _, v = run({"z": {"kind": "real", "min_open": 0}}, {"kind": "eq", "lhs": lhs, "rhs": rhs})
    assert v.status is not Status.REFUTED, v.summary()


def test_tiny_difference_at_huge_scale_is_refuted():
    """A true difference of 1e-30 next to 1e50 is certified at enough precision."""
    problem, v = run({"z": {"kind": "real", "min_open": 0}},
                     {"kind": "eq", "lhs": "10**50*(atan(z) + atan(1/z))", "rhs": "10**50*pi/2 + 1/10**30"})
    assert v.status is Status.REFUTED, v.summary()


# ------------------------------------------------------------------------------------------ 5. definedness
@pytest.mark.parametrize("dom, claim", [
    ({"min": -1, "max": 1}, {"kind": "positive", "expr": "t**2/t**2"}),
    ({"min": -1, "max": 1}, {"kind": "nonnegative", "expr": "0*log(t)"}),
    ({"min": 0, "max": 2}, {"kind": "positive", "expr": "(t - 1)/(t - 1)"}),
    ({"min": -1, "max": 1}, {"kind": "nonnegative", "expr": "sqrt(t)**2"}),
    ({"min": -1, "max": 1}, {"kind": "le", "lhs": "0*(1/t)", "rhs": "1"}),
    ({"min": -1, "max": 1}, {"kind": "nondecreasing", "expr": "t + 0*log(t)", "var": "t"}),
], ids=["t2/t2", "0log", "quotient", "sqrt-squared", "0-over-t", "monotone"])
def test_erased_singularity_is_not_proved(dom, claim):
    """Undefined somewhere on the domain as written: REFUTED at that point or UNKNOWN, never PROVED."""
    _, v = run({"t": dict(kind="real", **dom)}, claim)
    assert v.status is not Status.PROVED, v.summary()
    if v.status is Status.REFUTED and v.method == "definedness":
        assert "undefined" in v.witness.explanation


def test_erased_singularity_is_refuted_at_the_point():
    """t**2/t**2 > 0 on [-1, 1] is refuted at t = 0."""
    _, v = run({"t": {"kind": "real", "min": -1, "max": 1}}, {"kind": "positive", "expr": "t**2/t**2"})
    assert v.status is Status.REFUTED and dict(v.witness.point) == {"t": "0"}, v.summary()


def test_definedness_through_a_definition():
    """A definition's singularity travels with its name."""
    _, v = run({"t": {"kind": "real", "min": -1, "max": 1}}, {"kind": "nonnegative", "expr": "0*r"},
               definitions={"r": "1/t"})
    assert v.status is not Status.PROVED, v.summary()


def test_singularity_outside_the_domain_is_fine():
    """t**2/t**2 > 0 on (0, 1] is true and proved."""
    _, v = run({"t": {"kind": "real", "min_open": 0, "max": 1}}, {"kind": "positive", "expr": "t**2/t**2"})
    assert v.status is Status.PROVED, v.summary()


# ------------------------------------------------------------------------------------------ 6. vacuity
def test_vacuous_claim_is_flagged():
    """u in [-1, 1] with u**2 >= 4 leaves no point: PROVED, vacuous, and the JSON says so."""
    _, v = run({"u": {"kind": "real", "min": -1, "max": 1}}, {"kind": "le", "lhs": "1", "rhs": "0",
                                                              "assume": ["u**2 >= 4"]})
    assert v.status is Status.PROVED and v.vacuous
    assert v.to_dict()["vacuous"] is True and "vacuous" in v.label()


def test_vacuous_by_a_global_assumption():
    """A claim assumption that contradicts the spec's global assumption is vacuous."""
    _, v = run({"n": {"kind": "integer", "min": 1}, "h": {"kind": "integer", "min": 1}},
               {"kind": "le", "lhs": "n", "rhs": "0", "assume": ["n < h"]}, assumptions=["n >= h"])
    assert v.status is Status.PROVED and v.vacuous


def test_non_vacuous_claim_is_not_flagged():
    """A claim whose domain has points carries no vacuity flag."""
    _, v = run({"u": {"kind": "real", "min": -1, "max": 1}}, {"kind": "le", "lhs": "u", "rhs": "1"})
    assert v.status is Status.PROVED and not v.vacuous and "vacuous" not in v.to_dict()


def test_assumptions_leaving_no_integer_are_vacuous():
    """n integer with 1/2 < n < 1 has no value (the real relaxation would have some)."""
    _, v = run({"n": {"kind": "integer", "min": 0, "max": 5}}, {"kind": "le", "lhs": "n", "rhs": "-5",
                                                               "assume": ["2*n > 1", "n < 1"]})
    assert v.status is Status.PROVED and v.vacuous, v.summary()


def test_limit_point_outside_the_closure_is_not_proved():
    """lim x -> 0 with x >= 1 is meaningless, not 'proved by continuity'."""
    _, v = run({"x": {"kind": "real", "min": 0}},
               {"kind": "limit", "expr": "x + 1", "var": "x", "at": 0, "value": "1", "assume": ["x >= 1"]})
    assert v.status is not Status.PROVED, v.summary()


def test_derivation_step_conditional_on_foreign_using():
    """A step whose 'using' is neither a spec assumption nor an earlier step is shown as conditional."""
    spec = {"name": "t", "symbols": {"u": {"kind": "real", "min": -1, "max": 1}, "K": {"kind": "real", "min": 0}},
            "derivation": [{"id": "s1", "lhs": "u", "rel": "<=", "rhs": "u + K", "using": ["u <= 1/2"]}]}
    problem = problem_from_dict(spec)
    v = prove_claim(problem, problem.all_claims[-1], timeout=5)
    assert v.status is Status.PROVED and v.conditional == ("u <= 1/2",)
    assert "conditional" in v.label() and v.to_dict()["conditional"] == ["u <= 1/2"]


def test_derivation_using_a_spec_assumption_is_not_conditional():
    """Using a relation the spec assumes globally is not a condition."""
    spec = {"name": "t", "symbols": {"u": {"kind": "real", "min": -1, "max": 1}, "K": {"kind": "real", "min": 0}},
            "assumptions": ["u <= 1/2"],
            "derivation": [{"id": "s1", "lhs": "u", "rel": "<=", "rhs": "u + K", "using": ["u <= 1/2"]}]}
    problem = problem_from_dict(spec)
    v = prove_claim(problem, problem.all_claims[-1], timeout=5)
    assert v.status is Status.PROVED and v.conditional == ()


# ------------------------------------------------------------------------------------------ 7. names
@pytest.mark.parametrize("name", ["e", "mpf", "numpy", "mpmath", "lam", "beta", "math", "exp1"])
def test_symbol_names_do_not_change_values(name):
    """The same true and false claims under evaluator-like names: the verdicts do not depend on the name."""
    sym = {name: {"kind": "real", "min": 1, "max": 2}}
    _, true = run(sym, {"kind": "le", "lhs": f"{name}**3 - 3*{name}**2 + 3*{name} + 3",
                        "rhs": "E**3 - 3*E**2 + 3*E + 1"})
    assert true.status is not Status.REFUTED, true.summary()
    _, false = run(sym, {"kind": "le", "lhs": f"{name}**2", "rhs": "3"})
    assert false.status is Status.REFUTED, false.summary()


# ------------------------------------------------------------------------------------------ 8. enclosures
def test_atan_nonnegative_is_proved():
    """atan(x) >= 0 on [0, 1] (once an internal error)."""
    _, v = run({"x": {"kind": "real", "min": 0, "max": 1}}, {"kind": "nonnegative", "expr": "atan(x)"})
    assert v.status is Status.PROVED, v.summary()


@pytest.mark.parametrize("fname", ["sqrt", "cbrt", "log", "exp", "Abs", "floor", "ceiling", "sin", "cos", "tan",
                                   "atan", "asin", "acos", "sinh", "cosh", "tanh", "gamma", "log10", "log2"])
def test_every_whitelisted_function_gives_a_clean_verdict(fname):
    """f(x) <= f(x) + 1 on [1/4, 1/2]: proved, or UNKNOWN with a reason; never an internal error."""
    _, v = run({"x": {"kind": "real", "min": "1/4", "max": "1/2"}},
               {"kind": "le", "lhs": f"{fname}(x)", "rhs": f"{fname}(x) + 1"})
    assert "internal error" not in v.reason, v.reason
    assert v.status is not Status.REFUTED


@pytest.mark.parametrize("fname, lo, hi", [("atan", -3, -1), ("tanh", -2, 1), ("sinh", -2, -1), ("cosh", -3, -1),
                                           ("asin", "-1/2", "1/4"), ("acos", "-1/2", "1/4")])
def test_monotone_function_enclosures_contain_the_values(fname, lo, hi):
    """The calculus interval of f(x) over [lo, hi] contains f at the ends and the middle (signs included)."""
    import mpmath

    from boundcheck.prove.calculus import Bound, Box, Calculus

    x = sp.Symbol("x", real=True)
    lo, hi = sp.Rational(lo), sp.Rational(hi)
    enc = Calculus(Box({x: Bound(lo, hi)})).enclose(getattr(sp, fname)(x))
    for p in (lo, hi, (lo + hi) / 2):
        with mpmath.workdps(60):  # (at 15 digits the value itself would be rounded to nearest)
            val = mpmath.mpf(sp.N(getattr(sp, fname)(p), 60))
            assert enc.a <= val <= enc.b, (fname, p, enc)


# ------------------------------------------------------------------------------------------ integrality
INTS = {"n": {"kind": "integer", "min": 1, "max": 60}, "m": {"kind": "integer", "min": 1, "max": 60}}


@pytest.mark.parametrize("expr", ["(n**3 - 2*m**3)**2 - 1/4", "(n**2 - 2*m**2)**2 - 1/2"])
def test_integer_claims_true_only_over_the_integers_are_not_refuted(expr):
    """n**3 = 2 m**3 has no integer solution, but real ones (m = 25/16 ...): a witness must be integral."""
    _, v = run(INTS, {"kind": "nonnegative", "expr": expr})
    assert v.status is not Status.REFUTED, v.summary()


def test_non_integral_point_is_no_witness():
    """confirm_point rejects a point whose integer coordinate is not an integer, though violated there."""
    from boundcheck.prove.refute import Goal, confirm_point

    problem = problem_from_dict({"name": "t", "symbols": INTS, "claims": [
        {"id": "c", "kind": "nonnegative", "expr": "(n**2 - 2*m**2)**2 - 1/2"}]})
    n, m = problem.symbol("n").sym, problem.symbol("m").sym
    goal = Goal(problem.claims[0].expr)
    assert confirm_point(goal, problem.symbols, (), {n: sp.Integer(3), m: sp.Rational(2121, 1000)}) is None
    relaxed = problem_from_dict({"name": "t", "symbols": {"n": INTS["n"], "m": {"kind": "real", "min": 1, "max": 60}},
                                 "claims": [{"id": "c", "kind": "nonnegative", "expr": "(n**2 - 2*m**2)**2 - 1/2"}]})
    assert confirm_point(Goal(relaxed.claims[0].expr), relaxed.symbols, (),
                         {relaxed.symbol("n").sym: sp.Integer(3), relaxed.symbol("m").sym: sp.Rational(2121, 1000)})
    assert confirm_point(goal, problem.symbols, (), {n: sp.Integer(3), m: sp.Integer(2)}) is None  # 1 >= 1/2
    false_goal = Goal(problem.expression("(n**2 - 2*m**2)**2 - 2"))
    assert confirm_point(false_goal, problem.symbols, (), {n: sp.Integer(3), m: sp.Integer(2)}) is not None


def test_integer_requery_unknown_does_not_let_a_real_model_through(monkeypatch):
    """When z3's integer re-query answers unknown, the real (non-integral) model is still no witness."""
    from boundcheck.prove import ladder, smt

    real_check = smt.check_goal

    def unknown_over_integers(*args, **kw):
        if kw.get("integers"):
            return smt.SmtResult("unknown", "", None, "forced unknown")
        return real_check(*args, **kw)

    monkeypatch.setattr(ladder, "check_goal", unknown_over_integers)
    for expr in ("(n**3 - 2*m**3)**2 - 1/4", "(n**2 - 2*m**2)**2 - 1/2"):
        _, v = run(INTS, {"kind": "nonnegative", "expr": expr})
        assert v.status is not Status.REFUTED, v.summary()


def test_integer_exponent_at_the_point_is_defined():
    """(-3)**z at an integer z is a real number (sympy's value), so it is no 'undefined' witness; at a
    point where the exponent is not an integer it is undefined."""
    from boundcheck.prove.certify import Undefined, enclose

    z = sp.Symbol("z", integer=True)
    assert enclose((-3) ** z, {z: 2}, 128) == 9
    with pytest.raises(Undefined):
        enclose(sp.Pow(-3, z / 2), {z: 1}, 128)
    _, v = run({"z": {"kind": "integer", "min": 0, "max": 0}}, {"kind": "nonnegative",
                                                               "expr": "((-3) ** z) ** ((2/9) ** (2/3))"})
    assert v.status is not Status.REFUTED, v.summary()


def test_huge_integer_exponent_at_low_precision_is_not_undefined():
    """(-lam)**(lam - 1) at an integer lam ~ 1e80 is defined: at 128 bits the exponent's ball is inexact, which
    is 'not decided', never 'undefined' (found by the fuzzer: a false definedness REFUTED)."""
    from boundcheck.prove.certify import Undecided, Undefined, enclose

    lam = sp.Symbol("lam", real=True)
    big = int(1e80)  # an integer (the float's exact value), as a witness search produces it
    expr = sp.Pow(-lam, lam - 1, evaluate=False)
    with pytest.raises(Undecided):
        enclose(expr, {lam: big}, 128)
    with pytest.raises(Undefined):  # a half-integer exponent is still undefined
        enclose(expr, {lam: sp.Rational(2 * big + 1, 2)}, 2000)
    _, v = run({"lam": {"kind": "real", "min_open": "10**80"}, "y": {"kind": "real", "min": 1}},
               {"kind": "le", "lhs": "(-lam)**(lam - 1)", "rhs": "Min(1, y)"})
    if v.status is Status.REFUTED and v.witness is not None:
        point = {k: sp.Rational(str(x)) for k, x in dict(v.witness.point).items()}
        assert not point["lam"].is_integer, v.summary()


def test_branch_and_bound_witness_respects_assumptions_as_written():
    """exp(log(n)) < 4 is evaluated by sympy to n < 4, but as written it needs n > 0: a bnb counterexample at
    n = -5 is no witness (found by the fuzzer: a false REFUTED through the bnb rung)."""
    _, v = run({"n": {"kind": "integer", "min": -10, "max": "1/2"}},
               {"kind": "nonnegative", "expr": "Min(2*(-1/2), n)", "assume": ["Max(4, -1) > exp(log(n))"]})
    if v.status is Status.REFUTED and v.witness is not None:
        point = {k: sp.Rational(str(x)) for k, x in dict(v.witness.point).items()}
        assert point["n"] > 0, v.summary()


# ------------------------------------------------------------------------------------------ enclosures
_b, _y = sp.Symbol("b", real=True), sp.Symbol("y", real=True)
_x = sp.Symbol("x", real=True)
R = sp.Rational
# (expression, {symbol: (lo, hi, lo_open, hi_open)}, an interval the enclosure must lie in, or None)
ENCLOSURES = [
    (_b ** _x, {_b: (0, R(1, 2), False, False), _x: (-1, 1, False, False)}, None),  # 0**-1: unbounded
    (_b ** _x, {_b: (0, 3, False, False), _x: (R(1, 2), 2, False, False)}, (0, 9 + R(1, 100))),
    (_b ** _x, {_b: (0, R(1, 2), False, False), _x: (R(1, 2), 2, False, False)}, (0, R(71, 100))),
    (_b ** _x, {_b: (R(1, 2), 3, False, False), _x: (-2, 2, False, False)}, (R(1, 10), 9 + R(1, 100))),
    (_b ** _x, {_b: (0, 2, True, False), _x: (0, 1, False, False)}, None),
    (1 / _b ** 3, {_b: (0, 2, True, False)}, (R(1, 9), sp.oo)),
    (1 / _b ** 2, {_b: (-2, 0, False, True)}, (R(1, 5), sp.oo)),
    (1 / _b ** 3, {_b: (-2, 0, False, True)}, (-sp.oo, -R(1, 9))),
    (1 / _b ** 2, {_b: (1, 2, False, False)}, (R(1, 5), 1 + R(1, 100))),
    (_b ** 3, {_b: (-2, 1, False, False)}, (-9, 2)),
    (sp.log(_b), {_b: (0, 2, True, False)}, (-sp.oo, R(7, 10))),
    (sp.log(_b), {_b: (R(1, 2), 2, False, False)}, (-R(7, 10), R(7, 10))),
    (sp.Abs(_x), {_x: (-2, 1, False, False)}, (0, 2 + R(1, 100))),
    (sp.Abs(_x), {_x: (-3, -1, False, False)}, (1 - R(1, 100), 3 + R(1, 100))),
    (sp.Max(_x, _y), {_x: (-1, 2, False, False), _y: (0, 3, False, False)}, (0 - R(1, 100), 3 + R(1, 100))),
    (sp.Min(_x, _y), {_x: (-1, 2, False, False), _y: (0, 3, False, False)}, (-1 - R(1, 100), 2 + R(1, 100))),
    (sp.sin(_x), {_x: (0, 7, False, False)}, (-1 - R(1, 100), 1 + R(1, 100))),
    (sp.cos(_x), {_x: (1, 2, False, False)}, (-R(42, 100), R(55, 100))),
    (sp.exp(-_x) * _y - _x ** 2, {_x: (0, 1, False, False), _y: (-1, 1, False, False)}, None),
    (sp.cosh(_x), {_x: (-1, 2, False, False)}, (1, R(377, 100))),  # cosh 2 = 3.7622
    (sp.cosh(_x), {_x: (1, 2, False, False)}, (R(154, 100), R(377, 100))),  # cosh 1 = 1.5431
    (sp.sinh(_x), {_x: (-1, 2, False, False)}, (-R(118, 100), R(363, 100))),  # sinh 2 = 3.6269
    (sp.tanh(_x), {_x: (-1, 2, False, False)}, (-R(77, 100), R(97, 100))),  # tanh 1 = 0.7616, tanh 2 = 0.9640
    (sp.atan(_x), {_x: (-1, 2, False, False)}, (-R(79, 100), R(111, 100))),  # atan 2 = 1.1071
    (sp.asin(_x), {_x: (-R(1, 2), 1, False, False)}, (-R(53, 100), R(158, 100))),
    (sp.acos(_x), {_x: (-R(1, 2), 1, False, False)}, (0, R(210, 100))),  # acos(-1/2) = 2.0944
]


@pytest.mark.parametrize("expr, box, within", ENCLOSURES, ids=[f"{i}-{e}" for i, (e, _, _) in enumerate(ENCLOSURES)])
def test_calculus_enclosures_contain_the_values(expr, box, within):
    """The calculus interval of an expression over a box contains its exact value at every defined grid point
    of the box, and (where given) lies inside an outer interval known by hand (a rung may not widen it to
    everything nor cut a piece off)."""
    import itertools

    import mpmath

    from boundcheck.prove.calculus import Bound, Box, Calculus

    calc = Calculus(Box({s: Bound(R(lo), R(hi), lo_open, hi_open) for s, (lo, hi, lo_open, hi_open) in box.items()}))
    enc = calc.enclose(expr)
    grids = []
    for lo, hi, lo_open, hi_open in box.values():
        pts = [R(lo) + (R(hi) - R(lo)) * R(k, 8) for k in range(9)]
        grids.append(pts[1 if lo_open else 0: 8 if hi_open else 9])
    checked = 0
    for point in itertools.product(*grids):
        value = expr.subs(dict(zip(box, point)))
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_real:
            continue
        with mpmath.workdps(60):  # the value to 60 digits; the endpoints compare exactly
            v = mpmath.mpf(sp.N(value, 60))
            assert enc.a <= v <= enc.b, (expr, point, v, enc)
        checked += 1
    assert checked >= 8
    if within is not None:
        lo, hi = within
        assert enc.a >= (mpmath.mpf(sp.N(lo, 30)) if lo != -sp.oo else mpmath.mpf("-inf")), (enc, within)
        assert enc.b <= (mpmath.mpf(sp.N(hi, 30)) if hi != sp.oo else mpmath.mpf("inf")), (enc, within)


@pytest.mark.parametrize("fname, bound", [("atan", "110714871779409045/10**17"), ("cosh", "376219569108363142/10**17"),
                                          ("sinh", "362686040784701872/10**17"), ("tanh", "9640275800758168/10**16")])
def test_monotone_function_bounds_are_rounded_outward(fname, bound):
    """f(x) <= c on [0, 2] with c 2e-17..5e-17 below f(2): false. The endpoint values of atan, cosh, sinh,
    tanh were rounded to nearest at 53 bits (not outward), which PROVED the atan, cosh and sinh claims."""
    _, v = run({"x": {"kind": "real", "min": 0, "max": 2}}, {"kind": "le", "lhs": f"{fname}(x)", "rhs": bound})
    assert v.status is not Status.PROVED, v.summary()


# ------------------------------------------------------------------------------------------ signs
_TINY = R(1, 10 ** 60)  # below the enclosures' 40 digits: only the exact rules decide these
SIGNS = [  # (expression, (lo, hi, lo_open, hi_open) of _x, the exact sign set the calculus must give)
    (_x, (0, 1, True, False), {1}), (_x, (0, 1, False, False), {0, 1}), (_x, (-1, 0, False, False), {-1, 0}),
    (_x, (-1, 0, False, True), {-1}), (_x, (-1, 1, False, False), {-1, 0, 1}), (_x, (0, None, True, False), {1}),
    (_x - 1 - _TINY, (0, 1, False, False), {-1}), (_x - 1, (0, 1, False, False), {-1, 0}),
    (_x - 1, (0, 1, False, True), {-1}), (_x - 1, (1 + _TINY, 2, False, False), {1}),
    (_x - 1, (1, 2, True, False), {1}), (_x - 1, (1, 2, False, False), {0, 1}),
    (1 + _TINY - _x, (0, 1, False, False), {1}), (_x ** 2 - 1, (1, 2, True, False), {1}),
]


@pytest.mark.parametrize("expr, bounds, expected", SIGNS, ids=[f"{e}-{b}" for e, b, _ in SIGNS])
def test_calculus_signs_from_exact_bounds(expr, bounds, expected):
    """Signs from the exact (open or closed) bounds of a symbol: exactly the possible ones, also where the
    margin (1e-60) is below the enclosures' precision."""
    from boundcheck.prove.calculus import Bound, Box, Calculus

    lo, hi, lo_open, hi_open = bounds
    box = Box({_x: Bound(R(lo), None if hi is None else R(hi), lo_open, hi_open)})
    assert set(Calculus(box).sign(expr)) == expected, expr


def test_side_conditions_of_powers_allow_a_zero_base_only_for_positive_exponents():
    """sqrt(b) needs b >= 0 (0 allowed), b**(-1/2) needs b > 0, 1/b needs b != 0; established ones vanish."""
    from boundcheck.prove.calculus import NONNEG, NONZERO, POS, Bound, Box, Calculus

    calc = Calculus(Box({_x: Bound(R(0), R(2))}))
    assert calc.side_conditions(sp.sqrt(_x - 1)) == [(_x - 1, NONNEG)]
    assert calc.side_conditions((_x - 1) ** R(-1, 2)) == [(_x - 1, POS)]
    assert calc.side_conditions(1 / (_x - 1)) == [(_x - 1, NONZERO)]
    assert calc.side_conditions(sp.sqrt(_x) + sp.log(_x + 1)) == []


@pytest.mark.parametrize("expr, bounds, expected", [
    (sp.sqrt(_x), (0, 1), {1}), (_x ** R(3, 2), (0, 1), {1}), (_x ** R(-1, 2), (1, 2), {-1}),
    (_x ** 2, (0, 1), {1}), (_x ** 2, (-1, 0), {-1}), (_x ** 3, (-1, 1), {1}), (1 / _x ** 2, (1, 2), {-1})])
def test_monotonicity_of_powers(expr, bounds, expected):
    """The sign of d/dx of a power on a box where the base keeps its sign (0 included for positive exponents)."""
    from boundcheck.prove.calculus import Bound, Box, Calculus

    calc = Calculus(Box({_x: Bound(R(bounds[0]), R(bounds[1]))}))
    assert set(calc.monotone(expr, _x)) <= expected and calc.monotone(expr, _x), expr


def test_box_keeps_single_symbol_bounds_and_ignores_other_relations():
    """x != 0, Eq(x, 5) and x*y >= 1 are not bounds of one symbol by a constant: ignored (the box only gets
    wider, which is sound); x >= 1 and 2x <= 6 give x in [1, 3]."""
    from boundcheck.prove.calculus import Box

    box = Box.from_relations([_x, _y], [sp.Ne(_x, 0), sp.Eq(_x, 5), _x * _y >= 1, _x >= 1, 2 * _x <= 6])
    b = box.bounds[_x]
    assert (b.lo, b.hi) == (1, 3) and box.bounds[_y].lo is None and box.bounds[_y].hi is None


def test_difference_of_nonnegative_terms_is_proved_through_the_difference_of_squares():
    """sqrt(x**2 + y**2) - x >= 0 (x >= 0): P**2 - Q**2 = y**2 >= 0, a calculus proof whose step records P, Q
    and the form; 1/100 less is false at y = 0 and not proved."""
    doms = {"x": {"kind": "real", "min": 0, "max": 10}, "y": {"kind": "real", "min": -10, "max": 10}}
    _, v = run(doms, {"kind": "nonnegative", "expr": "sqrt(x**2 + y**2) - x"})
    assert v.status is Status.PROVED and v.method == "calculus", v.summary()
    (step,) = v.proof.steps
    data = dict(step.data)
    assert step.rule == "square-difference" and "y" in data["form"] and "Pow" in data["P"] and "x" in data["Q"]
    assert len(step.children) == 3
    _, v = run(doms, {"kind": "nonnegative", "expr": "sqrt(x**2 + y**2) - x - 1/100"})
    assert v.status is not Status.PROVED, v.summary()


def test_sampled_points_on_the_boundary_of_an_assumption_are_kept():
    """The numeric search keeps sample points that satisfy x >= 1 and y <= 2 with equality (a claim false only
    there, log(x) > 0 with x >= 1, is refuted at x = 1 by that search), and drops the ones outside."""
    import numpy as np

    from boundcheck.prove.refute import _assume_mask

    X = np.array([[1.0, 2.0], [1.5, 0.0], [0.5, 0.0], [1.0, 2.5], [3.0, 2.0]])
    assert list(_assume_mask([_x >= 1, _y <= 2], [_x, _y], X)) == [True, True, False, False, True]
    assert list(_assume_mask([sp.And(1 <= _x, _y <= 2)], [_x, _y], X)) == [True, True, False, False, True]
    _, v = run({"x": {"kind": "real", "min": "1/2", "max": 2}}, {"kind": "positive", "expr": "log(x)",
                                                                   "assume": ["x >= 1"]})
    assert v.status is Status.REFUTED and dict(v.witness.point) == {"x": "1"}


def test_monotone_claim_on_a_split_domain_says_why_it_is_unknown():
    """x**3 - 2x increasing on [-3, 3] with x**2 >= 4 (two pieces): the derivative sign holds on each piece
    only, so UNKNOWN, and the reason says the assumptions may split the interval."""
    _, v = run({"x": {"kind": "real", "min": -3, "max": 3}},
               {"kind": "increasing", "expr": "x**3 - 2*x", "var": "x", "assume": ["x**2 >= 4"]})
    assert v.status is Status.UNKNOWN and "interval" in v.reason and "pieces" in v.reason, v.summary()


@pytest.mark.parametrize("expr, status", [("Abs(x - 1/4) - (x - 1/4)", Status.PROVED),
                                          ("-Abs(x - 1/4)", Status.REFUTED),
                                          ("Max(x, 1/2) - Min(x, 1/2) - Abs(x - 1/2)", Status.PROVED),
                                          ("1/2 - Abs(x)", Status.REFUTED)])
def test_z3_rung_on_abs_max_min(expr, status):
    """The z3 rung alone (its encoding of Abs, Max, Min) proves the true claims and refutes the false ones
    with a confirmed witness on x in [0, 1]."""
    from boundcheck.prove import ladder
    from boundcheck.prove.refute import Goal

    problem, _ = run({"x": {"kind": "real", "min": 0, "max": 1}}, {"kind": "nonnegative", "expr": "x"})
    g = problem.expression(expr)
    ctx = ladder._Context(problem, problem.all_claims[-1], 10.0, 0)
    v = ladder._smt(ctx, Goal(g))
    assert v is not None and v.status is status and v.method.startswith("smt"), (expr, v)


def test_verdict_summaries_say_what_was_found():
    """A REFUTED summary names the witness point, a PROVED one the method and its evidence, UNKNOWN the reason."""
    _, v = run({"x": {"kind": "real", "min": 0, "max": 1}}, {"kind": "nonnegative", "expr": "x - 1/2"})
    assert v.status is Status.REFUTED and v.summary().startswith("REFUTED") and "x=" in v.summary(), v.summary()
    _, v = run({"x": {"kind": "real", "min": 0, "max": 1}}, {"kind": "nonnegative", "expr": "x"})
    assert v.status is Status.PROVED and v.summary().startswith("PROVED") and v.method in v.summary()


@pytest.mark.parametrize("expr, nondecreasing", [("log(1 + 1/n) + 3", False), ("sqrt(1 + 1/n)", False),
                                                 ("log(1 + n) + 3", True), ("2*exp(n/(n + 1))", True)])
def test_monotone_routine_proves_the_direction_it_is_asked(expr, nondecreasing):
    """The routine monotone step (peel increasing outer functions, then the derivative's sign) proves
    'nondecreasing' only for increasing functions and 'nonincreasing' only for decreasing ones."""
    from boundcheck.prove import ladder
    from boundcheck.prove.calculus import NONNEG, NONPOS, Calculus
    from boundcheck.prove.generalize import prove_monotone_routine

    problem, _ = run({"n": {"kind": "real", "min": 1}}, {"kind": "nonnegative", "expr": "n"})
    f, var = problem.expression(expr), problem.symbol("n").sym
    ctx = ladder._Context(problem, problem.all_claims[-1], 10.0, 0)
    icalc = Calculus(ctx.box.with_bound(var, ctx.box.bounds[var].interior()))
    up = prove_monotone_routine(ladder._routine_prover(ctx, 0.5), f, var, NONNEG, icalc)
    down = prove_monotone_routine(ladder._routine_prover(ctx, 0.5), f, var, NONPOS, icalc)
    assert (bool(up), bool(down)) == (nondecreasing, not nondecreasing), (up, down)


def test_peeling_increasing_outer_functions():
    """c + phi(u), a*phi(u) with a > 0, log, exp and positive powers are peeled to their argument."""
    from boundcheck.prove.generalize import peel_increasing

    n = sp.Symbol("n", positive=True)
    assert peel_increasing(sp.log(n) + 3, n)[0] == sp.log(n)
    assert peel_increasing(5 * sp.log(n), n)[0] == sp.log(n)
    assert peel_increasing(sp.log(n + 1), n)[0] == n + 1
    assert peel_increasing(sp.sqrt(n + 1), n)[0] == n + 1
    assert peel_increasing(-sp.log(n), n) is None and peel_increasing(sp.log(n) + n, n) is None
