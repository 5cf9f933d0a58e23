"""Re-check the proof obligations under proofs/ and the covering lemma."""

import subprocess
import sys
from pathlib import Path

import pytest
import z3

from boundcheck.prove.lemmas import grid_covering_1d

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "proofs").rglob("*.smt2"))


def test_there_are_obligations():
    """The derivation steps and the lemma have committed obligations."""
    names = {p.name for p in FILES}
    assert {"derivation_lipschitz.smt2", "derivation_good-sample.smt2", "derivation_covering.smt2",
            "grid-covering-1d-choice.smt2", "grid-covering-1d-distance.smt2"} <= names


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_obligation_is_unsat(path):
    """z3 reading the committed SMT-LIB2 file answers unsat."""
    s = z3.Solver()
    s.set("timeout", 20000)
    s.from_file(str(path))
    assert s.check() == z3.unsat


def test_covering_lemma_and_its_mutant():
    """The 1-D grid covers [0, 1] within 1/(2n); the same obligation with 1/(4n) is satisfiable."""
    lemma = grid_covering_1d()
    assert lemma.proved
    mutant = grid_covering_1d(radius_denominator=4)
    assert not mutant.proved and mutant.results[1] == "sat"


def test_regeneration_is_stable(tmp_path):
    """Regenerating the obligations reproduces the committed files byte for byte."""
    before = {p: p.read_bytes() for p in FILES}
    subprocess.run([sys.executable, str(ROOT / "proofs" / "make_proofs.py")], check=True, cwd=ROOT,
                   capture_output=True)
    after = {p: p.read_bytes() for p in sorted((ROOT / "proofs").rglob("*.smt2"))}
    assert before == after


@pytest.mark.parametrize("step", ["lipschitz", "good-sample", "covering"])
def test_committed_obligation_is_about_its_claim(step):
    """The committed obligation of each derivation step passes the independent re-check against the spec."""
    from boundcheck.prove.proof import claim_fingerprint
    from boundcheck.recheck._smt import check_obligation
    from boundcheck.spec import load

    problem = load(ROOT / "examples" / "croissant.toml")
    claim = next(c for c in problem.all_claims if c.id == f"derivation:{step}")
    text = (ROOT / "proofs" / "croissant" / f"derivation_{step}.smt2").read_text()
    notes = check_obligation(text, problem, claim, claim_fingerprint(problem, claim))
    assert "z3: unsat" in notes
