"""The near-miss refuter (prove/nearmiss.py): finds violations confined to a tiny region, certifies them, and
never reports a witness for a true claim (tight ones included)."""

from __future__ import annotations

import sympy as sp

from boundcheck.prove.nearmiss import search_nearmiss
from boundcheck.prove.refute import Goal
from boundcheck.spec import problem_from_dict


def _setup(symbols: dict, lhs: str, rhs: str, strict: bool = False):
    p = problem_from_dict({"name": "t", "symbols": symbols,
                           "claims": [{"id": "c", "kind": "lt" if strict else "le", "lhs": lhs, "rhs": rhs}]})
    c = p.claims[0]
    return Goal(c.rhs - c.lhs, strict=strict), list(p.symbols)


def test_finds_a_violation_in_a_tiny_window() -> None:
    """log x <= x - 1 - 1e-9 fails only for |x - 1| < ~4.5e-5: far too narrow for random sampling."""
    goal, syms = _setup({"x": {"kind": "real", "min_open": 0}}, "log(x)", "x - 1 - 1/10**9")
    w = search_nearmiss(goal, syms, [], budget=5.0)
    assert w is not None
    x = sp.Rational(w.as_dict()["x"])
    assert abs(x - 1) < sp.Rational(1, 10 ** 4)


def test_respects_integer_domains() -> None:
    """(n - 5/2)**2 >= 1/4 - 1e-9 holds at every integer n (its minimum over the integers is 1/4, at 2 and 3),
    not over the reals (0 at 5/2)."""
    goal, syms = _setup({"n": {"kind": "integer", "min": 0, "max": 10}}, "1/4 - 1/10**9", "(n - 5/2)**2")
    assert search_nearmiss(goal, syms, [], budget=2.0) is None
    goal, syms = _setup({"n": {"kind": "real", "min": 0, "max": 10}}, "1/4 - 1/10**9", "(n - 5/2)**2")
    assert search_nearmiss(goal, syms, [], budget=3.0) is not None


def test_no_witness_for_true_tight_claims() -> None:
    for lhs, rhs, sym in (("log(x)", "x - 1", {"kind": "real", "min_open": 0}),
                          ("1 + x", "exp(x)", {"kind": "real"}),
                          ("x*exp(x/2)", "exp(x) - 1", {"kind": "real", "min": 0})):
        goal, syms = _setup({"x": sym}, lhs, rhs)
        assert search_nearmiss(goal, syms, [], budget=1.5) is None, (lhs, rhs)
