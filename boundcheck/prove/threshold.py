"""Threshold claims (layer 3): the least ``n`` from which a relation holds for all larger ``n``.

"How many samples until this bound is below 0.1?", "from which n is the Rademacher bound below the VC
bound?". With the other symbols given numbers, the threshold is found by a certified search (ball
arithmetic, :mod:`boundcheck.prove.certify`) and then *proved*:

* the relation holds for every ``n >= n*``: a claim of its own, proved by the ladder;
* ``n*`` is the least such ``n``: for an integer ``n`` the relation fails at ``n* - 1`` (a certified
  point); for a real ``n`` it fails at a certified point ``a`` just below, so the exact threshold lies in
  ``(a, n*]``, and when the spec claims an exact real value the ladder proves that the relation fails on
  the whole interval ``[a, value)``.

With symbols left free, the equation ``lhs = rhs`` is solved for ``n`` by sympy; the root ``r`` is the
threshold when the ladder proves that ``rhs - lhs`` is strictly increasing in ``n`` (then ``rhs - lhs >= 0``
exactly when ``n >= r``). When sympy cannot solve it, the order of the threshold in the other symbols is
read off the leading term in ``n`` (the sample complexity ``n*(eps, delta)``), reported but not a verdict.
"""

from __future__ import annotations

import math
from dataclasses import replace

import sympy as sp

from ..spec import Claim
from ..symbolic import AsymptoticUnsupported, Region, leading_cases, plain
from .certify import certify_sign, certify_violation
from .verdict import Certificate, Status, Verdict, Witness

__all__ = ["prove_threshold", "threshold_claim"]

_RATIO = 1.09          # geometric grid of the search
_GRID = 1200           # points: up to about 1e45
_REAL_TOL = sp.Rational(1, 10 ** 9)


def threshold_claim(problem, relation: str, var: str, given: dict | None = None, claim_id: str = "threshold") -> Claim:
    """A threshold claim built from text, e.g. ``threshold_claim(p, "bound <= 1/10", "n", {"delta": "1/20"})``.

    Raises:
        SpecError: the relation, the variable or a given value is malformed.
    """
    from ..spec import problem_from_dict

    raw = dict(problem.raw)
    lhs, rel, rhs = _split_relation(relation)
    claims = [{"id": claim_id, "kind": "threshold", "lhs": lhs, "rel": rel, "rhs": rhs, "var": var,
               "given": dict(given or {})}]
    return problem_from_dict({**raw, "claims": claims, "derivation": []}, file=problem.path).claims[0]


def _split_relation(text: str) -> tuple[str, str, str]:
    from ..errors import UsageError

    for op in ("<=", ">=", "<", ">"):
        if op in text:
            lhs, rhs = text.split(op, 1)
            if any(o in rhs for o in ("<", ">")):
                break
            return lhs.strip(), op, rhs.strip()
    raise UsageError(f"expected one comparison such as 'bound <= 1/10', got {text!r}")


def _status(g: sp.Expr, n: sp.Symbol, m: sp.Expr, strict: bool) -> str | None:
    point = {n: m}
    if certify_sign(g, point, "pos" if strict else "nonneg", max_prec=2000) is not None:
        return "hold"
    if certify_violation(g, point, strict=strict, max_prec=2000) is not None:
        return "fail"
    return None


def _first(lo: sp.Expr, lo_open: bool, integer: bool) -> sp.Expr:
    if not integer:
        return lo
    c = sp.ceiling(lo)
    return c + 1 if (lo_open and c == lo) else c


def _grid(first: sp.Expr) -> list[sp.Expr]:
    pts = [first]
    for k in range(1, _GRID):
        pts.append(first + sp.Integer(math.floor(_RATIO ** k)) - 1)
    out: list[sp.Expr] = []
    for p in pts:
        if not out or p > out[-1]:
            out.append(p)
    return out


def _sub_verdict(ctx, kind: str, small: sp.Expr, big: sp.Expr, assume: tuple, label: str, **kw) -> Verdict:
    """Run the ladder on a derived claim (the spec's global assumptions are already substituted into it)."""
    from .ladder import prove_claim

    problem = replace(ctx.problem, assumptions=())
    sub = Claim(id=f"{plain(ctx.claim.id)} [{plain(label)}]", kind=kind, lhs=small if kind in ("le", "lt") else None,
                rhs=big if kind in ("le", "lt") else None, assume=assume, **kw)
    v = prove_claim(problem, sub, timeout=max(1.0, ctx.left()), seed=ctx.seed)
    if v.status is Status.PROVED:
        ctx.__dict__.setdefault("sub_verdicts", []).append(v)
    return v


