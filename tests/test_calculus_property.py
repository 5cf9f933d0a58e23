"""Property tests of the monotonicity calculus and the ladder on random sum-of-power-law bounds: whenever
either says a bound is monotone (or of a sign) in n, random pairs (points) of the domain agree at 50 digits;
whenever the ladder refutes, its witness survives an independent re-check."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from boundcheck.prove.calculus import NEG, NONNEG, NONPOS, POS, Box, Calculus
from boundcheck.prove.ladder import prove_claim
from boundcheck.prove.verdict import Status
from boundcheck.spec import problem_from_dict
from soundness import oracle
from strategies import domain_points, domain_values, monotone_specs

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.filter_too_much])
_KIND_OF_SIGN = {frozenset(NEG): "decreasing", frozenset(POS): "increasing", frozenset(NONPOS): "nonincreasing",
                 frozenset(NONNEG): "nondecreasing"}


def _exact(point: dict[str, Fraction], problem) -> dict[sp.Symbol, sp.Expr]:
    return {problem.symbol(k).sym: sp.Rational(v.numerator, v.denominator) for k, v in point.items()}


def _pair_agrees(problem, claim, data: st.DataObject, spec: dict[str, Any], kind: str, pairs: int = 4) -> None:
    """Draw ``pairs`` pairs x1 < x2 of n (other symbols at a drawn point) and check ``kind`` on each."""
    others = sorted(oracle.claim_symbols(claim) - {"n"})
    checked_claim = claim if kind == claim.kind else replace(claim, kind=kind)
    for _ in range(pairs):
        base = data.draw(domain_points(spec["symbols"], others))
        x1 = data.draw(domain_values(spec["symbols"]["n"]))
        x2 = data.draw(domain_values(spec["symbols"]["n"]))
        if x1 == x2:
            continue
        x1, x2 = sorted((x1, x2))
        point = _exact(base, problem)
        try:
            bad = oracle.monotone_violated(problem, checked_claim, point, sp.Rational(x1.numerator, x1.denominator),
                                           sp.Rational(x2.numerator, x2.denominator))
        except ValueError:  # an expression the point makes undefined: nothing to compare
            continue
        assert bad is not True, f"{kind} claimed for {claim.expr}, violated at {base}, n = {x1} < {x2}"


class TestCalculusMonotone:
    """The calculus rung alone: its monotonicity answer is checked against pairs of points."""

    @_SETTINGS
    @given(monotone_specs(), st.data())
    def test_calculus_monotone_agrees_with_pairs(self, spec: dict[str, Any], data: st.DataObject) -> None:
        """If the calculus gives a sign set for f(y) - f(x) (x < y), random pairs agree at 50 digits."""
        problem = problem_from_dict(spec)
        claim = problem.claims[0]
        syms = [s for s in problem.symbols]
        rels = [r for s in syms for r in s.constraints()]
        box = Box.from_relations([s.sym for s in syms], rels, [s.sym for s in syms if s.is_integer])
        calc = Calculus(box)
        n = problem.symbol("n").sym
        try:
            m = calc.monotone(claim.expr, n)
        except Exception:  # noqa: BLE001 - an unsupported expression is fine, a wrong answer is not
            m = None
        assume(m is not None)
        kind = _KIND_OF_SIGN.get(frozenset(m))
        assume(kind is not None)
        _pair_agrees(problem, claim, data, spec, kind)

    @_SETTINGS
    @given(monotone_specs(), st.data())
    def test_calculus_sign_agrees_with_points(self, spec: dict[str, Any], data: st.DataObject) -> None:
        """If the calculus says a bound is > 0 (>= 0, < 0, <= 0), random domain points agree at 50 digits."""
        problem = problem_from_dict(spec)
        claim = problem.claims[0]
        syms = list(problem.symbols)
        rels = [r for s in syms for r in s.constraints()]
        calc = Calculus(Box.from_relations([s.sym for s in syms], rels, [s.sym for s in syms if s.is_integer]))
        s = frozenset(calc.sign(claim.expr))
        assume(s in (frozenset(POS), frozenset(NEG), frozenset(NONNEG), frozenset(NONPOS)))
        names = sorted(oracle.claim_symbols(claim) - {"n"}) + ["n"]
        for _ in range(4):
            point = _exact(data.draw(domain_points(spec["symbols"], names)), problem)
            try:
                value = oracle.evaluate(claim.expr, point)
            except ValueError:
                continue
            if s == POS:
                assert value > 0 or oracle.diff_sign(claim.expr, point) == 1, (point, value)
            elif s == NEG:
                assert value < 0 or oracle.diff_sign(claim.expr, point) == -1, (point, value)
            elif s == NONNEG:
                assert oracle.diff_sign(claim.expr, point) in (0, 1, None), (point, value)
            else:
                assert oracle.diff_sign(claim.expr, point) in (0, -1, None), (point, value)


class TestLadderMonotone:
    """The whole ladder on generated monotonicity claims."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(monotone_specs(max_terms=3), st.data())
    def test_ladder_verdict_agrees_with_pairs(self, spec: dict[str, Any], data: st.DataObject) -> None:
        """PROVED monotone claims agree with random pairs at 50 digits; REFUTED ones have a confirmed witness."""
        problem = problem_from_dict(spec)
        claim = problem.claims[0]
        v = prove_claim(problem, claim, timeout=1.5)
        if v.status is Status.PROVED:
            assert v.certificate is not None
            _pair_agrees(problem, claim, data, spec, claim.kind, pairs=6)
        elif v.status is Status.REFUTED:
            msg = oracle.check_witness(problem, claim, v.witness)
            assert msg is None, f"{msg}: {v!r}"

    def test_known_decreasing_bound_is_proved_and_agrees(self) -> None:
        """The flagship shape K*sqrt(d)*n**(-1/d) + n**(-1/2) is PROVED decreasing, and pairs agree."""
        spec = {"symbols": {"n": {"kind": "integer", "min": 1}, "d": {"kind": "real", "min": 1},
                            "K": {"kind": "real", "min_open": 0}},
                "claims": [{"id": "c", "kind": "decreasing", "expr": "K*sqrt(d)*n**(-1/d) + n**(-1/2)", "var": "n"}]}
        problem = problem_from_dict(spec)
        v = prove_claim(problem, problem.claims[0], timeout=5)
        assert v.status is Status.PROVED
        point = _exact({"d": Fraction(3), "K": Fraction(1, 7)}, problem)
        assert oracle.monotone_violated(problem, problem.claims[0], point, sp.Integer(1), sp.Integer(2)) is False
