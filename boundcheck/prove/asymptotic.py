"""Asymptotic claims (exponent, limit at oo): the case analysis of :mod:`boundcheck.symbolic` driven by the
sign calculus, and the confirmation of refutations at high precision."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

import mpmath

from ..symbolic import (AsymptoticUnsupported, Region, Term, leading_cases, limit_at_infinity, plain, region_from,
                        relative_condition, symbol_set, value_cases)
from .calculus import NEG, POS, ZERO, Bound, Box, Calculus
from .refute import DIGITS

# Evaluations at x = 1e80 of expressions with cancellation (sqrt(x**2 + x) - x) lose about 80 digits:
# 250 digits keep DIGITS significant ones.
_ASYMPTOTIC_DPS = 250

if TYPE_CHECKING:
    from .verdict import Verdict, Witness

__all__ = ["calculus_sign_oracle", "box_from_region", "prove_asymptotic", "analyze_exponents"]


def box_from_region(base: Box, region: Region) -> Box:
    """Tighten a Box with a Region's interval sets (hull of each set) and its single-symbol relations."""
    bounds = dict(base.bounds)
    for p, s in region.sets:
        if p not in bounds:
            bounds[p] = Bound()
        b = bounds[p]
        if s is sp.S.EmptySet:
            continue
        try:
            inf, sup = s.inf, s.sup
        except (NotImplementedError, AttributeError):
            continue
        lo_open = bool(inf not in s) if inf.is_finite else True
        hi_open = bool(sup not in s) if sup.is_finite else True
        if inf.is_finite:
            b = b.tighten(">" if lo_open else ">=", inf)
        if sup.is_finite:
            b = b.tighten("<" if hi_open else "<=", sup)
        bounds[p] = b
    box = Box(bounds)
    for r in region.relations:
        box.add(r)
    return box


def calculus_sign_oracle(base: Box) -> "callable":
    """A sign oracle for :func:`boundcheck.symbolic.exponent_cases` backed by the sign calculus."""
    cache: dict[tuple, str] = {}

    def oracle(e: sp.Expr, region: Region) -> str:
        key = (e, region)
        if key in cache:
            return cache[key]
        e2 = region.substitute(e)
        calc = Calculus(box_from_region(base, region))
        s = calc.sign(e2)
        if len(s) > 1 and e2.has(sp.log):
            s = s & calc.sign(sp.expand_log(e2, force=False)) or s
        if not calc.defined(e2):
            out = "unknown"
        elif s <= POS:
            out = "pos"
        elif s <= NEG:
            out = "neg"
        elif s <= ZERO:
            out = "zero"
        else:
            out = "zero" if sp.simplify(e2) == 0 else "unknown"
        cache[key] = out
        return out

    return oracle


# ---------------------------------------------------------------------------------------------- claims
def _domains(ctx, var: sp.Symbol) -> dict[sp.Symbol, sp.Set]:
    return {s.sym: symbol_set(s.lo, s.hi, s.lo_open, s.hi_open) for s in ctx.symbols if s.sym != var}


def _case_text(R: Region, t: Term, var: sp.Symbol, base: Region | None = None) -> str:
    """``[condition] ~ dominant term``, the condition restricted to what differs from ``base``."""
    if base is not None:
        cond = relative_condition(R, base)
        cond = "always" if cond is sp.true else cond
    else:
        cond = R.condition()
    dom = t.coef * var ** t.exp * sp.log(var) ** t.logpow
    return f"[{cond}] ~ {dom}"


