"""sympy -> z3 encoding (rung b), sound for proofs.

The encoding over-approximates: every constraint it adds holds for the true values of the expression,
so an ``unsat`` answer proves the claim. Rules:

* ``x**(p/q)``: a fresh ``u >= 0`` with ``u**q == x**p`` (``u**q * x**|p| == 1`` for negative p);
* ``1/x``: a fresh ``v`` with ``v * x == 1``;
* ``log(u)``: a fresh ``L`` bounded by tangent lines of the concave log at several centres c
  (``L <= log c + u/c - 1``, ``L >= log c + 1 - c/u``) and the sharper ``2(y-1)/(y+1)`` bounds, the
  constants ``log c`` replaced by rational enclosures (MetiTarski-style rational bounds);
* ``exp(u)``: a fresh ``E > 0`` with Taylor lower bounds ``E >= e^c T3(u - c)`` (the degree-4 remainder is
  nonnegative) and upper bounds ``E * T3(c - u) <= e^c`` where ``T3(c - u) > 0``;
* anything else (symbolic exponents, trigonometric functions, ...) is abstracted as a fresh variable
  bounded by its rigorous enclosure from the calculus: sound, possibly too weak.

Integer symbols are relaxed to reals: a proof over the reals covers the integers; a model is only a
candidate, confirmed or discarded by :mod:`boundcheck.prove.refute`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp
import z3

from ..errors import UnsupportedError
from ._exact import arb_ends, iv_bounds, outward
from .calculus import Calculus

__all__ = ["SmtResult", "check_goal"]


@dataclass(frozen=True)
class SmtResult:
    """status: 'unsat' (proved), 'sat' (candidate model), 'unknown' (timeout/incomplete)."""

    status: str
    smtlib: str
    model: dict[sp.Symbol, sp.Expr] | None = None
    reason: str = ""
    seconds: float = 0.0
    #: (fresh z3 variable, the sympy expression it stands for), for the proof object and the re-checker
    definitions: tuple[tuple[str, sp.Expr], ...] = ()


#: z3 takes constants as decimal text; longer ones (10**(10**6)) are not encoded (Python's int-to-text limit is
#: 4,300 digits by default).
MAX_CONSTANT_BITS = 12_000


def _rat_bounds(value: Fraction, digits: int = 15) -> tuple[sp.Rational, sp.Rational]:
    """Rationals lo <= value <= hi, multiples of 10**-digits (of 1 past 10**30), computed exactly."""
    if abs(value) > 10 ** 30:
        digits = 0
    lo, hi = outward(value, False, digits), outward(value, True, digits)
    return sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator)


def _ball_bounds(c: sp.Rational, fn: str, digits: int = 15) -> tuple[sp.Rational, sp.Rational]:
    """Rational bounds of log(c) or exp(c) from an arb ball (rigorous, unlike a value rounded to nearest)."""
    from flint import arb, ctx

    old = ctx.prec
    ctx.prec = 160
    try:
        ball = getattr(arb(int(c.p)) / arb(int(c.q)), fn)()
        if not ball.is_finite():
            raise OverflowError(f"{fn}({c}) is too large to bound")
        lo, hi = arb_ends(ball)
    finally:
        ctx.prec = old
    return _rat_bounds(lo, digits)[0], _rat_bounds(hi, digits)[1]


def _log_bounds(c: sp.Rational) -> tuple[sp.Rational, sp.Rational]:
    if c == 1:
        return sp.Integer(0), sp.Integer(0)
    return _ball_bounds(c, "log")


def _exp_bounds(c: sp.Rational) -> tuple[sp.Rational, sp.Rational]:
    if c == 0:
        return sp.Integer(1), sp.Integer(1)
    if abs(c) > 2000:  # exp(c) is past 10**868: its bounds would be rationals of unbounded size
        raise OverflowError(f"exp({c}) is too large to bound")
    lo, hi = _ball_bounds(c, "exp")
    if lo <= 0:
        lo = sp.Rational(0)
    return lo, hi


class Encoder:
    """Walks a sympy tree and builds z3 terms in one context, collecting side constraints."""

    def __init__(self, ctx: z3.Context, calculus: Calculus, symbols: Sequence[sp.Symbol],
                 integers: Sequence[sp.Symbol] = ()) -> None:
        self.ctx = ctx
        self.calc = calculus
        ints = set(integers)
        self.vars = {s: (z3.ToReal(z3.Int(s.name, ctx)) if s in ints else z3.Real(s.name, ctx)) for s in symbols}
        self.side: list[z3.BoolRef] = []
        self.cache: dict[sp.Basic, z3.ArithRef] = {}
        self.logs: list[tuple[sp.Expr, z3.ArithRef, z3.ArithRef]] = []
        self.exps: list[tuple[sp.Expr, z3.ArithRef, z3.ArithRef]] = []
        self.atoms: list[str] = []
        self.defs: dict[str, sp.Expr] = {}
        self._fresh = 0

    def fresh(self, prefix: str) -> z3.ArithRef:
        self._fresh += 1
        return z3.Real(f"{prefix}!{self._fresh}", self.ctx)

    def num(self, r: sp.Rational) -> z3.ArithRef:
        if max(int(r.p).bit_length(), int(r.q).bit_length()) > MAX_CONSTANT_BITS:
            raise UnsupportedError(f"a constant of more than {MAX_CONSTANT_BITS * 3 // 10} digits")
        return z3.RealVal(f"{r.p}/{r.q}", self.ctx) if r.q != 1 else z3.RealVal(str(r.p), self.ctx)

    def encode(self, e: sp.Expr) -> z3.ArithRef:
        if e in self.cache:
            return self.cache[e]
        out = self._encode(e)
        self.cache[e] = out
        if z3.is_const(out) and "!" in str(out) and str(out) not in self.defs:
            self.defs[str(out)] = e
        return out

    def _bounded_atom(self, e: sp.Expr, prefix: str) -> z3.ArithRef:
        a = self.fresh(prefix)
        enc = self.calc.enclose(e)
        # exact ends (mpmath.mpf(enc.a) would round them to nearest at 53 bits, inside the enclosure); a huge
        # end is clamped towards 0 (lo >= 1e1000 still gives a >= 1e1000), which only weakens the constraint
        lo, hi = iv_bounds(enc)
        if lo is not None:
            self.side.append(a >= self.num(_rat_bounds(lo, 12)[0]))
        if hi is not None:
            self.side.append(a <= self.num(_rat_bounds(hi, 12)[1]))
        s = self.calc.sign(e)
        if s <= frozenset({1}):
            self.side.append(a > 0)
        elif s <= frozenset({0, 1}):
            self.side.append(a >= 0)
        elif s <= frozenset({-1}):
            self.side.append(a < 0)
        elif s <= frozenset({-1, 0}):
            self.side.append(a <= 0)
        self.atoms.append(str(e))
        return a

    def _encode(self, e: sp.Expr) -> z3.ArithRef:
        if e.is_Rational:
            return self.num(e)
        if e.is_Float:
            return self.num(sp.Rational(str(e)))
        if e.is_Symbol:
            if e in self.vars:
                return self.vars[e]
            raise UnsupportedError(f"free symbol {e} has no domain")
        if e.is_number and not e.is_Rational:
            # an exact constant (pi, log(2), sqrt(2), ...): a fresh variable in its rigorous enclosure
            return self._bounded_atom(e, "const")
        if e.is_Add:
            return z3.Sum([self.encode(a) for a in e.args]) if len(e.args) > 1 else self.encode(e.args[0])
        if e.is_Mul:
            out = self.encode(e.args[0])
            for a in e.args[1:]:
                out = out * self.encode(a)
            return out
        if e.is_Pow:
            b, p = e.args
            if p.is_Integer:
                k = int(p)
                if k == 0:
                    return self.num(sp.Integer(1))
                base = self.encode(b)
                if k > 0:
                    return base ** k if k > 1 else base
                v = self.fresh("inv")
                self.side.append(v * (base ** (-k) if k < -1 else base) == 1)
                return v
            if p.is_Rational:
                base = self.encode(b)
                q, num = p.q, p.p
                u = self.fresh("root")
                if num > 0:
                    self.side.append(u >= 0)
                    self.side.append(base >= 0)
                    self.side.append(u ** q == (base ** num if num > 1 else base))
                else:
                    self.side.append(u > 0)
                    self.side.append(base > 0)
                    self.side.append(u ** q * (base ** (-num) if num < -1 else base) == 1)
                return u
            return self._bounded_atom(e, "pow")
        if isinstance(e, sp.log):
            arg = self.encode(e.args[0])
            L = self.fresh("log")
            self.defs[str(L)] = e
            self.side.append(arg > 0)
            self.logs.append((e.args[0], arg, L))
            self._log_constraints(e.args[0], arg, L)
            return L
        if isinstance(e, sp.exp):
            arg = self.encode(e.args[0])
            E = self.fresh("exp")
            self.side.append(E > 0)
            self.exps.append((e.args[0], arg, E))
            self._exp_constraints(e.args[0], arg, E)
            return E
        if isinstance(e, sp.Abs):
            a = self.encode(e.args[0])
            return z3.If(a >= 0, a, -a)
        if isinstance(e, (sp.Max, sp.Min)):
            args = [self.encode(a) for a in e.args]
            out = args[0]
            for a in args[1:]:
                out = z3.If(a > out, a, out) if isinstance(e, sp.Max) else z3.If(a < out, a, out)
            return out
        return self._bounded_atom(e, "atom")

    # -- transcendental bounds
    def _centres(self, arg: sp.Expr, positive: bool) -> list[sp.Rational]:
        enc = self.calc.enclose(arg)
        lo, hi = mpmath.mpf(enc.a), mpmath.mpf(enc.b)
        if positive:
            base = [sp.Rational(1, 64), sp.Rational(1, 8), sp.Rational(1, 2), sp.Integer(1), sp.Integer(2),
                    sp.Integer(8), sp.Integer(64), sp.Integer(4096)]
            if mpmath.isfinite(lo) and mpmath.isfinite(hi) and lo > 0 and hi > lo:
                with mpmath.workdps(20):
                    pts = [lo * (hi / lo) ** (mpmath.mpf(i) / 5) for i in range(6)]
                return [sp.Rational(str(mpmath.nstr(p, 6))).limit_denominator(10 ** 6) for p in pts
                        if p > 0] or base
            return [c for c in base if (not mpmath.isfinite(lo) or c >= lo / 4) and
                    (not mpmath.isfinite(hi) or c <= hi * 4)] or base
        base = [sp.Integer(k) for k in (-8, -4, -2, -1, 0, 1, 2, 4, 8)]
        if mpmath.isfinite(lo) and mpmath.isfinite(hi) and hi > lo and hi - lo < 60:
            with mpmath.workdps(20):
                pts = [lo + (hi - lo) * mpmath.mpf(i) / 6 for i in range(7)]
            return [sp.Rational(str(mpmath.nstr(p, 6))).limit_denominator(10 ** 4) for p in pts]
        return [c for c in base if (not mpmath.isfinite(lo) or c >= lo - 1) and
                (not mpmath.isfinite(hi) or c <= hi + 1)] or [sp.Integer(0)]

    def exact_log_centres(self, goal: sp.Expr) -> None:
        """Tangents of log at constants c of the goal whose log is rational (c = e**k): a claim such as
        log(x) <= x/e is exactly the tangent at e, which no rational centre reproduces."""
        consts = {a for a in sp.preorder_traversal(goal) if isinstance(a, sp.exp) and a.args[0].is_Rational}
        if sp.E in goal.atoms(sp.NumberSymbol) or goal.has(sp.E):
            consts.add(sp.E)
        for c in consts:
            k = sp.log(c)
            if not k.is_Rational:
                continue
            cz = self.encode(c)
            inv_c = self.fresh("inv")
            self.defs[str(inv_c)] = 1 / c
            self.side.append(inv_c * cz == 1)
            # the true values satisfy every constraint below (cz is exactly c in the real world), so
            # unsat still proves the claim even though z3 only knows cz up to its rational enclosure
            for centre, inv_centre, lc in ((cz, inv_c, k), (inv_c, cz, -k)):
                for arg_s, arg, L in self.logs:
                    # log u <= log c + u/c - 1 and log u >= log c + 1 - c/u, with log c exact
                    w = self.fresh("rec")
                    self.defs[str(w)] = 1 / arg_s
                    self.side.append(w * arg == 1)
                    self.side.append(L <= self.num(lc) + arg * inv_centre - 1)
                    self.side.append(L >= self.num(lc) + 1 - centre * w)

    def _log_constraints(self, arg_s: sp.Expr, arg: z3.ArithRef, L: z3.ArithRef,
                         centres: Sequence[sp.Rational] | None = None) -> None:
        w = self.fresh("rec")
        if str(L) in self.defs:
            self.defs[str(w)] = 1 / self.defs[str(L)].args[0]
        self.side.append(w * arg == 1)
        for c in centres or self._centres(arg_s, True):
            if c <= 0:
                continue
            lo, hi = _log_bounds(c)
            cz = self.num(c)
            # concavity: tangent at c is above; log(y) >= 1 - 1/y gives the lower bound
            self.side.append(L <= self.num(hi) + arg / cz - 1)
            self.side.append(L >= self.num(lo) + 1 - cz * w)
            # log(y) >= 2(y-1)/(y+1) for y >= 1, <= for y <= 1, with y = u/c
            self.side.append(z3.Implies(arg >= cz, L * (arg + cz) >= self.num(lo) * (arg + cz) + 2 * (arg - cz)))
            self.side.append(z3.Implies(arg <= cz, L * (arg + cz) <= self.num(hi) * (arg + cz) + 2 * (arg - cz)))

    def _exp_constraints(self, arg_s: sp.Expr, arg: z3.ArithRef, E: z3.ArithRef,
                         centres: Sequence[sp.Rational] | None = None) -> None:
        for c in centres or self._centres(arg_s, False):
            if abs(c) > 2000:  # _exp_bounds refuses exp(c) past 10**868: no tangent there
                continue
            lo, hi = _exp_bounds(c)
            y = arg - self.num(c)
            t3 = 1 + y + y * y / 2 + y * y * y / 6
            self.side.append(E >= self.num(lo) * t3)
            ny = self.num(c) - arg
            t3n = 1 + ny + ny * ny / 2 + ny * ny * ny / 6
            self.side.append(z3.Implies(t3n > 0, E * t3n <= self.num(hi)))

    def monotone_axioms(self) -> None:
        """exp and log are strictly increasing: for every pair of exp (log) atoms, a smaller argument gives a
        smaller value (sound on its own; z3's tangent bounds alone cannot compare exp(x) with exp(y) for
        symbolic x < y)."""
        for atoms in (self.exps, self.logs):
            for i in range(len(atoms)):
                for j in range(i + 1, len(atoms)):
                    _, a1, v1 = atoms[i]
                    _, a2, v2 = atoms[j]
                    self.side.append(z3.Implies(a1 < a2, v1 < v2))
                    self.side.append(z3.Implies(a2 < a1, v2 < v1))
                    self.side.append(z3.Implies(a1 == a2, v1 == v2))

    def refine(self, model: z3.ModelRef) -> bool:
        """Add tangents at the model's values of log/exp arguments; True if anything was added."""
        added = False
        for _, arg, L in self.logs:
            v = model.eval(arg, model_completion=True)
            c = _model_rational(v)
            if c is not None and c > 0:
                self._log_constraints(sp.Integer(1), arg, L, [c])
                added = True
        for _, arg, E in self.exps:
            v = model.eval(arg, model_completion=True)
            c = _model_rational(v)
            if c is not None and abs(c) < 10 ** 6:
                self._exp_constraints(sp.Integer(0), arg, E, [c])
                added = True
        return added


