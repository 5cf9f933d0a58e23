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
