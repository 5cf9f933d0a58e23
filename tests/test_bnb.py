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


# ---------------------------------------------------------------------------------------------- 0 * oo groups
GROUPS = [
    (x * sp.log(x) ** 2, F(0), F(1, 10 ** 6)),
    (x * sp.log(x) ** 2, F(0), F(3)),
    (x ** sp.Rational(1, 3) * sp.log(x), F(0), F(1)),
    (sp.log(x) ** 3 / x ** 2, F(1, 10), F(50)),
    (x * sp.exp(-x), F(0), INF),
    (x ** 3 * sp.exp(1 - x / 2), F(1, 3), INF),
    (sp.exp(-1 / x) / x ** 2, F(0), F(2)),
    (x ** 2 * sp.exp(3 * x / 7), -INF, F(1)),
    (x * sp.exp(x) / (x - 5), -INF, F(4)),
]


@pytest.mark.parametrize("e,lo,hi", GROUPS, ids=[str(t[0]) + f" on {t[1]}..{t[2]}" for t in GROUPS])
def test_zero_times_infinity_groups_enclose_every_value(e, lo, hi) -> None:
    """u**k log(u)**n and u**k exp(c u) products get a finite range from their breakpoints, in both the search's
    evaluator (arb) and the checker's (mpmath iv), and the range contains the function's values (200 points,
    log-spaced towards an infinite end), so a 0 * oo product is no longer the whole line."""
    import mpmath

    from boundcheck.prove import _arbiv as A

    assert A.mul_groups(e.args)
    fn = A.compile_expr(e)
    alo = -A.INF if lo == -INF else A.from_rational(lo)[0]
    ahi = A.INF if hi == INF else A.from_rational(hi)[1]
    (a, b), _ = fn({x: (alo, ahi)})
    c, _ = bnb._iv_eval(e, {x: (lo, hi, False, False)})
    assert not A.is_inf(a) or not A.is_inf(b)
    f = sp.lambdify(x, e, "mpmath")
    flo = float(lo) if lo != -INF else -400.0
    fhi = float(hi) if hi != INF else 400.0
    for i in range(1, 200):
        t = flo + (fhi - flo) * (i / 200) ** 3 if lo != -INF else fhi - (fhi - flo) * (i / 200) ** 3
        if t == 5:
            continue
        v = f(mpmath.mpf(t))
        assert (A.is_inf(a) or float(a) <= v + 1e-12) and (A.is_inf(b) or v - 1e-12 <= float(b)), (t, v, a, b)
        assert c.a <= v + 1e-12 and v - 1e-12 <= c.b, (t, v, c)


GROUP_CLAIMS = [
    # (name, g >= 0 claimed, domain, strict, the false sibling)
    ("x log(x)**2 <= (x-1)**2 on x > 0 (tight at 1, 0 * oo at 0)", (x - 1) ** 2 - x * sp.log(x) ** 2,
     [Var(x, F(0), INF, True)], False, (x - 1) ** 2 - x * sp.log(x) ** 2 - sp.Rational(1, 10 ** 6)),
    ("x log x > -1/2 on (0, 1] (min -1/e)", x * sp.log(x) + sp.Rational(1, 2), [Var(x, F(0), F(1), True)], True,
     x * sp.log(x) + sp.Rational(9, 25)),
    ("x exp(-x) <= 1/e on x >= 0", sp.exp(-1) - x * sp.exp(-x), [Var(x, F(0), INF)], False,
     sp.exp(-1) - x * sp.exp(-x) - sp.Rational(1, 10 ** 8)),
]


@pytest.mark.parametrize("name,g,vs,strict,sibling", GROUP_CLAIMS, ids=[t[0] for t in GROUP_CLAIMS])
def test_zero_times_infinity_claims_proved_and_siblings_not(name, g, vs, strict, sibling) -> None:
    r = _proved(g, vs, strict=strict, timeout=6.0)
    assert r.status == "proved", (name, r.reason)
    assert prove_box(sibling, vs, strict=strict, timeout=2.0).status != "proved", name
    # a certificate of the claim does not pass for the false sibling
    with pytest.raises(CertificateError):
        check_certificate(r.certificate, sibling, vs, strict=strict)


