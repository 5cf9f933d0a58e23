"""Claims, verdicts and the derivation chain in LaTeX (layer 6, report)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath

import sympy as sp

from ..parse import parse_relation
from ..prove.verdict import Status, Verdict
from ..spec import Claim, Problem, Step
from ._tex_math import (display_expr, display_lines, display_relation, join_names, number_latex, relation_symbol,
                        to_latex)
from ._tex_prose import typeset_prose
from ._tex_text import breakable, escape_tex, sentence, shorten, tt

__all__ = ["claim_statement", "verdict_paragraph", "verdict_word", "method_phrase", "derivation_section",
           "claims_section", "summary_table", "claim_label"]

METHODS = {
    "calculus": "the sign and monotonicity calculus",
    "smt": "SMT (z3) on a sound polynomial encoding",
    "z3": "SMT (z3) on a sound polynomial encoding",
    "derivative": "the sign of the derivative",
    "bnb": "interval branch-and-bound with rigorous enclosures",
    "bnb+certified": "interval branch-and-bound, the point certified by ball arithmetic",
    "nearmiss": "local minimisation from many starts, the point certified by ball arithmetic",
    "asymptotic": "the leading-term case analysis",
    "symbolic": "symbolic simplification",
    "mpmath": "a point re-evaluated at high precision",
    "asymptotic+mpmath": "the leading-term case analysis, re-evaluated at high precision",
    "numeric": "numeric search, confirmed at high precision",
}

_MONOTONE_WORDS = {"increasing": "strictly increasing", "decreasing": "strictly decreasing",
                   "nondecreasing": "nondecreasing", "nonincreasing": "nonincreasing"}


def claim_label(index: int) -> str:
    """The \\label key of the proposition of the claim at ``index`` in ``problem.all_claims``."""
    return f"bc:claim:{index + 1}"


def verdict_word(v: Verdict | None) -> str:
    """PROVED, REFUTED, UNKNOWN (or NOT RUN)."""
    return "NOT RUN" if v is None else str(v.status)


def method_phrase(method: str) -> str:
    """A reader's phrase for a method name (escaped)."""
    return escape_tex(METHODS.get(method, method))


def _expr(problem: Problem, claim: Claim, key: str, names: Mapping[sp.Symbol, str]) -> str:
    return display_expr(problem, claim.text(key), getattr(claim, key), names)


def _is_name(problem: Problem, text: str | None) -> bool:
    names = {d.name for d in problem.definitions} | {s.name for s in problem.symbols}
    return text is not None and text.strip() in names


def _var(problem: Problem, claim: Claim, names: Mapping[sp.Symbol, str]) -> str:
    try:
        return names[problem.symbol(claim.var).sym]  # type: ignore[arg-type]
    except KeyError:
        return r"\text{" + escape_tex(claim.var) + "}"


def _math(problem: Problem, claim: Claim, key: str, names: Mapping[sp.Symbol, str]) -> tuple[str, bool]:
    """LaTeX of ``claim.<key>`` and whether it is a single name (short enough to stay inline)."""
    return _expr(problem, claim, key, names), _is_name(problem, claim.text(key))


def _lines(problem: Problem, claim: Claim, key: str, names: Mapping[sp.Symbol, str], width: int) -> list[str]:
    return display_lines(problem, claim.text(key), getattr(claim, key), names, width=width)


def _display(left: list[str], rel: str, right: list[str]) -> str:
    """A displayed relation ending with a period; long sides are set over several aligned lines."""
    if len(left) == 1 and len(right) == 1:
        return f"\\[ {left[0]} {rel} {right[0]}. \\]"
    if len(left) == 1:
        rows = [f"  {left[0]} &{rel} {right[0]}"] + [rf"  &\quad {r}" for r in right[1:]]
    else:
        rows = [f"  &{left[0]}"] + [rf"  &\quad {x}" for x in left[1:]] + [f"  &{rel} {right[0]}"] \
            + [rf"  &\quad {r}" for r in right[1:]]
    rows[-1] += "."
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def _hypotheses(problem: Problem, claim: Claim, names: Mapping[sp.Symbol, str]) -> list[str]:
    """The claim's extra hypotheses in LaTeX: its ``assume`` entries; for a derivation step, the ``using``
    inequalities it substitutes and then any further assumption (which the spec keeps parsed only)."""
    texts = [t for k, t in claim.texts if k == "assume"]
    step = next((st for st in problem.derivation if st.id == claim.id), None)
    if step is None:
        return [display_relation(problem, t, names) for t in texts]
    out = [display_relation(problem, u, names) for u in step.using]
    used = 0
    for u in step.using:
        try:
            rel = parse_relation(u, problem.names())
            used += len(rel.args) if isinstance(rel, sp.And) else 1
        except Exception:  # display only: the spec parsed it once already
            used += 1
    out.extend(to_latex(a, names) for a in claim.assume[used:])
    return out


