"""Rich display in Jupyter (layer 6, report): HTML and LaTeX for a Problem, a Verdict and a verdict table.

``Problem._repr_html_`` / ``Verdict._repr_html_`` (and the ``_repr_latex_`` forms) call these functions;
formulas are LaTeX between ``$...$`` (the notebook's MathJax typesets them) and every piece of text from a
spec is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..prove.verdict import Status, Verdict
from ..spec import Problem
from ._tex_math import domain_latex, symbol_names, to_latex
from .proof_text import Style, explain_verdict, latex_style

__all__ = ["problem_html", "problem_latex", "verdict_html", "verdict_latex", "verdicts_html", "VerdictTable"]

_COLOURS = {Status.PROVED: "#1a7f37", Status.REFUTED: "#cf222e", Status.UNKNOWN: "#9a6700"}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _math_html(tex: str) -> str:
    # MathJax reads $...$; html.escape keeps <, > and & from being taken as markup
    return _esc(f"${tex}$")


def problem_html(problem: Problem) -> str:
    """The spec as HTML: title, symbols with domains, definitions and claims."""
    names = symbol_names(problem)
    rows = "".join(f"<tr><td>{_math_html(names[s.sym])}</td><td>{_math_html(domain_latex(s, names))}</td>"
                   f"<td>{_esc(s.kind)}</td><td>{_esc(s.description)}</td></tr>" for s in problem.symbols)
    defs = "".join(f"<tr><td>{_esc(d.name)}</td><td>{_math_html(to_latex(d.expr, names))}</td></tr>"
                   for d in problem.definitions)
    claims = "".join(f"<li><code>{_esc(c.id)}</code>: {_esc(c.kind)}</li>" for c in problem.all_claims)
    return (f"<div><h4>{_esc(problem.title or problem.name)}</h4>"
            f"<table><tr><th>symbol</th><th>domain</th><th>kind</th><th></th></tr>{rows}</table>"
            f"<table><tr><th>definition</th><th></th></tr>{defs}</table>"
            f"<p>{len(problem.all_claims)} claim(s):</p><ul>{claims}</ul></div>")


def problem_latex(problem: Problem) -> str:
    """The definitions as one aligned display."""
    names = symbol_names(problem)
    lines = " \\\\ ".join(f"\\text{{{d.name.replace('_', ' ')}}} &= {to_latex(d.expr, names)}"
                          for d in problem.definitions)
    return f"$$\\begin{{aligned}} {lines} \\end{{aligned}}$$"


def html_style(names) -> Style:
    """Prose HTML-escaped, formulas as LaTeX for MathJax (``$...$``, long ones displayed)."""
    tex = latex_style(names)

    def math(e) -> str:
        return _esc(tex.math(e))

    def display(e) -> str:
        return _esc(tex.display(e).strip().replace("\\[", "$$").replace("\\]", "$$"))

    def fact(e, rel: str) -> str:
        return _esc(tex.fact(e, rel).strip().replace("\\[", "$$").replace("\\]", "$$"))

    return Style(math, _esc, tex.rel, display, fact, _esc(tex.product_rule))


def verdict_html(v: Verdict, problem: Problem | None = None) -> str:
    """A verdict as HTML: status, method, and the proof (or witness, or reason) step by step."""
    names = symbol_names(problem) if problem is not None else {}
    lines = explain_verdict(v, html_style(names))
    items = "".join(f"<li>{line}</li>" for line in lines)
    colour = _COLOURS[v.status]
    method = f" by {_esc(v.method)}" if v.method and v.method != "none" else ""
    return (f"<div><b><code>{_esc(v.claim_id)}</code></b>: <span style='color:{colour};font-weight:bold'>"
            f"{v.status}</span>{method} ({v.seconds:.2f} s)<ol>{items}</ol></div>")


def verdict_latex(v: Verdict) -> str:
    from ._tex_text import escape_tex

    return f"\\texttt{{{escape_tex(v.claim_id)}}}: \\textbf{{{v.status}}} by {escape_tex(v.method)}"


def verdicts_html(problem: Problem, verdicts: Sequence[Verdict]) -> str:
    """The verdict table: claim, kind, status, method, time."""
    kinds = {c.id: c.kind for c in problem.all_claims}
    rows = "".join(
        f"<tr><td><code>{_esc(v.claim_id)}</code></td><td>{_esc(kinds.get(v.claim_id, ''))}</td>"
        f"<td style='color:{_COLOURS[v.status]};font-weight:bold'>{v.status}</td><td>{_esc(v.method)}</td>"
        f"<td>{v.seconds:.2f}</td></tr>" for v in verdicts)
    return ("<table><tr><th>claim</th><th>kind</th><th>verdict</th><th>method</th><th>seconds</th></tr>"
            f"{rows}</table>")


class VerdictTable:
    """The verdicts of a problem, shown as a table in a notebook (``boundcheck.report.notebook.VerdictTable``)."""

    def __init__(self, problem: Problem, verdicts: Sequence[Verdict]) -> None:
        self.problem = problem
        self.verdicts = tuple(verdicts)

    def _repr_html_(self) -> str:
        return verdicts_html(self.problem, self.verdicts)

    def explain(self, claim_id: str) -> str:
        """HTML of one verdict's proof; display it with ``IPython.display.HTML``."""
        v = next(v for v in self.verdicts if v.claim_id == claim_id)
        return verdict_html(v, self.problem)