def _model_rational(v: z3.ExprRef) -> sp.Rational | None:
    try:
        if z3.is_rational_value(v):
            return sp.Rational(v.numerator_as_long(), v.denominator_as_long()).limit_denominator(10 ** 6)
        if z3.is_algebraic_value(v):
            r = v.approx(12)
            return sp.Rational(r.numerator_as_long(), r.denominator_as_long()).limit_denominator(10 ** 6)
    except (z3.Z3Exception, AttributeError, ValueError):
        return None
    return None


def _encode_relation(enc: Encoder, r: sp.Basic) -> z3.BoolRef:
    if isinstance(r, sp.And):
        return z3.And([_encode_relation(enc, a) for a in r.args])
    if isinstance(r, sp.Or):
        return z3.Or([_encode_relation(enc, a) for a in r.args])
    if r is sp.true:
        return z3.BoolVal(True, enc.ctx)
    if r is sp.false:
        return z3.BoolVal(False, enc.ctx)
    lhs, rhs = enc.encode(r.lhs), enc.encode(r.rhs)
    if isinstance(r, sp.StrictLessThan):
        return lhs < rhs
    if isinstance(r, sp.LessThan):
        return lhs <= rhs
    if isinstance(r, sp.StrictGreaterThan):
        return lhs > rhs
    if isinstance(r, sp.GreaterThan):
        return lhs >= rhs
    if isinstance(r, sp.Eq):
        return lhs == rhs
    if isinstance(r, sp.Ne):
        return lhs != rhs
    raise UnsupportedError(f"relation {r} is not supported")