def _pick(s: sp.Set, integer: bool) -> list[sp.Expr]:
    """A few exact points of a sympy Set, preferring closed endpoints and simple values."""
    out: list[sp.Expr] = []
    if isinstance(s, sp.FiniteSet):
        out = [v for v in s if v.is_real]
    elif isinstance(s, sp.Union):
        for part in s.args:
            out.extend(_pick(part, integer))
    elif isinstance(s, sp.Interval):
        a, b = s.start, s.end
        if a.is_finite and not s.left_open:
            out.append(a)
        if a.is_finite and b.is_finite:
            out.append((a + b) / 2)
            out.append(a + (b - a) / 10)
        elif a.is_finite:
            out += [a + 1, a + sp.Rational(1, 2), a + 10]
        elif b.is_finite:
            out += [b - 1, b - 10]
        else:
            out += [sp.Integer(1), sp.Integer(0), sp.Integer(-1)]
        if b.is_finite and not s.right_open:
            out.append(b)
    out = [sp.nsimplify(v) if not v.is_Rational else v for v in out]
    if integer:
        ints = []
        for v in out:
            for w in (sp.ceiling(v), sp.floor(v), sp.ceiling(v) + 1):
                if w in s and w not in ints:
                    ints.append(w)
        out = ints
    return [v for v in out if v in s]


def _candidate_points(ctx, region: Region, var: sp.Symbol):
    from itertools import product

    syms = [s for s in ctx.symbols if s.sym != var]
    choices = []
    for s in syms:
        S = sp.Intersection(region.set_of(s.sym), symbol_set(s.lo, s.hi, s.lo_open, s.hi_open))
        pts = [p for p in _pick(S, s.is_integer) if p.is_Rational][:3]
        if not pts:
            return
        choices.append(pts)
    for combo in product(*choices):
        yield dict(zip([s.sym for s in syms], combo))


def _mp_fn(f: sp.Expr, var: sp.Symbol):
    """mpmath function of ``var`` alone; names cannot clash with the printer's (see refute.neutral)."""
    from .refute import neutral

    body, (x,) = neutral(f, [var])
    return sp.lambdify([x], body, modules="mpmath")


def _slope(f: sp.Expr, var: sp.Symbol, n1: int, n2: int) -> mpmath.mpf | None:
    with mpmath.workdps(_ASYMPTOTIC_DPS):
        try:
            fn = _mp_fn(f, var)
            a, b = fn(mpmath.mpf(10) ** n1), fn(mpmath.mpf(10) ** n2)
            if isinstance(a, mpmath.mpc) or isinstance(b, mpmath.mpc) or a == 0 or b == 0:
                return None
            return mpmath.log(abs(b) / abs(a)) / ((n2 - n1) * mpmath.log(10))
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return None


def prove_asymptotic(ctx) -> "Verdict":
    """Limit and exponent claims as ``var -> oo`` (and finite limits by continuity)."""
    from .verdict import Certificate, Status

    claim = ctx.claim
    var = ctx.problem.symbol(claim.var).sym
    vsym = ctx.problem.symbol(claim.var)
    expr = claim.expr
    if claim.kind == "limit" and claim.at is not sp.oo:
        return _finite_limit(ctx, var)
    if vsym.hi is not None:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"{var} is bounded above, so {var} -> oo is outside its domain")
    hyps = [h for h in ctx.hypotheses if var not in h.free_symbols]
    region = region_from(_domains(ctx, var), hyps)
    oracle = calculus_sign_oracle(ctx.box)
    eventual = []
    for h in ctx.hypotheses:
        if var in h.free_symbols:
            if not _holds_eventually(h, var, region, oracle):
                return ctx.verdict(Status.UNKNOWN, "none", reason=f"the assumption {h} is not of the form "
                                   f"'{var} large enough' (its difference does not tend to +oo as {var} -> oo)")
            eventual.append(h)
    try:
        cases = leading_cases(expr, var, region, oracle)
    except AsymptoticUnsupported as err:
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"asymptotic analysis: {err}")
    value = claim.value
    bad = []
    for R, t in cases:
        if claim.kind == "exponent":
            ok = _exponent_matches(claim, R, t, oracle)
        else:
            lim = limit_at_infinity(t, oracle(t.coef, R), oracle(t.exp, R), oracle(t.logpow, R))
            ok = lim is not None and lim.is_finite is not False and sp.simplify(R.substitute(lim - value)) == 0 \
                if lim is not None and lim.is_finite else (lim is not None and lim == value)
        if not ok:
            bad.append((R, t))
    table = "; ".join(_case_text(R, t, var, region) for R, t in cases)
    if not bad:
        what = (f"rate {_rate_text(var, value, claim.log_power, claim.soft)} in every case"
                if claim.kind == "exponent" else f"limit {value} in every case")
        tail = (f"; the assumptions {', '.join(map(str, eventual))} hold for all large {var}, so they do not change "
                "the behaviour as {var} -> oo" if eventual else "")
        return ctx.verdict(Status.PROVED, "asymptotic", certificate=Certificate(
            "asymptotic", f"leading-term case analysis as {var} -> oo: {table}; {what}" + tail.format(var=var)),
            proof=ctx.proof("asymptotic", _case_steps(cases, var, region, claim.kind, value)))
    for R, t in bad:
        for point in _candidate_points(ctx, R, var):
            w = _confirm_asymptotic(ctx, var, point)
            if w is not None:
                return ctx.verdict(Status.REFUTED, "asymptotic+mpmath", witness=w)
    return ctx.verdict(Status.UNKNOWN, "none", reason=f"the case analysis ({table}) does not match the claim, "
                                                       "but no witness could be confirmed")


