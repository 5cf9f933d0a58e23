"""Numeric refuter (rung d): searches for a violating point, then confirms it exactly.

The search runs in floating point (numpy) and can only propose candidates. A candidate becomes a
:class:`Witness` only after :func:`confirm_point` checks the exact rational point lies in the domain
(integrality included) and satisfies every assumption, and certifies the violation with ball arithmetic
at rising precision (:mod:`boundcheck.prove.certify`). Numeric code sees symbols under neutral names
(:func:`neutral`), so what a symbol is called never changes a value.
"""

from __future__ import annotations

import functools
import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from ..spec import Symbol
from .certify import Undecided, Undefined, certify_order, certify_relation, certify_violation, enclose
from .verdict import Witness

__all__ = ["Goal", "search_nonneg", "search_monotone", "search_undefined", "confirm_point", "confirm_monotone",
           "confirm_undefined", "DIGITS", "exact_value"]

DIGITS = 50
_MARGIN = mpmath.mpf(10) ** -35


@dataclass(frozen=True)
class Goal:
    """``g >= 0`` (or ``g > 0`` when strict, ``g == 0`` when equality) for all points of the domain."""

    g: sp.Expr
    strict: bool = False
    equality: bool = False
    label: str = "g"


def _mp(value: sp.Expr) -> mpmath.mpf:
    value = sp.nsimplify(value) if isinstance(value, sp.Float) else value
    if value.is_Rational:
        return mpmath.mpf(value.p) / value.q
    return mpmath.mpf(sp.N(value, DIGITS + 15))


def neutral(expr: sp.Basic, syms: Sequence[sp.Symbol]) -> tuple[sp.Basic, list[sp.Symbol]]:
    """``expr`` with ``syms`` replaced by fresh symbols whose names cannot clash with anything a code
    printer emits (a symbol named ``e``, ``E``, ``pi``, ``mpf``, ``N``, ``I`` or ``numpy`` must not change
    what an expression evaluates to)."""
    fresh = [sp.Symbol(f"_bcx{i}", real=True) for i in range(len(syms))]
    return expr.xreplace(dict(zip(syms, fresh))), fresh


@functools.lru_cache(maxsize=512)
def _mp_function(expr: sp.Expr, syms: tuple[sp.Symbol, ...]):
    body, fresh = neutral(expr, syms)
    return sp.lambdify(fresh, body, modules="mpmath")


def exact_value(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> mpmath.mpf | None:
    """``expr`` at an exact point, approximately (mpmath at DIGITS+20 digits, for display and ranking
    only: never for a verdict); None when undefined/complex."""
    with mpmath.workdps(DIGITS + 20):
        try:
            f = _mp_function(expr, tuple(point))
            v = f(*[_mp(x) for x in point.values()])
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return None
        if isinstance(v, mpmath.mpc):
            if abs(v.imag) > _MARGIN * max(1, abs(v.real)):
                return None
            v = v.real
        try:
            v = mpmath.mpf(v)
        except (TypeError, ValueError):
            return None
        if not mpmath.isfinite(v):
            return None
        return +v


def _in_domain(sym: Symbol, value: sp.Expr) -> bool:
    return sym.contains(value)


def _assumptions_hold(assume: Sequence[sp.Basic], point: dict[sp.Symbol, sp.Expr]) -> bool:
    """Every assumption certainly holds at ``point`` (certified by ball arithmetic; Eq needs exactness)."""
    return all(_relation_holds(rel, point) for rel in assume)


def _relation_holds(r: sp.Basic, point: dict[sp.Symbol, sp.Expr]) -> bool:
    if not (r.free_symbols <= set(point)):
        return False
    return certify_relation(r, point)


def _rationalize(x: float, integer: bool) -> sp.Expr:
    if integer:
        return sp.Integer(int(round(x)))
    if x == 0:
        return sp.Integer(0)
    r = sp.Rational(x).limit_denominator(10 ** 6) if abs(x) < 1e6 else sp.Integer(int(round(x)))
    return r


def _in_domains(symbols: Sequence[Symbol], point: dict[sp.Symbol, sp.Expr]) -> bool:
    """Every coordinate is an exact number in its symbol's domain (integrality included)."""
    bysym = {s.sym: s for s in symbols}
    for sym, val in point.items():
        if sym not in bysym:
            continue
        val = sp.sympify(val, strict=True)
        if not val.is_number or val.free_symbols:
            return False
        if not _in_domain(bysym[sym], val):
            return False
    return True


def _shown(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr], cert) -> str:
    approx = exact_value(expr, point)
    if approx is not None:
        with mpmath.workdps(DIGITS):
            return mpmath.nstr(approx, DIGITS)
    return cert.value