def prove_threshold(ctx) -> Verdict:
    """Find and prove the least ``var`` from which ``lhs rel rhs`` holds for all larger ``var``."""
    claim = ctx.claim
    nsym = ctx.problem.symbol(claim.var)
    n = nsym.sym
    given = {ctx.problem.symbol(k).sym: v for k, v in claim.given}
    rel = claim.rel or "<="
    lhs, rhs = claim.lhs.xreplace(given), claim.rhs.xreplace(given)
    small, big = (lhs, rhs) if rel in ("<=", "<") else (rhs, lhs)
    strict = rel in ("<", ">")
    g = big - small
    hyps = []
    for h in ctx.hypotheses:
        h2 = h.xreplace(given)
        if h2 is sp.true:
            continue
        if h2 is sp.false:
            return ctx.verdict(Status.UNKNOWN, "none", reason=f"the given values violate the assumption {plain(h)}")
        hyps.append(h2)
    free = g.free_symbols.union(*[h.free_symbols for h in hyps])
    if nsym.hi is not None:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"a threshold needs {plain(n)} unbounded above")
    if free - {n}:
        return _symbolic(ctx, n, nsym, small, big, g, strict, tuple(hyps), nsym.lo)
    lo, lo_open = nsym.lo, nsym.lo_open
    for h in hyps:
        if isinstance(h, (sp.GreaterThan, sp.StrictGreaterThan)) and h.lhs == n and h.rhs.is_number:
            if lo is None or bool(h.rhs > lo) or (h.rhs == lo and isinstance(h, sp.StrictGreaterThan)):
                lo, lo_open = h.rhs, isinstance(h, sp.StrictGreaterThan)
        elif isinstance(h, (sp.LessThan, sp.StrictLessThan)) and h.rhs == n and h.lhs.is_number:
            if lo is None or bool(h.lhs > lo) or (h.lhs == lo and isinstance(h, sp.StrictLessThan)):
                lo, lo_open = h.lhs, isinstance(h, sp.StrictLessThan)
        else:
            return ctx.verdict(Status.UNKNOWN, "none", reason=f"with the given values, the assumption {plain(h)} is not "
                                                              f"of the form {plain(n)} >= constant")
    if lo is None:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"{plain(n)} needs a lower bound for a threshold search")
    return _numeric(ctx, n, nsym, small, big, g, strict, tuple(hyps), _first(lo, lo_open, nsym.is_integer))


