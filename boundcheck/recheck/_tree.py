"""Replaying a calculus proof tree: each stored rule is applied again to the stored sub-expression and the
signs of its stored premises, with this module's own sign algebra (not the prover's)."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product

import sympy as sp
from mpmath import iv

from ..prove.proof import MONO_KEYS, SIGN_KEYS, Proof, Step, expr_of
from ._common import ANY, NEG, NONNEG, NONPOS, POS, ZERO, Bounds, CheckFailed, interval, sign_of_interval

__all__ = ["replay", "check_box", "replay_derivative_method"]


def _neg(a: frozenset) -> frozenset:
    return frozenset(-x for x in a)


def _mul(a: frozenset, b: frozenset) -> frozenset:
    return frozenset(x * y for x, y in product(a, b))


def _add(a: frozenset, b: frozenset) -> frozenset:
    out: set[int] = set()
    for x, y in product(a, b):
        if x == 0 or y == 0 or x == y:
            out.add(x if y == 0 else y)
        else:
            out |= ANY
    return frozenset(out)


def _key_sign(key: str, mono: bool) -> frozenset:
    for s, k in (MONO_KEYS if mono else SIGN_KEYS).items():
        if k == key:
            return s
    raise CheckFailed(f"unknown {'monotonicity' if mono else 'sign'} {key!r}")


def check_box(stored: tuple[tuple[str, str], ...], domain: Mapping[sp.Symbol, Bounds]) -> dict[sp.Symbol, Bounds]:
    """The box the proof reasoned over, checked to contain the claim's domain (so what holds on it holds on
    the domain); returns it."""
    by_name = {s.name: s for s in domain}
    out: dict[sp.Symbol, Bounds] = {}
    for name, text in stored:
        if name not in by_name:
            raise CheckFailed(f"the proof's box names {name!r}, which is not a symbol of the spec")
        lo, hi, lo_open, hi_open = expr_of(text)
        lo = None if lo == sp.S.NegativeInfinity else lo
        hi = None if hi == sp.oo else hi
        d = domain[by_name[name]]
        if lo is not None and (d.lo is None or bool(lo > d.lo) or (bool(sp.Eq(lo, d.lo)) and bool(lo_open)
                                                                   and not d.lo_open)):
            raise CheckFailed(f"the proof assumes {name} {'>' if lo_open else '>='} {lo}, more than its domain")
        if hi is not None and (d.hi is None or bool(hi < d.hi) or (bool(sp.Eq(hi, d.hi)) and bool(hi_open)
                                                                   and not d.hi_open)):
            raise CheckFailed(f"the proof assumes {name} {'<' if hi_open else '<='} {hi}, more than its domain")
        out[by_name[name]] = Bounds(lo, hi, bool(lo_open), bool(hi_open), d.integer)
    return out


class _Replay:
    def __init__(self, box: Mapping[sp.Symbol, Bounds]) -> None:
        self.box = dict(box)
        self.env = {}
        for s, b in box.items():
            lo = iv.mpf("-inf") if b.lo is None else _exact(b.lo, "lo")
            hi = iv.mpf("inf") if b.hi is None else _exact(b.hi, "hi")
            self.env[s] = iv.mpf([lo.a, hi.b])
        self.count = 0
        self.positive = frozenset(s for s, b in box.items() if b.lo is not None and (
            bool(b.lo > 0) or (bool(sp.Eq(b.lo, 0)) and b.lo_open)))

    def symbol_sign(self, x: sp.Symbol) -> frozenset:
        b = self.box.get(x)
        if b is None:
            raise CheckFailed(f"symbol {x} is not in the proof's box")
        out = set(ANY)
        if b.lo is not None:
            if bool(b.lo > 0) or (b.lo == 0 and b.lo_open):
                out -= {-1, 0}
            elif bool(b.lo >= 0):
                out -= {-1}
        if b.hi is not None:
            if bool(b.hi < 0) or (b.hi == 0 and b.hi_open):
                out -= {1, 0}
            elif bool(b.hi <= 0):
                out -= {1}
        return frozenset(out)

    def enclosure_sign(self, e: sp.Expr) -> frozenset:
        return sign_of_interval(interval(e, self.env, positive=self.positive))

    # ------------------------------------------------------------------ signs
    def sign(self, step: Step) -> frozenset:
        """Check ``step`` (a sign step) and its premises; returns the stored sign, now checked."""
        self.count += 1
        claimed = _key_sign(step.result, False)
        e = step.sympy
        if e is None:
            raise CheckFailed(f"sign step {step.rule} without an expression")
        kids = {}
        mono_kids = {}
        for c in step.children:
            ce = c.sympy
            if c.rule.startswith("monotone-") or c.rule == "derivative":
                mono_kids[(ce, c.var)] = self.monotone(c)
            elif c.rule == "rewrite":
                kids[ce] = self.sign(c)
            else:
                kids[ce] = self.sign(c)
        got = self._sign_rule(e, kids)
        if not got <= claimed:
            try:
                enc = self.enclosure_sign(e)
            except CheckFailed:
                enc = ANY
            got = got & enc if got & enc else enc
        if not got <= claimed:
            raise CheckFailed(f"rule {step.rule} on {e} gives sign {SIGN_KEYS.get(got, got)}, not the stored "
                              f"{step.result}")
        return claimed

    def _sign_rule(self, e: sp.Expr, kids: Mapping[sp.Expr, frozenset]) -> frozenset:
        def s(a: sp.Expr) -> frozenset:
            if a in kids:
                return kids[a]
            if a.is_number and a.is_Rational:
                return POS if a > 0 else (NEG if a < 0 else ZERO)
            if a.is_Symbol:
                return self.symbol_sign(a)
            return ANY

        if e.is_Rational or e in (sp.pi, sp.E):
            return POS if e > 0 else (NEG if e < 0 else ZERO)
        if e.is_Symbol:
            return self.symbol_sign(e)
        if e.is_Add:
            out = ZERO
            for a in e.args:
                out = _add(out, s(a))
            if len(e.args) == 2 and e.args[0].is_number and len(out) > 1:
                special = self._term_vs_constant(e.args[1], e.args[0], s)
                if special is not None:
                    return special
            return out
        if e.is_Mul:
            out = POS
            for a in e.args:
                out = _mul(out, s(a))
            return out
        if e.is_Pow:
            b, p = e.args
            sb = s(b)
            if p.is_Integer:
                k = int(p)
                if k == 0:
                    return POS
                if k < 0 and 0 in sb:
                    return ANY
                if k % 2 == 0:
                    return POS if 0 not in sb else NONNEG
                return sb
            if sb <= POS:
                return POS
            if sb <= NONNEG and s(p) <= POS:
                return NONNEG
            return ANY
        if isinstance(e, sp.exp):
            return POS
        if isinstance(e, sp.log):
            a = e.args[0]
            if not s(a) <= POS:
                return ANY
            if (a - 1) in kids:
                return kids[a - 1]
            if a.is_Pow and a.args[1].is_number and s(a.args[0]) <= POS and sp.log(a.args[0]) in kids:
                return _mul(s(a.args[1]), kids[sp.log(a.args[0])])
            if a.is_number and a.is_Rational:
                return POS if a > 1 else (NEG if a < 1 else ZERO)
            return ANY
        if isinstance(e, sp.Abs):
            return POS if 0 not in s(e.args[0]) else NONNEG
        return ANY

    def _vs(self, x: sp.Symbol, c: sp.Expr) -> frozenset:
        """Sign of x - c from x's exact bounds (open ends give strict signs)."""
        b = self.box.get(x)
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

    def _term_vs_constant(self, t: sp.Expr, c: sp.Expr, s) -> frozenset | None:
        """t + c = a (x - r) for t = a x, or a (x**k - r) for t = a x**k with x > 0 (sign of k (x - r**(1/k)))."""
        a, rest = t.as_coeff_Mul()
        if a == 0 or not a.is_number:
            return None
        r = -c / a
        flip = POS if a > 0 else NEG
        if rest.is_Symbol:
            return _mul(flip, self._vs(rest, r))
        if rest.is_Pow and rest.args[0].is_Symbol and rest.args[1].is_Rational and s(rest.args[0]) <= POS:
            k = rest.args[1]
            if bool(r <= 0):
                return flip
            return _mul(flip, _mul(POS if k > 0 else NEG, self._vs(rest.args[0], r ** (1 / k))))
        return None

    # ------------------------------------------------------------------ monotonicity
    def monotone(self, step: Step) -> frozenset:
        self.count += 1
        claimed = _key_sign(step.result, True)
        e = step.sympy
        x = next((s for s in self.box if s.name == step.var), None)
        if e is None or x is None:
            raise CheckFailed(f"monotonicity step {step.rule} without an expression or variable")
        if step.rule == "derivative":
            return self._derivative(step, e, x, claimed)
        signs, monos = {}, {}
        for c in step.children:
            if c.rule.startswith("monotone-") or c.rule == "derivative":
                monos[c.sympy] = self.monotone(c)
            else:
                signs[c.sympy] = self.sign(c)

        def s(a: sp.Expr) -> frozenset:
            if a in signs:
                return signs[a]
            return self._sign_rule(a, signs) if (a.is_Rational or a.is_Symbol) else ANY

        def m(a: sp.Expr) -> frozenset:
            if x not in a.free_symbols:
                return ZERO
            if a == x:
                return POS
            return monos.get(a, ANY)

        got = self._mono_rule(e, x, s, m)
        if not got <= claimed:
            raise CheckFailed(f"rule {step.rule} on {e} gives {MONO_KEYS.get(got, got)} in {x}, not the stored "
                              f"{step.result}")
        return claimed

    def _mono_rule(self, e, x, s, m) -> frozenset:
        if x not in e.free_symbols:
            return ZERO
        if e == x:
            return POS
        if e.is_Add:
            out = ZERO
            for a in e.args:
                out = _add(out, m(a))
            return out
        if e.is_Mul:
            f, rest = e.args[0], sp.Mul(*e.args[1:])
            return _add(_mul(m(f), s(rest)), _mul(s(f), m(rest)))
        if e.is_Pow:
            b, p = e.args
            db, dp = m(b), m(p)
            if dp == ZERO:
                sb = s(b)
                if p.is_Integer:
                    k = int(p)
                    if k > 0 and (k % 2 == 1 or sb <= NONNEG):
                        return db
                    if k < 0 and sb <= POS:
                        return _neg(db)
                    return ANY if db != ZERO else ZERO
                if s(p) <= POS and sb <= NONNEG:
                    return db
                if s(p) <= NEG and sb <= POS:
                    return _neg(db)
                return ANY
            if s(b) <= POS:
                lb = s(sp.log(b))
                return _add(_mul(dp, lb), _mul(s(p), db)) if db != ZERO else _mul(lb, dp)
            return ANY
        if isinstance(e, sp.log):
            return m(e.args[0]) if s(e.args[0]) <= POS else ANY
        if isinstance(e, sp.exp):
            return m(e.args[0])
        return ANY

    def _derivative(self, step: Step, f: sp.Expr, x: sp.Symbol, claimed: frozenset) -> frozenset:
        """f is monotone because its derivative has a sign on the interior of x's interval (f is defined on
        the closed interval, checked by enclosure, so it is continuous there)."""
        fp = step.get("derivative")
        if sp.simplify(fp - sp.diff(f, x)) != 0:
            raise CheckFailed(f"the stored derivative of {f} in {x} is not d/d{x}")
        b = self.box[x]
        inner = _Replay({**self.box, x: Bounds(b.lo, b.hi, b.lo is not None, b.hi is not None, False)})
        if len(step.children) != 1:
            raise CheckFailed("a derivative step needs the sign of the derivative")
        child = step.children[0]
        if sp.simplify(child.sympy - fp) != 0:
            raise CheckFailed("the derivative step's premise is about another expression")
        sg = inner.sign_or_rewrite(child)
        self.count += inner.count
        interval(f, self.env, positive=self.positive)  # defined (hence continuous) on the closed box, or CheckFailed
        if not sg <= claimed:
            raise CheckFailed(f"the derivative's sign {SIGN_KEYS.get(sg)} does not give {step.result}")
        return claimed

    def sign_or_rewrite(self, step: Step) -> frozenset:
        if step.rule == "rewrite":
            form = step.get("form")
            if sp.simplify(step.sympy - form) != 0:
                raise CheckFailed(f"the rewriting of {step.sympy} as {form} is not an identity")
            (child,) = step.children
            if child.sympy != form:
                raise CheckFailed("a rewriting step's premise is about another expression")
            got = self.sign_or_rewrite(child)
            if not got <= _key_sign(step.result, False):
                raise CheckFailed("a rewriting step changes the sign")
            return got
        if step.rule in ("square-difference", "log-difference"):
            P, Q, form = step.get("P"), step.get("Q"), step.get("form")
            if sp.simplify(step.sympy - (P - Q)) != 0:
                raise CheckFailed(f"{step.sympy} is not P - Q")
            signs = {c.sympy: self.sign(c) for c in step.children}
            need = NONNEG if step.rule == "square-difference" else POS
            if not (signs.get(P, ANY) <= need and signs.get(Q, ANY) <= need):
                raise CheckFailed(f"{step.rule}: P and Q need sign {SIGN_KEYS[need]}")
            ref = (sp.expand(P ** 2 - Q ** 2) if step.rule == "square-difference"
                   else sp.expand_log(sp.log(P) - sp.log(Q), force=True))
            if sp.simplify(form - ref) != 0:
                raise CheckFailed(f"{step.rule}: the stored form is not {ref}")
            got = signs.get(form, ANY)
            if not got <= _key_sign(step.result, False):
                raise CheckFailed(f"{step.rule}: the form's sign does not give {step.result}")
            return got
        return self.sign(step)