# ---------------------------------------------------------------------------------------------- convex in one symbol
def test_claim_tight_along_a_curve_by_partial_minimisation() -> None:
    """x y <= x log x + exp(y - 1) (Fenchel-Young) is tight along y = 1 + log x: convex in y, the minimum over y
    is h(x) = 0. Proved through the convex case split; the certificate re-checks; the rule is recomputed by the
    checker, so a certificate naming a symbol the rule does not apply to, or a dropped case, is rejected."""
    g = x * sp.log(x) + sp.exp(y - 1) - x * y
    vs = [Var(x, F(0), INF, True), Var(y)]
    r = bnb.prove_goal_cases(bnb.convex_case(g, vs, [], "y"), "convex", strict=False, timeout=5.0)
    assert r.status == "proved", r.reason
    cert = json.loads(json.dumps(r.certificate))
    cert["var"] = "y"
    assert bnb.check_goal_certificate(cert, g, vs) >= 1
    bad = copy.deepcopy(cert)
    bad["var"] = "z"
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(bad, g, vs)
    dropped = copy.deepcopy(cert)
    dropped["cases"] = []
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(dropped, g, vs)
    # the same certificate does not prove a claim a hair stronger
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(cert, g - sp.Rational(1, 10 ** 6), vs)


@pytest.mark.parametrize("name,g,vs", [
    ("Fenchel-Young a hair too strong", x * sp.log(x) + sp.exp(y - 1) - x * y - sp.Rational(1, 10 ** 6),
     [Var(x, F(0), INF, True), Var(y)]),
    ("concave in y (the reversed claim)", x * y - sp.exp(y - 1) - x * sp.log(x), [Var(x, F(0), INF, True), Var(y)]),
    ("the minimiser leaves y's interval: x*y <= exp(x) + y*(log y - 1) with y in (0, 1) shifted by 1/10",
     sp.exp(x) + y * (sp.log(y) - 1) - x * y - sp.Rational(1, 10), [Var(x, -INF, INF), Var(y, F(0), F(1), True, True)]),
])
def test_partial_minimisation_never_proves_false_claims(name, g, vs) -> None:
    for v in vs:
        cases = bnb.convex_case(g, vs, [], v.sym.name)
        if cases is not None:
            assert bnb.prove_goal_cases(cases, "convex", strict=False, timeout=2.0).status != "proved", name
    r = bnb.prove_goal(g, strict=False, box=_box_of(vs), symbols=[v.sym for v in vs], hypotheses=[], timeout=3.0)
    assert r.status != "proved", name


def _box_of(vs):
    from boundcheck.prove.calculus import Bound, Box

    return Box({v.sym: Bound(None if v.lo == -INF else sp.Rational(v.lo.numerator, v.lo.denominator),
                             None if v.hi == INF else sp.Rational(v.hi.numerator, v.hi.denominator),
                             v.lo_open, v.hi_open) for v in vs})


# ---------------------------------------------------------------------------------------------- removable singularity
def test_removable_singularity_at_an_excluded_point_by_clearing_the_denominator() -> None:
    """log(x)/(x - 1) <= 1/sqrt(x) for x != 1: interval arithmetic cannot enclose the quotient near 1, its
    numerator and denominator it can; each side of 1 is proved with the denominator's sign. A claim a hair
    stronger (false near 1) is not proved, and the certificate does not pass for it."""
    g = 1 / sp.sqrt(x) - sp.log(x) / (x - 1)
    vs = [Var(x, F(1, 1000), F(1000), True, True)]
    hyps = [sp.Ne(x, 1)]
    cases = bnb.ne_cases(g, vs, hyps)
    assert cases is not None and len(cases) == 4
    r = bnb.prove_goal_cases(cases, "ne", strict=False, timeout=8.0)
    assert r.status == "proved", r.reason
    cert = json.loads(json.dumps(r.certificate))
    assert bnb.check_goal_certificate(cert, g, vs, hyps) >= 4
    stronger = g - sp.Rational(1, 10 ** 6)
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(cert, stronger, vs, hyps)
    r2 = bnb.prove_goal_cases(bnb.ne_cases(stronger, vs, hyps), "ne", strict=False, timeout=3.0)
    assert r2.status != "proved"
    # without the hypothesis there is no split (the claim would be undefined at 1)
    assert bnb.ne_cases(g, vs, []) is None


# ---------------------------------------------------------------------------------------------- sign forms
def _forms_used(node) -> list:
    if not isinstance(node, dict):
        return []
    out = [node["form"]] if "form" in node else []
    for k in ("child", "deriv", "face"):
        out += _forms_used(node.get(k))
    for c in node.get("children") or []:
        out += _forms_used(c)
    return out


