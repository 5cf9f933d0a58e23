"""The referee's tools: names, rates with log factors and Max, eventual asymptotics, routine steps
(monotone substitution, generalisation), thresholds and optima."""

import pytest
import sympy as sp

import boundcheck
from boundcheck.errors import ParseError
from boundcheck.parse import parse_expr, parse_relation
from boundcheck.prove.verdict import Status
from boundcheck.spec import loads
from boundcheck.symbolic import Region, value_cases

HEAD = """
[symbols]
n = { kind = "integer", min = 1 }
"""


def _verdict(text, cid=None, timeout=20.0):
    problem = loads(text)
    verdicts = boundcheck.verify(problem, timeout=timeout)
    if cid is None:
        return verdicts
    return next(v for v in verdicts if v.claim_id == cid)


class TestNames:
    def test_any_identifier_is_a_symbol(self):
        """gamma, lambda, N, S, Q, O and E can be symbols; a symbol shadows a function unless called."""
        names = {k: sp.Symbol(k, positive=True) for k in ("gamma", "lambda", "N", "S", "Q", "O", "E")}
        e = parse_expr("gamma + lambda*N + S + Q + O + E + gamma(3)", names)
        g, lam, N, S, Q, O, E = names.values()
        assert e == g + lam * N + S + Q + O + E + 2
        assert parse_expr("E", {}) == sp.E  # without a symbol E, the constant

    def test_lambda_spec_verifies(self):
        """A spec with symbols gamma and lambda is proved (numeric evaluation ignores the names)."""
        v = _verdict(HEAD + """
gamma = { kind = "real", min_open = 0 }
lambda = { kind = "real", min_open = 0 }
[[claims]]
id = "c"
kind = "positive"
expr = "gamma*lambda + gamma(2)"
[[claims]]
id = "d"
kind = "nonnegative"
expr = "gamma - lambda"
""")
        assert [x.status for x in v] == [Status.PROVED, Status.REFUTED]

    def test_single_equals_says_write_double(self):
        """'=' in an assumption is rejected with a message that says to write '=='."""
        with pytest.raises(ParseError, match="write '=='"):
            parse_relation("R_hat = 0", {"R_hat": sp.Symbol("R_hat")})

    def test_dir_lists_the_api(self):
        """dir(boundcheck) lists the public API, each with a docstring."""
        names = dir(boundcheck)
        for name in boundcheck.__all__:
            assert name in names
            assert getattr(boundcheck, name).__doc__


class TestRates:
    def test_value_cases_split_max(self):
        """Max(1/2 - a, -1/2) is 1/2 - a where a <= 1 and -1/2 where a > 1."""
        a = sp.Symbol("a", positive=True)
        cases = value_cases(sp.Max(sp.Rational(1, 2) - a, -sp.Rational(1, 2)),
                            Region(((a, sp.Interval.open(0, sp.oo)),)))
        value = sp.Max(sp.Rational(1, 2) - a, -sp.Rational(1, 2))
        assert len(cases) == 3
        for R, v in cases:
            pts = [p for p in (sp.Rational(1, 2), sp.Integer(1), sp.Integer(3)) if p in R.set_of(a)]
            assert pts and all(v.subs(a, p) == value.subs(a, p) for p in pts)
            assert not v.has(sp.Max)

    def test_log_power_and_soft(self):
        """n^(-1/2) log(n)^(1/2) is proved with log_power, refuted without, proved when soft."""
        text = HEAD + """
[definitions]
g = "sqrt(log(n + 1)/n)"
[[claims]]
id = "with"
kind = "exponent"
expr = "g"
var = "n"
value = "-1/2"
log_power = "1/2"
[[claims]]
id = "without"
kind = "exponent"
expr = "g"
var = "n"
value = "-1/2"
[[claims]]
id = "soft"
kind = "exponent"
expr = "g"
var = "n"
value = "-1/2"
soft = true
"""
        v = _verdict(text)
        assert [x.status for x in v] == [Status.PROVED, Status.REFUTED, Status.PROVED]
        assert "(log n)^(1/2), not n^(-1/2)" in v[1].witness.explanation

    def test_eventual_assumptions(self):
        """Assumptions n >= h and n >= 2 log M hold eventually; n <= h does not."""
        text = HEAD + """
h = { kind = "integer", min = 1 }
M = { kind = "real", min = 2 }
[[claims]]
id = "a"
kind = "limit"
expr = "h/n"
var = "n"
at = "oo"
value = "0"
assume = ["n >= h", "n >= 2*log(M)"]
[[claims]]
id = "b"
kind = "limit"
expr = "h/n"
var = "n"
at = "oo"
value = "0"
assume = ["n <= h"]
"""
        v = _verdict(text)
        assert v[0].status is Status.PROVED and v[1].status is Status.UNKNOWN


