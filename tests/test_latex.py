"""The LaTeX report: escaping, names, golden formulas, sections, and real pdflatex builds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from boundcheck import spec
from boundcheck.errors import BoundcheckError, UsageError
from boundcheck.prove.verdict import Certificate, Status, Verdict, Witness
from boundcheck.report import latex
from boundcheck.report._tex_math import condition_latex, display_expr, symbol_names
from boundcheck.report._tex_text import safe_math_fragment, tt
from boundcheck.report.latex import LatexError, compile_pdf, escape_tex, latex_name, render_report, write_report

ROOT = Path(__file__).resolve().parent.parent
CROISSANT = ROOT / "examples" / "croissant.toml"
SPECIAL = ROOT / "tests" / "data" / "special_chars.toml"
HAVE_TEX = shutil.which("pdflatex") is not None
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex is not installed (CI installs it)")
needs_pdftotext = pytest.mark.skipif(not (HAVE_TEX and HAVE_PDFTOTEXT), reason="pdflatex/pdftotext missing")

TEX_SPECIALS = "\\{}$&#%_~^"


def hand_verdicts(problem: spec.Problem) -> tuple[Verdict, ...]:
    """Verdicts built by hand from each claim's ``expect`` (proved when there is none)."""
    out = []
    for c in problem.all_claims:
        if c.expect == "refuted":
            w = Witness(point=(("d", "1"), ("delta", "1/2"), ("n", "3")),
                        values=(("exponent at this point", "-1/2"),
                                ("slope", "-0.50000000000000000000000000000012345")),
                        explanation="here the complexity term dominates")
            out.append(Verdict(c.id, Status.REFUTED, "asymptotic+mpmath", witness=w, seconds=0.5))
        elif c.expect == "unknown":
            out.append(Verdict(c.id, Status.UNKNOWN, "smt", reason="z3 timed out after 10 s", seconds=10.0))
        else:
            cert = Certificate("smt", "z3 answers unsat on the negated claim", smtlib="(check-sat)",
                               path=f"certificates/{c.id}.smt2")
            out.append(Verdict(c.id, Status.PROVED, "smt", certificate=cert, seconds=0.1))
    return tuple(out)


def ladder_verdicts(problem: spec.Problem) -> tuple[Verdict, ...]:
    """The real prover's verdicts."""
    from boundcheck.prove.ladder import verify

    return verify(problem, timeout=10.0)


def tex_log_problems(log: str) -> list[str]:
    """Errors and reference warnings in a pdflatex log."""
    bad = [line for line in log.splitlines() if line.startswith("!")]
    bad += [line for line in log.splitlines()
            if "undefined references" in line or re.search(r"Reference `[^']*' on page \d+ undefined", line)
            or "multiply defined" in line or "Rerun to get cross-references" in line]
    return bad


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (pdftotext), with line breaks inside hyphenated ids undone."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text


class TestEscape:
    @pytest.mark.parametrize("ch", list(TEX_SPECIALS))
    def test_special_character_is_escaped(self, ch: str) -> None:
        """Every TeX special character becomes a command, never stays bare."""
        out = escape_tex(f"a{ch}b")
        assert out != f"a{ch}b"
        assert out.startswith("a") and out.endswith("b")

    @given(st.text(max_size=60))
    def test_no_bare_specials_survive(self, text: str) -> None:
        """After removing the escape sequences we emit, no special character is left unescaped."""
        out = escape_tex(text)
        stripped = re.sub(r"\\(textbackslash|textasciicircum|textless|textgreater|textbar|"
                          r"[a-zA-Z]+)\{\}|\\[{}$&#%_]|\$\\[a-zA-Z]+(\{[A-Z]\})?\$|\$\^\\circ\$|"
                          r"\\[`'^~=\".ruvcHk]\{[^{}]*\}|\\[`'^\"~=.]\{\\[ij]\{\}\}|\{`\}", "", out)
        assert not set(stripped) & set(TEX_SPECIALS), (text, out, stripped)
        assert "\n" not in out

    @pytest.mark.parametrize("text,expected", [
        ("é", r"\'{e}"), ("δ", r"$\delta$"), ("≤", r"$\leq$"), ("✓", "?"), ("a\tb", "a b"),
        ('say "hi"', r"say \textquotedblleft{}hi\textquotedblright{}"), ("!`", "!{`}"),
    ], ids=["accent", "greek", "leq", "no-rendering", "tab", "quotes", "no-ligature"])
    def test_unicode_and_quotes(self, text: str, expected: str) -> None:
        """Non-ASCII characters get a package-free rendering; quotes open and close; no ! ` ligature."""
        assert escape_tex(text) == expected

    def test_tt_uses_typewriter_glyphs(self) -> None:
        """In typewriter type, braces and backslashes are cmtt glyphs (\\char), not math-font ones."""
        out = tt(r"a\b{c}_d")
        assert r"\char92{}" in out and r"\char123{}" in out and r"\char125{}" in out and r"\char95{}" in out
        assert "textbackslash" not in out


