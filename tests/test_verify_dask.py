"""verify on a dask cluster (--dask): the same verdicts as the local run, certificates written by the caller."""

from __future__ import annotations

import pytest

from boundcheck.prove.ladder import verify
from boundcheck.spec import problem_from_dict

distributed = pytest.importorskip("distributed")

SPEC = {"name": "d", "symbols": {"x": {"kind": "real", "min_open": 0}, "y": {"kind": "real"},
                                  "n": {"kind": "integer", "min": 1}},
        "claims": [{"id": "tangent", "kind": "le", "lhs": "log(x)", "rhs": "x - 1"},
                   {"id": "z3", "kind": "le", "lhs": "log(x)", "rhs": "y - 1", "assume": ["x <= y"]},
                   {"id": "false", "kind": "le", "lhs": "log(x)", "rhs": "x - 2"},
                   {"id": "tail", "kind": "lt", "lhs": "log(1 + 1/n)", "rhs": "1/n"}]}


def test_dask_verdicts_match_the_local_run(tmp_path) -> None:
    problem = problem_from_dict(SPEC)
    local = verify(problem, timeout=10)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        seen: list[tuple[str, int, int]] = []
        remote = verify(problem, timeout=10, dask=client, certificates_dir=tmp_path,
                        progress=lambda cid, done, total: seen.append((cid, done, total)))
    assert [(v.claim_id, v.status) for v in remote] == [(v.claim_id, v.status) for v in local]
    assert [v.status.value for v in remote] == ["proved", "proved", "refuted", "proved"]
    assert (tmp_path / "z3.smt2").exists()  # the z3 proof's obligation, written by the caller
    assert seen[-1] == ("", 4, 4)


def test_unreachable_scheduler_is_a_usage_error() -> None:
    from boundcheck.errors import UsageError

    with pytest.raises(UsageError):
        verify(problem_from_dict(SPEC), timeout=5, dask="tcp://127.0.0.1:9")