ROUTINE = HEAD.replace("min = 1", "min = 2") + """
KL = { min = 0 }
delta = { min_open = 0, max_open = 1 }
R = { min = 0, max = 1 }
R_hat = { min = 0, max = 1 }
[definitions]
kl = "(KL + log(2*sqrt(n)/delta))/n"
[[claims]]
id = "pinsker"
kind = "le"
lhs = "R - R_hat"
rhs = "sqrt(kl/2)"
assume = ["2*(R - R_hat)**2 <= kl"]
[[claims]]
id = "pinsker-false"
kind = "le"
lhs = "R - R_hat"
rhs = "sqrt(kl/3)"
assume = ["2*(R - R_hat)**2 <= kl"]
[[claims]]
id = "link-lost"
kind = "le"
lhs = "log(n)"
rhs = "log(n + 1)"
"""


class TestRoutine:
    def test_pinsker_by_generalisation(self):
        """Pinsker's inversion is proved by generalising kl into a fresh symbol; too strong a form is not."""
        v = _verdict(ROUTINE, timeout=20)
        assert v[0].status is Status.PROVED and v[0].method in ("routine", "smt")
        assert v[1].status is not Status.PROVED

    def test_generalising_loses_links_and_proves_nothing_false(self):
        """log(n + 1) - log(n) >= 0 is true, but with both logs generalised into free symbols it is not: the
        rule must then prove nothing (and it never refutes)."""
        import time

        from boundcheck.prove.calculus import Box
        from boundcheck.prove.generalize import Prover, prove_by_generalising

        n = sp.Symbol("n", positive=True)
        prover = Prover([n], [n >= 2], [], Box.from_relations([n], [n >= 2], []), time.monotonic() + 5)
        assert prove_by_generalising(prover, sp.log(n + 1) - sp.log(n), False) is None
        # while a generalised statement that stays true is proved: log(n) >= 0 for n >= 2
        assert prove_by_generalising(prover, sp.log(n) * n, False) is not None

    def test_monotone_substitution_through_sqrt(self):
        """sqrt(a) <= sqrt(b) reduces to a <= b."""
        from boundcheck.prove.generalize import monotone_pairs

        a, b, n = sp.symbols("a b n", positive=True)
        what, pairs, nonneg = monotone_pairs(sp.sqrt(a) / sp.sqrt(n), sp.sqrt(b / (2 * n - 1)))
        assert pairs == [(a / n, b / (2 * n - 1))]


THRESH = HEAD + """
x = { kind = "real", min = 1 }
c = { kind = "real", min_open = 0 }
[[claims]]
id = "int"
kind = "threshold"
lhs = "100/n"
rhs = "c"
var = "n"
given = { c = "1/3" }
value = "300"
[[claims]]
id = "int-wrong"
kind = "threshold"
lhs = "100/n"
rhs = "c"
var = "n"
given = { c = "1/3" }
value = "301"
[[claims]]
id = "real"
kind = "threshold"
lhs = "2/x"
rhs = "c"
var = "x"
given = { c = "3/2" }
value = "4/3"
[[claims]]
id = "symbolic"
kind = "threshold"
lhs = "100/n"
rhs = "c"
var = "n"
"""


