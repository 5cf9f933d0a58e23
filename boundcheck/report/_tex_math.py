"""Mathematics for the LaTeX report (layer 6, report): sympy's LaTeX printer with the spec's symbol names.

Definitions are shown as the user wrote them: their text is parsed again by the safe parser
(:func:`boundcheck.parse.parse_expr`) under ``sympy.evaluate(False)``, so ``sqrt((C*log(2) + log(1/delta))
/ (2*n))`` prints as a square root of a fraction and not in sympy's canonical form. Nothing is evaluated
from text by any other route.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..parse import parse_expr, parse_relation
from ..spec import Problem, Symbol
from ._tex_text import escape_tex, safe_math_fragment

__all__ = ["latex_name", "definition_name", "symbol_names", "MathPrinter", "to_latex", "display_expr",
           "display_lines", "split_sum", "visible_width",
           "display_relation", "domain_latex", "condition_latex", "number_latex"]

log = logging.getLogger(__name__)

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
          "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma",
          "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
          "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}


def _word(part: str) -> str:
    """One identifier part: a Greek letter, a single letter, or an upright word."""
    m = re.fullmatch(r"([A-Za-z]+?)(\d+)", part)
    if m and m.group(1):
        return f"{_word(m.group(1))}_{{{m.group(2)}}}"
    if part in _GREEK:
        return "\\" + part
    if len(part) == 1 or part.isdigit():
        return part
    return r"\mathrm{" + part + "}"


def _default_name(name: str) -> str:
    base, _, rest = name.partition("_")
    out = _word(base)
    if rest:
        subs = [p for p in rest.split("_") if p]
        if subs:
            out = f"{{{out}}}_{{{','.join(_word(p) for p in subs)}}}"
    return out


def latex_name(symbol: Symbol) -> str:
    """The LaTeX of a symbol: its ``latex`` field when it is a harmless math fragment, else a name built
    from the identifier (``delta`` -> ``\\delta``, ``L_train`` -> ``{L}_{\\mathrm{train}}``, ``KL`` ->
    ``\\mathrm{KL}``, ``x2`` -> ``x_{2}``).

    A ``latex`` field that could break the document or reach outside it (unbalanced braces, ``$``,
    ``\\input``, ``\\def``, ...) is ignored with a logged warning.
    """
    if symbol.latex is not None:
        if safe_math_fragment(symbol.latex):
            return symbol.latex
        log.warning("ignoring the latex field of symbol %s: %r is not a plain math fragment", symbol.name,
                    symbol.latex)
    return _default_name(symbol.name)


def definition_name(name: str) -> str:
    """The LaTeX of a definition's name: upright, ``_`` printed (``pac_bayes`` -> ``\\mathrm{pac\\_bayes}``)."""
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def symbol_names(problem: Problem) -> dict[sp.Symbol, str]:
    """``symbol_names`` for sympy's printer: spec symbols and definition placeholders."""
    out: dict[sp.Symbol, str] = {s.sym: latex_name(s) for s in problem.symbols}
    for d in problem.definitions:
        out[d.placeholder] = definition_name(d.name)
    return out


class MathPrinter(LatexPrinter):
    """sympy's LaTeX printer with ``\\ln 2`` instead of ``\\ln{\\left(2 \\right)}`` for atomic arguments."""

    def _print_log(self, expr: sp.Expr, exp: str | None = None) -> str:
        arg = expr.args[0]
        if isinstance(arg, sp.Symbol) or (arg.is_Integer and arg > 0):
            head = r"\ln" if self._settings.get("ln_notation") else r"\log"
            body = self._print(arg)
            if exp is not None:
                return f"{head}^{{{exp}}} {body}"
            return f"{head} {body}"
        return super()._print_log(expr, exp)

    def _helper_print_standard_power(self, expr: sp.Expr, template: str) -> str:
        """Exponents with short fractions folded: ``n^{-1/d}`` rather than ``n^{- \\frac{1}{d}}``."""
        saved = self._settings["fold_short_frac"]
        self._settings["fold_short_frac"] = True
        try:
            return super()._helper_print_standard_power(expr, template)
        finally:
            self._settings["fold_short_frac"] = saved