def _numeric(ctx, n, nsym, small, big, g, strict, hyps, first) -> Verdict:
    claim = ctx.claim
    integer = nsym.is_integer
    pts = _grid(first)
    status = [_status(g, n, p, strict) for p in pts]
    if status[-1] != "hold":
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"the relation is not certified to hold at {plain(n)} = "
                                                          f"{plain(pts[-1])} (the end of the search)")
    fails = [i for i, s in enumerate(status) if s == "fail"]
    if not fails:
        a, m = None, first
    else:
        i = fails[-1]
        a, b = pts[i], pts[i + 1]
        while (b - a > 1) if integer else (b - a > _REAL_TOL * max(1, abs(b))):
            mid = (a + b) // 2 if integer else (a + b) / 2
            st = _status(g, n, mid, strict)
            if st is None:
                return ctx.verdict(Status.UNKNOWN, "none", reason=f"cannot certify the relation's sign at {plain(n)} = {plain(mid)}")
            a, b = (mid, b) if st == "fail" else (a, mid)
        m = b
    value = claim.value.xreplace(dict((ctx.problem.symbol(k).sym, v) for k, v in claim.given)) \
        if claim.value is not None else None
    if value is not None and not value.is_number:
        return ctx.verdict(Status.UNKNOWN, "none", reason="the claimed threshold must be a number when every "
                                                          "other symbol is given")
    found = (("n*", str(m)),) if integer or a is None else (("n* in", f"({plain(a)}, {plain(m)}]"), ("n* ~", str(sp.N(m, 12))))
    if value is not None and a is not None and bool(value <= a):
        w = _witness(g, n, a, strict, f"the relation fails at {plain(n)} = {plain(a)}, at or above the claimed threshold {plain(value)}")
        if w is not None:
            return ctx.verdict(Status.REFUTED, "threshold", witness=w, result=found)
    # the relation for all n >= start, by the ladder; start is the claimed value when it lies in (a, m]
    start = value if (value is not None and not integer and bool(value <= m)) else m
    holds = _sub_verdict(ctx, "lt" if strict else "le", small, big,
                         hyps + (sp.GreaterThan(n, start, evaluate=False),), f"{plain(n)} >= {plain(start)}")
    if holds.status is not Status.PROVED:
        why = f"{holds.status}" + (" (timeout)" if "timeout" in holds.reason else "")
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"candidate threshold {plain(n)}* = {plain(m)} (certified search); "
                                                          f"the relation for all {plain(n)} >= {plain(start)} is not proved: {plain(why)}",
                           result=found)
    proof = f"proved by {holds.method}, below"
    if value is not None and bool(value > m):
        # the relation holds for all n >= m (proved), and m < value: the claimed value is not the least
        if _status(g, n, m, strict) == "hold":
            w = Witness(point=((n.name, str(m)),), values=((f"relation at {plain(n)} = {plain(m)}", "holds (certified)"),),
                        explanation=f"the relation already holds for all {plain(n)} >= {plain(m)} (proved by {plain(holds.method)}), "
                                    f"below the claimed threshold {plain(value)}")
            return ctx.verdict(Status.REFUTED, "threshold", witness=w, result=found)
    if a is None:
        what = f"{plain(n)}* = {plain(first)}, the least {plain(n)} of the domain: the relation holds on the whole domain"
        return ctx.verdict(Status.PROVED, "threshold", certificate=Certificate("threshold", f"{plain(what)} ({plain(proof)})"),
                           result=(("n*", str(first)),))
    wa = certify_violation(g, {n: a}, strict=strict)
    if wa is None:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"cannot certify that the relation fails at {plain(n)} = {plain(a)}",
                           result=found)
    side = "rhs - lhs" if claim.rel in (None, "<=", "<") else "lhs - rhs"
    if integer:
        detail = (f"{plain(n)}* = {plain(m)}: the relation holds for all {plain(n)} >= {plain(m)} ({plain(proof)}) and fails at {plain(n)} = {plain(a)} "
                  f"(certified: {plain(side)} = {plain(wa.value)} at {plain(wa.prec)} bits)")
        return ctx.verdict(Status.PROVED, "threshold", certificate=Certificate("threshold", detail),
                           result=(("n*", str(m)), (f"{plain(side)} at {plain(n)} = {plain(a)}", wa.value)))
    if value is None:
        detail = (f"the threshold lies in ({plain(a)}, {plain(m)}] (about {plain(sp.N(m, 12))}): the relation holds for all {plain(n)} >= {plain(m)} "
                  f"({plain(proof)}) and fails at {plain(n)} = {plain(a)} (certified: {plain(side)} = {plain(wa.value)})")
        return ctx.verdict(Status.PROVED, "threshold", certificate=Certificate("threshold", detail), result=found)
    fails = _sub_verdict(ctx, "le" if strict else "lt", big, small,
                         hyps + (sp.GreaterThan(n, a, evaluate=False), sp.StrictLessThan(n, value, evaluate=False)),
                         f"{plain(a)} <= {plain(n)} < {plain(value)}")
    if fails.status is not Status.PROVED:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"the relation holds for all {plain(n)} >= {plain(value)} ({plain(proof)}); "
                                                          f"that it fails on [{plain(a)}, {plain(value)}) is not proved",
                           result=found)
    detail = (f"{plain(n)}* = {plain(value)}: the relation holds for all {plain(n)} >= {plain(value)} ({plain(proof)}) and fails on [{plain(a)}, {plain(value)}) "
              f"(proved by {fails.method}, below)")
    return ctx.verdict(Status.PROVED, "threshold", certificate=Certificate("threshold", detail),
                       result=(("n*", str(value)),))


def _witness(g, n, m, strict, text) -> Witness | None:
    c = certify_violation(g, {n: m}, strict=strict)
    if c is None:
        return None
    return Witness(point=((n.name, str(m)),), values=(("rhs - lhs", c.value),), explanation=text)


