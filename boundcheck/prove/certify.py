"""Certified evaluation (layer 3): rigorous ball enclosures at rising precision.

A witness may stand only if its violation is *certified*: every quantity is enclosed in an arb ball
(python-flint) computed directly from the sympy tree, the precision rises until the ball excludes the
boundary, and when it never does the witness is rejected. No digit is trusted because it "looks right"
(at 70 digits ``1 + 1/n`` for ``n = 10**80`` rounds to 1; arb knows the rounding error and says so).

The walk maps symbols by identity (the ``point`` dict), never by name, so a symbol named ``e``, ``E``,
``pi``, ``mpf`` or ``N`` cannot be confused with a constant or a function of the evaluator.

Semantics follow sympy's principal branches restricted to the reals: ``x**(p/q)`` with ``x < 0`` and a
non-integer exponent is complex in sympy and is *undefined* here; ``log`` needs a positive argument;
``asin``/``acos`` need ``|x| <= 1``; ``tan`` needs ``cos x != 0``; ``gamma`` needs an argument that is not a
nonpositive integer. A point where an expression is undefined never certifies a violation.

Public functions: :func:`enclose` (one ball), :func:`certify_sign` (a sign at a point),
:func:`certify_violation` (a sign goal violated at a point), :func:`certify_relation` (an assumption
holds at a point), :func:`certify_order` (``f(p2) - f(p1)`` has a sign, for monotonicity witnesses).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp
from flint import arb, ctx, fmpq, fmpz

__all__ = ["Undecided", "Undefined", "Certified", "enclose", "certify_sign", "certify_violation",
           "certify_relation", "certify_order", "is_exact_zero", "PRECISIONS", "ball_to_bounds"]

#: Precisions (bits) tried in turn; the start is raised for points with huge or tiny coordinates.
PRECISIONS = (128, 320, 800, 2000, 5000, 12000)


class Undecided(ArithmeticError):
    """The ball does not decide the question at this precision (or the function has no enclosure)."""


class Undefined(ArithmeticError):
    """The expression is certainly undefined (not a finite real) at the point."""


@dataclass(frozen=True, slots=True)
class Certified:
    """A certified sign: the ball ``value`` (mid +/- rad, as text) at ``prec`` bits lies in ``sign``."""

    sign: str  # "neg", "pos", "zero", "nonzero"
    value: str
    prec: int


def _q(x: sp.Rational) -> arb:
    return arb(fmpq(fmpz(int(x.p)), fmpz(int(x.q))))


def _bits(point: Mapping[sp.Symbol, sp.Expr]) -> int:
    """Extra bits a point needs: enough to resolve 1/n next to 1 for n ~ 1e80, and tiny rationals."""
    extra = 0
    for v in point.values():
        try:
            v = sp.sympify(v, strict=True)
            if v.is_Rational:
                extra = max(extra, int(abs(int(v.p)).bit_length() + int(v.q).bit_length()))
            elif v.is_number:
                f = abs(float(sp.N(v, 15)))
                if f > 0 and math.isfinite(f):
                    extra = max(extra, abs(int(math.log2(f))) + 2)
        except (TypeError, ValueError, OverflowError, sp.SympifyError):
            continue
    return 2 * extra


def _int_pow(B: arb, k: int, e: sp.Basic) -> arb:
    """``B**k`` for an integer ``k``; a negative ``k`` needs ``B`` separated from 0."""
    if k >= 0:
        return B ** k
    if B.is_exact() and B.is_zero():
        raise Undefined(f"division by zero in {e}")
    if B.contains(0):
        raise Undecided(f"base of {e} not separated from 0")
    return arb(1) / (B ** (-k))


class _Walker:
    def __init__(self, point: Mapping[sp.Symbol, sp.Expr]) -> None:
        self.point = point
        self.cache: dict[sp.Basic, arb] = {}

    def ev(self, e: sp.Basic) -> arb:
        hit = self.cache.get(e)
        if hit is not None:
            return hit
        out = self._ev(e)
        if out.is_nan():
            raise Undecided(f"no finite enclosure of {e}")
        self.cache[e] = out
        return out

    def pos(self, e: sp.Expr, what: str) -> arb:
        a = self.ev(e)
        if a > 0:
            return a
        if a <= 0:
            raise Undefined(f"{what}: {e} <= 0")
        raise Undecided(f"{what}: sign of {e} not resolved")

    def _ev(self, e: sp.Basic) -> arb:  # noqa: C901 - one dispatch table
        if isinstance(e, sp.Symbol):
            if e not in self.point:
                raise Undecided(f"no value for symbol {e}")
            v = sp.sympify(self.point[e], strict=True)
            if v.free_symbols:
                raise Undecided(f"value of {e} is not a number")
            return self.ev(v)
        if e.is_Rational:
            return _q(e)
        if e.is_Float:
            return _q(sp.Rational(e))
        if e is sp.pi:
            return arb.pi()
        if e is sp.E:
            return arb.const_e()
        if e is sp.S.EulerGamma:
            return arb.const_euler()
        if e is sp.S.Catalan:
            return arb.const_catalan()
        if e.is_Add:
            out = arb(0)
            for a in e.args:
                out = out + self.ev(a)
            return out
        if e.is_Mul:
            out = arb(1)
            for a in e.args:
                out = out * self.ev(a)
            return out
        if e.is_Pow:
            return self._pow(e)
        if isinstance(e, sp.exp):
            return self.ev(e.args[0]).exp()
        if isinstance(e, sp.log):
            if len(e.args) != 1:
                raise Undecided("log with a base")
            return self.pos(e.args[0], "log argument").log()
        if isinstance(e, sp.Abs):
            return abs(self.ev(e.args[0]))
        if isinstance(e, (sp.Max, sp.Min)):
            vals = [self.ev(a) for a in e.args]
            out = vals[0]
            for v in vals[1:]:
                out = out.max(v) if isinstance(e, sp.Max) else out.min(v)
            return out
        if isinstance(e, sp.sin):
            return self.ev(e.args[0]).sin()
        if isinstance(e, sp.cos):
            return self.ev(e.args[0]).cos()
        if isinstance(e, sp.tan):
            a = self.ev(e.args[0])
            c = a.cos()
            if c.contains(0):
                if c.is_exact() and c.is_zero():
                    raise Undefined("tan at a pole")
                raise Undecided("tan near a pole")
            return a.sin() / c
        if isinstance(e, sp.atan):
            return self.ev(e.args[0]).atan()
        if isinstance(e, (sp.asin, sp.acos)):
            a = self.ev(e.args[0])
            if a > 1 or a < -1:
                raise Undefined(f"{type(e).__name__} argument outside [-1, 1]")
            if not (a >= -1 and a <= 1):
                raise Undecided(f"{type(e).__name__} argument near +-1")
            return a.asin() if isinstance(e, sp.asin) else a.acos()
        if isinstance(e, sp.sinh):
            return self.ev(e.args[0]).sinh()
        if isinstance(e, sp.cosh):
            return self.ev(e.args[0]).cosh()
        if isinstance(e, sp.tanh):
            return self.ev(e.args[0]).tanh()
        if isinstance(e, sp.gamma):
            a = self.ev(e.args[0])
            if not a > 0:
                if a.is_exact() and a.is_integer():
                    raise Undefined("gamma at a nonpositive integer")
                if a.contains_integer():
                    raise Undecided("gamma argument near a nonpositive integer")
            return a.gamma()
        if isinstance(e, (sp.floor, sp.ceiling)):
            a = self.ev(e.args[0])
            out = a.floor() if isinstance(e, sp.floor) else a.ceil()
            if not out.is_exact():
                raise Undecided(f"{type(e).__name__} of a ball containing an integer")
            return out
        if e in (sp.oo, sp.S.NegativeInfinity, sp.zoo, sp.nan) or e.has(sp.I):
            raise Undefined(f"{e} is not a finite real")
        raise Undecided(f"no certified enclosure for {type(e).__name__}")

    def _pow(self, e: sp.Pow) -> arb:
        b, x = e.args
        if x.is_Integer:
            return _int_pow(self.ev(b), int(x), e)
        B = self.ev(b)
        X = self.ev(x)
        if not B > 0 and X.is_exact() and X.is_integer():
            # an exponent that is exactly an integer at this point ((-3)**z at z = 0 is 1, as in sympy)
            if abs(X) > 10 ** 9:
                raise Undecided(f"integer exponent of {e} too large to evaluate")
            return _int_pow(B, int(X.unique_fmpz()), e)
        if B > 0:
            if x == sp.S.Half:
                return B.sqrt()
            return (X * B.log()).exp()
        # Undefined only when the exponent's ball excludes every integer it could be: at too low a precision
        # a huge integer exponent (lam - 1 at lam ~ 1e80) is an inexact ball, and (-lam)**(lam - 1) is defined
        if B.is_exact() and B.is_zero():
            if X > 0:
                return arb(0)
            if X < 0:
                raise Undefined(f"0 to a negative power in {e}")
            raise Undecided(f"sign of the exponent of {e}")
        if B < 0:
            if X.contains_integer():
                raise Undecided(f"exponent of {e} not separated from the integers")
            raise Undefined(f"negative base to a non-integer power in {e}")
        raise Undecided(f"base of {e} not separated from 0")


def enclose(expr: sp.Basic, point: Mapping[sp.Symbol, sp.Expr], prec: int) -> arb:
    """A ball containing the exact value of ``expr`` at the exact ``point``, computed at ``prec`` bits.

    Raises:
        Undecided: the ball is useless (a domain condition is not resolved at this precision, or a
            function has no enclosure).
        Undefined: the expression is certainly not a finite real number at the point.
    """
    old = ctx.prec
    ctx.prec = prec
    try:
        return _Walker(point).ev(expr)
    finally:
        ctx.prec = old


def ball_to_bounds(ball: arb) -> tuple[sp.Rational, sp.Rational]:
    """Exact rational endpoints ``(lo, hi)`` of a finite ball."""
    lo, hi = ball.lower(), ball.upper()
    out = []
    for v in (lo, hi):
        man, exp = v.mid().man_exp()
        out.append(sp.Integer(int(man)) * sp.Integer(2) ** int(exp))
    return out[0], out[1]


def _show(ball: arb, digits: int = 30) -> str:
    return ball.str(digits, radius=True) if hasattr(ball, "str") else str(ball)


def _precisions(point: Mapping[sp.Symbol, sp.Expr], max_prec: int) -> list[int]:
    extra = _bits(point)
    return [p + extra for p in PRECISIONS if p + extra <= max_prec + extra and p <= max_prec]


def is_exact_zero(expr: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """Whether ``expr`` is exactly 0 at ``point``: an exact zero ball (rational arithmetic throughout),
    or sympy's exact simplification to 0 of the constant, cross-checked by a ball that contains 0."""
    try:
        ball = enclose(expr, point, 256 + _bits(point))
    except (Undecided, Undefined):
        return False
    if ball.is_exact() and ball.is_zero():
        return True
    if not ball.contains(0):
        return False
    try:
        const = expr.xreplace({s: sp.sympify(v, strict=True) for s, v in point.items()})
        return bool(sp.simplify(const) == 0)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return False