def _flatten(expr: sp.Basic) -> sp.Basic:
    """Merge nested unevaluated sums and products (``(a + b) + c`` -> ``a + b + c``) for display."""
    if not expr.args or not isinstance(expr, sp.Basic):
        return expr
    args = [_flatten(a) for a in expr.args]
    if isinstance(expr, (sp.Add, sp.Mul)):
        flat: list[sp.Basic] = []
        for a in args:
            if type(a) is type(expr):
                flat.extend(a.args)
            else:
                flat.append(a)
        return type(expr)(*flat, evaluate=False)
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)


_NAME_AFTER_ATOM = re.compile(r"(?<=[A-Za-z0-9})\]])(?<!\\left)(?<!\\right)( +)(?=\\mathrm\{)")
_OPERATOR_WORD = re.compile(r"\\(leq|geq|le|ge|lt|gt|sim|cdot|times|to|in|neq|approx|quad|qquad|left|right|mid|"
                            r"wedge|vee|cup|cap|pm|mp|div|ne|notin|subset|subseteq|lim|ln|log|exp|sin|cos)$")


def _space_names(tex: str) -> str:
    """A thin space before an upright name that follows a factor (``K\\,\\mathrm{radius}``)."""
    def repl(m: re.Match[str]) -> str:
        if _OPERATOR_WORD.search(tex[: m.start()]):
            return m.group(1)
        return r"\, "

    return _NAME_AFTER_ATOM.sub(repl, tex)


def to_latex(expr: sp.Basic, names: Mapping[sp.Symbol, str], *, keep_order: bool = False,
             fold: bool = False) -> str:
    """Print with sympy's LaTeX printer, the given symbol names, ``\\ln`` for logarithms.

    Args:
        expr: the expression or relation.
        names: ``symbol_names`` (see :func:`symbol_names`).
        keep_order: print the arguments of sums in their stored order (for unevaluated display forms).
        fold: print short fractions inline (``-1/d``), as for an exponent.
    """
    settings = {"symbol_names": dict(names), "ln_notation": True, "mul_symbol": None, "fold_short_frac": fold}
    if keep_order:
        settings["order"] = "none"
    return _space_names(MathPrinter(settings).doprint(expr))


def _display_names(problem: Problem) -> dict[str, sp.Expr]:
    names: dict[str, sp.Expr] = dict(problem.sympy_symbols)
    for d in problem.definitions:
        names[d.name] = d.placeholder
    return names


def display_expr(problem: Problem, text: str | None, fallback: sp.Basic | None,
                 names: Mapping[sp.Symbol, str], *, fold: bool = False) -> str:
    """LaTeX of an expression as the spec wrote it (definitions by name, the user's order of terms).

    Falls back to the printed ``fallback`` (the parsed, evaluated expression) when the text cannot be
    parsed in display form.
    """
    if text is not None:
        try:
            with sp.evaluate(False):
                expr = parse_expr(text, _display_names(problem))
            return to_latex(_flatten(expr), names, keep_order=True, fold=fold)
        except Exception as err:  # display only: any failure falls back to the evaluated form
            log.debug("display parse of %r failed: %s", text, err)
    if fallback is None:
        return r"\text{" + escape_tex(text or "?") + "}"
    return to_latex(fallback, names, fold=fold)


def visible_width(tex: str) -> int:
    """A rough count of the characters a LaTeX formula prints (commands count one; layout commands,
    braces, scripts markers and spaces none). Fractions count both lines, so this overestimates."""
    t = re.sub(r"\\(left|right|frac|sqrt|mathrm|operatorname|text|quad|qquad)\b|\\[,;:! ]", "", tex)
    t = re.sub(r"\\[A-Za-z]+", "x", t)
    return len(re.sub(r"[{}^_\s]", "", t))


