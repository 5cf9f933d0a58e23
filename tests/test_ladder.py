"""Tests of the verification ladder on the flagship spec and on small claims."""

import mpmath
import pytest
import sympy as sp
import z3

from boundcheck.prove.ladder import verify
from boundcheck.prove.verdict import Certificate, Status, Verdict
from boundcheck.spec import load, problem_from_dict

EXPECTED = {
    "bound-decreasing-in-n": "proved", "bound-increasing-in-K": "proved", "bound-increasing-in-C": "proved",
    "bound-decreasing-in-delta": "proved", "gap-nonnegative": "proved", "gap-vanishes": "proved",
    "gap-exponent": "refuted", "gap-exponent-d-ge-2": "proved", "pac-bayes-decreasing-in-n": "proved",
}


@pytest.fixture(scope="module")
def croissant(tmp_path_factory):
    problem = load("examples/croissant.toml")
    certs = tmp_path_factory.mktemp("certs")
    return problem, verify(problem, timeout=10, certificates_dir=certs), certs


def test_croissant_verdicts(croissant):
    """Every Croissant claim gets the verdict the issue asks for."""
    problem, verdicts, _ = croissant
    got = {v.claim_id: v.status.value for v in verdicts}
    for cid, want in EXPECTED.items():
        assert got[cid] == want, (cid, verdicts)


def test_croissant_exponent_witness_is_d_equal_1(croissant):
    """The unassumed exponent claim is refuted at d = 1, where the Occam term dominates."""
    problem, verdicts, _ = croissant
    v = next(v for v in verdicts if v.claim_id == "gap-exponent")
    point = dict(v.witness.point)
    assert sp.Rational(point["d"]) < 2
    # independent re-check at 50 digits: local slope of log gap vs log n is -1/2, not -1/d
    subs = {problem.symbol(k).sym: sp.Rational(val) for k, val in point.items()}
    gap = problem.definition("gap").expanded.subs(subs)
    n = problem.symbol("n").sym
    with mpmath.workdps(60):
        f = sp.lambdify(n, gap, "mpmath")
        slope = mpmath.log(f(mpmath.mpf(10) ** 90) / f(mpmath.mpf(10) ** 60)) / mpmath.log(mpmath.mpf(10) ** 30)
    claimed = float(-1 / sp.Rational(point["d"]))
    assert abs(slope + mpmath.mpf(1) / 2) < 1e-6
    assert abs(float(slope) - claimed) > 0.1


def test_every_verdict_has_its_evidence(croissant):
    """PROVED carries a certificate, REFUTED a witness, UNKNOWN a reason."""
    _, verdicts, _ = croissant
    for v in verdicts:
        if v.status is Status.PROVED:
            assert v.certificate is not None and v.certificate.detail
        elif v.status is Status.REFUTED:
            assert v.witness is not None and v.witness.digits >= 50
        else:
            assert v.reason


def test_verdict_invariants_are_enforced():
    """A PROVED verdict without a certificate cannot be built."""
    with pytest.raises(ValueError):
        Verdict("c", Status.PROVED, "calculus")
    with pytest.raises(ValueError):
        Verdict("c", Status.REFUTED, "numeric", certificate=Certificate("x", "y"))
    with pytest.raises(ValueError):
        Verdict("c", Status.UNKNOWN, "none")


def _one(symbols, claim, timeout=5.0):
    p = problem_from_dict({"symbols": symbols, "claims": [dict(claim, id="c")]})
    return p, verify(p, timeout=timeout)[0]


def test_smt_certificate_rechecks_unsat(tmp_path):
    """The SMT-LIB2 obligation written for a z3 proof is unsat when z3 reads it back."""
    # a relation between symbols in the hypotheses sends the claim to z3 before branch-and-bound
    p = problem_from_dict({"symbols": {"x": {"kind": "real", "min_open": 0}, "y": {"kind": "real"}},
                           "claims": [{"id": "log-upper", "kind": "le", "lhs": "log(x)", "rhs": "y - 1",
                                       "assume": ["x <= y"]}]})
    (v,) = verify(p, timeout=10, certificates_dir=tmp_path)
    assert v.status is Status.PROVED and v.method == "smt"
    path = tmp_path / "log-upper.smt2"
    assert path.exists() and v.certificate.path == str(path)
    s = z3.Solver()
    s.from_file(str(path))
    assert s.check() == z3.unsat


