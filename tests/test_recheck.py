"""`boundcheck recheck`: certificates re-verified without the prover, and tampered ones rejected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from boundcheck.cli import main
from boundcheck.pipeline import check
from boundcheck.recheck import recheck
from boundcheck.spec import load

ROOT = Path(__file__).resolve().parent.parent
CROISSANT = ROOT / "examples" / "croissant.toml"

SMALL = """
name = "small"
title = "Small"
[symbols]
x = { kind = "real", min = 0, max = 2 }
y = { kind = "real", min_open = 0 }
z = { kind = "real", min = 1, max = 5 }
[definitions]
f = "x**2"
[[claims]]
id = "square-le-x"
kind = "le"
lhs = "f"
rhs = "x"
expect = "refuted"
[[claims]]
id = "square-decreasing"
kind = "decreasing"
expr = "f"
var = "x"
expect = "refuted"
[[claims]]
id = "log-le"
kind = "le"
lhs = "log(y)"
rhs = "y - 1"
expect = "proved"
[[claims]]
id = "exp2-ge-linear"
kind = "nonnegative"
expr = "2**z - z - 1"
expect = "proved"
[[claims]]
id = "exp-taylor"
kind = "nonnegative"
expr = "exp(x) - 1 - x - x**2/2"
expect = "proved"
[[claims]]
id = "y-plus-one-positive"
kind = "positive"
expr = "y + 1/y"
expect = "proved"
"""


@pytest.fixture(scope="module")
def croissant_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("croissant")
    check(load(CROISSANT), out, stress_examples=0, pdf=False)
    return out


@pytest.fixture(scope="module")
def small_report(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("small")
    spec = d / "small.toml"
    spec.write_text(SMALL, encoding="utf-8")
    out = d / "report"
    res = check(load(spec), out, stress_examples=0, pdf=False)
    assert res.ok, res.expectation_failures
    return out


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _failed(rep) -> dict[str, str]:
    return {i.claim: i.message for i in rep.failed}


def test_fresh_croissant_report_rechecks(croissant_report: Path) -> None:
    """Every certificate of a fresh Croissant report re-checks; SMT, calculus and symbolic proofs are checked."""
    rep = recheck(croissant_report)
    assert rep.ok, rep.failed
    kinds = {i.what.split(" ")[0] for i in rep.items if i.status == "ok"}
    assert {"smt", "calculus", "symbolic"} <= kinds
    assert all(i.status == "ok" for i in rep.items if i.what.startswith("smt"))


def test_fresh_small_report_rechecks_witnesses_and_z3(small_report: Path) -> None:
    """Witnesses (a point and a pair) are re-evaluated and the log bound's obligation re-checked."""
    rep = recheck(small_report)
    assert rep.ok, rep.failed
    by = {i.claim: i for i in rep.items}
    assert by["square-le-x"].what == "witness" and by["square-le-x"].status == "ok"
    assert by["square-decreasing"].status == "ok"
    assert by["log-le"].status == "ok" and by["y-plus-one-positive"].status == "ok"
    assert by["exp2-ge-linear"].what == "derivative" and by["exp2-ge-linear"].status == "ok"
    assert by["exp-taylor"].status == "ok"


def _insert_before_goal(path: Path, line: str) -> None:
    text = path.read_text()
    i = text.rindex("(assert")
    path.write_text(text[:i] + line + "\n" + text[i:])


@pytest.mark.parametrize("extra", ["(assert false)", "(assert (> n 1000000.0))", "(assert (< K 0.0))"],
                         ids=["false", "stronger-hypothesis", "contradicts-domain"])
def test_added_assertion_fails(croissant_report: Path, tmp_path: Path, extra: str) -> None:
    """An assertion added to an obligation (still unsat, no longer about its claim) fails the re-check."""
    d = _copy(croissant_report, tmp_path / "r")
    cert = d / "certificates" / "derivation_covering.smt2"
    _insert_before_goal(cert, extra)
    rep = recheck(d)
    assert "derivation:covering" in _failed(rep)
    assert "domain" in _failed(rep)["derivation:covering"]