def _structure_ok(tex: str) -> bool:
    """Braces balance (escaped ones aside) and every \\begin has its \\end, in order."""
    body = re.sub(r"\\[{}]|\\char12[35]\{\}", "", tex.replace("\\\\", ""))
    depth = 0
    for ch in body:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{([A-Za-z*]+)\}", body):
        if kind == "begin":
            stack.append(env)
        elif not stack or stack.pop() != env:
            return False
    return depth == 0 and not stack


class TestRenderProperty:
    @given(title=st.text(max_size=40), cid=st.text(min_size=1, max_size=30).filter(str.strip),
           desc=st.text(max_size=40), reason=st.text(min_size=1, max_size=40).filter(str.strip),
           rule=st.text(max_size=20).filter(str.strip))
    def test_any_text_keeps_the_document_well_formed(self, title: str, cid: str, desc: str, reason: str,
                                                     rule: str) -> None:
        """Whatever text a spec carries, the document's braces and environments stay balanced."""
        data = {"title": title, "description": desc,
                "symbols": {"x": {"kind": "real", "min": 0, "description": desc}},
                "definitions": {"f": "x + 1"},
                "claims": [{"id": cid, "kind": "positive", "expr": "f", "description": desc}],
                "derivation": [{"id": cid, "lhs": "x", "rhs": "f", "rule": rule, "description": desc}]}
        p = spec.problem_from_dict(data)
        vs = (Verdict(p.all_claims[0].id, Status.UNKNOWN, reason, reason=reason),
              Verdict(p.all_claims[1].id, Status.REFUTED, "numeric",
                      witness=Witness(point=(("x", reason),), values=((reason, reason),), explanation=reason)))
        tex = render_report(p, vs)
        assert _structure_ok(tex)


class TestNames:
    @pytest.mark.parametrize("fragment", [r"\delta", r"\hat{L}", r"\mathrm{KL}", r"\ell(z_i)", r"x^{2}_{i}"])
    def test_safe_fragments_accepted(self, fragment: str) -> None:
        """Ordinary math fragments pass the vetting."""
        assert safe_math_fragment(fragment)

    @pytest.mark.parametrize("fragment", [
        r"\input{/etc/passwd}", r"\hat{\beta", r"a}b{", "$x$", r"\def\x{1}", r"x \end{document}", "50%",
        r"\csname foo\endcsname", r"\write18{ls}", "a\nb", r"x_", r"\\", "",
    ], ids=["input", "unbalanced", "closes-first", "dollar", "def", "end", "percent", "csname", "write18",
            "newline", "dangling-sub", "linebreak", "empty"])
    def test_unsafe_fragments_rejected(self, fragment: str) -> None:
        """Fragments that could break the build or reach outside the document are rejected."""
        assert not safe_math_fragment(fragment)

    def test_latex_field_used_and_unsafe_ignored(self) -> None:
        """latex_name uses a safe latex field and falls back to the identifier for an unsafe one."""
        p = spec.load(SPECIAL)
        assert latex_name(p.symbol("delta")) == r"\delta"
        assert "input" not in latex_name(p.symbol("L_train"))
        assert latex_name(p.symbol("L_train")) == r"{L}_{\mathrm{train}}"
        assert latex_name(p.symbol("beta2")) == r"\beta_{2}"
        assert latex_name(p.symbol("x_rate")) == r"{x}_{\mathrm{rate}}"

    def test_croissant_names(self) -> None:
        """The Croissant spec's latex fields reach the printed formulas."""
        p = spec.load(CROISSANT)
        names = symbol_names(p)
        assert names[p.symbol("L_train").sym] == r"\hat{L}"
        assert names[p.symbol("delta").sym] == r"\delta"
        assert names[p.definition("radius").placeholder] == r"\mathrm{radius}"