def split_sum(expr: sp.Basic, names: Mapping[sp.Symbol, str], *, keep_order: bool = False, fold: bool = False,
              width: int = 56) -> list[str]:
    """LaTeX of an expression on one line, or, for a long sum, on several lines (each continuation line
    starts with its sign), so that a long bound does not run off the page."""
    full = to_latex(expr, names, keep_order=keep_order, fold=fold)
    if not isinstance(expr, sp.Add) or visible_width(full) <= width:
        return [full]
    terms = list(expr.args) if keep_order else list(expr.as_ordered_terms())
    lines: list[str] = []
    cur = ""
    for i, term in enumerate(terms):
        piece = to_latex(term, names, keep_order=keep_order, fold=fold)
        if i > 0 and not piece.lstrip().startswith("-"):
            piece = "+ " + piece
        if cur and visible_width(cur + piece) > width:
            lines.append(cur)
            cur = piece
        else:
            cur = f"{cur} {piece}".strip()
    lines.append(cur)
    return lines


def display_lines(problem: Problem, text: str | None, fallback: sp.Basic | None,
                  names: Mapping[sp.Symbol, str], *, width: int = 56) -> list[str]:
    """:func:`display_expr` split into lines at the terms of a long sum (see :func:`split_sum`)."""
    if text is not None:
        try:
            with sp.evaluate(False):
                expr = parse_expr(text, _display_names(problem))
            return split_sum(_flatten(expr), names, keep_order=True, width=width)
        except Exception as err:  # display only
            log.debug("display parse of %r failed: %s", text, err)
    if fallback is None:
        return [r"\text{" + escape_tex(text or "?") + "}"]
    return split_sum(fallback, names, width=width)


def display_relation(problem: Problem, text: str, names: Mapping[sp.Symbol, str]) -> str:
    """LaTeX of a relation text (an ``assume`` or ``using`` entry), or the escaped text in ``\\text``."""
    try:
        with sp.evaluate(False):
            rel = parse_relation(text, _display_names(problem))
        return to_latex(_flatten(rel), names, keep_order=True)
    except Exception as err:  # display only
        log.debug("display parse of relation %r failed: %s", text, err)
        return r"\text{" + escape_tex(text) + "}"


def _interval(symbol: Symbol) -> sp.Set:
    lo = sp.S.NegativeInfinity if symbol.lo is None else symbol.lo
    hi = sp.S.Infinity if symbol.hi is None else symbol.hi
    return sp.Interval(lo, hi, symbol.lo is None or symbol.lo_open, symbol.hi is None or symbol.hi_open)


def domain_latex(symbol: Symbol, names: Mapping[sp.Symbol, str]) -> str:
    """The domain of a symbol: ``n \\in \\{1, 2, \\dots\\}``, ``\\delta \\in (0, 1)``, ``x \\in \\mathbb{R}``."""
    name = names.get(symbol.sym) or latex_name(symbol)
    lo = None if symbol.lo is None else to_latex(symbol.lo, names)
    hi = None if symbol.hi is None else to_latex(symbol.hi, names)
    if symbol.is_integer and symbol.lo is not None and symbol.lo.is_Integer and not symbol.lo_open \
            and symbol.hi is None:
        first = int(symbol.lo)
        return rf"{name} \in \{{{first}, {first + 1}, {first + 2}, \dots\}}"
    if lo is None and hi is None:
        return rf"{name} \in \mathbb{{{'Z' if symbol.is_integer else 'R'}}}"
    left = "(" if (lo is None or symbol.lo_open) else "["
    right = ")" if (hi is None or symbol.hi_open) else "]"
    lo_text = r"-\infty" if lo is None else lo
    hi_text = r"\infty" if hi is None else hi
    interval = f"{left}{lo_text}, {hi_text}{right}"
    if symbol.is_integer:
        return rf"{name} \in \mathbb{{Z}} \cap {interval}"
    return rf"{name} \in {interval}"


