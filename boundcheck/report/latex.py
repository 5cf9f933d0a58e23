"""The LaTeX report (layer 6, report): a self-contained document that reads like a paper's appendix.

    >>> from boundcheck.report.latex import write_report
    >>> files = write_report("out", problem, verdicts, pdf=True)   # out/report.tex, out/report.pdf

The document uses amsmath, amssymb, booktabs and graphicx only. It states the setting (symbols, domains,
assumptions), the definitions (sympy's LaTeX printer, with the names a spec asks for in the ``latex``
field of a symbol), the derivation chain, every claim as a proposition with its verdict, the asymptotic
case analysis and, where those stages ran, stress results, scaling plots and counterexamples. Every
string from a spec file is escaped (:func:`escape_tex`).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

from ..errors import BoundcheckError, UsageError
from ..prove.verdict import Status, Verdict
from ..spec import Problem
from ._tex_asymptotic import asymptotic_groups, asymptotic_section
from ._tex_claims import claims_section, derivation_section
from ._tex_extras import FIGURE_DIR, as_dicts, figure_tex, plan_figures, stage_section
from ._tex_math import (definition_name, display_lines, display_relation, domain_latex, latex_name, split_sum,
                        symbol_names, to_latex)
from ._tex_text import escape_tex, shorten, tt

__all__ = ["render_report", "write_report", "compile_pdf", "find_tex", "escape_tex", "latex_name", "LatexError",
           "ReportFiles", "TEX_PACKAGES"]

log = logging.getLogger(__name__)

#: The only LaTeX packages the document loads (Debian: texlive-latex-base, -recommended and texlive-base).
TEX_PACKAGES = ("amsmath", "amssymb", "booktabs", "graphicx")


class LatexError(BoundcheckError, RuntimeError):
    """pdflatex (or latexmk) failed on a report; the message ends with the tail of the log.

    Attributes:
        log: the full log text (may be empty).
        tex: the .tex file that failed.
    """

    def __init__(self, message: str, *, log: str = "", tex: str | None = None) -> None:
        self.log = log
        self.tex = tex
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """What :func:`write_report` wrote.

    Attributes:
        tex: the LaTeX source.
        pdf: the PDF, or None when it was not asked for or TeX is not installed.
        log: a note on the PDF step (the compiler used, or why there is no PDF).
    """

    tex: Path
    pdf: Path | None
    log: str
    #: where each figure of the report is, under ``figures/`` (one file per figure)
    figures: tuple[Path, ...] = ()


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb,booktabs,graphicx}
\addtolength{\textwidth}{1.1in}\addtolength{\oddsidemargin}{-0.55in}\addtolength{\evensidemargin}{-0.55in}
\addtolength{\textheight}{1.0in}\addtolength{\topmargin}{-0.5in}
\newtheorem{proposition}{Proposition}
\newenvironment{bcproof}{\par\smallskip\noindent\emph{Proof.}\ }{\hfill$\square$\par}
\allowdisplaybreaks
\emergencystretch=3em
\setlength{\parskip}{0.4ex}
\makeatletter
\newcommand{\bcfigurecaption}[1]{\def\@captype{figure}\caption{#1}}
\makeatother
"""


def _count(verdicts: Sequence[Verdict | None]) -> str:
    n = {s: sum(1 for v in verdicts if v is not None and v.status is s) for s in Status}
    missing = sum(1 for v in verdicts if v is None)
    parts = [f"{n[Status.PROVED]} proved", f"{n[Status.REFUTED]} refuted", f"{n[Status.UNKNOWN]} unknown"]
    if missing:
        parts.append(f"{missing} not run")
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _setting(problem: Problem, names: Mapping[sp.Symbol, str]) -> str:
    rows = []
    for s in problem.symbols:
        kind = "integer" if s.is_integer else "real"
        rows.append(f"  ${names[s.sym]}$ & ${domain_latex(s, names)}$ & {kind} & "
                    f"{escape_tex(s.description) if s.description else '--'} \\\\")
    out = ["\\section{Setting}\\label{bc:sec:setting}\n",
           "The symbols and their domains are listed in Table~\\ref{bc:tab:symbols}. Every claim below is "
           "asserted for all values in these domains (integer symbols range over integers only).\n"]
    raw = problem.raw.get("assumptions") if isinstance(problem.raw, Mapping) else None
    texts = [raw] if isinstance(raw, str) else [str(t) for t in raw] if isinstance(raw, list) else []
    if texts:
        rels = ",\\quad ".join(display_relation(problem, t, names) for t in texts)
        out.append(f"In addition, the specification assumes throughout\n\\[ {rels}. \\]\n")
    elif problem.assumptions:
        rels = ",\\quad ".join(to_latex(a, names) for a in problem.assumptions)
        out.append(f"In addition, the specification assumes throughout\n\\[ {rels}. \\]\n")
    else:
        out.append("There are no assumptions beyond the domains.\n")
    out += ["\\begin{table}[ht]\n\\centering\\small\n\\begin{tabular}{@{}l l l p{0.45\\textwidth}@{}}\n\\toprule\n"
            "  Symbol & Domain & Kind & Meaning \\\\\n\\midrule\n", "\n".join(rows),
            "\n\\bottomrule\n\\end{tabular}\n\\caption{Symbols and their domains.}\\label{bc:tab:symbols}\n"
            "\\end{table}\n"]
    return "".join(out)


