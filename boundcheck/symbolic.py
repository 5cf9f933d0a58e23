"""Symbolic analysis (layer 2): pure sympy, no solver.

Derivatives, logarithmic derivatives, and the asymptotic exponent of an expression as a variable grows,
with an explicit case split on the parameters. sympy's own ``limit`` silently picks one branch when a
parameter decides which term dominates; here every comparison of symbolic exponents is split into the
regions where one side wins, so the answer for the Croissant gap is piecewise: ``-1/d`` for ``d >= 2`` and
``-1/2`` for ``1 <= d < 2``.

The analysis works with asymptotic terms ``c * x**a * log(x)**k`` (c, a, k free of x) and the standard
facts: a sum is equivalent to its largest term when that term is strictly larger or all tied terms share a
sign; products and positive powers of terms are terms; ``log`` of a term with ``a != 0`` is ``a log x``;
``exp`` of a vanishing term tends to 1. Anything else raises :class:`AsymptoticUnsupported`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.printing.str import StrPrinter

__all__ = [
    "derivative", "log_derivative", "simplify_forms", "Region", "Term", "ExponentCase", "AsymptoticUnsupported",
    "exponent_cases", "leading_cases", "limit_at_infinity", "merge_cases", "region_from", "symbol_set",
    "relative_condition", "split_region", "value_cases", "plain",
]

SignFn = Callable[[sp.Expr, "Region"], str]
"""Returns 'pos', 'neg', 'zero' or 'unknown' for a constant-in-x expression on a region."""


class AsymptoticUnsupported(Exception):
    """The expression is outside what the term analysis handles; the caller reports UNKNOWN."""


class _PlainPrinter(StrPrinter):
    """Text for people: powers as ``x^(1/2)``, never Python's ``**`` or ``sqrt(`` (messages end up in reports)."""

    def _print_Pow(self, expr, rational=False):
        from sympy.printing.precedence import precedence

        prec = precedence(expr)
        base = self.parenthesize(expr.base, prec, strict=True)
        e = expr.exp
        if e == -1:
            return f"1/{base}"
        exp = self._print(e) if (e.is_Integer and e >= 0) or e.is_Symbol else f"({self._print(e)})"
        return f"{base}^{exp}"


def plain(expr) -> str:
    """An expression as plain text with ``^`` for powers (``n^(-1/2)*log(n)``), for messages and reports."""
    if not isinstance(expr, sp.Basic):
        return str(expr)
    return _PlainPrinter().doprint(expr)