class TestGolden:
    def test_radius(self) -> None:
        """The covering radius sqrt(d)/2 n^(-1/d) prints with a folded exponent."""
        p = spec.load(CROISSANT)
        d = p.definition("radius")
        assert display_expr(p, d.text, d.expr, symbol_names(p)) == r"\frac{\sqrt{d} n^{- 1 / d}}{2}"

    def test_occam_term(self) -> None:
        """The Occam term prints as the square root of one fraction, as written, with ln and delta."""
        p = spec.load(CROISSANT)
        d = p.definition("complexity")
        assert display_expr(p, d.text, d.expr, symbol_names(p)) == \
            r"\sqrt{\frac{C \ln 2 + \ln{\left(\frac{1}{\delta} \right)}}{2 n}}"

    def test_definitions_use_names_and_spacing(self) -> None:
        """A definition that uses others shows their names (thin space after a factor) and its expansion."""
        p = spec.load(CROISSANT)
        tex = render_report(p, hand_verdicts(p))
        assert r"\mathrm{bound} &= \hat{L} + K\, \mathrm{radius} + \mathrm{complexity}" in tex
        assert r"\mathrm{gap} &= \mathrm{bound} - \hat{L}" in tex

    def test_condition_chained_and_domain_dropped(self) -> None:
        """Case conditions drop what the domains imply and chain bounds on one symbol."""
        p = spec.load(CROISSANT)
        d, delta = p.symbol("d").sym, p.symbol("delta").sym
        names = symbol_names(p)
        cond = sp.And(d >= 1, d < 2, delta < 1)
        assert condition_latex(cond, p, names) == r"1 \leq d < 2"
        assert condition_latex(sp.And(d >= 2, delta < 1), p, names) == r"d \geq 2"
        assert condition_latex(sp.And(delta < 1, delta > 0), p, names) == ""