def test_exponential_tail_decided_through_a_positive_exponential_factor() -> None:
    """x e^(x/2) < e^x - 1 on x > 0: on the tail both sides diverge; times e^(-x) (positive everywhere) the
    claim reads 1 - e^(-x) - x e^(-x/2) > 0, whose x e^(-x/2) group is bounded. The certificate names the form
    by index; the checker recomputes the forms, and rejects an unknown index or a form used for a derivative."""
    g = sp.exp(x) - 1 - x * sp.exp(x / 2)
    vs = [Var(x, F(0), INF, True)]
    r = _proved(g, vs, strict=True, timeout=6.0)
    assert r.status == "proved", r.reason
    assert _forms_used(r.certificate["tree"])
    bad = copy.deepcopy(r.certificate)

    def retarget(node, k):
        if isinstance(node, dict):
            if "form" in node:
                node["form"] = k
            for key in ("child", "deriv", "face"):
                retarget(node.get(key), k)
            for c in node.get("children") or []:
                retarget(c, k)
    retarget(bad["tree"], 7)
    with pytest.raises(CertificateError):
        check_certificate(bad, g, vs, strict=True)
    # a claim a hair too strong near 0 (where the gap is x**3/24) is not proved, nor passed by the certificate
    sibling = g - sp.Rational(1, 10 ** 9)
    with pytest.raises(CertificateError):
        check_certificate(r.certificate, sibling, vs, strict=True)
    assert prove_box(sibling, vs, strict=True, timeout=2.0).status != "proved"


def test_polynomial_against_exponential_on_a_long_interval() -> None:
    """(1 + x/6)**6 <= e^x on (-38/5, oo) (tight at 0, exponential tail)."""
    g = sp.exp(x) - (1 + x / 6) ** 6
    vs = [Var(x, F(-38, 5), INF, True)]
    r = _proved(g, vs, timeout=8.0)
    assert r.status == "proved", r.reason
    assert prove_box(sp.exp(x) - (1 + x / 7) ** 7 - sp.Rational(1, 10 ** 6), vs, timeout=2.0).status != "proved"


def test_denominator_vanishing_at_an_open_end_is_cleared() -> None:
    """(t + 1)/2 > (t - 1)/log(t) on t > 1 (the logarithmic mean below the arithmetic one): log t -> 0 at the
    open end 1 where the quotient has a removable singularity; cleared, log(t) > 0 and
    (t + 1) log(t) - 2 (t - 1) > 0 are tight at the open end and proved. A claim a hair stronger is not."""
    t = sp.Symbol("t", real=True)
    g = (t + 1) / 2 - (t - 1) / sp.log(t)
    vs = [Var(t, F(1), F(50), True, False)]
    assert bnb.ne_cases(g, vs, [], open_ends=False) is None
    cases = bnb.ne_cases(g, vs, [])
    assert cases is not None and len(cases) == 2
    r = bnb.prove_goal_cases(cases, "ne", strict=True, timeout=8.0)
    assert r.status == "proved", r.reason
    cert = json.loads(json.dumps(r.certificate))
    assert bnb.check_goal_certificate(cert, g, vs, strict=True) >= 2
    stronger = g - sp.Rational(1, 10 ** 6)
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(cert, stronger, vs, strict=True)
    assert bnb.prove_goal_cases(bnb.ne_cases(stronger, vs, []), "ne", strict=True, timeout=2.0).status != "proved"


def test_face_identically_zero() -> None:
    """y <= log(x + e^y) on x > 0: increasing in x, and on the face x = 0 the claim is log(e^y) - y, identically
    0 (interval arithmetic alone sees [-w, w] there). A claim a hair stronger is not proved, and a 'facezero'
    node on a box with no fixed coordinate is rejected."""
    g = sp.log(x + sp.exp(y)) - y
    vs = [Var(x, F(0), INF, True), Var(y, F(-10), F(2), True, True)]
    r = _proved(g, vs, timeout=6.0)
    assert r.status == "proved", r.reason
    assert "facezero" in json.dumps(r.certificate)
    assert prove_box(g - sp.Rational(1, 10 ** 9), vs, timeout=2.0).status != "proved"
    forged = dict(r.certificate, tree={"rule": "facezero"})
    with pytest.raises(CertificateError):
        check_certificate(forged, g, vs)


def test_eq_elimination_in_reverse_and_folded_polynomial_hypotheses() -> None:
    """log(1 + x) <= x/y with y**2 = 1 + x: eliminating x = y**2 - 1 makes the claim rational in y, and the
    bound x >= 0, now y**2 - 1 >= 0, is folded into y >= 1 (a box touching 1 from below could never be excluded
    by intervals). The checker recomputes the reversed split; without the flag the certificate does not match."""
    g = x / y - sp.log(1 + x)
    vs = [Var(x, F(0), INF), Var(y, F(0), INF)]
    hyps = [sp.Eq(y ** 2, 1 + x)]
    cases = bnb.eliminate_equalities(g, vs, hyps, reverse=True)
    assert len(cases) == 1 and not cases[0][2] and cases[0][1][0].lo == 1
    r = bnb.prove_goal_cases(cases, "eq", strict=False, timeout=6.0)
    assert r.status == "proved", r.reason
    cert = json.loads(json.dumps(r.certificate))
    cert["reverse"] = True
    assert bnb.check_goal_certificate(cert, g, vs, hyps) >= 1
    del cert["reverse"]
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(cert, g, vs, hyps)
    # a false sibling (x/y + 1/100 <= log(1 + x) somewhere? no: the claim shifted the other way) is not proved
    sib = g - sp.Rational(1, 10 ** 6)
    assert bnb.prove_goal_cases(bnb.eliminate_equalities(sib, vs, hyps, reverse=True), "eq", strict=False,
                                timeout=2.0).status != "proved"