def derivative(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """d expr / d var (unsimplified)."""
    return sp.diff(expr, var)


def log_derivative(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """d log(expr) / d var = expr' / expr, simplified with ``together``."""
    return sp.together(sp.diff(expr, var) / expr)


def simplify_forms(expr: sp.Expr, budget: int = 4) -> list[sp.Expr]:
    """A few equivalent forms of ``expr`` (as given, factored, together, simplified), cheapest first.

    Sign rules succeed on some forms and fail on others; trying several is cheap and sound, since
    each form is an exact sympy rewriting of the same function where it is defined.
    """
    out = [expr]
    small = sp.count_ops(expr) <= 60
    steps = [lambda e: sp.factor(sp.together(e)), sp.together, lambda e: sp.factor(e), sp.cancel]
    if small:  # simplify is the most expensive and can run away on large inputs
        steps.append(lambda e: sp.simplify(e))
    for f in steps:
        if len(out) >= budget + 1:
            break
        try:
            g = f(expr)
        except Exception:  # noqa: BLE001 - sympy raises many types on odd input; skip that form
            continue
        if g not in out and not g.has(sp.I, sp.zoo, sp.nan):
            out.append(g)
    return out


# ---------------------------------------------------------------------------------------------- regions
@dataclass(frozen=True)
class Region:
    """A region of parameter space: a set per parameter (exact sympy Sets) and extra relations.

    Invariant: ``sets`` holds sympy Sets (Intervals, Unions, FiniteSets); ``relations`` holds the
    conditions that involve several parameters and were not solved (the region may then be empty).
    """

    sets: tuple[tuple[sp.Symbol, sp.Set], ...] = ()
    relations: tuple[sp.Basic, ...] = ()

    def set_of(self, p: sp.Symbol) -> sp.Set:
        return dict(self.sets).get(p, sp.S.Reals)

    def is_empty(self) -> bool:
        """True only when the region is provably empty."""
        if any(s is sp.S.EmptySet for _, s in self.sets):
            return True
        return any(r is sp.false for r in self.relations)

    def restrict(self, cond: sp.Basic) -> Region:
        """Intersect with a relation (univariate ones are solved exactly)."""
        if cond is sp.true:
            return self
        if cond is sp.false:
            return Region(self.sets, self.relations + (sp.false,))
        syms = cond.free_symbols
        if len(syms) == 1:
            (p,) = syms
            try:
                sol = sp.solveset(cond, p, sp.S.Reals)
            except (NotImplementedError, ValueError, TypeError):
                sol = None
            if isinstance(sol, sp.Set) and not isinstance(sol, (sp.ConditionSet, sp.ImageSet)):
                sets = dict(self.sets)
                sets[p] = sp.Intersection(sets.get(p, sp.S.Reals), sol)
                return Region(tuple(sets.items()), self.relations)
        return Region(self.sets, self.relations + (cond,))

    def point_value(self, p: sp.Symbol) -> sp.Expr | None:
        s = self.set_of(p)
        if isinstance(s, sp.FiniteSet) and len(s) == 1:
            return next(iter(s))
        return None

    def condition(self) -> sp.Basic:
        """The region as a sympy Boolean."""
        parts = [s.as_relational(p) for p, s in self.sets if s != sp.S.Reals]
        parts.extend(self.relations)
        return sp.And(*parts) if parts else sp.true

    def substitute(self, e: sp.Expr) -> sp.Expr:
        """Replace parameters that the region pins to one value."""
        subs = {p: v for p, s in self.sets if (v := self.point_value(p)) is not None}
        return e.subs(subs) if subs else e


def symbol_set(lo: sp.Expr | None, hi: sp.Expr | None, lo_open: bool, hi_open: bool) -> sp.Set:
    """The sympy Interval of a symbol domain."""
    return sp.Interval(sp.S.NegativeInfinity if lo is None else lo, sp.oo if hi is None else hi,
                       left_open=lo is None or lo_open, right_open=hi is None or hi_open)


def region_from(domains: Mapping[sp.Symbol, sp.Set], relations: Iterable[sp.Basic] = ()) -> Region:
    """A Region from per-symbol sets and extra relations (e.g. a claim's ``assume``)."""
    region = Region(tuple(domains.items()))
    for r in relations:
        for part in (r.args if isinstance(r, sp.And) else (r,)):
            region = region.restrict(part)
    return region


# ---------------------------------------------------------------------------------------------- terms
@dataclass(frozen=True)
class Term:
    """``coef * x**exp * log(x)**logpow`` with coef, exp, logpow free of x."""

    coef: sp.Expr
    exp: sp.Expr
    logpow: sp.Expr = sp.S.Zero


@dataclass(frozen=True)
class ExponentCase:
    """On ``condition`` (a sympy Boolean over the parameters), expr ~ coefficient * x**exponent * log(x)**log_power.

    Attributes:
        condition: where this case applies.
        exponent: the power of the variable.
        dominant: the dominating term ``coefficient * x**exponent * log(x)**log_power``.
        coefficient: its coefficient (free of the variable).
        log_power: the power of ``log(x)`` (0 for a pure power law).
        certain: False when the region may be empty (unsolved multi-parameter condition).
    """

    condition: sp.Basic
    exponent: sp.Expr
    dominant: sp.Expr
    coefficient: sp.Expr
    log_power: sp.Expr = sp.S.Zero
    certain: bool = True
    region: Region = field(default_factory=Region, compare=False, repr=False)


def _sign_default(e: sp.Expr, region: Region) -> str:
    e = region.substitute(e)
    if e.is_zero:
        return "zero"
    if e.is_positive:
        return "pos"
    if e.is_negative:
        return "neg"
    return "unknown"


def _split(region: Region, delta: sp.Expr, sign: SignFn) -> list[tuple[Region, str]]:
    """Split a region by the sign of ``delta``: (subregion, 'pos'|'zero'|'neg') for the nonempty ones."""
    delta = sp.simplify(region.substitute(delta))
    if delta.is_extended_real is False:  # sqrt(x) at x = -1/t: a sign split means nothing there
        raise AsymptoticUnsupported(f"the coefficient {delta} is not real")
    known = sign(delta, region)
    if known in ("pos", "neg", "zero"):
        return [(region, known)]
    out = []
    for rel, tag in ((sp.StrictGreaterThan(delta, 0), "pos"), (sp.Eq(delta, 0), "zero"),
                     (sp.StrictLessThan(delta, 0), "neg")):
        sub = region.restrict(rel)
        if not sub.is_empty():
            out.append((sub, tag))
    return out


def split_region(region: Region, delta: sp.Expr, sign: SignFn | None = None) -> list[tuple[Region, str]]:
    """The nonempty parts of ``region`` where ``delta`` is 'pos', 'zero' or 'neg' (known signs are not split)."""
    return _split(region, delta, sign or _sign_default)


def value_cases(value: sp.Expr, region: Region, sign: SignFn | None = None) -> list[tuple[Region, sp.Expr]]:
    """A value written with Max, Min or Piecewise, as (subregion, plain expression) pairs covering ``region``.

    ``Max(a, b)`` is ``a`` where ``a - b >= 0`` and ``b`` where ``a - b < 0`` (Min the other way round); a
    Piecewise takes its first branch whose condition holds. Regions come from :func:`split_region`, so a
    comparison the sign oracle decides is not split.
    """
    sign = sign or _sign_default
    node = next((a for a in sp.preorder_traversal(value) if isinstance(a, (sp.Max, sp.Min, sp.Piecewise))), None)
    if node is None:
        return [(region, value)]
    out: list[tuple[Region, sp.Expr]] = []
    if isinstance(node, sp.Piecewise):
        rest = region
        for expr, cond in node.args:
            part = rest if cond is sp.true else rest.restrict(cond)
            if not part.is_empty():
                out.extend(value_cases(value.xreplace({node: expr}), part, sign))
            if cond is sp.true:
                return out
            rest = rest.restrict(sp.Not(cond))
            if rest.is_empty():
                return out
        raise AsymptoticUnsupported(f"{node} is undefined where no condition holds")
    first, *others = node.args
    second = node.func(*others) if len(others) > 1 else others[0]
    big = isinstance(node, sp.Max)
    for R, tag in split_region(region, first - second, sign):
        pick = first if (tag in ("pos", "zero")) == big or tag == "zero" else second
        out.extend(value_cases(value.xreplace({node: pick}), R, sign))
    return out


def _lead(e: sp.Expr, x: sp.Symbol, region: Region, sign: SignFn) -> list[tuple[Region, Term]]:
    if x not in e.free_symbols:
        return [(region, Term(e, sp.S.Zero))]
    if e == x:
        return [(region, Term(sp.S.One, sp.S.One))]
    if e.is_Mul:
        cases = [(region, Term(sp.S.One, sp.S.Zero))]
        for f in e.args:
            new = []
            for R, t in cases:
                for R2, t2 in _lead(f, x, R, sign):
                    new.append((R2, Term(t.coef * t2.coef, t.exp + t2.exp, t.logpow + t2.logpow)))
            cases = new
        return cases
    if e.is_Pow:
        b, p = e.args
        if x in p.free_symbols:
            # b**p = exp(p log b); the log branch checks that b is eventually positive
            return _lead(sp.exp(p * sp.log(b), evaluate=False), x, region, sign)
        out = []
        for R, t in _lead(b, x, region, sign):
            if not p.is_Integer and sign(t.coef, R) != "pos":
                raise AsymptoticUnsupported(f"base of {e} is not eventually positive")
            out.append((R, Term(t.coef ** p, t.exp * p, t.logpow * p)))
        return out
    if isinstance(e, sp.log):
        if e.args[0] == x:
            return [(region, Term(sp.S.One, sp.S.Zero, sp.S.One))]
        out = []
        for R, t in _lead(e.args[0], x, region, sign):
            if sign(t.coef, R) != "pos":
                raise AsymptoticUnsupported(f"argument of {e} is not eventually positive")
            for R2, tag in _split(R, t.exp, sign):
                if tag != "zero":
                    out.append((R2, Term(t.exp, sp.S.Zero, sp.S.One)))
                elif sp.simplify(t.logpow) != 0:
                    raise AsymptoticUnsupported(f"log log behaviour in {e}")
                else:
                    c = sp.log(t.coef)
                    if sign(c, R2) in ("pos", "neg"):
                        out.append((R2, Term(c, sp.S.Zero)))
                        continue
                    if sp.simplify(R2.substitute(t.coef) - 1) != 0:
                        raise AsymptoticUnsupported(f"{e} tends to log({t.coef}), which may vanish")
                    # u -> 1: log(u) ~ u - 1 once u - 1 -> 0
                    eps = sp.cancel(sp.together(e.args[0] - 1))
                    for R3, t3 in _lead(eps, x, R2, sign):
                        for R4, tag4 in _split(R3, t3.exp, sign):
                            if tag4 != "neg":
                                raise AsymptoticUnsupported(f"cannot tell how fast {e.args[0]} tends to 1")
                            out.append((R4, t3))
        return out
    if isinstance(e, sp.exp):
        out = []
        for R, t in _lead(e.args[0], x, region, sign):
            for R2, tag in _split(R, t.exp, sign):
                if tag == "neg":
                    out.append((R2, Term(sp.S.One, sp.S.Zero)))
                elif tag == "zero" and sp.simplify(R2.substitute(t.logpow)) == 0:
                    # the argument tends to the constant coef, so exp of it tends to exp(coef) > 0
                    out.append((R2, Term(sp.exp(t.coef), sp.S.Zero)))
                else:
                    raise AsymptoticUnsupported(f"exponential growth or decay in {e}")
        return out
    if e.is_Add:
        try:
            return _lead_add(e, x, region, sign)
        except AsymptoticUnsupported as err:
            if "cancel" not in str(err):
                raise
            # leading terms cancel: rewrite once (log a - log b = log(a/b); P - Q = (P**2 - Q**2)/(P + Q)
            # for a square root) and analyse the rewritten form, which is the same function
            for form in _cancellation_forms(e, x):
                try:
                    return _lead(form, x, region, sign)
                except AsymptoticUnsupported:
                    continue
            expm1 = _lead_expm1(e, x, region, sign)
            if expm1 is not None:
                return expm1
            raise
    raise AsymptoticUnsupported(f"{type(e).__name__} is not supported by the asymptotic analysis")


def _cancellation_forms(e: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    out = []
    combined = sp.logcombine(e, force=False)
    if combined != e:
        out.append(sp.cancel(combined) if not combined.has(sp.log) else
                   combined.replace(sp.log, lambda a: sp.log(sp.cancel(a))))
    terms = sp.Add.make_args(e)
    if len(terms) == 2 and any(t.has(sp.sqrt(x).func) and any(p.is_Pow and p.exp == sp.Rational(1, 2)
                                                              for p in sp.preorder_traversal(t)) for t in terms):
        p, q = terms
        if q.could_extract_minus_sign():
            q = -q
        elif p.could_extract_minus_sign():
            p, q = q, -p
        else:
            return out
        num = sp.expand(p ** 2 - q ** 2)
        if num != 0:
            out.append(num / (p + q))
    return out


def _lead_expm1(e: sp.Expr, x: sp.Symbol, region: Region, sign: SignFn) -> list[tuple[Region, Term]] | None:
    """``exp(u) - 1 + rest`` with u -> 0: exp(u) - 1 ~ u, so the pair is replaced by u's leading term."""
    args = list(sp.Add.make_args(e))
    exps = [a for a in args if isinstance(a, sp.exp) and x in a.free_symbols]
    if len(exps) != 1 or sp.S.NegativeOne not in args:
        return None
    u = exps[0].args[0]
    rest = [a for a in args if a is not exps[0] and a != sp.S.NegativeOne]
    out: list[tuple[Region, Term]] = []
    for R, t in _lead(u, x, region, sign):
        for R2, tag in _split(R, t.exp, sign):
            if tag != "neg":
                return None  # u does not tend to 0 there
            cases = [(R2, [t])]
            for a in rest:
                cases = [(R3, terms + [t3]) for R, terms in cases for R3, t3 in _lead(a, x, R, sign)]
            for R4, terms in cases:
                out.extend(_max_terms(R4, terms, sign))
    return out


def _lead_add(e: sp.Expr, x: sp.Symbol, region: Region, sign: SignFn) -> list[tuple[Region, Term]]:
    """Leading term of a sum: the largest term, split by region where exponents compare symbolically."""
    cases: list[tuple[Region, list[Term]]] = [(region, [])]
    for a in e.args:
        new = []
        for R, terms in cases:
            for R2, t in _lead(a, x, R, sign):
                if sign(t.coef, R2) in ("pos", "neg"):
                    new.append((R2, terms + [t]))
                    continue
                # a coefficient that may vanish (d - 2 in (d - 2)*n + 1): where it is 0 the term is
                # absent and a smaller one leads, so split the parameter region there
                for R3, tag in _split(R2, t.coef, sign):
                    new.append((R3, terms if tag == "zero" else terms + [t]))
        cases = new
    out = []
    for R, terms in cases:
        if not terms:
            out.append((R, Term(sp.S.Zero, sp.S.Zero)))
            continue
        out.extend(_max_terms(R, terms, sign))
    return out


def _max_terms(region: Region, terms: list[Term], sign: SignFn) -> list[tuple[Region, Term]]:
    if len(terms) == 1:
        return [(region, terms[0])]
    t1, t2, rest = terms[0], terms[1], terms[2:]
    out = []
    for R, tag in _split(region, t1.exp - t2.exp, sign):
        if tag == "pos":
            out.extend(_max_terms(R, [t1] + rest, sign))
        elif tag == "neg":
            out.extend(_max_terms(R, [t2] + rest, sign))
        else:
            for R2, tag2 in _split(R, t1.logpow - t2.logpow, sign):
                if tag2 == "pos":
                    out.extend(_max_terms(R2, [t1] + rest, sign))
                elif tag2 == "neg":
                    out.extend(_max_terms(R2, [t2] + rest, sign))
                else:
                    s1, s2 = sign(t1.coef, R2), sign(t2.coef, R2)
                    if s1 == s2 and s1 in ("pos", "neg"):
                        merged = Term(t1.coef + t2.coef, R2.substitute(t1.exp), R2.substitute(t1.logpow))
                    else:
                        total = sp.simplify(R2.substitute(t1.coef + t2.coef))
                        if sign(total, R2) not in ("pos", "neg"):
                            raise AsymptoticUnsupported("tied leading terms may cancel")
                        merged = Term(total, R2.substitute(t1.exp), R2.substitute(t1.logpow))
                    out.extend(_max_terms(R2, [merged] + rest, sign))
    return out


def leading_cases(expr: sp.Expr, x: sp.Symbol, region: Region,
                  sign: SignFn | None = None) -> list[tuple[Region, Term]]:
    """Leading asymptotic term of ``expr`` as ``x -> oo``, per parameter region.

    Raises:
        AsymptoticUnsupported: a construct outside the analysis (reported as UNKNOWN by callers).
    """
    sign = sign or _sign_default
    try:
        cases = _lead(expr, x, region, sign)
    except RecursionError as err:  # pragma: no cover - pathological nesting
        raise AsymptoticUnsupported("expression nested too deeply") from err
    # exponents are simplified for display and comparison; coefficients keep their form, which the sign
    # oracle reads best (simplify may fold C*log(2) - log(delta) into log(2**C/delta))
    return [(R, Term(R.substitute(t.coef), sp.simplify(R.substitute(t.exp)),
                     sp.simplify(R.substitute(t.logpow)))) for R, t in cases if not R.is_empty()]


def exponent_cases(expr: sp.Expr, var: sp.Symbol, assumptions: Sequence[sp.Basic] = (), *,
                   domains: Mapping[sp.Symbol, sp.Set] | None = None,
                   sign: SignFn | None = None) -> tuple[ExponentCase, ...]:
    """The exponent of ``expr`` in ``var`` as ``var -> oo``, split into parameter cases.

    Args:
        expr: the expression.
        var: the growing variable.
        assumptions: extra relations on the parameters (e.g. ``d >= 2``).
        domains: per-parameter sympy Sets (the spec's symbol domains); default: all reals.
        sign: a sign oracle for expressions free of ``var`` on a region (the prover passes its sign
            calculus); default: sympy's assumptions.

    Returns:
        Cases with disjoint conditions covering the (assumed) parameter domain, adjacent cases merged
        where their exponents agree.

    Raises:
        AsymptoticUnsupported: when the expression is outside the analysis.
    """
    params = sorted(expr.free_symbols - {var}, key=lambda s: s.name)
    doms = {p: (domains or {}).get(p, sp.S.Reals) for p in params}
    region = region_from(doms, assumptions)
    cases = leading_cases(expr, var, region, sign)
    merged = merge_cases([_to_case(R, t, var) for R, t in cases], var)
    return tuple(replace(c, condition=relative_condition(c.region, region)) for c in merged)


def relative_condition(R: Region, base: Region) -> sp.Basic:
    """The part of a region's condition that differs from ``base`` (the split, not the domain)."""
    parts = [S.as_relational(p) for p, S in R.sets if S != base.set_of(p)] + list(R.relations)
    return sp.And(*parts) if parts else sp.true


def _to_case(R: Region, t: Term, var: sp.Symbol) -> ExponentCase:
    dominant = t.coef * var ** t.exp * sp.log(var) ** t.logpow
    return ExponentCase(condition=R.condition(), exponent=t.exp, dominant=dominant, coefficient=t.coef,
                        log_power=t.logpow, certain=not R.relations, region=R)


def merge_cases(cases: list[ExponentCase], var: sp.Symbol) -> tuple[ExponentCase, ...]:
    """Merge cases whose exponent and log power agree as expressions (e.g. the single point d = 2, where
    -1/2 equals -1/d, joins the region d > 2). The merged case keeps the larger region's dominant term; at
    the merged point tied terms add up, which changes the coefficient but not the exponent."""
    cases = list(cases)
    changed = True
    while changed:
        changed = False
        for i in range(len(cases)):
            for j in range(len(cases)):
                if i == j:
                    continue
                a, b = cases[i], cases[j]
                merged = _try_merge(a, b, var)
                if merged is not None:
                    cases = [c for k, c in enumerate(cases) if k not in (i, j)] + [merged]
                    changed = True
                    break
            if changed:
                break
    return tuple(sorted(cases, key=lambda c: str(c.condition)))


def _try_merge(a: ExponentCase, b: ExponentCase, var: sp.Symbol) -> ExponentCase | None:
    if a.region.relations or b.region.relations:
        return None
    pa = dict(a.region.sets)
    pb = dict(b.region.sets)
    if set(pa) != set(pb):
        return None
    diff_params = [p for p in pa if pa[p] != pb[p]]
    if len(diff_params) > 1:
        return None
    # b must be a refinement point of a's formula: a's formula evaluated on b's region equals b's
    if not diff_params:
        return None
    p = diff_params[0]
    sb = pb[p]
    if not (isinstance(sb, sp.FiniteSet) and len(sb) == 1):
        return None
    v = next(iter(sb))
    for fa, fb in ((a.exponent, b.exponent), (a.log_power, b.log_power)):
        if sp.simplify(fa.subs(p, v) - fb) != 0:
            return None
    union = sp.Union(pa[p], sb)
    sets = dict(pa)
    sets[p] = union
    R = Region(tuple(sets.items()))
    return replace(a, condition=R.condition(), region=R)


def limit_at_infinity(term: Term, sign_of_coef: str, sign_of_exp: str | None = None,
                      sign_of_logpow: str | None = None) -> sp.Expr | None:
    """The limit of an expression whose leading term is ``term``: 0, the coefficient, or +-oo.

    The signs ('pos', 'neg', 'zero', 'unknown') of the exponent and the log power may be supplied by a
    sign oracle (symbolic exponents such as 1 - d); by default sympy's assumptions decide. None when the
    signs needed are unknown.
    """
    def _sgn(e: sp.Expr, given: str | None) -> str:
        if given in ("pos", "neg", "zero"):
            return given
        return "zero" if e.is_zero else ("pos" if e.is_positive else ("neg" if e.is_negative else "unknown"))

    e, k = _sgn(term.exp, sign_of_exp), _sgn(term.logpow, sign_of_logpow)
    if e == "neg" or (e == "zero" and k == "neg"):
        return sp.S.Zero
    if e == "zero" and k == "zero":
        return term.coef
    if e == "pos" or (e == "zero" and k == "pos"):
        if sign_of_coef == "pos":
            return sp.oo
        if sign_of_coef == "neg":
            return sp.S.NegativeInfinity
    return None