def confirm_point(goal: Goal, symbols: Sequence[Symbol], assume: Sequence[sp.Basic],
                  point: dict[sp.Symbol, sp.Expr]) -> Witness | None:
    """Certify that ``point`` violates ``goal``; None when it does not (or cannot be certified).

    The point must lie in every symbol's domain (integrality included), every assumption must hold
    there (certified), and the violation is certified by ball arithmetic at rising precision
    (:func:`boundcheck.prove.certify.certify_violation`).
    """
    if not _in_domains(symbols, point):
        return None
    if not _assumptions_hold(assume, point):
        return None
    free = goal.g.free_symbols
    pt = {s: v for s, v in point.items() if s in free}
    for s in free:
        if s not in pt:
            return None
    cert = certify_violation(goal.g, pt, strict=goal.strict, equality=goal.equality)
    if cert is None:
        return None
    shown = _shown(goal.g, pt, cert)
    short = cert.value if cert.sign != "zero" else "0"
    if goal.equality:
        text = f"{goal.label} = {short} is not 0"
    elif goal.strict:
        text = f"{goal.label} = {short} is not > 0"
    else:
        text = f"{goal.label} = {short} < 0"
    return Witness(point=tuple((s.name, str(v)) for s, v in point.items()),
                   values=((goal.label, shown),), explanation=text + f" (certified by ball arithmetic at "
                                                                      f"{cert.prec} bits)" * (cert.prec > 0),
                   digits=DIGITS)


def confirm_monotone(f: sp.Expr, var: sp.Symbol, kind: str, symbols: Sequence[Symbol], assume: Sequence[sp.Basic],
                     point: dict[sp.Symbol, sp.Expr], x1: sp.Expr, x2: sp.Expr) -> Witness | None:
    """Certify that ``x1 < x2`` (with the other symbols at ``point``) violates monotonicity of ``kind``."""
    if not bool(x1 < x2):
        return None
    bysym = {s.sym: s for s in symbols}
    if var not in bysym:
        return None
    for val in (x1, x2):
        if not _in_domain(bysym[var], val):
            return None
    if not _in_domains(symbols, point):
        return None
    p1 = dict(point)
    p1[var] = x1
    p2 = dict(point)
    p2[var] = x2
    if not (_assumptions_hold(assume, p1) and _assumptions_hold(assume, p2)):
        return None
    free = f.free_symbols | {var}
    q1 = {s: v for s, v in p1.items() if s in free}
    q2 = {s: v for s, v in p2.items() if s in free}
    if not f.free_symbols <= set(q1):
        return None
    # f(x2) - f(x1) must be > 0 for increasing, >= 0 nondecreasing, < 0 decreasing, <= 0 nonincreasing
    if kind == "increasing":
        cert = certify_order(f, q1, q2, "neg") or certify_order(f, q1, q2, "zero")
    elif kind == "decreasing":
        cert = certify_order(f, q1, q2, "pos") or certify_order(f, q1, q2, "zero")
    elif kind == "nondecreasing":
        cert = certify_order(f, q1, q2, "neg")
    else:
        cert = certify_order(f, q1, q2, "pos")
    if cert is None:
        return None
    v1 = exact_value(f, q1)
    v2 = exact_value(f, q2)
    name = var.name
    with mpmath.workdps(DIGITS):
        vals = ((f"f({name}={x1})", mpmath.nstr(v1, DIGITS) if v1 is not None else "?"),
                (f"f({name}={x2})", mpmath.nstr(v2, DIGITS) if v2 is not None else "?"))
    others = tuple((s.name, str(v)) for s, v in point.items() if s != var)
    diff = "0" if cert.sign == "zero" else (mpmath.nstr(v1 - v2, 12) if v1 is not None and v2 is not None
                                             else f"-({cert.value})")
    return Witness(point=others + ((f"{name}_1", str(x1)), (f"{name}_2", str(x2))), values=vals,
                   explanation=f"{name}_1 < {name}_2 but f({name}_1) - f({name}_2) = {diff} contradicts '{kind}'"
                               + (f" (certified by ball arithmetic at {cert.prec} bits)" if cert.prec else ""),
                   digits=DIGITS)