def _exact(x: sp.Expr, end: str):
    """A tight rigorous interval around an exact constant (rational, pi, e, sqrt(2), ...)."""
    if x.is_Rational:
        return iv.mpf(int(x.p)) / iv.mpf(int(x.q))
    return interval(x, {})


def replay(proof: Proof, box: Mapping[sp.Symbol, Bounds], goal: sp.Expr | None, target: frozenset,
           mono_var: sp.Symbol | None = None) -> int:
    """Replay a calculus proof; returns the number of steps checked.

    Args:
        proof: the stored proof (one step: a sign tree, a rewriting, a monotonicity tree or a derivative).
        box: the domain the proof reasons over (already checked against the claim's domain).
        goal: the expression whose sign (or, with ``mono_var``, monotonicity) the claim is about.
        target: the sign (monotonicity) set the claim needs.

    Raises:
        CheckFailed: a step does not replay, or the proof is about something else.
    """
    if len(proof.steps) != 1:
        raise CheckFailed("a calculus proof has one root step")
    (root,) = proof.steps
    r = _Replay(box)
    if sp.simplify(root.sympy - goal) != 0:
        raise CheckFailed(f"the proof is about {root.sympy}, not the claim's {goal}")
    if mono_var is not None:
        if root.var != mono_var.name:
            raise CheckFailed(f"the proof is about {root.var}, not {mono_var}")
        got = r.monotone(root)
    else:
        got = r.sign_or_rewrite(root)
    if not got <= target:
        raise CheckFailed(f"the proof gives {root.result}, which is not what the claim needs")
    return r.count


