"""Rigorous interval branch-and-bound (a rung of the ladder): proves ``g >= 0`` (``> 0``) on a box.

The search (:class:`BranchAndBound`) evaluates ``g`` with python-flint's arb arithmetic over boxes
(:mod:`boundcheck.prove._arbiv`), and decides each box by one of these rules, each sound on its own:

* ``enclosure``: the rigorous enclosure of ``g`` over the box is >= 0 (> 0 for a strict claim);
* ``excluded``: a hypothesis is certainly false on the whole box (no domain point in it);
* ``integer``: an integer symbol's interval is narrowed to its integer hull (empty: no domain point);
* ``zero``: the box is a single point where ``g`` is certainly defined and sympy simplifies ``g`` to
  exactly 0 (non-strict claims only) -- this is how a claim tight at a point (log x <= x - 1 at x = 1) is
  decided;
* ``monotone``: ``g`` is certainly defined and smooth on the whole box and ``s * dg/dx >= 0`` there (proved
  by a sub-certificate, itself an enclosure or any of these rules: the derivative method, to any depth), so
  ``g`` is smallest on the face ``x = lo`` (s = +1) or ``x = hi`` (s = -1), which is then proved. For a
  strict claim the face must be strict, or the face lies outside the domain (an open bound) and the
  derivative is proved > 0;
* ``split``: the box is cut in two at a point of one coordinate (a point where the claim is tight, found
  numerically, so that tangency points land on faces; else the midpoint; unbounded sides split
  geometrically: [a, oo) at max(2a, a + 1)).

Premise (checked by the ladder before this rung runs): ``g`` is defined on the whole domain. The enclosure
covers the points of a box where ``g`` is defined, so boxes that leave the domain cost nothing.

The certificate is a tree of those decisions (JSON-serialisable). :func:`check_certificate` replays it with an
independent interval evaluator (mpmath's ``iv``), recomputing every box from the domain and every
derivative with sympy: a certificate names rules and split points only, never a box or a value the checker
has to trust.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from ..errors import UnsupportedError
from . import _arbiv as A

__all__ = ["Var", "BranchAndBound", "BnBResult", "prove_box", "check_certificate", "CertificateError"]

INF = math.inf


@dataclass(frozen=True)
class Var:
    """One coordinate of the domain box: exact rational (or infinite) ends, openness, integrality."""

    sym: sp.Symbol
    lo: Fraction | float = -INF
    hi: Fraction | float = INF
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def as_json(self) -> list:
        return [_num_str(self.lo), _num_str(self.hi), self.lo_open, self.hi_open, self.integer]


def _num_str(v) -> str:
    if isinstance(v, float):
        return "oo" if v > 0 else "-oo"
    return str(v)


def _num_parse(s: str) -> Fraction | float:
    if s == "oo":
        return INF
    if s == "-oo":
        return -INF
    return Fraction(s)


@dataclass
class BnBResult:
    status: str  # "proved" | "unknown" | "violated"
    certificate: dict | None = None
    reason: str = ""
    counter: dict | None = None  # a point (symbol name -> Fraction) where g was certainly < 0 (or <= 0)
    nodes: int = 0
    seconds: float = 0.0


class _Budget(Exception):
    pass


class _Violated(Exception):
    def __init__(self, box: dict) -> None:
        super().__init__("violated")
        self.box = box


# ---------------------------------------------------------------------------------------------- boxes
# A box is a dict sym -> (lo, hi, lo_open, hi_open) with Fraction or +-inf ends.

def _width(b) -> float:
    lo, hi = b[0], b[1]
    if isinstance(lo, float) or isinstance(hi, float):
        return INF
    return float(hi - lo)


def _split_point(lo, hi) -> Fraction:
    if isinstance(lo, float) and isinstance(hi, float):
        return Fraction(0)
    if isinstance(hi, float):
        return Fraction(0) if lo < 0 else max(2 * lo, lo + 1)
    if isinstance(lo, float):
        return Fraction(0) if hi > 0 else min(2 * hi, hi - 1)
    mid = (lo + hi) / 2
    # a short dyadic near the midpoint keeps the numbers small
    w = hi - lo
    k = 0
    while Fraction(1, 2 ** k) > w / 8 and k < 200:
        k += 1
    d = Fraction(round(mid * 2 ** k), 2 ** k)
    return d if lo < d < hi else mid


def _integer_hull(lo, hi, lo_open, hi_open):
    nlo = lo
    if not isinstance(lo, float):
        c = math.ceil(lo)
        if lo_open and c == lo:
            c += 1
        nlo = Fraction(c)
    nhi = hi
    if not isinstance(hi, float):
        f = math.floor(hi)
        if hi_open and f == hi:
            f -= 1
        nhi = Fraction(f)
    return nlo, nhi


def _arb_box(box: dict) -> dict:
    out = {}
    for s, (lo, hi, _, _) in box.items():
        a = -INF if isinstance(lo, float) else A.from_rational(lo)[0]
        b = INF if isinstance(hi, float) else A.from_rational(hi)[1]
        out[s] = (a, b)
    return out


def _ge0(iv, strict: bool) -> bool:
    lo = iv[0]
    if A.is_inf(lo):
        return False
    return bool(lo > 0) if strict else bool(lo >= 0)


def _lt0(iv, strict: bool) -> bool:
    """Certainly violated: hi < 0 (or hi <= 0 for a strict claim)."""
    hi = iv[1]
    if A.is_inf(hi):
        return False
    return bool(hi <= 0) if strict else bool(hi < 0)


# ---------------------------------------------------------------------------------------------- search
class BranchAndBound:
    """Branch-and-bound for ``g >= 0`` (``> 0`` if strict) over a box with hypotheses.

    Args:
        g: the sympy expression.
        variables: the domain box, one Var per free symbol of ``g`` and of the hypotheses.
        hypotheses: sympy relations; a box on which one is certainly false holds no domain point.
        strict: prove ``g > 0``.
        deadline: ``time.monotonic()`` value after which the search gives up.
        max_nodes: node budget.
        tight_points: points (sym -> Fraction) where ``g`` is (nearly) 0; splits are placed there first.
    """

    def __init__(self, g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic] = (), *,
                 strict: bool = False, deadline: float | None = None, max_nodes: int = 20000,
                 tight_points: Sequence[dict] = (), max_deriv: int = 3, max_splits: int = 60) -> None:
        self.g = g
        self.vars = list(variables)
        self.bysym = {v.sym: v for v in self.vars}
        self.strict = strict
        self.deadline = deadline if deadline is not None else time.monotonic() + 10
        self.max_nodes = max_nodes
        self.max_deriv = max_deriv
        self.max_splits = max_splits
        self.nodes = 0
        self.tight = [dict(p) for p in tight_points]
        self.exprs: dict[str, sp.Expr] = {"g": g}
        self.derivs: dict[str, list] = {}
        self.fns: dict[str, Any] = {"g": _compile_forms(g)}
        self.sign_fns = []
        for f in sign_forms(g, self.vars):
            try:
                self.sign_fns.append(A.compile_expr(f))
            except UnsupportedError:
                self.sign_fns.append(None)
        self.dom_sign_fns = []
        for f in domain_sign_forms(g, self.vars, list(hypotheses)):
            try:
                self.dom_sign_fns.append(A.compile_expr(f))
            except UnsupportedError:
                self.dom_sign_fns.append(None)
        self.hyps: list[tuple[str, Any]] = []
        for h in hypotheses:
            self.hyps.append(_compile_hyp(h))
        self._zero_cache: dict[tuple, bool] = {}
        self.stuck: dict | None = None  # the first box still undecided after max_splits nested splits

    # -- expressions and their derivatives
    def deriv_key(self, key: str, x: sp.Symbol, sign: int) -> str:
        k = f"{'+' if sign > 0 else '-'}d{x.name}({key})"
        if k not in self.exprs:
            d = sp.diff(self.exprs[key], x)
            self.exprs[k] = d if sign > 0 else -d
            self.derivs[k] = [key, x.name, sign]
            try:
                self.fns[k] = _compile_forms(self.exprs[k])
            except UnsupportedError:
                self.fns[k] = None
        return k

    def enclose(self, key: str, abox: dict):
        fn = self.fns.get(key)
        if fn is None:
            return (-INF, INF), False
        return fn(abox)

    # -- the search
    def run(self) -> BnBResult:
        start = time.monotonic()
        box = {v.sym: (v.lo, v.hi, v.lo_open, v.hi_open) for v in self.vars}
        try:
            tree = self._prove("g", box, self.strict, 0, domain=True)
        except _Budget:
            return BnBResult("unknown", reason=f"branch-and-bound budget exhausted after {self.nodes} boxes",
                             nodes=self.nodes, seconds=time.monotonic() - start)
        except _Violated as v:
            pt = {s.name: _box_centre(b) for s, b in v.box.items()}
            return BnBResult("violated", reason="a box where the claim is certainly violated", counter=pt,
                             nodes=self.nodes, seconds=time.monotonic() - start)
        if tree is None:
            where = f" near {_fmt(self.stuck)}" if self.stuck else ""
            return BnBResult("unknown", reason=f"branch-and-bound could not decide some box{where} "
                                               f"({self.nodes} boxes)", nodes=self.nodes,
                             seconds=time.monotonic() - start)
        cert = {"format": "boundcheck-bnb-1", "goal": str(self.g), "strict": self.strict,
                "domain": {v.sym.name: v.as_json() for v in self.vars},
                "hypotheses": [str(h) for h, _ in self.hyps], "tree": tree, "nodes": self.nodes}
        return BnBResult("proved", certificate=cert, nodes=self.nodes, seconds=time.monotonic() - start)

    def _tick(self) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes or (self.nodes % 16 == 0 and time.monotonic() > self.deadline):
            raise _Budget()

    def _prove(self, key: str, box: dict, strict: bool, depth: int, domain: bool = False,
               sub_budget: int | None = None, splits: int = 0) -> dict | None:
        """A proof tree for ``f_key >= 0`` (> 0) on ``box``, or None; raises _Budget, _Violated.

        ``domain``: only the domain points of the box matter (boxes split from the domain box); then a box
        where a hypothesis is certainly false is excluded, integer symbols are narrowed, and a box where the
        claim is certainly violated raises _Violated. A monotone face or a derivative sub-proof has to hold at
        every point of its box (the segments of the derivative argument leave the domain), so it is
        proved with ``domain`` False."""
        self._tick()
        if (sub_budget is not None and self.nodes > sub_budget) or splits > self.max_splits:
            if splits > self.max_splits and self.stuck is None:
                self.stuck = box
            return None
        # integer symbols: shrink to the integer hull
        for s, (lo, hi, lo_open, hi_open) in box.items():
            if domain and self.bysym[s].integer:
                nlo, nhi = _integer_hull(lo, hi, lo_open, hi_open)
                if (nlo, nhi) != (lo, hi) or lo_open or hi_open:
                    if not isinstance(nlo, float) and not isinstance(nhi, float) and nlo > nhi:
                        return {"rule": "integer", "var": s.name, "child": None}
                    nb = dict(box)
                    nb[s] = (nlo, nhi, False, False)
                    child = self._prove(key, nb, strict, depth, domain, sub_budget, splits)
                    return None if child is None else {"rule": "integer", "var": s.name, "child": child}
        abox = _arb_box(box)
        for k, (_, hfn) in enumerate(self.hyps):
            if domain and hfn is not None and hfn(abox):
                return {"rule": "excluded", "hyp": k}
        enc, smooth = self.enclose(key, abox)
        if _ge0(enc, strict):
            return {"rule": "enclosure"}
        if key == "g":
            for i, fn in enumerate(self.sign_fns):
                if fn is not None and _ge0(fn(abox)[0], strict):
                    return {"rule": "enclosure", "form": i}
            for i, fn in enumerate(self.dom_sign_fns if domain else []):
                if fn is not None and _ge0(fn(abox)[0], strict):
                    return {"rule": "enclosure", "dform": i}
        is_point = all(_width(b) == 0 for b in box.values())
        if _lt0(enc, strict):
            if domain and key == "g":
                raise _Violated(box)
            return None
        if is_point:
            if not strict and smooth and self._exact_zero(key, box):
                return {"rule": "zero"}
            return None
        if not strict and any(_width(b) == 0 for b in box.values()) and self._face_zero(key, box):
            # f with the box's fixed coordinates substituted is identically 0 (log(x + e^y) - y at x = 0)
            return {"rule": "facezero"}
        # the mean-value form f(c) + sum_i f_i(X) (X_i - c_i), on a bounded box where f is smooth
        if smooth and all(_width(b) < INF for b in box.values()):
            mv = self._mean_value(key, box, abox)
            if mv is not None and _ge0(mv[0], strict):
                return {"rule": "meanvalue", "centre": {t.name: str(c) for t, c in mv[1].items()}}
        # monotone in some coordinate: reduce to a face
        if smooth and depth <= self.max_deriv:
            for s in sorted(box, key=lambda t: -_width(box[t])):
                lo, hi, lo_open, hi_open = box[s]
                if _width(box[s]) == 0:
                    continue
                for side, sign in (("lo", 1), ("hi", -1)):
                    end = lo if side == "lo" else hi
                    if isinstance(end, float):
                        continue
                    dk = self.deriv_key(key, s, sign)
                    denc, dsmooth = self.enclose(dk, abox)
                    if not _ge0(denc, False):
                        continue
                    face_open = lo_open if side == "lo" else hi_open
                    strict_deriv = False
                    face_strict = strict
                    if strict and face_open:
                        # the face is outside the domain: g(face) >= 0 and dg > 0 inside suffice
                        if _ge0(denc, True):
                            strict_deriv, face_strict = True, False
                    face = dict(box)
                    face[s] = (end, end, False, False)
                    fproof = self._prove(key, face, face_strict, depth, False, sub_budget, splits)
                    if fproof is None:
                        continue
                    return {"rule": "monotone", "var": s.name, "side": side, "strict_deriv": strict_deriv,
                            "deriv": {"rule": "enclosure"}, "face": fproof}
            # the derivative's sign by a sub-proof (near tangency points)
            if depth < self.max_deriv and self._near_tight(box):
                # a sub-proof on an unbounded box that is not near a tight point gets a smaller budget: splitting
                # the tail further usually decides it sooner
                unbounded = any(isinstance(b[0], float) or isinstance(b[1], float) for b in box.values())
                sub_nodes = 150 if unbounded and not any(self._tight_in_box(p, box) for p in self.tight) else 400
                for s in sorted(box, key=lambda t: -_width(box[t])):
                    lo, hi, lo_open, hi_open = box[s]
                    if _width(box[s]) == 0:
                        continue
                    for side, sign in (("lo", 1), ("hi", -1)):
                        end = lo if side == "lo" else hi
                        if isinstance(end, float):
                            continue
                        face_open = lo_open if side == "lo" else hi_open
                        dk = self.deriv_key(key, s, sign)
                        if self._wrong_sign_somewhere(dk, box, s):
                            continue  # the derivative has the other sign at a sample point: no sub-proof
                        want_strict = strict and face_open
                        dproof = self._prove(dk, box, want_strict, depth + 1, False,
                                             min(self.nodes + sub_nodes, sub_budget or self.max_nodes), splits)
                        if dproof is None:
                            continue
                        face = dict(box)
                        face[s] = (end, end, False, False)
                        fproof = self._prove(key, face, strict and not want_strict, depth, False, sub_budget,
                                             splits)
                        if fproof is None:
                            continue
                        return {"rule": "monotone", "var": s.name, "side": side, "strict_deriv": want_strict,
                                "deriv": dproof, "face": fproof}
        # split
        s = self._split_var(box)
        if s is None:
            return None
        lo, hi, lo_open, hi_open = box[s]
        at = self._split_at(s, lo, hi)
        left = dict(box)
        left[s] = (lo, at, lo_open, False)
        right = dict(box)
        right[s] = (at, hi, False, hi_open)
        a = self._prove(key, left, strict, depth, domain, sub_budget, splits + 1)
        if a is None:
            return None
        b = self._prove(key, right, strict, depth, domain, sub_budget, splits + 1)
        if b is None:
            return None
        return {"rule": "split", "var": s.name, "at": str(at), "children": [a, b]}

    def _wrong_sign_somewhere(self, key: str, box: dict, s) -> bool:
        """Whether f_key is certainly < 0 at the centre of the box or at a point near either end of s's interval
        (a search heuristic: it only skips a derivative sub-proof that cannot succeed)."""
        centre = {t: (_box_centre(b) if _width(b) > 0 else b[0]) for t, b in box.items()}
        lo, hi = box[s][0], box[s][1]
        pts = [centre]
        for end, other in ((lo, hi), (hi, lo)):
            if isinstance(end, float):
                continue
            p = dict(centre)
            p[s] = end + (_box_centre((lo, hi)) - end) / 64 if not isinstance(other, float) else \
                end + (1 if end == lo else -1) * Fraction(1, 64)
            pts.append(p)
        for p in pts:
            pbox = {t: A.from_rational(v) for t, v in p.items()}
            try:
                (_, h), _ = self.enclose(key, pbox)
            except (ZeroDivisionError, ValueError):
                continue
            if not A.is_inf(h) and h < 0:
                return True
        return False

    def _mean_value(self, key: str, box: dict, abox: dict):
        centre = {t: (_split_point(b[0], b[1]) if _width(b) > 0 else b[0]) for t, b in box.items()}
        cbox = {t: A.from_rational(c) for t, c in centre.items()}
        acc, ok = self.enclose(key, cbox)
        if not ok:
            return None
        for t, b in box.items():
            if _width(b) == 0:
                continue
            d, _ = self.enclose(self.deriv_key(key, t, 1), abox)
            c = A.from_rational(centre[t])
            dx = A.add(abox[t], A.neg(c))
            acc = A.add(acc, A.mul(d, dx))
        return acc, centre

    def _split_var(self, box: dict):
        cands = [s for s in box if _width(box[s]) > 0]
        if not cands:
            return None
        # a tight point strictly inside the box is split at first
        for p in self.tight:
            for s in cands:
                v = p.get(s)
                if v is not None and _inside(v, box[s]) and self._tight_in_box(p, box):
                    return s
        return max(cands, key=lambda t: _width(box[t]))

    def _split_at(self, s, lo, hi) -> Fraction:
        for p in self.tight:
            v = p.get(s)
            if v is not None and _inside(v, (lo, hi)):
                return v
        return _split_point(lo, hi)

    def _tight_in_box(self, p: dict, box: dict) -> bool:
        return all(_inside_closed(p[s], box[s]) for s in box if s in p)

    def _near_tight(self, box: dict) -> bool:
        if any(isinstance(b[0], float) or isinstance(b[1], float) for b in box.values()):
            return True  # unbounded boxes: a tail is decided by the derivative, never by splitting alone
        return any(self._tight_in_box(p, box) for p in self.tight)

    def _face_zero(self, key: str, box: dict) -> bool:
        fixed = tuple((s, box[s][0]) for s in sorted(box, key=lambda t: t.name) if _width(box[s]) == 0)
        ck = (key, "face", fixed)
        if ck not in self._zero_cache:
            self._zero_cache[ck] = _face_is_zero(self.exprs[key], dict(fixed))
        return self._zero_cache[ck]

    def _exact_zero(self, key: str, box: dict) -> bool:
        pt = tuple((s, box[s][0]) for s in sorted(box, key=lambda t: t.name))
        ck = (key, pt)
        if ck not in self._zero_cache:
            self._zero_cache[ck] = _is_exact_zero(self.exprs[key], {s: sp.Rational(v.numerator, v.denominator)
                                                                   for s, v in pt})
        return self._zero_cache[ck]


_SYMPY_TROUBLE = (ArithmeticError, ValueError, TypeError, NotImplementedError, RecursionError, IndexError, KeyError,
                  AttributeError, sp.PolynomialError, sp.SympifyError)


def _quiet(default):
    """A case split or form constructor that meets sympy trouble gives no split (``default``), never an internal
    error: they only propose reductions, each re-derived by the checker the same way."""
    def wrap(fn):
        import functools

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except _SYMPY_TROUBLE:
                return default
        return inner
    return wrap


def alternative_forms(e: sp.Expr) -> list[sp.Expr]:
    """``e`` and, when cheap, ``factor(together(e))``: an identity wherever ``e`` is defined, and often a far
    tighter interval enclosure (derivatives of rational terms, where the natural form suffers dependency)."""
    out = [e]
    ops = sp.count_ops(e)
    if ops <= 60 and e.has(sp.log, sp.exp) and A.mul_groups_possible(e):
        # expanded, products such as (x + x**(1/3))*log(x) become 0 * oo groups the evaluators enclose
        try:
            ex = sp.expand(e, log=False, power_exp=False, power_base=False, multinomial=True, mul=True)
        except (TypeError, ValueError, RecursionError):
            ex = e
        if ex != e and sp.count_ops(ex) <= 2 * ops + 10:
            out.append(ex)
    if ops <= 40 and any(p.exp.is_negative for p in e.atoms(sp.Pow)) and not e.has(sp.exp):
        try:
            t = sp.factor(sp.together(e))
        except (sp.PolynomialError, NotImplementedError, TypeError, ValueError, RecursionError):
            return out
        if t != e and sp.count_ops(t) <= ops + 10:
            out.append(t)
    return out


def _intersect(a, b):
    lo = a[0] if A.is_inf(b[0]) or (not A.is_inf(a[0]) and a[0] >= b[0]) else b[0]
    hi = a[1] if A.is_inf(b[1]) or (not A.is_inf(a[1]) and a[1] <= b[1]) else b[1]
    return lo, hi


def _compile_forms(e: sp.Expr):
    fns = [A.compile_expr(f) for f in alternative_forms(e)]
    if len(fns) == 1:
        return fns[0]

    def both(abox, fns=fns):
        val, ok = fns[0](abox)
        for f in fns[1:]:
            try:
                v, _ = f(abox)
            except (ZeroDivisionError, ValueError):
                continue
            val = _intersect(val, v)
        return val, ok
    return both


def _is_exact_zero(e: sp.Expr, point: dict) -> bool:
    from .certify import is_exact_zero

    return is_exact_zero(e, point)


def _face_is_zero(e: sp.Expr, fixed: dict) -> bool:
    """Whether ``e`` with the fixed coordinates substituted is identically 0 (sympy's automatic evaluation, then
    cancel): a non-strict claim then holds at every point of the face where it is defined."""
    f = e.subs({s: sp.Rational(v.numerator, v.denominator) for s, v in fixed.items()})
    if f == 0:
        return True
    if sp.count_ops(f) > 30:
        return False
    try:
        return sp.cancel(sp.together(f)) == 0
    except (sp.PolynomialError, TypeError, ValueError, RecursionError):
        return False


def _inside(v, b) -> bool:
    lo, hi = b[0], b[1]
    return (isinstance(lo, float) or lo < v) and (isinstance(hi, float) or v < hi)


def _inside_closed(v, b) -> bool:
    lo, hi = b[0], b[1]
    return (isinstance(lo, float) or lo <= v) and (isinstance(hi, float) or v <= hi)


def _box_centre(b) -> Fraction:
    lo, hi = b[0], b[1]
    if isinstance(lo, float) and isinstance(hi, float):
        return Fraction(0)
    if isinstance(hi, float):
        return lo + 1
    if isinstance(lo, float):
        return hi - 1
    return (lo + hi) / 2


def _compile_hyp(h: sp.Basic):
    """(text, fn(abox) -> True when h is certainly false on the box) for a relation; fn None if unusable."""
    text = str(h)
    if not isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan, sp.Eq)):
        return text, None
    try:
        fn = A.compile_expr(h.lhs - h.rhs)
    except UnsupportedError:
        return text, None
    kind = type(h)

    def violated(abox, fn=fn, kind=kind) -> bool:
        (lo, hi), _ = fn(abox)
        if kind is sp.StrictLessThan:
            return not A.is_inf(lo) and bool(lo >= 0)
        if kind is sp.LessThan:
            return not A.is_inf(lo) and bool(lo > 0)
        if kind is sp.StrictGreaterThan:
            return not A.is_inf(hi) and bool(hi <= 0)
        if kind is sp.GreaterThan:
            return not A.is_inf(hi) and bool(hi < 0)
        return (not A.is_inf(lo) and bool(lo > 0)) or (not A.is_inf(hi) and bool(hi < 0))

    return text, violated


# ---------------------------------------------------------------------------------------------- tight points
def tight_points(g: sp.Expr, variables: Sequence[Var], *, starts: int = 12, seed: int = 0,
                 tol: float = 1e-7) -> tuple[list[dict], dict | None]:
    """Exact rational points where ``g`` is (numerically) 0, found by a local pattern search for the minimum of
    ``g`` from several starts and kept only when ``g`` there is exactly 0 (heuristic: they only place splits);
    and the lowest point seen when ``g`` was clearly negative there (a candidate counterexample, or None).

    Plain Python floats (``math``): no numpy/scipy import on this path."""
    import random

    syms = [v.sym for v in variables]
    if not syms:
        return [], None
    try:
        f = sp.lambdify(syms, g, modules="math")
    except (TypeError, ValueError, SyntaxError, NameError):
        return [], None
    rng = random.Random(seed)
    los = [-1e6 if isinstance(v.lo, float) else float(v.lo) for v in variables]
    his = [1e6 if isinstance(v.hi, float) else float(v.hi) for v in variables]

    def obj(x: list[float]) -> float:
        try:
            val = float(f(*x))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.inf
        return val if math.isfinite(val) else math.inf

    def clip(x: list[float]) -> list[float]:
        return [min(max(xi, lo), hi) for xi, lo, hi in zip(x, los, his)]

    cands: list[list[float]] = []
    for _ in range(starts):
        x0 = []
        for v, lo, hi in zip(variables, los, his):
            r = rng.random()
            ends = [e for e in (lo, hi) if abs(e) < 1e6]
            if r < 0.3 and ends:
                x0.append(rng.choice(ends))
            elif r < 0.45 and lo <= 1 <= hi:
                x0.append(1.0)
            elif hi - lo > 100:
                base = max(lo, -50.0) if lo > -1e6 else min(hi, 50.0) - 100
                x0.append(min(max(base + 10 ** rng.uniform(-3, 2), lo), hi))
            else:
                x0.append(rng.uniform(lo, hi))
        cands.append(x0)
    found: list[dict] = []
    seen = set()
    best, best_val = None, -1e-9
    for x0 in cands:
        x = clip(x0)
        fx = obj(x)
        step = [max(1e-3, 0.1 * min(hi - lo, 10.0)) for lo, hi in zip(los, his)]
        for _ in range(60 * len(x)):
            improved = False
            for i in range(len(x)):
                for sgn in (1.0, -1.0):
                    y = list(x)
                    y[i] += sgn * step[i]
                    y = clip(y)
                    fy = obj(y)
                    if fy < fx:
                        x, fx, improved = y, fy, True
                        break
            if not improved:
                step = [s / 2 for s in step]
                if max(step) < 1e-11:
                    break
        if fx < best_val:
            best, best_val = x, fx
        if not (abs(fx) < tol):
            continue
        pt = {}
        for xi, v in zip(x, variables):
            pt[v.sym] = Fraction(round(xi)) if v.integer else Fraction(xi).limit_denominator(64)
        key = tuple(sorted((s.name, str(r)) for s, r in pt.items()))
        if key in seen:
            continue
        seen.add(key)
        if _is_exact_zero(g, {s: sp.Rational(r.numerator, r.denominator) for s, r in pt.items()}):
            found.append(pt)
    counter = None
    if best is not None:
        counter = {v.sym.name: (Fraction(round(xi)) if v.integer else Fraction(xi)) for xi, v in zip(best, variables)}
    return found, counter


def _certified_negative(g: sp.Expr, variables: Sequence[Var], counter: dict, strict: bool) -> bool:
    """Whether ``g`` at the (rounded) counter point is certainly < 0 (<= 0 strict) by arb balls, in the domain."""
    from .certify import certify_violation

    pt = {}
    for v in variables:
        c = Fraction(counter[v.sym.name]).limit_denominator(10 ** 12)
        if not (_inside_closed(c, (v.lo, v.hi)) and not (v.lo_open and c == v.lo) and not (v.hi_open and c == v.hi)):
            return False
        counter[v.sym.name] = c
        pt[v.sym] = sp.Rational(c.numerator, c.denominator)
    return certify_violation(g, pt, strict=strict) is not None


def prove_box(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic] = (), *, strict: bool = False,
              timeout: float = 5.0, max_nodes: int = 20000, seed: int = 0) -> BnBResult:
    """Run the branch-and-bound on ``g >= 0`` (> 0) with tight points located first."""
    deadline = time.monotonic() + timeout
    try:
        tp, counter = tight_points(g, variables, seed=seed)
    except (UnsupportedError, ValueError, TypeError, ArithmeticError):
        tp, counter = [], None
    if counter is not None and not hypotheses and not any(v.integer for v in variables) and \
            _certified_negative(g, variables, counter, strict):
        return BnBResult("violated", reason="local minimisation found a certified negative value", counter=counter,
                         seconds=timeout - (deadline - time.monotonic()))
    # the natural candidates 0 and 1 (log, exp and roots are exact there) and the box's finite ends
    for v in variables:
        for c in (Fraction(0), Fraction(1)):
            p = {v.sym: c}
            if c not in [q.get(v.sym) for q in tp]:
                tp.append(p)
    # one symbol: derivative sub-proofs up to the 5th derivative (tangency of order <= 6, such as the x**6/60
    # of exp-problem-9's numerator at 0); the wrong-sign probe keeps the deeper attempts cheap
    bb = BranchAndBound(g, variables, hypotheses, strict=strict, deadline=deadline, max_nodes=max_nodes,
                        tight_points=tp, max_deriv=5 if len(variables) == 1 else 3)
    return bb.run()


# ---------------------------------------------------------------------------------------------- checker
class CertificateError(ValueError):
    """A certificate that does not prove its claim."""


def check_certificate(cert: dict, g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic] = (), *,
                      strict: bool = False) -> int:
    """Replay a branch-and-bound certificate for ``g >= 0`` (> 0) on the domain with mpmath intervals.

    Independent of the search: boxes come from the domain and the recorded split points, derivatives from
    sympy, enclosures from mpmath's ``iv`` context (not flint). Returns the number of nodes checked.

    Raises:
        CertificateError: the certificate does not establish the claim.
    """
    if cert.get("format") != "boundcheck-bnb-1":
        raise CertificateError("unknown certificate format")
    if bool(cert.get("strict")) != bool(strict) and strict:
        raise CertificateError("certificate is for the non-strict claim")
    box = {v.sym: (v.lo, v.hi, v.lo_open, v.hi_open) for v in variables}
    names = {v.sym.name: v.sym for v in variables}
    ints = {v.sym for v in variables if v.integer}
    exprs: dict[tuple, sp.Expr] = {(): g}
    count = [0]

    def expr_of(path: tuple) -> sp.Expr:
        if path not in exprs:
            parent = expr_of(path[:-1])
            name, sign = path[-1]
            d = sp.diff(parent, names[name])
            exprs[path] = d if sign > 0 else -d
        return exprs[path]

    def walk(node: Any, path: tuple, box: dict, strict: bool, domain: bool) -> None:
        count[0] += 1
        if not isinstance(node, dict):
            raise CertificateError("malformed node")
        rule = node.get("rule")
        f = expr_of(path)
        if rule == "enclosure":
            if "form" in node:
                # an expression with the sign of g at every point (g times a positive exponential)
                forms = sign_forms(g, variables)
                k = node["form"]
                if path != () or not isinstance(k, int) or not 0 <= k < len(forms):
                    raise CertificateError("enclosure of an unknown sign form")
                f = forms[k]
            elif "dform" in node:
                # the sign of g at the domain points only (g times a positive power of a nonzero symbol)
                forms = domain_sign_forms(g, variables, list(hypotheses))
                k = node["dform"]
                if path != () or not domain or not isinstance(k, int) or not 0 <= k < len(forms):
                    raise CertificateError("enclosure of an unknown domain sign form, or off the domain")
                f = forms[k]
            val, _ = _iv_eval(f, box)
            if not (val.a > 0 if strict else val.a >= 0):
                raise CertificateError(f"enclosure {val} of {f} on {_fmt(box)} is not {'>' if strict else '>='} 0")
            return
        if rule == "meanvalue":
            if any(isinstance(b[0], float) or isinstance(b[1], float) for b in box.values()):
                raise CertificateError("mean-value form on an unbounded box")
            _, ok = _iv_eval(f, box)
            if not ok:
                raise CertificateError(f"{f} is not certainly defined and smooth on {_fmt(box)}")
            centre = {s: Fraction(node["centre"][s.name]) for s in box}
            for s, c in centre.items():
                if not _inside_closed(c, box[s]):
                    raise CertificateError("mean-value centre outside the box")
            cbox = {s: (c, c, False, False) for s, c in centre.items()}
            acc, ok = _iv_eval(f, cbox)
            for s, b in box.items():
                if _width(b) == 0:
                    continue
                d, _ = _iv_eval(expr_of(path + ((s.name, 1),)), box)
                acc = acc + _iv_mul(d, _iv_box_value(b) - _iv_box_value(cbox[s]))
            if not (acc.a > 0 if strict else acc.a >= 0):
                raise CertificateError(f"mean-value enclosure {acc} on {_fmt(box)} is not {'>' if strict else '>='} 0")
            return
        if rule in ("excluded", "integer") and not domain:
            raise CertificateError(f"{rule} rule on a box that must hold at every point (a face or a derivative)")
        if rule == "excluded":
            k = int(node["hyp"])
            if not (0 <= k < len(hypotheses)) or not _iv_hyp_false(hypotheses[k], box):
                raise CertificateError(f"hypothesis {k} is not certainly false on {_fmt(box)}")
            return
        if rule == "integer":
            s = names.get(node.get("var"))
            if s not in ints:
                raise CertificateError("integer rule on a real symbol")
            lo, hi, lo_open, hi_open = box[s]
            nlo, nhi = _integer_hull(lo, hi, lo_open, hi_open)
            if node.get("child") is None:
                if isinstance(nlo, float) or isinstance(nhi, float) or nlo <= nhi:
                    raise CertificateError(f"{s} has integers in {_fmt(box)}")
                return
            nb = dict(box)
            nb[s] = (nlo, nhi, False, False)
            walk(node["child"], path, nb, strict, domain)
            return
        if rule == "facezero":
            fixed = {s: b[0] for s, b in box.items() if _width(b) == 0}
            if strict or not fixed or not _face_is_zero(f, fixed):
                raise CertificateError(f"{f} is not identically 0 on the face {_fmt(box)}")
            return
        if rule == "zero":
            if strict or any(_width(b) != 0 for b in box.values()):
                raise CertificateError("zero rule needs a point and a non-strict claim")
            _, ok = _iv_eval(f, box)
            pt = {s: sp.Rational(b[0].numerator, b[0].denominator) for s, b in box.items()}
            if not ok or not _is_exact_zero(f, pt):
                raise CertificateError(f"{f} is not exactly 0 at {pt}")
            return
        if rule == "monotone":
            s = names.get(node.get("var"))
            side = node.get("side")
            if s is None or side not in ("lo", "hi"):
                raise CertificateError("malformed monotone node")
            lo, hi, lo_open, hi_open = box[s]
            end = lo if side == "lo" else hi
            if isinstance(end, float):
                raise CertificateError("monotone rule towards an infinite end")
            _, ok = _iv_eval(f, box)
            if not ok:
                raise CertificateError(f"{f} is not certainly defined and smooth on {_fmt(box)}")
            sign = 1 if side == "lo" else -1
            sd = bool(node.get("strict_deriv"))
            face_open = lo_open if side == "lo" else hi_open
            if sd and not face_open:
                raise CertificateError("strict derivative used towards a face inside the domain")
            walk(node["deriv"], path + ((s.name, sign),), box, sd, False)
            face = dict(box)
            face[s] = (end, end, False, False)
            walk(node["face"], path, face, strict and not sd, False)
            return
        if rule == "split":
            s = names.get(node.get("var"))
            if s is None:
                raise CertificateError("split on an unknown symbol")
            at = Fraction(node["at"])
            lo, hi, lo_open, hi_open = box[s]
            if not _inside(at, (lo, hi)):
                raise CertificateError(f"split point {at} outside {_fmt(box)}")
            kids = node.get("children") or []
            if len(kids) != 2:
                raise CertificateError("split needs two children")
            left = dict(box)
            left[s] = (lo, at, lo_open, False)
            right = dict(box)
            right[s] = (at, hi, False, hi_open)
            walk(kids[0], path, left, strict, domain)
            walk(kids[1], path, right, strict, domain)
            return
        raise CertificateError(f"unknown rule {rule!r}")

    from mpmath import iv

    saved = iv.prec
    iv.prec = 113
    try:
        walk(cert.get("tree"), (), box, strict, True)
    finally:
        iv.prec = saved
    return count[0]


def _fmt(box: dict) -> str:
    return ", ".join(f"{s} in [{_num_str(b[0])}, {_num_str(b[1])}]" for s, b in box.items())


def _iv_box_value(b):
    from mpmath import iv

    lo = "-inf" if isinstance(b[0], float) else iv.mpf(b[0].numerator) / b[0].denominator
    hi = "inf" if isinstance(b[1], float) else iv.mpf(b[1].numerator) / b[1].denominator
    if isinstance(lo, str) or isinstance(hi, str):
        a = iv.mpf(lo).a if isinstance(lo, str) else lo.a
        c = iv.mpf(hi).b if isinstance(hi, str) else hi.b
        return iv.mpf([a, c])
    return iv.mpf([lo.a, hi.b])


def _iv_hyp_false(h: sp.Basic, box: dict) -> bool:
    if not isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan, sp.Eq)):
        return False
    val, _ = _iv_eval(h.lhs - h.rhs, box)
    if isinstance(h, sp.StrictLessThan):
        return val.a >= 0
    if isinstance(h, sp.LessThan):
        return val.a > 0
    if isinstance(h, sp.StrictGreaterThan):
        return val.b <= 0
    if isinstance(h, sp.GreaterThan):
        return val.b < 0
    return val.a > 0 or val.b < 0


def _iv_eval(e: sp.Expr, box: dict):
    """(mpmath iv enclosure over the defined points, certainly-defined-and-smooth) -- the checker's evaluator.

    The enclosures of ``e`` and of its alternative forms (identities where ``e`` is defined) are intersected;
    the smoothness flag is that of ``e`` itself."""
    from mpmath import iv

    forms = alternative_forms(e)
    val, ok = _iv_eval1(forms[0], box)
    for f in forms[1:]:
        v, _ = _iv_eval1(f, box)
        lo, hi = max(val.a, v.a), min(val.b, v.b)
        if lo > hi:  # cannot happen for valid enclosures of one function at a defined point
            raise CertificateError(f"disjoint enclosures of {e} on {_fmt(box)}")
        val = iv.mpf([lo.a, hi.b])
    return val, ok


def _iv_eval1(e: sp.Expr, box: dict):
    from mpmath import iv

    whole = iv.mpf(["-inf", "inf"])

    def ev(e):
        if e.is_Symbol:
            return _iv_box_value(box[e]), True
        if e.is_Float:
            e = sp.Rational(str(e))
        if e.is_Rational:
            return iv.mpf(int(e.p)) / int(e.q), True
        if e is sp.E:
            return iv.e, True
        if e is sp.pi:
            return iv.pi, True
        if e.is_Add:
            acc, ok = ev(e.args[0])
            for a in e.args[1:]:
                v, o = ev(a)
                acc, ok = acc + v, ok and o
            return acc, ok
        if e.is_Mul:
            acc, ok = ev(e.args[0])
            for a in e.args[1:]:
                v, o = ev(a)
                acc, ok = _iv_mul(acc, v), ok and o
            groups = A.mul_groups(e.args)
            if groups:
                # 0 * oo products (x log(x)**2 at 0, x exp(-x) at oo): the range of each group from its values
                # at the ends and breakpoints, intersected with the plain product
                alt = None
                used = {i for g in groups for i in g.idx}
                for i, a in enumerate(e.args):
                    if i not in used:
                        v, _ = ev(a)
                        alt = v if alt is None else _iv_mul(alt, v)
                for g in groups:
                    if g.check_nonneg is not None:
                        sb = box.get(g.check_nonneg)
                        if sb is None or isinstance(sb[0], float) or sb[0] < 0:
                            return acc, ok
                    uv, _ = ev(g.u)
                    r = _iv_group_range(g, uv)
                    if g.kind == "exp" and g.d != 0:
                        dv, _ = ev(sp.exp(g.d))
                        r = _iv_mul(r, dv)
                    alt = r if alt is None else _iv_mul(alt, r)
                lo, hi = max(acc.a, alt.a), min(acc.b, alt.b)
                if lo > hi:
                    raise CertificateError(f"disjoint enclosures of {e} on {_fmt(box)}")
                acc = iv.mpf([lo.a, hi.b])
            return acc, ok
        if e.is_Pow:
            b, p = e.args
            if b is sp.E:
                return ev(sp.exp(p, evaluate=False))
            v, ok = ev(b)
            if p.is_Integer:
                n = int(p)
                if n >= 0:
                    return v ** n, ok
                d = v ** (-n)
                if d.a > 0 or d.b < 0:
                    return 1 / d, ok
                if d.a == 0 and d.b > 0:  # 1/x over the points x != 0 of [0, b]
                    return iv.mpf([(1 / iv.mpf(d.b)).a, "inf"]), False
                if d.b == 0 and d.a < 0:
                    return iv.mpf(["-inf", (1 / iv.mpf(d.a)).b]), False
                return whole, False
            if p.is_Rational:
                if v.b < 0:
                    return whole, False
                pos = v.a > 0
                lo = max(v.a, 0)
                r = sp.Rational(p)
                lo_v = _iv_rpow(lo, r)
                hi_v = _iv_rpow(v.b, r)
                if r > 0:
                    return iv.mpf([lo_v.a, hi_v.b]), ok and pos
                return iv.mpf([hi_v.a, lo_v.b]), ok and pos
            raise CertificateError(f"no interval rule for {e}")
        if isinstance(e, sp.exp):
            v, ok = ev(e.args[0])
            return iv.exp(v), ok
        if isinstance(e, sp.log):
            v, ok = ev(e.args[0])
            if v.b <= 0:
                return whole, False
            if v.a <= 0:
                hi = iv.log(iv.mpf(v.b)).b
                return iv.mpf(["-inf", hi]), False
            return iv.log(v), ok
        if isinstance(e, sp.Abs):
            v, _ = ev(e.args[0])
            return abs(v), False
        raise CertificateError(f"no interval rule for {type(e).__name__}")

    return ev(e)


def _iv_group_range(g, u):
    """The checker's range of a 0 * oo group (``_arbiv.MulGroup``) over the interval ``u`` (mpmath iv): the hull
    of its values or limits at the ends of ``u`` and at its breakpoints inside ``u``."""
    from mpmath import inf, iv, mpf

    whole = iv.mpf(["-inf", "inf"])
    k, n, c = g.k, g.n, g.c
    lo, hi = u.a, u.b
    if g.kind == "log" or k.denominator != 1:
        if hi <= 0:
            return whole
        if lo < 0:
            lo = mpf(0)
    if g.kind == "exp" and k < 0 and lo < 0 < hi:
        return whole  # u**k has a pole inside the interval
    kq = iv.mpf(k.numerator) / k.denominator

    def at(x):  # an iv value at the finite end x, or None at a pole
        xi = iv.mpf(x)
        if g.kind == "log":
            if xi.a == 0 and xi.b == 0:
                return iv.mpf(0) if k > 0 else iv.mpf(["inf", "inf"] if n % 2 == 0 else ["-inf", "-inf"])
            pk = xi ** int(k) if k.denominator == 1 and k > 0 else (
                1 / xi ** int(-k) if k.denominator == 1 else iv.exp(kq * iv.log(xi)))
            return pk * iv.log(xi) ** n
        if xi.a == 0 and xi.b == 0:
            return iv.mpf(0) if k > 0 else None
        if k.denominator == 1:
            pk = xi ** int(k) if k > 0 else 1 / xi ** int(-k)
        else:
            pk = iv.exp(kq * iv.log(xi))
        return pk * iv.exp(iv.mpf(c.numerator) / c.denominator * xi)

    def limit(side):
        if g.kind == "log":
            return iv.mpf(["inf", "inf"]) if k > 0 else iv.mpf(0)
        if c * side < 0:
            return iv.mpf(0)
        pos = side > 0 or k % 2 == 0
        return iv.mpf(["inf", "inf"] if pos else ["-inf", "-inf"])

    vals = []
    for end, side in ((lo, -1), (hi, 1)):
        if end in (inf, -inf):
            vals.append(limit(side))
            continue
        v = at(end)
        if v is None:
            if k.denominator != 1 and side > 0:
                return whole
            pos = side < 0 or int(k) % 2 == 0
            v = iv.mpf(["inf", "inf"] if pos else ["-inf", "-inf"])
        vals.append(v)
    pts = []
    if g.kind == "log":
        if n >= 2:
            pts.append((iv.mpf(1), iv.mpf(0)))
        r = -iv.mpf(n) * k.denominator / k.numerator
        pts.append((iv.exp(r), r ** n * iv.exp(iv.mpf(-n))))
    else:
        if k > 0:
            pts.append((iv.mpf(0), iv.mpf(0)))
        ustar = -k / c
        if ustar != 0 and (ustar > 0 or k.denominator == 1):
            xs = iv.mpf(ustar.numerator) / ustar.denominator
            pts.append((xs, at(xs)))  # iv arithmetic over the breakpoint's enclosure (never 0 here)
    for x, v in pts:
        if x.b < lo or x.a > hi:
            continue
        vals.append(v)
    a = min(v.a for v in vals)
    b = max(v.b for v in vals)
    return iv.mpf([a, b])


def _iv_mul(x, y):
    from mpmath import iv

    # 0 * inf = 0 for extended intervals (an infinite end is never attained)
    if (x.a == 0 and x.b == 0) or (y.a == 0 and y.b == 0):
        return iv.mpf(0)
    return x * y


def _iv_rpow(a, r: sp.Rational):
    from mpmath import inf, iv

    if a == inf:
        return iv.mpf(["inf", "inf"]) if r > 0 else iv.mpf(0)
    if a == 0:
        return iv.mpf(0) if r > 0 else iv.mpf(["inf", "inf"])
    p, q = int(r.p), int(r.q)
    exact = _exact_root(a, q)
    if exact is not None:
        base = iv.mpf(exact.numerator) / exact.denominator
    elif q == 2:
        base = iv.sqrt(iv.mpf(a))
    else:
        base = iv.exp(iv.log(iv.mpf(a)) / q)
    return base ** p if p > 0 else 1 / base ** (-p)


def _exact_root(a, q: int) -> Fraction | None:
    """The rational q-th root of the exact binary number a, when there is one."""
    import mpmath

    m, e = mpmath.mpf(a).man_exp
    frac = Fraction(int(m)) * (Fraction(2) ** int(e))
    num, den = frac.numerator, frac.denominator
    rn, rd = _iroot(num, q), _iroot(den, q)
    if rn is not None and rd is not None:
        return Fraction(rn, rd)
    return None


def _iroot(k: int, q: int) -> int | None:
    if k < 0:
        return None
    r = round(k ** (1.0 / q)) if k < 2 ** 1000 else None
    if r is None:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** q == k:
            return c
    return None


# ---------------------------------------------------------------------------------------------- ladder glue
def _rational_below(v: sp.Expr) -> tuple[Fraction, bool]:
    """(a rational <= v, whether it is exactly v)."""
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q)), True
    from .certify import ball_to_bounds, enclose

    lo, _ = ball_to_bounds(enclose(v, {}, 128))
    return Fraction(int(lo.p), int(lo.q)), False


def _rational_above(v: sp.Expr) -> tuple[Fraction, bool]:
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q)), True
    from .certify import ball_to_bounds, enclose

    _, hi = ball_to_bounds(enclose(v, {}, 128))
    return Fraction(int(hi.p), int(hi.q)), False


def variables_of(box, symbols: Sequence[sp.Symbol]) -> list[Var]:
    """The Vars of a calculus Box (irrational ends widened outward to rationals, then closed)."""
    out = []
    for s in symbols:
        b = box.bounds.get(s)
        lo, hi, lo_open, hi_open = -INF, INF, False, False
        integer = bool(b and b.integer)
        if b is not None and b.lo is not None:
            lo, exact = _rational_below(b.lo)
            lo_open = b.lo_open and exact
        if b is not None and b.hi is not None:
            hi, exact = _rational_above(b.hi)
            hi_open = b.hi_open and exact
        out.append(Var(s, lo, hi, lo_open, hi_open, integer))
    return out


def eliminate_equalities(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic], reverse: bool = False):
    """Cases ``(g', variables', hypotheses')`` that together cover the claim, one auxiliary symbol defined by an
    ``Eq`` hypothesis eliminated: ``Eq(y**k, R)`` (R free of y) gives ``y = R**(1/k)`` (odd k, or even k with
    y >= 0 on its domain; even k with y of either sign gives the two cases +-R**(1/k)); ``Eq(a*y, b)`` (a, b
    free of y) gives ``y = b/a`` when ``a != 0`` certainly on the box. The bounds of y become hypotheses on the
    rest. Returns None when no hypothesis has that shape. ``reverse`` eliminates the symbol of lowest degree
    instead."""
    bysym = {v.sym: v for v in variables}
    for h in hypotheses:
        if not isinstance(h, sp.Eq):
            continue
        diff0 = sp.expand(h.lhs - h.rhs)

        def degree(t, diff0=diff0):
            try:
                return sp.degree(diff0, t) if diff0.is_polynomial(t) else 0
            except (sp.PolynomialError, ValueError):
                return 0

        # the symbol of highest degree first: y = sqrt(1 + x) keeps x's interval, x = y**2 - 1 would turn
        # x >= 0 into a hypothesis y**2 >= 1 that boxes straddling y = 1 cannot exclude
        # (reverse: the symbol of lowest degree first, x = y**2 - 1, which makes a root claim rational in y)
        for y in sorted(h.free_symbols & set(bysym), key=lambda t: ((1 if reverse else -1) * degree(t), t.name)):
            diff = diff0
            if not diff.is_polynomial(y):
                continue
            poly = sp.Poly(diff, y)
            deg = poly.degree()
            coeffs = poly.all_coeffs()
            if deg < 1 or any(c != 0 for c in coeffs[1:-1]):
                continue
            a, c0 = coeffs[0], coeffs[-1]
            v = bysym[y]
            sols: list[sp.Expr] = []
            if deg == 1:
                if not a.free_symbols and a != 0:
                    sols = [-c0 / a]
                else:
                    rest = [w for w in variables if w.sym != y]
                    try:
                        (alo, ahi), _ = A.compile_expr(a)(_arb_box({w.sym: (w.lo, w.hi, 0, 0) for w in rest}))
                    except UnsupportedError:
                        continue
                    if not ((not A.is_inf(alo) and alo > 0) or (not A.is_inf(ahi) and ahi < 0)):
                        continue
                    sols = [-c0 / a]
            elif a.free_symbols or a == 0:
                continue
            else:
                r = -c0 / a  # y**deg == r
                root = r ** sp.Rational(1, deg)
                if deg % 2 == 1:
                    # the real odd root: sympy's principal root where r >= 0, minus the root of -r where r <= 0
                    if isinstance(v.lo, Fraction) and v.lo >= 0:
                        sols = [root]
                    else:
                        rest = [w for w in variables if w.sym != y]
                        try:
                            (rlo, rhi), _ = A.compile_expr(r)(_arb_box({w.sym: (w.lo, w.hi, 0, 0) for w in rest}))
                        except UnsupportedError:
                            continue
                        if not A.is_inf(rlo) and rlo >= 0:
                            sols = [root]
                        elif not A.is_inf(rhi) and rhi <= 0:
                            sols = [-((-r) ** sp.Rational(1, deg))]
                        else:
                            continue
                elif isinstance(v.lo, Fraction) and v.lo >= 0:
                    sols = [root]
                elif isinstance(v.hi, Fraction) and v.hi <= 0:
                    sols = [-root]
                else:
                    sols = [root, -root]
            cases = []
            for sol in sols:
                rest = [w for w in variables if w.sym != y]
                hyps = [sp.sympify(k, strict=True).subs(y, sol) for k in hypotheses if k is not h]
                if not isinstance(v.lo, float):
                    hyps.append(sp.StrictGreaterThan(sol, v.lo) if v.lo_open else sp.GreaterThan(sol, v.lo))
                if not isinstance(v.hi, float):
                    hyps.append(sp.StrictLessThan(sol, v.hi) if v.hi_open else sp.LessThan(sol, v.hi))
                hyps = [k for k in hyps if k is not sp.true]
                if any(k is sp.false for k in hyps):
                    continue
                rest, hyps = _fold_polynomial_hypotheses(rest, hyps)
                if rest is None:
                    continue
                cases.append((g.subs(y, sol), rest, hyps))
            if v.integer:
                continue
            return cases
    return None


def _fold_polynomial_hypotheses(variables: list[Var], hyps: list[sp.Basic]):
    """Fold each hypothesis that is a polynomial inequality in one real symbol into that symbol's interval when
    its solution set there is one interval with rational ends (y**2 - 1 >= 0 with y >= 0 is y >= 1): a box
    touching the excluded part's edge can never be excluded by interval arithmetic. Returns (variables,
    remaining hypotheses), or (None, None) when a hypothesis leaves no point."""
    try:
        return _fold1(variables, hyps)
    except _SYMPY_TROUBLE:
        return list(variables), list(hyps)


def _fold1(variables: list[Var], hyps: list[sp.Basic]):
    out = list(variables)
    rest = []
    for h in hyps:
        done = False
        if isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)) and \
                len(h.free_symbols) == 1:
            s = next(iter(h.free_symbols))
            k = next((i for i, v in enumerate(out) if v.sym == s and not v.integer), None)
            d = h.lhs - h.rhs
            if k is not None and d.is_polynomial(s) and sp.degree(d, s) <= 4:
                v = out[k]
                lo = -sp.oo if isinstance(v.lo, float) else sp.Rational(v.lo.numerator, v.lo.denominator)
                hi = sp.oo if isinstance(v.hi, float) else sp.Rational(v.hi.numerator, v.hi.denominator)
                try:
                    sol = sp.solve_univariate_inequality(h, s, relational=False) & \
                        sp.Interval(lo, hi, v.lo_open, v.hi_open)
                except (NotImplementedError, TypeError, ValueError, sp.PolynomialError):
                    sol = None
                if sol is not None and sol is sp.S.EmptySet:
                    return None, None
                if isinstance(sol, sp.Interval) and all(e.is_Rational or e.is_infinite for e in (sol.start, sol.end)):
                    def conv(e):
                        return INF if e is sp.oo else (-INF if e is -sp.oo else Fraction(int(e.p), int(e.q)))
                    out[k] = Var(s, conv(sol.start), conv(sol.end), bool(sol.left_open) and sol.start.is_finite,
                                 bool(sol.right_open) and sol.end.is_finite)
                    done = True
        if not done:
            rest.append(h)
    return out, rest


def tail_cases(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]):
    """Cases covering the domain with every unbounded side of (at most two) symbols mapped to a bounded
    interval: ``x in [1, oo)`` becomes ``x = 1/t`` with ``t in (0, 1]`` (``x in (-oo, -1]``: ``x = -1/t``), the
    rest of the interval stays as it is; a lower end ``a > 0`` maps ``[a, oo)`` whole to ``t in (0, 1/a]``.
    None when no symbol is unbounded."""
    unb = [v for v in variables if isinstance(v.hi, float) or isinstance(v.lo, float)][:2]
    if not unb:
        return None
    cases = [(g, list(variables), list(hypotheses))]
    names = {v.sym.name for v in variables}
    for v in unb:
        new_cases = []
        tname = f"t_{v.sym.name}"
        while tname in names:
            tname += "_"
        names.add(tname)
        t = sp.Symbol(tname, real=True)
        for g0, vs0, hs0 in cases:
            cur = next(w for w in vs0 if w.sym == v.sym)
            rest = [w for w in vs0 if w.sym != v.sym]
            pieces: list[tuple] = []  # (Var for x or for t, substitution or None)
            lo, hi = cur.lo, cur.hi
            if isinstance(hi, float) and not isinstance(lo, float) and lo > 0:
                pieces.append((Var(t, Fraction(0), 1 / lo, True, cur.lo_open), 1 / t))
            elif isinstance(hi, float) and not isinstance(lo, float) and lo < 0 and False:
                pass
            else:
                mid_lo = lo if not isinstance(lo, float) else Fraction(-1)
                mid_hi = hi if not isinstance(hi, float) else Fraction(1)
                if isinstance(lo, float) and isinstance(hi, float):
                    mid_lo, mid_hi = Fraction(-1), Fraction(1)
                mlo_open = cur.lo_open if not isinstance(lo, float) else False
                mhi_open = cur.hi_open if not isinstance(hi, float) else False
                if isinstance(lo, float) or isinstance(hi, float):
                    if not isinstance(lo, float) and lo > mid_hi or not isinstance(hi, float) and hi < mid_lo:
                        return None
                pieces.append((Var(v.sym, mid_lo, mid_hi, mlo_open, mhi_open, v.integer), None))
                if isinstance(hi, float):
                    pieces.append((Var(t, Fraction(0), Fraction(1), True, False), 1 / t))
                if isinstance(lo, float):
                    pieces.append((Var(t, Fraction(0), Fraction(1), True, False), -1 / t))
            for var, sub in pieces:
                if sub is None:
                    new_cases.append((g0, rest + [var], hs0))
                else:
                    new_cases.append((g0.subs(v.sym, sub), rest + [var], [h.subs(v.sym, sub) for h in hs0]))
        cases = new_cases
    return cases


def _tighten(var: Var, hyps: Sequence[sp.Basic]) -> tuple[Var, list[sp.Basic]]:
    """Fold hypotheses ``t op c`` (c rational) into the bounds of ``var``; the rest stay hypotheses."""
    lo, hi, lo_open, hi_open = var.lo, var.hi, var.lo_open, var.hi_open
    rest = []
    for h in hyps:
        if isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            a, b = h.lhs, h.rhs
            op = type(h)
            d = sp.expand(a - b)
            if d.free_symbols == {var.sym} and d.is_polynomial(var.sym) and sp.degree(d, var.sym) == 1:
                c1, c0 = d.coeff(var.sym, 1), d.coeff(var.sym, 0)
                if c1.is_Rational and c0.is_Rational and c1 != 0:
                    a, b = var.sym, -c0 / c1
                    if c1 < 0:
                        op = {sp.StrictLessThan: sp.StrictGreaterThan, sp.LessThan: sp.GreaterThan,
                              sp.StrictGreaterThan: sp.StrictLessThan, sp.GreaterThan: sp.LessThan}[op]
            if b == var.sym and a.is_Rational:
                a, b = b, a
                op = {sp.StrictLessThan: sp.StrictGreaterThan, sp.LessThan: sp.GreaterThan,
                      sp.StrictGreaterThan: sp.StrictLessThan, sp.GreaterThan: sp.LessThan}[op]
            if a == var.sym and b.is_Rational:
                c = Fraction(int(b.p), int(b.q))
                st = op in (sp.StrictLessThan, sp.StrictGreaterThan)
                if op in (sp.StrictGreaterThan, sp.GreaterThan):
                    if isinstance(lo, float) or c > lo or (c == lo and st):
                        lo, lo_open = c, st
                else:
                    if isinstance(hi, float) or c < hi or (c == hi and st):
                        hi, hi_open = c, st
                continue
        rest.append(h)
    return Var(var.sym, lo, hi, lo_open, hi_open, var.integer), rest


def _is_zero(e: sp.Expr) -> bool:
    """Whether sympy shows ``e`` is identically 0 (cancel first, simplify on small expressions)."""
    if e == 0:
        return True
    c = sp.cancel(sp.together(e))
    if c == 0:
        return True
    return sp.count_ops(e) <= 60 and sp.simplify(e) == 0


def homogeneous_case(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]):
    """Two symbols x, y with y > 0 on (0, oo), x's domain a cone ((-oo, oo), (0, oo) or [0, oo)), every hypothesis
    relation homogeneous, and ``g(x, y) = y**k g(x/y, 1)`` exactly (sympy simplifies the difference to 0):
    then ``g >= 0`` on the domain iff ``g(t, 1) >= 0`` for t = x/y in x's domain under the hypotheses at y = 1.
    Returns ``[(g(t, 1), [Var t], hypotheses)]`` or None."""
    if len(variables) != 2:
        return None
    for yv, xv in (tuple(variables), tuple(reversed(variables))):
        if not (yv.lo == 0 and isinstance(yv.lo, Fraction) and isinstance(yv.hi, float) and not yv.integer
                and not xv.integer and isinstance(xv.hi, float)
                and (isinstance(xv.lo, float) or xv.lo == 0)):
            continue
        x, y = xv.sym, yv.sym
        t = sp.Symbol(f"t_{x.name}_{y.name}", real=True)
        yp = sp.Symbol(y.name + "_pos", positive=True)
        try:
            g1 = g.subs({x: t, y: 1})
            scaled = g.subs({x: t * yp, y: yp})
            k = None
            for cand in (0, 1, -1, 2, -2, 3):
                if _is_zero(scaled - yp ** cand * g1):
                    k = cand
                    break
            if k is None:
                continue
            hyps = []
            ok = True
            for h in hypotheses:
                if not isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
                    ok = False
                    break
                d = h.lhs - h.rhs
                d1 = d.subs({x: t, y: 1})
                dk = None
                for cand in (0, 1, -1, 2):
                    if _is_zero(d.subs({x: t * yp, y: yp}) - yp ** cand * d1):
                        dk = cand
                        break
                if dk is None:
                    ok = False
                    break
                hyps.append(type(h)(d1, 0))
            if not ok:
                continue
        except (TypeError, ValueError, RecursionError, NotImplementedError):
            continue
        tv, rest = _tighten(Var(t, xv.lo, xv.hi, xv.lo_open, xv.hi_open), hyps)
        return [(g1, [tv], rest)]
    return None


@_quiet(None)
def ne_cases(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic], open_ends: bool = True):
    """A removable singularity at an excluded point: with a hypothesis ``Ne(x, a)`` (a rational strictly inside
    x's interval) and ``g = N/D`` (sympy's ``together``, an identity wherever g is defined) with ``D(a) = 0``, the
    domain splits into x < a and x > a, and on each piece ``s*D > 0`` (s = the sign of D at a point of the piece)
    and ``s*N >= 0`` (> 0 for a strict claim) prove ``g = N/D >= 0`` there. Interval arithmetic cannot enclose
    log(x)/(x - 1) near 1; it can enclose N and D, which are tight at the piece's open end instead.

    Returns the cases ``(claim, variables, hypotheses, strict)``, or None. Deterministic (the checker
    recomputes it). Without such a hypothesis, a denominator that vanishes at an open end of a symbol's
    interval (log(t) in (t - 1)/log(t) on t > 1) is cleared the same way on the whole interval."""
    bysym = {v.sym: v for v in variables}
    for h in hypotheses:
        if not isinstance(h, sp.Ne):
            continue
        d = sp.expand(h.lhs - h.rhs)
        if len(d.free_symbols) != 1:
            continue
        xs = next(iter(d.free_symbols))
        v = bysym.get(xs)
        if v is None or v.integer or not d.is_polynomial(xs) or not 1 <= sp.degree(d, xs) <= 4:
            continue
        p = sp.Poly(d, xs)
        if p.degree() == 1:
            a = -p.nth(0) / p.nth(1)  # the root of a degree-1 d (sp.solve drops it when xs's assumptions exclude it)
        else:
            # Ne(y**3, 1): the rational real roots of the polynomial inside the interval (the first one)
            inside = [r for r in p.real_roots()
                      if r.is_Rational and _inside(Fraction(int(r.p), int(r.q)), (v.lo, v.hi))]
            if not inside:
                continue
            a = inside[0]
        if not a.is_Rational:
            continue
        af = Fraction(int(a.p), int(a.q))
        if not _inside(af, (v.lo, v.hi)):
            continue
        try:
            num, den = sp.fraction(sp.together(g))
        except (sp.PolynomialError, TypeError, ValueError, RecursionError):
            continue
        if not den.free_symbols or xs not in den.free_symbols:
            continue
        try:
            if not _is_zero(den.subs(xs, a)):
                continue
        except (TypeError, ValueError, RecursionError):
            continue
        rest_h = [k for k in hypotheses if k is not h]
        return _cleared(num, den, xs, variables, rest_h, ((v.lo, af, v.lo_open, True), (af, v.hi, True, v.hi_open)))
    # no Ne hypothesis: a denominator vanishing at an open end of a symbol's interval
    if not open_ends:
        return None
    try:
        num, den = sp.fraction(sp.together(g))
    except (sp.PolynomialError, TypeError, ValueError, RecursionError):
        return None
    if not den.free_symbols:
        return None
    for v in variables:
        if v.integer or v.sym not in den.free_symbols:
            continue
        for end, open_ in ((v.lo, v.lo_open), (v.hi, v.hi_open)):
            if isinstance(end, float) or not open_:
                continue
            try:
                if not _is_zero(den.subs(v.sym, sp.Rational(end.numerator, end.denominator))):
                    continue
            except (TypeError, ValueError, RecursionError):
                continue
            return _cleared(num, den, v.sym, variables, list(hypotheses), ((v.lo, v.hi, v.lo_open, v.hi_open),))
    return None


def _cleared(num, den, xs, variables, rest_h, pieces):
    """Cases s*D > 0, s*N >= 0 on each piece of x's interval (s the sign of D at the piece's centre)."""
    cases = []
    for lo, hi, lo_open, hi_open in pieces:
        piece = Var(xs, lo, hi, lo_open, hi_open)
        others = [w if w.sym != xs else piece for w in variables]
        sgn = 0
        for shift in (Fraction(0), Fraction(1, 3), Fraction(-1, 5)):
            probe = {w.sym: sp.Rational(str(_box_centre((w.lo, w.hi)))) for w in others}
            c = _box_centre((lo, hi))
            if shift and not isinstance(lo, float) and not isinstance(hi, float):
                c = c + shift * (hi - lo)
            elif shift:
                c = c + shift
            if not _inside(c, (lo, hi)):
                continue
            probe[xs] = sp.Rational(c.numerator, c.denominator)
            try:
                dv = float(den.subs(probe))
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if math.isfinite(dv) and dv != 0:
                sgn = 1 if dv > 0 else -1
                break
        if sgn == 0:
            return None
        cases.append((sgn * den, others, rest_h, True))
        cases.append((sgn * num, others, rest_h, None))
    return cases


@_quiet([])
def exp_scales(g: sp.Expr, variables: Sequence[Var]) -> list[tuple[str, Fraction]]:
    """The (symbol, c) with ``exp(c*x + d)`` in g, x a real symbol of the box (see :func:`sign_forms`)."""
    names = {v.sym: v for v in variables if not v.integer}
    out: list[tuple[str, Fraction]] = []
    for e in sorted(g.atoms(sp.exp), key=sp.default_sort_key):
        z = sp.expand(e.args[0])
        if len(z.free_symbols) != 1:
            continue
        xs = next(iter(z.free_symbols))
        if xs not in names or not z.is_polynomial(xs) or sp.degree(z, xs) != 1:
            continue
        c = z.coeff(xs, 1)
        if c.is_Rational and c != 0:
            cand = (xs.name, Fraction(int(c.p), int(c.q)))
            if cand not in out:
                out.append(cand)
    return out


@_quiet([])
def sign_forms(g: sp.Expr, variables: Sequence[Var]) -> list[sp.Expr]:
    """Expressions with the sign of ``g`` at every real point: ``g * exp(-c*x)`` expanded, for the first three
    (x, c) of :func:`exp_scales` (the factor is positive and finite everywhere). Expanded, the exponentials
    combine (e^x - 1 - x e^(x/2) becomes 1 - e^(-x) - x e^(-x/2)), and the 0 * oo groups enclose the tail that
    interval arithmetic loses in g itself. Deterministic: the checker recomputes them."""
    out = []
    bysym = {v.sym.name: v.sym for v in variables}
    for var, c in exp_scales(g, variables)[:3]:
        try:
            scaled = sp.expand(g * sp.exp(-sp.Rational(c.numerator, c.denominator) * bysym[var]))
        except (TypeError, ValueError, RecursionError):
            continue
        if sp.count_ops(scaled) <= 4 * sp.count_ops(g) + 20:
            out.append(_horner_poly_part(scaled, bysym[var]))
    return out


def _horner_poly_part(e: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """``e`` with its terms polynomial in x (and free of other symbols) in Horner form, an identity: on [10, oo)
    x**2 - 6x + 12 encloses to (-oo, oo) but x(x - 6) + 12 to [52, oo)."""
    terms = sp.Add.make_args(e)
    poly = [t for t in terms if t.free_symbols <= {x} and t.is_polynomial(x)]
    if len([t for t in poly if t.has(x)]) < 2:
        return e
    rest = [t for t in terms if t not in poly]
    return sp.Add(sp.horner(sp.Add(*poly), x), *rest, evaluate=False) if rest else sp.horner(sp.Add(*poly), x)


@_quiet([])
def domain_sign_forms(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]) -> list[sp.Expr]:
    """Expressions with the sign of ``g`` at every *domain* point: ``g * x**(-d)`` expanded, for a symbol x
    that is nonzero at every domain point (its interval excludes 0, or a hypothesis ``Ne(x, 0)``), where g has
    an ``exp(c*x**m)`` with m a negative integer and d > 0 is the (even) degree of the polynomial terms of g in
    x: 5 x**8 - exp(-1/x**2) becomes 5 - x**(-8) exp(-x**(-2)), a bounded 0 * oo group. x**(-d) is positive
    and finite where x != 0, so these forms decide only boxes split from the domain (never a face or a
    derivative). Deterministic: the checker recomputes them."""
    out = []
    nonzero = {h.lhs if h.rhs == 0 else h.rhs for h in hypotheses
               if isinstance(h, sp.Ne) and 0 in (h.lhs, h.rhs) and (h.lhs.is_Symbol or h.rhs.is_Symbol)}
    for v in variables:
        x = v.sym
        if v.integer:
            continue
        excl = (isinstance(v.lo, Fraction) and (v.lo > 0 or (v.lo == 0 and v.lo_open))) or \
            (isinstance(v.hi, Fraction) and (v.hi < 0 or (v.hi == 0 and v.hi_open)))
        if not (excl or x in nonzero):
            continue
        has_neg = False
        for e in g.atoms(sp.exp):
            z = e.args[0]
            c, w = z.as_coeff_Mul()
            if c.is_Rational and w.is_Pow and w.base == x and w.exp.is_Integer and w.exp < 0:
                has_neg = True
        if not has_neg:
            continue
        poly_part = sp.Add(*[t for t in sp.Add.make_args(sp.expand(g)) if not t.has(sp.exp)])
        if not poly_part.is_polynomial(x):
            continue
        d = sp.degree(poly_part, x) if poly_part.has(x) else 0
        if d <= 0 or d % 2 == 1:
            continue
        try:
            f = sp.expand(g * x ** (-d))
        except (TypeError, ValueError, RecursionError):
            continue
        if sp.count_ops(f) <= 4 * sp.count_ops(g) + 20:
            out.append(f)
    return out


@_quiet(None)
def root_case(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]):
    """Rationalise the roots of one linear radicand: if every non-integer power in g (and the hypotheses) is
    ``(a*x + b)**(p/q)`` with one radicand and one q, substitute ``x = (y**q - b)/a`` with ``y >= 0``, so that
    ``(a*x + b)**(p/q) = y**p``: x/sqrt(1 + x) - log(1 + x) becomes (y**2 - 1)/y - log(y**2) on y >= 1, whose tail
    interval arithmetic decides. y ranges over the q-th roots of the radicand's values, which must be >= 0 on
    x's interval (a*lo + b >= 0); x's bounds become polynomial hypotheses on y, folded into y's interval when
    they have rational ends. One case, or None. Deterministic: the checker recomputes it."""
    bysym = {v.sym: v for v in variables}
    pows = [p for p in (g.atoms(sp.Pow) | set().union(*[h.atoms(sp.Pow) for h in hypotheses]))
            if p.exp.is_Rational and not p.exp.is_Integer]
    if not pows:
        return None
    rads = {p.base for p in pows}
    qs = {int(p.exp.q) for p in pows}
    if len(rads) != 1 or len(qs) != 1:
        return None
    rad = next(iter(rads))
    q = next(iter(qs))
    if len(rad.free_symbols) != 1:
        return None
    x = next(iter(rad.free_symbols))
    v = bysym.get(x)
    if v is None or v.integer or not rad.is_polynomial(x) or sp.degree(rad, x) != 1:
        return None
    a, b = rad.coeff(x, 1), rad.coeff(x, 0)
    if not (a.is_Rational and b.is_Rational) or a == 0:
        return None
    end = v.lo if a > 0 else v.hi
    if isinstance(end, float) or a * sp.Rational(end.numerator, end.denominator) + b < 0:
        return None
    names = {w.sym.name for w in variables}
    yname = f"r_{x.name}"
    while yname in names:
        yname += "_"
    y = sp.Symbol(yname, nonnegative=True)
    sub = (y ** q - b) / a
    try:
        g2 = g.subs(x, sub)
        hyps = [h.subs(x, sub) for h in hypotheses]
    except (TypeError, ValueError, RecursionError):
        return None
    if any(p.exp.is_Rational and not p.exp.is_Integer and y in p.free_symbols for p in g2.atoms(sp.Pow)):
        return None
    for e, op_open, is_lo in ((v.lo, v.lo_open, True), (v.hi, v.hi_open, False)):
        if isinstance(e, float):
            continue
        c = sp.Rational(e.numerator, e.denominator)
        rel = (sp.StrictGreaterThan if op_open else sp.GreaterThan) if is_lo else \
            (sp.StrictLessThan if op_open else sp.LessThan)
        hyps.append(rel(sub, c))
    hyps = [h for h in hyps if h is not sp.true]
    if any(h is sp.false for h in hyps):
        return None
    yv = Var(y, Fraction(0), INF)
    rest = [w for w in variables if w.sym != x]
    new_vars, new_hyps = _fold_polynomial_hypotheses(rest + [yv], hyps)
    if new_vars is None:
        return None
    return [(g2, new_vars, new_hyps)]


@_quiet(None)
def log_cases(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]):
    """``g = B - A`` with two terms: ``B >= A`` iff ``log B >= log A`` where A > 0 and B > 0, so the cases are
    A > 0, B > 0 and log(B) - log(A) >= 0 (> 0 for a strict claim): (1 + x/15)**15 <= e^x becomes
    x - log((1 + x/15)**15) >= 0, whose exponential tail and tangency interval arithmetic handles. None unless g
    is a sum of exactly two terms of opposite sign, one of them an exp or a power. Deterministic."""
    terms = sp.Add.make_args(g)
    if len(terms) != 2:
        return None
    pos = [t for t in terms if not t.could_extract_minus_sign()]
    neg = [-t for t in terms if t.could_extract_minus_sign()]
    if len(pos) != 1 or len(neg) != 1:
        return None
    b, a = pos[0], neg[0]
    if not any(isinstance(t, sp.exp) or (t.is_Pow and not t.exp.is_Integer) or (t.is_Pow and abs(t.exp) > 3)
               for t in (a, b)):
        return None
    try:
        diff = sp.log(b) - sp.log(a)
    except (TypeError, ValueError):
        return None
    vs = list(variables)
    hs = list(hypotheses)
    return [(a, vs, hs, True), (b, vs, hs, True), (diff, vs, hs, None)]


@_quiet(None)
def pair_case(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]):
    """Monotonicity stated on a pair: ``g = c + F(x) - F(y)`` (c a constant, F one function of one symbol) under
    the single hypothesis ``x < y`` (or ``x <= y``): if F is defined and differentiable on the hull
    ``[lo_x, hi_y]`` of the two symbols (sign calculus on F and F'), and non-increasing there (-F' >= 0), then
    F(y) <= F(x) and g >= c. Cases: -F'(z) >= 0 on the hull and c >= 0 (> 0 for a strict claim).
    log(y)/(y - 1)**2 < 1/10000 + log(x)/(x - 1)**2 for 1 < x < y. None when g is not of that shape."""
    if len(hypotheses) != 1 or len(variables) != 2:
        return None
    h = hypotheses[0]
    if not isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
        return None
    small, big = (h.lhs, h.rhs) if isinstance(h, (sp.StrictLessThan, sp.LessThan)) else (h.rhs, h.lhs)
    bysym = {v.sym: v for v in variables}
    if not (small in bysym and big in bysym) or small == big:
        return None
    xv, yv = bysym[small], bysym[big]
    if xv.integer or yv.integer:
        return None
    x, y = xv.sym, yv.sym
    fx = sp.Add(*[t for t in sp.Add.make_args(g) if t.free_symbols == {x}])
    rest = sp.Add(*[t for t in sp.Add.make_args(g) if t.free_symbols != {x}])
    fy = -sp.Add(*[t for t in sp.Add.make_args(rest) if t.free_symbols == {y}])
    c = sp.Add(*[t for t in sp.Add.make_args(rest) if not t.free_symbols])
    if fx == 0 or sp.expand(g - (c + fx - fy)) != 0 or not _is_zero(fy - fx.subs(x, y)):
        return None
    z = sp.Symbol(f"z_{x.name}_{y.name}", real=True)
    hull = Var(z, xv.lo, yv.hi, xv.lo_open, yv.hi_open)
    if not isinstance(hull.lo, float) and not isinstance(hull.hi, float) and hull.lo >= hull.hi:
        return None
    F = fx.subs(x, z)
    dF = sp.diff(F, z)
    if any(not isinstance(f, (sp.log, sp.exp)) for f in F.atoms(sp.Function)):
        return None
    calc = _calculus_of([hull])
    if not (calc.defined(F) and calc.defined(dF)):
        return None
    return [(-dF, [hull], [], False), (c, [], [], None)]


@_quiet(False)
def _numerically_positive(e: sp.Expr, variables: Sequence[Var]) -> bool:
    """Heuristic pre-check (it only decides whether a case split is worth its time): the local minimisation of
    :func:`tight_points` finds no point where ``e`` is exactly 0 and no clearly negative value."""
    try:
        zeros, counter = tight_points(e, [v for v in variables if v.sym in e.free_symbols], starts=6)
    except (UnsupportedError, ValueError, TypeError, ArithmeticError):
        return False
    return not zeros and counter is None


@_quiet(None)
def recip_case(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic]):
    """A one-symbol claim on a positive interval with roots of non-linear radicands: ``x = 1/t`` (t > 0, the
    interval mapped onto its reciprocal), each radicand put over one denominator and factored (an identity for
    t > 0), then :func:`root_case` on the result: log(1 + 1/x) <= 1/sqrt(x**2 + x) becomes
    log(1 + t) <= t/sqrt(1 + t), then rational in y = sqrt(1 + t). One case, or None. Deterministic."""
    if len(variables) != 1 or variables[0].integer:
        return None
    v = variables[0]
    x = v.sym
    if isinstance(v.lo, float) or v.lo < 0 or (v.lo == 0 and not v.lo_open):
        return None
    if not any(p.exp.is_Rational and not p.exp.is_Integer and x in p.free_symbols and
               not (p.base.is_polynomial(x) and sp.degree(p.base, x) <= 1) for p in g.atoms(sp.Pow)):
        return None
    names = {w.sym.name for w in variables}
    tname = f"u_{x.name}"
    while tname in names:
        tname += "_"
    t = sp.Symbol(tname, positive=True)

    def rad(e):
        return e.replace(lambda a: a.is_Pow and a.exp.is_Rational and not a.exp.is_Integer,
                         lambda a: sp.Pow(sp.factor(sp.together(a.base)), a.exp))
    g2 = rad(g.subs(x, 1 / t))
    hyps2 = [rad(h.subs(x, 1 / t)) for h in hypotheses]
    lo = Fraction(0) if isinstance(v.hi, float) else 1 / v.hi
    hi = INF if v.lo == 0 else 1 / v.lo
    tv = Var(t, lo, hi, True if isinstance(v.hi, float) else v.hi_open, False if isinstance(hi, float) else v.lo_open)
    return root_case(g2, [tv], hyps2)


def _calculus_of(variables: Sequence[Var]):
    from .calculus import Bound, Box, Calculus

    bounds = {}
    for v in variables:
        lo = None if isinstance(v.lo, float) else sp.Rational(v.lo.numerator, v.lo.denominator)
        hi = None if isinstance(v.hi, float) else sp.Rational(v.hi.numerator, v.hi.denominator)
        bounds[v.sym] = Bound(lo, hi, v.lo_open, v.hi_open, v.integer)
    return Calculus(Box(bounds))


@_quiet(None)
def convex_case(g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic], var: str):
    """Partial minimisation over one symbol ``y`` in which ``g`` is convex, for claims tight along a curve
    (x y <= x log x + exp(y - 1), equality at y = 1 + log x).

    For each value of the other symbols, ``y -> g`` is twice differentiable on y's interval I (the formulas of
    dg/dy and d2g/dy2 are defined on the whole box, and g is built from +, *, powers, log and exp only), convex
    there (d2g/dy2 >= 0), and dg/dy vanishes at ``y* = Y(x)`` (the single solution sympy finds, checked by
    substituting it back: the derivative simplifies to 0), with Y defined on the box and ``Y(x)`` in I. Then
    ``g(x, y) >= g(x, Y(x)) + dg/dy(x, Y(x)) (y - Y(x)) = h(x)``, so ``h >= 0`` (> 0) proves the claim.

    Returns the cases ``(claim, variables, hypotheses, strict)`` still to prove for ``y`` the symbol named
    ``var`` (h, and those of d2g/dy2 >= 0, Y >= lo, Y <= hi that the sign calculus does not settle at once), or
    None when the rule does not apply. Deterministic: the checker recomputes it."""
    if hypotheses or len(variables) != 2 or any(v.integer for v in variables):
        return None
    if any(not isinstance(f, (sp.log, sp.exp)) for f in g.atoms(sp.Function)):
        return None
    if any(not (p.exp.is_Rational) for p in g.atoms(sp.Pow) if p.base is not sp.E):
        return None
    calc = _calculus_of(variables)
    from .calculus import NONNEG, POS

    for yv in variables:
        if yv.sym.name != var:
            continue
        y = yv.sym
        rest = [v for v in variables if v.sym != y]
        try:
            gy = sp.diff(g, y)
            gyy = sp.diff(gy, y)
            if not (calc.defined(gy) and calc.defined(gyy)):
                continue
            if sp.count_ops(gy) > 40:
                continue
            sols = [r for r in sp.solve(gy, y) if not r.has(sp.I) and y not in r.free_symbols]
        except (NotImplementedError, ValueError, TypeError, RecursionError, sp.PolynomialError):
            continue
        if len(sols) != 1:
            continue
        ystar = sols[0]
        if ystar.free_symbols - {v.sym for v in rest} or not calc.defined(ystar):
            continue
        if not _is_zero(gy.subs(y, ystar)):
            continue
        h = g.subs(y, ystar)
        if sp.count_ops(h) <= 60:
            h = sp.simplify(h)
        cases = []
        if not calc.sign(gyy) <= NONNEG:
            cases.append((gyy, list(variables), [], False))
        for end, open_, sgn in ((yv.lo, yv.lo_open, 1), (yv.hi, yv.hi_open, -1)):
            if isinstance(end, float):
                continue
            d = sgn * (ystar - sp.Rational(end.numerator, end.denominator))
            if not calc.sign(d) <= (POS if open_ else NONNEG):
                cases.append((d, rest, [], open_))
        cases.append((h, rest, [], None))  # None: the claim's own strictness
        return cases
    return None


def _goal_variables(g: sp.Expr, box, symbols: Sequence[sp.Symbol], hypotheses: Sequence[sp.Basic]) -> list[Var]:
    used = [s for s in symbols if s in g.free_symbols or any(s in h.free_symbols for h in hypotheses)]
    return variables_of(box, used)


def recheck(cert: dict, g: sp.Expr, *, strict: bool, box, symbols: Sequence[sp.Symbol],
            hypotheses: Sequence[sp.Basic]) -> int:
    """Re-check a certificate of :func:`prove_goal` for the same arguments (raises CertificateError)."""
    return check_goal_certificate(cert, g, _goal_variables(g, box, symbols, hypotheses), hypotheses, strict=strict)


def prove_goal(g: sp.Expr, *, strict: bool, box, symbols: Sequence[sp.Symbol], hypotheses: Sequence[sp.Basic],
               timeout: float, seed: int = 0, max_nodes: int = 20000) -> BnBResult:
    """The rung as the ladder calls it: ``g >= 0`` (> 0) on a calculus Box with hypotheses; Eq-defined
    auxiliary symbols are eliminated first (each case must be proved)."""
    start = time.monotonic()
    variables = _goal_variables(g, box, symbols, hypotheses)
    cases = eliminate_equalities(g, variables, hypotheses)

    def attempt(split, how: str, share: float, of_rest: bool = False) -> BnBResult | None:
        """Prove the cases of one split within ``share`` of the whole budget (of what is left, with
        ``of_rest``); the result only when it proves the claim."""
        if split is None:
            return None
        budget = (timeout - (time.monotonic() - start) if of_rest else timeout) * share
        r2 = prove_goal_cases(split, how, strict=strict, timeout=budget, seed=seed, max_nodes=max_nodes)
        return r2 if r2.status == "proved" else None

    r2 = attempt(pair_case(g, variables, hypotheses) if cases is None else None, "pair", 0.5)
    if r2 is not None:
        return r2
    if cases is None:
        for v in (variables if len(variables) == 2 and not hypotheses else []):
            convex = convex_case(g, variables, hypotheses, v.sym.name)
            if convex is not None:
                r2 = prove_goal_cases(convex, "convex", strict=strict, timeout=timeout * 0.25, seed=seed,
                                      max_nodes=max_nodes)
                if r2.status == "proved":
                    r2.certificate["var"] = v.sym.name
                    return r2
        r2 = attempt(ne_cases(g, variables, hypotheses, open_ends=False), "ne", 0.5)
        if r2 is not None:
            r2.certificate["ne_only"] = True
            return r2
        r2 = attempt(homogeneous_case(g, variables, hypotheses), "homogeneous", 0.6)
        # roots rationalised first: where it applies it decides what the original decides, and tails too
        r2 = r2 or attempt(root_case(g, variables, hypotheses), "root", 0.4, of_rest=True)
        if r2 is not None:
            return r2
        r = prove_box(g, variables, hypotheses, strict=strict, timeout=(timeout - (time.monotonic() - start)) * 0.6,
                      max_nodes=max_nodes, seed=seed)
        if r.status != "unknown":
            return r
        r2 = attempt(ne_cases(g, variables, hypotheses), "ne", 0.75, of_rest=True)
        r2 = r2 or attempt(recip_case(g, variables, hypotheses), "recip", 0.5, of_rest=True)
        if r2 is None:
            logs = log_cases(g, variables, hypotheses)
            if logs is not None and _numerically_positive(logs[0][0], variables) and \
                    _numerically_positive(logs[1][0], variables):
                r2 = attempt(logs, "log", 0.5, of_rest=True)
        if r2 is not None:
            return r2
        tails = tail_cases(g, variables, hypotheses)
        if tails is None:
            return r
        cases, how = tails, "tails"
    else:
        how = "eq"
        alt = eliminate_equalities(g, variables, hypotheses, reverse=True)
        if alt is not None and [str(c[0]) for c in alt] != [str(c[0]) for c in cases]:
            r = prove_goal_cases(cases, how, strict=strict, timeout=(timeout - (time.monotonic() - start)) * 0.5,
                                 seed=seed, max_nodes=max_nodes)
            if r.status == "proved":
                return r
            r = prove_goal_cases(alt, how, strict=strict, timeout=timeout - (time.monotonic() - start), seed=seed,
                                 max_nodes=max_nodes)
            if r.status == "proved":
                r.certificate["reverse"] = True
            return r
    return prove_goal_cases(cases, how, strict=strict, timeout=timeout - (time.monotonic() - start), seed=seed,
                            max_nodes=max_nodes)


def prove_goal_cases(cases, how: str, *, strict: bool, timeout: float, seed: int = 0,
                     max_nodes: int = 20000) -> BnBResult:
    """Prove every case (g, variables, hypotheses) of a split; one certificate listing them."""
    start = time.monotonic()
    certs = []
    nodes = 0
    for case in cases:
        g2, vars2, hyps2 = case[:3]
        strict2 = strict if len(case) < 4 or case[3] is None else case[3]
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            return BnBResult("unknown", reason="timeout", nodes=nodes, seconds=time.monotonic() - start)
        used = [w for w in vars2 if w.sym in g2.free_symbols or any(w.sym in h.free_symbols for h in hyps2)]
        r = None
        if how not in ("tails", "ne"):
            # a removable singularity at a point an Ne hypothesis excludes: cleared first
            cleared = ne_cases(g2, used, hyps2, open_ends=False)
            if cleared is not None:
                r = prove_goal_cases(cleared, "ne", strict=strict2, timeout=left * 0.5, seed=seed, max_nodes=max_nodes)
                if r.status == "proved":
                    r.certificate["ne_only"] = True
                else:
                    r = None
        if r is None:
            r = prove_box(g2, used, hyps2, strict=strict2, timeout=(timeout - (time.monotonic() - start)) *
                          (0.6 if how != "tails" else 1.0), max_nodes=max_nodes, seed=seed)
        if r.status == "unknown" and how not in ("tails", "ne"):
            cleared = ne_cases(g2, used, hyps2)
            if cleared is not None:
                r3 = prove_goal_cases(cleared, "ne", strict=strict2,
                                      timeout=(timeout - (time.monotonic() - start)) * 0.5, seed=seed,
                                      max_nodes=max_nodes)
                if r3.status == "proved":
                    r = r3
        if r.status == "unknown" and how != "tails":
            tails = tail_cases(g2, used, hyps2)
            if tails is not None:
                r = prove_goal_cases(tails, "tails", strict=strict2, timeout=left - (time.monotonic() - start),
                                     seed=seed, max_nodes=max_nodes)
        nodes += r.nodes
        if r.status != "proved":
            r.reason = f"in a case split (Eq elimination or unbounded sides mapped to bounded ones): {r.reason}"
            r.counter = None  # a point of the reduced problem is not a point of the claim
            return r
        certs.append({"goal": str(g2), "strict": strict2, "hypotheses": [str(h) for h in hyps2],
                      "domain": {w.sym.name: w.as_json() for w in used}, "certificate": r.certificate})
    return BnBResult("proved", certificate={"format": "boundcheck-bnb-cases-1", "split": how, "cases": certs},
                     nodes=nodes, seconds=time.monotonic() - start)


def check_goal_certificate(cert: dict, g: sp.Expr, variables: Sequence[Var], hypotheses: Sequence[sp.Basic] = (), *,
                           strict: bool = False) -> int:
    """Check what :func:`prove_goal` returned: a plain certificate, or a case split (Eq elimination, unbounded
    sides mapped by x = 1/t) that the checker recomputes from the claim and checks case by case.

    Raises:
        CertificateError: the certificate does not establish the claim.
    """
    if cert.get("format") != "boundcheck-bnb-cases-1":
        return check_certificate(cert, g, variables, hypotheses, strict=strict)
    how = cert.get("split")
    # each split recomputed from the claim, as prove_goal made it (the certificate's extra keys say how)
    splits = {
        "eq": lambda: eliminate_equalities(g, variables, hypotheses, reverse=bool(cert.get("reverse"))),
        "tails": lambda: tail_cases(g, variables, hypotheses),
        "homogeneous": lambda: homogeneous_case(g, variables, hypotheses),
        "pair": lambda: pair_case(g, variables, hypotheses),
        "recip": lambda: recip_case(g, variables, hypotheses),
        "log": lambda: log_cases(g, variables, hypotheses),
        "root": lambda: root_case(g, variables, hypotheses),
        "ne": lambda: ne_cases(g, variables, hypotheses, open_ends=not cert.get("ne_only")),
        "convex": lambda: convex_case(g, variables, hypotheses, str(cert.get("var"))),
    }
    build = splits.get(how) if isinstance(how, str) else None  # a forged certificate may hold anything here
    if build is None:
        raise CertificateError(f"unknown case split {how!r}")
    cases = build()
    got = cert.get("cases") or []
    if cases is None or len(cases) != len(got):
        raise CertificateError("the case split does not match the claim")
    total = 0
    for mine, case in zip(cases, got):
        g2, vars2, hyps2 = mine[:3]
        strict2 = strict if len(mine) < 4 or mine[3] is None else mine[3]
        used = [w for w in vars2 if w.sym in g2.free_symbols or any(w.sym in h.free_symbols for h in hyps2)]
        total += check_goal_certificate(case.get("certificate") or {}, g2, used, hyps2, strict=strict2)
    return total
