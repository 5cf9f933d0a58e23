"""The interval branch-and-bound rung (prove/bnb.py): it proves tight true claims, never proves false ones
(near tangency, on integer and unbounded domains, at domain edges), and its certificates re-check with the
independent checker while tampered ones do not."""

from __future__ import annotations

import copy
import json
from fractions import Fraction as F

import pytest
import sympy as sp

from boundcheck.prove import bnb
from boundcheck.prove.bnb import BranchAndBound, CertificateError, Var, check_certificate, prove_box

x, y, n = sp.symbols("x y n", real=True)
INF = float("inf")


def _proved(g, vs, hyps=(), strict=False, timeout=4.0):
    r = prove_box(g, vs, hyps, strict=strict, timeout=timeout)
    if r.status == "proved":
        # every proof re-checks with the independent checker, also after a JSON round trip
        cert = json.loads(json.dumps(r.certificate))
        assert check_certificate(cert, g, vs, hyps, strict=strict) >= 1
    return r


TRUE = [
    ("log x <= x - 1 (tight at 1)", x - 1 - sp.log(x), [Var(x, F(0), INF, True)], False),
    ("exp x >= 1 + x on R (tight at 0)", sp.exp(x) - 1 - x, [Var(x, -INF, INF)], False),
    ("exp x > 1 + x on x > 0 (tight at the open end)", sp.exp(x) - 1 - x, [Var(x, F(0), INF, True)], True),
    ("log x >= 2(x-1)/(x+1) on x >= 1 (second-order tangency)", sp.log(x) - 2 * (x - 1) / (x + 1),
     [Var(x, F(1), INF)], False),
    ("exp x >= x**3 for x >= 5 (unbounded tail)", sp.exp(x) - x ** 3, [Var(x, F(5), INF)], False),
    ("sqrt(1+x) <= 1 + x/2", 1 + x / 2 - sp.sqrt(1 + x), [Var(x, F(-1), INF)], False),
    ("two variables, tight on two edges", sp.exp(x * y) - 1 - x * y, [Var(x, F(0), F(2)), Var(y, F(0), F(2))],
     False),
]


@pytest.mark.parametrize("name,g,vs,strict", TRUE, ids=[t[0] for t in TRUE])
def test_proves_tight_true_claims(name, g, vs, strict) -> None:
    r = _proved(g, vs, strict=strict)
    assert r.status == "proved", (name, r.reason)


FALSE = [
    ("log x <= x - 1 - 1e-12 (a hair too tight)", x - 1 - sp.log(x) - sp.Rational(1, 10 ** 12),
     [Var(x, F(0), INF, True)], False),
    ("exp x > 1 + x on x >= 0 (equality at the closed end)", sp.exp(x) - 1 - x, [Var(x, F(0), INF)], True),
    ("log x >= 2(x-1)/(x+1) on x > 0 (fails below 1)", sp.log(x) - 2 * (x - 1) / (x + 1),
     [Var(x, F(0), INF, True)], False),
    ("exp x >= x**3 for x >= 0 (fails around 3)", sp.exp(x) - x ** 3, [Var(x, F(0), INF)], False),
    ("(x-2)(x-3) >= 0 on the reals", (x - 2) * (x - 3), [Var(x, F(0), F(10))], False),
    ("x log x >= -1/e + 1e-9 on (0, 1]", x * sp.log(x) + sp.exp(-1) - sp.Rational(1, 10 ** 9),
     [Var(x, F(0), F(1), True)], False),
    ("1 - x**2 >= 0 with x unbounded", 1 - x ** 2, [Var(x, -INF, INF)], False),
]


@pytest.mark.parametrize("name,g,vs,strict", FALSE, ids=[t[0] for t in FALSE])
def test_never_proves_false_claims(name, g, vs, strict) -> None:
    r = prove_box(g, vs, strict=strict, timeout=2.0)
    assert r.status != "proved", name