def _holds_eventually(h: sp.Basic, var: sp.Symbol, region: Region, oracle) -> bool:
    """Whether a relation holds for all large ``var`` at every parameter point: its difference (greater side
    minus smaller side) has a positive leading coefficient and a positive exponent, so it tends to +oo."""
    if isinstance(h, (sp.GreaterThan, sp.StrictGreaterThan)):
        g = h.lhs - h.rhs
    elif isinstance(h, (sp.LessThan, sp.StrictLessThan)):
        g = h.rhs - h.lhs
    else:
        return False
    try:
        cases = leading_cases(g, var, region, oracle)
    except AsymptoticUnsupported:
        return False
    return bool(cases) and all(oracle(t.coef, R) == "pos" and (
        oracle(t.exp, R) == "pos" or (oracle(t.exp, R) == "zero" and oracle(t.logpow, R) == "pos")) for R, t in cases)


def _exponent_matches(claim, R: Region, t: Term, oracle) -> bool:
    """The leading term ``t`` on ``R`` has the claimed exponent (a Max/Min/Piecewise value is split by region)
    and, unless the claim is soft (O-tilde), the claimed power of the log."""
    if oracle(t.coef, R) not in ("pos", "neg"):
        return False
    logpow = claim.log_power if claim.log_power is not None else sp.S.Zero
    try:
        parts = value_cases(claim.value, R, oracle)
    except AsymptoticUnsupported:
        return False
    for R2, v in parts:
        if sp.simplify(R2.substitute(t.exp - v)) != 0:
            return False
        if not claim.soft and sp.simplify(R2.substitute(t.logpow - logpow)) != 0:
            return False
    return True


def _case_steps(cases, var: sp.Symbol, base: Region, kind: str, value: sp.Expr) -> list:
    """One proof step per region of the parameters: its condition and the leading term there."""
    from .proof import text_step

    steps = [text_step("cases", "Split the parameters into " + str(len(cases)) + " region(s) by which term of the "
                                "expression dominates as {x} tends to infinity.", x=var)]
    for R, t in cases:
        cond = relative_condition(R, base)
        lead = t.coef * var ** t.exp * sp.log(var) ** t.logpow
        tail = ("so the exponent is {e}" if kind == "exponent" else "so the expression tends to {v}")
        where = "In the region {c}" if cond is not sp.true else "For every admissible value of the parameters"
        steps.append(text_step("case", where + ", the expression is asymptotic to {lead}, with nonzero "
                                       "coefficient {coef}; " + tail + ".", c=cond, lead=lead, coef=t.coef,
                               e=t.exp, v=value))
    return steps


