"""z3's encoding knows that exp and log are strictly increasing (pairwise axioms between their atoms), which
the tangent bounds alone do not give for symbolic arguments; a claim that needs more than monotonicity, or is
false, stays unproved."""

from __future__ import annotations

import sympy as sp

from boundcheck.prove.calculus import Box, Calculus
from boundcheck.prove.smt import check_goal

x, y = sp.symbols("x y", real=True)


def _check(g, hyps, strict):
    calc = Calculus(Box.from_relations([x, y], []))
    return check_goal(g, strict=strict, equality=False, symbols=[x, y], hypotheses=hyps, calculus=calc,
                      timeout=8.0)


def test_exp_and_log_monotone_between_symbols() -> None:
    r = _check(1 / (1 + sp.exp(x)) - 1 / (1 + sp.exp(y)), [sp.StrictLessThan(x, y)], True)
    assert r.status == "unsat", r.reason
    assert "=>" in r.smtlib  # the axioms are part of the re-checkable obligation
    r = _check(sp.log(1 + y ** 2) - sp.log(1 + x ** 2), [sp.StrictLessThan(x ** 2, y ** 2)], True)
    assert r.status == "unsat", r.reason


def test_monotone_axioms_prove_nothing_false() -> None:
    # equality at x = y: the strict claim is false
    assert _check(sp.exp(y) - sp.exp(x), [sp.LessThan(x, y)], True).status != "unsat"
    # exp(y) - exp(x) >= y - x fails for x < y < 0
    assert _check(sp.exp(y) - sp.exp(x) - (y - x), [sp.LessThan(x, y)], False).status != "unsat"