class TestThreshold:
    def test_thresholds(self):
        """Integer n* with failure at n*-1; a wrong claim refuted; an exact real threshold; a formula."""
        v = _verdict(THRESH)
        assert [x.status for x in v] == [Status.PROVED, Status.REFUTED, Status.PROVED, Status.PROVED]
        assert dict(v[0].result)["n*"] == "300"
        assert "ceiling(100/c)" in dict(v[3].result)["n*"]

    def test_threshold_claim_api(self):
        """threshold_claim builds the claim from text (what `boundcheck solve` uses)."""
        from boundcheck.prove.threshold import threshold_claim

        problem = loads(THRESH)
        claim = threshold_claim(problem, "100/n <= c", "n", {"c": "1/4"})
        v = boundcheck.prove_claim(problem, claim, timeout=20)
        assert v.status is Status.PROVED and dict(v.result)["n*"] == "400"


class TestOptimum:
    def test_balancing_route(self):
        """The balancing route on a*eps + 1/(n eps): b = 1/sqrt(a n), factor 2, exponent -1/2."""
        v = _verdict(HEAD + """
eps = { kind = "real", min_open = 0 }
[[claims]]
id = "o"
kind = "optimum"
expr = "eps + 1/(n*eps)"
var = "eps"
along = "n"
exponent = "-1/2"
""")[0]
        assert v.status is Status.PROVED
        assert dict(v.result)["eps*"] == "1/sqrt(n)" or dict(v.result)["eps*"] == "sqrt(n)/n"

    def test_balance_function_directly(self):
        """_balance proves factor 2 where the two sides are equal at the balancing choice."""
        from boundcheck.prove import ladder
        from boundcheck.prove.optimum import _balance

        problem = loads(HEAD + """
eps = { kind = "real", min_open = 0 }
[[claims]]
id = "o"
kind = "optimum"
expr = "2*eps + sqrt(2*eps**(-2)/n)"
var = "eps"
""")
        ctx = ladder._Context(problem, problem.claims[0], 20, 0)
        out = _balance(ctx, problem.claims[0].expr, problem.symbol("eps").sym, problem.symbol("eps"), [])
        assert out is not None and out[2] == 2


class TestSolveCli:
    def test_solve_relation(self, tmp_path, capsys):
        """`boundcheck solve SPEC 'RELATION' --given ...` prints n* and exits 0."""
        from boundcheck.cli import main

        spec = tmp_path / "t.toml"
        spec.write_text(THRESH)
        rc = main(["solve", str(spec), "100/n <= c", "--given", "c=1/5", "--json", str(tmp_path / "o.json")])
        out = capsys.readouterr().out
        assert rc == 0 and "500" in out
        import json

        assert json.loads((tmp_path / "o.json").read_text())["results"][0]["result"]["n*"] == "500"

    def test_solve_bad_given(self, tmp_path, capsys):
        """A malformed --given is bad input (exit 2)."""
        from boundcheck.cli import main

        spec = tmp_path / "t.toml"
        spec.write_text(THRESH)
        assert main(["solve", str(spec), "100/n <= c", "--given", "c"]) == 2


@pytest.mark.parametrize("factor, proved", [("1", True), ("2", True), ("1/2", False)])
def test_optimum_claimed_factor_is_compared_with_the_proved_one(factor, proved):
    """The first-order route proves eps* = n^(-1/2) the minimiser of eps + 1/(n eps) (factor 1): a claimed
    factor 1 (equal) or 2 (weaker) is proved, a claimed 1/2 (better than optimal: impossible) is not."""
    v = _verdict(HEAD + f"""
eps = {{ kind = "real", min_open = 0 }}
[[claims]]
id = "o"
kind = "optimum"
expr = "eps + 1/(n*eps)"
var = "eps"
along = "n"
factor = "{factor}"
""")[0]
    assert (v.status is Status.PROVED) == proved, v.summary()
