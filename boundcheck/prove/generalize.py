"""Routine steps of a referee (layer 3): monotone substitution and generalisation of subterms.

Two rules that a person applies without thinking and that z3 finds slow:

* **monotone substitution**: ``phi(a) <= phi(b)`` follows from ``a <= b`` when ``phi`` is increasing
  (sqrt, positive powers of nonnegative bases, log, exp, a positive constant factor); a monotone claim
  on ``phi(u)`` follows from the same claim on ``u`` when ``phi`` is strictly increasing;
* **generalisation**: a sub-expression (a logarithm, the base of a square root) is replaced everywhere,
  in the goal and in the hypotheses, by a fresh symbol that ranges over a proved superset of the
  sub-expression's values. A proof of the general statement covers every point of the original one,
  because at a point the fresh symbol can take the sub-expression's value. The converse fails: the link
  between the fresh symbol and the other symbols is forgotten, so a general statement that cannot be proved
  says nothing about the claim (it is never a refutation, and the reason is reported).

The rules return a proof text (what was abstracted, with which range, and how the rest was proved) or None.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from ..errors import UnsupportedError
from ..symbolic import plain, simplify_forms
from ._exact import iv_bounds, outward
from .calculus import NEG, NONNEG, NONPOS, POS, Box, Calculus
from .smt import check_goal

__all__ = ["Fresh", "generalise", "monotone_pairs", "peel_increasing", "prove_routine", "Prover"]


@dataclass(frozen=True)
class Fresh:
    """A fresh symbol standing for ``term``; ``relations`` bound it (a proved superset of the term's range)."""

    sym: sp.Symbol
    term: sp.Expr
    relations: tuple[sp.Basic, ...]
    why: str


class Prover:
    """What the routine rules need from the ladder: the symbols, the hypotheses (with the symbol domains),
    the box and a deadline. The expressions it is asked about are defined on the domain (the ladder checks
    definedness first)."""

    def __init__(self, symbols: Sequence[sp.Symbol], domain: Sequence[sp.Basic], hypotheses: Sequence[sp.Basic],
                 box: Box, deadline: float, integers: Sequence[sp.Symbol] = ()) -> None:
        self.symbols = list(symbols)
        self.claim_hyps = tuple(hypotheses)
        self.hypotheses = tuple(domain) + tuple(hypotheses)
        self.box = box
        self.calc = Calculus(box)
        self.deadline = deadline
        self.integers = tuple(integers)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def box_relations(self) -> list[sp.Basic]:
        out: list[sp.Basic] = []
        for x, b in self.box.bounds.items():
            if b.lo is not None:
                out.append((sp.StrictGreaterThan if b.lo_open else sp.GreaterThan)(x, b.lo, evaluate=False))
            if b.hi is not None:
                out.append((sp.StrictLessThan if b.hi_open else sp.LessThan)(x, b.hi, evaluate=False))
        return out

    def sign_calculus(self, g: sp.Expr, strict: bool, calc: Calculus | None = None) -> str | None:
        calc = calc or self.calc
        target = POS if strict else NONNEG
        for form in simplify_forms(g, budget=3):
            if calc.sign(form) <= target and calc.defined(form):
                return f"sign rules on {plain(form)}"
        return None

    def z3(self, g: sp.Expr, strict: bool, extra_syms: Sequence[sp.Symbol] = (), extra_hyps: Sequence[sp.Basic] = (),
           calc: Calculus | None = None, hypotheses: Sequence[sp.Basic] | None = None, share: float = 0.3) -> bool:
        if self.left() <= 0.2:
            return False
        hyps = tuple(self.hypotheses if hypotheses is None else hypotheses) + tuple(extra_hyps)
        try:
            res = check_goal(g, strict=strict, equality=False, symbols=self.symbols + list(extra_syms),
                             hypotheses=hyps, calculus=calc or self.calc, timeout=max(0.2, self.left() * share),
                             refinements=1, name="routine step")
        except UnsupportedError:
            return False
        return res.status == "unsat"

    def nonneg(self, g: sp.Expr, strict: bool = False) -> str | None:
        """``g >= 0`` (``> 0``) on the domain: calculus, then a short z3 call."""
        why = self.sign_calculus(g, strict)
        if why:
            return why
        if self.z3(g, strict, share=0.15):
            return "z3"
        return None


# ---------------------------------------------------------------------------------------------- ranges
def _rational_out(q: Fraction, up: bool) -> sp.Rational:
    """A multiple of 10**-12 at or beyond the exact end ``q`` (above it when ``up``)."""
    r = outward(q, up, 12)
    return sp.Rational(r.numerator, r.denominator)


def _range(prover: Prover, term: sp.Expr, x: sp.Symbol, need_nonneg: bool) -> list[tuple[sp.Basic, str]]:
    """Relations ``lo <= x <= hi`` that ``term`` satisfies at every point of the domain, with why."""
    out: list[tuple[sp.Basic, str]] = []
    enc = prover.calc.enclose(term)
    # exact ends (mpmath.mpf(enc.a) would round them to nearest at 53 bits), huge ones clamped or left out
    qa, qb = iv_bounds(enc)
    lo = _rational_out(qa, up=False) if qa is not None else None
    hi = _rational_out(qb, up=True) if qb is not None else None
    if lo is not None:
        out.append((x >= lo, "interval enclosure"))
    if hi is not None:
        out.append((x <= hi, "interval enclosure"))
    s = prover.calc.sign(term)
    if s <= POS:
        out.append((x > 0, "sign rules"))
    elif s <= NONNEG:
        out.append((x >= 0, "sign rules"))
    elif s <= NEG:
        out.append((x < 0, "sign rules"))
    elif s <= NONPOS:
        out.append((x <= 0, "sign rules"))
    elif isinstance(term, sp.log) and (mpmath.isinf(enc.a) or enc.a < 0):
        # log u >= 0 from u >= 1, which is often polynomial (2 n / h >= 1 from n >= h)
        why = prover.nonneg(term.args[0] - 1)
        if why:
            out.append((x >= 0, f"{plain(term.args[0])} >= 1 ({plain(why)})"))
    elif need_nonneg:
        why = prover.nonneg(term)
        if why:
            out.append((x >= 0, why))
    return [(r, w) for r, w in out if r is not sp.true]


def _fresh(prover: Prover, term: sp.Expr, k: int, need_nonneg: bool) -> Fresh:
    sym = sp.Dummy(f"g{plain(k)}", real=True)
    rels = _range(prover, term, sym, need_nonneg)
    whys = sorted({w for _, w in rels})
    return Fresh(sym, term, tuple(r for r, _ in rels), ", ".join(whys) or "no range")


# ---------------------------------------------------------------------------------------------- generalisation
def _log_atoms(exprs: Sequence[sp.Expr]) -> list[sp.Expr]:
    """Logarithms, exponentials and powers with symbolic exponents: the nodes the polynomial encoding
    approximates; innermost first is not needed since each is replaced whole."""
    out: list[sp.Expr] = []
    for e in exprs:
        for node in sp.preorder_traversal(e):
            hard = isinstance(node, (sp.log, sp.exp)) or (node.is_Pow and not node.exp.is_number)
            if hard and node.free_symbols and node not in out:
                out.append(node)
    # keep maximal ones only: a node inside another abstracted node disappears with it
    return [a for a in out if not any(a != b and b.has(a) for b in out)]


def _power_bases(exprs: Sequence[sp.Expr]) -> list[sp.Expr]:
    """Bases (without their numeric factor) of fractional powers whose base is not a single symbol."""
    out: list[sp.Expr] = []
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if node.is_Pow and node.exp.is_Rational and not node.exp.is_Integer and not node.base.is_Symbol \
                    and node.base.free_symbols:
                base = node.base.as_coeff_Mul()[1]
                if base not in out:
                    out.append(base)
    return [a for a in out if not any(a != b and b.has(a) for b in out)]


def generalise(prover: Prover, goals: Sequence[sp.Expr], hypotheses: Sequence[sp.Basic], terms: Sequence[sp.Expr],
               need_nonneg: bool = False) -> tuple[list[sp.Expr], list[sp.Basic], list[Fresh]]:
    """Replace each term by a fresh symbol in the goals and hypotheses (literal tree replacement)."""
    fresh = []
    for k, t in enumerate(terms):
        f = _fresh(prover, t, k, need_nonneg)
        d = _assumed_dummy(f"g{k}", f.relations)  # carries the proved sign, so sympy may use it
        fresh.append(Fresh(d, f.term, tuple(_rebind(r, f.sym, d) for r in f.relations), f.why))
    sub = {f.term: f.sym for f in fresh}
    new_goals = [g.xreplace(sub) for g in goals]
    new_hyps = [_replace_in(h, sub) for h in hypotheses]
    return new_goals, new_hyps, fresh


def _rational_roots(g: sp.Expr) -> sp.Expr:
    """``sqrt(2)*sqrt(V)/2`` as ``sqrt(V/2)`` (an identity for V >= 0): the encoding then needs no enclosure of
    the irrational sqrt(2), whose rounding breaks proofs where the inequality is tight (Pinsker at equality)."""
    terms = []
    for t in sp.Add.make_args(g):
        sgn = -1 if t.as_coeff_Mul()[0].is_negative else 1
        irrational = any(f.is_number and not f.is_Rational for f in sp.Mul.make_args(t))
        pw = _as_power(sgn * t) if irrational else None
        terms.append(sgn * sp.Pow(pw[0], pw[1], evaluate=False) if pw and pw[0].as_coeff_Mul()[0].is_Rational else t)
    return sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]