def _confirm_asymptotic(ctx, var: sp.Symbol, point: dict) -> "Witness | None":
    from .refute import _assumptions_hold
    from .verdict import Witness

    claim = ctx.claim
    if not _assumptions_hold([h for h in ctx.witness_assume if var not in h.free_symbols], point):
        return None
    for s in ctx.symbols:
        if s.sym in point and not s.contains(point[s.sym]):
            return None
    f0 = claim.expr.subs(point)
    v0 = sp.simplify(claim.value.subs(point))
    if v0.has(sp.Max, sp.Min, sp.Piecewise):
        v0 = sp.simplify(sp.piecewise_fold(v0))
    if f0.free_symbols - {var} or v0.free_symbols:
        return None
    try:
        cases = leading_cases(f0, var, Region(), calculus_sign_oracle(Box({var: ctx.box.bounds[var]})))
    except AsymptoticUnsupported:
        return None
    if len(cases) != 1:
        return None
    _, t = cases[0]
    e0, k0 = sp.simplify(t.exp), sp.simplify(t.logpow)
    if not (e0.is_Rational and k0.is_Rational and v0.is_number):
        return None
    s1 = _slope(f0, var, 20, 40)
    s2 = _slope(f0, var, 40, 80)
    if s1 is None or s2 is None:
        return None
    pts = tuple((s.name, str(v)) for s, v in point.items())
    if claim.kind == "exponent":
        l0 = sp.simplify((claim.log_power if claim.log_power is not None else sp.S.Zero).subs(point))
        if not l0.is_Rational:
            return None
        if e0 == v0 and (k0 == l0 or claim.soft):
            return None
        gap = abs(float(e0 - v0)) if e0 != v0 else 0.0
        if e0 != v0:
            # the measured slope must sit near the exact exponent and away from the claimed one
            if not (abs(s2 - float(e0)) < gap / 3 and abs(s2 - float(v0)) > gap / 2):
                return None
        vals = (("rate at this point", _rate_text(var, e0, k0)),
                ("claimed rate", _rate_text(var, v0, l0, claim.soft)),
                (f"slope of log f vs log {var}, 1e20..1e40", mpmath.nstr(s1, 12)),
                (f"slope of log f vs log {var}, 1e40..1e80", mpmath.nstr(s2, 12)))
        return Witness(point=pts, values=vals, digits=DIGITS,
                       explanation=f"here the expression behaves like a nonzero constant times "
                                   f"{_rate_text(var, e0, k0)}, so its rate is {_rate_text(var, e0, k0)}, not "
                                   f"{_rate_text(var, v0, l0, claim.soft)}")
    lim = limit_at_infinity(t, "pos" if t.coef.is_positive else ("neg" if t.coef.is_negative else "unknown"))
    if lim is None or sp.simplify(lim - v0) == 0:
        return None
    with mpmath.workdps(_ASYMPTOTIC_DPS):
        fn = _mp_fn(f0, var)
        try:
            big = fn(mpmath.mpf(10) ** 40)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return None
        if isinstance(big, mpmath.mpc):
            return None
        far = abs(big - _to_mp(v0))
        if lim.is_finite:
            near = abs(big - _to_mp(lim))
            if not (near < far / 10):
                return None
        elif not far > 1:
            return None
        shown = mpmath.nstr(big, 20)
    return Witness(point=pts, values=((f"f({var}=1e40)", shown), ("limit at this point", str(lim)),
                                      ("claimed limit", str(v0))), digits=DIGITS,
                   explanation=f"here the expression tends to {plain(lim)}, not {plain(v0)}")


def _rate_text(var: sp.Symbol, e: sp.Expr, k: sp.Expr | None = None, soft: bool = False) -> str:
    """A rate with its log factor, as text: ``n^(-1/2) log n``, ``n^(-1) (log n)^2``; ``soft``: up to logs."""
    k = sp.S.Zero if k is None else k
    out = "1" if e == 0 else (f"{var}" if e == 1 else f"{var}^({e})")
    if k != 0:
        lg = f"log {var}" if k == 1 else f"(log {var})^({k})"
        out = lg if e == 0 else f"{out} {lg}"
    return out + (" up to log factors" if soft else "")


def _to_mp(v: sp.Expr) -> mpmath.mpf:
    return mpmath.mpf(sp.N(v, DIGITS + 10))