def test_integer_domain_uses_integrality_and_reals_do_not() -> None:
    """(n-2)(n-3) >= 0 holds at every integer (it is negative only strictly between 2 and 3)."""
    g = (n - 2) * (n - 3)
    r = _proved(g, [Var(n, F(0), F(10), integer=True)])
    assert r.status == "proved"
    assert prove_box(g, [Var(n, F(0), F(10))], timeout=1.0).status != "proved"


def test_hypothesis_prunes_boxes() -> None:
    """x - y >= 0 only under the hypothesis y <= x."""
    g = x - y
    vs = [Var(x, F(0), F(1)), Var(y, F(0), F(1))]
    r = prove_box(g, vs, [sp.LessThan(y, x)], timeout=2.0)
    # the diagonal is tight everywhere: either proved (with a certificate that checks) or undecided, never
    # proved without the hypothesis
    if r.status == "proved":
        check_certificate(r.certificate, g, vs, [sp.LessThan(y, x)])
    assert prove_box(g, vs, timeout=1.0).status != "proved"


def test_eq_defined_auxiliary_symbol_is_eliminated() -> None:
    """y**2 = 1 + x with y >= 0 defines y = sqrt(1 + x); then y <= 1 + x/2 holds."""
    from boundcheck.prove.calculus import Box, Bound

    box = Box({x: Bound(sp.Integer(0)), y: Bound(sp.Integer(0))})
    hyp = sp.Eq(y ** 2, 1 + x)
    r = bnb.prove_goal(1 + x / 2 - y, strict=False, box=box, symbols=[x, y], hypotheses=[hyp], timeout=4.0)
    assert r.status == "proved", r.reason
    # and the false variant y <= 1 + x/3 is not proved
    r2 = bnb.prove_goal(1 + x / 3 - y, strict=False, box=box, symbols=[x, y], hypotheses=[hyp], timeout=2.0)
    assert r2.status != "proved"


def test_eq_elimination_keeps_both_signs_when_the_domain_allows() -> None:
    """y**2 = x with y of either sign: y <= sqrt(x) is false for y = -sqrt(x)? no -- y >= -sqrt(x) and
    y <= sqrt(x) both hold, but y >= 0 does not (the negative branch)."""
    from boundcheck.prove.calculus import Box, Bound

    box = Box({x: Bound(sp.Integer(0), sp.Integer(4)), y: Bound()})
    hyp = sp.Eq(y ** 2, x)
    assert bnb.prove_goal(y + 1, strict=False, box=box, symbols=[x, y], hypotheses=[hyp],
                          timeout=2.0).status != "proved"
    assert bnb.prove_goal(3 - y, strict=False, box=box, symbols=[x, y], hypotheses=[hyp],
                          timeout=3.0).status == "proved"


# ---------------------------------------------------------------------------------------------- tampering
def _cert():
    g = x - 1 - sp.log(x)
    vs = [Var(x, F(0), INF, True)]
    r = prove_box(g, vs, timeout=4.0)
    assert r.status == "proved"
    return g, vs, r.certificate


def _nodes(tree):
    yield tree
    for key in ("children",):
        for c in tree.get(key) or []:
            yield from _nodes(c)
    for key in ("child", "deriv", "face"):
        if isinstance(tree.get(key), dict):
            yield from _nodes(tree[key])


def test_checker_accepts_the_untampered_certificate() -> None:
    g, vs, cert = _cert()
    assert check_certificate(cert, g, vs) >= 1