def test_log_of_a_power_groups_with_the_base() -> None:
    """y log(y**3) at 0+ is a 0 * oo group with u = y**3, k = 1/3 (used only where y >= 0)."""
    from boundcheck.prove import _arbiv as A

    e = y * sp.log(y ** 3)
    (grp,) = A.mul_groups(e.args)
    assert grp.check_nonneg == y
    (lo, hi), _ = A.compile_expr(e)({y: (A.from_rational(0)[0], A.from_rational(F(1, 100))[1])})
    assert -0.1382 < float(lo) < -0.1381 and float(hi) == 0
    # on a box reaching below 0 the group is not used (the identity needs y >= 0): no finite lower end
    (lo2, _), _ = A.compile_expr(e)({y: (A.from_rational(-1)[0], A.from_rational(F(1, 100))[1])})
    assert A.is_inf(lo2)


def test_domain_sign_form_through_a_power_of_a_nonzero_symbol() -> None:
    """exp(-1/x**2) < 5 x**8 for x != 0: both sides vanish at 0; times x**(-8) (positive where x != 0) the
    claim is x**(-8) exp(-x**(-2)) < 5, a bounded group (max 256/e**4 < 4.7). That form may decide only boxes of
    the domain: the checker rejects it on a face (and without the hypothesis there is no such form)."""
    g = 5 * x ** 8 - sp.exp(-1 / x ** 2)
    vs = [Var(x, -INF, INF)]
    hyps = [sp.Ne(x, 0)]
    assert bnb.domain_sign_forms(g, vs, []) == []
    r = _proved(g, vs, hyps, strict=True, timeout=6.0)
    assert r.status == "proved", r.reason
    assert "dform" in json.dumps(r.certificate)
    # 4.6 x**8 is too small near |x| = 1/sqrt(2): not proved, and the certificate does not pass for it
    weaker = sp.Rational(46, 10) * x ** 8 - sp.exp(-1 / x ** 2)
    assert prove_box(weaker, vs, hyps, strict=True, timeout=2.0).status != "proved"
    with pytest.raises(CertificateError):
        check_certificate(r.certificate, weaker, vs, hyps, strict=True)
    forged = {"format": "boundcheck-bnb-1", "strict": True, "tree": {
        "rule": "monotone", "var": "x", "side": "lo", "strict_deriv": False, "deriv": {"rule": "enclosure"},
        "face": {"rule": "enclosure", "dform": 0}}}
    with pytest.raises(CertificateError):
        check_certificate(forged, g, [Var(x, F(1), F(2))], hyps, strict=True)


def test_roots_of_one_linear_radicand_rationalised() -> None:
    """log(1 + x) <= x/sqrt(1 + x) on x >= 0 (tight at 0, the tail a difference of diverging terms): with
    x = y**2 - 1, y >= 1, it reads log(y**2) <= (y**2 - 1)/y, decided by intervals. The checker recomputes the
    substitution; a claim a hair stronger is not proved and the certificate does not pass for it."""
    g = x / sp.sqrt(1 + x) - sp.log(1 + x)
    vs = [Var(x, F(0), INF)]
    cases = bnb.root_case(g, vs, [])
    assert cases is not None and cases[0][1][0].lo == 1 and not cases[0][2]
    r = bnb.prove_goal_cases(cases, "root", strict=False, timeout=6.0)
    assert r.status == "proved", r.reason
    assert bnb.check_goal_certificate(json.loads(json.dumps(r.certificate)), g, vs) >= 1
    stronger = g - sp.Rational(1, 10 ** 6)
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(r.certificate, stronger, vs)
    assert bnb.prove_goal_cases(bnb.root_case(stronger, vs, []), "root", strict=False,
                                timeout=2.0).status != "proved"
    # two radicands, or a radicand negative somewhere on the interval: no substitution
    assert bnb.root_case(sp.sqrt(1 + x) - sp.sqrt(x), vs, []) is None
    assert bnb.root_case(sp.sqrt(1 + x), [Var(x, F(-2), F(1))], []) is None


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


