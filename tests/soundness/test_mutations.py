"""Mechanical mutants of the true catalogue claims: the prover must never PROVE a mutant that an
independent 50-digit search refutes, and every REFUTED mutant's witness must survive the independent
re-check. Only soundness is asserted (a mutant may well stay true)."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from typing import Any

import pytest

import oracle
import runner
from boundcheck.prove.verdict import Status, Verdict
from catalogue import FALSE_ENTRIES, TRUE_ENTRIES, Entry

SUMMARY: dict[str, str] = {}

_MONO_SWAP = {"increasing": "decreasing", "decreasing": "increasing", "nondecreasing": "nonincreasing",
              "nonincreasing": "nondecreasing"}
_MONO_STRICT = {"nondecreasing": "increasing", "nonincreasing": "decreasing"}


def _mutant(entry: Entry, tag: str, **changes: Any) -> tuple[str, dict[str, Any]]:
    spec = copy.deepcopy(dict(entry.spec))
    claim = dict(spec["claims"][0])
    for k, v in changes.items():
        if v is None:
            claim.pop(k, None)
        else:
            claim[k] = v
    mid = f"{entry.id}~{tag}"
    claim["id"] = mid
    spec["claims"] = [claim]
    return mid, spec


def mutants(entry: Entry) -> Iterator[tuple[str, dict[str, Any]]]:
    """The mechanical mutants of one claim: flip the relation, perturb a constant, swap or strengthen the
    monotonicity, shift a limit or an exponent, drop the assumptions."""
    c = entry.claim
    kind = c["kind"]
    if kind in ("le", "lt"):
        yield _mutant(entry, "flip", lhs=c["rhs"], rhs=c["lhs"])
        if c["rhs"].strip() != "0":
            yield _mutant(entry, "scale", rhs=f"({c['rhs']})*9/10")
        else:
            yield _mutant(entry, "shift", rhs="-1/10")
    elif kind == "eq":
        yield _mutant(entry, "shift", rhs=f"({c['rhs']}) + 1/100")
    elif kind in ("nonnegative", "positive"):
        yield _mutant(entry, "negate", expr=f"-({c['expr']})")
    elif kind in _MONO_SWAP:
        yield _mutant(entry, "swap", kind=_MONO_SWAP[kind])
        if kind in _MONO_STRICT:
            yield _mutant(entry, "strict", kind=_MONO_STRICT[kind])
    elif kind == "limit":
        yield _mutant(entry, "shift", value=f"({c['value']}) + 1")
    elif kind == "exponent":
        yield _mutant(entry, "shift", value=f"({c['value']}) - 1/2")
    if c.get("assume"):
        yield _mutant(entry, "drop-assume", assume=None)


MUTANTS: tuple[tuple[str, dict[str, Any]], ...] = tuple(m for e in TRUE_ENTRIES for m in mutants(e))


@functools.lru_cache(maxsize=1)
def verdicts() -> dict[str, Verdict]:
    """Verdicts of all mutants (computed once, two processes)."""
    return runner.prove_all(MUTANTS)


def test_mutants_exist() -> None:
    """Every true claim yields at least one mutant and ids are unique."""
    assert len(MUTANTS) >= len(TRUE_ENTRIES)
    assert len({m for m, _ in MUTANTS}) == len(MUTANTS)


def test_search_finds_violations_of_false_claims() -> None:
    """The independent violation search has teeth: it breaks most FALSE catalogue claims."""
    found = 0
    for e in FALSE_ENTRIES:
        problem = oracle.build(e.spec)
        if oracle.search_violation(problem, problem.claims[0], seed=e.id, samples=60):
            found += 1
    assert found >= 0.8 * len(FALSE_ENTRIES)


@pytest.mark.parametrize("mid,spec", MUTANTS, ids=[m for m, _ in MUTANTS])
def test_mutant_soundness(mid: str, spec: dict[str, Any]) -> None:
    """A PROVED mutant survives an independent 50-digit search; a REFUTED one has a confirmed witness."""
    v = verdicts()[mid]
    assert v.method != "crash", v.reason
    problem = oracle.build(spec)
    claim = problem.claims[0]
    if v.status is Status.PROVED:
        bad = oracle.search_violation(problem, claim, seed=mid, samples=150)
        assert bad is None, f"UNSOUND: proved mutant {mid} is false: {bad}; {v!r}"
    elif v.status is Status.REFUTED:
        msg = oracle.check_witness(problem, claim, v.witness)
        assert msg is None, f"witness of {mid} not confirmed: {msg}; {v!r}"


def test_mutant_summary() -> None:
    """Reports how the mutants were decided (at least half of them are decided)."""
    vs = verdicts()
    counts = {s: sum(v.status is s for v in vs.values()) for s in Status}
    SUMMARY["mutations"] = (f"mutants of true claims: {len(vs)}; proved {counts[Status.PROVED]}, refuted "
                            f"{counts[Status.REFUTED]}, unknown {counts[Status.UNKNOWN]}")
    print("\n" + SUMMARY["mutations"])
    assert counts[Status.PROVED] + counts[Status.REFUTED] >= len(vs) / 2