def claim_statement(problem: Problem, claim: Claim, names: Mapping[sp.Symbol, str]) -> str:
    """The statement of a claim in words and formulas (the body of its proposition)."""
    hypotheses = _hypotheses(problem, claim, names)
    prefix = ""
    if hypotheses:
        prefix = "Assume " + join_names([f"${h}$" for h in hypotheses]) + ". "
    kind = claim.kind
    if kind in _MONOTONE_WORDS:
        e, short = _math(problem, claim, "expr", names)
        var = _var(problem, claim, names)
        subject = f"${e}$" if short else f"the expression\n\\[ {e} \\]\n"
        return (f"{prefix}{subject} is {_MONOTONE_WORDS[kind]} in ${var}$ over the whole domain of ${var}$, "
                f"for all admissible values of the other symbols.")
    if kind in ("nonnegative", "positive"):
        rel = r"\geq" if kind == "nonnegative" else ">"
        return f"{prefix}At every point of the domain,\n" + _display(_lines(problem, claim, "expr", names, 50), rel,
                                                                     ["0"])
    if kind in ("le", "lt", "eq"):
        rel = relation_symbol(claim.text("rel") or {"le": "<=", "lt": "<", "eq": "="}[kind])
        return f"{prefix}At every point of the domain,\n" + _display(_lines(problem, claim, "lhs", names, 40), rel,
                                                                     _lines(problem, claim, "rhs", names, 44))
    if kind == "limit":
        e, _ = _math(problem, claim, "expr", names)
        var = _var(problem, claim, names)
        at = r"\infty" if claim.at is not None and claim.at == sp.oo else (
            to_latex(claim.at, names) if claim.at is not None else "?")
        value, _ = _math(problem, claim, "value", names)
        return (f"{prefix}For all admissible values of the other symbols,\n"
                f"\\[ \\lim_{{{var} \\to {at}}} {e} = {value}. \\]")
    if kind == "exponent":
        e, _ = _math(problem, claim, "expr", names)
        var = _var(problem, claim, names)
        value = display_expr(problem, claim.text("value"), claim.value, names, fold=True)
        return (f"{prefix}For all admissible values of the other symbols, as ${var} \\to \\infty$,\n"
                f"\\[ {e} = \\Theta\\bigl({var}^{{{value}}}\\bigr). \\]")
    return prefix + "Claim of kind " + tt(kind) + "."


def _witness(problem: Problem, v: Verdict, names: Mapping[sp.Symbol, str]) -> str:
    w = v.witness
    assert w is not None
    parts = []
    for name, value in w.point:
        try:
            sym = names[problem.symbol(name).sym]
        except KeyError:
            sym = r"\text{" + escape_tex(name) + "}"
        parts.append(f"${sym} = {number_latex(value, names)}$")
    out = [r"\textbf{REFUTED}" + (f" by {method_phrase(v.method)}" if v.method else "") + ". "
           + "Counterexample: " + (join_names(parts) if parts else "(no point)") + "."]
    if w.explanation:
        out.append(" " + _prose_sentence(problem, w.explanation, names))
    if w.values:
        rows = "\n".join(f"  {breakable(escape_tex(q))} & {_value_cell(problem, val, names)} \\\\" for q, val in w.values)
        out.append("\n\n\\smallskip\\noindent{\\small\\begin{tabular}{@{}p{0.55\\textwidth}l@{}}\n\\toprule\n"
                   f"  Quantity at the witness & Value ({w.digits} digits, shown to 12) \\\\\n\\midrule\n{rows}\n"
                   "\\bottomrule\n\\end{tabular}}\n")
    return "".join(out)


