"""Proofs as prose (layer 6, report): the steps a rung stored, rendered for LaTeX or the terminal.

The renderer reads a :class:`boundcheck.prove.proof.Proof` and writes one sentence per step of the proof
tree, top-down, in the style of a paper's appendix ("Write f = A + B. A is decreasing in n because ...;
hence f is decreasing."). It re-derives nothing: every formula is an expression the rung stored, typeset
with ``sympy.latex`` (through the report's names) or printed as text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy as sp

from ..prove.proof import Proof, Step, expr_of
from ..prove.verdict import Status, Verdict

__all__ = ["Style", "latex_style", "text_style", "proof_sentences", "explain_verdict"]

_SIGN_TEX = {"pos": "> 0", "nonneg": r"\geq 0", "neg": "< 0", "nonpos": r"\leq 0", "zero": "= 0",
             "nonzero": r"\neq 0"}
_SIGN_TXT = {"pos": "> 0", "nonneg": ">= 0", "neg": "< 0", "nonpos": "<= 0", "zero": "= 0", "nonzero": "!= 0"}
_MONO_WORDS = {"increasing": "strictly increasing", "decreasing": "strictly decreasing",
               "nondecreasing": "nondecreasing", "nonincreasing": "nonincreasing", "constant": "constant"}


@dataclass(frozen=True)
class Style:
    """How to print: ``math(expr)`` gives an inline formula, ``text(s)`` escapes prose, ``rel`` the sign
    relations, ``display`` a formula set on its own line when long."""

    math: Callable[[sp.Basic], str]
    text: Callable[[str], str]
    rel: Mapping[str, str]
    display: Callable[[sp.Basic], str]
    fact: Callable[[sp.Basic, str], str]
    product_rule: str = "Δ(fg) = Δf·g(y) + f(x)·Δg for x < y"


def latex_style(names: Mapping[sp.Symbol, str]) -> Style:
    from ._tex_math import to_latex
    from ._tex_text import escape_tex

    def math(e: sp.Basic) -> str:
        return f"${_tex(e, names, to_latex)}$"

    def display(e: sp.Basic) -> str:
        tex = _tex(e, names, to_latex)
        return f"${tex}$" if len(tex) <= 70 else f"\n\\[ {tex} \\]\n"

    def fact(e: sp.Basic, rel: str) -> str:
        tex = _tex(e, names, to_latex)
        return f"${tex} {rel}$" if len(tex) <= 70 else f"\n\\[ {tex} {rel} \\]\n"

    return Style(math, escape_tex, _SIGN_TEX, display, fact, r"$\Delta(fg) = \Delta f\, g(y) + f(x)\, \Delta g$ for $x < y$")


def _tex(e: sp.Basic, names: Mapping[sp.Symbol, str], to_latex) -> str:
    if isinstance(e, sp.Interval):
        lo, hi = (to_latex(x, names) if x.is_finite else (r"-\infty" if x == sp.S.NegativeInfinity else r"\infty")
                  for x in (e.start, e.end))
        return f"({lo}, {hi})"
    if isinstance(e, sp.Symbol) and "!" in e.name:
        kind, _, k = e.name.partition("!")
        return rf"\mathit{{{kind}}}_{{{k}}}"
    try:
        return to_latex(e, names)
    except Exception:  # a stored object the report's printer does not know (a set, a boolean): sympy's own
        return sp.latex(e)


def text_style() -> Style:
    def math(e: sp.Basic) -> str:
        if isinstance(e, sp.Eq):
            return f"{sp.sstr(e.lhs)} = {sp.sstr(e.rhs)}"
        return sp.sstr(e)

    return Style(math, lambda s: s, _SIGN_TXT, math, lambda e, rel: f"{sp.sstr(e)} {rel}")


# ---------------------------------------------------------------------------------------------- calculus trees
def _constant(step: Step) -> bool:
    """A monotonicity fact about a term that does not involve the variable (nothing to explain)."""
    e = step.sympy
    return step.result == "constant" and e is not None and sp.Symbol(step.var) not in {
        sp.Symbol(x.name) for x in e.free_symbols}


def _is_leaf(step: Step) -> bool:
    return step.rule in ("symbol", "number", "monotone-symbol", "monotone-number") or not step.children \
        or (step.rule.startswith("monotone-") and _constant(step))


def _fact(step: Step, st: Style) -> str:
    e = step.sympy
    if step.rule.startswith("monotone") or step.rule == "derivative":
        word = _MONO_WORDS.get(step.result, step.result)
        return f"{st.display(e)} is {word} in {st.math(sp.Symbol(step.var))}"
    rel = st.rel.get(step.result)
    if rel is None:
        return f"{st.display(e)} has no known sign"
    return st.fact(e, rel)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _float8(v: sp.Expr) -> sp.Expr:
    """An enclosure end (a sympy number, as ``Step.get`` returns it) as an 8-digit float; evalf, not Float(v),
    which goes through a string and fails on an integer of more than 4,300 digits (the upper end of exp(t) on
    t < 10**6)."""
    return v if v.is_infinite else sp.Float(v.evalf(8), 8)


def _why(step: Step, st: Style) -> str:
    kids = list(step.children)
    # numbers (a factor 1/2, the constant 2) are plain; they stay only when nothing else is left
    plain = [k for k in kids if not (k.sympy is not None and k.sympy.is_number and k.sympy.is_Rational)
             and k.result != "any"]
    facts = [_fact(k, st) for k in (plain or [k for k in kids if k.result != "any"])]
    r = step.rule.removeprefix("monotone-")
    mono = step.rule.startswith("monotone-")
    if step.rule == "enclosure":
        lo, hi = step.get("lo"), step.get("hi")
        return (f"interval arithmetic with outward rounding encloses it in "
                f"{st.math(sp.Interval(_float8(lo), _float8(hi)))} on the domain")
    if step.rule == "rewrite":
        return f"it equals {st.display(step.get('form'))}, and " + _join(facts)
    if step.rule in ("square-difference", "log-difference"):
        P, Q = sp.Symbol("P"), sp.Symbol("Q")
        how = P ** 2 - Q ** 2 if step.rule == "square-difference" else sp.log(P) - sp.log(Q)
        return (f"it is {st.math(P - Q)} with {st.math(sp.Eq(P, step.get('P'), evaluate=False))} and "
                f"{st.math(sp.Eq(Q, step.get('Q'), evaluate=False))} of known sign, so it has the sign of "
                f"{st.math(how)} = {st.display(step.get('form'))}; here " + _join(facts))
    if step.rule == "derivative":
        return (f"its derivative in {st.math(sp.Symbol(step.var))} is {st.display(step.get('derivative'))}, and "
                + _join(facts) + " on the interior of the interval")
    if r == "sum":
        if mono:
            moving = [k for k in kids if not _constant(k)]
            rest = " (the other terms do not depend on " + st.math(sp.Symbol(step.var)) + ")" \
                if len(moving) < len(kids) else ""
            return "it is a sum of terms: " + _join([_fact(k, st) for k in moving]) + rest
        return "it is a sum of terms where " + _join(facts)
    if r == "product":
        if mono:
            const = [k for k in kids if k.rule.startswith("monotone-") and _constant(k)]
            moving = [k for k in kids if k.rule.startswith("monotone-") and not _constant(k)]
            if len(const) == 1 and len(moving) == 1:
                # c * g with c free of the variable: g's monotonicity, flipped when c < 0
                c = const[0].sympy
                sign_c = next((k for k in kids if not k.rule.startswith("monotone-") and k.sympy == c), None)
                sign_text = (" " + st.rel.get(sign_c.result, "")) if sign_c is not None else ""
                c_text = st.fact(c, sign_text.strip()) if sign_text.strip() else st.math(c)
                word = _MONO_WORDS.get(moving[0].result, moving[0].result)
                return (f"it is a factor {c_text}, which does not depend on {st.math(sp.Symbol(step.var))}, "
                        f"times {st.display(moving[0].sympy)}, which is {word} in {st.math(sp.Symbol(step.var))}")
            return f"by the product rule for differences, {st.product_rule}, since " + _join(facts)
        return "it is a product of factors where " + _join(facts)
    if r == "power":
        e = step.sympy
        even = e is not None and e.is_Pow and e.args[1].is_Integer and int(e.args[1]) % 2 == 0
        if even and not mono:
            return "an even power is nonnegative" + (", and " + _join(facts) if facts else "")
        return "it is a power where " + _join(facts) if facts else "it is a power"
    if r == "log":
        arg = step.sympy.args[0] if step.sympy is not None and step.sympy.args else None
        shifted = [k for k in kids if arg is not None and k.sympy is not None and sp.simplify(k.sympy - (arg - 1)) == 0]
        if shifted:
            return (f"the logarithm of a positive quantity has the sign of that quantity minus 1, and "
                    + _join([_fact(k, st) for k in kids if k.sympy is not None and k.sympy != 0]))
        return "the logarithm of a positive power is the exponent times the logarithm of the base, and " + _join(facts)
    if r == "exp":
        return ("the exponential is positive" if not mono else "the exponential is increasing and " + _join(facts))
    if r in ("symbol", "number"):
        return "by the domain" if r == "symbol" else "it is a number"
    return st.text(f"rule {step.rule}") + (" with " + _join(facts) if facts else "")


def _tree(step: Step, st: Style, seen: set, out: list[str], depth: int) -> None:
    key = (step.rule, step.expr, step.var, step.result)
    if key in seen or _is_leaf(step) and step.rule != "enclosure":
        return
    seen.add(key)
    out.append(f"{_fact(step, st)}: {_why(step, st)}.")
    if step.rule == "enclosure":
        return
    for k in _premises(step):
        _tree(k, st, seen, out, depth + 1)


def _premises(step: Step) -> tuple[Step, ...]:
    """The children a sentence cites: for c * g with c free of the variable, g and the sign of c only."""
    if step.rule == "monotone-product":
        kids = step.children
        const = [k for k in kids if k.rule.startswith("monotone-") and _constant(k)]
        moving = [k for k in kids if k.rule.startswith("monotone-") and not _constant(k)]
        if len(const) == 1 and len(moving) == 1:
            c = const[0].sympy
            return tuple(k for k in kids if k is moving[0] or (not k.rule.startswith("monotone-") and k.sympy == c))
    return step.children


def _template(step: Step, st: Style) -> str:
    parts = []
    text = step.text
    i = 0
    while i < len(text):
        j = text.find("{", i)
        if j < 0:
            parts.append(st.text(text[i:]))
            break
        k = text.find("}", j)
        if k < 0:
            parts.append(st.text(text[i:]))
            break
        parts.append(st.text(text[i:j]))
        key = text[j + 1:k]
        try:
            value = step.get(key)
            parts.append(st.display(value) if isinstance(value, sp.Basic) else st.text(str(value)))
        except (KeyError, ValueError):
            parts.append(st.text(text[j:k + 1]))
        i = k + 1
    return "".join(parts)


def proof_sentences(proof: Proof, st: Style) -> list[str]:
    """The proof as a list of sentences, top-down."""
    out: list[str] = []
    seen: set = set()

    def visit(step: Step) -> None:
        if step.text:
            out.append(_template(step, st))
            for k in step.children:
                visit(k)
        else:
            before = len(out)
            _tree(step, st, seen, out, 0)
            if len(out) == before:
                out.append(f"{_fact(step, st)}: {_why(step, st)}.")

    for s in proof.steps:
        visit(s)
    return out


def explain_verdict(v: Verdict, st: Style | None = None) -> list[str]:
    """The proof (PROVED), the witness and its computation (REFUTED) or the reason (UNKNOWN), as sentences."""
    st = st or text_style()
    if v.status is Status.PROVED:
        if v.proof is None:
            return [st.text(v.certificate.detail if v.certificate else "proved")]
        return proof_sentences(v.proof, st)
    if v.status is Status.REFUTED and v.witness is not None:
        w = v.witness
        lines = []
        if w.point:
            pts = [st.math(sp.Eq(sp.Symbol(k), _value(val), evaluate=False)) if _value(val) is not None
                   else st.text(f"{k} = {val}") for k, val in w.point]
            lines.append("Take " + _join(pts) + ".")
        for q, val in w.values:
            v = _value(val)
            shown = st.text(val) if v is None else st.math(_shown(v))
            lines.append(f"{st.text(q)}: {shown} (evaluated with {w.digits} digits).")
        if w.explanation:
            lines.append(st.text(w.explanation.rstrip(".")) + ".")
        return lines
    return [st.text(v.reason)]


def _shown(v: sp.Basic) -> sp.Basic:
    """Long exact values (a 50-digit evaluation stored as a fraction) shown to 12 significant digits."""
    if isinstance(v, sp.Rational) and v.q > 10 ** 6:
        return sp.Float(v, 12)
    return v


def _value(text: str) -> sp.Basic | None:
    from ..parse import parse_number

    try:
        return parse_number(text)
    except Exception:  # shown as text when it is not an exact number (e.g. '-1.2e-3')
        try:
            return sp.Float(text, 15)
        except (TypeError, ValueError):
            return None


def stored(text: str) -> sp.Basic:
    return expr_of(text)
