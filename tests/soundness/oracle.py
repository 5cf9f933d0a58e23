"""An independent judge for claims at points: exact sympy substitution, then mpmath at 50 digits.

Used by the catalogue self-check (to establish ground truth without the prover) and by the soundness
tests (to re-check the prover's witnesses). It shares nothing with ``boundcheck.prove``: it only uses
the parsed Problem (symbols, domains, claim expressions) and evaluates expressions itself.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

import mpmath
import sympy as sp

from boundcheck.parse import parse_number
from boundcheck.spec import Claim, Problem, Symbol, problem_from_dict

__all__ = [
    "DIGITS", "build", "claim_symbols", "evaluate", "exact_point", "in_domain", "assumptions_hold",
    "relation_holds", "diff_sign", "pointwise_violated", "monotone_violated", "limit_value",
    "exponent_ratio_limit", "sample_point", "numeric_tail", "var_symbol", "check_witness", "search_violation",
]

DIGITS = 50
#: A difference smaller than this (at 50 digits) is treated as undecided, not as a sign.
TOL = mpmath.mpf(10) ** -40


def build(spec: Mapping[str, Any]) -> Problem:
    """The Problem of a spec dictionary."""
    return problem_from_dict(spec)


def claim_symbols(claim: Claim) -> set[str]:
    """Names of the symbols the claim (with its assumptions) depends on."""
    exprs: list[sp.Basic] = [e for e in (claim.expr, claim.lhs, claim.rhs, claim.value) if e is not None]
    exprs.extend(claim.assume)
    names: set[str] = set()
    for e in exprs:
        names |= {s.name for s in e.free_symbols}
    if claim.var:
        names.add(claim.var)
    return names


def exact_point(problem: Problem, values: Mapping[str, Any]) -> dict[sp.Symbol, sp.Expr]:
    """Map symbol names to exact sympy numbers (strings go through the safe parser)."""
    out: dict[sp.Symbol, sp.Expr] = {}
    for name, value in values.items():
        sym = problem.symbol(name).sym
        out[sym] = value if isinstance(value, sp.Expr) else to_number(str(value))
    return out


_PLAIN = re.compile(r"^\s*-?\d+(\s*/\s*\d+)?\s*$|^\s*-?\d*\.\d+([eE][-+]?\d+)?\s*$")


def to_number(text: str) -> sp.Expr:
    """An exact number from text: plain integers, fractions and decimals of any size directly, anything
    else (``sqrt(2)``, ``10**22``) through the safe parser."""
    if _PLAIN.match(text):
        return sp.Rational(text.replace(" ", ""))
    return parse_number(text)


def _contains(symbol: Symbol, value: sp.Expr) -> bool | None:
    """Domain membership decided exactly (None when sympy cannot order the numbers)."""
    if symbol.is_integer and value.is_integer is not True:
        return False
    checks = []
    if symbol.lo is not None:
        checks.append(value > symbol.lo if symbol.lo_open else value >= symbol.lo)
    if symbol.hi is not None:
        checks.append(value < symbol.hi if symbol.hi_open else value <= symbol.hi)
    for c in checks:
        if c == sp.false:
            return False
        if c != sp.true:
            return None
    return True


def in_domain(problem: Problem, point: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """Whether every given coordinate lies in its symbol's domain (integrality included)."""
    by_sym = {s.sym: s for s in problem.symbols}
    return all(_contains(by_sym[sym], value) is True for sym, value in point.items())


def _to_mpf(value: sp.Expr) -> mpmath.mpf:
    if isinstance(value, sp.Rational):
        return mpmath.mpf(value.p) / value.q
    return mpmath.mpmathify(str(sp.N(value, mpmath.mp.dps + 5)))


@functools.lru_cache(maxsize=4096)
def _compiled(expr: sp.Expr, syms: tuple[sp.Symbol, ...]) -> Any:
    return sp.lambdify(syms, expr, modules="mpmath")


def evaluate(expr: sp.Expr, point: Mapping[sp.Symbol, sp.Expr], digits: int = DIGITS) -> mpmath.mpf:
    """The value of ``expr`` at ``point`` computed by mpmath at ``digits`` significant digits (plus guard
    digits). Raises ValueError when the value is undefined or not real."""
    expr = sp.sympify(expr, strict=True)
    syms = sorted(expr.free_symbols, key=str)
    missing = [s for s in syms if s not in point]
    if missing:
        raise ValueError(f"point leaves free symbols {missing} in {expr}")
    with mpmath.workdps(digits + 10):
        f = _compiled(expr, tuple(syms))
        try:
            out = f(*(_to_mpf(sp.sympify(point[s])) for s in syms))
        except (ZeroDivisionError, ValueError) as err:
            raise ValueError(f"{expr} is undefined at {point}: {err}") from err
        if isinstance(out, mpmath.mpc):
            if abs(out.imag) > TOL:
                raise ValueError(f"{expr} is not real at {point}")
            out = out.real
        out = mpmath.mpf(out)
        if not mpmath.isfinite(out):
            raise ValueError(f"{expr} is not finite at {point}")
        return out