# ---------------------------------------------------------------------------------------------- search
def _candidates(sym: Symbol, rng: np.random.Generator, k: int) -> np.ndarray:
    lo = float(sym.lo) if sym.lo is not None else None
    hi = float(sym.hi) if sym.hi is not None else None
    pts: list[float] = []
    special = [0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 10.0, 100.0, 1e3, 1e6, -0.5, -2.0, -10.0, 1e-3, 1e-6]
    if lo is not None:
        pts += [lo, lo + 1e-9, lo + 1e-3, lo + 0.5, lo + 1, lo + 10]
    if hi is not None:
        pts += [hi, hi - 1e-9, hi - 1e-3, hi - 0.5, hi - 1]
    if lo is not None and hi is not None:
        pts += list(np.linspace(lo, hi, 9))
    pts += special
    # random: uniform in a finite box, log-uniform in magnitude for unbounded sides
    a = lo if lo is not None else -1e6
    b = hi if hi is not None else 1e6
    if lo is not None and hi is not None:
        pts += list(rng.uniform(a, b, k))
    else:
        mags = 10 ** rng.uniform(-4, 6, k)
        centre = lo if lo is not None else (hi if hi is not None else 0.0)
        if lo is not None and hi is None:
            pts += list(centre + mags)
        elif hi is not None and lo is None:
            pts += list(centre - mags)
        else:
            pts += list(mags * rng.choice([-1.0, 1.0], k))
        if lo is not None and hi is None:
            pts += list(rng.uniform(lo, lo + 5, k // 2))
        elif hi is not None and lo is None:
            pts += list(rng.uniform(hi - 5, hi, k // 2))
        else:
            pts += list(rng.uniform(-5, 5, k // 2))
    arr = np.array(pts, dtype=float)
    if sym.is_integer:
        arr = np.round(arr)
    keep = np.ones_like(arr, dtype=bool)
    if lo is not None:
        keep &= arr > lo if sym.lo_open else arr >= lo
    if hi is not None:
        keep &= arr < hi if sym.hi_open else arr <= hi
    arr = arr[keep]
    return np.unique(arr) if arr.size else arr


def _numeric(expr: sp.Expr, syms: Sequence[sp.Symbol]):
    body, fresh = neutral(expr, syms)
    try:
        f = sp.lambdify(fresh, body, modules="numpy")
    except ValueError:  # a constant too long to print as code (an integer past Python's digit limit)
        f = None

    def call(*cols: np.ndarray) -> np.ndarray:
        nan = np.full(len(cols[0]) if cols else 1, np.nan)
        if f is None:
            return nan  # the search samples nothing here; witnesses are certified elsewhere
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                out = f(*cols)
                out = np.asarray(out, dtype=complex if np.iscomplexobj(out) else float)
            except (ZeroDivisionError, ValueError, TypeError, OverflowError, AttributeError):
                return nan  # including a value numpy cannot hold as a float (a sympy Min left symbolic)
        if np.iscomplexobj(out):
            out = np.where(np.abs(out.imag) < 1e-12, out.real, np.nan)
        return np.broadcast_to(out, (len(cols[0]) if cols else 1,)).astype(float)

    return call


def _sample_matrix(symbols: Sequence[Symbol], rng: np.random.Generator, size: int) -> np.ndarray:
    """Rows of candidate points: independent draws, then 'corner' rows where every coordinate sits on a
    closed end of its domain with probability 1/2 (claims often fail only where several symbols are
    at their extremes at once, e.g. K = 0, C = 0 and delta = 1)."""
    cols = []
    for s in symbols:
        cand = _candidates(s, rng, max(size // 2, 16))
        if cand.size == 0:
            cand = np.array([float(s.lo or 0)])
        col = rng.choice(cand, size)
        ends = [float(v) for v, is_open in ((s.lo, s.lo_open), (s.hi, s.hi_open)) if v is not None and not is_open]
        if ends:
            corner = rng.random(size) < 0.5
            corner[: size // 2] = False
            col = np.where(corner, rng.choice(np.array(ends), size), col)
        cols.append(col)
    return np.stack(cols, axis=1) if cols else np.zeros((size, 0))


def _assume_mask(assume: Sequence[sp.Basic], syms: Sequence[sp.Symbol], X: np.ndarray) -> np.ndarray:
    mask = np.ones(X.shape[0], dtype=bool)
    for rel in assume:
        for r in (rel.args if isinstance(rel, sp.And) else (rel,)):
            if isinstance(r, (sp.Eq, sp.Ne)):
                d = _numeric(r.lhs - r.rhs, syms)(*X.T)
                mask &= (np.abs(d) < 1e-9) if isinstance(r, sp.Eq) else (np.abs(d) > 1e-12)
                continue
            if not hasattr(r, "lhs"):
                continue
            d = _numeric(r.lhs - r.rhs, syms)(*X.T)
            if isinstance(r, (sp.StrictLessThan, sp.LessThan)):
                mask &= d <= 0
            else:
                mask &= d >= 0
    return mask


def search_nonneg(goal: Goal, symbols: Sequence[Symbol], assume: Sequence[sp.Basic], *, seed: int = 0,
                  budget: float = 2.0, samples: int = 4000, refine: bool = True) -> Witness | None:
    """Search for a point violating ``goal``; returns a confirmed Witness or None.

    ``refine`` adds a local (Nelder-Mead) search from the best samples after plain sampling.
    """
    start = time.monotonic()
    rng = np.random.default_rng(seed)
    syms = [s.sym for s in symbols]
    if not syms:
        return confirm_point(goal, symbols, assume, {})
    g = _numeric(goal.g, syms)
    X = _sample_matrix(symbols, rng, samples)
    X = X[_assume_mask(assume, syms, X)]
    if X.shape[0] == 0:
        return None
    vals = g(*X.T)
    score = np.abs(vals) if goal.equality else vals
    if goal.equality:
        score = -score
    order = np.argsort(np.where(np.isnan(score), np.inf, score))
    tried = 0
    for idx in order[:40]:
        if not np.isfinite(score[idx]):
            break
        if not goal.equality and (score[idx] > 1e-12 if goal.strict else score[idx] >= -1e-12):
            # best candidates are not violations in floating point: try local refinement instead
            break
        w = _confirm_row(goal, symbols, assume, X[idx])
        tried += 1
        if w is not None:
            return w
        if time.monotonic() - start > budget:
            return None
    if not refine:
        return None
    # local refinement (Nelder-Mead in float) from the best candidates
    return _refine(goal, symbols, assume, g, X, score, order, rng, start, budget)


def _simpler(value: sp.Expr, integer: bool) -> list[sp.Expr]:
    """Simpler exact numbers near ``value``, simplest first (for readable witnesses)."""
    out: list[sp.Expr] = []
    v = float(value)
    sig = tuple(sp.Rational(float(f"{v:.{k}g}")).limit_denominator(10 ** 6) for k in (1, 2, 3))
    for cand in (sp.Integer(0),) + sig[:1] + (sp.Integer(round(v)),) + sig[1:] + \
            tuple(sp.Rational(v).limit_denominator(q) for q in (2, 10, 100, 1000)):
        if integer and not cand.is_integer:
            continue
        if cand != value and cand not in out:
            out.append(cand)
    return out


def simplify_point(ok, point: dict[sp.Symbol, sp.Expr], integers: set[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """Replace coordinates by simpler numbers while ``ok(point)`` still holds (a witness stays a witness)."""
    point = dict(point)
    for sym in list(point):
        for cand in _simpler(point[sym], sym in integers):
            trial = dict(point)
            trial[sym] = cand
            if ok(trial):
                point = trial
                break
    return point


def _confirm_row(goal: Goal, symbols: Sequence[Symbol], assume: Sequence[sp.Basic], row: np.ndarray) -> Witness | None:
    point = {s.sym: _rationalize(float(v), s.is_integer) for s, v in zip(symbols, row)}
    w = confirm_point(goal, symbols, assume, point)
    if w is not None:
        ints = {s.sym for s in symbols if s.is_integer}
        simple = simplify_point(lambda p: confirm_point(goal, symbols, assume, p) is not None, point, ints)
        return confirm_point(goal, symbols, assume, simple) or w
    # a coarser rational nearby sometimes sits better inside the domain
    point = {s.sym: (sp.Rational(float(v)).limit_denominator(1000) if not s.is_integer else sp.Integer(int(round(v))))
             for s, v in zip(symbols, row)}
    return confirm_point(goal, symbols, assume, point)


def _clip(symbols: Sequence[Symbol], x: np.ndarray) -> np.ndarray:
    y = x.copy()
    for i, s in enumerate(symbols):
        lo = float(s.lo) if s.lo is not None else -math.inf
        hi = float(s.hi) if s.hi is not None else math.inf
        eps = 1e-12 * max(1.0, abs(lo) if math.isfinite(lo) else 1.0)
        lo2 = lo + eps if s.lo_open else lo
        hi2 = hi - eps if s.hi_open else hi
        y[i] = min(max(y[i], lo2), hi2)
        if s.is_integer:
            y[i] = round(y[i])
            if y[i] < lo2:
                y[i] += 1
            if y[i] > hi2:
                y[i] -= 1
    return y


def _refine(goal, symbols, assume, g, X, score, order, rng, start, budget) -> Witness | None:
    from scipy.optimize import minimize

    syms = [s.sym for s in symbols]

    def obj(x: np.ndarray) -> float:
        y = _clip(symbols, x)
        if assume and not _assume_mask(assume, syms, y[None, :])[0]:
            return 1e300
        v = g(*[np.array([c]) for c in y])[0]
        if not np.isfinite(v):
            return 1e300
        return -abs(v) if goal.equality else v

    for idx in order[:8]:
        if time.monotonic() - start > budget:
            return None
        if not np.isfinite(score[idx]):
            continue
        x0 = X[idx].astype(float)
        try:
            res = minimize(obj, x0, method="Nelder-Mead",
                           options={"maxfev": 400, "xatol": 1e-12, "fatol": 1e-15})
        except (ValueError, OverflowError):
            continue
        y = _clip(symbols, res.x)
        if res.fun < 0 or goal.equality:
            w = _confirm_row(goal, symbols, assume, y)
            if w is not None:
                return w
    return None


def search_monotone(f: sp.Expr, var: sp.Symbol, kind: str, symbols: Sequence[Symbol], assume: Sequence[sp.Basic], *,
                    seed: int = 0, budget: float = 2.0, samples: int = 3000) -> Witness | None:
    """Search for ``x1 < x2`` violating monotonicity ``kind`` of ``f`` in ``var``."""
    start = time.monotonic()
    rng = np.random.default_rng(seed)
    syms = [s.sym for s in symbols]
    vidx = syms.index(var)
    fn = _numeric(f, syms)
    X = _sample_matrix(symbols, rng, samples)
    X = X[_assume_mask(assume, syms, X)]
    if X.shape[0] == 0:
        return None
    vsym = symbols[vidx]
    # second point: a nearby or far larger value of var
    Y = X.copy()
    steps = np.where(rng.random(X.shape[0]) < 0.5, rng.exponential(1.0, X.shape[0]),
                     np.abs(X[:, vidx]) * rng.exponential(1.0, X.shape[0]) + 1e-3)
    if vsym.is_integer:
        steps = np.maximum(1, np.round(steps))
    Y[:, vidx] = X[:, vidx] + steps
    ok = _assume_mask(assume, syms, Y)
    hi = float(vsym.hi) if vsym.hi is not None else math.inf
    ok &= (Y[:, vidx] < hi) if vsym.hi_open else (Y[:, vidx] <= hi)
    X, Y = X[ok], Y[ok]
    if X.shape[0] == 0:
        return None
    with np.errstate(all="ignore"):
        d = fn(*Y.T) - fn(*X.T)  # f(x2) - f(x1); inf - inf is nan, ranked last
    if kind in ("increasing", "nondecreasing"):
        score = d  # violation: d < 0 (or == 0 if strict)
    else:
        score = -d
    order = np.argsort(np.where(np.isnan(score), np.inf, score))
    strict = kind in ("increasing", "decreasing")
    for idx in order[:30]:
        if not np.isfinite(score[idx]):
            break
        if score[idx] > (0 if strict else -1e-300):
            if not (strict and score[idx] <= 1e-12):
                break
        point = {s.sym: _rationalize(float(v), s.is_integer) for s, v in zip(symbols, X[idx]) if s.sym != var}
        x1 = _rationalize(float(X[idx, vidx]), vsym.is_integer)
        x2 = _rationalize(float(Y[idx, vidx]), vsym.is_integer)
        w = confirm_monotone(f, var, kind, symbols, assume, point, x1, x2)
        if w is not None:
            ints = {s.sym for s in symbols if s.is_integer}
            simple = simplify_point(lambda p: confirm_monotone(f, var, kind, symbols, assume, p, x1, x2) is not None,
                                    point, ints)
            return confirm_monotone(f, var, kind, symbols, assume, simple, x1, x2) or w
        if time.monotonic() - start > budget:
            return None
    return None


def confirm_undefined(exprs: Sequence[sp.Expr], symbols: Sequence[Symbol], assume: Sequence[sp.Basic],
                      point: dict[sp.Symbol, sp.Expr]) -> Witness | None:
    """Certify that some expression (as written: see ``Claim.defined``) is undefined at ``point``, a point
    of the domain satisfying the assumptions: the claim cannot hold there."""
    if not _in_domains(symbols, point) or not _assumptions_hold(assume, point):
        return None
    for e in exprs:
        pt = {s: v for s, v in point.items() if s in e.free_symbols}
        if not e.free_symbols <= set(pt):
            continue
        try:
            enclose(e, pt, 128)
        except Undefined as err:
            where = ", ".join(f"{s.name} = {v}" for s, v in point.items())
            return Witness(point=tuple((s.name, str(v)) for s, v in point.items()), values=((str(e), "undefined"),),
                           explanation=f"{e} is undefined at {where} ({err}), a point of the domain", digits=DIGITS)
        except Undecided:
            continue
    return None


def search_undefined(exprs: Sequence[sp.Expr], symbols: Sequence[Symbol], assume: Sequence[sp.Basic], *,
                     seed: int = 0, budget: float = 1.0, samples: int = 300) -> Witness | None:
    """Search the domain for a point where an expression is certainly undefined (a division by an exact
    zero, a log of a nonpositive number, ...)."""
    start = time.monotonic()
    rng = np.random.default_rng(seed)
    syms = [s.sym for s in symbols]
    if not syms:
        return confirm_undefined(exprs, symbols, assume, {})
    # special values first (0, +-1, the ends: where denominators and log arguments vanish), then random rows
    import itertools

    cols = [_candidates(s, rng, 4)[:40] for s in symbols]
    grid = list(itertools.islice(itertools.product(*cols), 400))
    X = np.array(grid, dtype=float) if grid and all(len(c) for c in cols) else np.zeros((0, len(syms)))
    X = np.concatenate([X, _sample_matrix(symbols, rng, samples)]) if X.size else _sample_matrix(symbols, rng, samples)
    X = X[_assume_mask(assume, syms, X)]
    for row in X:
        if time.monotonic() - start > budget:
            return None
        point = {s.sym: _rationalize(float(v), s.is_integer) for s, v in zip(symbols, row)}
        w = confirm_undefined(exprs, symbols, assume, point)
        if w is not None:
            return w
    return None