PAIRS = [
    # (symbols, true claim, mutated false claim)
    ({"x": {"kind": "real", "min_open": 0}}, {"kind": "le", "lhs": "log(x)", "rhs": "x - 1"},
     {"kind": "le", "lhs": "log(x)", "rhs": "x - 1 - 1/1000"}),
    ({"x": {"kind": "real"}}, {"kind": "le", "lhs": "1 + x", "rhs": "exp(x)"},
     {"kind": "le", "lhs": "1 + 11*x/10", "rhs": "exp(x)"}),
    ({"n": {"kind": "integer", "min": 0}}, {"kind": "le", "lhs": "n", "rhs": "n**2"},
     {"kind": "le", "lhs": "n + 1", "rhs": "n**2"}),
    ({"a": {"kind": "real", "min": 0}, "b": {"kind": "real", "min": 0}},
     {"kind": "le", "lhs": "sqrt(a*b)", "rhs": "(a + b)/2"}, {"kind": "le", "lhs": "(a + b)/2", "rhs": "sqrt(a*b)"}),
    ({"n": {"kind": "integer", "min": 3}}, {"kind": "increasing", "expr": "(n - 5/2)**2", "var": "n"},
     {"kind": "increasing", "expr": "(n - 7/2)**2", "var": "n"}),
    ({"n": {"kind": "integer", "min": 1}, "d": {"kind": "real", "min": 1}},
     {"kind": "decreasing", "expr": "n**(-1/d) + 1/sqrt(n)", "var": "n"},
     {"kind": "decreasing", "expr": "n**(-1/d) + n/1000", "var": "n"}),
    ({"n": {"kind": "integer", "min": 1}}, {"kind": "limit", "expr": "(n + 1)/n", "var": "n", "at": "oo", "value": "1"},
     {"kind": "limit", "expr": "(n + 1)/n", "var": "n", "at": "oo", "value": "0"}),
    ({"x": {"kind": "real"}}, {"kind": "eq", "lhs": "(x + 1)**2", "rhs": "x**2 + 2*x + 1"},
     {"kind": "eq", "lhs": "(x + 1)**2", "rhs": "x**2 + 1"}),
    # a 0/0 limit at the end of the domain, through x = 0 + 1/t
    ({"x": {"kind": "real", "min_open": 0, "max": 1}},
     {"kind": "limit", "expr": "(sqrt(1 + x) - 1)/x", "var": "x", "at": "0", "value": "1/2"},
     {"kind": "limit", "expr": "(sqrt(1 + x) - 1)/x", "var": "x", "at": "0", "value": "1"}),
    # tight at an interior point: the derivative method splits at x = 1
    ({"x": {"kind": "real", "min_open": 0, "max": 1000}}, {"kind": "le", "lhs": "log(x)", "rhs": "2*(sqrt(x) - 1)"},
     {"kind": "le", "lhs": "log(x)", "rhs": "2*(sqrt(x) - 1) - 1/100"}),
    ({"x": {"kind": "real", "min_open": 0}}, {"kind": "lt", "lhs": "(x - 1)/x", "rhs": "log(x)", "assume": ["Ne(x, 1)"]},
     {"kind": "lt", "lhs": "(x - 1)/x", "rhs": "log(x)"}),
]


@pytest.mark.parametrize("symbols,true_claim,false_claim", PAIRS, ids=[str(i) for i in range(len(PAIRS))])
def test_true_and_mutated_claims(symbols, true_claim, false_claim):
    """A true claim is never refuted and its mutant is never proved (each decided here)."""
    _, vt = _one(symbols, true_claim)
    _, vf = _one(symbols, false_claim)
    assert vt.status is Status.PROVED, vt
    assert vf.status is Status.REFUTED, vf


def test_refutation_respects_integrality():
    """n**2 >= n holds on the integers: no real witness such as n = 1/2 is accepted."""
    _, v = _one({"n": {"kind": "integer", "min": 0}}, {"kind": "nonnegative", "expr": "n**2 - n"})
    assert v.status is not Status.REFUTED
    _, v2 = _one({"x": {"kind": "real", "min": 0}}, {"kind": "nonnegative", "expr": "x**2 - x"})
    assert v2.status is Status.REFUTED
    x = sp.Rational(dict(v2.witness.point)["x"])
    assert x ** 2 - x < 0


def test_assumption_restricts_witnesses():
    """A witness must satisfy the claim's assumptions."""
    _, v = _one({"x": {"kind": "real"}}, {"kind": "nonnegative", "expr": "x - 1", "assume": ["x >= 1"]})
    assert v.status is Status.PROVED
    _, v2 = _one({"x": {"kind": "real"}}, {"kind": "nonnegative", "expr": "x - 1", "assume": ["x >= 1/2"]})
    assert v2.status is Status.REFUTED
    assert sp.Rational(dict(v2.witness.point)["x"]) >= sp.Rational(1, 2)


def test_timeout_is_unknown_not_a_crash():
    """A hard claim with a tiny timeout comes back UNKNOWN with a reason."""
    _, v = _one({"x": {"kind": "real", "min": 0, "max": 3}, "y": {"kind": "real", "min": 0, "max": 3}},
                {"kind": "le", "lhs": "x*y*exp(x - y)*log(1 + x*y)", "rhs": "x**4 + y**4 + 100"}, timeout=0.05)
    assert v.status in (Status.UNKNOWN, Status.PROVED)
    if v.status is Status.UNKNOWN:
        assert v.reason