def _conjuncts(cond: sp.Basic) -> list[sp.Basic]:
    if isinstance(cond, sp.And):
        out: list[sp.Basic] = []
        for a in cond.args:
            out.extend(_conjuncts(a))
        return out
    return [cond]


def condition_latex(cond: sp.Basic, problem: Problem, names: Mapping[sp.Symbol, str]) -> str:
    """A case condition in reader's form: conjuncts already implied by the symbol domains are dropped and
    the constraints on one symbol are chained (``(1 <= d) & (d < 2) & (delta < 1)`` -> ``1 \\le d < 2``).

    Returns ``""`` when nothing is left (the condition is the whole domain).
    """
    if cond is sp.true or cond == sp.true:
        return ""
    by_symbol: dict[sp.Symbol, list[sp.Basic]] = {}
    other: list[sp.Basic] = []
    symbols = {s.sym: s for s in problem.symbols}
    for c in _conjuncts(cond):
        free = c.free_symbols
        if isinstance(c, sp.core.relational.Relational) and len(free) == 1 and next(iter(free)) in symbols:
            by_symbol.setdefault(next(iter(free)), []).append(c)
        else:
            other.append(c)
    parts: list[str] = []
    for sym in sorted(by_symbol, key=lambda s: s.name):
        dom = _interval(symbols[sym])
        try:
            region = dom
            for c in by_symbol[sym]:
                region = region.intersect(c.as_set())
        except Exception:  # not a univariate set we can solve: print as given
            other.extend(by_symbol[sym])
            continue
        if region == dom:
            continue
        name = names.get(sym) or latex_name(symbols[sym])
        if isinstance(region, sp.FiniteSet):
            parts.append(name + " " + (r"\in " + to_latex(region, names) if len(region) != 1
                                       else "= " + to_latex(next(iter(region)), names)))
        elif isinstance(region, sp.Interval):
            if region.sup.is_infinite and region.inf.is_finite:
                parts.append(name + (" > " if region.left_open else r" \geq ") + to_latex(region.inf, names))
                continue
            left = "" if region.inf.is_infinite else (
                to_latex(region.inf, names) + (" < " if region.left_open else r" \leq "))
            right = "" if region.sup.is_infinite else (
                (" < " if region.right_open else r" \leq ") + to_latex(region.sup, names))
            parts.append(f"{left}{name}{right}")
        else:
            parts.append(name + r" \in " + to_latex(region, names))
    parts.extend(to_latex(c, names) for c in other)
    return r",\ ".join(parts)


_DECIMAL = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def number_latex(text: str, names: Mapping[sp.Symbol, str], *, digits: int = 12) -> str:
    """A number given as text (an exact value such as ``1/2`` or a long decimal) in math mode.

    Long decimals are shortened to ``digits`` significant digits (the full value stays in the JSON);
    exact values are printed with the LaTeX printer; anything else is shown as escaped text.
    """
    s = text.strip()
    if _DECIMAL.match(s):
        if len(s.lstrip("+-").replace(".", "").lstrip("0")) > digits:
            try:
                value = sp.Float(s, 60)
                s = str(sp.N(value, digits))
            except (ValueError, TypeError):
                pass
        m = re.match(r"^([-+]?[\d.]+)[eE]([-+]?\d+)$", s)
        if m:
            return rf"{m.group(1)} \times 10^{{{int(m.group(2))}}}"
        return s
    try:
        with sp.evaluate(False):
            value = parse_expr(s, {})
        return to_latex(value, names, keep_order=True)
    except Exception:  # display only
        return r"\text{" + escape_tex(s) + "}"


def relation_symbol(rel: str) -> str:
    """LaTeX of a step relation (``<=`` -> ``\\leq``)."""
    return {"<=": r"\leq", "<": "<", "=": "=", "==": "=", ">=": r"\geq", ">": ">"}.get(rel, r"\leq")


def join_names(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
