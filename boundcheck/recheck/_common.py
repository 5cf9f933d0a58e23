"""Shared pieces of the re-checker: the claim's goal and domain re-derived from the spec, and a small
rigorous interval evaluator (mpmath ``iv``) that does not use the prover's code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import mpmath
import sympy as sp
from mpmath import iv

from ..spec import Claim, Problem

__all__ = ["Goal", "goal_of", "Bounds", "domain_bounds", "interval", "CheckFailed", "CheckUnsupported",
           "sign_of_interval"]

POS, NEG, ZERO = frozenset({1}), frozenset({-1}), frozenset({0})
NONNEG, NONPOS, ANY = frozenset({0, 1}), frozenset({-1, 0}), frozenset({-1, 0, 1})


class CheckFailed(Exception):
    """A certificate that does not check; the message says why."""


class CheckUnsupported(CheckFailed):
    """The re-checker cannot replay this step (a function it does not evaluate): not re-checked, not wrong."""


@dataclass(frozen=True)
class Goal:
    """``g rel 0`` with rel one of ``ge``, ``gt``, ``eq``."""

    g: sp.Expr
    rel: str


def goal_of(claim: Claim, derivative: str | None = None) -> Goal:
    """The goal of a claim, re-derived from its kind and expressions (``derivative``: the claim is
    monotone and its obligation is about the derivative in that variable)."""
    k = claim.kind
    if derivative is not None:
        if k not in ("increasing", "decreasing", "nondecreasing", "nonincreasing"):
            raise CheckFailed(f"a derivative obligation for a claim of kind {k}")
        x = next(s for s in claim.expr.free_symbols if s.name == derivative) if any(
            s.name == derivative for s in claim.expr.free_symbols) else sp.Symbol(derivative)
        fp = sp.diff(claim.expr, x)
        g = fp if k in ("increasing", "nondecreasing") else -fp
        return Goal(g, "gt" if k in ("increasing", "decreasing") else "ge")
    if k == "nonnegative":
        return Goal(claim.expr, "ge")
    if k == "positive":
        return Goal(claim.expr, "gt")
    if k == "le":
        return Goal(claim.rhs - claim.lhs, "ge")
    if k == "lt":
        return Goal(claim.rhs - claim.lhs, "gt")
    if k == "eq":
        return Goal(claim.lhs - claim.rhs, "eq")
    raise CheckFailed(f"claims of kind {k} have no sign goal")


@dataclass(frozen=True)
class Bounds:
    lo: sp.Expr | None
    hi: sp.Expr | None
    lo_open: bool
    hi_open: bool
    integer: bool


def domain_bounds(problem: Problem, claim: Claim) -> dict[sp.Symbol, Bounds]:
    """Per-symbol bounds: the spec's domains tightened by assumptions of the form ``x >= c`` (others are
    left out, which only widens the domain)."""
    out = {s.sym: Bounds(s.lo, s.hi, bool(s.lo_open), bool(s.hi_open), s.is_integer) for s in problem.symbols}
    for h in tuple(problem.assumptions) + tuple(claim.assume):
        for r in (h.args if isinstance(h, sp.And) else (h,)):
            if not isinstance(r, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
                continue
            lhs, rhs = r.lhs, r.rhs
            strict = isinstance(r, (sp.StrictLessThan, sp.StrictGreaterThan))
            upper = isinstance(r, (sp.StrictLessThan, sp.LessThan))
            if isinstance(rhs, sp.Symbol) and lhs.is_number:
                lhs, rhs, upper = rhs, lhs, not upper
            if not (isinstance(lhs, sp.Symbol) and rhs.is_number and lhs in out):
                continue
            b = out[lhs]
            if upper and (b.hi is None or bool(rhs < b.hi) or (bool(sp.Eq(rhs, b.hi)) and strict)):
                out[lhs] = Bounds(b.lo, rhs, b.lo_open, strict, b.integer)
            if not upper and (b.lo is None or bool(rhs > b.lo) or (bool(sp.Eq(rhs, b.lo)) and strict)):
                out[lhs] = Bounds(rhs, b.hi, strict, b.hi_open, b.integer)
    return out


def _const(x: sp.Expr):
    if x.is_Integer:
        return iv.mpf(int(x))
    if x.is_Rational:
        return iv.mpf(int(x.p)) / iv.mpf(int(x.q))
    if x is sp.pi:
        return iv.pi
    if x is sp.E:
        return iv.e
    if x.is_Float:
        return iv.mpf(mpmath.mpf(x))
    if x is sp.oo:
        return iv.mpf("inf")
    if x is sp.S.NegativeInfinity:
        return iv.mpf("-inf")
    raise CheckFailed(f"no enclosure for the constant {x}")


def interval(e: sp.Expr, env: Mapping[sp.Symbol, object], dps: int = 40, positive: frozenset = frozenset()):
    """A rigorous interval containing every value of ``e`` when each symbol ranges over ``env[symbol]``
    (an ``iv.mpf``); ``positive`` names symbols known to be > 0 (an open lower end at 0, which a closed
    interval cannot say). Raises CheckFailed where the expression may be undefined."""
    old = iv.dps
    iv.dps = dps
    try:
        return _iv(e, _Env(env, positive))
    except (ZeroDivisionError, ValueError, TypeError, OverflowError) as err:
        raise CheckFailed(f"cannot enclose {e}: {err}") from err
    finally:
        iv.dps = old


class _Env(dict):
    def __init__(self, env, positive) -> None:
        super().__init__(env)
        self.positive = positive


def _iv(e: sp.Expr, env):
    if e.is_Symbol:
        if e not in env:
            raise CheckFailed(f"symbol {e} has no domain")
        return env[e]
    if e.is_number and e.is_Atom:
        return _const(e)
    if e.is_Add:
        out = iv.mpf(0)
        for a in e.args:
            out = out + _iv(a, env)
        return out
    if e.is_Mul:
        out = iv.mpf(1)
        for a in e.args:
            out = out * _iv(a, env)
        return out
    if e.is_Pow:
        b, p = e.args
        B = _iv(b, env)
        if p.is_Integer:
            k = int(p)
            if k >= 0:
                return B ** k
            if B.a <= 0 <= B.b:
                if b in env.positive and B.b > 0:
                    return iv.mpf([(iv.mpf(1) / iv.mpf(B.b) ** (-k)).a, "inf"])
                raise CheckFailed(f"{b} may be 0 in {e}")
            return iv.mpf(1) / B ** (-k)
        P = _iv(p, env)
        if B.a > 0:
            return iv.exp(iv.log(B) * P)
        if b in env.positive and B.b > 0 and B.a >= 0:
            # b in (0, B.b]: b**P for P of one sign is monotone in b, unbounded on one side
            top = iv.exp(iv.log(iv.mpf(B.b)) * P)
            if P.a > 0:
                return iv.mpf([0, top.b])
            if P.b < 0:
                return iv.mpf([top.a, "inf"])
            raise CheckFailed(f"the exponent of {e} may be 0 or change sign")
        if B.a >= 0 and P.a > 0:
            if B.b == 0:
                return iv.mpf(0)
            top = iv.exp(iv.log(iv.mpf(B.b)) * (P.a if B.b <= 1 else P.b)).b
            return iv.mpf([0, max(top, mpmath.mpf(1)) if B.b > 1 else top])
        raise CheckFailed(f"the base of {e} may be negative")
    if isinstance(e, sp.exp):
        return iv.exp(_iv(e.args[0], env))
    if isinstance(e, sp.log):
        A = _iv(e.args[0], env)
        if not A.a > 0:
            if e.args[0] in env.positive and A.b > 0:
                return iv.mpf(["-inf", iv.log(iv.mpf(A.b)).b])
            raise CheckFailed(f"the argument of {e} may be <= 0")
        return iv.log(A)
    if isinstance(e, sp.Abs):
        A = _iv(e.args[0], env)
        if A.a >= 0:
            return A
        if A.b <= 0:
            return -A
        return iv.mpf([0, max(-A.a, A.b)])
    if isinstance(e, (sp.Max, sp.Min)):
        parts = [_iv(a, env) for a in e.args]
        if isinstance(e, sp.Max):
            return iv.mpf([max(p.a for p in parts), max(p.b for p in parts)])
        return iv.mpf([min(p.a for p in parts), min(p.b for p in parts)])
    if isinstance(e, sp.atan):
        A = _iv(e.args[0], env)
        # atan is increasing: its values at the ends, widened by far more than mpmath's rounding error
        with mpmath.workprec(iv.prec + 20):
            eps = mpmath.mpf(2) ** (-iv.prec + 4)
            lo = mpmath.atan(A.a) - eps if mpmath.isfinite(A.a) else -mpmath.pi / 2 - eps
            hi = mpmath.atan(A.b) + eps if mpmath.isfinite(A.b) else mpmath.pi / 2 + eps
        return iv.mpf([lo, hi])
    if isinstance(e, (sp.sin, sp.cos)):
        A = _iv(e.args[0], env)
        if mpmath.isfinite(A.a) and mpmath.isfinite(A.b) and A.b - A.a < 100:
            return (iv.sin if isinstance(e, sp.sin) else iv.cos)(A)
        return iv.mpf([-1, 1])
    raise CheckUnsupported(f"the re-checker does not evaluate {type(e).__name__}")


def sign_of_interval(A) -> frozenset:
    if A.a > 0:
        return POS
    if A.b < 0:
        return NEG
    if A.a == 0 == A.b:
        return ZERO
    if A.a >= 0:
        return NONNEG
    if A.b <= 0:
        return NONPOS
    return ANY
