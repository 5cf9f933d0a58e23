"""The MetiTarski benchmark script: record conversion, and a fast subset run with no unsound answer."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import sympy as sp

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("metitarski_bench", REPO / "benchmarks" / "metitarski.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

PROBLEMS = Path(bench.DEFAULT_PROBLEMS)


def test_split_goal_normalises_greater_than() -> None:
    """'a > b' becomes lt with the sides swapped, '<=' stays le, and non-comparisons are rejected."""
    assert bench.split_goal("exp(x) > 1 + x") == ("lt", "1 + x", "exp(x)")
    assert bench.split_goal("log(x) <= x - 1") == ("le", "log(x)", "x - 1")
    assert bench.split_goal("a >= b*c") == ("le", "b*c", "a")
    with pytest.raises(ValueError):
        bench.split_goal("x == 1")
    with pytest.raises(ValueError):
        bench.split_goal("0 < x < 1")


def test_record_becomes_problem() -> None:
    """Bounds, strictness, goal and hypotheses (including Eq/Ne) carry over into the Problem."""
    record = {"name": "r", "vars": {"x": [0, None], "y": ["1/100", 30]},
              "strict": {"x": [True, False], "y": [False, True]}, "hyps": ["Ne(x, 1)", "Eq(y**2, 1 + x)"],
              "goal": "log(1 + x) >= x/y", "expected": "theorem"}
    problem = bench.problem_from_record(record)
    x, y = problem.symbol("x"), problem.symbol("y")
    assert (x.lo, x.lo_open, x.hi) == (0, True, None)
    assert (y.lo, y.lo_open, y.hi, y.hi_open) == (sp.Rational(1, 100), False, 30, True)
    claim = problem.claims[0]
    assert claim.kind == "le"
    assert sp.simplify(claim.lhs - x.sym / y.sym) == 0
    assert sp.simplify(claim.rhs - sp.log(1 + x.sym)) == 0
    assert {type(a) for a in claim.assume} == {sp.Ne, sp.Eq}


def test_classification() -> None:
    """A proof of a false problem or a refutation of a true one counts as unsound."""
    assert bench._classify("theorem", "proved") == "proved"
    assert bench._classify("false", "refuted") == "refuted"
    assert bench._classify("theorem", "refuted") == "UNSOUND"
    assert bench._classify("false", "proved") == "UNSOUND"
    assert bench._classify("false", "unknown") == "unknown"


@pytest.mark.skipif(not PROBLEMS.exists(), reason="../shared/benchmarks/metitarski/problems.jsonl not present")
def test_fast_subset_has_no_unsound_answer() -> None:
    """Ten problems (true and false) at 3 s each: no unsound answer, every refutation independently confirmed."""
    records = bench.load_records(PROBLEMS)
    assert len(records) == 122
    subset = records[::12][:10]
    assert {r["expected"] for r in subset} == {"theorem", "false"}
    rows = bench.run(subset, timeout=3.0, jobs=2)
    assert [r["name"] for r in rows] == [r["name"] for r in subset]
    summary = bench.summarize(rows)
    assert summary["unsound"] == [], rows
    for row in rows:
        if row["status"] == "refuted":
            assert row["witness_check"] == "confirmed", row
    assert summary["proved"] + summary["refuted"] >= 1
