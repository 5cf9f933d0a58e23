"""Self-check of the soundness catalogue, with no prover involved.

FALSE entries: their counterexample lies in the domain, satisfies the assumptions and violates the
claim at 50 digits (limits and exponents: an independent limit computation at that parameter point,
cross-checked numerically far out). TRUE entries: random domain points (pairs for monotone claims) at
50 digits never violate them, and limits/exponents agree at random parameter points.
"""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp

import oracle
from catalogue import CATALOGUE, FALSE_ENTRIES, TRUE_ENTRIES, Entry

POINTWISE = ("le", "lt", "eq", "nonnegative", "positive")
MONOTONE = ("increasing", "decreasing", "nondecreasing", "nonincreasing")
SAMPLES = 40


def _ids(entries: tuple[Entry, ...]) -> list[str]:
    return [e.id for e in entries]


def test_catalogue_size() -> None:
    """The catalogue holds at least 70 true and 70 false claims with unique ids."""
    assert len(TRUE_ENTRIES) >= 70
    assert len(FALSE_ENTRIES) >= 70
    assert len({e.id for e in CATALOGUE}) == len(CATALOGUE)


def test_catalogue_covers_every_claim_kind() -> None:
    """Every claim kind of spec format v1 appears in both the true and the false half, where it can."""
    kinds_true = {e.kind for e in TRUE_ENTRIES}
    kinds_false = {e.kind for e in FALSE_ENTRIES}
    for kind in ("le", "lt", "eq", "positive", "increasing", "decreasing", "nondecreasing", "nonincreasing",
                 "limit", "exponent"):
        assert kind in kinds_true, kind
        assert kind in kinds_false, kind
    assert "nonnegative" in kinds_true


@pytest.mark.parametrize("entry", CATALOGUE, ids=_ids(CATALOGUE))
def test_entry_parses(entry: Entry) -> None:
    """Each entry is a valid spec with one claim of the entry's id, and carries an argument."""
    problem = oracle.build(entry.spec)
    assert [c.id for c in problem.claims] == [entry.id]
    assert len(entry.note) > 10


def _point(problem, entry: Entry, exclude: str | None = None) -> dict:
    claim = problem.claims[0]
    point = oracle.exact_point(problem, dict(entry.counterexample))
    needed = oracle.claim_symbols(claim) - ({exclude} if exclude else set())
    given = {s.name for s in point}
    assert needed <= given, f"counterexample misses {needed - given}"
    assert oracle.in_domain(problem, point), f"counterexample {entry.counterexample} outside the domain"
    return point


@pytest.mark.parametrize("entry", FALSE_ENTRIES, ids=_ids(FALSE_ENTRIES))
def test_false_entry_counterexample(entry: Entry) -> None:
    """The counterexample of each FALSE entry is in the domain and violates the claim at 50 digits."""
    problem = oracle.build(entry.spec)
    claim = problem.claims[0]
    if claim.kind in POINTWISE:
        point = _point(problem, entry)
        assert oracle.assumptions_hold(problem, claim, point) is True
        assert oracle.pointwise_violated(claim, point) is True
    elif claim.kind in MONOTONE:
        assert entry.pair is not None
        point = _point(problem, entry, exclude=claim.var)
        var = oracle.var_symbol(problem, claim)
        x1, x2 = (oracle.exact_point(problem, {claim.var: v})[var] for v in entry.pair)
        for x in (x1, x2):
            full = {**point, var: x}
            assert oracle.in_domain(problem, full)
            assert oracle.assumptions_hold(problem, claim, full) is True
        assert oracle.monotone_violated(problem, claim, point, x1, x2) is True
    elif claim.kind == "limit":
        point = _point(problem, entry, exclude=claim.var)
        var = oracle.var_symbol(problem, claim)
        assert all(oracle.relation_holds(r, point) is True for r in claim.assume if var not in r.free_symbols)
        true_limit = oracle.limit_value(claim.expr, var, claim.at, point)
        assert true_limit != claim.value.subs(point)
        far = ["10**30", "10**60"] if claim.at == sp.oo else [f"({claim.at}) + 10**(-30)", f"({claim.at}) + 10**(-60)"]
        values = oracle.numeric_tail(claim.expr, var, point, far)
        claimed = oracle.evaluate(claim.value, point, digits=120)
        assert all(abs(v - claimed) > mpmath.mpf("1e-3") for v in values)
    elif claim.kind == "exponent":
        point = _point(problem, entry, exclude=claim.var)
        var = oracle.var_symbol(problem, claim)
        assert all(oracle.relation_holds(r, point) is True for r in claim.assume if var not in r.free_symbols)
        ratio = oracle.exponent_ratio_limit(claim.expr, var, claim.value, point)
        assert ratio in (0, sp.oo), f"ratio limit {ratio}: the claim would be true here"
        values = oracle.numeric_tail(claim.expr / var ** claim.value, var, point, ["10**10", "10**80"])
        if ratio == 0:
            assert values[1] < values[0] / mpmath.mpf("1.5")
        else:
            assert values[1] > values[0] * mpmath.mpf("1.5")
    else:  # pragma: no cover
        pytest.fail(f"unknown kind {claim.kind}")


