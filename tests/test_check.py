"""`boundcheck check`: the whole pipeline on the flagship spec writes a complete report folder."""

import json
import shutil

import pytest

from boundcheck.cli import main


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    code = main(["check", "examples/croissant.toml", "-o", str(out), "--stress-examples", "20"])
    return code, out


def test_check_exit_code_and_json(report):
    """check exits 0 on the flagship spec and check.json holds verdicts, exponents and stress."""
    code, out = report
    assert code == 0
    data = json.loads((out / "check.json").read_text())
    assert data["ok"] is True
    status = {c["claim"]: c["status"] for c in data["claims"]}
    assert status["gap-exponent"] == "refuted" and status["gap-exponent-d-ge-2"] == "proved"
    assert data["stress"] is not None and data["stress"]["failed"] is False
    cases = data["exponents"]["gap-exponent"]["cases"]
    assert {c["exponent"] for c in cases} == {"-1/2", "-1/d"}


def test_check_writes_certificates_and_figure(report):
    """z3 proofs leave SMT-LIB2 certificates; the terms plot is written once (no terms.pdf beside 01-terms.pdf)."""
    _, out = report
    assert (out / "certificates" / "derivation_covering.smt2").exists()
    assert [p.name for p in (out / "figures").iterdir()] == ["01-terms.pdf"]
    assert (out / "report.tex").exists()


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_check_compiles_pdf(report):
    """Where TeX exists, check compiles report.pdf."""
    _, out = report
    assert (out / "report.pdf").stat().st_size > 10_000


def test_check_bad_input(tmp_path):
    """A malformed spec gives exit code 2 and writes no report folder."""
    spec = tmp_path / "bad.toml"
    spec.write_text("[symbols]\nx = { kind = \"real\", min = 3, max = 1 }\n")
    out = tmp_path / "out"
    assert main(["check", str(spec), "-o", str(out)]) == 2
    assert not out.exists()


CONJ = """\
name = "tiny-hausdorff"
[conjecture]
quantity = "covering_radius"
exponent = "-1/hausdorff_dim"
tolerance = 0.1
[search]
spaces = [{ name = "countable", p = [0.5, 2.0] }]
samplers = ["iid"]
n = [32, 512]
points = 5
seeds = 2
n_boot = 100
"""


def test_check_with_conjecture_puts_counterexamples_in_report(tmp_path):
    """check --conjecture runs the search, writes artifacts and the report's counterexample section."""
    conj = tmp_path / "tiny.toml"
    conj.write_text(CONJ)
    out = tmp_path / "rep"
    code = main(["check", "examples/croissant.toml", "-o", str(out), "--stress-examples", "5", "--no-pdf",
                 "--conjecture", str(conj), "--falsify-budget", "20"])
    assert code == 0
    data = json.loads((out / "check.json").read_text())
    assert data["searches"] and data["searches"][0]["conjecture"]["name"] == "tiny-hausdorff"
    assert data["counterexamples"], "the countable set {0} u {k^-p} must contradict -1/dim_H"
    assert list((out / "counterexamples").glob("*.json"))
    tex = (out / "report.tex").read_text()
    assert "Counterexamples" in tex and "countable" in tex
