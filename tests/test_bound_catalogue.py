"""The catalogue of classical bounds (examples/catalogue/): every claim meets its `expect`.

This is the standing test of the referee's workflow: thresholds, tuned parameters, eventual asymptotics,
rates with log factors and Max, and the routine steps, on bounds written from the literature.
"""

from pathlib import Path

import pytest

from boundcheck import load, verify
from boundcheck.prove.verdict import Status

CATALOGUE = sorted((Path(__file__).resolve().parent.parent / "examples" / "catalogue").glob("*.toml"))
# generous per-claim timeout: the CI machine is shared; benchmarks/bench_catalogue.py measures at the default
TIMEOUT = 30.0


def test_catalogue_has_the_classical_bounds():
    """At least the eight classical bounds of the referee's workflow are in the catalogue."""
    names = {p.stem for p in CATALOGUE}
    assert {"vc", "rademacher_linear", "spectral_margin", "vc_vs_rademacher", "pac_bayes", "stability",
            "kernel_ridge", "covering", "finite_class"} <= names


@pytest.mark.parametrize("path", CATALOGUE, ids=[p.stem for p in CATALOGUE])
def test_catalogue_spec_meets_expectations(path):
    """Every claim of the spec has an `expect`, and its verdict meets it."""
    problem = load(path)
    claims = problem.all_claims
    assert claims and all(c.expect for c in claims), "every catalogue claim states what it expects"
    verdicts = verify(problem, timeout=TIMEOUT)
    bad = [(c.id, c.expect, v.status.value, v.summary()[:200]) for c, v in zip(claims, verdicts)
           if v.status.value != c.expect]
    assert not bad


def test_crossover_is_found_and_proved():
    """VC vs Rademacher: n* = 2422 is found (no value given), proved from 2422 on, and fails at 2421."""
    problem = load(next(p for p in CATALOGUE if p.stem == "vc_vs_rademacher"))
    claim = next(c for c in problem.claims if c.id == "crossover")
    from dataclasses import replace

    from boundcheck import prove_claim

    v = prove_claim(problem, replace(claim, value=None), timeout=TIMEOUT)
    assert v.status is Status.PROVED
    assert dict(v.result)["n*"] == "2422"
    assert "fails at n = 2421" in v.certificate.detail
