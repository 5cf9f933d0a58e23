"""Extended-real interval arithmetic on python-flint ``arb`` endpoints (rigorous, outward rounded).

An interval is a pair ``(lo, hi)`` whose endpoints are exact ``arb`` numbers or the floats ``-inf``/``inf``.
``compile_expr`` turns a sympy expression into a function from a box (a dict symbol -> interval) to
``(enclosure, defined)``: the enclosure contains the value of the expression at every point of the box where
it is defined, and ``defined`` is True only when the expression is certainly defined *and smooth* on the
whole box (every log argument > 0, every root base > 0, no division by an interval containing 0), which is
what a derivative argument over the box needs.

Conventions: ``0 * inf = 0`` inside products of endpoints (an infinite endpoint is never attained, so the
products of attained values are finite; this gives the exact hull); functions are applied to the endpoints
only where they are monotone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from flint import arb, ctx, fmpq

from ..errors import UnsupportedError

__all__ = ["INF", "Interval", "compile_expr", "point", "from_rational", "is_inf", "to_fraction"]

INF = math.inf
Interval = tuple  # (lo, hi)
ctx.prec = 80


def is_inf(v) -> bool:
    return isinstance(v, float)


def _dn(x: arb):
    return x.lower() if x.is_finite() else -INF


def _up(x: arb):
    return x.upper() if x.is_finite() else INF


def from_rational(q) -> Interval:
    """The interval of an exact rational (Fraction, sympy Rational or int)."""
    q = Fraction(int(q.p), int(q.q)) if isinstance(q, sp.Rational) else Fraction(q)
    if q.denominator == 1:
        v = arb(q.numerator)
        if v.is_exact():
            return (v, v)
    b = arb(fmpq(q.numerator, q.denominator))
    return (b.lower(), b.upper())


def point(q) -> Interval:
    return from_rational(q)


def to_fraction(v) -> Fraction:
    """An exact finite arb endpoint as a Fraction."""
    m, e = v.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def _lt(a, b) -> bool:  # a < b for endpoints
    if is_inf(a) and is_inf(b):
        return a < b
    if is_inf(a) or is_inf(b):
        return a == -INF or b == INF  # one finite end: below +oo, above -oo
    return bool(a < b)


def _le(a, b) -> bool:
    return not _lt(b, a)


def _min(vals):
    out = vals[0]
    for v in vals[1:]:
        if _lt(v, out):
            out = v
    return out


def _max(vals):
    out = vals[0]
    for v in vals[1:]:
        if _lt(out, v):
            out = v
    return out


def _sgn(v) -> int:
    if is_inf(v):
        return 1 if v > 0 else -1
    return 1 if v > 0 else (-1 if v < 0 else 0)


def _mul_ends(a, b) -> tuple:
    """(lower, upper) of the product of two endpoints, with 0 * inf = 0."""
    if (not is_inf(a) and a == 0) or (not is_inf(b) and b == 0):
        z = arb(0)
        return z, z
    if is_inf(a) or is_inf(b):
        s = INF if _sgn(a) * _sgn(b) > 0 else -INF
        return s, s
    p = a * b
    return _dn(p), _up(p)


def add(x: Interval, y: Interval) -> Interval:
    a, b = x
    c, d = y
    if not (a.__class__ is float or b.__class__ is float or c.__class__ is float or d.__class__ is float):
        return (a + c).lower(), (b + d).upper()
    lo = -INF if is_inf(x[0]) or is_inf(y[0]) else _dn(x[0] + y[0])
    hi = INF if is_inf(x[1]) or is_inf(y[1]) else _up(x[1] + y[1])
    return lo, hi


def neg(x: Interval) -> Interval:
    return (-x[1], -x[0])


def mul(x: Interval, y: Interval) -> Interval:
    a, b = x
    c, d = y
    if not (a.__class__ is float or b.__class__ is float or c.__class__ is float or d.__class__ is float):
        if a >= 0:
            if c >= 0:
                return (a * c).lower(), (b * d).upper()
            if d <= 0:
                return (b * c).lower(), (a * d).upper()
            return (b * c).lower(), (b * d).upper()
        if b <= 0:
            if c >= 0:
                return (a * d).lower(), (b * c).upper()
            if d <= 0:
                return (b * d).lower(), (a * c).upper()
            return (a * d).lower(), (a * c).upper()
        if c >= 0:
            return (a * d).lower(), (b * d).upper()
        if d <= 0:
            return (b * c).lower(), (a * c).upper()
        p, q = (a * d).lower(), (b * c).lower()
        r, t = (a * c).upper(), (b * d).upper()
        return (p if p < q else q), (r if r > t else t)
    los, his = [], []
    for a in x:
        for b in y:
            lo, hi = _mul_ends(a, b)
            los.append(lo)
            his.append(hi)
    return _min(los), _max(his)


def recip(x: Interval) -> tuple[Interval, bool]:
    """1/x over the points of x other than 0; the flag says 0 is certainly not in x."""
    lo, hi = x
    if _lt(0, lo) or _lt(hi, 0):
        a = arb(0) if is_inf(hi) else _dn(1 / hi)
        b = arb(0) if is_inf(lo) else _up(1 / lo)
        return (a, b), True
    if not is_inf(lo) and lo == 0 and _lt(0, hi):
        return ((arb(0) if is_inf(hi) else _dn(1 / hi)), INF), False
    if not is_inf(hi) and hi == 0 and _lt(lo, 0):
        return (-INF, (arb(0) if is_inf(lo) else _up(1 / lo))), False
    return (-INF, INF), False


def _ipow_end(a, n: int) -> tuple:
    if is_inf(a):
        v = a if (n % 2 == 1 or a > 0) else INF
        return v, v
    p = a ** n
    return _dn(p), _up(p)


def ipow(x: Interval, n: int) -> Interval:
    """x**n for an integer n >= 1."""
    lo, hi = x
    if n % 2 == 1 or _le(0, lo):
        return _ipow_end(lo, n)[0], _ipow_end(hi, n)[1]
    if _le(hi, 0):
        return _ipow_end(hi, n)[0], _ipow_end(lo, n)[1]
    return arb(0), _max([_ipow_end(lo, n)[1], _ipow_end(hi, n)[1]])


def _rpow_end(a, r: Fraction) -> tuple:
    """a**r for an endpoint a >= 0 and a rational r != 0."""
    if is_inf(a):
        v = INF if r > 0 else arb(0)
        return v, v
    if a == 0:
        v = arb(0) if r > 0 else INF
        return v, v
    if max(abs(r.numerator), r.denominator) >= 2 ** 31:
        # root() and integer powers take a C unsigned long: a**(10**-24) goes by exp(r log a), a ball that
        # contains the exact value (a > 0 here)
        p = (arb(r.numerator) / arb(r.denominator) * a.log()).exp()
    elif r.denominator == 1:
        p = a ** int(r.numerator)
    else:
        p = a.root(r.denominator) ** int(r.numerator) if r.numerator > 0 else \
            1 / (a.root(r.denominator) ** int(-r.numerator))
    return _dn(p), _up(p)


def rpow(x: Interval, r: Fraction) -> tuple[Interval, bool]:
    """x**r for a non-integer rational r (sympy's real branch needs x >= 0; x > 0 when r < 0)."""
    lo, hi = x
    if _lt(hi, 0):
        return (-INF, INF), False
    ok = _lt(0, lo)
    lo = lo if _le(0, lo) else arb(0)
    if r > 0:
        return (_rpow_end(lo, r)[0], _rpow_end(hi, r)[1]), ok
    return (_rpow_end(hi, r)[0], _rpow_end(lo, r)[1]), ok


def exp(x: Interval) -> Interval:
    lo = arb(0) if is_inf(x[0]) else _dn(x[0].exp())
    hi = INF if is_inf(x[1]) else _up(x[1].exp())
    if is_inf(lo):  # overflow on the lower side: exp is positive
        lo = arb(0)
    return lo, hi


def log(x: Interval) -> tuple[Interval, bool]:
    lo, hi = x
    if _le(hi, 0):
        return (-INF, INF), False
    ok = _lt(0, lo)
    a = _dn(lo.log()) if ok and not is_inf(lo) else -INF
    b = INF if is_inf(hi) else _up(hi.log())
    return (a, b), ok


def abs_(x: Interval) -> Interval:
    lo, hi = x
    if _le(0, lo):
        return x
    if _le(hi, 0):
        return neg(x)
    return arb(0), _max([-lo, hi])


Fn = Callable[[dict], tuple]


def compile_expr(e: sp.Expr) -> Fn:
    """A function box -> (enclosure, defined-and-smooth-on-the-box) for the sympy expression ``e``.

    Raises:
        UnsupportedError: a function or operator outside log, exp, powers, abs, Max, Min, + and *.
    """
    memo: dict[sp.Basic, Fn] = {}
    return _compile(e, memo)


def _const(e: sp.Expr) -> Interval:
    if e.is_Rational:
        return from_rational(e)
    if e is sp.E:
        c = arb.const_e()
        return c.lower(), c.upper()
    if e is sp.pi:
        c = arb.pi()
        return c.lower(), c.upper()
    raise UnsupportedError(f"constant {e}")


def _compile(e: sp.Expr, memo: dict) -> Fn:
    if e in memo:
        return memo[e]
    fn = _compile1(e, memo)
    memo[e] = fn
    return fn


def _compile1(e: sp.Expr, memo: dict) -> Fn:  # noqa: C901 - one case per operator
    if e.is_Symbol:
        return lambda box, s=e: (box[s], True)
    if e in (sp.oo, sp.S.NegativeInfinity, sp.zoo, sp.nan) or e.is_infinite:
        raise UnsupportedError(f"{e} in an expression")
    if e.is_Float:
        e = sp.Rational(str(e))
    if e.is_Rational or e.is_NumberSymbol:
        val = _const(e)
        return lambda box, v=val: (v, True)
    if not e.free_symbols and e.args:
        # a compound constant (log(2), sqrt(3), exp(1/2)): evaluate once with the structural rules below
        structural = _structural(e, memo)
        val, ok = structural({})
        if not ok or is_inf(val[0]) or is_inf(val[1]):
            raise UnsupportedError(f"constant {e} has no finite enclosure")
        return lambda box, v=val: (v, True)
    return _structural(e, memo)


def _structural(e: sp.Expr, memo: dict) -> Fn:  # noqa: C901 - one case per operator
    if e.is_Add:
        parts = [_compile(a, memo) for a in e.args]

        def f_add(box, parts=parts):
            acc, ok = parts[0](box)
            for p in parts[1:]:
                v, o = p(box)
                acc = add(acc, v)
                ok = ok and o
            return acc, ok
        return f_add
    if e.is_Mul:
        groups = mul_groups(e.args)
        if groups:
            return _compile_grouped_mul(e, groups, memo)
        parts = [_compile(a, memo) for a in e.args]

        def f_mul(box, parts=parts):
            acc, ok = parts[0](box)
            for p in parts[1:]:
                v, o = p(box)
                acc = mul(acc, v)
                ok = ok and o
            return acc, ok
        return f_mul
    if e.is_Pow:
        b, p = e.args
        if p.is_Integer:
            base = _compile(b, memo)
            n = int(p)
            if n == 0:
                one = from_rational(1)
                return lambda box: (one, True)

            def f_ipow(box, base=base, n=n):
                v, ok = base(box)
                if n > 0:
                    return ipow(v, n), ok
                r, nz = recip(ipow(v, -n))
                return r, ok and nz
            return f_ipow
        if p.is_Rational:
            base = _compile(b, memo)
            r = Fraction(int(p.p), int(p.q))

            def f_rpow(box, base=base, r=r):
                v, ok = base(box)
                out, pos = rpow(v, r)
                return out, ok and pos
            return f_rpow
        if b is sp.E:
            return _compile(sp.exp(p, evaluate=False), memo)
        raise UnsupportedError(f"power with exponent {p}")
    if isinstance(e, sp.exp):
        arg = _compile(e.args[0], memo)

        def f_exp(box, arg=arg):
            v, ok = arg(box)
            return exp(v), ok
        return f_exp
    if isinstance(e, sp.log):
        if len(e.args) != 1:
            raise UnsupportedError("log with a base")
        arg = _compile(e.args[0], memo)

        def f_log(box, arg=arg):
            v, ok = arg(box)
            out, pos = log(v)
            return out, ok and pos
        return f_log
    if isinstance(e, sp.Abs):
        arg = _compile(e.args[0], memo)

        def f_abs(box, arg=arg):
            v, _ = arg(box)
            return abs_(v), False  # not smooth at 0: no derivative argument through it
        return f_abs
    if isinstance(e, (sp.Max, sp.Min)):
        parts = [_compile(a, memo) for a in e.args]
        is_max = isinstance(e, sp.Max)

        def f_mm(box, parts=parts, is_max=is_max):
            vals = [p(box)[0] for p in parts]
            if is_max:
                return (_max([v[0] for v in vals]), _max([v[1] for v in vals])), False
            return (_min([v[0] for v in vals]), _min([v[1] for v in vals])), False
        return f_mm
    raise UnsupportedError(f"no interval rule for {type(e).__name__}")


# ---------------------------------------------------------------------------------------------- 0 * oo products
# Interval arithmetic loses ``x * log(x)**2`` near x = 0 (a factor [0, eps] times [L, oo)) and ``x * exp(-x)``
# on [S, oo): each factor is unbounded or tiny, their product is not. Such a product is a function of one base
# ``u`` that is piecewise monotone with known breakpoints, so its range over an interval of ``u`` is the hull
# of its values (or limits) at the interval's ends and at the breakpoints inside:
#   u**a * log(u)**k   (a rational != 0, k integer >= 1, u > 0): breakpoints u = 1 (k >= 2), u = exp(-k/a);
#   u**k * exp(c*u)    (c rational != 0, k integer != 0, or rational > 0 with u >= 0): breakpoints u = 0,
#                      u = -k/c.
# The evaluators intersect this range with the plain product (both enclose the same values), so the smoothness
# flag and every other case are unchanged.

@dataclass(frozen=True)
class MulGroup:
    """Factors ``idx`` of a product that together are ``u**k * log(u)**n`` (kind "log") or
    ``u**k * exp(c*u + d)`` (kind "exp"). ``sym``/``m``: u is ``sym**m``; when ``check_nonneg`` the identity
    (``sym**m)**k == sym**(m*k)`` needs ``sym >= 0``, so the range is used only on boxes where it holds."""

    kind: str
    idx: tuple
    u: sp.Expr
    k: Fraction
    n: int = 0
    c: Fraction = Fraction(0)
    d: sp.Expr = sp.S.Zero
    check_nonneg: sp.Symbol | None = None


def _as_power(f: sp.Expr):
    """(base, rational exponent) of a factor, or None for numbers."""
    if f.is_number:
        return None
    if f.is_Pow and f.exp.is_Rational and not f.base.is_number:
        return f.base, Fraction(int(f.exp.p), int(f.exp.q))
    return f, Fraction(1)


def mul_groups(args) -> list[MulGroup]:
    """The ``u**k * log(u)**n`` and ``u**k * exp(c*u + d)`` groups among the factors of a product (each factor
    in at most one group). Purely structural: shared by the search's and the checker's evaluators."""
    pw = {}
    for i, f in enumerate(args):
        bp = _as_power(f)
        if bp is not None:
            pw[i] = bp
    used: set[int] = set()
    out: list[MulGroup] = []
    # u**k * log(u)**n
    for i, (b, p) in pw.items():
        if i in used or not isinstance(b, sp.log) or p.denominator != 1 or p <= 0 or len(b.args) != 1:
            continue
        u = b.args[0]
        # log(s**m) with a factor s**a: u = s**m, k = a/m ((s**m)**k == s**a needs s >= 0 unless both integers)
        s_m = (u.base, Fraction(int(u.exp.p), int(u.exp.q))) if (u.is_Pow and u.base.is_Symbol and
                                                               u.exp.is_Rational) else None
        for j, (b2, p2) in pw.items():
            if j != i and j not in used and b2 == u:
                out.append(MulGroup("log", (j, i), u, p2, n=int(p)))
                used.update((i, j))
                break
            if j != i and j not in used and s_m is not None and b2 == s_m[0]:
                k = p2 / s_m[1]
                integral = k.denominator == 1 and s_m[1].denominator == 1
                out.append(MulGroup("log", (j, i), u, k, n=int(p), check_nonneg=None if integral else s_m[0]))
                used.update((i, j))
                break
    # u**k * exp(c*u + d), u = s**m
    for i, (b, p) in pw.items():
        if i in used or not isinstance(b, sp.exp) or p != 1:
            continue
        z = sp.expand(b.args[0])
        syms = z.free_symbols
        if len(syms) != 1:
            continue
        s = next(iter(syms))
        d, rest = z.as_independent(s, as_Add=True)
        c, w = rest.as_coeff_Mul()
        if not c.is_Rational or c == 0:
            continue
        if w == s:
            m = Fraction(1)
        elif w.is_Pow and w.base == s and w.exp.is_Rational:
            m = Fraction(int(w.exp.p), int(w.exp.q))
        else:
            continue
        for j, (b2, p2) in pw.items():
            if j == i or j in used or b2 != s:
                continue
            k = p2 / m
            integral = k.denominator == 1 and m.denominator == 1
            out.append(MulGroup("exp", (j, i), w, k, c=Fraction(int(c.p), int(c.q)), d=d,
                                check_nonneg=None if integral else s))
            used.update((i, j))
            break
    # only small exponents and rates (the ranges use integer powers of balls and breakpoints such as e^(-n/k))
    return [g for g in out if g.n <= 64 and max(abs(g.k.numerator), g.k.denominator) <= 1000 and
            max(abs(g.c.numerator), g.c.denominator) <= 10 ** 6]


def mul_groups_possible(e: sp.Expr) -> bool:
    """Whether some product in ``e`` multiplies a sum by a log or exp (expanding it may form groups)."""
    for m in e.atoms(sp.Mul):
        if any(a.is_Add for a in m.args) and any(a.has(sp.log, sp.exp) for a in m.args):
            return True
    return False


def _ball_bounds(b: arb) -> tuple:
    return _dn(b), _up(b)


def _group_range(g: MulGroup, u: Interval) -> Interval:
    """The range of the group over the values u in ``u`` where it is defined (rigorous hull)."""
    lo, hi = u
    vals: list[tuple] = []
    if g.kind == "log" or g.k.denominator != 1:
        if _le(hi, 0):
            return (-INF, INF)
        if not _lt(0, lo):
            lo = arb(0)
    k, n, c = g.k, g.n, g.c
    if g.kind == "exp" and k < 0 and _lt(lo, 0) and _lt(0, hi):
        return (-INF, INF)  # u**k has a pole inside the interval
    ka = arb(fmpq(k.numerator, k.denominator))

    def val(x):
        """(lo, hi) of the group at a finite endpoint x, or its limit there."""
        if g.kind == "log":
            if x == 0:
                if k > 0:
                    return arb(0), arb(0)
                v = INF if n % 2 == 0 else -INF
                return v, v
            return _ball_bounds(x ** ka * x.log() ** n if k.denominator != 1 else
                                (x ** int(k) if k > 0 else 1 / x ** int(-k)) * x.log() ** n)
        ca = arb(fmpq(c.numerator, c.denominator))
        if x == 0:
            if k > 0:
                return arb(0), arb(0)
            return None  # a pole: handled by the caller
        if k.denominator == 1:
            pk = x ** int(k) if k > 0 else 1 / x ** int(-k)
        else:
            pk = x ** ka
        return _ball_bounds(pk * (ca * x).exp())

    def lim(side: int):
        """The limit at u -> +oo (side 1) or -oo (side -1)."""
        if g.kind == "log":
            return (INF, INF) if k > 0 else (arb(0), arb(0))
        if c * side < 0:
            return arb(0), arb(0)
        sgn = 1 if side > 0 or k % 2 == 0 else -1
        v = INF if sgn > 0 else -INF
        return v, v

    for end, side in ((lo, -1), (hi, 1)):
        if is_inf(end):
            vals.append(lim(side))
            continue
        v = val(end)
        if v is None:  # u**k with k < 0 at u = 0 from inside the interval
            inside = 1 if side < 0 else -1  # the direction of the interval from this end
            if g.k.denominator != 1 and inside < 0:
                return (-INF, INF)
            sgn = 1 if inside > 0 or int(k) % 2 == 0 else -1
            vals.append((INF, INF) if sgn > 0 else (-INF, -INF))
        else:
            vals.append(v)
    # breakpoints
    if g.kind == "log":
        pts = []
        if n >= 2:
            pts.append((arb(1), (arb(0), arb(0))))
        r = arb(fmpq(-n * k.denominator, k.numerator))  # -n/k
        pts.append((r.exp(), _ball_bounds(r ** n * arb(-n).exp())))
    else:
        pts = [(arb(0), (arb(0), arb(0)))] if k > 0 else []
        ustar = -k / c
        if ustar > 0 or k.denominator == 1:
            x = arb(fmpq(ustar.numerator, ustar.denominator))
            v = val(x) if ustar != 0 else (arb(0), arb(0))
            if v is not None:
                pts.append((x, v))
    for x, v in pts:
        if _lt(hi, x.lower()) if not is_inf(hi) else False:
            continue
        if not is_inf(lo) and _lt(x.upper(), lo):
            continue
        vals.append(v)
    return _min([v[0] for v in vals]), _max([v[1] for v in vals])


def _compile_grouped_mul(e: sp.Expr, groups: list[MulGroup], memo: dict) -> Fn:
    """A product with 0 * oo groups: the plain product intersected with the product in which each group is
    replaced by its range (both are enclosures of the same values)."""
    parts = [_compile(a, memo) for a in e.args]
    in_group = {i for g in groups for i in g.idx}
    others = [i for i in range(len(e.args)) if i not in in_group]
    gfs = []
    for g in groups:
        dv = None
        if g.kind == "exp" and g.d != 0:
            val, ok = _compile(sp.exp(g.d), memo)({})
            if not ok or is_inf(val[0]) or is_inf(val[1]):
                raise UnsupportedError(f"constant exp({g.d})")
            dv = val
        gfs.append((g, _compile(g.u, memo), dv))

    def f_gmul(box, parts=parts, others=others, gfs=gfs):
        vals = [p(box) for p in parts]
        acc, ok = vals[0]
        for v, o in vals[1:]:
            acc = mul(acc, v)
            ok = ok and o
        alt = None
        for i in others:
            alt = vals[i][0] if alt is None else mul(alt, vals[i][0])
        for g, uf, dv in gfs:
            if g.check_nonneg is not None:
                sv = box.get(g.check_nonneg)
                if sv is None or is_inf(sv[0]) or sv[0] < 0:
                    return acc, ok
            r = _group_range(g, uf(box)[0])
            if dv is not None:
                r = mul(r, dv)
            alt = r if alt is None else mul(alt, r)
        return intersect(acc, alt), ok
    return f_gmul


def intersect(a: Interval, b: Interval) -> Interval:
    lo = a[0] if _le(b[0], a[0]) else b[0]
    hi = a[1] if _le(a[1], b[1]) else b[1]
    return lo, hi