def test_checker_rejects_tampered_certificates() -> None:
    g, vs, cert = _cert()
    rules = {nd["rule"] for nd in _nodes(cert["tree"])}
    assert "split" in rules or "monotone" in rules
    tampered = 0
    # 1. every node replaced by a bare enclosure claim: at least one such forgery must be caught
    for i, _ in enumerate(list(_nodes(cert["tree"]))):
        c = copy.deepcopy(cert)
        node = list(_nodes(c["tree"]))[i]
        if node["rule"] == "enclosure":
            continue
        node.clear()
        node["rule"] = "enclosure"
        with pytest.raises(CertificateError):
            check_certificate(c, g, vs)
        tampered += 1
    assert tampered >= 1
    # 2. the certificate of log x <= x - 1 does not prove the shifted claim log x <= x - 1 - 1e-12
    with pytest.raises(CertificateError):
        check_certificate(cert, g - sp.Rational(1, 10 ** 12), vs)
    # 3. nor the claim on a wider domain, nor the strict claim
    with pytest.raises(CertificateError):
        check_certificate(cert, g, vs, strict=True)
    # 4. a split point moved outside its box, an unknown rule, a missing child
    c = copy.deepcopy(cert)
    for nd in _nodes(c["tree"]):
        if nd["rule"] == "split":
            nd["at"] = "1000000"
            break
    else:
        nd = None
    if nd is not None:
        with pytest.raises(CertificateError):
            check_certificate(c, g, vs)
    c = copy.deepcopy(cert)
    c["tree"] = {"rule": "trust-me"}
    with pytest.raises(CertificateError):
        check_certificate(c, g, vs)


def test_monotone_side_flip_is_caught() -> None:
    """A monotone step that reduces to the wrong face is rejected."""
    g = sp.exp(x) - 1 - x
    vs = [Var(x, F(0), F(2))]
    cert = {"format": "boundcheck-bnb-1", "strict": False,
            "tree": {"rule": "monotone", "var": "x", "side": "hi", "strict_deriv": False,
                     "deriv": {"rule": "enclosure"}, "face": {"rule": "enclosure"}}}
    with pytest.raises(CertificateError):
        check_certificate(cert, g, vs)
    cert["tree"]["side"] = "lo"
    cert["tree"]["face"] = {"rule": "zero"}
    assert check_certificate(cert, g, vs) == 3


def test_budget_gives_unknown_not_an_answer() -> None:
    g = x + y - 2 * sp.sqrt(x * y)  # tight on a whole diagonal: no finite box cover
    bb = BranchAndBound(g, [Var(x, F(0), F(3)), Var(y, F(0), F(3))], max_nodes=200)
    assert bb.run().status == "unknown"


def test_unbounded_side_mapped_by_reciprocal_and_its_certificate_checks() -> None:
    """log(1 + 1/n) < 1/n for n >= 1 needs the tail n -> oo: x = 1/t turns it into log(1 + t) < t on (0, 1]."""
    from boundcheck.prove.calculus import Box, Bound

    box = Box({n: Bound(sp.Integer(1))})
    g = 1 / n - sp.log(1 + 1 / n)
    r = bnb.prove_goal(g, strict=True, box=box, symbols=[n], hypotheses=[], timeout=6.0)
    assert r.status == "proved", r.reason
    vs = bnb.variables_of(box, [n])
    assert bnb.check_goal_certificate(json.loads(json.dumps(r.certificate)), g, vs, strict=True) >= 1
    # the same certificate does not prove a shifted claim
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(r.certificate, g - sp.Rational(1, 10 ** 9), vs, strict=True)
    # a tail claim that is false far out is not proved: 1/n - 1/n**2 - 1e-6 > 0 fails for large n
    g2 = 1 / n - 1 / n ** 2 - sp.Rational(1, 10 ** 6)
    assert bnb.prove_goal(g2, strict=True, box=box, symbols=[n], hypotheses=[], timeout=3.0).status != "proved"


def test_case_split_certificate_with_a_dropped_case_is_rejected() -> None:
    from boundcheck.prove.calculus import Box, Bound

    box = Box({x: Bound(sp.Integer(0)), y: Bound(sp.Integer(0))})
    hyp = sp.Eq(y ** 2, 1 + x)
    r = bnb.prove_goal(1 + x / 2 - y, strict=False, box=box, symbols=[x, y], hypotheses=[hyp], timeout=4.0)
    assert r.status == "proved"
    vs = bnb.variables_of(box, [x, y])
    assert bnb.check_goal_certificate(r.certificate, 1 + x / 2 - y, vs, [hyp]) >= 1
    bad = copy.deepcopy(r.certificate)
    bad["cases"] = []
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(bad, 1 + x / 2 - y, vs, [hyp])