def _prove_general(prover: Prover, g: sp.Expr, strict: bool, hyps: Sequence[sp.Basic],
                   fresh: Sequence[Fresh]) -> str | None:
    used = [f for f in fresh if f.sym in g.free_symbols or any(f.sym in h.free_symbols for h in hyps)]
    if not used:
        return None
    rels = [r for f in used for r in f.relations]
    box = Box.from_relations(prover.symbols + [f.sym for f in used],
                             [r for r in prover.box_relations()] + rels, list(prover.integers))
    calc = Calculus(box)
    why = prover.sign_calculus(g, strict, calc)
    g = _rational_roots(g)
    if why is None and prover.z3(g, strict, [f.sym for f in used], rels, calc, hypotheses=hyps, share=0.4):
        why = "z3 on the generalised (polynomial) statement"
    if why is None:
        return None
    names = "; ".join(f"{plain(f.sym)} := {plain(f.term)} with {plain(', '.join(map(plain, f.relations)) or 'no bound')} ({plain(f.why)})"
                      for f in used)
    return f"generalised {plain(names)}: {plain(why)}"



def _hard(e: sp.Expr) -> bool:
    return any(isinstance(a, (sp.log, sp.exp)) or (a.is_Pow and not a.exp.is_number) for a in sp.preorder_traversal(e))