def test_two_sided_claim_compared_through_logarithms() -> None:
    """(1 + x/15)**15 <= e^x on (-38/5, oo): as x - log((1 + x/15)**15) >= 0 (both sides proved positive first)
    the exponential tail and the tangency at 0 are decided. The checker recomputes the cases. (1 + x/15)**16 <= e^x
    is false just right of 0 (slope 16/15 > 1): not proved, and the certificate does not pass for it."""
    g = sp.exp(x) - (1 + x / 15) ** 15
    vs = [Var(x, F(-38, 5), INF, True)]
    cases = bnb.log_cases(g, vs, [])
    assert cases is not None and len(cases) == 3
    r = bnb.prove_goal_cases(cases, "log", strict=False, timeout=8.0)
    assert r.status == "proved", r.reason
    assert bnb.check_goal_certificate(json.loads(json.dumps(r.certificate)), g, vs) >= 3
    false = sp.exp(x) - (1 + x / 15) ** 16
    assert bnb.prove_goal_cases(bnb.log_cases(false, vs, []), "log", strict=False, timeout=2.0).status != "proved"
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(r.certificate, false, vs)
    # a sum of three terms is not split
    assert bnb.log_cases(g + 1, vs, []) is None


def test_monotonicity_stated_on_a_pair() -> None:
    """log(y)/(y - 1)**2 < 1/10000 + log(x)/(x - 1)**2 for 1 < x < y: F = log(z)/(z - 1)**2 is decreasing on
    (1, oo) (its derivative, cleared of the denominator vanishing at the open end 1, is proved <= 0), so
    F(y) <= F(x). With the hypothesis reversed (y < x) the same claim is false and not proved; a constant that
    makes it false (-1/10000 with x close to y) is not proved either; the checker recomputes the cases."""
    g = sp.Rational(1, 10000) + sp.log(x) / (x - 1) ** 2 - sp.log(y) / (y - 1) ** 2
    vs = [Var(x, F(1), INF, True), Var(y)]
    hyps = [sp.StrictLessThan(x, y)]
    r = bnb.prove_goal_cases(bnb.pair_case(g, vs, hyps), "pair", strict=True, timeout=8.0)
    assert r.status == "proved", r.reason
    assert bnb.check_goal_certificate(json.loads(json.dumps(r.certificate)), g, vs, hyps, strict=True) >= 2
    rev = [sp.StrictLessThan(y, x)]
    assert bnb.pair_case(g, vs, rev) is None or bnb.prove_goal_cases(
        bnb.pair_case(g, vs, rev), "pair", strict=True, timeout=2.0).status != "proved"
    neg = g - sp.Rational(2, 10000)
    assert bnb.prove_goal_cases(bnb.pair_case(neg, vs, hyps), "pair", strict=True, timeout=2.0).status != "proved"
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(r.certificate, neg, vs, hyps, strict=True)


@pytest.mark.parametrize("g, v", [(x, Var(x, F(0), F(1), lo_open=True)), (1 - x, Var(x, F(0), F(1), hi_open=True)),
                                  (x ** 2, Var(x, F(0), F(1), lo_open=True)),
                                  (x * sp.exp(x), Var(x, F(0), F(2), lo_open=True))],
                         ids=["x", "1-x", "x**2", "x*exp(x)"])
def test_no_violation_at_an_excluded_end(g, v) -> None:
    """g > 0 on a box whose open end is g's zero: true, so never 'violated' (the local search's minimiser
    sits on the excluded end, which is no counterexample)."""
    r = prove_box(g, [v], strict=True, timeout=3.0)
    assert r.status != "violated", (r.counter, r.reason)


@pytest.mark.parametrize("g, v", [(x - sp.Rational(1, 10 ** 8), Var(x, F(0), F(1), lo_open=True)),
                                  (-x - sp.Rational(1, 10 ** 8), Var(x, F(-1), F(0), hi_open=True)),
                                  (x - sp.Rational(1, 10 ** 14), Var(x, F(0), F(1), lo_open=True)),
                                  (x ** 2 - sp.Rational(1, 10 ** 30), Var(x, F(0), F(1), lo_open=True))],
                         ids=["x-1e-8", "-x-1e-8", "x-1e-14", "x**2-1e-30"])
def test_a_counterexample_lies_in_the_domain(g, v) -> None:
    """g >= 0 fails only near an excluded end: never proved, and a counterexample is a point of the domain
    (not the end itself, where the local search's minimiser is clipped to)."""
    r = prove_box(g, [v], timeout=3.0)
    assert r.status != "proved"
    if r.status != "violated":
        return
    c = r.counter[v.sym.name]
    assert v.lo < c < v.hi, c
    assert g.subs(v.sym, sp.Rational(c.numerator, c.denominator)) < 0


def test_a_point_box_beyond_the_working_precision_is_undecided() -> None:
    """exp(1) against a rational 1e-40 from it: 80-bit balls cannot tell the sign and a point cannot be
    split, so the answer is 'unknown' (not a crash, not a verdict)."""
    c = sp.Rational(sp.floor(sp.E * 10 ** 40), 10 ** 40)
    for g in (sp.exp(x) - c, c - sp.exp(x)):
        r = prove_box(g, [Var(x, F(1), F(1))], timeout=3.0)
        assert r.status == "unknown", (g, r.status, r.reason)


