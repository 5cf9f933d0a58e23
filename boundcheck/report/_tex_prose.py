"""Free text that mentions formulas (a reason, an explanation, a certificate's detail) in LaTeX (layer 6).

Rungs write some sentences with expressions printed by sympy (``cannot show x**2 - 1 >= 0 ...``). Before
such a sentence reaches the report, every stretch that parses as an expression over the spec's names (by
the safe parser, never ``eval``) is typeset with the report's printer; the rest is escaped prose. What does
not parse (a name the spec does not know) stays text, with ``**`` shown as ``^``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import sympy as sp

from ..parse import parse_expr
from ..spec import Problem
from ._tex_math import to_latex
from ._tex_text import breakable, escape_tex

__all__ = ["typeset_prose"]

_ANCHOR = re.compile(r"\*\*|\bsqrt\(|\blog\(|\bexp\(|[\w)]\s*[*/^]\s*[\w(]")
_REL = re.compile(r"(\s*(?:>=|<=|!=|==|>|<|=)\s*)")
_MAX_WINDOW = 30


def _names(problem: Problem) -> dict[str, sp.Expr]:
    names: dict[str, sp.Expr] = dict(problem.sympy_symbols)
    for d in problem.definitions:
        names[d.name] = d.expanded
    return names


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0


def _try(text: str, names: Mapping[str, sp.Expr]) -> sp.Expr | None:
    core = text.strip()
    if not core or not _balanced(core) or not re.search(r"[A-Za-z0-9]", core):
        return None
    try:
        return parse_expr(core, names)
    except Exception:  # not an expression over the spec's names: stays prose
        return None


_FUNCS = ("sqrt", "log", "exp", "Abs", "Max", "Min", "sin", "cos", "tan", "atan", "gamma", "ceiling", "floor")


def _startable(tok: str, names: Mapping[str, sp.Expr]) -> bool:
    t = tok.lstrip("(")
    if not t:
        return tok.startswith("(")
    if t[0].isdigit() or t[0] == "-":
        return True
    m = re.match(r"[A-Za-z_]\w*", t)
    return bool(m) and (m.group(0) in names or m.group(0) in _FUNCS)


def _segment(seg: str, names: Mapping[str, sp.Expr], latex_names: Mapping[sp.Symbol, str]) -> str:
    """Typeset the expression stretches of a segment without relation symbols."""
    tokens = re.split(r"(\s+)", seg)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        done = False
        if tokens[i].strip() and _startable(tokens[i], names):
            for j in range(min(len(tokens), i + _MAX_WINDOW), i, -1):
                cand = "".join(tokens[i:j])
                body = cand.rstrip(" ,;:.")
                tail = cand[len(body):]
                if not _ANCHOR.search(body):
                    continue
                lead = ""
                expr = _try(body, names)
                if expr is None and body.startswith("("):
                    # a prose parenthesis opening before the formula: "(for x**2 - 1"
                    k = len(body) - len(body.lstrip("("))
                    expr = _try(body[k:], names)
                    lead, body = body[:k], body[k:]
                if expr is None:
                    continue
                try:
                    tex = to_latex(expr, latex_names)
                except Exception:  # a printer failure: keep the text
                    continue
                out.append(escape_tex(lead) + f"${tex}$" + escape_tex(tail))
                i = j
                done = True
                break
        if not done:
            out.append(_plain(tokens[i]))
            i += 1
    return "".join(out)


def _plain(tok: str) -> str:
    """Prose (or a formula the parser does not know): escaped, with sympy's ``**`` and ``sqrt(`` shown as
    ``^`` and a root sign."""
    return breakable(escape_tex(tok.replace("**", "^"))).replace("sqrt(", r"\ensuremath{\surd}(")


_REL_TEX = {">=": r"$\geq$", "<=": r"$\leq$", "!=": r"$\neq$", "==": "$=$", ">": "$>$", "<": "$<$", "=": "$=$"}


def typeset_prose(text: str, problem: Problem, latex_names: Mapping[sp.Symbol, str]) -> str:
    """LaTeX of a sentence: formulas over the spec's names typeset, everything else escaped."""
    if not _ANCHOR.search(text):
        return _plain(text)
    names = _names(problem)
    parts = _REL.split(text)
    out = []
    for k, part in enumerate(parts):
        if k % 2 == 1:
            out.append(" " + _REL_TEX[part.strip()] + " ")
        else:
            out.append(_segment(part, names, latex_names))
    return "".join(out)
