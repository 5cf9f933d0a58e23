"""Tests of the safe expression parser."""

import pytest
import sympy as sp

from boundcheck.errors import ParseError, SpecError
from boundcheck.parse import parse_expr, parse_number, parse_relation

n, d = sp.symbols("n d", positive=True)
NAMES = {"n": n, "d": d}


class TestParseExpr:
    def test_flagship_radius(self):
        """The covering radius parses to the exact sympy expression."""
        assert parse_expr("sqrt(d)/2 * n**(-1/d)", NAMES) == sp.sqrt(d) / 2 * n ** (-1 / d)

    def test_caret_is_power_with_power_precedence(self):
        """'^' means '**' and binds tighter than '+'."""
        assert parse_expr("0.1 + n^2", NAMES) == n ** 2 + sp.Rational(1, 10)

    def test_decimal_literals_are_exact(self):
        """0.1 becomes the rational 1/10, not a float."""
        assert parse_expr("0.1", {}) == sp.Rational(1, 10)

    def test_log_with_base(self):
        """log(x, b) is log(x)/log(b); log10 is log/log(10)."""
        assert parse_expr("log(n, 2)", NAMES) == sp.log(n) / sp.log(2)
        assert parse_expr("log10(n)", NAMES) == sp.log(n) / sp.log(10)

    def test_relation_chain(self):
        """A chained comparison is an And of relations."""
        rel = parse_relation("1 <= d < 2", NAMES)
        assert isinstance(rel, sp.And) and len(rel.args) == 2

    @pytest.mark.parametrize("text,fragment", [
        ("__import__('os').system('true')", "only plain function names"),
        ("__import__('os')", "unknown function '__import__'"),
        ("n.real", "attribute"),
        ("(lambda: 1)()", "syntax error"),
        ("[n, d]", "list"),
        ("n if d else 1", "IfExp"),
        ("open('x')", "unknown function 'open'"),
        ("eval('1')", "unknown function 'eval'"),
        ("x + 1", "unknown name 'x'"),
        ("2**10**10", "too large"),
        ("1/0", "division by zero"),
        ("n +", "syntax error"),
        ("'abc'", "not a number"),
        ("sqrt(n, d)", "takes 1"),
        ("n < d", "comparison"),
        ("", "empty"),
        ("log(x=1)", "keyword"),
        ("f\"{n}\"", "f-string"),
    ], ids=["import-call", "import", "attribute", "lambda", "list", "ifexp", "open", "eval", "unknown-name", "huge-power",
            "div-zero", "syntax", "string", "arity", "comparison", "empty", "keyword", "fstring"])
    def test_rejects(self, text, fragment):
        """Code and unknown constructs are refused with a ParseError that says why."""
        with pytest.raises(ParseError) as info:
            parse_expr(text, NAMES, file="spec.toml", key="definitions.bound", line=7)
        msg = str(info.value)
        assert fragment in msg
        assert "spec.toml:7" in msg and "definitions.bound" in msg
        assert isinstance(info.value, SpecError) and isinstance(info.value, ValueError)

    def test_number_rejects_symbols(self):
        """parse_number refuses free symbols."""
        with pytest.raises(ParseError):
            parse_number("n")
        assert parse_number("1/100") == sp.Rational(1, 100)
        assert parse_number("pi") == sp.pi


# --- the function whitelist, name by name (each arity and each value is part of the spec language) ---

x = sp.Symbol("x", positive=True)
#: name -> (allowed argument counts, one call, its value)
WHITELIST = {
    "sqrt": ((1,), "sqrt(x)", sp.sqrt(x)),
    "cbrt": ((1,), "cbrt(x)", x ** sp.Rational(1, 3)),
    "root": ((2,), "root(x, 3)", x ** sp.Rational(1, 3)),
    "log": ((1, 2), "log(x, 3)", sp.log(x) / sp.log(3)),
    "ln": ((1,), "ln(x)", sp.log(x)),
    "log10": ((1,), "log10(x)", sp.log(x) / sp.log(10)),
    "log2": ((1,), "log2(x)", sp.log(x) / sp.log(2)),
    "exp": ((1,), "exp(x)", sp.exp(x)),
    "Abs": ((1,), "Abs(x - 3)", sp.Abs(x - 3)),
    "abs": ((1,), "abs(x - 3)", sp.Abs(x - 3)),
    "Min": ((2, 3, 4, 5, 6), "Min(x, 3)", sp.Min(x, 3)),
    "Max": ((2, 3, 4, 5, 6), "Max(x, 3)", sp.Max(x, 3)),
    "min": ((2, 3, 4, 5, 6), "min(x, 3)", sp.Min(x, 3)),
    "max": ((2, 3, 4, 5, 6), "max(x, 3)", sp.Max(x, 3)),
    "Rational": ((1, 2), "Rational(3, 4)", sp.Rational(3, 4)),
    "floor": ((1,), "floor(x)", sp.floor(x)),
    "ceiling": ((1,), "ceiling(x)", sp.ceiling(x)),
    "sin": ((1,), "sin(x)", sp.sin(x)),
    "cos": ((1,), "cos(x)", sp.cos(x)),
    "tan": ((1,), "tan(x)", sp.tan(x)),
    "atan": ((1,), "atan(x)", sp.atan(x)),
    "arctan": ((1,), "arctan(x)", sp.atan(x)),
    "asin": ((1,), "asin(x)", sp.asin(x)),
    "acos": ((1,), "acos(x)", sp.acos(x)),
    "sinh": ((1,), "sinh(x)", sp.sinh(x)),
    "cosh": ((1,), "cosh(x)", sp.cosh(x)),
    "tanh": ((1,), "tanh(x)", sp.tanh(x)),
    "gamma": ((1,), "gamma(x)", sp.gamma(x)),
}
#: partial functions: their call is a definedness condition (the others are real and finite everywhere)
PARTIAL = {"sqrt", "cbrt", "root", "log", "ln", "log10", "log2", "tan", "asin", "acos", "gamma"}


def test_whitelist_is_the_documented_one():
    """The table above is the whole whitelist (a new function needs its row here)."""
    from boundcheck.parse import FUNCTIONS
    assert set(FUNCTIONS) == set(WHITELIST)


@pytest.mark.parametrize("name", sorted(WHITELIST))
def test_each_function_parses_to_its_value(name):
    """Each whitelisted name means the sympy function it names."""
    _, call, value = WHITELIST[name]
    assert sp.simplify(parse_expr(call, {"x": x}) - value) == 0


@pytest.mark.parametrize("name", sorted(WHITELIST))
def test_each_function_takes_exactly_its_argument_counts(name):
    """Every documented argument count parses; one fewer than the least and one more than the most do not."""
    arities, _, _ = WHITELIST[name]
    args = ["2", "3", "5", "7", "11", "13", "17"] if name == "Rational" else ["1/2", "1/3", "1/5", "1/7", "1/11",
                                                                             "1/13", "1/17"]
    for k in arities:
        parse_expr(f"{name}({', '.join(args[:k])})", {})
    for k in (min(arities) - 1, max(arities) + 1):
        with pytest.raises(ParseError, match=r"argument\(s\), got"):
            parse_expr(f"{name}({', '.join(args[:k])})", {})


@pytest.mark.parametrize("name", sorted(WHITELIST))
def test_partial_functions_are_definedness_conditions(name):
    """A call of a partial function is recorded as a term that must be defined; a total one is not."""
    from boundcheck.parse import definedness_terms
    _, call, _ = WHITELIST[name]
    terms = definedness_terms(call, {"x": x})
    assert bool(terms) == (name in PARTIAL), terms