def _by_hypothesis_sides(prover: Prover, g: sp.Expr, strict: bool, claim_hyps: Sequence[sp.Basic]) -> str | None:
    """Generalise a side ``S = c * A * m`` of a hypothesis (``A`` the factors with logarithms, ``m`` the rest):
    a fresh ``V`` ranges over S's values and ``A`` is replaced by ``V / (c m)`` everywhere, an identity at
    every point. Pinsker's ``2 (R - R_hat)**2 <= (KL + log(..))/n`` then reads ``2 (R - R_hat)**2 <= V``."""
    for h in claim_hyps:
        if not isinstance(h, sp.core.relational.Relational) or prover.left() <= 0.2:
            continue
        for side in (h.lhs, h.rhs):
            if not side.free_symbols or not _hard(side):
                continue
            coeff, rest = side.as_coeff_Mul()
            hard = sp.Mul(*[f for f in sp.Mul.make_args(rest) if _hard(f)])
            other = sp.Mul(*[f for f in sp.Mul.make_args(rest) if not _hard(f)])
            if hard == 1 or coeff == 0 or not (prover.calc.sign(other) <= POS or prover.calc.sign(other) <= NEG):
                continue
            rels = _range(prover, side, sp.Dummy("v"), need_nonneg=True)
            v = _assumed_dummy("g", [r for r, _ in rels])
            rels = [(_rebind(r, next(iter(r.free_symbols)), v), w) for r, w in rels]
            sub = {hard: v / (coeff * other)}
            g2 = g.xreplace(sub)
            hyps2 = [_replace_in(x, sub) for x in prover.hypotheses]
            if any(hard in x.atoms(type(hard)) for x in [g2, *hyps2]):
                continue
            fresh = Fresh(v, side, tuple(r for r, _ in rels), ", ".join(sorted({w for _, w in rels})) or "no range")
            why = _prove_general(prover, g2, strict, hyps2, [fresh])
            if why:
                return why
    return None


def _replace_in(h: sp.Basic, sub: dict) -> sp.Basic:
    """Replace subterms in a relation without letting sympy evaluate it (``KL >= 0`` must not become True
    and vanish: the solver does not read sympy's assumptions)."""
    if isinstance(h, sp.core.relational.Relational):
        return h.func(h.lhs.xreplace(sub), h.rhs.xreplace(sub), evaluate=False)
    return h.xreplace(sub)


