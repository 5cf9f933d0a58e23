"""The parser's whitelist, table-driven: every construct outside the grammar is refused with a ParseError
(never evaluated, never silently given a meaning), and constants that are not real numbers are refused."""

from __future__ import annotations

import pytest
import sympy as sp

from boundcheck.errors import ParseError
from boundcheck.parse import definedness_terms, parse_expr, parse_relation

X = sp.Symbol("x", real=True)
Y = sp.Symbol("y", real=True)
NAMES = {"x": X, "y": Y}

REJECTED = {
    "modulo": "x % 2",
    "floor-division": "x // 2",
    "bit-and": "x & y",
    "bit-or": "x | y",
    "invert": "~x",
    "and": "x and y",
    "or": "x or y",
    "not": "not x",
    "subscript": "x[0]",
    "slice": "x[0:1]",
    "tuple": "(x, y)",
    "list": "[x, y]",
    "dict": "{x: y}",
    "set": "{x, y}",
    "walrus": "(y := 1)",
    "matmul": "x @ y",
    "shift": "x << 2",
    "attribute": "x.real",
    "lambda": "lambda: 1",
    "string": "'x'",
    "f-string": "f'{x}'",
    "ternary": "x if y else 1",
    "keyword-call": "log(x, base=2)",
    "unknown-function": "eval(x)",
    "dunder": "__import__('os')",
    "comprehension": "[x for x in y]",
    "starred": "max(*x)",
    "bool": "True",
    "complex-literal": "1j",
    "is": "x is y",
    "in": "x in y",
}

NOT_REAL = {
    "sqrt-of-negative": "sqrt(-1) ** 2",
    "even-root-of-negative": "0 * (-2) ** (1/2)",
    "cube-root-of-negative-constant": "(-8) ** (1/3) + x",
    "fractional-power-of-negative": "((-2/3) ** (-1/3)) ** 3",
    "division-by-zero": "x / (1 - 1)",
    "zero-to-negative": "0 ** (-2) * 0",
    "log-of-zero": "0 * log(0)",
}


@pytest.mark.parametrize("text", REJECTED.values(), ids=REJECTED.keys())
def test_construct_outside_the_grammar_is_rejected(text):
    """A construct that is not arithmetic over whitelisted names raises ParseError."""
    with pytest.raises(ParseError):
        parse_expr(text, NAMES)


@pytest.mark.parametrize("text", ["x % 2 < 1", "(x and y) > 0", "x[0] >= 1", "(x, y) == 1", "(y := 1) > 0"],
                         ids=["modulo", "and", "subscript", "tuple", "walrus"])
def test_construct_outside_the_grammar_is_rejected_in_relations(text):
    """The same whitelist guards relations (assumptions)."""
    with pytest.raises(ParseError):
        parse_relation(text, NAMES)


@pytest.mark.parametrize("text", NOT_REAL.values(), ids=NOT_REAL.keys())
def test_constant_that_is_not_real_is_rejected(text):
    """A constant sub-term that is not a real number is refused, even when sympy would cancel it."""
    with pytest.raises(ParseError):
        parse_expr(text, NAMES)


def test_relation_with_undefined_constant_is_rejected():
    """An assumption such as 0**(-2) >= 1 (zoo) is refused, not handed to the prover."""
    with pytest.raises(ParseError):
        parse_relation("0 ** (-2) >= x", NAMES)


@pytest.mark.parametrize("text, expected", [
    ("x**2/x**2", [X ** -2]),
    ("0*log(x)", [sp.log(X)]),
    ("sqrt(x)**2", [sp.sqrt(X)]),
    ("(x - y)/(x - y) + 1", [1 / (X - Y)]),
    ("log(x, y)", [sp.log(X), 1 / sp.log(Y)]),
    ("x**y - x**y", [X ** Y]),
    ("x**2 + exp(x) + Abs(y)", []),
], ids=["t2/t2", "0log", "sqrt-squared", "quotient", "log-base", "symbolic-power", "total"])
def test_definedness_terms_survive_evaluation(text, expected):
    """The partial sub-terms as written are recorded even where evaluation erases them."""
    terms = definedness_terms(text, NAMES)
    for e in expected:
        assert any(sp.simplify(t - e) == 0 for t in terms), (text, terms)
    if not expected:
        assert terms == ()


def test_definedness_terms_follow_definitions():
    """A name brings its definition's terms along (r = 1/x used in 0*r)."""
    terms = definedness_terms("0*r + 1", {"x": X, "r": 1 / X}, {"r": (1 / X,)})
    assert 1 / X in terms