def certify_sign(expr: sp.Expr, point: Mapping[sp.Symbol, sp.Expr], want: str, *,
                 max_prec: int = 12000) -> Certified | None:
    """Certify that ``expr`` at ``point`` is ``want`` (``"neg"``, ``"pos"``, ``"nonzero"``, ``"nonneg"``,
    ``"nonpos"``), raising the precision until the ball decides; None when it cannot be certified (the
    value may be on the boundary, or undefined, or the function has no enclosure)."""
    for prec in _precisions(point, max_prec):
        try:
            ball = enclose(expr, point, prec)
        except Undefined:
            return None
        except Undecided:
            continue
        if want == "neg" and ball < 0 or want == "pos" and ball > 0 or \
                want == "nonzero" and (ball < 0 or ball > 0) or want == "nonneg" and ball >= 0 or \
                want == "nonpos" and ball <= 0:
            return Certified(want, _show(ball), prec)
        if want == "neg" and ball >= 0 or want == "pos" and ball <= 0 or want == "nonneg" and ball < 0 or \
                want == "nonpos" and ball > 0:
            return None  # certainly the other way
        if ball.is_exact():
            # an exact ball that did not decide is exactly the boundary value
            if want in ("nonneg", "nonpos") and ball.is_zero():
                return Certified(want, "0", prec)
            return None
    if want in ("nonneg", "nonpos") and is_exact_zero(expr, point):
        return Certified(want, "0", 0)
    return None