def _rebind(r: sp.Basic, old: sp.Symbol, new: sp.Symbol) -> sp.Basic:
    """A range relation on ``old`` stated for ``new``, kept unevaluated (``new >= 0`` must not become True)."""
    return r.func(r.lhs.xreplace({old: new}), r.rhs.xreplace({old: new}), evaluate=False)


def _assumed_dummy(name: str, relations: Sequence[sp.Basic]) -> sp.Dummy:
    """A Dummy carrying the sign its proved range gives (so sympy may simplify sqrt(V n) = sqrt(V) sqrt(n))."""
    lows = [r for r in relations if isinstance(r, (sp.GreaterThan, sp.StrictGreaterThan)) and r.rhs.is_number]
    if any(r.rhs > 0 or (r.rhs == 0 and isinstance(r, sp.StrictGreaterThan)) for r in lows):
        return sp.Dummy(name, positive=True)
    if any(r.rhs >= 0 for r in lows):
        return sp.Dummy(name, nonnegative=True)
    return sp.Dummy(name, real=True)


def prove_by_generalising(prover: Prover, g: sp.Expr, strict: bool,
                          claim_hyps: Sequence[sp.Basic] = ()) -> str | None:
    """``g >= 0`` (``> 0``) after generalising: a side of a hypothesis, the logarithms of the goal (as written,
    then expanded so that log(n/delta) and log(2 sqrt(n)/delta) share log(n)), or the bases of its roots."""
    why = _by_hypothesis_sides(prover, g, strict, claim_hyps)
    if why:
        return why
    hyps = list(prover.hypotheses)
    expanded = sp.expand_log(g, force=False)
    ehyps = [h.func(sp.expand_log(h.lhs, force=False), sp.expand_log(h.rhs, force=False), evaluate=False)
             if isinstance(h, sp.core.relational.Relational) else h for h in hyps]
    plans = [(g, hyps, _log_atoms, False)]
    if expanded != g:
        plans.append((expanded, ehyps, _log_atoms, False))
    plans.append((g, hyps, _power_bases, True))
    for goal, hs, pick, nonneg in plans:
        if prover.left() <= 0.2:
            return None
        terms = pick([goal])
        if not terms or len(terms) > 6:
            continue
        (g2,), h2, fresh = generalise(prover, [goal], hs, terms, need_nonneg=nonneg)
        why = _prove_general(prover, g2, strict, h2, fresh)
        if why:
            return why
    return None


