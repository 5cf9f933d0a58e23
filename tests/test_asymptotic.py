"""Asymptotic rung helpers (``prove/asymptotic.py``) that the claim-level tests do not pin down."""

from __future__ import annotations

import sympy as sp

from boundcheck.prove.asymptotic import _pick

R = sp.Rational


def test_witness_candidates_include_the_closed_ends_of_a_parameter_interval():
    """The points tried as refutation witnesses for a parameter include each closed end of its interval (a
    claim false only at d = 2 of d in [1, 2] is refuted there) and nothing outside the set."""
    closed = _pick(sp.Interval(1, 2), integer=False)
    assert 1 in closed and 2 in closed and R(3, 2) in closed
    right_open = _pick(sp.Interval.Ropen(1, 2), integer=False)
    assert 1 in right_open and 2 not in right_open
    left_open = _pick(sp.Interval.Lopen(1, 2), integer=False)
    assert 2 in left_open and 1 not in left_open
    assert all(p in sp.Interval.Ropen(1, 2) for p in right_open)


def test_witness_candidates_of_half_lines_unions_and_integers():
    """Half-lines get points on their side, unions get the points of each part, integer parameters integer
    points of the set only."""
    up = _pick(sp.Interval(3, sp.oo), integer=False)
    assert 3 in up and all(p >= 3 for p in up) and len(up) >= 3
    down = _pick(sp.Interval(-sp.oo, -1), integer=False)
    assert -1 in down and all(p <= -1 for p in down) and len(down) >= 2
    both = _pick(sp.Union(sp.Interval(0, 1), sp.FiniteSet(5)), integer=False)
    assert 0 in both and 1 in both and 5 in both
    ints = _pick(sp.Interval(R(1, 2), R(7, 2)), integer=True)
    assert ints and all(p.is_Integer and R(1, 2) <= p <= R(7, 2) for p in ints)


def test_a_limit_at_infinity_of_a_variable_bounded_above_is_not_decided():
    """x -> oo is outside the domain of x in [1, 10]: UNKNOWN saying so, not a proof of lim 1/x = 0."""
    from boundcheck.prove.ladder import prove_claim
    from boundcheck.prove.verdict import Status
    from boundcheck.spec import problem_from_dict

    for claim in ({"kind": "limit", "expr": "1/x", "var": "x", "at": "oo", "value": "0"},
                  {"kind": "exponent", "expr": "x**2", "var": "x", "value": "2"}):
        problem = problem_from_dict({"name": "t", "symbols": {"x": {"kind": "real", "min": 1, "max": 10}},
                                     "claims": [dict({"id": "c"}, **claim)]})
        v = prove_claim(problem, problem.all_claims[-1], timeout=10)
        assert v.status is Status.UNKNOWN and "bounded above" in v.reason, (claim, v.summary())


def test_exponent_analysis_for_reports_leaves_out_variables_bounded_above():
    """The report's case table covers exponent claims as n -> oo only where n is unbounded above."""
    from boundcheck.prove.asymptotic import analyze_exponents
    from boundcheck.spec import problem_from_dict

    claims = [{"id": "free", "kind": "exponent", "expr": "n**2", "var": "n", "value": "2"},
              {"id": "capped", "kind": "exponent", "expr": "m**2", "var": "m", "value": "2"}]
    problem = problem_from_dict({"name": "t", "symbols": {"n": {"kind": "real", "min": 1},
                                                          "m": {"kind": "real", "min": 1, "max": 10}},
                                 "claims": claims})
    out = analyze_exponents(problem)
    assert "free" in out and "capped" not in out, out