def test_appended_false_fails(croissant_report: Path, tmp_path: Path) -> None:
    """(assert false) as the last assertion is not the negated goal."""
    d = _copy(croissant_report, tmp_path / "r")
    cert = d / "certificates" / "derivation_covering.smt2"
    cert.write_text(cert.read_text().replace("(check-sat)", "(assert false)\n(check-sat)"))
    assert "derivation:covering" in _failed(recheck(d))


def test_certificate_of_another_claim_fails(croissant_report: Path, tmp_path: Path) -> None:
    """An obligation copied over another claim's file is caught by the claim fingerprint."""
    d = _copy(croissant_report, tmp_path / "r")
    shutil.copy(d / "certificates" / "derivation_lipschitz.smt2", d / "certificates" / "derivation_covering.smt2")
    assert "fingerprint" in _failed(recheck(d))["derivation:covering"]


def test_fingerprint_copied_but_goal_changed_fails(croissant_report: Path, tmp_path: Path) -> None:
    """With the right fingerprint, a weakened negated goal (here: a constant changed) still fails."""
    d = _copy(croissant_report, tmp_path / "r")
    cert = d / "certificates" / "derivation_good-sample.smt2"
    text = cert.read_text()
    i = text.rindex("(assert")
    tail = text[i:].replace("(< ?x20 0.0)", "(< ?x20 (- 1.0))")
    assert tail != text[i:]
    cert.write_text(text[:i] + tail)
    assert "negation" in _failed(recheck(d))["derivation:good-sample"]


def test_changed_claim_in_spec_fails(croissant_report: Path, tmp_path: Path) -> None:
    """Checked against a spec whose claim differs, every proof of that claim fails (fingerprint)."""
    d = _copy(croissant_report, tmp_path / "r")
    spec = d / "spec.toml"
    spec.write_text(spec.read_text().replace('radius     = "sqrt(d)/2 * n**(-1/d)"',
                                             'radius     = "sqrt(d)/3 * n**(-1/d)"'))
    failed = _failed(recheck(d))
    assert "gap-nonnegative" in failed and "derivation:covering" in failed


def _edit_proof(d: Path, cid: str, edit) -> None:
    data = json.loads((d / "check.json").read_text())
    entry = next(e for e in data["claims"] if e["claim"] == cid)
    edit(entry["proof"])
    (d / "check.json").write_text(json.dumps(data))


def test_tampered_calculus_tree_fails(croissant_report: Path, tmp_path: Path) -> None:
    """A premise whose stored sign is changed no longer supports its parent: the replay fails."""
    d = _copy(croissant_report, tmp_path / "r")

    def flip(proof: dict) -> None:
        node = proof["steps"][0]
        while node.get("children"):
            node = node["children"][-1]
        node["result"] = "neg" if node["result"] != "neg" else "pos"

    _edit_proof(d, "gap-nonnegative", flip)
    assert "gap-nonnegative" in _failed(recheck(d))


def test_tree_about_another_expression_fails(croissant_report: Path, tmp_path: Path) -> None:
    """A tree whose root is swapped for another (true) fact does not prove the claim."""
    d = _copy(croissant_report, tmp_path / "r")
    data = json.loads((d / "check.json").read_text())
    occam = next(e for e in data["claims"] if e["claim"] == "derivation:occam")["proof"]["steps"]
    _edit_proof(d, "gap-nonnegative", lambda p: p.update(steps=occam))
    assert "not the claim" in _failed(recheck(d))["gap-nonnegative"]