def _finite_limit(ctx, var: sp.Symbol) -> "Verdict":
    from .verdict import Certificate, Status

    claim = ctx.claim
    at = claim.at
    s = ctx.problem.symbol(claim.var)
    if not s.contains(at) and not (s.lo is not None and at == s.lo) and not (s.hi is not None and at == s.hi):
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"{at} is not in the closure of the domain of {var}")
    # premise: the limit point lies in the closure of the domain *with its assumptions*
    bv = ctx.box.bounds.get(var)
    if bv is not None and ((bv.lo is not None and bool(at < bv.lo)) or (bv.hi is not None and bool(at > bv.hi))):
        return ctx.verdict(Status.UNKNOWN, "none", reason=f"{var} = {at} is not in the closure of the domain "
                                                           f"under the assumptions ({'-oo' if bv.lo is None else bv.lo} <= {var} <= "
                                                           f"{'oo' if bv.hi is None else bv.hi})")
    for h in ctx.hypotheses:
        if var in h.free_symbols and not _simple_bound(h, var):
            return ctx.verdict(Status.UNKNOWN, "none", reason=f"cannot show {var} = {at} is in the closure of the "
                                                               f"domain under the assumption {h}")
    closed = Box(dict(ctx.box.bounds))
    b = closed.bounds[var]
    closed.bounds[var] = Bound(b.lo, b.hi, False, False, False)
    calc = Calculus(closed)
    if claim.expr.has(sp.floor, sp.ceiling) or not calc.defined(claim.expr) or \
            not all(calc.defined(t) for t in claim.defined):
        if s.is_integer:
            return ctx.verdict(Status.UNKNOWN, "none",
                               reason=f"cannot show the expression is continuous at {var} = {at}")
        return _one_sided_limits(ctx, var, b)
    at_value = sp.simplify(claim.expr.subs(var, at) - claim.value)
    if at_value == 0:
        from .proof import text_step

        return ctx.verdict(Status.PROVED, "continuity", certificate=Certificate(
            "continuity", f"the expression is defined, hence continuous, on the closed domain; its value at "
                          f"{var} = {at} equals {claim.value}"), proof=ctx.proof("continuity", [text_step(
                "continuity", "The expression is built from functions continuous where defined, and it is "
                "defined on the closed domain, so its limit as {x} tends to {a} is its value there, {v}.",
                x=var, a=at, v=claim.value)]))
    return ctx.verdict(Status.UNKNOWN, "none", reason=f"expr({var}={at}) - value = {at_value} is not 0 symbolically")


def _simple_bound(h: sp.Basic, var: sp.Symbol) -> bool:
    """``var`` compared with a constant (the calculus box already holds it)."""
    if not isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
        return False
    return (h.lhs == var and not h.rhs.free_symbols) or (h.rhs == var and not h.lhs.free_symbols)


