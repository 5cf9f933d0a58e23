"""Independent oracle for the soundness fuzzer (shares no code with boundcheck).

Expressions are the fuzzer's own trees (tuples), evaluated here with mpmath at high precision, *as
written*: ``t**2/t**2`` is undefined at ``t = 0`` and ``0*log(t)`` at ``t <= 0``, whatever sympy would
simplify them to. Nothing here imports boundcheck, sympy's lambdify, or boundcheck's numeric code.

Trees:
    ("sym", name) | ("int", k) | ("frac", p, q) | ("pi",) | ("E",)
    ("add", a, b) | ("sub", a, b) | ("mul", a, b) | ("div", a, b) | ("neg", a)
    ("pow", base, exponent)        exponent an ("int", k), ("frac", p, q) or any tree
    ("call", fname, a[, b])        fname in FUNCS

Semantics (the real, principal-branch reading the prover documents): a power with a negative literal
integer exponent needs a nonzero base; a literal fraction p/q (q > 1) or a non-literal exponent needs
base > 0, or base == 0 with a positive exponent; log needs a positive argument; sqrt a nonnegative one;
asin/acos an argument in [-1, 1].
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import mpmath

__all__ = ["Undefined", "evaluate", "exact_value", "render", "FUNCS", "Oracle"]

FUNCS = {"log": 1, "exp": 1, "sqrt": 1, "Abs": 1, "Min": 2, "Max": 2, "atan": 1, "tanh": 1, "sin": 1, "cos": 1,
         "sinh": 1, "cbrt": 1}


class Undefined(ArithmeticError):
    """The expression is not a finite real number at the point."""


class TooBig(ArithmeticError):
    """The value is too large for the oracle to evaluate (not a claim about the expression)."""


def render(t) -> str:
    """The spec text of a tree (fully parenthesised)."""
    op = t[0]
    if op == "sym":
        return t[1]
    if op == "int":
        return f"({t[1]})" if t[1] < 0 else str(t[1])
    if op == "frac":
        return f"({t[1]}/{t[2]})"
    if op in ("pi", "E"):
        return op
    if op == "neg":
        return f"(-{render(t[1])})"
    if op in ("add", "sub", "mul", "div", "pow"):
        sym = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}[op]
        return f"({render(t[1])} {sym} {render(t[2])})"
    if op == "call":
        return f"{t[1]}({', '.join(render(a) for a in t[2:])})"
    raise ValueError(op)


def exact_const(t) -> Fraction | None:
    """The exact rational value of a constant tree built from integers and fractions, else None."""
    op = t[0]
    try:
        if op == "int":
            return Fraction(t[1])
        if op == "frac":
            return Fraction(t[1], t[2])
        if op == "neg":
            a = exact_const(t[1])
            return None if a is None else -a
        if op in ("add", "sub", "mul", "div"):
            a, b = exact_const(t[1]), exact_const(t[2])
            if a is None or b is None:
                return None
            return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b if b else None}[op]
        if op == "call" and t[1] in ("Min", "Max", "Abs"):
            vals = [exact_const(a) for a in t[2:]]
            if any(v is None for v in vals):
                return None
            return {"Min": min, "Max": max}[t[1]](vals) if t[1] != "Abs" else abs(vals[0])
        if op == "pow":
            a, b = exact_const(t[1]), exact_const(t[2])
            if a is None or b is None or b.denominator != 1 or abs(b) > 64 or (a == 0 and b < 0):
                return None
            return a ** int(b)
    except (ZeroDivisionError, OverflowError):
        return None
    return None


#: Largest exact rational the oracle builds (bits of numerator plus denominator): 2**(-234493) is fine, a
#: power tower is not.
EXACT_BITS = 4_000_000


def exact_value(t, point: dict[str, Fraction]) -> Fraction | None:
    """The exact value of a rational tree (symbols, integers, fractions, + - * /, Abs/Min/Max and integer
    powers) at a rational point; None when the tree is not rational there or too large to build.

    Raises:
        Undefined: a division by zero or 0 to a negative power, as written.
    """
    op = t[0]
    if op == "sym":
        v = point.get(t[1])
        return None if v is None else Fraction(v)
    if op == "int":
        return Fraction(t[1])
    if op == "frac":
        return Fraction(t[1], t[2])
    if op == "neg":
        a = exact_value(t[1], point)
        return None if a is None else -a
    if op in ("add", "sub", "mul", "div"):
        a = exact_value(t[1], point)
        b = exact_value(t[2], point)
        if a is None or b is None:
            return None
        if op == "div":
            if b == 0:
                raise Undefined("division by zero")
            r = a / b
        else:
            r = {"add": a + b, "sub": a - b, "mul": a * b}[op]
        return r if _bits(r) <= EXACT_BITS else None
    if op == "call" and t[1] in ("Min", "Max", "Abs"):
        vals = [exact_value(a, point) for a in t[2:]]
        if any(v is None for v in vals):
            return None
        return abs(vals[0]) if t[1] == "Abs" else (min(vals) if t[1] == "Min" else max(vals))
    if op == "pow":
        b = exact_value(t[1], point)
        k = exact_value(t[2], point)
        if b is None or k is None or k.denominator != 1:
            return None
        if b == 0 and k < 0:
            raise Undefined("0 to a negative power")
        if b in (0, 1) or abs(int(k)) * max(1, _bits(b)) <= EXACT_BITS:
            return b ** int(k)
        return None
    return None


def _bits(q: Fraction) -> int:
    return q.numerator.bit_length() + q.denominator.bit_length()


def _same_tree_or_exact_sign(a, b, point) -> int | None:
    """The sign of b - a decided exactly: 0 when the trees are the same text, else from exact rational
    evaluation; None when neither applies."""
    if render(a) == render(b):
        return 0
    try:
        x, y = exact_value(a, point), exact_value(b, point)
    except Undefined:
        return None
    if x is None or y is None:
        return None
    return (y > x) - (y < x)


def _tiny(b: mpmath.mpf) -> bool:
    """Nonzero but indistinguishable from 0 at this precision (sin(pi) is 1e-60, not 0): the oracle
    cannot tell which side of a singularity it is on."""
    return b != 0 and abs(b) < mpmath.mpf(2) ** (-(mpmath.mp.prec - 20))


def _integer_valued(t, point) -> bool:
    """An exponent built from integer-valued symbols and integers with + - * (so an exact integer)."""
    op = t[0]
    if op == "int":
        return True
    if op == "sym":
        return mpmath.isint(point[t[1]])
    if op in ("add", "sub", "mul"):
        return _integer_valued(t[1], point) and _integer_valued(t[2], point)
    if op == "neg":
        return _integer_valued(t[1], point)
    return False


def evaluate(t, point: dict[str, mpmath.mpf]) -> mpmath.mpf:
    """Value at ``point`` in the current mpmath precision; raises Undefined (TooBig when unsure)."""
    op = t[0]
    if op == "sym":
        return point[t[1]]
    if op == "int":
        return mpmath.mpf(t[1])
    if op == "frac":
        return mpmath.mpf(t[1]) / t[2]
    if op == "pi":
        return +mpmath.pi
    if op == "E":
        return +mpmath.e
    if op == "neg":
        return -evaluate(t[1], point)
    if op == "add":
        return evaluate(t[1], point) + evaluate(t[2], point)
    if op == "sub":
        return evaluate(t[1], point) - evaluate(t[2], point)
    if op == "mul":
        return evaluate(t[1], point) * evaluate(t[2], point)
    if op == "div":
        b = evaluate(t[2], point)
        a = evaluate(t[1], point)
        if _tiny(b):
            raise TooBig("denominator indistinguishable from 0")
        if b == 0:
            raise Undefined("division by zero")
        return a / b
    if op == "pow":
        b = evaluate(t[1], point)
        if _tiny(b):
            raise TooBig("base indistinguishable from 0")
        ex = t[2]
        if ex[0] == "int":
            k = ex[1]
            if k < 0 and b == 0:
                raise Undefined("0 to a negative power")
            return b ** k
        k = exact_const(ex)
        if k is not None and k.denominator == 1:
            if k < 0 and b == 0:
                raise Undefined("0 to a negative power")
            return b ** int(k)
        x = evaluate(ex, point)
        if _integer_valued(ex, point) and mpmath.isint(x):
            if x < 0 and b == 0:
                raise Undefined("0 to a negative power")
            return b ** int(x)
        if b > 0:
            return mpmath.exp(x * mpmath.log(b))
        if b == 0 and x > 0:
            return mpmath.mpf(0)
        if abs(x - mpmath.nint(x)) <= mpmath.mpf(2) ** (-(mpmath.mp.prec // 2)):
            # an exponent that is numerically an integer but not one by construction (Max(pi, 5), cbrt(0)):
            # the prover reads it as the integer it is; the oracle cannot tell, so it makes no judgement
            raise TooBig("nonpositive base to an exponent that is numerically an integer")
        raise Undefined("power of a nonpositive base")
    if op == "call":
        f = t[1]
        args = [evaluate(a, point) for a in t[2:]]
        a = args[0]
        if f in ("log", "sqrt", "cbrt") and _tiny(a):
            raise TooBig("argument indistinguishable from 0")
        if f == "log":
            if a <= 0:
                raise Undefined("log of a nonpositive number")
            return mpmath.log(a)
        if f == "sqrt":
            if a < 0:
                raise Undefined("sqrt of a negative number")
            return mpmath.sqrt(a)
        if f == "cbrt":
            if a < 0:
                raise Undefined("cbrt of a negative number (principal root is complex)")
            return mpmath.cbrt(a)
        if f == "exp":
            if abs(a) > 10 ** 6:  # exp(-huge) makes mpmath shift by a giant offset (C code, no alarm reaches it)
                raise TooBig("exp overflow or underflow")
            return mpmath.exp(a)
        if f == "Abs":
            return abs(a)
        if f == "Min":
            return min(args)
        if f == "Max":
            return max(args)
        if f == "atan":
            return mpmath.atan(a)
        if f == "tanh":
            return mpmath.tanh(a)
        if f == "sinh":
            if abs(a) > 10 ** 6:
                raise TooBig("sinh overflow")
            return mpmath.sinh(a)
        if f == "sin":
            return mpmath.sin(a)
        if f == "cos":
            return mpmath.cos(a)
    raise ValueError(f"unknown node {t!r}")


def value(t, point: dict[str, Fraction], dps: int) -> mpmath.mpf:
    with mpmath.workdps(dps):
        pt = {k: mpmath.mpf(v.numerator) / v.denominator for k, v in point.items()}
        v = evaluate(t, pt)
        if not mpmath.isfinite(v):
            raise TooBig("not finite at this precision")
        return +v


def _settled(pair):
    """``(b - a, tol)`` for ``a, b = pair(dps)``: at 200 digits when ``|b - a|`` is clear of the tolerance, else
    at 600 digits (a witness whose violation is 1e-240 is real, not rounding); ``(None, tol)`` when even
    600 digits cannot tell the difference from 0 (sin(pi)-like cancellation): then no judgement."""
    for dps in (200, 600):
        a, b = pair(dps)
        d = b - a
        tol = mpmath.mpf(10) ** (-dps // 2) * max(1, abs(a), abs(b))
        if abs(d) > tol:
            return d, tol
    return (d if d == 0 else None), tol


class Oracle:
    """Checks a verdict against dense high-precision sampling (for PROVED) or a re-evaluation of the
    witness (for REFUTED). ``claim`` is the fuzzer's dict: kind, trees, symbols (name -> domain), assume
    (list of (tree, op, tree))."""

    def __init__(self, claim: dict, rng: random.Random, samples: int = 400) -> None:
        self.c = claim
        self.rng = rng
        self.samples = samples
        #: comparisons too close to call in floating point and not decidable exactly (no judgement)
        self.close_calls = 0

    # ------------------------------------------------------------------ domain
    def in_domain(self, point: dict[str, Fraction]) -> bool:
        for name, d in self.c["symbols"].items():
            v = point.get(name)
            if v is None:
                continue  # a symbol the claim does not use (witnesses omit it)
            if d["integer"] and v.denominator != 1:
                return False
            if d["lo"] is not None and (v <= d["lo"] if d["lo_open"] else v < d["lo"]):
                return False
            if d["hi"] is not None and (v >= d["hi"] if d["hi_open"] else v > d["hi"]):
                return False
        return True

    def assumptions_hold(self, point: dict[str, Fraction], dps: int = 60) -> bool | None:
        """True/False, None when a comparison is too close to call at this precision."""
        for a, op, b in self.c["assume"]:
            try:
                x, y = value(a, point, dps), value(b, point, dps)
            except Undefined:
                return False
            except (KeyError, TooBig):
                return None
            d = x - y
            tol = mpmath.mpf(10) ** (-dps // 2) * max(1, abs(x), abs(y))
            if abs(d) <= tol and op != "!=":
                return None
            ok = {"<=": d <= 0, "<": d < 0, ">=": d >= 0, ">": d > 0, "!=": abs(d) > tol}[op]
            if not ok:
                return False
        return True

    def coordinate(self, d: dict) -> Fraction:
        r = self.rng
        lo, hi = d["lo"], d["hi"]
        choices = []
        if lo is not None:
            choices += [lo, lo + Fraction(1, 10 ** 9), lo + Fraction(1, 1000), lo + 1, lo + Fraction(1, 2)]
        if hi is not None:
            choices += [hi, hi - Fraction(1, 10 ** 9), hi - Fraction(1, 1000), hi - 1]
        choices += [Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2), Fraction(2), Fraction(-2), Fraction(10),
                    Fraction(100), Fraction(10 ** 6), Fraction(-(10 ** 6)), Fraction(1, 10 ** 6)]
        if lo is not None and hi is not None:
            w = hi - lo
            choices += [lo + w * Fraction(r.randint(0, 1000), 1000) for _ in range(6)]
        elif lo is not None:
            choices += [lo + Fraction(r.randint(1, 10 ** 6), 10 ** r.randint(0, 6)) for _ in range(6)]
        elif hi is not None:
            choices += [hi - Fraction(r.randint(1, 10 ** 6), 10 ** r.randint(0, 6)) for _ in range(6)]
        else:
            choices += [Fraction(r.randint(-10 ** 6, 10 ** 6), 10 ** r.randint(0, 6)) for _ in range(6)]
        v = r.choice(choices)
        if d["integer"]:
            v = Fraction(math.floor(v) if r.random() < 0.5 else math.ceil(v))
        return v

    def points(self, n: int):
        for _ in range(n):
            pt = {name: self.coordinate(d) for name, d in self.c["symbols"].items()}
            if self.in_domain(pt) and self.assumptions_hold(pt) is True:
                yield pt

    # ------------------------------------------------------------------ claims
    def violation(self, point: dict[str, Fraction], dps: int) -> str | None:
        """Why the claim fails at ``point`` (None if it holds or cannot be decided)."""
        c = self.c
        kind = c["kind"]
        try:
            if kind in ("nonnegative", "positive"):
                v = value(c["expr"], point, dps)
                tol = mpmath.mpf(10) ** (-dps // 2) * max(1, abs(v))
                if v < -tol:
                    return f"expr = {mpmath.nstr(v, 15)} < 0"
                if kind == "positive" and abs(v) <= tol:
                    # too close to call in floating point (lam + 2**lam - lam at lam = -234493 is 0 at any
                    # affordable precision): only an exact decision counts
                    sign = _same_tree_or_exact_sign(("int", 0), c["expr"], point)
                    if sign is not None and sign <= 0:
                        return f"expr {'= 0' if sign == 0 else '< 0'} exactly"
                    self.close_calls += 1
                return None
            if kind in ("le", "lt", "eq"):
                a, b = value(c["lhs"], point, dps), value(c["rhs"], point, dps)
                d = b - a
                tol = mpmath.mpf(10) ** (-dps // 2) * max(1, abs(a), abs(b))
                if kind in ("le", "lt") and d < -tol:
                    return f"rhs - lhs = {mpmath.nstr(d, 15)} violates '{kind}'"
                if kind == "lt" and abs(d) <= tol:
                    sign = _same_tree_or_exact_sign(c["lhs"], c["rhs"], point)
                    if sign is not None and sign <= 0:
                        return f"rhs - lhs is {'0' if sign == 0 else 'negative'} exactly, violates 'lt'"
                    self.close_calls += 1
                if kind == "eq" and abs(d) > tol:
                    return f"lhs - rhs = {mpmath.nstr(-d, 15)} != 0"
                return None
        except Undefined as err:
            return f"undefined: {err}"
        except TooBig:
            return None
        return None

    def check_proved(self, budget_points: int | None = None) -> str | None:
        """A counterexample to a PROVED claim (confirmed at two precisions), or None."""
        kind = self.c["kind"]
        n = budget_points or self.samples
        if self.c.get("vacuous"):
            for pt in self.points(n):
                return f"vacuous, yet {pt} is in the domain and satisfies the assumptions"
            return None
        if kind in ("increasing", "decreasing", "nondecreasing", "nonincreasing"):
            return self._check_monotone(n)
        if kind == "limit":
            return None
        for pt in self.points(n):
            why = self.violation(pt, 40)
            if why and self.violation(pt, 120) and self.assumptions_hold(pt, 120) is True:
                return f"at {_fmt(pt)}: {why}"
        return self._local_search()

    def _local_search(self) -> str | None:
        """A few coordinate-wise descent steps from random points (no scipy; exact rationals)."""
        c = self.c
        if c["kind"] not in ("nonnegative", "positive", "le", "lt"):
            return None
        def score(pt):
            try:
                if c["kind"] in ("nonnegative", "positive"):
                    return value(c["expr"], pt, 30)
                return value(c["rhs"], pt, 30) - value(c["lhs"], pt, 30)
            except (Undefined, TooBig):
                return None
        starts = list(self.points(40))
        starts.sort(key=lambda p: (score(p) if score(p) is not None else mpmath.inf))
        for pt in starts[:3]:
            best = score(pt)
            if best is None:
                continue
            step = {k: Fraction(1, 4) * max(1, abs(v)) for k, v in pt.items()}
            for _ in range(60):
                improved = False
                for k in pt:
                    for sgn in (1, -1):
                        trial = dict(pt)
                        trial[k] = pt[k] + sgn * step[k]
                        if self.c["symbols"][k]["integer"]:
                            trial[k] = Fraction(round(trial[k]))
                        trial[k] = trial[k].limit_denominator(10 ** 12)
                        if not self.in_domain(trial) or self.assumptions_hold(trial) is not True:
                            continue
                        s = score(trial)
                        if s is not None and s < best:
                            pt, best, improved = trial, s, True
                if not improved:
                    step = {k: v / 3 for k, v in step.items()}
            why = self.violation(pt, 40)
            if why and self.violation(pt, 120) and self.assumptions_hold(pt, 120) is True:
                return f"at {_fmt(pt)} (local search): {why}"
        return None

    def _check_monotone(self, n: int) -> str | None:
        c = self.c
        var = c["var"]
        kind = c["kind"]
        for pt in self.points(n):
            other = self.coordinate(c["symbols"][var])
            p2 = dict(pt)
            p2[var] = other
            if not (self.in_domain(p2) and self.assumptions_hold(p2) is True) or p2[var] == pt[var]:
                continue
            lo, hi = (pt, p2) if pt[var] < p2[var] else (p2, pt)
            try:
                f1, f2 = value(c["expr"], lo, 60), value(c["expr"], hi, 60)
            except Undefined as err:
                return f"undefined at a point of the domain: {err}"
            except TooBig:
                continue
            d = f2 - f1
            tol = mpmath.mpf(10) ** -25 * max(1, abs(f1), abs(f2))
            bad = (kind in ("increasing", "nondecreasing") and d < -tol) or \
                  (kind in ("decreasing", "nonincreasing") and d > tol)
            if bad:
                with mpmath.workdps(120):
                    g1, g2 = value(c["expr"], lo, 120), value(c["expr"], hi, 120)
                if (g2 - g1) * d > 0:
                    return f"{var}: {lo[var]} < {hi[var]} but f changes by {mpmath.nstr(d, 12)} (others {_fmt(lo)})"
        return None

    def check_refuted(self, witness_point: dict[str, str]) -> str | None:
        """Why a REFUTED verdict's witness does not hold (None when it does, or it cannot be read)."""
        c = self.c
        try:
            pt = {k: Fraction(v) for k, v in witness_point.items()}
        except (ValueError, ZeroDivisionError):
            return None  # not a plain rational: cannot check independently (counted as unchecked)
        kind = c["kind"]
        # symbols the prover's (simplified) expression lost: any value of their domain must do
        for name, d in c["symbols"].items():
            if name not in pt and not (kind in ("increasing", "decreasing", "nondecreasing", "nonincreasing")
                                       and name == c["var"]):
                for _ in range(50):
                    v = self.coordinate(d)
                    if self.in_domain({name: v}):
                        pt[name] = v
                        break
        if kind in ("increasing", "decreasing", "nondecreasing", "nonincreasing"):
            var = c["var"]
            x1, x2 = pt.pop(f"{var}_1", None), pt.pop(f"{var}_2", None)
            if x1 is None or x2 is None:
                return None
            p1, p2 = dict(pt), dict(pt)
            p1[var], p2[var] = x1, x2
            for p in (p1, p2):
                if not self.in_domain(p):
                    return f"witness {_fmt(p)} is outside the domain"
                if self.assumptions_hold(p, 200) is False:
                    return f"witness {_fmt(p)} violates an assumption"
            if not x1 < x2:
                return "witness pair not ordered"
            try:
                d, tol = _settled(lambda dps: (value(c["expr"], p1, dps), value(c["expr"], p2, dps)))
            except Undefined:
                return None  # undefined at the pair: the claim fails there anyway
            if d is None:
                return None  # too close to call even at 600 digits: no judgement
            ok = {"increasing": d <= tol, "nondecreasing": d < -tol, "decreasing": d >= -tol,
                  "nonincreasing": d > tol}[kind]
            return None if ok else f"the witness pair does not violate '{kind}' (f2 - f1 = {mpmath.nstr(d, 20)})"
        if kind in ("limit", "exponent"):
            return None
        if not self.in_domain(pt):
            return f"witness {_fmt(pt)} is outside the domain"
        if self.assumptions_hold(pt, 200) is False:
            return f"witness {_fmt(pt)} violates an assumption"
        try:
            if kind in ("nonnegative", "positive"):
                v, tol = _settled(lambda dps: (mpmath.mpf(0), value(c["expr"], pt, dps)))
                if v is None:
                    return None  # too close to call even at 600 digits: no judgement
                bad = v < -tol if kind == "nonnegative" else v <= tol
                return None if bad else f"expr = {mpmath.nstr(v, 30)} at the witness does not violate '{kind}'"
            d, tol = _settled(lambda dps: (value(c["lhs"], pt, dps), value(c["rhs"], pt, dps)))
            if d is None:
                return None  # too close to call even at 600 digits: no judgement
            bad = {"le": d < -tol, "lt": d <= tol, "eq": abs(d) > tol}[kind]
            return None if bad else f"rhs - lhs = {mpmath.nstr(d, 30)} at the witness does not violate '{kind}'"
        except Undefined:
            return None  # undefined at a domain point: a legitimate refutation


def _fmt(pt: dict[str, Fraction]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pt.items())