def _value_cell(problem: Problem, val: str, names: Mapping[sp.Symbol, str]) -> str:
    """A witness value: a number in math mode, or (a rate such as ``n^(-1/2) log n``) typeset prose."""
    tex = number_latex(val, names)
    if tex.startswith(r"\text{"):
        return typeset_prose(re.sub(r"\blog (\w+)", r"log(\1)", val), problem, names)
    return f"${tex}$"


def _prose_sentence(problem: Problem, text: str, names: Mapping[sp.Symbol, str]) -> str:
    """A sentence from a rung (capitalised, with a period), its formulas typeset."""
    text = " ".join(text.split())
    if not text:
        return ""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isalpha() and first.islower():  # not a symbol such as "n" or "z_i"
        text = text[0].upper() + text[1:]
    return typeset_prose(text if text.endswith(".") else text + ".", problem, names)


def certificate_name(path: str, base_dir: str | Path | None = None) -> str:
    """A certificate's path relative to the report folder when it lies inside it, else its file name."""
    if base_dir is not None:
        try:
            return Path(path).resolve().relative_to(Path(base_dir).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return PurePath(path).name


def verdict_paragraph(problem: Problem, claim: Claim, v: Verdict | None, names: Mapping[sp.Symbol, str],
                      base_dir: str | Path | None = None) -> str:
    """The verdict of a claim: method and certificate, witness and violated quantity, or reason."""
    if v is None:
        text = r"\textbf{NOT RUN}: the claim was not verified."
    elif v.status is Status.PROVED:
        cert = v.certificate
        text = rf"\textbf{{PROVED}} by {method_phrase(v.method)}"
        if cert is not None and cert.detail and v.proof is None:
            text += ": " + typeset_prose(cert.detail.rstrip("."), problem, names)
        text += "."
        if cert is not None and cert.path:
            text += " Certificate: " + tt(certificate_name(cert.path, base_dir)) + "."
        elif cert is not None and cert.smtlib:
            text += " The SMT-LIB2 obligation is unsatisfiable (not written to a file)."
        if cert is not None and cert.obligations:
            text += f" Obligations discharged: {len(cert.obligations)}."
    elif v.status is Status.REFUTED:
        text = _witness(problem, v, names)
    else:
        text = r"\textbf{UNKNOWN}" + (f" after {method_phrase(v.method)}" if v.method else "") + ": " \
            + typeset_prose(v.reason.rstrip("."), problem, names) + "."
    if v is not None and claim.expect and claim.expect != v.status.value:
        text += rf" \textbf{{Note:}} the spec expected this claim to be \emph{{{escape_tex(claim.expect)}}}."
    if v is not None and v.status is Status.PROVED and v.proof is not None:
        from .proof_text import latex_style, proof_sentences

        body = "\n\n".join(proof_sentences(v.proof, latex_style(names)))  # a paragraph per step
        text += "\n\\begin{bcproof}\n" + body + "\n\\end{bcproof}\n"
    return r"\noindent\emph{Verdict.} " + text


def summary_table(problem: Problem, verdicts: Sequence[Verdict | None]) -> str:
    """A booktabs table: proposition, claim id, kind, verdict, method, time."""
    rows = []
    for i, (claim, v) in enumerate(zip(problem.all_claims, verdicts)):
        kind = escape_tex(claim.kind if claim.source != "derivation" else "step")
        method = escape_tex(v.method) if v is not None else "--"
        secs = f"{v.seconds:.2f}\\,s" if v is not None else "--"
        rows.append(rf"  \ref{{{claim_label(i)}}} & {tt(claim.id)} & {kind} & \textbf{{{verdict_word(v)}}} & "
                    rf"{method} & {secs} \\")
    body = "\n".join(rows)
    # ids up to 28 characters stay on one line; longer ones wrap in a fixed-width column
    id_col = "l" if max((len(c.id) for c in problem.all_claims), default=0) <= 28 else "p{0.31\\textwidth}"
    return ("\\begin{table}[ht]\n\\centering\\small\\setlength{\\tabcolsep}{4pt}\n"
            f"\\begin{{tabular}}{{@{{}}r {id_col} l l l r@{{}}}}\n\\toprule\n"
            "  Prop. & Claim & Kind & Verdict & Method & Time \\\\\n\\midrule\n"
            f"{body}\n\\bottomrule\n\\end{{tabular}}\n"
            "\\caption{The claims and their verdicts.}\\label{bc:tab:verdicts}\n\\end{table}\n")


def claims_section(problem: Problem, verdicts: Sequence[Verdict | None], names: Mapping[sp.Symbol, str],
                   base_dir: str | Path | None = None) -> str:
    """One proposition per claim (spec claims, then derivation steps), each followed by its verdict."""
    if not problem.all_claims:
        return ("\\section{Claims and verdicts}\\label{bc:sec:claims}\n"
                "The specification makes no claims: there is nothing to prove or refute.\n")
    out = ["\\section{Claims and verdicts}\\label{bc:sec:claims}\n",
           "Every claim of the specification is stated below as a proposition over the whole domain of "
           "Section~\\ref{bc:sec:setting}, followed by the verdict of boundcheck. "
           "Table~\\ref{bc:tab:verdicts} summarises them.\n\n", summary_table(problem, verdicts), "\n"]
    for i, (claim, v) in enumerate(zip(problem.all_claims, verdicts)):
        title = tt(shorten(claim.id))
        out.append(f"\\begin{{proposition}}[{title}]\\label{{{claim_label(i)}}}\n")
        if claim.source == "derivation":
            k = next((j for j, st in enumerate(problem.derivation, 1) if st.id == claim.id), "?")
            out.append(f"Step ({k}) of the derivation, by the rule {tt(claim.rule or 'algebra')}. ")
        if claim.description:
            out.append("{\\upshape " + sentence(claim.description) + "} ")
        out.append(claim_statement(problem, claim, names) + "\n\\end{proposition}\n")
        out.append(verdict_paragraph(problem, claim, v, names, base_dir) + "\n\n\\medskip\n")
    return "".join(out)


def _step_tag(k: int, step: Step, v: Verdict | None) -> str:
    return rf"\tag*{{\small ({k}) {escape_tex(shorten(step.rule, 40))}: \textbf{{{verdict_word(v)}}}}}"


def derivation_section(problem: Problem, verdicts: Mapping[str, Verdict], indices: Mapping[str, int],
                       names: Mapping[sp.Symbol, str]) -> str:
    """The derivation chain as an ``align*``: one step a line, tagged with its rule and verdict, then the
    justification of each step."""
    steps = problem.derivation
    if not steps:
        return ""
    lines = []
    prev_rhs = None
    for k, step in enumerate(steps, 1):
        lhs = display_lines(problem, step.lhs_text, step.claim.lhs, names, width=30)
        rhs = display_lines(problem, step.rhs_text, step.claim.rhs, names, width=38)
        rel = relation_symbol(step.rel)
        same = prev_rhs is not None and step.lhs_text.strip() == prev_rhs.strip()
        if not same:
            lines.extend(f"  {piece} & \\notag" for piece in lhs[:-1])
        head = "" if same else lhs[-1]
        lines.append(f"  {head} &{rel} {rhs[0]} {_step_tag(k, step, verdicts.get(step.id))}")
        lines.extend(f"  &\\qquad {more}" for more in rhs[1:])
        prev_rhs = step.rhs_text
    out = ["\\section{Derivation}\\label{bc:sec:derivation}\n",
           "The bound follows from the chain below. Each line is a claim of its own, proved or refuted like "
           "the others; the tag gives the step number, the rule that justifies it and its verdict.\n",
           "\\begin{align*}\n", " \\\\\n".join(lines), "\n\\end{align*}\n", "\\begin{enumerate}\n"]
    for k, step in enumerate(steps, 1):
        v = verdicts.get(step.id)
        text = f"\\item[({k})] {tt(step.id.removeprefix('derivation:'))}. "
        if step.description:
            text += sentence(step.description) + " "
        text += f"Rule {tt(step.rule)}"
        if step.using:
            text += ", using " + join_names([f"${display_relation(problem, u, names)}$" for u in step.using])
        text += f". Verdict: \\textbf{{{verdict_word(v)}}}"
        if step.id in indices:
            text += f" (Proposition~\\ref{{{claim_label(indices[step.id])}}})"
        out.append(text + ".\n")
    out.append("\\end{enumerate}\n")
    return "".join(out)
