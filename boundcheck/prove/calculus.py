"""Sign, definedness, enclosure and monotonicity calculus (rung a of the ladder).

Every rule here is sound on its own: a sign set is a superset of the signs the expression takes on
the domain, an enclosure is a rigorous interval (mpmath's ``iv`` context, outward rounding), and a
monotonicity set is a superset of the signs of ``f(y) - f(x)`` over all ``x < y`` in the domain of the
variable (every other symbol fixed anywhere in its domain).

Sign sets are frozensets drawn from {-1, 0, 1}. The monotonicity calculus uses the same algebra on
differences: for ``x < y``, ``Δ(f g) = Δf · g(y) + f(x) · Δg`` and ``Δ(f + g) = Δf + Δg``, which is exact
for sign sets, so the rules need no differentiability (the idea of CVXPY's DCP rules, with symbolic
exponents such as ``n**(-1/d)`` handled through the sign of the exponent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product

import mpmath
import sympy as sp
from mpmath import iv

__all__ = [
    "Sign", "POS", "NONNEG", "ZERO", "NONPOS", "NEG", "NONZERO", "ANY", "Box", "Calculus",
    "sign_add", "sign_mul", "sign_neg",
]

Sign = frozenset
POS: Sign = frozenset({1})
NEG: Sign = frozenset({-1})
ZERO: Sign = frozenset({0})
NONNEG: Sign = frozenset({0, 1})
NONPOS: Sign = frozenset({-1, 0})
NONZERO: Sign = frozenset({-1, 1})
ANY: Sign = frozenset({-1, 0, 1})

_DPS = 40


def sign_neg(a: Sign) -> Sign:
    return frozenset(-x for x in a)


def sign_mul(a: Sign, b: Sign) -> Sign:
    return frozenset(x * y for x, y in product(a, b))


def _add2(x: int, y: int) -> Sign:
    if x == 0:
        return frozenset({y})
    if y == 0:
        return frozenset({x})
    if x == y:
        return frozenset({x})
    return ANY


def sign_add(a: Sign, b: Sign) -> Sign:
    out: set[int] = set()
    for x, y in product(a, b):
        out |= _add2(x, y)
    return frozenset(out)


def _common(sets: list[Sign]) -> Sign:
    """The tightest of POS, NONNEG, NEG, NONPOS containing every set (ANY when none does)."""
    for target in (POS, NONNEG, NEG, NONPOS):
        if all(x <= target for x in sets):
            return target
    return ANY


def _sign_of_interval(lo: mpmath.mpf, hi: mpmath.mpf, lo_open: bool = False, hi_open: bool = False) -> Sign:
    out: set[int] = set()
    if lo < 0:
        out.add(-1)
    if hi > 0:
        out.add(1)
    if lo <= 0 <= hi and not (lo == 0 and lo_open) and not (hi == 0 and hi_open):
        out.add(0)
    if lo == 0 and lo_open and hi > 0:
        out.discard(0)
    if not out:
        out = {0} if lo == hi == 0 else set(ANY)
    return frozenset(out)


@dataclass(frozen=True)
class Bound:
    """A closed/open interval for one symbol, exact endpoints (None = infinite)."""

    lo: sp.Expr | None = None
    hi: sp.Expr | None = None
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def tighten(self, rel: str, value: sp.Expr) -> Bound:
        """Intersect with ``x rel value`` (rel one of >, >=, <, <=)."""
        lo, hi, lo_open, hi_open = self.lo, self.hi, self.lo_open, self.hi_open
        if rel in (">", ">="):
            strict = rel == ">"
            if lo is None or bool(value > lo) or (bool(sp.Eq(value, lo)) and strict):
                lo, lo_open = value, strict
        else:
            strict = rel == "<"
            if hi is None or bool(value < hi) or (bool(sp.Eq(value, hi)) and strict):
                hi, hi_open = value, strict
        return Bound(lo, hi, lo_open, hi_open, self.integer)

    def is_empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        if bool(self.lo > self.hi):
            return True
        return bool(sp.Eq(self.lo, self.hi)) and (self.lo_open or self.hi_open)

    def interior(self) -> Bound:
        return Bound(self.lo, self.hi, self.lo is not None, self.hi is not None, False)


@dataclass
class Box:
    """Per-symbol bounds: the domain the calculus reasons over."""

    bounds: dict[sp.Symbol, Bound] = field(default_factory=dict)

    @classmethod
    def from_relations(cls, symbols: Iterable[sp.Symbol], relations: Iterable[sp.Basic],
                       integers: Iterable[sp.Symbol] = ()) -> Box:
        """Build a box from symbol list and relations; relations that are not a bound on a single symbol by
        a constant are ignored (ignoring a hypothesis only widens the box, which stays sound for proofs)."""
        ints = set(integers)
        box = cls({s: Bound(integer=s in ints) for s in symbols})
        for rel in relations:
            box.add(rel)
        return box

    def add(self, rel: sp.Basic) -> None:
        if isinstance(rel, sp.And):
            for a in rel.args:
                self.add(a)
            return
        if not isinstance(rel, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            return
        lhs, rhs = rel.lhs, rel.rhs
        op = {sp.StrictLessThan: "<", sp.LessThan: "<=", sp.StrictGreaterThan: ">", sp.GreaterThan: ">="}[type(rel)]
        if isinstance(lhs, sp.Symbol) and not rhs.free_symbols and lhs in self.bounds:
            self.bounds[lhs] = self.bounds[lhs].tighten(op, rhs)
        elif isinstance(rhs, sp.Symbol) and not lhs.free_symbols and rhs in self.bounds:
            flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
            self.bounds[rhs] = self.bounds[rhs].tighten(flip, lhs)
        else:
            # a linear bound c*x rel k with c a nonzero constant
            diff = sp.expand(lhs - rhs)
            syms = diff.free_symbols
            if len(syms) == 1:
                (x,) = syms
                if x in self.bounds and diff.is_polynomial(x) and sp.degree(diff, x) == 1:
                    c = diff.coeff(x, 1)
                    k = -diff.coeff(x, 0)
                    if c.is_number and c != 0:
                        value = k / c
                        if c < 0:
                            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
                        self.bounds[x] = self.bounds[x].tighten(op, value)

    def with_bound(self, sym: sp.Symbol, bound: Bound) -> Box:
        new = dict(self.bounds)
        new[sym] = bound
        return Box(new)

    def is_empty(self) -> bool:
        return any(b.is_empty() for b in self.bounds.values())


def _iv_const(x: sp.Expr):
    """Rigorous enclosure of an exact constant."""
    x = sp.sympify(x, strict=True) if not isinstance(x, sp.Basic) else x
    if x.is_Rational:
        return iv.mpf(x.p) / iv.mpf(x.q)
    if x is sp.pi:
        return iv.pi
    if x is sp.E:
        return iv.e
    if x is sp.oo:
        return iv.mpf("inf")
    if x is sp.S.NegativeInfinity:
        return iv.mpf("-inf")
    raise _NoEnclosure(x)


def _arb_point(fn: str, x) -> tuple:
    """Rigorous bounds (lo, hi) of ``fn`` at the exact mpf ``x``, by an arb ball at 200 bits."""
    from flint import arb, ctx

    old = ctx.prec
    ctx.prec = 200
    try:
        # the exact point: an interval endpoint (ivmpf) keeps all its bits; mpmath.mpf(x) would round it to
        # nearest at 53 bits, off the interval (tanh at 7/5 - 1e-17 bounded tanh on [0, 7/5] from below)
        parts = {x._mpi_[0], x._mpi_[1]} if hasattr(x, "_mpi_") else {x._mpf_ if hasattr(x, "_mpf_") else
                                                                       mpmath.mpf(x)._mpf_}
        ball = None
        for sign, man, exp, _ in parts:  # man is unsigned: the sign is separate
            point = arb(-int(man) if sign else int(man)) * arb(2) ** int(exp)
            b = getattr(point, fn)()
            ball = b if ball is None else ball.union(b)
        if not ball.is_finite():
            raise _NoEnclosure(fn)
        from mpmath.libmp import from_man_exp

        out = []
        for v, rnd in ((ball.lower(), "f"), (ball.upper(), "c")):  # round outwards
            m, ex = v.mid().man_exp()
            # make_mpf keeps the 160-bit value; mpmath.mpf(...) would round it to nearest at the working
            # precision (53 bits), undoing the outward rounding (a false PROVED of atan(x) <= atan(2) - 5e-17)
            out.append(mpmath.mp.make_mpf(from_man_exp(int(m), int(ex), 160, rnd)))
        return out[0], out[1]
    finally:
        ctx.prec = old


#: limits at -oo and +oo of the monotone functions enclosed by _monotone_enclosure (None: unbounded)
_MONO_FUNCS = {sp.atan: ("atan", True, -2, 2), sp.tanh: ("tanh", True, -1, 1), sp.sinh: ("sinh", True, None, None),
               sp.asin: ("asin", True, None, None), sp.acos: ("acos", False, None, None)}


def _monotone_enclosure(func: type, A):
    """Interval of a monotone function (atan, tanh, sinh, asin, acos) or cosh over the interval ``A``,
    from rigorous values at the endpoints (asin/acos only inside [-1, 1])."""
    if func is sp.cosh:
        m = max(abs(A.a), abs(A.b))
        if not mpmath.isfinite(m):
            lo = 1 if A.a <= 0 <= A.b else None
            if lo is None:
                near = min(abs(A.a), abs(A.b))
                lo = _arb_point("cosh", near)[0]
            return iv.mpf([lo, "inf"])
        hi = _arb_point("cosh", m)[1]
        lo = mpmath.mpf(1) if A.a <= 0 <= A.b else _arb_point("cosh", min(abs(A.a), abs(A.b)))[0]
        return iv.mpf([lo, hi])
    name, inc, at_minf, at_pinf = _MONO_FUNCS[func]
    if func in (sp.asin, sp.acos) and (A.a < -1 or A.b > 1):
        raise _NoEnclosure(name)
    ends = []
    for x in (A.a, A.b):
        limit = at_minf if x < 0 else at_pinf
        if mpmath.isfinite(x):
            ends.append(_arb_point(name, x))
        elif limit is None:
            ends.append((mpmath.mpf("-inf") if x < 0 else mpmath.mpf("inf"),) * 2)
        else:
            ends.append((mpmath.mpf(limit),) * 2)
    if inc:
        return iv.mpf([ends[0][0], ends[1][1]])
    return iv.mpf([ends[1][0], ends[0][1]])


class _NoEnclosure(Exception):
    pass




class Calculus:
    """Sign, definedness, enclosure and monotonicity over a Box.

    Results are cached per expression; the object is cheap to build and used for one claim.
    """

    def __init__(self, box: Box) -> None:
        self.box = box
        self._sign: dict[sp.Basic, Sign] = {}
        self._enc: dict[sp.Basic, object] = {}
        self._def: dict[sp.Basic, bool] = {}

    # ------------------------------------------------------------------ enclosure
    def enclose(self, e: sp.Expr):
        """A rigorous mpmath interval containing every value of ``e`` on the box (may be infinite)."""
        if e in self._enc:
            return self._enc[e]
        old = iv.dps
        iv.dps = _DPS
        try:
            try:
                out = self._enclose(e)
            except (_NoEnclosure, ZeroDivisionError, ValueError, TypeError, OverflowError, AssertionError):
                out = iv.mpf(["-inf", "inf"])
        finally:
            iv.dps = old
        self._enc[e] = out
        return out

    def _enclose(self, e: sp.Expr):
        if e.is_Number or e in (sp.pi, sp.E):
            if e.is_Float:
                return iv.mpf(str(e))
            return _iv_const(e)
        if e.is_Symbol:
            b = self.box.bounds.get(e)
            if b is None:
                return iv.mpf(["-inf", "inf"])
            lo = mpmath.mpf("-inf") if b.lo is None else _iv_const(b.lo).a
            hi = mpmath.mpf("inf") if b.hi is None else _iv_const(b.hi).b
            return iv.mpf([lo, hi])
        if e.is_Add:
            out = iv.mpf(0)
            for a in e.args:
                out = out + self.enclose(a)
            return out
        if e.is_Mul:
            out = iv.mpf(1)
            for a in e.args:
                out = out * self.enclose(a)
            return out
        if e.is_Pow:
            b, x = e.args
            if x.is_Integer:
                B = self.enclose(b)
                k = int(x)
                if k < 0:
                    if B.a <= 0 <= B.b:
                        sb = self.sign(b)
                        if sb <= POS and B.b > 0:  # b in (0, B.b]: 1/b**|k| in [1/B.b**|k|, oo)
                            return iv.mpf([(iv.mpf(1) / iv.mpf(B.b) ** (-k)).a, "inf"])
                        if sb <= NEG and B.a < 0:
                            lo = (iv.mpf(1) / iv.mpf(B.a) ** (-k))
                            return iv.mpf([lo.a, "inf"]) if k % 2 == 0 else iv.mpf(["-inf", lo.b])
                        raise _NoEnclosure(e)
                    return iv.mpf(1) / (B ** (-k))
                return B ** k
            sb = self.sign(b)
            if not sb <= NONNEG:
                raise _NoEnclosure(e)
            B = self.enclose(b)
            X = self.enclose(x)
            if B.a > 0:
                return iv.exp(iv.log(B) * X)
            # the base may be 0: only a positive exponent keeps the value finite (0**x = 0)
            if not (self.sign(x) <= POS and X.a > 0) or not B.b > 0:
                raise _NoEnclosure(e)
            top = iv.exp(iv.log(iv.mpf(B.b)) * (X.a if B.b <= 1 else X.b)).b
            return iv.mpf([0, max(top, mpmath.mpf(1)) if B.b > 1 else top])
        if isinstance(e, sp.exp):
            return iv.exp(self.enclose(e.args[0]))
        if isinstance(e, sp.log):
            A = self.enclose(e.args[0])
            if A.a <= 0:
                if self.sign(e.args[0]) <= POS:
                    return iv.mpf(["-inf", iv.log(iv.mpf(A.b)).b if A.b > 0 else "-inf"])
                raise _NoEnclosure(e)
            return iv.log(A)
        if isinstance(e, sp.Abs):
            A = self.enclose(e.args[0])
            if A.a >= 0:
                return A
            if A.b <= 0:
                return -A
            return iv.mpf([0, max(-A.a, A.b)])
        if isinstance(e, (sp.Max, sp.Min)):
            parts = [self.enclose(a) for a in e.args]
            if isinstance(e, sp.Max):
                return iv.mpf([max(p.a for p in parts), max(p.b for p in parts)])
            return iv.mpf([min(p.a for p in parts), min(p.b for p in parts)])
        if isinstance(e, (sp.atan, sp.tanh, sp.sinh, sp.asin, sp.acos, sp.cosh)):
            return _monotone_enclosure(type(e), self.enclose(e.args[0]))
        if isinstance(e, (sp.sin, sp.cos)):
            A = self.enclose(e.args[0])
            if mpmath.isfinite(A.a) and mpmath.isfinite(A.b) and A.b - A.a < 100:
                return (iv.sin if isinstance(e, sp.sin) else iv.cos)(A)
            return iv.mpf([-1, 1])
        raise _NoEnclosure(e)

    # ------------------------------------------------------------------ sign
    def sign(self, e: sp.Expr) -> Sign:
        """Superset of the signs of ``e`` on the box (ANY when nothing is known)."""
        if e in self._sign:
            return self._sign[e]
        self._sign[e] = ANY  # guards against cycles
        out = self._sign_rules(e)
        if out == ANY or len(out) > 1:
            enc = self.enclose(e)
            if mpmath.isfinite(enc.a) or mpmath.isfinite(enc.b):
                from_iv = _sign_of_interval(enc.a, enc.b)
                if from_iv != ANY:
                    refined = out & from_iv
                    out = refined if refined else out
        self._sign[e] = out
        return out

    def _sign_rules(self, e: sp.Expr) -> Sign:
        if e.is_Number:
            if e.is_zero:
                return ZERO
            if e.is_extended_positive:
                return POS
            if e.is_extended_negative:
                return NEG
            return ANY
        if e in (sp.pi, sp.E):
            return POS
        if e.is_Symbol:
            b = self.box.bounds.get(e)
            if b is None:
                return ANY
            out = set(ANY)
            if b.lo is not None and (bool(b.lo > 0) or (bool(sp.Eq(b.lo, 0)) and b.lo_open)):
                out -= {-1, 0}
            elif b.lo is not None and bool(b.lo >= 0):
                out -= {-1}
            if b.hi is not None and (bool(b.hi < 0) or (bool(sp.Eq(b.hi, 0)) and b.hi_open)):
                out -= {1, 0}
            elif b.hi is not None and bool(b.hi <= 0):
                out -= {1}
            return frozenset(out) if out else ANY
        if e.is_Add:
            if len(e.args) == 2 and e.args[0].is_number:
                special = self._term_vs_constant(e.args[1], e.args[0])
                if special is not None:
                    return special
            out = ZERO
            for a in e.args:
                out = sign_add(out, self.sign(a))
                if out == ANY:
                    break
            return out
        if e.is_Mul:
            out = POS
            for a in e.args:
                out = sign_mul(out, self.sign(a))
            return out
        if e.is_Pow:
            b, x = e.args
            sb = self.sign(b)
            if x.is_Integer:
                k = int(x)
                if k == 0:
                    return POS
                if k < 0 and 0 in sb:
                    return ANY  # undefined somewhere; definedness reports it
                if k % 2 == 0:
                    return POS if 0 not in sb else NONNEG
                return sb
            if sb <= POS:
                return POS
            if sb <= NONNEG and self.sign(x) <= POS:
                return NONNEG
            return ANY
        if isinstance(e, sp.exp):
            return POS
        if isinstance(e, sp.log):
            a = e.args[0]
            if not self.sign(a) <= POS:
                return ANY
            if a.is_Pow and a.args[1].is_number and self.sign(a.args[0]) <= POS:
                # log(b**k) = k log(b) for b > 0: keeps strictness that the enclosure of b**k would lose
                return sign_mul(self.sign(a.args[1]), self.sign(sp.log(a.args[0])))
            return self.sign(a - 1)
        if isinstance(e, sp.Abs):
            return POS if 0 not in self.sign(e.args[0]) else NONNEG
        if isinstance(e, (sp.Max, sp.Min)):
            signs = [self.sign(a) for a in e.args]
            # one argument of known sign settles Max from below (Min from above); otherwise all must agree
            if isinstance(e, sp.Max):
                if any(s <= POS for s in signs):
                    return POS
                if any(s <= NONNEG for s in signs):
                    return NONNEG
            else:
                if any(s <= NEG for s in signs):
                    return NEG
                if any(s <= NONPOS for s in signs):
                    return NONPOS
            return _common(signs)
        if isinstance(e, (sp.atan, sp.sinh, sp.tanh)):
            return self.sign(e.args[0])
        if isinstance(e, sp.cosh):
            return POS
        if isinstance(e, sp.gamma):
            return POS if self.sign(e.args[0]) <= POS else ANY
        return ANY

    def _term_vs_constant(self, t: sp.Expr, c: sp.Expr) -> Sign | None:
        """Sign of ``t + c`` for a constant c and a term t that is monotone in one quantity, exactly
        (open bounds give strict signs where an enclosure would not): ``x + c``, ``a*x**k + c`` and
        ``a*b**p + c`` (b**p compared through logarithms)."""
        a, rest = t.as_coeff_Mul()
        if a == 0 or not a.is_number:
            return None
        # t + c = a * (rest - r) with r = -c/a
        r = -c / a
        flip = POS if a > 0 else NEG
        if rest.is_Symbol:
            return sign_mul(flip, self._symbol_vs_constant(rest, r))
        if rest.is_Pow:
            b, k = rest.args
            if self.sign(b) <= POS:
                if bool(r <= 0):
                    return flip  # b**k > 0 >= r
                if b.is_Symbol and k.is_Rational:
                    # x**k - r has the sign of k * (x - r**(1/k)) for x > 0
                    return sign_mul(flip, sign_mul(POS if k > 0 else NEG, self._symbol_vs_constant(b, r ** (1 / k))))
                # b**p - r has the sign of p*log(b) - log(r)
                return sign_mul(flip, self.sign(sp.expand_log(k * sp.log(b), force=False) - sp.log(r)))
        return None

    def _symbol_vs_constant(self, x: sp.Symbol, c: sp.Expr) -> Sign:
        """Sign of ``x - c`` from the exact bounds of ``x`` (open ends give strict signs)."""
        b = self.box.bounds.get(x)
        if b is None:
            return ANY
        out = set(ANY)
        if b.lo is not None:
            if bool(b.lo > c) or (bool(sp.Eq(b.lo, c)) and b.lo_open):
                out -= {-1, 0}
            elif bool(b.lo >= c):
                out -= {-1}
        if b.hi is not None:
            if bool(b.hi < c) or (bool(sp.Eq(b.hi, c)) and b.hi_open):
                out -= {1, 0}
            elif bool(b.hi <= c):
                out -= {1}
        return frozenset(out) if out else ANY

    # ------------------------------------------------------------------ definedness
    def defined(self, e: sp.Expr) -> bool:
        """True only if ``e`` is a finite real number at every point of the box."""
        if e in self._def:
            return self._def[e]
        out = self._defined(e)
        self._def[e] = out
        return out

    def _defined(self, e: sp.Expr) -> bool:
        if e.has(sp.I, sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity):
            return False
        if e.is_Number or e.is_Symbol or e in (sp.pi, sp.E):
            return True
        if not all(self.defined(a) for a in e.args if isinstance(a, sp.Expr)):
            return False
        if e.is_Add or e.is_Mul:
            return True
        if e.is_Pow:
            b, x = e.args
            sb = self.sign(b)
            if x.is_Integer:
                return int(x) >= 0 or 0 not in sb
            if sb <= POS:
                return True
            return sb <= NONNEG and self.sign(x) <= POS
        if isinstance(e, sp.log):
            return self.sign(e.args[0]) <= POS
        if isinstance(e, (sp.exp, sp.Abs, sp.Max, sp.Min, sp.atan, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh,
                          sp.floor, sp.ceiling)):
            return True
        if isinstance(e, (sp.asin, sp.acos)):
            enc = self.enclose(e.args[0])
            return enc.a >= -1 and enc.b <= 1
        if isinstance(e, sp.gamma):
            return self.sign(e.args[0]) <= POS
        return False

    def side_conditions(self, e: sp.Expr) -> list[tuple[sp.Expr, Sign]]:
        """Conditions (term, required sign set) that make ``e`` defined, for the ones this calculus could
        not establish; an empty list means ``defined(e)`` holds."""
        out: list[tuple[sp.Expr, Sign]] = []
        for node in sp.preorder_traversal(e):
            if not isinstance(node, sp.Expr):
                continue
            if node.is_Pow:
                b, x = node.args
                if x.is_Integer:
                    if int(x) < 0 and 0 in self.sign(b):
                        out.append((b, NONZERO))
                elif not self.sign(b) <= POS:
                    if self.sign(x) <= POS:
                        if not self.sign(b) <= NONNEG:
                            out.append((b, NONNEG))
                    else:
                        out.append((b, POS))
            elif isinstance(node, sp.log) and not self.sign(node.args[0]) <= POS:
                out.append((node.args[0], POS))
            elif isinstance(node, sp.gamma) and not self.sign(node.args[0]) <= POS:
                out.append((node.args[0], POS))
            elif isinstance(node, (sp.asin, sp.acos, sp.tan, sp.acosh, sp.atanh)) or (
                    isinstance(node, sp.Function) and not isinstance(
                        node, (sp.exp, sp.log, sp.Abs, sp.Max, sp.Min, sp.atan, sp.sin, sp.cos, sp.sinh, sp.cosh,
                               sp.tanh, sp.floor, sp.ceiling, sp.gamma))):
                if not self.defined(node):
                    out.append((node, frozenset()))  # cannot be discharged
        # deduplicate
        seen = set()
        uniq = []
        for t in out:
            if t not in seen:
                seen.add(t)
                uniq.append(t)
        return uniq

    # ------------------------------------------------------------------ monotonicity
    def monotone(self, e: sp.Expr, x: sp.Symbol) -> Sign:
        """Superset of the signs of ``e(y) - e(x')`` over ``x' < y`` in the box (other symbols fixed).

        ``{1}``: strictly increasing; ``{0, 1}``: nondecreasing; ``{0}``: constant; and so on.
        """
        if x not in e.free_symbols:
            return ZERO
        if e == x:
            return POS
        if e.is_Add:
            out = ZERO
            for a in e.args:
                out = sign_add(out, self.monotone(a, x))
                if out == ANY:
                    break
            return out
        if e.is_Mul:
            # discrete product rule, folded left: Δ(fg) = Δf·g(y) + f(x)·Δg
            f, rest = e.args[0], sp.Mul(*e.args[1:])
            df, dg = self.monotone(f, x), self.monotone(rest, x)
            return sign_add(sign_mul(df, self.sign(rest)), sign_mul(self.sign(f), dg))
        if e.is_Pow:
            b, p = e.args
            db, dp = self.monotone(b, x), self.monotone(p, x)
            if dp == ZERO:
                sb = self.sign(b)
                if p.is_Integer:
                    k = int(p)
                    if k == 0:
                        return ZERO
                    if k > 0 and k % 2 == 1:
                        return db  # odd powers are strictly increasing on R
                    if sb <= NONNEG and k > 0:
                        return db
                    if sb <= POS and k < 0:
                        return sign_neg(db)
                    if sb <= NONPOS and k > 0:
                        return sign_neg(db)
                    if sb <= NEG and k < 0:
                        return db if k % 2 == 0 else sign_neg(db)
                    return ANY if db != ZERO else ZERO
                sp_ = self.sign(p)
                if sp_ <= POS and sb <= NONNEG:
                    return db
                if sp_ <= NEG and sb <= POS:
                    return sign_neg(db)
                if sp_ == ZERO:
                    return ZERO
                return ANY
            if db == ZERO:
                # b**p = exp(p log b) with b constant in x
                if self.sign(b) <= POS:
                    return sign_mul(self.sign(sp.log(b)), dp)
                return ANY
            if self.sign(b) <= POS:
                # b**p = exp(p log b): Δ(p log b) = Δp·log b(y) + p(x)·Δ(log b), and Δ(log b) has the sign of Δb
                return sign_add(sign_mul(dp, self.sign(sp.log(b))), sign_mul(self.sign(p), db))
            return ANY
        if isinstance(e, sp.log):
            if self.sign(e.args[0]) <= POS:
                return self.monotone(e.args[0], x)
            return ANY
        if isinstance(e, sp.exp):
            return self.monotone(e.args[0], x)
        if isinstance(e, (sp.atan, sp.sinh, sp.tanh)):
            return self.monotone(e.args[0], x)
        if isinstance(e, sp.Abs):
            s = self.sign(e.args[0])
            d = self.monotone(e.args[0], x)
            if s <= NONNEG:
                return d
            if s <= NONPOS:
                return sign_neg(d)
            return ANY if d != ZERO else ZERO
        if isinstance(e, (sp.Max, sp.Min)):
            return _common([self.monotone(a, x) for a in e.args])
        if isinstance(e, (sp.floor, sp.ceiling)):
            d = self.monotone(e.args[0], x)
            if d <= NONNEG:
                return NONNEG
            if d <= NONPOS:
                return NONPOS
            return ANY
        return ANY