def _one_sided_limits(ctx, var: sp.Symbol, b: Bound) -> "Verdict":
    """lim f(x) as x -> a from each side of the domain, as lim f(a +- 1/t) as t -> oo."""
    from .refute import _assumptions_hold
    from .verdict import Certificate, Status, Witness

    claim = ctx.claim
    a, value = claim.at, claim.value
    t = sp.Dummy("t", positive=True)
    sides = []
    if b.hi is None or bool(a < b.hi):
        sides.append(("right", a + 1 / t))
    if b.lo is None or bool(a > b.lo):
        sides.append(("left", a - 1 / t))
    hyps = [h for h in ctx.hypotheses if var not in h.free_symbols]
    region = region_from(_domains(ctx, var), hyps)
    base = Box({k: v for k, v in ctx.box.bounds.items() if k != var} | {t: Bound(sp.Integer(1))})
    oracle = calculus_sign_oracle(base)
    texts, bad = [], []
    for name, sub in sides:
        f = sp.cancel(sp.together(claim.expr.subs(var, sub)))
        try:
            cases = leading_cases(f, t, region, oracle)
        except AsymptoticUnsupported as err:
            return ctx.verdict(Status.UNKNOWN, "none", reason=f"limit from the {name}: {err}")
        for R, term in cases:
            lim = limit_at_infinity(term, oracle(term.coef, R), oracle(term.exp, R), oracle(term.logpow, R))
            ok = lim is not None and lim.is_finite and sp.simplify(R.substitute(lim - value)) == 0
            texts.append(f"from the {name}: {_case_text(R, term, t, region)} -> {lim}")
            if not ok:
                bad.append((name, sub, R, lim))
    if not bad:
        from .proof import text_step

        return ctx.verdict(Status.PROVED, "asymptotic", certificate=Certificate(
            "asymptotic", f"with {var} = {a} +- 1/t, t -> oo: " + "; ".join(texts)),
            proof=ctx.proof("asymptotic", [text_step("one-sided", "Write {x} = {a} + 1/t or {x} = {a} - 1/t and let "
                                                     "t tend to infinity; in every region and from each side the "
                                                     "leading term tends to {v}.", x=var, a=a, v=value)]))
    for name, sub, R, _ in bad:
        for point in _candidate_points(ctx, R, var):
            if not _assumptions_hold(ctx.witness_assume, {**point}):
                continue
            try:
                f0 = claim.expr.subs(point)
                v0 = sp.simplify(value.subs(point))
            except (ValueError, TypeError):  # not real there (Min(sqrt(t), 0) at t = -10): no witness here
                continue
            try:
                cases0 = leading_cases(sp.cancel(sp.together(f0.subs(var, sub))), t, Region(),
                                       calculus_sign_oracle(Box({t: Bound(sp.Integer(1))})))
            except AsymptoticUnsupported:
                continue
            if len(cases0) != 1:
                continue
            lim0 = limit_at_infinity(cases0[0][1], "pos" if cases0[0][1].coef.is_positive else "neg")
            if lim0 is None or not lim0.is_finite or sp.simplify(lim0 - v0) == 0:
                continue
            with mpmath.workdps(_ASYMPTOTIC_DPS):
                try:
                    fn = _mp_fn(f0, var)
                    eps = mpmath.mpf(10) ** -40
                    x = _to_mp(a) + (eps if name == "right" else -eps)
                    near = fn(x)
                except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                    continue
                if isinstance(near, mpmath.mpc):
                    continue
                if not abs(near - _to_mp(lim0)) < abs(near - _to_mp(v0)) / 10:
                    continue
                shown = mpmath.nstr(near, 20)
            pts = tuple((sym.name, str(v)) for sym, v in point.items())
            w = Witness(point=pts, values=((f"f({var} = {a} {'+' if name == 'right' else '-'} 1e-40)", shown),
                                           (f"limit from the {name}", str(lim0)), ("claimed limit", str(v0))),
                        explanation=f"from the {name} the expression tends to {plain(lim0)}, not {plain(v0)}", digits=DIGITS)
            return ctx.verdict(Status.REFUTED, "asymptotic+mpmath", witness=w)
    return ctx.verdict(Status.UNKNOWN, "none", reason="; ".join(texts) + "; no witness could be confirmed")


def analyze_exponents(problem, claims=None) -> dict:
    """The piecewise exponent of every exponent/limit claim's expression (for reports).

    Returns:
        ``{claim_id: (var, tuple[ExponentCase, ...])}``; claims the analysis cannot handle are left out.
    """
    from ..symbolic import exponent_cases

    out = {}
    for claim in claims if claims is not None else problem.all_claims:
        if claim.kind not in ("exponent", "limit") or claim.expr is None:
            continue
        if claim.kind == "limit" and claim.at is not sp.oo:
            continue
        var = problem.symbol(claim.var)
        if var.hi is not None:
            continue
        syms = [s for s in problem.symbols if s.sym in claim.expr.free_symbols]
        box = Box.from_relations([s.sym for s in syms], [r for s in syms for r in s.constraints()],
                                 [s.sym for s in syms if s.is_integer])
        doms = {s.sym: symbol_set(s.lo, s.hi, s.lo_open, s.hi_open) for s in syms if s.sym != var.sym}
        assume = [a for a in claim.assume if var.sym not in a.free_symbols]
        try:
            cases = exponent_cases(claim.expr, var.sym, assume, domains=doms, sign=calculus_sign_oracle(box))
        except AsymptoticUnsupported:
            continue
        out[claim.id] = (var.sym, cases)
    return out
