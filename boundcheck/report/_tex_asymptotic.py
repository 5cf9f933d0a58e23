"""The asymptotic analysis of the LaTeX report (layer 6, report): leading terms and the piecewise exponent.

The cases come from :func:`boundcheck.symbolic.exponent_cases` (driven by the prover's sign calculus when
it is available) or are passed in by the caller; anything that fails here becomes a sentence in the
document, never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..prove.verdict import Verdict
from ..spec import Claim, Problem
from ._tex_claims import claim_label, verdict_word
from ._tex_math import condition_latex, display_expr, display_relation, join_names, to_latex
from ._tex_text import breakable, escape_tex, shorten, tt

__all__ = ["AsymptoticGroup", "asymptotic_groups", "asymptotic_section", "compute_cases"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AsymptoticGroup:
    """Exponent and limit claims about one expression in one variable, and its case split.

    Attributes:
        claim_indices: indices into ``problem.all_claims``.
        cases: the ExponentCase-like objects (condition, exponent, dominant), or () when unavailable.
        error: why there are no cases, or "".
    """

    claim_indices: tuple[int, ...]
    cases: tuple[Any, ...]
    error: str = ""
    basis: int | None = None  # the claim whose assumptions the case split was computed under


def compute_cases(problem: Problem, claim: Claim) -> tuple[tuple[Any, ...], str]:
    """The case split of ``claim.expr`` as ``claim.var -> oo``: the prover's own analysis
    (:func:`boundcheck.prove.asymptotic.analyze_exponents`, so the report shows what the verdicts rest on),
    else :func:`boundcheck.symbolic.exponent_cases` over the symbol domains. Returns (cases, error)."""
    try:
        from ..prove.asymptotic import analyze_exponents
    except ImportError:
        analyze_exponents = None
    if analyze_exponents is not None:
        try:
            found = analyze_exponents(problem, [claim])
            if claim.id in found:
                return tuple(found[claim.id][1]), ""
        except Exception as err:  # best effort in a report: fall back to the plain analysis
            log.debug("analyze_exponents failed on %s: %s", claim.id, err)
    try:
        from .. import symbolic

        var = problem.symbol(claim.var).sym  # type: ignore[arg-type]
        domains = {s.sym: symbolic.symbol_set(s.lo, s.hi, s.lo_open, s.hi_open) for s in problem.symbols
                   if s.name != claim.var}
        assume = [a for a in claim.assume if var not in a.free_symbols]
        cases = symbolic.exponent_cases(claim.expr, var, tuple(problem.assumptions) + tuple(assume),
                                        domains=domains)
        return tuple(cases), ""
    except Exception as err:  # the analysis is best effort in a report: say why it is missing
        return (), f"{type(err).__name__}: {err}"


def asymptotic_groups(problem: Problem, exponents: Mapping[str, Sequence[Any]] | None = None) -> list[AsymptoticGroup]:
    """Group the exponent and limit-at-infinity claims by (expression, variable) and get their cases.

    Args:
        problem: the spec.
        exponents: precomputed cases by claim id (optional); missing ones are computed.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(problem.all_claims):
        if c.kind == "exponent" or (c.kind == "limit" and c.at is not None and c.at == sp.oo):
            if c.expr is None or c.var is None:
                continue
            groups.setdefault((sp.srepr(c.expr), c.var), []).append(i)
    out = []
    for idx in groups.values():
        # the claim with the fewest extra assumptions shows the whole case split
        order = sorted(idx, key=lambda i: len(problem.all_claims[i].assume))
        given = next((i for i in order if exponents and problem.all_claims[i].id in exponents), None)
        if given is not None:
            out.append(AsymptoticGroup(tuple(idx), tuple(exponents[problem.all_claims[given].id]),  # type: ignore
                                       basis=given))
        else:
            cases, error = compute_cases(problem, problem.all_claims[order[0]])
            out.append(AsymptoticGroup(tuple(idx), cases, error, basis=order[0]))
    return out


def _univariate_set(cond: sp.Basic, problem: Problem) -> tuple[sp.Symbol, sp.Set] | None:
    """(parameter, set) when the condition constrains one spec symbol (others only by their domain)."""
    free = [s for s in cond.free_symbols]
    names = {s.sym: s for s in problem.symbols}
    if not free or any(s not in names for s in free):
        return None
    from ._tex_math import _interval  # same-package helper

    conj = list(cond.args) if isinstance(cond, sp.And) else [cond]
    per: dict[sp.Symbol, sp.Set] = {}
    try:
        for c in conj:
            syms = c.free_symbols
            if len(syms) != 1:
                return None
            s = next(iter(syms))
            per[s] = per.get(s, _interval(names[s])).intersect(c.as_set())
    except Exception:
        return None
    real = [(s, st) for s, st in per.items() if st != _interval(names[s])]
    if len(real) != 1:
        return None
    return real[0]


def exponent_pieces(cases: Sequence[Any], problem: Problem) -> list[tuple[sp.Basic, sp.Expr, sp.Expr]]:
    """(condition, exponent, log power) pieces, with a single point merged into a neighbouring interval
    when the interval's exponent takes the point's value there (``d = 2: -1/2`` joins ``d > 2: -1/d``)."""
    pieces = [(c.condition, sp.sympify(c.exponent, strict=True), sp.sympify(getattr(c, "log_power", 0), strict=True)) for c in cases]
    merged = True
    while merged:
        merged = False
        for i, (ci, ei, li) in enumerate(pieces):
            ui = _univariate_set(ci, problem)
            if ui is None or not isinstance(ui[1], sp.FiniteSet) or len(ui[1]) != 1:
                continue
            sym, point_set = ui
            point = next(iter(point_set))
            for j, (cj, ej, lj) in enumerate(pieces):
                uj = _univariate_set(cj, problem) if j != i else None
                if uj is None or uj[0] != sym:
                    continue
                union = uj[1].union(point_set)
                if not isinstance(union, sp.Interval):
                    continue
                if sp.simplify(ej.subs(sym, point) - ei) != 0 or sp.simplify(lj.subs(sym, point) - li) != 0:
                    continue
                pieces[j] = (union.as_relational(sym), ej, lj)
                del pieces[i]
                merged = True
                break
            if merged:
                break
    return pieces