@pytest.mark.parametrize("lo, hi, lo_open, hi_open", [
    (F(1), INF, False, False), (F(1, 2), INF, True, False), (F(-3), INF, False, False), (-INF, F(2), False, True),
    (-INF, F(-5), False, False), (-INF, F(-1, 2), False, False), (-INF, INF, False, False), (F(0), INF, True, False)])
def test_tail_cases_cover_exactly_the_domain(lo, hi, lo_open, hi_open) -> None:
    """The bounded pieces that replace an unbounded side (x = 1/t, x = -1/t, and a middle interval) cover the
    domain of x and stay inside it: each maps back into the domain, and sampled domain points are covered."""
    v = Var(x, lo, hi, lo_open, hi_open)
    cases = bnb.tail_cases(x, [v], [])
    # only a half-line ending left of the middle piece [-1, 1] is not handled
    assert (cases is None) == (not isinstance(hi, float) and hi < -1), cases
    if cases is None:
        return
    images = []  # (sympy expression of x in the piece's variable, the piece)
    for g, vs, _ in cases:
        (w,) = vs
        assert w.lo < w.hi or (w.lo == w.hi and not (w.lo_open or w.hi_open)), w
        images.append((g, w))
        for end, is_open in ((w.lo, w.lo_open), (w.hi, w.hi_open)):
            if isinstance(end, float) or is_open:
                continue
            val = g.subs(w.sym, sp.Rational(end.numerator, end.denominator))
            if val.is_finite:  # x = 1/t at t = 0 is the point at infinity, not attained
                assert (isinstance(lo, float) or val > lo or (val == lo and not lo_open)) and \
                    (isinstance(hi, float) or val < hi or (val == hi and not hi_open)), (g, w, val)
    samples = [F(k, 4) for k in range(-60, 61)] + [F(10 ** 6), F(-10 ** 6)]
    for p in samples:
        inside = (isinstance(lo, float) or p > lo or (p == lo and not lo_open)) and \
            (isinstance(hi, float) or p < hi or (p == hi and not hi_open))
        if not inside:
            continue
        covered = False
        for g, w in images:
            sols = sp.solve(sp.Eq(g, sp.Rational(p.numerator, p.denominator)), w.sym)
            for s in sols:
                s = F(int(s.p), int(s.q)) if s.is_Rational else None
                if s is not None and (isinstance(w.lo, float) or s > w.lo or (s == w.lo and not w.lo_open)) and \
                        (isinstance(w.hi, float) or s < w.hi or (s == w.hi and not w.hi_open)):
                    covered = True
        assert covered, (p, cases)


def test_homogeneous_claims_with_roots_reduce_to_one_variable() -> None:
    """x + y - sqrt(x**2 + y**2) on the quarter plane is homogeneous of degree 1 (sqrt(y**2) = y for y > 0), and so
    are the hypotheses:
    it reduces to t = x/y, with the value g(t, 1)."""
    for g in (x + y - sp.sqrt(x ** 2 + y ** 2), sp.sqrt(x * y) - 2 * x * y / (x + y), (x - y) ** 2):
        cases = bnb.homogeneous_case(g, [Var(y, F(0), INF), Var(x, F(0), INF)], [])
        assert cases is not None, g
        ((g1, (tv,), _),) = cases
        assert sp.simplify(g1 - g.subs({x: tv.sym, y: 1})) == 0 and tv.lo == 0 and tv.hi == INF
    # a homogeneous hypothesis x <= 2 y becomes the bound t <= 2 of the real variable t
    ((g1, (tv,), rest),) = bnb.homogeneous_case((x - y) ** 2, [Var(y, F(0), INF), Var(x, F(0), INF)], [x <= 2 * y])
    assert tv.sym.is_real and tv.lo == 0 and tv.hi == 2 and not rest


def test_a_linear_equality_hypothesis_is_eliminated() -> None:
    """Eq(y, 2x) with x in [0, 1], y in [-5, 5]: x = y/2 and y in [0, 2] (the bounds of x carried over), one
    variable left; Eq(3y, x + 1) likewise gives y in [1/3, 2/3]."""
    (g1, (v,), rest), = bnb.eliminate_equalities(y - x, [Var(x, F(0), F(1)), Var(y, F(-5), F(5))], [sp.Eq(y, 2 * x)])
    assert v.sym == y and (v.lo, v.hi) == (0, 2) and not rest and sp.simplify(g1 - y / 2) == 0
    (g1, (v,), rest), = bnb.eliminate_equalities(y - x, [Var(x, F(0), F(1)), Var(y, F(-5), F(5))],
                                                 [sp.Eq(3 * y, x + 1)])
    assert v.sym == y and (v.lo, v.hi) == (F(1, 3), F(2, 3)) and not rest and sp.simplify(g1 - (1 - 2 * y)) == 0