def _definitions(problem: Problem, names: Mapping[sp.Symbol, str]) -> str:
    if not problem.definitions:
        return ""
    placeholders = {d.placeholder for d in problem.definitions}
    lines = []
    for d in problem.definitions:
        shown = display_lines(problem, d.text, d.expr, names)
        lines.append(f"  {definition_name(d.name)} &= {shown[0]}")
        lines.extend(rf"  &\quad {more}" for more in shown[1:])
        if d.expr.free_symbols & placeholders:
            expanded = split_sum(d.expanded, names)
            lines.append(f"  &= {expanded[0]}")
            lines.extend(rf"  &\quad {more}" for more in expanded[1:])
    return ("\\section{Definitions}\\label{bc:sec:definitions}\n"
            "The quantities of the bound, in the order the specification defines them; a definition that uses "
            "earlier ones is also shown expanded in terms of the symbols.\n"
            "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}\n")


def _method_note() -> str:
    return ("\\section{How the verdicts are established}\\label{bc:sec:method}\n"
            "\\textbf{PROVED} means a proof was found: a rule of the sign and monotonicity calculus, a case "
            "analysis of leading terms, or an unsatisfiable SMT obligation on a sound polynomial encoding "
            "(its SMT-LIB2 file is the certificate); sampling never proves anything. \\textbf{REFUTED} means "
            "a point of the domain violates the claim and the violation was confirmed by re-evaluation at "
            "50 significant digits. \\textbf{UNKNOWN} means neither, for the reason given. A claim holds at "
            "every point of the domain of Section~\\ref{bc:sec:setting}.\n")


def render_report(problem: Problem, verdicts: Sequence[Verdict | None], *,
                  exponents: Mapping[str, Sequence[Any]] | None = None, stress: Any = None, scaling: Any = None,
                  counterexamples: Iterable[Any] = (), figures: Iterable[Any] = (),
                  source: str | None = None, base_dir: str | Path | None = None) -> str:
    """The LaTeX source of the report of one spec.

    Args:
        problem: the spec.
        verdicts: one per claim of ``problem.all_claims``, in that order (None for a claim not run).
        exponents: case splits by claim id (objects with ``condition``, ``exponent``, ``dominant`` as
            returned by :func:`boundcheck.symbolic.exponent_cases`); missing ones are computed.
        stress: a stress result (``.to_dict()``, a dict or a JSON path), or a sequence of them.
        scaling: a scaling fit dict (or several); a ``plot`` entry names its figure file.
        counterexamples: counterexample artifacts (dicts or JSON paths), with a ``plot`` entry.
        figures: further figures: paths, ``(path, caption)`` pairs or ``{"path", "caption"}`` dicts.
        source: the name of the spec file shown on the title page (default: ``problem.path``).
        base_dir: the report folder; certificate paths inside it are shown relative to it (default: their
            file names).

    Returns:
        The document. Figures are referenced under ``figures/``; :func:`write_report` copies them there.

    Raises:
        UsageError: when the number of verdicts does not match the number of claims.
    """
    claims = problem.all_claims
    verdicts = tuple(verdicts)
    if len(verdicts) != len(claims):
        raise UsageError(f"render_report needs one verdict per claim: {len(claims)} claims, {len(verdicts)} "
                         "verdicts")
    for c, v in zip(claims, verdicts):
        if v is not None and v.claim_id != c.id:
            raise UsageError(f"verdict for {v.claim_id!r} is in the place of claim {c.id!r}")
    names = symbol_names(problem)
    by_id = {c.id: v for c, v in zip(claims, verdicts) if v is not None}
    indices = {c.id: i for i, c in enumerate(claims)}
    plan = plan_figures(stress, scaling, counterexamples, figures)
    src = source if source is not None else (Path(problem.path).name if problem.path else problem.name)
    out = [_PREAMBLE, "\\begin{document}\n",
           f"\\title{{{escape_tex(problem.title)}}}\n",
           f"\\author{{Report written by boundcheck from {tt(shorten(src, 80))}}}\n\\date{{}}\n\\maketitle\n"]
    summary = (f"This appendix states the bound {tt(problem.name)}, its definitions and its {len(claims)} "
               f"claim{'s' if len(claims) != 1 else ''}, and what boundcheck established about each: "
               f"{_count(verdicts)}.")
    desc = " ".join(problem.description.split())
    out.append("\\begin{abstract}\n" + (escape_tex(desc) + "\n\n" if desc else "") + summary + "\n\\end{abstract}\n")
    out.append(_setting(problem, names))
    out.append(_definitions(problem, names))
    out.append(derivation_section(problem, by_id, indices, names))
    out.append(claims_section(problem, verdicts, names, base_dir))
    out.append(asymptotic_section(problem, asymptotic_groups(problem, exponents), verdicts, names))
    out.append(stage_section("Stress test", "bc:sec:stress",
                             "The bound was checked numerically on random instances (Lipschitz losses, latent "
                             "samplings); a failure would be a concrete instance where the bound does not hold.",
                             as_dicts(stress), plan["stress"]))
    out.append(stage_section("Scaling", "bc:sec:scaling",
                             "Measured scaling laws and the fitted exponents with their confidence intervals.",
                             as_dicts(scaling), plan["scaling"], ("quantity", "name", "id")))
    out.append(stage_section("Counterexamples", "bc:sec:counterexamples",
                             "Counterexamples found by the search, each reproducible from its artifact.",
                             as_dicts(list(counterexamples)), plan["counterexamples"],
                             ("conjecture", "id", "name", "file")))
    if plan["figures"]:
        out.append("\\section{Figures}\\label{bc:sec:figures}\n" + "".join(figure_tex(f) for f in plan["figures"]))
    out.append(_method_note())
    out.append("\\end{document}\n")
    return "".join(out)