def _tidy(expr: sp.Expr) -> sp.Expr:
    """Logarithms expanded where sympy's assumptions allow (``ln(2^C/delta)`` -> ``C ln 2 - ln delta``)."""
    try:
        return sp.expand_log(sp.sympify(expr, strict=True))
    except Exception:  # display only
        return expr


def _sort_key(piece_cond: sp.Basic, problem: Problem) -> tuple:
    u = _univariate_set(piece_cond, problem)
    if u is None:
        return (1, str(piece_cond))
    try:
        return (0, float(u[1].inf))
    except (TypeError, ValueError):
        return (1, str(piece_cond))


def asymptotic_section(problem: Problem, groups: Sequence[AsymptoticGroup], verdicts: Sequence[Verdict | None],
                       names: Mapping[sp.Symbol, str]) -> str:
    """The section: for each group, the leading term in each case and the piecewise exponent."""
    if not groups:
        return ""
    out = ["\\section{Asymptotic analysis}\\label{bc:sec:asymptotic}\n",
           "For each expression that an exponent or limit claim is about, the leading term as the variable "
           "grows is found case by case: wherever the parameters decide which term dominates, the domain is "
           "split, rather than letting one branch stand for all (as a computer-algebra \\emph{limit} with "
           "symbolic parameters silently does).\n"]
    claims = problem.all_claims
    for g in groups:
        first = claims[g.claim_indices[0]]
        var = names.get(problem.symbol(first.var).sym, first.var)  # type: ignore[arg-type]
        e = display_expr(problem, first.text("expr"), first.expr, names)
        refs = join_names([f"{tt(claims[i].id)} (Proposition~\\ref{{{claim_label(i)}}}, "
                           f"\\textbf{{{verdict_word(verdicts[i] if i < len(verdicts) else None)}}})"
                           for i in g.claim_indices])
        if len(e) <= 80:
            out.append(f"\\subsection{{The exponent of ${e}$ in ${var}$}}\n")
        else:
            out.append(f"\\subsection{{The exponent in ${var}$ of the expression of {tt(shorten(first.id, 60))}}}\n")
        if not g.cases:
            out.append("The case analysis is not available for this expression"
                       + (": " + breakable(escape_tex(g.error)) if g.error else "") + ".\n")
            out.append(f"It concerns {refs}.\n")
            continue
        rows = []
        for c in sorted(g.cases, key=lambda c: _sort_key(c.condition, problem)):
            cond = condition_latex(c.condition, problem, names)
            cond = rf"\text{{if }} {cond}" if cond else r"\text{for all parameters}"
            caveat = "" if getattr(c, "certain", True) else r" \text{ (may be empty)}"
            rows.append(f"  {e} &\\sim {to_latex(_tidy(c.dominant), names)} && {cond}{caveat}")
        basis = claims[g.basis] if g.basis is not None else None
        hyp = [t for k, t in basis.texts if k == "assume"] if basis is not None else []
        under = (" and assuming " + join_names([f"${display_relation(problem, t, names)}$" for t in hyp])
                 + f" (as {tt(shorten(basis.id, 60))} does)") if hyp and basis is not None else ""
        out.append(f"As ${var} \\to \\infty$, with the other symbols fixed in their domains{under},\n"
                   "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")
        pieces = sorted(exponent_pieces(g.cases, problem), key=lambda p: _sort_key(p[0], problem))
        with_logs = any(lp != 0 for _, _, lp in pieces)
        x = problem.symbol(first.var).sym  # type: ignore[arg-type]
        what = "rate" if with_logs else f"exponent of ${var}$"

        def shown(ex: sp.Expr, lp: sp.Expr) -> str:
            if not with_logs:
                return to_latex(ex, names)
            return to_latex(sp.Mul(sp.Pow(x, ex, evaluate=False), sp.Pow(sp.log(x), lp, evaluate=False),
                                   evaluate=False), names, keep_order=True)

        if len(pieces) == 1:
            cond = condition_latex(pieces[0][0], problem, names)
            where = f" for {'$' + cond + '$' if cond else 'every admissible value of the parameters'}"
            out.append(f"so the {what} is ${shown(pieces[0][1], pieces[0][2])}${where}.\n")
        else:
            otherwise = r"\text{otherwise}"
            body = " \\\\\n".join(
                f"    {shown(ex, lp)} & \\text{{if }} "
                f"{condition_latex(cnd, problem, names) or otherwise}" for cnd, ex, lp in pieces)
            # a name no spec symbol can take (spec symbols print as letters, Greek or subscripted names)
            lhs = r"\operatorname{rate}" if with_logs else rf"\operatorname{{ord}}_{{{var}}}"
            out.append(f"so the {what} (written ${lhs}$) is piecewise:\n\\[\n  {lhs} = \\begin{{cases}}\n{body}\n"
                       "  \\end{cases}\n\\]\n")
        if len(g.cases) > 1:
            out.append("Where two cases meet and both terms have the same order, their coefficients add; the "
                       "exponent is unchanged. ")
        out.append(f"This bears on {refs}.\n")
    return "".join(out)
