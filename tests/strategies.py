"""Shared Hypothesis strategies: random sum-of-power-law bounds and points of their domains.

A generated bound is a sum of terms ``c * n**e * log(n)**k`` where the exponent ``e`` may be symbolic in the
dimension ``d`` (``-1/d``, ``1/(2*d)``, ...), the coefficient may be a signed rational or a positive
symbol (``K``), and ``k`` is 0 or 1. It comes as the text of a spec expression with its symbol table, so
it goes through the same parser as a user's spec.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

__all__ = ["SYMBOLS", "exponents", "coefficients", "power_law_terms", "power_law_bounds", "monotone_specs",
           "domain_values", "domain_points"]

#: The symbol table of generated bounds: n the sample size (real or integer, >= 1), d >= 1, K > 0.
SYMBOLS: dict[str, dict[str, Any]] = {
    "n": {"kind": "real", "min": 1},
    "d": {"kind": "real", "min": 1, "max": 8},
    "K": {"kind": "real", "min_open": 0, "max": 100},
}


def _frac(lo: int, hi: int, den: int = 4) -> st.SearchStrategy[Fraction]:
    return st.fractions(min_value=lo, max_value=hi, max_denominator=den)


def exponents(sign: int = 0) -> st.SearchStrategy[str]:
    """Exponents of n: rationals in [-2, 2] or symbolic ones such as ``-1/d`` and ``(3/2)/d``; ``sign`` -1 or
    1 restricts them to negative or positive ones (0: any)."""
    lo, hi = (-2, 2) if sign == 0 else ((-2, 0) if sign < 0 else (0, 2))
    q = _frac(lo, hi)
    if sign:
        q = q.filter(lambda v: v != 0)
    rational = q.map(lambda v: f"({v})")
    symbolic = st.tuples(q.filter(lambda v: v != 0), st.sampled_from(["d", "(2*d)", "(d + 1)"])).map(
        lambda t: f"(({t[0]})/{t[1]})")
    return st.one_of(rational, symbolic)


def coefficients(positive: bool = False) -> st.SearchStrategy[str]:
    """Coefficients: nonzero rationals (positive ones only if ``positive``), or K / sqrt(d) times a positive
    rational."""
    number = _frac(0 if positive else -5, 5).filter(lambda q: q != 0).map(lambda q: f"({q})")
    symbolic = st.tuples(_frac(1, 5).filter(lambda q: q > 0), st.sampled_from(["K", "sqrt(d)", "K*sqrt(d)"])).map(
        lambda t: f"({t[0]})*{t[1]}")
    return st.one_of(number, symbolic)


def power_law_terms(sign: int = 0) -> st.SearchStrategy[str]:
    """One term ``c * n**e`` or ``c * n**e * log(n)``; with ``sign`` != 0 the coefficient is positive and the
    exponent has that sign (the term alone is then monotone, except for the log factor)."""
    return st.tuples(coefficients(positive=sign != 0), exponents(sign), st.booleans()).map(
        lambda t: f"{t[0]}*n**{t[1]}" + ("*log(n)" if t[2] else ""))


def power_law_bounds(max_terms: int = 3, sign: int = 0) -> st.SearchStrategy[str]:
    """A sum of 1..max_terms power-law terms, as expression text. ``sign`` -1 gives sums of decaying terms
    (usually decreasing, but ``n**(-1/2)*log(n)`` rises before it falls), 1 sums of growing ones."""
    return st.lists(power_law_terms(sign), min_size=1, max_size=max_terms).map(lambda ts: " + ".join(ts))


def monotone_specs(max_terms: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    """A one-claim spec: a power-law bound claimed monotone (any of the four kinds) in n, with n real or
    integer. Half the bounds are sums of same-direction terms, so that PROVED verdicts are common."""
    def build(args: tuple[str, str, bool]) -> dict[str, Any]:
        expr, kind, integer = args
        symbols = {k: dict(v) for k, v in SYMBOLS.items()}
        if integer:
            symbols["n"]["kind"] = "integer"
        return {"name": "generated", "symbols": symbols,
                "claims": [{"id": "generated", "kind": kind, "expr": expr, "var": "n"}]}

    kinds = st.sampled_from(["decreasing", "increasing", "nonincreasing", "nondecreasing"])
    bounds = st.one_of(power_law_bounds(max_terms), st.sampled_from([-1, 1]).flatmap(
        lambda sg: power_law_bounds(max_terms, sign=sg)))
    return st.tuples(bounds, kinds, st.booleans()).map(build)


def domain_values(symbol: dict[str, Any]) -> st.SearchStrategy[Fraction]:
    """Exact values (Fractions) in one symbol's domain as given in a spec's [symbols] table (numeric bounds)."""
    lo = symbol.get("min", symbol.get("min_open"))
    hi = symbol.get("max", symbol.get("max_open"))
    lo_v = Fraction(lo) if lo is not None else Fraction(-10 ** 6)
    hi_v = Fraction(hi) if hi is not None else Fraction(10 ** 6)
    if symbol.get("kind") == "integer":
        return st.integers(int(lo_v) + ("min_open" in symbol), int(hi_v) - ("max_open" in symbol)).map(Fraction)
    if hi is None:
        # spread over many scales: small values near the bound and large ones
        near = st.fractions(min_value=lo_v, max_value=lo_v + 10, max_denominator=1000)
        far = st.integers(0, 12).flatmap(lambda k: st.fractions(min_value=lo_v, max_value=lo_v + 10 ** k,
                                                                  max_denominator=10))
        values = st.one_of(near, far)
    else:
        values = st.fractions(min_value=lo_v, max_value=hi_v, max_denominator=1000)
    if "min_open" in symbol:
        values = values.filter(lambda v: v > lo_v)
    if "max_open" in symbol:
        values = values.filter(lambda v: v < hi_v)
    return values


def domain_points(symbols: dict[str, dict[str, Any]], names: list[str] | None = None
                  ) -> st.SearchStrategy[dict[str, Fraction]]:
    """A point (name -> Fraction) of the product of the domains of ``names`` (default: all symbols)."""
    names = sorted(symbols) if names is None else names
    return st.fixed_dictionaries({n: domain_values(symbols[n]) for n in names})