def find_tex() -> tuple[str, str] | None:
    """The TeX engine to use: ``("pdflatex", path)``, else ``("latexmk", path)``, else None."""
    for name in ("pdflatex", "latexmk"):
        path = shutil.which(name)
        if path:
            return name, path
    return None


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _error_lines(text: str) -> str:
    """TeX's first error (the line starting with '!' and the two after it), when the tail may miss it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            if i >= len(lines) - 25:
                return ""
            return "\n".join(lines[i:i + 3]) + "\n...\n"
    return ""


def compile_pdf(tex_path: str | Path, *, timeout: float = 120.0) -> Path | None:
    """Compile a report with pdflatex (run twice, for references) or latexmk, in the report's folder.

    Runs with ``-interaction=nonstopmode -halt-on-error -no-shell-escape`` and with kpathsea's paranoid
    file access (``openin_any=p``, ``openout_any=p``: no absolute paths, no ``..``, no dot files) in a
    private temporary folder that holds only the document and its ``figures/``; ``HOME`` and ``TEXMFVAR``
    point there too, so nothing is written outside it. The PDF and the log are copied back beside the
    document.

    Args:
        tex_path: the .tex file.
        timeout: seconds per run.

    Returns:
        The PDF path, or None when neither pdflatex nor latexmk is installed.

    Raises:
        LatexError: the compiler failed or timed out; the message ends with the tail of its log.
    """
    tex_path = Path(tex_path).resolve()
    engine = find_tex()
    if engine is None:
        return None
    import tempfile

    with tempfile.TemporaryDirectory(prefix="boundcheck-tex-") as work:
        private = Path(work) / "doc"
        private.mkdir()
        shutil.copyfile(tex_path, private / tex_path.name)
        figures = tex_path.parent / "figures"
        if figures.is_dir():
            shutil.copytree(figures, private / "figures", symlinks=False,
                            ignore=lambda d, names: [n for n in names if (Path(d) / n).is_symlink()])
        try:
            pdf = _run_tex(engine, private / tex_path.name, timeout, Path(work), tex_path)
        finally:
            for suffix in (".log", ".aux"):
                made = (private / tex_path.name).with_suffix(suffix)
                if made.is_file():
                    shutil.copyfile(made, tex_path.with_suffix(suffix))
        target = tex_path.with_suffix(".pdf")
        shutil.copyfile(pdf, target)
    return target


def _run_tex(engine: tuple[str, str], tex_path: Path, timeout: float, home: Path, shown: Path) -> Path:
    name, exe = engine
    base = [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    if name == "latexmk":
        runs = [[exe, "-pdf", "-interaction=nonstopmode", "-halt-on-error",
                 "-pdflatex=pdflatex -no-shell-escape %O %S", tex_path.name]]
    else:
        runs = [base + [tex_path.name]] * 2
    env = dict(os.environ, openout_any="p", openin_any="p", shell_escape="f", HOME=str(home),
               TEXMFVAR=str(home / "texmf-var"), TEXMFOUTPUT=str(tex_path.parent))
    logfile = tex_path.with_suffix(".log")
    output = ""
    for cmd in runs:
        try:
            proc = subprocess.run(cmd, cwd=tex_path.parent, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired as err:
            raise LatexError(f"{name} timed out after {timeout:g} s on {shown}", tex=str(shown)) from err
        except OSError as err:
            raise LatexError(f"cannot run {name}: {err}", tex=str(shown)) from err
        output = proc.stdout
        if proc.returncode != 0:
            text = logfile.read_text(errors="replace") if logfile.exists() else output
            raise LatexError(f"{name} failed on {shown} (exit {proc.returncode}); end of the log:\n"
                             f"{_error_lines(text)}{_tail(text)}", log=text, tex=str(shown))
    pdf = tex_path.with_suffix(".pdf")
    if not pdf.exists():
        raise LatexError(f"{name} produced no PDF for {shown}:\n{_tail(output)}", log=output, tex=str(shown))
    return pdf


def write_report(out_dir: str | Path, problem: Problem, verdicts: Sequence[Verdict | None], *, pdf: bool = False,
                 timeout: float = 120.0, **sections: Any) -> ReportFiles:
    """Write ``out_dir/report.tex`` (and ``report.pdf`` with ``pdf=True`` when TeX is installed).

    Figures named by the sections are copied to ``out_dir/figures/``.

    Args:
        out_dir: the report folder (created if needed).
        problem: the spec.
        verdicts: one per claim of ``problem.all_claims``.
        pdf: also compile the PDF.
        timeout: seconds per TeX run.
        **sections: ``exponents``, ``stress``, ``scaling``, ``counterexamples``, ``figures``, ``source``
            (see :func:`render_report`).

    Returns:
        The files written; ``pdf`` is None when TeX is missing (``log`` says so).

    Raises:
        LatexError: the PDF was asked for and compilation failed.
        UsageError: bad arguments (see :func:`render_report`).
    """
    allowed = {"exponents", "stress", "scaling", "counterexamples", "figures", "source"}
    unknown = set(sections) - allowed
    if unknown:
        raise UsageError(f"write_report: unknown section(s) {', '.join(sorted(unknown))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counterexamples = list(sections.pop("counterexamples", ()) or ())
    figures = list(sections.pop("figures", ()) or ())
    text = render_report(problem, verdicts, counterexamples=counterexamples, figures=figures, base_dir=out,
                         **sections)
    plan = plan_figures(sections.get("stress"), sections.get("scaling"), counterexamples, figures)
    placed: list[Path] = []
    for figs in plan.values():
        for fig in figs:
            target = out / FIGURE_DIR / fig.name
            if fig.source.is_file() and not (target.exists() and target.samefile(fig.source)):
                target.parent.mkdir(exist_ok=True)
                if fig.source.resolve().parent == target.parent.resolve():
                    fig.source.replace(target)  # already in figures/: renamed, not copied (one file per figure)
                else:
                    shutil.copyfile(fig.source, target)
            placed.append(target)
    tex = out / "report.tex"
    tex.write_text(text, encoding="utf-8")
    if not pdf:
        return ReportFiles(tex, None, "", tuple(placed))
    engine = find_tex()
    if engine is None:
        return ReportFiles(tex, None, "no PDF: neither pdflatex nor latexmk is installed (Debian: apt-get install "
                                      "texlive-latex-base texlive-latex-recommended)", tuple(placed))
    pdf_path = compile_pdf(tex, timeout=timeout)
    note = f"compiled with {engine[0]}"
    logfile = tex.with_suffix(".log")
    if logfile.exists():
        text = logfile.read_text(errors="replace")
        issues = [f"{n} {what}" for n, what in ((text.count("Overfull \\hbox"), "overfull lines"),
                                                 (text.count("undefined on input line"), "undefined references"))
                  if n]
        if issues:
            note += " (" + ", ".join(issues) + ")"
    return ReportFiles(tex, tex.with_suffix(".pdf") if pdf_path is not None else None, note, tuple(placed))