class TestRender:
    def test_one_verdict_per_claim_required(self) -> None:
        """A verdict list of the wrong length or order is a UsageError, not a wrong document."""
        p = spec.load(CROISSANT)
        vs = hand_verdicts(p)
        with pytest.raises(UsageError):
            render_report(p, vs[:-1])
        with pytest.raises(UsageError):
            render_report(p, (vs[1], vs[0]) + vs[2:])

    def test_derivation_is_an_align_with_one_line_per_step(self) -> None:
        """The derivation chain is one align* whose lines carry the rule and the verdict of each step."""
        p = spec.load(CROISSANT)
        assert p.derivation, "the Croissant spec has a derivation"
        vs = hand_verdicts(p)
        tex = render_report(p, vs)
        block = tex[tex.index("\\section{Derivation}"):]
        block = block[block.index("\\begin{align*}"):block.index("\\end{align*}")]
        tags = re.findall(r"\\tag\*\{\\small \((\d+)\) ([^:]*): \\textbf\{(\w+)\}\}", block)
        assert [int(t[0]) for t in tags] == list(range(1, len(p.derivation) + 1))
        assert [t[1] for t in tags] == [escape_tex(s.rule) for s in p.derivation]
        by_id = {v.claim_id: v for v in vs}
        assert [t[2] for t in tags] == [str(by_id[s.id].status) for s in p.derivation]

    def test_step_propositions_state_their_hypotheses(self) -> None:
        """A derivation step holds only under the inequality it substitutes: its proposition says so."""
        from boundcheck.report._tex_math import display_relation

        p = spec.load(CROISSANT)
        tex = render_report(p, hand_verdicts(p))
        names = symbol_names(p)
        with_using = [step for step in p.derivation if step.using]
        assert with_using
        for step in with_using:
            k = [c.id for c in p.all_claims].index(step.id)
            prop = tex[tex.index(f"\\label{{bc:claim:{k + 1}}}"):]
            prop = prop[:prop.index("\\end{proposition}")]
            for u in step.using:
                assert f"Assume ${display_relation(p, u, names)}$" in prop

    def test_verdict_details(self) -> None:
        """Proved shows method and certificate file; refuted the witness and values; unknown the reason."""
        p = spec.load(CROISSANT)
        vs = list(hand_verdicts(p))
        vs[0] = Verdict(vs[0].claim_id, Status.UNKNOWN, "smt", reason="z3 said unknown: 50% & #x")
        tex = render_report(p, vs)
        assert r"\textbf{UNKNOWN}" in tex and r"50\% \& \#x" in tex
        assert r"$\delta = \frac{1}{2}$" in tex and "$d = 1$" in tex
        assert "-0.500000000000" in tex and "12345" not in tex  # 50-digit value shown to 12 digits
        proved = next(v for v in vs if v.status is Status.PROVED)
        assert tt(Path(proved.certificate.path).name) in tex
        assert tex.count("\\begin{proposition}") == len(p.all_claims)

    def test_expect_mismatch_is_flagged(self) -> None:
        """A verdict that differs from the claim's expect gets a visible note."""
        p = spec.load(CROISSANT)
        vs = list(hand_verdicts(p))
        k = next(i for i, c in enumerate(p.all_claims) if c.expect == "refuted")
        cert = Certificate("calculus", "made up")
        vs[k] = Verdict(vs[k].claim_id, Status.PROVED, "calculus", certificate=cert)
        tex = render_report(p, vs)
        assert tex.count(r"the spec expected this claim to be \emph{refuted}") == 1

    def test_given_exponent_cases_are_printed(self) -> None:
        """Exponent cases passed in replace the computed ones and print as a piecewise exponent."""
        p = spec.load(CROISSANT)
        d, n = p.symbol("d").sym, p.symbol("n").sym
        fake = (SimpleNamespace(condition=sp.And(d >= 1, d < 3), exponent=sp.Rational(-1, 3), dominant=n ** -3),
                SimpleNamespace(condition=d >= 3, exponent=-7 / d, dominant=n ** (-7 / d)))
        cid = next(c.id for c in p.claims if c.kind == "exponent")
        tex = render_report(p, hand_verdicts(p), exponents={cid: fake})
        assert r"1 \leq d < 3" in tex and r"d \geq 3" in tex
        assert r"- \frac{7}{d}" in tex or r"- 7 / d" in tex

    def test_croissant_case_split(self) -> None:
        """The computed asymptotic section splits the Croissant gap at d = 2 (-1/2 below, -1/d above)."""
        p = spec.load(CROISSANT)
        tex = render_report(p, hand_verdicts(p))
        section = tex[tex.index("\\section{Asymptotic analysis}"):]
        cases = section[section.index("\\begin{cases}"):section.index("\\end{cases}")]
        assert r"\text{if } 1 \leq d < 2" in cases and r"\text{if } d \geq 2" in cases
        assert r"- \frac{1}{2}" in cases and r"- \frac{1}{d}" in cases

    def test_stage_sections_and_figures(self, tmp_path: Path) -> None:
        """Stress, scaling and counterexample results get sections; their plots are copied and included."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(3, 2))
        ax.loglog([1, 10, 100], [1, 0.3, 0.1])
        plot = tmp_path / "scaling plot #1.pdf"
        fig.savefig(plot)
        plt.close(fig)
        artifact = tmp_path / "cex.json"
        artifact.write_text(json.dumps({"conjecture": "gap ~ n^-1/d & more", "point": {"d": 1}, "plot": plot.name}))
        artifact2 = tmp_path / "cex2.json"
        artifact2.write_text(json.dumps({"conjecture": {"name": "c2", "title": "Second_conjecture"},
                                         "summary": "Counterexample on the Cantor set: exponent 0 vs -1.585.",
                                         "replay": "boundcheck falsify --replay cex2.json", "plot": plot.name}))
        fits = {"nearest": {"exponent": -0.506, "exponent_ci": [-0.507, -0.504]}}
        theory = {"nearest": {"exponent": -0.5, "source": "Evans, Jones & Schmidt (2002)"}}
        p = spec.load(CROISSANT)
        stress = SimpleNamespace(to_dict=lambda: {"examples": 40, "failed": False, "seed": 3, "skipped": 0,
                                                  "worst_pointwise_margin": -1e-12, "worst_averaged_margin": -0.2})
        files = write_report(tmp_path / "out", p, hand_verdicts(p), stress=stress,
                             scaling={"quantity": "covering_radius", "fits": fits, "theory": theory,
                                      "plot": str(plot)},
                             counterexamples=[artifact, artifact2], figures=[(tmp_path / "missing.pdf", "gone")])
        tex = files.tex.read_text()
        copied = sorted(x.name for x in (tmp_path / "out" / "figures").iterdir())
        assert len(copied) == 3 and all(" " not in x and "#" not in x for x in copied)
        for name in copied:
            assert f"{{figures/{name}}}" in tex
        assert "\\section{Stress test}" in tex and "40 random instances" in tex and "held on every instance" in tex
        assert "\\section{Scaling}" in tex and "covering\\_" in tex
        assert re.search(r"nearest & \$-0\.506\$ & \$\[-0\.507, -0\.504\]\$ & \$-0\.5\$ & Evans, Jones \\& ", tex)
        assert "\\section{Counterexamples}" in tex and r"gap $\sim$ n\textasciicircum{}-1/d \& more" in tex
        summary = tex.index("Counterexample on the Cantor set")
        assert tex.index(r"\paragraph{Second\_conjecture.}") < summary
        assert "replay cex2" in tex[summary:tex.index("includegraphics", summary)]  # replay, then its own plot
        assert "is missing" in tex


@needs_tex
class TestBuild:
    def test_croissant_compiles_and_every_verdict_is_in_the_pdf(self, tmp_path: Path) -> None:
        """The Croissant report (real prover) compiles cleanly and the PDF states each claim's verdict."""
        p = spec.load(CROISSANT)
        vs = ladder_verdicts(p)
        files = write_report(tmp_path, p, vs, pdf=True)
        assert files.pdf is not None and files.pdf.stat().st_size > 10_000
        log = files.tex.with_suffix(".log").read_text(errors="replace")
        assert tex_log_problems(log) == [] and "Overfull \\hbox" not in log
        if not HAVE_PDFTOTEXT:
            pytest.skip("pdftotext missing")
        text = pdf_text(files.pdf)
        for i, (claim, v) in enumerate(zip(p.all_claims, vs), 1):
            start = text.index(f"Proposition {i} (")
            end = text.find(f"Proposition {i + 1} (", start)
            segment = text[start:end if end > 0 else None]
            flat = re.sub(r"\s+", "", segment)
            assert re.sub(r"\s+", "", claim.id) in flat, claim.id
            assert f"Verdict. {v.status}" in " ".join(segment.split()), (claim.id, v.status)

    def test_special_characters_compile(self, tmp_path: Path) -> None:
        """A spec full of LaTeX special characters (title, ids, descriptions, rules) still compiles."""
        p = spec.load(SPECIAL)
        vs = hand_verdicts(p)
        files = write_report(tmp_path, p, vs, pdf=True)
        log = files.tex.with_suffix(".log").read_text(errors="replace")
        assert files.pdf is not None and tex_log_problems(log) == []
        assert "\\input{/etc/passwd}" not in files.tex.read_text()
        if HAVE_PDFTOTEXT:
            text = " ".join(pdf_text(files.pdf).split())
            assert "% & # $ { } ∼" in text and "\\ and <less> |bar|" in text  # \\_ is a rule, not a glyph
            assert "100% & #1 {ok}" in text

    def test_every_printable_character_compiles(self, tmp_path: Path) -> None:
        """Title, ids, descriptions and reasons made of every printable ASCII character (and some Unicode)
        compile, and the letters and digits come out in order in the PDF."""
        import string

        junk = string.printable.strip() + " é δ ≤ ∞ — ✓ \u00a0 \u200b 日本"
        data = {"name": junk, "title": junk, "description": junk,
                "symbols": {"x": {"kind": "real", "min": 0, "description": junk}},
                "definitions": {"f": "x + 1"},
                "claims": [{"id": junk, "kind": "positive", "expr": "f", "description": junk},
                           {"id": junk[::-1], "kind": "le", "lhs": "x", "rhs": "f"}]}
        p = spec.problem_from_dict(data)
        vs = (Verdict(junk, Status.UNKNOWN, junk, reason=junk),
              Verdict(junk[::-1], Status.REFUTED, "numeric",
                      witness=Witness(point=(("x", "1"), (junk, junk)), values=((junk, junk),), explanation=junk)))
        files = write_report(tmp_path, p, vs, pdf=True)
        log = files.tex.with_suffix(".log").read_text(errors="replace")
        assert files.pdf is not None and tex_log_problems(log) == []
        if HAVE_PDFTOTEXT:
            text = pdf_text(files.pdf)
            assert string.ascii_letters in re.sub(r"\s+", "", text)

    def test_long_sums_are_split_and_fit_the_page(self, tmp_path: Path) -> None:
        """A long bound is set over several align lines and nothing runs into the margin."""
        long_sum = ("L + K*r*log(n+1)/(1+log(n+1)) + 3*sqrt(log(2/delta)/n) + (C+1)/n + K**2*d/(n+d) "
                    "+ exp(-n/(d+K)) + log(1+K*d)/n**2 + sqrt(d*log(n+1)/n) + 7*log(1/delta)/(3*n)")
        data = {"title": "long", "symbols": {k: {"kind": "real", "min_open": 0} for k in ("n", "d", "K", "C", "L")}
                | {"delta": {"kind": "real", "min_open": 0, "max_open": 1}},
                "definitions": {"r": "sqrt(d)/2 * n**(-1/d)", "bound": long_sum},
                "claims": [{"id": "pos", "kind": "positive", "expr": "bound"}],
                "derivation": [{"lhs": "L", "rhs": long_sum, "rule": "add"}]}
        p = spec.problem_from_dict(data)
        vs = tuple(Verdict(c.id, Status.UNKNOWN, "none", reason="not run") for c in p.all_claims)
        files = write_report(tmp_path, p, vs, pdf=True)
        tex = files.tex.read_text()
        defs = tex[tex.index("\\mathrm{bound} &="):tex.index("\\end{align*}", tex.index("\\mathrm{bound} &="))]
        assert defs.count("\\\\") >= 2  # the sum as written and its expansion both wrap
        log = files.tex.with_suffix(".log").read_text(errors="replace")
        assert tex_log_problems(log) == [] and "Overfull \\hbox" not in log

    def test_latexmk_is_used_when_pdflatex_is_not_on_path(self, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pdflatex on the PATH, compile_pdf runs latexmk -pdf with shell escape off."""
        fake = tmp_path / "bin" / "latexmk"
        fake.parent.mkdir()
        # it runs in boundcheck's private working folder (deleted afterwards): it records its arguments here
        fake.write_text(f"#!/bin/sh\nfor a; do f=$a; done\necho \"$@\" > {tmp_path}/latexmk-args.txt\n"
                        "pdflatex -interaction=nonstopmode -halt-on-error \"$f\" >/dev/null\n")
        fake.chmod(0o755)
        real = shutil.which
        fakes = {"pdflatex": None, "latexmk": str(fake)}
        monkeypatch.setattr(latex.shutil, "which", lambda name: fakes[name] if name in fakes else real(name))
        p = spec.load(CROISSANT)
        out = tmp_path / "out"
        files = write_report(out, p, hand_verdicts(p), pdf=True)
        assert files.pdf is not None and files.pdf.exists() and "latexmk" in files.log
        args = (tmp_path / "latexmk-args.txt").read_text()
        assert "-pdf" in args and "-no-shell-escape" in args and args.strip().endswith("report.tex")

    def test_broken_tex_raises_latex_error_with_log(self, tmp_path: Path) -> None:
        """A failing build raises LatexError (a BoundcheckError) whose message ends with the log tail."""
        bad = tmp_path / "report.tex"
        bad.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
        with pytest.raises(LatexError) as info:
            compile_pdf(bad, timeout=60)
        assert isinstance(info.value, BoundcheckError)
        assert "Undefined control sequence" in str(info.value)
        assert info.value.log

    def test_cli_latex_pdf(self, tmp_path: Path) -> None:
        """`boundcheck latex SPEC -o DIR --pdf --json P` writes the tex, the pdf and the JSON, exit 0."""
        from boundcheck.cli import main

        out = tmp_path / "rep"
        rc = main(["latex", str(CROISSANT), "-o", str(out), "--pdf", "--json", str(tmp_path / "r.json")])
        assert rc == 0
        data = json.loads((tmp_path / "r.json").read_text())
        assert Path(data["report"]["tex"]) == out / "report.tex" and (out / "report.pdf").exists()
        assert len(data["claims"]) == len(spec.load(CROISSANT).all_claims)
        smt = [c for c in data["claims"] if c.get("certificate", {}).get("path")]
        tex = (out / "report.tex").read_text()
        for c in smt:  # certificates written under DIR/certificates are named relative to the report
            name = Path(c["certificate"]["path"]).name
            assert tt("certificates/" + name) in tex and (out / "certificates" / name).exists()


def test_missing_tex_is_a_message_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pdflatex or latexmk, --pdf writes the .tex and says why there is no PDF."""
    monkeypatch.setattr(latex.shutil, "which", lambda name: None)
    p = spec.load(CROISSANT)
    files = write_report(tmp_path, p, hand_verdicts(p), pdf=True)
    assert files.tex.exists() and files.pdf is None
    assert "pdflatex" in files.log and "texlive-latex-base" in files.log
    assert compile_pdf(files.tex) is None


def test_cli_latex_without_tex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The CLI prints the no-TeX message and still exits 0 with the .tex written."""
    from boundcheck.cli import main

    monkeypatch.setattr(latex.shutil, "which", lambda name: None)
    rc = main(["latex", str(CROISSANT), "-o", str(tmp_path), "--pdf"])
    assert rc == 0 and (tmp_path / "report.tex").exists() and not (tmp_path / "report.pdf").exists()
    assert "neither pdflatex nor latexmk" in capsys.readouterr().out


def test_report_module_imports_are_light() -> None:
    """Importing the LaTeX report and its verb pulls in no solver, numpy, matplotlib or rich."""
    code = ("import sys, boundcheck.report.latex, boundcheck.cli._latex\n"
            "print(','.join(m for m in ('z3', 'numpy', 'matplotlib', 'rich', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_cli_latex_includes_other_stages(tmp_path: Path) -> None:
    """--counterexample and --figure put those results in the report; a missing file is exit 2."""
    from boundcheck.cli import main

    png = tmp_path / "plot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")  # not rendered: the .tex is only checked for its reference
    artifact = tmp_path / "cex.json"
    artifact.write_text(json.dumps({"summary": "A counterexample & its story.", "plot": "plot.png"}))
    out = tmp_path / "rep"
    assert main(["latex", str(CROISSANT), "-o", str(out), "--counterexample", str(artifact),
                 "--figure", str(png)]) == 0
    tex = (out / "report.tex").read_text()
    assert r"A counterexample \& its story." in tex and tex.count("\\includegraphics") == 2
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["01-plot.png", "02-plot.png"]
    assert main(["latex", str(CROISSANT), "-o", str(out), "--figure", str(tmp_path / "nope.pdf")]) == 2


def test_every_catalogue_spec_renders_well_formed() -> None:
    """Each of the soundness catalogue's specs (every claim kind, many bound shapes) renders a well-formed
    document with one proposition per claim."""
    sys.path.insert(0, str(ROOT / "tests" / "soundness"))
    try:
        from catalogue import CATALOGUE
    finally:
        sys.path.pop(0)
    assert len(CATALOGUE) > 50
    for entry in CATALOGUE:
        p = spec.problem_from_dict(entry.spec)
        vs = tuple(Verdict(c.id, Status.UNKNOWN, "none", reason="not run") for c in p.all_claims)
        tex = render_report(p, vs)
        assert _structure_ok(tex), entry.id
        assert tex.count("\\begin{proposition}") == len(p.all_claims), entry.id