def certify_violation(g: sp.Expr, point: Mapping[sp.Symbol, sp.Expr], *, strict: bool = False,
                      equality: bool = False, max_prec: int = 12000) -> Certified | None:
    """Certify that ``point`` violates ``g >= 0`` (``g > 0`` when ``strict``, ``g == 0`` when ``equality``).

    ``g >= 0`` is violated when ``g < 0`` is certified; ``g > 0`` also when ``g`` is exactly 0 at the point
    (an exact ball, or sympy's exact simplification cross-checked by balls); ``g == 0`` when a ball
    excludes 0 (a relative margin for free: the ball's radius scales with the magnitudes involved, so a
    rounding difference between ``10**50 * pi/2`` and the same number never certifies). Returns None when
    the violation cannot be certified.
    """
    if equality:
        return certify_sign(g, point, "nonzero", max_prec=max_prec)
    c = certify_sign(g, point, "neg", max_prec=max_prec)
    if c is not None or not strict:
        return c
    if is_exact_zero(g, point):
        return Certified("zero", "0", 0)
    return None


def certify_order(f: sp.Expr, p1: Mapping[sp.Symbol, sp.Expr], p2: Mapping[sp.Symbol, sp.Expr], want: str, *,
                  max_prec: int = 12000) -> Certified | None:
    """Certify the sign ``want`` of ``f(p2) - f(p1)`` (``"neg"``, ``"pos"``, or ``"zero"``: exactly equal)."""
    if want == "zero":
        try:
            for p in (p1, p2):
                enclose(f, p, 256 + _bits(p))  # both values defined
        except (Undecided, Undefined):
            return None
        const1 = f.xreplace({s: sp.sympify(v, strict=True) for s, v in p1.items()})
        const2 = f.xreplace({s: sp.sympify(v, strict=True) for s, v in p2.items()})
        return Certified("zero", "0", 0) if is_exact_zero(const2 - const1, {}) else None
    extra = max(_bits(p1), _bits(p2))
    for p in PRECISIONS:
        if p > max_prec:
            break
        try:
            v1 = enclose(f, p1, p + extra)
            v2 = enclose(f, p2, p + extra)
        except Undefined:
            return None
        except Undecided:
            continue
        diff = v2 - v1
        if want == "neg" and diff < 0 or want == "pos" and diff > 0:
            return Certified(want, _show(diff), p + extra)
        if want == "neg" and diff >= 0 or want == "pos" and diff <= 0:
            return None
    return None


def certify_relation(rel: sp.Basic, point: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """Whether the relation (or an ``And`` of relations) certainly holds at ``point``."""
    if rel is sp.true:
        return True
    if rel is sp.false:
        return False
    if isinstance(rel, sp.And):
        return all(certify_relation(r, point) for r in rel.args)
    if isinstance(rel, sp.Or):
        return any(certify_relation(r, point) for r in rel.args)
    if not isinstance(rel, sp.core.relational.Relational):
        return False
    d = rel.lhs - rel.rhs
    if isinstance(rel, sp.Eq):
        return is_exact_zero(d, point)
    if isinstance(rel, sp.Ne):
        return certify_sign(d, point, "nonzero") is not None
    if isinstance(rel, sp.StrictLessThan):
        return certify_sign(d, point, "neg") is not None
    if isinstance(rel, sp.LessThan):
        return certify_sign(d, point, "nonpos") is not None
    if isinstance(rel, sp.StrictGreaterThan):
        return certify_sign(d, point, "pos") is not None
    if isinstance(rel, sp.GreaterThan):
        return certify_sign(d, point, "nonneg") is not None
    return False