def test_the_domain_box_of_a_claim_keeps_both_ends() -> None:
    """variables_of turns the calculus box into Vars: exact ends kept with their openness, irrational ends
    widened outward to rationals and closed, a missing end infinite, integrality carried."""
    from boundcheck.prove.calculus import Bound, Box

    box = Box({x: Bound(sp.Integer(0), sp.Integer(2), True, False), y: Bound(sp.sqrt(2), sp.pi),
               n: Bound(sp.Integer(1), None, integer=True)})
    vx, vy, vn = bnb.variables_of(box, [x, y, n])
    assert (vx.lo, vx.hi, vx.lo_open, vx.hi_open, vx.integer) == (0, 2, True, False, False)
    assert vy.lo < sp.sqrt(2) and sp.pi < vy.hi and vy.hi - vy.lo < 2 and not (vy.lo_open or vy.hi_open)
    assert (vn.lo, vn.hi, vn.integer) == (1, INF, True)


def test_reciprocal_then_root_substitution() -> None:
    """log(1 + 1/x) <= 1/sqrt(x**2 + x) on x > 0: with x = 1/t (t > 0) and the radicand over one denominator it
    is log(1 + t) <= t/sqrt(1 + t), then rational in y = sqrt(1 + t). The checker recomputes both steps; the
    claim a hair stronger is not proved."""
    g = 1 / sp.sqrt(x ** 2 + x) - sp.log(1 + 1 / x)
    vs = [Var(x, F(0), INF, True)]
    cases = bnb.recip_case(g, vs, [])
    assert cases is not None
    r = bnb.prove_goal_cases(cases, "recip", strict=False, timeout=6.0)
    assert r.status == "proved", r.reason
    assert bnb.check_goal_certificate(json.loads(json.dumps(r.certificate)), g, vs) >= 1
    stronger = g - sp.Rational(1, 10 ** 6)
    with pytest.raises(CertificateError):
        bnb.check_goal_certificate(r.certificate, stronger, vs)
    assert bnb.prove_goal_cases(bnb.recip_case(stronger, vs, []), "recip", strict=False,
                                timeout=2.0).status != "proved"
    # x's interval must be positive
    assert bnb.recip_case(g, [Var(x, F(0), INF)], []) is None


def test_group_with_a_pole_inside_the_interval_is_unbounded() -> None:
    """u**k exp(c u) with k < 0 has a pole at u = 0: over an interval containing 0 inside, neither evaluator may
    return the hull of the ends and breakpoints (exp(x)/x on [-1, 1] is unbounded both ways)."""
    from boundcheck.prove import _arbiv as A

    e = sp.exp(x) / x
    assert A.mul_groups(e.args)
    (lo, hi), _ = A.compile_expr(e)({x: (A.from_rational(-1)[0], A.from_rational(1)[1])})
    assert A.is_inf(lo) and A.is_inf(hi)
    c, _ = bnb._iv_eval(e, {x: (F(-1), F(1), False, False)})
    assert c.a == -INF and c.b == INF
    # a claim false near the pole is not proved: exp(x)/x >= -3 fails at x = -1/10
    assert prove_box(e + 3, [Var(x, F(-1), F(1))], [sp.Ne(x, 0)], timeout=2.0).status != "proved"


def _mpf(q):
    import mpmath

    return mpmath.mpf(q.numerator) / q.denominator


def _group_samples(lo, hi):
    import mpmath

    if lo == -INF and hi == INF:
        pts = [-(10 ** (i / 8)) for i in range(-40, 24)] + [10 ** (i / 8) for i in range(-40, 24)]
    elif hi == INF:
        pts = [float(lo) + 10 ** (i / 8) for i in range(-40, 24)]
    elif lo == -INF:
        pts = [float(hi) - 10 ** (i / 8) for i in range(-40, 24)]
    else:
        w = float(hi - lo)
        pts = [float(lo) + w * (i / 97) for i in range(1, 97)] + [float(lo) + w * 10 ** -i for i in range(2, 12)] + \
              [float(hi) - w * 10 ** -i for i in range(2, 12)]
    if (lo == -INF or lo < 0) and (hi == INF or hi > 0):
        pts += [s * 10 ** -i for i in range(1, 12) for s in (1, -1)]  # near a pole at 0
    return [mpmath.mpf(p) for p in pts]


_TRICKY = [(sp.exp(x) / x, F(-1), F(1)), (sp.exp(-x) / x ** 2, F(-1, 2), F(4)), (sp.exp(x / 2) / x, -INF, F(0)),
           (sp.exp(x / 2) / x, F(0), INF), (sp.exp(-x) / x ** 3, -INF, INF), (sp.log(x) / x, F(0), F(4)),
           (sp.log(x) ** 2 / x ** 2, F(0), INF), (x ** 2 * sp.exp(-1 / x), F(-3), F(1)),
           (sp.exp(-1 / x ** 2) / x ** 4, F(-3), F(1))]


