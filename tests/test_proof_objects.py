"""Proof objects: kept in the verdict and its JSON, rendered as typeset proofs and by verify --explain."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from boundcheck.cli import main
from boundcheck.pipeline import check
from boundcheck.prove.ladder import verify
from boundcheck.prove.proof import Proof, claim_fingerprint
from boundcheck.prove.verdict import Status
from boundcheck.report.proof_text import explain_verdict, latex_style, proof_sentences
from boundcheck.report._tex_math import symbol_names
from boundcheck.spec import load

ROOT = Path(__file__).resolve().parent.parent
CROISSANT = ROOT / "examples" / "croissant.toml"
CATALOGUE = sorted((ROOT / "examples" / "catalogue").glob("*.toml"))
HAVE_TEX = shutil.which("pdflatex") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def croissant():
    problem = load(CROISSANT)
    return problem, verify(problem, timeout=10.0)


def test_every_proved_verdict_has_a_proof_tied_to_its_claim(croissant) -> None:
    """Each PROVED verdict carries a proof whose fingerprint is its claim's, and the JSON round-trips it."""
    problem, verdicts = croissant
    claims = {c.id: c for c in problem.all_claims}
    proved = [v for v in verdicts if v.status is Status.PROVED]
    assert len(proved) >= 10
    for v in proved:
        assert v.proof is not None and v.proof.steps, v.claim_id
        assert v.proof.claim == claim_fingerprint(problem, claims[v.claim_id])
        assert Proof.from_dict(v.to_dict()["proof"]) == v.proof


def test_fingerprint_changes_with_the_domain(croissant) -> None:
    """The fingerprint covers the symbols' domains, not only the claim's text."""
    problem, _ = croissant
    from dataclasses import replace

    claim = problem.all_claims[0]
    d = problem.symbol("d")
    other = replace(problem, symbols=tuple(replace(s, lo=s.lo + 1) if s is d else s for s in problem.symbols))
    assert claim_fingerprint(problem, claim) != claim_fingerprint(other, claim)


def test_calculus_proof_names_each_rule(croissant) -> None:
    """The monotonicity proof of the bound records a rule per node: the sum, the products, the powers."""
    _, verdicts = croissant
    v = next(v for v in verdicts if v.claim_id == "bound-decreasing-in-n")
    rules = {s.rule for s in v.proof.steps[0].walk()}
    assert {"monotone-sum", "monotone-product", "monotone-power", "power", "symbol"} <= rules
    assert v.proof.steps[0].result == "decreasing"


def test_smt_proof_restates_the_obligation(croissant) -> None:
    """A z3 proof states the negated claim and each relaxation (here: the root and the abstracted power)."""
    _, verdicts = croissant
    v = next(v for v in verdicts if v.claim_id == "derivation:covering")
    rules = [s.rule for s in v.proof.steps]
    assert rules[0] == "smt-goal" and rules[-1] == "smt-unsat" and rules.count("relaxation") == 2
    assert "; boundcheck-claim: " + v.proof.claim in v.certificate.smtlib


def test_latex_sentences_have_no_sympy_syntax(croissant) -> None:
    """The typeset proof uses LaTeX for every formula: no '**', no 'sqrt('."""
    problem, verdicts = croissant
    names = symbol_names(problem)
    for v in verdicts:
        if v.proof is None:
            continue
        text = "\n".join(proof_sentences(v.proof, latex_style(names)))
        assert "**" not in text and "sqrt(" not in text, v.claim_id


def test_explain_cli(capsys) -> None:
    """verify --explain prints the numbered steps of a proof and the witness of a refutation."""
    code = main(["verify", str(CROISSANT), "--only", "gap-nonnegative", "--only", "gap-exponent",
                 "--explain", "gap-nonnegative", "--explain", "gap-exponent"])
    out = capsys.readouterr().out
    assert code == 0
    assert "gap-nonnegative: PROVED" in out and "1. " in out and "is a sum of terms" in out
    assert "Take d = 1" in out and "n^(-1/2)" in out


def test_explain_unknown_id_is_usage_error(capsys) -> None:
    """--explain with an id that is not a claim exits 2 and lists the claims."""
    assert main(["verify", str(CROISSANT), "--only", "gap-nonnegative", "--explain", "nope"]) == 2
    assert "no such claim" in capsys.readouterr().err


def test_explain_refuted_shows_computation(croissant) -> None:
    """The explanation of a refutation gives the point and the computed quantities."""
    _, verdicts = croissant
    v = next(v for v in verdicts if v.claim_id == "gap-exponent")
    lines = explain_verdict(v)
    assert lines[0].startswith("Take ") and any("rate at this point" in ln for ln in lines)


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not HAVE_TEX, reason="pdflatex/pdftotext not installed")
@pytest.mark.parametrize("spec", [CROISSANT] + CATALOGUE, ids=lambda p: p.stem)
def test_report_pdf_has_no_raw_sympy(spec: Path, tmp_path: Path) -> None:
    """The PDF of the spec's report has a proof per proved proposition and no raw sympy text in what
    boundcheck writes (the spec's own prose, its descriptions, is the author's and is left out here)."""
    from dataclasses import replace

    problem = load(spec)
    problem = replace(problem, description="", symbols=tuple(replace(s, description="") for s in problem.symbols),
                      claims=tuple(replace(c, description="") for c in problem.claims),
                      derivation=tuple(replace(st, description="", claim=replace(st.claim, description=""))
                                       for st in problem.derivation))
    res = check(problem, tmp_path, stress_examples=0, pdf=True)
    assert res.report.pdf is not None, res.report.log
    text = _pdf_text(res.report.pdf)
    assert "**" not in text
    assert "sqrt(" not in text
    proved = sum(1 for v in res.verdicts if v.status is Status.PROVED)
    assert text.count("Proof.") >= proved
