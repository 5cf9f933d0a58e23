"""Re-checking a witness: the stored point lies in the domain and violates the claim, by rigorous interval
evaluation at rising precision (never by digits that merely agree)."""

from __future__ import annotations

import sympy as sp
from mpmath import iv

from ..parse import parse_number
from ..spec import Claim, Problem
from ._common import CheckFailed, domain_bounds, goal_of, interval

__all__ = ["check_witness"]

_PRECISIONS = (30, 60, 120, 240)


def _in_domain(problem: Problem, claim: Claim, point: dict) -> None:
    for s, b in domain_bounds(problem, claim).items():
        if s not in point:
            continue
        v = point[s]
        if b.lo is not None and (bool(v < b.lo) or (b.lo_open and bool(sp.Eq(v, b.lo)))):
            raise CheckFailed(f"the witness has {s} = {v}, outside its domain")
        if b.hi is not None and (bool(v > b.hi) or (b.hi_open and bool(sp.Eq(v, b.hi)))):
            raise CheckFailed(f"the witness has {s} = {v}, outside its domain")
        if b.integer and not v.is_integer:
            raise CheckFailed(f"the witness has {s} = {v}, but {s} is an integer")
    for h in tuple(problem.assumptions) + tuple(claim.assume):
        val = h.subs(point)
        if val is not sp.true and not _certainly(val):
            raise CheckFailed(f"the witness does not satisfy the hypothesis {h}")


def _certainly(rel) -> bool:
    if rel is sp.true:
        return True
    if isinstance(rel, sp.And):
        return all(_certainly(a) for a in rel.args)
    ops = {sp.StrictLessThan: lambda d: d.b < 0, sp.LessThan: lambda d: d.b <= 0,
           sp.StrictGreaterThan: lambda d: d.a > 0, sp.GreaterThan: lambda d: d.a >= 0}
    test = ops.get(type(rel))
    if test is None:
        return False
    for dps in _PRECISIONS:
        try:
            if test(interval(rel.lhs - rel.rhs, {}, dps=dps)):
                return True
        except CheckFailed:
            return False
    return False


def _enclose(e: sp.Expr) -> iv.mpf:
    last = None
    for dps in _PRECISIONS:
        last = interval(e, {}, dps=dps)
        if last.b - last.a < abs(last.a + last.b) * 1e-20 + 1e-60:
            break
    return last


def check_witness(problem: Problem, claim: Claim, point_text: dict[str, str]) -> str:
    """Check a stored witness; returns a one-line description of the violation. Raises CheckFailed."""
    syms = {s.name: s.sym for s in problem.symbols}
    if claim.kind in ("increasing", "decreasing", "nondecreasing", "nonincreasing"):
        var = claim.var
        x = syms[var]
        try:
            x1, x2 = parse_number(point_text[f"{var}_1"]), parse_number(point_text[f"{var}_2"])
        except KeyError as err:
            raise CheckFailed(f"the witness of a monotonicity claim needs {var}_1 and {var}_2") from err
        others = {syms[k]: parse_number(v) for k, v in point_text.items() if k in syms and k != var}
        if not bool(x1 < x2):
            raise CheckFailed(f"the witness needs {var}_1 < {var}_2")
        for xv in (x1, x2):
            _in_domain(problem, claim, {**others, x: xv})
        f = claim.expr.subs(others)
        d = _enclose(f.subs(x, x2) - f.subs(x, x1))
        bad = {"increasing": d.b <= 0, "decreasing": d.a >= 0, "nondecreasing": d.b < 0,
               "nonincreasing": d.a > 0}[claim.kind]
        if not bad:
            raise CheckFailed(f"f({var}_2) - f({var}_1) lies in [{d.a}, {d.b}], which does not contradict "
                              f"'{claim.kind}'")
        return f"f({var}_2) - f({var}_1) in {_show(d)} contradicts '{claim.kind}'"
    goal = goal_of(claim)
    point = {syms[k]: parse_number(v) for k, v in point_text.items() if k in syms}
    missing = goal.g.free_symbols - set(point)
    if missing:
        raise CheckFailed(f"the witness gives no value to {sorted(map(str, missing))}")
    _in_domain(problem, claim, point)
    d = _enclose(goal.g.subs(point))
    bad = {"ge": d.b < 0, "gt": d.b <= 0, "eq": d.a > 0 or d.b < 0}[goal.rel]
    if not bad:
        raise CheckFailed(f"the claim's goal at the witness lies in [{d.a}, {d.b}]: no violation")
    return f"goal at the witness in {_show(d)} violates it"


def _show(d) -> str:
    import mpmath

    return f"[{mpmath.nstr(d.a, 10)}, {mpmath.nstr(d.b, 10)}]"