@pytest.mark.parametrize("seed", list(range(80)) + [-1 - i for i in range(len(_TRICKY))])
def test_group_ranges_contain_sampled_values(seed) -> None:
    """Random u**k log(u)**n and u**k exp(c u) (k, c of both signs, integer and fractional k, u = x or x**m)
    over random intervals (open, unbounded, straddling 0): both evaluators' ranges contain the function's values
    at 200 sample points (80 digits), including near the ends and any pole."""
    import random

    import mpmath

    from boundcheck.prove import _arbiv as A

    rng = random.Random(seed)
    kind = rng.choice(["log", "exp"])
    tricky = _TRICKY[-1 - seed] if seed < 0 else None
    k = sp.Rational(rng.choice([-3, -2, -1, 1, 2, 3, 5]), rng.choice([1, 1, 2, 3]))
    if kind == "log":
        e = x ** k * sp.log(x) ** rng.choice([1, 2, 3])
    else:
        c = sp.Rational(rng.choice([-3, -1, 1, 2]), rng.choice([1, 2, 7]))
        m = rng.choice([1, 1, -1, -2, 2])
        e = x ** (k * m) * sp.exp(c * x ** m + rng.choice([0, 0, sp.Rational(1, 2)]))
    ends = [-INF, F(-3), F(-1, 2), F(0), F(1, 5), F(1), F(4), INF]
    i, j = sorted(rng.sample(range(len(ends)), 2))
    lo, hi = ends[i], ends[j]
    if tricky is not None:
        e, lo, hi = tricky
    fn = A.compile_expr(e)
    alo = -A.INF if lo == -INF else A.from_rational(lo)[0]
    ahi = A.INF if hi == INF else A.from_rational(hi)[1]
    (a, b), _ = fn({x: (alo, ahi)})
    c_iv, _ = bnb._iv_eval(e, {x: (lo, hi, False, False)})
    f = sp.lambdify(x, e, "mpmath")
    mpmath.mp.dps = 80
    try:
        for t in _group_samples(lo, hi):
            try:
                v = f(t)
            except (ZeroDivisionError, ValueError, OverflowError):
                continue
            if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
                continue
            tol = mpmath.mpf(10) ** -30 * (1 + abs(v))
            assert A.is_inf(a) or _mpf(A.to_fraction(a)) <= v + tol, (e, lo, hi, t, v, a)
            assert A.is_inf(b) or v - tol <= _mpf(A.to_fraction(b)), (e, lo, hi, t, v, b)
            assert c_iv.a <= v + tol and v - tol <= c_iv.b, (e, lo, hi, t, v, c_iv)
    finally:
        mpmath.mp.dps = 15


def test_ne_on_a_polynomial_excludes_its_rational_root() -> None:
    """Ne(y**3, 1) excludes y = 1, where log(y**3)/(y**3 - 1) has a removable singularity: the split is at 1
    (each side cleared of the denominator); without the Ne hypothesis there is no split."""
    g = 1 - sp.log(y ** 3) / (y ** 3 - 1) / 3
    vs = [Var(y, F(1, 2), F(3))]
    cases = bnb.ne_cases(g, vs, [sp.Ne(y ** 3, 1)], open_ends=False)
    assert cases is not None and len(cases) == 4
    assert {c[1][0].hi for c in cases[:2]} == {1} and {c[1][0].lo for c in cases[2:]} == {1}
    assert bnb.ne_cases(g, vs, [], open_ends=False) is None


def test_sixth_order_tangency_and_a_polynomial_tail_in_horner_form() -> None:
    """x**2 (e^x - 1)**2 - 6x (e^(2x) - 1) + 12 (e^x - 1)**2 >= 0 on x > 0 (the cleared numerator of
    exp-problem-9): it is x**6/60 + O(x**7) at 0 (derivative sub-proofs to the 5th derivative on one symbol),
    and times e^(-2x) its polynomial part x**2 - 6x + 12 is enclosed in Horner form x(x - 6) + 12 on the tail.
    With x**6/50 subtracted it is false near 0: not proved, and the certificate does not pass for it."""
    g = x ** 2 * (sp.exp(x) - 1) ** 2 - 6 * x * (sp.exp(2 * x) - 1) + 12 * (sp.exp(x) - 1) ** 2
    vs = [Var(x, F(0), INF, True)]
    r = _proved(g, vs, timeout=10.0)
    assert r.status == "proved", r.reason
    sib = g - x ** 6 / 50
    assert prove_box(sib, vs, timeout=2.0).status != "proved"
    with pytest.raises(CertificateError):
        check_certificate(r.certificate, sib, vs)
    assert any(str(f).count("x*(x - 6)") for f in bnb.sign_forms(g, vs))