# ---------------------------------------------------------------------------------------------- monotone substitution
def _as_power(e: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """``e = base**p`` with ``p`` a positive non-integer rational: a positive numeric factor and the factors
    ``b**p``, ``b**-p`` of a product are moved inside one base (``sqrt(a)/sqrt(n) = sqrt(a/n)``). This is an
    identity wherever ``e`` is defined, since the bases of fractional powers are then >= 0 (> 0 when divided).
    """
    coeff, rest = e.as_coeff_Mul()
    if not coeff.is_positive:
        return None
    factors = sp.Mul.make_args(rest)
    if not factors or not all(f.is_Pow and f.exp.is_Rational for f in factors):
        return None
    p = abs(factors[0].exp)
    if p.is_Integer or any(abs(f.exp) != p for f in factors):
        return None
    base = sp.Mul(*[f.base if f.exp > 0 else 1 / f.base for f in factors])
    return (coeff ** (1 / p) * base if coeff != 1 else base), p


def monotone_pairs(lhs: sp.Expr, rhs: sp.Expr) -> tuple[str, list[tuple[sp.Expr, sp.Expr]], list[sp.Expr]] | None:
    """Reduce ``lhs <= rhs`` through a common increasing (or decreasing) outer function.

    Returns (the function, [(a, b): subgoals a <= b], [expressions that must be >= 0 for the rule]) or None.
    """
    if isinstance(lhs, sp.log) and isinstance(rhs, sp.log):
        return "log (increasing on (0, oo))", [(lhs.args[0], rhs.args[0])], []
    if isinstance(lhs, sp.exp) and isinstance(rhs, sp.exp):
        return "exp (increasing)", [(lhs.args[0], rhs.args[0])], []
    pl, pr = _as_power(lhs), _as_power(rhs)
    if pl and pr and pl[1] == pr[1]:
        (bl, p), (br, _) = pl, pr
        return f"x^({plain(p)}) (increasing on [0, oo))", [(bl, br)], [bl]
    return None


def peel_increasing(f: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, str] | None:
    """``f = phi(u)`` with ``phi`` strictly increasing and free of ``var``: returns (u, phi's description).

    Handles sqrt and other positive powers (of a base the caller shows nonnegative), log, exp, a positive
    constant factor and an added term free of ``var``.
    """
    if f.is_Add:
        moving = [a for a in f.args if var in a.free_symbols]
        if len(moving) == 1 and len(f.args) > 1:
            return moving[0], "adding a term free of the variable"
        return None
    if f.is_Mul:
        coeff = sp.Mul(*[a for a in f.args if var not in a.free_symbols])
        rest = sp.Mul(*[a for a in f.args if var in a.free_symbols])
        if coeff != 1 and coeff.is_positive:
            return rest, f"multiplying by the positive {plain(coeff)}"
        return None
    if isinstance(f, (sp.log, sp.exp)):
        return f.args[0], f"{plain(type(f).__name__)} (strictly increasing)"
    if f.is_Pow and f.exp.is_Rational and f.exp > 0 and var not in f.exp.free_symbols:
        return f.base, f"x^({plain(f.exp)}) (strictly increasing on [0, oo))"
    return None


def prove_routine(prover: Prover, lhs: sp.Expr | None, rhs: sp.Expr | None, g: sp.Expr, strict: bool,
                  depth: int = 0) -> str | None:
    """``g >= 0`` (``g = rhs - lhs``, ``> 0`` when strict) by monotone substitution and generalisation."""
    if prover.left() <= 0.2 or depth > 3:
        return None
    if lhs is not None and rhs is not None:
        red = monotone_pairs(lhs, rhs)
        if red is not None:
            what, pairs, nonneg = red
            steps = []
            for e in nonneg:
                why = prover.nonneg(e)
                if why is None:
                    break
                steps.append(f"{plain(e)} >= 0 ({plain(why)})")
            else:
                for a, b in pairs:
                    why = prove_routine(prover, a, b, b - a, strict, depth + 1)
                    if why is None:
                        break
                    steps.append(f"{plain(a)} {plain('<' if strict else '<=')} {plain(b)} ({plain(why)})")
                else:
                    return f"monotone substitution through {plain(what)}: " + "; ".join(steps)
    why = prover.sign_calculus(g, strict)
    if why:
        return why
    why = prove_by_generalising(prover, g, strict, prover.claim_hyps)
    if why:
        return why
    if depth > 0 and prover.z3(g, strict, share=0.25):
        return "z3"
    return None


def prove_monotone_routine(prover: Prover, f: sp.Expr, var: sp.Symbol, target: frozenset,
                           icalc: Calculus) -> str | None:
    """A monotone claim on ``f`` in ``var``: peel strictly increasing outer functions, then the sign of the
    derivative on the interior, by the calculus or after generalising its logarithms."""
    steps = []
    u = f
    while True:
        peeled = peel_increasing(u, var)
        if peeled is None:
            break
        inner, what = peeled
        # a fractional power or a log of a defined expression has a nonnegative (positive) argument; an
        # integer power is increasing only on [0, oo)
        if "x^(" in what and u.exp.is_Integer and not prover.calc.sign(inner) <= NONNEG:
            break
        steps.append(what)
        u = inner
    du = sp.diff(u, var)
    strict = target in (POS, NEG)
    g = du if target <= NONNEG else -du
    inner = Prover(prover.symbols, prover.hypotheses[:len(prover.hypotheses) - len(prover.claim_hyps)],
                   prover.claim_hyps, icalc.box, prover.deadline, prover.integers)
    for form in simplify_forms(g, budget=3):
        if icalc.sign(form) <= (POS if strict else NONNEG):
            why = f"sign rules on {plain(form)}"
            break
    else:
        why = None
        together = sp.together(g)
        for form in [together] + [f for f in simplify_forms(g, budget=2)[1:] if f != together]:
            why = prove_by_generalising(inner, form, strict, inner.claim_hyps)
            if why:
                break
    if why is None:
        return None
    peel = f"{plain(f)} is a strictly increasing function of {plain(u)} ({plain('; '.join(steps))}), so it moves like {plain(u)}; " \
        if steps else ""
    return f"{plain(peel)}d/d{plain(var)} of {plain(u)} has the needed sign on the interior: {plain(why)}"