def _sign(diff: mpmath.mpf) -> int | None:
    """Sign of a 50-digit difference, None when it is within TOL of 0."""
    if abs(diff) <= TOL:
        return None
    return 1 if diff > 0 else -1


def diff_sign(expr: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> int | None:
    """Sign of ``expr`` at ``point``: exact when substitution gives a rational or sympy proves it zero,
    else from 50 digits; None when it is within 1e-40 of 0 and not provably 0."""
    s = _sign(evaluate(expr, point))
    if s is not None:
        return s
    value = sp.sympify(expr, strict=True).subs(point)
    if value.is_Rational:
        return int(sp.sign(value))
    if value.equals(0) is True:
        return 0
    return None


_REL_SIGNS = {
    sp.StrictLessThan: lambda s: s < 0, sp.LessThan: lambda s: s <= 0,
    sp.StrictGreaterThan: lambda s: s > 0, sp.GreaterThan: lambda s: s >= 0,
    sp.Equality: lambda s: s == 0, sp.Unequality: lambda s: s != 0,
}


def relation_holds(rel: sp.Basic, point: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
    """Truth of a relation (or an And of relations) at a point; None when undecided at 50 digits."""
    if isinstance(rel, sp.And):
        parts = [relation_holds(a, point) for a in rel.args]
        if any(p is False for p in parts):
            return False
        return None if any(p is None for p in parts) else True
    if rel in (sp.true, sp.false):
        return bool(rel)
    test = _REL_SIGNS.get(type(rel))
    if test is None:
        raise TypeError(f"not a relation: {rel}")
    s = diff_sign(rel.args[0] - rel.args[1], point)
    return None if s is None else test(s)


def assumptions_hold(problem: Problem, claim: Claim, point: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
    """Whether the claim's assumptions and the spec's global assumptions hold at ``point``."""
    results = [relation_holds(rel, point) for rel in tuple(claim.assume) + tuple(problem.assumptions)]
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def pointwise_violated(claim: Claim, point: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
    """For le/lt/eq/nonnegative/positive: True when the claim fails at ``point`` (decided exactly or at
    50 digits), False when it holds, None when undecided (a difference within 1e-40 of 0)."""
    if claim.kind in ("le", "lt", "eq"):
        s = diff_sign(claim.lhs - claim.rhs, point)
    elif claim.kind in ("nonnegative", "positive"):
        s = diff_sign(-claim.expr, point)
    else:
        raise ValueError(f"not a pointwise claim: {claim.kind}")
    if s is None:
        return None
    if claim.kind in ("le", "nonnegative"):
        return s > 0
    if claim.kind in ("lt", "positive"):
        return s >= 0
    return s != 0


def var_symbol(problem: Problem, claim: Claim) -> sp.Symbol:
    """The sympy symbol of the claim's variable."""
    return problem.symbol(claim.var).sym


def monotone_violated(problem: Problem, claim: Claim, point: Mapping[sp.Symbol, sp.Expr], x1: sp.Expr,
                      x2: sp.Expr) -> bool | None:
    """For monotone kinds: True when the pair x1 < x2 of ``claim.var`` (other symbols at ``point``)
    violates the claim, False when it agrees, None when undecided."""
    if not bool(x1 < x2):
        raise ValueError("monotone witness needs x1 < x2")
    var = var_symbol(problem, claim)
    s = _sign(evaluate(claim.expr, {**point, var: x2}) - evaluate(claim.expr, {**point, var: x1}))
    if s is None:
        s = diff_sign(claim.expr.subs(var, x2) - claim.expr.subs(var, x1), point)
    if s is None:
        return None
    return {"increasing": s <= 0, "decreasing": s >= 0, "nondecreasing": s < 0, "nonincreasing": s > 0}[claim.kind]


def limit_value(expr: sp.Expr, var: sp.Symbol, at: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """sympy's limit of a parameter-free instance (params substituted): an input to compare, with a
    numeric cross-check done by the caller (see numeric_tail)."""
    f = sp.sympify(expr).subs(point)
    x = sp.Dummy("x", positive=True)
    f = f.subs(var, x)
    if at == sp.oo:
        return sp.limit(f, x, sp.oo)
    return sp.limit(f, x, at, dir="+")


def exponent_ratio_limit(expr: sp.Expr, var: sp.Symbol, value: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """lim expr / var**value as var -> oo at a parameter point (sympy)."""
    return limit_value(expr / var ** value, var, sp.oo, point)


def numeric_tail(expr: sp.Expr, var: sp.Symbol, point: Mapping[sp.Symbol, sp.Expr], xs: Sequence[str],
                 digits: int = 120) -> list[mpmath.mpf]:
    """Values of ``expr`` (params at ``point``) at the given exact ``var`` values, at ``digits`` digits."""
    out = []
    for x in xs:
        out.append(evaluate(expr, {**point, var: to_number(x)}, digits=digits))
    return out


def sample_point(problem: Problem, names: Sequence[str], rng: random.Random) -> dict[sp.Symbol, sp.Expr]:
    """A random exact point of the domains of ``names`` (boundary values are drawn often)."""
    out: dict[sp.Symbol, sp.Expr] = {}
    for name in names:
        s = problem.symbol(name)
        out[s.sym] = _sample_symbol(s, rng)
    return out


def _sample_symbol(s: Symbol, rng: random.Random) -> sp.Expr:
    lo, hi = s.lo, s.hi
    for _ in range(200):
        r = rng.random()
        if lo is not None and hi is not None:
            if r < 0.15:
                v = lo
            elif r < 0.3:
                v = hi
            else:
                v = lo + (hi - lo) * sp.Rational(rng.randrange(1, 10 ** 6), 10 ** 6)
        elif lo is not None:
            v = lo if r < 0.15 else lo + sp.Rational(round(10 ** rng.uniform(-3, 4) * 10 ** 4), 10 ** 4)
        elif hi is not None:
            v = hi if r < 0.15 else hi - sp.Rational(round(10 ** rng.uniform(-3, 4) * 10 ** 4), 10 ** 4)
        else:
            v = sp.Rational(round(rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 3) * 10 ** 4), 10 ** 4)
        if s.is_integer:
            v = sp.ceiling(v) if rng.random() < 0.5 else sp.floor(v)
            if r < 0.5 and lo is not None:  # small integers matter most
                v = sp.ceiling(lo) + rng.randrange(0, 6)
        v = sp.Rational(v)
        if _contains(s, v):
            return v
    raise ValueError(f"could not sample the domain of {s.name}")


def _witness_values(problem: Problem, claim: Claim, witness: Any) -> tuple[dict[sp.Symbol, sp.Expr], tuple | None]:
    """The witness point as exact values; for monotone claims also the pair (x1, x2) of the variable,
    which the prover reports as ``<var>_1`` and ``<var>_2``."""
    raw = dict(witness.point)
    pair = None
    if claim.kind in ("increasing", "decreasing", "nondecreasing", "nonincreasing"):
        a, b = raw.pop(f"{claim.var}_1", None), raw.pop(f"{claim.var}_2", None)
        if a is None or b is None:
            raise ValueError(f"monotone witness without {claim.var}_1/{claim.var}_2: {witness.point}")
        pair = (to_number(a), to_number(b))
        if pair[0] > pair[1]:
            pair = (pair[1], pair[0])
    return exact_point(problem, raw), pair


def check_witness(problem: Problem, claim: Claim, witness: Any) -> str | None:
    """Re-check a prover's witness independently. Returns None when the witness is confirmed (in the
    domain, integrality and assumptions respected, claim violated at 50 digits / at the stated parameter
    point), else a message saying what is wrong."""
    try:
        point, pair = _witness_values(problem, claim, witness)
    except (ValueError, KeyError) as err:
        return f"unreadable witness: {err}"
    needed = claim_symbols(claim)
    given = {s.name for s in point}
    if not in_domain(problem, point):
        return f"witness {witness.point} lies outside the domain"
    kind = claim.kind
    try:
        if kind in ("le", "lt", "eq", "nonnegative", "positive"):
            if not needed <= given:
                return f"witness misses {needed - given}"
            if assumptions_hold(problem, claim, point) is not True:
                return "assumptions do not (provably) hold at the witness"
            return None if pointwise_violated(claim, point) is True else "claim not violated at 50 digits"
        if pair is not None:
            if not needed - {claim.var} <= given:
                return f"witness misses {needed - {claim.var} - given}"
            var = var_symbol(problem, claim)
            if pair[0] == pair[1]:
                return "monotone witness with x1 == x2"
            for x in pair:
                full = {**point, var: x}
                if not in_domain(problem, full):
                    return f"{claim.var} = {x} lies outside the domain"
                if assumptions_hold(problem, claim, full) is not True:
                    return f"assumptions do not (provably) hold at {claim.var} = {x}"
            return None if monotone_violated(problem, claim, point, *pair) is True else "pair does not violate"
        var = var_symbol(problem, claim)
        if not needed - {claim.var} <= given:
            return f"witness misses {needed - {claim.var} - given}"
        rels = [r for r in tuple(claim.assume) + tuple(problem.assumptions) if var not in r.free_symbols]
        if any(relation_holds(r, point) is not True for r in rels):
            return "assumptions do not (provably) hold at the witness"
        if kind == "limit":
            got = limit_value(claim.expr, var, claim.at, point)
            if sp.simplify(got - claim.value.subs(point)) == 0:
                return f"the limit at the witness is {got}, as claimed"
            far = (["10**30", "10**60"] if claim.at == sp.oo
                   else [f"({claim.at}) + 10**(-30)", f"({claim.at}) + 10**(-60)"])
            values = numeric_tail(claim.expr, var, point, far)
            claimed = evaluate(claim.value.subs(point), {}, digits=120)
            if not all(abs(v - claimed) > mpmath.mpf("1e-3") for v in values):
                return "numerically the expression approaches the claimed limit"
            return None
        if kind == "exponent":
            ratio = exponent_ratio_limit(claim.expr, var, claim.value, point)
            if ratio not in (0, sp.oo):
                return f"ratio to {var}**value tends to {ratio}: Theta holds at the witness"
            return None
    except ValueError as err:
        return f"cannot evaluate at the witness: {err}"
    return f"unknown kind {kind}"


def _sample_satisfying(problem: Problem, claim: Claim, names: Sequence[str], rng: random.Random,
                       base: Mapping[sp.Symbol, sp.Expr] | None = None, params_only: bool = False
                       ) -> dict[sp.Symbol, sp.Expr] | None:
    """A random point of the domains of ``names`` (on top of ``base``) where the assumptions that can be
    evaluated there hold; None after many failed draws."""
    for _ in range(300):
        point = {**(base or {}), **sample_point(problem, names, rng)}
        rels = tuple(claim.assume) + tuple(problem.assumptions)
        if params_only:
            rels = tuple(r for r in rels if r.free_symbols <= set(point))
            if all(relation_holds(r, point) is True for r in rels):
                return point
            continue
        try:
            if assumptions_hold(problem, claim, point) is True:
                return point
        except ValueError:
            continue
    return None


def search_violation(problem: Problem, claim: Claim, seed: int | str = 0, samples: int = 200) -> str | None:
    """Look for a point (a pair, a parameter point) where the claim fails, checked at 50 digits (limits and
    exponents: with sympy's limit at that parameter point). Returns a description of the violation found,
    or None. Only ever used to catch a wrong PROVED: finding nothing proves nothing."""
    rng = random.Random(seed)
    names = sorted(claim_symbols(claim))
    if claim.kind in ("limit", "exponent"):
        var = var_symbol(problem, claim)
        params = [n for n in names if n != claim.var]
        for _ in range(4 if params else 1):
            point = _sample_satisfying(problem, claim, params, rng, params_only=True)
            if point is None:
                return None
            try:
                if claim.kind == "limit":
                    got = limit_value(claim.expr, var, claim.at, point)
                    if sp.simplify(got - claim.value.subs(point)) != 0 and got.is_comparable is not False:
                        return f"at {point} the limit is {got}, not {claim.value.subs(point)}"
                else:
                    ratio = exponent_ratio_limit(claim.expr, var, claim.value, point)
                    if ratio in (0, sp.oo, -sp.oo) or ratio.is_negative:
                        return f"at {point} expr/{var}**value tends to {ratio}"
            except (ValueError, NotImplementedError):
                continue
        return None
    for _ in range(samples):
        point = _sample_satisfying(problem, claim, names, rng)
        if point is None:
            return None
        try:
            if claim.kind in ("le", "lt", "eq", "nonnegative", "positive"):
                if pointwise_violated(claim, point) is True:
                    return f"violated at {point}"
                continue
            var = var_symbol(problem, claim)
            other = _sample_satisfying(problem, claim, [claim.var], rng, base=point)
            if other is None:
                continue
            x1, x2 = sorted((point[var], other[var]))
            if x1 == x2:
                continue
            if monotone_violated(problem, claim, point, x1, x2) is True:
                return f"pair {claim.var} = {x1} < {x2} violates {claim.kind} at {point}"
        except ValueError:
            continue
    return None