def test_report_folder_recheck_replays_bnb_and_rejects_a_tampered_certificate(tmp_path) -> None:
    """check writes the bnb certificate into check.json; recheck replays it, and a forged split is caught."""
    from boundcheck.cli import main
    from boundcheck.recheck import recheck

    spec = tmp_path / "t.toml"
    spec.write_text('name = "tangent"\n[symbols]\nx = { kind = "real", min_open = 0 }\n'
                    '[[claims]]\nid = "log-tangent"\nkind = "le"\nlhs = "log(x)"\nrhs = "x - 1"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["check", str(spec), "--out", str(out), "--no-pdf"]) == 0
    items = recheck(out, spec).items
    assert [(i.claim, i.status) for i in items] == [("log-tangent", "ok")], items
    data = json.loads((out / "check.json").read_text(encoding="utf-8"))
    text = json.dumps(data)
    assert '\\"rule\\": \\"split\\"' in text or '\\"rule\\": \\"monotone\\"' in text
    forged = text.replace('\\"rule\\": \\"split\\"', '\\"rule\\": \\"enclosure\\"', 1).replace(
        '\\"rule\\": \\"monotone\\"', '\\"rule\\": \\"enclosure\\"', 1)
    (out / "check.json").write_text(forged, encoding="utf-8")
    items = recheck(out, spec).items
    assert [i.status for i in items] == ["failed"], items


def test_eq_odd_root_with_an_unbounded_auxiliary_symbol() -> None:
    """y**3 = x with x in [1, 8] and y of any sign: y is the real cube root, so y <= x holds and y >= 3/2 not."""
    from boundcheck.prove.calculus import Box, Bound

    box = Box({x: Bound(sp.Integer(1), sp.Integer(8)), y: Bound()})
    hyp = sp.Eq(y ** 3, x)
    r = bnb.prove_goal(x - y, strict=False, box=box, symbols=[x, y], hypotheses=[hyp], timeout=4.0)
    assert r.status == "proved", r.reason
    assert bnb.recheck(r.certificate, x - y, strict=False, box=box, symbols=[x, y], hypotheses=[hyp]) >= 1
    assert bnb.prove_goal(y - sp.Rational(3, 2), strict=False, box=box, symbols=[x, y], hypotheses=[hyp],
                          timeout=2.0).status != "proved"


def test_unbounded_real_domain_is_not_checked_at_integers_only() -> None:
    """(x-2)(x-3) >= 0 on x >= 1 (real) is false at 5/2 though true at every integer; the compactification of
    [1, oo) (t = 1/x in (0, 1]) must keep t real."""
    assert prove_box((x - 2) * (x - 3), [Var(x, F(1), INF, integer=False)], timeout=2.0).status != "proved"
    assert prove_box((x + 2) * (x + 3), [Var(x, -INF, F(-1), integer=False)], timeout=2.0).status != "proved"
    for lo, hi in ((F(1), INF), (-INF, F(-1)), (-INF, INF)):
        cases = bnb.tail_cases((x - 2) * (x - 3), [Var(x, lo, hi, integer=False)], [])
        new = [v for _, vs, _ in cases for v in vs if v.sym != x]
        assert new and all(not v.integer for v in new), (lo, hi, new)


def test_open_ends_of_an_integer_domain() -> None:
    """n integer in (5/2, 10]: n = 3 is in the domain (a claim false there is not proved); n in (2, 10]: 2 is
    not (a claim false only at 2 is proved)."""
    at3 = (n - 3) ** 2 - sp.Rational(1, 4)
    assert prove_box(at3, [Var(n, F(5, 2), F(10), lo_open=True, integer=True)], timeout=2.0).status != "proved"
    at2 = (n - 2) ** 2 - sp.Rational(1, 4)
    assert _proved(at2, [Var(n, F(2), F(10), lo_open=True, integer=True)]).status == "proved"
    assert _proved(at2, [Var(n, F(-5), F(2), hi_open=True, integer=True)]).status == "proved"
    assert prove_box(at3, [Var(n, F(-5), F(7, 2), hi_open=True, integer=True)], timeout=2.0).status != "proved"