def test_proof_box_tighter_than_domain_fails(croissant_report: Path, tmp_path: Path) -> None:
    """A proof that reasoned over a smaller box than the claim's domain does not cover the claim."""
    d = _copy(croissant_report, tmp_path / "r")

    def shrink(proof: dict) -> None:
        proof["box"]["d"] = "Tuple(Integer(5), oo, false, false)"

    _edit_proof(d, "gap-nonnegative", shrink)
    assert "more than its domain" in _failed(recheck(d))["gap-nonnegative"]


def test_tampered_witness_fails(small_report: Path, tmp_path: Path) -> None:
    """A witness moved to a point where the claim holds, or outside the domain, fails."""
    for point, needle in (({"x": "1/2"}, "no violation"), ({"x": "3"}, "outside its domain")):
        d = _copy(small_report, tmp_path / f"r{point['x'].replace('/', '_')}")
        data = json.loads((d / "check.json").read_text())
        entry = next(e for e in data["claims"] if e["claim"] == "square-le-x")
        entry["witness"]["point"] = point
        (d / "check.json").write_text(json.dumps(data))
        assert needle in _failed(recheck(d))["square-le-x"]


def test_proved_without_proof_fails(small_report: Path, tmp_path: Path) -> None:
    """A PROVED entry whose proof object was removed is reported."""
    d = _copy(small_report, tmp_path / "r")
    data = json.loads((d / "check.json").read_text())
    next(e for e in data["claims"] if e["claim"] == "y-plus-one-positive").pop("proof")
    (d / "check.json").write_text(json.dumps(data))
    assert "without a proof" in _failed(recheck(d))["y-plus-one-positive"]


def test_cli_exit_codes(croissant_report: Path, tmp_path: Path, capsys) -> None:
    """recheck exits 0 on a fresh report, 1 on a tampered one, 2 on a folder that is not a report."""
    assert main(["recheck", str(croissant_report)]) == 0
    d = _copy(croissant_report, tmp_path / "r")
    _insert_before_goal(d / "certificates" / "derivation_covering.smt2", "(assert false)")
    assert main(["recheck", str(d)]) == 1
    assert main(["recheck", str(tmp_path / "nothing")]) == 2
    assert "FAILED" in capsys.readouterr().out


def test_tampered_derivative_endpoint_fails(small_report: Path, tmp_path: Path) -> None:
    """A derivative-method proof moved to another endpoint (not a closed end of the interval) fails."""
    d = _copy(small_report, tmp_path / "r")

    def move(proof: dict) -> None:
        proof["steps"][0]["data"]["a"] = "Integer(2)"

    _edit_proof(d, "exp2-ge-linear", move)
    assert "exp2-ge-linear" in _failed(recheck(d))


def test_tampered_bnb_certificate_fails(small_report: Path, tmp_path: Path) -> None:
    """A branch-and-bound proof whose certificate is emptied no longer checks."""
    d = _copy(small_report, tmp_path / "r")
    data = json.loads((d / "check.json").read_text())
    entry = next(e for e in data["claims"] if e["claim"] == "exp-taylor")
    if entry["proof"]["method"] != "bnb":
        pytest.skip("the claim was proved by another rung")
    entry["proof"]["steps"][0]["data"]["certificate"] = json.dumps({"format": "boundcheck-bnb-1", "strict": False,
                                                                     "tree": "proved"})
    (d / "check.json").write_text(json.dumps(data))
    assert "exp-taylor" in _failed(recheck(d))


def test_rung_without_proofs_is_skipped_not_passed(small_report: Path, tmp_path: Path) -> None:
    """A PROVED verdict of a rung that records no proof object is reported as skipped, never as checked."""
    d = _copy(small_report, tmp_path / "r")
    data = json.loads((d / "check.json").read_text())
    entry = next(e for e in data["claims"] if e["claim"] == "y-plus-one-positive")
    entry.pop("proof")
    entry["method"] = "threshold"
    (d / "check.json").write_text(json.dumps(data))
    item = next(i for i in recheck(d).items if i.claim == "y-plus-one-positive")
    assert item.status == "skipped" and "records no proof" in item.message