@pytest.mark.parametrize("entry", TRUE_ENTRIES, ids=_ids(TRUE_ENTRIES))
def test_true_entry_survives_sampling(entry: Entry) -> None:
    """Random domain points never violate a TRUE entry (a sanity check of the hand proof in its note)."""
    problem = oracle.build(entry.spec)
    claim = problem.claims[0]
    rng = random.Random(entry.id)
    names = sorted(oracle.claim_symbols(claim))
    checked = 0
    if claim.kind in ("limit", "exponent"):
        var = oracle.var_symbol(problem, claim)
        params = [n for n in names if n != claim.var]
        for _ in range(3 if params else 1):
            point = _sample_ok(problem, claim, params, rng)
            if claim.kind == "limit":
                got = oracle.limit_value(claim.expr, var, claim.at, point)
                assert sp.simplify(got - claim.value.subs(point)) == 0, (point, got)
            else:
                ratio = oracle.exponent_ratio_limit(claim.expr, var, claim.value, point)
                assert ratio.is_positive and ratio.is_finite, (point, ratio)
            checked += 1
        assert checked >= 1
        return
    for _ in range(SAMPLES):
        point = _sample_ok(problem, claim, names, rng)
        if claim.kind in POINTWISE:
            assert oracle.pointwise_violated(claim, point) is not True, point
        else:
            var = oracle.var_symbol(problem, claim)
            other = _sample_ok(problem, claim, [claim.var], rng, base=point)
            x1, x2 = sorted((point[var], other[var]))
            if x1 == x2:
                continue
            a, b = {**point, var: x1}, {**point, var: x2}
            if oracle.assumptions_hold(problem, claim, a) is not True or \
                    oracle.assumptions_hold(problem, claim, b) is not True:
                continue
            assert oracle.monotone_violated(problem, claim, point, x1, x2) is not True, (point, x1, x2)
        checked += 1
    assert checked >= SAMPLES // 4


def _sample_ok(problem, claim, names, rng, base=None) -> dict:
    for _ in range(400):
        point = {**(base or {}), **oracle.sample_point(problem, names, rng)}
        if not claim.assume and not problem.assumptions:
            return point
        params = {s for s in point}
        needed = {problem.symbol(n).sym for n in oracle.claim_symbols(claim)}
        if claim.kind in ("limit", "exponent"):
            needed.discard(oracle.var_symbol(problem, claim))
            rels = [r for r in claim.assume if r.free_symbols <= params]
            if all(oracle.relation_holds(r, point) is True for r in rels):
                return point
            continue
        if needed <= params and oracle.assumptions_hold(problem, claim, point) is True:
            return point
    pytest.fail(f"could not sample a point satisfying the assumptions of {claim.id}")