def _symbolic(ctx, n, nsym, small, big, g, strict, hyps, lo) -> Verdict:
    """Other symbols free: n* as a formula (sympy solves lhs = rhs, the ladder proves monotonicity), else the
    order of n* in the other symbols from the leading term in n."""
    claim = ctx.claim
    try:
        sols = [r for r in sp.solve(sp.Eq(small, big), n) if not r.has(sp.I) and n not in r.free_symbols]
    except (NotImplementedError, ValueError, TypeError):
        sols = []
    if len(sols) == 1:
        r = sols[0]
        zero = _is_zero(g.subs(n, r), ctx.calc)
        inc = _sub_verdict(ctx, "increasing", None, None, hyps, f"rhs - lhs increasing in {plain(n)}", expr=g, var=claim.var)
        if zero and inc.status is Status.PROVED:
            star = (sp.floor(r) + 1 if strict else sp.ceiling(r)) if nsym.is_integer else r
            word = "the least integer" + (" above" if strict else " at or above") if nsym.is_integer else \
                ("the infimum (the relation holds for n > r)" if strict else "the least value")
            ok_value = claim.value is None or sp.simplify(claim.value - star) == 0 or sp.simplify(claim.value - r) == 0
            detail = (f"{plain(n)}* = {plain(star)} ({plain(word)} of the root r = {plain(r)} of lhs = rhs), wherever r >= {plain(lo)}: rhs - lhs "
                      f"vanishes at r (sympy) and is strictly increasing in {plain(n)} (proved by "
                      f"{inc.method}, below), so the relation holds exactly for {plain(n)} >= r")
            if ok_value:
                return ctx.verdict(Status.PROVED, "threshold", certificate=Certificate("threshold", detail),
                                   result=(("n*", str(star)),))
            return ctx.verdict(Status.UNKNOWN, "none", reason=f"{plain(detail)}; this differs from the claimed {plain(claim.value)} "
                                                              "(no witness point was searched)",
                               result=(("n*", str(star)),))
        why = "" if zero else "; the root does not check"
        if inc.status is not Status.PROVED:
            why += f"; rhs - lhs increasing in {plain(n)} is not proved"
        order = _order(small, big, n)
        why += f"; n* = {plain(order)}" if order is not None else ""
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"sympy solves lhs = rhs as {plain(n)} = {plain(r)}{plain(why)}",
                           result=(("n* (unproved)", str(r)),) + (((f"{plain(n)}* order", str(order)),) if order else ()))
    order = _order(small, big, n)
    text = f"n* = {plain(order)}" if order is not None else "no closed form and no order"
    return ctx.verdict(Status.UNKNOWN, "none", reason=f"sympy does not solve lhs = rhs for {plain(n)}; {plain(text)}",
                       result=((f"{plain(n)}* order", str(order)),) if order is not None else ())


def _is_zero(e: sp.Expr, calc) -> bool:
    """``e`` simplifies to 0, with each logarithm, exponential and root replaced first by a symbol carrying the
    sign the calculus proves for it on the domain (so sympy may use sqrt(x**2) = x where x > 0 is proved)."""
    from .calculus import NEG, POS

    if sp.simplify(e) == 0:
        return True
    sub = {}
    for node in sp.preorder_traversal(e):
        if node.free_symbols and (isinstance(node, (sp.log, sp.exp)) or (node.is_Pow and not node.exp.is_Integer)):
            s = calc.sign(node)
            if s <= POS:
                sub[node] = sp.Dummy("a", positive=True)
            elif s <= NEG:
                sub[node] = sp.Dummy("a", negative=True)
    if not sub:
        return False
    inner = {k: v for k, v in sub.items() if not any(k != o and o.has(k) for o in sub)}
    return sp.simplify(e.xreplace({k: v for k, v in sub.items() if isinstance(k, (sp.log, sp.exp))})) == 0 or \
        sp.simplify(e.xreplace(inner)) == 0


def _order(small: sp.Expr, big: sp.Expr, n: sp.Symbol) -> str | None:
    """The order of the threshold of ``small(n) <= big`` with ``big`` free of n and ``small ~ C n**a log(n)**k``,
    a < 0: ``n* ~ (C / big)**(1/-a)`` up to log factors (the sample complexity)."""
    if n in big.free_symbols:
        return None
    try:
        cases = leading_cases(small, n, Region())
    except AsymptoticUnsupported:
        return None
    if len(cases) != 1:
        return None
    t = cases[0][1]
    if not (t.exp.is_number and t.exp < 0):
        return None
    core = sp.simplify((t.coef / big) ** (-1 / t.exp))
    return f"O~({plain(core)})" + (" (up to log factors)" if t.logpow != 0 else "")