def check_goal(g: sp.Expr, *, strict: bool, equality: bool, symbols: Sequence[sp.Symbol],
               hypotheses: Sequence[sp.Basic], calculus: Calculus, timeout: float, refinements: int = 2,
               name: str = "claim", confirm=None, integers: Sequence[sp.Symbol] = (),
               nonzero: bool = False) -> SmtResult:
    """Try to prove ``g >= 0`` (``> 0`` if strict, ``== 0`` if equality, ``!= 0`` if nonzero) under
    ``hypotheses`` with z3.

    ``confirm(point) -> bool`` re-checks a candidate model exactly; an unconfirmed model triggers a
    refinement (more tangent bounds at the model's values) and another round.

    ``integers`` are encoded as z3 Ints (the default relaxes every symbol to a real, which is sound for
    proofs but gives non-integral models).

    Returns an SmtResult; 'unsat' means proved. Never raises on solver trouble: timeouts and solver
    errors come back as 'unknown' with the reason.

    Raises:
        UnsupportedError: the goal cannot be encoded at all.
    """
    import time

    start = time.monotonic()
    ctx = z3.Context()
    enc = Encoder(ctx, calculus, symbols, integers)
    hyps = [_encode_relation(enc, h) for h in hypotheses]
    gz = enc.encode(g)
    enc.exact_log_centres(g)
    enc.monotone_axioms()
    if nonzero:
        negated = gz == 0
    elif equality:
        negated = gz != 0
    elif strict:
        negated = gz <= 0
    else:
        negated = gz < 0
    rounds = 0
    while True:
        solver = z3.Solver(ctx=ctx)
        solver.set("timeout", max(1, int((timeout - (time.monotonic() - start)) * 1000)))
        for h in hyps + enc.side:
            solver.add(h)
        solver.add(negated)
        smtlib = f"; boundcheck obligation for {name}: unsat proves the claim\n" + solver.to_smt2()
        try:
            res = solver.check()
        except z3.Z3Exception as err:
            return SmtResult("unknown", smtlib, reason=f"z3 error: {err}", seconds=time.monotonic() - start)
        elapsed = time.monotonic() - start
        if res == z3.unsat:
            return SmtResult("unsat", smtlib, seconds=elapsed, definitions=tuple(enc.defs.items()))
        if res == z3.unknown:
            return SmtResult("unknown", smtlib, reason=f"z3: {solver.reason_unknown()}", seconds=elapsed)
        model = solver.model()
        point = {}
        for s, v in enc.vars.items():
            val = model.eval(v, model_completion=True)
            r = _model_rational(val)
            if r is not None:
                point[s] = r
        if confirm is not None and confirm(point):
            return SmtResult("sat", smtlib, model=point, reason="z3 model confirmed", seconds=elapsed)
        if rounds >= refinements or elapsed > timeout * 0.8 or not enc.refine(model):
            return SmtResult("sat", smtlib, model=point, reason="z3 found a candidate model", seconds=elapsed)
        rounds += 1
