"""Runs the prover on many one-claim specs, two processes at a time (the CI machine has 2 cores)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from boundcheck.prove.ladder import prove_claim
from boundcheck.prove.verdict import Status, Verdict
from boundcheck.spec import problem_from_dict

__all__ = ["prove_spec", "prove_all", "TIMEOUT", "WORKERS"]

#: Seconds per claim given to the ladder in the soundness suite.
TIMEOUT = float(os.environ.get("BOUNDCHECK_SOUNDNESS_TIMEOUT", "5"))
WORKERS = max(1, min(2, os.cpu_count() or 1))


def prove_spec(spec: Mapping[str, Any], timeout: float = TIMEOUT) -> Verdict:
    """The verdict of the single claim of ``spec``; a crash of the prover becomes an UNKNOWN verdict with
    the exception as reason (the soundness tests then report it rather than abort)."""
    problem = problem_from_dict(spec)
    claim = problem.claims[0]
    try:
        return prove_claim(problem, claim, timeout=timeout)
    except Exception as err:  # noqa: BLE001 - a crash is reported, not hidden
        return Verdict(claim.id, Status.UNKNOWN, "crash", reason=f"prover raised {type(err).__name__}: {err}")


def _job(args: tuple[Mapping[str, Any], float]) -> Verdict:
    return prove_spec(*args)


def prove_all(specs: Iterable[tuple[str, Mapping[str, Any]]], timeout: float = TIMEOUT) -> dict[str, Verdict]:
    """Verdicts keyed by id for (id, spec) pairs, computed in up to two worker processes."""
    items = list(specs)
    jobs = [(spec, timeout) for _, spec in items]
    if WORKERS == 1 or len(items) < 4:
        verdicts = [_job(j) for j in jobs]
    else:
        with ProcessPoolExecutor(max_workers=WORKERS) as pool:
            verdicts = list(pool.map(_job, jobs, chunksize=1))
    return {cid: v for (cid, _), v in zip(items, verdicts)}
