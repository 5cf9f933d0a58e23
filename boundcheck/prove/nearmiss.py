"""A refuter for near-misses (the last refuting rung): claims false only in a small region, where random
sampling finds no violating point (0 of 300 random points fail).

It minimises ``g`` (the claim is ``g >= 0``, or ``g > 0``) by a pattern search from many starts, first in
floating point, then, from the best few minima, at 40 significant digits with mpmath (floating point
cancellation hides violations of size 1e-12 and also invents some). It only proposes: a point becomes a
witness only through :func:`boundcheck.prove.refute.confirm_point`, i.e. exact rational coordinates inside the
domain (integrality included) satisfying every assumption, and the violation certified by arb balls at
rising precision (:mod:`boundcheck.prove.certify`).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence

import sympy as sp

from ..spec import Symbol
from .refute import Goal, confirm_point
from .verdict import Witness

__all__ = ["search_nearmiss"]


def _bounds(s: Symbol) -> tuple[float, float]:
    lo = float(s.lo) if s.lo is not None else -1e8
    hi = float(s.hi) if s.hi is not None else 1e8
    return lo, hi


def _pattern(f: Callable[[list], float], x: list, los: list, his: list, steps: int, tiny: float,
             integer: list[bool]) -> tuple[list, float]:
    """Compass search for a local minimum of f from x inside the box."""
    def clip(y):
        out = []
        for v, lo, hi, isint in zip(y, los, his, integer):
            v = min(max(v, lo), hi)
            out.append(float(round(v)) if isint else v)
        return out

    x = clip(x)
    fx = f(x)
    step = [1.0 if isint else max(tiny * 1e3, 0.1 * min(hi - lo, 10.0 + abs(xi)))
            for xi, lo, hi, isint in zip(x, los, his, integer)]
    for _ in range(steps):
        improved = False
        for i in range(len(x)):
            for sgn in (1.0, -1.0):
                y = list(x)
                y[i] = y[i] + sgn * step[i]
                y = clip(y)
                fy = f(y)
                if fy < fx:
                    x, fx, improved = y, fy, True
                    break
        if not improved:
            reals = [st for st, isint in zip(step, integer) if not isint]
            if not reals or max(reals) < tiny:
                break
            step = [st / 2 if not isint else st for st, isint in zip(step, integer)]
    return x, fx


def search_nearmiss(goal: Goal, symbols: Sequence[Symbol], assume: Sequence[sp.Basic], *, seed: int = 0,
                    budget: float = 2.0, starts: int = 40) -> Witness | None:
    """A certified witness violating ``goal`` near a numerical minimum of ``g``, or None."""
    if goal.equality or not symbols:
        return None
    import mpmath

    deadline = time.monotonic() + budget
    syms = [s.sym for s in symbols]
    try:
        ff = sp.lambdify(syms, goal.g, modules="math")
        fm = sp.lambdify(syms, goal.g, modules="mpmath")
        hyp_fns = [sp.lambdify(syms, h.lhs - h.rhs, modules="math") for h in assume
                   if isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan))]
        hyp_kind = [isinstance(h, (sp.StrictLessThan, sp.LessThan)) for h in assume
                    if isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan))]
    except (TypeError, ValueError, SyntaxError, NameError):
        return None
    los = [_bounds(s)[0] for s in symbols]
    his = [_bounds(s)[1] for s in symbols]
    integer = [s.is_integer for s in symbols]

    def feasible(x) -> bool:
        try:
            return all((h(*x) <= 0) if le else (h(*x) >= 0) for h, le in zip(hyp_fns, hyp_kind))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return False

    def fl(x) -> float:
        if not feasible(x):
            return math.inf
        try:
            v = float(ff(*x))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.inf
        return v if math.isfinite(v) else math.inf

    def mp(x) -> float:
        if not feasible([float(v) for v in x]):
            return math.inf
        try:
            v = fm(*[mpmath.mpf(v) for v in x])
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.inf
        if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
            return math.inf
        return v

    rng = random.Random(seed)
    found: list[tuple[float, list]] = []
    for k in range(starts):
        if time.monotonic() > deadline:
            break
        x0 = []
        for lo, hi in zip(los, his):
            r = rng.random()
            if hi - lo <= 20:
                x0.append(rng.uniform(lo, hi) if r > 0.2 else rng.choice([lo, hi]))
            else:
                base = lo if lo > -1e8 else (hi if hi < 1e8 else 0.0)
                sign = 1.0 if lo > -1e8 else -1.0
                if lo <= -1e8 and hi >= 1e8:
                    sign = rng.choice([-1.0, 1.0])
                x0.append(base + sign * 10 ** rng.uniform(-6, 4))
        x, fx = _pattern(fl, x0, los, his, 200, 1e-13, integer)
        if math.isfinite(fx):
            found.append((fx, x))
    found.sort(key=lambda t: t[0])
    tried = set()
    for fx, x in found[:6]:
        if time.monotonic() > deadline:
            break
        key = tuple(round(v, 9) for v in x)
        if key in tried:
            continue
        tried.add(key)
        with mpmath.workdps(40):
            xm, vm = _pattern(mp, x, los, his, 120, 1e-30, integer)
        if not (vm < 0 or (goal.strict and vm <= 0)):
            continue
        for den in (None, 10 ** 12, 10 ** 6, 1000):
            point = {}
            for s, v in zip(symbols, xm):
                if s.is_integer:
                    point[s.sym] = sp.Integer(int(round(float(v))))
                elif den is None:
                    point[s.sym] = sp.Rational(str(mpmath.nstr(mpmath.mpf(v), 35)))
                else:
                    point[s.sym] = sp.Rational(str(mpmath.nstr(mpmath.mpf(v), 35))).limit_denominator(den)
            w = confirm_point(goal, symbols, assume, point)
            if w is not None:
                return w
    return None
