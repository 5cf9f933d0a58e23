"""Optimum claims (layer 3): tune a free parameter (epsilon, lambda, a temperature) and prove the tuning.

Two routes, each a proof:

* **first-order condition**: sympy solves ``d expr / d var = 0`` with one root ``r``; the ladder proves
  ``d^2 expr / d var^2 >= 0`` on the domain (convexity) and that ``r`` lies in the domain of ``var``, so
  ``expr(r)`` *is* the infimum (factor 1);
* **balancing**: the terms of ``expr`` split into ``U`` (nondecreasing in var), ``V`` (nonincreasing) and
  ``C`` (free of var), all nonnegative; at any ``b`` in the domain, ``expr(var) >= C + min(U(b), V(b))`` for
  every ``var`` (for ``var >= b`` because U(var) >= U(b), below because V(var) >= V(b)). At the balancing
  choice ``b`` (sympy solves ``U = V``, else the leading powers of U and V are balanced) the tuned value
  ``expr(b)`` is within ``factor`` of the infimum once ``expr(b) <= factor * (C + U(b))`` and
  ``expr(b) <= factor * (C + V(b))`` are proved (``factor = 2`` when U(b) = V(b) exactly).

The tuned expression's exponent in the growing symbol (``along``) comes from the leading-term case analysis.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from ..spec import Claim
from ..symbolic import AsymptoticUnsupported, plain, region_from, symbol_set, value_cases
from .asymptotic import calculus_sign_oracle
from .calculus import NONNEG, NONPOS
from .verdict import Certificate, Status, Verdict

__all__ = ["prove_optimum"]


def _ladder(ctx, claim: Claim) -> Verdict:
    from .ladder import prove_claim

    v = prove_claim(replace(ctx.problem, assumptions=()), claim, timeout=max(0.5, ctx.left() / 3), seed=ctx.seed)
    if v.status is Status.PROVED:
        ctx.__dict__.setdefault("sub_verdicts", []).append(v)
    return v


def _sub(ctx, label: str, kind: str, **kw) -> Verdict:
    return _ladder(ctx, Claim(id=f"{plain(ctx.claim.id)} [{plain(label)}]", kind=kind, assume=tuple(ctx.hypotheses), **kw))


def _in_domain(ctx, r: sp.Expr, sym) -> list[Verdict]:
    """Proofs that ``r`` lies in the domain of the parameter (for every value of the other symbols)."""
    out = []
    if sym.lo is not None:
        out.append(_sub(ctx, f"{plain(sym.name)}* >= {plain(sym.lo)}", "lt" if sym.lo_open else "le", lhs=sym.lo, rhs=r))
    if sym.hi is not None:
        out.append(_sub(ctx, f"{plain(sym.name)}* <= {plain(sym.hi)}", "lt" if sym.hi_open else "le", lhs=r, rhs=sym.hi))
    return out


def prove_optimum(ctx) -> Verdict:
    """Minimise ``expr`` over ``var``: the minimiser, the tuned value, its exponent, and the optimality proof."""
    claim = ctx.claim
    psym = ctx.problem.symbol(claim.var)
    eps = psym.sym
    f = claim.expr
    if any(eps in h.free_symbols for h in ctx.hypotheses):
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"assumptions on the parameter {plain(eps)} are not supported "
                                                          "(its range is its symbol's domain)")
    notes: list[str] = []
    found = _first_order(ctx, f, eps, psym, notes)
    if found is None:
        found = _balance(ctx, f, eps, psym, notes)
    if found is None:
        return ctx.verdict(Status.UNKNOWN, "none", reason="; ".join(notes) or "no minimiser found")
    r, tuned, factor, proof = found
    result = [(f"{plain(eps)}*", str(r)), ("tuned", str(tuned)), ("factor", str(factor))]
    problems = []
    if claim.value is not None and sp.simplify(claim.value - r) != 0:
        problems.append(f"the minimiser found is {plain(r)}, not the claimed {plain(claim.value)}")
    if claim.factor is not None and not bool(sp.simplify(factor - claim.factor) <= 0):
        problems.append(f"the proved factor is {plain(factor)}, more than the claimed {plain(claim.factor)}")
    if claim.along is not None:
        exp_text, ok = _exponent(ctx, tuned, claim)
        result.append((f"exponent in {plain(claim.along)}", exp_text))
        if not ok:
            problems.append(f"the tuned value's exponent in {plain(claim.along)} is {plain(exp_text)}, not the claimed "
                            f"{plain(claim.exponent)}")
    detail = f"{plain(eps)}* = {plain(r)}, tuned value {plain(tuned)}; {plain(proof)}"
    if problems:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"{plain(detail)}; but " + "; ".join(problems),
                           result=tuple(result))
    return ctx.verdict(Status.PROVED, "optimum", certificate=Certificate("optimum", detail), result=tuple(result))


def _first_order(ctx, f, eps, psym, notes) -> tuple | None:
    fp = sp.diff(f, eps)
    try:
        roots = [sp.simplify(r) for r in sp.solve(fp, eps) if not r.has(sp.I) and eps not in r.free_symbols]
    except (NotImplementedError, ValueError, TypeError):
        roots = []
    roots = [r for r in roots if sp.simplify(fp.subs(eps, r)) == 0]
    if not roots or len(roots) > 3:
        notes.append(f"sympy finds {plain(len(roots))} roots of d/d{plain(eps)} = 0" if roots else
                     f"sympy does not solve d/d{plain(eps)} = 0")
        return None
    # the root that lies in the domain of the parameter (proved; a convex function has one minimiser there)
    inside = [r for r in roots if all(v.status is Status.PROVED for v in _in_domain(ctx, r, psym))]
    if len(inside) != 1:
        notes.append(f"{plain(len(inside))} of the roots {plain(', '.join(map(plain, roots)))} of d/d{plain(eps)} = 0 are proved to lie "
                     f"in the domain of {plain(eps)}")
        return None
    r = inside[0]
    convex = _sub(ctx, f"d2/d{plain(eps)}2 >= 0", "nonnegative", expr=sp.diff(f, eps, 2))
    if convex.status is not Status.PROVED:
        notes.append(f"convexity in {plain(eps)} not proved")
        return None
    tuned = sp.simplify(f.subs(eps, r))
    proof = (f"d/d{plain(eps)} vanishes at {plain(eps)}* (sympy), d2/d{plain(eps)}2 >= 0 on the domain (proved by "
             f"{convex.method}, below) and {plain(eps)}* lies in the domain, so the tuned value is the infimum")
    return r, tuned, sp.Integer(1), proof


def _balance(ctx, f, eps, psym, notes) -> tuple | None:
    calc = ctx.calc
    U, V, C = [], [], []
    for t in sp.Add.make_args(sp.expand(f, power_base=False, log=False)):
        if eps not in t.free_symbols:
            C.append(t)
            continue
        m = calc.monotone(t, eps)
        if m <= NONNEG:
            U.append(t)
        elif m <= NONPOS:
            V.append(t)
        else:
            notes.append(f"the term {plain(t)} is not monotone in {plain(eps)} by the sign rules")
            return None
    if not U or not V:
        notes.append(f"no increasing/decreasing pair of terms to balance in {plain(eps)}")
        return None
    U, V, C = sp.Add(*U), sp.Add(*V), sp.Add(*C)
    for part, name in ((U, "U"), (V, "V"), (C, "C")):
        if part != 0 and not calc.sign(part) <= NONNEG:
            notes.append(f"{plain(name)} = {plain(part)} is not shown nonnegative")
            return None
    try:
        roots = [r for r in sp.solve(sp.Eq(U, V), eps) if not r.has(sp.I) and eps not in r.free_symbols]
    except (NotImplementedError, ValueError, TypeError):
        roots = []
    exact = len(roots) == 1
    if exact:
        b = sp.simplify(roots[0])
    else:
        lu, lv = _leading_power(U, eps), _leading_power(V, eps)
        if lu is None or lv is None:
            notes.append(f"cannot balance U = {plain(U)} and V = {plain(V)}")
            return None
        (cu, pu), (cv, pv) = lu, lv
        b = sp.simplify((cv / cu) ** (1 / (pu - pv)))
    inside = _in_domain(ctx, b, psym)
    if any(v.status is not Status.PROVED for v in inside):
        notes.append(f"the balancing choice {plain(eps)} = {plain(b)} is not proved to lie in the domain")
        return None
    tuned = sp.simplify(f.subs(eps, b))
    ub, vb = U.subs(eps, b), V.subs(eps, b)
    if exact and sp.simplify(ub - vb) == 0:
        factor, why = sp.Integer(2), "U(b) = V(b) exactly, so f(b) = C + 2 U(b) <= 2 (C + min(U(b), V(b)))"
    else:
        factor = ctx.claim.factor if ctx.claim.factor is not None else sp.Integer(2)
        checks = [_sub(ctx, f"f(b) <= {plain(factor)} (C + {plain(w)}(b))", "le", lhs=f.subs(eps, b), rhs=factor * (C + x))
                  for x, w in ((ub, "U"), (vb, "V"))]
        bad = [c for c in checks if c.status is not Status.PROVED]
        if bad:
            notes.append(f"balancing choice {plain(eps)} = {plain(b)}: f(b) <= {plain(factor)} (C + min(U(b), V(b))) not proved "
                         f"({bad[0].status})")
            return None
        why = f"f(b) <= {plain(factor)} (C + U(b)) and f(b) <= {plain(factor)} (C + V(b)) (ladder)"
    proof = (f"balancing U = {plain(U)} (nondecreasing in {plain(eps)}) against V = {plain(V)} (nonincreasing), C = {plain(C)}: for every "
             f"{plain(eps)}, f({plain(eps)}) >= C + min(U(b), V(b)) at b = {plain(b)}; {plain(why)}; so f(b) <= {plain(factor)} inf f")
    return b, tuned, factor, proof


def _leading_power(e: sp.Expr, eps: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """``e = c * eps**p`` (a single power term) -> (c, p)."""
    c, p = sp.powsimp(e, force=False).as_coeff_exponent(eps)
    if eps in c.free_symbols or eps in p.free_symbols or p == 0:
        return None
    return c, p


def _exponent(ctx, tuned: sp.Expr, claim) -> tuple[str, bool]:
    from ..symbolic import leading_cases

    x = ctx.problem.symbol(claim.along).sym
    doms = {s.sym: symbol_set(s.lo, s.hi, s.lo_open, s.hi_open) for s in ctx.problem.symbols
            if s.sym in tuned.free_symbols and s.sym != x}
    region = region_from(doms, [h for h in ctx.hypotheses if x not in h.free_symbols])
    oracle = calculus_sign_oracle(ctx.box)
    try:
        cases = leading_cases(tuned, x, region, oracle)
    except AsymptoticUnsupported as err:
        return f"unknown ({plain(err)})", claim.exponent is None
    text = "; ".join(f"{plain(t.exp)}" + (f" (log^{plain(t.logpow)})" if t.logpow != 0 else "") for _, t in cases)
    if claim.exponent is None:
        return text, True
    for R, t in cases:
        try:
            parts = value_cases(claim.exponent, R, oracle)
        except AsymptoticUnsupported:
            return text, False
        if any(sp.simplify(R2.substitute(t.exp - v)) != 0 for R2, v in parts) or oracle(t.coef, R) != "pos":
            return text, False
    return text, True