def replay_derivative_method(proof: Proof, box: Mapping[sp.Symbol, Bounds], goal: sp.Expr, strict: bool) -> int:
    """Replay a proof of the derivative method (``g >= 0`` from its value at a closed end of one variable's
    interval and the sign of its derivative there, recursively); returns the steps checked.

    Raises:
        CheckFailed: a step does not replay (a slope proved by z3 inside the method left no obligation file,
            so it cannot be re-checked either).
    """
    if len(proof.steps) != 1:
        raise CheckFailed("a derivative-method proof has one root step")
    return _endpoint(proof.steps[0], dict(box), goal, POS if strict else NONNEG)


def _endpoint(step: Step, box: dict, g: sp.Expr, target: frozenset) -> int:
    if step.rule != "endpoint":
        if step.rule == "split":
            raise CheckFailed("a proof by splitting the interval is not re-checked")
        if step.rule.startswith("smt"):
            raise CheckFailed("a sign proved by z3 inside the derivative method left no obligation to re-check")
        r = _Replay(box)
        if sp.simplify(step.sympy - g) != 0:
            raise CheckFailed(f"the step is about {step.sympy}, not {g}")
        got = r.sign_or_rewrite(step)
        if not got <= target:
            raise CheckFailed(f"the step gives {step.result}, not what is needed")
        return r.count
    x, a, d, g_stored, at = (step.get(k) for k in ("x", "a", "d", "g", "at"))
    if sp.simplify(g_stored - g) != 0:
        raise CheckFailed(f"the endpoint step is about {g_stored}, not {g}")
    x = next((s for s in box if s.name == str(x)), None)
    if x is None:
        raise CheckFailed("the endpoint step's variable is not in the box")
    b = box[x]
    if sp.simplify(d - sp.diff(g, x)) != 0:
        raise CheckFailed(f"the stored derivative is not d/d{x} of {g}")
    if sp.simplify(at - g.subs(x, a)) != 0:
        raise CheckFailed(f"the stored value at {x} = {a} is not g there")
    if b.lo is not None and not b.lo_open and sp.simplify(a - b.lo) == 0:
        need = NONNEG  # the left end: g nondecreasing in x
    elif b.hi is not None and not b.hi_open and sp.simplify(a - b.hi) == 0:
        need = NONPOS
    else:
        raise CheckFailed(f"{x} = {a} is not a closed end of the interval of {x}")
    interval(g, _Replay(box).env, positive=_Replay(box).positive)  # g defined (so continuous) on the box
    base, slope = step.children
    rest = {k: v for k, v in box.items() if k != x}
    n = _endpoint(base, rest, sp.simplify(at), target)
    inner = {**box, x: Bounds(b.lo, b.hi, b.lo is not None, b.hi is not None, False)}
    if slope.rule.startswith("smt"):
        raise CheckFailed("the slope was proved by z3 inside the derivative method; no obligation to re-check")
    if slope.rule == "endpoint":
        return n + _endpoint(slope, box, d if need == NONNEG else -d, NONNEG)
    r = _Replay(inner)
    if sp.simplify(slope.sympy - d) == 0:
        want = need  # the sign of d itself on the interior
    elif sp.simplify(slope.sympy + d) == 0:
        want = NONNEG if need == NONPOS else NONPOS  # -d >= 0 proved (on the closed interval)
    else:
        raise CheckFailed("the slope step is about another expression than the derivative")
    got = r.sign_or_rewrite(slope)
    if not got <= want:
        raise CheckFailed(f"the derivative's sign {slope.result} does not make g monotone the right way")
    return n + r.count
